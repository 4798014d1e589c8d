// SPEC §D4 — the random streams of one simulation chunk.
//
// A chunk is a pure function of (master seed, cell, chunk): the three integers are hashed into one
// 64-bit value, SplitMix64 expands it into three xoshiro256** states:
//   * streams A and B feed the bit-parallel words: a lane group is 128 trials, lanes 0–63 take their
//     bits from A and lanes 64–127 from B. Their states live in the arena interleaved
//     (s0A s0B s1A s1B s2A s2B s3A s3B) so the SIMD build steps both with one v128 per s_k and the
//     plain build steps the same two streams with u64 pairs: both flavours see identical bits.
//   * stream C feeds the scalar draws (population picks, Beta leaf accuracies, normals), held in
//     globals.
// xoshiro256** (not a "+" variant) because every output bit is used as a random bit.

export const GOLDEN: u64 = 0x9e3779b97f4a7c15;
/** Separates these streams from any other use of the same seed hash. */
const DOMAIN: u64 = 0x6d6f6e7465636172; // "montecar"

/** Bytes of the interleaved A/B state in the arena. */
export const LANE_STATE_BYTES: usize = 64;

/** SplitMix64's output function (the MurmurHash3 64-bit finalizer variant): a bijection of u64. */
// @ts-ignore: decorator
@inline export function mix64(z: u64): u64 {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9;
  z = (z ^ (z >> 27)) * 0x94d049bb133111eb;
  return z ^ (z >> 31);
}

/**
 * The SplitMix64 seed of a chunk, §D4. Each step h ← mix64(h ⊕ x) is a bijection in x for a fixed
 * h, so different cells of one seed (and different chunks of one cell) never share a seed.
 */
export function chunkSeed(seed: u64, cell: u64, chunk: u64): u64 {
  let h = mix64(seed ^ DOMAIN);
  h = mix64(h ^ cell) + GOLDEN;
  h = mix64(h ^ chunk);
  return h;
}

// Stream C, the scalar stream.
let c0: u64 = 1;
let c1: u64 = 2;
let c2: u64 = 3;
let c3: u64 = 4;
/** A second normal from the polar method, kept for the next call (reset with the seed). */
let spareNormal: f64 = 0.0;
let hasSpare: bool = false;

/** Unused random sign bits of stream C (see randomSign). */
let signBits: u64 = 0;
let signCount: i32 = 0;

/** Where the interleaved A/B state of the current call lives. */
export let laneState: usize = 0;

/** Seeds streams A, B (at `lanes`) and C from one chunk seed with SplitMix64. */
export function seedStreams(h: u64, lanes: usize): void {
  let x = h;
  // A: s0..s3 at lanes + 16k, B: s0..s3 at lanes + 16k + 8, C: globals.
  for (let k: usize = 0; k < 4; k++) {
    x += GOLDEN;
    store<u64>(lanes + (k << 4), mix64(x));
  }
  for (let k: usize = 0; k < 4; k++) {
    x += GOLDEN;
    store<u64>(lanes + (k << 4) + 8, mix64(x));
  }
  x += GOLDEN; c0 = mix64(x);
  x += GOLDEN; c1 = mix64(x);
  x += GOLDEN; c2 = mix64(x);
  x += GOLDEN; c3 = mix64(x);
  laneState = lanes;
  hasSpare = false;
  signCount = 0;
}

/** Points the A/B streams at an existing interleaved state (tests). */
export function setLaneState(lanes: usize): void {
  laneState = lanes;
}

/** Sets stream C directly (tests against the published reference output). */
export function setScalarState(s0: u64, s1: u64, s2: u64, s3: u64): void {
  c0 = s0; c1 = s1; c2 = s2; c3 = s3;
  hasSpare = false;
}

/** The next output of stream C: xoshiro256** (Blackman & Vigna 2018). */
// @ts-ignore: decorator
@inline export function nextScalar(): u64 {
  const result = rotl<u64>(c1 * 5, 7) * 9;
  const t = c1 << 17;
  c2 ^= c0;
  c3 ^= c1;
  c1 ^= c2;
  c0 ^= c3;
  c2 ^= t;
  c3 = rotl<u64>(c3, 45);
  return result;
}

