// The seeded streams and synthetic data of §G: the uniforms come from the kernel's xoshiro256**
// (§D4 seeding), the counts from the §D simulator; each data set matches its generating parameters
// within 6 standard errors and is a pure function of its seed.
import { describe, expect, it } from 'vitest';
import { fidelity, syntheticCorrectnessMatrix, syntheticFidelityCounts, syntheticLeafCounts } from '../../src/index.ts';
import { binomial, STREAMS, uniforms } from '../../src/calibrate/random.ts';

describe('seeded streams', () => {
  it('uniforms lie in [0, 1), have mean 1/2 and variance 1/12 (6σ), and repeat exactly for a seed', () => {
    const n = 200_000;
    const u = uniforms(3, STREAMS.correlationBootstrap, 0, n);
    expect(u.every((x) => x >= 0 && x < 1)).toBe(true);
    const mean = u.reduce((s, x) => s + x, 0) / n;
    const variance = u.reduce((s, x) => s + (x - mean) ** 2, 0) / n;
    expect(Math.abs(mean - 0.5)).toBeLessThan(6 * Math.sqrt(1 / 12 / n));
    // Var of (U − 1/2)² is 1/180: 6σ.
    expect(Math.abs(variance - 1 / 12)).toBeLessThan(6 * Math.sqrt(1 / 180 / n));
    expect(uniforms(3, STREAMS.correlationBootstrap, 0, 1000)).toEqual(u.slice(0, 1000));
    expect(uniforms(3, STREAMS.correlationBootstrap, 1, 1000)).not.toEqual(u.slice(0, 1000));
    expect(uniforms(4, STREAMS.correlationBootstrap, 0, 1000)).not.toEqual(u.slice(0, 1000));
  });
  it('binomial draws have mean n·p within 6σ and handle p = 0 and 1 exactly', () => {
    let sum = 0;
    for (let i = 0; i < 400; i++) sum += binomial(500, 0.3, 1, STREAMS.fidelityBootstrap, i);
    expect(Math.abs(sum - 400 * 150)).toBeLessThan(6 * Math.sqrt(400 * 500 * 0.3 * 0.7));
    expect(binomial(10, 0, 1, 1, 0)).toBe(0);
    expect(binomial(10, 1, 1, 1, 0)).toBe(10);
    expect(binomial(0, 0.5, 1, 1, 0)).toBe(0);
  });
});

describe('synthetic data (known parameters)', () => {
  it('fidelity counts follow (1 + γ(m))/2 through the simulated channel', () => {
    const curve = { kind: 'rational' as const, gammaInf: 0.9, m0: 20 };
    const data = syntheticFidelityCounts({ curve, lengths: [5, 20, 80], total: 100_000, seed: 2 });
    for (const d of data) {
      const p = (1 + fidelity(curve, d.m)) / 2;
      expect(Math.abs(d.agree / d.total - p)).toBeLessThan(6 * Math.sqrt((p * (1 - p)) / d.total));
    }
  });
  it('leaf counts follow p_c + (1 − p_c)·g(x)', () => {
    const law = { kind: 'power' as const, k: 0.02, beta: 0.5, gMax: 0.8 };
    const data = syntheticLeafCounts({ law, chance: 0.25, budgets: [4, 100, 10_000], trials: 100_000, seed: 2 }) as { x: number; right: number; trials: number }[];
    for (const d of data) {
      const p = 0.25 + 0.75 * Math.min(0.8, 0.02 * Math.sqrt(d.x));
      expect(Math.abs(d.right / d.trials - p)).toBeLessThan(6 * Math.sqrt((p * (1 - p)) / d.trials));
    }
  });
  it('correctness matrices: every pair has correlation ρ (equal biases), missing cells at the given rate', () => {
    const { matrix } = syntheticCorrectnessMatrix({ biases: [0.4, 0.4, 0.4], tasks: 20_000, rho: 0.3, missing: 0.1, seed: 8 });
    const cells = matrix.tasks.flat();
    const missing = cells.filter((z) => z === null).length / cells.length;
    expect(Math.abs(missing - 0.1)).toBeLessThan(6 * Math.sqrt(0.09 / cells.length));
    const right = cells.filter((z) => z === 1).length / cells.filter((z) => z !== null).length;
    expect(Math.abs(right - 0.7)).toBeLessThan(6 * Math.sqrt(0.21 / (0.9 * cells.length)));
    expect(syntheticCorrectnessMatrix({ biases: [0.4, 0.4, 0.4], tasks: 50, rho: 0.3, missing: 0.1, seed: 8 }).matrix.tasks)
      .toEqual(matrix.tasks.slice(0, 50));
  });
});
