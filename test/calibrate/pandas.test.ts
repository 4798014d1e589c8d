// Issue 15: calibrate reads what pandas writes by default. The fixtures were written by
// DataFrame.to_csv() (fixtures/make_pandas_fixtures.py, pandas 1.5.3): an unnamed index column,
// 1.0/0.0 once a column has a missing value, True/False for booleans, NaN as an empty cell. Each must
// read exactly as the same data written plainly (no index, 1/0, rows without missing values).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { correctnessMatrixFromCsv } from '../../src/calibrate/correlation.ts';
import { parseCsv } from '../../src/calibrate/csv.ts';
import { fidelityObservationsFromCsv } from '../../src/calibrate/fidelityFit.ts';
import { leafObservationsFromCsv } from '../../src/calibrate/leafLawFit.ts';
import { synergy } from '../cli/run.ts';

const fixture = (name: string) => fileURLToPath(new URL(`fixtures/${name}`, import.meta.url));
const read = (name: string) => parseCsv(readFileSync(fixture(name), 'utf8'), name);

// The data of make_pandas_fixtures.py, written by hand in the plain form calibrate always read.
const plainMatrix = [
  'gpt,claude,llama,mistral',
  '1,1,0,1', '1,0,0,1', '0,0,0,1', '1,1,1,1', '1,1,,0', '0,1,0,0', '1,1,1,', '0,0,1,0', '1,0,1,1', '1,1,1,1', '0,0,0,0', '1,1,0,1',
].join('\n');

describe('calibrate reads DataFrame.to_csv() output', () => {
  it('the files really are pandas-shaped (unnamed index, 1.0/0.0, True/False, empty cells)', () => {
    const float = readFileSync(fixture('pandas-correctness-float.csv'), 'utf8');
    expect(float.startsWith(',gpt,claude,llama,mistral\n0,')).toBe(true);
    expect(float).toMatch(/,0\.0,/);
    expect(float).toMatch(/,,/);
    expect(readFileSync(fixture('pandas-correctness-bool.csv'), 'utf8')).toMatch(/^0,True,True,False,True$/m);
    expect(readFileSync(fixture('pandas-leaf-counts.csv'), 'utf8')).toMatch(/^3,800,,1000$/m);
  });

  it('correctness matrices (floats and booleans) equal the plain file, index not an agent', () => {
    const plain = correctnessMatrixFromCsv(parseCsv(plainMatrix, 'plain.csv'));
    expect(plain.tasks[4]).toEqual([1, 1, null, 0]);
    for (const name of ['pandas-correctness-float.csv', 'pandas-correctness-bool.csv']) {
      const table = read(name);
      expect(table.unnamedIndex).toBe(true);
      expect(correctnessMatrixFromCsv(table)).toEqual(plain);
    }
  });

  it('leaf counts: 620.0 is 620, the row with an empty count is left out; fidelity counts read with the index ignored', () => {
    const [group] = leafObservationsFromCsv(read('pandas-leaf-counts.csv'));
    expect(group.observations).toEqual([
      { x: 100, right: 620, trials: 1000 }, { x: 200, right: 655, trials: 1000 }, { x: 400, right: 690, trials: 1000 },
      { x: 1600, right: 760, trials: 1000 }, { x: 3200, right: 790, trials: 1000 },
    ]);
    expect(fidelityObservationsFromCsv(read('pandas-fidelity.csv'))).toEqual(
      [[10, 700], [20, 780], [40, 850], [80, 905], [160, 930]].map(([m, agree]) => ({ m, agree, total: 1000 })));
  });

  it('only the first column may be unnamed; other values are still refused, naming the cell', () => {
    expect(() => parseCsv('a,,b\n1,2,3', 'x.csv')).toThrow(/non-empty column name \(only the first, an index column, may be unnamed\)/);
    expect(() => correctnessMatrixFromCsv(parseCsv(',a,b\n0,1,yes', 'x.csv'))).toThrow(/1\/1\.0\/True \(right\), 0\/0\.0\/False \(wrong\) or empty/);
  });

  it('synergy calibrate gives the same estimate for the pandas file as for the plain one', async () => {
    const args = ['calibrate', '--no-plots', '--bootstrap', '0', '--json'];
    const pandas = await synergy([...args, '--correlation', fixture('pandas-correctness-bool.csv'), '--leaf', fixture('pandas-leaf-counts.csv'), '--fidelity', fixture('pandas-fidelity.csv')]);
    expect(pandas.stderr).toBe('');
    expect(pandas.code).toBe(0);
    const out = JSON.parse(pandas.stdout);
    expect(out.correlation.tasks).toBe(12);
    expect(out.correlation.agents.map((a: { name: string }) => a.name)).toEqual(['gpt', 'claude', 'llama', 'mistral']);
    expect(out.correlation.rho).toBe(JSON.parse((await synergy([...args, '--correlation', fixture('pandas-correctness-float.csv')])).stdout).correlation.rho);
  });
});
