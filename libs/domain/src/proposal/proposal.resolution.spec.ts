import { DEFAULT_PRACTICE } from '../rule-book/vcol-2018';
import { specification } from '../testing/given-when-then';
import { proposalDecider } from './proposal.decider';
import {
  DECIDED_AT,
  decided,
  deliberate,
  draft,
  failed,
  ITEM_ID,
  MEETING_ID,
  PROPOSAL_ID,
  passed,
  quorumLost,
  RESOLVED_AT,
  recorded,
  resolve,
  reviewed,
  stateAfter,
  TABLED_AT,
  table,
  withData,
} from './proposal.fixtures';

const proposal = specification(proposalDecider);
const tabled = () => recorded(...reviewed(), table());
const notRequired = { ...DEFAULT_PRACTICE, fourDeliberationsRequired: false };

describe('tabling a proposal for step 4', () => {
  it('F1: records the meeting and item once steps 2 and 3 are on record', () => {
    proposal
      .given(recorded(...reviewed()))
      .when(table())
      .then([
        {
          type: 'ProposalTabled',
          data: {
            proposalId: PROPOSAL_ID,
            meetingId: MEETING_ID,
            itemId: ITEM_ID,
            body: 'VILLAGERS_ASSEMBLY',
            fourDeliberationsRequired: true,
            ruleBook: 'VCOL-2018',
            rules: ['F1'],
            at: TABLED_AT,
          },
        },
      ]);
  });

  it('is at step TABLED', () => {
    expect(stateAfter(tabled()).step).toBe('TABLED');
  });

  it('F1: a proposal cannot be tabled before step 2 is on record', () => {
    proposal.given(recorded(draft())).when(table()).thenRefuses('STEP_OUT_OF_ORDER', 'F1');
  });

  it('F1: a proposal cannot be tabled before step 3 is on record', () => {
    proposal
      .given(recorded(draft(), deliberate('JOINT_COMMITTEES')))
      .when(table())
      .thenRefuses('STEP_OUT_OF_ORDER', 'F1');
  });

  it('F1: a proposal the Party members did not agree cannot be tabled', () => {
    const notAgreed = deliberate('PARTY_MEMBERS', { members: 30, attending: 24, agreeing: 12 });
    proposal
      .given(recorded(draft(), deliberate('JOINT_COMMITTEES'), notAgreed))
      .when(table())
      .thenRefuses('STEP_OUT_OF_ORDER', 'F1');
  });

  it('F1: a village whose practice does not require steps 2 and 3 may table at once', () => {
    expect(decided(recorded(draft()), withData(table(), { practice: notRequired }))).toMatchObject([
      { data: { fourDeliberationsRequired: false, rules: [] } },
    ]);
  });

  it('F1: a proposal before a meeting is not tabled to another', () => {
    proposal
      .given(tabled())
      .when(table('VILLAGERS_ASSEMBLY', 'meeting-2'))
      .thenRefuses('STEP_OUT_OF_ORDER', 'F1');
  });

  it.each([
    ['body', 'VILLAGE_GROUP'],
    ['meetingId', ''],
    ['itemId', ' '],
    ['practice', { ...DEFAULT_PRACTICE, fourDeliberationsRequired: undefined }],
  ])('refuses a malformed %s', (field, value) => {
    proposal
      .given(recorded(...reviewed()))
      .when(withData(table(), { [field]: value }))
      .thenRefuses('INVALID_INPUT');
  });
});

