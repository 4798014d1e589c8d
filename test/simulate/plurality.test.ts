// SPEC §H6: the plurality simulator against brute-force exact references (§H4, §H7, §B4), its K = 2
// reduction to the binary simulator (§B), a bistable case on both sides of s† (§H5), and identical
// counts from the plain and SIMD builds (§D4). Fixed seeds; tolerances 6σ from the standard error.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidParameterError } from '../../src/errors.ts';
import { simulatePlurality, simulatePluralityChunk, type PluralitySimulationSpec } from '../../src/simulate/plurality.ts';
import { simulateTree } from '../../src/simulate/tree.ts';
import { dominantLevelMap, dominantStateFromSkill, pluralityLevelMap } from '../../src/theory/plurality.ts';
import type { Answers } from '../../src/theory/model.ts';
import { instantiateKernel } from '../../src/wasm/kernel.ts';
import { leafDistribution, openRoot, rootDistribution, type RefLevel } from './pluralityReference.ts';

const plain = await instantiateKernel('plain');
const simd = await instantiateKernel('simd');

/** |sim − exact| ≤ 6σ + a floor for accuracies at 0 or 1 where σ vanishes. */
function expectWithin(sim: number, exact: number, se: number, trials: number): void {
  expect(Math.abs(sim - exact)).toBeLessThanOrEqual(6 * se + 6 / trials);
}

