// SPEC §D4 — direct access to the kernel's generators, for the reference tests (not part of the
// package's public API).
import type { Kernel } from '../wasm/kernel.ts';
import { monteCarlo } from './wasm.ts';

/** n outputs of stream C's xoshiro256** from a given state. */
export function xoshiroOutputs(k: Kernel, state: readonly bigint[], n: number): bigint[] {
  const [stateAt, outAt] = k.layout([4, n]);
  new BigUint64Array(k.exports.memory.buffer, stateAt, 4).set(state);
  monteCarlo(k).mcXoshiroFill(stateAt, outAt, n);
  return [...new BigUint64Array(k.exports.memory.buffer, outAt, n)];
}

/** n outputs of SplitMix64 from a given state. */
export function splitMixOutputs(k: Kernel, state: bigint, n: number): bigint[] {
  const [stateAt, outAt] = k.layout([1, n]);
  new BigUint64Array(k.exports.memory.buffer, stateAt, 1)[0] = state;
  monteCarlo(k).mcSplitMixFill(stateAt, outAt, n);
  return [...new BigUint64Array(k.exports.memory.buffer, outAt, n)];
}

/**
 * nWords Bernoulli(p) words from lane states A and B through the flavour's bit-parallel path, as
 * [lanes 0–63, lanes 64–127] pairs.
 */
export function laneWords(k: Kernel, a: readonly bigint[], b: readonly bigint[], p: number, nWords: number): [bigint, bigint][] {
  const [stateAt, outAt] = k.layout([8, 2 * nWords]);
  const state = new BigUint64Array(k.exports.memory.buffer, stateAt, 8);
  for (let i = 0; i < 4; i++) {
    state[2 * i] = a[i];
    state[2 * i + 1] = b[i];
  }
  monteCarlo(k).mcLaneWords(stateAt, p, outAt, nWords);
  const words = new BigUint64Array(k.exports.memory.buffer, outAt, 2 * nWords);
  return [...Array(nWords).keys()].map((i) => [words[2 * i], words[2 * i + 1]]);
}

/** The SplitMix64 seed of (seed, cell, chunk). */
export function chunkSeed(k: Kernel, seed: number, cell: number, chunk: number): bigint {
  const [outAt] = k.layout([1]);
  monteCarlo(k).mcChunkSeed(seed, cell, chunk, outAt);
  return new BigUint64Array(k.exports.memory.buffer, outAt, 1)[0];
}

/** nWords Bernoulli(p) words (128 lanes each, as 2 × u64) from the chunk streams of (seed, cell, chunk). */
export function bernoulliWords(k: Kernel, p: number, seed: number, cell: number, chunk: number, nWords: number): BigUint64Array {
  const [outAt, scratch] = k.layout([2 * nWords, 0]);
  if (monteCarlo(k).mcBernoulliWords(p, seed, cell, chunk, outAt, nWords, scratch) < 0) throw new RangeError('out of memory');
  return new BigUint64Array(k.exports.memory.buffer, outAt, 2 * nWords).slice();
}
