/**
 * COCO export and import. One COCO image per slice (carrying the DICOM UIDs / frame or the TIFF page),
 * categories from the label schema (supercategory = the parent label's name), boxes as [x, y, w, h] with their
 * corners as a polygon `segmentation`, polygons as `segmentation` polygons with pycocotools' own area, masks as
 * COCO compressed RLE exactly as pycocotools writes it; crowd regions (`iscrowd: 1`) round-trip through the
 * `iscrowd` attribute. A volume is written as one RLE annotation per painted slice, all with its id in
 * `attributes.instance_id` and `track_id`.
 */
import { AnnotationDocument, type AnnotationInput } from '../annotation/document.js';
import { polygonArea } from '../annotation/primitives.js';
import type { Annotation, MaskRle, Point } from '../annotation/types.js';
import { ErrorCode, VoxmarkError } from '../errors.js';
import type { ImageStack } from '../image/types.js';
import { findLabel } from '../schema/parse.js';
import type { AttributeValue, LabelDef, LabelSchema } from '../schema/types.js';
import {
  Chunker,
  GENERATOR,
  isRecord,
  reportSkipped,
  type DocumentLike,
  type ExportOptions,
} from './common.js';
import { cocoPolygonArea } from './coco-polygon.js';
import { rasterizeBox, rasterizePolygon } from './rasterize.js';
import {
  decodeRle,
  encodeRle,
  maskToRegionRle,
  regionRleArea,
  regionRleToCoco,
  rleArea,
  rleToBbox,
  type CocoRle,
} from '../mask/rle.js';

export type { CocoRle } from '../mask/rle.js';

export interface CocoImage {
  id: number;
  width: number;
  height: number;
  file_name: string;
  /** Index of the slice in the stack (0-based). */
  voxmark_slice?: number;
  sop_instance_uid?: string;
  frame_number?: number;
  page?: number;
  study_instance_uid?: string;
  series_instance_uid?: string;
  [key: string]: unknown;
}

export interface CocoCategory {
  id: number;
  name: string;
  supercategory: string;
  /** LabelDef.id */
  voxmark_id?: string;
  color?: string;
  /** Keypoint names, for labels that allow lines or angles (their annotations are keypoints). */
  keypoints?: string[];
  /** 1-based keypoint pairs joined by a segment: a line's two ends, an angle's two arms. */
  skeleton?: [number, number][];
  [key: string]: unknown;
}

export interface CocoAnnotation {
  id: number;
  image_id: number;
  category_id: number;
  bbox: [number, number, number, number];
  area: number;
  iscrowd: 0 | 1;
  segmentation: number[][] | CocoRle;
  /**
   * Lines and angles: `[x, y, v]` per keypoint of the category, v = 2 (labelled, visible); a keypoint the
   * annotation lacks (a line in a category whose keypoints are an angle's three) is `0, 0, 0`.
   */
  keypoints?: number[];
  num_keypoints?: number;
  /** The voxmark kind of a keypoint annotation (`'line'` or `'angle'`), so that import restores it exactly. */
  voxmark_kind?: string;
  /** The voxmark instance id (Annotation.id). */
  voxmark_id?: string;
  /** For a slice of a volume annotation: the volume's id (also in `attributes.instance_id`). */
  track_id?: string;
  attributes?: Record<string, AttributeValue>;
  [key: string]: unknown;
}

export interface CocoDataset {
  info: Record<string, unknown>;
  licenses: unknown[];
  images: CocoImage[];
  categories: CocoCategory[];
  annotations: CocoAnnotation[];
  [key: string]: unknown;
}

export interface ToCocoOptions extends ExportOptions {
  /** Also write boxes and polygons as RLE masks (segmentation), e.g. for mask-only training. Default false. */
  rasterize?: boolean;
  /** Only these slices get a COCO image. Default: every slice. */
  slices?: number[];
  /** File name of each slice's image. Default `<series or 'slice'>_<index>.png`. */
  fileName?: (slice: number) => string;
  /**
   * How boxes are written when not rasterized. `'polygon'` (default): their four corners as a polygon
   * `segmentation`, so that pycocotools' `frPyObjects` (segm evaluation, `annToMask`) reads every annotation.
   * `'none'`: `segmentation: []`, for bbox-only pipelines that expect it.
   */
  boxSegmentation?: 'polygon' | 'none';
}

