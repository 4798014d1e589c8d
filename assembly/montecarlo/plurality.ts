// SPEC §H6 — plurality trees over K answers, simulated one trial at a time from stream C (§D4).
//
// Model (§H1–§H3, §H7, shared failure §B4): a leaf is right with probability p_0, else it picks a
// wrong answer by the distractor profile; every edge is the channel of §H2 (intact with probability
// γ, else replaced by an answer uniform over all K, or by a fresh wrong answer when K = ∞); an
// aggregator reads b ≥ 2 received messages and, independently per aggregator, with probability ρ
// outputs the first one (all b are copies of it, §B4), else a judge (probability v, §H7) outputs the
// right answer when a received message holds it, else the plurality with a uniformly random
// tie-break (§H3).
//
// Answers are i64: 0 is right, 1 … K − 1 wrong (1 is "the dominant distractor" of a dominant or
// vector profile). Open answers (K = ∞, passed as answers = 0): every wrong answer that is drawn gets
// a fresh id from a counter that only grows within a chunk (from 2; 1 is the dominant distractor), so
// two independently drawn wrong answers never coincide; 2^63 ids cannot run out.
//
// This scalar kernel simulates each trial with scalar draws from stream C, so the plain and SIMD
// builds run the same instructions and give identical counts (tested). The full-tree symmetric case
// runs on the bit-sliced kernel of pluralityWords.ts instead (128 trials per word, streams A/B).
import { reserve } from '../arena';
import { chunkSeed, nextScalar, seedStreams, uniformIndex, LANE_STATE_BYTES } from './random';
import { ONE, probabilityCode } from './words';
import { slicedFullTree, SLICED_FRAME_BYTES } from './pluralityWords';

// Level table entry: b (i32), γ code, ρ code, judge code (u64 each).
const E_B: usize = 0;
const E_GAMMA: usize = 8;
const E_RHO: usize = 16;
const E_JUDGE: usize = 24;
const E_BYTES: usize = 32;

/** Distractor profiles (§H1): uniform over the wrong answers, one dominant share δ, a vector (cdf). */
const SYMMETRIC = 0;
const DOMINANT = 1;
const VECTOR = 2;

let table: usize = 0;
let nLevels: i32 = 1;
let answers: i64 = 2;
let profile: i32 = SYMMETRIC;
let deltaCode: u64 = 0;
let cdf: usize = 0;
let nWrong: i32 = 0;
let leafCode: u64 = 0;
let fresh: i64 = 2;
/** Received messages of the aggregator at level ℓ live at frames + (ℓ − 1)·bMax·8. */
let frames: usize = 0;
let bMax: i32 = 2;
/** Per-message counts of the plurality (bMax i32). */
let tally: usize = 0;

// @ts-ignore: decorator
@inline function coin(code: u64): bool {
  return code == ONE || nextScalar() < code;
}

// @ts-ignore: decorator
@inline function entry(level: i32): usize {
  return table + <usize>((level - 1) % nLevels) * E_BYTES;
}

/** A wrong answer drawn by the distractor profile (§H1). */
function wrongAnswer(): i64 {
  if (profile == DOMINANT) {
    if (coin(deltaCode)) return 1;
    if (answers == 0) return fresh++;
    if (answers == 2) return 1;
    return 2 + <i64>uniformIndex(<u64>(answers - 2));
  }
  if (profile == VECTOR) {
    // Smallest i with U < cdf[i] (binary search over the K − 1 cumulative codes).
    const u = nextScalar();
    let lo = 0, hi = nWrong - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (u < load<u64>(cdf + (<usize>mid << 3))) hi = mid;
      else lo = mid + 1;
    }
    return 1 + <i64>lo;
  }
  if (answers == 0) return fresh++;
  return 1 + <i64>uniformIndex(<u64>(answers - 1));
}

// @ts-ignore: decorator
@inline function leaf(): i64 {
  return coin(leafCode) ? 0 : wrongAnswer();
}

