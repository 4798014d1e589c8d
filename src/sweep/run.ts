// The sweep driver: plans tasks lazily, keeps a bounded window of them in flight on an executor,
// retries a failed task once on a fresh worker, and emits results strictly in cell order, so the
// output is byte-identical whatever the worker count or completion order (§D4).
import { checkInteger, checkKnownFields, InvalidParameterError } from '../errors.ts';
import { DEFAULT_SEED, MAX_SEED } from '../simulate/index.ts';
import { abortError, InThreadExecutor, type SweepExecutor } from './executor.ts';
import { addChunk, chunksOf, leafVotesPerTrial, summarizeCell, summarizeExtendedCell, type SweepExtendedMonteCarlo } from './montecarlo.ts';
import type { PopulationSums } from '../simulate/index.ts';
import { planTasks, type PlannedTask } from './plan.ts';
import { cellIndices, cellParameters, describeCell, resolveSweepSpec, type CellParameters, type ResolvedSweep, type SweepSpec } from './spec.ts';
import { THEORY_FIELDS, type FaultInjection, type SweepTaskResult, type TheoryField } from './task.ts';

export interface SweepProgress {
  /** Cells whose every chunk has finished (in any order). */
  cellsDone: number;
  cellsTotal: number;
  /** Votes simulated so far: b^depth per trial in mode 'full', b·depth in mode 'levels' (§D1); 0 for theory only. */
  leafVotesDone: number;
  leafVotesTotal: number;
  /** Cells per second since the sweep started. */
  rate: number;
  /** Leaf-votes per second since the sweep started. */
  leafVoteRate: number;
  /** Seconds left at the current rate (by leaf-votes when simulating, else by cells); Infinity before any progress. */
  etaSeconds: number;
}

export interface SweepOptions {
  /** Master seed of the Monte Carlo streams, §D4 (default DEFAULT_SEED = 1, as the CLI). */
  seed?: number;
  /** Worker count of the default executor (ignored when `executor` is given). */
  workers?: number;
  /** Most cells per task (default 4096). */
  chunkSize?: number;
  /** Target Monte Carlo work per task in leaf-votes (default 2^24, ~10 ms); a task holds at least one §D4 chunk. */
  leafVotesPerTask?: number;
  /** Tasks kept in flight (default 2 × the executor's concurrency); bounds memory when streaming. */
  maxTasksInFlight?: number;
  /** Aborting stops dispatching at once and rejects the sweep with a DOMException named 'AbortError'. */
  signal?: AbortSignal;
  /** Called after every finished task. */
  onProgress?: (progress: SweepProgress) => void;
  /**
   * Only the cells [start, end) of the grid (shards, resuming). Cell indices and Monte Carlo streams
   * stay those of the whole sweep, so consecutive slices concatenate to it byte for byte.
   */
  range?: { start: number; end: number };
  /** Where tasks run (default: the entry point's executor with `workers` workers). */
  executor?: SweepExecutor;
  /** @internal Test-only fault injection: makes the task holding a cell fail. */
  faultInjection?: FaultInjection;
}

/** Theory fields of a cell, §B7–§B9 (NaN where a quantity does not exist, as in PhaseGridResult). */
export type SweepTheory = Record<TheoryField, number>;

export interface SweepMonteCarlo {
  trials: number;
  correct: number;
  accuracy: number;
  /** Estimated bias of the root vote, 2·accuracy − 1 (§B1). */
  bias: number;
  /** As simulateTree reports it: binomial in mode 'full', the spread of replicate populations in mode 'levels'. */
  stdError: number;
  stdErrorMethod: 'binomial' | 'replicates';
  /** Mode 'levels': the number of independent populations (§D1b). */
  replicates?: number;
  /** Mode 'levels': set where the populations are too small to target u_L within the error. */
  warning?: string;
}

export interface SweepCell extends CellParameters {
  /** Cell index: axes in the order b, γ (or m), ρ, u_0, depth, trials, the last fastest. */
  cell: number;
  theory?: SweepTheory;
  /** Binary sweeps: SweepMonteCarlo (bias units); extended sweeps (answers, aggregator, rhoTask …): accuracy and skill, §H1. */
  montecarlo?: SweepMonteCarlo | SweepExtendedMonteCarlo;
}

