import { ErrorCode, VoxmarkError, errorAboutFile, throwIfAborted, toVoxmarkError } from './errors.js';
import { DEFAULT_MAX_INPUT_BYTES, readInput } from './image/input.js';
import { sniffFormat } from './image/sniff.js';
// The DICOM reader (dicom-parser, the dictionary) and the TIFF reader (geotiff) load when the first file of
// their kind is seen: a page that shows only CTs never fetches geotiff, nor dicom-parser before a file.
import type { DicomImageInfo } from './image/dicom/instance.js';
import type { ImageInput, ImageStack, StackMetadata } from './image/types.js';
import type { DeidentifyOptions } from './deid/types.js';
import type { DecodeWorkerPool } from './image/codecs/worker-pool.js';
import { lazyModule } from './util/lazy.js';

/** What `loadImageStack` accepts besides the input. */
export interface LoadOptions {
  signal?: AbortSignal;
  onProgress?: (p: { loaded: number; total: number }) => void;
  /** De-identify DICOM before anything else reads it. */
  deidentify?: boolean | DeidentifyOptions;
  /** Largest decoded frame, in bytes, that voxmark will allocate. Default 1 GiB. */
  maxFrameBytes?: number;
  /** Largest input, in bytes, that voxmark will read. Default 4 GiB. */
  maxInputBytes?: number;
  /** Memory budget for decoded frames kept in the cache, in bytes. Default 512 MiB. */
  cacheBytes?: number;
  /**
   * Called for each input skipped because it holds no image (a README, a notes.txt, a DICOMDIR) when
   * several inputs are given; they are listed in `stack.metadata.skipped` too. A single input that is not an
   * image is an error.
   */
  onSkip?: (skipped: SkippedInput) => void;
  /**
   * Which series to load when the DICOM inputs hold several (a CT and an MR dropped together): `'largest'`
   * (most instances), or an index into `stack.metadata.series` (largest first). Without it, several series
   * are rejected as `'mixed-series'`.
   */
  series?: 'largest' | number;
}

/** An input `loadImageStack` passed over (`stack.metadata.skipped`, `onSkip`). */
export interface SkippedInput {
  /** Position in the inputs given. */
  index: number;
  /** The file name (a File's name, a URL's last segment) or `input N`. */
  name: string;
  /** Why: `'not-an-image'` (neither DICOM nor TIFF) or `'no-pixel-data'` (a DICOMDIR, a report). */
  code: ErrorCode;
  /** The same in plain words, naming the file. */
  reason: string;
}

/** One DICOM series among the inputs (`stack.metadata.series`, largest first). */
export interface StackSeries {
  seriesInstanceUID?: string;
  modality?: string;
  seriesDescription?: string;
  /** DICOM instances (files) in the series. */
  instances: number;
  /** Frames (slices) over those instances. */
  frames: number;
}

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

async function load(input: ImageInput | ImageInput[], options: ImageLoadOptions): Promise<ImageStack> {
  const inputs = Array.isArray(input) ? input : [input];
  if (inputs.length === 0) throw new VoxmarkError(ErrorCode.InvalidArgument, 'No input given');
  const names = inputs.map(inputName);
  const byteArrays = await readAll(inputs, names, options);
  throwIfAborted(options.signal);
  const skipped: SkippedInput[] = [];
  const skip = (index: number, e: VoxmarkError) => {
    skipped.push({ index, name: names[index] ?? `input ${index + 1}`, code: e.code, reason: e.message });
  };
  const { format, kept } = commonFormat(byteArrays, names, skip);
  const files = kept.map((i) => ({ bytes: byteArrays[i]!, name: names[i], index: i }));
  const stack = await (format === 'tiff' ? loadTiff(files, options) : loadDicom(files, options, skip));
  const metadata = stack.metadata as StackMetadata;
  // Recorded so that dataset export (and hosts) can tell a stack voxmark de-identified on load.
  if (options.deidentify) metadata.deidentified = true;
  if (skipped.length) {
    skipped.sort((a, b) => a.index - b.index);
    metadata.skipped = skipped;
    for (const s of skipped) options.onSkip?.(s);
  }
  return stack;
}

/**
 * A name for an input in messages: a File's name or a URL's last path segment. Bytes a program passes have
 * none: their errors keep the technical message.
 */
