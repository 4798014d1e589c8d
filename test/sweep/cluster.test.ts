// --shard auto (issue 14): the shard of an array task from Slurm, Kubernetes Indexed Job and AWS
// Batch environments, and {i} in output paths.
import { describe, expect, it } from 'vitest';
import { InvalidParameterError } from '../../src/errors.ts';
import { arrayShard, shardPath } from '../../src/sweep/cluster.ts';

describe('arrayShard', () => {
  it('maps a Slurm array index to 1-based i of N, whatever the array starts at and steps by', () => {
    expect(arrayShard({ SLURM_ARRAY_TASK_ID: '1', SLURM_ARRAY_TASK_MIN: '1', SLURM_ARRAY_TASK_MAX: '4', SLURM_ARRAY_TASK_COUNT: '4' })).toEqual({ index: 1, count: 4, engine: 'slurm' });
    expect(arrayShard({ SLURM_ARRAY_TASK_ID: '0', SLURM_ARRAY_TASK_MIN: '0', SLURM_ARRAY_TASK_MAX: '9', SLURM_ARRAY_TASK_COUNT: '10' })).toEqual({ index: 1, count: 10, engine: 'slurm' });
    expect(arrayShard({ SLURM_ARRAY_TASK_ID: '9', SLURM_ARRAY_TASK_MIN: '0', SLURM_ARRAY_TASK_MAX: '9', SLURM_ARRAY_TASK_COUNT: '10' })).toEqual({ index: 10, count: 10, engine: 'slurm' });
    expect(arrayShard({ SLURM_ARRAY_TASK_ID: '14', SLURM_ARRAY_TASK_MIN: '10', SLURM_ARRAY_TASK_MAX: '16', SLURM_ARRAY_TASK_STEP: '2', SLURM_ARRAY_TASK_COUNT: '4' })).toEqual({ index: 3, count: 4, engine: 'slurm' });
    // Without COUNT (older Slurm), the bounds give it.
    expect(arrayShard({ SLURM_ARRAY_TASK_ID: '3', SLURM_ARRAY_TASK_MIN: '1', SLURM_ARRAY_TASK_MAX: '5' })).toEqual({ index: 3, count: 5, engine: 'slurm' });
    // A count that agrees is accepted; one that disagrees is an error naming --shard-count.
    expect(arrayShard({ SLURM_ARRAY_TASK_ID: '2', SLURM_ARRAY_TASK_MIN: '1', SLURM_ARRAY_TASK_MAX: '3', SLURM_ARRAY_TASK_COUNT: '3' }, 3).index).toBe(2);
    expect(() => arrayShard({ SLURM_ARRAY_TASK_ID: '2', SLURM_ARRAY_TASK_MIN: '1', SLURM_ARRAY_TASK_MAX: '3', SLURM_ARRAY_TASK_COUNT: '3' }, 4)).toThrow(/--shard-count must be the Slurm array's task count 3/);
  });

  it('refuses a Slurm array with gaps (no contiguous numbering of shards)', () => {
    expect(() => arrayShard({ SLURM_ARRAY_TASK_ID: '4', SLURM_ARRAY_TASK_MIN: '1', SLURM_ARRAY_TASK_MAX: '9', SLURM_ARRAY_TASK_COUNT: '3' })).toThrow(/without gaps/);
    expect(() => arrayShard({ SLURM_ARRAY_TASK_ID: 'x', SLURM_ARRAY_TASK_COUNT: '3' })).toThrow(InvalidParameterError);
  });

  it('takes the 0-based Kubernetes and AWS Batch index with the count from the flag or SYNERGY_SHARD_COUNT', () => {
    expect(arrayShard({ JOB_COMPLETION_INDEX: '0' }, 3)).toEqual({ index: 1, count: 3, engine: 'kubernetes' });
    expect(arrayShard({ JOB_COMPLETION_INDEX: '2', SYNERGY_SHARD_COUNT: '3' })).toEqual({ index: 3, count: 3, engine: 'kubernetes' });
    expect(arrayShard({ AWS_BATCH_JOB_ARRAY_INDEX: '4', SYNERGY_SHARD_COUNT: '8' })).toEqual({ index: 5, count: 8, engine: 'batch' });
    expect(() => arrayShard({ AWS_BATCH_JOB_ARRAY_INDEX: '4' })).toThrow(/--shard-count must be the number of array tasks .*AWS_BATCH_JOB_ARRAY_INDEX/);
    expect(() => arrayShard({ JOB_COMPLETION_INDEX: '3' }, 3)).toThrow(/--shard-count must be more than JOB_COMPLETION_INDEX=3/);
  });

  it('says which variables it looked for when none is set', () => {
    expect(() => arrayShard({})).toThrow(/--shard must be auto only inside an array job: none of SLURM_ARRAY_TASK_ID, JOB_COMPLETION_INDEX .*AWS_BATCH_JOB_ARRAY_INDEX is set/);
  });
});

describe('shardPath', () => {
  it('puts the shard index in place of {i}, and needs a shard for it', () => {
    expect(shardPath('out/part-{i}.csv', { index: 7 })).toBe('out/part-7.csv');
    expect(shardPath('whole.csv', undefined)).toBe('whole.csv');
    expect(() => shardPath('part-{i}.csv', undefined)).toThrow(/--out must be a path without \{i\}/);
  });
});

describe('grid values (issue 14: printed as the decimal the user meant)', () => {
  it('count and step ranges give 0.41, 0.6, 0.7 — not 0.41000000000000003 — and keep values with no short decimal', async () => {
    const { axisValues, gridDecimal } = await import('../../src/sweep/axes.ts');
    expect(axisValues('rho', { start: 0.4, stop: 0.5, count: 11 }).map(String)).toEqual(['0.4', '0.41', '0.42', '0.43', '0.44', '0.45', '0.46', '0.47', '0.48', '0.49', '0.5']);
    expect(axisValues('gamma', { start: 0.3, stop: 0.9, step: 0.1 }).map(String)).toEqual(['0.3', '0.4', '0.5', '0.6', '0.7', '0.8', '0.9']);
    // Every value prints in at most 15 significant digits and reads back as the same double.
    for (const v of axisValues('u0', { start: -0.35, stop: 0.95, count: 131 })) {
      expect(Number(String(v))).toBe(v);
      expect(String(v).replace(/^-?0\.|\./, '').replace(/^0+/, '').length).toBeLessThanOrEqual(15);
    }
    // 1/3 has no short decimal: left as computed; and the snap never moves a value by more than 4 ulps.
    expect(axisValues('rho', { start: 0, stop: 1, count: 4 })[1]).toBe(1 / 3);
    expect(gridDecimal(0.1 + 0.2)).toBe(0.3);
    expect(gridDecimal(0.30000000000001)).toBe(0.30000000000001);
    expect(gridDecimal(1 / 3, 1)).toBe(1 / 3);
    // Near zero on an axis of scale 1, the rounding error of start + i·step is absolute, not relative.
    expect(axisValues('u0', { start: -0.35, stop: 0.95, count: 131 }).slice(28, 39).map(String)).toEqual(['-0.07', '-0.06', '-0.05', '-0.04', '-0.03', '-0.02', '-0.01', '0', '0.01', '0.02', '0.03']);
  });
});
