// Benchmark of the Monte Carlo core (SPEC §D1) against the built package (dist/): leaf-votes per
// second of the full-tree simulator on one core, against a straightforward scalar TypeScript
// simulator of the same model (below) and against the scalar WebAssembly reference, all measured in
// this run; medians of several repetitions. Run with `npm run bench:simulate`.
// Workload: b^depth leaf-votes per trial, whatever the simulator. In the standard model the
// bit-parallel simulator draws each leaf's RECEIVED vote as one Bernoulli((1 + γ·u_0)/2) word (the
// fused leaf draw of assembly/montecarlo/tree.ts, exact by §B4); the two scalar baselines draw the
// vote and its channel flip separately, as one would write the model directly.
import os from 'node:os';
import {
  instantiateKernel, simulateTreeChunk, simulateTreeScalarChunk, simulateTree, trajectory,
} from '../dist/index.js';

const REPS = Number(process.env.BENCH_REPS ?? 7);

/**
 * The same model (§B4, §D1), one trial at a time, as one would write it in TypeScript: xoshiro128**
 * (a fast seeded 32-bit generator; not Math.random) and one uniform per Bernoulli draw.
 */
function typescriptSimulator(level, u0, depth, trials, seed) {
  let s0 = seed | 1, s1 = 0x9e3779b9, s2 = 0x85ebca6b, s3 = 0xc2b2ae35;
  const next = () => {
    const r = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
    const t = s1 << 9;
    s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t; s3 = rotl(s3, 11);
    return r;
  };
  const rotl = (x, k) => (x << k) | (x >>> (32 - k));
  for (let i = 0; i < 16; i++) next();
  const TWO32 = 2 ** 32;
  const pLeaf = ((1 + u0) / 2) * TWO32;
  const pFlip = ((1 - level.gamma) / 2) * TWO32;
  const pShared = level.rho * TWO32;
  const b = level.b;
  const h = (b + 1) / 2;
  const node = (l) => {
    if (l === 0) return next() < pLeaf ? 1 : 0;
    let count = 0, first = 0;
    for (let i = 0; i < b; i++) {
      const r = node(l - 1) ^ (next() < pFlip ? 1 : 0);
      if (i === 0) first = r;
      count += r;
    }
    if (next() < pShared) return first;
    return count >= h ? 1 : 0;
  };
  let correct = 0;
  for (let t = 0; t < trials; t++) correct += node(depth);
  return correct;
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/**
 * Median wall-clock and process-CPU seconds of `run` over REPS repetitions, after one warm-up. The
 * CPU time (process.cpuUsage: this thread plus V8's helper threads, so never smaller than the
 * thread's own) shows how much of the wall time was lost to other processes on a shared machine.
 */
function time(run) {
  run(0);
  const wall = [];
  const cpu = [];
  for (let i = 1; i <= REPS; i++) {
    const c0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    run(i);
    wall.push(Number(process.hrtime.bigint() - t0) / 1e9);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1e6);
  }
  return { wall: median(wall), cpu: median(cpu) };
}

const plain = await instantiateKernel('plain');
const simd = await instantiateKernel('simd');
const rows = [];
const levelRows = [];
const checks = [];

