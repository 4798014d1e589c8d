// SPEC §J3 — the model of a matched-budget table and its fit. With the budget matched and messages
// small, an organization of N agents predicts p̂ = p_c + (1 − p_c)·[ρ·a·u + (1 − ρ)·f_N(a·u)], where u
// is the single agent's skill and a = γ·N^(−β): only the product a and ρ are identifiable from such
// data, not β and γ separately. Parameters are fitted by binomial maximum likelihood with each cell's n.
import { InvalidParameterError } from '../errors.ts';
import { type Answers } from '../theory/model.ts';
import { MAX_PLURALITY_FAN_IN, pluralityLevelMap } from '../theory/plurality.ts';
import { matchedLevelMap } from './matchedBudget.ts';

/** One row of a matched-budget table (§J4): a (group, organization) cell. */
export interface MatchedCell {
  /** Values of the group columns, joined for display (e.g. "gsm8k / llama-8b"). */
  group: string;
  organization: string;
  /** Agents N ≥ 1 of the organization. */
  agents: number;
  /** Single-agent accuracy at the same budget. */
  single: number;
  /** The organization's accuracy. */
  accuracy: number;
  /** Instances n behind `accuracy`. */
  n: number;
  /** Chance accuracy p_c of the task. */
  chance: number;
  /** The value of the holdout column. */
  holdout: string;
  /** 1-based line in the input file (for messages). */
  line: number;
}

/** Fitted parameters of the §J3 voter model for one organization. */
export interface VoterFit {
  a: number;
  rho: number;
  logLikelihood: number;
  /** Parameters that ended on a bound of [0, 1] (a = 1, ρ = 0 …): the data push past the model. */
  onBound: string[];
  cells: number;
}

/** p̂ of the §J3 voter model for one cell. */
export function voterPrediction(cell: Pick<MatchedCell, 'agents' | 'single' | 'chance'>, a: number, rho: number): number {
  const u = (cell.single - cell.chance) / (1 - cell.chance);
  // a·u passed as the skill with γ = 1: ρ·(a·u) + (1 − ρ)·f_N(a·u); N = 1 passes a·u on.
  const s = cell.agents === 1 ? a * u : matchedLevelMap(cell.agents, 1, rho, a * u);
  return cell.chance + (1 - cell.chance) * s;
}

/** Binomial log-likelihood with right = accuracy·n (possibly fractional), p clamped away from 0 and 1. */
function logLikelihood(cells: readonly MatchedCell[], predict: (c: MatchedCell) => number): number {
  let sum = 0;
  for (const c of cells) {
    const p = Math.min(1 - 1e-12, Math.max(1e-12, predict(c)));
    const right = c.accuracy * c.n;
    sum += right * Math.log(p) + (c.n - right) * Math.log(1 - p);
  }
  return sum;
}

/**
 * Maximises the likelihood over (a, ρ) ∈ [0, 1]²: a 21 × 21 grid, then five rounds of a 11 × 11 grid
 * shrinking around the best point (the surface is smooth and low-dimensional; our choice over a
 * gradient method, which the bounds would complicate). Resolution ~1e-6 in each parameter.
 */
export function fitVoter(cells: readonly MatchedCell[]): VoterFit {
  const ll = (a: number, rho: number) => logLikelihood(cells, (c) => voterPrediction(c, a, rho));
  let best = { a: 0.5, rho: 0.5, value: -Infinity };
  const scan = (aLo: number, aHi: number, rLo: number, rHi: number, k: number) => {
    for (let i = 0; i <= k; i++) {
      for (let j = 0; j <= k; j++) {
        const a = aLo + ((aHi - aLo) * i) / k;
        const rho = rLo + ((rHi - rLo) * j) / k;
        const value = ll(a, rho);
        if (value > best.value) best = { a, rho, value };
      }
    }
  };
  scan(0, 1, 0, 1, 20);
  let half = 0.05;
  for (let round = 0; round < 8; round++) {
    scan(Math.max(0, best.a - half), Math.min(1, best.a + half), Math.max(0, best.rho - half), Math.min(1, best.rho + half), 10);
    half /= 5;
  }
  const onBound: string[] = [];
  if (best.a <= 1e-6) onBound.push('a = 0');
  if (best.a >= 1 - 1e-6) onBound.push('a = 1');
  if (best.rho <= 1e-6) onBound.push('ρ = 0');
  if (best.rho >= 1 - 1e-6) onBound.push('ρ = 1');
  return { a: best.a, rho: best.rho, logLikelihood: best.value, onBound, cells: cells.length };
}

// ——— §H7 judge variant: p̂ = p_c + (1 − p_c)·[ρ·a·u + (1 − ρ)·F^J_{N,K,v}(a·u)] ———

/** K of a cell's chance level for the plurality/judge maps: 1/K, or 0 for open answers (§H1). */
export function answersFromChance(chance: number, line?: number): Answers {
  if (chance === 0) return 'open';
  const k = Math.round(1 / chance);
  if (k >= 2 && Math.abs(1 / k - chance) <= 1e-9) return k;
  throw new InvalidParameterError(line === undefined ? 'chance' : `chance (line ${line})`,
    'a chance level 1/K (K ≥ 2) or 0 (open answers) for the judge variant, whose map counts K answers (§H7)', chance);
}

/** Fitted parameters of the judge model for one organization: a, ρ and the judge's verification skill v. */
export interface JudgeFit extends VoterFit {
  v: number;
}

