/**
 * NIfTI-1 labelmap export: one volume of the stack's size whose voxel values are the 1-based schema
 * positions of the labels (0 = background), with the affine in RAS+ from the DICOM geometry (or the pixel
 * size for TIFF) written as both sform and qform. `.nii`, or `.nii.gz` through CompressionStream('gzip').
 */
import type { Annotation } from '../annotation/types.js';
import { ErrorCode, VoxmarkError } from '../errors.js';
import type { ImageStack } from '../image/types.js';
import { findLabel } from '../schema/parse.js';
import type { LabelSchema } from '../schema/types.js';
import {
  Chunker,
  GENERATOR,
  bySlice,
  reportSkipped,
  type DocumentLike,
  type ExportOptions,
} from './common.js';
import { rasterizeBox, rasterizePolygon } from './rasterize.js';
import { paintRegionRle } from '../mask/rle.js';

export interface ToNiftiOptions extends ExportOptions {
  /** Write `.nii.gz` (gzip) instead of `.nii`. Default false. */
  gzip?: boolean;
  /** Also burn boxes and polygons into the labelmap. Default false: masks only. */
  rasterize?: boolean;
}

/** A 4×4 matrix, row-major: voxel (i, j, k, 1) → world (x, y, z, 1). */
export type Affine = [number[], number[], number[], number[]];

const HEADER_SIZE = 348;
const VOX_OFFSET = 352;
const NIFTI_INTENT_LABEL = 1002;
const DT_UINT8 = 2;
const DT_UINT16 = 512;

/** NIfTI xyzt_units code and the factor that turns the stack's spacing unit into it. */
function spatialUnits(unit: unknown): { code: number; scale: number } {
  switch (unit) {
    case 'mm':
    case undefined:
      return { code: 2, scale: 1 };
    case 'µm':
    case 'um':
      return { code: 3, scale: 1 };
    case 'cm':
      return { code: 2, scale: 10 };
    case 'inch':
      return { code: 2, scale: 25.4 };
    case 'm':
      return { code: 1, scale: 1 };
    default:
      return { code: 0, scale: 1 }; // 'pixel' or unknown
  }
}

/**
 * The voxel → RAS+ world affine of a stack. DICOM: from ImageOrientationPatient, the first slice's
 * ImagePositionPatient, the pixel spacing and the slice step (from the first to the last slice position when
 * known, else the normal × spacing), flipped from DICOM's LPS to RAS. Otherwise: a diagonal of the spacing.
 */
export function stackAffine(stack: ImageStack): Affine {
  const [dx, dy, dz] = stack.spacing;
  const iop = stack.metadata['imageOrientationPatient'] as number[] | undefined;
  const p0 = stack.slices[0]?.position;
  if (stack.format === 'dicom' && iop && iop.length === 6 && p0) {
    const row = iop.slice(0, 3);
    const col = iop.slice(3, 6);
    let step: number[];
    const pn = stack.slices[stack.depth - 1]?.position;
    if (stack.depth > 1 && pn) step = [0, 1, 2].map((a) => (pn[a]! - p0[a]!) / (stack.depth - 1));
    else {
      const n = [
        row[1]! * col[2]! - row[2]! * col[1]!,
        row[2]! * col[0]! - row[0]! * col[2]!,
        row[0]! * col[1]! - row[1]! * col[0]!,
      ];
      step = n.map((v) => v * dz);
    }
    const lps = [0, 1, 2].map((a) => [row[a]! * dx, col[a]! * dy, step[a]!, p0[a]!]);
    // LPS → RAS: negate x and y.
    return [lps[0]!.map((v) => -v), lps[1]!.map((v) => -v), lps[2]!, [0, 0, 0, 1]];
  }
  const { scale } = spatialUnits(stack.metadata['spacingUnit']);
  return [
    [dx * scale, 0, 0, 0],
    [0, dy * scale, 0, 0],
    [0, 0, dz * scale, 0],
    [0, 0, 0, 1],
  ];
}

