// Flags that describe one design (b, γ or m with a fidelity curve, ρ, u_0 or p_0, depth), shared by
// analyze and simulate. Validation names the flag, not the library parameter.
import { checkBias, checkFanIn, checkInteger, checkUnit, InvalidParameterError } from '../errors.ts';
import { fidelity } from '../theory/fidelity.ts';
import { MAX_DEPTH, type Level } from '../theory/level.ts';
import { parseFidelity, parseNumber } from './options.ts';

export interface DesignFlags {
  b?: string;
  gamma?: string;
  m?: string;
  fidelity?: string;
  rho?: string;
  /** §I1 organization-wide correlation (analyze only until the simulators take it). */
  rhoTask?: string;
  u0?: string;
  p0?: string;
  depth?: string;
}

export interface ResolvedDesign {
  level: Level;
  u0: number;
  depth: number;
  /** Message length when γ came from --m and --fidelity. */
  m: number | null;
  /** §I1 ρ_task (0 when --rho-task is absent). */
  rhoTask: number;
}

function required(flag: keyof DesignFlags, flags: DesignFlags, allowed: string): string {
  const value = flags[flag];
  if (value === undefined) throw new InvalidParameterError(`--${flag}`, allowed, 'nothing (the flag is required)');
  return value;
}

export function resolveDesign(flags: DesignFlags): ResolvedDesign {
  const b = checkFanIn('--b', parseNumber('b', required('b', flags, 'an odd integer ≥ 3')));
  let gamma: number;
  let m: number | null = null;
  if (flags.gamma !== undefined && flags.m !== undefined) throw new InvalidParameterError('--m', 'absent when --gamma is given', flags.m);
  if (flags.m !== undefined) {
    if (flags.fidelity === undefined) throw new InvalidParameterError('--fidelity', 'a fidelity curve when --m is given (e.g. saturating:0.9,50)', 'nothing');
    m = parseNumber('m', flags.m);
    if (!(m >= 0)) throw new InvalidParameterError('--m', 'a message length ≥ 0', flags.m);
    gamma = fidelity(parseFidelity(flags.fidelity), m);
  } else {
    gamma = checkUnit('--gamma', parseNumber('gamma', required('gamma', flags, 'a fidelity in [0, 1] (or --m with --fidelity)')));
  }
  const rho = checkUnit('--rho', parseNumber('rho', required('rho', flags, 'a number in [0, 1]')));
  if (flags.u0 !== undefined && flags.p0 !== undefined) throw new InvalidParameterError('--p0', 'absent when --u0 is given (u0 is a bias, p0 an accuracy)', flags.p0);
  let u0: number;
  if (flags.p0 !== undefined) u0 = 2 * checkUnit('--p0', parseNumber('p0', flags.p0)) - 1;
  else u0 = checkBias('--u0', parseNumber('u0', required('u0', flags, 'a leaf bias in [-1, 1] (or --p0, an accuracy)')));
  const depth = checkInteger('--depth', parseNumber('depth', required('depth', flags, `an integer in [0, ${MAX_DEPTH}]`)), 0, MAX_DEPTH);
  const rhoTask = flags.rhoTask === undefined ? 0 : checkUnit('--rho-task', parseNumber('rho-task', flags.rhoTask));
  return { level: { b, gamma, rho }, u0, depth, m, rhoTask };
}
