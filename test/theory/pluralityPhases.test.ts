// SPEC §H5 — phase structure of plurality levels through the public level API (task argument), and
// the K = 2 / even-b reductions to §B7 (§H3).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  alpha, bistableGamma, criticalGamma, criticalRho, fixedPoint, InvalidParameterError, levelMap,
  mixingDepth, phaseGrid, phaseStructure, regime, trajectory,
} from '../../src/index.ts';
import { pluralityLevelDerivative } from '../../src/theory/plurality.ts';

describe('K = 2 and even b reduce to §B (§H3, §H4)', () => {
  it('the plurality path (a judge with v = 0) equals the binary kernel within 1e-12', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 30 }).map((n) => 2 * n + 1), fc.double({ min: 0, max: 1, noNaN: true }),
      fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: -1, max: 1, noNaN: true }), (b, gamma, rho, u) => {
        const viaPlurality = levelMap({ b, gamma, rho, aggregator: { judge: 0 } }, u);
        expect(Math.abs(viaPlurality - levelMap({ b, gamma, rho }, u))).toBeLessThan(1e-12);
        expect(Math.abs(alpha({ b, gamma, rho, aggregator: { judge: 0 } }) - alpha({ b, gamma, rho }))).toBeLessThan(1e-12);
      }), { seed: 1104, numRuns: 150 });
  });

  it('K = 2 phase structure agrees with §B7 (u*, regime)', () => {
    for (const [b, gamma, rho] of [[3, 0.9, 0], [5, 0.7, 0.3], [7, 0.5, 0.1], [9, 0.95, 0.6]] as const) {
      const binary = { b, gamma, rho };
      const viaPlurality = { b, gamma, rho, aggregator: { judge: 0 } };
      expect(regime(viaPlurality)).toBe(regime(binary));
      expect(Math.abs(fixedPoint(viaPlurality) - fixedPoint(binary))).toBeLessThan(1e-10);
      expect(phaseStructure(binary).threshold).toBeNull();
    }
  });

  it('even b with random tie-break equals b − 1 for K = 2, in the binary kernel and the plurality maps', () => {
    for (const b of [4, 6, 10, 100]) {
      for (const u of [-0.7, 0.05, 0.4, 1]) {
        const even = levelMap({ b, gamma: 0.9, rho: 0.2 }, u);
        expect(even).toBe(levelMap({ b: b - 1, gamma: 0.9, rho: 0.2 }, u));
        expect(Math.abs(levelMap({ b, gamma: 0.9, rho: 0.2, aggregator: { judge: 0 } }, u) - even)).toBeLessThan(1e-12);
      }
      expect(fixedPoint({ b, gamma: 0.8, rho: 0 })).toBe(fixedPoint({ b: b - 1, gamma: 0.8, rho: 0 }));
    }
    // b = 2: a tie is a coin flip, so the level only passes the signal on: T(u) = γ·u.
    expect(levelMap({ b: 2, gamma: 0.9, rho: 0.3 }, 0.5)).toBeCloseTo(0.45, 15);
    const grid = phaseGrid({ b: [4, 3], gamma: [0.8], rho: [0.1], u0: [0.2], depths: [5] });
    expect(grid.uL[0]).toBe(grid.uL[1]);
    expect(grid.uStar[0]).toBe(grid.uStar[1]);
  });
});

