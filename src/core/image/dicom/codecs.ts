import { ErrorCode, VoxmarkError } from '../../errors.js';
import type { PixelArray } from '../types.js';
import type { DicomImageInfo } from './instance.js';

/**
 * Decodes one encapsulated (compressed) frame. Each codec is imported only when a file needs it,
 * so the core bundle stays small.
 */
export async function decodeEncapsulatedFrame(
  info: DicomImageInfo,
  _bytes: Uint8Array,
  _signal?: AbortSignal,
): Promise<PixelArray> {
  throw new VoxmarkError(
    ErrorCode.UnsupportedTransferSyntax,
    `Transfer syntax ${info.transferSyntaxUID} is not supported`,
  );
}
