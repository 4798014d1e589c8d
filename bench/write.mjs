// Row-writing benchmark (issue 14): rows formatted per second for CSV, NDJSON and Parquet on one core,
// against the library's block rate (the same 1000×1000 theory sweep streamed in columnar blocks,
// in-thread) in the same run. Formatting runs on blocks already computed, so it measures the CLI's
// writer alone; medians of ROUNDS. Target: ≥ 1 M rows/s for CSV and NDJSON.
import { InThreadExecutor, sweep } from '../dist/node.js';
import { blockFormatter } from '../dist/cli/rows.js';
import { columns } from '../dist/cli/sweep.js';
import { writeParquet } from '../dist/sweep/parquet.js';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir, loadavg } from 'node:os';
import { join } from 'node:path';

const ROUNDS = Number(process.env.ROUNDS ?? 5);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const spec = { b: [5], u0: [0.05], depth: [30], rho: { start: 0, stop: 0.5, count: 1000 }, gamma: { start: 0.4, stop: 1, count: 1000 } };
const cols = columns(spec);

const library = [];
const csv = [];
const ndjson = [];
let blocks;
let resolved;
for (let round = 0; round < ROUNDS; round++) {
  const run = sweep(spec, { executor: new InThreadExecutor() });
  resolved = run.resolved;
  blocks = [];
  let t = performance.now();
  for await (const block of run.blocks()) blocks.push(block);
  library.push(1e6 / ((performance.now() - t) / 1000));
  for (const [format, out] of [['csv', csv], ['ndjson', ndjson]]) {
    const rows = blockFormatter(format, cols, resolved);
    t = performance.now();
    let bytes = 0;
    blocks.forEach((block, k) => (bytes += rows(block, k === 0, '\n').length));
    out.push(1e6 / ((performance.now() - t) / 1000));
    if (bytes < 1e6) throw new Error('formatted nothing');
  }
}
// Parquet: one round (it holds every row), 200,000 rows.
const dir = await mkdtemp(join(tmpdir(), 'synergy-bench-'));
const values = [];
for (const block of blocks) for (let i = 0; i < block.count && values.length < 200_000; i++) {
  values.push(cols.map((c) => (c === 'cell' ? block.start + i : c in block.theory ? block.theory[c][i] : 1)));
}
let t = performance.now();
await writeParquet(join(dir, 'w.parquet'), cols, values);
const parquet = values.length / ((performance.now() - t) / 1000);

const f = (x) => `${(x / 1e6).toFixed(2)} M rows/s`;
console.log(`loadavg ${loadavg()[0].toFixed(1)} (2-core machine shared with other jobs); ${ROUNDS} rounds, medians`);
console.log(`library block rate (in-thread theory): ${f(median(library))}`);
console.log(`CSV formatting:    ${f(median(csv))}  (${(median(csv) / median(library)).toFixed(2)}× the block rate)`);
console.log(`NDJSON formatting: ${f(median(ndjson))}  (${(median(ndjson) / median(library)).toFixed(2)}× the block rate)`);
console.log(`Parquet writing:   ${f(parquet)}  (one round, 200,000 rows)`);
