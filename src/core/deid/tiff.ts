/**
 * TIFF de-identification: removes the descriptive tags that can hold identity, in place in a copy of the
 * file, so every strip, tile and IFD offset stays valid.
 *
 * - Removed from every IFD (and SubIFD): Artist (315), HostComputer (316), DateTime (306), DocumentName
 *   (269), PageName (285), Software (305), Copyright (33432), XMP (700), the EXIF (34665), GPS (34853) and
 *   Interoperability (40965) IFD pointers, and every private tag (>= 32768) except those needed to decode or
 *   place the image: GeoTIFF (33550, 33922, 34264, 34735, 34736, 34737), GDAL_NODATA (42113), ICC profile
 *   (34675) and the SGI depth tags (32997, 32998).
 * - ImageDescription (270): OME-XML is kept as structural metadata after removing its identifying parts
 *   (Experimenter, ExperimenterGroup, Description, AcquisitionDate, StructuredAnnotations, references to
 *   them, and Name attributes); an ImageJ description keeps only its structural keys; anything else is
 *   removed.
 * - Removed values (and the EXIF/GPS directories with their values) are overwritten with zeros, so the
 *   bytes are gone from the file, not just unreferenced. The IFD is rewritten shorter at the same place.
 */
import { ErrorCode, VoxmarkError } from '../errors.js';

/** One tag touched in one IFD. Never carries the removed value. */
export interface TiffDeidentifyReportEntry {
  /** Index of the IFD in the main chain; SubIFDs and EXIF/GPS directories count under their parent. */
  ifd: number;
  tag: number;
  name: string;
  /** X removed, C cleaned (kept with identifying parts removed). */
  action: 'X' | 'C';
  changed: boolean;
}

/** What `deidentifyTiff` removed or cleaned. */
export interface TiffDeidentifyReport {
  entries: TiffDeidentifyReportEntry[];
}

/** The result of `deidentifyTiff`: new bytes (the input is untouched) and the report. */
export interface TiffDeidentifyResult {
  bytes: ArrayBuffer;
  report: TiffDeidentifyReport;
}

const NAMES: Record<number, string> = {
  269: 'DocumentName',
  270: 'ImageDescription',
  285: 'PageName',
  305: 'Software',
  306: 'DateTime',
  315: 'Artist',
  316: 'HostComputer',
  700: 'XMP',
  33432: 'Copyright',
  34665: 'ExifIFD',
  34853: 'GPSInfoIFD',
  40965: 'InteroperabilityIFD',
};
const REMOVE = new Set([269, 285, 305, 306, 315, 316, 700, 33432, 34665, 34853, 40965]);
const KEEP_PRIVATE = new Set([32997, 32998, 33550, 33922, 34264, 34675, 34735, 34736, 34737, 42113]);
const SUB_IFDS = 330;
const SUB_DIRECTORY_POINTERS = new Set([34665, 34853, 40965]);
const TYPE_SIZES: Record<number, number> = {
  1: 1,
  2: 1,
  3: 2,
  4: 4,
  5: 8,
  6: 1,
  7: 1,
  8: 2,
  9: 4,
  10: 8,
  11: 4,
  12: 8,
  13: 4,
  16: 8,
  17: 8,
  18: 8,
};
const MAX_IFDS = 100_000;

const IMAGEJ_KEYS = new Set([
  'ImageJ',
  'images',
  'channels',
  'slices',
  'frames',
  'hyperstack',
  'mode',
  'unit',
  'spacing',
  'loop',
  'min',
  'max',
  'finterval',
  'fps',
  'cf',
  'c0',
  'c1',
  'vunit',
  'xorigin',
  'yorigin',
  'zorigin',
  'yunit',
  'zunit',
  'ranges',
  'LUTs',
  'tunit',
  'Ranges',
  'axes',
  'shape',
]);

interface Entry {
  at: number;
  tag: number;
  type: number;
  count: number;
  /** Where the value is: inline in the entry, or at an offset. */
  valueAt: number;
  byteLength: number;
  inline: boolean;
}

