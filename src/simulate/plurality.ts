// SPEC §H6 — Monte Carlo of plurality trees over K answers (assembly/montecarlo/plurality.ts), seeded
// per chunk (§D4). A separate entry from simulateTree because its result is in the task's units
// (accuracy p and skill s of §H1, not the bias 2p − 1), counts the dominant distractor, and its
// level-by-level error comes from replicate populations.
import { checkInteger, checkNumber, checkUnit, InvalidParameterError } from '../errors.ts';
import { MAX_DEPTH, type Level } from '../theory/level.ts';
import {
  accuracyFromSkill, chanceAccuracy, checkAggregator, checkTaskModel, type Aggregator, type TaskModel,
} from '../theory/model.ts';
import { kernel as sharedKernel, type Kernel } from '../wasm/kernel.ts';
import { checkGrown } from './wasm.ts';
import { MAX_FULL_TREE_LEAVES, MAX_SEED, MAX_TRIALS, TRIALS_PER_CHUNK } from './tree.ts';

/** A level of a plurality tree: any b ≥ 2 (§H3) and an aggregation rule (§H7, default plurality). */
export type PluralityLevel = Level & { aggregator?: Aggregator };

export interface PluralitySimulationSpec {
  /** One level for every depth, or one per depth (index 0 just above the leaves). */
  tree: PluralityLevel | readonly PluralityLevel[];
  /** Answers, distractors (§H1). rhoTask and difficulty are not simulated here. */
  task?: TaskModel;
  /** Leaf skill s_0 (§H1); give either s0 or p0. */
  s0?: number;
  /** Leaf accuracy p_0 = p_c + (1 − p_c)·s_0. */
  p0?: number;
  depth: number;
  /**
   * 'full' (§D1a): every leaf of every trial is drawn. 'levels' (§D1b): each chunk is one population
   * of nodes per level, parents reading b members picked with replacement from the level below.
   */
  mode: 'full' | 'levels';
}

/** Integer counts of one chunk: trials, right roots, roots on wrong answer 1 (the dominant one). */
export interface PluralityCounts {
  trials: number;
  correct: number;
  dominant: number;
}

export interface PluralitySimulationResult extends PluralityCounts {
  /** Accuracy p = correct / trials (the task's unit: chance is 1/K). */
  accuracy: number;
  /** Skill s = (p − p_c)/(1 − p_c), §H1. */
  skill: number;
  /** Standard error of `accuracy` (see stdErrorMethod). */
  accuracyStdError: number;
  /** Standard error of `skill` = accuracyStdError/(1 − p_c). */
  skillStdError: number;
  /** dominant / trials: share of roots on the dominant distractor (wrong answer 1). */
  dominantShare: number;
  /**
   * 'binomial' (mode 'full': independent trials); 'replicates' (mode 'levels': sd of the R
   * independent population means / √R; members of one population share ancestors, so a binomial
   * error over all members would understate the spread).
   */
  stdErrorMethod: 'binomial' | 'replicates';
  /** Number of independent populations (mode 'levels'). */
  replicates?: number;
}

/** Fewest independent populations of a level-by-level simulation (error from their spread). */
export const MIN_REPLICATES = 8;

interface Prepared {
  levels: { b: number; gamma: number; rho: number; judge: number }[];
  depth: number;
  answers: number; // 0 = open
  p0: number;
  kind: number;
  delta: number;
  cdf: number[];
  chance: number;
  full: boolean;
}

function checkLevels(tree: unknown, depth: number): Prepared['levels'] {
  // Same rule as the binary trees (treeLevels): one level for all depths, or at least one per depth.
  if (Array.isArray(tree) && tree.length < Math.max(depth, 1)) {
    throw new InvalidParameterError('tree', `an array of at least depth = ${depth} levels`, tree);
  }
  const list = Array.isArray(tree) ? (tree as unknown[]).slice(0, Math.max(depth, 1)) : [tree];
  return list.map((l, i) => {
    const name = Array.isArray(tree) ? `tree[${i}]` : 'tree';
    if (typeof l !== 'object' || l === null) throw new InvalidParameterError(name, 'an object { b, gamma, rho, aggregator? }', l);
    const level = l as PluralityLevel;
    const b = checkInteger(`${name}.b`, level.b, 2, 1024);
    const gamma = checkUnit(`${name}.gamma`, level.gamma);
    const rho = checkUnit(`${name}.rho`, level.rho);
    const agg = checkAggregator(`${name}.aggregator`, level.aggregator ?? 'plurality');
    return { b, gamma, rho, judge: agg === 'plurality' ? 0 : agg.judge };
  });
}

function prepare(spec: PluralitySimulationSpec): Prepared {
  if (typeof spec !== 'object' || spec === null) throw new InvalidParameterError('spec', 'an object { tree, task, s0 | p0, depth, mode }', spec);
  if (spec.mode !== 'full' && spec.mode !== 'levels') throw new InvalidParameterError('mode', "'full' or 'levels'", spec.mode);
  const full = spec.mode === 'full';
  const depth = checkInteger('depth', spec.depth, 0, MAX_DEPTH);
  const levels = checkLevels(spec.tree, depth);
  const task = checkTaskModel(spec.task ?? {});
  const chance = chanceAccuracy(task.answers);
  if ((spec.s0 === undefined) === (spec.p0 === undefined)) throw new InvalidParameterError('s0', 'exactly one of s0 (leaf skill) or p0 (leaf accuracy)', spec.s0);
  const p0 = spec.p0 !== undefined ? checkUnit('p0', spec.p0) : accuracyFromSkill(checkNumber('s0', spec.s0, -Infinity, 1), task.answers);
  const answers = task.answers === 'open' ? 0 : task.answers;
  let kind = 0, delta = 0;
  let cdf: number[] = [];
  const d = task.distractors;
  if (Array.isArray(d)) {
    kind = 2;
    let acc = 0;
    cdf = (d as readonly number[]).map((x) => (acc += x));
  } else if (typeof d === 'object' && d !== null) {
    kind = 1;
    delta = (d as { dominant: number }).dominant;
  }
  if (full) {
    let leaves = 1;
    for (let l = 0; l < depth && leaves <= MAX_FULL_TREE_LEAVES; l++) leaves *= levels[l % levels.length].b;
    if (leaves > MAX_FULL_TREE_LEAVES) {
      throw new InvalidParameterError('depth', 'small enough that a full tree has at most 2^32 leaves per trial', depth,
        "use mode: 'levels' for deep trees");
    }
  }
  return { levels, depth, answers, p0, kind, delta, cdf, chance, full };
}

