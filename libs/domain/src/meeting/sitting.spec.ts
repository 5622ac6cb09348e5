import { specification } from '../testing/given-when-then';
import { meetingDecider } from './meeting.decider';
import {
  adjourn,
  adults,
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
const roll = adults(5);
const hundred = adults(100);

describe('attendance', () => {
  it('records a check-in by the clerk in person or by the villager online', () => {
    meeting
      .given(sitting(roll, []))
      .when(checkIn('v1', 'ONLINE'))
      .then([
        {
          type: 'MemberCheckedIn',
          data: { meetingId: MEETING_ID, villagerId: 'v1', channel: 'ONLINE', at: minutesIn(5) },
        },
      ]);
  });

  it('refuses a check-in from someone not on the frozen roll', () => {
    meeting.given(sitting(roll, [])).when(checkIn('stranger')).thenRefuses('NOT_ON_ROLL');
  });

  it("refuses a villager who holds no seat in the representatives' assembly", () => {
    const seated = history(convene('REPRESENTATIVES_ASSEMBLY'), openAssembly(30, { women: 10 }));
    meeting
      .given(seated)
      .when(checkIn('r1'))
      .thenMatches([{ type: 'MemberCheckedIn' }]);
    meeting.given(seated).when(checkIn('v1')).thenRefuses('NOT_ON_ROLL');
  });

  it('refuses a second check-in while present', () => {
    meeting
      .given(sitting(roll, ['v1']))
      .when(checkIn('v1'))
      .thenRefuses('ALREADY_CHECKED_IN');
  });

  it('records a member leaving, who may then check in again', () => {
    meeting
      .given(sitting(roll, ['v1']))
      .when(leave('v1'))
      .then([
        {
          type: 'MemberLeft',
          data: { meetingId: MEETING_ID, villagerId: 'v1', at: minutesIn(20) },
        },
      ]);
    expect(
      meeting
        .given(history(convene(), open(roll), checkIn('v1'), leave('v1')))
        .when(checkIn('v1'))
        .events(),
    ).toMatchObject([{ type: 'MemberCheckedIn' }]);
  });

  it('refuses leaving by someone not checked in', () => {
    meeting.given(sitting(roll, [])).when(leave('v1')).thenRefuses('NOT_CHECKED_IN');
  });

  it('refuses attendance before the meeting opens and after it is adjourned', () => {
    meeting.given(history(convene())).when(checkIn('v1')).thenRefuses('MEETING_NOT_OPEN');
    meeting
      .given(history(convene(), open(roll), adjourn()))
      .when(checkIn('v1'))
      .thenRefuses('MEETING_NOT_OPEN');
  });

  it('refuses attendance at a meeting never convened', () => {
    meeting.given([]).when(checkIn('v1')).thenRefuses('NOT_FOUND');
  });

  it('refuses an unknown attendance channel', () => {
    meeting
      .given(sitting(roll, []))
      .when({ ...checkIn('v1'), data: { ...checkIn('v1').data, channel: 'PIGEON' } } as never)
      .thenRefuses('INVALID_INPUT');
  });
});

describe('adjourning', () => {
  it('refuses while voting on an item is open', () => {
    meeting
      .given(voting(hundred, ids(51)))
      .when(adjourn())
      .thenRefuses('STEP_OUT_OF_ORDER');
  });

  it('lists the items never voted on', () => {
    meeting
      .given(voting(hundred, ids(51), closeVoting()))
      .when(adjourn())
      .then([
        {
          type: 'MeetingAdjourned',
          data: { meetingId: MEETING_ID, undecidedItemIds: ['item-2'], at: minutesIn(60) },
        },
      ]);
  });

  it('allows nothing more after adjournment', () => {
    const adjourned = history(convene(), open(hundred), checkIns(ids(51)), adjourn());
    meeting.given(adjourned).when(openVoting()).thenRefuses('MEETING_NOT_OPEN');
    meeting.given(adjourned).when(adjourn()).thenRefuses('MEETING_NOT_OPEN');
  });
});
