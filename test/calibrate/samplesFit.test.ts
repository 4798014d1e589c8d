// SPEC §I3: shared failure vs task difficulty from a tasks × samples matrix. Exact pieces (count
// probabilities against the §I2 quadrature, the χ² quantile), model recovery and profile-interval
// coverage on seeded synthetic data, the pairwise ρ̂ ≈ φ check on pure difficulty data, and the
// reader's errors (file, line, column).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  chiSquare1Quantile, countProbability, CsvError, fitSamples, pairwiseCorrelation, parseCsv, samplesMatrixFromCsv, syntheticSamples,
  type SamplesModelName,
} from '../../src/index.ts';
import { expectOverDifficulty } from '../../src/theory/difficulty.ts';

function choose(n: number, k: number): number {
  let s = 1;
  for (let i = 1; i <= k; i++) s = (s * (n - k + i)) / i;
  return s;
}

describe('§I3 count model', () => {
  it('is a distribution, the binomial at ρ = φ = 0, and the Beta expectation of the binomial (§I2 quadrature)', () => {
    for (const p of [{ mean: 0.7, rho: 0, dispersion: 0 }, { mean: 0.3, rho: 0.2, dispersion: 0.4 }, { mean: 0.55, rho: 0.9, dispersion: 0.05 }]) {
      for (const n of [3, 5, 12]) {
        let sum = 0;
        for (let k = 0; k <= n; k++) sum += countProbability(p, n, k);
        expect(sum).toBeCloseTo(1, 12);
      }
    }
    for (let k = 0; k <= 5; k++) {
      expect(countProbability({ mean: 0.7, rho: 0, dispersion: 0 }, 5, k)).toBeCloseTo(choose(5, k) * 0.7 ** k * 0.3 ** (5 - k), 14);
      // Difficulty: E over p ~ Beta(μ, φ) of Bin(k; n, p), by the tanh-sinh quadrature of §I2.
      const d = { mean: 0.62, dispersion: 0.3 };
      const quad = expectOverDifficulty(d, (q) => choose(5, k) * q ** k * (1 - q) ** (5 - k));
      expect(Math.abs(countProbability({ ...d, rho: 0 }, 5, k) - quad)).toBeLessThan(1e-10);
      // Shared failure adds ρ·μ at k = n and ρ·(1 − μ) at k = 0 only.
      const mixed = countProbability({ ...d, rho: 0.25 }, 5, k);
      const extra = k === 5 ? 0.62 : k === 0 ? 0.38 : 0;
      expect(mixed).toBeCloseTo(0.25 * extra + 0.75 * quad, 10);
    }
  });

  it('χ²₁ quantile: 3.841458820694124 at 95%, 6.634896601021214 at 99%', () => {
    expect(chiSquare1Quantile(0.95)).toBeCloseTo(3.841458820694124, 9);
    expect(chiSquare1Quantile(0.99)).toBeCloseTo(6.634896601021214, 9);
    expect(chiSquare1Quantile(0.999999)).toBeCloseTo(23.928127011, 5);
  });
});

describe('§I3 recovery on seeded synthetic data (500 tasks × 5 samples, μ = 0.7)', () => {
  const TRUTHS: Record<SamplesModelName, { rho: number; dispersion: number }> = {
    shared: { rho: 0.3, dispersion: 0 },
    difficulty: { rho: 0, dispersion: 0.3 },
    both: { rho: 0.2, dispersion: 0.2 },
  };
  const DATA_SETS = 100;
  for (const model of ['shared', 'difficulty', 'both'] as const) {
    it(`${model}: the AIC picks it in ≥ 90% of ${DATA_SETS} data sets; profile intervals cover the truth near 95%`, () => {
      const truth = { mean: 0.7, ...TRUTHS[model] };
      let chosen = 0;
      const covered: Record<string, number> = {};
      for (let s = 0; s < DATA_SETS; s++) {
        const { tasks } = syntheticSamples({ tasks: 500, samples: 5, ...truth, seed: 1000 + s });
        const fit = fitSamples(tasks, { intervals: model });
        if (fit.best === model) chosen++;
        const m = fit.models.find((x) => x.model === model)!;
        for (const name of m.free) {
          const i = m.intervals![name]!;
          covered[name] = (covered[name] ?? 0) + (i.lower <= truth[name] && truth[name] <= i.upper ? 1 : 0);
        }
      }
      const coverage = Object.fromEntries(Object.entries(covered).map(([k, v]) => [k, v / DATA_SETS]));
      console.log(`§I3 recovery, true model ${model}: chosen in ${chosen}/${DATA_SETS}; 95% profile-interval coverage ${JSON.stringify(coverage)}`);
      expect(chosen / DATA_SETS).toBeGreaterThanOrEqual(0.9);
      // Coverage of a nominal 95% interval over 100 data sets: within 6 binomial standard errors.
      const tolerance = 6 * Math.sqrt((0.95 * 0.05) / DATA_SETS);
      for (const c of Object.values(coverage)) expect(Math.abs(c - 0.95)).toBeLessThanOrEqual(tolerance);
    });
  }
});

