// Bootstrap intervals shared by the §G estimators: seeded resamples (see random.ts), percentile
// intervals, and the options every estimator takes.
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

/** An estimate's bootstrap summary: percentile interval and standard deviation of the resamples. */
export interface Interval {
  lower: number;
  upper: number;
  /** Standard deviation of the bootstrap replicates (the bootstrap standard error). */
  stdError: number;
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
