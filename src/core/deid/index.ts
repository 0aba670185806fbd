/**
 * DICOM de-identification in the browser: the Basic Application Level Confidentiality Profile of DICOM
 * PS3.15 Annex E (Table E.1-1, generated into rules.generated.ts) and its options, with consistent keyed
 * UIDs, per-patient date shifts, burned-in text handling and a report of every attribute touched.
 * See docs/deidentification.md.
 */
import { ErrorCode, VoxmarkError, toVoxmarkError } from '../errors.js';
import { parseDicomBytes, type ParsedDicom } from '../image/dicom/parse.js';
import { elementsFromDataSet } from '../dicom/reader.js';
import {
  TransferSyntaxUID,
  isNativeTransferSyntax as isNativeTransferSyntaxUID,
} from '../dicom/transfer-syntax.js';
import { writeDicomFile, type DicomDataset, type DicomElement } from '../dicom/writer.js';
import { collectNeedles, decodeText, walkDataset, type WalkContext } from './engine.js';
import { dateOffsetDays, keyFor } from './keyed.js';
import { blankRegions, burnedInFlag } from './pixels.js';
import { activeColumns } from './rules.js';
import type {
  DeidentifyOptions,
  DeidentifyReport,
  DeidentifyReportEntry,
  DeidentifyResult,
  PixelRegion,
  PixelRegionsForSize,
} from './types.js';

export type {
  DeidentifyOptions,
  DeidentifyReport,
  DeidentifyReportEntry,
  DeidentifyResult,
  DeidAction,
  DeidRule,
  DeidOptionColumn,
  SafePrivateTag,
  PixelRegion,
  PixelRegionsForSize,
  CleanContext,
} from './types.js';
export { deidentifyTiff } from './tiff.js';
export type { TiffDeidentifyReport, TiffDeidentifyReportEntry, TiffDeidentifyResult } from './tiff.js';
export { RULE_COUNT } from './rules.js';

/** DeidentificationMethodCodeSequence codes (PS3.16 CID 7050), coding scheme DCM. */
export const DEID_METHOD_CODES = {
  basicProfile: ['113100', 'Basic Application Confidentiality Profile'],
  cleanPixelData: ['113101', 'Clean Pixel Data Option'],
  cleanGraphics: ['113103', 'Clean Graphics Option'],
  cleanStructuredContent: ['113104', 'Clean Structured Content Option'],
  cleanDescriptors: ['113105', 'Clean Descriptors Option'],
  retainFullDates: ['113106', 'Retain Longitudinal Temporal Information Full Dates Option'],
  retainModifiedDates: ['113107', 'Retain Longitudinal Temporal Information Modified Dates Option'],
  retainPatientCharacteristics: ['113108', 'Retain Patient Characteristics Option'],
  retainDeviceIdentity: ['113109', 'Retain Device Identity Option'],
  retainUIDs: ['113110', 'Retain UIDs Option'],
  retainSafePrivate: ['113111', 'Retain Safe Private Option'],
  retainInstitutionIdentity: ['113112', 'Retain Institution Identity Option'],
} as const satisfies Record<string, readonly [string, string]>;

const PIXEL_TAGS = [0x7fe00010, 0x7fe00008, 0x7fe00009];

/**
 * De-identifies DICOM Part 10 bytes (or a bare dataset) with the PS3.15 Basic Application Level
 * Confidentiality Profile and the options asked for. Returns new Part 10 bytes (explicit VR little endian,
 * or the original compressed transfer syntax with its pixel data byte for byte) and a report of every
 * attribute touched, which never contains a removed value.
 *
 * Instances that may carry burned-in text are refused with VoxmarkError('burned-in-annotation') unless
 * `pixelRegions` has regions for their image size (blanked, BurnedInAnnotation becomes NO) or
 * `allowBurnedInAnnotation` is set. The input is never modified.
 */
export async function deidentify(
  bytes: ArrayBuffer | Uint8Array,
  options: DeidentifyOptions = {},
): Promise<DeidentifyResult> {
  checkOptions(options);
  try {
    return await run(bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes), options);
  } catch (e) {
    throw toVoxmarkError(e, ErrorCode.Corrupt, 'Could not de-identify the DICOM data');
  }
}

