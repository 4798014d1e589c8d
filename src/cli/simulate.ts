// `synergy simulate`: one design by Monte Carlo (§D), beside its exact value.
import { checkUnit, InvalidParameterError } from '../errors.ts';
import { expectedRootBias, type ReferenceVariant } from '../theory/reference.ts';
import { simulatePlurality, simulateTree } from '../simulate/index.ts';
import {
  accuracyFromSkill, chanceAccuracy, MAX_ANSWERS, skillFromAccuracy, type Aggregator, type Answers, type Distractors,
} from '../theory/model.ts';
import { clippedPredictor, type Level } from '../theory/level.ts';
import { fmt, keyValues } from './format.ts';
import { seriesPlot, type SeriesPoint } from './plot.ts';
import { type DesignFlags, resolveDesign } from './designFlags.ts';
import { parseInteger, parseNumber } from './options.ts';

export interface SimulateFlags extends DesignFlags {
  trials: string;
  mode: string;
  seed: string;
  variant: string;
}

/** `--variant standard | channelAfterCopy | heterogeneous:a,b` (§D2). */
export function parseVariant(text: string): ReferenceVariant {
  if (text === 'standard' || text === 'channelAfterCopy') return { kind: text };
  const match = /^heterogeneous:([^,]+),([^,]+)$/.exec(text);
  if (match) return { kind: 'heterogeneous', a: parseNumber('variant', match[1]), b: parseNumber('variant', match[2]) };
  throw new InvalidParameterError('--variant', 'standard, channelAfterCopy or heterogeneous:a,b', text);
}

export function parseMode(text: string): 'full' | 'levels' {
  if (text === 'full' || text === 'levels') return text;
  throw new InvalidParameterError('--mode', 'full or levels', text);
}

export function simulate(flags: SimulateFlags) {
  const { level, u0, depth, m } = resolveDesign(flags);
  const trials = parseInteger('trials', flags.trials, 1);
  const seed = parseInteger('seed', flags.seed, 0);
  const mode = parseMode(flags.mode);
  const variant = parseVariant(flags.variant);
  const exact = expectedRootBias({ tree: level, u0, depth, variant });
  const sim = simulateTree({ tree: level, u0, depth, mode, variant, trials, seed, cell: depth });
  const stdError = sim.stdError; // in levels mode it includes population resampling (levelsStdError)
  return {
    b: level.b, gamma: level.gamma, rho: level.rho, m, u0, depth, mode, variant, seed,
    trials: sim.trials, correct: sim.correct, accuracy: sim.accuracy, bias: sim.bias, stdError,
    exact, differenceInStdErrors: stdError > 0 ? (sim.bias - exact) / stdError : null,
  };
}

/**
 * The trajectory figure of one design: exact u_L and the clipped predictor û_L for L = 0 … depth,
 * and — when simulated — one independent simulation per depth (cell = L, §D4) with ±2σ bars.
 */
export async function trajectoryFigure(p: {
  level: Level; u0: number; depth: number; variant?: ReferenceVariant;
  simulation?: { trials: number; seed: number; mode: 'full' | 'levels' };
}): Promise<string> {
  const { level, u0, depth, variant, simulation } = p;
  const points: SeriesPoint[] = [];
  for (let L = 0; L <= depth; L++) {
    points.push({ x: L, y: expectedRootBias({ tree: level, u0, depth: L, variant }), series: 'exact u_L' });
    if (!variant || variant.kind === 'standard') points.push({ x: L, y: clippedPredictor(level, u0, L), series: 'clipped û_L' });
    if (simulation && L > 0) {
      const r = simulateTree({ tree: level, u0, depth: L, variant, ...simulation, cell: L });
      points.push({ x: L, y: r.bias, err: r.stdError, series: 'simulated u_L (±2σ)' });
    }
  }
  return seriesPlot({
    title: `b = ${level.b}, γ = ${fmt(level.gamma)}, ρ = ${level.rho}, u0 = ${u0}${variant && variant.kind !== 'standard' ? `, ${variant.kind}` : ''}`,
    points, xTitle: 'depth L', yTitle: 'root bias u_L', integerX: true,
  });
}

export function formatSimulation(r: ReturnType<typeof simulate>): string {
  return keyValues([
    ['design', `b = ${r.b}, γ = ${fmt(r.gamma)}, ρ = ${r.rho}, u0 = ${r.u0}, depth ${r.depth}, ${r.variant.kind}`],
    ['simulation', `${r.trials} trials, mode ${r.mode}, seed ${r.seed}: ${r.correct} right`],
    [`u_${r.depth} simulated`, `${fmt(r.bias, 6)} ± ${fmt(r.stdError, 6)}  (accuracy ${fmt(r.accuracy, 6)})`],
    [`u_${r.depth} exact`, fmt(r.exact, 6)],
    ['difference', r.differenceInStdErrors === null ? '— (zero standard error)' : `${fmt(r.differenceInStdErrors, 2)} standard errors`],
  ]);
}

// --- open answers (§H6): `--answers K|open --distractor symmetric|dominant:δ --aggregator plurality|judge:v`

export interface PluralityFlags {
  answers?: string;
  distractor?: string;
  aggregator?: string;
}

/** True when the flags ask for the plurality model (K ≠ 2, a distractor profile, a judge or an even b). */
export function wantsPlurality(flags: PluralityFlags & DesignFlags): boolean {
  return (flags.answers !== undefined && flags.answers !== '2') || (flags.distractor !== undefined && flags.distractor !== 'symmetric')
    || (flags.aggregator !== undefined && flags.aggregator !== 'plurality') || (flags.b !== undefined && Number(flags.b) % 2 === 0);
}

