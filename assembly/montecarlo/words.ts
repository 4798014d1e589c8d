// SPEC §D1 — bit-parallel words. A "word" is one lane group of 128 trials: 16 bytes in the arena,
// bytes 0–7 for lanes 0–63 (stream A), bytes 8–15 for lanes 64–127 (stream B). The SIMD build
// handles a word as one v128, the plain build as two u64; every function below does the same
// bitwise work in both, so the two flavours produce identical words from identical streams.
import { laneState } from './random';

export const WORD: usize = 16;
/**
 * Generator steps per test of the exit condition. Steps after p's last 1 bit or after every lane is
 * decided leave the word unchanged, so this only spends (unused) random words, and it cuts the
 * any-lane-left tests and the loop's branches: 3 measured fastest (b = 3 bench: 2 → 1.33, 3 → 1.46,
 * 4 → 1.40·10⁹ leaf-votes/s). Both flavours use it, so they consume identical words.
 */
const STEPS = 3;

/** Probability code of a Bernoulli word: floor(p·2^64) for p < 1; ONE (all bits set) means p = 1 exactly. */
export const ONE: u64 = 0xffffffffffffffff;

/** p ∈ [0, 1] → its code. Exact for p ≥ 2^-12; smaller p lose bits below 2^-64 (bias < 2^-64). */
export function probabilityCode(p: f64): u64 {
  if (!(p > 0.0)) return 0;
  if (p >= 1.0) return ONE;
  return <u64>(p * 18446744073709551616.0); // < 2^64 − 2^11, so it fits
}

// @ts-ignore: decorator
@inline function rotlPair(x: v128, k: i32): v128 {
  return v128.or(i64x2.shl(x, k), i64x2.shr_u(x, 64 - k));
}

/**
 * A word whose lanes are i.i.d. Bernoulli(P/2^64). Lane-parallel comparison of a uniform U with p,
 * most significant bit first: at bit k a fresh random word r supplies U's k-th bit in every lane;
 * lanes still tied with p's prefix are decided where r differs from p's bit (r = 0 < 1 → U < p,
 * success; r = 1 > 0 → failure). We stop once every lane is decided or p's remaining bits are all 0
 * (tied lanes then have U > p almost surely), testing that every STEPS steps: on average about
 * log2(128) + 1.3 random words, rounded up to a multiple of STEPS.
 */
export function bernoulliWord(dst: usize, P: u64): void {
  // One word is a sequence of one: the same draws, with the loop written once (bernoulliSequence).
  store<u64>(oneCode, P);
  bernoulliSequence(dst, oneCode, 1);
}

/** The code of the word bernoulliWord draws, for bernoulliSequence to read. */
const oneCode: usize = memory.data(8, 8);

/**
 * `count` Bernoulli words, word i ~ Bernoulli(code i) (u64 codes at `codes`, words written to
 * dst + 16·i): exactly the words of `count` bernoulliWord calls in the same order, but with the
 * generator state kept in registers across them (the hot loop of a level-1 aggregator).
 */
