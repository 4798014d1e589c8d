// `synergy predict`: SPEC §J1–§J2 — from a measured single agent (accuracy p_S at budget B) to the
// predicted accuracy of stars and trees at the same budget, and the saturation threshold p†.
import { readFile } from 'node:fs/promises';
import { InvalidParameterError } from '../errors.ts';
import type { FidelityCurve } from '../theory/fidelity.ts';
import { designBinary } from '../theory/design.ts';
import {
  predictMatched, saturationThreshold, type MatchedBudgetProblem, type MatchedOrganization, type MatchedPrediction,
  type SaturationThreshold,
} from '../predict/matchedBudget.ts';
import { fmt, table } from './format.ts';
import { parseFidelity, parseNumber } from './options.ts';
import { parseAggregator, parseAnswers, parseDistractor } from './designFlags.ts';
import { chanceAccuracy } from '../theory/model.ts';
import { MAX_PLURALITY_FAN_IN } from '../theory/plurality.ts';

export interface PredictFlags {
  singleAccuracy?: string;
  chance?: string;
  budget?: string;
  beta?: string;
  calibration?: string;
  star?: string;
  tree?: string;
  best?: boolean;
  gamma?: string;
  fidelity?: string;
  m?: string;
  rho?: string;
  window?: string;
  overhead: string;
  /** K or open (§H1); --chance then defaults to 1/K and must agree. */
  answers?: string;
  /** symmetric | dominant:δ (§H1). */
  distractor?: string;
  /** plurality | judge:v (§H7). */
  aggregator?: string;
  /** §I1 organization-wide correlation ρ_task. */
  rhoTask?: string;
  /** §I2 task-difficulty dispersion φ. */
  dispersion?: string;
}

/** A range propagated from calibrated intervals (min and max over their grid; not a joint interval). */
export interface Range {
  lower: number;
  upper: number;
}

export interface PredictRow {
  prediction: MatchedPrediction;
  threshold: SaturationThreshold;
  /** Ranges over the calibrated intervals, when a calibration file with intervals was given. */
  accuracyRange: Range | null;
  thresholdRange: Range | null;
}

export interface PredictResult {
  problem: MatchedBudgetProblem;
  singleAccuracy: number;
  rows: PredictRow[];
  /** Where each number came from (flag or calibration file). */
  sources: Record<string, string>;
  notes: string[];
}

function need(flag: string, value: string | undefined, allowed: string): string {
  if (value === undefined) throw new InvalidParameterError(`--${flag}`, allowed, 'nothing (the flag is required)');
  return value;
}

function unit(flag: string, text: string, allowed = 'a number in [0, 1]'): number {
  const x = parseNumber(flag, text);
  if (!(x >= 0 && x <= 1)) throw new InvalidParameterError(`--${flag}`, allowed, text);
  return x;
}

/** `--star 3,5,9`: stars of N ≥ 2 agents. */
function parseStars(text: string): MatchedOrganization[] {
  return text.split(',').map((part) => {
    const n = parseNumber('star', part);
    if (!Number.isInteger(n) || n < 2) throw new InvalidParameterError('--star', 'agent counts N ≥ 2, comma-separated (e.g. 3,5,9)', part);
    return { kind: 'star', agents: n };
  });
}

/** `--tree 3^2,5x3`: b^L (uniform) or per-level fan-ins b1xb2x… from the leaves up, comma-separated. */
function parseTrees(text: string): MatchedOrganization[] {
  const allowed = 'b^L or per-level fan-ins b1xb2x… (from the leaves up), each ≥ 2, comma-separated (e.g. 3^2,5x3)';
  return text.split(',').map((part) => {
    const power = /^(\d+)\^(\d+)$/.exec(part);
    const fanIns = power ? Array.from({ length: Number(power[2]) }, () => Number(power[1])) : part.split('x').map(Number);
    if (fanIns.length === 0 || fanIns.length > 64 || fanIns.some((b) => !Number.isInteger(b) || b < 2)) {
      throw new InvalidParameterError('--tree', allowed, part);
    }
    return { kind: 'tree', fanIns };
  });
}

interface Calibration {
  beta?: number;
  betaInterval?: Range;
  rho?: number;
  rhoInterval?: Range;
  fidelity?: FidelityCurve;
  /** Interval of the curve's scale γ (constant) or γ∞ (saturating, rational). */
  scaleInterval?: Range;
}

