// SPEC §G2 — message fidelity γ(m) from counts: for each message length m, how often the receiver's
// decoded vote equals the sender's (agree of total). γ̂(m) = 2·agree/total − 1. Each §B3 family
// (constant, saturating, rational) is fitted by count-weighted least squares and the families are
// ranked by AIC computed from the binomial log-likelihood at the fitted curve:
//   AIC = 2k − 2·Σ_i [agree_i·ln p_i + (total_i − agree_i)·ln(1 − p_i)],  p_i = (1 + γ(m_i))/2,
// with k the family's parameter count (1 or 2) and the binomial coefficients left out (they are the
// same for every family). Intervals: parametric bootstrap, agree* ~ Binomial(total, agree/total)
// per length, every family refitted on every resample, percentile intervals.
import { InvalidParameterError } from '../errors.ts';
import { fidelity, type FidelityCurve } from '../theory/fidelity.ts';
import { type BootstrapOptions, type Interval, percentileInterval, resolveBootstrap } from './bootstrap.ts';
import { columnIndex, CsvError, type CsvTable, missingIn, numberCell } from './csv.ts';
import { binomial, STREAMS } from './random.ts';

export interface FidelityObservation {
  /** Message length in tokens (≥ 0). */
  m: number;
  /** Received votes equal to the sent vote. */
  agree: number;
  total: number;
}

export type FidelityFamily = 'constant' | 'saturating' | 'rational';
export const FIDELITY_FAMILIES: readonly FidelityFamily[] = ['constant', 'saturating', 'rational'];

export interface FidelityLength {
  m: number;
  agree: number;
  total: number;
  /** γ̂ = 2·agree/total − 1 (can be negative when the channel inverts more than it keeps). */
  gamma: number;
  /** Binomial standard error of γ̂: 2·√(p(1 − p)/total). */
  stdError: number;
}

export interface FidelityFamilyFit {
  family: FidelityFamily;
  /** The fitted curve (a §B3 FidelityCurve: usable by fidelity(), design, analyze). */
  curve: FidelityCurve;
  parameters: number;
  /** Σ total_i·(γ̂_i − γ(m_i))². */
  weightedSse: number;
  logLikelihood: number;
  aic: number;
  /** AIC minus the best family's AIC, and the Akaike weight exp(−Δ/2)/Σ. */
  deltaAic: number;
  weight: number;
  /** Bootstrap intervals of γ (constant) or γ∞ and m0. */
  intervals: { gamma?: Interval | null; gammaInf?: Interval | null; m0?: Interval | null };
  /** True when the best m0 lies at the edge of the search range (m0 is then not identified by the data). */
  m0AtBoundary: boolean;
}

export interface FidelityEstimate {
  lengths: FidelityLength[];
  families: FidelityFamilyFit[];
  /** Families not fitted, with the reason (two-parameter families need three distinct lengths). */
  skipped: { family: FidelityFamily; reason: string }[];
  best: FidelityFamilyFit;
  level: number;
  seed: number;
  resamples: number;
}

/** Reads `m,agree,total` rows (extra columns are ignored). */
export function fidelityObservationsFromCsv(table: CsvTable): FidelityObservation[] {
  const [mc, ac, tc] = [columnIndex(table, 'm', 'message length'), columnIndex(table, 'agree', 'agreeing votes'), columnIndex(table, 'total', 'votes sent')];
  // A row with an empty m, agree or total is a missing measurement (pandas' NaN): left out.
  const rows = table.rows.filter((row) => !missingIn(row, [mc, ac, tc]));
  if (rows.length === 0) throw new CsvError(table.file, table.headerLine, 0, 'at least one data row after the header (rows with an empty m, agree or total are left out)', 'none');
  return rows.map((row) => {
    const m = numberCell(table, row, mc, 'a message length ≥ 0');
    if (m < 0) throw new CsvError(table.file, row.line, mc + 1, 'a message length ≥ 0', row.cells[mc], 'm');
    const total = numberCell(table, row, tc, 'an integer ≥ 1');
    if (!Number.isInteger(total) || total < 1) throw new CsvError(table.file, row.line, tc + 1, 'an integer ≥ 1', row.cells[tc], 'total');
    const agree = numberCell(table, row, ac, `an integer in [0, total]`);
    if (!Number.isInteger(agree) || agree < 0 || agree > total) {
      throw new CsvError(table.file, row.line, ac + 1, `an integer in [0, ${total}] (total on this line)`, row.cells[ac], 'agree');
    }
    return { m, agree, total };
  });
}

