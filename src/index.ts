// budgeted-synergy: the public API. Section numbers (§B7 …) refer to docs/model.md (the model).
export { InvalidParameterError, MAX_FAN_IN } from './errors.ts';
export { biasFromAccuracy, accuracyFromBias, qualityBias, type Quality } from './theory/bias.ts';
export { majorityBias, majoritySlope, majorityDerivative } from './theory/majority.ts';
export {
  type Level, type Tree, type Regime, type FixedPointResult,
  levelMap, alpha, regime, criticalRho, criticalGamma, bistableGamma, organizationExponent,
  fixedPoint, fixedPointDetail, fixedPoints, phaseStructure, threshold, trajectory, mixingDepth, clippedPredictor, checkLevel,
  FIXED_POINT_RESOLUTION, DEFAULT_MIXING_EPSILON, DEFAULT_MAX_MIXING_DEPTH, MAX_DEPTH,
} from './theory/level.ts';
export {
  type PluralityLevel, type DominantState, MAX_PLURALITY_FAN_IN,
  pluralityWeights, pluralityAccuracy, pluralityAccuracyDerivative, aggregateAccuracy, pluralitySkill,
  pluralitySkillDerivative, pluralitySlope, pluralityLevelMap, pluralityLevelDerivative,
  dominantPlurality, dominantLevelMap, dominantStateFromSkill,
} from './theory/plurality.ts';
export { CHANCE_PROBE, type FixedPointInfo, type FixedPointStability, type PhaseStructure, type PluralityRegime, reachedFixedPoint, TANGENCY_TOLERANCE } from './theory/pluralityPhases.ts';
export { type LeafLaw, type LeafLawSpec, powerLaw, leafBias, checkLeafLaw } from './theory/leafLaw.ts';
export { type FidelityCurve, fidelity, checkFidelityCurve, formatFidelityCurve } from './theory/fidelity.ts';
export {
  type BudgetBreakdown, type BudgetCount,
  treeCommunicationCost, starCommunicationCost, treeBudget, starBudget, chainBudget,
  leafComputeForBudget, fitsWindow, maxMessagesInWindow,
} from './theory/budget.ts';
export { type SynergyVerdict, budgetedSynergy } from './theory/synergy.ts';
export {
  type NoiseCurve, type ContinuousRisk,
  messageNoise, checkNoiseCurve, leafVariance, starRisk, treeRisk, treeRiskFloor, chainRisk, effectiveRho,
} from './theory/continuous.ts';
export { type PhaseGridSpec, type PhaseGridResult, PhaseGridKernel, phaseGrid, REGIME_CODES } from './phaseGrid.ts';
export { type ScopeStarts, scopeMixture, rootBias, rootSkill } from './theory/scope.ts';
export { betaShape, expectOverDifficulty, expectedRootAccuracy, expectedRootSkill } from './theory/difficulty.ts';
export { type Flavour, simdSupported, instantiateKernel } from './wasm/kernel.ts';
export * from './sweep/index.ts';
export * from './simulate/index.ts';
export {
  type DesignRow, type DesignRegime, type Organization, type BinaryDesignProblem, type BinaryDesignResult,
  type ContinuousDesignProblem, type FamilyVerdict, DEFAULT_MAX_FAN_IN, designBinary, designContinuous,
} from './theory/design.ts';
export { type ReferenceVariant, expectedRootBias, levelsStdError, levelsLinearisation } from './theory/reference.ts';
export * from './calibrate/index.ts';
export {
  type Answers, type Distractors, type Aggregator, type Difficulty, type TaskModel, MAX_ANSWERS,
  checkAnswers, checkDistractors, checkAggregator, checkDifficulty, checkTaskModel,
  chanceAccuracy, skillFromAccuracy, accuracyFromSkill,
} from './theory/model.ts';
export * from './predict/index.ts';
