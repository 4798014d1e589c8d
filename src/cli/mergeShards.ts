// `synergy merge`: shard outputs → the file one process would have written. Streams every shard
// (any size) and checks each line against its .meta.json before it is copied: header, one row per
// line with the declared cell numbers and parameters, the right column count, a trailing newline.
// Every message names the shard; a failed merge (ENOSPC included) leaves no .partial behind.
import { open, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { InvalidParameterError } from '../errors.ts';
import { sweep } from '../node.ts';
import type { SweepSpec } from '../sweep/index.ts';
import { checkWritableFile } from './files.ts';
import { parseRow, rowMatches, streamLines, MAX_LINE } from './rowFile.ts';
import { columns, formatOf, HEAD, SEP, TAIL, type OutputFormat } from './sweep.ts';

interface ShardMeta {
  spec: SweepSpec;
  seed: number;
  range: { start: number; end: number };
  format: OutputFormat;
}

/** An error while writing `path`, with the path in the message (Node's write errors omit it). */
export class OutputWriteError extends Error {
  constructor(path: string, cause: unknown) {
    super(`cannot write ${path}: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = 'OutputWriteError';
  }
}

function bad(file: string, why: string): InvalidParameterError {
  return new InvalidParameterError('merge', `a complete shard written by synergy sweep (${file}: ${why})`, file);
}

async function readMeta(file: string, format: OutputFormat): Promise<ShardMeta> {
  const path = `${file}.meta.json`;
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw bad(file, `its ${path} cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  let meta: unknown;
  try {
    meta = JSON.parse(text);
  } catch (error) {
    throw bad(file, `its ${path} is not JSON (${(error as Error).message})`);
  }
  const m = meta as Partial<ShardMeta> | null;
  const isCount = (v: unknown) => typeof v === 'number' && Number.isInteger(v) && v >= 0;
  if (typeof m !== 'object' || m === null || typeof m.spec !== 'object' || m.spec === null || !isCount(m.seed)
    || typeof m.range !== 'object' || m.range === null || !isCount(m.range.start) || !isCount(m.range.end) || m.range.end < m.range.start) {
    throw bad(file, `its ${path} does not hold the spec, seed and cell range that synergy sweep writes`);
  }
  if (m.format !== format) throw bad(file, `its ${path} says format ${JSON.stringify(m.format)}, the merged file is ${format}`);
  return m as ShardMeta;
}

/** Returns the number of rows (cells) written. */
export async function mergeShards(files: string[], out: string): Promise<number> {
  const format = formatOf(out);
  const parts: { file: string; meta: ShardMeta }[] = [];
  for (const file of files) {
    if (formatOf(file) !== format) throw new InvalidParameterError('merge', `shard files of the same format as --out (${format})`, file);
    parts.push({ file, meta: await readMeta(file, format) });
  }
  parts.sort((a, b) => a.meta.range.start - b.meta.range.start);
  const specText = JSON.stringify(parts[0].meta.spec);
  let run;
  try {
    run = sweep(parts[0].meta.spec, { seed: parts[0].meta.seed });
  } catch (error) {
    if (error instanceof InvalidParameterError) throw bad(parts[0].file, `its .meta.json holds no valid sweep spec (${error.message})`);
    throw error;
  }
  let expected = 0;
  for (const p of parts) {
    if (JSON.stringify(p.meta.spec) !== specText || p.meta.seed !== parts[0].meta.seed) throw new InvalidParameterError('merge', `shards of one sweep (same spec and seed; ${p.file} differs from ${parts[0].file})`, p.file);
    if (p.meta.range.start !== expected) throw new InvalidParameterError('merge', `shards covering every cell once (cells ${expected}… are missing or doubled at ${p.file})`, p.file);
    expected = p.meta.range.end;
  }
  const cells = run.cells;
  if (expected !== cells) throw new InvalidParameterError('merge', `shards covering every cell once (cells ${expected}…${cells - 1} are missing)`, files.join(' '));
  await checkWritableFile('--out', out);
  const cols = columns(parts[0].meta.spec);
  const tmp = `${out}.partial`;
  const handle = await open(tmp, 'w').catch((e) => { throw new OutputWriteError(tmp, e); });
  let buffer = '';
  const write = async (text: string, force = false) => {
    buffer += text;
    if (!force && buffer.length < 1 << 16) return;
    try {
      await handle.write(buffer);
    } catch (error) {
      throw new OutputWriteError(tmp, error);
    }
    buffer = '';
  };
  let written = 0;
  try {
    await write(HEAD[format](cols));
    for (const p of parts) written = await copyShard(p.file, p.meta, format, cols, (cell) => run.parameters(cell), written, write);
    await write((written > 0 && format !== 'json' ? '\n' : '') + TAIL[format], true);
    await handle.close().catch((e) => { throw new OutputWriteError(tmp, e); });
  } catch (error) {
    await handle.close().catch(() => {});
    await unlink(tmp).catch(() => {});
    throw error;
  }
  await rename(tmp, out);
  const meta = JSON.stringify({ spec: parts[0].meta.spec, seed: parts[0].meta.seed, range: { start: 0, end: expected }, format }) + '\n';
  await writeFile(`${out}.meta.json.partial`, meta);
  await rename(`${out}.meta.json.partial`, `${out}.meta.json`);
  return written;
}

/** Copies one shard's rows after checking every line; returns the rows written so far. */
async function copyShard(
  file: string, meta: ShardMeta, format: OutputFormat, cols: readonly string[],
  parameters: (cell: number) => ReturnType<ReturnType<typeof sweep>['parameters']>,
  written: number, write: (text: string) => Promise<void>,
): Promise<number> {
  const { start, end } = meta.range;
  let cell = start;
  let n = 0;
  let closed = false; // JSON: the closing ']' was seen
  let lastTerminated = true;
  const header = format === 'csv' ? cols.join(',') : format === 'json' ? '[' : null;
  for await (const [line, terminated] of streamLines(file, (l) => bad(file, `line ${l} is longer than ${MAX_LINE} bytes: not a sweep row`))) {
    n++;
    lastTerminated = terminated;
    // A cut last line may still parse (a shortened number): the missing newline decides first.
    if (!terminated) throw bad(file, 'its last line has no newline (cut mid-row?)');
    if (n === 1 && header !== null) {
      if (line !== header) throw bad(file, `line 1 is not the header ${JSON.stringify(header.slice(0, 80))}`);
      continue;
    }
    if (closed) throw bad(file, `line ${n} follows the closing ]`);
    if (format === 'json' && line === ']') {
      closed = true;
      continue;
    }
    if (format === 'json' && line === '' && cell === start && n === 2) continue; // "[\n\n]\n": no rows
    if (cell >= end) throw bad(file, `line ${n} is a row beyond the ${end - start} cells its .meta.json declares`);
    const record = parseRow(format, cols, line);
    if (record === null) throw bad(file, `line ${n} is not a complete row of ${cols.length} numeric columns (${JSON.stringify(line.slice(0, 60))})`);
    if (!rowMatches(record, cell, parameters(cell))) throw bad(file, `line ${n} is not cell ${cell} of this sweep (its cell number or parameters differ)`);
    if (format === 'json' && line.endsWith(',') !== (cell < end - 1)) throw bad(file, `line ${n} has ${line.endsWith(',') ? 'a' : 'no'} comma after cell ${cell}`);
    await write((written > 0 ? SEP[format] : '') + (format === 'json' && line.endsWith(',') ? line.slice(0, -1) : line));
    written++;
    cell++;
  }
  if (cell < end) throw bad(file, `it has ${cell - start} of ${end - start} rows; finish it with --resume`);
  if (!lastTerminated) throw bad(file, 'its last line has no newline (cut mid-row?)');
  if (format === 'json' && !closed) throw bad(file, 'it has no closing ]');
  return written;
}
