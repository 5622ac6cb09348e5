/** Command input checks: anything malformed is refused with INVALID_INPUT before the rules run. */
import { refuse } from '../shared/domain-error';

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
