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

const REGIME_SUBCRITICAL: f64 = 0;
const REGIME_CRITICAL: f64 = 1;
const REGIME_BISTABLE: f64 = 2;
const REGIME_AMPLIFYING: f64 = 3;
const REGIME_IDENTITY: f64 = 4;
const SCAN: i32 = 2048;

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

export function pluralityGrid(
  b: i32, coefPtr: usize, chance: f64, judge: f64, slope: f64,
  gammaPtr: usize, ng: i32, rhoPtr: usize, nr: i32, u0Ptr: usize, nu: i32, depthsPtr: usize, nd: i32,
  alphaOut: usize, regimeOut: usize, uLOut: usize,
): void {
  pb = b; pCoef = coefPtr; pChance = chance; pJudge = judge;
  let deep: i32 = 0;
  for (let k = 0; k < nd; k++) deep = max(deep, load<i32>(depthsPtr + (<usize>k << 2)));
  const f0 = skillMap(0.0); // > 0 for a judge over finite K: then chance is not a fixed point unless ρ = 1
  for (let ig = 0; ig < ng; ig++) {
    const gamma = load<f64>(gammaPtr + (<usize>ig << 3));
    // M(γ) = max over (0, γ] of F(x)/x: grid scan, then golden section around the best cell.
    let best: f64 = -Infinity;
    let bestI: i32 = SCAN;
    for (let i = 1; i <= SCAN; i++) {
      const x = gamma * <f64>i / <f64>SCAN;
      const v = skillMap(x) / x;
      if (v > best) { best = v; bestI = i; }
    }
    if (gamma > 0.0) {
      let lo = gamma * <f64>(bestI - 1) / <f64>SCAN;
      let hi = gamma * <f64>min(bestI + 1, SCAN) / <f64>SCAN;
      if (lo <= 0.0) lo = hi * 1e-9;
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
      const a = gamma * (rho + (1.0 - rho) * slope);
      const mu = gamma * (rho + (1.0 - rho) * best);
      let regime: f64;
      if (gamma == 1.0 && rho == 1.0) regime = REGIME_IDENTITY;
      else if (a > 1.0 || (1.0 - rho) * f0 > 1e-14) regime = REGIME_AMPLIFYING;
      // on the line α = 1 the first-order test is silent: chance repels iff S(s) > s just above it
      else if (a == 1.0 && rho * gamma + (1.0 - rho) * skillMap(gamma / <f64>SCAN) * <f64>SCAN > 1.0) regime = REGIME_AMPLIFYING;
      else if (mu >= 1.0 - 1e-14 && gamma > 0.0) regime = REGIME_BISTABLE;
      else regime = a == 1.0 ? REGIME_CRITICAL : REGIME_SUBCRITICAL;
      const rg = rho * gamma;
      const om = 1.0 - rho;
      for (let iu = 0; iu < nu; iu++) {
        const cell = (<usize>(ig * nr + ir)) * <usize>nu + <usize>iu;
        store<f64>(alphaOut + (cell << 3), a);
        store<f64>(regimeOut + (cell << 3), regime);
        let s = load<f64>(u0Ptr + (<usize>iu << 3));
        for (let l = 0; l <= deep; l++) {
          for (let k = 0; k < nd; k++) {
            if (load<i32>(depthsPtr + (<usize>k << 2)) == l) store<f64>(uLOut + ((cell * <usize>nd + <usize>k) << 3), s);
          }
          if (l < deep) s = rg * s + om * skillMap(gamma * s);
        }
      }
    }
  }
}