export function bernoulliSequence(dst: usize, codes: usize, count: i32): void {
  if (ASC_FEATURE_SIMD) {
    const st = laneState;
    let s0 = v128.load(st), s1 = v128.load(st, 16), s2 = v128.load(st, 32), s3 = v128.load(st, 48);
    for (let i = 0; i < count; i++) {
      const P = load<u64>(codes + (<usize>i << 3));
      const out = dst + (<usize>i << 4);
      if (P == 0) { v128.store(out, i64x2.splat(0)); continue; }
      if (P == ONE) { v128.store(out, i64x2.splat(-1)); continue; }
      let res = i64x2.splat(0);
      let und = i64x2.splat(-1);
      let rem = P;
      do {
        for (let step = 0; step < STEPS; step++) {
          const x = i64x2.add(s1, i64x2.shl(s1, 2));
          const y = rotlPair(x, 7);
          const r = i64x2.add(y, i64x2.shl(y, 3));
          const t = i64x2.shl(s1, 17);
          s2 = v128.xor(s2, s0); s3 = v128.xor(s3, s1); s1 = v128.xor(s1, s2); s0 = v128.xor(s0, s3);
          s2 = v128.xor(s2, t); s3 = rotlPair(s3, 45);
          if (<i64>rem < 0) {
            res = v128.or(res, v128.andnot(und, r));
            und = v128.and(und, r);
          } else {
            und = v128.andnot(und, r);
          }
          rem <<= 1;
        }
      } while (rem != 0 && v128.any_true(und));
      v128.store(out, res);
    }
    v128.store(st, s0); v128.store(st, s1, 16); v128.store(st, s2, 32); v128.store(st, s3, 48);
  } else {
    const st = laneState;
    let a0 = load<u64>(st), a1 = load<u64>(st, 16), a2 = load<u64>(st, 32), a3 = load<u64>(st, 48);
    let b0 = load<u64>(st, 8), b1 = load<u64>(st, 24), b2 = load<u64>(st, 40), b3 = load<u64>(st, 56);
    for (let i = 0; i < count; i++) {
      const P = load<u64>(codes + (<usize>i << 3));
      const out = dst + (<usize>i << 4);
      if (P == 0 || P == ONE) {
        store<u64>(out, P);
        store<u64>(out, P, 8);
        continue;
      }
      let resA: u64 = 0, resB: u64 = 0;
      let undA: u64 = ONE, undB: u64 = ONE;
      let rem = P;
      do {
        for (let step = 0; step < STEPS; step++) {
          const rA = rotl<u64>(a1 * 5, 7) * 9;
          const tA = a1 << 17;
          a2 ^= a0; a3 ^= a1; a1 ^= a2; a0 ^= a3; a2 ^= tA; a3 = rotl<u64>(a3, 45);
          const rB = rotl<u64>(b1 * 5, 7) * 9;
          const tB = b1 << 17;
          b2 ^= b0; b3 ^= b1; b1 ^= b2; b0 ^= b3; b2 ^= tB; b3 = rotl<u64>(b3, 45);
          if (<i64>rem < 0) {
            resA |= undA & ~rA;
            resB |= undB & ~rB;
            undA &= rA;
            undB &= rB;
          } else {
            undA &= ~rA;
            undB &= ~rB;
          }
          rem <<= 1;
        }
      } while (rem != 0 && (undA | undB) != 0);
      store<u64>(out, resA);
      store<u64>(out, resB, 8);
    }
    store<u64>(st, a0); store<u64>(st, a1, 16); store<u64>(st, a2, 32); store<u64>(st, a3, 48);
    store<u64>(st, b0, 8); store<u64>(st, b1, 24); store<u64>(st, b2, 40); store<u64>(st, b3, 56);
  }
}

/**
 * Like bernoulliWord, but every lane has its own p: `planes` holds 64 words, plane k carrying bit
 * (63 − k) of each lane's code (most significant first), as built by transposeCodes.
 */