describe('§I3: pairwise correlation cannot tell difficulty from shared failure, the counts can', () => {
  it('on pure difficulty data pairwise ρ̂ ≈ φ while the fit attributes it to difficulty', () => {
    const phi = 0.25;
    const { tasks } = syntheticSamples({ tasks: 2000, samples: 5, mean: 0.65, dispersion: phi, seed: 42 });
    const pw = pairwiseCorrelation(tasks, { bootstrap: 200, seed: 3 });
    // Independent answers on Beta tasks correlate by exactly φ (§I2).
    expect(Math.abs(pw.rho - phi)).toBeLessThanOrEqual(6 * pw.interval!.stdError);
    const fit = fitSamples(tasks, { intervals: 'best' });
    expect(fit.best).toBe('difficulty');
    const difficulty = fit.models.find((m) => m.model === 'difficulty')!;
    expect(difficulty.intervals!.dispersion!.lower).toBeLessThanOrEqual(phi);
    expect(difficulty.intervals!.dispersion!.upper).toBeGreaterThanOrEqual(phi);
    // The shared-failure-only model would read the same correlation as ρ, and fits far worse.
    const shared = fit.models.find((m) => m.model === 'shared')!;
    expect(Math.abs(shared.parameters.rho - pw.rho)).toBeLessThan(0.1);
    expect(shared.deltaAic).toBeGreaterThan(10);
    const both = fit.models.find((m) => m.model === 'both')!;
    expect(both.parameters.rho).toBeLessThan(0.05);
  });

  it('on pure shared-failure data pairwise ρ̂ ≈ ρ and the fit attributes it to shared failure', () => {
    const { tasks } = syntheticSamples({ tasks: 2000, samples: 5, mean: 0.65, rho: 0.25, seed: 43 });
    const pw = pairwiseCorrelation(tasks, { bootstrap: 200, seed: 3 });
    expect(Math.abs(pw.rho - 0.25)).toBeLessThanOrEqual(6 * pw.interval!.stdError);
    const fit = fitSamples(tasks, { intervals: 'none' });
    expect(fit.best).toBe('shared');
    expect(fit.models.find((m) => m.model === 'difficulty')!.deltaAic).toBeGreaterThan(10);
  });

  it('the full model is never fitted worse than a nested one', () => {
    for (let s = 0; s < 10; s++) {
      const { tasks } = syntheticSamples({ tasks: 300, samples: 4, mean: 0.5 + 0.04 * s, rho: 0.02 * s, dispersion: 0.3 - 0.02 * s, seed: s });
      const fit = fitSamples(tasks, { intervals: 'none' });
      const ll = Object.fromEntries(fit.models.map((m) => [m.model, m.logLikelihood]));
      expect(ll.both).toBeGreaterThanOrEqual(Math.max(ll.shared, ll.difficulty) - 1e-9);
    }
  });
});

