// SPEC §I3 — telling shared failure from task difficulty. Data: a tasks × samples matrix (repeated
// samples of one agent, or several agents, on each task), each cell right / wrong / missing, or an
// answer string with the right answer in its own column (open answers, §H1). Per task only the count
// k of right answers among its n answers enters the likelihood (the samples are exchangeable):
//   shared failure only  P(k) = ρ·(μ·1{k = n} + (1 − μ)·1{k = 0}) + (1 − ρ)·Bin(k; n, μ)      (§B4/§I1)
//   difficulty only      P(k) = BetaBin(k; n, μ, φ)                                            (§I2)
//   both                 P(k) = ρ·(μ·1{k = n} + (1 − μ)·1{k = 0}) + (1 − ρ)·BetaBin(k; n, μ, φ)
// Shared failure adds mass only at k = 0 and k = n; difficulty spreads it over every k. Both make two
// answers to one task correlate (pairwise ρ̂ = ρ + (1 − ρ)·φ), which is why the pairwise number alone
// cannot tell them apart. Fits are maximum likelihood; the model is chosen by AIC; parameter intervals
// are profile-likelihood intervals (the set where 2·(ℓ̂ − ℓ_profile) ≤ χ²₁ quantile, cut at the
// parameter's range).
import { InvalidParameterError } from '../errors.ts';
import { type BootstrapOptions, type Interval, MAX_LEVEL, MIN_LEVEL, percentileInterval, resolveBootstrap } from './bootstrap.ts';
import { columnIndex, CsvError, type CsvTable } from './csv.ts';
import { correctnessMatrixFromCsv } from './correlation.ts';
import { STREAMS, uniforms } from './random.ts';

/** One task's answers: n answers, `right` of them right; wrong answers grouped by identical text. */
export interface SampleTask {
  /** Task id (the --task-column value, the pandas index, or the 1-based row number). */
  id: string;
  answers: number;
  right: number;
  /**
   * Sizes of the groups of identical wrong answers (open answers only; sum = answers − right). For a
   * 1/0 matrix this is undefined: binary decisions have one wrong answer, so all wrong answers agree.
   */
  wrongGroups?: number[];
}

export interface SamplesMatrix {
  /** Column names of the samples (or agents). */
  samples: readonly string[];
  tasks: readonly SampleTask[];
  /** Answer strings with a right-answer column (plurality voting, §H) rather than 1/0 (majority, §B). */
  open: boolean;
}

export interface SamplesColumns {
  /** A column holding task ids (not a sample). */
  taskColumn?: string;
  /** A column holding each task's right answer: the other cells are answer strings (open answers). */
  answerColumn?: string;
  /** Leave out tasks with fewer than MIN_ANSWERS answers instead of failing (they are counted). */
  skipShort?: boolean;
}

/** §I3: the count of right answers separates the two mechanisms only with at least 3 answers per task. */
export const MIN_ANSWERS = 3;

/**
 * Reads a tasks × samples matrix: one row per task, one column per sample (or agent). Cells are 1/0/
 * empty (also 1.0/0.0 and True/False, as pandas writes them), or — with `answerColumn` — answer
 * strings compared verbatim (after trimming) with that column. An unnamed first column (pandas'
 * index) holds task ids. Every task needs ≥ 3 answers; `skipShort` drops the others (returned count).
 */
