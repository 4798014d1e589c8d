// Independent references for the Monte Carlo tests, written from the published algorithm
// definitions (xoshiro256**: Blackman & Vigna 2018; SplitMix64: Steele, Lea & Flood 2014) and from
// the documented seeding and Bernoulli-word rules of SPEC §D4 / assembly/montecarlo, in BigInt.
import { levelMap, majorityBias, majorityDerivative, treeRisk, type Level } from '../../src/index.ts';

const MASK = (1n << 64n) - 1n;
const rotl = (x: bigint, k: bigint): bigint => ((x << k) | (x >> (64n - k))) & MASK;

/** xoshiro256**: advances `s` (4 × u64) in place and returns the output. */
export function xoshiroNext(s: bigint[]): bigint {
  const result = (rotl((s[1] * 5n) & MASK, 7n) * 9n) & MASK;
  const t = (s[1] << 17n) & MASK;
  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = rotl(s[3], 45n);
  return result;
}

const GOLDEN = 0x9e3779b97f4a7c15n;

/** SplitMix64's output mix (a bijection of u64). */
export function mix64(z: bigint): bigint {
  z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK;
  z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK;
  return z ^ (z >> 31n);
}

/** SplitMix64 from state x: n outputs. */
export function splitMix(x: bigint, n: number): bigint[] {
  const out: bigint[] = [];
  for (let i = 0; i < n; i++) {
    x = (x + GOLDEN) & MASK;
    out.push(mix64(x));
  }
  return out;
}

/** The documented chunk seed of §D4: h = mix(seed ⊕ D); h = mix(h ⊕ cell) + G; h = mix(h ⊕ chunk). */
export function chunkSeedReference(seed: number, cell: number, chunk: number): bigint {
  const DOMAIN = 0x6d6f6e7465636172n;
  let h = mix64(BigInt(seed) ^ DOMAIN);
  h = (mix64(h ^ BigInt(cell)) + GOLDEN) & MASK;
  return mix64(h ^ BigInt(chunk));
}

/** Lane streams A and B of a chunk: the first 8 SplitMix64 outputs of its seed. */
export function laneStates(h: bigint): [bigint[], bigint[]] {
  const o = splitMix(h, 8);
  return [o.slice(0, 4), o.slice(4, 8)];
}

/**
 * The documented Bernoulli word: MSB-first comparison of a per-lane uniform with p's 64-bit code,
 * three steps per exit test (STEPS in words.ts), exit when p's remaining bits are 0 or no lane of A or B is undecided.
 * Returns [lanes 0–63, lanes 64–127] and advances both states.
 */
export function bernoulliWordReference(a: bigint[], b: bigint[], p: number): [bigint, bigint] {
  if (!(p > 0)) return [0n, 0n];
  if (p >= 1) return [MASK, MASK];
  let rem = BigInt(Math.floor(p * 2 ** 64)); // the code floor(p·2^64) (p·2^64 itself is exact)
  const res = [0n, 0n];
  const und = [MASK, MASK];
  const states = [a, b];
  do {
    for (let step = 0; step < 3; step++) {
      const bit = (rem >> 63n) & 1n;
      for (let h = 0; h < 2; h++) {
        const r = xoshiroNext(states[h]);
        if (bit) {
          res[h] |= und[h] & ~r & MASK;
          und[h] &= r;
        } else {
          und[h] &= ~r & MASK;
        }
      }
      rem = (rem << 1n) & MASK;
    }
  } while (rem !== 0n && (und[0] | und[1]) !== 0n);
  return [res[0], res[1]];
}

/** Standard deviation of an estimated bias from n independent trials whose true bias is u. */
export function biasSigma(u: number, n: number): number {
  return Math.sqrt(Math.max(0, 1 - u * u) / n);
}

/** T'(u) = ργ + (1 − ρ)·γ·f_b'(γu), §B6. */
export function levelMapSlope(l: Level, u: number): number {
  return l.rho * l.gamma + (1 - l.rho) * l.gamma * majorityDerivative(l.b, l.gamma * u);
}

/**
 * Standard deviation of the root-population bias in mode 'levels' (§D1b) over N trials: level ℓ's
 * sampling noise (1 − u_ℓ²)/N is carried to the root by the slopes of the later level maps
 * (delta method). Independent chunk populations combine to the same expression in total N.
 */
export function levelsSigma(
  levels: readonly Level[], traj: ArrayLike<number>, n: number, slope: (l: Level, u: number) => number = levelMapSlope,
): number {
  const depth = traj.length - 1;
  let variance = 0;
  for (let l = 0; l <= depth; l++) {
    let gain = 1;
    for (let k = l + 1; k <= depth; k++) gain *= slope(levels[(k - 1) % levels.length], traj[k - 1]);
    variance += ((1 - traj[l] ** 2) / n) * gain * gain;
  }
  return Math.sqrt(variance);
}

/** Slope of the channel-after-copy map: ρ·f_b(γ) + (1 − ρ)·γ·f_b'(γu). */
export function channelAfterCopySlope(l: Level, u: number): number {
  return l.rho * majorityBias(l.b, l.gamma) + (1 - l.rho) * l.gamma * majorityDerivative(l.b, l.gamma * u);
}

/** §D2 channel-after-copy map ρ·f_b(γ)·u + (1 − ρ)·f_b(γu), iterated. */
export function channelAfterCopyTrajectory(levels: readonly Level[], u0: number, depth: number): number {
  let u = u0;
  for (let l = 0; l < depth; l++) {
    const { b, gamma, rho } = levels[l % levels.length];
    u = rho * majorityBias(b, gamma) * u + (1 - rho) * majorityBias(b, gamma * u);
  }
  return u;
}

/**
 * §D2 heterogeneity: E[T^L(2p − 1)] for p ~ Beta(a, b) (a, b ≥ 1), by composite Simpson in p; the
 * Beta normalization is the same rule applied to the density (so no Beta function is needed).
 */
export function heterogeneousReference(levels: readonly Level[], a: number, b: number, depth: number, intervals = 4000): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i <= intervals; i++) {
    const p = i / intervals;
    const w = (i === 0 || i === intervals ? 1 : i % 2 ? 4 : 2) * p ** (a - 1) * (1 - p) ** (b - 1);
    let u = 2 * p - 1;
    for (let l = 0; l < depth; l++) u = levelMap(levels[l % levels.length], u);
    num += w * u;
    den += w;
  }
  return num / den;
}

/**
 * Standard deviation of the continuous level-wise tree's risk estimate (§D3) over N trials: each
 * level's population second moment has sampling noise 2·V_ℓ²/N (Gaussian fourth moment), carried
 * to the root by the factor a = ρ + (1 − ρ)/b per level of the §C2 recursion.
 */
export function continuousTreeSigma(v: number, rho: number, sigma2: number, b: number, depth: number, n: number): number {
  const a = rho + (1 - rho) / b;
  let variance = 0;
  for (let l = 0; l <= depth; l++) {
    const vl = treeRisk({ v, rho, sigma2, b, depth: l }).risk;
    variance += ((2 * vl * vl) / n) * a ** (2 * (depth - l));
  }
  return Math.sqrt(variance);
}
