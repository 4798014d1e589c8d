// SPEC §G3 — the leaf law g(x) = min(g_max, k·x^β) (§B2) from (compute x, right, trials) counts or
// (x, accuracy) points. Skill above chance: u = (p − p_c)/(1 − p_c), so p(x) = p_c + (1 − p_c)·g(x);
// p_c = 1/2 for binary decisions (then u is the §B1 bias 2p − 1), 0 for open answers (§G4).
//
// The fit is segmented: either no point saturates (g = k·x^β on every point; g_max is "not
// reached" and the law uses g_max = 1), or the smallest distinct budgets follow the power law and
// the rest sit at g_max (at least two distinct budgets on each side; a single high point cannot
// tell saturation from noise). Among the candidates the lowest AIC wins (ties to fewer parameters):
// - counts: binomial maximum likelihood, AIC = 2q − 2·ln L, with each saturation pattern's best law
//   defined exactly (separate fits when they agree with the min(), else the kink on a data point)
//   and the patterns searched by branch and bound: leafCountsFit.ts;
// - accuracies only: least squares on ln u against ln x (g_max = exp(mean ln u) of the saturated
//   points), AIC = N·ln(SSE/N) + 2q with SSE floored at N·1e-30 so exact fits tie; each split's
//   separate fits start a Nelder–Mead search of the whole min() model, which moves the kink where
//   the data want it (branch and bound over prefix sums above EXHAUSTIVE_SPLITS budgets).
// q = 2 without saturation, 3 with. Intervals: seeded BCa bootstrap (bootstrap.ts) — parametric
// resamples for counts (right* ~ Binomial(trials, p̂(x)) at the fitted law), residual for accuracies
// (ln-scale residuals, centred and inflated by √(N/(N − q)), added to the fitted values); every
// resample is refitted with the whole procedure, including the choice of split. The percentile
// interval under-covered β (≈ 90% at nominal 95%: β̂ is biased up and its spread grows with β),
// so the bounds are bias-corrected and accelerated, the acceleration from a jackknife: over single
// trials for counts (leaving out one right or one wrong answer of a point: 2 refits per point,
// weighted by how many trials give each), over points for accuracies (when ≥ 4 distinct budgets).
// With 3–4 points the residual bootstrap is rough: it can only reuse the few residuals there are.
import { InvalidParameterError } from '../errors.ts';
import type { LeafLawSpec } from '../theory/leafLaw.ts';
import { type BootstrapOptions, bcaInterval, type Interval, type Jackknife, percentileInterval, resolveBootstrap } from './bootstrap.ts';
import { columnIndex, CsvError, type CsvTable, missingIn, numberCell } from './csv.ts';
import { fitLeafCounts } from './leafCountsFit.ts';
import { binomial, STREAMS, uniforms } from './random.ts';

export type LeafObservation = { x: number; right: number; trials: number } | { x: number; accuracy: number };

export interface LeafFitOptions extends BootstrapOptions {
  /** Chance accuracy p_c in [0, 1): 1/2 for binary decisions (default), 0 for open answers. */
  chance?: number;
  /** How errors name this data set (e.g. `leaf.csv group "gemini-2.5-pro"`). */
  name?: string;
  /**
   * Called after the fit and after each bootstrap resample (each costs one more fit: with 10⁵
   * distinct budgets, seconds), with resamples done, their total and seconds since the start.
   */
  onProgress?: (done: number, total: number, seconds: number) => void;
}

export interface LeafPoint {
  x: number;
  accuracy: number;
  /** u = (p − p_c)/(1 − p_c). */
  skill: number;
  /** Binomial standard error of u (counts only). */
  stdError: number | null;
  /** The fitted g(x). */
  fitted: number;
  saturated: boolean;
}

export interface LeafLawEstimate {
  data: 'counts' | 'accuracies';
  method: 'binomial maximum likelihood' | 'least squares on ln u';
  chance: number;
  k: number;
  beta: number;
  /** g_max when reached; 1 (the §B2 default) when no point saturates. */
  gMax: number;
  gMaxReached: boolean;
  /** The compute at which k·x^β reaches g_max (null when not reached). */
  saturationCompute: number | null;
  /** The fitted law as a §B2 LeafLawSpec (usable by leafBias, design). */
  law: Extract<LeafLawSpec, { kind: 'power' }> & { gMax: number };
  points: LeafPoint[];
  /** ln L (counts) or the ln-scale SSE (accuracies), and the AIC of the chosen candidate. */
  objective: number;
  aic: number;
  intervals: { k: Interval | null; beta: Interval | null; gMax: Interval | null };
  /** Share of the resamples whose fit chose a saturated law; resamples whose fit failed. */
  saturatedShare: number | null;
  failedResamples: number;
  level: number;
  seed: number;
  resamples: number;
}

