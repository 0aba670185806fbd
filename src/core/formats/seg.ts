/**
 * DICOM Segmentation export and import (binary SEG, Segmentation Storage 1.2.840.10008.5.1.4.1.1.66.4).
 *
 * toDicomSeg writes one segment per label used, one frame per (segment, slice) that has pixels, with the
 * shared functional groups (pixel measures, plane orientation) and per-frame groups (derivation and source
 * image references, frame content with dimension index values, plane position, segment identification),
 * 1-bit packed frames, as Part 10 bytes through voxmark's DICOM writer. fromDicomSeg reads binary (and
 * fractional, thresholded) SEGs back as masks, whichever tool wrote them.
 */
import { AnnotationDocument, type AnnotationInput } from '../annotation/document.js';
import { element as el, writeDicomFile, type DicomDataset } from '../dicom/writer.js';
import { ErrorCode, VoxmarkError, toVoxmarkError } from '../errors.js';
import type { DataSet } from '../dicom/dicom-parser.js';
import { parseDicomBytes, type ParsedDicom } from '../image/dicom/parse.js';
import { decodedText } from '../image/dicom/text.js';
import type { ImageStack, StackMetadata } from '../image/types.js';
import { findLabel, labelAncestors } from '../schema/parse.js';
import type { CodedConcept, LabelDef, LabelSchema } from '../schema/types.js';
import {
  Chunker,
  GENERATOR,
  bySlice,
  reportSkipped,
  type DocumentLike,
  type ExportOptions,
} from './common.js';
import { paintAnnotation } from './nifti.js';
import { maskToRegionRle } from '../mask/rle.js';

export const SEGMENTATION_STORAGE = '1.2.840.10008.5.1.4.1.1.66.4';

/** Default coded concepts for labels that declare none (SNOMED CT "Tissue"). */
export const DEFAULT_SEGMENT_CATEGORY: CodedConcept = { value: '85756007', scheme: 'SCT', meaning: 'Tissue' };
export const DEFAULT_SEGMENT_TYPE: CodedConcept = { value: '85756007', scheme: 'SCT', meaning: 'Tissue' };

export interface ToDicomSegOptions extends ExportOptions {
  /** Burn boxes and polygons into the segments too. Default false: mask annotations only. */
  rasterize?: boolean;
  /** Series Description (0008,103E). Default 'voxmark segmentation'. */
  seriesDescription?: string;
  /** Series Number (0020,0011). Default 300. */
  seriesNumber?: number;
  /** Content Creator's Name (0070,0084), a DICOM person name. */
  contentCreatorName?: string;
  /** UIDs to use instead of fresh ones (for reproducible files). */
  seriesInstanceUID?: string;
  sopInstanceUID?: string;
  /** Content date and time. Default now. */
  date?: Date;
}

/** A fresh DICOM UID under the 2.25 root (a random UUID as a decimal integer). */
export function createUid(): string {
  const c = (globalThis as { crypto?: Crypto }).crypto;
  const b = new Uint8Array(16);
  if (c?.getRandomValues) c.getRandomValues(b);
  else for (let i = 0; i < 16; i++) b[i] = Math.floor(Math.random() * 256);
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  let n = 0n;
  for (const v of b) n = (n << 8n) | BigInt(v);
  return `2.25.${n.toString()}`;
}

function code(c: CodedConcept): DicomDataset {
  return [
    el(0x0008, 0x0100, 'SH', c.value),
    el(0x0008, 0x0102, 'SH', c.scheme),
    el(0x0008, 0x0104, 'LO', c.meaning),
  ];
}

/** The coded category and type of a label: its own, else its nearest ancestor's, else the defaults. */
export function segmentCodes(
  schema: LabelSchema,
  label: LabelDef,
): { category: CodedConcept; type: CodedConcept } {
  const chain = [label, ...labelAncestors(schema, label.id)];
  return {
    category: chain.find((l) => l.category)?.category ?? DEFAULT_SEGMENT_CATEGORY,
    type: chain.find((l) => l.type)?.type ?? DEFAULT_SEGMENT_TYPE,
  };
}

