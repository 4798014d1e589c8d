// SPEC §H2–§H4, §H7 — exact plurality maps over K answers (K = 'open' for K = ∞).
//
// Π(p) = Σ_c C(b,c)·p^c·(1−p)^(b−c)·w_c is a degree-b polynomial in p whose weights
//   w_c = E[1{c > M} + 1{c = M}/(J + 1)]
// (b − c wrong votes multinomial over the K − 1 wrong answers, M their largest count, J how many
// answers reach it) depend on (b, K) only. They are computed once per (b, K) and cached, so Π costs
// O(b). The law of (M, J) comes from exponential generating functions with only non-negative terms
// (no cancellation, no factorial overflow):
//   P(M < t | n votes over m answers)        = n!·[x^n] e_t(x)^m,
//   P(M = t, J = j | n votes over m answers) = C(m, j)·(1/(t!·m^t))^j·n!·[x^(n − j·t)] e_t(x)^(m − j),
// where e_t(x) = Σ_{i<t} x^i/(i!·m^i) is the truncated exponential with the 1/m per vote folded in.
// Powers of e_t truncated at degree b are taken by binary exponentiation, so K = 10^6 costs
// O(b³·log K) once; b = 101, K = 1000 takes a few tens of milliseconds.
import { checkInteger, checkNumber, checkUnit, InvalidParameterError } from '../errors.ts';
import { type Aggregator, type Answers, checkAggregator, checkAnswers } from './model.ts';

/**
 * Largest fan-in for the plurality maps: the generating-function coefficients scale like 1/n!, which
 * stays a normal double for n ≤ 170 (§H4 asks for b up to at least 101).
 */
export const MAX_PLURALITY_FAN_IN = 151;

export function checkPluralityFanIn(name: string, b: unknown): number {
  return checkInteger(name, b, 2, MAX_PLURALITY_FAN_IN);
}

/** Truncated polynomial product a·b up to degree `deg` (all coefficients ≥ 0). */
function multiply(a: Float64Array, b: Float64Array, deg: number): Float64Array {
  const out = new Float64Array(deg + 1);
  for (let i = 0; i <= deg; i++) {
    const ai = a[i];
    if (ai === 0) continue;
    for (let j = 0; i + j <= deg; j++) out[i + j] += ai * b[j];
  }
  return out;
}

function power(base: Float64Array, e: number, deg: number): Float64Array {
  let result: Float64Array = new Float64Array(deg + 1);
  result[0] = 1;
  let sq: Float64Array = base;
  while (e > 0) {
    if (e & 1) result = multiply(result, sq, deg);
    e = Math.floor(e / 2);
    if (e > 0) sq = multiply(sq, sq, deg);
  }
  return result;
}

/** ln n!, tabulated on demand. */
const logFactorials: number[] = [0];
function logFactorial(n: number): number {
  for (let i = logFactorials.length; i <= n; i++) logFactorials.push(logFactorials[i - 1] + Math.log(i));
  return logFactorials[n];
}

/**
 * The law of the largest count among `m` answers sharing n votes uniformly, at one level t ≥ 1, for
 * every n ≤ nMax: below[n] = P(M < t), at[n][j] = P(M = t, J = j) (j ≥ 1). m = 'open' (m → ∞):
 * every vote is its own answer, so M = min(n, 1) and J = n.
 */
export interface MaxCountLaw { below: Float64Array; at: Float64Array[] }

export function maxCountLaw(m: number | 'open', t: number, nMax: number): MaxCountLaw {
  const below = new Float64Array(nMax + 1);
  const at: Float64Array[] = [];
  for (let n = 0; n <= nMax; n++) at.push(new Float64Array(Math.floor(n / Math.max(t, 1)) + 1));
  if (m === 'open') {
    for (let n = 0; n <= nMax; n++) {
      const M = Math.min(n, 1);
      if (M < t) below[n] = 1;
      else if (M === t) at[n][n] = 1;
    }
    return { below, at };
  }
  if (m === 0) { // no answers: only n = 0 is possible, M = 0, J = 0
    if (t > 0) below[0] = 1;
    return { below, at };
  }
  const e = new Float64Array(nMax + 1);
  for (let i = 0; i < t && i <= nMax; i++) e[i] = Math.exp(-logFactorial(i) - i * Math.log(m));
  const jMax = Math.min(m, Math.floor(nMax / t));
  // P_j = e_t^(m − j) for j = jMax … 0: one binary power, then multiply up.
  const powers: Float64Array[] = new Array(jMax + 1);
  powers[jMax] = power(e, m - jMax, nMax);
  for (let j = jMax - 1; j >= 0; j--) powers[j] = multiply(powers[j + 1], e, nMax);
  for (let n = 0; n <= nMax; n++) below[n] = Math.exp(logFactorial(n)) * powers[0][n];
  // log of C(m, j)·(1/(t!·m^t))^j, built up in j
  let logCoef = 0;
  const logPerAnswer = -logFactorial(t) - t * Math.log(m);
  for (let j = 1; j <= jMax; j++) {
    logCoef += Math.log((m - j + 1) / j) + logPerAnswer;
    for (let n = j * t; n <= nMax; n++) {
      at[n][j] = Math.exp(logCoef + logFactorial(n)) * powers[j][n - j * t];
    }
  }
  return { below, at };
}

