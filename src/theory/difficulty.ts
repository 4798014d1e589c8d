// SPEC §I2 — task difficulty in the closed-form API: per task the leaf accuracy p_t ~ Beta with mean
// μ and dispersion φ = 1/(a + b + 1); the expected root accuracy is E over p_t of the exact root
// accuracy of §B6 / §I1 (the task-level event of §I1 is drawn per task, so it mixes inside the
// expectation). Quadrature: tanh-sinh on [0, 1/2] and [1/2, 1] separately — T^L is steepest at
// p = 1/2 (u = 0, where deep trees switch sign), and the rule clusters its nodes double-exponentially
// at both ends; a power substitution on each half makes the Beta density bounded. The step is halved
// until two successive sums agree to 1e-13.
import { logGamma } from './reference.ts';
import { checkInteger, InvalidParameterError } from '../errors.ts';
import { type Tree, MAX_DEPTH } from './level.ts';
import { chanceAccuracy, checkDifficulty, checkTaskModel, type Difficulty, type TaskModel } from './model.ts';
import { rootBias, rootSkill } from './scope.ts';

/** Beta shape parameters (a, b) of a Difficulty: a + b = 1/φ − 1, a = μ·(a + b). */
export function betaShape(d: Difficulty): { a: number; b: number } {
  const total = 1 / d.dispersion - 1;
  return { a: d.mean * total, b: (1 - d.mean) * total };
}


/**
 * ∫ f over [lo, hi] ⊂ [0, 1] by tanh-sinh, f receiving x and 1 − x (1 − x formed without
 * cancellation near 1). Halves h from 1/4 until successive sums agree to tol·max(1, |sum|).
 */
function tanhSinh(f: (x: number, oneMinusX: number) => number, lo: number, hi: number, tol = 1e-13): number {
  const half = (hi - lo) / 2;
  const at = (t: number) => {
    const s = (Math.PI / 2) * Math.sinh(t);
    const cosh = Math.cosh(s);
    // x = lo + (hi − lo)·(1 + tanh s)/2; both offsets from the ends are formed directly.
    const fromLo = (hi - lo) / (1 + Math.exp(-2 * s)); // x − lo
    const fromHi = (hi - lo) / (1 + Math.exp(2 * s)); // hi − x
    if (fromLo === 0 || fromHi === 0) return 0;
    const x = s < 0 ? lo + fromLo : hi - fromHi;
    const oneMinusX = s < 0 ? 1 - lo - fromLo : 1 - hi + fromHi;
    return ((half * Math.PI) / 2) * Math.cosh(t) / (cosh * cosh) * f(x, oneMinusX);
  };
  const tMax = 4.5;
  let h = 1 / 4;
  let sum = 0;
  for (let t = -tMax; t <= tMax + 1e-12; t += h) sum += at(t);
  let estimate = sum * h;
  for (let level = 0; level < 12; level++) {
    h /= 2;
    // The new nodes are the odd multiples of the halved step.
    for (let t = -tMax + h; t < tMax; t += 2 * h) sum += at(t);
    const next = sum * h;
    if (Math.abs(next - estimate) <= tol * Math.max(1, Math.abs(next)) && level >= 2) return next;
    estimate = next;
  }
  return estimate;
}

/** E[g(p)] for p ~ Beta(mean, dispersion), g smooth on each half of [0, 1]. φ = 0: g(μ). */
export function expectOverDifficulty(d: Difficulty, g: (p: number) => number): number {
  if (d.dispersion === 0) return g(d.mean);
  if (d.mean <= 0 || d.mean >= 1) {
    throw new InvalidParameterError('difficulty.mean', 'a mean accuracy in (0, 1) when dispersion > 0', d.mean);
  }
  const { a, b } = betaShape(d);
  const norm = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b));
  // Substitutions remove the endpoint singularities (a or b < 1 puts unbounded mass at 0 or 1, which a
  // truncated rule would miss): on [0, ½] x = y^(1/a), so x^(a−1)dx = dy/a; on [½, 1] 1 − x = z^(1/b).
  const lower = tanhSinh((y) => {
    const x = Math.pow(y, 1 / a);
    return Math.pow(1 - x, b - 1) * g(x);
  }, 0, Math.pow(0.5, a)) / a;
  const upper = tanhSinh((z) => {
    const y = Math.pow(z, 1 / b); // 1 − x, exact near x = 1
    return Math.pow(1 - y, a - 1) * g(1 - y);
  }, 0, Math.pow(0.5, b)) / b;
  return norm * (lower + upper);
}

/**
 * §I2 (with §I1): expected root accuracy of a binary majority tree when each task's leaf accuracy is
 * drawn from task.difficulty (p_t ~ Beta(μ, φ)), with sibling ρ on the levels and task.rhoTask drawn
 * per task. Accuracy here is (1 + u)/2: the binary map's chance is 1/2.
 */
export function expectedRootAccuracy(tree: Tree, depth: number, task: TaskModel & { difficulty: Difficulty }): number {
  checkInteger('depth', depth, 0, MAX_DEPTH);
  const t = checkTaskModel(task);
  const d = checkDifficulty('task.difficulty', t.difficulty);
  return expectOverDifficulty(d, (p) => (1 + rootBias(tree, 2 * p - 1, depth, { rhoTask: t.rhoTask })) / 2);
}

/**
 * §I2 for every map (§H answers, §H7 judges, §I1 ρ_task): the expected root skill when each task's
 * leaf accuracy p_t ~ Beta(task.difficulty) — accuracy in the map's own unit, chance 1/K (for K = 2
 * the vote accuracy (1 + u)/2, as in expectedRootAccuracy) — and a task's leaves have skill
 * (p_t − p_c)/(1 − p_c). Skill is linear in accuracy, so E[skill] is the skill of E[accuracy].
 */
export function expectedRootSkill(tree: Tree, depth: number, task: TaskModel & { difficulty: Difficulty }): number {
  checkInteger('depth', depth, 0, MAX_DEPTH);
  const t = checkTaskModel(task);
  const d = checkDifficulty('task.difficulty', t.difficulty);
  const pc = chanceAccuracy(t.answers);
  const { difficulty: _, ...rest } = t;
  // A mean at 0 or 1 leaves no room for spread: every task has that accuracy.
  const spread = d.mean > 0 && d.mean < 1 ? d : { mean: d.mean, dispersion: 0 };
  return expectOverDifficulty(spread, (p) => rootSkill(tree, Math.min(1, Math.max(-pc / (1 - pc), (p - pc) / (1 - pc))), depth, rest));
}
