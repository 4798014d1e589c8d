// Monotone interpolation of tabulated laws (§B2 leaf tables, §B3 fidelity tables, §C noise tables):
// piecewise cubic Hermite with Fritsch–Carlson slopes, which never overshoots the data, so a
// monotone table gives a monotone curve. Outside the table the end values are held.
import { InvalidParameterError } from '../errors.ts';

export type Direction = 'increasing' | 'decreasing';

export interface MonotoneTable {
  readonly x: readonly number[];
  readonly y: readonly number[];
}

/** Validates a table: equal lengths ≥ 2, finite, x strictly increasing, y monotone in `direction`. */
export function checkTable(name: string, x: unknown, y: unknown, direction: Direction): MonotoneTable {
  if (!Array.isArray(x) || !Array.isArray(y) || x.length !== y.length || x.length < 2) {
    throw new InvalidParameterError(name, 'two arrays of equal length ≥ 2', x);
  }
  for (let i = 0; i < x.length; i++) {
    if (!Number.isFinite(x[i]) || !Number.isFinite(y[i])) {
      throw new InvalidParameterError(`${name}[${i}]`, 'finite numbers', `(${x[i]}, ${y[i]})`);
    }
    if (i > 0 && !(x[i] > x[i - 1])) {
      throw new InvalidParameterError(`${name}[${i}]`, 'strictly increasing abscissae', x[i]);
    }
    if (i > 0 && (direction === 'increasing' ? y[i] < y[i - 1] : y[i] > y[i - 1])) {
      throw new InvalidParameterError(`${name}[${i}]`, `${direction === 'increasing' ? 'non-decreasing' : 'non-increasing'} values`, y[i]);
    }
  }
  return { x, y };
}

const slopeCache = new WeakMap<MonotoneTable, Float64Array>();

function slopes({ x, y }: MonotoneTable): Float64Array {
  const n = x.length;
  const delta = new Float64Array(n - 1);
  for (let i = 0; i < n - 1; i++) delta[i] = (y[i + 1] - y[i]) / (x[i + 1] - x[i]);
  const m = new Float64Array(n);
  m[0] = delta[0];
  m[n - 1] = delta[n - 2];
  for (let i = 1; i < n - 1; i++) {
    // Weighted harmonic mean of neighbouring secants (Fritsch–Butland): zero at a local flat/extremum.
    if (delta[i - 1] * delta[i] <= 0) m[i] = 0;
    else {
      const h0 = x[i] - x[i - 1];
      const h1 = x[i + 1] - x[i];
      const w0 = 2 * h1 + h0;
      const w1 = h1 + 2 * h0;
      m[i] = (w0 + w1) / (w0 / delta[i - 1] + w1 / delta[i]);
    }
  }
  return m;
}

/** Interpolated value at t (end values held outside [x_0, x_last]). */
export function interpolate(table: MonotoneTable, t: number): number {
  const { x, y } = table;
  const n = x.length;
  if (t <= x[0]) return y[0];
  if (t >= x[n - 1]) return y[n - 1];
  let m = slopeCache.get(table);
  if (!m) {
    m = slopes(table);
    slopeCache.set(table, m);
  }
  let lo = 0;
  let hi = n - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (x[mid] <= t) lo = mid;
    else hi = mid;
  }
  const h = x[hi] - x[lo];
  const s = (t - x[lo]) / h;
  const s2 = s * s;
  const s3 = s2 * s;
  return (2 * s3 - 3 * s2 + 1) * y[lo] + (s3 - 2 * s2 + s) * h * m[lo] + (-2 * s3 + 3 * s2) * y[hi] + (s3 - s2) * h * m[hi];
}
