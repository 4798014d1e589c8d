// The shortest decimal that reads back as a given double, printed exactly as ECMAScript's
// Number::toString prints it (String(v), JSON.stringify) — so sweep rows written here are the same
// bytes as rows written with String(v) (issue 14: resume, merge and shards stay byte-identical).
//
// Digits: the Ryu method (Adams 2018), written for this module. A double is m·2^e; the rounding
// interval around it (its neighbours' midpoints, included when m is even — what round-to-nearest-
// even reads back) is scaled by a power of ten, approximated by a 125-bit table entry, so that
// the interval's ends become integers vm < vr < vp; digits are then removed while the ends still
// differ, which yields the fewest digits that read back, and the last removed digit rounds the
// result to the closest such decimal (ties to even, as ECMAScript's note recommends and V8 does).
// Layout: Number::toString's rules for the exponent n of 0.d₁d₂…·10^n: plain digits for
// −6 < n ≤ 21, otherwise d₁.d₂…e±x.

/** Bits of the table entries 5^i (normalised) and 2^k/5^i (normalised, rounded up). */
const POW5_BITS: i32 = 125;
const POW5_INV_BITS: i32 = 125;
export const POW5_COUNT: i32 = 326;
export const POW5_INV_COUNT: i32 = 342;

/**
 * Table of 128-bit constants, low word then high word per entry: POW5_INV_COUNT entries
 * ⌊2^(pow5bits(i) − 1 + 125) / 5^i⌋ + 1, then POW5_COUNT entries ⌊5^i · 2^(125 − pow5bits(i))⌋.
 * Filled by the host (exact BigInt arithmetic, src/cli/rowText.ts) before the first call.
 */
export const TABLES: usize = memory.data((POW5_INV_COUNT + POW5_COUNT) * 16, 16);
const POW5_INV: usize = TABLES;
const POW5: usize = TABLES + <usize>POW5_INV_COUNT * 16;

/** ⌈log2(5^e)⌉ for 0 < e ≤ 3528 (1 for e = 0): the bit length of 5^e. */
// @ts-ignore: decorator
@inline function pow5bits(e: i32): i32 {
  return ((e * 1217359) >>> 19) + 1;
}
/** ⌊log10(2^e)⌋ for 0 ≤ e ≤ 1650. */
// @ts-ignore: decorator
@inline function log10Pow2(e: i32): i32 {
  return (e * 78913) >>> 18;
}
/** ⌊log10(5^e)⌋ for 0 ≤ e ≤ 2620. */
// @ts-ignore: decorator
@inline function log10Pow5(e: i32): i32 {
  return (e * 732923) >>> 20;
}

function pow5Factor(value: u64): i32 {
  let count = 0;
  while (value % 5 == 0) {
    value /= 5;
    count++;
  }
  return count;
}

// @ts-ignore: decorator
@inline function multipleOfPowerOf5(value: u64, p: i32): bool {
  return pow5Factor(value) >= p;
}

// @ts-ignore: decorator
@inline function multipleOfPowerOf2(value: u64, p: i32): bool {
  return (value & ((<u64>1 << <u64>p) - 1)) == 0;
}

/** The high 64 bits of the last 64×64 → 128 product (wasm has no 128-bit multiply). */
let productHigh: u64 = 0;

/** a·b: returns the low 64 bits, leaves the high 64 bits in productHigh. */
// @ts-ignore: decorator
@inline function multiply128(a: u64, b: u64): u64 {
  const aLo = a & 0xffffffff;
  const aHi = a >> 32;
  const bLo = b & 0xffffffff;
  const bHi = b >> 32;
  const b00 = aLo * bLo;
  const b01 = aLo * bHi;
  const b10 = aHi * bLo;
  const b11 = aHi * bHi;
  const mid1 = b10 + (b00 >> 32);
  const mid2 = b01 + (mid1 & 0xffffffff);
  productHigh = b11 + (mid1 >> 32) + (mid2 >> 32);
  return (mid2 << 32) | (b00 & 0xffffffff);
}

