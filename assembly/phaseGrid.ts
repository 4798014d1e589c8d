// The phase-grid kernel: every theory field of §B7–§B9 for each cell of a cartesian grid over
// (b, γ, ρ, u_0). Cells are numbered with u_0 fastest, then ρ, then γ, then b:
//   cell = ((ib·ng + ig)·nr + ir)·nu + iu,   per-depth fields at cell·nd + k.
// α_ρ, s and u* depend only on (b, γ, ρ) and are computed once per u_0 row. The trajectory — most
// of the work — runs one cell at a time in the plain build and two ρ-neighbours per v128 in the
// SIMD build; both perform the same IEEE operations per cell, so their results are bit-identical.
import { majorityBiasPair, PAIR_MAX_FAN_IN } from './majority';
import { alpha, clippedPredictor, fixedPoint, levelMap, mixingDepthSmallSignalLn } from './levelMap';

const LOOKING: i32 = -2; // mixing depth not reached yet
const NONE: i32 = -1; // no mixing depth (not amplifying, u_0 = 0, or beyond the cap)

// Where a grid call reads its depths and writes u_L: set once per call (module state, not an
// allocation: the stub runtime never frees, so nothing here may allocate per call).
let depthPtr: usize = 0;
let depthCount: i32 = 0;
let deepest: i32 = 0;
let uLOut: usize = 0;

// @ts-ignore: decorator
@inline function storeDepths(cell: usize, l: i32, u: f64): void {
  for (let k = 0; k < depthCount; k++) {
    if (load<i32>(depthPtr + (<usize>k << 2)) == l) store<f64>(uLOut + ((cell * <usize>depthCount + <usize>k) << 3), u);
  }
}

// @ts-ignore: decorator
@inline function mixingStep(mix: i32, l: i32, u: f64, uStar: f64, tol: f64, maxMix: i32): i32 {
  if (mix != LOOKING) return mix;
  if (Math.abs(Math.abs(u) - uStar) <= tol) return l;
  return l >= maxMix ? NONE : LOOKING;
}

/** One cell's trajectory: u_L at the requested depths and the exact mixing depth (returned). */
function trajectoryCell(b: i32, gamma: f64, rho: f64, uStar: f64, u0: f64, tol: f64, maxMix: i32, cell: usize): i32 {
  let mix = uStar > 0.0 && u0 != 0.0 ? LOOKING : NONE;
  let u = u0;
  for (let l = 0; ; l++) {
    mix = mixingStep(mix, l, u, uStar, tol, maxMix);
    storeDepths(cell, l, u);
    if (l >= deepest && mix != LOOKING) return mix;
    u = levelMap(b, gamma, rho, u);
  }
  return mix;
}

/**
 * Two cells that differ only in ρ, on the two lanes of a v128. T is odd, so the lanes iterate |u|
 * and the sign of u_0 is put back when storing; the per-lane arithmetic is that of levelMap.
 */
function trajectoryPair(
  b: i32, gamma: f64, rho0: f64, rho1: f64, uStar0: f64, uStar1: f64, u0: f64, epsilon: f64, maxMix: i32,
  cell0: usize, cell1: usize, mixOut: usize,
): void {
  const negative = (reinterpret<u64>(u0) >> 63) != 0; // sign bit, so −0 stays −0 as in levelMap
  let mix0 = uStar0 > 0.0 && u0 != 0.0 ? LOOKING : NONE;
  let mix1 = uStar1 > 0.0 && u0 != 0.0 ? LOOKING : NONE;
  const tol0 = epsilon * uStar0;
  const tol1 = epsilon * uStar1;
  const g = f64x2.splat(gamma);
  const rg = f64x2.replace_lane(f64x2.splat(rho0 * gamma), 1, rho1 * gamma);
  const om = f64x2.replace_lane(f64x2.splat(1.0 - rho0), 1, 1.0 - rho1);
  let u = f64x2.splat(Math.abs(u0));
  storeDepths(cell0, 0, u0);
  storeDepths(cell1, 0, u0);
  for (let l = 0; ; l++) {
    const a0 = f64x2.extract_lane(u, 0);
    const a1 = f64x2.extract_lane(u, 1);
    mix0 = mixingStep(mix0, l, a0, uStar0, tol0, maxMix);
    mix1 = mixingStep(mix1, l, a1, uStar1, tol1, maxMix);
    if (l > 0) {
      storeDepths(cell0, l, negative ? -a0 : a0);
      storeDepths(cell1, l, negative ? -a1 : a1);
    }
    if (l >= deepest && mix0 != LOOKING && mix1 != LOOKING) break;
    u = f64x2.add(f64x2.mul(rg, u), f64x2.mul(om, majorityBiasPair(b, f64x2.mul(g, u))));
  }
  store<f64>(mixOut + (cell0 << 3), mix0 >= 0 ? <f64>mix0 : NaN);
  store<f64>(mixOut + (cell1 << 3), mix1 >= 0 ? <f64>mix1 : NaN);
}

