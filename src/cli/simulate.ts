// `synergy simulate`: one design by Monte Carlo (§D), beside its exact value.
import { InvalidParameterError } from '../errors.ts';
import { expectedRootBias, type ReferenceVariant } from '../theory/reference.ts';
import { simulateScopedTree, simulateTree } from '../simulate/index.ts';
import { rootBias } from '../theory/scope.ts';
import { clippedPredictor, type Level } from '../theory/level.ts';
import { fmt, keyValues } from './format.ts';
import { seriesPlot, type SeriesPoint } from './plot.ts';
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
  const { level, u0, depth, m, rhoTask } = resolveDesign(flags);
  const trials = parseInteger('trials', flags.trials, 1);
  const seed = parseInteger('seed', flags.seed, 0);
  const mode = parseMode(flags.mode);
  const variant = parseVariant(flags.variant);
  if (rhoTask > 0 && (mode !== 'full' || variant.kind !== 'standard')) {
    throw new InvalidParameterError('--rho-task', '0 unless --mode full and --variant standard (§I1 per-trial draw)', flags.rhoTask);
  }
  // §I1: the task-level event is drawn once per trial (simulateScopedTree), beside the exact mixture.
  const exact = rhoTask > 0 ? rootBias(level, u0, depth, { rhoTask }) : expectedRootBias({ tree: level, u0, depth, variant });
  const sim = rhoTask > 0
    ? simulateScopedTree({ tree: level, u0, depth, mode, trials, seed, cell: depth, rhoTask })
    : simulateTree({ tree: level, u0, depth, mode, variant, trials, seed, cell: depth });
  const stdError = sim.stdError; // in levels mode it includes population resampling (levelsStdError)
  return {
    b: level.b, gamma: level.gamma, rho: level.rho, rhoTask, m, u0, depth, mode, variant, seed,
    trials: sim.trials, correct: sim.correct, accuracy: sim.accuracy, bias: sim.bias, stdError,
    exact, differenceInStdErrors: stdError > 0 ? (sim.bias - exact) / stdError : null,
  };
}

/**
 * The trajectory figure of one design: exact u_L and the clipped predictor û_L for L = 0 … depth,
 * and — when simulated — one independent simulation per depth (cell = L, §D4) with ±2σ bars.
 */
export async function trajectoryFigure(p: {
  level: Level; u0: number; depth: number; variant?: ReferenceVariant;
  simulation?: { trials: number; seed: number; mode: 'full' | 'levels' };
}): Promise<string> {
  const { level, u0, depth, variant, simulation } = p;
  const points: SeriesPoint[] = [];
  for (let L = 0; L <= depth; L++) {
    points.push({ x: L, y: expectedRootBias({ tree: level, u0, depth: L, variant }), series: 'exact u_L' });
    if (!variant || variant.kind === 'standard') points.push({ x: L, y: clippedPredictor(level, u0, L), series: 'clipped û_L' });
    if (simulation && L > 0) {
      const r = simulateTree({ tree: level, u0, depth: L, variant, ...simulation, cell: L });
      points.push({ x: L, y: r.bias, err: r.stdError, series: 'simulated u_L (±2σ)' });
    }
  }
  return seriesPlot({
    title: `b = ${level.b}, γ = ${fmt(level.gamma)}, ρ = ${level.rho}, u0 = ${u0}${variant && variant.kind !== 'standard' ? `, ${variant.kind}` : ''}`,
    points, xTitle: 'depth L', yTitle: 'root bias u_L', integerX: true,
  });
}

export function formatSimulation(r: ReturnType<typeof simulate>): string {
  return keyValues([
    ['design', `b = ${r.b}, γ = ${fmt(r.gamma)}, ρ = ${r.rho}${r.rhoTask > 0 ? `, ρ_task = ${r.rhoTask}` : ''}, u0 = ${r.u0}, depth ${r.depth}, ${r.variant.kind}`],
    ['simulation', `${r.trials} trials, mode ${r.mode}, seed ${r.seed}: ${r.correct} right`],
    [`u_${r.depth} simulated`, `${fmt(r.bias, 6)} ± ${fmt(r.stdError, 6)}  (accuracy ${fmt(r.accuracy, 6)})`],
    [`u_${r.depth} exact`, fmt(r.exact, 6)],
    ['difference', r.differenceInStdErrors === null ? '— (zero standard error)' : `${fmt(r.differenceInStdErrors, 2)} standard errors`],
  ]);
}
