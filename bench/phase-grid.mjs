// Phase-grid kernel benchmark (issue 2): cells per second on a 1000×1000 (γ, ρ) grid at b = 5,
// u_0 = 0.05, depths 10 and 30, against a plain JavaScript loop doing the same work in the same run.
// Runs against the built package (npm run bench:phase-grid builds first). One thread, medians.
import { PhaseGridKernel, pluralityWeights, pluralitySlope, REGIME_CODES } from '../dist/index.js';

const N = Number(process.env.GRID ?? 1000);
const REPS = Number(process.env.REPS ?? 5);
const axis = (n) => Array.from({ length: n }, (_, i) => i / (n - 1));
const spec = { b: [5], gamma: axis(N), rho: axis(N), u0: [0.05], depths: [10, 30], epsilon: 0.05, maxMixingDepth: 1_000_000 };

// ---- Baseline: the same algorithm in JavaScript (§B5 recurrence with tabulated coefficients,
// Newton from u = 1, one trajectory pass serving depths and mixing depth).
const COEF = new Float64Array(1025);
for (let j = 1, c = 1; j <= 1024; j++) {
  COEF[j] = c / (2 * j);
  c *= (2 * j + 1) / (2 * j);
}
const slope = (b) => (b + 1) * COEF[(b + 1) >> 1];
function fb(b, u) {
  const a = Math.abs(u), w = (1 - a) * (1 + a), stop = 1e-17 * (1 - w);
  let f = a, wj = a;
  for (let j = 1; j <= (b - 1) >> 1; j++) {
    wj *= w;
    const t = COEF[j] * wj;
    f += t;
    if (t < f * stop) break;
  }
  return u < 0 ? -f : f;
}
let deficitSlopeFactor = 0; // 1 − w^n from the last deficit() call, for Newton's derivative
function deficit(b, u) {
  const a = Math.abs(u), a2 = a * a, w = (1 - a) * (1 + a);
  let d = 0, q = 0;
  for (let j = 1; j <= (b - 1) >> 1; j++) {
    q = a2 + w * q;
    d += COEF[j] * q;
  }
  deficitSlopeFactor = q;
  return d * a;
}
function fixedPoint(b, g, r, alpha) {
  if (alpha <= 1 || (g === 1 && r === 1)) return 0;
  if (g === 1) return 1;
  const am1 = alpha - 1, w = 1 - r, c = slope(b);
  let u = 1;
  for (let i = 0; i < 200; i++) {
    const h = am1 * u - w * deficit(b, g * u);
    if (h >= 0) break;
    const dh = am1 - w * g * c * deficitSlopeFactor;
    const step = h / dh;
    if (!(step > 0)) break;
    u -= step;
    if (step <= u * 1e-14) break;
  }
  return u;
}
function baseline(s) {
  const cells = s.b.length * s.gamma.length * s.rho.length * s.u0.length;
  const out = { alpha: new Float64Array(cells), s: new Float64Array(cells), uStar: new Float64Array(cells), mix: new Float64Array(cells), mixSmall: new Float64Array(cells), uL: new Float64Array(cells * 2), clipped: new Float64Array(cells * 2) };
  const deepest = Math.max(...s.depths);
  let cell = 0;
  for (const b of s.b) for (const g of s.gamma) for (const r of s.rho) {
    const alpha = g * (r + (1 - r) * slope(b));
    const lnA = Math.log(alpha);
    const uStar = fixedPoint(b, g, r, alpha);
    for (const u0 of s.u0) {
      out.alpha[cell] = alpha;
      out.s[cell] = lnA / Math.log(b);
      out.uStar[cell] = uStar;
      out.mixSmall[cell] = uStar > 0 ? Math.max(0, Math.log(uStar / Math.abs(u0)) / lnA) : NaN;
      let mix = uStar > 0 ? -2 : -1, u = u0;
      for (let l = 0; ; l++) {
        if (mix === -2 && Math.abs(Math.abs(u) - uStar) <= s.epsilon * uStar) mix = l;
        for (let k = 0; k < s.depths.length; k++) if (s.depths[k] === l) out.uL[cell * 2 + k] = u;
        if (l >= deepest && mix !== -2) break;
        if (mix === -2 && l >= s.maxMixingDepth) { mix = -1; if (l >= deepest) break; }
        u = r * g * u + (1 - r) * fb(b, g * u);
      }
      out.mix[cell] = mix >= 0 ? mix : NaN;
      for (let k = 0; k < s.depths.length; k++) {
        const grown = u0 * Math.pow(alpha, s.depths[k]);
        out.clipped[cell * 2 + k] = uStar > 0 ? Math.min(grown, uStar) : grown;
      }
      cell++;
    }
  }
  return out;
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1];
}
function time(fn) {
  const t0 = process.hrtime.bigint();
  const r = fn();
  return [Number(process.hrtime.bigint() - t0) / 1e9, r];
}

