// SPEC §D1, §D2 — binary majority trees, simulated 128 trials at a time (one lane group).
//
// Full tree (§D1a): every leaf of every trial is drawn, depth first. A node at level ℓ needs only
// its own frame (a few words, the bit-sliced counter and a batch of at most 31 words), so the
// memory is O(depth · (log b + 31)) words per lane group whatever b^L is. Draw order (part of the
// reproducible result): in the standard model a level-1 aggregator draws its b received leaf votes
// (one word each: the fused leaf draw below), then its shared event (one batch of the generator
// for b ≤ 15); a higher aggregator with b ≤ 15 (channelAfterCopy excepted) evaluates its children,
// then draws their flips and its shared event in one batch; otherwise (b > 15 above level 1,
// channelAfterCopy, heterogeneous leaves at level 1) each child is followed by its flip, then the
// shared event (and the copies' flips).
//
// Fused leaf draw (standard model; §B3, §B4, §D1): a leaf's vote (bias u_0) and the independent
// channel on its edge (fidelity γ of level index 0) are only ever used through the received vote,
// which is Bernoulli((1 + γ·u_0)/2), independent across leaves and trials; on a shared event a
// level-1 aggregator copies its first child's RECEIVED vote (§B4), so nothing needs the vote before
// its channel. Drawing each received leaf vote as one word of that bias therefore gives exactly the
// same distribution of every count, with one word per leaf instead of two (every leaf of every
// trial still gets its own draw). Not for channelAfterCopy (§D2): there the shared event copies the
// first leaf's vote BEFORE its channel and resends it through b fresh channels. Not for
// heterogeneous leaves (§D2): the leaf bias differs per trial, so no single code applies (a per-lane
// fused code would be exact given p, but is not implemented). Both keep a vote word and a flip word
// per leaf.
// Level by level (§D1b): a population of n nodes per level (n = the chunk's trials); each parent
// reads b members picked uniformly with replacement from the level below.
//
// Both share one aggregator step (§B4): b received words r_i = c_i ⊕ flip_i with flip_i ~
// Bernoulli((1 − γ)/2) per edge (§B3), one shared-failure word S ~ Bernoulli(ρ) per aggregator, and
// output = S ? r_1 : majority(r_1 … r_b). Variant channelAfterCopy (§D2): on S the first child's
// vote c_1 goes through b fresh channels and the aggregator takes their majority.
import { reserve } from '../arena';
import { betaSample, chunkSeed, nextScalar, seedStreams, setLaneState, uniformIndex, LANE_STATE_BYTES } from './random';
import {
  bernoulliPlanes, bernoulliSequence, bernoulliWord, copyWord, counterAdd, counterInit, countWord, majorityPlane, ONE,
  majority3Select, probabilityCode, selectWord, transposeCodes, xorWord, WORD,
} from './words';

export const STANDARD: i32 = 0;
export const CHANNEL_AFTER_COPY: i32 = 1;
export const HETEROGENEOUS: i32 = 2;

// Per-level parameter table: 32 bytes per level.
const T_FLIP: usize = 0; // code of (1 − γ)/2
const T_SHARED: usize = 8; // code of ρ
const T_B: usize = 16;
const T_M: usize = 20; // majority plane index
const T_BYTES: usize = 32;

// Frame of one aggregator.
const F_CHILD: usize = 0;
const F_RECV: usize = 16;
const F_R1: usize = 32;
const F_C1: usize = 48;
const F_S: usize = 64;
const F_TMP: usize = 80;
const F_PLANES: usize = 96;

let table: usize = 0;
let nLevels: i32 = 1;
let frames: usize = 0;
let frameBytes: usize = 0;
let variant: i32 = STANDARD;
let leafCode: u64 = 0;
/** Code of a received leaf vote, (1 + γ·u_0)/2 with γ of level index 0 (standard model: fused leaf draw). */
let receivedLeafCode: u64 = 0;
let leafPlanes: usize = 0;
/** Largest b whose level-1 aggregator draws all its words in one batch. */
const MAX_BATCH_B: i32 = 15;
/** Codes and words of the batched level-1 aggregator (up to MAX_BATCH_B + 1 codes, 2·MAX_BATCH_B + 1 words). */
let batchCodes: usize = 0;
/** Per table entry (128 bytes each): its b flip codes and its shared-event code, for the batched levels ≥ 2. */
let levelCodes: usize = 0;
let batchWords: usize = 0;
/** Offset, inside each frame, of its batch of child, flip and shared-event words (§D1a frames). */
let frameBatch: usize = 0;