function checkOptions(options: DeidentifyOptions): void {
  const bad = (why: string) => new VoxmarkError(ErrorCode.InvalidArgument, `deidentify: ${why}`);
  if (typeof options !== 'object' || options === null) throw bad('options must be an object');
  if (options.salt !== undefined && typeof options.salt !== 'string') throw bad('salt must be a string');
  const t = options.retainLongitudinalTemporalInformation;
  if (t !== undefined && t !== false && t !== 'full' && t !== 'modified') {
    throw bad("retainLongitudinalTemporalInformation must be 'full', 'modified' or false");
  }
  for (const k of ['patientId', 'patientName'] as const) {
    const v = options[k];
    if (v !== undefined && typeof v !== 'string') throw bad(`${k} must be a string`);
    if (typeof v === 'string' && v.length > 64) throw bad(`${k} is longer than 64 characters`);
  }
  if (options.retainSafePrivate !== undefined && !Array.isArray(options.retainSafePrivate)) {
    throw bad('retainSafePrivate must be a list of { creator, group, elements? }');
  }
  for (const s of options.retainSafePrivate ?? []) {
    if (typeof s?.creator !== 'string' || !Number.isInteger(s.group) || (s.group & 1) !== 1) {
      throw bad('each retainSafePrivate entry needs a creator string and an odd group');
    }
  }
  if (options.pixelRegions !== undefined && !Array.isArray(options.pixelRegions)) {
    throw bad('pixelRegions must be a list of { columns, rows, regions }');
  }
  for (const p of options.pixelRegions ?? []) {
    if (!Number.isInteger(p?.columns) || !Number.isInteger(p?.rows) || !Array.isArray(p?.regions)) {
      throw bad('each pixelRegions entry needs integer columns and rows and a list of regions');
    }
  }
}

function find(dataset: DicomDataset, tag: number): DicomElement | undefined {
  return dataset.find((e) => e.tag === tag);
}

function text(dataset: DicomDataset, tag: number, utf8: boolean): string | undefined {
  const e = find(dataset, tag);
  if (!e) return undefined;
  return decodeText(e.value, utf8)
    .replace(/[\0 ]+$/, '')
    .trim();
}

function uint16(dataset: DicomDataset, tag: number): number | undefined {
  const v = find(dataset, tag)?.value;
  if (v instanceof Uint8Array && v.length >= 2) return v[0]! | (v[1]! << 8);
  return typeof v === 'number' ? v : undefined;
}

function setElement(dataset: DicomDataset, element: DicomElement): boolean {
  const i = dataset.findIndex((e) => e.tag === element.tag);
  if (i >= 0) {
    dataset[i] = element;
    return true;
  }
  dataset.push(element);
  return false;
}

/** One de-identification, in phases: read, check burned-in text, walk, pseudonyms, pixels, record, write. */
async function run(input: Uint8Array, options: DeidentifyOptions): Promise<DeidentifyResult> {
  const parsed = await parseDicomBytes(input);
  const elements = elementsFromDataSet(parsed.dataSet, { transferSyntaxUID: parsed.transferSyntaxUID });
  const utf8 = (text(elements, 0x00080005, false) ?? '').includes('ISO_IR 192');
  const burnedIn = checkBurnedIn(elements, options, utf8);
  const ctx = await walkContext(elements, options, utf8);
  const out = await walkDataset(ctx, elements, '', 'normal', utf8);
  addPseudonyms(out, ctx, options);
  const pixels = await cleanPixels(parsed, elements, out, ctx, burnedIn, utf8);
  const codes = methodCodes(options, burnedIn.sized !== undefined);
  recordDeidentification(out, ctx, codes, options.retainLongitudinalTemporalInformation);

  const written = writeDicomFile(out, { transferSyntaxUID: pixels.transferSyntaxUID });
  const counts: DeidentifyReport['counts'] = { X: 0, Z: 0, D: 0, U: 0, K: 0, C: 0, add: 0 };
  for (const e of ctx.entries) counts[e.action]++;
  return {
    bytes: written.buffer as ArrayBuffer,
    report: {
      entries: ctx.entries,
      methodCodes: codes.map(([c]) => c),
      burnedInAnnotation: pixels.burned,
      transferSyntaxUID: pixels.transferSyntaxUID,
      counts,
    },
  };
}

