/**
 * A small, DOM-free DICOM Part 10 writer.
 *
 * ## API
 *
 * A dataset is a list of elements `{ tag, vr, value }` (any order: the writer sorts by tag, and refuses
 * duplicates). `tag` is a number, built with `tag(0x0008, 0x0018)` or `parseTag('(0008,0018)')`.
 *
 * | `value`                                 | VRs                                   | written as                                      |
 * | --------------------------------------- | ------------------------------------- | ----------------------------------------------- |
 * | `string` or `string[]`                  | text VRs (AE AS CS DA DS DT IS LO LT PN SH ST TM UC UI UR UT) | joined by `\`, padded to even length: NUL for UI, space otherwise |
 * | `number` / `number[]`                   | US SS UL SL FL FD SV UV, OB OW OL OF OD OV (one word each), IS DS (formatted), AT (`tag` numbers) | little-endian binary; DS as at most 16 characters |
 * | `bigint` / `bigint[]`                   | SV UV OV                              | 64-bit little endian                            |
 * | `Uint8Array` (or any typed array)       | any VR                                | the bytes as given (already encoded, little endian), padded to even length with NUL (space for text VRs) |
 * | `DicomDataset[]`                        | SQ                                    | one item per dataset, recursively               |
 * | `{ fragments, offsetTable? }`           | OB (7FE0,0010)                        | encapsulated pixel data: the basic offset table item, one item per fragment, a sequence delimiter |
 * | `undefined` / `null`                    | any                                   | zero length                                     |
 *
 * `undefinedLength: true` on a non-SQ element (a raw `UN` that held an implicit VR sequence) writes its bytes
 * between an undefined length and a sequence delimitation item, as it was read.
 *
 * - `writeDataset(dataset, options)` encodes the dataset alone (no preamble, no meta header), explicit VR
 *   little endian by default or implicit VR little endian with `{ implicit: true }`.
 * - `writeDicomFile(dataset, options)` writes a complete Part 10 file: the 128-byte preamble, `DICM`, the
 *   group 0002 File Meta Information (group length, version 00\01, Media Storage SOP Class/Instance UID
 *   taken from (0008,0016)/(0008,0018) unless given, Transfer Syntax UID, voxmark's Implementation Class UID
 *   and Version Name), then the dataset. Group 0002 elements in `dataset` are ignored: the meta header is
 *   always written fresh. The transfer syntax defaults to explicit VR little endian; implicit VR little
 *   endian is written as implicit; any other (compressed) transfer syntax is written explicit VR little
 *   endian with its encapsulated pixel data as given.
 * - Sequences and items get defined lengths by default; `{ sequenceLengths: 'undefined' }` writes undefined
 *   lengths with delimitation items instead.
 * - Text is encoded as UTF-8 when the dataset's Specific Character Set (0008,0005) includes `ISO_IR 192`,
 *   otherwise as ISO 8859-1 (characters above U+00FF are refused with VoxmarkError('invalid-argument')).
 *   Values given as bytes are written untouched, whatever their character set.
 * - A value too long for a 16-bit length in explicit VR is written as UN (as PS3.5 6.2.2 allows).
 * - The result is a `Uint8Array` whose `buffer` is exactly the file (`byteOffset` 0, no slack).
 *
 * `elementsFromDataSet` (reader.ts) turns a dicom-parser DataSet into such a dataset, so anything read can
 * be written back.
 *
 * @example
 * const bytes = writeDicomFile([
 *   { tag: tag(0x0008, 0x0016), vr: 'UI', value: '1.2.840.10008.5.1.4.1.1.66.4' },
 *   { tag: tag(0x0008, 0x0018), vr: 'UI', value: '2.25.1234' },
 *   { tag: tag(0x0028, 0x0010), vr: 'US', value: 512 },
 *   { tag: tag(0x0062, 0x0002), vr: 'SQ', value: [[{ tag: tag(0x0062, 0x0004), vr: 'US', value: 1 }]] },
 *   { tag: tag(0x7fe0, 0x0010), vr: 'OB', value: packedBits },
 * ]);
 */
