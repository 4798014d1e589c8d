// SPEC §G3 — the leaf law min(g_max, k·x^β) fitted to counts (x, right, trials) by binomial maximum
// likelihood, in time linear in the distinct budgets (issue 16).
//
// The fit is defined exactly (no Nelder–Mead): with η = ln k + β·ln x and p = p_c + (1 − p_c)·g,
// the min() law over sorted distinct budgets t_0 < … < t_{n−1} (t = ln x) is one of
//  - no saturation: g = e^η at every budget (q = 2);
//  - a split j (power law on budgets [0, j), g_max on [j, n)) whose kink ln x* = (ln g_max − ln k)/β
//    falls in [t_{j−1}, t_j]: the law is then the two separate fits — the power-law maximum
//    likelihood on [0, j) and the pooled skill of [j, n) (q = 3);
//  - a kink at budget k: g = e^(ln k + β·min(t, t_k)), i.e. g_max = k·x_k^β (q = 3). When a split's
//    separate fits contradict the min() (their kink lies outside [t_{j−1}, t_j]), the best law with
//    that saturation pattern has its kink on a data point: this family, a two-parameter likelihood
//    with covariate min(t, t_k), solved like the power law itself.
// Saturated laws need β > 0, at least four distinct budgets, two of them below or at the kink and
// two at or above it (splits j ∈ [2, n − 2], kinks k ∈ [1, n − 2]). Each two-parameter likelihood is
// maximised by Fisher scoring from the least-squares start on ln u (step halving; it stops when a
// step moves (ln k, β) by less than 1e-12 relative), so every candidate is a deterministic function
// of the data, its (ln k, β) solving the score equations to about 1e-12; the fit is the lowest
// AIC = 2q − 2 ln L, ties to fewer parameters, then to the smaller split or kink index (splits
// before kinks).
//
// Search (fitLeafCounts; up to EXHAUSTIVE_BUDGETS budgets it is the exhaustive search itself). Both
// candidates at index m have ln L ≤ U(m) = Sat(m) − Dev(m)/2 + Q(m): Sat(m) = Σ_{i<m} max_p ln L_i
// (each budget at its own accuracy, floored at chance), Q(m) the pooled-constant maximum over
// [m, n) (suffix sums), Dev(m) the power-law deviance of [0, m), nondecreasing in m (a power law
// fitted to more budgets cannot fit them better), so a lower bound of Dev at an anchor a ≤ m bounds
// U(m) in O(1). Tighter, certified Taylor bounds around a reference law (countsTaylorBound.ts)
// bound each index's split and kink in O(1) where the reference is close. Steps: (1) the exhaustive
// fit of the budgets pooled into COARSE_BINS groups locates the kink, whose law is fitted; (2) every
// index is bounded around the best law so far and closed if it cannot win; (3) a best-first branch
// and bound over index ranges halves the range of highest bound at an anchor (Dev from a Taylor
// bound, else an exact fit) or fits an index's open candidates, until no bound can beat the best
// AIC; every exact fit becomes a reference swept over its neighbours. The result equals the
// exhaustive search (fitLeafCountsExhaustive; the tests compare them), assuming each two-parameter
// fit reaches its maximum (a theorem for chance 0, where the likelihood is concave in (ln k, β); for
// chance > 0 it is concave near the data's fit, not near chance).
import { InvalidParameterError } from '../errors.ts';
import { CountsTaylorBound } from './countsTaylorBound.ts';

/** Counts pooled per distinct budget, sorted by x (leafLawFit's Data satisfies it). */
export interface CountsData {
  chance: number;
  /** ln x per distinct budget, increasing. */
  t: readonly number[];
  right: readonly number[];
  trials: readonly number[];
}

export type CountsPattern = { kind: 'none' } | { kind: 'split'; index: number } | { kind: 'kink'; index: number };

export interface CountsCandidate {
  /** ln k. */
  a: number;
  beta: number;
  /** g_max (1 when not reached). */
  gMax: number;
  reached: boolean;
  logLikelihood: number;
  aic: number;
  q: number;
  pattern: CountsPattern;
}

/** A pooled extra budget: covariate s with R right answers out of N (the kink family's saturated rest). */
interface Extra { s: number; right: number; trials: number }

/** One budget's ln L at η (−∞ when g = e^η > 1 or p = 1 with wrong answers). */
function pointLogLikelihood(c: number, eta: number, r: number, n: number): number {
  const g = Math.exp(eta);
  if (!(g <= 1)) return -Infinity;
  const p = c + (1 - c) * g;
  const f = n - r;
  let v = r > 0 ? r * Math.log(p) : 0;
  if (f > 0) v = p >= 1 ? -Infinity : v + f * Math.log1p(-p);
  return v;
}