/** The channel of §H2 applied to answer a. */
// @ts-ignore: decorator
@inline function channel(a: i64, gammaCode: u64): i64 {
  if (coin(gammaCode)) return a;
  return answers == 0 ? fresh++ : <i64>uniformIndex(<u64>answers);
}

/**
 * The aggregator's output from b received messages at `msgs` (§B4, §H3, §H7). Plurality: count each
 * message's answer among the b (O(b²), b is small), M the largest count, J the number of distinct
 * answers reaching it; the t-th of them (t uniform in [0, J), by first occurrence) wins.
 */
function aggregate(msgs: usize, e: usize, b: i32): i64 {
  if (coin(load<u64>(e + E_RHO))) return load<i64>(msgs);
  const judge = load<u64>(e + E_JUDGE);
  if (judge != 0 && coin(judge)) {
    for (let i = 0; i < b; i++) if (load<i64>(msgs + (<usize>i << 3)) == 0) return 0;
  }
  let M = 0, ties = 0;
  for (let i = 0; i < b; i++) {
    const a = load<i64>(msgs + (<usize>i << 3));
    let c = 0, first = true;
    for (let j = 0; j < b; j++) {
      if (load<i64>(msgs + (<usize>j << 3)) == a) {
        c++;
        if (j < i) first = false;
      }
    }
    // Only first occurrences count as candidates; a repeated answer is marked with 0.
    store<i32>(tally + (<usize>i << 2), first ? c : 0);
    if (first) {
      if (c > M) { M = c; ties = 1; } else if (c == M) ties++;
    }
  }
  let t = ties > 1 ? <i32>uniformIndex(<u64>ties) : 0;
  for (let i = 0; i < b; i++) {
    if (load<i32>(tally + (<usize>i << 2)) == M) {
      if (t == 0) return load<i64>(msgs + (<usize>i << 3));
      t--;
    }
  }
  return -1; // unreachable
}

/** The answer of one node at `level` (0 = leaf) of the full tree, depth first. */
function node(level: i32): i64 {
  if (level == 0) return leaf();
  const e = entry(level);
  const b = load<i32>(e + E_B);
  const g = load<u64>(e + E_GAMMA);
  const msgs = frames + <usize>(level - 1) * <usize>bMax * 8;
  for (let i = 0; i < b; i++) store<i64>(msgs + (<usize>i << 3), channel(node(level - 1), g));
  return aggregate(msgs, e, b);
}

/**
 * One chunk of the plurality simulator (§H6, §D4). mode 0: full tree, every leaf of every trial
 * drawn (§D1a); mode 1: level by level, one population of `trials` nodes per level, each parent
 * reading b members picked uniformly with replacement from the level below (§D1b).
 * Level arrays: b (i32), γ, ρ, v (f64; v = 0 is plurality) of length `levels`, level ℓ using index
 * (ℓ − 1) % levels. answers: K, or 0 for open. profile 0 symmetric, 1 dominant (share δ), 2 vector
 * (cdfPtr: K − 1 cumulative probabilities, f64). Writes [right roots, roots on wrong answer 1] as f64
 * at outPtr; returns the right count, −1 if memory cannot grow.
 */
