// SPEC §G3 (issue 12): the leaf law's β interval is BCa, not percentile. Unit checks of the BCa
// machinery and a seeded coverage run on synthetic counts with a known law.
import { describe, expect, it } from 'vitest';
import { bcaInterval, normalCdf, normalQuantile, percentileInterval } from '../../src/calibrate/bootstrap.ts';
import { fitLeafLaw, syntheticLeafCounts } from '../../src/index.ts';

describe('BCa interval (bootstrap.ts)', () => {
  it('Φ and Φ⁻¹ agree with tabulated values and invert each other', () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959964, 5);
    expect(normalQuantile(0.005)).toBeCloseTo(-2.575829, 5);
    expect(normalCdf(1.644854)).toBeCloseTo(0.95, 6);
    for (const p of [1e-6, 0.01, 0.3, 0.5, 0.8, 0.999]) expect(normalCdf(normalQuantile(p))).toBeCloseTo(p, 6);
  });

  it('is the percentile interval when the replicates are centred on the estimate and a = 0', () => {
    const reps = Array.from({ length: 999 }, (_, i) => normalQuantile((i + 1) / 1000));
    const bca = bcaInterval(reps, 0, 0.9, null)!;
    const pct = percentileInterval(reps, 0.9)!;
    expect(bca.method).toBe('BCa');
    // (Φ⁻¹ then Φ round-trips to ~1e-7.)
    expect(bca.lower).toBeCloseTo(pct.lower, 6);
    expect(bca.upper).toBeCloseTo(pct.upper, 6);
  });

  it('moves the bounds against a bias: replicates centred above the estimate give a lower interval', () => {
    const n = 99_999;
    const reps = Array.from({ length: n }, (_, i) => 0.5 + normalQuantile((i + 1) / (n + 1)));
    const bca = bcaInterval(reps, 0, 0.9, null)!;
    const pct = percentileInterval(reps, 0.9)!;
    // z0 = Φ⁻¹(P(θ* < θ̂)) = −0.5: the bounds are the quantiles at Φ(−1 ± 1.645), i.e. shifted by 2·z0·sd = −1.
    expect(bca.lower).toBeCloseTo(pct.lower - 1, 2);
    expect(bca.upper).toBeCloseTo(pct.upper - 1, 2);
  });

  it('falls back to the percentile interval when every replicate is on one side', () => {
    expect(bcaInterval([1, 2, 3, 4], 0, 0.9, null)!.method).toBe('percentile');
  });
});

describe('§G3 β interval coverage on synthetic counts (seeded)', () => {
  it('the 95% BCa interval covers the true β in ≥ 85% of 60 data sets (binomial SE at 95%: 2.8 points)', () => {
    const law = { kind: 'power' as const, k: 0.05, beta: 0.3, gMax: 1 };
    const budgets = [10, 30, 100, 300, 1000, 3000, 10_000];
    const sets = 60;
    let covered = 0;
    let bca = 0;
    for (let s = 1; s <= sets; s++) {
      const r = fitLeafLaw(syntheticLeafCounts({ law, chance: 0.5, budgets, trials: 100, seed: s }), { bootstrap: 100, seed: s });
      const iv = r.intervals.beta!;
      if (iv.method === 'BCa') bca++;
      if (iv.lower <= 0.3 && 0.3 <= iv.upper) covered++;
    }
    expect(bca).toBeGreaterThanOrEqual(sets - 2);
    expect(covered).toBeGreaterThanOrEqual(0.85 * sets);
  });
});
