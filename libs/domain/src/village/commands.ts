import type { Matter, VillagePractice } from '../rule-book/vcol-2018';
import type { Command } from '../shared/decider';
import type { Gender, ItemDecision } from '../shared/vocabulary';
import type { RemovalReason, ResidenceBasis } from './events';

/** Every command carries the instant it was given (`at`) and the ids of what it creates. */

export type RegisterVillage = Command<
  'RegisterVillage',
  {
    readonly villageId: string;
    readonly name: string;
    readonly township: string;
    readonly county: string;
    readonly province: string;
    readonly at: string;
  }
>;

export type RegisterHousehold = Command<
  'RegisterHousehold',
  {
    readonly villageId: string;
    readonly householdId: string;
    /** 户名: how the household register names it, usually after its head. */
    readonly name: string;
    readonly at: string;
  }
>;

export type RegisterVillager = Command<
  'RegisterVillager',
  {
    readonly villageId: string;
    readonly villagerId: string;
    readonly name: string;
    readonly gender: Gender;
    /** YYYY-MM-DD, not after the day of `at`. */
    readonly birthDate: string;
    readonly householdId: string;
    readonly residenceBasis: ResidenceBasis;
    readonly at: string;
  }
>;

export type RemoveVillager = Command<
  'RemoveVillager',
  {
    readonly villageId: string;
    readonly villagerId: string;
    readonly reason: RemovalReason;
    /** YYYY-MM-DD: the first day they are no longer on the roll; not after the day of `at`. */
    readonly effectiveDate: string;
    readonly at: string;
  }
>;

export type DesignateHouseholdRepresentative = Command<
  'DesignateHouseholdRepresentative',
  {
    readonly villageId: string;
    readonly householdId: string;
    readonly villagerId: string;
    readonly at: string;
  }
>;

export type ElectRepresentatives = Command<
  'ElectRepresentatives',
  {
    readonly villageId: string;
    /** The whole new set of representatives: it replaces the previous one. */
    readonly representativeIds: readonly string[];
    readonly at: string;
  }
>;

export type ElectCommittee = Command<
  'ElectCommittee',
  {
    readonly villageId: string;
    /** The whole new committee: it replaces the previous one. */
    readonly memberIds: readonly string[];
    readonly at: string;
  }
>;

export type ElectSupervisionCommittee = Command<
  'ElectSupervisionCommittee',
  {
    readonly villageId: string;
    /** The whole new supervision committee: it replaces the previous one. */
    readonly memberIds: readonly string[];
    readonly at: string;
  }
>;

export type RecordAuthorisation = Command<
  'RecordAuthorisation',
  {
    readonly villageId: string;
    readonly authorisationId: string;
    /** The M1 matters the representatives' assembly may now decide. */
    readonly matters: readonly Matter[];
    /** The villagers' assembly resolution that grants it (M2), as the meeting recorded it. */
    readonly resolution: ItemDecision;
    /** An instant after `at`; without it the authorisation lasts until revoked. */
    readonly expiresAt?: string;
    readonly at: string;
  }
>;

export type RevokeAuthorisation = Command<
  'RevokeAuthorisation',
  {
    readonly villageId: string;
    readonly authorisationId: string;
    /** Only the villagers' assembly that grants an authorisation can take it back. */
    readonly resolution: ItemDecision;
    readonly at: string;
  }
>;

/** The practice values the village sets for itself (rule book: VillagePractice, F1, F2, E4, P2). */
export type SetPractice = Command<
  'SetPractice',
  { readonly villageId: string; readonly practice: VillagePractice; readonly at: string }
>;

export type VillageCommand =
  | RegisterVillage
  | SetPractice
  | RegisterHousehold
  | RegisterVillager
  | RemoveVillager
  | DesignateHouseholdRepresentative
  | ElectRepresentatives
  | ElectCommittee
  | ElectSupervisionCommittee
  | RecordAuthorisation
  | RevokeAuthorisation;
