// §D2 references: the quadrature and variant maps that Monte Carlo estimates are checked against.
import { describe, expect, it } from 'vitest';
import { majorityBias, trajectory } from '../src/index.ts';
import { expectedRootBias } from '../src/reference.ts';

describe('expectedRootBias (§D2)', () => {
  it('standard trees are the exact trajectory', () => {
    const level = { b: 5, gamma: 0.6, rho: 0.2 };
    expect(expectedRootBias({ tree: level, u0: 0.05, depth: 10 })).toBe(trajectory(level, 0.05, 10)[10]);
  });
  it('channel after copy uses ρ·f_b(γ)·u + (1 − ρ)·f_b(γu)', () => {
    const u = 0.3;
    const expected = 0.25 * majorityBias(7, 0.8) * u + 0.75 * majorityBias(7, 0.8 * u);
    expect(expectedRootBias({ tree: { b: 7, gamma: 0.8, rho: 0.25 }, u0: u, depth: 1, variant: { kind: 'channelAfterCopy' } })).toBeCloseTo(expected, 15);
  });
  it('heterogeneity: Beta moments E[2p − 1] = (a − b)/(a + b), also for singular densities', () => {
    for (const [a, b] of [[2, 3], [0.5, 0.5], [0.3, 2], [5, 1], [40, 38]]) {
      const got = expectedRootBias({ tree: { b: 3, gamma: 1, rho: 0 }, u0: 0, depth: 0, variant: { kind: 'heterogeneous', a, b } });
      expect(Math.abs(got - (a - b) / (a + b))).toBeLessThan(1e-10);
    }
  });
  it('heterogeneity through one majority level: Beta(2, 1) gives E[f_3(2p − 1)] = 2/5', () => {
    // ∫ 2p·(3u − u³)/2 dp with u = 2p − 1 equals 0.4 exactly.
    const got = expectedRootBias({ tree: { b: 3, gamma: 1, rho: 0 }, u0: 0, depth: 1, variant: { kind: 'heterogeneous', a: 2, b: 1 } });
    expect(got).toBeCloseTo(0.4, 13);
  });
});