/** Pools rows with the same m and sorts by m. */
function pool(rows: readonly FidelityObservation[]): FidelityLength[] {
  const byM = new Map<number, { agree: number; total: number }>();
  for (const r of rows) {
    const c = byM.get(r.m) ?? { agree: 0, total: 0 };
    c.agree += r.agree;
    c.total += r.total;
    byM.set(r.m, c);
  }
  return [...byM.entries()].sort((a, b) => a[0] - b[0]).map(([m, { agree, total }]) => {
    const p = agree / total;
    return { m, agree, total, gamma: 2 * p - 1, stdError: 2 * Math.sqrt((p * (1 - p)) / total) };
  });
}

function validate(rows: readonly FidelityObservation[]): void {
  if (!Array.isArray(rows) || rows.length === 0) throw new InvalidParameterError('observations', 'a non-empty array of { m, agree, total }', rows);
  rows.forEach((r, i) => {
    if (typeof r !== 'object' || r === null || !(r.m >= 0) || !Number.isFinite(r.m)) throw new InvalidParameterError(`observations[${i}].m`, 'a finite message length ≥ 0', r?.m);
    if (!Number.isInteger(r.total) || r.total < 1) throw new InvalidParameterError(`observations[${i}].total`, 'an integer ≥ 1', r.total);
    if (!Number.isInteger(r.agree) || r.agree < 0 || r.agree > r.total) throw new InvalidParameterError(`observations[${i}].agree`, `an integer in [0, ${r.total}]`, r.agree);
  });
}

interface RawFit {
  curve: FidelityCurve;
  weightedSse: number;
  m0AtBoundary: boolean;
}

/** Count-weighted least squares of one family on (m, γ̂, total) data. */
function fitFamily(family: FidelityFamily, m: readonly number[], gamma: readonly number[], w: readonly number[]): RawFit {
  if (family === 'constant') {
    let sw = 0, swg = 0;
    for (let i = 0; i < m.length; i++) {
      sw += w[i];
      swg += w[i] * gamma[i];
    }
    const g = clamp01(swg / sw);
    return { curve: { kind: 'constant', gamma: g }, weightedSse: sse(m, gamma, w, () => g), m0AtBoundary: false };
  }
  // γ∞ enters linearly: for each m0 the best γ∞ ∈ [0, 1] is closed-form, so we profile over ln m0.
  // The curve's shape h(m) is the library's fidelity() of the family with γ∞ = 1 (§B3).
  const profile = (logM0: number) => {
    const m0 = Math.exp(logM0);
    const unit: FidelityCurve = { kind: family, gammaInf: 1, m0 };
    let shh = 0, shg = 0;
    for (let i = 0; i < m.length; i++) {
      const h = fidelity(unit, m[i]);
      shh += w[i] * h * h;
      shg += w[i] * h * gamma[i];
    }
    const gInf = shh > 0 ? clamp01(shg / shh) : 0;
    const curve: FidelityCurve = { kind: family, gammaInf: gInf, m0 };
    return { gInf, m0, value: sse(m, gamma, w, (x) => fidelity(curve, x)) };
  };
  const positive = m.filter((x) => x > 0);
  // Search ln m0 from a thousandth of the shortest positive length to a thousand times the longest.
  const lo = Math.log(Math.min(...positive) / 1000);
  const hi = Math.log(Math.max(...positive) * 1000);
  const steps = 240;
  let bestI = 0;
  let best = profile(lo);
  for (let i = 1; i <= steps; i++) {
    const p = profile(lo + ((hi - lo) * i) / steps);
    if (p.value < best.value) {
      best = p;
      bestI = i;
    }
  }
  // Golden-section refinement inside the grid bracket around the best grid point.
  let a = lo + ((hi - lo) * Math.max(0, bestI - 1)) / steps;
  let b = lo + ((hi - lo) * Math.min(steps, bestI + 1)) / steps;
  const phi = (Math.sqrt(5) - 1) / 2;
  let c = b - phi * (b - a), d = a + phi * (b - a);
  let fc = profile(c), fd = profile(d);
  for (let it = 0; it < 100 && b - a > 1e-12; it++) {
    if (fc.value < fd.value) {
      b = d; d = c; fd = fc; c = b - phi * (b - a); fc = profile(c);
    } else {
      a = c; c = d; fc = fd; d = a + phi * (b - a); fd = profile(d);
    }
  }
  for (const cand of [fc, fd]) if (cand.value < best.value) best = cand;
  const curve: FidelityCurve = { kind: family, gammaInf: best.gInf, m0: best.m0 };
  return { curve, weightedSse: best.value, m0AtBoundary: bestI === 0 || bestI === steps };
}

