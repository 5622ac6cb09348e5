import { specification } from '../testing/given-when-then';
import type { MeetingCommand } from './commands';
import { meetingDecider } from './meeting.decider';
import {
  adults,
  ballots,
  checkIns,
  closeVoting,
  convene,
  history,
  ids,
  leave,
  MEETING_ID,
  minutesIn,
  open,
  openAssembly,
  openVoting,
  voting,
} from './meeting.fixtures';

const meeting = specification(meetingDecider);

/** The ItemDecided data when item `itemId` closes after `history`. */
function decided(events: ReturnType<typeof history>, itemId = 'item-1') {
  const [closed, decision] = meeting.given(events).when(closeVoting(itemId)).events();
  expect(closed?.type).toBe('VotingClosed');
  expect(decision?.type).toBe('ItemDecided');
  return decision?.data as Record<string, unknown>;
}

describe("the villagers' assembly decides by A4", () => {
  // 150 members; 100 of them attend.
  const roll = adults(150);
  const attending = ids(100);

  it('A4: 51 FOR of 100 attending passes', () => {
    meeting
      .given(voting(roll, attending, ...ballots(attending, { for: 51 })))
      .when(closeVoting())
      .then([
        {
          type: 'VotingClosed',
          data: { meetingId: MEETING_ID, itemId: 'item-1', at: minutesIn(30) },
        },
        {
          type: 'ItemDecided',
          data: {
            meetingId: MEETING_ID,
            itemId: 'item-1',
            proposalId: 'proposal-item-1',
            body: 'VILLAGERS_ASSEMBLY',
            matter: 'OTHER',
            outcome: 'PASSED',
            tally: { for: 51, against: 0, abstain: 49, notVoting: 0, attending: 100 },
            members: 150,
            judgements: [
              { ruleId: 'A3', met: true, actual: 100, required: 76, of: 150 },
              { ruleId: 'A4', met: true, actual: 51, required: 51, of: 100 },
            ],
            ruleBook: 'VCOL-2018',
            rules: ['A3', 'A4'],
            decidedAt: minutesIn(30),
            countedBallotIds: attending.map((id) => `ballot-item-1-${id}`),
          },
        },
      ]);
  });

  it('A4: 50 FOR of 100 attending fails', () => {
    expect(
      decided(voting(roll, attending, ...ballots(attending, { for: 50, against: 50 }))),
    ).toMatchObject({
      outcome: 'FAILED',
      tally: { for: 50, against: 50, abstain: 0, notVoting: 0, attending: 100 },
      judgements: [
        { ruleId: 'A3' },
        { ruleId: 'A4', met: false, actual: 50, required: 51, of: 100 },
      ],
    });
  });

  it('A4: abstentions and not voting count against', () => {
    // 50 FOR outnumber 10 AGAINST, but 20 abstain and 20 cast no ballot.
    const cast = ballots(ids(80), { for: 50, against: 10 });
    expect(decided(voting(roll, attending, ...cast))).toMatchObject({
      outcome: 'FAILED',
      tally: { for: 50, against: 10, abstain: 20, notVoting: 20, attending: 100 },
    });
  });

  it('A4: a member who voted and then left still counts, and counts as attending', () => {
    const events = voting(adults(100), ids(60), ...ballots(ids(60), { for: 31 }), leave('v1'));
    expect(decided(events)).toMatchObject({
      outcome: 'PASSED',
      tally: { for: 31, abstain: 29, notVoting: 0, attending: 60 },
      judgements: [
        { ruleId: 'A3', actual: 59 },
        { ruleId: 'A4', actual: 31, of: 60 },
      ],
    });
  });

  it('A3: the item fails with QUORUM_LOST when members leave before close', () => {
    const events = voting(adults(100), ids(51), ...ballots(ids(40), { for: 40 }), leave('v51'));
    expect(decided(events)).toMatchObject({
      outcome: 'QUORUM_LOST',
      tally: { for: 40, notVoting: 10, attending: 50 },
      judgements: [{ ruleId: 'A3', met: false, actual: 50, required: 51, of: 100 }],
      rules: ['A3'],
    });
  });

  it('A3: on households, the item fails with QUORUM_LOST when a household representative leaves', () => {
    const roll60 = adults(60, 2);
    const representatives = ids(60).filter((_, index) => index % 2 === 0);
    const events = history(
      convene('VILLAGERS_ASSEMBLY', { quorumBasis: 'HOUSEHOLDS' }),
      open(roll60),
      checkIns(representatives.slice(0, 20)),
      openVoting(),
      ballots(representatives.slice(0, 20), { for: 20 }),
      leave('v1'),
    );
    expect(decided(events)).toMatchObject({
      outcome: 'QUORUM_LOST',
      judgements: [{ ruleId: 'A3', met: false, actual: 19, required: 20, of: 30 }],
    });
  });
});

