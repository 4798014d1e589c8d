// Sweep specs: axes as lists or ranges, cell order, and bad specs rejected before any work with an
// InvalidParameterError naming the axis.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  fidelity, InvalidParameterError, sweep,
  type FidelityCurve, type SweepExecutor, type SweepSpec,
} from '../../src/index.ts';
import { axisValues } from '../../src/sweep/axes.ts';
import { cellRangeBoxes } from '../../src/sweep/plan.ts';

const base: SweepSpec = { b: [3], gamma: [0.8], rho: [0], u0: [0.1], depth: [5] };

/** An executor that records whether any work reached it. */
class TrapExecutor implements SweepExecutor {
  readonly concurrency = 1;
  calls = 0;
  run(): never {
    this.calls++;
    throw new Error('no task should run');
  }
  async close(): Promise<void> {}
}

function rejects(spec: unknown, parameter: RegExp): void {
  const trap = new TrapExecutor();
  let error: unknown;
  try {
    sweep(spec as SweepSpec, { executor: trap });
  } catch (e) {
    error = e;
  }
  expect(error, `spec ${JSON.stringify(spec)}`).toBeInstanceOf(InvalidParameterError);
  expect((error as InvalidParameterError).parameter).toMatch(parameter);
  expect(trap.calls).toBe(0);
}

describe('axes', () => {
  it('ranges by count include both ends exactly', () => {
    expect(axisValues('x', { start: 0, stop: 1, count: 5 })).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(axisValues('x', { start: 1, stop: 0, count: 3 })).toEqual([1, 0.5, 0]);
    expect(axisValues('x', { start: 0.3, stop: 0.3, count: 1 })).toEqual([0.3]);
    const v = axisValues('x', { start: 0.1, stop: 0.7, count: 7 });
    expect(v[0]).toBe(0.1);
    expect(v[6]).toBe(0.7);
  });

  it('ranges by step include the stop when it lands on the grid, in either direction', () => {
    expect(axisValues('b', { start: 3, stop: 11, step: 2 })).toEqual([3, 5, 7, 9, 11]);
    expect(axisValues('b', { start: 3, stop: 10, step: 2 })).toEqual([3, 5, 7, 9]);
    expect(axisValues('x', { start: 1, stop: 0, step: -0.25 })).toEqual([1, 0.75, 0.5, 0.25, 0]);
    const tenths = axisValues('x', { start: 0, stop: 0.5, step: 0.1 });
    expect(tenths.length).toBe(6);
    expect(tenths[5]).toBe(0.5);
  });

  it('cell range boxes tile any range of any grid, in order', () => {
    fc.assert(fc.property(
      fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 6 }).chain((shape) => {
        const cells = shape.reduce((a, b) => a * b, 1);
        return fc.tuple(fc.constant(shape), fc.integer({ min: 0, max: cells }), fc.integer({ min: 0, max: cells }));
      }),
      ([shape, x, y]) => {
        const [lo, hi] = x <= y ? [x, y] : [y, x];
        const strides = shape.map((_, i) => shape.slice(i + 1).reduce((a, b) => a * b, 1));
        const covered: number[] = [];
        const boxes = cellRangeBoxes(lo, hi, shape);
        expect(boxes.length).toBeLessThanOrEqual(2 * (shape.length - 1) + 1);
        for (const box of boxes) {
          // Row-major enumeration of the box.
          const walk = (dim: number, offset: number): void => {
            if (dim === shape.length) {
              covered.push(offset);
              return;
            }
            for (let i = box[dim][0]; i < box[dim][1]; i++) walk(dim + 1, offset + i * strides[dim]);
          };
          walk(0, 0);
        }
        expect(covered).toEqual(Array.from({ length: hi - lo }, (_, i) => lo + i));
      },
    ));
  });
});

