// Sweeps over the extended model (issues 11, 12): the answers axis (§H1–§H5, §H7), the ρ_task axis
// (§I1) and the §B9 trend. Theory cells equal the library's own functions for the same cell exactly;
// Monte Carlo cells equal the simulators called directly (same §D4 chunks) and agree with the exact
// values within 6σ; results are identical for 1, 2 and 4 workers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  accuracyFromSkill, expectedRootAccuracy, expectedRootSkill, InvalidParameterError, PiscinaExecutor, phaseGrid, phaseStructure, REGIME_CODES, reachedFixedPoint,
  rootBias, rootSkill, simulatePluralityChunk, sweep, TRIALS_PER_CHUNK, trajectory, type Answers, type SweepExtendedMonteCarlo, type SweepSpec,
} from '../../src/node.ts';
import { TREND_CODES } from '../../src/sweep/task.ts';
import { sweepBytes } from './sweepBytes.ts';

const answersSpec: SweepSpec = {
  answers: [2, 3, 10, 'open'],
  b: [3, 4],
  gamma: [0.8, 0.95],
  rho: [0, 0.2],
  u0: [0.05, 0.3, 0.9],
  depth: [0, 6],
};

describe('answers axis (§H): theory', () => {
  it('every cell equals phaseGrid with the same task, the phase structure and accuracyFromSkill exactly', async () => {
    const cells = await sweep(answersSpec).collect();
    expect(cells).toHaveLength(4 * 2 * 2 * 2 * 3 * 2);
    let bistable = 0;
    for (const c of cells) {
      const k = c.answers as Answers;
      const task = k === 2 ? {} : { task: { answers: k } };
      const g = phaseGrid({ b: [c.b], gamma: [c.gamma], rho: [c.rho], u0: [c.u0], depths: [c.depth], ...task });
      const t = c.theory!;
      expect(t.alpha).toBe(g.alpha[0]);
      expect(t.s).toBe(g.s[0]);
      expect(t.uL).toBe(g.uL[0]);
      const ps = k === 2 ? null : phaseStructure({ b: c.b, gamma: c.gamma, rho: c.rho }, { answers: k });
      // The kernel's regime equals the phase structure's except at a saddle-node tangency (a fixed
      // point with slope 1: open answers, b = 3, γ = 0.8, ρ = 0 is one), where rows follow phaseStructure.
      if (!ps || !ps.fixedPoints.some((f) => Math.abs(f.slope - 1) < 1e-9)) expect(t.regime).toBe(g.regime[0]);
      expect(t.accuracyL).toBe(accuracyFromSkill(t.uL, k));
      const level = { b: c.b, gamma: c.gamma, rho: c.rho };
      // The library's trajectory iterates the same map in JavaScript: equal to rounding.
      expect(Math.abs(t.uL - trajectory(level, c.u0, c.depth, { answers: k })[c.depth])).toBeLessThan(1e-12);
      if (ps) {
        expect(t.uStar).toBe(ps.best);
        expect(Number.isNaN(t.threshold) ? null : t.threshold).toBe(ps.threshold);
        expect(REGIME_CODES[t.regime]).toBe(ps.regime);
        const target = reachedFixedPoint(level, k, c.u0, ps);
        expect(Number.isNaN(t.trend) ? null : TREND_CODES[t.trend]).toBe(target > 0 ? (c.u0 > target ? 'falling' : 'growing') : null);
        expect(t.clipped).toBeNaN(); // §B9's clipped predictor belongs to the concave binary map
      }
      if (REGIME_CODES[t.regime] === 'bistable') bistable++;
    }
    expect(bistable).toBeGreaterThan(0);
  });

  it('a judge aggregator reaches the plurality grid with the judge (§H7)', async () => {
    const cells = await sweep({ answers: 'open', aggregator: { judge: 0.5 }, b: [3], gamma: [0.9], rho: [0, 0.3], u0: [0.1], depth: [5] }).collect();
    const g = phaseGrid({ b: [3], gamma: [0.9], rho: [0, 0.3], u0: [0.1], depths: [5], task: { answers: 'open' }, aggregator: { judge: 0.5 } });
    cells.forEach((c, i) => {
      expect(c.theory!.uL).toBe(g.uL[i]);
      expect(c.theory!.alpha).toBe(g.alpha[i]);
    });
    // open answers: a judge's slope at chance is γ·(ρ + (1 − ρ)(v·b + 1 − v)) > γ (§H7)
    expect(cells[0].theory!.alpha).toBeCloseTo(0.9 * (0.5 * 3 + 0.5), 12);
  });

  it('the bistable level: leaves on either side of s† fall to chance or climb (trend growing, §H5)', async () => {
    // b = 3, K = 10, γ = 0.85, ρ = 0: α < 1 yet a high fixed point exists above s† ≈ 0.128.
    const [below, above] = await sweep({ answers: 10, b: 3, gamma: 0.85, rho: 0, u0: [0.1, 0.3], depth: 300 }).collect();
    expect(REGIME_CODES[below.theory!.regime]).toBe('bistable');
    const sDagger = below.theory!.threshold;
    expect(sDagger).toBeGreaterThan(0.1);
    expect(sDagger).toBeLessThan(0.3);
    expect(below.theory!.uL).toBeLessThan(1e-3);
    expect(below.theory!.trend).toBeNaN();
    expect(Math.abs(above.theory!.uL - above.theory!.uStar)).toBeLessThan(1e-9);
    expect(TREND_CODES[above.theory!.trend]).toBe('growing');
  });
});

