// `synergy analyze`: what the theory says about one design (§B6–§B9).
import {
  alpha, clippedPredictor, criticalGamma, criticalRho, fixedPointDetail, mixingDepth, organizationExponent, trajectory,
} from '../theory/level.ts';
import { rootBias } from '../theory/scope.ts';
import { fmt, keyValues } from './format.ts';
import { type DesignFlags, resolveDesign } from './designFlags.ts';

export interface Analysis {
  b: number; gamma: number; rho: number; rhoTask: number; m: number | null; u0: number; p0: number; depth: number;
  alpha: number; regime: string; s: number; uStar: number; uStarResolved: boolean;
  uL: number; accuracyL: number; clipped: number;
  /** §B9: 'falling' when u0 > u* (the clipped predictor is then a lower bound), else 'growing'. */
  trend: 'growing' | 'falling'; clippedBound: 'upper' | 'lower';
  mixingDepth: number | null; mixingDepthSmallSignal: number | null;
  criticalRho: number; criticalGamma: number;
}

export function analyze(flags: DesignFlags): Analysis {
  const { level, u0, depth, m, rhoTask } = resolveDesign(flags);
  const fp = fixedPointDetail(level);
  const mix = mixingDepth(level, u0);
  const uL = rhoTask > 0 ? rootBias(level, u0, depth, { rhoTask }) : trajectory(level, u0, depth)[depth];
  const falling = fp.regime === 'amplifying' && u0 > fp.value;
  return {
    b: level.b, gamma: level.gamma, rho: level.rho, rhoTask, m, u0, p0: (1 + u0) / 2, depth,
    alpha: alpha(level), regime: fp.regime, s: organizationExponent(level), uStar: fp.value, uStarResolved: fp.resolved,
    uL, accuracyL: (1 + uL) / 2, clipped: clippedPredictor(level, u0, depth),
    trend: falling ? 'falling' : 'growing', clippedBound: falling ? 'lower' : 'upper',
    mixingDepth: mix.exact, mixingDepthSmallSignal: mix.smallSignal,
    criticalRho: criticalRho(level.b, level.gamma), criticalGamma: criticalGamma(level.b, level.rho),
  };
}

export function formatAnalysis(a: Analysis): string {
  return keyValues([
    ['design', `b = ${a.b}, γ = ${fmt(a.gamma)}${a.m !== null ? ` (m = ${a.m})` : ''}, ρ = ${a.rho}${a.rhoTask > 0 ? `, ρ_task = ${a.rhoTask}` : ''}, u0 = ${a.u0} (p0 = ${fmt(a.p0)}), depth ${a.depth}`],
    ['α_ρ', `${fmt(a.alpha, 6)}  (${a.regime})`],
    ['s (§B8)', fmt(a.s, 6)],
    ['u* (§B7)', `${fmt(a.uStar, 6)}${a.uStarResolved ? '' : '  (below solver resolution 1e-12)'}`],
    [`u_${a.depth} (exact${a.rhoTask > 0 ? ', §I1 mixture' : ''})`, `${fmt(a.uL, 6)}  (accuracy ${fmt(a.accuracyL, 6)})`],
    [`û_${a.depth} (clipped, §B9)`, `${fmt(a.clipped, 6)}  (${a.trend}: ${a.clippedBound} bound${a.rhoTask > 0 ? ' of the ρ_task = 0 trajectory' : ''})`],
    ['mixing depth (ε = 0.05)', a.mixingDepth === null ? 'none' : `${a.mixingDepth} levels (small-signal estimate ${fmt(a.mixingDepthSmallSignal, 2)})`],
    ['critical ρ at this γ', `${fmt(a.criticalRho)}  (amplifies iff ρ < ρ_c)`],
    ['critical γ at this ρ', `${fmt(a.criticalGamma)}  (amplifies iff γ > γ_c)`],
  ]);
}
