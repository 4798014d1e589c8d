// budgeted-synergy: the public API. Section numbers refer to SPEC.md (the project's contract).
export { InvalidParameterError, MAX_FAN_IN } from './errors.ts';
export { biasFromAccuracy, accuracyFromBias, qualityBias, type Quality } from './bias.ts';
export { majorityBias, majoritySlope, majorityDerivative } from './majority.ts';
export {
  type Level, type Tree, type Regime, type FixedPointResult,
  levelMap, alpha, regime, criticalRho, criticalGamma, organizationExponent,
  fixedPoint, fixedPointDetail, trajectory, mixingDepth, clippedPredictor, checkLevel,
  FIXED_POINT_RESOLUTION, DEFAULT_MIXING_EPSILON, DEFAULT_MAX_MIXING_DEPTH, MAX_DEPTH,
} from './level.ts';
export { type LeafLaw, type LeafLawSpec, powerLaw, leafBias, checkLeafLaw } from './leafLaw.ts';
export { type FidelityCurve, fidelity, checkFidelityCurve, formatFidelityCurve } from './fidelity.ts';
export {
  type BudgetBreakdown, type BudgetCount,
  treeCommunicationCost, starCommunicationCost, treeBudget, starBudget, chainBudget,
  leafComputeForBudget, fitsWindow, maxMessagesInWindow,
} from './budget.ts';
export { type SynergyVerdict, budgetedSynergy } from './synergy.ts';
export {
  type NoiseCurve, type ContinuousRisk,
  messageNoise, checkNoiseCurve, leafVariance, starRisk, treeRisk, treeRiskFloor, chainRisk,
} from './continuous.ts';
export { type PhaseGridSpec, type PhaseGridResult, PhaseGridKernel, phaseGrid } from './phaseGrid.ts';
export { type Flavour, simdSupported, instantiateKernel } from './wasm/kernel.ts';
export * from './sweep/index.ts';
export * from './simulate/index.ts';
export {
  type DesignRow, type DesignRegime, type Organization, type BinaryDesignProblem, type BinaryDesignResult,
  type ContinuousDesignProblem, type FamilyVerdict, designBinary, designContinuous,
} from './design.ts';
export { type ReferenceVariant, expectedRootBias, levelsStdError } from './reference.ts';
export * from './calibrate/index.ts';