function fullTreeCase(b, depth, trials) {
  const level = { b, gamma: 0.9, rho: 0.2 };
  const u0 = 0.2;
  const leaves = b ** depth;
  const spec = { tree: level, u0, depth, mode: 'full' };
  const rate = (n, t) => ({ wall: (n * leaves) / t.wall, cpu: (n * leaves) / t.cpu });
  const at = (i, n) => ({ seed: 1, cell: 0, chunk: i, trials: n });
  const simdRate = rate(trials, time((i) => simulateTreeChunk(spec, at(i, trials), simd)));
  const plainRate = rate(trials, time((i) => simulateTreeChunk(spec, at(i, trials), plain)));
  const scalarTrials = Math.max(128, Math.round(trials / 16));
  const scalarRate = rate(scalarTrials, time((i) => simulateTreeScalarChunk(spec, at(i, scalarTrials), simd)));
  const tsTrials = Math.max(64, Math.round(trials / 64));
  const tsRate = rate(tsTrials, time((i) => typescriptSimulator(level, u0, depth, tsTrials, i + 1)));
  const config = `b = ${b}, depth ${depth}`;
  const fmt = (r) => `${(r / 1e9).toFixed(3)}·10⁹`;
  const row = (name, r) => rows.push([name, config, fmt(r.wall), fmt(r.cpu), `${(r.wall / tsRate.wall).toFixed(1)}×`, `${(r.wall / scalarRate.wall).toFixed(1)}×`]);
  row('bit-parallel, SIMD build (default)', simdRate);
  row('bit-parallel, plain build', plainRate);
  row('scalar WebAssembly reference', scalarRate);
  row('scalar TypeScript (in this file)', tsRate);
  // Sanity: the measured simulator estimates the exact u_L (§B6).
  const check = simulateTree({ ...spec, trials: 65_536, seed: 99 });
  const uL = trajectory(level, u0, depth)[depth];
  checks.push(`b = ${b}, depth ${depth}: simulated bias ${check.bias.toFixed(4)} ± ${check.stdError.toFixed(4)}, exact u_L = ${uL.toFixed(4)}`);
  return { simdRate, tsRate };
}

const main = fullTreeCase(3, 8, 65_536);
fullTreeCase(5, 6, 32_768);

// Level-wise (§D1b): b = 5, depth 30, 50,000 trials (population) per level.
{
  const level = { b: 5, gamma: 0.6, rho: 0.1 };
  const spec = { tree: level, u0: 0.05, depth: 30, mode: 'levels' };
  const n = 50_000;
  for (const [name, k] of [['SIMD', simd], ['plain', plain]]) {
    const t = time((i) => simulateTreeChunk(spec, { seed: 1, cell: 0, chunk: i, trials: n }, k));
    levelRows.push([`level by level, ${name} build`, `${(t.wall * 1000).toFixed(1)} ms`, `${(t.cpu * 1000).toFixed(1)} ms`,
      `${((n * 30 * 5) / t.wall / 1e6).toFixed(0)}·10⁶`]);
  }
}

const cores = os.availableParallelism?.() ?? os.cpus().length;
console.log(`Node ${process.version}, ${os.cpus()[0]?.model ?? 'unknown CPU'}, ${cores} cores (all runs on one thread), medians of ${REPS} runs\n`);
console.log('Full tree (§D1a), u0 = 0.2, γ = 0.9, ρ = 0.2, one thread; ratios from wall-clock medians.');
console.log('Leaf-votes = b^depth per trial. Bit-parallel: one word per leaf (its received vote, fused leaf draw);');
console.log('scalar baselines: a vote draw and a flip draw per leaf.\n');
console.log('| simulator | tree | leaf-votes/s (wall) | leaf-votes/s (CPU time) | vs TypeScript | vs scalar WASM |');
console.log('|---|---|---|---|---|---|');
for (const r of rows) console.log(`| ${r.join(' | ')} |`);
console.log('\nLevel by level (§D1b), b = 5, depth 30, γ = 0.6, ρ = 0.1, u0 = 0.05, 50,000 nodes per level:\n');
console.log('| simulator | time per run (wall) | time per run (CPU) | member picks/s (wall) |');
console.log('|---|---|---|---|');
for (const r of levelRows) console.log(`| ${r.join(' | ')} |`);
console.log('');
const fast = main.simdRate.wall;
const ratio = fast / main.tsRate.wall;
console.log(`Targets (b = 3, depth 8, wall clock): ≥ 1.5·10⁹ leaf-votes/s → ${fast >= 1.5e9 ? 'met' : 'MISSED'} (${(fast / 1e9).toFixed(3)}·10⁹); ` +
  `≥ 20× TypeScript → ${ratio >= 20 ? 'met' : 'MISSED'} (${ratio.toFixed(1)}×)`);
for (const c of checks) console.log(`check: ${c}`);
