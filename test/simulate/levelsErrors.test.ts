// Issue 12, "honest error bars": the level-by-level simulator's reported error (§D1b) is the spread
// of R = 16 independent replicate populations (§D4 chunks), checked here for calibration over 500
// seeds, and a warning marks runs whose populations are too small to target u_L within that error.
import { describe, expect, it } from 'vitest';
import {
  chunkCount, chunkTrials, levelsStdError, simulateTree, simulateTreeChunk, summarizeSimulation, trajectory,
  type PopulationSums, type TreeSimulationSpec,
} from '../../src/index.ts';

/** P(|T| > t) for Student's t with an odd number ν ≥ 3 of degrees of freedom (closed-form series). */
function studentTwoSidedTail(t: number, nu: number): number {
  const theta = Math.atan(t / Math.sqrt(nu));
  const c = Math.cos(theta);
  let term = c;
  let sum = c;
  for (let k = 3; k <= nu - 2; k += 2) {
    term *= ((k - 1) / k) * c * c;
    sum += term;
  }
  return 1 - (2 / Math.PI) * (theta + Math.sin(theta) * sum);
}

interface Run { bias: number; stdError: number; warning?: string }

function runs(spec: TreeSimulationSpec, trials: number, seeds: number): Run[] {
  return Array.from({ length: seeds }, (_, i) => simulateTree({ ...spec, trials, seed: i + 1 }));
}

/** Fraction of runs whose estimate lies more than 2 reported errors from `target`. */
function outside(rs: Run[], target: number): number {
  return rs.filter((r) => Math.abs(r.bias - target) > 2 * r.stdError).length / rs.length;
}

const SEEDS = 500;
// With 16 replicates the error has 15 degrees of freedom: ±2·stdError leaves P(|t_15| > 2) outside.
const EXPECTED_OUTSIDE = studentTwoSidedTail(2, 15);
// Tolerance: 4 binomial standard errors of a fraction over 500 seeds (≈ 4.4 percentage points).
const TOLERANCE = 4 * Math.sqrt((EXPECTED_OUTSIDE * (1 - EXPECTED_OUTSIDE)) / SEEDS);

