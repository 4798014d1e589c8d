// Row formatting straight from columnar sweep blocks (issue 14, speed): no per-cell objects, no
// JSON.stringify of records. Numbers print as String(v), which is what JSON.stringify prints for a
// finite number, so the bytes equal the per-cell path (formatRow); NaN and ±∞ print null / empty
// (isNullValue, src/sweep/parquet.ts: the rule of every format; rowText.wasm applies it as NaN/±∞ too).
// Parameter columns are a mixed-radix product of the axes (cell = Σ index·stride, AXIS_ORDER), so
// each axis value is formatted once and a row picks its text by index; theory columns read the
// block's arrays directly. Theory rows are written by build/rowText.wasm (rowText.ts) into one byte
// buffer — the row is described once as pieces, numbers print through its shortest round-trip
// formatter (byte-identical to String(v)); rows with Monte Carlo columns, whose summary is computed
// per cell and costs far more than its text, are joined here in JavaScript.
import { AXIS_ORDER, blockCell, type ResolvedSweep, type SweepBlock } from '../sweep/index.ts';
import { rowTextInstance } from './rowText.ts';
import { isNullValue, parquetType, type WordColumn } from '../sweep/parquet.ts';
import { textValue } from './sweepColumns.ts';

const MONTECARLO = new Set(['trials', 'correct', 'accuracy', 'bias', 'stdError', 'accuracyStdError', 'skill', 'skillStdError']);

/** String(v) for the integers 0 … SMALL − 1, which theory columns repeat on every row. */
const SMALL = 4096;
const SMALL_INTS: readonly string[] = Array.from({ length: SMALL }, (_, k) => String(k));

const PARAMETER = 0;
const THEORY = 1;
const WORD = 2;
const MC = 3;
const CELL = 4;

type RowFormatter = (block: SweepBlock, first: boolean, sep: string) => string;
type RowBytes = (block: SweepBlock, first: boolean, sep: string) => Buffer;

/** How each column prints: its kind, axis stride and size, its texts (axis values or words, no prefix). */
interface Layout {
  cols: readonly string[];
  csv: boolean;
  missing: string;
  /** What comes before column j's value: nothing / ',' (CSV), or '{"c":' / ',"c":' (NDJSON). */
  prefix: string[];
  kind: Int32Array;
  stride: Float64Array;
  size: Float64Array;
  /** Per parameter column: text of each axis value; per word column: each word. */
  texts: string[][];
  /** The block's theory field behind each theory or word column. */
  field: string[];
}

function layout(format: 'ndjson' | 'csv', cols: readonly string[], r: ResolvedSweep): Layout {
  const csv = format === 'csv';
  const missing = csv ? '' : 'null';
  // The text of one value, without its key.
  const text = (v: number | string): string =>
    typeof v === 'string' ? (csv ? v : JSON.stringify(v)) : isNullValue(v) ? missing : String(v);
  const n = cols.length;
  const prefix = cols.map((c, j) => (csv ? (j === 0 ? '' : ',') : (j === 0 ? '{' : ',') + JSON.stringify(c) + ':'));
  const kind = new Int32Array(n);
  const stride = new Float64Array(n);
  const size = new Float64Array(n);
  const texts: string[][] = cols.map(() => []);
  const field: string[] = cols.map((c) => (c === 'skillL' ? 'uL' : c));
  cols.forEach((c, j) => {
    const axis = (AXIS_ORDER as readonly string[]).indexOf(c === 'm' ? 'gamma' : c);
    if (c === 'cell') kind[j] = CELL;
    else if (MONTECARLO.has(c)) kind[j] = MC;
    else if (axis >= 0) {
      kind[j] = PARAMETER;
      stride[j] = r.strides[axis];
      size[j] = r.shape[axis];
      const values = (r as unknown as Record<string, readonly (number | string)[]>)[c];
      texts[j] = values.map(text);
    } else if (textValue(c, 0) !== 0) {
      // Coded theory fields print as words (regime, trend): code k is word k; NaN (none) is missing.
      kind[j] = WORD;
      for (let k = 0; typeof textValue(c, k) === 'string'; k++) texts[j].push(text(textValue(c, k)));
    } else kind[j] = THEORY;
  });
  return { cols, csv, missing, prefix, kind, stride, size, texts, field };
}

