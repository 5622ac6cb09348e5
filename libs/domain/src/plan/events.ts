import type { Judgement, RuleId } from '../rule-book/vcol-2018';
import type { DomainEvent } from '../shared/decider';
import type { ItemDecision } from '../shared/vocabulary';

/** The county's "1+4" planning system: the county master plan and the four village plans. */
export const PLAN_KINDS = [
  'COUNTY_MASTER',
  'VILLAGE_LAYOUT',
  'CENTRAL_VILLAGE_CONSTRUCTION',
  'LAND_CONSOLIDATION',
  'HISTORIC_VILLAGE_PROTECTION',
] as const;
export type PlanKind = (typeof PLAN_KINDS)[number];

export type PlanDrafted = DomainEvent<
  'PlanDrafted',
  {
    readonly planId: string;
    readonly villageId: string;
    readonly kind: PlanKind;
    readonly title: string;
    readonly at: string;
  }
>;

export type PlanVersionProposed = DomainEvent<
  'PlanVersionProposed',
  {
    readonly planId: string;
    readonly version: number;
    /** SHA-256 of the plan document, 64 lowercase hex digits: the text the villagers consent to. */
    readonly documentSha256: string;
    readonly summary: string;
    /** The approved version this one would amend. Omitted for the first blueprint. */
    readonly amends?: number;
    /** The unapproved version this one takes the place of. Omitted when there was none. */
    readonly replaces?: number;
    readonly at: string;
  }
>;

export type PlanDraftAnnounced = DomainEvent<
  'PlanDraftAnnounced',
  {
    readonly planId: string;
    readonly version: number;
    /** When the draft went up for the public: M4's 30 days run from here. */
    readonly announcedAt: string;
    readonly at: string;
  }
>;

export type PlanConsentRecorded = DomainEvent<
  'PlanConsentRecorded',
  {
    readonly planId: string;
    readonly version: number;
    /** The whole resolution, so the record shows why the consent was lawful. */
    readonly decision: ItemDecision;
    /** M4's public notice, from the announcement to the decision. */
    readonly judgements: readonly Judgement[];
    readonly ruleBook: string;
    readonly rules: readonly RuleId[];
    readonly at: string;
  }
>;

export type PlanVersionSubmitted = DomainEvent<
  'PlanVersionSubmitted',
  {
    readonly planId: string;
    readonly version: number;
    /** The authority the plan goes to for approval, by name. */
    readonly submittedTo: string;
    readonly ruleBook: string;
    readonly rules: readonly RuleId[];
    readonly at: string;
  }
>;

/** The approved version becomes the blueprint in force; an earlier one is superseded, never edited. */
export type PlanVersionApproved = DomainEvent<
  'PlanVersionApproved',
  {
    readonly planId: string;
    readonly version: number;
    readonly authority: string;
    readonly approvedAt: string;
    /** The blueprint this one replaces. Omitted for the first. */
    readonly supersedes?: number;
    readonly ruleBook: string;
    readonly rules: readonly RuleId[];
    readonly at: string;
  }
>;

export type PlanEvent =
  | PlanDrafted
  | PlanVersionProposed
  | PlanDraftAnnounced
  | PlanConsentRecorded
  | PlanVersionSubmitted
  | PlanVersionApproved;
