// A real single-node Slurm (issue 14): the test writes a slurm.conf and a munge key into a temp dir,
// runs munged, slurmctld -D and slurmd -D as its own child processes, submits the array job that
// `synergy cluster slurm` wrote, stops one task with SIGTERM (scancel --signal=TERM: what Slurm sends
// at a time limit or on preemption), requeues it (it resumes its part), runs the merge job, and
// compares the bytes with one process. Needs Debian's slurm-wlm and munge (.ci/run installs them) and
// root (slurmd); without them the test is skipped under a name that says so, with a warning.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shellQuote } from '../../src/sweep/clusterJobs.ts';
import { BIN, synergy } from './run.ts';

const exec = promisify(execFile);
const BINARIES = ['/usr/sbin/munged', '/usr/sbin/slurmctld', '/usr/sbin/slurmd', '/usr/bin/sbatch', '/usr/bin/scontrol', '/usr/bin/scancel', '/usr/bin/squeue'];
const missing = BINARIES.filter((b) => !existsSync(b));
const isRoot = process.getuid?.() === 0;
const available = missing.length === 0 && isRoot;
const why = missing.length > 0 ? `missing ${missing.join(', ')} (apt-get install slurm-wlm munge)` : 'not root (slurmd runs as root)';
if (!available) console.warn(`\n*** REAL SLURM TEST SKIPPED: ${why} ***\n`);

