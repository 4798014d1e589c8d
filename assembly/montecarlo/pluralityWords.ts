// SPEC §H6 — the bit-sliced full-tree plurality simulator (symmetric distractors, finite K ≤ 2^16,
// b ≤ 15, plurality aggregators): 64 trials per u64 lane word, an answer as m = ⌈log2 K⌉ bit-planes
// (plane j = bit j of every lane's answer), every draw from stream C (§D4). Same code in both builds.
//   leaf: R ~ Bernoulli(p_0) word; W uniform in [1, K) per lane (lane-parallel rejection); answer = R ? 0 : W
//   channel §H2: G ~ Bernoulli(γ); U uniform in [0, K); received = G ? x : U
//   plurality §H3: c_i = #{j : x_j = x_i} (bit-sliced 4-bit counters, b² plane equalities), M = max c_i;
//   among the first occurrences of the answers with c_i = M (one message per tied answer) a uniformly
//   random one wins, by a reservoir over i with fresh Bernoulli(1/k) words;
//   shared failure §B4: S ~ Bernoulli(ρ) → the first received message.
import { nextScalar } from './random';
import { ONE, probabilityCode } from './words';

/** A word of i.i.d. Bernoulli(code/2^64) lanes: lane-parallel comparison of U with p, MSB first. */
export function bernoulli64(code: u64): u64 {
  if (code == 0) return 0;
  if (code == ONE) return ONE;
  let res: u64 = 0, und: u64 = ONE, rem = code;
  do {
    const r = nextScalar();
    if (<i64>rem < 0) {
      res |= und & ~r;
      und &= r;
    } else {
      und &= ~r;
    }
    rem <<= 1;
  } while (rem != 0 && und != 0);
  return res;
}

/**
 * Writes at dst m planes uniform in [0, n) per lane (1 ≤ n ≤ 2^m), without rejection, from the table
 * at `t` built by uniformTable(n). The value is drawn from its top bit down: a lane is "tight" while
 * its prefix equals the largest prefix allowed (the remaining range is [0, R) with R shared by all
 * tight lanes, R = n at the start) and "free" once below it (every lower bit is a fair coin). At bit
 * j with 2^j < R a tight lane sets the bit with probability (R − 2^j)/R and stays tight (R ← R − 2^j),
 * else it becomes free; with R = 2^j every tight lane becomes free with bit 0; with R < 2^j the bit
 * is 0 and the lane stays tight. So a draw costs one random word per plane plus one Bernoulli word
 * per set bit of n below the top (none for n = 2^m), instead of lane-parallel rejection, which must
 * wait for the unluckiest of 64 lanes.
 */
function uniformBelow(dst: usize, t: usize): void {
  let tight: u64 = ONE;
  for (let j = m - 1; j >= 0; j--) {
    // Table entry j: kind (0: bit 0, stay tight; 1: bit 0, all become free; 2: Bernoulli), code.
    const kind = load<u64>(t + (<usize>j << 4));
    let bit: u64 = 0;
    const free = ~tight;
    if (free != 0) bit = nextScalar() & free;
    if (kind == 2) {
      const one = tight & bernoulli64(load<u64>(t + (<usize>j << 4), 8));
      bit |= one;
      tight = one;
    } else if (kind == 1) {
      tight = 0;
    }
    store<u64>(dst + (<usize>j << 3), bit);
  }
}

/** The per-plane steps of uniformBelow for range n (16 bytes per plane: kind, Bernoulli code). */
function uniformTable(t: usize, n: u32): void {
  let R = n;
  for (let j = m - 1; j >= 0; j--) {
    const half = <u32>1 << <u32>j;
    let kind: u64 = 0, code: u64 = 0;
    if (R > half) {
      kind = 2;
      code = probabilityCode(<f64>(R - half) / <f64>R);
      R -= half;
    } else if (R == half) {
      kind = 1;
    }
    store<u64>(t + (<usize>j << 4), kind);
    store<u64>(t + (<usize>j << 4), code, 8);
  }
}

