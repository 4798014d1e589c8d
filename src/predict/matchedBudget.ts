// SPEC §J1–§J2 — prediction from a measured single agent at a matched budget. The user measured one
// agent: accuracy p_S with the whole budget B (chance p_c). The leaf law through that point is
// g(x) = s_S·(x/B)^β (s_S = its skill); every organization is evaluated with the exact budget of §B10
// and the one level map of the model (§B6 binary, §H4 K answers, §H7 judge, §I1 ρ_task, §I2
// difficulty) in skill units, and reported in accuracy p = p_c + (1 − p_c)·skill.
import { checkFanIn, checkInteger, checkNonNegative, checkNumber, checkPositive, checkUnit, InvalidParameterError } from '../errors.ts';
import { fidelity, type FidelityCurve } from '../theory/fidelity.ts';
import { majorityBias, majoritySlope } from '../theory/majority.ts';
import { isBinaryIdentity, type Level, phaseStructure } from '../theory/level.ts';
import {
  type Aggregator, type Answers, chanceAccuracy, checkAggregator, checkTaskModel, type TaskModel,
} from '../theory/model.ts';
import { MAX_PLURALITY_FAN_IN } from '../theory/plurality.ts';
import { reachedFixedPoint } from '../theory/pluralityPhases.ts';
import { rootSkill as scopedRootSkill } from '../theory/scope.ts';
import { expectedRootSkill } from '../theory/difficulty.ts';

/**
 * An organization at a matched budget: a star of N agents read by one aggregator (N = 1 is the single
 * agent), or a tree given by its fan-ins from the leaves up (fanIns[0] is the level just above the
 * leaves). Any fan-in ≥ 2: an even fan-in breaks ties uniformly at random (§H3).
 */
export type MatchedOrganization = { kind: 'star'; agents: number } | { kind: 'tree'; fanIns: readonly number[] };

export interface MatchedBudgetProblem {
  /** Chance accuracy p_c ∈ [0, 1) of the task (1/2 binary decisions, 1/K for K answers, 0 open answers). */
  chance: number;
  /** The total budget B (tokens) the measured single agent spent. */
  budget: number;
  /** Leaf scaling exponent β > 0 (§B2, §G3). */
  beta: number;
  /** Message fidelity: a constant γ or a curve evaluated at `m` (§B3). */
  fidelity: number | FidelityCurve;
  /** Message length m ≥ 0 in tokens (0: messages are free, the small-message limit). */
  m: number;
  /** Shared-failure correlation among siblings ρ ∈ [0, 1] (§B4). */
  rho: number;
  /** Context window W (tokens); omitted: unlimited. */
  window?: number;
  /** An aggregator's own prompt W_0 ≥ 0 (default 0). */
  overhead?: number;
  /**
   * K answers, distractor profile and organization-wide ρ_task (§H1, §I1); default binary, symmetric,
   * ρ_task = 0. With K ≠ 2 (or a judge) `chance` must be 1/K (0 for open answers).
   */
  task?: Omit<TaskModel, 'difficulty'>;
  /** Every aggregator's rule (§H3, §H7): plurality (default) or a judge with verification skill v. */
  aggregator?: Aggregator;
  /**
   * §I2 task difficulty: per task the leaf accuracy ~ Beta with the leaf's mean accuracy and this
   * dispersion φ ∈ [0, 1) (default 0). Accuracy in the map's unit, chance 1/K (for K = 2 the vote
   * accuracy (1 + s)/2, as in the design search).
   */
  dispersion?: number;
}

/** One level's phase (§B7, §H5) and where a leaf of the organization's skill goes under it. */
export interface LevelPhase {
  b: number;
  alpha: number;
  regime: 'subcritical' | 'critical' | 'identity' | 'amplifying' | 'bistable';
  /** s† of a bistable level (§H5): leaves below it fall to chance under repeated levels; else null. */
  threshold: number | null;
  /** The fixed point a deep tree of this level reaches from the organization's leaf skill (§H5). */
  reached: number | null;
}

