// SPEC §G1 — shared failure ρ from a correctness matrix (agents × tasks; 1 right, 0 wrong, missing
// allowed). With votes v = 2z − 1, ρ̂ is the mean over agent pairs of the Pearson correlation of
// their votes across the tasks both answered; under §B4 Cov = ρ(1 − u²) and Var = 1 − u², so this
// is ρ exactly. Uncertainty: a seeded bootstrap over tasks (rows).
import { InvalidParameterError } from '../errors.ts';
import { type BootstrapOptions, type Interval, percentileInterval, resolveBootstrap } from './bootstrap.ts';
import { columnIndex, CsvError, type CsvTable } from './csv.ts';
import { STREAMS, uniforms } from './random.ts';

/** Agents × tasks: `tasks[t][a]` is 1 (right), 0 (wrong) or null (agent a did not answer task t). */
export interface CorrectnessMatrix {
  agents: readonly string[];
  tasks: readonly (readonly (0 | 1 | null)[])[];
}

export interface AgentSummary {
  name: string;
  /** Tasks this agent answered. */
  answered: number;
  right: number;
  accuracy: number;
  /** u = 2p − 1 (§B1). */
  bias: number;
  biasInterval: Interval | null;
}

export interface PairCorrelation {
  a: string;
  b: string;
  /** Pearson correlation of the two agents' votes over the tasks both answered. */
  rho: number;
  /** Tasks both answered. */
  shared: number;
  interval: Interval | null;
}

export interface CorrelationEstimate {
  /** ρ̂: the mean pairwise correlation (§G1). */
  rho: number;
  interval: Interval | null;
  level: number;
  seed: number;
  /** Resamples drawn, and how many were dropped because a pair's correlation was undefined in them. */
  resamples: number;
  undefinedResamples: number;
  tasks: number;
  agents: AgentSummary[];
  pairs: PairCorrelation[];
}

export interface CorrectnessColumns {
  /** A column that names the task (e.g. `task`): skipped, every other column is an agent. */
  taskColumn?: string;
}

/**
 * Reads a correctness matrix: a header of agent names, one row per task, cells 1, 0 or empty (also
 * 1.0/0.0 and True/False, as pandas writes them). With `taskColumn`, that column holds task ids and
 * is not an agent; an unnamed first column (pandas' index) is not an agent either.
 */
export function correctnessMatrixFromCsv(table: CsvTable, columns: CorrectnessColumns = {}): CorrectnessMatrix {
  const skip = columns.taskColumn === undefined ? -1 : columnIndex(table, columns.taskColumn, 'task ids');
  const agentColumns = table.header.map((_, c) => c).filter((c) => c !== skip && !(c === 0 && table.unnamedIndex));
  if (agentColumns.length < 2) {
    throw new CsvError(table.file, table.headerLine, 0,
      `a header naming at least two agents (one column per agent${skip >= 0 ? `, besides the task column ${JSON.stringify(columns.taskColumn)}` : ''})`,
      table.header.join(','));
  }
  const tasks = table.rows.map((row) => agentColumns.map((c) => {
    const text = row.cells[c];
    // What pandas writes for 0/1 columns: ints, floats once a value is missing, or booleans.
    if (text === '1' || text === '1.0' || text === 'True' || text === 'true' || text === 'TRUE') return 1 as const;
    if (text === '0' || text === '0.0' || text === 'False' || text === 'false' || text === 'FALSE') return 0 as const;
    if (text === '') return null;
    throw new CsvError(table.file, row.line, c + 1,
      `1/1.0/True (right), 0/0.0/False (wrong) or empty (not answered)${skip < 0 && c === 0 ? '; a task-id column needs taskColumn (--task-column <name>)' : ''}`, text, table.header[c]);
  }));
  return { agents: agentColumns.map((c) => table.header[c]), tasks };
}

interface PairCounts {
  n: number;
  na: number;
  nb: number;
  nab: number;
}

/**
 * Pearson correlation from counts over shared tasks: with n tasks, n_a and n_b right answers and
 * n_ab both right, r = (n·n_ab − n_a·n_b)/√(n_a(n − n_a)·n_b(n − n_b)). Votes 2z − 1 are an affine
 * map of z, so this is the correlation of the votes. Integer arithmetic keeps identical agents at
 * exactly 1. NaN when either agent is constant on the shared tasks.
 */
function pearson({ n, na, nb, nab }: PairCounts): number {
  const denominator = na * (n - na) * nb * (n - nb);
  if (!(denominator > 0)) return NaN;
  return Math.max(-1, Math.min(1, (n * nab - na * nb) / Math.sqrt(denominator)));
}

function validate(matrix: CorrectnessMatrix): void {
  if (typeof matrix !== 'object' || matrix === null || !Array.isArray(matrix.agents) || !Array.isArray(matrix.tasks)) {
    throw new InvalidParameterError('matrix', '{ agents: string[], tasks: (0 | 1 | null)[][] }', matrix);
  }
  const k = matrix.agents.length;
  if (k < 2) throw new InvalidParameterError('matrix.agents', 'at least two agents (a correlation needs a pair)', matrix.agents);
  matrix.tasks.forEach((row, t) => {
    if (!Array.isArray(row) || row.length !== k) throw new InvalidParameterError(`matrix.tasks[${t}]`, `an array of ${k} cells (one per agent)`, row);
    row.forEach((z, a) => {
      if (z !== 0 && z !== 1 && z !== null) throw new InvalidParameterError(`matrix.tasks[${t}][${a}]`, '1, 0 or null', z);
    });
  });
}

