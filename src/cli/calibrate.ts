// `synergy calibrate` (SPEC §G): fit ρ (§G1), γ(m) (§G2) and the leaf law (§G3) from CSV files,
// print them with intervals, write one diagnostic figure per fit, and print the `analyze` and
// `design` command lines that use the calibrated numbers. Any subset of the three inputs works.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type * as vegaLite from 'vega-lite';
import { InvalidParameterError } from '../errors.ts';
import { fidelity, type FidelityCurve } from '../fidelity.ts';
import { leafBias } from '../leafLaw.ts';
import type { Interval } from '../calibrate/bootstrap.ts';
import { parseCsv } from '../calibrate/csv.ts';
import { correctnessMatrixFromCsv, type CorrelationEstimate, estimateCorrelation } from '../calibrate/correlation.ts';
import { type FidelityEstimate, fidelityObservationsFromCsv, fitFidelity } from '../calibrate/fidelityFit.ts';
import { fitLeafLaw, type LeafLawEstimate, leafObservationsFromCsv } from '../calibrate/leafLawFit.ts';
import { checkWritableDirectory } from './files.ts';
import { fmt, table } from './format.ts';
import { parseInteger, parseNumber } from './options.ts';
import { render } from './plot.ts';

export interface CalibrateFlags {
  leaf?: string;
  correlation?: string;
  fidelity?: string;
  chance: string;
  leafX: string;
  leafAccuracy?: string;
  leafRight: string;
  leafTrials: string;
  leafPercent?: boolean;
  leafGroup?: string;
  seed: string;
  bootstrap: string;
  level: string;
  out: string;
  plots: boolean;
  b: string;
  depth: string;
  m?: string;
  budget?: string;
  window?: string;
}

export interface LeafGroupFit extends LeafLawEstimate {
  group: string | null;
  file: string;
  xColumn: string;
}

export interface Calibration {
  seed: number;
  bootstrap: number;
  level: number;
  chance: number;
  leaf: LeafGroupFit[] | null;
  correlation: (CorrelationEstimate & { file: string }) | null;
  fidelity: (FidelityEstimate & { file: string }) | null;
  figures: string[];
  commands: { analyze: string[]; design: string[] };
  notes: string[];
  caveats: string[];
}

/** The §G4 caveat, printed whenever numbers from non-binary (open-answer) data feed a binary prediction. */
export function scopeCaveat(chance: number): string {
  return `SPEC §G4: chance p_c = ${chance} means ${chance === 0 ? 'open answers' : 'more than two possible answers'}, but the majority map of §B ` +
    'models binary decisions (accept/reject, pass/fail, yes/no). For open-answer tasks a plurality vote behaves differently ' +
    '(wrong answers scatter instead of agreeing), so analyze/design predictions built on this leaf law are an extrapolation.';
}

async function readTable(flag: string, path: string) {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new InvalidParameterError(flag, 'a readable CSV file', path, (error as NodeJS.ErrnoException).code ?? (error as Error).message);
  }
  return parseCsv(text, path);
}

/** A number for a command line: 6 significant digits, no exponent noise. */
function num(x: number): string {
  return String(Number(x.toPrecision(6)));
}

function curveFlag(c: FidelityCurve): string {
  switch (c.kind) {
    case 'constant': return `constant:${num(c.gamma)}`;
    case 'saturating':
    case 'rational': return `${c.kind}:${num(c.gammaInf)},${num(c.m0)}`;
    default: return 'table:' + c.m.map((m, i) => `${m}=${c.gamma[i]}`).join(',');
  }
}

function slug(text: string): string {
  return text.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '') || 'group';
}

