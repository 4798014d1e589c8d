// SPEC §B5: the majority polynomial against independent references.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidParameterError, majorityBias, majorityDerivative, majoritySlope } from '../src/index.ts';

const oddB = (max: number) => fc.integer({ min: 1, max: (max - 1) / 2 }).map((n) => 2 * n + 1);

/** c_b = b·C(b−1, n)/2^(b−1), exactly in BigInt, then rounded once. */
function slopeExact(b: number): number {
  const n = (b - 1) / 2;
  let c = 1n;
  for (let k = 1; k <= n; k++) c = (c * BigInt(b - 1 - n + k)) / BigInt(k);
  // b·C / 2^(b−1) as a double: scale to keep 60 significant bits.
  const num = BigInt(b) * c * 2n ** 60n;
  return Number(num / 2n ** BigInt(b - 1)) / 2 ** 60;
}

/** f_b(u) = 2·P(Bin(b, p) ≥ (b+1)/2) − 1, summing the pmf in log space (absolute error ~1e-15). */
function majorityBinomial(b: number, u: number): number {
  const p = (1 + u) / 2;
  const q = (1 - u) / 2;
  if (q === 0) return 1;
  if (p === 0) return -1;
  let logC = 0; // log C(b, k), built up from k = 0
  let right = 0;
  for (let k = 0; k <= b; k++) {
    if (k > 0) logC += Math.log((b - k + 1) / k);
    if (k >= (b + 1) / 2) right += Math.exp(logC + k * Math.log(p) + (b - k) * Math.log(q));
  }
  return 2 * right - 1;
}

/** c_b·∫_0^u (1 − t²)^n dt by composite Simpson on 2000 panels. */
function majorityIntegral(b: number, u: number): number {
  const n = (b - 1) / 2;
  const panels = 2000;
  const h = u / panels;
  let sum = 0;
  for (let i = 0; i <= panels; i++) {
    const t = i * h;
    const w = i === 0 || i === panels ? 1 : i % 2 === 1 ? 4 : 2;
    sum += w * Math.pow(1 - t * t, n);
  }
  return (slopeExact(b) * sum * h) / 3;
}

describe('majoritySlope (§B5)', () => {
  it('matches the SPEC values c_3 … c_9', () => {
    expect(majoritySlope(3)).toBe(1.5);
    expect(majoritySlope(5)).toBe(1.875);
    expect(majoritySlope(7)).toBe(2.1875);
    expect(majoritySlope(9)).toBeCloseTo(2.4609375, 15);
  });
  it('equals b·C(b−1,(b−1)/2)/2^(b−1) computed exactly, for every odd b up to 1001', () => {
    for (let b = 3; b <= 1001; b += 2) {
      expect(Math.abs(majoritySlope(b) / slopeExact(b) - 1)).toBeLessThan(1e-13);
    }
  });
});

describe('majorityBias (§B5)', () => {
  it('f_3(u) = (3u − u³)/2', () => {
    fc.assert(fc.property(fc.double({ min: -1, max: 1, noNaN: true }), (u) => {
      expect(majorityBias(3, u)).toBeCloseTo((3 * u - u ** 3) / 2, 15);
    }));
  });

  it('agrees with the binomial sum and with quadrature for b up to 1001', () => {
    fc.assert(fc.property(oddB(1001), fc.double({ min: 0, max: 1, noNaN: true }), (b, u) => {
      const f = majorityBias(b, u);
      expect(Math.abs(f - majorityBinomial(b, u))).toBeLessThan(1e-11);
      expect(Math.abs(f - majorityIntegral(b, u))).toBeLessThan(1e-9);
    }), { numRuns: 200 });
  });

  it('is odd, increasing, concave on [0, 1], bounded by 1, and above the identity', () => {
    fc.assert(fc.property(oddB(301), fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), (b, x, y) => {
      const [u, v] = x < y ? [x, y] : [y, x];
      expect(majorityBias(b, -u) + majorityBias(b, u)).toBe(0);
      expect(majorityBias(b, v)).toBeGreaterThanOrEqual(majorityBias(b, u));
      expect(majorityBias(b, u)).toBeGreaterThanOrEqual(u * (1 - 1e-15));
      expect(majorityBias(b, u)).toBeLessThanOrEqual(1);
      // Concavity: the chord lies below the curve at the midpoint.
      const mid = majorityBias(b, (u + v) / 2);
      expect(mid).toBeGreaterThanOrEqual((majorityBias(b, u) + majorityBias(b, v)) / 2 - 1e-15);
    }));
    for (const b of [3, 5, 101, 1001, 100001]) expect(majorityBias(b, 1)).toBe(1);
  });

  it('stays right past the tabulated coefficients (b > 2049)', () => {
    for (const b of [2047, 2049, 2051, 5001, 20001]) {
      expect(Math.abs(majoritySlope(b) / slopeExact(b) - 1)).toBeLessThan(1e-12);
      for (const u of [0.001, 0.01, 0.03, 0.2]) {
        expect(Math.abs(majorityBias(b, u) - majorityBinomial(b, u))).toBeLessThan(1e-10);
      }
    }
  });

  it('keeps full relative precision for tiny u (slope c_b, no cancellation)', () => {
    for (const b of [3, 5, 11, 1001]) {
      for (const u of [1e-300, 1e-100, 1e-12]) {
        expect(Math.abs(majorityBias(b, u) / (majoritySlope(b) * u) - 1)).toBeLessThan(1e-12);
      }
    }
  });

  it('f_b\'(u) = c_b(1 − u²)^n matches a central difference', () => {
    fc.assert(fc.property(oddB(51), fc.double({ min: -0.99, max: 0.99, noNaN: true }), (b, u) => {
      const h = 1e-6;
      const numeric = (majorityBias(b, u + h) - majorityBias(b, u - h)) / (2 * h);
      expect(Math.abs(majorityDerivative(b, u) - numeric)).toBeLessThan(1e-6 * Math.max(1, majoritySlope(b)));
    }));
  });

  it('rejects even, small or non-integer fan-in and biases outside [−1, 1]', () => {
    for (const b of [1, 2, 4, 5.5, Number.NaN, 1e9]) {
      expect(() => majorityBias(b, 0.1)).toThrow(InvalidParameterError);
      expect(() => majorityBias(b, 0.1)).toThrow(/^b must be an odd integer/);
    }
    for (const u of [1.01, -2, Number.NaN]) {
      expect(() => majorityBias(5, u)).toThrow(/^u must be a bias in \[-1, 1\]/);
    }
  });
});