describe('M3: land-contracting matters need 2/3 of members, not of attendees', () => {
  const roll = adults(90);
  const landVote = (present: number, inFavour: number) =>
    history(
      convene(),
      open(roll),
      checkIns(ids(present)),
      openVoting('item-2'),
      ballots(ids(present), { for: inFavour }, 'item-2'),
    );

  it('M3: 2/3 of members FOR passes a land-contracting plan even when attendance is only those 2/3', () => {
    expect(decided(landVote(60, 60), 'item-2')).toMatchObject({
      matter: 'LAND_CONTRACTING_PLAN',
      outcome: 'PASSED',
      members: 90,
      judgements: [{ ruleId: 'A3' }, { ruleId: 'M3', met: true, actual: 60, required: 60, of: 90 }],
      rules: ['A3', 'M3'],
    });
  });

  it('M3: one fewer than 2/3 of members FOR fails, even with every attendee FOR', () => {
    expect(decided(landVote(59, 59), 'item-2')).toMatchObject({
      outcome: 'FAILED',
      judgements: [
        { ruleId: 'A3' },
        { ruleId: 'M3', met: false, actual: 59, required: 60, of: 90 },
      ],
    });
  });
});

describe("the representatives' assembly decides by R4", () => {
  const seated = (present: number, ...more: MeetingCommand[][]) =>
    history(
      convene('REPRESENTATIVES_ASSEMBLY'),
      openAssembly(30, { women: 10 }),
      checkIns(ids(present, 'r')),
      ...more,
    );

  it('R4: 11 FOR of 20 attending passes', () => {
    const events = seated(20, [openVoting()], ballots(ids(20, 'r'), { for: 11, against: 9 }));
    expect(decided(events)).toMatchObject({
      body: 'REPRESENTATIVES_ASSEMBLY',
      outcome: 'PASSED',
      members: 30,
      judgements: [
        { ruleId: 'R4', met: true },
        { ruleId: 'R4', met: true, actual: 11, of: 20 },
      ],
      rules: ['R4'],
    });
  });

  it('R4: 10 FOR of 20 attending fails', () => {
    const events = seated(20, [openVoting()], ballots(ids(20, 'r'), { for: 10, against: 10 }));
    expect(decided(events)).toMatchObject({
      outcome: 'FAILED',
      judgements: [{ ruleId: 'R4' }, { ruleId: 'R4', met: false, actual: 10, required: 11 }],
    });
  });

  it('R4: the item fails with QUORUM_LOST when attendance falls below 2/3 of members', () => {
    const events = seated(20, [openVoting()], ballots(ids(20, 'r'), { for: 20 }), [leave('r20')]);
    expect(decided(events)).toMatchObject({
      outcome: 'QUORUM_LOST',
      judgements: [{ ruleId: 'R4', met: false, actual: 19, required: 20, of: 30 }],
    });
  });

  it('M3: 19 FOR of 30 representatives fails a land-contracting plan that R4 alone would pass', () => {
    const events = seated(
      25,
      [openVoting('item-2')],
      ballots(ids(25, 'r'), { for: 19, against: 6 }, 'item-2'),
    );
    expect(decided(events, 'item-2')).toMatchObject({
      outcome: 'FAILED',
      judgements: [
        { ruleId: 'R4' },
        { ruleId: 'M3', met: false, actual: 19, required: 20, of: 30 },
      ],
      rules: ['R4', 'M3'],
    });
  });

  it('M3: 20 FOR of 30 representatives passes a land-contracting plan', () => {
    const events = seated(20, [openVoting('item-2')], ballots(ids(20, 'r'), { for: 20 }, 'item-2'));
    expect(decided(events, 'item-2')).toMatchObject({
      outcome: 'PASSED',
      judgements: [{ ruleId: 'R4' }, { ruleId: 'M3', met: true, actual: 20, required: 20, of: 30 }],
    });
  });

  it("M3: in the representatives' assembly only representatives count — committee members' FOR votes do not", () => {
    // 24 representatives and 6 committee members who are not (r25..r30): 21 FOR is 2/3 of the 30
    // seats, but only 15 of the FOR votes are representatives', short of 2/3 of 24 (16).
    const events = history(
      convene('REPRESENTATIVES_ASSEMBLY'),
      openAssembly(30, { women: 10, committeeOnly: 6 }),
      checkIns(ids(30, 'r')),
      [openVoting('item-2')],
      ballots([...ids(15, 'r'), ...ids(30, 'r').slice(24)], { for: 21 }, 'item-2'),
      ballots(ids(30, 'r').slice(15, 24), { for: 0, against: 9 }, 'item-2'),
    );
    expect(decided(events, 'item-2')).toMatchObject({
      outcome: 'FAILED',
      judgements: [
        { ruleId: 'R4' },
        { ruleId: 'M3', met: false, actual: 15, required: 16, of: 24 },
      ],
    });
  });
});
