// Monte Carlo cells of a sweep: validation of every cell before work starts, and the §D4 split of a
// cell's trials into chunks of TRIALS_PER_CHUNK (fixed, so results never depend on task grouping).
import { InvalidParameterError } from '../errors.ts';
import {
  addPopulation, chunkCount, chunkTrials, simulateTreeChunk, summarizeSimulation, validateTreeSimulation,
  type PopulationSums, type SimulationResult, type SimulationVariant, type TreeSimulationSpec,
} from '../simulate/index.ts';
import { simulatePluralityChunk, validatePluralitySimulation, type PluralitySimulationSpec } from '../simulate/plurality.ts';
import { simulateScopedTreeChunk } from '../simulate/scope.ts';
import { betaShape } from '../theory/difficulty.ts';
import { type Aggregator, type Answers, chanceAccuracy, type Distractors } from '../theory/model.ts';
import type { Kernel } from '../wasm/kernel.ts';
import type { ResolvedSweep } from './spec.ts';

/** The task-wide model of an extended sweep's Monte Carlo (§H1, §H7); absent for binary sweeps. */
export interface MonteCarloModel {
  distractors: Distractors;
  aggregator: Aggregator;
}

/** Whether a cell needs the plurality simulator (§H6) rather than §D1's binary one (even b: random tie-break, §H3). */
function usesPlurality(answers: Answers, b: number, model: MonteCarloModel): boolean {
  return answers !== 2 || b % 2 === 0 || model.aggregator !== 'plurality' || model.distractors !== 'symmetric';
}

/** The plurality simulation of one cell (§H6): u0 is the leaf skill s_0. */
function pluralityCell(answers: Answers, b: number, gamma: number, rho: number, u0: number, depth: number, model: MonteCarloModel): PluralitySimulationSpec {
  const tree = model.aggregator === 'plurality' ? { b, gamma, rho } : { b, gamma, rho, aggregator: model.aggregator };
  return { tree, task: { answers, distractors: model.distractors }, s0: u0, depth, mode: 'full' };
}

/**
 * Why an extended sweep simulates in mode 'full' only: a level-by-level population's honest error
 * needs independent replicate populations (simulatePlurality), which a sweep's per-chunk counts do
 * not keep, and §I1's task-level event is drawn per trial, which a population mixes.
 */
/** The §D2 heterogeneous variant of a difficulty (§I2): Beta with mean (1 + u_0)/2 and dispersion φ. */
export function difficultyVariant(u0: number, dispersion: number): MonteCarloVariant {
  const { a, b } = betaShape({ mean: (1 + u0) / 2, dispersion });
  return { kind: 'heterogeneous', betaA: a, betaB: b };
}

export const EXTENDED_MODE_REASON = "'full' in a sweep with answers, distractors, aggregator or rhoTask (level-by-level errors need replicate populations: use synergy simulate)";

export type MonteCarloMode = TreeSimulationSpec['mode'];
export type MonteCarloVariant = SimulationVariant;

/** The simulation of one cell's tree (one level repeated `depth` times). */
export function cellSimulation(
  b: number, gamma: number, rho: number, u0: number, depth: number, mode: MonteCarloMode, variant: MonteCarloVariant,
): TreeSimulationSpec {
  return { tree: { b, gamma, rho }, u0, depth, mode, variant };
}

/** Number of §D4 chunks of a cell with this many trials (in mode 'levels' one per population). */
export function chunksOf(trials: number, mode: MonteCarloMode): number {
  return chunkCount(trials, mode);
}

/** Trials in chunk `chunk` of a cell with `trials` trials (chunkTrials of the simulator). */
export function trialsInChunk(trials: number, chunk: number, mode: MonteCarloMode): number {
  return chunkTrials(trials, chunk, mode);
}

/** Adds chunk `chunk`'s correct count to a cell's population sums (mode 'levels', in chunk order). */
export function addChunk(sums: PopulationSums, trials: number, chunk: number, correct: number): void {
  addPopulation(sums, { trials: chunkTrials(trials, chunk, 'levels'), correct });
}

/**
 * Votes drawn per trial, the work measure of progress and task sizing: in mode 'full' the b^depth
 * leaf-votes of a whole tree (§D1a); in mode 'levels' the b·depth member votes read per root node
 * of the population (§D1b).
 */
export function leafVotesPerTrial(mode: MonteCarloMode, b: number, depth: number): number {
  return mode === 'full' ? b ** depth : Math.max(1, b * depth);
}

