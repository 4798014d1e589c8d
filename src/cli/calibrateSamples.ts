// `synergy calibrate --samples matrix.csv` (SPEC §I3, §I4): from repeated samples (or agents) per
// task, tell shared failure from task difficulty (three count models by maximum likelihood, chosen by
// AIC, profile-likelihood intervals), show the plain pairwise ρ̂ beside them with why it differs, and
// draw the voting curve (majority / plurality of N samples, fitted and observed). A mode of its own:
// it shares only the bootstrap flags and --out / --no-plots with the §G inputs.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type * as vegaLite from 'vega-lite';
import { InvalidParameterError } from '../errors.ts';
import { MAX_SEED } from '../simulate/tree.ts';
import { MAX_BOOTSTRAP, MAX_LEVEL, MIN_LEVEL } from '../calibrate/bootstrap.ts';
import { parseCsv } from '../calibrate/csv.ts';
import {
  fitSamples, pairwiseCorrelation, type PairwiseEstimate, type SamplesFit, type SamplesModelFit, samplesMatrixFromCsv, type ProfileInterval,
} from '../calibrate/samplesFit.ts';
import { MAX_VOTERS, votingCurve, type VotingCurve } from '../calibrate/votingCurve.ts';
import { checkWritableDirectory } from './files.ts';
import { fmt, table } from './format.ts';
import { parseNumber } from './options.ts';
import { render, writeFigure } from './plot.ts';

export interface SamplesFlags {
  samples: string;
  taskColumn?: string;
  answerColumn?: string;
  skipShort?: boolean;
  maxN?: string;
  leaf?: string;
  correlation?: string;
  fidelity?: string;
  seed: string;
  bootstrap: string;
  level: string;
  out: string;
  plots: boolean;
}

export interface SamplesCalibration {
  file: string;
  /** Sample (or agent) columns. */
  samples: string[];
  tasks: number;
  /** Rows left out by --skip-short (fewer than 3 answers). */
  skipped: { id: string; line: number; answers: number }[];
  open: boolean;
  seed: number;
  bootstrap: number;
  level: number;
  fit: SamplesFit;
  pairwise: PairwiseEstimate;
  /** Why the pairwise ρ̂ differs from the fitted shared failure ρ. */
  pairwiseNote: string;
  curve: VotingCurve;
  figures: string[];
  notes: string[];
}

/** --answer-column, --skip-short and --max-n only mean something with --samples. */
export function checkSamplesOnlyFlags(o: { samples?: string; answerColumn?: string; skipShort?: boolean; maxN?: string }): void {
  if (o.samples !== undefined) return;
  for (const [flag, value] of [['--answer-column', o.answerColumn], ['--skip-short', o.skipShort], ['--max-n', o.maxN]] as const) {
    if (value !== undefined) throw new InvalidParameterError(flag, 'given together with --samples (it describes the tasks × samples matrix)', value);
  }
}

function integerFlag(flag: string, text: string, lo: number, hi: number): number {
  const value = parseNumber(flag, text);
  if (!Number.isInteger(value) || value < lo || value > hi) throw new InvalidParameterError(`--${flag}`, `an integer in [${lo}, ${hi}]`, text);
  return value;
}

/** A number for a command line: 6 significant digits. */
function num(x: number): string {
  return String(Number(x.toPrecision(6)));
}

const NAMES = { shared: 'shared failure only', difficulty: 'difficulty only', both: 'both' } as const;

/** The sentence that puts the pairwise ρ̂ beside the fit (§I3: pairwise correlation cannot separate them). */
function pairwiseSentence(pairwise: number, m: SamplesModelFit): string {
  const { rho, dispersion } = m.parameters;
  const attribution = m.model === 'difficulty'
    ? 'the fit attributes it to task difficulty (easy and hard tasks), not to shared failure (ρ = 0)'
    : m.model === 'shared'
      ? `the fit attributes it to shared failure (ρ = ${fmt(rho, 3)}), not to task difficulty (φ = 0)`
      : `the fit splits it into shared failure ρ = ${fmt(rho, 3)} and difficulty φ = ${fmt(dispersion, 3)}`;
  return `Pairwise ρ̂ = ${fmt(pairwise, 3)} counts every reason two answers to one task agree: under the chosen model ` +
    `(${NAMES[m.model]}) it is ρ + (1 − ρ)·φ = ${fmt(m.impliedPairwise, 3)}, and ${attribution}. ` +
    'Pairwise correlation alone cannot tell the two apart (SPEC §I3); the count histogram can — shared failure adds tasks only at ' +
    '0 and n right, difficulty spreads them over every count. Give analyze and design the fitted numbers (below), not ρ̂.';
}

