// Node entry ("node" export condition): the whole API, with sweeps on a Piscina worker-thread pool
// by default.
import { createSweep } from './sweep/run.ts';
import { PiscinaExecutor } from './sweep/piscinaExecutor.ts';

export * from './index.ts';
export { PiscinaExecutor, type PiscinaExecutorOptions, SWEEP_WORKER_FILE } from './sweep/piscinaExecutor.ts';
export { RedisQueueExecutor, type RedisQueueExecutorOptions } from './sweep/queueExecutor.ts';
export { runQueueWorker, type QueueWorkerOptions, type QueueWorkerSummary } from './sweep/queueWorker.ts';
export { MissingQueuePackagesError } from './sweep/redisConnection.ts';

/** `sweep` with a Piscina pool of `options.workers` threads (default: available parallelism) unless an executor is given. */
export const sweep = createSweep((workers) => new PiscinaExecutor({ workers }));
