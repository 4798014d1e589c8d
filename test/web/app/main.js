// A tiny app using the package's browser entry, built by Vite (bundle.test.ts) and served as plain
// ESM with an import map (plain.html). It publishes its numbers on window.result.
import { alpha, fixedPoint, trajectory, simulateTree, sweep, simdSupported } from 'budgeted-synergy';

const level = { b: 5, gamma: 0.6, rho: 0.1 };
try {
  const mc = simulateTree({ tree: level, u0: 0.05, depth: 6, mode: 'full', trials: 20_000, seed: 7 });
  const spec = { b: [3], gamma: [0.7, 0.9], rho: [0.1], u0: [0.05], depth: [5], trials: [3000], compute: 'both' };
  // The default browser executor: a pool of module Web Workers, each loading the kernel itself.
  const cells = await sweep(spec, { seed: 3, workers: 2 }).collect();
  window.result = {
    simd: simdSupported(),
    alpha: alpha(level),
    uStar: fixedPoint(level),
    trajectory: Array.from(trajectory(level, 0.05, 30)),
    mc,
    cells: cells.map((c) => ({ cell: c.cell, theory: c.theory, montecarlo: c.montecarlo })),
  };
} catch (e) {
  window.result = { error: String(e?.stack ?? e) };
}