/** Column names for reading leaf data from CSV. */
export interface LeafColumns {
  /** Compute column (default `x`). */
  x?: string;
  /** Count columns (defaults `right`, `trials`); used when both exist. */
  right?: string;
  trials?: string;
  /** Accuracy column (default `accuracy`), used when the count columns are absent. */
  accuracy?: string;
  /** Accuracies are percentages in [0, 100]. */
  percent?: boolean;
  /** Fit one law per value of this column. */
  group?: string;
}

export interface LeafGroup {
  group: string | null;
  observations: LeafObservation[];
}

/** Reads leaf data from CSV: (x, right, trials) counts or (x, accuracy), optionally grouped. */
export function leafObservationsFromCsv(table: CsvTable, columns: LeafColumns = {}): LeafGroup[] {
  const xc = columnIndex(table, columns.x ?? 'x', 'compute per leaf');
  const rightName = columns.right ?? 'right';
  const trialsName = columns.trials ?? 'trials';
  const counts = columns.accuracy === undefined && table.header.includes(rightName) && table.header.includes(trialsName);
  const rc = counts ? columnIndex(table, rightName, 'right answers') : -1;
  const tc = counts ? columnIndex(table, trialsName, 'trials') : -1;
  const ac = counts ? -1 : columnIndex(table, columns.accuracy ?? 'accuracy',
    `accuracy, or columns ${JSON.stringify(rightName)} and ${JSON.stringify(trialsName)} with counts`);
  const gc = columns.group === undefined ? -1 : columnIndex(table, columns.group, 'group');
  const scale = columns.percent ? 100 : 1;
  const groups = new Map<string | null, LeafObservation[]>();
  // A row with an empty needed cell is a missing measurement (pandas' NaN): left out.
  const rows = table.rows.filter((row) => !missingIn(row, [xc, rc, tc, ac]));
  if (rows.length === 0) throw new CsvError(table.file, table.headerLine, 0, 'data rows after the header (rows with an empty x, accuracy or count are left out)', 'none');
  for (const row of rows) {
    const x = numberCell(table, row, xc, 'a compute x > 0');
    if (!(x > 0)) throw new CsvError(table.file, row.line, xc + 1, 'a compute x > 0', row.cells[xc], table.header[xc]);
    let obs: LeafObservation;
    if (counts) {
      const trials = numberCell(table, row, tc, 'an integer ≥ 1');
      if (!Number.isInteger(trials) || trials < 1) throw new CsvError(table.file, row.line, tc + 1, 'an integer ≥ 1', row.cells[tc], table.header[tc]);
      const right = numberCell(table, row, rc, 'an integer in [0, trials]');
      if (!Number.isInteger(right) || right < 0 || right > trials) {
        throw new CsvError(table.file, row.line, rc + 1, `an integer in [0, ${trials}] (trials on this line)`, row.cells[rc], table.header[rc]);
      }
      obs = { x, right, trials };
    } else {
      const allowed = columns.percent ? 'an accuracy in [0, 100] (percent)' : 'an accuracy in [0, 1] (use --leaf-percent for percentages)';
      const a = numberCell(table, row, ac, allowed);
      if (!(a >= 0 && a <= scale)) throw new CsvError(table.file, row.line, ac + 1, allowed, row.cells[ac], table.header[ac]);
      obs = { x, accuracy: a / scale };
    }
    const key = gc < 0 ? null : row.cells[gc];
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key)!.push(obs);
  }
  return [...groups.entries()].map(([group, observations]) => ({ group, observations }));
}

/** The data of one fit, sorted by x (counts with equal x pooled). */
interface Data {
  counts: boolean;
  chance: number;
  /** ln x per point, and the index of each point's distinct budget. */
  t: number[];
  x: number[];
  level: number[];
  distinct: number;
  /** Index of the first point of each distinct budget, then the point count (length distinct + 1). */
  start: number[];
  right: number[];
  trials: number[];
  /** ln u and the accuracy as given, per point (accuracies only). */
  y: number[];
  accuracy: number[];
}