function sse(m: readonly number[], gamma: readonly number[], w: readonly number[], f: (m: number) => number): number {
  let s = 0;
  for (let i = 0; i < m.length; i++) s += w[i] * (gamma[i] - f(m[i])) ** 2;
  return s;
}

/** Binomial log-likelihood (without the binomial coefficients) of the data at a curve. */
function logLikelihood(lengths: readonly FidelityLength[], curve: FidelityCurve): number {
  let ll = 0;
  for (const l of lengths) {
    const p = (1 + fidelity(curve, l.m)) / 2;
    if (l.agree > 0) ll += l.agree * Math.log(p);
    if (l.total - l.agree > 0) ll += (l.total - l.agree) * Math.log1p(-p);
  }
  return ll;
}

function clamp01(x: number): number {
  return Math.min(1, Math.max(0, x));
}

/**
 * Fits every §B3 family to fidelity counts (§G2), ranks them by AIC and bootstraps their
 * parameters. Lengths that repeat are pooled. The two-parameter families need at least three
 * distinct lengths with m > 0; with fewer they are listed in `skipped`.
 */
export function fitFidelity(observations: readonly FidelityObservation[], options: BootstrapOptions = {}): FidelityEstimate {
  validate(observations);
  const { bootstrap, level, seed } = resolveBootstrap(options);
  const lengths = pool(observations);
  const m = lengths.map((l) => l.m);
  const w = lengths.map((l) => l.total);
  const distinctPositive = m.filter((x) => x > 0).length;
  const families = FIDELITY_FAMILIES.filter((f) => f === 'constant' || distinctPositive >= 3);
  const skipped = FIDELITY_FAMILIES.filter((f) => !families.includes(f))
    .map((family) => ({ family, reason: `needs at least three distinct lengths m > 0 (the data have ${distinctPositive})` }));
  const fits = families.map((f) => fitFamily(f, m, lengths.map((l) => l.gamma), w));

  // Parametric bootstrap: each length's agree count redrawn from Binomial(total, agree/total).
  const replicates = families.map(() => ({ a: [] as number[], b: [] as number[] }));
  for (let r = 0; r < bootstrap; r++) {
    const gamma = lengths.map((l, i) => (2 * binomial(l.total, l.agree / l.total, seed, STREAMS.fidelityBootstrap, r * lengths.length + i)) / l.total - 1);
    families.forEach((f, j) => {
      const c = fitFamily(f, m, gamma, w).curve;
      if (c.kind === 'constant') replicates[j].a.push(c.gamma);
      else if (c.kind === 'saturating' || c.kind === 'rational') {
        replicates[j].a.push(c.gammaInf);
        replicates[j].b.push(c.m0);
      }
    });
  }
  const scored = fits.map((fit, j) => {
    const ll = logLikelihood(lengths, fit.curve);
    const k = families[j] === 'constant' ? 1 : 2;
    return {
      family: families[j], curve: fit.curve, parameters: k, weightedSse: fit.weightedSse, logLikelihood: ll,
      aic: 2 * k - 2 * ll, deltaAic: 0, weight: 0,
      intervals: families[j] === 'constant'
        ? { gamma: percentileInterval(replicates[j].a, level) }
        : { gammaInf: percentileInterval(replicates[j].a, level), m0: percentileInterval(replicates[j].b, level) },
      m0AtBoundary: fit.m0AtBoundary,
    };
  });
  const minAic = Math.min(...scored.map((s) => s.aic));
  const finite = Number.isFinite(minAic);
  for (const s of scored) s.deltaAic = finite ? s.aic - minAic : (s.aic === minAic ? 0 : Infinity);
  const total = scored.reduce((sum, s) => sum + Math.exp(-s.deltaAic / 2), 0);
  for (const s of scored) s.weight = Math.exp(-s.deltaAic / 2) / total;
  // Ties (equal AIC) go to the simpler family, then to the order of FIDELITY_FAMILIES.
  const best = [...scored].sort((x, y) => x.deltaAic - y.deltaAic || x.parameters - y.parameters)[0];
  return { lengths, families: scored, skipped, best, level, seed, resamples: bootstrap };
}
