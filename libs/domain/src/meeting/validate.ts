/** Command input checks: anything malformed is refused with INVALID_INPUT before the rules run. */
import { refuse } from '../shared/domain-error';
import { isDate, isInstant } from '../shared/time';

export function requireText(value: unknown, field: string): asserts value is string {
  if (typeof value !== 'string' || value.trim() === '') {
    refuse('INVALID_INPUT', `${field} must be a non-empty string`);
  }
}

export function requireInstant(value: unknown, field: string): asserts value is string {
  if (typeof value !== 'string' || !isInstant(value)) {
    refuse('INVALID_INPUT', `${field} must be an ISO-8601 instant with an offset`);
  }
}

export function requireDate(value: unknown, field: string): asserts value is string {
  if (typeof value !== 'string' || !isDate(value)) {
    refuse('INVALID_INPUT', `${field} must be a calendar date YYYY-MM-DD`);
  }
}

export function requireOneOf<T extends string>(
  value: unknown,
  allowed: readonly T[],
  field: string,
): asserts value is T {
  if (!(allowed as readonly unknown[]).includes(value)) {
    refuse('INVALID_INPUT', `${field} must be one of ${allowed.join(', ')}`);
  }
}

export function requireList(value: unknown, field: string): asserts value is readonly unknown[] {
  if (!Array.isArray(value) || value.length === 0) {
    refuse('INVALID_INPUT', `${field} must list at least one entry`);
  }
}

export function requireDistinct(values: readonly string[], field: string): void {
  if (new Set(values).size !== values.length) {
    refuse('INVALID_INPUT', `${field} lists an id more than once`);
  }
}
