// SPEC §J3 — the model of a matched-budget table and its fit. With the budget matched and messages
// small, an organization of N agents predicts p̂ = p_c + (1 − p_c)·[ρ·a·u + (1 − ρ)·f_N(a·u)], where u
// is the single agent's skill and a = γ·N^(−β): only the product a and ρ are identifiable from such
// data, not β and γ separately. Parameters are fitted by binomial maximum likelihood with each cell's n.
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
