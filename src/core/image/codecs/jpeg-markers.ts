import { ErrorCode, VoxmarkError } from '../../errors.js';

/** The start-of-frame header of a JPEG-family stream. */
export interface JpegFrameHeader {
  /** The SOF marker's low byte: 0xc0 baseline, 0xc1 extended, 0xc3 lossless, 0xf7 JPEG-LS, ... */
  sof: number;
  precision: number;
  height: number;
  width: number;
  components: number;
}

/**
 * Walks the markers of a JPEG (or JPEG-LS) stream up to its start-of-frame segment and reads the frame
 * header. Bounded by the stream length: every step moves forward.
 */
export function readJpegFrameHeader(bytes: Uint8Array): JpegFrameHeader {
  if (bytes.length < 4 || bytes[0] !== 0xff || bytes[1] !== 0xd8) {
    throw new VoxmarkError(ErrorCode.CodecFailed, 'JPEG frame does not start with SOI');
  }
  let p = 2;
  while (p + 4 <= bytes.length) {
    if (bytes[p] !== 0xff) {
      p++;
      continue;
    }
    const marker = bytes[p + 1]!;
    if (marker === 0xff) {
      p++; // fill byte
      continue;
    }
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      p += 2;
      continue;
    }
    const length = (bytes[p + 2]! << 8) | bytes[p + 3]!;
    if (length < 2) throw new VoxmarkError(ErrorCode.CodecFailed, 'JPEG segment with invalid length');
    const isSof =
      (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) ||
      marker === 0xf7;
    if (isSof) {
      if (p + 10 > bytes.length) break;
      return {
        sof: marker,
        precision: bytes[p + 4]!,
        height: (bytes[p + 5]! << 8) | bytes[p + 6]!,
        width: (bytes[p + 7]! << 8) | bytes[p + 8]!,
        components: bytes[p + 9]!,
      };
    }
    if (marker === 0xda || marker === 0xd9) break; // scan data before a frame header: malformed
    p += 2 + length;
  }
  throw new VoxmarkError(ErrorCode.CodecFailed, 'JPEG frame has no readable frame header');
}
