// `synergy simulate`: one design by Monte Carlo (§D), beside its exact value.
import { checkUnit, InvalidParameterError } from '../errors.ts';
import { expectedRootBias, type ReferenceVariant } from '../theory/reference.ts';
import { availableParallelism } from 'node:os';
import {
  addPopulation, simulatePlurality, simulateScopedTree, simulateTree, simulateTreeChunk, summarizeSimulation, validateTreeSimulation,
  type Counts, type PopulationSums, type TreeSimulationSpec,
} from '../simulate/index.ts';
import { PiscinaExecutor } from '../sweep/piscinaExecutor.ts';
import { chunksOf, trialsInChunk } from '../sweep/montecarlo.ts';
import type { SweepProgress } from '../sweep/index.ts';
import {
  accuracyFromSkill, chanceAccuracy, MAX_ANSWERS, skillFromAccuracy, type Aggregator, type Answers, type Distractors,
} from '../theory/model.ts';
import { rootBias } from '../theory/scope.ts';
import { clippedPredictor, type Level } from '../theory/level.ts';
import { fmt, keyValues } from './format.ts';
import { seriesPlot, type SeriesPoint } from './plot.ts';
import { type DesignFlags, distractorVector, resolveDesign } from './designFlags.ts';
import { parseInteger, parseNumber } from './options.ts';
import { checkPlan, describePlan, estimateSeconds, simulatePlan } from './workPlan.ts';

export interface SimulateFlags extends DesignFlags {
  trials: string;
  mode: string;
  seed: string;
  variant: string;
  workers?: string;
  plot?: string;
  yes?: boolean;
}

/** Where simulate reports: the plan line and progress (stderr in the CLI; tests pass their own). */
export interface SimulateReport {
  plan?: (line: string) => void;
  onProgress?: (p: SweepProgress) => void;
}

/** `--variant standard | channelAfterCopy | heterogeneous:betaA,betaB` (§D2: leaf accuracy ~ Beta(betaA, betaB) per trial). */
export function parseVariant(text: string): ReferenceVariant {
  if (text === 'standard' || text === 'channelAfterCopy') return { kind: text };
  const match = /^heterogeneous:([^,]+),([^,]+)$/.exec(text);
  if (match) return { kind: 'heterogeneous', betaA: parseNumber('variant', match[1]), betaB: parseNumber('variant', match[2]) };
  throw new InvalidParameterError('--variant', 'standard, channelAfterCopy or heterogeneous:betaA,betaB', text);
}

export function parseMode(text: string): 'full' | 'levels' {
  if (text === 'full' || text === 'levels') return text;
  throw new InvalidParameterError('--mode', 'full or levels', text);
}

/**
 * Prints the plan, refuses it over the limits unless --yes (workPlan.ts), then simulates. With more
 * than one worker the §D4 chunks are shared among Piscina worker threads; every chunk is seeded by
 * (seed, cell = depth, chunk) and counts are summed in chunk order, so the counts are those of
 * simulateTree whatever the worker count. Default workers: 1 for runs estimated under a second,
 * else all cores.
 */