export async function calibrateSamples(f: SamplesFlags): Promise<SamplesCalibration> {
  for (const [flag, value] of [['--leaf', f.leaf], ['--correlation', f.correlation], ['--fidelity', f.fidelity]] as const) {
    if (value !== undefined) throw new InvalidParameterError('--samples', `given without ${flag} (run the two fits as separate commands)`, f.samples);
  }
  const seed = integerFlag('seed', f.seed, 0, MAX_SEED);
  const bootstrap = integerFlag('bootstrap', f.bootstrap, 0, MAX_BOOTSTRAP);
  const level = parseNumber('level', f.level);
  if (!(level >= MIN_LEVEL && level <= MAX_LEVEL)) throw new InvalidParameterError('--level', `an interval level in [${MIN_LEVEL}, ${MAX_LEVEL}]`, f.level);
  const maxNFlag = f.maxN === undefined ? undefined : integerFlag('max-n', f.maxN, 1, MAX_VOTERS);
  if (f.plots) await checkWritableDirectory('--out', f.out);
  let text: string;
  try {
    text = await readFile(f.samples, 'utf8');
  } catch (error) {
    throw new InvalidParameterError('--samples', 'a readable CSV file', f.samples, (error as NodeJS.ErrnoException).code ?? (error as Error).message);
  }
  const matrix = samplesMatrixFromCsv(parseCsv(text, f.samples), { taskColumn: f.taskColumn, answerColumn: f.answerColumn, skipShort: !!f.skipShort });
  let fit: SamplesFit, pairwise: PairwiseEstimate, curve: VotingCurve;
  try {
    fit = fitSamples(matrix.tasks, { level });
    pairwise = pairwiseCorrelation(matrix.tasks, { bootstrap, level, seed });
    curve = votingCurve(matrix.tasks, fit, { maxN: maxNFlag, bootstrap, level, seed });
  } catch (error) {
    if (error instanceof InvalidParameterError) throw new InvalidParameterError(`${f.samples}: ${error.parameter}`, error.allowed, error.value);
    throw error;
  }
  const best = fit.models.find((m) => m.model === fit.best)!;
  const result: SamplesCalibration = {
    file: f.samples, samples: [...matrix.samples], tasks: matrix.tasks.length, skipped: matrix.skipped, open: matrix.open,
    seed, bootstrap, level, fit, pairwise, pairwiseNote: pairwiseSentence(pairwise.rho, best), curve, figures: [], notes: [],
  };
  const notes = result.notes;
  if (matrix.skipped.length > 0) notes.push(`${matrix.skipped.length} task${matrix.skipped.length === 1 ? '' : 's'} with fewer than 3 answers left out (--skip-short), first on line ${matrix.skipped[0].line}.`);
  if (!matrix.open) notes.push('1/0 cells are binary decisions: every wrong answer is the same answer, so N samples vote by majority. For open answers give the answer texts and --answer-column: wrong answers then scatter and the vote is a plurality (§H).');
  else if (curve.wrongAgreement === null) notes.push('No task has a right answer and two wrong ones, so agreement among wrong answers cannot be measured: the fitted plurality curve takes wrong answers as scattered (δ = 0).');
  // §I1: samples of one model that fail together fail together at every leaf of an organization.
  const flags = [...(best.free.includes('rho') ? [`--rho-task ${num(best.parameters.rho)}`] : []), ...(best.free.includes('dispersion') ? [`--dispersion ${num(best.parameters.dispersion)}`] : [])];
  notes.push(`In analyze and design: ${flags.join(' ')} (a shared failure of samples of one model is organization-wide, ρ_task of §I1; difficulty is §I2's φ).` +
    (matrix.open ? ' Their binary maps treat answers as binary decisions; the plurality curve above is the open-answer one (§G4).' : ''));
  if (curve.points.length > curve.maxObserved) notes.push(`The fitted curve beyond N = ${curve.maxObserved} (the most answers to one task) is an extrapolation of the fitted model.`);
  if (curve.failedResamples > 0) notes.push(`${curve.failedResamples} of ${bootstrap} resamples had all answers alike and were dropped from the fitted curve's intervals.`);
  if (f.plots) {
    const counts = join(f.out, 'samples-counts.svg');
    await writeFigure(counts, countsFigure(result));
    const voting = join(f.out, 'samples-voting.svg');
    await writeFigure(voting, votingFigure(result));
    result.figures.push(counts, voting);
  }
  return result;
}

function profile(i: ProfileInterval | undefined): string {
  if (!i) return '—';
  return `[${fmt(i.lower, 3)}${i.lowerAtBound ? '*' : ''}, ${fmt(i.upper, 3)}${i.upperAtBound ? '*' : ''}]`;
}

