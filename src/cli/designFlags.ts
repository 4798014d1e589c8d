// Flags that describe one design (b, γ or m with a fidelity curve, ρ, u_0 or p_0, depth), shared by
// analyze and simulate. Validation names the flag, not the library parameter.
import { checkFanIn, checkInteger, checkUnit, InvalidParameterError } from '../errors.ts';
import { fidelity } from '../theory/fidelity.ts';
import { MAX_DEPTH, type Level } from '../theory/level.ts';
import { type Aggregator, type Answers, chanceAccuracy, MAX_ANSWERS, skillFromAccuracy, type TaskModel } from '../theory/model.ts';
import { checkPluralityFanIn, minSkill } from '../theory/plurality.ts';
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
  /** K or 'open' (§H1). */
  answers?: string;
  /** symmetric | dominant:δ (§H1). */
  distractor?: string;
  /** plurality | judge:v (§H7). */
  aggregator?: string;
}

export interface ResolvedDesign {
  level: Level;
  /** The leaf skill s (the bias u of §B1 when K = 2), §H1. */
  u0: number;
  /** Answers and distractors (defaults: K = 2, symmetric). */
  task: TaskModel & { answers: Answers };
  /** Share δ of the wrong mass on one dominant distractor, or null for symmetric distractors. */
  dominant: number | null;
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

/** --answers: an integer K ≥ 2 or 'open' (§H1). */
export function parseAnswers(value: string | undefined): Answers {
  if (value === undefined) return 2;
  if (value === 'open') return 'open';
  const k = Number(value);
  if (!/^\s*\d+\s*$/.test(value) || !Number.isInteger(k) || k < 2 || k > MAX_ANSWERS) {
    throw new InvalidParameterError('--answers', `an integer K in [2, ${MAX_ANSWERS}] or open`, value);
  }
  return k;
}

/** --distractor: symmetric | dominant:δ with δ ∈ [0, 1]; returns δ or null. */
export function parseDistractor(value: string | undefined): number | null {
  if (value === undefined || value === 'symmetric') return null;
  const m = /^dominant:(.+)$/.exec(value);
  const d = m ? Number(m[1]) : NaN;
  if (!m || !(d >= 0 && d <= 1)) throw new InvalidParameterError('--distractor', 'symmetric or dominant:δ with δ in [0, 1]', value);
  return d;
}

/** --aggregator: plurality | judge:v with v ∈ [0, 1] (§H7). */
export function parseAggregator(value: string | undefined): Aggregator {
  if (value === undefined || value === 'plurality') return 'plurality';
  const m = /^judge:(.+)$/.exec(value);
  const v = m ? Number(m[1]) : NaN;
  if (!m || !(v >= 0 && v <= 1)) throw new InvalidParameterError('--aggregator', 'plurality or judge:v with v in [0, 1]', value);
  return { judge: v };
}

export function resolveDesign(flags: DesignFlags): ResolvedDesign {
  const answers = parseAnswers(flags.answers);
  const dominant = parseDistractor(flags.distractor);
  const aggregator = parseAggregator(flags.aggregator);
  const binary = answers === 2 && aggregator === 'plurality';
  const b = checkFanIn('--b', parseNumber('b', required('b', flags, 'an integer ≥ 2')));
  if (!binary) checkPluralityFanIn('--b', b);
  let gamma: number;
  let m: number | null = null;
  if (flags.gamma !== undefined && flags.m !== undefined) throw new InvalidParameterError('--m', 'absent when --gamma is given', flags.m);
  // A flag that would do nothing is a usage error, not silently ignored (issue 16).
  if (flags.fidelity !== undefined && flags.m === undefined) throw new InvalidParameterError('--fidelity', 'only with --m (γ = fidelity(m)); absent when --gamma is given', flags.fidelity);
  if (flags.m !== undefined) {
    if (flags.fidelity === undefined) throw new InvalidParameterError('--fidelity', 'a fidelity curve when --m is given (e.g. saturating:0.9,50)', undefined);
    m = parseNumber('m', flags.m);
    if (!(m >= 0)) throw new InvalidParameterError('--m', 'a message length ≥ 0', flags.m);
    gamma = fidelity(parseFidelity(flags.fidelity), m);
  } else {
    gamma = checkUnit('--gamma', parseNumber('gamma', required('gamma', flags, 'a fidelity in [0, 1] (or --m with --fidelity)')));
  }
  const rho = checkUnit('--rho', parseNumber('rho', required('rho', flags, 'a number in [0, 1]')));
  if (flags.u0 !== undefined && flags.p0 !== undefined) throw new InvalidParameterError('--p0', 'absent when --u0 is given (u0 is a skill, p0 an accuracy)', flags.p0);
  // --u0 is the leaf skill s = (p − p_c)/(1 − p_c) (for K = 2 the bias u = 2p − 1), --p0 its accuracy (§H1).
  const lo = minSkill(answers);
  const pc = chanceAccuracy(answers);
  let u0: number;
  if (flags.p0 !== undefined) u0 = skillFromAccuracy(checkUnit('--p0', parseNumber('p0', flags.p0)), answers);
  else {
    u0 = parseNumber('u0', required('u0', flags, `a leaf skill in [${lo}, 1] (or --p0, an accuracy)`));
    if (!(u0 >= lo && u0 <= 1)) {
      throw new InvalidParameterError('--u0', answers === 2 ? 'a bias in [-1, 1] (u = 2p − 1)' : `a leaf skill in [${lo}, 1] (s = (p − p_c)/(1 − p_c), p_c = ${pc})`, u0);
    }
  }
  const depth = checkInteger('--depth', parseNumber('depth', required('depth', flags, `an integer in [0, ${MAX_DEPTH}]`)), 0, MAX_DEPTH);
  const rhoTask = flags.rhoTask === undefined ? 0 : checkUnit('--rho-task', parseNumber('rho-task', flags.rhoTask));
  const level: Level = aggregator === 'plurality' ? { b, gamma, rho } : { b, gamma, rho, aggregator };
  return { level, u0, depth, m, task: dominant === null ? { answers } : { answers, distractors: { dominant } }, dominant, rhoTask };
}
