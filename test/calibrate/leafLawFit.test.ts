// SPEC §G3 — the leaf law min(g_max, k·x^β) from (x, right, trials) or (x, accuracy): noiseless
// laws recovered to 1e-9, recovery from counts simulated by the §D simulator (truth within 5
// bootstrap standard errors; fixed seeds), shrinking error, and the bad-input errors.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  designBinary, exactLeafAccuracies, fitLeafLaw, InvalidParameterError, leafBias, type LeafObservation, syntheticLeafCounts,
} from '../../src/index.ts';
import { nonFinitePaths } from './finite.ts';

/** Fields documented as null: no saturation (saturationCompute, intervals.gMax), accuracies (stdError). */
/** Nulls a leaf fit may hold: the saturation fields when g_max is not reached, per-point errors when only accuracies were given. */
function leafNullable(r: { gMaxReached: boolean }, accuraciesOnly: boolean): string[] {
  return [...(r.gMaxReached ? [] : ['$.saturationCompute', '$.intervals.gMax']), ...(accuraciesOnly ? ['$.points[*].stdError'] : [])];
}

const BUDGETS = [10, 30, 100, 300, 1000, 3000, 10_000];

describe('§G3 noiseless laws are recovered to 1e-9', () => {
  it('a power law from accuracies (least squares on ln u), any chance level', () => {
    fc.assert(fc.property(
      fc.double({ min: 1e-4, max: 0.05, noNaN: true }), fc.double({ min: 0.05, max: 0.9, noNaN: true }), fc.constantFrom(0, 0.25, 0.5),
      (k, beta, chance) => {
        const law = { kind: 'power' as const, k, beta, gMax: 1 };
        const budgets = BUDGETS.filter((x) => k * x ** beta < 1);
        fc.pre(budgets.length >= 3);
        const r = fitLeafLaw(exactLeafAccuracies({ law, chance, budgets }), { chance, bootstrap: 20 });
        expect(r.gMaxReached).toBe(false);
        expect(Math.abs(r.k - k) / k).toBeLessThan(1e-9);
        expect(Math.abs(r.beta - beta)).toBeLessThan(1e-9);
        expect(r.law).toEqual({ kind: 'power', k: r.k, beta: r.beta, gMax: 1 });
      }), { numRuns: 60 });
  });
  it('a saturating law from accuracies: k, β and g_max', () => {
    const law = { kind: 'power' as const, k: 0.02, beta: 0.4, gMax: 0.3 };
    const r = fitLeafLaw(exactLeafAccuracies({ law, chance: 0.5, budgets: BUDGETS }), { bootstrap: 0 });
    expect(r.gMaxReached).toBe(true);
    expect(Math.abs(r.k - 0.02) / 0.02).toBeLessThan(1e-9);
    expect(Math.abs(r.beta - 0.4)).toBeLessThan(1e-9);
    expect(Math.abs(r.gMax - 0.3)).toBeLessThan(1e-9);
    expect(r.saturationCompute!).toBeCloseTo((0.3 / 0.02) ** (1 / 0.4), 6);
    expect(r.points.filter((p) => p.saturated).map((p) => p.x)).toEqual([1000, 3000, 10_000]);
  });
  it('counts lying exactly on the law (binomial maximum likelihood)', () => {
    // p = g(x) with chance 0 and 10,000 trials: every count is an integer on the curve.
    const law = { kind: 'power' as const, k: 0.01, beta: 1, gMax: 0.5 };
    const data = [1, 2, 4, 8, 16, 100, 200].map((x) => ({ x, right: Math.round(10_000 * leafBias(law, x)), trials: 10_000 }));
    const r = fitLeafLaw(data, { chance: 0, bootstrap: 0 });
    expect(r.method).toBe('binomial maximum likelihood');
    expect(Math.abs(r.k - 0.01) / 0.01).toBeLessThan(1e-9);
    expect(Math.abs(r.beta - 1)).toBeLessThan(1e-9);
    expect(Math.abs(r.gMax - 0.5)).toBeLessThan(1e-12);
    const unsaturated = fitLeafLaw(data.slice(0, 5), { chance: 0, bootstrap: 0 });
    expect(unsaturated.gMaxReached).toBe(false);
    expect(Math.abs(unsaturated.beta - 1)).toBeLessThan(1e-9);
  });
});