describe('level-by-level error bars (§D1b, issue 12)', () => {
  it('the t tail used as the target is right (t_15: 6.39%, t_3 at 3.182: 5%)', () => {
    expect(EXPECTED_OUTSIDE).toBeCloseTo(0.0639, 4);
    expect(studentTwoSidedTail(3.182446, 3)).toBeCloseTo(0.05, 5);
  });

  it('are calibrated against the exact u_L over 500 seeds where no warning is given', () => {
    const level = { b: 3, gamma: 0.9, rho: 0.2 };
    const spec: TreeSimulationSpec = { tree: level, u0: 0.1, depth: 4, mode: 'levels' };
    const exact = trajectory(level, 0.1, 4)[4];
    const rs = runs(spec, 8000, SEEDS);
    expect(rs.filter((r) => r.warning).length).toBeLessThanOrEqual(SEEDS * 0.02);
    const trusted = rs.filter((r) => !r.warning);
    const frac = outside(trusted, exact);
    expect(Math.abs(frac - EXPECTED_OUTSIDE)).toBeLessThanOrEqual(TOLERANCE);
    // The reported error matches the real spread over seeds (relative SE of an sd over 500 ≈ 3.2%).
    const mean = rs.reduce((s, r) => s + r.bias, 0) / SEEDS;
    const sd = Math.sqrt(rs.reduce((s, r) => s + (r.bias - mean) ** 2, 0) / (SEEDS - 1));
    const rms = Math.sqrt(rs.reduce((s, r) => s + r.stdError ** 2, 0) / SEEDS);
    expect(sd / rms).toBeGreaterThan(0.85);
    expect(sd / rms).toBeLessThan(1.15);
  });

  it('the issue\'s case (b = 5, γ = 0.6, ρ = 0, u_0 = 0.05, depth 30, 2,000 trials): the error is the real spread, and every run warns', () => {
    const level = { b: 5, gamma: 0.6, rho: 0 };
    const spec: TreeSimulationSpec = { tree: level, u0: 0.05, depth: 30, mode: 'levels' };
    const rs = runs(spec, 2000, SEEDS);
    const mean = rs.reduce((s, r) => s + r.bias, 0) / SEEDS;
    const sd = Math.sqrt(rs.reduce((s, r) => s + (r.bias - mean) ** 2, 0) / (SEEDS - 1));
    const rms = Math.sqrt(rs.reduce((s, r) => s + r.stdError ** 2, 0) / SEEDS);
    // Before: the delta-method error (levelsStdError) of one population of 2,000 was reported, ±0.089
    // against a real spread of 0.41. Now the reported error tracks the spread of what is reported.
    expect(sd / rms).toBeGreaterThan(0.8);
    expect(sd / rms).toBeLessThan(1.25);
    // Around the seeds' own mean (a fixed point of the finite-population process, sd/√500 away from
    // the true mean) the ±2·error intervals leave out about the t_15 fraction.
    expect(Math.abs(outside(rs, mean) - EXPECTED_OUTSIDE)).toBeLessThanOrEqual(TOLERANCE);
    // But the populations of 125 flip sign: the estimate is far from u_L, and every run says so.
    const exact = trajectory(level, 0.05, 30)[30];
    expect(exact - mean).toBeGreaterThan(0.3);
    expect(rs.every((r) => r.warning && /flip sign/.test(r.warning))).toBe(true);
    // The old delta-method error is far below the spread of single populations of 2,000 here.
    const single = Array.from({ length: 100 }, (_, i) => simulateTreeChunk(spec, { seed: i + 1, cell: 0, chunk: 0, trials: 2000 }).correct / 1000 - 1);
    const m1 = single.reduce((a, b) => a + b, 0) / single.length;
    const sd1 = Math.sqrt(single.reduce((a, b) => a + (b - m1) ** 2, 0) / (single.length - 1));
    expect(levelsStdError({ tree: level, u0: 0.05, depth: 30, trials: 2000 }) / sd1).toBeLessThan(0.5);
  });

  it('warns at 50,000 trials too (populations of 3,125), and names a trial count', () => {
    const r = simulateTree({ tree: { b: 5, gamma: 0.6, rho: 0 }, u0: 0.05, depth: 30, mode: 'levels', trials: 50_000, seed: 1 });
    expect(r.replicates).toBe(16);
    expect(r.warning).toMatch(/populations of 3125 nodes are too small.*use about \d+ trials or more/);
  });

  it('never reports a zero error for a spread it did not measure; a deterministic tree has none', () => {
    // γ = 1, u_0 = 1: every vote right at every level, so the error is truly 0 and nothing is wrong.
    const sure = simulateTree({ tree: { b: 5, gamma: 1, rho: 0.3 }, u0: 1, depth: 8, mode: 'levels', trials: 1600, seed: 3 });
    expect(sure.bias).toBe(1);
    expect(sure.stdError).toBe(0);
    expect(sure.warning).toBeUndefined();
    // Populations of 10 nodes, strongly amplifying (γ = 1, b = 5): each ends all right or all wrong.
    // When all 16 end alike the spread is not measured: the linearised error is reported with a warning.
    const spec: TreeSimulationSpec = { tree: { b: 5, gamma: 1, rho: 0 }, u0: 0.5, depth: 12, mode: 'levels' };
    let found = 0;
    for (let seed = 1; seed <= 20; seed++) {
      const r = simulateTree({ ...spec, trials: 160, seed });
      if (Math.abs(r.bias) !== 1) continue;
      found++;
      expect(r.stdError).toBeGreaterThan(0);
      expect(r.warning).toMatch(/all 16 populations ended with the same mean/);
    }
    expect(found).toBeGreaterThan(0);
  });

  it('depends only on (seed, cell, chunk): the populations are the §D4 chunks, summed in chunk order', () => {
    const spec: TreeSimulationSpec = { tree: { b: 5, gamma: 0.6, rho: 0.1 }, u0: 0.1, depth: 10, mode: 'levels' };
    const trials = 100_003;
    expect(chunkCount(trials, 'levels')).toBe(16);
    expect(Array.from({ length: 16 }, (_, c) => chunkTrials(trials, c, 'levels')).reduce((a, b) => a + b)).toBe(trials);
    const whole = simulateTree({ ...spec, trials, seed: 9, cell: 4 });
    // Chunks computed in reverse (as workers might finish), then reduced in chunk order.
    const counts = Array.from({ length: 16 }, (_, i) => 15 - i).map((c) => ({ c, ...simulateTreeChunk(spec, { seed: 9, cell: 4, chunk: c, trials: chunkTrials(trials, c, 'levels') }) }));
    counts.sort((a, b) => a.c - b.c);
    const populations: PopulationSums = { replicates: 0, sumBias: 0, sumBiasSquares: 0 };
    let correct = 0;
    for (const k of counts) {
      correct += k.correct;
      const bias = (2 * k.correct) / k.trials - 1;
      populations.replicates++;
      populations.sumBias += bias;
      populations.sumBiasSquares += bias * bias;
    }
    expect(summarizeSimulation(spec, { trials, correct, populations })).toEqual(whole);
    expect(() => summarizeSimulation(spec, { trials, correct })).toThrow(/populations/);
  });
});

