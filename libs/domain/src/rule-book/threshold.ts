/**
 * A threshold is an exact fraction with the law's comparison: 过半数 (more than half) is strict,
 * 以上 (…or more) includes the number itself. Judged in integer arithmetic, never floating point:
 * `count / total > n / d` is `count * d > n * total`.
 */
export interface Threshold {
  readonly numerator: number;
  readonly denominator: number;
  /** GT: strictly more than (过半数). GTE: at least (以上). */
  readonly comparison: 'GT' | 'GTE';
}

export const moreThan = (numerator: number, denominator: number): Threshold => ({
  numerator,
  denominator,
  comparison: 'GT',
});

export const atLeast = (numerator: number, denominator: number): Threshold => ({
  numerator,
  denominator,
  comparison: 'GTE',
});

/**
 * Counts of people: a billion is beyond any village, and keeps every product below 2^53, where
 * JavaScript's integers stop being exact.
 */
const MOST_PEOPLE = 1_000_000_000;

function assertCount(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0 || value > MOST_PEOPLE) {
    throw new RangeError(`${name} must be a whole number from 0 to ${MOST_PEOPLE}, got ${value}`);
  }
}

/** Whether `count` out of `total` meets the threshold. */
export function meets(count: number, total: number, threshold: Threshold): boolean {
  assertCount('count', count);
  assertCount('total', total);
  const left = count * threshold.denominator;
  const right = threshold.numerator * total;
  return threshold.comparison === 'GT' ? left > right : left >= right;
}

/** The smallest count out of `total` that meets the threshold. */
export function smallestMeeting(total: number, threshold: Threshold): number {
  assertCount('total', total);
  const product = threshold.numerator * total;
  const remainder = product % threshold.denominator;
  const quotient = (product - remainder) / threshold.denominator; // exact: no remainder left
  return threshold.comparison === 'GT' || remainder !== 0 ? quotient + 1 : quotient;
}

/** "> 1/2", "≥ 2/3": how a threshold reads. */
export function describeThreshold(threshold: Threshold): string {
  return `${threshold.comparison === 'GT' ? '>' : '≥'} ${threshold.numerator}/${threshold.denominator}`;
}
