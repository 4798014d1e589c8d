// `synergy cluster` (issue 14): the job files are snapshot-tested, parsed by the engines' formats
// (bash -n, YAML, JSON), and their commands, run here the way each engine runs them (index in the
// environment, working directory, shell for the merge), merge to the one-process bytes.
import { execFile } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { partPath, shellQuote, timeSeconds } from '../../src/sweep/clusterJobs.ts';
import { BIN, type Run, spawnRun, synergy } from './run.ts';

const SWEEP = ['sweep', '--b', '5', '--u0', '0.05', '--depth', '10', '--axis', 'rho=0:0.5:7', '--axis', 'gamma=0.5,0.7,0.9', '--trials', '3000', '--mode', 'levels', '--out', 'results.csv'];

/** A folder whose `synergy` runs the built CLI (what the job's image or the cluster's PATH provides). */
async function shim(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'synergy-bin-'));
  await writeFile(join(dir, 'synergy'), `#!/bin/sh\nexec ${shellQuote(process.execPath)} ${shellQuote(BIN)} "$@"\n`);
  await chmod(join(dir, 'synergy'), 0o755);
  return dir;
}

function sh(command: string[], options: { cwd: string; env: Record<string, string> }): Promise<Run> {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(SLURM_|JOB_COMPLETION_INDEX|AWS_BATCH_|SYNERGY_)/.test(k)));
  return spawnRun(command[0], command.slice(1), { cwd: options.cwd, env: { ...clean, ...options.env } });
}

let one: Promise<string> | undefined;
/** The one-process file (computed once for the three engines). */
function onePass(): Promise<string> {
  one ??= (async () => {
    const dir = await mkdtemp(join(tmpdir(), 'synergy-one-'));
    const r = await synergy([...SWEEP.slice(0, -1), join(dir, 'one.csv')]);
    expect(r.code).toBe(0);
    return readFile(join(dir, 'one.csv'), 'utf8');
  })();
  return one;
}

const golden = (name: string) => `./golden/cluster/${name}`;