/** A contiguous run of cells in columnar form (the cheap way to consume big sweeps). */
export interface SweepBlock {
  start: number;
  count: number;
  theory?: Record<TheoryField, Float64Array>;
  /**
   * Integer counts per cell (exact in a double up to 2^53); in mode 'levels' also the per-cell sums
   * over its replicate populations (§D1b), from which the standard error comes.
   */
  montecarlo?: { trials: Float64Array; correct: Float64Array; populations?: { sumBias: Float64Array; sumBiasSquares: Float64Array } };
}

/** Thrown when a task failed on its first worker and again on a fresh one. */
export class SweepCellError extends Error {
  /** The cell being computed when it failed, or the task's first cell when the worker died. */
  readonly cell: number;
  readonly parameters: CellParameters;
  /** The task's cells [start, end). */
  readonly cells: readonly [number, number];

  constructor(r: ResolvedSweep, cell: number, exact: boolean, cells: [number, number], cause: string) {
    const where = exact ? `cell ${cell}` : `cells ${cells[0]}–${cells[1] - 1} (a worker died; first cell ${cell})`;
    super(`sweep failed twice (the retry ran on a fresh worker) at ${where}: ${describeCell(r, cell)}: ${cause}`);
    this.name = 'SweepCellError';
    this.cell = cell;
    this.parameters = cellParameters(r, cell);
    this.cells = cells;
  }
}

export const DEFAULT_CHUNK_SIZE = 4096;
export const DEFAULT_LEAF_VOTES_PER_TASK = 2 ** 24;

interface CheckedOptions {
  range: { start: number; end: number };
  seed: number;
  chunkSize: number;
  leafVotesPerTask: number;
  maxTasksInFlight?: number;
}

function checkRange(range: unknown, cells: number): { start: number; end: number } {
  if (range === undefined) return { start: 0, end: cells };
  if (typeof range !== 'object' || range === null) throw new InvalidParameterError('range', 'an object { start, end } of cell indices', range);
  const { start, end } = range as { start: unknown; end: unknown };
  const s = checkInteger('range.start', start, 0, cells);
  return { start: s, end: checkInteger('range.end', end, s, cells) };
}

function checkOptions(o: SweepOptions, cells: number): CheckedOptions {
  if (typeof o !== 'object' || o === null) throw new InvalidParameterError('options', 'an object', o);
  checkKnownFields('options', o, ['seed', 'workers', 'chunkSize', 'leafVotesPerTask', 'maxTasksInFlight', 'signal', 'onProgress', 'range', 'executor', 'faultInjection']);
  if (o.workers !== undefined) checkInteger('workers', o.workers, 1, 1024);
  if (o.signal !== undefined && !(typeof o.signal === 'object' && o.signal !== null && 'aborted' in o.signal)) {
    throw new InvalidParameterError('signal', 'an AbortSignal', o.signal);
  }
  if (o.onProgress !== undefined && typeof o.onProgress !== 'function') throw new InvalidParameterError('onProgress', 'a function', o.onProgress);
  if (o.executor !== undefined && typeof o.executor?.run !== 'function') throw new InvalidParameterError('executor', 'a SweepExecutor', o.executor);
  return {
    range: checkRange(o.range, cells),
    seed: checkInteger('seed', o.seed ?? DEFAULT_SEED, 0, MAX_SEED),
    chunkSize: checkInteger('chunkSize', o.chunkSize ?? DEFAULT_CHUNK_SIZE, 1, 2 ** 24),
    leafVotesPerTask: o.leafVotesPerTask === undefined ? DEFAULT_LEAF_VOTES_PER_TASK
      : checkInteger('leafVotesPerTask', o.leafVotesPerTask, 1, Number.MAX_SAFE_INTEGER),
    maxTasksInFlight: o.maxTasksInFlight === undefined ? undefined : checkInteger('maxTasksInFlight', o.maxTasksInFlight, 1, 1 << 20),
  };
}

/** Sum over the cells [start, end) of trials × votes per trial. */
function totalLeafVotes(r: ResolvedSweep, range: { start: number; end: number }): number {
  if (!r.montecarlo) return 0;
  let total = 0;
  for (let cell = range.start; cell < range.end; cell++) {
    const [, ib, , , , , , id, it] = cellIndices(r, cell);
    total += r.trials[it] * leafVotesPerTrial(r.mode, r.b[ib], r.depth[id]);
  }
  return total;
}

