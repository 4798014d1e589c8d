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

/** Half-widths tried for δa and δβ (each pair costs one O(n) pass, made on demand). */
const WIDTHS = [1 / 1024, 1 / 256, 1 / 64, 1 / 16, 1 / 4];

/** Per-budget bounds over R for one pair of half-widths, as prefix sums. */
interface Region {
  A: number;
  B: number;
  /** m5[l]: Σ max|ℓ⁽⁵⁾|·|τ|^l, l = 0…5. */
  m5: Float64Array[];
  /** Σ κ·τ^l, κ = min −ℓ'' over the budget's interval. */
  k0: Float64Array;
  k1: Float64Array;
  k2: Float64Array;
  /** Budgets whose interval reaches g ≥ 1 with wrong answers (no bound there). */
  bad: Int32Array;
}

/** 1/j!·C(j, l) for j ≤ 4, and C(5, l), C(4, l). */
const COEFF = [[1], [1, 1], [0.5, 1, 0.5], [1 / 6, 0.5, 0.5, 1 / 6], [1 / 24, 1 / 6, 0.25, 1 / 6, 1 / 24]];
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

/** max |ℓ⁽⁵⁾| over [η − h, η + h]. */
function fifthBound(c: number, eta: number, h: number, r: number, f: number): number {
  let m = c > 0 && r > 0 ? r * Math.min(0.25, sigmaOf(c, eta + h)) : 0;
  if (f > 0) {
    const q = odds(eta + h);
    m += f * q * (1 + q) * (1 + q * (14 + q * (36 + 24 * q)));
  }
  return m;
}

/** min −ℓ'' over [η − h, η + h] (negative where ℓ is convex: near chance with right answers). */
function curvatureBound(c: number, eta: number, h: number, r: number, f: number): number {
  let k = 0;
  if (f > 0) {
    const q = odds(eta - h);
    k += f * q * (1 + q);
  }
  if (c > 0 && r > 0) {
    const lo = sigmaOf(c, eta - h), hi = sigmaOf(c, eta + h);
    const s2 = lo <= 0.5 && hi >= 0.5 ? 0.25 : Math.max(lo * (1 - lo), hi * (1 - hi));
    k -= r * s2;
  }
  return k;
}

/** Index of the smallest width holding |x| with room (at most half of it), or −1. */
const widthIndex = (x: number) => WIDTHS.findIndex((w) => Math.abs(x) <= w / 2);

export class CountsTaylorBound {
  private readonly n: number;
  private readonly c: number;
  private readonly center: number;
  private readonly tau: Float64Array;
  private readonly eta0: Float64Array;
  /** s[j][l]: prefix sums of ℓ⁽ʲ⁾(η0)·τ^l. */
  private readonly s: Float64Array[][];
  private readonly regions = new Map<number, Region>();
  private readonly scratch = new Float64Array(5);
  private readonly out = new Float64Array(6);
  /** The last certified maximum's neighbourhood: δ̃, H (k0, k1, k2, det) and the bound on gᵀH⁻¹g. */
  private readonly last = { da: 0, db: 0, k0: 0, k1: 0, k2: 0, det: 1, quad: 0 };

  /** `center`: the t around which δa is taken (the reference's kink: budgets there move least). */
  constructor(private readonly d: CountsData, readonly a0: number, readonly beta0: number, center: number) {
    const n = d.t.length;
    this.n = n;
    this.c = d.chance;
    this.center = center;
    this.tau = Float64Array.from(d.t, (t) => t - center);
    this.eta0 = Float64Array.from(d.t, (t) => a0 + beta0 * t);
    this.s = COEFF.map((row) => row.map(() => new Float64Array(n + 1)));
    const der = this.scratch;
    for (let i = 0; i < n; i++) {
      const r = d.right[i], f = d.trials[i] - r, tau = this.tau[i];
      pointDerivatives(this.c, this.eta0[i], r, f, der);
      for (let j = 0; j < 5; j++) {
        let tl = 1;
        for (let l = 0; l <= j; l++, tl *= tau) this.s[j][l][i + 1] = this.s[j][l][i] + der[j] * tl;
      }
    }
  }

  private region(ia: number, ib: number): Region {
    const key = ia * WIDTHS.length + ib;
    const cached = this.regions.get(key);
    if (cached !== undefined) return cached;
    const { n, c, d } = this;
    const A = WIDTHS[ia], B = WIDTHS[ib];
    const z = () => new Float64Array(n + 1);
    const R: Region = { A, B, m5: [z(), z(), z(), z(), z(), z()], k0: z(), k1: z(), k2: z(), bad: new Int32Array(n + 1) };
    for (let i = 0; i < n; i++) {
      const r = d.right[i], f = d.trials[i] - r, tau = this.tau[i], eta = this.eta0[i];
      const h = A + B * Math.abs(tau);
      const isBad = (f > 0 && !(eta + h < 0)) || !Number.isFinite(eta);
      const m5 = isBad ? 0 : fifthBound(c, eta, h, r, f);
      const k = isBad ? 0 : curvatureBound(c, eta, h, r, f);
      let tl = 1;
      for (let l = 0; l <= 5; l++, tl *= Math.abs(tau)) R.m5[l][i + 1] = R.m5[l][i] + m5 * tl;
      R.k0[i + 1] = R.k0[i] + k;
      R.k1[i + 1] = R.k1[i] + k * tau;
      R.k2[i + 1] = R.k2[i] + k * tau * tau;
      R.bad[i + 1] = R.bad[i] + (isBad ? 1 : 0);
    }
    this.regions.set(key, R);
    return R;
  }

