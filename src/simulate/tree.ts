// SPEC §D1, §D2, §D4 — Monte Carlo simulation of binary majority trees (assembly/montecarlo/tree.ts).
// Every result is a pure function of (spec, seed, cell, chunk, trials): trials are split into chunks
// of TRIALS_PER_CHUNK whatever the number of workers, each chunk seeds its own streams from a hash
// of (seed, cell, chunk), and counts are summed in chunk order.
import { checkBias, checkInteger, checkKnownFields, checkOddFanIn, InvalidParameterError } from '../errors.ts';
import { MAX_DEPTH, treeLevels, type Level, type Tree } from '../theory/level.ts';
import { kernel as sharedKernel, type Kernel } from '../wasm/kernel.ts';
import { checkGrown, monteCarlo } from './wasm.ts';
import { checkBetaParameters, levelsStdError } from '../theory/reference.ts';

/** The model being simulated. */
export type SimulationVariant =
  /** §D1: the generative model of §B (channel on every edge, shared failure per aggregator). */
  | { kind: 'standard' }
  /** §D2: on a shared event the first child's vote goes through b independent channels. */
  | { kind: 'channelAfterCopy' }
  /**
   * §D2 task heterogeneity: each trial draws one leaf accuracy p ~ Beta(betaA, betaB) (both > 0)
   * shared by all its leaves; the spec's u0 is then ignored (the mean leaf bias is
   * (betaA − betaB)/(betaA + betaB)). Full mode only. Named betaA/betaB so they never read as the
   * fan-in b (issue 15); the old names a/b are refused with a message naming the new ones.
   */
  | { kind: 'heterogeneous'; betaA: number; betaB: number };

export interface TreeSimulationSpec {
  /** One level for every depth, or one per depth (index 0 just above the leaves), §B6. */
  tree: Tree;
  /** Leaf bias u_0 = 2p − 1 (§B1). */
  u0: number;
  depth: number;
  /**
   * 'full' (§D1a): every leaf of every trial is drawn; b^L ≤ MAX_FULL_TREE_LEAVES.
   * 'levels' (§D1b): a chunk of n trials is one population of n nodes per level: n leaves, then at
   * each level n parents, each reading b members picked uniformly with replacement from the level
   * below; the root population's n votes are the trials counted. Members of one population share
   * ancestors, so its binomial standard error understates the spread around u_L (see README).
   */
  mode: 'full' | 'levels';
  /** Default { kind: 'standard' }. */
  variant?: SimulationVariant;
}

/** Integer counts: trials simulated and how many had a root vote of +1 (right). */
export interface Counts {
  trials: number;
  correct: number;
}

export interface SimulationResult {
  trials: number;
  correct: number;
  /** correct / trials. */
  accuracy: number;
  /** 2·accuracy − 1, the estimate of the root bias u_L (§B1). */
  bias: number;
  /**
   * Standard error of `bias`: binomial, 2·√(accuracy·(1 − accuracy)/trials), in mode 'full'; in mode
   * 'levels' the delta-method error of levelsStdError, which includes each level's resampling.
   */
  stdError: number;
}

/** Trials per chunk (§D4): fixed, so results never depend on how many workers share the chunks. */
export const TRIALS_PER_CHUNK = 65_536;
/** Largest trial count of one chunk call (in mode 'levels', the largest population). */
export const MAX_CHUNK_TRIALS = 2 ** 24;
/** Largest trial count of a whole simulation. */
export const MAX_TRIALS = 2 ** 53;
/**
 * The master seed used when none is given: by the library (sweep, bootstrap), the CLI and the
 * explorer alike (issue 15: one default, so the same call gives the same counts everywhere).
 */
export const DEFAULT_SEED = 1;
/** Seeds, cells and chunk indices are integers in [0, 2^53). */
export const MAX_SEED = 2 ** 53 - 1;
/** Largest leaf count b_1·…·b_L per trial of a full-tree simulation (beyond it use mode 'levels'). */
export const MAX_FULL_TREE_LEAVES = 2 ** 32;

const VARIANT_CODE = { standard: 0, channelAfterCopy: 1, heterogeneous: 2 } as const;

