import { ErrorCode, VoxmarkError } from '../../errors.js';

/** Largest number of pages (IFDs) voxmark follows in one TIFF. */
export const MAX_TIFF_PAGES = 100_000;

/** Bytes per value of each TIFF field type (TIFF 6.0 and BigTIFF). */
const TYPE_SIZES: Record<number, number> = {
  1: 1, // BYTE
  2: 1, // ASCII
  3: 2, // SHORT
  4: 4, // LONG
  5: 8, // RATIONAL
  6: 1, // SBYTE
  7: 1, // UNDEFINED
  8: 2, // SSHORT
  9: 4, // SLONG
  10: 8, // SRATIONAL
  11: 4, // FLOAT
  12: 8, // DOUBLE
  13: 4, // IFD
  16: 8, // LONG8
  17: 8, // SLONG8
  18: 8, // IFD8
};

/** TIFF tags voxmark reads itself (geotiff reads the rest). */
export const Tag = {
  NewSubfileType: 254,
  ImageWidth: 256,
  ImageLength: 257,
  BitsPerSample: 258,
  Compression: 259,
  Photometric: 262,
  ImageDescription: 270,
  StripOffsets: 273,
  SamplesPerPixel: 277,
  RowsPerStrip: 278,
  StripByteCounts: 279,
  MinSampleValue: 280,
  MaxSampleValue: 281,
  XResolution: 282,
  YResolution: 283,
  PlanarConfiguration: 284,
  ResolutionUnit: 296,
  Software: 305,
  Predictor: 317,
  TileWidth: 322,
  TileLength: 323,
  TileOffsets: 324,
  TileByteCounts: 325,
  ExtraSamples: 338,
  SampleFormat: 339,
  SMinSampleValue: 340,
  SMaxSampleValue: 341,
} as const;

/** One IFD entry: tag, field type, value count and where its value bytes are. */
export interface IfdEntry {
  tag: number;
  type: number;
  count: number;
  /** Where the value bytes start: inside the entry when they fit, else the offset the entry points to. */
  valueOffset: number;
}

/** One image file directory: its offset and its entries by tag. */
export interface Ifd {
  offset: number;
  entries: Map<number, IfdEntry>;
}

/** A TIFF's header and its chain of IFDs, checked against the file's bounds. */
export interface TiffLayout {
  littleEndian: boolean;
  bigTiff: boolean;
  ifds: Ifd[];
  /**
   * Why the chain was cut short: an IFD seen before (a loop), the page limit, or a later directory (or link)
   * that lies outside the file or is broken. The pages before the cut are kept.
   */
  truncatedChain: 'loop' | 'limit' | 'bad-link' | undefined;
}

/**
 * Reads the TIFF header and walks the IFD chain with a visited set and a page limit, so a file whose IFD
 * points at itself (or back into the chain) cannot make the walk loop. Every entry's value must lie inside the
 * file. Throws VoxmarkError('truncated' | 'corrupt' | 'not-an-image').
 */
export function readTiffLayout(bytes: Uint8Array, maxPages = MAX_TIFF_PAGES): TiffLayout {
  const size = bytes.byteLength;
  if (size < 8) throw new VoxmarkError(ErrorCode.Truncated, 'The TIFF header is cut short');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const bom = view.getUint16(0, false);
  if (bom !== 0x4949 && bom !== 0x4d4d)
    throw new VoxmarkError(ErrorCode.NotAnImage, 'Not a TIFF: bad byte-order mark');
  const le = bom === 0x4949;
  const magic = view.getUint16(2, le);
  let bigTiff: boolean;
  let first: number;
  if (magic === 42) {
    bigTiff = false;
    first = view.getUint32(4, le);
  } else if (magic === 43) {
    bigTiff = true;
    if (size < 16) throw new VoxmarkError(ErrorCode.Truncated, 'The BigTIFF header is cut short');
    if (view.getUint16(4, le) !== 8 || view.getUint16(6, le) !== 0)
      throw new VoxmarkError(ErrorCode.Corrupt, 'BigTIFF with an offset size other than 8');
    first = readU64(view, 8, le);
  } else {
    throw new VoxmarkError(ErrorCode.NotAnImage, `Not a TIFF: magic number ${magic}`);
  }

  const ifds: Ifd[] = [];
  const visited = new Set<number>();
  let offset = first;
  let truncatedChain: TiffLayout['truncatedChain'];
  while (offset !== 0) {
    if (visited.has(offset)) {
      truncatedChain = 'loop';
      break;
    }
    if (ifds.length >= maxPages) {
      truncatedChain = 'limit';
      break;
    }
    visited.add(offset);
    let read: { ifd: Ifd; next: number };
    try {
      read = readIfd(view, offset, le, bigTiff, ifds.length);
    } catch (e) {
      // A broken later directory ends the chain, as in libtiff: the pages before it stay readable.
      if (ifds.length === 0) throw e;
      truncatedChain = 'bad-link';
      break;
    }
    ifds.push(read.ifd);
    offset = read.next;
    if (offset >= size) {
      truncatedChain = 'bad-link';
      break;
    }
  }
  if (ifds.length === 0) throw new VoxmarkError(ErrorCode.NoPixelData, 'The TIFF has no image directory');
  return { littleEndian: le, bigTiff, ifds, truncatedChain };
}

