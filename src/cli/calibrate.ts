// `synergy calibrate` (SPEC §G): fit ρ (§G1), γ(m) (§G2) and the leaf law (§G3) from CSV files,
// print them with intervals, write one diagnostic figure per fit, and print the `analyze` and
// `design` command lines that use the calibrated numbers. Any subset of the three inputs works.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type * as vegaLite from 'vega-lite';
import { checkFanIn, InvalidParameterError } from '../errors.ts';
import { fidelity, type FidelityCurve, formatFidelityCurve } from '../theory/fidelity.ts';
import { leafBias } from '../theory/leafLaw.ts';
import { MAX_DEPTH } from '../theory/level.ts';
import { MAX_SEED } from '../simulate/tree.ts';
import { type Interval, MAX_BOOTSTRAP, MAX_LEVEL, MIN_LEVEL } from '../calibrate/bootstrap.ts';
import { parseCsv } from '../calibrate/csv.ts';
import { correctnessMatrixFromCsv, type CorrelationEstimate, estimateCorrelation } from '../calibrate/correlation.ts';
import { type FidelityEstimate, fidelityObservationsFromCsv, fitFidelity } from '../calibrate/fidelityFit.ts';
import { fitLeafLaw, type LeafLawEstimate, leafObservationsFromCsv } from '../calibrate/leafLawFit.ts';
import { countReporter } from './progress.ts';
import { checkWritableDirectory } from './files.ts';
import { fmt, table } from './format.ts';
import { parseNumber } from './options.ts';
import { render } from './plot.ts';

