// `synergy sweep --queue redis://…` (issue 14): the sweep's tasks run on `synergy worker` processes
// through a Redis queue instead of local threads; this process plans, assembles and writes, so the
// file is the same bytes (and --resume, shards and merge work the same).
import { InvalidParameterError } from '../errors.ts';
import { RedisQueueExecutor } from '../sweep/queueExecutor.ts';
import { parseRedisUrl, redactUrl } from '../sweep/redisConnection.ts';
import type { SweepOptions, SweepSpec } from '../sweep/index.ts';

/**
 * Work per queued task: larger than for local threads (2^24) so a Redis round trip (~1 ms) is
 * amortised — ~0.3 s of one core for full trees, ~3 s level by level — and far below the workers'
 * lock duration. Results do not depend on it (§D4: chunks are keyed by (cell, chunk)).
 */
export const QUEUE_LEAF_VOTES_PER_TASK = 2 ** 28;
/** Theory cells per queued task (~0.1 s of one core; a ~0.9 MB result record). */
export const QUEUE_CHUNK_SIZE = 16384;

/** Flags that mean nothing with --queue, refused before any work. */
export function checkQueueFlags(f: { queue?: string; workers?: string }): void {
  if (f.queue === undefined) return;
  parseRedisUrl(f.queue, '--queue');
  if (f.workers !== undefined) throw new InvalidParameterError('--workers', 'absent with --queue (the work runs on `synergy worker` processes: give --workers to them)', f.workers);
}

export interface QueuedSweep {
  options: Pick<SweepOptions, 'executor' | 'leafVotesPerTask' | 'chunkSize'>;
  close: () => Promise<void>;
}

/** Connects to the queue when --queue is given; the sweep's identity (spec, seed) keys its tasks. */
export async function queuedSweep(f: { queue?: string }, spec: SweepSpec, seed: number): Promise<QueuedSweep | undefined> {
  if (f.queue === undefined) return undefined;
  const executor = await RedisQueueExecutor.connect({ url: f.queue, sweep: { spec, seed } });
  const workers = await executor.workers();
  process.stderr.write(`queue: sweep ${executor.sweep} on ${redactUrl(f.queue)}; ${workers} worker process${workers === 1 ? '' : 'es'} connected now${workers === 0 ? ' (start some: synergy worker --queue …)' : ''}\n`);
  return {
    options: { executor, leafVotesPerTask: QUEUE_LEAF_VOTES_PER_TASK, chunkSize: QUEUE_CHUNK_SIZE },
    close: () => executor.close(),
  };
}