type BurnedInCheck = { flag: ReturnType<typeof burnedInFlag>; sized?: PixelRegionsForSize };

/** Burned-in text, decided before anything is written: refused unless regions for its size are given. */
function checkBurnedIn(elements: DicomDataset, options: DeidentifyOptions, utf8: boolean): BurnedInCheck {
  const hasPixels = elements.some((e) => PIXEL_TAGS.includes(e.tag));
  const flag = burnedInFlag(text(elements, 0x00280301, utf8), text(elements, 0x00080060, utf8), hasPixels);
  const columnsCount = uint16(elements, 0x00280011);
  const rowsCount = uint16(elements, 0x00280010);
  const sized = hasPixels
    ? options.pixelRegions?.find((p) => p.columns === columnsCount && p.rows === rowsCount)
    : undefined;
  if (flag.flagged && !sized && !options.allowBurnedInAnnotation) {
    throw new VoxmarkError(
      ErrorCode.BurnedInAnnotation,
      `This instance may carry burned-in text (${flag.reason}). Pass pixelRegions for ${columnsCount}×${rowsCount} ` +
        'images to black it out, or allowBurnedInAnnotation once it has been reviewed.',
      { details: { reason: flag.reason, columns: columnsCount, rows: rowsCount } },
    );
  }
  return sized ? { flag, sized } : { flag };
}

/** The walk's key, date offset and the identifying values the text cleaner looks for. */
async function walkContext(
  elements: DicomDataset,
  options: DeidentifyOptions,
  utf8: boolean,
): Promise<WalkContext> {
  const columns = activeColumns(options);
  const key = await keyFor(options.salt);
  let dateOffset: number | undefined;
  if (options.retainLongitudinalTemporalInformation === 'modified') {
    const identity =
      text(elements, 0x00100020, utf8) ||
      text(elements, 0x00100010, utf8) ||
      text(elements, 0x0020000d, utf8) ||
      '';
    dateOffset = await dateOffsetDays(key, identity);
  }
  const needles: string[] = [];
  collectNeedles(elements, columns, utf8, needles);
  return {
    options,
    columns,
    key,
    ...(dateOffset === undefined ? {} : { dateOffset }),
    entries: [],
    uids: new Map(),
    needles,
    utf8,
  };
}

/** The host's pseudonyms where the input had no Patient ID or Name, with the character set they need. */
function addPseudonyms(out: DicomDataset, ctx: WalkContext, options: DeidentifyOptions): void {
  if (options.patientId !== undefined && !find(out, 0x00100020)) {
    out.push({ tag: 0x00100020, vr: 'LO', value: options.patientId });
    ctx.entries.push(entry(0x00100020, 'Patient ID', true));
  }
  if (options.patientName !== undefined && !find(out, 0x00100010)) {
    out.push({ tag: 0x00100010, vr: 'PN', value: options.patientName });
    ctx.entries.push(entry(0x00100010, "Patient's Name", true));
  }
  // A non-ASCII pseudonym in a file on the default repertoire needs a declared character set.
  const pseudonyms = [options.patientId, options.patientName].filter((v) => v !== undefined);
  if (!find(out, 0x00080005) && pseudonyms.some((v) => [...v].some((c) => c.charCodeAt(0) > 0x7f))) {
    out.push({ tag: 0x00080005, vr: 'CS', value: 'ISO_IR 192' });
    ctx.entries.push(entry(0x00080005, 'Specific Character Set', true));
  }
}

