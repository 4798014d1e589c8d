// SPEC §G1 — ρ̂ from a correctness matrix: exact cases, recovery from §B4 data simulated with
// known ρ (the truth must lie within 5 bootstrap standard errors; fixed seeds, so nothing flakes),
// shrinking error with more tasks, and the bad-input errors.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { estimateCorrelation, InvalidParameterError, syntheticCorrectnessMatrix } from '../../src/index.ts';
import { nonFinitePaths } from './finite.ts';

describe('§G1 exact cases', () => {
  it('identical agents give ρ̂ = 1 exactly (every resample too)', () => {
    const { matrix } = syntheticCorrectnessMatrix({ biases: [0.2, 0.2], tasks: 300, rho: 0, seed: 4 });
    const copy = { agents: ['a', 'b', 'c'], tasks: matrix.tasks.map((row) => [row[0], row[0], row[0]]) };
    const r = estimateCorrelation(copy, { bootstrap: 200, seed: 3 });
    expect(r.rho).toBe(1);
    expect(r.pairs.map((p) => p.rho)).toEqual([1, 1, 1]);
    expect(r.interval).toMatchObject({ lower: 1, upper: 1 });
  });
  it('independent agents of known, different biases give ρ̂ near 0, inside its interval', () => {
    const biases = [-0.2, 0.1, 0.4, 0.6];
    const { matrix, expectedRho } = syntheticCorrectnessMatrix({ biases, tasks: 4000, rho: 0, seed: 11 });
    expect(expectedRho).toBe(0);
    const r = estimateCorrelation(matrix, { bootstrap: 400, seed: 1 });
    expect(r.interval!.lower).toBeLessThan(0);
    expect(r.interval!.upper).toBeGreaterThan(0);
    // The mean of 6 pair correlations, each with standard error ≈ 1/√4000: 6σ ≈ 0.04.
    expect(Math.abs(r.rho)).toBeLessThan(6 / Math.sqrt(4000));
    // The agents' biases are recovered too (binomial standard error 2·√(p(1 − p)/n) ≤ 0.016; 6σ).
    r.agents.forEach((a, i) => expect(Math.abs(a.bias - biases[i])).toBeLessThan(6 * 2 * Math.sqrt(0.25 / 4000)));
  });
  it('perfectly anti-correlated agents give −1; the pair table counts shared tasks only', () => {
    const m = { agents: ['a', 'b', 'c'], tasks: [[1, 0, 1], [0, 1, null], [1, 0, 0], [0, 1, 1], [null, 1, 0]] as (0 | 1 | null)[][] };
    const r = estimateCorrelation(m, { bootstrap: 0 });
    expect(r.pairs[0]).toMatchObject({ a: 'a', b: 'b', rho: -1, shared: 4 });
    expect(r.pairs[1].shared).toBe(3);
    expect(r.pairs[2].shared).toBe(4);
    expect(r.interval).toBeNull();
    expect(r.rho).toBeCloseTo((r.pairs[0].rho + r.pairs[1].rho + r.pairs[2].rho) / 3, 15);
  });
});