/** A validated spec in the form the kernel takes. */
interface Prepared {
  levels: Level[];
  depth: number;
  u0: number;
  full: boolean;
  kind: number;
  betaA: number;
  betaB: number;
}

function checkVariant(variant: unknown, full: boolean): { kind: number; betaA: number; betaB: number } {
  if (variant === undefined) return { kind: 0, betaA: 0, betaB: 0 };
  const kindName = typeof variant === 'object' && variant !== null ? (variant as { kind?: unknown }).kind : variant;
  if (typeof kindName !== 'string' || !Object.hasOwn(VARIANT_CODE, kindName)) {
    throw new InvalidParameterError('variant.kind', "'standard', 'channelAfterCopy' or 'heterogeneous'", kindName);
  }
  const v = variant as SimulationVariant;
  if (v.kind !== 'heterogeneous') return { kind: VARIANT_CODE[v.kind], betaA: 0, betaB: 0 };
  if (!full) {
    throw new InvalidParameterError('variant.kind', "'standard' or 'channelAfterCopy' in mode 'levels'", v.kind,
      "leaf accuracy is drawn per trial and a levels-mode population is not made of trials; use mode: 'full'");
  }
  const beta = checkBetaParameters(v);
  return { kind: 2, betaA: beta.betaA, betaB: beta.betaB };
}

function prepare(spec: TreeSimulationSpec): Prepared {
  if (typeof spec !== 'object' || spec === null) throw new InvalidParameterError('spec', 'an object { tree, u0, depth, mode }', spec);
  if (spec.mode !== 'full' && spec.mode !== 'levels') throw new InvalidParameterError('mode', "'full' or 'levels'", spec.mode);
  const full = spec.mode === 'full';
  const depth = checkInteger('depth', spec.depth, 0, MAX_DEPTH);
  const u0 = checkBias('u0', spec.u0);
  const levels = treeLevels(spec.tree, depth);
  levels.forEach((level, i) => checkOddFanIn(Array.isArray(spec.tree) ? `tree[${i}].b` : 'tree.b', level.b)); // strict majority, no tie-break
  const { kind, betaA, betaB } = checkVariant(spec.variant, full);
  if (full) {
    let leaves = 1;
    for (let l = 0; l < depth && leaves <= MAX_FULL_TREE_LEAVES; l++) leaves *= levels[l % levels.length].b;
    if (leaves > MAX_FULL_TREE_LEAVES) {
      throw new InvalidParameterError('depth', `small enough that a full tree has at most 2^32 leaves per trial`, depth,
        `b^L exceeds ${MAX_FULL_TREE_LEAVES}; use mode: 'levels' for deep trees`);
    }
  }
  return { levels, depth, u0, full, kind, betaA, betaB };
}

function checkTrials(trials: unknown, max = MAX_TRIALS, name = 'trials'): number {
  return checkInteger(name, trials, 1, max);
}

/** Throws InvalidParameterError for a bad spec or trial count before any work is done. */
export function validateTreeSimulation(spec: TreeSimulationSpec, trials: number): void {
  prepare(spec);
  checkTrials(trials);
}

function checkAt(at: { seed: number; cell: number; chunk: number; trials: number }): void {
  if (typeof at !== 'object' || at === null) throw new InvalidParameterError('at', 'an object { seed, cell, chunk, trials }', at);
  checkInteger('seed', at.seed, 0, MAX_SEED);
  checkInteger('cell', at.cell, 0, MAX_SEED);
  checkInteger('chunk', at.chunk, 0, MAX_SEED);
  checkTrials(at.trials, MAX_CHUNK_TRIALS, 'at.trials');
}

type Entry = 'mcFullTree' | 'mcFullTreeScalar' | 'mcLevels';

function run(k: Kernel, p: Prepared, entry: Entry, seed: number, cell: number, chunk: number, trials: number): number {
  const n = p.levels.length;
  const [bAt, gammaAt, rhoAt, scratch] = k.layout([n / 2, n, n, 0]);
  const bs = k.i32(bAt, n);
  const gammas = k.f64(gammaAt, n);
  const rhos = k.f64(rhoAt, n);
  p.levels.forEach((level, i) => {
    bs[i] = level.b;
    gammas[i] = level.gamma;
    rhos[i] = level.rho;
  });
  const mc = monteCarlo(k);
  const correct = entry === 'mcLevels'
    ? mc.mcLevels(bAt, gammaAt, rhoAt, n, p.depth, p.u0, p.kind, seed, cell, chunk, trials, scratch)
    : mc[entry](bAt, gammaAt, rhoAt, n, p.depth, p.u0, p.kind, p.betaA, p.betaB, seed, cell, chunk, trials, scratch);
  return checkGrown(correct, 'a tree simulation');
}