export function formatSamplesCalibration(c: SamplesCalibration): string {
  const out: string[] = [];
  const pct = `${Number((c.level * 100).toPrecision(6))}%`;
  const { fit, curve } = c;
  out.push(`Shared failure or task difficulty? (SPEC §I3) — ${c.file}: ${c.tasks} tasks, ${c.samples.length} sample columns, ${fit.answers} answers, accuracy ${fmt(fit.accuracy)}`);
  out.push('');
  const best = fit.models.find((m) => m.model === fit.best)!;
  for (const h of fit.observed) {
    out.push(`Tasks by right answers out of n = ${h.answers} (${h.counts.reduce((s, x) => s + x, 0)} tasks), observed and fitted by "${fit.best}":`);
    out.push(table(['k right', ...h.counts.map((_, k) => String(k))], [
      ['observed', ...h.counts.map(String)],
      ...fit.models.map((m) => [m.model + (m === best ? ' (best)' : ''), ...m.expected.find((e) => e.answers === h.answers)!.counts.map((x) => fmt(x, 1))]),
    ]));
    out.push('');
  }
  const sym = { mean: 'μ', rho: 'ρ', dispersion: 'φ' } as const;
  out.push(`Maximum likelihood on the counts, ranked by AIC; ${pct} profile-likelihood intervals (* = the parameter's range end):`);
  out.push(table(['model', 'parameters', 'log L', 'AIC', 'ΔAIC', 'weight'], fit.models.map((m) => [
    `${m.model}${m === best ? ' (best)' : ''}`,
    m.free.map((p) => `${sym[p]} = ${fmt(m.parameters[p], 3)} ${profile(m.intervals?.[p])}`).join(', '),
    fmt(m.logLikelihood, 2), fmt(m.aic, 2), fmt(m.deltaAic, 2), fmt(m.weight, 3),
  ])));
  out.push('');
  const pw = c.pairwise;
  out.push(`Pairwise ρ̂ = ${fmt(pw.rho, 3)} ${pw.interval ? `[${fmt(pw.interval.lower, 3)}, ${fmt(pw.interval.upper, 3)}]` : ''} (${pct} bootstrap over tasks, ${pw.resamples} resamples, seed ${pw.seed}).`);
  out.push(c.pairwiseNote);
  out.push('');
  const rule = curve.rule === 'majority' ? 'majority' : 'plurality';
  out.push(`Voting curve (SPEC §I4): ${rule} of N samples, ties at random; fitted from "${curve.model}"${curve.rule === 'plurality' ? ` with wrong-answer share δ = ${fmt(curve.wrongShare, 3)}` : ''}, ` +
    `observed = average over every subset of N answers of each task; ${pct} bootstrap intervals (${c.bootstrap} resamples over tasks, seed ${c.seed})`);
  if (curve.wrongAgreement) {
    const w = curve.wrongAgreement;
    out.push(`Agreement among wrong answers: P(two wrong answers to a task agree) = ${fmt(w.value, 3)} ${w.interval ? `[${fmt(w.interval.lower, 3)}, ${fmt(w.interval.upper, 3)}]` : ''} over ${w.pairs} pairs (δ = √ of it).`);
  }
  const iv = (i: { lower: number; upper: number } | null) => (i ? `[${fmt(i.lower, 3)}, ${fmt(i.upper, 3)}]` : '—');
  out.push(table(['N', 'fitted', pct, 'observed', pct, 'tasks'], curve.points.map((p) => [
    String(p.n), fmt(p.fitted), iv(p.fittedInterval), p.observed === null ? '—' : fmt(p.observed), iv(p.observedInterval), p.observed === null ? '—' : String(p.observedTasks),
  ])));
  const last = curve.points.length;
  out.push(`Best N = ${curve.best.n} (fitted accuracy ${fmt(curve.best.accuracy)}); the fitted curve ${curve.turnsDown ? `turns down after N = ${curve.best.n}` : `does not turn down up to N = ${last}`}` +
    (curve.turnsDownShare === null ? '.' : ` (${fmt(100 * curve.turnsDownShare, 1)}% of resamples turn down).`));
  out.push(`Observed (N ≤ ${curve.points.filter((p) => p.observed !== null && p.observedTasks === c.tasks).length}, every task): best N = ${curve.observedBest.n} (accuracy ${fmt(curve.observedBest.accuracy)}), ${curve.observedTurnsDown ? 'turns down' : 'does not turn down'}.`);
  out.push('');
  if (c.figures.length > 0) out.push(`figures: ${c.figures.join(', ')}`, '');
  for (const n of c.notes) out.push(`  ${n}`);
  return out.join('\n').replace(/\n+$/, '');
}

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

