// SPEC §H6 — the bit-sliced full-tree plurality simulator (symmetric distractors, finite K ≤ 2^16,
// b ≤ 15, plurality aggregators): 128 trials per word (16 bytes: lanes 0–63 from stream A, 64–127
// from stream B, §D4, as in words.ts), an answer as m = ⌈log2 K⌉ bit-planes (plane j = bit j of
// every lane's answer). Random words are drawn with one v128 generator step in the SIMD build and two
// u64 steps in the plain build (the same bits); the counting logic runs on the two 64-lane halves,
// and every data-dependent decision (draw or skip) looks at all 128 lanes, so both builds consume
// identical streams and give identical counts.
//   leaf: right with probability q, else uniform over the K − 1 wrong answers (leafPlanes)
//   channel §H2: G ~ Bernoulli(γ); U uniform in [0, K) (uniformBelow, no rejection); received = G ? x : U
//   plurality §H3: c_i = #{j : x_j = x_i} (bit-sliced 4-bit counters, b² plane equalities), M = max c_i;
//   among the first occurrences of the answers with c_i = M (one message per tied answer) a uniformly
//   random one wins, by a reservoir over i with fresh Bernoulli(1/k) words;
//   shared failure §B4: S ~ Bernoulli(ρ) → the first received message.
import { laneState } from './random';
import { bernoulliWord, ONE, probabilityCode } from './words';

const HALF_CODE: u64 = 0x8000000000000000;

// @ts-ignore: decorator
@inline function rotlPair(x: v128, k: i32): v128 {
  return v128.or(i64x2.shl(x, k), i64x2.shr_u(x, 64 - k));
}

/** n consecutive random words of streams A/B at dst, dst + 16, … (xoshiro256**, as words.ts). */
function randomWords(dst: usize, n: i32): void {
  if (n <= 0) return;
  const st = laneState;
  if (ASC_FEATURE_SIMD) {
    let s0 = v128.load(st), s1 = v128.load(st, 16), s2 = v128.load(st, 32), s3 = v128.load(st, 48);
    for (let i = 0; i < n; i++) {
      const x = i64x2.add(s1, i64x2.shl(s1, 2));
      const y = rotlPair(x, 7);
      v128.store(dst + (<usize>i << 4), i64x2.add(y, i64x2.shl(y, 3)));
      const t = i64x2.shl(s1, 17);
      s2 = v128.xor(s2, s0); s3 = v128.xor(s3, s1); s1 = v128.xor(s1, s2); s0 = v128.xor(s0, s3);
      s2 = v128.xor(s2, t); s3 = rotlPair(s3, 45);
    }
    v128.store(st, s0); v128.store(st, s1, 16); v128.store(st, s2, 32); v128.store(st, s3, 48);
  } else {
    let a0 = load<u64>(st), a1 = load<u64>(st, 16), a2 = load<u64>(st, 32), a3 = load<u64>(st, 48);
    let b0 = load<u64>(st, 8), b1 = load<u64>(st, 24), b2 = load<u64>(st, 40), b3 = load<u64>(st, 56);
    for (let i = 0; i < n; i++) {
      const out = dst + (<usize>i << 4);
      store<u64>(out, rotl<u64>(a1 * 5, 7) * 9);
      const tA = a1 << 17;
      a2 ^= a0; a3 ^= a1; a1 ^= a2; a0 ^= a3; a2 ^= tA; a3 = rotl<u64>(a3, 45);
      store<u64>(out, rotl<u64>(b1 * 5, 7) * 9, 8);
      const tB = b1 << 17;
      b2 ^= b0; b3 ^= b1; b1 ^= b2; b0 ^= b3; b2 ^= tB; b3 = rotl<u64>(b3, 45);
    }
    store<u64>(st, a0); store<u64>(st, a1, 16); store<u64>(st, a2, 32); store<u64>(st, a3, 48);
    store<u64>(st, b0, 8); store<u64>(st, b1, 24); store<u64>(st, b2, 40); store<u64>(st, b3, 56);
  }
}