/** (m · entry) >> j for a 128-bit table entry (j ≥ 64). */
function mulShift(m: u64, entry: usize, j: i32): u64 {
  const lo = load<u64>(entry);
  const hi = load<u64>(entry, 8);
  multiply128(m, lo);
  const b0High = productHigh;
  const b2Low = multiply128(m, hi);
  const b2High = productHigh;
  const sumLo = b0High + b2Low;
  const sumHi = b2High + <u64>(sumLo < b0High);
  const shift = j - 64;
  if (shift == 0) return sumLo;
  if (shift < 64) return (sumHi << <u64>(64 - shift)) | (sumLo >> <u64>shift);
  return sumHi >> <u64>(shift - 64);
}

/** Number of decimal digits of v (v < 10^17). */
function decimalLength17(v: u64): i32 {
  if (v >= 10000000000000000) return 17;
  if (v >= 1000000000000000) return 16;
  if (v >= 100000000000000) return 15;
  if (v >= 10000000000000) return 14;
  if (v >= 1000000000000) return 13;
  if (v >= 100000000000) return 12;
  if (v >= 10000000000) return 11;
  if (v >= 1000000000) return 10;
  if (v >= 100000000) return 9;
  if (v >= 10000000) return 8;
  if (v >= 1000000) return 7;
  if (v >= 100000) return 6;
  if (v >= 10000) return 5;
  if (v >= 1000) return 4;
  if (v >= 100) return 3;
  if (v >= 10) return 2;
  return 1;
}

/** Number of decimal digits of v (any u64). */
export function decimalLength(v: u64): i32 {
  if (v >= 10000000000000000000) return 20;
  if (v >= 1000000000000000000) return 19;
  if (v >= 100000000000000000) return 18;
  return decimalLength17(v);
}

/** "00" … "99": two digits per lookup (ASCII, index 2·d). */
const DIGIT_PAIRS: usize = memory.data<u8>([
  48, 48, 48, 49, 48, 50, 48, 51, 48, 52, 48, 53, 48, 54, 48, 55, 48, 56, 48, 57,
  49, 48, 49, 49, 49, 50, 49, 51, 49, 52, 49, 53, 49, 54, 49, 55, 49, 56, 49, 57,
  50, 48, 50, 49, 50, 50, 50, 51, 50, 52, 50, 53, 50, 54, 50, 55, 50, 56, 50, 57,
  51, 48, 51, 49, 51, 50, 51, 51, 51, 52, 51, 53, 51, 54, 51, 55, 51, 56, 51, 57,
  52, 48, 52, 49, 52, 50, 52, 51, 52, 52, 52, 53, 52, 54, 52, 55, 52, 56, 52, 57,
  53, 48, 53, 49, 53, 50, 53, 51, 53, 52, 53, 53, 53, 54, 53, 55, 53, 56, 53, 57,
  54, 48, 54, 49, 54, 50, 54, 51, 54, 52, 54, 53, 54, 54, 54, 55, 54, 56, 54, 57,
  55, 48, 55, 49, 55, 50, 55, 51, 55, 52, 55, 53, 55, 54, 55, 55, 55, 56, 55, 57,
  56, 48, 56, 49, 56, 50, 56, 51, 56, 52, 56, 53, 56, 54, 56, 55, 56, 56, 56, 57,
  57, 48, 57, 49, 57, 50, 57, 51, 57, 52, 57, 53, 57, 54, 57, 55, 57, 56, 57, 57,
]);

/** Writes the digits of r < 10^8 ending at p, two at a time; returns the address of the first. */
// @ts-ignore: decorator
@inline function writeSmall(p: usize, r: u32, atLeast: i32): usize {
  let written = 0;
  while (r >= 100 || written + 2 < atLeast) {
    const q = r / 100;
    p -= 2;
    store<u16>(p, load<u16>(DIGIT_PAIRS + ((<usize>(r - q * 100)) << 1)));
    r = q;
    written += 2;
  }
  if (r >= 10 || written + 1 < atLeast) {
    p -= 2;
    store<u16>(p, load<u16>(DIGIT_PAIRS + (<usize>r << 1)));
  } else {
    store<u8>(--p, <u8>(48 + r));
  }
  return p;
}

