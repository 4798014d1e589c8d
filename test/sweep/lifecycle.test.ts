// Cancellation, worker failures and progress: abort stops new chunks at once and rejects with an
// AbortError; a task that throws or whose worker dies is retried once on a fresh worker, a second
// failure rejects naming the cell; the pool stays usable in every case.
import { Piscina } from 'piscina';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  InThreadExecutor, PiscinaExecutor, sweep, SweepCellError,
  type RunOptions, type SweepExecutor, type SweepProgress, type SweepSpec, type SweepTask, type SweepTaskResult,
} from '../../src/node.ts';
import { sweepBytes } from './sweepBytes.ts';

const theorySpec: SweepSpec = { b: [3, 5], gamma: { start: 0.5, stop: 1, count: 21 }, rho: [0, 0.2, 0.4], u0: [0.05], depth: [10, 30] };

// 60 Monte Carlo cells of one §D4 chunk each (3^7 leaves × 65,536 trials ≈ 1.4e8 leaf-votes).
const slowSpec: SweepSpec = { b: [3], gamma: { start: 0.6, stop: 0.99, count: 60 }, rho: [0], u0: [0.05], depth: [7], trials: [65_536], compute: 'montecarlo' };

/** Records every task handed to the inner executor, with the time and the options. */
class RecordingExecutor implements SweepExecutor {
  readonly calls: Array<{ at: number; doneAt?: number; task: SweepTask; options: RunOptions; result?: SweepTaskResult; error?: unknown }> = [];
  constructor(private readonly inner: SweepExecutor) {}
  get concurrency(): number {
    return this.inner.concurrency;
  }
  async run(task: SweepTask, options: RunOptions): Promise<SweepTaskResult> {
    const call: (typeof this.calls)[number] = { at: performance.now(), task, options };
    this.calls.push(call);
    try {
      call.result = await this.inner.run(task, options);
      return call.result;
    } catch (e) {
      call.error = e;
      throw e;
    } finally {
      call.doneAt = performance.now();
    }
  }
  close(): Promise<void> {
    return this.inner.close();
  }
}

let pool: PiscinaExecutor;
let theoryReference: Buffer;

beforeAll(async () => {
  pool = new PiscinaExecutor({ workers: 2 });
  theoryReference = await sweepBytes(sweep(theorySpec, { executor: new InThreadExecutor() }));
});

afterAll(async () => {
  await pool.close();
});

async function poolStillWorks(executor: SweepExecutor): Promise<void> {
  expect((await sweepBytes(sweep(theorySpec, { executor, chunkSize: 9 }))).equals(theoryReference)).toBe(true);
}