/** A Bernoulli(code/2^64) word at dst; a fair coin is one random word. */
function coinWord(dst: usize, code: u64): void {
  if (code == HALF_CODE) randomWords(dst, 1);
  else bernoulliWord(dst, code);
}

/**
 * Two nested Bernoulli words from one uniform U per lane: [U < c1] at dst1 and [U < c2] at dst2
 * (c1 ≤ c2), by the comparison of bernoulliWord against both codes at once, so a three-way split
 * (U < c1, c1 ≤ U < c2, c2 ≤ U) costs about one Bernoulli word instead of two.
 */
function nestedCoins(dst1: usize, dst2: usize, c1: u64, c2: u64): void {
  if (c1 == 0 || c1 == ONE || c2 == ONE) {
    coinWord(dst1, c1);
    if (c1 == ONE || c2 == ONE) {
      store<u64>(dst2, ONE);
      store<u64>(dst2, ONE, 8);
    } else {
      coinWord(dst2, c2);
    }
    return;
  }
  const st = laneState;
  let rem1 = c1, rem2 = c2;
  if (ASC_FEATURE_SIMD) {
    let s0 = v128.load(st), s1 = v128.load(st, 16), s2 = v128.load(st, 32), s3 = v128.load(st, 48);
    let res1 = i64x2.splat(0), res2 = res1, und1 = i64x2.splat(-1), und2 = und1;
    do {
      for (let step = 0; step < 3; step++) {
        const x = i64x2.add(s1, i64x2.shl(s1, 2));
        const y = rotlPair(x, 7);
        const r = i64x2.add(y, i64x2.shl(y, 3));
        const t = i64x2.shl(s1, 17);
        s2 = v128.xor(s2, s0); s3 = v128.xor(s3, s1); s1 = v128.xor(s1, s2); s0 = v128.xor(s0, s3);
        s2 = v128.xor(s2, t); s3 = rotlPair(s3, 45);
        if (<i64>rem1 < 0) {
          res1 = v128.or(res1, v128.andnot(und1, r));
          und1 = v128.and(und1, r);
        } else {
          und1 = v128.andnot(und1, r);
        }
        if (<i64>rem2 < 0) {
          res2 = v128.or(res2, v128.andnot(und2, r));
          und2 = v128.and(und2, r);
        } else {
          und2 = v128.andnot(und2, r);
        }
        rem1 <<= 1;
        rem2 <<= 1;
      }
    } while ((rem1 != 0 && v128.any_true(und1)) || (rem2 != 0 && v128.any_true(und2)));
    v128.store(st, s0); v128.store(st, s1, 16); v128.store(st, s2, 32); v128.store(st, s3, 48);
    v128.store(dst1, res1);
    v128.store(dst2, res2);
  } else {
    let a0 = load<u64>(st), a1 = load<u64>(st, 16), a2 = load<u64>(st, 32), a3 = load<u64>(st, 48);
    let b0 = load<u64>(st, 8), b1 = load<u64>(st, 24), b2 = load<u64>(st, 40), b3 = load<u64>(st, 56);
    let res1A: u64 = 0, res1B: u64 = 0, res2A: u64 = 0, res2B: u64 = 0;
    let und1A: u64 = ONE, und1B: u64 = ONE, und2A: u64 = ONE, und2B: u64 = ONE;
    do {
      for (let step = 0; step < 3; step++) {
        const rA = rotl<u64>(a1 * 5, 7) * 9;
        const tA = a1 << 17;
        a2 ^= a0; a3 ^= a1; a1 ^= a2; a0 ^= a3; a2 ^= tA; a3 = rotl<u64>(a3, 45);
        const rB = rotl<u64>(b1 * 5, 7) * 9;
        const tB = b1 << 17;
        b2 ^= b0; b3 ^= b1; b1 ^= b2; b0 ^= b3; b2 ^= tB; b3 = rotl<u64>(b3, 45);
        if (<i64>rem1 < 0) {
          res1A |= und1A & ~rA; res1B |= und1B & ~rB;
          und1A &= rA; und1B &= rB;
        } else {
          und1A &= ~rA; und1B &= ~rB;
        }
        if (<i64>rem2 < 0) {
          res2A |= und2A & ~rA; res2B |= und2B & ~rB;
          und2A &= rA; und2B &= rB;
        } else {
          und2A &= ~rA; und2B &= ~rB;
        }
        rem1 <<= 1;
        rem2 <<= 1;
      }
    } while ((rem1 != 0 && (und1A | und1B) != 0) || (rem2 != 0 && (und2A | und2B) != 0));
    store<u64>(st, a0); store<u64>(st, a1, 16); store<u64>(st, a2, 32); store<u64>(st, a3, 48);
    store<u64>(st, b0, 8); store<u64>(st, b1, 24); store<u64>(st, b2, 40); store<u64>(st, b3, 56);
    store<u64>(dst1, res1A); store<u64>(dst1, res1B, 8);
    store<u64>(dst2, res2A); store<u64>(dst2, res2B, 8);
  }
}

