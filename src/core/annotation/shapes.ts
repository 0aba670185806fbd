import { ErrorCode, VoxmarkError } from '../errors.js';
import { MaskHandle, type MaskRle } from '../mask/mask-handle.js';
import { decodeRle } from '../mask/rle.js';
import { type MaskRegion, SparseMask } from '../mask/sparse-mask.js';
import { SparseVolume } from '../mask/sparse-volume.js';
import { isVolumeRle, VolumeHandle, volumeFromRle, type VolumeRle } from '../mask/volume-handle.js';
import {
  type Bounds,
  edgeAt,
  hitBox,
  pointInPolygon,
  pointsBounds,
  segmentDistance2,
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

/** Volume forms a document accepts for a 'volume' annotation. */
export type VolumeSource =
  | MaskInput // dense, width × height × depth, index z·w·h + y·w + x, non-zero = inside
  | VolumeRle // the serialized form: a COCO RLE per painted slice
  | SparseVolume // adopted and frozen
  | VolumeHandle; // another volume annotation's handle (shared, never copied)

/** The geometry fields an annotation input may carry, before they are checked. */
export interface GeometryInput {
  box?: Box;
  points?: Point[];
  mask?: MaskSource | VolumeSource;
}

/** Checked, frozen geometry fields of one annotation. */
export interface Geometry {
  box?: Box;
  points?: Point[];
  mask?: MaskHandle | VolumeHandle;
}

/** The stack size a shape builds for: width and height, and the number of slices when known. */
export interface StackSize {
  width: number;
  height: number;
  depth?: number | undefined;
}

/** What a shape draws while it is edited: its outline, or its pixels. */
export type ShapePreview =
  | { box: Box; points?: undefined; mask?: undefined }
  | { points: Point[]; closed: boolean; box?: undefined; mask?: undefined }
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
  /**
   * Whether the kind is pixels rather than an outline: drawn as a raster, moved by whole pixels and cropped at
   * the image edge (an outline stops at the edge instead).
   */
  readonly pixels?: boolean;
  /** Checks the input's geometry for this kind and returns it frozen. Throws VoxmarkError('invalid-argument'). */
  build(input: GeometryInput, size: StackSize): Geometry;
  /** A plain, unfrozen copy of the box or points (a mask's pixels are shared, never copied: `sparseOf`). */
  copy(a: A): GeometryInput;
  /**
   * Bounds [minX, minY, maxX, maxY] in image pixels, or null for an empty mask. `slice` matters only for a
   * volume (default its `slice`): the bounds of its voxels on that slice.
   */
  bounds(a: A, slice?: number): Bounds | null;
  /** The geometry moved by (dx, dy), as fields for `update` (a mask moves by whole pixels). */
  translate(a: A, dx: number, dy: number): GeometryInput;
  /**
   * Whether (x, y) is inside, or within `tol` of the outline. Callers check the bounds first. `slice` matters
   * only for a volume (default its `slice`).
   */
  hit(a: A, x: number, y: number, tol: number, slice?: number): boolean;
  /** Whether (x, y) is within `tol` of the outline (never true for a mask, which has no outline). */
  hitOutline(a: A, x: number, y: number, tol: number): boolean;
  /** What to draw for this annotation while a tool edits it (for a volume: its mask on `slice`). */
  preview(a: A, slice?: number): ShapePreview | null;
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
  pixels: true,
  build({ mask }, size) {
    if (!mask) throw bad('A mask annotation needs a mask');
    if (mask instanceof VolumeHandle || mask instanceof SparseVolume || isVolumeRle(mask))
      throw bad('A mask annotation needs a 2D mask, not a volume');
    return { mask: new MaskHandle(toSparse(mask, size.width, size.height)) };
  },
  copy: () => ({}),
  bounds: (a) => maskBounds(sparseOf(a)),
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

function maskBounds(m: SparseMask | undefined): Bounds | null {
  const b = m?.bbox();
  return b ? [b[0], b[1], b[0] + b[2], b[1] + b[3]] : null;
}

/** A volume's shape works on one slice at a time: the `slice` argument, else the annotation's first slice. */
const volumeShape: Shape<AnnotationOf<'volume'>> = {
  pixels: true,
  build: ({ mask }, size) => ({ mask: toVolumeHandle(mask, size) }),
  copy: () => ({}),
  bounds: (a, slice = a.slice) => maskBounds(volumeOf(a)?.slice(slice)),
  translate(a, dx, dy) {
    const v = volumeOf(a);
    if (!v) return {};
    const [mx, my] = [Math.round(dx), Math.round(dy)];
    const moved = v.paintedSlices().map((z) => [z, translateMask(v.slice(z)!, mx, my)] as const);
    return { mask: SparseVolume.fromSlices(v.width, v.height, v.depth, moved) };
  },
  hit: (a, x, y, _tol, slice = a.slice) => volumeOf(a)?.get(Math.floor(x), Math.floor(y), slice) === 1,
  hitOutline: () => false,
  preview(a, slice = a.slice) {
    const m = volumeOf(a)?.slice(slice);
    return m ? { mask: m } : null;
  },
  measure(a, mm) {
    const v = volumeOf(a);
    return v ? measureOf(v.voxelCount(), 3, mm) : null;
  },
};
/** Whether (x, y) is within `tol` of the open polyline through `points`. */
function nearPolyline(points: readonly Point[], x: number, y: number, tol: number): boolean {
  for (let i = 0; i + 1 < points.length; i++)
    if (segmentDistance2(points[i]!, points[i + 1]!, x, y).d2 <= tol * tol) return true;
  return false;
}

/**
 * The shape of a measurement: an open polyline of exactly `n` points (a line: 2; an angle: 3, the vertex in
 * the middle). It has no inside: a press hits it within `tol` of its segments.
 */
function measurementShape(kind: 'line' | 'angle', n: number): Shape<AnnotationOf<'line' | 'angle'>> {
  return {
    build({ points: p }) {
      if (!Array.isArray(p) || p.length !== n) throw bad(`A ${kind} annotation needs exactly ${n} points`);
      const points = p.map((q) => {
        if (!Array.isArray(q) || !finite(q[0], q[1])) throw bad(`${kind} points must be finite [x, y] pairs`);
        return Object.freeze([q[0], q[1]]) as Point;
      });
      return { points: Object.freeze(points) as Point[] };
    },
    copy: (a) => ({ points: a.points.map((p) => [p[0], p[1]] as Point) }),
    bounds: (a) => pointsBounds(a.points),
    translate: (a, dx, dy) => ({ points: translatePoints(a.points, dx, dy) }),
    hit: (a, x, y, tol) => nearPolyline(a.points, x, y, tol),
    hitOutline: (a, x, y, tol) => nearPolyline(a.points, x, y, tol),
    preview: (a) => ({ points: a.points, closed: false }),
  };
}

/** The shape of every annotation kind. */
export const SHAPES: { readonly [K in AnnotationKind]: Shape<AnnotationOf<K>> } = Object.freeze({
  box: boxShape,
  polygon: polygonShape,
  mask: maskShape,
  volume: volumeShape,
  line: measurementShape('line', 2),
  angle: measurementShape('angle', 3),
});

/** The shape of an annotation's kind. */
export function shapeOf<A extends Annotation>(a: A): Shape<A> {
  return SHAPES[a.kind] as unknown as Shape<A>;
}

/** The pixels behind a mask annotation of a document (frozen, shared), or undefined. */
export function sparseOf(a: Annotation): SparseMask | undefined {
  return a.mask instanceof MaskHandle ? a.mask.sparse : undefined;
}

/** The voxels behind a volume annotation of a document (frozen, shared: `clone()` to change), or undefined. */
export function volumeOf(a: Annotation): SparseVolume | undefined {
  return a.mask instanceof VolumeHandle ? a.mask.volume : undefined;
}

/** The serialized form of an annotation's mask or volume, as a plain object with its own arrays. */
export function plainMask(mask: MaskRle | VolumeRle): MaskRle | VolumeRle {
  if (isVolumeRle(mask))
    return { depth: mask.depth, slices: mask.slices.map((s) => ({ z: s.z, rle: s.rle, bbox: [...s.bbox] })) };
  const [x, y, w, h] = mask.bbox;
  return { rle: mask.rle, bbox: [x, y, w, h] };
}

/**
 * Converts any accepted volume form into a frozen VolumeHandle of the stack's size. A dense volume must be
 * width × height × depth bytes, depth being the document's when it knows it (else any whole number of
 * slices); a serialized one must have the document's depth. Throws VoxmarkError('invalid-argument').
 */
export function toVolumeHandle(src: VolumeSource | MaskSource | undefined, size: StackSize): VolumeHandle {
  const { width, height, depth } = size;
  if (!src || typeof src !== 'object') throw bad('A volume annotation needs a mask (its voxels)');
  const checkDepth = (d: number) => {
    if (depth !== undefined && d !== depth) throw bad(`The volume has ${d} slices, the stack ${depth}`);
  };
  if (src instanceof VolumeHandle || src instanceof SparseVolume) {
    const v = src instanceof VolumeHandle ? src.volume : src;
    if (v.width !== width || v.height !== height)
      throw bad(`The volume is ${v.width}×${v.height}, the document ${width}×${height}`);
    checkDepth(v.depth);
    return src instanceof VolumeHandle ? src : new VolumeHandle(src);
  }
  if (isVolumeRle(src)) {
    checkDepth(src.depth);
    return new VolumeHandle(volumeFromRle(src, width, height));
  }
  if ('data' in src && src.data instanceof Uint8Array && !('bbox' in src)) {
    const area = width * height;
    const d = depth ?? src.data.length / area;
    if (src.data.length !== area * d || !Number.isInteger(d) || d < 1)
      throw bad(
        `Volume data holds ${src.data.length} bytes; a ${width}×${height}×${depth ?? 'n'} stack needs ${depth === undefined ? 'a multiple of ' + area : area * depth}`,
      );
    return new VolumeHandle(SparseVolume.fromVolume({ data: src.data, width, height, depth: d }));
  }
  throw bad('A volume must be { data: Uint8Array }, { depth, slices }, a SparseVolume or a VolumeHandle');
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