/** Formats every cell of a block as rows (each preceded by `sep` except the file's first row). */
export function blockFormatter(format: 'ndjson' | 'csv', cols: readonly string[], r: ResolvedSweep): RowFormatter {
  const bytes = blockBytes(format, cols, r);
  return (block, first, sep) => bytes(block, first, sep).toString('utf8');
}

/**
 * The rows of a block as UTF-8 bytes (what the CLI writes: the text is made as bytes, so no
 * JavaScript string is built and encoded again for theory rows). The bytes may be a view into the
 * formatter's memory: valid until its next call (write or copy them before).
 */
export function blockBytes(format: 'ndjson' | 'csv', cols: readonly string[], r: ResolvedSweep): RowBytes {
  const l = layout(format, cols, r);
  const ascii = [...l.prefix, ...l.texts.flat(), l.missing].every((t) => /^[\x20-\x7e]*$/.test(t));
  if (l.kind.includes(MC) || !ascii) {
    const rows = joinedRows(l, r);
    return (block, first, sep) => Buffer.from(rows(block, first, sep), 'utf8');
  }
  return wasmRows(l);
}

/** Byte size of the program's pieces (four i64 words each, assembly/rowText/index.ts). */
const PIECE = 32;
const PIECE_CONSTANT = 0;
const PIECE_PARAMETER = 1;
const PIECE_NUMBER = 2;
const PIECE_WORD = 3;
const PIECE_CELL = 4;
/** Longest String(v) of a finite double ("-0.00000" + 17 digits) and of a cell number (2^53). */
const NUMBER_BYTES = 25;
const CELL_BYTES = 20;
const SEP_BYTES = 16;

/**
 * Rows written by build/rowText.wasm. The module's memory holds, from its arena start: the text pool
 * (every constant, axis value and word once), the (address, length) tables of axis values and words,
 * the row's pieces, the separator, then per block the input columns and the output text.
 */
