// Issue 15, guard rails: simulate and sweep say what they will do and how long it should take, and
// refuse runs over the documented limits unless --yes; simulate --workers gives identical counts.
import { mkdtemp, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { simulateTree, sweep } from '../../src/index.ts';
import { leafVotesPerTrial } from '../../src/sweep/montecarlo.ts';
import { resolveSweepSpec, cellParameters, type SweepSpec } from '../../src/sweep/spec.ts';
import { columns, formatRow } from '../../src/cli/sweep.ts';
import { crossingSentence } from '../../src/cli/reproduce.ts';
import { readFile } from 'node:fs/promises';
import { alpha, criticalRho } from '../../src/index.ts';
import {
  bytesPerRow, checkPlan, estimateSeconds, MAX_UNCONFIRMED_OUTPUT_BYTES, MAX_UNCONFIRMED_SECONDS, simulatePlan, sweepPlan,
} from '../../src/cli/workPlan.ts';
import { spawn } from 'node:child_process';
import { BIN, synergy, synergyOnTty } from './run.ts';

const design = ['--b', '5', '--gamma', '0.9', '--rho', '0.1', '--u0', '0.1'];

describe('the work plan (pure functions, fake rates)', () => {
  it('simulate: trials × leafVotesPerTrial, one §D4 chunk per 65,536 trials, --plot adds depths 1 … depth', () => {
    const plan = simulatePlan({ mode: 'full', b: 5, depth: 4, trials: 200_000, plot: false, workers: 1 });
    expect(plan.leafVotes).toBe(200_000 * 625);
    expect(plan.chunks).toBe(4);
    const withPlot = simulatePlan({ mode: 'levels', b: 5, depth: 3, trials: 10, plot: true, workers: 1 });
    expect(withPlot.leafVotes).toBe(10 * (5 + 10 + 15 + 15));
    // The plot's depths run in the calling thread: more workers shorten only the main simulation.
    const fake = { full: 1, levels: 1, theoryCells: 1 };
    expect(estimateSeconds({ ...withPlot, workers: 3 }, fake)).toBe(10 * 15 / 3 + 10 * (5 + 10 + 15));
    // A fake rate: 1000 votes/s on 2 workers.
    expect(estimateSeconds({ ...plan, workers: 2 }, { full: 1000, levels: 1, theoryCells: 1 })).toBe((200_000 * 625) / 2000);
  });

  it('sweep: the factorised leaf-vote total equals the cell-by-cell sum, and scales to a shard', () => {
    const spec: SweepSpec = { b: [3, 5], gamma: [0.6, 0.9], rho: [0, 0.2, 0.4], u0: [0.1], depth: [2, 3], trials: [100, 70_000], compute: 'both' };
    const r = resolveSweepSpec(spec);
    let bySum = 0;
    for (let c = 0; c < r.cells; c++) {
      const p = cellParameters(r, c);
      bySum += p.trials! * leafVotesPerTrial('full', p.b, p.depth);
    }
    const plan = sweepPlan(r, { start: 0, end: r.cells }, columns(spec), 'csv', 2);
    expect(plan.leafVotes).toBe(bySum);
    expect(plan.theoryCells).toBe(r.cells);
    expect(plan.chunks).toBe((r.cells / 2) * (1 + 2));
    expect(sweepPlan(r, { start: 0, end: r.cells / 2 }, columns(spec), 'csv', 2).leafVotes).toBe(bySum / 2);
    // Fake rates: 100 cells/s of theory plus 10^6 votes/s, on 2 workers.
    expect(estimateSeconds(plan, { full: 1e6, levels: 1, theoryCells: 100 })).toBeCloseTo((bySum / 1e6 + r.cells / 100) / 2, 9);
  });

  it('bytesPerRow bounds real rows of every format', async () => {
    const spec: SweepSpec = { b: [5], gamma: [0.123456789], rho: [0.1, 0.3], u0: [-0.0123456789], depth: [7], trials: [1000], compute: 'both', mode: 'levels' };
    const cols = columns(spec);
    const cells = await sweep(spec, { seed: 1 }).collect();
    for (const format of ['csv', 'ndjson', 'json'] as const) {
      for (const cell of cells) {
        const flat = { ...cell, ...cell.theory, ...cell.montecarlo } as unknown as Record<string, number>;
        const row = formatRow(format, cols, cols.map((c) => flat[c]));
        expect(row.length + 2).toBeLessThanOrEqual(bytesPerRow(cols, format));
      }
    }
  });

  it('refuses over the limits unless confirmed, naming --yes and the limit', () => {
    const plan = simulatePlan({ mode: 'full', b: 5, depth: 4, trials: 1000, plot: false, workers: 1 });
    expect(() => checkPlan(plan, MAX_UNCONFIRMED_SECONDS, false)).not.toThrow();
    expect(() => checkPlan(plan, MAX_UNCONFIRMED_SECONDS + 1, false)).toThrow(/^--yes must be given for a run estimated over 10 minutes; this one is estimated at 10 min/);
    expect(() => checkPlan(plan, 1e9, true)).not.toThrow();
    const big = { ...plan, outputBytes: MAX_UNCONFIRMED_OUTPUT_BYTES + 1 };
    expect(() => checkPlan(big, 1, false)).toThrow(/^--yes must be given for an output estimated over 10\.0 GB/);
    expect(() => checkPlan(big, 1, true)).not.toThrow();
  });
});

describe('the CLI guard rails', () => {
  it('simulate prints its plan on stderr, stdout stays the result', async () => {
    const r = await synergy(['simulate', ...design, '--depth', '3', '--trials', '70000', '--json']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^plan: 70000 trials × 5\^3 leaf votes, 8\.8e6 leaf votes in 2 chunks on 1 worker; estimated < 1 s \(mode full\)\n$/);
    expect(JSON.parse(r.stdout).trials).toBe(70_000);
  });

  it('simulate --trials 1e12 is refused at once with exit 2 and no output', async () => {
    const started = Date.now();
    const r = await synergy(['simulate', ...design, '--depth', '10', '--trials', '1e12']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^plan: 1000000000000 trials × 5\^10 leaf votes.*\nsynergy: --yes must be given for a run estimated over 10 minutes; this one is estimated at [\d.]+ days/);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('a sweep of 10^11 cells is refused (time and output size) and writes nothing', async () => {
    const out = join(await mkdtemp(join(tmpdir(), 'guard-')), 'huge.csv');
    const r = await synergy(['sweep', '--axis', 'rho=0:0.5:1000000', '--axis', 'gamma=0:1:100000', '--b', '5', '--u0', '0.1', '--depth', '10', '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^plan: 1\.0e11 cells, 1\.0e11 theory cells, ~\d+\.\d TB of output on \d+ workers?; estimated [\d.]+ days\nsynergy: --yes must be given/);
    const { existsSync } = await import('node:fs');
    expect(existsSync(out)).toBe(false);
  });

  it('a grid short enough to run but with an output over 10 GB is refused for its size', async () => {
    // 10^8 theory cells: about 250 s at the typical 10^5 cells/s on 4 workers, but ~27 GB of CSV.
    const out = join(await mkdtemp(join(tmpdir(), 'guard-')), 'big.csv');
    const r = await synergy(['sweep', '--axis', 'rho=0:0.5:10000', '--axis', 'gamma=0:1:10000', '--b', '5', '--u0', '0.1', '--depth', '10', '--workers', '4', '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/estimated \d+ min\nsynergy: --yes must be given for an output estimated over 10\.0 GB; this one is estimated at \d+\.\d GB/);
  });

  it('simulate --workers 1 and 2 give the counts of simulateTree (seed, cell = depth), full and levels', async () => {
    for (const mode of ['full', 'levels']) {
      const args = ['simulate', ...design, '--depth', '3', '--trials', '300001', '--mode', mode, '--seed', '7', '--json'];
      const one = JSON.parse((await synergy([...args, '--workers', '1'])).stdout);
      const two = JSON.parse((await synergy([...args, '--workers', '2'])).stdout);
      const lib = simulateTree({ tree: { b: 5, gamma: 0.9, rho: 0.1 }, u0: 0.1, depth: 3, mode: mode as 'full' | 'levels', trials: 300_001, seed: 7, cell: 3 });
      expect(two.correct).toBe(one.correct);
      expect(one.correct).toBe(lib.correct);
      expect(two.stdError).toBe(lib.stdError);
    }
  });

  it('simulate shows a progress line on a terminal only', async () => {
    const args = ['simulate', ...design, '--depth', '3', '--trials', '200000', '--workers', '2'];
    const piped = await synergy(args);
    expect(piped.stderr).not.toMatch(/\[#/);
    const tty = await synergyOnTty(args);
    expect(tty).toMatch(/simulate \[#+\] 4\/4 chunks, [\d.]+k? chunks\/s, ETA \d+ s/);
    expect(tty).toContain(piped.stdout.split('\n')[1]);
  });
});

describe('one spelling everywhere', () => {
  it('every command takes --json', async () => {
    const help = (await synergy(['--help'])).stdout;
    const commands = [...help.matchAll(/^  (\w+) \[options\]/gm)].map((m) => m[1]);
    expect(commands).toEqual(expect.arrayContaining(['analyze', 'simulate', 'design', 'reproduce', 'calibrate', 'sweep', 'merge']));
    for (const command of commands) expect((await synergy([command, '--help'])).stdout).toMatch(/--json\b/);
  });

  it('design --gamma γ is design --fidelity constant:γ; both at once is refused', async () => {
    const base = ['design', '--budget', '100000', '--window', '8000', '--m', '50,100', '--rho', '0.1', '--json'];
    const gamma = await synergy([...base, '--gamma', '0.9']);
    const curve = await synergy([...base, '--fidelity', 'constant:0.9']);
    expect(gamma.code).toBe(0);
    expect(gamma.stdout).toBe(curve.stdout);
    const both = await synergy([...base, '--gamma', '0.9', '--fidelity', 'constant:0.9']);
    expect(both.code).toBe(2);
    expect(both.stderr).toBe('synergy: --gamma must be absent when --fidelity is given (--gamma γ means --fidelity constant:γ); got "0.9"\n');
  });

  it('merge --json prints what it wrote', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'guard-merge-'));
    const sweepArgs = ['sweep', '--b', '5', '--gamma', '0.9', '--u0', '0.1', '--depth', '3', '--axis', 'rho=0:0.5:5', '--workers', '1'];
    for (const i of [1, 2]) expect((await synergy([...sweepArgs, '--shard', `${i}/2`, '--out', join(dir, `s${i}.csv`)])).code).toBe(0);
    const r = await synergy(['merge', join(dir, 's1.csv'), join(dir, 's2.csv'), '--out', join(dir, 'all.csv'), '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ out: join(dir, 'all.csv'), cells: 5, shards: 2 });
  });
});

describe('--json through npm', () => {
  // npm run prints its "> pkg script" banner on stdout (npm 11) unless --silent; npx (npm exec) runs
  // the package's own bin without a banner. Both documented forms must pipe into JSON.parse.
  const root = new URL('../..', import.meta.url);
  const run = (command: string, args: string[]) => new Promise<{ code: number | null; stdout: string }>((resolve, reject) => {
    const child = spawn(command, args, { cwd: root, stdio: ['ignore', 'pipe', 'ignore'] });
    let stdout = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout }));
  });
  const analyze = ['analyze', '--b', '5', '--gamma', '0.9', '--rho', '0.1', '--u0', '0.1', '--depth', '3', '--json'];

  it('a reader that closes the pipe early (| head) ends the output quietly (no stack; exit 0 or 141, the SIGPIPE status)', async () => {
    // `true` exits at once, so the CLI writes into a closed pipe (EPIPE).
    const command = `set -o pipefail; '${process.execPath}' '${BIN}' ${analyze.join(' ')} | true`;
    const r = await new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
      const child = spawn('bash', ['-c', command], { stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (d) => (stderr += d));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stderr }));
    });
    expect(r.stderr).toBe('');
    expect([0, 141]).toContain(r.code);
  });

  it('npx synergy … --json and npm run -s synergy -- … --json print only the JSON', async () => {
    // npx runs the bin file itself: the build must leave it executable (tsc writes 0644).
    expect((await stat(BIN)).mode & 0o111).not.toBe(0);
    const direct = JSON.parse((await synergy(analyze)).stdout);
    for (const [command, args] of [['npx', ['--no-install', 'synergy', ...analyze]], ['npm', ['run', '-s', 'synergy', '--', ...analyze]]] as const) {
      const r = await run(command, [...args]);
      expect(r.code).toBe(0);
      expect(JSON.parse(r.stdout)).toEqual(direct);
    }
  }, 60_000);
});

describe('the reproduce report computes its crossing sentence', () => {
  const parameters = { b: 5, gamma: 0.6, depths: [10, 30], rho: { start: 0, stop: 0.5, count: 51 } };
  const rc = criticalRho(5, 0.6);

  it('states the side of ρ_c, the distance in grid steps and α_ρ there, from the numbers given', () => {
    const below = crossingSentence({ parameters, criticalRhoTheory: rc, crossingExact: rc - 0.025, crossingSimulated: rc - 0.015 });
    expect(below).toContain(`The exact crossing, ρ = ${(rc - 0.025).toFixed(4)}, is 0.0250 (2.50 grid steps) below ρ_c = ${rc.toFixed(4)}`);
    expect(below).toContain(`α_ρ = ${alpha({ b: 5, gamma: 0.6, rho: rc - 0.025 }).toFixed(4)} > 1`);
    expect(below).toContain('is 0.0100 (1.00 grid step) above the exact one');
    const above = crossingSentence({ parameters, criticalRhoTheory: rc, crossingExact: rc + 0.01, crossingSimulated: null });
    expect(above).toMatch(/is 0\.0100 \(1\.00 grid step\) above ρ_c/);
    expect(above).toContain('The simulated u_30 never falls below u_0 on this grid.');
    expect(crossingSentence({ parameters, criticalRhoTheory: rc, crossingExact: null, crossingSimulated: null })).toMatch(/^On this grid the exact u_30 never falls below u_0/);
  });

  it('the written report carries the computed sentence, not a fixed one', async () => {
    const out = await mkdtemp(join(tmpdir(), 'guard-reproduce-'));
    const r = await synergy(['reproduce', '--trials', '2000', '--axis', 'rho=0:0.5:11', '--workers', '1', '--out', out, '--json']);
    expect(r.code).toBe(0);
    const s = JSON.parse(r.stdout);
    const report = await readFile(join(out, 'report.md'), 'utf8');
    expect(report).not.toContain('a little below');
    expect(report).toContain(crossingSentence(s));
    // On this coarse grid (step 0.05) linear interpolation puts the exact crossing above ρ_c: the old
    // fixed sentence ("a little below ρ_c") would have been false here.
    expect(report).toContain(s.crossingExact > s.criticalRhoTheory ? 'above ρ_c' : 'below ρ_c');
  }, 60_000);
});