/** Blanks the burned-in regions (Clean Pixel Data) when given; the transfer syntax to write in. */
async function cleanPixels(
  parsed: ParsedDicom,
  elements: DicomDataset,
  out: DicomDataset,
  ctx: WalkContext,
  burnedIn: BurnedInCheck,
  utf8: boolean,
): Promise<{ transferSyntaxUID: string; burned: DeidentifyReport['burnedInAnnotation'] }> {
  let transferSyntaxUID: string = isNativeTransferSyntaxUID(parsed.transferSyntaxUID)
    ? TransferSyntaxUID.ExplicitVRLittleEndian
    : parsed.transferSyntaxUID;
  const { flag, sized } = burnedIn;
  const burned: DeidentifyReport['burnedInAnnotation'] = {
    flagged: flag.flagged,
    ...(flag.reason ? { reason: flag.reason } : {}),
    regionsBlanked: 0,
    reencoded: false,
  };
  if (sized) {
    const blanked = await blankRegions(parsed, out, sized.regions as PixelRegion[]);
    transferSyntaxUID = blanked.transferSyntaxUID;
    burned.regionsBlanked = blanked.regionsBlanked;
    burned.reencoded = blanked.reencoded;
    const before = text(elements, 0x00280301, utf8);
    setElement(out, { tag: 0x00280301, vr: 'CS', value: 'NO' });
    ctx.entries.push(entry(0x00280301, 'Burned In Annotation', before !== 'NO'));
  }
  return { transferSyntaxUID, burned };
}

/** The De-identification Method codes (CID 7050) of what was done. */
function methodCodes(options: DeidentifyOptions, pixelsCleaned: boolean): (readonly [string, string])[] {
  const codes: (readonly [string, string])[] = [DEID_METHOD_CODES.basicProfile];
  if (pixelsCleaned) codes.push(DEID_METHOD_CODES.cleanPixelData);
  if (options.cleanGraphics) codes.push(DEID_METHOD_CODES.cleanGraphics);
  if (options.cleanStructuredContent) codes.push(DEID_METHOD_CODES.cleanStructuredContent);
  if (options.cleanDescriptors) codes.push(DEID_METHOD_CODES.cleanDescriptors);
  const temporal = options.retainLongitudinalTemporalInformation;
  if (temporal === 'full') codes.push(DEID_METHOD_CODES.retainFullDates);
  if (temporal === 'modified') codes.push(DEID_METHOD_CODES.retainModifiedDates);
  if (options.retainPatientCharacteristics) codes.push(DEID_METHOD_CODES.retainPatientCharacteristics);
  if (options.retainDeviceIdentity) codes.push(DEID_METHOD_CODES.retainDeviceIdentity);
  if (options.retainUIDs) codes.push(DEID_METHOD_CODES.retainUIDs);
  if (options.retainSafePrivate) codes.push(DEID_METHOD_CODES.retainSafePrivate);
  if (options.retainInstitutionIdentity) codes.push(DEID_METHOD_CODES.retainInstitutionIdentity);
  return codes;
}

/** What was done, in the object itself (PS3.15 E.1.1). */
function recordDeidentification(
  out: DicomDataset,
  ctx: WalkContext,
  codes: (readonly [string, string])[],
  temporal: DeidentifyOptions['retainLongitudinalTemporalInformation'],
): void {
  const added: DicomElement[] = [
    { tag: 0x00120062, vr: 'CS', value: 'YES' },
    { tag: 0x00120063, vr: 'LO', value: codes.map(([, meaning]) => meaning.slice(0, 64)) },
    {
      tag: 0x00120064,
      vr: 'SQ',
      value: codes.map(([value, meaning]): DicomDataset => [
        { tag: 0x00080100, vr: 'SH', value },
        { tag: 0x00080102, vr: 'SH', value: 'DCM' },
        { tag: 0x00080104, vr: 'LO', value: meaning },
      ]),
    },
    {
      tag: 0x00280303,
      vr: 'CS',
      value: temporal === 'modified' ? 'MODIFIED' : temporal === 'full' ? 'UNMODIFIED' : 'REMOVED',
    },
  ];
  const names: Record<number, string> = {
    0x00120062: 'Patient Identity Removed',
    0x00120063: 'De-identification Method',
    0x00120064: 'De-identification Method Code Sequence',
    0x00280303: 'Longitudinal Temporal Information Modified',
  };
  for (const a of added) {
    setElement(out, a);
    ctx.entries.push(entry(a.tag, names[a.tag]!, true));
  }
}

function entry(tag: number, name: string, changed: boolean): DeidentifyReportEntry {
  const hex = tag.toString(16).toUpperCase().padStart(8, '0');
  const formatted = `(${hex.slice(0, 4)},${hex.slice(4)})`;
  return { tag: formatted, path: formatted, name, action: 'add', changed };
}
