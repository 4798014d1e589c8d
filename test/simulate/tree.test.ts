// SPEC §D1, §D4 — the bit-parallel tree simulators against the exact recursion of §B6, exact cases,
// determinism, and the plain/SIMD identity. Fixed seeds everywhere: nothing here can flake.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  instantiateKernel, simulateTree, simulateTreeChunk, simulateTreeScalarChunk, TRIALS_PER_CHUNK, trajectory,
  type TreeSimulationSpec,
} from '../../src/index.ts';
import { biasSigma, levelsSigma } from './reference.ts';

const plain = await instantiateKernel('plain');
const simd = await instantiateKernel('simd');

const oddB = (max: number) => fc.integer({ min: 1, max: (max - 1) / 2 }).map((n) => 2 * n + 1);
const unit = fc.double({ min: 0, max: 1, noNaN: true });
const bias = fc.double({ min: -1, max: 1, noNaN: true });
const seed = fc.integer({ min: 0, max: 2 ** 53 - 1 });

describe('full tree (§D1a) agrees with the exact trajectory', () => {
  it('over random (b, γ, ρ, u_0, depth, seed): |bias − u_L| ≤ 6σ + 1/N', () => {
    const cases = fc.record({ b: oddB(11), gamma: unit, rho: unit, u0: bias, depthFrac: unit, seed });
    fc.assert(fc.property(cases, ({ b, gamma, rho, u0, depthFrac, seed }) => {
      // Keep b^L ≤ 3^7 so a run costs at most ~2·10^7 leaf-votes.
      const maxDepth = Math.floor(Math.log(2187) / Math.log(b));
      const depth = Math.round(depthFrac * maxDepth);
      const level = { b, gamma, rho };
      const trials = 12_000;
      const r = simulateTree({ tree: level, u0, depth, mode: 'full', trials, seed });
      const uL = trajectory(level, u0, depth)[depth];
      expect(r.trials).toBe(trials);
      expect(Math.abs(r.bias - uL)).toBeLessThanOrEqual(6 * biasSigma(uL, trials) + 1 / trials);
    }), { numRuns: 60 });
  });

  it('reproduces the §F-style amplifying and subcritical regimes at depth 8 (b = 3)', () => {
    for (const level of [{ b: 3, gamma: 0.9, rho: 0.2 }, { b: 3, gamma: 0.6, rho: 0.3 }]) {
      const trials = 100_000;
      const r = simulateTree({ tree: level, u0: 0.2, depth: 8, mode: 'full', trials, seed: 2026 });
      const uL = trajectory(level, 0.2, 8)[8];
      expect(Math.abs(r.bias - uL)).toBeLessThanOrEqual(6 * biasSigma(uL, trials) + 1 / trials);
    }
  });

  it('b = 7, 9, 11, 13 and a large star (b = 101, depth 1) work', () => {
    for (const [b, depth] of [[7, 3], [9, 2], [11, 2], [13, 2], [101, 1]]) {
      const level = { b, gamma: 0.8, rho: 0.1 };
      const trials = 30_000;
      const r = simulateTree({ tree: level, u0: 0.1, depth, mode: 'full', trials, seed: b });
      const uL = trajectory(level, 0.1, depth)[depth];
      expect(Math.abs(r.bias - uL)).toBeLessThanOrEqual(6 * biasSigma(uL, trials) + 1 / trials);
    }
  });

  it('agrees with the one-trial-at-a-time scalar reference', () => {
    const spec: TreeSimulationSpec = { tree: { b: 5, gamma: 0.7, rho: 0.25 }, u0: 0.15, depth: 4, mode: 'full' };
    const at = { seed: 9, cell: 0, chunk: 0, trials: 40_000 };
    const fast = simulateTreeChunk(spec, at);
    const slow = simulateTreeScalarChunk(spec, at);
    const uL = trajectory(spec.tree, 0.15, 4)[4];
    const diff = (2 * fast.correct - 2 * slow.correct) / at.trials;
    expect(Math.abs(diff)).toBeLessThanOrEqual(6 * Math.SQRT2 * biasSigma(uL, at.trials) + 2 / at.trials);
    expect(Math.abs((2 * slow.correct) / at.trials - 1 - uL)).toBeLessThanOrEqual(6 * biasSigma(uL, at.trials) + 1 / at.trials);
  });
});