/** The attribute a COCO crowd region (`iscrowd: 1`) is kept in on import, and exported back from. */
export const CROWD_ATTRIBUTE = 'iscrowd';

/** `iscrowd` of an annotation, and its attributes without the crowd flag (which `iscrowd` carries). */
function crowdOf(a: Annotation): { iscrowd: 0 | 1; attributes?: Record<string, AttributeValue> } {
  if (!a.attributes) return { iscrowd: 0 };
  const { [CROWD_ATTRIBUTE]: crowd, ...rest } = a.attributes;
  const iscrowd = crowd === true || crowd === 1 ? 1 : 0;
  const attributes = crowd === undefined ? { ...a.attributes } : rest;
  return Object.keys(attributes).length > 0 || crowd === undefined ? { iscrowd, attributes } : { iscrowd };
}

/**
 * The document as a COCO dataset (plain JSON object). Never changes the document.
 * Category ids are the 1-based schema positions (the same values NIfTI export uses).
 */
export function toCoco(
  doc: DocumentLike,
  stack: ImageStack,
  schema: LabelSchema,
  options: ToCocoOptions = {},
): CocoDataset {
  const b = new CocoBuilder(doc, stack, schema, options);
  for (let i = 0; i < b.annotations.length; i++) b.add(i);
  return b.result();
}

/** Like toCoco, in chunks that yield to the event loop, with progress (`onProgress`) and abort (`signal`). */
export async function toCocoAsync(
  doc: DocumentLike,
  stack: ImageStack,
  schema: LabelSchema,
  options: ToCocoOptions = {},
): Promise<CocoDataset> {
  const b = new CocoBuilder(doc, stack, schema, options);
  const chunker = new Chunker(options, b.annotations.length, 'coco');
  for (let i = 0; i < b.annotations.length; i++) {
    b.add(i);
    await chunker.tick(i + 1);
  }
  await chunker.tick(b.annotations.length);
  return b.result();
}

class CocoBuilder {
  readonly annotations: readonly Annotation[];
  private readonly out: CocoAnnotation[] = [];
  private readonly images: CocoImage[];
  private readonly imageOfSlice = new Map<number, number>();
  private readonly categories: CocoCategory[];
  private readonly categoryOf = new Map<string, number>();
  private readonly labels = new Map<string, LabelDef>();

  constructor(
    doc: DocumentLike,
    private readonly stack: ImageStack,
    schema: LabelSchema,
    private readonly options: ToCocoOptions,
  ) {
    this.annotations = doc.annotations;
    const m = stack.metadata;
    const series = typeof m['seriesInstanceUID'] === 'string' ? m['seriesInstanceUID'] : 'slice';
    const slices = options.slices ?? stack.slices.map((_, i) => i);
    this.images = slices.map((i, n) => {
      const ref = stack.slices[i];
      if (!ref) throw new VoxmarkError(ErrorCode.OutOfRange, `Slice ${i} is not in the stack`);
      const img: CocoImage = {
        id: n + 1,
        width: stack.width,
        height: stack.height,
        file_name: options.fileName ? options.fileName(i) : `${series}_${String(i).padStart(4, '0')}.png`,
        voxmark_slice: i,
      };
      if (ref.sopInstanceUID !== undefined) img.sop_instance_uid = ref.sopInstanceUID;
      if (ref.frameNumber !== undefined) img.frame_number = ref.frameNumber;
      if (ref.page !== undefined) img.page = ref.page;
      if (typeof m['studyInstanceUID'] === 'string') img.study_instance_uid = m['studyInstanceUID'];
      if (typeof m['seriesInstanceUID'] === 'string') img.series_instance_uid = m['seriesInstanceUID'];
      this.imageOfSlice.set(i, img.id);
      return img;
    });
    this.categories = schema.labels.map((l, i) => {
      this.labels.set(l.id, l);
      this.categoryOf.set(l.id, i + 1);
      const parent = l.parent !== undefined ? findLabel(schema, l.parent) : undefined;
      return {
        id: i + 1,
        name: l.name,
        supercategory: parent ? parent.name : l.name,
        voxmark_id: l.id,
        color: l.color,
        ...keypointFields(l),
      };
    });
    const labels = new Set(this.labels.keys());
    reportSkipped(this.annotations, { labels, depth: stack.depth, masks: false }, options.onSkip);
  }

