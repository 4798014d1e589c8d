// SPEC §I4: the voting curve. The fitted accuracy against closed forms (binomial majority, the §H4
// K = ∞ plurality Π, the §I2 quadrature), the observed (all column subsets) against brute-force
// enumeration, observed ≈ fitted at the true parameters within 6σ on seeded synthetic data, the
// agreement among wrong answers, and a curve that turns down (arXiv 2403.02419).
import { describe, expect, it } from 'vitest';
import { fitSamples, fittedVoteAccuracy, observedVoteAccuracy, syntheticSamples, votingCurve, type SampleTask } from '../../src/index.ts';
import { expectOverDifficulty } from '../../src/theory/difficulty.ts';

function choose(n: number, k: number): number {
  let s = 1;
  for (let i = 1; i <= k; i++) s = (s * (n - k + i)) / i;
  return s;
}

/** Binary majority of n i.i.d. votes of accuracy p, ties at random. */
function majority(p: number, n: number): number {
  let s = 0;
  for (let c = 0; c <= n; c++) {
    const w = choose(n, c) * p ** c * (1 - p) ** (n - c);
    s += 2 * c > n ? w : 2 * c === n ? w / 2 : 0;
  }
  return s;
}

describe('§I4 fitted voting curve', () => {
  it('binary (δ = 1): the binomial majority; even N equals N − 1; shared failure adds ρ·μ', () => {
    for (const n of [1, 2, 3, 4, 7, 12]) {
      expect(fittedVoteAccuracy({ mean: 0.64, rho: 0, dispersion: 0 }, n, 1)).toBeCloseTo(majority(0.64, n), 13);
      expect(fittedVoteAccuracy({ mean: 0.64, rho: 0.3, dispersion: 0 }, n, 1)).toBeCloseTo(0.3 * 0.64 + 0.7 * majority(0.64, n), 13);
    }
    expect(fittedVoteAccuracy({ mean: 0.6, rho: 0.1, dispersion: 0.2 }, 6, 1)).toBeCloseTo(fittedVoteAccuracy({ mean: 0.6, rho: 0.1, dispersion: 0.2 }, 5, 1), 13);
  });

  it('difficulty: the Beta expectation of the majority (the §I2 quadrature)', () => {
    const d = { mean: 0.58, dispersion: 0.35 };
    for (const n of [3, 5, 9]) {
      const quad = expectOverDifficulty(d, (p) => majority(p, n));
      expect(Math.abs(fittedVoteAccuracy({ ...d, rho: 0 }, n, 1) - quad)).toBeLessThan(1e-10);
    }
  });

  it('open answers, scattered wrong answers (δ = 0): the §H4 K = ∞ plurality Π = P(c ≥ 2) + P(c = 1)/N', () => {
    for (const n of [1, 2, 3, 5, 8]) {
      const p = 0.3;
      const pi = 1 - (1 - p) ** n - n * p * (1 - p) ** (n - 1) + (n * p * (1 - p) ** (n - 1)) / n;
      expect(fittedVoteAccuracy({ mean: p, rho: 0, dispersion: 0 }, n, 0)).toBeCloseTo(pi, 13);
    }
  });
});

/** All subsets of size n of the answers, by brute force (labels: 0 right, g > 0 wrong group g). */
function bruteForce(task: SampleTask, n: number): number {
  const labels: number[] = [...new Array<number>(task.right).fill(0)];
  (task.wrongGroups ?? [task.answers - task.right]).forEach((size, g) => labels.push(...new Array<number>(size).fill(g + 1)));
  let total = 0, count = 0;
  const pick = (start: number, chosen: number[]) => {
    if (chosen.length === n) {
      const counts = new Map<number, number>();
      for (const i of chosen) counts.set(labels[i], (counts.get(labels[i]) ?? 0) + 1);
      const max = Math.max(...counts.values());
      const tied = [...counts.values()].filter((c) => c === max).length;
      total += (counts.get(0) ?? 0) === max ? 1 / tied : 0;
      count++;
      return;
    }
    for (let i = start; i < labels.length; i++) pick(i + 1, [...chosen, i]);
  };
  pick(0, []);
  return total / count;
}