export function samplesMatrixFromCsv(table: CsvTable, columns: SamplesColumns = {}): SamplesMatrix & { skipped: { id: string; line: number; answers: number }[] } {
  const taskIndex = columns.taskColumn === undefined ? (table.unnamedIndex ? 0 : -1) : columnIndex(table, columns.taskColumn, 'task ids');
  const answerIndex = columns.answerColumn === undefined ? -1 : columnIndex(table, columns.answerColumn, 'the right answer of each task');
  if (answerIndex >= 0 && answerIndex === taskIndex) {
    throw new CsvError(table.file, table.headerLine, answerIndex + 1, 'different columns for task ids and right answers', table.header[answerIndex]);
  }
  const sampleColumns = table.header.map((_, c) => c).filter((c) => c !== taskIndex && c !== answerIndex && !(c === 0 && table.unnamedIndex));
  if (sampleColumns.length < MIN_ANSWERS) {
    throw new CsvError(table.file, table.headerLine, 0, `a header naming at least ${MIN_ANSWERS} samples (SPEC §I3: ≥ 3 answers per task)`, table.header.join(','));
  }
  const idOf = (r: number) => (taskIndex >= 0 ? table.rows[r].cells[taskIndex] : String(r + 1));
  let tasks: (SampleTask & { line: number })[];
  if (answerIndex < 0) {
    // A 1/0 matrix: the §G1 reader checks the cells (its errors name line and column).
    const m = correctnessMatrixFromCsv(table, { taskColumn: columns.taskColumn });
    tasks = m.tasks.map((row, r) => {
      const given = row.filter((z) => z !== null) as (0 | 1)[];
      return { id: idOf(r), line: table.rows[r].line, answers: given.length, right: given.reduce<number>((s, z) => s + z, 0) };
    });
  } else {
    tasks = table.rows.map((row, r) => {
      const right = row.cells[answerIndex];
      if (right === '') throw new CsvError(table.file, row.line, answerIndex + 1, 'the task\'s right answer (not empty)', right, table.header[answerIndex]);
      const wrong = new Map<string, number>();
      let answers = 0, rightCount = 0;
      for (const c of sampleColumns) {
        const a = row.cells[c];
        if (a === '') continue;
        answers++;
        if (a === right) rightCount++;
        else wrong.set(a, (wrong.get(a) ?? 0) + 1);
      }
      return { id: idOf(r), line: row.line, answers, right: rightCount, wrongGroups: [...wrong.values()].sort((a, b) => b - a) };
    });
  }
  const short = tasks.filter((t) => t.answers < MIN_ANSWERS);
  if (short.length > 0 && !columns.skipShort) {
    const first = short[0];
    throw new CsvError(table.file, first.line, 0,
      `a task with at least ${MIN_ANSWERS} answers (SPEC §I3); ${short.length} of ${tasks.length} rows have fewer — fill them, remove them, or skip them (--skip-short)`,
      `${first.answers} answer${first.answers === 1 ? '' : 's'}`);
  }
  const kept = tasks.filter((t) => t.answers >= MIN_ANSWERS);
  return {
    samples: sampleColumns.map((c) => table.header[c]),
    tasks: kept.map(({ line: _line, ...t }) => t),
    open: answerIndex >= 0,
    skipped: short.map((t) => ({ id: t.id, line: t.line, answers: t.answers })),
  };
}

/** The three §I3 count models. */
export type SamplesModelName = 'shared' | 'difficulty' | 'both';
export const SAMPLES_MODELS: readonly SamplesModelName[] = ['shared', 'difficulty', 'both'];

/** Mean accuracy μ, shared failure ρ (§I1: all answers to a task are one draw) and dispersion φ (§I2). */
export interface SamplesParameters {
  mean: number;
  rho: number;
  dispersion: number;
}
export type SamplesParameter = keyof SamplesParameters;

const FREE: Record<SamplesModelName, SamplesParameter[]> = {
  shared: ['mean', 'rho'],
  difficulty: ['mean', 'dispersion'],
  both: ['mean', 'rho', 'dispersion'],
};

/** A profile-likelihood interval; `lowerAtBound` / `upperAtBound`: it reaches the parameter's range. */
export interface ProfileInterval {
  lower: number;
  upper: number;
  lowerAtBound: boolean;
  upperAtBound: boolean;
}

