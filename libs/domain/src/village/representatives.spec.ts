import { RULE_BOOK_VERSION } from '../rule-book/vcol-2018';
import { fold } from '../shared/decider';
import { specification } from '../testing/given-when-then';
import type { VillageCommand } from './commands';
import type { RepresentativesElected, VillageEvent } from './events';
import { representativesAssembly } from './roll';
import { villageDecider } from './village.decider';
import {
  AT,
  electCommittee,
  electRepresentatives,
  neighbour,
  neighbours,
  recorded,
  registerHousehold,
  registerVillage,
  registerVillager,
  removeVillager,
  VILLAGE,
} from './village.fixtures';

const village = specification(villageDecider);

/**
 * A committee of `committee` men, then representatives elected from `men` men and `women` women,
 * each in a household of their own: the R1 judgements the election records.
 */
function electedAssembly(counts: { committee: number; men: number; women: number }) {
  const committee = neighbours('c', counts.committee);
  const men = neighbours('m', counts.men);
  const women = neighbours('w', counts.women, 'FEMALE');
  const [representatives, womenRepresentatives] = judgementsOf(
    recorded(
      registerVillage(),
      ...committee.commands,
      ...men.commands,
      ...women.commands,
      electCommittee(committee.ids),
    ),
    electRepresentatives([...men.ids, ...women.ids]),
  );
  return { representatives, women: womenRepresentatives };
}

function judgementsOf(history: VillageEvent[], command: VillageCommand) {
  const [elected] = village.given(history).when(command).events() as RepresentativesElected[];
  return elected?.data.judgements ?? [];
}

