/**
 * Properties over random sittings: any sequence of check-ins, departures, ballots, countersignatures
 * and closes, applied through the decider (refused commands are skipped, as a handler would), must
 * keep the guarantees of DOMAIN.md's "What the system must never allow".
 */
import fc from 'fast-check';
import {
  isM3Matter,
  judgeAssemblyDecision,
  judgeAssemblyQuorum,
  judgeLandMatterDecision,
} from '../rule-book/vcol-2018';
import { DomainError } from '../shared/domain-error';
import type { Choice, QuorumBasis } from '../shared/vocabulary';
import type { MeetingCommand } from './commands';
import type { BallotCast, ItemDecided, MeetingEvent } from './events';
import { meetingDecider } from './meeting.decider';
import {
  adults,
  agendaItem,
  ballot,
  checkIn,
  closeVoting,
  convene,
  countersign,
  history,
  leave,
  open,
  openVoting,
} from './meeting.fixtures';

const ITEMS = ['item-1', 'item-2'] as const;
const AGENDA = [agendaItem('item-1'), agendaItem('item-2', 'LAND_CONTRACTING_PLAN')];
// Six members in three households, a minor (on the roll, not a member) and an outsider.
const ROLL = [
  ...adults(6, 2),
  { villagerId: 'minor', householdId: 'h1', birthDate: '2010-01-01', gender: 'MALE' as const },
];
const MEMBERS = ['v1', 'v2', 'v3', 'v4', 'v5', 'v6'];
const PEOPLE = [...MEMBERS, 'minor', 'outsider'];
const HOUSEHOLD_REPRESENTATIVES = Object.values(open(ROLL).data.householdRepresentatives);

const person = fc.constantFrom(...PEOPLE);
const item = fc.constantFrom(...ITEMS);

/** Any command at all; ballots mostly on `ballotItem`, so that items get voted on. */
const stepOn = (ballotItem: string) =>
  fc.oneof(
    { weight: 6, arbitrary: fc.tuple(fc.constant('checkIn' as const), person) },
    { weight: 4, arbitrary: fc.tuple(fc.constant('leave' as const), person) },
    { weight: 1, arbitrary: fc.tuple(fc.constant('openVoting' as const), item) },
    {
      weight: 40,
      arbitrary: fc.tuple(
        fc.constant('ballot' as const),
        fc.oneof({ weight: 4, arbitrary: fc.constant(ballotItem) }, item),
        person,
        // FOR weighted up, so that items pass as well as fail.
        fc.constantFrom<Choice>('FOR', 'FOR', 'FOR', 'AGAINST', 'ABSTAIN'),
        fc.constantFrom('ONLINE' as const, 'PAPER' as const),
      ),
    },
    { weight: 1, arbitrary: fc.tuple(fc.constant('countersign' as const), item) },
    { weight: 1, arbitrary: fc.tuple(fc.constant('close' as const), item) },
  );
type Step = ReturnType<typeof stepOn> extends fc.Arbitrary<infer S> ? S : never;

/**
 * Random steps alone seldom get far enough to close an item, so each round has a skeleton: some
 * arrive, voting opens on an item, anything at all happens, the supervisor may countersign, voting
 * closes. The next round's random steps are the attempts after the close.
 */
const round = item.chain((itemId) =>
  fc
    .tuple(
      fc.subarray(PEOPLE, { minLength: 3 }),
      fc.array(stepOn(itemId), { minLength: 5, maxLength: 40, size: 'medium' }),
      fc.constantFrom(true, true, true, false),
    )
    .map(([arriving, during, countersigned]): Step[] => [
      ...arriving.map((villagerId): Step => ['checkIn', villagerId]),
      ['openVoting', itemId],
      ...during,
      ...(countersigned ? [['countersign', itemId] as Step] : []),
      ['close', itemId],
    ]),
);

interface Sitting {
  readonly quorumBasis: QuorumBasis;
  readonly votesMayChangeBeforeClose: boolean;
  readonly steps: readonly Step[];
}

const sitting: fc.Arbitrary<Sitting> = fc.record({
  quorumBasis: fc.constantFrom<QuorumBasis>('MEMBERS', 'HOUSEHOLDS'),
  votesMayChangeBeforeClose: fc.boolean(),
  steps: fc.array(round, { minLength: 1, maxLength: 3 }).map((rounds) => rounds.flat()),
});

function commandOf(next: Step, index: number): MeetingCommand {
  switch (next[0]) {
    case 'checkIn':
      return checkIn(next[1]);
    case 'leave':
      return leave(next[1]);
    case 'openVoting':
      return openVoting(next[1]);
    case 'ballot': {
      const [, itemId, villagerId, choice, channel] = next;
      return ballot(villagerId, choice, { itemId, channel, ballotId: `b${index}` });
    }
    case 'countersign':
      return countersign(next[1]);
    case 'close':
      return closeVoting(next[1]);
  }
}

/** Applies each command to the state so far; a refused one records nothing. */
function run({ quorumBasis, votesMayChangeBeforeClose, steps }: Sitting) {
  const events: MeetingEvent[] = history(
    convene('VILLAGERS_ASSEMBLY', { quorumBasis, votesMayChangeBeforeClose, agenda: AGENDA }),
    open(ROLL),
  );
  let state = events.reduce(meetingDecider.evolve, meetingDecider.initialState());
  steps.forEach((next, index) => {
    try {
      for (const event of meetingDecider.decide(commandOf(next, index), state)) {
        events.push(event);
        state = meetingDecider.evolve(state, event);
      }
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
    }
  });
  return { events, state, quorumBasis, votesMayChangeBeforeClose };
}

