/**
 * Training-ready dataset export: many annotated series in, one zip out with the layouts training pipelines
 * read (nnU-Net v2 raw, Medical Segmentation Decathlon / MONAI, COCO, YOLO, voxmark JSON), images and labels
 * side by side, patient-grouped splits, and a data card.
 *
 * The zip is streamed (client-zip: Zip64, so datasets past 4 GiB work, and it pulls one file at a time, so
 * only one series is in memory at once); files already compressed (`.nii.gz`, PNG) are stored as they are.
 * client-zip and the PNG encoder are loaded on first use, outside the eager bundle.
 * @module
 */
import type { Annotation } from '../annotation/types.js';
import { ErrorCode, VoxmarkError, throwIfAborted } from '../errors.js';
import { toCoco, type CocoAnnotation, type CocoDataset, type CocoImage } from '../formats/coco.js';
import { GENERATOR, bySlice, type DocumentLike } from '../formats/common.js';
import { documentContext, serializeDocument } from '../formats/document.js';
import { toNifti } from '../formats/nifti.js';
import { annotationToMask } from '../formats/rasterize.js';
import { regionRleArea } from '../mask/rle.js';
import { checkSplit, defaultPatientId, splitDataset, type SplitReport } from './split.js';
import type { ImageStack } from '../image/types.js';
import type { Problem } from '../schema/parse.js';
import type { LabelSchema } from '../schema/types.js';
import { validateDocument } from '../schema/validate.js';
import { DeidentificationStatus, deidentificationStatus } from './deid-status.js';
import { toNiftiImage, type NiftiImageInfo } from './nifti-image.js';
import { seriesWindow, sliceToPng, type DatasetWindow, type SliceImage, type SliceImageMode } from './png.js';
import { renderDataCardReadme } from './readme.js';
import {
  DatasetFormats,
  type DataCard,
  type DataCardCase,
  type DatasetFormat,
  type DatasetItem,
  type DatasetSplitName,
  type ExportDatasetOptions,
  type LabelCounts,
} from './types.js';
import { yoloDataYaml, yoloLines } from './yolo.js';

/** Folder name of each split in the 2D layouts and the voxmark JSON (the names YOLO and COCO users expect). */
const SPLIT_DIR: Record<DatasetSplitName, string> = { train: 'train', validation: 'val', test: 'test' };
const SPLITS: DatasetSplitName[] = ['train', 'validation', 'test'];

interface ZipEntry {
  name: string;
  input: Uint8Array | string;
  lastModified: Date;
}

/** One case of the plan; `item` is dropped once the case is written, so its stack can be collected. */
interface Case {
  index: number;
  caseId: string;
  patientId: string | undefined;
  split: DatasetSplitName;
  item: DatasetItem | undefined;
  stratum?: string | undefined;
}

interface Plan {
  name: string;
  datasetId: number;
  schema: LabelSchema;
  formats: Set<DatasetFormat>;
  cases: Case[];
  channels: string[];
  seed: number | string;
  ratios: [number, number, number];
  ungrouped: number;
}

/**
 * Exports annotated series as a training-ready dataset: a zip, streamed.
 *
 * - `nnunet`: `nnUNet_raw/Dataset001_<name>/` with `imagesTr/<case>_0000.nii.gz`, `labelsTr/<case>.nii.gz`,
 *   test cases in `imagesTs`/`labelsTs`, `dataset.json`, and `splits_final.json` (the train/validation split
 *   as nnU-Net's fold 0).
 * - `msd`: `msd/Task01_<name>/` with the Decathlon `dataset.json` (`training`, `validation`, `test` lists).
 * - `coco`: `coco/<split>/annotations.json` with the PNG slices it names beside it.
 * - `yolo`: `yolo/images/<split>/*.png`, `yolo/labels/<split>/*.txt`, `yolo/data.yaml`.
 * - `voxmark`: `voxmark/<split>/<case>.json` (lossless documents).
 * - Always: `datacard.json` and `README.md` (counts, splits, leakage check, problems, de-identification).
 *
 * Images are NIfTI volumes of the stored values with the modality rescale in `scl_slope`/`scl_inter` and the
 * label map's affine; label maps number labels by schema position (0 = background). Splits are
 * patient-grouped through `splitDataset` and reproducible from the seed.
 *
 * Resolves once the inputs are checked, before any byte is written: rejects with VoxmarkError
 * `'not-deidentified'` (naming the first such item) for a stack that is not de-identified unless
 * `allowIdentified`, `'invalid-argument'` for bad options or mixed channels. Errors while writing (including
 * `'aborted'` from `signal`) error the stream. Documents are only read, never changed. An async iterable is
 * read to its end first (the split needs every patient), then series are written in order and released.
 */
