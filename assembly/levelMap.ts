// SPEC §B6–§B9 — one level of a majority tree, its fixed point, trajectories and saturation depth.
import { deficitSlopeFactor, majorityBias, majorityDeficit, majoritySlope } from './majority';

/** α_ρ = T'(0) = γ·(ρ + (1 − ρ)·c_b), §B7. */
export function alpha(b: i32, gamma: f64, rho: f64): f64 {
  return gamma * (rho + (1.0 - rho) * majoritySlope(b));
}

/** s = ln α_ρ / ln b, §B8. */
export function organizationExponent(b: i32, gamma: f64, rho: f64): f64 {
  return Math.log(alpha(b, gamma, rho)) / Math.log(<f64>b);
}

/** T(u) = ρ·γ·u + (1 − ρ)·f_b(γ·u), §B6. */
export function levelMap(b: i32, gamma: f64, rho: f64, u: f64): f64 {
  return rho * gamma * u + (1.0 - rho) * majorityBias(b, gamma * u);
}

/**
 * Relative width of the bracket the fixed-point solver certifies (§B7 asks for 1e-12; a few ulps
 * cost nothing extra, since Newton converges quadratically).
 */
export const FIXED_POINT_TOLERANCE: f64 = 4e-16;
/** The largest double below 1: u* < 1 whenever γ < 1 (§B7), even where rounding says otherwise. */
const BELOW_ONE: f64 = 1.0 - 1.0 / 9007199254740992.0;

/** Newton iterations used by the last fixedPoint call (diagnostics, read through lastIterations). */
let iterations: i32 = 0;
export function lastIterations(): i32 {
  return iterations;
}

/**
 * u* with T(u*) = u* for an amplifying level (α_ρ > 1), else 0; NaN for the identity map: γ = 1 with
 * ρ = 1, or b = 2 (f_1(u) = u: two votes and a random tie-break, §B/§H4), as src/theory/level.ts isBinaryIdentity.
 *
 * h(u) = T(u) − u = (α − 1)·u − (1 − ρ)·D_b(γu) is concave with h(0) = 0, h'(0) = α − 1 > 0 and
 * h(1) ≤ 0, so u* is its only root in (0, 1]. Newton's method started at u = 1 (right of the root)
 * on a concave function never overshoots: it decreases monotonically onto u*. Writing h through the
 * deficit D_b keeps it accurate even when α − 1 is tiny and u* is small. The result is certified by
 * a sign change of h across [u(1 − tol), u]; bisection takes over if rounding ever stalls Newton.
 */
export function fixedPoint(b: i32, gamma: f64, rho: f64): f64 {
  iterations = 0;
  if (gamma == 1.0 && (rho == 1.0 || b == 2)) return NaN;
  const a = alpha(b, gamma, rho);
  if (a <= 1.0) return 0.0;
  if (gamma == 1.0) return 1.0; // T(1) = 1 exactly
  const am1 = a - 1.0;
  const w = 1.0 - rho;
  const slope = majoritySlope(b);
  let u = 1.0;
  for (let i = 0; i < 200; i++) {
    iterations++;
    const h = am1 * u - w * majorityDeficit(b, gamma * u);
    if (h >= 0.0) break;
    const dh = am1 - w * gamma * slope * deficitSlopeFactor; // h'(u), D_b' from the same pass
    const step = h / dh; // h < 0 and dh < 0 right of the root, so step > 0
    if (!(step > 0.0)) break;
    u -= step;
    if (step <= u * 1e-14) break;
  }
  // Certify: a root lies in [lo, hi] when h(lo) > 0 ≥ h(hi). Newton normally lands within rounding
  // of u*, on either side; widen by the tolerance on the side the sign says, else fall back wide.
  let lo: f64, hi: f64;
  if (am1 * u - w * majorityDeficit(b, gamma * u) > 0.0) {
    lo = u;
    hi = min(1.0, u * (1.0 + FIXED_POINT_TOLERANCE));
    if (am1 * hi - w * majorityDeficit(b, gamma * hi) > 0.0) hi = 1.0;
  } else {
    hi = u;
    lo = u * (1.0 - FIXED_POINT_TOLERANCE);
    if (!(am1 * lo - w * majorityDeficit(b, gamma * lo) > 0.0)) lo = 0.0;
  }
  while (hi - lo > FIXED_POINT_TOLERANCE * hi) {
    iterations++;
    const mid = 0.5 * (lo + hi);
    if (mid <= lo || mid >= hi) break;
    if (am1 * mid - w * majorityDeficit(b, gamma * mid) > 0.0) lo = mid;
    else hi = mid;
  }
  return min(hi, BELOW_ONE);
}

