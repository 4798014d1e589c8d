// What the explorer computes, as plain functions of its state (run inside the Web Workers). Every
// number comes from the package's browser entry — the same WASM kernel as Node.
import {
  betaShape, bistableGamma, chanceAccuracy, clippedPredictor, criticalGamma, criticalRho, designBinary, dominantLevelMap, dominantStateFromSkill,
  expectedRootAccuracy, fidelity, InvalidParameterError, leafVotesPerTrial, MAX_FULL_TREE_LEAVES, mixingDepth, organizationExponent,
  phaseGrid, phaseStructure, REGIME_CODES, rootBias, simulatePlurality, simulateScopedTree, simulateTree, trajectory,
  type DesignRow, type FamilyVerdict, type FidelityCurve, type FixedPointInfo, type Level, type Regime, type SimulationResult,
} from 'budgeted-synergy';
import { isBinary, stateAggregator, stateLeafBias, stateTask, type ExplorerState, type SimulationMode } from './state.ts';

/** Heatmap resolution: cells per axis over [0, 1] (cell centres, so γ = 0 and ρ = 1 edges are never hit exactly). */
export const GRID_SIZE = 120;

export function gridAxis(n = GRID_SIZE): number[] {
  return Array.from({ length: n }, (_, i) => (i + 0.5) / n);
}

/** Decimals of a picked γ or ρ: a cell is 1/120 ≈ 0.0083 wide, so 3 decimals resolve it (issue 15). */
export const GRID_DECIMALS = 3;

/**
 * A cell centre rounded to GRID_DECIMALS (0.7541666… → 0.754): the value moves by at most 0.0005,
 * less than half a cell (1/240), so it stays in the picked cell.
 */
export function snapToGrid(v: number): number {
  return Number(v.toFixed(GRID_DECIMALS));
}

/** The fidelity curve the state describes (§B3): constant γ, or the curve evaluated at m. */
export function fidelityCurve(state: ExplorerState): FidelityCurve {
  if (state.channel === 'gamma') return { kind: 'constant', gamma: state.gamma };
  if (state.curve === 'table') return { kind: 'table', m: state.table.map(([m]) => m), gamma: state.table.map(([, g]) => g) };
  return { kind: state.curve, gammaInf: state.gammaInf, m0: state.m0 };
}

/** The tree level of the current design (§B6; §H7 aggregation rule when it is a judge). */
export function currentLevel(state: ExplorerState): Level {
  const level: Level = { b: state.b, gamma: fidelity(fidelityCurve(state), state.m), rho: state.rho };
  if (state.aggregator === 'judge') level.aggregator = stateAggregator(state);
  return level;
}

/** ρ samples of the boundary lines drawn over the phase diagram. */
export const BOUNDARY_POINTS = 21;

export interface TheoryResult {
  level: Level;
  /** Leaf skill s_0 (the bias u_0 for K = 2), §H1. */
  u0: number;
  /** Chance accuracy p_c = 1/K (0 for open answers): accuracy p = p_c + (1 − p_c)·skill (§H1). */
  chance: number;
  binary: boolean;
  alpha: number;
  s: number;
  /** The highest stable fixed point (u* of §B7; 0 when only chance attracts), §H5. */
  uStar: number;
  regime: Regime;
  /** Every fixed point in [0, 1] with its stability, ascending (§H5). */
  fixedPoints: FixedPointInfo[];
  /** s† of a bistable level (§H5), else null. */
  threshold: number | null;
  /** §B9: 'falling' when u_0 > u* (the clipped predictor is then a lower bound), else 'growing'. */
  trend: 'growing' | 'falling';
  criticalGamma: number;
  /** ρ_c at this γ; NaN when no ρ ∈ [0, 1] is critical. */
  criticalRho: number;
  /** Least γ at this ρ with a fixed point above chance (§H5); γ_c for K = 2. */
  bistableGamma: number;
  mixingDepth: number | null;
  mixingDepthSmallSignal: number | null;
  /**
   * Exact root skill u_ℓ for ℓ = 0 … depth: the symmetric map (§B6, §H4), the two-number map of a
   * dominant distractor (§H4), the §I1 mixture when ρ_task > 0, and its mean over task difficulty (§I2).
   */
  exact: number[];
  /** û_ℓ = min(α^ℓ·u_0, u*) (§B9, binary map at ρ_task = 0 only), else null. */
  clipped: number[] | null;
  /** With a dominant distractor: the dominant answer's share at each depth. */
  dominant: number[] | null;
  /** Boundary lines over ρ ∈ [0, 1]: α = 1 (γ_c) and the lower edge of the bistable region (γ_b, §H5). */
  lines: { rho: number[]; criticalGamma: number[]; bistableGamma: number[] | null };
  grid: {
    axis: number[];
    /** Row-major, ρ index fastest (phaseGrid's cell order with one b and one u_0). */
    alpha: Float64Array;
    s: Float64Array;
    /** NaN for K ≠ 2 or a judge (the kernel gives u* for the binary map only). */
    uStar: Float64Array;
    uL: Float64Array;
    /** Index into REGIME_CODES. */
    regime: Uint8Array;
  };
}