/** Observed and fitted (each model) count histograms, one panel per number of answers n. */
export function countsFigure(c: SamplesCalibration): Promise<string> {
  const fit = c.fit;
  // At most four panels: the n values held by the most tasks.
  const shown = [...fit.observed].sort((a, b) => b.counts.reduce((s, x) => s + x, 0) - a.counts.reduce((s, x) => s + x, 0)).slice(0, 4).map((h) => h.answers);
  const label = (m: SamplesModelFit) => `${NAMES[m.model]}${m.model === fit.best ? ' (best)' : ''}: ΔAIC ${fmt(m.deltaAic, 1)}`;
  const panels = fit.observed.filter((h) => shown.includes(h.answers)).map((h) => {
    const bars = h.counts.map((count, k) => ({ k, count, series: 'observed' }));
    const lines = fit.models.flatMap((m) => m.expected.find((e) => e.answers === h.answers)!.counts.map((count, k) => ({ k, count, series: label(m) })));
    const x = { field: 'k', type: 'quantitative', title: `right answers out of n = ${h.answers}`, scale: { domain: [-0.5, h.answers + 0.5] }, axis: { tickMinStep: 1, format: 'd' } };
    const y = { field: 'count', type: 'quantitative', title: 'tasks' };
    return {
      width: 360, height: 240,
      layer: [
        { data: { values: bars }, mark: { type: 'bar', width: 18, color: '#bbbbbb' }, encoding: { x, y } },
        { data: { values: lines }, mark: { type: 'line', point: true }, encoding: { x, y, color: { field: 'series', type: 'nominal', title: null, legend: { labelLimit: 400, orient: 'bottom', direction: 'vertical' } } } },
      ],
    };
  });
  return render({
    $schema: SCHEMA,
    title: { text: `Right answers per task (§I3): bars observed, lines fitted — ${c.tasks} tasks`, subtitle: `pairwise ρ̂ = ${fmt(c.pairwise.rho, 3)}; shared failure adds mass at 0 and n only, difficulty spreads it` },
    hconcat: panels,
  } as vegaLite.TopLevelSpec);
}

/** The voting curve: fitted line with its band, observed points with error bars, best N marked. */
export function votingFigure(c: SamplesCalibration): Promise<string> {
  const curve = c.curve;
  const pct = `${Math.round(100 * c.level)}%`;
  const fittedLabel = `fitted (${curve.model}), ${pct} band`;
  const line = curve.points.map((p) => ({ n: p.n, y: p.fitted, lo: p.fittedInterval?.lower ?? p.fitted, hi: p.fittedInterval?.upper ?? p.fitted, series: fittedLabel }));
  const dots = curve.points.filter((p) => p.observed !== null).map((p) => ({
    n: p.n, y: p.observed!, lo: p.observedInterval?.lower ?? p.observed!, hi: p.observedInterval?.upper ?? p.observed!, series: `observed (column subsets), ${pct}`,
  }));
  const x = { field: 'n', type: 'quantitative', title: `samples voted over N (${curve.rule})`, axis: { tickMinStep: 1, format: 'd' } };
  const y = (field: string) => ({ field, type: 'quantitative', title: 'accuracy', scale: { zero: false } });
  const color = { field: 'series', type: 'nominal', title: null, legend: { labelLimit: 400, orient: 'bottom', direction: 'vertical' } };
  const best = [{ n: curve.best.n, label: `best N = ${curve.best.n}${curve.turnsDown ? ' (turns down after)' : ''}` }];
  return render({
    $schema: SCHEMA,
    title: { text: `Voting curve (§I4): ${curve.rule} of N samples`, subtitle: `best N = ${curve.best.n}, accuracy ${fmt(curve.best.accuracy, 3)}; ${curve.turnsDown ? 'turns down' : 'does not turn down'} within N ≤ ${curve.points.length}` },
    width: 480, height: 320,
    layer: [
      { data: { values: line }, mark: { type: 'area', opacity: 0.2 }, encoding: { x, y: y('lo'), y2: { field: 'hi' }, color } },
      { data: { values: line }, mark: { type: 'line' }, encoding: { x, y: y('y'), color } },
      { data: { values: dots }, mark: { type: 'errorbar', ticks: true }, encoding: { x, y: y('lo'), y2: { field: 'hi' }, color } },
      { data: { values: dots }, mark: { type: 'point', filled: true, size: 40 }, encoding: { x, y: y('y'), color } },
      { data: { values: best }, mark: { type: 'rule', strokeDash: [4, 4], color: 'gray' }, encoding: { x: { field: 'n', type: 'quantitative' } } },
      { data: { values: best }, mark: { type: 'text', align: 'left', dx: 4, dy: -140, color: 'gray' }, encoding: { x: { field: 'n', type: 'quantitative' }, text: { field: 'label' } } },
    ],
  } as vegaLite.TopLevelSpec);
}
