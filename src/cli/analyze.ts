// `synergy analyze`: what the theory says about one design (§B6–§B9; §H4–§H7 with --answers,
// --distractor, --aggregator). State values are skills s (for K = 2 the bias u); every accuracy
// printed is p = p_c + (1 − p_c)·s (§H1).
import {
  alpha, bistableGamma, clippedPredictor, criticalGamma, criticalRho, mixingDepth, organizationExponent, phaseStructure,
  trajectory,
} from '../theory/level.ts';
import { type Answers, chanceAccuracy } from '../theory/model.ts';
import { dominantLevelMap, dominantStateFromSkill } from '../theory/plurality.ts';
import { type FixedPointStability } from '../theory/pluralityPhases.ts';
import { rootBias, rootSkill } from '../theory/scope.ts';
import { expectedRootAccuracy, expectedRootSkill } from '../theory/difficulty.ts';
import { parseNumber } from './options.ts';
import { InvalidParameterError } from '../errors.ts';
import { fmt, keyValues } from './format.ts';
import { type SeriesPoint, seriesPlot } from './plot.ts';
import { type DesignFlags, resolveDesign } from './designFlags.ts';

/**
 * One fixed point. `stability` is the label printed everywhere: 'stable', 'unstable' or, at a
 * saddle-node (s† = s*, §H5 tangency rule), 'semi-stable (tangency)'; `stable` stays true there (the
 * point attracts from above, as the library's FixedPointInfo.stable).
 */
export interface FixedPointRow { skill: number; accuracy: number; stable: boolean; stability: FixedPointStability }

export interface Analysis {
  b: number; gamma: number; rho: number; rhoTask: number; m: number | null; u0: number; p0: number; depth: number;
  /** K (2 for the binary model) or 'open'; chance accuracy p_c; the aggregation rule and distractor profile. */
  answers: Answers; chance: number; aggregator: string; distractor: string;
  alpha: number; regime: string; s: number; uStar: number; uStarResolved: boolean;
  /** Every fixed point of the level map in [0, 1] with its stability (§H5; empty for the identity map). */
  fixedPoints: FixedPointRow[];
  /** s† of a bistable level: leaves above it climb to the high fixed point (§H5). */
  threshold: { skill: number; accuracy: number } | null;
  uL: number; accuracyL: number; clipped: number | null;
  /** With a dominant distractor: the dominant answer's share at the root (two-number map, §H4). */
  dominantL: number | null;
  /** §B9: 'falling' when u0 > u* (the clipped predictor is then a lower bound), else 'growing'. */
  trend: 'growing' | 'falling'; clippedBound: 'upper' | 'lower';
  mixingDepth: number | null; mixingDepthSmallSignal: number | null;
  criticalRho: number; criticalGamma: number;
  /** Least γ at this ρ with a fixed point above chance (§H5); = γ_c for K = 2. */
  bistableGamma: number;
  /**
   * §I2 task difficulty (--dispersion φ > 0): per task the leaf accuracy ~ Beta with mean p0 and
   * dispersion φ; the expected root accuracy over tasks. null without --dispersion.
   */
  difficulty: { mean: number; dispersion: number; expectedAccuracyL: number } | null;
}

/** Flags of analyze beyond one design: --dispersion (§I2). */
export type AnalyzeFlags = DesignFlags & { dispersion?: string };

