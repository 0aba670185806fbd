import { ErrorCode, VoxmarkError, throwIfAborted, toVoxmarkError } from '../errors.js';
import type { ImageInput } from './types.js';

export const DEFAULT_MAX_INPUT_BYTES = 4 * 1024 * 1024 * 1024;

export interface ReadOptions {
  signal?: AbortSignal;
  onProgress?: (loaded: number, total: number) => void;
  maxInputBytes?: number;
}

/** Reads any ImageInput into bytes. URLs are fetched with progress and abort; sizes are capped. */
export async function readInput(input: ImageInput, options: ReadOptions = {}): Promise<Uint8Array> {
  const max = options.maxInputBytes ?? DEFAULT_MAX_INPUT_BYTES;
  throwIfAborted(options.signal);
  let bytes: Uint8Array;
  if (input instanceof Uint8Array) bytes = input;
  else if (input instanceof ArrayBuffer) bytes = new Uint8Array(input);
  else if (typeof Blob !== 'undefined' && input instanceof Blob) {
    if (input.size > max) throw tooLarge(input.size, max);
    try {
      bytes = new Uint8Array(await input.arrayBuffer());
    } catch (e) {
      throw toVoxmarkError(e, ErrorCode.FetchFailed, 'Could not read the file');
    }
  } else if (typeof input === 'string') {
    bytes = await fetchBytes(input, options, max);
  } else {
    throw new VoxmarkError(
      ErrorCode.InvalidArgument,
      'Input must be an ArrayBuffer, Uint8Array, Blob or URL string',
    );
  }
  throwIfAborted(options.signal);
  if (bytes.byteLength > max) throw tooLarge(bytes.byteLength, max);
  return bytes;
}

function tooLarge(size: number, max: number): VoxmarkError {
  return new VoxmarkError(ErrorCode.TooLarge, `Input of ${size} bytes is larger than the ${max}-byte limit`);
}

async function fetchBytes(url: string, options: ReadOptions, max: number): Promise<Uint8Array> {
  let response: Response;
  try {
    response = await fetch(url, options.signal ? { signal: options.signal } : {});
  } catch (e) {
    throw toVoxmarkError(e, ErrorCode.FetchFailed, `Could not fetch ${url}`);
  }
  if (!response.ok) {
    throw new VoxmarkError(ErrorCode.FetchFailed, `Could not fetch ${url}: HTTP ${response.status}`);
  }
  const total = Number(response.headers.get('content-length') ?? 0);
  if (total > max) throw tooLarge(total, max);
  if (!response.body) return new Uint8Array(await response.arrayBuffer());
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let loaded = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      loaded += value.byteLength;
      if (loaded > max) throw tooLarge(loaded, max);
      chunks.push(value);
      options.onProgress?.(loaded, Math.max(total, loaded));
    }
  } catch (e) {
    void reader.cancel().catch(() => undefined);
    throw toVoxmarkError(e, ErrorCode.FetchFailed, `Could not read ${url}`);
  }
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(loaded);
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.byteLength;
  }
  return out;
}
