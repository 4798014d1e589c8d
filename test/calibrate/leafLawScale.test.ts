// SPEC §G3 at scale (issue 16): the leaf-law fit is near-linear in the points. Before, every
// saturation split was fitted and polished over all points (1,000 distinct budgets took 13 s,
// 10,000 more than 5 minutes). These are guard tests on purpose: the limits are wall-clock, set
// ~4–10× above what a loaded 2-core machine measures (100,000 budgets: 0.25–1 s; 10,000 budgets and 20 resamples: 0.3–2 s), so
// only a return of the quadratic search can fail them. The many-budget search (more than
// EXHAUSTIVE_SPLITS distinct budgets) must also find the law. Counts have their own branch and bound
// (leafLawCounts.test.ts), not yet near-linear (issue 16, open; docs/guarantees.md).
import { describe, expect, it } from 'vitest';
import { EXHAUSTIVE_SPLITS, JACKKNIFE_MAX_REFITS } from '../../src/calibrate/leafLawFit.ts';
import { exactLeafAccuracies, fitLeafLaw, leafBias } from '../../src/index.ts';

const law = { kind: 'power' as const, k: 0.02, beta: 0.5, gMax: 0.6 };
/** n distinct budgets from 1 to ~0.37·n (the law saturates at x = 900). */
const budgets = (n: number) => Array.from({ length: n }, (_, i) => 1 + 0.37 * i + 0.001 * (i % 7));

/** Accuracies with multiplicative noise on the skill (ln-scale residuals uniform in ±0.025). */
function noisyAccuracies(n: number) {
  let s = 12345;
  const next = () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
  return budgets(n).map((x) => ({ x, accuracy: 0.5 + 0.5 * leafBias(law, x) * Math.exp(0.05 * (next() - 0.5)) }));
}

describe('§G3 leaf-law fit with many distinct budgets (issue 16)', () => {
  it('100,000 distinct accuracies fitted in under 10 s, the law recovered within 6 standard errors', () => {
    const data = noisyAccuracies(100_000);
    const t0 = performance.now();
    const r = fitLeafLaw(data, { bootstrap: 0 });
    expect((performance.now() - t0) / 1000).toBeLessThan(10);
    expect(r.gMaxReached).toBe(true);
    // ln-scale noise sd = 0.05/√12 ≈ 0.0144. About 2,430 points below the kink (ln x spread ≈ 1.2):
    // SE(β) ≈ 0.0144/(√2430·1.2) ≈ 2.5e-4, SE(ln k) ≈ SE(β)·mean ln x ≈ 1.2e-3; ~97,600 points at
    // g_max: SE(ln g_max) ≈ 4.6e-5.
    expect(Math.abs(r.beta - law.beta)).toBeLessThan(6 * 2.5e-4);
    expect(Math.abs(Math.log(r.k / law.k))).toBeLessThan(6 * 1.2e-3);
    expect(Math.abs(Math.log(r.gMax / law.gMax))).toBeLessThan(6 * 4.6e-5);
  }, 60_000);

  it('the bootstrap costs resamples × a near-linear fit: 10,000 distinct accuracies with 20 resamples in under 10 s', () => {
    const t0 = performance.now();
    const r = fitLeafLaw(noisyAccuracies(10_000), { bootstrap: 20, seed: 5 });
    expect((performance.now() - t0) / 1000).toBeLessThan(10);
    expect(Math.abs(r.beta - law.beta)).toBeLessThan(6 * r.intervals.beta!.stdError);
  }, 60_000);

  it('noiseless laws over more than EXHAUSTIVE_SPLITS budgets are recovered to 1e-9 (branch and bound)', () => {
    const xs = Array.from({ length: 4 * EXHAUSTIVE_SPLITS }, (_, i) => 10 * 1.05 ** i);
    const acc = fitLeafLaw(exactLeafAccuracies({ law, chance: 0.5, budgets: xs }), { bootstrap: 0 });
    expect(acc.gMaxReached).toBe(true);
    expect(Math.abs(acc.beta - law.beta)).toBeLessThan(1e-9);
    expect(Math.abs(acc.gMax - law.gMax)).toBeLessThan(1e-9);
    expect(Math.abs(acc.k - law.k) / law.k).toBeLessThan(1e-9);
    const open = fitLeafLaw(exactLeafAccuracies({ law: { ...law, gMax: 1 }, chance: 0, budgets: xs.filter((x) => law.k * x ** law.beta < 1) }), { chance: 0, bootstrap: 0 });
    expect(open.gMaxReached).toBe(false);
    expect(Math.abs(open.beta - law.beta)).toBeLessThan(1e-9);
  });

  it('above JACKKNIFE_MAX_REFITS jackknife refits the intervals switch from BCa to percentile (the jackknife is rows × fit time)', () => {
    // One refit per accuracy row: JACKKNIFE_MAX_REFITS rows keep BCa, one more row gives percentile.
    const atCap = fitLeafLaw(noisyAccuracies(JACKKNIFE_MAX_REFITS), { bootstrap: 30, seed: 3 });
    expect(atCap.intervals.beta!.method).toBe('BCa');
    const above = fitLeafLaw(noisyAccuracies(JACKKNIFE_MAX_REFITS + 1), { bootstrap: 30, seed: 3 });
    expect(above.intervals.beta!.method).toBe('percentile');
    expect(above.intervals.k!.method).toBe('percentile');
    // A percentile interval of the resamples: it straddles the estimate and spans less than ±3
    // bootstrap standard errors (a 95% interval spans about ±2).
    const b = above.intervals.beta!;
    expect(b.lower).toBeLessThan(above.beta);
    expect(b.upper).toBeGreaterThan(above.beta);
    expect(b.upper - b.lower).toBeLessThan(6 * b.stdError);
  }, 120_000);
});
