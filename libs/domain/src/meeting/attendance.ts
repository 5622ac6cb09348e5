/** Attendance on the frozen roll: in person (recorded by the clerk) or online (the villager's own). */
import { refuse } from '../shared/domain-error';
import { requireInstant, requireOneOf, requireText } from '../shared/validate';
import type { CheckIn, Leave } from './commands';
import type { MemberCheckedIn, MemberLeft } from './events';
import { requireMember, requireSitting } from './guards';
import type { MeetingState } from './state';

/** The item open for voting on which the member has a ballot cast ONLINE, if there is one. */
function openItemVotedOnline(state: MeetingState, villagerId: string): string | undefined {
  for (const [itemId, item] of state.items) {
    if (item.status === 'OPEN' && item.ballots.get(villagerId)?.channel === 'ONLINE') return itemId;
  }
  return undefined;
}

/**
 * A member who attended online, voted online on the item now open and left is not recorded back
 * IN_PERSON until that vote closes (WRONG_CHANNEL): the clerk may not turn an online voter into a
 * paper one mid-vote. (A paper ballot would not replace the online one anyway — see castBallot —
 * so this keeps the attendance record from even suggesting it.) They may check in online again,
 * and in person once voting on the item has closed.
 */
export function checkIn(
  { meetingId, villagerId, channel, at }: CheckIn['data'],
  state: MeetingState,
): MemberCheckedIn[] {
  requireText(villagerId, 'villagerId');
  requireOneOf(channel, ['ONLINE', 'IN_PERSON'] as const, 'channel');
  requireInstant(at, 'at');
  const { roll } = requireSitting(state, meetingId);
  requireMember(roll, villagerId);
  if (state.present.has(villagerId)) {
    refuse('ALREADY_CHECKED_IN', `${villagerId} is already checked in`);
  }
  if (channel === 'IN_PERSON' && state.departedVia.get(villagerId) === 'ONLINE') {
    const itemId = openItemVotedOnline(state, villagerId);
    if (itemId !== undefined) {
      refuse(
        'WRONG_CHANNEL',
        `${villagerId} checked in and voted online on ${itemId}: not recorded in person while that vote is open`,
      );
    }
  }
  return [{ type: 'MemberCheckedIn', data: { meetingId, villagerId, channel, at } }];
}

/** A member who leaves may check in again; leaving never takes back a ballot already cast. */
export function leave(
  { meetingId, villagerId, at }: Leave['data'],
  state: MeetingState,
): MemberLeft[] {
  requireText(villagerId, 'villagerId');
  requireInstant(at, 'at');
  const { roll } = requireSitting(state, meetingId);
  requireMember(roll, villagerId);
  if (!state.present.has(villagerId)) refuse('NOT_CHECKED_IN', `${villagerId} is not checked in`);
  return [{ type: 'MemberLeft', data: { meetingId, villagerId, at } }];
}