function wasmRows(l: Layout): RowBytes {
  const m = rowTextInstance();
  const n = l.kind.length;
  // Pieces before addresses: [kind, a, b, c] with texts as pool indices for now.
  const pool: string[] = [];
  const pieces: { kind: number; a: number; b: number; c: number; column?: number; texts?: string[] }[] = [];
  let pending = '';
  let rowBytes = 0;
  const flush = () => {
    if (pending.length > 0) pieces.push({ kind: PIECE_CONSTANT, a: 0, b: 0, c: 0, texts: [pending] });
    rowBytes += pending.length;
    pending = '';
  };
  const inputs: number[] = []; // block column j per input slot
  for (let j = 0; j < n; j++) {
    pending += l.prefix[j];
    const texts = l.texts[j];
    switch (l.kind[j]) {
      case PARAMETER:
        // Single-valued axes print the same text on every row: folded into the constant piece.
        if (l.size[j] === 1) pending += texts[0];
        else {
          flush();
          pieces.push({ kind: PIECE_PARAMETER, a: l.stride[j], b: l.size[j], c: 0, texts });
          rowBytes += Math.max(...texts.map((t) => t.length));
        }
        break;
      case THEORY:
        flush();
        pieces.push({ kind: PIECE_NUMBER, a: 0, b: 0, c: l.missing.length, column: inputs.length, texts: [l.missing] });
        inputs.push(j);
        rowBytes += Math.max(NUMBER_BYTES, l.missing.length);
        break;
      case WORD:
        flush();
        pieces.push({ kind: PIECE_WORD, a: 0, b: 0, c: texts.length, column: inputs.length, texts: [...texts, l.missing] });
        inputs.push(j);
        rowBytes += Math.max(l.missing.length, ...texts.map((t) => t.length));
        break;
      default:
        flush();
        pieces.push({ kind: PIECE_CELL, a: 0, b: 0, c: 0 });
        rowBytes += CELL_BYTES;
    }
  }
  pending += l.csv ? '' : '}';
  flush();
  rowBytes += SEP_BYTES;

  // Fixed region: pool text, then tables (8 bytes per text), then pieces, then the separator.
  for (const p of pieces) if (p.texts) pool.push(...p.texts);
  const poolBytes = pool.reduce((s, t) => s + t.length, 0);
  const align = (x: number) => (x + 7) & ~7;
  const tablesAt = align(poolBytes);
  const piecesAt = tablesAt + 8 * pool.length;
  const sepAt = piecesAt + PIECE * pieces.length;
  const fixed = align(sepAt + SEP_BYTES);
  const base = m.reserve(fixed);
  if (base === 0) throw new Error('out of memory for the row formatter');
  {
    const bytes = new Uint8Array(m.memory.buffer);
    const table = new Int32Array(m.memory.buffer, base + tablesAt, 2 * pool.length);
    let at = base;
    pool.forEach((t, k) => {
      for (let q = 0; q < t.length; q++) bytes[at + q] = t.charCodeAt(q);
      table[2 * k] = at;
      table[2 * k + 1] = t.length;
      at += t.length;
    });
  }
  // Texts of piece k start at table entry first[k].
  let entry = 0;
  const words = new BigInt64Array(m.memory.buffer, base + piecesAt, 4 * pieces.length);
  const table = new Int32Array(m.memory.buffer, base + tablesAt, 2 * pool.length);
  const columnPieces: number[] = [];
  pieces.forEach((p, k) => {
    const tableAddress = base + tablesAt + 8 * entry;
    let a = p.a;
    let b = p.b;
    let c = p.c;
    if (p.kind === PIECE_CONSTANT) [a, b] = [table[2 * entry], table[2 * entry + 1]];
    else if (p.kind === PIECE_PARAMETER) c = tableAddress;
    else if (p.kind === PIECE_NUMBER) b = table[2 * entry];
    else if (p.kind === PIECE_WORD) b = tableAddress;
    if (p.column !== undefined) columnPieces[p.column] = k;
    words.set([BigInt(p.kind), BigInt(a), BigInt(b), BigInt(c)], 4 * k);
    entry += p.texts?.length ?? 0;
  });

  let capacity = 0; // rows the input columns hold
  let lastSep = '';
  return (block, first, sep) => {
    const count = block.count;
    if (count === 0) return Buffer.alloc(0);
    if (sep.length > SEP_BYTES) throw new Error('row separator too long');
    const theory = block.theory as Record<string, Float64Array>;
    if (count > capacity) {
      capacity = Math.max(count, 2 * capacity);
      // + 8: the module copies texts in 8-byte words, past the last row's end.
      const at = m.reserve(fixed + 8 * capacity * inputs.length + capacity * rowBytes + 8);
      if (at === 0) throw new Error('out of memory for the row formatter');
      const program = new BigInt64Array(m.memory.buffer, base + piecesAt, 4 * pieces.length);
      inputs.forEach((_, slot) => (program[4 * columnPieces[slot] + 1] = BigInt(base + fixed + 8 * capacity * slot)));
    }
    const memory = m.memory.buffer;
    if (sep !== lastSep) {
      const bytes = new Uint8Array(memory, base + sepAt, SEP_BYTES);
      for (let q = 0; q < sep.length; q++) bytes[q] = sep.charCodeAt(q);
      lastSep = sep;
    }
    inputs.forEach((j, slot) => new Float64Array(memory, base + fixed + 8 * capacity * slot, count).set(theory[l.field[j]].subarray(0, count)));
    const out = base + fixed + 8 * capacity * inputs.length;
    const length = m.formatRows(base + piecesAt, pieces.length, count, block.start, first, base + sepAt, sep.length, out);
    return Buffer.from(memory, out, length);
  };
}