interface Candidate {
  a: number; // ln k
  beta: number;
  gMax: number;
  reached: boolean;
  objective: number;
  aic: number;
  q: number;
}

const FLOOR_SSE = 1e-30;

function g(c: { a: number; beta: number; gMax: number }, t: number): number {
  return Math.min(c.gMax, Math.exp(c.a + c.beta * t));
}

/** Ordinary least squares of y on t over the points `idx`. */
function ols(t: readonly number[], y: readonly number[], idx: readonly number[]): { a: number; beta: number } {
  let st = 0, sy = 0;
  for (const i of idx) {
    st += t[i];
    sy += y[i];
  }
  const tm = st / idx.length, ym = sy / idx.length;
  let stt = 0, sty = 0;
  for (const i of idx) {
    stt += (t[i] - tm) ** 2;
    sty += (t[i] - tm) * (y[i] - ym);
  }
  const beta = sty / stt;
  return { a: ym - beta * tm, beta };
}

/** The power-law segment of split j (the first j distinct budgets), and the saturated rest. */
function segments(d: Data, j: number): { power: number[]; saturated: number[] } {
  const power: number[] = [];
  const saturated: number[] = [];
  d.level.forEach((l, i) => (l < j ? power : saturated).push(i));
  return { power, saturated };
}

/** The min-model's objective to minimise for accuracies: the ln-scale SSE. */
function loss(d: Data, c: { a: number; beta: number; gMax: number }): number {
  if (!(c.gMax > 0 && c.gMax <= 1) || !Number.isFinite(c.a) || !Number.isFinite(c.beta)) return Infinity;
  let sse = 0;
  for (let i = 0; i < d.t.length; i++) sse += (d.y[i] - Math.log(g(c, d.t[i]))) ** 2;
  return sse;
}

/**
 * Nelder–Mead on (ln k, β, g_max) from a start, for the full min() model: when a split's separate
 * fits contradict the min() (the kink falls between other points), the best law with that
 * saturation pattern has its kink pinned near a data point, which this search finds. It only ever
 * accepts improvements, so a start that is already optimal (noiseless data) is returned unchanged.
 */
function polish(lossOf: (c: { a: number; beta: number; gMax: number }) => number, start: { a: number; beta: number; gMax: number }): { a: number; beta: number; gMax: number; value: number } {
  const f = (v: number[]) => lossOf({ a: v[0], beta: v[1], gMax: v[2] });
  const s0 = [start.a, start.beta, start.gMax];
  const simplex = [s0, [s0[0] + 0.2, s0[1], s0[2]], [s0[0], s0[1] + 0.05, s0[2]], [s0[0], s0[1], s0[2] * 0.95]];
  let values = simplex.map(f);
  for (let it = 0; it < 600; it++) {
    const order = [0, 1, 2, 3].sort((i, j) => values[i] - values[j]);
    const pts = order.map((i) => simplex[i]);
    const vals = order.map((i) => values[i]);
    simplex.splice(0, 4, ...pts);
    values = vals;
    if (Math.abs(values[3] - values[0]) <= 1e-13 * (1 + Math.abs(values[0]))) break;
    const centroid = [0, 1, 2].map((k) => (simplex[0][k] + simplex[1][k] + simplex[2][k]) / 3);
    const along = (t: number) => centroid.map((c, k) => c + t * (simplex[3][k] - c));
    const reflected = along(-1);
    const fr = f(reflected);
    if (fr < values[0]) {
      const expanded = along(-2);
      const fe = f(expanded);
      [simplex[3], values[3]] = fe < fr ? [expanded, fe] : [reflected, fr];
    } else if (fr < values[2]) {
      [simplex[3], values[3]] = [reflected, fr];
    } else {
      const contracted = fr < values[3] ? along(-0.5) : along(0.5);
      const fc = f(contracted);
      if (fc < Math.min(fr, values[3])) {
        [simplex[3], values[3]] = [contracted, fc];
      } else {
        for (let i = 1; i < 4; i++) {
          simplex[i] = simplex[i].map((x, k) => simplex[0][k] + 0.5 * (x - simplex[0][k]));
          values[i] = f(simplex[i]);
        }
      }
    }
  }
  const best = values.indexOf(Math.min(...values));
  const v = simplex[best];
  return { a: v[0], beta: v[1], gMax: v[2], value: values[best] };
}