/** What the events before `end` say: who was present, and each member's last ballot on `itemId`. */
function replay(events: readonly MeetingEvent[], end: number, itemId: string) {
  const present = new Set<string>();
  const lastBallot = new Map<string, BallotCast['data']>();
  for (const event of events.slice(0, end)) {
    if (event.type === 'MemberCheckedIn') present.add(event.data.villagerId);
    if (event.type === 'MemberLeft') present.delete(event.data.villagerId);
    if (event.type === 'BallotCast' && event.data.itemId === itemId) {
      lastBallot.set(event.data.villagerId, event.data);
    }
  }
  return { present, lastBallot };
}

const decisions = (events: readonly MeetingEvent[]) =>
  events.flatMap((event, index) =>
    event.type === 'ItemDecided' ? [{ decision: event.data, index }] : [],
  ) as { decision: ItemDecided['data']; index: number }[];

const NUM_RUNS = 200;

describe('meeting properties', () => {
  it('the outcome depends only on the ballots recorded before voting closed', () => {
    const outcomes = new Set<string>();
    fc.assert(
      fc.property(sitting, (setup) => {
        const { events, state, quorumBasis } = run(setup);
        for (const { decision, index } of decisions(events)) {
          outcomes.add(decision.outcome);
          const closedAt = index - 1;
          expect(events[closedAt]).toMatchObject({
            type: 'VotingClosed',
            data: { itemId: decision.itemId },
          });
          const { present, lastBallot } = replay(events, closedAt, decision.itemId);
          const counted = [...lastBallot.values()];
          const count = (choice: Choice) => counted.filter((b) => b.choice === choice).length;
          expect(decision.tally).toMatchObject({
            for: count('FOR'),
            against: count('AGAINST'),
            abstain: count('ABSTAIN'),
          });
          expect([...decision.countedBallotIds].sort()).toEqual(
            counted.map((b) => b.ballotId).sort(),
          );
          const quorum =
            quorumBasis === 'MEMBERS'
              ? judgeAssemblyQuorum('MEMBERS', present.size, MEMBERS.length)
              : judgeAssemblyQuorum(
                  'HOUSEHOLDS',
                  HOUSEHOLD_REPRESENTATIVES.filter((id) => present.has(id)).length,
                  HOUSEHOLD_REPRESENTATIVES.length,
                );
          const passed = isM3Matter(decision.matter)
            ? judgeLandMatterDecision(count('FOR'), MEMBERS.length).met
            : judgeAssemblyDecision(count('FOR'), decision.tally.attending).met;
          expect(decision.outcome).toBe(!quorum.met ? 'QUORUM_LOST' : passed ? 'PASSED' : 'FAILED');
          // Nothing recorded after the close touches the item, and every later attempt is refused.
          const later = events.slice(closedAt).filter((event) => event.type === 'BallotCast');
          expect(later.filter((event) => event.data.itemId === decision.itemId)).toEqual([]);
          for (const villagerId of PEOPLE) {
            const attempt = ballot(villagerId, 'FOR', {
              itemId: decision.itemId,
              ballotId: 'late',
            });
            expect(() => meetingDecider.decide(attempt, state)).toThrow(
              expect.objectContaining({ code: 'VOTING_CLOSED' }),
            );
          }
        }
      }),
      { numRuns: NUM_RUNS },
    );
    // The property means something only if sittings get as far as every kind of outcome.
    expect([...outcomes].sort()).toEqual(['FAILED', 'PASSED', 'QUORUM_LOST']);
  });

  it('FOR + AGAINST + ABSTAIN + notVoting = attending at close', () => {
    fc.assert(
      fc.property(sitting, (setup) => {
        const { events } = run(setup);
        for (const { decision, index } of decisions(events)) {
          const { tally } = decision;
          expect(tally.for + tally.against + tally.abstain + tally.notVoting).toBe(tally.attending);
          expect(tally.notVoting).toBeGreaterThanOrEqual(0);
          const { present, lastBallot } = replay(events, index - 1, decision.itemId);
          expect(tally.attending).toBe(new Set([...present, ...lastBallot.keys()]).size);
        }
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('no sequence of commands gives one member two counted ballots on an item', () => {
    let changed = 0;
    fc.assert(
      fc.property(sitting, (setup) => {
        const { events, votesMayChangeBeforeClose } = run(setup);
        const present = new Set<string>();
        const latest = new Map<string, string>();
        for (const event of events) {
          if (event.type === 'MemberCheckedIn') present.add(event.data.villagerId);
          if (event.type === 'MemberLeft') present.delete(event.data.villagerId);
          if (event.type !== 'BallotCast') continue;
          const { itemId, villagerId, ballotId, supersedes } = event.data;
          expect(MEMBERS.includes(villagerId) && present.has(villagerId)).toBe(true);
          const key = `${itemId}/${villagerId}`;
          // A second ballot exists only where votes may change, and then it names the one it replaces.
          if (latest.has(key)) {
            expect(votesMayChangeBeforeClose).toBe(true);
            changed += 1;
          }
          expect(supersedes).toBe(latest.get(key));
          latest.set(key, ballotId);
        }
        const voterOf = new Map(
          events.flatMap((event) =>
            event.type === 'BallotCast' ? [[event.data.ballotId, event.data.villagerId]] : [],
          ) as [string, string][],
        );
        for (const { decision } of decisions(events)) {
          const voters = decision.countedBallotIds.map((ballotId) => voterOf.get(ballotId));
          expect(new Set(voters).size).toBe(voters.length);
        }
      }),
      { numRuns: NUM_RUNS },
    );
    // Where votes may change, changes were tried and recorded as superseding ballots.
    expect(changed).toBeGreaterThan(0);
  });
});