let m: i32 = 1;
let K: u32 = 2;
let leafCode: u64 = 0;
let table: usize = 0;
let nLevels: i32 = 1;
let frames: usize = 0;
let frameBytes: usize = 0;
/** One frame: scratch and replacement planes, b ≤ 15 messages of m ≤ 16 planes, b counts (5 words), 16 J words. */
export const SLICED_FRAME_BYTES: usize = (64 * 8 + 15 * 16 * 8 + 15 * 40 + 16 * 8 + 63) & ~(<usize>63);
let inverse: usize = 0; // Bernoulli(1/k) codes, k = 1 … 16
const E_B: usize = 0;
const E_GAMMA: usize = 8;
const E_RHO: usize = 16;
const E_BYTES: usize = 32;
/**
 * Slot 24 of an entry (the judge code, 0 on this path) is overwritten with the fused leaf code, and
 * the unused bytes 4–7 after b with its form (leafForm: 1 = skill form).
 */
const E_FUSED: usize = 24;
const E_FORM: usize = 4;

/** uniformBelow tables for n = K (replacements, skill-form leaves) and n = K − 1 (wrong answers − 1). */
let tableK: usize = 0;
let tableWrong: usize = 0;
/** Leaves without a channel (depth 0): Bernoulli code and form, as in the level entries (leafForm). */
let leafSkill: bool = false;

/**
 * A leaf (or a leaf's received message): right with probability q, else uniform over the K − 1 wrong
 * answers (§H1, symmetric). For q ≥ 1/K this is "right with probability s = (K·q − 1)/(K − 1) (the
 * skill), else uniform over all K answers" (P(right) = s + (1 − s)/K = q, the wrong answers equally
 * likely), which needs no draw below K − 1; `skill` says that `code` is the code of s, else of q.
 */
function leafPlanes(dst: usize, code: u64, skill: bool): void {
  const R = bernoulli64(code);
  if (skill) {
    uniformBelow(dst, tableK);
  } else {
    uniformBelow(dst, tableWrong);
    // + 1: a bit-sliced increment of values < K − 1 (no overflow above plane m − 1).
    let carry: u64 = ONE;
    for (let j = 0; j < m && carry != 0; j++) {
      const at = dst + (<usize>j << 3);
      const x = load<u64>(at);
      store<u64>(at, x ^ carry);
      carry &= x;
    }
  }
  for (let j = 0; j < m; j++) store<u64>(dst + (<usize>j << 3), load<u64>(dst + (<usize>j << 3)) & ~R);
}

/** The Bernoulli code of leafPlanes for leaf accuracy q, and whether it is the skill form. */
function leafForm(q: f64, at: usize): void {
  const skill = q * <f64>K >= 1.0;
  store<u64>(at, probabilityCode(skill ? (<f64>K * q - 1.0) / <f64>(K - 1) : q));
  store<i32>(at, skill ? 1 : 0, 8);
}

