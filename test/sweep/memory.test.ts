// Streaming a 1,000,000-cell theory sweep keeps memory bounded: only a window of tasks is in flight
// and nothing is kept once the consumer has seen it. The measured peaks are printed.
import { describe, expect, it } from 'vitest';
import { PiscinaExecutor, phaseGrid, sweep, type SweepSpec } from '../../src/node.ts';

const MB = 2 ** 20;

describe('memory', () => {
  it('a 1,000,000-cell theory sweep streams in bounded memory', async () => {
    const spec: SweepSpec = { b: [5], gamma: { start: 0, stop: 1, count: 1000 }, rho: { start: 0, stop: 1, count: 1000 }, u0: [0.05], depth: [10] };
    const executor = new PiscinaExecutor({ workers: 2 });
    try {
      globalThis.gc?.();
      const before = process.memoryUsage();
      let peakRss = before.rss;
      let peakHeap = before.heapUsed;
      let cells = 0;
      let checked = 0;
      const started = performance.now();
      for await (const cell of sweep(spec, { executor })) {
        if (cell.cell !== cells) throw new Error(`cell ${cell.cell} out of order (expected ${cells})`);
        cells++;
        if (cell.cell % 4099 === 0) {
          const m = process.memoryUsage();
          peakRss = Math.max(peakRss, m.rss);
          peakHeap = Math.max(peakHeap, m.heapUsed);
          const one = phaseGrid({ b: [cell.b], gamma: [cell.gamma], rho: [cell.rho], u0: [cell.u0], depths: [cell.depth] });
          expect(cell.theory!.uL).toBe(one.uL[0]);
          expect(cell.theory!.alpha).toBe(one.alpha[0]);
          checked++;
        }
      }
      const seconds = (performance.now() - started) / 1000;
      expect(cells).toBe(1_000_000);
      expect(checked).toBe(244);
      const heapGrowth = (peakHeap - before.heapUsed) / MB;
      const rssGrowth = (peakRss - before.rss) / MB;
      console.log(`1,000,000-cell theory stream (2 workers, per-cell iteration): ${seconds.toFixed(2)} s; `
        + `peak heapUsed ${(peakHeap / MB).toFixed(0)} MB (+${heapGrowth.toFixed(0)} MB), peak RSS ${(peakRss / MB).toFixed(0)} MB (+${rssGrowth.toFixed(0)} MB)`);
      // Holding every cell would take several hundred MB of heap (1e6 objects with 14 fields); the
      // stream holds a few tasks of 4096 cells. Generous bound: GC timing varies.
      expect(heapGrowth).toBeLessThan(120);
    } finally {
      await executor.close();
    }
  });
});
