// The WebAssembly number formatter of the row writers (assembly/rowText/shortestDecimal.ts) prints
// every double exactly as V8's String(v) — ECMAScript Number::toString: shortest round-trip digits,
// closest to the value (ties to even), plain notation for 1e-7 < |v| < 1e21, "-0" as "0" — so rows
// written through it are the bytes the JavaScript writers wrote (issue 14: resume, merge, shards).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatNumbers } from '../../src/cli/rowText.ts';

/** Indices and values where the formatter differs from String(v) (at most a few, for the message). */
function mismatches(values: Float64Array): string[] {
  const got = formatNumbers(values);
  const bad: string[] = [];
  for (let i = 0; i < values.length && bad.length < 5; i++) {
    const want = String(values[i]);
    if (got[i] !== want) bad.push(`${want} printed as ${got[i]}`);
  }
  expect(got.length).toBe(values.length);
  return bad;
}

/** Seeded 64-bit patterns: two 32-bit xorshift streams give the halves (reproducible, fast). */
function randomBits(count: number, seed: number): Float64Array {
  const halves = new Uint32Array(2 * count);
  let a = seed | 1;
  let b = (seed * 0x9e3779b1) | 1;
  for (let i = 0; i < count; i++) {
    a ^= a << 13; a ^= a >>> 17; a ^= a << 5;
    b ^= b << 13; b ^= b >>> 17; b ^= b << 5;
    halves[2 * i] = a >>> 0;
    halves[2 * i + 1] = b >>> 0;
  }
  return new Float64Array(halves.buffer);
}

const scratch = new Float64Array(1);
const words = new Uint32Array(scratch.buffer); // little-endian: [low, high]

/** The doubles 1 and 2 bit patterns below and above a finite nonzero v. */
function neighbours(v: number): number[] {
  const out: number[] = [];
  for (const d of [-2, -1, 1, 2]) {
    scratch[0] = v;
    const low = words[0] + d;
    words[1] += low < 0 ? -1 : low > 0xffffffff ? 1 : 0;
    words[0] = low >>> 0;
    out.push(scratch[0]);
  }
  return out;
}

describe('shortest round-trip formatter (WebAssembly) equals String(v)', () => {
  it('on hand-picked edges: zeros, subnormals, extremes, powers of ten and two, thresholds, integers past 2^53', () => {
    const edges: number[] = [
      0, -0, NaN, Infinity, -Infinity, 5e-324, -5e-324, 1e-323, 2.225073858507201e-308, 2.2250738585072014e-308,
      1.7976931348623157e308, -1.7976931348623157e308, 0.1 + 0.2, 0.1, 0.2, 0.3, 1 / 3, 2 / 3, Math.PI, Math.E,
      1e21, 1e-7, 1.5e-7, 9.999999999999999e20, 999999999999999900000, 1e-6, 0.000001, 0.0000012345, 123456789012345680000,
      0.41, 0.41000000000000003, 9007199254740993, 4.35, 5e-7, 2 ** 63, 2 ** 64, 18446744073709552000,
    ];
    for (let k = -325; k <= 309; k++) edges.push(Number(`1e${k}`), Number(`5e${k}`), Number(`9.5e${k}`));
    for (let e = -1074; e <= 1023; e++) edges.push(2 ** e, 3 * 2 ** e, 2 ** e * 1.5);
    for (let k = 0; k <= 2e4; k++) edges.push(k, -k, k / 8, k / 10, 2 ** 53 - 50 + k, 2 ** 53 + 2 * k, 2 ** 54 + 4 * k, 1e17 + 16 * k);
    for (let k = 1; k < 2 ** 12; k++) edges.push(k * 5e-324);
    const all = edges.flatMap((v) => (Number.isFinite(v) && v !== 0 ? [v, ...neighbours(v)] : [v]));
    expect(all.length).toBeGreaterThan(700_000);
    expect(mismatches(new Float64Array(all))).toEqual([]);
  });

  it('on 1,500,000 seeded random 64-bit patterns (every exponent, NaN payloads included)', () => {
    expect(mismatches(randomBits(1_500_000, 0x5eed1234))).toEqual([]);
  });

  it('on 600,000 short decimals (1–17 digits, any exponent): the trailing-zero and tie paths', () => {
    const values = new Float64Array(600_000);
    let a = 0x2545f491;
    const next = () => ((a ^= a << 13), (a ^= a >>> 17), (a ^= a << 5), (a >>> 0) / 2 ** 32);
    for (let i = 0; i < values.length; i++) {
      const digits = 1 + Math.floor(next() * 17);
      let text = String(1 + Math.floor(next() * 9));
      for (let d = 1; d < digits; d++) text += String(Math.floor(next() * 10));
      values[i] = Number(`${text}e${Math.floor(next() * 640) - 340}`);
    }
    expect(mismatches(values)).toEqual([]);
  });

  it('fast-check: arbitrary 64-bit patterns and fast-check doubles', () => {
    fc.assert(fc.property(fc.array(fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }), { minLength: 1, maxLength: 2000 }), (bits) => {
      const values = new Float64Array(new BigUint64Array(bits).buffer);
      expect(mismatches(values)).toEqual([]);
    }), { numRuns: 200 });
    fc.assert(fc.property(fc.array(fc.double(), { minLength: 1, maxLength: 2000 }), (doubles) => {
      expect(mismatches(new Float64Array(doubles))).toEqual([]);
    }), { numRuns: 200 });
  });

  it('a wrong formatter is caught: a changed digit or exponent form differs from String(v)', () => {
    // The comparison itself can fail: String of a neighbour is not String of the value.
    const v = 0.1 + 0.2;
    expect(formatNumbers(new Float64Array([v]))[0]).not.toBe(String(neighbours(v)[1]));
    expect(formatNumbers(new Float64Array([1e21, 1e-7]))).toEqual(['1e+21', '1e-7']);
    expect(formatNumbers(new Float64Array([1e20, 1e-6, -0]))).toEqual(['100000000000000000000', '0.000001', '0']);
  });
});