const TWO_M53: f64 = 1.0 / 9007199254740992.0;

/** Uniform on the open interval (0, 1): 53 random bits, centred in their cell, never 0 or 1. */
export function uniformOpen(): f64 {
  return (<f64>(nextScalar() >> 11) + 0.5) * TWO_M53;
}

/** Standard normal by the Marsaglia polar method (two per accepted pair; the second is kept). */
export function normal(): f64 {
  if (hasSpare) {
    hasSpare = false;
    return spareNormal;
  }
  let x: f64, y: f64, s: f64;
  do {
    x = 2.0 * uniformOpen() - 1.0;
    y = 2.0 * uniformOpen() - 1.0;
    s = x * x + y * y;
  } while (s >= 1.0 || s == 0.0);
  const f = Math.sqrt(-2.0 * Math.log(s) / s);
  spareNormal = y * f;
  hasSpare = true;
  return x * f;
}

/** ±1 with probability 1/2 each, one bit of stream C at a time. */
export function randomSign(): f64 {
  if (signCount == 0) {
    signBits = nextScalar();
    signCount = 64;
  }
  const bit = signBits & 1;
  signBits >>= 1;
  signCount--;
  return bit ? -1.0 : 1.0;
}

/**
 * Uniform integer in [0, n), n ≤ 2^32, exactly (Lemire's multiply-shift with rejection on the top
 * 32 bits of an output).
 */
// @ts-ignore: decorator
@inline export function uniformIndex(n: u64): u64 {
  let m = (nextScalar() >> 32) * n;
  if ((m & 0xffffffff) < n) {
    const threshold: u64 = (<u64>0x100000000 - n) % n;
    while ((m & 0xffffffff) < threshold) m = (nextScalar() >> 32) * n;
  }
  return m >> 32;
}

/** Gamma(shape, 1) by Marsaglia & Tsang (2000); shape < 1 through Gamma(shape + 1)·U^(1/shape). */
export function gammaSample(shape: f64): f64 {
  let boost = 1.0;
  if (shape < 1.0) {
    boost = Math.pow(uniformOpen(), 1.0 / shape);
    shape += 1.0;
  }
  const d = shape - 1.0 / 3.0;
  const c = 1.0 / Math.sqrt(9.0 * d);
  while (true) {
    const x = normal();
    let v = 1.0 + c * x;
    if (v <= 0.0) continue;
    v = v * v * v;
    const u = uniformOpen();
    if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v * boost;
  }
  return 0.0; // unreachable
}

/** Beta(a, b) as X/(X + Y) with X ~ Gamma(a), Y ~ Gamma(b). */
export function betaSample(a: f64, b: f64): f64 {
  const x = gammaSample(a);
  const y = gammaSample(b);
  const s = x + y;
  // Both can underflow to 0 for tiny shapes; then the draw is (in the limit) a coin with P(1) = a/(a+b).
  if (s == 0.0) return uniformOpen() < a / (a + b) ? 1.0 : 0.0;
  return x / s;
}

// --- test exports: reference outputs of the generators -------------------------------------------

/** Writes n outputs of xoshiro256** started from the state at statePtr (4 × u64) to outPtr. */
export function mcXoshiroFill(statePtr: usize, outPtr: usize, n: i32): void {
  setScalarState(load<u64>(statePtr), load<u64>(statePtr, 8), load<u64>(statePtr, 16), load<u64>(statePtr, 24));
  for (let i = 0; i < n; i++) store<u64>(outPtr + (<usize>i << 3), nextScalar());
}

/** Writes n outputs of SplitMix64 started from the state at statePtr (one u64) to outPtr. */
export function mcSplitMixFill(statePtr: usize, outPtr: usize, n: i32): void {
  let x = load<u64>(statePtr);
  for (let i = 0; i < n; i++) {
    x += GOLDEN;
    store<u64>(outPtr + (<usize>i << 3), mix64(x));
  }
}

/** The chunk seed of §D4 (written as one u64 at outPtr). */
export function mcChunkSeed(seed: f64, cell: f64, chunk: f64, outPtr: usize): void {
  store<u64>(outPtr, chunkSeed(<u64>seed, <u64>cell, <u64>chunk));
}
