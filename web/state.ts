// The explorer's whole state, and its mapping to and from the URL query (so a view can be shared).
// Pure functions, no DOM: unit-tested in test/web/state.test.ts. Invalid or unknown query values
// fall back to the default and produce a note the page shows; parsing never throws.
import { accuracyFromSkill, DEFAULT_SEED, skillFromAccuracy, type Answers, type Aggregator, type TaskModel } from 'budgeted-synergy';

export type Channel = 'gamma' | 'm';
export type CurveKind = 'saturating' | 'rational' | 'table';
export type LeafQuality = 'u0' | 'p0';
export type HeatField = 'uL' | 'uStar' | 'regime';
export type SimulationMode = 'levels' | 'full';
export type DistractorKind = 'symmetric' | 'dominant';
export type AggregatorKind = 'plurality' | 'judge';
export type ColourScale = 'linear' | 'log';

export interface ExplorerState {
  /** Fan-in b ≥ 2; an even b breaks ties uniformly at random (§H3; for K = 2 it equals b − 1). */
  b: number;
  /** K possible answers, or 'open' (K = ∞), §H1; 2 is §B's binary model. */
  answers: Answers;
  /** How wrong votes spread (§H1): uniformly, or a share δ of the wrong mass on one dominant distractor. */
  distractor: DistractorKind;
  delta: number;
  /** Aggregation rule (§H7): plurality, or a judge with verification skill v. */
  aggregator: AggregatorKind;
  judge: number;
  /** Organization-wide shared failure ρ_task, §I1. */
  rhoTask: number;
  /** Task difficulty dispersion φ (§I2): per task the leaf accuracy ~ Beta with mean p₀ and this φ; 0 = none. */
  dispersion: number;
  /** Message fidelity given directly (γ) or through the message length m and a curve (§B3). */
  channel: Channel;
  gamma: number;
  m: number;
  curve: CurveKind;
  gammaInf: number;
  m0: number;
  /** Points (m, γ) of a tabulated curve: m strictly increasing, γ non-decreasing (monotone interpolation). */
  table: [number, number][];
  /** Shared-failure probability ρ, §B4. */
  rho: number;
  /** Whether `leaf` is a skill u_0 (the bias for K = 2) or an accuracy p_0 (§B1, §H1: never mixed silently). */
  leaf: LeafQuality;
  leafValue: number;
  depth: number;
  /** Heatmap field: u_L at `depth`, the fixed point u*, or the regime (§H5: bistable drawn apart from amplifying). */
  field: HeatField;
  /** Heatmap colour scale: linear, or log10 of |value| (small signals readable). */
  scale: ColourScale;
  trials: number;
  seed: number;
  mode: SimulationMode;
  /** Design search (§E). */
  budget: number;
  window: number;
  overhead: number;
  lengths: number[];
  k: number;
  beta: number;
  gMax: number;
}

/**
 * Default Monte Carlo trials per depth, chosen for readable error bars (issue 15). A full tree's σ is
 * binomial, ≤ 1/√n = 0.0022 here; level by level the leaves' sampling noise is amplified like the
 * signal (≈ α^ℓ), so at the default design (b = 5, γ = 0.6, ρ = 0.1, u₀ = 0.05) σ grows from 0.0033
 * (ℓ = 1) to 0.028 (ℓ = 30) and every ±2σ bar stays within 23% of u_ℓ (test/web/compute.test.ts).
 * 20,000 trials gave σ = 0.089 at ℓ = 30, bars wider than the signal. The run is estimated under
 * the auto-start limit (1.3–2.5 s in Chromium on a quiet machine, 6–8 s on the loaded 2-core one).
 */
export const DEFAULT_TRIALS = 200_000;

export const DEFAULT_STATE: Readonly<ExplorerState> = Object.freeze({
  b: 5,
  answers: 2,
  distractor: 'symmetric',
  delta: 0.5,
  aggregator: 'plurality',
  judge: 0.5,
  rhoTask: 0,
  dispersion: 0,
  channel: 'gamma',
  gamma: 0.6,
  m: 100,
  curve: 'saturating',
  gammaInf: 0.95,
  m0: 40,
  table: Object.freeze([[0, 0], [40, 0.6], [200, 0.9]]) as unknown as [number, number][],
  rho: 0.1,
  leaf: 'u0',
  leafValue: 0.05,
  depth: 30,
  field: 'uL',
  scale: 'linear',
  trials: DEFAULT_TRIALS,
  seed: DEFAULT_SEED,
  mode: 'levels',
  budget: 2e6,
  window: 8000,
  overhead: 0,
  lengths: Object.freeze([50, 200]) as unknown as number[],
  k: 0.004,
  beta: 0.35,
  gMax: 1,
});

