import { ErrorCode, VoxmarkError } from '../errors.js';
import { encodeMask, type MaskRle } from './mask-handle.js';
import { decodeRle } from './rle.js';
import { SparseMask } from './sparse-mask.js';
import { type Box3, SparseVolume } from './sparse-volume.js';

/** One painted slice of a volume in its serialized form: `z` and the slice's mask as COCO RLE of its bbox. */
export interface VolumeSliceRle extends MaskRle {
  z: number;
}

/**
 * A volume mask in its serialized form (the voxmark JSON): the number of slices, and a COCO compressed RLE of
 * the bbox of each painted slice, ascending in `z`. Unpainted slices are absent. Width and height are the
 * document's.
 */
export interface VolumeRle {
  depth: number;
  slices: VolumeSliceRle[];
}

/** How a volume version differs from the one it was edited from (what undo and redraws need). */
export interface VolumeChangeInfo {
  /** The handle this version was edited from. */
  from: VolumeHandle;
  /** The voxels the edit may have changed. */
  box: Box3;
  /** Bytes of tiles the edit allocated: what keeping both versions costs over keeping one. */
  bytes: number;
}

/**
 * The mask of a volume annotation in a document: a frozen handle on a `SparseVolume`.
 *
 * Like `MaskHandle`, it reads as its serialized form: `depth` and `slices` are its only enumerable fields
 * (the slices' RLE is computed once, on first read), so `JSON.stringify` and deep comparisons see exactly a
 * `VolumeRle`. `volume` is the frozen, shared voxel store that renderers and tools read (`clone()` it to
 * change it; a document edit goes through `document.editVolume`). `change` tells, for a version made by an
 * edit, which version it came from and which voxels the edit touched.
 */
export class VolumeHandle implements VolumeRle {
  declare readonly depth: number;
  declare readonly slices: VolumeSliceRle[];
  declare readonly volume: SparseVolume;
  declare readonly change: VolumeChangeInfo | undefined;

  constructor(volume: SparseVolume, change?: VolumeChangeInfo) {
    let cached: VolumeSliceRle[] | undefined;
    const serialized = (): VolumeSliceRle[] => (cached ??= encodeVolume(volume));
    Object.defineProperties(this, {
      depth: { enumerable: true, value: volume.depth },
      slices: { enumerable: true, get: serialized },
      volume: { enumerable: false, value: volume.freeze() },
      change: { enumerable: false, value: change ? Object.freeze({ ...change }) : undefined },
    });
    Object.freeze(this);
  }

  /** The serialized form as a plain object (fresh copies). */
  toRle(): VolumeRle {
    return {
      depth: this.depth,
      slices: this.slices.map((s) => ({ z: s.z, rle: s.rle, bbox: [...s.bbox] })),
    };
  }

  toJSON(): VolumeRle {
    return this.toRle();
  }
}

function encodeVolume(volume: SparseVolume): VolumeSliceRle[] {
  const out: VolumeSliceRle[] = [];
  for (const z of volume.paintedSlices()) {
    const { rle, bbox } = encodeMask(volume.slice(z)!);
    out.push(Object.freeze({ z, rle, bbox }));
  }
  return Object.freeze(out) as VolumeSliceRle[];
}

/** True when `value` looks like a serialized volume (`{ depth, slices }`). */
export function isVolumeRle(value: unknown): value is VolumeRle {
  return (
    typeof value === 'object' &&
    value !== null &&
    'slices' in value &&
    Array.isArray((value as VolumeRle).slices) &&
    'depth' in value
  );
}

function bad(message: string): VoxmarkError {
  return new VoxmarkError(ErrorCode.InvalidArgument, message);
}

/**
 * Decodes a serialized volume of a width × height stack. Throws 'invalid-argument' for a bad depth, a slice
 * outside the volume or listed twice, or a bbox outside the image.
 */
export function volumeFromRle(rle: VolumeRle, width: number, height: number): SparseVolume {
  const { depth, slices } = rle;
  if (!Number.isInteger(depth) || depth < 1)
    throw bad(`Volume depth must be a positive integer, not ${depth}`);
  const seen = new Set<number>();
  const masks: [number, SparseMask][] = [];
  for (const s of slices) {
    if (!s || typeof s !== 'object' || typeof s.rle !== 'string' || !Array.isArray(s.bbox))
      throw bad('Each volume slice must be { z, rle, bbox }');
    if (!Number.isInteger(s.z) || s.z < 0 || s.z >= depth || seen.has(s.z))
      throw bad(`Volume slice ${s.z} is outside 0…${depth - 1} or listed twice`);
    seen.add(s.z);
    const [x, y, w, h] = s.bbox;
    if (![x, y, w, h].every(Number.isInteger) || w < 0 || h < 0 || x < 0 || y < 0)
      throw bad(`Volume slice ${s.z}: bbox must be non-negative integers`);
    if (x + w > width || y + h > height) throw bad(`Volume slice ${s.z}: bbox is outside the image`);
    masks.push([
      s.z,
      SparseMask.fromRegion(decodeRle({ size: [h, w], counts: s.rle }), [x, y, w, h], width, height),
    ]);
  }
  return SparseVolume.fromSlices(width, height, depth, masks);
}
