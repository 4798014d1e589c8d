// A progress line on stderr, only when stderr is a terminal: stdout stays clean for pipes.
import type { SweepProgress } from '../sweep/index.ts';

/** `unit` names what cellsDone counts (simulate reports §D4 chunks). */
export function progressReporter(label: string, unit = 'cells'): ((p: SweepProgress) => void) | undefined {
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
    process.stderr.write(`\r${label} [${'#'.repeat(done)}${'.'.repeat(width - done)}] ${p.cellsDone}/${p.cellsTotal} ${unit}, ${formatRate(p.rate, unit)}, ETA ${eta}   `);
    if (p.cellsDone >= p.cellsTotal) {
      finished = true;
      process.stderr.write('\n');
    }
  };
}

function formatRate(perSecond: number, unit: string): string {
  if (!Number.isFinite(perSecond)) return `— ${unit}/s`;
  return perSecond >= 1000 ? `${(perSecond / 1000).toFixed(1)}k ${unit}/s` : `${perSecond.toFixed(1)} ${unit}/s`;
}
