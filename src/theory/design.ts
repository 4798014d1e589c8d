// SPEC §E — design search: given a budget, a context window, message lengths, a fidelity (or noise)
// curve, a leaf law and ρ, enumerate the single agent, stars and trees (and, for the continuous
// case, chains), solve the per-leaf compute from the budget with the exact message count (§B10),
// evaluate each exactly (§B6 / §C) and rank them, saying why each won or lost.
import { fidelity, type FidelityCurve } from './fidelity.ts';
import { checkFanIn, checkInteger, checkNonNegative, checkNumber, checkPositive, checkUnit, InvalidParameterError } from '../errors.ts';
import { checkLeafLaw, leafBias, type LeafLaw } from './leafLaw.ts';
import {
  alpha, criticalRho, DEFAULT_MIXING_EPSILON, fixedPoint, type Level, mixingDepth, organizationExponent,
} from './level.ts';
import { majoritySlope } from './majority.ts';
import { type Aggregator, type Answers, chanceAccuracy, checkAggregator, checkTaskModel, type TaskModel } from './model.ts';
import { phaseStructure } from './level.ts';
import { reachedFixedPoint } from './pluralityPhases.ts';
import { MAX_PLURALITY_FAN_IN } from './plurality.ts';
import { budgetedSynergy, type SynergyVerdict } from './synergy.ts';
import { chainBudget, leafComputeForBudget, starBudget, treeBudget, treeCommunicationCost } from './budget.ts';
import { chainRisk, checkNoiseCurve, effectiveRho, messageNoise, type NoiseCurve, starRisk, treeRisk } from './continuous.ts';
import { rootBias, rootSkill } from './scope.ts';
import { expectOverDifficulty, expectedRootSkill } from './difficulty.ts';

export type Organization = 'single' | 'star' | 'tree' | 'chain';
/**
 * Binary regimes (§B7–§B9; 'falling': u_0 > u*, the trajectory falls toward u*); continuous rows use
 * 'averaging'; rows ruled out by window or budget 'infeasible'.
 */
export type DesignRegime = 'single' | 'subcritical' | 'growing' | 'falling' | 'saturated' | 'averaging' | 'infeasible';

export interface DesignRow {
  rank: number | null; // 1 = best; null when infeasible
  organization: Organization;
  /** Fan-in (trees), or leaves of a star. */
  b: number | null;
  depth: number;
  leaves: number;
  /** Message length m (null for the single agent). */
  m: number | null;
  /** γ(m) (binary) or σ²(m) (continuous) of the messages. */
  channel: number | null;
  /** Per-leaf compute x solved from the budget with the exact message count. */
  compute: number;
  feasible: boolean;
  /** Binary: leaf bias g(x) of the organization's leaves. */
  leafBias: number | null;
  /** Binary: root bias u_L (exact recursion). */
  bias: number | null;
  /** Binary: accuracy p = p_c + (1 − p_c)·u_L in the task's unit (§J1; (1 + u_L)/2 when p_c = 1/2). */
  accuracy: number | null;
  /** Continuous: mean squared error of the root. */
  risk: number | null;
  /**
   * The limit this organization's shape reaches as it grows under the problem's (ρ, ρ_task) (§I1, §C4):
   * binary root bias as depth → ∞ at this leaf bias; continuous risk floor. Null for single/infeasible rows.
   */
  floor: number | null;
  regime: DesignRegime;
  /** Organization exponent s (binary trees and stars). */
  s: number | null;
  reason: string;
}