describe('phase structure for K ≥ 3 (§H5)', () => {
  const example = { b: 3, gamma: 0.85, rho: 0 };
  const task = { answers: 10 };

  it('b = 3, K = 10, γ = 0.85: α < 1, bistable, leaves above s† climb to the high fixed point', () => {
    const ps = phaseStructure(example, task);
    expect(ps.alpha).toBeCloseTo(0.85 * (1 + 1 / 10), 12);
    expect(ps.regime).toBe('bistable');
    expect(ps.fixedPoints.map((f) => f.stable)).toEqual([true, false, true]);
    const sDagger = ps.threshold!;
    expect(sDagger).toBeGreaterThan(0.1);
    expect(sDagger).toBeLessThan(0.2);
    const above = trajectory(example, sDagger + 0.01, 300, task);
    const below = trajectory(example, sDagger - 0.01, 300, task);
    expect(above[300]).toBeCloseTo(ps.best, 10);
    expect(below[300]).toBeLessThan(1e-6);
    expect(ps.best).toBeGreaterThan(0.9);
    // mixing depth counts levels to the fixed point reached; none when chance is reached
    const mix = mixingDepth(example, sDagger + 0.01, 0.05, 10_000, task);
    const t = trajectory(example, sDagger + 0.01, mix.exact!, task);
    expect(Math.abs(t[mix.exact!] - ps.best)).toBeLessThanOrEqual(0.05 * ps.best);
    expect(Math.abs(t[mix.exact! - 1] - ps.best)).toBeGreaterThan(0.05 * ps.best);
    expect(mixingDepth(example, sDagger - 0.01, 0.05, 10_000, task).exact).toBeNull();
  });

  it('open answers, b = 3, ρ = 0: Π = p + p² − p³ gives s†, s* and γ_b = 0.8 in closed form', () => {
    const gamma = 0.95;
    const ps = phaseStructure({ b: 3, gamma, rho: 0 }, { answers: 'open' });
    // S(s) = s ⇔ γ³s² − γ²s + (1 − γ) = 0
    const disc = Math.sqrt(gamma ** 4 - 4 * gamma ** 3 * (1 - gamma));
    expect(ps.threshold!).toBeCloseTo((gamma ** 2 - disc) / (2 * gamma ** 3), 12);
    expect(ps.best).toBeCloseTo((gamma ** 2 + disc) / (2 * gamma ** 3), 12);
    expect(alpha({ b: 3, gamma, rho: 0 }, { answers: 'open' })).toBeCloseTo(gamma, 14);
    // max_s S(s)/s = γ·(1 + 1/4) at s = 1/(2γ) ⇒ a fixed point above chance iff γ ≥ 0.8
    expect(bistableGamma(3, 0, { answers: 'open' })).toBeCloseTo(0.8, 8);
    expect(criticalGamma(3, 0.2, { answers: 'open' })).toBe(1);
    expect(criticalRho(3, 0.9, { answers: 'open' })).toBe(-Infinity);
  });

  it('the bistable edge γ_b is a saddle-node: bistable just above, subcritical just below', () => {
    for (const [b, K, rho] of [[3, 10, 0], [5, 4, 0.2], [4, 6, 0]] as const) {
      const gb = bistableGamma(b, rho, { answers: K });
      const gc = criticalGamma(b, rho, { answers: K });
      expect(gb).toBeLessThan(gc);
      expect(regime({ b, gamma: gb - 1e-4, rho }, { answers: K })).toBe('subcritical');
      expect(regime({ b, gamma: Math.min(gb + 1e-4, gc - 1e-6), rho }, { answers: K })).toBe('bistable');
      // at the edge the two positive fixed points merge: S'(s) → 1 there
      const ps = phaseStructure({ b, gamma: gb + 1e-7, rho }, { answers: K });
      const positive = ps.fixedPoints.filter((f) => f.value > 0);
      expect(positive.length).toBe(2);
      for (const f of positive) expect(Math.abs(f.slope - 1)).toBeLessThan(0.02);
    }
  });

  it('every reported fixed point solves S(s) = s, stability matches the slope, and h keeps its sign in between', () => {
    fc.assert(fc.property(fc.integer({ min: 2, max: 9 }), fc.oneof(fc.integer({ min: 3, max: 50 }), fc.constant('open' as const)),
      fc.double({ min: 0.3, max: 1, noNaN: true }), fc.double({ min: 0, max: 0.9, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }),
      (b, K, gamma, rho, v) => {
        const level = { b, gamma, rho, aggregator: v < 0.5 ? 'plurality' as const : { judge: v - 0.5 } };
        const ps = phaseStructure(level, { answers: K });
        const S = (s: number) => levelMap(level, s, { answers: K });
        const points = ps.fixedPoints.map((f) => f.value);
        for (const f of ps.fixedPoints) {
          expect(Math.abs(S(f.value) - f.value)).toBeLessThan(1e-12);
          expect(f.slope).toBeCloseTo(pluralityLevelDerivative(level, K, f.value), 12);
        }
        // Between consecutive fixed points (and up to 1) h = S − s has one sign; the attractors
        // are where h goes from + to −.
        const edges = [...points, 1];
        for (let i = 0; i + 1 < edges.length; i++) {
          const a = edges[i], c = edges[i + 1];
          if (c - a < 1e-6) continue;
          const signs = [0.25, 0.5, 0.75].map((t) => Math.sign(S(a + t * (c - a)) - (a + t * (c - a))));
          expect(new Set(signs).size).toBe(1);
        }
      }), { seed: 1105, numRuns: 60 });
  });

  it('judges amplify open answers where voters cannot (§H7)', () => {
    const voter = phaseStructure({ b: 5, gamma: 0.9, rho: 0 }, { answers: 'open' });
    const judge = phaseStructure({ b: 5, gamma: 0.9, rho: 0, aggregator: { judge: 0.3 } }, { answers: 'open' });
    expect(voter.alpha).toBeCloseTo(0.9, 12);
    expect(judge.alpha).toBeCloseTo(0.9 * (0.3 * 5 + 0.7), 12);
    expect(judge.regime).toBe('amplifying');
    expect(voter.regime).not.toBe('amplifying');
  });

  it('bad input names the parameter', () => {
    expect(() => levelMap({ b: 1, gamma: 0.9, rho: 0 }, 0.1)).toThrow(InvalidParameterError);
    expect(() => levelMap({ b: 3, gamma: 0.9, rho: 0 }, 0.1, { answers: 2.5 })).toThrow(/answers/);
    expect(() => levelMap({ b: 3, gamma: 0.9, rho: 0, aggregator: { judge: 2 } }, 0.1)).toThrow(/aggregator\.judge/);
    expect(() => levelMap({ b: 3, gamma: 0.9, rho: 0 }, -0.5, { answers: 10 })).toThrow(/skill/);
    expect(() => levelMap({ b: 3, gamma: 0.9, rho: 0 }, 0.1, { answers: 10, distractors: { dominant: 0.5 } })).toThrow(/distractors/);
  });
});