describe('cancellation', () => {
  it('abort stops dispatching at once, drops tasks not yet started, rejects with an AbortError, and the pool stays usable', async () => {
    const recorder = new RecordingExecutor(pool);
    const controller = new AbortController();
    let abortedAt = 0;
    // Six tasks in flight on two workers: at any moment some are waiting for a worker.
    const run = sweep(slowSpec, {
      executor: recorder, signal: controller.signal, leafVotesPerTask: 1, maxTasksInFlight: 6,
      onProgress: (p) => {
        if (p.cellsDone >= 2 && !controller.signal.aborted) {
          abortedAt = performance.now();
          controller.abort();
        }
      },
    });
    const error = await run.collect().then(() => null, (e: unknown) => e);
    const rejectedAfter = performance.now() - abortedAt;
    expect(error).toBeInstanceOf(DOMException);
    expect((error as DOMException).name).toBe('AbortError');
    expect(abortedAt).toBeGreaterThan(0);
    // No task was handed out after the abort, and far fewer than the 60 were handed out at all.
    expect(recorder.calls.filter((c) => c.at >= abortedAt)).toEqual([]);
    expect(recorder.calls.length).toBeLessThanOrEqual(2 + 6);
    // The rejection does not wait for the chunks still running: it comes well before one chunk's
    // duration (each takes ~100 ms here; measured from the completed ones).
    // Let the tasks still running finish, then look at what happened to each one handed out.
    while (recorder.calls.some((c) => c.doneAt === undefined)) await new Promise((resolve) => setTimeout(resolve, 10));
    const finished = recorder.calls.filter((c) => c.result !== undefined);
    const chunkMs = Math.min(...finished.map((c) => c.doneAt! - c.at));
    expect(rejectedAfter).toBeLessThan(chunkMs / 2);
    // Only the tasks running at the abort (one per worker) completed after it; those still
    // waiting for a worker were dropped without starting.
    expect(finished.filter((c) => c.doneAt! > abortedAt).length).toBeLessThanOrEqual(pool.concurrency);
    const dropped = recorder.calls.filter((c) => (c.error as DOMException | undefined)?.name === 'AbortError');
    expect(dropped.length).toBeGreaterThanOrEqual(1);
    expect(dropped.length + finished.length).toBe(recorder.calls.length);
    await poolStillWorks(pool);
  });

  it('an already aborted signal rejects before any task runs', async () => {
    const recorder = new RecordingExecutor(pool);
    const error = await sweep(theorySpec, { executor: recorder, signal: AbortSignal.abort() }).collect().catch((e: unknown) => e);
    expect((error as DOMException).name).toBe('AbortError');
    expect(recorder.calls.length).toBe(0);
  });

  it('abort works in-thread too, and leaving a for-await early stops dispatching', async () => {
    const controller = new AbortController();
    const inThread = new RecordingExecutor(new InThreadExecutor());
    const run = sweep(theorySpec, { executor: inThread, chunkSize: 4, signal: controller.signal });
    let seen = 0;
    const error = await (async () => {
      for await (const _ of run) if (++seen === 10) controller.abort();
    })().catch((e: unknown) => e);
    expect((error as DOMException).name).toBe('AbortError');
    expect(inThread.calls.length).toBeLessThan(10);

    const recorder = new RecordingExecutor(pool);
    for await (const cell of sweep(theorySpec, { executor: recorder, chunkSize: 4 })) if (cell.cell === 5) break;
    const dispatched = recorder.calls.length;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(recorder.calls.length).toBe(dispatched);
    expect(dispatched).toBeLessThanOrEqual(2 + 2 * pool.concurrency);
    await poolStillWorks(pool);
  });
});