/** NIfTI quaternion parameters of an affine (nifti_mat44_to_quatern). */
export function affineToQuaternion(m: Affine): {
  b: number;
  c: number;
  d: number;
  qfac: number;
  pixdim: [number, number, number];
  offset: [number, number, number];
} {
  const col = (j: number) => [m[0]![j]!, m[1]![j]!, m[2]![j]!];
  const len = (v: number[]) => Math.hypot(v[0]!, v[1]!, v[2]!) || 1;
  const c0 = col(0);
  const c1 = col(1);
  const c2 = col(2);
  const pixdim: [number, number, number] = [len(c0), len(c1), len(c2)];
  const [r11, r21, r31] = c0.map((v) => v / pixdim[0]) as [number, number, number];
  const [r12, r22, r32] = c1.map((v) => v / pixdim[1]) as [number, number, number];
  let [r13, r23, r33] = c2.map((v) => v / pixdim[2]) as [number, number, number];
  // Orthogonalise lightly is not needed for DICOM geometry; only the handedness matters.
  const det = r11 * (r22 * r33 - r32 * r23) - r12 * (r21 * r33 - r31 * r23) + r13 * (r21 * r32 - r31 * r22);
  let qfac = 1;
  if (det < 0) {
    qfac = -1;
    r13 = -r13;
    r23 = -r23;
    r33 = -r33;
  }
  let a = r11 + r22 + r33 + 1;
  let b: number;
  let c: number;
  let d: number;
  if (a > 0.5) {
    a = 0.5 * Math.sqrt(a);
    b = (0.25 * (r32 - r23)) / a;
    c = (0.25 * (r13 - r31)) / a;
    d = (0.25 * (r21 - r12)) / a;
  } else {
    const xd = 1 + r11 - (r22 + r33);
    const yd = 1 + r22 - (r11 + r33);
    const zd = 1 + r33 - (r11 + r22);
    if (xd > 1) {
      b = 0.5 * Math.sqrt(xd);
      c = (0.25 * (r12 + r21)) / b;
      d = (0.25 * (r13 + r31)) / b;
      a = (0.25 * (r32 - r23)) / b;
    } else if (yd > 1) {
      c = 0.5 * Math.sqrt(yd);
      b = (0.25 * (r12 + r21)) / c;
      d = (0.25 * (r23 + r32)) / c;
      a = (0.25 * (r13 - r31)) / c;
    } else {
      d = 0.5 * Math.sqrt(zd);
      b = (0.25 * (r13 + r31)) / d;
      c = (0.25 * (r23 + r32)) / d;
      a = (0.25 * (r21 - r12)) / d;
    }
    if (a < 0) {
      b = -b;
      c = -c;
      d = -d;
    }
  }
  return { b, c, d, qfac, pixdim, offset: [m[0]![3]!, m[1]![3]!, m[2]![3]!] };
}

/** The 352-byte NIfTI-1 single-file header (348 + an empty extension flag). */
export function niftiHeader(
  dims: [number, number, number],
  affine: Affine,
  options: { datatype: number; units: number; maxValue: number; description?: string; xform: number },
): Uint8Array<ArrayBuffer> {
  const buf = new Uint8Array(VOX_OFFSET);
  const v = new DataView(buf.buffer);
  const LE = true;
  const ascii = (off: number, len: number, s: string) => {
    for (let i = 0; i < Math.min(len - 1, s.length); i++) buf[off + i] = s.charCodeAt(i) & 0x7f;
  };
  v.setInt32(0, HEADER_SIZE, LE);
  buf[38] = 'r'.charCodeAt(0);
  const dim = [3, dims[0], dims[1], dims[2], 1, 1, 1, 1];
  dim.forEach((d, i) => v.setInt16(40 + 2 * i, d, LE));
  v.setInt16(68, NIFTI_INTENT_LABEL, LE);
  v.setInt16(70, options.datatype, LE);
  v.setInt16(72, options.datatype === DT_UINT8 ? 8 : 16, LE);
  const q = affineToQuaternion(affine);
  const pixdim = [q.qfac, q.pixdim[0], q.pixdim[1], q.pixdim[2], 1, 1, 1, 1];
  pixdim.forEach((p, i) => v.setFloat32(76 + 4 * i, p, LE));
  v.setFloat32(108, VOX_OFFSET, LE);
  v.setFloat32(112, 1, LE); // scl_slope
  v.setFloat32(116, 0, LE); // scl_inter
  buf[123] = options.units;
  v.setFloat32(124, options.maxValue, LE); // cal_max
  v.setFloat32(128, 0, LE); // cal_min
  ascii(148, 80, options.description ?? `${GENERATOR.name} ${GENERATOR.version} labelmap`);
  v.setInt16(252, options.xform, LE); // qform_code
  v.setInt16(254, options.xform, LE); // sform_code
  v.setFloat32(256, q.b, LE);
  v.setFloat32(260, q.c, LE);
  v.setFloat32(264, q.d, LE);
  v.setFloat32(268, q.offset[0], LE);
  v.setFloat32(272, q.offset[1], LE);
  v.setFloat32(276, q.offset[2], LE);
  for (let r = 0; r < 3; r++)
    for (let c = 0; c < 4; c++) v.setFloat32(280 + 16 * r + 4 * c, affine[r]![c]!, LE);
  ascii(328, 16, 'labels');
  ascii(344, 4, 'n+1');
  return buf;
}

/**
 * The labelmap volume of a document as NIfTI-1 bytes (`.nii`, or `.nii.gz` with `{ gzip: true }`).
 * Voxel value = 1-based position of the label in the schema, 0 = background; where annotations overlap the
 * later one in document order wins. Boxes and polygons are included with `{ rasterize: true }`.
 * Works slice by slice, yielding to the event loop, with `onProgress`. Never changes the document.
 */