  /**
   * The Taylor polynomial of budgets [0, m) plus the exact pooled budget at (δa, δβ): value,
   * gradient and Hessian, written into out = [v, ga, gb, haa, hab, hbb].
   */
  private model(m: number, pooled: PooledBudget | null, da: number, db: number, out: Float64Array): void {
    let v = this.s[0][0][m], ga = 0, gb = 0, haa = 0, hab = 0, hbb = 0;
    const da2 = da * da, db2 = db * db;
    const pa = [1, da, da2, da2 * da, da2 * da2];
    const pb = [1, db, db2, db2 * db, db2 * db2];
    for (let j = 1; j <= 4; j++) {
      for (let l = 0; l <= j; l++) {
        const w = COEFF[j][l] * this.s[j][l][m];
        const ea = j - l, eb = l;
        v += w * pa[ea] * pb[eb];
        if (ea >= 1) ga += w * ea * pa[ea - 1] * pb[eb];
        if (eb >= 1) gb += w * eb * pa[ea] * pb[eb - 1];
        if (ea >= 2) haa += w * ea * (ea - 1) * pa[ea - 2] * pb[eb];
        if (ea >= 1 && eb >= 1) hab += w * ea * eb * pa[ea - 1] * pb[eb - 1];
        if (eb >= 2) hbb += w * eb * (eb - 1) * pa[ea] * pb[eb - 2];
      }
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

  /**
   * An upper bound on sup over (a, β) of ln L of budgets [0, m) plus the pooled budget (m ≥ 2
   * without it, m ≥ 1 with it), or +∞ when it cannot be certified. `approximate` (when given) gets the
   * polynomial model's maximum (no guarantee; for choosing where to fit).
   */
  bound(m: number, pooled: PooledBudget | null, approximate?: { value: number }): number {
    if (!(m >= 1 && m <= this.n) || (pooled === null && m < 2)) return Infinity;
    // Newton's method on the model from the reference.
    const out = this.out;
    let da = 0, db = 0;
    this.model(m, pooled, da, db, out);
    if (!Number.isFinite(out[0])) return Infinity;
    for (let it = 0; it < 30; it++) {
      const ga = out[1], gb = out[2], haa = out[3], hab = out[4], hbb = out[5];
      const det = haa * hbb - hab * hab;
      if (!(haa < 0 && det > 0)) return Infinity;
      const sa = -(hbb * ga - hab * gb) / det, sb = -(haa * gb - hab * ga) / det;
      const before = out[0];
      let lambda = 1;
      for (let h = 0; h < 30; h++, lambda /= 2) {
        this.model(m, pooled, da + lambda * sa, db + lambda * sb, out);
        if (out[0] >= before) break;
      }
      if (!(out[0] >= before)) {
        this.model(m, pooled, da, db, out);
        break;
      }
      da += lambda * sa;
      db += lambda * sb;
      if (Math.abs(lambda * sa) + Math.abs(lambda * sb) < 1e-15) break;
    }
    if (approximate) approximate.value = out[0];
    const ia = widthIndex(da), ib = widthIndex(db);
    if (ia < 0 || ib < 0) return Infinity;
    return this.certify(m, pooled, da, db, this.region(ia, ib));
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

  /** The certificate of the header on region R, or +∞. this.out = the model at δ̃ = (da, db). */
  private certify(m: number, pooled: PooledBudget | null, da: number, db: number, R: Region): number {
    if (R.bad[m] > 0) return Infinity;
    const out = this.out;
    let k0 = R.k0[m], k1 = R.k1[m], k2 = R.k2[m];
    if (pooled !== null) {
      const r = pooled.right, f = pooled.trials - r;
      const eta = this.a0 + this.beta0 * pooled.s;
      const tau = pooled.s - this.center;
      const h = R.A + R.B * Math.abs(tau);
      if (f > 0 && !(eta + h < 0)) return Infinity;
      const k = curvatureBound(this.c, eta, h, r, f);
      k0 += k; k1 += k * tau; k2 += k * tau * tau;
    }
    const det = k0 * k2 - k1 * k1;
    if (!(k0 > 0 && det > 0)) return Infinity;
    // Remainders: Σ M_i·(|δa| + |δβ|·|τ_i|)^5/5! for the value, ^4/4! (times 1 and |τ_i|) for the gradient.
    const xa = Math.abs(da), xb = Math.abs(db);
    let value = 0, errA = 0, errB = 0;
    for (let l = 0; l <= 5; l++) value += BINOMIAL5[l] * xa ** (5 - l) * xb ** l * R.m5[l][m];
    for (let l = 0; l <= 4; l++) {
      const w = BINOMIAL4[l] * xa ** (4 - l) * xb ** l;
      errA += w * R.m5[l][m];
      errB += w * R.m5[l + 1][m];
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
