// The block formatter (issue 14, speed) writes the same bytes as the per-cell formatRow path for
// CSV and NDJSON, theory and Monte Carlo columns, non-finite values (null / empty) included.
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
});