export async function simulate(flags: SimulateFlags, report: SimulateReport = {}) {
  const { level, u0, depth, m, rhoTask } = resolveDesign(flags);
  const trials = parseInteger('trials', flags.trials, 1);
  const seed = parseInteger('seed', flags.seed, 0);
  const mode = parseMode(flags.mode);
  const variant = parseVariant(flags.variant);
  if (rhoTask > 0 && variant.kind !== 'standard') {
    throw new InvalidParameterError('--rho-task', '0 unless --variant standard (§I1 per-trial draw)', flags.rhoTask);
  }
  const spec: TreeSimulationSpec = { tree: level, u0, depth, mode, variant };
  validateTreeSimulation(spec, trials);
  const plot = flags.plot !== undefined;
  let workers = flags.workers === undefined ? undefined : parseInteger('workers', flags.workers, 1);
  if (workers === undefined) {
    const oneThread = estimateSeconds(simulatePlan({ mode, b: level.b, depth, trials, plot, workers: 1 }));
    workers = oneThread < 1 ? 1 : availableParallelism();
  }
  workers = Math.min(workers, chunksOf(trials, mode));
  const plan = simulatePlan({ mode, b: level.b, depth, trials, plot, workers });
  const seconds = estimateSeconds(plan);
  report.plan?.(describePlan(plan, seconds, `${trials} trials × ${leafVotesPerTrialText(mode, level.b, depth)}${plot ? `, plus depths 1…${depth} for --plot` : ''}`));
  checkPlan(plan, seconds, !!flags.yes);
  // §I1: the task-level event is drawn once per trial (simulateScopedTree, one thread), beside the exact mixture.
  const exact = rhoTask > 0 ? rootBias(level, u0, depth, { rhoTask }) : expectedRootBias({ tree: level, u0, depth, variant });
  const sim = rhoTask > 0
    ? simulateScopedTree({ tree: level, u0, depth, mode, trials, seed, cell: depth, rhoTask })
    : summarizeSimulation(spec, await simulateCounts(spec, { trials, seed, cell: depth, workers }, report.onProgress));
  const stdError = sim.stdError; // in levels mode the spread of the replicate populations (§D1b)
  return {
    b: level.b, gamma: level.gamma, rho: level.rho, rhoTask, m, u0, depth, mode, variant, seed,
    trials: sim.trials, correct: sim.correct, accuracy: sim.accuracy, bias: sim.bias, stdError,
    stdErrorMethod: sim.stdErrorMethod, ...(sim.replicates ? { replicates: sim.replicates } : {}),
    exact, differenceInStdErrors: stdError > 0 ? (sim.bias - exact) / stdError : null,
    ...(sim.warning ? { warning: sim.warning } : {}),
  };
}

function leafVotesPerTrialText(mode: 'full' | 'levels', b: number, depth: number): string {
  return mode === 'full' ? `${b}^${depth} leaf votes` : `${b}·${depth} member votes`;
}

/**
 * The counts of `trials` trials in §D4 chunks (with the population sums in mode 'levels'): in this
 * thread (workers = 1), or as one task per run of consecutive chunks on a Piscina pool. Progress
 * counts chunks as "cells".
 */
export async function simulateCounts(
  spec: TreeSimulationSpec, at: { trials: number; seed: number; cell: number; workers: number },
  onProgress?: (p: SweepProgress) => void,
): Promise<Counts & { populations?: PopulationSums }> {
  const chunks = chunksOf(at.trials, spec.mode);
  const started = Date.now();
  const perChunkVotes = (chunk: number) => trialsInChunk(at.trials, chunk, spec.mode);
  // Per-chunk counts summed in chunk order; in mode 'levels' each chunk is a population (§D1b).
  const total = (perChunk: readonly number[]) => {
    const populations: PopulationSums = { replicates: 0, sumBias: 0, sumBiasSquares: 0 };
    let correct = 0;
    perChunk.forEach((c, chunk) => {
      correct += c;
      if (spec.mode === 'levels') addPopulation(populations, { trials: perChunkVotes(chunk), correct: c });
    });
    return { trials: at.trials, correct, populations: spec.mode === 'levels' ? populations : undefined };
  };
  let done = 0;
  let trialsDone = 0;
  const tick = (chunkCount: number, trialCount: number) => {
    done += chunkCount;
    trialsDone += trialCount;
    if (!onProgress) return;
    const seconds = Math.max(1e-3, (Date.now() - started) / 1000);
    const rate = done / seconds;
    onProgress({
      cellsDone: done, cellsTotal: chunks, leafVotesDone: trialsDone, leafVotesTotal: at.trials, rate,
      leafVoteRate: trialsDone / seconds, etaSeconds: (at.trials - trialsDone) / (trialsDone / seconds),
    });
  };
  if (at.workers <= 1) {
    const perChunk: number[] = [];
    for (let chunk = 0; chunk < chunks; chunk++) {
      perChunk.push(simulateTreeChunk(spec, { seed: at.seed, cell: at.cell, chunk, trials: perChunkVotes(chunk) }).correct);
      tick(1, perChunkVotes(chunk));
    }
    return total(perChunk);
  }
  // Several tasks per worker so progress moves and a slow thread does not hold the others.
  const perTask = Math.max(1, Math.ceil(chunks / (4 * at.workers)));
  const executor = new PiscinaExecutor({ workers: at.workers });
  try {
    const { b, gamma, rho } = spec.tree as { b: number; gamma: number; rho: number };
    const tasks = [];
    for (let first = 0, index = 0; first < chunks; first += perTask, index++) {
      const count = Math.min(perTask, chunks - first);
      const segment = { cell: at.cell, b, gamma, rho, u0: spec.u0, depth: spec.depth, trials: at.trials, firstChunk: first, chunks: count };
      tasks.push(executor.run({ index, attempt: 0, montecarlo: { seed: at.seed, mode: spec.mode, variant: spec.variant ?? { kind: 'standard' }, segments: [segment] } }, { fresh: false })
        .then((result) => {
          if (!result.ok) throw new Error(`simulation failed in chunks ${first}–${first + count - 1}: ${result.message}`);
          let trialCount = 0;
          for (let c = first; c < first + count; c++) trialCount += perChunkVotes(c);
          tick(count, trialCount);
          return result.correct!;
        }));
    }
    // Summed in chunk order (integers: exact in a double up to 2^53).
    return total((await Promise.all(tasks)).flatMap((counts) => [...counts]));
  } finally {
    await executor.close();
  }
}

