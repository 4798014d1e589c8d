// SPEC §C: continuous risks against direct computations of the same models.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chainRisk, leafVariance, messageNoise, starRisk, treeRisk, treeRiskFloor } from '../src/index.ts';

const common = fc.record({
  v: fc.double({ min: 0, max: 10, noNaN: true }),
  rho: fc.double({ min: 0, max: 1, noNaN: true }),
  sigma2: fc.double({ min: 0, max: 5, noNaN: true }),
});

describe('continuous risks (§C)', () => {
  it('§C1 star: Var of the mean of N equicorrelated errors plus N noises, floor ρv', () => {
    fc.assert(fc.property(common, fc.integer({ min: 1, max: 500 }), ({ v, rho, sigma2 }, n) => {
      // Var(mean) = (1/N²)(N·v + N(N−1)·ρv) + σ²/N.
      const direct = (n * v + n * (n - 1) * rho * v) / n ** 2 + sigma2 / n;
      const r = starRisk({ v, rho, sigma2, leaves: n });
      expect(r.risk).toBeCloseTo(direct, 10);
      expect(r.floor).toBeCloseTo(rho * v, 14);
    }));
  });

  it('§C2 tree: closed form equals iterating v ← a·v + σ²/b, and depth → ∞ reaches v*', () => {
    fc.assert(fc.property(common, fc.integer({ min: 2, max: 9 }), fc.integer({ min: 0, max: 40 }), ({ v, rho, sigma2 }, b, L) => {
      const a = rho + (1 - rho) / b;
      let iterated = v;
      for (let l = 0; l < L; l++) iterated = a * iterated + sigma2 / b;
      expect(treeRisk({ v, rho, sigma2, b, depth: L }).risk).toBeCloseTo(iterated, 9);
      if (rho < 0.99) expect(treeRisk({ v, rho, sigma2, b, depth: 100_000 }).risk).toBeCloseTo(treeRiskFloor({ rho, sigma2, b }), 8);
    }));
    expect(treeRisk({ v: 2, rho: 1, sigma2: 0.5, b: 3, depth: 6 }).risk).toBeCloseTo(2 + (6 * 0.5) / 3, 14);
  });

  it('§C3 chain: the running-mean model computed coefficient by coefficient', () => {
    fc.assert(fc.property(common, fc.integer({ min: 1, max: 60 }), ({ v, rho, sigma2 }, n) => {
      // S_k = ((k − 1)(S_{k−1} + η_k) + X_k)/k: track weights of leaf errors and of noises.
      const leaf = new Float64Array(n);
      const noise = new Float64Array(n);
      leaf[0] = 1;
      for (let k = 2; k <= n; k++) {
        for (let i = 0; i < k - 1; i++) {
          leaf[i] *= (k - 1) / k;
          noise[i] *= (k - 1) / k;
        }
        noise[k - 1] = (k - 1) / k;
        leaf[k - 1] = 1 / k;
      }
      let sumW = 0;
      let sumW2 = 0;
      let noiseVar = 0;
      for (let i = 0; i < n; i++) {
        sumW += leaf[i];
        sumW2 += leaf[i] ** 2;
        noiseVar += noise[i] ** 2 * sigma2;
      }
      const direct = v * (rho * sumW ** 2 + (1 - rho) * sumW2) + noiseVar;
      expect(chainRisk({ v, rho, sigma2, leaves: n }).risk).toBeCloseTo(direct, 9);
    }));
  });

  it('noise families and the leaf variance law', () => {
    expect(messageNoise({ kind: 'constant', sigma2: 0.3 }, 10)).toBe(0.3);
    expect(messageNoise({ kind: 'exponential', sigma02: 2, m0: 50 }, 100)).toBeCloseTo(2 * Math.exp(-2), 15);
    expect(messageNoise({ kind: 'power', sigma02: 2, m0: 50, kappa: 1.5 }, 200)).toBeCloseTo(2 * 4 ** -1.5, 15);
    expect(messageNoise({ kind: 'table', m: [10, 100], sigma2: [1, 0.1] }, 1000)).toBe(0.1);
    expect(leafVariance({ v1: 4, beta: 0.5, compute: 16 })).toBe(1);
    expect(() => messageNoise({ kind: 'table', m: [10, 100], sigma2: [0.1, 1] }, 5)).toThrow(/non-increasing/);
    expect(() => starRisk({ v: 1, rho: 2, sigma2: 0, leaves: 3 })).toThrow(/^rho must be a number in \[0, 1\]/);
  });
});
