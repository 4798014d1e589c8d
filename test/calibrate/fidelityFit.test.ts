// SPEC §G2 — γ(m) from agree/total counts: exact cases, recovery of saturating and rational curves
// from counts simulated through the §B3 channel by the §D simulator (truth within 5 bootstrap
// standard errors; fixed seeds), shrinking error, AIC choice, and the fitted curve in use.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  designBinary, fidelity, type FidelityCurve, fitFidelity, InvalidParameterError, syntheticFidelityCounts,
} from '../../src/index.ts';
import { nonFinitePaths } from './finite.ts';

const LENGTHS = [5, 10, 20, 40, 80, 160, 320, 640];

describe('§G2 exact cases', () => {
  it('γ̂ = 2·agree/total − 1 per length, pooled over repeated lengths', () => {
    const r = fitFidelity([{ m: 10, agree: 60, total: 100 }, { m: 20, agree: 90, total: 100 }, { m: 10, agree: 20, total: 50 }], { bootstrap: 0 });
    expect(r.lengths.map((l) => [l.m, l.agree, l.total, l.gamma])).toEqual([[10, 80, 150, 2 * 80 / 150 - 1], [20, 90, 100, 0.8]]);
    expect(r.lengths[1].stdError).toBeCloseTo(2 * Math.sqrt(0.9 * 0.1 / 100), 15);
    expect(r.skipped.map((s) => s.family)).toEqual(['saturating', 'rational']);
    expect(r.best.family).toBe('constant');
  });
  it('data exactly on a constant curve recover γ exactly, and the constant family wins by AIC', () => {
    const r = fitFidelity([10, 50, 100, 400].map((m) => ({ m, agree: 800, total: 1000 })), { bootstrap: 100 });
    expect(r.best.family).toBe('constant');
    expect(r.best.curve.kind === 'constant' && r.best.curve.gamma).toBeCloseTo(0.6, 15);
    // The parametric bootstrap redraws the counts, so the interval has width and holds the truth:
    expect(r.best.intervals.gamma!.lower).toBeLessThan(0.6);
    expect(r.best.intervals.gamma!.upper).toBeGreaterThan(0.6);
    expect(r.best.weightedSse).toBeLessThan(1e-25);
  });
  it('γ̂ below 0 clamps the constant family to γ = 0 (never outside [0, 1])', () => {
    const r = fitFidelity([{ m: 1, agree: 10, total: 100 }], { bootstrap: 50 });
    expect(r.best.curve).toEqual({ kind: 'constant', gamma: 0 });
    expect(r.best.intervals.gamma).toMatchObject({ lower: 0, upper: 0 });
  });
  it('reports AIC from the binomial log-likelihood: 2k − 2·Σ[a ln p + (n − a) ln(1 − p)]', () => {
    const data = [{ m: 10, agree: 600, total: 1000 }, { m: 40, agree: 800, total: 1000 }, { m: 160, agree: 900, total: 1000 }];
    const r = fitFidelity(data, { bootstrap: 0 });
    for (const f of r.families) {
      const ll = data.reduce((s, d) => {
        const p = (1 + fidelity(f.curve, d.m)) / 2;
        return s + d.agree * Math.log(p) + (d.total - d.agree) * Math.log(1 - p);
      }, 0);
      expect(f.logLikelihood).toBeCloseTo(ll, 9);
      expect(f.aic).toBeCloseTo(2 * f.parameters - 2 * ll, 9);
    }
    expect(r.families.reduce((s, f) => s + f.weight, 0)).toBeCloseTo(1, 12);
    expect(Math.min(...r.families.map((f) => f.deltaAic))).toBe(0);
  });
});

