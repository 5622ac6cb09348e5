/**
 * Calendar arithmetic on the dates and times that commands carry. Pure: nothing here reads a clock.
 * Instants are ISO-8601 strings with an offset (`2026-11-28T08:00:00+08:00`); dates are `YYYY-MM-DD`.
 */

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 24 * 60 * 60 * 1000;

export function isDate(value: string): boolean {
  const match = DATE.exec(value);
  if (!match) return false;
  const [, y, m, d] = match.map(Number) as [number, number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

export function isInstant(value: string): boolean {
  return (
    /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(value) &&
    !Number.isNaN(Date.parse(value))
  );
}

/** Whole years from `birthDate` to `onDate` (both YYYY-MM-DD): the age on that day. */
export function ageOn(birthDate: string, onDate: string): number {
  const [by, bm, bd] = birthDate.split('-').map(Number) as [number, number, number];
  const [y, m, d] = onDate.split('-').map(Number) as [number, number, number];
  const hadBirthday = m > bm || (m === bm && d >= bd);
  return y - by - (hadBirthday ? 0 : 1);
}

/** Milliseconds from `from` to `to` (instants). */
export function millisBetween(from: string, to: string): number {
  return Date.parse(to) - Date.parse(from);
}

export function days(count: number): number {
  return count * DAY_MS;
}

/** The instant `count` days after `from`. */
export function addDays(from: string, count: number): string {
  return new Date(Date.parse(from) + days(count)).toISOString();
}

/** The calendar date (YYYY-MM-DD) of an instant, in the offset it was written in. */
export function dateOf(instant: string): string {
  return instant.slice(0, 10);
}
