// The elastic pool on a real Redis (issue 14): the test starts Debian's redis-server on a unix socket
// in a temp dir (no persistence), runs `synergy worker` processes and `synergy sweep --queue`, and
// every time — 2 workers, one SIGKILLed mid-task, a task that throws once (and one whose thread
// dies), a worker joining late, the coordinator interrupted and resumed — the output equals the
// bytes one process writes (§D4). Skipped, loudly, only when redis-server is not installed.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Queue, QueueEvents } from 'bullmq';
import { Redis } from 'ioredis';
import { InThreadExecutor, RedisQueueExecutor, sweep, type SweepSpec } from '../../src/node.ts';
import { PACKAGE_VERSION, taskPayload, jobIdOf } from '../../src/sweep/queueProtocol.ts';
import { planTasks } from '../../src/sweep/plan.ts';
import { resolveSweepSpec } from '../../src/sweep/spec.ts';
import { QUEUE_CHUNK_SIZE, QUEUE_LEAF_VOTES_PER_TASK } from '../../src/cli/queueSweep.ts';
import { sweepBytes } from '../sweep/sweepBytes.ts';
import { BIN, synergy } from './run.ts';

const REDIS = '/usr/bin/redis-server';
const available = existsSync(REDIS);
if (!available) console.warn(`\n*** REDIS QUEUE TESTS SKIPPED: ${REDIS} is missing (apt-get install redis-server) ***\n`);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// 24 cells of 3 §D4 chunks, cut into tasks of ~2^28 leaf-votes (~0.1–0.3 s of one core each).
const SWEEP = ['sweep', '--b', '3', '--gamma', '0.9', '--u0', '0.2', '--depth', '7', '--axis', 'rho=0:0.5:24', '--trials', '150000', '--seed', '11'];
const SWEEP_SPEC: SweepSpec = { b: [3], gamma: [0.9], u0: [0.2], depth: [7], rho: { start: 0, stop: 0.5, count: 24 }, trials: [150000], compute: 'both' };
/** The tasks `synergy sweep --queue` cuts that sweep into. */
const TASKS = [...planTasks(resolveSweepSpec(SWEEP_SPEC), { start: 0, end: 24, chunkSize: QUEUE_CHUNK_SIZE, leafVotesPerTask: QUEUE_LEAF_VOTES_PER_TASK, seed: 11 })].length;

interface Proc {
  child: ChildProcess;
  stdout: string;
  stderr: string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function start(args: string[], cwd: string): Proc {
  const child = spawn(process.execPath, [BIN, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  const p: Proc = { child, stdout: '', stderr: '', exited: undefined as never };
  child.stdout!.on('data', (d) => (p.stdout += d));
  child.stderr!.on('data', (d) => (p.stderr += d));
  p.exited = new Promise((resolve) => child.on('close', (code, signal) => resolve({ code, signal })));
  return p;
}

async function until(what: string, check: () => boolean | Promise<boolean>, ms = 45_000): Promise<void> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > ms) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

describe.runIf(available)('the Redis queue (real redis-server, worker processes)', () => {
  let dir: string;
  let url: string;
  let redisServer: ChildProcess;
  let reference: Buffer;
  let queue: Queue;
  let events: QueueEvents;
  const procs: Proc[] = [];
  /** Completed and stalled jobs seen on the queue's event stream (the test's own observer). */
  let completed: Array<{ jobId: string; returnvalue: string }> = [];
  let stalled: string[] = [];
  let failed: Array<{ jobId: string; failedReason: string }> = [];

  const worker = async (extra: string[] = []): Promise<Proc> => {
    const p = start(['worker', '--queue', url, '--workers', '1', '--lock-duration', '2000', '--json', ...extra], dir);
    procs.push(p);
    await until('a worker to be ready', () => p.stderr.includes('worker ready'));
    return p;
  };
  const stopWorker = async (p: Proc): Promise<{ tasks: number; refused: number }> => {
    p.child.kill('SIGTERM');
    const { code } = await p.exited;
    expect(code, p.stderr).toBe(0);
    return JSON.parse(p.stdout);
  };
  const coordinator = (out: string, extra: string[] = []): Proc => {
    const p = start([...SWEEP, '--out', out, '--queue', url, ...extra], dir);
    procs.push(p);
    return p;
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'synergy-queue-'));
    const socket = join(dir, 'redis.sock');
    url = `unix://${socket}`;
    redisServer = spawn(REDIS, ['--save', '', '--appendonly', 'no', '--port', '0', '--unixsocket', socket, '--unixsocketperm', '700', '--dir', dir], { stdio: 'ignore' });
    await until('redis-server to listen', () => existsSync(socket), 20_000);
    queue = new Queue('synergy', { connection: { path: socket } });
    events = new QueueEvents('synergy', { connection: { path: socket } });
    await Promise.all([queue.waitUntilReady(), events.waitUntilReady()]);
    events.on('completed', (e) => completed.push(e));
    events.on('stalled', ({ jobId }) => stalled.push(jobId));
    events.on('failed', (e) => failed.push(e));
    const one = await synergy([...SWEEP, '--out', 'one.csv'], { cwd: dir });
    expect(one.code, one.stderr).toBe(0);
    reference = await readFile(join(dir, 'one.csv'));
  });

