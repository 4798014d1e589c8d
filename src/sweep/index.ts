// Sweeps (issue 4): environment-neutral API. Worker-pool executors are exported by the Node and
// browser entry points (src/node.ts, src/browser.ts).
export { type AxisSpec, type CountRange, type StepRange, MAX_AXIS_LENGTH } from './axes.ts';
export {
  type SweepSpec, type SweepCompute, type CellParameters, type ResolvedSweep, type AxisName,
  AXIS_ORDER, MAX_CELLS, resolveSweepSpec, cellParameters,
} from './spec.ts';
export { type MonteCarloMode, type MonteCarloVariant, type SweepExtendedMonteCarlo, leafVotesPerTrial } from './montecarlo.ts';
export { type SweepExecutor, type RunOptions, InThreadExecutor, TaskGate } from './executor.ts';
export {
  type SweepTask, type SweepTaskResult, type TheoryField, type FaultInjection, type WorkerStamp, THEORY_FIELDS, TREND_CODES,
} from './task.ts';
export {
  type SweepOptions, type SweepProgress, type SweepCell, type SweepBlock, type SweepTheory, type SweepMonteCarlo,
  SweepRun, SweepCellError, sweep, createSweep, blockCell, DEFAULT_CHUNK_SIZE, DEFAULT_LEAF_VOTES_PER_TASK,
} from './run.ts';
export { type ArrayShard, SHARD_COUNT_ENV, arrayShard, shardPath } from './cluster.ts';