describe('plurality simulator vs brute-force exact reference (§H6)', () => {
  it('random (b, K, γ, ρ, v, p0, depth, profile), full tree: right and dominant shares within 6σ', () => {
    fc.assert(fc.property(
      fc.integer({ min: 2, max: 5 }), fc.integer({ min: 2, max: 5 }), fc.integer({ min: 1, max: 3 }),
      fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }),
      fc.double({ min: 0.05, max: 0.95, noNaN: true }), fc.constantFrom(0, 0, 0.6),
      fc.constantFrom('symmetric', 'dominant', 'vector'), fc.double({ min: 0, max: 1, noNaN: true }),
      (b, K, depth, gamma, rho, p0, judge, profileKind, delta) => {
        if (K ** b > 3200 || b ** depth > 400) return;
        const profile: 'symmetric' | { dominant: number } | number[] = profileKind === 'symmetric' ? 'symmetric'
          : profileKind === 'dominant' ? { dominant: delta }
            : Array.from({ length: K - 1 }, (_, i) => (i + 1) / ((K - 1) * K / 2));
        const level = { b, gamma, rho, aggregator: judge > 0 ? { judge } : 'plurality' as const };
        const trials = 20_000;
        const r = simulatePlurality({ tree: level, task: { answers: K, distractors: profile }, p0, depth, mode: 'full', trials, seed: 11 });
        const exact = rootDistribution(leafDistribution(K, p0, profile), [{ b, gamma, rho, judge }], depth);
        expectWithin(r.accuracy, exact[0], Math.sqrt(exact[0] * (1 - exact[0]) / trials), trials);
        expectWithin(r.dominantShare, exact[1], Math.sqrt(exact[1] * (1 - exact[1]) / trials), trials);
      }), { seed: 20261201, numRuns: 40 });
  });

  it('bit-sliced path (full tree, symmetric, no judge) vs exact and vs the scalar path (dominant δ = 1/(K − 1) is symmetric)', () => {
    for (const [b, K, depth, gamma, rho, p0] of [[2, 4, 4, 0.9, 0.1, 0.4], [3, 7, 3, 0.8, 0.2, 0.3], [6, 3, 2, 0.95, 0.3, 0.5], [3, 16, 3, 1, 0, 0.2], [5, 2, 3, 0.7, 0.1, 0.6],
      // The bench case (K = 10: nested coins for the leaf and the channel) and leaves below chance.
      [5, 10, 3, 0.9, 0.1, 0.3], [3, 10, 3, 0.9, 0.1, 0.05], [4, 5, 3, 0.6, 0.3, 0.25],
      // Ties at one aggregator, which the kernel gives to the first-occurring answer (uniform in law
      // for i.i.d. messages, §H3): even b and many answers, no shared failure.
      [2, 3, 1, 0.9, 0, 0.5], [4, 3, 1, 1, 0, 0.45], [6, 5, 1, 0.8, 0, 0.35], [4, 5, 1, 0.9, 0, 0.3],
      // Fast paths' special codes: ρ = 1/2 (one word) and 1/4 (a code that ends early), K = 12 (a
      // plane where tight lanes go free), K = 16 (m = 4, every plane a fair coin).
      [3, 4, 3, 0.9, 0.5, 0.5], [3, 12, 2, 0.7, 0.25, 0.3], [2, 16, 3, 0.85, 0.1, 0.3]]) {
      const trials = 40_000;
      const tree = { b, gamma, rho };
      const exact = rootDistribution(leafDistribution(K, p0, 'symmetric'), [tree], depth);
      const sliced = simulatePlurality({ tree, task: { answers: K }, p0, depth, mode: 'full', trials, seed: 23 });
      expectWithin(sliced.accuracy, exact[0], Math.sqrt(exact[0] * (1 - exact[0]) / trials), trials);
      expectWithin(sliced.dominantShare, exact[1], Math.sqrt(exact[1] * (1 - exact[1]) / trials), trials);
      const scalar = simulatePlurality({ tree, task: { answers: K, distractors: { dominant: 1 / (K - 1) } }, p0, depth, mode: 'full', trials, seed: 23 });
      expect(Math.abs(sliced.accuracy - scalar.accuracy)).toBeLessThanOrEqual(6 * Math.hypot(sliced.accuracyStdError, scalar.accuracyStdError) + 1e-3);
    }
  });

  it('per-level parameters (b = 2, 3, 4 with a judge at the top), K = 3, full and levels', () => {
    const tree = [{ b: 2, gamma: 0.9, rho: 0.2 }, { b: 3, gamma: 0.8, rho: 0 }, { b: 4, gamma: 0.95, rho: 0.1, aggregator: { judge: 0.5 } }];
    const ref: RefLevel[] = [{ b: 2, gamma: 0.9, rho: 0.2 }, { b: 3, gamma: 0.8, rho: 0 }, { b: 4, gamma: 0.95, rho: 0.1, judge: 0.5 }];
    const exact = rootDistribution(leafDistribution(3, 0.5, 'symmetric'), ref, 3)[0];
    const full = simulatePlurality({ tree, task: { answers: 3 }, p0: 0.5, depth: 3, mode: 'full', trials: 50_000, seed: 3 });
    expectWithin(full.accuracy, exact, full.accuracyStdError, full.trials);
    const levels = simulatePlurality({ tree, task: { answers: 3 }, p0: 0.5, depth: 3, mode: 'levels', trials: 400_000, seed: 3 });
    expect(levels.stdErrorMethod).toBe('replicates');
    expect(levels.replicates).toBeGreaterThanOrEqual(8);
    expectWithin(levels.accuracy, exact, levels.accuracyStdError, levels.trials);
  });

  it('open answers (K = ∞): full and levels within 6σ of the exact map, judge included; skill = accuracy', () => {
    for (const [b, gamma, rho, judge, p0, depth] of [[3, 0.9, 0, 0, 0.4, 4], [4, 0.8, 0.3, 0, 0.5, 3], [3, 0.7, 0.1, 0.5, 0.2, 5], [2, 1, 0, 0, 0.3, 6]]) {
      const tree = { b, gamma, rho, aggregator: judge > 0 ? { judge } : 'plurality' as const };
      const exact = openRoot(p0, [{ b, gamma, rho, judge }], depth);
      const full = simulatePlurality({ tree, task: { answers: 'open' }, p0, depth, mode: 'full', trials: 40_000, seed: 5 });
      expectWithin(full.accuracy, exact, full.accuracyStdError, full.trials);
      expect(full.skill).toBe(full.accuracy);
      expect(full.dominant).toBe(0); // symmetric open answers: no wrong answer 1
      const lv = simulatePlurality({ tree, task: { answers: 'open' }, p0, depth, mode: 'levels', trials: 320_000, seed: 5 });
      expectWithin(lv.accuracy, exact, lv.accuracyStdError, lv.trials);
    }
  });
});