// @ts-ignore: decorator
@inline function align(x: usize): usize {
  return (x + 63) & ~(<usize>63);
}

/** Grows the arena so [scratch, scratch + bytes) is usable; false when memory cannot grow. */
function claim(scratch: usize, bytes: usize): bool {
  const base = reserve(0);
  return reserve(scratch + bytes - base) != 0;
}

/**
 * Fills the level table from the caller's arrays (level ℓ uses index (ℓ − 1) % levels, as the
 * analytic trajectory does) and returns the largest majority-plane index.
 */
function buildTable(bPtr: usize, gammaPtr: usize, rhoPtr: usize, levels: i32, at: usize): i32 {
  table = at;
  nLevels = levels;
  let mMax = 0;
  for (let k = 0; k < levels; k++) {
    const e = at + <usize>k * T_BYTES;
    const b = load<i32>(bPtr + (<usize>k << 2));
    const gamma = load<f64>(gammaPtr + (<usize>k << 3));
    const rho = load<f64>(rhoPtr + (<usize>k << 3));
    const m = majorityPlane(b);
    store<u64>(e + T_FLIP, probabilityCode(0.5 * (1.0 - gamma)));
    store<u64>(e + T_SHARED, probabilityCode(rho));
    store<i32>(e + T_B, b);
    store<i32>(e + T_M, m);
    if (m > mMax) mMax = m;
  }
  return mMax;
}

// @ts-ignore: decorator
@inline function entry(level: i32): usize {
  return table + <usize>((level - 1) % nLevels) * T_BYTES;
}

/**
 * Finishes an aggregator whose b received words were added to the counter at f + F_PLANES (and
 * whose first child's vote and received word sit in F_C1 and F_R1): draws the shared event and
 * writes the aggregator's vote to `out`.
 */
function finishAggregator(f: usize, e: usize, out: usize): void {
  const flip = load<u64>(e + T_FLIP);
  const b = load<i32>(e + T_B);
  const m = load<i32>(e + T_M);
  bernoulliWord(f + F_S, load<u64>(e + T_SHARED));
  const majority = f + F_PLANES + (<usize>m << 4);
  if (variant == CHANNEL_AFTER_COPY) {
    // The majority of c_1 ⊕ g_i over b fresh flips g_i is c_1 ⊕ majority(g_i): majority is self-dual.
    const planes2 = f + F_PLANES + (<usize>(m + 1) << 4);
    counterInit(planes2, m, b);
    for (let i = 0; i < b; i++) {
      bernoulliWord(f + F_TMP, flip);
      counterAdd(planes2, m, f + F_TMP);
    }
    xorWord(f + F_TMP, f + F_C1, planes2 + (<usize>m << 4));
    selectWord(out, f + F_S, f + F_TMP, majority);
  } else {
    selectWord(out, f + F_S, f + F_R1, majority);
  }
}

/** Adds child i's vote (at f + F_CHILD) through its channel to the aggregator in frame f. */
// @ts-ignore: decorator
@inline function receive(f: usize, flip: u64, m: i32, i: i32): void {
  bernoulliWord(f + F_RECV, flip);
  xorWord(f + F_RECV, f + F_RECV, f + F_CHILD);
  if (i == 0) {
    copyWord(f + F_R1, f + F_RECV);
    copyWord(f + F_C1, f + F_CHILD);
  }
  counterAdd(f + F_PLANES, m, f + F_RECV);
}

// @ts-ignore: decorator
@inline function leafVote(out: usize): void {
  if (variant == HETEROGENEOUS) bernoulliPlanes(out, leafPlanes);
  else bernoulliWord(out, leafCode);
}

/**
 * out = S ? r_0 : majority(r_0 … r_{b−1}) for b received words at `received` + 16i (§B4): a bitwise
 * majority for b = 3, the bit-sliced counter in frame f otherwise.
 */