function inputName(input: ImageInput): string | undefined {
  if (typeof input === 'string') {
    const last = input.split(/[?#]/)[0]!.split('/').filter(Boolean).pop();
    if (last) {
      try {
        return decodeURIComponent(last);
      } catch {
        return last;
      }
    }
  } else if (typeof Blob !== 'undefined' && input instanceof Blob) {
    const name = (input as Blob & { name?: unknown }).name;
    if (typeof name === 'string' && name) return name;
  }
  return undefined;
}

/** `e` as an error about the named file, or unchanged for an input without a name. */
function aboutInput(e: unknown, name: string | undefined, code: ErrorCode = ErrorCode.Corrupt): VoxmarkError {
  return name === undefined
    ? toVoxmarkError(e, code, 'Could not load the image')
    : errorAboutFile(e, name, code);
}

/** Phase 1: reads every input, reporting progress summed over all of them. */
function readAll(
  inputs: ImageInput[],
  names: (string | undefined)[],
  options: ImageLoadOptions,
): Promise<Uint8Array[]> {
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
      }).then(
        (bytes) => {
          loaded[i] = bytes.byteLength;
          totals[i] = bytes.byteLength;
          report();
          return bytes;
        },
        (e: unknown) => {
          throw aboutInput(e, names[i], ErrorCode.FetchFailed);
        },
      ),
    ),
  );
}

/**
 * Phase 2: the one format the inputs share, sniffed from the bytes. Among several inputs, those that are
 * neither DICOM nor TIFF are skipped; a single one, or nothing but such, is an error naming the file.
 */
function commonFormat(
  byteArrays: Uint8Array[],
  names: (string | undefined)[],
  skip: (index: number, e: VoxmarkError) => void,
): { format: 'dicom' | 'tiff'; kept: number[] } {
  const formats = byteArrays.map((b) => sniffFormat(b).format);
  const notImage = (i: number) =>
    aboutInput(new VoxmarkError(ErrorCode.NotAnImage, `Input ${i + 1} is neither DICOM nor TIFF`), names[i]);
  const kept = formats.flatMap((f, i) => (f === 'unknown' ? [] : [i]));
  if (kept.length === 0) throw notImage(0);
  const format = formats[kept[0]!] as 'dicom' | 'tiff';
  if (kept.some((i) => formats[i] !== format))
    throw new VoxmarkError(ErrorCode.NotAnImage, 'Inputs mix DICOM and TIFF: load one kind at a time');
  if (byteArrays.length === 1) return { format, kept };
  formats.forEach((f, i) => f === 'unknown' && skip(i, notImage(i)));
  return { format, kept };
}

/** An input kept for loading, with its name and position. */
interface NamedBytes {
  bytes: Uint8Array;
  name: string | undefined;
  index: number;
}

/** Phase 3, TIFF: one file, de-identified first when asked. */
async function loadTiff(files: NamedBytes[], options: ImageLoadOptions): Promise<ImageStack> {
  if (files.length > 1) {
    throw new VoxmarkError(
      ErrorCode.Unsupported,
      'Load one TIFF at a time: a multi-page TIFF is already a stack',
    );
  }
  const file = files[0]!;
  try {
    let tiffBytes = file.bytes;
    if (options.deidentify) {
      // Identifying descriptive tags go before the reader, the metadata or the host sees them.
      const { deidentifyTiff } = await import('./deid/tiff.js');
      tiffBytes = new Uint8Array(deidentifyTiff(tiffBytes).bytes);
    }
    const { loadTiffStack } = await import('./image/tiff/index.js');
    return await loadTiffStack(tiffBytes, {
      ...(options.signal ? { signal: options.signal } : {}),
      maxFrameBytes: options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES,
      ...(options.cacheBytes === undefined ? {} : { cacheBytes: options.cacheBytes }),
    });
  } catch (e) {
    throw aboutInput(e, file.name);
  }
}

/** Codes that mean "this DICOM file holds no image" (a DICOMDIR, a structured report): skipped among several. */
const NOT_AN_IMAGE = new Set<string>([ErrorCode.NoPixelData, ErrorCode.NotAnImage]);

