// SPEC §J4 — honest validation of the theory on a user's matched-budget table: fit on training groups,
// predict held-out groups (leave one level of a named column out), and compare with baselines fitted
// the same way on the same folds. Predictive value is claimed only where a cluster-bootstrap interval
// of the paired difference excludes zero.
import { checkInteger, checkNumber, InvalidParameterError } from '../errors.ts';
import { uniforms, STREAMS } from '../calibrate/random.ts';
import { quantile } from '../calibrate/bootstrap.ts';
import { DEFAULT_SEED, MAX_SEED } from '../simulate/tree.ts';
import {
  answersFromChance, fitJudge, fitVoter, judgePrediction, voterPrediction, type JudgeFit, type MatchedCell, type VoterFit,
} from './matchedModel.ts';
import { fixedPoint, phaseStructure } from '../theory/level.ts';

/** The baselines of §J4. */
export type Baseline = 'no change' | 'threshold' | 'mean shift';
export const BASELINES: readonly Baseline[] = ['no change', 'threshold', 'mean shift'];
/** A model's name: a theory variant's (default "theory") or a baseline's. */
export type ValidationModel = string;

/**
 * A variant of the §J3 theory, cross-validated on the same folds as every other model: its name,
 * optionally a chance level that replaces the table's (e.g. scoring open answers as binary), and the
 * aggregation rule: 'plurality' (default: the voter model, a and ρ) or 'judge' (§H7: a, ρ and the
 * judge's verification skill v fitted per organization on the training folds, over K = 1/p_c answers).
 */
export interface TheoryVariant {
  name: string;
  chance?: number;
  aggregator?: 'plurality' | 'judge';
}


function byOrganization(cells: readonly MatchedCell[]): Map<string, MatchedCell[]> {
  const out = new Map<string, MatchedCell[]>();
  for (const c of cells) {
    const list = out.get(c.organization) ?? [];
    list.push(c);
    out.set(c.organization, list);
  }
  return out;
}

const mean = (xs: readonly number[]) => (xs.length === 0 ? 0 : xs.reduce((a, b) => a + b, 0) / xs.length);

/** Threshold baseline for one organization: helps by δ_lo below t, changes by δ_hi above. */
export interface ThresholdFit {
  t: number;
  below: number;
  above: number;
}

/**
 * The single-agent-accuracy threshold: t among midpoints of the training single accuracies (and ±∞)
 * maximising sign agreement of (organization − single) with "helps below t"; ties broken by the lower
 * squared error once δ's are the mean changes on each side.
 */
export function fitThreshold(cells: readonly MatchedCell[]): ThresholdFit {
  const singles = [...new Set(cells.map((c) => c.single))].sort((a, b) => a - b);
  const candidates = [-Infinity, ...singles.slice(1).map((s, i) => (s + singles[i]) / 2), Infinity];
  let best: ThresholdFit & { agree: number; sse: number } = { t: Infinity, below: 0, above: 0, agree: -1, sse: Infinity };
  for (const t of candidates) {
    const lo = cells.filter((c) => c.single < t);
    const hi = cells.filter((c) => c.single >= t);
    const below = mean(lo.map((c) => c.accuracy - c.single));
    const above = mean(hi.map((c) => c.accuracy - c.single));
    let agree = 0;
    let sse = 0;
    for (const c of cells) {
      const d = c.accuracy - c.single;
      const predicted = c.single < t ? below : above;
      if (Math.sign(d) === Math.sign(predicted) && d !== 0) agree++;
      sse += (d - predicted) ** 2;
    }
    if (agree > best.agree || (agree === best.agree && sse < best.sse)) best = { t, below, above, agree, sse };
  }
  return { t: best.t, below: best.below, above: best.above };
}

const clampUnit = (p: number) => Math.min(1, Math.max(0, p));

/** Fits `model` on `train` (per organization) and returns its predictor, or null for unseen organizations. */
function withChance(cell: MatchedCell, variant: TheoryVariant): MatchedCell {
  return variant.chance === undefined ? cell : { ...cell, chance: variant.chance };
}

