// SPEC §H5 — phase structure of a plurality level: every fixed point of S in [0, 1] with its
// stability, the regime (amplifying / bistable / subcritical), the threshold s† and the saddle-node
// line where the good fixed point appears.
import { type Answers } from './model.ts';
import { type PluralityLevel, pluralityLevelDerivative, pluralityLevelMap } from './plurality.ts';

export interface FixedPointInfo {
  value: number;
  /** |S'(s*)| < 1. */
  stable: boolean;
  /** S'(s*). */
  slope: number;
}

/**
 * identity: S(s) = s (ρ = γ = 1); amplifying: chance is not an attractor (α > 1, or a judge that lifts
 * chance); bistable: chance and a higher fixed point are both attractors, split at s†; critical:
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
  if (level.gamma === 1 && level.rho === 1) {
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
  const fixedPoints = roots.map((value) => {
    const slope = pluralityLevelDerivative(level, answers, value);
    // At chance with α = 1 the first-order test is silent: h's sign just above 0 decides.
    const stable = value === 0 && slope === 1 ? h(1 / n) < 0 : Math.abs(slope) < 1;
    return { value, stable, slope };
  });
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
    const above = fixedPoints.find((f) => !f.stable && f.value > stable[0].value);
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

/**
 * max_{s∈(0,1]} (S(s)/s − 1), by grid then golden-section refinement around the best cell. The ratio
 * (not S(s) − s, which tends to 0 at chance) is ≥ 0 exactly when a fixed point above chance exists;
 * at s → 0 it tends to α − 1.
 */
function maxExcess(level: PluralityLevel, answers: Answers): number {
  const h = (s: number): number => pluralityLevelMap(level, answers, s) / s - 1;
  const n = gridSize(level.b);
  let bestI = 1, bestH = -Infinity;
  for (let i = 1; i <= n; i++) {
    const v = h(i / n);
    if (v > bestH) { bestH = v; bestI = i; }
  }
  let lo = Math.max(bestI - 1, 1e-9) / n, hi = Math.min(1, (bestI + 1) / n);
  const g = (Math.sqrt(5) - 1) / 2;
  for (let k = 0; k < 60; k++) {
    const a = hi - g * (hi - lo), b = lo + g * (hi - lo);
    if (h(a) > h(b)) hi = b; else lo = a;
  }
  return Math.max(bestH, h(0.5 * (lo + hi)));
}

/**
 * The lower edge of the region with a fixed point above chance (§H5): the least γ at which
 * max_{s>0}(S(s)/s − 1) ≥ 0, by bisection. S grows with γ at every s > 0 (F is increasing), so this
 * set of γ is an interval [γ_b, 1]. Below the α = 1 line γ_c it is the bistable region (a saddle-node
 * at γ_b: S(s) = s and S'(s) = 1); returns 1 when no γ < 1 has one (and ρ < 1), 0 when every γ does.
 */
export function pluralityBistableGamma(b: number, rho: number, answers: Answers, aggregator: PluralityLevel['aggregator']): number {
  const at = (gamma: number): boolean => maxExcess({ b, gamma, rho, aggregator }, answers) >= -ZERO;
  if (at(0)) return 0;
  if (!at(1)) return 1;
  let lo = 0, hi = 1;
  while (hi - lo > 1e-10) {
    const mid = 0.5 * (lo + hi);
    if (at(mid)) hi = mid; else lo = mid;
  }
  return hi;
}