/** Tasks weighted by multiplicity (1 each for the data, bootstrap counts for a resample). */
function pairCounts(matrix: CorrectnessMatrix, weights: ArrayLike<number>, a: number, b: number): PairCounts {
  let n = 0, na = 0, nb = 0, nab = 0;
  const tasks = matrix.tasks;
  for (let t = 0; t < tasks.length; t++) {
    const w = weights[t];
    if (w === 0) continue;
    const za = tasks[t][a];
    const zb = tasks[t][b];
    if (za === null || zb === null) continue;
    n += w;
    na += w * za;
    nb += w * zb;
    nab += w * za * zb;
  }
  return { n, na, nb, nab };
}

function agentCounts(matrix: CorrectnessMatrix, weights: ArrayLike<number>, a: number): { answered: number; right: number } {
  let answered = 0, right = 0;
  for (let t = 0; t < matrix.tasks.length; t++) {
    const z = matrix.tasks[t][a];
    if (z === null || weights[t] === 0) continue;
    answered += weights[t];
    right += weights[t] * z;
  }
  return { answered, right };
}

/**
 * ρ̂ (§G1) with a percentile bootstrap over tasks. Throws InvalidParameterError (naming the agent)
 * when fewer than two agents are given, when an agent is always right or always wrong (its
 * correlation is undefined), or when a pair shares fewer than two tasks or is constant on them.
 * Resamples in which some pair's correlation is undefined are dropped and counted.
 */
export function estimateCorrelation(matrix: CorrectnessMatrix, options: BootstrapOptions = {}): CorrelationEstimate {
  validate(matrix);
  const { bootstrap, level, seed } = resolveBootstrap(options);
  const k = matrix.agents.length;
  const nTasks = matrix.tasks.length;
  const ones = new Uint32Array(nTasks).fill(1);
  const counts = matrix.agents.map((_, a) => agentCounts(matrix, ones, a));
  counts.forEach((c, a) => {
    const name = `agent ${JSON.stringify(matrix.agents[a])} (column ${a + 1})`;
    if (c.answered === 0) throw new InvalidParameterError(name, 'an agent that answered at least two tasks', 'no answers');
    if (c.right === 0 || c.right === c.answered) {
      throw new InvalidParameterError(name, 'right on some tasks and wrong on others (a constant agent has no correlation)',
        `${c.right === 0 ? 'wrong' : 'right'} on all ${c.answered} answered tasks`);
    }
  });
  const pairIndex: [number, number][] = [];
  for (let a = 0; a < k; a++) for (let b = a + 1; b < k; b++) pairIndex.push([a, b]);
  const pairRho = pairIndex.map(([a, b]) => {
    const c = pairCounts(matrix, ones, a, b);
    const r = pearson(c);
    if (!Number.isFinite(r)) {
      const name = `agents ${JSON.stringify(matrix.agents[a])} and ${JSON.stringify(matrix.agents[b])} (columns ${a + 1} and ${b + 1})`;
      throw new InvalidParameterError(name, 'at least two shared answered tasks on which neither agent is constant',
        `${c.n} shared tasks${c.n >= 2 ? ` with ${c.na}/${c.n} and ${c.nb}/${c.n} right` : ''}`);
    }
    return { r, shared: c.n };
  });
  const rho = mean(pairRho.map((p) => p.r));

  // Bootstrap over tasks: resample r draws nTasks task indices from its own stream.
  const rhoReplicates: number[] = [];
  const pairReplicates = pairIndex.map(() => [] as number[]);
  const biasReplicates = matrix.agents.map(() => [] as number[]);
  let undefinedResamples = 0;
  const weights = new Uint32Array(nTasks);
  for (let r = 0; r < bootstrap; r++) {
    weights.fill(0);
    const u = uniforms(seed, STREAMS.correlationBootstrap, r, nTasks);
    for (let i = 0; i < nTasks; i++) weights[Math.floor(u[i] * nTasks)]++;
    for (let a = 0; a < k; a++) {
      const c = agentCounts(matrix, weights, a);
      if (c.answered > 0) biasReplicates[a].push((2 * c.right) / c.answered - 1);
    }
    const rs = pairIndex.map(([a, b]) => pearson(pairCounts(matrix, weights, a, b)));
    rs.forEach((x, p) => {
      if (Number.isFinite(x)) pairReplicates[p].push(x);
    });
    if (rs.every(Number.isFinite)) rhoReplicates.push(mean(rs));
    else undefinedResamples++;
  }
  return {
    rho,
    interval: percentileInterval(rhoReplicates, level),
    level, seed, resamples: bootstrap, undefinedResamples, tasks: nTasks,
    agents: matrix.agents.map((name, a) => ({
      name, answered: counts[a].answered, right: counts[a].right, accuracy: counts[a].right / counts[a].answered,
      bias: (2 * counts[a].right) / counts[a].answered - 1, biasInterval: percentileInterval(biasReplicates[a], level),
    })),
    pairs: pairIndex.map(([a, b], p) => ({
      a: matrix.agents[a], b: matrix.agents[b], rho: pairRho[p].r, shared: pairRho[p].shared,
      interval: percentileInterval(pairReplicates[p], level),
    })),
  };
}

function mean(xs: readonly number[]): number {
  return xs.reduce((s, x) => s + x, 0) / xs.length;
}
