import type { Matter, VillagePractice } from '../rule-book/vcol-2018';
import type { Command } from '../shared/decider';
import type { Body, ItemDecision } from '../shared/vocabulary';
import type {
  AuthorisationSubject,
  DeliberationCounts,
  DeliberationStep,
  PlanSubject,
  Proposer,
} from './events';

/**
 * Every command carries the instant it was given (`at`) and the proposal's id. Where a command
 * depends on the village's own practice (F1, F2, P2) it may carry it; without it DEFAULT_PRACTICE
 * applies.
 */

/** Step 1, 提议. */
export type DraftProposal = Command<
  'DraftProposal',
  {
    readonly proposalId: string;
    readonly villageId: string;
    readonly title: string;
    /** The text of the proposal. */
    readonly body: string;
    readonly matter: Matter;
    readonly proposer: Proposer;
    readonly draftedBy: string;
    /**
     * M2: required when `matter` is AUTHORISATION, refused otherwise — the M1 matters it hands to
     * the representatives' assembly (at least one, none twice) and, optionally, until when.
     */
    readonly authorisation?: AuthorisationSubject;
    /** M4: required when `matter` is PLAN_CONSENT, refused otherwise — the plan version voted on. */
    readonly plan?: PlanSubject;
    readonly at: string;
  }
>;

/** Steps 2 (商议) and 3 (审议), as their minutes record them. */
export type RecordDeliberation = Command<
  'RecordDeliberation',
  {
    readonly proposalId: string;
    readonly step: DeliberationStep;
    /** When the sitting was held: not after `at`. */
    readonly heldAt: string;
    readonly counts: DeliberationCounts;
    /** SHA-256 of the signed minutes, 64 hex characters. */
    readonly minutesSha256: string;
    readonly practice?: VillagePractice;
    readonly at: string;
  }
>;

/** Puts the proposal on a meeting's agenda, for step 4 (决议). */
export type TableProposal = Command<
  'TableProposal',
  {
    readonly proposalId: string;
    readonly meetingId: string;
    readonly itemId: string;
    /** The body that will decide it. */
    readonly body: Body;
    /** F1: `fourDeliberationsRequired` says whether steps 2 and 3 must be on record first. */
    readonly practice?: VillagePractice;
    readonly at: string;
  }
>;

/** Step 4, 决议: how the meeting decided the item the proposal was tabled as. */
export type RecordResolution = Command<
  'RecordResolution',
  {
    readonly proposalId: string;
    readonly decision: ItemDecision;
    readonly at: string;
  }
>;

/** Step 5, 决议公开. */
export type PublishResolution = Command<
  'PublishResolution',
  {
    readonly proposalId: string;
    /** When the notice went up: not after `at`, not before the decision. */
    readonly publishedAt: string;
    /** The notice's text, or the hash of the document posted. */
    readonly notice: string;
    /** P2: `majorMatterPublicationDays` sets when a major matter's resolution is due. */
    readonly practice?: VillagePractice;
    readonly at: string;
  }
>;

/**
 * The M2 authorisation a representatives' assembly decided an M1 matter under, as the village
 * records it. `live`: it covered the proposal's matter and was neither expired nor revoked when the
 * resolution was decided.
 */
export interface AuthorisationFact {
  readonly authorisationId: string;
  readonly live: boolean;
}

export type ReportImplementation = Command<
  'ReportImplementation',
  {
    readonly proposalId: string;
    readonly summary: string;
    /** Needed when a representatives' assembly resolved an M1 matter (M2). */
    readonly authorisation?: AuthorisationFact;
    readonly at: string;
  }
>;

/** Step 6, 实施结果公开. */
export type PublishImplementationResults = Command<
  'PublishImplementationResults',
  {
    readonly proposalId: string;
    readonly publishedAt: string;
    readonly notice: string;
    readonly at: string;
  }
>;

export type WithdrawProposal = Command<
  'WithdrawProposal',
  {
    readonly proposalId: string;
    readonly reason: string;
    readonly at: string;
  }
>;

/** C2: the township orders an unlawful decision corrected (责令改正). */
export type OrderCorrection = Command<
  'OrderCorrection',
  {
    readonly proposalId: string;
    readonly orderId: string;
    readonly auditorId: string;
    /** The law or right the decision breaks, in the order's words. */
    readonly legalBasis: string;
    readonly at: string;
  }
>;

export type ProposalCommand =
  | DraftProposal
  | RecordDeliberation
  | TableProposal
  | RecordResolution
  | PublishResolution
  | ReportImplementation
  | PublishImplementationResults
  | WithdrawProposal
  | OrderCorrection;