type OkResult = Extract<SweepTaskResult, { ok: true }>;

/** Turns task results, taken in plan order, into blocks of finished cells. */
class Reducer {
  /** The cell split across tasks whose earlier chunks are already summed (at most one at a time). */
  private carry: { cell: number; correct: number; populations: PopulationSums; theory: number[] | null } | null = null;

  constructor(private readonly r: ResolvedSweep) {}

  take(p: PlannedTask, result: OkResult): SweepBlock {
    const { r } = this;
    const start = p.finalStart;
    const count = p.finalEnd - p.finalStart;
    const block: SweepBlock = { start, count };
    const th = p.task.theory;
    if (!r.montecarlo) {
      const data = result.theory!;
      block.theory = Object.fromEntries(THEORY_FIELDS.map((f, i) => [f, data.subarray(i * count, (i + 1) * count)])) as Record<TheoryField, Float64Array>;
      return block;
    }
    const theory = r.theory
      ? Object.fromEntries(THEORY_FIELDS.map((f) => [f, new Float64Array(count)])) as Record<TheoryField, Float64Array>
      : undefined;
    const trials = new Float64Array(count);
    const correct = new Float64Array(count);
    const levels = r.mode === 'levels';
    const sumBias = new Float64Array(levels ? count : 0);
    const sumBiasSquares = new Float64Array(levels ? count : 0);
    const tLen = r.trials.length;
    // Theory values of this task's cells: into the block, or kept with the carried cell.
    const putTheory = (cell: number, values: (f: number) => number): void => {
      if (!theory) return;
      if (cell < p.finalEnd) THEORY_FIELDS.forEach((f, i) => { theory[f][cell - start] = values(i); });
      else this.carry!.theory = THEORY_FIELDS.map((_, i) => values(i));
    };
    if (this.carry && this.carry.theory && this.carry.cell < p.finalEnd) {
      const carried = this.carry.theory;
      THEORY_FIELDS.forEach((f, i) => { theory![f][this.carry!.cell - start] = carried[i]; });
    }
    // Counts are summed in segment and chunk order: a fixed order, whatever the completion order.
    let unit = 0;
    for (const seg of p.task.montecarlo!.segments) {
      const carried = this.carry && this.carry.cell === seg.cell ? this.carry : null;
      let sum = carried ? carried.correct : 0;
      const pops: PopulationSums = carried ? carried.populations : { replicates: 0, sumBias: 0, sumBiasSquares: 0 };
      for (let k = 0; k < seg.chunks; k++) {
        const c = result.correct![unit++];
        sum += c;
        if (levels) addChunk(pops, seg.trials, seg.firstChunk + k, c);
      }
      if (carried) {
        if (seg.cell < p.finalEnd) this.carry = null;
        else carried.correct = sum;
      } else if (seg.cell >= p.finalEnd) {
        this.carry = { cell: seg.cell, correct: sum, populations: pops, theory: null };
      }
      if (seg.cell < p.finalEnd) {
        correct[seg.cell - start] = sum;
        trials[seg.cell - start] = r.trials[seg.cell % tLen];
        if (levels) {
          sumBias[seg.cell - start] = pops.sumBias;
          sumBiasSquares[seg.cell - start] = pops.sumBiasSquares;
        }
      }
    }
    if (th) {
      const n = th.cells;
      const data = result.theory!;
      for (let j = 0; j < n; j++) putTheory(th.cellStart + j, (i) => data[i * n + j]);
    }
    block.theory = theory;
    block.montecarlo = { trials, correct, ...(levels ? { populations: { sumBias, sumBiasSquares } } : {}) };
    return block;
  }
}

