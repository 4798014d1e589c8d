// SPEC §B6–§B9: level map, phase transition, fixed point, trajectories, saturation.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  alpha, clippedPredictor, criticalGamma, criticalRho, fixedPoint, fixedPointDetail, InvalidParameterError,
  type Level, levelMap, majorityBias, majoritySlope, mixingDepth, organizationExponent, phaseStructure, regime, trajectory,
} from '../src/index.ts';

const levelArb = fc.record({
  b: fc.integer({ min: 1, max: 50 }).map((n) => 2 * n + 1),
  gamma: fc.double({ min: 0, max: 1, noNaN: true }),
  rho: fc.double({ min: 0, max: 1, noNaN: true }),
});
/** Levels that amplify with some margin (α_ρ ≥ 1.01), so u* is well away from 0. */
const amplifyingArb = levelArb.filter((l) => alpha(l) >= 1.01);

describe('SPEC §F numbers (b = 5, γ = 0.6, u_0 = 0.05)', () => {
  it('ρ_c = 0.2381, α_ρ = 1.125 − 0.525ρ, u* = 0.6991 and u_10 = 0.1590 at ρ = 0', () => {
    expect(criticalRho(5, 0.6)).toBeCloseTo(0.2381, 4);
    for (const rho of [0, 0.1, 0.25, 0.5]) expect(alpha({ b: 5, gamma: 0.6, rho })).toBeCloseTo(1.125 - 0.525 * rho, 14);
    expect(fixedPoint({ b: 5, gamma: 0.6, rho: 0 })).toBeCloseTo(0.6991, 4);
    expect(trajectory({ b: 5, gamma: 0.6, rho: 0 }, 0.05, 10)[10]).toBeCloseTo(0.1590, 4);
  });
});

describe('levelMap and α_ρ (§B6, §B7)', () => {
  it('T(u) = ργu + (1 − ρ)f_b(γu), T(0) = 0, T odd, T\'(0) = α_ρ', () => {
    fc.assert(fc.property(levelArb, fc.double({ min: -1, max: 1, noNaN: true }), (l, u) => {
      const expected = l.rho * l.gamma * u + (1 - l.rho) * majorityBias(l.b, l.gamma * u);
      expect(levelMap(l, u)).toBeCloseTo(expected, 15);
      expect(levelMap(l, -u) + levelMap(l, u)).toBe(0);
      const h = 1e-7;
      expect(levelMap(l, h) / h).toBeCloseTo(alpha(l), 5);
    }));
    expect(levelMap({ b: 5, gamma: 0.6, rho: 0.3 }, 0)).toBe(0);
  });

  it('critical lines put α_ρ exactly at 1 and split the regimes', () => {
    fc.assert(fc.property(levelArb, (l) => {
      const gc = criticalGamma(l.b, l.rho);
      expect(alpha({ ...l, gamma: gc })).toBeCloseTo(1, 12);
      const rc = criticalRho(l.b, l.gamma);
      if (rc >= 0 && rc <= 1) expect(alpha({ ...l, rho: rc })).toBeCloseTo(1, 12);
      const a = alpha(l);
      if (a > 1 + 1e-12) expect(l.rho).toBeLessThan(rc);
      if (a < 1 - 1e-12) expect(l.gamma).toBeLessThan(gc);
    }));
  });

  it('s = ln α_ρ / ln b is positive exactly when the level amplifies (§B8)', () => {
    fc.assert(fc.property(levelArb.filter((l) => l.gamma > 0), (l) => {
      const s = organizationExponent(l);
      const reference = Math.log(alpha(l)) / Math.log(l.b);
      expect(Math.abs(s - reference)).toBeLessThanOrEqual(1e-13 * (1 + Math.abs(reference)));
      expect(s > 0).toBe(regime(l) === 'amplifying');
    }));
  });
});

