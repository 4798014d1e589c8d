// SPEC §J3–§J4 — the matched-budget fit and the honest cross-validated comparison with baselines, on
// tables generated from known worlds with binomial noise (fixed seeds).
import { describe, expect, it } from 'vitest';
import {
  fitJudge, fitThreshold, fitVoter, InvalidParameterError, judgePrediction, syntheticMatchedTable, validateMatched, voterPrediction,
  type MatchedCell, type SyntheticMatchedSpec,
} from '../../src/index.ts';

const orgs = [
  { name: 'vote-5', agents: 5, a: 0.8, rho: 0.1, shift: 0.05 },
  { name: 'vote-15', agents: 15, a: 0.6, rho: 0.2, shift: 0.03 },
  { name: 'lead+3', agents: 4, a: 0.85, rho: 0.05, shift: -0.02 },
];
const spec = (o: Partial<SyntheticMatchedSpec>): SyntheticMatchedSpec => ({
  world: 'theory', benchmarks: ['b1', 'b2', 'b3', 'b4', 'b5', 'b6', 'b7', 'b8'], models: ['m1', 'm2', 'm3', 'm4', 'm5'],
  organizations: orgs, n: 500, chance: 0.25, singleRange: [0.3, 0.95], seed: 5, ...o,
});

describe('fitVoter (§J3)', () => {
  it('recovers a and ρ exactly from noiseless cells, for odd and even N', () => {
    for (const [agents, a, rho] of [[3, 0.9, 0.2], [9, 0.7, 0.3], [4, 0.8, 0.05]] as const) {
      const cells = Array.from({ length: 30 }, (_, i) => {
        const base = { agents, single: 0.05 + (0.9 * i) / 29, chance: 0 };
        return { ...base, accuracy: voterPrediction(base, a, rho), n: 500, group: `g${i}`, organization: 'o', holdout: 'h', line: i + 2 };
      });
      const f = fitVoter(cells);
      expect(f.a).toBeCloseTo(a, 5);
      expect(f.rho).toBeCloseTo(rho, 5);
      expect(f.onBound).toEqual([]);
    }
  });

  it('recovers a and ρ from binomial data with many instances (40 groups × 20,000)', () => {
    const cells = syntheticMatchedTable(spec({ n: 20_000 }));
    for (const o of orgs) {
      const f = fitVoter(cells.filter((c) => c.organization === o.name));
      expect(Math.abs(f.a - o.a)).toBeLessThan(0.03);
      expect(Math.abs(f.rho - o.rho)).toBeLessThan(0.05);
    }
  });

  it('flags a fit that ends on a bound (organizations that change nothing push a and ρ to 1)', () => {
    const cells = syntheticMatchedTable(spec({ world: 'no change', organizations: [orgs[0]] }));
    expect(fitVoter(cells).onBound.length).toBeGreaterThan(0);
  });
});

