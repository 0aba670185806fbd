/**
 * Effects and measurements that read image values: `thresholdVolume`, `regionStatistics` and `lineLength`.
 * Values are in modality units: stored value × rescale slope + rescale intercept (Hounsfield units for CT).
 * Frames are read one at a time through `stack.getFrame`, so a whole CT never has to sit in memory as floats.
 * @module
 */
import { ErrorCode, VoxmarkError, throwIfAborted } from '../errors.js';
import { rasterizeBox, rasterizePolygon } from '../formats/rasterize.js';
import type { Frame, ImageStack } from '../image/types.js';
import { type Volume, checkVolume, checkVolumeSize } from '../mask/volume.js';
import { type Box3, type Bounds, boxBounds, checkFinite, invalid } from './common.js';

/** Checks that a stack is greyscale with sane dimensions; returns its voxel count. */
export function checkStack(stack: ImageStack, context: string): number {
  if (!stack || typeof stack !== 'object' || typeof stack.getFrame !== 'function')
    throw invalid(`${context}: expected an ImageStack`);
  const n = checkVolumeSize(stack.width, stack.height, stack.depth, context);
  if (stack.samplesPerPixel !== 1)
    throw new VoxmarkError(
      ErrorCode.Unsupported,
      `${context}: needs a greyscale stack (one sample per pixel), not ${stack.samplesPerPixel}`,
    );
  return n;
}

/** Reads frame z and checks that it has the stack's size. */
export async function readFrame(stack: ImageStack, z: number, signal?: AbortSignal): Promise<Frame> {
  throwIfAborted(signal);
  const frame = await stack.getFrame(z, { signal });
  if (frame.width !== stack.width || frame.height !== stack.height || frame.samplesPerPixel !== 1)
    throw new VoxmarkError(
      ErrorCode.Corrupt,
      `Frame ${z} is ${frame.width}×${frame.height}×${frame.samplesPerPixel}, not ${stack.width}×${stack.height}×1 like its stack`,
    );
  return frame;
}

/**
 * Modality values of the voxels of a box, x fastest, as 32-bit floats. Reads only the slices of the box.
 */
export async function readModalityValues(
  stack: ImageStack,
  b: Bounds,
  signal?: AbortSignal,
  onSlice?: (done: number, total: number) => void,
): Promise<Float32Array> {
  const cw = b.x1 - b.x0;
  const ch = b.y1 - b.y0;
  const out = new Float32Array(cw * ch * (b.z1 - b.z0));
  let o = 0;
  for (let z = b.z0; z < b.z1; z++) {
    const { data, rescaleSlope: m, rescaleIntercept: c } = await readFrame(stack, z, signal);
    for (let y = b.y0; y < b.y1; y++) {
      const row = y * stack.width;
      for (let x = b.x0; x < b.x1; x++) out[o++] = data[row + x]! * m + c;
    }
    onSlice?.(z - b.z0 + 1, b.z1 - b.z0);
  }
  return out;
}

export interface ThresholdOptions {
  /** Lowest modality value inside (inclusive). */
  min: number;
  /** Highest modality value inside (inclusive). */
  max: number;
  /** Only voxels of this box can be inside; default the whole stack. */
  box?: Box3;
  signal?: AbortSignal;
  /** Called after each slice read. */
  onProgress?: (p: { done: number; total: number }) => void;
}

/**
 * The Segment Editor's "Threshold" effect: a volume of the stack's size holding 1 where the modality value
 * (rescale applied) lies in [min, max], within `box` when given. For a live preview on one slice pass a box of
 * depth 1. Reads one frame at a time. O(voxels of the box).
 */
