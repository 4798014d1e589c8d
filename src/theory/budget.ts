// SPEC §B10–§B11 — token accounting and context windows. Every message of m tokens is paid twice
// (written and read). Functions return the exact count and, where the SPEC defines one, the c_0
// approximation, under names that say which is which.
import { checkInteger, checkNonNegative, checkPositive, InvalidParameterError, MAX_FAN_IN } from '../errors.ts';

/**
 * Fan-in of a tree for budgeting: any integer b ≥ 2 (majority trees need odd b, §B4; the averaging
 * trees of §C do not; the §B10 count is the same).
 */
function checkTreeFanIn(b: unknown): number {
  return checkInteger('b', b, 2, MAX_FAN_IN);
}

/** Per-leaf communication cost c_0 = 2m·b/(b − 1) of a b-ary tree (§B10). */
export function treeCommunicationCost(b: number, m: number): number {
  checkTreeFanIn(b);
  return (2 * checkNonNegative('m', m) * b) / (b - 1);
}

/** Per-leaf communication cost of a star: c_0 = 2m (§B10). */
export function starCommunicationCost(m: number): number {
  return 2 * checkNonNegative('m', m);
}

export interface BudgetBreakdown {
  /** Number of leaf agents N. */
  leaves: number;
  /** Number of messages E. */
  messages: number;
  /** Exact total N·x + 2m·E. */
  exact: number;
  /** c_0 approximation N·(x + c_0). */
  approximate: number;
  /** The per-leaf communication cost c_0 used by `approximate`. */
  c0: number;
}

/** A b-ary tree of depth L ≥ 1: N = b^L, E = b(b^L − 1)/(b − 1) (§B10). */
export function treeBudget(p: { b: number; depth: number; compute: number; m: number }): BudgetBreakdown {
  const b = checkTreeFanIn(p.b);
  const depth = checkInteger('depth', p.depth, 1, 1024);
  const x = checkNonNegative('compute', p.compute);
  const m = checkNonNegative('m', p.m);
  const leaves = b ** depth;
  const messages = (b * (leaves - 1)) / (b - 1);
  const c0 = treeCommunicationCost(b, m);
  return { leaves, messages, exact: leaves * x + 2 * m * messages, approximate: leaves * (x + c0), c0 };
}

/** A star over N leaves: N messages, exact = approximate = N·(x + 2m) (§B10). */
export function starBudget(p: { leaves: number; compute: number; m: number }): BudgetBreakdown {
  const n = checkInteger('leaves', p.leaves, 1, Number.MAX_SAFE_INTEGER);
  const x = checkNonNegative('compute', p.compute);
  const m = checkNonNegative('m', p.m);
  const total = n * (x + 2 * m);
  return { leaves: n, messages: n, exact: total, approximate: total, c0: 2 * m };
}

/** A chain of N agents (§C3): N − 1 messages, N·x + 2m·(N − 1). Approximate uses c_0 = 2m. */
export function chainBudget(p: { leaves: number; compute: number; m: number }): BudgetBreakdown {
  const n = checkInteger('leaves', p.leaves, 1, Number.MAX_SAFE_INTEGER);
  const x = checkNonNegative('compute', p.compute);
  const m = checkNonNegative('m', p.m);
  return { leaves: n, messages: n - 1, exact: n * x + 2 * m * (n - 1), approximate: n * (x + 2 * m), c0: 2 * m };
}

export type BudgetCount = 'exact' | 'approximate';

/**
 * Per-leaf compute x that a budget B leaves once messages are paid: exact (B − 2m·E)/N or, with
 * count = 'approximate', B/N − c_0. Negative when the messages alone exceed the budget.
 */
export function leafComputeForBudget(breakdownAtZeroCompute: BudgetBreakdown, budget: number, count: BudgetCount = 'exact'): number {
  checkPositive('budget', budget);
  const { leaves, exact, c0 } = breakdownAtZeroCompute;
  if (count === 'exact') return (budget - exact) / leaves;
  if (count === 'approximate') return budget / leaves - c0;
  throw new InvalidParameterError('count', "'exact' or 'approximate'", count);
}

/** §B11: does an aggregator reading b messages of m tokens fit in window W with overhead W_0? */
export function fitsWindow(p: { b: number; m: number; window: number; overhead?: number }): boolean {
  const overhead = checkNonNegative('overhead', p.overhead ?? 0);
  return p.b * checkNonNegative('m', p.m) + overhead <= checkPositive('window', p.window);
}

/** §B11: the most messages one aggregator can read, ⌊(W − W_0)/m⌋ (a star's N limit). */
export function maxMessagesInWindow(p: { m: number; window: number; overhead?: number }): number {
  const overhead = checkNonNegative('overhead', p.overhead ?? 0);
  const window = checkPositive('window', p.window);
  const m = checkPositive('m', p.m);
  return Math.max(0, Math.floor((window - overhead) / m));
}
