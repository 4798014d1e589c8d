// SPEC §D — the Monte Carlo core: bit-parallel full-tree and level-wise simulators of the binary
// model (§D1), its variants (§D2), the continuous simulator (§D3), all seeded per chunk (§D4).
export {
  type SimulationVariant, type TreeSimulationSpec, type Counts, type SimulationResult, type PopulationSums,
  MIN_POPULATIONS, chunkCount, chunkTrials, addPopulation, replicateStdError, TRIALS_PER_CHUNK, MAX_CHUNK_TRIALS, MAX_TRIALS, MAX_SEED, DEFAULT_SEED, MAX_FULL_TREE_LEAVES,
  simulateTreeChunk, simulateTreeScalarChunk, simulateTree, summarizeCounts, summarizeSimulation, validateTreeSimulation,
} from './tree.ts';
export {
  type ContinuousTopology, type ContinuousSimulationSpec, type ContinuousSums, type ContinuousSimulationResult,
  simulateContinuousChunk, simulateContinuous, summarizeContinuous, validateContinuousSimulation,
} from './continuous.ts';
export {
  type PluralityLevel, type PluralitySimulationSpec, type PluralityCounts, type PluralitySimulationResult, MIN_REPLICATES,
  simulatePluralityChunk, simulatePlurality, validatePluralitySimulation,
} from './plurality.ts';
export { MAX_SCOPED_TRIALS, simulateScopedTree } from './scope.ts';