export interface SamplesModelFit {
  model: SamplesModelName;
  /** Free parameters (the others are fixed at 0). */
  free: SamplesParameter[];
  parameters: SamplesParameters;
  /** Profile-likelihood intervals of the free parameters (null when intervals were not asked for). */
  intervals: Partial<Record<SamplesParameter, ProfileInterval>> | null;
  logLikelihood: number;
  aic: number;
  deltaAic: number;
  /** Akaike weight exp(−ΔAIC/2), normalized over the three models. */
  weight: number;
  /** The pairwise correlation this model implies: ρ + (1 − ρ)·φ. */
  impliedPairwise: number;
  /** Expected number of tasks with k right out of n answers, per n (fitted histogram). */
  expected: CountHistogram[];
}

/** Tasks by their number of right answers, for the tasks with n answers. */
export interface CountHistogram {
  answers: number;
  /** counts[k] = tasks with k right (observed) or the expected number (fitted). */
  counts: number[];
}

export interface SamplesFitOptions {
  /** Interval level in (0, 1), default 0.95. */
  level?: number;
  /** Which models get profile intervals: all (default), the AIC choice only, one named model, or none. */
  intervals?: 'all' | 'best' | 'none' | SamplesModelName;
}

export interface SamplesFit {
  tasks: number;
  answers: number;
  /** Share of right answers over all answers. */
  accuracy: number;
  observed: CountHistogram[];
  models: SamplesModelFit[];
  best: SamplesModelName;
  level: number;
}

/** The count table: distinct (n, k) with how many tasks (or bootstrap weight) have them. */
export interface CountCell {
  n: number;
  k: number;
  w: number;
}

export function countCells(tasks: readonly SampleTask[], weights?: ArrayLike<number>): CountCell[] {
  const map = new Map<number, CountCell>();
  tasks.forEach((t, i) => {
    const w = weights ? weights[i] : 1;
    if (w === 0) return;
    const key = t.answers * 1_000_003 + t.right;
    const cell = map.get(key);
    if (cell) cell.w += w;
    else map.set(key, { n: t.answers, k: t.right, w });
  });
  return [...map.values()].sort((a, b) => a.n - b.n || a.k - b.k);
}

const MEAN_EDGE = 1e-9;
const MAX_DISPERSION = 1 - 1e-9;

function logChoose(n: number, k: number): number {
  let s = 0;
  for (let i = 1; i <= k; i++) s += Math.log((n - k + i) / i);
  return s;
}

/**
 * ln E[p^k (1 − p)^(n−k)] for p ~ Beta(μ, φ), tabulated for every k ≤ n at once:
 * Π_{i<k}(μ + iθ)·Π_{j<n−k}(1 − μ + jθ)/Π_{i<n}(1 + iθ) with θ = φ/(1 − φ) = 1/(a + b). Stable for
 * every φ ∈ [0, 1) (θ = 0 is the binomial p^k (1 − p)^(n−k)). The moment of k right and m wrong
 * (k + m ≤ n) is right[k] + wrong[m] − total[k + m].
 */
export function betaMomentTables(mean: number, dispersion: number, n: number): { right: Float64Array; wrong: Float64Array; total: Float64Array } {
  const theta = dispersion / (1 - dispersion);
  const right = new Float64Array(n + 1);
  const wrong = new Float64Array(n + 1);
  const total = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) {
    right[i + 1] = right[i] + Math.log(mean + i * theta);
    wrong[i + 1] = wrong[i] + Math.log(1 - mean + i * theta);
    total[i + 1] = total[i] + Math.log(1 + i * theta);
  }
  return { right, wrong, total };
}

/** ρ·(one shared vote: all right or all wrong) + (1 − ρ)·(the Beta-binomial term `spread`). */
function mixture(p: SamplesParameters, n: number, k: number, spread: number): number {
  const shared = (k === n ? p.mean : 0) + (k === 0 ? 1 - p.mean : 0);
  return p.rho * shared + (1 - p.rho) * spread;
}

