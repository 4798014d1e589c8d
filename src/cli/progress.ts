// A progress line on stderr, only when stderr is a terminal: stdout stays clean for pipes.
import type { SweepProgress } from '../sweep/index.ts';

export function progressReporter(label: string): ((p: SweepProgress) => void) | undefined {
  if (!process.stderr.isTTY) return undefined;
  let last = 0;
  let finished = false;
  return (p) => {
    const now = Date.now();
    if (finished || (now - last < 100 && p.cellsDone < p.cellsTotal)) return;
    last = now;
    const width = 24;
    const done = Math.round((width * p.cellsDone) / p.cellsTotal);
    const eta = Number.isFinite(p.etaSeconds) ? `${Math.ceil(p.etaSeconds)} s` : '—';
    process.stderr.write(`\r${label} [${'#'.repeat(done)}${'.'.repeat(width - done)}] ${p.cellsDone}/${p.cellsTotal} cells, ${formatRate(p.rate)}, ETA ${eta}   `);
    if (p.cellsDone >= p.cellsTotal) {
      finished = true;
      process.stderr.write('\n');
    }
  };
}

function formatRate(cellsPerSecond: number): string {
  if (!Number.isFinite(cellsPerSecond)) return '— cells/s';
  return cellsPerSecond >= 1000 ? `${(cellsPerSecond / 1000).toFixed(1)}k cells/s` : `${cellsPerSecond.toFixed(1)} cells/s`;
}