  /**
   * Writes annotation i: one COCO annotation, or for a volume one per painted slice, each carrying the
   * volume's id in `attributes.instance_id` and `track_id` so tracking-aware tools can regroup them.
   */
  add(i: number): void {
    const a = this.annotations[i]!;
    const categoryId = this.categoryOf.get(a.label);
    if (categoryId === undefined) return; // labels not in the schema
    const { iscrowd, attributes } = crowdOf(a);
    const parts: [number, MaskRle | undefined][] =
      a.kind === 'volume' ? a.mask.slices.map((m) => [m.z, m]) : [[a.slice, undefined]];
    for (const [slice, part] of parts) {
      const imageId = this.imageOfSlice.get(slice);
      if (imageId === undefined) continue; // other slices
      const geometry = part ? this.maskGeometry(part) : this.geometry(a);
      if (!geometry) continue;
      const ann: CocoAnnotation = {
        id: this.out.length + 1,
        image_id: imageId,
        category_id: categoryId,
        ...geometry,
        iscrowd,
        voxmark_id: a.id,
      };
      if (part) {
        ann.attributes = { ...attributes, instance_id: a.id };
        ann.track_id = a.id;
      } else if (attributes) ann.attributes = attributes;
      this.out.push(ann);
    }
  }

  /** bbox, area and RLE segmentation of a mask; undefined for an empty one (nothing to train on). */
  private maskGeometry(m: MaskRle): Pick<CocoAnnotation, 'bbox' | 'area' | 'segmentation'> | undefined {
    if (m.bbox[2] === 0 || m.bbox[3] === 0) return undefined;
    return {
      bbox: [m.bbox[0], m.bbox[1], m.bbox[2], m.bbox[3]],
      area: regionRleArea(m),
      segmentation: regionRleToCoco(m, this.stack.width, this.stack.height),
    };
  }

  /** bbox, area and segmentation of one annotation; undefined for nothing to write (an empty mask). */
  private geometry(a: Annotation): CocoGeometry | undefined {
    const { width: W, height: H } = this.stack;
    if (a.kind === 'line' || a.kind === 'angle') return keypointGeometry(a, this.labels.get(a.label));
    if (a.kind === 'mask' && a.mask) return this.maskGeometry(a.mask);
    let shape: Uint8Array;
    if (a.kind === 'box' && a.box) {
      const { x, y, width, height } = a.box;
      if (!this.options.rasterize) {
        const corners = [x, y, x + width, y, x + width, y + height, x, y + height];
        const segmentation = this.options.boxSegmentation === 'none' ? [] : [corners];
        return { bbox: [x, y, width, height], area: width * height, segmentation };
      }
      shape = rasterizeBox(a.box, W, H);
    } else if (a.kind === 'polygon' && a.points && a.points.length >= 3) {
      if (!this.options.rasterize) {
        return {
          bbox: pointsBbox(a.points),
          area: cocoPolygonArea(a.points, H, W),
          segmentation: [a.points.flatMap((p) => [p[0], p[1]])],
        };
      }
      shape = rasterizePolygon(a.points, W, H);
    } else return undefined;
    const segmentation = encodeRle(shape, W, H);
    return { bbox: rleToBbox(segmentation), area: rleArea(segmentation), segmentation };
  }

  result(): CocoDataset {
    const now = new Date();
    return {
      info: {
        description: 'Exported by voxmark',
        version: '1.0',
        year: now.getUTCFullYear(),
        contributor: `${GENERATOR.name} ${GENERATOR.version}`,
        date_created: now.toISOString(),
      },
      licenses: [],
      images: this.images,
      categories: this.categories,
      annotations: this.out,
    };
  }
}

type CocoGeometry = Pick<
  CocoAnnotation,
  'bbox' | 'area' | 'segmentation' | 'keypoints' | 'num_keypoints' | 'voxmark_kind'
>;

/** Keypoint names of a line, of an angle, and of a label that allows both (a line uses the first two). */
const LINE_KEYPOINTS = ['start', 'end'];
const ANGLE_KEYPOINTS = ['arm_end_1', 'vertex', 'arm_end_2'];
const BOTH_KEYPOINTS = ['point_1', 'point_2', 'point_3'];

