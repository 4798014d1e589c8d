// SPEC §G — calibration: measure ρ (§G1), γ(m) (§G2) and the leaf law (§G3) from data.
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
