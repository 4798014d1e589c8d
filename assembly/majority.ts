// SPEC §B5 — the majority polynomial f_b and its slope c_b, for odd b = 2n + 1.
//
// f_b(u) = c_b·∫_0^u (1 − t²)^n dt. Integrating by parts gives a recurrence in n whose terms are all
// non-negative on [0, 1], so nothing cancels and no binomial coefficient is ever formed:
//   f_{2j+1}(u) = f_{2j−1}(u) + c_{2j−1}·u·w^j / (2j),   w = 1 − u²,  f_1(u) = u,
//   c_{2j+1}    = c_{2j−1}·(2j + 1)/(2j),                c_1 = 1.
// The same recurrence for the "deficit" c_b·u − f_b(u) (also all non-negative terms) lets the fixed
// point solver evaluate T(u) − u without the cancellation of subtracting two nearly equal numbers.

/** c_b = f_b'(0) = b·C(b−1, (b−1)/2) / 2^(b−1). */
export function majoritySlope(b: i32): f64 {
  const n = (b - 1) >> 1;
  let c = 1.0;
  for (let j = 1; j <= n; j++) c *= <f64>(2 * j + 1) / <f64>(2 * j);
  return c;
}

/** f_b(u) for u ∈ [−1, 1]; odd in u. */
export function majorityBias(b: i32, u: f64): f64 {
  const a = Math.abs(u);
  const w = (1.0 - a) * (1.0 + a);
  const n = (b - 1) >> 1;
  let f = a;
  let c = 1.0;
  let wj = 1.0;
  for (let j = 1; j <= n; j++) {
    wj *= w;
    const term = c * a * wj / <f64>(2 * j);
    f += term;
    // Terms decrease and the tail after this one is at most term/(1 − w) = term/u²: stop once even
    // the whole tail can no longer change f.
    if (term < f * 1e-17 * (1.0 - w)) break;
    c *= <f64>(2 * j + 1) / <f64>(2 * j);
  }
  return u < 0 ? -f : f;
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
    d += c * a * q / <f64>(2 * j);
    c *= <f64>(2 * j + 1) / <f64>(2 * j);
  }
  return u < 0 ? -d : d;
}

/** D_b'(u) = c_b − f_b'(u) = c_b·(1 − w^n), with 1 − w^n = −expm1(n·log1p(−u²)). */
export function majorityDeficitDerivative(b: i32, u: f64): f64 {
  const n = (b - 1) >> 1;
  return -majoritySlope(b) * Math.expm1(<f64>n * Math.log1p(-u * u));
}
