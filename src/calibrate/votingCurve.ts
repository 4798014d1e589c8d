// SPEC §I4 — the voting curve: accuracy of a majority (binary decisions, §B) or plurality (open
// answers, §H3) of N samples of one task, N = 1 … N_max, ties broken uniformly at random.
// - Fitted: from the §I3 model chosen by AIC. A task draws p_t ~ Beta(μ, φ); with probability ρ its N
//   answers are one copied vote (right with probability μ); otherwise the N votes are independent
//   given p_t. A wrong vote is the task's dominant distractor with probability δ, else a text no other
//   vote shares (§H1 with K = ∞; binary decisions are δ = 1: the one wrong answer). Then
//   P(c right, d dominant, u scattered) = N!/(c! d! u!)·δ^d (1 − δ)^u·E[p^c (1 − p)^(N−c)], and the
//   Beta moment is closed-form (samplesFit.ts betaMomentTables), so the curve is exact.
// - Observed: for each task, the plurality accuracy averaged over every subset of N of its answers
//   (exhaustive column subsampling, computed exactly by counting subsets rather than sampling them).
// Mixtures of easy and hard tasks make the curve turn down (arXiv 2403.02419): the best N is reported
// and whether the curve falls after it. Intervals: a seeded percentile bootstrap over tasks (the
// fitted curve refits the chosen model in every resample).
import { checkInteger, InvalidParameterError } from '../errors.ts';
import { type BootstrapOptions, type Interval, percentileInterval, resolveBootstrap } from './bootstrap.ts';
import {
  betaMomentTables, checkSampleTasks, countCells, fitSamplesModel, resampleWeights, type SampleTask, type SamplesFit,
  type SamplesModelName, type SamplesParameters, wrongAgreementSums,
} from './samplesFit.ts';

export interface VotingPoint {
  /** Samples voted over. */
  n: number;
  fitted: number;
  fittedInterval: Interval | null;
  /** Null when no task has n answers. */
  observed: number | null;
  observedInterval: Interval | null;
  /** Tasks with at least n answers (the observed value averages over them). */
  observedTasks: number;
}

export interface VotingCurve {
  rule: 'majority' | 'plurality';
  model: SamplesModelName;
  parameters: SamplesParameters;
  /**
   * δ: the share of wrong votes that go to a task's dominant distractor (1 for binary decisions).
   * For open answers √(agreement among wrong answers).
   */
  wrongShare: number;
  /** Open answers: P(two wrong answers to one task agree), with its interval and the pairs it rests on. */
  wrongAgreement: { value: number; interval: Interval | null; pairs: number } | null;
  points: VotingPoint[];
  /** The fitted curve's best N (smallest N reaching the maximum) and its accuracy. */
  best: { n: number; accuracy: number };
  /** Whether the fitted curve falls after its best N within 1 … maxN. */
  turnsDown: boolean;
  /** Share of bootstrap resamples whose fitted curve turns down (null without a bootstrap). */
  turnsDownShare: number | null;
  /** The same from the observed curve, over N ≤ the fewest answers of any task (every task counted). */
  observedBest: { n: number; accuracy: number };
  observedTurnsDown: boolean;
  /** The largest N observed (most answers to one task). */
  maxObserved: number;
  level: number;
  seed: number;
  resamples: number;
  /** Resamples whose refit failed (all answers alike in them) and were dropped. */
  failedResamples: number;
}

export interface VotingCurveOptions extends BootstrapOptions {
  /** Largest N of the fitted curve (default: max(25, the most answers to one task), at most MAX_VOTERS). */
  maxN?: number;
  /** The model to draw the fitted curve from (default: the AIC choice). */
  model?: SamplesModelName;
}

/** Largest N of the fitted curve (it costs O(N²) per N for open answers, in every bootstrap resample). */
export const MAX_VOTERS = 201;
const TIE = 1e-12;

function logFactorials(n: number): Float64Array {
  const out = new Float64Array(n + 1);
  for (let i = 1; i <= n; i++) out[i] = out[i - 1] + Math.log(i);
  return out;
}

/** P(the plurality of c right, d dominant-wrong and u scattered votes is right), ties at random. */
function winShare(c: number, d: number, n: number): number {
  if (c === 0) return 0;
  if (c === 1) return d >= 2 ? 0 : 1 / n; // every answer holds one vote: n-way tie
  return c > d ? 1 : c === d ? 0.5 : 0;
}

