// SPEC §H6 — the bit-sliced full-tree plurality simulator (symmetric distractors, finite K ≤ 2^16,
// b ≤ 15, plurality aggregators): 128 trials per word (16 bytes: lanes 0–63 from stream A, 64–127
// from stream B, §D4, as in words.ts), an answer as m = ⌈log2 K⌉ bit-planes (plane j = bit j of
// every lane's answer). Random words are drawn with one v128 generator step in the SIMD build and two
// u64 steps in the plain build (the same bits); the counting logic runs on the two 64-lane halves,
// and every data-dependent decision (draw or skip) looks at all 128 lanes, so both builds consume
// identical streams and give identical counts.
//   leaf: right with probability q, else uniform over the K − 1 wrong answers (leafPlanes)
//   channel §H2: G ~ Bernoulli(γ); U uniform in [0, K) (uniformBelow, no rejection); received = G ? x : U
//   plurality §H3: the most frequent answer, ties to the answer occurring first — the uniformly random
//   tie-break in distribution, since the messages are exchangeable (pluralityFirst);
//   shared failure §B4: S ~ Bernoulli(ρ) → the first received message.
// The hot paths fusedLeaves (a level-1 aggregator's b received leaves and S) and channelFast (a
// channel at levels ≥ 2) keep the generator state in registers; they read the same words in the
// same order as the general functions (leafPlanes, nestedCoins, uniformBelow, coinWord), so they
// give the same planes.
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
// 4 misc words.
const F_REPL: usize = 256;
const F_MSGS: usize = 512;
const F_MISC: usize = 512 + 15 * 16 * 16;
export const SLICED_FRAME_BYTES: usize = (F_MISC + 64 + 63) & ~(<usize>63);
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
/** Whether fusedLeaves applies to this K, and whether the top plane of a uniform answer is a fair coin (K = 2^m). */
let fusedFast: bool = false;
let topIsCoin: bool = false;
let generalPathsOnly: bool = false;
/** Exists for the fast = general equality test (test/simulate/pluralityPaths.test.ts): on ≠ 0 turns fusedLeaves and channelFast off. */
export function pluralityGeneralPaths(on: i32): void {
  generalPathsOnly = on != 0;
}

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

/**
 * The b fused leaf messages of a level-1 aggregator at msgs (stride m planes): leafPlanes in the
 * skill form with top code `top` (0: K = 2^m, the top plane a fair coin), repeated b times with the
 * generator state kept in registers. It reads the same words in the same order and applies the same
 * steps as leafPlanes → nestedCoins/coinWord → uniformBelow, so the planes are identical; it only
 * runs where uniformBelow needs no Bernoulli step below the top plane (fusedFast). Then the
 * aggregator's shared-failure word S ~ Bernoulli(rho) at `S`, as coinWord would draw it next.
 */
