// Array jobs from the CLI (issue 14): `--shard auto` under each engine's environment merges to the
// one-process bytes; SIGTERM (time limit, eviction, scancel) keeps finished rows, exits 143, and
// --resume finishes the shard byte-identically.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, type Run, spawnRun } from './run.ts';

/** The CLI with no array-job variables but those given. */
function run(args: string[], env: Record<string, string> = {}): Promise<Run> {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(SLURM_|JOB_COMPLETION_INDEX|AWS_BATCH_|SYNERGY_)/.test(k)));
  return spawnRun(process.execPath, [BIN, ...args], { env: { ...clean, ...env } });
}

const sweepArgs = ['sweep', '--b', '5', '--u0', '0.05', '--depth', '10', '--axis', 'rho=0:0.5:7', '--axis', 'gamma=0.5,0.7,0.9', '--trials', '3000', '--mode', 'levels', '--workers', '1'];

describe('synergy sweep --shard auto', () => {
  it('reads the shard from Slurm, Kubernetes and AWS Batch environments; merged shards equal one process', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'synergy-cluster-'));
    expect((await run([...sweepArgs, '--out', join(dir, 'one.csv')])).code).toBe(0);
    const whole = await readFile(join(dir, 'one.csv'), 'utf8');
    const engines: [string, (i: number) => Record<string, string>, string[]][] = [
      ['slurm', (i) => ({ SLURM_ARRAY_TASK_ID: String(i + 1), SLURM_ARRAY_TASK_MIN: '1', SLURM_ARRAY_TASK_MAX: '3', SLURM_ARRAY_TASK_COUNT: '3' }), []],
      ['kubernetes', (i) => ({ JOB_COMPLETION_INDEX: String(i) }), ['--shard-count', '3']],
      ['batch', (i) => ({ AWS_BATCH_JOB_ARRAY_INDEX: String(i), SYNERGY_SHARD_COUNT: '3' }), []],
    ];
    for (const [engine, env, extra] of engines) {
      for (const i of [2, 0, 1]) {
        const r = await run([...sweepArgs, '--shard', 'auto', ...extra, '--out', join(dir, `${engine}-{i}.csv`)], env(i));
        expect(r.stderr).toMatch(/^(plan: [^\n]*\n)?$/); // only the plan line (issue 15)
        expect(r.code).toBe(0);
      }
      const shards = [1, 2, 3].map((i) => join(dir, `${engine}-${i}.csv`));
      // Each shard holds its contiguous third of the 21 cells.
      expect((await readFile(shards[0], 'utf8')).trim().split('\n')).toHaveLength(1 + 7);
      expect((await run(['merge', ...shards, '--out', join(dir, `${engine}.csv`)])).code).toBe(0);
      expect(await readFile(join(dir, `${engine}.csv`), 'utf8')).toBe(whole);
    }
  });

  it('fails with one line naming --shard when no array environment is set, and --shard-count without auto', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'synergy-cluster-'));
    const none = await run([...sweepArgs, '--shard', 'auto', '--out', join(dir, 'x.csv')]);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/^synergy: --shard must be auto only inside an array job: none of SLURM_ARRAY_TASK_ID, JOB_COMPLETION_INDEX \(Kubernetes Indexed Job\), AWS_BATCH_JOB_ARRAY_INDEX is set; got "auto"\n$/);
    const k8s = await run([...sweepArgs, '--shard', 'auto', '--out', join(dir, 'x.csv')], { JOB_COMPLETION_INDEX: '0' });
    expect(k8s.code).toBe(2);
    expect(k8s.stderr).toMatch(/^synergy: --shard-count must be the number of array tasks/);
    const stray = await run([...sweepArgs, '--shard', '1/2', '--shard-count', '2', '--out', join(dir, 'x.csv')]);
    expect(stray.code).toBe(2);
    expect(stray.stderr).toMatch(/^synergy: --shard-count must be given only with --shard auto/);
  });
});

describe('SIGTERM', () => {
  it('keeps the finished rows, exits 143, and --resume finishes the shard byte-identically', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'synergy-cluster-'));
    const args = ['sweep', '--b', '3', '--gamma', '0.9', '--u0', '0.2', '--depth', '6', '--axis', 'rho=0:0.5:24', '--trials', '600000', '--workers', '2', '--seed', '5'];
    const env = { SLURM_ARRAY_TASK_ID: '2', SLURM_ARRAY_TASK_MIN: '1', SLURM_ARRAY_TASK_MAX: '2', SLURM_ARRAY_TASK_COUNT: '2' };
    expect((await run([...args, '--shard', '2/2', '--out', join(dir, 'whole.csv')])).code).toBe(0);
    const partial = join(dir, 'part-{i}.csv');
    const written = join(dir, 'part-2.csv');
    const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(SLURM_|JOB_COMPLETION_INDEX|AWS_BATCH_|SYNERGY_)/.test(k)));
    const child = spawn(process.execPath, [BIN, ...args, '--shard', 'auto', '--out', partial], { env: { ...clean, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    // The handler is installed right after the CSV header is written (rows are flushed in blocks, so
    // none shows before the end): wait for the header, then let some cells finish (~2 s of work remain).
    const started = Date.now();
    while (!(await readFile(written, 'utf8').catch(() => '')).includes('\n')) {
      if (Date.now() - started > 60_000) throw new Error(`the sweep did not start within 60 s: ${stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
    child.kill('SIGTERM');
    const [code, signal] = await new Promise<[number | null, string | null]>((resolve) => child.on('close', (c, s) => resolve([c, s])));
    expect(signal).toBeNull();
    expect(code).toBe(143);
    expect(stderr).toMatch(/interrupted after \d+ of 12 cells/);
    const cut = await readFile(written, 'utf8');
    const [header, ...rows] = cut.split('\n').filter((l) => l);
    expect(rows.length).toBeLessThan(12);
    // Every kept row is whole: as many fields as the header, and it is the row of the full run.
    const full = (await readFile(join(dir, 'whole.csv'), 'utf8')).split('\n');
    rows.forEach((row, i) => {
      expect(row.split(',')).toHaveLength(header.split(',').length);
      expect(row).toBe(full[i + 1]);
    });
    expect(cut.endsWith('\n')).toBe(true);
    const resumed = await run([...args, '--shard', 'auto', '--out', partial, '--resume'], env);
    expect(resumed.code).toBe(0);
    expect(await readFile(written, 'utf8')).toBe(await readFile(join(dir, 'whole.csv'), 'utf8'));
  });
});