/**
 * The trajectory figure of one design: exact u_L and the clipped predictor û_L for L = 0 … depth,
 * and — when simulated — one independent simulation per depth (cell = L, §D4) with ±2σ bars.
 */
/** Most depths drawn in a trajectory figure: each point costs O(L), so deep figures are sampled. */
export const MAX_TRAJECTORY_POINTS = 400;

/** 0 … depth, every depth up to MAX_TRAJECTORY_POINTS of them, else evenly spaced (ends included). */
export function trajectoryDepths(depth: number): number[] {
  if (depth + 1 <= MAX_TRAJECTORY_POINTS) return Array.from({ length: depth + 1 }, (_, L) => L);
  const n = MAX_TRAJECTORY_POINTS;
  return [...new Set(Array.from({ length: n }, (_, i) => Math.round((i * depth) / (n - 1))))];
}

export async function trajectoryFigure(p: {
  level: Level; u0: number; depth: number; variant?: ReferenceVariant;
  simulation?: { trials: number; seed: number; mode: 'full' | 'levels' };
}): Promise<string> {
  const { level, u0, depth, variant, simulation } = p;
  const points: SeriesPoint[] = [];
  for (const L of trajectoryDepths(depth)) {
    points.push({ x: L, y: expectedRootBias({ tree: level, u0, depth: L, variant }), series: 'exact u_L' });
    if (!variant || variant.kind === 'standard') points.push({ x: L, y: clippedPredictor(level, u0, L), series: 'clipped û_L' });
    if (simulation && L > 0) {
      const r = simulateTree({ tree: level, u0, depth: L, variant, ...simulation, cell: L });
      points.push({ x: L, y: r.bias, err: r.stdError, series: 'simulated u_L (±2σ)' });
    }
  }
  return seriesPlot({
    title: `b = ${level.b}, γ = ${fmt(level.gamma)}, ρ = ${level.rho}, u0 = ${u0}${variant && variant.kind !== 'standard' ? `, ${variant.kind}` : ''}`,
    points, xTitle: 'depth L', yTitle: 'root bias u_L', integerX: true,
  });
}

export function formatSimulation(r: Awaited<ReturnType<typeof simulate>>): string {
  return keyValues([
    ['design', `b = ${r.b}, γ = ${fmt(r.gamma)}, ρ = ${r.rho}${r.rhoTask > 0 ? `, ρ_task = ${r.rhoTask}` : ''}, u0 = ${r.u0}, depth ${r.depth}, ${r.variant.kind}`],
    ['simulation', `${r.trials} trials, mode ${r.mode}${r.replicates ? ` (${r.replicates} replicate populations)` : ''}, seed ${r.seed}: ${r.correct} right`],
    [`u_${r.depth} simulated`, `${fmt(r.bias, 6)} ± ${fmt(r.stdError, 6)}  (accuracy ${fmt(r.accuracy, 6)})`],
    [`u_${r.depth} exact`, fmt(r.exact, 6)],
    ['difference', r.differenceInStdErrors === null ? '— (zero standard error)' : `${fmt(r.differenceInStdErrors, 2)} standard errors`],
    ...(r.warning ? [['warning', r.warning] as [string, string]] : []),
  ]);
}

