// SPEC §B4–§B9 — one level of a majority tree (fan-in b, fidelity γ, shared-failure ρ), its map T,
// the phase transition at α_ρ = 1, trajectories, fixed point and saturation. Iterative parts run in
// WebAssembly (assembly/levelMap.ts); closed forms are evaluated here.
import { checkBias, checkFanIn, checkInteger, checkKnownFields, checkNumber, checkUnit, InvalidParameterError } from '../errors.ts';
import { kernel } from '../wasm/kernel.ts';
import { type Aggregator, type Answers, checkAggregator, checkTaskModel, type TaskModel } from './model.ts';
import { checkPluralityFanIn, checkSkill, pluralityLevelMap } from './plurality.ts';
import {
  type FixedPointInfo, pluralityAlpha, pluralityBistableGamma, pluralityPhaseStructure, type PhaseStructure,
  reachedFixedPoint,
} from './pluralityPhases.ts';

/**
 * One tree level, §B4–§B6, §H3, §H7: fan-in b ≥ 2 (even b breaks ties uniformly at random; for K = 2
 * it equals b − 1), message fidelity γ ∈ [0, 1], shared-failure ρ ∈ [0, 1], aggregation rule
 * (default plurality, which is §B's majority for K = 2).
 */
export type Level = { b: number; gamma: number; rho: number; aggregator?: Aggregator };

/** The same level at every depth, or one level per depth (index 0 is the level just above the leaves). */
export type Tree = Level | readonly Level[];

/**
 * subcritical: α_ρ < 1, geometric wash-out; critical: α_ρ = 1 with T ≠ identity, algebraic wash-out;
 * identity: T(u) = u, the bias is carried unchanged at every level (no unique fixed point) — γ = 1
 * with ρ = 1 (§B7) or with b = 2 (two votes and a random tie-break pass the vote through, §H3/§H4:
 * F_{2,K}(s) = s); amplifying: α_ρ > 1, u_L → u* > 0;
 * bistable (K ≥ 3 only, §H5): chance and a higher fixed point both attract, split at s†.
 */
export type Regime = 'subcritical' | 'critical' | 'identity' | 'amplifying' | 'bistable';

/** Largest depth accepted by trajectory-type functions. */
export const MAX_DEPTH = 10_000_000;

export function checkLevel(level: unknown, name = 'level'): Level {
  if (typeof level !== 'object' || level === null) {
    throw new InvalidParameterError(name, 'an object { b, gamma, rho }', level);
  }
  const { b, gamma, rho, aggregator } = level as Level;
  checkFanIn(`${name}.b`, b);
  checkUnit(`${name}.gamma`, gamma);
  checkUnit(`${name}.rho`, rho);
  if (aggregator !== undefined) checkAggregator(`${name}.aggregator`, aggregator);
  return level as Level;
}

/**
 * The number of answers when a level needs the plurality maps of §H4/§H7, or null when it is §B's
 * binary majority (K = 2, plurality; even b is f_{b−1} there, which the WASM kernel computes). The
 * one-number maps need symmetric distractors; a dominant distractor has its own two-number map.
 */
function pluralityAnswers(level: Level, task: TaskModel | undefined): Answers | null {
  const t = checkTaskModel(task ?? {});
  const judge = level.aggregator !== undefined && level.aggregator !== 'plurality';
  if (t.answers === 2 && !judge) return null;
  if (t.distractors !== 'symmetric' && t.answers !== 2) {
    throw new InvalidParameterError('task.distractors', "'symmetric' for the one-number skill map (use dominantLevelMap for a dominant distractor)", t.distractors);
  }
  checkPluralityFanIn('level.b', level.b);
  return t.answers;
}

/** Phase structure of a level (§H5): every fixed point in [0, 1] with stability, regime and s†. */
export function phaseStructure(level: Level, task?: TaskModel): PhaseStructure {
  checkLevel(level);
  const k = pluralityAnswers(level, task);
  if (k !== null) return pluralityPhaseStructure(level, k);
  // §B7: 0 is always fixed; for α_ρ > 1 it is unstable and u* attracts.
  const r = regime(level);
  const a = alpha(level);
  if (r === 'identity') return { alpha: a, regime: r, fixedPoints: [], best: NaN, threshold: null };
  const zero: FixedPointInfo = { value: 0, stable: r !== 'amplifying', stability: r !== 'amplifying' ? 'stable' : 'unstable', slope: a };
  if (r !== 'amplifying') return { alpha: a, regime: r, fixedPoints: [zero], best: 0, threshold: null };
  const u = fixedPoint(level);
  const slope = level.rho * level.gamma + (1 - level.rho) * level.gamma * kernel.exports.majorityDerivative(level.b, level.gamma * u);
  return { alpha: a, regime: r, fixedPoints: [zero, { value: u, stable: true, stability: 'stable', slope }], best: u, threshold: null };
}

