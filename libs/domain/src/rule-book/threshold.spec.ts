/**
 * Thresholds, tested against DOMAIN.md's counting rule: 过半数 = strictly more than half (GT),
 * 以上 includes the number itself (GTE). The reference below is written independently, in BigInt,
 * so that it cannot share a floating-point mistake with the code under test.
 */
import fc from 'fast-check';
import {
  atLeast,
  describeThreshold,
  meets,
  moreThan,
  smallestMeeting,
  type Threshold,
} from './threshold';

type Comparison = 'GT' | 'GTE';

/** count / total (comparison) n / d, decided as count·d (comparison) n·total in BigInt. */
function referenceMeets(count: number, total: number, n: number, d: number, c: Comparison) {
  const left = BigInt(count) * BigInt(d);
  const right = BigInt(n) * BigInt(total);
  return c === 'GT' ? left > right : left >= right;
}

/** The least whole count c ≥ 0 with c·d > n·total (GT) or c·d ≥ n·total (GTE). */
function referenceSmallest(total: number, n: number, d: number, c: Comparison): number {
  const product = BigInt(n) * BigInt(total);
  const denominator = BigInt(d);
  const least =
    c === 'GT' ? product / denominator + 1n : (product + denominator - 1n) / denominator;
  return Number(least);
}

const threshold = (n: number, d: number, c: Comparison): Threshold =>
  c === 'GT' ? moreThan(n, d) : atLeast(n, d);

describe('threshold constructors', () => {
  it('moreThan is the strict comparison (过半数)', () => {
    expect(moreThan(1, 2)).toEqual({ numerator: 1, denominator: 2, comparison: 'GT' });
  });

  it('atLeast includes the number itself (以上)', () => {
    expect(atLeast(2, 3)).toEqual({ numerator: 2, denominator: 3, comparison: 'GTE' });
  });

  it('describes thresholds as they read', () => {
    expect(describeThreshold(moreThan(1, 2))).toBe('> 1/2');
    expect(describeThreshold(atLeast(2, 3))).toBe('≥ 2/3');
  });
});

describe('meets: more than half (GT)', () => {
  const half = moreThan(1, 2);

  it('50 of 100 is not more than half', () => {
    expect(meets(50, 100, half)).toBe(false);
  });

  it('51 of 100 is more than half', () => {
    expect(meets(51, 100, half)).toBe(true);
  });

  it('50 of 99 is more than half, 49 is not', () => {
    expect(meets(50, 99, half)).toBe(true);
    expect(meets(49, 99, half)).toBe(false);
  });

  it('exactly half of an even total never meets a strict threshold', () => {
    for (let total = 2; total <= 1000; total += 2) {
      expect(meets(total / 2, total, half)).toBe(false);
      expect(meets(total / 2 + 1, total, half)).toBe(true);
    }
  });

  it('nothing out of nothing is not more than half', () => {
    expect(meets(0, 0, half)).toBe(false);
  });
});

describe('meets: at least (GTE)', () => {
  it('66 of 99 is at least 2/3, 65 is not', () => {
    expect(meets(66, 99, atLeast(2, 3))).toBe(true);
    expect(meets(65, 99, atLeast(2, 3))).toBe(false);
  });

  it('67 of 100 is at least 2/3, 66 is not', () => {
    expect(meets(67, 100, atLeast(2, 3))).toBe(true);
    expect(meets(66, 100, atLeast(2, 3))).toBe(false);
  });

  it('10 of 95 is at least 1/10, 9 is not', () => {
    expect(meets(10, 95, atLeast(1, 10))).toBe(true);
    expect(meets(9, 95, atLeast(1, 10))).toBe(false);
  });

  it('exactly 1/3 meets ≥ 1/3', () => {
    expect(meets(10, 30, atLeast(1, 3))).toBe(true);
    expect(meets(9, 30, atLeast(1, 3))).toBe(false);
  });

  it('exactly 4/5 meets ≥ 4/5', () => {
    expect(meets(24, 30, atLeast(4, 5))).toBe(true);
    expect(meets(23, 30, atLeast(4, 5))).toBe(false);
  });

  it('is not fooled by fractions that are inexact in binary floating point', () => {
    // 1/10 and 1/5 have no exact binary form; 0.1 * 30 = 3.0000000000000004 in floating point.
    expect(meets(3, 30, atLeast(1, 10))).toBe(true);
    expect(meets(6, 30, atLeast(1, 5))).toBe(true);
    expect(meets(7, 35, atLeast(1, 5))).toBe(true);
    expect(meets(21, 70, atLeast(3, 10))).toBe(true);
  });
});

