// The raw Monte Carlo exports of build/{plain,simd}.wasm (assembly/montecarlo/). They live beside the
// analytic exports of KernelExports in the same module; this interface types the ones SPEC §D adds.
import type { Kernel } from '../wasm/kernel.ts';

export interface MonteCarloExports {
  readonly memory: WebAssembly.Memory;
  reserve(bytes: number): number;
  mcFullTree(
    bPtr: number, gammaPtr: number, rhoPtr: number, levels: number, depth: number, u0: number, kind: number,
    betaA: number, betaB: number, seed: number, cell: number, chunk: number, trials: number, scratch: number,
  ): number;
  mcFullTreeScalar(
    bPtr: number, gammaPtr: number, rhoPtr: number, levels: number, depth: number, u0: number, kind: number,
    betaA: number, betaB: number, seed: number, cell: number, chunk: number, trials: number, scratch: number,
  ): number;
  mcLevels(
    bPtr: number, gammaPtr: number, rhoPtr: number, levels: number, depth: number, u0: number, kind: number,
    seed: number, cell: number, chunk: number, trials: number, scratch: number,
  ): number;
  mcContinuous(
    kind: number, size: number, depth: number, v: number, rho: number, sigma2: number,
    seed: number, cell: number, chunk: number, trials: number, scratch: number, outPtr: number,
  ): number;
  mcLaneWords(statePtr: number, p: number, outPtr: number, nWords: number): void;
  mcBernoulliWords(p: number, seed: number, cell: number, chunk: number, outPtr: number, nWords: number, scratch: number): number;
  mcXoshiroFill(statePtr: number, outPtr: number, n: number): void;
  mcSplitMixFill(statePtr: number, outPtr: number, n: number): void;
  mcChunkSeed(seed: number, cell: number, chunk: number, outPtr: number): void;
}

export function monteCarlo(k: Kernel): MonteCarloExports {
  return k.exports as unknown as MonteCarloExports;
}

/** A kernel result of −1 means the arena could not grow. */
export function checkGrown(result: number, what: string): number {
  if (result < 0) throw new RangeError(`the WebAssembly kernel could not grow its memory for ${what}`);
  return result;
}
