import { ErrorCode, VoxmarkError } from '../../errors.js';
import type { DataType, PixelArray } from '../types.js';
import type { CodecOutput } from '../codecs/wasm.js';
import type { CodecFrameInfo } from '../codecs/frame-info.js';
import { allocate, convertColourToRgb, planarToInterleaved } from './samples.js';

/** The data type of stored values before any palette lookup: from Bits Allocated and Pixel Representation. */
export function storedDataType(
  info: Pick<CodecFrameInfo, 'bitsAllocated' | 'pixelRepresentation'>,
): DataType {
  const signed = info.pixelRepresentation === 1;
  if (info.bitsAllocated <= 8) return signed ? 'int8' : 'uint8';
  if (info.bitsAllocated <= 16) return signed ? 'int16' : 'uint16';
  return signed ? 'int32' : 'uint32';
}

/**
 * Turns what a codec produced into the frame voxmark delivers: checks the size against the header,
 * sign-extends from Bits Stored when Pixel Representation is 1 and the codec returned unsigned bit
 * patterns, interleaves planar output, converts YBR_FULL/YBR_FULL_422 to RGB (unless the codec already
 * did, or for JPEG 2000, whose decoder reverses RCT/ICT itself). Palette lookup is the caller's (it needs the
 * dataset's tables).
 */
export function finishDecodedFrame(
  info: CodecFrameInfo,
  out: CodecOutput,
  decoderAppliesMct: boolean,
): PixelArray {
  if (out.width !== info.columns || out.height !== info.rows) {
    throw new VoxmarkError(
      ErrorCode.Corrupt,
      `Compressed frame is ${out.width}×${out.height}, the header says ${info.columns}×${info.rows}`,
    );
  }
  if (out.samplesPerPixel !== info.samplesPerPixel) {
    throw new VoxmarkError(
      ErrorCode.Corrupt,
      `Compressed frame has ${out.samplesPerPixel} components, the header says ${info.samplesPerPixel}`,
    );
  }
  const pixels = info.rows * info.columns;
  const n = pixels * info.samplesPerPixel;
  if (out.data.length < n) {
    throw new VoxmarkError(ErrorCode.Corrupt, `Codec returned ${out.data.length} samples, expected ${n}`);
  }
  let data = allocate(storedDataType(info), n);
  const src = out.data;
  const bits = Math.min(info.bitsStored, 32);
  if (out.signed || bits >= 32) {
    for (let i = 0; i < n; i++) data[i] = src[i]!;
  } else if (info.pixelRepresentation === 1) {
    const ext = 32 - bits;
    for (let i = 0; i < n; i++) data[i] = (src[i]! << ext) >> ext;
  } else {
    const mask = bits >= 32 ? 0xffffffff : 2 ** bits - 1;
    for (let i = 0; i < n; i++) data[i] = src[i]! & mask;
  }
  if (info.samplesPerPixel === 3) {
    if (out.planar) data = planarToInterleaved(data, pixels);
    const photometric = info.photometricInterpretation;
    const alreadyRgb =
      out.rgb || (decoderAppliesMct && (photometric === 'YBR_RCT' || photometric === 'YBR_ICT'));
    if (!alreadyRgb) convertColourToRgb(data, photometric);
  }
  return data;
}
