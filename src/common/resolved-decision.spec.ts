import { randomUUID } from 'node:crypto';
import { MemoryEventStore } from '@cunyi/event-store';
import { Aggregates } from './aggregates';
import { resolvedDecision } from './resolved-decision';

const at = '2026-03-12T02:00:00.000Z';
const metadata = { correlationId: 'test', occurredAt: at };
const decision = {
  meetingId: 'm1',
  itemId: 'item-1',
  proposalId: 'p1',
  body: 'VILLAGERS_ASSEMBLY',
  matter: 'AUTHORISATION',
  outcome: 'PASSED',
  tally: { for: 3, against: 0, abstain: 0, notVoting: 0, attending: 3 },
  members: 5,
  judgements: [],
  ruleBook: 'VCOL-2018',
  rules: ['A3', 'A4'],
  decidedAt: at,
};

async function append(store: MemoryEventStore, stream: string, type: string, data: object) {
  await store.append(stream, [{ id: randomUUID(), type, data, metadata }], {
    expectedRevision: 'any',
  });
}

/** Proposal p1, an authorisation of public works. */
const drafted = {
  proposalId: 'p1',
  villageId: 'qingshan',
  title: '授权',
  body: '授权村民代表会议决定村内公益事业',
  matter: 'AUTHORISATION',
  proposer: { kind: 'COMMITTEE' },
  draftedBy: 'clerk',
  authorisation: { matters: ['PUBLIC_WORKS'] },
  at,
};

/** A meeting that decided item-1 for proposal p1, in village qingshan. */
async function decidedMeeting(): Promise<MemoryEventStore> {
  const store = new MemoryEventStore();
  await append(store, 'meeting-m1', 'MeetingConvened', {
    meetingId: 'm1',
    villageId: 'qingshan',
    body: 'VILLAGERS_ASSEMBLY',
    quorumBasis: 'MEMBERS',
    scheduledAt: at,
    agenda: [{ itemId: 'item-1', proposalId: 'p1', matter: 'AUTHORISATION', title: '授权' }],
    votesMayChangeBeforeClose: false,
  });
  await append(store, 'meeting-m1', 'VotingOpened', { meetingId: 'm1', itemId: 'item-1' });
  await append(store, 'meeting-m1', 'ItemDecided', { ...decision, countedBallotIds: [] });
  await append(store, 'proposal-p1', 'ProposalDrafted', drafted);
  return store;
}

const clock = { now: () => new Date(at) };

describe('a decision another aggregate rests on (M2, M4)', () => {
  it('is refused while its proposal has not recorded it (RESOLUTION_REQUIRED)', async () => {
    const aggregates = new Aggregates(await decidedMeeting(), clock);
    await expect(resolvedDecision(aggregates, 'qingshan', 'm1', 'item-1')).rejects.toMatchObject({
      code: 'RESOLUTION_REQUIRED',
    });
  });

  it('is the meeting’s own record once its proposal has recorded it', async () => {
    const store = await decidedMeeting();
    await append(store, 'proposal-p1', 'ProposalResolved', { ...decision, recordedAt: at });
    const found = await resolvedDecision(new Aggregates(store, clock), 'qingshan', 'm1', 'item-1');
    expect(found.decision).toEqual(decision);
  });

  it('M2: comes with the proposal it decided, which says what was voted on', async () => {
    const store = await decidedMeeting();
    await append(store, 'proposal-p1', 'ProposalResolved', { ...decision, recordedAt: at });
    const found = await resolvedDecision(new Aggregates(store, clock), 'qingshan', 'm1', 'item-1');
    const { at: draftedAt, ...proposal } = drafted;
    expect(found.proposal).toEqual({ ...proposal, draftedAt });
    expect(found.proposal.authorisation).toEqual({ matters: ['PUBLIC_WORKS'] });
  });

  it('is FORBIDDEN from another village’s meeting, and NOT_FOUND for an undecided item', async () => {
    const aggregates = new Aggregates(await decidedMeeting(), clock);
    await expect(resolvedDecision(aggregates, 'lushan', 'm1', 'item-1')).rejects.toMatchObject({
      extensions: { code: 'FORBIDDEN' },
    });
    await expect(resolvedDecision(aggregates, 'qingshan', 'm1', 'item-2')).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });
});