export function phaseGrid(
  bPtr: usize, nb: i32, gammaPtr: usize, ng: i32, rhoPtr: usize, nr: i32, u0Ptr: usize, nu: i32,
  depthsPtr: usize, nd: i32, epsilon: f64, maxMixingDepth: i32,
  alphaOut: usize, sOut: usize, uStarOut: usize, mixOut: usize, mixSmallOut: usize,
  uLPtr: usize, clippedOut: usize,
): void {
  depthPtr = depthsPtr;
  depthCount = nd;
  uLOut = uLPtr;
  deepest = 0;
  for (let k = 0; k < nd; k++) deepest = max(deepest, load<i32>(depthPtr + (<usize>k << 2)));
  for (let ib = 0; ib < nb; ib++) {
    const b = load<i32>(bPtr + (<usize>ib << 2));
    const lnB = Math.log(<f64>b);
    for (let ig = 0; ig < ng; ig++) {
      const gamma = load<f64>(gammaPtr + (<usize>ig << 3));
      const row = (<usize>(ib * ng + ig)) * <usize>nr;
      for (let ir = 0; ir < nr; ir++) {
        const rho = load<f64>(rhoPtr + (<usize>ir << 3));
        const a = alpha(b, gamma, rho);
        // ln α once per (b, γ, ρ); the same operations as organizationExponent and friends, so the
        // same bits as the scalar API.
        const lnA = Math.log(a);
        const s = lnA / lnB;
        const uStar = fixedPoint(b, gamma, rho);
        for (let iu = 0; iu < nu; iu++) {
          const u0 = load<f64>(u0Ptr + (<usize>iu << 3));
          const cell = (row + <usize>ir) * <usize>nu + <usize>iu;
          const off = cell << 3;
          store<f64>(alphaOut + off, a);
          store<f64>(sOut + off, s);
          store<f64>(uStarOut + off, uStar);
          store<f64>(mixSmallOut + off, mixingDepthSmallSignalLn(lnA, uStar, u0));
          for (let k = 0; k < nd; k++) {
            const L = load<i32>(depthPtr + (<usize>k << 2));
            store<f64>(clippedOut + ((cell * <usize>nd + <usize>k) << 3), clippedPredictor(a, uStar, u0, L));
          }
        }
      }
      // Trajectories: pairs of ρ-neighbours per v128 where the build has SIMD, else one by one.
      let ir = 0;
      if (ASC_FEATURE_SIMD && b <= PAIR_MAX_FAN_IN) {
        for (; ir + 1 < nr; ir += 2) {
          const rho0 = load<f64>(rhoPtr + (<usize>ir << 3));
          const rho1 = load<f64>(rhoPtr + (<usize>(ir + 1) << 3));
          const uStar0 = load<f64>(uStarOut + (((row + <usize>ir) * <usize>nu) << 3));
          const uStar1 = load<f64>(uStarOut + (((row + <usize>ir + 1) * <usize>nu) << 3));
          for (let iu = 0; iu < nu; iu++) {
            const cell0 = (row + <usize>ir) * <usize>nu + <usize>iu;
            trajectoryPair(b, gamma, rho0, rho1, uStar0, uStar1, load<f64>(u0Ptr + (<usize>iu << 3)), epsilon,
              maxMixingDepth, cell0, cell0 + <usize>nu, mixOut);
          }
        }
      }
      for (; ir < nr; ir++) {
        const rho = load<f64>(rhoPtr + (<usize>ir << 3));
        const uStar = load<f64>(uStarOut + (((row + <usize>ir) * <usize>nu) << 3));
        for (let iu = 0; iu < nu; iu++) {
          const cell = (row + <usize>ir) * <usize>nu + <usize>iu;
          const mix = trajectoryCell(b, gamma, rho, uStar, load<f64>(u0Ptr + (<usize>iu << 3)), epsilon * uStar,
            maxMixingDepth, cell);
          store<f64>(mixOut + (cell << 3), mix >= 0 ? <f64>mix : NaN);
        }
      }
    }
  }
}

