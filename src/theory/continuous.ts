// SPEC §C — the continuous warm-up: leaves estimate θ with error variance v and pairwise error
// correlation ρ, every message adds independent noise of variance σ²(m), aggregators average, and
// risk is mean squared error.
import { checkInteger, checkNonNegative, checkPositive, checkUnit, InvalidParameterError } from '../errors.ts';
import { checkTable, interpolate, type MonotoneTable } from './monotoneTable.ts';

/** Message-noise families σ²(m) of §C. */
export type NoiseCurve =
  | { kind: 'constant'; sigma2: number }
  | { kind: 'exponential'; sigma02: number; m0: number } // σ0²·e^(−m/m0)
  | { kind: 'power'; sigma02: number; m0: number; kappa: number } // σ0²·(m/m0)^(−κ)
  | { kind: 'table'; m: readonly number[]; sigma2: readonly number[] }; // monotone (non-increasing)

const tables = new WeakMap<object, MonotoneTable>();

export function checkNoiseCurve(curve: unknown, name = 'noise'): NoiseCurve {
  if (typeof curve !== 'object' || curve === null) {
    throw new InvalidParameterError(name, "{ kind: 'constant' | 'exponential' | 'power' | 'table', … }", curve);
  }
  const c = curve as NoiseCurve;
  switch (c.kind) {
    case 'constant':
      checkNonNegative(`${name}.sigma2`, c.sigma2);
      break;
    case 'exponential':
      checkNonNegative(`${name}.sigma02`, c.sigma02);
      checkPositive(`${name}.m0`, c.m0);
      break;
    case 'power':
      checkNonNegative(`${name}.sigma02`, c.sigma02);
      checkPositive(`${name}.m0`, c.m0);
      checkPositive(`${name}.kappa`, c.kappa);
      break;
    case 'table':
      if (!tables.has(c)) {
        const table = checkTable(`${name}.m`, c.m, c.sigma2, 'decreasing');
        c.sigma2.forEach((s, i) => checkNonNegative(`${name}.sigma2[${i}]`, s));
        tables.set(c, table);
      }
      break;
    default:
      throw new InvalidParameterError(`${name}.kind`, "'constant', 'exponential', 'power' or 'table'", (c as { kind?: unknown }).kind);
  }
  return c;
}

/** σ²(m) for a message of m tokens (the power family needs m > 0). */
export function messageNoise(curve: NoiseCurve, m: number): number {
  checkNoiseCurve(curve);
  checkNonNegative('m', m);
  switch (curve.kind) {
    case 'constant':
      return curve.sigma2;
    case 'exponential':
      return curve.sigma02 * Math.exp(-m / curve.m0);
    case 'power':
      return curve.sigma02 * Math.pow(checkPositive('m', m) / curve.m0, -curve.kappa);
    case 'table':
      return interpolate(tables.get(curve)!, m);
  }
}

/** Default continuous leaf law v(x) = v_1·x^(−β) (§C). */
export function leafVariance(p: { v1: number; beta: number; compute: number }): number {
  return checkPositive('v1', p.v1) * Math.pow(checkPositive('compute', p.compute), -checkPositive('beta', p.beta));
}

export interface ContinuousRisk {
  /** Mean squared error of the root estimate. */
  risk: number;
  /** The limit the risk approaches as the organization grows (star: N → ∞; tree: depth → ∞). */
  floor: number;
}

/**
 * rhoTask is the organization-wide correlation of §I1 (default 0): e_i = √v·(√ρ_task·Z_0 +
 * √(1 − ρ_task)·ε_i), ε_i correlated ρ among siblings. The shared part √(ρ_task·v)·Z_0 passes every
 * average unchanged and message noise is independent of it, so every organization's risk is
 * ρ_task·v + R(v·(1 − ρ_task)) with R the ρ_task = 0 risk (§C4: one scope for all organizations).
 */
type Common = { v: number; rho: number; sigma2: number; rhoTask?: number };

function checkCommon(p: Common): Required<Common> {
  return {
    v: checkNonNegative('v', p.v), rho: checkUnit('rho', p.rho), sigma2: checkNonNegative('sigma2', p.sigma2),
    rhoTask: checkUnit('rhoTask', p.rhoTask ?? 0),
  };
}

/** ρ_eff = ρ_task + (1 − ρ_task)·ρ: the pairwise correlation of any two leaves of a star or chain (§I1). */
export function effectiveRho(rho: number, rhoTask: number): number {
  return checkUnit('rhoTask', rhoTask) + (1 - rhoTask) * checkUnit('rho', rho);
}