export function analyze(flags: AnalyzeFlags): Analysis {
  const { level, u0, depth, m, task, dominant, rhoTask } = resolveDesign(flags);
  const symmetric = { answers: task.answers };
  const k = task.answers;
  const pc = chanceAccuracy(k);
  const acc = (s: number) => pc + (1 - pc) * s;
  const ps = phaseStructure(level, symmetric);
  const mix = mixingDepth(level, u0, undefined, undefined, symmetric);
  let uL = trajectory(level, u0, depth, symmetric)[depth];
  let dominantL: number | null = null;
  if (dominant !== null && k !== 2) {
    // One dominant distractor: the state is (p, d); iterate the exact two-number map.
    let state = dominantStateFromSkill(Math.max(0, u0), k, dominant);
    for (let l = 0; l < depth; l++) state = dominantLevelMap(level, k, state);
    uL = (state.p - pc) / (1 - pc);
    dominantL = state.d;
  }
  const aggregator = level.aggregator ?? 'plurality';
  const binaryModel = k === 2 && aggregator === 'plurality';
  if (rhoTask > 0) {
    // §I1: the plurality mixture (all-wrong start = the dominant-distractor state) for K answers or a judge.
    uL = binaryModel ? rootBias(level, u0, depth, { rhoTask })
      : rootSkill(level, u0, depth, { answers: k, rhoTask, ...(dominant === null ? {} : { distractors: { dominant } }) });
  }
  const falling = ps.best > 0 && u0 > ps.best;
  let difficulty: Analysis['difficulty'] = null;
  if (flags.dispersion !== undefined) {
    const dispersion = parseNumber('dispersion', flags.dispersion);
    if (!(dispersion >= 0 && dispersion < 1)) throw new InvalidParameterError('--dispersion', 'a task-difficulty dispersion φ in [0, 1) (§I2)', flags.dispersion);
    const mean = acc(u0);
    if (dispersion > 0 && !(mean > 0 && mean < 1)) throw new InvalidParameterError('--p0', 'a leaf accuracy in (0, 1) when --dispersion > 0', mean);
    // K answers, a judge or a dominant distractor: the §I2 expectation over Beta accuracies in 1/K units (expectedRootSkill).
    const expectedAccuracyL = binaryModel && dominant === null
      ? expectedRootAccuracy(level, depth, { answers: 2, rhoTask, difficulty: { mean, dispersion } })
      : acc(expectedRootSkill(level, depth, { answers: k, rhoTask, ...(dominant === null ? {} : { distractors: { dominant } }), difficulty: { mean, dispersion } }));
    difficulty = { mean, dispersion, expectedAccuracyL };
  }
  return {
    b: level.b, gamma: level.gamma, rho: level.rho, rhoTask, m, u0, p0: acc(u0), depth,
    answers: k, chance: pc,
    aggregator: aggregator === 'plurality' ? 'plurality' : `judge:${aggregator.judge}`,
    distractor: dominant === null ? 'symmetric' : `dominant:${dominant}`,
    alpha: alpha(level, symmetric), regime: ps.regime, s: organizationExponent(level, symmetric),
    uStar: ps.best, uStarResolved: !(ps.best > 0 && ps.best < 1e-12),
    fixedPoints: ps.fixedPoints.map((f) => ({ skill: f.value, accuracy: acc(f.value), stable: f.stable, stability: f.stability })),
    threshold: ps.threshold === null ? null : { skill: ps.threshold, accuracy: acc(ps.threshold) },
    // §B9's clipped predictor belongs to the concave binary map; null for K answers or a judge
    uL, accuracyL: acc(uL), clipped: k === 2 && aggregator === 'plurality' ? clippedPredictor(level, u0, depth) : null,
    dominantL,
    trend: falling ? 'falling' : 'growing', clippedBound: falling ? 'lower' : 'upper',
    mixingDepth: mix.exact, mixingDepthSmallSignal: mix.smallSignal,
    criticalRho: criticalRho(level.b, level.gamma, symmetric, aggregator),
    criticalGamma: criticalGamma(level.b, level.rho, symmetric, aggregator),
    bistableGamma: bistableGamma(level.b, level.rho, symmetric, aggregator),
    difficulty,
  };
}

export function formatAnalysis(a: Analysis): string {
  const binary = a.answers === 2 && a.aggregator === 'plurality';
  const x = binary ? 'u' : 's';
  const task = binary ? '' : `, K = ${a.answers === 'open' ? 'open (∞)' : a.answers} (chance accuracy ${fmt(a.chance)}), ${a.aggregator}, ${a.distractor} distractors`;
  const rows: [string, string][] = [
    ['design', `b = ${a.b}, γ = ${fmt(a.gamma)}${a.m !== null ? ` (m = ${a.m})` : ''}, ρ = ${a.rho}${a.rhoTask > 0 ? `, ρ_task = ${a.rhoTask}` : ''}, ${x}0 = ${binary ? String(Number(a.u0.toPrecision(12))) : fmt(a.u0, 6)} ${binary ? '(' : '(skill; accuracy '}p0 = ${fmt(a.p0)}), depth ${a.depth}${task}`],
    [binary ? 'α_ρ' : 'α (§H5)', `${fmt(a.alpha, 6)}  (${a.regime === 'identity' ? `identity: the ${binary ? 'bias' : 'skill'} is carried unchanged at every level` : a.regime})`],
    ['s (§B8)', fmt(a.s, 6)],
    [binary ? 'u* (§B7)' : 's* (§H5, highest stable)', a.regime === 'identity' ? '—  (identity map: no single fixed point)'
      : `${fmt(a.uStar, 6)}${a.uStarResolved ? '' : '  (below solver resolution 1e-12)'}${binary ? '' : `  (accuracy ${fmt(a.chance + (1 - a.chance) * a.uStar, 6)})`}`],
    ['fixed points in [0, 1]', a.fixedPoints.length === 0 ? 'every point (identity map)'
      : a.fixedPoints.map((f) => `${x} = ${fmt(f.skill, 6)} (accuracy ${fmt(f.accuracy, 6)}, ${f.stability})`).join('; ')],
  ];
  if (!binary) {
    // At a tangency s† = s* (one semi-stable point): leaves above it fall back to it, not climb.
    const tangent = a.fixedPoints.some((f) => f.stability === 'semi-stable (tangency)');
    rows.push(['threshold s† (§H5)', a.threshold === null ? 'none'
      : `skill ${fmt(a.threshold.skill, 6)} (accuracy ${fmt(a.threshold.accuracy, 6)}): ${tangent
        ? 's† = s*, a tangency: leaves at or above it end at it, below it fall to chance'
        : 'leaves above it climb to s*, below it fall to chance'}`]);
  }
  rows.push(
    [`${x}_${a.depth} (exact${a.rhoTask > 0 ? ', §I1 mixture' : ''})`, `${fmt(a.uL, 6)} ${binary ? '' : 'skill '} (accuracy ${fmt(a.accuracyL, 6)})${a.dominantL === null ? '' : `, dominant distractor ${fmt(a.dominantL, 6)}`}`],
  );
  if (a.difficulty !== null) {
    rows.push([`E[accuracy_${a.depth}] over tasks (§I2)`, `${fmt(a.difficulty.expectedAccuracyL, 6)}  (leaf accuracy per task ~ Beta, mean ${fmt(a.difficulty.mean)}, dispersion φ = ${a.difficulty.dispersion}; the row above is the mean task's)`]);
  }
  if (a.clipped !== null) rows.push([`û_${a.depth} (clipped, §B9)`, `${fmt(a.clipped, 6)}  (${a.trend}: ${a.clippedBound} bound${a.rhoTask > 0 ? ' of the ρ_task = 0 trajectory' : ''})`]);
  rows.push(
    ['mixing depth (ε = 0.05)', a.mixingDepth === null ? 'none' : `${a.mixingDepth} levels${a.mixingDepthSmallSignal === null ? '' : ` (small-signal estimate ${fmt(a.mixingDepthSmallSignal, 2)})`}`],
    ['critical ρ at this γ', `${fmt(a.criticalRho)}  (${binary ? 'amplifies' : 'α > 1'} iff ρ < ρ_c${outsideUnit(a.criticalRho, 'ρ')})`],
    ['critical γ at this ρ', `${fmt(a.criticalGamma)}  (${binary ? 'amplifies' : 'α > 1'} iff γ > γ_c${outsideUnit(a.criticalGamma, 'γ')})`],
  );
  if (a.dominantL !== null) {
    rows.push(['note', `α, the fixed points, s†, mixing depth and critical lines are those of the symmetric map (§H4); ${x}_${a.depth} uses the exact dominant-distractor map`]);
  }
  if (!binary) rows.push(['bistable edge γ_b at this ρ', `${fmt(a.bistableGamma)}  (a fixed point above chance iff γ ≥ γ_b; bistable for γ_b ≤ γ < γ_c)`]);
  return keyValues(rows);
}

