// SPEC §G3 counts (issue 16): a certified upper bound, in O(1) per index, on the best ln L of the
// two-parameter law p = c + (1 − c)·e^(a + β·s) over budgets [0, m) plus an optional pooled budget
// (the power law of a split, or a kink's law; leafCountsFit.ts), from prefix sums of a Taylor
// expansion around one reference law (a0, β0). It lets the branch and bound rule out the many
// indices near the kink, where moving the kink by one budget barely changes ln L, without an O(m)
// fit each.
//
// Per budget, ℓ_i(η) = r·ln p + f·ln(1 − p) with η = a + β·t_i. Around η0_i = a0 + β0·t_i and with
// δη_i = δa + δβ·τ_i (τ = t − t_c, t_c the reference's kink), the degree-4 Taylor polynomial of
// Σ_{i<m} ℓ_i is a polynomial in (δa, δβ) whose coefficients are prefix sums of ℓ_i^(j)(η0_i)·τ_i^l.
// Its remainder is bounded by the fifth derivative over the region R = {|δa| ≤ A, |δβ| ≤ B}, where
// budget i moves by |δη_i| ≤ h_i = A + B·|τ_i|: ln p = ln c + softplus(η + ln((1 − c)/c)) has
// derivatives of order 2…5 equal to σ(1 − σ)·(a polynomial within ±1 on [0, 1]), σ = (1 − c)·g/p
// increasing in η, so within ±min(σ_max, 1/4); ln(1 − p) = ln(1 − c) + ln(1 − e^η) has derivatives
// −P_j(q), q = e^η/(1 − e^η), P_j with positive coefficients, so largest at the interval's right end.
// The pooled budget is evaluated exactly.
//
// Certificate: at the polynomial's maximiser δ̃, with g = ∇ln L(δ̃) known to within the remainder
// and H a lower bound of −∇² ln L over R (prefix sums of each budget's least curvature over its
// interval), ln L(x) ≤ ln L(δ̃) + g·(x − δ̃) − ½(x − δ̃)ᵀH(x − δ̃) on R, so sup_R ln L ≤ ln L(δ̃) +
// ½·gᵀH⁻¹g. When that quadratic is negative on all of ∂R (in coordinates scaled by A and B, the
// distance from δ̃ to ∂R exceeds 2|g|/λ_min(H)), ln L is below ln L(δ̃) on ∂R and so, being concave
// (chance 0: every ℓ_i is), has its maximum inside R. With chance > 0 a budget's ℓ is not concave
// near chance: R is still checked concave (H positive definite), and that its maximum is the
// maximum is the same assumption the fit itself rests on (one local maximum, which Fisher scoring
// finds). Whatever cannot be certified returns +∞ (the caller then fits exactly).
import type { CountsData } from './leafCountsFit.ts';

/** A pooled budget at covariate s (the kink family's saturated rest). */
export interface PooledBudget { s: number; right: number; trials: number }

/** Half-widths tried for δa and δβ (each costs one pass over the budgets it is used on, made on demand). */
const WIDTHS = [1 / 1024, 1 / 256, 1 / 64, 1 / 32, 1 / 16, 1 / 8, 1 / 4];

/**
 * Prefix sums with `stride` values per index, filled from index 0 on demand (a sweep stays local,
 * so a reference near the low budgets never pays for the high ones). Row i holds the sums over [0, i).
 */
class PrefixRows {
  rows: Float64Array;
  filled = 0;
  constructor(readonly stride: number, private readonly limit: number) {
    this.rows = new Float64Array(stride * Math.min(limit, 1024));
  }
  /** Makes room for rows [0, m]. */
  reserve(m: number): void {
    if ((m + 1) * this.stride <= this.rows.length) return;
    let size = this.rows.length / this.stride;
    while (size < m + 1) size = Math.min(this.limit, 2 * size);
    const next = new Float64Array(size * this.stride);
    next.set(this.rows);
    this.rows = next;
  }
}

/** Per-budget bounds over R for one half-width, as prefix rows: Σ max|ℓ⁽⁵⁾|·|τ|^l (l = 0…5),
 *  Σ κ·τ^l (l = 0…2; κ = min −ℓ'' over the budget's interval) and the count of budgets whose interval
 *  reaches g ≥ 1 with wrong answers (no bound there). */