/** All fixed points in [0, 1] with their stability, ascending (§H5; §B7 for K = 2). */
export function fixedPoints(level: Level, task?: TaskModel): FixedPointInfo[] {
  return phaseStructure(level, task).fixedPoints;
}

/** s†, the threshold of a bistable level (§H5); null when the level is not bistable. */
export function threshold(level: Level, task?: TaskModel): number | null {
  return phaseStructure(level, task).threshold;
}

function checkState(name: string, x: unknown, k: Answers | null): number {
  return k === null ? checkBias(name, x) : checkSkill(name, x, k);
}

function checkDepth(depth: unknown, name = 'depth'): number {
  return checkInteger(name, depth, 0, MAX_DEPTH);
}

/**
 * T(u) = ρ·γ·u + (1 − ρ)·f_b(γ·u), §B6; with a task of K ≠ 2 answers or a judge, the skill map
 * S(s) = ρ·γ·s + (1 − ρ)·F_{b,K}(γ·s) of §H4/§H7 (u is then the skill s).
 */
export function levelMap(level: Level, u: number, task?: TaskModel): number {
  const { b, gamma, rho } = checkLevel(level);
  const k = pluralityAnswers(level, task);
  if (k !== null) return pluralityLevelMap(level, k, checkSkill('s', u, k));
  return kernel.exports.levelMap(b, gamma, rho, checkBias('u', u));
}

/** α_ρ = T'(0) = γ·(ρ + (1 − ρ)·c_b), §B7; γ·(ρ + (1 − ρ)·c_{b,K}) for K answers, §H5. */
export function alpha(level: Level, task?: TaskModel): number {
  const { b, gamma, rho } = checkLevel(level);
  const k = pluralityAnswers(level, task);
  if (k !== null) return pluralityAlpha(level, k);
  return kernel.exports.alpha(b, gamma, rho);
}

/**
 * T is the identity (§B7's degenerate case): γ = 1 and either every output is a copy (ρ = 1) or the
 * majority of b = 2 with a random tie-break, f_1(u) = u (§B, §H4: F_{2,2} = f_1), whatever ρ is.
 * α_ρ = 1 there too, but "critical" would claim wash-out where nothing washes out. The same test as
 * pluralityPhases.ts isIdentity, the WASM fixedPoint (NaN) and the K = 2 phase grid (src/phaseGrid.ts).
 */
export function isBinaryIdentity(level: Level): boolean {
  return level.gamma === 1 && (level.rho === 1 || level.b === 2);
}

/** The regime of a level (§B7; §H5 for K answers, where 'bistable' appears). */
export function regime(level: Level, task?: TaskModel): Regime {
  checkLevel(level);
  if (pluralityAnswers(level, task) !== null) return phaseStructure(level, task).regime;
  if (isBinaryIdentity(level)) return 'identity';
  const a = alpha(level);
  return a > 1 ? 'amplifying' : a === 1 ? 'critical' : 'subcritical';
}

/**
 * ρ_c = (c_b − 1/γ)/(c_b − 1): the level amplifies iff ρ < ρ_c (§B7). A value below 0 means no ρ
 * amplifies at this γ (−∞ at γ = 0); ρ_c = 1 at γ = 1.
 */
export function criticalRho(b: number, gamma: number, task?: TaskModel, aggregator: Aggregator = 'plurality'): number {
  const c = slopeAtChance(b, task, aggregator);
  const g = checkUnit('gamma', gamma);
  // c_{b,K} = 1 (open answers, or b = 2): α = γ for every ρ, so only γ = 1 reaches α = 1.
  if (c === 1) return g === 1 ? 1 : -Infinity;
  return (c - 1 / g) / (c - 1);
}

/** c_b (§B5) or c_{b,K} (§H5; the judge's slope at chance under §H7). */
function slopeAtChance(b: number, task: TaskModel | undefined, aggregator: Aggregator): number {
  const level = { b: checkFanIn('b', b), gamma: 1, rho: 0, aggregator: checkAggregator('aggregator', aggregator) };
  const k = pluralityAnswers(level, task);
  return k === null ? kernel.exports.majoritySlope(b) : pluralityAlpha(level, k);
}

/**
 * The least γ at which a level has a fixed point above chance (§H5): for K ≥ 3 the bistable region
 * is γ_b ≤ γ < γ_c (its lower edge is a saddle-node, S(s) = s and S'(s) = 1); for K = 2 it is γ_c.
 */
