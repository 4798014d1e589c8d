// Wall-clock of one fitLeafLaw call (issue 16, docs/guarantees.md): node scripts/leafTiming.mjs counts|acc ROWS RESAMPLES
// after npm run build. Synthetic law k = 0.02, β = 0.5, g_max = 0.6; counts have 50 trials per row.
import { fitLeafLaw, leafBias } from '../dist/index.js';
const law = { kind: 'power', k: 0.02, beta: 0.5, gMax: 0.6 };
let s = 7; const rnd = () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
const bin = (n, p) => { let r = 0; for (let i = 0; i < n; i++) if (rnd() < p) r++; return r; };
const mode = process.argv[2], N = +process.argv[3], B = +(process.argv[4] ?? 0);
const xs = Array.from({ length: N }, (_, i) => 1 + (2000 / N) * i * 1.0 + 0.001 * (i % 7));
const data = mode === 'counts'
  ? xs.map((x) => { const trials = 50; return { x, right: bin(trials, 0.5 + 0.5 * leafBias(law, x)), trials }; })
  : xs.map((x) => ({ x, accuracy: 0.5 + 0.5 * leafBias(law, x) * Math.exp(0.05 * (rnd() - 0.5)) }));
const t0 = performance.now();
const r = fitLeafLaw(data, { bootstrap: B, seed: 1 });
console.log(mode, N, 'bootstrap', B, ((performance.now() - t0) / 1000).toFixed(2), 's', 'beta', r.beta.toFixed(4), 'gMax', r.gMax.toFixed(4));