describe('plurality simulator vs the library exact maps (§H4, §H7, §H6)', () => {
  // The library's own maps (src/theory/plurality.ts), not the brute-force reference above: symmetric
  // profiles through pluralityLevelMap (skill), one dominant distractor through dominantLevelMap
  // (right and dominant shares). Full trees where b^depth is small, level by level otherwise.
  it('random (b, K, γ, ρ, s0, depth, profile, rule): right (and dominant) shares within 6σ', () => {
    fc.assert(fc.property(
      fc.integer({ min: 2, max: 7 }), fc.oneof(fc.integer({ min: 2, max: 12 }), fc.constant('open' as const)),
      fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }),
      fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 1, max: 6 }),
      fc.constantFrom('symmetric', 'dominant'), fc.double({ min: 0, max: 1, noNaN: true }), fc.constantFrom(0, 0, 0.5),
      (b, K, gamma, rho, s0, depth, profileKind, delta, judge) => {
        const answers: Answers = K;
        const dominant = profileKind === 'dominant' && K !== 'open' && K > 2;
        const level = { b, gamma, rho, aggregator: judge > 0 ? { judge } : 'plurality' as const };
        const chance = K === 'open' ? 0 : 1 / K;
        let exactP: number;
        let exactD: number | undefined;
        if (dominant) {
          let state = dominantStateFromSkill(s0, answers, delta);
          for (let l = 0; l < depth; l++) state = dominantLevelMap(level, answers, state);
          exactP = state.p;
          exactD = state.d;
        } else {
          let s = s0;
          for (let l = 0; l < depth; l++) s = pluralityLevelMap(level, answers, s);
          exactP = chance + (1 - chance) * s;
        }
        const full = b ** depth <= 4096;
        const trials = full ? 16_000 : 96_000;
        const r = simulatePlurality({
          tree: level, task: { answers, distractors: dominant ? { dominant: delta } : 'symmetric' }, s0, depth,
          mode: full ? 'full' : 'levels', trials, seed: 29,
        });
        // mode 'levels' has a replicate standard error; the binomial one of the exact p bounds 'full'
        const se = full ? Math.sqrt(exactP * (1 - exactP) / r.trials) : r.accuracyStdError;
        expectWithin(r.accuracy, exactP, se, r.trials);
        if (exactD !== undefined && full) expectWithin(r.dominantShare, exactD, Math.sqrt(exactD * (1 - exactD) / r.trials), r.trials);
      }), { seed: 20261202, numRuns: 30 });
  });
});

describe('K = 2 reduces to the binary model (§H, §B)', () => {
  it('odd b: plurality and binary simulators agree within 6σ (combined); even b equals b − 1 in the reference', () => {
    const level = { b: 5, gamma: 0.9, rho: 0.2 };
    const u0 = 0.15;
    const pl = simulatePlurality({ tree: level, task: { answers: 2 }, s0: u0, depth: 3, mode: 'full', trials: 100_000, seed: 9 });
    const bin = simulateTree({ tree: level, u0, depth: 3, mode: 'full', trials: 100_000, seed: 9 });
    expect(Math.abs(pl.skill - bin.bias)).toBeLessThanOrEqual(6 * Math.hypot(pl.skillStdError, bin.stdError));
    const even = rootDistribution([0.6, 0.4], [{ b: 4, gamma: 0.9, rho: 0 }], 2)[0];
    const odd = rootDistribution([0.6, 0.4], [{ b: 3, gamma: 0.9, rho: 0 }], 2)[0];
    expect(even).toBeCloseTo(odd, 12);
    const simEven = simulatePlurality({ tree: { b: 4, gamma: 0.9, rho: 0 }, task: { answers: 2 }, p0: 0.6, depth: 2, mode: 'full', trials: 100_000, seed: 2 });
    expectWithin(simEven.accuracy, odd, simEven.accuracyStdError, simEven.trials);
  });
});

describe('bistable level b = 3, K = 10, γ = 0.85 (§H5)', () => {
  const level: RefLevel = { b: 3, gamma: 0.85, rho: 0 };
  const skillMap = (s: number) => (10 * rootDistribution(leafDistribution(10, 0.1 + 0.9 * s, 'symmetric'), [level], 1)[0] - 1) / 9;
  // s† is the unstable fixed point between 0 and the good one: S(s) − s changes sign from − to + there.
  let lo = 0.05, hi = 0.9;
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2;
    if (skillMap(mid) > mid) hi = mid;
    else lo = mid;
  }
  const sDagger = (lo + hi) / 2;

  it('α < 1 yet leaves above s† climb (full, depth 8) and leaves below it fall (levels, depth 16)', () => {
    expect(sDagger).toBeGreaterThan(0.1);
    expect(sDagger).toBeLessThan(0.6);
    expect(skillMap(1e-6) / 1e-6).toBeLessThan(1); // α = γ·c_{3,10} < 1
    // Full trees of depth 8 above s†; the slow fall below s† (α ≈ 0.94) needs depth 16: level by level.
    const run = (s0: number) => s0 > sDagger
      ? simulatePlurality({ tree: level, task: { answers: 10 }, s0, depth: 8, mode: 'full', trials: 4000, seed: 17 })
      : simulatePlurality({ tree: level, task: { answers: 10 }, s0, depth: 16, mode: 'levels', trials: 8 * 65_536, seed: 17 });
    const exactAt = (s0: number) => {
      let s = s0;
      for (let l = 0; l < (s0 > sDagger ? 8 : 16); l++) s = skillMap(s);
      return s;
    };
    const sAbove = sDagger + 0.1, sBelow = sDagger / 2;
    const above = run(sAbove), below = run(sBelow);
    // Simulated roots move away from s† on both sides, and match the exact trajectory.
    expect(above.skill).toBeGreaterThan(sAbove + 6 * above.skillStdError);
    expect(below.skill).toBeLessThan(sBelow - 6 * below.skillStdError);
    expectWithin(above.skill, exactAt(sAbove), above.skillStdError, above.trials);
    expectWithin(below.skill, exactAt(sBelow), below.skillStdError, below.trials);
  });
});