export function mcPlurality(
  mode: i32, bPtr: usize, gammaPtr: usize, rhoPtr: usize, judgePtr: usize, levels: i32, depth: i32,
  K: i32, p0: f64, kind: i32, delta: f64, cdfPtr: usize, seed: f64, cell: f64, chunk: f64, trials: i32,
  scratch: usize, outPtr: usize,
): i32 {
  const lanes = (scratch + 63) & ~(<usize>63);
  const tableAt = lanes + LANE_STATE_BYTES;
  bMax = 2;
  for (let k = 0; k < levels; k++) bMax = max(bMax, load<i32>(bPtr + (<usize>k << 2)));
  const cdfAt = tableAt + <usize>levels * E_BYTES;
  const nW = kind == VECTOR ? K - 1 : 0;
  const tallyAt = cdfAt + <usize>nW * 8;
  const framesAt = (tallyAt + <usize>bMax * 4 + 7) & ~(<usize>7);
  // Full tree: one frame of b messages per level; level by level: one frame, reused.
  const frameCount: i32 = mode == 0 ? max(depth, 1) : 1;
  const popAt = framesAt + <usize>frameCount * <usize>bMax * 8;
  // The bit-sliced path (pluralityWords.ts): full tree, symmetric, finite K ≤ 2^16, b ≤ 15, no judge.
  let sliced = mode == 0 && kind == SYMMETRIC && K >= 2 && K <= 65536 && bMax <= 15;
  for (let k = 0; k < levels; k++) if (load<f64>(judgePtr + (<usize>k << 3)) != 0.0) sliced = false;
  const end = mode == 1 ? popAt + 2 * <usize>trials * 8 : sliced ? popAt + 1024 + <usize>levels * 16 + <usize>(depth + 3) * SLICED_FRAME_BYTES : popAt;
  const base = reserve(0);
  if (reserve(end - base) == 0) return -1;

  table = tableAt;
  nLevels = levels;
  for (let k = 0; k < levels; k++) {
    const e = tableAt + <usize>k * E_BYTES;
    store<i32>(e + E_B, load<i32>(bPtr + (<usize>k << 2)));
    store<u64>(e + E_GAMMA, probabilityCode(load<f64>(gammaPtr + (<usize>k << 3))));
    store<u64>(e + E_RHO, probabilityCode(load<f64>(rhoPtr + (<usize>k << 3))));
    store<u64>(e + E_JUDGE, probabilityCode(load<f64>(judgePtr + (<usize>k << 3))));
  }
  answers = <i64>K;
  profile = kind;
  deltaCode = probabilityCode(delta);
  cdf = cdfAt;
  nWrong = nW;
  for (let i = 0; i < nW; i++) {
    // The last cumulative code is ONE, so every draw finds a wrong answer.
    const c = i == nW - 1 ? ONE : probabilityCode(load<f64>(cdfPtr + (<usize>i << 3)));
    store<u64>(cdfAt + (<usize>i << 3), c);
  }
  tally = tallyAt;
  frames = framesAt;
  leafCode = probabilityCode(p0);
  fresh = 2;
  seedStreams(chunkSeed(<u64>seed, <u64>cell, <u64>chunk), lanes);

  if (sliced) {
    slicedFullTree(tableAt, levels, depth, <u32>K, leafCode, trials, popAt, outPtr);
    return <i32>load<f64>(outPtr);
  }
  let right = 0, dominant = 0;
  if (mode == 0) {
    for (let t = 0; t < trials; t++) {
      const a = node(depth);
      if (a == 0) right++;
      else if (a == 1) dominant++;
    }
  } else {
    const n = <u64>trials;
    let current = popAt, next = popAt + <usize>trials * 8;
    for (let i: usize = 0; i < <usize>trials; i++) store<i64>(current + (i << 3), leaf());
    for (let level = 1; level <= depth; level++) {
      const e = entry(level);
      const b = load<i32>(e + E_B);
      const g = load<u64>(e + E_GAMMA);
      for (let i: usize = 0; i < <usize>trials; i++) {
        for (let j = 0; j < b; j++) {
          const a = load<i64>(current + (<usize>uniformIndex(n) << 3));
          store<i64>(framesAt + (<usize>j << 3), channel(a, g));
        }
        store<i64>(next + (i << 3), aggregate(framesAt, e, b));
      }
      const t = current;
      current = next;
      next = t;
    }
    for (let i: usize = 0; i < <usize>trials; i++) {
      const a = load<i64>(current + (i << 3));
      if (a == 0) right++;
      else if (a == 1) dominant++;
    }
  }
  store<f64>(outPtr, <f64>right);
  store<f64>(outPtr, <f64>dominant, 8);
  return right;
}
