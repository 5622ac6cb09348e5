import {
  type PetitionPurpose,
  type PetitionThreshold,
  petitionThreshold,
  RULE_BOOK_VERSION,
} from '../rule-book/vcol-2018';
import type { Decider } from '../shared/decider';
import { refuse } from '../shared/domain-error';
import { requireIds, requireInstant, requireOneOf, requireText } from '../shared/validate';
import type {
  ClosePetition,
  PetitionCommand,
  SignPetition,
  StartPetition,
  WithdrawSignature,
} from './commands';
import type { Duty, PetitionEvent, PetitionStarted, Signatories } from './events';
import { evolvePetition, initialPetitionState, type Petition, type PetitionState } from './state';

export type { PetitionState } from './state';

/**
 * What each petition obliges. ARRANGE_AUDIT: the committee takes the request to those who audit
 * (Art. 35: the county's departments or the township organise it).
 */
const DUTIES: { readonly [Purpose in PetitionPurpose]: Duty } = {
  CONVENE_ASSEMBLY: 'CONVENE_VILLAGERS_ASSEMBLY',
  CONVENE_REPRESENTATIVES: 'CONVENE_REPRESENTATIVES_ASSEMBLY',
  RECALL: 'HOLD_RECALL_VOTE',
  AUDIT_REQUEST: 'ARRANGE_AUDIT',
  PROPOSE_ITEM: 'TABLE_ITEM',
};
const PURPOSES = Object.keys(DUTIES) as PetitionPurpose[];
const SIGNATORIES: readonly Signatories[] = ['VILLAGERS', 'REPRESENTATIVES'];

export const petitionDecider: Decider<PetitionCommand, PetitionEvent, PetitionState> = {
  decide(command, state) {
    switch (command.type) {
      case 'StartPetition':
        return start(command.data, state);
      case 'SignPetition':
        return sign(command.data, state);
      case 'WithdrawSignature':
        return withdraw(command.data, state);
      case 'ClosePetition':
        return close(command.data, state);
    }
  },
  evolve: evolvePetition,
  initialState: initialPetitionState,
};

function start(data: StartPetition['data'], state: PetitionState): PetitionEvent[] {
  requireText(data.petitionId, 'petitionId');
  if (state.petition) refuse('ALREADY_EXISTS', `petition ${data.petitionId} already started`);
  requireText(data.villageId, 'villageId');
  requireOneOf(data.purpose, PURPOSES, 'purpose');
  requireOneOf(data.signatories, SIGNATORIES, 'signatories');
  requireIds(data.eligible, 'eligible');
  requireText(data.subject, 'subject');
  requireText(data.startedBy, 'startedBy');
  requireInstant(data.at, 'at');
  const threshold = thresholdFor(data.purpose, data.signatories, data.eligible.length);
  const recall = recallDemand(data);
  const started: PetitionStarted = {
    type: 'PetitionStarted',
    data: {
      petitionId: data.petitionId,
      villageId: data.villageId,
      purpose: data.purpose,
      signatories: data.signatories,
      subject: data.subject,
      ...(recall === undefined ? {} : { recall }),
      eligible: [...data.eligible],
      threshold: { ruleId: threshold.ruleId, required: threshold.required, of: threshold.of },
      startedBy: data.startedBy,
      ruleBook: RULE_BOOK_VERSION,
      rules: [threshold.ruleId],
      at: data.at,
    },
  };
  return [started];
}

/** Who may sign is the purpose's rule: a mismatch is refused under that rule. */
function thresholdFor(
  purpose: PetitionPurpose,
  signatories: Signatories,
  of: number,
): PetitionThreshold {
  try {
    return petitionThreshold(purpose, signatories, of);
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    const others = signatories === 'VILLAGERS' ? 'REPRESENTATIVES' : 'VILLAGERS';
    return refuse('INVALID_INPUT', error.message, petitionThreshold(purpose, others, of).ruleId);
  }
}

