// SPEC §D3 — Monte Carlo of the continuous model of §C (assembly/montecarlo/continuous.ts): Gaussian
// leaf errors of variance v and pairwise correlation ρ, N(0, σ²) noise on every message, averaging
// aggregators, risk = mean squared error. Chunked and seeded exactly like the tree simulator (§D4).
import { checkInteger, checkNonNegative, checkUnit, InvalidParameterError } from '../errors.ts';
import { MAX_DEPTH } from '../theory/level.ts';
import { kernel as sharedKernel, type Kernel } from '../wasm/kernel.ts';
import { chunkCount, chunkTrials, MAX_CHUNK_TRIALS, MAX_SEED, MAX_TRIALS, replicateStdError } from './tree.ts';
import { checkGrown, monteCarlo } from './wasm.ts';

/**
 * star (§C1): N leaves averaged by one root. chain (§C3): agent k receives the running estimate
 * through one message and outputs the mean of k estimates. tree (§C2): fan-in b (any integer ≥ 2),
 * simulated level by level as §D3 describes: the trials are split into chunkCount(trials, 'levels')
 * independent populations (at least MIN_POPULATIONS = 16, one §D4 chunk each) of n nodes per level,
 * and the trials counted are the root populations' members.
 */
export type ContinuousTopology =
  | { kind: 'star'; leaves: number }
  | { kind: 'chain'; leaves: number }
  | { kind: 'tree'; b: number; depth: number };

export interface ContinuousSimulationSpec {
  topology: ContinuousTopology;
  /** Leaf error variance v ≥ 0. */
  v: number;
  /** Pairwise leaf error correlation ρ ∈ [0, 1]. */
  rho: number;
  /** Message noise variance σ² ≥ 0. */
  sigma2: number;
}

/** Sums over trials of the squared error and of its square (for the risk's standard error). */
export interface ContinuousSums {
  trials: number;
  sumSquares: number;
  sumFourth: number;
  /**
   * Tree (level by level) only: R populations and the sums of their risks and squared risks, in
   * chunk order. Members of a population share ancestors, so the error comes from these.
   */
  populations?: { replicates: number; sumRisk: number; sumRiskSquares: number };
}

export interface ContinuousSimulationResult extends ContinuousSums {
  /** sumSquares / trials: the estimated mean squared error. */
  risk: number;
  /**
   * Standard error of `risk`. Star and chain (independent trials): √((sumFourth/trials − risk²)/trials).
   * Tree: the spread of the R replicate population risks, sd/√R (Student t, R − 1 degrees of freedom),
   * never below the i.i.d. error, which would understate it (§D3).
   */
  stdError: number;
  stdErrorMethod: 'iid' | 'replicates';
  /** Tree: the number of independent populations. */
  replicates?: number;
}

const KIND = { star: 0, chain: 1, tree: 2 } as const;
const MAX_SIZE = 2 ** 31 - 1;

interface Prepared {
  kind: number;
  size: number;
  depth: number;
  v: number;
  rho: number;
  sigma2: number;
}

function prepare(spec: ContinuousSimulationSpec): Prepared {
  if (typeof spec !== 'object' || spec === null) throw new InvalidParameterError('spec', 'an object { topology, v, rho, sigma2 }', spec);
  const t = spec.topology as ContinuousTopology | undefined;
  const kindName = typeof t === 'object' && t !== null ? t.kind : t;
  if (typeof kindName !== 'string' || !Object.hasOwn(KIND, kindName)) {
    throw new InvalidParameterError('topology.kind', "'star', 'chain' or 'tree'", kindName);
  }
  const top = t as ContinuousTopology;
  const v = checkNonNegative('v', spec.v);
  const rho = checkUnit('rho', spec.rho);
  const sigma2 = checkNonNegative('sigma2', spec.sigma2);
  if (top.kind === 'tree') {
    return { kind: KIND.tree, size: checkInteger('topology.b', top.b, 2, MAX_SIZE), depth: checkInteger('topology.depth', top.depth, 0, MAX_DEPTH), v, rho, sigma2 };
  }
  return { kind: KIND[top.kind], size: checkInteger('topology.leaves', top.leaves, 1, MAX_SIZE), depth: 0, v, rho, sigma2 };
}