/** Reads what `synergy calibrate --json` wrote: β (first leaf group), ρ̂, the best fidelity curve. */
async function readCalibration(path: string): Promise<Calibration> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new InvalidParameterError('--calibration', 'the JSON file written by `synergy calibrate --json`', `${path} (${(error as Error).message})`);
  }
  const c = json as {
    leaf?: { beta?: number; intervals?: { beta?: Range } | null }[];
    correlation?: { rho?: number; interval?: Range | null } | null;
    fidelity?: { best?: { curve?: FidelityCurve; intervals?: Record<string, Range> | null } } | null;
  };
  if (typeof c !== 'object' || c === null || (!c.leaf && !c.correlation && !c.fidelity)) {
    throw new InvalidParameterError('--calibration', 'the JSON file written by `synergy calibrate --json` (with leaf, correlation or fidelity)', path);
  }
  const out: Calibration = {};
  const leaf = c.leaf?.[0];
  if (leaf && typeof leaf.beta === 'number') {
    out.beta = leaf.beta;
    if (leaf.intervals?.beta) out.betaInterval = leaf.intervals.beta;
  }
  if (c.correlation && typeof c.correlation.rho === 'number') {
    out.rho = Math.max(0, c.correlation.rho); // ρ̂ < 0 is sampling noise around 0 (§G1)
    if (c.correlation.interval) out.rhoInterval = { lower: Math.max(0, c.correlation.interval.lower), upper: Math.max(0, c.correlation.interval.upper) };
  }
  const best = c.fidelity?.best;
  if (best?.curve) {
    out.fidelity = best.curve;
    const scale = best.intervals?.gamma ?? best.intervals?.gammaInf;
    if (scale) out.scaleInterval = scale;
  }
  return out;
}

function withScale(curve: FidelityCurve, scale: number): FidelityCurve {
  if (curve.kind === 'constant') return { kind: 'constant', gamma: Math.min(1, scale) };
  if (curve.kind === 'saturating' || curve.kind === 'rational') return { ...curve, gammaInf: Math.min(1, scale) };
  return curve;
}