export { REGIME_CODES };

export function computeTheory(state: ExplorerState): TheoryResult {
  const level = currentLevel(state);
  const u0 = stateLeafBias(state);
  const binary = isBinary(state);
  const task = stateTask(state);
  const k = state.answers;
  // Phase structure, α and the critical lines belong to the symmetric map (§H4, §H5); a dominant
  // distractor changes the trajectory (its own two-number map), as `synergy analyze` does.
  const sym = { answers: k };
  const aggregator = stateAggregator(state);
  if (!binary && (state.rhoTask > 0 || state.dispersion > 0)) {
    // The library's §I1 mixture and §I2 quadrature are binary (as `synergy analyze` and `design` refuse).
    throw state.rhoTask > 0
      ? new InvalidParameterError('rhoTask', '0 with K ≠ 2 answers or a judge (§I1 for plurality is not built yet)', state.rhoTask)
      : new InvalidParameterError('dispersion', '0 with K ≠ 2 answers or a judge (§I2 for plurality is not built yet)', state.dispersion);
  }
  const axis = gridAxis();
  const grid = phaseGrid({
    b: [state.b], gamma: axis, rho: axis, u0: [u0], depths: [state.depth],
    ...(binary ? {} : { task: sym, aggregator }),
  });
  const ps = phaseStructure(level, sym);
  const mixing = mixingDepth(level, u0, undefined, undefined, sym);
  let exact = Array.from(trajectory(level, u0, state.depth, sym));
  let dominant: number[] | null = null;
  const pc = chanceAccuracy(k);
  if (task.distractors !== undefined && k !== 2) {
    // One dominant distractor: the state is (p, d); iterate the exact two-number map (§H4).
    const delta = state.delta;
    let st = dominantStateFromSkill(u0, k, delta);
    exact = [u0];
    dominant = [st.d];
    for (let l = 1; l <= state.depth; l++) {
      st = dominantLevelMap(level, k, st);
      exact.push((st.p - pc) / (1 - pc));
      dominant.push(st.d);
    }
  }
  if (task.difficulty !== undefined) {
    // §I2 (with §I1): the mean over tasks of the exact root accuracy, as a bias 2p − 1.
    const d = { rhoTask: state.rhoTask, difficulty: task.difficulty };
    exact = exact.map((_, l) => 2 * expectedRootAccuracy(level, l, d) - 1);
  } else if (state.rhoTask > 0) {
    exact = exact.map((_, l) => rootBias(level, u0, l, { rhoTask: state.rhoTask }));
  }
  const rhoC = level.gamma > 0 ? criticalRho(level.b, level.gamma, sym, aggregator) : Number.NaN;
  const rhos = Array.from({ length: BOUNDARY_POINTS }, (_, i) => i / (BOUNDARY_POINTS - 1));
  return {
    level,
    u0,
    chance: pc,
    binary,
    alpha: ps.alpha,
    s: organizationExponent(level, sym),
    uStar: ps.best,
    regime: ps.regime,
    fixedPoints: ps.fixedPoints,
    threshold: ps.threshold,
    trend: ps.best > 0 && u0 > ps.best ? 'falling' : 'growing',
    criticalGamma: criticalGamma(level.b, level.rho, sym, aggregator),
    criticalRho: rhoC >= 0 && rhoC <= 1 ? rhoC : Number.NaN,
    bistableGamma: bistableGamma(level.b, level.rho, sym, aggregator),
    mixingDepth: mixing.exact,
    mixingDepthSmallSignal: mixing.smallSignal,
    exact,
    clipped: binary ? exact.map((_, l) => clippedPredictor(level, u0, l)) : null,
    dominant,
    lines: {
      rho: rhos,
      criticalGamma: rhos.map((r) => criticalGamma(level.b, r, sym, aggregator)),
      bistableGamma: binary ? null : rhos.map((r) => bistableGamma(level.b, r, sym, aggregator)),
    },
    grid: { axis, alpha: grid.alpha.slice(), s: grid.s.slice(), uStar: grid.uStar.slice(), uL: grid.uL.slice(), regime: grid.regime.slice() },
  };
}

