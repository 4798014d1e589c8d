// A sweep's specification: named axes whose cartesian product is the set of cells, and what to
// compute per cell. Everything is validated here, before any work starts.
import {
  checkBias, checkFanIn, checkInteger, checkOddFanIn, checkNonNegative, checkNumber, checkUnit, InvalidParameterError,
} from '../errors.ts';
import { checkFidelityCurve, fidelity, type FidelityCurve } from '../theory/fidelity.ts';
import { DEFAULT_MAX_MIXING_DEPTH, DEFAULT_MIXING_EPSILON, MAX_DEPTH } from '../theory/level.ts';
import {
  type Aggregator, type Answers, checkAggregator, checkAnswers, checkDistractors, type Distractors,
} from '../theory/model.ts';
import { checkPluralityFanIn, checkSkill } from '../theory/plurality.ts';
import { axisValues, type AxisSpec } from './axes.ts';
import { checkMonteCarloCells, type MonteCarloMode, type MonteCarloVariant } from './montecarlo.ts';

export type SweepCompute = 'theory' | 'montecarlo' | 'both';

/**
 * A sweep over single-level trees (b, γ, ρ the same at every level, §B6). Give γ directly, or the
 * message length m with a fidelity curve (§B3). Cells are the cartesian product of the axes, numbered
 * with the last axis fastest in the order b, γ (or m), ρ, u_0, depth, trials.
 */
export interface SweepSpec {
  /**
   * Number of answers K (§H1): one value, or a list of integers ≥ 2 and 'open' (K = ∞). Default 2.
   * With K ≠ 2 (or a judge) u0 is the leaf skill s_0 and uL the skill s_L (§H4); accuracies are
   * p = p_c + (1 − p_c)·s with p_c = 1/K.
   */
  answers?: Answers | readonly Answers[];
  /** Distractor profile (§H1): 'symmetric' (default) or { dominant: δ } (Monte Carlo only for K ≠ 2). */
  distractors?: Distractors;
  /** Aggregation rule at every level (§H3, §H7): 'plurality' (default) or { judge: v }. */
  aggregator?: Aggregator;
  /**
   * Organization-wide shared failure ρ_task ∈ [0, 1] (§I1), an axis. Default 0. Theory for every K
   * and aggregator; Monte Carlo only where the binary simulators serve the cell.
   */
  rhoTask?: AxisSpec;
  /**
   * Task difficulty (§I2), an axis: per task the leaf accuracy ~ Beta with mean p_0 = p_c + (1 − p_c)·u_0
   * and dispersion φ ∈ [0, 1) (as `synergy design --dispersion`). Theory for every K and aggregator;
   * Monte Carlo only where the binary simulators serve the cell. Default 0.
   */
  dispersion?: AxisSpec;
  /** Fan-in (odd, ≥ 3; any b ≥ 2 for theory or K ≠ 2), §B4, §H3. */
  b: AxisSpec;
  /** Message fidelity γ ∈ [0, 1], §B3. Exactly one of gamma and m. */
  gamma?: AxisSpec;
  /** Message length in tokens; γ = fidelity(curve, m). Requires `fidelity`. */
  m?: AxisSpec;
  fidelity?: FidelityCurve;
  /** Shared-failure probability ρ ∈ [0, 1], §B4. */
  rho: AxisSpec;
  /** Leaf bias u_0 ∈ [−1, 1] (§B1: bias, not accuracy). */
  u0: AxisSpec;
  /** Tree depth L: u_L and û_L are reported at it; the simulated tree has this depth. */
  depth: AxisSpec;
  /** Monte Carlo trials per cell; giving it alone turns Monte Carlo on (compute 'both'). */
  trials?: AxisSpec;
  /** Theory fields of the phase-grid kernel (§B7–§B9), Monte Carlo estimates (§D), or both. Default 'both' when trials is given, else 'theory'. */
  compute?: SweepCompute;
  /** Monte Carlo simulator, §D1: every leaf drawn ('full') or level by level ('levels'). Default 'full'. */
  mode?: MonteCarloMode;
  /** Monte Carlo model variant, §D2. Default standard. */
  variant?: MonteCarloVariant;
  /** ε of the mixing depth, §B9 (default 0.05). Theory only. */
  epsilon?: number;
  /** Cap on the exact mixing depth (default 1,000,000). Theory only. */
  maxMixingDepth?: number;
}