function aggregate(out: usize, f: usize, S: usize, received: usize, b: i32, m: i32): void {
  if (b == 3) {
    majority3Select(out, S, received, received + 16, received + 32);
    return;
  }
  counterInit(f + F_PLANES, m, b);
  for (let i = 0; i < b; i++) counterAdd(f + F_PLANES, m, received + (<usize>i << 4));
  selectWord(out, S, received, f + F_PLANES + (<usize>m << 4));
}

/** Writes the vote word of one node at `level` (0 = leaf) of the full tree, depth first. */
function node(level: i32, out: usize): void {
  if (level == 0) {
    leafVote(out);
    return;
  }
  const e = entry(level);
  const flip = load<u64>(e + T_FLIP);
  const b = load<i32>(e + T_B);
  const m = load<i32>(e + T_M);
  const f = frames + <usize>(level - 1) * frameBytes;
  if (level == 1 && variant == STANDARD && b <= MAX_BATCH_B) {
    // The hot loop: b received leaf votes (fused leaf draw, see the top of this file) and the shared
    // event in one pass of the generator; their codes were written once per chunk by mcFullTree.
    bernoulliSequence(batchWords, batchCodes, b + 1);
    aggregate(out, f, batchWords + (<usize>b << 4), batchWords, b, m);
    return;
  }
  if (level >= 2 && variant != CHANNEL_AFTER_COPY && b <= MAX_BATCH_B) {
    // Children first (depth first), then their b flips and the shared event in one batch: child i
    // at words + 16i, flip i at words + 16(b + i), the shared event at words + 32b.
    const words = f + frameBatch;
    for (let i = 0; i < b; i++) node(level - 1, words + (<usize>i << 4));
    bernoulliSequence(words + (<usize>b << 4), levelCodes + ((e - table) << 2), b + 1);
    for (let i = 0; i < b; i++) xorWord(words + (<usize>i << 4), words + (<usize>i << 4), words + (<usize>(b + i) << 4));
    aggregate(out, f, words + (<usize>b << 5), words, b, m);
    return;
  }
  counterInit(f + F_PLANES, m, b);
  if (level == 1 && variant == STANDARD) {
    // Fused leaf draw: one received word per leaf.
    for (let i = 0; i < b; i++) {
      bernoulliWord(f + F_RECV, receivedLeafCode);
      if (i == 0) copyWord(f + F_R1, f + F_RECV);
      counterAdd(f + F_PLANES, m, f + F_RECV);
    }
  } else if (level == 1) {
    for (let i = 0; i < b; i++) {
      leafVote(f + F_CHILD);
      receive(f, flip, m, i);
    }
  } else {
    for (let i = 0; i < b; i++) {
      node(level - 1, f + F_CHILD);
      receive(f, flip, m, i);
    }
  }
  finishAggregator(f, e, out);
}

/**
 * Full-tree chunk (§D1a; variants of §D2): the number of trials, out of `trials`, whose root vote is
 * +1. Level parameters come as arrays b (i32), γ, ρ (f64) of length `levels`; `scratch` is the first
 * free arena address after them. Returns −1 if memory cannot grow.
 */