export function bernoulliPlanes(dst: usize, planes: usize): void {
  if (ASC_FEATURE_SIMD) {
    const st = laneState;
    let s0 = v128.load(st), s1 = v128.load(st, 16), s2 = v128.load(st, 32), s3 = v128.load(st, 48);
    let res = i64x2.splat(0);
    let und = i64x2.splat(-1);
    let k: usize = 0;
    do {
      const x = i64x2.add(s1, i64x2.shl(s1, 2));
      const y = rotlPair(x, 7);
      const r = i64x2.add(y, i64x2.shl(y, 3));
      const t = i64x2.shl(s1, 17);
      s2 = v128.xor(s2, s0);
      s3 = v128.xor(s3, s1);
      s1 = v128.xor(s1, s2);
      s0 = v128.xor(s0, s3);
      s2 = v128.xor(s2, t);
      s3 = rotlPair(s3, 45);
      const bit = v128.load(planes + (k << 4));
      res = v128.or(res, v128.and(v128.andnot(und, r), bit));
      und = v128.andnot(und, v128.xor(r, bit));
      k++;
    } while (k < 64 && v128.any_true(und));
    v128.store(st, s0); v128.store(st, s1, 16); v128.store(st, s2, 32); v128.store(st, s3, 48);
    v128.store(dst, res);
  } else {
    const st = laneState;
    let a0 = load<u64>(st), a1 = load<u64>(st, 16), a2 = load<u64>(st, 32), a3 = load<u64>(st, 48);
    let b0 = load<u64>(st, 8), b1 = load<u64>(st, 24), b2 = load<u64>(st, 40), b3 = load<u64>(st, 56);
    let resA: u64 = 0, resB: u64 = 0;
    let undA: u64 = ONE, undB: u64 = ONE;
    let k: usize = 0;
    do {
      const rA = rotl<u64>(a1 * 5, 7) * 9;
      const tA = a1 << 17;
      a2 ^= a0; a3 ^= a1; a1 ^= a2; a0 ^= a3; a2 ^= tA; a3 = rotl<u64>(a3, 45);
      const rB = rotl<u64>(b1 * 5, 7) * 9;
      const tB = b1 << 17;
      b2 ^= b0; b3 ^= b1; b1 ^= b2; b0 ^= b3; b2 ^= tB; b3 = rotl<u64>(b3, 45);
      const bitA = load<u64>(planes + (k << 4));
      const bitB = load<u64>(planes + (k << 4), 8);
      resA |= undA & ~rA & bitA;
      resB |= undB & ~rB & bitB;
      undA &= ~(rA ^ bitA);
      undB &= ~(rB ^ bitB);
      k++;
    } while (k < 64 && (undA | undB) != 0);
    store<u64>(st, a0); store<u64>(st, a1, 16); store<u64>(st, a2, 32); store<u64>(st, a3, 48);
    store<u64>(st, b0, 8); store<u64>(st, b1, 24); store<u64>(st, b2, 40); store<u64>(st, b3, 56);
    store<u64>(dst, resA);
    store<u64>(dst, resB, 8);
  }
}

/**
 * Transposes 128 codes (u64 at codes + 8j for lane j) into 64 planes at `planes`: plane k holds bit
 * (63 − k) of every lane's code.
 */
export function transposeCodes(codes: usize, planes: usize): void {
  for (let k: usize = 0; k < 64; k++) {
    const shift = <u64>(63 - k);
    let lo: u64 = 0, hi: u64 = 0;
    for (let j: usize = 0; j < 64; j++) {
      lo |= ((load<u64>(codes + (j << 3)) >> shift) & 1) << <u64>j;
      hi |= ((load<u64>(codes + ((j + 64) << 3)) >> shift) & 1) << <u64>j;
    }
    store<u64>(planes + (k << 4), lo);
    store<u64>(planes + (k << 4), hi, 8);
  }
}

// --- word logic --------------------------------------------------------------------------------

// @ts-ignore: decorator
@inline export function copyWord(dst: usize, src: usize): void {
  if (ASC_FEATURE_SIMD) {
    v128.store(dst, v128.load(src));
  } else {
    store<u64>(dst, load<u64>(src));
    store<u64>(dst, load<u64>(src, 8), 8);
  }
}

/** dst = a ⊕ b. */
// @ts-ignore: decorator
@inline export function xorWord(dst: usize, a: usize, b: usize): void {
  if (ASC_FEATURE_SIMD) {
    v128.store(dst, v128.xor(v128.load(a), v128.load(b)));
  } else {
    store<u64>(dst, load<u64>(a) ^ load<u64>(b));
    store<u64>(dst, load<u64>(a, 8) ^ load<u64>(b, 8), 8);
  }
}

/** dst = mask ? a : b, lane by lane. */
// @ts-ignore: decorator
@inline export function selectWord(dst: usize, mask: usize, a: usize, b: usize): void {
  if (ASC_FEATURE_SIMD) {
    v128.store(dst, v128.bitselect(v128.load(a), v128.load(b), v128.load(mask)));
  } else {
    const m0 = load<u64>(mask), m1 = load<u64>(mask, 8);
    store<u64>(dst, (load<u64>(a) & m0) | (load<u64>(b) & ~m0));
    store<u64>(dst, (load<u64>(a, 8) & m1) | (load<u64>(b, 8) & ~m1), 8);
  }
}

