/**
 * The voxmark document format (docs/schemas/document.json): a versioned JSON file holding the label schema,
 * the source image references per slice and every annotation, masks as COCO compressed RLE of their bbox.
 * Round trips are exact and fields this version does not know are preserved.
 */
import { AnnotationDocument, type AnnotationInput } from '../annotation/document.js';
import { plainMask } from '../annotation/shapes.js';
import type { Annotation, AnnotationFields, AnnotationJSON } from '../annotation/types.js';
import { ErrorCode, VoxmarkError } from '../errors.js';
import type { ImageStack, SliceRef } from '../image/types.js';
import { ajvProblems, labelSchemaProblems, type Problem } from '../schema/parse.js';
import type { LabelSchema } from '../schema/types.js';
import { validateDocumentJson } from '../schema/validators.generated.js';
import { GENERATOR, isRecord, sliceRefs, type DocumentLike } from './common.js';
import { cocoToRegionRle } from '../mask/rle.js';

/** The current document format version. */
export const DOCUMENT_FORMAT_VERSION = 1;
export const DOCUMENT_FORMAT = 'voxmark-document';

/** The image block of a document: the stack the annotations were made on. */
export interface DocumentImage {
  format?: 'dicom' | 'tiff';
  width: number;
  height: number;
  depth?: number;
  spacing?: [number, number, number];
  patientId?: string;
  studyInstanceUID?: string;
  seriesInstanceUID?: string;
  frameOfReferenceUID?: string;
  [key: string]: unknown;
}

/** A document file, format version 1. Unknown fields are allowed (and kept) everywhere. */
export interface DocumentJSON {
  format: typeof DOCUMENT_FORMAT;
  version: typeof DOCUMENT_FORMAT_VERSION;
  generator: { name: string; version?: string; [key: string]: unknown };
  schema: LabelSchema;
  image: DocumentImage;
  slices: SliceRef[];
  annotations: (AnnotationJSON & Record<string, unknown>)[];
  [key: string]: unknown;
}

/** What a parsed document file holds besides the annotations. */
export interface DocumentContext {
  schema: LabelSchema;
  image: DocumentImage;
  slices: SliceRef[];
  generator: DocumentJSON['generator'];
  /** Top-level fields this version does not define, kept for the next save. */
  extra: Record<string, unknown>;
  /** Per annotation id: fields of the annotation this version does not define. */
  annotationExtra: Map<string, Record<string, unknown>>;
}

const contexts = new WeakMap<object, DocumentContext>();

/** The schema, image references and unknown fields a document was parsed with (undefined for other documents). */
export function documentContext(doc: object): DocumentContext | undefined {
  return contexts.get(doc);
}

/**
 * Tells voxmark which label schema and stack a document belongs to, so `serializeDocument(doc)` needs no
 * options. `<vx-viewer>` does this for its own document whenever its stack, schema or document changes.
 * Fields a parsed document carried that this version does not define are kept.
 */
export function bindDocument(doc: object, binding: { schema: LabelSchema; stack: ImageStack }): void {
  const previous = contexts.get(doc);
  contexts.set(doc, {
    schema: structuredClone(binding.schema),
    image: describeImage(binding.stack),
    slices: sliceRefs(binding.stack),
    generator: previous?.generator ?? { ...GENERATOR },
    extra: previous?.extra ?? {},
    annotationExtra: previous?.annotationExtra ?? new Map(),
  });
}

function describeImage(s: ImageStack): DocumentImage {
  const m = s.metadata;
  const image: DocumentImage = {
    format: s.format,
    width: s.width,
    height: s.height,
    depth: s.depth,
    spacing: [...s.spacing],
  };
  for (const key of ['patientId', 'studyInstanceUID', 'seriesInstanceUID', 'frameOfReferenceUID'] as const) {
    if (typeof m[key] === 'string') image[key] = m[key];
  }
  return image;
}

export interface SerializeOptions {
  /** The label schema to embed. Default: the one the document was parsed with. Required otherwise. */
  schema?: LabelSchema;
  /** The stack, for image and slice references. Default: what the document was parsed with. */
  stack?: ImageStack;
  /** Generator recorded in the file. Default voxmark and its version. */
  generator?: DocumentJSON['generator'];
}

