import type { Judgement, Matter, RuleId } from '../rule-book/vcol-2018';
import type { DomainEvent } from '../shared/decider';
import type { Body, ItemOutcome, Tally } from '../shared/vocabulary';

/** Who made the proposal (step 1, 提议): the village Party branch, the committee, or a petition. */
export const PROPOSER_KINDS = ['PARTY_BRANCH', 'COMMITTEE', 'PETITION'] as const;
export type Proposer =
  | { readonly kind: 'PARTY_BRANCH' | 'COMMITTEE' }
  | { readonly kind: 'PETITION'; readonly petitionId: string };

/**
 * The sittings before the vote: step 2 (商议), the joint meeting of the Party branch committee and
 * the villagers' committee; step 3 (审议), the Party members' meeting.
 */
export const DELIBERATION_STEPS = ['JOINT_COMMITTEES', 'PARTY_MEMBERS'] as const;
export type DeliberationStep = (typeof DELIBERATION_STEPS)[number];

export interface DeliberationCounts {
  /** Everyone entitled to sit. */
  readonly members: number;
  readonly attending: number;
  readonly agreeing: number;
}

/**
 * M2: what an AUTHORISATION proposal puts to the villagers' assembly — the M1 matters the
 * representatives' assembly may decide once it passes, and until when. The authorisation recorded
 * on the village is read from here, never from the clerk.
 */
export interface AuthorisationSubject {
  readonly matters: readonly Matter[];
  /** Without it, the authorisation lasts until revoked. */
  readonly expiresAt?: string;
}

/**
 * M4: the plan version a PLAN_CONSENT proposal asks the assembly to consent to. The consent
 * recorded on the plan must name this version, whatever the clerk says.
 */
export interface PlanSubject {
  readonly planId: string;
  readonly version: number;
}

/**
 * `authorisation` and `plan` are what the villagers vote on, for the matters that have one
 * (AUTHORISATION, PLAN_CONSENT). Both are optional fields added later: a ProposalDrafted recorded
 * before them simply lacks them, and still folds — such a proposal cannot ground an authorisation
 * or a plan's consent, since it never said what it authorised or consented to.
 */
export type ProposalDrafted = DomainEvent<
  'ProposalDrafted',
  {
    readonly proposalId: string;
    readonly villageId: string;
    readonly title: string;
    readonly body: string;
    readonly matter: Matter;
    readonly proposer: Proposer;
    readonly draftedBy: string;
    /** M2: only on an AUTHORISATION proposal. */
    readonly authorisation?: AuthorisationSubject;
    /** M4: only on a PLAN_CONSENT proposal. */
    readonly plan?: PlanSubject;
    readonly at: string;
  }
>;

/** A sitting of step 2 or 3. One that did not agree may be followed by a new sitting. */
export type DeliberationRecorded = DomainEvent<
  'DeliberationRecorded',
  {
    readonly proposalId: string;
    readonly step: DeliberationStep;
    readonly heldAt: string;
    readonly counts: DeliberationCounts;
    readonly minutesSha256: string;
    readonly agreed: boolean;
    readonly judgements: readonly Judgement[];
    readonly ruleBook: string;
    readonly rules: readonly RuleId[];
    readonly at: string;
  }
>;

export type ProposalTabled = DomainEvent<
  'ProposalTabled',
  {
    readonly proposalId: string;
    readonly meetingId: string;
    readonly itemId: string;
    readonly body: Body;
    /** F1 as the village practises it: false when the vote did not wait for steps 2 and 3. */
    readonly fourDeliberationsRequired: boolean;
    readonly ruleBook: string;
    readonly rules: readonly RuleId[];
    readonly at: string;
  }
>;

/** Step 4, copied from the meeting's decision on the item: the proposal never recounts it. */
export type ProposalResolved = DomainEvent<
  'ProposalResolved',
  {
    readonly proposalId: string;
    readonly meetingId: string;
    readonly itemId: string;
    readonly body: Body;
    readonly outcome: ItemOutcome;
    readonly tally: Tally;
    readonly members: number;
    readonly judgements: readonly Judgement[];
    readonly decidedAt: string;
    readonly ruleBook: string;
    readonly rules: readonly RuleId[];
    readonly at: string;
  }
>;

/** C2: a new passed resolution is what ends a correction order's suspension, nothing else. */
export type ProposalSuspensionLifted = DomainEvent<
  'ProposalSuspensionLifted',
  {
    readonly proposalId: string;
    readonly orderId: string;
    /** The item whose passed resolution lifted it. */
    readonly meetingId: string;
    readonly itemId: string;
    readonly ruleBook: string;
    readonly rules: readonly RuleId[];
    readonly at: string;
  }
>;

export type ResolutionPublished = DomainEvent<
  'ResolutionPublished',
  {
    readonly proposalId: string;
    readonly meetingId: string;
    readonly itemId: string;
    readonly publishedAt: string;
    readonly notice: string;
    /** P2: a major matter is published "at once", within the village's set days. */
    readonly major: boolean;
    readonly dueBy: string;
    /** Lateness is recorded for the supervision committee, not refused: publishing late beats not at all. */
    readonly late: boolean;
    readonly ruleBook: string;
    readonly rules: readonly RuleId[];
    readonly at: string;
  }
>;

export type ImplementationReported = DomainEvent<
  'ImplementationReported',
  {
    readonly proposalId: string;
    /** The resolution being carried out. */
    readonly meetingId: string;
    readonly itemId: string;
    readonly summary: string;
    /** M2: present when a representatives' assembly decided an M1 matter under it. */
    readonly authorisationId?: string;
    readonly ruleBook: string;
    readonly rules: readonly RuleId[];
    readonly at: string;
  }
>;

export type ImplementationResultsPublished = DomainEvent<
  'ImplementationResultsPublished',
  {
    readonly proposalId: string;
    readonly meetingId: string;
    readonly itemId: string;
    readonly publishedAt: string;
    readonly notice: string;
    readonly ruleBook: string;
    readonly rules: readonly RuleId[];
    readonly at: string;
  }
>;

export type ProposalWithdrawn = DomainEvent<
  'ProposalWithdrawn',
  {
    readonly proposalId: string;
    readonly reason: string;
    readonly at: string;
  }
>;

/**
 * C2: the township orders the decision corrected. It carries no outcome and no tally on purpose:
 * the township does not decide in the villagers' place, so the resolution stands as recorded,
 * suspended until the villagers decide again.
 */
export type CorrectionOrdered = DomainEvent<
  'CorrectionOrdered',
  {
    readonly proposalId: string;
    readonly orderId: string;
    readonly auditorId: string;
    readonly legalBasis: string;
    /** The resolution it orders corrected. */
    readonly meetingId: string;
    readonly itemId: string;
    readonly ruleBook: string;
    readonly rules: readonly RuleId[];
    readonly at: string;
  }
>;

export type ProposalEvent =
  | ProposalDrafted
  | DeliberationRecorded
  | ProposalTabled
  | ProposalResolved
  | ProposalSuspensionLifted
  | ResolutionPublished
  | ImplementationReported
  | ImplementationResultsPublished
  | ProposalWithdrawn
  | CorrectionOrdered;