export async function predict(f: PredictFlags): Promise<PredictResult> {
  const cal = f.calibration === undefined ? {} : await readCalibration(f.calibration);
  const sources: Record<string, string> = {};
  const singleAccuracy = unit('single-accuracy', need('single-accuracy', f.singleAccuracy, 'the measured single-agent accuracy p_S in [0, 1]'));
  const answers = parseAnswers(f.answers);
  const aggregator = parseAggregator(f.aggregator);
  const dominant = parseDistractor(f.distractor);
  if (dominant !== null && (answers === 2)) throw new InvalidParameterError('--distractor', 'symmetric with K = 2 answers (the one wrong answer is the dominant one); give --answers K ≥ 3 or open', f.distractor);
  const plural = answers !== 2 || aggregator !== 'plurality';
  // §H1: with K answers or a judge the maps count skill above 1/K; --chance may only repeat it.
  const chance = plural && f.chance === undefined ? chanceAccuracy(answers) : parseNumber('chance', f.chance ?? '0.5');
  if (!(chance >= 0 && chance < 1)) throw new InvalidParameterError('--chance', 'a chance accuracy in [0, 1) (0.5 binary decisions, 1/K for K answers, 0 open answers)', f.chance);
  if (plural && Math.abs(chance - chanceAccuracy(answers)) > 1e-12) {
    throw new InvalidParameterError('--chance', `1/K = ${chanceAccuracy(answers)} with --answers ${answers}${aggregator === 'plurality' ? '' : ' and a judge'} (or omitted)`, f.chance);
  }
  const rhoTask = f.rhoTask === undefined ? 0 : unit('rho-task', f.rhoTask, 'a number in [0, 1] (§I1 organization-wide correlation)');
  const dispersion = f.dispersion === undefined ? 0 : parseNumber('dispersion', f.dispersion);
  if (!(dispersion >= 0 && dispersion < 1)) throw new InvalidParameterError('--dispersion', 'a task-difficulty dispersion φ in [0, 1) (§I2)', f.dispersion);
  const budget = parseNumber('budget', need('budget', f.budget, 'the budget B (tokens) at which p_S was measured'));
  if (!(budget > 0)) throw new InvalidParameterError('--budget', 'a budget > 0 (tokens)', f.budget);

  /** A flag wins over the calibration file; the source is recorded. */
  const pick = <T>(key: string, flag: (() => T) | null, calibrated: T | undefined, what: string, allowed: string): T => {
    if (flag !== null) {
      sources[key] = `--${key}`;
      return flag();
    }
    if (calibrated === undefined) throw new InvalidParameterError(`--${key}`, allowed, undefined);
    sources[key] = `${f.calibration} (${what})`;
    return calibrated;
  };
  const beta = pick('beta', f.beta === undefined ? null : () => parseNumber('beta', f.beta!), cal.beta, 'leaf fit',
    'the leaf exponent β > 0 (or --calibration with a leaf fit)');
  if (!(beta > 0)) throw new InvalidParameterError('--beta', 'a leaf exponent β > 0', beta);

  if (f.gamma !== undefined && f.fidelity !== undefined) throw new InvalidParameterError('--fidelity', 'absent when --gamma is given', f.fidelity);
  const m = f.m === undefined ? 0 : parseNumber('m', f.m);
  if (!(m >= 0)) throw new InvalidParameterError('--m', 'a message length ≥ 0 (tokens)', f.m);
  let fidelity: number | FidelityCurve;
  if (f.gamma !== undefined) {
    fidelity = unit('gamma', f.gamma);
    sources.gamma = '--gamma';
  } else if (f.fidelity !== undefined) {
    fidelity = parseFidelity(f.fidelity);
    sources.gamma = '--fidelity';
  } else if (cal.fidelity !== undefined) {
    fidelity = cal.fidelity;
    sources.gamma = `${f.calibration} (best fidelity curve)`;
  } else {
    throw new InvalidParameterError('--gamma', 'a message fidelity in [0, 1] (or --fidelity with --m, or --calibration with a fidelity fit)', undefined);
  }
  if (typeof fidelity !== 'number' && f.m === undefined && fidelity.kind !== 'constant') {
    throw new InvalidParameterError('--m', 'the message length in tokens at which the fidelity curve is read', undefined);
  }

  const rho = pick('rho', f.rho === undefined ? null : () => unit('rho', f.rho!), cal.rho, 'correlation fit',
    'the shared-failure correlation in [0, 1] (or --calibration with a correlation fit)');
  const window = f.window === undefined ? undefined : parseNumber('window', f.window);
  if (window !== undefined && !(window > 0)) throw new InvalidParameterError('--window', 'a context window > 0 (tokens)', f.window);
  const overhead = parseNumber('overhead', f.overhead);
  if (!(overhead >= 0)) throw new InvalidParameterError('--overhead', 'an overhead ≥ 0 (tokens)', f.overhead);

  const problem: MatchedBudgetProblem = {
    chance, budget, beta, fidelity, m, rho, window, overhead,
    ...(answers === 2 && dominant === null && rhoTask === 0 ? {} : { task: { answers, rhoTask, ...(dominant === null ? {} : { distractors: { dominant } }) } }),
    ...(aggregator === 'plurality' ? {} : { aggregator }),
    ...(dispersion === 0 ? {} : { dispersion }),
  };
  // Organizations wider than the exact plurality maps allow are refused with the flag's name.
  const tooWide = (n: number) => plural && n > MAX_PLURALITY_FAN_IN;
  const orgs: MatchedOrganization[] = [
    ...(f.star === undefined ? [] : parseStars(f.star)),
    ...(f.tree === undefined ? [] : parseTrees(f.tree)),
  ];
  for (const o of orgs) {
    const wide = o.kind === 'star' ? (tooWide(o.agents) ? o.agents : null) : o.fanIns.find(tooWide) ?? null;
    if (wide !== null) throw new InvalidParameterError(o.kind === 'star' ? '--star' : '--tree', `fan-ins ≤ ${MAX_PLURALITY_FAN_IN} with --answers K ≠ 2 or a judge (exact plurality maps, §H4)`, wide);
  }
  const notes: string[] = [];
  if (f.best) orgs.push(...bestOrganization(problem, singleAccuracy, notes));
  if (orgs.length === 0) throw new InvalidParameterError('--star', 'at least one organization: --star N[,N…], --tree b^L[,…] or --best', undefined);

  // Ranges over the calibrated intervals (3 points each of β, ρ, γ-scale where the file gave one).
  const grid = (value: number, interval: Range | undefined, used: boolean) =>
    used && interval ? [interval.lower, value, interval.upper] : [value];
  const betas = grid(beta, cal.betaInterval, sources.beta !== '--beta');
  const rhos = grid(rho, cal.rhoInterval, sources.rho !== '--rho');
  const scaleBase = typeof fidelity === 'number' ? fidelity : fidelity.kind === 'constant' ? fidelity.gamma : fidelity.kind === 'table' ? NaN : fidelity.gammaInf;
  const scales = Number.isNaN(scaleBase) ? [NaN] : grid(scaleBase, cal.scaleInterval, sources.gamma?.startsWith(f.calibration ?? '\0') ?? false);
  const variants: MatchedBudgetProblem[] = [];
  for (const b of betas) for (const r of rhos) for (const s of scales) {
    const fid = typeof fidelity === 'number' || Number.isNaN(s) ? fidelity : withScale(fidelity, s);
    variants.push({ ...problem, beta: b, rho: r, fidelity: fid });
  }
  const propagated = variants.length > 1;
  if (propagated) notes.push(`Ranges are the least and greatest values over the calibrated intervals (${[betas.length > 1 ? 'β' : '', rhos.length > 1 ? 'ρ' : '', scales.length > 1 ? 'γ scale' : ''].filter(Boolean).join(', ')}), 3 points each: a sensitivity range, not a joint confidence interval.`);
  if (!plural && chance !== 0.5) notes.push(`Skill above chance p_c = ${chance} is voted by the binary majority map of §B (§J1); for K answers or open answers, where wrong answers scatter, give --answers (§H).`);
  if (plural) notes.push(`Aggregation: ${aggregator === 'plurality' ? 'plurality' : `judge with verification skill v = ${aggregator.judge}`} over ${answers === 'open' ? 'open answers (K = ∞)' : `K = ${answers} answers`}${dominant === null ? '' : `, one dominant distractor with share δ = ${dominant} of the wrong mass`} (§H4, §H7); accuracy = p_c + (1 − p_c)·skill with p_c = ${chance}.`);
  if (rhoTask > 0) notes.push(`ρ_task = ${rhoTask} (§I1): with this probability per task every leaf casts one shared answer; every organization is evaluated under the same (ρ, ρ_task).`);
  if (dispersion > 0) notes.push(`Task difficulty φ = ${dispersion} (§I2): per task the leaf accuracy ~ Beta around the leaf's mean accuracy${plural ? '' : ' (the vote accuracy (1 + s)/2 of the binary map)'}; predictions are expectations over tasks.`);

  const rows = orgs.map((org) => {
    const prediction = predictMatched(problem, singleAccuracy, org);
    const threshold = saturationThreshold(problem, org);
    let accuracyRange: Range | null = null;
    let thresholdRange: Range | null = null;
    if (propagated && prediction.feasible) {
      const acc = variants.map((v) => predictMatched(v, singleAccuracy, org).accuracy).filter((x): x is number => x !== null);
      accuracyRange = { lower: Math.min(...acc), upper: Math.max(...acc) };
      const th = variants.map((v) => saturationThreshold(v, org).value);
      // A variant where the organization never helps has no p†: the range then starts at chance.
      const values = th.map((x) => x ?? chance);
      thresholdRange = { lower: Math.min(...values), upper: Math.max(...values) };
    }
    return { prediction, threshold, accuracyRange, thresholdRange };
  });
  return { problem, singleAccuracy, rows, sources, notes };
}