describe('§G3 recovery from simulated leaves', () => {
  it('k and β within 5 bootstrap standard errors (random law, chance 0 or 1/2; fixed seeds)', () => {
    let checked = 0, unsaturated = 0;
    fc.assert(fc.property(
      fc.double({ min: 0.005, max: 0.05, noNaN: true }), fc.double({ min: 0.2, max: 0.6, noNaN: true }), fc.constantFrom(0, 0.5), fc.integer({ min: 0, max: 10_000 }),
      (k, beta, chance, seed) => {
        const law = { kind: 'power' as const, k, beta, gMax: 1 };
        const budgets = BUDGETS.filter((x) => k * x ** beta < 0.95);
        fc.pre(budgets.length >= 4);
        const data = syntheticLeafCounts({ law, chance, budgets, trials: 3000, seed });
        const r = fitLeafLaw(data, { chance, bootstrap: 150, seed });
        checked++;
        if (r.gMaxReached) return; // a saturated fit of unsaturated data: its k, β describe fewer points
        unsaturated++;
        expect(Math.abs(Math.log(r.k / k))).toBeLessThan(5 * r.intervals.k!.stdError / r.k + 1e-9);
        expect(Math.abs(r.beta - beta)).toBeLessThan(5 * r.intervals.beta!.stdError);
      }), { numRuns: 12 });
    // Unsaturated data are rarely fitted as saturated (AIC): nearly every case is checked.
    expect(unsaturated).toBeGreaterThanOrEqual(checked - 1);
    expect(checked).toBeGreaterThanOrEqual(8);
  });
  it('the 90% intervals of k and β each cover the truth in at least 22 of 30 data sets (expected 27)', () => {
    let beta = 0, k = 0;
    for (let seed = 0; seed < 30; seed++) {
      const law = { kind: 'power' as const, k: 0.01, beta: 0.4, gMax: 1 };
      const r = fitLeafLaw(syntheticLeafCounts({ law, chance: 0.5, budgets: BUDGETS, trials: 2000, seed: 900 + seed }), { bootstrap: 200, level: 0.9, seed });
      expect(r.gMaxReached).toBe(false);
      if (r.intervals.beta!.lower <= 0.4 && 0.4 <= r.intervals.beta!.upper) beta++;
      if (r.intervals.k!.lower <= 0.01 && 0.01 <= r.intervals.k!.upper) k++;
    }
    expect(beta).toBeGreaterThanOrEqual(22);
    expect(k).toBeGreaterThanOrEqual(22);
  });
  it('g_max within 5 bootstrap standard errors when the law saturates', () => {
    for (let seed = 0; seed < 4; seed++) {
      const law = { kind: 'power' as const, k: 0.01, beta: 0.45, gMax: 0.6 };
      const data = syntheticLeafCounts({ law, chance: 0.5, budgets: [...BUDGETS, 30_000, 100_000], trials: 4000, seed });
      const r = fitLeafLaw(data, { bootstrap: 150, seed });
      expect(r.gMaxReached).toBe(true);
      expect(Math.abs(r.gMax - 0.6)).toBeLessThan(5 * r.intervals.gMax!.stdError);
      expect(Math.abs(r.beta - 0.45)).toBeLessThan(5 * r.intervals.beta!.stdError);
    }
  });
  it('error shrinks with data: mean |β̂ − β| over 8 seeds falls by at least half from 500 to 8000 trials', () => {
    const law = { kind: 'power' as const, k: 0.01, beta: 0.4, gMax: 1 };
    const meanError = (trials: number) => {
      let sum = 0;
      for (let seed = 0; seed < 8; seed++) {
        const r = fitLeafLaw(syntheticLeafCounts({ law, chance: 0.5, budgets: BUDGETS, trials, seed: 40 + seed }), { bootstrap: 0 });
        sum += Math.abs(r.beta - 0.4);
      }
      return sum / 8;
    };
    expect(meanError(8000)).toBeLessThan(0.5 * meanError(500));
  });
  it('accuracies only: residual bootstrap intervals, and the fitted law works in the design search', () => {
    const law = { kind: 'power' as const, k: 0.01, beta: 0.4, gMax: 1 };
    const data = syntheticLeafCounts({ law, chance: 0.5, budgets: BUDGETS, trials: 20_000, seed: 5 })
      .map((o) => ({ x: o.x, accuracy: (o as { right: number }).right / 20_000 }));
    const r = fitLeafLaw(data, { bootstrap: 300, seed: 1 });
    expect(r.method).toBe('least squares on ln u');
    expect(r.intervals.beta!.lower).toBeLessThan(r.beta);
    expect(r.intervals.beta!.upper).toBeGreaterThan(r.beta);
    expect(Math.abs(r.beta - 0.4)).toBeLessThan(5 * r.intervals.beta!.stdError);
    const d = designBinary({ budget: 1e6, window: 8000, overhead: 0, messageLengths: [100], fidelity: { kind: 'constant', gamma: 0.9 }, leafLaw: r.law, rho: 0.1 });
    expect(d.rows.some((row) => row.organization === 'single')).toBe(true);
  });
  it('is deterministic for a seed', () => {
    const data = syntheticLeafCounts({ law: { kind: 'power', k: 0.01, beta: 0.4 }, chance: 0.5, budgets: BUDGETS, trials: 300, seed: 2 });
    expect(fitLeafLaw(data, { bootstrap: 50, seed: 3 })).toEqual(fitLeafLaw(data, { bootstrap: 50, seed: 3 }));
  });
});