describe('validateMatched (§J4)', () => {
  it('in a world where the theory holds, it beats every baseline out of fold', () => {
    const r = validateMatched(syntheticMatchedTable(spec({})), { bootstrap: 500 });
    expect(r.folds.map((f) => f.holdout)).toEqual(['b1', 'b2', 'b3', 'b4', 'b5', 'b6', 'b7', 'b8']);
    expect(r.unpredicted).toBe(0);
    expect(r.differences.map((d) => d.verdict)).toEqual(['theory better', 'theory better', 'theory better']);
    expect(r.verdict).toMatch(/^The theory predicts held-out groups better than every baseline/);
    const theory = r.scores.find((s) => s.model === 'theory')!;
    expect(theory.signAccuracy!).toBeGreaterThan(0.9);
    const noChange = r.scores.find((s) => s.model === 'no change')!;
    expect(noChange.signAccuracy).toBeNull(); // it never predicts a sign: every cell is a predicted tie
    expect(noChange.predictedTies).toBe(r.cells);
  });

  it('in a world where organizations change nothing, it claims no predictive value', () => {
    const r = validateMatched(syntheticMatchedTable(spec({ world: 'no change' })), { bootstrap: 500 });
    // The theory can express "no change" (a = ρ = 1), so it may beat the baselines that overfit noise,
    // but never the no-change baseline itself.
    expect(r.differences.find((d) => d.baseline === 'no change')!.verdict).not.toBe('theory better');
    expect(r.verdict).toMatch(/^No predictive value shown/);
  });

  it('in a constant-shift world the baselines win and the verdict says so', () => {
    const r = validateMatched(syntheticMatchedTable(spec({ world: 'shift', n: 2000 })), { bootstrap: 500 });
    const mean = r.differences.find((d) => d.baseline === 'mean shift')!;
    expect(mean.verdict).toBe('baseline better');
    expect(mean.interval.lower).toBeGreaterThan(0);
    expect(r.verdict).toMatch(/"mean shift"[^.]* better than the theory/);
  });

  it('every held-out prediction comes from a fit that never saw its group', () => {
    const cells = syntheticMatchedTable(spec({}));
    const r = validateMatched(cells, { bootstrap: 200 });
    const held = r.predictions.find((p) => p.cell.holdout === 'b3' && p.cell.organization === 'vote-5')!;
    const train = cells.filter((c) => c.holdout !== 'b3' && c.organization === 'vote-5');
    const f = fitVoter(train);
    expect(held.predicted.theory).toBeCloseTo(voterPrediction(held.cell, f.a, f.rho), 14);
    const shift = train.reduce((s, c) => s + c.accuracy - c.single, 0) / train.length;
    expect(held.predicted['mean shift']).toBeCloseTo(Math.min(1, Math.max(0, held.cell.single + shift)), 14);
  });

  it('cross-validates several theory variants side by side on the same folds (chance levels)', () => {
    const cells = syntheticMatchedTable(spec({}));
    const r = validateMatched(cells, { bootstrap: 200, variants: [{ name: 'theory' }, { name: 'binary', chance: 0.5 }] });
    expect(r.scores.map((x) => x.model)).toEqual(['theory', 'binary', 'no change', 'threshold', 'mean shift']);
    expect(r.differences.map((d) => `${d.theory}-${d.baseline}`)).toEqual([
      'theory-no change', 'theory-threshold', 'theory-mean shift', 'binary-no change', 'binary-threshold', 'binary-mean shift']);
    // The variant's held-out prediction is the voter model fitted and evaluated with its own chance level.
    const held = r.predictions.find((p) => p.cell.holdout === 'b2' && p.cell.organization === 'vote-15')!;
    const train = cells.filter((c) => c.holdout !== 'b2' && c.organization === 'vote-15').map((c) => ({ ...c, chance: 0.5 }));
    const f = fitVoter(train);
    expect(held.predicted.binary).toBeCloseTo(voterPrediction({ ...held.cell, chance: 0.5 }, f.a, f.rho), 14);
    // The data were drawn with chance 0.25: the variant with the right chance errs less.
    const mae = (m: string) => r.scores.find((x) => x.model === m)!.meanAbsoluteError;
    expect(mae('theory')).toBeLessThan(mae('binary'));
    expect(r.verdict).toMatch(/a selection this cross-validation does not validate/);
    expect(() => validateMatched(cells, { variants: [{ name: 'mean shift' }] })).toThrow(/^variants\[0\]\.name must be/);
  });

  it('is deterministic for a seed', () => {
    const cells = syntheticMatchedTable(spec({}));
    expect(validateMatched(cells, { bootstrap: 200, seed: 9 }).differences).toEqual(validateMatched(cells, { bootstrap: 200, seed: 9 }).differences);
  });

  it('refuses a holdout with one level and too few cells', () => {
    const cells = syntheticMatchedTable(spec({ benchmarks: ['only'] }));
    expect(() => validateMatched(cells)).toThrow(/^holdout must be a column with at least 2 distinct values/);
    expect(() => validateMatched(cells.slice(0, 3))).toThrow(InvalidParameterError);
  });
});

