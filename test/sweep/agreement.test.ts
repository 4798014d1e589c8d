// Issue 15: the library and the CLI agree — one default seed, `trials` alone turns Monte Carlo on,
// scalar axis values, one name per concept (depth for a sweep axis, depths for phaseGrid's list).
import { describe, expect, it } from 'vitest';
import { DEFAULT_SEED, expectedRootBias, InvalidParameterError, phaseGrid, simulateTree, sweep, type SweepSpec } from '../../src/index.ts';
import { resolveBootstrap } from '../../src/calibrate/bootstrap.ts';
import { synergy } from '../cli/run.ts';

const base: SweepSpec = { b: [5], gamma: [0.8], rho: [0.1], u0: [0.1], depth: [3] };

function thrown(f: () => unknown): InvalidParameterError {
  try {
    f();
  } catch (e) {
    if (e instanceof InvalidParameterError) return e;
    throw e;
  }
  throw new Error('did not throw');
}

describe('library and CLI agree', () => {
  it('one default seed: sweep without a seed equals seed DEFAULT_SEED and the CLI default', async () => {
    expect(DEFAULT_SEED).toBe(1);
    const spec: SweepSpec = { ...base, trials: [70_000], compute: 'montecarlo' };
    const byDefault = await sweep(spec).collect();
    expect(byDefault).toEqual(await sweep(spec, { seed: DEFAULT_SEED }).collect());
    expect(byDefault).not.toEqual(await sweep(spec, { seed: 0 }).collect());
    expect(resolveBootstrap({}).seed).toBe(DEFAULT_SEED);
    // The CLI's simulate with no --seed simulates cell = depth; the sweep cell 0 differs by design,
    // so compare the seed it reports.
    const cli = JSON.parse((await synergy(['simulate', '--b', '5', '--gamma', '0.8', '--rho', '0.1', '--u0', '0.1', '--depth', '3', '--trials', '1000', '--json'])).stdout);
    expect(cli.seed).toBe(DEFAULT_SEED);
  });

  it('trials alone turns Monte Carlo on (theory beside it), as sweep --trials does', async () => {
    const [cell] = await sweep({ ...base, trials: [1000] }).collect();
    expect(cell.montecarlo?.trials).toBe(1000);
    expect(cell.theory?.uL).toBeTypeOf('number');
    expect(thrown(() => sweep({ ...base, compute: 'theory', trials: [1000] })).parameter).toBe('trials');
  });

  it('a scalar axis value is a one-value axis', async () => {
    const scalar = await sweep({ b: 5, gamma: 0.8, rho: 0.1, u0: 0.1, depth: 3, trials: 1000 }).collect();
    expect(scalar).toEqual(await sweep({ ...base, trials: [1000] }).collect());
    expect(thrown(() => sweep({ ...base, gamma: Number.NaN })).parameter).toBe('gamma');
    expect(thrown(() => sweep({ ...base, gamma: 1.5 })).parameter).toBe('gamma[0]');
  });

  it('depth / depths: each API names the other spelling in its refusal', () => {
    const s = thrown(() => sweep({ ...base, depth: undefined, depths: [3] } as unknown as SweepSpec));
    expect(s.parameter).toBe('depths');
    expect(s.message).toMatch(/the sweep axis is named depth/);
    const p = thrown(() => phaseGrid({ b: [5], gamma: [0.8], rho: [0.1], u0: [0.1], depth: [3] } as never));
    expect(p.parameter).toBe('depth');
    expect(p.message).toMatch(/named depths/);
  });

  it('the heterogeneous variant takes betaA/betaB; the old a/b are refused, pointing to the new names', async () => {
    const tree = { b: 3, gamma: 0.9, rho: 0.1 };
    const old = { kind: 'heterogeneous', a: 2, b: 1.5 } as never;
    for (const call of [
      () => simulateTree({ tree, u0: 0, depth: 2, mode: 'full', variant: old, trials: 10, seed: 1 }),
      () => expectedRootBias({ tree, u0: 0, depth: 2, variant: old }),
    ]) {
      const e = thrown(call);
      expect(e.parameter).toBe('variant.a');
      expect(e.message).toMatch(/named betaA and betaB \(b is the fan-in\)/);
    }
    const r = simulateTree({ tree, u0: 0, depth: 2, mode: 'full', variant: { kind: 'heterogeneous', betaA: 2, betaB: 1.5 }, trials: 1000, seed: 1 });
    expect(r.trials).toBe(1000);
    const cli = JSON.parse((await synergy(['simulate', '--b', '3', '--gamma', '0.9', '--rho', '0.1', '--u0', '0', '--depth', '2', '--trials', '1000', '--variant', 'heterogeneous:2,1.5', '--json'])).stdout);
    expect(cli.variant).toEqual({ kind: 'heterogeneous', betaA: 2, betaB: 1.5 });
    expect(cli.correct).toBe(simulateTree({ tree, u0: 0, depth: 2, mode: 'full', variant: cli.variant, trials: 1000, seed: 1, cell: 2 }).correct);
  });
});
