// `synergy cluster slurm|kubernetes|batch [options] -- sweep <flags…>`: writes the job files that run
// that sweep as an array job on the engine, and prints the commands that submit it and merge its parts.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Command, CommanderError } from 'commander';
import { InvalidParameterError } from '../errors.ts';
import { type ClusterEngine, clusterJob, timeSeconds } from '../sweep/clusterJobs.ts';
import { checkWritableDirectory } from './files.ts';
import { parseInteger } from './options.ts';
import { type SweepFlags, formatOf, sweepCells, sweepOptions, sweepSpec } from './sweep.ts';

const ENGINES: readonly ClusterEngine[] = ['slurm', 'kubernetes', 'batch'];
/** Flags the job sets for each array task; the user's command must not. */
const SET_BY_JOB = ['--shard', '--shard-count', '--resume', '--plot', '--plot-field', '--json'];

interface ClusterFlags {
  shards?: string; cpus: string; time: string; name: string; image?: string; volume?: string; dir: string; json?: boolean;
}

/** Parses and checks the sweep command with the sweep's own flags; returns its flags and arguments. */
async function parseSweepCommand(words: string[]): Promise<{ flags: SweepFlags; args: string[] }> {
  if (words[0] !== 'sweep') throw new InvalidParameterError('cluster', 'followed by -- sweep <flags…> (the sweep to run)', words.join(' ') || 'nothing');
  const args = words.slice(1);
  for (const word of args) {
    const flag = word.split('=')[0];
    if (SET_BY_JOB.includes(flag)) throw new InvalidParameterError(flag, `absent from the sweep command (the job sets ${SET_BY_JOB.slice(0, 3).join(', ')}; plot after merging)`, word);
  }
  let flags: SweepFlags | undefined;
  const cmd = sweepOptions(new Command('sweep')).exitOverride().configureOutput({ outputError: () => {} })
    .action((f: SweepFlags) => void (flags = f));
  try {
    await cmd.parseAsync(args, { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) throw new InvalidParameterError('sweep', 'a valid sweep command', error.message.replace(/^error: /, ''));
    throw error;
  }
  return { flags: flags!, args };
}

async function runCluster(engine: string, words: string[], f: ClusterFlags): Promise<void> {
  if (!ENGINES.includes(engine as ClusterEngine)) throw new InvalidParameterError('cluster', `one of ${ENGINES.join(', ')}`, engine);
  const { flags, args } = await parseSweepCommand(words);
  if (flags.out === undefined) throw new InvalidParameterError('--out', 'given in the sweep command (the merged file; parts are written beside it)', undefined);
  formatOf(flags.out);
  if (engine !== 'slurm' && flags.out.startsWith('/')) throw new InvalidParameterError('--out', 'a path relative to the shared volume mounted at /data', flags.out);
  const cells = sweepCells(flags, sweepSpec(flags), parseInteger('seed', flags.seed, 0));
  if (f.shards === undefined) throw new InvalidParameterError('--shards', 'the number of array tasks', undefined);
  // AWS Batch arrays have 2 … 10,000 children; Kubernetes and Slurm accept more, but a shard per cell is the useful limit.
  const maxShards = Math.min(cells, 10_000);
  const shards = parseInteger('shards', f.shards, engine === 'batch' ? 2 : 1);
  if (shards > maxShards) throw new InvalidParameterError('--shards', `at most ${maxShards} (one cell per task at least; 10,000 tasks at most)`, f.shards);
  const cpus = parseInteger('cpus', f.cpus, 1);
  if (!(timeSeconds(f.time) > 0)) throw new InvalidParameterError('--time', 'a Slurm time: minutes, hours:minutes:seconds or days-hours:minutes:seconds', f.time);
  if (!/^[a-z0-9]([-a-z0-9]{0,50}[a-z0-9])?$/.test(f.name)) throw new InvalidParameterError('--name', 'lowercase letters, digits and -, at most 52 characters (a Kubernetes job name)', f.name);
  if (engine !== 'slurm' && f.image === undefined) throw new InvalidParameterError('--image', `a container image with synergy on its PATH (needed for ${engine})`, undefined);
  if (engine !== 'slurm' && f.volume === undefined) {
    throw new InvalidParameterError('--volume', engine === 'kubernetes' ? 'a PersistentVolumeClaim shared by all pods (ReadWriteMany)' : 'an EFS file system id (fs-…) shared by all tasks', undefined);
  }
  const sweepArgs = args.filter((_, i) => args[i] !== '--out' && args[i - 1] !== '--out' && !args[i].startsWith('--out='));
  const job = clusterJob({
    engine: engine as ClusterEngine, sweepArgs, out: flags.out, shards, jobName: f.name, cpus, time: f.time, image: f.image ?? '', volume: f.volume ?? '',
  });
  await checkWritableDirectory('--dir', f.dir);
  for (const [name, content] of Object.entries(job.files)) await writeFile(join(f.dir, name), content);
  const files = Object.keys(job.files).map((n) => join(f.dir, n));
  if (f.json) {
    process.stdout.write(JSON.stringify({ engine, cells, shards, files, steps: job.steps }, null, 2) + '\n');
    return;
  }
  process.stdout.write([
    `# ${cells} cells in ${shards} array tasks; wrote ${files.join(', ')}`,
    `# submit from ${engine === 'slurm' ? 'the shared directory (the tasks write beside the job files)' : `the folder of the job files`}:`,
    ...job.steps,
    '',
  ].join('\n'));
}

export function registerClusterCommand(root: Command): void {
  root.command('cluster').description('write the job files that run a sweep as an array job (slurm, kubernetes, batch) and print the submit and merge commands')
    .argument('<engine>', 'slurm, kubernetes or batch')
    .argument('<sweep...>', 'after --: the sweep command, e.g. -- sweep --b 5 … --out results.csv')
    .option('--shards <N>', 'number of array tasks')
    .option('--cpus <n>', 'cores per task (the sweep runs that many workers)', '4')
    .option('--time <t>', 'time limit per task (Slurm syntax: minutes, h:mm:ss, d-hh:mm:ss)', '4:00:00')
    .option('--name <name>', 'job name', 'synergy-sweep')
    .option('--image <image>', 'container image with synergy on its PATH (kubernetes, batch)')
    .option('--volume <id>', 'shared storage mounted at /data: a PersistentVolumeClaim (kubernetes) or an EFS file system id (batch)')
    .option('--dir <folder>', 'where to write the job files', '.')
    .option('--json', 'machine-readable output: the files written and the submit and merge steps')
    .action(runCluster);
}