class Tiff {
  readonly view: DataView;
  readonly le: boolean;
  readonly big: boolean;
  constructor(readonly bytes: Uint8Array) {
    if (bytes.length < 8) throw new VoxmarkError(ErrorCode.Truncated, 'TIFF header is truncated');
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const order = String.fromCharCode(bytes[0]!, bytes[1]!);
    if (order !== 'II' && order !== 'MM') throw new VoxmarkError(ErrorCode.NotAnImage, 'Not a TIFF file');
    this.le = order === 'II';
    const magic = this.view.getUint16(2, this.le);
    if (magic !== 42 && magic !== 43) throw new VoxmarkError(ErrorCode.NotAnImage, 'Not a TIFF file');
    this.big = magic === 43;
  }
  u16(at: number): number {
    this.check(at, 2);
    return this.view.getUint16(at, this.le);
  }
  u32(at: number): number {
    this.check(at, 4);
    return this.view.getUint32(at, this.le);
  }
  offset(at: number): number {
    if (!this.big) return this.u32(at);
    this.check(at, 8);
    const v = this.view.getBigUint64(at, this.le);
    if (v > BigInt(Number.MAX_SAFE_INTEGER))
      throw new VoxmarkError(ErrorCode.Corrupt, 'TIFF offset out of range');
    return Number(v);
  }
  setU16(at: number, v: number): void {
    this.view.setUint16(at, v, this.le);
  }
  setOffset(at: number, v: number): void {
    if (this.big) this.view.setBigUint64(at, BigInt(v), this.le);
    else this.view.setUint32(at, v, this.le);
  }
  check(at: number, n: number): void {
    if (at < 0 || at + n > this.bytes.length) {
      throw new VoxmarkError(ErrorCode.Truncated, 'TIFF structure points past the end of the file');
    }
  }
  get firstIfd(): number {
    return this.big ? this.offset(8) : this.u32(4);
  }
  get entrySize(): number {
    return this.big ? 20 : 12;
  }
  get countSize(): number {
    return this.big ? 8 : 2;
  }
  readEntries(ifd: number): { entries: Entry[]; next: number; nextAt: number } {
    const count = this.big ? this.offset(ifd) : this.u16(ifd);
    if (count > 65535 * 16) throw new VoxmarkError(ErrorCode.Corrupt, 'TIFF IFD has too many entries');
    const start = ifd + this.countSize;
    this.check(start, count * this.entrySize + (this.big ? 8 : 4));
    const entries: Entry[] = [];
    for (let i = 0; i < count; i++) {
      const at = start + i * this.entrySize;
      const tag = this.u16(at);
      const type = this.u16(at + 2);
      const n = this.big ? this.offset(at + 4) : this.u32(at + 4);
      const size = (TYPE_SIZES[type] ?? 1) * n;
      const fieldAt = at + (this.big ? 12 : 8);
      const inline = size <= (this.big ? 8 : 4);
      entries.push({
        at,
        tag,
        type,
        count: n,
        byteLength: size,
        inline,
        valueAt: inline ? fieldAt : this.offset(fieldAt),
      });
    }
    const nextAt = start + count * this.entrySize;
    return { entries, next: this.offset(nextAt), nextAt };
  }
  offsetsOf(e: Entry): number[] {
    const size = TYPE_SIZES[e.type] ?? 4;
    const out: number[] = [];
    for (let i = 0; i < e.count && i < 4096; i++) {
      const at = e.valueAt + i * size;
      out.push(size === 8 ? this.offsetAt8(at) : this.u32(at));
    }
    return out;
  }
  offsetAt8(at: number): number {
    this.check(at, 8);
    return Number(this.view.getBigUint64(at, this.le));
  }
  zero(at: number, n: number): void {
    if (n <= 0) return;
    this.check(at, n);
    this.bytes.fill(0, at, at + n);
  }
}

/**
 * Removes identifying descriptive tags from TIFF (or BigTIFF) bytes. Returns new bytes (the input is not
 * modified) and a report of every tag removed or cleaned.
 */
export function deidentifyTiff(input: ArrayBuffer | Uint8Array): TiffDeidentifyResult {
  const src = input instanceof Uint8Array ? input : new Uint8Array(input);
  const bytes = src.slice();
  const tiff = new Tiff(bytes);
  const report: TiffDeidentifyReport = { entries: [] };
  const visited = new Set<number>();
  let ifd = tiff.firstIfd;
  let index = 0;
  while (ifd !== 0) {
    if (visited.has(ifd) || visited.size > MAX_IFDS) {
      throw new VoxmarkError(ErrorCode.Corrupt, 'TIFF IFD chain loops');
    }
    ifd = cleanIfd(tiff, ifd, index, visited, report);
    index++;
  }
  return { bytes: bytes.buffer as ArrayBuffer, report };
}

