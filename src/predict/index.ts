// SPEC §J — prediction from what users measured, and validation of the theory on their tables.
export {
  type MatchedOrganization, type MatchedBudgetProblem, type MatchedPrediction, type SaturationThreshold,
  predictMatched, saturationThreshold, organizationFanIns, organizationLabel, matchedLevelMap, matchedAlpha,
} from './matchedBudget.ts';
