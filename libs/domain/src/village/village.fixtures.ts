/**
 * Commands for the village's specifications, and `recorded`, which runs them through the decider so
 * every `given` history is one the decider itself would have produced. Test support only.
 */
import type { Matter } from '../rule-book/vcol-2018';
import { RULE_BOOK_VERSION } from '../rule-book/vcol-2018';
import type { Gender, ItemDecision } from '../shared/vocabulary';
import type {
  ElectCommittee,
  ElectRepresentatives,
  ElectSupervisionCommittee,
  RecordAuthorisation,
  RegisterHousehold,
  RegisterVillage,
  RegisterVillager,
  RemoveVillager,
  VillageCommand,
} from './commands';
import type { VillageEvent } from './events';
import { villageDecider } from './village.decider';

export const VILLAGE = 'xiajiang';
export const AT = '2026-03-01T09:00:00+08:00';
export const LATER = '2026-06-01T09:00:00+08:00';

export function recorded(...commands: readonly VillageCommand[]): VillageEvent[] {
  const events: VillageEvent[] = [];
  let state = villageDecider.initialState();
  for (const command of commands) {
    for (const event of villageDecider.decide(command, state)) {
      events.push(event);
      state = villageDecider.evolve(state, event);
    }
  }
  return events;
}

export const registerVillage = (): RegisterVillage => ({
  type: 'RegisterVillage',
  data: {
    villageId: VILLAGE,
    name: '下姜村',
    township: '枫树岭镇',
    county: '淳安县',
    province: '浙江省',
    at: '2026-01-05T09:00:00+08:00',
  },
});

export const registerHousehold = (householdId: string, at = AT): RegisterHousehold => ({
  type: 'RegisterHousehold',
  data: { villageId: VILLAGE, householdId, name: `${householdId} 户`, at },
});

export const registerVillager = (
  villagerId: string,
  {
    householdId = `h-${villagerId}`,
    gender = 'MALE' as Gender,
    birthDate = '1980-05-01',
    at = AT,
  } = {},
): RegisterVillager => ({
  type: 'RegisterVillager',
  data: {
    villageId: VILLAGE,
    villagerId,
    name: `村民 ${villagerId}`,
    gender,
    birthDate,
    householdId,
    residenceBasis: 'HOUSEHOLD_REGISTRATION',
    at,
  },
});

/** A villager in a household of their own. */
export const neighbour = (villagerId: string, gender: Gender = 'MALE'): VillageCommand[] => [
  registerHousehold(`h-${villagerId}`),
  registerVillager(villagerId, { gender }),
];

/** `count` villagers of one gender, each in a household of their own: ids `${prefix}1`… */
export function neighbours(prefix: string, count: number, gender: Gender = 'MALE') {
  const ids = Array.from({ length: count }, (_, index) => `${prefix}${index + 1}`);
  return { ids, commands: ids.flatMap((id) => neighbour(id, gender)) };
}

export const removeVillager = (
  villagerId: string,
  effectiveDate = '2026-04-01',
  at = LATER,
): RemoveVillager => ({
  type: 'RemoveVillager',
  data: { villageId: VILLAGE, villagerId, reason: 'MOVED_AWAY', effectiveDate, at },
});

export const electRepresentatives = (
  representativeIds: readonly string[],
  at = AT,
): ElectRepresentatives => ({
  type: 'ElectRepresentatives',
  data: { villageId: VILLAGE, representativeIds, at },
});

export const electCommittee = (memberIds: readonly string[], at = AT): ElectCommittee => ({
  type: 'ElectCommittee',
  data: { villageId: VILLAGE, memberIds, at },
});

export const electSupervisionCommittee = (
  memberIds: readonly string[],
  at = AT,
): ElectSupervisionCommittee => ({
  type: 'ElectSupervisionCommittee',
  data: { villageId: VILLAGE, memberIds, at },
});

/** A passed villagers' assembly resolution granting an authorisation, as a meeting records it. */
export const authorisingResolution = (overrides: Partial<ItemDecision> = {}): ItemDecision => ({
  meetingId: 'm-2026-02',
  itemId: 'item-1',
  proposalId: 'p-authorise',
  body: 'VILLAGERS_ASSEMBLY',
  matter: 'AUTHORISATION',
  outcome: 'PASSED',
  tally: { for: 120, against: 30, abstain: 10, notVoting: 0, attending: 160 },
  members: 300,
  judgements: [
    { ruleId: 'A3', met: true, actual: 160, required: 151, of: 300 },
    { ruleId: 'A4', met: true, actual: 120, required: 81, of: 160 },
  ],
  ruleBook: RULE_BOOK_VERSION,
  rules: ['A3', 'A4', 'M2'],
  decidedAt: '2026-02-20T11:00:00+08:00',
  ...overrides,
});

export const recordAuthorisation = (
  overrides: Partial<RecordAuthorisation['data']> = {},
): RecordAuthorisation => ({
  type: 'RecordAuthorisation',
  data: {
    villageId: VILLAGE,
    authorisationId: 'auth-1',
    matters: ['PUBLIC_WORKS', 'COLLECTIVE_INCOME_USE'] satisfies Matter[],
    resolution: authorisingResolution(),
    at: AT,
    ...overrides,
  },
});

/** A command with some of its data replaced, malformed on purpose. */
export const withData = (
  command: VillageCommand,
  change: Record<string, unknown>,
): VillageCommand => ({ ...command, data: { ...command.data, ...change } }) as VillageCommand;
