import type { VoiLutFunction, WindowPreset } from './types.js';

/** Standard CT windows in Hounsfield units. */
export const CT_PRESETS: readonly WindowPreset[] = [
  { name: 'Soft tissue', center: 40, width: 400 },
  { name: 'Lung', center: -600, width: 1500 },
  { name: 'Bone', center: 400, width: 1800 },
  { name: 'Brain', center: 40, width: 80 },
  { name: 'Abdomen', center: 60, width: 400 },
];

export function ctPresets(): WindowPreset[] {
  return CT_PRESETS.map((p) => ({ ...p }));
}

/**
 * The VOI window functions of DICOM PS3.3 C.11.2.1.2, mapping a modality value `x` to an output
 * in [yMin, yMax].
 */
export function applyWindow(
  x: number,
  center: number,
  width: number,
  fn: VoiLutFunction = 'LINEAR',
  yMin = 0,
  yMax = 255,
): number {
  const range = yMax - yMin;
  if (fn === 'LINEAR_EXACT') {
    if (width <= 0) return x <= center ? yMin : yMax;
    if (x <= center - width / 2) return yMin;
    if (x > center + width / 2) return yMax;
    return ((x - center) / width + 0.5) * range + yMin;
  }
  if (fn === 'SIGMOID') {
    if (width <= 0) return x < center ? yMin : x > center ? yMax : (yMin + yMax) / 2;
    return range / (1 + Math.exp((-4 * (x - center)) / width)) + yMin;
  }
  // LINEAR: width >= 1 by definition.
  const w = Math.max(width, 1);
  if (x <= center - 0.5 - (w - 1) / 2) return yMin;
  if (x > center - 0.5 + (w - 1) / 2) return yMax;
  return ((x - (center - 0.5)) / (w - 1) + 0.5) * range + yMin;
}