describe('synergy cluster', () => {
  it('slurm: an sbatch array script and a merge script; run as Slurm runs them, they merge to one-process bytes', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'synergy-cj-'));
    const r = await synergy(['cluster', 'slurm', '--shards', '3', '--cpus', '1', '--time', '10', '--dir', dir, '--', ...SWEEP]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('sbatch --dependency=afterok:$jobid synergy-sweep-merge.sbatch');
    const script = await readFile(join(dir, 'synergy-sweep.sbatch'), 'utf8');
    const merge = await readFile(join(dir, 'synergy-sweep-merge.sbatch'), 'utf8');
    await expect(script).toMatchFileSnapshot(golden('synergy-sweep.sbatch'));
    await expect(merge).toMatchFileSnapshot(golden('synergy-sweep-merge.sbatch'));
    expect(script).toMatch(/^#SBATCH --array=1-3$/m);
    for (const file of ['synergy-sweep.sbatch', 'synergy-sweep-merge.sbatch']) await promisify(execFile)('bash', ['-n', join(dir, file)]);
    // Run each array task as Slurm would (srun inside the allocation runs the command as given).
    const bin = await shim();
    const env = { PATH: `${bin}:${process.env.PATH}` };
    await writeFile(join(bin, 'srun'), '#!/bin/sh\nexec "$@"\n', { mode: 0o755 });
    for (const id of [3, 1, 2]) {
      const task = await sh(['bash', join(dir, 'synergy-sweep.sbatch')], { cwd: dir, env: { ...env, SLURM_ARRAY_TASK_ID: String(id), SLURM_ARRAY_TASK_MIN: '1', SLURM_ARRAY_TASK_MAX: '3', SLURM_ARRAY_TASK_COUNT: '3' } });
      expect(task.stderr).toMatch(/^(plan: [^\n]*\n)?$/); // only the sweep's plan line (issue 15)
      expect(task.code).toBe(0);
    }
    // A retried task rewrites nothing: its part is already complete.
    const before = await readFile(join(dir, 'results.part-2.csv'), 'utf8');
    expect((await sh(['bash', join(dir, 'synergy-sweep.sbatch')], { cwd: dir, env: { ...env, SLURM_ARRAY_TASK_ID: '2', SLURM_ARRAY_TASK_MIN: '1', SLURM_ARRAY_TASK_MAX: '3', SLURM_ARRAY_TASK_COUNT: '3' } })).code).toBe(0);
    expect(await readFile(join(dir, 'results.part-2.csv'), 'utf8')).toBe(before);
    expect((await sh(['bash', join(dir, 'synergy-sweep-merge.sbatch')], { cwd: dir, env })).code).toBe(0);
    expect(await readFile(join(dir, 'results.csv'), 'utf8')).toBe(await onePass());
  });

  it('kubernetes: an Indexed Job manifest and a merge Job; run pod by pod, they merge to one-process bytes', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'synergy-cj-'));
    const r = await synergy(['cluster', 'kubernetes', '--shards', '3', '--cpus', '1', '--image', 'registry.example/synergy:0.1', '--volume', 'synergy-results', '--dir', dir, '--', ...SWEEP]);
    expect(r.code).toBe(0);
    const manifest = await readFile(join(dir, 'synergy-sweep.yaml'), 'utf8');
    const mergeManifest = await readFile(join(dir, 'synergy-sweep-merge.yaml'), 'utf8');
    await expect(manifest).toMatchFileSnapshot(golden('synergy-sweep.yaml'));
    await expect(mergeManifest).toMatchFileSnapshot(golden('synergy-sweep-merge.yaml'));
    const docs = parseAllDocuments(manifest);
    expect(docs).toHaveLength(1);
    expect(docs[0].errors).toEqual([]);
    const job = docs[0].toJS();
    expect(job).toMatchObject({ apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'synergy-sweep' }, spec: { completionMode: 'Indexed', completions: 3, parallelism: 3 } });
    const pod = job.spec.template.spec;
    expect(pod.restartPolicy).toBe('Never');
    expect(pod.containers[0]).toMatchObject({ image: 'registry.example/synergy:0.1', workingDir: '/data', volumeMounts: [{ name: 'results', mountPath: '/data' }] });
    expect(pod.volumes[0].persistentVolumeClaim.claimName).toBe('synergy-results');
    const mergeJob = parseAllDocuments(mergeManifest)[0].toJS();
    const bin = await shim();
    const env = { PATH: `${bin}:${process.env.PATH}` };
    for (const index of [1, 0, 2]) {
      const task = await sh(pod.containers[0].command, { cwd: dir, env: { ...env, JOB_COMPLETION_INDEX: String(index) } });
      expect(task.stderr).toMatch(/^(plan: [^\n]*\n)?$/);
      expect(task.code).toBe(0);
    }
    expect((await sh(mergeJob.spec.template.spec.containers[0].command, { cwd: dir, env })).code).toBe(0);
    expect(await readFile(join(dir, 'results.csv'), 'utf8')).toBe(await onePass());
  });

  it('batch: a job definition (JSON) and submit commands; run child by child, they merge to one-process bytes', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'synergy-cj-'));
    const r = await synergy(['cluster', 'batch', '--shards', '3', '--cpus', '1', '--image', 'registry.example/synergy:0.1', '--volume', 'fs-0123456789abcdef0', '--dir', dir, '--', ...SWEEP]);
    expect(r.code).toBe(0);
    const text = await readFile(join(dir, 'synergy-sweep.json'), 'utf8');
    await expect(text).toMatchFileSnapshot(golden('synergy-sweep.json'));
    await expect(r.stdout.split('\n').slice(2).join('\n')).toMatchFileSnapshot(golden('batch-steps.sh'));
    const definition = JSON.parse(text);
    expect(definition).toMatchObject({ jobDefinitionName: 'synergy-sweep', type: 'container', retryStrategy: { attempts: 3 } });
    expect(definition.containerProperties.volumes[0].efsVolumeConfiguration.fileSystemId).toBe('fs-0123456789abcdef0');
    expect(r.stdout).toContain('--array-properties size=3');
    // The merge step's container override, as the shell passes it to the aws CLI.
    const overrideWord = /--container-overrides ('.*')$/m.exec(r.stdout)![1];
    const override = JSON.parse((await sh(['sh', '-c', `printf %s ${overrideWord}`], { cwd: dir, env: {} })).stdout);
    // /data is the EFS mount: here, the test's folder.
    const local = (words: string[]) => words.map((w) => w.replaceAll('/data/', `${dir}/`));
    const bin = await shim();
    const env = { PATH: `${bin}:${process.env.PATH}` };
    for (const index of [2, 0, 1]) {
      const task = await sh(local(definition.containerProperties.command), { cwd: tmpdir(), env: { ...env, AWS_BATCH_JOB_ARRAY_INDEX: String(index) } });
      expect(task.stderr).toMatch(/^(plan: [^\n]*\n)?$/);
      expect(task.code).toBe(0);
    }
    expect((await sh(local(override.command), { cwd: tmpdir(), env })).code).toBe(0);
    expect(await readFile(join(dir, 'results.csv'), 'utf8')).toBe(await onePass());
  });

  it('rejects a bad engine, a command that is not a sweep, flags the job sets and too many shards, naming the flag', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'synergy-cj-'));
    await mkdir(dir, { recursive: true });
    const cases: [string[], RegExp][] = [
      [['cluster', 'lsf', '--shards', '2', '--', ...SWEEP], /^synergy: cluster must be one of slurm, kubernetes, batch; got "lsf"\n$/],
      [['cluster', 'slurm', '--shards', '2', '--', 'simulate', '--b', '3'], /^synergy: cluster must be followed by -- sweep/],
      [['cluster', 'slurm', '--shards', '2', '--', ...SWEEP, '--shard', '1/2'], /^synergy: --shard must be absent from the sweep command/],
      [['cluster', 'slurm', '--shards', '22', '--', ...SWEEP], /^synergy: --shards must be at most 21/],
      [['cluster', 'slurm', '--', ...SWEEP], /^synergy: --shards must be the number of array tasks/],
      [['cluster', 'slurm', '--shards', '2', '--', ...SWEEP.slice(0, -2)], /^synergy: --out must be given in the sweep command/],
      [['cluster', 'kubernetes', '--shards', '2', '--volume', 'v', '--', ...SWEEP], /^synergy: --image must be a container image/],
      [['cluster', 'batch', '--shards', '2', '--image', 'i', '--', ...SWEEP], /^synergy: --volume must be an EFS file system id/],
      [['cluster', 'batch', '--shards', '1', '--image', 'i', '--volume', 'fs-1', '--', ...SWEEP], /^synergy: --shards must be an integer ≥ 2/],
      [['cluster', 'slurm', '--shards', '2', '--time', 'soon', '--', ...SWEEP], /^synergy: --time must be a Slurm time/],
      [['cluster', 'slurm', '--shards', '2', '--', ...SWEEP.map((w) => (w === '0.05' ? '2' : w))], /^synergy: --u0 must be/],
    ];
    for (const [args, message] of cases) {
      const run = await synergy([...args.slice(0, 2), '--dir', dir, ...args.slice(2)]);
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.stderr).toMatch(message);
      expect(run.stderr.trim().split('\n')).toHaveLength(1);
    }
  });
});

describe('job file helpers', () => {
  it('names parts beside the output, quotes shell words, and reads Slurm times', () => {
    expect(partPath('results.csv')).toBe('results.part-{i}.csv');
    expect(partPath('out.d/results')).toBe('out.d/results.part-{i}');
    expect(shellQuote('rho=0:0.5:7')).toBe('rho=0:0.5:7');
    expect(shellQuote("it's {i}")).toBe(`'it'\\''s {i}'`);
    expect([timeSeconds('10'), timeSeconds('10:30'), timeSeconds('1:00:00'), timeSeconds('2-01:00:00'), timeSeconds('x')]).toEqual([600, 630, 3600, 176400, NaN]);
  });
});
