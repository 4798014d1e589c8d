// SPEC §H5 — one rule at a saddle-node tangency, shared by the scalar phase structure
// (src/theory/pluralityPhases.ts) and the WASM phase grid (assembly/phaseGrid.ts mirrors it): a fixed
// point above chance exists iff μ = max_{s ≥ 1/2048} S(s)/s ≥ 1 − TANGENCY_TOLERANCE; a tangency is
// one semi-stable fixed point s† = s* (bistable). Before the rule, b = 3, open answers, γ = 0.8, ρ = 0
// was bistable in the grid and subcritical in phaseStructure.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  bistableGamma, CHANCE_PROBE, criticalGamma, levelMap, phaseGrid, phaseStructure, REGIME_CODES, TANGENCY_TOLERANCE, trajectory,
} from '../../src/index.ts';
import type { Aggregator, Answers } from '../../src/theory/model.ts';

function disagreements(b: number, answers: Answers, aggregator: Aggregator, gamma: number[], rho: number[]): string[] {
  const grid = phaseGrid({ b: [b], gamma, rho, u0: [0.1], depths: [1], task: { answers }, aggregator });
  const out: string[] = [];
  let cell = 0;
  for (const g of gamma) {
    for (const r of rho) {
      const ps = phaseStructure({ b, gamma: g, rho: r, aggregator }, { answers });
      const scalar = ps.regime;
      const kernel = REGIME_CODES[grid.regime[cell++]];
      if (scalar !== kernel) out.push(`b=${b} K=${answers} ${JSON.stringify(aggregator)} γ=${g} ρ=${r}: grid ${kernel}, phaseStructure ${scalar}`);
      // the printed label: semi-stable exactly where the tangency rule made the point tangent
      for (const f of ps.fixedPoints) {
        const want = f.tangent ? 'semi-stable (tangency)' : f.stable ? 'stable' : 'unstable';
        if (f.stability !== want) out.push(`b=${b} K=${answers} γ=${g} ρ=${r}: fixed point ${f.value} labelled ${f.stability}, expected ${want}`);
      }
    }
  }
  return out;
}

