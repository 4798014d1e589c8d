// The phase-grid kernel equals the scalar API cell by cell (§B7–§B9), in both WASM flavours.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  alpha, clippedPredictor, fixedPoint, InvalidParameterError, mixingDepth, organizationExponent,
  phaseGrid, PhaseGridKernel, type PhaseGridSpec, regime, REGIME_CODES, trajectory,
} from '../src/index.ts';

const gridArb: fc.Arbitrary<PhaseGridSpec> = fc.record({
  b: fc.uniqueArray(fc.integer({ min: 1, max: 30 }).map((n) => 2 * n + 1), { minLength: 1, maxLength: 3 }),
  gamma: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 4 }),
  rho: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 4 }),
  u0: fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: 1, maxLength: 3 }),
  depths: fc.array(fc.integer({ min: 0, max: 40 }), { minLength: 1, maxLength: 3 }),
  epsilon: fc.constantFrom(0.05, 0.01),
});

/** Same number, where NaN equals NaN and null (scalar "none") equals NaN (grid "none"). */
function same(grid: number, scalar: number | null): void {
  if (scalar === null || Number.isNaN(scalar)) expect(grid).toBeNaN();
  else expect(grid).toBe(scalar);
}

function checkAgainstScalar(spec: PhaseGridSpec, r: ReturnType<typeof phaseGrid>): void {
  let cell = 0;
  for (const b of spec.b) for (const gamma of spec.gamma) for (const rho of spec.rho) for (const u0 of spec.u0) {
    const level = { b, gamma, rho };
    same(r.alpha[cell], alpha(level));
    same(r.s[cell], organizationExponent(level));
    same(r.uStar[cell], fixedPoint(level));
    const mix = mixingDepth(level, u0, spec.epsilon);
    same(r.mixingDepth[cell], mix.exact);
    same(r.mixingDepthSmallSignal[cell], mix.smallSignal);
    spec.depths.forEach((L, k) => {
      same(r.uL[cell * spec.depths.length + k], trajectory(level, u0, L)[L]);
      same(r.clipped[cell * spec.depths.length + k], clippedPredictor(level, u0, L));
    });
    cell++;
  }
  expect(r.cells).toBe(cell);
}

describe('phaseGrid kernel', () => {
  it('equals the scalar API on random grids', () => {
    fc.assert(fc.property(gridArb, (spec) => checkAgainstScalar(spec, phaseGrid(spec))), { numRuns: 60 });
  });

  it('K = 2 regimes equal the scalar regime(); b = 2 at γ = 1 is the identity map at every ρ', () => {
    const spec = { b: [2, 3, 4], gamma: [0.5, 1 / 1.5, 1], rho: [0, 0.5, 1], u0: [-0.2, 0.4], depths: [0, 3] };
    const r = phaseGrid(spec);
    checkAgainstScalar(spec, r);
    let cell = 0;
    for (const b of spec.b) for (const gamma of spec.gamma) for (const rho of spec.rho) for (const u0 of spec.u0) {
      const code = REGIME_CODES[r.regime[cell]];
      expect(code, `b=${b} γ=${gamma} ρ=${rho}`).toBe(regime({ b, gamma, rho }));
      // §B, §H4: f_1 is the identity, so with γ = 1 the bias is carried unchanged (not "critical")
      if (b === 2 && gamma === 1) {
        expect(code).toBe('identity');
        expect(r.uL[cell * 2 + 1]).toBe(u0);
      }
      cell++;
    }
  });

  it('plain and SIMD flavours give identical bits', async () => {
    const plain = await PhaseGridKernel.create('plain');
    const simd = await PhaseGridKernel.create('simd');
    fc.assert(fc.property(gridArb, (spec) => {
      const a = plain.run(spec);
      const b = simd.run(spec);
      for (const key of ['alpha', 's', 'uStar', 'mixingDepth', 'mixingDepthSmallSignal', 'uL', 'clipped'] as const) {
        expect(Buffer.from(a[key].buffer, a[key].byteOffset, a[key].byteLength))
          .toEqual(Buffer.from(b[key].buffer, b[key].byteOffset, b[key].byteLength));
      }
    }), { numRuns: 30 });
  });

  it('reuses one arena: memory does not grow across repeated runs of the same size', async () => {
    const k = await PhaseGridKernel.create('plain');
    const spec = { b: [5], gamma: Array.from({ length: 300 }, (_, i) => i / 299), rho: [0, 0.2, 0.4], u0: [0.05], depths: [10, 30] };
    k.run(spec);
    const bytes = (k as unknown as { kernel: { exports: { memory: WebAssembly.Memory } } }).kernel.exports.memory.buffer.byteLength;
    for (let i = 0; i < 50; i++) k.run(spec);
    expect((k as unknown as { kernel: { exports: { memory: WebAssembly.Memory } } }).kernel.exports.memory.buffer.byteLength).toBe(bytes);
  });

  it('reports the SPEC §F cell (b = 5, γ = 0.6, ρ = 0, u_0 = 0.05)', () => {
    const r = phaseGrid({ b: [5], gamma: [0.6], rho: [0], u0: [0.05], depths: [10, 30] });
    expect(r.alpha[0]).toBeCloseTo(1.125, 14);
    expect(r.uStar[0]).toBeCloseTo(0.6991, 4);
    expect(r.uL[0]).toBeCloseTo(0.1590, 4);
  });

  it('caps the exact mixing depth and says so with NaN', () => {
    const nearCritical = { b: [5], gamma: [1.000001 / 1.875], rho: [0], u0: [0.001], depths: [1], maxMixingDepth: 100 };
    expect(phaseGrid(nearCritical).mixingDepth[0]).toBeNaN();
    expect(phaseGrid({ ...nearCritical, maxMixingDepth: 10_000_000 }).mixingDepth[0]).toBeGreaterThan(100);
  });

  it('rejects empty axes and out-of-range values, naming the axis', () => {
    const ok = { b: [5], gamma: [0.6], rho: [0], u0: [0.05], depths: [10] };
    expect(() => phaseGrid({ ...ok, gamma: [] })).toThrow(/^gamma must be a non-empty array/);
    expect(() => phaseGrid({ ...ok, rho: [0, 1.5] })).toThrow(/^rho\[1\] must be a number in \[0, 1\]/);
    expect(() => phaseGrid({ ...ok, b: [1] })).toThrow(InvalidParameterError);
    expect(() => phaseGrid({ ...ok, depths: [-1] })).toThrow(/^depths\[0\] must be an integer/);
  });
});
