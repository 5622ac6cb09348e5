/**
 * Input checks every decider makes on its commands. A bad value is refused with INVALID_INPUT
 * before any rule is judged, so a rule never sees malformed data.
 */
import { refuse } from './domain-error';
import { isDate, isInstant } from './time';

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

/** A non-empty list of distinct, non-empty ids. */
export function requireIds(values: unknown, field: string): asserts values is readonly string[] {
  if (!Array.isArray(values) || values.length === 0) {
    refuse('INVALID_INPUT', `${field} must list at least one id`);
  }
  for (const value of values) requireText(value, field);
  if (new Set(values).size !== values.length) {
    refuse('INVALID_INPUT', `${field} lists an id more than once`);
  }
}