describe('resolving a proposal (step 4, 决议)', () => {
  it('A4: a PASSED decision with no ballots behind it is refused', () => {
    const forged = passed({
      tally: { for: 0, against: 0, abstain: 0, notVoting: 0, attending: 0 },
      judgements: [
        { ruleId: 'A3', met: true, actual: 0, required: 0, of: 0 },
        { ruleId: 'A4', met: true, actual: 0, required: 0, of: 0 },
      ],
    });
    proposal.given(tabled()).when(resolve(forged)).thenRefuses('INVALID_INPUT');
  });

  it('M3: a land-contracting plan judged by simple majority (A4) is refused', () => {
    proposal
      .given(recorded(...reviewed('LAND_CONTRACTING_PLAN'), table()))
      .when(resolve(passed({ matter: 'LAND_CONTRACTING_PLAN' })))
      .thenRefuses('INVALID_INPUT');
  });

  it('records the meeting’s decision as the meeting recorded it', () => {
    proposal
      .given(tabled())
      .when(resolve())
      .then([
        {
          type: 'ProposalResolved',
          data: {
            proposalId: PROPOSAL_ID,
            meetingId: MEETING_ID,
            itemId: ITEM_ID,
            body: 'VILLAGERS_ASSEMBLY',
            outcome: 'PASSED',
            tally: { for: 60, against: 12, abstain: 5, notVoting: 3, attending: 80 },
            members: 120,
            judgements: [
              { ruleId: 'A3', met: true, actual: 80, required: 61, of: 120 },
              { ruleId: 'A4', met: true, actual: 60, required: 41, of: 80 },
            ],
            decidedAt: DECIDED_AT,
            ruleBook: 'VCOL-2018',
            rules: ['A3', 'A4', 'F1'],
            at: RESOLVED_AT,
          },
        },
      ]);
  });

  it('is at step RESOLVED, with the outcome kept', () => {
    const state = stateAfter(recorded(...reviewed(), table(), resolve(failed())));
    expect(state.step).toBe('RESOLVED');
    expect(state.resolutions.map((resolution) => resolution.outcome)).toEqual(['FAILED']);
  });

  it('F1: no resolution is recorded for a proposal that was never tabled', () => {
    proposal
      .given(recorded(...reviewed()))
      .when(resolve())
      .thenRefuses('STEP_OUT_OF_ORDER', 'F1');
  });

  it.each([
    ['meeting', { meetingId: 'meeting-2' }],
    ['item', { itemId: 'item-2' }],
  ])('F1: a decision on another %s does not resolve the proposal', (_, change) => {
    proposal
      .given(tabled())
      .when(resolve(passed(change)))
      .thenRefuses('STEP_OUT_OF_ORDER', 'F1');
  });

  it('F1: a decision taken before the proposal was tabled is out of order', () => {
    proposal
      .given(tabled())
      .when(resolve(passed({ decidedAt: '2026-03-11T20:00:00+08:00' })))
      .thenRefuses('STEP_OUT_OF_ORDER', 'F1');
  });

  it('F1: a resolved proposal is not resolved again', () => {
    proposal
      .given(recorded(...reviewed(), table(), resolve()))
      .when(resolve())
      .thenRefuses('STEP_OUT_OF_ORDER', 'F1');
  });

  it.each([
    ['another proposal', passed({ proposalId: 'proposal-2' })],
    ['another body', passed({ body: 'REPRESENTATIVES_ASSEMBLY' })],
    ['another matter', passed({ matter: 'OTHER' })],
    ['an unknown outcome', passed({ outcome: 'ADOPTED' as never })],
    ['another rule book', passed({ ruleBook: 'VCOL-2026' })],
    ['a decision after the command', passed({ decidedAt: '2026-03-28T12:30:00+08:00' })],
    [
      'a tally that misses a member',
      passed({ tally: { for: 60, against: 12, abstain: 5, notVoting: 2, attending: 80 } }),
    ],
    ['more attending than members', passed({ members: 79 })],
    [
      'a pass with a rule not met',
      passed({ judgements: [{ ruleId: 'A4', met: false, actual: 40, required: 41, of: 80 }] }),
    ],
    ['a pass with no judgement', passed({ judgements: [] })],
    ['an unknown rule', passed({ rules: ['Z9' as never] })],
  ])('refuses a decision with %s', (_, decision) => {
    proposal.given(tabled()).when(resolve(decision)).thenRefuses('INVALID_INPUT');
  });

  it('refuses a command without the decision', () => {
    proposal
      .given(tabled())
      .when(withData(resolve(), { decision: undefined }))
      .thenRefuses('INVALID_INPUT');
  });

  it.each([
    ['FAILED', failed()],
    ['QUORUM_LOST', quorumLost()],
  ])('F1: a proposal can be tabled again after a %s outcome', (_, decision) => {
    const history = recorded(...reviewed(), table(), resolve(decision));
    expect(
      decided(history, table('VILLAGERS_ASSEMBLY', 'meeting-2', '2026-04-01T09:00:00+08:00')),
    ).toMatchObject([{ type: 'ProposalTabled', data: { meetingId: 'meeting-2' } }]);
  });

  it('F1: the second vote is recorded next to the first', () => {
    const history = recorded(
      ...reviewed(),
      table(),
      resolve(quorumLost()),
      table('VILLAGERS_ASSEMBLY', 'meeting-2', '2026-04-01T09:00:00+08:00'),
      resolve(
        passed({ meetingId: 'meeting-2', decidedAt: '2026-04-20T11:00:00+08:00' }),
        '2026-04-20T12:00:00+08:00',
      ),
    );
    const state = stateAfter(history);
    expect(state.resolutions.map(({ meetingId, outcome }) => [meetingId, outcome])).toEqual([
      [MEETING_ID, 'QUORUM_LOST'],
      ['meeting-2', 'PASSED'],
    ]);
    expect(state.step).toBe('RESOLVED');
  });

  it('F1: a passed proposal is not tabled again', () => {
    proposal
      .given(recorded(...reviewed(), table(), resolve()))
      .when(table('VILLAGERS_ASSEMBLY', 'meeting-2'))
      .thenRefuses('STEP_OUT_OF_ORDER', 'F1');
  });
});
