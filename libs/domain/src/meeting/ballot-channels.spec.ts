/**
 * Ballot channels (DOMAIN.md, "What the system must never allow": a clerk casting a ballot, or any
 * role changing an outcome). A PAPER ballot is what a member in the hall hands the clerk, who
 * enters it; an ONLINE ballot is the villager's own. So the clerk enters paper ballots only for
 * members present in person, and never one that replaces a ballot the villager cast online.
 */
import fc from 'fast-check';
import { DomainError } from '../shared/domain-error';
import type { AttendanceChannel, BallotChannel, Choice } from '../shared/vocabulary';
import { specification } from '../testing/given-when-then';
import type { MeetingCommand } from './commands';
import type { MeetingEvent } from './events';
import { meetingDecider } from './meeting.decider';
import {
  adults,
  ballot,
  checkIn,
  checkIns,
  closeVoting,
  convene,
  history,
  ids,
  leave,
  open,
  openVoting,
} from './meeting.fixtures';

const meeting = specification(meetingDecider);
const five = adults(5);
const paper = (villagerId: string, choice: Choice = 'AGAINST', ballotId = 'paper') =>
  ballot(villagerId, choice, { channel: 'PAPER', ballotId });

/** Voting open on item-1 with v1–v3 in the hall and v4 checked in online, then `more`. */
const withOnlineV4 =
  (votesMayChangeBeforeClose: boolean) =>
  (...more: MeetingCommand[]) =>
    history(
      convene('VILLAGERS_ASSEMBLY', { votesMayChangeBeforeClose }),
      open(five),
      checkIns(ids(3)),
      checkIn('v4', 'ONLINE'),
      openVoting(),
      ...more,
    );
const byDefault = withOnlineV4(false);
const changeable = withOnlineV4(true);

describe('a paper ballot is for a member present in person', () => {
  it('records a paper ballot for a member the clerk checked in in person', () => {
    meeting
      .given(byDefault())
      .when(paper('v1'))
      .thenMatches([{ type: 'BallotCast', data: { villagerId: 'v1', channel: 'PAPER' } }]);
  });

  it('never: a paper ballot for a member who checked in online (WRONG_CHANNEL)', () => {
    meeting.given(byDefault()).when(paper('v4')).thenRefuses('WRONG_CHANNEL');
    meeting.given(changeable()).when(paper('v4')).thenRefuses('WRONG_CHANNEL');
  });

  it('never: a paper ballot for a member whose latest check-in was online, though they were once in the hall (WRONG_CHANNEL)', () => {
    meeting
      .given(byDefault(leave('v1'), checkIn('v1', 'ONLINE')))
      .when(paper('v1'))
      .thenRefuses('WRONG_CHANNEL');
  });

  it('never: a paper ballot for a member who has left the hall (NOT_CHECKED_IN)', () => {
    meeting
      .given(byDefault(leave('v1')))
      .when(paper('v1'))
      .thenRefuses('NOT_CHECKED_IN');
  });

  it('still takes an online ballot from a member in the hall (a phone in the hall)', () => {
    meeting
      .given(byDefault())
      .when(ballot('v1', 'FOR'))
      .thenMatches([{ data: { villagerId: 'v1', channel: 'ONLINE' } }]);
  });
});

describe('a paper ballot never replaces an online one', () => {
  it('never: a paper ballot superseding an online ballot, even where votes may change (ALREADY_VOTED)', () => {
    // v1 is in the hall and voted from their phone; the clerk may not enter paper over it.
    meeting
      .given(changeable(ballot('v1', 'FOR')))
      .when(paper('v1'))
      .thenRefuses('ALREADY_VOTED');
  });

  it('never: a paper ballot after an online one under the default practice (ALREADY_VOTED)', () => {
    meeting
      .given(byDefault(ballot('v1', 'FOR')))
      .when(paper('v1'))
      .thenRefuses('ALREADY_VOTED');
  });

  it('never: a paper ballot for an online voter who left and came to the hall (ALREADY_VOTED)', () => {
    // Checked in in person, voted online, left, recorded in person again: the online vote stands.
    meeting
      .given(changeable(ballot('v1', 'FOR'), leave('v1'), checkIn('v1', 'IN_PERSON')))
      .when(paper('v1'))
      .thenRefuses('ALREADY_VOTED');
  });

  it("lets an online ballot supersede the villager's own earlier online ballot where votes may change", () => {
    meeting
      .given(changeable(ballot('v4', 'FOR')))
      .when(ballot('v4', 'AGAINST', { ballotId: 'second' }))
      .thenMatches([
        { data: { ballotId: 'second', channel: 'ONLINE', supersedes: 'ballot-item-1-v4' } },
      ]);
  });

  it("lets a paper ballot supersede the member's earlier paper ballot where votes may change", () => {
    meeting
      .given(changeable(paper('v1', 'FOR', 'first')))
      .when(paper('v1', 'AGAINST', 'second'))
      .thenMatches([{ data: { ballotId: 'second', channel: 'PAPER', supersedes: 'first' } }]);
  });
});