export async function calibrate(f: CalibrateFlags): Promise<Calibration> {
  if (f.leaf === undefined && f.correlation === undefined && f.fidelity === undefined) {
    throw new InvalidParameterError('--leaf, --correlation or --fidelity', 'at least one input CSV', 'none');
  }
  const chance = parseNumber('chance', f.chance);
  if (!(chance >= 0 && chance < 1)) throw new InvalidParameterError('--chance', 'a chance accuracy in [0, 1) (0.5 for binary decisions, 0 for open answers)', f.chance);
  const seed = parseInteger('seed', f.seed, 0);
  const bootstrap = parseInteger('bootstrap', f.bootstrap, 0);
  const level = parseNumber('level', f.level);
  if (!(level >= 0.5 && level < 1)) throw new InvalidParameterError('--level', 'an interval level in [0.5, 1)', f.level);
  const b = parseInteger('b', f.b, 3);
  if (b % 2 === 0) throw new InvalidParameterError('--b', 'an odd integer ≥ 3', f.b);
  const depth = parseInteger('depth', f.depth, 0);
  const mFlag = f.m === undefined ? undefined : parseNumber('m', f.m);
  if (mFlag !== undefined && !(mFlag >= 0)) throw new InvalidParameterError('--m', 'a message length ≥ 0', f.m);
  const budget = f.budget === undefined ? undefined : parseNumber('budget', f.budget);
  const window = f.window === undefined ? undefined : parseNumber('window', f.window);
  if (f.plots) await checkWritableDirectory('--out', f.out);
  const options = { seed, bootstrap, level };

  let leaf: LeafGroupFit[] | null = null;
  if (f.leaf !== undefined) {
    const t = await readTable('--leaf', f.leaf);
    const groups = leafObservationsFromCsv(t, {
      x: f.leafX, right: f.leafRight, trials: f.leafTrials, accuracy: f.leafAccuracy, percent: !!f.leafPercent, group: f.leafGroup,
    });
    leaf = groups.map(({ group, observations }) => ({
      group, file: f.leaf!, xColumn: f.leafX,
      ...fitLeafLaw(observations, { ...options, chance, name: group === null ? f.leaf! : `${f.leaf} group ${JSON.stringify(group)}` }),
    }));
  }
  let correlation: Calibration['correlation'] = null;
  if (f.correlation !== undefined) {
    const t = await readTable('--correlation', f.correlation);
    const matrix = correctnessMatrixFromCsv(t);
    try {
      correlation = { file: f.correlation, ...estimateCorrelation(matrix, options) };
    } catch (error) {
      if (error instanceof InvalidParameterError) throw new InvalidParameterError(`${f.correlation}: ${error.parameter}`, error.allowed, error.value);
      throw error;
    }
  }
  let fid: Calibration['fidelity'] = null;
  if (f.fidelity !== undefined) {
    const t = await readTable('--fidelity', f.fidelity);
    fid = { file: f.fidelity, ...fitFidelity(fidelityObservationsFromCsv(t), options) };
  }

  const figures: string[] = [];
  if (f.plots) {
    for (const l of leaf ?? []) {
      const path = join(f.out, l.group === null ? 'leaf.svg' : `leaf-${slug(l.group)}.svg`);
      await writeFile(path, await leafFigure(l));
      figures.push(path);
    }
    if (correlation) {
      const path = join(f.out, 'correlation.svg');
      await writeFile(path, await correlationFigure(correlation));
      figures.push(path);
    }
    if (fid) {
      const path = join(f.out, 'fidelity.svg');
      await writeFile(path, await fidelityFigure(fid));
      figures.push(path);
    }
  }

  // The command lines that use the calibrated numbers; <…> marks what the data cannot supply.
  const rho = correlation ? num(correlation.rho) : '<ρ>';
  const m = mFlag ?? (fid ? fid.lengths[Math.floor((fid.lengths.length - 1) / 2)].m : undefined);
  const channel = fid ? `--m ${m} --fidelity ${curveFlag(fid.best.curve)}` : '--gamma <γ>';
  const designChannel = fid ? `--m ${mFlag ?? fid.lengths.map((l) => l.m).join(',')} --fidelity ${curveFlag(fid.best.curve)}` : '--m <m1,m2,…> --fidelity <curve>';
  const budgetFlags = `--budget ${budget ?? '<B>'} --window ${window ?? '<W>'}`;
  const analyzeLines: string[] = [];
  const designLines: string[] = [];
  const notes: string[] = [];
  const leafs = leaf ?? [null];
  for (const l of leafs) {
    // u0: the measured agents' mean bias (§B1) if there is a correctness matrix, else the leaf law at its largest measured compute.
    const u0 = correlation ? correlation.agents.reduce((s, a) => s + a.bias, 0) / correlation.agents.length
      : l ? leafBias(l.law, Math.max(...l.points.map((p) => p.x))) : undefined;
    if (l === leafs[0] || !correlation) {
      analyzeLines.push(`synergy analyze --b ${b} --depth ${depth} ${channel} --rho ${rho} --u0 ${u0 === undefined ? '<u0>' : num(u0)}`);
    }
    const leafFlag = l ? `--leaf power:${num(l.law.k)},${num(l.law.beta)},${num(l.law.gMax ?? 1)}` : '--leaf <power:k,β,gMax>';
    designLines.push(`synergy design ${budgetFlags} ${designChannel} ${leafFlag} --rho ${rho}`);
  }
  if (correlation) notes.push('u0 in analyze is the mean bias (2p − 1) of the agents in the correctness matrix.');
  else if (leaf) notes.push('u0 in analyze is the fitted leaf law at the largest measured compute.');
  notes.push(`b = ${b} and depth ${depth} in analyze are examples (--b, --depth)${fid ? `; m = ${m} is ${mFlag === undefined ? 'the median measured length' : '--m'}` : ''}.`);
  if (budget === undefined || window === undefined) notes.push('Replace <…> with your numbers (calibrate --budget and --window fill them in).');
  if (leaf) notes.push(`The leaf law's compute x is in the units of the column ${JSON.stringify(f.leafX)}; give design's --budget and --window in the same units.`);
  const caveats = leaf && chance !== 0.5 ? [scopeCaveat(chance)] : [];
  return { seed, bootstrap, level, chance, leaf, correlation, fidelity: fid, figures, commands: { analyze: analyzeLines, design: designLines }, notes, caveats };
}

