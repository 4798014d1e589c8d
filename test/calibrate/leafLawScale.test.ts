// SPEC §G3 at scale (issue 16): the leaf-law fit is near-linear in the points. Before, every
// saturation split was fitted and polished over all points (1,000 distinct budgets took 13 s,
// 10,000 more than 5 minutes). These are guard tests on purpose: the limits are wall-clock, set
// ~4–10× above what a loaded 2-core machine measures (100,000 budgets and 5 resamples: 1–2.5 s), so
// only a return of the quadratic search can fail them. The many-budget search (more than
// EXHAUSTIVE_SPLITS distinct budgets) must also find the law. Counts still use the exhaustive search.
import { describe, expect, it } from 'vitest';
import { EXHAUSTIVE_SPLITS } from '../../src/calibrate/leafLawFit.ts';
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
  it('100,000 distinct accuracies with 5 bootstrap resamples in under 10 s, the law recovered within 6 bootstrap SE', () => {
    const data = noisyAccuracies(100_000);
    const t0 = performance.now();
    const r = fitLeafLaw(data, { bootstrap: 5, seed: 5 });
    const seconds = (performance.now() - t0) / 1000;
    expect(seconds).toBeLessThan(10);
    expect(r.gMaxReached).toBe(true);
    for (const [est, truth, iv] of [[r.beta, law.beta, r.intervals.beta], [r.gMax, law.gMax, r.intervals.gMax], [r.k, law.k, r.intervals.k]] as const) {
      expect(iv).not.toBeNull();
      expect(Math.abs(est - truth)).toBeLessThan(6 * iv!.stdError);
    }
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
});
