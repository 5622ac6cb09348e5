/**
 * A meeting (stream `meeting-<meetingId>`): a sitting of the villagers' assembly or the
 * representatives' assembly — convened with notice, opened on a frozen roll, attendance, voting
 * item by item, and adjournment. The step where villagers decide (四议两公开, 决议).
 */
import type { Decider } from '../shared/decider';
import { refuse } from '../shared/domain-error';
import { requireInstant } from '../shared/validate';
import { checkIn, leave } from './attendance';
import type { AdjournMeeting, MeetingCommand } from './commands';
import { conveneMeeting, openMeeting } from './convening';
import type { MeetingAdjourned, MeetingEvent } from './events';
import { requireSitting } from './guards';
import { evolveMeeting, initialMeetingState, type MeetingState } from './state';
import { castBallot, closeVoting, countersignPaperBallots, openVoting } from './voting';

export type { MeetingState } from './state';

/**
 * Voting open on an item must be closed first, so every item's outcome is decided. Items never
 * voted on are listed: their proposals remain undecided and may go to another meeting.
 */
function adjournMeeting(
  { meetingId, at }: AdjournMeeting['data'],
  state: MeetingState,
): MeetingAdjourned[] {
  requireInstant(at, 'at');
  const { meeting } = requireSitting(state, meetingId);
  const open = [...state.items].find(([, item]) => item.status === 'OPEN');
  if (open !== undefined) refuse('STEP_OUT_OF_ORDER', `voting on ${open[0]} is still open`);
  const undecidedItemIds = meeting.agenda
    .map((item) => item.itemId)
    .filter((itemId) => !state.items.has(itemId));
  return [{ type: 'MeetingAdjourned', data: { meetingId, undecidedItemIds, at } }];
}

function decide(command: MeetingCommand, state: MeetingState): MeetingEvent[] {
  switch (command.type) {
    case 'ConveneMeeting':
      return conveneMeeting(command.data, state);
    case 'OpenMeeting':
      return openMeeting(command.data, state);
    case 'CheckIn':
      return checkIn(command.data, state);
    case 'Leave':
      return leave(command.data, state);
    case 'OpenVoting':
      return openVoting(command.data, state);
    case 'CastBallot':
      return castBallot(command.data, state);
    case 'CountersignPaperBallots':
      return countersignPaperBallots(command.data, state);
    case 'CloseVoting':
      return closeVoting(command.data, state);
    case 'AdjournMeeting':
      return adjournMeeting(command.data, state);
  }
}

export const meetingDecider: Decider<MeetingCommand, MeetingEvent, MeetingState> = {
  decide,
  evolve: evolveMeeting,
  initialState: initialMeetingState,
};