// --- open answers (§H6): `--answers K|open --distractor symmetric|dominant:δ --aggregator plurality|judge:v`

export interface PluralityFlags {
  answers?: string;
  distractor?: string;
  aggregator?: string;
}

/** True when the flags ask for the plurality model (K ≠ 2, a distractor profile, a judge or an even b). */
export function wantsPlurality(flags: PluralityFlags & DesignFlags): boolean {
  return (flags.answers !== undefined && flags.answers !== '2') || (flags.distractor !== undefined && flags.distractor !== 'symmetric')
    || (flags.aggregator !== undefined && flags.aggregator !== 'plurality') || (flags.b !== undefined && Number(flags.b) % 2 === 0);
}

export function parseAnswers(text: string): Answers {
  if (text === 'open') return 'open';
  const k = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(k) || k < 2 || k > MAX_ANSWERS) {
    throw new InvalidParameterError('--answers', `an integer in [2, ${MAX_ANSWERS}] or open`, text);
  }
  return k;
}

/**
 * --distractor symmetric | dominant:δ | p_1,…,p_{K−1} (§H1): the vector form gives each wrong answer's
 * share of the wrong mass (length K − 1, entries ≥ 0, sum 1 within 1e-9, as checkDistractors); the
 * simulators take any profile, the exact maps only the first two.
 */
export function parseDistractor(text: string, answers: Answers): Distractors {
  if (text === 'symmetric') return text;
  const vector = distractorVector(text);
  if (vector !== null) {
    if (answers === 'open') throw new InvalidParameterError('--distractor', 'symmetric or dominant:δ with open answers (a probability vector needs a finite --answers K)', text);
    const sum = vector.reduce((a, x) => a + x, 0);
    if (vector.length !== answers - 1 || vector.some((x) => !(x >= 0)) || !(Math.abs(sum - 1) <= 1e-9)) {
      throw new InvalidParameterError('--distractor', `${answers - 1} comma-separated probabilities ≥ 0 summing to 1 (one per wrong answer of K = ${answers}), symmetric or dominant:δ`, text);
    }
    return vector;
  }
  const match = /^dominant:(.+)$/.exec(text);
  const delta = match ? Number(match[1]) : NaN;
  if (!(delta >= 0 && delta <= 1)) throw new InvalidParameterError('--distractor', 'symmetric, dominant:δ with δ in [0, 1], or p_1,…,p_{K−1} (a probability vector over the wrong answers)', text);
  return { dominant: delta };
}

export function parseAggregator(text: string): Aggregator {
  if (text === 'plurality') return text;
  const match = /^judge:(.+)$/.exec(text);
  const v = match ? Number(match[1]) : NaN;
  if (!(v >= 0 && v <= 1)) throw new InvalidParameterError('--aggregator', 'plurality or judge:v with v in [0, 1]', text);
  return { judge: v };
}

/**
 * `synergy simulate` for the plurality model (§H6): --u0 is the leaf skill s, --p0 its accuracy
 * (§H1). Prints the simulated root accuracy and skill with their standard errors (binomial in mode
 * full, from replicate populations in mode levels).
 */