/** What §J1 predicts for one organization, in the user's unit. */
export interface MatchedPrediction {
  label: string;
  /** Fan-ins from the leaves up ([] for the single agent). */
  fanIns: number[];
  leaves: number;
  /** Messages E of the exact §B10 count. */
  messages: number;
  /** Per-leaf compute x = (B − 2m·E)/N. */
  compute: number;
  feasible: boolean;
  /** Why not feasible (window or budget), else null. */
  infeasibleReason: string | null;
  gamma: number;
  /** Skill of one leaf, s_S·(x/B)^β. */
  leafSkill: number | null;
  /** Skill of the organization's answer. */
  skill: number | null;
  /** Accuracy p = p_c + (1 − p_c)·skill. */
  accuracy: number | null;
  singleAccuracy: number;
  /** accuracy − singleAccuracy. */
  difference: number | null;
  /** α of each level (§B7 with the level's fan-in; an even fan-in acts as b − 1; §H5 for K answers). */
  alphas: number[];
  /** Phase of each level (§H5), with the fixed point reached from this leaf skill. */
  phases: LevelPhase[];
  /**
   * amplifying when every level amplifies (α > 1, or a judge lifting chance), subcritical when none
   * does and none is bistable, bistable when every level is bistable (§H5: only leaves above s† are
   * lifted), else mixed.
   */
  regime: 'single' | 'amplifying' | 'subcritical' | 'bistable' | 'mixed';
}

interface CheckedProblem {
  gamma: number;
  window: number;
  overhead: number;
  answers: Answers;
  /** The task for the maps (answers, distractors, ρ_task). */
  task: Omit<TaskModel, 'difficulty'>;
  aggregator: Aggregator;
  dispersion: number;
  /** K = 2 with plurality: the binary map of §B (any fan-in; otherwise b ≤ MAX_PLURALITY_FAN_IN). */
  binary: boolean;
}

function checkProblem(p: MatchedBudgetProblem): CheckedProblem {
  if (typeof p !== 'object' || p === null) throw new InvalidParameterError('problem', 'an object', p);
  checkNumber('chance', p.chance, 0, 1 - Number.EPSILON, 'a chance accuracy in [0, 1)');
  checkPositive('budget', p.budget);
  checkPositive('beta', p.beta);
  checkNonNegative('m', p.m);
  checkUnit('rho', p.rho);
  const gamma = typeof p.fidelity === 'number' ? checkUnit('fidelity', p.fidelity) : fidelity(p.fidelity, p.m);
  const window = p.window === undefined ? Infinity : checkPositive('window', p.window);
  const t = checkTaskModel(p.task ?? {}, 'task');
  const aggregator = checkAggregator('aggregator', p.aggregator ?? 'plurality');
  const binary = t.answers === 2 && aggregator === 'plurality';
  // The maps of §H count skill above 1/K: a different chance would mix two units.
  if (!binary && Math.abs(p.chance - chanceAccuracy(t.answers)) > 1e-12) {
    throw new InvalidParameterError('chance', `1/K = ${chanceAccuracy(t.answers)} for K = ${t.answers} answers with ${t.answers === 2 ? 'a judge' : 'plurality or a judge'}`, p.chance);
  }
  const dispersion = checkNumber('dispersion', p.dispersion ?? 0, 0, 1 - Number.EPSILON, 'a dispersion φ in [0, 1) (§I2)');
  return {
    gamma, window, overhead: checkNonNegative('overhead', p.overhead ?? 0), answers: t.answers,
    task: { answers: t.answers, distractors: t.distractors, rhoTask: t.rhoTask }, aggregator, dispersion, binary,
  };
}

/** Fan-ins from the leaves up, validated. */
export function organizationFanIns(org: MatchedOrganization, name = 'organization'): number[] {
  if (typeof org !== 'object' || org === null) throw new InvalidParameterError(name, "{ kind: 'star', agents } or { kind: 'tree', fanIns }", org);
  if (org.kind === 'star') {
    const n = checkInteger(`${name}.agents`, org.agents, 1, 9_999_999);
    return n === 1 ? [] : [n];
  }
  if (org.kind === 'tree') {
    if (!Array.isArray(org.fanIns) || org.fanIns.length === 0 || org.fanIns.length > 64) {
      throw new InvalidParameterError(`${name}.fanIns`, 'an array of 1 to 64 fan-ins ≥ 2', org.fanIns);
    }
    return org.fanIns.map((b, i) => checkInteger(`${name}.fanIns[${i}]`, b, 2, 9_999_999));
  }
  throw new InvalidParameterError(`${name}.kind`, "'star' or 'tree'", (org as { kind?: unknown }).kind);
}