/** `--best`: the §E search with the leaf law anchored at the single agent (k = s_S·B^(−β)). */
function bestOrganization(p: MatchedBudgetProblem, singleAccuracy: number, notes: string[]): MatchedOrganization[] {
  if (p.window === undefined) throw new InvalidParameterError('--window', 'a context window (tokens) for --best', undefined);
  if (!(p.m > 0)) throw new InvalidParameterError('--m', 'a message length > 0 for --best', p.m);
  const sS = (singleAccuracy - p.chance) / (1 - p.chance);
  if (!(sS > 0)) throw new InvalidParameterError('--single-accuracy', `an accuracy above chance (${p.chance}) for --best`, singleAccuracy);
  const fidelity: FidelityCurve = typeof p.fidelity === 'number' ? { kind: 'constant', gamma: p.fidelity } : p.fidelity;
  if (p.task?.distractors !== undefined && p.task.distractors !== 'symmetric') {
    throw new InvalidParameterError('--distractor', 'symmetric with --best (the §E search has symmetric distractors)', 'dominant');
  }
  const answers = p.task?.answers ?? 2;
  const plural = answers !== 2 || (p.aggregator ?? 'plurality') !== 'plurality';
  const d = designBinary({
    budget: p.budget, window: p.window, overhead: p.overhead, messageLengths: [p.m], fidelity, rho: p.rho,
    leafLaw: { kind: 'power', k: sS * Math.pow(p.budget, -p.beta), beta: p.beta, gMax: 1 }, chance: p.chance,
    rhoTask: p.task?.rhoTask ?? 0, dispersion: p.dispersion ?? 0,
    ...(plural ? { task: { answers }, aggregator: p.aggregator ?? 'plurality' } : {}),
  });
  const best = d.rows.find((r) => r.feasible && r.organization !== 'single');
  if (!best || best.b === null) {
    notes.push('--best: no feasible star or tree at this budget and window.');
    return [];
  }
  notes.push(`--best: the §E search (odd fan-ins, m = ${p.m}) ranks ${best.organization === 'star' ? `a star of ${best.b}` : `a tree ${best.b}^${best.depth}`} first among organizations${d.best.organization === 'single' ? ', but the single agent above it' : ''}.`);
  return [best.organization === 'star' ? { kind: 'star', agents: best.b } : { kind: 'tree', fanIns: Array.from({ length: best.depth }, () => best.b!) }];
}