/** P(k right of n) under the §I3 mixture with parameters p. */
export function countProbability(p: SamplesParameters, n: number, k: number): number {
  const t = betaMomentTables(p.mean, p.dispersion, n);
  return mixture(p, n, k, Math.exp(logChoose(n, k) + t.right[k] + t.wrong[n - k] - t.total[n]));
}

const LOG_CHOOSE = new WeakMap<readonly CountCell[], Float64Array>();

/** Σ w·ln P(k | n) over the count table (sorted by n): the Beta moments are tabulated once per n. */
function logLikelihood(cells: readonly CountCell[], p: SamplesParameters): number {
  let lc = LOG_CHOOSE.get(cells);
  if (!lc) LOG_CHOOSE.set(cells, (lc = Float64Array.from(cells, (c) => logChoose(c.n, c.k))));
  let s = 0;
  let t = betaMomentTables(p.mean, p.dispersion, 0);
  for (let i = 0; i < cells.length; i++) {
    const { n, k, w } = cells[i];
    if (t.total.length !== n + 1) t = betaMomentTables(p.mean, p.dispersion, n);
    s += w * Math.log(mixture(p, n, k, Math.exp(lc[i] + t.right[k] + t.wrong[n - k] - t.total[n])));
  }
  return Number.isFinite(s) ? s : -Infinity;
}

// Parameters are searched as x with value = lo + (hi − lo)·sin²(x): every real x is inside the range
// and the ends are reached exactly (ρ = 0 and φ = 0 are the nested models), so Nelder–Mead needs no
// constraints.
const RANGE: Record<SamplesParameter, [number, number]> = {
  mean: [MEAN_EDGE, 1 - MEAN_EDGE],
  rho: [0, 1],
  dispersion: [0, MAX_DISPERSION],
};
const toValue = (name: SamplesParameter, x: number) => RANGE[name][0] + (RANGE[name][1] - RANGE[name][0]) * Math.sin(x) ** 2;
const toSearch = (name: SamplesParameter, v: number) => {
  const [lo, hi] = RANGE[name];
  return Math.asin(Math.sqrt(Math.min(1, Math.max(0, (v - lo) / (hi - lo)))));
};

/** Nelder–Mead minimum of f over R^d from `start` (steps `step`); restarts once at the result. */
function nelderMead(f: (x: number[]) => number, start: number[], rounds = 2, tol = 1e-11, step = 0.15, maxIterations = 800): { x: number[]; value: number } {
  let best = { x: start, value: f(start) };
  for (let round = 0; round < rounds; round++) {
    const d = best.x.length;
    const simplex = [best.x, ...best.x.map((_, i) => best.x.map((v, j) => (i === j ? v + step : v)))];
    let values = simplex.map(f);
    for (let it = 0; it < maxIterations; it++) {
      const order = values.map((_, i) => i).sort((i, j) => values[i] - values[j]);
      const pts = order.map((i) => simplex[i]);
      values = order.map((i) => values[i]);
      simplex.splice(0, d + 1, ...pts);
      if (Math.abs(values[d] - values[0]) <= tol * (1 + Math.abs(values[0]))) break;
      const centroid = simplex[0].map((_, k) => simplex.slice(0, d).reduce((s, v) => s + v[k], 0) / d);
      const along = (t: number) => centroid.map((c, k) => c + t * (simplex[d][k] - c));
      const reflected = along(-1);
      const fr = f(reflected);
      if (fr < values[0]) {
        const expanded = along(-2);
        const fe = f(expanded);
        [simplex[d], values[d]] = fe < fr ? [expanded, fe] : [reflected, fr];
      } else if (fr < values[d - 1]) {
        [simplex[d], values[d]] = [reflected, fr];
      } else {
        const contracted = fr < values[d] ? along(-0.5) : along(0.5);
        const fc = f(contracted);
        if (fc < Math.min(fr, values[d])) [simplex[d], values[d]] = [contracted, fc];
        else {
          for (let i = 1; i <= d; i++) {
            simplex[i] = simplex[i].map((x, k) => simplex[0][k] + 0.5 * (x - simplex[0][k]));
            values[i] = f(simplex[i]);
          }
        }
      }
    }
    const i = values.indexOf(Math.min(...values));
    if (values[i] <= best.value) best = { x: simplex[i], value: values[i] };
  }
  return best;
}

