// What the explorer's workers compute (web/compute.ts), run in Node on the same library: the Monte
// Carlo depth plan, the channel (§B3), and that the page's numbers are the library's.
import { describe, expect, it } from 'vitest';
import {
  AUTO_START_SECONDS, computeDesign, computeTheory, currentLevel, monteCarloCost, monteCarloDepths, REGIME_CODES, simulatePoint, snapToGrid,
  MAX_MC_POINTS, TYPICAL_PLURALITY_VOTE_RATE, TYPICAL_VOTE_RATE,
} from '../../web/compute.ts';
import { defaultState, parseState } from '../../web/state.ts';
import { currentDataJson } from '../../web/exports.ts';
import {
  alpha, betaShape, bistableGamma, criticalGamma, designBinary, dominantLevelMap, dominantStateFromSkill, expectedRootAccuracy, fidelity,
  MAX_FULL_TREE_LEAVES, phaseGrid, phaseStructure, rootBias, simulatePlurality, simulateScopedTree, simulateTree, trajectory,
} from '../../src/node.ts';
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

  // 40%: the level-by-level error is the spread of 16 replicate populations (issue 12), honest and
  // wider than the old delta-method one; more trials would exceed the auto-start limit.
  it('default trials give readable error bars: every ±2σ within 40% of u_ℓ at the default design, and the run starts by itself', () => {
    const s = defaultState();
    const { depths } = monteCarloDepths(s);
    expect(monteCarloCost(s, depths).seconds).toBeLessThanOrEqual(AUTO_START_SECONDS);
    const t = computeTheory(s);
    for (const depth of depths) {
      const p = simulatePoint(s, depth);
      expect(2 * p.stdError, `ℓ = ${depth}`).toBeLessThan(0.4 * t.exact[depth]);
      // And the bars are honest at this seed: the exact value lies within 6σ.
      expect(Math.abs(p.bias - t.exact[depth]), `ℓ = ${depth}`).toBeLessThan(6 * p.stdError);
    }
  });

  it('a picked cell is rounded to the grid\'s decimals and stays in its cell', () => {
    const axis = gridAxisForTest();
    axis.forEach((v, i) => {
      const snapped = snapToGrid(v);
      expect(snapped.toString().replace(/^0\./, '').length).toBeLessThanOrEqual(3);
      expect(Math.floor(snapped * axis.length)).toBe(i);
    });
  });

  it('K = 10 answers (§H5): bistable regime with s†, every fixed point, and the bistable cells lie between γ_b(ρ) and γ_c(ρ)', () => {
    const s = parseState('answers=10&b=3&gamma=0.85&rho=0&q=0.3&depth=20').state;
    const t = computeTheory(s);
    const level = { b: 3, gamma: 0.85, rho: 0 };
    const ps = phaseStructure(level, { answers: 10 });
    expect(t.regime).toBe('bistable');
    expect(t.fixedPoints).toEqual(ps.fixedPoints);
    expect(t.fixedPoints.map((f) => f.stable)).toEqual([true, false, true]);
    expect(t.threshold).toBe(ps.threshold);
    expect(t.chance).toBe(0.1);
    expect(t.clipped).toBeNull();
    expect(t.exact).toEqual(Array.from(trajectory(level, 0.3, 20, { answers: 10 })));
    // Leaves above s† climb to the high fixed point.
    expect(t.exact[20]).toBeGreaterThan(0.9);
    const axis = gridAxisForTest();
    const bistable = REGIME_CODES.indexOf('bistable'), amplifying = REGIME_CODES.indexOf('amplifying');
    let counted = 0;
    for (const ir of [0, 30, 60, 90]) {
      const rho = axis[ir];
      const [gb, gc] = [bistableGamma(3, rho, { answers: 10 }), criticalGamma(3, rho, { answers: 10 })];
      expect(gb).toBeLessThan(gc);
      axis.forEach((gamma, ig) => {
        const code = t.grid.regime[ig * axis.length + ir];
        // Cells clear of the two lines by a grid tolerance (the scan's resolution) must agree with them.
        if (gamma > gb + 1e-3 && gamma < gc - 1e-3) { expect(code, `γ=${gamma} ρ=${rho}`).toBe(bistable); counted++; }
        if (gamma > gc + 1e-3) expect(code).toBe(amplifying);
        if (gamma < gb - 1e-3) expect(REGIME_CODES[code]).toBe('subcritical');
      });
    }
    expect(counted).toBeGreaterThan(10);
    expect(t.lines.bistableGamma![0]).toBe(bistableGamma(3, 0, { answers: 10 }));
  });

  it('b = 2 at γ = 1 (K = 2) is the identity on the page; a tangency exports as semi-stable', () => {
    // §B, §H4: f_1(u) = u, so T is the identity whatever ρ is (the page said "critical" before)
    const t = computeTheory(parseState('b=2&gamma=1&rho=0.2&depth=6').state);
    expect(t.regime).toBe('identity');
    expect(t.fixedPoints).toEqual([]);
    expect(t.uStar).toBeNaN();
    const tangent = computeTheory(parseState('answers=open&b=3&gamma=0.8&rho=0&q=0.7&depth=6').state);
    const json = JSON.parse(currentDataJson('', tangent, []));
    expect(json.fixedPoints.map((f: { stability: string }) => f.stability)).toEqual(['stable', 'semi-stable (tangency)']);
  });

  it('a dominant distractor iterates the two-number map; a judge and open answers reach the library; accuracy from chance 1/K', () => {
    const s = parseState('answers=5&distractor=dominant&delta=0.7&aggregator=judge&v=0.4&b=4&gamma=0.8&leaf=p0&q=0.4&depth=8').state;
    const t = computeTheory(s);
    const level = { b: 4, gamma: 0.8, rho: 0.1, aggregator: { judge: 0.4 } };
    expect(t.level).toEqual(level);
    let st = dominantStateFromSkill(t.u0, 5, 0.7);
    for (let l = 1; l <= 8; l++) {
      st = dominantLevelMap(level, 5, st);
      expect(t.exact[l]).toBe((st.p - 0.2) / 0.8);
      expect(t.dominant![l]).toBe(st.d);
    }
    expect(t.u0).toBeCloseTo((0.4 - 0.2) / 0.8, 15);
    const open = computeTheory(parseState('answers=open&b=5&gamma=0.9&q=0.4&depth=6').state);
    expect(open.chance).toBe(0);
    expect(open.alpha).toBeCloseTo(0.9, 12); // α = γ for open answers (§H5)
  });

  it('§I1 ρ_task: the exact line is the mixture; §I2 difficulty: the mean over tasks; K ≠ 2 refuses both (as the CLI does)', () => {
    const s = parseState('b=4&gamma=0.9&rhotask=0.2&depth=10').state;
    const level = { b: 4, gamma: 0.9, rho: 0.1 };
    const t = computeTheory(s);
    t.exact.forEach((u, l) => expect(u).toBe(rootBias(level, 0.05, l, { rhoTask: 0.2 })));
    const d = computeTheory({ ...s, dispersion: 0.1 });
    expect(d.exact[10]).toBe(2 * expectedRootAccuracy(level, 10, { rhoTask: 0.2, difficulty: { mean: 0.525, dispersion: 0.1 } }) - 1);
    expect(() => computeTheory({ ...s, answers: 3 })).toThrow(/rhoTask/);
    expect(() => computeTheory({ ...s, rhoTask: 0, dispersion: 0.1, answers: 'open' })).toThrow(/dispersion/);
  });

  it('§B9: u₀ above u* is "falling" (the clipped predictor is then a lower bound)', () => {
    const falling = computeTheory(parseState('q=0.9&depth=10').state);
    expect(falling.trend).toBe('falling');
    falling.exact.forEach((u, l) => expect(u).toBeGreaterThanOrEqual(falling.clipped![l] - 1e-15));
    const growing = computeTheory(defaultState());
    expect(growing.trend).toBe('growing');
    growing.exact.forEach((u, l) => expect(u).toBeLessThanOrEqual(growing.clipped![l] + 1e-15));
  });

  it('Monte Carlo dispatch: plurality (§H6), ρ_task per trial (§I1), difficulty as Beta leaves (§D2) — the library\'s counts, within 6σ of exact', () => {
    const k = parseState('answers=10&b=3&gamma=0.85&rho=0&q=0.3&depth=4&trials=20000&seed=9').state;
    const p = simulatePoint(k, 4);
    const r = simulatePlurality({ tree: { b: 3, gamma: 0.85, rho: 0 }, task: { answers: 10 }, s0: 0.3, depth: 4, mode: 'levels', trials: 20000, seed: 9, cell: 4 });
    expect(p).toEqual({ depth: 4, trials: r.trials, correct: r.correct, accuracy: r.accuracy, bias: r.skill, stdError: r.skillStdError, stdErrorMethod: r.stdErrorMethod });
    expect(Math.abs(p.bias - computeTheory(k).exact[4])).toBeLessThan(6 * p.stdError);

    const scoped = parseState('b=3&gamma=0.9&rhotask=0.3&q=0.2&depth=5&mode=full&trials=20000&seed=4').state;
    const level = { b: 3, gamma: 0.9, rho: 0.1 };
    const q = simulatePoint(scoped, 5);
    expect(q).toEqual({ depth: 5, ...simulateScopedTree({ tree: level, u0: 0.2, depth: 5, mode: 'full', trials: 20000, seed: 4, cell: 5, rhoTask: 0.3 }) });
    expect(Math.abs(q.bias - computeTheory(scoped).exact[5])).toBeLessThan(6 * q.stdError);
    expect(() => simulatePoint({ ...scoped, mode: 'levels' }, 5)).toThrow(/full/);

    const hard = { ...scoped, rhoTask: 0, dispersion: 0.2 };
    const h = simulatePoint(hard, 5);
    const { a, b } = betaShape({ mean: 0.6, dispersion: 0.2 });
    expect(h).toEqual({ depth: 5, ...simulateTree({ tree: level, u0: 0.2, depth: 5, mode: 'full', trials: 20000, seed: 4, cell: 5, variant: { kind: 'heterogeneous', betaA: a, betaB: b } }) });
    expect(Math.abs(h.bias - computeTheory(hard).exact[5])).toBeLessThan(6 * h.stdError);
    expect(monteCarloCost(k, [4]).seconds).toBe(20000 * 3 * 4 / TYPICAL_PLURALITY_VOTE_RATE.levels);
  });

  it('even b is accepted (§H3: random tie-break; for K = 2 it equals b − 1); its Monte Carlo is the plurality simulator\'s, within 6σ', () => {
    const s = parseState('b=4&gamma=0.9&q=0.2&depth=6&trials=20000&seed=3').state;
    const even = computeTheory(s);
    const odd = computeTheory(parseState('b=3&gamma=0.9&q=0.2&depth=6').state);
    even.exact.forEach((u, l) => expect(u).toBeCloseTo(odd.exact[l], 12));
    const p = simulatePoint(s, 6);
    const r = simulatePlurality({ tree: { b: 4, gamma: 0.9, rho: 0.1 }, task: { answers: 2 }, s0: 0.2, depth: 6, mode: 'levels', trials: 20000, seed: 3, cell: 6 });
    expect(p).toEqual({ depth: 6, trials: r.trials, correct: r.correct, accuracy: r.accuracy, bias: r.skill, stdError: r.skillStdError, stdErrorMethod: r.stdErrorMethod });
    expect(Math.abs(p.bias - even.exact[6])).toBeLessThan(6 * p.stdError);
    expect(() => simulatePoint({ ...s, rhoTask: 0.2 }, 6)).toThrow(/rhoTask/);
  });
});
