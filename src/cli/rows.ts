// Row formatting straight from columnar sweep blocks (issue 14, speed): no per-cell objects, no
// JSON.stringify of records. Numbers print as String(v), which is what JSON.stringify prints for a
// finite number, so the bytes equal the per-cell path (formatRow); NaN and ±∞ print null / empty.
// Parameter columns are a mixed-radix product of the axes (cell = Σ index·stride, AXIS_ORDER), so
// each axis value is formatted once and a row picks its strings by index; theory columns read the
// block's arrays directly; small integers (depths, counts, clipped) come from a table.
import { AXIS_ORDER, blockCell, type ResolvedSweep, type SweepBlock } from '../sweep/index.ts';
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

/** Formats every cell of a block as rows (each preceded by `sep` except the file's first row). */
export function blockFormatter(format: 'ndjson' | 'csv', cols: readonly string[], r: ResolvedSweep): (block: SweepBlock, first: boolean, sep: string) => string {
  const csv = format === 'csv';
  const missing = csv ? '' : 'null';
  // The text of one value, without its key.
  const text = (v: number | string): string =>
    typeof v === 'string' ? (csv ? v : JSON.stringify(v)) : Number.isFinite(v) ? String(v) : missing;
  const n = cols.length;
  // What comes before column j's value: nothing / ',' (CSV), or '{"c":' / ',"c":' (NDJSON).
  const prefix = cols.map((c, j) => (csv ? (j === 0 ? '' : ',') : (j === 0 ? '{' : ',') + JSON.stringify(c) + ':'));
  const kind = new Int32Array(n);
  const stride = new Float64Array(n);
  const size = new Float64Array(n);
  /** Per parameter column: prefix + text of each axis value; per word column: prefix + each word. */
  const strings: string[][] = cols.map(() => []);
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
      strings[j] = values.map((v) => prefix[j] + text(v));
    } else if (textValue(c, 0) !== 0) {
      // Coded theory fields print as words (regime, trend): code k is word k; NaN (none) is missing.
      kind[j] = WORD;
      for (let k = 0; typeof textValue(c, k) === 'string'; k++) strings[j].push(prefix[j] + text(textValue(c, k)));
    } else kind[j] = THEORY;
  });
  const missingText = prefix.map((p) => p + missing);
  // Single-valued axes print the same text on every row: fold each run of them into one constant
  // piece, written before the next varying column (CONSTANT pieces are pre-joined, not per row).
  const constant: string[] = cols.map(() => '');
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
            row += prefix[j] + (v >= 0 && v < SMALL && Number.isInteger(v) ? SMALL_INTS[v] : Number.isFinite(v) ? String(v) : missing);
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
