// The block formatter (issue 14, speed) writes the same bytes as the per-cell formatRow path for
// CSV and NDJSON, theory and Monte Carlo columns, non-finite values (null / empty) included. Theory
// rows go through build/rowText.wasm (pieces, shortest round-trip numbers), Monte Carlo rows through
// the JavaScript join: both are compared here.
import { describe, expect, it } from 'vitest';
import { sweep, type SweepSpec } from '../../src/index.ts';
import { blockFormatter } from '../../src/cli/rows.ts';
import { columns, formatRow, rowValues } from '../../src/cli/sweep.ts';

describe('blockFormatter', () => {
  it('equals formatRow cell by cell', async () => {
    // gamma = 1 and rho = 0 give non-finite mixing depths; trials switch the Monte Carlo columns on.
    const specs: SweepSpec[] = [
      { b: [3, 5], gamma: [0.5, 0.8, 1], rho: [0, 0.3], u0: [-0.1, 0.05], depth: [0, 6] },
      { b: [3], gamma: [0.7, 1], rho: [0, 0.2], u0: [0.1], depth: [4], trials: [2000], compute: 'both' },
      // extended rows hold words (answers 'open', regime, trend) and the §H1 accuracy/skill columns
      { answers: [3, 'open'], b: [3], gamma: [0.85, 1], rho: [0, 0.2], u0: [0.1, 0.3], depth: [4], trials: [2000], compute: 'both' },
    ];
    for (const spec of specs) {
      const cols = columns(spec);
      const cells = await sweep(spec, { seed: 3 }).collect();
      for (const format of ['csv', 'ndjson'] as const) {
        const expected = cells.map((cell) => formatRow(format, cols, rowValues(cell, cols))).join('\n');
        const run = sweep(spec, { seed: 3, chunkSize: 5 });
        const rows = blockFormatter(format, cols, run.resolved);
        let text = '';
        let first = true;
        for await (const block of run.blocks()) {
          text += rows(block, first, '\n');
          first = false;
        }
        expect(text).toBe(expected);
        expect(text).toMatch(format === 'csv' ? /,,/ : /null/);
      }
    }
  });

  /** The rows of a run's blocks, joined as the CLI joins them. */
  async function formatted(spec: SweepSpec, format: 'csv' | 'ndjson', sep: string, options: Parameters<typeof sweep>[1]): Promise<string> {
    const run = sweep(spec, options);
    const rows = blockFormatter(format, columns(spec), run.resolved);
    let text = '';
    let first = true;
    for await (const block of run.blocks()) {
      text += rows(block, first, sep);
      first = false;
    }
    return text;
  }

  it('theory rows (WebAssembly): extended words, an m axis, the JSON separator, growing blocks', async () => {
    const specs: SweepSpec[] = [
      // regime and trend words, 'open' among the answers, NaN thresholds and trends (missing)
      { answers: [2, 10, 'open'], b: [3], gamma: [0.85, 1], rho: [0, 0.2], u0: [0.1, 0.3], depth: [0, 8], rhoTask: [0, 0.2] },
      // γ from a fidelity curve: both m and gamma columns
      { b: [3, 4], m: [1, 2, 4], fidelity: { kind: 'saturating', gammaInf: 0.95, m0: 1.7 }, rho: [0.1], u0: [0.05, -0.2], depth: [3] },
      { b: [5], gamma: { start: 0.4, stop: 1, count: 31 }, rho: { start: 0, stop: 0.5, count: 17 }, u0: [0.05], depth: [30] },
    ];
    for (const spec of specs) {
      const cols = columns(spec);
      const cells = await sweep(spec, { seed: 3 }).collect();
      for (const format of ['csv', 'ndjson'] as const) {
        for (const sep of ['\n', ',\n']) {
          const expected = cells.map((cell) => formatRow(format, cols, rowValues(cell, cols))).join(sep);
          expect(await formatted(spec, format, sep, { seed: 3, chunkSize: 7 })).toBe(expected);
        }
        // One formatter over blocks of 3 cells, then of all cells: its buffers grow.
        const run = sweep(spec, { seed: 3, chunkSize: 3 });
        const rows = blockFormatter(format, cols, run.resolved);
        const small: string[] = [];
        for await (const block of run.blocks()) small.push(rows(block, small.length === 0, '\n'));
        let whole = '';
        for await (const block of sweep(spec, { seed: 3, chunkSize: 100_000 }).blocks()) whole += rows(block, whole === '', '\n');
        expect(small.join('')).toBe(whole);
        expect(whole).toBe(cells.map((cell) => formatRow(format, cols, rowValues(cell, cols))).join('\n'));
      }
    }
  });

  it('cell numbers beyond 2^32 (a slice of a 10^10-cell sweep)', async () => {
    const spec: SweepSpec = { b: [3], gamma: { start: 0.5, stop: 1, count: 100_000 }, rho: { start: 0, stop: 0.5, count: 100_000 }, u0: [0.1], depth: [5] };
    const range = { start: 2 ** 33 + 99_990, end: 2 ** 33 + 100_013 };
    const cols = columns(spec);
    const cells = await sweep(spec, { seed: 1, range }).collect();
    expect(cells[0].cell).toBe(range.start);
    for (const format of ['csv', 'ndjson'] as const) {
      const expected = cells.map((cell) => formatRow(format, cols, rowValues(cell, cols))).join('\n');
      expect(await formatted(spec, format, '\n', { seed: 1, range, chunkSize: 5 })).toBe(expected);
      expect(expected).toContain(String(2 ** 33 + 100_000));
    }
  });
});
