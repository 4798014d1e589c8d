// SPEC §D2 — exact or numerical references for the simulated variants, so every Monte Carlo
// estimate has something to be compared with.
import { checkBias, checkInteger, checkPositive, InvalidParameterError } from '../errors.ts';
import { MAX_DEPTH, treeLevels, type Tree } from './level.ts';
import { kernel } from '../wasm/kernel.ts';
import { checkDifficulty, type Difficulty } from './model.ts';
import { betaShape } from './difficulty.ts';

/**
 * Task heterogeneity (§D2) takes its Beta law as shapes (kind 'heterogeneous', betaA, betaB) or, as
 * the rest of the library describes task difficulty, as the Difficulty of model.ts (kind
 * 'difficulty': mean accuracy μ, dispersion φ = 1/(a + b + 1), §I2), converted by betaShape.
 */
export type HeterogeneousVariant = { kind: 'heterogeneous'; betaA: number; betaB: number } | { kind: 'difficulty'; difficulty: Difficulty };
export type ReferenceVariant = { kind: 'standard' } | { kind: 'channelAfterCopy' } | HeterogeneousVariant;

/** u_L of the composed level maps for one leaf bias, with the variant's level map. */
function composed(levels: ReturnType<typeof treeLevels>, u0: number, depth: number, afterCopy: boolean): number {
  let u = u0;
  const k = kernel.exports;
  for (let l = 0; l < depth; l++) {
    const { b, gamma, rho } = levels[l % levels.length];
    // Channel after the copy: a shared event sends one vote through b channels, so it arrives with
    // bias f_b(γ)·u instead of γ·u (SPEC §D2).
    u = afterCopy ? rho * k.majorityBias(b, gamma) * u + (1 - rho) * k.majorityBias(b, gamma * u) : k.levelMap(b, gamma, rho, u);
  }
  return u;
}

/**
 * The Beta(betaA, betaB) parameters of the heterogeneous variant (§D2), both positive and finite.
 * The former names a and b are refused, pointing to the new ones.
 */
export function checkBetaParameters(v: HeterogeneousVariant): { betaA: number; betaB: number } {
  if (v.kind === 'difficulty') {
    const d = checkDifficulty('variant.difficulty', v.difficulty);
    if (!(d.dispersion > 0) || !(d.mean > 0 && d.mean < 1)) {
      throw new InvalidParameterError('variant.difficulty', "a mean in (0, 1) and a dispersion in (0, 1) (φ = 0 is kind 'standard' with u0 = 2μ − 1)", v.difficulty);
    }
    const { a, b } = betaShape(d);
    return { betaA: a, betaB: b };
  }
  for (const old of ['a', 'b'] as const) {
    if (Object.hasOwn(v, old)) {
      throw new InvalidParameterError(`variant.${old}`, `absent: the Beta parameters are named betaA and betaB (b is the fan-in), e.g. { kind: 'heterogeneous', betaA: 2, betaB: 1.5 }`, (v as unknown as Record<string, unknown>)[old]);
    }
  }
  return { betaA: checkPositive('variant.betaA', v.betaA), betaB: checkPositive('variant.betaB', v.betaB) };
}

/**
 * The exact root bias the simulator estimates (§D2): the composed map of §B6 (standard and per-level
 * trees), the channel-after-copy map ρ·f_b(γ)·u + (1 − ρ)·f_b(γu), or — for task heterogeneity with
 * leaf accuracy p ~ Beta(betaA, betaB) per trial — E[T^L(2p − 1)] by tanh-sinh quadrature (which copes with
 * the endpoint singularities of Beta densities with a or b < 1). u0 is ignored in that case.
 */
export function expectedRootBias(p: { tree: Tree; u0: number; depth: number; variant?: ReferenceVariant }): number {
  const depth = checkInteger('depth', p.depth, 0, MAX_DEPTH);
  const levels = treeLevels(p.tree, depth);
  const variant = p.variant ?? { kind: 'standard' };
  if (variant.kind !== 'heterogeneous' && variant.kind !== 'difficulty') return composed(levels, checkBias('u0', p.u0), depth, variant.kind === 'channelAfterCopy');
  const { betaA: a, betaB: b } = checkBetaParameters(variant);
  const logNorm = logGamma(a + b) - logGamma(a) - logGamma(b);
  return tanhSinh((q, oneMinusQ) => Math.exp(logNorm + (a - 1) * Math.log(q) + (b - 1) * Math.log(oneMinusQ)) * composed(levels, q - oneMinusQ, depth, false));
}

/**
 * ∫_0^1 f(x) dx by the tanh-sinh rule; f receives x and 1 − x (both computed without cancellation,
 * since singular densities need 1 − x accurately near 1). Step h = 1/64 over |t| ≤ 4: about 1e-11
 * relative error on Beta(a, b) moments down to a or b = 0.3 (test/reference.test.ts).
 */