export function organizationLabel(fanIns: readonly number[]): string {
  if (fanIns.length === 0) return 'single agent';
  if (fanIns.length === 1) return `star N=${fanIns[0]}`;
  return fanIns.every((b) => b === fanIns[0]) ? `tree ${fanIns[0]}^${fanIns.length}` : `tree ${fanIns.join('×')}`;
}

/**
 * The majority fan-in a fan-in b acts as: b itself when odd; b − 1 when even, because a uniformly
 * random tie-break makes the even majority's bias f_{b−1} (§H3 with K = 2); 1 (the identity) for b = 2.
 */
function effectiveOddFanIn(b: number): number {
  return b % 2 === 0 ? b - 1 : b;
}

/** One level in skill units: ρ·γ·s + (1 − ρ)·f_b(γ·s) (§B6), with an even b acting as b − 1. */
export function matchedLevelMap(b: number, gamma: number, rho: number, s: number): number {
  const odd = effectiveOddFanIn(b);
  const g = gamma * s;
  return odd === 1 ? g : rho * g + (1 - rho) * majorityBias(checkFanIn('b', odd), g);
}

/** α = γ·(ρ + (1 − ρ)·c_b) of a level (§B7), an even b acting as b − 1 (c_1 = 1). */
export function matchedAlpha(b: number, gamma: number, rho: number): number {
  const odd = effectiveOddFanIn(b);
  return gamma * (rho + (1 - rho) * (odd === 1 ? 1 : majoritySlope(odd)));
}

interface Geometry {
  fanIns: number[];
  leaves: number;
  messages: number;
  compute: number;
  infeasibleReason: string | null;
  /** (x/B)^β: the factor from the single agent's skill to one leaf's. */
  leafFactor: number;
}

function geometry(p: MatchedBudgetProblem, fanIns: number[], window: number, overhead: number): Geometry {
  // §B10: every non-root node sends one message; nodes at height j number Π_{ℓ>j} b_ℓ.
  let leaves = 1;
  for (const b of fanIns) leaves *= b;
  let messages = 0;
  let above = leaves;
  for (const b of fanIns) {
    messages += above;
    above /= b;
  }
  const compute = (p.budget - 2 * p.m * messages) / leaves;
  const tooWide = fanIns.find((b) => b * p.m + overhead > window);
  const infeasibleReason = tooWide !== undefined
    ? `window: b·m + W0 = ${tooWide * p.m + overhead} > W = ${window}`
    : compute > 0 ? null : `budget: ${messages} messages cost ${2 * p.m * messages} ≥ B = ${p.budget}`;
  const leafFactor = compute > 0 ? Math.pow(compute / p.budget, p.beta) : 0;
  return { fanIns, leaves, messages, compute, infeasibleReason, leafFactor };
}

function levelsOf(fanIns: readonly number[], gamma: number, rho: number, c: CheckedProblem): Level[] {
  return fanIns.map((b) => (c.aggregator === 'plurality' ? { b, gamma, rho } : { b, gamma, rho, aggregator: c.aggregator }));
}

/**
 * The organization's skill when the single agent's skill is sS: the levels applied from the leaves up
 * by the model's one map (§B6/§H4/§H7) with the §I1 mixture, averaged over §I2 difficulty.
 */
function rootSkill(g: Geometry, gamma: number, rho: number, c: CheckedProblem, sS: number): number {
  const leaf = sS * g.leafFactor;
  if (g.fanIns.length === 0) return leaf;
  const simple = c.binary && c.task.rhoTask === 0 && c.dispersion === 0;
  if (simple) {
    let s = leaf;
    for (const b of g.fanIns) s = matchedLevelMap(b, gamma, rho, s);
    return s;
  }
  const levels = levelsOf(g.fanIns, gamma, rho, c);
  if (c.dispersion === 0) return scopedRootSkill(levels, leaf, levels.length, c.task);
  // §I2: the leaf's mean accuracy in the map's unit (chance 1/K; (1 + s)/2 for K = 2).
  const pc = chanceAccuracy(c.answers);
  return expectedRootSkill(levels, levels.length, { ...c.task, difficulty: { mean: pc + (1 - pc) * leaf, dispersion: c.dispersion } });
}

