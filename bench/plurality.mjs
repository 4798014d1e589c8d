// Benchmark of the plurality simulator (SPEC §H6) against the built package (dist/): leaf-votes per
// second of the full-tree simulator on one thread, against a vectorised numpy simulator of the same
// model (bench/plurality_numpy.py, spawned here), both measured in this run; medians of repetitions.
// Run with `npm run bench:plurality`.
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import { instantiateKernel, simulatePluralityChunk } from '../dist/index.js';

const REPS = Number(process.env.BENCH_REPS ?? 5);
const cases = [
  { b: 3, K: 4, depth: 8, gamma: 0.9, rho: 0.1, p0: 0.5, trials: 2048, numpyTrials: 64 },
  { b: 5, K: 10, depth: 6, gamma: 0.9, rho: 0.1, p0: 0.3, trials: 1024, numpyTrials: 16 },
];
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

console.log(`plurality full-tree simulator, one thread; ${os.cpus().length} cores (shared, loaded); medians of ${REPS}`);
for (const flavour of ['plain', 'simd']) {
  const k = await instantiateKernel(flavour);
  for (const c of cases) {
    const spec = { tree: { b: c.b, gamma: c.gamma, rho: c.rho }, task: { answers: c.K }, p0: c.p0, depth: c.depth, mode: 'full' };
    const leaves = c.b ** c.depth;
    simulatePluralityChunk(spec, { seed: 1, cell: 0, chunk: 0, trials: 8 }, k);
    const rates = [];
    for (let r = 0; r < REPS; r++) {
      const t = performance.now();
      simulatePluralityChunk(spec, { seed: 1, cell: 0, chunk: r, trials: c.trials }, k);
      rates.push((c.trials * leaves) / ((performance.now() - t) / 1000));
    }
    const wasm = median(rates);
    const out = execFileSync('python3', [new URL('./plurality_numpy.py', import.meta.url).pathname,
      c.b, c.K, c.depth, c.gamma, c.rho, c.p0, c.numpyTrials, REPS].map(String), { encoding: 'utf8' });
    const numpy = JSON.parse(out).leafVotesPerSecond;
    console.log(`${flavour.padEnd(5)} b=${c.b} K=${c.K} depth=${c.depth}: wasm ${(wasm / 1e6).toFixed(1)}M leaf-votes/s, `
      + `numpy ${(numpy / 1e6).toFixed(2)}M leaf-votes/s, ratio ${(wasm / numpy).toFixed(1)}×`);
  }
}
