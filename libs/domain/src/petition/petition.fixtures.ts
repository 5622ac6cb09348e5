/** Test support: petitions and signatures as a history to start a specification from. */
import type { PetitionPurpose } from '../rule-book/vcol-2018';
import { fold } from '../shared/decider';
import type { PetitionCommand, StartPetition } from './commands';
import type { PetitionEvent, Signatories } from './events';
import { petitionDecider } from './petition.decider';

export const PETITION_ID = 'pt-1';
export const STARTED_AT = '2026-03-01T09:00:00+08:00';

/** `v1` … `v<count>`: the ids a handler would read from the roll. */
export function ids(prefix: string, count: number): string[] {
  return Array.from({ length: count }, (_, index) => `${prefix}${index + 1}`);
}

export function startPetition(
  purpose: PetitionPurpose,
  signatories: Signatories,
  eligible: readonly string[],
): StartPetition {
  return {
    type: 'StartPetition',
    data: {
      petitionId: PETITION_ID,
      villageId: 'village-1',
      purpose,
      signatories,
      eligible,
      subject: 'Convene the assembly on the village road repairs',
      ...(purpose === 'RECALL'
        ? { recall: { memberId: 'c-2', reasons: 'Missed-work allowance paid without a decision' } }
        : {}),
      startedBy: eligible[0] as string,
      at: STARTED_AT,
    },
  };
}

export const SIGNED_AT = '2026-03-02T09:00:00+08:00';
export const LATER = '2026-03-05T18:30:00+08:00';

export const sign = (villagerId: string, at = LATER) =>
  ({ type: 'SignPetition', data: { petitionId: PETITION_ID, villagerId, at } }) as const;

export const withdraw = (villagerId: string, at = LATER) =>
  ({ type: 'WithdrawSignature', data: { petitionId: PETITION_ID, villagerId, at } }) as const;

/** The events the decider records for these commands, given one after another. */
export function recorded(...commands: readonly PetitionCommand[]): PetitionEvent[] {
  let state = petitionDecider.initialState();
  return commands.flatMap((command) => {
    const decided = petitionDecider.decide(command, state);
    state = decided.reduce(petitionDecider.evolve, state);
    return decided;
  });
}

/** What the decider records for `command` after `given`: for outcomes checked in part. */
export const decided = (given: readonly PetitionEvent[], command: PetitionCommand) =>
  petitionDecider.decide(command, fold(petitionDecider, given));

/** A started petition and the signatures of `signers`, in order. */
export const history = (start: StartPetition, signers: readonly string[] = []) =>
  recorded(start, ...signers.map((villagerId) => sign(villagerId, SIGNED_AT)));
