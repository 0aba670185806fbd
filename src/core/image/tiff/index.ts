import { ErrorCode, VoxmarkError } from '../../errors.js';
import type { ImageStack } from '../types.js';
import type { DeidentifyOptions } from '../../deid/types.js';

export interface TiffLoadOptions {
  signal?: AbortSignal;
  maxFrameBytes: number;
  cacheBytes?: number;
  deidentify?: boolean | DeidentifyOptions;
}

/** Reads a TIFF, BigTIFF or OME-TIFF into an ImageStack whose depth is its page count. */
export async function loadTiffStack(_bytes: Uint8Array, _options: TiffLoadOptions): Promise<ImageStack> {
  throw new VoxmarkError(ErrorCode.Unsupported, 'TIFF reading is not available yet');
}
