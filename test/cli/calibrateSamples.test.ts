// `synergy calibrate --samples` (SPEC §I3, §I4) end to end through the built binary: the shipped
// examples, --json equal to the library, the figures, and one-line usage errors (exit 2) that name
// the flag, or the file's line and column.
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { fitSamples, pairwiseCorrelation, parseCsv, samplesMatrixFromCsv, votingCurve } from '../../src/index.ts';
import { synergy } from './run.ts';

const example = (name: string) => fileURLToPath(new URL(`../../examples/${name}`, import.meta.url));

describe('synergy calibrate --samples', () => {
  it('binary example (pandas layout): --json equals the library; figures written; the text names the choice and the best N', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'samples-'));
    const file = example('samples.csv');
    const args = ['calibrate', '--samples', file, '--bootstrap', '100', '--max-n', '9', '--out', dir];
    const r = await synergy([...args, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const c = JSON.parse(r.stdout);
    const matrix = samplesMatrixFromCsv(parseCsv(await readFile(file, 'utf8'), file));
    const fit = fitSamples(matrix.tasks, { level: 0.95 });
    expect(c.fit.best).toBe(fit.best);
    expect(c.fit.models.map((m: { parameters: unknown }) => m.parameters)).toEqual(fit.models.map((m) => m.parameters));
    expect(c.pairwise).toEqual(pairwiseCorrelation(matrix.tasks, { bootstrap: 100, level: 0.95, seed: 1 }));
    expect(c.curve).toEqual(JSON.parse(JSON.stringify(votingCurve(matrix.tasks, fit, { maxN: 9, bootstrap: 100, level: 0.95, seed: 1 }))));
    expect(c.tasks).toBe(500);
    expect(c.samples).toEqual(['s1', 's2', 's3', 's4', 's5']);
    expect(c.pairwiseNote).toMatch(/^Pairwise ρ̂ = 0\.\d+ counts every reason/);
    expect(c.figures).toEqual([join(dir, 'samples-counts.svg'), join(dir, 'samples-voting.svg')]);
    expect(await readFile(c.figures[0], 'utf8')).toContain('Right answers per task');
    expect(await readFile(c.figures[1], 'utf8')).toContain('Voting curve');
    const text = await synergy([...args, '--no-plots']);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).not.toMatch(/NaN|Infinity|undefined/);
    expect(text.stdout).toContain(`${fit.best} (best)`);
    expect(text.stdout).toContain(`Best N = ${c.curve.best.n}`);
    expect(text.stdout).toContain('95% profile-likelihood intervals');
    // The printed flags carry the fitted numbers and analyze accepts them.
    const note = c.notes.find((n: string) => n.startsWith('In analyze and design: '));
    const flags = /^In analyze and design: (.*?) \(/.exec(note)![1].split(' ');
    const best = c.fit.models.find((m: { model: string }) => m.model === c.fit.best);
    if (best.free.includes('rho')) expect(Number(flags[flags.indexOf('--rho-task') + 1])).toBeCloseTo(best.parameters.rho, 5);
    if (best.free.includes('dispersion')) expect(Number(flags[flags.indexOf('--dispersion') + 1])).toBeCloseTo(best.parameters.dispersion, 5);
    const analyze = await synergy(['analyze', '--b', '5', '--gamma', '0.9', '--rho', '0', '--u0', '0.3', '--depth', '4', ...flags]);
    expect(analyze.code, analyze.stderr).toBe(0);
  });

  it('open answers: plurality with the measured agreement among wrong answers', async () => {
    const r = await synergy(['calibrate', '--samples', example('samples-open.csv'), '--task-column', 'task', '--answer-column', 'answer',
      '--bootstrap', '50', '--max-n', '12', '--no-plots', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const c = JSON.parse(r.stdout);
    expect(c.open).toBe(true);
    expect(c.curve.rule).toBe('plurality');
    expect(c.curve.wrongAgreement.value).toBeGreaterThan(0.3);
    expect(c.curve.wrongShare).toBeCloseTo(Math.sqrt(c.curve.wrongAgreement.value), 12);
    expect(c.curve.turnsDown).toBe(true);
  });

  it('bad input exits 2 with one line naming the flag, or the line and column', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'samples-bad-'));
    const short = join(dir, 'short.csv');
    await writeFile(short, 'a,b,c,d\n1,0,1,1\n1,,,0\n');
    const badCell = join(dir, 'cell.csv');
    await writeFile(badCell, 'a,b,c\n1,0,1\n1,2,0\n');
    const cases: [string[], RegExp][] = [
      [['--samples', join(dir, 'missing.csv')], /^synergy: --samples must be a readable CSV file; got ".*missing\.csv" \(ENOENT\)\n$/],
      [['--samples', short], /^synergy: .*short\.csv line 3 must be a task with at least 3 answers .*--skip-short.*; got "2 answers"\n$/],
      [['--samples', badCell], /^synergy: .*cell\.csv line 3, column 2 \(b\) must be 1\/1\.0\/True .*; got "2"\n$/],
      [['--samples', short, '--answer-column', 'right'], /^synergy: .*short\.csv line 1 must be a column named "right"/],
      [['--samples', short, '--skip-short', '--max-n', '0'], /^synergy: --max-n must be an integer in \[1, 201\]; got "0"\n$/],
      [['--answer-column', 'answer', '--correlation', short], /^synergy: --answer-column must be given together with --samples/],
      [['--samples', short, '--leaf', short], /^synergy: --samples must be given without --leaf/],
    ];
    for (const [args, pattern] of cases) {
      const r = await synergy(['calibrate', ...args, '--no-plots']);
      expect(r.code, `${args.join(' ')}\n${r.stderr}`).toBe(2);
      expect(r.stderr).toMatch(pattern);
      expect(r.stdout).toBe('');
    }
  });
});
