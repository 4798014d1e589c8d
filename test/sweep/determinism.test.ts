// Sweep results are byte-identical for 1, 2 and 4 workers, any chunking and any completion order
// (§D4: Monte Carlo chunks keyed by (cell, chunk), integer counts reduced in a fixed order), and they
// equal the analytic kernel and the simulator called directly.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  InThreadExecutor, PiscinaExecutor, phaseGrid, simulateTree, sweep, THEORY_FIELDS, TRIALS_PER_CHUNK,
  type SweepExecutor, type SweepSpec, type SweepTaskResult, type WorkerStamp,
} from '../../src/node.ts';
import { sweepBytes } from './sweepBytes.ts';

const theorySpec: SweepSpec = {
  b: [3, 5, 7],
  gamma: { start: 0.4, stop: 1, count: 13 },
  rho: { start: 0, stop: 0.5, step: 0.1 },
  u0: [-0.1, 0.05, 0.3],
  depth: [0, 5, 40],
};

// Cells of 70,000 trials span two §D4 chunks (TRIALS_PER_CHUNK = 65,536), so with small tasks a
// cell's counts come from different tasks, possibly on different workers.
const bothSpec: SweepSpec = {
  b: [3, 5],
  gamma: [0.6, 0.95],
  rho: [0, 0.3],
  u0: [0.05],
  depth: [2, 4],
  trials: [70_000, 1_000],
  compute: 'both',
};

/** Delays each result by a seeded pseudo-random time, so tasks complete out of plan order. */
class ShufflingExecutor implements SweepExecutor {
  readonly completionOrder: number[] = [];
  readonly stamps: WorkerStamp[] = [];
  private state = 12345;
  constructor(private readonly inner: SweepExecutor) {}
  get concurrency(): number {
    return this.inner.concurrency;
  }
  async run(task: Parameters<SweepExecutor['run']>[0], options: Parameters<SweepExecutor['run']>[1]): Promise<SweepTaskResult> {
    this.state = (this.state * 1103515245 + 12345) % 2 ** 31;
    const delay = this.state % 25;
    const result = await this.inner.run(task, options);
    await new Promise((resolve) => setTimeout(resolve, delay));
    this.completionOrder.push(task.index);
    this.stamps.push(result.worker);
    return result;
  }
  close(): Promise<void> {
    return this.inner.close();
  }
}

let pools: Record<1 | 2 | 4, PiscinaExecutor>;

beforeAll(() => {
  pools = { 1: new PiscinaExecutor({ workers: 1 }), 2: new PiscinaExecutor({ workers: 2 }), 4: new PiscinaExecutor({ workers: 4 }) };
});

afterAll(async () => {
  await Promise.all(Object.values(pools).map((p) => p.close()));
});