interface Region { A: number; B: number; sums: PrefixRows }
const REGION_STRIDE = 10, M5 = 0, K0 = 6, K1 = 7, K2 = 8, BAD = 9;

/** The Taylor terms j = 0…4, l = 0…j flattened (k), with their factor 1/j!·C(j, l) and monomial δa^(j−l)·δβ^l. */
const TERMS = taylorTerms();
function taylorTerms() {
  const factorial = [1, 1, 2, 6, 24];
  const binomial = (j: number, l: number) => factorial[j] / (factorial[l] * factorial[j - l]);
  const out: { j: number; l: number; factor: number }[] = [];
  for (let j = 0; j <= 4; j++) for (let l = 0; l <= j; l++) out.push({ j, l, factor: binomial(j, l) / factorial[j] });
  return out;
}
const EXP_A = Int8Array.from(TERMS, (x) => x.j - x.l);
const EXP_B = Int8Array.from(TERMS, (x) => x.l);
const BINOMIAL5 = [1, 5, 10, 10, 5, 1];
const BINOMIAL4 = [1, 4, 6, 4, 1];

/** g = e^η's odds q = g/(1 − g) (∞ at g ≥ 1). */
const odds = (eta: number) => (eta < 0 ? 1 / Math.expm1(-eta) : Infinity);

/** σ = (1 − c)·g/p, the derivative of ln p in η. */
const sigmaOf = (c: number, eta: number) => {
  if (c === 0) return 1;
  const w = (1 - c) * Math.exp(eta);
  return w / (c + w);
};

/** Derivatives 1…4 of ℓ(η) = r·ln p + f·ln(1 − p) (the value at index 0), p = c + (1 − c)·e^η. */
function pointDerivatives(c: number, eta: number, r: number, f: number, out: Float64Array): void {
  const g = Math.exp(eta);
  const p = c + (1 - c) * g;
  const sigma = sigmaOf(c, eta);
  const s2 = sigma * (1 - sigma);
  out[0] = (r > 0 ? r * (c === 0 ? eta : Math.log(p)) : 0) + (f > 0 ? f * Math.log1p(-p) : 0);
  out[1] = r * sigma;
  out[2] = r * s2;
  out[3] = r * s2 * (1 - 2 * sigma);
  out[4] = r * s2 * (1 - 6 * sigma + 6 * sigma * sigma);
  if (f > 0) {
    const q = odds(eta);
    const q1 = q * (1 + q);
    out[1] -= f * q;
    out[2] -= f * q1;
    out[3] -= f * q1 * (1 + 2 * q);
    out[4] -= f * q1 * (1 + 6 * q + 6 * q * q);
  }
}

/**
 * Over [η − h, η + h], from g = e^η's ends gLo = g·e^(−h) and gHi = g·e^h (gHi < 1 when f > 0):
 * max |ℓ⁽⁵⁾| and min −ℓ'' (negative where ℓ is convex: near chance with right answers), written
 * to out[0], out[1]. The 1e-12 margins cover the rounding of these few operations.
 */
function intervalBounds(c: number, gLo: number, gHi: number, r: number, f: number, out: Float64Array): void {
  let fifth = 0, curvature = 0;
  if (f > 0) {
    const qHi = gHi / (1 - gHi), qLo = gLo / (1 - gLo);
    fifth += f * qHi * (1 + qHi) * (1 + qHi * (14 + qHi * (36 + 24 * qHi)));
    curvature += f * qLo * (1 + qLo);
  }
  if (c > 0 && r > 0) {
    const wLo = (1 - c) * gLo, wHi = (1 - c) * gHi;
    const lo = wLo / (c + wLo), hi = wHi / (c + wHi);
    fifth += r * Math.min(0.25, hi);
    const s2 = lo <= 0.5 && hi >= 0.5 ? 0.25 : Math.max(lo * (1 - lo), hi * (1 - hi));
    curvature -= r * s2;
  }
  out[0] = fifth * (1 + 1e-12);
  out[1] = curvature - 1e-12 * Math.abs(curvature);
}

/** Index of the smallest width holding |x| with room (at most half of it), or −1. */
const widthIndex = (x: number) => WIDTHS.findIndex((w) => Math.abs(x) <= w / 2);

