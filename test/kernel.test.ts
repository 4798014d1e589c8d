// Loading the WASM flavours (plain and SIMD) and choosing one by feature detection.
import { describe, expect, it } from 'vitest';
import { instantiateKernel, simdSupported } from '../src/index.ts';
import { defaultFlavour, kernel } from '../src/wasm/kernel.ts';

describe('WASM flavours', () => {
  it('each flavour reports how it was compiled', async () => {
    expect((await instantiateKernel('plain')).exports.simdBuild()).toBe(0);
    expect((await instantiateKernel('simd')).exports.simdBuild()).toBe(1);
  });
  it('detects SIMD on Node 20 (V8 has had it since Node 16) and loads that flavour unless forced', () => {
    expect(simdSupported()).toBe(true);
    expect(kernel.flavour).toBe(defaultFlavour());
    expect(kernel.flavour).toBe(process.env.BUDGETED_SYNERGY_WASM ?? 'simd');
    expect(kernel.exports.simdBuild()).toBe(kernel.flavour === 'simd' ? 1 : 0);
  });
});