describe('§B9 trend', () => {
  it("is 'falling' where u_0 > u* (the clipped predictor is then a lower bound) and 'growing' below", async () => {
    const [low, high] = await sweep({ rhoTask: 0, b: 3, gamma: 0.8, rho: 0.2, u0: [0.1, 0.95], depth: 3 }).collect();
    const uStar = low.theory!.uStar;
    expect(uStar).toBeGreaterThan(0.1);
    expect(uStar).toBeLessThan(0.95);
    expect(TREND_CODES[low.theory!.trend]).toBe('growing');
    expect(TREND_CODES[high.theory!.trend]).toBe('falling');
    // falling: the exact u_L stays above the clipped û_L = u*
    expect(high.theory!.uL).toBeGreaterThan(high.theory!.clipped);
    expect(high.theory!.clipped).toBe(uStar);
  });
});

describe('rhoTask axis (§I1)', () => {
  it('uL equals rootBias for the same cell exactly; ρ_task = 0 equals phaseGrid', async () => {
    const spec: SweepSpec = { b: [3, 5], gamma: [0.7, 0.9], rho: [0, 0.3], rhoTask: [0, 0.25, 1], u0: [-0.2, 0.05, 0.4], depth: [0, 4, 12] };
    const cells = await sweep(spec).collect();
    expect(cells).toHaveLength(2 * 2 * 2 * 3 * 3 * 3);
    for (const c of cells) {
      const level = { b: c.b, gamma: c.gamma, rho: c.rho };
      if (c.rhoTask === 0) {
        const g = phaseGrid({ b: [c.b], gamma: [c.gamma], rho: [c.rho], u0: [c.u0], depths: [c.depth] });
        expect(c.theory!.uL).toBe(g.uL[0]);
        expect(c.theory!.clipped).toBe(g.clipped[0]);
      } else {
        expect(c.theory!.uL).toBe(rootBias(level, c.u0, c.depth, { rhoTask: c.rhoTask! }));
        expect(c.theory!.clipped).toBeNaN();
      }
      expect(c.theory!.accuracyL).toBe(0.5 + 0.5 * c.theory!.uL);
    }
  });

});