export async function exportDataset(
  items: Iterable<DatasetItem> | AsyncIterable<DatasetItem>,
  options: ExportDatasetOptions,
): Promise<ReadableStream<Uint8Array>> {
  const plan = await prepare(items, options);
  const { makeZip } = await import('client-zip');
  return makeZip(writeDataset(plan, options), { buffersAreUTF8: true });
}

/** {@link exportDataset}, collected into a Blob (`application/zip`) for a download link. */
export async function exportDatasetBlob(
  items: Iterable<DatasetItem> | AsyncIterable<DatasetItem>,
  options: ExportDatasetOptions,
): Promise<Blob> {
  const reader = (await exportDataset(items, options)).getReader();
  const parts: Uint8Array<ArrayBuffer>[] = [];
  try {
    while (true) {
      const { done, value } = await reader.read();
      if (done) break;
      parts.push(value as Uint8Array<ArrayBuffer>);
    }
  } finally {
    reader.releaseLock();
  }
  return new Blob(parts, { type: 'application/zip' });
}

/** A file-safe id: letters, digits, `-` and `_`, at most 64 characters. */
export function safeId(s: string, fallback: string): string {
  const clean = s
    .normalize('NFKD')
    .replace(/[^A-Za-z0-9_-]+/g, '-')
    .replace(/^[-_]+|[-_]+$/g, '')
    .slice(0, 64);
  return clean || fallback;
}

/**
 * Checks the options and the items and plans the export: case ids, patient-grouped splits, channels. Reads
 * an async iterable to its end; throws before any byte is written.
 */
async function prepare(
  items: Iterable<DatasetItem> | AsyncIterable<DatasetItem>,
  options: ExportDatasetOptions,
): Promise<Plan> {
  checkFormats(options);
  const list = await readItems(items, options);
  options.onProgress?.({ done: 0, total: list.length, phase: 'prepare' });
  const schema = options.schema ?? list[0]!.schema ?? documentContext(list[0]!.document)?.schema;
  if (!schema) throw bad('exportDataset needs the label schema (options.schema or items[0].schema)');
  const caseIds = assignCaseIds(list);
  if (!options.allowIdentified) checkDeidentified(list, caseIds);
  const channels = checkChannels(list, caseIds);
  const { cases, report } = splitCases(list, caseIds, options);
  list.length = 0;
  return {
    name: safeId(options.name ?? 'voxmark', 'voxmark').replace(/_/g, '-'),
    datasetId: Math.min(999, Math.max(1, Math.round(options.datasetId ?? 1))),
    schema,
    formats: new Set(options.formats),
    cases,
    channels,
    seed: report.seed,
    ratios: report.ratios,
    ungrouped: report.ungrouped,
  };
}

const bad = (message: string, details?: unknown) =>
  new VoxmarkError(ErrorCode.InvalidArgument, message, details === undefined ? {} : { details });

function checkFormats(options: ExportDatasetOptions): void {
  if (!options || !Array.isArray(options.formats) || options.formats.length === 0)
    throw bad(`exportDataset needs formats: some of ${DatasetFormats.join(', ')}`);
  const unknown = options.formats.filter((f) => !DatasetFormats.includes(f));
  if (unknown.length > 0) throw bad(`Unknown dataset formats: ${unknown.join(', ')}`);
}

/** Every item, read to the end (the split needs every patient), each with a stack and a document. */
async function readItems(
  items: Iterable<DatasetItem> | AsyncIterable<DatasetItem>,
  options: ExportDatasetOptions,
): Promise<DatasetItem[]> {
  const list: DatasetItem[] = [];
  for await (const item of items as AsyncIterable<DatasetItem>) {
    throwIfAborted(options.signal);
    list.push(item);
  }
  if (list.length === 0) throw bad('exportDataset needs at least one item');
  list.forEach((item, i) => {
    if (!item || !item.stack || !item.document || !Array.isArray(item.document.annotations))
      throw bad(`Item ${i + 1} needs a stack and a document`);
  });
  return list;
}