export const LIMITS = {
  bMax: 1001,
  answersMax: 1000,
  depthMax: 200,
  trialsMin: 100,
  trialsMax: 1_000_000,
  seedMax: 2 ** 53 - 1,
  lengthsMax: 12,
  tableMax: 32,
} as const;

type Field = keyof ExplorerState;

/** One query key per field; the value's rule in words (for notes and tooltips) and its parser. */
interface Rule {
  key: string;
  allowed: string;
  parse(text: string): ExplorerState[Field] | undefined;
  format(value: ExplorerState[Field]): string;
}

function num(text: string): number | undefined {
  if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(text.trim())) return undefined;
  const v = Number(text);
  return Number.isFinite(v) ? v : undefined;
}

function real(min: number, max: number, { openMin = false } = {}) {
  return (text: string) => {
    const v = num(text);
    return v !== undefined && (openMin ? v > min : v >= min) && v <= max ? v : undefined;
  };
}

function integer(min: number, max: number) {
  return (text: string) => {
    const v = num(text);
    return v !== undefined && Number.isSafeInteger(v) && v >= min && v <= max ? v : undefined;
  };
}

function oneOf<T extends string>(...values: T[]) {
  return (text: string) => (values as string[]).includes(text) ? text as T : undefined;
}

const plain = (v: ExplorerState[Field]) => String(v);

