// Chunk planning: the sweep's cells, in order, cut into tasks. Planning is lazy (a generator) so a
// sweep of millions of cells never holds its whole plan. Task boundaries never change results:
// theory fields are per-cell pure functions and Monte Carlo chunks are keyed by (cell, chunk), §D4.
import { chunksOf, leafVotesPerTrial, trialsInChunk, type MonteCarloSegment } from './montecarlo.ts';
import { cellIndices, type ResolvedSweep } from './spec.ts';
import type { FaultInjection, SweepTask, TheoryBox } from './task.ts';

export interface PlannedTask {
  task: SweepTask;
  /** Cells completed by this task together with all earlier ones: [finalStart, finalEnd). */
  finalStart: number;
  finalEnd: number;
  /** Leaf-votes simulated by this task (0 for theory-only). */
  leafVotes: number;
}

export interface PlanOptions {
  /** The cells to plan, [start, end) (the whole grid, or a slice of it). */
  start: number;
  end: number;
  /** Most cells per task. */
  chunkSize: number;
  /** Target Monte Carlo work per task, in leaf-votes (a task holds at least one §D4 chunk). */
  leafVotesPerTask: number;
  seed: number;
  fault?: FaultInjection;
}

/** A cartesian block as index ranges [start, end) per axis (AXIS_ORDER). */
type IndexBox = Array<[number, number]>;

/**
 * Decomposes the contiguous cell range [lo, hi) of a row-major grid into at most 2·(axes − 1) + 1
 * cartesian boxes, each itself a contiguous cell range, in cell order.
 */
export function cellRangeBoxes(lo: number, hi: number, shape: readonly number[]): IndexBox[] {
  const out: IndexBox[] = [];
  const full = (from: number): IndexBox => shape.slice(from).map((n): [number, number] => [0, n]);
  const walk = (lo: number, hi: number, dim: number, prefix: IndexBox): void => {
    if (lo >= hi) return;
    if (dim === shape.length - 1) {
      out.push([...prefix, [lo, hi]]);
      return;
    }
    const stride = shape.slice(dim + 1).reduce((n, k) => n * k, 1);
    let i0 = Math.floor(lo / stride);
    const r0 = lo - i0 * stride;
    const i1 = Math.floor(hi / stride);
    const r1 = hi - i1 * stride;
    if (i0 === i1) {
      walk(r0, r1, dim + 1, [...prefix, [i0, i0 + 1]]);
      return;
    }
    if (r0 > 0) {
      walk(r0, stride, dim + 1, [...prefix, [i0, i0 + 1]]);
      i0++;
    }
    if (i1 > i0) out.push([...prefix, [i0, i1], ...full(dim + 1)]);
    if (r1 > 0) walk(0, r1, dim + 1, [...prefix, [i1, i1 + 1]]);
  };
  walk(lo, hi, 0, []);
  return out;
}

function theoryPart(r: ResolvedSweep, start: number, end: number): SweepTask['theory'] {
  const boxes: TheoryBox[] = cellRangeBoxes(start, end, r.shape).map(([k, b, g, rho, rt, phi, u0, d, t]) => ({
    answers: r.answers.slice(k[0], k[1]),
    b: r.b.slice(b[0], b[1]),
    gamma: r.gamma.slice(g[0], g[1]),
    rho: r.rho.slice(rho[0], rho[1]),
    rhoTask: r.rhoTask.slice(rt[0], rt[1]),
    dispersion: r.dispersion.slice(phi[0], phi[1]),
    u0: r.u0.slice(u0[0], u0[1]),
    depths: r.depth.slice(d[0], d[1]),
    repeat: t[1] - t[0],
  }));
  return { cellStart: start, cells: end - start, boxes, epsilon: r.epsilon, maxMixingDepth: r.maxMixingDepth, aggregator: r.aggregator };
}

function segmentOf(r: ResolvedSweep, cell: number, firstChunk: number, chunks: number): MonteCarloSegment {
  const [ik, ib, ig, ir, irt, idf, iu, id, it] = cellIndices(r, cell);
  return {
    cell, answers: r.answers[ik], b: r.b[ib], gamma: r.gamma[ig], rho: r.rho[ir], rhoTask: r.rhoTask[irt], dispersion: r.dispersion[idf], u0: r.u0[iu], depth: r.depth[id],
    trials: r.trials[it], firstChunk, chunks,
  };
}

/** The sweep's tasks in cell order. */
export function* planTasks(r: ResolvedSweep, o: PlanOptions): Generator<PlannedTask> {
  let index = 0;
  if (!r.montecarlo) {
    for (let start = o.start; start < o.end; start += o.chunkSize) {
      const end = Math.min(o.end, start + o.chunkSize);
      yield { task: { index: index++, attempt: 0, theory: theoryPart(r, start, end), fault: o.fault }, finalStart: start, finalEnd: end, leafVotes: 0 };
    }
    return;
  }
  let cell = o.start;
  let chunk = 0; // next §D4 chunk of `cell`
  while (cell < o.end) {
    const finalStart = cell;
    const segments: MonteCarloSegment[] = [];
    let leafVotes = 0;
    while (cell < o.end && leafVotes < o.leafVotesPerTask && segments.length < o.chunkSize) {
      const seg = segmentOf(r, cell, chunk, 0);
      const total = chunksOf(seg.trials, r.mode);
      const perChunk = trialsInChunk(seg.trials, chunk, r.mode) * leafVotesPerTrial(r.mode, seg.b, seg.depth);
      seg.chunks = Math.min(total - chunk, Math.max(1, Math.ceil((o.leafVotesPerTask - leafVotes) / perChunk)));
      for (let k = chunk; k < chunk + seg.chunks; k++) leafVotes += trialsInChunk(seg.trials, k, r.mode) * leafVotesPerTrial(r.mode, seg.b, seg.depth);
      segments.push(seg);
      chunk += seg.chunks;
      if (chunk === total) {
        cell++;
        chunk = 0;
      }
    }
    const task: SweepTask = {
      index: index++, attempt: 0, fault: o.fault,
      montecarlo: { seed: o.seed, mode: r.mode, variant: r.variant, segments, ...(r.extended ? { model: { distractors: r.distractors, aggregator: r.aggregator } } : {}) },
    };
    if (r.theory) {
      // Theory for a cell travels with the task holding its first chunk.
      const first = segments[0];
      const theoryStart = first.firstChunk === 0 ? first.cell : first.cell + 1;
      const theoryEnd = segments[segments.length - 1].cell + 1;
      if (theoryEnd > theoryStart) task.theory = theoryPart(r, theoryStart, theoryEnd);
    }
    yield { task, finalStart, finalEnd: cell, leafVotes };
  }
}