describe('electing representatives', () => {
  const nine = neighbours('r', 9);

  it('records the new set with the R1 judgements and the rule book', () => {
    village
      .given(recorded(registerVillage(), ...nine.commands, ...neighbour('f', 'FEMALE')))
      .when(electRepresentatives(['r1', 'f']))
      .then([
        {
          type: 'RepresentativesElected',
          data: {
            villageId: VILLAGE,
            representativeIds: ['r1', 'f'],
            judgements: [
              { ruleId: 'R1', met: true, actual: 2, required: 2, of: 2 },
              { ruleId: 'R1', met: true, actual: 1, required: 1, of: 2 },
            ],
            ruleBook: RULE_BOOK_VERSION,
            rules: ['E1', 'R1', 'R2'],
            at: AT,
          },
        },
      ]);
  });

  it('replaces the previous set', () => {
    const history = recorded(
      registerVillage(),
      ...nine.commands,
      electRepresentatives(['r1', 'r2']),
      electRepresentatives(['r3']),
    );
    const seats = representativesAssembly(fold(villageDecider, history)).members;
    expect(seats.map((seat) => seat.villagerId)).toEqual(['r3']);
  });

  it('refuses a villager who is not on the roll', () => {
    village
      .given(recorded(registerVillage(), ...nine.commands))
      .when(electRepresentatives(['r1', 'stranger']))
      .thenRefuses('VILLAGER_NOT_ON_ROLL');
  });

  it('refuses a villager removed from the roll', () => {
    village
      .given(recorded(registerVillage(), ...nine.commands, removeVillager('r2', '2026-03-01', AT)))
      .when(electRepresentatives(['r1', 'r2']))
      .thenRefuses('VILLAGER_NOT_ON_ROLL');
  });

  it.each([
    ['no representatives', []],
    ['the same villager twice', ['r1', 'r1']],
    ['an empty id', ['r1', '']],
  ])('refuses %s', (_, ids) => {
    village
      .given(recorded(registerVillage(), ...nine.commands))
      .when(electRepresentatives(ids))
      .thenRefuses('INVALID_INPUT');
  });

  it('E1: a villager who turns 18 the day after the election cannot stand; one who turns 18 that day can', () => {
    const young = (birthDate: string): VillageCommand[] => [
      registerVillage(),
      registerHousehold('h-y'),
      registerVillager('y', { householdId: 'h-y', birthDate }),
    ];
    village
      .given(recorded(...young('2008-03-02')))
      .when(electRepresentatives(['y']))
      .thenRefuses('INVALID_INPUT', 'E1');
    village
      .given(recorded(...young('2008-03-01')))
      .when(electRepresentatives(['y']))
      .thenMatches([{ type: 'RepresentativesElected' }]);
  });

  describe('R1, the make-up of the representatives assembly', () => {
    it('R1: representatives 4/5 of members meets it, one fewer does not, one more does', () => {
      expect(electedAssembly({ committee: 3, men: 7, women: 5 }).representatives).toEqual({
        ruleId: 'R1',
        met: true,
        actual: 12,
        required: 12,
        of: 15,
      });
      expect(electedAssembly({ committee: 3, men: 6, women: 5 }).representatives).toEqual({
        ruleId: 'R1',
        met: false,
        actual: 11,
        required: 12,
        of: 14,
      });
      expect(electedAssembly({ committee: 3, men: 8, women: 5 }).representatives?.met).toBe(true);
    });

    it('R1: exactly 1/3 women meets it, one woman fewer does not, one more does', () => {
      expect(electedAssembly({ committee: 3, men: 7, women: 5 }).women).toEqual({
        ruleId: 'R1',
        met: true,
        actual: 5,
        required: 5,
        of: 15,
      });
      expect(electedAssembly({ committee: 3, men: 8, women: 4 }).women).toEqual({
        ruleId: 'R1',
        met: false,
        actual: 4,
        required: 5,
        of: 15,
      });
      expect(electedAssembly({ committee: 3, men: 6, women: 6 }).women?.met).toBe(true);
    });

    it('R1: 32% women among the assembly members is recorded as failing R1, not refused', () => {
      expect(electedAssembly({ committee: 5, men: 12, women: 8 }).women).toEqual({
        ruleId: 'R1',
        met: false,
        actual: 8,
        required: 9,
        of: 25,
      });
    });

    it('R1: a woman who sits only as a committee member does not count toward the women representatives', () => {
      const committee = neighbours('c', 3, 'FEMALE');
      const men = neighbours('m', 8);
      const women = neighbours('w', 4, 'FEMALE');
      const [, womenRepresentatives] = judgementsOf(
        recorded(
          registerVillage(),
          ...committee.commands,
          ...men.commands,
          ...women.commands,
          electCommittee(committee.ids),
        ),
        electRepresentatives([...men.ids, ...women.ids]),
      );
      expect(womenRepresentatives).toEqual({
        ruleId: 'R1',
        met: false,
        actual: 4,
        required: 5,
        of: 15,
      });
    });

    it('R1: a committee member elected representative sits once, as a representative', () => {
      const committee = neighbours('c', 3);
      const others = neighbours('m', 11);
      const [representatives] = judgementsOf(
        recorded(
          registerVillage(),
          ...committee.commands,
          ...others.commands,
          electCommittee(committee.ids),
        ),
        electRepresentatives(['c1', ...others.ids]),
      );
      expect(representatives).toEqual({
        ruleId: 'R1',
        met: true,
        actual: 12,
        required: 12,
        of: 14,
      });
    });

    it('R1: a committee member who has left the roll no longer counts among the members', () => {
      const committee = neighbours('c', 4);
      const men = neighbours('m', 12);
      const [representatives] = judgementsOf(
        recorded(
          registerVillage(),
          ...committee.commands,
          ...men.commands,
          electCommittee(committee.ids),
          removeVillager('c4', '2026-03-01', AT),
        ),
        electRepresentatives(men.ids),
      );
      expect(representatives).toEqual({
        ruleId: 'R1',
        met: true,
        actual: 12,
        required: 12,
        of: 15,
      });
    });
  });

  describe('R2, households per representative', () => {
    const households = (count: number) => neighbours('h', count);
    const elected = (count: number, representatives: number) => {
      const { ids, commands } = households(count);
      return village
        .given(recorded(registerVillage(), ...commands))
        .when(electRepresentatives(ids.slice(0, representatives)))
        .events() as RepresentativesElected[];
    };

    it('R2: 16 households per representative is a warning, not a refusal', () => {
      expect(elected(16, 1)[0]?.data.warnings).toEqual([
        'R2: 1 representatives for 16 households is outside one per 5–15 households',
      ]);
    });

    it('R2: 15 and 5 households per representative record no warning', () => {
      expect(elected(15, 1)[0]?.data).not.toHaveProperty('warnings');
      expect(elected(10, 2)[0]?.data).not.toHaveProperty('warnings');
    });

    it('R2: 4 households per representative is a warning', () => {
      expect(elected(8, 2)[0]?.data.warnings).toHaveLength(1);
    });

    it('R2: a household with no one left on the roll is not counted', () => {
      const { ids, commands } = households(16);
      const [event] = village
        .given(recorded(registerVillage(), ...commands, removeVillager('h16', '2026-03-01', AT)))
        .when(electRepresentatives([ids[0] as string]))
        .events();
      expect(event?.data).not.toHaveProperty('warnings');
    });
  });
});
