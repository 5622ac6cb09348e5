import type { Matter } from '../rule-book/vcol-2018';
import type { Command } from '../shared/decider';
import type {
  AttendanceChannel,
  BallotChannel,
  Body,
  Choice,
  Gender,
  QuorumBasis,
} from '../shared/vocabulary';

/** Every command carries the instant it was given (`at`) and the ids of what it creates. */

export interface AgendaItem {
  readonly itemId: string;
  readonly proposalId: string;
  readonly matter: Matter;
  readonly title: string;
}

/**
 * A2 / R3: the committee convenes; a petition obliges it to once enough have signed. The command
 * handler reads the petition and says whether its threshold was reached.
 */
export type ConvenedBy =
  | { readonly kind: 'COMMITTEE' }
  | { readonly kind: 'PETITION'; readonly petitionId: string; readonly thresholdReached: boolean };

export type ConveneMeeting = Command<
  'ConveneMeeting',
  {
    readonly meetingId: string;
    readonly villageId: string;
    readonly body: Body;
    /** HOUSEHOLDS only for the villagers' assembly (A3). */
    readonly quorumBasis: QuorumBasis;
    readonly scheduledAt: string;
    /** When villagers were notified: not after `at`, before `scheduledAt`. */
    readonly noticeAt: string;
    readonly agenda: readonly AgendaItem[];
    readonly convenedBy: ConvenedBy;
    /** The village's practice when the meeting is convened; DEFAULT_PRACTICE's when omitted. */
    readonly votesMayChangeBeforeClose?: boolean;
    readonly at: string;
  }
>;

/** A villager on the village's roll on the meeting date, as the village reports it. */
export interface RollEntry {
  readonly villagerId: string;
  readonly householdId: string;
  readonly birthDate: string;
  readonly gender: Gender;
}

/** A seat of the representatives' assembly: a representative, or a committee member only. */
export interface AssemblySeat {
  readonly villagerId: string;
  readonly gender: Gender;
  readonly representative: boolean;
}

export type OpenMeeting = Command<
  'OpenMeeting',
  {
    readonly meetingId: string;
    /** YYYY-MM-DD: the day the roll snapshot is of; must be the day the meeting opens. */
    readonly rollDate: string;
    readonly villagers: readonly RollEntry[];
    /** householdId → the villager representing that household on the roll date. */
    readonly householdRepresentatives: Readonly<Record<string, string>>;
    /** The representatives' assembly's seats on the roll date: required for that body only. */
    readonly assemblyMembers?: readonly AssemblySeat[];
    readonly at: string;
  }
>;

export type CheckIn = Command<
  'CheckIn',
  {
    readonly meetingId: string;
    readonly villagerId: string;
    /** IN_PERSON: recorded by the clerk. ONLINE: the villager's own check-in. */
    readonly channel: AttendanceChannel;
    readonly at: string;
  }
>;

export type Leave = Command<
  'Leave',
  { readonly meetingId: string; readonly villagerId: string; readonly at: string }
>;

export type OpenVoting = Command<
  'OpenVoting',
  { readonly meetingId: string; readonly itemId: string; readonly at: string }
>;

export type CastBallot = Command<
  'CastBallot',
  {
    readonly meetingId: string;
    readonly itemId: string;
    readonly ballotId: string;
    readonly villagerId: string;
    readonly choice: Choice;
    readonly channel: BallotChannel;
    /** The clerk who entered a PAPER ballot; absent for ONLINE ones, which the villager casts. */
    readonly enteredBy?: string;
    readonly at: string;
  }
>;

export type CountersignPaperBallots = Command<
  'CountersignPaperBallots',
  {
    readonly meetingId: string;
    readonly itemId: string;
    /** A member of the supervision committee: the command handler checks the role. */
    readonly supervisorId: string;
    readonly at: string;
  }
>;

export type CloseVoting = Command<
  'CloseVoting',
  { readonly meetingId: string; readonly itemId: string; readonly at: string }
>;

export type AdjournMeeting = Command<
  'AdjournMeeting',
  { readonly meetingId: string; readonly at: string }
>;

export type MeetingCommand =
  | ConveneMeeting
  | OpenMeeting
  | CheckIn
  | Leave
  | OpenVoting
  | CastBallot
  | CountersignPaperBallots
  | CloseVoting
  | AdjournMeeting;
