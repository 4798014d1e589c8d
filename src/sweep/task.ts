// One unit of work sent to an executor, and the code that runs it (in a worker or in-thread). Tasks
// and results are plain data (structured-clonable); theory results travel as one transferable array.
import type { PhaseGridKernel } from '../phaseGrid.ts';
import type { Kernel } from '../wasm/kernel.ts';
import { runMonteCarloSegments, type MonteCarloMode, type MonteCarloSegment, type MonteCarloVariant } from './montecarlo.ts';

/** Theory fields per cell, in the order they are packed in a task result. */
export const THEORY_FIELDS = ['alpha', 's', 'uStar', 'mixingDepth', 'mixingDepthSmallSignal', 'uL', 'clipped'] as const;
export type TheoryField = (typeof THEORY_FIELDS)[number];

/**
 * A cartesian block of cells: the phase-grid kernel evaluates (b, γ, ρ, u_0) × depths in one call;
 * each (point, depth) is repeated `repeat` times for the trials axis (theory does not depend on it).
 */
export interface TheoryBox {
  b: number[];
  gamma: number[];
  rho: number[];
  u0: number[];
  depths: number[];
  repeat: number;
}

/** Test-only: make the task fail (attempt < failures) when it reaches `cell`. */
export interface FaultInjection {
  cell: number;
  /** 'throw': the task throws; 'crash': the worker dies (process.exit in Node, an uncaught error in a Web Worker). */
  kind: 'throw' | 'crash';
  /** How many attempts fail: 1 (the retry succeeds) or 2 (the sweep fails). */
  failures: number;
}

export interface SweepTask {
  /** Position in the sweep's plan. */
  index: number;
  /** 0 on the first try, 1 on the retry. */
  attempt: number;
  theory?: { cellStart: number; cells: number; boxes: TheoryBox[]; epsilon: number; maxMixingDepth: number };
  montecarlo?: { seed: number; mode: MonteCarloMode; variant: MonteCarloVariant; segments: MonteCarloSegment[] };
  fault?: FaultInjection;
}

/** Where the task ran: lets tests check that one worker (one compiled module) served many tasks. */
export interface WorkerStamp {
  id: string;
  /** Tasks this worker had run, including this one. */
  tasks: number;
}

export type SweepTaskResult =
  | {
    ok: true;
    /** THEORY_FIELDS.length × cells, field-major. */
    theory?: Float64Array;
    /** Correct count of every Monte Carlo chunk, in segment and chunk order. */
    correct?: Float64Array;
    worker: WorkerStamp;
  }
  | { ok: false; message: string; name: string; cell: number | null; worker: WorkerStamp };

/**
 * Thrown by a context's `crash` where a worker cannot simply exit: it escapes `runSweepTask` so the
 * worker dies of an uncaught error (Web Worker) or the executor's promise rejects (in-thread).
 */
export class WorkerCrash extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WorkerCrash';
  }
}

/** Thrown inside a task by the fault hook's 'throw' kind (and caught into a failed result). */
class InjectedFault extends Error {
  constructor(cell: number) {
    super(`injected fault at cell ${cell}`);
    this.name = 'InjectedFault';
  }
}

/** What a worker scope provides: its kernel instances and how to die. */
export interface TaskContext {
  kernel: PhaseGridKernel;
  /** The instance the Monte Carlo simulator runs on. */
  simulator: Kernel;
  stamp: () => WorkerStamp;
  /** Ends this worker abruptly (used only by the fault hook's 'crash' kind). */
  crash: () => never;
}

/** Makes the stamp of one worker scope (thread or in-thread executor instance). */
export function workerStamper(id: string): () => WorkerStamp {
  let tasks = 0;
  return () => ({ id, tasks: ++tasks });
}

/** Called before computing cells [first, first + count): records where we are, fires the fault hook. */
type Reach = (first: number, count: number) => void;

function computeTheory(kernel: PhaseGridKernel, t: NonNullable<SweepTask['theory']>, reach: Reach): Float64Array {
  const n = t.cells;
  const out = new Float64Array(THEORY_FIELDS.length * n);
  let o = 0;
  for (const box of t.boxes) {
    const boxCells = box.b.length * box.gamma.length * box.rho.length * box.u0.length * box.depths.length * box.repeat;
    reach(t.cellStart + o, boxCells);
    const r = kernel.run({ b: box.b, gamma: box.gamma, rho: box.rho, u0: box.u0, depths: box.depths, epsilon: t.epsilon, maxMixingDepth: t.maxMixingDepth });
    const nd = box.depths.length;
    for (let p = 0; p < r.cells; p++) {
      for (let k = 0; k < nd; k++) {
        const uL = r.uL[p * nd + k];
        const clipped = r.clipped[p * nd + k];
        for (let rep = 0; rep < box.repeat; rep++, o++) {
          out[o] = r.alpha[p];
          out[n + o] = r.s[p];
          out[2 * n + o] = r.uStar[p];
          out[3 * n + o] = r.mixingDepth[p];
          out[4 * n + o] = r.mixingDepthSmallSignal[p];
          out[5 * n + o] = uL;
          out[6 * n + o] = clipped;
        }
      }
    }
  }
  if (o !== n) throw new Error(`theory boxes cover ${o} cells, expected ${n}`);
  return out;
}

/** Runs a task. Errors are returned as data (naming the cell being computed); only a WorkerCrash escapes. */
export function runSweepTask(task: SweepTask, ctx: TaskContext): SweepTaskResult {
  let current: number | null = null;
  const fault = task.fault;
  const reach: Reach = (first, count) => {
    current = first;
    if (fault && fault.cell >= first && fault.cell < first + count && task.attempt < fault.failures) {
      current = fault.cell;
      if (fault.kind === 'crash') ctx.crash();
      throw new InjectedFault(fault.cell);
    }
  };
  try {
    const theory = task.theory ? computeTheory(ctx.kernel, task.theory, reach) : undefined;
    const mc = task.montecarlo;
    const correct = mc ? runMonteCarloSegments(ctx.simulator, mc.segments, mc.seed, mc.mode, mc.variant, (cell) => reach(cell, 1)) : undefined;
    return { ok: true, theory, correct, worker: ctx.stamp() };
  } catch (e) {
    if (e instanceof WorkerCrash) throw e;
    const error = e instanceof Error ? e : new Error(String(e));
    return { ok: false, message: error.message, name: error.name, cell: current, worker: ctx.stamp() };
  }
}

/** The buffers of a result, to transfer instead of copy. */
export function resultTransferables(result: SweepTaskResult): ArrayBuffer[] {
  if (!result.ok) return [];
  const list: ArrayBuffer[] = [];
  if (result.theory) list.push(result.theory.buffer as ArrayBuffer);
  if (result.correct) list.push(result.correct.buffer as ArrayBuffer);
  return list;
}
