// §D2 references: the quadrature and variant maps that Monte Carlo estimates are checked against.
import { describe, expect, it } from 'vitest';
import { majorityBias, trajectory } from '../src/index.ts';
import { expectedRootBias } from '../src/theory/reference.ts';

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
      const got = expectedRootBias({ tree: { b: 3, gamma: 1, rho: 0 }, u0: 0, depth: 0, variant: { kind: 'heterogeneous', betaA: a, betaB: b } });
      expect(Math.abs(got - (a - b) / (a + b))).toBeLessThan(1e-10);
    }
  });
  it('heterogeneity through one majority level: Beta(2, 1) gives E[f_3(2p − 1)] = 2/5', () => {
    // ∫ 2p·(3u − u³)/2 dp with u = 2p − 1 equals 0.4 exactly.
    const got = expectedRootBias({ tree: { b: 3, gamma: 1, rho: 0 }, u0: 0, depth: 1, variant: { kind: 'heterogeneous', betaA: 2, betaB: 1 } });
    expect(got).toBeCloseTo(0.4, 13);
  });
});

describe('levelsStdError (§D1b)', () => {
  it('matches the spread of independent single populations in the near-linear regime, where the binomial error does not', async () => {
    const { simulateTreeChunk } = await import('../src/simulate/index.ts');
    const { levelsStdError } = await import('../src/theory/reference.ts');
    const level = { b: 5, gamma: 0.6, rho: 0.1 };
    const trials = 2000; // one population of 2,000 nodes per level (one §D4 chunk)
    const depth = 12;
    const replicates = 300;
    const estimates: number[] = [];
    for (let seed = 1; seed <= replicates; seed++) {
      const c = simulateTreeChunk({ tree: level, u0: 0.05, depth, mode: 'levels' }, { seed, cell: 0, chunk: 0, trials });
      estimates.push((2 * c.correct) / trials - 1);
    }
    const mean = estimates.reduce((a, b) => a + b, 0) / replicates;
    const sd = Math.sqrt(estimates.reduce((a, b) => a + (b - mean) ** 2, 0) / (replicates - 1));
    const predicted = levelsStdError({ tree: level, u0: 0.05, depth, trials });
    // The sample SD of 300 replicates has relative standard error ≈ 1/√(2·299) ≈ 4.1%: allow 6σ ≈ 25%.
    expect(sd / predicted).toBeGreaterThan(0.75);
    expect(sd / predicted).toBeLessThan(1.25);
    // The plain binomial error is several times too small here (amplification of early-level noise).
    const binomial = Math.sqrt((1 - mean * mean) / trials);
    expect(sd / binomial).toBeGreaterThan(2);
    // And the replicate mean agrees with the exact u_L within 6 standard errors of that mean.
    expect(Math.abs(mean - trajectory(level, 0.05, depth)[depth])).toBeLessThan(6 * predicted / Math.sqrt(replicates) + 1 / trials);
  });
});

describe('library references agree with the Monte Carlo tests\' independent oracles', () => {
  it('heterogeneity quadrature (tanh-sinh) vs composite Simpson; channel-after-copy map; levels error', async () => {
    const oracle = await import('./simulate/reference.ts');
    const { levelsStdError } = await import('../src/theory/reference.ts');
    const levels = [{ b: 5, gamma: 0.8, rho: 0.2 }, { b: 3, gamma: 0.9, rho: 0.1 }];
    // Simpson converges like h^(b+1/2) when (1 − p)^(b−1) is not smooth: 1e-9 for integer a, b, 1e-5 for b = 1.5.
    for (const [a, b, digits] of [[3, 3, 9], [1, 4, 9], [2, 2, 9], [2, 1.5, 5]]) {
      const simpson = oracle.heterogeneousReference(levels, a, b, 4);
      expect(expectedRootBias({ tree: levels.concat(levels), u0: 0, depth: 4, variant: { kind: 'heterogeneous', betaA: a, betaB: b } })).toBeCloseTo(simpson, digits);
    }
    expect(expectedRootBias({ tree: levels, u0: 0.1, depth: 2, variant: { kind: 'channelAfterCopy' } })).toBeCloseTo(oracle.channelAfterCopyTrajectory(levels, 0.1, 2), 15);
    const traj = trajectory(levels, 0.05, 2);
    expect(levelsStdError({ tree: levels, u0: 0.05, depth: 2, trials: 1000 })).toBeCloseTo(oracle.levelsSigma(levels, traj, 1000), 14);
  });
});
