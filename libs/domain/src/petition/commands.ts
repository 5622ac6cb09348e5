import type { PetitionPurpose } from '../rule-book/vcol-2018';
import type { Command } from '../shared/decider';
import type { RecallDemand, Signatories } from './events';

export type StartPetition = Command<
  'StartPetition',
  {
    readonly petitionId: string;
    readonly villageId: string;
    readonly purpose: PetitionPurpose;
    readonly signatories: Signatories;
    /**
     * Read by the handler from the roll on the day the petition starts: the villagers aged 18 and
     * over (A1/E1) for VILLAGERS, the representatives for REPRESENTATIVES.
     */
    readonly eligible: readonly string[];
    /** What the petitioners ask for, in their words. */
    readonly subject: string;
    /** Required for a RECALL petition (E5), refused for any other. */
    readonly recall?: RecallDemand;
    readonly startedBy: string;
    readonly at: string;
  }
>;

export type SignPetition = Command<
  'SignPetition',
  { readonly petitionId: string; readonly villagerId: string; readonly at: string }
>;

export type WithdrawSignature = Command<
  'WithdrawSignature',
  { readonly petitionId: string; readonly villagerId: string; readonly at: string }
>;

export type ClosePetition = Command<
  'ClosePetition',
  { readonly petitionId: string; readonly reason: string; readonly at: string }
>;

export type PetitionCommand = StartPetition | SignPetition | WithdrawSignature | ClosePetition;