export interface BinaryDesignProblem {
  /**
   * Largest fan-in enumerated for stars and trees (default DEFAULT_MAX_FAN_IN): a wide window
   * and budget otherwise make the search quadratic in the window (issue 16: W = 10^7 ran for
   * minutes). `fanInCapped` in the result says when the window and budget allowed wider ones.
   */
  maxFanIn?: number;
  budget: number;
  window: number;
  overhead?: number;
  messageLengths: readonly number[];
  fidelity: FidelityCurve;
  leafLaw: LeafLaw;
  rho: number;
  /** Organization-wide shared failure ρ_task ∈ [0, 1] (§I1, default 0); every row uses the same (ρ, ρ_task). */
  rhoTask?: number;
  /**
   * §I2 task difficulty: per task the leaf accuracy (1 + u)/2 ~ Beta with mean (1 + g(x))/2 and this
   * dispersion φ ∈ [0, 1) (default 0); rows then hold the expected root bias over tasks.
   */
  dispersion?: number;
  /**
   * Chance accuracy p_c ∈ [0, 1) of the task (default 1/2): the leaf law and the root give skill above
   * chance, reported as accuracy p_c + (1 − p_c)·skill (§G3, §J1).
   */
  chance?: number;
  /**
   * K answers (§H): trees aggregate by plurality (or `aggregator`), the leaf law gives the leaves'
   * skill, chance is 1/K (a given `chance` must agree). Symmetric distractors.
   */
  task?: TaskModel;
  aggregator?: Aggregator;
  /** Largest tree depth considered (default 64). */
  maxDepth?: number;
  epsilon?: number;
}

/** Small-signal verdict (§B12) for one (b, m) family next to what the exact search found. */
export interface FamilyVerdict {
  b: number;
  m: number;
  verdict: SynergyVerdict;
  /** Small-signal: the optimal tree beats the single agent (s > β and B > B*). */
  smallSignalSaysTreeWins: boolean;
  /** Exact: some feasible tree or star of this (b, m) beats the single agent. */
  exactSaysTreeWins: boolean;
  disagree: boolean;
}

export interface BinaryDesignResult {
  rows: DesignRow[];
  best: DesignRow;
  single: DesignRow;
  /** Present when the leaf law is the power law (β is then known). */
  verdicts: FamilyVerdict[] | null;
  /** maxFanIn when it stopped the enumeration while wider organizations were still feasible, else null. */
  fanInCapped: number | null;
  /**
   * Fan-ins enumerated (§H3): 'all' (b ≥ 2) for K ≥ 3, open answers or a judge, where an even b is its
   * own organization; 'odd' for binary majority (K = 2, plurality), where an even b with a random
   * tie-break has exactly the level map of b − 1 at a higher cost, so it can never win.
   */
  fanIns: 'all' | 'odd';
}

/** Default cap on the fan-in of the binary design search (stars of up to 1001 leaves). */
export const DEFAULT_MAX_FAN_IN = 1001;

function checkCommon(p: { budget: number; window: number; overhead?: number; messageLengths: readonly number[]; rho: number; rhoTask?: number }) {
  checkPositive('budget', p.budget);
  checkPositive('window', p.window);
  const overhead = checkNonNegative('overhead', p.overhead ?? 0);
  if (!Array.isArray(p.messageLengths) || p.messageLengths.length === 0) {
    throw new InvalidParameterError('messageLengths', 'a non-empty array of message lengths > 0', p.messageLengths);
  }
  p.messageLengths.forEach((m, i) => checkPositive(`messageLengths[${i}]`, m));
  checkUnit('rho', p.rho);
  checkUnit('rhoTask', p.rhoTask ?? 0);
  return overhead;
}

function rankRows(rows: DesignRow[], better: (a: DesignRow, b: DesignRow) => number): void {
  const feasible = rows.filter((r) => r.feasible).sort(better);
  feasible.forEach((r, i) => (r.rank = i + 1));
  rows.sort((a, b) => (a.rank ?? Infinity) - (b.rank ?? Infinity));
}

/** Largest fan-in an aggregator can read: b·m + W_0 ≤ W (§B11). */
function windowFanIn(window: number, overhead: number, m: number): number {
  return Math.floor((window - overhead) / m);
}

