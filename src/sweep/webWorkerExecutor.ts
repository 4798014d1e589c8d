// Browser executor: a small pool of module Web Workers running dist/sweep/webWorker.js.
import { checkInteger } from '../errors.ts';
import { abortError, type RunOptions, type SweepExecutor } from './executor.ts';
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

/** One worker; it runs one job at a time and is replaced when it dies. */
class Slot {
  readonly worker: Worker;
  readonly ready: Promise<void>;
  job: Job | null = null;
  dead = false;
  /** Whether the worker ever loaded (sent 'ready'). */
  loaded = false;

  constructor(url: URL | string, private readonly onFree: (slot: Slot) => void, private readonly onDeath: (slot: Slot, error: Error) => void) {
    this.worker = new Worker(url, { type: 'module' });
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
  private readonly url: URL | string;
  private slots: Slot[] = [];
  private idle: Slot[] = [];
  private queue: Job[] = [];
  /** One-off workers of retries (options.fresh), so close() can end them too. */
  private fresh = new Set<Slot>();
  private closed = false;

  constructor(options: WebWorkerExecutorOptions = {}) {
    const fallback = typeof navigator !== 'undefined' && navigator.hardwareConcurrency > 0 ? navigator.hardwareConcurrency : 2;
    this.concurrency = checkInteger('workers', options.workers ?? fallback, 1, 1024);
    this.url = options.workerUrl ?? new URL('./webWorker.js', import.meta.url);
    for (let i = 0; i < this.concurrency; i++) this.idle.push(this.spawn());
  }

  private spawn(): Slot {
    const slot = new Slot(this.url, (s) => this.free(s), (s, error) => this.replace(s, error));
    this.slots.push(slot);
    return slot;
  }

  private free(slot: Slot): void {
    const next = this.queue.shift();
    if (next) void slot.start(next);
    else this.idle.push(slot);
  }

  /**
   * A worker that died after loading is replaced at once, so the pool keeps its size. One that never
   * loaded (bad URL, WASM not served) is not: respawning would fail forever. When no worker is left,
   * its error goes to the queued jobs, and later runs spawn workers again on demand.
   */
  private replace(slot: Slot, error: Error): void {
    this.slots = this.slots.filter((s) => s !== slot);
    this.idle = this.idle.filter((s) => s !== slot);
    if (this.closed) return;
    if (slot.loaded) {
      this.free(this.spawn());
      return;
    }
    // Other workers may still load and serve the queue; fail it only when none is left.
    if (this.slots.length > 0) return;
    const queued = this.queue;
    this.queue = [];
    for (const job of queued) job.reject(error);
  }

  run(task: SweepTask, options: RunOptions): Promise<SweepTaskResult> {
    if (this.closed) return Promise.reject(new Error('the WebWorkerExecutor is closed'));
    if (options.signal?.aborted) return Promise.reject(abortError());
    return new Promise((resolve, reject) => {
      const job: Job = { task, resolve, reject };
      if (options.fresh) {
        // A one-off worker that has run nothing before; it is discarded afterwards.
        const once = new Slot(this.url, (s) => {
          s.worker.terminate();
          this.fresh.delete(s);
        }, (s) => this.fresh.delete(s));
        this.fresh.add(once);
        void once.start(job);
        return;
      }
      if (this.idle.length === 0 && this.slots.length < this.concurrency) this.idle.push(this.spawn());
      const slot = this.idle.pop();
      if (slot) {
        void slot.start(job);
        return;
      }
      this.queue.push(job);
      // A queued job is dropped when the sweep stops; one that has started runs to the end.
      const signal = options.signal;
      if (signal) {
        const drop = (): void => {
          const i = this.queue.indexOf(job);
          if (i >= 0) {
            this.queue.splice(i, 1);
            reject(abortError());
          }
        };
        signal.addEventListener('abort', drop, { once: true });
        job.resolve = (r) => { signal.removeEventListener('abort', drop); resolve(r); };
        job.reject = (e) => { signal.removeEventListener('abort', drop); reject(e); };
      }
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.queue) job.reject(new Error('the WebWorkerExecutor was closed'));
    this.queue = [];
    for (const slot of [...this.slots, ...this.fresh]) slot.die(new Error('the WebWorkerExecutor was closed'));
  }
}
