// The explorer's command lines (web/commandLine.ts) compute what the page shows: run them through
// the built CLI and compare with the page's own computations for the same state.
import { describe, expect, it } from 'vitest';
import { computeDesign, computeTheory } from '../../web/compute.ts';
import { commandLines } from '../../web/commandLine.ts';
import { parseState } from '../../web/state.ts';
import { synergy } from '../cli/run.ts';

async function run(line: string) {
  const r = await synergy([...line.split(' ').slice(1), '--json']);
  expect(r.code, `${line}\n${r.stderr}`).toBe(0);
  return JSON.parse(r.stdout);
}

const STATES = [
  '', // the defaults: γ given directly, u0
  'b=7&channel=m&curve=saturating&ginf=0.9&m0=35&m=120&rho=0.17&leaf=p0&q=0.53&depth=12&lengths=30,90,270&k=0.002&beta=0.45&gmax=0.8',
  'channel=m&curve=rational&ginf=0.97&m0=20&m=60&rho=0.3&depth=40&budget=500000&window=4000&w0=200',
  'channel=m&curve=table&table=0:0,50:0.55,300:0.92&m=75&rho=0.05&q=0.1&depth=8',
  // §B9: u0 above u* — the trajectory falls and the clipped predictor is a lower bound.
  'q=0.9&depth=10',
  // Even b (§H3), §I1 ρ_task; then §I2 difficulty (design takes --dispersion; analyze has no difficulty flag).
  'b=4&gamma=0.9&rhotask=0.2&depth=15',
  'b=4&gamma=0.9&rhotask=0.2&phi=0.1&depth=15&window=2000',
  // §H: K = 10 answers, bistable (b = 3, γ = 0.85: α < 1, leaves above s† climb); a judge over K = 5
  // with a dominant distractor; open answers (small windows keep the plurality design search short).
  'answers=10&b=3&gamma=0.85&rho=0&q=0.3&depth=20&window=2000',
  'answers=5&distractor=dominant&delta=0.7&aggregator=judge&v=0.4&b=4&gamma=0.8&leaf=p0&q=0.4&depth=10&window=2000',
  'answers=open&b=5&gamma=0.9&rho=0.05&q=0.4&depth=12&window=1000',
];

describe('explorer → command line', () => {
  it.each(STATES)('analyze and design for ?%s give the page\'s numbers', async (query) => {
    const { state, notes } = parseState(query);
    expect(notes).toEqual([]);
    const lines = commandLines(state);
    const theory = computeTheory(state);
    const a = await run(lines.analyze);
    expect(a.gamma).toBe(theory.level.gamma);
    expect(a.u0).toBe(theory.u0);
    expect(a.alpha).toBe(theory.alpha);
    expect(a.s).toBe(theory.s);
    expect(a.uStar).toBe(theory.uStar);
    // With a difficulty dispersion the page's exact line is the mean over tasks (§I2): analyze's E[accuracy_L].
    if (state.dispersion === 0) {
      expect(a.uL).toBe(theory.exact[state.depth]);
      expect(a.accuracyL).toBe(theory.chance + (1 - theory.chance) * theory.exact[state.depth]);
      expect(a.difficulty).toBeNull();
    } else {
      expect(2 * a.difficulty.expectedAccuracyL - 1).toBe(theory.exact[state.depth]);
    }
    expect(a.mixingDepth).toBe(theory.mixingDepth);
    expect(a.chance).toBe(theory.chance);
    expect(a.regime).toBe(theory.regime);
    expect(a.trend).toBe(theory.trend);
    expect(a.fixedPoints.map((f: { skill: number; stable: boolean }) => [f.skill, f.stable])).toEqual(theory.fixedPoints.map((f) => [f.value, f.stable]));
    expect(a.threshold?.skill ?? null).toBe(theory.threshold);
    expect(a.bistableGamma).toBe(theory.bistableGamma);
    expect(a.criticalGamma).toBe(theory.criticalGamma);
    const design = computeDesign(state);
    const d = await run(lines.design);
    expect(d.rows.length).toBe(design.rows.length);
    expect(d.best).toMatchObject({ organization: design.best.organization, b: design.best.b, depth: design.best.depth, m: design.best.m });
    expect(d.best.bias).toBe(design.best.bias);
  });
});
