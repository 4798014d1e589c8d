// Benchmark of the plurality simulator (SPEC §H6) against the built package (dist/): leaf-votes per
// second of the full-tree simulator on one thread, against a vectorised numpy simulator of the same
// model (bench/plurality_numpy.py, spawned here), both measured in this run; medians of repetitions.
// Each rate is given per wall-clock second and per CPU second of the measuring process (Node:
// process.cpuUsage; Python: time.process_time, both counting every thread of the process). On a
// machine shared with other work the wall clock also counts time the process waited for a core, so
// the CPU-time ratio is the steadier one; the WASM repetitions are split around the numpy run so both
// see the same load. Run with `npm run bench:plurality`.
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import { instantiateKernel, simulatePluralityChunk } from '../dist/index.js';

const REPS = Number(process.env.BENCH_REPS ?? 6);
const cases = [
  { b: 3, K: 4, depth: 8, gamma: 0.9, rho: 0.1, p0: 0.5, trials: 4096, numpyTrials: 64 },
  { b: 5, K: 10, depth: 6, gamma: 0.9, rho: 0.1, p0: 0.3, trials: 2048, numpyTrials: 16 },
];
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const h = s.length >> 1; return s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2; };
const cpuSeconds = (since) => { const u = process.cpuUsage(since); return (u.user + u.system) / 1e6; };
const M = (x) => `${(x / 1e6).toFixed(1)}M`;

console.log(`plurality full-tree simulator, one thread; ${os.cpus().length} cores, load average ${os.loadavg()[0].toFixed(1)}; medians of ${REPS}`);
for (const flavour of ['plain', 'simd']) {
  const k = await instantiateKernel(flavour);
  for (const c of cases) {
    const spec = { tree: { b: c.b, gamma: c.gamma, rho: c.rho }, task: { answers: c.K }, p0: c.p0, depth: c.depth, mode: 'full' };
    const votes = c.trials * c.b ** c.depth;
    simulatePluralityChunk(spec, { seed: 1, cell: 0, chunk: 0, trials: 256 }, k);
    const wall = [], cpu = [];
    const wasmReps = (from, to) => {
      for (let r = from; r < to; r++) {
        const t = performance.now(), u = process.cpuUsage();
        simulatePluralityChunk(spec, { seed: 1, cell: 0, chunk: r, trials: c.trials }, k);
        cpu.push(votes / cpuSeconds(u));
        wall.push(votes / ((performance.now() - t) / 1000));
      }
    };
    wasmReps(0, REPS >> 1);
    const out = execFileSync('python3', [new URL('./plurality_numpy.py', import.meta.url).pathname,
      c.b, c.K, c.depth, c.gamma, c.rho, c.p0, c.numpyTrials, REPS].map(String), { encoding: 'utf8' });
    wasmReps(REPS >> 1, REPS);
    const numpy = JSON.parse(out);
    const [w, wc] = [median(wall), median(cpu)];
    console.log(`${flavour.padEnd(5)} b=${c.b} K=${c.K} depth=${c.depth}: wasm ${M(w)} leaf-votes/s (per CPU s ${M(wc)}), `
      + `numpy ${(numpy.leafVotesPerSecond / 1e6).toFixed(2)}M (per CPU s ${(numpy.leafVotesPerCpuSecond / 1e6).toFixed(2)}M), `
      + `ratio ${(w / numpy.leafVotesPerSecond).toFixed(1)}× wall, ${(wc / numpy.leafVotesPerCpuSecond).toFixed(1)}× CPU`);
  }
}