/** Phase 3, DICOM: de-identified first when asked, then parsed and assembled into one series. */
async function loadDicom(
  files: NamedBytes[],
  options: ImageLoadOptions,
  skip: (index: number, e: VoxmarkError) => void,
): Promise<ImageStack> {
  const infos: DicomImageInfo[] = [];
  const failures: VoxmarkError[] = [];
  for (const file of files) {
    throwIfAborted(options.signal);
    try {
      infos.push(await readDicomFile(file.bytes, options));
    } catch (e) {
      const error = aboutInput(e, file.name);
      if (files.length === 1 || !NOT_AN_IMAGE.has(error.code)) throw error;
      skip(file.index, error);
      failures.push(error);
    }
  }
  if (infos.length === 0) throw failures[0]!;
  const chosen = chooseSeries(infos, options.series);
  const [, , { buildDicomStack }] = await dicomReader();
  const stack = await buildDicomStack(chosen.infos, {
    maxFrameBytes: options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES,
    ...(options.decodePool ? { decodePool: options.decodePool } : {}),
    ...(options.cacheBytes === undefined ? {} : { cacheBytes: options.cacheBytes }),
  });
  if (chosen.series.length > 1) {
    const metadata = stack.metadata as StackMetadata;
    metadata.series = chosen.series;
    metadata.seriesIndex = chosen.index;
  }
  return stack;
}

/** The DICOM reader's modules (dicom-parser among them), fetched together when the first DICOM file is seen. */
/** The DICOM reader's modules, loaded on the first DICOM file and then shared by every file. */
const dicomReader = lazyModule(() =>
  Promise.all([
    import('./image/dicom/parse.js'),
    import('./image/dicom/instance.js'),
    import('./image/dicom/stack.js'),
  ]),
);

/** De-identification, loaded on the first file that asks for it. */
const deidModule = lazyModule(() => import('./deid/index.js'));

async function readDicomFile(bytes: Uint8Array, options: ImageLoadOptions): Promise<DicomImageInfo> {
  if (options.deidentify) {
    const { deidentify } = await deidModule();
    const deidOptions = options.deidentify === true ? {} : options.deidentify;
    bytes = new Uint8Array((await deidentify(bytes, deidOptions)).bytes);
  }
  const [{ parseDicomBytes }, { readImageInfo }] = await dicomReader();
  const parsed = await parseDicomBytes(bytes, {
    ...(options.signal ? { signal: options.signal } : {}),
    // Inflated (deflated-syntax) datasets are held to the same cap as inputs.
    maxBytes: options.maxInputBytes ?? DEFAULT_MAX_INPUT_BYTES,
  });
  return readImageInfo(parsed);
}

/**
 * The instances of the series `which` selects, and every series found (largest first). Without `which`, or
 * with one series, all instances (buildDicomStack rejects a mix).
 */
function chooseSeries(
  infos: DicomImageInfo[],
  which: 'largest' | number | undefined,
): { infos: DicomImageInfo[]; series: StackSeries[]; index: number } {
  const groups = new Map<string, DicomImageInfo[]>();
  for (const info of infos) {
    const key = info.seriesInstanceUID ?? `${info.columns}x${info.rows}`;
    const group = groups.get(key);
    if (group) group.push(info);
    else groups.set(key, [info]);
  }
  if (which === undefined || groups.size === 1) return { infos, series: [], index: 0 };
  const frames = (g: DicomImageInfo[]) => g.reduce((n, i) => n + i.numberOfFrames, 0);
  const sorted = [...groups.values()].sort((a, b) => b.length - a.length || frames(b) - frames(a));
  const index = which === 'largest' ? 0 : which;
  if (!Number.isInteger(index) || index < 0 || index >= sorted.length)
    throw new VoxmarkError(ErrorCode.OutOfRange, `Series ${which} of ${sorted.length} requested`);
  const series = sorted.map((g): StackSeries => {
    const first = g[0]!;
    const description = first.parsed.dataSet.string('x0008103e')?.trim();
    return {
      ...(first.seriesInstanceUID ? { seriesInstanceUID: first.seriesInstanceUID } : {}),
      ...(first.modality ? { modality: first.modality } : {}),
      ...(description ? { seriesDescription: description } : {}),
      instances: g.length,
      frames: frames(g),
    };
  });
  return { infos: sorted[index]!, series, index };
}

function sum(values: number[]): number {
  let s = 0;
  for (const v of values) s += v;
  return s;
}
