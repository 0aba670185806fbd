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
