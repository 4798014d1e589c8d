// `synergy sweep` (a grid to NDJSON, CSV or JSON, with a plot, shards and resume) and `synergy merge`.
// Output rows are a pure function of (spec, seed, cell), written in cell order, so a resumed run and
// merged shards are byte-identical to one uninterrupted run.
import { existsSync } from 'node:fs';
import { open, readFile, rename, writeFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { Command, Option } from 'commander';
import { InvalidParameterError } from '../errors.ts';
import { criticalGamma } from '../theory/level.ts';
import { sweep } from '../node.ts';
import type { SweepCell, SweepSpec } from '../sweep/index.ts';
import { checkWritableFile } from './files.ts';
import { type AxisFlag, parseAxis, parseFidelity, parseInteger, parseNumber, parseShard } from './options.ts';
import { phaseDiagram, seriesPlot, writeFigure, type SeriesPoint } from './plot.ts';
import { progressReporter } from './progress.ts';
import { parseMode, parseVariant } from './simulate.ts';

export type OutputFormat = 'ndjson' | 'csv' | 'json';

/** A sweep stopped by SIGINT after leaving a valid output file; the command exits with 130. */
export class InterruptedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InterruptedError';
  }
}

export function formatOf(path: string): OutputFormat {
  const ext = extname(path).toLowerCase();
  if (ext === '.ndjson' || ext === '.jsonl') return 'ndjson';
  if (ext === '.csv') return 'csv';
  if (ext === '.json') return 'json';
  throw new InvalidParameterError('--out', 'a file ending in .ndjson, .csv or .json', path);
}

/** The columns of a row, in order; which appear depends on what the sweep computes. */
export function columns(spec: SweepSpec): string[] {
  const cols = ['cell', 'b', 'gamma'];
  if (spec.m !== undefined) cols.push('m');
  cols.push('rho', 'u0', 'depth');
  const compute = spec.compute ?? 'theory';
  if (compute !== 'montecarlo') cols.push('alpha', 's', 'uStar', 'mixingDepth', 'mixingDepthSmallSignal', 'uL', 'clipped');
  if (compute !== 'theory') cols.push('trials', 'correct', 'accuracy', 'bias', 'stdError');
  return cols;
}

function rowValues(cell: SweepCell, cols: readonly string[]): (number | null)[] {
  const flat = { ...cell, ...cell.theory, ...cell.montecarlo } as unknown as Record<string, number | undefined>;
  return cols.map((c) => {
    const v = flat[c];
    return v === undefined || !Number.isFinite(v) ? null : v;
  });
}

/** One serialised row (without separators); NaN and ±∞ become null (JSON) or empty (CSV). */
export function formatRow(format: OutputFormat, cols: readonly string[], values: readonly (number | null)[]): string {
  if (format === 'csv') return values.map((v) => (v === null ? '' : String(v))).join(',');
  const record: Record<string, number | null> = {};
  cols.forEach((c, i) => (record[c] = values[i]));
  return JSON.stringify(record);
}

const HEAD = { ndjson: () => '', csv: (cols: readonly string[]) => cols.join(',') + '\n', json: () => '[\n' };
const TAIL = { ndjson: '', csv: '', json: '\n]\n' };
const SEP = { ndjson: '\n', csv: '\n', json: ',\n' };

/**
 * Rows already complete in an output file (for --resume): NDJSON/CSV count whole lines; a JSON file
 * is complete up to its last full element. Returns the byte length to keep: up to the end of the
 * last complete row, without its separator.
 */