import { ErrorCode, VoxmarkError } from '../errors.js';
import { LONG_LENGTH_VRS, TEXT_VRS, formatTag, tag as makeTag, tagGroup, wordSize, type Vr } from './tags.js';
import { TransferSyntaxUID } from './transfer-syntax.js';

/** Encapsulated (compressed) pixel data: the fragments, and the basic offset table (empty by default). */
export interface EncapsulatedPixelData {
  readonly fragments: readonly Uint8Array[];
  /** Byte offsets of each frame's first fragment item, relative to the first fragment item. */
  readonly offsetTable?: readonly number[];
}

/** What an element can hold; see the table at the top of this module. */
export type DicomValue =
  | string
  | readonly string[]
  | number
  | readonly number[]
  | bigint
  | readonly bigint[]
  | ArrayBufferView
  | readonly DicomDataset[]
  | EncapsulatedPixelData
  | null
  | undefined;

/** One data element to write. */
export interface DicomElement {
  tag: number;
  vr: Vr;
  value?: DicomValue;
  /** For a non-SQ element given as bytes: write an undefined length and a sequence delimitation item. */
  undefinedLength?: boolean;
}

/** A dataset: a list of elements, in any order. */
export type DicomDataset = DicomElement[];

/** Options of `writeDataset`. */
export interface WriteDatasetOptions {
  /** Implicit VR little endian instead of explicit VR little endian. */
  implicit?: boolean;
  /** `'defined'` (default) or `'undefined'` lengths, with delimitation items, for sequences and items. */
  sequenceLengths?: 'defined' | 'undefined';
}

/** Options of `writeDicomFile`. */
export interface WriteFileOptions {
  /** Default explicit VR little endian. Big endian and deflate are not written. */
  transferSyntaxUID?: string;
  sequenceLengths?: 'defined' | 'undefined';
  /** Default: the dataset's SOP Class UID (0008,0016). */
  mediaStorageSOPClassUID?: string;
  /** Default: the dataset's SOP Instance UID (0008,0018). */
  mediaStorageSOPInstanceUID?: string;
  /** (0002,0016), written only when given. */
  sourceApplicationEntityTitle?: string;
  /** Default voxmark's {@link IMPLEMENTATION_CLASS_UID}. */
  implementationClassUID?: string;
  /** Default {@link IMPLEMENTATION_VERSION_NAME}. */
  implementationVersionName?: string;
}

/** voxmark's Implementation Class UID (0002,0012): a UUID-derived 2.25 UID, fixed for the project. */
export const IMPLEMENTATION_CLASS_UID = '2.25.119046231229796282218716822714031534638';
/** voxmark's Implementation Version Name (0002,0013), at most 16 characters. */
export const IMPLEMENTATION_VERSION_NAME = 'VOXMARK_0_1';

const ITEM = 0xfffee000;
const ITEM_DELIMITATION = 0xfffee00d;
const SEQUENCE_DELIMITATION = 0xfffee0dd;
const UNDEFINED = 0xffffffff;
const SPECIFIC_CHARACTER_SET = 0x00080005;
const PIXEL_DATA = 0x7fe00010;

const HOST_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Collects byte chunks without copying until the end. */
class Sink {
  readonly chunks: Uint8Array[] = [];
  length = 0;
  push(bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    this.chunks.push(bytes);
    this.length += bytes.length;
  }
  append(other: Sink): void {
    for (const c of other.chunks) this.chunks.push(c);
    this.length += other.length;
  }
  concat(): Uint8Array {
    const out = new Uint8Array(this.length);
    let offset = 0;
    for (const c of this.chunks) {
      out.set(c, offset);
      offset += c.length;
    }
    return out;
  }
}

interface Context {
  implicit: boolean;
  undefinedLengths: boolean;
  utf8: boolean;
}

/** Encodes a dataset without preamble or meta header. */
export function writeDataset(dataset: DicomDataset, options: WriteDatasetOptions = {}): Uint8Array {
  const sink = new Sink();
  encodeDataset(sink, dataset, {
    implicit: options.implicit ?? false,
    undefinedLengths: options.sequenceLengths === 'undefined',
    utf8: false,
  });
  return sink.concat();
}