export function simulatePluralityCli(flags: SimulateFlags & PluralityFlags) {
  const answers = parseAnswers(flags.answers ?? '2');
  const distractors = parseDistractor(flags.distractor ?? 'symmetric', answers);
  const aggregator = parseAggregator(flags.aggregator ?? 'plurality');
  if (flags.variant !== undefined && flags.variant !== 'standard') {
    throw new InvalidParameterError('--variant', 'standard with --answers, --distractor or --aggregator', flags.variant);
  }
  const bText = flags.b;
  const b = Number(bText);
  if (bText === undefined || !Number.isInteger(b) || b < 2 || b > 1024) throw new InvalidParameterError('--b', 'an integer in [2, 1024]', bText ?? 'nothing');
  // resolveDesign checks γ, ρ, depth (with an odd stand-in b: the plurality model allows any b ≥ 2).
  // The profile was parsed above (resolveDesign's parser is the theory commands', which refuse a vector).
  const { level, depth, m } = resolveDesign({ ...flags, b: '3', u0: flags.u0 ?? (flags.p0 === undefined ? undefined : '0'), p0: undefined, distractor: undefined });
  let s0: number | undefined, p0: number | undefined;
  if (flags.u0 !== undefined && flags.p0 !== undefined) throw new InvalidParameterError('--p0', 'absent when --u0 (the leaf skill) is given', flags.p0);
  if (flags.p0 !== undefined) p0 = checkUnit('--p0', parseNumber('p0', flags.p0));
  else {
    const chance = chanceAccuracy(answers);
    s0 = parseNumber('u0', flags.u0 ?? 'missing');
    if (!(s0 >= -chance / (1 - chance) && s0 <= 1)) {
      throw new InvalidParameterError('--u0', `a leaf skill in [${fmt(-chance / (1 - chance))}, 1] (or --p0, an accuracy)`, flags.u0);
    }
  }
  const trials = parseInteger('trials', flags.trials, 1);
  const seed = parseInteger('seed', flags.seed, 0);
  const mode = parseMode(flags.mode);
  const tree = { b, gamma: level.gamma, rho: level.rho, aggregator };
  const sim = simulatePlurality({ tree, task: { answers, distractors }, ...(p0 === undefined ? { s0 } : { p0 }), depth, mode, trials, seed, cell: depth });
  const leafAccuracy = p0 ?? accuracyFromSkill(s0 as number, answers);
  return {
    b, gamma: level.gamma, rho: level.rho, m, answers, distractors, aggregator, depth, mode, seed,
    leafAccuracy, leafSkill: skillFromAccuracy(leafAccuracy, answers),
    trials: sim.trials, correct: sim.correct, dominant: sim.dominant,
    accuracy: sim.accuracy, accuracyStdError: sim.accuracyStdError, skill: sim.skill, skillStdError: sim.skillStdError,
    dominantShare: sim.dominantShare, stdErrorMethod: sim.stdErrorMethod, replicates: sim.replicates ?? null,
  };
}

export function formatPluralitySimulation(r: ReturnType<typeof simulatePluralityCli>): string {
  const agg = r.aggregator === 'plurality' ? 'plurality' : `judge v = ${r.aggregator.judge}`;
  const dist = r.distractors === 'symmetric' ? 'symmetric distractors'
    : Array.isArray(r.distractors) ? `distractor profile (${r.distractors.join(', ')}) over wrong answers 1 … ${r.distractors.length}`
      : `dominant distractor δ = ${(r.distractors as { dominant: number }).dominant}`;
  const rows: [string, string][] = [
    ['design', `b = ${r.b}, γ = ${fmt(r.gamma)}, ρ = ${r.rho}, depth ${r.depth}, ${agg}`],
    ['task', `${r.answers === 'open' ? 'open answers (K = ∞, chance 0)' : `K = ${r.answers} answers (chance ${fmt(chanceAccuracy(r.answers), 6)})`}, ${dist}`],
    ['leaves', `accuracy p0 = ${fmt(r.leafAccuracy, 6)}, skill s0 = ${fmt(r.leafSkill, 6)}`],
    ['simulation', `${r.trials} trials, mode ${r.mode}${r.replicates ? ` (${r.replicates} replicate populations)` : ''}, seed ${r.seed}: ${r.correct} right`],
    [`root accuracy p_${r.depth}`, `${fmt(r.accuracy, 6)} ± ${fmt(r.accuracyStdError, 6)}`],
    [`root skill s_${r.depth}`, `${fmt(r.skill, 6)} ± ${fmt(r.skillStdError, 6)}  (standard error: ${r.stdErrorMethod})`],
  ];
  if (Array.isArray(r.distractors)) rows.push(['on wrong answer 1', `${fmt(r.dominantShare, 6)} of roots (leaves' share ${r.distractors[0]} of the wrong mass)`]);
  else if (r.distractors !== 'symmetric') rows.push(['on the dominant distractor', `${fmt(r.dominantShare, 6)} of roots`]);
  return keyValues(rows);
}