/** The score d ln L/d(a, β) and the Fisher information at one law (filled by logLikelihood). */
interface Score { sa: number; sb: number; iaa: number; iab: number; ibb: number }

/**
 * ln L of p = c + (1 − c)·e^(a + β·s) over budgets [0, m) and an optional pooled budget (−∞ when
 * g > 1), and, in the same pass, the score and information at (a, β) when `score` is given (ln L
 * sums the pooled budget first, the score last: the order the fit has always used).
 */
function logLikelihood(d: CountsData, m: number, extra: Extra | null, a: number, beta: number, score?: Score): number {
  const c = d.chance, t = d.t, right = d.right, trials = d.trials;
  let sum = extra === null ? 0 : pointLogLikelihood(c, a + beta * extra.s, extra.right, extra.trials);
  let sa = 0, sb = 0, iaa = 0, iab = 0, ibb = 0;
  for (let i = 0; i < m && sum > -Infinity; i++) {
    // pointLogLikelihood and the score, sharing one e^η.
    const s = t[i], r = right[i], n = trials[i];
    const g = Math.exp(a + beta * s);
    if (!(g <= 1)) return -Infinity;
    const p = c + (1 - c) * g;
    const f = n - r;
    let v = r > 0 ? r * Math.log(p) : 0;
    if (f > 0) v = p >= 1 ? -Infinity : v + f * Math.log1p(-p);
    sum += v;
    if (score) {
      const dp = (1 - c) * g;
      const pq = Math.max(p * (1 - p), 1e-300);
      const u = ((r - n * p) / pq) * dp; // d ln L / dη
      const info = (n / pq) * dp * dp;
      sa += u;
      sb += u * s;
      iaa += info;
      iab += info * s;
      ibb += info * s * s;
    }
  }
  if (score && sum > -Infinity) {
    if (extra !== null) {
      const dp = (1 - c) * Math.exp(a + beta * extra.s);
      const p = c + dp;
      const pq = Math.max(p * (1 - p), 1e-300);
      const u = ((extra.right - extra.trials * p) / pq) * dp;
      const info = (extra.trials / pq) * dp * dp;
      sa += u;
      sb += u * extra.s;
      iaa += info;
      iab += info * extra.s;
      ibb += info * extra.s * extra.s;
    }
    score.sa = sa; score.sb = sb; score.iaa = iaa; score.iab = iab; score.ibb = ibb;
  }
  return sum;
}

/** The least-squares start's ln max(u, 0.5/trials, 1e-9) per budget, per data set. */
const startValues = new WeakMap<CountsData, Float64Array>();

/**
 * Maximum likelihood of the two-parameter law p = c + (1 − c)·e^(a + β·s) over budgets [0, m)
 * (s = t) plus an optional pooled budget: Fisher scoring with step halving from the unweighted
 * least-squares line through ln max(u, 0.5/trials, 1e-9). Null if no feasible start exists.
 */
export function twoParameterFit(d: CountsData, m: number, extra: Extra | null): { a: number; beta: number; logLikelihood: number } | null {
  const c = d.chance;
  const count = m + (extra === null ? 0 : 1);
  const startY = (r: number, n: number) => Math.log(Math.max((r / n - c) / (1 - c), 0.5 / n / (1 - c), 1e-9));
  // Least-squares start (centred sums, one pass each); each budget's ln u once per data set.
  let y = startValues.get(d);
  if (y === undefined) {
    y = Float64Array.from(d.t, (_, i) => startY(d.right[i], d.trials[i]));
    startValues.set(d, y);
  }
  let st = 0, sy = 0;
  for (let i = 0; i < m; i++) {
    st += d.t[i];
    sy += y[i];
  }
  if (extra !== null) {
    st += extra.s;
    sy += startY(extra.right, extra.trials);
  }
  const tm = st / count, ym = sy / count;
  let stt = 0, sty = 0;
  for (let i = 0; i < m; i++) {
    const dt = d.t[i] - tm;
    stt += dt * dt;
    sty += dt * (y[i] - ym);
  }
  if (extra !== null) {
    const dt = extra.s - tm;
    stt += dt * dt;
    sty += dt * (startY(extra.right, extra.trials) - ym);
  }
  let beta = sty / stt;
  let a = ym - beta * tm;
  if (!Number.isFinite(a) || !Number.isFinite(beta)) return null;
  // The score and information at the current law come from the pass that computed its ln L.
  let here: Score = { sa: 0, sb: 0, iaa: 0, iab: 0, ibb: 0 };
  let trial: Score = { sa: 0, sb: 0, iaa: 0, iab: 0, ibb: 0 };
  let current = logLikelihood(d, m, extra, a, beta, here);
  for (let shrink = 0; shrink < 200 && !Number.isFinite(current); shrink++) {
    a -= 0.1;
    current = logLikelihood(d, m, extra, a, beta, here);
  }
  if (!Number.isFinite(current)) return null;
  for (let it = 0; it < 100; it++) {
    const { sa, sb, iaa, iab, ibb } = here;
    const det = iaa * ibb - iab * iab;
    if (!(det > 0)) break;
    const da = (ibb * sa - iab * sb) / det;
    const db = (iaa * sb - iab * sa) / det;
    // Step halving guards the first steps; near the optimum ln L is flat to rounding (its changes
    // fall below 1e-12 relative long before β settles), so a step that loses no more than rounding
    // is taken and the iteration ends on the step size: (ln k, β) solve the score equations to
    // about 1e-12 relative, whatever the order of the sums.
    const size = Math.abs(da) + Math.abs(db);
    const tolerance = 1e-12 * (1 + Math.abs(a) + Math.abs(beta));
    const rounding = 1e-11 * (1 + Math.abs(current));
    let lambda = 1;
    let next = -Infinity;
    for (let h = 0; h < 60; h++, lambda /= 2) {
      next = logLikelihood(d, m, extra, a + lambda * da, beta + lambda * db, trial);
      if (next >= current - rounding) break;
    }
    if (!(next >= current - rounding)) break;
    a += lambda * da;
    beta += lambda * db;
    current = next;
    [here, trial] = [trial, here];
    if (lambda * size < tolerance) break;
  }
  return { a, beta, logLikelihood: current };
}