/** P(a given answer with c votes wins | the other counts' law at t = c), ties among `others` extra. */
function winShare(law: MaxCountLaw, n: number, extraTies: number): number {
  let w = law.below[n] / (1 + extraTies);
  const row = law.at[n];
  for (let j = 1; j < row.length; j++) if (row[j] > 0) w += row[j] / (1 + extraTies + j);
  return w;
}

const weightCache = new Map<string, Float64Array>();

/**
 * w_c, c = 0 … b (§H4): the probability that the right answer wins the plurality (uniform tie-break)
 * given c right votes among b, the b − c wrong ones uniform over the K − 1 wrong answers.
 */
export function pluralityWeights(b: number, answers: Answers): Float64Array {
  checkPluralityFanIn('b', b);
  const k = checkAnswers('answers', answers);
  const key = `${b}:${k}`;
  const hit = weightCache.get(key);
  if (hit) return hit;
  const m = k === 'open' ? 'open' : k - 1;
  const w = new Float64Array(b + 1);
  for (let c = 1; c <= b; c++) w[c] = winShare(maxCountLaw(m, c, b - c), b - c, 0);
  weightCache.set(key, w);
  return w;
}

/** log C(n, c) for c = 0 … n. */
function logBinomials(n: number): Float64Array {
  const out = new Float64Array(n + 1);
  for (let c = 0; c <= n; c++) out[c] = logFactorial(n) - logFactorial(c) - logFactorial(n - c);
  return out;
}

const logBinomialCache = new Map<number, Float64Array>();
function logBinomialRow(n: number): Float64Array {
  let row = logBinomialCache.get(n);
  if (!row) logBinomialCache.set(n, row = logBinomials(n));
  return row;
}

/** Σ_c C(n,c)·p^c·(1−p)^(n−c)·coef[c], each term formed in log space (no under/overflow). */
function bernstein(coef: ArrayLike<number>, n: number, p: number): number {
  if (p <= 0) return coef[0];
  if (p >= 1) return coef[n];
  const lb = logBinomialRow(n);
  const lp = Math.log(p);
  const lq = Math.log1p(-p);
  let sum = 0;
  for (let c = 0; c <= n; c++) if (coef[c] !== 0) sum += coef[c] * Math.exp(lb[c] + c * lp + (n - c) * lq);
  return sum;
}

/** Π(p): probability that the plurality of b i.i.d. votes of accuracy p is right (§H4). */
export function pluralityAccuracy(b: number, answers: Answers, p: number): number {
  // the terms are ≥ 0 and sum to ≤ 1; clamp the last-ulp rounding so S(1) ≤ 1 holds exactly
  return Math.min(1, bernstein(pluralityWeights(b, answers), b, checkUnit('p', p)));
}

/** Π'(p) = b·Σ_c C(b−1,c)·p^c·(1−p)^(b−1−c)·(w_{c+1} − w_c). */
export function pluralityAccuracyDerivative(b: number, answers: Answers, p: number): number {
  const w = pluralityWeights(b, answers);
  const d = new Float64Array(b);
  for (let c = 0; c < b; c++) d[c] = w[c + 1] - w[c];
  return b * bernstein(d, b - 1, checkUnit('p', p));
}

/** Chance p_c = 1/K (0 for open answers), without re-validating. */
function chance(answers: Answers): number {
  return answers === 'open' ? 0 : 1 / answers;
}

/** Smallest skill a symmetric state can have: −p_c/(1 − p_c) (0 for open answers). */
export function minSkill(answers: Answers): number {
  const pc = chance(answers);
  return -pc / (1 - pc);
}