export async function completedRows(path: string, format: OutputFormat, cols: readonly string[]): Promise<{ rows: number; keep: number }> {
  const text = await readFile(path, 'utf8');
  const head = HEAD[format](cols);
  if (!text.startsWith(head)) throw new InvalidParameterError('--resume', `an output file written by the same sweep (its header differs: ${path})`, path);
  if (format === 'json') {
    // Elements end with "}" followed by ",\n" or "\n]\n"; drop the closing bracket and any partial tail.
    const body = text.slice(head.length);
    const lines = body.split(/,\n|\n\]\n/).filter((l) => l.startsWith('{') && l.endsWith('}'));
    const keep = head.length + lines.reduce((n, l, i) => n + l.length + (i > 0 ? 2 : 0), 0);
    return { rows: lines.length, keep };
  }
  // Keep whole lines only, without the last newline: the next row is written with its separator.
  const complete = text.slice(head.length, text.lastIndexOf('\n') + 1);
  const rows = complete.split('\n').filter((l) => l.length > 0).length;
  return { rows, keep: rows > 0 ? head.length + complete.trimEnd().length : head.length };
}

interface SweepFlags {
  axis?: string[];
  b?: string; gamma?: string; m?: string; fidelity?: string; rho?: string; u0?: string; p0?: string; depth?: string; trials?: string;
  compute?: string; mode: string; variant: string; seed: string; workers?: string;
  out?: string; plot?: string; plotField: string; shard?: string; resume?: boolean; json?: boolean;
}

/** Builds the sweep spec from fixed flags and --axis flags (an axis overrides nothing: give each once). */
export function sweepSpec(f: SweepFlags): SweepSpec {
  const axes = new Map<string, AxisFlag['values']>();
  for (const text of f.axis ?? []) {
    const a = parseAxis(text);
    if (axes.has(a.name) || (f as unknown as Record<string, unknown>)[a.name] !== undefined) {
      throw new InvalidParameterError(`--axis ${a.name}`, 'given once (as a plain flag or as an --axis, not both)', text);
    }
    axes.set(a.name, a.values);
  }
  const value = (name: 'b' | 'gamma' | 'm' | 'rho' | 'u0' | 'p0' | 'depth' | 'trials') => {
    const flag = f[name];
    if (flag !== undefined) return [parseNumber(name, flag)];
    return axes.get(name);
  };
  let u0 = value('u0');
  const p0 = value('p0');
  if (u0 !== undefined && p0 !== undefined) throw new InvalidParameterError('--p0', 'absent when --u0 is given', 'both');
  if (p0 !== undefined) {
    const toBias = (p: number) => 2 * p - 1;
    u0 = Array.isArray(p0) ? p0.map(toBias) : { start: toBias(p0.start), stop: toBias(p0.stop), count: p0.count };
  }
  const trials = value('trials');
  const compute = (f.compute ?? (trials !== undefined ? 'both' : 'theory')) as SweepSpec['compute'];
  const spec: Record<string, unknown> = { b: value('b'), rho: value('rho'), u0, depth: value('depth'), compute };
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
    if (spec[required] === undefined) throw new InvalidParameterError(`--${required}`, `a value (--${required} x) or an axis (--axis ${required}=…)`, 'nothing');
  }
  if (spec.gamma === undefined && spec.m === undefined) throw new InvalidParameterError('--gamma', 'a value or an axis (or --m with --fidelity)', 'nothing');
  return spec as unknown as SweepSpec;
}

/** The cells of shard i of N: [⌊(i−1)·C/N⌋, ⌊i·C/N⌋). */
export function shardRange(cells: number, shard: { index: number; count: number } | undefined): { start: number; end: number } {
  if (!shard) return { start: 0, end: cells };
  return { start: Math.floor(((shard.index - 1) * cells) / shard.count), end: Math.floor((shard.index * cells) / shard.count) };
}