export interface DesignResult {
  rows: DesignRow[];
  best: DesignRow;
  single: DesignRow;
  verdicts: FamilyVerdict[] | null;
}

/**
 * §E: the ranked organizations for the budget, window and message lengths, at the current ρ, ρ_task,
 * difficulty dispersion, answers and aggregation rule (symmetric distractors: the design search's model).
 */
export function computeDesign(state: ExplorerState): DesignResult {
  const binary = isBinary(state);
  return designBinary({
    budget: state.budget,
    window: state.window,
    overhead: state.overhead,
    messageLengths: state.lengths,
    fidelity: fidelityCurve(state),
    leafLaw: { kind: 'power', k: state.k, beta: state.beta, gMax: state.gMax },
    rho: state.rho,
    ...(state.rhoTask > 0 ? { rhoTask: state.rhoTask } : {}),
    ...(state.dispersion > 0 ? { dispersion: state.dispersion } : {}),
    ...(binary ? {} : { task: { answers: state.answers }, aggregator: stateAggregator(state) }),
  });
}

/** At most this many Monte Carlo depths per trajectory (every ⌈depth/40⌉-th level, and the last). */
export const MAX_MC_POINTS = 40;

/**
 * The depths simulated: ℓ = stride, 2·stride, …, depth (always the last); in mode 'full' only those
 * whose b^ℓ leaves fit a full-tree simulation (§D1a).
 */
export function monteCarloDepths(state: ExplorerState): { depths: number[]; skipped: number } {
  const stride = Math.ceil(state.depth / MAX_MC_POINTS);
  const all: number[] = [];
  for (let l = state.depth; l >= 1; l -= stride) all.unshift(l);
  if (state.mode === 'levels') return { depths: all, skipped: 0 };
  const fits = all.filter((l) => l * Math.log(state.b) <= Math.log(MAX_FULL_TREE_LEAVES) + 1e-9);
  return { depths: fits, skipped: all.length - fits.length };
}

/**
 * Votes drawn per second by one worker, measured in Chromium with `npm run bench:explorer` (start-up
 * included): full trees 1.5–1.7·10⁹, level by level 0.6–1.4·10⁸ (fixed costs per level weigh more).
 * Used for the estimate until the run has measured its own rate.
 */
export const TYPICAL_VOTE_RATE: Readonly<Record<SimulationMode, number>> = { full: 1.5e9, levels: 1e8 };

/**
 * The same for the plurality simulator (K ≠ 2 answers or a judge, §H6), measured in Node on the
 * loaded 2-core machine (b = 3, K = 10, depth 6, 100,000 trials): full 5.4·10⁷, levels 1.9·10⁷ votes/s.
 */
