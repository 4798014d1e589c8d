// The WebAssembly module: analytic kernels (§B) and, alongside, the Monte Carlo core (§D).
// Every export takes and returns plain numbers or addresses inside the scratch arena.
export { reserve } from './arena';
export { majoritySlope, majorityBias, majorityDerivative, majorityDeficit } from './majority';
export {
  alpha, organizationExponent, levelMap, fixedPoint, lastIterations, trajectory, mixingDepth, mixingDepthSmallSignal,
  clippedPredictor,
} from './levelMap';
export { phaseGrid, pluralityGrid } from './phaseGrid';

/** True in the build compiled with --enable simd (lets the host confirm which flavour it loaded). */
export function simdBuild(): bool {
  return ASC_FEATURE_SIMD;
}
export * from './montecarlo/index';
