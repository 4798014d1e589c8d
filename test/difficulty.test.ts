// SPEC §I2: expected root accuracy over Beta(μ, φ) task difficulty, against exact Beta moments of the
// root's polynomial (depth 1 and 2, γ = 1, ρ = 0) and, for deep trees, a brute-force rule.
import { describe, expect, it } from 'vitest';
import { betaShape, expectedRootAccuracy, expectedRootBias, InvalidParameterError, rootBias } from '../src/index.ts';

/** E[p^k] for p ~ Beta(a, b): Π_{i<k} (a + i)/(a + b + i). */
const moment = (a: number, b: number, k: number) => {
  let m = 1;
  for (let i = 0; i < k; i++) m *= (a + i) / (a + b + i);
  return m;
};
/** Polynomial arithmetic on coefficient arrays (index = power). */
const mul = (x: number[], y: number[]) => {
  const out = new Array(x.length + y.length - 1).fill(0);
  x.forEach((xi, i) => y.forEach((yj, j) => (out[i + j] += xi * yj)));
  return out;
};
const add = (x: number[], y: number[]) => Array.from({ length: Math.max(x.length, y.length) }, (_, i) => (x[i] ?? 0) + (y[i] ?? 0));
const scale = (x: number[], c: number) => x.map((v) => v * c);
/** majority of 3 as a polynomial in q: 3q² − 2q³, composed with a polynomial q(p). */
const maj3 = (q: number[]) => add(scale(mul(q, q), 3), scale(mul(mul(q, q), q), -2));

describe('§I2 expectedRootAccuracy', () => {
  const cases = [
    { mean: 0.6, dispersion: 0.1 }, { mean: 0.7, dispersion: 0.5 }, { mean: 0.3, dispersion: 0.8 }, { mean: 0.55, dispersion: 0.02 },
  ];
  it('equals exact Beta moments of the root polynomial to 1e-12 (depth 1 and 2; with ρ_task)', () => {
    for (const difficulty of cases) {
      const { a, b } = betaShape(difficulty);
      const expectPoly = (c: number[]) => c.reduce((s, ck, k) => s + ck * moment(a, b, k), 0);
      const p = [0, 1];
      const depth1 = maj3(p);
      const depth2 = maj3(depth1);
      const tree = { b: 3, gamma: 1, rho: 0 };
      expect(Math.abs(expectedRootAccuracy(tree, 1, { difficulty }) - expectPoly(depth1))).toBeLessThan(1e-12);
      expect(Math.abs(expectedRootAccuracy(tree, 2, { difficulty }) - expectPoly(depth2))).toBeLessThan(1e-12);
      // §I1 per task: ρ_task·E[p] + (1 − ρ_task)·E[maj(maj(p))].
      const rhoTask = 0.35;
      expect(Math.abs(expectedRootAccuracy(tree, 2, { difficulty, rhoTask }) - (rhoTask * difficulty.mean + (1 - rhoTask) * expectPoly(depth2)))).toBeLessThan(1e-12);
    }
  });

  it('deep trees (steep at p = 1/2) agree with a 400k-node composite Simpson rule to 1e-10', () => {
    // Independent rule: both shapes ≥ 1 here, so the density is bounded and composite Simpson with
    // many nodes (split at ½, where T^12 is steep) converges; its normaliser is integrated the same way.
    const difficulty = { mean: 0.52, dispersion: 0.05 };
    const { a, b } = betaShape(difficulty);
    const tree = { b: 3, gamma: 0.9, rho: 0.05 };
    const depth = 12;
    const lnB = (x: number, y: number) => {
      // ln B(x, y) by the same Simpson rule (normalises the density independently of logGamma).
      return Math.log(simpson((p) => p ** (x - 1) * (1 - p) ** (y - 1), 0, 1, 400_000));
    };
    const norm = Math.exp(-lnB(a, b));
    const g = (p: number) => norm * p ** (a - 1) * (1 - p) ** (b - 1) * (1 + rootBias(tree, 2 * p - 1, depth)) / 2;
    const brute = simpson(g, 0, 0.5, 200_000) + simpson(g, 0.5, 1, 200_000);
    expect(Math.abs(expectedRootAccuracy(tree, depth, { difficulty }) - brute)).toBeLessThan(1e-10);
  }, 60_000);

  it('singular shapes (a, b < 1) match the simulator reference (tanh-sinh of §D2 heterogeneous) to 1e-9', () => {
    const difficulty = { mean: 0.4, dispersion: 0.6 };
    const { a, b } = betaShape(difficulty);
    const tree = { b: 3, gamma: 0.95, rho: 0.1 };
    const reference = expectedRootBias({ tree, u0: 0, depth: 5, variant: { kind: 'heterogeneous', betaA: a, betaB: b } });
    expect(Math.abs(2 * expectedRootAccuracy(tree, 5, { difficulty }) - 1 - reference)).toBeLessThan(1e-9);
  });

  it('φ = 0 is the plain root accuracy; bad difficulty names the parameter', () => {
    const tree = { b: 5, gamma: 0.8, rho: 0.1 };
    expect(expectedRootAccuracy(tree, 4, { difficulty: { mean: 0.6, dispersion: 0 } })).toBe((1 + rootBias(tree, 0.2, 4)) / 2);
    expect(() => expectedRootAccuracy(tree, 4, { difficulty: { mean: 0.6, dispersion: 1 } })).toThrow(InvalidParameterError);
    expect(() => expectedRootAccuracy(tree, 4, { difficulty: { mean: 1, dispersion: 0.2 } })).toThrow(/difficulty\.mean/);
  });
});

function simpson(f: (x: number) => number, lo: number, hi: number, n: number): number {
  const h = (hi - lo) / n;
  let s = f(lo) + f(hi);
  for (let i = 1; i < n; i++) s += (i % 2 ? 4 : 2) * f(lo + i * h);
  return (s * h) / 3;
}
