// SPEC §B12 — budgeted synergy in the small-signal regime with leaf law k·x^β: a tree whose leaves
// each spend x has bias ≈ k·x^β·N^s with N = B/(x + c_0); it can beat one agent at budget B iff s > β.
import { checkNonNegative, checkPositive, InvalidParameterError } from '../errors.ts';

export interface SynergyVerdict {
  /** s > β: some budget makes the optimal tree beat the single agent. */
  synergy: boolean;
  s: number;
  beta: number;
  c0: number;
  /** Optimal per-leaf compute x* = β·c_0/(s − β); null when s ≤ β. */
  xStar: number | null;
  /** B*: the optimal tree beats the single agent iff B > B*; Infinity when s ≤ β. */
  budgetThreshold: number;
  /** With a budget: N* = B·(s − β)/(s·c_0) (real-valued); null without a budget or when s ≤ β. */
  nStar: number | null;
  /** With a budget: the small-signal tree/single-agent bias ratio x*^β·N*^s / B^β at the optimum. */
  advantage: number | null;
}

/**
 * The small-signal verdict of §B12 from the organization exponent s, the leaf exponent β and the
 * per-leaf communication cost c_0 (see treeCommunicationCost). B* is evaluated in log space:
 * ln B* = ln c_0 + (s·ln s − β·ln β)/(s − β) − ln(s − β).
 */
export function budgetedSynergy(p: { s: number; beta: number; c0: number; budget?: number }): SynergyVerdict {
  const beta = checkPositive('beta', p.beta);
  const c0 = checkNonNegative('c0', p.c0);
  const s = p.s;
  if (typeof s !== 'number' || Number.isNaN(s)) throw new InvalidParameterError('s', 'a number (−∞ allowed, as for γ = 0)', s);
  const budget = p.budget === undefined ? undefined : checkPositive('budget', p.budget);
  if (!(s > beta)) {
    return { synergy: false, s, beta, c0, xStar: null, budgetThreshold: Infinity, nStar: null, advantage: null };
  }
  const gap = s - beta;
  const xStar = (beta * c0) / gap;
  const budgetThreshold = c0 === 0 ? 0 : Math.exp(Math.log(c0) + (s * Math.log(s) - beta * Math.log(beta)) / gap - Math.log(gap));
  let nStar: number | null = null;
  let advantage: number | null = null;
  if (budget !== undefined && c0 > 0) {
    nStar = (budget * gap) / (s * c0);
    advantage = Math.exp(beta * Math.log(xStar) + s * Math.log(nStar) - beta * Math.log(budget));
  }
  return { synergy: true, s, beta, c0, xStar, budgetThreshold, nStar, advantage };
}
