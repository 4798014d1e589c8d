// Browser executor: a small pool of module Web Workers running dist/sweep/webWorker.js.
import { checkInteger } from '../errors.ts';
import { abortError, TaskGate, type RunOptions, type SweepExecutor } from './executor.ts';
import type { SweepTask, SweepTaskResult } from './task.ts';
import type { WebWorkerMessage } from './webWorker.ts';

export interface WebWorkerExecutorOptions {
  /** Workers in the pool (default: navigator.hardwareConcurrency, or 2). */
  workers?: number;
  /** The worker script (default: webWorker.js next to this module). */
  workerUrl?: URL | string;
}

interface Job {
  task: SweepTask;
  resolve: (result: SweepTaskResult) => void;
  reject: (error: Error) => void;
}

/** One worker; it runs one job at a time. */
class Slot {
  readonly worker: Worker;
  readonly ready: Promise<void>;
  job: Job | null = null;
  dead = false;
  /** Whether the worker ever loaded (sent 'ready'). */
  loaded = false;

  constructor(spawnWorker: () => Worker, private readonly onFree: (slot: Slot) => void, private readonly onDeath: (slot: Slot, error: Error) => void) {
    this.worker = spawnWorker();
    let markReady!: () => void;
    this.ready = new Promise((resolve) => { markReady = resolve; });
    this.worker.onmessage = (event: MessageEvent<WebWorkerMessage>) => {
      if (event.data.type === 'ready') {
        this.loaded = true;
        markReady();
        return;
      }
      const job = this.job!;
      this.job = null;
      job.resolve(event.data.result);
      this.onFree(this);
    };
    this.worker.onerror = (event: ErrorEvent) => {
      event.preventDefault();
      this.die(new Error(`a Web Worker died: ${event.message || 'error loading or running the worker script'}`));
    };
    this.worker.onmessageerror = () => this.die(new Error('a Web Worker sent a message that could not be deserialised'));
  }

  async start(job: Job): Promise<void> {
    this.job = job;
    await this.ready;
    if (!this.dead) this.worker.postMessage(job.task);
  }

  die(error: Error): void {
    if (this.dead) return;
    this.dead = true;
    this.worker.terminate();
    const job = this.job;
    this.job = null;
    job?.reject(error);
    this.onDeath(this, error);
  }
}

export class WebWorkerExecutor implements SweepExecutor {
  readonly concurrency: number;
  private readonly spawnWorker: () => Worker;
  private slots: Slot[] = [];
  private idle: Slot[] = [];
  /** Queueing and abort of waiting tasks, shared with PiscinaExecutor. */
  private readonly gate: TaskGate<SweepTaskResult>;
  /** One-off workers of retries (options.fresh), so close() can end them too. */
  private fresh = new Set<Slot>();
  private closed = false;

  constructor(options: WebWorkerExecutorOptions = {}) {
    const fallback = typeof navigator !== 'undefined' && navigator.hardwareConcurrency > 0 ? navigator.hardwareConcurrency : 2;
    this.concurrency = checkInteger('workers', options.workers ?? fallback, 1, 1024);
    const url = options.workerUrl;
    // The default is spelled `new Worker(new URL('./webWorker.js', import.meta.url), …)` on purpose:
    // that exact form is what bundlers (Vite, webpack 5) recognise to bundle the worker script.
    this.spawnWorker = url === undefined
      ? () => new Worker(new URL('./webWorker.js', import.meta.url), { type: 'module' })
      : () => new Worker(url, { type: 'module' });
    this.gate = new TaskGate(this.concurrency);
    for (let i = 0; i < this.concurrency; i++) this.idle.push(this.spawn());
  }

  private spawn(): Slot {
    const slot = new Slot(this.spawnWorker, (s) => this.idle.push(s), (s) => this.remove(s));
    this.slots.push(slot);
    return slot;
  }

  /**
   * A dead worker leaves the pool; the next task spawns a new one on demand. So a worker that dies
   * after loading is replaced when needed, and one that never loads (bad URL, WASM not served) fails
   * only the tasks that reach it rather than respawning forever.
   */
  private remove(slot: Slot): void {
    this.slots = this.slots.filter((s) => s !== slot);
    this.idle = this.idle.filter((s) => s !== slot);
  }

  run(task: SweepTask, options: RunOptions): Promise<SweepTaskResult> {
    if (this.closed) return Promise.reject(new Error('the WebWorkerExecutor is closed'));
    if (options.fresh) {
      if (options.signal?.aborted) return Promise.reject(abortError());
      // A one-off worker that has run nothing before; it is discarded afterwards.
      return new Promise((resolve, reject) => {
        const once = new Slot(this.spawnWorker, (s) => {
          s.worker.terminate();
          this.fresh.delete(s);
        }, (s) => this.fresh.delete(s));
        this.fresh.add(once);
        void once.start({ task, resolve, reject });
      });
    }
    // The gate admits at most `concurrency` tasks, so an idle worker exists or one may be spawned.
    return this.gate.submit(() => new Promise<SweepTaskResult>((resolve, reject) => {
      if (this.closed) {
        reject(new Error('the WebWorkerExecutor was closed'));
        return;
      }
      void (this.idle.pop() ?? this.spawn()).start({ task, resolve, reject });
    }), options.signal);
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const slot of [...this.slots, ...this.fresh]) slot.die(new Error('the WebWorkerExecutor was closed'));
  }
}