describe('smallestMeeting', () => {
  it('> 1/2 of 100 needs 51', () => {
    expect(smallestMeeting(100, moreThan(1, 2))).toBe(51);
  });

  it('> 1/2 of 99 needs 50', () => {
    expect(smallestMeeting(99, moreThan(1, 2))).toBe(50);
  });

  it('≥ 2/3 of 99 is 66', () => {
    expect(smallestMeeting(99, atLeast(2, 3))).toBe(66);
  });

  it('≥ 2/3 of 100 is 67', () => {
    expect(smallestMeeting(100, atLeast(2, 3))).toBe(67);
  });

  it('≥ 1/10 of 95 is 10', () => {
    expect(smallestMeeting(95, atLeast(1, 10))).toBe(10);
  });

  it('≥ 1/10 of 100 is 10, of 101 is 11', () => {
    expect(smallestMeeting(100, atLeast(1, 10))).toBe(10);
    expect(smallestMeeting(101, atLeast(1, 10))).toBe(11);
  });

  it('≥ 1/5 of 30 is 6 (an exact multiple needs no rounding up)', () => {
    expect(smallestMeeting(30, atLeast(1, 5))).toBe(6);
    expect(smallestMeeting(31, atLeast(1, 5))).toBe(7);
  });

  it('matches the BigInt reference exhaustively for totals 1..300 and every n/d ≤ 20', () => {
    for (let total = 1; total <= 300; total++) {
      for (let d = 1; d <= 20; d++) {
        for (let n = 1; n <= d; n++) {
          for (const c of ['GT', 'GTE'] as const) {
            const t = threshold(n, d, c);
            const expected = referenceSmallest(total, n, d, c);
            const actual = smallestMeeting(total, t);
            if (actual !== expected) {
              throw new Error(
                `smallestMeeting(${total}, ${c} ${n}/${d}) = ${actual}, expected ${expected}`,
              );
            }
          }
        }
      }
    }
  });
});

describe('integer exactness (property)', () => {
  const fraction = fc
    .tuple(fc.integer({ min: 1, max: 20 }), fc.integer({ min: 1, max: 20 }))
    .map(([a, b]) => (a <= b ? { n: a, d: b } : { n: b, d: a }));
  const comparison = fc.constantFrom<Comparison>('GT', 'GTE');
  const total = fc.integer({ min: 1, max: 10_000_000 });

  it('smallestMeeting meets, one fewer does not, and both agree with the BigInt reference', () => {
    fc.assert(
      fc.property(total, fraction, comparison, (total, { n, d }, c) => {
        const t = threshold(n, d, c);
        const smallest = smallestMeeting(total, t);
        expect(Number.isSafeInteger(smallest)).toBe(true);
        expect(smallest).toBe(referenceSmallest(total, n, d, c));
        expect(meets(smallest, total, t)).toBe(true);
        expect(smallest).toBeGreaterThanOrEqual(1);
        expect(meets(smallest - 1, total, t)).toBe(false);
        expect(referenceMeets(smallest, total, n, d, c)).toBe(true);
        expect(referenceMeets(smallest - 1, total, n, d, c)).toBe(false);
      }),
      { numRuns: 5000 },
    );
  });

  it('meets agrees with the BigInt reference for any count 0..total', () => {
    fc.assert(
      fc.property(
        total.chain((total) => fc.tuple(fc.constant(total), fc.integer({ min: 0, max: total }))),
        fraction,
        comparison,
        ([total, count], { n, d }, c) => {
          expect(meets(count, total, threshold(n, d, c))).toBe(
            referenceMeets(count, total, n, d, c),
          );
        },
      ),
      { numRuns: 5000 },
    );
  });

  it('meets is monotone: a count that meets stays met with one more', () => {
    fc.assert(
      fc.property(
        total.chain((total) => fc.tuple(fc.constant(total), fc.integer({ min: 0, max: total }))),
        fraction,
        comparison,
        ([total, count], { n, d }, c) => {
          const t = threshold(n, d, c);
          if (meets(count, total, t)) expect(meets(count + 1, total, t)).toBe(true);
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe('refusal of counts that are not whole numbers ≥ 0', () => {
  const bad = [-1, -0.5, 1.5, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY];

  it.each(bad)('meets refuses a count of %p', (count) => {
    expect(() => meets(count, 10, moreThan(1, 2))).toThrow();
    expect(() => meets(count, 10, atLeast(2, 3))).toThrow();
  });

  it.each(bad)('meets refuses a total of %p', (total) => {
    expect(() => meets(1, total, moreThan(1, 2))).toThrow();
    expect(() => meets(1, total, atLeast(2, 3))).toThrow();
  });

  it.each(bad)('smallestMeeting refuses a total of %p', (total) => {
    expect(() => smallestMeeting(total, moreThan(1, 2))).toThrow();
    expect(() => smallestMeeting(total, atLeast(2, 3))).toThrow();
  });

  it('accepts zero as a count', () => {
    expect(meets(0, 10, atLeast(1, 10))).toBe(false);
    expect(() => meets(0, 10, moreThan(1, 2))).not.toThrow();
  });
});
