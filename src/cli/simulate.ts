// `synergy simulate`: one design by Monte Carlo (§D), beside its exact value.
import { InvalidParameterError } from '../errors.ts';
import { expectedRootBias, type ReferenceVariant } from '../theory/reference.ts';
import { availableParallelism } from 'node:os';
import { simulateTree, simulateTreeChunk, summarizeSimulation, validateTreeSimulation, type TreeSimulationSpec } from '../simulate/index.ts';
import { PiscinaExecutor } from '../sweep/piscinaExecutor.ts';
import { chunksOf, trialsInChunk } from '../sweep/montecarlo.ts';
import type { SweepProgress } from '../sweep/index.ts';
import { clippedPredictor, type Level } from '../theory/level.ts';
import { fmt, keyValues } from './format.ts';
import { seriesPlot, type SeriesPoint } from './plot.ts';
import { type DesignFlags, resolveDesign } from './designFlags.ts';
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
  const { level, u0, depth, m } = resolveDesign(flags);
  const trials = parseInteger('trials', flags.trials, 1);
  const seed = parseInteger('seed', flags.seed, 0);
  const mode = parseMode(flags.mode);
  const variant = parseVariant(flags.variant);
  const spec: TreeSimulationSpec = { tree: level, u0, depth, mode, variant };
  validateTreeSimulation(spec, trials);
  const plot = flags.plot !== undefined;
  let workers = flags.workers === undefined ? undefined : parseInteger('workers', flags.workers, 1);
  if (workers === undefined) {
    const oneThread = estimateSeconds(simulatePlan({ mode, b: level.b, depth, trials, plot, workers: 1 }));
    workers = oneThread < 1 ? 1 : availableParallelism();
  }
  workers = Math.min(workers, chunksOf(trials));
  const plan = simulatePlan({ mode, b: level.b, depth, trials, plot, workers });
  const seconds = estimateSeconds(plan);
  report.plan?.(describePlan(plan, seconds, `${trials} trials × ${leafVotesPerTrialText(mode, level.b, depth)}${plot ? `, plus depths 1…${depth} for --plot` : ''}`));
  checkPlan(plan, seconds, !!flags.yes);
  const exact = expectedRootBias({ tree: level, u0, depth, variant });
  const correct = await simulateCounts(spec, { trials, seed, cell: depth, workers }, report.onProgress);
  const sim = summarizeSimulation(spec, { trials, correct });
  const stdError = sim.stdError; // in levels mode it includes population resampling (levelsStdError)
  return {
    b: level.b, gamma: level.gamma, rho: level.rho, m, u0, depth, mode, variant, seed,
    trials: sim.trials, correct: sim.correct, accuracy: sim.accuracy, bias: sim.bias, stdError,
    exact, differenceInStdErrors: stdError > 0 ? (sim.bias - exact) / stdError : null,
  };
}

function leafVotesPerTrialText(mode: 'full' | 'levels', b: number, depth: number): string {
  return mode === 'full' ? `${b}^${depth} leaf votes` : `${b}·${depth} member votes`;
}

/**
 * The correct count of `trials` trials in §D4 chunks: in this thread (workers = 1), or as one task
 * per run of consecutive chunks on a Piscina pool. Progress counts chunks as "cells".
 */
export async function simulateCounts(
  spec: TreeSimulationSpec, at: { trials: number; seed: number; cell: number; workers: number },
  onProgress?: (p: SweepProgress) => void,
): Promise<number> {
  const chunks = chunksOf(at.trials);
  const started = Date.now();
  const perChunkVotes = (chunk: number) => trialsInChunk(at.trials, chunk);
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
    let correct = 0;
    for (let chunk = 0; chunk < chunks; chunk++) {
      correct += simulateTreeChunk(spec, { seed: at.seed, cell: at.cell, chunk, trials: perChunkVotes(chunk) }).correct;
      tick(1, perChunkVotes(chunk));
    }
    return correct;
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
    let correct = 0;
    for (const counts of await Promise.all(tasks)) for (const c of counts) correct += c;
    return correct;
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
    ['design', `b = ${r.b}, γ = ${fmt(r.gamma)}, ρ = ${r.rho}, u0 = ${r.u0}, depth ${r.depth}, ${r.variant.kind}`],
    ['simulation', `${r.trials} trials, mode ${r.mode}, seed ${r.seed}: ${r.correct} right`],
    [`u_${r.depth} simulated`, `${fmt(r.bias, 6)} ± ${fmt(r.stdError, 6)}  (accuracy ${fmt(r.accuracy, 6)})`],
    [`u_${r.depth} exact`, fmt(r.exact, 6)],
    ['difference', r.differenceInStdErrors === null ? '— (zero standard error)' : `${fmt(r.differenceInStdErrors, 2)} standard errors`],
  ]);
}
