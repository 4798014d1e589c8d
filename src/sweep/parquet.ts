// Parquet output (issue 14): typed columns for pandas/polars/pyarrow — counts and indices stay
// integers, NaN and ±∞ become nulls, words (answers 'open', regime, trend) are UTF-8 strings.
//
// A small writer of its own for the one layout sweeps need (flat schema, every column OPTIONAL,
// PLAIN values, RLE/bit-packed definition levels, uncompressed data pages v1, min/max/null-count
// statistics): it takes columns straight from the sweep's blocks and streams row groups to the file,
// which a general writer fed with per-row objects could not do at ≥ 1 M rows/s (issue 14, speed).
// The footer is Thrift's compact protocol (parquet.thrift FileMetaData). The bytes depend only on
// the values and the row count, so `merge … --out x.parquet` equals the one-process file.
import { closeSync, openSync, writeSync } from 'node:fs';

/** Columns stored as integers: 64-bit where they can exceed 2^31 (cell index up to 2^40, trial counts). */
const INT64 = new Set(['cell', 'trials', 'correct']);
const INT32 = new Set(['b', 'depth']);
/** Columns of words in extended sweeps (answers holds 'open' beside integers; regime, trend). */
const STRING = new Set(['answers', 'regime', 'trend']);

export type ParquetType = 'INT64' | 'INT32' | 'DOUBLE' | 'STRING';

/**
 * Whether a row value is written as null (Parquet), null (NDJSON/JSON) or empty (CSV): NaN and ±∞,
 * the quantities that do not exist for a cell. The one rule for every output format (src/cli/rows.ts
 * and src/cli/sweep.ts use it too); `v - v` is 0 exactly for finite v, NaN otherwise.
 */
export function isNullValue(v: number): boolean {
  return v - v !== 0;
}

/** The Parquet physical type of a sweep column. */
export function parquetType(column: string): ParquetType {
  return STRING.has(column) ? 'STRING' : INT64.has(column) ? 'INT64' : INT32.has(column) ? 'INT32' : 'DOUBLE';
}

/** Rows per row group, written as one data page per column (1 MB of doubles; DuckDB uses 122,880). */
export const ROW_GROUP = 1 << 17;

// parquet.thrift enums
const TYPE = { INT32: 1, INT64: 2, DOUBLE: 5, STRING: 6 } as const;
const OPTIONAL = 1;
const UTF8 = 0;
const PLAIN = 0;
const RLE = 3;
const UNCOMPRESSED = 0;
const DATA_PAGE = 0;

/** Thrift compact protocol: just what the footer and page headers use. */
class Thrift {
  private bytes: number[] = [];
  private last: number[] = [0];

  byte(b: number): void {
    this.bytes.push(b);
  }
  varint(n: number): void {
    // Non-negative n < 2^53 (offsets and sizes can pass 2^32): arithmetic instead of 32-bit shifts.
    while (n >= 128) {
      this.bytes.push((n % 128) + 128);
      n = Math.floor(n / 128);
    }
    this.bytes.push(n);
  }
  private header(id: number, type: number): void {
    const delta = id - this.last[this.last.length - 1];
    if (delta > 0 && delta <= 15) this.bytes.push((delta << 4) | type);
    else {
      this.bytes.push(type);
      this.varint(id >= 0 ? 2 * id : -2 * id - 1);
    }
    this.last[this.last.length - 1] = id;
  }
  /** An i32 or i64 field (zigzag varint). */
  int(id: number, v: number, type: 5 | 6 = 5): void {
    this.header(id, type);
    this.varint(v >= 0 ? 2 * v : -2 * v - 1);
  }
  long(id: number, v: number): void {
    this.int(id, v, 6);
  }
  binary(id: number, v: Uint8Array | string): void {
    this.header(id, 8);
    const bytes = typeof v === 'string' ? Buffer.from(v, 'utf8') : v;
    this.varint(bytes.length);
    for (const b of bytes) this.bytes.push(b);
  }
  begin(id: number): void {
    this.header(id, 12);
    this.last.push(0);
  }
  end(): void {
    this.bytes.push(0);
    this.last.pop();
  }
  /** A list field header; its elements follow (structs: beginElement/end each). */
  list(id: number, elementType: number, size: number): void {
    this.header(id, 9);
    if (size < 15) this.bytes.push((size << 4) | elementType);
    else {
      this.bytes.push(0xf0 | elementType);
      this.varint(size);
    }
  }
  beginElement(): void {
    this.last.push(0);
  }
  element(v: number | string): void {
    if (typeof v === 'string') {
      const bytes = Buffer.from(v, 'utf8');
      this.varint(bytes.length);
      for (const b of bytes) this.bytes.push(b);
    } else this.varint(v >= 0 ? 2 * v : -2 * v - 1);
  }
  done(): Buffer {
    return Buffer.from(this.bytes);
  }
}

