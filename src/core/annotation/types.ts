import type { AnnotationKind, AttributeValue } from '../schema/types.js';

export type { AnnotationKind, AttributeValue } from '../schema/types.js';

/** Axis-aligned box in image pixel coordinates (origin at the top-left corner of the top-left pixel). */
export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export type Point = [number, number];

/** A mask in its serialized form: COCO-style compressed RLE of the bbox region, column-major. */
export interface MaskRle {
  rle: string;
  /** [x, y, width, height] of the region the RLE covers, in image pixels. */
  bbox: [number, number, number, number];
}

/** A full-size mask as hosts pass it in and get it out: width × height of the stack, row-major, non-zero = inside. */
export interface MaskInput {
  data: Uint8Array;
}

/** One annotation. Geometry is always in image pixel coordinates, whatever the zoom or pan. */
export interface Annotation {
  /** Stable unique instance id. */
  id: string;
  /** LabelDef.id */
  label: string;
  kind: AnnotationKind;
  /** Index into stack.slices. */
  slice: number;
  box?: Box;
  points?: Point[];
  mask?: MaskRle;
  attributes?: Record<string, AttributeValue>;
  /** ISO 8601 times. */
  createdAt?: string;
  updatedAt?: string;
}

/** Where a change came from: the local user, a collaborator or host sync, or a silent (non-undoable) load. */
export type ChangeOrigin = 'local' | 'remote' | 'silent';

/** One committed change to the document. */
export interface ChangeSet {
  created: Annotation[];
  updated: { before: Annotation; after: Annotation }[];
  deleted: Annotation[];
  origin: ChangeOrigin;
}