// ——— §H5 plurality grid over (γ, ρ) for one (b, K, rule) ———
// The host passes a_c = w_c·C(b, c) (the cached plurality weights of src/theory/plurality.ts), chance
// p_c, the judge's v and c_{b,K}. Π(p) = Σ_c a_c·p^c·(1 − p)^(b−c) costs O(b) per call (b ≤ 151 keeps
// every C(b, c) and power a normal double). The regime of a cell needs only two numbers:
//   α = γ·(ρ + (1 − ρ)·c_{b,K})              (amplifying iff α > 1, or chance not a fixed point),
//   μ = γ·(ρ + (1 − ρ)·M(γ)), M(γ) = max_{0<x≤γ} F(x)/x,
// because S(s)/s = γ·(ρ + (1 − ρ)·F(γs)/(γs)): a fixed point above chance exists iff μ ≥ 1, so
// α ≤ 1 ≤ μ is the bistable region (§H5). M depends on γ only: one scan per γ row.

// codes of REGIME_CODES (src/phaseGrid.ts), one byte per cell
const REGIME_SUBCRITICAL: u8 = 0;
const REGIME_CRITICAL: u8 = 1;
const REGIME_BISTABLE: u8 = 2;
const REGIME_AMPLIFYING: u8 = 3;
const REGIME_IDENTITY: u8 = 4;
// Mirrors of src/theory/pluralityPhases.ts (test/theory/pluralityTangency.test.ts checks they agree):
// SCAN = RATIO_SCAN = 1/CHANCE_PROBE (μ is the max of S(s)/s over s = i/SCAN, i ≥ 1, refined by
// golden section but never below s = 1/SCAN; on the line α = 1 chance repels iff S(1/SCAN) > 1/SCAN),
// TANGENCY = TANGENCY_TOLERANCE (a fixed point above chance exists iff μ ≥ 1 − τ: the one §H5
// saddle-node rule).
const SCAN: i32 = 2048;
const TANGENCY: f64 = 1e-9;

let pb: i32 = 0;
let pCoef: usize = 0;
let pChance: f64 = 0;
let pJudge: f64 = 0;

/**
 * Probability that one aggregator outputs the right answer from b votes of accuracy p (§H4, §H7).
 * Horner in the ratio r = p/q ≤ 1 (or q/p ≤ 1 for p > 1/2): Π = q^b·Σ a_c·r^c, all terms ≥ 0 and no
 * power can overflow.
 */
function aggregateAccuracy(p: f64): f64 {
  const q = 1.0 - p;
  let sum: f64 = 0.0;
  let big: f64 = 1.0; // max(p, q)^b
  if (p <= 0.5) {
    const r = p / q;
    sum = load<f64>(pCoef + (<usize>pb << 3));
    for (let c = pb - 1; c >= 0; c--) sum = sum * r + load<f64>(pCoef + (<usize>c << 3));
    for (let c = 0; c < pb; c++) big *= q;
  } else {
    const r = q / p;
    sum = load<f64>(pCoef);
    for (let c = 1; c <= pb; c++) sum = sum * r + load<f64>(pCoef + (<usize>c << 3));
    for (let c = 0; c < pb; c++) big *= p;
  }
  sum = min(1.0, sum * big);
  if (pJudge == 0.0) return sum;
  return pJudge * (1.0 - qPow0(q)) + (1.0 - pJudge) * sum;
}