async function runSweep(f: SweepFlags): Promise<void> {
  if (f.out === undefined) throw new InvalidParameterError('--out', 'an output file ending in .ndjson, .csv or .json', 'nothing');
  const format = formatOf(f.out);
  const spec = sweepSpec(f);
  const seed = parseInteger('seed', f.seed, 0);
  const workers = f.workers === undefined ? undefined : parseInteger('workers', f.workers, 1);
  const shard = f.shard === undefined ? undefined : parseShard(f.shard);
  // Validate everything (spec included) before touching files; errors name the flag that set the value.
  let probe;
  try {
    probe = sweep(spec, { seed });
  } catch (error) {
    if (!(error instanceof InvalidParameterError)) throw error;
    const name = error.parameter.replace(/\[.*$/, '');
    const flag = (f as unknown as Record<string, unknown>)[name] !== undefined ? `--${name}` : `--axis ${error.parameter}`;
    throw new InvalidParameterError(flag, error.allowed, error.value);
  }
  const range = shardRange(probe.cells, shard);
  const cols = columns(spec);
  await checkWritableFile('--out', f.out);
  if (f.plot !== undefined) await checkWritableFile('--plot', f.plot);
  const meta = JSON.stringify({ spec, seed, range, format }) + '\n';
  const metaPath = `${f.out}.meta.json`;

  let start = range.start;
  let handle;
  if (f.resume && existsSync(f.out)) {
    const previous = existsSync(metaPath) ? await readFile(metaPath, 'utf8') : '';
    if (previous !== meta) throw new InvalidParameterError('--resume', `the same sweep, seed and shard as the run that wrote ${f.out}`, f.out);
    const done = await completedRows(f.out, format, cols);
    start = range.start + done.rows;
    handle = await open(f.out, 'r+');
    await handle.truncate(done.keep);
    handle = await reopenAppend(handle, f.out);
  } else {
    await writeFile(metaPath, meta);
    handle = await open(f.out, 'w');
    await handle.write(HEAD[format](cols));
  }

  const controller = new AbortController();
  const onSigint = () => controller.abort();
  process.once('SIGINT', onSigint);
  let written = start - range.start;
  let buffer = '';
  try {
    if (start < range.end) {
      const run = sweep(spec, { seed, workers, signal: controller.signal, range: { start, end: range.end }, onProgress: progressReporter('sweep') });
      for await (const cell of run) {
        buffer += (written > 0 ? SEP[format] : '') + formatRow(format, cols, rowValues(cell, cols));
        written++;
        // Flush in blocks of whole rows, so an interruption leaves a valid, resumable file.
        if (buffer.length > 1 << 16) {
          await handle.write(buffer);
          buffer = '';
        }
      }
    }
    await handle.write(buffer + (written > 0 && format !== 'json' ? '\n' : '') + TAIL[format]);
  } catch (error) {
    if ((error as Error).name === 'AbortError') {
      // Every row in the buffer is complete: keep them, close the file validly, and say how to finish.
      await handle.write(buffer + (written > 0 && format !== 'json' ? '\n' : '') + TAIL[format]);
      await handle.close();
      throw new InterruptedError(`interrupted after ${written} of ${range.end - range.start} cells; ${f.out} is valid — rerun with --resume to finish it`);
    }
    await handle.close();
    throw error;
  } finally {
    process.off('SIGINT', onSigint);
  }
  await handle.close();
  if (f.plot !== undefined) await writeFigure(f.plot, plotSweep(f.out, format, spec, f.plotField));
  if (f.json) process.stdout.write(JSON.stringify({ out: f.out, cells: written, range }) + '\n');
}

/** fs handles opened 'r+' write at their position; reopen in append mode after truncating. */
async function reopenAppend(handle: Awaited<ReturnType<typeof open>>, path: string) {
  await handle.close();
  return open(path, 'a');
}

/** Reads a finished output file back as records. */
export async function readRows(path: string, format: OutputFormat): Promise<{ cols: string[]; rows: (number | null)[][] }> {
  const text = await readFile(path, 'utf8');
  if (format === 'csv') {
    const [header, ...lines] = text.split('\n').filter((l) => l.length > 0);
    const cols = header.split(',');
    return { cols, rows: lines.map((l) => l.split(',').map((v) => (v === '' ? null : Number(v)))) };
  }
  const records: Record<string, number | null>[] = format === 'json' ? JSON.parse(text) : text.split('\n').filter((l) => l).map((l) => JSON.parse(l));
  const cols = records.length > 0 ? Object.keys(records[0]) : [];
  return { cols, rows: records.map((r) => cols.map((c) => r[c])) };
}

const AXIS_LABELS: Record<string, string> = {
  rho: 'shared-failure correlation ρ', gamma: 'message fidelity γ', m: 'message length m (tokens)', u0: 'leaf bias u₀', b: 'fan-in b', depth: 'depth L',
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
  const axisCols = ['rho', 'gamma', 'm', 'u0', 'b', 'depth'].filter((c) => cols.includes(c) && new Set(rows.map((r) => r[cols.indexOf(c)])).size > 1);
  if (axisCols.length === 0) throw new InvalidParameterError('--plot', 'a sweep with at least one swept axis (a line plot needs x)', 'no swept axis');
  if (axisCols.length === 1) return lineSweep(cols, rows, axisCols[0], field);
  const [xName, yName] = axisCols;
  const xi = cols.indexOf(xName);
  const yi = cols.indexOf(yName);
  const others = cols.filter((c) => ['b', 'gamma', 'm', 'rho', 'u0', 'depth', 'trials'].includes(c) && c !== xName && c !== yName);
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
  const label = (c: string) => AXIS_LABELS[c] ?? c;
  return phaseDiagram({
    title: `${field}${fixed ? ` at ${fixed}` : ''}`, cells, xTitle: label(xName), yTitle: label(yName), valueTitle: field,
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
  const xs = (r: readonly (number | null)[]) => at(r, xName)!;
  const points: SeriesPoint[] = [];
  const simulatedErr: Record<string, number> = { bias: 1, accuracy: 0.5 };
  const hasSimulation = cols.includes('stdError');
  for (const r of rows) {
    const y = at(r, field);
    if (y === null || y === undefined) continue;
    const scale = simulatedErr[field];
    points.push(scale !== undefined && hasSimulation ? { x: xs(r), y, series: `${field} (simulated, ±2σ)`, err: scale * at(r, 'stdError')! } : { x: xs(r), y, series: field });
    if (field === 'uL' && hasSimulation && at(r, 'bias') !== null) points.push({ x: xs(r), y: at(r, 'bias')!, series: 'bias (simulated, ±2σ)', err: at(r, 'stdError')! });
  }
  if (points.length === 0) throw new InvalidParameterError('--plot-field', 'a field with values in this sweep', field);
  const fixed = ['b', 'gamma', 'm', 'rho', 'u0', 'depth', 'trials'].filter((c) => c !== xName && cols.includes(c)).map((c) => `${c} = ${at(rows[0], c)}`).join(', ');
  return seriesPlot({
    title: `${field}${fixed ? ` at ${fixed}` : ''}`, points, xTitle: AXIS_LABELS[xName] ?? xName, yTitle: field,
    integerX: ['b', 'depth', 'm'].includes(xName),
  });
}

/** `merge`: shard outputs → the file one process would have written. */
async function merge(files: string[], out: string): Promise<void> {
  const format = formatOf(out);
  const parts = await Promise.all(files.map(async (file) => {
    if (formatOf(file) !== format) throw new InvalidParameterError('merge', `shard files of the same format as --out (${format})`, file);
    const meta = JSON.parse(await readFile(`${file}.meta.json`, 'utf8'));
    return { file, meta };
  }));
  parts.sort((a, b) => a.meta.range.start - b.meta.range.start);
  const specText = JSON.stringify(parts[0].meta.spec);
  let expected = 0;
  for (const p of parts) {
    if (JSON.stringify(p.meta.spec) !== specText || p.meta.seed !== parts[0].meta.seed) throw new InvalidParameterError('merge', 'shards of one sweep (same spec and seed)', p.file);
    if (p.meta.range.start !== expected) throw new InvalidParameterError('merge', `shards covering every cell once (cells ${expected}… are missing or doubled)`, p.file);
    expected = p.meta.range.end;
  }
  const cells = sweep(parts[0].meta.spec).cells;
  if (expected !== cells) throw new InvalidParameterError('merge', `shards covering every cell once (cells ${expected}…${cells - 1} are missing)`, files.join(' '));
  await checkWritableFile('--out', out);
  const cols = columns(parts[0].meta.spec);
  const tmp = `${out}.partial`;
  const handle = await open(tmp, 'w');
  await handle.write(HEAD[format](cols));
  let written = 0;
  for (const p of parts) {
    const { rows } = await readRows(p.file, format);
    if (rows.length !== p.meta.range.end - p.meta.range.start) throw new InvalidParameterError('merge', `complete shards (${p.file} has ${rows.length} of ${p.meta.range.end - p.meta.range.start} rows; finish it with --resume)`, p.file);
    let buffer = '';
    for (const values of rows) {
      buffer += (written > 0 ? SEP[format] : '') + formatRow(format, cols, values);
      written++;
    }
    await handle.write(buffer);
  }
  await handle.write((written > 0 && format !== 'json' ? '\n' : '') + TAIL[format]);
  await handle.close();
  await rename(tmp, out);
  const whole = { ...parts[0].meta, range: { start: 0, end: expected } };
  await writeFile(`${out}.meta.json`, JSON.stringify({ spec: whole.spec, seed: whole.seed, range: whole.range, format }) + '\n');

}

export function registerSweepCommands(root: Command): void {
  root.command('sweep').description('a grid of designs to NDJSON, CSV or JSON (by extension), with a plot, shards and resume')
    .option('--axis <name=start:stop:count | name=v1,v2,…>', 'a swept parameter (repeatable): b, gamma, m, rho, u0, p0, depth, trials', (v: string, prev: string[] = []) => [...prev, v])
    .option('--b <b>', 'fixed fan-in').option('--gamma <γ>', 'fixed fidelity').option('--m <tokens>', 'fixed message length (with --fidelity)')
    .option('--fidelity <curve>', 'fidelity curve for m').option('--rho <ρ>', 'fixed ρ').option('--u0 <u>', 'fixed leaf bias')
    .option('--p0 <p>', 'fixed leaf accuracy').option('--depth <L>', 'fixed depth').option('--trials <n>', 'Monte Carlo trials per cell (turns simulation on)')
    .addOption(new Option('--compute <what>', 'theory, montecarlo or both').choices(['theory', 'montecarlo', 'both']))
    .option('--mode <mode>', 'full or levels (Monte Carlo)', 'full')
    .option('--variant <v>', 'standard | channelAfterCopy | heterogeneous:a,b', 'standard')
    .option('--seed <n>', 'master seed (§D4)', '1')
    .option('--workers <n>', 'worker threads (default: all cores)')
    .option('--out <file>', 'output file: .ndjson, .csv or .json')
    .option('--plot <file.svg|file.png>', 'figure of --plot-field: a heatmap over the first two swept axes, or a line plot (±2σ bars when simulated) over a single swept axis')
    .option('--plot-field <field>', 'field to plot', 'uL')
    .option('--shard <i/N>', 'compute only the i-th of N contiguous parts of the cells')
    .option('--resume', 'finish an interrupted run of the same command')
    .option('--json', 'print a machine-readable summary')
    .action(runSweep);

  root.command('merge').description('combine shard outputs into the file a single process would have written')
    .argument('<shards...>', 'shard output files (each with its .meta.json)')
    .option('--out <file>', 'merged output file')
    .action(async (files: string[], o: { out?: string }) => {
      if (o.out === undefined) throw new InvalidParameterError('--out', 'the merged output file', 'nothing');
      await merge(files, o.out);
    });
}