/** Writes the `length` decimal digits of v ending at out + length (the caller knows the length). */
export function writeDigits(out: usize, v: u64, length: i32): void {
  let p = out + <usize>length;
  // 8 digits at a time in 32-bit arithmetic: 64-bit division is the slow part.
  while (v >= 100000000) {
    const q = v / 100000000;
    p = writeSmall(p, <u32>(v - q * 100000000), 8);
    v = q;
  }
  writeSmall(p, <u32>v, 0);
}

/** Shortest digits of a finite, nonzero double's magnitude: returned; decimal exponent in `digitsExponent`. */
let digitsExponent: i32 = 0;

function shortestDigits(bits: u64): u64 {
  const mantissa = bits & 0xfffffffffffff;
  const exponent = <i32>((bits >> 52) & 0x7ff);
  let e2: i32;
  let m2: u64;
  if (exponent == 0) {
    e2 = 1 - 1023 - 52 - 2;
    m2 = mantissa;
  } else {
    e2 = exponent - 1023 - 52 - 2;
    m2 = mantissa | (<u64>1 << 52);
  }
  const acceptBounds = (m2 & 1) == 0;
  // The interval [mm, mp] around mv = 4·m2, in units of 2^e2; the lower gap is half as wide at a
  // power of two (except for the smallest normal exponent).
  const mv = m2 << 2;
  const mmShift: u64 = mantissa != 0 || exponent <= 1 ? 1 : 0;
  let vr: u64, vp: u64, vm: u64;
  let e10: i32;
  let vmIsTrailingZeros = false;
  let vrIsTrailingZeros = false;
  if (e2 >= 0) {
    const q = log10Pow2(e2) - <i32>(e2 > 3);
    e10 = q;
    const k = POW5_INV_BITS + pow5bits(q) - 1;
    const i = -e2 + q + k;
    const entry = POW5_INV + (<usize>q << 4);
    vr = mulShift(mv, entry, i);
    vp = mulShift(mv + 2, entry, i);
    vm = mulShift(mv - 1 - mmShift, entry, i);
    if (q <= 21) {
      // Exactness of the scaled values: at most one of mp, mv, mm is a multiple of 5.
      if (mv % 5 == 0) vrIsTrailingZeros = multipleOfPowerOf5(mv, q);
      else if (acceptBounds) vmIsTrailingZeros = multipleOfPowerOf5(mv - 1 - mmShift, q);
      else vp -= <u64>multipleOfPowerOf5(mv + 2, q);
    }
  } else {
    const q = log10Pow5(-e2) - <i32>(-e2 > 1);
    e10 = q + e2;
    const i = -e2 - q;
    const k = pow5bits(i) - POW5_BITS;
    const j = q - k;
    const entry = POW5 + (<usize>i << 4);
    vr = mulShift(mv, entry, j);
    vp = mulShift(mv + 2, entry, j);
    vm = mulShift(mv - 1 - mmShift, entry, j);
    if (q <= 1) {
      // mv has at least q trailing binary zeros (it is 4·m2), so vr is exact.
      vrIsTrailingZeros = true;
      if (acceptBounds) vmIsTrailingZeros = mmShift == 1;
      else vp--;
    } else if (q < 63) {
      vrIsTrailingZeros = multipleOfPowerOf2(mv, q);
    }
  }
  // Remove digits while the interval's ends still differ in the remaining ones.
  let removed = 0;
  let lastRemovedDigit: u64 = 0;
  let output: u64;
  if (vmIsTrailingZeros || vrIsTrailingZeros) {
    while (vp / 10 > vm / 10) {
      vmIsTrailingZeros = vmIsTrailingZeros && vm % 10 == 0;
      vrIsTrailingZeros = vrIsTrailingZeros && lastRemovedDigit == 0;
      lastRemovedDigit = vr % 10;
      vr /= 10;
      vp /= 10;
      vm /= 10;
      removed++;
    }
    if (vmIsTrailingZeros) {
      while (vm % 10 == 0) {
        vrIsTrailingZeros = vrIsTrailingZeros && lastRemovedDigit == 0;
        lastRemovedDigit = vr % 10;
        vr /= 10;
        vp /= 10;
        vm /= 10;
        removed++;
      }
    }
    // Exactly halfway: round to even.
    if (vrIsTrailingZeros && lastRemovedDigit == 5 && vr % 2 == 0) lastRemovedDigit = 4;
    output = vr + <u64>((vr == vm && (!acceptBounds || !vmIsTrailingZeros)) || lastRemovedDigit >= 5);
  } else {
    let roundUp = false;
    // Most doubles: remove two digits at a time while possible, then one.
    let vpDiv = vp / 100;
    let vmDiv = vm / 100;
    while (vpDiv > vmDiv) {
      const vrDiv = vr / 100;
      roundUp = vr - vrDiv * 100 >= 50;
      vr = vrDiv;
      vp = vpDiv;
      vm = vmDiv;
      removed += 2;
      vpDiv = vp / 100;
      vmDiv = vm / 100;
    }
    if (vp / 10 > vm / 10) {
      const vrDiv = vr / 10;
      roundUp = vr - vrDiv * 10 >= 5;
      vr = vrDiv;
      vm /= 10;
      removed++;
    }
    output = vr + <u64>(vr == vm || roundUp);
  }
  digitsExponent = e10 + removed;
  return output;
}

