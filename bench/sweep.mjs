// Sweep benchmark (issue 4), against the built package (npm run bench:sweep builds first).
// - Monte Carlo: leaf-votes per second of a sweep on 1 and 2 Piscina workers, against calling the
//   simulator directly in-thread on the same cells and chunks (§D4). Configurations are interleaved
//   round by round so machine noise hits them alike; medians; ratios come from the same run.
// - Theory: a 1000×1000 (γ, ρ) sweep on 2 workers, cold (pool created by the sweep) and warm, read
//   per cell (the async-iterable API) and per block; peak heap and RSS while streaming.
// Targets: 2 workers ≥ 1.8× 1 worker; 1 worker ≥ 0.9× in-thread; 1000×1000 theory < 3 s.
import { availableParallelism, loadavg } from 'node:os';
import { Worker } from 'node:worker_threads';
import { PiscinaExecutor, simulateTreeChunk, sweep, TRIALS_PER_CHUNK } from '../dist/node.js';

const ROUNDS = Number(process.env.ROUNDS ?? 5);
const MB = 2 ** 20;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// ---- Monte Carlo: 16 cells (γ × ρ) of b = 3, depth 7 (2187 leaves), one §D4 chunk of 65,536 trials each.
const mcSpec = {
  b: [3], gamma: [0.6, 0.7, 0.8, 0.9], rho: [0, 0.1, 0.2, 0.3], u0: [0.05], depth: [7],
  trials: [TRIALS_PER_CHUNK], compute: 'montecarlo',
};
const SEED = 2026;
const mcCells = 16;
const leafVotes = mcCells * TRIALS_PER_CHUNK * 3 ** 7;

function directInThread() {
  // What the sweep does per (cell, chunk), without any sweep machinery.
  let correct = 0;
  let cell = 0;
  for (const gamma of mcSpec.gamma) for (const rho of mcSpec.rho) {
    const spec = { tree: { b: 3, gamma, rho }, u0: 0.05, depth: 7, mode: 'full' };
    correct += simulateTreeChunk(spec, { seed: SEED, cell, chunk: 0, trials: TRIALS_PER_CHUNK }).correct;
    cell++;
  }
  return correct;
}

// The machine's own ceiling: the same chunks split over bare worker_threads (no Piscina, no sweep).
const cellList = [];
for (const gamma of mcSpec.gamma) for (const rho of mcSpec.rho) cellList.push({ cell: cellList.length, gamma, rho });
const rawThreads = [0, 1].map(() => new Worker(new URL('./sweepRawThread.mjs', import.meta.url)));
function onRawThreads(n) {
  const parts = Array.from({ length: n }, (_, t) => cellList.filter((c) => c.cell % n === t));
  return Promise.all(parts.map((cells, t) => new Promise((resolve) => {
    rawThreads[t].once('message', resolve);
    rawThreads[t].postMessage({ cells, seed: SEED, trials: TRIALS_PER_CHUNK });
  }))).then((counts) => counts.reduce((a, b) => a + b, 0));
}

async function viaSweep(executor) {
  let correct = 0;
  for await (const block of sweep(mcSpec, { executor, seed: SEED }).blocks()) for (const c of block.montecarlo.correct) correct += c;
  return correct;
}

/** Wall time, and CPU time of the whole process (all threads): cpu/wall = cores actually obtained. */
async function timed(fn) {
  const cpu = process.cpuUsage();
  const t = performance.now();
  const value = await fn();
  const seconds = (performance.now() - t) / 1000;
  const used = process.cpuUsage(cpu);
  return { seconds, cores: (used.user + used.system) / 1e6 / seconds, value };
}
const loadAtStart = loadavg();

const pools = { 1: new PiscinaExecutor({ workers: 1 }), 2: new PiscinaExecutor({ workers: 2 }) };
// Warm-up: threads start and compile the WASM module once; the in-thread kernel is warmed too.
await viaSweep(pools[1]);
await viaSweep(pools[2]);
directInThread();
await onRawThreads(1);
await onRawThreads(2);

const mcTimes = { direct: [], 1: [], 2: [], raw1: [], raw2: [] };
const mcCores = { direct: [], 1: [], 2: [], raw1: [], raw2: [] };
let checksum = null;
for (let round = 0; round < ROUNDS; round++) {
  const runs = [['direct', () => directInThread()], ['1', () => viaSweep(pools[1])], ['2', () => viaSweep(pools[2])],
    ['raw1', () => onRawThreads(1)], ['raw2', () => onRawThreads(2)]];
  // Rotate the order each round.
  for (let k = 0; k < runs.length; k++) {
    const [name, fn] = runs[(k + round) % runs.length];
    const { seconds, cores, value } = await timed(fn);
    mcCores[name].push(cores);
    checksum ??= value;
    if (value !== checksum) throw new Error(`${name}: ${value} correct votes, expected ${checksum} (§D4 determinism broken)`);
    mcTimes[name].push(seconds);
  }
}
await Promise.all(Object.values(pools).map((p) => p.close()));
await Promise.all(rawThreads.map((w) => w.terminate()));
const mcRate = Object.fromEntries(Object.entries(mcTimes).map(([k, ts]) => [k, leafVotes / median(ts)]));

