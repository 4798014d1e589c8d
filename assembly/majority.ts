// SPEC §B5 — the majority polynomial f_b and its slope c_b, for odd b = 2n + 1.
//
// f_b(u) = c_b·∫_0^u (1 − t²)^n dt. Integrating by parts gives a recurrence in n whose terms are all
// non-negative on [0, 1], so nothing cancels and no binomial coefficient is ever formed:
//   f_{2j+1}(u) = f_{2j−1}(u) + c_{2j−1}·u·w^j / (2j),   w = 1 − u²,  f_1(u) = u,
//   c_{2j+1}    = c_{2j−1}·(2j + 1)/(2j),                c_1 = 1.
// The same recurrence for the "deficit" c_b·u − f_b(u) (also all non-negative terms) lets the fixed
// point solver evaluate T(u) − u without the cancellation of subtracting two nearly equal numbers.

// The coefficients c_{2j−1}/(2j) for j ≤ TABLE_TERMS are tabulated once at instantiation, so the hot
// loops multiply instead of divide; beyond the table they continue by the recurrence.
const TABLE_TERMS: i32 = 1024;
const COEF: usize = memory.data(8 * (TABLE_TERMS + 1), 8);
{
  let c = 1.0;
  for (let j = 1; j <= TABLE_TERMS; j++) {
    store<f64>(COEF + (<usize>j << 3), c / <f64>(2 * j));
    c *= <f64>(2 * j + 1) / <f64>(2 * j);
  }
}

/** c_{2j−1}/(2j), the j-th term's coefficient (j ≥ 1). */
// @ts-ignore: decorator
@inline function coefficient(j: i32, c: f64): f64 {
  return j <= TABLE_TERMS ? load<f64>(COEF + (<usize>j << 3)) : c / <f64>(2 * j);
}

/** c_b = f_b'(0) = b·C(b−1, (b−1)/2) / 2^(b−1) = 2(n + 1)·coefficient(n + 1). */
export function majoritySlope(b: i32): f64 {
  const n = (b - 1) >> 1;
  if (n < TABLE_TERMS) return <f64>(2 * (n + 1)) * load<f64>(COEF + (<usize>(n + 1) << 3));
  let c = <f64>(2 * TABLE_TERMS) * load<f64>(COEF + (<usize>TABLE_TERMS << 3)) * <f64>(2 * TABLE_TERMS + 1) / <f64>(2 * TABLE_TERMS);
  for (let j = TABLE_TERMS + 1; j <= n; j++) c *= <f64>(2 * j + 1) / <f64>(2 * j);
  return c;
}

/** f_b(u) for u ∈ [−1, 1]; odd in u. */
export function majorityBias(b: i32, u: f64): f64 {
  const a = Math.abs(u);
  const w = (1.0 - a) * (1.0 + a);
  const n = (b - 1) >> 1;
  const stop = 1e-17 * (1.0 - w);
  let f = a;
  let c = 1.0; // c_{2j−1}, only needed past the table
  let wj = a;
  for (let j = 1; j <= n; j++) {
    wj *= w;
    const term = coefficient(j, c) * wj;
    f += term;
    // Terms decrease and the tail after this one is at most term/(1 − w) = term/u²: stop once even
    // the whole tail can no longer change f.
    if (term < f * stop) break;
    if (j >= TABLE_TERMS) c = coefficient(j, c) * <f64>(2 * j + 1); // c_{2j+1}
  }
  return copysign<f64>(f, u); // odd, down to the sign of zero, so T(−u) = −T(u) bit for bit
}
/** f_b'(u) = c_b·(1 − u²)^n. */
export function majorityDerivative(b: i32, u: f64): f64 {
  const w = (1.0 - u) * (1.0 + u);
  const n = (b - 1) >> 1;
  return majoritySlope(b) * Math.pow(w, <f64>n);
}

/**
 * D_b(u) = c_b·u − f_b(u) ≥ 0 for u ≥ 0 (odd in u), as Σ_j c_{2j−1}·u·(1 − w^j)/(2j) where
 * 1 − w^j = q_j is built by q_j = u² + w·q_{j−1} (again only non-negative terms).
 */
export function majorityDeficit(b: i32, u: f64): f64 {
  const a = Math.abs(u);
  const a2 = a * a;
  const w = (1.0 - a) * (1.0 + a);
  const n = (b - 1) >> 1;
  let d = 0.0;
  let c = 1.0;
  let q = 0.0;
  for (let j = 1; j <= n; j++) {
    q = a2 + w * q;
    d += coefficient(j, c) * q;
    if (j >= TABLE_TERMS) c = coefficient(j, c) * <f64>(2 * j + 1); // c_{2j+1}
  }
  d *= a;
  deficitSlopeFactor = q;
  return copysign<f64>(d, u);
}

/**
 * 1 − (1 − u²)^n from the last majorityDeficit call: D_b'(u) = c_b·(1 − (1 − u²)^n) comes for free
 * from the same loop, which saves the fixed-point solver an expm1 and a log1p per Newton step.
 */
export let deficitSlopeFactor: f64 = 0.0;


/** Largest fan-in whose coefficients are all tabulated (what the two-lane path needs). */
export const PAIR_MAX_FAN_IN: i32 = 2 * TABLE_TERMS + 1;

/**
 * f_b on two lanes of non-negative arguments at once (SIMD build only; b ≤ PAIR_MAX_FAN_IN). Each
 * lane performs exactly the operations of majorityBias, in the same order — a lane that has met
 * the stopping rule adds +0 from then on — so results are bit-identical to the scalar path.
 */
// @ts-ignore: decorator
@inline export function majorityBiasPair(b: i32, v: v128): v128 {
  const one = f64x2.splat(1.0);
  const w = f64x2.mul(f64x2.sub(one, v), f64x2.add(one, v));
  const stop = f64x2.mul(f64x2.splat(1e-17), f64x2.sub(one, w));
  const n = (b - 1) >> 1;
  let f = v;
  let wj = v;
  let live = i64x2.splat(-1);
  for (let j = 1; j <= n; j++) {
    wj = f64x2.mul(wj, w);
    const term = v128.and(f64x2.mul(f64x2.splat(load<f64>(COEF + (<usize>j << 3))), wj), live);
    f = f64x2.add(f, term);
    live = v128.andnot(live, f64x2.lt(term, f64x2.mul(f, stop)));
    if (!v128.any_true(live)) break;
  }
  return f;
}
