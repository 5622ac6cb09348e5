/** Command input checks: anything malformed is refused with INVALID_INPUT before the rules run. */
import type { Threshold } from '../rule-book/threshold';
import { DEFAULT_PRACTICE, type VillagePractice } from '../rule-book/vcol-2018';
import { refuse } from '../shared/domain-error';
import { millisBetween } from '../shared/time';
import { requireInstant, requireOneOf } from '../shared/validate';
import type { DeliberationCounts } from './events';

/** An instant of something that has already happened when the command is given. */
export function requireInstantNotAfter(value: unknown, at: string, field: string): string {
  requireInstant(value, field);
  if (millisBetween(value, at) < 0) refuse('INVALID_INPUT', `${field} is after the command's at`);
  return value;
}

export function requireCount(value: unknown, field: string): asserts value is number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    refuse('INVALID_INPUT', `${field} must be a whole number ≥ 0`);
  }
}

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

function requireThreshold(value: unknown, field: string): asserts value is Threshold {
  const threshold = (value ?? {}) as Partial<Record<keyof Threshold, unknown>>;
  requireCount(threshold.numerator, `${field}.numerator`);
  requireCount(threshold.denominator, `${field}.denominator`);
  requireOneOf(threshold.comparison, ['GT', 'GTE'] as const, `${field}.comparison`);
  if (threshold.denominator === 0 || threshold.numerator > threshold.denominator) {
    refuse('INVALID_INPUT', `${field} must be a fraction between 0 and 1`);
  }
}

/** The village's practice as the command gives it, or DEFAULT_PRACTICE; the parts read here checked. */
export function practiceOf(value: VillagePractice | undefined): VillagePractice {
  if (value === undefined) return DEFAULT_PRACTICE;
  requireThreshold(value.partyMeetingAttendance, 'practice.partyMeetingAttendance');
  requireThreshold(value.partyMeetingAgreement, 'practice.partyMeetingAgreement');
  requireCount(value.majorMatterPublicationDays, 'practice.majorMatterPublicationDays');
  if (typeof value.fourDeliberationsRequired !== 'boolean') {
    refuse('INVALID_INPUT', 'practice.fourDeliberationsRequired must be true or false');
  }
  return value;
}