/** Writes a complete DICOM Part 10 file: preamble, `DICM`, the group 0002 meta header, then the dataset. */
export function writeDicomFile(dataset: DicomDataset, options: WriteFileOptions = {}): Uint8Array {
  const transferSyntaxUID = options.transferSyntaxUID ?? TransferSyntaxUID.ExplicitVRLittleEndian;
  if (
    transferSyntaxUID === TransferSyntaxUID.ExplicitVRBigEndian ||
    transferSyntaxUID === TransferSyntaxUID.DeflatedExplicitVRLittleEndian
  ) {
    throw new VoxmarkError(
      ErrorCode.InvalidArgument,
      `The writer does not produce transfer syntax ${transferSyntaxUID}`,
    );
  }
  const implicit = transferSyntaxUID === TransferSyntaxUID.ImplicitVRLittleEndian;
  const body = dataset.filter((e) => tagGroup(e.tag) !== 0x0002);
  const pixel = body.find((e) => e.tag === PIXEL_DATA);
  const encapsulated = pixel !== undefined && isEncapsulated(pixel.value);
  const native = Object.values(TransferSyntaxUID).includes(transferSyntaxUID as never);
  if (encapsulated && native) {
    throw new VoxmarkError(
      ErrorCode.InvalidArgument,
      `Encapsulated pixel data cannot be written with native transfer syntax ${transferSyntaxUID}`,
    );
  }
  const sopClass = options.mediaStorageSOPClassUID ?? textOf(body, 0x00080016);
  const sopInstance = options.mediaStorageSOPInstanceUID ?? textOf(body, 0x00080018);
  if (!sopClass || !sopInstance) {
    throw new VoxmarkError(
      ErrorCode.InvalidArgument,
      'A Part 10 file needs a SOP Class UID (0008,0016) and SOP Instance UID (0008,0018)',
    );
  }
  const meta: DicomDataset = [
    { tag: 0x00020001, vr: 'OB', value: new Uint8Array([0, 1]) },
    { tag: 0x00020002, vr: 'UI', value: sopClass },
    { tag: 0x00020003, vr: 'UI', value: sopInstance },
    { tag: 0x00020010, vr: 'UI', value: transferSyntaxUID },
    { tag: 0x00020012, vr: 'UI', value: options.implementationClassUID ?? IMPLEMENTATION_CLASS_UID },
    { tag: 0x00020013, vr: 'SH', value: options.implementationVersionName ?? IMPLEMENTATION_VERSION_NAME },
  ];
  if (options.sourceApplicationEntityTitle !== undefined) {
    meta.push({ tag: 0x00020016, vr: 'AE', value: options.sourceApplicationEntityTitle });
  }
  const metaContext: Context = { implicit: false, undefinedLengths: false, utf8: false };
  const metaSink = new Sink();
  encodeDataset(metaSink, meta, metaContext);
  const out = new Sink();
  const preamble = new Uint8Array(132);
  preamble.set([0x44, 0x49, 0x43, 0x4d], 128);
  out.push(preamble);
  const groupLength = new Sink();
  encodeElement(groupLength, { tag: 0x00020000, vr: 'UL', value: metaSink.length }, metaContext);
  out.append(groupLength);
  out.append(metaSink);
  encodeDataset(out, body, {
    implicit,
    undefinedLengths: options.sequenceLengths === 'undefined',
    utf8: false,
  });
  return out.concat();
}

function textOf(dataset: DicomDataset, t: number): string | undefined {
  const e = dataset.find((x) => x.tag === t);
  if (!e) return undefined;
  if (typeof e.value === 'string') return e.value.replace(/[\0 ]+$/, '');
  if (e.value instanceof Uint8Array) return latin1(e.value).replace(/[\0 ]+$/, '');
  return undefined;
}

function latin1(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 8192) {
    s += String.fromCharCode(...bytes.subarray(i, i + 8192));
  }
  return s;
}

function isEncapsulated(value: DicomValue): value is EncapsulatedPixelData {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    !ArrayBuffer.isView(value) &&
    'fragments' in value
  );
}