describe('WASM phase grid with K answers (§H5)', () => {
  it('regime, α and s_L per cell agree with the scalar library over a (γ, ρ) grid', async () => {
    const { REGIME_CODES } = await import('../../src/index.ts');
    for (const [b, K, aggregator] of [[5, 4, 'plurality'], [3, 10, 'plurality'], [4, 'open', 'plurality'], [3, 'open', { judge: 0.4 }], [5, 6, { judge: 0.2 }]] as const) {
      // off the saddle-node lines; those (e.g. b = 3, K = 10, ρ = 0.1, γ_b = 0.8) follow one tangency rule, test/theory/pluralityTangency.test.ts
      const gamma = [...Array.from({ length: 14 }, (_, i) => 0.3123 + 0.05 * i), 1];
      const rho = [0, 0.1, 0.35, 0.7, 1];
      const u0 = [0.05, 0.3];
      const grid = phaseGrid({ b: [b], gamma, rho, u0, depths: [0, 3, 12], task: { answers: K }, aggregator });
      let cell = 0;
      for (const g of gamma) {
        for (const r of rho) {
          const level = { b, gamma: g, rho: r, aggregator };
          const expected = phaseStructure(level, { answers: K });
          for (const s0 of u0) {
            expect(grid.alpha[cell]).toBeCloseTo(expected.alpha, 12);
            expect(`${b} ${K} ${g} ${r} ${REGIME_CODES[grid.regime[cell]]}`).toBe(`${b} ${K} ${g} ${r} ${expected.regime}`);
            const t = trajectory(level, s0, 12, { answers: K });
            expect(grid.uL[cell * 3]).toBe(s0);
            expect(Math.abs(grid.uL[cell * 3 + 1] - t[3])).toBeLessThan(1e-12);
            expect(Math.abs(grid.uL[cell * 3 + 2] - t[12])).toBeLessThan(1e-11);
            cell++;
          }
        }
      }
    }
  });

  it('plain and SIMD builds give bit-identical K grids (fast monomial path, odd ρ counts, and the stable path at b = 40)', async () => {
    const { PhaseGridKernel } = await import('../../src/index.ts');
    const plainK = await PhaseGridKernel.create('plain');
    const simdK = await PhaseGridKernel.create('simd');
    for (const [b, K, aggregator] of [[5, 4, 'plurality'], [9, 'open', 'plurality'], [4, 7, { judge: 0.3 }], [40, 6, 'plurality']] as const) {
      const spec = {
        b: [b], gamma: [0.55, 0.8, 0.93, 1], rho: [0, 0.05, 0.2, 0.4, 0.6, 0.9, 1], u0: [0.02, 0.5, 1], depths: [30, 2, 7, 2],
        task: { answers: K }, aggregator,
      };
      const a = plainK.run(spec);
      const uL = a.uL.slice();
      const s = a.s.slice();
      const regimes = a.regime.slice();
      const c = simdK.run(spec);
      expect(Array.from(c.uL)).toEqual(Array.from(uL));
      expect(Array.from(c.s)).toEqual(Array.from(s));
      expect(Array.from(c.regime)).toEqual(Array.from(regimes));
      // repeated depth 2 is stored at both of its slots; every value matches the library trajectory
      let cell = 0;
      for (const g of spec.gamma) {
        for (const r of spec.rho) {
          for (const s0 of spec.u0) {
            const t = trajectory({ b, gamma: g, rho: r, aggregator }, s0, 7, { answers: K });
            expect(uL[cell * 4 + 1]).toBe(uL[cell * 4 + 3]);
            expect(Math.abs(uL[cell * 4 + 1] - t[2])).toBeLessThan(1e-12);
            expect(Math.abs(uL[cell * 4 + 2] - t[7])).toBeLessThan(1e-11);
            cell++;
          }
        }
      }
    }
  });

  it('K = 2 grids keep the §B kernel and report regimes from α', async () => {
    const { REGIME_CODES } = await import('../../src/index.ts');
    const grid = phaseGrid({ b: [3], gamma: [0.5, 0.9, 1], rho: [0, 1], u0: [0.1], depths: [2] });
    expect(Array.from(grid.regime, (c) => REGIME_CODES[c])).toEqual(['subcritical', 'subcritical', 'amplifying', 'subcritical', 'amplifying', 'identity']);
  });
});

