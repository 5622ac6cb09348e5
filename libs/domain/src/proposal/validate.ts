/** Command input checks: anything malformed is refused with INVALID_INPUT before the rules run. */
import { isM1Matter, MATTERS, type Matter } from '../rule-book/vcol-2018';
import { refuse } from '../shared/domain-error';
import { millisBetween } from '../shared/time';
import { requireCount, requireInstant, requireOneOf, requireText } from '../shared/validate';
import type { AuthorisationSubject, DeliberationCounts, PlanSubject } from './events';

/** The minutes' hash, kept in lower case so that two records of one document compare equal. */
export function requireSha256(value: unknown, field: string): string {
  if (typeof value !== 'string' || !/^[0-9a-fA-F]{64}$/.test(value)) {
    refuse('INVALID_INPUT', `${field} must be a SHA-256 digest, 64 hex characters`);
  }
  return value.toLowerCase();
}

export function requireDeliberationCounts(value: unknown): DeliberationCounts {
  const counts = (value ?? {}) as Partial<Record<keyof DeliberationCounts, unknown>>;
  requireCount(counts.members, 'counts.members');
  requireCount(counts.attending, 'counts.attending');
  requireCount(counts.agreeing, 'counts.agreeing');
  if (counts.members === 0) refuse('INVALID_INPUT', 'counts.members must be at least 1');
  if (counts.attending > counts.members) {
    refuse('INVALID_INPUT', 'counts.attending cannot exceed counts.members');
  }
  if (counts.agreeing > counts.attending) {
    refuse('INVALID_INPUT', 'counts.agreeing cannot exceed counts.attending');
  }
  return { members: counts.members, attending: counts.attending, agreeing: counts.agreeing };
}

/**
 * M2: what an AUTHORISATION proposal hands over, kept to its own fields. Malformed values are
 * INVALID_INPUT; a matter the assembly does not reserve (not M1) cannot be handed over at all.
 */
export function requireAuthorisationSubject(value: unknown, at: string): AuthorisationSubject {
  if (typeof value !== 'object' || value === null) {
    refuse(
      'AUTHORISATION_INVALID',
      'an AUTHORISATION proposal names the M1 matters it hands to the representatives’ assembly',
      'M2',
    );
  }
  const { matters, expiresAt } = value as { matters?: unknown; expiresAt?: unknown };
  if (!Array.isArray(matters) || matters.length === 0) {
    refuse('INVALID_INPUT', 'authorisation.matters must name at least one matter');
  }
  for (const matter of matters) requireOneOf(matter, MATTERS, 'authorisation.matters');
  if (new Set(matters).size !== matters.length) {
    refuse('INVALID_INPUT', 'authorisation.matters names a matter more than once');
  }
  const notM1 = (matters as Matter[]).find((matter) => !isM1Matter(matter));
  if (notM1 !== undefined) {
    refuse('AUTHORISATION_INVALID', `${notM1} is not a matter the assembly reserves (M1)`, 'M2');
  }
  if (expiresAt === undefined) return { matters: [...matters] };
  requireInstant(expiresAt, 'authorisation.expiresAt');
  if (millisBetween(at, expiresAt) <= 0) {
    refuse('INVALID_INPUT', 'authorisation.expiresAt must be after the proposal is drafted');
  }
  return { matters: [...matters], expiresAt };
}

/** M4: the plan version a PLAN_CONSENT proposal asks consent for, kept to its own fields. */
export function requirePlanSubject(value: unknown): PlanSubject {
  if (typeof value !== 'object' || value === null) {
    refuse(
      'INVALID_INPUT',
      'a PLAN_CONSENT proposal names the plan and version it asks consent for',
      'M4',
    );
  }
  const { planId, version } = value as { planId?: unknown; version?: unknown };
  requireText(planId, 'plan.planId');
  if (typeof version !== 'number' || !Number.isSafeInteger(version) || version < 1) {
    refuse('INVALID_INPUT', 'plan.version must be a whole number from 1');
  }
  return { planId, version };
}