function readIfd(
  view: DataView,
  offset: number,
  le: boolean,
  bigTiff: boolean,
  page: number,
): { ifd: Ifd; next: number } {
  const size = view.byteLength;
  const countSize = bigTiff ? 8 : 2;
  const entrySize = bigTiff ? 20 : 12;
  const inline = bigTiff ? 8 : 4;
  if (offset < 8 || offset + countSize > size) {
    throw new VoxmarkError(
      offset + countSize > size ? ErrorCode.Truncated : ErrorCode.Corrupt,
      `Image directory ${page} at byte ${offset} lies outside the ${size}-byte file`,
    );
  }
  const n = bigTiff ? readU64(view, offset, le) : view.getUint16(offset, le);
  const end = offset + countSize + n * entrySize + (bigTiff ? 8 : 4);
  if (n === 0 || end > size) {
    throw new VoxmarkError(
      n === 0 ? ErrorCode.Corrupt : ErrorCode.Truncated,
      n === 0
        ? `Image directory ${page} is empty`
        : `Image directory ${page} (${n} entries) runs past the end of the file`,
    );
  }
  const entries = new Map<number, IfdEntry>();
  for (let i = 0; i < n; i++) {
    const p = offset + countSize + i * entrySize;
    const tag = view.getUint16(p, le);
    const type = view.getUint16(p + 2, le);
    const count = bigTiff ? readU64(view, p + 4, le) : view.getUint32(p + 4, le);
    const typeSize = TYPE_SIZES[type];
    if (typeSize === undefined) continue; // unknown types are skipped, as TIFF 6.0 asks readers to
    const bytes = typeSize * count;
    let valueOffset = p + (bigTiff ? 12 : 8);
    if (bytes > inline) {
      valueOffset = bigTiff ? readU64(view, valueOffset, le) : view.getUint32(valueOffset, le);
      if (valueOffset + bytes > size) {
        throw new VoxmarkError(
          ErrorCode.Truncated,
          `Tag ${tag} of image directory ${page} points past the end of the file (${bytes} bytes at ${valueOffset})`,
        );
      }
    }
    entries.set(tag, { tag, type, count, valueOffset });
  }
  const nextAt = offset + countSize + n * entrySize;
  let next: number;
  try {
    next = bigTiff ? readU64(view, nextAt, le) : view.getUint32(nextAt, le);
  } catch {
    next = Number.MAX_SAFE_INTEGER; // an impossible link: the walk stops here
  }
  return { ifd: { offset, entries }, next };
}

function readU64(view: DataView, offset: number, le: boolean): number {
  const lo = view.getUint32(offset + (le ? 0 : 4), le);
  const hi = view.getUint32(offset + (le ? 4 : 0), le);
  if (hi >= 0x200000) throw new VoxmarkError(ErrorCode.Corrupt, 'A BigTIFF offset is beyond 2^53 bytes');
  return hi * 0x100000000 + lo;
}

/**
 * Reads up to `max` numeric values of an entry (integers, rationals as numerator/denominator, floats).
 * Returns undefined when the tag is absent.
 */
export function readNumbers(
  bytes: Uint8Array,
  le: boolean,
  entry: IfdEntry | undefined,
  max = 64,
): number[] | undefined {
  if (!entry) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = Math.min(entry.count, max);
  const size = TYPE_SIZES[entry.type]!;
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const p = entry.valueOffset + i * size;
    switch (entry.type) {
      case 1:
      case 7:
        out.push(view.getUint8(p));
        break;
      case 6:
        out.push(view.getInt8(p));
        break;
      case 3:
        out.push(view.getUint16(p, le));
        break;
      case 8:
        out.push(view.getInt16(p, le));
        break;
      case 4:
      case 13:
        out.push(view.getUint32(p, le));
        break;
      case 9:
        out.push(view.getInt32(p, le));
        break;
      case 5: {
        const den = view.getUint32(p + 4, le);
        out.push(den === 0 ? NaN : view.getUint32(p, le) / den);
        break;
      }
      case 10: {
        const den = view.getInt32(p + 4, le);
        out.push(den === 0 ? NaN : view.getInt32(p, le) / den);
        break;
      }
      case 11:
        out.push(view.getFloat32(p, le));
        break;
      case 12:
        out.push(view.getFloat64(p, le));
        break;
      case 16:
      case 18:
        out.push(readU64(view, p, le));
        break;
      case 17: {
        const hi = view.getInt32(p + (le ? 4 : 0), le);
        const lo = view.getUint32(p + (le ? 0 : 4), le);
        out.push(hi * 0x100000000 + lo);
        break;
      }
      default:
        return undefined;
    }
  }
  return out;
}

/** The first value of a numeric tag, or `fallback`. */
export function readNumber(
  bytes: Uint8Array,
  le: boolean,
  entry: IfdEntry | undefined,
  fallback: number,
): number {
  return readNumbers(bytes, le, entry, 1)?.[0] ?? fallback;
}

/** An ASCII tag as a string (up to its first NUL), capped at `max` bytes. */
export function readAscii(bytes: Uint8Array, entry: IfdEntry | undefined, max = 1 << 20): string | undefined {
  if (!entry || (entry.type !== 2 && entry.type !== 1 && entry.type !== 7)) return undefined;
  const end = entry.valueOffset + Math.min(entry.count, max);
  let stop = entry.valueOffset;
  while (stop < end && bytes[stop] !== 0) stop++;
  return new TextDecoder('utf-8').decode(bytes.subarray(entry.valueOffset, stop));
}
