// Messages between the page and its two workers. Every request carries an id; replies echo it so the
// page drops anything computed for an input that has since changed.
import type { DesignResult, MonteCarloPoint, TheoryResult } from './compute.ts';
import type { ExplorerState } from './state.ts';

export interface WorkerRequest {
  id: number;
  state: ExplorerState;
}

export type TheoryReply =
  | {
    id: number; type: 'theory'; theory: TheoryResult | null; theoryError: string | null; design: DesignResult | null; designError: string | null; milliseconds: number;
    /** True on the first of the two replies to a request (theory only; the design search, seconds for K answers, follows). */
    partial: boolean;
  };

export type MonteCarloReply =
  | { id: number; type: 'plan'; depths: number[]; skipped: number }
  | { id: number; type: 'point'; point: MonteCarloPoint }
  | { id: number; type: 'done' }
  | { id: number; type: 'error'; message: string };

/** A message for the page: an InvalidParameterError's text names the parameter and the allowed range. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