/** §E for binary decisions (majority trees, §B). */
export function designBinary(p: BinaryDesignProblem): BinaryDesignResult {
  const overhead = checkCommon(p);
  checkLeafLaw(p.leafLaw);
  const maxDepth = checkInteger('maxDepth', p.maxDepth ?? 64, 1, 1024);
  const maxFanIn = checkInteger('maxFanIn', p.maxFanIn ?? DEFAULT_MAX_FAN_IN, 3, 1_000_001);
  let fanInCapped: number | null = null;
  const epsilon = p.epsilon ?? DEFAULT_MIXING_EPSILON;
  const B = p.budget;
  const task = checkTaskModel(p.task ?? {});
  const aggregator = checkAggregator('aggregator', p.aggregator ?? 'plurality');
  // One dominant distractor (§H4's two-number map) is exact for the root; a probability vector is Monte Carlo only.
  if (Array.isArray(task.distractors)) throw new InvalidParameterError('task.distractors', "'symmetric' or { dominant: δ } in the design search", task.distractors);
  const dominant = task.distractors !== 'symmetric' && task.answers !== 2 ? task.distractors : null;
  const plural = task.answers !== 2 || aggregator !== 'plurality';
  if (plural && p.chance !== undefined && Math.abs(p.chance - chanceAccuracy(task.answers)) > 1e-12) {
    throw new InvalidParameterError('chance', `1/K = ${chanceAccuracy(task.answers)} for K = ${task.answers} answers (or omitted)`, p.chance);
  }
  const chance = plural ? chanceAccuracy(task.answers) : checkNumber('chance', p.chance ?? 0.5, 0, 1 - Number.EPSILON, 'a chance accuracy in [0, 1)');
  const sym = plural ? { answers: task.answers } : undefined;
  const rhoTask = checkUnit('rhoTask', p.rhoTask ?? 0);
  const dispersion = checkNumber('dispersion', p.dispersion ?? 0, 0, 1 - Number.EPSILON, 'a dispersion φ in [0, 1) (§I2)');
  if (dominant && dispersion > 0) throw new InvalidParameterError('dispersion', '0 with a dominant distractor (§I2 is built for symmetric distractors)', dispersion);
  const toAccuracy = (u: number) => chance + (1 - chance) * u;
  const singleBias = leafBias(p.leafLaw, B);
  const single: DesignRow = {
    rank: null, organization: 'single', b: null, depth: 0, leaves: 1, m: null, channel: null, compute: B, feasible: true,
    leafBias: singleBias, bias: singleBias, accuracy: toAccuracy(singleBias), risk: null, floor: null, regime: 'single', s: null, reason: 'all of B on one agent',
  };
  const rows: DesignRow[] = [single];
  for (const m of p.messageLengths) {
    const gamma = fidelity(p.fidelity, m);
    const bWindow = windowFanIn(p.window, overhead, m);
    // Stars are depth-1 trees with b = N; trees have depth ≥ 2 and fan-in within the window.
    // §H3: with K ≥ 3, open answers or a judge every b ≥ 2 is distinct (ties broken at random); for
    // K = 2 plurality an even b is b − 1 with more leaves to pay for, so only odd b are searched.
    for (let b = sym ? 2 : 3; ; b += sym ? 1 : 2) {
      if (sym && b > MAX_PLURALITY_FAN_IN) break; // the exact plurality maps stop at b = 151 (stars included)
      if (b > maxFanIn) {
        // Capped only if this fan-in would still fit the window and leave the leaves compute.
        if (b <= bWindow && leafComputeForBudget(treeBudget({ b, depth: 1, compute: 0, m }), B) > 0) fanInCapped = maxFanIn;
        break;
      }
      const level: Level = { b: checkFanIn('b', b), gamma, rho: p.rho, ...(aggregator === 'plurality' ? {} : { aggregator }) };
      const windowOk = b <= bWindow;
      let anyFeasible = false;
      for (let depth = 1; depth <= maxDepth; depth++) {
        const cost = treeBudget({ b, depth, compute: 0, m }); // §B10, exact message count
        const { leaves, messages } = cost;
        const x = leafComputeForBudget(cost, B);
        const organization: Organization = depth === 1 ? 'star' : 'tree';
        if (!windowOk || !(x > 0)) {
          rows.push({
            rank: null, organization, b, depth, leaves, m, channel: gamma, compute: x, feasible: false, leafBias: null, bias: null, accuracy: null,
            risk: null, floor: null, regime: 'infeasible', s: organizationExponent(level, sym),
            reason: !windowOk ? `window: b·m + W0 = ${b * m + overhead} > W = ${p.window}` : `budget: ${messages} messages cost ${2 * m * messages} ≥ B`,
          });
          break; // deeper trees only cost more
        }
        anyFeasible = true;
        const u0 = leafBias(p.leafLaw, x);
        // A Beta with mean 0 or 1 is degenerate: every task alike.
        // K answers or a judge: the plurality mixture of §I1 (rootSkill) and the §I2 expectation over Beta accuracies in 1/K units.
        const u = sym ? (dispersion === 0 ? rootSkill(level, u0, depth, { ...sym, rhoTask, ...(dominant ? { distractors: dominant } : {}) })
          : expectedRootSkill(level, depth, { ...sym, rhoTask, difficulty: { mean: toAccuracy(u0), dispersion } }))
          : dispersion === 0 || Math.abs(u0) >= 1 ? rootBias(level, u0, depth, { rhoTask })
            : 2 * expectOverDifficulty({ mean: (1 + u0) / 2, dispersion }, (q) => (1 + rootBias(level, 2 * q - 1, depth, { rhoTask })) / 2) - 1;
        rows.push({
          rank: null, organization, b, depth, leaves, m, channel: gamma, compute: x, feasible: true, leafBias: u0, bias: u, accuracy: toAccuracy(u),
          risk: null, floor: sym ? null : binaryFloor(level, u0, rhoTask, dispersion),
          regime: sym ? pluralityDesignRegime(level, u0, depth, epsilon, sym.answers) : binaryRegime(level, u0, depth, epsilon),
          s: organizationExponent(level, sym), reason: '',
        });
      }
      // Wider fan-in only costs more per leaf and needs more window: stop at the first dead end.
      if (!anyFeasible) break;
    }
  }
  rankRows(rows, (a, b) => b.bias! - a.bias! || a.leaves - b.leaves);
  const best = rows[0];
  for (const r of rows) r.reason ||= sym ? pluralityReason(r, best, single, p.rho, aggregator, sym.answers) : binaryReason(r, best, single, p.rho, rhoTask);
  single.reason = single === best ? 'best: no organization beats one agent with all of B' : `loses to ${describe(best)}`;
  // §B12's small-signal verdict is the binary theory's; K-answer trees have none (bistability is not small-signal)
  return { rows, best, single, verdicts: sym ? null : binaryVerdicts(p, rows, single), fanInCapped, fanIns: sym ? 'all' : 'odd' };
}

