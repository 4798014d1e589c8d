// SPEC §I1, §C4, §B9 in the design search: every organization under the same (ρ, ρ_task), each row's
// floor, the ranking flip when the correlation is task-level, and the 'falling' regime above u*.
import { describe, expect, it } from 'vitest';
import { designBinary, designContinuous } from '../src/theory/design.ts';
import { alpha, fidelity, fixedPoint, InvalidParameterError, leafBias, rootBias, starRisk, treeRisk } from '../src/index.ts';

const flip = {
  budget: 100_000, window: 1000, messageLengths: [20], noise: { kind: 'constant' as const, sigma2: 1e-6 }, v1: 1, beta: 0.3,
};

describe('§I1 continuous design: one scope for every organization', () => {
  const sibling = designContinuous({ ...flip, rho: 0.5 });
  const task = designContinuous({ ...flip, rho: 0, rhoTask: 0.5 });
  const depth8 = (rows: typeof sibling.rows) => rows.find((r) => r.organization === 'tree' && r.b === 2 && r.depth === 8)!;

  it('ranking flip: the depth-8 binary tree wins at ρ = 0.5 (siblings) and loses to the single agent when ρ is task-level', () => {
    expect(sibling.best.organization).toBe('tree');
    expect([sibling.best.b, sibling.best.depth]).toEqual([2, 8]);
    expect(sibling.best.risk!).toBeLessThan(sibling.single.risk!);
    const t = depth8(task.rows);
    expect(t.risk!).toBeGreaterThan(task.single.risk!);
    expect(t.reason).toMatch(/ρ_task = 0\.5/);
  });

  it('rows carry the risk and floor of the §I1 formulas under the problem’s (ρ, ρ_task)', () => {
    const v = (x: number) => Math.pow(x, -flip.beta);
    for (const r of task.rows.filter((x) => x.feasible && x.organization !== 'single').slice(0, 400)) {
      if (r.organization === 'tree') {
        const exact = treeRisk({ v: v(r.compute), rho: 0, rhoTask: 0.5, sigma2: 1e-6, b: r.b!, depth: r.depth });
        expect(r.risk).toBeCloseTo(exact.risk, 14);
        expect(r.floor).toBeCloseTo(0.5 * v(r.compute) + 1e-6 / (r.b! - 1), 14);
      } else if (r.organization === 'star') {
        expect(r.risk).toBeCloseTo(starRisk({ v: v(r.compute), rho: 0.5, sigma2: 1e-6, leaves: r.leaves }).risk, 14);
        expect(r.floor).toBeCloseTo(0.5 * v(r.compute), 14);
      }
    }
  });

  it('bad ρ_task names the parameter', () => {
    expect(() => designContinuous({ ...flip, rho: 0, rhoTask: -0.1 })).toThrow(InvalidParameterError);
    expect(() => designContinuous({ ...flip, rho: 0, rhoTask: -0.1 })).toThrow(/rhoTask/);
  });
});

describe('§I1 binary design', () => {
  const problem = {
    budget: 5e5, window: 4000, overhead: 200, messageLengths: [40, 120],
    fidelity: { kind: 'saturating' as const, gammaInf: 0.95, m0: 40 }, leafLaw: { kind: 'power' as const, k: 0.004, beta: 0.35, gMax: 1 }, rho: 0.05,
  };
  it('each row is the exact §I1 mixture and its floor is (ρ_task·u_0 + 1 − ρ_task)·u*', () => {
    const rhoTask = 0.3;
    const result = designBinary({ ...problem, rhoTask });
    const rows = result.rows.filter((r) => r.feasible && r.organization !== 'single');
    expect(rows.length).toBeGreaterThan(10);
    for (const r of rows) {
      const level = { b: r.b!, gamma: fidelity(problem.fidelity, r.m!), rho: problem.rho };
      const u0 = leafBias(problem.leafLaw, r.compute);
      expect(r.bias).toBe(rootBias(level, u0, r.depth, { rhoTask }));
      const uStar = alpha(level) > 1 ? fixedPoint(level) : 0;
      expect(r.floor).toBeCloseTo((rhoTask * u0 + 1 - rhoTask) * uStar, 12);
    }
    // Task-level sharing can only lower a tree's accuracy at u_0 > 0 (the shared vote carries u_0 only).
    const plain = designBinary(problem);
    const best = plain.best;
    const same = result.rows.find((r) => r.organization === best.organization && r.b === best.b && r.depth === best.depth && r.m === best.m)!;
    expect(same.bias!).toBeLessThan(best.bias!);
  });

  it('§B9: a leaf bias above u* is the "falling" regime, not "growing"', () => {
    // γ(m) ≈ 0.6 channel, leaves already near certainty: u_0 > u*, so depth only loses bias.
    const result = designBinary({
      budget: 1e5, window: 4000, messageLengths: [40], fidelity: { kind: 'constant', gamma: 0.7 },
      leafLaw: { kind: 'power', k: 0.2, beta: 0.3, gMax: 0.99 }, rho: 0, maxDepth: 3,
    });
    const falling = result.rows.filter((r) => r.regime === 'falling');
    expect(falling.length).toBeGreaterThan(0);
    for (const r of falling) {
      const level = { b: r.b!, gamma: r.channel!, rho: 0 };
      expect(r.leafBias!).toBeGreaterThan(fixedPoint(level));
      expect(r.bias!).toBeLessThan(r.leafBias!);
      expect(r.reason).toMatch(/falling/);
    }
  });
});

describe('§I2 difficulty in the binary design search', () => {
  it('rows are the Beta expectation of the exact root bias; the single agent keeps g(B); depth gains shrink', async () => {
    const { expectedRootAccuracy } = await import('../src/index.ts');
    const problem = {
      budget: 2e5, window: 4000, messageLengths: [40], fidelity: { kind: 'constant' as const, gamma: 0.95 },
      leafLaw: { kind: 'power' as const, k: 0.01, beta: 0.35, gMax: 1 }, rho: 0.02, maxDepth: 6,
    };
    const plain = designBinary(problem);
    const hard = designBinary({ ...problem, dispersion: 0.2, rhoTask: 0.1 });
    expect(hard.single.bias).toBe(plain.single.bias);
    const rows = hard.rows.filter((r) => r.feasible && r.organization !== 'single').slice(0, 8);
    for (const r of rows) {
      const level = { b: r.b!, gamma: 0.95, rho: 0.02 };
      const acc = expectedRootAccuracy(level, r.depth, { difficulty: { mean: (1 + r.leafBias!) / 2, dispersion: 0.2 }, rhoTask: 0.1 });
      expect(r.bias).toBeCloseTo(2 * acc - 1, 12);
    }
    expect(hard.best.bias!).toBeLessThan(plain.best.bias!);
    expect(() => designBinary({ ...problem, dispersion: 1 })).toThrow(/dispersion/);
  });
});