export function bistableGamma(b: number, rho: number, task?: TaskModel, aggregator: Aggregator = 'plurality'): number {
  const r = checkUnit('rho', rho);
  const level = { b: checkFanIn('b', b), gamma: 1, rho: r, aggregator: checkAggregator('aggregator', aggregator) };
  const k = pluralityAnswers(level, task);
  if (k === null) return Math.min(1, criticalGamma(b, r));
  return pluralityBistableGamma(b, r, k, aggregator);
}

/** γ_c = 1/(ρ + (1 − ρ)·c_b): the level amplifies iff γ > γ_c (§B7). Always in (0, 1]. */
export function criticalGamma(b: number, rho: number, task?: TaskModel, aggregator: Aggregator = 'plurality'): number {
  const c = slopeAtChance(b, task, aggregator);
  const r = checkUnit('rho', rho);
  return 1 / (r + (1 - r) * c);
}

/** s = ln α_ρ / ln b, §B8: the root bias grows like N^s·u_0 in the small-signal regime. */
export function organizationExponent(level: Level, task?: TaskModel): number {
  const { b, gamma, rho } = checkLevel(level);
  if (pluralityAnswers(level, task) !== null) return Math.log(alpha(level, task)) / Math.log(b);
  return kernel.exports.organizationExponent(b, gamma, rho);
}

/** Details of the fixed-point solve (§B7). */
export interface FixedPointResult {
  /** u* (0 unless amplifying; NaN for the identity map (γ = 1 with ρ = 1 or b = 2), where every u is fixed). */
  value: number;
  regime: Regime;
  /** Newton plus bisection steps the solver took. */
  iterations: number;
  /**
   * False when u* is positive but smaller than the solver's absolute resolution (1e-12), i.e. α_ρ
   * is so close to 1 that u* cannot be told from 0 at this precision.
   */
  resolved: boolean;
}

/** The solver's absolute resolution for u* (§B7). */
export const FIXED_POINT_RESOLUTION = 1e-12;

/**
 * u* ∈ (0, 1] with T(u*) = u* when α_ρ > 1, found by Newton's method from u = 1 (monotone on this
 * concave problem) certified by a sign change and safeguarded by bisection. The certified bracket is
 * a few ulps wide (§B7 asks for 1e-12); u* is kept below 1 whenever γ < 1.
 */
export function fixedPointDetail(level: Level, task?: TaskModel): FixedPointResult {
  const { b, gamma, rho } = checkLevel(level);
  if (pluralityAnswers(level, task) !== null) {
    const ps = phaseStructure(level, task);
    return { value: ps.best, regime: ps.regime, iterations: 0, resolved: !(ps.best > 0 && ps.best < FIXED_POINT_RESOLUTION) };
  }
  const value = kernel.exports.fixedPoint(b, gamma, rho);
  const r = regime(level);
  return { value, regime: r, iterations: kernel.exports.lastIterations(), resolved: r !== 'amplifying' || value >= FIXED_POINT_RESOLUTION };
}

/**
 * u* (0 when α_ρ ≤ 1; NaN for the identity map: γ = 1 with ρ = 1 or b = 2), §B7. For K answers (§H5): the highest
 * stable fixed point (0 when only chance attracts); `fixedPoints` lists all of them.
 */
export function fixedPoint(level: Level, task?: TaskModel): number {
  const { b, gamma, rho } = checkLevel(level);
  if (pluralityAnswers(level, task) !== null) return phaseStructure(level, task).best;
  return kernel.exports.fixedPoint(b, gamma, rho);
}

/** The levels of a tree for a given depth, validated; a single Level repeats. */
export function treeLevels(tree: Tree, depth: number, name = 'tree'): Level[] {
  if (Array.isArray(tree)) {
    if (tree.length < depth) {
      throw new InvalidParameterError(name, `an array of at least depth = ${depth} levels`, tree);
    }
    return tree.slice(0, Math.max(depth, 1)).map((level, i) => checkTreeLevel(level, `${name}[${i}]`));
  }
  return [checkTreeLevel(tree, name)];
}

/** A level given as (part of) a tree: a misspelt field (`gama`) is refused, not ignored (issue 16). */
function checkTreeLevel(level: unknown, name: string): Level {
  if (typeof level === 'object' && level !== null) checkKnownFields(name, level, ['b', 'gamma', 'rho', 'aggregator']);
  return checkLevel(level, name);
}

