import type { Judgement, PetitionPurpose, RuleId } from '../rule-book/vcol-2018';
import type { DomainEvent } from '../shared/decider';

export type Signatories = 'VILLAGERS' | 'REPRESENTATIVES';

/** What the committee must do once a petition has its signatures. */
export type Duty =
  | 'CONVENE_VILLAGERS_ASSEMBLY'
  | 'CONVENE_REPRESENTATIVES_ASSEMBLY'
  | 'HOLD_RECALL_VOTE'
  | 'ARRANGE_AUDIT'
  | 'TABLE_ITEM';

/** E5: a recall names the committee member and says why. */
export interface RecallDemand {
  readonly memberId: string;
  readonly reasons: string;
}

export type PetitionStarted = DomainEvent<
  'PetitionStarted',
  {
    readonly petitionId: string;
    readonly villageId: string;
    readonly purpose: PetitionPurpose;
    readonly signatories: Signatories;
    readonly subject: string;
    /** Only for a RECALL petition. */
    readonly recall?: RecallDemand;
    /** Who may sign, frozen from the roll at the start: the threshold is counted against them. */
    readonly eligible: readonly string[];
    readonly threshold: { readonly ruleId: RuleId; readonly required: number; readonly of: number };
    readonly startedBy: string;
    readonly ruleBook: string;
    readonly rules: readonly RuleId[];
    readonly at: string;
  }
>;

export type PetitionSigned = DomainEvent<
  'PetitionSigned',
  {
    readonly petitionId: string;
    readonly villagerId: string;
    /** Signatures standing once this one is counted. */
    readonly signatures: number;
    readonly at: string;
  }
>;

export type SignatureWithdrawn = DomainEvent<
  'SignatureWithdrawn',
  {
    readonly petitionId: string;
    readonly villagerId: string;
    /** Signatures standing once this one is taken off. */
    readonly signatures: number;
    readonly at: string;
  }
>;

/** The petition binds the committee from `dueSince`: the law says it "shall" act (应当). */
export type PetitionThresholdReached = DomainEvent<
  'PetitionThresholdReached',
  {
    readonly petitionId: string;
    readonly villageId: string;
    readonly purpose: PetitionPurpose;
    readonly duty: Duty;
    readonly dueSince: string;
    /** The rule that puts the duty on the committee. */
    readonly ruleId: RuleId;
    readonly judgements: readonly Judgement[];
    readonly ruleBook: string;
    readonly rules: readonly RuleId[];
    readonly at: string;
  }
>;

export type PetitionClosed = DomainEvent<
  'PetitionClosed',
  {
    readonly petitionId: string;
    readonly reason: string;
    readonly signatures: number;
    readonly thresholdReached: boolean;
    readonly at: string;
  }
>;

export type PetitionEvent =
  | PetitionStarted
  | PetitionSigned
  | SignatureWithdrawn
  | PetitionThresholdReached
  | PetitionClosed;