function tanhSinh(f: (x: number, oneMinusX: number) => number): number {
  const h = 1 / 64;
  let sum = 0;
  for (let k = -256; k <= 256; k++) {
    const t = k * h;
    const s = (Math.PI / 2) * Math.sinh(t);
    const cosh = Math.cosh(s);
    // x = (1 + tanh s)/2 = 1/(1 + e^(−2s)), 1 − x = 1/(1 + e^(2s)); dx/dt = (π/4)·cosh t / cosh² s.
    const x = 1 / (1 + Math.exp(-2 * s));
    const y = 1 / (1 + Math.exp(2 * s));
    if (x === 0 || y === 0) continue;
    const weight = ((Math.PI / 4) * Math.cosh(t)) / (cosh * cosh);
    sum += weight * f(x, y);
  }
  return sum * h;
}

/** ln Γ(x) for x > 0 (Lanczos, g = 7, 9 terms; ~1e-15 relative); also used by §I2 (difficulty.ts). */
export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const c = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
  const z = x - 1;
  let s = c[0];
  for (let i = 1; i < 9; i++) s += c[i] / (z + i);
  const t = z + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(s);
}

/**
 * Standard error of the level-by-level simulator's root bias (§D1b) to first order (the delta
 * method), over `trials` root votes drawn as populations of n nodes per level. Each level's n nodes
 * are drawn i.i.d. given the level below, so level ℓ adds sampling noise of variance (1 − u_ℓ²)/n,
 * which the remaining levels propagate with slope T'(u):
 *   Var(û_L) = Σ_{ℓ=0..L} (Π_{k=ℓ..L−1} T_k'(u_k))² · (1 − u_ℓ²)/n,
 * of which the last term (ℓ = L) is the plain binomial variance. Amplifying levels make the
 * earlier terms dominate: the binomial standard error alone then understates the spread. This is
 * only a linearisation: the simulator reports the spread of replicate populations instead, and
 * uses levelsLinearisation to warn where the linearisation fails.
 */
export function levelsStdError(p: { tree: Tree; u0: number; depth: number; trials: number; variant?: ReferenceVariant }): number {
  // Trials as independent populations: the pooled bias is their trial-weighted mean, and the
  // per-population variance scales as 1/n_c, so Var = variance(1)/N whatever the split.
  return Math.sqrt(levelsLinearisation({ ...p, population: p.trials }).variance);
}

/**
 * Second-order moments of ONE level-by-level population of `population` nodes (§D1b). Given level
 * ℓ, the population mean m_{ℓ+1} is the mean of n i.i.d. votes of bias T(m_ℓ) (parents read members
 * picked with replacement), so E[m_{ℓ+1} | m_ℓ] = T(m_ℓ) and Var = (1 − T(m_ℓ)²)/n. Expanding T to
 * second order around the exact trajectory u_ℓ:
 *   V_{ℓ+1} = T'(u_ℓ)²·V_ℓ + (1 − u_{ℓ+1}²)/n,   B_{ℓ+1} = T'(u_ℓ)·B_ℓ + ½·T''(u_ℓ)·V_ℓ,
 * with V_0 = (1 − u_0²)/n, B_0 = 0. `bias` = B_L is the finite-population (Jensen) bias of the
 * estimate (negative where T is concave); `variance` = V_L. `noiseToSignal` = max over levels of
 * √V_ℓ/|u_ℓ| on the levels that still amplify (T'(u_ℓ) > 1): near or above 1/3 a population can
 * cross to the other sign and be carried to −u* (a sign flip), where no expansion holds.
 */
export function levelsLinearisation(p: { tree: Tree; u0: number; depth: number; population: number; variant?: ReferenceVariant }): {
  variance: number; bias: number; noiseToSignal: number;
} {
  const depth = checkInteger('depth', p.depth, 0, MAX_DEPTH);
  const n = checkInteger('population', p.population, 1, Number.MAX_SAFE_INTEGER);
  const levels = treeLevels(p.tree, depth);
  const afterCopy = p.variant?.kind === 'channelAfterCopy';
  const k = kernel.exports;
  let u = checkBias('u0', p.u0);
  let variance = (1 - u * u) / n;
  let bias = 0;
  let noiseToSignal = 0;
  for (let l = 0; l < depth; l++) {
    const { b, gamma, rho } = levels[l % levels.length];
    const x = gamma * u;
    // T'(u) = ρ·γ + (1 − ρ)·γ·f_b'(γu) (after the copy the shared term's slope is f_b(γ));
    // T''(u) = (1 − ρ)·γ²·f_b''(γu), with f_b''(x) = −(b − 1)·x·f_b'(x)/(1 − x²) from §B5.
    const fPrime = k.majorityDerivative(b, x);
    const slope = rho * (afterCopy ? k.majorityBias(b, gamma) : gamma) + (1 - rho) * gamma * fPrime;
    const curvature = x * x < 1 && fPrime > 0 ? -(1 - rho) * gamma * gamma * (b - 1) * x * fPrime / (1 - x * x) : 0;
    if (slope > 1 && u !== 0) noiseToSignal = Math.max(noiseToSignal, Math.sqrt(variance) / Math.abs(u));
    bias = slope * bias + 0.5 * curvature * variance;
    u = composed([levels[l % levels.length]], u, 1, afterCopy);
    variance = slope * slope * variance + (1 - u * u) / n;
  }
  return { variance, bias, noiseToSignal };
}
