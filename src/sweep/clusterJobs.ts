// Job files for running one sweep as an array job on an existing engine (issue 14): a Slurm sbatch
// script, a Kubernetes Indexed Job, an AWS Batch job definition — each with the merge step. Every
// array task runs `synergy sweep … --shard auto --resume --out <part-{i}>`: a retried or requeued task
// finishes (or rewrites) its own part with the same bytes, because rows are a pure function of
// (spec, seed, cell) (§D4); `synergy merge` then writes the file one process would have written.

export type ClusterEngine = 'slurm' | 'kubernetes' | 'batch';

export interface ClusterJobOptions {
  engine: ClusterEngine;
  /** The sweep's flags without --out, --shard, --shard-count, --resume (e.g. ['--b', '5', '--axis', 'rho=0:0.5:11']). */
  sweepArgs: readonly string[];
  /** The merged output file the user asked for (relative to the shared directory). */
  out: string;
  shards: number;
  jobName: string;
  cpus: number;
  /** Slurm --time (e.g. 04:00:00); Kubernetes activeDeadlineSeconds and Batch timeout come from it too. */
  time: string;
  /** Container image with `synergy` on its PATH (Kubernetes, Batch). */
  image: string;
  /** Kubernetes PersistentVolumeClaim, or AWS EFS file system id, mounted at /data (shared by all tasks). */
  volume: string;
}

export interface ClusterJob {
  /** File name → content. */
  files: Record<string, string>;
  /** Shell commands to submit the job and merge its parts, in order. */
  steps: string[];
}

/** `results.csv` → `results.part-{i}.csv` (the `{i}` becomes each task's shard index). */
export function partPath(out: string): string {
  const dot = out.lastIndexOf('.');
  const slash = out.lastIndexOf('/');
  return dot > slash ? `${out.slice(0, dot)}.part-{i}${out.slice(dot)}` : `${out}.part-{i}`;
}

/** A shell word: quoted only when it needs to be. */
export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_./:=,+@%-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}

/** Seconds in a Slurm time string ([days-]hours:minutes:seconds, minutes, minutes:seconds). */
export function timeSeconds(time: string): number {
  const m = /^(?:(\d+)-)?(\d+)(?::(\d+))?(?::(\d+))?$/.exec(time);
  if (!m) return NaN;
  const [days, a, b, c] = [m[1], m[2], m[3], m[4]].map((x) => (x === undefined ? undefined : Number(x)));
  if (days !== undefined) return days * 86400 + a! * 3600 + (b ?? 0) * 60 + (c ?? 0);
  if (c !== undefined) return a! * 3600 + b! * 60 + c;
  if (b !== undefined) return a! * 60 + b;
  return a! * 60;
}

function sweepCommand(o: ClusterJobOptions, extra: readonly string[], dir = ''): string[] {
  const workers = o.sweepArgs.includes('--workers') ? [] : ['--workers', String(o.cpus)];
  return ['synergy', 'sweep', ...o.sweepArgs, ...workers, '--shard', 'auto', ...extra, '--resume', '--out', dir + partPath(o.out)];
}

function mergeCommand(o: ClusterJobOptions, dir: string): string {
  // The glob matches the parts only (their .meta.json files end differently); merge orders them itself.
  const glob = partPath(o.out).replace('{i}', '*');
  return `synergy merge ${dir}${glob} --out ${dir}${shellQuote(o.out)}`;
}

function slurm(o: ClusterJobOptions): ClusterJob {
  const header = (lines: string[]) => ['#!/bin/bash', `#SBATCH --job-name=${o.jobName}`, ...lines, '#SBATCH --output=%x-%A_%a.log', '#SBATCH --open-mode=append', 'set -euo pipefail', ''];
  const sweepScript = [
    ...header([`#SBATCH --array=1-${o.shards}`, `#SBATCH --cpus-per-task=${o.cpus}`, `#SBATCH --time=${o.time}`, '#SBATCH --requeue']),
    '# Array task i computes the i-th contiguous part of the cells. At the time limit, on preemption or',
    '# scancel, synergy keeps the finished rows and exits 143; a requeued or rerun task resumes its part.',
    `srun ${sweepCommand(o, []).map(shellQuote).join(' ')}`,
    '',
  ].join('\n');
  const mergeScript = [
    '#!/bin/bash', `#SBATCH --job-name=${o.jobName}-merge`, '#SBATCH --cpus-per-task=1', `#SBATCH --time=${o.time}`, '#SBATCH --output=%x-%j.log', 'set -euo pipefail', '',
    '# Runs after every array task succeeded (submit with --dependency=afterok:<array job id>).',
    mergeCommand(o, ''),
    '',
  ].join('\n');
  return {
    files: { [`${o.jobName}.sbatch`]: sweepScript, [`${o.jobName}-merge.sbatch`]: mergeScript },
    steps: [
      `jobid=$(sbatch --parsable ${o.jobName}.sbatch)`,
      `sbatch --dependency=afterok:$jobid ${o.jobName}-merge.sbatch`,
      `# a failed task i: scontrol requeue "\${jobid}_<i>" (it resumes its part), then submit the merge again`,
    ],
  };
}

