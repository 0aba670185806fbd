import { ErrorCode, VoxmarkError } from '../errors.js';
import type { DeidentifyOptions } from './types.js';

export type { DeidentifyOptions } from './types.js';

/** De-identifies DICOM Part 10 bytes (PS3.15 Annex E). */
export async function deidentify(
  _bytes: ArrayBuffer | Uint8Array,
  _options: DeidentifyOptions = {},
): Promise<{ bytes: ArrayBuffer; report: unknown }> {
  throw new VoxmarkError(ErrorCode.Unsupported, 'De-identification is not available yet');
}