function binaryRegime(level: Level, u0: number, depth: number, epsilon: number): DesignRegime {
  if (alpha(level) <= 1) return 'subcritical';
  const mix = mixingDepth(level, u0, epsilon).exact;
  if (mix !== null && depth >= mix) return 'saturated';
  // §B9: above u* the trajectory falls toward u*; the clipped predictor is then a lower bound.
  return u0 > fixedPoint(level) ? 'falling' : 'growing';
}

/**
 * §I1 floor as depth → ∞: T^L(u_0) and T^L(1) both tend to u* (amplifying) or 0, so the root bias
 * tends to (ρ_task·u_0 + 1 − ρ_task)·u* — the shared share never beats its own leaf bias u_0.
 */
function binaryFloor(level: Level, u0: number, rhoTask: number, dispersion: number): number {
  const uStar = alpha(level) > 1 ? fixedPoint(level) : 0;
  if (dispersion === 0 || Math.abs(u0) >= 1) return u0 > 0 ? (rhoTask * u0 + 1 - rhoTask) * uStar : u0 < 0 ? -(1 - rhoTask - rhoTask * u0) * uStar : 0;
  // §I2: each task's independent part goes to ±u* by the sign of its own leaf bias.
  const signMean = expectOverDifficulty({ mean: (1 + u0) / 2, dispersion }, (q) => (q > 0.5 ? 1 : q < 0.5 ? -1 : 0));
  return (rhoTask * u0 + (1 - rhoTask) * signMean) * uStar;
}