/**
 * Maximizes the likelihood over the free parameters, the `fixed` ones held at their values. Several
 * starts (the search is cheap: the likelihood is a sum over distinct (n, k) only).
 */
function maximize(cells: readonly CountCell[], free: readonly SamplesParameter[], fixed: SamplesParameters, starts: SamplesParameters[], rounds = 2, tol = 1e-11): { p: SamplesParameters; ll: number } {
  const build = (x: number[]): SamplesParameters => {
    const p = { ...fixed };
    free.forEach((name, i) => (p[name] = toValue(name, x[i])));
    return p;
  };
  if (free.length === 0) return { p: fixed, ll: logLikelihood(cells, fixed) };
  let best: { p: SamplesParameters; ll: number } = { p: fixed, ll: -Infinity };
  for (const s of starts) {
    const start = free.map((name) => toSearch(name, s[name]));
    const r = nelderMead((x) => -logLikelihood(cells, build(x)), start, rounds, tol);
    const ll = -r.value;
    if (ll > best.ll) best = { p: build(r.x), ll };
  }
  return best;
}

function startingPoints(cells: readonly CountCell[], free: readonly SamplesParameter[], fixed: SamplesParameters): SamplesParameters[] {
  let right = 0, total = 0;
  for (const c of cells) {
    right += c.w * c.k;
    total += c.w * c.n;
  }
  const mean = Math.min(1 - 1e-4, Math.max(1e-4, right / total));
  const grid = [0.02, 0.25, 0.6];
  const out: SamplesParameters[] = [];
  const rhos = free.includes('rho') ? grid : [fixed.rho];
  const phis = free.includes('dispersion') ? grid : [fixed.dispersion];
  for (const rho of rhos) for (const dispersion of phis) out.push({ mean: free.includes('mean') ? mean : fixed.mean, rho, dispersion });
  return out;
}

const ZERO: SamplesParameters = { mean: 0.5, rho: 0, dispersion: 0 };

/**
 * The maximum-likelihood fit of one model (no intervals), from `starts` (default: a grid over ρ and
 * φ at the pooled accuracy). For the full model the nested models' optima (its ρ = 0 and φ = 0
 * edges) should be among the starts, so it is never fitted worse than a nested one; the default
 * fits them first. A bootstrap refit passes the full-data optimum.
 */
export function fitSamplesModel(cells: readonly CountCell[], model: SamplesModelName, starts?: readonly SamplesParameters[]): { parameters: SamplesParameters; logLikelihood: number } {
  const free = FREE[model];
  let list = starts ? [...starts] : startingPoints(cells, free, ZERO);
  if (!starts && model === 'both') {
    list = [...(['shared', 'difficulty'] as const).map((sub) => fitSamplesModel(cells, sub).parameters), ...list];
  }
  const r = maximize(cells, free, ZERO, list);
  return { parameters: r.p, logLikelihood: r.ll };
}

/** Normal CDF via erfc (series below 3, continued fraction above; ~1e-14 absolute). */
function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  let erfc: number;
  if (x < 3) {
    let term = x, sum = x;
    for (let n = 1; n < 200 && Math.abs(term) > 1e-17 * Math.abs(sum); n++) {
      term *= (-x * x) / n;
      sum += term / (2 * n + 1);
    }
    erfc = 1 - (2 / Math.sqrt(Math.PI)) * sum;
  } else {
    // erfc(x) = e^(−x²)/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + …)))), evaluated bottom-up.
    let f = x;
    for (let n = 60; n >= 1; n--) f = x + n / 2 / f;
    erfc = Math.exp(-x * x) / Math.sqrt(Math.PI) / f;
  }
  return z >= 0 ? 1 - erfc / 2 : erfc / 2;
}