/** Fitted accuracy of a plurality of n samples under the §I3 model (δ = wrongShare; 1: binary). */
export function fittedVoteAccuracy(p: SamplesParameters, n: number, wrongShare: number, logFact = logFactorials(n)): number {
  let independent = 0;
  const t = betaMomentTables(p.mean, p.dispersion, n);
  for (let c = 1; c <= n; c++) {
    const moment = t.right[c] + t.wrong[n - c] - t.total[n];
    // δ = 1 (binary): every wrong vote is the one wrong answer, d = n − c; δ = 0: none is, d = 0.
    const dLo = wrongShare === 1 ? n - c : 0;
    const dHi = wrongShare === 0 ? 0 : n - c;
    for (let d = dLo; d <= dHi; d++) {
      const win = winShare(c, d, n);
      if (win === 0) continue;
      const u = n - c - d;
      const share = Math.pow(wrongShare, d) * Math.pow(1 - wrongShare, u);
      if (share === 0) continue;
      independent += win * share * Math.exp(logFact[n] - logFact[c] - logFact[d] - logFact[u] + moment);
    }
  }
  return p.rho * p.mean + (1 - p.rho) * independent;
}

function choose(n: number, k: number): number {
  if (k < 0 || k > n) return 0;
  let s = 1;
  for (let i = 1; i <= k; i++) s = (s * (n - k + i)) / i;
  return s;
}

/**
 * One task's plurality accuracy averaged over all subsets of n of its answers, counted exactly.
 * Binary decisions (one wrong answer): the hypergeometric sum. Answer texts: for c right answers
 * drawn, the wrong draws are counted group by group (dp over drawn total and ties at c) among draws
 * where no wrong group exceeds c; a tie with e wrong groups wins with probability 1/(1 + e). Wrong
 * answers no other answer shares enter as one step (x of them drawn: C(s, x) ways, x ties when c = 1).
 */
export function observedVoteAccuracy(task: SampleTask, n: number): number | null {
  if (n > task.answers) return null;
  const all = choose(task.answers, n);
  if (task.wrongGroups === undefined) {
    let total = 0;
    for (let c = Math.ceil(n / 2); c <= Math.min(task.right, n); c++) {
      const ways = choose(task.right, c) * choose(task.answers - task.right, n - c);
      total += 2 * c === n ? ways / 2 : ways;
    }
    return total / all;
  }
  const groups = task.wrongGroups.filter((g) => g > 1);
  const singles = task.wrongGroups.length - groups.length;
  let total = 0;
  for (let c = 1; c <= Math.min(task.right, n); c++) {
    const w = n - c;
    const maxTies = Math.floor(w / c) + 1;
    // dp[t][e]: ways to draw t wrong answers so far with e groups at exactly c, none above c.
    let dp: Float64Array[] = Array.from({ length: w + 1 }, () => new Float64Array(maxTies + 1));
    dp[0][0] = 1;
    const step = (size: number, tiesOf: (x: number) => number, maxX: number, reach: number) => {
      const next: Float64Array[] = Array.from({ length: w + 1 }, () => new Float64Array(maxTies + 1));
      for (let t = 0; t <= reach; t++) {
        for (let e = 0; e <= maxTies; e++) {
          const v = dp[t][e];
          if (v === 0) continue;
          for (let x = 0; x <= Math.min(maxX, w - t); x++) {
            const e2 = e + tiesOf(x);
            if (e2 <= maxTies) next[t + x][e2] += v * choose(size, x);
          }
        }
      }
      dp = next;
    };
    let drawable = 0; // answers in the groups so far: t never exceeds it
    for (const g of groups) {
      step(g, (x) => (x === c ? 1 : 0), Math.min(g, c), Math.min(w, (drawable += g)));
    }
    // The scattered answers come last: only the rows that reach t = w are needed.
    let ways = 0;
    for (let t = Math.max(0, w - singles); t <= w; t++) {
      const x = w - t;
      const ties = c === 1 ? x : 0;
      for (let e = 0; e + ties <= maxTies; e++) if (dp[t][e] !== 0) ways += (dp[t][e] * choose(singles, x)) / (1 + e + ties);
    }
    total += choose(task.right, c) * ways;
  }
  return total / all;
}

/** The best N (smallest reaching the maximum) and whether the curve falls after it. */
function shape(values: readonly number[]): { best: { n: number; accuracy: number }; turnsDown: boolean } {
  const max = Math.max(...values);
  const i = values.findIndex((v) => v >= max - TIE);
  return { best: { n: i + 1, accuracy: values[i] }, turnsDown: values.slice(i + 1).some((v) => v < max - 1e-9) };
}

function weightedMean(values: readonly (number | null)[], weights?: ArrayLike<number>): number | null {
  let s = 0, w = 0;
  values.forEach((v, i) => {
    const wi = weights ? weights[i] : 1;
    if (v === null || wi === 0) return;
    s += wi * v;
    w += wi;
  });
  return w > 0 ? s / w : null;
}

/**
 * §I4: the fitted and observed voting curves of a tasks × samples matrix, from a §I3 fit of the same
 * tasks. `open` selects plurality over answer texts (the tasks need wrongGroups); otherwise majority
 * over binary decisions.
 */
