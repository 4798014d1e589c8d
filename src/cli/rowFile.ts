// Reading sweep output files without holding them in memory (issue 16): --resume scans only the head
// and the tail, merge streams line by line. Files of any size (multi-GB) work; a row is one line
// in every format (JSON arrays are written one element per line), and no line may exceed MAX_LINE.
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { InvalidParameterError } from '../errors.ts';
import type { CellParameters } from '../sweep/index.ts';
import { ROW_WORDS } from './sweepColumns.ts';

export type RowFormat = 'ndjson' | 'csv' | 'json';

/** Longer lines are not sweep rows (a row is a few hundred bytes); refusing them bounds memory. */
export const MAX_LINE = 1 << 20;

/** A row's values by column: CSV cells as numbers (empty → null), JSON/NDJSON records as parsed. */
export function parseRow(format: RowFormat, cols: readonly string[], line: string): Record<string, number | null> | null {
  let text = line;
  if (format === 'json' && text.endsWith(',')) text = text.slice(0, -1);
  if (format === 'csv') {
    const cells = text.split(',');
    if (cells.length !== cols.length) return null;
    const record: Record<string, number | null> = {};
    for (let i = 0; i < cols.length; i++) {
      // Extended sweeps (sweepColumns.ts) hold a few words: answers 'open', regime and trend.
      if (ROW_WORDS.has(cells[i])) {
        (record as Record<string, unknown>)[cols[i]] = cells[i];
        continue;
      }
      const v = cells[i] === '' ? null : Number(cells[i]);
      if (v !== null && (!Number.isFinite(v) || cells[i].trim() !== cells[i])) return null;
      record[cols[i]] = v;
    }
    return record;
  }
  if (!text.startsWith('{') || !text.endsWith('}')) return null;
  try {
    const record = JSON.parse(text) as Record<string, number | null>;
    const keys = Object.keys(record);
    if (keys.length !== cols.length || keys.some((k, i) => k !== cols[i])) return null;
    return record;
  } catch {
    return null;
  }
}

/** Whether a parsed row is the row of `cell`: its cell number and its parameter columns (§D4 order). */
export function rowMatches(record: Record<string, number | null>, cell: number, parameters: CellParameters): boolean {
  if (record.cell !== cell) return false;
  return Object.entries(parameters).every(([k, v]) => (record as Record<string, unknown>)[k] === v);
}

async function readAt(path: string, position: number, length: number): Promise<string> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await handle.read(buffer, 0, length, position);
    return buffer.subarray(0, bytesRead).toString('latin1');
  } finally {
    await handle.close();
  }
}

export interface ResumeScan {
  /** Complete rows at the start of the file. */
  rows: number;
  /** Byte length to keep: up to the end of the last complete row, without its separator. */
  keep: number;
}

/**
 * The complete rows of an interrupted output (for --resume), reading only its head and its tail.
 * The last complete row's cell number gives the count; the first and the last row must be the rows
 * the spec puts there (cell number and parameters), else the file belongs to another sweep.
 */
export async function scanForResume(
  path: string, format: RowFormat, cols: readonly string[], head: string,
  range: { start: number; end: number }, parameters: (cell: number) => CellParameters,
): Promise<ResumeScan> {
  const handle = await open(path, 'r');
  const size = (await handle.stat()).size;
  await handle.close();
  const foreign = (why: string) => new InvalidParameterError('--resume', `an output file written by the same sweep (${why}: ${path})`, path);
  if ((await readAt(path, 0, head.length)) !== head) throw foreign('its header differs');
  // Walk back from the end in blocks to the last complete row: a line ended by '\n' (CSV, NDJSON)
  // or an element line "{…}" / "{…}," (JSON, whose last element may be followed by "\n]\n" or nothing).
  const BLOCK = 1 << 16;
  let end = size; // the tail [end, size) holds no complete row
  let carry = '';
  let carryTerminated = false; // whether a '\n' followed the carried partial line
  let last: { record: Record<string, number | null>; start: number; end: number } | null = null;
  while (end > head.length && last === null) {
    const from = Math.max(head.length, end - BLOCK);
    const text = (await readAt(path, from, end - from)) + carry;
    const lines = text.split('\n');
    // lines[0] may continue before `from`; every later line starts right after a '\n'.
    let offset = from + text.length;
    for (let i = lines.length - 1; i >= (from === head.length ? 0 : 1); i--) {
      const line = lines[i];
      offset -= line.length;
      const terminated = i < lines.length - 1 || carryTerminated;
      if (line.length > 0 && (terminated || format === 'json') && !(format === 'json' && line === ']')) {
        const record = parseRow(format, cols, line);
        if (record === null && terminated) throw foreign(`line at byte ${offset} is not a row of this sweep`);
        if (record !== null) {
          last = { record, start: offset, end: offset + (line.endsWith(',') ? line.length - 1 : line.length) };
          break;
        }
      }
      offset -= 1; // the '\n' before this line
    }
    if (last === null) {
      if (from === head.length) break;
      carry = lines[0];
      if (lines.length > 1) carryTerminated = true;
      if (carry.length > MAX_LINE) throw foreign(`a line longer than ${MAX_LINE} bytes ends at byte ${end}`);
      end = from;
    }
  }
  if (last === null) return { rows: 0, keep: head.length };
  const cell = last.record.cell;
  if (typeof cell !== 'number' || !Number.isInteger(cell) || cell < range.start || cell >= range.end) {
    throw foreign(`its last row is cell ${cell}, outside this run's cells ${range.start}…${range.end - 1}`);
  }
  if (!rowMatches(last.record, cell, parameters(cell))) throw foreign(`its last row (cell ${cell}) has other parameters than this sweep's cell ${cell}`);
  const firstText = await readAt(path, head.length, Math.min(MAX_LINE, last.end - head.length));
  const first = parseRow(format, cols, firstText.split('\n')[0]);
  if (first === null || !rowMatches(first, range.start, parameters(range.start))) {
    throw foreign(`its first row is not this sweep's cell ${range.start}`);
  }
  return { rows: cell - range.start + 1, keep: last.end };
}

/**
 * The lines of a file, streamed (any size); a line longer than MAX_LINE throws `tooLong(lineNumber)`.
 * Yields [line, terminated]: whether a '\n' followed it.
 */
export async function* streamLines(path: string, tooLong: (line: number) => Error): AsyncGenerator<[string, boolean]> {
  let pending = '';
  let n = 0;
  for await (const chunk of createReadStream(path, { encoding: 'utf8', highWaterMark: 1 << 16 })) {
    const parts = (pending + (chunk as string)).split('\n');
    pending = parts.pop()!;
    for (const line of parts) {
      n++;
      yield [line, true];
    }
    if (pending.length > MAX_LINE) throw tooLong(n + 1);
  }
  if (pending.length > 0) yield [pending, false];
}