describe('fitThreshold (the single-accuracy threshold baseline)', () => {
  it('finds the cut where organizations stop helping', () => {
    const cells: MatchedCell[] = [0.2, 0.3, 0.4, 0.6, 0.7, 0.8].map((single, i) => ({
      group: `g${i}`, organization: 'o', agents: 3, single, accuracy: single + (single < 0.5 ? 0.1 : -0.05), n: 100, chance: 0, holdout: 'h', line: i + 2,
    }));
    const f = fitThreshold(cells);
    expect(f.t).toBeCloseTo(0.5, 12);
    expect(f.below).toBeCloseTo(0.1, 12);
    expect(f.above).toBeCloseTo(-0.05, 12);
  });
});

describe('the judge variant (§H7 in §J3–§J4)', () => {
  const judges = [
    { name: 'judge-5', agents: 5, a: 0.75, rho: 0.1, judge: 0.6 },
    { name: 'judge-9', agents: 9, a: 0.6, rho: 0.15, judge: 0.4 },
  ];
  const judgeSpec = (o: Partial<SyntheticMatchedSpec> = {}) => spec({ organizations: judges, chance: 0.25, singleRange: [0.3, 0.9], ...o });

  it('judge v = 0 is the plurality voter over K = 1/p_c answers; K = 2 plurality is the binary voter', () => {
    for (const single of [0.3, 0.5, 0.8]) {
      const cell = { agents: 5, single, chance: 0.5, line: 2 };
      expect(Math.abs(judgePrediction(cell, 0.8, 0.2, 0) - voterPrediction(cell, 0.8, 0.2))).toBeLessThan(1e-12);
    }
    expect(() => judgePrediction({ agents: 5, single: 0.5, chance: 0.3, line: 7 }, 0.8, 0.2, 0.5)).toThrow(/chance \(line 7\)/);
  });

  it('recovers a, ρ and v from noiseless cells', () => {
    for (const o of judges) {
      const cells = Array.from({ length: 30 }, (_, i) => {
        const base = { agents: o.agents, single: 0.27 + (0.7 * i) / 29, chance: 0.25, line: i + 2 };
        return { ...base, accuracy: judgePrediction(base, o.a, o.rho, o.judge), n: 500, group: `g${i}`, organization: o.name, holdout: 'h' };
      });
      const f = fitJudge(cells);
      expect(Math.abs(f.a - o.a)).toBeLessThan(1e-3);
      expect(Math.abs(f.rho - o.rho)).toBeLessThan(1e-3);
      expect(Math.abs(f.v - o.judge)).toBeLessThan(1e-3);
    }
  });

  it('recovers v from binomial data (40 groups × 20,000 instances)', () => {
    const cells = syntheticMatchedTable(judgeSpec({ n: 20_000 }));
    for (const o of judges) {
      const f = fitJudge(cells.filter((c) => c.organization === o.name));
      expect(Math.abs(f.v - o.judge)).toBeLessThan(0.1);
      expect(Math.abs(f.a - o.a)).toBeLessThan(0.05);
    }
  });

  it('cross-validated beside the voter on the same folds: on a judged world it beats every baseline and errs less than the voter', () => {
    const r = validateMatched(syntheticMatchedTable(judgeSpec()), {
      bootstrap: 500, variants: [{ name: 'theory' }, { name: 'theory (judge)', aggregator: 'judge' }],
    });
    const judged = r.differences.filter((d) => d.theory === 'theory (judge)');
    expect(judged.map((d) => d.verdict)).toEqual(['theory better', 'theory better', 'theory better']);
    const mae = (m: string) => r.scores.find((s) => s.model === m)!.meanAbsoluteError;
    expect(mae('theory (judge)')).toBeLessThan(mae('theory'));
    expect(r.verdict).toMatch(/Variant "theory \(judge\)" predicts held-out groups better than every baseline/);
    expect(r.verdict).toMatch(/does not validate/); // side by side, not selected on the held-out folds
    for (const o of r.organizations) {
      expect(o.judgeFit).not.toBeNull();
      const truth = judges.find((j) => j.name === o.organization)!;
      expect(Math.abs(o.judgeFit!.v - truth.judge)).toBeLessThan(0.25);
    }
  });
});
