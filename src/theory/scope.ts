// SPEC §I1 — correlation scope. The sibling ρ of §B4 acts among one aggregator's inputs; ρ_task acts
// across the whole organization: per task, with probability ρ_task every leaf casts one shared vote
// (one draw per task). The root is then a mixture of three starting states run through the same
// maps: the shared vote is right (all-right start), the shared vote is wrong (all-wrong start), or
// the leaves vote independently (the ordinary start). Any map (binary §B6, plurality §H4, judge §H7)
// plugs in by supplying the root accuracy from each of the three starts (rootSkill does it for all).
import { checkBias, checkInteger, InvalidParameterError } from '../errors.ts';
import { type Level, type Tree, trajectory, treeLevels, MAX_DEPTH } from './level.ts';
import { type Answers, chanceAccuracy, checkTaskModel, type TaskModel } from './model.ts';
import { checkSkill, type DominantState, dominantLevelMap, dominantStateFromSkill } from './plurality.ts';

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

/** Runs a dominant-distractor state (§H4) up `depth` levels (levels cycle when fewer than depth are given). */
function dominantRoot(levels: readonly Level[], state: DominantState, depth: number, answers: Answers): DominantState {
  let x = state;
  for (let l = 0; l < depth; l++) x = dominantLevelMap(levels[l % levels.length], answers, x);
  return x;
}

/**
 * §I1 for every map: the root skill s_L (the bias u_L when K = 2) of a tree over leaves of skill s_0,
 * with K answers (task.answers), symmetric or one dominant distractor (task.distractors), each level's
 * aggregation rule (plurality or judge, §H7) and the task-level ρ_task. The plurality mixture is the
 * binary one (scopeMixture): the all-right start is skill 1, the all-wrong start is the
 * dominant-distractor state (0, 1) of §H4 (every leaf casts the same wrong answer) run through
 * dominantLevelMap. K = 2 with plurality everywhere is exactly rootBias.
 */
export function rootSkill(tree: Tree, s0: number, depth: number, task: TaskModel = {}): number {
  checkInteger('depth', depth, 0, MAX_DEPTH);
  const t = checkTaskModel(task);
  const levels = treeLevels(tree, depth);
  const judged = levels.some((l) => l.aggregator !== undefined && l.aggregator !== 'plurality');
  if (t.answers === 2 && !judged) return rootBias(tree, s0, depth, { rhoTask: t.rhoTask });
  const k = t.answers;
  checkSkill('s0', s0, k);
  const pc = chanceAccuracy(k);
  const toSkill = (p: number) => (p - pc) / (1 - pc);
  if (Array.isArray(t.distractors)) {
    throw new InvalidParameterError('task.distractors', "'symmetric' or { dominant: δ } (a probability vector is Monte Carlo only)", t.distractors);
  }
  const symmetric = { answers: k };
  // The ordinary start: the one-number map for symmetric distractors, the (p, d) map for a dominant one.
  const independent = t.distractors === 'symmetric' || k === 2
    ? trajectory(tree, s0, depth, symmetric)[depth]
    : toSkill(dominantRoot(levels, dominantStateFromSkill(s0, k, (t.distractors as { dominant: number }).dominant), depth, k).p);
  if (t.rhoTask === 0) return independent;
  // All right: after any channel the wrong mass is uniform, so the symmetric map is exact.
  const allRight = pc + (1 - pc) * trajectory(tree, 1, depth, symmetric)[depth];
  const allWrong = dominantRoot(levels, { p: 0, d: 1 }, depth, k).p;
  const accuracy = scopeMixture(t.rhoTask, {
    leafAccuracy: pc + (1 - pc) * s0, allRight, allWrong, independent: pc + (1 - pc) * independent,
  });
  return toSkill(accuracy);
}
