// SPEC §J1–§J2 — predictions from a measured single agent against direct formulas written here.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fixedPoint, InvalidParameterError, predictMatched, saturationThreshold, type MatchedBudgetProblem } from '../../src/index.ts';

/** f_b(u) by the binomial sum of §B5 in log space; an even b with random tie-break adds half the ties. */
function majorityDirect(b: number, u: number): number {
  const p = (1 + u) / 2;
  const q = 1 - p;
  let logC = 0;
  let right = 0;
  for (let k = 0; k <= b; k++) {
    if (k > 0) logC += Math.log((b - k + 1) / k);
    const pk = p === 0 ? (k === 0 ? 1 : 0) : q === 0 ? (k === b ? 1 : 0) : Math.exp(logC + k * Math.log(p) + (b - k) * Math.log(q));
    if (2 * k > b) right += pk;
    else if (2 * k === b) right += pk / 2;
  }
  return 2 * right - 1;
}

/** The §J1 star formula for small messages: p̂ = p_c + (1 − p_c)·[ρ·a·u + (1 − ρ)·f_N(a·u)], a = γ·N^(−β). */
function starDirect(pc: number, pS: number, n: number, gamma: number, rho: number, beta: number): number {
  const u = (pS - pc) / (1 - pc);
  const a = gamma * Math.pow(n, -beta);
  return pc + (1 - pc) * (rho * a * u + (1 - rho) * majorityDirect(n, a * u));
}

const base = (o: Partial<MatchedBudgetProblem> = {}): MatchedBudgetProblem => ({
  chance: 0, budget: 10_000, beta: 0.3, fidelity: 0.9, m: 0, rho: 0.1, ...o,
});

describe('predictMatched (§J1)', () => {
  it('a star with free messages follows the direct formula, for any chance level and any N ≥ 2 (even N too)', () => {
    fc.assert(fc.property(
      fc.double({ min: 0, max: 0.9, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }),
      fc.integer({ min: 2, max: 41 }), fc.double({ min: 0, max: 1, noNaN: true }),
      fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0.01, max: 2, noNaN: true }),
      (pc, t, n, gamma, rho, beta) => {
        const pS = pc + (1 - pc) * t;
        const r = predictMatched(base({ chance: pc, fidelity: gamma, rho, beta }), pS, { kind: 'star', agents: n });
        expect(r.accuracy!).toBeCloseTo(starDirect(pc, pS, n, gamma, rho, beta), 12);
        expect(r.difference!).toBeCloseTo(r.accuracy! - pS, 15);
      },
    ), { seed: 1301, numRuns: 300 });
  });

  it('uses the exact §B10 budget for larger messages: a star pays N messages, a tree b(b^L − 1)/(b − 1)', () => {
    const p = base({ m: 200, chance: 0.25, beta: 0.4 });
    const star = predictMatched(p, 0.5, { kind: 'star', agents: 5 });
    expect(star.messages).toBe(5);
    expect(star.compute).toBe((10_000 - 2 * 200 * 5) / 5);
    const u = (0.5 - 0.25) / 0.75;
    const leaf = u * Math.pow(star.compute / 10_000, 0.4);
    expect(star.leafSkill).toBeCloseTo(leaf, 15);
    expect(star.accuracy!).toBeCloseTo(0.25 + 0.75 * (0.1 * 0.9 * leaf + 0.9 * majorityDirect(5, 0.9 * leaf)), 13);

    const tree = predictMatched(p, 0.5, { kind: 'tree', fanIns: [3, 3] });
    expect(tree.leaves).toBe(9);
    expect(tree.messages).toBe(12); // 3·(3² − 1)/2
    expect(tree.compute).toBeCloseTo((10_000 - 2 * 200 * 12) / 9, 12);
    const level = (s: number) => 0.1 * 0.9 * s + 0.9 * majorityDirect(3, 0.9 * s);
    const leafT = u * Math.pow(tree.compute / 10_000, 0.4);
    expect(tree.skill!).toBeCloseTo(level(level(leafT)), 13);

    const mixed = predictMatched(p, 0.5, { kind: 'tree', fanIns: [2, 5] });
    expect(mixed.messages).toBe(10 + 5);
  });

  it('an even fan-in equals the odd one below it (random tie-break, §H3); b = 2 only passes the signal on', () => {
    const p = base({ rho: 0.3 });
    expect(predictMatched(p, 0.6, { kind: 'star', agents: 4 }).skill).toBeCloseTo(
      0.9 * Math.pow(4, -0.3) * 0.6 * 0.3 + 0.7 * majorityDirect(3, 0.9 * Math.pow(4, -0.3) * 0.6), 14);
    expect(predictMatched(p, 0.6, { kind: 'star', agents: 2 }).skill).toBeCloseTo(0.9 * Math.pow(2, -0.3) * 0.6, 15);
  });

  it('b = 2 at γ = 1 is the identity level (§B, §H4: f_1(u) = u): the leaves\' skill is what a deep tree keeps', () => {
    const r = predictMatched(base({ fidelity: 1, rho: 0.3 }), 0.6, { kind: 'tree', fanIns: [2, 2] });
    expect(r.phases[0].regime).toBe('identity');
    expect(r.phases[0].reached).toBe(r.leafSkill);
    expect(r.skill).toBeCloseTo(r.leafSkill!, 15);
    expect(predictMatched(base({ fidelity: 1, rho: 0.3 }), 0.6, { kind: 'tree', fanIns: [3, 3] }).phases[0].regime).toBe('amplifying');
  });

  it('says why an organization is infeasible (window, budget)', () => {
    const w = predictMatched(base({ m: 100, window: 450 }), 0.5, { kind: 'star', agents: 5 });
    expect(w.feasible).toBe(false);
    expect(w.infeasibleReason).toMatch(/^window: b·m \+ W0 = 500 > W = 450/);
    expect(w.accuracy).toBeNull();
    const b = predictMatched(base({ m: 2000 }), 0.5, { kind: 'star', agents: 5 });
    expect(b.infeasibleReason).toMatch(/^budget: 5 messages cost 20000/);
  });

  it('the single agent predicts itself', () => {
    const r = predictMatched(base({ chance: 0.1 }), 0.36, { kind: 'star', agents: 1 });
    expect(r.accuracy).toBeCloseTo(0.36, 15);
    expect(r.regime).toBe('single');
  });

  it('refuses bad input with the parameter named', () => {
    expect(() => predictMatched(base(), 1.2, { kind: 'star', agents: 3 })).toThrow(/^singleAccuracy must be/);
    expect(() => predictMatched(base({ chance: 1 }), 0.5, { kind: 'star', agents: 3 })).toThrow(/^chance must be/);
    expect(() => predictMatched(base(), 0.5, { kind: 'star', agents: 0 })).toThrow(/^organization\.agents must be an integer/);
    expect(() => predictMatched(base(), 0.5, { kind: 'tree', fanIns: [3, 1] })).toThrow(InvalidParameterError);
    expect(() => predictMatched(base({ beta: 0 }), 0.5, { kind: 'star', agents: 3 })).toThrow(/^beta must be/);
  });
});