/** Case ids: given ones made safe, the rest numbered in input order; duplicates get a suffix. */
function assignCaseIds(list: DatasetItem[]): string[] {
  const used = new Set<string>();
  return list.map((item, i) => {
    const base = item.caseId !== undefined ? safeId(item.caseId, `case_${pad(i)}`) : `case_${pad(i)}`;
    let id = base;
    for (let n = 2; used.has(id.toLowerCase()); n++) id = `${base}-${n}`;
    used.add(id.toLowerCase());
    return id;
  });
}

/** Throws `not-deidentified` naming the first item whose stack is not de-identified. */
function checkDeidentified(list: DatasetItem[], caseIds: string[]): void {
  const i = list.findIndex(
    (item) => deidentificationStatus(item.stack) === DeidentificationStatus.NotDeidentified,
  );
  if (i >= 0)
    throw new VoxmarkError(
      ErrorCode.NotDeidentified,
      `Item ${i + 1} (${caseIds[i]}) is not de-identified: load it with { deidentify: true }, or pass allowIdentified: true to export it as it is`,
      { details: { index: i, caseId: caseIds[i] } },
    );
}

/** The channels every case has: they must be the same (nnU-Net and MSD read them by position). */
function checkChannels(list: DatasetItem[], caseIds: string[]): string[] {
  const channels = channelNames(list[0]!.stack);
  list.forEach((item, i) => {
    const c = channelNames(item.stack);
    if (c.join() !== channels.join())
      throw bad(
        `Item ${i + 1} (${caseIds[i]}) has channels ${c.join(', ')} but item 1 has ${channels.join(', ')}: a dataset has one kind of image`,
      );
  });
  return channels;
}

/** The cases in input order, each in the split `splitDataset` puts its patient in. */
function splitCases(
  list: DatasetItem[],
  caseIds: string[],
  options: ExportDatasetOptions,
): { cases: Case[]; report: SplitReport } {
  const stratify = options.split?.stratifyBy;
  const entries = list.map((item, index) => ({
    index,
    item,
    patientId: item.patientId ?? defaultPatientId(item),
    stratum: stratify === 'label' ? mainLabel(item.document) : stratify ? stratify(item) : undefined,
  }));
  const split = splitDataset(entries, {
    ...(options.split?.ratios ? { ratios: options.split.ratios } : {}),
    seed: options.split?.seed ?? 0,
    groupBy: (e) => e.patientId,
    ...(stratify ? { stratifyBy: (e: (typeof entries)[number]) => e.stratum ?? '' } : {}),
  });
  const splitOf = new Map<number, DatasetSplitName>();
  for (const s of SPLITS) for (const e of split[s]) splitOf.set(e.index, s);
  const cases: Case[] = entries.map((e) => ({
    index: e.index,
    caseId: caseIds[e.index]!,
    patientId: e.patientId,
    split: splitOf.get(e.index)!,
    item: e.item,
    stratum: e.stratum,
  }));
  return { cases, report: split.report };
}

/** nnU-Net channel names of a stack: its modality (CT gets nnU-Net's CT normalisation), or R, G, B. */
function channelNames(stack: ImageStack): string[] {
  if (stack.samplesPerPixel >= 3) return ['R', 'G', 'B'];
  const m = stack.metadata['modality'];
  return [typeof m === 'string' && m.trim() ? m.trim() : 'image'];
}

/** The label most annotations of a document have (ties: the smallest id), '' for none. */
function mainLabel(doc: DocumentLike): string {
  const n = new Map<string, number>();
  for (const a of doc.annotations) n.set(a.label, (n.get(a.label) ?? 0) + 1);
  return [...n].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]?.[0] ?? '';
}

const pad = (n: number, width = 4) => String(n).padStart(width, '0');

/** Everything accumulated while the series are written, for the files written at the end. */
interface Totals {
  counts: Record<string, Record<DatasetSplitName, LabelCounts>>;
  cases: DataCardCase[];
  problems: (Problem & { caseId: string })[];
  warnings: string[];
  coco: Partial<Record<DatasetSplitName, CocoDataset>>;
}

