// SPEC §H6, §D4: the bit-sliced plurality kernel's register-resident fast paths (fusedLeaves for the
// level-1 leaves and their shared-failure word, channelFast for channels at levels ≥ 2) must read the
// same random words in the same order as the general code (leafPlanes, nestedCoins, coinWord,
// uniformBelow), so forcing the general code with the test hook pluralityGeneralPaths gives the same
// counts on every seed. The grid covers both sides of each selection condition: K with and without
// a Bernoulli step below the top plane (K = 7, 11 never take the fast paths), K = 2^m (fair-coin top
// plane), leaves below chance (no skill form), the special codes 0, 1/2 and 1 of γ and ρ, and fused
// leaf codes 0 and 1. Open answers and judges run on the scalar kernel, which has no fast path.
import { describe, expect, it } from 'vitest';
import { simulatePluralityChunk, type PluralityLevel, type PluralitySimulationSpec } from '../../src/simulate/plurality.ts';
import { instantiateKernel, type Kernel } from '../../src/wasm/kernel.ts';

const kernels = [await instantiateKernel('plain'), await instantiateKernel('simd')];

function forceGeneral(k: Kernel, on: boolean): void {
  (k.exports as unknown as { pluralityGeneralPaths(on: number): void }).pluralityGeneralPaths(on ? 1 : 0);
}

/** Counts of one chunk on the fast paths (as in production) and with the general paths forced. */
function bothPaths(k: Kernel, spec: PluralitySimulationSpec, at: { seed: number; cell: number; chunk: number; trials: number }) {
  const fast = simulatePluralityChunk(spec, at, k);
  forceGeneral(k, true);
  try {
    return { fast, general: simulatePluralityChunk(spec, at, k) };
  } finally {
    forceGeneral(k, false);
  }
}

const BS = [2, 3, 4, 5, 6, 8, 15];
const KS = [2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 16, 17, 640];
// 0.5 and 1 are the fair-coin and certain codes the fast paths exclude; 0 makes the fused leaf code 0.
const GAMMAS = [0.85, 0.6, 0.5, 1, 0.95, 0.3, 0];
const RHOS = [0.1, 0, 0.5, 1, 0.25, 0.9];
// Leaf accuracy p0 from K. Below chance (0.8/K): the general leaf draw below K − 1, + 1; p0 = 1 with
// γ = 1: fused code 1; p0 = 1/K with γ > 0: fused code 0.
const LEAVES = [(K: number) => 0.3 + 0.7 / K, (K: number) => 0.8 / K, (K: number) => 0.6 + 0.4 / K, () => 1,
  (K: number) => 1 / K, (K: number) => 0.45 + 0.55 / K];
/** Deepest full tree with at most 4096 leaves per trial (depth ≤ 6). */
const maxDepth = (b: number) => Math.min(6, Math.floor(Math.log(4096 + 0.5) / Math.log(b)));

function grid(): PluralitySimulationSpec[] {
  const specs: PluralitySimulationSpec[] = [];
  let i = 0;
  for (const b of BS) {
    for (const K of KS) {
      for (let depth = 1; depth <= maxDepth(b); depth++, i++) {
        // Lists of lengths 7, 6, 6 (the last shifted every 6): the (γ, ρ, p0) combinations vary along the grid.
        const level = { b, gamma: GAMMAS[i % GAMMAS.length], rho: RHOS[(i * 5) % RHOS.length] };
        specs.push({ tree: level, task: { answers: K }, p0: LEAVES[(i + Math.floor(i / 6)) % LEAVES.length](K), depth, mode: 'full' });
      }
    }
  }
  // One level per depth, mixing the fast and general cases between levels of one tree.
  const mixed: PluralityLevel[] = [
    { b: 4, gamma: 0.9, rho: 0.1 }, { b: 3, gamma: 0.5, rho: 0 }, { b: 2, gamma: 1, rho: 0.5 },
    { b: 5, gamma: 0.7, rho: 0.3 }, { b: 2, gamma: 0.8, rho: 1 }, { b: 3, gamma: 0.95, rho: 0.2 },
  ];
  for (const K of [3, 4, 6, 7, 10, 16]) {
    for (const p0 of [0.4 + 0.6 / K, 0.9 / K]) {
      specs.push({ tree: mixed, task: { answers: K }, p0, depth: 6, mode: 'full' });
      specs.push({ tree: [...mixed].reverse(), task: { answers: K }, p0, depth: 6, mode: 'full' });
    }
  }
  return specs;
}

describe('plurality fast paths = general paths (§H6, §D4)', () => {
  const specs = grid();

  it(`identical right and dominant counts on the same seeds, plain and SIMD builds (${specs.length} configurations)`, () => {
    specs.forEach((spec, cell) => {
      // 300 trials: two full 128-lane words and a partial one.
      const at = { seed: 20261201, cell, chunk: 3, trials: 300 };
      const counts = kernels.map((k) => bothPaths(k, spec, at));
      for (const [j, { fast, general }] of counts.entries()) {
        expect(general, `${kernels[j].flavour} ${JSON.stringify(spec)}`).toEqual(fast);
      }
      expect(counts[1].fast, `plain vs simd ${JSON.stringify(spec)}`).toEqual(counts[0].fast);
    });
  });
});
