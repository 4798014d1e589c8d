// The worker's side of the elastic pool (issue 14): takes sweep tasks from BullMQ and runs them on a
// Piscina pool, so the computation never blocks the event loop that renews BullMQ's job locks — a
// busy worker is never taken for a stalled one. Start and stop any number of them at any time.
import { availableParallelism } from 'node:os';
import { checkInteger, InvalidParameterError } from '../errors.ts';
import { PiscinaExecutor } from './piscinaExecutor.ts';
import { encodeResult, jobIdOf, refusal, type TaskPayload } from './queueProtocol.ts';
import { connectRedis, DEFAULT_QUEUE_NAME, loadBullmq, parseRedisUrl, RESULT_TTL_MS, resultKey } from './redisConnection.ts';

export interface QueueWorkerOptions {
  /** The queue's Redis URL (as the coordinator's). */
  url: string;
  name?: string;
  /** Worker threads, and so tasks run at once (default: available parallelism). */
  workers?: number;
  /**
   * How long a job stays locked without renewal (ms, default 30,000). The lock is renewed every half
   * of it; if this process dies, its tasks go back to the queue this long after its last renewal.
   */
  lockDuration?: number;
  /** Serve only the sweep with this hash (as printed by the coordinator); put back others. */
  sweep?: string;
  /** Stops taking tasks; the running ones finish and their results are delivered. */
  signal?: AbortSignal;
  /** One line per notable event (started, refused a task, stopping). */
  log?: (line: string) => void;
}

export interface QueueWorkerSummary {
  /** Tasks this worker completed (each delivered its result record). */
  tasks: number;
  /** Tasks put back because this worker must not run them (another version or sweep). */
  refused: number;
}

/** How long a refused task waits before it is offered again (to another worker, or this one). */
const REFUSED_DELAY_MS = 1000;

/** Runs a worker until `signal` aborts; resolves when its last task has been delivered. */
export async function runQueueWorker(options: QueueWorkerOptions): Promise<QueueWorkerSummary> {
  if (typeof options !== 'object' || options === null) throw new InvalidParameterError('options', 'an object { url, … }', options);
  const connection = parseRedisUrl(options.url, 'url');
  const name = options.name ?? DEFAULT_QUEUE_NAME;
  const threads = checkInteger('workers', options.workers ?? availableParallelism(), 1, 1024);
  const lockDuration = checkInteger('lockDuration', options.lockDuration ?? 30_000, 1000, 3_600_000);
  const log = options.log ?? (() => {});
  const { Worker, DelayedError, UnrecoverableError } = await loadBullmq();
  const redis = await connectRedis(connection, options.url);
  const pool = new PiscinaExecutor({ workers: threads });
  const summary: QueueWorkerSummary = { tasks: 0, refused: 0 };
  const refusedReasons = new Set<string>();
  const worker = new Worker(name, async (job, token) => {
    const why = refusal(job.data, options.sweep);
    if (why !== null) {
      summary.refused++;
      const corrupt = why.startsWith('its digest');
      if (!refusedReasons.has(why)) log(`refused task ${job.id}: ${why}; ${corrupt ? 'failed it' : 'put it back for another worker'}`);
      refusedReasons.add(why);
      if (corrupt) throw new UnrecoverableError(`task ${job.id}: ${why}`);
      await job.moveToDelayed(Date.now() + REFUSED_DELAY_MS, token);
      throw new DelayedError();
    }
    const payload = job.data as TaskPayload;
    if (job.id !== jobIdOf(payload)) throw new UnrecoverableError(`job ${job.id} holds task ${jobIdOf(payload)}`);
    // A retry (attempt > 0) runs on a brand-new thread, as with the in-process executors.
    const result = await pool.run(payload.task, { fresh: payload.task.attempt > 0 });
    // The record is written before the job completes: a completed job always has its result.
    await redis.set(resultKey(name, job.id!), encodeResult(payload, result), 'PX', RESULT_TTL_MS);
    summary.tasks++;
    return result.ok ? 'ok' : `failed: ${result.name}`;
  }, {
    connection,
    concurrency: threads,
    lockDuration,
    stalledInterval: Math.min(30_000, lockDuration),
    // A job found stalled (its worker died) goes back to the queue; a second time, it fails and the
    // sweep's own retry runs it on a fresh worker.
    maxStalledCount: 1,
    autorun: false,
  });
  worker.on('error', (error) => log(`queue error: ${error.message}`));
  const stopped = new Promise<void>((resolve) => {
    if (options.signal?.aborted) resolve();
    options.signal?.addEventListener('abort', () => resolve(), { once: true });
  });
  try {
    await worker.waitUntilReady();
    log(`worker ready: ${threads} thread${threads === 1 ? '' : 's'} on queue ${name}${options.sweep ? `, sweep ${options.sweep} only` : ''}`);
    const running = worker.run();
    await Promise.race([stopped, running]);
    log('stopping: running tasks finish and are delivered');
  } finally {
    await worker.close();
    await Promise.allSettled([pool.close(), redis.quit()]);
  }
  return summary;
}
