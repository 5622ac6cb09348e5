/**
 * A whole petition, as the villagers of a small village would make one: 24 adults on the roll want
 * the assembly convened about the homestead plan. The path stops at the committee's duty: the
 * meeting it must convene is another aggregate's business.
 */
import { RULE_BOOK_VERSION } from '../rule-book/vcol-2018';
import { fold } from '../shared/decider';
import { specification } from '../testing/given-when-then';
import type { PetitionCommand } from './commands';
import type { PetitionEvent } from './events';
import { petitionDecider } from './petition.decider';

const petition = specification(petitionDecider);
const roll = [
  'chen',
  'li',
  'wang',
  'zhang',
  'zhao',
  ...Array.from({ length: 19 }, (_, i) => `villager-${i + 6}`),
];
const at = (day: number) => `2026-05-${String(day).padStart(2, '0')}T09:00:00+08:00`;
const signs = (villagerId: string, day: number): PetitionCommand => ({
  type: 'SignPetition',
  data: { petitionId: 'pt-homestead', villagerId, at: at(day) },
});

it('A2: a petition makes the committee convene the assembly', () => {
  const log: PetitionEvent[] = [];
  const step = (command: PetitionCommand): PetitionEvent[] => {
    const events = petition.given(log).when(command).events();
    log.push(...events);
    return events;
  };

  // Started with 1/10 of the 24 adults on the roll — 3 signatures — fixed from the roll
  expect(roll).toHaveLength(24);
  const [started] = step({
    type: 'StartPetition',
    data: {
      petitionId: 'pt-homestead',
      villageId: 'village-1',
      purpose: 'CONVENE_ASSEMBLY',
      signatories: 'VILLAGERS',
      eligible: roll,
      subject: 'Convene the assembly to decide the homestead plan before the building season',
      startedBy: 'chen',
      at: at(1),
    },
  });
  expect(started?.data).toMatchObject({
    threshold: { ruleId: 'A2', required: 3, of: 24 },
    ruleBook: RULE_BOOK_VERSION,
    rules: ['A2'],
  });

  // Two sign, one withdraws before the threshold: one signature stands
  expect(step(signs('chen', 2))).toHaveLength(1);
  expect(step(signs('li', 2))).toHaveLength(1);
  expect(
    step({
      type: 'WithdrawSignature',
      data: { petitionId: 'pt-homestead', villagerId: 'li', at: at(3) },
    }),
  ).toEqual([
    {
      type: 'SignatureWithdrawn',
      data: { petitionId: 'pt-homestead', villagerId: 'li', signatures: 1, at: at(3) },
    },
  ]);
  expect(fold(petitionDecider, log).signed).toEqual(new Set(['chen']));

  // The second signature is one short; the third puts the duty on the committee
  expect(step(signs('wang', 4))).toMatchObject([{ data: { signatures: 2 } }]);
  expect(step(signs('zhang', 6))).toEqual([
    {
      type: 'PetitionSigned',
      data: { petitionId: 'pt-homestead', villagerId: 'zhang', signatures: 3, at: at(6) },
    },
    {
      type: 'PetitionThresholdReached',
      data: {
        petitionId: 'pt-homestead',
        villageId: 'village-1',
        purpose: 'CONVENE_ASSEMBLY',
        duty: 'CONVENE_VILLAGERS_ASSEMBLY',
        dueSince: at(6),
        ruleId: 'A2',
        judgements: [{ ruleId: 'A2', met: true, actual: 3, required: 3, of: 24 }],
        ruleBook: RULE_BOOK_VERSION,
        rules: ['A2'],
        at: at(6),
      },
    },
  ]);

  // The duty stands: no signature can be taken back, more support is still recorded
  petition
    .given(log)
    .when({
      type: 'WithdrawSignature',
      data: { petitionId: 'pt-homestead', villagerId: 'wang', at: at(7) },
    })
    .thenRefuses('THRESHOLD_ALREADY_REACHED', 'A2');
  expect(step(signs('li', 7))).toEqual([
    {
      type: 'PetitionSigned',
      data: { petitionId: 'pt-homestead', villagerId: 'li', signatures: 4, at: at(7) },
    },
  ]);

  // Closed once the committee has convened the assembly
  expect(
    step({
      type: 'ClosePetition',
      data: {
        petitionId: 'pt-homestead',
        reason: 'Assembly convened for 2026-05-20 (meeting m-2026-05)',
        at: at(8),
      },
    }),
  ).toMatchObject([{ type: 'PetitionClosed', data: { signatures: 4, thresholdReached: true } }]);
  petition.given(log).when(signs('zhao', 9)).thenRefuses('PETITION_CLOSED');
});
