// SPEC §H5 — phase structure of a plurality level: every fixed point of S in [0, 1] with its
// stability, the regime (amplifying / bistable / subcritical), the threshold s† and the saddle-node
// line where the good fixed point appears.
import { type Answers } from './model.ts';
import { type PluralityLevel, pluralityLevelDerivative, pluralityLevelMap } from './plurality.ts';

/**
 * How a fixed point behaves under the level map (§H5): 'stable' attracts from both sides, 'unstable'
 * repels, 'semi-stable (tangency)' is a saddle-node (s† = s*, decided by the tangency rule of
 * TANGENCY_TOLERANCE): it attracts from above and repels below. The one label every output prints.
 */
export type FixedPointStability = 'stable' | 'unstable' | 'semi-stable (tangency)';

export interface FixedPointInfo {
  value: number;
  /** |S'(s*)| < 1; a tangent point counts as stable (it attracts from above): see `stability`. */
  stable: boolean;
  /** 'semi-stable (tangency)' exactly when `tangent`, else 'stable' or 'unstable' as `stable` says. */
  stability: FixedPointStability;
  /** S'(s*). */
  slope: number;
  /**
   * A saddle-node tangency (see TANGENCY_TOLERANCE): s† and s* merged into one semi-stable point,
   * reported once as both the threshold and the highest stable fixed point.
   */
  tangent?: true;
}

/**
 * The one rule for a level at (or within rounding of) a saddle-node, shared with the WASM phase grid
 * (assembly/phaseGrid.ts receives it as an argument from src/phaseGrid.ts): with
 * μ = max_{0<s≤1} S(s)/s, a fixed point above chance exists iff μ ≥ 1 − TANGENCY_TOLERANCE. A level
 * whose S comes within τ·s of the diagonal without crossing it counts as touching it: passing that
 * bottleneck takes ~1/√τ ≈ 3·10^4 levels, more than any depth the tools iterate, so for every tree
 * they compute it holds like a fixed point. τ = 1e-9 is far above the ~1e-15 rounding of μ, so the
 * scalar code and the grid, which compute μ with different roundings, fall on the same side for every
 * (γ, ρ) except within ~1e-15 of the line μ = 1 − τ itself (exact tangencies such as b = 3, open
 * answers, γ = 0.8, ρ = 0 have μ = 1 and are bistable in both).
 */
export const TANGENCY_TOLERANCE = 1e-9;

/**
 * The point s at which chance is probed on the line α = 1, where the first-order test is silent:
 * chance repels iff S(s) > s there (shared with the WASM grid, which receives it as an argument).
 */
export const CHANCE_PROBE = 1 / 2048;

/**
 * S is the identity: γ = 1 and either every output is a copy (ρ = 1) or the rule itself is (b = 2
 * plurality: two votes and a random tie-break pass the skill through, F_{2,K}(s) = s). Mirrored in
 * assembly/phaseGrid.ts.
 */
function isIdentity(level: PluralityLevel): boolean {
  const agg = level.aggregator ?? 'plurality';
  return level.gamma === 1 && (level.rho === 1 || (level.b === 2 && (agg === 'plurality' || agg.judge === 0)));
}

/**
 * identity: S(s) = s (γ = 1 with ρ = 1 or b = 2, see isIdentity); amplifying: chance is not an
 * attractor (α > 1, or a judge that lifts chance); bistable: chance and a higher fixed point are both attractors, split at s†; critical:
 * α = 1 and nothing above chance attracts; subcritical: chance is the only attractor (§H5, §B7).
 */
export type PluralityRegime = 'subcritical' | 'critical' | 'identity' | 'amplifying' | 'bistable';

export interface PhaseStructure {
  alpha: number;
  regime: PluralityRegime;
  /** All fixed points in [0, 1], ascending. */
  fixedPoints: FixedPointInfo[];
  /** The highest stable fixed point (the "good" one; 0 when only chance attracts; NaN for identity). */
  best: number;
  /** s†: the unstable fixed point above which leaves reach a higher attractor; null if none. */
  threshold: number | null;
}

/**
 * Grid of the fixed-point scan. h(s) = S(s) − s is a polynomial of degree ≤ b in s (Π is degree b in p,
 * p affine in s), so it has at most b roots; a sign change between grid points brackets an odd number
 * of them and bisection finds one. The scan can only miss a pair of roots less than 1/N apart, i.e.
 * a level within ~1/N² of a saddle-node; there the two points are numerically one tangency, which
 * `bistableGamma` locates directly. N grows with b so every cell holds at most a few of h's wiggles.
 */