const ANNOTATION_FIELDS = new Set([
  'id',
  'label',
  'kind',
  'slice',
  'box',
  'points',
  'mask',
  'attributes',
  'createdAt',
  'updatedAt',
]);
const TOP_FIELDS = new Set(['format', 'version', 'generator', 'schema', 'image', 'slices', 'annotations']);

/**
 * Serializes a document to the versioned voxmark JSON format (a plain object; `JSON.stringify` it to save).
 * Never changes the document. Throws VoxmarkError('invalid-argument') when no schema is known.
 */
export function serializeDocument(doc: DocumentLike, options: SerializeOptions = {}): DocumentJSON {
  const ctx = contexts.get(doc);
  const schema = options.schema ?? ctx?.schema;
  if (!schema) {
    throw new VoxmarkError(
      ErrorCode.InvalidArgument,
      'serializeDocument needs the label schema (options.schema)',
    );
  }
  const d = doc as DocumentLike & { width?: number; height?: number; depth?: number };
  let image: DocumentImage;
  let slices: SliceRef[];
  if (options.stack) {
    image = describeImage(options.stack);
    slices = sliceRefs(options.stack);
  } else if (ctx) {
    image = structuredClone(ctx.image);
    slices = structuredClone(ctx.slices);
  } else if (typeof d.width === 'number' && typeof d.height === 'number') {
    image = { width: d.width, height: d.height, ...(d.depth !== undefined ? { depth: d.depth } : {}) };
    slices = [];
  } else {
    throw new VoxmarkError(
      ErrorCode.InvalidArgument,
      'serializeDocument needs the stack (options.stack) for the image size',
    );
  }
  const out: DocumentJSON = {
    ...(ctx ? structuredClone(ctx.extra) : {}),
    format: DOCUMENT_FORMAT,
    version: DOCUMENT_FORMAT_VERSION,
    generator: structuredClone(options.generator ?? ctx?.generator ?? { ...GENERATOR }),
    schema: structuredClone(schema),
    image,
    slices,
    annotations: doc.annotations.map((a) => {
      const extra = ctx?.annotationExtra.get(a.id);
      return { ...(extra ? structuredClone(extra) : {}), ...plainAnnotation(a) };
    }),
  };
  return out;
}

/** A plain copy of an annotation with only the fields the format defines. */
export function plainAnnotation(a: Annotation | AnnotationFields): AnnotationJSON {
  const out: AnnotationFields = { id: a.id, label: a.label, kind: a.kind, slice: a.slice };
  if (a.box) out.box = { x: a.box.x, y: a.box.y, width: a.box.width, height: a.box.height };
  if (a.points) out.points = a.points.map((p) => [p[0], p[1]]);
  if (a.mask) out.mask = plainMask(a.mask);
  if (a.attributes) out.attributes = { ...a.attributes };
  if (a.createdAt !== undefined) out.createdAt = a.createdAt;
  if (a.updatedAt !== undefined) out.updatedAt = a.updatedAt;
  return out as AnnotationJSON;
}

/** A parsed document file: the document and everything around it. */
export interface ParsedDocument extends DocumentContext {
  document: AnnotationDocument;
  /** The version the file was written in (migrated to the current version when older). */
  sourceVersion: number;
}

/**
 * Parses a voxmark document file (an object or a JSON string) into an AnnotationDocument. Older format
 * versions are migrated. The schema, image references and unknown fields are kept with the document
 * (see documentContext) so `serializeDocument(parseDocument(json))` gives back the same file.
 * Throws VoxmarkError('invalid-document') listing every problem found.
 */
export function parseDocument(json: unknown): AnnotationDocument {
  return readDocument(json).document;
}

/** Like parseDocument, and also returns the schema, image references and source version. */
export function readDocument(json: unknown): ParsedDocument {
  const value = parseJson(json);
  if (!isRecord(value)) throw invalid([{ code: 'schema', path: '/', message: 'must be an object' }]);
  const sourceVersion = documentVersion(value);
  const file = checkedFile(migrateOrThrow(value, sourceVersion));
  const { document, annotationExtra } = loadAnnotations(file);
  const extra: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(file)) if (!TOP_FIELDS.has(k)) extra[k] = structuredClone(v);
  const ctx: DocumentContext = {
    schema: structuredClone(file.schema),
    image: structuredClone(file.image),
    slices: structuredClone(file.slices),
    generator: structuredClone(file.generator),
    extra,
    annotationExtra,
  };
  contexts.set(document, ctx);
  return { document, sourceVersion, ...ctx };
}