function run(k: Kernel, p: Prepared, seed: number, cell: number, chunk: number, trials: number): PluralityCounts {
  const n = p.levels.length;
  const nc = Math.max(p.cdf.length, 1);
  const [bAt, gAt, rAt, vAt, cdfAt, outAt, scratch] = k.layout([n / 2 + 1, n, n, n, nc, 2, 0]);
  const bs = k.i32(bAt, n), gs = k.f64(gAt, n), rs = k.f64(rAt, n), vs = k.f64(vAt, n);
  p.levels.forEach((l, i) => {
    bs[i] = l.b;
    gs[i] = l.gamma;
    rs[i] = l.rho;
    vs[i] = l.judge;
  });
  k.f64(cdfAt, nc).set(p.cdf.length ? p.cdf : [1]);
  const mc = k.exports as unknown as { mcPlurality: (...a: number[]) => number };
  const correct = mc.mcPlurality(p.full ? 0 : 1, bAt, gAt, rAt, vAt, n, p.depth, p.answers, p.p0, p.kind, p.delta, cdfAt,
    seed, cell, chunk, trials, scratch, outAt);
  checkGrown(correct, 'a plurality simulation');
  const out = k.f64(outAt, 2);
  return { trials, correct, dominant: out[1] };
}

/** One chunk (§D4): a pure function of (spec, seed, cell, chunk, trials). */
export function simulatePluralityChunk(
  spec: PluralitySimulationSpec, at: { seed: number; cell: number; chunk: number; trials: number }, using: Kernel = sharedKernel,
): PluralityCounts {
  const p = prepare(spec);
  checkInteger('seed', at?.seed, 0, MAX_SEED);
  checkInteger('cell', at.cell, 0, MAX_SEED);
  checkInteger('chunk', at.chunk, 0, MAX_SEED);
  checkInteger('at.trials', at.trials, 1, 2 ** 24);
  return run(using, p, at.seed, at.cell, at.chunk, at.trials);
}

/**
 * Simulates `trials` trials. Mode 'full': chunks of TRIALS_PER_CHUNK, chunk c seeded by (seed, cell, c),
 * binomial error. Mode 'levels': R = max(MIN_REPLICATES, ⌈trials/TRIALS_PER_CHUNK⌉) independent
 * populations of ⌊trials/R⌋ nodes (population c seeded by (seed, cell, c)); the error is the spread
 * of their means, sd/√R, which includes the shared ancestry inside each population.
 */
export function simulatePlurality(
  spec: PluralitySimulationSpec & { trials: number; seed: number; cell?: number }, using: Kernel = sharedKernel,
): PluralitySimulationResult {
  const p = prepare(spec);
  const trials = checkInteger('trials', spec.trials, 1, MAX_TRIALS);
  const seed = checkInteger('seed', spec.seed, 0, MAX_SEED);
  const cell = checkInteger('cell', spec.cell ?? 0, 0, MAX_SEED);
  let correct = 0, dominant = 0, done = 0;
  if (p.full) {
    for (let chunk = 0; done < trials; chunk++) {
      const n = Math.min(TRIALS_PER_CHUNK, trials - done);
      const c = run(using, p, seed, cell, chunk, n);
      correct += c.correct;
      dominant += c.dominant;
      done += n;
    }
    const acc = correct / trials;
    const se = Math.sqrt((acc * (1 - acc)) / trials);
    return finish(p, { trials, correct, dominant }, se, 'binomial');
  }
  if (trials < MIN_REPLICATES) throw new InvalidParameterError('trials', `at least ${MIN_REPLICATES} in mode 'levels' (one population per replicate)`, trials);
  const R = Math.max(MIN_REPLICATES, Math.ceil(trials / TRIALS_PER_CHUNK));
  const n = Math.floor(trials / R);
  const means: number[] = [];
  for (let chunk = 0; chunk < R; chunk++) {
    const c = run(using, p, seed, cell, chunk, n);
    correct += c.correct;
    dominant += c.dominant;
    means.push(c.correct / n);
  }
  const mean = correct / (n * R);
  const sd = Math.sqrt(means.reduce((s, m) => s + (m - mean) ** 2, 0) / (R - 1));
  const result = finish(p, { trials: n * R, correct, dominant }, sd / Math.sqrt(R), 'replicates');
  result.replicates = R;
  return result;
}

function finish(p: Prepared, c: PluralityCounts, se: number, method: 'binomial' | 'replicates'): PluralitySimulationResult {
  const accuracy = c.correct / c.trials;
  return {
    ...c,
    accuracy,
    skill: (accuracy - p.chance) / (1 - p.chance),
    accuracyStdError: se,
    skillStdError: se / (1 - p.chance),
    dominantShare: c.dominant / c.trials,
    stdErrorMethod: method,
  };
}

/** Throws InvalidParameterError for a bad spec before any work is done. */
export function validatePluralitySimulation(spec: PluralitySimulationSpec): void {
  prepare(spec);
}
