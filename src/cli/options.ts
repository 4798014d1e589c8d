// Command-line values → typed parameters. One spelling per flag everywhere (issue 5); every parse
// error is an InvalidParameterError naming the flag and the allowed values, which main.ts prints on
// one line with exit status 2.
import { InvalidParameterError } from '../errors.ts';
import type { FidelityCurve } from '../theory/fidelity.ts';
import type { LeafLawSpec } from '../theory/leafLaw.ts';
import type { NoiseCurve } from '../theory/continuous.ts';

/** A finite number, for the flag `--name`. */
/** Decimal numbers only: Number() would also take 0x10, 0b11 and 0o7, which no flag documents. */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

export function parseNumber(flag: string, text: string): number {
  const value = Number(text);
  if (!DECIMAL.test(text.trim()) || !Number.isFinite(value)) throw new InvalidParameterError(`--${flag}`, 'a finite number', text);
  return value;
}

export function parseInteger(flag: string, text: string, min = -Infinity): number {
  const value = parseNumber(flag, text);
  if (!Number.isInteger(value) || value < min) throw new InvalidParameterError(`--${flag}`, `an integer ≥ ${min}`, text);
  return value;
}

function parseList(flag: string, text: string): number[] {
  return text.split(',').map((part) => parseNumber(flag, part));
}

/**
 * `--fidelity` forms (§B3): `constant:γ`, `saturating:γ∞,m0`, `rational:γ∞,m0`, `table:m1=γ1,m2=γ2,…`.
 */
export function parseFidelity(text: string): FidelityCurve {
  const allowed = "constant:γ, saturating:γ∞,m0, rational:γ∞,m0 or table:m1=γ1,m2=γ2,…";
  const [kind, rest = ''] = text.split(':', 2);
  if (kind === 'constant') return { kind, gamma: parseNumber('fidelity', rest) };
  if (kind === 'saturating' || kind === 'rational') {
    const values = parseList('fidelity', rest);
    if (values.length !== 2) throw new InvalidParameterError('--fidelity', allowed, text);
    return { kind, gammaInf: values[0], m0: values[1] };
  }
  if (kind === 'table') {
    const pairs = parsePairs('fidelity', rest, allowed);
    return { kind, m: pairs.map((p) => p[0]), gamma: pairs.map((p) => p[1]) };
  }
  throw new InvalidParameterError('--fidelity', allowed, text);
}

/** `--noise` forms (§C): `constant:σ²`, `exponential:σ0²,m0`, `power:σ0²,m0,κ`, `table:m1=σ²1,…`. */
export function parseNoise(text: string): NoiseCurve {
  const allowed = 'constant:σ², exponential:σ0²,m0, power:σ0²,m0,κ or table:m1=σ²1,m2=σ²2,…';
  const [kind, rest = ''] = text.split(':', 2);
  const values = () => parseList('noise', rest);
  if (kind === 'constant') return { kind, sigma2: parseNumber('noise', rest) };
  if (kind === 'exponential') {
    const v = values();
    if (v.length !== 2) throw new InvalidParameterError('--noise', allowed, text);
    return { kind, sigma02: v[0], m0: v[1] };
  }
  if (kind === 'power') {
    const v = values();
    if (v.length !== 3) throw new InvalidParameterError('--noise', allowed, text);
    return { kind, sigma02: v[0], m0: v[1], kappa: v[2] };
  }
  if (kind === 'table') {
    const pairs = parsePairs('noise', rest, allowed);
    return { kind, m: pairs.map((p) => p[0]), sigma2: pairs.map((p) => p[1]) };
  }
  throw new InvalidParameterError('--noise', allowed, text);
}

/** `--leaf` forms (§B2): `power:k,β[,gMax]` or `table:x1=u1,x2=u2,…` (biases, §B1). */
export function parseLeafLaw(text: string): LeafLawSpec {
  const allowed = 'power:k,β[,gMax] or table:x1=u1,x2=u2,… (u = bias)';
  const [kind, rest = ''] = text.split(':', 2);
  if (kind === 'power') {
    const v = parseList('leaf', rest);
    if (v.length < 2 || v.length > 3) throw new InvalidParameterError('--leaf', allowed, text);
    return { kind, k: v[0], beta: v[1], gMax: v[2] ?? 1 };
  }
  if (kind === 'table') {
    const pairs = parsePairs('leaf', rest, allowed);
    return { kind, compute: pairs.map((p) => p[0]), bias: pairs.map((p) => p[1]) };
  }
  throw new InvalidParameterError('--leaf', allowed, text);
}

function parsePairs(flag: string, text: string, allowed: string): [number, number][] {
  const parts = text.split(',');
  return parts.map((part) => {
    const [x, y] = part.split('=');
    if (y === undefined) throw new InvalidParameterError(`--${flag}`, allowed, text);
    return [parseNumber(flag, x), parseNumber(flag, y)];
  });
}

/** Names `--axis` accepts, with the sweep field each one sets. */
export const AXIS_NAMES = ['b', 'gamma', 'm', 'rho', 'rho_task', 'dispersion', 'u0', 'p0', 'depth', 'trials'] as const;
export type AxisFlagName = (typeof AXIS_NAMES)[number];

export interface AxisFlag {
  name: AxisFlagName;
  values: number[] | { start: number; stop: number; count: number };
}

/** `--axis name=start:stop:count` (count points, both ends included) or `--axis name=v1,v2,v3`. */
export function parseAxis(text: string): AxisFlag {
  const allowed = `name=start:stop:count or name=v1,v2,… with name one of ${AXIS_NAMES.join(', ')}`;
  const eq = text.indexOf('=');
  const name = text.slice(0, eq) as AxisFlagName;
  const body = text.slice(eq + 1);
  if (eq < 0 || !AXIS_NAMES.includes(name) || body === '') throw new InvalidParameterError('--axis', allowed, text);
  if (body.includes(':')) {
    const parts = body.split(':');
    if (parts.length !== 3) throw new InvalidParameterError('--axis', allowed, text);
    const [start, stop] = parts.slice(0, 2).map((p) => parseNumber('axis', p));
    const count = Number(parts[2]);
    if (!Number.isInteger(count) || count < 1) throw new InvalidParameterError(`--axis ${name}`, 'a range start:stop:count with an integer count ≥ 1', text);
    if (count === 1 && start !== stop) throw new InvalidParameterError(`--axis ${name}`, 'start = stop when count is 1', text);
    return { name, values: { start, stop, count } };
  }
  return { name, values: parseList('axis', body) };
}

/** `--shard i/N` with 1 ≤ i ≤ N. */
export function parseShard(text: string): { index: number; count: number } {
  const match = /^(\d+)\/(\d+)$/.exec(text);
  const index = match ? Number(match[1]) : NaN;
  const count = match ? Number(match[2]) : NaN;
  if (!match || count < 1 || index < 1 || index > count) throw new InvalidParameterError('--shard', 'i/N with 1 ≤ i ≤ N', text);
  return { index, count };
}