function fitModel(model: ValidationModel, train: readonly MatchedCell[], variants: readonly TheoryVariant[]): (cell: MatchedCell) => number | null {
  const variant = variants.find((v) => v.name === model);
  if (variant?.aggregator === 'judge') {
    // v is fitted with a and ρ on the training folds only, like every other parameter.
    const fits = new Map([...byOrganization(train.map((c) => withChance(c, variant)))].map(([org, cs]) => [org, fitJudge(cs)]));
    return (c) => {
      const f = fits.get(c.organization);
      return f ? judgePrediction(withChance(c, variant), f.a, f.rho, f.v) : null;
    };
  }
  if (variant) {
    const fits = new Map([...byOrganization(train.map((c) => withChance(c, variant)))].map(([org, cs]) => [org, fitVoter(cs)]));
    return (c) => {
      const f = fits.get(c.organization);
      return f ? voterPrediction(withChance(c, variant), f.a, f.rho) : null;
    };
  }
  const groups = byOrganization(train);
  if (model === 'no change') return (c) => c.single;
  if (model === 'mean shift') {
    const shift = new Map([...groups].map(([org, cs]) => [org, mean(cs.map((c) => c.accuracy - c.single))]));
    return (c) => (shift.has(c.organization) ? clampUnit(c.single + shift.get(c.organization)!) : null);
  }
  if (model === 'threshold') {
    const fits = new Map([...groups].map(([org, cs]) => [org, fitThreshold(cs)]));
    return (c) => {
      const f = fits.get(c.organization);
      return f ? clampUnit(c.single + (c.single < f.t ? f.below : f.above)) : null;
    };
  }
  throw new InvalidParameterError('model', `a theory variant (${variants.map((v) => v.name).join(', ')}) or a baseline (${BASELINES.join(', ')})`, model);
}

export interface ValidationOptions {
  /** Cluster-bootstrap resamples (default 2000). */
  bootstrap?: number;
  /** Interval level (default 0.95). */
  level?: number;
  seed?: number;
  /** Theory variants compared side by side (default one, "theory", with the table's chance levels). */
  variants?: readonly TheoryVariant[];
}

/** Out-of-fold scores of one model. */
export interface ModelScore {
  model: ValidationModel;
  /** Mean absolute error of the predicted accuracy over held-out cells. */
  meanAbsoluteError: number;
  /** Share of cells whose predicted sign of (organization − single) is right, among cells where neither sign is 0. */
  signAccuracy: number | null;
  /** Cells with a non-zero observed and predicted change (the denominator of signAccuracy). */
  signedCells: number;
  /** Cells whose observed change is exactly 0 (reported apart). */
  observedTies: number;
  /** Cells where the model predicts no change (reported apart; every cell for "no change"). */
  predictedTies: number;
}

/** Paired comparison theory − baseline on the same held-out cells. */
export interface PairedDifference {
  /** The theory variant. */
  theory: string;
  baseline: Baseline;
  /** Mean of |e_theory| − |e_baseline| (negative: the theory errs less). */
  meanAbsoluteErrorDifference: number;
  interval: { lower: number; upper: number };
  /** Sign accuracy difference on cells both models sign; null when the baseline never signs. */
  signAccuracyDifference: number | null;
  signInterval: { lower: number; upper: number } | null;
  /** 'theory better' | 'baseline better' | 'no difference shown', from the MAE interval. */
  verdict: 'theory better' | 'baseline better' | 'no difference shown';
}

export interface OrganizationSummary {
  organization: string;
  agents: number[];
  cells: number;
  /** Theory fitted on all cells (in-sample). */
  fit: VoterFit;
  /** Fitted saturation threshold in skill units: u* of the map with a (the §J2 star result); null when it never helps. */
  skillThreshold: number | null;
  /** The same in accuracy, p† = p_c + (1 − p_c)·s†, when the organization's cells share one chance level. */
  accuracyThreshold: number | null;
  /** In-sample threshold in single-agent accuracy from the threshold baseline fitted on all cells. */
  inSampleThreshold: number | null;
  /** The first judge variant fitted on all cells (a, ρ, v), when one is compared; else null. */
  judgeFit: JudgeFit | null;
  /** p† of that judge fit (§J2: the highest stable fixed point of the level (N, γ = a, ρ, judge v)), in accuracy. */
  judgeAccuracyThreshold: number | null;
}

export interface ValidationResult {
  cells: number;
  folds: { holdout: string; cells: number; predicted: number }[];
  /** Cells that could not be predicted (their organization absent from the training folds). */
  unpredicted: number;
  scores: ModelScore[];
  differences: PairedDifference[];
  organizations: OrganizationSummary[];
  /** Out-of-fold predictions, cell by cell (null when unpredicted). */
  predictions: { cell: MatchedCell; predicted: Record<ValidationModel, number | null> }[];
  clusters: number;
  variants: TheoryVariant[];
  bootstrap: number;
  level: number;
  seed: number;
  verdict: string;
  notes: string[];
}

