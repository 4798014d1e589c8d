// `synergy worker --queue redis://…` (issue 14): one member of the elastic pool. Start as many as you
// like, on any machines that reach the Redis server, whenever you like; stop them with Ctrl-C or
// SIGTERM (the running tasks finish and are delivered first) — or kill them: their tasks go back to
// the queue once their lock expires, and another worker runs them.
import { constants as osConstants } from 'node:os';
import type { Command } from 'commander';
import { InvalidParameterError } from '../errors.ts';
import { runQueueWorker } from '../sweep/queueWorker.ts';
import { parseRedisUrl } from '../sweep/redisConnection.ts';
import { parseInteger } from './options.ts';

interface WorkerFlags {
  queue?: string;
  workers?: string;
  lockDuration: string;
  sweep?: string;
  json?: boolean;
}

async function runWorker(f: WorkerFlags): Promise<void> {
  if (f.queue === undefined) throw new InvalidParameterError('--queue', 'the Redis URL of the sweep queue, e.g. redis://host:6379', undefined);
  parseRedisUrl(f.queue, '--queue');
  const workers = f.workers === undefined ? undefined : parseInteger('workers', f.workers, 1);
  const lockDuration = parseInteger('lock-duration', f.lockDuration, 1000);
  if (f.sweep !== undefined && !/^[0-9a-f]{24}$/.test(f.sweep)) throw new InvalidParameterError('--sweep', 'a sweep hash of 24 hex digits (as `synergy sweep --queue` prints it)', f.sweep);
  const stop = new AbortController();
  let stopping = false;
  const onSignal = (signal: 'SIGINT' | 'SIGTERM') => () => {
    // The first signal stops taking tasks and lets the running ones deliver; a second one exits now
    // (the running tasks go back to the queue when their lock expires).
    if (stopping) process.exit(128 + osConstants.signals[signal]);
    stopping = true;
    stop.abort();
  };
  const onSigint = onSignal('SIGINT');
  const onSigterm = onSignal('SIGTERM');
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigterm);
  try {
    const summary = await runQueueWorker({
      url: f.queue, workers, lockDuration, sweep: f.sweep, signal: stop.signal,
      log: (line) => process.stderr.write(`synergy worker: ${line}\n`),
    });
    if (f.json) process.stdout.write(JSON.stringify(summary) + '\n');
    else process.stderr.write(`synergy worker: stopped after ${summary.tasks} task${summary.tasks === 1 ? '' : 's'}${summary.refused > 0 ? ` (${summary.refused} refused)` : ''}\n`);
  } finally {
    process.off('SIGINT', onSigint);
    process.off('SIGTERM', onSigterm);
  }
}

export function registerWorkerCommand(root: Command): void {
  root.command('worker').description('run sweep tasks from a Redis queue (`synergy sweep --queue`) until stopped; start any number, anywhere')
    .option('--queue <url>', 'redis://[user:password@]host[:port][/db], rediss://… or unix:///path/to/redis.sock')
    .option('--workers <n>', 'worker threads = tasks run at once (default: all cores)')
    .option('--lock-duration <ms>', 'a killed worker\'s tasks return to the queue this long after its last lock renewal', '30000')
    .option('--sweep <hash>', 'serve only this sweep (its hash is printed by `synergy sweep --queue`); others are put back')
    .option('--json', 'print a machine-readable summary when stopped')
    .action(runWorker);
}
