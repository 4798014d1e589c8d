// SPEC §E: the design search evaluates every candidate exactly and ranks them.
import { describe, expect, it } from 'vitest';
import { designBinary, designContinuous } from '../src/theory/design.ts';
import { fidelity, leafBias, starRisk, treeBudget, trajectory, treeRisk } from '../src/index.ts';

const problem = {
  budget: 5e5, window: 4000, overhead: 200, messageLengths: [40, 120],
  fidelity: { kind: 'saturating' as const, gammaInf: 0.95, m0: 40 }, leafLaw: { kind: 'power' as const, k: 0.004, beta: 0.35, gMax: 1 }, rho: 0.05,
};

describe('designBinary (§E)', () => {
  const result = designBinary(problem);
  it('spends exactly the budget and evaluates each feasible row with the exact recursion', () => {
    for (const r of result.rows.filter((x) => x.feasible && x.organization !== 'single')) {
      expect(treeBudget({ b: r.b!, depth: r.depth, compute: r.compute, m: r.m! }).exact).toBeCloseTo(problem.budget, 3);
      const gamma = fidelity(problem.fidelity, r.m!);
      expect(r.channel).toBe(gamma);
      const u0 = leafBias(problem.leafLaw, r.compute);
      expect(r.bias).toBe(trajectory({ b: r.b!, gamma, rho: problem.rho }, u0, r.depth)[r.depth]);
      expect(r.b! * r.m! + problem.overhead).toBeLessThanOrEqual(problem.window);
    }
  });
  it('ranks feasible rows by accuracy and marks window and budget dead ends', () => {
    const feasible = result.rows.filter((x) => x.feasible);
    feasible.forEach((r, i) => {
      expect(r.rank).toBe(i + 1);
      if (i > 0) expect(r.bias!).toBeLessThanOrEqual(feasible[i - 1].bias!);
    });
    expect(result.best).toBe(feasible[0]);
    expect(result.rows.filter((x) => !x.feasible).every((x) => /^(window|budget):/.test(x.reason))).toBe(true);
    expect(result.rows.some((x) => x.reason.startsWith('window'))).toBe(true);
  });
  it('explains losers by regime and states the small-signal verdict per (b, m)', () => {
    for (const r of result.rows.filter((x) => x.feasible && x.regime === 'subcritical')) expect(r.reason).toMatch(/floor/);
    expect(result.verdicts!.length).toBeGreaterThan(0);
    for (const v of result.verdicts!) expect(v.disagree).toBe(v.smallSignalSaysTreeWins !== v.exactSaysTreeWins);
  });
  it('with ρ = 1 no organization can beat one agent (every level washes out or copies)', () => {
    const r = designBinary({ ...problem, rho: 1 });
    expect(r.best.organization).toBe('single');
  });
});

describe('designContinuous (§E with §C)', () => {
  const p = { budget: 1e5, window: 3000, messageLengths: [100], noise: { kind: 'constant' as const, sigma2: 0.01 }, v1: 50, beta: 0.5, rho: 0.1 };
  const result = designContinuous(p);
  it('evaluates stars and trees with the §C formulas at the compute the budget leaves', () => {
    for (const r of result.rows.filter((x) => x.feasible)) {
      const v = 50 * r.compute ** -0.5;
      if (r.organization === 'star') expect(r.risk).toBeCloseTo(starRisk({ v, rho: 0.1, sigma2: 0.01, leaves: r.leaves }).risk, 12);
      if (r.organization === 'tree') expect(r.risk).toBeCloseTo(treeRisk({ v, rho: 0.1, sigma2: 0.01, b: r.b!, depth: r.depth }).risk, 12);
    }
    const risks = result.rows.filter((x) => x.feasible).map((x) => x.risk!);
    expect(risks).toEqual([...risks].sort((a, b) => a - b));
  });
  it('a star never beats its correlation floor ρ·v', () => {
    for (const r of result.rows.filter((x) => x.feasible && x.organization === 'star')) expect(r.risk!).toBeGreaterThanOrEqual(0.1 * 50 * r.compute ** -0.5);
  });
});
