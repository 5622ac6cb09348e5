/**
 * Input checks every decider makes on its commands. A bad value is refused with INVALID_INPUT
 * before any rule is judged, so a rule never sees malformed data.
 */
import type { Threshold } from '../rule-book/threshold';
import { DEFAULT_PRACTICE, type VillagePractice } from '../rule-book/vcol-2018';
import { refuse } from './domain-error';
import { isDate, isInstant, millisBetween } from './time';

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

/** An instant of something that has already happened when the command is given. */
export function requireInstantNotAfter(value: unknown, at: string, field: string): string {
  requireInstant(value, field);
  if (millisBetween(value, at) < 0) refuse('INVALID_INPUT', `${field} is after the command's at`);
  return value;
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

export function requireCount(value: unknown, field: string): asserts value is number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    refuse('INVALID_INPUT', `${field} must be a whole number ≥ 0`);
  }
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

function requireFlag(value: unknown, field: string): asserts value is boolean {
  if (typeof value !== 'boolean') refuse('INVALID_INPUT', `${field} must be true or false`);
}

/** A village's practice values, every one checked (see VillagePractice in the rule book). */
export function requirePractice(value: unknown): asserts value is VillagePractice {
  const practice = (value ?? {}) as Partial<Record<keyof VillagePractice, unknown>>;
  requireCount(practice.proxyCap, 'practice.proxyCap');
  if (practice.proxyCap === 0) refuse('INVALID_INPUT', 'practice.proxyCap must be at least 1');
  requireCount(practice.majorMatterPublicationDays, 'practice.majorMatterPublicationDays');
  requireFlag(practice.votesMayChangeBeforeClose, 'practice.votesMayChangeBeforeClose');
  requireFlag(practice.fourDeliberationsRequired, 'practice.fourDeliberationsRequired');
  requireThreshold(practice.partyMeetingAttendance, 'practice.partyMeetingAttendance');
  requireThreshold(practice.partyMeetingAgreement, 'practice.partyMeetingAgreement');
}

/** The village's practice as a command gives it, checked, or DEFAULT_PRACTICE when it gives none. */
export function practiceOf(value: VillagePractice | undefined): VillagePractice {
  if (value === undefined) return DEFAULT_PRACTICE;
  requirePractice(value);
  return value;
}
