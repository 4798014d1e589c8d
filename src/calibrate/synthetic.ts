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
import type { SampleTask } from './samplesFit.ts';
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

export interface SyntheticSamplesSpec {
  tasks: number;
  /** Answers per task (columns). */
  samples: number;
  /** Mean accuracy μ of one answer. */
  mean: number;
  /** Shared failure ρ (§I1): with probability ρ a task's answers are one copied vote. Default 0. */
  rho?: number;
  /** Difficulty φ (§I2): per task p_t ~ Beta(μ, φ). Default 0. */
  dispersion?: number;
  /**
   * Open answers (§H1): a wrong answer is the task's dominant distractor with this probability, else
   * a text no other answer shares. Omitted: a 1/0 matrix.
   */
  wrongShare?: number;
  /** Probability that a cell is missing, default 0. */
  missing?: number;
  seed: number;
}

/**
 * A tasks × samples matrix from the §I3 model (shared failure ρ, difficulty Beta(μ, φ)). Within a
 * task the answers are drawn as a Pólya urn — answer j is right with probability (μ + r·θ)/(1 + j·θ)
 * after r right of the first j, θ = φ/(1 − φ) — which is exactly an exchangeable sequence with
 * p_t ~ Beta(μ, φ), so no Beta variates are needed. Cells: 1/0/null, or answer texts with `right`
 * holding each task's right answer ("A"; the dominant distractor is "B").
 */
export function syntheticSamples(spec: SyntheticSamplesSpec): { rows: (0 | 1 | null)[][]; answers: (string | null)[][] | null; right: string[] | null; tasks: SampleTask[] } {
  const tasks = checkInteger('tasks', spec.tasks, 1, 1e7);
  const n = checkInteger('samples', spec.samples, 1, 10_000);
  const mean = checkNumber('mean', spec.mean, 0, 1, 'a mean accuracy in [0, 1]');
  const rho = checkUnit('rho', spec.rho ?? 0);
  const dispersion = checkNumber('dispersion', spec.dispersion ?? 0, 0, 0.999999, 'a dispersion in [0, 1)');
  const open = spec.wrongShare !== undefined;
  const delta = open ? checkUnit('wrongShare', spec.wrongShare) : 1;
  const missing = checkNumber('missing', spec.missing ?? 0, 0, 0.999, 'a probability in [0, 0.999]');
  const seed = checkInteger('seed', spec.seed, 0, 2 ** 53 - 1);
  const theta = dispersion / (1 - dispersion);
  const width = 3 + 3 * n;
  const u = uniforms(seed, STREAMS.syntheticSamples, 0, tasks * width);
  const rows: (0 | 1 | null)[][] = [];
  const answers: (string | null)[][] = [];
  const out: SampleTask[] = [];
  for (let t = 0; t < tasks; t++) {
    const o = t * width;
    const shared = u[o] < rho;
    const sharedRight = u[o + 1] < mean;
    const sharedText = sharedRight ? 'A' : u[o + 2] < delta ? 'B' : `w${t}-shared`;
    const row: (0 | 1 | null)[] = [];
    const texts: (string | null)[] = [];
    let right = 0, j = 0;
    for (let i = 0; i < n; i++) {
      const c = o + 3 + 3 * i;
      if (u[c] < missing) {
        row.push(null);
        texts.push(null);
        continue;
      }
      const z = shared ? sharedRight : u[c + 1] < (mean + right * theta) / (1 + j * theta);
      j++;
      if (z) right++;
      row.push(z ? 1 : 0);
      texts.push(shared ? sharedText : z ? 'A' : u[c + 2] < delta ? 'B' : `w${t}-${i}`);
    }
    rows.push(row);
    answers.push(texts);
    const groups = new Map<string, number>();
    for (const x of texts) if (x !== null && x !== 'A') groups.set(x, (groups.get(x) ?? 0) + 1);
    out.push({ id: String(t + 1), answers: j, right, ...(open ? { wrongGroups: [...groups.values()].sort((a, b) => b - a) } : {}) });
  }
  return { rows, answers: open ? answers : null, right: open ? rows.map(() => 'A') : null, tasks: out };
}
