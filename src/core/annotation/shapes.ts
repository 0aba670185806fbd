import { ErrorCode, VoxmarkError } from '../errors.js';
import { MaskHandle, type MaskRle } from '../mask/mask-handle.js';
import { decodeRle } from '../mask/rle.js';
import { type MaskRegion, SparseMask } from '../mask/sparse-mask.js';
import {
  type Bounds,
  edgeAt,
  hitBox,
  pointInPolygon,
  pointsBounds,
  polygonArea,
  translateBox,
  translateMask,
  translatePoints,
} from './primitives.js';
import type { Annotation, AnnotationKind, AnnotationOf, Box, MaskInput, Point } from './types.js';

/** Mask forms a document accepts. */
export type MaskSource =
  | MaskInput // full-size, row-major, non-zero = inside
  | MaskRle // COCO compressed RLE of the bbox region (column-major)
  | MaskRegion // bbox-sized, row-major
  | SparseMask; // a mask painted by a tool (a draft is frozen and adopted)

/** The geometry fields an annotation input may carry, before they are checked. */
export interface GeometryInput {
  box?: Box;
  points?: Point[];
  mask?: MaskSource;
}

/** Checked, frozen geometry fields of one annotation. */
export interface Geometry {
  box?: Box;
  points?: Point[];
  mask?: MaskHandle;
}

/** What a shape draws while it is edited: its outline, or its pixels. */
export type ShapePreview =
  | { box: Box; points?: undefined; mask?: undefined }
  | { points: Point[]; closed: true; box?: undefined; mask?: undefined }
  | { mask: SparseMask; box?: undefined; points?: undefined };

/**
 * An annotation's size as a list shows it: a length, an area or a volume, in mm (mm², mm³) when the stack's
 * spacing is known, else in pixels.
 */
export interface ShapeMeasure {
  value: number;
  unit: 'mm' | 'mm²' | 'mm³' | 'px' | 'px²' | 'px³';
}

/** A measure of `dims` dimensions of `pixels` pixel units, in mm where `mm` (mm per pixel: x, y, z) is known. */
export function measureOf(
  pixels: number,
  dims: 1 | 2 | 3,
  mm?: readonly [number, number, number],
): ShapeMeasure {
  const units = { 1: ['mm', 'px'], 2: ['mm²', 'px²'], 3: ['mm³', 'px³'] } as const;
  if (!mm) return { value: pixels, unit: units[dims][1] };
  const scale = dims === 1 ? Math.sqrt(mm[0] * mm[1]) : dims === 2 ? mm[0] * mm[1] : mm[0] * mm[1] * mm[2];
  return { value: pixels * scale, unit: units[dims][0] };
}

/**
 * Everything the core knows about one kind of annotation. Code that needs a kind's geometry asks its shape
 * (`shapeOf(a)`) instead of branching on `kind`; a new kind is one more entry in `SHAPES`.
 */
export interface Shape<A extends Annotation = Annotation> {
  /** Checks the input's geometry for this kind and returns it frozen. Throws VoxmarkError('invalid-argument'). */
  build(input: GeometryInput, size: { width: number; height: number }): Geometry;
  /** A plain, unfrozen copy of the box or points (a mask's pixels are shared, never copied: `sparseOf`). */
  copy(a: A): GeometryInput;
  /** Bounds [minX, minY, maxX, maxY] in image pixels, or null for an empty mask. */
  bounds(a: A): Bounds | null;
  /** The geometry moved by (dx, dy), as fields for `update` (a mask moves by whole pixels). */
  translate(a: A, dx: number, dy: number): GeometryInput;
  /** Whether (x, y) is inside, or within `tol` of the outline. Callers check the bounds first. */
  hit(a: A, x: number, y: number, tol: number): boolean;
  /** Whether (x, y) is within `tol` of the outline (never true for a mask, which has no outline). */
  hitOutline(a: A, x: number, y: number, tol: number): boolean;
  /** What to draw for this annotation while a tool edits it. */
  preview(a: A): ShapePreview | null;
  /**
   * Its size for lists and reports (`<vx-annotation-list>`): area, length or volume, in mm when `mm` (mm per
   * pixel in x, y and z) is given, else in pixels. Optional: a kind without it shows no size.
   */
  measure?(a: A, mm?: readonly [number, number, number]): ShapeMeasure | null;
}

function bad(message: string): VoxmarkError {
  return new VoxmarkError(ErrorCode.InvalidArgument, message);
}

function finite(...v: number[]): boolean {
  return v.every((n) => typeof n === 'number' && Number.isFinite(n));
}

function boxCorners({ x, y, width: w, height: h }: Box): Point[] {
  return [
    [x, y],
    [x + w, y],
    [x + w, y + h],
    [x, y + h],
  ];
}

