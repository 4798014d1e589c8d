// SPEC §I1 in the Monte Carlo (§D): the task-level event is drawn once per trial. With probability
// ρ_task a trial's leaves all cast one shared vote (right with probability p_0 = (1 + u_0)/2), else
// they vote independently. Trials are i.i.d., so drawing the event per trial is the same in
// distribution as splitting the trials by one seeded pass of per-trial draws into three groups and
// simulating each with the unchanged tree kernel: independent trials from u_0, shared-right trials
// from u_0 = 1 (every leaf right), shared-wrong trials from u_0 = −1. Level by level (§D1b) the same
// split holds: a population's members are trials of ONE kind, so the three groups are simulated as
// separate level-by-level runs (each its own replicate populations, §D1b) — the per-trial draw
// becomes a mixture of populations. Its error combines the groups' errors with the spread of the
// random split: Var = Σ_k (n_k/N)²·SE_k² + Σ_k (n_k/N)·(b_k − b̄)²/N.
import { checkInteger, checkUnit, InvalidParameterError } from '../errors.ts';
import { kernel as sharedKernel, type Kernel } from '../wasm/kernel.ts';
import {
  type Counts, type TreeSimulationSpec, type SimulationResult, MAX_SEED, simulateTree, simulateTreeChunk, summarizeCounts,
} from './tree.ts';

/** mulberry32: a small seeded stream for the per-trial task-level draws (not the kernel's stream). */
function stream(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Largest trial count of the per-trial split (a JS loop over trials). */
export const MAX_SCOPED_TRIALS = 50_000_000;

export function simulateScopedTree(
  spec: TreeSimulationSpec & { trials: number; seed: number; cell?: number; rhoTask: number },
): SimulationResult & { sharedRight: number; sharedWrong: number } {
  const rhoTask = checkUnit('rhoTask', spec.rhoTask);
  if (spec.mode !== 'full' && spec.mode !== 'levels') throw new InvalidParameterError('mode', "'full' or 'levels'", spec.mode);
  if ((spec.variant?.kind ?? 'standard') !== 'standard') throw new InvalidParameterError('variant', "'standard' when rhoTask > 0", spec.variant);
  const trials = checkInteger('trials', spec.trials, 1, MAX_SCOPED_TRIALS);
  const seed = checkInteger('seed', spec.seed, 0, MAX_SEED);
  const cell = checkInteger('cell', spec.cell ?? 0, 0, MAX_SEED);
  const p0 = (1 + spec.u0) / 2;
  const draw = stream(Math.imul(seed % 4294967296 ^ 0x9e3779b9, 0x85ebca6b) ^ cell);
  let sharedRight = 0;
  let sharedWrong = 0;
  for (let t = 0; t < trials; t++) {
    if (draw() < rhoTask) draw() < p0 ? sharedRight++ : sharedWrong++;
  }
  const independent = trials - sharedRight - sharedWrong;
  // Three disjoint seeds (seed·3 + k mod MAX_SEED): independent streams within this call.
  const part = (n: number, u0: number, k: number) =>
    n === 0 ? null : simulateTree({ tree: spec.tree, depth: spec.depth, mode: spec.mode, variant: spec.variant, u0, trials: n, seed: (seed * 3 + k) % MAX_SEED, cell });
  const parts = [part(independent, spec.u0, 0), part(sharedRight, 1, 1), part(sharedWrong, -1, 2)].filter((r) => r !== null);
  const correct = parts.reduce((s, r) => s + r.correct, 0);
  const result: SimulationResult & { sharedRight: number; sharedWrong: number } = { ...summarizeCounts({ trials, correct }), sharedRight, sharedWrong };
  if (spec.mode === 'levels') {
    // Mixture of populations: within-group errors plus the multinomial spread of the split.
    const mean = result.bias;
    let variance = 0;
    for (const r of parts) {
      const w = r.trials / trials;
      variance += w * w * r.stdError ** 2 + (w * (r.bias - mean) ** 2) / trials;
    }
    result.stdError = Math.max(result.stdError, Math.sqrt(variance));
    result.stdErrorMethod = 'replicates';
    const warnings = parts.map((r) => r.warning).filter((w) => w !== undefined);
    if (warnings.length > 0) result.warning = warnings.join('; ');
  }
  return result;
}

/**
 * One §D4 chunk of the §I1 simulation (the sweep's unit): a pure function of (spec, seed, cell,
 * chunk, trials). The chunk's per-trial task-level draws come from a stream keyed by (seed, cell,
 * chunk); its three groups run the full-tree kernel on the chunk keys 3·chunk + k (k = independent,
 * shared right, shared wrong), so no two groups or chunks share a stream.
 */
export function simulateScopedTreeChunk(
  spec: TreeSimulationSpec & { rhoTask: number }, at: { seed: number; cell: number; chunk: number; trials: number }, using: Kernel = sharedKernel,
): Counts & { sharedRight: number; sharedWrong: number } {
  const rhoTask = checkUnit('rhoTask', spec.rhoTask);
  if (spec.mode !== 'full') throw new InvalidParameterError('mode', "'full' when rhoTask > 0 (§I1 per-trial draw)", spec.mode);
  if ((spec.variant?.kind ?? 'standard') !== 'standard') throw new InvalidParameterError('variant', "'standard' when rhoTask > 0", spec.variant);
  const seed = checkInteger('seed', at?.seed, 0, MAX_SEED);
  const cell = checkInteger('cell', at.cell, 0, MAX_SEED);
  const chunk = checkInteger('chunk', at.chunk, 0, Math.floor((MAX_SEED - 2) / 3));
  const trials = checkInteger('at.trials', at.trials, 1, 2 ** 24);
  const p0 = (1 + spec.u0) / 2;
  const draw = stream(Math.imul(seed % 4294967296 ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(cell ^ 0x27d4eb2f, 0x165667b1) ^ Math.imul(chunk + 1, 0xc2b2ae35));
  let sharedRight = 0;
  let sharedWrong = 0;
  for (let t = 0; t < trials; t++) {
    if (draw() < rhoTask) draw() < p0 ? sharedRight++ : sharedWrong++;
  }
  const base = { tree: spec.tree, depth: spec.depth, mode: spec.mode, variant: spec.variant };
  const part = (n: number, u0: number, k: number) =>
    n === 0 ? 0 : simulateTreeChunk({ ...base, u0 }, { seed, cell, chunk: 3 * chunk + k, trials: n }, using).correct;
  const correct = part(trials - sharedRight - sharedWrong, spec.u0, 0) + part(sharedRight, 1, 1) + part(sharedWrong, -1, 2);
  return { trials, correct, sharedRight, sharedWrong };
}
