/**
 * Shared pieces of the segment-editor effects: argument checks, boxes, cropping a volume to where its voxels
 * are (so effects cost what the mask covers, not what the stack covers), and cooperative yielding.
 * @module
 */
import { ErrorCode, VoxmarkError, throwIfAborted } from '../errors.js';
import type { Box3 } from '../mask/sparse-volume.js';
import type { Volume } from '../mask/volume.js';

/** Voxel spacing in mm: x (column), y (row), z (slice step). */
export type Spacing = readonly [number, number, number];

/** An axis-aligned box of voxels (integers, inside the volume): the same type sparse volumes use. */
export type { Box3 };

/** Half-open integer bounds `[x0, x1) × [y0, y1) × [z0, z1)`. */
export interface Bounds {
  x0: number;
  y0: number;
  z0: number;
  x1: number;
  y1: number;
  z1: number;
}

export function invalid(message: string): VoxmarkError {
  return new VoxmarkError(ErrorCode.InvalidArgument, message);
}

/** Throws `invalid-argument` unless `spacing` is three finite positive numbers. */
export function checkSpacing(spacing: unknown, context: string): Spacing {
  if (
    !Array.isArray(spacing) ||
    spacing.length !== 3 ||
    !spacing.every((s) => typeof s === 'number' && Number.isFinite(s) && s > 0)
  )
    throw invalid(`${context}: spacing must be three positive numbers [x, y, z] in mm`);
  return spacing as unknown as Spacing;
}

/** Throws `invalid-argument` unless `value` is a finite number. */
export function checkFinite(value: unknown, name: string, context: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value))
    throw invalid(`${context}: ${name} must be a finite number, not ${String(value)}`);
  return value;
}

/** The bounds of a Box3 after checking that it is made of integers and lies inside a w×h×d volume. */
export function boxBounds(box: Box3, w: number, h: number, d: number, context: string): Bounds {
  const fields = ['x', 'y', 'z', 'width', 'height', 'depth'] as const;
  if (!box || typeof box !== 'object' || !fields.every((f) => Number.isInteger(box[f])))
    throw invalid(`${context}: box needs integer x, y, z, width, height and depth`);
  if (box.width < 1 || box.height < 1 || box.depth < 1)
    throw invalid(`${context}: box width, height and depth must be at least 1`);
  if (
    box.x < 0 ||
    box.y < 0 ||
    box.z < 0 ||
    box.x + box.width > w ||
    box.y + box.height > h ||
    box.z + box.depth > d
  )
    throw new VoxmarkError(
      ErrorCode.OutOfRange,
      `${context}: box ${box.x},${box.y},${box.z} + ${box.width}×${box.height}×${box.depth} is outside the ${w}×${h}×${d} volume`,
    );
  return {
    x0: box.x,
    y0: box.y,
    z0: box.z,
    x1: box.x + box.width,
    y1: box.y + box.height,
    z1: box.z + box.depth,
  };
}

/**
 * The bounds of the inside (non-zero) voxels of a volume, or null when it is empty. Rows are tested four
 * voxels at a time, and a row with inside voxels is read from its two ends only, so a large, mostly empty stack
 * costs a fraction of a pass.
 */
export function insideBounds(v: Volume): Bounds | null {
  const { width: w, height: h, depth: d, data } = v;
  const words =
    data.byteOffset % 4 === 0 ? new Uint32Array(data.buffer, data.byteOffset, data.length >> 2) : null;
  const b = { x0: w, y0: h, z0: d, x1: 0, y1: 0, z1: 0 };
  for (let z = 0, row = 0; z < d; z++)
    for (let y = 0; y < h; y++, row += w) {
      if (!rowHasInside(data, words, row, w)) continue;
      let x = 0;
      while (data[row + x] === 0) x++;
      if (x < b.x0) b.x0 = x;
      x = w - 1;
      while (data[row + x] === 0) x--;
      if (x + 1 > b.x1) b.x1 = x + 1;
      if (y < b.y0) b.y0 = y;
      if (y + 1 > b.y1) b.y1 = y + 1;
      if (z < b.z0) b.z0 = z;
      b.z1 = z + 1;
    }
  return b.x1 === 0 ? null : b;
}

/** Whether the `w` voxels of `data` from `start` hold a non-zero one; `words` views `data` 4 bytes at a time. */
function rowHasInside(data: Uint8Array, words: Uint32Array | null, start: number, w: number): boolean {
  const end = start + w;
  let i = start;
  if (words) {
    while (i < end && i % 4 !== 0) if (data[i++] !== 0) return true;
    for (let k = i >> 2, kEnd = end >> 2; k < kEnd; k++) if (words[k] !== 0) return true;
    i = Math.max(i, end & ~3);
  }
  for (; i < end; i++) if (data[i] !== 0) return true;
  return false;
}

/** `b` grown by `rx`, `ry`, `rz` voxels on each side, clipped to a w×h×d volume. */
export function growBounds(
  b: Bounds,
  rx: number,
  ry: number,
  rz: number,
  w: number,
  h: number,
  d: number,
): Bounds {
  return {
    x0: Math.max(0, b.x0 - rx),
    y0: Math.max(0, b.y0 - ry),
    z0: Math.max(0, b.z0 - rz),
    x1: Math.min(w, b.x1 + rx),
    y1: Math.min(h, b.y1 + ry),
    z1: Math.min(d, b.z1 + rz),
  };
}

/** Copies the voxels of `v` inside `b` into a new volume of the bounds' size. */
export function crop(v: Volume, b: Bounds): Volume {
  const cw = b.x1 - b.x0;
  const ch = b.y1 - b.y0;
  const cd = b.z1 - b.z0;
  const out = new Uint8Array(cw * ch * cd);
  const area = v.width * v.height;
  let o = 0;
  for (let z = b.z0; z < b.z1; z++)
    for (let y = b.y0; y < b.y1; y++, o += cw) {
      const s = z * area + y * v.width + b.x0;
      out.set(v.data.subarray(s, s + cw), o);
    }
  return { data: out, width: cw, height: ch, depth: cd };
}

/** Writes a cropped volume back at bounds `b` of `target` (every voxel of the box is overwritten). */
export function paste(target: Volume, part: Volume, b: Bounds): void {
  const area = target.width * target.height;
  const cw = part.width;
  let o = 0;
  for (let z = b.z0; z < b.z1; z++)
    for (let y = b.y0; y < b.y1; y++, o += cw)
      target.data.set(part.data.subarray(o, o + cw), z * area + y * target.width + b.x0);
}

/** Resolves after the event loop has had a turn, so abort signals, messages and paints get through. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/** Checks the signal, reports progress and yields: called between chunks of long effects. */
export async function checkpoint(
  signal: AbortSignal | undefined,
  onProgress: ((p: { done: number; total: number }) => void) | undefined,
  done: number,
  total: number,
): Promise<void> {
  throwIfAborted(signal);
  onProgress?.({ done, total });
  await yieldToEventLoop();
  throwIfAborted(signal);
}