describe('ρ_task and dispersion with K ≠ 2 or a judge (§I1, §I2 plurality mixture)', () => {
  it('theory: skillL equals rootSkill / expectedRootSkill for the same cell exactly', async () => {
    const check = async (spec: SweepSpec, judge?: { judge: number }) => {
      const cells = await sweep(spec).collect();
      let mixed = 0;
      for (const c of cells) {
        const k = c.answers as Answers;
        const level = { b: c.b, gamma: c.gamma, rho: c.rho, ...(judge ? { aggregator: judge } : {}) };
        const pc = accuracyFromSkill(0, k);
        const mean = pc + (1 - pc) * c.u0;
        const expected = c.dispersion! > 0
          ? expectedRootSkill(level, c.depth, { answers: k, rhoTask: c.rhoTask!, difficulty: { mean, dispersion: c.dispersion! } })
          : rootSkill(level, c.u0, c.depth, { answers: k, rhoTask: c.rhoTask! });
        if (c.dispersion! > 0 || c.rhoTask! > 0) {
          expect(c.theory!.uL).toBe(expected);
          expect(c.theory!.trend).toBeNaN();
          expect(c.theory!.clipped).toBeNaN();
          mixed++;
        } else {
          expect(Math.abs(c.theory!.uL - expected)).toBeLessThan(1e-12);
        }
        expect(c.theory!.accuracyL).toBe(pc + (1 - pc) * c.theory!.uL);
      }
      return cells;
    };
    const cells = await check({ answers: [3, 10, 'open'], b: [3, 4], gamma: [0.9], rho: [0, 0.2], rhoTask: [0, 0.3], dispersion: [0, 0.2], u0: [0.15, 0.5], depth: [0, 4] });
    // the task-level event and difficulty change the answer (cell order: ρ_task, φ, u0, depth fastest)
    const at = (rt: number, phi: number) => cells.find((c) => c.answers === 10 && c.b === 3 && c.rho === 0 && c.rhoTask === rt && c.dispersion === phi && c.u0 === 0.5 && c.depth === 4)!;
    expect(at(0, 0).theory!.uL - at(0.3, 0).theory!.uL).toBeGreaterThan(1e-3);
    expect(Math.abs(at(0, 0).theory!.uL - at(0, 0.2).theory!.uL)).toBeGreaterThan(1e-3);
    await check({ answers: [2, 'open'], aggregator: { judge: 0.4 }, b: [3], gamma: [0.85], rho: [0.1], rhoTask: [0, 0.5], dispersion: [0, 0.3], u0: [0.1], depth: [3] }, { judge: 0.4 });
  });

  it('Monte Carlo is refused: the plurality simulator draws neither the task-level event nor a difficulty', () => {
    const err = (f: () => unknown) => { try { f(); } catch (e) { return e as InvalidParameterError; } throw new Error('no error'); };
    const base = { b: 3, gamma: 0.9, rho: 0, u0: 0.1, depth: 2, trials: 100 };
    expect(err(() => sweep({ ...base, answers: 3, rhoTask: 0.2 })).parameter).toBe('rhoTask');
    expect(err(() => sweep({ ...base, aggregator: { judge: 0.3 }, rhoTask: [0, 0.2] })).parameter).toBe('rhoTask');
    expect(err(() => sweep({ ...base, answers: 3, dispersion: 0.2 })).parameter).toBe('dispersion');
    expect(err(() => sweep({ ...base, answers: 'open', dispersion: [0, 0.2], compute: 'montecarlo' })).message).toMatch(/plurality simulator/);
    // theory alone is not refused
    expect(() => sweep({ answers: 3, rhoTask: 0.2, dispersion: 0.2, b: 3, gamma: 0.9, rho: 0, u0: 0.1, depth: 2 })).not.toThrow();
  });
});

/** Root accuracy of a cell from its theory (exact) and simulation, with z = (sim − exact)/σ. */
function zScores(cells: Awaited<ReturnType<ReturnType<typeof sweep>['collect']>>): number[] {
  return cells.map((c) => {
    const mc = c.montecarlo as { accuracy: number; accuracyStdError: number; skill: number; skillStdError: number };
    expect(mc.skill).toBeCloseTo((mc.accuracy - accuracyFromSkill(0, c.answers as Answers)) / (1 - accuracyFromSkill(0, c.answers as Answers)), 12);
    return (mc.accuracy - c.theory!.accuracyL) / Math.max(mc.accuracyStdError, 1e-9);
  });
}