/** '#rrggbb' → DICOM RecommendedDisplayCIELabValue (L*a*b* scaled to 0…65535, D65). */
export function rgbToDicomLab(color: string): [number, number, number] {
  const n = parseInt(color.slice(1), 16);
  const lin = (v: number) => {
    const c = v / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  const [r, g, b] = [lin((n >> 16) & 255), lin((n >> 8) & 255), lin(n & 255)];
  const x = (0.4124564 * r + 0.3575761 * g + 0.1804375 * b) / 0.95047;
  const y = 0.2126729 * r + 0.7151522 * g + 0.072175 * b;
  const z = (0.0193339 * r + 0.119192 * g + 0.9503041 * b) / 1.08883;
  const f = (t: number) => (t > 216 / 24389 ? Math.cbrt(t) : (841 / 108) * t + 4 / 29);
  const L = 116 * f(y) - 16;
  const A = 500 * (f(x) - f(y));
  const B = 200 * (f(y) - f(z));
  const clamp = (v: number) => Math.max(0, Math.min(65535, Math.round(v)));
  return [clamp((L * 65535) / 100), clamp(((A + 128) * 65535) / 255), clamp(((B + 128) * 65535) / 255)];
}

function dicomDate(d: Date): { date: string; time: string } {
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return {
    date: `${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}`,
    time: `${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}`,
  };
}

/** A Type 3 attribute: written only when the source has a value. */
function optional(group: number, element: number, vr: Parameters<typeof el>[2], value: string): DicomDataset {
  return value === '' ? [] : [el(group, element, vr, value)];
}

interface Frame {
  segment: number;
  slice: number;
  mask: Uint8Array;
}

/** The source identifiers a SEG must reference. */
interface SegSource {
  studyUID: string;
  seriesUID: string;
  sopClassUID: string;
}

/** The segments to write: label ids in schema order, their segment numbers, and every frame with pixels. */
interface RenderedSegments {
  labels: string[];
  numbers: Map<string, number>;
  frames: Frame[];
}

/**
 * The document's masks as a DICOM Segmentation (Part 10 bytes). One segment per label that has pixels, in
 * schema order; one frame per segment and slice with pixels. Never changes the document.
 *
 * The Patient and General Study attributes are those of the source (the stack's metadata, read from its first
 * instance): de-identified values when the source was de-identified, and the source's ISO 8859-1 character set
 * when it declares one and every text fits, so that the SEG and its images agree byte for byte.
 * Throws VoxmarkError('unsupported') for stacks without DICOM references (TIFF) and ('export-failed')
 * when there is nothing to write.
 */
export async function toDicomSeg(
  doc: DocumentLike,
  stack: ImageStack,
  schema: LabelSchema,
  options: ToDicomSegOptions = {},
): Promise<ArrayBuffer> {
  const metadata: StackMetadata = stack.metadata;
  const source = segSource(stack);
  const chunker = new Chunker(options, stack.depth, 'seg');
  const rendered = await renderSegments(doc, stack, schema, options, chunker);
  const packed = await packFrames(rendered.frames, stack.width * stack.height, options);
  const ds: DicomDataset = [
    ...instanceAttributes(stack, options),
    ...patientAndStudy(metadata, source),
    ...referencedSeries(stack, rendered.frames, source),
    ...segmentationImage(stack, rendered, packed),
    el(0x0062, 0x0002, 'SQ', segmentSequence(schema, rendered)),
    ...functionalGroups(stack, rendered.frames, source),
  ];
  try {
    const bytes = writeInCharacterSet(ds, metadata.specificCharacterSet);
    await chunker.tick(stack.depth);
    return bytes.buffer as ArrayBuffer;
  } catch (e) {
    throw toVoxmarkError(e, ErrorCode.ExportFailed, 'DICOM SEG export');
  }
}

/** Checks that the stack is DICOM with every reference a SEG needs. */
function segSource(stack: ImageStack): SegSource {
  const m: StackMetadata = stack.metadata;
  if (stack.format !== 'dicom' || stack.slices.some((s) => !s.sopInstanceUID)) {
    throw new VoxmarkError(
      ErrorCode.Unsupported,
      'DICOM SEG export needs a DICOM stack (every slice with a SOP Instance UID)',
    );
  }
  const { studyInstanceUID: studyUID, seriesInstanceUID: seriesUID, sopClassUID } = m;
  if (typeof studyUID !== 'string' || typeof seriesUID !== 'string' || typeof sopClassUID !== 'string') {
    throw new VoxmarkError(
      ErrorCode.Unsupported,
      'DICOM SEG export needs the study, series and SOP class UIDs of the source',
    );
  }
  return { studyUID, seriesUID, sopClassUID };
}

/** Renders every (label, slice) mask and keeps those with pixels, numbered by schema order. */
async function renderSegments(
  doc: DocumentLike,
  stack: ImageStack,
  schema: LabelSchema,
  options: ToDicomSegOptions,
  chunker: Chunker,
): Promise<RenderedSegments> {
  const { width: W, height: H } = stack;
  const groups = bySlice(doc.annotations);
  const scratch = new Uint8Array(W * H);
  const labelOrder = new Map(schema.labels.map((l, i) => [l.id, i]));
  const context = { labels: new Set(labelOrder.keys()), depth: stack.depth, masks: true };
  reportSkipped(doc.annotations, { ...context, rasterize: !!options.rasterize }, options.onSkip);
  const perLabel = new Map<string, Frame[]>();
  for (let k = 0; k < stack.depth; k++) {
    const anns = groups.get(k);
    if (anns) {
      const masks = new Map<string, Uint8Array>();
      for (const a of anns) {
        if (!labelOrder.has(a.label)) continue;
        let mask = masks.get(a.label);
        if (!mask) masks.set(a.label, (mask = new Uint8Array(W * H)));
        paintAnnotation(a, mask, W, H, 1, options.rasterize ?? false, scratch);
      }
      for (const [label, mask] of masks) {
        if (mask.indexOf(1) < 0) continue;
        let list = perLabel.get(label);
        if (!list) perLabel.set(label, (list = []));
        list.push({ segment: 0, slice: k, mask });
      }
    }
    await chunker.tick(k + 1);
  }
  const labels = [...perLabel.keys()].sort((a, b) => labelOrder.get(a)! - labelOrder.get(b)!);
  const numbers = new Map(labels.map((id, i) => [id, i + 1]));
  const frames: Frame[] = [];
  for (const id of labels)
    for (const f of perLabel.get(id)!) frames.push({ ...f, segment: numbers.get(id)! });
  if (frames.length === 0) {
    throw new VoxmarkError(
      ErrorCode.ExportFailed,
      options.rasterize
        ? 'Nothing to export: no annotation on the stack has pixels for a schema label'
        : 'Nothing to export: no mask on the stack has pixels for a schema label (boxes and polygons need { rasterize: true })',
    );
  }
  return { labels, numbers, frames };
}

/** 1-bit packed frames, contiguous with no padding between frames (PS3.5 8.1.1), LSB first. */
async function packFrames(frames: Frame[], pixels: number, options: ExportOptions): Promise<Uint8Array> {
  const packed = new Uint8Array(Math.ceil((pixels * frames.length) / 8));
  let bit = 0;
  const packer = new Chunker(options, frames.length, 'seg-pack');
  for (let n = 0; n < frames.length; n++) {
    const mk = frames[n]!.mask;
    if ((bit & 7) === 0) {
      let byte = bit >> 3;
      let i = 0;
      for (; i + 8 <= pixels; i += 8, byte++) {
        packed[byte] =
          mk[i]! |
          (mk[i + 1]! << 1) |
          (mk[i + 2]! << 2) |
          (mk[i + 3]! << 3) |
          (mk[i + 4]! << 4) |
          (mk[i + 5]! << 5) |
          (mk[i + 6]! << 6) |
          (mk[i + 7]! << 7);
      }
      for (; i < pixels; i++) if (mk[i]) packed[(bit + i) >> 3]! |= 1 << ((bit + i) & 7);
    } else {
      for (let i = 0; i < pixels; i++) if (mk[i]) packed[(bit + i) >> 3]! |= 1 << ((bit + i) & 7);
    }
    bit += pixels;
    await packer.tick(n + 1);
  }
  return packed;
}

/** SOP Common, General Series, Segmentation Series, Enhanced General Equipment and content attributes. */
function instanceAttributes(stack: ImageStack, options: ToDicomSegOptions): DicomDataset {
  const { date, time } = dicomDate(options.date ?? new Date());
  const seriesUID = options.seriesInstanceUID ?? createUid();
  const sopUID = options.sopInstanceUID ?? createUid();
  const ds: DicomDataset = [
    el(0x0008, 0x0008, 'CS', ['DERIVED', 'PRIMARY']),
    el(0x0008, 0x0016, 'UI', SEGMENTATION_STORAGE),
    el(0x0008, 0x0018, 'UI', sopUID),
    el(0x0008, 0x0023, 'DA', date),
    el(0x0008, 0x0033, 'TM', time),
    el(0x0008, 0x0060, 'CS', 'SEG'),
    el(0x0008, 0x0070, 'LO', 'voxmark'),
    el(0x0008, 0x103e, 'LO', options.seriesDescription ?? 'voxmark segmentation'),
    el(0x0008, 0x1090, 'LO', 'voxmark'),
    el(0x0018, 0x1000, 'LO', '1'),
    el(0x0018, 0x1020, 'LO', `${GENERATOR.name} ${GENERATOR.version}`),
    el(0x0020, 0x000e, 'UI', seriesUID),
    el(0x0020, 0x0011, 'IS', options.seriesNumber ?? 300),
    el(0x0020, 0x0013, 'IS', 1),
    el(0x0020, 0x1040, 'LO', ''),
    el(0x0070, 0x0080, 'CS', 'VOXMARK'),
    el(0x0070, 0x0081, 'LO', 'Segmentation made with voxmark'),
    el(0x0070, 0x0084, 'PN', options.contentCreatorName ?? ''),
  ];
  const frameOfReference = (stack.metadata as StackMetadata).frameOfReferenceUID;
  if (typeof frameOfReference === 'string') ds.push(el(0x0020, 0x0052, 'UI', frameOfReference));
  return ds;
}

/**
 * The Patient and General Study modules as the source has them: Type 2 attributes always (empty when the
 * source has none), Study Description and the de-identification flags when the source has them.
 */
function patientAndStudy(metadata: StackMetadata, source: SegSource): DicomDataset {
  const str = (k: keyof StackMetadata) => (typeof metadata[k] === 'string' ? (metadata[k] as string) : '');
  return [
    el(0x0008, 0x0020, 'DA', str('studyDate')),
    el(0x0008, 0x0030, 'TM', str('studyTime')),
    el(0x0008, 0x0050, 'SH', str('accessionNumber')),
    el(0x0008, 0x0090, 'PN', str('referringPhysicianName')),
    ...optional(0x0008, 0x1030, 'LO', str('studyDescription')),
    el(0x0010, 0x0010, 'PN', str('patientName')),
    el(0x0010, 0x0020, 'LO', str('patientId')),
    el(0x0010, 0x0030, 'DA', str('patientBirthDate')),
    el(0x0010, 0x0040, 'CS', str('patientSex')),
    ...optional(0x0012, 0x0062, 'CS', str('patientIdentityRemoved')),
    ...optional(0x0012, 0x0063, 'LO', str('deidentificationMethod')),
    el(0x0020, 0x000d, 'UI', source.studyUID),
    el(0x0020, 0x0010, 'SH', str('studyId')),
  ];
}

/** Common Instance Reference: the source series and those of its instances that have frames in the SEG. */
function referencedSeries(stack: ImageStack, frames: Frame[], source: SegSource): DicomDataset {
  const referenced = [...new Set(frames.map((f) => stack.slices[f.slice]!.sopInstanceUID!))];
  const instances = referenced.map((uid) => [
    el(0x0008, 0x1150, 'UI', source.sopClassUID),
    el(0x0008, 0x1155, 'UI', uid),
  ]);
  return [
    el(0x0008, 0x1115, 'SQ', [
      [el(0x0008, 0x114a, 'SQ', instances), el(0x0020, 0x000e, 'UI', source.seriesUID)],
    ]),
  ];
}

/** Image Pixel, Segmentation Image and Multi-frame Dimension attributes, with the packed pixel data. */
function segmentationImage(stack: ImageStack, rendered: RenderedSegments, packed: Uint8Array): DicomDataset {
  const dimOrg = createUid();
  return [
    el(0x0020, 0x9221, 'SQ', [[el(0x0020, 0x9164, 'UI', dimOrg)]]),
    el(0x0020, 0x9222, 'SQ', [
      [
        el(0x0020, 0x9164, 'UI', dimOrg),
        el(0x0020, 0x9165, 'AT', 0x0062000b),
        el(0x0020, 0x9167, 'AT', 0x0062000a),
        el(0x0020, 0x9421, 'LO', 'ReferencedSegmentNumber'),
      ],
      [
        el(0x0020, 0x9164, 'UI', dimOrg),
        el(0x0020, 0x9165, 'AT', 0x00200032),
        el(0x0020, 0x9167, 'AT', 0x00209113),
        el(0x0020, 0x9421, 'LO', 'ImagePositionPatient'),
      ],
    ]),
    el(0x0028, 0x0002, 'US', 1),
    el(0x0028, 0x0004, 'CS', 'MONOCHROME2'),
    el(0x0028, 0x0008, 'IS', rendered.frames.length),
    el(0x0028, 0x0010, 'US', stack.height),
    el(0x0028, 0x0011, 'US', stack.width),
    el(0x0028, 0x0100, 'US', 1),
    el(0x0028, 0x0101, 'US', 1),
    el(0x0028, 0x0102, 'US', 0),
    el(0x0028, 0x0103, 'US', 0),
    el(0x0028, 0x2110, 'CS', '00'),
    el(0x0062, 0x0001, 'CS', 'BINARY'),
    el(0x7fe0, 0x0010, 'OB', packed),
  ];
}

/** One Segment Sequence item per label written, with its coded category and type and display colour. */
function segmentSequence(schema: LabelSchema, rendered: RenderedSegments): DicomDataset[] {
  return rendered.labels.map((id) => {
    const label = findLabel(schema, id)!;
    const { category, type } = segmentCodes(schema, label);
    return [
      el(0x0062, 0x0004, 'US', rendered.numbers.get(id)!),
      el(0x0062, 0x0005, 'LO', label.name.slice(0, 64)),
      el(0x0062, 0x0008, 'CS', 'MANUAL'),
      el(0x0062, 0x0003, 'SQ', [code(category)]),
      el(0x0062, 0x000f, 'SQ', [code(type)]),
      el(0x0062, 0x000d, 'US', rgbToDicomLab(label.color)),
      el(0x0062, 0x0006, 'ST', label.id),
    ];
  });
}

/** Shared (pixel measures, plane orientation) and per-frame functional groups. */
function functionalGroups(stack: ImageStack, frames: Frame[], source: SegSource): DicomDataset {
  const iop = (stack.metadata as StackMetadata).imageOrientationPatient;
  const [dx, dy, dz] = stack.spacing;
  const shared: DicomDataset = [
    el(0x0028, 0x9110, 'SQ', [
      [el(0x0028, 0x0030, 'DS', [dy, dx]), el(0x0018, 0x0050, 'DS', dz), el(0x0018, 0x0088, 'DS', dz)],
    ]),
  ];
  if (iop) shared.push(el(0x0020, 0x9116, 'SQ', [[el(0x0020, 0x0037, 'DS', iop)]]));
  const perFrame: DicomDataset[] = frames.map((f) => {
    const ref = stack.slices[f.slice]!;
    const sourceImage: DicomDataset = [
      el(0x0008, 0x1150, 'UI', source.sopClassUID),
      el(0x0008, 0x1155, 'UI', ref.sopInstanceUID!),
      el(0x0040, 0xa170, 'SQ', [
        code({ value: '121322', scheme: 'DCM', meaning: 'Source image for image processing operation' }),
      ]),
    ];
    if (ref.frameNumber !== undefined) sourceImage.push(el(0x0008, 0x1160, 'IS', ref.frameNumber));
    const item: DicomDataset = [
      el(0x0008, 0x9124, 'SQ', [
        [
          el(0x0008, 0x2112, 'SQ', [sourceImage]),
          el(0x0008, 0x9215, 'SQ', [code({ value: '113076', scheme: 'DCM', meaning: 'Segmentation' })]),
        ],
      ]),
      el(0x0020, 0x9111, 'SQ', [[el(0x0020, 0x9157, 'UL', [f.segment, f.slice + 1])]]),
      el(0x0062, 0x000a, 'SQ', [[el(0x0062, 0x000b, 'US', f.segment)]]),
    ];
    if (ref.position) item.push(el(0x0020, 0x9113, 'SQ', [[el(0x0020, 0x0032, 'DS', ref.position)]]));
    return item;
  });
  return [el(0x5200, 0x9229, 'SQ', [shared]), el(0x5200, 0x9230, 'SQ', perFrame)];
}

/**
 * Writes the dataset in the source's ISO 8859-1 (ISO_IR 100) when the source declares it and every text
 * fits, so names compare equal byte for byte with the source's; in UTF-8 (ISO_IR 192) otherwise.
 */
function writeInCharacterSet(ds: DicomDataset, sourceCharacterSet: string | undefined): Uint8Array {
  if (sourceCharacterSet?.replace(/\0/g, '').trim() === 'ISO_IR 100') {
    try {
      return writeDicomFile([el(0x0008, 0x0005, 'CS', 'ISO_IR 100'), ...ds]);
    } catch (e) {
      if (!VoxmarkError.is(e, ErrorCode.InvalidArgument)) throw e;
    }
  }
  return writeDicomFile([el(0x0008, 0x0005, 'CS', 'ISO_IR 192'), ...ds]);
}

// ---- reading ----

export interface SegSegment {
  number: number;
  label: string;
  description?: string;
  algorithmType?: string;
  category?: CodedConcept;
  type?: CodedConcept;
  /** RecommendedDisplayCIELabValue, as stored. */
  cielab?: [number, number, number];
}

export interface SegFrame {
  /** 0-based frame index in the SEG. */
  index: number;
  segment: number;
  /** The source image this frame was derived from, when the SEG says. */
  sopInstanceUID?: string;
  frameNumber?: number;
  position?: [number, number, number];
  /** Row-major mask, rows × columns, 1 = inside. */
  data: Uint8Array;
}

export interface SegReadResult {
  rows: number;
  columns: number;
  segmentationType: string;
  sopInstanceUID?: string;
  seriesInstanceUID?: string;
  studyInstanceUID?: string;
  frameOfReferenceUID?: string;
  imageOrientationPatient?: number[];
  pixelSpacing?: number[];
  segments: SegSegment[];
  frames: SegFrame[];
}

export interface FromDicomSegOptions {
  signal?: AbortSignal;
  /** With a stack and a schema, fromDicomSeg also builds an AnnotationDocument on the stack. */
  stack?: ImageStack;
  schema?: LabelSchema;
  /** Fractional SEGs: values ≥ threshold × MaximumFractionalValue are inside. Default 0.5. */
  threshold?: number;
}

export interface SegImportResult extends SegReadResult {
  /** Present when a stack and a schema were given. */
  document?: AnnotationDocument;
  /** Frames or segments that could not be placed on the stack or mapped to a label. */
  report?: { unmappedSegments: SegSegment[]; unmappedFrames: number[]; imported: number };
}

function dsString(ds: DataSet, t: string): string | undefined {
  const v = ds.string(t);
  return v === undefined || v === '' ? undefined : v.trim();
}

function dsNumbers(ds: DataSet, t: string): number[] | undefined {
  const v = ds.string(t);
  if (v === undefined || v === '') return undefined;
  const out = v.split('\\').map(Number);
  return out.every(Number.isFinite) ? out : undefined;
}

function items(ds: DataSet | undefined, t: string): DataSet[] {
  const e = ds?.elements[t];
  return (e?.items ?? []).map((i) => i.dataSet).filter((d): d is DataSet => !!d);
}

/** A text value decoded as UTF-8 when the SEG declares ISO_IR 192 (dicom-parser's string() reads Latin-1). */
function dsText(ds: DataSet, t: string, utf8: boolean): string | undefined {
  return utf8 ? decodedText(ds, t, 'utf-8') : dsString(ds, t);
}

function codeOf(ds: DataSet | undefined, utf8 = false): CodedConcept | undefined {
  if (!ds) return undefined;
  const value = dsString(ds, 'x00080100') ?? dsString(ds, 'x00080119') ?? dsString(ds, 'x00080120');
  const scheme = dsString(ds, 'x00080102');
  const meaning = dsText(ds, 'x00080104', utf8);
  return value && scheme && meaning ? { value, scheme, meaning } : undefined;
}

/**
 * Reads a DICOM Segmentation (binary, or fractional thresholded) into masks, one per frame, with the segment
 * definitions and each frame's source image reference and position. With `stack` and `schema` it also
 * builds an AnnotationDocument: frames are placed on slices by source SOP Instance UID (and frame number),
 * else by position; segments map to labels by label id (SegmentDescription), then name.
 * Throws VoxmarkError('not-an-image' / 'corrupt' / 'unsupported').
 */
export async function fromDicomSeg(
  input: ArrayBuffer | Uint8Array,
  options: FromDicomSegOptions = {},
): Promise<SegImportResult> {
  const bytes = input instanceof Uint8Array ? input : new Uint8Array(input);
  const parsed = await parseDicomBytes(bytes, options.signal ? { signal: options.signal } : {});
  const ds = parsed.dataSet;
  const pixels = segPixels(parsed, options);
  const utf8 = (dsString(ds, 'x00080005') ?? '').includes('ISO_IR 192');
  const segments = items(ds, 'x00620002').map((s) => readSegment(s, utf8));
  const frames = readFrames(ds, pixels, segments);
  const result: SegImportResult = {
    rows: pixels.rows,
    columns: pixels.columns,
    segmentationType: pixels.segmentationType,
    segments,
    frames,
  };
  readIdentifiers(ds, result);
  if (options.stack && options.schema)
    Object.assign(result, segToDocument(result, options.stack, options.schema));
  return result;
}

/** A SEG's geometry and pixel data, checked: binary (1 bit) or fractional (8 bits, thresholded). */
interface SegPixels {
  rows: number;
  columns: number;
  frames: number;
  bitsAllocated: number;
  segmentationType: string;
  data: Uint8Array;
  /** Fractional values at or above this are inside. */
  threshold: number;
}

function segPixels(parsed: ParsedDicom, options: FromDicomSegOptions): SegPixels {
  const ds = parsed.dataSet;
  const sopClass = dsString(ds, 'x00080016');
  const modality = dsString(ds, 'x00080060');
  if (sopClass !== SEGMENTATION_STORAGE && modality !== 'SEG') {
    throw new VoxmarkError(ErrorCode.Unsupported, 'Not a DICOM Segmentation (SOP class / modality)');
  }
  const rows = ds.uint16('x00280010') ?? 0;
  const columns = ds.uint16('x00280011') ?? 0;
  const bitsAllocated = ds.uint16('x00280100') ?? 0;
  const frames = Number(dsString(ds, 'x00280008') ?? '1');
  const segmentationType = dsString(ds, 'x00620001') ?? 'BINARY';
  if (!(rows > 0 && columns > 0 && Number.isInteger(frames) && frames > 0)) {
    throw new VoxmarkError(ErrorCode.Corrupt, `Bad SEG geometry: ${columns}×${rows}, ${frames} frames`);
  }
  if (!(bitsAllocated === 1 || bitsAllocated === 8)) {
    throw new VoxmarkError(ErrorCode.Unsupported, `SEG with ${bitsAllocated} bits allocated`);
  }
  const pix = ds.elements['x7fe00010'];
  if (!pix) throw new VoxmarkError(ErrorCode.NoPixelData, 'The SEG has no pixel data');
  if (pix.encapsulatedPixelData) throw new VoxmarkError(ErrorCode.Unsupported, 'Compressed SEG pixel data');
  const pixels = rows * columns;
  const need = bitsAllocated === 1 ? Math.ceil((pixels * frames) / 8) : pixels * frames;
  if (pix.length < need || pix.dataOffset + need > parsed.bytes.length) {
    throw new VoxmarkError(
      ErrorCode.Truncated,
      `SEG pixel data holds ${pix.length} bytes, ${frames} frames need ${need}`,
    );
  }
  const maxFrac = ds.uint16('x00620010') ?? 255;
  return {
    rows,
    columns,
    frames,
    bitsAllocated,
    segmentationType,
    data: parsed.bytes.subarray(pix.dataOffset, pix.dataOffset + need),
    threshold: Math.max(1, Math.ceil((options.threshold ?? 0.5) * maxFrac)),
  };
}

/** One Segment Sequence item. */
function readSegment(s: DataSet, utf8: boolean): SegSegment {
  const seg: SegSegment = { number: s.uint16('x00620004') ?? 0, label: dsText(s, 'x00620005', utf8) ?? '' };
  const desc = dsText(s, 'x00620006', utf8);
  if (desc) seg.description = desc;
  const alg = dsString(s, 'x00620008');
  if (alg) seg.algorithmType = alg;
  const cat = codeOf(items(s, 'x00620003')[0], utf8);
  if (cat) seg.category = cat;
  const type = codeOf(items(s, 'x0062000f')[0], utf8);
  if (type) seg.type = type;
  const lab = s.elements['x0062000d'];
  if (lab && lab.length >= 6)
    seg.cielab = [s.uint16('x0062000d', 0)!, s.uint16('x0062000d', 1)!, s.uint16('x0062000d', 2)!];
  return seg;
}

/** Every frame's mask, segment, source image and position (per-frame groups, else the shared ones). */
function readFrames(ds: DataSet, pixels: SegPixels, segments: SegSegment[]): SegFrame[] {
  const sharedFG = items(ds, 'x52009229')[0];
  const perFrameFG = items(ds, 'x52009230');
  const frames: SegFrame[] = [];
  for (let f = 0; f < pixels.frames; f++) {
    const pf = perFrameFG[f];
    const group = (t: string) => items(pf, t)[0] ?? items(sharedFG, t)[0];
    const segment =
      group('x0062000a')?.uint16('x0062000b') ?? (segments.length === 1 ? segments[0]!.number : 1);
    const frame: SegFrame = { index: f, segment, data: frameMask(pixels, f) };
    const src = items(group('x00089124'), 'x00082112')[0];
    if (src) {
      const uid = dsString(src, 'x00081155');
      if (uid) frame.sopInstanceUID = uid;
      const fn = dsNumbers(src, 'x00081160');
      if (fn && fn.length > 0) frame.frameNumber = fn[0]!;
    }
    const pos = dsNumbers(
      group('x00209113') ?? ({ string: () => undefined } as unknown as DataSet),
      'x00200032',
    );
    if (pos && pos.length === 3) frame.position = pos as [number, number, number];
    frames.push(frame);
  }
  return frames;
}

/** Frame `f` as a 0/1 mask: bits unpacked LSB first across frame boundaries, or fractions thresholded. */
function frameMask(pixels: SegPixels, f: number): Uint8Array {
  const n = pixels.rows * pixels.columns;
  const mask = new Uint8Array(n);
  const { data } = pixels;
  if (pixels.bitsAllocated === 1) {
    const start = f * n;
    for (let i = 0; i < n; i++) {
      const b = start + i;
      mask[i] = (data[b >> 3]! >> (b & 7)) & 1;
    }
  } else {
    const frame = data.subarray(f * n, (f + 1) * n);
    for (let i = 0; i < n; i++) mask[i] = frame[i]! >= pixels.threshold ? 1 : 0;
  }
  return mask;
}

/** The SEG's own UIDs, orientation and pixel spacing, where present. */
function readIdentifiers(ds: DataSet, result: SegReadResult): void {
  const set = (k: keyof SegReadResult, t: string) => {
    const v = dsString(ds, t);
    if (v) (result as unknown as Record<string, unknown>)[k] = v;
  };
  set('sopInstanceUID', 'x00080018');
  set('seriesInstanceUID', 'x0020000e');
  set('studyInstanceUID', 'x0020000d');
  set('frameOfReferenceUID', 'x00200052');
  const sharedFG = items(ds, 'x52009229')[0];
  const iop = dsNumbers(items(sharedFG, 'x00209116')[0] ?? ds, 'x00200037');
  if (iop) result.imageOrientationPatient = iop;
  const ps = dsNumbers(items(sharedFG, 'x00289110')[0] ?? ds, 'x00280030');
  if (ps) result.pixelSpacing = ps;
}

function segToDocument(
  seg: SegReadResult,
  stack: ImageStack,
  schema: LabelSchema,
): Pick<SegImportResult, 'document' | 'report'> {
  if (seg.rows !== stack.height || seg.columns !== stack.width) {
    throw new VoxmarkError(
      ErrorCode.InvalidArgument,
      `The SEG is ${seg.columns}×${seg.rows}, the stack ${stack.width}×${stack.height}`,
    );
  }
  const labelOf = new Map<number, LabelDef>();
  const unmappedSegments: SegSegment[] = [];
  for (const s of seg.segments) {
    const l =
      (s.description ? findLabel(schema, s.description) : undefined) ??
      schema.labels.find((x) => x.name.trim().toLowerCase() === s.label.trim().toLowerCase()) ??
      findLabel(schema, s.label);
    if (l) labelOf.set(s.number, l);
    else unmappedSegments.push(s);
  }
  const tol = Math.max(1e-3, stack.spacing[2] * 0.25);
  const sliceOf = (f: SegFrame): number => {
    if (f.sopInstanceUID) {
      const k = stack.slices.findIndex(
        (r) =>
          r.sopInstanceUID === f.sopInstanceUID &&
          (f.frameNumber === undefined || (r.frameNumber ?? 1) === f.frameNumber),
      );
      if (k >= 0) return k;
    }
    if (f.position) {
      const p = f.position;
      const k = stack.slices.findIndex(
        (r) =>
          r.position && Math.hypot(r.position[0] - p[0], r.position[1] - p[1], r.position[2] - p[2]) < tol,
      );
      if (k >= 0) return k;
    }
    return -1;
  };
  const document = new AnnotationDocument({ width: stack.width, height: stack.height, depth: stack.depth });
  const inputs: AnnotationInput[] = [];
  const unmappedFrames: number[] = [];
  for (const f of seg.frames) {
    const label = labelOf.get(f.segment);
    const slice = sliceOf(f);
    if (!label || slice < 0) {
      unmappedFrames.push(f.index);
      continue;
    }
    const region = maskToRegionRle(f.data, stack.width, stack.height);
    if (!region) continue;
    inputs.push({ label: label.id, kind: 'mask', slice, mask: region });
  }
  if (inputs.length > 0) document.add(inputs, { origin: 'silent' });
  return { document, report: { unmappedSegments, unmappedFrames, imported: inputs.length } };
}