/** The χ² (1 degree of freedom) quantile at `level`: z² with z the (1 + level)/2 normal quantile. */
export function chiSquare1Quantile(level: number): number {
  let lo = 0, hi = 40;
  const target = (1 + level) / 2;
  for (let i = 0; i < 200 && hi - lo > 1e-14; i++) {
    const mid = (lo + hi) / 2;
    if (normalCdf(mid) < target) lo = mid;
    else hi = mid;
  }
  const z = (lo + hi) / 2;
  return z * z;
}

/**
 * Profile-likelihood interval of one free parameter: on each side, the root of
 * deviance(v) − χ² = 0 between the estimate and the range's end (Illinois regula falsi; the other
 * parameters re-maximized at every v from the previous v's optimum).
 */
function profileInterval(cells: readonly CountCell[], model: SamplesModelName, fit: SamplesParameters, ll: number, name: SamplesParameter, critical: number): ProfileInterval {
  const others = FREE[model].filter((p) => p !== name);
  let warm = fit;
  const excess = (v: number) => {
    // One Nelder–Mead round from the neighbouring optimum (the profile moves smoothly with v), to
    // ~1e-6 in ln L: the deviance is then good to ~1e-5 where it is compared with χ² ≈ 4.
    const r = maximize(cells, others, { ...warm, [name]: v }, [{ ...warm, [name]: v }], 1, 1e-6 / (1 + Math.abs(ll)));
    warm = r.p;
    return 2 * (ll - r.ll) - critical;
  };
  const side = (edge: number): { value: number; atBound: boolean } => {
    warm = fit;
    let a = fit[name], fa = -critical;
    let b = edge, fb = excess(edge);
    if (fb <= 0) return { value: edge, atBound: true };
    // At some ends the likelihood is 0 (ρ = 1 allows no 0 < k < n): move inside until it is not.
    for (let i = 0; i < 60 && !Number.isFinite(fb); i++) {
      b = (a + b) / 2;
      fb = excess(b);
    }
    let keep = 0;
    for (let i = 0; i < 60 && Math.abs(b - a) > 1e-6; i++) {
      const c = (a * fb - b * fa) / (fb - fa);
      const fc = excess(c);
      if (Math.abs(fc) < 1e-5) return { value: c, atBound: false };
      if (fc < 0) {
        a = c;
        fa = fc;
        if (keep === -1) fb /= 2;
        keep = -1;
      } else {
        b = c;
        fb = fc;
        if (keep === 1) fa /= 2;
        keep = 1;
      }
    }
    return { value: (a + b) / 2, atBound: false };
  };
  const [lo, hi] = RANGE[name];
  const lower = side(lo);
  const upper = side(hi);
  return { lower: lower.value, upper: upper.value, lowerAtBound: lower.atBound, upperAtBound: upper.atBound };
}

function histograms(tasks: readonly SampleTask[]): CountHistogram[] {
  const byN = new Map<number, number[]>();
  for (const t of tasks) {
    const h = byN.get(t.answers) ?? new Array<number>(t.answers + 1).fill(0);
    h[t.right]++;
    byN.set(t.answers, h);
  }
  return [...byN.entries()].sort((a, b) => a[0] - b[0]).map(([answers, counts]) => ({ answers, counts }));
}