/** YAML double-quoted scalars accept JSON string syntax. */
const y = (s: string) => JSON.stringify(s);

function kubernetes(o: ClusterJobOptions): ClusterJob {
  const seconds = timeSeconds(o.time);
  const pod = (command: string[], cpus: number) => [
    '      restartPolicy: Never',
    '      containers:',
    '        - name: synergy',
    `          image: ${y(o.image)}`,
    '          workingDir: /data',
    `          command: [${command.map(y).join(', ')}]`,
    '          resources:',
    `            requests: { cpu: ${y(String(cpus))} }`,
    `            limits: { cpu: ${y(String(cpus))} }`,
    '          volumeMounts:',
    '            - { name: results, mountPath: /data }',
    '      volumes:',
    `        - name: results`,
    `          persistentVolumeClaim: { claimName: ${y(o.volume)} }`,
  ];
  const sweepJob = [
    '# Indexed Job: pod k (JOB_COMPLETION_INDEX = k) computes part k + 1 of the cells. An evicted pod gets',
    '# SIGTERM, keeps its finished rows and exits 143; its retry resumes the part (--resume).',
    'apiVersion: batch/v1',
    'kind: Job',
    'metadata:',
    `  name: ${y(o.jobName)}`,
    'spec:',
    '  completionMode: Indexed',
    `  completions: ${o.shards}`,
    `  parallelism: ${o.shards}`,
    '  backoffLimitPerIndex: 3',
    `  maxFailedIndexes: ${o.shards}`,
    `  activeDeadlineSeconds: ${seconds}`,
    '  template:',
    '    spec:',
    ...pod(sweepCommand(o, ['--shard-count', String(o.shards)]), o.cpus),
    '',
  ].join('\n');
  const mergeJob = [
    '# Apply after the array job completed: merges the parts into the one-process file.',
    'apiVersion: batch/v1',
    'kind: Job',
    'metadata:',
    `  name: ${y(`${o.jobName}-merge`)}`,
    'spec:',
    '  backoffLimit: 3',
    '  template:',
    '    spec:',
    ...pod(['sh', '-c', mergeCommand(o, '')], 1),
    '',
  ].join('\n');
  return {
    files: { [`${o.jobName}.yaml`]: sweepJob, [`${o.jobName}-merge.yaml`]: mergeJob },
    steps: [
      `kubectl apply -f ${o.jobName}.yaml`,
      `kubectl wait --for=condition=complete --timeout=${seconds}s job/${o.jobName}`,
      `kubectl apply -f ${o.jobName}-merge.yaml`,
    ],
  };
}

function batch(o: ClusterJobOptions): ClusterJob {
  const definition = {
    jobDefinitionName: o.jobName,
    type: 'container',
    platformCapabilities: ['EC2'],
    // A task stopped by a Spot reclaim or a failed host is retried and resumes its part.
    retryStrategy: { attempts: 3 },
    timeout: { attemptDurationSeconds: timeSeconds(o.time) },
    containerProperties: {
      image: o.image,
      // Batch has no working-directory field: the parts go under /data by absolute path.
      command: sweepCommand(o, ['--shard-count', String(o.shards)], '/data/'),
      resourceRequirements: [{ type: 'VCPU', value: String(o.cpus) }, { type: 'MEMORY', value: String(1024 * o.cpus) }],
      environment: [],
      volumes: [{ name: 'results', efsVolumeConfiguration: { fileSystemId: o.volume, rootDirectory: '/' } }],
      mountPoints: [{ sourceVolume: 'results', containerPath: '/data', readOnly: false }],
    },
  };
  const mergeOverride = JSON.stringify({ command: ['sh', '-c', mergeCommand(o, '/data/')], resourceRequirements: [{ type: 'VCPU', value: '1' }] });
  return {
    files: { [`${o.jobName}.json`]: JSON.stringify(definition, null, 2) + '\n' },
    steps: [
      `aws batch register-job-definition --cli-input-json file://${o.jobName}.json`,
      `jobid=$(aws batch submit-job --job-name ${o.jobName} --job-queue "$QUEUE" --job-definition ${o.jobName} --array-properties size=${o.shards} --query jobId --output text)`,
      `aws batch submit-job --job-name ${o.jobName}-merge --job-queue "$QUEUE" --job-definition ${o.jobName} --depends-on jobId=$jobid --container-overrides ${shellQuote(mergeOverride)}`,
    ],
  };
}

/** The job files and the commands that submit them and merge the parts. */
export function clusterJob(o: ClusterJobOptions): ClusterJob {
  return o.engine === 'slurm' ? slurm(o) : o.engine === 'kubernetes' ? kubernetes(o) : batch(o);
}
