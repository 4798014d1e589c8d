// `synergy sweep` and `merge` end to end: formats, values vs the library, SIGINT + --resume identity,
// shard/merge identity, the golden phase diagram, errors.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { accuracyFromSkill, expectedRootSkill, phaseGrid, REGIME_CODES, rootSkill, sweep, type Answers } from '../../src/index.ts';
import { BIN, synergy, synergyOnTty } from './run.ts';

const theory = ['--b', '5', '--u0', '0.05', '--depth', '30', '--axis', 'rho=0:0.5:11', '--axis', 'gamma=0.4:1:13'];

async function tmp(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'synergy-sweep-'));
}

describe('synergy sweep', () => {
  it('writes NDJSON, CSV and JSON with the same values as the library', async () => {
    const dir = await tmp();
    for (const ext of ['ndjson', 'csv', 'json']) expect((await synergy(['sweep', ...theory, '--out', join(dir, `g.${ext}`)])).code).toBe(0);
    const ndjson = (await readFile(join(dir, 'g.ndjson'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
    const json = JSON.parse(await readFile(join(dir, 'g.json'), 'utf8'));
    const csv = (await readFile(join(dir, 'g.csv'), 'utf8')).trim().split('\n');
    expect(ndjson).toEqual(json);
    expect(csv).toHaveLength(1 + 11 * 13);
    // Cell order: γ outer, ρ inner (§ sweep axis order b, γ, ρ, u0, depth).
    const gammas = [...new Set(json.map((r: { gamma: number }) => r.gamma))] as number[];
    const rhos = [...new Set(json.map((r: { rho: number }) => r.rho))] as number[];
    expect(gammas).toHaveLength(13);
    expect(rhos).toHaveLength(11);
    expect(gammas[0]).toBe(0.4);
    expect(gammas[12]).toBe(1);
    const grid = phaseGrid({ b: [5], gamma: gammas, rho: rhos, u0: [0.05], depths: [30] });
    json.forEach((row: { uL: number; alpha: number; cell: number }, i: number) => {
      expect(row.cell).toBe(i);
      expect(row.uL).toBe(grid.uL[i]);
      expect(row.alpha).toBe(grid.alpha[i]);
    });
    const header = csv[0].split(',');
    const first = csv[1].split(',');
    expect(Number(first[header.indexOf('uL')])).toBe(json[0].uL);
  });

  it('draws a byte-stable phase diagram with the critical line (golden SVG)', async () => {
    const dir = await tmp();
    const r = await synergy(['sweep', ...theory, '--out', join(dir, 'g.ndjson'), '--plot', join(dir, 'g.svg')]);
    expect(r.code).toBe(0);
    const svg = await readFile(join(dir, 'g.svg'), 'utf8');
    expect(svg).toContain('critical line α_ρ = 1');
    expect(svg).toBe(await readFile(new URL('./golden/phase-small.svg', import.meta.url), 'utf8'));
  });

  it('after a real SIGINT the file is valid, and --resume makes it identical to an uninterrupted run', async () => {
    const dir = await tmp();
    const args = ['sweep', '--b', '3', '--gamma', '0.9', '--u0', '0.2', '--depth', '6', '--axis', 'rho=0:0.5:24', '--trials', '600000', '--workers', '2', '--seed', '5'];
    expect((await synergy([...args, '--out', join(dir, 'whole.json')])).code).toBe(0);
    // Interrupt a second run once it has written its first rows.
    const partial = join(dir, 'part.json');
    const child = spawn(process.execPath, [BIN, ...args, '--out', partial], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    // Wait until the child has written the file's head (its SIGINT handler is installed right after),
    // not for a fixed time: on a loaded machine Node's start-up alone can take longer, and a SIGINT
    // before the handler exists kills the process (exit code null) — a flake, not a bug.
    const started = Date.now();
    while (!(await readFile(partial, 'utf8').catch(() => '')).startsWith('[')) {
      if (Date.now() - started > 30_000) throw new Error(`the sweep did not start within 30 s: ${stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    // The run has ~2 s of simulation left here (24 cells × 600,000 trials); a short pause lets some
    // cells finish, so the interruption is mid-run even on a much faster machine.
    await new Promise((resolve) => setTimeout(resolve, 300));
    child.kill('SIGINT');
    const code = await new Promise((resolve) => child.on('close', resolve));
    expect(code).toBe(130);
    expect(stderr).toMatch(/interrupted after \d+ of 24 cells/);
    const cut = JSON.parse(await readFile(partial, 'utf8')); // valid JSON as left
    expect(cut.length).toBeLessThan(24);
    const resumed = await synergy([...args, '--out', partial, '--resume']);
    expect(resumed.code).toBe(0);
    expect(await readFile(partial, 'utf8')).toBe(await readFile(join(dir, 'whole.json'), 'utf8'));
  });

  it('shards merged (in any order) equal the single-process file', async () => {
    const dir = await tmp();
    const args = ['sweep', '--b', '5', '--u0', '0.05', '--depth', '10', '--axis', 'rho=0:0.5:7', '--axis', 'gamma=0.5,0.7,0.9', '--trials', '3000', '--mode', 'levels'];
    expect((await synergy([...args, '--out', join(dir, 'one.csv')])).code).toBe(0);
    for (const i of [1, 2, 3]) expect((await synergy([...args, '--shard', `${i}/3`, '--out', join(dir, `s${i}.csv`)])).code).toBe(0);
    const m = await synergy(['merge', join(dir, 's2.csv'), join(dir, 's3.csv'), join(dir, 's1.csv'), '--out', join(dir, 'merged.csv')]);
    expect(m.code).toBe(0);
    expect(await readFile(join(dir, 'merged.csv'), 'utf8')).toBe(await readFile(join(dir, 'one.csv'), 'utf8'));
    const missing = await synergy(['merge', join(dir, 's1.csv'), join(dir, 's3.csv'), '--out', join(dir, 'bad.csv')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/covering every cell once/);
    const lastMissing = await synergy(['merge', join(dir, 's1.csv'), join(dir, 's2.csv'), '--out', join(dir, 'bad2.csv')]);
    expect(lastMissing.code).toBe(2);
    expect(lastMissing.stderr).toMatch(/cells 14…20 are missing/);
  });

  it('rejects malformed ranges, out-of-range values and unknown extensions with exit 2, naming the flag', async () => {
    const cases: [string[], RegExp][] = [
      [['--axis', 'rho=0:0.5'], /^synergy: --axis must be name=start:stop:count/],
      [['--axis', 'rho=0:0.5:0'], /^synergy: --axis rho must be a range start:stop:count with an integer count ≥ 1/],
      [['--axis', 'rho=0:1.5:3'], /^synergy: --axis rho\[2\] must be a number in \[0, 1\]; got 1\.5/],
      [['--rho', '-1'], /^synergy: --rho must be a number in \[0, 1\]/],
    ];
    for (const [extra, message] of cases) {
      const r = await synergy(['sweep', '--b', '5', '--gamma', '0.6', '--u0', '0.05', '--depth', '3', ...extra, '--out', join(tmpdir(), 'never.csv')]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
    const ext = await synergy(['sweep', ...theory, '--out', 'x.txt']);
    expect(ext.stderr).toMatch(/^synergy: --out must be a file ending in \.ndjson, \.csv or \.json/);
  });
});

describe('progress on stderr', () => {
  it('shows cells, rate and ETA only when stderr is a terminal; stdout stays clean', async () => {
    const dir = await tmp();
    const args = ['sweep', '--b', '3', '--gamma', '0.9', '--u0', '0.2', '--depth', '5', '--axis', 'rho=0:0.5:6', '--trials', '20000', '--workers', '1'];
    const piped = await synergy([...args, '--out', join(dir, 'p.csv')]);
    expect(piped.code).toBe(0);
    // Piped, stderr holds only the plan line (issue 15), no progress.
    expect(piped.stderr).toMatch(/^plan: 6 cells, [^\n]* on 1 worker; estimated < 1 s \(mode full\)\n$/);
    expect(piped.stdout).toBe('');
    const tty = await synergyOnTty([...args, '--out', join(dir, 't.csv')]);
    expect(tty).toMatch(/sweep \[#+\] 6\/6 cells, [\d.]+k? cells\/s, ETA \d+ s/);
    expect(await readFile(join(dir, 't.csv'), 'utf8')).toBe(await readFile(join(dir, 'p.csv'), 'utf8'));
  });
});

describe('synergy sweep over the extended model (§H, §I1, §B9)', () => {
  it('--axis answers (open included) and --aggregator give named skill/accuracy columns equal to the library', async () => {
    const dir = await tmp();
    const args = ['sweep', '--axis', 'answers=3,10,open', '--aggregator', 'judge:0.3', '--b', '3', '--gamma', '0.85', '--rho', '0', '--axis', 'u0=0.1,0.3', '--depth', '6'];
    expect((await synergy([...args, '--out', join(dir, 'k.ndjson')])).code).toBe(0);
    expect((await synergy([...args, '--out', join(dir, 'k.csv')])).code).toBe(0);
    const rows = (await readFile(join(dir, 'k.ndjson'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
    const lib = await sweep({ answers: [3, 10, 'open'], aggregator: { judge: 0.3 }, b: 3, gamma: 0.85, rho: 0, u0: [0.1, 0.3], depth: 6 }).collect();
    expect(rows.map((r) => r.answers)).toEqual([3, 3, 10, 10, 'open', 'open']);
    rows.forEach((r, i) => {
      expect(r.skillL).toBe(lib[i].theory!.uL);
      expect(r.accuracyL).toBe(accuracyFromSkill(r.skillL, r.answers));
      expect(r.regime).toBe(REGIME_CODES[lib[i].theory!.regime]);
    });
    const csv = (await readFile(join(dir, 'k.csv'), 'utf8')).trim().split('\n');
    expect(csv[0]).toBe('cell,answers,b,gamma,rho,rhoTask,dispersion,u0,depth,alpha,s,regime,threshold,uStar,trend,mixingDepth,mixingDepthSmallSignal,skillL,accuracyL,clipped');
    expect(csv[5].split(',')[1]).toBe('open');
  });

  it('theory with rho_task and dispersion for K ≠ 2: skillL is rootSkill / expectedRootSkill, accuracyL its accuracy', async () => {
    const r = await synergy(['sweep', '--axis', 'answers=3,open', '--b', '3', '--gamma', '0.9', '--rho', '0.1', '--axis', 'rho_task=0,0.4', '--axis', 'dispersion=0,0.2', '--u0', '0.3', '--depth', '5', '--out', '-', '--format', 'csv']);
    expect(r.code).toBe(0);
    const [head, ...lines] = r.stdout.trim().split('\n');
    const col = head.split(',');
    const at = (line: string, name: string) => line.split(',')[col.indexOf(name)];
    expect(lines).toHaveLength(8);
    const level = { b: 3, gamma: 0.9, rho: 0.1 };
    for (const line of lines) {
      const k: Answers = at(line, 'answers') === 'open' ? 'open' : Number(at(line, 'answers'));
      const [rhoTask, dispersion] = [Number(at(line, 'rhoTask')), Number(at(line, 'dispersion'))];
      const mean = accuracyFromSkill(0.3, k);
      const skill = dispersion > 0
        ? expectedRootSkill(level, 5, { answers: k, rhoTask, difficulty: { mean, dispersion } })
        : rootSkill(level, 0.3, 5, { answers: k, rhoTask });
      if (dispersion > 0 || rhoTask > 0) {
        expect(Number(at(line, 'skillL'))).toBe(skill);
        expect(at(line, 'trend')).toBe('');
      } else {
        expect(Math.abs(Number(at(line, 'skillL')) - skill)).toBeLessThan(1e-12);
      }
      expect(Number(at(line, 'accuracyL'))).toBe(accuracyFromSkill(Number(at(line, 'skillL')), k));
    }
  });

  it('shows a bistable level with its threshold s† and the §B9 falling trend', async () => {
    const k = await synergy(['sweep', '--answers', '10', '--b', '3', '--gamma', '0.85', '--rho', '0', '--axis', 'u0=0.1,0.3,0.99', '--depth', '6', '--out', '-', '--format', 'ndjson']);
    const rows = k.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(rows.map((r) => r.regime)).toEqual(['bistable', 'bistable', 'bistable']);
    expect(rows[0].threshold).toBeGreaterThan(0.1);
    expect(rows[0].threshold).toBeLessThan(0.3);
    expect(rows.map((r) => r.trend)).toEqual([null, 'growing', 'falling']);
    const binary = await synergy(['sweep', '--rho-task', '0', '--b', '3', '--gamma', '0.8', '--rho', '0.2', '--axis', 'u0=0.1,0.95', '--depth', '3', '--out', '-', '--format', 'csv']);
    const lines = binary.stdout.trim().split('\n');
    const trend = lines[0].split(',').indexOf('trend');
    expect(lines.slice(1).map((l) => l.split(',')[trend])).toEqual(['growing', 'falling']);
    // binary rows carry the trend beside clipped too (§B9: say so wherever the predictor is shown)
    const plain = await synergy(['sweep', '--b', '3', '--gamma', '0.8', '--rho', '0.2', '--axis', 'u0=0.1,0.95,-0.95', '--depth', '3', '--out', '-', '--format', 'csv']);
    const plainLines = plain.stdout.trim().split('\n');
    expect(plainLines[0]).toBe('cell,b,gamma,rho,u0,depth,alpha,s,uStar,mixingDepth,mixingDepthSmallSignal,uL,clipped,trend');
    expect(plainLines.slice(1).map((l) => l.split(',').at(-1))).toEqual(['growing', 'falling', 'falling']);
  });

  it('extended Monte Carlo shards merge to the single-process file (words in CSV rows read back)', async () => {
    const dir = await tmp();
    const args = ['sweep', '--axis', 'answers=2,4,open', '--b', '3', '--gamma', '0.9', '--axis', 'rho_task=0,0.5', '--rho', '0.1', '--u0', '0.2', '--depth', '3', '--trials', '2000'];
    // ρ_task > 0 with K ≠ 2 is refused in Monte Carlo (the plurality simulator does not draw the task-level event)
    const refused = await synergy([...args, '--out', join(dir, 'no.csv')]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/^synergy: --axis rho_task must be 0 in a Monte Carlo sweep with answers ≠ 2.*plurality simulator/);
    expect(refused.stderr.trim().split('\n')).toHaveLength(1);
    const ok = ['sweep', '--axis', 'answers=2,4,open', '--b', '3', '--gamma', '0.9', '--rho', '0.1', '--axis', 'u0=0.2,0.5', '--depth', '3', '--trials', '2000'];
    expect((await synergy([...ok, '--out', join(dir, 'one.csv')])).code).toBe(0);
    for (const i of [1, 2]) expect((await synergy([...ok, '--shard', `${i}/2`, '--out', join(dir, `s${i}.csv`)])).code).toBe(0);
    expect((await synergy(['merge', join(dir, 's2.csv'), join(dir, 's1.csv'), '--out', join(dir, 'merged.csv')])).code).toBe(0);
    const one = await readFile(join(dir, 'one.csv'), 'utf8');
    expect(await readFile(join(dir, 'merged.csv'), 'utf8')).toBe(one);
    expect(one.split('\n')[0]).toMatch(/,trials,correct,accuracy,accuracyStdError,skill,skillStdError$/);
    expect(one).toMatch(/\n\d+,open,/);
  });

  it('writes extended rows to Parquet with answers, regime and trend as STRING columns', async () => {
    const dir = await tmp();
    const out = join(dir, 'k.parquet');
    expect((await synergy(['sweep', '--axis', 'answers=3,open', '--b', '3', '--gamma', '0.9', '--rho', '0', '--u0', '0.2', '--depth', '3', '--out', out])).code).toBe(0);
    const { asyncBufferFromFile, parquetReadObjects } = await import('hyparquet');
    const rows = await parquetReadObjects({ file: await asyncBufferFromFile(out), columns: ['answers', 'regime', 'trend'] });
    expect(rows).toEqual([{ answers: '3', regime: 'amplifying', trend: 'growing' }, { answers: 'open', regime: 'bistable', trend: 'growing' }]);
  });

  it('refuses bad or unsupported extended values with exit 2 and one line naming the flag', async () => {
    const cases: [string[], RegExp][] = [
      [['--answers', '1'], /^synergy: --answers must be an integer K in \[2, 1000000\] or open/],
      [['--axis', 'answers=2,x'], /^synergy: --axis answers must be a list of integers K ≥ 2 and open/],
      [['--distractor', 'dominant:1.5'], /^synergy: --distractor must be symmetric or dominant:δ/],
      [['--aggregator', 'judge:2'], /^synergy: --aggregator must be plurality or judge:v/],
      [['--rho-task', '1.5'], /^synergy: --rho-task must be a number in \[0, 1\]/],
      [['--axis', 'rho_task=0,2'], /^synergy: --axis rho_task\[1\] must be a number in \[0, 1\]/],
      [['--answers', '3', '--rho-task', '0.2', '--trials', '100'], /^synergy: --rho-task must be 0 in a Monte Carlo sweep with answers ≠ 2/],
      [['--aggregator', 'judge:0.5', '--dispersion', '0.2', '--trials', '100'], /^synergy: --dispersion must be 0 in a Monte Carlo sweep with answers ≠ 2/],
      [['--answers', '3', '--distractor', 'dominant:0.5'], /^synergy: --distractor must be 'symmetric' with compute 'theory' or 'both'.*got "?dominant:0\.5/],
      [['--answers', '3', '--trials', '100', '--mode', 'levels'], /^synergy: --mode must be 'full' in a sweep with answers/],
      [['--answers', '3', '--trials', '100', '--variant', 'channelAfterCopy'], /^synergy: --variant must be 'standard' in a sweep with answers/],
      [['--axis', 'answers=2,3', '--p0', '0.5'], /^synergy: --p0 must be absent with an answers axis/],
    ];
    for (const [extra, message] of cases) {
      const u0 = extra.includes('--p0') ? [] : ['--u0', '0.2'];
      const r = await synergy(['sweep', '--b', '3', '--gamma', '0.9', '--rho', '0', ...u0, '--depth', '3', ...extra, '--out', join(tmpdir(), 'never.csv')]);
      expect(r.code, extra.join(' ')).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
  });
});