/** E5: a recall petition names the member and gives reasons; no other petition recalls anyone. */
function recallDemand(data: StartPetition['data']): StartPetition['data']['recall'] {
  if (data.purpose !== 'RECALL') {
    if (data.recall !== undefined)
      refuse('INVALID_INPUT', `a ${data.purpose} petition recalls no one`);
    return undefined;
  }
  if (typeof data.recall !== 'object' || data.recall === null) {
    refuse('INVALID_INPUT', 'a recall petition names the member and the reasons', 'E5');
  }
  requireText(data.recall.memberId, 'recall.memberId');
  if (typeof data.recall.reasons !== 'string' || data.recall.reasons.trim() === '') {
    refuse('INVALID_INPUT', 'a recall petition states its reasons', 'E5');
  }
  return { memberId: data.recall.memberId, reasons: data.recall.reasons };
}

/**
 * A signature that brings the count to the threshold also records the committee's duty. Later
 * signatures are still recorded — support keeps counting — but the duty falls due only once.
 */
function sign(data: SignPetition['data'], state: PetitionState): PetitionEvent[] {
  const petition = requireOpen(state, data.petitionId);
  requireText(data.villagerId, 'villagerId');
  requireInstant(data.at, 'at');
  const { ruleId, required, of } = petition.threshold;
  if (!petition.eligible.has(data.villagerId)) {
    refuse('NOT_ON_ROLL', `${data.villagerId} may not sign this petition`, ruleId);
  }
  if (state.signed.has(data.villagerId)) {
    refuse('ALREADY_SIGNED', `${data.villagerId} has already signed`, ruleId);
  }
  const signatures = state.signed.size + 1;
  const signed: PetitionEvent = {
    type: 'PetitionSigned',
    data: { petitionId: petition.petitionId, villagerId: data.villagerId, signatures, at: data.at },
  };
  if (state.thresholdReachedAt !== undefined || signatures < required) return [signed];
  const reached: PetitionEvent = {
    type: 'PetitionThresholdReached',
    data: {
      petitionId: petition.petitionId,
      villageId: petition.villageId,
      purpose: petition.purpose,
      duty: DUTIES[petition.purpose],
      dueSince: data.at,
      ruleId,
      judgements: [{ ruleId, met: true, actual: signatures, required, of }],
      ruleBook: RULE_BOOK_VERSION,
      rules: [ruleId],
      at: data.at,
    },
  };
  return [signed, reached];
}

/** Once the duty has fallen due, taking a name off cannot undo it. */
function withdraw(data: WithdrawSignature['data'], state: PetitionState): PetitionEvent[] {
  const petition = requireOpen(state, data.petitionId);
  requireText(data.villagerId, 'villagerId');
  requireInstant(data.at, 'at');
  if (!state.signed.has(data.villagerId)) {
    refuse('NOT_SIGNED', `${data.villagerId} has not signed this petition`);
  }
  if (state.thresholdReachedAt !== undefined) {
    refuse(
      'THRESHOLD_ALREADY_REACHED',
      `the petition reached its threshold at ${state.thresholdReachedAt}`,
      petition.threshold.ruleId,
    );
  }
  return [
    {
      type: 'SignatureWithdrawn',
      data: {
        petitionId: petition.petitionId,
        villagerId: data.villagerId,
        signatures: state.signed.size - 1,
        at: data.at,
      },
    },
  ];
}

function close(data: ClosePetition['data'], state: PetitionState): PetitionEvent[] {
  const petition = requireOpen(state, data.petitionId);
  requireText(data.reason, 'reason');
  requireInstant(data.at, 'at');
  return [
    {
      type: 'PetitionClosed',
      data: {
        petitionId: petition.petitionId,
        reason: data.reason,
        signatures: state.signed.size,
        thresholdReached: state.thresholdReachedAt !== undefined,
        at: data.at,
      },
    },
  ];
}

function requireOpen(state: PetitionState, petitionId: string): Petition {
  if (state.petition === undefined || state.petition.petitionId !== petitionId) {
    return refuse('NOT_FOUND', `petition ${petitionId} has not been started`);
  }
  if (state.closedAt !== undefined) {
    refuse('PETITION_CLOSED', `petition ${petitionId} was closed at ${state.closedAt}`);
  }
  return state.petition;
}