/**
 * Validates every distinct simulated tree of the sweep with the simulator's own checks, rethrowing
 * with the sweep's axis names so the error says which axis holds the bad value.
 */
export function checkMonteCarloCells(r: ResolvedSweep, gammaAxis: 'gamma' | 'm'): void {
  const trialsMax = Math.max(...r.trials);
  if (r.extended) {
    if (r.mode !== 'full') throw new InvalidParameterError('mode', EXTENDED_MODE_REASON, r.mode);
    if (r.variant.kind !== 'standard') {
      throw new InvalidParameterError('variant', "'standard' in a sweep with answers, distractors, aggregator or rhoTask (the §D2 variants are binary, ρ_task = 0)", r.variant.kind);
    }
    const model = { distractors: r.distractors, aggregator: r.aggregator };
    if (r.dispersion.some((d) => d > 0)) {
      // §I2 is simulated by the per-trial Beta draw; with ρ_task > 0 one trial would need both draws.
      if (r.rhoTask.some((x) => x > 0)) throw new InvalidParameterError('dispersion', "0 when rhoTask > 0 in a Monte Carlo sweep (the simulators draw one of the two per trial; theory takes both: compute 'theory')", Math.max(...r.dispersion));
      const edge = r.u0.findIndex((u) => Math.abs(u) === 1);
      if (edge >= 0) throw new InvalidParameterError(`u0[${edge}]`, 'a bias in (−1, 1) when dispersion > 0 in a Monte Carlo sweep (a Beta of mean 0 or 1 is a point mass)', r.u0[edge]);
    }
    for (const answers of r.answers) for (let ib = 0; ib < r.b.length; ib++) for (let id = 0; id < r.depth.length; id++) {
      const spec = usesPlurality(answers, r.b[ib], model)
        ? pluralityCell(answers, r.b[ib], r.gamma[0], r.rho[0], r.u0[0], r.depth[id], model)
        : null;
      // The plurality simulator (§H6) draws neither the §I1 task-level event nor a §I2 Beta per trial.
      if (spec && r.rhoTask.some((x) => x > 0)) {
        throw new InvalidParameterError('rhoTask', "0 in a Monte Carlo sweep with answers ≠ 2, a judge, a dominant distractor or even b (the plurality simulator does not draw the §I1 task-level event; theory takes it: compute 'theory')", Math.max(...r.rhoTask));
      }
      if (spec && r.dispersion.some((d) => d > 0)) {
        throw new InvalidParameterError('dispersion', "0 in a Monte Carlo sweep with answers ≠ 2, a judge, a dominant distractor or even b (the plurality simulator does not draw a §I2 difficulty per trial; theory takes it: compute 'theory')", Math.max(...r.dispersion));
      }
      try {
        if (spec) validatePluralitySimulation(spec);
        else validateTreeSimulation(cellSimulation(r.b[ib], r.gamma[0], r.rho[0], r.u0[0], r.depth[id], 'full', r.variant), trialsMax);
      } catch (e) {
        if (!(e instanceof InvalidParameterError)) throw e;
        throw new InvalidParameterError(sweepAxisOf(e.parameter, gammaAxis, { ib, ig: 0, ir: 0, iu: 0, id }), e.allowed, e.value,
          `Monte Carlo cell answers=${answers}, b=${r.b[ib]}, depth=${r.depth[id]}: ${e.message}`);
      }
    }
    return;
  }
  for (let ib = 0; ib < r.b.length; ib++) for (let ig = 0; ig < r.gamma.length; ig++)
    for (let ir = 0; ir < r.rho.length; ir++) for (let iu = 0; iu < r.u0.length; iu++)
      for (let id = 0; id < r.depth.length; id++) {
        const spec = cellSimulation(r.b[ib], r.gamma[ig], r.rho[ir], r.u0[iu], r.depth[id], r.mode, r.variant);
        try {
          validateTreeSimulation(spec, trialsMax);
        } catch (e) {
          if (!(e instanceof InvalidParameterError)) throw e;
          throw new InvalidParameterError(sweepAxisOf(e.parameter, gammaAxis, { ib, ig, ir, iu, id }), e.allowed, e.value,
            `Monte Carlo cell b=${r.b[ib]}, ${gammaAxis}=${(r.m ?? r.gamma)[ig]}, rho=${r.rho[ir]}, u0=${r.u0[iu]}, depth=${r.depth[id]}: ${e.message}`);
        }
      }
}

