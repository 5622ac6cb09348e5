import type { PetitionPurpose } from '../rule-book/vcol-2018';
import type { PetitionEvent, PetitionStarted, RecallDemand, Signatories } from './events';

export interface Petition {
  readonly petitionId: string;
  readonly villageId: string;
  readonly purpose: PetitionPurpose;
  readonly signatories: Signatories;
  readonly subject: string;
  readonly recall?: RecallDemand;
  readonly eligible: ReadonlySet<string>;
  readonly threshold: PetitionStarted['data']['threshold'];
  readonly startedBy: string;
  readonly startedAt: string;
}

export interface PetitionState {
  readonly petition?: Petition;
  /** Signatures standing now: a withdrawn one is gone, and may be given again. */
  readonly signed: ReadonlySet<string>;
  readonly thresholdReachedAt?: string;
  readonly closedAt?: string;
}

export function initialPetitionState(): PetitionState {
  return { signed: new Set() };
}

export function evolvePetition(state: PetitionState, event: PetitionEvent): PetitionState {
  switch (event.type) {
    case 'PetitionStarted': {
      const { petitionId, villageId, purpose, signatories, subject, recall } = event.data;
      const { eligible, threshold, startedBy, at } = event.data;
      return {
        ...state,
        petition: {
          petitionId,
          villageId,
          purpose,
          signatories,
          subject,
          ...(recall === undefined ? {} : { recall }),
          eligible: new Set(eligible),
          threshold,
          startedBy,
          startedAt: at,
        },
      };
    }
    case 'PetitionSigned':
      return { ...state, signed: new Set(state.signed).add(event.data.villagerId) };
    case 'SignatureWithdrawn': {
      const signed = new Set(state.signed);
      signed.delete(event.data.villagerId);
      return { ...state, signed };
    }
    case 'PetitionThresholdReached':
      return { ...state, thresholdReachedAt: event.data.dueSince };
    case 'PetitionClosed':
      return { ...state, closedAt: event.data.at };
  }
}