/** The COCO `keypoints` and `skeleton` of a label that allows lines or angles; nothing for other labels. */
function keypointFields(l: LabelDef): Pick<CocoCategory, 'keypoints' | 'skeleton'> {
  const line = l.kinds.includes('line');
  const angle = l.kinds.includes('angle');
  if (!line && !angle) return {};
  if (!angle) return { keypoints: [...LINE_KEYPOINTS], skeleton: [[1, 2]] };
  return {
    keypoints: [...(line ? BOTH_KEYPOINTS : ANGLE_KEYPOINTS)],
    skeleton: [
      [1, 2],
      [2, 3],
    ],
  };
}

/**
 * A line or an angle as COCO keypoints of its category: every point visible (v = 2), padded with absent
 * keypoints (0, 0, 0) to the category's count; bbox of the points, area the bbox's, no segmentation.
 */
function keypointGeometry(a: Annotation, label: LabelDef | undefined): CocoGeometry {
  const points = a.points ?? [];
  const total = Math.max(points.length, label ? (keypointFields(label).keypoints?.length ?? 0) : 0);
  const keypoints: number[] = [];
  for (let k = 0; k < total; k++) {
    const p = points[k];
    keypoints.push(...(p ? [p[0], p[1], 2] : [0, 0, 0]));
  }
  const bbox = pointsBbox(points);
  return {
    bbox,
    area: bbox[2] * bbox[3],
    segmentation: [],
    keypoints,
    num_keypoints: points.length,
    voxmark_kind: a.kind,
  };
}

/**
 * A COCO keypoint annotation as a line or an angle: by `voxmark_kind`, else by its labelled keypoints (two:
 * a line, three: an angle), as the label allows. A string says why it cannot be one.
 */
function keypointInput(c: CocoAnnotation, label: LabelDef): AnnotationInput | string {
  const kp = c.keypoints as unknown;
  if (!Array.isArray(kp) || kp.length % 3 !== 0 || !kp.every((v) => Number.isFinite(v)))
    return 'keypoints must be [x, y, v] triples of numbers';
  const points: Point[] = [];
  for (let k = 0; k < kp.length; k += 3)
    if (kp[k + 2] > 0) points.push([kp[k] as number, kp[k + 1] as number]);
  const kind = c.voxmark_kind === 'line' || c.voxmark_kind === 'angle' ? c.voxmark_kind : undefined;
  const guess = kind ?? (points.length === 2 ? 'line' : points.length === 3 ? 'angle' : undefined);
  if (!guess) return `${points.length} labelled keypoints are neither a line (2) nor an angle (3)`;
  if (!label.kinds.includes(guess)) return `label '${label.name}' does not allow ${guess}s`;
  if (points.length !== (guess === 'line' ? 2 : 3))
    return `a ${guess} needs ${guess === 'line' ? 2 : 3} labelled keypoints, not ${points.length}`;
  return { label: label.id, slice: 0, kind: guess, points };
}

function pointsBbox(points: readonly Point[]): [number, number, number, number] {
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  for (const [x, y] of points) {
    x0 = Math.min(x0, x);
    y0 = Math.min(y0, y);
    x1 = Math.max(x1, x);
    y1 = Math.max(y1, y);
  }
  return [x0, y0, x1 - x0, y1 - y0];
}

export { polygonArea };

// ---- import ----

export interface FromCocoOptions {
  /** The label schema the annotations are mapped onto. */
  schema: LabelSchema;
  /** The stack the annotations belong to: images are matched to its slices by SOP Instance UID (+ frame) or page. */
  stack?: ImageStack;
  /** Image size when there is no stack. Default: the size of the first COCO image. */
  width?: number;
  height?: number;
  /** Explicit category → label mapping (COCO category id or name → LabelDef.id), tried first. */
  categoryMap?: Record<string, string>;
  /** Explicit image → slice mapping, tried first. Return undefined to fall back to the default matching. */
  imageToSlice?: (image: CocoImage) => number | undefined;
}

/** What fromCoco could not map. */
export interface CocoImportReport {
  imported: number;
  /** Categories that match no label, with how many annotations used them. */
  unmappedCategories: { id: number; name: string; annotations: number }[];
  /** Images that match no slice, with how many annotations were on them. */
  unmappedImages: { id: number; file_name?: string; annotations: number }[];
  /** Annotations skipped for another reason (bad geometry, kind not allowed, ...). */
  skipped: { index: number; id?: number; reason: string }[];
}