function interval(i: Interval | null | undefined, digits = 4): string {
  return i ? `[${fmt(i.lower, digits)}, ${fmt(i.upper, digits)}]` : '—';
}

export function formatCalibration(c: Calibration): string {
  const out: string[] = [];
  const pct = `${num(c.level * 100)}%`;
  const boot = `${c.bootstrap} bootstrap resamples, seed ${c.seed}, ${pct} percentile intervals`;
  if (c.leaf) {
    const first = c.leaf[0];
    out.push(`Leaf law g(x) = min(g_max, k·x^β) (§G3): ${first.method}, chance p_c = ${c.chance}, ${boot}`);
    out.push(table(['group', 'points', 'k', `k ${pct}`, 'β', `β ${pct}`, 'g_max', `g_max ${pct}`, 'saturated resamples'],
      c.leaf.map((l) => [
        l.group ?? '(all)', String(l.points.length), fmt(l.k), interval(l.intervals.k), fmt(l.beta), interval(l.intervals.beta),
        l.gMaxReached ? fmt(l.gMax) : 'not reached', l.gMaxReached ? interval(l.intervals.gMax) : '—',
        l.saturatedShare === null ? '—' : `${fmt(100 * l.saturatedShare, 1)}%`,
      ])));
    for (const l of c.leaf) {
      if (l.failedResamples > 0) out.push(`  ${l.group ?? l.file}: ${l.failedResamples} resamples could not be fitted and were dropped.`);
      if (l.saturationCompute !== null) out.push(`  ${l.group ?? l.file}: saturates at x ≈ ${Number(l.saturationCompute.toPrecision(4))}.`);
    }
    out.push('');
  }
  if (c.correlation) {
    const r = c.correlation;
    out.push(`Shared failure (§G1): ρ̂ = ${fmt(r.rho)} ${interval(r.interval)} over ${r.tasks} tasks, ${r.agents.length} agents, ${r.pairs.length} pairs; ${boot}` +
      (r.undefinedResamples > 0 ? ` (${r.undefinedResamples} resamples dropped: a pair was constant in them)` : ''));
    out.push(table(['agent', 'answered', 'accuracy', 'bias u = 2p − 1', `u ${pct}`],
      r.agents.map((a) => [a.name, String(a.answered), fmt(a.accuracy), fmt(a.bias), interval(a.biasInterval)])));
    out.push('');
    out.push(table(['pair', 'shared tasks', 'correlation', pct], r.pairs.map((p) => [`${p.a} × ${p.b}`, String(p.shared), fmt(p.rho), interval(p.interval)])));
    out.push('');
  }
  if (c.fidelity) {
    const fd = c.fidelity;
    out.push(`Message fidelity γ(m) (§G2): count-weighted least squares, families ranked by AIC (binomial log-likelihood); ${boot}`);
    out.push(table(['m', 'agree', 'total', 'γ̂ = 2·agree/total − 1', '± se'], fd.lengths.map((l) => [String(l.m), String(l.agree), String(l.total), fmt(l.gamma), fmt(l.stdError)])));
    out.push('');
    out.push(table(['family', 'parameters', pct, 'AIC', 'ΔAIC', 'weight'], fd.families.map((x) => {
      const params = x.curve.kind === 'constant' ? `γ = ${fmt(x.curve.gamma)}`
        : x.curve.kind === 'saturating' || x.curve.kind === 'rational' ? `γ∞ = ${fmt(x.curve.gammaInf)}, m0 = ${fmt(x.curve.m0, 4)}${x.m0AtBoundary ? ' (m0 at search edge)' : ''}` : '';
      const ints = x.intervals.gamma !== undefined ? `γ ${interval(x.intervals.gamma)}` : `γ∞ ${interval(x.intervals.gammaInf)}, m0 ${interval(x.intervals.m0)}`;
      return [x.family + (x === fd.best ? ' (best)' : ''), params, ints, fmt(x.aic, 2), fmt(x.deltaAic, 2), fmt(x.weight, 3)];
    })));
    for (const s of fd.skipped) out.push(`  ${s.family}: not fitted (${s.reason})`);
    out.push('');
  }
  if (c.figures.length > 0) out.push(`figures: ${c.figures.join(', ')}`, '');
  out.push('Use the calibrated numbers:');
  for (const line of [...c.commands.analyze, ...c.commands.design]) out.push(`  ${line}`);
  for (const n of c.notes) out.push(`  ${n}`);
  for (const caveat of c.caveats) out.push('', `Caveat — ${caveat}`);
  return out.join('\n');
}

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

