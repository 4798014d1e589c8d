// SPEC §J1–§J2 — prediction from a measured single agent at a matched budget. The user measured one
// agent: accuracy p_S with the whole budget B (chance p_c). The leaf law through that point is
// g(x) = s_S·(x/B)^β (s_S = its skill); every organization is evaluated with the exact budget of §B10
// and the exact level map of §B6 in skill units, and reported in accuracy p = p_c + (1 − p_c)·skill.
import { checkFanIn, checkInteger, checkNonNegative, checkNumber, checkPositive, checkUnit, InvalidParameterError } from '../errors.ts';
import { fidelity, type FidelityCurve } from '../theory/fidelity.ts';
import { majorityBias, majoritySlope } from '../theory/majority.ts';

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
  /** α of each level (§B7 with the level's fan-in; an even fan-in acts as b − 1). */
  alphas: number[];
  /** amplifying when every level has α > 1, subcritical when none has, else mixed. */
  regime: 'single' | 'amplifying' | 'subcritical' | 'mixed';
}

function checkProblem(p: MatchedBudgetProblem): { gamma: number; window: number; overhead: number } {
  if (typeof p !== 'object' || p === null) throw new InvalidParameterError('problem', 'an object', p);
  checkNumber('chance', p.chance, 0, 1 - Number.EPSILON, 'a chance accuracy in [0, 1)');
  checkPositive('budget', p.budget);
  checkPositive('beta', p.beta);
  checkNonNegative('m', p.m);
  checkUnit('rho', p.rho);
  const gamma = typeof p.fidelity === 'number' ? checkUnit('fidelity', p.fidelity) : fidelity(p.fidelity, p.m);
  const window = p.window === undefined ? Infinity : checkPositive('window', p.window);
  return { gamma, window, overhead: checkNonNegative('overhead', p.overhead ?? 0) };
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

/** The organization's skill when the single agent's skill is sS (levels applied from the leaves up). */
function rootSkill(g: Geometry, gamma: number, rho: number, sS: number): number {
  let s = sS * g.leafFactor;
  for (const b of g.fanIns) s = matchedLevelMap(b, gamma, rho, s);
  return s;
}

/** §J1: the predicted accuracy of `org` given the measured single-agent accuracy p_S. */
export function predictMatched(p: MatchedBudgetProblem, singleAccuracy: number, org: MatchedOrganization): MatchedPrediction {
  const { gamma, window, overhead } = checkProblem(p);
  const pS = checkUnit('singleAccuracy', singleAccuracy);
  const fanIns = organizationFanIns(org);
  const g = geometry(p, fanIns, window, overhead);
  const sS = (pS - p.chance) / (1 - p.chance);
  const alphas = fanIns.map((b) => matchedAlpha(b, gamma, p.rho));
  const regime = fanIns.length === 0 ? 'single' as const
    : alphas.every((a) => a > 1) ? 'amplifying' as const : alphas.every((a) => a <= 1) ? 'subcritical' as const : 'mixed' as const;
  const feasible = g.infeasibleReason === null;
  const skill = feasible ? rootSkill(g, gamma, p.rho, sS) : null;
  const accuracy = skill === null ? null : p.chance + (1 - p.chance) * skill;
  return {
    label: organizationLabel(fanIns), fanIns, leaves: g.leaves, messages: g.messages, compute: g.compute, feasible,
    infeasibleReason: g.infeasibleReason, gamma, leafSkill: feasible ? sS * g.leafFactor : null, skill, accuracy,
    singleAccuracy: pS, difference: accuracy === null ? null : accuracy - pS, alphas, regime,
  };
}

/** §J2: where an organization stops (or starts) beating the single agent at the same budget. */
export interface SaturationThreshold {
  /**
   * p†: the single-agent accuracy above which the organization stops beating the single agent; 1 when
   * it beats it at every accuracy between chance and 1 (a perfect single agent cannot be beaten); null when it never does (or is infeasible).
   */
  value: number | null;
  kind: 'crossing' | 'always' | 'never' | 'infeasible';
  /** Every single-agent accuracy in (p_c, 1] where predicted − single changes sign, ascending. */
  crossings: number[];
}

/** Grid over the single agent's skill (0, 1] on which sign changes are searched before bisection. */
const THRESHOLD_GRID = 4096;

/**
 * §J2: solves predicted(p) = p over single-agent accuracies p ∈ (p_c, 1]. The difference is scanned on
 * a grid of skills (a sign change narrower than 1/4096 in skill can be missed: the maps here are
 * polynomials of low curvature, our choice of resolution) and every change refined by bisection to
 * 1e-13 in skill.
 */
export function saturationThreshold(p: MatchedBudgetProblem, org: MatchedOrganization): SaturationThreshold {
  const { gamma, window, overhead } = checkProblem(p);
  const g = geometry(p, organizationFanIns(org), window, overhead);
  if (g.fanIns.length === 0) return { value: null, kind: 'never', crossings: [] };
  if (g.infeasibleReason !== null) return { value: null, kind: 'infeasible', crossings: [] };
  const d = (s: number) => rootSkill(g, gamma, p.rho, s) - s;
  const crossings: number[] = [];
  let s0 = 1 / THRESHOLD_GRID / 1024; // near zero the sign is that of the slope α_eff − 1
  let d0 = d(s0);
  let lastSign = Math.sign(d0);
  for (let i = 1; i <= THRESHOLD_GRID; i++) {
    const s1 = i / THRESHOLD_GRID;
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
  // A perfect single agent cannot be beaten: a last crossing within 1e-6 of skill 1 means "always".
  if (crossings.length > 0 && crossings[crossings.length - 1] > 1 - 1e-6) crossings.pop();
  const helpsAtTop = d0 > 0 || (crossings.length === 0 && d((THRESHOLD_GRID - 1) / THRESHOLD_GRID) > 0);
  const helpsSomewhere = crossings.length > 0 || d(1 / THRESHOLD_GRID / 1024) > 0;
  if (helpsAtTop) return { value: 1, kind: 'always', crossings: crossings.map(toAccuracy) };
  if (!helpsSomewhere) return { value: null, kind: 'never', crossings: [] };
  return { value: toAccuracy(crossings[crossings.length - 1]), kind: 'crossing', crossings: crossings.map(toAccuracy) };
}