describe('fixedPoint (§B7)', () => {
  it('solves T(u*) = u* to 1e-12 with u* ∈ (0, 1], and u* < 1 whenever γ < 1', () => {
    fc.assert(fc.property(amplifyingArb, (l) => {
      const u = fixedPoint(l);
      expect(u).toBeGreaterThan(0);
      expect(u).toBeLessThanOrEqual(1);
      // A sign change of T(u) − u across [u − 1e-12, u + 1e-12] certifies the root.
      const lo = Math.max(0, u - 1e-12);
      const hi = Math.min(1, u + 1e-12);
      expect(levelMap(l, lo) - lo).toBeGreaterThanOrEqual(-1e-15);
      expect(levelMap(l, hi) - hi).toBeLessThanOrEqual(1e-15);
      if (l.gamma < 1) expect(u).toBeLessThan(1);
    }));
  });

  it('is 0 when α_ρ ≤ 1, NaN for the identity map, 1 when γ = 1 and amplifying', () => {
    expect(fixedPoint({ b: 5, gamma: 0.6, rho: 0.3 })).toBe(0);
    expect(fixedPoint({ b: 5, gamma: 1, rho: 1 })).toBeNaN();
    expect(fixedPointDetail({ b: 5, gamma: 1, rho: 1 }).regime).toBe('identity');
    expect(fixedPoint({ b: 7, gamma: 1, rho: 0.2 })).toBe(1);
    const critical = { b: 3, gamma: 1 / 1.5, rho: 0 };
    expect(alpha(critical)).toBe(1);
    expect(regime(critical)).toBe('critical');
    expect(fixedPoint(critical)).toBe(0);
  });

  it('b = 2 at γ = 1 is the identity for every ρ (f_1(u) = u: two votes, random tie-break), not critical', () => {
    // §B/§H4: F_{2,2} = f_1 is the identity; with γ = 1 so is T, though α_ρ = 1 as on the critical line
    for (const rho of [0, 0.3, 1]) {
      const level = { b: 2, gamma: 1, rho };
      expect(alpha(level)).toBe(1);
      expect(regime(level)).toBe('identity');
      expect(fixedPoint(level)).toBeNaN();
      expect(fixedPointDetail(level).regime).toBe('identity');
      expect(phaseStructure(level)).toMatchObject({ regime: 'identity', fixedPoints: [], threshold: null });
      expect(regime(level, { answers: 2 })).toBe('identity');
      expect(regime({ ...level, aggregator: { judge: 0 } })).toBe('identity');
      const u = [...trajectory(level, -0.37, 6)];
      expect(u).toEqual(u.map(() => -0.37));
    }
    // neighbours keep their regimes: γ < 1 washes out, odd b = 3 amplifies, b = 4 is f_3
    expect(regime({ b: 2, gamma: 0.99, rho: 0 })).toBe('subcritical');
    expect(regime({ b: 3, gamma: 1, rho: 0 })).toBe('amplifying');
    expect(regime({ b: 4, gamma: 1 / 1.5, rho: 0 })).toBe('critical');
  });

  it('stays accurate just above criticality: u* ≈ √((α−1)/κ) from the cubic term of T', () => {
    // T(u) = αu − κu³ + O(u⁵) with κ = (1 − ρ)·γ³·c_b·(b − 1)/6, so u* → √((α − 1)/κ).
    const b = 5;
    const rho = 0.1;
    const c = majoritySlope(b);
    for (const excess of [1e-4, 1e-6, 1e-8, 1e-10]) {
      const gamma = (1 + excess) / (rho + (1 - rho) * c);
      const l = { b, gamma, rho };
      const kappa = ((1 - rho) * gamma ** 3 * c * (b - 1)) / 6;
      const detail = fixedPointDetail(l);
      expect(detail.resolved).toBe(true);
      expect(detail.value / Math.sqrt((alpha(l) - 1) / kappa)).toBeCloseTo(1, 3);
    }
  });
});

