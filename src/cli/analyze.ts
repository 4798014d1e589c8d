// `synergy analyze`: what the theory says about one design (§B6–§B9).
import {
  alpha, clippedPredictor, criticalGamma, criticalRho, fixedPointDetail, mixingDepth, organizationExponent, trajectory,
} from '../theory/level.ts';
import { fmt, keyValues } from './format.ts';
import { type DesignFlags, resolveDesign } from './designFlags.ts';

export interface Analysis {
  b: number; gamma: number; rho: number; m: number | null; u0: number; p0: number; depth: number;
  alpha: number; regime: string; s: number; uStar: number; uStarResolved: boolean;
  uL: number; accuracyL: number; clipped: number;
  mixingDepth: number | null; mixingDepthSmallSignal: number | null;
  criticalRho: number; criticalGamma: number;
}

export function analyze(flags: DesignFlags): Analysis {
  const { level, u0, depth, m } = resolveDesign(flags);
  const fp = fixedPointDetail(level);
  const mix = mixingDepth(level, u0);
  const uL = trajectory(level, u0, depth)[depth];
  return {
    b: level.b, gamma: level.gamma, rho: level.rho, m, u0, p0: (1 + u0) / 2, depth,
    alpha: alpha(level), regime: fp.regime, s: organizationExponent(level), uStar: fp.value, uStarResolved: fp.resolved,
    uL, accuracyL: (1 + uL) / 2, clipped: clippedPredictor(level, u0, depth),
    mixingDepth: mix.exact, mixingDepthSmallSignal: mix.smallSignal,
    criticalRho: criticalRho(level.b, level.gamma), criticalGamma: criticalGamma(level.b, level.rho),
  };
}

export function formatAnalysis(a: Analysis): string {
  return keyValues([
    ['design', `b = ${a.b}, γ = ${fmt(a.gamma)}${a.m !== null ? ` (m = ${a.m})` : ''}, ρ = ${a.rho}, u0 = ${a.u0} (p0 = ${fmt(a.p0)}), depth ${a.depth}`],
    ['α_ρ', `${fmt(a.alpha, 6)}  (${a.regime})`],
    ['s (§B8)', fmt(a.s, 6)],
    ['u* (§B7)', `${fmt(a.uStar, 6)}${a.uStarResolved ? '' : '  (below solver resolution 1e-12)'}`],
    [`u_${a.depth} (exact)`, `${fmt(a.uL, 6)}  (accuracy ${fmt(a.accuracyL, 6)})`],
    [`û_${a.depth} (clipped, §B9)`, fmt(a.clipped, 6)],
    ['mixing depth (ε = 0.05)', a.mixingDepth === null ? 'none' : `${a.mixingDepth} levels (small-signal estimate ${fmt(a.mixingDepthSmallSignal, 2)})`],
    ['critical ρ at this γ', `${fmt(a.criticalRho)}  (amplifies iff ρ < ρ_c)`],
    ['critical γ at this ρ', `${fmt(a.criticalGamma)}  (amplifies iff γ > γ_c)`],
  ]);
}
