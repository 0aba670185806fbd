import type { MaskHandle, MaskRle } from '../mask/mask-handle.js';
import type { VolumeHandle, VolumeRle } from '../mask/volume-handle.js';

export type { MaskRle } from '../mask/mask-handle.js';
export { MaskHandle } from '../mask/mask-handle.js';
export type { VolumeRle, VolumeSliceRle } from '../mask/volume-handle.js';
export { VolumeHandle } from '../mask/volume-handle.js';

/** The kinds of annotation, in the order the label schema and the tools list them. */
export const AnnotationKinds = ['box', 'polygon', 'mask', 'volume'] as const;
export type AnnotationKind = (typeof AnnotationKinds)[number];

/** An attribute value: what `Annotation.attributes` holds. */
export type AttributeValue = string | number | boolean;

/** Axis-aligned box in image pixel coordinates (origin at the top-left corner of the top-left pixel). */
export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export type Point = [number, number];

/** A full-size mask as hosts pass it in and get it out: width × height of the stack, row-major, non-zero = inside. */
export interface MaskInput {
  data: Uint8Array;
}

/** The fields every kind of annotation has. */
interface AnnotationBase {
  /** Stable unique instance id. */
  id: string;
  /** LabelDef.id */
  label: string;
  /**
   * Index into stack.slices. For a volume, which spans many slices, it is derived: the first (lowest) slice
   * with painted voxels, or 0 when the volume is empty; the document keeps it up to date on every edit.
   */
  slice: number;
  attributes?: Record<string, AttributeValue>;
  /** ISO 8601 times. */
  createdAt?: string;
  updatedAt?: string;
}

/*
 * Each variant names the other kinds' geometry fields as optional `never`: they are never present, and code
 * that reads `a.box` on any annotation still type-checks (to `Box | undefined`).
 */

/** A box annotation: `box` in image pixels. */
export interface BoxAnnotation extends AnnotationBase {
  kind: 'box';
  box: Box;
  points?: never;
  mask?: never;
}

/** A polygon annotation: at least three vertices in image pixels. */
export interface PolygonAnnotation extends AnnotationBase {
  kind: 'polygon';
  points: Point[];
  box?: never;
  mask?: never;
}

/**
 * A mask annotation. In a document the mask is a frozen `MaskHandle` (its pixels behind `sparse`, its
 * serialized form through `toRle()`); a plain `{ rle, bbox }` is accepted wherever an annotation is only read.
 */
export interface MaskAnnotation extends AnnotationBase {
  kind: 'mask';
  mask: MaskHandle | MaskRle;
  box?: never;
  points?: never;
}

/**
 * A volume annotation: one instance (one id, one label) holding a binary 3D mask over the whole stack, in
 * acquisition order. In a document the mask is a frozen `VolumeHandle` (its voxels behind `volume`, its
 * serialized form, a sparse RLE per painted slice, through `toRle()`); a plain `VolumeRle` is accepted
 * wherever an annotation is only read. `slice` is its first painted slice.
 */
export interface VolumeAnnotation extends AnnotationBase {
  kind: 'volume';
  mask: VolumeHandle | VolumeRle;
  box?: never;
  points?: never;
}

/** One annotation. Geometry is always in image pixel coordinates, whatever the zoom or pan. */
export type Annotation = BoxAnnotation | PolygonAnnotation | MaskAnnotation | VolumeAnnotation;

/** An annotation in its serialized (JSON) form: a mask is a plain `{ rle, bbox }`, a volume a `VolumeRle`. */
export type AnnotationJSON =
  | BoxAnnotation
  | PolygonAnnotation
  | (Omit<MaskAnnotation, 'mask'> & { mask: MaskRle })
  | (Omit<VolumeAnnotation, 'mask'> & { mask: VolumeRle });

/**
 * Every field any kind of annotation may have, all geometry optional: the loose form of annotations that
 * are read before they are trusted (validation, file import) or built field by field.
 */
export interface AnnotationFields extends AnnotationBase {
  kind: AnnotationKind;
  box?: Box;
  points?: Point[];
  /** A `MaskRle` for a mask, a `VolumeRle` for a volume. */
  mask?: MaskRle | VolumeRle;
}

/** The annotation variant of one kind. */
export type AnnotationOf<K extends AnnotationKind> = Extract<Annotation, { kind: K }>;

/** Where a change came from: the local user, a collaborator or host sync, or a silent (non-undoable) load. */
export type ChangeOrigin = 'local' | 'remote' | 'silent';

/** One committed change to the document. */
export interface ChangeSet {
  created: Annotation[];
  updated: { before: Annotation; after: Annotation }[];
  deleted: Annotation[];
  origin: ChangeOrigin;
}