function checkFanInsForMap(fanIns: readonly number[], c: CheckedProblem): void {
  if (c.binary) return;
  const wide = fanIns.find((b) => b > MAX_PLURALITY_FAN_IN);
  if (wide !== undefined) {
    throw new InvalidParameterError('organization', `fan-ins (star N) ≤ ${MAX_PLURALITY_FAN_IN} with K ≠ 2 answers or a judge (the exact plurality maps, §H4)`, wide);
  }
}

/** Phase of each distinct fan-in (§B7, §H5), and the fixed point a deep tree reaches from `leaf`. */
function phasesOf(fanIns: readonly number[], gamma: number, rho: number, c: CheckedProblem, leaf: number | null): LevelPhase[] {
  const cache = new Map<number, LevelPhase>();
  return levelsOf(fanIns, gamma, rho, c).map((level) => {
    const hit = cache.get(level.b);
    if (hit) return hit;
    let phase: LevelPhase;
    if (c.binary) {
      const a = matchedAlpha(level.b, gamma, rho);
      const regime = isBinaryIdentity({ b: level.b, gamma, rho }) ? 'identity' as const : a > 1 ? 'amplifying' as const : a === 1 ? 'critical' as const : 'subcritical' as const;
      // §B7: u* (mirrored for a negative leaf) when amplifying, chance otherwise; the identity keeps the leaf.
      const uStar = regime === 'amplifying' ? phaseStructure({ ...level, b: level.b % 2 === 0 ? level.b - 1 : level.b }).best : 0;
      phase = { b: level.b, alpha: a, regime, threshold: null, reached: leaf === null ? null : regime === 'identity' ? leaf : Math.sign(leaf) * uStar };
    } else {
      const task = { answers: c.answers };
      const ps = phaseStructure(level, task);
      phase = {
        b: level.b, alpha: ps.alpha, regime: ps.regime, threshold: ps.threshold,
        reached: leaf === null ? null : reachedFixedPoint(level, c.answers, leaf, ps),
      };
    }
    cache.set(level.b, phase);
    return phase;
  });
}

/** §J1: the predicted accuracy of `org` given the measured single-agent accuracy p_S. */
export function predictMatched(p: MatchedBudgetProblem, singleAccuracy: number, org: MatchedOrganization): MatchedPrediction {
  const c = checkProblem(p);
  const { gamma, window, overhead } = c;
  const pS = checkUnit('singleAccuracy', singleAccuracy);
  const fanIns = organizationFanIns(org);
  checkFanInsForMap(fanIns, c);
  const g = geometry(p, fanIns, window, overhead);
  const sS = (pS - p.chance) / (1 - p.chance);
  const feasible = g.infeasibleReason === null;
  const phases = phasesOf(fanIns, gamma, p.rho, c, feasible ? sS * g.leafFactor : null);
  const alphas = phases.map((ph) => ph.alpha);
  const regime = fanIns.length === 0 ? 'single' as const
    : phases.every((ph) => ph.regime === 'amplifying') ? 'amplifying' as const
      : phases.every((ph) => ph.regime === 'bistable') ? 'bistable' as const
        : phases.every((ph) => ph.regime !== 'amplifying' && ph.regime !== 'bistable') ? 'subcritical' as const : 'mixed' as const;
  const skill = feasible ? rootSkill(g, gamma, p.rho, c, sS) : null;
  const accuracy = skill === null ? null : p.chance + (1 - p.chance) * skill;
  return {
    label: organizationLabel(fanIns), fanIns, leaves: g.leaves, messages: g.messages, compute: g.compute, feasible,
    infeasibleReason: g.infeasibleReason, gamma, leafSkill: feasible ? sS * g.leafFactor : null, skill, accuracy,
    singleAccuracy: pS, difference: accuracy === null ? null : accuracy - pS, alphas, phases, regime,
  };
}