function gridSize(b: number): number {
  return Math.max(2000, 40 * b);
}

const ZERO = 1e-14;

function bisect(h: (s: number) => number, lo: number, hi: number): number {
  let hlo = h(lo);
  for (let i = 0; i < 200 && hi - lo > 1e-15 * Math.max(1, hi); i++) {
    const mid = 0.5 * (lo + hi);
    const hm = h(mid);
    if (hm === 0) return mid;
    if ((hm > 0) === (hlo > 0)) { lo = mid; hlo = hm; } else hi = mid;
  }
  return 0.5 * (lo + hi);
}

/** α = S'(0) = γ·(ρ + (1 − ρ)·c_{b,K}) (§H5; the judge's slope at chance under §H7). */
export function pluralityAlpha(level: PluralityLevel, answers: Answers): number {
  return pluralityLevelDerivative(level, answers, 0);
}

export function pluralityPhaseStructure(level: PluralityLevel, answers: Answers): PhaseStructure {
  const alpha = pluralityAlpha(level, answers);
  if (isIdentity(level)) {
    return { alpha, regime: 'identity', fixedPoints: [], best: NaN, threshold: null };
  }
  const h = (s: number): number => pluralityLevelMap(level, answers, s) - s;
  const roots: number[] = [];
  const n = gridSize(level.b);
  const h0 = h(0);
  if (Math.abs(h0) <= ZERO) roots.push(0);
  let prevS = 0;
  let prevH = Math.abs(h0) <= ZERO ? NaN : h0; // chance counted already: scan from the first grid point
  for (let i = 1; i <= n; i++) {
    const s = i / n;
    const hs = h(s);
    // S(1) ≤ 1 exactly; a positive h(1) is rounding of a fixed point within ~1e-15 of 1.
    if (i === n && hs >= -ZERO) roots.push(1);
    else if (Number.isNaN(prevH) && i === 1 && alpha !== 1 && hs !== 0 && (hs > 0) !== (alpha > 1)) {
      // Chance is a root and h leaves it with the sign of α − 1, yet h(1/N) has the other sign: a root
      // lies in (0, 1/N) (open answers at large b put s† there). Halve toward 0 for a bracket.
      let lo = s / 2;
      while (lo > 1e-13 && (h(lo) > 0) !== (alpha > 1)) lo /= 2;
      if ((h(lo) > 0) === (alpha > 1)) roots.push(bisect(h, lo, s));
    } else if (!Number.isNaN(prevH) && (hs > 0) !== (prevH > 0) && hs !== 0) roots.push(bisect(h, prevS, s));
    else if (hs === 0) roots.push(s);
    prevS = s;
    prevH = hs;
  }
  const fixedPoints: FixedPointInfo[] = roots.map((value) => {
    const slope = pluralityLevelDerivative(level, answers, value);
    // At chance with α = 1 the first-order test is silent: h's sign just above CHANCE_PROBE decides.
    const stable = value === 0 && slope === 1 ? !(h(CHANCE_PROBE) > 0) : Math.abs(slope) < 1;
    return { value, stable, stability: stable ? 'stable' as const : 'unstable' as const, slope };
  });
  // Tangency rule (TANGENCY_TOLERANCE): chance attracts and nothing above it does, yet S reaches the
  // diagonal within τ — a saddle-node (the scan may even land on the double root, slope 1: unstable
  // by the first-order test), two roots inside one scan cell, or a near miss. Then the point of
  // closest approach is one semi-stable fixed point, s† = s* (bistable).
  if (fixedPoints.length > 0 && fixedPoints[0].value === 0 && fixedPoints[0].stable && !fixedPoints.some((f) => f.value > 0 && f.stable)) {
    const { excess, at } = maxExcess(level, answers);
    if (excess >= -TANGENCY_TOLERANCE) {
      const above = fixedPoints.filter((f) => f.value > 0);
      if (above.length === 0) fixedPoints.push({ value: at, stable: true, stability: 'semi-stable (tangency)', slope: pluralityLevelDerivative(level, answers, at), tangent: true });
      else {
        // the scan's own root(s) there are the double root: keep the one nearest the closest approach
        const nearest = above.reduce((x, y) => (Math.abs(y.value - at) < Math.abs(x.value - at) ? y : x));
        fixedPoints.splice(1, fixedPoints.length - 1, { ...nearest, stable: true, stability: 'semi-stable (tangency)', tangent: true });
      }
    }
  }
  const stable = fixedPoints.filter((f) => f.stable);
  const best = stable.length ? stable[stable.length - 1].value : 0;
  const chanceAttracts = stable.length > 0 && stable[0].value === 0;
  let regime: PluralityRegime;
  if (!chanceAttracts) regime = 'amplifying';
  else if (stable.length > 1) regime = 'bistable';
  else regime = alpha === 1 ? 'critical' : 'subcritical';
  // s†: the first unstable fixed point above the lowest attractor, when a higher attractor exists.
  let threshold: number | null = null;
  if (stable.length > 1) {
    const above = fixedPoints.find((f) => (!f.stable || f.tangent) && f.value > stable[0].value);
    threshold = above ? above.value : null;
  }
  return { alpha, regime, fixedPoints, best, threshold };
}

