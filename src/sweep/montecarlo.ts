// Monte Carlo cells of a sweep: validation of every cell before work starts, and the §D4 split of a
// cell's trials into chunks of TRIALS_PER_CHUNK (fixed, so results never depend on task grouping).
import { InvalidParameterError } from '../errors.ts';
import {
  addPopulation, chunkCount, chunkTrials, simulateTreeChunk, summarizeSimulation, validateTreeSimulation,
  type PopulationSums, type SimulationResult, type SimulationVariant, type TreeSimulationSpec,
} from '../simulate/index.ts';
import type { Kernel } from '../wasm/kernel.ts';
import type { ResolvedSweep } from './spec.ts';

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

/** A run of consecutive §D4 chunks of one cell, as sent to a worker. */
export interface MonteCarloSegment {
  cell: number;
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
  beforeCell: (cell: number) => void,
): Float64Array {
  const units = segments.reduce((n, s) => n + s.chunks, 0);
  const correct = new Float64Array(units);
  let k = 0;
  for (const s of segments) {
    beforeCell(s.cell);
    const spec = cellSimulation(s.b, s.gamma, s.rho, s.u0, s.depth, mode, variant);
    for (let chunk = s.firstChunk; chunk < s.firstChunk + s.chunks; chunk++) {
      const counts = simulateTreeChunk(spec, { seed, cell: s.cell, chunk, trials: trialsInChunk(s.trials, chunk, mode) }, using);
      correct[k++] = counts.correct;
    }
  }
  return correct;
}