export function mcFullTree(
  bPtr: usize, gammaPtr: usize, rhoPtr: usize, levels: i32, depth: i32, u0: f64, kind: i32,
  betaA: f64, betaB: f64, seed: f64, cell: f64, chunk: f64, trials: i32, scratch: usize,
): i32 {
  const lanes = align(scratch);
  const tableAt = align(lanes + LANE_STATE_BYTES);
  const root = align(tableAt + <usize>levels * T_BYTES);
  const codes = root + 64;
  const planes = codes + 128 * 8;
  const batchAt = planes + 64 * WORD;
  const levelCodesAt = batchAt + 256 + 32 * WORD;
  const framesAt = align(levelCodesAt + <usize>levels * 128);
  // Tables first (they only read the caller's arrays), then the frames, whose size they determine.
  if (!claim(scratch, framesAt - scratch)) return -1;
  const mMax = buildTable(bPtr, gammaPtr, rhoPtr, levels, tableAt);
  frameBatch = F_PLANES + 2 * <usize>(mMax + 1) * WORD;
  frameBytes = align(frameBatch + <usize>(2 * MAX_BATCH_B + 1) * WORD);
  if (!claim(scratch, framesAt - scratch + <usize>depth * frameBytes)) return -1;
  frames = framesAt;
  batchCodes = batchAt;
  batchWords = batchAt + 256;
  levelCodes = levelCodesAt;
  for (let k = 0; k < levels; k++) {
    const e = tableAt + <usize>k * T_BYTES;
    const b = load<i32>(e + T_B);
    if (b > MAX_BATCH_B) continue;
    const at = levelCodesAt + <usize>k * 128;
    for (let i = 0; i < b; i++) store<u64>(at + (<usize>i << 3), load<u64>(e + T_FLIP));
    store<u64>(at + (<usize>b << 3), load<u64>(e + T_SHARED));
  }
  variant = kind;
  leafCode = probabilityCode(0.5 * (1.0 + u0));
  receivedLeafCode = probabilityCode(0.5 * (1.0 + load<f64>(gammaPtr) * u0));
  leafPlanes = planes;
  if (kind == STANDARD && depth >= 1) {
    // Codes of the batched level-1 aggregator: b received leaf votes, then the shared event.
    const e1 = entry(1);
    const b1 = load<i32>(e1 + T_B);
    if (b1 <= MAX_BATCH_B) {
      for (let i = 0; i < b1; i++) store<u64>(batchCodes + (<usize>i << 3), receivedLeafCode);
      store<u64>(batchCodes + (<usize>b1 << 3), load<u64>(e1 + T_SHARED));
    }
  }
  seedStreams(chunkSeed(<u64>seed, <u64>cell, <u64>chunk), lanes);

  let correct = 0;
  for (let g = 0; g < trials; g += 128) {
    if (kind == HETEROGENEOUS) {
      // §D2 task heterogeneity: one leaf accuracy p ~ Beta(a, b) per trial (per lane).
      for (let j: usize = 0; j < 128; j++) store<u64>(codes + (j << 3), probabilityCode(betaSample(betaA, betaB)));
      transposeCodes(codes, planes);
    }
    node(depth, root);
    correct += countWord(root, min(128, trials - g));
  }
  return correct;
}

/** One word whose 128 lanes are members picked uniformly (with replacement) from a population of n bits. */
function gatherWord(dst: usize, population: usize, n: u64): void {
  let lo: u64 = 0, hi: u64 = 0;
  for (let j: u64 = 0; j < 64; j++) {
    const idx = uniformIndex(n);
    lo |= ((load<u64>(population + <usize>((idx >> 6) << 3)) >> (idx & 63)) & 1) << j;
  }
  for (let j: u64 = 0; j < 64; j++) {
    const idx = uniformIndex(n);
    hi |= ((load<u64>(population + <usize>((idx >> 6) << 3)) >> (idx & 63)) & 1) << j;
  }
  store<u64>(dst, lo);
  store<u64>(dst, hi, 8);
}

/**
 * Level-by-level chunk (§D1b): a population of `trials` leaves, then `depth` times a population of
 * `trials` parents, each built from b members picked from the level below. Returns the number of
 * +1 votes in the root population (−1 if memory cannot grow). Variants: standard, channelAfterCopy.
 */
export function mcLevels(
  bPtr: usize, gammaPtr: usize, rhoPtr: usize, levels: i32, depth: i32, u0: f64, kind: i32,
  seed: f64, cell: f64, chunk: f64, trials: i32, scratch: usize,
): i32 {
  const lanes = align(scratch);
  const tableAt = align(lanes + LANE_STATE_BYTES);
  const frame = align(tableAt + <usize>levels * T_BYTES);
  if (!claim(scratch, frame - scratch)) return -1;
  const mMax = buildTable(bPtr, gammaPtr, rhoPtr, levels, tableAt);
  const groups = (<usize>trials + 127) >> 7;
  const popBytes = align(groups * WORD);
  let current = align(frame + F_PLANES + 2 * <usize>(mMax + 1) * WORD);
  let next = current + popBytes;
  if (!claim(scratch, next + popBytes - scratch)) return -1;
  variant = kind;
  seedStreams(chunkSeed(<u64>seed, <u64>cell, <u64>chunk), lanes);
  const n = <u64>trials;

  const code = probabilityCode(0.5 * (1.0 + u0));
  for (let g: usize = 0; g < groups; g++) bernoulliWord(current + (g << 4), code);
  for (let level = 1; level <= depth; level++) {
    const e = entry(level);
    const flip = load<u64>(e + T_FLIP);
    const b = load<i32>(e + T_B);
    const m = load<i32>(e + T_M);
    for (let g: usize = 0; g < groups; g++) {
      counterInit(frame + F_PLANES, m, b);
      for (let i = 0; i < b; i++) {
        gatherWord(frame + F_CHILD, current, n);
        receive(frame, flip, m, i);
      }
      finishAggregator(frame, e, next + (g << 4));
    }
    const t = current;
    current = next;
    next = t;
  }
  let correct = 0;
  for (let g: usize = 0; g < groups; g++) correct += countWord(current + (g << 4), min(128, trials - <i32>(g << 7)));
  return correct;
}

