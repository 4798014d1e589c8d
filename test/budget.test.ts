// SPEC §B10–§B12: budgets, windows and the budgeted-synergy verdict.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  budgetedSynergy, chainBudget, fitsWindow, leafComputeForBudget, maxMessagesInWindow, organizationExponent,
  starBudget, treeBudget, treeCommunicationCost,
} from '../src/index.ts';

describe('budgets (§B10)', () => {
  it('a b-ary tree has N = b^L leaves and E = b(b^L − 1)/(b − 1) messages, each paid twice', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 10 }).map((n) => 2 * n + 1), fc.integer({ min: 1, max: 6 }),
      fc.double({ min: 0, max: 1e4, noNaN: true }), fc.double({ min: 0, max: 500, noNaN: true }), (b, L, x, m) => {
        const r = treeBudget({ b, depth: L, compute: x, m });
        // Count the edges level by level: b^1 + … + b^L.
        let edges = 0;
        for (let l = 1; l <= L; l++) edges += b ** l;
        expect(r.leaves).toBe(b ** L);
        expect(r.messages).toBe(edges);
        const close = (got: number, want: number) => expect(Math.abs(got - want)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(want)));
        close(r.exact, r.leaves * x + 2 * m * edges);
        close(r.approximate, r.leaves * (x + (2 * m * b) / (b - 1)));
        expect(r.c0).toBe(treeCommunicationCost(b, m));
        // The c_0 form over-counts by exactly 2m·b/(b − 1), up to rounding of the two totals.
        expect(Math.abs(r.approximate - r.exact - (2 * m * b) / (b - 1))).toBeLessThanOrEqual(1e-12 * Math.max(1, r.approximate));
      }));
  });
  it('stars pay N messages, chains N − 1; x is recovered from the budget', () => {
    expect(starBudget({ leaves: 7, compute: 100, m: 10 }).exact).toBe(7 * 120);
    expect(chainBudget({ leaves: 7, compute: 100, m: 10 }).exact).toBe(700 + 2 * 10 * 6);
    const zero = treeBudget({ b: 5, depth: 3, compute: 0, m: 40 });
    const x = leafComputeForBudget(zero, 1e6);
    expect(treeBudget({ b: 5, depth: 3, compute: x, m: 40 }).exact).toBeCloseTo(1e6, 6);
    expect(leafComputeForBudget(zero, 1e6, 'approximate')).toBeCloseTo(1e6 / 125 - treeCommunicationCost(5, 40), 9);
  });
  it('windows (§B11): b·m + W_0 ≤ W, and a star holds ⌊(W − W_0)/m⌋ leaves', () => {
    expect(fitsWindow({ b: 5, m: 100, window: 500 })).toBe(true);
    expect(fitsWindow({ b: 5, m: 100, window: 500, overhead: 1 })).toBe(false);
    expect(maxMessagesInWindow({ m: 300, window: 8192, overhead: 1000 })).toBe(23);
    expect(() => maxMessagesInWindow({ m: 0, window: 10 })).toThrow(/^m must be a finite number > 0/);
  });
});

describe('budgeted synergy (§B12)', () => {
  it('x* maximises k·x^β·(B/(x + c_0))^s, and at B = B* the optimal tree ties the single agent', () => {
    fc.assert(fc.property(fc.double({ min: 0.05, max: 0.5, noNaN: true }), fc.double({ min: 0.01, max: 1, noNaN: true }),
      fc.double({ min: 1, max: 1000, noNaN: true }), (beta, gap, c0) => {
        const s = beta + gap;
        const v = budgetedSynergy({ s, beta, c0 });
        expect(v.synergy).toBe(true);
        const logBias = (x: number, B: number) => beta * Math.log(x) + s * Math.log(B / (x + c0));
        // x* beats its neighbours (the objective is unimodal in x).
        for (const f of [0.9, 1.1]) expect(logBias(v.xStar!, 1e9)).toBeGreaterThan(logBias(v.xStar! * f, 1e9));
        // Tie at B*: tree log-bias equals the single agent's β·ln B*.
        const B = v.budgetThreshold;
        expect(logBias(v.xStar!, B) - beta * Math.log(B)).toBeCloseTo(0, 8);
        const withBudget = budgetedSynergy({ s, beta, c0, budget: 10 * B });
        expect(withBudget.nStar).toBeCloseTo((10 * B) / (v.xStar! + c0), 6);
        expect(withBudget.advantage!).toBeGreaterThan(1);
      }));
  });
  it('s ≤ β: spend everything on one agent', () => {
    const v = budgetedSynergy({ s: organizationExponent({ b: 5, gamma: 0.6, rho: 0.4 }), beta: 0.3, c0: 100, budget: 1e6 });
    expect(v.synergy).toBe(false);
    expect(v.xStar).toBeNull();
    expect(v.budgetThreshold).toBe(Infinity);
  });
  it('rejects bad inputs', () => {
    expect(() => budgetedSynergy({ s: Number.NaN, beta: 0.3, c0: 1 })).toThrow(/^s must be a number/);
    expect(() => budgetedSynergy({ s: 0.5, beta: 0, c0: 1 })).toThrow(/^beta must be a finite number > 0/);
    expect(() => treeBudget({ b: 1, depth: 2, compute: 1, m: 1 })).toThrow(/^b must be an integer in \[2, /);
    expect(treeBudget({ b: 4, depth: 2, compute: 1, m: 1 }).messages).toBe(20); // averaging trees (§C) may have even b
  });
});