export function parseAnswers(text: string): Answers {
  if (text === 'open') return 'open';
  const k = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(k) || k < 2 || k > MAX_ANSWERS) {
    throw new InvalidParameterError('--answers', `an integer in [2, ${MAX_ANSWERS}] or open`, text);
  }
  return k;
}

export function parseDistractor(text: string): Distractors {
  if (text === 'symmetric') return text;
  const match = /^dominant:(.+)$/.exec(text);
  const delta = match ? Number(match[1]) : NaN;
  if (!(delta >= 0 && delta <= 1)) throw new InvalidParameterError('--distractor', 'symmetric or dominant:δ with δ in [0, 1]', text);
  return { dominant: delta };
}

export function parseAggregator(text: string): Aggregator {
  if (text === 'plurality') return text;
  const match = /^judge:(.+)$/.exec(text);
  const v = match ? Number(match[1]) : NaN;
  if (!(v >= 0 && v <= 1)) throw new InvalidParameterError('--aggregator', 'plurality or judge:v with v in [0, 1]', text);
  return { judge: v };
}

/**
 * `synergy simulate` for the plurality model (§H6): --u0 is the leaf skill s, --p0 its accuracy
 * (§H1). Prints the simulated root accuracy and skill with their standard errors (binomial in mode
 * full, from replicate populations in mode levels).
 */
export function simulatePluralityCli(flags: SimulateFlags & PluralityFlags) {
  const answers = parseAnswers(flags.answers ?? '2');
  const distractors = parseDistractor(flags.distractor ?? 'symmetric');
  const aggregator = parseAggregator(flags.aggregator ?? 'plurality');
  if (flags.variant !== undefined && flags.variant !== 'standard') {
    throw new InvalidParameterError('--variant', 'standard with --answers, --distractor or --aggregator', flags.variant);
  }
  const bText = flags.b;
  const b = Number(bText);
  if (bText === undefined || !Number.isInteger(b) || b < 2 || b > 1024) throw new InvalidParameterError('--b', 'an integer in [2, 1024]', bText ?? 'nothing');
  // resolveDesign checks γ, ρ, depth (with an odd stand-in b: the plurality model allows any b ≥ 2).
  const { level, depth, m } = resolveDesign({ ...flags, b: '3', u0: flags.u0 ?? (flags.p0 === undefined ? undefined : '0'), p0: undefined });
  let s0: number | undefined, p0: number | undefined;
  if (flags.u0 !== undefined && flags.p0 !== undefined) throw new InvalidParameterError('--p0', 'absent when --u0 (the leaf skill) is given', flags.p0);
  if (flags.p0 !== undefined) p0 = checkUnit('--p0', parseNumber('p0', flags.p0));
  else {
    const chance = chanceAccuracy(answers);
    s0 = parseNumber('u0', flags.u0 ?? 'missing');
    if (!(s0 >= -chance / (1 - chance) && s0 <= 1)) {
      throw new InvalidParameterError('--u0', `a leaf skill in [${fmt(-chance / (1 - chance))}, 1] (or --p0, an accuracy)`, flags.u0);
    }
  }
  const trials = parseInteger('trials', flags.trials, 1);
  const seed = parseInteger('seed', flags.seed, 0);
  const mode = parseMode(flags.mode);
  const tree = { b, gamma: level.gamma, rho: level.rho, aggregator };
  const sim = simulatePlurality({ tree, task: { answers, distractors }, ...(p0 === undefined ? { s0 } : { p0 }), depth, mode, trials, seed, cell: depth });
  const leafAccuracy = p0 ?? accuracyFromSkill(s0 as number, answers);
  return {
    b, gamma: level.gamma, rho: level.rho, m, answers, distractors, aggregator, depth, mode, seed,
    leafAccuracy, leafSkill: skillFromAccuracy(leafAccuracy, answers),
    trials: sim.trials, correct: sim.correct, dominant: sim.dominant,
    accuracy: sim.accuracy, accuracyStdError: sim.accuracyStdError, skill: sim.skill, skillStdError: sim.skillStdError,
    dominantShare: sim.dominantShare, stdErrorMethod: sim.stdErrorMethod, replicates: sim.replicates ?? null,
  };
}

export function formatPluralitySimulation(r: ReturnType<typeof simulatePluralityCli>): string {
  const agg = r.aggregator === 'plurality' ? 'plurality' : `judge v = ${r.aggregator.judge}`;
  const dist = r.distractors === 'symmetric' ? 'symmetric distractors' : `dominant distractor δ = ${(r.distractors as { dominant: number }).dominant}`;
  const rows: [string, string][] = [
    ['design', `b = ${r.b}, γ = ${fmt(r.gamma)}, ρ = ${r.rho}, depth ${r.depth}, ${agg}`],
    ['task', `${r.answers === 'open' ? 'open answers (K = ∞, chance 0)' : `K = ${r.answers} answers (chance ${fmt(chanceAccuracy(r.answers), 6)})`}, ${dist}`],
    ['leaves', `accuracy p0 = ${fmt(r.leafAccuracy, 6)}, skill s0 = ${fmt(r.leafSkill, 6)}`],
    ['simulation', `${r.trials} trials, mode ${r.mode}${r.replicates ? ` (${r.replicates} replicate populations)` : ''}, seed ${r.seed}: ${r.correct} right`],
    [`root accuracy p_${r.depth}`, `${fmt(r.accuracy, 6)} ± ${fmt(r.accuracyStdError, 6)}`],
    [`root skill s_${r.depth}`, `${fmt(r.skill, 6)} ± ${fmt(r.skillStdError, 6)}  (standard error: ${r.stdErrorMethod})`],
  ];
  if (r.distractors !== 'symmetric') rows.push(['on the dominant distractor', `${fmt(r.dominantShare, 6)} of roots`]);
  return keyValues(rows);
}