describe('continuous level-by-level tree error bars (§D3, issue 12)', () => {
  it('the issue\'s case (b = 2, depth 6, ρ = 0.9, σ² = 0.05): calibrated over 500 seeds, where the i.i.d. error is ~2.4× too small', async () => {
    const { simulateContinuous, treeRisk } = await import('../../src/index.ts');
    const spec = { topology: { kind: 'tree' as const, b: 2, depth: 6 }, v: 1, rho: 0.9, sigma2: 0.05 };
    const exact = treeRisk({ v: 1, rho: 0.9, sigma2: 0.05, b: 2, depth: 6 }).risk;
    const rs = Array.from({ length: SEEDS }, (_, i) => simulateContinuous({ ...spec, trials: 4000, seed: i + 1 }));
    expect(rs.every((r) => r.stdErrorMethod === 'replicates' && r.replicates === 16)).toBe(true);
    const frac = rs.filter((r) => Math.abs(r.risk - exact) > 2 * r.stdError).length / SEEDS;
    expect(Math.abs(frac - EXPECTED_OUTSIDE)).toBeLessThanOrEqual(TOLERANCE);
    const mean = rs.reduce((s, r) => s + r.risk, 0) / SEEDS;
    const sd = Math.sqrt(rs.reduce((s, r) => s + (r.risk - mean) ** 2, 0) / (SEEDS - 1));
    const rms = Math.sqrt(rs.reduce((s, r) => s + r.stdError ** 2, 0) / SEEDS);
    expect(sd / rms).toBeGreaterThan(0.85);
    expect(sd / rms).toBeLessThan(1.15);
    // The i.i.d. error (what was reported before) understates the spread here.
    const iid = Math.sqrt(rs.reduce((s, r) => s + (r.sumFourth / r.trials - r.risk ** 2) / r.trials, 0) / SEEDS);
    expect(sd / iid).toBeGreaterThan(2);
    // The population risk is unbiased (its recursion is linear): the seed mean is within 6 of its errors.
    expect(Math.abs(mean - exact)).toBeLessThanOrEqual(6 * sd / Math.sqrt(SEEDS));
  });

  it('star and chain keep the i.i.d. error (independent trials)', async () => {
    const { simulateContinuous } = await import('../../src/index.ts');
    const r = simulateContinuous({ topology: { kind: 'star', leaves: 9 }, v: 1, rho: 0.2, sigma2: 0.5, trials: 10_000, seed: 5 });
    expect(r.stdErrorMethod).toBe('iid');
    expect(r.stdError).toBeCloseTo(Math.sqrt((r.sumFourth / r.trials - r.risk ** 2) / r.trials), 15);
  });
});