function logGrid(lo: number, hi: number, n: number): number[] {
  return Array.from({ length: n }, (_, i) => lo * Math.pow(hi / lo, i / (n - 1)));
}

/** Leaf data (skill above chance, ±2 se for counts) and the fitted law, compute on a log axis. */
export function leafFigure(l: LeafGroupFit): Promise<string> {
  const xs = l.points.map((p) => p.x);
  const grid = logGrid(Math.min(...xs) / 1.5, Math.max(...xs) * 1.5, 120);
  const fitLabel = `fit: min(${l.gMaxReached ? fmt(l.gMax, 3) : '1'}, ${fmt(l.k, 3)}·x^${fmt(l.beta, 3)})`;
  const curve = grid.map((x) => ({ x, y: leafBias(l.law, x), series: fitLabel }));
  const dots = l.points.map((p) => ({
    x: p.x, y: p.skill, series: 'data', lo: p.stdError === null ? p.skill : p.skill - 2 * p.stdError, hi: p.stdError === null ? p.skill : p.skill + 2 * p.stdError,
  }));
  const color = { field: 'series', type: 'nominal', title: null, legend: { labelLimit: 400 } };
  const xEnc = { field: 'x', type: 'quantitative', scale: { type: 'log' }, title: `compute x (${l.xColumn})` };
  const yScale = { zero: false };
  const yTitle = `skill above chance u = (p − ${l.chance})/(1 − ${l.chance})`;
  return render({
    $schema: SCHEMA,
    title: `Leaf law (§G3)${l.group === null ? '' : `: ${l.group}`} — ${l.method}${l.data === 'counts' ? ', ±2 se' : ''}`,
    width: 480, height: 320,
    layer: [
      { data: { values: curve }, mark: { type: 'line' }, encoding: { x: xEnc, y: { field: 'y', type: 'quantitative', title: yTitle, scale: yScale }, color } },
      { data: { values: dots }, mark: { type: 'errorbar', ticks: true }, encoding: { x: xEnc, y: { field: 'lo', type: 'quantitative', title: yTitle, scale: yScale }, y2: { field: 'hi' }, color } },
      { data: { values: dots }, mark: { type: 'point', filled: true, size: 40 }, encoding: { x: xEnc, y: { field: 'y', type: 'quantitative', title: yTitle, scale: yScale }, color } },
    ],
  } as vegaLite.TopLevelSpec);
}