/**
 * Every split is tried while there are at most this many distinct budgets; beyond, accuracies use a
 * branch-and-bound search that stays near-linear in the points (issue 16: 10,000 distinct x took minutes).
 */
export const EXHAUSTIVE_SPLITS = 64;

/** Fits the data once (no bootstrap); throws when no candidate can be fitted. */
function fitOnce(d: Data, name: string): Candidate {
  // Counts: the exactly defined maximum-likelihood candidates, searched by branch and bound
  // (leafCountsFit.ts; near-linear in distinct budgets, issue 16).
  if (d.counts) {
    const c = fitLeafCounts(d, name);
    return { a: c.a, beta: c.beta, gMax: c.gMax, reached: c.reached, objective: c.logLikelihood, aic: c.aic, q: c.q };
  }
  if (d.distinct > EXHAUSTIVE_SPLITS) return fitAccuraciesManyBudgets(d, name);
  // Accuracies with few budgets: every split, each polished by Nelder–Mead over the min() model.
  const n = d.t.length;
  const candidates: Candidate[] = [];
  const score = (c: { a: number; beta: number; gMax: number }, value: number, reached: boolean) => {
    const q = reached ? 3 : 2;
    if (!Number.isFinite(value)) return;
    const aic = n * Math.log(Math.max(value, n * FLOOR_SSE) / n) + 2 * q;
    candidates.push({ a: c.a, beta: c.beta, gMax: reached ? c.gMax : 1, reached, objective: value, aic, q });
  };
  for (let j = d.distinct; j >= 2; j--) {
    if (j !== d.distinct && d.distinct - j < 2) continue;
    const { power, saturated } = segments(d, j);
    const law = ols(d.t, d.y, power);
    if (!Number.isFinite(law.a) || !Number.isFinite(law.beta)) continue;
    if (saturated.length === 0) {
      score({ ...law, gMax: 1 }, loss(d, { ...law, gMax: 1 }), false);
      continue;
    }
    const gMax = Math.exp(saturated.reduce((s, i) => s + d.y[i], 0) / saturated.length);
    if (!(gMax > 0)) continue;
    const start = { ...law, gMax: Math.min(gMax, 1) };
    const startValue = loss(d, start);
    const p = polish((c) => loss(d, c), start);
    const c = p.value < startValue ? p : { ...start, value: startValue };
    // A saturated law must saturate at least two distinct budgets (one high point is not evidence).
    const flat = new Set(d.level.filter((_, i) => c.a + c.beta * d.t[i] >= Math.log(c.gMax))).size;
    if (flat >= 2) score(c, c.value, true);
  }
  if (candidates.length === 0) throw new InvalidParameterError(name, 'data a power law k·x^β can be fitted to', 'no feasible fit');
  return candidates.sort((x, y) => x.aic - y.aic || x.q - y.q)[0];
}

