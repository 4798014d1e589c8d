// Row-writing benchmark (issue 14): rows written per second on one core for CSV, NDJSON and Parquet,
// against the library's block rate (the same 1000×1000 theory sweep streamed in columnar blocks,
// in-thread) in the same run. Writing runs on blocks already computed, so it measures the CLI's
// writers alone: CSV/NDJSON rows formatted (build/rowText.wasm) and written to a file block by
// block; Parquet columns taken from the blocks and written as row groups (src/sweep/parquet.ts).
// Medians of ROUNDS. Target: ≥ 1 M rows/s for each.
import { InThreadExecutor, sweep } from '../dist/node.js';
import { blockBytes, blockColumns } from '../dist/cli/rows.js';
import { columns } from '../dist/cli/sweep.js';
import { ParquetFileWriter } from '../dist/sweep/parquet.js';
import { closeSync, openSync, rmSync, statSync, writeSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir, loadavg } from 'node:os';
import { join } from 'node:path';

const ROUNDS = Number(process.env.ROUNDS ?? 5);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const spec = { b: [5], u0: [0.05], depth: [30], rho: { start: 0, stop: 0.5, count: 1000 }, gamma: { start: 0.4, stop: 1, count: 1000 } };
const cols = columns(spec);
const dir = await mkdtemp(join(tmpdir(), 'synergy-bench-'));
const load = [loadavg()[0]];

const rates = { library: [], csv: [], ndjson: [], parquet: [] };
const sizes = {};
for (let round = 0; round < ROUNDS; round++) {
  const run = sweep(spec, { executor: new InThreadExecutor() });
  const blocks = [];
  let t = performance.now();
  for await (const block of run.blocks()) blocks.push(block);
  rates.library.push(1e6 / ((performance.now() - t) / 1000));
  for (const format of ['csv', 'ndjson']) {
    const path = join(dir, `w.${format}`);
    const rows = blockBytes(format, cols, run.resolved);
    rmSync(path, { force: true }); // a new file, as the CLI writes (truncating the last round's costs time)
    t = performance.now();
    const fd = openSync(path, 'w');
    if (format === 'csv') writeSync(fd, cols.join(',') + '\n');
    blocks.forEach((block, k) => writeSync(fd, rows(block, k === 0, '\n')));
    writeSync(fd, '\n');
    closeSync(fd);
    rates[format].push(1e6 / ((performance.now() - t) / 1000));
    sizes[format] = statSync(path).size;
  }
  const path = join(dir, 'w.parquet');
  const values = blockColumns(cols, run.resolved);
  rmSync(path, { force: true });
  t = performance.now();
  const writer = new ParquetFileWriter(path, cols);
  for (const block of blocks) writer.append(values(block), block.count);
  writer.close();
  rates.parquet.push(1e6 / ((performance.now() - t) / 1000));
  sizes.parquet = statSync(path).size;
  if (sizes.csv < 1e7) throw new Error('wrote nothing');
}
rmSync(dir, { recursive: true });
load.push(loadavg()[0]);

const f = (x) => `${(x / 1e6).toFixed(2)} M rows/s`;
const lib = median(rates.library);
console.log(`loadavg ${load.map((x) => x.toFixed(1)).join(' → ')} (2-core machine shared with other jobs); 10^6 rows × ${cols.length} columns, ${ROUNDS} rounds, medians`);
console.log(`library block rate (in-thread theory): ${f(lib)}`);
for (const [name, key] of [['CSV', 'csv'], ['NDJSON', 'ndjson'], ['Parquet', 'parquet']]) {
  const r = median(rates[key]);
  console.log(`${`${name} writing:`.padEnd(16)} ${f(r)}  (${(r / lib).toFixed(2)}× the block rate; ${(sizes[key] / 1e6).toFixed(0)} MB)`);
}