describe('§G1 recovery from §B4 data with known ρ', () => {
  it('truth within 5 bootstrap standard errors (random ρ, biases, agents; fixed seeds)', () => {
    fc.assert(fc.property(
      fc.double({ min: 0, max: 0.8, noNaN: true }), fc.double({ min: -0.5, max: 0.6, noNaN: true }),
      fc.integer({ min: 2, max: 5 }), fc.integer({ min: 0, max: 1000 }),
      (rho, u, agents, seed) => {
        const { matrix, expectedRho } = syntheticCorrectnessMatrix({ biases: Array(agents).fill(u), tasks: 800, rho, missing: 0.05, seed });
        expect(expectedRho).toBeCloseTo(rho, 14);
        const r = estimateCorrelation(matrix, { bootstrap: 150, seed });
        expect(Math.abs(r.rho - rho)).toBeLessThan(5 * r.interval!.stdError);
      }), { numRuns: 15 });
  });
  it('the 90% interval covers the truth in at least 30 of 40 data sets (expected 36)', () => {
    let covered = 0;
    for (let seed = 0; seed < 40; seed++) {
      const { matrix } = syntheticCorrectnessMatrix({ biases: [0.3, 0.3, 0.3], tasks: 400, rho: 0.35, seed: 100 + seed });
      const r = estimateCorrelation(matrix, { bootstrap: 200, level: 0.9, seed });
      if (r.interval!.lower <= 0.35 && 0.35 <= r.interval!.upper) covered++;
    }
    expect(covered).toBeGreaterThanOrEqual(30);
  });
  it('with unequal biases the estimate targets the mean pair correlation of the coupling', () => {
    const { matrix, expectedRho } = syntheticCorrectnessMatrix({ biases: [0.1, 0.5, 0.3], tasks: 6000, rho: 0.4, seed: 9 });
    const r = estimateCorrelation(matrix, { bootstrap: 200, seed: 2 });
    expect(expectedRho).toBeLessThan(0.4);
    expect(Math.abs(r.rho - expectedRho)).toBeLessThan(5 * r.interval!.stdError);
  });
  it('error shrinks with data: mean |ρ̂ − ρ| over 8 seeds falls by at least half from 100 to 1600 tasks', () => {
    const meanError = (tasks: number) => {
      let sum = 0;
      for (let seed = 0; seed < 8; seed++) {
        const { matrix } = syntheticCorrectnessMatrix({ biases: [0.2, 0.2, 0.2, 0.2], tasks, rho: 0.3, seed: 500 + seed });
        sum += Math.abs(estimateCorrelation(matrix, { bootstrap: 0 }).rho - 0.3);
      }
      return sum / 8;
    };
    // Standard error ∝ 1/√n: 16× the tasks should give about a quarter of the error.
    expect(meanError(1600)).toBeLessThan(0.5 * meanError(100));
  });
  it('is deterministic for a seed and changes with it', () => {
    const { matrix } = syntheticCorrectnessMatrix({ biases: [0.3, 0.3, 0.3], tasks: 200, rho: 0.2, seed: 1 });
    const a = estimateCorrelation(matrix, { bootstrap: 100, seed: 5 });
    expect(estimateCorrelation(matrix, { bootstrap: 100, seed: 5 })).toEqual(a);
    expect(estimateCorrelation(matrix, { bootstrap: 100, seed: 6 }).interval).not.toEqual(a.interval);
  });
});

describe('§G1 bad input', () => {
  const err = (f: () => unknown) => {
    try {
      f();
    } catch (e) {
      expect(e).toBeInstanceOf(InvalidParameterError);
      return (e as Error).message;
    }
    throw new Error('expected an error');
  };
  it('fewer than two agents', () => {
    expect(err(() => estimateCorrelation({ agents: ['a'], tasks: [[1], [0]] }))).toMatch(/^matrix\.agents must be at least two agents/);
  });
  it('a constant column (an agent always right or always wrong) names the agent', () => {
    const m = { agents: ['good', 'perfect'], tasks: [[1, 1], [0, 1], [1, 1]] as (0 | 1)[][] };
    expect(err(() => estimateCorrelation(m))).toBe('agent "perfect" (column 2) must be right on some tasks and wrong on others (a constant agent has no correlation); got "right on all 3 answered tasks"');
  });
  it('a pair without two shared varying tasks names both agents', () => {
    const m = { agents: ['a', 'b'], tasks: [[1, null], [0, null], [null, 1], [null, 0]] as (0 | 1 | null)[][] };
    expect(err(() => estimateCorrelation(m))).toMatch(/^agents "a" and "b" \(columns 1 and 2\) must be at least two shared answered tasks/);
  });
  it('malformed cells and options', () => {
    expect(err(() => estimateCorrelation({ agents: ['a', 'b'], tasks: [[1, 2 as 1]] }))).toMatch(/matrix\.tasks\[0\]\[1\]/);
    expect(err(() => estimateCorrelation({ agents: ['a', 'b'], tasks: [[1, 0], [0, 1]] }, { level: 1.5 }))).toMatch(/^level/);
    expect(err(() => estimateCorrelation({ agents: ['a', 'b'], tasks: [[1, 0], [0, 1]] }, { seed: -1 }))).toMatch(/^seed/);
  });
  it('never NaN: resamples with a constant pair are dropped and counted', () => {
    // Agent b is wrong on one task only: many resamples leave it constant.
    const tasks = Array.from({ length: 12 }, (_, t) => [t % 2, t === 0 ? 0 : 1] as (0 | 1)[]);
    const r = estimateCorrelation({ agents: ['a', 'b'], tasks }, { bootstrap: 300, seed: 1 });
    expect(r.undefinedResamples).toBeGreaterThan(0);
    expect(nonFinitePaths(r)).toEqual([]);
    expect(Number.isFinite(r.interval!.lower) && Number.isFinite(r.interval!.upper)).toBe(true);
  });
});
