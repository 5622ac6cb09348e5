/**
 * The village (stream `village-<villageId>`): its households, its roll of villagers, its
 * representatives, committee and supervision committee, and the M2 authorisations its assembly
 * has granted. Other aggregates read it through `roll.ts`.
 */

import { RULE_BOOK_VERSION } from '../rule-book/vcol-2018';
import type { Decider } from '../shared/decider';
import { refuse } from '../shared/domain-error';
import { dateOf } from '../shared/time';
import {
  requireDate,
  requireInstant,
  requireOneOf,
  requirePractice,
  requireText,
} from '../shared/validate';
import { recordAuthorisation, revokeAuthorisation } from './authorisation';
import type {
  DesignateHouseholdRepresentative,
  RegisterHousehold,
  RegisterVillage,
  RegisterVillager,
  RemoveVillager,
  SetPractice,
  VillageCommand,
} from './commands';
import {
  type HouseholdRegistered,
  type HouseholdRepresentativeDesignated,
  type PracticeSet,
  REMOVAL_REASONS,
  RESIDENCE_BASES,
  type VillageEvent,
  type VillageRegistered,
  type VillagerRegistered,
  type VillagerRemoved,
} from './events';
import { requireOnRoll, requireVillage } from './guards';
import { electCommittee, electRepresentatives, electSupervisionCommittee } from './offices';
import { evolveVillage, initialVillageState, type VillageState } from './state';

export type { VillageState } from './state';

const GENDERS = ['FEMALE', 'MALE'] as const;

function registerVillage(
  { villageId, name, township, county, province, at }: RegisterVillage['data'],
  state: VillageState,
): VillageRegistered[] {
  requireText(villageId, 'villageId');
  requireText(name, 'name');
  requireText(township, 'township');
  requireText(county, 'county');
  requireText(province, 'province');
  requireInstant(at, 'at');
  if (state.village !== undefined) {
    refuse('ALREADY_EXISTS', `village ${state.village.villageId} is already registered`);
  }
  return [{ type: 'VillageRegistered', data: { villageId, name, township, county, province, at } }];
}

function setPractice(
  { villageId, practice, at }: SetPractice['data'],
  state: VillageState,
): PracticeSet[] {
  requireInstant(at, 'at');
  requireVillage(state, villageId);
  requirePractice(practice);
  return [{ type: 'PracticeSet', data: { villageId, practice, ruleBook: RULE_BOOK_VERSION, at } }];
}

function registerHousehold(
  { villageId, householdId, name, at }: RegisterHousehold['data'],
  state: VillageState,
): HouseholdRegistered[] {
  requireText(householdId, 'householdId');
  requireText(name, 'name');
  requireInstant(at, 'at');
  requireVillage(state, villageId);
  if (state.households.has(householdId)) {
    refuse('ALREADY_EXISTS', `household ${householdId} is already registered`);
  }
  return [{ type: 'HouseholdRegistered', data: { villageId, householdId, name, at } }];
}

function registerVillager(
  data: RegisterVillager['data'],
  state: VillageState,
): VillagerRegistered[] {
  const { villageId, villagerId, name, gender, birthDate, householdId, residenceBasis, at } = data;
  requireText(villagerId, 'villagerId');
  requireText(name, 'name');
  requireOneOf(gender, GENDERS, 'gender');
  requireDate(birthDate, 'birthDate');
  requireText(householdId, 'householdId');
  requireOneOf(residenceBasis, RESIDENCE_BASES, 'residenceBasis');
  requireInstant(at, 'at');
  if (birthDate > dateOf(at)) refuse('INVALID_INPUT', 'birthDate is after the registration');
  requireVillage(state, villageId);
  if (!state.households.has(householdId)) {
    refuse('HOUSEHOLD_NOT_FOUND', `household ${householdId} is not registered`);
  }
  // A removed villager keeps their id in the history, so it is never reused.
  if (state.villagers.has(villagerId)) {
    refuse('ALREADY_EXISTS', `villager ${villagerId} is already registered`);
  }
  return [
    {
      type: 'VillagerRegistered',
      data: { villageId, villagerId, name, gender, birthDate, householdId, residenceBasis, at },
    },
  ];
}

function removeVillager(
  { villageId, villagerId, reason, effectiveDate, at }: RemoveVillager['data'],
  state: VillageState,
): VillagerRemoved[] {
  requireText(villagerId, 'villagerId');
  requireOneOf(reason, REMOVAL_REASONS, 'reason');
  requireDate(effectiveDate, 'effectiveDate');
  requireInstant(at, 'at');
  // Recording removals only once they have happened keeps "removed" and "off the roll now" one fact.
  if (effectiveDate > dateOf(at)) refuse('INVALID_INPUT', 'effectiveDate is after the record');
  requireVillage(state, villageId);
  const villager = requireOnRoll(state, villagerId);
  if (effectiveDate < villager.birthDate) {
    refuse('INVALID_INPUT', 'effectiveDate is before the villager was born');
  }
  return [{ type: 'VillagerRemoved', data: { villageId, villagerId, reason, effectiveDate, at } }];
}

function designateHouseholdRepresentative(
  { villageId, householdId, villagerId, at }: DesignateHouseholdRepresentative['data'],
  state: VillageState,
): HouseholdRepresentativeDesignated[] {
  requireText(householdId, 'householdId');
  requireText(villagerId, 'villagerId');
  requireInstant(at, 'at');
  requireVillage(state, villageId);
  const household = state.households.get(householdId);
  if (household === undefined) {
    refuse('HOUSEHOLD_NOT_FOUND', `household ${householdId} is not registered`);
  }
  const villager = requireOnRoll(state, villagerId);
  if (villager.householdId !== householdId) {
    refuse('VILLAGER_NOT_ON_ROLL', `${villagerId} is not on the roll of household ${householdId}`);
  }
  if (household.designations.at(-1)?.villagerId === villagerId) {
    refuse('ALREADY_EXISTS', `${villagerId} already represents household ${householdId}`);
  }
  return [
    {
      type: 'HouseholdRepresentativeDesignated',
      data: { villageId, householdId, villagerId, at },
    },
  ];
}

function decide(command: VillageCommand, state: VillageState): VillageEvent[] {
  switch (command.type) {
    case 'RegisterVillage':
      return registerVillage(command.data, state);
    case 'SetPractice':
      return setPractice(command.data, state);
    case 'RegisterHousehold':
      return registerHousehold(command.data, state);
    case 'RegisterVillager':
      return registerVillager(command.data, state);
    case 'RemoveVillager':
      return removeVillager(command.data, state);
    case 'DesignateHouseholdRepresentative':
      return designateHouseholdRepresentative(command.data, state);
    case 'ElectRepresentatives':
      return electRepresentatives(command.data, state);
    case 'ElectCommittee':
      return electCommittee(command.data, state);
    case 'ElectSupervisionCommittee':
      return electSupervisionCommittee(command.data, state);
    case 'RecordAuthorisation':
      return recordAuthorisation(command.data, state);
    case 'RevokeAuthorisation':
      return revokeAuthorisation(command.data, state);
  }
}

export const villageDecider: Decider<VillageCommand, VillageEvent, VillageState> = {
  decide,
  evolve: evolveVillage,
  initialState: initialVillageState,
};
