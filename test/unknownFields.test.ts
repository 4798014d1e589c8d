// Issue 16: a misspelt option (`trails: 5`) is an InvalidParameterError naming it, not silently
// ignored — in simulateTree, the levels of a tree, phaseGrid and sweep options, as in sweep specs.
import { describe, expect, it } from 'vitest';
import { InvalidParameterError, phaseGrid, simulateTree, sweep, trajectory } from '../src/index.ts';

const level = { b: 5, gamma: 0.9, rho: 0.1 };

describe('unknown fields are rejected', () => {
  it('simulateTree', () => {
    const good = { tree: level, u0: 0.1, depth: 2, mode: 'levels' as const, trials: 100, seed: 1 };
    expect(simulateTree(good).trials).toBe(100);
    expect(() => simulateTree({ ...good, trails: 5 } as never)).toThrow(InvalidParameterError);
    expect(() => simulateTree({ ...good, trails: 5 } as never)).toThrow(/spec\.trails must be not present: spec has only tree, u0, depth/);
  });

  it('levels of a tree (one level, or one per depth), in the simulator and the theory', () => {
    const good = { tree: level, u0: 0.1, depth: 2, mode: 'levels' as const, trials: 100, seed: 1 };
    expect(() => simulateTree({ ...good, tree: { ...level, trails: 5 } } as never)).toThrow(/tree\.trails must be not present: tree has only b, gamma, rho, aggregator/);
    expect(() => simulateTree({ ...good, tree: [level, { ...level, gama: 0.8 }] } as never)).toThrow(InvalidParameterError);
    expect(() => simulateTree({ ...good, tree: [level, { ...level, gama: 0.8 }] } as never)).toThrow(/tree\[1\]\.gama must be not present/);
    expect(() => trajectory({ ...level, gama: 0.8 } as never, 0.1, 3)).toThrow(/gama must be not present/);
    expect(trajectory(level, 0.1, 3)).toHaveLength(4);
  });

  it('phaseGrid', () => {
    const good = { b: [5], gamma: [0.9], rho: [0.1], u0: [0.1], depths: [3] };
    expect(phaseGrid(good).cells).toBe(1);
    expect(() => phaseGrid({ ...good, depth: [3] } as never)).toThrow(/spec\.depth must be not present/);
  });

  it('sweep options', () => {
    const spec = { b: [5], gamma: [0.9], rho: [0.1], u0: [0.1], depth: [3] };
    expect(sweep(spec, { seed: 1 }).cells).toBe(1);
    expect(() => sweep(spec, { sed: 1 } as never)).toThrow(InvalidParameterError);
    expect(() => sweep(spec, { sed: 1 } as never)).toThrow(/options\.sed must be not present: options has only seed, workers/);
  });
});
