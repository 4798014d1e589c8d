// `synergy predict`, `synergy validate` (SPEC §J) and accuracy in the user's unit in `design`, end to
// end through the built binary.
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { designBinary, predictMatched, saturationThreshold } from '../../src/index.ts';
import { synergy } from './run.ts';

const EXAMPLE = fileURLToPath(new URL('../../examples/matched-budget.csv', import.meta.url));
const predictArgs = ['predict', '--single-accuracy', '0.36', '--chance', '0', '--budget', '20000', '--beta', '0.3', '--gamma', '0.9', '--rho', '0.1', '--m', '100'];

describe('synergy predict', () => {
  it('prints the library predictions and p† for stars and trees (--json)', async () => {
    const r = await synergy([...predictArgs, '--star', '4,9', '--tree', '3^2', '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    const problem = { chance: 0, budget: 20000, beta: 0.3, fidelity: 0.9, m: 100, rho: 0.1, overhead: 0 };
    expect(out.rows.map((x: { prediction: { label: string } }) => x.prediction.label)).toEqual(['star N=4', 'star N=9', 'tree 3^2']);
    expect(out.rows[1].prediction.accuracy).toBe(predictMatched(problem, 0.36, { kind: 'star', agents: 9 }).accuracy);
    expect(out.rows[1].threshold.value).toBe(saturationThreshold(problem, { kind: 'star', agents: 9 }).value);
    expect(out.rows[0].threshold.kind).toBe('never');
  });

  it('reads β, ρ and the fidelity curve from a calibrate --json file and propagates their intervals', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'predict-'));
    const cal = join(dir, 'cal.json');
    await writeFile(cal, JSON.stringify({
      leaf: [{ beta: 0.3, intervals: { beta: { lower: 0.2, upper: 0.45 } } }],
      correlation: { rho: 0.1, interval: { lower: 0.05, upper: 0.2 } },
      fidelity: { best: { curve: { kind: 'saturating', gammaInf: 0.95, m0: 40 }, intervals: { gammaInf: { lower: 0.9, upper: 0.99 } } } },
    }));
    const r = await synergy(['predict', '--single-accuracy', '0.36', '--chance', '0', '--budget', '20000', '--calibration', cal, '--m', '100', '--star', '9', '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    const row = out.rows[0];
    expect(row.accuracyRange.lower).toBeLessThanOrEqual(row.prediction.accuracy);
    expect(row.accuracyRange.upper).toBeGreaterThanOrEqual(row.prediction.accuracy);
    expect(row.accuracyRange.upper - row.accuracyRange.lower).toBeGreaterThan(0.01);
    expect(out.sources.beta).toMatch(/cal\.json \(leaf fit\)/);
    // The range's ends are predictions at the intervals' corners (β low helps most: more agents cost less skill).
    const best = predictMatched({ chance: 0, budget: 20000, beta: 0.2, fidelity: { kind: 'saturating', gammaInf: 0.99, m0: 40 }, m: 100, rho: 0.05 }, 0.36, { kind: 'star', agents: 9 });
    expect(row.accuracyRange.upper).toBeCloseTo(best.accuracy!, 12);
  });

  it('--best asks the §E search with the anchored leaf law', async () => {
    const r = await synergy([...predictArgs, '--best', '--window', '4000', '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    const d = designBinary({ budget: 20000, window: 4000, messageLengths: [100], fidelity: { kind: 'constant', gamma: 0.9 }, rho: 0.1, leafLaw: { kind: 'power', k: 0.36 * 20000 ** -0.3, beta: 0.3, gMax: 1 }, chance: 0 });
    const first = d.rows.find((x) => x.feasible && x.organization !== 'single')!;
    expect(out.rows[0].prediction.leaves).toBe(first.leaves);
    expect(out.rows[0].prediction.accuracy).toBeCloseTo(first.accuracy!, 12);
  });

  it('--answers, --aggregator, --distractor, --rho-task and --dispersion reach the library; chance defaults to 1/K', async () => {
    const r = await synergy(['predict', '--single-accuracy', '0.36', '--budget', '20000', '--beta', '0.3', '--gamma', '0.9', '--rho', '0.1',
      '--answers', '5', '--aggregator', 'judge:0.4', '--distractor', 'dominant:0.6', '--rho-task', '0.2', '--star', '5', '--tree', '3^2', '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    const problem = {
      chance: 0.2, budget: 20000, beta: 0.3, fidelity: 0.9, m: 0, rho: 0.1, overhead: 0,
      task: { answers: 5, rhoTask: 0.2, distractors: { dominant: 0.6 } }, aggregator: { judge: 0.4 },
    };
    expect(out.problem.chance).toBe(0.2);
    expect(out.rows[0].prediction.accuracy).toBe(predictMatched(problem, 0.36, { kind: 'star', agents: 5 }).accuracy);
    expect(out.rows[1].prediction.accuracy).toBe(predictMatched(problem, 0.36, { kind: 'tree', fanIns: [3, 3] }).accuracy);
    // Not the binary answer: K, the judge, the distractor and ρ_task all change it.
    const binary = predictMatched({ ...problem, chance: 0.2, task: undefined, aggregator: undefined }, 0.36, { kind: 'star', agents: 5 });
    expect(Math.abs(out.rows[0].prediction.accuracy - binary.accuracy!)).toBeGreaterThan(1e-3);

    const open = await synergy(['predict', '--single-accuracy', '0.36', '--budget', '20000', '--beta', '0.3', '--gamma', '0.9', '--rho', '0.1',
      '--answers', 'open', '--star', '9', '--dispersion', '0.05']);
    expect(open.code).toBe(0);
    expect(open.stdout).toMatch(/chance 0\.0000/);
    expect(open.stdout).toMatch(/helps from 0\.\d{4}/);
    expect(open.stdout).toMatch(/Task difficulty φ = 0\.05/);
  });

  it('writes the figure', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'predict-'));
    const r = await synergy([...predictArgs, '--star', '9', '--plot', join(dir, 'p.svg')]);
    expect(r.code).toBe(0);
    const svg = await readFile(join(dir, 'p.svg'), 'utf8');
    expect(svg).toMatch(/^<svg/);
    expect(svg).toContain('p† = 0.424');
  });

  it.each([
    [['--single-accuracy', '1.5'], /--single-accuracy must be a number in \[0, 1\]/],
    [['--star', '1'], /--star must be agent counts N ≥ 2/],
    [['--tree', '3^x'], /--tree must be b\^L or per-level fan-ins/],
    [['--chance', '1'], /--chance must be a chance accuracy in \[0, 1\)/],
    [['--answers', '4'], /--chance must be 1\/K = 0.25 with --answers 4/],
    [['--aggregator', 'judge:2'], /--aggregator must be plurality or judge:v/],
    [['--distractor', 'dominant:0.5'], /--distractor must be symmetric with K = 2/],
    [['--rho-task', '-0.1'], /--rho-task must be a number in \[0, 1\]/],
    [['--dispersion', '1'], /--dispersion must be a task-difficulty dispersion/],
  ])('bad input %j exits 2 with one line naming the flag', async (extra, message) => {
    const args = [...predictArgs];
    for (let i = 0; i < extra.length; i += 2) {
      const at = args.indexOf(extra[i]);
      if (at >= 0) args.splice(at, 2);
    }
    // A flag is given once (issue 16): the default --star 3 only when the case does not set --star.
    const r = await synergy([...args, ...(extra.includes('--star') ? [] : ['--star', '3']), ...extra]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});

describe('synergy validate', () => {
  const flags = ['--group', 'benchmark,model', '--holdout', 'benchmark', '--chance', 'chance', '--bootstrap', '500'];

  it('reads a pandas to_csv table and says the theory beats every baseline on the example', async () => {
    const r = await synergy(['validate', EXAMPLE, ...flags]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/72 cells, 6 held-out groups, 24 clusters/);
    expect(r.stdout).toMatch(/The theory predicts held-out groups better than every baseline/);
    expect(r.stdout).toMatch(/not separately identifiable/);
  });

  it('--json carries scores, differences and out-of-fold predictions', async () => {
    const r = await synergy(['validate', EXAMPLE, ...flags, '--json']);
    const out = JSON.parse(r.stdout);
    expect(out.scores.map((s: { model: string }) => s.model)).toEqual(['theory', 'no change', 'threshold', 'mean shift']);
    expect(out.predictions).toHaveLength(72);
    expect(out.differences).toHaveLength(3);
  });

  it('--aggregator judge cross-validates the judge variant beside the voter and prints its fitted v', async () => {
    const r = await synergy(['validate', EXAMPLE, ...flags, '--aggregator', 'judge', '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.scores.map((s: { model: string }) => s.model)).toEqual(['theory', 'theory (judge)', 'no change', 'threshold', 'mean shift']);
    expect(out.differences).toHaveLength(6);
    for (const o of out.organizations) expect(o.judgeFit.v).toBeGreaterThanOrEqual(0);
    const text = await synergy(['validate', EXAMPLE, ...flags, '--aggregator', 'judge']);
    expect(text.stdout).toMatch(/Judge variant fitted on all cells/);
    expect(text.stdout).toMatch(/selection this cross-validation does not validate/);
  });

  it('bad tables and flags exit 2 with one line naming the column and line', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'validate-'));
    const text = await readFile(EXAMPLE, 'utf8');
    const bad = join(dir, 'bad.csv');
    await writeFile(bad, text.replace(/\n3,arith,medium,vote-5,5,([0-9.]+),/, '\n3,arith,medium,vote-5,5,1.7,'));
    const cases: [string[], RegExp][] = [
      [['validate', bad, ...flags], /bad\.csv line 5, column 6 \(single\) must be an accuracy in \[0, 1\]/],
      [['validate', EXAMPLE, ...flags.map((f) => (f === 'benchmark,model' ? 'benchmark,family' : f))], /must be a column named "family"/],
      [['validate', EXAMPLE, '--group', 'benchmark,model', '--chance', 'chance', '--holdout', 'n'], /--holdout column with at least 2 distinct values/],
      [['validate', EXAMPLE, '--group', 'benchmark', '--holdout', 'benchmark'], /^synergy: --chance must be/],
      [['validate', EXAMPLE, ...flags, '--aggregator', 'oracle'], /--aggregator must be plurality \(the voter model\) or judge/],
      [['validate', EXAMPLE, ...flags.map((f) => (f === 'chance' ? '0.3' : f)), '--aggregator', 'judge'], /--chance must be a chance level 1\/K or 0 \(open answers\) on every line with --aggregator judge \(line 2\)/],
    ];
    for (const [args, message] of cases) {
      const r = await synergy(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
  });
});

describe('accuracy in the user\'s unit (§J1)', () => {
  it('design --chance 0 reports accuracy = skill, not (1 + u)/2', async () => {
    const r = await synergy(['design', '--budget', '20000', '--window', '8000', '--m', '100', '--fidelity', 'constant:0.9', '--rho', '0.1',
      '--leaf', 'power:0.002,0.5', '--chance', '0', '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    const single = out.rows.find((x: { organization: string }) => x.organization === 'single');
    expect(single.accuracy).toBeCloseTo(0.002 * Math.sqrt(20000), 12); // skill g(B), chance 0
    for (const row of out.rows.filter((x: { feasible: boolean }) => x.feasible)) expect(row.accuracy).toBeCloseTo(row.bias, 15);
  });
});