export function checkSkill(name: string, s: unknown, answers: Answers): number {
  const lo = minSkill(answers);
  return checkNumber(name, s, lo, 1, `a skill in [${lo}, 1] (s = (p − p_c)/(1 − p_c), p_c = ${answers === 'open' ? 0 : `1/${answers}`})`);
}

function judgeSkill(aggregator: Aggregator): number {
  return aggregator === 'plurality' ? 0 : aggregator.judge;
}

/**
 * Accuracy of one aggregator's output from b received votes of accuracy p (§H4, §H7): plurality Π(p),
 * or a judge v·(1 − (1 − p)^b) + (1 − v)·Π(p).
 */
export function aggregateAccuracy(b: number, answers: Answers, aggregator: Aggregator, p: number): number {
  const v = judgeSkill(aggregator);
  const pi = pluralityAccuracy(b, answers, p);
  return v === 0 ? pi : v * -Math.expm1(b * Math.log1p(-p)) + (1 - v) * pi;
}

function aggregateAccuracyDerivative(b: number, answers: Answers, aggregator: Aggregator, p: number): number {
  const v = judgeSkill(aggregator);
  const d = pluralityAccuracyDerivative(b, answers, p);
  return v === 0 ? d : v * b * Math.pow(1 - p, b - 1) + (1 - v) * d;
}

/** F_{b,K}(s) = (K·Π − 1)/(K − 1) at p = p_c + (1 − p_c)·s (§H4); the judge's Π_J when given. */
export function pluralitySkill(b: number, answers: Answers, s: number, aggregator: Aggregator = 'plurality'): number {
  const k = checkAnswers('answers', answers);
  checkSkill('s', s, k);
  const pc = chance(k);
  const pi = aggregateAccuracy(b, k, checkAggregator('aggregator', aggregator), Math.min(1, Math.max(0, pc + (1 - pc) * s)));
  return (pi - pc) / (1 - pc);
}

/** F'_{b,K}(s) = Π'(p) (the factors (1 − p_c) cancel). */
export function pluralitySkillDerivative(b: number, answers: Answers, s: number, aggregator: Aggregator = 'plurality'): number {
  const k = checkAnswers('answers', answers);
  checkSkill('s', s, k);
  const pc = chance(k);
  return aggregateAccuracyDerivative(b, k, checkAggregator('aggregator', aggregator), Math.min(1, Math.max(0, pc + (1 - pc) * s)));
}

/** c_{b,K} = F'_{b,K}(0) (§H5); the judge's slope at chance with an aggregator. */
export function pluralitySlope(b: number, answers: Answers, aggregator: Aggregator = 'plurality'): number {
  return pluralitySkillDerivative(b, answers, 0, aggregator);
}

/** One level of a plurality tree, §H2–§H4: fan-in b ≥ 2, fidelity γ, shared failure ρ, rule. */
export interface PluralityLevel { b: number; gamma: number; rho: number; aggregator?: Aggregator }

/** S(s) = ρ·γ·s + (1 − ρ)·F(γ·s) (§H4; F of the judge under §H7, the copy output as is). */
export function pluralityLevelMap(level: PluralityLevel, answers: Answers, s: number): number {
  const { b, gamma, rho } = level;
  return rho * gamma * s + (1 - rho) * pluralitySkill(b, answers, gamma * s, level.aggregator ?? 'plurality');
}

/** S'(s). */
export function pluralityLevelDerivative(level: PluralityLevel, answers: Answers, s: number): number {
  const { b, gamma, rho } = level;
  return rho * gamma + (1 - rho) * gamma * pluralitySkillDerivative(b, answers, gamma * s, level.aggregator ?? 'plurality');
}

// ——— one dominant distractor (§H4): the state is (p, d), right and dominant accuracies ———

/** Right and dominant accuracies of a state (§H4, dominant profile). */
export interface DominantState { p: number; d: number }

interface DominantWeights {
  /** right[c][e], dominant[c][e]: win probabilities given c right, e dominant, the rest symmetric. */
  right: Float64Array[]; dominant: Float64Array[];
}

const dominantCache = new Map<string, DominantWeights>();