/**
 * Imports a COCO dataset (from voxmark or another tool) into a new AnnotationDocument. Categories map to
 * labels by `categoryMap`, then `voxmark_id`, then name or id (case-insensitive); images to slices by
 * `imageToSlice`, `voxmark_slice`, SOP Instance UID (+ frame number), TIFF page, then by order when there
 * are as many images as slices. Returns the document and a report of everything it could not map.
 * Throws VoxmarkError('invalid-document') when `coco` is not a COCO dataset at all.
 */
export function readCoco(
  coco: unknown,
  options: FromCocoOptions,
): { document: AnnotationDocument; report: CocoImportReport } {
  if (!isRecord(coco) || !Array.isArray(coco['images']) || !Array.isArray(coco['annotations'])) {
    throw new VoxmarkError(
      ErrorCode.InvalidDocument,
      'Not a COCO dataset: images and annotations lists are required',
    );
  }
  const images = (coco['images'] as unknown[]).filter(isRecord) as CocoImage[];
  const categories = (Array.isArray(coco['categories']) ? coco['categories'] : []).filter(
    isRecord,
  ) as CocoCategory[];
  const { W, H } = importSize(images, options);
  const depth = options.stack?.depth ?? images.length;
  const report: CocoImportReport = { imported: 0, unmappedCategories: [], unmappedImages: [], skipped: [] };
  const labelOf = mapCategories(categories, options);
  const sliceOf = mapImages(images, depth, options);
  const misses = { categories: new Map<number, number>(), images: new Map<number, number>() };
  const inputs: AnnotationInput[] = [];
  const usedIds = new Set<string>();
  (coco['annotations'] as unknown[]).forEach((raw, index) => {
    const input = importAnnotation(raw, index, { W, H, labelOf, sliceOf, usedIds, misses, report });
    if (input) inputs.push(input);
  });
  const document = new AnnotationDocument({ width: W, height: H, depth: Math.max(1, depth) });
  if (inputs.length > 0) document.add(inputs, { origin: 'silent' });
  report.imported = inputs.length;
  reportMisses(report, categories, images, labelOf, misses);
  return { document, report };
}

function importSize(images: CocoImage[], options: FromCocoOptions): { W: number; H: number } {
  const width = options.stack?.width ?? options.width ?? images[0]?.width;
  const height = options.stack?.height ?? options.height ?? images[0]?.height;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width! <= 0 || height! <= 0) {
    throw new VoxmarkError(
      ErrorCode.InvalidArgument,
      'fromCoco needs the image size (a stack, or width and height)',
    );
  }
  return { W: width!, H: height! };
}

/** Categories → labels: `categoryMap`, then `voxmark_id`, then name or id. */
function mapCategories(categories: CocoCategory[], options: FromCocoOptions): Map<number, LabelDef> {
  const schema = options.schema;
  const byName = new Map<string, LabelDef>();
  for (const l of schema.labels) {
    byName.set(nameKey(l.id), l);
    byName.set(nameKey(l.name), l);
  }
  const labelOf = new Map<number, LabelDef>();
  for (const c of categories) {
    const explicit = options.categoryMap?.[String(c.id)] ?? options.categoryMap?.[c.name];
    const l =
      (explicit !== undefined ? findLabel(schema, explicit) : undefined) ??
      (typeof c.voxmark_id === 'string' ? findLabel(schema, c.voxmark_id) : undefined) ??
      (typeof c.name === 'string' ? byName.get(nameKey(c.name)) : undefined);
    if (l) labelOf.set(c.id, l);
  }
  return labelOf;
}

/** Images → slices: `imageToSlice`, SOP Instance UID (+ frame), page, `voxmark_slice`, then order. */
function mapImages(images: CocoImage[], depth: number, options: FromCocoOptions): Map<number, number> {
  const stack = options.stack;
  const sliceOf = new Map<number, number>();
  const sorted = [...images].sort((a, b) => a.id - b.id);
  sorted.forEach((img, order) => {
    let s = options.imageToSlice?.(img);
    if (s === undefined && stack && img.sop_instance_uid !== undefined) {
      s = stack.slices.findIndex(
        (r) =>
          r.sopInstanceUID === img.sop_instance_uid &&
          (img.frame_number === undefined || (r.frameNumber ?? 1) === img.frame_number),
      );
      if (s < 0) s = undefined;
    }
    if (s === undefined && stack && img.page !== undefined) {
      s = stack.slices.findIndex((r) => r.page === img.page);
      if (s < 0) s = undefined;
    }
    if (s === undefined && Number.isInteger(img.voxmark_slice)) s = img.voxmark_slice;
    if (s === undefined && images.length === depth) s = order;
    if (s !== undefined && Number.isInteger(s) && s >= 0 && s < depth) sliceOf.set(img.id, s);
  });
  return sliceOf;
}