describe('sweep determinism', () => {
  it('theory sweeps: identical bytes in-thread and on 1, 2, 4 workers, any chunk size and completion order', async () => {
    const reference = await sweepBytes(sweep(theorySpec, { executor: new InThreadExecutor() }));
    expect(reference.length).toBe(3 * 13 * 6 * 3 * 3 * THEORY_FIELDS.length * 8);
    for (const workers of [1, 2, 4] as const) {
      for (const chunkSize of [1, 37, 4096]) {
        const bytes = await sweepBytes(sweep(theorySpec, { executor: pools[workers], chunkSize }));
        expect(bytes.equals(reference), `workers=${workers} chunkSize=${chunkSize}`).toBe(true);
      }
    }
    const shuffled = new ShufflingExecutor(pools[4]);
    const bytes = await sweepBytes(sweep(theorySpec, { executor: shuffled, chunkSize: 50 }));
    expect(bytes.equals(reference)).toBe(true);
    // The delays really did reorder completions.
    expect(shuffled.completionOrder).not.toEqual([...shuffled.completionOrder].sort((a, b) => a - b));
  });

  it('theory cells equal the phase-grid kernel over the whole grid', async () => {
    const cells = await sweep(theorySpec, { executor: pools[2], chunkSize: 100 }).collect();
    const run = sweep(theorySpec);
    const { b, gamma, rho, u0, depth } = run.resolved;
    const grid = phaseGrid({ b, gamma, rho, u0, depths: depth });
    expect(cells.length).toBe(grid.cells * depth.length);
    cells.forEach((c, i) => {
      const point = Math.floor(i / depth.length);
      const k = i % depth.length;
      expect(c.cell).toBe(i);
      expect(c.theory!.alpha).toBe(grid.alpha[point]);
      expect(c.theory!.uStar).toBe(grid.uStar[point]);
      expect(Object.is(c.theory!.mixingDepth, grid.mixingDepth[point])).toBe(true);
      expect(c.theory!.uL).toBe(grid.uL[point * depth.length + k]);
      expect(c.theory!.clipped).toBe(grid.clipped[point * depth.length + k]);
    });
  });

  it('Monte Carlo + theory sweeps: identical bytes for 1, 2, 4 workers, task sizes and completion orders', async () => {
    const seed = 20_260_117;
    const reference = await sweepBytes(sweep(bothSpec, { executor: new InThreadExecutor(), seed }));
    for (const workers of [1, 2, 4] as const) {
      // One §D4 chunk per task (cells split across tasks), and big tasks (several cells per task).
      for (const leafVotesPerTask of [1, 2 ** 26]) {
        const bytes = await sweepBytes(sweep(bothSpec, { executor: pools[workers], seed, leafVotesPerTask }));
        expect(bytes.equals(reference), `workers=${workers} leafVotesPerTask=${leafVotesPerTask}`).toBe(true);
      }
    }
    const shuffled = new ShufflingExecutor(pools[2]);
    expect((await sweepBytes(sweep(bothSpec, { executor: shuffled, seed, leafVotesPerTask: 1 }))).equals(reference)).toBe(true);
    expect(shuffled.completionOrder).not.toEqual([...shuffled.completionOrder].sort((a, b) => a - b));
    // A different seed gives different counts (the seed is really used).
    const other = await sweepBytes(sweep(bothSpec, { executor: pools[2], seed: seed + 1 }));
    expect(other.equals(reference)).toBe(false);
  });

  it('Monte Carlo cells equal the simulator run directly with the same (seed, cell)', async () => {
    const seed = 7;
    const cells = await sweep(bothSpec, { executor: pools[2], seed, leafVotesPerTask: 1 }).collect();
    expect(cells.length).toBe(32);
    expect(70_000).toBeGreaterThan(TRIALS_PER_CHUNK);
    // Theory fields travel with a cell's first chunk; they equal a theory-only sweep's.
    const { trials: _, compute: __, ...theoryOnly } = bothSpec;
    const theory = await sweep(theoryOnly).collect();
    cells.forEach((c, i) => expect(c.theory).toEqual(theory[Math.floor(i / 2)].theory));
    for (const c of cells) {
      const direct = simulateTree({
        tree: { b: c.b, gamma: c.gamma, rho: c.rho }, u0: c.u0, depth: c.depth, mode: 'full', trials: c.trials!, seed, cell: c.cell,
      });
      expect(c.montecarlo).toEqual(direct);
    }
  });

  it('level-by-level Monte Carlo with a §D2 variant: same bytes on 1 and 2 workers, equal to the simulator', async () => {
    const spec: SweepSpec = {
      b: [3, 5], gamma: [0.7], rho: [0, 0.2], u0: [0.05], depth: [30], trials: [100_000], compute: 'montecarlo',
      mode: 'levels', variant: { kind: 'channelAfterCopy' },
    };
    const seed = 99;
    const one = await sweepBytes(sweep(spec, { executor: pools[1], seed, leafVotesPerTask: 1 }));
    const two = await sweepBytes(sweep(spec, { executor: pools[2], seed }));
    expect(two.equals(one)).toBe(true);
    const cells = await sweep(spec, { executor: pools[2], seed }).collect();
    for (const c of cells) {
      expect(c.montecarlo).toEqual(simulateTree({
        tree: { b: c.b, gamma: c.gamma, rho: c.rho }, u0: c.u0, depth: c.depth, mode: 'levels',
        variant: { kind: 'channelAfterCopy' }, trials: 100_000, seed, cell: c.cell,
      }));
    }
  });

  it('slices (options.range) keep global cell indices and concatenate to the whole sweep byte for byte', async () => {
    for (const [spec, seed] of [[theorySpec, 0], [bothSpec, 11]] as const) {
      const whole = await sweepBytes(sweep(spec, { executor: pools[2], seed }));
      const cells = sweep(spec).cells;
      const cuts = [0, 5, 6, Math.floor(cells / 2), cells];
      // Per-field layout: split each field's bytes at the cuts and interleave the slices' fields.
      const slices: Buffer[] = [];
      for (let i = 0; i + 1 < cuts.length; i++) {
        const run = sweep(spec, { executor: pools[2], seed, leafVotesPerTask: 1, chunkSize: 7, range: { start: cuts[i], end: cuts[i + 1] } });
        slices.push(await sweepBytes(run));
      }
      const fields = whole.length / (cells * 8);
      const joined = Buffer.concat(Array.from({ length: fields }, (_, f) => Buffer.concat(slices.map((s, i) => {
        const n = cuts[i + 1] - cuts[i];
        return s.subarray(f * n * 8, (f + 1) * n * 8);
      }))));
      expect(joined.equals(whole)).toBe(true);
    }
    const some = await sweep(bothSpec, { executor: pools[2], range: { start: 9, end: 12 } }).collect();
    expect(some.map((c) => c.cell)).toEqual([9, 10, 11]);
    expect(() => sweep(theorySpec, { range: { start: 5, end: 4 } })).toThrow(expect.objectContaining({ parameter: 'range.end' }));
    expect(() => sweep(theorySpec, { range: { start: 0, end: 1e9 } })).toThrow(expect.objectContaining({ parameter: 'range.end' }));
    expect(() => sweep(theorySpec, { range: { start: -1, end: 4 } })).toThrow(expect.objectContaining({ parameter: 'range.start' }));
  });

  it('each worker compiles the WASM module once and serves many tasks', async () => {
    const watched = new ShufflingExecutor(pools[2]);
    await sweepBytes(sweep(theorySpec, { executor: watched, chunkSize: 64 }));
    const ids = new Set(watched.stamps.map((s) => s.id));
    expect(watched.stamps.length).toBe(Math.ceil(2106 / 64));
    expect(ids.size).toBeLessThanOrEqual(2);
    // Task counters keep growing per worker: the same module instance (and kernel) ran them all.
    const most = Math.max(...watched.stamps.map((s) => s.tasks));
    expect(most).toBeGreaterThanOrEqual(Math.ceil(watched.stamps.length / 2));
  });
});