function encodeDataset(sink: Sink, dataset: DicomDataset, parent: Context): void {
  const sorted = [...dataset].sort((a, b) => (a.tag >>> 0) - (b.tag >>> 0));
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i]!.tag >>> 0 === sorted[i - 1]!.tag >>> 0) {
      throw new VoxmarkError(
        ErrorCode.InvalidArgument,
        `Element ${formatTag(sorted[i]!.tag)} appears twice in one dataset`,
      );
    }
  }
  const charset = sorted.find((e) => e.tag === SPECIFIC_CHARACTER_SET);
  const context: Context = charset
    ? { ...parent, utf8: characterSetText(charset.value).includes('ISO_IR 192') }
    : parent;
  for (const element of sorted) encodeElement(sink, element, context);
}

function characterSetText(value: DicomValue): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.join('\\');
  if (value instanceof Uint8Array) return latin1(value);
  return '';
}

function header(t: number, vr: Vr, length: number, context: Context): Uint8Array {
  const group = t >>> 16;
  const element = t & 0xffff;
  if (context.implicit || group === 0xfffe) {
    const h = new Uint8Array(8);
    const v = new DataView(h.buffer);
    v.setUint16(0, group, true);
    v.setUint16(2, element, true);
    v.setUint32(4, length, true);
    return h;
  }
  if (LONG_LENGTH_VRS.has(vr)) {
    const h = new Uint8Array(12);
    const v = new DataView(h.buffer);
    v.setUint16(0, group, true);
    v.setUint16(2, element, true);
    h[4] = vr.charCodeAt(0);
    h[5] = vr.charCodeAt(1);
    v.setUint32(8, length, true);
    return h;
  }
  const h = new Uint8Array(8);
  const v = new DataView(h.buffer);
  v.setUint16(0, group, true);
  v.setUint16(2, element, true);
  h[4] = vr.charCodeAt(0);
  h[5] = vr.charCodeAt(1);
  v.setUint16(6, length, true);
  return h;
}

function delimiter(t: number): Uint8Array {
  const h = new Uint8Array(8);
  const v = new DataView(h.buffer);
  v.setUint16(0, t >>> 16, true);
  v.setUint16(2, t & 0xffff, true);
  return h;
}

function encodeElement(sink: Sink, element: DicomElement, context: Context): void {
  const { tag: t, vr } = element;
  if (tagGroup(t) === 0xfffe) {
    throw new VoxmarkError(ErrorCode.InvalidArgument, `${formatTag(t)} is an item tag, not a data element`);
  }
  if (vr === 'SQ') {
    encodeSequence(sink, element, context);
    return;
  }
  if (isEncapsulated(element.value)) {
    encodeEncapsulated(sink, element, element.value, context);
    return;
  }
  const value = encodeValue(element, context);
  if (element.undefinedLength) {
    sink.push(header(t, vr === 'UN' || LONG_LENGTH_VRS.has(vr) ? vr : 'UN', UNDEFINED, context));
    sink.push(value);
    sink.push(delimiter(SEQUENCE_DELIMITATION));
    return;
  }
  let writtenVr = vr;
  if (!context.implicit && !LONG_LENGTH_VRS.has(vr) && value.length > 0xfffe) writtenVr = 'UN';
  if (value.length > 0xfffffffe) {
    throw new VoxmarkError(ErrorCode.TooLarge, `Element ${formatTag(t)} is too long for DICOM`);
  }
  sink.push(header(t, writtenVr, value.length, context));
  sink.push(value);
}

function encodeSequence(sink: Sink, element: DicomElement, context: Context): void {
  const items = (element.value ?? []) as readonly DicomDataset[];
  if (!Array.isArray(items) || items.some((item) => !Array.isArray(item))) {
    throw new VoxmarkError(
      ErrorCode.InvalidArgument,
      `Sequence ${formatTag(element.tag)} must hold a list of item datasets`,
    );
  }
  const body = new Sink();
  for (const item of items) {
    const itemSink = new Sink();
    encodeDataset(itemSink, item, context);
    if (context.undefinedLengths) {
      body.push(header(ITEM, 'UN', UNDEFINED, context));
      body.append(itemSink);
      body.push(delimiter(ITEM_DELIMITATION));
    } else {
      body.push(header(ITEM, 'UN', itemSink.length, context));
      body.append(itemSink);
    }
  }
  if (context.undefinedLengths) {
    sink.push(header(element.tag, 'SQ', UNDEFINED, context));
    sink.append(body);
    sink.push(delimiter(SEQUENCE_DELIMITATION));
  } else {
    sink.push(header(element.tag, 'SQ', body.length, context));
    sink.append(body);
  }
}