interface ImportContext {
  W: number;
  H: number;
  labelOf: Map<number, LabelDef>;
  sliceOf: Map<number, number>;
  usedIds: Set<string>;
  misses: { categories: Map<number, number>; images: Map<number, number> };
  report: CocoImportReport;
}

/** One COCO annotation as an annotation input, or undefined (counted as a miss or reported as skipped). */
function importAnnotation(raw: unknown, index: number, ctx: ImportContext): AnnotationInput | undefined {
  const { report, misses } = ctx;
  if (!isRecord(raw)) {
    report.skipped.push({ index, reason: 'not an object' });
    return undefined;
  }
  const c = raw as unknown as CocoAnnotation;
  const id = typeof c.id === 'number' ? c.id : undefined;
  const skip = (reason: string) =>
    report.skipped.push({ index, ...(id !== undefined ? { id } : {}), reason });
  const label = ctx.labelOf.get(c.category_id);
  if (!label) {
    misses.categories.set(c.category_id, (misses.categories.get(c.category_id) ?? 0) + 1);
    return undefined;
  }
  const slice = ctx.sliceOf.get(c.image_id);
  if (slice === undefined) {
    misses.images.set(c.image_id, (misses.images.get(c.image_id) ?? 0) + 1);
    return undefined;
  }
  let input: AnnotationInput | string;
  const notes: string[] = [];
  try {
    input = cocoGeometry(c, label, ctx.W, ctx.H, notes);
  } catch (e) {
    input = `segmentation cannot be read: ${(e as Error).message}`;
  }
  if (typeof input === 'string') {
    skip(input);
    return undefined;
  }
  for (const note of notes) skip(note);
  input.slice = slice;
  if (typeof c.voxmark_id === 'string' && c.voxmark_id && !ctx.usedIds.has(c.voxmark_id))
    input.id = c.voxmark_id;
  if (input.id) ctx.usedIds.add(input.id);
  const attrs = c.attributes;
  if (isRecord(attrs)) {
    const clean: Record<string, AttributeValue> = {};
    for (const [k, v] of Object.entries(attrs))
      if (['string', 'number', 'boolean'].includes(typeof v)) clean[k] = v as AttributeValue;
    if (Object.keys(clean).length > 0) input.attributes = clean;
  }
  // A crowd region stays one, as an attribute that exports back as iscrowd: 1.
  if (c.iscrowd === 1) input.attributes = { ...input.attributes, [CROWD_ATTRIBUTE]: true };
  return input;
}

/** Unmapped categories (used or not) and images, with how many annotations each held. */
function reportMisses(
  report: CocoImportReport,
  categories: CocoCategory[],
  images: CocoImage[],
  labelOf: Map<number, LabelDef>,
  misses: ImportContext['misses'],
): void {
  const catName = new Map(categories.map((c) => [c.id, c.name]));
  for (const [cid, n] of misses.categories)
    report.unmappedCategories.push({ id: cid, name: String(catName.get(cid) ?? ''), annotations: n });
  for (const c of categories)
    if (!labelOf.has(c.id) && !misses.categories.has(c.id))
      report.unmappedCategories.push({ id: c.id, name: c.name, annotations: 0 });
  const imgName = new Map(images.map((i) => [i.id, i.file_name]));
  for (const [iid, n] of misses.images) {
    const name = imgName.get(iid);
    report.unmappedImages.push({
      id: iid,
      ...(name !== undefined ? { file_name: name } : {}),
      annotations: n,
    });
  }
}

/** How category names are compared: trimmed, case-insensitive, and in one Unicode form (NFD from macOS tools). */
function nameKey(name: string): string {
  return name.normalize('NFC').trim().toLowerCase();
}

/** Imports a COCO dataset into a new AnnotationDocument (see readCoco for the mapping and the report). */
export function fromCoco(coco: unknown, options: FromCocoOptions): AnnotationDocument {
  return readCoco(coco, options).document;
}

