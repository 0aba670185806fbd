/**
 * The segment-editor effects: DOM-free functions on volume masks (`Volume`, non-zero = inside) and image
 * stacks. Each returns a new volume (or a Promise of one) and never changes its input. See docs/effects.md.
 * @module
 */
export type { Box3, Spacing } from './common.js';
export { fillBetweenSlices } from './interpolate.js';
export { islands, splitIslands, fillHoles, labelComponents } from './components.js';
export type {
  Connectivity,
  Components,
  IslandKeep,
  IslandsOptions,
  SplitIslandsOptions,
  FillHolesOptions,
} from './components.js';
export { marginVolume, smoothVolume, combineVolumes } from './morphology.js';
export type { MarginOptions, SmoothOptions, CombineOperation } from './morphology.js';
export { thresholdVolume, regionStatistics, lineLength } from './intensity.js';
export type { ThresholdOptions, StatisticsRegion, RegionStatistics } from './intensity.js';
export { growFromSeeds, createGrowFromSeedsSession, MAX_GROW_VOXELS } from './grow-from-seeds.js';
export type {
  GrowFromSeedsOptions,
  GrowFromSeedsRunOptions,
  GrowFromSeedsSession,
  GrowFromSeedsSessionOptions,
} from './grow-from-seeds.js';
export { serveEffectRequests } from './effect-worker.js';
export type { EffectRequest, EffectResponse } from './effect-worker.js';
