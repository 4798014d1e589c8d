// SPEC §B2 — leaf laws: the bias g(x) of one agent that spends x tokens of compute.
import { checkNonNegative, checkNumber, checkPositive, InvalidParameterError } from '../errors.ts';
import { checkTable, interpolate, type MonotoneTable } from './monotoneTable.ts';

/**
 * A leaf law: the default power law g(x) = min(gMax, k·x^β); a table of (compute, bias) points with
 * monotone interpolation; or any monotone non-decreasing function returning a bias in [−1, 1].
 */
export type LeafLaw = LeafLawSpec | ((compute: number) => number);

/** The serialisable leaf laws (they cross worker boundaries; functions do not). */
export type LeafLawSpec =
  | { kind: 'power'; k: number; beta: number; gMax?: number }
  | { kind: 'table'; compute: readonly number[]; bias: readonly number[] };

const tables = new WeakMap<object, MonotoneTable>();

/** Validates a leaf law's parameters (functions are checked at each call instead). */
export function checkLeafLaw(law: unknown, name = 'leafLaw'): LeafLaw {
  if (typeof law === 'function') return law as LeafLaw;
  if (typeof law !== 'object' || law === null) {
    throw new InvalidParameterError(name, "a function or { kind: 'power' | 'table', … }", law);
  }
  const l = law as LeafLawSpec;
  if (l.kind === 'power') {
    checkPositive(`${name}.k`, l.k);
    checkPositive(`${name}.beta`, l.beta);
    if (l.gMax !== undefined) checkNumber(`${name}.gMax`, l.gMax, Number.MIN_VALUE, 1, 'a number in (0, 1]');
  } else if (l.kind === 'table') {
    if (!tables.has(l)) {
      const table = checkTable(`${name}.compute`, l.compute, l.bias, 'increasing');
      l.bias.forEach((u, i) => checkNumber(`${name}.bias[${i}]`, u, -1, 1, 'a bias in [-1, 1]'));
      tables.set(l, table);
    }
  } else {
    throw new InvalidParameterError(`${name}.kind`, "'power' or 'table'", (l as { kind?: unknown }).kind);
  }
  return law as LeafLaw;
}

/** The default law g(x) = min(gMax, k·x^β) (§B2), with gMax = 1 unless given. */
export function powerLaw(k: number, beta: number, gMax = 1): LeafLaw {
  return checkLeafLaw({ kind: 'power', k, beta, gMax });
}

/** g(x): the bias of a leaf that spends x ≥ 0 tokens. */
export function leafBias(law: LeafLaw, compute: number, name = 'leafLaw'): number {
  checkLeafLaw(law, name);
  checkNonNegative('compute', compute);
  if (typeof law === 'function') {
    const u = law(compute);
    return checkNumber(`${name}(${compute})`, u, -1, 1, 'a bias in [-1, 1]');
  }
  if (law.kind === 'power') return Math.min(law.gMax ?? 1, law.k * Math.pow(compute, law.beta));
  return interpolate(tables.get(law)!, compute);
}
