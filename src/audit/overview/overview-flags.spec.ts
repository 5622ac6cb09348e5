/**
 * The overview's flags on proposal histories the domain's decider records (P2, C2), each judged
 * as of an instant: what was overdue or standing then, not only now.
 */
import { DEFAULT_PRACTICE, type proposal } from '@cunyi/domain';
import {
  DECIDED_AT,
  failed,
  ITEM_ID,
  orderCorrection,
  PROPOSAL_ID,
  passed,
  publish,
  publishedCommands,
  quorumLost,
  recorded,
  resolve,
  reviewed,
  stateAfter,
  table,
  VILLAGE_ID,
} from '@cunyi/domain/proposal/proposal.fixtures';
import { openCorrectionOrders, overduePublications, resolutionCounts } from './overview-flags';

const history = (...commands: proposal.ProposalCommand[]) => [
  { villageId: VILLAGE_ID, state: stateAfter(recorded(...commands)) },
];
const instant = (iso: string) => Date.parse(iso);
const noPractices = new Map();

/** Decided 2026-03-28 11:00 (+08:00); a major matter is due three days later. */
const DUE = '2026-03-31T03:00:00.000Z';
/** The order, the new meeting on the suspended resolution, and its decision. */
const RETABLED_AT = '2026-04-05T09:00:00+08:00';
const REDECIDED_AT = '2026-04-20T11:00:00+08:00';
/** Resolved, published, and ordered corrected on 2026-04-02. */
const ordered = () => [...publishedCommands(), orderCorrection()];
const again = (decision: typeof failed) => [
  table('VILLAGERS_ASSEMBLY', 'meeting-2', RETABLED_AT),
  resolve(
    decision({ meetingId: 'meeting-2', itemId: ITEM_ID, decidedAt: REDECIDED_AT }),
    REDECIDED_AT,
  ),
];

describe('P2: overdue publications', () => {
  const unpublished = history(...reviewed(), table(), resolve(passed()));

  it('P2: flags a major matter’s resolution once its days have passed unpublished', () => {
    expect(overduePublications(unpublished, noPractices, instant(DUE))).toEqual([]);
    expect(overduePublications(unpublished, noPractices, instant(DUE) + 1)).toEqual([
      expect.objectContaining({
        proposalId: PROPOSAL_ID,
        dueBy: DUE,
        major: true,
        outcome: 'PASSED',
      }),
    ]);
  });

  it('P2: counts the village’s own days (setPractice)', () => {
    const practices = new Map([
      [VILLAGE_ID, { ...DEFAULT_PRACTICE, majorMatterPublicationDays: 7 }],
    ]);
    const asOf = instant('2026-04-03T00:00:00+08:00');
    expect(overduePublications(unpublished, noPractices, asOf)).toHaveLength(1);
    expect(overduePublications(unpublished, practices, asOf)).toEqual([]);
  });

  it('P2: a FAILED vote is published too; a lost quorum decided nothing to publish', () => {
    const asOf = instant('2026-04-10T00:00:00+08:00');
    const failedVote = history(...reviewed(), table(), resolve(failed()));
    expect(overduePublications(failedVote, noPractices, asOf)).toEqual([
      expect.objectContaining({ outcome: 'FAILED' }),
    ]);
    const lost = history(...reviewed(), table(), resolve(quorumLost()));
    expect(overduePublications(lost, noPractices, asOf)).toEqual([]);
  });

  it('P2: a publication after the instant judged does not clear it as of then', () => {
    const late = '2026-04-08T09:00:00+08:00';
    const published = history(...reviewed(), table(), resolve(passed()), publish(late));
    expect(overduePublications(published, noPractices, instant('2026-04-05T00:00:00Z'))).toEqual([
      expect.objectContaining({ dueBy: DUE, publishedAt: late }),
    ]);
    expect(overduePublications(published, noPractices, instant(late))).toEqual([]);
  });

  it('P2: a resolution superseded by a new decision is no longer publishable, the new one is', () => {
    const redecided = history(...publishedCommands(), orderCorrection(), ...again(failed));
    const asOf = instant('2026-05-01T00:00:00+08:00');
    expect(overduePublications(redecided, noPractices, asOf)).toEqual([
      expect.objectContaining({
        meetingId: 'meeting-2',
        resolvedAt: REDECIDED_AT,
        outcome: 'FAILED',
      }),
    ]);
  });
});

describe('C2: open correction orders', () => {
  it('C2: an order stands through a failed vote and is lifted by a passed one', () => {
    const afterFailed = history(...ordered(), ...again(failed));
    const later = instant('2026-05-01T00:00:00+08:00');
    expect(openCorrectionOrders(afterFailed, later)).toEqual([
      expect.objectContaining({ orderId: 'order-1', proposalId: PROPOSAL_ID }),
    ]);
    const afterPassed = history(...ordered(), ...again(passed));
    expect(openCorrectionOrders(afterPassed, later)).toEqual([]);
    expect(openCorrectionOrders(afterPassed, instant(REDECIDED_AT) - 1)).toHaveLength(1);
    expect(openCorrectionOrders(afterPassed, instant('2026-04-01T00:00:00+08:00'))).toEqual([]);
  });
});

describe('resolutions in a period', () => {
  it('counts every resolution decided in [from, to), by matter and outcome', () => {
    const proposals = history(...ordered(), ...again(failed));
    const march = [instant('2026-03-01T00:00:00+08:00'), instant('2026-04-01T00:00:00+08:00')];
    expect(resolutionCounts(proposals, march[0] as number, march[1] as number)).toEqual([
      { matter: 'COLLECTIVE_INCOME_USE', outcome: 'PASSED', count: 1 },
    ]);
    expect(resolutionCounts(proposals, instant(DECIDED_AT) + 1, instant(REDECIDED_AT) + 1)).toEqual(
      [{ matter: 'COLLECTIVE_INCOME_USE', outcome: 'FAILED', count: 1 }],
    );
  });
});