export async function thresholdVolume(stack: ImageStack, options: ThresholdOptions): Promise<Volume> {
  checkStack(stack, 'thresholdVolume');
  const min = checkFinite(options?.min, 'min', 'thresholdVolume');
  const max = checkFinite(options?.max, 'max', 'thresholdVolume');
  if (min > max) throw invalid(`thresholdVolume: min ${min} is above max ${max}`);
  const { width: w, height: h, depth: d } = stack;
  const b: Bounds = options.box
    ? boxBounds(options.box, w, h, d, 'thresholdVolume')
    : { x0: 0, y0: 0, z0: 0, x1: w, y1: h, z1: d };
  const out: Volume = { data: new Uint8Array(w * h * d), width: w, height: h, depth: d };
  for (let z = b.z0; z < b.z1; z++) {
    const { data, rescaleSlope: m, rescaleIntercept: c } = await readFrame(stack, z, options.signal);
    for (let y = b.y0; y < b.y1; y++) {
      const row = y * w;
      const o = z * w * h + row;
      for (let x = b.x0; x < b.x1; x++) {
        const v = data[row + x]! * m + c;
        if (v >= min && v <= max) out.data[o + x] = 1;
      }
    }
    options.onProgress?.({ done: z - b.z0 + 1, total: b.z1 - b.z0 });
  }
  return out;
}

/**
 * A region to measure. Coordinates are image pixels with the origin at the top-left corner of the top-left
 * pixel; a pixel belongs to a box or polygon when its centre lies inside (polygons by the even-odd rule), as
 * when they are rasterized for export.
 * - a `Volume` of the stack's width, height and depth (non-zero = inside): 3D statistics and `volumeMm3`;
 * - `{ slice, mask }`: a row-major width × height mask on one slice;
 * - `{ slice, box: { x, y, width, height } }`: a box on one slice;
 * - `{ slice, points: [[x, y], …] }`: a polygon on one slice.
 * 2D regions give `areaMm2`.
 */
export type StatisticsRegion =
  | Volume
  | { slice: number; mask: Uint8Array }
  | { slice: number; box: { x: number; y: number; width: number; height: number } }
  | { slice: number; points: readonly (readonly [number, number])[] };

/** Statistics of the modality values in a region. With no voxel inside, count is 0 and the rest NaN. */
export interface RegionStatistics {
  mean: number;
  /** Population standard deviation (divides by count, as Slicer's Segment Statistics does). */
  sd: number;
  min: number;
  max: number;
  /** Voxels (pixels) inside. */
  count: number;
  /** For 2D regions: count × pixel area (spacing x × y). */
  areaMm2?: number;
  /** For volume regions: count × voxel volume (spacing x × y × z). */
  volumeMm3?: number;
}

/** Running sums of values, shifted by the first value so the variance keeps its precision. */
class Accumulator {
  count = 0;
  min = Infinity;
  max = -Infinity;
  private shift = 0;
  private sum = 0;
  private sumSq = 0;

  addMasked(data: Frame['data'], m: number, c: number, mask: Uint8Array): void {
    for (let i = 0; i < mask.length; i++) {
      if (mask[i] === 0) continue;
      const v = data[i]! * m + c;
      if (this.count === 0) this.shift = v;
      const s = v - this.shift;
      this.sum += s;
      this.sumSq += s * s;
      this.count++;
      if (v < this.min) this.min = v;
      if (v > this.max) this.max = v;
    }
  }

  result(): RegionStatistics {
    if (this.count === 0) return { mean: NaN, sd: NaN, min: NaN, max: NaN, count: 0 };
    const meanShift = this.sum / this.count;
    const variance = Math.max(0, this.sumSq / this.count - meanShift * meanShift);
    return {
      mean: this.shift + meanShift,
      sd: Math.sqrt(variance),
      min: this.min,
      max: this.max,
      count: this.count,
    };
  }
}

function checkSlice(slice: unknown, depth: number): number {
  if (typeof slice !== 'number' || !Number.isInteger(slice))
    throw invalid('regionStatistics: slice must be an integer');
  if (slice < 0 || slice >= depth)
    throw new VoxmarkError(
      ErrorCode.OutOfRange,
      `regionStatistics: slice ${slice} is outside 0–${depth - 1}`,
    );
  return slice;
}