/**
 * The fixed point a trajectory from s_0 converges to (§H5): S is increasing, so the trajectory is
 * monotone and stops at the nearest fixed point in the direction of S(s_0) − s_0.
 */
export function reachedFixedPoint(level: PluralityLevel, answers: Answers, s0: number, structure = pluralityPhaseStructure(level, answers)): number {
  if (structure.regime === 'identity') return s0;
  const d = pluralityLevelMap(level, answers, s0) - s0;
  const values = structure.fixedPoints.map((f) => f.value);
  if (d > 0) return values.find((v) => v > s0) ?? 1;
  if (d < 0) return [...values].reverse().find((v) => v < s0) ?? 0;
  return s0;
}

/** Points of the S(s)/s scan: s = i/RATIO_SCAN, i = 1 … RATIO_SCAN, the same points as the WASM grid's. */
const RATIO_SCAN = 2048;

/**
 * μ − 1 with μ = max_{1/RATIO_SCAN ≤ s ≤ 1} S(s)/s, by grid then golden-section refinement around the
 * best cell (never below the first point: closer to chance S(s)/s is α to first order, which α itself
 * decides). The ratio (not S(s) − s, which tends to 0 at chance) is ≥ 0 exactly when a fixed point
 * above chance exists. Mirrored in assembly/phaseGrid.ts (pluralityGrid); returns the argmax too.
 */
function maxExcess(level: PluralityLevel, answers: Answers): { excess: number; at: number } {
  const h = (s: number): number => pluralityLevelMap(level, answers, s) / s - 1;
  const n = RATIO_SCAN;
  let bestI = 1, bestH = -Infinity;
  for (let i = 1; i <= n; i++) {
    const v = h(i / n);
    if (v > bestH) { bestH = v; bestI = i; }
  }
  let lo = Math.max(bestI - 1, 1) / n, hi = Math.min(1, (bestI + 1) / n);
  const g = (Math.sqrt(5) - 1) / 2;
  for (let k = 0; k < 60; k++) {
    const a = hi - g * (hi - lo), b = lo + g * (hi - lo);
    if (h(a) > h(b)) hi = b; else lo = a;
  }
  const mid = 0.5 * (lo + hi);
  const hm = h(mid);
  return hm >= bestH ? { excess: hm, at: mid } : { excess: bestH, at: bestI / n };
}

/**
 * The lower edge of the region with a fixed point above chance (§H5): the least γ at which
 * μ ≥ 1 − TANGENCY_TOLERANCE (maxExcess), by bisection. S grows with γ at every s > 0 (F is increasing), so this
 * set of γ is an interval [γ_b, 1]. Below the α = 1 line γ_c it is the bistable region (a saddle-node
 * at γ_b: S(s) = s and S'(s) = 1); returns 1 when no γ < 1 has one (and ρ < 1), 0 when every γ does.
 */
export function pluralityBistableGamma(b: number, rho: number, answers: Answers, aggregator: PluralityLevel['aggregator']): number {
  // the same predicate as phaseStructure's tangency rule, so γ ≥ γ_b iff a fixed point above chance is reported
  const at = (gamma: number): boolean => maxExcess({ b, gamma, rho, aggregator }, answers).excess >= -TANGENCY_TOLERANCE;
  if (at(0)) return 0;
  if (!at(1)) return 1;
  let lo = 0, hi = 1;
  while (hi - lo > 1e-10) {
    const mid = 0.5 * (lo + hi);
    if (at(mid)) hi = mid; else lo = mid;
  }
  return hi;
}