/**
 * Writes at dst m planes uniform in [0, n) per lane (1 ≤ n ≤ 2^m), without rejection, from the table
 * at `t` built by uniformTable(n). The value is drawn from its top bit down: a lane is "tight" while
 * its prefix equals the largest prefix allowed (the remaining range is [0, R) with R shared by all
 * tight lanes, R = n at the start) and "free" once below it (every lower bit is a fair coin). At bit
 * j with 2^j < R a tight lane sets the bit with probability (R − 2^j)/R and stays tight (R ← R − 2^j),
 * else it becomes free; with R = 2^j every tight lane becomes free with bit 0; with R < 2^j the bit
 * is 0 and the lane stays tight. So a draw costs one random word per plane plus one Bernoulli word
 * per set bit of n below the top that is not a fair coin, instead of lane-parallel rejection, which
 * must wait for the unluckiest lane. `tmp` holds m scratch words, `coin` one.
 */
function uniformBelow(dst: usize, t: usize, tmp: usize, coin: usize, topAt: usize = 0): void {
  // topAt ≠ 0: the top plane (a Bernoulli step) was drawn by the caller (nestedCoins) and is the
  // word at topAt; the lanes holding it stay tight.
  const start = topAt != 0 ? m - 2 : m - 1;
  // Random words for planes 0 … m − 2 (free lanes), and for the top plane when it is a fair coin.
  randomWords(tmp, load<u64>(t + (<usize>(m - 1) << 4)) == 3 ? m : m - 1);
  if (ASC_FEATURE_SIMD) {
    // The same steps on whole words (the plain branch below spells them out per half).
    const zero = i64x2.splat(0);
    let tight = i64x2.splat(-1);
    if (topAt != 0) {
      tight = v128.load(topAt);
      v128.store(dst + (<usize>(m - 1) << 4), tight);
    }
    for (let j = start; j >= 0; j--) {
      const kind = load<u64>(t + (<usize>j << 4));
      const r = tmp + (<usize>j << 4);
      let bit = j < m - 1 ? v128.andnot(v128.load(r), tight) : zero;
      if (kind == 3) {
        bit = v128.load(r);
        tight = v128.and(tight, bit);
      } else if (kind == 2) {
        if (v128.any_true(tight)) {
          bernoulliWord(coin, load<u64>(t + (<usize>j << 4), 8));
          tight = v128.and(tight, v128.load(coin));
          bit = v128.or(bit, tight);
        }
      } else if (kind == 1) {
        tight = zero;
      }
      v128.store(dst + (<usize>j << 4), bit);
    }
    return;
  }
  let tA: u64 = ONE, tB: u64 = ONE;
  if (topAt != 0) {
    tA = load<u64>(topAt);
    tB = load<u64>(topAt, 8);
    store<u64>(dst + (<usize>(m - 1) << 4), tA);
    store<u64>(dst + (<usize>(m - 1) << 4), tB, 8);
  }
  for (let j = start; j >= 0; j--) {
    // Table entry j: kind (0: bit 0, stay tight; 1: bit 0, all become free; 2: Bernoulli; 3: fair coin), code.
    const kind = load<u64>(t + (<usize>j << 4));
    const r = tmp + (<usize>j << 4);
    let bA: u64 = 0, bB: u64 = 0;
    if (j < m - 1) {
      bA = load<u64>(r) & ~tA;
      bB = load<u64>(r, 8) & ~tB;
    }
    if (kind == 3) {
      bA = load<u64>(r);
      bB = load<u64>(r, 8);
      tA &= bA;
      tB &= bB;
    } else if (kind == 2) {
      if ((tA | tB) != 0) {
        bernoulliWord(coin, load<u64>(t + (<usize>j << 4), 8));
        tA &= load<u64>(coin);
        tB &= load<u64>(coin, 8);
        bA |= tA;
        bB |= tB;
      }
    } else if (kind == 1) {
      tA = 0;
      tB = 0;
    }
    store<u64>(dst + (<usize>j << 4), bA);
    store<u64>(dst + (<usize>j << 4), bB, 8);
  }
}