/** §H5: rows whose leaves fall to chance are subcritical; otherwise growing or saturated toward the fixed point reached. */
function pluralityDesignRegime(level: Level, u0: number, depth: number, epsilon: number, answers: Answers): DesignRegime {
  const ps = phaseStructure(level, { answers });
  if (!(reachedFixedPoint(level, answers, u0, ps) > 0)) return 'subcritical';
  const mix = mixingDepth(level, u0, epsilon, undefined, { answers }).exact;
  return mix !== null && depth >= mix ? 'saturated' : 'growing';
}

/** Reasons for K answers (§H5): says when an organization helps only because its leaves clear s†. */
function pluralityReason(r: DesignRow, best: DesignRow, single: DesignRow, rho: number, aggregator: Aggregator, answers: Answers): string {
  const level: Level = { b: r.b!, gamma: r.channel!, rho, ...(aggregator === 'plurality' ? {} : { aggregator }) };
  const ps = phaseStructure(level, { answers });
  const prefix = r === best ? 'best' : `loses to ${describe(best)}`;
  const a = `α = ${ps.alpha.toFixed(3)}`;
  if (r.regime === 'subcritical') {
    return ps.threshold !== null
      ? `${prefix}: leaves' skill ${r.leafBias!.toFixed(4)} is below the threshold s† = ${ps.threshold.toFixed(4)} (${a} ≤ 1, bistable): they fall to chance`
      : `${prefix}: chance is the only attractor (${a}), votes wash out`;
  }
  if (ps.regime === 'identity') return `${prefix}: b = 2 at γ = 1 passes the leaves' skill ${r.leafBias!.toFixed(4)} through unchanged (two votes, random tie-break; §H3)`;
  const lifted = ps.regime === 'bistable' && ps.threshold !== null ? ` — ${a} ≤ 1: it gains only because the leaves' skill ${r.leafBias!.toFixed(4)} clears s† = ${ps.threshold.toFixed(4)}` : '';
  const state = r.regime === 'saturated' ? `saturated at s* = ${reachedFixedPoint(level, answers, r.leafBias!, ps).toFixed(4)}` : `growing, s_L = ${r.bias!.toFixed(4)}`;
  const vs = r.bias! < single.bias! ? `below the single agent (skill ${single.bias!.toFixed(4)})` : `vs the single agent's skill ${single.bias!.toFixed(4)}`;
  return `${prefix}: ${state}, ${vs}${lifted}`;
}

function describe(r: DesignRow): string {
  if (r.organization === 'single') return 'the single agent';
  const shape = r.organization === 'star' ? `star N=${r.leaves}` : r.organization === 'chain' ? `chain N=${r.leaves}` : `tree b=${r.b} L=${r.depth}`;
  return `${shape}, m=${r.m}`;
}

