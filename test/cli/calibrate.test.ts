// `synergy calibrate` (SPEC §G) end to end through the built binary: the shipped examples, values
// equal to the library's, printed command lines that run, the §G4 caveat, byte-stable figures,
// and one-line usage errors with exit status 2.
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { leafFigureNames } from '../../src/cli/calibrate.ts';
import { fidelity, fitLeafLaw, leafObservationsFromCsv, parseCsv } from '../../src/index.ts';
import { nonFinitePaths } from '../calibrate/finite.ts';
import { parseState } from '../../web/state.ts';
import { synergy } from './run.ts';

const example = (name: string) => fileURLToPath(new URL(`../../examples/${name}`, import.meta.url));
const BATS = example('bats-react-browsecomp.csv');
/**
 * Fields of `calibrate --json` documented as possibly null: an input not given, no leaf groups, no
 * saturation, accuracies without counts, a u0 the data cannot supply. Any other null is a NaN or
 * ±Infinity that the --json replacer wrote as null.
 */
const JSON_NULLABLE = [
  '$.leaf', '$.correlation', '$.fidelity', // an input not given
  '$.leaf[*].group', '$.commands.analyze[*].group', '$.commands.design[*].group', '$.commands.explore[*].group', // no --leaf-group
  '$.leaf[*].saturationCompute', '$.leaf[*].intervals.gMax', // no saturation (g_max not reached)
  '$.leaf[*].points[*].stdError', // accuracies without counts
  '$.commands.analyze[*].u0', '$.commands.analyze[*].u0Source', // neither leaf data nor a correctness matrix
];

/** Human output must never show a non-number. */
function expectNumbersOnly(text: string): void {
  expect(text).not.toMatch(/NaN|Infinity/);
}

type Line = { group: string | null; command: string; u0?: number | null; u0Source?: string | null };

const batsFlags = ['--leaf', BATS, '--leaf-x', 'budget_per_tool', '--leaf-accuracy', 'accuracy_pct', '--leaf-percent', '--leaf-group', 'model', '--chance', '0'];

describe('synergy calibrate: the BATS example (open answers, §G4)', () => {
  it('fits one leaf law per model, equal to the library, and prints the §G4 caveat', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'calibrate-'));
    const r = await synergy(['calibrate', ...batsFlags, '--bootstrap', '300', '--out', dir, '--json']);
    expect(r.code).toBe(0);
    const c = JSON.parse(r.stdout);
    expect(c.leaf.map((l: { group: string }) => l.group)).toEqual(['gemini-2.5-pro', 'gemini-2.5-flash']);
    const groups = leafObservationsFromCsv(parseCsv(await readFile(BATS, 'utf8'), BATS), { x: 'budget_per_tool', accuracy: 'accuracy_pct', percent: true, group: 'model' });
    groups.forEach((g, i) => {
      const lib = fitLeafLaw(g.observations, { chance: 0, bootstrap: 300, seed: 1 });
      expect(c.leaf[i].k).toBe(lib.k);
      expect(c.leaf[i].beta).toBe(lib.beta);
      expect(c.leaf[i].intervals.beta).toEqual(lib.intervals.beta);
      expect(c.leaf[i].gMaxReached).toBe(false);
      expect(c.leaf[i].beta).toBeGreaterThan(0);
    });
    expect(c.caveats).toHaveLength(1);
    expect(c.caveats[0]).toMatch(/^SPEC §G4: chance p_c = 0 means open answers/);
    expect(c.figures).toEqual([join(dir, 'leaf-gemini-2.5-pro.svg'), join(dir, 'leaf-gemini-2.5-flash.svg')]);
    expect(await readFile(c.figures[0], 'utf8')).toContain('gemini-2.5-pro');
    expect(nonFinitePaths(c, JSON_NULLABLE)).toEqual([]);
    // One analyze and one design line per model, each naming its group (review a6).
    expect(c.commands.analyze.map((l: Line) => l.group)).toEqual(['gemini-2.5-pro', 'gemini-2.5-flash']);
    expect(c.commands.design.map((l: Line) => l.group)).toEqual(['gemini-2.5-pro', 'gemini-2.5-flash']);
    c.commands.analyze.forEach((l: Line, i: number) => {
      expect(l.u0Source).toBe('leaf');
      expect(l.command).toContain(`--u0 ${Number(l.u0!.toPrecision(6))}`);
      expect(c.commands.design[i].command).toContain(`--leaf power:${Number(c.leaf[i].k.toPrecision(6))},`);
    });
    const human = await synergy(['calibrate', ...batsFlags, '--bootstrap', '300', '--no-plots']);
    expect(human.code).toBe(0);
    expectNumbersOnly(human.stdout);
    expect(human.stdout).toMatch(/gemini-2\.5-pro\s+4\s+0\.0806/);
    expect(human.stdout).toContain('Caveat — SPEC §G4');
    expect(human.stdout).toMatch(/synergy design .*--leaf power:\S+ --rho <ρ> {2}# group "gemini-2\.5-flash"\n/);
  });
  it('needs --leaf-percent for percentages (a clear error naming the line and column)', async () => {
    const r = await synergy(['calibrate', '--leaf', BATS, '--leaf-x', 'budget_per_tool', '--leaf-accuracy', 'accuracy_pct', '--no-plots']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`synergy: ${BATS} line 5, column 3 (accuracy_pct) must be an accuracy in [0, 1] (use --leaf-percent for percentages); got "10.3"\n`);
  });
});

