import type { Judgement, Matter, RuleId, VillagePractice } from '../rule-book/vcol-2018';
import type { DomainEvent } from '../shared/decider';
import type { Gender, ItemDecision } from '../shared/vocabulary';

/** Why a villager is on the village's roll: 户籍, a year's residence, or another ground. */
export const RESIDENCE_BASES = ['HOUSEHOLD_REGISTRATION', 'RESIDENT_ONE_YEAR', 'OTHER'] as const;
export type ResidenceBasis = (typeof RESIDENCE_BASES)[number];

export const REMOVAL_REASONS = ['MOVED_AWAY', 'DECEASED'] as const;
export type RemovalReason = (typeof REMOVAL_REASONS)[number];

export type VillageRegistered = DomainEvent<
  'VillageRegistered',
  {
    readonly villageId: string;
    readonly name: string;
    readonly township: string;
    readonly county: string;
    readonly province: string;
    readonly at: string;
  }
>;

export type HouseholdRegistered = DomainEvent<
  'HouseholdRegistered',
  {
    readonly villageId: string;
    readonly householdId: string;
    readonly name: string;
    readonly at: string;
  }
>;

export type VillagerRegistered = DomainEvent<
  'VillagerRegistered',
  {
    readonly villageId: string;
    readonly villagerId: string;
    readonly name: string;
    readonly gender: Gender;
    readonly birthDate: string;
    readonly householdId: string;
    readonly residenceBasis: ResidenceBasis;
    readonly at: string;
  }
>;

export type VillagerRemoved = DomainEvent<
  'VillagerRemoved',
  {
    readonly villageId: string;
    readonly villagerId: string;
    readonly reason: RemovalReason;
    readonly effectiveDate: string;
    readonly at: string;
  }
>;

export type HouseholdRepresentativeDesignated = DomainEvent<
  'HouseholdRepresentativeDesignated',
  {
    readonly villageId: string;
    readonly householdId: string;
    readonly villagerId: string;
    readonly at: string;
  }
>;

export type RepresentativesElected = DomainEvent<
  'RepresentativesElected',
  {
    readonly villageId: string;
    readonly representativeIds: readonly string[];
    /** R1 over the assembly this election makes: representatives' share, then women's. */
    readonly judgements: readonly Judgement[];
    /** R2 and the like: recorded for the villagers to see, never a refusal. Omitted when none. */
    readonly warnings?: readonly string[];
    readonly ruleBook: string;
    readonly rules: readonly RuleId[];
    readonly at: string;
  }
>;

export type CommitteeElected = DomainEvent<
  'CommitteeElected',
  {
    readonly villageId: string;
    readonly memberIds: readonly string[];
    /** R1 over the representatives' assembly as the new committee changes it. */
    readonly judgements: readonly Judgement[];
    /** P4: supervision members who now share a household with a committee member. */
    readonly warnings?: readonly string[];
    readonly ruleBook: string;
    readonly rules: readonly RuleId[];
    readonly at: string;
  }
>;

export type SupervisionCommitteeElected = DomainEvent<
  'SupervisionCommitteeElected',
  {
    readonly villageId: string;
    readonly memberIds: readonly string[];
    readonly ruleBook: string;
    readonly rules: readonly RuleId[];
    readonly at: string;
  }
>;

export type AuthorisationRecorded = DomainEvent<
  'AuthorisationRecorded',
  {
    readonly villageId: string;
    readonly authorisationId: string;
    readonly matters: readonly Matter[];
    /** The whole resolution, so the record shows why the authorisation was lawful. */
    readonly resolution: ItemDecision;
    readonly expiresAt?: string;
    readonly ruleBook: string;
    readonly rules: readonly RuleId[];
    readonly at: string;
  }
>;

export type AuthorisationRevoked = DomainEvent<
  'AuthorisationRevoked',
  {
    readonly villageId: string;
    readonly authorisationId: string;
    readonly resolution: ItemDecision;
    readonly ruleBook: string;
    readonly rules: readonly RuleId[];
    readonly at: string;
  }
>;

/** The whole practice as it stands from now on; until the first, DEFAULT_PRACTICE applies. */
export type PracticeSet = DomainEvent<
  'PracticeSet',
  {
    readonly villageId: string;
    readonly practice: VillagePractice;
    readonly ruleBook: string;
    readonly at: string;
  }
>;

export type VillageEvent =
  | VillageRegistered
  | PracticeSet
  | HouseholdRegistered
  | VillagerRegistered
  | VillagerRemoved
  | HouseholdRepresentativeDesignated
  | RepresentativesElected
  | CommitteeElected
  | SupervisionCommitteeElected
  | AuthorisationRecorded
  | AuthorisationRevoked;