interface ChunkMeta {
  type: ParquetType;
  name: string;
  offset: number;
  size: number;
  values: number;
  nulls: number;
  min?: Uint8Array;
  max?: Uint8Array;
}

/** Little-endian bytes of one value, for statistics. */
function plainBytes(type: ParquetType, v: number): Uint8Array {
  const b = Buffer.alloc(type === 'INT32' ? 4 : 8);
  if (type === 'INT32') b.writeInt32LE(v);
  else if (type === 'INT64') b.writeBigInt64LE(BigInt(v));
  else b.writeDoubleLE(v);
  return b;
}

/** Defined values (non-NaN) of a page and its min/max so far. */
interface PageRange {
  defined: number;
  min: number;
  max: number;
}

// PLAIN encoders of one page: the finite values packed at `out` (little-endian, as the host is:
// Buffer views below assume it — checked once at load), a definition bit per row in `levels`.
if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) throw new Error('the Parquet writer needs a little-endian host');

function plainDoubles(column: Float64Array, scratch: Buffer, levels: Buffer, r: PageRange): void {
  const out = new Float64Array(scratch.buffer, scratch.byteOffset, column.length);
  let defined = 0;
  let { min, max } = r;
  for (let i = 0; i < column.length; i++) {
    const v = column[i];
    if (isNullValue(v)) continue;
    levels[i >> 3] |= 1 << (i & 7);
    out[defined++] = v;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  r.defined = defined;
  r.min = min;
  r.max = max;
}

function plainInt32(column: Float64Array, scratch: Buffer, levels: Buffer, r: PageRange): void {
  const out = new Int32Array(scratch.buffer, scratch.byteOffset, column.length);
  let defined = 0;
  let { min, max } = r;
  for (let i = 0; i < column.length; i++) {
    const v = column[i];
    if (isNullValue(v)) continue;
    levels[i >> 3] |= 1 << (i & 7);
    out[defined++] = v;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  r.defined = defined;
  r.min = min;
  r.max = max;
}

/** INT64 as two 32-bit halves (values are exact integers below 2^53). */
function plainInt64(column: Float64Array, scratch: Buffer, levels: Buffer, r: PageRange): void {
  const out = new Int32Array(scratch.buffer, scratch.byteOffset, 2 * column.length);
  let defined = 0;
  let { min, max } = r;
  for (let i = 0; i < column.length; i++) {
    const v = column[i];
    if (isNullValue(v)) continue;
    levels[i >> 3] |= 1 << (i & 7);
    const high = Math.floor(v / 4294967296);
    out[2 * defined] = v - high * 4294967296;
    out[2 * defined + 1] = high;
    defined++;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  r.defined = defined;
  r.min = min;
  r.max = max;
}

/** Words by code (NaN: null): each one's PLAIN bytes copied in. */
function plainWords(codes: Float64Array, plain: readonly Buffer[], levels: Buffer): Buffer {
  let bytes = 0;
  for (let i = 0; i < codes.length; i++) {
    const code = codes[i];
    if (code !== code) continue;
    bytes += plain[code].length;
    levels[i >> 3] |= 1 << (i & 7);
  }
  const out = Buffer.alloc(bytes);
  let at = 0;
  for (let i = 0; i < codes.length; i++) {
    const code = codes[i];
    if (code !== code) continue;
    const e = plain[code];
    for (let k = 0; k < e.length; k++) out[at + k] = e[k];
    at += e.length;
  }
  return out;
}

function countDefined(codes: Float64Array): number {
  let n = 0;
  for (let i = 0; i < codes.length; i++) if (codes[i] === codes[i]) n++;
  return n;
}

/** A STRING column's rows as codes into its words (NaN: null): sweep words are few and repeat. */
export interface WordColumn {
  codes: ArrayLike<number>;
  words: readonly string[];
}

/**
 * A Parquet file written row group by row group. `append` takes the next rows as columns: numbers
 * (NaN and ±∞ are nulls; integer columns hold exact integers) or, for STRING columns, a WordColumn.
 */
export class ParquetFileWriter {
  private readonly fd: number;
  private readonly types: ParquetType[];
  private offset = 0;
  private closed = false;
  /** Buffered rows per column: numbers, or for STRING columns codes into `plainWords[j]`. */
  private readonly numbers: Float64Array[];
  /** Per STRING column: each word's PLAIN bytes (length, UTF-8) and its code. */
  private readonly plainWords: Buffer[][];
  private readonly wordCodes: Map<string, number>[];
  private buffered = 0;
  private rows = 0;
  private readonly groups: { rows: number; chunks: ChunkMeta[] }[] = [];
  /** Scratch for one page's values (8 bytes per row) and definition levels. */
  private readonly scratch: Buffer;
  private readonly levels: Buffer;

  /** `rowGroup`: rows per row group (the default in files the CLI writes; smaller in tests). */
  constructor(path: string, readonly cols: readonly string[], private readonly rowGroup = ROW_GROUP) {
    this.types = cols.map(parquetType);
    this.numbers = this.types.map(() => new Float64Array(rowGroup));
    this.scratch = Buffer.alloc(8 * rowGroup);
    this.levels = Buffer.alloc(rowGroup / 8 + 16);
    this.plainWords = this.types.map(() => []);
    this.wordCodes = this.types.map(() => new Map());
    this.fd = openSync(path, 'w');
    this.put(Buffer.from('PAR1'));
  }

  private put(bytes: Uint8Array): void {
    let done = 0;
    while (done < bytes.length) done += writeSync(this.fd, bytes, done, bytes.length - done);
    this.offset += bytes.length;
  }

  /** Appends `count` rows given as one array per column (in `cols` order). */
  append(columns: readonly (ArrayLike<number> | WordColumn)[], count: number): void {
    // STRING columns: the caller's word codes translated to this file's codes.
    const sources = columns.map((column, j) => {
      if (this.types[j] !== 'STRING') return column as ArrayLike<number>;
      const { codes, words } = column as WordColumn;
      const ours = words.map((w) => this.wordCode(j, w));
      const translated = new Float64Array(count);
      for (let i = 0; i < count; i++) translated[i] = codes[i] === codes[i] ? ours[codes[i]] : NaN;
      return translated;
    });
    let from = 0;
    while (from < count) {
      const take = Math.min(count - from, this.rowGroup - this.buffered);
      sources.forEach((source, j) => {
        const target = this.numbers[j];
        if (source instanceof Float64Array) target.set(source.subarray(from, from + take), this.buffered);
        else for (let i = 0; i < take; i++) target[this.buffered + i] = source[from + i];
      });
      this.buffered += take;
      from += take;
      if (this.buffered === this.rowGroup) this.flushGroup();
    }
  }

  private wordCode(j: number, word: string): number {
    let code = this.wordCodes[j].get(word);
    if (code === undefined) {
      const text = Buffer.from(word, 'utf8');
      const plain = Buffer.alloc(4 + text.length);
      plain.writeUInt32LE(text.length);
      text.copy(plain, 4);
      code = this.plainWords[j].push(plain) - 1;
      this.wordCodes[j].set(word, code);
    }
    return code;
  }

  private flushGroup(): void {
    const n = this.buffered;
    if (n === 0) return;
    const chunks = this.cols.map((name, j) => this.writeChunk(name, j, n));
    this.groups.push({ rows: n, chunks });
    this.rows += n;
    this.buffered = 0;
  }

  private writeChunk(name: string, j: number, n: number): ChunkMeta {
    const type = this.types[j];
    const chunk: ChunkMeta = { type, name, offset: this.offset, size: 0, values: n, nulls: 0 };
    let min = Infinity;
    let max = -Infinity;
    for (let start = 0; start < n; start += this.rowGroup) {
      const count = Math.min(this.rowGroup, n - start);
      const levels = this.levels;
      levels.fill(0, 0, (count + 7) >> 3);
      const column = this.numbers[j].subarray(start, start + count);
      let values: Uint8Array;
      if (type === 'STRING') values = plainWords(column, this.plainWords[j], levels);
      else {
        const range = { defined: 0, min, max };
        if (type === 'DOUBLE') plainDoubles(column, this.scratch, levels, range);
        else if (type === 'INT32') plainInt32(column, this.scratch, levels, range);
        else plainInt64(column, this.scratch, levels, range);
        ({ min, max } = range);
        values = this.scratch.subarray(0, (type === 'INT32' ? 4 : 8) * range.defined);
      }
      const defined = type === 'STRING' ? countDefined(column) : values.length / (type === 'INT32' ? 4 : 8);
      chunk.nulls += count - defined;
      // Definition levels (bit width 1), RLE/bit-packed hybrid: one run of 1s when nothing is
      // null, else bit-packed groups of 8; prefixed by their byte length.
      const run = new Thrift();
      if (defined === count) {
        run.varint(count * 2);
        run.byte(1);
      } else run.varint(((count + 7) >> 3) * 2 + 1);
      const levelBytes = defined === count ? run.done() : Buffer.concat([run.done(), levels.subarray(0, (count + 7) >> 3)]);
      const prefix = Buffer.alloc(4);
      prefix.writeUInt32LE(levelBytes.length);
      const size = 4 + levelBytes.length + values.length;
      const header = new Thrift();
      header.int(1, DATA_PAGE);
      header.int(2, size);
      header.int(3, size);
      header.begin(5);
      header.int(1, count);
      header.int(2, PLAIN);
      header.int(3, RLE);
      header.int(4, RLE);
      header.end();
      header.end();
      const headerBytes = header.done();
      this.put(headerBytes);
      this.put(prefix);
      this.put(levelBytes);
      this.put(values);
      chunk.size += headerBytes.length + size;
    }
    if (type !== 'STRING' && min <= max) {
      // parquet.thrift: a zero minimum is written as −0, a zero maximum as +0.
      chunk.min = plainBytes(type, min === 0 ? -0 : min);
      chunk.max = plainBytes(type, max === 0 ? 0 : max);
    }
    return chunk;
  }

  /** Writes the last row group and the footer, and closes the file. */
  close(): void {
    this.flushGroup();
    const t = new Thrift();
    t.int(1, 1); // version
    t.list(2, 12, this.cols.length + 1);
    t.beginElement();
    t.binary(4, 'schema');
    t.int(5, this.cols.length);
    t.end();
    this.cols.forEach((name, j) => {
      const type = this.types[j];
      t.beginElement();
      t.int(1, TYPE[type]);
      t.int(3, OPTIONAL);
      t.binary(4, name);
      if (type === 'STRING') {
        t.int(6, UTF8);
        t.begin(10); // LogicalType union: STRING (field 1, an empty struct)
        t.begin(1);
        t.end();
        t.end();
      }
      t.end();
    });
    t.long(3, this.rows);
    t.list(4, 12, this.groups.length);
    for (const group of this.groups) {
      t.beginElement();
      t.list(1, 12, group.chunks.length);
      let bytes = 0;
      for (const c of group.chunks) {
        bytes += c.size;
        t.beginElement();
        t.long(2, c.offset);
        t.begin(3);
        t.int(1, TYPE[c.type]);
        t.list(2, 5, 2);
        t.element(PLAIN);
        t.element(RLE);
        t.list(3, 8, 1);
        t.element(c.name);
        t.int(4, UNCOMPRESSED);
        t.long(5, c.values);
        t.long(6, c.size);
        t.long(7, c.size);
        t.long(9, c.offset);
        t.begin(12); // statistics
        t.long(3, c.nulls);
        if (c.max && c.min) {
          t.binary(5, c.max);
          t.binary(6, c.min);
        }
        t.end();
        t.end();
        t.end();
      }
      t.long(2, bytes);
      t.long(3, group.rows);
      t.long(5, group.chunks[0].offset);
      t.long(6, bytes);
      t.end();
    }
    t.binary(6, 'budgeted-synergy');
    // Column orders (TYPE_ORDER for every column): min/max statistics follow the type's order.
    t.list(7, 12, this.cols.length);
    for (let j = 0; j < this.cols.length; j++) {
      t.beginElement();
      t.begin(1);
      t.end();
      t.end();
    }
    t.end();
    const footer = t.done();
    const length = Buffer.alloc(4);
    length.writeUInt32LE(footer.length);
    this.put(footer);
    this.put(length);
    this.put(Buffer.from('PAR1'));
    this.closed = true;
    closeSync(this.fd);
  }

  /** Closes the file without a footer (an interrupted write; the caller removes it). */
  abort(): void {
    if (this.closed) return;
    this.closed = true;
    closeSync(this.fd);
  }
}

/** Rows a ParquetRowWriter gathers before handing them to the file writer (columns of 64 kB). */
const ROW_BATCH = 8192;

/**
 * Rows as the CSV/NDJSON files hold them (numbers, words, null) to a Parquet file, one at a time:
 * they are gathered as columns of ROW_BATCH rows and appended, so memory stays one row group (the
 * file writer's buffers) whatever the row count — `merge … --out x.parquet` of a multi-GB shard
 * set (issue 16). A non-number in a numeric column is null; a STRING column holds String(value).
 */
export class ParquetRowWriter {
  private readonly writer: ParquetFileWriter;
  private readonly strings: boolean[];
  private readonly batch: Float64Array[];
  /** Per STRING column: its words so far, codes in `batch` index them. */
  private readonly words: string[][];
  private readonly codes: Map<string, number>[];
  private count = 0;

  constructor(path: string, readonly cols: readonly string[]) {
    this.strings = cols.map((c) => parquetType(c) === 'STRING');
    this.batch = cols.map(() => new Float64Array(ROW_BATCH));
    this.words = cols.map(() => []);
    this.codes = cols.map(() => new Map());
    this.writer = new ParquetFileWriter(path, cols);
  }

  /** Appends one row (values in `cols` order). */
  push(row: readonly (number | string | null)[]): void {
    const i = this.count;
    for (let j = 0; j < this.batch.length; j++) {
      const v = row[j];
      if (!this.strings[j]) this.batch[j][i] = typeof v === 'number' ? v : NaN;
      else if (v === null || v === undefined) this.batch[j][i] = NaN;
      else {
        const w = String(v);
        let code = this.codes[j].get(w);
        if (code === undefined) this.codes[j].set(w, (code = this.words[j].push(w) - 1));
        this.batch[j][i] = code;
      }
    }
    if (++this.count === ROW_BATCH) this.flush();
  }

  private flush(): void {
    const n = this.count;
    // append copies the rows into the file writer's buffers, so the batch is reused.
    this.writer.append(this.batch.map((column, j) => (this.strings[j] ? { codes: column.subarray(0, n), words: this.words[j] } : column.subarray(0, n))), n);
    this.count = 0;
  }

  /** Writes the rows still gathered, the last row group and the footer, and closes the file. */
  close(): void {
    this.flush();
    this.writer.close();
  }

  /** Closes the file without a footer (an interrupted write; the caller removes it). */
  abort(): void {
    this.writer.abort();
  }
}
