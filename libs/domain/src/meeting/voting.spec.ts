import { specification } from '../testing/given-when-then';
import type { MeetingCommand } from './commands';
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
  MEETING_ID,
  minutesIn,
  open,
  openAssembly,
  openVoting,
  sitting,
  voting,
} from './meeting.fixtures';

const meeting = specification(meetingDecider);
const hundred = adults(100);

describe('opening voting on an item needs a quorum', () => {
  it('A3: 50 of 100 members is not a quorum', () => {
    meeting
      .given(sitting(hundred, ids(50)))
      .when(openVoting())
      .thenRefuses('QUORUM_NOT_MET', 'A3');
  });

  it('A3: 51 of 100 members is a quorum', () => {
    meeting
      .given(sitting(hundred, ids(51)))
      .when(openVoting())
      .then([
        {
          type: 'VotingOpened',
          data: {
            meetingId: MEETING_ID,
            itemId: 'item-1',
            quorum: { ruleId: 'A3', met: true, actual: 51, required: 51, of: 100 },
            ruleBook: 'VCOL-2018',
            rules: ['A3'],
            at: minutesIn(10),
          },
        },
      ]);
  });

  describe('on households', () => {
    // 30 households of two; each represented by its first member, v1, v3, v5, …
    const roll = adults(60, 2);
    const representatives = ids(60).filter((_, index) => index % 2 === 0);
    const others = ids(60).filter((_, index) => index % 2 === 1);
    const onHouseholds = (present: readonly string[]) =>
      history(
        convene('VILLAGERS_ASSEMBLY', { quorumBasis: 'HOUSEHOLDS' }),
        open(roll),
        checkIns(present),
      );

    it('A3: on households, exactly 2/3 of households is a quorum', () => {
      expect(
        meeting
          .given(onHouseholds(representatives.slice(0, 20)))
          .when(openVoting())
          .events(),
      ).toMatchObject([
        { data: { quorum: { ruleId: 'A3', met: true, actual: 20, required: 20, of: 30 } } },
      ]);
    });

    it('A3: on households, one household fewer than 2/3 is not a quorum, however many others come', () => {
      meeting
        .given(onHouseholds([...representatives.slice(0, 19), ...others]))
        .when(openVoting())
        .thenRefuses('QUORUM_NOT_MET', 'A3');
    });
  });

  describe("the representatives' assembly", () => {
    const seated = (present: number) =>
      history(
        convene('REPRESENTATIVES_ASSEMBLY'),
        openAssembly(30, { women: 10 }),
        checkIns(ids(present, 'r')),
      );

    it('R4: exactly 2/3 of its members is a quorum', () => {
      expect(meeting.given(seated(20)).when(openVoting()).events()).toMatchObject([
        { data: { quorum: { ruleId: 'R4', met: true, actual: 20, required: 20, of: 30 } } },
      ]);
    });

    it('R4: one fewer than 2/3 of its members is not a quorum', () => {
      meeting.given(seated(19)).when(openVoting()).thenRefuses('QUORUM_NOT_MET', 'R4');
    });
  });

  it('A3: members who left are not present for the quorum', () => {
    meeting
      .given(history(convene(), open(hundred), checkIns(ids(51)), leave('v1')))
      .when(openVoting())
      .thenRefuses('QUORUM_NOT_MET', 'A3');
  });

  it('refuses an item that is not on the agenda', () => {
    meeting
      .given(sitting(hundred, ids(51)))
      .when(openVoting('item-9'))
      .thenRefuses('NOT_ON_AGENDA');
  });

  it('votes on one item at a time', () => {
    meeting
      .given(voting(hundred, ids(51)))
      .when(openVoting('item-2'))
      .thenRefuses('STEP_OUT_OF_ORDER');
  });

  it('does not reopen an item whose voting has closed', () => {
    meeting
      .given(voting(hundred, ids(51), closeVoting()))
      .when(openVoting())
      .thenRefuses('VOTING_CLOSED');
  });
});

