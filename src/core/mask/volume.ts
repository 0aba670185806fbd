/**
 * A dense volume mask: one byte per voxel, `data[z·w·h + y·w + x]`, non-zero = inside. This is the form that
 * `document.getVolume` returns and that every segment-editor effect takes and returns. A 2D mask is a volume
 * of depth 1.
 *
 * The helpers here check the shape of a volume before anything allocates or loops over it, so a hostile or
 * mistaken size fails at once with a `VoxmarkError` instead of allocating gigabytes.
 * @module
 */
import { ErrorCode, VoxmarkError } from '../errors.js';

export interface Volume {
  data: Uint8Array;
  width: number;
  height: number;
  depth: number;
}

/** Largest volume the effects accept: 2³⁰ voxels (for example 1024×1024×1024, or 512×512×4096). */
export const MAX_VOLUME_VOXELS = 2 ** 30;

/** Largest width, height or depth: 65 536. */
export const MAX_VOLUME_SIDE = 65_536;

/**
 * Throws `invalid-argument` unless width, height and depth are positive integers no larger than 65 536,
 * and `too-large` when their product exceeds `maxVoxels`. Returns the voxel count.
 */
export function checkVolumeSize(
  width: number,
  height: number,
  depth: number,
  context = 'Volume',
  maxVoxels = MAX_VOLUME_VOXELS,
): number {
  for (const [name, v] of [
    ['width', width],
    ['height', height],
    ['depth', depth],
  ] as const) {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > MAX_VOLUME_SIDE)
      throw new VoxmarkError(
        ErrorCode.InvalidArgument,
        `${context}: ${name} must be an integer from 1 to ${MAX_VOLUME_SIDE}, not ${String(v)}`,
      );
  }
  const n = width * height * depth;
  if (n > maxVoxels)
    throw new VoxmarkError(
      ErrorCode.TooLarge,
      `${context}: ${width}×${height}×${depth} is more than the ${maxVoxels}-voxel limit`,
    );
  return n;
}

/** A new empty volume (all zero). */
export function createVolume(width: number, height: number, depth = 1): Volume {
  const n = checkVolumeSize(width, height, depth, 'createVolume');
  return { data: new Uint8Array(n), width, height, depth };
}

/**
 * Throws a `VoxmarkError` unless `volume` is a well-formed Volume: integer dimensions within the limits and
 * a `Uint8Array` of exactly width·height·depth bytes. Returns the voxel count.
 */
export function checkVolume(volume: Volume, context = 'Volume'): number {
  if (!volume || typeof volume !== 'object')
    throw new VoxmarkError(
      ErrorCode.InvalidArgument,
      `${context}: expected a volume { data, width, height, depth }`,
    );
  const n = checkVolumeSize(volume.width, volume.height, volume.depth, context);
  if (!(volume.data instanceof Uint8Array))
    throw new VoxmarkError(ErrorCode.InvalidArgument, `${context}: data must be a Uint8Array`);
  if (volume.data.length !== n)
    throw new VoxmarkError(
      ErrorCode.InvalidArgument,
      `${context}: data holds ${volume.data.length} bytes but ${volume.width}×${volume.height}×${volume.depth} needs ${n}`,
    );
  return n;
}

/** Throws `invalid-argument` unless both volumes are valid and have the same width, height and depth. */
export function checkSameShape(a: Volume, b: Volume, context = 'Volumes'): number {
  const n = checkVolume(a, context);
  checkVolume(b, context);
  if (a.width !== b.width || a.height !== b.height || a.depth !== b.depth)
    throw new VoxmarkError(
      ErrorCode.InvalidArgument,
      `${context}: ${a.width}×${a.height}×${a.depth} and ${b.width}×${b.height}×${b.depth} differ in size`,
    );
  return n;
}

/** An empty volume of the same size as `like`. */
export function emptyLike(like: Volume): Volume {
  return {
    data: new Uint8Array(like.data.length),
    width: like.width,
    height: like.height,
    depth: like.depth,
  };
}

/** A copy of `volume` with its own data. */
export function cloneVolume(volume: Volume): Volume {
  return { data: volume.data.slice(), width: volume.width, height: volume.height, depth: volume.depth };
}

/** Slice `z` as a view (no copy) into the volume's data: row-major, width·height bytes. */
export function sliceView(volume: Volume, z: number): Uint8Array {
  if (!Number.isInteger(z) || z < 0 || z >= volume.depth)
    throw new VoxmarkError(ErrorCode.OutOfRange, `Slice ${z} is outside 0–${volume.depth - 1}`);
  const area = volume.width * volume.height;
  return volume.data.subarray(z * area, (z + 1) * area);
}

/** A 2D mask (width·height bytes, non-zero = inside) as a volume of depth 1 that shares its data. */
export function volumeFromMask(data: Uint8Array, width: number, height: number): Volume {
  const volume = { data, width, height, depth: 1 };
  checkVolume(volume, 'Mask');
  return volume;
}

/** Voxels that are inside (non-zero). */
export function countInside(volume: Volume): number {
  const d = volume.data;
  let count = 0;
  for (let i = 0; i < d.length; i++) if (d[i] !== 0) count++;
  return count;
}

/** Indices of the slices that hold at least one inside voxel, in increasing order. */
export function paintedSlices(volume: Volume): number[] {
  const area = volume.width * volume.height;
  const { data } = volume;
  // Empty slices are read in full: test four bytes at a time where the layout allows it.
  const words =
    data.byteOffset % 4 === 0 && area % 4 === 0
      ? new Uint32Array(data.buffer, data.byteOffset, data.length / 4)
      : null;
  const out: number[] = [];
  for (let z = 0; z < volume.depth; z++) {
    let any = false;
    if (words) {
      const from = (z * area) / 4;
      const to = from + area / 4;
      for (let i = from; i < to && !any; i++) if (words[i] !== 0) any = true;
    } else {
      const from = z * area;
      for (let i = from; i < from + area && !any; i++) if (data[i] !== 0) any = true;
    }
    if (any) out.push(z);
  }
  return out;
}