describe('trajectory (§B6) and saturation (§B9)', () => {
  it('converges monotonically to u* from below and from above when amplifying', () => {
    fc.assert(fc.property(amplifyingArb, fc.double({ min: 1e-6, max: 1, noNaN: true }), (l, u0) => {
      const t = trajectory(l, u0, 60);
      const u = fixedPoint(l);
      // Tolerances of a few ulps: near u = 1, f_b itself rounds to within 1e-16 of 1.
      for (let i = 1; i < t.length; i++) {
        if (u0 <= u) {
          expect(t[i]).toBeGreaterThanOrEqual(t[i - 1] - 1e-14);
          expect(t[i]).toBeLessThanOrEqual(u + 1e-14);
        } else {
          expect(t[i]).toBeLessThanOrEqual(t[i - 1] + 1e-14);
          expect(t[i]).toBeGreaterThanOrEqual(u - 1e-14);
        }
      }
    }));
  });

  it('washes out geometrically when subcritical: |u_L| ≤ α^L·|u_0|', () => {
    fc.assert(fc.property(levelArb.filter((l) => alpha(l) < 1), fc.double({ min: -1, max: 1, noNaN: true }), (l, u0) => {
      const t = trajectory(l, u0, 40);
      const a = alpha(l);
      t.forEach((u, L) => expect(Math.abs(u)).toBeLessThanOrEqual(a ** L * Math.abs(u0) * (1 + 1e-12) + 1e-300));
    }));
  });

  it('per-level trees compose the level maps (§B6), and ρ = γ = 1 is the identity', () => {
    fc.assert(fc.property(fc.array(levelArb, { minLength: 1, maxLength: 8 }), fc.double({ min: -1, max: 1, noNaN: true }), (levels, u0) => {
      const t = trajectory(levels, u0, levels.length);
      let u = u0;
      levels.forEach((l, i) => {
        u = levelMap(l, u);
        expect(t[i + 1]).toBe(u);
      });
    }));
    expect([...trajectory({ b: 9, gamma: 1, rho: 1 }, 0.3, 5)]).toEqual([0.3, 0.3, 0.3, 0.3, 0.3, 0.3]);
  });

  it('small-signal scaling u_L ≈ N^s·u_0 for tiny u_0 (§B8)', () => {
    const l = { b: 5, gamma: 0.6, rho: 0.1 };
    const u0 = 1e-9;
    const L = 10;
    expect(trajectory(l, u0, L)[L] / (5 ** (L * organizationExponent(l)) * u0)).toBeCloseTo(1, 6);
  });

  it('exact mixing depth is the first L with |u_L − u*| ≤ εu* along the trajectory', () => {
    fc.assert(fc.property(amplifyingArb, fc.double({ min: 1e-4, max: 1, noNaN: true }), fc.constantFrom(0.05, 0.01, 0.2), (l, u0, eps) => {
      const { exact, smallSignal } = mixingDepth(l, u0, eps);
      const u = fixedPoint(l);
      expect(exact).not.toBeNull();
      const t = trajectory(l, u0, exact!);
      expect(Math.abs(t[exact!] - u)).toBeLessThanOrEqual(eps * u);
      if (exact! > 0) expect(Math.abs(t[exact! - 1] - u)).toBeGreaterThan(eps * u);
      expect(smallSignal).toBeCloseTo(Math.max(0, Math.log(u / u0) / Math.log(alpha(l))), 10);
      // Negative u_0 mixes into −u* at the same depth (T is odd).
      expect(mixingDepth(l, -u0, eps).exact).toBe(exact);
    }));
    expect(mixingDepth({ b: 5, gamma: 0.6, rho: 0.3 }, 0.05)).toEqual({ exact: null, smallSignal: null });
    expect(mixingDepth({ b: 5, gamma: 0.6, rho: 0 }, 0)).toEqual({ exact: null, smallSignal: null });
  });

  it('the clipped predictor is an upper envelope of u_L for 0 < u_0 ≤ u* (§B9)', () => {
    fc.assert(fc.property(levelArb, fc.double({ min: 1e-6, max: 1, noNaN: true }), fc.integer({ min: 0, max: 60 }), (l, u0, L) => {
      const u = fixedPoint(l);
      fc.pre(Number.isNaN(u) || u === 0 || u0 <= u);
      const uL = trajectory(l, u0, L)[L];
      const clipped = clippedPredictor(l, u0, L);
      expect(clipped).toBeGreaterThanOrEqual(uL * (1 - 1e-12) - 1e-300); // subnormals lose relative precision
      if (u > 0) expect(clipped).toBe(Math.min(alpha(l) ** L * u0, u));
    }));
  });
});

describe('edge cases', () => {
  it('clipped predictor of u_0 = 0 is 0 even where α^L overflows', () => {
    expect(clippedPredictor({ b: 5, gamma: 0.6, rho: 0 }, 0, 10_000)).toBe(0);
    expect(Math.pow(1.125, 10_000)).toBe(Infinity);
  });
});

describe('bad input (§B4 domains)', () => {
  const ok: Level = { b: 5, gamma: 0.6, rho: 0.1 };
  const cases: [string, () => unknown, RegExp][] = [
    ['b < 2', () => alpha({ ...ok, b: 1 }), /^level\.b must be an integer in \[2, /],
    ['γ > 1', () => levelMap({ ...ok, gamma: 1.2 }, 0.1), /^level\.gamma must be a number in \[0, 1\]; got 1\.2/],
    ['ρ < 0', () => fixedPoint({ ...ok, rho: -0.1 }), /^level\.rho must be a number in \[0, 1\]/],
    ['u0 > 1', () => trajectory(ok, 1.5, 3), /^u0 must be a bias in \[-1, 1\]/],
    ['depth fractional', () => trajectory(ok, 0.1, 2.5), /^depth must be an integer in \[0, /],
    ['too few levels', () => trajectory([ok, ok], 0.1, 3), /^tree must be an array of at least depth = 3 levels/],
    ['bad level in array', () => trajectory([ok, { ...ok, b: 1 }], 0.1, 2), /^tree\[1\]\.b must be/],
    ['ε = 0', () => mixingDepth(ok, 0.1, 0), /^epsilon must be a number in \(0, 1\]/],
    ['missing level', () => alpha(undefined as unknown as Level), /^level must be an object/],
    ['critical γ out of range', () => criticalRho(5, 2), /^gamma must be/],
  ];
  it.each(cases)('%s → InvalidParameterError naming the parameter', (_name, call, message) => {
    expect(call).toThrow(InvalidParameterError);
    expect(call).toThrow(message);
  });
});