/** Throws InvalidParameterError for a bad spec or trial count before any work is done. */
export function validateContinuousSimulation(spec: ContinuousSimulationSpec, trials: number): void {
  prepare(spec);
  checkInteger('trials', trials, 1, MAX_TRIALS);
}

function run(k: Kernel, p: Prepared, seed: number, cell: number, chunk: number, trials: number): ContinuousSums {
  const [out, scratch] = k.layout([2, 0]);
  const status = monteCarlo(k).mcContinuous(p.kind, p.size, p.depth, p.v, p.rho, p.sigma2, seed, cell, chunk, trials, scratch, out);
  checkGrown(status, 'a continuous simulation');
  const [sumSquares, sumFourth] = k.f64(out, 2);
  return { trials, sumSquares, sumFourth };
}

/** One chunk (§D4): a pure function of (spec, seed, cell, chunk, trials), trials ≤ MAX_CHUNK_TRIALS. */
export function simulateContinuousChunk(
  spec: ContinuousSimulationSpec, at: { seed: number; cell: number; chunk: number; trials: number }, using: Kernel = sharedKernel,
): ContinuousSums {
  const p = prepare(spec);
  if (typeof at !== 'object' || at === null) throw new InvalidParameterError('at', 'an object { seed, cell, chunk, trials }', at);
  checkInteger('seed', at.seed, 0, MAX_SEED);
  checkInteger('cell', at.cell, 0, MAX_SEED);
  checkInteger('chunk', at.chunk, 0, MAX_SEED);
  checkInteger('at.trials', at.trials, 1, MAX_CHUNK_TRIALS);
  return run(using, p, at.seed, at.cell, at.chunk, at.trials);
}

/**
 * Risk and its standard error from the sums: the i.i.d. error, or with `populations` (the tree) the
 * spread of the replicate populations, never below the i.i.d. error.
 */
export function summarizeContinuous(s: ContinuousSums): ContinuousSimulationResult {
  const trials = checkInteger('trials', s?.trials, 1, MAX_TRIALS);
  const sumSquares = checkNonNegative('sumSquares', s.sumSquares);
  const sumFourth = checkNonNegative('sumFourth', s.sumFourth);
  const risk = sumSquares / trials;
  const iid = Math.sqrt(Math.max(0, sumFourth / trials - risk * risk) / trials);
  const pop = s.populations;
  if (!pop) return { trials, sumSquares, sumFourth, risk, stdError: iid, stdErrorMethod: 'iid' };
  const replicates = checkInteger('populations.replicates', pop.replicates, 1, MAX_TRIALS);
  const stdError = Math.max(iid, replicateStdError(replicates, pop.sumRisk, pop.sumRiskSquares));
  return { trials, sumSquares, sumFourth, populations: pop, risk, stdError, stdErrorMethod: 'replicates', replicates };
}

/**
 * Simulates `trials` trials in §D4 chunks (chunk c seeded by (seed, cell, c)) and reduces the sums
 * in chunk order: chunks of TRIALS_PER_CHUNK for the star and chain; for the tree one chunk per
 * independent population (chunkCount(trials, 'levels'), at least 16), whose spread is the error.
 */
export function simulateContinuous(
  spec: ContinuousSimulationSpec & { trials: number; seed: number; cell?: number }, using: Kernel = sharedKernel,
): ContinuousSimulationResult {
  const p = prepare(spec);
  const trials = checkInteger('trials', spec.trials, 1, MAX_TRIALS);
  const seed = checkInteger('seed', spec.seed, 0, MAX_SEED);
  const cell = checkInteger('cell', spec.cell ?? 0, 0, MAX_SEED);
  const mode = p.kind === KIND.tree ? 'levels' : 'full';
  let sumSquares = 0;
  let sumFourth = 0;
  const populations = { replicates: 0, sumRisk: 0, sumRiskSquares: 0 };
  for (let chunk = 0, chunks = chunkCount(trials, mode); chunk < chunks; chunk++) {
    const n = chunkTrials(trials, chunk, mode);
    const s = run(using, p, seed, cell, chunk, n);
    sumSquares += s.sumSquares;
    sumFourth += s.sumFourth;
    const risk = s.sumSquares / n;
    populations.replicates++;
    populations.sumRisk += risk;
    populations.sumRiskSquares += risk * risk;
  }
  return summarizeContinuous({ trials, sumSquares, sumFourth, populations: mode === 'levels' ? populations : undefined });
}