function encodeEncapsulated(
  sink: Sink,
  element: DicomElement,
  value: EncapsulatedPixelData,
  context: Context,
): void {
  if (context.implicit) {
    throw new VoxmarkError(
      ErrorCode.InvalidArgument,
      'Encapsulated pixel data needs an explicit VR transfer syntax',
    );
  }
  sink.push(header(element.tag, element.vr === 'OW' ? 'OW' : 'OB', UNDEFINED, context));
  const offsets = value.offsetTable ?? [];
  const table = new Uint8Array(offsets.length * 4);
  const tv = new DataView(table.buffer);
  offsets.forEach((o, i) => tv.setUint32(i * 4, o, true));
  sink.push(header(ITEM, 'UN', table.length, context));
  sink.push(table);
  for (const fragment of value.fragments) {
    const padded = fragment.length & 1 ? padTo(fragment, fragment.length + 1, 0) : fragment;
    sink.push(header(ITEM, 'UN', padded.length, context));
    sink.push(padded);
  }
  sink.push(delimiter(SEQUENCE_DELIMITATION));
}

function padTo(bytes: Uint8Array, length: number, pad: number): Uint8Array {
  const out = new Uint8Array(length);
  out.set(bytes);
  out.fill(pad, bytes.length);
  return out;
}

function even(bytes: Uint8Array, vr: Vr): Uint8Array {
  if ((bytes.length & 1) === 0) return bytes;
  return padTo(bytes, bytes.length + 1, TEXT_VRS.has(vr) && vr !== 'UI' ? 0x20 : 0);
}

/** Encodes one element's value to its bytes (even length, little endian). */
export function encodeValue(element: DicomElement, context: { utf8: boolean } = { utf8: false }): Uint8Array {
  const { vr, value } = element;
  if (value === undefined || value === null) return new Uint8Array(0);
  if (ArrayBuffer.isView(value)) return even(littleEndianBytes(value), vr);
  if (TEXT_VRS.has(vr)) {
    const parts = (Array.isArray(value) ? value : [value]) as readonly unknown[];
    const strings = parts.map((p) => {
      if (typeof p === 'string') return p;
      if (typeof p === 'number' && vr === 'DS') return formatDecimalString(p, element.tag);
      if (typeof p === 'number' && vr === 'IS') return formatIntegerString(p, element.tag);
      throw badValue(element, `a ${vr} value must be a string`);
    });
    return even(encodeText(strings.join('\\'), context.utf8, element), vr);
  }
  const numbers = (Array.isArray(value) ? value : [value]) as readonly unknown[];
  if (!numbers.every((n) => typeof n === 'number' || typeof n === 'bigint')) {
    throw badValue(element, `a ${vr} value must be numbers or bytes`);
  }
  const size = vr === 'AT' ? 4 : wordSize(vr);
  if (size === 1 && vr !== 'OB' && vr !== 'UN') throw badValue(element, `VR ${vr} takes no numbers`);
  const out = new Uint8Array(numbers.length * size);
  const view = new DataView(out.buffer);
  numbers.forEach((n, i) => writeNumber(view, i * size, vr, n as number | bigint, element));
  return even(out, vr);
}