/** What cleaning one IFD decided: the entries kept, byte ranges to zero, shortened descriptions. */
interface IfdCleaning {
  kept: Entry[];
  zeroes: { at: number; n: number }[];
  replacements: Map<Entry, Uint8Array>;
}

/** Cleans one IFD (and its SubIFDs); returns the offset of the next IFD. */
function cleanIfd(
  tiff: Tiff,
  ifd: number,
  index: number,
  visited: Set<number>,
  report: TiffDeidentifyReport,
): number {
  visited.add(ifd);
  const { entries, next } = tiff.readEntries(ifd);
  const cleaning: IfdCleaning = { kept: [], zeroes: [], replacements: new Map() };
  for (const e of entries) {
    const name = NAMES[e.tag] ?? `Private tag ${e.tag}`;
    if (e.tag === 270) {
      cleanDescriptionEntry(tiff, e, index, name, cleaning, report);
      continue;
    }
    if (SUB_DIRECTORY_POINTERS.has(e.tag)) {
      for (const sub of tiff.offsetsOf(e)) zeroDirectory(tiff, sub, visited, cleaning.zeroes);
    }
    if (REMOVE.has(e.tag) || (e.tag >= 32768 && !KEEP_PRIVATE.has(e.tag))) {
      report.entries.push({ ifd: index, tag: e.tag, name, action: 'X', changed: true });
      if (!e.inline) cleaning.zeroes.push({ at: e.valueAt, n: e.byteLength });
      continue;
    }
    cleaning.kept.push(e);
    if (e.tag === SUB_IFDS) {
      for (const sub of tiff.offsetsOf(e)) {
        if (sub !== 0 && !visited.has(sub)) cleanIfd(tiff, sub, index, visited, report);
      }
    }
  }
  zeroRemovedValues(tiff, cleaning);
  writeReplacements(tiff, cleaning);
  if (cleaning.kept.length !== entries.length || cleaning.replacements.size > 0) {
    rewriteDirectory(tiff, ifd, entries.length, next, cleaning);
  }
  return next;
}

/** ImageDescription: cleaned in place when it gets no longer, removed when nothing (or too much) is left. */
function cleanDescriptionEntry(
  tiff: Tiff,
  e: Entry,
  index: number,
  name: string,
  cleaning: IfdCleaning,
  report: TiffDeidentifyReport,
): void {
  tiff.check(e.valueAt, e.byteLength);
  let original = '';
  for (let i = 0; i < e.byteLength; i++) original += String.fromCharCode(tiff.bytes[e.valueAt + i]!);
  original = original.replace(/\0+$/, '');
  const cleaned = cleanDescription(original);
  if (cleaned === undefined) {
    report.entries.push({ ifd: index, tag: e.tag, name, action: 'X', changed: true });
    if (!e.inline) cleaning.zeroes.push({ at: e.valueAt, n: e.byteLength });
    return;
  }
  if (!e.inline && cleaned.length + 1 > e.byteLength && cleaned !== original) {
    // Cleaning never lengthens a value; if it would, drop the tag rather than move it.
    report.entries.push({ ifd: index, tag: e.tag, name, action: 'X', changed: true });
    cleaning.zeroes.push({ at: e.valueAt, n: e.byteLength });
    return;
  }
  cleaning.kept.push(e);
  if (cleaned !== original) {
    const encoded = new Uint8Array(cleaned.length + 1);
    for (let i = 0; i < cleaned.length; i++) encoded[i] = cleaned.charCodeAt(i) & 0xff;
    cleaning.replacements.set(e, encoded);
  }
  report.entries.push({ ifd: index, tag: e.tag, name, action: 'C', changed: cleaned !== original });
}

/** Zeroes removed values, except bytes a kept entry still points at. */
function zeroRemovedValues(tiff: Tiff, cleaning: IfdCleaning): void {
  const keptRanges = cleaning.kept
    .filter((e) => !e.inline)
    .map((e) => [e.valueAt, e.valueAt + e.byteLength] as const);
  for (const z of cleaning.zeroes) {
    for (let p = z.at; p < z.at + z.n; p++) {
      if (!keptRanges.some(([a, b]) => p >= a && p < b)) tiff.bytes[p] = 0;
    }
  }
}

/** Shortened descriptions: written over their old value, the rest zeroed. */
function writeReplacements(tiff: Tiff, cleaning: IfdCleaning): void {
  for (const [e, encoded] of cleaning.replacements) {
    if (e.inline) {
      tiff.zero(e.valueAt, tiff.big ? 8 : 4);
      tiff.bytes.set(encoded.subarray(0, Math.min(encoded.length, tiff.big ? 8 : 4)), e.valueAt);
    } else {
      tiff.zero(e.valueAt, e.byteLength);
      tiff.bytes.set(encoded, e.valueAt);
    }
    e.count = encoded.length;
  }
}