/**
 * Statistics, in modality units, of the stack's values inside a region (see `StatisticsRegion`): mean,
 * population SD, min, max, count, and the area (2D) or volume (3D) in mm² / mm³ from the stack's spacing.
 * Reads only the slices the region touches. O(pixels of those slices).
 */
export async function regionStatistics(
  stack: ImageStack,
  region: StatisticsRegion,
  options: { signal?: AbortSignal } = {},
): Promise<RegionStatistics> {
  checkStack(stack, 'regionStatistics');
  const { width: w, height: h, depth: d, spacing } = stack;
  const area = w * h;
  const acc = new Accumulator();
  const [sx, sy, sz] = spacing;
  if (!region || typeof region !== 'object') throw invalid('regionStatistics: expected a region');
  if ('data' in region) {
    checkVolume(region, 'regionStatistics');
    if (region.width !== w || region.height !== h || region.depth !== d)
      throw invalid(
        `regionStatistics: the ${region.width}×${region.height}×${region.depth} volume does not match the ${w}×${h}×${d} stack`,
      );
    for (let z = 0; z < d; z++) {
      const mask = region.data.subarray(z * area, (z + 1) * area);
      if (mask.every((v) => v === 0)) continue;
      const f = await readFrame(stack, z, options.signal);
      acc.addMasked(f.data, f.rescaleSlope, f.rescaleIntercept, mask);
    }
    return { ...acc.result(), volumeMm3: acc.count * sx * sy * sz };
  }
  const slice = checkSlice(region.slice, d);
  let mask: Uint8Array;
  if ('mask' in region) {
    if (!(region.mask instanceof Uint8Array) || region.mask.length !== area)
      throw invalid(`regionStatistics: mask must be a Uint8Array of ${w}×${h} bytes`);
    mask = region.mask;
  } else if ('box' in region) {
    const bx = region.box;
    if (!bx || ![bx.x, bx.y, bx.width, bx.height].every((v) => Number.isFinite(v)))
      throw invalid('regionStatistics: box needs finite x, y, width and height');
    mask = rasterizeBox(bx, w, h);
  } else if ('points' in region) {
    const pts = region.points;
    if (
      !Array.isArray(pts) ||
      !pts.every((p) => Array.isArray(p) && p.length === 2 && p.every(Number.isFinite))
    )
      throw invalid('regionStatistics: points must be [x, y] pairs of finite numbers');
    mask = rasterizePolygon(pts as [number, number][], w, h);
  } else throw invalid('regionStatistics: expected a Volume, or { slice } with mask, box or points');
  const f = await readFrame(stack, slice, options.signal);
  acc.addMasked(f.data, f.rescaleSlope, f.rescaleIntercept, mask);
  return { ...acc.result(), areaMm2: acc.count * sx * sy };
}

/**
 * Length in mm of a line between two points in image pixel coordinates on one slice, from the pixel
 * spacing [x, y] (or a stack's [x, y, z]): √((Δx·sx)² + (Δy·sy)²).
 */
export function lineLength(
  a: readonly [number, number],
  b: readonly [number, number],
  spacing: readonly number[],
): number {
  const sx = spacing?.[0];
  const sy = spacing?.[1];
  if (!(typeof sx === 'number' && sx > 0 && typeof sy === 'number' && sy > 0))
    throw invalid('lineLength: spacing must start with two positive numbers [x, y]');
  const dx = (checkFinite(b?.[0], 'x', 'lineLength') - checkFinite(a?.[0], 'x', 'lineLength')) * sx;
  const dy = (checkFinite(b?.[1], 'y', 'lineLength') - checkFinite(a?.[1], 'y', 'lineLength')) * sy;
  return Math.hypot(dx, dy);
}
