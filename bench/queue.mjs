// Queue benchmark (issue 14), against the built package (npm run bench:queue builds first).
// Throughput of a Monte Carlo sweep of ~1 s tasks on the Redis queue executor with 2 local
// `synergy worker` processes (1 thread each) against a 2-thread Piscina pool in this process: the
// same tasks (same leafVotesPerTask), interleaved round by round, medians, ratio from the same run.
// Target: queue ≥ 0.9× Piscina. Starts its own redis-server (unix socket, no persistence).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PiscinaExecutor, RedisQueueExecutor, sweep, TRIALS_PER_CHUNK } from '../dist/node.js';

const REDIS = process.env.REDIS_SERVER ?? '/usr/bin/redis-server';
if (!existsSync(REDIS)) {
  console.error(`bench/queue.mjs needs redis-server (${REDIS} is missing: apt-get install redis-server)`);
  process.exit(2);
}
const ROUNDS = Number(process.env.ROUNDS ?? 5);
const BIN = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// 12 cells of b = 3, depth 7 (2187 leaves), 8 §D4 chunks each: one task per cell of ~1.1e9 leaf-votes (~1 s).
const spec = { b: [3], gamma: [0.7, 0.8, 0.9], rho: [0, 0.1, 0.2, 0.3], u0: [0.05], depth: [7], trials: [8 * TRIALS_PER_CHUNK], compute: 'montecarlo' };
const LEAF_VOTES_PER_TASK = 2 ** 30;
const SEED = 2026;
const leafVotes = 12 * 8 * TRIALS_PER_CHUNK * 3 ** 7;

const dir = await mkdtemp(join(tmpdir(), 'synergy-bench-queue-'));
const socket = join(dir, 'redis.sock');
const url = `unix://${socket}`;
const redis = spawn(REDIS, ['--save', '', '--appendonly', 'no', '--port', '0', '--unixsocket', socket, '--dir', dir], { stdio: 'ignore' });
while (!existsSync(socket)) await sleep(20);
const workers = [0, 1].map(() => {
  const child = spawn(process.execPath, [BIN, 'worker', '--queue', url, '--workers', '1'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr.on('data', (d) => (log += d));
  return { child, ready: async () => { while (!log.includes('worker ready')) await sleep(20); } };
});
await Promise.all(workers.map((w) => w.ready()));

const queue = await RedisQueueExecutor.connect({ url, capacity: 2, sweep: { bench: 'queue' } });
const piscina = new PiscinaExecutor({ workers: 2 });

async function run(executor) {
  let correct = 0;
  for await (const block of sweep(spec, { executor, seed: SEED, leafVotesPerTask: LEAF_VOTES_PER_TASK }).blocks()) for (const c of block.montecarlo.correct) correct += c;
  return correct;
}

const loadAtStart = loadavg();
// Warm-up: threads start and compile the WASM module.
let checksum = await run(piscina);
if ((await run(queue)) !== checksum) throw new Error('queue and Piscina disagree (§D4 determinism broken)');
const times = { piscina: [], queue: [] };
for (let round = 0; round < ROUNDS; round++) {
  const order = round % 2 === 0 ? ['piscina', 'queue'] : ['queue', 'piscina'];
  for (const name of order) {
    const t = performance.now();
    const value = await run(name === 'queue' ? queue : piscina);
    times[name].push((performance.now() - t) / 1000);
    if (value !== checksum) throw new Error(`${name}: ${value} correct votes, expected ${checksum}`);
  }
}
await queue.close();
await piscina.close();
for (const w of workers) w.child.kill('SIGTERM');
await Promise.all(workers.map((w) => new Promise((resolve) => w.child.on('close', resolve))));
redis.kill('SIGTERM');
await rm(dir, { recursive: true, force: true });

const f = (x, d = 2) => x.toFixed(d);
const rate = (k) => leafVotes / median(times[k]);
console.log(`\n## Queue benchmark\n\n\`npm run bench:queue\` — Node ${process.version}, ${availableParallelism()} cores, load average (1/5/15 min) ${loadAtStart.map((x) => f(x, 1)).join(' / ')} at start, ${loadavg().map((x) => f(x, 1)).join(' / ')} at end, medians of ${ROUNDS} interleaved rounds; 12 tasks of ~1.1e9 leaf-votes.\n`);
console.log('| Executor | Median | Rate | Ratio | Target |');
console.log('|---|---|---|---|---|');
console.log(`| Piscina, 2 threads in this process | ${f(median(times.piscina))} s | ${f(rate('piscina') / 1e9)} G leaf-votes/s | 1.00 | |`);
const ratio = rate('queue') / rate('piscina');
console.log(`| Redis queue, 2 \`synergy worker\` processes × 1 thread | ${f(median(times.queue))} s | ${f(rate('queue') / 1e9)} G leaf-votes/s | ${f(ratio)} × Piscina | ≥ 0.90 ${ratio >= 0.9 ? '✅' : '❌'} |`);
