/** Checks against the meeting's state that more than one command makes. */
import { refuse } from '../shared/domain-error';
import type { AgendaItem } from './commands';
import type { FrozenRoll, ItemVoting, Meeting, MeetingState } from './state';

export function requireMeeting(state: MeetingState, meetingId: string): Meeting {
  if (state.meeting?.meetingId !== meetingId) {
    refuse('NOT_FOUND', `meeting ${meetingId} has not been convened`);
  }
  return state.meeting;
}

/** Attendance and voting happen only between opening and adjournment. */
export function requireSitting(
  state: MeetingState,
  meetingId: string,
): { meeting: Meeting; roll: FrozenRoll } {
  const meeting = requireMeeting(state, meetingId);
  if (state.phase !== 'SITTING' || state.roll === undefined) {
    refuse(
      'MEETING_NOT_OPEN',
      state.phase === 'ADJOURNED'
        ? `meeting ${meetingId} is adjourned`
        : `meeting ${meetingId} has not opened`,
    );
  }
  return { meeting, roll: state.roll };
}

export function requireAgendaItem(meeting: Meeting, itemId: string): AgendaItem {
  const item = meeting.agenda.find((candidate) => candidate.itemId === itemId);
  if (item === undefined) refuse('NOT_ON_AGENDA', `${itemId} is not on the agenda`);
  return item;
}

export function requireVotingOpen(state: MeetingState, itemId: string): ItemVoting {
  const item = state.items.get(itemId);
  if (item === undefined) refuse('VOTING_NOT_OPEN', `voting on ${itemId} has not opened`);
  if (item.status === 'CLOSED') refuse('VOTING_CLOSED', `voting on ${itemId} has closed`);
  return item;
}

/** On the roll frozen at opening: nothing read later can add or remove anyone. */
export function requireMember(roll: FrozenRoll, villagerId: string): void {
  if (!roll.members.has(villagerId)) {
    refuse('NOT_ON_ROLL', `${villagerId} is not on this meeting's frozen roll`);
  }
}