export const TYPICAL_PLURALITY_VOTE_RATE: Readonly<Record<SimulationMode, number>> = { full: 5e7, levels: 2e7 };

/** Runs estimated longer than this wait for the page's Run button instead of starting on every input. */
export const AUTO_START_SECONDS = 5;

export interface MonteCarloCost {
  /** Votes drawn by each depth's simulation: trials × the sweep's work measure leafVotesPerTrial(mode, b, ℓ). */
  votes: number[];
  total: number;
  /** total / TYPICAL_VOTE_RATE[mode] (TYPICAL_PLURALITY_VOTE_RATE for K ≠ 2 or a judge). */
  seconds: number;
}

/** The planned work of a Monte Carlo run over `depths` (e.g. trials × Σ_ℓ b^ℓ for full trees). */
export function monteCarloCost(state: ExplorerState, depths: readonly number[]): MonteCarloCost {
  const votes = depths.map((depth) => state.trials * leafVotesPerTrial(state.mode, state.b, depth));
  const total = votes.reduce((a, v) => a + v, 0);
  const rate = (isBinary(state) && state.b % 2 === 1 ? TYPICAL_VOTE_RATE : TYPICAL_PLURALITY_VOTE_RATE)[state.mode];
  return { votes, total, seconds: total / rate };
}

/** One simulated depth, in the state's units: `bias` is the root skill (the bias u for K = 2) and `stdError` its standard error. */
export interface MonteCarloPoint extends SimulationResult {
  depth: number;
}

/**
 * One Monte Carlo point: an independent simulation of the depth-ℓ tree with `trials` trials, seeded
 * (seed, cell = ℓ, chunk) (§D4), so Node's simulator with the same arguments gives the same counts:
 * simulateTree (§D1), simulateScopedTree when ρ_task > 0 (§I1, the task-level event drawn per trial),
 * simulateTree's heterogeneous variant for task difficulty (§D2 = §I2's Beta), simulatePlurality for
 * K ≠ 2 answers, a judge or an even b (§H6).
 */
export function simulatePoint(state: ExplorerState, depth: number): MonteCarloPoint {
  const tree = currentLevel(state);
  const u0 = stateLeafBias(state);
  const common = { depth, mode: state.mode, trials: state.trials, seed: state.seed, cell: depth };
  // The binary simulator has no tie-break: an even b (random tie-break, §H3) goes to the plurality simulator with K = 2.
  if (!isBinary(state) || state.b % 2 === 0) {
    if (state.rhoTask > 0 || state.dispersion > 0) {
      throw new InvalidParameterError(state.rhoTask > 0 ? 'rhoTask' : 'dispersion', '0 in the Monte Carlo with K ≠ 2 answers, a judge or an even b (only the binary simulator draws them)', state.rhoTask || state.dispersion);
    }
    const r = simulatePlurality({ ...common, tree, task: stateTask(state), s0: u0 });
    return { depth, trials: r.trials, correct: r.correct, accuracy: r.accuracy, bias: r.skill, stdError: r.skillStdError };
  }
  if (state.rhoTask > 0 && state.dispersion > 0) {
    throw new InvalidParameterError('rhoTask', '0 in the Monte Carlo when a difficulty dispersion φ > 0 is set (no simulator draws both)', state.rhoTask);
  }
  if ((state.rhoTask > 0 || state.dispersion > 0) && state.mode !== 'full') {
    throw new InvalidParameterError('mode', `'full' (full trees) when ${state.rhoTask > 0 ? 'ρ_task' : 'φ'} > 0: the task-level draw is per trial`, state.mode);
  }
  if (state.rhoTask > 0) return { depth, ...simulateScopedTree({ ...common, tree, u0, rhoTask: state.rhoTask }) };
  if (state.dispersion > 0) {
    const { a, b } = betaShape(stateTask(state).difficulty!);
    return { depth, ...simulateTree({ ...common, tree, u0, variant: { kind: 'heterogeneous', betaA: a, betaB: b } }) };
  }
  return { depth, ...simulateTree({ ...common, tree, u0 }) };
}
