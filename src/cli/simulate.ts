// `synergy simulate`: one design by Monte Carlo (§D), beside its exact value.
import { InvalidParameterError } from '../errors.ts';
import { expectedRootBias, type ReferenceVariant } from '../reference.ts';
import { simulateTree } from '../simulate/index.ts';
import { fmt, keyValues } from './format.ts';
import { type DesignFlags, resolveDesign } from './designFlags.ts';
import { parseInteger, parseNumber } from './options.ts';

export interface SimulateFlags extends DesignFlags {
  trials: string;
  mode: string;
  seed: string;
  variant: string;
}

/** `--variant standard | channelAfterCopy | heterogeneous:a,b` (§D2). */
export function parseVariant(text: string): ReferenceVariant {
  if (text === 'standard' || text === 'channelAfterCopy') return { kind: text };
  const match = /^heterogeneous:([^,]+),([^,]+)$/.exec(text);
  if (match) return { kind: 'heterogeneous', a: parseNumber('variant', match[1]), b: parseNumber('variant', match[2]) };
  throw new InvalidParameterError('--variant', 'standard, channelAfterCopy or heterogeneous:a,b', text);
}

export function parseMode(text: string): 'full' | 'levels' {
  if (text === 'full' || text === 'levels') return text;
  throw new InvalidParameterError('--mode', 'full or levels', text);
}

export function simulate(flags: SimulateFlags) {
  const { level, u0, depth, m } = resolveDesign(flags);
  const trials = parseInteger('trials', flags.trials, 1);
  const seed = parseInteger('seed', flags.seed, 0);
  const mode = parseMode(flags.mode);
  const variant = parseVariant(flags.variant);
  const exact = expectedRootBias({ tree: level, u0, depth, variant });
  const sim = simulateTree({ tree: level, u0, depth, mode, variant, trials, seed });
  const stdError = sim.stdError; // in levels mode it includes population resampling (levelsStdError)
  return {
    b: level.b, gamma: level.gamma, rho: level.rho, m, u0, depth, mode, variant, seed,
    trials: sim.trials, correct: sim.correct, accuracy: sim.accuracy, bias: sim.bias, stdError,
    exact, differenceInStdErrors: stdError > 0 ? (sim.bias - exact) / stdError : null,
  };
}

export function formatSimulation(r: ReturnType<typeof simulate>): string {
  return keyValues([
    ['design', `b = ${r.b}, γ = ${fmt(r.gamma)}, ρ = ${r.rho}, u0 = ${r.u0}, depth ${r.depth}, ${r.variant.kind}`],
    ['simulation', `${r.trials} trials, mode ${r.mode}, seed ${r.seed}: ${r.correct} right`],
    [`u_${r.depth} simulated`, `${fmt(r.bias, 6)} ± ${fmt(r.stdError, 6)}  (accuracy ${fmt(r.accuracy, 6)})`],
    [`u_${r.depth} exact`, fmt(r.exact, 6)],
    ['difference', r.differenceInStdErrors === null ? '— (zero standard error)' : `${fmt(r.differenceInStdErrors, 2)} standard errors`],
  ]);
}
