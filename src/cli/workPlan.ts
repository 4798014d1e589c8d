// The planned work of `simulate` and `sweep` (issue 15, guard rails): printed on stderr before any
// work starts, with an estimated time, and refused above a limit unless --yes. The work measure is
// the sweep's leafVotesPerTrial (§D1: b^depth votes per trial for full trees, b·depth level by
// level), the same one the explorer and the sweep's progress use.
import { availableParallelism } from 'node:os';
import { InvalidParameterError } from '../errors.ts';
import { chunksOf, leafVotesPerTrial, type MonteCarloMode } from '../sweep/montecarlo.ts';
import type { ResolvedSweep } from '../sweep/spec.ts';

/** Longest run (estimated) that starts without --yes: 10 minutes. */
export const MAX_UNCONFIRMED_SECONDS = 600;
/** Largest output file (estimated) that a sweep writes without --yes: 10 GB. */
export const MAX_UNCONFIRMED_OUTPUT_BYTES = 10e9;

/**
 * Typical rates of one Node worker thread, measured with `node bench/cli-rates.mjs` (simulateTree per
 * mode and a 120,000-cell theory sweep, one thread) on a shared 2-core machine: full trees
 * 0.8–2.0·10⁹ votes/s, level by level 0.7–2.3·10⁸ votes/s, theory 1.0–4.4·10⁵ cells/s (the low ends
 * under load). The estimate uses the low ends: a guard that errs long is on the safe side.
 */
export const TYPICAL_RATE = { full: 1e9, levels: 1e8, theoryCells: 1e5 } as const;

export interface WorkPlan {
  /** Monte Carlo leaf-votes in all (0 for theory only). */
  leafVotes: number;
  /** The part of leafVotes that runs in the calling thread whatever the workers (simulate's --plot depths). */
  inThreadLeafVotes?: number;
  /** §D4 chunks of TRIALS_PER_CHUNK trials (0 for theory only). */
  chunks: number;
  /** Theory cells (0 for simulate). */
  theoryCells: number;
  mode: MonteCarloMode;
  workers: number;
  /** Estimated output size in bytes (sweep only). */
  outputBytes?: number;
}

/** Estimated seconds of a plan at the given rates (the typical ones unless a test passes others). */
export function estimateSeconds(plan: WorkPlan, rate: { full: number; levels: number; theoryCells: number } = TYPICAL_RATE): number {
  const inThread = plan.inThreadLeafVotes ?? 0;
  return ((plan.leafVotes - inThread) / rate[plan.mode] + plan.theoryCells / rate.theoryCells) / plan.workers + inThread / rate[plan.mode];
}

/** The work of one `simulate` run: `trials` trials of the depth-`depth` tree, plus the --plot depths 1 … depth. */
export function simulatePlan(p: { mode: MonteCarloMode; b: number; depth: number; trials: number; plot: boolean; workers: number }): WorkPlan {
  // The --plot simulations (trajectoryFigure) run in the calling thread, one depth after another.
  const plotDepths = p.plot ? Array.from({ length: p.depth }, (_, i) => i + 1) : [];
  const inThreadLeafVotes = plotDepths.reduce((n, d) => n + p.trials * leafVotesPerTrial(p.mode, p.b, d), 0);
  const leafVotes = p.trials * leafVotesPerTrial(p.mode, p.b, p.depth) + inThreadLeafVotes;
  return { leafVotes, inThreadLeafVotes, chunks: (plotDepths.length + 1) * chunksOf(p.trials, p.mode), theoryCells: 0, mode: p.mode, workers: p.workers };
}

/**
 * The work of the cells [start, end) of a sweep. Leaf-votes are summed over the whole grid in
 * factorised form (never cell by cell: a refused grid may have 10¹² cells) and scaled to the range.
 */