/**
 * Writes String(v) for a finite double at `out` and returns the address after it. Integers below
 * 2^53 (exact) print their digits directly; −0 prints "0".
 */
export function writeShortest(out: usize, v: f64): usize {
  if (v == 0) {
    store<u8>(out, 48);
    return out + 1;
  }
  if (v < 0) {
    store<u8>(out++, 45);
    v = -v;
  }
  if (v < 9007199254740992 && v == Math.floor(v)) {
    const n = <u64>v;
    const length = decimalLength(n);
    writeDigits(out, n, length);
    return out + <usize>length;
  }
  const digits = shortestDigits(reinterpret<u64>(v));
  const k = decimalLength17(digits);
  // v = 0.d₁…d_k · 10^n
  const n = digitsExponent + k;
  if (k <= n && n <= 21) {
    writeDigits(out, digits, k);
    out += <usize>k;
    for (let z = k; z < n; z++) store<u8>(out++, 48);
    return out;
  }
  if (0 < n && n <= 21) {
    // d₁…d_n . d_{n+1}…d_k: write all digits shifted by one, then move the integer part left.
    writeDigits(out + 1, digits, k);
    for (let z = 0; z < n; z++) store<u8>(out + <usize>z, load<u8>(out + <usize>z + 1));
    store<u8>(out + <usize>n, 46);
    return out + <usize>k + 1;
  }
  if (-6 < n && n <= 0) {
    store<u8>(out, 48);
    store<u8>(out + 1, 46);
    out += 2;
    for (let z = n; z < 0; z++) store<u8>(out++, 48);
    writeDigits(out, digits, k);
    return out + <usize>k;
  }
  // d₁[.d₂…d_k]e±(n−1)
  if (k == 1) {
    store<u8>(out++, <u8>(48 + digits));
  } else {
    writeDigits(out + 1, digits, k);
    store<u8>(out, load<u8>(out + 1));
    store<u8>(out + 1, 46);
    out += <usize>k + 1;
  }
  store<u8>(out++, 101);
  let x = n - 1;
  store<u8>(out++, x < 0 ? 45 : 43);
  if (x < 0) x = -x;
  const length = decimalLength(<u64>x);
  writeDigits(out, <u64>x, length);
  return out + <usize>length;
}