/** The per-plane steps of uniformBelow for range n (16 bytes per plane: kind, Bernoulli code). */
function uniformTable(t: usize, n: u32): void {
  let R = n;
  for (let j = m - 1; j >= 0; j--) {
    const half = <u32>1 << <u32>j;
    let kind: u64 = 0, code: u64 = 0;
    if (R == 2 * half) {
      kind = 3;
      R = half;
    } else if (R > half) {
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
// One frame (16-byte words): m scratch words, m replacement planes, b ≤ 15 messages of m ≤ 16 planes,
// b records of 5 words (counts c0–c3, candidate flag), 17 J words, 4 misc words, b² equality words.
const F_REPL: usize = 256;
const F_MSGS: usize = 512;
const F_MISC: usize = 512 + 15 * 16 * 16 + 15 * 80 + 17 * 16;
/** Pairwise equality words, word i·b + k for i < k. */
const F_EQ: usize = F_MISC + 64;
export const SLICED_FRAME_BYTES: usize = (F_EQ + 15 * 15 * 16 + 63) & ~(<usize>63);
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
 * Per level (16 bytes): the nestedCoins upper codes of the fused leaf (skill form) and of the channel,
 * c + (1 − c)·P(top bit of a uniform answer), 0 where uniformBelow draws its own top plane.
 */
let topCodes: usize = 0;

/**
 * A leaf (or a leaf's received message): right with probability q, else uniform over the K − 1 wrong
 * answers (§H1, symmetric). For q ≥ 1/K this is "right with probability s = (K·q − 1)/(K − 1) (the
 * skill), else uniform over all K answers" (P(right) = s + (1 − s)/K = q, the wrong answers equally
 * likely), which needs no draw below K − 1; `skill` says that `code` is the code of s, else of q.
 * `f` is the frame whose scratch and misc words are used.
 */
function leafPlanes(dst: usize, code: u64, skill: bool, f: usize, topCode: u64 = 0): void {
  const R = f + F_MISC;
  if (skill && topCode != 0) {
    // The top plane of U with R in one pass: U's top bit is set (and the lane stays tight) where
    // s ≤ V < topCode = s + (1 − s)·P(top bit), V the lane's uniform.
    const T = R + 32;
    nestedCoins(R, T, code, topCode);
    store<u64>(T, load<u64>(T) & ~load<u64>(R));
    store<u64>(T, load<u64>(T, 8) & ~load<u64>(R, 8), 8);
    uniformBelow(dst, tableK, f, R + 16, T);
  } else if (skill) {
    coinWord(R, code);
    uniformBelow(dst, tableK, f, R + 16);
  } else {
    coinWord(R, code);
    uniformBelow(dst, tableWrong, f, R + 16);
    // + 1: a bit-sliced increment of values < K − 1 (no overflow above plane m − 1).
    if (ASC_FEATURE_SIMD) {
      let carry = i64x2.splat(-1);
      for (let j = 0; j < m; j++) {
        const at = dst + (<usize>j << 4);
        const x = v128.load(at);
        v128.store(at, v128.xor(x, carry));
        carry = v128.and(carry, x);
      }
    } else for (let h: usize = 0; h < 16; h += 8) {
      let carry: u64 = ONE;
      for (let j = 0; j < m; j++) {
        const at = dst + (<usize>j << 4) + h;
        const x = load<u64>(at);
        store<u64>(at, x ^ carry);
        carry &= x;
      }
    }
  }
  if (ASC_FEATURE_SIMD) {
    const r = v128.load(R);
    for (let j = 0; j < m; j++) {
      const at = dst + (<usize>j << 4);
      v128.store(at, v128.andnot(v128.load(at), r));
    }
    return;
  }
  for (let h: usize = 0; h < 16; h += 8) {
    const nR = ~load<u64>(R + h);
    for (let j = 0; j < m; j++) {
      const at = dst + (<usize>j << 4) + h;
      store<u64>(at, load<u64>(at) & nR);
    }
  }
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
    leafPlanes(dst, leafCode, leafSkill, f);
    return;
  }
  const e = table + <usize>((level - 1) % nLevels) * E_BYTES;
  const topAt = topCodes + (<usize>((level - 1) % nLevels) << 4);
  const b = load<i32>(e + E_B);
  const gamma = load<u64>(e + E_GAMMA);
  const msgs = f + F_MSGS; // b messages of m planes
  const stride = <usize>m << 4;
  const repl = f + F_REPL;
  const misc = f + F_MISC;
  for (let i = 0; i < b; i++) {
    const x = msgs + <usize>i * stride;
    if (level == 1) {
      // Fused leaf draw: a received leaf message is right with probability γ·p_0 + (1 − γ)/K and
      // otherwise, by symmetry, uniform over the wrong answers; nothing uses the leaf before its
      // channel (a shared event copies the RECEIVED message, §B4), so one draw per leaf is exact.
      leafPlanes(x, load<u64>(e + E_FUSED), load<i32>(e + E_FORM) != 0, f, load<u64>(topAt));
      continue;
    }
    nodePlanes(level - 1, x);
    const top = load<u64>(topAt, 8);
    if (top != 0) nestedCoins(misc, misc + 32, gamma, top);
    else coinWord(misc, gamma);
    const GA = load<u64>(misc), GB = load<u64>(misc, 8);
    if ((GA & GB) != ONE) {
      if (top != 0) {
        // The replacement's top plane came with G (nestedCoins): set where γ ≤ V < top.
        store<u64>(misc + 32, load<u64>(misc + 32) & ~GA);
        store<u64>(misc + 32, load<u64>(misc + 32, 8) & ~GB, 8);
        uniformBelow(repl, tableK, f, misc + 16, misc + 32);
      } else {
        uniformBelow(repl, tableK, f, misc + 16);
      }
      if (ASC_FEATURE_SIMD) {
        const G = v128.load(misc);
        for (let j = 0; j < m; j++) {
          const at = x + (<usize>j << 4);
          v128.store(at, v128.bitselect(v128.load(at), v128.load(repl + (<usize>j << 4)), G));
        }
      } else for (let j = 0; j < m; j++) {
        const at = x + (<usize>j << 4);
        const r = repl + (<usize>j << 4);
        store<u64>(at, (load<u64>(at) & GA) | (load<u64>(r) & ~GA));
        store<u64>(at, (load<u64>(at, 8) & GB) | (load<u64>(r, 8) & ~GB), 8);
      }
    }
  }
  // Counts c_i = 1 + Σ_{k ≠ i} [x_k = x_i] (4 planes each; b ≤ 15 never overflows), their maximum M
  // and the candidates, from the b(b − 1)/2 pairwise equality words. The SIMD build does it on whole
  // words, the plain build on the two 64-lane halves: the same bitwise logic.
  const counts = msgs + <usize>b * stride;
  const eqAt = f + F_EQ;
  if (ASC_FEATURE_SIMD) {
    const ones = i64x2.splat(-1);
    for (let i = 0; i < b; i++) {
      const xi = msgs + <usize>i * stride;
      for (let k = i + 1; k < b; k++) {
        const xk = msgs + <usize>k * stride;
        let eq = ones;
        for (let j = 0; j < m; j++) eq = v128.andnot(eq, v128.xor(v128.load(xi + (<usize>j << 4)), v128.load(xk + (<usize>j << 4))));
        v128.store(eqAt + (<usize>(i * b + k) << 4), eq);
      }
    }
    let M0 = i64x2.splat(0), M1 = M0, M2 = M0, M3 = M0;
    for (let i = 0; i < b; i++) {
      let c0 = ones, c1 = i64x2.splat(0), c2 = c1, c3 = c1, seen = c1;
      for (let k = 0; k < b; k++) {
        if (k == i) continue;
        const eq = v128.load(eqAt + (<usize>(k < i ? k * b + i : i * b + k) << 4));
        if (k < i) seen = v128.or(seen, eq);
        let carry = eq;
        let t = v128.and(c0, carry); c0 = v128.xor(c0, carry); carry = t;
        t = v128.and(c1, carry); c1 = v128.xor(c1, carry); carry = t;
        t = v128.and(c2, carry); c2 = v128.xor(c2, carry); carry = t;
        c3 = v128.xor(c3, carry);
      }
      const at = counts + <usize>i * 80;
      v128.store(at, c0); v128.store(at, c1, 16); v128.store(at, c2, 32); v128.store(at, c3, 48); v128.store(at, v128.not(seen), 64);
      // gt = c > M, from the top plane.
      let gt = v128.andnot(c3, M3), eqm = v128.not(v128.xor(c3, M3));
      gt = v128.or(gt, v128.and(eqm, v128.andnot(c2, M2))); eqm = v128.andnot(eqm, v128.xor(c2, M2));
      gt = v128.or(gt, v128.and(eqm, v128.andnot(c1, M1))); eqm = v128.andnot(eqm, v128.xor(c1, M1));
      gt = v128.or(gt, v128.and(eqm, v128.andnot(c0, M0)));
      M0 = v128.bitselect(c0, M0, gt); M1 = v128.bitselect(c1, M1, gt);
      M2 = v128.bitselect(c2, M2, gt); M3 = v128.bitselect(c3, M3, gt);
    }
    // Candidates: first occurrences of the answers reaching M (one per tied answer), so a lane whose
    // maximum is unique has one candidate and needs no tie-break draw. Stored over the flag word.
    for (let i = 0; i < b; i++) {
      const at = counts + <usize>i * 80;
      const diff = v128.or(v128.or(v128.xor(v128.load(at), M0), v128.xor(v128.load(at, 16), M1)),
        v128.or(v128.xor(v128.load(at, 32), M2), v128.xor(v128.load(at, 48), M3)));
      v128.store(at, v128.andnot(v128.load(at, 64), diff), 64);
    }
  } else {
    for (let h: usize = 0; h < 16; h += 8) {
      for (let i = 0; i < b; i++) {
        const xi = msgs + <usize>i * stride + h;
        for (let k = i + 1; k < b; k++) {
          const xk = msgs + <usize>k * stride + h;
          let eq: u64 = ONE;
          for (let j = 0; j < m; j++) eq &= ~(load<u64>(xi + (<usize>j << 4)) ^ load<u64>(xk + (<usize>j << 4)));
          store<u64>(eqAt + (<usize>(i * b + k) << 4) + h, eq);
        }
      }
      let M0: u64 = 0, M1: u64 = 0, M2: u64 = 0, M3: u64 = 0;
      for (let i = 0; i < b; i++) {
        let c0: u64 = ONE, c1: u64 = 0, c2: u64 = 0, c3: u64 = 0;
        let seen: u64 = 0; // lanes where an earlier message carries the same answer
        for (let k = 0; k < b; k++) {
          if (k == i) continue;
          const eq = load<u64>(eqAt + (<usize>(k < i ? k * b + i : i * b + k) << 4) + h);
          if (k < i) seen |= eq;
          let carry = eq;
          let t = c0 & carry; c0 ^= carry; carry = t;
          t = c1 & carry; c1 ^= carry; carry = t;
          t = c2 & carry; c2 ^= carry; carry = t;
          c3 ^= carry;
        }
        const at = counts + <usize>i * 80 + h;
        store<u64>(at, c0); store<u64>(at, c1, 16); store<u64>(at, c2, 32); store<u64>(at, c3, 48); store<u64>(at, ~seen, 64);
        let gt: u64 = 0, eqm: u64 = ONE;
        gt |= eqm & c3 & ~M3; eqm &= ~(c3 ^ M3);
        gt |= eqm & c2 & ~M2; eqm &= ~(c2 ^ M2);
        gt |= eqm & c1 & ~M1; eqm &= ~(c1 ^ M1);
        gt |= eqm & c0 & ~M0;
        M0 = (M0 & ~gt) | (c0 & gt); M1 = (M1 & ~gt) | (c1 & gt);
        M2 = (M2 & ~gt) | (c2 & gt); M3 = (M3 & ~gt) | (c3 & gt);
      }
      for (let i = 0; i < b; i++) {
        const at = counts + <usize>i * 80 + h;
        store<u64>(at, ~(load<u64>(at) ^ M0) & ~(load<u64>(at, 16) ^ M1) & ~(load<u64>(at, 32) ^ M2)
          & ~(load<u64>(at, 48) ^ M3) & load<u64>(at, 64), 64);
      }
    }
  }
  // Reservoir over the candidate messages: J_k (k = 0 … b) one-hot per lane, candidates seen so far.
  const J = counts + <usize>b * 80;
  if (ASC_FEATURE_SIMD) {
    // The same steps on whole words (the plain branch below spells them out per half).
    const zero = i64x2.splat(0);
    v128.store(J, i64x2.splat(-1));
    for (let k = 1; k <= b; k++) v128.store(J + (<usize>k << 4), zero);
    for (let i = 0; i < b; i++) {
      const cand = v128.load(counts + <usize>i * 80, 64);
      let take = zero;
      for (let k = i; k >= 0; k--) {
        const Jk = J + (<usize>k << 4);
        const jk = v128.load(Jk);
        const move = v128.and(jk, cand);
        if (!v128.any_true(move)) continue;
        if (k == 0) {
          take = v128.or(take, move);
        } else {
          coinWord(misc, load<u64>(inverse + (<usize>(k + 1) << 3)));
          take = v128.or(take, v128.and(move, v128.load(misc)));
        }
        v128.store(Jk, v128.andnot(jk, cand));
        v128.store(Jk, v128.or(v128.load(Jk, 16), move), 16);
      }
      const xi = msgs + <usize>i * stride;
      for (let j = 0; j < m; j++) {
        const o = dst + (<usize>j << 4);
        const xj = v128.load(xi + (<usize>j << 4));
        v128.store(o, i == 0 ? xj : v128.bitselect(xj, v128.load(o), take));
      }
    }
    coinWord(misc, load<u64>(e + E_RHO));
    const S = v128.load(misc);
    if (v128.any_true(S)) {
      for (let j = 0; j < m; j++) {
        const o = dst + (<usize>j << 4);
        v128.store(o, v128.bitselect(v128.load(msgs + (<usize>j << 4)), v128.load(o), S));
      }
    }
    return;
  }
  store<u64>(J, ONE);
  store<u64>(J, ONE, 8);
  for (let k = 1; k <= b; k++) {
    store<u64>(J + (<usize>k << 4), 0);
    store<u64>(J + (<usize>k << 4), 0, 8);
  }
  for (let i = 0; i < b; i++) {
    const at = counts + <usize>i * 80;
    const candA = load<u64>(at, 64), candB = load<u64>(at, 72);
    let takeA: u64 = 0, takeB: u64 = 0;
    for (let k = i; k >= 0; k--) {
      const Jk = J + (<usize>k << 4);
      const JkA = load<u64>(Jk), JkB = load<u64>(Jk, 8);
      const moveA = JkA & candA, moveB = JkB & candB;
      if ((moveA | moveB) == 0) continue;
      // k candidates seen → this is the (k + 1)-th: keep it with probability 1/(k + 1).
      if (k == 0) {
        takeA |= moveA;
        takeB |= moveB;
      } else {
        coinWord(misc, load<u64>(inverse + (<usize>(k + 1) << 3)));
        takeA |= moveA & load<u64>(misc);
        takeB |= moveB & load<u64>(misc, 8);
      }
      store<u64>(Jk, JkA & ~candA);
      store<u64>(Jk, JkB & ~candB, 8);
      store<u64>(Jk + 16, load<u64>(Jk, 16) | moveA);
      store<u64>(Jk + 16, load<u64>(Jk, 24) | moveB, 8);
    }
    const xi = msgs + <usize>i * stride;
    for (let j = 0; j < m; j++) {
      const o = dst + (<usize>j << 4);
      const xj = xi + (<usize>j << 4);
      if (i == 0) {
        store<u64>(o, load<u64>(xj));
        store<u64>(o, load<u64>(xj, 8), 8);
      } else {
        store<u64>(o, (load<u64>(o) & ~takeA) | (load<u64>(xj) & takeA));
        store<u64>(o, (load<u64>(o, 8) & ~takeB) | (load<u64>(xj, 8) & takeB), 8);
      }
    }
  }
  coinWord(misc, load<u64>(e + E_RHO));
  const SA = load<u64>(misc), SB = load<u64>(misc, 8);
  if ((SA | SB) != 0) {
    for (let j = 0; j < m; j++) {
      const o = dst + (<usize>j << 4);
      const x = msgs + (<usize>j << 4);
      store<u64>(o, (load<u64>(o) & ~SA) | (load<u64>(x) & SA));
      store<u64>(o, (load<u64>(o, 8) & ~SB) | (load<u64>(x, 8) & SB), 8);
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
  topCodes = scratch + 768;
  const topKind = load<u64>(tableK + (<usize>(m - 1) << 4));
  const pTop = <f64>(K - (<u32>1 << <u32>(m - 1))) / <f64>K;
  for (let k = 0; k < levels; k++) {
    const e = tableAt + <usize>k * E_BYTES;
    const at = topCodes + (<usize>k << 4);
    store<u64>(at, 0);
    store<u64>(at, 0, 8);
    if (topKind != 2) continue;
    const gam = load<u64>(e + E_GAMMA) == ONE ? 1.0 : <f64>load<u64>(e + E_GAMMA) / 18446744073709551616.0;
    const fused = load<u64>(e + E_FUSED);
    if (load<i32>(e + E_FORM) != 0 && fused != ONE) {
      const sk = <f64>fused / 18446744073709551616.0;
      store<u64>(at, max<u64>(probabilityCode(sk + (1.0 - sk) * pTop), fused));
    }
    if (load<u64>(e + E_GAMMA) != ONE) store<u64>(at, max<u64>(probabilityCode(gam + (1.0 - gam) * pTop), load<u64>(e + E_GAMMA)), 8);
  }
  frames = (scratch + 768 + <usize>levels * 16 + 63) & ~(<usize>63);
  frameBytes = SLICED_FRAME_BYTES;
  const root = frames + <usize>(depth + 1) * frameBytes;
  let right = 0, dominant = 0;
  for (let g = 0; g < trials; g += 128) {
    nodePlanes(depth, root);
    for (let h: usize = 0; h < 16; h += 8) {
      let any: u64 = 0, notOne: u64 = 0;
      for (let j = 0; j < m; j++) {
        const x = load<u64>(root + (<usize>j << 4) + h);
        any |= x;
        notOne |= j == 0 ? ~x : x;
      }
      const lanes = min(64, trials - g - <i32>(h << 3));
      if (lanes <= 0) break;
      const mask: u64 = lanes == 64 ? ONE : (<u64>1 << <u64>lanes) - 1;
      right += <i32>popcnt<u64>(~any & mask);
      dominant += <i32>popcnt<u64>(~notOne & mask);
    }
  }
  store<f64>(outPtr, <f64>right);
  store<f64>(outPtr, <f64>dominant, 8);
}