/** `notes` receives what was left out of an annotation that is still imported (reported as skipped). */
function cocoGeometry(
  c: CocoAnnotation,
  label: LabelDef,
  W: number,
  H: number,
  notes: string[] = [],
): AnnotationInput | string {
  const base = { label: label.id, slice: 0 };
  // Keypoints are a line or an angle for labels that allow them; other labels read the segmentation.
  const measures = label.kinds.includes('line') || label.kinds.includes('angle');
  if (c.keypoints !== undefined && measures) return keypointInput(c, label);
  const seg = c.segmentation as unknown;
  const allows = (k: 'box' | 'polygon' | 'mask') => label.kinds.includes(k);
  let mask: Uint8Array | undefined;
  if (Array.isArray(seg) && seg.length > 0 && !(allows('box') && isBoxOutline(seg, c.bbox))) {
    const polys = (seg as unknown[]).filter(
      (p): p is number[] => Array.isArray(p) && p.length >= 6 && p.every((v) => Number.isFinite(v)),
    );
    if (polys.length === 0) return 'polygon segmentation has no usable polygon';
    const toPoints = (p: number[]) => {
      const pts: Point[] = [];
      for (let k = 0; k + 1 < p.length; k += 2) pts.push([p[k]!, p[k + 1]!]);
      return pts;
    };
    if (polys.length === 1 && allows('polygon'))
      return { ...base, kind: 'polygon', points: toPoints(polys[0]!) };
    if (allows('mask')) {
      mask = new Uint8Array(W * H);
      // Several parts of one instance: their union (pycocotools merges them the same way).
      for (const p of polys) {
        const part = rasterizePolygon(toPoints(p), W, H);
        for (let k = 0; k < part.length; k++) mask[k]! |= part[k]!;
      }
    } else if (allows('polygon')) {
      // One polygon cannot hold several parts: keep the largest and say what was left out.
      const parts = polys.map(toPoints);
      const areas = parts.map(polygonArea);
      const keep = areas.indexOf(Math.max(...areas));
      notes.push(
        `polygon has ${parts.length} parts; label '${label.name}' allows no masks, so only part ${keep + 1} (the largest) was imported`,
      );
      return { ...base, kind: 'polygon', points: parts[keep]! };
    }
  } else if (isRecord(seg) && 'counts' in seg) {
    const rle = seg as unknown as CocoRle;
    if (!Array.isArray(rle.size) || rle.size[0] !== H || rle.size[1] !== W)
      return `RLE size ${JSON.stringify(rle.size)} is not [${H}, ${W}]`;
    if (allows('mask')) mask = decodeRle(rle);
    else if (allows('box')) {
      const [x, y, w, h] = rleToBbox(rle);
      return { ...base, kind: 'box', box: { x, y, width: w, height: h } };
    }
  }
  if (mask) {
    const region = maskToRegionRle(mask, W, H);
    if (!region) return 'the mask is empty';
    return { ...base, kind: 'mask', mask: region };
  }
  const b = c.bbox;
  if (
    allows('box') &&
    Array.isArray(b) &&
    b.length === 4 &&
    b.every((v) => Number.isFinite(v)) &&
    b[2] >= 0 &&
    b[3] >= 0
  ) {
    // Other tools' boxes may reach past the image (rounding, augmentation): clip them to it.
    const x0 = Math.max(0, b[0]);
    const y0 = Math.max(0, b[1]);
    const x1 = Math.min(W, b[0] + b[2]);
    const y1 = Math.min(H, b[1] + b[3]);
    if (x1 <= x0 || y1 <= y0) return `bbox ${JSON.stringify(b)} lies outside the ${W}×${H} image`;
    if (x0 !== b[0] || y0 !== b[1] || x1 !== b[0] + b[2] || y1 !== b[1] + b[3])
      notes.push(`bbox ${JSON.stringify(b)} was clipped to the ${W}×${H} image`);
    return { ...base, kind: 'box', box: { x: x0, y: y0, width: x1 - x0, height: y1 - y0 } };
  }
  return `label '${label.name}' allows none of the geometry this annotation has`;
}

/** Whether a segmentation is the four corners of the bbox, as voxmark writes a box: it imports as that box. */
function isBoxOutline(seg: unknown[], bbox: unknown): boolean {
  if (seg.length !== 1 || !Array.isArray(bbox) || bbox.length !== 4) return false;
  const [x, y, w, h] = bbox as number[];
  const corners = [x, y, x! + w!, y, x! + w!, y! + h!, x, y! + h!];
  const poly = seg[0];
  return Array.isArray(poly) && poly.length === 8 && poly.every((v, i) => v === corners[i]);
}
