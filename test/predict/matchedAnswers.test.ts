// SPEC §J1–§J2 with §H (K answers, judges), §I1 (ρ_task) and §I2 (difficulty): predictions against
// a brute-force enumeration written here — the full distribution over the K answers at every node,
// every tuple of received answers enumerated — never the library's maps.
import { describe, expect, it } from 'vitest';
import { InvalidParameterError, predictMatched, saturationThreshold, type MatchedBudgetProblem } from '../../src/index.ts';
import { rootAccuracyBrute } from '../theory/pluralityBrute.ts';

const base = (o: Partial<MatchedBudgetProblem> = {}): MatchedBudgetProblem => ({
  chance: 0.5, budget: 10_000, beta: 0.3, fidelity: 0.85, m: 0, rho: 0.2, ...o,
});

describe('predictMatched with K answers, judges, ρ_task and difficulty (§J1 with §H, §I)', () => {
  it('K = 2 through the general maps (judge v = 0) equals the binary map within 1e-12, even N too', () => {
    for (const n of [2, 3, 4, 5, 8, 9]) {
      for (const pS of [0.3, 0.55, 0.8, 0.97]) {
        const binary = predictMatched(base(), pS, { kind: 'star', agents: n });
        const judge0 = predictMatched(base({ aggregator: { judge: 0 } }), pS, { kind: 'star', agents: n });
        expect(Math.abs(judge0.accuracy! - binary.accuracy!)).toBeLessThan(1e-12);
        const tree = { kind: 'tree' as const, fanIns: [n, 3] };
        expect(Math.abs(predictMatched(base({ aggregator: { judge: 0 }, task: { answers: 2 } }), pS, tree).accuracy!
          - predictMatched(base(), pS, tree).accuracy!)).toBeLessThan(1e-12);
      }
    }
  });

  it('judge v = 0 equals plurality for K = 4 and open answers', () => {
    for (const answers of [4, 'open'] as const) {
      const chance = answers === 'open' ? 0 : 1 / answers;
      for (const pS of [0.3, 0.6, 0.9]) {
        const plural = predictMatched(base({ chance, task: { answers } }), pS, { kind: 'tree', fanIns: [5, 4] });
        const judge0 = predictMatched(base({ chance, task: { answers }, aggregator: { judge: 0 } }), pS, { kind: 'tree', fanIns: [5, 4] });
        expect(Math.abs(judge0.accuracy! - plural.accuracy!)).toBeLessThan(1e-13);
      }
    }
  });

  it('a star and a tree match brute-force enumeration (K = 3, judge, ρ_task, a dominant distractor)', () => {
    const cases = [
      { k: 3, fanIns: [3], v: 0, rhoTask: 0, dominant: null },
      { k: 3, fanIns: [4], v: 0.4, rhoTask: 0, dominant: null },
      { k: 3, fanIns: [3, 3], v: 0.3, rhoTask: 0.4, dominant: null },
      { k: 4, fanIns: [2, 3], v: 0, rhoTask: 0.25, dominant: 0.7 },
      { k: 2, fanIns: [3, 4], v: 0.5, rhoTask: 0.3, dominant: null },
      { k: 2, fanIns: [5], v: 0, rhoTask: 0.6, dominant: null },
    ];
    for (const c of cases) {
      const problem = base({
        chance: 1 / c.k, task: { answers: c.k, rhoTask: c.rhoTask, ...(c.dominant === null ? {} : { distractors: { dominant: c.dominant } }) },
        ...(c.v > 0 ? { aggregator: { judge: c.v } } : {}),
      });
      for (const pS of [0.2, 0.5, 0.75]) {
        const r = predictMatched(problem, pS, { kind: 'tree', fanIns: c.fanIns });
        // Leaf accuracy from the anchor: skill s_S·N^(−β) (free messages), accuracy in 1/K units.
        const pc = 1 / c.k;
        const leaves = c.fanIns.reduce((a, b) => a * b, 1);
        const leafP = pc + (1 - pc) * ((pS - pc) / (1 - pc)) * Math.pow(leaves, -0.3);
        const expected = rootAccuracyBrute(leafP, c.k, c.fanIns, 0.85, 0.2, c.v, c.rhoTask, c.dominant);
        expect(Math.abs(r.accuracy! - expected)).toBeLessThan(1e-12);
      }
    }
  });

  it('difficulty (§I2) is the Beta expectation of the enumerated root accuracy (midpoint rule, 1e-7)', () => {
    const k = 3;
    const pc = 1 / k;
    const phi = 0.1; // a + b = 9
    const problem = base({ chance: pc, task: { answers: k, rhoTask: 0.2 }, aggregator: { judge: 0.3 }, dispersion: phi });
    const pS = 0.6;
    const r = predictMatched(problem, pS, { kind: 'star', agents: 3 });
    const mean = pc + (1 - pc) * ((pS - pc) / (1 - pc)) * Math.pow(3, -0.3);
    const a = mean * (1 / phi - 1);
    const b = (1 - mean) * (1 / phi - 1);
    // Beta(a, b) with a, b > 1: a bounded smooth density; normalise numerically.
    const steps = 20_000;
    let num = 0;
    let den = 0;
    for (let i = 0; i < steps; i++) {
      const x = (i + 0.5) / steps;
      const w = Math.pow(x, a - 1) * Math.pow(1 - x, b - 1);
      num += w * rootAccuracyBrute(x, k, [3], 0.85, 0.2, 0.3, 0.2, null);
      den += w;
    }
    expect(Math.abs(r.accuracy! - num / den)).toBeLessThan(1e-7);
    // Without dispersion it is the enumerated value at the mean.
    const flat = predictMatched({ ...problem, dispersion: 0 }, pS, { kind: 'star', agents: 3 });
    expect(Math.abs(flat.accuracy! - rootAccuracyBrute(mean, k, [3], 0.85, 0.2, 0.3, 0.2, null))).toBeLessThan(1e-12);
  });

  it('reports accuracy in 1/K units and refuses a chance that is not 1/K', () => {
    const r = predictMatched(base({ chance: 0.25, task: { answers: 4 } }), 0.25, { kind: 'star', agents: 5 });
    expect(Math.abs(r.accuracy! - 0.25)).toBeLessThan(1e-14); // chance leaves stay at chance (plurality)
    expect(() => predictMatched(base({ chance: 0.5, task: { answers: 4 } }), 0.5, { kind: 'star', agents: 5 })).toThrow(InvalidParameterError);
    expect(() => predictMatched(base({ chance: 0.5, aggregator: { judge: 0.5 } }), 0.5, { kind: 'star', agents: 5 })).not.toThrow();
    expect(() => predictMatched(base({ chance: 0.3, aggregator: { judge: 0.5 } }), 0.5, { kind: 'star', agents: 5 })).toThrow(/chance/);
    expect(() => predictMatched(base({ chance: 1 / 3, task: { answers: 3 } }), 0.5, { kind: 'star', agents: 500 })).toThrow(/organization/);
  });

  it('reports each level\'s phase (§H5): bistable levels with s† and the fixed point the leaves reach', () => {
    const r = predictMatched(base({ chance: 0.1, task: { answers: 10 }, fidelity: 0.6, rho: 0, beta: 0.05 }), 0.7, { kind: 'tree', fanIns: [5, 5] });
    expect(r.phases[0].regime).toBe('bistable');
    expect(r.regime).toBe('bistable');
    expect(r.phases[0].threshold!).toBeGreaterThan(0);
    expect(r.phases[0].reached!).toBeGreaterThan(r.phases[0].threshold!);
  });
});

