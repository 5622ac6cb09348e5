import { specification } from '../testing/given-when-then';
import type { VillageCommand } from './commands';
import { villageDecider } from './village.decider';
import {
  AT,
  LATER,
  neighbour,
  recorded,
  registerHousehold,
  registerVillage,
  registerVillager,
  removeVillager,
  VILLAGE,
  withData,
} from './village.fixtures';

const village = specification(villageDecider);
const registered = () => recorded(registerVillage());

describe('registering a village', () => {
  it('records the village with its township, county and province', () => {
    village
      .given([])
      .when(registerVillage())
      .then([{ type: 'VillageRegistered', data: registerVillage().data }]);
  });

  it('refuses to register the village twice', () => {
    village.given(registered()).when(registerVillage()).thenRefuses('ALREADY_EXISTS');
  });

  it.each(['name', 'township', 'county', 'province'] as const)('refuses an empty %s', (field) => {
    village
      .given([])
      .when(withData(registerVillage(), { [field]: ' ' }))
      .thenRefuses('INVALID_INPUT');
  });

  it('refuses an instant without an offset', () => {
    village
      .given([])
      .when(withData(registerVillage(), { at: '2026-01-05 09:00' }))
      .thenRefuses('INVALID_INPUT');
  });

  it('refuses any other command on a stream with no village', () => {
    village.given([]).when(registerHousehold('h1')).thenRefuses('NOT_FOUND');
  });
});

describe('registering a household', () => {
  it('records the household', () => {
    village
      .given(registered())
      .when(registerHousehold('h1'))
      .then([
        {
          type: 'HouseholdRegistered',
          data: { villageId: VILLAGE, householdId: 'h1', name: 'h1 户', at: AT },
        },
      ]);
  });

  it('refuses a household registered twice', () => {
    village
      .given(recorded(registerVillage(), registerHousehold('h1')))
      .when(registerHousehold('h1'))
      .thenRefuses('ALREADY_EXISTS');
  });

  it('refuses a household of another village', () => {
    village
      .given(registered())
      .when(withData(registerHousehold('h1'), { villageId: 'elsewhere' }))
      .thenRefuses('NOT_FOUND');
  });
});

describe('registering a villager', () => {
  const withHousehold = () => recorded(registerVillage(), registerHousehold('h1'));
  const register = (change: Record<string, unknown>) =>
    withData(registerVillager('a', { householdId: 'h1' }), change);

  it('records the villager with gender, birth date, household and residence basis', () => {
    village
      .given(withHousehold())
      .when(registerVillager('a', { householdId: 'h1', gender: 'FEMALE' }))
      .then([
        {
          type: 'VillagerRegistered',
          data: {
            villageId: VILLAGE,
            villagerId: 'a',
            name: '村民 a',
            gender: 'FEMALE',
            birthDate: '1980-05-01',
            householdId: 'h1',
            residenceBasis: 'HOUSEHOLD_REGISTRATION',
            at: AT,
          },
        },
      ]);
  });

  it('refuses a household that is not registered', () => {
    village
      .given(withHousehold())
      .when(registerVillager('a', { householdId: 'h2' }))
      .thenRefuses('HOUSEHOLD_NOT_FOUND');
  });

  it('refuses a villager id already on record', () => {
    village
      .given(recorded(registerVillage(), registerHousehold('h1'), register({})))
      .when(register({ name: '另一人' }))
      .thenRefuses('ALREADY_EXISTS');
  });

  it('refuses to reuse the id of a removed villager', () => {
    village
      .given(recorded(registerVillage(), ...neighbour('a'), removeVillager('a')))
      .when(registerVillager('a'))
      .thenRefuses('ALREADY_EXISTS');
  });

  it.each([
    ['an unknown gender', { gender: 'OTHER' }],
    ['an unknown residence basis', { residenceBasis: 'VISITOR' }],
    ['a birth date that is not a calendar date', { birthDate: '1980-02-30' }],
    ['a birth date in another format', { birthDate: '01/05/1980' }],
    ['an empty name', { name: '' }],
    ['an empty id', { villagerId: '' }],
  ])('refuses %s', (_, change) => {
    village.given(withHousehold()).when(register(change)).thenRefuses('INVALID_INPUT');
  });

  it('refuses a birth date after the day of registration, and takes one on that day', () => {
    village
      .given(withHousehold())
      .when(register({ birthDate: '2026-03-02' }))
      .thenRefuses('INVALID_INPUT');
    village
      .given(withHousehold())
      .when(register({ birthDate: '2026-03-01' }))
      .thenMatches([{ type: 'VillagerRegistered' }]);
  });
});