// @ts-ignore: decorator
@inline function qPow0(q: f64): f64 {
  let r: f64 = 1.0;
  for (let c = 0; c < pb; c++) r *= q;
  return r;
}

/** F(x): skill of the aggregator's output from votes of skill x (§H4). */
function skillMap(x: f64): f64 {
  const p = pChance + (1.0 - pChance) * x;
  return (aggregateAccuracy(p) - pChance) / (1.0 - pChance);
}

// ——— Fast trajectories (issue 11 speed): S as a degree-b polynomial in s per cell ———
// With p = p_c·(1 − x) + x and q = (1 − p_c)·(1 − x), Π(p) is a Bernstein polynomial in the skill x with
// coefficients β_i = Σ_{c≥i} a_c·C(c, i)·p_c^(c−i)·(1 − p_c)^(b−c) / C(b, i) — all terms ≥ 0, no
// cancellation. Its monomial form F(x) = Σ f_k·x^k is computed once per call; then a cell's level map
// is S(s) = Σ c_k·s^k with c_k = (1 − ρ)·f_k·γ^k (+ ργ at k = 1): b multiply-adds per level instead
// of two divisions and 2b products. The monomial form cancels (Σ|f_k| can grow like 2^b), so it is
// used only while Σ|f_k| ≤ FAST_SUM (rounding ≲ Σ|f_k|·b·2^−53 per level) and b ≤ FAST_MAX_B;
// otherwise the trajectory keeps the stable ratio-Horner skillMap.
const FAST_MAX_B: i32 = 24;
const FAST_SUM: f64 = 256.0;
const fastF = memory.data(8 * (FAST_MAX_B + 1)); // f_k of F(x)
const fastRow = memory.data(8 * (FAST_MAX_B + 1)); // f_k·γ^k of the current γ row
const fastCell = memory.data(8 * 4 * (FAST_MAX_B + 1)); // c_k of up to four cells, interleaved by 4

/** Fills fastF from the Bernstein weights; returns false when the monomial form is too ill-conditioned. */
function prepareFast(b: i32, chance: f64, judge: f64): bool {
  if (b > FAST_MAX_B) return false;
  const om = 1.0 - chance;
  // β_i (stored temporarily in fastRow), then φ_i = (β_i − p_c)/(1 − p_c), then forward differences.
  let binomB: f64 = 1.0; // C(b, i)
  for (let i = 0; i <= b; i++) {
    let sum: f64 = 0.0;
    let binomC: f64 = 1.0; // C(c, i), starting at c = i
    let pcPow: f64 = 1.0; // p_c^(c−i)
    for (let c = i; c <= b; c++) {
      let omPow: f64 = 1.0;
      for (let j = c; j < b; j++) omPow *= om;
      sum += load<f64>(pCoef + (<usize>c << 3)) * binomC * pcPow * omPow;
      binomC = binomC * <f64>(c + 1) / <f64>(c + 1 - i);
      pcPow *= chance;
    }
    let beta = sum / binomB;
    if (judge != 0.0) {
      let q0: f64 = 0.0;
      if (i == 0) { q0 = 1.0; for (let j = 0; j < b; j++) q0 *= om; }
      beta = judge * (1.0 - q0) + (1.0 - judge) * beta;
    }
    store<f64>(fastRow + (<usize>i << 3), (min(1.0, beta) - chance) / om);
    binomB = binomB * <f64>(b - i) / <f64>(i + 1);
  }
  // f_k = C(b, k)·Δ^k φ_0: in-place forward differences, Δ^k φ_0 ends up at index k
  for (let k = 1; k <= b; k++) {
    for (let i = b; i >= k; i--) {
      store<f64>(fastRow + (<usize>i << 3), load<f64>(fastRow + (<usize>i << 3)) - load<f64>(fastRow + (<usize>(i - 1) << 3)));
    }
  }
  let binom: f64 = 1.0;
  let total: f64 = 0.0;
  for (let k = 0; k <= b; k++) {
    const f = binom * load<f64>(fastRow + (<usize>k << 3));
    store<f64>(fastF + (<usize>k << 3), f);
    total += Math.abs(f);
    binom = binom * <f64>(b - k) / <f64>(k + 1);
  }
  return total <= FAST_SUM;
}