const boxShape: Shape<AnnotationOf<'box'>> = {
  build({ box: b }) {
    if (!b || !finite(b.x, b.y, b.width, b.height) || b.width < 0 || b.height < 0)
      throw bad('A box annotation needs box {x, y, width, height} with finite values and non-negative size');
    return { box: Object.freeze({ x: b.x, y: b.y, width: b.width, height: b.height }) };
  },
  copy: (a) => ({ box: { ...a.box } }),
  bounds: ({ box: b }) => [b.x, b.y, b.x + b.width, b.y + b.height],
  translate: (a, dx, dy) => ({ box: translateBox(a.box, dx, dy) }),
  hit: (a, x, y, tol) => hitBox(a.box, x, y, tol),
  hitOutline: (a, x, y, tol) => edgeAt(boxCorners(a.box), x, y, tol) !== null,
  preview: (a) => ({ box: a.box }),
  measure: (a, mm) => measureOf(a.box.width * a.box.height, 2, mm),
};

const polygonShape: Shape<AnnotationOf<'polygon'>> = {
  build({ points: p }) {
    if (!Array.isArray(p) || p.length < 3) throw bad('A polygon annotation needs at least 3 points');
    const points = p.map((q) => {
      if (!Array.isArray(q) || !finite(q[0], q[1])) throw bad('Polygon points must be finite [x, y] pairs');
      return Object.freeze([q[0], q[1]]) as Point;
    });
    return { points: Object.freeze(points) as Point[] };
  },
  copy: (a) => ({ points: a.points.map((p) => [p[0], p[1]] as Point) }),
  bounds: (a) => pointsBounds(a.points),
  translate: (a, dx, dy) => ({ points: translatePoints(a.points, dx, dy) }),
  hit: (a, x, y, tol) => pointInPolygon(a.points, x, y) || edgeAt(a.points, x, y, tol) !== null,
  hitOutline: (a, x, y, tol) => edgeAt(a.points, x, y, tol) !== null,
  preview: (a) => ({ points: a.points, closed: true }),
  measure: (a, mm) => measureOf(polygonArea(a.points), 2, mm),
};

const maskShape: Shape<AnnotationOf<'mask'>> = {
  build({ mask }, size) {
    if (!mask) throw bad('A mask annotation needs a mask');
    return { mask: new MaskHandle(toSparse(mask, size.width, size.height)) };
  },
  copy: () => ({}),
  bounds(a) {
    const m = sparseOf(a)?.bbox();
    return m ? [m[0], m[1], m[0] + m[2], m[1] + m[3]] : null;
  },
  translate(a, dx, dy) {
    const m = sparseOf(a);
    return m ? { mask: translateMask(m, Math.round(dx), Math.round(dy)) } : {};
  },
  hit: (a, x, y) => sparseOf(a)?.get(Math.floor(x), Math.floor(y)) === 1,
  hitOutline: () => false,
  preview(a) {
    const m = sparseOf(a);
    return m ? { mask: m } : null;
  },
  measure(a, mm) {
    const m = sparseOf(a);
    return m ? measureOf(m.area(), 2, mm) : null;
  },
};

/** The shape of every annotation kind. */
export const SHAPES: { readonly [K in AnnotationKind]: Shape<AnnotationOf<K>> } = Object.freeze({
  box: boxShape,
  polygon: polygonShape,
  mask: maskShape,
});

/** The shape of an annotation's kind. */
export function shapeOf<A extends Annotation>(a: A): Shape<A> {
  return SHAPES[a.kind] as unknown as Shape<A>;
}

/** The pixels behind a mask annotation of a document (frozen, shared), or undefined. */
export function sparseOf(a: Annotation): SparseMask | undefined {
  return a.mask instanceof MaskHandle ? a.mask.sparse : undefined;
}

/** Converts any accepted mask form into a frozen sparse mask of the document's size. */
export function toSparse(src: MaskSource, width: number, height: number): SparseMask {
  if (src instanceof SparseMask) {
    if (src.width !== width || src.height !== height)
      throw bad(`Mask is ${src.width}×${src.height}, the document ${width}×${height}`);
    return src.freeze();
  }
  if (!src || typeof src !== 'object') throw bad('Mask must be an object');
  if ('rle' in src && typeof src.rle === 'string') {
    const [x, y, w, h] = src.bbox;
    if (![x, y, w, h].every(Number.isInteger) || w < 0 || h < 0)
      throw bad('Mask bbox must be integers with a non-negative size');
    if (w * h > width * height) throw bad('Mask bbox is larger than the image');
    return SparseMask.fromRegion(decodeRle({ size: [h, w], counts: src.rle }), [x, y, w, h], width, height);
  }
  if ('bbox' in src && 'data' in src) {
    if (!Array.isArray(src.bbox) || !src.bbox.every(Number.isInteger) || src.bbox[2] < 0 || src.bbox[3] < 0)
      throw bad('Mask region bbox must be integers with a non-negative size');
    return SparseMask.fromRegion(src.data, src.bbox, width, height);
  }
  if ('data' in src && src.data instanceof Uint8Array) return SparseMask.fromFull(src.data, width, height);
  throw bad('Mask must be { data: Uint8Array }, { rle, bbox }, { bbox, data } or a SparseMask');
}