describe('§G2 recovery from simulated channels', () => {
  const family = fc.constantFrom<'saturating' | 'rational'>('saturating', 'rational');
  it('the true family\'s parameters lie within 5 bootstrap standard errors of the fit (random γ∞, m0; fixed seeds)', () => {
    fc.assert(fc.property(family, fc.double({ min: 0.5, max: 0.97, noNaN: true }), fc.double({ min: 10, max: 120, noNaN: true }), fc.integer({ min: 0, max: 10_000 }),
      (kind, gammaInf, m0, seed) => {
        const curve: FidelityCurve = { kind, gammaInf, m0 };
        const data = syntheticFidelityCounts({ curve, lengths: LENGTHS, total: 2000, seed });
        const r = fitFidelity(data, { bootstrap: 150, seed });
        const fit = r.families.find((f) => f.family === kind)!;
        const c = fit.curve as { gammaInf: number; m0: number };
        expect(Math.abs(c.gammaInf - gammaInf)).toBeLessThan(5 * fit.intervals.gammaInf!.stdError + 1e-9);
        expect(Math.abs(c.m0 - m0)).toBeLessThan(5 * fit.intervals.m0!.stdError);
        expect(r.families.find((f) => f.family === 'constant')!.deltaAic).toBeGreaterThan(10);
      }), { numRuns: 12 });
  });
  it('the 90% intervals of γ∞ and m0 each cover the truth in at least 22 of 30 data sets (expected 27)', () => {
    let gInf = 0, m0 = 0;
    for (let seed = 0; seed < 30; seed++) {
      const curve: FidelityCurve = { kind: 'saturating', gammaInf: 0.85, m0: 50 };
      const r = fitFidelity(syntheticFidelityCounts({ curve, lengths: LENGTHS, total: 1000, seed: 900 + seed }), { bootstrap: 200, level: 0.9, seed });
      const f = r.families.find((x) => x.family === 'saturating')!;
      if (f.intervals.gammaInf!.lower <= 0.85 && 0.85 <= f.intervals.gammaInf!.upper) gInf++;
      if (f.intervals.m0!.lower <= 50 && 50 <= f.intervals.m0!.upper) m0++;
    }
    expect(gInf).toBeGreaterThanOrEqual(22);
    expect(m0).toBeGreaterThanOrEqual(22);
  });
  it('AIC picks the true family in most data sets (≥ 8 of 10 each, at 20,000 votes per length)', () => {
    for (const kind of ['saturating', 'rational'] as const) {
      let right = 0;
      for (let seed = 0; seed < 10; seed++) {
        const data = syntheticFidelityCounts({ curve: { kind, gammaInf: 0.9, m0: 40 }, lengths: LENGTHS, total: 20_000, seed });
        if (fitFidelity(data, { bootstrap: 0 }).best.family === kind) right++;
      }
      expect(right).toBeGreaterThanOrEqual(8);
    }
  });
  it('error shrinks with data: mean |m̂0 − m0|/m0 over 8 seeds falls by at least half from 500 to 8000 votes per length', () => {
    const curve: FidelityCurve = { kind: 'saturating', gammaInf: 0.85, m0: 50 };
    const meanError = (total: number) => {
      let sum = 0;
      for (let seed = 0; seed < 8; seed++) {
        const r = fitFidelity(syntheticFidelityCounts({ curve, lengths: LENGTHS, total, seed: 300 + seed }), { bootstrap: 0 });
        sum += Math.abs((r.families.find((f) => f.family === 'saturating')!.curve as { m0: number }).m0 - 50) / 50;
      }
      return sum / 8;
    };
    expect(meanError(8000)).toBeLessThan(0.5 * meanError(500));
  });
  it('the fitted curve is a FidelityCurve usable by fidelity() and the design search', () => {
    const data = syntheticFidelityCounts({ curve: { kind: 'saturating', gammaInf: 0.9, m0: 40 }, lengths: LENGTHS, total: 3000, seed: 1 });
    const r = fitFidelity(data, { bootstrap: 50, seed: 2 });
    expect(fidelity(r.best.curve, 40)).toBeGreaterThan(0.4);
    const d = designBinary({ budget: 1e6, window: 8000, overhead: 0, messageLengths: [50, 200], fidelity: r.best.curve, leafLaw: { kind: 'power', k: 0.004, beta: 0.35, gMax: 1 }, rho: 0.05 });
    expect(d.rows.length).toBeGreaterThan(0);
  });
  it('every fitted curve agrees with the library\'s fidelity() at the data (one §B3 definition, review e)', () => {
    const data = syntheticFidelityCounts({ curve: { kind: 'rational', gammaInf: 0.85, m0: 25 }, lengths: LENGTHS, total: 2000, seed: 4 });
    const r = fitFidelity(data, { bootstrap: 0 });
    for (const f of r.families) {
      // The weighted SSE the fit minimised is the one fidelity() gives for its curve.
      const sse = r.lengths.reduce((s, l) => s + l.total * (l.gamma - fidelity(f.curve, l.m)) ** 2, 0);
      expect(f.weightedSse).toBe(sse);
    }
  });
  it('is deterministic for a seed', () => {
    const data = syntheticFidelityCounts({ curve: { kind: 'rational', gammaInf: 0.8, m0: 30 }, lengths: LENGTHS, total: 500, seed: 3 });
    expect(syntheticFidelityCounts({ curve: { kind: 'rational', gammaInf: 0.8, m0: 30 }, lengths: LENGTHS, total: 500, seed: 3 })).toEqual(data);
    expect(fitFidelity(data, { bootstrap: 60, seed: 9 })).toEqual(fitFidelity(data, { bootstrap: 60, seed: 9 }));
  });
});

describe('§G2 bad input', () => {
  it('never NaN or Infinity, at the edges of the data (m = 0, all or no votes agreeing)', () => {
    const cases = [
      [{ m: 0, agree: 50, total: 100 }, { m: 10, agree: 60, total: 100 }, { m: 20, agree: 70, total: 100 }, { m: 40, agree: 80, total: 100 }],
      [{ m: 1, agree: 100, total: 100 }, { m: 10, agree: 100, total: 100 }, { m: 20, agree: 100, total: 100 }],
      [{ m: 1, agree: 0, total: 100 }, { m: 10, agree: 0, total: 100 }, { m: 20, agree: 0, total: 100 }],
      [{ m: 1, agree: 0, total: 100 }, { m: 1000, agree: 100, total: 100 }, { m: 2000, agree: 99, total: 100 }],
      [{ m: 0, agree: 100, total: 100 }],
    ];
    for (const c of cases) expect(nonFinitePaths(fitFidelity(c, { bootstrap: 100, seed: 1 })), JSON.stringify(c)).toEqual([]);
  });
  it('names the row and field', () => {
    expect(() => fitFidelity([])).toThrow(InvalidParameterError);
    expect(() => fitFidelity([{ m: 1, agree: 5, total: 4 }])).toThrow(/^observations\[0\]\.agree must be an integer in \[0, 4\]/);
    expect(() => fitFidelity([{ m: -1, agree: 1, total: 4 }])).toThrow(/^observations\[0\]\.m/);
    expect(() => fitFidelity([{ m: 1, agree: 1, total: 0 }])).toThrow(/^observations\[0\]\.total/);
    expect(() => fitFidelity([{ m: 1, agree: 1, total: 4 }], { bootstrap: -1 })).toThrow(/^bootstrap/);
  });
});
