import type { RuleId } from '../rule-book/vcol-2018';

/**
 * Every refusal the domain can give, by stable code. The API shows the code (and the rule id where
 * a rule refused); messages are for people and may change.
 */
export const DOMAIN_ERROR_CODES = [
  // any aggregate
  'INVALID_INPUT',
  'ALREADY_EXISTS',
  'NOT_FOUND',
  'STEP_OUT_OF_ORDER',
  // village and roll
  'VILLAGER_NOT_ON_ROLL',
  'HOUSEHOLD_NOT_FOUND',
  'ASSEMBLY_COMPOSITION_INVALID',
  'CONFLICT_OF_INTEREST',
  'AUTHORISATION_INVALID',
  // meetings and ballots
  'NOTICE_TOO_SHORT',
  'NOT_CONVENED_BY_COMMITTEE_OR_PETITION',
  'MEETING_NOT_OPEN',
  'NOT_ON_ROLL',
  'NOT_CHECKED_IN',
  'ALREADY_CHECKED_IN',
  'QUORUM_NOT_MET',
  'VOTING_NOT_OPEN',
  'VOTING_CLOSED',
  'ALREADY_VOTED',
  'WRONG_CHANNEL',
  'COUNTERSIGNATURE_REQUIRED',
  'NOT_ON_AGENDA',
  // proposals
  'RESOLUTION_REQUIRED',
  'PROPOSAL_SUSPENDED',
  'PROPOSAL_WITHDRAWN',
  // petitions
  'ALREADY_SIGNED',
  'NOT_SIGNED',
  'THRESHOLD_ALREADY_REACHED',
  'PETITION_CLOSED',
  // plans
  'PUBLIC_NOTICE_TOO_SHORT',
  'CONSENT_REQUIRED',
  'VERSION_IMMUTABLE',
] as const;

export type DomainErrorCode = (typeof DOMAIN_ERROR_CODES)[number];

export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    /** The rule that refused, where one did. */
    readonly ruleId?: RuleId,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

/** Throws a DomainError: deciders refuse by throwing, so `decide` returns only the happy path. */
export function refuse(code: DomainErrorCode, message: string, ruleId?: RuleId): never {
  throw new DomainError(code, message, ruleId);
}
