import { ErrorCode, VoxmarkError } from '../../errors.js';
import type { CodecOutput } from './wasm.js';
export function decodeJpeg12(_bytes: Uint8Array): CodecOutput {
  throw new VoxmarkError(ErrorCode.Unsupported, '12-bit JPEG');
}
