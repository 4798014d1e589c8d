// `--out file.parquet` (issue 14): typed columns (cell, trials, correct INT64; b, depth INT32; the
// rest DOUBLE with nulls for NaN/±∞) holding exactly the NDJSON values; merge writes Parquet from
// CSV shards with the same bytes as one process (streamed: a heap smaller than the shards suffices,
// issue 16); resume and Parquet shards are refused with the reason.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { asyncBufferFromFile, parquetMetadata, parquetReadObjects } from 'hyparquet';
import { describe, expect, it } from 'vitest';
import { BIN, spawnRun, synergy } from './run.ts';

const ARGS = ['sweep', '--b', '5', '--u0', '0.05', '--depth', '10', '--axis', 'rho=0:0.5:7', '--axis', 'gamma=0.5,0.7,1', '--trials', '3000', '--mode', 'levels'];

async function readParquet(path: string) {
  const buf = await readFile(path);
  const file = buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.length);
  return { schema: parquetMetadata(file).schema, rows: await parquetReadObjects({ file }) };
}

describe('synergy sweep --out file.parquet', () => {
  it('stores the NDJSON values in typed columns with nulls, readable by a Parquet reader', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'synergy-parquet-'));
    expect((await synergy([...ARGS, '--out', join(dir, 'g.parquet')])).code).toBe(0);
    expect((await synergy([...ARGS, '--out', join(dir, 'g.ndjson')])).code).toBe(0);
    const expected = (await readFile(join(dir, 'g.ndjson'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
    const { schema, rows } = await readParquet(join(dir, 'g.parquet'));
    const types = Object.fromEntries(schema.slice(1).map((s) => [s.name, s.type]));
    expect(types).toMatchObject({ cell: 'INT64', b: 'INT32', depth: 'INT32', trials: 'INT64', correct: 'INT64', gamma: 'DOUBLE', uL: 'DOUBLE', mixingDepth: 'DOUBLE' });
    expect(Object.keys(types)).toEqual(Object.keys(expected[0]));
    expect(rows).toHaveLength(21);
    rows.forEach((row, i) => {
      for (const [name, value] of Object.entries(expected[i])) {
        const got = row[name];
        if (types[name] === 'INT64') expect(got).toBe(BigInt(value as number));
        else expect(got).toBe(value);
      }
    });
    // gamma = 1 gives cells where the theory's mixing depth is not finite: NaN/∞ became nulls.
    expect(rows.some((r) => r.mixingDepth === null)).toBe(true);
    // pyarrow, when installed, reads the same integers.
    const pyarrow = await promisify(execFile)('python3', ['-c', 'import pyarrow'], {}).then(() => true, () => false);
    if (pyarrow) {
      const { stdout } = await promisify(execFile)('python3', ['-c', `import pyarrow.parquet as pq; t = pq.read_table(${JSON.stringify(join(dir, 'g.parquet'))}); print(t.schema.field('correct').type, sum(t.column('correct').to_pylist()))`]);
      expect(stdout.trim()).toBe(`int64 ${expected.reduce((n, r) => n + r.correct, 0)}`);
    } else console.warn('pyarrow not installed: the Parquet file was checked with hyparquet only');
  });

  it('merge writes Parquet from CSV shards with the one-process bytes; resume and Parquet shards are refused with the reason', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'synergy-parquet-'));
    expect((await synergy([...ARGS, '--out', join(dir, 'one.parquet')])).code).toBe(0);
    for (const i of [1, 2]) expect((await synergy([...ARGS, '--shard', `${i}/2`, '--out', join(dir, `s${i}.csv`)])).code).toBe(0);
    expect((await synergy(['merge', join(dir, 's2.csv'), join(dir, 's1.csv'), '--out', join(dir, 'merged.parquet')])).code).toBe(0);
    expect(await readFile(join(dir, 'merged.parquet'))).toEqual(await readFile(join(dir, 'one.parquet')));
    const resume = await synergy([...ARGS, '--resume', '--out', join(dir, 'one.parquet')]);
    expect(resume.code).toBe(2);
    expect(resume.stderr).toMatch(/^synergy: --out must be a \.csv or \.ndjson file: a Parquet file is written whole at the end .* cannot be resumed or used as a shard/);
    const shard = await synergy([...ARGS, '--shard', '1/2', '--out', join(dir, 'p1.parquet')]);
    expect(shard.code).toBe(2);
    expect(shard.stderr).toMatch(/^synergy: --out must be a \.csv or \.ndjson file: a Parquet file is written whole/);
    const merge = await synergy(['merge', join(dir, 'one.parquet'), '--out', join(dir, 'x.csv')]);
    expect(merge.code).toBe(2);
    expect(merge.stderr).toMatch(/^synergy: merge must be shards in \.csv or \.ndjson file/);
  });

  it('merge streams shards larger than its heap into Parquet: every row, in row groups', async () => {
    // 150,000 theory cells: ~24 MB of CSV shards. Reading them whole (the text, then a row array)
    // needed over 64 MB of heap; streamed, the live heap stays ~8 MB whatever the size, so 16 MB does.
    const HEAP_MB = 16;
    const big = ['sweep', '--b', '3', '--axis', 'gamma=0.5:1:300', '--axis', 'rho=0:0.5:500', '--u0', '-0.1', '--depth', '6'];
    const dir = await mkdtemp(join(tmpdir(), 'synergy-parquet-'));
    try {
      for (const i of [1, 2]) expect((await synergy([...big, '--shard', `${i}/2`, '--out', join(dir, `s${i}.csv`)])).code).toBe(0);
      const shards = [join(dir, 's1.csv'), join(dir, 's2.csv')];
      const bytes = (await stat(shards[0])).size + (await stat(shards[1])).size;
      expect(bytes).toBeGreaterThan(HEAP_MB * 2 ** 20);
      const out = join(dir, 'big.parquet');
      const merge = await spawnRun(process.execPath, [`--max-old-space-size=${HEAP_MB}`, BIN, 'merge', ...shards, '--out', out]);
      expect({ code: merge.code, signal: merge.signal, stderr: merge.stderr }).toEqual({ code: 0, signal: null, stderr: '' });
      const file = await asyncBufferFromFile(out);
      const metadata = parquetMetadata(await file.slice(0));
      expect(metadata.num_rows).toBe(150000n);
      expect(metadata.row_groups.map((g) => g.num_rows)).toEqual([131072n, 18928n]);
      const cells = await parquetReadObjects({ file, columns: ['cell'] });
      expect(cells.every((r, i) => r.cell === BigInt(i))).toBe(true);
      // Rows around the row-group boundary and at both ends hold the CSV's values (empty: null).
      const [first, second] = await Promise.all(shards.map(async (f) => (await readFile(f, 'utf8')).trimEnd().split('\n')));
      const lines = first.concat(second.slice(1)); // the header, then cell i on line i + 1
      const cols = lines[0].split(',');
      for (const [start, end] of [[0, 3], [131070, 131074], [149998, 150000]]) {
        const rows = await parquetReadObjects({ file, rowStart: start, rowEnd: end });
        rows.forEach((row, k) => {
          const cellsText = lines[1 + start + k].split(',');
          cols.forEach((c, j) => {
            const text = cellsText[j];
            const want = text === '' ? null : c === 'cell' ? BigInt(text) : c === 'trend' ? text : Number(text);
            expect({ row: start + k, c, got: row[c] }).toEqual({ row: start + k, c, got: want });
          });
        });
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('a full disk fails in one line naming the file and leaves no .partial', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'synergy-parquet-'));
    const out = join(dir, 'full.parquet');
    await symlink('/dev/full', `${out}.partial`); // every write to the partial file fails with ENOSPC
    const run = await synergy([...ARGS, '--out', out]);
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split('\n')).toEqual([`synergy: cannot write ${out}: ENOSPC: no space left on device, write`]);
    expect(existsSync(`${out}.partial`) || existsSync(out)).toBe(false);
  });

  it('--out - writes NDJSON or CSV to standard output with the file\'s bytes; --format is needed and only there', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'synergy-parquet-'));
    for (const format of ['ndjson', 'csv']) {
      expect((await synergy([...ARGS, '--out', join(dir, `g.${format}`)])).code).toBe(0);
      const piped = await synergy([...ARGS, '--out', '-', '--format', format]);
      expect(piped.code).toBe(0);
      expect(piped.stdout).toBe(await readFile(join(dir, `g.${format}`), 'utf8'));
    }
    const noFormat = await synergy([...ARGS, '--out', '-']);
    expect(noFormat.code).toBe(2);
    expect(noFormat.stderr).toMatch(/^synergy: --format must be ndjson or csv with --out -/);
    const resume = await synergy([...ARGS, '--out', '-', '--format', 'csv', '--resume']);
    expect(resume.code).toBe(2);
    expect(resume.stderr).toMatch(/^synergy: --resume must be absent with --out -/);
    const stray = await synergy([...ARGS, '--out', join(dir, 'x.csv'), '--format', 'csv']);
    expect(stray.code).toBe(2);
    expect(stray.stderr).toMatch(/^synergy: --format must be given only with --out -/);
  });
});