function binaryReason(r: DesignRow, best: DesignRow, single: DesignRow, rho: number, rhoTask: number): string {
  const level: Level = { b: r.b!, gamma: r.channel!, rho };
  const prefix = r === best ? 'best' : `loses to ${describe(best)}`;
  if (rhoTask > 0 && r.floor !== null) {
    const shape = `floor under ρ = ${rho}, ρ_task = ${rhoTask}: u → ${r.floor.toFixed(4)}`;
    if (r.bias! < single.bias!) return `${prefix}: below the single agent (u_L = ${r.bias!.toFixed(4)} < g(B) = ${single.bias!.toFixed(4)}); ${shape}`;
    return `${prefix}: u_L = ${r.bias!.toFixed(4)} vs the single agent's g(B) = ${single.bias!.toFixed(4)}; ${shape}`;
  }
  if (r.regime === 'subcritical') {
    // α_ρ ≤ 1: either messages lose more than majority gains (γ·c_b ≤ 1 even at ρ = 0) or ρ ≥ ρ_c.
    const gammaCb = r.channel! * majoritySlope(r.b!);
    return gammaCb <= 1
      ? `${prefix}: communication floor (γ(m)·c_b = ${gammaCb.toFixed(3)} ≤ 1, votes wash out)`
      : `${prefix}: correlation floor (ρ = ${rho} ≥ ρ_c = ${criticalRho(r.b!, r.channel!).toFixed(4)}, votes wash out)`;
  }
  if (r.regime === 'falling') {
    return `${prefix}: falling from u_0 = ${r.leafBias!.toFixed(4)} toward u* = ${fixedPoint(level).toFixed(4)} (u_0 > u*: depth only loses bias)`;
  }
  if (r.regime === 'saturated') {
    return `${prefix}: saturated at u* = ${fixedPoint(level).toFixed(4)} (the ceiling set by ρ and γ(m); more leaves only thin the budget)`;
  }
  const leaf = `leaves get x = ${r.compute.toFixed(1)} tokens (g(x) = ${r.leafBias!.toFixed(4)})`;
  if (r.bias! < single.bias!) {
    return `${prefix}: below the single agent (u_L = ${r.bias!.toFixed(4)} < g(B) = ${single.bias!.toFixed(4)}): ${leaf}, and N^s = ${(r.leaves ** r.s!).toFixed(2)} does not make up for it`;
  }
  return `${prefix}: growing, u_L = ${r.bias!.toFixed(4)} vs the single agent's g(B) = ${single.bias!.toFixed(4)}; ${leaf}`;
}

