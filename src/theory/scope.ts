// SPEC §I1 — correlation scope. The sibling ρ of §B4 acts among one aggregator's inputs; ρ_task acts
// across the whole organization: per task, with probability ρ_task every leaf casts one shared vote
// (one draw per task). The root is then a mixture of three starting states run through the same
// maps: the shared vote is right (all-right start), the shared vote is wrong (all-wrong start), or
// the leaves vote independently (the ordinary start). Any map (binary §B6, plurality §H4) plugs in by
// supplying the root accuracy from each of the three starts.
import { checkBias, checkInteger } from '../errors.ts';
import { type Tree, trajectory, MAX_DEPTH } from './level.ts';
import { checkTaskModel, type TaskModel } from './model.ts';

/** Root accuracies from the three starting states of §I1, for any aggregation map. */
export interface ScopeStarts {
  /** Leaf accuracy p (probability the shared vote is right). */
  leafAccuracy: number;
  /** Root accuracy when every leaf casts the right answer. */
  allRight: number;
  /** Root accuracy when every leaf casts the same wrong answer (plurality: the dominant-distractor state). */
  allWrong: number;
  /** Root accuracy when leaves vote independently of the task-level event (ρ_task = 0). */
  independent: number;
}

/**
 * §I1 exact mixture: P(root right) = ρ_task·[p·A_right + (1 − p)·A_wrong] + (1 − ρ_task)·A_indep.
 */
export function scopeMixture(rhoTask: number, s: ScopeStarts): number {
  return rhoTask * (s.leafAccuracy * s.allRight + (1 - s.leafAccuracy) * s.allWrong) + (1 - rhoTask) * s.independent;
}

/**
 * §I1 binary exact root bias u_L = ρ_task·T^L(1)·u_0 + (1 − ρ_task)·T^L(u_0) (T of §B6 with its
 * sibling ρ; per-level parameters when tree is an array). It is scopeMixture in bias units: T is odd,
 * so the all-wrong start has root bias −T^L(1), and bias = 2·accuracy − 1.
 */
export function rootBias(tree: Tree, u0: number, depth: number, task: TaskModel = {}): number {
  checkBias('u0', u0);
  checkInteger('depth', depth, 0, MAX_DEPTH);
  const { rhoTask } = checkTaskModel(task);
  const independent = trajectory(tree, u0, depth)[depth];
  if (rhoTask === 0) return independent;
  const fromAllRight = trajectory(tree, 1, depth)[depth];
  const accuracy = scopeMixture(rhoTask, {
    leafAccuracy: (1 + u0) / 2,
    allRight: (1 + fromAllRight) / 2,
    allWrong: (1 - fromAllRight) / 2,
    independent: (1 + independent) / 2,
  });
  return 2 * accuracy - 1;
}
