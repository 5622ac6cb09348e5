import { specification } from '../testing/given-when-then';
import { meetingDecider } from './meeting.decider';
import {
  adults,
  ballot,
  checkIns,
  closeVoting,
  convene,
  countersign,
  history,
  ids,
  MEETING_ID,
  minutesIn,
  open,
  openVoting,
  voting,
} from './meeting.fixtures';

const meeting = specification(meetingDecider);

describe('paper ballots need the supervision committee', () => {
  const five = adults(5);
  const paper = (villagerId: string) => ballot(villagerId, 'FOR', { channel: 'PAPER' });

  it('records the clerk who entered a paper ballot', () => {
    expect(
      meeting
        .given(voting(five, ids(4)))
        .when(paper('v1'))
        .events(),
    ).toMatchObject([{ data: { channel: 'PAPER', enteredBy: 'clerk-1' } }]);
  });

  it('refuses to close while a paper ballot is not countersigned: COUNTERSIGNATURE_REQUIRED', () => {
    meeting
      .given(voting(five, ids(4), paper('v1'), ballot('v2', 'FOR')))
      .when(closeVoting())
      .thenRefuses('COUNTERSIGNATURE_REQUIRED');
  });

  it('records who countersigned which paper ballots, and then closes', () => {
    meeting
      .given(voting(five, ids(4), paper('v1'), ballot('v2', 'FOR'), paper('v3')))
      .when(countersign())
      .then([
        {
          type: 'PaperBallotsCountersigned',
          data: {
            meetingId: MEETING_ID,
            itemId: 'item-1',
            supervisorId: 'supervisor-1',
            ballotIds: ['ballot-item-1-v1', 'ballot-item-1-v3'],
            at: minutesIn(25),
          },
        },
      ]);
    expect(
      meeting
        .given(voting(five, ids(4), paper('v1'), countersign()))
        .when(closeVoting())
        .events(),
    ).toMatchObject([{ type: 'VotingClosed' }, { type: 'ItemDecided' }]);
  });

  it('needs a new countersignature for paper ballots entered after the last one', () => {
    meeting
      .given(voting(five, ids(4), paper('v1'), countersign(), paper('v2')))
      .when(closeVoting())
      .thenRefuses('COUNTERSIGNATURE_REQUIRED');
  });

  it('needs no countersignature for a paper ballot its voter has since replaced', () => {
    const changed = history(
      convene('VILLAGERS_ASSEMBLY', { votesMayChangeBeforeClose: true }),
      open(five),
      checkIns(ids(4)),
      openVoting(),
      paper('v1'),
      ballot('v1', 'AGAINST', { ballotId: 'online' }),
    );
    expect(meeting.given(changed).when(closeVoting()).events()).toMatchObject([
      { type: 'VotingClosed' },
      { data: { countedBallotIds: ['online'] } },
    ]);
  });

  it('has nothing to countersign without paper ballots awaiting it', () => {
    meeting
      .given(voting(five, ids(4), ballot('v1', 'FOR')))
      .when(countersign())
      .thenRefuses('STEP_OUT_OF_ORDER');
  });

  it('refuses a paper ballot without the clerk who entered it, and an online one with', () => {
    const { enteredBy: _, ...unentered } = paper('v1').data as { enteredBy: string };
    meeting
      .given(voting(five, ids(4)))
      .when({ type: 'CastBallot', data: unentered } as never)
      .thenRefuses('INVALID_INPUT');
    meeting
      .given(voting(five, ids(4)))
      .when({
        type: 'CastBallot',
        data: { ...ballot('v1', 'FOR').data, enteredBy: 'clerk-1' },
      } as never)
      .thenRefuses('INVALID_INPUT');
  });
});