export class CountsTaylorBound {
  private readonly n: number;
  private readonly c: number;
  private readonly center: number;
  /** Prefix rows of ℓ⁽ʲ⁾(η0)·τ^l, one column per Taylor term. */
  private readonly s: PrefixRows;
  private readonly regions = new Map<number, Region>();
  private readonly scratch = new Float64Array(5);
  private readonly out = new Float64Array(6);
  /** The model's coefficients at the current m (factor × prefix sum), and monomial scratch. */
  private readonly coef = new Float64Array(TERMS.length);
  private readonly pa = new Float64Array(5);
  private readonly pb = new Float64Array(5);
  /** Warm starts: the last maximiser found without and with a pooled budget. */
  private readonly warmPower = [0, 0];
  private readonly warmPooled = [0, 0];
  /** The last certified maximum's neighbourhood: δ̃, H (k0, k1, k2, det) and the bound on gᵀH⁻¹g. */
  private readonly last = { da: 0, db: 0, k0: 0, k1: 0, k2: 0, det: 1, quad: 0 };

  /** `center`: the t around which δa is taken (the reference's kink: budgets there move least). */
  constructor(private readonly d: CountsData, readonly a0: number, readonly beta0: number, center: number) {
    this.n = d.t.length;
    this.c = d.chance;
    this.center = center;
    this.s = new PrefixRows(TERMS.length, this.n + 1);
  }

  /** Fills the Taylor coefficients' prefix rows up to index m. */
  private extend(m: number): void {
    const der = this.scratch, d = this.d, S = this.s, K = TERMS.length;
    S.reserve(m);
    const rows = S.rows;
    for (let i = S.filled; i < m; i++) {
      const r = d.right[i], f = d.trials[i] - r, tau = d.t[i] - this.center;
      pointDerivatives(this.c, this.a0 + this.beta0 * d.t[i], r, f, der);
      let k = 0;
      for (let j = 0; j < 5; j++) {
        let tl = 1;
        for (let l = 0; l <= j; l++, tl *= tau, k++) rows[(i + 1) * K + k] = rows[i * K + k] + der[j] * tl;
      }
    }
    S.filled = Math.max(S.filled, m);
  }

  /** The region of half-widths WIDTHS[k] for δa and δβ, its prefix rows filled up to at least m. */
  private region(k: number, m: number): Region {
    let R = this.regions.get(k);
    if (R === undefined) {
      R = { A: WIDTHS[k], B: WIDTHS[k], sums: new PrefixRows(REGION_STRIDE, this.n + 1) };
      this.regions.set(k, R);
    }
    const { c, d } = this;
    const { A, B, sums } = R;
    if (m <= sums.filled) return R;
    sums.reserve(m);
    const rows = sums.rows, W = REGION_STRIDE;
    const both = this.scratch;
    for (let i = sums.filled; i < m; i++) {
      const r = d.right[i], f = d.trials[i] - r, tau = d.t[i] - this.center, eta = this.a0 + this.beta0 * d.t[i];
      const h = A + B * Math.abs(tau);
      const g = Math.exp(eta), spread = Math.exp(h);
      const gHi = g * spread;
      const isBad = (f > 0 && !(gHi < 1)) || !Number.isFinite(eta);
      if (!isBad) intervalBounds(c, g / spread, gHi, r, f, both);
      const m5 = isBad ? 0 : both[0];
      const kappa = isBad ? 0 : both[1];
      const at = (i + 1) * W, was = i * W;
      let tl = 1;
      for (let l = 0; l <= 5; l++, tl *= Math.abs(tau)) rows[at + M5 + l] = rows[was + M5 + l] + m5 * tl;
      rows[at + K0] = rows[was + K0] + kappa;
      rows[at + K1] = rows[was + K1] + kappa * tau;
      rows[at + K2] = rows[was + K2] + kappa * tau * tau;
      rows[at + BAD] = rows[was + BAD] + (isBad ? 1 : 0);
    }
    sums.filled = m;
    return R;
  }

