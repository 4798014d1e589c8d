// The typical one-thread rates behind the CLI's time estimates (src/cli/workPlan.ts TYPICAL_RATE):
// votes/s of simulateTree in each mode and cells/s of a theory sweep, on this machine, one thread.
// Run after `npm run build`: node bench/cli-rates.mjs
import { InThreadExecutor, simulateTree, sweep } from '../dist/index.js';

for (const [mode, b, depth, trials] of [['full', 5, 6, 200_000], ['full', 3, 10, 100_000], ['levels', 5, 30, 2_000_000], ['levels', 5, 10, 2_000_000]]) {
  const started = performance.now();
  simulateTree({ tree: { b, gamma: 0.9, rho: 0.1 }, u0: 0.1, depth, mode, trials, seed: 1 });
  const seconds = (performance.now() - started) / 1000;
  const votes = trials * (mode === 'full' ? b ** depth : b * depth);
  console.log(`${mode} b=${b} depth=${depth}: ${(votes / seconds).toExponential(2)} votes/s (${seconds.toFixed(2)} s)`);
}
const started = performance.now();
const cells = await sweep({ b: [3, 5, 7], gamma: { start: 0, stop: 1, count: 200 }, rho: { start: 0, stop: 0.5, count: 200 }, u0: [0.1], depth: [10] },
  { executor: new InThreadExecutor() }).collect();
const seconds = (performance.now() - started) / 1000;
console.log(`theory: ${cells.length} cells, ${(cells.length / seconds).toExponential(2)} cells/s (${seconds.toFixed(2)} s)`);