/** The axes in cell order (the last is fastest). */
export const AXIS_ORDER = ['answers', 'b', 'gamma', 'rho', 'rhoTask', 'dispersion', 'u0', 'depth', 'trials'] as const;
export type AxisName = (typeof AXIS_ORDER)[number];

const KNOWN_FIELDS = new Set([
  'b', 'gamma', 'm', 'fidelity', 'rho', 'u0', 'depth', 'trials', 'compute', 'mode', 'variant', 'epsilon', 'maxMixingDepth',
  'answers', 'distractors', 'aggregator', 'rhoTask', 'dispersion',
]);

/** Largest number of cells (a guard against unit mistakes; far beyond any sweep that finishes). */
export const MAX_CELLS = 2 ** 40;

/** A validated sweep: materialised axes, shape, and per-cell configuration. */
export interface ResolvedSweep {
  theory: boolean;
  montecarlo: boolean;
  /** True when the spec names answers, distractors, aggregator or rhoTask: rows carry the §H/§I columns. */
  extended: boolean;
  answers: readonly Answers[];
  distractors: Distractors;
  aggregator: Aggregator;
  rhoTask: readonly number[];
  dispersion: readonly number[];
  b: readonly number[];
  gamma: readonly number[];
  /** The m axis when γ came from a fidelity curve (γ[i] = fidelity(m[i])). */
  m?: readonly number[];
  rho: readonly number[];
  u0: readonly number[];
  depth: readonly number[];
  /** Trials per cell; a single 0 for theory-only sweeps (the axis is absent). */
  trials: readonly number[];
  /** Lengths in AXIS_ORDER. */
  shape: readonly number[];
  /** Cell-index strides in AXIS_ORDER. */
  strides: readonly number[];
  cells: number;
  epsilon: number;
  maxMixingDepth: number;
  mode: MonteCarloMode;
  variant: MonteCarloVariant;
}

/** Fields that make a sweep extended (§H, §I1): its rows name K, ρ_task, skill and accuracy. */
const EXTENDED_FIELDS = ['answers', 'distractors', 'aggregator', 'rhoTask', 'dispersion'] as const;

/** The answers axis: one K or 'open', or a non-empty list of them (default [2]). */
function answersAxis(spec: unknown): Answers[] {
  if (spec === undefined) return [2];
  if (!Array.isArray(spec)) return [checkAnswers('answers', spec)];
  if (spec.length === 0) throw new InvalidParameterError('answers', "a non-empty list of integers ≥ 2 or 'open'", spec);
  return spec.map((k, i) => checkAnswers(`answers[${i}]`, k));
}

function checkedAxis(name: string, spec: unknown, check: (name: string, v: number) => unknown): number[] {
  if (spec === undefined) throw new InvalidParameterError(name, 'a non-empty list or a range (required axis)', spec);
  const values = axisValues(name, spec);
  values.forEach((v, i) => check(`${name}[${i}]`, v));
  return values;
}