  /**
   * The Taylor polynomial of budgets [0, m) (coefficients loaded in this.coef) plus the exact pooled
   * budget at (δa, δβ): value, gradient and Hessian, written into out = [v, ga, gb, haa, hab, hbb].
   */
  private model(pooled: PooledBudget | null, da: number, db: number, out: Float64Array): void {
    const pa = this.pa, pb = this.pb, coef = this.coef;
    pa[0] = 1; pb[0] = 1;
    for (let e = 1; e < 5; e++) {
      pa[e] = pa[e - 1] * da;
      pb[e] = pb[e - 1] * db;
    }
    let v = coef[0], ga = 0, gb = 0, haa = 0, hab = 0, hbb = 0;
    for (let k = 1; k < TERMS.length; k++) {
      const w = coef[k];
      const ea = EXP_A[k], eb = EXP_B[k];
      v += w * pa[ea] * pb[eb];
      if (ea >= 1) ga += w * ea * pa[ea - 1] * pb[eb];
      if (eb >= 1) gb += w * eb * pa[ea] * pb[eb - 1];
      if (ea >= 2) haa += w * ea * (ea - 1) * pa[ea - 2] * pb[eb];
      if (ea >= 1 && eb >= 1) hab += w * ea * eb * pa[ea - 1] * pb[eb - 1];
      if (eb >= 2) hbb += w * eb * (eb - 1) * pa[ea] * pb[eb - 2];
    }
    if (pooled !== null) {
      const der = this.scratch;
      const tau = pooled.s - this.center;
      pointDerivatives(this.c, this.a0 + this.beta0 * pooled.s + da + db * tau, pooled.right, pooled.trials - pooled.right, der);
      v += der[0];
      ga += der[1];
      gb += der[1] * tau;
      haa += der[2];
      hab += der[2] * tau;
      hbb += der[2] * tau * tau;
    }
    out[0] = v; out[1] = ga; out[2] = gb; out[3] = haa; out[4] = hab; out[5] = hbb;
  }

  /** Newton's method with step halving on the model from (da, db): the maximiser, or null (model not concave there). */
  private maximise(pooled: PooledBudget | null, da: number, db: number): [number, number] | null {
    const out = this.out;
    this.model(pooled, da, db, out);
    if (!Number.isFinite(out[0])) return null;
    for (let it = 0; it < 30; it++) {
      const ga = out[1], gb = out[2], haa = out[3], hab = out[4], hbb = out[5];
      const det = haa * hbb - hab * hab;
      if (!(haa < 0 && det > 0)) return null;
      const sa = -(hbb * ga - hab * gb) / det, sb = -(haa * gb - hab * ga) / det;
      const before = out[0];
      let lambda = 1;
      for (let h = 0; h < 30; h++, lambda /= 2) {
        this.model(pooled, da + lambda * sa, db + lambda * sb, out);
        if (out[0] >= before) break;
      }
      if (!(out[0] >= before)) {
        this.model(pooled, da, db, out);
        break;
      }
      da += lambda * sa;
      db += lambda * sb;
      // δ̃ only needs to be near the maximiser: its gradient's share of the bound, ½·gᵀH⁻¹g, is then
      // far below rounding (steps of 1e-15 never come: rounding keeps Newton jittering at ~1e-13).
      if (Math.abs(lambda * sa) + Math.abs(lambda * sb) < 1e-10) break;
    }
    return [da, db];
  }

  /**
   * An upper bound on sup over (a, β) of ln L of budgets [0, m) plus the pooled budget (m ≥ 2
   * without it, m ≥ 1 with it), or +∞ when it cannot be certified. `approximate` (when given) gets the
   * polynomial model's maximum (no guarantee; for choosing where to fit).
   */
  bound(m: number, pooled: PooledBudget | null, approximate?: { value: number }): number {
    if (!(m >= 1 && m <= this.n) || (pooled === null && m < 2)) return Infinity;
    if (m > this.s.filled) this.extend(m);
    for (let k = 0; k < TERMS.length; k++) this.coef[k] = TERMS[k].factor * this.s.rows[m * TERMS.length + k];
    // Newton's method on the model, from the last maximiser of the same kind (sweeps move one index
    // at a time, so it is nearly there) or, failing that, from the reference. The start only decides
    // how fast δ̃ is found: the certificate holds at any δ̃.
    const warm = pooled === null ? this.warmPower : this.warmPooled;
    let found = this.maximise(pooled, warm[0], warm[1]);
    if (found === null && (warm[0] !== 0 || warm[1] !== 0)) found = this.maximise(pooled, 0, 0);
    if (found === null) return Infinity;
    const [da, db] = found;
    warm[0] = da;
    warm[1] = db;
    const out = this.out;
    if (approximate) approximate.value = out[0];
    // One width for both (a sweep then builds a few regions per reference, not one per pair).
    const k = Math.max(widthIndex(da), widthIndex(db));
    if (widthIndex(da) < 0 || widthIndex(db) < 0) return Infinity;
    return this.certify(m, pooled, da, db, this.region(k, m));
  }