export function sweepPlan(r: ResolvedSweep, range: { start: number; end: number }, columns: readonly string[], format: 'ndjson' | 'csv' | 'json', workers: number | undefined): WorkPlan {
  const cells = range.end - range.start;
  const share = r.cells > 0 ? cells / r.cells : 0;
  let leafVotes = 0;
  let chunks = 0;
  if (r.montecarlo) {
    const others = r.gamma.length * r.rho.length * r.u0.length;
    for (const b of r.b) for (const depth of r.depth) for (const trials of r.trials) {
      leafVotes += others * trials * leafVotesPerTrial(r.mode, b, depth);
      chunks += others * chunksOf(trials, r.mode);
    }
  }
  return {
    leafVotes: leafVotes * share, chunks: Math.ceil(chunks * share), theoryCells: r.theory ? cells : 0, mode: r.mode,
    workers: workers ?? availableParallelism(), outputBytes: cells * bytesPerRow(columns, format),
  };
}

/**
 * Bytes of one output row, generously: every value as a 20-character number (shortest round-trip
 * doubles are at most 24, most are shorter), plus the keys and quotes of a JSON record.
 */
export function bytesPerRow(columns: readonly string[], format: 'ndjson' | 'csv' | 'json'): number {
  const values = columns.length * 21;
  return format === 'csv' ? values : values + columns.reduce((n, c) => n + c.length + 3, 2);
}

export function count(n: number): string {
  if (n < 1e4) return String(Math.round(n));
  const exp = Math.floor(Math.log10(n));
  return `${(n / 10 ** exp).toFixed(1)}e${exp}`;
}

export function duration(seconds: number): string {
  if (seconds < 1) return '< 1 s';
  if (seconds < 120) return `${Math.round(seconds)} s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)} min`;
  if (seconds < 172800) return `${(seconds / 3600).toFixed(1)} h`;
  return `${(seconds / 86400).toFixed(1)} days`;
}

function bytes(n: number): string {
  if (n < 1e6) return `${Math.round(n / 1e3)} kB`;
  if (n < 1e9) return `${(n / 1e6).toFixed(1)} MB`;
  if (n < 1e12) return `${(n / 1e9).toFixed(1)} GB`;
  return `${(n / 1e12).toFixed(1)} TB`;
}

/** The one-line plan printed on stderr, e.g. "plan: 100000 trials × 3125 leaf votes = 3.1e8 votes in 2 chunks on 1 worker; estimated 1 s". */
export function describePlan(plan: WorkPlan, seconds: number, detail: string): string {
  const parts = [detail];
  if (plan.leafVotes > 0) parts.push(`${count(plan.leafVotes)} leaf votes in ${count(plan.chunks)} chunks`);
  if (plan.theoryCells > 0) parts.push(`${count(plan.theoryCells)} theory cells`);
  if (plan.outputBytes !== undefined) parts.push(`~${bytes(plan.outputBytes)} of output`);
  return `plan: ${parts.join(', ')} on ${plan.workers} worker${plan.workers === 1 ? '' : 's'}; estimated ${duration(seconds)}${plan.leafVotes > 0 ? ` (mode ${plan.mode})` : ''}`;
}

/**
 * Refuses a plan over the limits unless confirmed (--yes). The error names --yes, the limit and the
 * estimate, so the user can shrink the run or confirm it.
 */
export function checkPlan(plan: WorkPlan, seconds: number, confirmed: boolean): void {
  if (confirmed) return;
  if (seconds > MAX_UNCONFIRMED_SECONDS) {
    throw new InvalidParameterError('--yes', `given for a run estimated over ${MAX_UNCONFIRMED_SECONDS / 60} minutes; this one is estimated at ${duration(seconds)} (fewer --trials, a smaller grid or more --workers shorten it)`, undefined);
  }
  if (plan.outputBytes !== undefined && plan.outputBytes > MAX_UNCONFIRMED_OUTPUT_BYTES) {
    throw new InvalidParameterError('--yes', `given for an output estimated over ${bytes(MAX_UNCONFIRMED_OUTPUT_BYTES)}; this one is estimated at ${bytes(plan.outputBytes)} (a smaller grid or --shard keeps it smaller)`, undefined);
  }
}