/**
 * The files of the zip, in order: each series' files (one series in memory at a time, released once
 * written), then the layouts' index files, the data card and its README.
 */
async function* writeDataset(plan: Plan, options: ExportDatasetOptions): AsyncGenerator<ZipEntry> {
  const w = startWriting(plan, options);
  const total = plan.cases.length;
  for (let n = 0; n < total; n++) {
    const c = plan.cases[n]!;
    throwIfAborted(options.signal);
    options.onProgress?.({ done: n, total, phase: 'series', caseId: c.caseId });
    yield* writeCase(w, c);
    c.item = undefined; // let the stack and its cached frames go
    options.onProgress?.({ done: n + 1, total, phase: 'series', caseId: c.caseId });
  }
  throwIfAborted(options.signal);
  options.onProgress?.({ done: total, total, phase: 'finish' });
  yield* writeIndexes(w);
  const card = dataCard(w);
  yield w.file('datacard.json', json(card));
  yield w.file('README.md', renderDataCardReadme(card, plan.schema));
}

/** What the steps of writing share: the plan, the options with their defaults, and the totals so far. */
interface Writing {
  plan: Plan;
  options: ExportDatasetOptions;
  lastModified: Date;
  file: (name: string, input: Uint8Array | string) => ZipEntry;
  nnunetRoot: string;
  msdRoot: string;
  /** Whether label maps and image volumes are written (nnU-Net or MSD). */
  nifti: boolean;
  imageModes: { coco: SliceImageMode; yolo: SliceImageMode };
  sliceChoice: 'all' | 'annotated';
  rasterize: { boxes: boolean; polygons: boolean };
  totals: Totals;
}

function startWriting(plan: Plan, options: ExportDatasetOptions): Writing {
  const lastModified = options.lastModified ?? new Date();
  const nifti = plan.formats.has('nnunet') || plan.formats.has('msd');
  const totals: Totals = { counts: {}, cases: [], problems: [], warnings: [], coco: {} };
  for (const l of plan.schema.labels) {
    totals.counts[l.id] = {
      train: emptyCounts(nifti),
      validation: emptyCounts(nifti),
      test: emptyCounts(nifti),
    };
  }
  return {
    plan,
    options,
    lastModified,
    file: (name, input) => ({ name, input, lastModified }),
    nnunetRoot: `nnUNet_raw/Dataset${pad(plan.datasetId, 3)}_${plan.name}`,
    msdRoot: `msd/Task${pad(plan.datasetId, 2)}_${plan.name}`,
    nifti,
    imageModes: {
      coco: options.images?.coco ?? 'png8-window',
      yolo: options.images?.yolo ?? 'png8-window',
    },
    sliceChoice: options.images?.slices ?? 'all',
    rasterize: {
      boxes: options.rasterize?.boxes ?? false,
      polygons: options.rasterize?.polygons ?? true,
    },
    totals,
  };
}

/** The files of one series in every layout asked for; its counts, problems and data card entry. */
async function* writeCase(w: Writing, c: Case): AsyncGenerator<ZipEntry> {
  const item = c.item!;
  const signalOpt = w.options.signal ? { signal: w.options.signal } : {};
  const info = describeCase(w, c, item);
  const series: Series = { c, item, info, signalOpt };
  if (w.nifti) yield* writeNifti(w, series);
  yield* writeSliceImages(w, series);
  if (w.plan.formats.has('voxmark')) {
    const json = serializeDocument(item.document, {
      schema: item.schema ?? w.plan.schema,
      stack: item.stack,
    });
    yield w.file(`voxmark/${SPLIT_DIR[c.split]}/${c.caseId}.json`, JSON.stringify(json));
  }
  w.totals.cases.push(info);
}

/** The series being written: its case, its stack and document, and its data card entry (filled in as it goes). */
interface Series {
  c: Case;
  item: DatasetItem;
  info: DataCardCase;
  signalOpt: { signal?: AbortSignal };
}