describe('dispersion axis (§I2), combined with ρ and ρ_task', () => {
  it('accuracyL equals expectedRootAccuracy for the same cell exactly; φ = 0 is the plain map', async () => {
    const spec: SweepSpec = { b: [3, 5], gamma: [0.9], rho: [0, 0.3], rhoTask: [0, 0.4], dispersion: [0, 0.1, 0.5], u0: [-0.3, 0.2], depth: [0, 5] };
    const cells = await sweep(spec).collect();
    expect(cells).toHaveLength(2 * 2 * 2 * 3 * 2 * 2);
    for (const c of cells) {
      const level = { b: c.b, gamma: c.gamma, rho: c.rho };
      const exact = c.dispersion! > 0
        ? expectedRootAccuracy(level, c.depth, { rhoTask: c.rhoTask!, difficulty: { mean: (1 + c.u0) / 2, dispersion: c.dispersion! } })
        : 0.5 + 0.5 * rootBias(level, c.u0, c.depth, { rhoTask: c.rhoTask! });
      if (c.dispersion! > 0) expect(c.theory!.accuracyL).toBe(exact);
      else expect(Math.abs(c.theory!.accuracyL - exact)).toBeLessThan(1e-15);
      if (c.dispersion! > 0) {
        expect(c.theory!.uL).toBe(2 * c.theory!.accuracyL - 1);
        expect(c.theory!.trend).toBeNaN();
      }
    }
    // difficulty changes the answer (the check could fail if φ were ignored)
    // cells 3 and 7: u0 = 0.2, depth 5, φ = 0 and 0.1 (dispersion is the third-fastest axis, stride 4)
    expect(cells[7].dispersion).toBe(0.1);
    expect(cells[3].theory!.accuracyL - cells[7].theory!.accuracyL).toBeGreaterThan(1e-3);
  });

  it('is simulated with the per-trial Beta draw (§D2 heterogeneous) within 6σ, and refused with K ≠ 2 or with ρ_task in Monte Carlo', async () => {
    const cells = await sweep({ b: 3, gamma: 0.9, rho: 0.1, dispersion: [0.2, 0.5], u0: [0.2, -0.1], depth: 4, trials: 100_000 }, { seed: 4 }).collect();
    for (const z of zScores(cells)) expect(Math.abs(z)).toBeLessThan(6);
    expect(Math.abs(cells[0].theory!.accuracyL - accuracyFromSkill(cells[0].theory!.uStar, 2))).toBeGreaterThan(0.05);
    expect(() => sweep({ answers: 3, dispersion: 0.2, b: 3, gamma: 0.9, rho: 0, u0: 0.2, depth: 2, trials: 100 })).toThrow(/dispersion/);
    expect(() => sweep({ dispersion: 0.2, rhoTask: 0.3, b: 3, gamma: 0.9, rho: 0, u0: 0.2, depth: 2, trials: 100 })).toThrow(/dispersion/);
    expect(() => sweep({ dispersion: [0, 1], b: 3, gamma: 0.9, rho: 0, u0: 0.2, depth: 2 })).toThrow(/dispersion\[1\]/);
    expect(() => sweep({ dispersion: 0.2, b: 3, gamma: 0.9, rho: 0, u0: 1, depth: 2, trials: 100 })).toThrow(/u0\[0\]/);
  });
});

