import { isVr } from '../dicom/tags.js';

export type SniffedFormat =
  | { format: 'dicom'; preamble: boolean }
  | { format: 'tiff'; littleEndian: boolean; bigTiff: boolean }
  | { format: 'unknown' };

/** DICOM group/element pairs that a headerless (no preamble, no meta) dataset commonly starts with. */
const HEADERLESS_FIRST_GROUPS = new Set([0x0002, 0x0008, 0x0010, 0x0018, 0x0020, 0x0028]);

/**
 * Works out the format from the bytes alone (never from a name): DICOM Part 10 with its 128-byte preamble
 * and "DICM", a bare DICOM dataset without preamble or meta header, classic TIFF in either byte order, or BigTIFF.
 */
export function sniffFormat(bytes: Uint8Array): SniffedFormat {
  if (
    bytes.length >= 132 &&
    bytes[128] === 0x44 &&
    bytes[129] === 0x49 &&
    bytes[130] === 0x43 &&
    bytes[131] === 0x4d
  ) {
    return { format: 'dicom', preamble: true };
  }
  if (bytes.length >= 8) {
    const le = bytes[0] === 0x49 && bytes[1] === 0x49;
    const be = bytes[0] === 0x4d && bytes[1] === 0x4d;
    if (le || be) {
      const magic = le ? bytes[2]! | (bytes[3]! << 8) : (bytes[2]! << 8) | bytes[3]!;
      if (magic === 42) return { format: 'tiff', littleEndian: le, bigTiff: false };
      if (magic === 43) return { format: 'tiff', littleEndian: le, bigTiff: true };
    }
  }
  if (bytes.length >= 4 && bytes[0] === 0x44 && bytes[1] === 0x49 && bytes[2] === 0x43 && bytes[3] === 0x4d) {
    // "DICM" without the preamble (some writers drop it).
    return { format: 'dicom', preamble: false };
  }
  if (bytes.length >= 8) {
    const groupLE = bytes[0]! | (bytes[1]! << 8);
    const groupBE = (bytes[0]! << 8) | bytes[1]!;
    const vr = String.fromCharCode(bytes[4]!, bytes[5]!);
    if (HEADERLESS_FIRST_GROUPS.has(groupLE) || HEADERLESS_FIRST_GROUPS.has(groupBE)) {
      // Explicit VR: a known VR follows the tag. Implicit VR: a sane 32-bit length follows it.
      if (isVr(vr)) return { format: 'dicom', preamble: false };
      const len = (bytes[4]! | (bytes[5]! << 8) | (bytes[6]! << 16) | (bytes[7]! << 24)) >>> 0;
      if (len === 0xffffffff || len <= bytes.length) return { format: 'dicom', preamble: false };
    }
  }
  return { format: 'unknown' };
}