/** §J4: leave-one-holdout-level-out cross-validation of the theory against the baselines. */
export function validateMatched(cells: readonly MatchedCell[], options: ValidationOptions = {}): ValidationResult {
  const bootstrap = checkInteger('bootstrap', options.bootstrap ?? 2000, 100, 1_000_000);
  const level = checkNumber('level', options.level ?? 0.95, 0.5, 0.999999, 'a level in [0.5, 0.999999]');
  const seed = checkInteger('seed', options.seed ?? DEFAULT_SEED, 0, MAX_SEED);
  const variants = options.variants ?? [{ name: 'theory' }];
  if (!Array.isArray(variants) || variants.length === 0 || variants.length > 16) {
    throw new InvalidParameterError('variants', 'an array of 1 to 16 theory variants { name, chance? }', variants);
  }
  variants.forEach((v, i) => {
    if (typeof v?.name !== 'string' || v.name === '' || (BASELINES as readonly string[]).includes(v.name) || variants.findIndex((w) => w.name === v.name) !== i) {
      throw new InvalidParameterError(`variants[${i}].name`, 'a unique non-empty name that is not a baseline\'s', v?.name);
    }
    if (v.chance !== undefined) checkNumber(`variants[${i}].chance`, v.chance, 0, 1 - Number.EPSILON, 'a chance accuracy in [0, 1)');
    if (v.aggregator !== undefined && v.aggregator !== 'plurality' && v.aggregator !== 'judge') {
      throw new InvalidParameterError(`variants[${i}].aggregator`, "'plurality' or 'judge'", v.aggregator);
    }
  });
  // Refuse chance levels and organizations the judge's maps cannot take before any fold is fitted.
  for (const v of variants) if (v.aggregator === 'judge') for (const c of cells) judgePrediction(withChance(c, v), 1, 0, 0);
  const MODELS: readonly ValidationModel[] = [...variants.map((v) => v.name), ...BASELINES];
  if (!Array.isArray(cells) || cells.length < 4) {
    throw new InvalidParameterError('cells', 'at least 4 cells (rows) to fit and hold out', Array.isArray(cells) ? `${cells.length} cells` : cells);
  }
  const holdouts = [...new Set(cells.map((c) => c.holdout))].sort();
  if (holdouts.length < 2) {
    throw new InvalidParameterError('holdout', 'a column with at least 2 distinct values (one is held out at a time)', holdouts[0]);
  }
  const predictions = cells.map((cell) => ({ cell, predicted: Object.fromEntries(MODELS.map((m) => [m, null])) as Record<ValidationModel, number | null> }));
  const folds = holdouts.map((h) => {
    const train = cells.filter((c) => c.holdout !== h);
    const predictors = MODELS.map((m) => [m, fitModel(m, train, variants)] as const);
    let predicted = 0;
    predictions.forEach((p) => {
      if (p.cell.holdout !== h) return;
      for (const [m, f] of predictors) p.predicted[m] = f(p.cell);
      if (p.predicted[variants[0].name] !== null) predicted++;
    });
    return { holdout: h, cells: cells.filter((c) => c.holdout === h).length, predicted };
  });
  // Score only cells every model predicted (the same cells for every paired comparison).
  const scored = predictions.filter((p) => MODELS.every((m) => p.predicted[m] !== null));
  if (scored.length === 0) {
    throw new InvalidParameterError('organization', 'organizations present in more than one holdout group (none could be predicted out of fold)', 'every organization in one group only');
  }
  const scores = MODELS.map((m) => score(m, scored));
  const clusterOf = (c: MatchedCell) => c.group;
  const clusterNames = [...new Set(scored.map((p) => clusterOf(p.cell)))].sort();
  const clusterIndex = new Map(clusterNames.map((g, i) => [g, i]));
  const clusterOfCell = scored.map((p) => clusterIndex.get(clusterOf(p.cell))!);
  const differences: PairedDifference[] = [];
  variants.forEach((variant, vi) => {
    const theory = variant.name;
    const theoryErr = scored.map((p) => Math.abs(p.predicted[theory]! - p.cell.accuracy));
    BASELINES.forEach((baseline, bi) => {
      const baseErr = scored.map((p) => Math.abs(p.predicted[baseline]! - p.cell.accuracy));
      const diff = theoryErr.map((e, i) => e - baseErr[i]);
      const signPairs = scored.map((p) => {
        const observed = Math.sign(p.cell.accuracy - p.cell.single);
        const t = Math.sign(p.predicted[theory]! - p.cell.single);
        const b = Math.sign(p.predicted[baseline]! - p.cell.single);
        return observed !== 0 && t !== 0 && b !== 0 ? (t === observed ? 1 : 0) - (b === observed ? 1 : 0) : null;
      });
      const offset = 2 * (vi * BASELINES.length + bi);
      const mae = clusterBootstrap(diff, clusterOfCell, clusterNames.length, bootstrap, level, seed, offset);
      const sign = signPairs.some((x) => x !== null) ? clusterBootstrap(signPairs, clusterOfCell, clusterNames.length, bootstrap, level, seed, offset + 1) : null;
      const verdict: PairedDifference['verdict'] = mae.upper < 0 ? 'theory better' : mae.lower > 0 ? 'baseline better' : 'no difference shown';
      differences.push({
        theory, baseline, meanAbsoluteErrorDifference: mean(diff), interval: { lower: mae.lower, upper: mae.upper },
        signAccuracyDifference: sign ? sign.estimate : null, signInterval: sign ? { lower: sign.lower, upper: sign.upper } : null, verdict,
      });
    });
  });
  // In-sample summaries with the first variant's chance levels.
  const organizations = [...byOrganization(cells.map((c) => withChance(c, variants[0])))].map(([organization, cs]) => {
    const fit = fitVoter(cs);
    const agents = [...new Set(cs.map((c) => c.agents))].sort((a, b) => a - b);
    // §J2 for a star with small messages: the single agent's skill at which the map with a crosses the
    // diagonal is u* of the level (N, γ = a, ρ); defined here when the organization has one N ≥ 3.
    const n = agents.length === 1 ? agents[0] : null;
    const odd = n === null ? null : n % 2 === 0 ? n - 1 : n;
    const skillThreshold = odd !== null && odd >= 3 ? nonZero(fixedPoint({ b: odd, gamma: fit.a, rho: fit.rho })) : null;
    const th = fitThreshold(cs);
    const chances = [...new Set(cs.map((c) => c.chance))];
    const accuracyThreshold = skillThreshold !== null && chances.length === 1 ? chances[0] + (1 - chances[0]) * skillThreshold : null;
    const judgeVariant = variants.find((v) => v.aggregator === 'judge');
    const judgeCells = judgeVariant === undefined ? null : cells.filter((c) => c.organization === organization).map((c) => withChance(c, judgeVariant));
    const judgeFit = judgeCells === null ? null : fitJudge(judgeCells);
    let judgeAccuracyThreshold: number | null = null;
    if (judgeFit !== null && n !== null && n >= 2 && chances.length === 1 && judgeCells!.every((c) => c.chance === judgeCells![0].chance)) {
      const pc = judgeCells![0].chance;
      const k = answersFromChance(pc);
      const sStar = nonZero(phaseStructure({ b: n, gamma: judgeFit.a, rho: judgeFit.rho, aggregator: { judge: judgeFit.v } }, { answers: k }).best);
      judgeAccuracyThreshold = sStar === null ? null : pc + (1 - pc) * sStar;
    }
    return {
      organization, agents, cells: cs.length, fit, skillThreshold, accuracyThreshold,
      inSampleThreshold: Number.isFinite(th.t) ? th.t : null, judgeFit, judgeAccuracyThreshold,
    };
  });
  const notes = [
    'β and γ are not separately identifiable from matched-budget data: the theory is fitted through a = γ·N^(−β) and ρ per organization (§J3).',
    ...(variants.some((v) => v.aggregator === 'judge') ? ['The judge variant also fits the verification skill v per organization (§H7) on the training folds, over K = 1/p_c answers (open answers at p_c = 0).'] : []),
  ];
  for (const o of organizations) {
    if (o.fit.onBound.length > 0) notes.push(`${o.organization}: the fit ends on a bound (${o.fit.onBound.join(', ')}); the data push past what the model can express.`);
    if (o.judgeFit && o.judgeFit.onBound.length > 0) notes.push(`${o.organization}: the judge fit ends on a bound (${o.judgeFit.onBound.join(', ')}).`);
  }
  const unpredicted = predictions.length - scored.length;
  if (unpredicted > 0) notes.push(`${unpredicted} cells were not scored: their organization had no training cells when their group was held out.`);
  return {
    cells: cells.length, folds, unpredicted, scores, differences, organizations, predictions, clusters: clusterNames.length,
    bootstrap, level, seed, variants: [...variants], verdict: verdicts(variants, differences, level, clusterNames.length), notes,
  };
}

