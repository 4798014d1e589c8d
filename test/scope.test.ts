// SPEC §I1: correlation scope. The binary mixture u_L = ρ_task·T^L(1)·u_0 + (1 − ρ_task)·T^L(u_0) and
// the continuous risks under (ρ, ρ_task), against independent derivations and direct sampling.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  chainRisk, effectiveRho, InvalidParameterError, levelMap, rootBias, starRisk, trajectory, treeRisk,
} from '../src/index.ts';

const unit = fc.double({ min: 0, max: 1, noNaN: true });
const bias = fc.double({ min: -1, max: 1, noNaN: true });

describe('§I1 binary root bias', () => {
  it('ρ_task = 0 is the ordinary trajectory; ρ_task = 1 is T^L(1)·u_0', () => {
    fc.assert(fc.property(fc.constantFrom(3, 5, 7), unit, unit, bias, fc.integer({ min: 0, max: 12 }), (b, gamma, rho, u0, L) => {
      const level = { b, gamma, rho };
      expect(rootBias(level, u0, L)).toBe(trajectory(level, u0, L)[L]);
      expect(rootBias(level, u0, L, { rhoTask: 1 })).toBeCloseTo(trajectory(level, 1, L)[L] * u0, 14);
    }));
  });

  it('depth 1 with γ = 1, ρ = 0: task-level sharing is the sibling ρ of §B4 (all inputs copy one vote)', () => {
    // One level: "every leaf casts the same vote with probability ρ_task" is exactly §B4's ρ, so
    // the root bias must equal levelMap with ρ = ρ_task — a different code path (the kernel's T).
    fc.assert(fc.property(fc.constantFrom(3, 5, 9, 15), unit, bias, (b, rhoTask, u0) => {
      expect(rootBias({ b, gamma: 1, rho: 0 }, u0, 1, { rhoTask })).toBeCloseTo(levelMap({ b, gamma: 1, rho: rhoTask }, u0), 12);
    }));
  });

  it('depth 2 by enumeration: 9 leaves, majority of majorities, leaves shared with probability ρ_task', () => {
    // Direct: with prob ρ_task all 9 leaves vote one draw (right w.p. p) → root right iff that draw
    // is right; else 9 independent leaves: level-1 majorities right w.p. q = P(≥2 of 3), root P(≥2 of 3 q's).
    const maj3 = (p: number) => p ** 3 + 3 * p ** 2 * (1 - p);
    for (const [u0, rhoTask] of [[0.1, 0.3], [0.4, 0.9], [-0.2, 0.5]]) {
      const p = (1 + u0) / 2;
      const acc = rhoTask * p + (1 - rhoTask) * maj3(maj3(p));
      expect(rootBias({ b: 3, gamma: 1, rho: 0 }, u0, 2, { rhoTask })).toBeCloseTo(2 * acc - 1, 13);
    }
  });

  it('bad ρ_task names the parameter', () => {
    expect(() => rootBias({ b: 3, gamma: 1, rho: 0 }, 0.1, 2, { rhoTask: 1.5 })).toThrow(InvalidParameterError);
    expect(() => rootBias({ b: 3, gamma: 1, rho: 0 }, 0.1, 2, { rhoTask: 1.5 })).toThrow(/rhoTask/);
  });
});

const common = fc.record({
  v: fc.double({ min: 0, max: 10, noNaN: true }),
  rho: unit,
  rhoTask: unit,
  sigma2: fc.double({ min: 0, max: 5, noNaN: true }),
});

