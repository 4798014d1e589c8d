// SPEC §D1, §D2, §D4 — Monte Carlo simulation of binary majority trees (assembly/montecarlo/tree.ts).
// Every result is a pure function of (spec, seed, cell, chunk, trials): trials are split into chunks
// of TRIALS_PER_CHUNK whatever the number of workers, each chunk seeds its own streams from a hash
// of (seed, cell, chunk), and counts are summed in chunk order.
import { checkBias, checkInteger, checkKnownFields, checkOddFanIn, InvalidParameterError } from '../errors.ts';
import { MAX_DEPTH, treeLevels, type Level, type Tree } from '../theory/level.ts';
import { kernel as sharedKernel, type Kernel } from '../wasm/kernel.ts';
import { checkGrown, monteCarlo } from './wasm.ts';
import { checkBetaParameters, levelsLinearisation } from '../theory/reference.ts';
import type { Difficulty } from '../theory/model.ts';

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
  | { kind: 'heterogeneous'; betaA: number; betaB: number }
  /** The same, with the Beta law given as the §I2 Difficulty of model.ts (mean accuracy μ, dispersion φ in (0, 1)). */
  | { kind: 'difficulty'; difficulty: Difficulty };

export interface TreeSimulationSpec {
  /** One level for every depth, or one per depth (index 0 just above the leaves), §B6. */
  tree: Tree;
  /** Leaf bias u_0 = 2p − 1 (§B1). */
  u0: number;
  depth: number;
  /**
   * 'full' (§D1a): every leaf of every trial is drawn; b^L ≤ MAX_FULL_TREE_LEAVES.
   * 'levels' (§D1b): the trials are split into R = max(MIN_POPULATIONS, ⌈trials/MAX_CHUNK_TRIALS⌉)
   * independent populations (one §D4 chunk each, sizes differing by at most 1). A population of n
   * nodes per level: n leaves, then at each level n parents, each reading b members picked
   * uniformly with replacement from the level below; its n root votes are trials counted. Members
   * of one population share ancestors, so the error comes from the spread of the R population means.
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
   * Standard error of `bias`. Mode 'full': binomial, 2·√(accuracy·(1 − accuracy)/trials). Mode
   * 'levels': the spread of the R replicate population biases, sd/√R (Student t with R − 1 degrees
   * of freedom: ±2·stdError covers 93.6% at R = 16), never below the binomial error.
   */
  stdError: number;
  /** 'binomial' (mode 'full'), 'replicates' (mode 'levels'). */
  stdErrorMethod: 'binomial' | 'replicates';
  /** Mode 'levels': the number R of independent populations. */
  replicates?: number;
  /**
   * Mode 'levels': set when the populations are too small for the estimate to target u_L within
   * its error (a sign flip or the finite-population bias); says how many trials would do.
   */
  warning?: string;
}

/**
 * Per-population sums of a level-by-level simulation (§D1b): R populations, Σ of their biases and
 * of the squares (each bias = 2·correct_c/n_c − 1, from integer counts, summed in chunk order).
 */
export interface PopulationSums {
  replicates: number;
  sumBias: number;
  sumBiasSquares: number;
}

/** Trials per chunk (§D4): fixed, so results never depend on how many workers share the chunks. */
export const TRIALS_PER_CHUNK = 65_536;
/**
 * Fewest independent populations of a level-by-level run (§D1b): their spread is the error, and with
 * 16 a ±2·stdError interval covers 93.6% (Student t, 15 degrees of freedom).
 */
export const MIN_POPULATIONS = 16;
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

/**
 * Number of §D4 chunks of `trials` trials: ⌈trials/TRIALS_PER_CHUNK⌉ in mode 'full'; in mode
 * 'levels' one chunk per population, at least MIN_POPULATIONS of them (at most one per trial).
 */
export function chunkCount(trials: number, mode: 'full' | 'levels'): number {
  if (mode === 'full') return Math.ceil(trials / TRIALS_PER_CHUNK);
  // Populations as large as a chunk call allows: the finite-population bias falls with their size.
  return Math.min(trials, Math.max(MIN_POPULATIONS, Math.ceil(trials / MAX_CHUNK_TRIALS)));
}