export interface CalibrateFlags {
  leaf?: string;
  correlation?: string;
  fidelity?: string;
  taskColumn?: string;
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

/** A printed command line; `group` names the leaf group whose law it uses (null: no groups). */
export interface CommandLine {
  group: string | null;
  command: string;
}

/** An analyze line with where its u0 came from (null when the data cannot supply it). */
export interface AnalyzeLine extends CommandLine {
  u0: number | null;
  u0Source: 'correlation' | 'leaf' | null;
}

/** A warning about a fit's reliability, printed under that fit. */
export interface CalibrationWarning {
  fit: 'leaf' | 'correlation' | 'fidelity';
  message: string;
}

/** Above this share of dropped or failed resamples an interval is flagged as unreliable. */
export const DROPPED_RESAMPLES_WARNING = 0.05;

export interface Calibration {
  seed: number;
  bootstrap: number;
  level: number;
  chance: number;
  leaf: LeafGroupFit[] | null;
  correlation: (CorrelationEstimate & { file: string }) | null;
  fidelity: (FidelityEstimate & { file: string }) | null;
  figures: string[];
  /** `explore` holds explorer page URLs (served by `npm run explore`), one per leaf group. */
  commands: { analyze: AnalyzeLine[]; design: CommandLine[]; explore: CommandLine[] };
  warnings: CalibrationWarning[];
  notes: string[];
  caveats: string[];
}

/** The §G4 caveat, printed whenever numbers from non-binary (open-answer) data feed a binary prediction. */
export function scopeCaveat(chance: number): string {
  const means = chance === 0 ? 'open answers' : chance < 0.5 ? 'more than two possible answers' : 'a guessing rate above one half (not a symmetric binary decision)';
  return `SPEC §G4: chance p_c = ${chance} means ${means}, but the majority map of §B ` +
    'models binary decisions (accept/reject, pass/fail, yes/no). For open-answer tasks a plurality vote behaves differently ' +
    '(wrong answers scatter instead of agreeing), so analyze/design predictions built on these numbers are an extrapolation.';
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

/** Where `npm run explore` serves the explorer page (vite.config.ts). */
export const EXPLORER_ORIGIN = 'http://127.0.0.1:4173/';

/** The explorer's ranges (web/state.ts LIMITS) that the CLI's own flags allow beyond. */
const EXPLORER_MAX_DEPTH = 200;
const EXPLORER_MAX_B = 1001;
const EXPLORER_MAX_LENGTHS = 12;

interface ExplorerValues {
  b: number;
  depth: number;
  curve?: FidelityCurve;
  m?: number;
  rho?: number;
  u0?: number | null;
  law?: { k: number; beta: number; gMax?: number };
  budget?: number;
  window?: number;
  lengths: number[];
}

/**
 * The explorer page's URL for the calibrated numbers, in its query keys (web/state.ts RULES; a test
 * parses this URL with the page's own parser). What the data do not supply keeps the page's default.
 */
function explorerUrl(v: ExplorerValues): string {
  const q = new URLSearchParams();
  if (v.b <= EXPLORER_MAX_B) q.set('b', String(v.b));
  if (v.curve?.kind === 'constant') q.set('gamma', num(v.curve.gamma));
  else if ((v.curve?.kind === 'saturating' || v.curve?.kind === 'rational') && v.m !== undefined) {
    q.set('channel', 'm');
    q.set('curve', v.curve.kind);
    q.set('ginf', num(v.curve.gammaInf));
    q.set('m0', num(v.curve.m0));
    q.set('m', String(v.m));
  }
  if (v.rho !== undefined) q.set('rho', num(v.rho));
  if (v.u0 !== undefined && v.u0 !== null) q.set('q', num(v.u0));
  if (v.depth >= 1 && v.depth <= EXPLORER_MAX_DEPTH) q.set('depth', String(v.depth));
  if (v.budget !== undefined) q.set('budget', String(v.budget));
  if (v.window !== undefined) q.set('window', String(v.window));
  if (v.lengths.length > 0) q.set('lengths', v.lengths.slice(0, EXPLORER_MAX_LENGTHS).join(','));
  if (v.law) {
    q.set('k', num(v.law.k));
    q.set('beta', num(v.law.beta));
    q.set('gmax', num(v.law.gMax ?? 1));
  }
  return `${EXPLORER_ORIGIN}?${q.toString().replaceAll('%2C', ',')}`;
}

/** The `--fidelity` value of a fitted curve, 6 significant digits. */
function curveFlag(c: FidelityCurve): string {
  return formatFidelityCurve(c, num);
}

function slug(text: string): string {
  return text.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '') || 'group';
}

/**
 * One figure file name per leaf group: `leaf-<slug>.svg`, and when two groups' slugs collide
 * ('a b' and 'a/b', or names differing only in case on a case-insensitive file system) the later
 * one gets its 1-based group number appended.
 */
export function leafFigureNames(groups: readonly (string | null)[]): string[] {
  const used = new Set<string>();
  return groups.map((group, i) => {
    let name = group === null ? 'leaf' : `leaf-${slug(group)}`;
    if (used.has(name.toLowerCase())) {
      name = `${name}-${i + 1}`;
      for (let k = 2; used.has(name.toLowerCase()); k++) name = `${group === null ? 'leaf' : `leaf-${slug(group)}`}-${i + 1}-${k}`;
    }
    used.add(name.toLowerCase());
    return `${name}.svg`;
  });
}

/** An integer flag in [lo, hi], checked here so the error names the flag (not the library option). */
function integerFlag(flag: string, text: string, lo: number, hi: number): number {
  const value = parseNumber(flag, text);
  if (!Number.isInteger(value) || value < lo || value > hi) throw new InvalidParameterError(`--${flag}`, `an integer in [${lo}, ${hi}]`, text);
  return value;
}

/** A number > 0 (design's message lengths, budget and window). */
function positiveFlag(flag: string, text: string): number {
  const value = parseNumber(flag, text);
  if (!(value > 0)) throw new InvalidParameterError(`--${flag}`, 'a finite number > 0', text);
  return value;
}

/** Skill above chance (§G3) of an accuracy p: the unit of the leaf law, and of u0 for analyze. */
function skill(p: number, chance: number): number {
  return (p - chance) / (1 - chance);
}

function share(part: number, whole: number): string {
  return `${Number((100 * part / whole).toPrecision(3))}%`;
}

export async function calibrate(f: CalibrateFlags): Promise<Calibration> {
  if (f.taskColumn !== undefined && f.correlation === undefined) {
    throw new InvalidParameterError('--task-column', 'given together with --correlation (it names a column of the correctness matrix)', f.taskColumn);
  }
  if (f.leaf === undefined && f.correlation === undefined && f.fidelity === undefined) {
    throw new InvalidParameterError('--leaf, --correlation or --fidelity', 'at least one input CSV', 'none');
  }
  const chance = parseNumber('chance', f.chance);
  if (!(chance >= 0 && chance < 1)) throw new InvalidParameterError('--chance', 'a chance accuracy in [0, 1) (0.5 for binary decisions, 0 for open answers)', f.chance);
  // The library's ranges, checked here so that errors name the flags.
  const seed = integerFlag('seed', f.seed, 0, MAX_SEED);
  const bootstrap = integerFlag('bootstrap', f.bootstrap, 0, MAX_BOOTSTRAP);
  const level = parseNumber('level', f.level);
  if (!(level >= MIN_LEVEL && level <= MAX_LEVEL)) throw new InvalidParameterError('--level', `an interval level in [${MIN_LEVEL}, ${MAX_LEVEL}]`, f.level);
  // Flags that only go into the printed commands: checked as analyze and design check them.
  const b = checkFanIn('--b', parseNumber('b', f.b));
  const depth = integerFlag('depth', f.depth, 0, MAX_DEPTH);
  const mFlag = f.m === undefined ? undefined : positiveFlag('m', f.m);
  const budget = f.budget === undefined ? undefined : positiveFlag('budget', f.budget);
  const window = f.window === undefined ? undefined : positiveFlag('window', f.window);
  if (f.plots) await checkWritableDirectory('--out', f.out);
  const options = { seed, bootstrap, level };

  let leaf: LeafGroupFit[] | null = null;
  if (f.leaf !== undefined) {
    const t = await readTable('--leaf', f.leaf);
    const groups = leafObservationsFromCsv(t, {
      x: f.leafX, right: f.leafRight, trials: f.leafTrials, accuracy: f.leafAccuracy, percent: !!f.leafPercent, group: f.leafGroup,
    });
    leaf = groups.map(({ group, observations }) => {
      const name = group === null ? f.leaf! : `${f.leaf} group ${JSON.stringify(group)}`;
      // Each resample is one more fit (seconds with 10⁵ distinct budgets): a progress line on a terminal.
      const line = bootstrap > 0 ? countReporter(`${name}: bootstrap`, 'resamples') : undefined;
      const onProgress = line && ((done: number, total: number, seconds: number) =>
        line(done, total, done / seconds, done > 0 ? ((total - done) * seconds) / done : NaN));
      return { group, file: f.leaf!, xColumn: f.leafX, ...fitLeafLaw(observations, { ...options, chance, name, onProgress }) };
    });
  }
  let correlation: Calibration['correlation'] = null;
  if (f.correlation !== undefined) {
    const t = await readTable('--correlation', f.correlation);
    const matrix = correctnessMatrixFromCsv(t, { taskColumn: f.taskColumn });
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
    const names = leafFigureNames((leaf ?? []).map((l) => l.group));
    for (const [i, l] of (leaf ?? []).entries()) {
      const path = join(f.out, names[i]);
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

  // Intervals conditional on the resamples that could be fitted: flag them when many were lost.
  const warnings: CalibrationWarning[] = [];
  for (const l of leaf ?? []) {
    if (l.resamples > 0 && l.failedResamples > DROPPED_RESAMPLES_WARNING * l.resamples) {
      warnings.push({
        fit: 'leaf',
        message: `${l.group === null ? l.file : `group ${JSON.stringify(l.group)}`}: ${l.failedResamples} of ${l.resamples} resamples (${share(l.failedResamples, l.resamples)}) ` +
          'could not be fitted and were dropped; the intervals describe the rest only and are likely too narrow.',
      });
    }
  }
  if (correlation && correlation.resamples > 0 && correlation.undefinedResamples > DROPPED_RESAMPLES_WARNING * correlation.resamples) {
    warnings.push({
      fit: 'correlation',
      message: `${correlation.undefinedResamples} of ${correlation.resamples} resamples (${share(correlation.undefinedResamples, correlation.resamples)}) ` +
        'were dropped because some pair of agents was constant in them; the intervals describe the rest only and are likely too narrow (more tasks help).',
    });
  }

  // The command lines that use the calibrated numbers; <…> marks what the data cannot supply.
  // design needs message lengths m > 0, so a measured m = 0 (no message) enters neither command.
  // §B4's ρ is a probability in [0, 1]: anti-correlated agents (ρ̂ < 0) enter the commands as ρ = 0.
  const rho = correlation ? num(Math.max(0, correlation.rho)) : '<ρ>';
  const positiveLengths = fid ? fid.lengths.map((l) => l.m).filter((x) => x > 0) : [];
  const medianLength = positiveLengths.length > 0 ? positiveLengths[Math.floor((positiveLengths.length - 1) / 2)] : undefined;
  const m = mFlag ?? medianLength;
  const mText = m === undefined ? '<m>' : String(m);
  const channel = fid ? `--m ${mText} --fidelity ${curveFlag(fid.best.curve)}` : '--gamma <γ>';
  const designLengths = mFlag !== undefined ? String(mFlag) : positiveLengths.length > 0 ? positiveLengths.join(',') : '<m1,m2,…>';
  const designChannel = fid ? `--m ${designLengths} --fidelity ${curveFlag(fid.best.curve)}` : '--m <m1,m2,…> --fidelity <curve>';
  const budgetFlags = `--budget ${budget ?? '<B>'} --window ${window ?? '<W>'}`;
  const analyzeLines: AnalyzeLine[] = [];
  const designLines: CommandLine[] = [];
  const exploreLines: CommandLine[] = [];
  const notes: string[] = [];
  // u0 is in the leaf law's unit, the skill above chance (p − p_c)/(1 − p_c) of §G3 (for p_c = 1/2
  // the §B1 bias 2p − 1), so the analyze and design lines describe the same agents. It is the
  // measured agents' mean skill when there is a correctness matrix, else the fitted leaf law at
  // its largest measured compute.
  let correlationU0: number | null = null;
  let clamped = false;
  if (correlation) {
    const meanAccuracy = correlation.agents.reduce((sum, a) => sum + a.accuracy, 0) / correlation.agents.length;
    correlationU0 = skill(meanAccuracy, chance);
    if (correlationU0 < -1) {
      correlationU0 = -1;
      clamped = true;
    }
  }
  const leafs = leaf ?? [null];
  for (const l of leafs) {
    const group = l?.group ?? null;
    if (correlation) {
      if (l === leafs[0]) {
        analyzeLines.push({ group: null, command: `synergy analyze --b ${b} --depth ${depth} ${channel} --rho ${rho} --u0 ${num(correlationU0!)}`, u0: correlationU0, u0Source: 'correlation' });
      }
    } else {
      const u0 = l ? leafBias(l.law, Math.max(...l.points.map((p) => p.x))) : null;
      analyzeLines.push({
        group, command: `synergy analyze --b ${b} --depth ${depth} ${channel} --rho ${rho} --u0 ${u0 === null ? '<u0>' : num(u0)}`,
        u0, u0Source: u0 === null ? null : 'leaf',
      });
    }
    const leafFlag = l ? `--leaf power:${num(l.law.k)},${num(l.law.beta)},${num(l.law.gMax ?? 1)}` : '--leaf <power:k,β,gMax>';
    designLines.push({ group, command: `synergy design ${budgetFlags} ${designChannel} ${leafFlag} --rho ${rho}` });
    const lengths = mFlag !== undefined ? [mFlag] : positiveLengths;
    exploreLines.push({
      group,
      command: explorerUrl({
        b, depth, curve: fid?.best.curve, m, rho: correlation ? Math.max(0, correlation.rho) : undefined,
        u0: correlation ? correlationU0 : l ? leafBias(l.law, Math.max(...l.points.map((p) => p.x))) : null,
        law: l?.law, budget, window, lengths,
      }),
    });
  }
  const unit = chance === 0.5 ? 'bias 2p − 1' : `skill above chance (p − ${chance})/(1 − ${chance})`;
  if (correlation) {
    notes.push(`u0 in analyze is the mean ${unit} of the ${correlation.agents.length} agents in ${f.correlation} (the leaf law's unit, §G3)` +
      `${clamped ? ', clamped to −1 (their accuracy is far below chance)' : ''}.`);
  } else if (leaf) {
    notes.push(`u0 in analyze is the fitted leaf law at the largest measured compute (a ${unit}, §G3).`);
  }
  if (correlation && correlation.rho < 0) notes.push(`ρ̂ = ${num(correlation.rho)} < 0 (anti-correlated agents) is outside the §B4 model's ρ ∈ [0, 1]; the commands use ρ = 0.`);
  if (leaf && leaf.some((l) => l.group !== null)) notes.push(`Lines marked "# group …" use that group's leaf law (--leaf-group ${f.leafGroup}).`);
  const mSource = mFlag !== undefined ? '--m' : 'the median measured length > 0';
  notes.push(`b = ${b} and depth ${depth} in analyze are examples (--b, --depth)${fid && m !== undefined ? `; m = ${m} is ${mSource}` : ''}.`);
  if (fid && positiveLengths.length < fid.lengths.length) notes.push('The length m = 0 (no message) is measured but left out of the commands: design needs m > 0.');
  if ([...analyzeLines, ...designLines].some((l) => l.command.includes('<'))) {
    notes.push(`Replace <…> with your numbers${budget === undefined || window === undefined ? ' (calibrate --budget and --window fill those in)' : ''}.`);
  }
  if (leaf) notes.push(`The leaf law's compute x is in the units of the column ${JSON.stringify(f.leafX)}; give design's --budget and --window in the same units.`);
  // Both leaf data and a correctness matrix enter the predictions through p_c (u0, the leaf law).
  const caveats = (leaf || correlation) && chance !== 0.5 ? [scopeCaveat(chance)] : [];
  return {
    seed, bootstrap, level, chance, leaf, correlation, fidelity: fid, figures,
    commands: { analyze: analyzeLines, design: designLines, explore: exploreLines }, warnings, notes, caveats,
  };
}

function interval(i: Interval | null | undefined, digits = 4): string {
  return i ? `[${fmt(i.lower, digits)}, ${fmt(i.upper, digits)}]` : '—';
}

export function formatCalibration(c: Calibration): string {
  const out: string[] = [];
  const warn = (fit: CalibrationWarning['fit']) => {
    for (const w of c.warnings) if (w.fit === fit) out.push(`  WARNING: ${w.message}`);
  };
  const pct = `${num(c.level * 100)}%`;
  const boot = `${c.bootstrap} bootstrap resamples, seed ${c.seed}, ${pct} percentile intervals`;
  if (c.leaf) {
    const first = c.leaf[0];
    // §G3 intervals are BCa (bias-corrected and accelerated); percentile where BCa cannot apply.
    const bca = c.leaf.some((l) => l.intervals.beta?.method === 'BCa');
    out.push(`Leaf law g(x) = min(g_max, k·x^β) (§G3): ${first.method}, chance p_c = ${c.chance}, ${bca ? boot.replace('percentile', 'BCa') : boot}`);
    out.push(table(['group', 'points', 'k', `k ${pct}`, 'β', `β ${pct}`, 'g_max', `g_max ${pct}`, 'saturated resamples'],
      c.leaf.map((l) => [
        l.group ?? '(all)', String(l.points.length), fmt(l.k), interval(l.intervals.k), fmt(l.beta), interval(l.intervals.beta),
        l.gMaxReached ? fmt(l.gMax) : 'not reached', l.gMaxReached ? interval(l.intervals.gMax) : '—',
        l.saturatedShare === null ? '—' : `${fmt(100 * l.saturatedShare, 1)}%`,
      ])));
    for (const l of c.leaf) {
      if (l.failedResamples > 0) out.push(`  ${l.group ?? l.file}: ${l.failedResamples} of ${l.resamples} resamples (${share(l.failedResamples, l.resamples)}) could not be fitted and were dropped.`);
      if (l.saturationCompute !== null) out.push(`  ${l.group ?? l.file}: saturates at x ≈ ${Number(l.saturationCompute.toPrecision(4))}.`);
    }
    warn('leaf');
    out.push('');
  }
  if (c.correlation) {
    const r = c.correlation;
    out.push(`Shared failure (§G1): ρ̂ = ${fmt(r.rho)} ${interval(r.interval)} over ${r.tasks} tasks, ${r.agents.length} agents, ${r.pairs.length} pairs; ${boot}` +
      (r.undefinedResamples > 0 ? ` (${r.undefinedResamples} of ${r.resamples} resamples = ${share(r.undefinedResamples, r.resamples)} dropped: a pair was constant in them)` : ''));
    warn('correlation');
    // Off binary data the leaf law's unit is the skill above chance; show it beside the §B1 bias.
    const skillColumn = c.chance === 0.5 ? [] : [`skill (p − ${c.chance})/(1 − ${c.chance})`];
    out.push(table(['agent', 'answered', 'accuracy', 'bias u = 2p − 1', `u ${pct}`, ...skillColumn],
      r.agents.map((a) => [a.name, String(a.answered), fmt(a.accuracy), fmt(a.bias), interval(a.biasInterval),
        ...(skillColumn.length > 0 ? [fmt(skill(a.accuracy, c.chance))] : [])])));
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
    warn('fidelity');
    out.push('');
  }
  if (c.figures.length > 0) out.push(`figures: ${c.figures.join(', ')}`, '');
  out.push('Use the calibrated numbers:');
  // A group's lines carry its name as a shell comment, so they stay runnable when pasted.
  for (const line of [...c.commands.analyze, ...c.commands.design]) out.push(`  ${line.command}${line.group === null ? '' : `  # group ${JSON.stringify(line.group)}`}`);
  out.push('', 'See them in the explorer (npm run explore, then open; what the data do not supply keeps the page\'s default):');
  for (const line of c.commands.explore) out.push(`  ${line.command}${line.group === null ? '' : `  # group ${JSON.stringify(line.group)}`}`);
  out.push('');
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
  const side = Math.max(160, 60 * names.length);
  // Beside the matrix, the data with error bars and the fitted value: each pair's correlation with
  // its bootstrap interval, and ρ̂ (their mean) as a rule with its interval as a band.
  const pairs = r.pairs.map((p) => ({
    pair: `${p.a} × ${p.b}`, rho: p.rho, lower: p.interval?.lower ?? p.rho, upper: p.interval?.upper ?? p.rho,
  }));
  const pairAxis = { field: 'pair', type: 'nominal', sort: pairs.map((p) => p.pair), title: 'agent pair' };
  const corr = { type: 'quantitative', title: `correlation (${r.interval ? `${Math.round(100 * r.level)}% bootstrap intervals` : 'no bootstrap'})`, scale: { domain: [-1, 1] } };
  const fitted = [{ rho: r.rho, lower: r.interval?.lower ?? r.rho, upper: r.interval?.upper ?? r.rho }];
  return render({
    $schema: SCHEMA,
    title: `Pairwise vote correlation (§G1): ρ̂ = ${fmt(r.rho, 3)} ${interval(r.interval, 3)}`,
    hconcat: [
      {
        width: side, height: side,
        data: { values: cells },
        layer: [
          { mark: { type: 'rect' }, encoding: { x: axis('a', 'agent'), y: axis('b', 'agent'), color: { field: 'rho', type: 'quantitative', title: 'correlation', scale: { domain: [-1, 1], scheme: 'redblue', reverse: true } } } },
          { mark: { type: 'text', fontSize: 10 }, encoding: { x: axis('a', 'agent'), y: axis('b', 'agent'), text: { field: 'label' } } },
        ],
      },
      {
        width: 260, height: Math.max(side, 16 * pairs.length),
        layer: [
          { data: { values: fitted }, mark: { type: 'rect', opacity: 0.15, color: '#555' }, encoding: { x: { field: 'lower', ...corr }, x2: { field: 'upper' } } },
          { data: { values: fitted }, mark: { type: 'rule', color: '#555', strokeDash: [4, 3] }, encoding: { x: { field: 'rho', ...corr } } },
          { data: { values: pairs }, mark: { type: 'rule' }, encoding: { y: pairAxis, x: { field: 'lower', ...corr }, x2: { field: 'upper' } } },
          { data: { values: pairs }, mark: { type: 'point', filled: true }, encoding: { y: pairAxis, x: { field: 'rho', ...corr } } },
        ],
      },
    ],
    resolve: { scale: { color: 'independent' } },
  } as vegaLite.TopLevelSpec);
}