function nonZero(x: number): number | null {
  return x > 0 && Number.isFinite(x) ? x : null;
}

function score(model: ValidationModel, scored: ValidationResult['predictions']): ModelScore {
  let abs = 0;
  let signed = 0;
  let right = 0;
  let observedTies = 0;
  let predictedTies = 0;
  for (const p of scored) {
    const predicted = p.predicted[model]!;
    abs += Math.abs(predicted - p.cell.accuracy);
    const observed = Math.sign(p.cell.accuracy - p.cell.single);
    const sign = Math.sign(predicted - p.cell.single);
    if (observed === 0) observedTies++;
    if (sign === 0) predictedTies++;
    if (observed !== 0 && sign !== 0) {
      signed++;
      if (sign === observed) right++;
    }
  }
  return {
    model, meanAbsoluteError: abs / scored.length, signAccuracy: signed > 0 ? right / signed : null, signedCells: signed,
    observedTies, predictedTies,
  };
}

/**
 * Percentile interval of the mean of `values` (nulls skipped) under resampling whole clusters with
 * replacement; resample r draws its clusters from stream (seed, validateBootstrap, offset·2^20 + r).
 */
function clusterBootstrap(
  values: readonly (number | null)[], cluster: readonly number[], clusters: number, resamples: number, level: number, seed: number, offset: number,
): { estimate: number; lower: number; upper: number } {
  const sums = new Float64Array(clusters);
  const counts = new Float64Array(clusters);
  values.forEach((v, i) => {
    if (v === null) return;
    sums[cluster[i]] += v;
    counts[cluster[i]]++;
  });
  const total = counts.reduce((a, b) => a + b, 0);
  const estimate = sums.reduce((a, b) => a + b, 0) / total;
  const replicates: number[] = [];
  for (let r = 0; r < resamples; r++) {
    const u = uniforms(seed, STREAMS.validateBootstrap, offset * 2 ** 20 + r, clusters);
    let s = 0;
    let n = 0;
    for (let k = 0; k < clusters; k++) {
      const c = Math.min(clusters - 1, Math.floor(u[k] * clusters));
      s += sums[c];
      n += counts[c];
    }
    if (n > 0) replicates.push(s / n);
  }
  replicates.sort((a, b) => a - b);
  const tail = (1 - level) / 2;
  return { estimate, lower: quantile(replicates, tail), upper: quantile(replicates, 1 - tail) };
}

