// SPEC §D3 — the continuous simulator: Gaussian leaf errors with pairwise correlation ρ, N(0, σ²)
// noise on every message, averaging aggregators. The truth θ is 0, so an estimate is its own error.
// Writes Σ err² and Σ err⁴ over the chunk's trials (the fourth powers give the risk's standard error).
import { reserve } from '../arena';
import { chunkSeed, normal, randomSign, seedStreams, uniformIndex, LANE_STATE_BYTES } from './random';

export const STAR: i32 = 0;
export const CHAIN: i32 = 1;
export const TREE: i32 = 2;

/**
 * kind STAR or CHAIN: `size` = N agents, one trial = one organization. kind TREE: `size` = fan-in b,
 * level by level with a population of `trials` nodes per level; a trial is a root-population member.
 * Returns 0, or −1 if memory cannot grow.
 */
export function mcContinuous(
  kind: i32, size: i32, depth: i32, v: f64, rho: f64, sigma2: f64,
  seed: f64, cell: f64, chunk: f64, trials: i32, scratch: usize, outPtr: usize,
): i32 {
  const lanes = (scratch + 63) & ~(<usize>63);
  const popA = lanes + LANE_STATE_BYTES;
  const popB = popA + (<usize>trials << 3);
  const need = kind == TREE ? popB + (<usize>trials << 3) : popA;
  if (reserve(need - reserve(0)) == 0) return -1;
  seedStreams(chunkSeed(<u64>seed, <u64>cell, <u64>chunk), lanes);
  const sv = Math.sqrt(v);
  const sShared = Math.sqrt(rho);
  const sOwn = Math.sqrt(1.0 - rho);
  const sigma = Math.sqrt(sigma2);
  let s2 = 0.0, s4 = 0.0;

  if (kind == STAR || kind == CHAIN) {
    const n = size;
    for (let t = 0; t < trials; t++) {
      // Leaf errors e_i = √v·(√ρ·Z_0 + √(1 − ρ)·Z_i).
      const z0 = sShared * normal();
      let err = 0.0;
      if (kind == STAR) {
        // The root averages the N received estimates e_i + noise_i (§C1).
        let sum = 0.0;
        for (let i = 0; i < n; i++) sum += sv * (z0 + sOwn * normal()) + sigma * normal();
        err = sum / <f64>n;
      } else {
        // Agent k receives the running estimate through one message and outputs the mean of k
        // estimates: y_k = ((k − 1)·(y_{k−1} + noise_k) + e_k)/k (§C3).
        err = sv * (z0 + sOwn * normal());
        for (let k = 2; k <= n; k++) {
          const e = sv * (z0 + sOwn * normal());
          err = (<f64>(k - 1) * (err + sigma * normal()) + e) / <f64>k;
        }
      }
      const sq = err * err;
      s2 += sq;
      s4 += sq * sq;
    }
  } else {
    // §D3 tree: each parent picks b children and one more member G from the level below, gives the
    // children the shared component √ρ·G + √(1 − ρ)·e_i, adds message noise and averages.
    // Every picked member also gets an independent random sign. In the ideal model (an infinite
    // population) the picks are independent, zero-mean and symmetric, so the signs change nothing;
    // in a finite population they remove the one artefact of the recipe: without them the
    // population's sample mean m̂ is multiplied by √ρ + √(1 − ρ) ≥ 1 at every level (up to √2 at
    // ρ = 1/2, ~1000× over 20 levels). With them, E[M̂_ℓ | level below] = a·M̂_{ℓ−1} + σ²/b holds
    // exactly for the population's second moment M̂: the §C2 recursion, no theory variances used.
    const b = size;
    const n = <u64>trials;
    let current = popA, next = popB;
    for (let t: usize = 0; t < <usize>trials; t++) store<f64>(current + (t << 3), sv * normal());
    for (let level = 0; level < depth; level++) {
      for (let t: usize = 0; t < <usize>trials; t++) {
        const g = randomSign() * load<f64>(current + (<usize>uniformIndex(n) << 3));
        let sum = 0.0;
        for (let i = 0; i < b; i++) {
          const e = randomSign() * load<f64>(current + (<usize>uniformIndex(n) << 3));
          sum += sShared * g + sOwn * e + sigma * normal();
        }
        store<f64>(next + (t << 3), sum / <f64>b);
      }
      const tmp = current;
      current = next;
      next = tmp;
    }
    for (let t: usize = 0; t < <usize>trials; t++) {
      const x = load<f64>(current + (t << 3));
      const sq = x * x;
      s2 += sq;
      s4 += sq * sq;
    }
  }
  store<f64>(outPtr, s2);
  store<f64>(outPtr, s4, 8);
  return 0;
}