describe('ballots', () => {
  const five = adults(5);

  it('records a ballot from a checked-in member of the frozen roll', () => {
    meeting
      .given(voting(five, ids(4)))
      .when(ballot('v1', 'FOR'))
      .then([
        {
          type: 'BallotCast',
          data: {
            meetingId: MEETING_ID,
            itemId: 'item-1',
            ballotId: 'ballot-item-1-v1',
            villagerId: 'v1',
            choice: 'FOR',
            channel: 'ONLINE',
            at: minutesIn(15),
          },
        },
      ]);
  });

  it('refuses a ballot from someone not on the frozen roll: NOT_ON_ROLL', () => {
    meeting
      .given(voting(five, ids(4)))
      .when(ballot('stranger', 'FOR'))
      .thenRefuses('NOT_ON_ROLL');
  });

  it('refuses a ballot from a member not checked in: NOT_CHECKED_IN', () => {
    meeting
      .given(voting(five, ids(4)))
      .when(ballot('v5', 'FOR'))
      .thenRefuses('NOT_CHECKED_IN');
  });

  it('refuses a ballot from a member who has left: NOT_CHECKED_IN', () => {
    meeting
      .given(voting(five, ids(4), leave('v1')))
      .when(ballot('v1', 'FOR'))
      .thenRefuses('NOT_CHECKED_IN');
  });

  it('refuses a second ballot on the same item: ALREADY_VOTED', () => {
    meeting
      .given(voting(five, ids(4), ballot('v1', 'FOR')))
      .when(ballot('v1', 'AGAINST', { ballotId: 'second' }))
      .thenRefuses('ALREADY_VOTED');
  });

  it('refuses a second ballot even after leaving and checking in again: ALREADY_VOTED', () => {
    meeting
      .given(voting(five, ids(4), ballot('v1', 'FOR'), leave('v1'), checkIn('v1')))
      .when(ballot('v1', 'AGAINST', { ballotId: 'second' }))
      .thenRefuses('ALREADY_VOTED');
  });

  it('refuses a ballot before voting opens: VOTING_NOT_OPEN', () => {
    meeting
      .given(sitting(five, ids(4)))
      .when(ballot('v1', 'FOR'))
      .thenRefuses('VOTING_NOT_OPEN');
  });

  it('refuses a ballot after voting closes: VOTING_CLOSED', () => {
    meeting
      .given(voting(five, ids(4), closeVoting()))
      .when(ballot('v1', 'FOR'))
      .thenRefuses('VOTING_CLOSED');
  });

  it('refuses a ballot id already used', () => {
    meeting
      .given(voting(five, ids(4), ballot('v1', 'FOR', { ballotId: 'b' })))
      .when(ballot('v2', 'FOR', { ballotId: 'b' }))
      .thenRefuses('ALREADY_EXISTS');
  });

  it('refuses a choice other than FOR, AGAINST or ABSTAIN', () => {
    meeting
      .given(voting(five, ids(4)))
      .when(ballot('v1', 'MAYBE' as never))
      .thenRefuses('INVALID_INPUT');
  });

  describe('where the village lets votes change before close', () => {
    const changeable = (...more: MeetingCommand[]) =>
      history(
        convene('VILLAGERS_ASSEMBLY', { votesMayChangeBeforeClose: true }),
        open(five),
        checkIns(ids(4)),
        openVoting(),
        ...more,
      );

    it('records the new ballot as superseding the earlier one', () => {
      expect(
        meeting
          .given(changeable(ballot('v1', 'FOR')))
          .when(ballot('v1', 'AGAINST', { ballotId: 'second' }))
          .events(),
      ).toMatchObject([
        { data: { ballotId: 'second', choice: 'AGAINST', supersedes: 'ballot-item-1-v1' } },
      ]);
    });

    it('counts only the latest ballot', () => {
      const [, decided] = meeting
        .given(changeable(ballot('v1', 'FOR'), ballot('v1', 'AGAINST', { ballotId: 'second' })))
        .when(closeVoting())
        .events();
      expect(decided?.data).toMatchObject({
        tally: { for: 0, against: 1, abstain: 0, notVoting: 3, attending: 4 },
        countedBallotIds: ['second'],
      });
    });
  });
});