function binaryVerdicts(p: BinaryDesignProblem, rows: DesignRow[], single: DesignRow): FamilyVerdict[] | null {
  const law = p.leafLaw;
  if (typeof law === 'function' || law.kind !== 'power') return null;
  const out: FamilyVerdict[] = [];
  const seen = new Set<string>();
  for (const r of rows) {
    // Families the window or budget rule out have no exact answer to compare with.
    if ((r.organization !== 'tree' && r.organization !== 'star') || !r.feasible) continue;
    const key = `${r.b}/${r.m}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const s = organizationExponent({ b: r.b!, gamma: r.channel!, rho: p.rho });
    const verdict = budgetedSynergy({ s, beta: law.beta, c0: treeCommunicationCost(r.b!, r.m!), budget: p.budget });
    const smallSignalSaysTreeWins = verdict.synergy && p.budget > verdict.budgetThreshold;
    const exactSaysTreeWins = rows.some((q) => q.feasible && q.b === r.b && q.m === r.m && q.bias! > single.bias!);
    out.push({ b: r.b!, m: r.m!, verdict, smallSignalSaysTreeWins, exactSaysTreeWins, disagree: smallSignalSaysTreeWins !== exactSaysTreeWins });
  }
  return out;
}

export interface ContinuousDesignProblem {
  budget: number;
  window: number;
  overhead?: number;
  messageLengths: readonly number[];
  noise: NoiseCurve;
  /** Leaf variance law v(x) = v1·x^(−β) (§C). */
  v1: number;
  beta: number;
  rho: number;
  /** Organization-wide correlation ρ_task ∈ [0, 1] (§I1, default 0); every row uses the same (ρ, ρ_task). */
  rhoTask?: number;
  maxDepth?: number;
  /** Largest fan-in tried for averaging trees (default 64; the window may cut it further). */
  maxFanIn?: number;
}

/** §E for the continuous warm-up (§C): star, tree and chain ranked by mean squared error. */
export function designContinuous(p: ContinuousDesignProblem): { rows: DesignRow[]; best: DesignRow; single: DesignRow } {
  const overhead = checkCommon(p);
  checkNoiseCurve(p.noise);
  const v1 = checkPositive('v1', p.v1);
  const beta = checkPositive('beta', p.beta);
  const maxDepth = checkInteger('maxDepth', p.maxDepth ?? 64, 1, 1024);
  const maxFanIn = checkInteger('maxFanIn', p.maxFanIn ?? 64, 2, 1_000_000);
  const B = p.budget;
  const rho = p.rho;
  const rhoTask = p.rhoTask ?? 0;
  const v = (x: number) => v1 * Math.pow(x, -beta);
  const base = { rank: null, leafBias: null, bias: null, accuracy: null, floor: null, regime: 'averaging' as const, s: null, reason: '' };
  const single: DesignRow = { ...base, organization: 'single', b: null, depth: 0, leaves: 1, m: null, channel: null, compute: B, feasible: true, risk: v(B) };
  const rows: DesignRow[] = [single];
  for (const m of p.messageLengths) {
    const sigma2 = messageNoise(p.noise, m);
    const limit = windowFanIn(p.window, overhead, m);
    // Stars: N leaves, N messages; N ≤ window limit.
    for (let n = 2; n <= Math.max(2, Math.min(limit + 1, 100_000)); n++) {
      const x = leafComputeForBudget(starBudget({ leaves: n, compute: 0, m }), B);
      const feasible = n <= limit && x > 0;
      const star = feasible ? starRisk({ v: v(x), rho, rhoTask, sigma2, leaves: n }) : null;
      rows.push({
        ...base, organization: 'star', b: n, depth: 1, leaves: n, m, channel: sigma2, compute: x, feasible,
        risk: star?.risk ?? null, floor: star?.floor ?? null,
        reason: n > limit ? `window: N·m + W0 = ${n * m + overhead} > W = ${p.window}` : x > 0 ? '' : 'budget: messages cost ≥ B',
      });
      if (!feasible) break;
    }
    // Trees: fan-in b ≤ window, depth ≥ 2 while leaves get compute.
    for (let b = 2; b <= Math.min(limit, maxFanIn); b++) {
      for (let depth = 2; depth <= maxDepth; depth++) {
        const cost = treeBudget({ b, depth, compute: 0, m });
        const leaves = cost.leaves;
        const x = leafComputeForBudget(cost, B);
        if (!(x > 0)) break;
        const r = treeRisk({ v: v(x), rho, rhoTask, sigma2, b, depth });
        rows.push({ ...base, organization: 'tree', b, depth, leaves, m, channel: sigma2, compute: x, feasible: true, risk: r.risk, floor: r.floor,
          reason: v(x) < r.floor ? `depth hurts: leaf variance ${v(x).toPrecision(3)} is below the floor ${rhoTask > 0 ? 'ρ_task·v + v*' : 'v*'} = ${r.floor.toPrecision(3)}` : '' });
      }
    }
    // Chains: each agent reads one message (m + W0 ≤ W); N − 1 messages.
    if (m + overhead <= p.window) {
      for (let n = 2; n <= 100_000; n++) {
        const x = leafComputeForBudget(chainBudget({ leaves: n, compute: 0, m }), B);
        if (!(x > 0)) break;
        const chain = chainRisk({ v: v(x), rho, rhoTask, sigma2, leaves: n });
        rows.push({ ...base, organization: 'chain', b: 1, depth: n - 1, leaves: n, m, channel: sigma2, compute: x, feasible: true,
          risk: chain.risk, floor: chain.floor, reason: '' });
      }
    }
  }
  rankRows(rows, (a, b) => a.risk! - b.risk! || a.leaves - b.leaves);
  const best = rows[0];
  for (const r of rows) {
    if (r === single) continue;
    if (r.reason && !r.feasible) continue;
    const prefix = r === best ? 'best' : `loses to ${describe(best)}`;
    // §C4/§I1: every floor is stated under the same (ρ, ρ_task).
    const scope = rhoTask > 0 ? ` under ρ = ${rho}, ρ_task = ${rhoTask}` : '';
    const floor = r.organization === 'star' ? `correlation floor ρ_eff·v = ${(effectiveRho(rho, rhoTask) * v(r.compute)).toPrecision(3)}${scope}`
      : r.organization === 'chain' ? 'communication floor (message noise accumulates along the chain)'
        : rhoTask > 0 ? `floor ρ_task·v + v* = ${r.floor!.toPrecision(3)}${scope}` : 'communication floor v* = σ²/((b − 1)(1 − ρ))';
    r.reason = `${prefix}: ${r.reason || floor}`;
  }
  single.reason = single === best ? 'best: no organization beats one agent with all of B' : `loses to ${describe(best)}`;
  return { rows, best, single };
}
