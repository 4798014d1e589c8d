// The coordinator's side of the elastic pool (issue 14): a SweepExecutor that enqueues tasks to BullMQ
// on Redis, where any number of `synergy worker` processes (queueWorker.ts) take them. The sweep
// driver (run.ts) still plans, retries once and assembles results in cell order, so the output is
// the same bytes as one process (§D4).
//
// Delivery is at-least-once: a task may run twice (a worker killed or stalled mid-task is redone
// by another). Results are keyed by (sweep, task) — the job id — and each key settles exactly one
// pending run, once: a second delivery is ignored, never summed twice.
import { randomUUID } from 'node:crypto';
import { checkInteger, InvalidParameterError } from '../errors.ts';
import { abortError, type RunOptions, type SweepExecutor } from './executor.ts';
import { decodeResult, jobIdOf, sweepHash, taskPayload, type TaskPayload } from './queueProtocol.ts';
import { connectRedis, DEFAULT_QUEUE_NAME, loadBullmq, parseRedisUrl, redactUrl, RESULT_TTL_MS, resultKey, type BullMQ, type IORedis } from './redisConnection.ts';
import type { SweepTask, SweepTaskResult } from './task.ts';

export interface RedisQueueExecutorOptions {
  /** redis://host[:port][/db], rediss://… or unix:///path/to/redis.sock[?db=n]. */
  url: string;
  /** BullMQ queue name (default 'synergy'); workers must listen on the same. */
  name?: string;
  /**
   * What identifies the sweep (the CLI passes { spec, seed }): tasks and results are keyed by its
   * hash, so a resumed coordinator finds the results still in Redis. Default: a new random id.
   */
  sweep?: unknown;
  /** Tasks the pool is expected to run at once; the sweep keeps twice as many queued (default 32). */
  capacity?: number;
  /** Safety net for a missed event: pending tasks are looked up this often (ms, default 2000). */
  pollMs?: number;
}

type Queue = InstanceType<BullMQ['Queue']>;
type QueueEvents = InstanceType<BullMQ['QueueEvents']>;
type Redis = InstanceType<IORedis['Redis']>;

interface Pending {
  payload: TaskPayload;
  signal?: AbortSignal;
  resolve: (result: SweepTaskResult) => void;
  reject: (error: unknown) => void;
  /** Set while the result is being fetched (so a second event does not fetch it again). */
  taking: boolean;
}

const JOB_OPTIONS = {
  attempts: 1, // the sweep driver retries (once, on a fresh worker), not BullMQ
  // Jobs are removed by the coordinator once their result is taken; these bound what a coordinator
  // that died leaves behind.
  removeOnComplete: { age: RESULT_TTL_MS / 1000 },
  removeOnFail: { age: RESULT_TTL_MS / 1000 },
};

export class RedisQueueExecutor implements SweepExecutor {
  readonly concurrency: number;
  /** The sweep's hash: the prefix of every job id, shown to users (a worker's --sweep filter). */
  readonly sweep: string;
  private readonly pending = new Map<string, Pending>();
  /** Signals with our one abort listener (not one per task: the sweep keeps many tasks queued). */
  private readonly hooked = new WeakSet<AbortSignal>();
  private readonly timer: NodeJS.Timeout;
  private closed = false;

  private constructor(
    private readonly queue: Queue,
    private readonly events: QueueEvents,
    /** Reads the result records. */
    private readonly redis: Redis,
    private readonly name: string,
    sweep: string,
    capacity: number,
    pollMs: number,
  ) {
    this.sweep = sweep;
    this.concurrency = capacity;
    events.on('completed', ({ jobId }) => void this.finished(jobId));
    events.on('failed', ({ jobId, failedReason }) => void this.failed(jobId, failedReason));
    this.timer = setInterval(() => void this.poll(), pollMs);
    this.timer.unref();
  }

  /** Connects to Redis (the queue and its event stream) before the sweep starts. */
  static async connect(options: RedisQueueExecutorOptions): Promise<RedisQueueExecutor> {
    if (typeof options !== 'object' || options === null) throw new InvalidParameterError('options', 'an object { url, … }', options);
    const connection = parseRedisUrl(options.url, 'url');
    const name = options.name ?? DEFAULT_QUEUE_NAME;
    if (typeof name !== 'string' || !/^[A-Za-z0-9_.-]{1,100}$/.test(name)) throw new InvalidParameterError('name', 'a queue name of letters, digits, _ . -', name);
    const capacity = checkInteger('capacity', options.capacity ?? 32, 1, 1 << 16);
    const pollMs = checkInteger('pollMs', options.pollMs ?? 2000, 10, 3_600_000);
    const { Queue, QueueEvents } = await loadBullmq();
    const redis = await connectRedis(connection, options.url);
    const queue = new Queue(name, { connection });
    const events = new QueueEvents(name, { connection });
    // Connection errors after this point are retried by ioredis; the poll catches up afterwards.
    queue.on('error', () => {});
    events.on('error', () => {});
    try {
      // Subscribed before the first job is added, so no completion can be missed.
      await Promise.all([queue.waitUntilReady(), events.waitUntilReady()]);
    } catch (error) {
      await Promise.allSettled([queue.close(), events.close(), redis.quit()]);
      throw new Error(`cannot reach the Redis queue at ${redactUrl(options.url)}: ${(error as Error).message}`);
    }
    const sweep = sweepHash(options.sweep ?? randomUUID());
    return new RedisQueueExecutor(queue, events, redis, name, sweep, capacity, pollMs);
  }