/**
 * A critical value outside [0, 1] is still the formula's root; say what it means for real ρ or γ.
 * ρ helps below ρ_c, γ above γ_c.
 */
function outsideUnit(critical: number, symbol: 'ρ' | 'γ'): string {
  const helpsBelow = symbol === 'ρ';
  if (critical < 0) return helpsBelow ? ': no ρ in [0, 1] amplifies' : ': every γ in [0, 1] amplifies';
  if (critical > 1) return helpsBelow ? ': every ρ in [0, 1] amplifies' : ': no γ in [0, 1] amplifies';
  return '';
}

/**
 * Trajectory figure for K answers (§H5): exact skill s_L from the leaves' s_0, every fixed point as
 * a horizontal line labelled with its stability (stable, unstable, semi-stable (tangency)), and for
 * a bistable level trajectories started just above and just below s†, so the threshold's two basins
 * are visible.
 */
export async function answersTrajectoryFigure(flags: DesignFlags): Promise<string> {
  const { level, u0, depth, task } = resolveDesign(flags);
  const symmetric = { answers: task.answers };
  const ps = phaseStructure(level, symmetric);
  const points: SeriesPoint[] = [];
  const path = (s0: number, name: string) => {
    const t = trajectory(level, s0, depth, symmetric);
    t.forEach((y, x) => points.push({ x, y, series: name }));
  };
  path(u0, `exact s_L from s0 = ${fmt(u0, 3)}`);
  if (ps.threshold !== null) {
    for (const d of [0.02, -0.02]) {
      const s0 = ps.threshold + d;
      if (s0 >= 0 && s0 <= 1 && Math.abs(s0 - u0) > 1e-9) path(s0, `exact s_L from s† ${d > 0 ? '+' : '−'} 0.02`);
    }
  }
  for (const f of ps.fixedPoints) {
    // the label is the point's stability; a tangent threshold is s† and s* at once (§H5)
    const name = f.tangent ? `s† = s* = ${fmt(f.value, 4)}: ${f.stability}`
      : f.value === ps.threshold ? `s† = ${fmt(f.value, 4)} (${f.stability})` : `fixed point ${fmt(f.value, 4)} (${f.stability})`;
    points.push({ x: 0, y: f.value, series: name }, { x: depth, y: f.value, series: name });
  }
  const k = task.answers === 'open' ? 'open' : String(task.answers);
  return seriesPlot({
    title: `b = ${level.b}, K = ${k}, γ = ${fmt(level.gamma)}, ρ = ${level.rho}${level.aggregator && level.aggregator !== 'plurality' ? `, judge v = ${level.aggregator.judge}` : ''} (${ps.regime})`,
    points, xTitle: 'depth L', yTitle: 'root skill s_L', integerX: true,
  });
}
