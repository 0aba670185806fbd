import { ErrorCode, VoxmarkError } from '../../errors.js';

/** What the RLE decoder needs to know about a frame. */
export interface RleFrameInfo {
  rows: number;
  columns: number;
  samplesPerPixel: number;
  /** 8, 16 or 32. */
  bitsAllocated: number;
}

/**
 * Decodes one DICOM RLE Lossless frame (PS3.5 Annex G) into little-endian bytes with samples interleaved
 * (planar configuration 0), `bitsAllocated / 8` bytes per sample. Each segment holds one byte plane: for
 * each sample in turn, the most significant byte first. Segments are PackBits runs. Segments that decode
 * short are an error; bytes beyond a segment's plane are ignored, as the standard allows padding.
 */
export function decodeRle(frame: Uint8Array, info: RleFrameInfo): Uint8Array {
  const bytesPerSample = info.bitsAllocated / 8;
  if (![1, 2, 4].includes(bytesPerSample)) {
    throw new VoxmarkError(ErrorCode.Unsupported, `RLE with ${info.bitsAllocated} bits allocated`);
  }
  if (frame.length < 64) throw new VoxmarkError(ErrorCode.Truncated, 'RLE frame shorter than its header');
  const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
  const segments = view.getUint32(0, true);
  const expected = info.samplesPerPixel * bytesPerSample;
  if (segments !== expected) {
    throw new VoxmarkError(
      ErrorCode.Corrupt,
      `RLE frame has ${segments} segments, expected ${expected} for ${info.samplesPerPixel} × ${info.bitsAllocated}-bit samples`,
    );
  }
  const offsets: number[] = [];
  for (let s = 0; s < segments; s++) offsets.push(view.getUint32(4 + s * 4, true));
  const pixels = info.rows * info.columns;
  const stride = expected; // bytes per pixel in the output
  const out = new Uint8Array(pixels * stride);
  for (let s = 0; s < segments; s++) {
    const start = offsets[s]!;
    const end = s + 1 < segments ? offsets[s + 1]! : frame.length;
    if (start < 64 || start > frame.length || end < start || end > frame.length) {
      throw new VoxmarkError(ErrorCode.Corrupt, `RLE segment ${s + 1} lies outside the frame`);
    }
    const sample = Math.floor(s / bytesPerSample);
    const byteInSample = bytesPerSample - 1 - (s % bytesPerSample); // MSB segment first; output is LE
    unpackBits(frame, start, end, out, sample * bytesPerSample + byteInSample, stride, pixels, s);
  }
  return out;
}

/** PackBits into every `stride`-th byte of `out` from `first`, exactly `count` bytes. */
function unpackBits(
  src: Uint8Array,
  start: number,
  end: number,
  out: Uint8Array,
  first: number,
  stride: number,
  count: number,
  segment: number,
): void {
  let p = start;
  let o = first;
  let written = 0;
  while (written < count) {
    if (p >= end) {
      throw new VoxmarkError(
        ErrorCode.Truncated,
        `RLE segment ${segment + 1} ends after ${written} of ${count} bytes`,
      );
    }
    const n = (src[p++]! << 24) >> 24;
    if (n >= 0) {
      // n + 1 literal bytes.
      const len = Math.min(n + 1, count - written);
      if (p + len > end) {
        throw new VoxmarkError(ErrorCode.Truncated, `RLE segment ${segment + 1} ends inside a literal run`);
      }
      for (let i = 0; i < len; i++, o += stride) out[o] = src[p + i]!;
      p += n + 1;
      written += len;
    } else if (n !== -128) {
      // 1 - n copies of the next byte.
      if (p >= end) {
        throw new VoxmarkError(ErrorCode.Truncated, `RLE segment ${segment + 1} ends inside a replicate run`);
      }
      const value = src[p++]!;
      const len = Math.min(1 - n, count - written);
      for (let i = 0; i < len; i++, o += stride) out[o] = value;
      written += len;
    }
    // n === -128 is a no-op.
  }
}