/**
 * §C1 star over N leaves: R = v·(ρ + (1 − ρ)/N) + σ²/N; floor ρ·v. Under §I1 ρ becomes
 * ρ_eff = ρ_task + (1 − ρ_task)·ρ (identical to ρ_task·v + R_star(v·(1 − ρ_task))).
 */
export function starRisk(p: Common & { leaves: number }): ContinuousRisk {
  const { v, rho: rhoSibling, sigma2, rhoTask } = checkCommon(p);
  const rho = effectiveRho(rhoSibling, rhoTask);
  const n = checkInteger('leaves', p.leaves, 1, Number.MAX_SAFE_INTEGER);
  return { risk: v * (rho + (1 - rho) / n) + sigma2 / n, floor: rho * v };
}

/**
 * §C2 tree of fan-in b and depth L: with a = ρ + (1 − ρ)/b, R_L = a^L·v + (σ²/b)·(1 − a^L)/(1 − a).
 * The floor is v* = σ²/((b − 1)(1 − ρ)) (Infinity at ρ = 1, where R_L = v + L·σ²/b grows without
 * bound). Averaging trees need not have odd fan-in: any integer b ≥ 2. Under §I1 the risk is
 * ρ_task·v + R_L(v·(1 − ρ_task)) and the floor ρ_task·v + v*: depth cannot average the shared part away.
 */
export function treeRisk(p: Common & { b: number; depth: number }): ContinuousRisk {
  const { v: vAll, rho, sigma2, rhoTask } = checkCommon(p);
  const shared = rhoTask * vAll;
  const v = vAll * (1 - rhoTask);
  const b = checkInteger('b', p.b, 2, Number.MAX_SAFE_INTEGER);
  const depth = checkInteger('depth', p.depth, 0, 1e9);
  // 1 − a = (1 − ρ)(1 − 1/b) is formed directly (a itself rounds badly near 1), and
  // (1 − a^L)/(1 − a) = −expm1(L·ln a)/(1 − a) avoids cancellation; it is L at a = 1.
  const oneMinusA = (1 - rho) * (1 - 1 / b);
  const logA = Math.log1p(-oneMinusA);
  const aL = Math.exp(depth * logA);
  const geometric = oneMinusA === 0 ? depth : -Math.expm1(depth * logA) / oneMinusA;
  // At ρ = 1 and σ² = 0 every variance is a fixed point of the recursion, so the floor is v itself.
  const floor = rho === 1 && sigma2 === 0 ? v : treeRiskFloor({ rho, sigma2, b });
  return { risk: shared + aL * v + (sigma2 / b) * geometric, floor: shared + floor };
}

/**
 * §C2 floor v* = σ²/((b − 1)(1 − ρ)); if v < v*, depth makes things worse. NaN at ρ = 1, σ² = 0,
 * where every variance is fixed.
 */
export function treeRiskFloor(p: { rho: number; sigma2: number; b: number }): number {
  const rho = checkUnit('rho', p.rho);
  const sigma2 = checkNonNegative('sigma2', p.sigma2);
  const b = checkInteger('b', p.b, 2, Number.MAX_SAFE_INTEGER);
  if (rho === 1) return sigma2 === 0 ? NaN : Infinity;
  return sigma2 / ((b - 1) * (1 - rho));
}

/**
 * §C3 chain of N agents (our model): R = v·(ρ + (1 − ρ)/N) + σ²·(N − 1)(2N − 1)/(6N). No fan-in
 * limit, but message noise accumulates: the floor is Infinity whenever σ² > 0. Under §I1 the
 * chain's N estimates are pairwise correlated ρ_eff (the running mean is the mean of all N), so
 * ρ → ρ_eff exactly as for the star (= ρ_task·v + R_chain(v·(1 − ρ_task))).
 */
export function chainRisk(p: Common & { leaves: number }): ContinuousRisk {
  const { v, rho: rhoSibling, sigma2, rhoTask } = checkCommon(p);
  const rho = effectiveRho(rhoSibling, rhoTask);
  const n = checkInteger('leaves', p.leaves, 1, Number.MAX_SAFE_INTEGER);
  return {
    risk: v * (rho + (1 - rho) / n) + (sigma2 * (n - 1) * (2 * n - 1)) / (6 * n),
    floor: sigma2 > 0 ? Infinity : rho * v,
  };
}
