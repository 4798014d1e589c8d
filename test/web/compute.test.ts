// What the explorer's workers compute (web/compute.ts), run in Node on the same library: the Monte
// Carlo depth plan, the channel (§B3), and that the page's numbers are the library's.
import { describe, expect, it } from 'vitest';
import {
  computeDesign, computeTheory, currentLevel, monteCarloCost, monteCarloDepths, simulatePoint, MAX_MC_POINTS, TYPICAL_VOTE_RATE,
} from '../../web/compute.ts';
import { defaultState, parseState } from '../../web/state.ts';
import { alpha, designBinary, fidelity, MAX_FULL_TREE_LEAVES, phaseGrid, simulateTree, trajectory } from '../../src/node.ts';
import { gridAxisForTest } from './gridAxis.ts';

describe('explorer computations', () => {
  it('Monte Carlo depths: every level up to 40, then every ⌈L/40⌉-th ending at L', () => {
    expect(monteCarloDepths(parseState('depth=12').state)).toEqual({ depths: Array.from({ length: 12 }, (_, i) => i + 1), skipped: 0 });
    const deep = monteCarloDepths(parseState('depth=200').state).depths;
    expect(deep.length).toBeLessThanOrEqual(MAX_MC_POINTS);
    expect(deep.at(-1)).toBe(200);
    expect(new Set(deep.slice(1).map((d, i) => d - deep[i]))).toEqual(new Set([5]));
  });

  it('full-tree mode keeps only the depths whose b^ℓ leaves fit a full simulation (§D1a)', () => {
    for (const b of [3, 5, 7, 99, 1001]) {
      const { depths, skipped } = monteCarloDepths({ ...defaultState(), b, depth: 40, mode: 'full' });
      const fits = Array.from({ length: 40 }, (_, i) => i + 1).filter((l) => b ** l <= MAX_FULL_TREE_LEAVES);
      expect(depths, `b=${b}`).toEqual(fits);
      expect(skipped).toBe(40 - fits.length);
    }
  });

  it('the planned Monte Carlo work is trials × Σ_ℓ b^ℓ (full trees) or trials × Σ_ℓ b·ℓ (levels), the sweep\'s measure', () => {
    const full = parseState('mode=full&b=5&depth=12&trials=200000').state;
    const { depths } = monteCarloDepths(full);
    const cost = monteCarloCost(full, depths);
    expect(cost.total).toBe(200_000 * depths.reduce((sum, l) => sum + 5 ** l, 0));
    expect(cost.seconds).toBe(cost.total / TYPICAL_VOTE_RATE.full);
    const levels = parseState('depth=30&trials=20000').state;
    expect(monteCarloCost(levels, monteCarloDepths(levels).depths).total).toBe(20_000 * 5 * (30 * 31) / 2);
  });

  it('γ comes from the message length through the chosen curve, or directly', () => {
    const s = parseState('channel=m&m=120&curve=rational&ginf=0.9&m0=30&b=7&rho=0.2').state;
    expect(currentLevel(s)).toEqual({ b: 7, gamma: fidelity({ kind: 'rational', gammaInf: 0.9, m0: 30 }, 120), rho: 0.2 });
    expect(currentLevel(defaultState()).gamma).toBe(defaultState().gamma);
  });

  it('theory, design and Monte Carlo are the library\'s numbers', () => {
    const s = parseState('b=3&gamma=0.8&rho=0.12&leaf=p0&q=0.56&depth=12&trials=3000&seed=5').state;
    const t = computeTheory(s);
    const level = { b: 3, gamma: 0.8, rho: 0.12 };
    const u0 = 2 * 0.56 - 1;
    expect(t.alpha).toBe(alpha(level));
    expect(t.exact).toEqual(Array.from(trajectory(level, u0, 12)));
    const axis = gridAxisForTest();
    const grid = phaseGrid({ b: [3], gamma: axis, rho: axis, u0: [u0], depths: [12] });
    expect(t.grid.uL).toEqual(grid.uL);
    expect(t.grid.uStar).toEqual(grid.uStar);
    expect(computeDesign(s).best).toEqual(designBinary({
      budget: s.budget, window: s.window, overhead: s.overhead, messageLengths: s.lengths, fidelity: { kind: 'constant', gamma: 0.8 },
      leafLaw: { kind: 'power', k: s.k, beta: s.beta, gMax: s.gMax }, rho: 0.12,
    }).best);
    expect(simulatePoint(s, 7)).toEqual({ depth: 7, ...simulateTree({ tree: level, u0, depth: 7, mode: 'levels', trials: 3000, seed: 5, cell: 7 }) });
  });
});