export function checkSampleTasks(name: string, tasks: unknown): readonly SampleTask[] {
  if (!Array.isArray(tasks) || tasks.length < 2) throw new InvalidParameterError(name, 'at least two tasks', tasks);
  tasks.forEach((t: SampleTask, i) => {
    if (typeof t !== 'object' || t === null || !Number.isInteger(t.answers) || t.answers < MIN_ANSWERS || !Number.isInteger(t.right) || t.right < 0 || t.right > t.answers) {
      throw new InvalidParameterError(`${name}[${i}]`, `{ answers: an integer ≥ ${MIN_ANSWERS} (SPEC §I3), right: an integer in [0, answers] }`, t);
    }
    if (t.wrongGroups !== undefined && (!Array.isArray(t.wrongGroups) || t.wrongGroups.some((g) => !Number.isInteger(g) || g < 1)
      || t.wrongGroups.reduce((s, g) => s + g, 0) !== t.answers - t.right)) {
      throw new InvalidParameterError(`${name}[${i}].wrongGroups`, 'positive group sizes summing to answers − right', t.wrongGroups);
    }
  });
  return tasks as readonly SampleTask[];
}

/**
 * §I3: fits shared failure only, difficulty only and both by maximum likelihood on the per-task count
 * of right answers, ranks them by AIC and gives profile-likelihood intervals. Throws when every
 * answer is right or every answer is wrong (nothing separates the models).
 */
export function fitSamples(tasksIn: readonly SampleTask[], options: SamplesFitOptions = {}): SamplesFit {
  const tasks = checkSampleTasks('tasks', tasksIn);
  const level = options.level ?? 0.95;
  if (!(level >= MIN_LEVEL && level <= MAX_LEVEL)) throw new InvalidParameterError('level', `an interval level in [${MIN_LEVEL}, ${MAX_LEVEL}]`, level);
  const which = options.intervals ?? 'all';
  if (which !== 'all' && which !== 'best' && which !== 'none' && !SAMPLES_MODELS.includes(which)) {
    throw new InvalidParameterError('intervals', "'all', 'best', 'none' or a model name ('shared', 'difficulty', 'both')", which);
  }
  const cells = countCells(tasks);
  let right = 0, answers = 0;
  for (const t of tasks) {
    right += t.right;
    answers += t.answers;
  }
  if (right === 0 || right === answers) {
    throw new InvalidParameterError('tasks', 'some right and some wrong answers (with all answers alike no model can be told apart)', `${right} of ${answers} answers right`);
  }
  const observed = histograms(tasks);
  const shared = fitSamplesModel(cells, 'shared');
  const difficulty = fitSamplesModel(cells, 'difficulty');
  const both = fitSamplesModel(cells, 'both', [shared.parameters, difficulty.parameters,
    { ...shared.parameters, dispersion: 0.1, rho: 0.1 }, { ...shared.parameters, dispersion: 0.3, rho: 0.3 }]);
  const fits = [{ model: 'shared' as const, ...shared }, { model: 'difficulty' as const, ...difficulty }, { model: 'both' as const, ...both }];
  const aics = fits.map((f) => 2 * FREE[f.model].length - 2 * f.logLikelihood);
  const minAic = Math.min(...aics);
  const weights = aics.map((a) => Math.exp(-(a - minAic) / 2));
  const weightSum = weights.reduce((s, w) => s + w, 0);
  // Ties (equal AIC) go to the simpler model, listed first.
  const best = fits[aics.indexOf(minAic)].model;
  const critical = chiSquare1Quantile(level);
  const models: SamplesModelFit[] = fits.map((f, i) => {
    const wantIntervals = which === 'all' || which === f.model || (which === 'best' && f.model === best);
    const intervals = wantIntervals
      ? Object.fromEntries(FREE[f.model].map((name) => [name, profileInterval(cells, f.model, f.parameters, f.logLikelihood, name, critical)]))
      : null;
    const p = f.parameters;
    return {
      model: f.model, free: FREE[f.model], parameters: p, intervals,
      logLikelihood: f.logLikelihood, aic: aics[i], deltaAic: aics[i] - minAic, weight: weights[i] / weightSum,
      impliedPairwise: p.rho + (1 - p.rho) * p.dispersion,
      expected: observed.map((h) => ({
        answers: h.answers,
        counts: h.counts.map((_, k) => h.counts.reduce((s, c) => s + c, 0) * countProbability(p, h.answers, k)),
      })),
    };
  });
  return { tasks: tasks.length, answers, accuracy: right / answers, observed, models, best, level };
}

