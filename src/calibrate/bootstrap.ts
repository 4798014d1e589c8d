// Bootstrap intervals shared by the §G estimators: seeded resamples (see random.ts), percentile and
// BCa intervals, and the options every estimator takes.
import { checkInteger, checkNumber } from '../errors.ts';
import { DEFAULT_SEED, MAX_SEED } from '../simulate/tree.ts';

export interface BootstrapOptions {
  /** Resamples (default 1000; 0 skips the bootstrap and leaves intervals null). */
  bootstrap?: number;
  /** Two-sided interval level in (0, 1), default 0.95. */
  level?: number;
  /** Master seed, an integer in [0, 2^53 − 1] (default DEFAULT_SEED = 1): a seed gives identical output. */
  seed?: number;
}

export interface ResolvedBootstrap {
  bootstrap: number;
  level: number;
  seed: number;
}

export const DEFAULT_BOOTSTRAP = 1000;
export const DEFAULT_LEVEL = 0.95;
/** The accepted ranges (the CLI checks its flags against the same numbers). */
export const MAX_BOOTSTRAP = 1_000_000;
export const MIN_LEVEL = 0.5;
export const MAX_LEVEL = 0.999999;

export function resolveBootstrap(o: BootstrapOptions = {}): ResolvedBootstrap {
  return {
    bootstrap: checkInteger('bootstrap', o.bootstrap ?? DEFAULT_BOOTSTRAP, 0, MAX_BOOTSTRAP),
    level: checkNumber('level', o.level ?? DEFAULT_LEVEL, MIN_LEVEL, MAX_LEVEL, `a level in [${MIN_LEVEL}, ${MAX_LEVEL}]`),
    seed: checkInteger('seed', o.seed ?? DEFAULT_SEED, 0, MAX_SEED),
  };
}

/** An estimate's bootstrap summary: interval and standard deviation of the resamples. */
export interface Interval {
  lower: number;
  upper: number;
  /** Standard deviation of the bootstrap replicates (the bootstrap standard error). */
  stdError: number;
  /** How the bounds were found; absent means 'percentile'. */
  method?: 'percentile' | 'BCa';
}

/**
 * Percentile interval at `level` from replicates (non-finite replicates must be filtered out by the
 * caller). Quantiles interpolate linearly between order statistics (type 7). Null when there are
 * fewer than two replicates.
 */
export function percentileInterval(replicates: readonly number[], level: number): Interval | null {
  const xs = replicates.filter(Number.isFinite).sort((a, b) => a - b);
  if (xs.length < 2) return null;
  const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
  const variance = xs.reduce((s, x) => s + (x - mean) ** 2, 0) / (xs.length - 1);
  return { lower: quantile(xs, (1 - level) / 2), upper: quantile(xs, (1 + level) / 2), stdError: Math.sqrt(variance) };
}

/** Type-7 quantile of sorted values. */
export function quantile(sorted: readonly number[], q: number): number {
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

/**
 * Jackknife estimates for the BCa acceleration: value i computed with one unit of data left out,
 * and how many units give that same value (e.g. leaving out any one of the `right` successes of a
 * point gives the same refit).
 */
export interface Jackknife {
  values: readonly number[];
  weights: readonly number[];
}

/**
 * Bias-corrected and accelerated interval (Efron 1987) at `level` from bootstrap replicates of an
 * estimate θ̂. Bias correction z0 = Φ⁻¹(share of replicates below θ̂, ties counted half); acceleration
 * a = Σ w·d³ / (6·(Σ w·d²)^(3/2)) with d = θ̄ − θ_(i) over the jackknife (a = 0 without one); the
 * bounds are the replicates' quantiles at Φ(z0 + (z0 + z)/(1 − a·(z0 + z))) for z = Φ⁻¹((1 ∓ level)/2).
 * It corrects the percentile interval's miss when θ̂ is biased or its spread changes with θ. Falls
 * back to the percentile interval when every replicate lies on one side of θ̂ (z0 infinite).
 */
export function bcaInterval(replicates: readonly number[], estimate: number, level: number, jackknife: Jackknife | null): Interval | null {
  const plain = percentileInterval(replicates, level);
  if (plain === null) return null;
  const xs = replicates.filter(Number.isFinite).sort((a, b) => a - b);
  let below = 0;
  for (const x of xs) below += x < estimate ? 1 : x === estimate ? 0.5 : 0;
  if (below <= 0 || below >= xs.length) return { ...plain, method: 'percentile' };
  const z0 = normalQuantile(below / xs.length);
  let a = 0;
  if (jackknife && jackknife.values.length >= 2) {
    const { values, weights } = jackknife;
    const total = weights.reduce((s, w) => s + w, 0);
    const mean = values.reduce((s, v, i) => s + weights[i] * v, 0) / total;
    let d2 = 0, d3 = 0;
    values.forEach((v, i) => {
      const d = mean - v;
      d2 += weights[i] * d * d;
      d3 += weights[i] * d * d * d;
    });
    if (d2 > 0) a = d3 / (6 * d2 ** 1.5);
  }
  const adjusted = (q: number) => {
    const z = normalQuantile(q);
    const shifted = z0 + (z0 + z) / (1 - a * (z0 + z));
    return normalCdf(shifted);
  };
  const lo = adjusted((1 - level) / 2);
  const hi = adjusted((1 + level) / 2);
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return { ...plain, method: 'percentile' };
  return { lower: quantile(xs, lo), upper: quantile(xs, hi), stdError: plain.stdError, method: 'BCa' };
}

/** Φ(x), the standard normal distribution function (erfc by the Numerical Recipes Chebyshev fit, ~1e-7). */
export function normalCdf(x: number): number {
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.5 * z);
  const erfc = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 +
    t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
  return x >= 0 ? 1 - erfc / 2 : erfc / 2;
}

/** Φ⁻¹(p) for p in (0, 1) (Acklam's rational approximation, ~1.2e-9 relative). */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) return p === 0 ? -Infinity : p === 1 ? Infinity : NaN;
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const low = 0.02425;
  let x: number;
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p));
    x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  } else if (p <= 1 - low) {
    const q = p - 0.5;
    const r = q * q;
    x = ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
  } else {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  return x;
}