/** Validates a series' document and counts its annotations into the totals; its data card entry. */
function describeCase(w: Writing, c: Case, item: DatasetItem): DataCardCase {
  const { stack, document: doc } = item;
  const { schema } = w.plan;
  const { totals } = w;
  const problems = validateDocument(doc, schema, { depth: stack.depth });
  for (const p of problems) totals.problems.push({ ...p, caseId: c.caseId });
  if (item.schema && item.schema !== schema && JSON.stringify(item.schema) !== JSON.stringify(schema))
    totals.warnings.push(`${c.caseId}: its schema differs from the dataset's; labels were matched by id`);
  countAnnotations(doc.annotations, stack, totals.counts, c.split);
  const info: DataCardCase = {
    caseId: c.caseId,
    split: c.split,
    size: [stack.width, stack.height, stack.depth],
    spacing: [...stack.spacing],
    dataType: stack.dataType,
    samplesPerPixel: stack.samplesPerPixel,
    deidentification: deidentificationStatus(stack),
    annotations: doc.annotations.length,
    problems: problems.length,
  };
  if (typeof stack.metadata['modality'] === 'string') info.modality = stack.metadata['modality'];
  const method = stack.metadata['deidentificationMethod'];
  if (typeof method === 'string' && method) info.deidentificationMethod = method;
  return info;
}

/** nnU-Net and MSD: a series' image volume per channel and its label map, in the split's folders. */
async function* writeNifti(w: Writing, series: Series): AsyncGenerator<ZipEntry> {
  const { c, item, info, signalOpt } = series;
  const { plan, rasterize } = w;
  const labelDoc: DocumentLike = {
    annotations: item.document.annotations.filter(
      (a) => !(a.kind === 'box' && !rasterize.boxes) && !(a.kind === 'polygon' && !rasterize.polygons),
    ),
  };
  const { labels, images, histogram } = await niftiCase(
    item.stack,
    labelDoc,
    plan.schema,
    plan.channels.length,
    signalOpt,
  );
  addVoxels(histogram, plan.schema, w.totals.counts, c.split);
  info.niftiType = images[0]!.datatype;
  if (images.some((image) => image.rescaled))
    w.totals.warnings.push(
      `${c.caseId}: frames have different rescales, so its image holds float32 modality values`,
    );
  const channels = images.map((image) => new Uint8Array(image.bytes));
  const test = c.split === 'test';
  for (const [root, suffix] of [
    [w.nnunetRoot, true],
    [w.msdRoot, plan.channels.length > 1],
  ] as const) {
    if (!plan.formats.has(root === w.nnunetRoot ? 'nnunet' : 'msd')) continue;
    for (let ch = 0; ch < channels.length; ch++) {
      const base = suffix ? `${c.caseId}_${pad(ch)}` : c.caseId;
      yield w.file(`${root}/${test ? 'imagesTs' : 'imagesTr'}/${base}.nii.gz`, channels[ch]!);
    }
    yield w.file(`${root}/${test ? 'labelsTs' : 'labelsTr'}/${c.caseId}.nii.gz`, labels);
  }
}

/**
 * COCO and YOLO: a PNG of each slice chosen (each encoding made once), its YOLO label lines, and the series'
 * COCO images and annotations merged into its split's annotations.json.
 */