describe('an online voter is not turned into a paper one mid-vote', () => {
  it('never: the clerk recording an online voter in person while the vote is open (WRONG_CHANNEL)', () => {
    // The review's repro: v4 checks in online and votes FOR; the clerk records v4 leaving and then
    // present in person, to enter a paper ballot AGAINST.
    meeting
      .given(changeable(ballot('v4', 'FOR'), leave('v4')))
      .when(checkIn('v4', 'IN_PERSON'))
      .thenRefuses('WRONG_CHANNEL');
    meeting
      .given(byDefault(ballot('v4', 'FOR'), leave('v4')))
      .when(checkIn('v4', 'IN_PERSON'))
      .thenRefuses('WRONG_CHANNEL');
  });

  it('counts the online ballot when the repro is tried in full', () => {
    const { events } = attempt(
      convene('VILLAGERS_ASSEMBLY', { votesMayChangeBeforeClose: true }),
      open(five),
      checkIns(ids(3)),
      checkIn('v4', 'ONLINE'),
      openVoting(),
      ballot('v4', 'FOR', { ballotId: 'online' }),
      leave('v4'),
      checkIn('v4', 'IN_PERSON'),
      paper('v4'),
      closeVoting(),
    );
    expect(events.filter((event) => event.type === 'BallotCast')).toHaveLength(1);
    expect(events.at(-1)).toMatchObject({
      type: 'ItemDecided',
      data: { countedBallotIds: ['online'], tally: { for: 1, against: 0 } },
    });
  });

  it('lets the online voter who left check in online again', () => {
    meeting
      .given(byDefault(ballot('v4', 'FOR'), leave('v4')))
      .when(checkIn('v4', 'ONLINE'))
      .thenMatches([{ type: 'MemberCheckedIn', data: { villagerId: 'v4', channel: 'ONLINE' } }]);
  });

  it('lets them be checked in in person once that vote has closed, and vote on paper on the next item', () => {
    const closed = byDefault(ballot('v4', 'FOR'), leave('v4'), closeVoting());
    meeting
      .given(closed)
      .when(checkIn('v4', 'IN_PERSON'))
      .thenMatches([{ data: { villagerId: 'v4', channel: 'IN_PERSON' } }]);
    meeting
      .given([...closed, ...continuing(closed, checkIn('v4', 'IN_PERSON'), openVoting('item-2'))])
      .when(ballot('v4', 'AGAINST', { itemId: 'item-2', channel: 'PAPER' }))
      .thenMatches([{ data: { itemId: 'item-2', villagerId: 'v4', channel: 'PAPER' } }]);
  });

  it('lets an online attendee who has not voted on the open item come to the hall', () => {
    meeting
      .given(byDefault(leave('v4')))
      .when(checkIn('v4', 'IN_PERSON'))
      .thenMatches([{ data: { villagerId: 'v4', channel: 'IN_PERSON' } }]);
  });

  it('lets a member who checked in in person and voted from their phone come back in person', () => {
    meeting
      .given(byDefault(ballot('v1', 'FOR'), leave('v1')))
      .when(checkIn('v1', 'IN_PERSON'))
      .thenMatches([{ data: { villagerId: 'v1', channel: 'IN_PERSON' } }]);
  });
});

/** The events `commands` record after `given` (which the decider recorded). */
function continuing(given: readonly MeetingEvent[], ...commands: readonly MeetingCommand[]) {
  let state = given.reduce(meetingDecider.evolve, meetingDecider.initialState());
  return commands.flatMap((command) => {
    const events = meetingDecider.decide(command, state);
    state = events.reduce(meetingDecider.evolve, state);
    return events;
  });
}