/** Per-cell view of a block's i-th cell. */
export function blockCell(r: ResolvedSweep, block: SweepBlock, i: number): SweepCell {
  const cell = block.start + i;
  const out: SweepCell = { cell, ...cellParameters(r, cell) };
  if (block.theory) {
    const t = block.theory;
    // A literal, not Object.fromEntries: this runs once per cell when a sweep is iterated cell by cell.
    out.theory = {
      alpha: t.alpha[i], s: t.s[i], uStar: t.uStar[i], mixingDepth: t.mixingDepth[i], mixingDepthSmallSignal: t.mixingDepthSmallSignal[i],
      uL: t.uL[i], clipped: t.clipped[i], accuracyL: t.accuracyL[i], regime: t.regime[i], trend: t.trend[i], threshold: t.threshold[i],
    } satisfies Record<TheoryField, number>;
  }
  const mc = block.montecarlo;
  if (mc) {
    const [trials, correct] = [mc.trials[i], mc.correct[i]];
    const pops = mc.populations;
    // Levels mode: the spread of the replicate populations gives the error (§D1b).
    const populations = pops && { replicates: chunksOf(trials, r.mode), sumBias: pops.sumBias[i], sumBiasSquares: pops.sumBiasSquares[i] };
    out.montecarlo = r.extended ? summarizeExtendedCell(out.answers!, trials, correct) : summarizeCell(out, r.mode, r.variant, trials, correct, populations);
  }
  return out;
}

interface InFlight {
  planned: PlannedTask;
  result?: OkResult;
  /** Settles (never rejects) when the task finished or failed for good. */
  settled: Promise<void>;
}

async function* runBlocks(
  r: ResolvedSweep, o: SweepOptions, c: CheckedOptions, makeExecutor: () => SweepExecutor, owned: boolean,
): AsyncGenerator<SweepBlock> {
  // Created on the first next(), not when blocks() is called: a generator that is dropped or
  // returned before it starts never runs its finally, and an owned pool would leak its threads.
  const executor = makeExecutor();
  const signal = o.signal;
  let stopped = false;
  let interrupt!: (error: unknown) => void;
  // Rejects on abort or on the first task that failed twice; raced against the oldest task.
  const interrupted = new Promise<never>((_, reject) => { interrupt = reject; });
  interrupted.catch(() => {});
  // Aborted whenever the sweep stops: executors drop the tasks that have not started.
  const halt = new AbortController();
  const stop = (error: unknown): void => {
    stopped = true;
    halt.abort();
    interrupt(error);
  };
  const onAbort = (): void => stop(abortError());
  signal?.addEventListener('abort', onAbort, { once: true });

  const started = performance.now();
  const progress: SweepProgress = {
    cellsDone: 0, cellsTotal: c.range.end - c.range.start, leafVotesDone: 0, leafVotesTotal: totalLeafVotes(r, c.range),
    rate: 0, leafVoteRate: 0, etaSeconds: Infinity,
  };
  const report = (p: PlannedTask): void => {
    progress.cellsDone += p.finalEnd - p.finalStart;
    progress.leafVotesDone += p.leafVotes;
    const seconds = (performance.now() - started) / 1000;
    progress.rate = progress.cellsDone / seconds;
    progress.leafVoteRate = progress.leafVotesDone / seconds;
    progress.etaSeconds = r.montecarlo
      ? (progress.leafVotesTotal - progress.leafVotesDone) / progress.leafVoteRate
      : (progress.cellsTotal - progress.cellsDone) / progress.rate;
    if (!Number.isFinite(progress.etaSeconds)) progress.etaSeconds = Infinity;
    o.onProgress?.({ ...progress });
  };

  const firstCell = (p: PlannedTask): number => p.task.theory?.cellStart ?? p.task.montecarlo?.segments[0].cell ?? p.finalStart;
  const lastCell = (p: PlannedTask): number => Math.max(
    p.task.theory ? p.task.theory.cellStart + p.task.theory.cells : 0,
    ...(p.task.montecarlo?.segments.map((s) => s.cell + 1) ?? [0]),
  );

  async function runWithRetry(p: PlannedTask): Promise<OkResult> {
    let failure = '';
    let cell: number | null = null;
    for (let attempt = 0; attempt < 2; attempt++) {
      if (stopped) throw abortError();
      try {
        const result = await executor.run({ ...p.task, attempt }, { fresh: attempt > 0, signal: halt.signal });
        if (result.ok) return result;
        failure = `${result.name}: ${result.message}`;
        cell = result.cell;
      } catch (e) {
        failure = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
        cell = null;
      }
    }
    throw new SweepCellError(r, cell ?? firstCell(p), cell !== null, [firstCell(p), lastCell(p)], failure);
  }

  const window = c.maxTasksInFlight ?? 2 * Math.max(1, executor.concurrency);
  const plan = planTasks(r, { ...c.range, chunkSize: c.chunkSize, leafVotesPerTask: c.leafVotesPerTask, seed: c.seed, fault: o.faultInjection });
  const queue: InFlight[] = [];
  let planDone = false;
  const refill = (): void => {
    while (!planDone && !stopped && queue.length < window) {
      const next = plan.next();
      if (next.done) {
        planDone = true;
        break;
      }
      const entry: InFlight = { planned: next.value, settled: Promise.resolve() };
      entry.settled = runWithRetry(next.value).then(
        (result) => {
          entry.result = result;
          if (stopped) return;
          try {
            report(next.value);
          } catch (e) {
            stop(e);
          }
        },
        (error) => stop(error),
      );
      queue.push(entry);
    }
  };

  const reducer = new Reducer(r);
  try {
    if (signal?.aborted) throw abortError();
    refill();
    while (queue.length > 0) {
      const head = queue[0];
      await Promise.race([head.settled, interrupted]);
      if (stopped) await interrupted; // throws the abort or failure
      queue.shift();
      refill();
      yield reducer.take(head.planned, head.result!);
    }
  } finally {
    stopped = true;
    halt.abort();
    signal?.removeEventListener('abort', onAbort);
    if (owned) await executor.close();
  }
}