describe('removing a villager', () => {
  const withA = () => recorded(registerVillage(), ...neighbour('a'));

  it('records the reason and the date they left the roll', () => {
    village
      .given(withA())
      .when({
        type: 'RemoveVillager',
        data: {
          villageId: VILLAGE,
          villagerId: 'a',
          reason: 'DECEASED',
          effectiveDate: '2026-05-30',
          at: LATER,
        },
      })
      .then([
        {
          type: 'VillagerRemoved',
          data: {
            villageId: VILLAGE,
            villagerId: 'a',
            reason: 'DECEASED',
            effectiveDate: '2026-05-30',
            at: LATER,
          },
        },
      ]);
  });

  it('refuses to remove a villager twice', () => {
    village
      .given(recorded(registerVillage(), ...neighbour('a'), removeVillager('a')))
      .when(removeVillager('a'))
      .thenRefuses('VILLAGER_NOT_ON_ROLL');
  });

  it('refuses a villager who was never on the roll', () => {
    village.given(withA()).when(removeVillager('b')).thenRefuses('VILLAGER_NOT_ON_ROLL');
  });

  it('refuses a removal dated after the day it is recorded', () => {
    village
      .given(withA())
      .when(removeVillager('a', '2026-06-02', LATER))
      .thenRefuses('INVALID_INPUT');
  });

  it('refuses a removal dated before the villager was born', () => {
    village.given(withA()).when(removeVillager('a', '1979-12-31')).thenRefuses('INVALID_INPUT');
  });

  it('refuses an unknown reason', () => {
    village
      .given(withA())
      .when(withData(removeVillager('a'), { reason: 'EXPELLED' }))
      .thenRefuses('INVALID_INPUT');
  });
});

describe('designating a household representative', () => {
  const family: VillageCommand[] = [
    registerVillage(),
    registerHousehold('h1'),
    registerHousehold('h2'),
    registerVillager('a', { householdId: 'h1' }),
    registerVillager('b', { householdId: 'h1', gender: 'FEMALE' }),
    registerVillager('c', { householdId: 'h2' }),
  ];
  const designate = (householdId: string, villagerId: string): VillageCommand => ({
    type: 'DesignateHouseholdRepresentative',
    data: { villageId: VILLAGE, householdId, villagerId, at: AT },
  });

  it('records a villager of the household as its representative', () => {
    village
      .given(recorded(...family))
      .when(designate('h1', 'b'))
      .then([
        {
          type: 'HouseholdRepresentativeDesignated',
          data: { villageId: VILLAGE, householdId: 'h1', villagerId: 'b', at: AT },
        },
      ]);
  });

  it('lets another villager of the household take over', () => {
    village
      .given(recorded(...family, designate('h1', 'a')))
      .when(designate('h1', 'b'))
      .then([
        {
          type: 'HouseholdRepresentativeDesignated',
          data: { villageId: VILLAGE, householdId: 'h1', villagerId: 'b', at: AT },
        },
      ]);
  });

  it('refuses a villager of another household', () => {
    village
      .given(recorded(...family))
      .when(designate('h1', 'c'))
      .thenRefuses('VILLAGER_NOT_ON_ROLL');
  });

  it('refuses a removed villager', () => {
    village
      .given(recorded(...family, removeVillager('a', '2026-03-01', AT)))
      .when(designate('h1', 'a'))
      .thenRefuses('VILLAGER_NOT_ON_ROLL');
  });

  it('refuses a household that is not registered', () => {
    village
      .given(recorded(...family))
      .when(designate('h9', 'a'))
      .thenRefuses('HOUSEHOLD_NOT_FOUND');
  });

  it('refuses to designate the representative the household already has', () => {
    village
      .given(recorded(...family, designate('h1', 'a')))
      .when(designate('h1', 'a'))
      .thenRefuses('ALREADY_EXISTS');
  });
});