/** Validates a spec completely (including Monte Carlo limits per cell) and materialises its axes. */
export function resolveSweepSpec(spec: SweepSpec): ResolvedSweep {
  if (typeof spec !== 'object' || spec === null) throw new InvalidParameterError('spec', 'an object with named axes', spec);
  for (const key of Object.keys(spec)) {
    if (key === 'depths') {
      throw new InvalidParameterError('depths', 'absent: the sweep axis is named depth (singular like b, gamma, rho, u0; phaseGrid takes a depths list)', (spec as unknown as Record<string, unknown>)[key]);
    }
    if (!KNOWN_FIELDS.has(key)) {
      throw new InvalidParameterError(key, `not present: a sweep spec has only ${[...KNOWN_FIELDS].join(', ')}`, (spec as unknown as Record<string, unknown>)[key]);
    }
  }
  // trials alone turns Monte Carlo on (theory beside it), as `synergy sweep --trials n` does (issue 15).
  const compute = spec.compute ?? (spec.trials !== undefined ? 'both' : 'theory');
  if (compute !== 'theory' && compute !== 'montecarlo' && compute !== 'both') {
    throw new InvalidParameterError('compute', "'theory', 'montecarlo' or 'both'", compute);
  }
  const theory = compute !== 'montecarlo';
  const montecarlo = compute !== 'theory';

  const extended = EXTENDED_FIELDS.some((key) => spec[key] !== undefined);
  const answers = answersAxis(spec.answers);
  const aggregator = checkAggregator('aggregator', spec.aggregator ?? 'plurality');
  const distractors = spec.distractors ?? 'symmetric';
  answers.forEach((k, i) => checkDistractors(answers.length > 1 ? `distractors (answers[${i}] = ${k})` : 'distractors', distractors, k));
  // A probability vector (§H1) is simulated like any profile but has no exact map, and its length fixes K.
  if (Array.isArray(distractors) && (theory || answers.length !== 1)) {
    throw new InvalidParameterError('distractors', "'symmetric' or { dominant: δ } unless compute is 'montecarlo' (--compute montecarlo) with one K (a probability vector over the wrong answers has no exact map for general vectors)", distractors);
  }
  if (distractors !== 'symmetric' && theory && answers.some((k) => k !== 2)) {
    throw new InvalidParameterError('distractors', "'symmetric' with compute 'theory' or 'both' (the phase grid is the one-number map of §H4; a dominant distractor is Monte Carlo only here)", `dominant:${(distractors as { dominant: number }).dominant}`);
  }
  // The plurality map (§H4) or simulator (§H6) serves a cell unless it is §B's binary majority.
  const plurality = answers.some((k) => k !== 2) || aggregator !== 'plurality' || distractors !== 'symmetric';
  // even b (random tie-break, §H3) is exact theory and simulated by the plurality simulator; the binary simulators need odd b
  const b = checkedAxis('b', spec.b, montecarlo && !plurality ? checkOddFanIn : plurality ? checkPluralityFanIn : checkFanIn);
  let gamma: number[];
  let m: number[] | undefined;
  if (spec.gamma !== undefined && spec.m !== undefined) {
    throw new InvalidParameterError('m', 'absent when gamma is given (give γ directly or m with a fidelity curve)', spec.m);
  }
  if (spec.m !== undefined) {
    if (spec.fidelity === undefined) throw new InvalidParameterError('fidelity', 'a fidelity curve (§B3) when sweeping m', undefined);
    const curve = checkFidelityCurve(spec.fidelity);
    m = checkedAxis('m', spec.m, checkNonNegative);
    gamma = m.map((mi) => fidelity(curve, mi));
  } else {
    if (spec.fidelity !== undefined) throw new InvalidParameterError('fidelity', 'absent unless the m axis is swept', spec.fidelity);
    gamma = checkedAxis('gamma', spec.gamma, checkUnit);
  }
  const rho = checkedAxis('rho', spec.rho, checkUnit);
  // u0 is the leaf skill s_0 (§H1; the bias u_0 for K = 2), valid for every K of the sweep.
  const u0 = checkedAxis('u0', spec.u0, (n, v) => answers.forEach((k) => (k === 2 ? checkBias(n, v) : checkSkill(n, v, k))));
  const rhoTask = spec.rhoTask === undefined ? [0] : checkedAxis('rhoTask', spec.rhoTask, checkUnit);
  const dispersion = spec.dispersion === undefined ? [0] : checkedAxis('dispersion', spec.dispersion, (n, v) => checkNumber(n, v, 0, 1 - Number.EPSILON, 'a dispersion φ in [0, 1) (§I2)'));
  const depth = checkedAxis('depth', spec.depth, (n, v) => checkInteger(n, v, 0, MAX_DEPTH));

  let trials = [0];
  if (montecarlo) {
    trials = checkedAxis('trials', spec.trials, (n, v) => checkInteger(n, v, 1, Number.MAX_SAFE_INTEGER));
  } else {
    for (const key of ['trials', 'mode', 'variant'] as const) {
      if (spec[key] !== undefined) throw new InvalidParameterError(key, "absent unless compute is 'montecarlo' or 'both'", spec[key]);
    }
  }
  if (!theory) {
    for (const key of ['epsilon', 'maxMixingDepth'] as const) {
      if (spec[key] !== undefined) throw new InvalidParameterError(key, "absent unless compute is 'theory' or 'both'", spec[key]);
    }
  }
  const epsilon = checkNumber('epsilon', spec.epsilon ?? DEFAULT_MIXING_EPSILON, Number.MIN_VALUE, 1, 'a number in (0, 1]');
  const maxMixingDepth = checkInteger('maxMixingDepth', spec.maxMixingDepth ?? DEFAULT_MAX_MIXING_DEPTH, 0, 2 ** 31 - 1);

  const shape = [answers.length, b.length, gamma.length, rho.length, rhoTask.length, dispersion.length, u0.length, depth.length, trials.length];
  const cells = shape.reduce((n, k) => n * k, 1);
  if (cells > MAX_CELLS) {
    throw new InvalidParameterError('spec', `a grid of at most ${MAX_CELLS} cells`, cells, `axis lengths ${shape.join(' × ')}`);
  }
  const strides = shape.map((_, i) => shape.slice(i + 1).reduce((n, k) => n * k, 1));
  const resolved: ResolvedSweep = {
    theory, montecarlo, extended, answers, distractors, aggregator, rhoTask, dispersion, b, gamma, m, rho, u0, depth, trials, shape, strides, cells, epsilon, maxMixingDepth,
    mode: spec.mode ?? 'full', variant: spec.variant ?? { kind: 'standard' },
  };
  if (montecarlo) checkMonteCarloCells(resolved, spec.m !== undefined ? 'm' : 'gamma');
  return resolved;
}