/** Applies each command to the state so far; a refused one records nothing (as a handler would). */
function attempt(...commands: readonly (MeetingCommand | readonly MeetingCommand[])[]) {
  const events: MeetingEvent[] = [];
  let state = meetingDecider.initialState();
  const refused: { command: MeetingCommand; code: string }[] = [];
  for (const command of commands.flat()) {
    try {
      for (const event of meetingDecider.decide(command, state)) {
        events.push(event);
        state = meetingDecider.evolve(state, event);
      }
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      refused.push({ command, code: error.code });
    }
  }
  return { events, refused };
}

describe('ballot channels, over random sittings', () => {
  const people = ids(5);
  type Step =
    | readonly ['checkIn', string, AttendanceChannel]
    | readonly ['leave', string]
    | readonly ['ballot', string, BallotChannel];
  const step: fc.Arbitrary<Step> = fc.oneof(
    fc.tuple(
      fc.constant('checkIn' as const),
      fc.constantFrom(...people),
      fc.constantFrom<AttendanceChannel>('ONLINE', 'IN_PERSON'),
    ),
    fc.tuple(fc.constant('leave' as const), fc.constantFrom(...people)),
    fc.tuple(
      fc.constant('ballot' as const),
      fc.constantFrom(...people),
      fc.constantFrom<BallotChannel>('ONLINE', 'PAPER'),
    ),
  );
  const commandOf = (next: Step, index: number): MeetingCommand => {
    switch (next[0]) {
      case 'checkIn':
        return checkIn(next[1], next[2]);
      case 'leave':
        return leave(next[1]);
      case 'ballot':
        return ballot(next[1], 'FOR', { channel: next[2], ballotId: `b${index}` });
    }
  };

  it('never: a paper ballot but from a member present in person, nor one replacing an online ballot', () => {
    let paperRecorded = 0;
    let paperRefusedOffline = 0;
    let paperRefusedOverOnline = 0;
    fc.assert(
      fc.property(fc.boolean(), fc.array(step, { maxLength: 40 }), (mayChange, steps) => {
        const { events, refused } = attempt(
          convene('VILLAGERS_ASSEMBLY', { votesMayChangeBeforeClose: mayChange }),
          open(five),
          checkIns(ids(3)),
          openVoting(),
          steps.map(commandOf),
        );
        for (const { command, code } of refused) {
          if (command.type !== 'CastBallot' || command.data.channel !== 'PAPER') continue;
          if (code === 'WRONG_CHANNEL') paperRefusedOffline += 1;
          // Where votes may change, only an online ballot already cast stops a paper one so.
          if (code === 'ALREADY_VOTED' && mayChange) paperRefusedOverOnline += 1;
        }
        const checkedInVia = new Map<string, AttendanceChannel>();
        const ballots = new Map<string, BallotChannel>();
        for (const event of events) {
          if (event.type === 'MemberCheckedIn') {
            checkedInVia.set(event.data.villagerId, event.data.channel);
          }
          if (event.type === 'MemberLeft') checkedInVia.delete(event.data.villagerId);
          if (event.type !== 'BallotCast') continue;
          const { villagerId, channel, supersedes } = event.data;
          if (channel === 'PAPER') {
            paperRecorded += 1;
            expect(checkedInVia.get(villagerId)).toBe('IN_PERSON');
            if (supersedes !== undefined) expect(ballots.get(supersedes)).toBe('PAPER');
          }
          ballots.set(event.data.ballotId, channel);
        }
      }),
      {
        numRuns: 200,
        // Each counted case, always tried, so the counts below cannot miss one on an unlucky
        // seed (paper over online went untried about once in 15 runs of 200); examples count in numRuns.
        examples: [
          [false, [['ballot', people[1], 'PAPER']]],
          [
            false,
            [
              ['checkIn', people[3], 'ONLINE'],
              ['ballot', people[3], 'PAPER'],
            ],
          ],
          [
            true,
            [
              ['ballot', people[0], 'ONLINE'],
              ['ballot', people[0], 'PAPER'],
            ],
          ],
        ],
      },
    );
    // The property means something only if paper ballots were recorded, and refused for each reason.
    expect(paperRecorded).toBeGreaterThan(0);
    expect(paperRefusedOffline).toBeGreaterThan(0);
    expect(paperRefusedOverOnline).toBeGreaterThan(0);
  });
});
