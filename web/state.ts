// The explorer's whole state, and its mapping to and from the URL query (so a view can be shared).
// Pure functions, no DOM: unit-tested in test/web/state.test.ts. Invalid or unknown query values
// fall back to the default and produce a note the page shows; parsing never throws.
import { accuracyFromBias, biasFromAccuracy, DEFAULT_SEED } from 'budgeted-synergy';

export type Channel = 'gamma' | 'm';
export type CurveKind = 'saturating' | 'rational' | 'table';
export type LeafQuality = 'u0' | 'p0';
export type HeatField = 'uL' | 'uStar';
export type SimulationMode = 'levels' | 'full';

export interface ExplorerState {
  /** Fan-in, odd, §B4. */
  b: number;
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
  /** Whether `leaf` is a bias u_0 or an accuracy p_0 (§B1: never mixed silently). */
  leaf: LeafQuality;
  leafValue: number;
  depth: number;
  /** Heatmap field: u_L at `depth` or the fixed point u*. */
  field: HeatField;
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

export const DEFAULT_STATE: Readonly<ExplorerState> = Object.freeze({
  b: 5,
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
  trials: 20_000,
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

function integer(min: number, max: number, odd = false) {
  return (text: string) => {
    const v = num(text);
    return v !== undefined && Number.isSafeInteger(v) && v >= min && v <= max && (!odd || v % 2 === 1) ? v : undefined;
  };
}

function oneOf<T extends string>(...values: T[]) {
  return (text: string) => (values as string[]).includes(text) ? text as T : undefined;
}

const plain = (v: ExplorerState[Field]) => String(v);

export const RULES: Record<Field, Rule> = {
  b: { key: 'b', allowed: `an odd integer in [3, ${LIMITS.bMax}]`, parse: integer(3, LIMITS.bMax, true), format: plain },
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
  leaf: { key: 'leaf', allowed: "'u0' (bias) or 'p0' (accuracy)", parse: oneOf('u0', 'p0'), format: plain },
  leafValue: { key: 'q', allowed: 'a bias in [-1, 1] (leaf=u0) or an accuracy in [0, 1] (leaf=p0)', parse: real(-1, 1), format: plain },
  depth: { key: 'depth', allowed: `an integer in [1, ${LIMITS.depthMax}]`, parse: integer(1, LIMITS.depthMax), format: plain },
  field: { key: 'field', allowed: "'uL' or 'uStar'", parse: oneOf('uL', 'uStar'), format: plain },
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
  // The leaf quality's range depends on its kind (an accuracy is never negative, §B1).
  const s = state as unknown as ExplorerState;
  if (s.leaf === 'p0' && s.leafValue < 0) {
    notes.push(`q=${s.leafValue} ignored: an accuracy p0 must be in [0, 1]; using ${accuracyFromBias(DEFAULT_STATE.leafValue)}`);
    s.leafValue = accuracyFromBias(DEFAULT_STATE.leafValue);
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

/** The leaf bias u_0 a state describes (§B1: an accuracy p_0 converts to u_0 = 2p_0 − 1). */
export function stateLeafBias(state: ExplorerState): number {
  return state.leaf === 'u0' ? state.leafValue : biasFromAccuracy(state.leafValue);
}

/** The leaf value in the other convention when the leaf control switches kind, for the same leaves (§B1). */
export function convertLeafValue(value: number, to: LeafQuality): number {
  return to === 'p0' ? accuracyFromBias(value) : biasFromAccuracy(value);
}