describe('reproducibility and builds (§D4)', () => {
  it('plain and SIMD builds give identical counts; counts are a pure function of (seed, cell, chunk)', () => {
    const specs: PluralitySimulationSpec[] = [
      { tree: { b: 3, gamma: 0.8, rho: 0.1 }, task: { answers: 4 }, s0: 0.3, depth: 4, mode: 'full' },
      // Bit-sliced path with K not a power of two: leaves in the skill form (q ≥ 1/K, even b with
      // ties) and below chance (q < 1/K: wrong answers drawn below K − 1, then + 1).
      { tree: { b: 4, gamma: 0.85, rho: 0.2 }, task: { answers: 7 }, s0: 0.4, depth: 3, mode: 'full' },
      { tree: { b: 5, gamma: 0.9, rho: 0.1 }, task: { answers: 10 }, p0: 0.05, depth: 3, mode: 'full' },
      // The bench cases and the fast paths' special codes (ρ = 1/2, ρ = 1/4, K = 12, K = 16).
      { tree: { b: 3, gamma: 0.9, rho: 0.1 }, task: { answers: 4 }, p0: 0.5, depth: 5, mode: 'full' },
      { tree: { b: 5, gamma: 0.9, rho: 0.1 }, task: { answers: 10 }, p0: 0.3, depth: 4, mode: 'full' },
      { tree: { b: 3, gamma: 0.9, rho: 0.5 }, task: { answers: 4 }, p0: 0.5, depth: 3, mode: 'full' },
      { tree: { b: 7, gamma: 0.7, rho: 0.25 }, task: { answers: 12 }, p0: 0.3, depth: 2, mode: 'full' },
      { tree: { b: 2, gamma: 0.85, rho: 0.1 }, task: { answers: 16 }, p0: 0.3, depth: 4, mode: 'full' },
      { tree: { b: 5, gamma: 0.9, rho: 0, aggregator: { judge: 0.3 } }, task: { answers: 'open', distractors: { dominant: 0.5 } }, p0: 0.3, depth: 3, mode: 'full' },
      { tree: { b: 4, gamma: 0.7, rho: 0.2 }, task: { answers: 5, distractors: [0.1, 0.2, 0.3, 0.4] }, p0: 0.4, depth: 6, mode: 'levels' },
    ];
    for (const spec of specs) {
      const at = { seed: 7, cell: 2, chunk: 5, trials: 3000 };
      const a = simulatePluralityChunk(spec, at, plain);
      expect(simulatePluralityChunk(spec, at, simd)).toEqual(a);
      expect(simulatePluralityChunk(spec, at, plain)).toEqual(a);
      expect(simulatePluralityChunk(spec, { ...at, chunk: 6 }, plain)).not.toEqual(a);
    }
  });

  it('bad input throws InvalidParameterError naming the parameter', () => {
    const base = { tree: { b: 3, gamma: 0.9, rho: 0 }, s0: 0.2, depth: 2, mode: 'full' as const, trials: 10, seed: 1 };
    expect(() => simulatePlurality({ ...base, task: { answers: 1 } })).toThrow(/task.answers/);
    expect(() => simulatePlurality({ ...base, tree: { b: 1, gamma: 0.9, rho: 0 } })).toThrow(InvalidParameterError);
    expect(() => simulatePlurality({ ...base, task: { answers: 3, distractors: [0.5, 0.6] } })).toThrow(/distractors/);
    expect(() => simulatePlurality({ ...base, task: { answers: 3, distractors: { dominant: 1.5 } } })).toThrow(/dominant/);
    expect(() => simulatePlurality({ ...base, tree: { b: 3, gamma: 0.9, rho: 0, aggregator: { judge: 2 } } })).toThrow(/judge/);
    expect(() => simulatePlurality({ ...base, p0: 0.5 })).toThrow(/s0/);
    expect(() => simulatePlurality({ ...base, tree: [{ b: 3, gamma: 0.9, rho: 0 }] })).toThrow(/at least depth = 2 levels/);
  });
});