async function* writeSliceImages(w: Writing, series: Series): AsyncGenerator<ZipEntry> {
  const { c, item, info, signalOpt } = series;
  const { plan, options, imageModes, sliceChoice } = w;
  const { formats, schema } = plan;
  const { stack, document: doc } = item;
  const modes: SliceImageMode[] = [];
  if (formats.has('coco')) modes.push(imageModes.coco);
  if (formats.has('yolo')) modes.push(imageModes.yolo);
  if (modes.length === 0) return;
  const groups = bySlice(doc.annotations);
  const slices = stack.slices
    .map((_, k) => k)
    .filter((k) => sliceChoice === 'all' || (groups.get(k)?.length ?? 0) > 0);
  let window: DatasetWindow | undefined;
  if (modes.includes('png8-window') && stack.samplesPerPixel === 1) {
    window = await seriesWindow(stack, options.images?.window, options.signal);
    info.window = window;
  }
  const fileName = (k: number) => `${c.caseId}_${pad(k)}.png`;
  const coco = formats.has('coco') ? toCoco(doc, stack, schema, { slices, fileName }) : undefined;
  const cocoImages = new Map<number, CocoImage>(coco?.images.map((img) => [img.voxmark_slice!, img]));
  for (const k of slices) {
    throwIfAborted(options.signal);
    const frame = await stack.getFrame(k, signalOpt);
    const encoded = new Map<SliceImageMode, SliceImage>();
    const encode = async (mode: SliceImageMode) => {
      let img = encoded.get(mode);
      if (!img) encoded.set(mode, (img = await sliceToPng(stack, frame, mode, window ?? fallbackWindow)));
      return img;
    };
    if (coco) {
      const png = await encode(imageModes.coco);
      const img = cocoImages.get(k)!;
      img['voxmark_case'] = c.caseId;
      if (png.rescale) img['voxmark_rescale'] = png.rescale;
      else if (window && png.channels === 1)
        img['voxmark_window'] = { center: window.center, width: window.width };
      yield w.file(`coco/${SPLIT_DIR[c.split]}/${fileName(k)}`, png.bytes);
    }
    if (formats.has('yolo')) {
      const png = await encode(imageModes.yolo);
      yield w.file(`yolo/images/${SPLIT_DIR[c.split]}/${fileName(k)}`, png.bytes);
      const lines = yoloLines(groups.get(k) ?? [], schema, stack.width, stack.height, {
        segments: options.yolo?.segments ?? false,
      });
      yield w.file(
        `yolo/labels/${SPLIT_DIR[c.split]}/${fileName(k).replace(/\.png$/, '.txt')}`,
        lines.length > 0 ? `${lines.join('\n')}\n` : '',
      );
    }
  }
  if (coco) mergeCoco(w.totals.coco, c.split, coco, w.lastModified);
}

/** The case ids of a split, in input order. */
const caseIdsIn = (plan: Plan, s: DatasetSplitName) =>
  plan.cases.filter((c) => c.split === s).map((c) => c.caseId);

/** The files that index each layout, written once every series is in. */
async function* writeIndexes(w: Writing): AsyncGenerator<ZipEntry> {
  const { plan } = w;
  const { formats, schema } = plan;
  const labelNames = uniqueLabelNames(schema);
  if (formats.has('nnunet')) {
    yield w.file(`${w.nnunetRoot}/dataset.json`, json(nnunetDatasetJson(plan, labelNames)));
    yield w.file(
      `${w.nnunetRoot}/splits_final.json`,
      json([{ train: caseIdsIn(plan, 'train'), val: caseIdsIn(plan, 'validation') }]),
    );
  }
  if (formats.has('msd')) yield w.file(`${w.msdRoot}/dataset.json`, json(msdDatasetJson(plan, labelNames)));
  if (formats.has('coco')) {
    for (const s of SPLITS) {
      const coco = w.totals.coco[s];
      if (coco) yield w.file(`coco/${SPLIT_DIR[s]}/annotations.json`, json(coco));
    }
  }
  if (formats.has('yolo')) {
    yield w.file(
      'yolo/data.yaml',
      yoloDataYaml(schema, { train: true, val: true, test: caseIdsIn(plan, 'test').length > 0 }),
    );
    if (caseIdsIn(plan, 'validation').length === 0)
      w.totals.warnings.push('No validation cases: YOLO needs images/val to train');
  }
  if (formats.has('voxmark')) yield w.file('voxmark/schema.json', json(schema));
}

/** nnU-Net v2's dataset.json: channels, labels by value, and the number of training cases. */
function nnunetDatasetJson(plan: Plan, labelNames: string[]) {
  const labels: Record<string, number> = { background: 0 };
  labelNames.forEach((name, i) => (labels[name] = i + 1));
  return {
    name: plan.name,
    description: `Exported by ${GENERATOR.name} ${GENERATOR.version}`,
    channel_names: Object.fromEntries(plan.channels.map((ch, i) => [String(i), ch])),
    labels,
    numTraining: caseIdsIn(plan, 'train').length + caseIdsIn(plan, 'validation').length,
    file_ending: '.nii.gz',
  };
}