describe('saddle-node tangency: one rule in the grid and phaseStructure (§H5)', () => {
  it('the exact tangency b = 3, open answers, γ = 0.8, ρ = 0 is bistable with s† = s* = 0.625 in both', () => {
    // S(s) − s = −0.512·s·(s − 0.625)² here: a double root, no sign change for the scan to find
    const level = { b: 3, gamma: 0.8, rho: 0 };
    expect(levelMap(level, 0.625, { answers: 'open' })).toBe(0.625);
    const ps = phaseStructure(level, { answers: 'open' });
    expect(ps.regime).toBe('bistable');
    expect(ps.fixedPoints.map((f) => [f.value, f.stable, f.tangent ?? false])).toEqual([[0, true, false], [0.625, true, true]]);
    // a tangent point attracts from above and repels below: semi-stable, not stable
    expect(ps.fixedPoints.map((f) => f.stability)).toEqual(['stable', 'semi-stable (tangency)']);
    expect(ps.threshold).toBe(0.625);
    expect(ps.best).toBe(0.625);
    expect(disagreements(3, 'open', 'plurality', [0.8], [0])).toEqual([]);
    // leaves above the tangent point stay at it for any depth the tools use; below it they fall to chance
    expect(trajectory(level, 0.7, 200, { answers: 'open' })[200]).toBeGreaterThan(0.62);
    expect(trajectory(level, 0.6, 2000, { answers: 'open' })[2000]).toBeLessThan(0.62);
    // just off the line the rule says what the roots say
    expect(phaseStructure({ ...level, gamma: 0.8 - 1e-6 }, { answers: 'open' }).regime).toBe('subcritical');
    expect(phaseStructure({ ...level, gamma: 0.8 + 1e-6 }, { answers: 'open' }).regime).toBe('bistable');
  });

  it('a near miss within τ counts as the tangency; one τ further it does not', () => {
    // S(s)/s = γ·(1 + s − s²) for b = 3, open answers, ρ = 0: μ = 1.25·γ exactly
    const near = phaseStructure({ b: 3, gamma: 0.8 * (1 - TANGENCY_TOLERANCE / 2), rho: 0 }, { answers: 'open' });
    expect(near.regime).toBe('bistable');
    expect(near.fixedPoints.filter((f) => f.tangent)).toHaveLength(1);
    const far = phaseStructure({ b: 3, gamma: 0.8 * (1 - 2 * TANGENCY_TOLERANCE), rho: 0 }, { answers: 'open' });
    expect(far.regime).toBe('subcritical');
    expect(disagreements(3, 'open', 'plurality', [0.8 * (1 - TANGENCY_TOLERANCE / 2), 0.8 * (1 - 2 * TANGENCY_TOLERANCE)], [0])).toEqual([]);
    // bistableGamma is the edge of the same predicate
    expect(Math.abs(bistableGamma(3, 0, { answers: 'open' }) - 0.8 * (1 - TANGENCY_TOLERANCE))).toBeLessThan(2e-10);
  });

  it('b = 2 plurality at γ = 1 is the identity in both (F_{2,K}(s) = s)', () => {
    expect(phaseStructure({ b: 2, gamma: 1, rho: 0.3 }, { answers: 5 }).regime).toBe('identity');
    expect(phaseStructure({ b: 2, gamma: 1, rho: 0.3, aggregator: { judge: 0.2 } }, { answers: 'open' }).regime).toBe('amplifying');
    expect(disagreements(2, 5, 'plurality', [0.5, 1], [0, 0.3, 1])).toEqual([]);
    expect(disagreements(2, 'open', { judge: 0.2 }, [0.5, 1], [0, 0.3, 1])).toEqual([]);
  });

  it('assembly/phaseGrid.ts mirrors TANGENCY_TOLERANCE and CHANCE_PROBE', () => {
    const src = readFileSync(new URL('../../assembly/phaseGrid.ts', import.meta.url), 'utf8');
    expect(Number(/const TANGENCY: f64 = ([^;]+);/.exec(src)![1])).toBe(TANGENCY_TOLERANCE);
    expect(1 / Number(/const SCAN: i32 = ([^;]+);/.exec(src)![1])).toBe(CHANCE_PROBE);
  });

  it('property: grid and phaseStructure agree on a fine (γ, ρ) sample that includes the tangency and α = 1 lines', () => {
    const answersArb = fc.oneof(fc.integer({ min: 3, max: 60 }) as fc.Arbitrary<Answers>, fc.constant<Answers>('open'), fc.constant<Answers>(2));
    const aggregatorArb = fc.oneof(fc.constant<Aggregator>('plurality'), fc.double({ min: 0, max: 0.6, noNaN: true }).map((v): Aggregator => ({ judge: v })));
    fc.assert(fc.property(fc.integer({ min: 2, max: 12 }), answersArb, aggregatorArb, (b, answers, agg) => {
      // K = 2 plurality is §B's kernel (no bistable region); K = 2 enters with a judge
      const aggregator: Aggregator = answers === 2 && agg === 'plurality' ? { judge: 0.1 } : agg;
      const rho = Array.from({ length: 11 }, (_, i) => i / 10);
      const task = { answers };
      const lines = rho.flatMap((r) => [bistableGamma(b, r, task, aggregator), Math.min(1, criticalGamma(b, r, task, aggregator))]);
      const gamma = [...new Set([...Array.from({ length: 21 }, (_, i) => i / 20), ...lines, ...lines.map((g) => Math.min(1, g + 1e-9)), ...lines.map((g) => Math.max(0, g - 1e-9))])].sort((x, y) => x - y);
      expect(disagreements(b, answers, aggregator, gamma, rho)).toEqual([]);
    }), { seed: 1111, numRuns: 8 });
  }, 120_000);

  it('the earlier disagreement b = 3, K = 10, ρ = 0.1 at γ = 0.8 and fine grids around the edges agree', () => {
    expect(disagreements(3, 10, 'plurality', [0.8], [0.1])).toEqual([]);
    for (const [b, K] of [[3, 'open'], [3, 10], [5, 4], [4, 6]] as const) {
      const gamma = Array.from({ length: 81 }, (_, i) => 0.6 + i / 200);
      expect(disagreements(b, K, 'plurality', gamma, Array.from({ length: 21 }, (_, i) => i / 20))).toEqual([]);
    }
  }, 120_000);
});
