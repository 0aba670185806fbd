import { countsToString, maskToCounts } from './rle.js';
import type { SparseMask } from './sparse-mask.js';

/** A mask in its serialized form: COCO-style compressed RLE of the bbox region, column-major. */
export interface MaskRle {
  rle: string;
  /** [x, y, width, height] of the region the RLE covers, in image pixels. */
  bbox: [number, number, number, number];
}

const EMPTY_RLE = countsToString([0]);

/**
 * The mask of a mask annotation in a document: a frozen handle on the annotation's pixels.
 *
 * It reads as its serialized form (`rle` and `bbox` are its only enumerable fields, computed once on first
 * read), so `JSON.stringify` and deep comparisons see exactly `{ rle, bbox }`. `toRle()` returns that form
 * as a plain object; `sparse` is the frozen, shared pixel store that renderers and tools read (never write
 * to it: `clone()` it).
 */
export class MaskHandle implements MaskRle {
  declare readonly rle: string;
  declare readonly bbox: [number, number, number, number];
  declare readonly sparse: SparseMask;

  constructor(sparse: SparseMask) {
    let cached: MaskRle | undefined;
    const serialized = (): MaskRle => (cached ??= encodeMask(sparse));
    Object.defineProperties(this, {
      rle: { enumerable: true, get: () => serialized().rle },
      bbox: { enumerable: true, get: () => serialized().bbox },
      sparse: { enumerable: false, value: sparse.freeze() },
    });
    Object.freeze(this);
  }

  /** The serialized form as a plain object (a fresh copy of the bbox). */
  toRle(): MaskRle {
    return { rle: this.rle, bbox: [...this.bbox] };
  }

  toJSON(): MaskRle {
    return this.toRle();
  }
}

/** The serialized (frozen) form of a sparse mask: COCO RLE of its tight bbox, or an empty RLE. */
export function encodeMask(sparse: SparseMask): MaskRle {
  const r = sparse.region();
  if (!r) return Object.freeze({ rle: EMPTY_RLE, bbox: [0, 0, 0, 0] as MaskRle['bbox'] });
  return Object.freeze({ rle: countsToString(maskToCounts(r.data, r.width, r.height)), bbox: r.bbox });
}