/** Trials of chunk `chunk`: full chunks then the remainder ('full'); near-equal populations ('levels'). */
export function chunkTrials(trials: number, chunk: number, mode: 'full' | 'levels'): number {
  if (mode === 'full') return Math.min(TRIALS_PER_CHUNK, trials - chunk * TRIALS_PER_CHUNK);
  const R = chunkCount(trials, mode);
  return Math.floor(trials / R) + (chunk < trials % R ? 1 : 0);
}

/** Adds one population's counts to the sums (in chunk order, §D4). */
export function addPopulation(sums: PopulationSums, c: Counts): void {
  const bias = (2 * c.correct) / c.trials - 1;
  sums.replicates++;
  sums.sumBias += bias;
  sums.sumBiasSquares += bias * bias;
}

/** Standard error of a mean of R replicate estimates from their sums: sd/√R (0 when R < 2). */
export function replicateStdError(replicates: number, sum: number, sumSquares: number): number {
  if (replicates < 2) return 0;
  const mean = sum / replicates;
  return Math.sqrt(Math.max(0, sumSquares - replicates * mean * mean) / (replicates - 1) / replicates);
}

const VARIANT_CODE = { standard: 0, channelAfterCopy: 1, heterogeneous: 2, difficulty: 2 } as const;

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
    throw new InvalidParameterError('variant.kind', "'standard', 'channelAfterCopy', 'heterogeneous' or 'difficulty'", kindName);
  }
  const v = variant as SimulationVariant;
  if (v.kind !== 'heterogeneous' && v.kind !== 'difficulty') return { kind: VARIANT_CODE[v.kind], betaA: 0, betaB: 0 };
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
export function summarizeCounts(c: Counts): SimulationResult & { stdErrorMethod: 'binomial' } {
  const trials = checkInteger('trials', c?.trials, 1, MAX_TRIALS);
  const correct = checkInteger('correct', c.correct, 0, trials);
  const accuracy = correct / trials;
  return {
    trials,
    correct,
    accuracy,
    bias: 2 * accuracy - 1,
    stdError: 2 * Math.sqrt((accuracy * (1 - accuracy)) / trials),
    stdErrorMethod: 'binomial',
  };
}

/**
 * Simulates `trials` trials in §D4 chunks (chunk c seeded by (seed, cell, c); cell defaults to 0)
 * and sums the counts in chunk order: chunks of TRIALS_PER_CHUNK in mode 'full'; in mode 'levels'
 * chunkCount(trials, 'levels') independent populations (16 up to 16·MAX_CHUNK_TRIALS trials), whose
 * spread gives the error.
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
  const populations: PopulationSums = { replicates: 0, sumBias: 0, sumBiasSquares: 0 };
  for (let chunk = 0, chunks = chunkCount(trials, spec.mode); chunk < chunks; chunk++) {
    const n = chunkTrials(trials, chunk, spec.mode);
    const c = run(using, p, entry, seed, cell, chunk, n);
    correct += c;
    if (!p.full) addPopulation(populations, { trials: n, correct: c });
  }
  return summarizeSimulation(spec, { trials, correct, populations: p.full ? undefined : populations });
}

/**
 * Accuracy, bias and standard error of a simulation's counts: the binomial error in mode 'full'. In
 * mode 'levels' (§D1b) members of a population share ancestors, so the error is the spread of the
 * replicate populations (`populations`, required), never below the binomial error, and a warning
 * is set where populations of this size cannot target u_L within that error (levelsWarning).
 */
export function summarizeSimulation(spec: TreeSimulationSpec, counts: Counts & { populations?: PopulationSums }): SimulationResult {
  const result: SimulationResult = summarizeCounts(counts);
  if (spec.mode !== 'levels') return result;
  const pop = counts.populations;
  if (!pop || pop.replicates !== chunkCount(result.trials, 'levels')) {
    throw new InvalidParameterError('populations', `the sums of the ${chunkCount(result.trials, 'levels')} populations of mode 'levels'`, pop?.replicates);
  }
  const replicate = 2 * replicateStdError(pop.replicates, pop.sumBias / 2, pop.sumBiasSquares / 4);
  const checked = levelsCheck(spec, result.trials, result.bias, replicate, result.stdError);
  result.stdError = checked.stdError;
  result.stdErrorMethod = 'replicates';
  result.replicates = pop.replicates;
  if (checked.warning) result.warning = checked.warning;
  return result;
}