/** §J2: where an organization stops (or starts) beating the single agent at the same budget. */
export interface SaturationThreshold {
  /**
   * p†: the single-agent accuracy above which the organization stops beating the single agent; 1 when
   * it still beats it just below 1 (a perfect single agent cannot be beaten); null when it never does
   * (or is infeasible).
   */
  value: number | null;
  kind: 'crossing' | 'always' | 'never' | 'infeasible';
  /**
   * The single-agent accuracy above which the organization starts beating the single agent, when it
   * does not just above chance (null otherwise). With K ≥ 3 plurality this is the bistable case of
   * §H5: weaker single agents give leaves below the threshold s† that fall toward chance, so the
   * organization helps only on (from, p†).
   */
  from: number | null;
  /** Every single-agent accuracy in (p_c, 1] where predicted − single changes sign, ascending. */
  crossings: number[];
}

/**
 * Grid over the single agent's skill (0, 1] on which sign changes are searched before bisection: 4096
 * cells for the binary map, 1024 where each evaluation runs the plurality maps or the §I1 mixture, 128
 * with §I2 difficulty (each evaluation is a quadrature of hundreds to thousands of tree evaluations;
 * our choice of cost against resolution: a helping interval narrower than one cell can be missed).
 */
const THRESHOLD_GRID = 4096;
const COSTLY_THRESHOLD_GRID = 1024;
const DIFFICULTY_THRESHOLD_GRID = 128;

/**
 * §J2: solves predicted(p) = p over single-agent accuracies p ∈ (p_c, 1]. The difference is scanned on
 * a grid of skills (a sign change narrower than one cell can be missed: the maps here are
 * polynomials of low curvature, our choice of resolution) and every change refined by bisection to
 * 1e-13 in skill.
 */
export function saturationThreshold(p: MatchedBudgetProblem, org: MatchedOrganization): SaturationThreshold {
  const c = checkProblem(p);
  const fanIns = organizationFanIns(org);
  checkFanInsForMap(fanIns, c);
  const g = geometry(p, fanIns, c.window, c.overhead);
  if (g.fanIns.length === 0) return { value: null, kind: 'never', from: null, crossings: [] };
  if (g.infeasibleReason !== null) return { value: null, kind: 'infeasible', from: null, crossings: [] };
  const grid = c.dispersion > 0 ? DIFFICULTY_THRESHOLD_GRID : c.binary && c.task.rhoTask === 0 ? THRESHOLD_GRID : COSTLY_THRESHOLD_GRID;
  const d = (s: number) => rootSkill(g, c.gamma, p.rho, c, s) - s;
  const crossings: number[] = [];
  const near = 1 / grid / 1024; // near zero the sign is that of the slope α_eff − 1 (or of S(0) for a judge)
  let s0 = near;
  let d0 = d(s0);
  const atChance = d0;
  let lastSign = Math.sign(d0);
  for (let i = 1; i <= grid; i++) {
    const s1 = i / grid;
    const d1 = d(s1);
    if (Math.sign(d1) !== 0 && lastSign !== 0 && Math.sign(d1) !== lastSign) {
      let lo = s0;
      let hi = s1;
      for (let k = 0; k < 80 && hi - lo > 1e-13; k++) {
        const mid = (lo + hi) / 2;
        if (Math.sign(d(mid)) === lastSign) lo = mid;
        else hi = mid;
      }
      crossings.push((lo + hi) / 2);
    }
    if (Math.sign(d1) !== 0) lastSign = Math.sign(d1);
    s0 = s1;
    d0 = d1;
  }
  const toAccuracy = (s: number) => p.chance + (1 - p.chance) * s;
  // A perfect single agent cannot be beaten: a last crossing within 1e-6 of skill 1 means "up to 1".
  if (crossings.length > 0 && crossings[crossings.length - 1] > 1 - 1e-6) crossings.pop();
  const helpsAtTop = d0 > 0 || (crossings.length === 0 && d((grid - 1) / grid) > 0);
  const helpsSomewhere = crossings.length > 0 || atChance > 0 || helpsAtTop;
  if (!helpsSomewhere) return { value: null, kind: 'never', from: null, crossings: [] };
  // Not helping just above chance: it starts helping at the first crossing (bistable plurality, or a
  // star whose leaves lose more to the split budget than the vote gives back).
  const from = atChance > 0 || crossings.length === 0 ? null : toAccuracy(crossings[0]);
  const accuracies = crossings.map(toAccuracy);
  if (helpsAtTop) return { value: 1, kind: 'always', from, crossings: accuracies };
  return { value: accuracies[accuracies.length - 1], kind: 'crossing', from, crossings: accuracies };
}