// --- scalar reference (one trial at a time, one random number per Bernoulli draw) ----------------

let scalarLeafCode: u64 = 0;

// @ts-ignore: decorator
@inline function coin(code: u64): i32 {
  return code == ONE ? 1 : <i32>(nextScalar() < code);
}

function scalarNode(level: i32): i32 {
  if (level == 0) return coin(scalarLeafCode);
  const e = entry(level);
  const flip = load<u64>(e + T_FLIP);
  const b = load<i32>(e + T_B);
  const h = (b + 1) >> 1;
  let count = 0, r1 = 0, c1 = 0;
  for (let i = 0; i < b; i++) {
    const c = scalarNode(level - 1);
    const r = c ^ coin(flip);
    if (i == 0) {
      r1 = r;
      c1 = c;
    }
    count += r;
  }
  if (coin(load<u64>(e + T_SHARED))) {
    if (variant != CHANNEL_AFTER_COPY) return r1;
    let agree = 0;
    for (let i = 0; i < b; i++) agree += 1 - coin(flip);
    return agree >= h ? c1 : 1 - c1;
  }
  return <i32>(count >= h);
}

/**
 * The same model as mcFullTree, simulated one trial at a time from stream C (a different random
 * stream: it agrees with mcFullTree in distribution, not draw for draw). The benchmark's scalar
 * WebAssembly baseline and an independent cross-check in the tests.
 */
export function mcFullTreeScalar(
  bPtr: usize, gammaPtr: usize, rhoPtr: usize, levels: i32, depth: i32, u0: f64, kind: i32,
  betaA: f64, betaB: f64, seed: f64, cell: f64, chunk: f64, trials: i32, scratch: usize,
): i32 {
  const lanes = align(scratch);
  const tableAt = align(lanes + LANE_STATE_BYTES);
  if (!claim(scratch, tableAt + <usize>levels * T_BYTES - scratch)) return -1;
  buildTable(bPtr, gammaPtr, rhoPtr, levels, tableAt);
  variant = kind;
  seedStreams(chunkSeed(<u64>seed, <u64>cell, <u64>chunk), lanes);
  const code = probabilityCode(0.5 * (1.0 + u0));
  let correct = 0;
  for (let t = 0; t < trials; t++) {
    scalarLeafCode = kind == HETEROGENEOUS ? probabilityCode(betaSample(betaA, betaB)) : code;
    correct += scalarNode(depth);
  }
  return correct;
}

// --- test exports ---------------------------------------------------------------------------------

/**
 * nWords Bernoulli(p) words drawn from the interleaved A/B state at statePtr (8 × u64, advanced in
 * place): exposes the lane streams and the word rule of the flavour under test to the reference tests.
 */
export function mcLaneWords(statePtr: usize, p: f64, outPtr: usize, nWords: i32): void {
  setLaneState(statePtr);
  const code = probabilityCode(p);
  for (let i = 0; i < nWords; i++) bernoulliWord(outPtr + (<usize>i << 4), code);
}

/** nWords Bernoulli(p) words from the chunk streams of (seed, cell, chunk), written to outPtr. */
export function mcBernoulliWords(p: f64, seed: f64, cell: f64, chunk: f64, outPtr: usize, nWords: i32, scratch: usize): i32 {
  const lanes = align(scratch);
  if (!claim(scratch, lanes + LANE_STATE_BYTES - scratch)) return -1;
  seedStreams(chunkSeed(<u64>seed, <u64>cell, <u64>chunk), lanes);
  const code = probabilityCode(p);
  for (let i = 0; i < nWords; i++) bernoulliWord(outPtr + (<usize>i << 4), code);
  return 0;
}
