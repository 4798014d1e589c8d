// SPEC §I1 / §D: the task-level event drawn once per trial, against the exact mixture (6σ).
import { describe, expect, it } from 'vitest';
import { InvalidParameterError, rootBias, simulateScopedTree } from '../../src/index.ts';

describe('simulateScopedTree (§I1 full tree)', () => {
  it('matches u_L = ρ_task·T^L(1)·u_0 + (1 − ρ_task)·T^L(u_0) within 6σ over several designs', () => {
    const cases = [
      { tree: { b: 3, gamma: 0.9, rho: 0.1 }, u0: 0.1, depth: 4, rhoTask: 0.3 },
      { tree: { b: 5, gamma: 0.8, rho: 0 }, u0: 0.3, depth: 3, rhoTask: 0.7 },
      { tree: { b: 3, gamma: 1, rho: 0.2 }, u0: -0.2, depth: 5, rhoTask: 1 },
    ];
    cases.forEach((c, i) => {
      const r = simulateScopedTree({ ...c, mode: 'full', trials: 400_000, seed: 11 + i });
      const exact = rootBias(c.tree, c.u0, c.depth, { rhoTask: c.rhoTask });
      expect(Math.abs(r.bias - exact)).toBeLessThan(6 * r.stdError);
      // The per-trial draw itself: shared fraction ≈ ρ_task within 6σ.
      const shared = (r.sharedRight + r.sharedWrong) / r.trials;
      expect(Math.abs(shared - c.rhoTask)).toBeLessThan(6 * Math.sqrt((c.rhoTask * (1 - c.rhoTask)) / r.trials) + 1e-12);
    });
  });

  it('tells the mixture from ρ_task = 0: the same design without the shared event is > 6σ away', () => {
    const c = { tree: { b: 3, gamma: 0.9, rho: 0 }, u0: 0.15, depth: 6, rhoTask: 0.5 };
    const r = simulateScopedTree({ ...c, mode: 'full', trials: 200_000, seed: 3 });
    expect(Math.abs(r.bias - rootBias(c.tree, c.u0, c.depth))).toBeGreaterThan(6 * r.stdError);
  });

  it('level by level (§D1b): a mixture of populations, one group per kind of trial, within 6σ of the exact mixture', () => {
    const cases = [
      { tree: { b: 3, gamma: 0.9, rho: 0.1 }, u0: 0.1, depth: 4, rhoTask: 0.3 },
      { tree: { b: 5, gamma: 0.8, rho: 0 }, u0: 0.3, depth: 12, rhoTask: 0.7 },
      { tree: { b: 3, gamma: 1, rho: 0.2 }, u0: -0.2, depth: 20, rhoTask: 1 },
    ];
    cases.forEach((c, i) => {
      const r = simulateScopedTree({ ...c, mode: 'levels', trials: 400_000, seed: 21 + i });
      const exact = rootBias(c.tree, c.u0, c.depth, { rhoTask: c.rhoTask });
      expect(r.warning).toBeUndefined();
      expect(r.stdErrorMethod).toBe('replicates');
      expect(Math.abs(r.bias - exact)).toBeLessThan(6 * r.stdError);
    });
    // ρ_task = 0.5 is > 6σ from ρ_task = 0 here, so the check can fail.
    const c = { tree: { b: 3, gamma: 0.9, rho: 0 }, u0: 0.15, depth: 6, rhoTask: 0.5 };
    const r = simulateScopedTree({ ...c, mode: 'levels', trials: 200_000, seed: 3 });
    expect(Math.abs(r.bias - rootBias(c.tree, c.u0, c.depth))).toBeGreaterThan(6 * r.stdError);
  });

  it('variants are refused with the parameter named', () => {
    expect(() => simulateScopedTree({ tree: { b: 3, gamma: 1, rho: 0 }, u0: 0.1, depth: 2, mode: 'levels', variant: { kind: 'channelAfterCopy' }, trials: 10, seed: 1, rhoTask: 0.2 }))
      .toThrow(InvalidParameterError);
  });
});