/** Rewrites the directory in place with the kept entries: it only gets shorter. */
function rewriteDirectory(
  tiff: Tiff,
  ifd: number,
  entryCount: number,
  next: number,
  cleaning: IfdCleaning,
): void {
  const { kept, replacements } = cleaning;
  const size = tiff.entrySize;
  const saved = kept.map((e) => {
    const raw = tiff.bytes.slice(e.at, e.at + size);
    const view = new DataView(raw.buffer);
    if (replacements.has(e)) {
      if (tiff.big) view.setBigUint64(4, BigInt(e.count), tiff.le);
      else view.setUint32(4, e.count, tiff.le);
      if (e.count <= (tiff.big ? 8 : 4)) {
        // Now short enough to live inline.
        raw.fill(0, tiff.big ? 12 : 8);
        raw.set(replacements.get(e)!, tiff.big ? 12 : 8);
      }
    }
    return raw;
  });
  const start = ifd + tiff.countSize;
  const end = start + entryCount * size + (tiff.big ? 8 : 4);
  tiff.zero(ifd, end - ifd);
  if (tiff.big) tiff.setOffset(ifd, kept.length);
  else tiff.setU16(ifd, kept.length);
  saved.forEach((raw, i) => tiff.bytes.set(raw, start + i * size));
  tiff.setOffset(start + kept.length * size, next);
}

/** Zeroes an EXIF/GPS directory and the values it points at (maker notes included). */
function zeroDirectory(
  tiff: Tiff,
  ifd: number,
  visited: Set<number>,
  zeroes: { at: number; n: number }[],
): void {
  if (ifd === 0 || visited.has(ifd)) return;
  visited.add(ifd);
  let parsed: ReturnType<Tiff['readEntries']>;
  try {
    parsed = tiff.readEntries(ifd);
  } catch {
    return; // A broken sub-directory is dropped with its pointer either way.
  }
  for (const e of parsed.entries) {
    if (SUB_DIRECTORY_POINTERS.has(e.tag))
      for (const sub of tiff.offsetsOf(e)) zeroDirectory(tiff, sub, visited, zeroes);
    if (!e.inline && e.valueAt + e.byteLength <= tiff.bytes.length)
      zeroes.push({ at: e.valueAt, n: e.byteLength });
  }
  zeroes.push({ at: ifd, n: parsed.nextAt + (tiff.big ? 8 : 4) - ifd });
}

/**
 * What of an ImageDescription may stay: cleaned OME-XML, the structural keys of an ImageJ description, or
 * nothing (undefined).
 */
export function cleanDescription(text: string): string | undefined {
  const t = text.trim();
  if (/^<\?xml[^>]*\?>\s*<OME[\s>]/.test(t) || /^<OME[\s>]/.test(t)) return cleanOmeXml(t);
  if (t.startsWith('ImageJ=')) {
    const lines = t.split(/\r?\n/).filter((line) => IMAGEJ_KEYS.has(line.split('=')[0]!.trim()));
    return lines.join('\n') + '\n';
  }
  return undefined;
}

const OME_REMOVE_ELEMENTS = [
  'Experimenter',
  'ExperimenterGroup',
  'Description',
  'AcquisitionDate',
  'StructuredAnnotations',
  'ExperimenterRef',
  'ExperimenterGroupRef',
  'AnnotationRef',
  'Leader',
];

/** Removes identifying elements and Name attributes from OME-XML, keeping its structure. */
export function cleanOmeXml(xml: string): string {
  let out = xml;
  for (const name of OME_REMOVE_ELEMENTS) {
    const prefixed = `(?:[A-Za-z][\\w.-]*:)?${name}`;
    // <X .../> and <X ...>...</X> (no nesting of the same element in OME).
    out = out.replace(new RegExp(`<${prefixed}(\\s[^>]*)?/>`, 'g'), '');
    out = out.replace(new RegExp(`<(${prefixed})(\\s[^>]*)?>[\\s\\S]*?</\\1\\s*>`, 'g'), '');
  }
  out = out.replace(/\s(Name|UserName|Email|FirstName|LastName|MiddleName|Institution)="[^"]*"/g, '');
  return out;
}
