import { ErrorCode, VoxmarkError, throwIfAborted, toVoxmarkError } from '../errors.js';
import { DEFAULT_MAX_INPUT_BYTES, readInput } from './input.js';
import { sniffFormat } from './sniff.js';
import { parseDicomBytes } from './dicom/parse.js';
import { readImageInfo, type DicomImageInfo } from './dicom/instance.js';
import { buildDicomStack } from './dicom/stack.js';
import { loadTiffStack } from './tiff/index.js';
import type { ImageInput, ImageStack, LoadOptions } from './types.js';
import type { DecodeWorkerPool } from './codecs/worker-pool.js';

export const DEFAULT_MAX_FRAME_BYTES = 1024 * 1024 * 1024;

/** LoadOptions, plus where compressed DICOM frames decode. */
export interface ImageLoadOptions extends LoadOptions {
  /**
   * Decode compressed DICOM frames in these workers (see `createDecodeWorkerPool` and
   * `serveDecodeRequests`) instead of the calling thread. Uncompressed frames are cheap and stay here.
   */
  decodePool?: DecodeWorkerPool;
}

/**
 * Loads DICOM or TIFF bytes into an ImageStack. The format is sniffed from the bytes. Several DICOM inputs
 * of one series become one stack sorted along the slice normal; a multi-frame DICOM or multi-page TIFF is
 * one stack. Frames decode lazily through `getFrame`. Every failure is a VoxmarkError.
 */
export async function loadImageStack(
  input: ImageInput | ImageInput[],
  options: ImageLoadOptions = {},
): Promise<ImageStack> {
  try {
    return await load(input, options);
  } catch (e) {
    throw toVoxmarkError(e, ErrorCode.Corrupt, 'Could not load the image');
  }
}

/** A load in phases: read every input (with progress), sniff, then the TIFF or the DICOM path. */
async function load(input: ImageInput | ImageInput[], options: ImageLoadOptions): Promise<ImageStack> {
  const inputs = Array.isArray(input) ? input : [input];
  if (inputs.length === 0) throw new VoxmarkError(ErrorCode.InvalidArgument, 'No input given');
  const byteArrays = await readInputs(inputs, options);
  throwIfAborted(options.signal);
  const format = sniffAll(byteArrays);
  return format === 'tiff' ? loadTiff(byteArrays, options) : loadDicom(byteArrays, options);
}

/** The bytes of every input, read in parallel, with one progress report over all of them. */
function readInputs(inputs: ImageInput[], options: ImageLoadOptions): Promise<Uint8Array[]> {
  const loaded = new Array<number>(inputs.length).fill(0);
  const totals = new Array<number>(inputs.length).fill(0);
  const report = () => {
    if (!options.onProgress) return; // summing per input would be quadratic in the number of files
    options.onProgress({ loaded: sum(loaded), total: Math.max(sum(totals), sum(loaded)) });
  };
  return Promise.all(
    inputs.map((item, i) =>
      readInput(item, {
        ...(options.signal ? { signal: options.signal } : {}),
        ...(options.maxInputBytes === undefined ? {} : { maxInputBytes: options.maxInputBytes }),
        onProgress: (l, t) => {
          loaded[i] = l;
          totals[i] = t;
          report();
        },
      }).then((bytes) => {
        loaded[i] = bytes.byteLength;
        totals[i] = bytes.byteLength;
        report();
        return bytes;
      }),
    ),
  );
}

/** The one format every input shares; refuses unknown bytes and a mix of DICOM and TIFF. */
function sniffAll(byteArrays: Uint8Array[]): 'dicom' | 'tiff' {
  const formats = byteArrays.map((b) => sniffFormat(b));
  const first = formats[0]!;
  if (first.format === 'unknown' || formats.some((f) => f.format !== first.format)) {
    const bad = formats.findIndex((f) => f.format === 'unknown');
    throw new VoxmarkError(
      ErrorCode.NotAnImage,
      bad >= 0 ? `Input ${bad + 1} is neither DICOM nor TIFF` : 'Inputs mix DICOM and TIFF',
    );
  }
  return first.format;
}

async function loadTiff(byteArrays: Uint8Array[], options: ImageLoadOptions): Promise<ImageStack> {
  if (byteArrays.length > 1) {
    throw new VoxmarkError(
      ErrorCode.Unsupported,
      'Load one TIFF at a time: a multi-page TIFF is already a stack',
    );
  }
  let tiffBytes = byteArrays[0]!;
  if (options.deidentify) {
    // Identifying descriptive tags go before the reader, the metadata or the host sees them.
    const { deidentifyTiff } = await import('../deid/tiff.js');
    tiffBytes = new Uint8Array(deidentifyTiff(tiffBytes).bytes);
  }
  return loadTiffStack(tiffBytes, {
    ...(options.signal ? { signal: options.signal } : {}),
    maxFrameBytes: options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES,
    ...(options.cacheBytes === undefined ? {} : { cacheBytes: options.cacheBytes }),
  });
}

async function loadDicom(byteArrays: Uint8Array[], options: ImageLoadOptions): Promise<ImageStack> {
  let dicomBytes = byteArrays;
  if (options.deidentify) {
    const { deidentify } = await import('../deid/index.js');
    const deidOptions = options.deidentify === true ? {} : options.deidentify;
    dicomBytes = await Promise.all(
      byteArrays.map(async (b) => new Uint8Array((await deidentify(b, deidOptions)).bytes)),
    );
  }
  const infos: DicomImageInfo[] = [];
  for (const bytes of dicomBytes) {
    throwIfAborted(options.signal);
    const parsed = await parseDicomBytes(bytes, {
      ...(options.signal ? { signal: options.signal } : {}),
      // Inflated (deflated-syntax) datasets are held to the same cap as inputs.
      maxBytes: options.maxInputBytes ?? DEFAULT_MAX_INPUT_BYTES,
    });
    infos.push(readImageInfo(parsed));
  }
  return buildDicomStack(infos, {
    maxFrameBytes: options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES,
    ...(options.decodePool ? { decodePool: options.decodePool } : {}),
    ...(options.cacheBytes === undefined ? {} : { cacheBytes: options.cacheBytes }),
  });
}

function sum(values: number[]): number {
  let s = 0;
  for (const v of values) s += v;
  return s;
}