describe('saturationThreshold (§J2)', () => {
  it('for a star with free messages p† is the fixed point of the map with γ·N^(−β) (odd N)', () => {
    fc.assert(fc.property(
      fc.double({ min: 0, max: 0.9, noNaN: true }), fc.integer({ min: 1, max: 20 }).map((k) => 2 * k + 1),
      fc.double({ min: 0.3, max: 1, noNaN: true }), fc.double({ min: 0, max: 0.8, noNaN: true }),
      fc.double({ min: 0.01, max: 1, noNaN: true }),
      (pc, n, gamma, rho, beta) => {
        const a = gamma * Math.pow(n, -beta);
        const uStar = fixedPoint({ b: n, gamma: a, rho });
        const t = saturationThreshold(base({ chance: pc, fidelity: gamma, rho, beta }), { kind: 'star', agents: n });
        if (uStar > 1 - 1e-6) {
          expect(t).toMatchObject({ kind: 'always', value: 1 }); // a crossing this close to a perfect agent
        } else if (uStar > 1e-6) {
          expect(t.kind).toBe('crossing');
          expect(t.value!).toBeCloseTo(pc + (1 - pc) * uStar, 10);
          // Below p† the star helps, above it hurts.
          const below = predictMatched(base({ chance: pc, fidelity: gamma, rho, beta }), pc + (1 - pc) * uStar * 0.5, { kind: 'star', agents: n });
          expect(below.difference!).toBeGreaterThan(0);
        } else if (uStar === 0) {
          expect(t.kind).toBe('never');
          expect(t.value).toBeNull();
        }
      },
    ), { seed: 1302, numRuns: 200 });
  });

  it('is 1 when the organization always helps and null when it never does', () => {
    // γ = 1, ρ = 0, tiny β: 25 free voters beat one agent at every accuracy below 1.
    expect(saturationThreshold(base({ fidelity: 1, rho: 0, beta: 1e-9 }), { kind: 'star', agents: 25 }).kind).toBe('always');
    // α = 0.5·N^−β·c_N < 1: never helps.
    const never = saturationThreshold(base({ fidelity: 0.5, rho: 0.5, beta: 0.5 }), { kind: 'star', agents: 3 });
    expect(never).toEqual({ value: null, kind: 'never', from: null, crossings: [] });
  });

  it('solves the exact budget numerically for larger messages (predicted(p†) = p†)', () => {
    const p = base({ m: 100, chance: 0.5, beta: 0.2, fidelity: 0.95, rho: 0.05 });
    const t = saturationThreshold(p, { kind: 'tree', fanIns: [3, 3] });
    expect(t.kind).toBe('crossing');
    const at = predictMatched(p, t.value!, { kind: 'tree', fanIns: [3, 3] });
    expect(Math.abs(at.difference!)).toBeLessThan(1e-12);
    expect(predictMatched(p, t.value! - 0.05, { kind: 'tree', fanIns: [3, 3] }).difference!).toBeGreaterThan(0);
    expect(predictMatched(p, Math.min(1, t.value! + 0.05), { kind: 'tree', fanIns: [3, 3] }).difference!).toBeLessThan(0);
  });
});
