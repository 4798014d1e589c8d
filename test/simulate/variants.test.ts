// SPEC §D2 — the variants beyond the closed forms, each against its own reference: channel after
// the copy (its level map), task heterogeneity (quadrature of E[T^L(u_0)] over Beta), per-level
// parameters (the composed map of §B6).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expectedRootBias, simulateTree, simulateTreeScalarChunk, trajectory, type Level } from '../../src/index.ts';
import { biasSigma, channelAfterCopySlope, channelAfterCopyTrajectory, heterogeneousReference, levelsSigma } from './reference.ts';

const levelArb = fc.record({
  b: fc.constantFrom(3, 5, 7),
  gamma: fc.double({ min: 0, max: 1, noNaN: true }),
  rho: fc.double({ min: 0, max: 1, noNaN: true }),
});

describe('channel after the copy (§D2)', () => {
  it('full tree follows u ↦ ρ·f_b(γ)·u + (1 − ρ)·f_b(γu)', () => {
    fc.assert(fc.property(levelArb, fc.double({ min: -1, max: 1, noNaN: true }), fc.integer({ min: 0, max: 4 }), fc.nat(), (level, u0, depth, seed) => {
      const trials = 15_000;
      const r = simulateTree({ tree: level, u0, depth, mode: 'full', variant: { kind: 'channelAfterCopy' }, trials, seed });
      const uL = channelAfterCopyTrajectory([level], u0, depth);
      expect(Math.abs(r.bias - uL)).toBeLessThanOrEqual(6 * biasSigma(uL, trials) + 1 / trials);
    }), { numRuns: 30 });
  });

  it('differs measurably from the standard model where the map says so', () => {
    // b = 5, γ = 0.7, ρ = 0.6: per level the shared branch gives f_5(0.7)·u ≈ 0.84u instead of 0.7u.
    const level = { b: 5, gamma: 0.7, rho: 0.6 };
    const trials = 200_000;
    const copy = simulateTree({ tree: level, u0: 0.5, depth: 3, mode: 'full', variant: { kind: 'channelAfterCopy' }, trials, seed: 8 });
    const standard = simulateTree({ tree: level, u0: 0.5, depth: 3, mode: 'full', trials, seed: 8 });
    const uCopy = channelAfterCopyTrajectory([level], 0.5, 3);
    const uStandard = trajectory(level, 0.5, 3)[3];
    expect(uCopy - uStandard).toBeGreaterThan(0.05);
    expect(Math.abs(copy.bias - uCopy)).toBeLessThanOrEqual(6 * biasSigma(uCopy, trials) + 1 / trials);
    expect(Math.abs(standard.bias - uStandard)).toBeLessThanOrEqual(6 * biasSigma(uStandard, trials) + 1 / trials);
  });

  it('level by level follows the same map', () => {
    const level = { b: 5, gamma: 0.75, rho: 0.4 };
    const trials = 60_000;
    const depth = 12;
    const r = simulateTree({ tree: level, u0: 0.05, depth, mode: 'levels', variant: { kind: 'channelAfterCopy' }, trials, seed: 12 });
    const traj = [0.05];
    for (let l = 1; l <= depth; l++) traj.push(channelAfterCopyTrajectory([level], 0.05, l));
    const sigma = levelsSigma([level], traj, trials, channelAfterCopySlope);
    expect(Math.abs(r.bias - traj[depth])).toBeLessThanOrEqual(6 * sigma + 2 / trials);
  });
});

describe('task heterogeneity (§D2): leaf accuracy p ~ Beta(a, b) per trial', () => {
  it('root bias = E[T^L(2p − 1)] by quadrature', () => {
    const cases: [Level, number, number, number][] = [
      [{ b: 3, gamma: 0.9, rho: 0.2 }, 2, 1.5, 4],
      [{ b: 5, gamma: 0.8, rho: 0 }, 1, 1, 3],
      [{ b: 3, gamma: 1, rho: 0.5 }, 5, 2, 5],
      [{ b: 7, gamma: 0.6, rho: 0.3 }, 1.5, 3, 2],
    ];
    for (const [i, [level, a, b, depth]] of cases.entries()) {
      const trials = 60_000;
      const r = simulateTree({ tree: level, u0: 0, depth, mode: 'full', variant: { kind: 'heterogeneous', betaA: a, betaB: b }, trials, seed: 100 + i });
      const expected = heterogeneousReference([level], a, b, depth);
      expect(Math.abs(r.bias - expected)).toBeLessThanOrEqual(6 * biasSigma(expected, trials) + 1 / trials + 1e-4);
    }
  });

  it('depth 0 has mean leaf bias (a − b)/(a + b); the scalar reference agrees', () => {
    const trials = 200_000;
    const r = simulateTree({ tree: { b: 3, gamma: 1, rho: 0 }, u0: 0.9, depth: 0, mode: 'full', variant: { kind: 'heterogeneous', betaA: 3, betaB: 1 }, trials, seed: 1 });
    expect(Math.abs(r.bias - 0.5)).toBeLessThanOrEqual(6 * biasSigma(0.5, trials) + 1 / trials);
    const spec = { tree: { b: 5, gamma: 0.8, rho: 0.1 }, u0: 0, depth: 2, mode: 'full' as const, variant: { kind: 'heterogeneous' as const, betaA: 0.5, betaB: 0.5 } };
    const slow = simulateTreeScalarChunk(spec, { seed: 2, cell: 0, chunk: 0, trials: 50_000 });
    const fast = simulateTree({ ...spec, trials: 50_000, seed: 2 });
    const diff = fast.bias - (2 * slow.correct / slow.trials - 1);
    expect(Math.abs(diff)).toBeLessThanOrEqual(6 * Math.SQRT2 * biasSigma(0, 50_000) + 2 / 50_000);
  });
});

