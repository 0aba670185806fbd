/**
 * The effect functions `<vx-segment-effects>` runs, as one module that loads when the first panel connects
 * (`loadEffects`), so a page that never shows the panel does not load them up front.
 * @module
 */
export { fillBetweenSlices } from '../../core/effects/interpolate.js';
export { fillHoles, islands, splitIslands } from '../../core/effects/components.js';
export { combineVolumes, marginVolume, smoothVolume } from '../../core/effects/morphology.js';
export { thresholdVolume } from '../../core/effects/intensity.js';
export { createGrowFromSeedsSession } from '../../core/effects/grow-from-seeds.js';