function fusedLeaves(msgs: usize, b: i32, code: u64, top: u64, tmp: usize, rho: u64, S: usize): void {
  const st = laneState;
  const stride = <usize>m << 4;
  const t = tableK;
  // Planes drawn from plain words: all of them (K = 2^m) or all below the nested top plane.
  const jStart = top != 0 ? m - 2 : m - 1;
  if (ASC_FEATURE_SIMD) {
    let s0 = v128.load(st), s1 = v128.load(st, 16), s2 = v128.load(st, 32), s3 = v128.load(st, 48);
    const zero = i64x2.splat(0);
    for (let i = 0; i < b; i++) {
      const x = msgs + <usize>i * stride;
      // Right (U < code) and, nested, the top plane of the uniform answer (code ≤ U < top).
      let rem1 = code, rem2 = top;
      let res1 = zero, res2 = zero, und1 = i64x2.splat(-1), und2 = und1;
      if (top == 0) do {
        // The same loop for one code (K = 2^m: no nested top plane).
        for (let step = 0; step < 3; step++) {
          const xx = i64x2.add(s1, i64x2.shl(s1, 2));
          const y = rotlPair(xx, 7);
          const r = i64x2.add(y, i64x2.shl(y, 3));
          const tt = i64x2.shl(s1, 17);
          s2 = v128.xor(s2, s0); s3 = v128.xor(s3, s1); s1 = v128.xor(s1, s2); s0 = v128.xor(s0, s3);
          s2 = v128.xor(s2, tt); s3 = rotlPair(s3, 45);
          if (<i64>rem1 < 0) {
            res1 = v128.or(res1, v128.andnot(und1, r));
            und1 = v128.and(und1, r);
          } else {
            und1 = v128.andnot(und1, r);
          }
          rem1 <<= 1;
        }
      } while (rem1 != 0 && v128.any_true(und1));
      else do {
        for (let step = 0; step < 3; step++) {
          const xx = i64x2.add(s1, i64x2.shl(s1, 2));
          const y = rotlPair(xx, 7);
          const r = i64x2.add(y, i64x2.shl(y, 3));
          const tt = i64x2.shl(s1, 17);
          s2 = v128.xor(s2, s0); s3 = v128.xor(s3, s1); s1 = v128.xor(s1, s2); s0 = v128.xor(s0, s3);
          s2 = v128.xor(s2, tt); s3 = rotlPair(s3, 45);
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
      let tight = i64x2.splat(-1);
      if (top != 0) {
        tight = v128.andnot(res2, res1);
        v128.store(x + (<usize>(m - 1) << 4), tight);
      }
      for (let j = 0; j <= jStart; j++) {
        const xx = i64x2.add(s1, i64x2.shl(s1, 2));
        const y = rotlPair(xx, 7);
        v128.store(tmp + (<usize>j << 4), i64x2.add(y, i64x2.shl(y, 3)));
        const tt = i64x2.shl(s1, 17);
        s2 = v128.xor(s2, s0); s3 = v128.xor(s3, s1); s1 = v128.xor(s1, s2); s0 = v128.xor(s0, s3);
        s2 = v128.xor(s2, tt); s3 = rotlPair(s3, 45);
      }
      for (let j = jStart; j >= 0; j--) {
        const kind = load<u64>(t + (<usize>j << 4));
        const r = v128.load(tmp + (<usize>j << 4));
        let bit = j < m - 1 ? v128.andnot(r, tight) : zero;
        if (kind == 3) {
          bit = r;
          tight = v128.and(tight, bit);
        } else if (kind == 1) {
          tight = zero;
        }
        v128.store(x + (<usize>j << 4), v128.andnot(bit, res1));
      }
    }
    if (rho == 0 || rho == ONE) {
      store<u64>(S, rho);
      store<u64>(S, rho, 8);
    } else {
      // coinWord's draw: one word for a fair coin, else the comparison loop.
      const half = rho == HALF_CODE;
      let rem = half ? 0 : rho;
      let res = i64x2.splat(0), und = i64x2.splat(-1);
      do {
        for (let step = 0; step < 3; step++) {
          const xx = i64x2.add(s1, i64x2.shl(s1, 2));
          const y = rotlPair(xx, 7);
          const r = i64x2.add(y, i64x2.shl(y, 3));
          const tt = i64x2.shl(s1, 17);
          s2 = v128.xor(s2, s0); s3 = v128.xor(s3, s1); s1 = v128.xor(s1, s2); s0 = v128.xor(s0, s3);
          s2 = v128.xor(s2, tt); s3 = rotlPair(s3, 45);
          if (half) {
            res = r;
            break;
          }
          if (<i64>rem < 0) {
            res = v128.or(res, v128.andnot(und, r));
            und = v128.and(und, r);
          } else {
            und = v128.andnot(und, r);
          }
          rem <<= 1;
        }
      } while (rem != 0 && v128.any_true(und));
      v128.store(S, res);
    }
    v128.store(st, s0); v128.store(st, s1, 16); v128.store(st, s2, 32); v128.store(st, s3, 48);
    return;
  }
  let a0 = load<u64>(st), a1 = load<u64>(st, 16), a2 = load<u64>(st, 32), a3 = load<u64>(st, 48);
  let b0 = load<u64>(st, 8), b1 = load<u64>(st, 24), b2 = load<u64>(st, 40), b3 = load<u64>(st, 56);
  for (let i = 0; i < b; i++) {
    const x = msgs + <usize>i * stride;
    let rem1 = code, rem2 = top;
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
    let tA: u64 = ONE, tB: u64 = ONE;
    if (top != 0) {
      tA = res2A & ~res1A;
      tB = res2B & ~res1B;
      store<u64>(x + (<usize>(m - 1) << 4), tA);
      store<u64>(x + (<usize>(m - 1) << 4), tB, 8);
    }
    for (let j = 0; j <= jStart; j++) {
      const out = tmp + (<usize>j << 4);
      store<u64>(out, rotl<u64>(a1 * 5, 7) * 9);
      const sA = a1 << 17;
      a2 ^= a0; a3 ^= a1; a1 ^= a2; a0 ^= a3; a2 ^= sA; a3 = rotl<u64>(a3, 45);
      store<u64>(out, rotl<u64>(b1 * 5, 7) * 9, 8);
      const sB = b1 << 17;
      b2 ^= b0; b3 ^= b1; b1 ^= b2; b0 ^= b3; b2 ^= sB; b3 = rotl<u64>(b3, 45);
    }
    for (let j = jStart; j >= 0; j--) {
      const kind = load<u64>(t + (<usize>j << 4));
      const rA = load<u64>(tmp + (<usize>j << 4)), rB = load<u64>(tmp + (<usize>j << 4), 8);
      let bA: u64 = 0, bB: u64 = 0;
      if (j < m - 1) {
        bA = rA & ~tA;
        bB = rB & ~tB;
      }
      if (kind == 3) {
        bA = rA;
        bB = rB;
        tA &= bA;
        tB &= bB;
      } else if (kind == 1) {
        tA = 0;
        tB = 0;
      }
      store<u64>(x + (<usize>j << 4), bA & ~res1A);
      store<u64>(x + (<usize>j << 4), bB & ~res1B, 8);
    }
  }
  if (rho == 0 || rho == ONE) {
    store<u64>(S, rho);
    store<u64>(S, rho, 8);
  } else {
    const half = rho == HALF_CODE;
    let rem = half ? 0 : rho;
    let resA: u64 = 0, resB: u64 = 0, undA: u64 = ONE, undB: u64 = ONE;
    do {
      for (let step = 0; step < 3; step++) {
        const rA = rotl<u64>(a1 * 5, 7) * 9;
        const tA = a1 << 17;
        a2 ^= a0; a3 ^= a1; a1 ^= a2; a0 ^= a3; a2 ^= tA; a3 = rotl<u64>(a3, 45);
        const rB = rotl<u64>(b1 * 5, 7) * 9;
        const tB = b1 << 17;
        b2 ^= b0; b3 ^= b1; b1 ^= b2; b0 ^= b3; b2 ^= tB; b3 = rotl<u64>(b3, 45);
        if (half) {
          resA = rA;
          resB = rB;
          break;
        }
        if (<i64>rem < 0) {
          resA |= undA & ~rA; resB |= undB & ~rB;
          undA &= rA; undB &= rB;
        } else {
          undA &= ~rA; undB &= ~rB;
        }
        rem <<= 1;
      }
    } while (rem != 0 && (undA | undB) != 0);
    store<u64>(S, resA);
    store<u64>(S, resB, 8);
  }
  store<u64>(st, a0); store<u64>(st, a1, 16); store<u64>(st, a2, 32); store<u64>(st, a3, 48);
  store<u64>(st, b0, 8); store<u64>(st, b1, 24); store<u64>(st, b2, 40); store<u64>(st, b3, 56);
}

/**
 * The channel of §H2 on the message at x (nodePlanes' steps for levels ≥ 2: G and, nested, the top
 * plane of the replacement; the replacement's lower planes unless every lane is intact; x ← G ? x :
 * replacement), then, if S ≠ 0, the aggregator's shared-failure word S ~ Bernoulli(rho), with the
 * generator state in registers: the same words in the same order as nestedCoins/coinWord →
 * uniformBelow → coinWord, so the same planes. Conditions as fusedLeaves, with γ for the code.
 */
function channelFast(x: usize, gamma: u64, top: u64, tmp: usize, rho: u64, S: usize): void {
  const st = laneState;
  const t = tableK;
  const jStart = top != 0 ? m - 2 : m - 1;
  if (ASC_FEATURE_SIMD) {
    let s0 = v128.load(st), s1 = v128.load(st, 16), s2 = v128.load(st, 32), s3 = v128.load(st, 48);
    const zero = i64x2.splat(0);
    let rem1 = gamma, rem2 = top;
    let res1 = zero, res2 = zero, und1 = i64x2.splat(-1), und2 = und1;
    if (top == 0) do {
      // The same loop for one code (K = 2^m: no nested top plane).
      for (let step = 0; step < 3; step++) {
        const xx = i64x2.add(s1, i64x2.shl(s1, 2));
        const y = rotlPair(xx, 7);
        const r = i64x2.add(y, i64x2.shl(y, 3));
        const tt = i64x2.shl(s1, 17);
        s2 = v128.xor(s2, s0); s3 = v128.xor(s3, s1); s1 = v128.xor(s1, s2); s0 = v128.xor(s0, s3);
        s2 = v128.xor(s2, tt); s3 = rotlPair(s3, 45);
        if (<i64>rem1 < 0) {
          res1 = v128.or(res1, v128.andnot(und1, r));
          und1 = v128.and(und1, r);
        } else {
          und1 = v128.andnot(und1, r);
        }
        rem1 <<= 1;
      }
    } while (rem1 != 0 && v128.any_true(und1));
    else do {
      for (let step = 0; step < 3; step++) {
        const xx = i64x2.add(s1, i64x2.shl(s1, 2));
        const y = rotlPair(xx, 7);
        const r = i64x2.add(y, i64x2.shl(y, 3));
        const tt = i64x2.shl(s1, 17);
        s2 = v128.xor(s2, s0); s3 = v128.xor(s3, s1); s1 = v128.xor(s1, s2); s0 = v128.xor(s0, s3);
        s2 = v128.xor(s2, tt); s3 = rotlPair(s3, 45);
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
    const G = res1;
    if (v128.any_true(v128.not(G))) {
      let tight = i64x2.splat(-1);
      if (top != 0) {
        tight = v128.andnot(res2, G);
        const at = x + (<usize>(m - 1) << 4);
        v128.store(at, v128.bitselect(v128.load(at), tight, G));
      }
      for (let j = 0; j <= jStart; j++) {
        const xx = i64x2.add(s1, i64x2.shl(s1, 2));
        const y = rotlPair(xx, 7);
        v128.store(tmp + (<usize>j << 4), i64x2.add(y, i64x2.shl(y, 3)));
        const tt = i64x2.shl(s1, 17);
        s2 = v128.xor(s2, s0); s3 = v128.xor(s3, s1); s1 = v128.xor(s1, s2); s0 = v128.xor(s0, s3);
        s2 = v128.xor(s2, tt); s3 = rotlPair(s3, 45);
      }
      for (let j = jStart; j >= 0; j--) {
        const kind = load<u64>(t + (<usize>j << 4));
        const r = v128.load(tmp + (<usize>j << 4));
        let bit = j < m - 1 ? v128.andnot(r, tight) : zero;
        if (kind == 3) {
          bit = r;
          tight = v128.and(tight, bit);
        } else if (kind == 1) {
          tight = zero;
        }
        const at = x + (<usize>j << 4);
        v128.store(at, v128.bitselect(v128.load(at), bit, G));
      }
    }
    if (S != 0) {
      if (rho == 0 || rho == ONE) {
        store<u64>(S, rho);
        store<u64>(S, rho, 8);
      } else {
        const half = rho == HALF_CODE;
        let rem = half ? 0 : rho;
        let res = zero, und = i64x2.splat(-1);
        do {
          for (let step = 0; step < 3; step++) {
            const xx = i64x2.add(s1, i64x2.shl(s1, 2));
            const y = rotlPair(xx, 7);
            const r = i64x2.add(y, i64x2.shl(y, 3));
            const tt = i64x2.shl(s1, 17);
            s2 = v128.xor(s2, s0); s3 = v128.xor(s3, s1); s1 = v128.xor(s1, s2); s0 = v128.xor(s0, s3);
            s2 = v128.xor(s2, tt); s3 = rotlPair(s3, 45);
            if (half) {
              res = r;
              break;
            }
            if (<i64>rem < 0) {
              res = v128.or(res, v128.andnot(und, r));
              und = v128.and(und, r);
            } else {
              und = v128.andnot(und, r);
            }
            rem <<= 1;
          }
        } while (rem != 0 && v128.any_true(und));
        v128.store(S, res);
      }
    }
    v128.store(st, s0); v128.store(st, s1, 16); v128.store(st, s2, 32); v128.store(st, s3, 48);
    return;
  }
  let a0 = load<u64>(st), a1 = load<u64>(st, 16), a2 = load<u64>(st, 32), a3 = load<u64>(st, 48);
  let b0 = load<u64>(st, 8), b1 = load<u64>(st, 24), b2 = load<u64>(st, 40), b3 = load<u64>(st, 56);
  let rem1 = gamma, rem2 = top;
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
  const GA = res1A, GB = res1B;
  if ((GA & GB) != ONE) {
    let tA: u64 = ONE, tB: u64 = ONE;
    if (top != 0) {
      tA = res2A & ~GA;
      tB = res2B & ~GB;
      const at = x + (<usize>(m - 1) << 4);
      store<u64>(at, (load<u64>(at) & GA) | (tA & ~GA));
      store<u64>(at, (load<u64>(at, 8) & GB) | (tB & ~GB), 8);
    }
    for (let j = 0; j <= jStart; j++) {
      const out = tmp + (<usize>j << 4);
      store<u64>(out, rotl<u64>(a1 * 5, 7) * 9);
      const sA = a1 << 17;
      a2 ^= a0; a3 ^= a1; a1 ^= a2; a0 ^= a3; a2 ^= sA; a3 = rotl<u64>(a3, 45);
      store<u64>(out, rotl<u64>(b1 * 5, 7) * 9, 8);
      const sB = b1 << 17;
      b2 ^= b0; b3 ^= b1; b1 ^= b2; b0 ^= b3; b2 ^= sB; b3 = rotl<u64>(b3, 45);
    }
    for (let j = jStart; j >= 0; j--) {
      const kind = load<u64>(t + (<usize>j << 4));
      const rA = load<u64>(tmp + (<usize>j << 4)), rB = load<u64>(tmp + (<usize>j << 4), 8);
      let bA: u64 = 0, bB: u64 = 0;
      if (j < m - 1) {
        bA = rA & ~tA;
        bB = rB & ~tB;
      }
      if (kind == 3) {
        bA = rA;
        bB = rB;
        tA &= bA;
        tB &= bB;
      } else if (kind == 1) {
        tA = 0;
        tB = 0;
      }
      const at = x + (<usize>j << 4);
      store<u64>(at, (load<u64>(at) & GA) | (bA & ~GA));
      store<u64>(at, (load<u64>(at, 8) & GB) | (bB & ~GB), 8);
    }
  }
  if (S != 0) {
    if (rho == 0 || rho == ONE) {
      store<u64>(S, rho);
      store<u64>(S, rho, 8);
    } else {
      const half = rho == HALF_CODE;
      let rem = half ? 0 : rho;
      let resA: u64 = 0, resB: u64 = 0, undA: u64 = ONE, undB: u64 = ONE;
      do {
        for (let step = 0; step < 3; step++) {
          const rA = rotl<u64>(a1 * 5, 7) * 9;
          const tA = a1 << 17;
          a2 ^= a0; a3 ^= a1; a1 ^= a2; a0 ^= a3; a2 ^= tA; a3 = rotl<u64>(a3, 45);
          const rB = rotl<u64>(b1 * 5, 7) * 9;
          const tB = b1 << 17;
          b2 ^= b0; b3 ^= b1; b1 ^= b2; b0 ^= b3; b2 ^= tB; b3 = rotl<u64>(b3, 45);
          if (half) {
            resA = rA;
            resB = rB;
            break;
          }
          if (<i64>rem < 0) {
            resA |= undA & ~rA; resB |= undB & ~rB;
            undA &= rA; undB &= rB;
          } else {
            undA &= ~rA; undB &= ~rB;
          }
          rem <<= 1;
        }
      } while (rem != 0 && (undA | undB) != 0);
      store<u64>(S, resA);
      store<u64>(S, resB, 8);
    }
  }
  store<u64>(st, a0); store<u64>(st, a1, 16); store<u64>(st, a2, 32); store<u64>(st, a3, 48);
  store<u64>(st, b0, 8); store<u64>(st, b1, 24); store<u64>(st, b2, 40); store<u64>(st, b3, 56);
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
  const fused = load<u64>(e + E_FUSED);
  const fast = level == 1 && fusedFast && load<i32>(e + E_FORM) != 0 && fused != 0 && fused != ONE
    && fused != HALF_CODE && (load<u64>(topAt) != 0 ? load<u64>(topAt) != ONE : topIsCoin);
  if (fast) fusedLeaves(msgs, b, fused, load<u64>(topAt), f, load<u64>(e + E_RHO), misc);
  const chanFast = level > 1 && fusedFast && gamma != 0 && gamma != ONE && gamma != HALF_CODE
    && (load<u64>(topAt, 8) != 0 ? load<u64>(topAt, 8) != ONE : topIsCoin);
  for (let i = 0; i < b && !fast; i++) {
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
    if (chanFast) {
      // The last message's call also draws S (coinWord's next draw below).
      channelFast(x, gamma, top, f, load<u64>(e + E_RHO), i == b - 1 ? misc : 0);
      continue;
    }
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
  pluralityFirst(msgs, b, dst);
  // Shared failure §B4: with probability ρ the output is the first received message (S drawn by
  // fusedLeaves on its path).
  if (!fast && !chanFast) coinWord(misc, load<u64>(e + E_RHO));
  if (ASC_FEATURE_SIMD) {
    const S = v128.load(misc);
    if (v128.any_true(S)) {
      for (let j = 0; j < m; j++) {
        const o = dst + (<usize>j << 4);
        v128.store(o, v128.bitselect(v128.load(msgs + (<usize>j << 4)), v128.load(o), S));
      }
    }
    return;
  }
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
 * Plurality of the b messages at `msgs` (m planes each), ties going to the answer whose first
 * occurrence comes first, written to dst (§H3). This is the uniformly random tie-break of §H3 in
 * distribution, with no draw: the b received messages of an aggregator of the full tree are i.i.d.
 * (independent subtrees and channels with the same per-level parameters), hence exchangeable; given
 * the multiset of received answers their order is a uniformly random arrangement of it, and answers
 * tied at the largest count have the same number of occurrences, so each of the J tied answers is
 * the one occurring first with probability 1/J. The output's law (all the parent sees) is therefore
 * that of the random tie-break.
 * Winner: c_i = #{k > i : x_k = x_i} (bit-sliced counters of ⌈log2 b⌉ planes, b(b − 1)/2 equality
 * words); a first occurrence has c_i = (its count) − 1 and a later occurrence less, so the first i
 * with the largest c_i (a running maximum with strict >) is the first occurrence of the first tied
 * answer. The SIMD build works on whole words, the plain build on the two 64-lane halves: the same
 * bitwise logic, so both give identical planes.
 */
function pluralityFirst(msgs: usize, b: i32, dst: usize): void {
  const stride = <usize>m << 4;
  const bits = b <= 2 ? 1 : b <= 4 ? 2 : b <= 8 ? 3 : 4;
  if (b == 3) {
    // The same rule spelled out: x_1 wins only where x_1 = x_2 ≠ x_0 (c_1 = 1 > c_0 = 0).
    const x1 = msgs + stride, x2 = msgs + 2 * stride;
    if (ASC_FEATURE_SIMD) {
      let d01 = i64x2.splat(0), d12 = d01;
      for (let j = 0; j < m; j++) {
        const a1 = v128.load(x1 + (<usize>j << 4));
        d01 = v128.or(d01, v128.xor(v128.load(msgs + (<usize>j << 4)), a1));
        d12 = v128.or(d12, v128.xor(a1, v128.load(x2 + (<usize>j << 4))));
      }
      const take = v128.andnot(d01, d12);
      for (let j = 0; j < m; j++) {
        v128.store(dst + (<usize>j << 4), v128.bitselect(v128.load(x1 + (<usize>j << 4)), v128.load(msgs + (<usize>j << 4)), take));
      }
      return;
    }
    for (let h: usize = 0; h < 16; h += 8) {
      let d01: u64 = 0, d12: u64 = 0;
      for (let j = 0; j < m; j++) {
        const a1 = load<u64>(x1 + (<usize>j << 4) + h);
        d01 |= load<u64>(msgs + (<usize>j << 4) + h) ^ a1;
        d12 |= a1 ^ load<u64>(x2 + (<usize>j << 4) + h);
      }
      const take = d01 & ~d12;
      for (let j = 0; j < m; j++) {
        const o = (<usize>j << 4) + h;
        store<u64>(dst + o, (load<u64>(msgs + o) & ~take) | (load<u64>(x1 + o) & take));
      }
    }
    return;
  }
  if (ASC_FEATURE_SIMD) {
    const zero = i64x2.splat(0);
    const ones = i64x2.splat(-1);
    for (let j = 0; j < m; j++) v128.store(dst + (<usize>j << 4), v128.load(msgs + (<usize>j << 4)));
    let B0 = zero, B1 = zero, B2 = zero, B3 = zero;
    for (let i = 0; i < b - 1; i++) {
      const xi = msgs + <usize>i * stride;
      let c0 = zero, c1 = zero, c2 = zero, c3 = zero;
      // K ≤ 16: x_i's planes stay in registers.
      const a0 = v128.load(xi), a1 = m > 1 ? v128.load(xi, 16) : zero;
      const a2 = m > 2 ? v128.load(xi, 32) : zero, a3 = m > 3 ? v128.load(xi, 48) : zero;
      for (let k = i + 1; k < b; k++) {
        const xk = msgs + <usize>k * stride;
        let eq = ones;
        if (m <= 4) {
          let d = v128.xor(a0, v128.load(xk));
          if (m > 1) d = v128.or(d, v128.xor(a1, v128.load(xk, 16)));
          if (m > 2) d = v128.or(d, v128.xor(a2, v128.load(xk, 32)));
          if (m > 3) d = v128.or(d, v128.xor(a3, v128.load(xk, 48)));
          eq = v128.not(d);
        } else {
          for (let j = 0; j < m; j++) eq = v128.andnot(eq, v128.xor(v128.load(xi + (<usize>j << 4)), v128.load(xk + (<usize>j << 4))));
        }
        // c += eq (ripple carry over `bits` planes; c ≤ b − 1 − i never overflows).
        let carry = v128.and(c0, eq); c0 = v128.xor(c0, eq);
        if (bits > 1) { const t = v128.and(c1, carry); c1 = v128.xor(c1, carry); carry = t; }
        if (bits > 2) { const t = v128.and(c2, carry); c2 = v128.xor(c2, carry); carry = t; }
        if (bits > 3) c3 = v128.xor(c3, carry);
      }
      if (i == 0) {
        B0 = c0; B1 = c1; B2 = c2; B3 = c3;
        continue;
      }
      // gt = c > B, from the top plane down.
      let gt = v128.andnot(c3, B3), eqm = v128.not(v128.xor(c3, B3));
      gt = v128.or(gt, v128.and(eqm, v128.andnot(c2, B2))); eqm = v128.andnot(eqm, v128.xor(c2, B2));
      gt = v128.or(gt, v128.and(eqm, v128.andnot(c1, B1))); eqm = v128.andnot(eqm, v128.xor(c1, B1));
      gt = v128.or(gt, v128.and(eqm, v128.andnot(c0, B0)));
      if (!v128.any_true(gt)) continue;
      B0 = v128.bitselect(c0, B0, gt); B1 = v128.bitselect(c1, B1, gt);
      B2 = v128.bitselect(c2, B2, gt); B3 = v128.bitselect(c3, B3, gt);
      for (let j = 0; j < m; j++) {
        const o = dst + (<usize>j << 4);
        v128.store(o, v128.bitselect(v128.load(xi + (<usize>j << 4)), v128.load(o), gt));
      }
    }
    return;
  }
  for (let h: usize = 0; h < 16; h += 8) {
    for (let j = 0; j < m; j++) store<u64>(dst + (<usize>j << 4) + h, load<u64>(msgs + (<usize>j << 4) + h));
    let B0: u64 = 0, B1: u64 = 0, B2: u64 = 0, B3: u64 = 0;
    for (let i = 0; i < b - 1; i++) {
      const xi = msgs + <usize>i * stride + h;
      let c0: u64 = 0, c1: u64 = 0, c2: u64 = 0, c3: u64 = 0;
      const a0 = load<u64>(xi), a1 = m > 1 ? load<u64>(xi, 16) : 0;
      const a2 = m > 2 ? load<u64>(xi, 32) : 0, a3 = m > 3 ? load<u64>(xi, 48) : 0;
      for (let k = i + 1; k < b; k++) {
        const xk = msgs + <usize>k * stride + h;
        let eq: u64 = ONE;
        if (m <= 4) {
          let d = a0 ^ load<u64>(xk);
          if (m > 1) d |= a1 ^ load<u64>(xk, 16);
          if (m > 2) d |= a2 ^ load<u64>(xk, 32);
          if (m > 3) d |= a3 ^ load<u64>(xk, 48);
          eq = ~d;
        } else {
          for (let j = 0; j < m; j++) eq &= ~(load<u64>(xi + (<usize>j << 4)) ^ load<u64>(xk + (<usize>j << 4)));
        }
        let carry = c0 & eq; c0 ^= eq;
        if (bits > 1) { const t = c1 & carry; c1 ^= carry; carry = t; }
        if (bits > 2) { const t = c2 & carry; c2 ^= carry; carry = t; }
        if (bits > 3) c3 ^= carry;
      }
      if (i == 0) {
        B0 = c0; B1 = c1; B2 = c2; B3 = c3;
        continue;
      }
      let gt: u64 = 0, eqm: u64 = ONE;
      gt |= eqm & c3 & ~B3; eqm &= ~(c3 ^ B3);
      gt |= eqm & c2 & ~B2; eqm &= ~(c2 ^ B2);
      gt |= eqm & c1 & ~B1; eqm &= ~(c1 ^ B1);
      gt |= eqm & c0 & ~B0;
      if (gt == 0) continue;
      B0 = (B0 & ~gt) | (c0 & gt); B1 = (B1 & ~gt) | (c1 & gt);
      B2 = (B2 & ~gt) | (c2 & gt); B3 = (B3 & ~gt) | (c3 & gt);
      for (let j = 0; j < m; j++) {
        const o = dst + (<usize>j << 4) + h;
        store<u64>(o, (load<u64>(o) & ~gt) | (load<u64>(xi + (<usize>j << 4)) & gt));
      }
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
  tableK = scratch + 256;
  tableWrong = scratch + 512;
  uniformTable(tableK, K);
  uniformTable(tableWrong, K - 1);
  // The fused form is written over the entry's code slot and bytes 4-7 (a 12-byte leafForm record
  // would overlap γ, so it goes through a temporary).
  const tmpForm = scratch + 160; // before tableK
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
  // fusedLeaves: no Bernoulli step below the top plane of a uniform answer.
  topIsCoin = topKind == 3;
  fusedFast = !generalPathsOnly; // once per chunk, so the test hook costs nothing per node
  for (let j = 0; j < m - 1; j++) if (load<u64>(tableK + (<usize>j << 4)) == 2) fusedFast = false;
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