// ---- Theory: 1000 × 1000 (γ, ρ) at b = 5, u_0 = 0.05, depth 10.
const N = Number(process.env.GRID ?? 1000);
const theorySpec = { b: [5], gamma: { start: 0, stop: 1, count: N }, rho: { start: 0, stop: 1, count: N }, u0: [0.05], depth: [10] };
let peakRss = 0;
let peakHeap = 0;
async function perCell(options) {
  let n = 0;
  let sum = 0;
  for await (const cell of sweep(theorySpec, options)) {
    sum += cell.theory.uL;
    if (++n % 8192 === 0) {
      const m = process.memoryUsage();
      peakRss = Math.max(peakRss, m.rss);
      peakHeap = Math.max(peakHeap, m.heapUsed);
    }
  }
  if (n !== N * N) throw new Error(`${n} cells`);
  return sum;
}
async function perBlock(options) {
  let sum = 0;
  for await (const block of sweep(theorySpec, options).blocks()) for (const u of block.theory.uL) sum += u;
  return sum;
}
const theoryTimes = { coldCell: [], warmCell: [], warmBlock: [] };
const warm = new PiscinaExecutor({ workers: 2 });
await perBlock({ executor: warm });
const baseline = process.memoryUsage();
for (let round = 0; round < ROUNDS; round++) {
  theoryTimes.coldCell.push((await timed(() => perCell({ workers: 2 }))).seconds);
  theoryTimes.warmCell.push((await timed(() => perCell({ executor: warm }))).seconds);
  theoryTimes.warmBlock.push((await timed(() => perBlock({ executor: warm }))).seconds);
}
await warm.close();

// ---- Report.
const f = (x, d = 2) => x.toFixed(d);
const G = (x) => `${f(x / 1e9)} G/s`;
console.log(`\n## Sweep benchmark\n\n\`npm run bench:sweep\` — Node ${process.version}, ${availableParallelism()} cores, load average (1/5/15 min) ${loadAtStart.map((x) => f(x, 1)).join(' / ')} at start, ${loadavg().map((x) => f(x, 1)).join(' / ')} at end, medians of ${ROUNDS} interleaved rounds.\n`);
console.log('| Measurement | Median | Rate | Ratio | Target | Cores obtained (CPU/wall) |');
console.log('|---|---|---|---|---|---|');
const c = (k) => f(median(mcCores[k]));
console.log(`| MC, simulator called in-thread (16 cells × 65,536 trials, b = 3, L = 7) | ${f(median(mcTimes.direct))} s | ${G(mcRate.direct)} leaf-votes | 1.00 | | ${c('direct')} |`);
console.log(`| MC sweep, Piscina, 1 worker | ${f(median(mcTimes[1]))} s | ${G(mcRate[1])} leaf-votes | ${f(mcRate[1] / mcRate.direct)} × in-thread | ≥ 0.90 ${mcRate[1] / mcRate.direct >= 0.9 ? '✅' : '❌'} | ${c(1)} |`);
console.log(`| MC sweep, Piscina, 2 workers | ${f(median(mcTimes[2]))} s | ${G(mcRate[2])} leaf-votes | ${f(mcRate[2] / mcRate[1])} × 1 worker | ≥ 1.80 ${mcRate[2] / mcRate[1] >= 1.8 ? '✅' : '❌'} | ${c(2)} |`);
console.log(`| MC, bare worker_threads (no pool), 1 thread | ${f(median(mcTimes.raw1))} s | ${G(mcRate.raw1)} leaf-votes | ${f(mcRate.raw1 / mcRate.direct)} × in-thread | | ${c('raw1')} |`);
console.log(`| MC, bare worker_threads (no pool), 2 threads: the machine's ceiling | ${f(median(mcTimes.raw2))} s | ${G(mcRate.raw2)} leaf-votes | ${f(mcRate.raw2 / mcRate.raw1)} × 1 thread | | ${c('raw2')} |`);
console.log(`| Piscina 2 workers against the bare 2-thread ceiling | | | ${f(mcRate[2] / mcRate.raw2)} | | |`);
const cold = median(theoryTimes.coldCell);
console.log(`| Theory ${N}×${N}, 2 workers, pool started by the sweep, per-cell iteration | ${f(cold)} s | ${f(N * N / cold / 1e6)} M cells/s | | < 3 s ${cold < 3 ? '✅' : '❌'} | |`);
console.log(`| Theory ${N}×${N}, 2 workers, warm pool, per-cell iteration | ${f(median(theoryTimes.warmCell))} s | ${f(N * N / median(theoryTimes.warmCell) / 1e6)} M cells/s | | | |`);
console.log(`| Theory ${N}×${N}, 2 workers, warm pool, columnar blocks | ${f(median(theoryTimes.warmBlock))} s | ${f(N * N / median(theoryTimes.warmBlock) / 1e6)} M cells/s | | | |`);
console.log(`\nStreaming ${N * N} theory cells per cell: peak heapUsed ${f(peakHeap / MB, 0)} MB (baseline ${f(baseline.heapUsed / MB, 0)} MB), peak RSS ${f(peakRss / MB, 0)} MB (baseline ${f(baseline.rss / MB, 0)} MB; RSS includes the worker threads).`);
