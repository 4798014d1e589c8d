// Row formatting straight from columnar sweep blocks (issue 14, speed): no per-cell objects, no
// JSON.stringify of records. Numbers print as String(v), which is what JSON.stringify prints for a
// finite number, so the bytes equal the per-cell path (formatRow); NaN and ±∞ print null / empty.
import { blockCell, cellParameters, type ResolvedSweep, type SweepBlock } from '../sweep/index.ts';
import { textValue } from './sweepColumns.ts';

type Getter = (block: SweepBlock, i: number, cell: number) => number | string;

const PARAMETERS = new Set(['answers', 'b', 'gamma', 'm', 'rho', 'rhoTask', 'dispersion', 'u0', 'depth']);
const MONTECARLO = new Set(['trials', 'correct', 'accuracy', 'bias', 'stdError', 'accuracyStdError', 'skill', 'skillStdError']);

/** Formats every cell of a block as rows (each preceded by `sep` except the file's first row). */
export function blockFormatter(format: 'ndjson' | 'csv', cols: readonly string[], r: ResolvedSweep): (block: SweepBlock, first: boolean, sep: string) => string {
  let params: ReturnType<typeof cellParameters> | undefined;
  let paramsCell = -1;
  let mc: Record<string, number> | undefined;
  let mcCell = -1;
  const getters: Getter[] = cols.map((c): Getter => {
    if (c === 'cell') return (_b, _i, cell) => cell;
    if (PARAMETERS.has(c)) {
      return (_b, _i, cell) => {
        if (paramsCell !== cell) [params, paramsCell] = [cellParameters(r, cell), cell];
        return (params as unknown as Record<string, number>)[c];
      };
    }
    if (MONTECARLO.has(c)) {
      // Monte Carlo cells cost far more than their formatting: reuse the per-cell summary.
      return (block, i, cell) => {
        if (mcCell !== cell) [mc, mcCell] = [blockCell(r, block, i).montecarlo as unknown as Record<string, number>, cell];
        return mc![c];
      };
    }
    // Coded theory fields print as words (regime, trend); skillL is uL named for the task's unit (§H1).
    const field = c === 'skillL' ? 'uL' : c;
    return (block, i) => textValue(c, (block.theory as Record<string, Float64Array>)[field][i]);
  });
  const keys = cols.map((c, j) => (j === 0 ? '{' : ',') + JSON.stringify(c) + ':');
  const n = cols.length;
  return (block, first, sep) => {
    let out = '';
    for (let i = 0; i < block.count; i++) {
      const cell = block.start + i;
      let row = first && i === 0 ? '' : sep;
      for (let j = 0; j < n; j++) {
        const v = getters[j](block, i, cell);
        const text = typeof v === 'string' ? (format === 'csv' ? v : JSON.stringify(v)) : Number.isFinite(v) ? '' + v : format === 'csv' ? '' : 'null';
        row += format === 'csv' ? (j === 0 ? text : ',' + text) : keys[j] + text;
      }
      out += format === 'csv' ? row : row + '}';
    }
    return out;
  };
}
