/** Attendance on the frozen roll: in person (recorded by the clerk) or online (the villager's own). */
import { refuse } from '../shared/domain-error';
import { requireInstant, requireOneOf, requireText } from '../shared/validate';
import type { CheckIn, Leave } from './commands';
import type { MemberCheckedIn, MemberLeft } from './events';
import { requireMember, requireSitting } from './guards';
import type { MeetingState } from './state';

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