export function votingCurve(tasksIn: readonly SampleTask[], fit: SamplesFit, options: VotingCurveOptions = {}): VotingCurve {
  const tasks = checkSampleTasks('tasks', tasksIn);
  const open = tasks.some((t) => t.wrongGroups !== undefined);
  if (open && tasks.some((t) => t.wrongGroups === undefined)) {
    throw new InvalidParameterError('tasks', 'either every task with wrongGroups (open answers) or none (binary decisions)', 'a mix');
  }
  const maxObserved = Math.max(...tasks.map((t) => t.answers));
  const minObserved = Math.min(...tasks.map((t) => t.answers));
  const maxN = checkInteger('maxN', options.maxN ?? Math.min(MAX_VOTERS, Math.max(25, maxObserved)), 1, MAX_VOTERS);
  const { bootstrap, level, seed } = resolveBootstrap({ ...options, level: options.level ?? fit.level });
  const model = options.model ?? fit.best;
  const chosen = fit.models.find((m) => m.model === model);
  if (!chosen) throw new InvalidParameterError('model', "'shared', 'difficulty' or 'both'", model);
  const logFact = logFactorials(maxN);
  const ns = Array.from({ length: maxN }, (_, i) => i + 1);

  let wrongAgreement: VotingCurve['wrongAgreement'] = null;
  let wrongShare = 1;
  const agreementOf = (w?: ArrayLike<number>) => {
    const s = wrongAgreementSums(tasks, w);
    return s.pairs > 0 ? s.agreeing / s.pairs : null;
  };
  if (open) {
    const value = agreementOf();
    const pairs = wrongAgreementSums(tasks).pairs;
    wrongShare = value === null ? 0 : Math.sqrt(value);
    wrongAgreement = value === null ? null : { value, interval: null, pairs };
  }
  const curveOf = (p: SamplesParameters, delta: number) => ns.map((n) => fittedVoteAccuracy(p, n, delta, logFact));
  const fitted = curveOf(chosen.parameters, wrongShare);
  const perTask = ns.filter((n) => n <= maxObserved).map((n) => tasks.map((t) => observedVoteAccuracy(t, n)));
  const observed = perTask.map((values) => weightedMean(values));

  // Refits start at the full-data optimum (and, for the full model, at its ρ = 0 and φ = 0 edges).
  const refitStarts = model === 'both' ? [chosen.parameters, { ...chosen.parameters, rho: 0 }, { ...chosen.parameters, dispersion: 0 }] : [chosen.parameters];
  const fittedReps = ns.map(() => [] as number[]);
  const observedReps = perTask.map(() => [] as number[]);
  const agreementReps: number[] = [];
  let turnsDownCount = 0, failed = 0;
  for (let r = 0; r < bootstrap; r++) {
    const w = resampleWeights(seed, r, tasks.length);
    perTask.forEach((values, i) => {
      const m = weightedMean(values, w);
      if (m !== null) observedReps[i].push(m);
    });
    const cells = countCells(tasks, w);
    let right = 0, answers = 0;
    for (const c of cells) {
      right += c.w * c.k;
      answers += c.w * c.n;
    }
    if (right === 0 || right === answers) {
      failed++;
      continue;
    }
    const refit = fitSamplesModel(cells, model, refitStarts).parameters;
    let delta = wrongShare;
    if (open) {
      const a = agreementOf(w);
      if (a !== null) {
        agreementReps.push(a);
        delta = Math.sqrt(a);
      }
    }
    const curve = curveOf(refit, delta);
    curve.forEach((v, i) => fittedReps[i].push(v));
    if (shape(curve).turnsDown) turnsDownCount++;
  }
  if (wrongAgreement) wrongAgreement.interval = percentileInterval(agreementReps, level);
  const { best, turnsDown } = shape(fitted);
  const everyTask = observed.slice(0, minObserved) as number[];
  const obs = shape(everyTask);
  return {
    rule: open ? 'plurality' : 'majority',
    model, parameters: chosen.parameters, wrongShare, wrongAgreement,
    points: ns.map((n, i) => ({
      n, fitted: fitted[i], fittedInterval: percentileInterval(fittedReps[i], level),
      observed: i < observed.length ? observed[i] : null,
      observedInterval: i < observed.length ? percentileInterval(observedReps[i], level) : null,
      observedTasks: tasks.filter((t) => t.answers >= n).length,
    })),
    best, turnsDown, turnsDownShare: bootstrap - failed > 0 ? turnsDownCount / (bootstrap - failed) : null,
    observedBest: obs.best, observedTurnsDown: obs.turnsDown, maxObserved, level, seed, resamples: bootstrap, failedResamples: failed,
  };
}