/** Writes the m answer planes of one node at `level` (0 = leaf) to dst, depth first. */
function nodePlanes(level: i32, dst: usize): void {
  const f = frames + <usize>level * frameBytes;
  if (level == 0) {
    leafPlanes(dst, leafCode, leafSkill);
    return;
  }
  const e = table + <usize>((level - 1) % nLevels) * E_BYTES;
  const b = load<i32>(e + E_B);
  const gamma = load<u64>(e + E_GAMMA);
  const msgs = f + 64 * 8; // b messages of m planes
  const stride = <usize>m << 3;
  const repl = f + 32 * 8;
  for (let i = 0; i < b; i++) {
    const x = msgs + <usize>i * stride;
    if (level == 1) {
      // Fused leaf draw: a received leaf message is right with probability γ·p_0 + (1 − γ)/K and
      // otherwise, by symmetry, uniform over the wrong answers; nothing uses the leaf before its
      // channel (a shared event copies the RECEIVED message, §B4), so one draw per leaf is exact.
      leafPlanes(x, load<u64>(e + E_FUSED), load<i32>(e + E_FORM) != 0);
      continue;
    }
    nodePlanes(level - 1, x);
    const G = bernoulli64(gamma);
    if (G != ONE) {
      uniformBelow(repl, tableK);
      for (let j = 0; j < m; j++) {
        const at = x + (<usize>j << 3);
        store<u64>(at, (load<u64>(at) & G) | (load<u64>(repl + (<usize>j << 3)) & ~G));
      }
    }
  }
  // Counts c_i (4 planes each) and their maximum M.
  const counts = msgs + <usize>b * stride;
  let M0: u64 = 0, M1: u64 = 0, M2: u64 = 0, M3: u64 = 0;
  for (let i = 0; i < b; i++) {
    let c0: u64 = 0, c1: u64 = 0, c2: u64 = 0, c3: u64 = 0;
    let seen: u64 = 0; // lanes where an earlier message carries the same answer
    const xi = msgs + <usize>i * stride;
    for (let k = 0; k < b; k++) {
      const xk = msgs + <usize>k * stride;
      let eq: u64 = ONE;
      for (let j = 0; j < m; j++) eq &= ~(load<u64>(xi + (<usize>j << 3)) ^ load<u64>(xk + (<usize>j << 3)));
      if (k < i) seen |= eq;
      // c += eq (ripple carry over 4 planes; b ≤ 15 never overflows).
      let carry = eq;
      let t = c0 & carry; c0 ^= carry; carry = t;
      t = c1 & carry; c1 ^= carry; carry = t;
      t = c2 & carry; c2 ^= carry; carry = t;
      c3 ^= carry;
    }
    const at = counts + <usize>i * 40;
    store<u64>(at, c0); store<u64>(at, c1, 8); store<u64>(at, c2, 16); store<u64>(at, c3, 24); store<u64>(at, ~seen, 32);
    // gt = c > M, from the top plane.
    let gt: u64 = 0, eqm: u64 = ONE;
    gt |= eqm & c3 & ~M3; eqm &= ~(c3 ^ M3);
    gt |= eqm & c2 & ~M2; eqm &= ~(c2 ^ M2);
    gt |= eqm & c1 & ~M1; eqm &= ~(c1 ^ M1);
    gt |= eqm & c0 & ~M0;
    M0 = (M0 & ~gt) | (c0 & gt); M1 = (M1 & ~gt) | (c1 & gt);
    M2 = (M2 & ~gt) | (c2 & gt); M3 = (M3 & ~gt) | (c3 & gt);
  }
  // Reservoir over the candidate messages: J_k (k = 0 … b) one-hot per lane, candidates seen so far.
  const J = counts + <usize>b * 40;
  store<u64>(J, ONE);
  for (let k = 1; k <= b; k++) store<u64>(J + (<usize>k << 3), 0);
  for (let i = 0; i < b; i++) {
    const at = counts + <usize>i * 40;
    // Candidates: first occurrences of the answers reaching M (one per tied answer), so a lane whose
    // maximum is unique has one candidate and needs no tie-break draw.
    const cand = ~(load<u64>(at) ^ M0) & ~(load<u64>(at, 8) ^ M1) & ~(load<u64>(at, 16) ^ M2) & ~(load<u64>(at, 24) ^ M3)
      & load<u64>(at, 32);
    let take: u64 = 0;
    for (let k = i; k >= 0; k--) {
      const Jk = load<u64>(J + (<usize>k << 3));
      const move = Jk & cand;
      if (move == 0) continue;
      // k candidates seen → this is the (k + 1)-th: keep it with probability 1/(k + 1).
      take |= move & (k == 0 ? ONE : bernoulli64(load<u64>(inverse + (<usize>(k + 1) << 3))));
      store<u64>(J + (<usize>k << 3), Jk & ~cand);
      store<u64>(J + (<usize>(k + 1) << 3), load<u64>(J + (<usize>(k + 1) << 3)) | move);
    }
    const xi = msgs + <usize>i * stride;
    for (let j = 0; j < m; j++) {
      const o = dst + (<usize>j << 3);
      store<u64>(o, i == 0 ? load<u64>(xi + (<usize>j << 3)) : (load<u64>(o) & ~take) | (load<u64>(xi + (<usize>j << 3)) & take));
    }
  }
  const S = bernoulli64(load<u64>(e + E_RHO));
  if (S != 0) {
    for (let j = 0; j < m; j++) {
      const o = dst + (<usize>j << 3);
      store<u64>(o, (load<u64>(o) & ~S) | (load<u64>(msgs + (<usize>j << 3)) & S));
    }
  }
}