describe('sweep spec', () => {
  it('numbers cells with the last axis fastest: b, gamma, rho, u0, depth, trials', async () => {
    const run = sweep({ b: [3, 5], gamma: [0.7, 0.9], rho: [0, 0.1, 0.2], u0: [0.1], depth: [1, 2] });
    expect(run.cells).toBe(24);
    const cells = await run.collect();
    expect(cells.map((c) => c.cell)).toEqual(Array.from({ length: 24 }, (_, i) => i));
    expect(cells[0]).toMatchObject({ b: 3, gamma: 0.7, rho: 0, u0: 0.1, depth: 1 });
    expect(cells[1]).toMatchObject({ b: 3, gamma: 0.7, rho: 0, depth: 2 });
    expect(cells[2]).toMatchObject({ b: 3, gamma: 0.7, rho: 0.1, depth: 1 });
    expect(cells[6]).toMatchObject({ b: 3, gamma: 0.9, rho: 0, depth: 1 });
    expect(cells[12]).toMatchObject({ b: 5, gamma: 0.7, rho: 0, depth: 1 });
    expect(run.parameters(23)).toEqual({ b: 5, gamma: 0.9, rho: 0.2, u0: 0.1, depth: 2 });
    for (const c of cells) expect(c.trials).toBeUndefined();
  });

  it('sweeps m through a fidelity curve (§B3): γ = fidelity(curve, m)', async () => {
    const curve: FidelityCurve = { kind: 'saturating', gammaInf: 0.95, m0: 40 };
    const cells = await sweep({ b: [5], m: { start: 10, stop: 200, count: 5 }, fidelity: curve, rho: [0], u0: [0.05], depth: [10] }).collect();
    expect(cells.map((c) => c.m)).toEqual([10, 57.5, 105, 152.5, 200]);
    for (const c of cells) expect(c.gamma).toBe(fidelity(curve, c.m!));
    // Larger messages are more faithful, so α_ρ grows with m.
    expect(cells[4].theory!.alpha).toBeGreaterThan(cells[0].theory!.alpha);
  });

  it('rejects an empty axis, naming it', () => {
    rejects({ ...base, rho: [] }, /^rho$/);
    rejects({ ...base, depth: undefined }, /^depth$/);
  });

  it('rejects an unknown field, naming it', () => {
    rejects({ ...base, gama: [0.5] }, /^gama$/);
    rejects({ ...base, rho: { start: 0, stop: 1, count: 3, stepp: 1 } }, /^rho\.stepp$/);
  });

  it('rejects zero and wrong-signed steps, and malformed ranges', () => {
    rejects({ ...base, gamma: { start: 0, stop: 1, step: 0 } }, /^gamma\.step$/);
    rejects({ ...base, gamma: { start: 0, stop: 1, step: -0.1 } }, /^gamma\.step$/);
    rejects({ ...base, u0: { start: 0.5, stop: -0.5, step: 0.1 } }, /^u0\.step$/);
    rejects({ ...base, rho: { start: 0, stop: 1, count: 0 } }, /^rho\.count$/);
    rejects({ ...base, rho: { start: 0, stop: 1, count: 1 } }, /^rho\.count$/);
    rejects({ ...base, rho: { start: 0, stop: 1, count: 3, step: 0.5 } }, /^rho$/);
    rejects({ ...base, rho: { start: 0, stop: Number.NaN, count: 3 } }, /^rho\.stop$/);
  });

  it('rejects out-of-range values, naming the axis and index', () => {
    rejects({ ...base, b: [3, 1] }, /^b\[1\]$/);
    rejects({ ...base, b: [3, 4], compute: 'both' }, /^b\[1\]$/); // simulators have no tie-break
    rejects({ ...base, b: { start: 1, stop: 5, step: 2 } }, /^b\[0\]$/);
    rejects({ ...base, gamma: [0.5, 1.5] }, /^gamma\[1\]$/);
    rejects({ ...base, rho: { start: 0, stop: 1.2, count: 7 } }, /^rho\[6\]$/);
    rejects({ ...base, u0: [-2] }, /^u0\[0\]$/);
    rejects({ ...base, depth: [2.5] }, /^depth\[0\]$/);
    rejects({ ...base, gamma: undefined, m: [-1], fidelity: { kind: 'constant', gamma: 0.5 } }, /^m\[0\]$/);
  });

  it('rejects inconsistent fields', () => {
    rejects({ ...base, m: [10], fidelity: { kind: 'constant', gamma: 0.5 } }, /^m$/);
    rejects({ ...base, gamma: undefined, m: [10] }, /^fidelity$/);
    rejects({ ...base, fidelity: { kind: 'constant', gamma: 0.5 } }, /^fidelity$/);
    rejects({ ...base, compute: 'theory', trials: [100] }, /^trials$/); // trials alone means compute 'both'
    rejects({ ...base, mode: 'levels' }, /^mode$/);
    rejects({ ...base, compute: 'montecarlo' }, /^trials$/);
    rejects({ ...base, compute: 'montecarlo', trials: [100], epsilon: 0.1 }, /^epsilon$/);
    rejects({ ...base, compute: 'everything' }, /^compute$/);
  });

  it('rejects Monte Carlo cells the simulator cannot run, naming the sweep axis', () => {
    // 5^14 leaves per trial exceed the full-tree simulator's 2^32.
    rejects({ ...base, b: [5], depth: [3, 14], compute: 'montecarlo', trials: [10] }, /^depth\[1\]$/);
    rejects({ ...base, compute: 'both', trials: [10, 0] }, /^trials\[1\]$/);
    rejects({ ...base, compute: 'montecarlo', trials: [10], mode: 'levels', variant: { kind: 'heterogeneous', betaA: 2, betaB: 2 } }, /^variant\.kind$/);
  });

  it('rejects bad options, naming them', () => {
    const trap = new TrapExecutor();
    for (const [options, name] of [
      [{ seed: -1 }, 'seed'], [{ seed: 1.5 }, 'seed'], [{ chunkSize: 0 }, 'chunkSize'], [{ workers: 0 }, 'workers'],
      [{ leafVotesPerTask: 0 }, 'leafVotesPerTask'], [{ onProgress: 3 }, 'onProgress'], [{ signal: {} }, 'signal'],
    ] as const) {
      expect(() => sweep(base, { executor: trap, ...(options as object) })).toThrow(expect.objectContaining({ parameter: name }));
    }
    expect(trap.calls).toBe(0);
  });

  it('a run is consumed once', async () => {
    const run = sweep(base);
    await run.collect();
    expect(() => run.blocks()).toThrow(/consumed once/);
  });
});
