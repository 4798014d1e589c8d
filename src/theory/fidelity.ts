// SPEC §B3 — message fidelity γ(m): a message of m tokens is a binary symmetric channel that keeps
// a vote's bias up to the factor γ(m) ∈ [0, 1].
import { checkNonNegative, checkPositive, checkUnit, InvalidParameterError } from '../errors.ts';
import { checkTable, interpolate, type MonotoneTable } from './monotoneTable.ts';

/** The fidelity families of §B3. All are serialisable plain data (they cross worker boundaries). */
export type FidelityCurve =
  | { kind: 'constant'; gamma: number }
  | { kind: 'saturating'; gammaInf: number; m0: number } // γ∞·(1 − e^(−m/m0))
  | { kind: 'rational'; gammaInf: number; m0: number } // γ∞·m/(m + m0)
  | { kind: 'table'; m: readonly number[]; gamma: readonly number[] }; // monotone interpolation

const tables = new WeakMap<object, MonotoneTable>();

export function checkFidelityCurve(curve: unknown, name = 'fidelity'): FidelityCurve {
  if (typeof curve !== 'object' || curve === null) {
    throw new InvalidParameterError(name, "{ kind: 'constant' | 'saturating' | 'rational' | 'table', … }", curve);
  }
  const c = curve as FidelityCurve;
  switch (c.kind) {
    case 'constant':
      checkUnit(`${name}.gamma`, c.gamma);
      break;
    case 'saturating':
    case 'rational':
      checkUnit(`${name}.gammaInf`, c.gammaInf);
      checkPositive(`${name}.m0`, c.m0);
      break;
    case 'table':
      if (!tables.has(c)) {
        const table = checkTable(`${name}.m`, c.m, c.gamma, 'increasing');
        c.gamma.forEach((g, i) => checkUnit(`${name}.gamma[${i}]`, g));
        tables.set(c, table);
      }
      break;
    default:
      throw new InvalidParameterError(`${name}.kind`, "'constant', 'saturating', 'rational' or 'table'", (c as { kind?: unknown }).kind);
  }
  return c;
}

/**
 * The curve as the command line's `--fidelity` value (constant:γ | saturating:γ∞,m0 |
 * rational:γ∞,m0 | table:m1=γ1,…), the inverse of the CLI's parser; `digits` formats each number.
 */
export function formatFidelityCurve(curve: FidelityCurve, digits: (x: number) => string = String): string {
  checkFidelityCurve(curve);
  switch (curve.kind) {
    case 'constant':
      return `constant:${digits(curve.gamma)}`;
    case 'saturating':
    case 'rational':
      return `${curve.kind}:${digits(curve.gammaInf)},${digits(curve.m0)}`;
    case 'table':
      return 'table:' + curve.m.map((m, i) => `${digits(m)}=${digits(curve.gamma[i])}`).join(',');
  }
}

/** γ(m) for a message of m ≥ 0 tokens. */
export function fidelity(curve: FidelityCurve, m: number): number {
  checkFidelityCurve(curve);
  checkNonNegative('m', m);
  switch (curve.kind) {
    case 'constant':
      return curve.gamma;
    case 'saturating':
      return -curve.gammaInf * Math.expm1(-m / curve.m0);
    case 'rational':
      return (curve.gammaInf * m) / (m + curve.m0);
    case 'table':
      return interpolate(tables.get(curve)!, m);
  }
}