describe('design search for K answers (§E, §H5)', () => {
  it('ranks with the plurality map and says when a tree helps only because its leaves clear s†', async () => {
    const { designBinary } = await import('../../src/index.ts');
    const r = designBinary({
      budget: 300_000, window: 100_000, messageLengths: [50], fidelity: { kind: 'constant', gamma: 0.85 },
      leafLaw: { kind: 'power', k: 0.002, beta: 0.5, gMax: 1 }, rho: 0, task: { answers: 10 }, maxDepth: 6,
    });
    const b3 = r.rows.filter((row) => row.b === 3 && row.feasible);
    expect(b3.length).toBeGreaterThan(1);
    const sDagger = phaseStructure({ b: 3, gamma: 0.85, rho: 0 }, { answers: 10 }).threshold!;
    for (const row of b3) {
      // the root skill is the plurality trajectory of the leaves' skill
      expect(row.bias).toBe(trajectory({ b: 3, gamma: 0.85, rho: 0 }, row.leafBias!, row.depth, { answers: 10 })[row.depth]);
      expect(row.accuracy).toBeCloseTo(0.1 + 0.9 * row.bias!, 14);
      if (row.leafBias! > sDagger) expect(row.reason).toMatch(/gains only because the leaves' skill .* clears s†/);
      else expect(row.reason).toMatch(/below the threshold s†/);
    }
    expect(b3.some((row) => row.leafBias! > sDagger)).toBe(true);
    expect(b3.some((row) => row.leafBias! < sDagger)).toBe(true);
    expect(r.verdicts).toBeNull();
    expect(() => designBinary({
      budget: 1000, window: 1000, messageLengths: [50], fidelity: { kind: 'constant', gamma: 0.85 },
      leafLaw: { kind: 'power', k: 0.002, beta: 0.5, gMax: 1 }, rho: 0, task: { answers: 10 }, chance: 0.5,
    })).toThrow(/chance/);
  });
});

describe('s† close to chance (open answers, large b)', () => {
  it('a bistable level always reports its threshold, also when s† < 1/N of the scan grid', () => {
    for (const b of [25, 31, 51, 101]) {
      const level = { b, gamma: 0.9, rho: 0.05 };
      const ps = phaseStructure(level, { answers: 'open' });
      expect(ps.regime).toBe('bistable');
      expect(ps.threshold).not.toBeNull();
      const t = ps.threshold!;
      expect(t).toBeGreaterThan(0);
      expect(t).toBeLessThan(1 / 2000);
      // An unstable fixed point: the map crosses the diagonal upward there.
      expect(levelMap(level, t * 0.9, { answers: 'open' })).toBeLessThan(t * 0.9);
      expect(levelMap(level, t * 1.1, { answers: 'open' })).toBeGreaterThan(t * 1.1);
    }
  });

  it('property: bistable ⇔ two stable fixed points with an unstable threshold between them', () => {
    fc.assert(fc.property(fc.integer({ min: 2, max: 60 }), fc.constantFrom<3 | 10 | 'open'>(3, 10, 'open'),
      fc.double({ min: 0.3, max: 0.99, noNaN: true }), fc.double({ min: 0, max: 0.3, noNaN: true }), (b, answers, gamma, rho) => {
        const ps = phaseStructure({ b, gamma, rho }, { answers });
        if (ps.regime !== 'bistable') return;
        const stable = ps.fixedPoints.filter((f) => f.stable);
        expect(ps.threshold).not.toBeNull();
        expect(ps.threshold!).toBeGreaterThan(stable[0].value);
        expect(ps.threshold!).toBeLessThan(stable[stable.length - 1].value);
      }), { seed: 2512, numRuns: 200 });
  });
});