/**
 * Writes u_0 … u_depth into out[0 … depth] for per-level parameters given as arrays of length
 * `levels`; level ℓ (1-based) uses index (ℓ − 1) % levels, so levels = 1 is a homogeneous tree.
 */
export function trajectory(
  bPtr: usize, gammaPtr: usize, rhoPtr: usize, levels: i32, u0: f64, depth: i32, outPtr: usize,
): void {
  let u = u0;
  store<f64>(outPtr, u);
  for (let l = 0; l < depth; l++) {
    const k = <usize>(l % levels);
    u = levelMap(load<i32>(bPtr + (k << 2)), load<f64>(gammaPtr + (k << 3)), load<f64>(rhoPtr + (k << 3)), u);
    store<f64>(outPtr + ((<usize>(l + 1)) << 3), u);
  }
}

/**
 * Exact mixing depth L_mix(ε), §B9: the least L with |u_L − u*| ≤ ε·u*, iterating T from |u_0|
 * (T is odd, so a negative u_0 mixes into −u* at the same depth). Returns −1 when there is none
 * (not amplifying, u_0 = 0) or when more than maxDepth levels would be needed.
 */
export function mixingDepth(b: i32, gamma: f64, rho: f64, uStar: f64, u0: f64, epsilon: f64, maxDepth: i32): i32 {
  if (!(uStar > 0.0)) return -1;
  let u = Math.abs(u0);
  if (u == 0.0) return -1;
  const tol = epsilon * uStar;
  for (let l = 0; l <= maxDepth; l++) {
    if (Math.abs(u - uStar) <= tol) return l;
    u = levelMap(b, gamma, rho, u);
  }
  return -1;
}

/** Small-signal mixing depth ln(u* / |u_0|)/ln α_ρ, floored at 0; NaN when not amplifying or u_0 = 0 (§B9). */
export function mixingDepthSmallSignal(a: f64, uStar: f64, u0: f64): f64 {
  return mixingDepthSmallSignalLn(Math.log(a), uStar, u0);
}

/** The same from ln α_ρ, which the grid kernel computes once per (b, γ, ρ). */
export function mixingDepthSmallSignalLn(lnA: f64, uStar: f64, u0: f64): f64 {
  const au0 = Math.abs(u0);
  return uStar > 0.0 && au0 > 0.0 ? max(0.0, Math.log(uStar / au0) / lnA) : NaN;
}

/**
 * Clipped predictor û_L = min(α^L·u_0, u*), mirrored for u_0 < 0 (§B9). Without amplification
 * (u* = 0 or NaN) there is no cap: α^L·u_0, still an upper envelope of |u_L| by concavity.
 */
export function clippedPredictor(a: f64, uStar: f64, u0: f64, depth: i32): f64 {
  if (u0 == 0.0) return u0; // α^L may overflow to ∞ at large L, and 0·∞ would be NaN
  const grown = u0 * Math.pow(a, <f64>depth);
  if (!(uStar > 0.0)) return grown;
  return u0 < 0.0 ? -min(-grown, uStar) : min(grown, uStar);
}
