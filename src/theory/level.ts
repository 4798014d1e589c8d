// SPEC §B4–§B9 — one level of a majority tree (fan-in b, fidelity γ, shared-failure ρ), its map T,
// the phase transition at α_ρ = 1, trajectories, fixed point and saturation. Iterative parts run in
// WebAssembly (assembly/levelMap.ts); closed forms are evaluated here.
import { checkBias, checkFanIn, checkInteger, checkNumber, checkUnit, InvalidParameterError } from '../errors.ts';
import { kernel } from '../wasm/kernel.ts';

/** One tree level, §B4–§B6: odd fan-in b ≥ 3, message fidelity γ ∈ [0, 1], shared-failure ρ ∈ [0, 1]. */
export type Level = { b: number; gamma: number; rho: number };

/** The same level at every depth, or one level per depth (index 0 is the level just above the leaves). */
export type Tree = Level | readonly Level[];

/**
 * subcritical: α_ρ < 1, geometric wash-out; critical: α_ρ = 1 with T ≠ identity, algebraic wash-out;
 * identity: ρ = γ = 1, T(u) = u (no unique fixed point); amplifying: α_ρ > 1, u_L → u* > 0.
 */
export type Regime = 'subcritical' | 'critical' | 'identity' | 'amplifying';

/** Largest depth accepted by trajectory-type functions. */
export const MAX_DEPTH = 10_000_000;

export function checkLevel(level: unknown, name = 'level'): Level {
  if (typeof level !== 'object' || level === null) {
    throw new InvalidParameterError(name, 'an object { b, gamma, rho }', level);
  }
  const { b, gamma, rho } = level as Level;
  checkFanIn(`${name}.b`, b);
  checkUnit(`${name}.gamma`, gamma);
  checkUnit(`${name}.rho`, rho);
  return level as Level;
}

function checkDepth(depth: unknown, name = 'depth'): number {
  return checkInteger(name, depth, 0, MAX_DEPTH);
}

/** T(u) = ρ·γ·u + (1 − ρ)·f_b(γ·u), §B6. */
export function levelMap(level: Level, u: number): number {
  const { b, gamma, rho } = checkLevel(level);
  return kernel.exports.levelMap(b, gamma, rho, checkBias('u', u));
}

/** α_ρ = T'(0) = γ·(ρ + (1 − ρ)·c_b), §B7. */
export function alpha(level: Level): number {
  const { b, gamma, rho } = checkLevel(level);
  return kernel.exports.alpha(b, gamma, rho);
}

/** The regime of a level (§B7). */
export function regime(level: Level): Regime {
  const { gamma, rho } = checkLevel(level);
  if (gamma === 1 && rho === 1) return 'identity';
  const a = alpha(level);
  return a > 1 ? 'amplifying' : a === 1 ? 'critical' : 'subcritical';
}

/**
 * ρ_c = (c_b − 1/γ)/(c_b − 1): the level amplifies iff ρ < ρ_c (§B7). A value below 0 means no ρ
 * amplifies at this γ (−∞ at γ = 0); ρ_c = 1 at γ = 1.
 */
export function criticalRho(b: number, gamma: number): number {
  const c = kernel.exports.majoritySlope(checkFanIn('b', b));
  return (c - 1 / checkUnit('gamma', gamma)) / (c - 1);
}

/** γ_c = 1/(ρ + (1 − ρ)·c_b): the level amplifies iff γ > γ_c (§B7). Always in (0, 1]. */
export function criticalGamma(b: number, rho: number): number {
  const c = kernel.exports.majoritySlope(checkFanIn('b', b));
  const r = checkUnit('rho', rho);
  return 1 / (r + (1 - r) * c);
}

/** s = ln α_ρ / ln b, §B8: the root bias grows like N^s·u_0 in the small-signal regime. */
export function organizationExponent(level: Level): number {
  const { b, gamma, rho } = checkLevel(level);
  return kernel.exports.organizationExponent(b, gamma, rho);
}

/** Details of the fixed-point solve (§B7). */
export interface FixedPointResult {
  /** u* (0 unless amplifying; NaN for the identity map, where every u is fixed). */
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
export function fixedPointDetail(level: Level): FixedPointResult {
  const { b, gamma, rho } = checkLevel(level);
  const value = kernel.exports.fixedPoint(b, gamma, rho);
  const r = regime(level);
  return { value, regime: r, iterations: kernel.exports.lastIterations(), resolved: r !== 'amplifying' || value >= FIXED_POINT_RESOLUTION };
}

/** u* (0 when α_ρ ≤ 1; NaN for the identity map ρ = γ = 1), §B7. */
export function fixedPoint(level: Level): number {
  const { b, gamma, rho } = checkLevel(level);
  return kernel.exports.fixedPoint(b, gamma, rho);
}

/** The levels of a tree for a given depth, validated; a single Level repeats. */
export function treeLevels(tree: Tree, depth: number, name = 'tree'): Level[] {
  if (Array.isArray(tree)) {
    if (tree.length < depth) {
      throw new InvalidParameterError(name, `an array of at least depth = ${depth} levels`, tree);
    }
    return tree.slice(0, Math.max(depth, 1)).map((level, i) => checkLevel(level, `${name}[${i}]`));
  }
  return [checkLevel(tree, name)];
}

/** u_0 … u_depth with u_ℓ = T_ℓ(u_{ℓ−1}) (§B6); per-level parameters when tree is an array. */
export function trajectory(tree: Tree, u0: number, depth: number): Float64Array {
  checkBias('u0', u0);
  checkDepth(depth);
  const levels = treeLevels(tree, depth);
  const n = levels.length;
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
  level: Level, u0: number, epsilon = DEFAULT_MIXING_EPSILON, maxDepth = DEFAULT_MAX_MIXING_DEPTH,
): { exact: number | null; smallSignal: number | null } {
  const { b, gamma, rho } = checkLevel(level);
  checkBias('u0', u0);
  checkNumber('epsilon', epsilon, Number.MIN_VALUE, 1, 'a number in (0, 1]');
  checkInteger('maxDepth', maxDepth, 0, 2 ** 31 - 1);
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