  beforeEach(async () => {
    completed = [];
    stalled = [];
    failed = [];
    const client = await queue.client;
    await (client as unknown as Redis).flushall();
  });

  afterEach(async () => {
    for (const p of procs.splice(0)) if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
  });

  afterAll(async () => {
    await events?.close();
    await queue?.close();
    redisServer?.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
  });

  it('2 worker processes write the one-process bytes, both doing work', async () => {
    const [a, b] = [await worker(), await worker()];
    const c = coordinator('two.csv');
    const { code } = await c.exited;
    expect(code, c.stderr).toBe(0);
    expect(c.stderr).toMatch(/queue: sweep [0-9a-f]{24} on unix:.*; 2 worker processes connected/);
    expect(await readFile(join(dir, 'two.csv'))).toEqual(reference);
    const [sa, sb] = [await stopWorker(a), await stopWorker(b)];
    expect(sa.tasks).toBeGreaterThan(0);
    expect(sb.tasks).toBeGreaterThan(0);
    // At-least-once: every task ran (a task may run twice, never less).
    expect(TASKS).toBeGreaterThan(16);
    expect(sa.tasks + sb.tasks).toBeGreaterThanOrEqual(TASKS);
    // Every finished job and result record was taken and removed: nothing is left in Redis but metadata.
    const client = (await queue.client) as unknown as Redis;
    expect(await client.keys('bull:synergy:result:*')).toEqual([]);
    expect(await queue.getJobCounts('completed', 'failed', 'waiting', 'active', 'delayed')).toMatchObject({ completed: 0, failed: 0, waiting: 0, active: 0, delayed: 0 });
  });

  it('a worker SIGKILLed mid-task: its task goes back to the queue (stalled) and the bytes are the same', async () => {
    const [a, b] = [await worker(), await worker()];
    const c = coordinator('killed.csv');
    // Both workers busy (each runs one task at a time): a is in the middle of one.
    await until('both workers to hold a task', async () => (await queue.getActiveCount()) === 2 && completed.length >= 2);
    a.child.kill('SIGKILL');
    expect((await a.exited).signal).toBe('SIGKILL');
    const { code } = await c.exited;
    expect(code, c.stderr).toBe(0);
    expect(stalled.length).toBeGreaterThanOrEqual(1);
    expect(await readFile(join(dir, 'killed.csv'))).toEqual(reference);
    expect((await stopWorker(b)).tasks).toBeGreaterThan(0);
  });

  it('a worker joining late takes its share', async () => {
    const c = coordinator('late.csv');
    await until('the coordinator to enqueue', async () => (await queue.getWaitingCount()) > 0);
    expect(c.stderr).toContain('0 worker processes connected now (start some');
    const a = await worker();
    await until('the first worker to finish 4 tasks', () => completed.length >= 4);
    const b = await worker();
    const { code } = await c.exited;
    expect(code, c.stderr).toBe(0);
    expect(await readFile(join(dir, 'late.csv'))).toEqual(reference);
    const [sa, sb] = [await stopWorker(a), await stopWorker(b)];
    expect(sa.tasks).toBeGreaterThanOrEqual(4);
    expect(sb.tasks).toBeGreaterThan(0);
  });

  it('the coordinator interrupted (SIGTERM) and resumed with --resume writes the same bytes', async () => {
    const [a, b] = [await worker(), await worker()];
    const c = coordinator('resumed.csv');
    await until('a third of the tasks to finish', () => completed.length >= TASKS / 3);
    c.child.kill('SIGTERM');
    const first = await c.exited;
    expect(first.code, c.stderr).toBe(143);
    const [, done, total] = /interrupted after (\d+) of (\d+) cells/.exec(c.stderr) ?? [];
    expect(Number(done)).toBeGreaterThan(0);
    expect(Number(done)).toBeLessThan(Number(total));
    // The tasks it had queued and no worker had started were withdrawn.
    await until('running tasks to drain', async () => (await queue.getActiveCount()) === 0);
    expect(await queue.getWaitingCount()).toBe(0);
    const r = coordinator('resumed.csv', ['--resume']);
    const second = await r.exited;
    expect(second.code, r.stderr).toBe(0);
    expect(await readFile(join(dir, 'resumed.csv'))).toEqual(reference);
    await stopWorker(a);
    await stopWorker(b);
  });