/** Right answers and trials summed over budgets [0, i) (length n + 1). */
function prefixCounts(d: CountsData): { right: Float64Array; trials: Float64Array } {
  const n = d.t.length;
  const right = new Float64Array(n + 1), trials = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) {
    right[i + 1] = right[i] + d.right[i];
    trials[i + 1] = trials[i] + d.trials[i];
  }
  return { right, trials };
}

/** max over p ∈ [c, 1] of r·ln p + f·ln(1 − p): the pooled-constant (or one budget's) best ln L. */
function constantMax(c: number, r: number, n: number): number {
  const p = Math.max(r / n, c);
  const f = n - r;
  return (r > 0 ? r * Math.log(p) : 0) + (f > 0 ? f * Math.log1p(-p) : 0);
}

/** The AIC order of candidates: lower AIC, then fewer parameters, then none < split < kink, then index. */
function better(x: CountsCandidate, y: CountsCandidate | null): boolean {
  if (y === null) return true;
  if (x.aic !== y.aic) return x.aic < y.aic;
  if (x.q !== y.q) return x.q < y.q;
  const rank = (p: CountsPattern) => (p.kind === 'none' ? 0 : p.kind === 'split' ? 1 : 2);
  if (rank(x.pattern) !== rank(y.pattern)) return rank(x.pattern) < rank(y.pattern);
  const index = (p: CountsPattern) => (p.kind === 'none' ? 0 : p.index);
  return index(x.pattern) < index(y.pattern);
}

/** The law without saturation (the power-law fit over every budget). */
export function unsaturatedCandidate(d: CountsData): CountsCandidate | null {
  const fit = twoParameterFit(d, d.t.length, null);
  if (fit === null || !Number.isFinite(fit.logLikelihood)) return null;
  return { a: fit.a, beta: fit.beta, gMax: 1, reached: false, logLikelihood: fit.logLikelihood, aic: 4 - 2 * fit.logLikelihood, q: 2, pattern: { kind: 'none' } };
}

/**
 * Split j's separate fits (power law on [0, j) given as `power`, pooled skill of [j, n)), when they
 * agree with the min(): β > 0, 0 < g_max ≤ 1 and the kink in [t_{j−1}, t_j]. Else null.
 */
export function splitCandidate(d: CountsData, j: number, power: { a: number; beta: number; logLikelihood: number } | null, sums = prefixCounts(d)): CountsCandidate | null {
  const n = d.t.length;
  if (power === null || !(j >= 2 && j <= n - 2) || !(power.beta > 0) || !Number.isFinite(power.logLikelihood)) return null;
  const r = sums.right[n] - sums.right[j], tr = sums.trials[n] - sums.trials[j];
  const gMax = (r / tr - d.chance) / (1 - d.chance);
  if (!(gMax > 0 && gMax <= 1)) return null;
  const lg = Math.log(gMax);
  if (!(power.a + power.beta * d.t[j - 1] <= lg && lg <= power.a + power.beta * d.t[j])) return null;
  const logLikelihood = power.logLikelihood + constantMax(d.chance, r, tr);
  return { a: power.a, beta: power.beta, gMax, reached: true, logLikelihood, aic: 6 - 2 * logLikelihood, q: 3, pattern: { kind: 'split', index: j } };
}

