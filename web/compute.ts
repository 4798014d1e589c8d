// What the explorer computes, as plain functions of its state (run inside the Web Workers). Every
// number comes from the package's browser entry — the same WASM kernel as Node.
import {
  alpha, clippedPredictor, leafVotesPerTrial, criticalGamma, criticalRho, designBinary, fidelity, fixedPoint, majoritySlope,
  MAX_FULL_TREE_LEAVES, mixingDepth, organizationExponent, phaseGrid, regime, simulateTree, trajectory,
  type DesignRow, type FamilyVerdict, type FidelityCurve, type Level, type Regime, type SimulationResult,
} from 'budgeted-synergy';
import { stateLeafBias, type ExplorerState, type SimulationMode } from './state.ts';

/** Heatmap resolution: cells per axis over [0, 1] (cell centres, so γ = 0 and ρ = 1 edges are never hit exactly). */
export const GRID_SIZE = 120;

export function gridAxis(n = GRID_SIZE): number[] {
  return Array.from({ length: n }, (_, i) => (i + 0.5) / n);
}

/** The fidelity curve the state describes (§B3): constant γ, or the curve evaluated at m. */
export function fidelityCurve(state: ExplorerState): FidelityCurve {
  if (state.channel === 'gamma') return { kind: 'constant', gamma: state.gamma };
  if (state.curve === 'table') return { kind: 'table', m: state.table.map(([m]) => m), gamma: state.table.map(([, g]) => g) };
  return { kind: state.curve, gammaInf: state.gammaInf, m0: state.m0 };
}

/** The tree level of the current design (§B6). */
export function currentLevel(state: ExplorerState): Level {
  return { b: state.b, gamma: fidelity(fidelityCurve(state), state.m), rho: state.rho };
}

export interface TheoryResult {
  level: Level;
  u0: number;
  cb: number;
  alpha: number;
  s: number;
  uStar: number;
  regime: Regime;
  criticalGamma: number;
  /** ρ_c at this γ; NaN when no ρ ∈ [0, 1] is critical. */
  criticalRho: number;
  mixingDepth: number | null;
  mixingDepthSmallSignal: number | null;
  /** u_ℓ and û_ℓ for ℓ = 0 … depth. */
  exact: number[];
  clipped: number[];
  grid: {
    axis: number[];
    /** Row-major, ρ index fastest (phaseGrid's cell order with one b and one u_0). */
    alpha: Float64Array;
    s: Float64Array;
    uStar: Float64Array;
    uL: Float64Array;
  };
}

export function computeTheory(state: ExplorerState): TheoryResult {
  const level = currentLevel(state);
  const u0 = stateLeafBias(state);
  const axis = gridAxis();
  const grid = phaseGrid({ b: [state.b], gamma: axis, rho: axis, u0: [u0], depths: [state.depth] });
  const mixing = mixingDepth(level, u0);
  const exact = Array.from(trajectory(level, u0, state.depth));
  const rhoC = level.gamma > 0 ? criticalRho(level.b, level.gamma) : Number.NaN;
  return {
    level,
    u0,
    cb: majoritySlope(state.b),
    alpha: alpha(level),
    s: organizationExponent(level),
    uStar: fixedPoint(level),
    regime: regime(level),
    criticalGamma: criticalGamma(level.b, level.rho),
    criticalRho: rhoC >= 0 && rhoC <= 1 ? rhoC : Number.NaN,
    mixingDepth: mixing.exact,
    mixingDepthSmallSignal: mixing.smallSignal,
    exact,
    clipped: exact.map((_, l) => clippedPredictor(level, u0, l)),
    grid: { axis, alpha: grid.alpha.slice(), s: grid.s.slice(), uStar: grid.uStar.slice(), uL: grid.uL.slice() },
  };
}

export interface DesignResult {
  rows: DesignRow[];
  best: DesignRow;
  single: DesignRow;
  verdicts: FamilyVerdict[] | null;
}

/** §E: the ranked organizations for the budget, window and message lengths, at the current ρ and channel. */
export function computeDesign(state: ExplorerState): DesignResult {
  return designBinary({
    budget: state.budget,
    window: state.window,
    overhead: state.overhead,
    messageLengths: state.lengths,
    fidelity: fidelityCurve(state),
    leafLaw: { kind: 'power', k: state.k, beta: state.beta, gMax: state.gMax },
    rho: state.rho,
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

export interface MonteCarloCost {
  /** Votes drawn by each depth's simulation: trials × the sweep's work measure leafVotesPerTrial(mode, b, ℓ). */
  votes: number[];
  total: number;
  /** total / TYPICAL_VOTE_RATE[mode]. */
  seconds: number;
}

/** The planned work of a Monte Carlo run over `depths` (e.g. trials × Σ_ℓ b^ℓ for full trees). */
export function monteCarloCost(state: ExplorerState, depths: readonly number[]): MonteCarloCost {
  const votes = depths.map((depth) => state.trials * leafVotesPerTrial(state.mode, state.b, depth));
  const total = votes.reduce((a, v) => a + v, 0);
  return { votes, total, seconds: total / TYPICAL_VOTE_RATE[state.mode] };
}

export interface MonteCarloPoint extends SimulationResult {
  depth: number;
}

/**
 * One Monte Carlo point: an independent simulation of the depth-ℓ tree with `trials` trials, seeded
 * (seed, cell = ℓ, chunk) (§D4), so Node's simulateTree with the same arguments gives the same counts.
 */
export function simulatePoint(state: ExplorerState, depth: number): MonteCarloPoint {
  const result = simulateTree({
    tree: currentLevel(state), u0: stateLeafBias(state), depth, mode: state.mode, trials: state.trials, seed: state.seed, cell: depth,
  });
  return { depth, ...result };
}
