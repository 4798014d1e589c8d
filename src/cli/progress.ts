// A progress line on stderr, only when stderr is a terminal: stdout stays clean for pipes.
import type { SweepProgress } from '../sweep/index.ts';

/** `unit` names what cellsDone counts (simulate reports §D4 chunks). */
export function progressReporter(label: string, unit = 'cells'): ((p: SweepProgress) => void) | undefined {
  const line = countReporter(label, unit);
  return line && ((p) => line(p.cellsDone, p.cellsTotal, p.rate, p.etaSeconds));
}

/**
 * The same line for any count of done units (e.g. bootstrap resamples), from the rate and the
 * seconds left; throttled to one redraw per 100 ms, and a newline once done.
 */
export function countReporter(label: string, unit: string): ((done: number, total: number, rate: number, etaSeconds: number) => void) | undefined {
  if (!process.stderr.isTTY) return undefined;
  let last = 0;
  let finished = false;
  return (doneCount, total, rate, etaSeconds) => {
    const now = Date.now();
    if (finished || (now - last < 100 && doneCount < total)) return;
    last = now;
    const width = 24;
    const done = Math.round((width * doneCount) / total);
    const eta = Number.isFinite(etaSeconds) ? `${Math.ceil(etaSeconds)} s` : '—';
    process.stderr.write(`\r${label} [${'#'.repeat(done)}${'.'.repeat(width - done)}] ${doneCount}/${total} ${unit}, ${formatRate(rate, unit)}, ETA ${eta}   `);
    if (doneCount >= total) {
      finished = true;
      process.stderr.write('\n');
    }
  };
}

function formatRate(perSecond: number, unit: string): string {
  if (!Number.isFinite(perSecond)) return `— ${unit}/s`;
  return perSecond >= 1000 ? `${(perSecond / 1000).toFixed(1)}k ${unit}/s` : `${perSecond.toFixed(1)} ${unit}/s`;
}