/** u_0 … u_depth with u_ℓ = T_ℓ(u_{ℓ−1}) (§B6); per-level parameters when tree is an array. */
export function trajectory(tree: Tree, u0: number, depth: number, task?: TaskModel): Float64Array {
  checkDepth(depth);
  const levels = treeLevels(tree, depth);
  const n = levels.length;
  const ks = levels.map((level) => pluralityAnswers(level, task));
  if (ks.some((k) => k !== null)) {
    const k = checkTaskModel(task ?? {}).answers;
    const out = new Float64Array(depth + 1);
    out[0] = checkSkill('u0', u0, k);
    for (let l = 1; l <= depth; l++) out[l] = levelMap(levels[(l - 1) % n], out[l - 1], task);
    return out;
  }
  checkBias('u0', u0);
  const [bAt, gammaAt, rhoAt, outAt] = kernel.layout([n / 2, n, n, depth + 1]);
  const bs = kernel.i32(bAt, n);
  const gammas = kernel.f64(gammaAt, n);
  const rhos = kernel.f64(rhoAt, n);
  levels.forEach((level, i) => {
    bs[i] = level.b;
    gammas[i] = level.gamma;
    rhos[i] = level.rho;
  });
  kernel.exports.trajectory(bAt, gammaAt, rhoAt, n, u0, depth, outAt);
  return kernel.f64(outAt, depth + 1).slice();
}

/** Default ε of the mixing depth, §B9. */
export const DEFAULT_MIXING_EPSILON = 0.05;
/** Default cap on the exact mixing depth: beyond it `exact` is null (very near α_ρ = 1). */
export const DEFAULT_MAX_MIXING_DEPTH = 1_000_000;

/**
 * L_mix(ε), §B9. `exact`: the least L with ||u_L| − u*| ≤ ε·u* along the exact trajectory (T is odd,
 * so a negative u_0 is mirrored); null when not amplifying, when u_0 = 0, or when more than
 * maxDepth levels would be needed. `smallSignal`: ln(u* / |u_0|)/ln α_ρ, floored at 0 (u_0 already
 * above u*); null when not amplifying or u_0 = 0.
 */
export function mixingDepth(
  level: Level, u0: number, epsilon = DEFAULT_MIXING_EPSILON, maxDepth = DEFAULT_MAX_MIXING_DEPTH, task?: TaskModel,
): { exact: number | null; smallSignal: number | null } {
  const { b, gamma, rho } = checkLevel(level);
  const k = pluralityAnswers(level, task);
  checkState('u0', u0, k);
  checkNumber('epsilon', epsilon, Number.MIN_VALUE, 1, 'a number in (0, 1]');
  checkInteger('maxDepth', maxDepth, 0, 2 ** 31 - 1);
  if (k !== null) return pluralityMixingDepth(level, k, u0, epsilon, maxDepth);
  const uStar = kernel.exports.fixedPoint(b, gamma, rho);
  if (!(uStar > 0) || u0 === 0) return { exact: null, smallSignal: null };
  const exact = kernel.exports.mixingDepth(b, gamma, rho, uStar, u0, epsilon, maxDepth);
  const smallSignal = kernel.exports.mixingDepthSmallSignal(kernel.exports.alpha(b, gamma, rho), uStar, u0);
  return { exact: exact >= 0 ? exact : null, smallSignal };
}

/**
 * û_L = min(α_ρ^L·u_0, u*), §B9 (mirrored for u_0 < 0). When the level does not amplify there is no
 * cap and û_L = α_ρ^L·u_0, still an upper envelope of |u_L| by concavity.
 */
export function clippedPredictor(level: Level, u0: number, depth: number): number {
  const { b, gamma, rho } = checkLevel(level);
  checkBias('u0', u0);
  checkDepth(depth);
  return kernel.exports.clippedPredictor(kernel.exports.alpha(b, gamma, rho), kernel.exports.fixedPoint(b, gamma, rho), u0, depth);
}

/**
 * §H5 mixing depth toward the fixed point the trajectory actually reaches (null when it reaches
 * chance, or beyond maxDepth); the small-signal estimate only where α > 1 makes it meaningful.
 */
function pluralityMixingDepth(level: Level, k: Answers, s0: number, epsilon: number, maxDepth: number) {
  const ps = pluralityPhaseStructure(level, k);
  const target = reachedFixedPoint(level, k, s0, ps);
  if (!(target > 0) || ps.regime === 'identity') return { exact: null, smallSignal: null };
  let s = s0;
  let exact: number | null = null;
  for (let l = 0; l <= maxDepth; l++) {
    if (Math.abs(s - target) <= epsilon * target) { exact = l; break; }
    s = pluralityLevelMap(level, k, s);
  }
  const smallSignal = ps.alpha > 1 && s0 > 0 ? Math.max(0, Math.log(target / s0) / Math.log(ps.alpha)) : null;
  return { exact, smallSignal };
}
