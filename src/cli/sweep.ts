// `synergy sweep` (a grid to NDJSON, CSV or JSON, with a plot, shards and resume) and `synergy merge`.
// Output rows are a pure function of (spec, seed, cell), written in cell order, so a resumed run and
// merged shards are byte-identical to one uninterrupted run.
import { existsSync } from 'node:fs';
import { open, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { constants as osConstants } from 'node:os';
import { extname } from 'node:path';
import { Command, Option } from 'commander';
import { InvalidParameterError } from '../errors.ts';
import { criticalGamma } from '../theory/level.ts';
import { sweep } from '../node.ts';
import type { SweepCell, SweepSpec } from '../sweep/index.ts';
import type { ResolvedSweep } from '../sweep/spec.ts';
import { arrayShard, shardPath } from '../sweep/cluster.ts';
import { isNullValue, ParquetFileWriter, ParquetRowWriter } from '../sweep/parquet.ts';
import { blockBytes, blockColumns } from './rows.ts';
import { extendedColumns, isExtended, ROW_WORDS, textValue } from './sweepColumns.ts';
import { distractorVector, parseAggregator, parseAnswers, parseDistractor } from './designFlags.ts';
import { skillFromAccuracy, type Answers } from '../theory/model.ts';
import { checkQueueFlags, queuedSweep, type QueuedSweep } from './queueSweep.ts';
import { checkWritableFile } from './files.ts';
import { mergeShards, OutputWriteError } from './mergeShards.ts';
import { lockOutput } from './outputLock.ts';
import { MAX_LINE, scanForResume, streamLines } from './rowFile.ts';
import { type AxisFlag, parseAxis, parseFidelity, parseInteger, parseNumber, parseShard } from './options.ts';
import { phaseDiagram, seriesPlot, writeFigure, type SeriesPoint } from './plot.ts';
import { progressReporter } from './progress.ts';
import { resolveSweepSpec } from '../sweep/spec.ts';
import { DEFAULT_SEED } from '../simulate/index.ts';
import { checkPlan, count, describePlan, estimateSeconds, MAX_UNCONFIRMED_OUTPUT_BYTES, MAX_UNCONFIRMED_SECONDS, sweepPlan } from './workPlan.ts';
import { parseMode, parseVariant } from './simulate.ts';

export type OutputFormat = 'ndjson' | 'csv' | 'json';

/**
 * Why Parquet is not written in parts: its footer indexes the whole file, so it is written once at
 * the end — an interrupted run leaves nothing to resume, and shards are merged from CSV/NDJSON.
 */
const PARQUET_WHOLE = 'a .csv or .ndjson file: a Parquet file is written whole at the end (its footer indexes every row group), so it cannot be resumed or used as a shard — write CSV/NDJSON shards and `synergy merge … --out file.parquet`';

/**
 * A sweep stopped by SIGINT or SIGTERM (what Slurm and Kubernetes send at a time limit or eviction)
 * after leaving a valid output file; the command exits with 128 + the signal's number (130, 143).
 */
export class InterruptedError extends Error {
  readonly exitCode: number;
  constructor(message: string, signal: 'SIGINT' | 'SIGTERM' = 'SIGINT') {
    super(message);
    this.name = 'InterruptedError';
    this.exitCode = 128 + osConstants.signals[signal];
  }
}

export function formatOf(path: string): OutputFormat;
export function formatOf(path: string, parquet: true): OutputFormat | 'parquet';
export function formatOf(path: string, parquet = false): OutputFormat | 'parquet' {
  const ext = extname(path).toLowerCase();
  if (parquet && ext === '.parquet') return 'parquet';
  if (ext === '.ndjson' || ext === '.jsonl') return 'ndjson';
  if (ext === '.csv') return 'csv';
  if (ext === '.json') return 'json';
  throw new InvalidParameterError('--out', `a file ending in .ndjson, .csv or .json${parquet ? ' or .parquet' : ''}`, path);
}

/** The columns of a row, in order; which appear depends on what the sweep computes. */
export function columns(spec: SweepSpec): string[] {
  if (isExtended(spec)) return extendedColumns(spec);
  const cols = ['cell', 'b', 'gamma'];
  if (spec.m !== undefined) cols.push('m');
  cols.push('rho', 'u0', 'depth');
  const compute = spec.compute ?? 'theory';
  // trend (§B9): 'falling' where u_0 > u*, so the clipped û_L beside it is a lower bound, not an upper envelope.
  if (compute !== 'montecarlo') cols.push('alpha', 's', 'uStar', 'mixingDepth', 'mixingDepthSmallSignal', 'uL', 'clipped', 'trend');
  if (compute !== 'theory') cols.push('trials', 'correct', 'accuracy', 'bias', 'stdError');
  return cols;
}

/** A cell's row values by column (the per-cell path; words for answers 'open', regime and trend). */
export function rowValues(cell: SweepCell, cols: readonly string[]): (number | string | null)[] {
  const flat = { ...cell, ...cell.theory, ...cell.montecarlo } as unknown as Record<string, number | string | undefined>;
  return cols.map((c) => {
    const raw = flat[c === 'skillL' ? 'uL' : c];
    const v = typeof raw === 'number' ? textValue(c, raw) : raw;
    return v === undefined || (typeof v === 'number' && isNullValue(v)) ? null : v;
  });
}

/** One serialised row (without separators); NaN and ±∞ become null (JSON) or empty (CSV). */
export function formatRow(format: OutputFormat, cols: readonly string[], values: readonly (number | string | null)[]): string {
  if (format === 'csv') return values.map((v) => (v === null ? '' : String(v))).join(',');
  const record: Record<string, number | string | null> = {};
  cols.forEach((c, i) => (record[c] = values[i]));
  return JSON.stringify(record);
}

export const HEAD = { ndjson: () => '', csv: (cols: readonly string[]) => cols.join(',') + '\n', json: () => '[\n' };
export const TAIL = { ndjson: '', csv: '', json: '\n]\n' };
export const SEP = { ndjson: '\n', csv: '\n', json: ',\n' };

export interface SweepFlags {
  axis?: string[];
  b?: string; gamma?: string; m?: string; fidelity?: string; rho?: string; u0?: string; p0?: string; depth?: string; trials?: string;
  answers?: string; distractor?: string; aggregator?: string; rhoTask?: string; dispersion?: string;
  compute?: string; mode: string; variant: string; seed: string; workers?: string;
  out?: string; format?: 'ndjson' | 'csv'; plot?: string; plotField: string; shard?: string; shardCount?: string; resume?: boolean; json?: boolean; yes?: boolean; queue?: string;
}

/** Builds the sweep spec from fixed flags and --axis flags (an axis overrides nothing: give each once). */
export function sweepSpec(f: SweepFlags): SweepSpec {
  const axes = new Map<string, AxisFlag['values']>();
  let answersAxis: Answers[] | undefined;
  for (const text of f.axis ?? []) {
    // answers takes words ('open'), so it is parsed here rather than as a numeric axis (§H1).
    if (text.startsWith('answers=')) {
      if (answersAxis !== undefined || f.answers !== undefined) throw new InvalidParameterError('--axis answers', 'given once (as --answers or as an --axis, not both)', text);
      answersAxis = text.slice('answers='.length).split(',').map((v) => {
        try {
          return parseAnswers(v.trim());
        } catch {
          throw new InvalidParameterError('--axis answers', 'a list of integers K ≥ 2 and open, e.g. answers=2,3,5,10,open', text);
        }
      });
      continue;
    }
    const a = parseAxis(text);
    const name = a.name === 'rho_task' ? 'rhoTask' : a.name;
    if (axes.has(name) || (f as unknown as Record<string, unknown>)[name] !== undefined) {
      throw new InvalidParameterError(`--axis ${a.name}`, 'given once (as a plain flag or as an --axis, not both)', text);
    }
    axes.set(name, a.values);
  }
  const value = (name: 'b' | 'gamma' | 'm' | 'rho' | 'u0' | 'p0' | 'depth' | 'trials' | 'rhoTask' | 'dispersion') => {
    const flag = f[name];
    if (flag !== undefined) return [parseNumber(name === 'rhoTask' ? 'rho-task' : name, flag)];
    return axes.get(name);
  };
  const answers = answersAxis ?? (f.answers === undefined ? undefined : [parseAnswers(f.answers)]);
  let u0 = value('u0');
  const p0 = value('p0');
  if (u0 !== undefined && p0 !== undefined) throw new InvalidParameterError('--p0', 'absent when --u0 is given', 'both');
  if (p0 !== undefined) {
    // One accuracy is a different skill for each K: --p0 needs a single K (§H1, s = (p − p_c)/(1 − p_c)).
    if (answers !== undefined && answers.length > 1) throw new InvalidParameterError('--p0', 'absent with an answers axis (one accuracy is a different skill per K): give --u0, the leaf skill', 'an axis');
    const k = answers?.[0] ?? 2;
    const toState = (p: number) => (k === 2 ? 2 * p - 1 : skillFromAccuracy(p, k));
    u0 = Array.isArray(p0) ? p0.map(toState) : { start: toState(p0.start), stop: toState(p0.stop), count: p0.count };
  }
  const trials = value('trials');
  const compute = (f.compute ?? (trials !== undefined ? 'both' : 'theory')) as SweepSpec['compute'];
  // Flags that would do nothing are usage errors (issue 16), not silently ignored.
  if (compute === 'theory' && trials !== undefined) throw new InvalidParameterError(f.trials !== undefined ? '--trials' : '--axis trials', 'absent with --compute theory (theory runs no trials)', f.trials ?? 'an axis');
  if (f.fidelity !== undefined && value('m') === undefined) throw new InvalidParameterError('--fidelity', 'only with --m or --axis m (γ = fidelity(m)); absent with --gamma', f.fidelity);
  const spec: Record<string, unknown> = { b: value('b'), rho: value('rho'), u0, depth: value('depth'), compute };
  // The extended model (§H1, §H7, §I1): present only when asked for, so binary sweeps keep their rows.
  if (answers !== undefined) spec.answers = answers.length === 1 ? answers[0] : answers;
  if (f.distractor !== undefined) {
    // a probability vector goes to the spec as is: it checks length K − 1, entries ≥ 0, sum 1 and --compute montecarlo
    const vector = distractorVector(f.distractor);
    const delta = vector === null ? parseDistractor(f.distractor) : null;
    spec.distractors = vector ?? (delta === null ? 'symmetric' : { dominant: delta });
  }
  if (f.aggregator !== undefined) spec.aggregator = parseAggregator(f.aggregator);
  spec.rhoTask = value('rhoTask');
  spec.dispersion = value('dispersion');
  const gamma = value('gamma');
  const m = value('m');
  if (m !== undefined) {
    spec.m = m;
    if (f.fidelity !== undefined) spec.fidelity = parseFidelity(f.fidelity);
  } else spec.gamma = gamma;
  if (compute !== 'theory') {
    spec.trials = trials;
    spec.mode = parseMode(f.mode);
    spec.variant = parseVariant(f.variant);
  }
  for (const [key, v] of Object.entries(spec)) if (v === undefined) delete spec[key];
  for (const required of ['b', 'rho', 'u0', 'depth']) {
    if (spec[required] === undefined) throw new InvalidParameterError(`--${required}`, `a value (--${required} x) or an axis (--axis ${required}=…)`, undefined);
  }
  if (spec.gamma === undefined && spec.m === undefined) throw new InvalidParameterError('--gamma', 'a value or an axis (or --m with --fidelity)', undefined);
  return spec as unknown as SweepSpec;
}

/** Spec fields whose flag is spelled differently (the rest are --name or --axis name). */
const FLAG_OF: Record<string, [flag: string, axis: string]> = {
  rhoTask: ['--rho-task', '--axis rho_task'], answers: ['--answers', '--axis answers'],
  distractors: ['--distractor', '--distractor'], aggregator: ['--aggregator', '--aggregator'],
};

/** A library error re-raised naming the flag (or --axis) that set the value. */
function asFlagError(f: SweepFlags, error: InvalidParameterError): InvalidParameterError {
  const name = error.parameter.replace(/[[. (].*$/, '');
  const [flagName, axisName] = FLAG_OF[name] ?? [`--${name}`, `--axis ${name}`];
  const given = (f as unknown as Record<string, unknown>)[name === 'distractors' ? 'distractor' : name] !== undefined;
  const flag = given || flagName === axisName ? flagName : `${axisName}${error.parameter.slice(name.length)}`;
  return new InvalidParameterError(flag, error.allowed, error.value);
}

/** The number of cells; validates the whole spec first, errors naming the flag that set the value. */
export function sweepCells(f: SweepFlags, spec: SweepSpec, seed: number): number {
  try {
    return sweep(spec, { seed }).cells;
  } catch (error) {
    if (!(error instanceof InvalidParameterError)) throw error;
    throw asFlagError(f, error);
  }
}

/** The cells of shard i of N: [⌊(i−1)·C/N⌋, ⌊i·C/N⌋). */
export function shardRange(cells: number, shard: { index: number; count: number } | undefined): { start: number; end: number } {
  if (!shard) return { start: 0, end: cells };
  return { start: Math.floor(((shard.index - 1) * cells) / shard.count), end: Math.floor((shard.index * cells) / shard.count) };
}

/**
 * SIGINT and SIGTERM (what Slurm and Kubernetes send at a time limit or eviction) abort the run the
 * same way: finished rows are kept. `stoppedBy` says which one came (the exit status differs).
 */
function stopOnSignals(): { signal: AbortSignal; stoppedBy: () => 'SIGINT' | 'SIGTERM'; remove: () => void } {
  const controller = new AbortController();
  let by: 'SIGINT' | 'SIGTERM' = 'SIGINT';
  const onSigint = () => controller.abort();
  const onSigterm = () => {
    by = 'SIGTERM';
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigterm);
  return {
    signal: controller.signal,
    stoppedBy: () => by,
    remove: () => {
      process.off('SIGINT', onSigint);
      process.off('SIGTERM', onSigterm);
    },
  };
}

async function runSweep(f: SweepFlags): Promise<void> {
  if (f.out === undefined) throw new InvalidParameterError('--out', 'an output file ending in .ndjson, .csv, .json or .parquet', undefined);
  if (f.out === '-') {
    if (f.format === undefined) throw new InvalidParameterError('--format', 'ndjson or csv with --out - (standard output)', undefined);
    for (const [flag, given] of [['--resume', f.resume], ['--plot', f.plot], ['--json', f.json]] as const) {
      if (given !== undefined) throw new InvalidParameterError(flag, 'absent with --out - (standard output cannot be resumed, read back or shared with a summary)', given);
    }
  } else if (f.format !== undefined) throw new InvalidParameterError('--format', 'given only with --out - (a file\'s format comes from its extension)', f.format);
  else if (formatOf(f.out, true) === 'parquet') return runParquet(f);
  const format = f.out === '-' ? f.format! : formatOf(f.out);
  const spec = sweepSpec(f);
  const seed = parseInteger('seed', f.seed, 0);
  const workers = f.workers === undefined ? undefined : parseInteger('workers', f.workers, 1);
  checkQueueFlags(f);
  const shardCount = f.shardCount === undefined ? undefined : parseInteger('shard-count', f.shardCount, 1);
  if (shardCount !== undefined && f.shard !== 'auto') throw new InvalidParameterError('--shard-count', 'given only with --shard auto', f.shardCount);
  const shard = f.shard === undefined ? undefined : f.shard === 'auto' ? arrayShard(process.env, shardCount) : parseShard(f.shard);
  f.out = shardPath(f.out, shard);
  // Validate everything (spec included) before touching files; errors name the flag that set the value.
  let probe;
  try {
    probe = sweep(spec, { seed, workers });
  } catch (error) {
    if (!(error instanceof InvalidParameterError)) throw error;
    throw asFlagError(f, error);
  }
  const range = shardRange(probe.cells, shard);
  const cols = columns(spec);
  const plotField = defaultPlotField(cols, f.plotField);
  if (f.plot !== undefined) checkPlotFlags(probe.resolved, cols, plotField);
  if (f.out !== '-') await checkWritableFile('--out', f.out);
  if (f.plot !== undefined) await checkWritableFile('--plot', f.plot);
  // Guard rails (issue 15): say what will run and refuse what is too long or too large unless --yes.
  const plan = sweepPlan(resolveSweepSpec(spec), range, cols, format, workers);
  const seconds = estimateSeconds(plan);
  process.stderr.write(describePlan(plan, seconds, `${count(range.end - range.start)} cells`) + '\n');
  checkPlan(plan, seconds, !!f.yes);
  const meta = JSON.stringify({ spec, seed, range, format }) + '\n';
  const metaPath = `${f.out}.meta.json`;

  // One writer per output file (issue 16): a second sweep on the same --out is refused.
  const lock = f.out === '-' ? null : await lockOutput(f.out);
  // Installed before any write and kept until the file is closed: a second Ctrl-C (or one that
  // arrives while the tail is written) cannot kill the process mid-write.
  const stop = stopOnSignals();
  const write = async (h: Pick<Awaited<ReturnType<typeof open>>, 'write'>, text: string | Uint8Array) => {
    try {
      await (typeof text === 'string' ? h.write(text) : h.write(text));
    } catch (error) {
      throw new OutputWriteError(f.out!, error);
    }
  };
  let start = range.start;
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    if (f.out === '-') {
      // Standard output: no meta file (nothing to resume); writes wait for the pipe to drain.
      handle = {
        write: (text: string | Uint8Array) => new Promise<void>((resolve, reject) => process.stdout.write(text, (e) => (e ? reject(e) : resolve()))),
        close: async () => {},
      } as unknown as Awaited<ReturnType<typeof open>>;
      await write(handle, HEAD[format](cols));
    } else if (f.resume && existsSync(f.out)) {
      const previous = existsSync(metaPath) ? await readFile(metaPath, 'utf8') : '';
      if (previous !== meta) throw new InvalidParameterError('--resume', `the same sweep, seed and shard as the run that wrote ${f.out}`, f.out);
      const done = await scanForResume(f.out, format, cols, HEAD[format](cols), range, (cell) => probe.parameters(cell));
      start = range.start + done.rows;
      handle = await open(f.out, 'r+');
      await handle.truncate(done.keep);
      handle = await reopenAppend(handle, f.out);
    } else {
      // Old metadata goes first, new metadata last (atomically): killed in between, no metadata
      // claims the file, so --resume refuses instead of trusting another sweep's rows.
      await unlink(metaPath).catch((e: NodeJS.ErrnoException) => { if (e.code !== 'ENOENT') throw e; });
      handle = await open(f.out, 'w');
      await write(handle, HEAD[format](cols));
      await writeFile(`${metaPath}.partial`, meta);
      await rename(`${metaPath}.partial`, metaPath);
    }
  } catch (error) {
    stop.remove();
    await handle?.close();
    await lock?.release();
    throw error;
  }
  let written = start - range.start;
  // Rows as bytes (rows.ts), flushed in blocks of whole rows; `ending` closes the file validly.
  let buffer: Buffer[] = [];
  let buffered = 0;
  const ending = () => Buffer.concat([...buffer, Buffer.from((written > 0 && format !== 'json' ? '\n' : '') + TAIL[format])]);
  let queued: QueuedSweep | undefined;
  try {
    if (start < range.end) {
      queued = await queuedSweep(f, spec, seed);
      const run = sweep(spec, { seed, workers, signal: stop.signal, range: { start, end: range.end }, onProgress: progressReporter('sweep'), ...queued?.options });
      const rows = blockBytes(format === 'csv' ? 'csv' : 'ndjson', cols, run.resolved);
      for await (const block of run.blocks()) {
        // Valid until the next call: written now, or copied into the buffer.
        const bytes = rows(block, written === 0, SEP[format]);
        written += block.count;
        // Flush in blocks of whole rows, so an interruption leaves a valid, resumable file.
        if (buffered + bytes.length > 1 << 16) {
          if (buffer.length > 0) await write(handle, Buffer.concat(buffer));
          await write(handle, bytes);
          buffer = [];
          buffered = 0;
        } else {
          buffer.push(Buffer.from(bytes));
          buffered += bytes.length;
        }
      }
    }
    await write(handle, ending());
  } catch (error) {
    if ((error as Error).name === 'AbortError') {
      // Every row in the buffer is complete: keep them, close the file validly, and say how to finish.
      await write(handle, ending());
      await handle.close();
      throw new InterruptedError(`interrupted after ${written} of ${range.end - range.start} cells; ${f.out === '-' ? 'the rows written to standard output are whole' : `${f.out} is valid — rerun with --resume to finish it`}`, stop.stoppedBy());
    }
    await handle.close();
    throw error;
  } finally {
    // Once interrupted, later signals stay ignored until the process has exited (130 or 143).
    if (!stop.signal.aborted) stop.remove();
    await queued?.close();
    await lock?.release();
  }
  await handle.close();
  if (f.plot !== undefined) await writeFigure(f.plot, plotSweep(f.out, format, spec, plotField));
  if (f.json) process.stdout.write(JSON.stringify({ out: f.out, cells: written, range }) + '\n');
}

/** Extended rows (§H1) have skills, not biases: the default field uL means skillL there (skill when only simulated). */
function defaultPlotField(cols: readonly string[], field: string): string {
  if (field !== 'uL' || cols.includes('uL') || !cols.includes('skillStdError') && !cols.includes('skillL')) return field;
  return cols.includes('skillL') ? 'skillL' : 'skill';
}

/** --plot needs --plot-field among the columns and a swept axis (one: a line plot; two: a heatmap): checked before the sweep runs. */
function checkPlotFlags(r: ResolvedSweep, cols: readonly string[], field: string): void {
  if (!cols.includes(field)) throw new InvalidParameterError('--plot-field', `one of ${cols.join(', ')}`, field);
  const axes = PLOT_AXES.filter((a) => r[a] !== undefined && new Set<unknown>(r[a]).size > 1);
  if (axes.length < 1) throw new InvalidParameterError('--plot', 'a sweep with at least one swept axis (a line plot; two give a heatmap)', 'none');
}

/** A whole sweep to one Parquet file (typed columns; see src/sweep/parquet.ts). */
async function runParquet(f: SweepFlags): Promise<void> {
  const out = f.out!;
  if (f.resume) throw new InvalidParameterError('--out', PARQUET_WHOLE, out);
  if (f.shard !== undefined) throw new InvalidParameterError('--out', PARQUET_WHOLE, out);
  if (f.plot !== undefined) throw new InvalidParameterError('--plot', 'absent with a .parquet --out (plot from a .csv or .ndjson sweep)', f.plot);
  const spec = sweepSpec(f);
  const seed = parseInteger('seed', f.seed, 0);
  const workers = f.workers === undefined ? undefined : parseInteger('workers', f.workers, 1);
  checkQueueFlags(f);
  const cells = sweepCells(f, spec, seed);
  const cols = columns(spec);
  await checkWritableFile('--out', out);
  const stop = stopOnSignals();
  // Row groups stream from the blocks to the .partial file, renamed once the footer is written.
  let writer: ParquetFileWriter | undefined;
  let written = 0;
  let queued: QueuedSweep | undefined;
  try {
    queued = await queuedSweep(f, spec, seed);
    const run = sweep(spec, { seed, workers, signal: stop.signal, onProgress: progressReporter('sweep'), ...queued?.options });
    const values = blockColumns(cols, run.resolved);
    // A failed write (full disk) names the file, as the CSV/NDJSON writers do.
    const writeError = (error: unknown) => (error as { syscall?: string }).syscall === 'write' ? new OutputWriteError(out, error) : error;
    try {
      writer = new ParquetFileWriter(`${out}.partial`, cols);
      for await (const block of run.blocks()) {
        writer.append(values(block), block.count);
        written += block.count;
      }
      writer.close();
    } catch (error) {
      throw writeError(error);
    }
  } catch (error) {
    writer?.abort();
    await unlink(`${out}.partial`).catch(() => {});
    if ((error as Error).name === 'AbortError') throw new InterruptedError(`interrupted after ${written} of ${cells} cells; nothing written (${PARQUET_WHOLE.replace(/^a \.csv or \.ndjson file: /, '')})`, stop.stoppedBy());
    throw error;
  } finally {
    stop.remove();
    await queued?.close();
  }
  await rename(`${out}.partial`, out);
  if (f.json) process.stdout.write(JSON.stringify({ out, cells: written, range: { start: 0, end: cells } }) + '\n');
}

/**
 * `merge … --out file.parquet`: the shards are checked and merged by mergeShards into a CSV/NDJSON file
 * beside the output, which is then streamed line by line into Parquet row groups and removed (Parquet
 * shards are refused). Memory stays one row group whatever the size (issue 16, large outputs).
 */
async function mergeToParquet(files: string[], out: string): Promise<number> {
  if (files.length === 0) throw new InvalidParameterError('merge', 'at least one shard', undefined);
  await checkWritableFile('--out', out);
  const staged = `${out}.merge${extname(files[0])}`;
  try {
    const cells = await mergeShards(files, staged);
    await stagedToParquet(staged, formatOf(staged), `${out}.partial`);
    await rename(`${out}.partial`, out);
    return cells;
  } finally {
    await Promise.all([staged, `${staged}.meta.json`, `${out}.partial`].map((f) => unlink(f).catch(() => {})));
  }
}

/**
 * A merged CSV/NDJSON/JSON file (one row per line, checked by mergeShards) to Parquet, streamed: the
 * values are those readRows gives (csvCell, the records' fields), so the bytes equal the one-process file.
 */
async function stagedToParquet(path: string, format: OutputFormat, out: string): Promise<void> {
  let writer: ParquetRowWriter | undefined;
  let cols: string[] | undefined;
  try {
    for await (const [line] of streamLines(path, (n) => new Error(`${path}: line ${n} is longer than ${MAX_LINE} bytes`))) {
      if (line === '' || (format === 'json' && (line === '[' || line === ']'))) continue;
      if (format === 'csv') {
        if (cols === undefined) {
          cols = line.split(',');
          continue;
        }
        writer ??= new ParquetRowWriter(out, cols);
        writer.push(line.split(',').map(csvCell));
      } else {
        const record = JSON.parse(format === 'json' && line.endsWith(',') ? line.slice(0, -1) : line) as Record<string, number | string | null>;
        cols ??= Object.keys(record);
        writer ??= new ParquetRowWriter(out, cols);
        writer.push(cols.map((c) => record[c]));
      }
    }
    writer ??= new ParquetRowWriter(out, cols ?? []);
    writer.close();
  } catch (error) {
    writer?.abort();
    // A failed write (full disk) names the file, as the other writers do.
    throw (error as { syscall?: string }).syscall === 'write' ? new OutputWriteError(out, error) : error;
  }
}

/** A CSV cell's value: empty is null; words of extended sweeps (answers 'open', regime, trend) stay words, typed loosely as cells. */
function csvCell(v: string): number | null {
  return v === '' ? null : ROW_WORDS.has(v) ? v as unknown as number : Number(v);
}

/** fs handles opened 'r+' write at their position; reopen in append mode after truncating. */
async function reopenAppend(handle: Awaited<ReturnType<typeof open>>, path: string) {
  await handle.close();
  return open(path, 'a');
}

/** Reads a finished output file back as records, whole (plots need every row; merge streams instead). */
export async function readRows(path: string, format: OutputFormat): Promise<{ cols: string[]; rows: (number | null)[][] }> {
  const text = await readFile(path, 'utf8');
  if (format === 'csv') {
    const [header, ...lines] = text.split('\n').filter((l) => l.length > 0);
    const cols = header.split(',');
    return { cols, rows: lines.map((l) => l.split(',').map(csvCell)) };
  }
  const records: Record<string, number | null>[] = format === 'json' ? JSON.parse(text) : text.split('\n').filter((l) => l).map((l) => JSON.parse(l));
  const cols = records.length > 0 ? Object.keys(records[0]) : [];
  return { cols, rows: records.map((r) => cols.map((c) => r[c])) };
}

const AXIS_LABELS: Record<string, string> = {
  rho: 'shared-failure correlation ρ', gamma: 'message fidelity γ', m: 'message length m (tokens)', u0: 'leaf bias u₀', b: 'fan-in b', depth: 'depth L',
  answers: 'number of answers K', rhoTask: 'task-level correlation ρ_task', dispersion: 'task difficulty dispersion φ',
};

/** Swept axes a figure can use, in the order the first two are taken (answers last: 'open' is no number). */
const PLOT_AXES = ['rho', 'gamma', 'm', 'rhoTask', 'dispersion', 'u0', 'b', 'depth', 'answers'] as const;
/** Parameter columns: the fixed ones are named in a figure's title. */
const PARAMETER_COLUMNS = ['answers', 'b', 'gamma', 'm', 'rho', 'rhoTask', 'dispersion', 'u0', 'depth', 'trials'];

/** Axis and value titles: in an extended sweep (skillL column) u0 is the leaf skill s₀ (§H1), not a bias. */
function plotLabel(cols: readonly string[], c: string): string {
  const extended = cols.includes('skillL') || cols.includes('skill');
  if (c === 'u0' && extended) return 'leaf skill s₀';
  return AXIS_LABELS[c] ?? FIELD_LABELS[c] ?? c;
}

const FIELD_LABELS: Record<string, string> = {
  uL: 'root bias u_L', skillL: 'root skill s_L', accuracyL: 'root accuracy p_L',
  skill: 'simulated root skill', accuracy: 'simulated root accuracy', bias: 'simulated root bias',
};

/** Each value's cell [lo, hi): halfway to its neighbours (so uneven axes tile without overlap). */
function edges(values: readonly number[]): Map<number, [number, number]> {
  const out = new Map<number, [number, number]>();
  values.forEach((v, i) => {
    const lo = i > 0 ? (values[i - 1] + v) / 2 : values.length > 1 ? v - (values[1] - v) / 2 : v - 0.5;
    const hi = i + 1 < values.length ? (v + values[i + 1]) / 2 : values.length > 1 ? v + (v - values[i - 1]) / 2 : v + 0.5;
    out.set(v, [lo, hi]);
  });
  return out;
}

/** The phase diagram of one field over the first two swept axes (others at their first value). */
async function plotSweep(path: string, format: OutputFormat, spec: SweepSpec, field: string): Promise<string> {
  const { cols, rows } = await readRows(path, format);
  const fi = cols.indexOf(field);
  if (fi < 0) throw new InvalidParameterError('--plot-field', `one of ${cols.join(', ')}`, field);
  const swept = PLOT_AXES.filter((c) => cols.includes(c) && new Set(rows.map((r) => r[cols.indexOf(c)])).size > 1);
  if (swept.length === 0) throw new InvalidParameterError('--plot', 'a sweep with at least one swept axis (a line plot needs x)', 'no swept axis');
  if (swept.length === 1) return lineSweep(cols, rows, swept[0], field);
  // A heatmap needs numeric axes: answers (with 'open') stays a fixed parameter unless nothing else is swept twice.
  const axisCols = swept.length > 2 ? swept.filter((c) => c !== 'answers') : swept;
  const [xName, yName] = axisCols;
  if (rows.some((r) => typeof r[cols.indexOf(xName)] !== 'number' || typeof r[cols.indexOf(yName)] !== 'number')) {
    throw new InvalidParameterError('--plot', 'numeric heatmap axes (an answers axis with open plots as a line: sweep it alone)', `${xName} × ${yName}`);
  }
  const xi = cols.indexOf(xName);
  const yi = cols.indexOf(yName);
  const others = cols.filter((c) => PARAMETER_COLUMNS.includes(c) && c !== xName && c !== yName);
  const first = rows[0];
  const slice = rows.filter((r) => others.every((c) => r[cols.indexOf(c)] === first[cols.indexOf(c)]));
  const xs = [...new Set(slice.map((r) => r[xi]!))].sort((a, b) => a - b);
  const ys = [...new Set(slice.map((r) => r[yi]!))].sort((a, b) => a - b);
  // At most 200 × 200 rectangles: a figure, not a data dump.
  const keptX = xs.filter((_, i) => i % Math.ceil(xs.length / 200) === 0);
  const keptY = ys.filter((_, i) => i % Math.ceil(ys.length / 200) === 0);
  const xEdges = edges(keptX);
  const yEdges = edges(keptY);
  const cells = slice.filter((r) => xEdges.has(r[xi]!) && yEdges.has(r[yi]!)).map((r) => {
    const [x, x2] = xEdges.get(r[xi]!)!;
    const [y, y2] = yEdges.get(r[yi]!)!;
    return { x, x2, y, y2, value: r[fi] ?? NaN };
  });
  const b = first[cols.indexOf('b')]!;
  // The critical line α_ρ = 1 where it is a curve in these axes: γ_c(ρ) over the (ρ, γ) plane.
  const criticalLine = xName === 'rho' && yName === 'gamma' ? keptX.map((x) => ({ x, y: criticalGamma(b, x) })) : [];
  const fixed = others.map((c) => `${c} = ${first[cols.indexOf(c)]}`).join(', ');
  const label = (c: string) => plotLabel(cols, c);
  return phaseDiagram({
    title: `${field}${fixed ? ` at ${fixed}` : ''}`, cells, xTitle: label(xName), yTitle: label(yName), valueTitle: cols.includes('uL') ? field : label(field), // binary legend kept (golden SVG)
    criticalLine,
  });
}

/**
 * A sweep over one axis: the field as a line against it. Simulated fields get ±2σ error bars
 * (stdError is the standard error of the bias, half of it that of the accuracy); the exact uL gets
 * the simulated bias beside it when the sweep has both.
 */
function lineSweep(cols: readonly string[], rows: readonly (number | null)[][], xName: string, field: string): Promise<string> {
  const at = (r: readonly (number | null)[], c: string) => r[cols.indexOf(c)];
  const points: SeriesPoint[] = [];
  // Binary rows: stdError is that of the bias (half of it for the accuracy); extended rows (§H1)
  // carry accuracyStdError and skillStdError, and the exact skillL gets the simulated skill beside it.
  const extended = cols.includes('skillStdError');
  const simulatedErr: Record<string, [string, number]> = extended
    ? { accuracy: ['accuracyStdError', 1], skill: ['skillStdError', 1] }
    : cols.includes('stdError') ? { bias: ['stdError', 1], accuracy: ['stdError', 0.5] } : {};
  const beside: Record<string, string> = extended ? { skillL: 'skill', accuracyL: 'accuracy' } : { uL: 'bias' };
  // 'open' answers (K = ∞) have no place on a numeric K axis: they are left out and the title says so.
  const numericX = rows.filter((r) => typeof at(r, xName) === 'number');
  const openLeftOut = numericX.length < rows.length;
  for (const r of numericX) {
    const x = at(r, xName)!;
    const y = at(r, field);
    if (y === null || y === undefined) continue;
    const err = simulatedErr[field];
    points.push(err ? { x, y, series: `${field} (simulated, ±2σ)`, err: err[1] * at(r, err[0])! } : { x, y, series: field });
    const sim = beside[field];
    const simErr = sim ? simulatedErr[sim] : undefined;
    if (sim && simErr && at(r, sim) !== null && at(r, sim) !== undefined) points.push({ x, y: at(r, sim)!, series: `${sim} (simulated, ±2σ)`, err: simErr[1] * at(r, simErr[0])! });
  }
  if (points.length === 0) throw new InvalidParameterError('--plot-field', 'a field with values in this sweep', field);
  const fixed = PARAMETER_COLUMNS.filter((c) => c !== xName && cols.includes(c)).map((c) => `${c} = ${at(rows[0], c)}`).join(', ');
  return seriesPlot({
    title: `${plotLabel(cols, field)}${fixed ? ` at ${fixed}` : ''}${openLeftOut ? ' (open answers not drawn)' : ''}`, points,
    xTitle: plotLabel(cols, xName), yTitle: plotLabel(cols, field),
    integerX: ['b', 'depth', 'm', 'answers'].includes(xName),
  });
}

/** The flags of `synergy sweep` (shared with `synergy cluster`, which checks a sweep command with them). */
export function sweepOptions(cmd: Command): Command {
  return cmd
    .option('--axis <name=start:stop:count | name=v1,v2,…>', 'a swept parameter (repeatable): answers (K list, open allowed), b, gamma, m, rho, rho_task, dispersion, u0, p0, depth, trials', (v: string, prev: string[] = []) => [...prev, v])
    .option('--answers <K|open>', 'number of answers K ≥ 2 or open (§H1); u0 is then the leaf skill s_0')
    .option('--distractor <profile>', 'symmetric, dominant:δ or p1,…,p(K−1) (§H1; dominant is Monte Carlo only for K ≠ 2, a vector needs --compute montecarlo)')
    .option('--aggregator <rule>', 'plurality or judge:v (§H7)')
    .option('--rho-task <ρ_task>', 'organization-wide shared failure (§I1; Monte Carlo only for K = 2 with plurality)')
    .option('--dispersion <φ>', 'task difficulty: leaf accuracy per task ~ Beta with mean p_0 = p_c + (1 − p_c)·u0 and dispersion φ in [0, 1) (§I2; Monte Carlo only for K = 2 with plurality)')
    .option('--b <b>', 'fixed fan-in').option('--gamma <γ>', 'fixed fidelity').option('--m <tokens>', 'fixed message length (with --fidelity)')
    .option('--fidelity <curve>', 'fidelity curve for m').option('--rho <ρ>', 'fixed ρ').option('--u0 <u>', 'fixed leaf bias')
    .option('--p0 <p>', 'fixed leaf accuracy').option('--depth <L>', 'fixed depth').option('--trials <n>', 'Monte Carlo trials per cell (turns simulation on)')
    .addOption(new Option('--compute <what>', 'theory, montecarlo or both').choices(['theory', 'montecarlo', 'both']))
    .option('--mode <mode>', 'full or levels (Monte Carlo)', 'full')
    .option('--variant <v>', 'standard | channelAfterCopy | heterogeneous:betaA,betaB', 'standard')
    .option('--seed <n>', 'master seed (§D4)', String(DEFAULT_SEED))
    .option('--workers <n>', 'worker threads (default: all cores)')
    .option('--out <file>', 'output file: .ndjson, .csv, .json or .parquet (typed columns; not resumable); - for standard output (with --format)')
    .addOption(new Option('--format <format>', 'with --out -: the format written to standard output').choices(['ndjson', 'csv']))
    .option('--plot <file.svg|file.png>', 'figure of --plot-field: a heatmap over the first two swept axes, or a line plot (±2σ bars when simulated) over a single swept axis')
    .option('--plot-field <field>', 'field to plot (uL; skillL in a sweep with answers, rho_task …)', 'uL')
    .option('--shard <i/N | auto>', 'compute only the i-th of N contiguous parts of the cells; auto: from the array job (Slurm, Kubernetes Indexed Job, AWS Batch); {i} in --out becomes i')
    .option('--shard-count <N>', 'with --shard auto: the number of array tasks where the engine does not say (Kubernetes, AWS Batch; or SYNERGY_SHARD_COUNT)')
    .option('--resume', 'finish an interrupted run of the same command')
    .option('--queue <url>', 'run the tasks on `synergy worker` processes through this Redis queue (redis://host[:port][/db] or unix:///path/to/redis.sock)')
    .option('--yes', `start even when estimated over ${MAX_UNCONFIRMED_SECONDS / 60} minutes or ${MAX_UNCONFIRMED_OUTPUT_BYTES / 1e9} GB of output`)
    .option('--json', 'print a machine-readable summary');
}

export function registerSweepCommands(root: Command): void {
  sweepOptions(root.command('sweep').description('a grid of designs to NDJSON, CSV or JSON (by extension), with a plot, shards and resume'))
    .action(runSweep);

  root.command('merge').description('combine shard outputs into the file a single process would have written')
    .argument('<shards...>', 'shard output files (each with its .meta.json)')
    .option('--out <file>', 'merged output file')
    .option('--json', 'print a machine-readable summary')
    .action(async (files: string[], o: { out?: string; json?: boolean }) => {
      if (o.out === undefined) throw new InvalidParameterError('--out', 'the merged output file', undefined);
      for (const file of files) if (formatOf(file, true) === 'parquet') throw new InvalidParameterError('merge', PARQUET_WHOLE.replace(/^a /, 'shards in '), file);
      const cells = formatOf(o.out, true) === 'parquet' ? await mergeToParquet(files, o.out) : await mergeShards(files, o.out);
      if (o.json) process.stdout.write(JSON.stringify({ out: o.out, cells, shards: files.length }) + '\n');
    });
}
