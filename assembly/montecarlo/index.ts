// SPEC §D — the Monte Carlo core: seeded streams (§D4), bit-parallel binary trees (§D1, §D2) and the
// continuous simulator (§D3). Every export takes plain numbers and arena addresses.
export { mcFullTree, mcLevels, mcFullTreeScalar, mcLaneWords, mcBernoulliWords } from './tree';
export { mcContinuous } from './continuous';
export { mcXoshiroFill, mcSplitMixFill, mcChunkSeed } from './random';
export { mcPlurality } from './plurality';
export { pluralityGeneralPaths } from './pluralityWords';