describe('Monte Carlo of extended cells', () => {
  it('plurality cells equal simulatePluralityChunk per §D4 chunk and agree with the exact map within 6σ', async () => {
    const spec: SweepSpec = { answers: [3, 10, 'open'], b: [3, 4], gamma: [0.9], rho: [0, 0.3], u0: [0.3], depth: [3], trials: 70_000 };
    const cells = await sweep(spec, { seed: 11 }).collect();
    for (const c of cells) {
      let correct = 0;
      for (let chunk = 0; chunk * TRIALS_PER_CHUNK < 70_000; chunk++) {
        correct += simulatePluralityChunk(
          { tree: { b: c.b, gamma: c.gamma, rho: c.rho }, task: { answers: c.answers! }, s0: c.u0, depth: c.depth, mode: 'full' },
          { seed: 11, cell: c.cell, chunk, trials: Math.min(TRIALS_PER_CHUNK, 70_000 - chunk * TRIALS_PER_CHUNK) },
        ).correct;
      }
      expect(c.montecarlo!.correct).toBe(correct);
    }
    for (const z of zScores(cells)) expect(Math.abs(z)).toBeLessThan(6);
  });

  it('a judge and a dominant distractor are simulated (dominant: Monte Carlo only)', async () => {
    const judged = await sweep({ answers: 'open', aggregator: { judge: 0.6 }, b: 3, gamma: 0.9, rho: 0.1, u0: 0.2, depth: 3, trials: 50_000 }, { seed: 3 }).collect();
    for (const z of zScores(judged)) expect(Math.abs(z)).toBeLessThan(6);
    const dominant = await sweep({ answers: 5, distractors: { dominant: 0.7 }, compute: 'montecarlo', b: 3, gamma: 0.9, rho: 0, u0: 0.3, depth: 2, trials: 20_000 }).collect();
    expect(dominant[0].theory).toBeUndefined();
    expect(dominant[0].montecarlo!.trials).toBe(20_000);
    expect(() => sweep({ answers: 5, distractors: { dominant: 0.7 }, b: 3, gamma: 0.9, rho: 0, u0: 0.3, depth: 2 })).toThrow(/distractors/);
  });

  it('ρ_task cells (the task-level event drawn per trial) agree with the §I1 mixture within 6σ', async () => {
    const spec: SweepSpec = { b: [3], gamma: [0.9], rho: [0, 0.2], rhoTask: [0, 0.3, 0.8], u0: [0.2], depth: [4], trials: 140_000 };
    const cells = await sweep(spec, { seed: 5 }).collect();
    const zs = zScores(cells);
    for (const z of zs) expect(Math.abs(z)).toBeLessThan(6);
    // the mixture is visibly different from ρ_task = 0 (the test could fail if ρ_task were ignored)
    expect(Math.abs(cells[2].theory!.accuracyL - cells[0].theory!.accuracyL) / (cells[2].montecarlo as SweepExtendedMonteCarlo).accuracyStdError).toBeGreaterThan(20);
  });

  it("refuses mode 'levels' and the §D2 variants in extended sweeps, naming the field", () => {
    const base = { answers: 3, b: 3, gamma: 0.9, rho: 0, u0: 0.3, depth: 2, trials: 1000 } as const;
    const err = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return e as InvalidParameterError;
      }
      throw new Error('no error');
    };
    expect(err(() => sweep({ ...base, mode: 'levels' })).parameter).toBe('mode');
    expect(err(() => sweep({ ...base, variant: { kind: 'channelAfterCopy' } })).parameter).toBe('variant');
    expect(err(() => sweep({ ...base, answers: [3, 1] })).parameter).toBe('answers[1]');
    expect(err(() => sweep({ ...base, rhoTask: [0, 1.5], answers: 2 })).parameter).toBe('rhoTask[1]');
    expect(err(() => sweep({ ...base, u0: -0.9 })).parameter).toBe('u0[0]'); // skill below −1/(K − 1)
    expect(err(() => sweep({ ...base, aggregator: { judge: 2 } })).parameter).toBe('aggregator.judge');
  });
});

describe('worker-count invariance (§D4)', () => {
  let pools: PiscinaExecutor[];
  beforeAll(() => {
    pools = [1, 2, 4].map((workers) => new PiscinaExecutor({ workers }));
  });
  afterAll(async () => {
    await Promise.all(pools.map((p) => p.close()));
  });

  it('extended theory and Monte Carlo are byte-identical for 1, 2 and 4 workers and any chunking', async () => {
    const spec: SweepSpec = {
      answers: [2, 5, 'open'], b: [3, 4], gamma: [0.85, 0.95], rho: [0.2], rhoTask: [0], u0: [0.2, 0.6], depth: [2], trials: [70_000, 500],
    };
    const scoped: SweepSpec = { b: [3], gamma: [0.9], rho: [0.1], rhoTask: [0, 0.4], u0: [0.1], depth: [2], trials: [70_000] };
    for (const s of [spec, scoped]) {
      const reference = await sweepBytes(sweep(s, { seed: 9, workers: 1 }));
      for (const executor of pools) {
        for (const chunking of [{}, { chunkSize: 3, leafVotesPerTask: 50_000 }]) {
          expect((await sweepBytes(sweep(s, { seed: 9, executor, ...chunking }))).equals(reference)).toBe(true);
        }
      }
    }
  }, 120_000);
});
