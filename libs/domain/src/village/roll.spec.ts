import { fold } from '../shared/decider';
import { DomainError } from '../shared/domain-error';
import type { VillageCommand } from './commands';
import { liveAuthorisation, representativesAssembly, rollOn } from './roll';
import { villageDecider } from './village.decider';
import {
  AT,
  authorisingResolution,
  electCommittee,
  electRepresentatives,
  LATER,
  neighbour,
  neighbours,
  recordAuthorisation,
  recorded,
  registerHousehold,
  registerVillage,
  registerVillager,
  removeVillager,
  VILLAGE,
} from './village.fixtures';

const stateAfter = (...commands: VillageCommand[]) =>
  fold(villageDecider, recorded(registerVillage(), ...commands));

const designate = (householdId: string, villagerId: string, at = AT): VillageCommand => ({
  type: 'DesignateHouseholdRepresentative',
  data: { villageId: VILLAGE, householdId, villagerId, at },
});

describe('the roll of a day', () => {
  const family: VillageCommand[] = [
    registerHousehold('h1'),
    registerVillager('a', { householdId: 'h1' }),
    registerVillager('b', { householdId: 'h1', gender: 'FEMALE', birthDate: '2010-07-15' }),
    ...neighbour('c', 'FEMALE'),
  ];

  it('lists the villagers with household, gender and birth date, and the households', () => {
    expect(rollOn(stateAfter(...family), '2026-03-01')).toEqual({
      villageId: VILLAGE,
      date: '2026-03-01',
      villagers: [
        {
          villagerId: 'a',
          name: '村民 a',
          gender: 'MALE',
          birthDate: '1980-05-01',
          householdId: 'h1',
        },
        {
          villagerId: 'b',
          name: '村民 b',
          gender: 'FEMALE',
          birthDate: '2010-07-15',
          householdId: 'h1',
        },
        {
          villagerId: 'c',
          name: '村民 c',
          gender: 'FEMALE',
          birthDate: '1980-05-01',
          householdId: 'h-c',
        },
      ],
      households: ['h1', 'h-c'],
      householdRepresentatives: {},
    });
  });

  it('keeps a removed villager in the history with the reason and date, and leaves them off the roll from that date', () => {
    const state = stateAfter(...family, removeVillager('a', '2026-04-01', LATER));
    expect(state.villagers.get('a')?.removal).toEqual({
      reason: 'MOVED_AWAY',
      effectiveDate: '2026-04-01',
      recordedAt: LATER,
    });
    const onRoll = (date: string) => rollOn(state, date).villagers.map((v) => v.villagerId);
    expect(onRoll('2026-03-31')).toEqual(['a', 'b', 'c']);
    expect(onRoll('2026-04-01')).toEqual(['b', 'c']);
    expect(onRoll('2026-06-01')).toEqual(['b', 'c']);
  });

  it('does not show a villager before the day they were registered', () => {
    const state = stateAfter(...family, registerVillager('d', { householdId: 'h1', at: LATER }));
    expect(rollOn(state, '2026-05-31').villagers.map((v) => v.villagerId)).not.toContain('d');
    expect(rollOn(state, '2026-06-01').villagers.map((v) => v.villagerId)).toContain('d');
  });

  it('names each household representative on the roll that day', () => {
    const state = stateAfter(...family, designate('h1', 'a'), designate('h1', 'b', LATER));
    expect(rollOn(state, '2026-02-28').householdRepresentatives).toEqual({});
    expect(rollOn(state, '2026-03-01').householdRepresentatives).toEqual({ h1: 'a' });
    expect(rollOn(state, '2026-06-01').householdRepresentatives).toEqual({ h1: 'b' });
  });

  it('leaves a household unrepresented once its representative has left the roll', () => {
    const state = stateAfter(...family, designate('h1', 'a'), removeVillager('a'));
    expect(rollOn(state, '2026-03-31').householdRepresentatives).toEqual({ h1: 'a' });
    expect(rollOn(state, '2026-04-01').householdRepresentatives).toEqual({});
  });

  it('does not count a household with no one on the roll', () => {
    const state = stateAfter(...family, registerHousehold('h-empty'), removeVillager('c'));
    expect(rollOn(state, '2026-04-01').households).toEqual(['h1']);
  });

  it('refuses a roll of a village not registered', () => {
    expect(() => rollOn(villageDecider.initialState(), '2026-03-01')).toThrow(DomainError);
  });
});