export const RULES: Record<Field, Rule> = {
  b: { key: 'b', allowed: `an integer in [2, ${LIMITS.bMax}]`, parse: integer(2, LIMITS.bMax), format: plain },
  answers: {
    key: 'answers', allowed: `an integer in [2, ${LIMITS.answersMax}] or 'open'`,
    parse: (text) => text.trim().toLowerCase() === 'open' ? 'open' : integer(2, LIMITS.answersMax)(text), format: plain,
  },
  distractor: { key: 'distractor', allowed: "'symmetric' or 'dominant'", parse: oneOf('symmetric', 'dominant'), format: plain },
  delta: { key: 'delta', allowed: 'a share δ in [0, 1]', parse: real(0, 1), format: plain },
  aggregator: { key: 'aggregator', allowed: "'plurality' or 'judge'", parse: oneOf('plurality', 'judge'), format: plain },
  judge: { key: 'v', allowed: 'a verification skill v in [0, 1]', parse: real(0, 1), format: plain },
  rhoTask: { key: 'rhotask', allowed: 'a number in [0, 1]', parse: real(0, 1), format: plain },
  dispersion: { key: 'phi', allowed: 'a dispersion φ in [0, 1)', parse: (t) => { const v = real(0, 1)(t); return v !== undefined && v < 1 ? v : undefined; }, format: plain },
  channel: { key: 'channel', allowed: "'gamma' or 'm'", parse: oneOf('gamma', 'm'), format: plain },
  gamma: { key: 'gamma', allowed: 'a number in [0, 1]', parse: real(0, 1), format: plain },
  m: { key: 'm', allowed: 'a number of tokens in (0, 1e9]', parse: real(0, 1e9, { openMin: true }), format: plain },
  curve: { key: 'curve', allowed: "'saturating', 'rational' or 'table'", parse: oneOf('saturating', 'rational', 'table'), format: plain },
  gammaInf: { key: 'ginf', allowed: 'a number in [0, 1]', parse: real(0, 1), format: plain },
  m0: { key: 'm0', allowed: 'a number in (0, 1e9]', parse: real(0, 1e9, { openMin: true }), format: plain },
  table: {
    key: 'table',
    allowed: `2 to ${LIMITS.tableMax} points m:γ, comma-separated, m in [0, 1e9] strictly increasing, γ in [0, 1] non-decreasing`,
    parse: (text) => {
      const parts = text.split(',');
      if (parts.length < 2 || parts.length > LIMITS.tableMax) return undefined;
      const points = parts.map((p) => p.split(':')).map(([m, g, extra]) => [extra === undefined && g !== undefined ? real(0, 1e9)(m) : undefined, real(0, 1)(g ?? '')]);
      if (!points.every(([m, g]) => m !== undefined && g !== undefined)) return undefined;
      const table = points as [number, number][];
      return table.every(([m, g], i) => i === 0 || (m > table[i - 1][0] && g >= table[i - 1][1])) ? table : undefined;
    },
    format: (v) => (v as [number, number][]).map(([m, g]) => `${m}:${g}`).join(','),
  },
  rho: { key: 'rho', allowed: 'a number in [0, 1]', parse: real(0, 1), format: plain },
  leaf: { key: 'leaf', allowed: "'u0' (skill; the bias for K = 2) or 'p0' (accuracy)", parse: oneOf('u0', 'p0'), format: plain },
  leafValue: { key: 'q', allowed: 'a skill in [−1/(K − 1), 1] (leaf=u0; a bias in [-1, 1] for K = 2) or an accuracy in [0, 1] (leaf=p0)', parse: real(-1, 1), format: plain },
  depth: { key: 'depth', allowed: `an integer in [1, ${LIMITS.depthMax}]`, parse: integer(1, LIMITS.depthMax), format: plain },
  field: { key: 'field', allowed: "'uL', 'uStar' or 'regime'", parse: oneOf('uL', 'uStar', 'regime'), format: plain },
  scale: { key: 'scale', allowed: "'linear' or 'log'", parse: oneOf('linear', 'log'), format: plain },
  trials: { key: 'trials', allowed: `an integer in [${LIMITS.trialsMin}, ${LIMITS.trialsMax}]`, parse: integer(LIMITS.trialsMin, LIMITS.trialsMax), format: plain },
  seed: { key: 'seed', allowed: 'an integer in [0, 2^53 − 1]', parse: integer(0, LIMITS.seedMax), format: plain },
  mode: { key: 'mode', allowed: "'levels' or 'full'", parse: oneOf('levels', 'full'), format: plain },
  budget: { key: 'budget', allowed: 'a number of tokens in (0, 1e15]', parse: real(0, 1e15, { openMin: true }), format: plain },
  window: { key: 'window', allowed: 'a number of tokens in (0, 1e9]', parse: real(0, 1e9, { openMin: true }), format: plain },
  overhead: { key: 'w0', allowed: 'a number of tokens in [0, 1e9]', parse: real(0, 1e9), format: plain },
  lengths: {
    key: 'lengths',
    allowed: `1 to ${LIMITS.lengthsMax} comma-separated message lengths in (0, 1e9]`,
    parse: (text) => {
      const parts = text.split(',');
      if (parts.length < 1 || parts.length > LIMITS.lengthsMax) return undefined;
      const values = parts.map(real(0, 1e9, { openMin: true }));
      return values.every((v) => v !== undefined) ? values as number[] : undefined;
    },
    format: (v) => (v as number[]).join(','),
  },
  k: { key: 'k', allowed: 'a number in (0, 1e6]', parse: real(0, 1e6, { openMin: true }), format: plain },
  beta: { key: 'beta', allowed: 'a number in (0, 10]', parse: real(0, 10, { openMin: true }), format: plain },
  gMax: { key: 'gmax', allowed: 'a number in (0, 1]', parse: real(0, 1, { openMin: true }), format: plain },
};

const FIELDS = Object.keys(RULES) as Field[];

export interface ParsedState {
  state: ExplorerState;
  /** One line per ignored query value, e.g. "rho=2 ignored: must be a number in [0, 1]; using 0.1". */
  notes: string[];
}

function same(a: unknown, b: unknown): boolean {
  return Array.isArray(a) && Array.isArray(b) ? a.length === b.length && a.every((x, i) => same(x, b[i])) : Object.is(a, b);
}

/** Whether two values of a field are equal (arrays element by element). */
export function sameValue(a: ExplorerState[keyof ExplorerState], b: ExplorerState[keyof ExplorerState]): boolean {
  return same(a, b);
}

export function defaultState(): ExplorerState {
  return { ...DEFAULT_STATE, lengths: [...DEFAULT_STATE.lengths], table: DEFAULT_STATE.table.map(([m, g]) => [m, g] as [number, number]) };
}