describe('§I1 continuous risks', () => {
  it('star and chain use ρ_eff = ρ_task + (1 − ρ_task)·ρ and equal ρ_task·v + R(v·(1 − ρ_task))', () => {
    fc.assert(fc.property(common, fc.integer({ min: 1, max: 300 }), ({ v, rho, rhoTask, sigma2 }, n) => {
      const rhoEff = rhoTask + (1 - rhoTask) * rho;
      expect(effectiveRho(rho, rhoTask)).toBeCloseTo(rhoEff, 15);
      expect(starRisk({ v, rho, rhoTask, sigma2, leaves: n }).risk).toBeCloseTo(starRisk({ v, rho: rhoEff, sigma2, leaves: n }).risk, 10);
      expect(starRisk({ v, rho, rhoTask, sigma2, leaves: n }).risk)
        .toBeCloseTo(rhoTask * v + starRisk({ v: v * (1 - rhoTask), rho, sigma2, leaves: n }).risk, 10);
      expect(chainRisk({ v, rho, rhoTask, sigma2, leaves: n }).risk)
        .toBeCloseTo(rhoTask * v + chainRisk({ v: v * (1 - rhoTask), rho, sigma2, leaves: n }).risk, 10);
      expect(starRisk({ v, rho, rhoTask, sigma2, leaves: n }).floor).toBeCloseTo(rhoEff * v, 12);
    }));
  });

  it('a depth-1 tree is a star over b leaves under the same (ρ, ρ_task); the tree floor is ρ_task·v + v*', () => {
    fc.assert(fc.property(common, fc.integer({ min: 2, max: 12 }), ({ v, rho, rhoTask, sigma2 }, b) => {
      expect(treeRisk({ v, rho, rhoTask, sigma2, b, depth: 1 }).risk).toBeCloseTo(starRisk({ v, rho, rhoTask, sigma2, leaves: b }).risk, 10);
      if (rho < 0.99) {
        const floor = rhoTask * v + sigma2 / ((b - 1) * (1 - rho));
        expect(treeRisk({ v, rho, rhoTask, sigma2, b, depth: 100_000 }).risk).toBeCloseTo(floor, 7);
        expect(treeRisk({ v, rho, rhoTask, sigma2, b, depth: 3 }).floor).toBeCloseTo(floor, 10);
      }
    }));
  });

  it('direct sampling of e_i = √v(√ρ_task·Z_0 + √(1 − ρ_task)·ε_i): star (ε equicorrelated ρ) and a ρ = 0 tree (6σ)', () => {
    // At sibling ρ = 0 the §C2 tree has independent subtrees, so sampling it is exact; the star's ε
    // are made equicorrelated by one shared normal. Message noise N(0, σ²) on every edge.
    let s = 12345;
    const uniform = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) + 0.5) / 4294967296;
    const normal = () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
    const v = 1.5, rhoTask = 0.4, sigma2 = 0.2, trials = 60_000;
    const check = (exact: number, draw: () => number) => {
      let m2 = 0, m4 = 0;
      for (let t = 0; t < trials; t++) { const e = draw(); m2 += e * e; m4 += e ** 4; }
      m2 /= trials; m4 /= trials;
      const se = Math.sqrt((m4 - m2 * m2) / trials);
      expect(Math.abs(m2 - exact)).toBeLessThan(6 * se);
      return { m2, se };
    };
    // Star, N = 6 leaves, ρ = 0.3.
    const rho = 0.3, n = 6;
    check(starRisk({ v, rho, rhoTask, sigma2, leaves: n }).risk, () => {
      const z0 = normal(), shared = normal();
      let acc = 0;
      for (let i = 0; i < n; i++) {
        const eps = Math.sqrt(rho) * shared + Math.sqrt(1 - rho) * normal();
        acc += Math.sqrt(v) * (Math.sqrt(rhoTask) * z0 + Math.sqrt(1 - rhoTask) * eps) + Math.sqrt(sigma2) * normal();
      }
      return acc / n;
    });
    // Tree b = 2, depth 3, ρ = 0: leaves independent apart from the task-level Z_0.
    const b = 2, L = 3;
    check(treeRisk({ v, rho: 0, rhoTask, sigma2, b, depth: L }).risk, () => {
      const z0 = Math.sqrt(v * rhoTask) * normal();
      const node = (d: number): number => {
        if (d === 0) return z0 + Math.sqrt(v * (1 - rhoTask)) * normal();
        let acc = 0;
        for (let i = 0; i < b; i++) acc += node(d - 1) + Math.sqrt(sigma2) * normal();
        return acc / b;
      };
      return node(L);
    });
  });
});
