import { ErrorCode, VoxmarkError, throwIfAborted } from '../../errors.js';
import type { PixelArray } from '../types.js';
import { type CodecFrameInfo, decodeCompressedFrame, familyOf } from '../codecs/decode.js';
import type { DicomImageInfo } from './instance.js';
import { applyPalette } from './pixels.js';
import type { EncapsulatedDecodeOptions } from './decode-options.js';

export type { EncapsulatedDecodeOptions } from './decode-options.js';

/**
 * Decodes one encapsulated (compressed) frame into stored values of the stack's data type, sign-corrected,
 * colour interleaved and converted to RGB, palette colour mapped. Each codec is imported only when a file
 * needs it, so the core bundle stays small and a host that never meets JPEG 2000 never downloads its
 * decoder. With a `pool`, the codec runs in a worker and this thread only maps palettes.
 */
export async function decodeEncapsulatedFrame(
  info: DicomImageInfo,
  bytes: Uint8Array,
  signal?: AbortSignal,
  options: EncapsulatedDecodeOptions = {},
): Promise<PixelArray> {
  if (!familyOf(info.transferSyntaxUID)) {
    throw new VoxmarkError(
      ErrorCode.UnsupportedTransferSyntax,
      `Transfer syntax ${info.transferSyntaxUID} is not supported`,
    );
  }
  if (info.bitsAllocated === 1 || info.pixelTag !== 'x7fe00010') {
    throw new VoxmarkError(
      ErrorCode.Unsupported,
      'Compressed pixel data must be integer samples of 8 to 32 bits',
    );
  }
  throwIfAborted(signal);
  const job: CodecFrameInfo = {
    transferSyntaxUID: info.transferSyntaxUID,
    rows: info.rows,
    columns: info.columns,
    samplesPerPixel: info.samplesPerPixel,
    bitsAllocated: info.bitsAllocated,
    bitsStored: info.bitsStored,
    pixelRepresentation: info.pixelRepresentation,
    photometricInterpretation: info.photometricInterpretation,
  };
  let data: PixelArray;
  if (options.pool) {
    data = await options.pool.decode(job, bytes, signal);
  } else {
    data = await decodeCompressedFrame(job, bytes);
  }
  throwIfAborted(signal);
  if (info.photometricInterpretation === 'PALETTE COLOR') return applyPalette(data, info);
  return data;
}