describe('synergy calibrate: all three inputs', () => {
  const all = ['--leaf', example('leaf.csv'), '--correlation', example('correlation.csv'), '--fidelity', example('fidelity.csv'), '--bootstrap', '200'];
  /** Runs a printed command line with --json; it must succeed. */
  async function runPrinted(line: string) {
    expect(line).not.toContain('<');
    const run = await synergy([...line.split(' ').slice(1), '--json']);
    expect(run.code, `${line}\n${run.stderr}`).toBe(0);
    return JSON.parse(run.stdout);
  }
  it('prints analyze and design command lines that run as printed, with the fitted ρ, u0 and γ', async () => {
    const r = await synergy(['calibrate', ...all, '--budget', '2e6', '--window', '8000', '--no-plots', '--json']);
    expect(r.code).toBe(0);
    const c = JSON.parse(r.stdout);
    expect(nonFinitePaths(c, JSON_NULLABLE)).toEqual([]);
    expect(c.caveats).toEqual([]);
    expect(c.correlation.rho).toBeGreaterThan(0.15);
    expect(c.fidelity.best.family).toBe('saturating');
    expect(c.commands.analyze).toHaveLength(1);
    expect(c.commands.design).toHaveLength(1);
    const analyzed = await runPrinted(c.commands.analyze[0].command);
    expect(analyzed.rho).toBeCloseTo(c.correlation.rho, 5);
    // u0 from the correctness matrix: the agents' mean skill, at p_c = 1/2 their mean bias 2p − 1.
    const meanBias = c.correlation.agents.reduce((s: number, a: { bias: number }) => s + a.bias, 0) / c.correlation.agents.length;
    expect(c.commands.analyze[0]).toMatchObject({ group: null, u0Source: 'correlation' });
    expect(c.commands.analyze[0].u0).toBeCloseTo(meanBias, 12);
    expect(analyzed.u0).toBeCloseTo(meanBias, 5);
    // γ from the best curve at the printed m (the median measured length).
    expect(analyzed.m).toBe(c.fidelity.lengths[Math.floor((c.fidelity.lengths.length - 1) / 2)].m);
    expect(analyzed.gamma).toBeCloseTo(fidelity(c.fidelity.best.curve, analyzed.m), 5);
    const designed = await runPrinted(c.commands.design[0].command);
    expect(designed.rows.length).toBeGreaterThan(0);
    // The explorer link, read by the page's own URL parser: every value accepted, and the same
    // numbers as the printed commands (6 significant digits).
    expect(c.commands.explore).toHaveLength(1);
    const url = new URL(c.commands.explore[0].command);
    expect(url.origin).toBe('http://127.0.0.1:4173');
    const { state, notes } = parseState(url.search);
    expect(notes).toEqual([]);
    const six = (x: number) => Number(x.toPrecision(6));
    const law = c.leaf[0].law;
    expect(state).toMatchObject({
      b: 5, depth: 10, channel: 'm', curve: 'saturating', m: analyzed.m, leaf: 'u0',
      gammaInf: six(c.fidelity.best.curve.gammaInf), m0: six(c.fidelity.best.curve.m0),
      rho: six(c.correlation.rho), leafValue: six(meanBias),
      budget: 2e6, window: 8000, lengths: c.fidelity.lengths.map((l: { m: number }) => l.m),
      k: six(law.k), beta: six(law.beta), gMax: six(law.gMax),
    });
  });
  it('a measured m = 0 stays out of the printed commands (design needs m > 0), which still run', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'calibrate-'));
    const f0 = join(dir, 'f0.csv');
    await writeFile(f0, 'm,agree,total\n0,50,100\n10,60,100\n20,70,100\n');
    const r = await synergy(['calibrate', '--fidelity', f0, '--leaf', example('leaf.csv'), '--correlation', example('correlation.csv'),
      '--budget', '1e6', '--window', '8000', '--bootstrap', '100', '--no-plots', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const c = JSON.parse(r.stdout);
    expect(c.fidelity.lengths.map((l: { m: number }) => l.m)).toEqual([0, 10, 20]);
    expect(c.commands.design[0].command).toContain(' --m 10,20 ');
    expect(c.commands.analyze[0].command).toContain(' --m 10 ');
    const analyzed = await runPrinted(c.commands.analyze[0].command);
    expect(analyzed.gamma).toBeCloseTo(fidelity(c.fidelity.best.curve, 10), 5);
    await runPrinted(c.commands.design[0].command);
    expect(c.notes.join('\n')).toMatch(/m = 0 \(no message\) is measured but left out/);
    // Only m = 0 measured: no usable length, so a placeholder instead of a command that fails.
    const only0 = join(dir, 'only0.csv');
    await writeFile(only0, 'm,agree,total\n0,50,100\n');
    const z = JSON.parse((await synergy(['calibrate', '--fidelity', only0, '--bootstrap', '10', '--no-plots', '--json'])).stdout);
    expect(z.commands.design[0].command).toContain('--m <m1,m2,…>');
    expect(z.commands.analyze[0].command).toContain('--m <m>');
  });
  it('u0 is in the leaf law\'s unit: the agents\' skill above the same chance level, and says where it came from', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'calibrate-'));
    // Open-answer agents right about 7–10% of the time (p_c = 0): skill = p, while 2p − 1 ≈ −0.85.
    const rows = ['a,b,c'];
    for (let t = 0; t < 200; t++) rows.push([t % 13 === 0 ? 1 : 0, t % 11 === 0 ? 1 : 0, t % 13 === 0 || t % 17 === 0 ? 1 : 0].join(','));
    await writeFile(join(dir, 'low.csv'), rows.join('\n') + '\n');
    const r = await synergy(['calibrate', '--correlation', join(dir, 'low.csv'), ...batsFlags, '--bootstrap', '100', '--no-plots', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const c = JSON.parse(r.stdout);
    const meanAccuracy = c.correlation.agents.reduce((s: number, a: { accuracy: number }) => s + a.accuracy, 0) / 3;
    expect(c.commands.analyze).toHaveLength(1);
    expect(c.commands.analyze[0]).toMatchObject({ group: null, u0Source: 'correlation' });
    expect(c.commands.analyze[0].u0).toBeCloseTo(meanAccuracy, 12);
    expect(c.commands.analyze[0].u0).toBeGreaterThan(0);
    expect(c.notes[0]).toMatch(/^u0 in analyze is the mean skill above chance \(p − 0\)\/\(1 − 0\) of the 3 agents/);
    expect(c.caveats).toHaveLength(1);
    // The correlation section shows the skill beside the bias when p_c ≠ 1/2.
    const human = await synergy(['calibrate', '--correlation', join(dir, 'low.csv'), '--chance', '0', '--bootstrap', '100', '--no-plots']);
    expect(human.stdout).toMatch(/skill \(p − 0\)\/\(1 − 0\)/);
    expect(human.stdout).toContain('Caveat — SPEC §G4');
  });
  // The golden SVG holds fitted numbers whose last bits come from V8's Math.exp/expm1/log; they are
  // stable on the pinned Node 20 (package.json engines) but may differ on another engine (review b3).
  it('writes byte-stable figures (golden fidelity SVG) and identical output for a seed', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'calibrate-'));
    const a = await synergy(['calibrate', ...all, '--out', join(dir, 'a')]);
    const b = await synergy(['calibrate', ...all, '--out', join(dir, 'b')]);
    expect(a.code).toBe(0);
    expect(a.stdout.replaceAll(join(dir, 'a'), '')).toBe(b.stdout.replaceAll(join(dir, 'b'), ''));
    for (const f of ['leaf.svg', 'correlation.svg', 'fidelity.svg']) {
      expect(await readFile(join(dir, 'a', f), 'utf8')).toBe(await readFile(join(dir, 'b', f), 'utf8'));
    }
    expect(await readFile(join(dir, 'a', 'fidelity.svg'), 'utf8')).toBe(await readFile(new URL('./golden/calibrate-fidelity.svg', import.meta.url), 'utf8'));
    // The correlation figure shows the data with error bars too: one labelled row per agent pair.
    const corr = await readFile(join(dir, 'a', 'correlation.svg'), 'utf8');
    expect(corr).toContain('95% bootstrap intervals');
    for (const pair of ['agent1 × agent2', 'agent4 × agent5']) expect(corr).toContain(pair);
    expect(a.stdout).toMatch(/saturating \(best\)/);
    expect(a.stdout).toMatch(/Replace <…> with your numbers/);
    expectNumbersOnly(a.stdout);
  });
  it('any subset works: fidelity alone leaves placeholders for what it cannot supply', async () => {
    const r = await synergy(['calibrate', '--fidelity', example('fidelity.csv'), '--bootstrap', '50', '--no-plots', '--json']);
    expect(r.code).toBe(0);
    const c = JSON.parse(r.stdout);
    expect(c.leaf).toBeNull();
    expect(c.correlation).toBeNull();
    expect(c.commands.design[0].command).toMatch(/--fidelity saturating:[0-9.]+,[0-9.]+ --leaf <power:k,β,gMax> --rho <ρ>$/);
    expect(c.commands.analyze[0]).toMatchObject({ group: null, u0: null, u0Source: null });
    expect(nonFinitePaths(c, JSON_NULLABLE)).toEqual([]);
  });
  it('a task-id column is skipped with --task-column; without it the error says so', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'calibrate-'));
    const file = join(dir, 'ids.csv');
    await writeFile(file, 'task,a,b\nt1,1,0\nt2,0,0\nt3,1,1\nt4,0,1\nt5,1,1\nt6,0,0\n');
    const r = await synergy(['calibrate', '--correlation', file, '--task-column', 'task', '--bootstrap', '50', '--no-plots', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).correlation.agents.map((a: { name: string }) => a.name)).toEqual(['a', 'b']);
    const bad = await synergy(['calibrate', '--correlation', file, '--no-plots']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/ids\.csv line 2, column 1 \(task\) must be .*a task-id column needs taskColumn \(--task-column <name>\); got "t1"/);
    // A bad cell in an agent's column is not a task id: no hint there.
    const yes = join(dir, 'yes.csv');
    await writeFile(yes, 'a,b\n1,0\n0,yes\n');
    const agentCell = await synergy(['calibrate', '--correlation', yes, '--no-plots']);
    expect(agentCell.code).toBe(2);
    expect(agentCell.stderr).toMatch(/yes\.csv line 3, column 2 \(b\) must be 1\/1\.0\/True \(right\), 0\/0\.0\/False \(wrong\) or empty \(not answered\); got "yes"/);
    expect(agentCell.stderr).not.toMatch(/task-column/);
    // --task-column names a column of the correctness matrix: without one it is an error, not ignored.
    const alone = await synergy(['calibrate', '--fidelity', example('fidelity.csv'), '--task-column', 'task', '--no-plots']);
    expect(alone.code).toBe(2);
    expect(alone.stderr).toMatch(/^synergy: --task-column must be given together with --correlation/);
  });
  it('the §G4 caveat says what a chance level other than 1/2 means', async () => {
    const flags = ['calibrate', '--leaf', example('leaf.csv'), '--bootstrap', '20', '--no-plots', '--json'];
    const above = JSON.parse((await synergy([...flags, '--chance', '0.6'])).stdout);
    expect(above.caveats[0]).toMatch(/^SPEC §G4: chance p_c = 0\.6 means a guessing rate above one half/);
    const below = JSON.parse((await synergy([...flags, '--chance', '0.25'])).stdout);
    expect(below.caveats[0]).toMatch(/^SPEC §G4: chance p_c = 0\.25 means more than two possible answers/);
  });
  it('warns when many bootstrap resamples were dropped (interval conditional on the rest)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'calibrate-'));
    const file = join(dir, 'five.csv');
    await writeFile(file, 'a,b,c\n1,0,1\n0,1,1\n1,1,0\n0,0,1\n1,0,0\n');
    const r = await synergy(['calibrate', '--correlation', file, '--bootstrap', '200', '--no-plots', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const c = JSON.parse(r.stdout);
    expect(c.correlation.undefinedResamples).toBeGreaterThan(0.05 * 200);
    expect(c.warnings).toEqual([{ fit: 'correlation', message: expect.stringMatching(new RegExp(`^${c.correlation.undefinedResamples} of 200 resamples \\([0-9.]+%\\) were dropped`)) }]);
    const human = await synergy(['calibrate', '--correlation', file, '--bootstrap', '200', '--no-plots']);
    expect(human.stdout.split('\n')[1]).toMatch(/^ {2}WARNING: \d+ of 200 resamples/);
    // ρ̂ < 0 here: §B4's ρ is in [0, 1], so the commands carry ρ = 0 and say why.
    expect(c.correlation.rho).toBeLessThan(0);
    expect(c.commands.analyze[0].command).toContain('--rho 0 ');
    expect(c.notes.join('\n')).toMatch(/< 0 \(anti-correlated agents\)/);
    // Enough tasks: no warning.
    const ok = JSON.parse((await synergy(['calibrate', '--correlation', example('correlation.csv'), '--bootstrap', '100', '--no-plots', '--json'])).stdout);
    expect(ok.warnings).toEqual([]);
  });
  it('leaf groups whose names map to the same file name get distinct figures', async () => {
    expect(leafFigureNames([null])).toEqual(['leaf.svg']);
    expect(leafFigureNames(['a b', 'a/b', 'A-B', 'a b!', ''])).toEqual(['leaf-a-b.svg', 'leaf-a-b-2.svg', 'leaf-A-B-3.svg', 'leaf-a-b-4.svg', 'leaf-group.svg']);
    expect(leafFigureNames(['group', '', '?'])).toEqual(['leaf-group.svg', 'leaf-group-2.svg', 'leaf-group-3.svg']);
    const dir = await mkdtemp(join(tmpdir(), 'calibrate-'));
    const file = join(dir, 'groups.csv');
    const rows = ['g,x,accuracy'];
    for (const [g, k] of [['a b', 0.02], ['a/b', 0.03]] as const) for (const x of [10, 100, 1000]) rows.push(`${g},${x},${0.5 + 0.5 * k * Math.sqrt(x)}`);
    await writeFile(file, rows.join('\n') + '\n');
    const r = await synergy(['calibrate', '--leaf', file, '--leaf-group', 'g', '--bootstrap', '20', '--out', join(dir, 'out'), '--json']);
    expect(r.code, r.stderr).toBe(0);
    const c = JSON.parse(r.stdout);
    expect(c.figures).toEqual([join(dir, 'out', 'leaf-a-b.svg'), join(dir, 'out', 'leaf-a-b-2.svg')]);
    expect(await readFile(c.figures[0], 'utf8')).toContain('a b');
    expect(await readFile(c.figures[1], 'utf8')).toContain('a/b');
  });
});