/** Phase 1: a JSON string is parsed; anything else is taken as it is. */
function parseJson(json: unknown): unknown {
  if (typeof json !== 'string') return json;
  try {
    return JSON.parse(json);
  } catch (e) {
    throw new VoxmarkError(ErrorCode.InvalidDocument, 'The document is not valid JSON', { cause: e });
  }
}

/** Phase 2: an older file is migrated to the current version. */
function migrateOrThrow(value: Record<string, unknown>, sourceVersion: number): Record<string, unknown> {
  try {
    return migrate(value, sourceVersion);
  } catch (e) {
    if (VoxmarkError.is(e, ErrorCode.InvalidDocument)) throw e;
    throw new VoxmarkError(
      ErrorCode.InvalidDocument,
      `Cannot migrate a version ${sourceVersion} document: ${(e as Error).message}`,
      {
        cause: e,
      },
    );
  }
}

/** Phase 3: the file is checked against the format's JSON schema, its label schema and its image size. */
function checkedFile(migrated: Record<string, unknown>): DocumentJSON {
  const problems: Problem[] = [];
  if (!validateDocumentJson(migrated)) {
    problems.push(...ajvProblems((validateDocumentJson as { errors?: [] }).errors));
  }
  if (problems.length === 0) {
    problems.push(
      ...labelSchemaProblems(migrated['schema']).map((p) => ({
        ...p,
        path: `/schema${p.path === '/' ? '' : p.path}`,
      })),
    );
  }
  const image = migrated['image'];
  if (
    problems.length === 0 &&
    !(isRecord(image) && Number.isInteger(image['width']) && Number.isInteger(image['height']))
  ) {
    problems.push({ code: 'schema', path: '/image', message: 'must give the image width and height' });
  }
  if (problems.length > 0) throw invalid(problems);
  return migrated as unknown as DocumentJSON;
}

/** Phase 4: the annotations go into a new document; fields the format does not define are kept aside. */
function loadAnnotations(file: DocumentJSON): {
  document: AnnotationDocument;
  annotationExtra: Map<string, Record<string, unknown>>;
} {
  const document = new AnnotationDocument({
    width: file.image.width,
    height: file.image.height,
    ...(file.image.depth ? { depth: file.image.depth } : {}),
  });
  const annotationExtra = new Map<string, Record<string, unknown>>();
  const inputs: AnnotationInput[] = file.annotations.map((a) => {
    const extra: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(a)) if (!ANNOTATION_FIELDS.has(k)) extra[k] = structuredClone(v);
    if (Object.keys(extra).length > 0) annotationExtra.set(a.id, extra);
    const plain = plainAnnotation(a) as AnnotationInput;
    return plain;
  });
  try {
    if (inputs.length > 0) document.add(inputs, { origin: 'silent' });
  } catch (e) {
    throw new VoxmarkError(
      ErrorCode.InvalidDocument,
      `The document's annotations cannot be loaded: ${(e as Error).message}`,
      {
        cause: e,
      },
    );
  }
  return { document, annotationExtra };
}

function invalid(problems: Problem[]): VoxmarkError {
  const list = problems.map((p) => `${p.path}: ${p.message}`);
  const shown = list.slice(0, 5).join('; ') + (list.length > 5 ? `; and ${list.length - 5} more` : '');
  return new VoxmarkError(ErrorCode.InvalidDocument, `Invalid voxmark document: ${shown}`, {
    details: problems,
  });
}

function documentVersion(json: Record<string, unknown>): number {
  const v = json['version'];
  if (json['format'] !== DOCUMENT_FORMAT && !(v === 0 && 'labels' in json)) {
    throw invalid([{ code: 'schema', path: '/format', message: `must be "${DOCUMENT_FORMAT}"` }]);
  }
  if (!Number.isInteger(v) || (v as number) < 0) {
    throw invalid([{ code: 'schema', path: '/version', message: 'must be a format version number' }]);
  }
  if ((v as number) > DOCUMENT_FORMAT_VERSION) {
    throw new VoxmarkError(
      ErrorCode.Unsupported,
      `This document is format version ${String(v)}; this voxmark reads versions up to ${DOCUMENT_FORMAT_VERSION}`,
    );
  }
  return v as number;
}

