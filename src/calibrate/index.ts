// SPEC §G — calibration: measure ρ (§G1), γ(m) (§G2) and the leaf law (§G3) from data; §I3/§I4 —
// shared failure vs task difficulty from repeated samples, and the voting curve.
export {
  type BootstrapOptions, type Interval, percentileInterval, DEFAULT_BOOTSTRAP, DEFAULT_LEVEL, MAX_BOOTSTRAP, MIN_LEVEL, MAX_LEVEL,
} from './bootstrap.ts';
export { CsvError, type CsvTable, type CsvRow, parseCsv } from './csv.ts';
export {
  type CorrectnessMatrix, type CorrectnessColumns, type CorrelationEstimate, type AgentSummary, type PairCorrelation,
  correctnessMatrixFromCsv, estimateCorrelation,
} from './correlation.ts';
export {
  type FidelityObservation, type FidelityEstimate, type FidelityFamilyFit, type FidelityFamily, type FidelityLength,
  FIDELITY_FAMILIES, fidelityObservationsFromCsv, fitFidelity,
} from './fidelityFit.ts';
export {
  type LeafObservation, type LeafLawEstimate, type LeafFitOptions, type LeafColumns, type LeafGroup, type LeafPoint,
  leafObservationsFromCsv, fitLeafLaw,
} from './leafLawFit.ts';
export { syntheticCorrectnessMatrix, syntheticFidelityCounts, syntheticLeafCounts, exactLeafAccuracies } from './synthetic.ts';
export {
  type SampleTask, type SamplesMatrix, type SamplesColumns, type SamplesModelName, type SamplesParameters, type SamplesParameter,
  type ProfileInterval, type SamplesModelFit, type CountHistogram, type SamplesFitOptions, type SamplesFit, type PairwiseEstimate,
  MIN_ANSWERS, SAMPLES_MODELS, samplesMatrixFromCsv, fitSamples, pairwiseCorrelation, countProbability, chiSquare1Quantile,
} from './samplesFit.ts';
export { type VotingPoint, type VotingCurve, type VotingCurveOptions, MAX_VOTERS, votingCurve, fittedVoteAccuracy, observedVoteAccuracy } from './votingCurve.ts';
export { type SyntheticSamplesSpec, syntheticSamples } from './synthetic.ts';
