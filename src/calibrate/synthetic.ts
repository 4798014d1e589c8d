// Synthetic calibration data with known parameters (§G tests and examples), drawn with the
// project's own generators: the §D Monte Carlo simulator for counts, the kernel's seeded streams
// for correctness matrices. Every data set is a pure function of its arguments and seed.
import { checkInteger, checkNumber, checkUnit, InvalidParameterError } from '../errors.ts';
import { fidelity, type FidelityCurve } from '../theory/fidelity.ts';
import { leafBias, type LeafLawSpec } from '../theory/leafLaw.ts';
import { simulateTree } from '../simulate/tree.ts';
import type { CorrectnessMatrix } from './correlation.ts';
import type { FidelityObservation } from './fidelityFit.ts';
import type { LeafObservation } from './leafLawFit.ts';
import { binomial, STREAMS, streamCell, uniforms } from './random.ts';

export interface SyntheticCorrelationSpec {
  /** Each agent's bias u_i = 2p_i − 1 (§B1); their count is the number of agents. */
  biases: readonly number[];
  tasks: number;
  /** Shared-failure probability ρ (§B4). */
  rho: number;
  /** Probability that a cell is missing (not answered), default 0. */
  missing?: number;
  seed: number;
}

/**
 * A correctness matrix under §B4 shared failure: for each task, with probability ρ the agents act
 * as one — a single uniform U decides every agent (agent i is right iff U < p_i) — and otherwise
 * each agent draws independently. With equal biases every pair's correlation is exactly ρ; in
 * general it is ρ·(min(p_i, p_j) − p_i·p_j)/√(p_i q_i p_j q_j), whose mean over pairs is returned
 * as `expectedRho`.
 */
export function syntheticCorrectnessMatrix(spec: SyntheticCorrelationSpec): { matrix: CorrectnessMatrix; expectedRho: number } {
  const k = spec.biases.length;
  if (k < 2) throw new InvalidParameterError('biases', 'at least two agents', spec.biases);
  const p = spec.biases.map((u, i) => (1 + checkNumber(`biases[${i}]`, u, -1, 1)) / 2);
  const tasks = checkInteger('tasks', spec.tasks, 1, 1e8);
  const rho = checkUnit('rho', spec.rho);
  const missing = checkNumber('missing', spec.missing ?? 0, 0, 0.999, 'a probability in [0, 0.999]');
  const seed = checkInteger('seed', spec.seed, 0, 2 ** 53 - 1);
  const rows: (0 | 1 | null)[][] = [];
  for (let t = 0; t < tasks; t++) {
    const u = uniforms(seed, STREAMS.syntheticCorrelation, t, 2 + 2 * k);
    const shared = u[0] < rho;
    rows.push(p.map((pi, i) => (u[2 + k + i] < missing ? null : (shared ? u[1] : u[2 + i]) < pi ? 1 : 0)));
  }
  let sum = 0, pairs = 0;
  for (let i = 0; i < k; i++) for (let j = i + 1; j < k; j++) {
    const cov = rho * (Math.min(p[i], p[j]) - p[i] * p[j]);
    const sd = Math.sqrt(p[i] * (1 - p[i]) * p[j] * (1 - p[j]));
    sum += i === j || p[i] === p[j] ? rho : cov / sd;
    pairs++;
  }
  return { matrix: { agents: p.map((_, i) => `agent${i + 1}`), tasks: rows }, expectedRho: sum / pairs };
}

/**
 * Fidelity counts (§G2): for each length m, `total` votes sent through the §B3 channel of fidelity
 * γ(m), simulated by the §D simulator as a depth-1 tree whose aggregator always copies its first
 * child's received message (ρ = 1) over leaves that are always right (u_0 = 1): the root is right
 * exactly when the channel kept the vote, so `agree` ~ Binomial(total, (1 + γ(m))/2).
 */
export function syntheticFidelityCounts(spec: { curve: FidelityCurve; lengths: readonly number[]; total: number; seed: number }): FidelityObservation[] {
  const total = checkInteger('total', spec.total, 1, 2 ** 40);
  return spec.lengths.map((m, i) => ({
    m,
    agree: simulateTree({
      tree: { b: 3, gamma: fidelity(spec.curve, m), rho: 1 }, u0: 1, depth: 1, mode: 'full', trials: total,
      seed: spec.seed, cell: streamCell(STREAMS.syntheticFidelity, i),
    }).correct,
    total,
  }));
}

/**
 * Leaf counts (§G3): at each compute x, `trials` answers of a leaf whose accuracy is
 * p_c + (1 − p_c)·g(x) for the law g, drawn by the §D simulator (a depth-0 tree is one leaf).
 */
export function syntheticLeafCounts(spec: { law: LeafLawSpec; chance: number; budgets: readonly number[]; trials: number; seed: number }): LeafObservation[] {
  const trials = checkInteger('trials', spec.trials, 1, 2 ** 40);
  return spec.budgets.map((x, i) => {
    const p = spec.chance + (1 - spec.chance) * leafBias(spec.law, x);
    return { x, right: binomial(trials, p, spec.seed, STREAMS.syntheticLeaf, i), trials };
  });
}

/** Noiseless leaf accuracies p_c + (1 − p_c)·g(x) (for exact-recovery checks). */
export function exactLeafAccuracies(spec: { law: LeafLawSpec; chance: number; budgets: readonly number[] }): LeafObservation[] {
  return spec.budgets.map((x) => ({ x, accuracy: spec.chance + (1 - spec.chance) * leafBias(spec.law, x) }));
}
