// SPEC §D3 — the continuous simulator against the §C risk formulas (src/theory/continuous.ts).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  chainRisk, chunkCount, chunkTrials, instantiateKernel, simulateContinuous, simulateContinuousChunk, starRisk, treeRisk, TRIALS_PER_CHUNK,
  type ContinuousSimulationSpec,
} from '../../src/index.ts';
import { continuousTreeSigma } from './reference.ts';

const plain = await instantiateKernel('plain');
const simd = await instantiateKernel('simd');

const params = fc.record({
  v: fc.double({ min: 0.01, max: 4, noNaN: true }),
  rho: fc.double({ min: 0, max: 1, noNaN: true }),
  sigma2: fc.double({ min: 0, max: 2, noNaN: true }),
  seed: fc.nat(),
});

/** The error is Gaussian with variance R, so err² has standard deviation √2·R. */
const gaussianTolerance = (risk: number, trials: number) => (6 * Math.SQRT2 * risk) / Math.sqrt(trials) + 1e-12;

describe('star and chain (§C1, §C3)', () => {
  it('star: R = v·(ρ + (1 − ρ)/N) + σ²/N', () => {
    fc.assert(fc.property(params, fc.integer({ min: 1, max: 60 }), ({ v, rho, sigma2, seed }, leaves) => {
      const trials = 20_000;
      const r = simulateContinuous({ topology: { kind: 'star', leaves }, v, rho, sigma2, trials, seed });
      const expected = starRisk({ v, rho, sigma2, leaves }).risk;
      expect(Math.abs(r.risk - expected)).toBeLessThanOrEqual(gaussianTolerance(expected, trials));
      // The reported standard error estimates √2·R/√N.
      expect(r.stdError).toBeGreaterThan(0.8 * Math.SQRT2 * expected / Math.sqrt(trials));
      expect(r.stdError).toBeLessThan(1.25 * Math.SQRT2 * expected / Math.sqrt(trials));
    }), { numRuns: 40 });
  });

  it('chain: R = v·(ρ + (1 − ρ)/N) + σ²·(N − 1)(2N − 1)/(6N)', () => {
    fc.assert(fc.property(params, fc.integer({ min: 1, max: 60 }), ({ v, rho, sigma2, seed }, leaves) => {
      const trials = 20_000;
      const r = simulateContinuous({ topology: { kind: 'chain', leaves }, v, rho, sigma2, trials, seed });
      const expected = chainRisk({ v, rho, sigma2, leaves }).risk;
      expect(Math.abs(r.risk - expected)).toBeLessThanOrEqual(gaussianTolerance(expected, trials));
    }), { numRuns: 40 });
  });

  it('the correlation floor ρ·v shows for a large star', () => {
    const r = simulateContinuous({ topology: { kind: 'star', leaves: 1000 }, v: 2, rho: 0.3, sigma2: 1, trials: 20_000, seed: 3 });
    const expected = starRisk({ v: 2, rho: 0.3, sigma2: 1, leaves: 1000 }).risk;
    expect(expected).toBeCloseTo(0.6 + 1.4 / 1000 + 1 / 1000, 12);
    expect(Math.abs(r.risk - expected)).toBeLessThanOrEqual(gaussianTolerance(expected, 20_000));
  });
});

describe('tree, level by level (§C2 via §D3)', () => {
  it('R_L = a^L·v + (σ²/b)·(1 − a^L)/(1 − a)', () => {
    fc.assert(fc.property(params, fc.integer({ min: 2, max: 12 }), fc.integer({ min: 0, max: 12 }), ({ v, rho, sigma2, seed }, b, depth) => {
      const trials = 20_000;
      const r = simulateContinuous({ topology: { kind: 'tree', b, depth }, v, rho, sigma2, trials, seed });
      const expected = treeRisk({ v, rho, sigma2, b, depth }).risk;
      expect(Math.abs(r.risk - expected)).toBeLessThanOrEqual(6 * continuousTreeSigma(v, rho, sigma2, b, depth, trials) + 1e-3 * expected);
      expect(Math.abs(r.risk - expected)).toBeLessThanOrEqual(6 * r.stdError + 1e-3 * expected); // the replicate error (§D3)
    }), { numRuns: 40 });
  });

  it('depth makes things worse below the floor v* = σ²/((b − 1)(1 − ρ))', () => {
    // v = 0.1 < v* = 1/(2·0.5) = 1: the risk climbs towards 1 with depth.
    const spec = { v: 0.1, rho: 0.5, sigma2: 1, trials: 50_000, seed: 5 };
    const shallow = simulateContinuous({ ...spec, topology: { kind: 'tree', b: 3, depth: 1 } });
    const deep = simulateContinuous({ ...spec, topology: { kind: 'tree', b: 3, depth: 20 } });
    expect(deep.risk).toBeGreaterThan(shallow.risk + 0.3);
    expect(Math.abs(deep.risk - treeRisk({ v: 0.1, rho: 0.5, sigma2: 1, b: 3, depth: 20 }).risk)).toBeLessThan(0.05);
  });
});

describe('determinism (§D4)', () => {
  it('chunks sum in order; plain and SIMD give identical sums', () => {
    const specs: ContinuousSimulationSpec[] = [
      { topology: { kind: 'star', leaves: 7 }, v: 1, rho: 0.2, sigma2: 0.3 },
      { topology: { kind: 'chain', leaves: 9 }, v: 0.5, rho: 0.1, sigma2: 0.2 },
      { topology: { kind: 'tree', b: 4, depth: 6 }, v: 1.5, rho: 0.4, sigma2: 0.7 },
    ];
    for (const spec of specs) {
      // Star and chain: chunks of TRIALS_PER_CHUNK; the tree: one chunk per population (§D3, 16 of them).
      const trials = TRIALS_PER_CHUNK + 100;
      const mode = spec.topology.kind === 'tree' ? 'levels' : 'full';
      const total = simulateContinuous({ ...spec, trials, seed: 21, cell: 2 });
      const chunks = Array.from({ length: chunkCount(trials, mode) }, (_, c) => simulateContinuousChunk(spec, { seed: 21, cell: 2, chunk: c, trials: chunkTrials(trials, c, mode) }));
      expect(chunks.length).toBe(mode === 'levels' ? 16 : 2);
      expect(total.sumSquares).toBe(chunks.reduce((s, c) => s + c.sumSquares, 0));
      expect(total.sumFourth).toBe(chunks.reduce((s, c) => s + c.sumFourth, 0));
      const at = { seed: 4, cell: 1, chunk: 3, trials: 3000 };
      expect(simulateContinuousChunk(spec, at, simd)).toEqual(simulateContinuousChunk(spec, at, plain));
      expect(simulateContinuousChunk(spec, { ...at, cell: 2 }).sumSquares).not.toBe(simulateContinuousChunk(spec, at).sumSquares);
    }
  });
});
