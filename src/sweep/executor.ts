// The executor interface (where tasks run) and the in-thread executor. Executors for worker threads
// (Piscina, Node) and Web Workers (browsers) live in their own modules so each entry point loads
// only what its environment has.
import { PhaseGridKernel } from '../phaseGrid.ts';
import { instantiateKernel, kernel as sharedKernel, type Kernel } from '../wasm/kernel.ts';
import { runSweepTask, WorkerCrash, workerStamper, type SweepTask, type SweepTaskResult, type TaskContext } from './task.ts';

export interface RunOptions {
  /**
   * Run on a worker that has not run any task of this executor before (the retry after a failure),
   * so state a failed worker may have corrupted cannot affect the retry.
   */
  fresh: boolean;
  /**
   * When it aborts, a task that has not started yet is dropped (the promise rejects with an
   * AbortError); a running task finishes. The sweep aborts it when it stops for any reason.
   */
  signal?: AbortSignal;
}

export function abortError(): DOMException {
  return new DOMException('The sweep was aborted', 'AbortError');
}

/**
 * Tasks waiting for a free worker, started at most `limit` at a time. Keeping the queue here
 * (rather than in the pool) is what lets a stopped sweep drop the tasks that have not started.
 */
export class TaskGate<T> {
  private running = 0;
  private readonly waiting: Array<{ start: () => Promise<T>; resolve: (v: T) => void; reject: (e: unknown) => void; drop?: () => void }> = [];

  constructor(private readonly limit: number) {}

  submit(start: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      if (signal?.aborted) {
        reject(abortError());
        return;
      }
      const job: (typeof this.waiting)[number] = { start, resolve, reject };
      if (signal) {
        job.drop = () => {
          const i = this.waiting.indexOf(job);
          if (i >= 0) {
            this.waiting.splice(i, 1);
            reject(abortError());
          }
        };
        signal.addEventListener('abort', job.drop, { once: true });
        const settle = (): void => signal.removeEventListener('abort', job.drop!);
        job.resolve = (v) => { settle(); resolve(v); };
        job.reject = (e) => { settle(); reject(e); };
      }
      this.waiting.push(job);
      this.pump();
    });
  }

  private pump(): void {
    while (this.running < this.limit && this.waiting.length > 0) {
      const job = this.waiting.shift()!;
      this.running++;
      job.start().then(job.resolve, job.reject).finally(() => {
        this.running--;
        this.pump();
      });
    }
  }
}

/** Runs sweep tasks somewhere. The WASM module is compiled once per worker, never per task. */
export interface SweepExecutor {
  /** Tasks that run at the same time (the sweep keeps about twice as many in flight). */
  readonly concurrency: number;
  /**
   * Resolves with the task's result, including failures the task caught itself (`ok: false`).
   * Rejects when the worker died or could not run the task.
   */
  run(task: SweepTask, options: RunOptions): Promise<SweepTaskResult>;
  /** Releases the executor's own workers (never a pool the caller passed in). */
  close(): Promise<void>;
}

/** Yields to the event loop so an abort or a progress callback can run between in-thread tasks. */
const yieldToEventLoop: () => Promise<void> = typeof setImmediate === 'function'
  ? () => new Promise((resolve) => setImmediate(resolve))
  : () => new Promise((resolve) => setTimeout(resolve, 0));

let inThreadScopes = 0;

/** Runs tasks on the calling thread, one at a time: no workers, the shared kernel of this thread. */
export class InThreadExecutor implements SweepExecutor {
  readonly concurrency = 1;
  private readonly context: TaskContext;

  constructor() {
    this.context = InThreadExecutor.contextFor(PhaseGridKernel.shared(), sharedKernel);
  }

  private static contextFor(kernel: PhaseGridKernel, simulator: Kernel): TaskContext {
    return {
      kernel,
      simulator,
      stamp: workerStamper(`in-thread-${++inThreadScopes}`),
      crash: () => { throw new WorkerCrash('the in-thread executor was asked to crash'); },
    };
  }

  async run(task: SweepTask, options: RunOptions): Promise<SweepTaskResult> {
    // A fresh scope has its own kernel instances (own memory), the in-thread analogue of a new worker.
    const context = options.fresh
      ? InThreadExecutor.contextFor(await PhaseGridKernel.create(), await instantiateKernel())
      : this.context;
    await yieldToEventLoop();
    if (options.signal?.aborted) throw abortError();
    return runSweepTask(task, context);
  }

  async close(): Promise<void> {}
}
