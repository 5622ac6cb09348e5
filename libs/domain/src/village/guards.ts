/** Checks against the village's state that more than one command makes. */
import { isOfAge } from '../rule-book/vcol-2018';
import { refuse } from '../shared/domain-error';
import { dateOf } from '../shared/time';
import { isActive } from './roll';
import type { VillageProfile, Villager, VillageState } from './state';

export function requireVillage(state: VillageState, villageId: string): VillageProfile {
  if (state.village?.villageId !== villageId) {
    refuse('NOT_FOUND', `village ${villageId} is not registered`);
  }
  return state.village;
}

export function requireOnRoll(state: VillageState, villagerId: string): Villager {
  const villager = state.villagers.get(villagerId);
  if (!isActive(villager)) refuse('VILLAGER_NOT_ON_ROLL', `${villagerId} is not on the roll`);
  return villager;
}

/**
 * Whoever is elected to an office of the village must be on the roll and, under E1 (the right to
 * stand from 18), of age on the day of the election.
 */
export function requireElectable(
  state: VillageState,
  villagerIds: readonly string[],
  at: string,
): Villager[] {
  return villagerIds.map((villagerId) => {
    const villager = requireOnRoll(state, villagerId);
    if (!isOfAge(villager.birthDate, dateOf(at))) {
      refuse('INVALID_INPUT', `${villagerId} is under 18 and cannot stand`, 'E1');
    }
    return villager;
  });
}