describe('fused leaf draw (standard model: one received-vote word per leaf, §B4, §D1)', () => {
  it('a shared event at level 1 copies the first leaf\'s RECEIVED vote: ρ = 1, depth 1 has bias γ·u_0', () => {
    // The vote before its channel would give u_0 = 0.6 instead; the channel after the copy (§D2)
    // gives f_b(γ)·u_0. Both are far outside the tolerance.
    for (const b of [3, 17]) {
      const level = { b, gamma: 0.5, rho: 1 };
      const trials = 40_000;
      const r = simulateTree({ tree: level, u0: 0.6, depth: 1, mode: 'full', trials, seed: 5 });
      expect(Math.abs(r.bias - 0.3)).toBeLessThanOrEqual(6 * biasSigma(0.3, trials) + 1 / trials);
    }
  });

  it('the leaf edge uses the fidelity of level index 0, batched (b ≤ 15) and unbatched (b > 15) level 1', () => {
    for (const levels of [
      [{ b: 3, gamma: 0.4, rho: 0.3 }, { b: 5, gamma: 0.95, rho: 0.1 }],
      [{ b: 17, gamma: 0.3, rho: 0.2 }, { b: 3, gamma: 0.95, rho: 0.1 }],
    ]) {
      const uL = trajectory(levels, 0.3, 2)[2];
      // Leaf edges with the fidelity of level index 1 instead: what a wrong fused code would give.
      const wrong = trajectory([{ ...levels[0], gamma: levels[1].gamma }, levels[1]], 0.3, 2)[2];
      const trials = 40_000;
      const r = simulateTree({ tree: levels, u0: 0.3, depth: 2, mode: 'full', trials, seed: 17 });
      const tol = 6 * biasSigma(uL, trials) + 1 / trials;
      expect(Math.abs(r.bias - uL)).toBeLessThanOrEqual(tol);
      expect(Math.abs(wrong - uL)).toBeGreaterThan(3 * tol); // the check can tell them apart
    }
  });
});

describe('level by level (§D1b) agrees with the exact trajectory', () => {
  it('over random (b ≤ 101, γ, ρ, u_0, depth ≤ 40, seed), with the propagated population noise', () => {
    const cases = fc.record({ b: oddB(101), gamma: unit, rho: unit, u0: bias, depth: fc.integer({ min: 0, max: 40 }), seed });
    let trusted = 0;
    fc.assert(fc.property(cases, ({ b, gamma, rho, u0, depth, seed }) => {
      const level = { b, gamma, rho };
      const trials = 8_000;
      const r = simulateTree({ tree: level, u0, depth, mode: 'levels', trials, seed });
      expect(r.replicates).toBe(16);
      expect(r.stdErrorMethod).toBe('replicates');
      // Where populations of 500 are too small (a sign flip, the finite-population bias) the
      // simulator says so instead of claiming u_L within its error (§D1b).
      if (r.warning) return;
      trusted++;
      const traj = trajectory(level, u0, depth);
      expect(Math.abs(r.bias - traj[depth])).toBeLessThanOrEqual(6 * r.stdError + 2 / trials);
      expect(Math.abs(r.bias - traj[depth])).toBeLessThanOrEqual(6 * levelsSigma([level], traj, trials) + 2 / trials);
    }), { numRuns: 40 });
    expect(trusted).toBeGreaterThan(20);
  });

  it('the paper\'s synthetic check (§F): b = 5, γ = 0.6, u_0 = 0.05, depth 10 and 30, 50,000 trials', () => {
    const warned: string[] = [];
    for (const rho of [0, 0.1, 0.3, 0.5]) {
      const level = { b: 5, gamma: 0.6, rho };
      for (const depth of [10, 30]) {
        const trials = 50_000;
        const r = simulateTree({ tree: level, u0: 0.05, depth, mode: 'levels', trials, seed: 17 });
        const traj = trajectory(level, 0.05, depth);
        if (r.warning) {
          warned.push(`${rho}/${depth}`);
          continue;
        }
        expect(Math.abs(r.bias - traj[depth])).toBeLessThanOrEqual(6 * r.stdError + 2 / trials);
      }
    }
    // At depth 30 and ρ ≤ 0.1, 16 populations of 3,125 can flip sign (issue 12): flagged, not claimed.
    expect(warned).toEqual(expect.arrayContaining(['0/30', '0.1/30']));
    expect(warned.length).toBeLessThanOrEqual(3);
  });
});

describe('exact cases', () => {
  it('u_0 = ±1 with γ = 1 is deterministic, for every ρ, b, mode and variant', () => {
    for (const u0 of [1, -1]) {
      for (const rho of [0, 0.3, 1]) {
        for (const b of [3, 5, 9]) {
          for (const variant of [{ kind: 'standard' }, { kind: 'channelAfterCopy' }] as const) {
            for (const mode of ['full', 'levels'] as const) {
              const r = simulateTree({ tree: { b, gamma: 1, rho }, u0, depth: 3, mode, variant, trials: 1000, seed: 3 });
              expect(r.correct).toBe(u0 === 1 ? 1000 : 0);
            }
          }
        }
      }
    }
  });

  it('depth 0 is the leaf itself; ρ = γ = 1 is the identity map (§B7)', () => {
    const trials = 200_000;
    for (const mode of ['full', 'levels'] as const) {
      const leaf = simulateTree({ tree: { b: 3, gamma: 0.5, rho: 0.5 }, u0: 0.3, depth: 0, mode, trials, seed: 4 });
      expect(Math.abs(leaf.bias - 0.3)).toBeLessThanOrEqual(6 * biasSigma(0.3, trials) + 1 / trials);
    }
    // ρ = γ = 1: every aggregator copies its first child, so the root is one leaf.
    const copy = simulateTree({ tree: { b: 5, gamma: 1, rho: 1 }, u0: -0.4, depth: 5, mode: 'full', trials, seed: 5 });
    expect(Math.abs(copy.bias + 0.4)).toBeLessThanOrEqual(6 * biasSigma(0.4, trials) + 1 / trials);
  });

  it('γ = 0 erases every message: the root is a fair coin', () => {
    const trials = 100_000;
    const r = simulateTree({ tree: { b: 3, gamma: 0, rho: 0.2 }, u0: 0.9, depth: 4, mode: 'full', trials, seed: 6 });
    expect(Math.abs(r.bias)).toBeLessThanOrEqual(6 * biasSigma(0, trials) + 1 / trials);
  });
});

