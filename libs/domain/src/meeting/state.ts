import type {
  AttendanceChannel,
  BallotChannel,
  Body,
  Choice,
  QuorumBasis,
} from '../shared/vocabulary';
import type { AgendaItem } from './commands';
import type { ItemDecided, MeetingEvent } from './events';

export interface Meeting {
  readonly meetingId: string;
  readonly villageId: string;
  readonly body: Body;
  readonly quorumBasis: QuorumBasis;
  readonly scheduledAt: string;
  readonly agenda: readonly AgendaItem[];
  readonly votesMayChangeBeforeClose: boolean;
}

/** The roll as MeetingOpened froze it. */
export interface FrozenRoll {
  readonly meetingDate: string;
  readonly members: ReadonlySet<string>;
  readonly representatives: ReadonlySet<string>;
  readonly households: readonly string[];
  readonly householdRepresentatives: Readonly<Record<string, string>>;
}

export interface Ballot {
  readonly ballotId: string;
  readonly villagerId: string;
  readonly choice: Choice;
  readonly channel: BallotChannel;
  readonly countersigned: boolean;
}

export interface ItemVoting {
  readonly status: 'OPEN' | 'CLOSED';
  /** villagerId → the ballot of theirs that counts (a superseded one is gone from here). */
  readonly ballots: ReadonlyMap<string, Ballot>;
  readonly decision?: ItemDecided['data'];
}

export interface MeetingState {
  readonly meeting?: Meeting;
  /** CONVENED: waiting to open. SITTING: opened, not adjourned. */
  readonly phase?: 'CONVENED' | 'SITTING' | 'ADJOURNED';
  readonly roll?: FrozenRoll;
  /** Members checked in and not since left. */
  readonly present: ReadonlySet<string>;
  /**
   * How each member in `present` checked in: IN_PERSON (recorded by the clerk, in the hall) or
   * ONLINE (the villager's own). Its keys are exactly `present`.
   */
  readonly checkedInVia: ReadonlyMap<string, AttendanceChannel>;
  /**
   * Members who checked in and have since left, by how they last checked in. A member is in
   * `checkedInVia` or here, never both; one who never checked in is in neither.
   */
  readonly departedVia: ReadonlyMap<string, AttendanceChannel>;
  /** Items whose voting has opened, by itemId; an agenda item not here has not been voted on. */
  readonly items: ReadonlyMap<string, ItemVoting>;
  /** Every ballot id used in the meeting, superseded ones included: ids are never reused. */
  readonly ballotIds: ReadonlySet<string>;
}

export const initialMeetingState = (): MeetingState => ({
  present: new Set(),
  checkedInVia: new Map(),
  departedVia: new Map(),
  items: new Map(),
  ballotIds: new Set(),
});

function withItem(
  state: MeetingState,
  itemId: string,
  change: (item: ItemVoting) => ItemVoting,
): MeetingState {
  const item = state.items.get(itemId) ?? { status: 'OPEN', ballots: new Map() };
  return { ...state, items: new Map(state.items).set(itemId, change(item)) };
}

export function evolveMeeting(state: MeetingState, event: MeetingEvent): MeetingState {
  switch (event.type) {
    case 'MeetingConvened': {
      const { meetingId, villageId, body, quorumBasis, scheduledAt, agenda } = event.data;
      const { votesMayChangeBeforeClose } = event.data;
      return {
        ...state,
        phase: 'CONVENED',
        meeting: {
          meetingId,
          villageId,
          body,
          quorumBasis,
          scheduledAt,
          agenda,
          votesMayChangeBeforeClose,
        },
      };
    }
    case 'MeetingOpened': {
      const { meetingDate, members, representatives, households, householdRepresentatives } =
        event.data;
      return {
        ...state,
        phase: 'SITTING',
        roll: {
          meetingDate,
          members: new Set(members),
          representatives: new Set(representatives),
          households,
          householdRepresentatives,
        },
      };
    }
    case 'MemberCheckedIn': {
      const { villagerId, channel } = event.data;
      const departedVia = new Map(state.departedVia);
      departedVia.delete(villagerId);
      return {
        ...state,
        present: new Set(state.present).add(villagerId),
        checkedInVia: new Map(state.checkedInVia).set(villagerId, channel),
        departedVia,
      };
    }
    case 'MemberLeft': {
      const { villagerId } = event.data;
      const present = new Set(state.present);
      present.delete(villagerId);
      const checkedInVia = new Map(state.checkedInVia);
      const channel = checkedInVia.get(villagerId);
      checkedInVia.delete(villagerId);
      const departedVia =
        channel === undefined
          ? state.departedVia
          : new Map(state.departedVia).set(villagerId, channel);
      return { ...state, present, checkedInVia, departedVia };
    }
    case 'VotingOpened':
      return withItem(state, event.data.itemId, (item) => item);
    case 'BallotCast': {
      const { itemId, ballotId, villagerId, choice, channel } = event.data;
      const ballot: Ballot = { ballotId, villagerId, choice, channel, countersigned: false };
      return {
        ...withItem(state, itemId, (item) => ({
          ...item,
          ballots: new Map(item.ballots).set(villagerId, ballot),
        })),
        ballotIds: new Set(state.ballotIds).add(ballotId),
      };
    }
    case 'PaperBallotsCountersigned': {
      const signed = new Set(event.data.ballotIds);
      return withItem(state, event.data.itemId, (item) => ({
        ...item,
        ballots: new Map(
          [...item.ballots].map(([villagerId, ballot]) => [
            villagerId,
            signed.has(ballot.ballotId) ? { ...ballot, countersigned: true } : ballot,
          ]),
        ),
      }));
    }
    case 'VotingClosed':
      return withItem(state, event.data.itemId, (item) => ({ ...item, status: 'CLOSED' }));
    case 'ItemDecided':
      return withItem(state, event.data.itemId, (item) => ({ ...item, decision: event.data }));
    case 'MeetingAdjourned':
      return { ...state, phase: 'ADJOURNED' };
  }
}
