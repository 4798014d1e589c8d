// SPEC §H1, §H7, §I1, §I2 — the one description of a task and of an aggregation rule that every
// layer (maps, simulators, sweeps, design, CLI, explorer) reads. With every field at its default the
// model is the paper's binary majority tree of §B.
import { checkNumber, checkUnit, InvalidParameterError } from '../errors.ts';

/** Number of possible answers K ≥ 2, or 'open' (K = ∞: two wrong answers never coincide), §H1. */
export type Answers = number | 'open';

/**
 * How a wrong vote picks a wrong answer (§H1): uniformly ('symmetric', the default); one dominant
 * distractor holding a share δ of the wrong mass, the rest uniform; or a probability vector over the
 * K − 1 wrong answers (Monte Carlo only).
 */
export type Distractors = 'symmetric' | { dominant: number } | readonly number[];

/** Aggregation rule (§H3, §H7): plurality vote, or a judge with verification skill v ∈ [0, 1]. */
export type Aggregator = 'plurality' | { judge: number };

/** Per-task leaf accuracy ~ Beta with mean μ and dispersion φ = 1/(a + b + 1), §I2. */
export interface Difficulty {
  mean: number;
  dispersion: number;
}

/**
 * Task-wide parameters (§H1, §I1, §I2). Per-level parameters (b, γ, ρ, aggregator) live on a Level;
 * these hold for the whole organization.
 */
export interface TaskModel {
  /** K (default 2). */
  answers?: Answers;
  /** Default 'symmetric'. */
  distractors?: Distractors;
  /** Organization-wide shared failure ρ_task ∈ [0, 1] (default 0), §I1. */
  rhoTask?: number;
  /** Task difficulty (default: none, every task has the same leaf accuracy), §I2. */
  difficulty?: Difficulty;
}

/** Largest finite K accepted. */
export const MAX_ANSWERS = 1_000_000;

export function checkAnswers(name: string, k: unknown): Answers {
  if (k === 'open') return k;
  if (typeof k !== 'number' || !Number.isInteger(k) || k < 2 || k > MAX_ANSWERS) {
    throw new InvalidParameterError(name, `an integer in [2, ${MAX_ANSWERS}] or 'open'`, k);
  }
  return k;
}

export function checkDistractors(name: string, d: unknown, answers: Answers = 2): Distractors {
  if (d === 'symmetric') return d;
  if (Array.isArray(d)) {
    if (answers === 'open') {
      throw new InvalidParameterError(name, "'symmetric' or { dominant: δ } for open answers", d);
    }
    const entries = d as unknown[];
    const sum = entries.reduce<number>((a, x) => a + (typeof x === 'number' ? x : NaN), 0);
    if (entries.length !== answers - 1 || entries.some((x) => typeof x !== 'number' || !(x >= 0)) || !(Math.abs(sum - 1) <= 1e-9)) {
      throw new InvalidParameterError(name, `${answers - 1} probabilities ≥ 0 summing to 1 (one per wrong answer)`, d);
    }
    return d as readonly number[];
  }
  if (typeof d === 'object' && d !== null && 'dominant' in d) {
    checkUnit(`${name}.dominant`, (d as { dominant: unknown }).dominant);
    return d as { dominant: number };
  }
  throw new InvalidParameterError(name, "'symmetric', { dominant: δ } with δ ∈ [0, 1], or a probability vector", d);
}

export function checkAggregator(name: string, a: unknown): Aggregator {
  if (a === 'plurality') return a;
  if (typeof a === 'object' && a !== null && 'judge' in a) {
    checkUnit(`${name}.judge`, (a as { judge: unknown }).judge);
    return a as { judge: number };
  }
  throw new InvalidParameterError(name, "'plurality' or { judge: v } with v ∈ [0, 1]", a);
}

export function checkDifficulty(name: string, d: unknown): Difficulty {
  if (typeof d !== 'object' || d === null) {
    throw new InvalidParameterError(name, 'an object { mean, dispersion }', d);
  }
  const { mean, dispersion } = d as Difficulty;
  checkNumber(`${name}.mean`, mean, 0, 1, 'a mean accuracy in [0, 1]');
  checkNumber(`${name}.dispersion`, dispersion, 0, 1, 'a dispersion φ = 1/(a + b + 1) in [0, 1)');
  if (dispersion === 1) throw new InvalidParameterError(`${name}.dispersion`, 'a dispersion φ in [0, 1)', dispersion);
  return d as Difficulty;
}

/** Validates a TaskModel and fills its defaults. */
export function checkTaskModel(task: unknown = {}, name = 'task'): Required<Omit<TaskModel, 'difficulty'>> & Pick<TaskModel, 'difficulty'> {
  if (typeof task !== 'object' || task === null) {
    throw new InvalidParameterError(name, 'an object { answers?, distractors?, rhoTask?, difficulty? }', task);
  }
  const known = new Set(['answers', 'distractors', 'rhoTask', 'difficulty']);
  for (const key of Object.keys(task)) {
    if (!known.has(key)) throw new InvalidParameterError(`${name}.${key}`, `one of ${[...known].join(', ')}`, key);
  }
  const t = task as TaskModel;
  const answers = checkAnswers(`${name}.answers`, t.answers ?? 2);
  return {
    answers,
    distractors: checkDistractors(`${name}.distractors`, t.distractors ?? 'symmetric', answers),
    rhoTask: checkUnit(`${name}.rhoTask`, t.rhoTask ?? 0),
    ...(t.difficulty === undefined ? {} : { difficulty: checkDifficulty(`${name}.difficulty`, t.difficulty) }),
  };
}

/** Chance accuracy p_c = 1/K (0 for open answers), §H1. */
export function chanceAccuracy(answers: Answers): number {
  const k = checkAnswers('answers', answers);
  return k === 'open' ? 0 : 1 / k;
}

/** Skill above chance s = (p − p_c)/(1 − p_c), §H1 (the bias u of §B1 when K = 2). */
export function skillFromAccuracy(p: number, answers: Answers = 2): number {
  const pc = chanceAccuracy(answers);
  return (checkUnit('accuracy', p) - pc) / (1 - pc);
}

/** Accuracy p = p_c + (1 − p_c)·s, §H1. */
export function accuracyFromSkill(s: number, answers: Answers = 2): number {
  const pc = chanceAccuracy(answers);
  checkNumber('skill', s, -pc / (1 - pc), 1, `a skill in [${-pc / (1 - pc)}, 1]`);
  return pc + (1 - pc) * s;
}