/** The state a query string describes; anything invalid keeps its default and adds a note. */
export function parseState(query: string): ParsedState {
  const params = new URLSearchParams(query);
  const state = defaultState() as unknown as Record<Field, ExplorerState[Field]>;
  const notes: string[] = [];
  const known = new Set<string>();
  for (const field of FIELDS) {
    const rule = RULES[field];
    known.add(rule.key);
    const text = params.get(rule.key);
    if (text === null) continue;
    const value = rule.parse(text);
    if (value === undefined) notes.push(`${rule.key}=${text} ignored: must be ${rule.allowed}; using ${rule.format(state[field])}`);
    else state[field] = value;
  }
  // The leaf quality's range depends on its kind and on K (an accuracy is never negative, a skill is
  // at least −1/(K − 1): every wrong answer equally likely is the worst, §H1).
  const s = state as unknown as ExplorerState;
  if (!leafValueValid(s.leafValue, s.leaf, s.answers)) {
    const fallback = s.leaf === 'p0' ? accuracyFromSkill(DEFAULT_STATE.leafValue, s.answers) : DEFAULT_STATE.leafValue;
    notes.push(`q=${s.leafValue} ignored: ${s.leaf === 'p0' ? 'an accuracy p0 must be in [0, 1]' : `a skill u0 must be in [${minLeafSkill(s.answers)}, 1] for K = ${s.answers}`}; using ${fallback}`);
    s.leafValue = fallback;
  }
  for (const key of new Set(params.keys())) if (!known.has(key)) notes.push(`unknown parameter ${key} ignored`);
  return { state: s, notes };
}

/** The query string of a state: only the fields that differ from the defaults, in a fixed order. */
export function stateToQuery(state: ExplorerState): string {
  const params = new URLSearchParams();
  for (const field of FIELDS) {
    if (!same(state[field], DEFAULT_STATE[field])) params.set(RULES[field].key, RULES[field].format(state[field]));
  }
  return params.toString();
}

/** The lowest leaf skill for K answers: −p_c/(1 − p_c) = −1/(K − 1) (0 for open answers), §H1. */
export function minLeafSkill(answers: Answers): number {
  return answers === 'open' ? 0 : -1 / (answers - 1);
}

/** Whether a leaf value is in range for its kind and K. */
export function leafValueValid(value: number, leaf: LeafQuality, answers: Answers): boolean {
  return leaf === 'p0' ? value >= 0 && value <= 1 : value >= minLeafSkill(answers) && value <= 1;
}

/**
 * The leaf skill u_0 a state describes (§H1; for K = 2 the bias of §B1): an accuracy p_0 converts to
 * s_0 = (p_0 − p_c)/(1 − p_c), i.e. u_0 = 2p_0 − 1 when K = 2.
 */
export function stateLeafBias(state: ExplorerState): number {
  return state.leaf === 'u0' ? state.leafValue : skillFromAccuracy(state.leafValue, state.answers);
}

/** The leaf value in the other convention when the leaf control switches kind, for the same leaves (§H1). */
export function convertLeafValue(value: number, to: LeafQuality, answers: Answers = 2): number {
  return to === 'p0' ? accuracyFromSkill(value, answers) : skillFromAccuracy(value, answers);
}

/** Whether the state is §B's binary majority model (K = 2, plurality = majority). */
export function isBinary(state: ExplorerState): boolean {
  return state.answers === 2 && state.aggregator === 'plurality';
}

/** The aggregation rule of a state's levels (§H7). */
export function stateAggregator(state: ExplorerState): Aggregator {
  return state.aggregator === 'judge' ? { judge: state.judge } : 'plurality';
}

/** The task model of a state (§H1, §I1, §I2): difficulty has mean p_0 and the state's dispersion. */
export function stateTask(state: ExplorerState): TaskModel {
  const task: TaskModel = { answers: state.answers };
  if (state.distractor === 'dominant' && state.answers !== 2) task.distractors = { dominant: state.delta };
  if (state.rhoTask > 0) task.rhoTask = state.rhoTask;
  if (state.dispersion > 0) task.difficulty = { mean: accuracyFromSkill(stateLeafBias(state), state.answers), dispersion: state.dispersion };
  return task;
}