/**
 * A running (or not yet started) sweep. Iterate it for cells in order, or `blocks()` for columnar
 * runs of cells; `collect()` gathers every cell. Work starts on first iteration; a run is consumed once.
 */
export class SweepRun implements AsyncIterable<SweepCell> {
  private used = false;

  constructor(
    /** The validated spec (axes materialised, shape, cell count). */
    readonly resolved: ResolvedSweep,
    private readonly options: SweepOptions,
    private readonly checked: CheckedOptions,
    private readonly defaultExecutor: (workers?: number) => SweepExecutor,
  ) {}

  /** Number of cells of the whole grid. */
  get cells(): number {
    return this.resolved.cells;
  }

  /** The cells this run computes, [start, end): the whole grid unless `options.range` was given. */
  get range(): { start: number; end: number } {
    return { ...this.checked.range };
  }

  /** The parameter values of a cell. */
  parameters(cell: number): CellParameters {
    return cellParameters(this.resolved, cell);
  }

  /** Finished cells in columnar blocks, in cell order. */
  blocks(): AsyncGenerator<SweepBlock> {
    if (this.used) throw new Error('a SweepRun can be consumed once; call sweep() again');
    this.used = true;
    const owned = this.options.executor === undefined;
    const makeExecutor = () => this.options.executor ?? this.defaultExecutor(this.options.workers);
    return runBlocks(this.resolved, this.options, this.checked, makeExecutor, owned);
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<SweepCell> {
    for await (const block of this.blocks()) {
      for (let i = 0; i < block.count; i++) yield blockCell(this.resolved, block, i);
    }
  }

  /** Every cell, in order (holds the whole result: prefer iteration for big sweeps). */
  async collect(): Promise<SweepCell[]> {
    const cells: SweepCell[] = [];
    for await (const block of this.blocks()) {
      for (let i = 0; i < block.count; i++) cells.push(blockCell(this.resolved, block, i));
    }
    return cells;
  }
}

/** A `sweep` function whose default executor is `defaultExecutor` (each entry point picks its own). */
export function createSweep(defaultExecutor: (workers?: number) => SweepExecutor): (spec: SweepSpec, options?: SweepOptions) => SweepRun {
  return (spec, options = {}) => {
    const resolved = resolveSweepSpec(spec);
    const checked = checkOptions(options, resolved.cells);
    return new SweepRun(resolved, options, checked, defaultExecutor);
  };
}

/**
 * Sweeps the spec's cartesian grid. Validates spec and options synchronously (InvalidParameterError
 * naming the axis) before any work. This export runs in-thread by default; the Node and browser
 * entry points export the same function with worker pools as default.
 */
export const sweep = createSweep(() => new InThreadExecutor());