/** The Medical Segmentation Decathlon's dataset.json, with its training, validation and test lists. */
function msdDatasetJson(plan: Plan, labelNames: string[]) {
  const inSplit = (s: DatasetSplitName) => caseIdsIn(plan, s);
  const multi = plan.channels.length > 1;
  const images = (dir: string, id: string) =>
    multi ? plan.channels.map((_, ch) => `./${dir}/${id}_${pad(ch)}.nii.gz`) : `./${dir}/${id}.nii.gz`;
  const entry = (dir: 'Tr' | 'Ts', id: string) => ({
    image: images(`images${dir}`, id),
    label: `./labels${dir}/${id}.nii.gz`,
  });
  return {
    name: plan.name,
    description: `Exported by ${GENERATOR.name} ${GENERATOR.version}`,
    reference: '',
    licence: '',
    release: GENERATOR.version,
    tensorImageSize: '3D',
    modality: Object.fromEntries(plan.channels.map((ch, i) => [String(i), ch])),
    labels: Object.fromEntries([['0', 'background'], ...labelNames.map((name, i) => [String(i + 1), name])]),
    numTraining: inSplit('train').length,
    numValidation: inSplit('validation').length,
    numTest: inSplit('test').length,
    training: inSplit('train').map((id) => entry('Tr', id)),
    validation: inSplit('validation').map((id) => entry('Tr', id)),
    test: inSplit('test').map((id) => images('imagesTs', id)),
  };
}

/** The data card: what was exported, how it was split and checked, and the totals of every series. */
function dataCard(w: Writing): DataCard {
  const { plan, options, totals, lastModified } = w;
  const { schema, formats } = plan;
  const inSplit = (s: DatasetSplitName) => caseIdsIn(plan, s);
  const patients = (s: DatasetSplitName) =>
    new Set(plan.cases.filter((c) => c.split === s && c.patientId).map((c) => c.patientId)).size +
    plan.cases.filter((c) => c.split === s && !c.patientId).length;
  const leak = checkSplit(
    {
      train: plan.cases.filter((c) => c.split === 'train'),
      validation: plan.cases.filter((c) => c.split === 'validation'),
      test: plan.cases.filter((c) => c.split === 'test'),
    },
    { groupBy: (c) => c.patientId },
  ).leakage;
  if (plan.ungrouped > 0)
    totals.warnings.push(`${plan.ungrouped} case(s) have no patient id and were split on their own`);
  return {
    format: 'voxmark-datacard',
    version: 1,
    name: plan.name,
    createdAt: lastModified.toISOString(),
    generator: { name: GENERATOR.name, version: GENERATOR.version },
    schema: {
      version: schema.version,
      hash: hashString(JSON.stringify(schema)),
      labels: schema.labels.map((l, i) => ({ value: i + 1, id: l.id, name: l.name })),
    },
    formats: [...formats],
    images: {
      ...(formats.has('coco') ? { coco: w.imageModes.coco } : {}),
      ...(formats.has('yolo') ? { yolo: w.imageModes.yolo } : {}),
      slices: w.sliceChoice,
    },
    rasterize: w.rasterize,
    split: {
      seed: plan.seed,
      ratios: plan.ratios,
      stratified: options.split?.stratifyBy !== undefined,
      cases: {
        train: inSplit('train').length,
        validation: inSplit('validation').length,
        test: inSplit('test').length,
      },
      patients: { train: patients('train'), validation: patients('validation'), test: patients('test') },
      ungrouped: plan.ungrouped,
    },
    leakage: { checked: true, patientsInSeveralSplits: leak.length },
    counts: totals.counts,
    cases: totals.cases,
    problems: totals.problems,
    warnings: totals.warnings,
  };
}

/** 8-bit window for series that get no 8-bit image (never used to window). */
const fallbackWindow: DatasetWindow = { center: 0, width: 1, source: 'option' };

function emptyCounts(voxels: boolean): LabelCounts {
  return voxels ? { instances: 0, slices: 0, pixels: 0, voxels: 0 } : { instances: 0, slices: 0, pixels: 0 };
}