/**
 * The reported error of a level-by-level run (§D1b) and a warning where the estimate cannot be
 * trusted to target u_L within it: all populations ended alike (spread unmeasured), the
 * second-order finite-population bias exceeds half the error, or the replicate spread is more than
 * 1.5× the linearised one (the populations are in the nonlinear regime); the message names a
 * possible sign flip (levelsLinearisation's noise-to-signal ≥ 1/3 on an amplifying level). The noise-to-signal
 * ratio and the bias relative to the error both fall as 1/√(population), so the message names the
 * trial count that would bring each criterion to a quarter of its threshold.
 */
function levelsCheck(
  spec: TreeSimulationSpec, trials: number, meanBias: number, replicateError: number, binomialError: number,
): { stdError: number; warning?: string } {
  const R = chunkCount(trials, 'levels');
  const population = Math.floor(trials / R);
  const lin = levelsLinearisation({ tree: spec.tree, u0: spec.u0, depth: spec.depth, population, variant: spec.variant });
  const linearError = Math.sqrt(lin.variance / R);
  const flipRisk = lin.noiseToSignal >= 1 / 3;
  // Every population ended with the same mean (e.g. all carried to +1 or all to −1) although the
  // linearisation or a possible sign flip says they need not: the spread is not measured.
  const degenerate = replicateError === 0 && (linearError > 1 / trials || flipRisk);
  // Never below the binomial error. Unmeasured spread: the linearised error, and where a flip is
  // possible the error of a flip share q = 1 − 0.05^(1/R) (the 95% bound when none of R flipped),
  // 2·|û|·√(q(1 − q)/R) — flagged by the warning either way.
  const q = 1 - 0.05 ** (1 / R);
  const unmeasured = Math.max(linearError, flipRisk ? 2 * Math.abs(meanBias) * Math.sqrt((q * (1 - q)) / R) : 0);
  const stdError = Math.max(degenerate ? unmeasured : replicateError, binomialError);
  const reasons: string[] = [];
  let factor = 1; // how many times more trials would clear every criterion with room
  const nonlinear = replicateError > 1.5 * linearError; // (also where the linearisation says no spread at all)
  const biased = Math.abs(lin.bias) > 0.5 * stdError;
  // A possible sign flip matters only where it shows (spread or curvature): in a near-linear tree a
  // population that starts below zero is carried linearly and adds no bias.
  if (degenerate) {
    reasons.push(`all ${R} populations ended with the same mean, so their spread measures nothing (the error shown is a bound, not a measurement)`);
    factor = Math.max(factor, 16);
  }
  if (flipRisk && (nonlinear || biased || degenerate)) {
    reasons.push(`a population can flip sign (noise/signal ${lin.noiseToSignal.toFixed(2)} ≥ 1/3 on an amplifying level)`);
    factor = Math.max(factor, (2 * 3 * lin.noiseToSignal) ** 2);
  } else if (biased) {
    reasons.push(`the finite-population bias ≈ ${lin.bias.toExponential(1)} exceeds half the standard error`);
    factor = Math.max(factor, (2 * 2 * Math.abs(lin.bias) / stdError) ** 2);
  }
  if (nonlinear) {
    reasons.push(linearError > 0 ? `the replicate spread is ${(replicateError / linearError).toFixed(1)}× the linearised one` : 'the populations spread where the linearisation predicts none');
    factor = Math.max(factor, 16);
  }
  if (reasons.length === 0) return { stdError };
  const more = Math.min(MAX_TRIALS, Number((trials * factor).toPrecision(2)));
  const advice = trials * factor > R * MAX_CHUNK_TRIALS ? 'populations beyond 2^24 nodes would be needed (use mode \'full\' or a shallower tree)' : `use about ${more} trials or more`;
  return { stdError, warning: `populations of ${population} nodes are too small for this tree: ${reasons.join('; ')}; the estimate may be off u_L by more than its error — ${advice}` };
}