  describe('library: RedisQueueExecutor with worker processes', () => {
    const spec: SweepSpec = { b: [3], gamma: [0.7, 0.9], rho: [0, 0.2, 0.4], u0: [0.1], depth: [5, 6], trials: [70_000], compute: 'both' };
    const inThread = () => sweepBytes(sweep(spec, { seed: 3, executor: new InThreadExecutor() }));

    for (const kind of ['throw', 'crash'] as const) {
      it(`a task that fails once (${kind === 'throw' ? 'throws' : 'its thread dies'}) is retried and the bytes are the same`, async () => {
        const [a, b] = [await worker(), await worker()];
        const executor = await RedisQueueExecutor.connect({ url, sweep: { spec, kind } });
        try {
          const bytes = await sweepBytes(sweep(spec, { seed: 3, executor, leafVotesPerTask: 2 ** 24, faultInjection: { cell: 9, kind, failures: 1 } }));
          expect(bytes).toEqual(await inThread());
        } finally {
          await executor.close();
        }
        // Every task holding a chunk of cell 9 failed once (cell 9 spans two tasks here).
        if (kind === 'throw') expect(completed.filter((e) => e.returnvalue === 'failed: InjectedFault').length).toBeGreaterThanOrEqual(1);
        else {
          // The thread's death failed the job; the sweep's retry ran it on a new thread.
          expect(failed.length).toBeGreaterThanOrEqual(1);
          expect(failed[0].failedReason).toMatch(/exit|terminat/i);
          expect((await stopWorker(a)).tasks + (await stopWorker(b)).tasks).toBeGreaterThan(0);
        }
      });
    }

    it('a worker refuses a task of another version (puts it back) and one with a bad digest (fails it)', async () => {
      const a = await worker();
      const task = { index: 0, attempt: 0, theory: { cellStart: 0, cells: 1, boxes: [{ b: [3], gamma: [0.9], rho: [0], u0: [0.1], depths: [5], repeat: 1 }], epsilon: 0.05, maxMixingDepth: 1000 } };
      const other = taskPayload('f'.repeat(24), task, '0.0.0-other');
      await queue.add('task', other, { jobId: jobIdOf(other) });
      const forged = { ...taskPayload('e'.repeat(24), task), task: { ...task, index: 1 } };
      await queue.add('task', forged, { jobId: jobIdOf(forged) });
      await until('both refusals', () => a.stderr.includes('bad digest') || (a.stderr.includes('written by synergy 0.0.0-other') && a.stderr.includes('digest does not match')));
      expect(a.stderr).toContain(`written by synergy 0.0.0-other, this worker is ${PACKAGE_VERSION}; put it back for another worker`);
      await until('the forged task to fail', async () => (await queue.getJobState(jobIdOf(forged))) === 'failed');
      expect(['delayed', 'waiting']).toContain(await queue.getJobState(jobIdOf(other)));
      expect((await stopWorker(a)).tasks).toBe(0);
    });
  });
});

describe('--queue and synergy worker: bad input', () => {
  it('names the flag and the allowed values (exit 2)', async () => {
    const bad = await synergy([...SWEEP, '--out', '/tmp/never.csv', '--queue', 'http://x']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^synergy: --queue must be a Redis URL: redis:\/\/.*; got "http:\/\/x"\n$/);
    const workers = await synergy([...SWEEP, '--out', '/tmp/never.csv', '--queue', 'redis://localhost', '--workers', '2']);
    expect(workers.code).toBe(2);
    expect(workers.stderr).toMatch(/^synergy: --workers must be absent with --queue/);
    const none = await synergy(['worker']);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/^synergy: --queue must be the Redis URL of the sweep queue/);
    const sweepHash = await synergy(['worker', '--queue', 'redis://localhost', '--sweep', 'abc']);
    expect(sweepHash.code).toBe(2);
    expect(sweepHash.stderr).toMatch(/^synergy: --sweep must be a sweep hash of 24 hex digits/);
  });

  it('an unreachable Redis is one clear line, exit 1', async () => {
    const r = await synergy([...SWEEP, '--out', join(tmpdir(), `synergy-unreachable-${process.pid}.csv`), '--queue', `unix://${join(tmpdir(), 'no-such-redis.sock')}`]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/synergy: cannot reach the Redis queue at unix:/);
  });
});
