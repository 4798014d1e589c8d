// Node executor: tasks run on a Piscina pool of worker threads (ours, or one the caller owns).
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import { checkInteger } from '../errors.ts';
import { TaskGate, type RunOptions, type SweepExecutor } from './executor.ts';
import type { SweepTask, SweepTaskResult } from './task.ts';

/**
 * The worker script. Workers must be JavaScript, so from src/ this points at the built dist/ file
 * (src/sweep and dist/sweep both sit two levels below the package root): run `npm run build` first.
 */
export const SWEEP_WORKER_FILE = fileURLToPath(new URL('../../dist/sweep/worker.js', import.meta.url));

export interface PiscinaExecutorOptions {
  /** Worker threads of the pool this executor creates (default: available parallelism). */
  workers?: number;
  /**
   * An existing pool to run on instead (it is not destroyed by `close`). Any Piscina works: tasks
   * name the sweep worker file per run, so the pool's own `filename` may be something else.
   */
  pool?: Piscina;
}

export class PiscinaExecutor implements SweepExecutor {
  readonly concurrency: number;
  readonly pool: Piscina;
  private readonly owned: boolean;
  /** Hands the pool only as many tasks as it has threads, so none waits in Piscina's own queue. */
  private readonly gate: TaskGate<SweepTaskResult>;

  constructor(options: PiscinaExecutorOptions = {}) {
    if (options.pool) {
      this.pool = options.pool;
      this.owned = false;
      this.concurrency = Math.max(1, options.pool.options.maxThreads);
    } else {
      const workers = checkInteger('workers', options.workers ?? availableParallelism(), 1, 1024);
      // All threads start at once and stay: each compiles the WASM module once, on startup.
      this.pool = new Piscina({ filename: SWEEP_WORKER_FILE, minThreads: workers, maxThreads: workers, idleTimeout: Infinity });
      this.owned = true;
      this.concurrency = workers;
    }
    this.gate = new TaskGate(this.concurrency);
  }

  async run(task: SweepTask, options: RunOptions): Promise<SweepTaskResult> {
    if (!options.fresh) return this.gate.submit(() => this.pool.run(task, { filename: SWEEP_WORKER_FILE }), options.signal);
    // The retry gets a brand-new thread of its own; the main pool is untouched (Piscina replaces
    // a worker that died by itself).
    const single = new Piscina({ filename: SWEEP_WORKER_FILE, minThreads: 1, maxThreads: 1 });
    try {
      return await single.run(task);
    } finally {
      await single.destroy();
    }
  }

  async close(): Promise<void> {
    if (this.owned) await this.pool.destroy();
  }
}
