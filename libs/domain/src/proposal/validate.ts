/** Command input checks: anything malformed is refused with INVALID_INPUT before the rules run. */
import { refuse } from '../shared/domain-error';
import { requireCount } from '../shared/validate';
import type { DeliberationCounts } from './events';

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