/** F(x) from the monomial form (locates the maximum of F(x)/x; values used for regimes stay stable). */
function fastSkill(b: i32, x: f64): f64 {
  let h = load<f64>(fastF + (<usize>b << 3));
  for (let k = b - 1; k >= 0; k--) h = h * x + load<f64>(fastF + (<usize>k << 3));
  return h;
}

/** c_k of cell `lane` (0 … 3) for ρ, from the current row's f_k·γ^k. */
// @ts-ignore: decorator
@inline function fillCell(b: i32, lane: i32, rho: f64, gamma: f64): void {
  const om = 1.0 - rho;
  for (let k = 0; k <= b; k++) {
    let c = om * load<f64>(fastRow + (<usize>k << 3));
    if (k == 1) c += rho * gamma;
    store<f64>(fastCell + ((<usize>(k * 4 + lane)) << 3), c);
  }
}

// @ts-ignore: decorator
@inline function storeLevel(depthsPtr: usize, nd: i32, cell: usize, l: i32, s: f64): void {
  for (let k = 0; k < nd; k++) {
    if (load<i32>(depthsPtr + (<usize>k << 2)) == l) store<f64>(uLOut + ((cell * <usize>nd + <usize>k) << 3), s);
  }
}

// The distinct requested depths in increasing order: a trajectory runs level to level without checks
// and stores only at these.
const MAX_STOPS: i32 = 64;
const stops = memory.data(4 * MAX_STOPS);
let stopCount: i32 = 0;

/** Sorted distinct depths into `stops`; false when there are more than MAX_STOPS. */
function prepareStops(depthsPtr: usize, nd: i32): bool {
  stopCount = 0;
  let last: i32 = -1;
  for (;;) {
    let next: i32 = i32.MAX_VALUE;
    for (let k = 0; k < nd; k++) {
      const d = load<i32>(depthsPtr + (<usize>k << 2));
      if (d > last && d < next) next = d;
    }
    if (next == i32.MAX_VALUE) return true;
    if (stopCount == MAX_STOPS) return false;
    store<i32>(stops + (<usize>stopCount << 2), next);
    stopCount++;
    last = next;
  }
  return true; // not reached
}

/** Two cells (lanes 0 and 1 of fastCell) level by level, scalar, interleaved for ILP. */
function fastPairScalar(b: i32, s0: f64, depthsPtr: usize, nd: i32, cellA: usize, cellB: usize, two: bool): void {
  let s = s0;
  let t = s0;
  let l: i32 = 0;
  for (let i = 0; i < stopCount; i++) {
    const stop = load<i32>(stops + (<usize>i << 2));
    for (; l < stop; l++) {
      let hs = load<f64>(fastCell + (<usize>(b * 4) << 3));
      let ht = load<f64>(fastCell + (<usize>(b * 4 + 1) << 3));
      for (let k = b - 1; k >= 0; k--) {
        hs = hs * s + load<f64>(fastCell + (<usize>(k * 4) << 3));
        ht = ht * t + load<f64>(fastCell + (<usize>(k * 4 + 1) << 3));
      }
      s = min(hs, 1.0);
      t = min(ht, 1.0);
    }
    storeLevel(depthsPtr, nd, cellA, l, s);
    if (two) storeLevel(depthsPtr, nd, cellB, l, t);
  }
}