/** Rows joined in JavaScript (Monte Carlo columns, or texts outside printable ASCII). */
function joinedRows(l: Layout, r: ResolvedSweep): RowFormatter {
  const { cols, csv, missing, prefix, kind, stride, size, field } = l;
  const n = kind.length;
  const text = (v: number | string): string =>
    typeof v === 'string' ? (csv ? v : JSON.stringify(v)) : isNullValue(v) ? missing : String(v);
  const strings = l.texts.map((t, j) => t.map((s) => prefix[j] + s));
  const missingText = prefix.map((p) => p + missing);
  // Single-valued axes print the same text on every row: fold each run of them into one constant
  // piece, written before the next varying column (CONSTANT pieces are pre-joined, not per row).
  const constant: string[] = field.map(() => '');
  const live: number[] = [];
  let pending = '';
  for (let j = 0; j < n; j++) {
    if (kind[j] === PARAMETER && size[j] === 1) pending += strings[j][0];
    else [constant[j], pending] = [pending, ''], live.push(j);
  }
  const tail = pending;
  const arrays: (Float64Array | undefined)[] = new Array(n);
  return (block, first, sep) => {
    const theory = block.theory as Record<string, Float64Array> | undefined;
    for (let j = 0; j < n; j++) arrays[j] = kind[j] === THEORY || kind[j] === WORD ? theory![field[j]] : undefined;
    // Monte Carlo cells cost far more than their formatting: their summary is computed once per row.
    const mcColumns = kind.includes(MC);
    const end = csv ? '' : '}';
    const parts: string[] = [];
    for (let i = 0; i < block.count; i++) {
      const cell = block.start + i;
      const mc = mcColumns ? (blockCell(r, block, i).montecarlo as unknown as Record<string, number>) : undefined;
      let row = first && i === 0 ? '' : sep;
      for (const j of live) {
        row += constant[j];
        switch (kind[j]) {
          case PARAMETER:
            row += strings[j][Math.floor(cell / stride[j]) % size[j]];
            break;
          case THEORY: {
            const v = arrays[j]![i];
            row += prefix[j] + (v >= 0 && v < SMALL && Number.isInteger(v) ? SMALL_INTS[v] : isNullValue(v) ? missing : String(v));
            break;
          }
          case WORD: {
            const v = arrays[j]![i];
            row += Number.isNaN(v) ? missingText[j] : strings[j][v];
            break;
          }
          case MC:
            row += prefix[j] + text(mc![cols[j]]);
            break;
          default:
            row += prefix[j] + (cell < SMALL ? SMALL_INTS[cell] : String(cell));
        }
      }
      parts.push(row + tail + end);
    }
    return parts.join('');
  };
}

/**
 * A block's columns as the Parquet writer takes them (src/sweep/parquet.ts): numbers (NaN for none)
 * or, for its STRING columns, codes into words — the values the CSV/NDJSON rows print.
 */
export function blockColumns(cols: readonly string[], r: ResolvedSweep): (block: SweepBlock) => (Float64Array | WordColumn)[] {
  const l = layout('csv', cols, r);
  const axisValues = cols.map((c) => (r as unknown as Record<string, readonly (number | string)[] | undefined>)[c]);
  // Words of coded theory fields (code k is word k) and of word-valued axes (answers: 'open').
  const words = cols.map((c, j) => (l.kind[j] === WORD ? l.texts[j] : parquetType(c) === 'STRING' ? axisValues[j]!.map(String) : []));
  return (block) => {
    const n = block.count;
    const theory = block.theory as Record<string, Float64Array> | undefined;
    const mc = l.kind.includes(MC) ? Array.from({ length: n }, (_, i) => blockCell(r, block, i).montecarlo as unknown as Record<string, number>) : [];
    return cols.map((c, j) => {
      switch (l.kind[j]) {
        case CELL: {
          const out = new Float64Array(n);
          for (let i = 0; i < n; i++) out[i] = block.start + i;
          return out;
        }
        case PARAMETER: {
          // The axis value per row (its index for word axes): runs of `stride` cells, mixed radix.
          const values = axisValues[j]!;
          const strings = words[j].length > 0;
          const out = new Float64Array(n);
          const stride = l.stride[j];
          const size = l.size[j];
          let k = Math.floor(block.start / stride) % size;
          let within = block.start % stride;
          for (let i = 0; i < n;) {
            const run = Math.min(n - i, stride - within);
            out.fill(strings ? k : (values[k] as number), i, i + run);
            i += run;
            within = 0;
            if (++k === size) k = 0;
          }
          return strings ? { codes: out, words: words[j] } : out;
        }
        case THEORY:
          return theory![l.field[j]].subarray(0, n);
        case WORD:
          return { codes: theory![l.field[j]].subarray(0, n), words: words[j] };
        default:
          return Float64Array.from(mc, (m) => m[c] ?? NaN);
      }
    });
  };
}
