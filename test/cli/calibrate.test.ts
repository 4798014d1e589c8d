// `synergy calibrate` (SPEC §G) end to end through the built binary: the shipped examples, values
// equal to the library's, printed command lines that run, the §G4 caveat, byte-stable figures,
// and one-line usage errors with exit status 2.
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { fitLeafLaw, leafObservationsFromCsv, parseCsv } from '../../src/index.ts';
import { synergy } from './run.ts';

const example = (name: string) => fileURLToPath(new URL(`../../examples/${name}`, import.meta.url));
const BATS = example('bats-react-browsecomp.csv');
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
    expect(r.stdout).not.toMatch(/NaN/);
    const human = await synergy(['calibrate', ...batsFlags, '--bootstrap', '300', '--no-plots']);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/gemini-2\.5-pro\s+4\s+0\.0806/);
    expect(human.stdout).toContain('Caveat — SPEC §G4');
    expect(human.stdout).toContain('--leaf power:');
  });
  it('needs --leaf-percent for percentages (a clear error naming the line and column)', async () => {
    const r = await synergy(['calibrate', '--leaf', BATS, '--leaf-x', 'budget_per_tool', '--leaf-accuracy', 'accuracy_pct', '--no-plots']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`synergy: ${BATS} line 5, column 3 (accuracy_pct) must be an accuracy in [0, 1] (use --leaf-percent for percentages); got "10.3"\n`);
  });
});

describe('synergy calibrate: all three inputs', () => {
  const all = ['--leaf', example('leaf.csv'), '--correlation', example('correlation.csv'), '--fidelity', example('fidelity.csv'), '--bootstrap', '200'];
  it('prints analyze and design command lines that run as printed', async () => {
    const r = await synergy(['calibrate', ...all, '--budget', '2e6', '--window', '8000', '--no-plots', '--json']);
    expect(r.code).toBe(0);
    const c = JSON.parse(r.stdout);
    expect(c.caveats).toEqual([]);
    expect(c.correlation.rho).toBeGreaterThan(0.15);
    expect(c.fidelity.best.family).toBe('saturating');
    const lines = [...c.commands.analyze, ...c.commands.design] as string[];
    expect(lines).toHaveLength(2);
    for (const line of lines) {
      expect(line).not.toContain('<');
      const run = await synergy([...line.split(' ').slice(1), '--json']);
      expect(run.code, `${line}\n${run.stderr}`).toBe(0);
      if (line.includes('analyze')) expect(JSON.parse(run.stdout).rho).toBeCloseTo(c.correlation.rho, 5);
    }
  });
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
    expect(a.stdout).toMatch(/saturating \(best\)/);
    expect(a.stdout).toMatch(/Replace <…> with your numbers/);
  });
  it('any subset works: fidelity alone leaves placeholders for what it cannot supply', async () => {
    const r = await synergy(['calibrate', '--fidelity', example('fidelity.csv'), '--bootstrap', '50', '--no-plots', '--json']);
    expect(r.code).toBe(0);
    const c = JSON.parse(r.stdout);
    expect(c.leaf).toBeNull();
    expect(c.correlation).toBeNull();
    expect(c.commands.design[0]).toMatch(/--fidelity saturating:[0-9.]+,[0-9.]+ --leaf <power:k,β,gMax> --rho <ρ>$/);
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