describe('§G3 bad input: clear errors, never NaN', () => {
  it('fewer than three budget points', () => {
    expect(() => fitLeafLaw([{ x: 1, accuracy: 0.6 }, { x: 2, accuracy: 0.7 }, { x: 2, accuracy: 0.72 }]))
      .toThrow('observations must be at least three distinct budget points (two parameters need a third point to be tested); got "2 distinct x"');
  });
  it('accuracies outside [0, 1], bad counts, bad compute, mixed rows, bad chance', () => {
    expect(() => fitLeafLaw([{ x: 1, accuracy: 0.6 }, { x: 2, accuracy: 1.3 }, { x: 3, accuracy: 0.7 }])).toThrow(/^observations\[1\]\.accuracy must be an accuracy in \[0, 1\]/);
    expect(() => fitLeafLaw([{ x: 1, right: 5, trials: 4 }])).toThrow(/^observations\[0\]\.right/);
    expect(() => fitLeafLaw([{ x: 0, accuracy: 0.6 }])).toThrow(/^observations\[0\]\.x/);
    expect(() => fitLeafLaw([{ x: 1, accuracy: 0.6 }, { x: 2, right: 1, trials: 2 }] as LeafObservation[])).toThrow(/^observations\[1\] must be the same kind of row/);
    expect(() => fitLeafLaw([{ x: 1, accuracy: 0.6 }], { chance: 1 })).toThrow(/^chance/);
    expect(() => fitLeafLaw([{ x: 1, accuracy: 0.6 }], { chance: 1 })).toThrow(InvalidParameterError);
  });
  it('accuracies at or below chance cannot enter the log fit (named by compute); counts can', () => {
    const acc = [{ x: 1, accuracy: 0.5 }, { x: 2, accuracy: 0.6 }, { x: 4, accuracy: 0.7 }];
    expect(() => fitLeafLaw(acc, { name: 'leaf.csv' })).toThrow(/^leaf\.csv at x = 1 must be an accuracy above chance p_c = 0\.5/);
    const counts = [{ x: 1, right: 49, trials: 100 }, { x: 2, right: 60, trials: 100 }, { x: 4, right: 70, trials: 100 }];
    const r = fitLeafLaw(counts, { bootstrap: 50 });
    expect(r.points[0].skill).toBeLessThan(0);
    expect(nonFinitePaths(r, leafNullable(r, false))).toEqual([]);
    expect(() => fitLeafLaw(counts.map((c) => ({ ...c, right: 40 })))).toThrow(/some point above chance/);
  });
  it('a law that falls with compute is an error (a §B2 law needs β > 0)', () => {
    expect(() => fitLeafLaw([{ x: 1, accuracy: 0.9 }, { x: 2, accuracy: 0.8 }, { x: 4, accuracy: 0.7 }]))
      .toThrow(/must be accuracies that rise with compute \(a §B2 leaf law needs β > 0\); got "fitted β = -/);
  });
  it('no NaN anywhere in a fit of few noisy points (the BATS gemini-2.5-flash rows)', () => {
    const flash = [{ x: 30, accuracy: 0.09 }, { x: 50, accuracy: 0.097 }, { x: 100, accuracy: 0.1 }];
    const r = fitLeafLaw(flash, { chance: 0, bootstrap: 200 });
    expect(nonFinitePaths(r, leafNullable(r, true))).toEqual([]);
    expect(r.beta).toBeGreaterThan(0);
  });
});