/** Maps a simulator parameter name (e.g. "tree.b", "depth", "mode") to the sweep axis that set it. */
function sweepAxisOf(parameter: string, gammaAxis: 'gamma' | 'm', at: Record<'ib' | 'ig' | 'ir' | 'iu' | 'id', number>): string {
  const leaf = parameter.split('.').pop()!.replace(/\[\d+\]$/, '');
  switch (leaf) {
    case 'b': return parameter.startsWith('variant') ? parameter : `b[${at.ib}]`;
    case 'gamma': return `${gammaAxis}[${at.ig}]`;
    case 'rho': return `rho[${at.ir}]`;
    case 'u0': return `u0[${at.iu}]`;
    case 'depth': return `depth[${at.id}]`;
    case 'trials': return 'trials';
    default: return parameter;
  }
}

/** Accuracy, bias and standard error of a cell from its counts, exactly as simulateTree reports them. */
export function summarizeCell(
  cell: { b: number; gamma: number; rho: number; u0: number; depth: number }, mode: MonteCarloMode, variant: MonteCarloVariant,
  trials: number, correct: number, populations?: PopulationSums,
): SimulationResult {
  const { b, gamma, rho, u0, depth } = cell;
  return summarizeSimulation({ tree: { b, gamma, rho }, u0, depth, mode, variant }, { trials, correct, populations });
}

/**
 * An extended sweep's cell from its counts (§H1): accuracy p with its binomial error, and skill
 * s = (p − p_c)/(1 − p_c) with its error (mode 'full' only, so trials are independent).
 */
export function summarizeExtendedCell(answers: Answers, trials: number, correct: number): SweepExtendedMonteCarlo {
  const pc = chanceAccuracy(answers);
  const accuracy = correct / trials;
  const accuracyStdError = Math.sqrt((accuracy * (1 - accuracy)) / trials);
  return { trials, correct, accuracy, accuracyStdError, skill: (accuracy - pc) / (1 - pc), skillStdError: accuracyStdError / (1 - pc) };
}

/** Monte Carlo fields of an extended sweep's cell. */
export interface SweepExtendedMonteCarlo {
  trials: number;
  correct: number;
  /** Root accuracy p = correct / trials (chance is p_c = 1/K). */
  accuracy: number;
  accuracyStdError: number;
  /** Root skill s = (p − p_c)/(1 − p_c), §H1 (the bias for K = 2). */
  skill: number;
  skillStdError: number;
}

/** A run of consecutive §D4 chunks of one cell, as sent to a worker. */
export interface MonteCarloSegment {
  cell: number;
  /** §H1, §I1, §I2: default 2, 0, 0 (a binary segment needs none of them). */
  answers?: Answers;
  rhoTask?: number;
  dispersion?: number;
  b: number;
  gamma: number;
  rho: number;
  u0: number;
  depth: number;
  /** The cell's total trials (fixes the size of every chunk). */
  trials: number;
  firstChunk: number;
  chunks: number;
}

/**
 * Runs the segments' chunks in order and returns the correct count of each chunk (§D4: each is a
 * pure function of (seed, cell, chunk)). `beforeCell` lets the fault-injection hook fire per cell.
 */
export function runMonteCarloSegments(
  using: Kernel, segments: readonly MonteCarloSegment[], seed: number, mode: MonteCarloMode, variant: MonteCarloVariant,
  beforeCell: (cell: number) => void, model?: MonteCarloModel,
): Float64Array {
  const units = segments.reduce((n, s) => n + s.chunks, 0);
  const correct = new Float64Array(units);
  let k = 0;
  for (const s of segments) {
    beforeCell(s.cell);
    // §I2 in the simulator: the §D2 heterogeneous variant draws each trial's leaf accuracy from the Beta.
    const [answers, rhoTask, dispersion] = [s.answers ?? 2, s.rhoTask ?? 0, s.dispersion ?? 0];
    const spec = cellSimulation(s.b, s.gamma, s.rho, s.u0, s.depth, mode, dispersion > 0 ? difficultyVariant(s.u0, dispersion) : variant);
    const plurality = model && usesPlurality(answers, s.b, model) ? pluralityCell(answers, s.b, s.gamma, s.rho, s.u0, s.depth, model) : null;
    for (let chunk = s.firstChunk; chunk < s.firstChunk + s.chunks; chunk++) {
      const at = { seed, cell: s.cell, chunk, trials: trialsInChunk(s.trials, chunk, mode) };
      const counts = plurality ? simulatePluralityChunk(plurality, at, using)
        : rhoTask > 0 ? simulateScopedTreeChunk({ ...spec, rhoTask }, at, using)
        : simulateTreeChunk(spec, at, using);
      correct[k++] = counts.correct;
    }
  }
  return correct;
}