function countAnnotations(
  annotations: readonly Annotation[],
  stack: ImageStack,
  counts: Record<string, Record<DatasetSplitName, LabelCounts>>,
  split: DatasetSplitName,
): void {
  const slices = new Map<string, Set<number>>();
  const scratch = new Uint8Array(stack.width * stack.height);
  for (const a of annotations) {
    const c = counts[a.label]?.[split];
    if (!c) continue;
    c.instances++;
    let set = slices.get(a.label);
    if (!set) slices.set(a.label, (set = new Set()));
    if (a.kind === 'volume') {
      // One instance; each of its slices and all its voxels count.
      for (const m of a.mask.slices) {
        set.add(m.z);
        if (m.bbox[2] > 0 && m.bbox[3] > 0) c.pixels += regionRleArea(m);
      }
      continue;
    }
    set.add(a.slice);
    if (a.kind === 'mask' && a.mask) {
      if (a.mask.bbox[2] > 0 && a.mask.bbox[3] > 0) c.pixels += regionRleArea(a.mask);
      continue;
    }
    const m = annotationToMask(a, stack.width, stack.height, { rasterize: true, out: scratch });
    if (m) for (let i = 0; i < m.length; i++) c.pixels += m[i] ? 1 : 0;
  }
  for (const [label, set] of slices) counts[label]![split].slices += set.size;
}

/**
 * The NIfTI files of one series: its label map (gzip), its image volume per channel, and the voxels of each
 * label value. A function of its own so the uncompressed label map is gone before the files are yielded.
 */
async function niftiCase(
  stack: ImageStack,
  labelDoc: DocumentLike,
  schema: LabelSchema,
  channels: number,
  signalOpt: { signal?: AbortSignal },
): Promise<{ labels: Uint8Array; images: NiftiImageInfo[]; histogram: Float64Array }> {
  const raw = await toNifti(labelDoc, stack, schema, { rasterize: true, ...signalOpt });
  // The voxels follow the 352-byte header: uint8, or uint16 past 255 labels.
  const data = schema.labels.length > 255 ? new Uint16Array(raw, 352) : new Uint8Array(raw, 352);
  const histogram = new Float64Array(schema.labels.length + 1);
  for (let i = 0; i < data.length; i++) histogram[data[i]!]!++;
  const labels = await gzip(new Uint8Array(raw));
  const images: NiftiImageInfo[] = [];
  for (let ch = 0; ch < channels; ch++) images.push(await toNiftiImage(stack, { channel: ch, ...signalOpt }));
  return { labels, images, histogram };
}

function addVoxels(
  histogram: Float64Array,
  schema: LabelSchema,
  counts: Record<string, Record<DatasetSplitName, LabelCounts>>,
  split: DatasetSplitName,
): void {
  schema.labels.forEach((l, i) => {
    const c = counts[l.id]![split];
    c.voxels = (c.voxels ?? 0) + histogram[i + 1]!;
  });
}

function mergeCoco(
  acc: Partial<Record<DatasetSplitName, CocoDataset>>,
  split: DatasetSplitName,
  coco: CocoDataset,
  created: Date,
): void {
  // The export's date rather than the clock's, so a fixed `lastModified` gives the same bytes every time.
  const info = { ...coco.info, year: created.getUTCFullYear(), date_created: created.toISOString() };
  const into: CocoDataset = (acc[split] ??= { ...coco, info, images: [], annotations: [] });
  const ids = new Map<number, number>();
  for (const img of coco.images) {
    const id = into.images.length + 1;
    ids.set(img.id, id);
    into.images.push({ ...img, id });
  }
  for (const a of coco.annotations) {
    const ann: CocoAnnotation = { ...a, id: into.annotations.length + 1, image_id: ids.get(a.image_id)! };
    into.annotations.push(ann);
  }
}

/** Label names for dataset.json and data.yaml: the schema's names, made unique with the label id. */
function uniqueLabelNames(schema: LabelSchema): string[] {
  const seen = new Map<string, number>();
  for (const l of schema.labels) seen.set(l.name, (seen.get(l.name) ?? 0) + 1);
  return schema.labels.map((l) => ((seen.get(l.name) ?? 0) > 1 ? `${l.name} (${l.id})` : l.name));
}

const json = (v: unknown) => `${JSON.stringify(v, null, 2)}\n`;

/** gzip through CompressionStream. */
async function gzip(bytes: Uint8Array<ArrayBuffer>): Promise<Uint8Array> {
  const stream = new Blob([bytes]).stream().pipeThrough(new CompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** FNV-1a of a string, as 8 hex digits: a short fingerprint of the schema. */
function hashString(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, '0');
}
