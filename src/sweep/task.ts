// One unit of work sent to an executor, and the code that runs it (in a worker or in-thread). Tasks
// and results are plain data (structured-clonable); theory results travel as one transferable array.
import { REGIME_CODES, type PhaseGridKernel } from '../phaseGrid.ts';
import { mixingDepth, type Level } from '../theory/level.ts';
import { type Aggregator, type Answers, chanceAccuracy } from '../theory/model.ts';
import { pluralityPhaseStructure, reachedFixedPoint } from '../theory/pluralityPhases.ts';
import { rootBias, rootSkill } from '../theory/scope.ts';
import { expectedRootAccuracy, expectedRootSkill } from '../theory/difficulty.ts';
import type { Kernel } from '../wasm/kernel.ts';
import {
  runMonteCarloSegments, type MonteCarloMode, type MonteCarloModel, type MonteCarloSegment, type MonteCarloVariant,
} from './montecarlo.ts';

/** Theory fields per cell, in the order they are packed in a task result. */
export const THEORY_FIELDS = [
  'alpha', 's', 'uStar', 'mixingDepth', 'mixingDepthSmallSignal', 'uL', 'clipped', 'accuracyL', 'regime', 'trend', 'threshold',
] as const;
export type TheoryField = (typeof THEORY_FIELDS)[number];

/**
 * Codes of the 'trend' field (§B9): 'growing' when the leaves start below the fixed point the
 * trajectory reaches, 'falling' when above it (the clipped predictor is then a lower bound, not an
 * upper envelope). NaN where no fixed point above chance is reached, and with ρ_task > 0.
 */
export const TREND_CODES = ['growing', 'falling'] as const;

/**
 * A cartesian block of cells: the phase-grid kernel evaluates (b, γ, ρ, u_0) × depths in one call;
 * each (point, depth) is repeated `repeat` times for the trials axis (theory does not depend on it).
 */
