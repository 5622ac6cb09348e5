/** Command input checks: anything malformed is refused with INVALID_INPUT before the rules run. */
import { refuse } from '../shared/domain-error';

/** Versions count up from 1. */
export function requireVersion(value: unknown, field: string): asserts value is number {
  if (!Number.isSafeInteger(value) || (value as number) < 1) {
    refuse('INVALID_INPUT', `${field} must be a whole number from 1`);
  }
}

/** One spelling per document: lowercase, so equal documents have equal hashes in the log. */
export function requireSha256(value: unknown, field: string): asserts value is string {
  if (typeof value !== 'string' || !/^[0-9a-f]{64}$/.test(value)) {
    refuse('INVALID_INPUT', `${field} must be a SHA-256 in 64 lowercase hex digits`);
  }
}

/** `earlier` is not after `later` (both instants). */