if (process.env.PART !== 'answers') {
const cells = N * N;
const rows = [];
let check;
for (const flavour of ['plain', 'simd']) {
  const kernel = await PhaseGridKernel.create(flavour);
  kernel.run(spec); // warm-up
  const times = [];
  for (let i = 0; i < REPS; i++) {
    const [t, r] = time(() => kernel.run(spec));
    times.push(t);
    check = r;
  }
  rows.push([`WASM kernel (${flavour})`, median(times)]);
}
baseline(spec);
const times = [];
let base;
for (let i = 0; i < REPS; i++) {
  const [t, r] = time(() => baseline(spec));
  times.push(t);
  base = r;
}
rows.push(['JavaScript loop (same algorithm)', median(times)]);

// Sanity: both computed the same grid (they implement the same formulas; logs may differ by an ulp).
let worst = 0;
for (let i = 0; i < cells; i++) worst = Math.max(worst, Math.abs(check.uL[2 * i + 1] - base.uL[2 * i + 1]));
if (!(worst < 1e-9)) throw new Error(`kernel and baseline disagree: max |Δu_30| = ${worst}`);

const baseTime = rows.at(-1)[1];
console.log(`Phase grid ${N}×${N} (γ, ρ) at b = 5, u0 = 0.05, depths 10 and 30; ${REPS} runs, medians; one thread; node ${process.version}`);
console.log('\n| implementation | median time (s) | cells / s | vs JS loop |\n|---|---:|---:|---:|');
for (const [name, t] of rows) {
  console.log(`| ${name} | ${t.toFixed(3)} | ${(cells / t / 1e6).toFixed(2)} M | ${(baseTime / t).toFixed(2)}× |`);
}
console.log(`\nmax |u_30(kernel) − u_30(JS)| = ${worst.toExponential(2)}`);
}