export interface TheoryBox {
  /** §H1 (default [2]); rhoTask and dispersion (§I1, §I2) default [0]: a binary box needs none of them. */
  answers?: Answers[];
  b: number[];
  gamma: number[];
  rho: number[];
  rhoTask?: number[];
  dispersion?: number[];
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
  theory?: { cellStart: number; cells: number; boxes: TheoryBox[]; epsilon: number; maxMixingDepth: number; aggregator?: Aggregator };
  montecarlo?: { seed: number; mode: MonteCarloMode; variant: MonteCarloVariant; segments: MonteCarloSegment[]; model?: MonteCarloModel };
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
  const aggregator = t.aggregator ?? 'plurality';
  const judge = aggregator !== 'plurality';
  let o = 0;
  for (const b0 of t.boxes) {
    const box = { ...b0, answers: b0.answers ?? [2], rhoTask: b0.rhoTask ?? [0], dispersion: b0.dispersion ?? [0] };
    const boxCells = box.answers.length * box.b.length * box.gamma.length * box.rho.length * box.rhoTask.length * box.dispersion.length * box.u0.length * box.depths.length * box.repeat;
    reach(t.cellStart + o, boxCells);
    for (const answers of box.answers) {
      const binary = answers === 2 && !judge;
      const chance = chanceAccuracy(answers);
      const r = kernel.run({
        b: box.b, gamma: box.gamma, rho: box.rho, u0: box.u0, depths: box.depths, epsilon: t.epsilon, maxMixingDepth: t.maxMixingDepth,
        ...(binary ? {} : { task: { answers }, aggregator }),
      });
      const nd = box.depths.length;
      const nu = box.u0.length;
      for (let ib = 0; ib < box.b.length; ib++) for (let ig = 0; ig < box.gamma.length; ig++) for (let ir = 0; ir < box.rho.length; ir++) {
        const level: Level = { b: box.b[ib], gamma: box.gamma[ig], rho: box.rho[ir], ...(judge ? { aggregator } : {}) };
        const first = ((ib * box.gamma.length + ig) * box.rho.length + ir) * nu;
        // §H5: the kernel gives α, s, the regime and s_L; every fixed point, s† and the fixed point a
        // start reaches come from the phase structure, once per level.
        const ps = binary ? null : pluralityPhaseStructure(level, answers);
        for (const rhoTask of box.rhoTask) for (const dispersion of box.dispersion) for (let iu = 0; iu < nu; iu++) {
          const p = first + iu;
          const u0 = box.u0[iu];
          let regime = r.regime[p];
          let uStar = r.uStar[p];
          let threshold = NaN;
          let mixExact = r.mixingDepth[p];
          let mixSmall = r.mixingDepthSmallSignal[p];
          // §B9 / §H5: the fixed point this start reaches (|u_0| for K = 2: T is odd).
          let target = REGIME_CODES[regime] === 'amplifying' && u0 !== 0 ? uStar : NaN;
          let start = Math.abs(u0);
          if (ps) {
            // One source for a row's regime, s† and u*: the phase structure (the kernel's regime can
            // differ only at a saddle-node tangency, e.g. open answers, b = 3, γ = 0.8, ρ = 0).
            regime = REGIME_CODES.indexOf(ps.regime);
            uStar = ps.best;
            threshold = ps.threshold ?? NaN;
            target = reachedFixedPoint(level, answers, u0, ps);
            start = u0;
            const mix = mixingDepth(level, u0, t.epsilon, t.maxMixingDepth, { answers });
            mixExact = mix.exact ?? NaN;
            mixSmall = mix.smallSignal ?? NaN;
          }
          // §I2 mixes over tasks of different leaf accuracy (mean p_0 = p_c + (1 − p_c)·s_0, §H1; a
          // mean of 0 or 1 has no spread): one start no longer describes the row.
          const mean = chance + (1 - chance) * u0;
          const spread = dispersion > 0 && mean > 0 && mean < 1;
          const mixed = rhoTask > 0 || spread;
          const trend = mixed || !(target > 0) ? NaN : start > target ? 1 : 0;
          for (let k = 0; k < nd; k++) {
            // §I1: the exact mixture over the task-level event; §I2: the expectation over task difficulty
            // (mean leaf accuracy p_0, as design --dispersion). Binary majority: rootBias /
            // expectedRootAccuracy; K ≠ 2 or a judge: the plurality mixture rootSkill / expectedRootSkill.
            let uL = r.uL[p * nd + k];
            let accuracyL = chance + (1 - chance) * uL;
            if (spread) {
              const difficulty = { mean, dispersion };
              if (binary) {
                accuracyL = expectedRootAccuracy(level, box.depths[k], { rhoTask, difficulty });
                uL = 2 * accuracyL - 1;
              } else {
                uL = expectedRootSkill(level, box.depths[k], { answers, rhoTask, difficulty });
                accuracyL = chance + (1 - chance) * uL;
              }
            } else if (rhoTask > 0) {
              uL = binary ? rootBias(level, u0, box.depths[k], { rhoTask }) : rootSkill(level, u0, box.depths[k], { answers, rhoTask });
              accuracyL = chance + (1 - chance) * uL;
            }
            const clipped = mixed ? NaN : r.clipped[p * nd + k];
            for (let rep = 0; rep < box.repeat; rep++, o++) {
              // field-major, in THEORY_FIELDS order
              out[o] = r.alpha[p];
              out[n + o] = r.s[p];
              out[2 * n + o] = uStar;
              out[3 * n + o] = mixExact;
              out[4 * n + o] = mixSmall;
              out[5 * n + o] = uL;
              out[6 * n + o] = clipped;
              out[7 * n + o] = accuracyL;
              out[8 * n + o] = regime;
              out[9 * n + o] = trend;
              out[10 * n + o] = threshold;
            }
          }
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
    const correct = mc ? runMonteCarloSegments(ctx.simulator, mc.segments, mc.seed, mc.mode, mc.variant, (cell) => reach(cell, 1), mc.model) : undefined;
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
