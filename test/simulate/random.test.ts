// SPEC §D4 — the random streams: xoshiro256** and SplitMix64 against their published definitions
// (re-implemented in BigInt in reference.ts), the documented chunk seeding, and the bit-parallel
// Bernoulli words of both flavours.
import { describe, expect, it } from 'vitest';
import { instantiateKernel } from '../../src/index.ts';
import { bernoulliWords, chunkSeed, laneWords, splitMixOutputs, xoshiroOutputs } from '../../src/simulate/streams.ts';
import { bernoulliWordReference, chunkSeedReference, laneStates, splitMix, xoshiroNext } from './reference.ts';

const plain = await instantiateKernel('plain');
const simd = await instantiateKernel('simd');

describe('xoshiro256** (stream C)', () => {
  it('matches the published algorithm from state {1, 2, 3, 4}', () => {
    const out = xoshiroOutputs(plain, [1n, 2n, 3n, 4n], 1000);
    // The first outputs, worked out by hand from the definition: s1 = 2 → rotl(10, 7)·9 = 1280·9.
    expect(out.slice(0, 3)).toEqual([11520n, 0n, 1509978240n]);
    const s = [1n, 2n, 3n, 4n];
    expect(out).toEqual(Array.from({ length: 1000 }, () => xoshiroNext(s)));
  });

  it('matches it from a state with every bit pattern in play', () => {
    const state = [0x0123456789abcdefn, 0xfedcba9876543210n, 0xdeadbeefcafebabn, 0x8000000000000001n];
    const s = [...state];
    expect(xoshiroOutputs(simd, state, 500)).toEqual(Array.from({ length: 500 }, () => xoshiroNext(s)));
  });
});

describe('SplitMix64 and chunk seeding (§D4)', () => {
  it('SplitMix64 matches the published algorithm (seed 0 starts 0xe220a8397b1dcdaf)', () => {
    const out = splitMixOutputs(plain, 0n, 200);
    expect(out[0]).toBe(0xe220a8397b1dcdafn);
    expect(out).toEqual(splitMix(0n, 200));
    expect(splitMixOutputs(plain, 0x123456789n, 50)).toEqual(splitMix(0x123456789n, 50));
  });

  it('the chunk seed is the documented hash of (seed, cell, chunk)', () => {
    for (const [seed, cell, chunk] of [[0, 0, 0], [1, 0, 0], [0, 1, 0], [0, 0, 1], [2 ** 53 - 1, 123456789, 77], [42, 2 ** 40, 2 ** 33]]) {
      expect(chunkSeed(plain, seed, cell, chunk)).toBe(chunkSeedReference(seed, cell, chunk));
    }
  });

  it('different seeds, cells and chunks give different chunk seeds', () => {
    const seen = new Set<bigint>();
    for (let seed = 0; seed < 8; seed++) {
      for (let cell = 0; cell < 16; cell++) {
        for (let chunk = 0; chunk < 16; chunk++) seen.add(chunkSeed(plain, seed, cell, chunk));
      }
    }
    expect(seen.size).toBe(8 * 16 * 16);
  });
});

describe('Bernoulli words (§D1 bit-parallel draws)', () => {
  it('follow the documented MSB-first rule bit for bit, in both flavours', () => {
    for (const p of [0.5, 0.6, 0.05, 0.2, 1 / 3, 0.999, 1e-5, 0, 1]) {
      const [a, b] = laneStates(0x9e3779b97f4a7c15n * 7n);
      const expected = Array.from({ length: 64 }, () => bernoulliWordReference(a, b, p));
      const [a0, b0] = laneStates(0x9e3779b97f4a7c15n * 7n);
      expect(laneWords(plain, a0, b0, p, 64)).toEqual(expected);
      expect(laneWords(simd, a0, b0, p, 64)).toEqual(expected);
    }
  });

  it('a chunk draws its lane words from its own seeded streams', () => {
    const [a, b] = laneStates(chunkSeedReference(5, 6, 7));
    const expected = Array.from({ length: 32 }, () => bernoulliWordReference(a, b, 0.3)).flat();
    expect([...bernoulliWords(simd, 0.3, 5, 6, 7, 32)]).toEqual(expected);
    expect([...bernoulliWords(plain, 0.3, 5, 6, 7, 32)]).toEqual(expected);
  });

  it('have the right frequency (within 6σ) and lanes look independent', () => {
    for (const p of [0.6, 0.05, 0.5, 0.123456789]) {
      const words = bernoulliWords(simd, p, 11, 0, 0, 4000);
      const n = words.length * 64;
      let ones = 0;
      let pairs = 0; // adjacent lanes both set: P = p² if independent
      for (const w of words) {
        for (let x = w; x; x &= x - 1n) ones++;
        for (let x = w & (w >> 1n); x; x &= x - 1n) pairs++;
      }
      expect(Math.abs(ones / n - p)).toBeLessThan(6 * Math.sqrt((p * (1 - p)) / n) + 1 / n);
      const m = words.length * 63;
      expect(Math.abs(pairs / m - p * p)).toBeLessThan(6 * Math.sqrt((p * p * (1 - p * p)) / m) + 1 / m);
    }
  });
});