/** Index of the first of the points [0, n) for which `above` holds (it is false, then true). */
function firstWhere(n: number, above: (i: number) => boolean): number {
  let lo = 0, hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (above(mid)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Distinct budgets at g_max under law c (the points with a + β·ln x ≥ ln g_max). */
function flatBudgets(d: Data, c: { a: number; beta: number; gMax: number }): number {
  const lg = Math.log(c.gMax);
  if (c.beta > 0) {
    const k = firstWhere(d.t.length, (i) => c.a + c.beta * d.t[i] >= lg);
    return k === d.t.length ? 0 : d.distinct - d.level[k];
  }
  return new Set(d.level.filter((_, i) => c.a + c.beta * d.t[i] >= lg)).size;
}

/**
 * Prefix sums of the centred ln x and ln u (accuracies): the ln-scale SSE of a power law over any
 * run of points, a constant over any run, and so the min() model's loss, in O(log N) instead of O(N).
 */
class LeastSquaresSums {
  readonly t0: number;
  readonly y0: number;
  // Prefix sums (length N + 1) of the centred t, t², y, t·y, y².
  private readonly st: Float64Array;
  private readonly stt: Float64Array;
  private readonly sy: Float64Array;
  private readonly sty: Float64Array;
  private readonly syy: Float64Array;
  constructor(private readonly d: Data) {
    const n = d.t.length;
    let t0 = 0, y0 = 0;
    for (let i = 0; i < n; i++) {
      t0 += d.t[i];
      y0 += d.y[i];
    }
    this.t0 = t0 / n;
    this.y0 = y0 / n;
    const st = (this.st = new Float64Array(n + 1)), stt = (this.stt = new Float64Array(n + 1));
    const sy = (this.sy = new Float64Array(n + 1)), sty = (this.sty = new Float64Array(n + 1)), syy = (this.syy = new Float64Array(n + 1));
    for (let i = 0; i < n; i++) {
      const t = d.t[i] - this.t0, y = d.y[i] - this.y0;
      st[i + 1] = st[i] + t; stt[i + 1] = stt[i] + t * t; sy[i + 1] = sy[i] + y; sty[i + 1] = sty[i] + t * y; syy[i + 1] = syy[i] + y * y;
    }
  }
  /** Σ (y − a − β·t)² over points [lo, hi). */
  power(lo: number, hi: number, a: number, beta: number): number {
    if (hi <= lo) return 0;
    const st = this.st[hi] - this.st[lo], stt = this.stt[hi] - this.stt[lo], sy = this.sy[hi] - this.sy[lo];
    const sty = this.sty[hi] - this.sty[lo], syy = this.syy[hi] - this.syy[lo];
    const ac = a + beta * this.t0 - this.y0;
    return Math.max(0, syy - 2 * ac * sy - 2 * beta * sty + (hi - lo) * ac * ac + 2 * ac * beta * st + beta * beta * stt);
  }
  /** Σ (y − L)² over points [lo, hi). */
  flat(lo: number, hi: number, lnLevel: number): number {
    if (hi <= lo) return 0;
    const sy = this.sy[hi] - this.sy[lo], syy = this.syy[hi] - this.syy[lo];
    const lc = lnLevel - this.y0;
    return Math.max(0, syy - 2 * lc * sy + (hi - lo) * lc * lc);
  }
  /** Least squares of y on t over points [0, k): the law and its SSE. */
  ols(k: number): { a: number; beta: number; sse: number } {
    const tm = this.st[k] / k, ym = this.sy[k] / k;
    const ctt = this.stt[k] - k * tm * tm, cty = this.sty[k] - k * tm * ym;
    const beta = cty / ctt;
    return { a: ym - beta * tm - beta * this.t0 + this.y0, beta, sse: Math.max(0, this.syy[k] - k * ym * ym - beta * cty) };
  }
  /** Mean y over points [k, N) (the saturated level on ln scale) and its SSE. */
  mean(k: number): { lnLevel: number; sse: number } {
    const n = this.d.t.length;
    const sy = this.sy[n] - this.sy[k], syy = this.syy[n] - this.syy[k];
    const m = sy / (n - k);
    return { lnLevel: m + this.y0, sse: Math.max(0, syy - (n - k) * m * m) };
  }
  /** The loss() of the min() model, from the sums. */
  loss(c: { a: number; beta: number; gMax: number }): number {
    if (!(c.gMax > 0 && c.gMax <= 1) || !Number.isFinite(c.a) || !Number.isFinite(c.beta)) return Infinity;
    const n = this.d.t.length, t = this.d.t, lg = Math.log(c.gMax);
    if (c.beta > 0) {
      const k = firstWhere(n, (i) => c.a + c.beta * t[i] >= lg);
      return this.power(0, k, c.a, c.beta) + this.flat(k, n, lg);
    }
    const k = firstWhere(n, (i) => c.a + c.beta * t[i] < lg);
    return this.flat(0, k, lg) + this.power(k, n, c.a, c.beta);
  }
}

/**
 * The exhaustive search of fitOnce for accuracies with many distinct budgets, organised as branch
 * and bound: each split's separate fits (a lower bound on the SSE of every min() law with that
 * saturation pattern) come from prefix sums in O(1); splits are polished in increasing order of that
 * bound, and the search stops when the bound's AIC exceeds the best candidate's, since no law of the
 * remaining patterns can beat it. The polish evaluates the loss in O(log N). The chosen law's
 * objective is recomputed directly.
 */
function fitAccuraciesManyBudgets(d: Data, name: string): Candidate {
  const n = d.t.length, D = d.distinct;
  const sums = new LeastSquaresSums(d);
  const aicOf = (value: number, q: number) => n * Math.log(Math.max(value, n * FLOOR_SSE) / n) + 2 * q;
  const all = sums.ols(n);
  const exact = loss(d, { ...all, gMax: 1 });
  let best: Candidate | null = Number.isFinite(exact)
    ? { a: all.a, beta: all.beta, gMax: 1, reached: false, objective: exact, aic: aicOf(exact, 2), q: 2 }
    : null;
  const splits: number[] = [];
  const bound = new Float64Array(D + 1);
  for (let j = 2; j <= D - 2; j++) {
    const k = d.start[j];
    bound[j] = sums.ols(k).sse + sums.mean(k).sse;
    // Only splits that could beat the law without saturation are sorted and tried.
    if (best === null || aicOf(bound[j], 3) <= best.aic) splits.push(j);
  }
  splits.sort((i, j) => bound[i] - bound[j] || j - i);
  for (const j of splits) {
    if (best !== null && aicOf(bound[j], 3) > best.aic) break;
    const k = d.start[j];
    const law = sums.ols(k);
    if (!Number.isFinite(law.a) || !Number.isFinite(law.beta)) continue;
    const start = { a: law.a, beta: law.beta, gMax: Math.min(Math.exp(sums.mean(k).lnLevel), 1) };
    const startValue = sums.loss(start);
    const p = polish((c) => sums.loss(c), start);
    const c = p.value < startValue ? p : { ...start, value: startValue };
    if (!Number.isFinite(c.value) || flatBudgets(d, c) < 2) continue;
    const aic = aicOf(c.value, 3);
    if (best === null || aic < best.aic) best = { a: c.a, beta: c.beta, gMax: c.gMax, reached: true, objective: c.value, aic, q: 3 };
  }
  if (best === null) throw new InvalidParameterError(name, 'data a power law k·x^β can be fitted to', 'no feasible fit');
  const objective = loss(d, best);
  return { ...best, objective, aic: aicOf(objective, best.q) };
}

function prepare(observations: readonly LeafObservation[], chance: number, name: string): Data {
  if (!Array.isArray(observations) || observations.length === 0) throw new InvalidParameterError(name, 'a non-empty array of leaf observations', observations);
  const hasCounts = observations.map((o) => typeof o === 'object' && o !== null && 'right' in o);
  const counts = hasCounts[0];
  observations.forEach((o, i) => {
    if (hasCounts[i] !== counts) throw new InvalidParameterError(`${name}[${i}]`, 'the same kind of row as the first ({ x, right, trials } or { x, accuracy })', o);
    if (!(o.x > 0) || !Number.isFinite(o.x)) throw new InvalidParameterError(`${name}[${i}].x`, 'a finite compute x > 0', o.x);
    if ('right' in o) {
      if (!Number.isInteger(o.trials) || o.trials < 1) throw new InvalidParameterError(`${name}[${i}].trials`, 'an integer ≥ 1', o.trials);
      if (!Number.isInteger(o.right) || o.right < 0 || o.right > o.trials) throw new InvalidParameterError(`${name}[${i}].right`, `an integer in [0, ${o.trials}]`, o.right);
    } else if (!(o.accuracy >= 0 && o.accuracy <= 1)) {
      throw new InvalidParameterError(`${name}[${i}].accuracy`, 'an accuracy in [0, 1]', o.accuracy);
    }
  });
  const sorted = observations.map((o, i) => ({ o, i })).sort((p, q) => p.o.x - q.o.x || p.i - q.i).map((p) => p.o);
  // Distinct budgets by one scan of the sorted points (linear: no per-budget search).
  const xs: number[] = [];
  const levelOf: number[] = [];
  for (const o of sorted) {
    if (xs.length === 0 || xs[xs.length - 1] !== o.x) xs.push(o.x);
    levelOf.push(xs.length - 1);
  }
  if (xs.length < 3) {
    throw new InvalidParameterError(name, 'at least three distinct budget points (two parameters need a third point to be tested)', `${xs.length} distinct x`);
  }
  const d: Data = { counts, chance, t: [], x: [], level: [], distinct: xs.length, start: [], right: [], trials: [], y: [], accuracy: [] };
  if (counts) {
    // Counts with equal x are pooled: one point per distinct budget.
    for (const [i, o] of sorted.entries()) {
      const l = levelOf[i];
      const c = o as { right: number; trials: number };
      if (l === d.t.length) {
        d.t.push(Math.log(o.x)); d.x.push(o.x); d.level.push(l); d.right.push(c.right); d.trials.push(c.trials);
      } else {
        d.right[l] += c.right;
        d.trials[l] += c.trials;
      }
    }
    if (d.right.every((r, i) => r / d.trials[i] <= chance)) {
      throw new InvalidParameterError(name, `some point above chance p_c = ${chance}`, 'every accuracy at or below chance');
    }
  } else {
    for (const [i, o] of sorted.entries()) {
      const p = (o as { accuracy: number }).accuracy;
      const u = (p - chance) / (1 - chance);
      if (!(u > 0)) {
        throw new InvalidParameterError(`${name} at x = ${o.x}`, `an accuracy above chance p_c = ${chance} (ln u needs skill u > 0; give counts to fit by maximum likelihood)`, p);
      }
      d.t.push(Math.log(o.x)); d.x.push(o.x); d.level.push(levelOf[i]); d.y.push(Math.log(u)); d.accuracy.push(p);
    }
  }
  d.level.forEach((l, i) => {
    if (i === 0 || l !== d.level[i - 1]) d.start.push(i);
  });
  d.start.push(d.t.length);
  return d;
}

/**
 * Fits the §B2 leaf law to leaf data (§G3) with bootstrap intervals. Throws InvalidParameterError
 * for fewer than three distinct budgets, accuracies outside [0, 1], accuracies at or below chance
 * without counts, and for data whose fitted exponent is not positive (a §B2 law needs β > 0).
 */
export function fitLeafLaw(observations: readonly LeafObservation[], options: LeafFitOptions = {}): LeafLawEstimate {
  const name = options.name ?? 'observations';
  const chance = options.chance ?? 0.5;
  if (typeof chance !== 'number' || !(chance >= 0 && chance < 1)) throw new InvalidParameterError('chance', 'a chance accuracy in [0, 1)', chance);
  const { bootstrap, level, seed } = resolveBootstrap(options);
  const d = prepare(observations, chance, name);
  const fit = fitOnce(d, name);
  if (!(fit.beta > 0)) {
    throw new InvalidParameterError(name, 'accuracies that rise with compute (a §B2 leaf law needs β > 0)', `fitted β = ${fit.beta}`);
  }
  const k = Math.exp(fit.a);
  const fitted = d.t.map((t) => g(fit, t));

  const ks: number[] = [], betas: number[] = [], gMaxes: number[] = [];
  let saturated = 0, failed = 0;
  const n = d.t.length;
  let residuals: number[] = [];
  const lnFitted = fitted.map(Math.log);
  if (!d.counts) {
    const raw = d.y.map((y, i) => y - lnFitted[i]);
    const centre = raw.reduce((s, x) => s + x, 0) / n;
    const inflate = Math.sqrt(n / Math.max(1, n - fit.q));
    residuals = raw.map((e) => (e - centre) * inflate);
  }
  const started = performance.now();
  const progress = options.onProgress;
  if (progress !== undefined && typeof progress !== 'function') throw new InvalidParameterError('onProgress', 'a function', progress);
  progress?.(0, bootstrap, (performance.now() - started) / 1000);
  for (let r = 0; r < bootstrap; r++) {
    if (r > 0) progress?.(r, bootstrap, (performance.now() - started) / 1000);
    const rd: Data = { ...d };
    if (d.counts) {
      rd.right = d.trials.map((tr, i) => binomial(tr, chance + (1 - chance) * fitted[i], seed, STREAMS.leafBootstrap, r * n + i));
    } else {
      // Residual bootstrap: point i gets residual ⌊U·N⌋ (U from stream (seed, leafBootstrap, r)).
      const picks = uniforms(seed, STREAMS.leafBootstrap, r, n);
      rd.y = lnFitted.map((l, i) => l + residuals[Math.min(n - 1, Math.floor(picks[i] * n))]);
    }
    try {
      const c = fitOnce(rd, name);
      ks.push(Math.exp(c.a));
      betas.push(c.beta);
      gMaxes.push(c.gMax);
      if (c.reached) saturated++;
    } catch {
      failed++;
    }
  }
  if (bootstrap > 0) progress?.(bootstrap, bootstrap, (performance.now() - started) / 1000);
  const gMax = fit.reached ? fit.gMax : 1;
  // The jackknife costs one refit per accuracy row or two per count row; above JACKKNIFE_MAX_REFITS
  // it would cost more than the default 1000 resamples (and grow quadratically), so the intervals
  // switch to percentile there (method 'percentile'; issue 16).
  const useBca = jackknifeRefits(observations) <= JACKKNIFE_MAX_REFITS;
  const jack = bootstrap > 0 && useBca ? jackknife(observations, chance, name) : null;
  const interval = (replicates: number[], estimate: number, j: Jackknife | null): Interval | null => {
    if (useBca) return bcaInterval(replicates, estimate, level, j);
    const plain = percentileInterval(replicates, level);
    return plain && { ...plain, method: 'percentile' };
  };
  return {
    data: d.counts ? 'counts' : 'accuracies',
    method: d.counts ? 'binomial maximum likelihood' : 'least squares on ln u',
    chance, k, beta: fit.beta, gMax, gMaxReached: fit.reached,
    saturationCompute: fit.reached ? Math.exp((Math.log(gMax) - fit.a) / fit.beta) : null,
    law: { kind: 'power', k, beta: fit.beta, gMax },
    points: d.t.map((_, i) => {
      const accuracy = d.counts ? d.right[i] / d.trials[i] : d.accuracy[i];
      return {
        x: d.x[i], accuracy, skill: (accuracy - chance) / (1 - chance),
        stdError: d.counts ? Math.sqrt((accuracy * (1 - accuracy)) / d.trials[i]) / (1 - chance) : null,
        fitted: fitted[i], saturated: fit.reached && Math.exp(fit.a + fit.beta * d.t[i]) >= gMax,
      };
    }),
    objective: fit.objective, aic: fit.aic,
    intervals: {
      k: interval(ks, k, jack && jack.k), beta: interval(betas, fit.beta, jack && jack.beta),
      gMax: fit.reached ? interval(gMaxes, fit.gMax, jack && jack.gMax) : null,
    },
    saturatedShare: bootstrap - failed > 0 ? saturated / (bootstrap - failed) : null,
    failedResamples: failed, level, seed, resamples: bootstrap,
  };
}

/**
 * Above this many jackknife refits the leaf-law intervals are percentile instead of BCa: the
 * jackknife would otherwise cost more than the default 1000 bootstrap resamples, and it grows as
 * rows × fit time (quadratic in rows: 4,000 accuracy rows took 78 s with it, issue 16).
 */
export const JACKKNIFE_MAX_REFITS = 1000;

/** Refits the jackknife of jackknife() makes: two per count row, one per accuracy row. */
function jackknifeRefits(observations: readonly LeafObservation[]): number {
  return 'right' in observations[0] ? 2 * observations.length : observations.length;
}

/**
 * Leave-one-out refits for the BCa acceleration (§G3). Counts: leaving out one trial of point i
 * gives one of two data sets (a right or a wrong answer removed), weighted by how many trials give
 * it — the exact jackknife over single trials in 2N refits. Accuracies: leave one point out (needs
 * ≥ 4 distinct budgets so each refit keeps 3). Null when a refit fails (then a = 0: bias-corrected only).
 */
function jackknife(observations: readonly LeafObservation[], chance: number, name: string): Record<'k' | 'beta' | 'gMax', Jackknife> | null {
  const k: number[] = [], beta: number[] = [], gMax: number[] = [], weights: number[] = [];
  const refit = (obs: readonly LeafObservation[], weight: number) => {
    if (weight <= 0) return;
    const c = fitOnce(prepare(obs, chance, name), name);
    k.push(Math.exp(c.a));
    beta.push(c.beta);
    gMax.push(c.gMax);
    weights.push(weight);
  };
  try {
    if ('right' in observations[0]) {
      observations.forEach((o, i) => {
        const { x, right, trials } = o as { x: number; right: number; trials: number };
        const without = (r: number) => observations.map((p, j) => (j === i ? { x, right: r, trials: trials - 1 } : p));
        if (trials < 2) throw new RangeError('a point with one trial cannot lose one');
        refit(without(right - 1), right);
        refit(without(right), trials - right);
      });
    } else {
      if (new Set(observations.map((o) => o.x)).size < 4) return null;
      observations.forEach((_, i) => refit(observations.filter((__, j) => j !== i), 1));
    }
  } catch {
    return null;
  }
  return { k: { values: k, weights }, beta: { values: beta, weights }, gMax: { values: gMax, weights } };
}