/** Four cells (lanes 0 … 3 of fastCell) as two v128, the same IEEE operations per lane as fastPairScalar. */
function fastQuad(b: i32, s0: f64, depthsPtr: usize, nd: i32, c0: usize, c1: usize, c2: usize, c3: usize): void {
  let x = f64x2.splat(s0);
  let y = f64x2.splat(s0);
  const one = f64x2.splat(1.0);
  const top = fastCell + (<usize>(b * 4) << 3);
  let l: i32 = 0;
  for (let i = 0; i < stopCount; i++) {
    const stop = load<i32>(stops + (<usize>i << 2));
    for (; l < stop; l++) {
      let hx = v128.load(top);
      let hy = v128.load(top + 16);
      for (let k = b - 1; k >= 0; k--) {
        const at = fastCell + (<usize>(k * 4) << 3);
        hx = f64x2.add(f64x2.mul(hx, x), v128.load(at));
        hy = f64x2.add(f64x2.mul(hy, y), v128.load(at + 16));
      }
      x = f64x2.min(hx, one);
      y = f64x2.min(hy, one);
    }
    storeLevel(depthsPtr, nd, c0, l, f64x2.extract_lane(x, 0));
    storeLevel(depthsPtr, nd, c1, l, f64x2.extract_lane(x, 1));
    storeLevel(depthsPtr, nd, c2, l, f64x2.extract_lane(y, 0));
    storeLevel(depthsPtr, nd, c3, l, f64x2.extract_lane(y, 1));
  }
}