/** Pooled within-task pair counts: pairs of answers to one task, and how many are both right. */
function pairSums(tasks: readonly SampleTask[], weights?: ArrayLike<number>): { pairs: number; bothRight: number; right: number; answers: number } {
  let pairs = 0, bothRight = 0, right = 0, answers = 0;
  tasks.forEach((t, i) => {
    const w = weights ? weights[i] : 1;
    if (w === 0) return;
    pairs += (w * t.answers * (t.answers - 1)) / 2;
    bothRight += (w * t.right * (t.right - 1)) / 2;
    right += w * t.right;
    answers += w * t.answers;
  });
  return { pairs, bothRight, right, answers };
}

function pairwiseFromSums(s: { pairs: number; bothRight: number; right: number; answers: number }): number {
  const p = s.right / s.answers;
  return (s.bothRight / s.pairs - p * p) / (p * (1 - p));
}

export interface PairwiseEstimate {
  /**
   * The plain pairwise correlation of two answers to one task (§G1's ρ̂ for exchangeable samples):
   * (P(both right) − p²)/(p(1 − p)), pooled over all pairs of answers within each task.
   */
  rho: number;
  interval: Interval | null;
  level: number;
  seed: number;
  resamples: number;
}

/** Seeded bootstrap weights over tasks: resample r's multiplicities (§D4 streams, one per resample). */
export function resampleWeights(seed: number, r: number, tasks: number): Uint32Array {
  const weights = new Uint32Array(tasks);
  const u = uniforms(seed, STREAMS.samplesBootstrap, r, tasks);
  for (let i = 0; i < tasks; i++) weights[Math.floor(u[i] * tasks)]++;
  return weights;
}

/** Pairwise ρ̂ with a percentile bootstrap over tasks. */
export function pairwiseCorrelation(tasksIn: readonly SampleTask[], options: BootstrapOptions = {}): PairwiseEstimate {
  const tasks = checkSampleTasks('tasks', tasksIn);
  const { bootstrap, level, seed } = resolveBootstrap(options);
  const rho = pairwiseFromSums(pairSums(tasks));
  if (!Number.isFinite(rho)) throw new InvalidParameterError('tasks', 'some right and some wrong answers (the correlation is undefined otherwise)', 'all answers alike');
  const reps: number[] = [];
  for (let r = 0; r < bootstrap; r++) reps.push(pairwiseFromSums(pairSums(tasks, resampleWeights(seed, r, tasks.length))));
  return { rho, interval: percentileInterval(reps.filter(Number.isFinite), level), level, seed, resamples: bootstrap };
}

/**
 * Agreement among wrong answers (open answers, §H1): the probability that two wrong answers to one
 * task are the same text, pooled over pairs of wrong answers. Only tasks with at least one right and
 * two wrong answers count, so a shared failure (every answer one copied vote) is not read as
 * distractor agreement. Under one dominant distractor with share δ of the wrong mass (the rest
 * scattered) it is δ². Null when no task qualifies.
 */
export function wrongAgreementSums(tasks: readonly SampleTask[], weights?: ArrayLike<number>): { pairs: number; agreeing: number } {
  let pairs = 0, agreeing = 0;
  tasks.forEach((t, i) => {
    const w = weights ? weights[i] : 1;
    const wrong = t.answers - t.right;
    if (w === 0 || t.wrongGroups === undefined || t.right < 1 || wrong < 2) return;
    pairs += (w * wrong * (wrong - 1)) / 2;
    for (const g of t.wrongGroups) agreeing += (w * g * (g - 1)) / 2;
  });
  return { pairs, agreeing };
}
