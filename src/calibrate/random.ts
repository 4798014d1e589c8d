// Seeded randomness for calibration (§G): every bootstrap and every synthetic data set is a pure
// function of (seed, stream, index). We reuse the project's generators (§D4) instead of adding a
// new one: uniforms come from the kernel's xoshiro256** seeded by SplitMix64 from the §D4 chunk
// seed, and binomial counts from the Monte Carlo simulator itself (a depth-0 tree is one leaf, so
// its correct count over n trials is Binomial(n, p)).
import { kernel } from '../wasm/kernel.ts';
import { monteCarlo } from '../simulate/wasm.ts';
import { simulateTree } from '../simulate/tree.ts';

/**
 * Calibration's streams live in their own range of §D4 "cells" (far above any sweep's cell
 * numbers), one block of 2^32 per purpose, so no two purposes ever share random numbers.
 */
export const STREAMS = {
  correlationBootstrap: 1,
  fidelityBootstrap: 2,
  leafBootstrap: 3,
  syntheticCorrelation: 4,
  syntheticFidelity: 5,
  syntheticLeaf: 6,
  validateBootstrap: 7,
  syntheticMatched: 8,
  samplesBootstrap: 9,
  syntheticSamples: 10,
} as const;

const STREAM_BASE = 2 ** 44;
const STREAM_BLOCK = 2 ** 32;

/** The §D4 cell of stream (stream, index). */
export function streamCell(stream: number, index: number): number {
  return STREAM_BASE + stream * STREAM_BLOCK + index;
}

/** n uniforms in [0, 1) (53-bit) of stream (seed, stream, index). */
export function uniforms(seed: number, stream: number, index: number, n: number): Float64Array {
  const out = new Float64Array(n);
  if (n === 0) return out;
  const mc = monteCarlo(kernel);
  const [seedAt, stateAt, valuesAt] = kernel.layout([1, 4, n]);
  mc.mcChunkSeed(seed, streamCell(stream, index), 0, seedAt);
  mc.mcSplitMixFill(seedAt, stateAt, 4);
  mc.mcXoshiroFill(stateAt, valuesAt, n);
  const words = new Uint32Array(kernel.exports.memory.buffer, valuesAt, 2 * n);
  for (let i = 0; i < n; i++) {
    // The top 53 bits of the little-endian u64: 32 high bits and the top 21 of the low word.
    out[i] = (words[2 * i + 1] * 2097152 + (words[2 * i] >>> 11)) / 9007199254740992;
  }
  return out;
}

/** One Binomial(n, p) count from stream (seed, stream, index), drawn by the §D simulator. */
export function binomial(n: number, p: number, seed: number, stream: number, index: number): number {
  if (n === 0 || p <= 0) return 0;
  if (p >= 1) return n;
  return simulateTree({
    tree: { b: 3, gamma: 1, rho: 0 }, u0: 2 * p - 1, depth: 0, mode: 'full', trials: n, seed, cell: streamCell(stream, index),
  }).correct;
}
