import { DEFAULT_PRACTICE, type Matter, type VillagePractice } from '../rule-book/vcol-2018';
import { dateOf } from '../shared/time';
import type { Gender, ItemDecision } from '../shared/vocabulary';
import type { RemovalReason, ResidenceBasis, VillageEvent } from './events';

export interface VillageProfile {
  readonly villageId: string;
  readonly name: string;
  readonly township: string;
  readonly county: string;
  readonly province: string;
  readonly registeredAt: string;
}

export interface Removal {
  readonly reason: RemovalReason;
  readonly effectiveDate: string;
  readonly recordedAt: string;
}

/** A removed villager stays here, marked: the roll of an earlier date still shows them. */
export interface Villager {
  readonly villagerId: string;
  readonly name: string;
  readonly gender: Gender;
  readonly birthDate: string;
  readonly householdId: string;
  readonly residenceBasis: ResidenceBasis;
  /** The day they went on the roll: a roll of an earlier day does not show them. */
  readonly registeredOn: string;
  readonly removal?: Removal;
}

export interface Designation {
  readonly villagerId: string;
  readonly since: string;
}

export interface Household {
  readonly householdId: string;
  readonly name: string;
  /** Every designation, oldest first: a roll of a past day names who represented it then. */
  readonly designations: readonly Designation[];
}

export interface Revocation {
  readonly resolution: ItemDecision;
  readonly recordedAt: string;
}

export interface Authorisation {
  readonly authorisationId: string;
  readonly matters: readonly Matter[];
  readonly resolution: ItemDecision;
  readonly expiresAt?: string;
  readonly recordedAt: string;
  readonly revocation?: Revocation;
}

/** Maps keep registration order, which the roll is listed in. */
export interface VillageState {
  readonly village?: VillageProfile;
  readonly households: ReadonlyMap<string, Household>;
  readonly villagers: ReadonlyMap<string, Villager>;
  readonly representativeIds: readonly string[];
  readonly committeeIds: readonly string[];
  readonly supervisionIds: readonly string[];
  readonly authorisations: ReadonlyMap<string, Authorisation>;
  /** The village's practice values: what other aggregates' commands are given. */
  readonly practice: VillagePractice;
}

export function initialVillageState(): VillageState {
  return {
    households: new Map(),
    villagers: new Map(),
    representativeIds: [],
    committeeIds: [],
    supervisionIds: [],
    authorisations: new Map(),
    practice: DEFAULT_PRACTICE,
  };
}

const withEntry = <V>(map: ReadonlyMap<string, V>, key: string, value: V): Map<string, V> =>
  new Map(map).set(key, value);

function updated<V>(map: ReadonlyMap<string, V>, key: string, change: (value: V) => V) {
  const value = map.get(key);
  return value === undefined ? map : withEntry(map, key, change(value));
}

export function evolveVillage(state: VillageState, event: VillageEvent): VillageState {
  switch (event.type) {
    case 'PracticeSet':
      return { ...state, practice: event.data.practice };
    case 'VillageRegistered': {
      const { villageId, name, township, county, province, at } = event.data;
      return {
        ...state,
        village: { villageId, name, township, county, province, registeredAt: at },
      };
    }
    case 'HouseholdRegistered': {
      const { householdId, name } = event.data;
      return {
        ...state,
        households: withEntry(state.households, householdId, {
          householdId,
          name,
          designations: [],
        }),
      };
    }
    case 'VillagerRegistered': {
      const { villagerId, name, gender, birthDate, householdId, residenceBasis, at } = event.data;
      return {
        ...state,
        villagers: withEntry(state.villagers, villagerId, {
          villagerId,
          name,
          gender,
          birthDate,
          householdId,
          residenceBasis,
          registeredOn: dateOf(at),
        }),
      };
    }
    case 'VillagerRemoved': {
      const { villagerId, reason, effectiveDate, at } = event.data;
      const removal = { reason, effectiveDate, recordedAt: at };
      return {
        ...state,
        villagers: updated(state.villagers, villagerId, (villager) => ({ ...villager, removal })),
      };
    }
    case 'HouseholdRepresentativeDesignated': {
      const designation = { villagerId: event.data.villagerId, since: dateOf(event.data.at) };
      return {
        ...state,
        households: updated(state.households, event.data.householdId, (household) => ({
          ...household,
          designations: [...household.designations, designation],
        })),
      };
    }
    case 'RepresentativesElected':
      return { ...state, representativeIds: event.data.representativeIds };
    case 'CommitteeElected':
      return { ...state, committeeIds: event.data.memberIds };
    case 'SupervisionCommitteeElected':
      return { ...state, supervisionIds: event.data.memberIds };
    case 'AuthorisationRecorded': {
      const { authorisationId, matters, resolution, expiresAt, at } = event.data;
      return {
        ...state,
        authorisations: withEntry(state.authorisations, authorisationId, {
          authorisationId,
          matters,
          resolution,
          ...(expiresAt === undefined ? {} : { expiresAt }),
          recordedAt: at,
        }),
      };
    }
    case 'AuthorisationRevoked': {
      const revocation = { resolution: event.data.resolution, recordedAt: event.data.at };
      return {
        ...state,
        authorisations: updated(state.authorisations, event.data.authorisationId, (granted) => ({
          ...granted,
          revocation,
        })),
      };
    }
  }
}