/** Migrations: MIGRATIONS[n] turns version n into version n + 1. Each returns a new object. */
const MIGRATIONS: ((json: Record<string, unknown>) => Record<string, unknown>)[] = [migrateV0toV1];

function migrate(json: Record<string, unknown>, from: number): Record<string, unknown> {
  let cur = json;
  for (let v = from; v < DOCUMENT_FORMAT_VERSION; v++) cur = MIGRATIONS[v]!(cur);
  return cur;
}

/**
 * Version 0 was the draft format of voxmark 0.0.x:
 * `{ version: 0, width, height, depth?, labels: LabelDef[], images: [{ sopInstanceUID?, frame?, page? }],
 *    annotations: [{ id, labelId, type, sliceIndex, bbox?: [x, y, w, h], polygon?: [x0, y0, x1, y1, ...],
 *                    mask?: full-image COCO RLE { size: [h, w], counts }, attrs?, created?, updated? }] }`.
 * Version 1 renames the fields, nests the schema, stores masks as RLE of their bbox and adds format/generator.
 */
export function migrateV0toV1(v0: Record<string, unknown>): Record<string, unknown> {
  const bad = (path: string, message: string) => invalid([{ code: 'schema', path, message }]);
  const width = v0['width'];
  const height = v0['height'];
  if (!Number.isInteger(width) || !Number.isInteger(height))
    throw bad('/width', 'version 0 documents need width and height');
  const labels = v0['labels'];
  const anns = v0['annotations'];
  if (!Array.isArray(labels)) throw bad('/labels', 'must be an array');
  if (!Array.isArray(anns)) throw bad('/annotations', 'must be an array');
  const images = Array.isArray(v0['images']) ? (v0['images'] as unknown[]) : [];
  const out: Record<string, unknown> = {
    format: DOCUMENT_FORMAT,
    version: 1,
    generator: { name: 'voxmark', version: '0.0' },
    schema: { version: 1, labels },
    image: { width, height, ...(Number.isInteger(v0['depth']) ? { depth: v0['depth'] } : {}) },
    slices: images.map((im) => {
      const r: Record<string, unknown> = {};
      if (isRecord(im)) {
        if (typeof im['sopInstanceUID'] === 'string') r['sopInstanceUID'] = im['sopInstanceUID'];
        if (Number.isInteger(im['frame'])) r['frameNumber'] = im['frame'];
        if (Number.isInteger(im['page'])) r['page'] = im['page'];
      }
      return r;
    }),
    annotations: anns.map((a: unknown, i) => {
      if (!isRecord(a)) throw bad(`/annotations/${i}`, 'must be an object');
      const b: Record<string, unknown> = {
        id: a['id'],
        label: a['labelId'],
        kind: a['type'],
        slice: a['sliceIndex'],
      };
      const bbox = a['bbox'];
      if (a['type'] === 'box' && Array.isArray(bbox) && bbox.length === 4) {
        b['box'] = { x: bbox[0], y: bbox[1], width: bbox[2], height: bbox[3] };
      }
      const poly = a['polygon'];
      if (Array.isArray(poly)) {
        const pts: [unknown, unknown][] = [];
        for (let k = 0; k + 1 < poly.length; k += 2) pts.push([poly[k], poly[k + 1]]);
        b['points'] = pts;
      }
      const mask = a['mask'];
      if (isRecord(mask)) {
        const size = mask['size'];
        if (!Array.isArray(size) || size[0] !== height || size[1] !== width) {
          throw bad(`/annotations/${i}/mask/size`, `must be [${String(height)}, ${String(width)}]`);
        }
        const region = cocoToRegionRle({
          size: [height as number, width as number],
          counts: mask['counts'] as string,
        });
        b['mask'] = region ?? { rle: '', bbox: [0, 0, 0, 0] };
      }
      if (isRecord(a['attrs'])) b['attributes'] = a['attrs'];
      if (typeof a['created'] === 'string') b['createdAt'] = a['created'];
      if (typeof a['updated'] === 'string') b['updatedAt'] = a['updated'];
      return b;
    }),
  };
  return out;
}
