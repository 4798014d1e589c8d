// §G3 coverage of the 95% β interval (BCa) on seeded synthetic counts: k = 0.05, β = 0.3, budgets 10 … 10,000.
// After `npm run build`: node scripts/betaCoverage.mjs [data sets = 50] [resamples = 200] [trials per budget = 100]
import { fitLeafLaw, syntheticLeafCounts } from '../dist/index.js';
const law = { kind: 'power', k: 0.05, beta: 0.3, gMax: 1 };
const budgets = [10, 30, 100, 300, 1000, 3000, 10000];
const sets = +process.argv[2] || 50, B = +process.argv[3] || 200, trials = +process.argv[4] || 100;
let cov = 0, below = 0, above = 0, sumBeta = 0; const t0 = Date.now();
for (let s = 1; s <= sets; s++) {
  const data = syntheticLeafCounts({ law, chance: 0.5, budgets, trials, seed: s });
  const r = fitLeafLaw(data, { bootstrap: B, seed: s });
  const iv = r.intervals.beta; sumBeta += r.beta;
  if (iv.lower <= 0.3 && 0.3 <= iv.upper) cov++; else if (iv.upper < 0.3) below++; else above++;
}
console.log({ sets, cov, frac: cov / sets, below, above, meanBeta: sumBeta / sets, ms: Date.now() - t0 });