/**
 * Full-tree chunk, bit-sliced (conditions above). `tableAt` holds the level entries written by
 * mcPlurality (b, γ code, ρ code), `scratch` is free memory for the frames. Writes right and
 * answer-1 counts to outPtr (f64).
 */
export function slicedFullTree(
  tableAt: usize, levels: i32, depth: i32, answers: u32, code: u64, trials: i32, scratch: usize, outPtr: usize,
): void {
  K = answers;
  m = 1;
  while ((<u32>1 << <u32>m) < K) m++;
  table = tableAt;
  nLevels = levels;
  const p0 = code == ONE ? 1.0 : <f64>code / 18446744073709551616.0;
  inverse = scratch;
  for (let k = 1; k <= 16; k++) store<u64>(inverse + (<usize>k << 3), k == 1 ? ONE : <u64>(18446744073709551616.0 / <f64>k));
  tableK = scratch + 256;
  tableWrong = scratch + 512;
  uniformTable(tableK, K);
  uniformTable(tableWrong, K - 1);
  // The fused form is written over the entry's code slot and bytes 4-7 (a 12-byte leafForm record
  // would overlap γ, so it goes through a temporary).
  const tmpForm = scratch + 160; // after the inverse table (17 codes), before tableK
  for (let k = 0; k < levels; k++) {
    const e = tableAt + <usize>k * E_BYTES;
    const gam = load<u64>(e + E_GAMMA) == ONE ? 1.0 : <f64>load<u64>(e + E_GAMMA) / 18446744073709551616.0;
    leafForm(gam * p0 + (1.0 - gam) / <f64>K, tmpForm);
    store<u64>(e + E_FUSED, load<u64>(tmpForm));
    store<i32>(e + E_FORM, load<i32>(tmpForm, 8));
  }
  leafForm(p0, tmpForm);
  leafCode = load<u64>(tmpForm);
  leafSkill = load<i32>(tmpForm, 8) != 0;
  frames = (scratch + 768 + 63) & ~(<usize>63);
  // scratch m planes (≤ 16) + replacement planes + b ≤ 15 messages of m planes + b counts (4 planes) + 16 J words.
  frameBytes = SLICED_FRAME_BYTES;
  const root = frames + <usize>(depth + 1) * frameBytes;
  let right = 0, dominant = 0;
  for (let g = 0; g < trials; g += 64) {
    nodePlanes(depth, root);
    let any: u64 = 0, notOne: u64 = 0;
    for (let j = 0; j < m; j++) {
      const x = load<u64>(root + (<usize>j << 3));
      any |= x;
      notOne |= j == 0 ? ~x : x;
    }
    const lanes = min(64, trials - g);
    const mask: u64 = lanes == 64 ? ONE : (<u64>1 << <u64>lanes) - 1;
    right += <i32>popcnt<u64>(~any & mask);
    dominant += <i32>popcnt<u64>(~notOne & mask);
  }
  store<f64>(outPtr, <f64>right);
  store<f64>(outPtr, <f64>dominant, 8);
}
