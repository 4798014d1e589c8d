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
    expect(a.uL).toBe(theory.exact[state.depth]);
    expect(a.mixingDepth).toBe(theory.mixingDepth);
    const design = computeDesign(state);
    const d = await run(lines.design);
    expect(d.rows.length).toBe(design.rows.length);
    expect(d.best).toMatchObject({ organization: design.best.organization, b: design.best.b, depth: design.best.depth, m: design.best.m });
    expect(d.best.bias).toBe(design.best.bias);
  });
});