describe('synergy calibrate: bad input (exit 2, one line)', () => {
  it('a malformed CSV names the file, line and column', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'calibrate-'));
    const file = join(dir, 'matrix.csv');
    await writeFile(file, 'a,b,c\n1,0,1\n# comment\n0,1\n');
    const r = await synergy(['calibrate', '--correlation', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`synergy: ${file} line 4, column 2 must be 3 cells like the header; got "2 cells"\n`);
  });
  it('a constant column, fewer than two agents, fewer than three budget points', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'calibrate-'));
    await writeFile(join(dir, 'const.csv'), 'a,b\n1,1\n0,1\n1,1\n');
    await writeFile(join(dir, 'one.csv'), 'a\n1\n0\n');
    await writeFile(join(dir, 'two.csv'), 'x,accuracy\n1,0.6\n2,0.7\n');
    const constant = await synergy(['calibrate', '--correlation', join(dir, 'const.csv'), '--no-plots']);
    expect(constant.code).toBe(2);
    expect(constant.stderr).toMatch(/const\.csv: agent "b" \(column 2\) must be right on some tasks and wrong on others/);
    const one = await synergy(['calibrate', '--correlation', join(dir, 'one.csv'), '--no-plots']);
    expect(one.code).toBe(2);
    expect(one.stderr).toMatch(/one\.csv line 1 must be a header naming at least two agents/);
    const two = await synergy(['calibrate', '--leaf', join(dir, 'two.csv'), '--no-plots']);
    expect(two.code).toBe(2);
    expect(two.stderr).toMatch(/two\.csv must be at least three distinct budget points/);
    for (const r of [constant, one, two]) {
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stdout).toBe('');
    }
  });
  it('bootstrap options out of range name the flag, not the file', async () => {
    const cases: [string[], string][] = [
      [['--bootstrap', '2000000'], 'synergy: --bootstrap must be an integer in [0, 1000000]; got "2000000"\n'],
      [['--level', '0.9999999'], 'synergy: --level must be an interval level in [0.5, 0.999999]; got "0.9999999"\n'],
      [['--level', '0.4'], 'synergy: --level must be an interval level in [0.5, 0.999999]; got "0.4"\n'],
      [['--seed', '-1'], 'synergy: --seed must be an integer in [0, 9007199254740991]; got "-1"\n'],
    ];
    for (const [flags, stderr] of cases) {
      const r = await synergy(['calibrate', '--correlation', example('correlation.csv'), '--no-plots', ...flags]);
      expect(r.code).toBe(2);
      expect(r.stderr).toBe(stderr);
    }
  });
  it('flags for the printed commands are checked as analyze and design check them', async () => {
    const cases: [string[], RegExp][] = [
      [['--budget', '-5'], /^synergy: --budget must be a finite number > 0; got "-5"\n$/],
      [['--window', '0'], /^synergy: --window must be a finite number > 0; got "0"\n$/],
      [['--m', '0'], /^synergy: --m must be a finite number > 0; got "0"\n$/],
      [['--depth', '20000000'], /^synergy: --depth must be an integer in \[0, 10000000\]; got "20000000"\n$/],
      [['--b', '1'], /^synergy: --b must be an integer in \[2, \d+\] \(even b: random tie-break\); got 1\n$/],
    ];
    for (const [flags, stderr] of cases) {
      const r = await synergy(['calibrate', '--fidelity', example('fidelity.csv'), '--no-plots', ...flags]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(stderr);
    }
  });
  it('no input, a missing file, bad flags', async () => {
    const none = await synergy(['calibrate']);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/--leaf, --correlation or --fidelity must be at least one input CSV/);
    const missing = await synergy(['calibrate', '--leaf', '/nonexistent/leaf.csv']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/--leaf must be a readable CSV file; got "\/nonexistent\/leaf\.csv" \(ENOENT\)/);
    const chance = await synergy(['calibrate', '--fidelity', example('fidelity.csv'), '--chance', '1']);
    expect(chance.code).toBe(2);
    expect(chance.stderr).toMatch(/^synergy: --chance must be/);
    const unknown = await synergy(['calibrate', '--fidelity', example('fidelity.csv'), '--gamma', '1']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown option '--gamma'/);
  });
});