/** The law with its kink at budget k (g_max = k·x_k^β, β > 0), k ∈ [1, n − 2]. Else null. */
export function kinkCandidate(d: CountsData, k: number, sums = prefixCounts(d)): CountsCandidate | null {
  const n = d.t.length;
  if (!(k >= 1 && k <= n - 2)) return null;
  const extra = { s: d.t[k], right: sums.right[n] - sums.right[k], trials: sums.trials[n] - sums.trials[k] };
  const fit = twoParameterFit(d, k, extra);
  if (fit === null || !(fit.beta > 0) || !Number.isFinite(fit.logLikelihood)) return null;
  const gMax = Math.exp(fit.a + fit.beta * d.t[k]);
  if (!(gMax > 0 && gMax <= 1)) return null;
  return { a: fit.a, beta: fit.beta, gMax, reached: true, logLikelihood: fit.logLikelihood, aic: 6 - 2 * fit.logLikelihood, q: 3, pattern: { kind: 'kink', index: k } };
}

function noFit(name: string): never {
  throw new InvalidParameterError(name, 'data a power law k·x^β can be fitted to', 'no feasible fit');
}

/** Every candidate fitted (O(n²)): the definition the fast search must reproduce. */
export function fitLeafCountsExhaustive(d: CountsData, name = 'observations'): CountsCandidate {
  const n = d.t.length;
  const sums = prefixCounts(d);
  let best = unsaturatedCandidate(d);
  if (n >= 4) {
    for (let m = 1; m <= n - 2; m++) {
      const split = m >= 2 ? splitCandidate(d, m, twoParameterFit(d, m, null), sums) : null;
      if (split !== null && better(split, best)) best = split;
      const kink = kinkCandidate(d, m, sums);
      if (kink !== null && better(kink, best)) best = kink;
    }
  }
  return best ?? noFit(name);
}

/** Argmax over index ranges of values that can be lowered to −∞ (a segment tree; ties to the lower index). */
class RangeArgmax {
  private readonly size: number;
  private readonly tree: Int32Array;
  constructor(private readonly v: Float64Array) {
    let size = 1;
    while (size < v.length) size *= 2;
    this.size = size;
    this.tree = new Int32Array(2 * size).fill(-1);
    for (let i = 0; i < v.length; i++) this.tree[size + i] = i;
    for (let k = size - 1; k >= 1; k--) this.tree[k] = this.pick(this.tree[2 * k], this.tree[2 * k + 1]);
  }
  private pick(i: number, j: number): number {
    if (i < 0) return j;
    if (j < 0) return i;
    return this.v[j] > this.v[i] || (this.v[j] === this.v[i] && j < i) ? j : i;
  }
  /** Sets v[i] = −∞. */
  remove(i: number): void {
    this.v[i] = -Infinity;
    for (let k = (this.size + i) >> 1; k >= 1; k >>= 1) this.tree[k] = this.pick(this.tree[2 * k], this.tree[2 * k + 1]);
  }
  /** Index of the largest value over [lo, hi) (hi > lo). */
  argmax(lo: number, hi: number): number {
    let best = -1;
    for (let l = lo + this.size, r = hi + this.size; l < r; l >>= 1, r >>= 1) {
      if (l & 1) best = this.pick(best, this.tree[l++]);
      if (r & 1) best = this.pick(best, this.tree[--r]);
    }
    return best;
  }
}

/**
 * An index range [lo, hi) of the branch and bound: lo is an anchor (Dev(lo) computed, or a lower
 * bound of it when the power law cannot be fitted there), `resolved` once lo's candidates are fitted;
 * `best` is the range's index of highest cheap bound and `bound` that bound minus Dev(lo)/2.
 */
interface Range { lo: number; hi: number; deviance: number; resolved: boolean; bound: number; best: number }

/** Binary max-heap of ranges by bound. */
class RangeHeap {
  private readonly items: Range[] = [];
  get size(): number { return this.items.length; }
  push(r: Range): void {
    const a = this.items;
    a.push(r);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (a[p].bound >= a[i].bound) break;
      [a[p], a[i]] = [a[i], a[p]];
      i = p;
    }
  }
  pop(): Range {
    const a = this.items;
    const top = a[0];
    const last = a.pop()!;
    if (a.length > 0) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1, r = l + 1;
        let m = i;
        if (l < a.length && a[l].bound > a[m].bound) m = l;
        if (r < a.length && a[r].bound > a[m].bound) m = r;
        if (m === i) break;
        [a[m], a[i]] = [a[i], a[m]];
        i = m;
      }
    }
    return top;
  }
  peek(): Range { return this.items[0]; }
}