/** dst = S ? x : majority(x, y, z), lane by lane: the b = 3 aggregator (§B4) without a counter. */
export function majority3Select(dst: usize, S: usize, x: usize, y: usize, z: usize): void {
  if (ASC_FEATURE_SIMD) {
    const vx = v128.load(x), vy = v128.load(y), vz = v128.load(z);
    const maj = v128.or(v128.and(vx, vy), v128.and(vz, v128.or(vx, vy)));
    v128.store(dst, v128.bitselect(vx, maj, v128.load(S)));
  } else {
    for (let h: usize = 0; h < 16; h += 8) {
      const vx = load<u64>(x + h), vy = load<u64>(y + h), vz = load<u64>(z + h), m = load<u64>(S + h);
      const maj = (vx & vy) | (vz & (vx | vy));
      store<u64>(dst + h, (vx & m) | (maj & ~m));
    }
  }
}

/** Number of set lanes among the first `lanes` (≤ 128) of a word. */
export function countWord(src: usize, lanes: i32): i32 {
  let lo = load<u64>(src), hi = load<u64>(src, 8);
  if (lanes < 64) {
    lo &= (<u64>1 << <u64>lanes) - 1;
    hi = 0;
  } else if (lanes < 128) {
    hi &= (<u64>1 << <u64>(lanes - 64)) - 1;
  }
  return <i32>(popcnt<u64>(lo) + popcnt<u64>(hi));
}

// --- bit-sliced majority (§B4) -------------------------------------------------------------------
// The number of +1 votes among b received words is kept per lane in a binary counter spread over
// planes 0..m (plane j = bit j of every lane's count). The counter starts at C0 = 2^m − h with
// h = (b + 1)/2 the strict-majority threshold and m = ⌈log2 h⌉; after adding all b votes it holds
// C0 + count < 2^(m+1), so plane m is set exactly where count ≥ h: the majority needs no comparator.

/** m = ⌈log2 h⌉ for h = (b + 1)/2 (index of the plane that ends up holding the majority). */
export function majorityPlane(b: i32): i32 {
  const h = (b + 1) >> 1;
  let m = 0;
  while ((1 << m) < h) m++;
  return m;
}

/** Sets planes 0..m to the start value C0 = 2^m − (b + 1)/2 in every lane. */
export function counterInit(planes: usize, m: i32, b: i32): void {
  const c0 = (1 << m) - ((b + 1) >> 1);
  for (let j = 0; j <= m; j++) {
    const fill: u64 = ((c0 >> j) & 1) != 0 ? ONE : 0;
    store<u64>(planes + (<usize>j << 4), fill);
    store<u64>(planes + (<usize>j << 4), fill, 8);
  }
}

/** Adds a word of votes (0/1 per lane) to the counter: a ripple-carry increment, stopping when no lane carries. */
export function counterAdd(planes: usize, m: i32, src: usize): void {
  if (ASC_FEATURE_SIMD) {
    let carry = v128.load(src);
    for (let j = 0; j <= m; j++) {
      const at = planes + (<usize>j << 4);
      const c = v128.load(at);
      v128.store(at, v128.xor(c, carry));
      carry = v128.and(c, carry);
      if (!v128.any_true(carry)) break;
    }
  } else {
    let carryA = load<u64>(src), carryB = load<u64>(src, 8);
    for (let j = 0; j <= m; j++) {
      const at = planes + (<usize>j << 4);
      const cA = load<u64>(at), cB = load<u64>(at, 8);
      store<u64>(at, cA ^ carryA);
      store<u64>(at, cB ^ carryB, 8);
      carryA &= cA;
      carryB &= cB;
      if ((carryA | carryB) == 0) break;
    }
  }
}