describe('per-level parameters (§D2, §B6 composed map)', () => {
  it('full and level-wise trees follow u_L = T_L(…T_1(u_0))', () => {
    const perLevel = fc.array(levelArb, { minLength: 1, maxLength: 5 });
    fc.assert(fc.property(perLevel, fc.double({ min: -1, max: 1, noNaN: true }), fc.nat(), (levels, u0, seed) => {
      const depth = levels.length;
      const traj = trajectory(levels, u0, depth);
      const trials = 15_000;
      const full = simulateTree({ tree: levels, u0, depth, mode: 'full', trials, seed });
      expect(Math.abs(full.bias - traj[depth])).toBeLessThanOrEqual(6 * biasSigma(traj[depth], trials) + 1 / trials);
      const lw = simulateTree({ tree: levels, u0, depth, mode: 'levels', trials, seed });
      expect(Math.abs(lw.bias - traj[depth])).toBeLessThanOrEqual(6 * levelsSigma(levels, traj, trials) + 2 / trials);
    }), { numRuns: 30 });
  });

  it('a deep mixed tree (depth 40, alternating b = 3 and b = 9) level by level', () => {
    const levels = Array.from({ length: 40 }, (_, i) => (i % 2 ? { b: 9, gamma: 0.55, rho: 0.1 } : { b: 3, gamma: 0.8, rho: 0.3 }));
    // u_0 = 0.1: populations of 3,125 nodes stay clear of a sign flip (at u_0 = 0.02 the simulator
    // rightly warns that they are too small, §D1b).
    const traj = trajectory(levels, 0.1, 40);
    const trials = 50_000;
    const r = simulateTree({ tree: levels, u0: 0.1, depth: 40, mode: 'levels', trials, seed: 40 });
    expect(traj[40]).toBeGreaterThan(0.2); // it amplifies: a real test of the composed map
    expect(r.warning).toBeUndefined();
    expect(Math.abs(r.bias - traj[40])).toBeLessThanOrEqual(6 * r.stdError + 2 / trials);
    expect(Math.abs(r.bias - traj[40])).toBeLessThanOrEqual(6 * levelsSigma(levels, traj, trials) + 2 / trials);
    expect(simulateTree({ tree: levels, u0: 0.02, depth: 40, mode: 'levels', trials, seed: 40 }).warning).toMatch(/too small/);
  });
});

describe('task heterogeneity given as the §I2 Difficulty (model.ts)', () => {
  it('is the same Beta law as betaA/betaB (equal counts), and matches its quadrature reference within 6σ', () => {
    const tree = { b: 3, gamma: 0.9, rho: 0.1 };
    const difficulty = { mean: 0.6, dispersion: 0.2 }; // a + b = 1/φ − 1 = 4: Beta(2.4, 1.6)
    const base = { tree, u0: 0, depth: 4, mode: 'full' as const, trials: 100_000, seed: 8 };
    const byDifficulty = simulateTree({ ...base, variant: { kind: 'difficulty', difficulty } });
    const byShape = simulateTree({ ...base, variant: { kind: 'heterogeneous', betaA: 0.6 * 4, betaB: 0.4 * 4 } });
    expect(byDifficulty.correct).toBe(byShape.correct);
    const exact = expectedRootBias({ tree, u0: 0, depth: 4, variant: { kind: 'difficulty', difficulty } });
    expect(exact).toBeCloseTo(expectedRootBias({ tree, u0: 0, depth: 4, variant: { kind: 'heterogeneous', betaA: 2.4, betaB: 1.6 } }), 12);
    expect(Math.abs(byDifficulty.bias - exact)).toBeLessThanOrEqual(6 * byDifficulty.stdError);
    expect(() => simulateTree({ ...base, variant: { kind: 'difficulty', difficulty: { mean: 0.6, dispersion: 0 } } })).toThrow(/variant\.difficulty/);
  });
});
