import type { Judgement, RuleId } from '../rule-book/vcol-2018';
import type { DomainEvent } from '../shared/decider';
import type {
  AttendanceChannel,
  BallotChannel,
  Body,
  Choice,
  ItemDecision,
  QuorumBasis,
} from '../shared/vocabulary';
import type { AgendaItem, ConvenedBy } from './commands';

export type MeetingConvened = DomainEvent<
  'MeetingConvened',
  {
    readonly meetingId: string;
    readonly villageId: string;
    readonly body: Body;
    readonly quorumBasis: QuorumBasis;
    readonly scheduledAt: string;
    readonly noticeAt: string;
    readonly agenda: readonly AgendaItem[];
    readonly convenedBy: ConvenedBy;
    readonly votesMayChangeBeforeClose: boolean;
    /** A2's notice judgement for the villagers' assembly; none for the representatives'. */
    readonly judgements: readonly Judgement[];
    readonly ruleBook: string;
    readonly rules: readonly RuleId[];
    readonly at: string;
  }
>;

/**
 * The roll frozen at opening: every quorum, threshold and ballot of the meeting is judged against
 * these ids and nothing else (DOMAIN.md, "What the system must never allow").
 */
export type MeetingOpened = DomainEvent<
  'MeetingOpened',
  {
    readonly meetingId: string;
    /** YYYY-MM-DD: the day ages are reckoned on (A1). */
    readonly meetingDate: string;
    /** Villagers' assembly: villagers 18 or over that day (A1). Representatives': its seats. */
    readonly members: readonly string[];
    /** Representatives' assembly: the seats held by representatives (M3 counts them). Else empty. */
    readonly representatives: readonly string[];
    /** Villagers' assembly: every household on the roll (A3). Empty for the representatives'. */
    readonly households: readonly string[];
    /** householdId → its representative that day, where it had one. */
    readonly householdRepresentatives: Readonly<Record<string, string>>;
    /** R1's two judgements for the representatives' assembly; none for the villagers'. */
    readonly judgements: readonly Judgement[];
    readonly ruleBook: string;
    readonly rules: readonly RuleId[];
    readonly at: string;
  }
>;

export type MemberCheckedIn = DomainEvent<
  'MemberCheckedIn',
  {
    readonly meetingId: string;
    readonly villagerId: string;
    readonly channel: AttendanceChannel;
    readonly at: string;
  }
>;

export type MemberLeft = DomainEvent<
  'MemberLeft',
  { readonly meetingId: string; readonly villagerId: string; readonly at: string }
>;

export type VotingOpened = DomainEvent<
  'VotingOpened',
  {
    readonly meetingId: string;
    readonly itemId: string;
    /** A3 or R4 on those present when voting opened. */
    readonly quorum: Judgement;
    readonly ruleBook: string;
    readonly rules: readonly RuleId[];
    readonly at: string;
  }
>;

/**
 * One ballot. Where the meeting lets votes change before close, a later ballot by the same member
 * on the same item names the one it `supersedes`; only the latest of such a chain is counted.
 */
export type BallotCast = DomainEvent<
  'BallotCast',
  {
    readonly meetingId: string;
    readonly itemId: string;
    readonly ballotId: string;
    readonly villagerId: string;
    readonly choice: Choice;
    readonly channel: BallotChannel;
    readonly enteredBy?: string;
    readonly supersedes?: string;
    readonly at: string;
  }
>;

export type PaperBallotsCountersigned = DomainEvent<
  'PaperBallotsCountersigned',
  {
    readonly meetingId: string;
    readonly itemId: string;
    readonly supervisorId: string;
    readonly ballotIds: readonly string[];
    readonly at: string;
  }
>;

export type VotingClosed = DomainEvent<
  'VotingClosed',
  { readonly meetingId: string; readonly itemId: string; readonly at: string }
>;

/** The item's decision, and the ballots it was counted from (so anyone can check a receipt). */
export type ItemDecided = DomainEvent<
  'ItemDecided',
  ItemDecision & { readonly countedBallotIds: readonly string[] }
>;

export type MeetingAdjourned = DomainEvent<
  'MeetingAdjourned',
  {
    readonly meetingId: string;
    /** Agenda items never voted on: their proposals are still undecided. */
    readonly undecidedItemIds: readonly string[];
    readonly at: string;
  }
>;

export type MeetingEvent =
  | MeetingConvened
  | MeetingOpened
  | MemberCheckedIn
  | MemberLeft
  | VotingOpened
  | BallotCast
  | PaperBallotsCountersigned
  | VotingClosed
  | ItemDecided
  | MeetingAdjourned;