describe('§I3 input', () => {
  it("reads pandas' DataFrame.to_csv() output: unnamed index, 1.0/0.0, True/False, empty cells", () => {
    const text = ',s1,s2,s3,s4\n0,1.0,0.0,1.0,\n1,True,False,True,True\n2,0,0,,0\n';
    const m = samplesMatrixFromCsv(parseCsv(text, 'm.csv'));
    expect(m.samples).toEqual(['s1', 's2', 's3', 's4']);
    expect(m.tasks).toEqual([{ id: '0', answers: 3, right: 2 }, { id: '1', answers: 4, right: 3 }, { id: '2', answers: 3, right: 0 }]);
    expect(m.open).toBe(false);
  });

  it('reads the files pandas 1.5.3 wrote (fixtures/make_pandas_fixtures.py): bool and float columns with missing cells', () => {
    const read = (name: string) => {
      const path = fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
      return samplesMatrixFromCsv(parseCsv(readFileSync(path, 'utf8'), path));
    };
    const bool = read('pandas-correctness-bool.csv');
    const float = read('pandas-correctness-float.csv');
    expect(bool.samples).toEqual(['gpt', 'claude', 'llama', 'mistral']);
    expect(float.tasks).toEqual(bool.tasks);
    expect(bool.tasks[0]).toEqual({ id: '0', answers: 4, right: 3 });
    expect(bool.tasks[4]).toEqual({ id: '4', answers: 3, right: 2 });
  });

  it('reads answer texts against a right-answer column and groups identical wrong answers', () => {
    const text = 'task,answer,a,b,c,d,e\nq1,42,42,41,41,7,\nq2,x,y,y,y,x,x\n';
    const m = samplesMatrixFromCsv(parseCsv(text, 'o.csv'), { taskColumn: 'task', answerColumn: 'answer' });
    expect(m.tasks).toEqual([{ id: 'q1', answers: 4, right: 1, wrongGroups: [2, 1] }, { id: 'q2', answers: 5, right: 2, wrongGroups: [3] }]);
    expect(m.open).toBe(true);
  });

  it('names file, line and column for bad input; short rows fail unless skipped', () => {
    const bad = 's1,s2,s3\n1,0,1\n1,maybe,0\n';
    expect(() => samplesMatrixFromCsv(parseCsv(bad, 'b.csv'))).toThrow(/b\.csv line 3, column 2 \(s2\)/);
    const short = '# comment\ns1,s2,s3,s4\n1,0,1,1\n1,,,0\n0,0,1,\n';
    expect(() => samplesMatrixFromCsv(parseCsv(short, 's.csv'))).toThrow(CsvError);
    expect(() => samplesMatrixFromCsv(parseCsv(short, 's.csv'))).toThrow(/s\.csv line 4 must be .*at least 3 answers.*1 of 3 rows.*--skip-short.*"2 answers"/);
    const kept = samplesMatrixFromCsv(parseCsv(short, 's.csv'), { skipShort: true });
    expect(kept.tasks.map((t) => t.id)).toEqual(['1', '3']);
    expect(kept.skipped).toEqual([{ id: '2', line: 4, answers: 2 }]);
    expect(() => samplesMatrixFromCsv(parseCsv('s1,s2\n1,0\n', 't.csv'))).toThrow(/t\.csv line 1 must be .*at least 3 samples/);
    expect(() => samplesMatrixFromCsv(parseCsv('answer,a,b,c\n,1,2,3\n', 'a.csv'), { answerColumn: 'answer' })).toThrow(/a\.csv line 2, column 1 \(answer\)/);
    expect(() => samplesMatrixFromCsv(parseCsv('a,b,c\n1,2,3\n', 'a.csv'), { answerColumn: 'right' })).toThrow(/a column named "right"/);
  });

  it('the library names its parameters', () => {
    expect(() => fitSamples([{ id: '1', answers: 2, right: 1 }, { id: '2', answers: 3, right: 1 }])).toThrow(/tasks\[0\].*answers: an integer ≥ 3/);
    expect(() => fitSamples([{ id: '1', answers: 3, right: 3 }, { id: '2', answers: 3, right: 3 }])).toThrow(/^tasks must be some right and some wrong answers/);
    expect(() => fitSamples([{ id: '1', answers: 3, right: 1 }, { id: '2', answers: 3, right: 2 }], { level: 1.5 })).toThrow(/^level must be/);
  });
});