  /** Worker processes connected to the queue now (they come and go). */
  async workers(): Promise<number> {
    return this.queue.getWorkersCount();
  }

  run(task: SweepTask, options: RunOptions): Promise<SweepTaskResult> {
    if (this.closed) return Promise.reject(new Error('the queue executor is closed'));
    if (options.signal?.aborted) return Promise.reject(abortError());
    // `fresh` (the retry) needs nothing here: the task's attempt number makes it a new job, and a
    // worker runs attempt > 0 on a new thread.
    const payload = taskPayload(this.sweep, task);
    const id = jobIdOf(payload);
    const signal = options.signal;
    if (signal && !this.hooked.has(signal)) {
      this.hooked.add(signal);
      signal.addEventListener('abort', () => this.withdraw(signal), { once: true });
    }
    return new Promise<SweepTaskResult>((resolve, reject) => {
      if (this.pending.has(id)) {
        reject(new Error(`task ${id} is already pending`));
        return;
      }
      this.pending.set(id, { payload, signal, resolve, reject, taking: false });
      this.enqueue(id).catch((error) => this.settle(id, (p) => p.reject(error)));
    });
  }

  /** The sweep stopped: its tasks not started yet are withdrawn (an active job cannot be removed; its record expires). */
  private withdraw(signal: AbortSignal): void {
    for (const [id, entry] of [...this.pending]) {
      if (entry.signal !== signal) continue;
      this.settle(id, (p) => p.reject(abortError()));
      this.queue.remove(id).catch(() => {});
    }
  }

  /** Adds the job, unless Redis already holds it (a resumed coordinator, a task enqueued twice). */
  private async enqueue(id: string): Promise<void> {
    const entry = this.pending.get(id);
    if (!entry) return;
    const state = await this.queue.getJobState(id);
    if (state === 'completed') return this.finished(id);
    // A failure left by an earlier coordinator is not this run's: run the task again.
    if (state === 'failed') await this.queue.remove(id);
    if (state === 'unknown' || state === 'failed') await this.queue.add('task', entry.payload, { ...JOB_OPTIONS, jobId: id });
  }

  /** Settles a pending run once; later events for the same key find nothing and are ignored. */
  private settle(id: string, how: (p: Pending) => void): void {
    const entry = this.pending.get(id);
    if (!entry) return;
    this.pending.delete(id);
    how(entry);
  }

  /** A job completed: take its result record (and then free the job and the record). */
  private async finished(id: string): Promise<void> {
    const entry = this.pending.get(id);
    if (!entry || entry.taking) return;
    entry.taking = true;
    try {
      const bytes = await this.redis.getdelBuffer(resultKey(this.name, id));
      if (bytes === null) {
        // Completed but its record is gone (taken by a coordinator that died before writing it):
        // the job is run again.
        await this.queue.remove(id);
        entry.taking = false;
        await this.queue.add('task', entry.payload, { ...JOB_OPTIONS, jobId: id });
        return;
      }
      const result = decodeResult(bytes, entry.payload);
      this.queue.remove(id).catch(() => {});
      this.settle(id, (p) => p.resolve(result));
    } catch (error) {
      this.settle(id, (p) => p.reject(error));
    }
  }

  private failed(id: string, reason: string): void {
    if (!this.pending.has(id)) return;
    // The failed job is removed so that a rerun (or a resumed coordinator) can enqueue it again.
    this.queue.remove(id).catch(() => {});
    this.settle(id, (p) => p.reject(new Error(`worker failed: ${reason}`)));
  }

  /** The safety net for events lost while disconnected: look every pending job up. */
  private async poll(): Promise<void> {
    for (const [id, entry] of [...this.pending]) {
      if (entry.taking) continue;
      try {
        const state = await this.queue.getJobState(id);
        if (state === 'completed') await this.finished(id);
        else if (state === 'failed') this.failed(id, (await this.queue.getJob(id))?.failedReason ?? 'unknown reason');
        else if (state === 'unknown' && this.pending.get(id) === entry && !entry.taking) await this.queue.add('task', entry.payload, { ...JOB_OPTIONS, jobId: id });
      } catch {
        // Redis unreachable for now: ioredis reconnects; try again at the next poll.
      }
    }
  }

  /** Withdraws the jobs not started yet and disconnects (never touches other sweeps' jobs). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.timer);
    const left = [...this.pending.keys()];
    for (const id of left) this.settle(id, (p) => p.reject(abortError()));
    await Promise.allSettled(left.map((id) => this.queue.remove(id)));
    await Promise.allSettled([this.events.close(), this.queue.close(), this.redis.quit()]);
  }
}
