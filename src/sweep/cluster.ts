// Array jobs on existing engines (issue 14): which shard this process is, read from the engine's
// environment. Shards are contiguous cell ranges (see shardRange in the CLI); rows depend only on
// (spec, seed, cell) (§D4), so any engine, retry or order of shards yields the same merged bytes.
import { InvalidParameterError } from '../errors.ts';

/** A 1-based shard index out of count, and the engine that said so. */
export interface ArrayShard {
  index: number;
  count: number;
  engine: 'slurm' | 'kubernetes' | 'batch';
}

/** The environment variable that gives the shard count where the engine does not (Kubernetes, AWS Batch). */
export const SHARD_COUNT_ENV = 'SYNERGY_SHARD_COUNT';

type Env = Readonly<Record<string, string | undefined>>;

function integer(env: Env, name: string, min: number): number | undefined {
  const text = env[name];
  if (text === undefined || text === '') return undefined;
  if (!/^\d+$/.test(text) || Number(text) < min) throw new InvalidParameterError('--shard', `auto with ${name} an integer ≥ ${min}`, text);
  return Number(text);
}

/**
 * The shard of this array task. Slurm gives its index and the array's bounds
 * (SLURM_ARRAY_TASK_ID, _MIN, _MAX, _STEP, _COUNT); an array with gaps (--array=1,4,9) has no
 * contiguous numbering and is refused. Kubernetes Indexed Jobs (JOB_COMPLETION_INDEX) and AWS Batch
 * array jobs (AWS_BATCH_JOB_ARRAY_INDEX) give a 0-based index only: the count comes from `count`
 * (the --shard-count flag) or SYNERGY_SHARD_COUNT. A count given for Slurm must agree with it.
 */
export function arrayShard(env: Env, count?: number): ArrayShard {
  const given = count ?? integer(env, SHARD_COUNT_ENV, 1);
  const slurmId = integer(env, 'SLURM_ARRAY_TASK_ID', 0);
  if (slurmId !== undefined) {
    const min = integer(env, 'SLURM_ARRAY_TASK_MIN', 0) ?? 0;
    const max = integer(env, 'SLURM_ARRAY_TASK_MAX', 0);
    const step = integer(env, 'SLURM_ARRAY_TASK_STEP', 1) ?? 1;
    const n = integer(env, 'SLURM_ARRAY_TASK_COUNT', 1) ?? (max === undefined ? undefined : Math.floor((max - min) / step) + 1);
    if (n === undefined) throw new InvalidParameterError('--shard', 'auto inside a Slurm array job that sets SLURM_ARRAY_TASK_COUNT or SLURM_ARRAY_TASK_MAX', 'neither');
    if (max !== undefined && Math.floor((max - min) / step) + 1 !== n) {
      throw new InvalidParameterError('--shard', `auto in a Slurm array without gaps (--array=${min}-${max}${step > 1 ? `:${step}` : ''} has ${Math.floor((max - min) / step) + 1} indices but SLURM_ARRAY_TASK_COUNT=${n})`, 'auto');
    }
    if ((slurmId - min) % step !== 0 || slurmId < min) throw new InvalidParameterError('--shard', `auto with SLURM_ARRAY_TASK_ID on the array's grid ${min}, ${min + step}, …`, slurmId);
    if (given !== undefined && given !== n) throw new InvalidParameterError('--shard-count', `the Slurm array's task count ${n} (or absent)`, given);
    return { index: (slurmId - min) / step + 1, count: n, engine: 'slurm' };
  }
  for (const [name, engine] of [['JOB_COMPLETION_INDEX', 'kubernetes'], ['AWS_BATCH_JOB_ARRAY_INDEX', 'batch']] as const) {
    const index = integer(env, name, 0);
    if (index === undefined) continue;
    if (given === undefined) throw new InvalidParameterError('--shard-count', `the number of array tasks (the flag or ${SHARD_COUNT_ENV}) when ${name} gives the index`, undefined);
    if (index >= given) throw new InvalidParameterError('--shard-count', `more than ${name}=${index}`, given);
    return { index: index + 1, count: given, engine };
  }
  throw new InvalidParameterError('--shard', 'auto only inside an array job: none of SLURM_ARRAY_TASK_ID, JOB_COMPLETION_INDEX (Kubernetes Indexed Job), AWS_BATCH_JOB_ARRAY_INDEX is set', 'auto');
}

/** An output path with `{i}` replaced by the shard index (so every array task writes its own file). */
export function shardPath(path: string, shard: { index: number } | undefined): string {
  if (!path.includes('{i}')) return path;
  if (shard === undefined) throw new InvalidParameterError('--out', 'a path without {i} unless --shard is given ({i} is the shard index)', path);
  return path.replaceAll('{i}', String(shard.index));
}
