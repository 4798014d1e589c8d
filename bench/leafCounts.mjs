// Benchmark of the §G3 counts fit (issue 16) against the built package (dist/): the search with
// certified Taylor bounds (fitLeafCounts) against the exhaustive search that fits every candidate
// (fitLeafCountsExhaustive, the definition it must reproduce), both in this run on the same data,
// and the growth of the search's time from 10,000 to 100,000 distinct budgets (10× the budgets: a
// ratio near 10 is linear). Medians of repetitions; seeded synthetic counts (law k = 0.02, β = 0.5,
// g_max = 0.6, chance ½, x from 1 to 2000). Run with `npm run bench:leaf`.
import os from 'node:os';
import { syntheticLeafCounts } from '../dist/index.js';
import { countsSearchWork, fitLeafCounts, fitLeafCountsExhaustive } from '../dist/calibrate/leafCountsFit.js';

const REPS = Number(process.env.BENCH_REPS ?? 3);
const law = { kind: 'power', k: 0.02, beta: 0.5, gMax: 0.6 };
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const h = s.length >> 1; return s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2; };
function data(n, trials) {
  const budgets = Array.from({ length: n }, (_, i) => 1 + (2000 / n) * i + 0.001 * (i % 7));
  const obs = syntheticLeafCounts({ law, chance: 0.5, budgets, trials, seed: 16 });
  return { chance: 0.5, t: obs.map((o) => Math.log(o.x)), right: obs.map((o) => o.right), trials: obs.map((o) => o.trials) };
}
function seconds(f, reps = REPS) {
  const xs = [];
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    f();
    xs.push((performance.now() - t0) / 1000);
  }
  return median(xs);
}

console.log(`§G3 counts fit; ${os.cpus().length} cores, load average ${os.loadavg()[0].toFixed(1)}; medians of ${REPS}`);
for (const trials of [50, 1]) {
  for (const n of [1000, 3000]) {
    const d = data(n, trials);
    let fastFit, exhaustiveFit;
    const fast = seconds(() => { fastFit = fitLeafCounts(d); });
    const fits = countsSearchWork.exactFits;
    const exhaustive = seconds(() => { exhaustiveFit = fitLeafCountsExhaustive(d); }, 1);
    const same = JSON.stringify(fastFit) === JSON.stringify(exhaustiveFit) ? 'same fit' : 'DIFFERENT FIT';
    console.log(`${trials} trials, ${n} budgets: bounds ${fast.toFixed(3)} s (${fits} exact fits), exhaustive ${exhaustive.toFixed(2)} s (${2 * n - 3} fits): ${(exhaustive / fast).toFixed(0)}×, ${same}`);
    if (same !== 'same fit') process.exitCode = 1;
  }
  const small = seconds(() => fitLeafCounts(data(10_000, trials)));
  const fitsSmall = countsSearchWork.exactFits;
  const large = seconds(() => fitLeafCounts(data(100_000, trials)));
  console.log(`${trials} trials: 10,000 budgets ${small.toFixed(2)} s (${fitsSmall} exact fits), 100,000 budgets ${large.toFixed(2)} s (${countsSearchWork.exactFits} exact fits): ${(large / small).toFixed(1)}× for 10× the budgets`);
}
