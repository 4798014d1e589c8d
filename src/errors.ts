// Typed errors for bad input: every check names the parameter and the allowed range.

/** Thrown for any argument outside its documented domain. */
export class InvalidParameterError extends RangeError {
  /** The parameter's name as the caller wrote it (e.g. "level.rho", "depth"). */
  readonly parameter: string;
  /** Human-readable allowed values (e.g. "an odd integer in [3, 9999999]"). */
  readonly allowed: string;
  readonly value: unknown;

  constructor(parameter: string, allowed: string, value: unknown, hint?: string) {
    super(`${parameter} must be ${allowed}; got ${describe(value)}${hint ? ` (${hint})` : ''}`);
    this.name = 'InvalidParameterError';
    this.parameter = parameter;
    this.allowed = allowed;
    this.value = value;
  }
}

function describe(value: unknown): string {
  // A missing value (an absent flag or field) reads as "got nothing".
  if (value === undefined) return 'nothing';
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  return String(value);
}

/** Largest fan-in accepted anywhere (f_b costs O(b) per evaluation). */
export const MAX_FAN_IN = 9_999_999;

export function checkNumber(name: string, x: unknown, lo: number, hi: number, allowed?: string): number {
  if (typeof x !== 'number' || !(x >= lo && x <= hi)) {
    throw new InvalidParameterError(name, allowed ?? `a number in [${lo}, ${hi}]`, x);
  }
  return x;
}

export function checkInteger(name: string, x: unknown, lo: number, hi: number): number {
  if (typeof x !== 'number' || !Number.isInteger(x) || x < lo || x > hi) {
    throw new InvalidParameterError(name, `an integer in [${lo}, ${hi}]`, x);
  }
  return x;
}

/** A strictly positive finite number. */
export function checkPositive(name: string, x: unknown): number {
  if (typeof x !== 'number' || !(x > 0) || !Number.isFinite(x)) {
    throw new InvalidParameterError(name, 'a finite number > 0', x);
  }
  return x;
}

/** A finite number ≥ 0. */
export function checkNonNegative(name: string, x: unknown): number {
  if (typeof x !== 'number' || !(x >= 0) || !Number.isFinite(x)) {
    throw new InvalidParameterError(name, 'a finite number ≥ 0', x);
  }
  return x;
}

/**
 * Fan-in of an aggregator (§B4, §H3): any integer b ≥ 2. Ties (even b) are broken uniformly at
 * random, so for K = 2 an even b acts as b − 1 (the binary kernel evaluates f_{b−1}).
 */
export function checkFanIn(name: string, b: unknown): number {
  if (typeof b !== 'number' || !Number.isInteger(b) || b < 2 || b > MAX_FAN_IN) {
    throw new InvalidParameterError(name, `an integer in [2, ${MAX_FAN_IN}] (even b: random tie-break)`, b);
  }
  return b;
}

/** Fan-in for code that implements strict majority only (the binary simulators): odd, ≥ 3. */
export function checkOddFanIn(name: string, b: unknown): number {
  if (typeof b !== 'number' || !Number.isInteger(b) || b < 3 || b > MAX_FAN_IN || b % 2 === 0) {
    throw new InvalidParameterError(name, `an odd integer in [3, ${MAX_FAN_IN}] (this simulator has no tie-break; an even b equals b − 1 for K = 2)`, b);
  }
  return b;
}

/** A bias u = 2p − 1 ∈ [−1, 1] (§B1). */
export function checkBias(name: string, u: unknown): number {
  return checkNumber(name, u, -1, 1, 'a bias in [-1, 1] (u = 2p − 1)');
}

/** A probability-like parameter in [0, 1] (γ, ρ, accuracy). */
export function checkUnit(name: string, x: unknown): number {
  return checkNumber(name, x, 0, 1);
}

/**
 * Rejects fields an options object does not have (a typo such as `trails: 5` would otherwise be
 * silently ignored), as resolveSweepSpec does for sweep specs.
 */
export function checkKnownFields(name: string, object: object, known: readonly string[]): void {
  for (const key of Object.keys(object)) {
    if (!known.includes(key)) {
      throw new InvalidParameterError(`${name}.${key}`, `not present: ${name} has only ${known.join(', ')}`, (object as Record<string, unknown>)[key]);
    }
  }
}
