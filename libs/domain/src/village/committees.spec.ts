import { RULE_BOOK_VERSION } from '../rule-book/vcol-2018';
import type { Gender } from '../shared/vocabulary';
import { specification } from '../testing/given-when-then';
import type { VillageCommand } from './commands';
import type { CommitteeElected } from './events';
import { villageDecider } from './village.decider';
import {
  AT,
  electCommittee,
  electSupervisionCommittee,
  neighbour,
  recorded,
  registerHousehold,
  registerVillage,
  registerVillager,
  VILLAGE,
} from './village.fixtures';

const village = specification(villageDecider);

describe('electing the committee', () => {
  const people = (...genders: Gender[]) =>
    genders.flatMap((gender, index) => neighbour(`p${index + 1}`, gender));

  it('records the committee with the R1 judgements of the assembly it makes', () => {
    village
      .given(recorded(registerVillage(), ...people('MALE', 'FEMALE', 'MALE')))
      .when(electCommittee(['p1', 'p2']))
      .then([
        {
          type: 'CommitteeElected',
          data: {
            villageId: VILLAGE,
            memberIds: ['p1', 'p2'],
            judgements: [
              { ruleId: 'R1', met: false, actual: 0, required: 2, of: 2 },
              { ruleId: 'R1', met: false, actual: 0, required: 1, of: 2 },
            ],
            ruleBook: RULE_BOOK_VERSION,
            rules: ['E1', 'P4', 'R1'],
            at: AT,
          },
        },
      ]);
  });

  it('refuses a villager who is not on the roll', () => {
    village
      .given(recorded(registerVillage(), ...people('MALE')))
      .when(electCommittee(['p1', 'p9']))
      .thenRefuses('VILLAGER_NOT_ON_ROLL');
  });

  it('P4: a supervision committee member cannot be elected to the committee', () => {
    village
      .given(
        recorded(registerVillage(), ...people('MALE', 'MALE'), electSupervisionCommittee(['p2'])),
      )
      .when(electCommittee(['p1', 'p2']))
      .thenRefuses('CONFLICT_OF_INTEREST', 'P4');
  });

  it("P4: a committee member in a supervision member's household is recorded as a warning", () => {
    const [elected] = village
      .given(
        recorded(
          registerVillage(),
          registerHousehold('h1'),
          registerVillager('a', { householdId: 'h1' }),
          registerVillager('b', { householdId: 'h1', gender: 'FEMALE' }),
          electSupervisionCommittee(['b']),
        ),
      )
      .when(electCommittee(['a']))
      .events() as CommitteeElected[];
    expect(elected?.data.warnings).toEqual([
      'P4: supervision committee member b shares household h1 with committee member a',
    ]);
  });
});

describe('electing the supervision committee', () => {
  const family: VillageCommand[] = [
    registerVillage(),
    registerHousehold('h1'),
    registerVillager('a', { householdId: 'h1' }),
    registerVillager('b', { householdId: 'h1', gender: 'FEMALE' }),
    ...neighbour('c'),
    ...neighbour('d', 'FEMALE'),
    electCommittee(['a']),
  ];

  it('records the members', () => {
    village
      .given(recorded(...family))
      .when(electSupervisionCommittee(['c', 'd']))
      .then([
        {
          type: 'SupervisionCommitteeElected',
          data: {
            villageId: VILLAGE,
            memberIds: ['c', 'd'],
            ruleBook: RULE_BOOK_VERSION,
            rules: ['E1', 'P4'],
            at: AT,
          },
        },
      ]);
  });

  it('P4: a committee member cannot sit on the supervision committee', () => {
    village
      .given(recorded(...family))
      .when(electSupervisionCommittee(['c', 'a']))
      .thenRefuses('CONFLICT_OF_INTEREST', 'P4');
  });

  it("P4: a villager of a committee member's household cannot sit on the supervision committee", () => {
    village
      .given(recorded(...family))
      .when(electSupervisionCommittee(['b']))
      .thenRefuses('CONFLICT_OF_INTEREST', 'P4');
  });

  it('P4: once the committee is replaced, its former member may sit on the supervision committee', () => {
    village
      .given(recorded(...family, electCommittee(['c'])))
      .when(electSupervisionCommittee(['a']))
      .thenMatches([{ type: 'SupervisionCommitteeElected' }]);
  });

  it('refuses an empty supervision committee', () => {
    village
      .given(recorded(...family))
      .when(electSupervisionCommittee([]))
      .thenRefuses('INVALID_INPUT');
  });
});