// ---- §H5: K answers (issue 11). A 1000×1000 (γ, ρ) grid at b = 5, K = 4, leaf skill 0.05, depths
// 10 and 30: α, s, regime (bistable included) and s_L per cell, against the same algorithm in JavaScript.
if (process.env.PART !== 'binary') {
  const B = 5, K = 4, SCAN = 2048;
  const kspec = { b: [B], gamma: axis(N), rho: axis(N), u0: [0.05], depths: [10, 30], task: { answers: K } };
  const w = pluralityWeights(B, K);
  const coef = new Float64Array(B + 1);
  for (let c = 0, binom = 1; c <= B; c++) { coef[c] = w[c] * binom; binom = (binom * (B - c)) / (c + 1); }
  const chance = 1 / K, slopeBK = pluralitySlope(B, K);
  const accuracy = (p) => { // Horner in p/q ≤ 1 or q/p ≤ 1, as the kernel
    const q = 1 - p;
    let sum, big = 1;
    if (p <= 0.5) {
      const r = p / q;
      sum = coef[B];
      for (let c = B - 1; c >= 0; c--) sum = sum * r + coef[c];
      for (let c = 0; c < B; c++) big *= q;
    } else {
      const r = q / p;
      sum = coef[0];
      for (let c = 1; c <= B; c++) sum = sum * r + coef[c];
      for (let c = 0; c < B; c++) big *= p;
    }
    return Math.min(1, sum * big);
  };
  const F = (x) => (accuracy(chance + (1 - chance) * x) - chance) / (1 - chance);
  // The kernel's fast path (assembly/phaseGrid.ts prepareFast): Bernstein weights in the skill x, then
  // the monomial F(x) = Σ f_k x^k once; per cell S(s) = Σ c_k s^k, b multiply-adds per level.
  const fk = (() => {
    const om = 1 - chance, phi = new Float64Array(B + 1), f = new Float64Array(B + 1);
    for (let i = 0, binomB = 1; i <= B; i++) {
      let sum = 0;
      for (let c = i, binomC = 1, pcPow = 1; c <= B; c++) {
        let omPow = 1;
        for (let j = c; j < B; j++) omPow *= om;
        sum += coef[c] * binomC * pcPow * omPow;
        binomC = (binomC * (c + 1)) / (c + 1 - i);
        pcPow *= chance;
      }
      phi[i] = (Math.min(1, sum / binomB) - chance) / om;
      binomB = (binomB * (B - i)) / (i + 1);
    }
    for (let k = 1; k <= B; k++) for (let i = B; i >= k; i--) phi[i] -= phi[i - 1];
    for (let k = 0, binom = 1; k <= B; k++) { f[k] = binom * phi[k]; binom = (binom * (B - k)) / (k + 1); }
    return f;
  })();
  const fastF = (x) => { let h = fk[B]; for (let k = B - 1; k >= 0; k--) h = h * x + fk[k]; return h; };
  function jsGrid(s) {
    const nr = s.rho.length, cellsK = s.gamma.length * nr;
    const out = { alpha: new Float64Array(cellsK), regime: new Uint8Array(cellsK), uL: new Float64Array(cellsK * 2) };
    const row = new Float64Array(B + 1), c = new Float64Array(B + 1);
    for (let ig = 0; ig < s.gamma.length; ig++) {
      const g = s.gamma[ig];
      let best = -Infinity, bestI = SCAN;
      for (let i = 1; i <= SCAN; i++) { const x = (g * i) / SCAN; const v = fastF(x) / x; if (v > best) { best = v; bestI = i; } }
      best = F((g * bestI) / SCAN) / ((g * bestI) / SCAN); // the scan locates, the stable F values
      if (g > 0) {
        let lo = (g * Math.max(bestI - 1, 1)) / SCAN, hi = (g * Math.min(bestI + 1, SCAN)) / SCAN;
        for (let k = 0; k < 40; k++) {
          const a = hi - 0.6180339887498949 * (hi - lo), c = lo + 0.6180339887498949 * (hi - lo);
          if (F(a) / a > F(c) / c) hi = c; else lo = a;
        }
        const mid = 0.5 * (lo + hi);
        best = Math.max(best, F(mid) / mid);
      }
      for (let k = 0, gk = 1; k <= B; k++) { row[k] = fk[k] * gk; gk *= g; }
      for (let ir = 0; ir < nr; ir++) {
        const r = s.rho[ir], cell = ig * nr + ir;
        const a = r * g + (1 - r) * g * slopeBK, mu = g * (r + (1 - r) * best);
        out.alpha[cell] = a;
        // TANGENCY_TOLERANCE = 1e-9 (src/theory/pluralityPhases.ts); b = 5 here, so no b = 2 identity
        out.regime[cell] = g === 1 && r === 1 ? 4 : a > 1 ? 3 : a === 1 && r * g + (1 - r) * F(g / SCAN) * SCAN > 1 ? 3 : mu >= 1 - 1e-9 && g > 0 ? 2 : a === 1 ? 1 : 0;
        for (let k = 0; k <= B; k++) c[k] = (1 - r) * row[k] + (k === 1 ? r * g : 0);
        let u = s.u0[0];
        for (let l = 0; l <= 30; l++) {
          if (l === 10) out.uL[cell * 2] = u;
          if (l === 30) out.uL[cell * 2 + 1] = u;
          if (l < 30) {
            let h = c[B];
            for (let k = B - 1; k >= 0; k--) h = h * u + c[k];
            u = Math.min(h, 1);
          }
        }
      }
    }
    return out;
  }
  const cellsK = N * N;
  const krows = [];
  let kcheck;
  for (const flavour of ['plain', 'simd']) {
    const kernel = await PhaseGridKernel.create(flavour);
    kernel.run(kspec);
    const ts = [];
    for (let i = 0; i < REPS; i++) { const [t, r] = time(() => kernel.run(kspec)); ts.push(t); kcheck = r; }
    krows.push([`WASM kernel (${flavour})`, median(ts)]);
  }
  jsGrid(kspec);
  const ts = [];
  let kbase;
  for (let i = 0; i < REPS; i++) { const [t, r] = time(() => jsGrid(kspec)); ts.push(t); kbase = r; }
  krows.push(['JavaScript loop (same algorithm)', median(ts)]);
  let worstK = 0, regimeMismatch = 0;
  const counts = {};
  for (let i = 0; i < cellsK; i++) {
    worstK = Math.max(worstK, Math.abs(kcheck.uL[2 * i + 1] - kbase.uL[2 * i + 1]));
    if (kcheck.regime[i] !== kbase.regime[i]) regimeMismatch++;
    counts[REGIME_CODES[kcheck.regime[i]]] = (counts[REGIME_CODES[kcheck.regime[i]]] ?? 0) + 1;
  }
  if (!(worstK < 1e-9)) throw new Error(`K kernel and baseline disagree: max |Δs_30| = ${worstK}`);
  const kBase = krows.at(-1)[1];
  console.log(`\nPhase grid ${N}×${N} (γ, ρ) at b = ${B}, K = ${K}, s0 = 0.05, depths 10 and 30 (α, regime, s_L); ${REPS} runs, medians; one thread; node ${process.version}`);
  console.log('\n| implementation | median time (s) | cells / s | vs JS loop |\n|---|---:|---:|---:|');
  for (const [name, t] of krows) console.log(`| ${name} | ${t.toFixed(3)} | ${(cellsK / t / 1e6).toFixed(2)} M | ${(kBase / t).toFixed(2)}× |`);
  console.log(`\nmax |s_30(kernel) − s_30(JS)| = ${worstK.toExponential(2)}; regime mismatches ${regimeMismatch}; regimes ${JSON.stringify(counts)}`);
}