function writeNumber(
  view: DataView,
  offset: number,
  vr: Vr,
  n: number | bigint,
  element: DicomElement,
): void {
  const num = typeof n === 'bigint' ? Number(n) : n;
  const integer = (min: number, max: number) => {
    if (!Number.isInteger(num) || num < min || num > max) throw badValue(element, `${n} does not fit ${vr}`);
    return num;
  };
  switch (vr) {
    case 'OB':
    case 'UN':
      view.setUint8(offset, integer(0, 0xff));
      return;
    case 'US':
    case 'OW':
      view.setUint16(offset, integer(0, 0xffff), true);
      return;
    case 'SS':
      view.setInt16(offset, integer(-0x8000, 0x7fff), true);
      return;
    case 'UL':
    case 'OL':
      view.setUint32(offset, integer(0, 0xffffffff), true);
      return;
    case 'SL':
      view.setInt32(offset, integer(-0x80000000, 0x7fffffff), true);
      return;
    case 'FL':
    case 'OF':
      view.setFloat32(offset, num, true);
      return;
    case 'FD':
    case 'OD':
      view.setFloat64(offset, num, true);
      return;
    case 'SV':
      view.setBigInt64(offset, typeof n === 'bigint' ? n : BigInt(integer(-(2 ** 63), 2 ** 63)), true);
      return;
    case 'UV':
    case 'OV':
      view.setBigUint64(offset, typeof n === 'bigint' ? n : BigInt(integer(0, 2 ** 64)), true);
      return;
    case 'AT': {
      const t = integer(0, 0xffffffff);
      view.setUint16(offset, t >>> 16, true);
      view.setUint16(offset + 2, t & 0xffff, true);
      return;
    }
    default:
      throw badValue(element, `VR ${vr} takes no numbers`);
  }
}

function littleEndianBytes(value: ArrayBufferView): Uint8Array {
  const bytes = new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  const size = (value as unknown as { BYTES_PER_ELEMENT?: number }).BYTES_PER_ELEMENT ?? 1;
  if (HOST_LITTLE_ENDIAN || size === 1 || value instanceof DataView) return bytes;
  const out = new Uint8Array(bytes.length);
  for (let i = 0; i < bytes.length; i += size) {
    for (let k = 0; k < size; k++) out[i + k] = bytes[i + size - 1 - k]!;
  }
  return out;
}

function encodeText(text: string, utf8: boolean, element: DicomElement): Uint8Array {
  if (utf8) return new TextEncoder().encode(text);
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c > 0xff) {
      throw badValue(
        element,
        'characters beyond ISO 8859-1 need Specific Character Set (0008,0005) ISO_IR 192 in the dataset',
      );
    }
    out[i] = c;
  }
  return out;
}

/** Formats a number as a DICOM DS value: at most 16 characters, without trailing zeros. */
export function formatDecimalString(n: number, t = 0): string {
  if (!Number.isFinite(n)) throw new VoxmarkError(ErrorCode.InvalidArgument, `DS ${formatTag(t)}: ${n}`);
  let s = String(n);
  if (s.length <= 16) return s;
  for (let precision = 15; precision >= 1; precision--) {
    s = n.toPrecision(precision);
    if (s.includes('e')) {
      const [mantissa, exponent] = s.split('e') as [string, string];
      s =
        (mantissa.includes('.') ? mantissa.replace(/0+$/, '').replace(/\.$/, '') : mantissa) + 'e' + exponent;
    } else if (s.includes('.')) {
      s = s.replace(/0+$/, '').replace(/\.$/, '');
    }
    if (s.length <= 16) return s;
  }
  throw new VoxmarkError(ErrorCode.InvalidArgument, `DS ${formatTag(t)}: ${n} does not fit 16 characters`);
}

function formatIntegerString(n: number, t: number): string {
  if (!Number.isInteger(n) || n < -(2 ** 31) || n > 2 ** 31 - 1) {
    throw new VoxmarkError(ErrorCode.InvalidArgument, `IS ${formatTag(t)}: ${n} is not a 32-bit integer`);
  }
  return String(n);
}

function badValue(element: DicomElement, why: string): VoxmarkError {
  return new VoxmarkError(ErrorCode.InvalidArgument, `Element ${formatTag(element.tag)}: ${why}`);
}

/** Shorthand for building an element. */
export function element(group: number, elementNumber: number, vr: Vr, value?: DicomValue): DicomElement {
  return { tag: makeTag(group, elementNumber), vr, value };
}