describe('§I4 observed voting curve', () => {
  it('equals brute-force enumeration of every column subset', () => {
    const tasks: SampleTask[] = [
      { id: 'a', answers: 7, right: 3, wrongGroups: [2, 1, 1] },
      { id: 'b', answers: 8, right: 2, wrongGroups: [3, 2, 1] },
      { id: 'c', answers: 6, right: 1, wrongGroups: [1, 1, 1, 1, 1] },
      { id: 'd', answers: 9, right: 4, wrongGroups: [5] },
      { id: 'e', answers: 5, right: 2 }, // binary: the 3 wrong answers are one answer
      { id: 'f', answers: 6, right: 0, wrongGroups: [6] },
    ];
    for (const t of tasks) {
      for (let n = 1; n <= t.answers; n++) expect(observedVoteAccuracy(t, n)).toBeCloseTo(bruteForce(t, n), 12);
      expect(observedVoteAccuracy(t, t.answers + 1)).toBeNull();
    }
  });

  for (const [name, spec] of [
    ['binary majority', { mean: 0.66, rho: 0.1, dispersion: 0.2 }],
    ['open-answer plurality', { mean: 0.4, rho: 0.05, dispersion: 0.2, wrongShare: 0.6 }],
  ] as const) {
    it(`${name}: observed ≈ fitted at the true parameters within 6σ (3000 tasks × 9 samples)`, () => {
      const { tasks } = syntheticSamples({ tasks: 3000, samples: 9, ...spec, seed: 11 });
      const delta = 'wrongShare' in spec ? spec.wrongShare : 1;
      for (const n of [1, 2, 3, 5, 8, 9]) {
        const values = tasks.map((t) => observedVoteAccuracy(t, n)!);
        const mean = values.reduce((s, v) => s + v, 0) / values.length;
        const sd = Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / (values.length - 1));
        const truth = fittedVoteAccuracy({ mean: spec.mean, rho: spec.rho, dispersion: spec.dispersion }, n, delta);
        expect(Math.abs(mean - truth)).toBeLessThanOrEqual(6 * sd / Math.sqrt(values.length));
      }
    });
  }
});

describe('§I4 votingCurve', () => {
  it('measures agreement among wrong answers (δ² under one dominant distractor) and finds a curve that turns down', () => {
    const { tasks } = syntheticSamples({ tasks: 1500, samples: 7, mean: 0.35, rho: 0, dispersion: 0.2, wrongShare: 0.7, seed: 5 });
    const fit = fitSamples(tasks, { intervals: 'none' });
    const curve = votingCurve(tasks, fit, { maxN: 15, bootstrap: 100, seed: 2 });
    expect(curve.rule).toBe('plurality');
    const w = curve.wrongAgreement!;
    expect(Math.abs(w.value - 0.49)).toBeLessThanOrEqual(6 * w.interval!.stdError);
    // The true curve rises to N = 5 and then falls (0.35 → 0.395 → 0.375 at N = 25).
    const truth = Array.from({ length: 15 }, (_, i) => fittedVoteAccuracy({ mean: 0.35, rho: 0, dispersion: 0.2 }, i + 1, 0.7));
    const trueBest = truth.indexOf(Math.max(...truth)) + 1;
    expect(trueBest).toBeGreaterThan(1);
    expect(trueBest).toBeLessThan(15);
    expect(curve.turnsDown).toBe(true);
    expect(Math.abs(curve.best.n - trueBest)).toBeLessThanOrEqual(2);
    expect(curve.turnsDownShare!).toBeGreaterThan(0.9);
    expect(curve.points).toHaveLength(15);
    expect(curve.points[7].observed).toBeNull();
    expect(curve.points[6].observedTasks).toBe(1500);
    // Observed and fitted agree within their intervals where both exist.
    for (const p of curve.points.slice(0, 7)) {
      expect(p.fittedInterval!.lower).toBeLessThanOrEqual(p.observed! + 3 * p.observedInterval!.stdError);
      expect(p.fittedInterval!.upper).toBeGreaterThanOrEqual(p.observed! - 3 * p.observedInterval!.stdError);
    }
  });

  it('a binary curve above chance keeps rising: best N is the largest odd N, no turn down; seeds reproduce', () => {
    const { tasks } = syntheticSamples({ tasks: 400, samples: 5, mean: 0.7, rho: 0.1, dispersion: 0.2, seed: 9 });
    const fit = fitSamples(tasks, { intervals: 'none' });
    const a = votingCurve(tasks, fit, { maxN: 12, bootstrap: 50, seed: 4 });
    expect(a.rule).toBe('majority');
    expect(a.best.n).toBe(11);
    expect(a.turnsDown).toBe(false);
    expect(a.points[0].fitted).toBeCloseTo(fit.models.find((m) => m.model === fit.best)!.parameters.mean, 12);
    expect(votingCurve(tasks, fit, { maxN: 12, bootstrap: 50, seed: 4 })).toEqual(a);
    expect(() => votingCurve(tasks, fit, { maxN: 0 })).toThrow(/^maxN must be an integer in \[1, 201\]/);
    expect(() => votingCurve(tasks, fit, { seed: -1 })).toThrow(/^seed must be/);
    expect(() => votingCurve(tasks, fit, { level: 0.2 })).toThrow(/^level must be/);
    expect(() => votingCurve(tasks, fit, { model: 'other' as 'both' })).toThrow(/^model must be/);
  });
});