describe('determinism (§D4)', () => {
  const spec: TreeSimulationSpec = { tree: { b: 3, gamma: 0.85, rho: 0.15 }, u0: 0.05, depth: 5, mode: 'full' };

  it('same seed ⇒ same counts; trials split into fixed chunks summed in order', () => {
    const a = simulateTree({ ...spec, trials: 150_000, seed: 77, cell: 4 });
    const b = simulateTree({ ...spec, trials: 150_000, seed: 77, cell: 4 });
    expect(b).toEqual(a);
    const sizes = [TRIALS_PER_CHUNK, TRIALS_PER_CHUNK, 150_000 - 2 * TRIALS_PER_CHUNK];
    const chunks = sizes.map((trials, chunk) => simulateTreeChunk(spec, { seed: 77, cell: 4, chunk, trials }));
    expect(chunks.reduce((s, c) => s + c.correct, 0)).toBe(a.correct);
  });

  it('different cells, chunks and seeds ⇒ different streams', () => {
    // A chunk's count over its first 128·k trials (k = 1…8) is a fingerprint of its streams: one
    // count alone can coincide by chance, eight nested ones essentially never.
    const fingerprint = (at: { seed: number; cell: number; chunk: number }) =>
      [1, 2, 3, 4, 5, 6, 7, 8].map((k) => simulateTreeChunk(spec, { ...at, trials: 128 * k }).correct).join(',');
    const seen = new Set<string>();
    for (let cell = 0; cell < 6; cell++) seen.add(fingerprint({ seed: 1, cell, chunk: 0 }));
    for (let chunk = 1; chunk < 6; chunk++) seen.add(fingerprint({ seed: 1, cell: 0, chunk }));
    for (let s = 2; s < 7; s++) seen.add(fingerprint({ seed: s, cell: 0, chunk: 0 }));
    expect(seen.size).toBe(16);
    expect(fingerprint({ seed: 1, cell: 3, chunk: 0 })).toBe(fingerprint({ seed: 1, cell: 3, chunk: 0 }));
  });

  it('plain and SIMD builds give identical counts', () => {
    const specs: TreeSimulationSpec[] = [
      spec,
      { tree: { b: 5, gamma: 0.6, rho: 0.3 }, u0: 0.2, depth: 4, mode: 'full' },
      { tree: { b: 7, gamma: 0.9, rho: 0.05 }, u0: -0.1, depth: 3, mode: 'full', variant: { kind: 'channelAfterCopy' } },
      { tree: { b: 3, gamma: 0.9, rho: 0.2 }, u0: 0, depth: 4, mode: 'full', variant: { kind: 'heterogeneous', betaA: 2, betaB: 1.5 } },
      { tree: [{ b: 3, gamma: 0.9, rho: 0.1 }, { b: 5, gamma: 0.8, rho: 0.3 }, { b: 11, gamma: 0.7, rho: 0 }], u0: 0.1, depth: 3, mode: 'full' },
      { tree: [{ b: 17, gamma: 0.7, rho: 0.2 }, { b: 3, gamma: 0.9, rho: 0.1 }], u0: 0.1, depth: 2, mode: 'full' },
      { tree: { b: 5, gamma: 0.6, rho: 0.1 }, u0: 0.05, depth: 30, mode: 'levels' },
      { tree: { b: 101, gamma: 0.95, rho: 0.4 }, u0: 0.01, depth: 6, mode: 'levels', variant: { kind: 'channelAfterCopy' } },
    ];
    for (const s of specs) {
      for (const at of [{ seed: 0, cell: 0, chunk: 0, trials: 1000 }, { seed: 2 ** 52 + 3, cell: 9, chunk: 4, trials: 4099 }]) {
        const p = simulateTreeChunk(s, at, plain);
        expect(simulateTreeChunk(s, at, simd)).toEqual(p);
        expect(p.correct).toBeGreaterThan(0);
      }
    }
  });
});