/** p̂ of the §H7 judge model for one cell (v = 0 is the plurality vote over K = 1/p_c answers). */
export function judgePrediction(cell: Pick<MatchedCell, 'agents' | 'single' | 'chance' | 'line'>, a: number, rho: number, v: number): number {
  const k = answersFromChance(cell.chance, cell.line);
  if (cell.agents > MAX_PLURALITY_FAN_IN) {
    throw new InvalidParameterError(`agents (line ${cell.line})`, `at most ${MAX_PLURALITY_FAN_IN} agents for the judge variant (exact plurality maps, §H4)`, cell.agents);
  }
  const u = (cell.single - cell.chance) / (1 - cell.chance);
  // γ = a and skill u: ρ·a·u + (1 − ρ)·F^J(a·u), the copy output as is under shared failure (§H7).
  const s = cell.agents === 1 ? a * u : pluralityLevelMap({ b: cell.agents, gamma: a, rho, aggregator: { judge: v } }, k, u);
  return cell.chance + (1 - cell.chance) * s;
}

/**
 * Nelder–Mead on [0, 1]^d (points clamped into the box), maximising f from `start` with initial step
 * `step`; stops when the simplex's values agree to 1e-12 relative or after 4000 evaluations.
 */
function nelderMead(f: (x: number[]) => number, start: number[], step: number): { x: number[]; value: number } {
  const clamp = (x: number[]) => x.map((v) => Math.min(1, Math.max(0, v)));
  const d = start.length;
  let simplex = [clamp(start), ...start.map((_, i) => clamp(start.map((v, j) => (j === i ? (v + step <= 1 ? v + step : v - step) : v))))]
    .map((x) => ({ x, value: f(x) }));
  for (let evals = 0; evals < 4000; evals++) {
    simplex.sort((p, q) => q.value - p.value);
    const best = simplex[0], worst = simplex[d];
    if (Math.abs(best.value - worst.value) <= 1e-12 * Math.max(1, Math.abs(best.value))) break;
    const centroid = Array.from({ length: d }, (_, j) => simplex.slice(0, d).reduce((a, p) => a + p.x[j], 0) / d);
    const along = (t: number) => { const x = clamp(centroid.map((c, j) => c + t * (worst.x[j] - c))); return { x, value: f(x) }; };
    const reflected = along(-1);
    if (reflected.value > best.value) {
      const expanded = along(-2);
      simplex[d] = expanded.value > reflected.value ? expanded : reflected;
    } else if (reflected.value > simplex[d - 1].value) {
      simplex[d] = reflected;
    } else {
      const contracted = along(0.5);
      if (contracted.value > worst.value) simplex[d] = contracted;
      else simplex = simplex.map((p, i) => (i === 0 ? p : (() => { const x = clamp(p.x.map((v, j) => best.x[j] + 0.5 * (v - best.x[j]))); return { x, value: f(x) }; })()));
    }
  }
  simplex.sort((p, q) => q.value - p.value);
  return simplex[0];
}

/**
 * Maximises the judge model's likelihood over (a, ρ, v) ∈ [0, 1]³: an 11³ grid, then Nelder–Mead from
 * each of the 8 best grid points, restarted until it stops improving (the likelihood has a long curved ridge in
 * (a, ρ, v): a stronger judge and a weaker channel explain much the same curve, so a shrinking grid
 * stalls on it). The ridge is also why v comes with a wide uncertainty from small tables.
 */
const MULTI_STARTS = 8;

export function fitJudge(cells: readonly MatchedCell[]): JudgeFit {
  for (const c of cells) judgePrediction(c, 1, 0, 0); // refuse bad chance levels and N before the search
  const ll = (a: number, rho: number, v: number) => logLikelihood(cells, (c) => judgePrediction(c, a, rho, v));
  const grid: { a: number; rho: number; v: number; value: number }[] = [];
  for (let i = 0; i <= 10; i++) for (let j = 0; j <= 10; j++) for (let k = 0; k <= 10; k++) {
    grid.push({ a: i / 10, rho: j / 10, v: k / 10, value: ll(i / 10, j / 10, k / 10) });
  }
  grid.sort((p, q) => q.value - p.value);
  let best = { ...grid[0] };
  // The surface can have separate local maxima along the ridge: climb from the 8 best grid points.
  for (const start of grid.slice(0, MULTI_STARTS)) {
    let local = { ...start };
    for (let restart = 0; restart < 40; restart++) {
      const r = nelderMead(([a, rho, v]) => ll(a, rho, v), [local.a, local.rho, local.v], 0.05);
      const improved = r.value > local.value + 1e-9;
      if (r.value > local.value) local = { a: r.x[0], rho: r.x[1], v: r.x[2], value: r.value };
      if (!improved) break;
    }
    if (local.value > best.value) best = local;
  }
  const onBound: string[] = [];
  if (best.a <= 1e-6) onBound.push('a = 0');
  if (best.a >= 1 - 1e-6) onBound.push('a = 1');
  if (best.rho <= 1e-6) onBound.push('ρ = 0');
  if (best.rho >= 1 - 1e-6) onBound.push('ρ = 1');
  if (best.v <= 1e-6) onBound.push('v = 0');
  if (best.v >= 1 - 1e-6) onBound.push('v = 1');
  return { a: best.a, rho: best.rho, v: best.v, logLikelihood: best.value, onBound, cells: cells.length };
}