function verdicts(variants: readonly TheoryVariant[], differences: readonly PairedDifference[], level: number, clusters: number): string {
  if (variants.length === 1) return verdictSentence('The theory', differences, level, clusters);
  return [
    ...variants.map((v) => verdictSentence(`Variant "${v.name}"`, differences.filter((d) => d.theory === v.name), level, clusters)),
    'The variants are scored side by side on the same folds; picking the best of them on these scores is a selection this cross-validation does not validate.',
  ].join('\n');
}

const lower = (s: string) => s[0].toLowerCase() + s.slice(1);

function verdictSentence(subject: string, differences: readonly PairedDifference[], level: number, clusters: number): string {
  const pct = `${Math.round(level * 100)}%`;
  const names = (v: PairedDifference['verdict']) => differences.filter((d) => d.verdict === v).map((d) => `"${d.baseline}"`);
  const better = names('theory better');
  const worse = names('baseline better');
  const unclear = names('no difference shown');
  const parts: string[] = [];
  if (better.length === differences.length) {
    parts.push(`${subject} predicts held-out groups better than every baseline: the ${pct} cluster-bootstrap interval (${clusters} clusters) of its mean absolute error minus each baseline's lies below zero.`);
  } else {
    // Predictive value is claimed only over all baselines at once; anything less is said as it is.
    parts.push(`No predictive value shown: ${lower(subject)} does not beat every baseline on held-out groups (${pct} cluster-bootstrap intervals, ${clusters} clusters).`);
    if (better.length > 0) parts.push(`It errs less than ${better.join(', ')} (interval below zero).`);
    if (unclear.length > 0) parts.push(`It is no better than ${unclear.join(', ')} (interval includes zero).`);
    if (worse.length > 0) parts.push(`${worse.join(', ')} predict${worse.length > 1 ? '' : 's'} better than ${lower(subject)} (interval above zero).`);
  }
  if (clusters < 10) parts.push(`With only ${clusters} clusters the bootstrap interval is rough.`);
  return parts.join(' ');
}