  /**
   * Where the maximiser's η = a + β·t lies at t, after a finite bound(): the maximum x* has
   * ln L(x*) ≥ ln L(δ̃), so e = x* − δ̃ satisfies ½eᵀHe ≤ g·e, i.e. |e|_H ≤ 2·|g|_H⁻¹, and
   * |δη(t) − δ̃η(t)| ≤ |e|_H·|(1, τ)|_H⁻¹.
   */
  etaInterval(t: number): [number, number] {
    const { da, db, k0, k1, k2, det, quad } = this.last;
    const tau = t - this.center;
    const eta = this.a0 + this.beta0 * t + da + db * tau;
    const width = 2 * Math.sqrt(quad) * Math.sqrt(Math.max(0, (k2 - 2 * k1 * tau + k0 * tau * tau) / det));
    return [eta - width, eta + width];
  }

  /** Where the last certified maximiser's β lies (as etaInterval: |δβ − δ̃β| ≤ |e|_H·√(H⁻¹)_ββ). */
  betaInterval(): [number, number] {
    const { db, k0, det, quad } = this.last;
    const width = 2 * Math.sqrt(quad) * Math.sqrt(Math.max(0, k0 / det));
    return [this.beta0 + db - width, this.beta0 + db + width];
  }

  /** The certificate of the header on region R, or +∞. this.out = the model at δ̃ = (da, db). */
  private certify(m: number, pooled: PooledBudget | null, da: number, db: number, R: Region): number {
    const row = R.sums.rows, at = m * REGION_STRIDE;
    if (row[at + BAD] > 0) return Infinity;
    const out = this.out;
    let k0 = row[at + K0], k1 = row[at + K1], k2 = row[at + K2];
    if (pooled !== null) {
      const r = pooled.right, f = pooled.trials - r;
      const eta = this.a0 + this.beta0 * pooled.s;
      const tau = pooled.s - this.center;
      const h = R.A + R.B * Math.abs(tau);
      const g = Math.exp(eta), spread = Math.exp(h);
      if (f > 0 && !(g * spread < 1)) return Infinity;
      intervalBounds(this.c, g / spread, g * spread, r, f, this.scratch);
      const k = this.scratch[1];
      k0 += k; k1 += k * tau; k2 += k * tau * tau;
    }
    const det = k0 * k2 - k1 * k1;
    if (!(k0 > 0 && det > 0)) return Infinity;
    // Remainders: Σ M_i·(|δa| + |δβ|·|τ_i|)^5/5! for the value, ^4/4! (times 1 and |τ_i|) for the gradient.
    const xa = Math.abs(da), xb = Math.abs(db);
    let value = 0, errA = 0, errB = 0;
    for (let l = 0; l <= 5; l++) value += BINOMIAL5[l] * xa ** (5 - l) * xb ** l * row[at + M5 + l];
    for (let l = 0; l <= 4; l++) {
      const w = BINOMIAL4[l] * xa ** (4 - l) * xb ** l;
      errA += w * row[at + M5 + l];
      errB += w * row[at + M5 + l + 1];
    }
    value = out[0] + value / 120;
    errA /= 24;
    errB /= 24;
    // Coordinates scaled to the unit box: δa/A, δβ/B.
    const A = R.A, B = R.B;
    const huu = A * A * k0, hvv = B * B * k2, huv = A * B * k1;
    const tr = huu + hvv, detS = huu * hvv - huv * huv;
    const lambdaMin = (tr - Math.sqrt(Math.max(0, tr * tr - 4 * detS))) / 2;
    if (!(lambdaMin > 0)) return Infinity;
    let quad = 0, gradNorm = 0;
    for (const sa of [-1, 1]) {
      for (const sb of [-1, 1]) {
        const ga = out[1] + sa * errA, gb = out[2] + sb * errB;
        quad = Math.max(quad, (k2 * ga * ga - 2 * k1 * ga * gb + k0 * gb * gb) / det);
        gradNorm = Math.max(gradNorm, Math.hypot(A * ga, B * gb));
      }
    }
    const distance = 1 - Math.max(xa / A, xb / B);
    if (!(distance * lambdaMin > 2 * gradNorm)) return Infinity;
    Object.assign(this.last, { da, db, k0, k1, k2, det, quad });
    return value + quad / 2;
  }
}