/** The parameter values of one cell. */
export interface CellParameters {
  /** Present in extended sweeps (§H1): K, or 'open'. */
  answers?: Answers;
  b: number;
  gamma: number;
  /** Present when the sweep is over m with a fidelity curve. */
  m?: number;
  rho: number;
  /** Present in extended sweeps (§I1). */
  rhoTask?: number;
  /** Present in extended sweeps (§I2). */
  dispersion?: number;
  u0: number;
  depth: number;
  /** Present for Monte Carlo sweeps. */
  trials?: number;
}

/** Axis indices of a cell, in AXIS_ORDER. */
export function cellIndices(r: ResolvedSweep, cell: number): number[] {
  return r.strides.map((stride, i) => Math.floor(cell / stride) % r.shape[i]);
}

export function cellParameters(r: ResolvedSweep, cell: number): CellParameters {
  const [ik, ib, ig, ir, it0, idf, iu, id, it] = cellIndices(r, cell);
  const p: CellParameters = r.extended
    ? { answers: r.answers[ik], b: r.b[ib], gamma: r.gamma[ig], rho: r.rho[ir], rhoTask: r.rhoTask[it0], dispersion: r.dispersion[idf], u0: r.u0[iu], depth: r.depth[id] }
    : { b: r.b[ib], gamma: r.gamma[ig], rho: r.rho[ir], u0: r.u0[iu], depth: r.depth[id] };
  if (r.m) p.m = r.m[ig];
  if (r.montecarlo) p.trials = r.trials[it];
  return p;
}

export function describeCell(r: ResolvedSweep, cell: number): string {
  const p = cellParameters(r, cell);
  return Object.entries(p).map(([k, v]) => `${k}=${v}`).join(', ');
}