export async function toNifti(
  doc: DocumentLike,
  stack: ImageStack,
  schema: LabelSchema,
  options: ToNiftiOptions = {},
): Promise<ArrayBuffer> {
  const { width: W, height: H, depth: D } = stack;
  if (schema.labels.length > 65535) throw new VoxmarkError(ErrorCode.Unsupported, 'More than 65535 labels');
  const wide = schema.labels.length > 255;
  const values = new Map(schema.labels.map((l, i) => [l.id, i + 1]));
  const isDicom =
    stack.format === 'dicom' && !!stack.metadata['imageOrientationPatient'] && !!stack.slices[0]?.position;
  const header = niftiHeader([W, H, D], stackAffine(stack), {
    datatype: wide ? DT_UINT16 : DT_UINT8,
    units: isDicom ? 2 : spatialUnits(stack.metadata['spacingUnit']).code,
    maxValue: schema.labels.length,
    xform: isDicom ? 1 : 2, // scanner anatomical for DICOM, aligned for TIFF
  });
  const groups = bySlice(doc.annotations);
  const context = { labels: new Set(values.keys()), depth: D, masks: true };
  reportSkipped(doc.annotations, { ...context, rasterize: !!options.rasterize }, options.onSkip);
  const sliceBytes = W * H * (wide ? 2 : 1);
  const chunker = new Chunker(options, D, 'nifti');
  const scratch = new Uint8Array(W * H);
  const rasterize = options.rasterize ?? false;
  /** Paints slice k into `target` (a row-major W×H image at `offset`, already zero). */
  const paintSlice = (k: number, target: Uint8Array | Uint16Array, offset: number) => {
    for (const a of groups.get(k) ?? []) {
      const value = values.get(a.label);
      if (value) paintAnnotation(a, target, W, H, value, rasterize, scratch, offset);
    }
  };

  if (!options.gzip) {
    const out = new ArrayBuffer(VOX_OFFSET + sliceBytes * D);
    new Uint8Array(out).set(header, 0);
    const volume = wide ? new Uint16Array(out, VOX_OFFSET) : new Uint8Array(out, VOX_OFFSET);
    for (let k = 0; k < D; k++) {
      paintSlice(k, volume, k * W * H);
      await chunker.tick(k + 1);
    }
    await chunker.tick(D);
    return out;
  }
  const cs = new CompressionStream('gzip');
  const writer = cs.writable.getWriter();
  const collected = new Response(cs.readable).arrayBuffer();
  collected.catch(() => undefined);
  try {
    await writer.write(header);
    for (let k = 0; k < D; k++) {
      const slice = wide ? new Uint16Array(W * H) : new Uint8Array(W * H);
      paintSlice(k, slice, 0);
      await writer.write(new Uint8Array(slice.buffer as ArrayBuffer));
      await chunker.tick(k + 1);
    }
    await chunker.tick(D);
    await writer.close();
  } catch (e) {
    await writer.abort(e).catch(() => undefined);
    throw e;
  }
  return collected;
}

/** Paints one annotation with `value` into a row-major slice. */
export function paintAnnotation(
  a: Annotation,
  target: Uint8Array | Uint16Array,
  W: number,
  H: number,
  value: number,
  rasterize: boolean,
  scratch: Uint8Array,
  offset = 0,
): void {
  if (a.kind === 'mask' && a.mask) {
    if (a.mask.bbox[2] > 0 && a.mask.bbox[3] > 0) paintRegionRle(a.mask, target, W, H, value, offset);
    return;
  }
  if (!rasterize) return;
  scratch.fill(0);
  if (a.kind === 'box' && a.box) rasterizeBox(a.box, W, H, scratch);
  else if (a.kind === 'polygon' && a.points) rasterizePolygon(a.points, W, H, scratch);
  else return;
  for (let i = 0; i < scratch.length; i++) if (scratch[i]) target[offset + i] = value;
}

/** The sidecar JSON written next to a NIfTI labelmap: label values, names and colours. */
export interface NiftiSidecar {
  generator: string;
  background: 0;
  labels: { value: number; id: string; name: string; color: string; parent?: string; parentName?: string }[];
  source?: Record<string, string>;
}

/** The sidecar JSON for a NIfTI labelmap written with this schema (and stack, for its identifiers). */
export function niftiSidecar(schema: LabelSchema, stack?: ImageStack): NiftiSidecar {
  const out: NiftiSidecar = {
    generator: `${GENERATOR.name} ${GENERATOR.version}`,
    background: 0,
    labels: schema.labels.map((l, i) => {
      const e: NiftiSidecar['labels'][number] = { value: i + 1, id: l.id, name: l.name, color: l.color };
      if (l.parent !== undefined) {
        e.parent = l.parent;
        const p = findLabel(schema, l.parent);
        if (p) e.parentName = p.name;
      }
      return e;
    }),
  };
  if (stack) {
    const src: Record<string, string> = {};
    for (const k of ['studyInstanceUID', 'seriesInstanceUID', 'frameOfReferenceUID', 'patientId'] as const) {
      const v = stack.metadata[k];
      if (typeof v === 'string') src[k] = v;
    }
    if (Object.keys(src).length > 0) out.source = src;
  }
  return out;
}
