// Typed errors for bad input: every simulator validates before doing any work.
import { describe, expect, it } from 'vitest';
import {
  InvalidParameterError, simulateContinuous, simulateContinuousChunk, simulateTree, simulateTreeChunk,
  simulateTreeScalarChunk, summarizeContinuous, summarizeCounts, validateContinuousSimulation, validateTreeSimulation,
  type TreeSimulationSpec,
} from '../../src/index.ts';

const ok: TreeSimulationSpec = { tree: { b: 3, gamma: 0.9, rho: 0.2 }, u0: 0.2, depth: 4, mode: 'full' };

function rejects(f: () => unknown, parameter: string, message?: RegExp): void {
  let caught: unknown;
  try {
    f();
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(InvalidParameterError);
  expect((caught as InvalidParameterError).parameter).toBe(parameter);
  if (message) expect((caught as Error).message).toMatch(message);
}

describe('tree simulation inputs', () => {
  it('trials must be an integer in [1, 2^53]', () => {
    for (const trials of [0, -1, 1.5, NaN, Infinity, 2 ** 53 + 2, '10' as unknown as number]) {
      rejects(() => simulateTree({ ...ok, trials, seed: 1 }), 'trials');
      rejects(() => validateTreeSimulation(ok, trials), 'trials');
    }
    expect(() => validateTreeSimulation(ok, 2 ** 53)).not.toThrow();
    rejects(() => simulateTreeChunk(ok, { seed: 1, cell: 0, chunk: 0, trials: 0 }), 'at.trials');
    rejects(() => simulateTreeChunk(ok, { seed: 1, cell: 0, chunk: 0, trials: 2 ** 24 + 1 }), 'at.trials');
  });

  it('a full tree whose leaf count overflows suggests mode levels', () => {
    rejects(() => validateTreeSimulation({ ...ok, depth: 21 }, 10), 'depth', /mode: 'levels'/);
    rejects(() => validateTreeSimulation({ ...ok, tree: { b: 101, gamma: 1, rho: 0 }, depth: 5 }, 10), 'depth', /levels/);
    rejects(() => validateTreeSimulation({ ...ok, tree: [{ b: 9999, gamma: 1, rho: 0 }, { b: 9999, gamma: 1, rho: 0 }, { b: 101, gamma: 1, rho: 0 }], depth: 3 }, 10), 'depth');
    expect(() => validateTreeSimulation({ ...ok, depth: 20 }, 10)).not.toThrow(); // 3^20 < 2^32
    expect(() => validateTreeSimulation({ ...ok, depth: 1000, mode: 'levels' }, 10)).not.toThrow();
  });

  it('everything the analytic core rejects', () => {
    rejects(() => validateTreeSimulation({ ...ok, tree: { b: 4, gamma: 0.9, rho: 0.2 } }, 10), 'tree.b');
    rejects(() => validateTreeSimulation({ ...ok, tree: { b: 1, gamma: 0.9, rho: 0.2 } }, 10), 'tree.b');
    rejects(() => validateTreeSimulation({ ...ok, tree: { b: 3, gamma: 1.1, rho: 0.2 } }, 10), 'tree.gamma');
    rejects(() => validateTreeSimulation({ ...ok, tree: { b: 3, gamma: 0.9, rho: -0.1 } }, 10), 'tree.rho');
    rejects(() => validateTreeSimulation({ ...ok, tree: [{ b: 3, gamma: 0.9, rho: 0.2 }] }, 10), 'tree');
    rejects(() => validateTreeSimulation({ ...ok, tree: [ok.tree as never, ok.tree as never, { b: 3, gamma: NaN, rho: 0 }, ok.tree as never] }, 10), 'tree[2].gamma');
    rejects(() => validateTreeSimulation({ ...ok, u0: 1.5 }, 10), 'u0');
    rejects(() => validateTreeSimulation({ ...ok, depth: -1 }, 10), 'depth');
    rejects(() => validateTreeSimulation({ ...ok, depth: 2.5 }, 10), 'depth');
    rejects(() => validateTreeSimulation({ ...ok, mode: 'deep' as never }, 10), 'mode');
    rejects(() => validateTreeSimulation(null as never, 10), 'spec');
  });

  it('variants', () => {
    rejects(() => validateTreeSimulation({ ...ok, variant: { kind: 'nope' } as never }, 10), 'variant.kind');
    rejects(() => validateTreeSimulation({ ...ok, variant: { kind: 'toString' } as never }, 10), 'variant.kind');
    rejects(() => validateTreeSimulation({ ...ok, variant: { kind: 'heterogeneous', betaA: 0, betaB: 1 } }, 10), 'variant.betaA');
    rejects(() => validateTreeSimulation({ ...ok, variant: { kind: 'heterogeneous', betaA: 1, betaB: Infinity } }, 10), 'variant.betaB');
    rejects(() => validateTreeSimulation({ ...ok, mode: 'levels', variant: { kind: 'heterogeneous', betaA: 1, betaB: 1 } }, 10), 'variant.kind', /mode: 'full'/);
    rejects(() => simulateTreeScalarChunk({ ...ok, mode: 'levels' }, { seed: 0, cell: 0, chunk: 0, trials: 10 }), 'mode');
  });

  it('seed, cell and chunk are integers in [0, 2^53)', () => {
    rejects(() => simulateTree({ ...ok, trials: 10, seed: -1 }), 'seed');
    rejects(() => simulateTree({ ...ok, trials: 10, seed: 2 ** 53 }), 'seed');
    rejects(() => simulateTree({ ...ok, trials: 10, seed: 1, cell: 0.5 }), 'cell');
    rejects(() => simulateTreeChunk(ok, { seed: 1, cell: 0, chunk: -2, trials: 10 }), 'chunk');
    rejects(() => simulateTreeChunk(ok, undefined as never), 'at');
  });

  it('summarizeCounts checks its counts', () => {
    rejects(() => summarizeCounts({ trials: 0, correct: 0 }), 'trials');
    rejects(() => summarizeCounts({ trials: 10, correct: 11 }), 'correct');
    expect(summarizeCounts({ trials: 4, correct: 3 })).toEqual({ trials: 4, correct: 3, accuracy: 0.75, bias: 0.5, stdError: 2 * Math.sqrt(0.75 * 0.25 / 4), stdErrorMethod: 'binomial' });
  });
});

describe('continuous simulation inputs', () => {
  const spec = { topology: { kind: 'star' as const, leaves: 5 }, v: 1, rho: 0.2, sigma2: 0.1 };
  it('rejects bad topologies, parameters and trial counts', () => {
    rejects(() => validateContinuousSimulation({ ...spec, topology: { kind: 'ring' } as never }, 10), 'topology.kind');
    rejects(() => validateContinuousSimulation({ ...spec, topology: { kind: 'star', leaves: 0 } }, 10), 'topology.leaves');
    rejects(() => validateContinuousSimulation({ ...spec, topology: { kind: 'chain', leaves: 2.5 } }, 10), 'topology.leaves');
    rejects(() => validateContinuousSimulation({ ...spec, topology: { kind: 'tree', b: 1, depth: 2 } }, 10), 'topology.b');
    rejects(() => validateContinuousSimulation({ ...spec, topology: { kind: 'tree', b: 3, depth: -1 } }, 10), 'topology.depth');
    rejects(() => validateContinuousSimulation({ ...spec, v: -1 }, 10), 'v');
    rejects(() => validateContinuousSimulation({ ...spec, rho: 1.5 }, 10), 'rho');
    rejects(() => validateContinuousSimulation({ ...spec, sigma2: NaN }, 10), 'sigma2');
    rejects(() => validateContinuousSimulation(spec, 0), 'trials');
    rejects(() => simulateContinuous({ ...spec, trials: 10, seed: -5 }), 'seed');
    rejects(() => simulateContinuousChunk(spec, { seed: 0, cell: 0, chunk: 0, trials: 2 ** 25 }), 'at.trials');
    rejects(() => summarizeContinuous({ trials: 3, sumSquares: -1, sumFourth: 0 }), 'sumSquares');
  });
});