describe('saturationThreshold with K answers (§J2 with §H5)', () => {
  it('open answers: a star does not help near chance (α = γ·N^(−β) < 1), helps from p_from to p†, both roots of predicted(p) = p', () => {
    const p = base({ chance: 0, task: { answers: 'open' }, fidelity: 0.9, rho: 0.1, beta: 0.1 });
    const org = { kind: 'star' as const, agents: 5 };
    const t = saturationThreshold(p, org);
    expect(t.kind).toBe('crossing');
    expect(t.from).not.toBeNull();
    expect(t.crossings).toHaveLength(2);
    for (const x of [t.from!, t.value!]) expect(Math.abs(predictMatched(p, x, org).difference!)).toBeLessThan(1e-11);
    expect(predictMatched(p, t.from! / 2, org).difference!).toBeLessThan(0);
    expect(predictMatched(p, (t.from! + t.value!) / 2, org).difference!).toBeGreaterThan(0);
    expect(predictMatched(p, (t.value! + 1) / 2, org).difference!).toBeLessThan(0);
  });

  it('a judge on K = 4 lifts chance (S(0) > 0): it helps just above chance, so from is null', () => {
    const p = base({ chance: 0.25, task: { answers: 4 }, aggregator: { judge: 0.6 }, fidelity: 0.9, rho: 0.1, beta: 0.1 });
    const t = saturationThreshold(p, { kind: 'star', agents: 5 });
    expect(t.from).toBeNull();
    expect(predictMatched(p, 0.26, { kind: 'star', agents: 5 }).difference!).toBeGreaterThan(0);
    if (t.kind === 'crossing') expect(Math.abs(predictMatched(p, t.value!, { kind: 'star', agents: 5 }).difference!)).toBeLessThan(1e-11);
  });
});