function dominantWeights(b: number, answers: Answers): DominantWeights {
  const key = `${b}:${answers}`;
  const hit = dominantCache.get(key);
  if (hit) return hit;
  const m = answers === 'open' ? 'open' : answers - 2; // the rest: wrong answers other than the dominant one
  const laws: MaxCountLaw[] = [];
  for (let t = 0; t <= b; t++) laws.push(t === 0 ? { below: new Float64Array(b + 1), at: [] } : maxCountLaw(m, t, b));
  const right: Float64Array[] = [];
  const dominant: Float64Array[] = [];
  const share = (x: number, y: number, n: number): number => { // x's win probability against y and the rest
    if (x === 0 || y > x) return 0;
    return winShare(laws[x], n, y === x ? 1 : 0);
  };
  for (let c = 0; c <= b; c++) {
    right.push(new Float64Array(b - c + 1));
    dominant.push(new Float64Array(b - c + 1));
    for (let e = 0; c + e <= b; e++) {
      const n = b - c - e;
      if (m === 0 && n > 0) continue; // K = 2: no rest answers exist (zero probability anyway)
      right[c][e] = share(c, e, n);
      dominant[c][e] = share(e, c, n);
    }
  }
  const w = { right, dominant };
  dominantCache.set(key, w);
  return w;
}

/**
 * Plurality output of b i.i.d. votes with right accuracy p and dominant accuracy d (the rest
 * 1 − p − d uniform over the other K − 2 wrong answers, or all distinct for open answers):
 * {p: P(right wins), d: P(dominant wins), dNoRight: P(dominant wins and no vote is right)}.
 */
export function dominantPlurality(b: number, answers: Answers, state: DominantState): DominantState & { dNoRight: number } {
  checkPluralityFanIn('b', b);
  const k = checkAnswers('answers', answers);
  const { p, d } = checkDominantState(state, k);
  const r = Math.max(0, 1 - p - d);
  const { right, dominant } = dominantWeights(b, k);
  const lp = Math.log(p), ld = Math.log(d), lr = Math.log(r);
  const term = (c: number, e: number): number => {
    const n = b - c - e;
    const t = (c ? c * lp : 0) + (e ? e * ld : 0) + (n ? n * lr : 0);
    return Math.exp(logFactorial(b) - logFactorial(c) - logFactorial(e) - logFactorial(n) + t);
  };
  let pr = 0, dm = 0, dm0 = 0;
  for (let c = 0; c <= b; c++) {
    for (let e = 0; c + e <= b; e++) {
      const wr = right[c][e], wd = dominant[c][e];
      if (wr === 0 && wd === 0) continue;
      const prob = term(c, e);
      if (!(prob > 0)) continue;
      pr += prob * wr;
      dm += prob * wd;
      if (c === 0) dm0 += prob * wd;
    }
  }
  return { p: pr, d: dm, dNoRight: dm0 };
}

function checkDominantState(state: DominantState, answers: Answers): DominantState {
  if (typeof state !== 'object' || state === null) throw new InvalidParameterError('state', 'an object { p, d }', state);
  const p = checkUnit('state.p', state.p);
  const d = checkUnit('state.d', state.d);
  if (p + d > 1 + 1e-12) throw new InvalidParameterError('state.d', `at most 1 − p = ${1 - p}`, d);
  if (answers === 2 && Math.abs(p + d - 1) > 1e-12) {
    throw new InvalidParameterError('state.d', 'exactly 1 − p for K = 2 (the dominant distractor is the only wrong answer)', d);
  }
  return { p, d };
}

/** The state (p, d) of leaves with skill s whose wrong mass puts a share δ on the dominant answer. */
export function dominantStateFromSkill(s: number, answers: Answers, delta: number): DominantState {
  const k = checkAnswers('answers', answers);
  checkSkill('s', s, k);
  checkUnit('delta', delta);
  const pc = chance(k);
  const p = pc + (1 - pc) * s;
  return { p, d: k === 2 ? 1 - p : delta * (1 - p) };
}

/**
 * One level of the dominant-distractor map (§H2, §H4, §H7): the channel keeps a message with
 * probability γ, else draws uniformly over K answers (a fresh wrong one for open answers); with
 * probability ρ the output is a copy of one received message; otherwise plurality or judge.
 */
export function dominantLevelMap(level: PluralityLevel, answers: Answers, state: DominantState): DominantState {
  const k = checkAnswers('answers', answers);
  const { b, gamma, rho } = level;
  const noise = k === 'open' ? 0 : (1 - gamma) / k;
  const received = { p: gamma * state.p + noise, d: k === 2 ? 1 - (gamma * state.p + noise) : gamma * state.d + noise };
  const out = dominantPlurality(b, k, received);
  const v = judgeSkill(level.aggregator ?? 'plurality');
  const anyRight = -Math.expm1(b * Math.log1p(-received.p));
  const p = v * anyRight + (1 - v) * out.p;
  const d = v * out.dNoRight + (1 - v) * out.d;
  return { p: rho * received.p + (1 - rho) * p, d: rho * received.d + (1 - rho) * d };
}