/**
 * One chunk (§D4): a pure function of (spec, seed, cell, chunk, trials), trials ≤ MAX_CHUNK_TRIALS.
 * `using` runs it on another kernel instance (e.g. a given flavour); default: this thread's kernel.
 */
export function simulateTreeChunk(
  spec: TreeSimulationSpec, at: { seed: number; cell: number; chunk: number; trials: number }, using: Kernel = sharedKernel,
): Counts {
  const p = prepare(spec);
  checkAt(at);
  const correct = run(using, p, p.full ? 'mcFullTree' : 'mcLevels', at.seed, at.cell, at.chunk, at.trials);
  return { trials: at.trials, correct };
}

/**
 * The same full-tree model simulated one trial at a time with one random number per Bernoulli draw
 * (no bit parallelism; a different random stream, so it agrees with simulateTreeChunk in
 * distribution only). A reference for cross-checks and the benchmark's scalar baseline.
 */
export function simulateTreeScalarChunk(
  spec: TreeSimulationSpec, at: { seed: number; cell: number; chunk: number; trials: number }, using: Kernel = sharedKernel,
): Counts {
  const p = prepare(spec);
  if (!p.full) throw new InvalidParameterError('mode', "'full' (the scalar reference simulates whole trees)", spec.mode);
  checkAt(at);
  return { trials: at.trials, correct: run(using, p, 'mcFullTreeScalar', at.seed, at.cell, at.chunk, at.trials) };
}

/** Accuracy, bias and the binomial standard error of the bias from integer counts. */
export function summarizeCounts(c: Counts): SimulationResult {
  const trials = checkInteger('trials', c?.trials, 1, MAX_TRIALS);
  const correct = checkInteger('correct', c.correct, 0, trials);
  const accuracy = correct / trials;
  return {
    trials,
    correct,
    accuracy,
    bias: 2 * accuracy - 1,
    stdError: 2 * Math.sqrt((accuracy * (1 - accuracy)) / trials),
  };
}

/**
 * Simulates `trials` trials (chunks of TRIALS_PER_CHUNK, the last one smaller, chunk c seeded by
 * (seed, cell, c)) and sums the counts in chunk order. cell defaults to 0. In mode 'levels' every
 * chunk is an independent population.
 */
export function simulateTree(
  spec: TreeSimulationSpec & { trials: number; seed: number; cell?: number }, using: Kernel = sharedKernel,
): SimulationResult {
  const p = prepare(spec);
  checkKnownFields('spec', spec, ['tree', 'u0', 'depth', 'mode', 'variant', 'trials', 'seed', 'cell']);
  const trials = checkTrials(spec.trials);
  const seed = checkInteger('seed', spec.seed, 0, MAX_SEED);
  const cell = checkInteger('cell', spec.cell ?? 0, 0, MAX_SEED);
  const entry = p.full ? 'mcFullTree' : 'mcLevels';
  let correct = 0;
  for (let chunk = 0, done = 0; done < trials; chunk++) {
    const n = Math.min(TRIALS_PER_CHUNK, trials - done);
    correct += run(using, p, entry, seed, cell, chunk, n);
    done += n;
  }
  return summarizeSimulation(spec, { trials, correct });
}

/**
 * Accuracy, bias and standard error of a simulation's counts: the binomial error in mode 'full';
 * in mode 'levels' levelsStdError, which includes each level's resampling (members of a population
 * share ancestors, so the binomial error would understate the spread).
 */
export function summarizeSimulation(spec: TreeSimulationSpec, counts: Counts): SimulationResult {
  const result = summarizeCounts(counts);
  if (spec.mode === 'levels') {
    result.stdError = levelsStdError({ tree: spec.tree, u0: spec.u0, depth: spec.depth, trials: result.trials, variant: spec.variant });
  }
  return result;
}
