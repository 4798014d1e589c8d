// SPEC §B1–§B3: bias conventions, leaf laws, fidelity curves, monotone tables.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  accuracyFromBias, biasFromAccuracy, fidelity, type FidelityCurve, InvalidParameterError, leafBias, powerLaw, qualityBias,
} from '../src/index.ts';

describe('bias and accuracy (§B1)', () => {
  it('u = 2p − 1 and back', () => {
    fc.assert(fc.property(fc.double({ min: 0, max: 1, noNaN: true }), (p) => {
      expect(biasFromAccuracy(p)).toBeCloseTo(2 * p - 1, 15);
      expect(accuracyFromBias(biasFromAccuracy(p))).toBeCloseTo(p, 15);
    }));
    expect(qualityBias({ accuracy: 0.75 })).toBe(0.5);
    expect(qualityBias({ bias: -0.2 })).toBe(-0.2);
  });
  it('refuses ambiguous or out-of-range inputs', () => {
    expect(() => qualityBias({ bias: 0.1, accuracy: 0.55 } as never)).toThrow(/exactly one of \{ bias \} or \{ accuracy \}/);
    expect(() => qualityBias({ accuracy: 1.2 })).toThrow(/^quality\.accuracy must be a number in \[0, 1\]/);
    expect(() => accuracyFromBias(-1.5)).toThrow(InvalidParameterError);
  });
});

describe('leaf laws (§B2)', () => {
  it('power law min(gMax, k·x^β)', () => {
    const law = powerLaw(0.01, 0.5, 0.8);
    expect(leafBias(law, 0)).toBe(0);
    expect(leafBias(law, 100)).toBeCloseTo(0.1, 15);
    expect(leafBias(law, 1e6)).toBe(0.8);
  });
  it('tables interpolate monotonically and pass through their points', () => {
    const law = { kind: 'table' as const, compute: [0, 10, 100, 1000, 1e4], bias: [0, 0.05, 0.2, 0.22, 0.6] };
    law.compute.forEach((x, i) => expect(leafBias(law, x)).toBeCloseTo(law.bias[i], 15));
    fc.assert(fc.property(fc.double({ min: 0, max: 2e4, noNaN: true }), fc.double({ min: 0, max: 2e4, noNaN: true }), (x, y) => {
      const [lo, hi] = x < y ? [x, y] : [y, x];
      expect(leafBias(law, hi)).toBeGreaterThanOrEqual(leafBias(law, lo) - 1e-15);
    }));
    expect(leafBias(law, 5e4)).toBe(0.6); // held beyond the table
  });
  it('user functions are checked for a bias in [−1, 1]', () => {
    expect(leafBias((x) => Math.tanh(x / 100), 100)).toBeCloseTo(Math.tanh(1), 15);
    expect(() => leafBias(() => 2, 1)).toThrow(/^leafLaw\(1\) must be a bias in \[-1, 1\]/);
  });
  it('rejects bad parameters, naming them', () => {
    expect(() => powerLaw(0, 0.5)).toThrow(/^leafLaw\.k must be a finite number > 0/);
    expect(() => powerLaw(1, -1)).toThrow(/^leafLaw\.beta/);
    expect(() => leafBias({ kind: 'table', compute: [0, 1, 1], bias: [0, 0.1, 0.2] }, 1)).toThrow(/strictly increasing/);
    expect(() => leafBias({ kind: 'table', compute: [0, 1, 2], bias: [0, 0.3, 0.2] }, 1)).toThrow(/non-decreasing/);
    expect(() => leafBias(powerLaw(1, 1), -1)).toThrow(/^compute must be a finite number ≥ 0/);
  });
});

describe('fidelity curves (§B3)', () => {
  it('each family has its closed form and stays in [0, 1]', () => {
    const curves: [FidelityCurve, (m: number) => number][] = [
      [{ kind: 'constant', gamma: 0.7 }, () => 0.7],
      [{ kind: 'saturating', gammaInf: 0.9, m0: 50 }, (m) => 0.9 * (1 - Math.exp(-m / 50))],
      [{ kind: 'rational', gammaInf: 0.95, m0: 20 }, (m) => (0.95 * m) / (m + 20)],
    ];
    fc.assert(fc.property(fc.double({ min: 0, max: 1e5, noNaN: true }), (m) => {
      for (const [curve, expected] of curves) {
        expect(fidelity(curve, m)).toBeCloseTo(expected(m), 14);
        expect(fidelity(curve, m)).toBeGreaterThanOrEqual(0);
        expect(fidelity(curve, m)).toBeLessThanOrEqual(1);
      }
    }));
  });
  it('tables are monotone between and held outside their points', () => {
    const curve: FidelityCurve = { kind: 'table', m: [10, 50, 200], gamma: [0.3, 0.8, 0.85] };
    expect(fidelity(curve, 0)).toBe(0.3);
    expect(fidelity(curve, 50)).toBeCloseTo(0.8, 15);
    expect(fidelity(curve, 1000)).toBe(0.85);
    let prev = 0;
    for (let m = 10; m <= 200; m += 0.5) {
      const g = fidelity(curve, m);
      expect(g).toBeGreaterThanOrEqual(prev);
      expect(g).toBeLessThanOrEqual(0.85);
      prev = g;
    }
  });
  it('rejects bad curves', () => {
    expect(() => fidelity({ kind: 'constant', gamma: 1.1 }, 1)).toThrow(/^fidelity\.gamma must be a number in \[0, 1\]/);
    expect(() => fidelity({ kind: 'rational', gammaInf: 0.9, m0: 0 }, 1)).toThrow(/^fidelity\.m0/);
    expect(() => fidelity({ kind: 'cubic' } as never, 1)).toThrow(/^fidelity\.kind must be/);
    expect(() => fidelity({ kind: 'constant', gamma: 0.5 }, -3)).toThrow(/^m must be/);
  });
});
