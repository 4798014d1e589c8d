// Sweep rows as text, written from columnar blocks into one byte buffer (issue 14, speed): the CLI's
// CSV and NDJSON writers describe a row once as a list of pieces (constant text, an axis value
// picked by the cell's index, a number column, a word column, the cell number) and this module
// writes every row of a block. Numbers print as ECMAScript's String(v) (shortestDecimal.ts), so the
// bytes are those of the JavaScript writers. Built as its own module (build/rowText.wasm): the CLI
// needs it, the library and the browser do not.
import { TABLES, writeShortest, writeDigits, decimalLength } from './shortestDecimal';
export { reserve } from '../arena';

/** Address of the 128-bit power-of-five tables, which the host fills once after instantiation. */
export function tables(): usize {
  return TABLES;
}

// Row pieces: four i64 words each (kind, a, b, c).
/** Constant text: a = address, b = length. */
const CONSTANT = 0;
/** An axis value: index ⌊cell / a⌋ mod b into a table at c of (address, length) i32 pairs. */
const PARAMETER = 1;
/** A number column (f64 per row) at a: String(v) when finite, else the text at b of length c. */
const NUMBER = 2;
/** A word column (f64 codes per row) at a: entry v of the (address, length) table at b; entry c (the count) when NaN. */
const WORD = 3;
/** The cell number (start + row). */
const CELL = 4;

// @ts-ignore: decorator
@inline function copy(out: usize, from: usize, length: usize): usize {
  // Pieces are short: copy whole 8-byte words (the output has 8 bytes of slack past its end, and
  // reading up to 7 bytes past a source text stays inside memory).
  for (let k: usize = 0; k < length; k += 8) store<u64>(out + k, load<u64>(from + k));
  return out + length;
}

/**
 * Writes `count` rows of cells start, start + 1, … at `out`, each preceded by the separator (sep,
 * sepLength) except the first row when `first` is set; returns the number of bytes written.
 */
export function formatRows(program: usize, pieces: i32, count: i32, start: f64, first: bool, sep: usize, sepLength: i32, out: usize): i32 {
  const begin = out;
  const firstCell = <u64>start;
  for (let i = 0; i < count; i++) {
    if (i > 0 || !first) out = copy(out, sep, <usize>sepLength);
    const cell = firstCell + <u64>i;
    for (let p = 0; p < pieces; p++) {
      const piece = program + (<usize>p << 5);
      const kind = <i32>load<i64>(piece);
      const a = load<i64>(piece, 8);
      const b = load<i64>(piece, 16);
      const c = load<i64>(piece, 24);
      if (kind == CONSTANT) {
        out = copy(out, <usize>a, <usize>b);
      } else if (kind == NUMBER) {
        const v = load<f64>(<usize>a + (<usize>i << 3));
        if (v - v == 0) out = writeShortest(out, v); // finite
        else out = copy(out, <usize>b, <usize>c);
      } else if (kind == PARAMETER) {
        const index = (cell / <u64>a) % <u64>b;
        const entry = <usize>c + (<usize>index << 3);
        out = copy(out, <usize>load<i32>(entry), <usize>load<i32>(entry, 4));
      } else if (kind == WORD) {
        const v = load<f64>(<usize>a + (<usize>i << 3));
        const index = v != v ? c : <i64>v;
        const entry = <usize>b + (<usize>index << 3);
        out = copy(out, <usize>load<i32>(entry), <usize>load<i32>(entry, 4));
      } else {
        const length = decimalLength(cell);
        writeDigits(out, cell, length);
        out += <usize>length;
      }
    }
  }
  return <i32>(out - begin);
}

/**
 * String(v) of `count` doubles at `values`, each followed by '\n' (NaN and ±Infinity as JavaScript
 * prints them); returns the number of bytes. For tests against V8's own String(v).
 */
export function formatNumbers(values: usize, count: i32, out: usize): i32 {
  const begin = out;
  for (let i = 0; i < count; i++) {
    const v = load<f64>(values + (<usize>i << 3));
    if (v - v == 0) {
      out = writeShortest(out, v);
    } else {
      const text = v != v ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity';
      for (let k = 0; k < text.length; k++) store<u8>(out++, <u8>text.charCodeAt(k));
    }
    store<u8>(out++, 10);
  }
  return <i32>(out - begin);
}