describe('ParquetFileWriter (src/sweep/parquet.ts) from sweep blocks', () => {
  it('writes every cell of a 3000-cell sweep over row groups of 1024 rows with the rows\' values, nulls and statistics', async () => {
    const { sweep } = await import('../../src/index.ts');
    const { columns, rowValues } = await import('../../src/cli/sweep.ts');
    const { blockColumns } = await import('../../src/cli/rows.ts');
    const { ParquetFileWriter } = await import('../../src/sweep/parquet.ts');
    // gamma = 1 gives non-finite mixing depths (nulls); trend holds words and empties.
    const spec = { b: [3], gamma: { start: 0.5, stop: 1, count: 30 }, rho: { start: 0, stop: 0.5, count: 100 }, u0: [-0.1], depth: [6] };
    const cols = columns(spec);
    const dir = await mkdtemp(join(tmpdir(), 'synergy-parquet-'));
    const path = join(dir, 'big.parquet');
    const run = sweep(spec, { chunkSize: 700 });
    const values = blockColumns(cols, run.resolved);
    const writer = new ParquetFileWriter(path, cols, 1024);
    for await (const block of run.blocks()) writer.append(values(block), block.count);
    writer.close();
    const cells = await sweep(spec).collect();
    const buf = await readFile(path);
    const file = buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.length);
    const metadata = parquetMetadata(file);
    expect(metadata.num_rows).toBe(3000n);
    expect(metadata.row_groups.map((g) => g.num_rows)).toEqual([1024n, 1024n, 952n]);
    const rows = await parquetReadObjects({ file });
    expect(rows).toHaveLength(3000);
    let nulls = 0;
    rows.forEach((row, i) => {
      const expected = rowValues(cells[i], cols);
      cols.forEach((c, j) => {
        const want = expected[j];
        const got = row[c];
        if (want === null) nulls++;
        if (c === 'cell') expect(got).toBe(BigInt(want as number));
        else if (got !== want) expect({ cell: i, column: c, got }).toEqual({ cell: i, column: c, got: want });
      });
    });
    expect(nulls).toBeGreaterThan(100);
    // Statistics: null counts and min/max of every numeric column chunk, as the values say.
    const alpha = cols.indexOf('alpha');
    const depth = cols.indexOf('mixingDepth');
    metadata.row_groups.forEach((group, g) => {
      const slice = rows.slice(g * 1024, (g + 1) * 1024);
      const a = slice.map((r) => r.alpha as number);
      expect(group.columns[alpha].meta_data?.statistics?.min_value).toBe(a.reduce((x, y) => Math.min(x, y)));
      expect(group.columns[alpha].meta_data?.statistics?.max_value).toBe(a.reduce((x, y) => Math.max(x, y)));
      expect(group.columns[depth].meta_data?.statistics?.null_count).toBe(BigInt(slice.filter((r) => r.mixingDepth === null).length));
    });
  });

  it('INT64 beyond 2^32 and below 0, UTF-8 words and all-null columns read back', async () => {
    const { ParquetFileWriter } = await import('../../src/sweep/parquet.ts');
    const dir = await mkdtemp(join(tmpdir(), 'synergy-parquet-'));
    const path = join(dir, 'edge.parquet');
    const writer = new ParquetFileWriter(path, ['cell', 'depth', 'regime', 'alpha']);
    const cell = new Float64Array([2 ** 40 + 3, -5, 2 ** 53 - 1, 0]);
    writer.append([cell, new Float64Array([1, NaN, -7, 2 ** 31 - 1]), { codes: new Float64Array([0, NaN, 1, 0]), words: ['bistable', 'wörd'] }, new Float64Array(4).fill(NaN)], 4);
    writer.close();
    const buf = await readFile(path);
    const rows = await parquetReadObjects({ file: buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.length) });
    expect(rows.map((r) => r.cell)).toEqual([2n ** 40n + 3n, -5n, 2n ** 53n - 1n, 0n]);
    expect(rows.map((r) => r.depth)).toEqual([1, null, -7, 2 ** 31 - 1]);
    expect(rows.map((r) => r.regime)).toEqual(['bistable', null, 'wörd', 'bistable']);
    expect(rows.map((r) => r.alpha)).toEqual([null, null, null, null]);
  });
});
