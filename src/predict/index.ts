// SPEC §J — prediction from what users measured, and validation of the theory on their tables.
export {
  type MatchedOrganization, type MatchedBudgetProblem, type MatchedPrediction, type SaturationThreshold, type LevelPhase,
  predictMatched, saturationThreshold, organizationFanIns, organizationLabel, matchedLevelMap, matchedAlpha,
} from './matchedBudget.ts';
export {
  type MatchedCell, type VoterFit, type JudgeFit, voterPrediction, fitVoter, judgePrediction, fitJudge, answersFromChance,
} from './matchedModel.ts';
export {
  type ValidationModel, type ValidationOptions, type ValidationResult, type ModelScore, type PairedDifference,
  type OrganizationSummary, type ThresholdFit, type TheoryVariant, BASELINES, validateMatched, fitThreshold,
} from './validate.ts';
export { type SyntheticMatchedSpec, type SyntheticOrganization, syntheticMatchedTable } from './synthetic.ts';