/** γ̂ per length with ±2 se and every fitted family's curve. */
export function fidelityFigure(fd: FidelityEstimate): Promise<string> {
  const ms = fd.lengths.map((l) => l.m);
  const hi = Math.max(...ms) * 1.1;
  const grid = Array.from({ length: 121 }, (_, i) => (hi * i) / 120);
  const curves = fd.families.flatMap((x) => {
    const label = `${x.family}${x === fd.best ? ' (best)' : ''}: AIC ${fmt(x.aic, 1)}`;
    return grid.map((m) => ({ x: m, y: fidelity(x.curve, m), series: label }));
  });
  const dots = fd.lengths.map((l) => ({ x: l.m, y: l.gamma, lo: l.gamma - 2 * l.stdError, hi: l.gamma + 2 * l.stdError, series: 'data (±2 se)' }));
  const color = { field: 'series', type: 'nominal', title: null, legend: { labelLimit: 400 } };
  const y = (field: string) => ({ field, type: 'quantitative', title: 'fidelity γ' });
  return render({
    $schema: SCHEMA, title: 'Message fidelity γ(m) (§G2)', width: 480, height: 320,
    layer: [
      { data: { values: curves }, mark: { type: 'line' }, encoding: { x: { field: 'x', type: 'quantitative', title: 'message length m (tokens)' }, y: y('y'), color } },
      { data: { values: dots }, mark: { type: 'errorbar', ticks: true }, encoding: { x: { field: 'x', type: 'quantitative' }, y: y('lo'), y2: { field: 'hi' }, color } },
      { data: { values: dots }, mark: { type: 'point', filled: true, size: 40 }, encoding: { x: { field: 'x', type: 'quantitative' }, y: y('y'), color } },
    ],
  } as vegaLite.TopLevelSpec);
}

/** The per-pair correlation matrix as a heatmap (diagonal 1), each cell labelled with r and n. */
export function correlationFigure(r: CorrelationEstimate): Promise<string> {
  const names = r.agents.map((a) => a.name);
  const cells = names.flatMap((a) => names.map((b) => {
    if (a === b) return { a, b, rho: 1, label: '1' };
    const p = r.pairs.find((q) => (q.a === a && q.b === b) || (q.a === b && q.b === a))!;
    return { a, b, rho: p.rho, label: `${fmt(p.rho, 2)} (n=${p.shared})` };
  }));
  const axis = (field: string, title: string) => ({ field, type: 'nominal', sort: names, title });
  return render({
    $schema: SCHEMA,
    title: `Pairwise vote correlation (§G1): ρ̂ = ${fmt(r.rho, 3)} ${interval(r.interval, 3)}`,
    width: Math.max(160, 60 * names.length), height: Math.max(160, 60 * names.length),
    data: { values: cells },
    layer: [
      { mark: { type: 'rect' }, encoding: { x: axis('a', 'agent'), y: axis('b', 'agent'), color: { field: 'rho', type: 'quantitative', title: 'correlation', scale: { domain: [-1, 1], scheme: 'redblue', reverse: true } } } },
      { mark: { type: 'text', fontSize: 10 }, encoding: { x: axis('a', 'agent'), y: axis('b', 'agent'), text: { field: 'label' } } },
    ],
  } as vegaLite.TopLevelSpec);
}
