// SPEC §I1 for plurality and judges: the scope mixture with the all-wrong start at the
// dominant-distractor state (0, 1), against brute-force enumeration; §I2 on top of it; the design
// search and analyze take ρ_task and difficulty with K answers.
import { describe, expect, it } from 'vitest';
import { designBinary, expectedRootAccuracy, expectedRootSkill, rootBias, rootSkill } from '../../src/index.ts';
import { rootAccuracyBrute } from './pluralityBrute.ts';
import { synergy } from '../cli/run.ts';

describe('rootSkill (§I1 plurality mixture)', () => {
  it('is rootBias for K = 2 with plurality (odd and even b, per-level trees)', () => {
    for (const u0 of [-0.3, 0.05, 0.4]) {
      for (const rhoTask of [0, 0.35]) {
        expect(rootSkill({ b: 5, gamma: 0.8, rho: 0.1 }, u0, 6, { rhoTask })).toBe(rootBias({ b: 5, gamma: 0.8, rho: 0.1 }, u0, 6, { rhoTask }));
        const tree = [{ b: 3, gamma: 0.9, rho: 0 }, { b: 4, gamma: 0.7, rho: 0.2 }];
        expect(rootSkill(tree, u0, 2, { rhoTask, answers: 2 })).toBe(rootBias(tree, u0, 2, { rhoTask }));
      }
    }
  });

  it('matches brute-force enumeration: K = 3 and 4, plurality and judges, dominant distractor, a repeated level', () => {
    const cases = [
      { k: 3, b: 3, depth: 3, v: 0, rhoTask: 0.3, dominant: null },
      { k: 3, b: 2, depth: 3, v: 0.5, rhoTask: 0.6, dominant: null },
      { k: 4, b: 3, depth: 2, v: 0.2, rhoTask: 0.5, dominant: 0.8 },
      { k: 2, b: 3, depth: 3, v: 0.7, rhoTask: 0.4, dominant: null },
      { k: 5, b: 4, depth: 1, v: 0, rhoTask: 1, dominant: null },
    ];
    for (const c of cases) {
      const level = { b: c.b, gamma: 0.75, rho: 0.15, ...(c.v > 0 ? { aggregator: { judge: c.v } } : {}) };
      const task = { answers: c.k, rhoTask: c.rhoTask, ...(c.dominant === null ? {} : { distractors: { dominant: c.dominant } }) };
      for (const s0 of [-0.2, 0, 0.3, 0.8]) {
        const pc = 1 / c.k;
        const p = pc + (1 - pc) * s0;
        if (p < 0) continue;
        const expected = (rootAccuracyBrute(p, c.k, Array(c.depth).fill(c.b), 0.75, 0.15, c.v, c.rhoTask, c.dominant) - pc) / (1 - pc);
        expect(Math.abs(rootSkill(level, s0, c.depth, task) - expected)).toBeLessThan(1e-12);
      }
    }
  });

  it('ρ_task = 1 makes the root the shared vote run up the tree: p·A_right + (1 − p)·A_wrong', () => {
    // With ρ_task = 1 nothing of the independent start is left: the mixture alone decides.
    const s = rootSkill({ b: 5, gamma: 1, rho: 0 }, 0.5, 4, { answers: 3, rhoTask: 1 });
    // γ = 1, ρ = 0: unanimous leaves stay unanimous, so the root is right exactly when the shared vote is.
    expect(Math.abs(s - 0.5)).toBeLessThan(1e-14);
  });
});

describe('expectedRootSkill (§I2 with §I1 for every map)', () => {
  it('K = 2 is 2·expectedRootAccuracy − 1', () => {
    const task = { rhoTask: 0.2, difficulty: { mean: 0.62, dispersion: 0.15 } };
    expect(Math.abs(expectedRootSkill({ b: 3, gamma: 0.9, rho: 0.1 }, 4, task) - (2 * expectedRootAccuracy({ b: 3, gamma: 0.9, rho: 0.1 }, 4, task) - 1))).toBeLessThan(1e-13);
  });
});

describe('design and analyze take ρ_task and difficulty with K answers', () => {
  it('design rows hold the plurality mixture and the difficulty expectation', () => {
    const base = {
      budget: 20_000, window: 8000, messageLengths: [100], fidelity: { kind: 'constant' as const, gamma: 0.9 }, rho: 0.1,
      leafLaw: { kind: 'power' as const, k: 0.02, beta: 0.4, gMax: 1 }, task: { answers: 4 }, maxDepth: 3,
    };
    const d = designBinary({ ...base, rhoTask: 0.3, dispersion: 0.1 });
    const row = d.rows.find((r) => r.organization === 'tree' && r.b === 3 && r.depth === 2 && r.feasible)!;
    const expected = expectedRootSkill({ b: 3, gamma: 0.9, rho: 0.1 }, 2, { answers: 4, rhoTask: 0.3, difficulty: { mean: 0.25 + 0.75 * row.leafBias!, dispersion: 0.1 } });
    expect(Math.abs(row.bias! - expected)).toBeLessThan(1e-13);
    const flat = designBinary({ ...base, rhoTask: 0.3 }).rows.find((r) => r.organization === 'tree' && r.b === 3 && r.depth === 2)!;
    expect(Math.abs(flat.bias! - rootSkill({ b: 3, gamma: 0.9, rho: 0.1 }, flat.leafBias!, 2, { answers: 4, rhoTask: 0.3 }))).toBeLessThan(1e-14);
  });

  it('analyze --answers 3 --rho-task reports the mixture (it was refused before)', async () => {
    const r = await synergy(['analyze', '--b', '3', '--gamma', '0.8', '--rho', '0.1', '--u0', '0.3', '--depth', '4', '--answers', '3', '--aggregator', 'judge:0.4', '--rho-task', '0.25', '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(Math.abs(out.uL - rootSkill({ b: 3, gamma: 0.8, rho: 0.1, aggregator: { judge: 0.4 } }, 0.3, 4, { answers: 3, rhoTask: 0.25 }))).toBeLessThan(1e-14);
    const hard = await synergy(['analyze', '--b', '3', '--gamma', '0.8', '--rho', '0.1', '--p0', '0.5', '--depth', '4', '--answers', '3', '--aggregator', 'judge:0.4', '--rho-task', '0.25', '--dispersion', '0.1', '--json']);
    expect(hard.code).toBe(0);
    const e = expectedRootSkill({ b: 3, gamma: 0.8, rho: 0.1, aggregator: { judge: 0.4 } }, 4, { answers: 3, rhoTask: 0.25, difficulty: { mean: 0.5, dispersion: 0.1 } });
    expect(Math.abs(JSON.parse(hard.stdout).difficulty.expectedAccuracyL - (1 / 3 + (2 / 3) * e))).toBeLessThan(1e-14);
  });
});