const SWEEP = ['sweep', '--b', '3', '--gamma', '0.9', '--u0', '0.2', '--depth', '6', '--axis', 'rho=0:0.5:24', '--trials', '600000', '--seed', '5', '--out', 'results.csv'];

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.runIf(available)('a real single-node Slurm', () => {
  let dir: string;
  let work: string;
  let env: NodeJS.ProcessEnv;
  const daemons: ChildProcess[] = [];
  const logs: string[] = [];

  async function poll<T>(what: string, check: () => Promise<T | undefined>, ms = 60_000): Promise<T> {
    const started = Date.now();
    for (;;) {
      const value = await check();
      if (value !== undefined) return value;
      if (Date.now() - started > ms) throw new Error(`${what} within ${ms / 1000} s\n${logs.join('')}`);
      await sleep(100);
    }
  }
  const slurm = async (command: string, args: string[]) => (await exec(command, args, { env, cwd: work })).stdout;
  const jobState = async (id: string) => /JobState=(\w+)/.exec(await slurm('scontrol', ['show', 'job', id]))?.[1];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'synergy-slurm-'));
    work = join(dir, 'work');
    for (const sub of ['state', 'spool', 'munge', 'work', 'bin']) await mkdir(join(dir, sub));
    await chmod(join(dir, 'munge'), 0o700);
    await writeFile(join(dir, 'munge', 'munge.key'), Buffer.from(Array.from({ length: 1024 }, (_, i) => (i * 7919 + 17) % 256)), { mode: 0o400 });
    // `synergy` on the tasks' PATH (sbatch exports the submitting environment).
    await writeFile(join(dir, 'bin', 'synergy'), `#!/bin/sh\nexec ${shellQuote(process.execPath)} ${shellQuote(BIN)} "$@"\n`, { mode: 0o755 });
    const node = hostname().split('.')[0];
    const [ctldPort, dPort] = [await freePort(), await freePort()];
    const conf = join(dir, 'slurm.conf');
    await writeFile(conf, [
      'ClusterName=synergytest', `SlurmctldHost=${node}(127.0.0.1)`, `SlurmctldPort=${ctldPort}`, `SlurmdPort=${dPort}`,
      'SlurmUser=root', 'SlurmdUser=root', 'AuthType=auth/munge', 'CredType=cred/munge', `AuthInfo=socket=${dir}/munge/sock`,
      `StateSaveLocation=${dir}/state`, `SlurmdSpoolDir=${dir}/spool`, `SlurmctldPidFile=${dir}/slurmctld.pid`, `SlurmdPidFile=${dir}/slurmd.pid`,
      'ProctrackType=proctrack/pgid', 'TaskPlugin=task/none', 'JobAcctGatherType=jobacct_gather/none', 'AccountingStorageType=accounting_storage/none',
      'SchedulerType=sched/backfill', 'SelectType=select/cons_tres', 'SelectTypeParameters=CR_CPU', 'ReturnToService=2', 'MpiDefault=none',
      'SwitchType=switch/none', 'KillWait=5', 'InactiveLimit=0', 'MinJobAge=600',
      `NodeName=${node} NodeAddr=127.0.0.1 CPUs=2 State=UNKNOWN`, 'PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP', '',
    ].join('\n'));
    env = { ...process.env, SLURM_CONF: conf, PATH: `${join(dir, 'bin')}:${process.env.PATH}` };
    for (const k of Object.keys(env)) if (/^(SLURM_(?!CONF)|JOB_COMPLETION_INDEX|AWS_BATCH_|SYNERGY_)/.test(k)) delete env[k];
    const start = (command: string, args: string[]) => {
      const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
      child.stdout!.on('data', (d) => logs.push(`${command}: ${d}`));
      child.stderr!.on('data', (d) => logs.push(`${command}: ${d}`));
      daemons.push(child);
    };
    start('/usr/sbin/munged', ['--foreground', '--force', `--socket=${dir}/munge/sock`, `--key-file=${dir}/munge/munge.key`, `--pid-file=${dir}/munge/pid`, `--seed-file=${dir}/munge/seed`, `--log-file=${dir}/munge/log`]);
    await poll('munged did not create its socket', async () => (existsSync(join(dir, 'munge', 'sock')) ? true : undefined));
    start('/usr/sbin/slurmctld', ['-D', '-i', '-f', conf]);
    start('/usr/sbin/slurmd', ['-D', '-N', node, '-f', conf]);
    await poll('the node did not become idle', async () => {
      const out = await slurm('sinfo', ['-h', '-o', '%t']).catch(() => '');
      return out.trim() === 'idle' ? true : undefined;
    });
  }, 90_000);

  afterAll(async () => {
    if (env) await slurm('scancel', ['--user=root']).catch(() => {});
    // slurmd before slurmctld before munged; each is our own child.
    for (const child of daemons.reverse()) {
      child.kill('SIGTERM');
      if (child.exitCode === null) await new Promise((resolve) => { child.on('exit', resolve); setTimeout(resolve, 5000); });
    }
  });

  it('runs an array sweep; a task stopped by SIGTERM exits 143, resumes when requeued, and the merge equals one process', async () => {
    const job = await synergy(['cluster', 'slurm', '--shards', '3', '--cpus', '1', '--time', '10', '--dir', work, '--', ...SWEEP]);
    expect(job.code).toBe(0);
    // sbatch's own parser accepts both scripts.
    expect(await slurm('sbatch', ['--test-only', 'synergy-sweep.sbatch']).catch((e) => e.stderr)).toBe('');
    const array = (await slurm('sbatch', ['--parsable', 'synergy-sweep.sbatch'])).trim();
    const task = `${array}_2`;
    const part = join(work, 'results.part-2.csv');
    // Task 2 has written its header (its SIGTERM handler is installed right after); let it compute a little.
    await poll('task 2 did not start', async () => ((await readFile(part, 'utf8').catch(() => '')).includes('\n') ? true : undefined));
    await sleep(1000);
    await slurm('scancel', ['--signal=TERM', task]);
    const stopped = await poll('task 2 did not stop', async () => {
      const state = await jobState(task);
      return state === 'FAILED' || state === 'COMPLETED' ? await slurm('scontrol', ['show', 'job', task]) : undefined;
    });
    expect(stopped).toMatch(/JobState=FAILED/);
    expect(stopped).toMatch(/ExitCode=143:0/);
    const log = await readFile(join(work, `synergy-sweep-${array}_2.log`), 'utf8');
    expect(log).toMatch(/interrupted after \d+ of 8 cells; results\.part-2\.csv is valid/);
    const cut = (await readFile(part, 'utf8')).split('\n').filter((l) => l);
    expect(cut.length).toBeLessThan(1 + 8);
    // Requeue it (Slurm holds a requeued job ~2 minutes; release it now), and wait for the whole array.
    await slurm('scontrol', ['requeue', task]);
    await slurm('scontrol', ['update', `JobId=${task}`, 'StartTime=now']);
    await poll('the array did not finish', async () => ((await slurm('squeue', ['-h', '-j', array])).trim() === '' ? true : undefined), 90_000);
    for (const i of [1, 2, 3]) expect(await jobState(`${array}_${i}`)).toBe('COMPLETED');
    await slurm('sbatch', ['--wait', 'synergy-sweep-merge.sbatch']);
    const one = await synergy([...SWEEP.slice(0, -1), join(dir, 'one.csv')]);
    expect(one.code).toBe(0);
    expect(await readFile(join(work, 'results.csv'), 'utf8')).toBe(await readFile(join(dir, 'one.csv'), 'utf8'));
  }, 150_000);
});

if (!available) {
  describe('a real single-node Slurm', () => {
    it.skip(`SKIPPED — ${why}`, () => {});
  });
}