describe('worker failures', () => {
  for (const kind of ['throw', 'crash'] as const) {
    it(`a task that fails once (${kind}) is retried on a fresh worker and the results are unchanged`, async () => {
      const recorder = new RecordingExecutor(pool);
      const bytes = await sweepBytes(sweep(theorySpec, { executor: recorder, chunkSize: 9, faultInjection: { cell: 100, kind, failures: 1 } }));
      expect(bytes.equals(theoryReference)).toBe(true);
      const retries = recorder.calls.filter((c) => c.options.fresh);
      expect(retries.length).toBe(1);
      expect(retries[0].task.attempt).toBe(1);
      expect(retries[0].task.theory!.cellStart).toBe(99); // the task holding cell 100
      // The retry ran on a thread none of the pool's tasks ran on.
      const poolWorkers = new Set(recorder.calls.filter((c) => !c.options.fresh && c.result?.worker).map((c) => c.result!.worker.id));
      expect(poolWorkers.has(retries[0].result!.worker.id)).toBe(false);
      expect(retries[0].result!.worker.tasks).toBe(1);
      await poolStillWorks(pool);
    });

    it(`a task that fails twice (${kind}) rejects with an error naming the cell, and the pool survives`, async () => {
      const error = await sweep(theorySpec, { executor: pool, chunkSize: 9, faultInjection: { cell: 100, kind, failures: 2 } })
        .collect().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SweepCellError);
      const e = error as SweepCellError;
      expect(e.cells).toEqual([99, 108]);
      if (kind === 'throw') {
        expect(e.cell).toBe(100);
        expect(e.message).toContain('cell 100');
      } else {
        expect(e.cell).toBe(99); // a dead worker cannot say which cell it was on
        expect(e.message).toMatch(/cells 99–107 \(a worker died/);
      }
      expect(e.parameters).toEqual(sweep(theorySpec).parameters(e.cell));
      expect(e.message).toContain(`gamma=${e.parameters.gamma}`);
      expect(pool.pool.threads.length).toBeLessThanOrEqual(2);
      await poolStillWorks(pool);
      expect(pool.pool.threads.length).toBe(2);
    });
  }

  it('the in-thread executor retries too (on fresh kernel instances)', async () => {
    const inThread = new InThreadExecutor();
    const once = await sweepBytes(sweep(theorySpec, { executor: inThread, chunkSize: 9, faultInjection: { cell: 7, kind: 'crash', failures: 1 } }));
    expect(once.equals(theoryReference)).toBe(true);
    const error = await sweep(theorySpec, { executor: inThread, chunkSize: 9, faultInjection: { cell: 7, kind: 'throw', failures: 2 } })
      .collect().catch((e: unknown) => e);
    expect((error as SweepCellError).cell).toBe(7);
    await poolStillWorks(inThread);
  });

  it('a Monte Carlo task that fails twice names the exact cell', async () => {
    const spec: SweepSpec = { ...slowSpec, gamma: [0.6, 0.7, 0.8], depth: [3], trials: [1000] };
    const error = await sweep(spec, { executor: pool, faultInjection: { cell: 2, kind: 'throw', failures: 2 } }).collect().catch((e: unknown) => e);
    expect((error as SweepCellError).cell).toBe(2);
    expect((error as SweepCellError).parameters).toMatchObject({ gamma: 0.8, trials: 1000 });
  });

  it('runs on a Piscina instance the caller owns (any filename) and leaves it open', async () => {
    const own = new Piscina({ maxThreads: 2, minThreads: 2 });
    const executor = new PiscinaExecutor({ pool: own });
    expect(executor.concurrency).toBe(2);
    await poolStillWorks(executor);
    await executor.close();
    await poolStillWorks(new PiscinaExecutor({ pool: own }));
    await own.destroy();
  });
});

describe('progress', () => {
  it('reports cells and leaf-votes done, rate and ETA, ending at the totals', async () => {
    const reports: SweepProgress[] = [];
    const spec: SweepSpec = { ...slowSpec, gamma: [0.6, 0.7, 0.8, 0.9], depth: [3, 4], trials: [70_000], compute: 'both' };
    await sweep(spec, { executor: pool, leafVotesPerTask: 1, onProgress: (p) => reports.push(p) }).collect();
    const total = 4 * 70_000 * (27 + 81);
    expect(reports.length).toBe(16); // two §D4 chunks per cell, one chunk per task
    for (let i = 1; i < reports.length; i++) {
      expect(reports[i].cellsDone).toBeGreaterThanOrEqual(reports[i - 1].cellsDone);
      expect(reports[i].leafVotesDone).toBeGreaterThan(reports[i - 1].leafVotesDone);
    }
    const last = reports.at(-1)!;
    expect(last).toMatchObject({ cellsDone: 8, cellsTotal: 8, leafVotesDone: total, leafVotesTotal: total, etaSeconds: 0 });
    expect(last.rate).toBeGreaterThan(0);
    expect(last.leafVoteRate).toBeGreaterThan(0);
    expect(reports.some((r) => r.etaSeconds > 0 && Number.isFinite(r.etaSeconds))).toBe(true);
  });

  it('an onProgress callback that throws fails the sweep with its error', async () => {
    const error = await sweep(theorySpec, { executor: pool, chunkSize: 9, onProgress: () => { throw new Error('callback broke'); } })
      .collect().catch((e: unknown) => e);
    expect((error as Error).message).toBe('callback broke');
    await poolStillWorks(pool);
  });
});