/** Counters of the last fitLeafCounts call (how much exact work the bound left; for tests and docs). */
export const countsSearchWork = { anchors: 0, resolved: 0, certified: 0, exactFits: 0 };

/** Budgets pooled into `bins` consecutive groups at their mean ln x: a small data set whose exhaustive fit locates the kink. */
function coarse(d: CountsData, bins: number): CountsData {
  const n = d.t.length;
  const t: number[] = [], right: number[] = [], trials: number[] = [];
  for (let b = 0; b < bins; b++) {
    const from = Math.floor((b * n) / bins), to = Math.floor(((b + 1) * n) / bins);
    let st = 0, r = 0, tr = 0;
    for (let i = from; i < to; i++) {
      st += d.t[i];
      r += d.right[i];
      tr += d.trials[i];
    }
    t.push(st / (to - from));
    right.push(r);
    trials.push(tr);
  }
  return { chance: d.chance, t, right, trials };
}

/** Index of the first budget with t ≥ x (n when none). */
function firstAtLeast(t: readonly number[], x: number): number {
  let lo = 0, hi = t.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (t[mid] >= x) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Groups of the coarse fit that locates the kink. */
export const COARSE_BINS = 32;
/** Distinct budgets up to which the search is the exhaustive one (faster there: ~3 ms at 40). */
export const EXHAUSTIVE_BUDGETS = 64;

/** Taylor references kept at once for the branch and bound's anchors (each holds O(n) prefix sums). */
const MAX_REFERENCES = 4;
/** References are laws with |β| < this (a larger |β| is a fit running off towards a step). */
const MAX_REFERENCE_BETA = 5;
/** A reference's sweep stops after this many indices in a row where it certifies nothing new. */
const SWEEP_MISSES = 16;

/**
 * The fit of fitLeafCountsExhaustive by branch and bound (see the header): O(n) bookkeeping, O(1)
 * certified Taylor bounds near the reference law, and one O(m) two-parameter fit per candidate
 * whose bound could beat the best. `bins` (tests) sets the coarse fit's size and the size up to
 * which the search is exhaustive (by default COARSE_BINS and EXHAUSTIVE_BUDGETS).
 */
export function fitLeafCounts(d: CountsData, name = 'observations', bins?: number): CountsCandidate {
  const n = d.t.length;
  countsSearchWork.anchors = 0;
  countsSearchWork.resolved = 0;
  countsSearchWork.certified = 0;
  countsSearchWork.exactFits = 0;
  if (n <= (bins ?? EXHAUSTIVE_BUDGETS)) return fitLeafCountsExhaustive(d, name);
  let best = unsaturatedCandidate(d);
  countsSearchWork.exactFits++;
  const sums = prefixCounts(d);
  const c = d.chance;
  // The kink family's pooled rest at index m (one object, refilled: the bounds only read it).
  const rest = { s: 0, right: 0, trials: 0 };
  const pooled = (m: number) => {
    rest.s = d.t[m];
    rest.right = sums.right[n] - sums.right[m];
    rest.trials = sums.trials[n] - sums.trials[m];
    return rest;
  };
  const powerFits = new Map<number, { a: number; beta: number; logLikelihood: number } | null>();
  const powerFit = (m: number) => {
    if (!powerFits.has(m)) {
      countsSearchWork.exactFits++;
      powerFits.set(m, twoParameterFit(d, m, null));
    }
    return powerFits.get(m)!;
  };
  // satPrefix[m] = Sat(m); cheap[m] = Sat(m) + Q(m) for m ∈ [1, n − 2] (index 0 is never a candidate).
  const satPrefix = new Float64Array(n);
  for (let m = 0; m < n - 1; m++) satPrefix[m + 1] = satPrefix[m] + constantMax(c, d.right[m], d.trials[m]);
  // restMax[m] = Q(m), read several times per index by the sweeps: computed once.
  const restMax = new Float64Array(n - 1);
  for (let m = 1; m < n - 1; m++) restMax[m] = constantMax(c, sums.right[n] - sums.right[m], sums.trials[n] - sums.trials[m]);
  const suffixMax = (m: number) => restMax[m];
  const cheap = new Float64Array(n - 1);
  cheap[0] = -Infinity;
  for (let m = 1; m < n - 1; m++) cheap[m] = satPrefix[m] + restMax[m];
  // A candidate of bound U beats the best only if 6 − 2U < best AIC. The slack covers rounding: every
  // ln L and bound here is a recursive sum of at most n + 1 nonpositive terms (a few ulps each), off
  // by at most (n + 1)·u·|sum| (u = 2⁻⁵³); four times that of the largest sums in play, so near-ties
  // are fitted, never pruned. (A fixed 1e-9 relative slack kept ~15× more near-ties at 10⁵ budgets.)
  const threshold = () => (best === null ? -Infinity : (6 - best.aic) / 2);
  const magnitude = 1 + Math.abs(satPrefix[n - 1]) + Math.abs(cheap[1]) + (best === null ? 0 : Math.abs(best.logLikelihood));
  const slack = 4 * (n + 16) * 2 ** -53 * magnitude;
  const open = (bound: number) => bound >= threshold() - slack;

  // Runaway limits. With chance > 0 a fit can climb towards a step (β → ∞: every budget below the
  // step at chance), a supremum at infinity that no local certificate sees, and the exhaustive fit
  // stops there after 100 steps. Its ln L tends to chance's ln L below the step plus the rest at its
  // own best, so a bound never goes below that limit: for the power law of [0, m) the step is at
  // budget m − 1, for the kink law at m (the pooled rest). With chance 0 the limit is −∞.
  const chancePrefix = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) {
    const r = d.right[i], f = d.trials[i] - r;
    chancePrefix[i + 1] = chancePrefix[i] + (r > 0 ? r * Math.log(c) : 0) + (f > 0 ? f * Math.log1p(-c) : 0);
  }
  const powerLimit = (m: number) => chancePrefix[m - 1] + constantMax(c, d.right[m - 1], d.trials[m - 1]);
  const kinkLimit = (m: number) => chancePrefix[m] + suffixMax(m);
  // Per index, certified upper bounds of the split's and the kink's ln L (+∞: unknown; −∞: no candidate).
  const splitBound = new Float64Array(n - 1).fill(Infinity);
  const kinkBound = new Float64Array(n - 1).fill(Infinity);
  const fittedSplit = new Uint8Array(n - 1), fittedKink = new Uint8Array(n - 1);
  // Candidates the slope test (step 0) puts at β < 0: no Taylor bound is needed for them.
  const splitFalls = new Uint8Array(n - 1), kinkFalls = new Uint8Array(n - 1);
  // What to do with an exact fit's law besides comparing it (set once references are in use).
  let onFit: (law: { a: number; beta: number }, m: number, kink: boolean) => void = () => {};
  const fitSplit = (m: number) => {
    if (fittedSplit[m] || m < 2) return;
    fittedSplit[m] = 1;
    const known = powerFits.has(m);
    const power = powerFit(m);
    const split = splitCandidate(d, m, power, sums);
    if (split !== null && better(split, best)) best = split;
    if (!known && power !== null && Number.isFinite(power.logLikelihood)) onFit(power, m, false);
  };
  const fitKink = (m: number) => {
    if (fittedKink[m]) return;
    fittedKink[m] = 1;
    countsSearchWork.exactFits++;
    const kink = kinkCandidate(d, m, sums);
    if (kink !== null && better(kink, best)) best = kink;
    if (kink !== null) onFit(kink, m, true);
  };
  /** Fits index m's candidates that its bounds leave open. */
  const resolve = (m: number) => {
    countsSearchWork.resolved++;
    if (open(splitBound[m])) fitSplit(m);
    if (open(kinkBound[m])) fitKink(m);
  };
  // A split's separate fits count only when the power law reaches the rest's g_max between t_{m−1}
  // and t_m: where the certified maximiser's η there is on one side of ln g_max by more than
  // rounding, split m is no candidate whatever its likelihood.
  const splitRuledOut = (m: number, bound: CountsTaylorBound) => {
    const r = sums.right[n] - sums.right[m], tr = sums.trials[n] - sums.trials[m];
    const gMax = (r / tr - c) / (1 - c);
    if (!(gMax > 0 && gMax <= 1)) return true;
    const lg = Math.log(gMax);
    const tolerance = 1e-9 * (1 + Math.abs(lg));
    const below = bound.etaInterval(d.t[m - 1]), above = bound.etaInterval(d.t[m]);
    return below[0] > lg + tolerance || above[1] < lg - tolerance;
  };
  const saneReference = (law: { a: number; beta: number }) => Math.abs(law.beta) < MAX_REFERENCE_BETA && Number.isFinite(law.a);
  const referenceAt = (law: { a: number; beta: number }, center: number) => new CountsTaylorBound(d, law.a, law.beta, center);
  // A reference's centre is where its g is highest (its kink, or the end it rises towards): budgets
  // there, nearest g = 1, get the narrowest intervals.
  const kinkOf = (x: { a: number; beta: number; gMax: number; reached: boolean }) =>
    (x.reached && x.beta > 0 ? (Math.log(x.gMax) - x.a) / x.beta : x.beta >= 0 ? d.t[n - 1] : d.t[0]);
  const argmax = new RangeArgmax(cheap);
  // Recently built references, tried first for an anchor's power law.
  const references: CountsTaylorBound[] = [];
  const remember = (reference: CountsTaylorBound) => {
    references.unshift(reference);
    if (references.length > MAX_REFERENCES) references.pop();
  };
  /**
   * Tightens index m's bounds with one reference; closes the index (−∞ in the search) when neither
   * candidate can beat the best. Returns whether the reference certified anything there. `approx`
   * collects the highest approximate ln L of a candidate not yet fitted (for choosing what to fit).
   */
  const approx = { value: -Infinity };
  let top = -Infinity, topIndex = -1, topKink = false;
  const tighten = (reference: CountsTaylorBound, m: number): boolean => {
    approx.value = -Infinity;
    let kink = kinkFalls[m] ? -Infinity : reference.bound(m, pooled(m), approx);
    // A kink law needs β > 0: a certified maximiser with β < 0 (beyond rounding) is no candidate.
    if (kink > -Infinity && kink < Infinity && reference.betaInterval()[1] < -1e-9) kink = -Infinity;
    if (kink > -Infinity && approx.value > top && !fittedKink[m]) {
      top = approx.value;
      topIndex = m;
      topKink = true;
    }
    kinkBound[m] = Math.min(kinkBound[m], cheap[m], Math.max(kink, kinkLimit(m)));
    let split = -Infinity;
    if (m >= 2 && !splitFalls[m]) {
      approx.value = -Infinity;
      split = reference.bound(m, null, approx);
      if (split < Infinity && (reference.betaInterval()[1] < -1e-9 || splitRuledOut(m, reference))) split = -Infinity;
      else {
        split += suffixMax(m);
        if (approx.value + suffixMax(m) > top && !fittedSplit[m]) {
          top = approx.value + suffixMax(m);
          topIndex = m;
          topKink = false;
        }
      }
      splitBound[m] = Math.min(splitBound[m], cheap[m], Math.max(split, powerLimit(m) + suffixMax(m)));
    }
    if (cheap[m] > -Infinity && !open(Math.max(splitBound[m], kinkBound[m]))) {
      argmax.remove(m);
      countsSearchWork.certified++;
    }
    return kink < Infinity || split < Infinity;
  };
  /** A reference at an exact fit near index m0, used on the indices around m0 while it certifies them. */
  const sweepFrom = (law: { a: number; beta: number }, center: number, m0: number) => {
    // A fit that ran off (a runaway |β|) is no reference: it sits where the likelihood of other
    // indices can have stray local maxima (chance > 0 is not concave).
    if (!saneReference(law)) return;
    const reference = referenceAt(law, center);
    remember(reference);
    for (const step of [-1, 1]) {
      let misses = 0;
      for (let m = step < 0 ? m0 : m0 + 1; m >= 1 && m <= n - 2 && misses < SWEEP_MISSES; m += step) {
        if (cheap[m] === -Infinity) misses++;
        else misses = tighten(reference, m) ? 0 : misses + 1;
      }
    }
  };

  // 0. Candidates that would fall. At β = 0 with ln k at its best (one pooled skill), the slope of
  //    ln L in β is K·(mean ln x of the right answers − mean ln x of the wrong ones), K > 0; the
  //    profile of a concave ln L falls beyond a point where it falls, so a negative slope puts the
  //    maximum at β < 0: no split (its power law needs β > 0) and no kink (likewise). Prefix sums
  //    make it O(1) per index; it is what keeps falling data (which end in the β > 0 error) fast.
  {
    const rt = new Float64Array(n + 1), ft = new Float64Array(n + 1);
    for (let i = 0; i < n; i++) {
      rt[i + 1] = rt[i] + d.right[i] * d.t[i];
      ft[i + 1] = ft[i] + (d.trials[i] - d.right[i]) * d.t[i];
    }
    const span = 1 + Math.abs(d.t[0]) + Math.abs(d.t[n - 1]);
    /** Whether mean t of right answers < mean t of wrong answers by more than rounding (and both exist, above chance). */
    const falls = (r: number, f: number, sumRt: number, sumFt: number) =>
      r > 0 && f > 0 && r / (r + f) > c && sumRt / r - sumFt / f < -1e-9 * span;
    const right = sums.right[n], wrong = sums.trials[n] - right;
    for (let m = 1; m < n - 1; m++) {
      if (m >= 2 && falls(sums.right[m], sums.trials[m] - sums.right[m], rt[m], ft[m])) {
        splitFalls[m] = 1;
        splitBound[m] = Math.min(cheap[m], powerLimit(m) + suffixMax(m));
      }
      const restRight = right - sums.right[m], restWrong = wrong - (sums.trials[m] - sums.right[m]);
      if (falls(right, wrong, rt[m] + restRight * d.t[m], ft[m] + restWrong * d.t[m])) {
        kinkFalls[m] = 1;
        kinkBound[m] = Math.min(cheap[m], kinkLimit(m));
      }
      if (!open(Math.max(m >= 2 ? splitBound[m] : -Infinity, kinkBound[m]))) {
        argmax.remove(m);
        countsSearchWork.certified++;
      }
    }
  }
  // 1. A reference: the exhaustive fit of the budgets pooled into `bins` groups locates the kink,
  //    and the kink law on the budget there is fitted exactly.
  let guess: CountsCandidate | null = null;
  try {
    guess = fitLeafCountsExhaustive(coarse(d, bins ?? COARSE_BINS), name);
  } catch {
    guess = null;
  }
  if (guess !== null && guess.reached && guess.beta > 0) fitKink(Math.min(n - 2, Math.max(1, firstAtLeast(d.t, kinkOf(guess)))));
  // 2. Certified Taylor bounds around the best law so far (countsTaylorBound.ts) for every index, in
  //    O(1) each. The candidate of highest approximate ln L is fitted; while that wins (at most four
  //    times), its law is the reference of a sweep over the indices around it.
  top = -Infinity;
  topIndex = -1;
  if (best !== null && saneReference(best)) {
    const taylor = referenceAt(best, kinkOf(best));
    remember(taylor);
    for (let m = 1; m < n - 1; m++) if (cheap[m] > -Infinity) tighten(taylor, m);
  }
  for (let round = 0; round < 4 && topIndex >= 0 && top > threshold(); round++) {
    const reference = best;
    const [m, kink] = [topIndex, topKink];
    if (kink) fitKink(m);
    else fitSplit(m);
    if (best === reference || best === null) break;
    top = -Infinity;
    topIndex = -1;
    sweepFrom(best, kinkOf(best), m);
  }

  // 3. Branch and bound over what is left. Every exact fit becomes a reference for the indices
  //    around it (sweepFrom), so fits are not repeated index by index where the likelihood is flat.
  //    An anchor's Dev lower bound comes from a certified Taylor bound when a recent reference
  //    reaches it (O(1)), else from an exact fit.
  onFit = (law, m, kink) => sweepFrom(law, law.beta < 0 ? d.t[0] : kink ? d.t[m] : d.t[m - 1], m);
  const powerBound = (m: number): number => {
    for (const reference of references) {
      const b = reference.bound(m, null);
      if (b < Infinity) return Math.max(b, powerLimit(m));
    }
    const known = powerFits.has(m);
    const fit = powerFit(m);
    if (fit === null || !Number.isFinite(fit.logLikelihood)) return Infinity;
    // The law becomes a reference for the indices around the anchor and the next anchors.
    if (!known) sweepFrom(fit, fit.beta < 0 ? d.t[0] : d.t[m - 1], m);
    return fit.logLikelihood;
  };
  const heap = new RangeHeap();
  const push = (r: Omit<Range, 'bound' | 'best'>) => {
    const from = r.resolved ? r.lo + 1 : r.lo;
    if (from >= r.hi) return;
    const i = argmax.argmax(from, r.hi);
    if (cheap[i] === -Infinity) return;
    heap.push({ ...r, best: i, bound: cheap[i] - r.deviance / 2 });
  };
  // Dev(1) = 0 exactly (one budget fits its own accuracy), so index 1 is an exact anchor.
  push({ lo: 1, hi: n - 1, deviance: 0, resolved: false });
  while (heap.size > 0 && heap.peek().bound > threshold() - slack) {
    const r = heap.pop();
    // Indices closed since the range was pushed lower its bound: re-queue it.
    const from = r.resolved ? r.lo + 1 : r.lo;
    const i = argmax.argmax(from, r.hi);
    if (cheap[i] === -Infinity) continue;
    if (i !== r.best) {
      heap.push({ ...r, best: i, bound: cheap[i] - r.deviance / 2 });
      continue;
    }
    if (r.best === r.lo) {
      resolve(r.lo);
      push({ ...r, resolved: true });
      continue;
    }
    // Not yet decided: a new anchor halves the range (an anchor at the range's best index would peel
    // one index at a time, since Sat(m) + Q(m) grows towards the top); an infeasible power law on
    // [0, m) leaves the lower bound Dev(lo).
    const m = (r.lo + r.hi) >>> 1;
    countsSearchWork.anchors++;
    const upper = powerBound(m);
    const deviance = upper < Infinity ? Math.max(r.deviance, 2 * (satPrefix[m] - upper) - 2 * slack) : r.deviance;
    push({ lo: r.lo, hi: m, deviance: r.deviance, resolved: r.resolved });
    push({ lo: m, hi: r.hi, deviance, resolved: false });
  }
  return best ?? noFit(name);
}