export function pluralityGrid(
  b: i32, coefPtr: usize, chance: f64, judge: f64, slope: f64,
  gammaPtr: usize, ng: i32, rhoPtr: usize, nr: i32, u0Ptr: usize, nu: i32, depthsPtr: usize, nd: i32,
  alphaOut: usize, sOut: usize, regimeOut: usize, uLPtr: usize,
): void {
  pb = b; pCoef = coefPtr; pChance = chance; pJudge = judge;
  uLOut = uLPtr;
  const fast = prepareFast(b, chance, judge) && prepareStops(depthsPtr, nd);
  let deep: i32 = 0;
  for (let k = 0; k < nd; k++) deep = max(deep, load<i32>(depthsPtr + (<usize>k << 2)));
  const lnB = Math.log(<f64>b);
  const f0 = skillMap(0.0); // > 0 for a judge over finite K: then chance is not a fixed point unless ρ = 1
  for (let ig = 0; ig < ng; ig++) {
    const gamma = load<f64>(gammaPtr + (<usize>ig << 3));
    // M(γ) = max over (0, γ] of F(x)/x: grid scan, then golden section around the best cell.
    // With the fast form the scan only locates the best cell; every value compared with 1 below is a
    // stable skillMap value.
    let best: f64 = -Infinity;
    let bestI: i32 = SCAN;
    for (let i = 1; i <= SCAN; i++) {
      const x = gamma * <f64>i / <f64>SCAN;
      const v = (fast ? fastSkill(b, x) : skillMap(x)) / x;
      if (v > best) { best = v; bestI = i; }
    }
    if (fast) {
      const x = gamma * <f64>bestI / <f64>SCAN;
      best = skillMap(x) / x;
    }
    if (gamma > 0.0) {
      let lo = gamma * <f64>max(bestI - 1, 1) / <f64>SCAN;
      let hi = gamma * <f64>min(bestI + 1, SCAN) / <f64>SCAN;
      for (let k = 0; k < 40; k++) {
        const a = hi - 0.6180339887498949 * (hi - lo);
        const c = lo + 0.6180339887498949 * (hi - lo);
        if (skillMap(a) / a > skillMap(c) / c) hi = c; else lo = a;
      }
      const mid = 0.5 * (lo + hi);
      best = max(best, skillMap(mid) / mid);
    }
    for (let ir = 0; ir < nr; ir++) {
      const rho = load<f64>(rhoPtr + (<usize>ir << 3));
      // α in the library's order of operations (pluralityLevelDerivative at 0), so the α = 1 tests agree bit for bit
      const a = rho * gamma + (1.0 - rho) * gamma * slope;
      const mu = gamma * (rho + (1.0 - rho) * best);
      const sExp = Math.log(a) / lnB; // s = ln α / ln b, as organizationExponent
      let regime: u8;
      // identity as pluralityPhaseStructure: γ = 1 with ρ = 1, or b = 2 plurality (F_{2,K}(s) = s)
      if (gamma == 1.0 && (rho == 1.0 || (b == 2 && judge == 0.0))) regime = REGIME_IDENTITY;
      else if (a > 1.0 || (1.0 - rho) * f0 > 1e-14) regime = REGIME_AMPLIFYING;
      // on the line α = 1 the first-order test is silent: chance repels iff S(s) > s just above it
      else if (a == 1.0 && rho * gamma + (1.0 - rho) * skillMap(gamma / <f64>SCAN) * <f64>SCAN > 1.0) regime = REGIME_AMPLIFYING;
      // the tangency rule (TANGENCY_TOLERANCE): a saddle-node, or a near miss within τ, is bistable
      else if (mu >= 1.0 - TANGENCY && gamma > 0.0) regime = REGIME_BISTABLE;
      else regime = a == 1.0 ? REGIME_CRITICAL : REGIME_SUBCRITICAL;
      for (let iu = 0; iu < nu; iu++) {
        const cell = (<usize>(ig * nr + ir)) * <usize>nu + <usize>iu;
        store<f64>(alphaOut + (cell << 3), a);
        store<f64>(sOut + (cell << 3), sExp);
        store<u8>(regimeOut + cell, regime);
      }
      if (fast) continue;
      const rg = rho * gamma;
      const om = 1.0 - rho;
      for (let iu = 0; iu < nu; iu++) {
        const cell = (<usize>(ig * nr + ir)) * <usize>nu + <usize>iu;
        let s = load<f64>(u0Ptr + (<usize>iu << 3));
        for (let l = 0; l <= deep; l++) {
          storeLevel(depthsPtr, nd, cell, l, s);
          if (l < deep) s = rg * s + om * skillMap(gamma * s);
        }
      }
    }
    if (!fast) continue;
    // f_k·γ^k for this row, then the cells: four ρ-neighbours per two v128 in the SIMD build, two
    // interleaved scalars otherwise; the same operations per cell either way (bit-identical).
    let gk: f64 = 1.0;
    for (let k = 0; k <= b; k++) {
      store<f64>(fastRow + (<usize>k << 3), load<f64>(fastF + (<usize>k << 3)) * gk);
      gk *= gamma;
    }
    const rowCell = <usize>(ig * nr) * <usize>nu;
    let ir = 0;
    if (ASC_FEATURE_SIMD) {
      for (; ir + 3 < nr; ir += 4) {
        for (let j = 0; j < 4; j++) fillCell(b, j, load<f64>(rhoPtr + (<usize>(ir + j) << 3)), gamma);
        for (let iu = 0; iu < nu; iu++) {
          const c0 = rowCell + <usize>ir * <usize>nu + <usize>iu;
          fastQuad(b, load<f64>(u0Ptr + (<usize>iu << 3)), depthsPtr, nd, c0, c0 + <usize>nu, c0 + 2 * <usize>nu, c0 + 3 * <usize>nu);
        }
      }
    }
    for (; ir < nr; ir += 2) {
      const two = ir + 1 < nr;
      fillCell(b, 0, load<f64>(rhoPtr + (<usize>ir << 3)), gamma);
      if (two) fillCell(b, 1, load<f64>(rhoPtr + (<usize>(ir + 1) << 3)), gamma);
      for (let iu = 0; iu < nu; iu++) {
        const c0 = rowCell + <usize>ir * <usize>nu + <usize>iu;
        const s0 = load<f64>(u0Ptr + (<usize>iu << 3));
        fastPairScalar(b, s0, depthsPtr, nd, c0, c0 + <usize>nu, two);
      }
    }
  }
}