function range(r: Range | null): string {
  return r === null ? '' : ` [${fmt(r.lower)}, ${fmt(r.upper)}]`;
}

function thresholdText(t: SaturationThreshold): string {
  const from = t.from === null ? '' : ` (helps from ${fmt(t.from)})`;
  switch (t.kind) {
    case 'always': return t.from === null ? '1 (always helps)' : `1${from}`;
    case 'never': return 'none (never helps)';
    case 'infeasible': return '—';
    default: return fmt(t.value) + from;
  }
}

/** §H5 lines: what a bistable level's threshold s† means for this organization. */
function phaseLines(r: PredictResult): string[] {
  const lines: string[] = [];
  const pc = r.problem.chance;
  for (const { prediction: q, threshold } of r.rows) {
    const seen = new Set<number>();
    for (const ph of q.phases) {
      if (ph.regime !== 'bistable' || seen.has(ph.b)) continue;
      seen.add(ph.b);
      const reached = ph.reached === null ? '' : ` Its leaves (skill ${fmt(q.leafSkill)}) ${ph.reached! > 0 ? `are above it: a deep tree of such levels rises to s* = ${fmt(ph.reached)}` : 'are below it: a deep tree of such levels falls to chance'}.`;
      lines.push(`${q.label}: the level b = ${ph.b} is bistable (§H5, α = ${fmt(ph.alpha)} ≤ 1): only leaves above s† = ${fmt(ph.threshold)} (accuracy ${fmt(pc + (1 - pc) * ph.threshold!)}) are lifted.${reached}`);
    }
    const why = q.phases.some((ph) => ph.alpha <= 1)
      ? 'near chance a level with α ≤ 1 amplifies nothing, while each leaf has only its share of the budget'
      : 'at low accuracy the vote gives back less than splitting the budget costs';
    if (threshold.from !== null) lines.push(`${q.label}: below a single-agent accuracy of ${fmt(threshold.from)} the organization loses (${why}); it helps between ${fmt(threshold.from)} and p† = ${thresholdText({ ...threshold, from: null }).replace(' (always helps)', '')}.`);
  }
  return lines;
}

export function formatPrediction(r: PredictResult): string {
  const p = r.problem;
  const gamma = r.rows[0]?.prediction.gamma;
  const out = [
    `single agent: accuracy ${fmt(r.singleAccuracy)} at B = ${p.budget} tokens (chance ${fmt(p.chance)}); β = ${fmt(p.beta)}, γ = ${fmt(gamma)}${p.m > 0 ? ` (m = ${p.m})` : ' (m = 0: free messages)'}, ρ = ${fmt(p.rho)}`,
    '',
    table(['organization', 'leaves', 'x (tokens/leaf)', 'predicted accuracy', 'single', 'difference', 'levels (§B7, §H5)', 'p† (§J2)'],
      r.rows.map(({ prediction: q, threshold, accuracyRange, thresholdRange }) => [
        q.label, String(q.leaves), fmt(q.compute, 1), q.feasible ? fmt(q.accuracy) + range(accuracyRange) : `infeasible (${q.infeasibleReason})`,
        fmt(q.singleAccuracy), q.difference === null ? '—' : (q.difference >= 0 ? '+' : '') + fmt(q.difference), q.regime,
        thresholdText(threshold) + range(thresholdRange),
      ])),
    '',
    'p†: the single-agent accuracy above which the organization stops beating the single agent at this budget (it solves predicted(p†) = p† for the whole organization; s† of a bistable level is a different number, the skill its leaves must clear).',
    ...phaseLines(r),
  ];
  for (const [k, v] of Object.entries(r.sources)) if (v !== `--${k}`) out.push(`${k} from ${v}`);
  out.push(...r.notes);
  return out.join('\n');
}