describe("the representatives' assembly", () => {
  const committee = neighbours('c', 2, 'FEMALE');
  const men = neighbours('m', 6);
  const women = neighbours('w', 4, 'FEMALE');
  const village: VillageCommand[] = [
    ...committee.commands,
    ...men.commands,
    ...women.commands,
    electCommittee(committee.ids),
    electRepresentatives(['c2', ...men.ids, ...women.ids]),
  ];

  it('lists committee members and representatives once each, with gender and role', () => {
    const assembly = representativesAssembly(stateAfter(...village));
    expect(assembly.members.slice(0, 3)).toEqual([
      { villagerId: 'c1', gender: 'FEMALE', representative: false },
      { villagerId: 'c2', gender: 'FEMALE', representative: true },
      { villagerId: 'm1', gender: 'MALE', representative: true },
    ]);
    expect(assembly.members).toHaveLength(12);
  });

  it('R1: may sit when representatives are 4/5 and women representatives 1/3 of its members', () => {
    expect(representativesAssembly(stateAfter(...village))).toMatchObject({
      judgements: [
        { ruleId: 'R1', met: true, actual: 11, required: 10, of: 12 },
        { ruleId: 'R1', met: true, actual: 5, required: 4, of: 12 },
      ],
      maySit: true,
    });
  });

  it('R1: cannot sit once women representatives leave it below a third', () => {
    const assembly = representativesAssembly(
      stateAfter(...village, removeVillager('w1'), removeVillager('w2')),
    );
    expect(assembly.members).toHaveLength(10);
    expect(assembly.judgements[1]).toEqual({
      ruleId: 'R1',
      met: false,
      actual: 3,
      required: 4,
      of: 10,
    });
    expect(assembly.maySit).toBe(false);
  });
});

describe('the live authorisation of a matter (M2)', () => {
  const granted = '2026-02-20T11:00:00+08:00';

  it('M2: covers its matters from the granting resolution until it expires', () => {
    const state = stateAfter(recordAuthorisation({ expiresAt: '2027-03-01T00:00:00+08:00' }));
    expect(liveAuthorisation(state, 'PUBLIC_WORKS', '2026-02-20T10:59:59+08:00')).toBeUndefined();
    expect(liveAuthorisation(state, 'PUBLIC_WORKS', granted)?.authorisationId).toBe('auth-1');
    expect(liveAuthorisation(state, 'PUBLIC_WORKS', '2027-02-28T23:59:59+08:00')).toBeDefined();
    expect(liveAuthorisation(state, 'PUBLIC_WORKS', '2027-03-01T00:00:00+08:00')).toBeUndefined();
  });

  it('M2: does not cover a matter it does not name', () => {
    const state = stateAfter(recordAuthorisation());
    expect(liveAuthorisation(state, 'HOMESTEAD_PLAN', LATER)).toBeUndefined();
  });

  it('M2: ends when the assembly resolves to revoke it', () => {
    const revokedAt = '2026-05-20T11:00:00+08:00';
    const state = stateAfter(recordAuthorisation(), {
      type: 'RevokeAuthorisation',
      data: {
        villageId: VILLAGE,
        authorisationId: 'auth-1',
        resolution: authorisingResolution({ meetingId: 'm-2026-05', decidedAt: revokedAt }),
        at: LATER,
      },
    });
    expect(liveAuthorisation(state, 'PUBLIC_WORKS', '2026-05-20T10:59:59+08:00')).toBeDefined();
    expect(liveAuthorisation(state, 'PUBLIC_WORKS', revokedAt)).toBeUndefined();
  });

  it('M2: of two covering a matter, the later granted is the live one', () => {
    const state = stateAfter(
      recordAuthorisation(),
      recordAuthorisation({
        authorisationId: 'auth-2',
        matters: ['PUBLIC_WORKS'],
        resolution: authorisingResolution({
          meetingId: 'm-2026-03',
          decidedAt: '2026-03-10T11:00:00+08:00',
        }),
        at: '2026-03-11T09:00:00+08:00',
      }),
    );
    expect(liveAuthorisation(state, 'PUBLIC_WORKS', LATER)?.authorisationId).toBe('auth-2');
    expect(liveAuthorisation(state, 'COLLECTIVE_INCOME_USE', LATER)?.authorisationId).toBe(
      'auth-1',
    );
  });
});
