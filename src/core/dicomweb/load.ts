/**
 * `loadDicomWeb`: a series from a DICOMweb archive as the same ImageStack `loadImageStack` gives for its
 * files. The series metadata (WADO-RS, DICOM JSON) is written back into DICOM headers and read by the same
 * reader, so geometry, sort order, window presets and metadata are decided before any pixels arrive and
 * exactly as for files. Each frame is fetched on demand (WADO-RS `/frames/n`), wrapped with its header
 * and decoded by the same decoders, so its values are the same as from the file.
 */
import { ErrorCode, VoxmarkError, throwIfAborted, toVoxmarkError } from '../errors.js';
import { writeDicomFile, tag, type DicomDataset, type DicomElement } from '../dicom/index.js';
import { parseDicomBytes } from '../image/dicom/parse.js';
import { frameRescale, readImageInfo, type DicomImageInfo } from '../image/dicom/instance.js';
import { buildDicomStack } from '../image/dicom/stack.js';
import { decodeDicomFrame, isNativeTransferSyntax } from '../image/dicom/pixels.js';
import { DEFAULT_MAX_FRAME_BYTES } from '../load.js';
import { BYTES_PER_SAMPLE, LazyImageStack } from '../image/stack.js';
import type { Frame, ImageStack } from '../image/types.js';
import type { DecodeWorkerPool } from '../image/codecs/worker-pool.js';
import type { DicomWebConnection } from './http.js';
import { jsonNumber, jsonString, jsonToElements, type DicomJson } from './json.js';
import { searchInstances } from './qido.js';
import {
  FRAME_ACCEPT,
  FRAME_ACCEPT_AS_STORED,
  retrieveFrame,
  retrieveInstance,
  retrieveInstanceMetadata,
  retrieveSeriesMetadata,
  type RetrievedFrame,
} from './wado.js';
import { RequestLimiter } from './limiter.js';

export interface LoadDicomWebOptions extends DicomWebConnection {
  studyInstanceUID: string;
  seriesInstanceUID: string;
  /** Aborts loading the metadata. Frames take their own signal through `getFrame`. */
  signal?: AbortSignal;
  /** Instances whose metadata has been read, of all the series holds. */
  onProgress?: (p: { loaded: number; total: number }) => void;
  /**
   * `'frames'` (default): WADO-RS `/frames/n`, falling back to whole instances when the server cannot.
   * `'instance'`: always whole instances (servers without frame retrieval).
   */
  retrieve?: 'frames' | 'instance';
  /** Frames fetched ahead around the slice last asked for. `false` turns it off. */
  prefetch?: false | { radius?: number };
  /** Requests in flight at once for this stack. Default 6. */
  concurrency?: number;
  /** Largest decoded frame voxmark allocates, in bytes. Default 1 GiB. */
  maxFrameBytes?: number;
  /** Memory budget for decoded frames. Default 512 MiB. */
  cacheBytes?: number;
  /** Decode compressed frames in these workers. */
  decodePool?: DecodeWorkerPool;
}

/** What a DicomWebImageStack has transferred so far: for progress bars and the benchmarks. */
export interface DicomWebStats {
  /** Frames retrieved over the network. */
  frames: number;
  /** Body bytes of those frames and instances. */
  bytes: number;
  /** Transfer syntaxes the frames arrived in, with counts. */
  transferSyntaxes: Record<string, number>;
  /** `'frames'`, or `'instance'` after a fallback. */
  mode: 'frames' | 'instance';
}

const PIXEL_DATA = tag(0x7fe0, 0x0010);
const NUMBER_OF_FRAMES = tag(0x0028, 0x0008);
/** The syntax the placeholder headers declare: encapsulated, so a header needs no pixel bytes. */
const PLACEHOLDER_SYNTAX = '1.2.840.10008.1.2.4.80';
const PLACEHOLDER_FRAGMENT = new Uint8Array(2);
const DEFAULT_PREFETCH_RADIUS = 4;

interface InstanceRecord {
  sopInstanceUID: string;
  /** The header attributes, without pixel data. */
  elements: DicomDataset;
  /** Read from the header with a placeholder for the pixel data (decides geometry and pixel format). */
  info: DicomImageInfo;
  /** Needs the instance itself to decode (palette tables or other pixel attributes given as bulk data). */
  needsInstance: boolean;
}

/**
 * Loads one series from a DICOMweb service into an ImageStack. QIDO-RS lists its instances and WADO-RS
 * returns the series metadata, in parallel; an instance the list has and the metadata lacks gets its own
 * metadata request. The stack is the same as `loadImageStack`
 * on the series' files gives (geometry, order, presets, metadata, frame values), except that
 * `metadata.transferSyntaxUID` is the syntax frames arrive in (set when the first one has).
 *
 * Frames are retrieved as they are asked for, with at most `concurrency` requests in flight, and the
 * stack prefetches around the slice last asked for, aborting prefetches that fall out of that window.
 * Every failure is a VoxmarkError: `unauthorized`, `not-found`, `timeout`, `corrupt`, `not-acceptable`,
 * `aborted`, `fetch-failed`, or the decoding errors of `loadImageStack`.
 */
export async function loadDicomWeb(options: LoadDicomWebOptions): Promise<DicomWebImageStack> {
  try {
    return await load(options);
  } catch (e) {
    throw toVoxmarkError(e, ErrorCode.FetchFailed, 'Could not load the series');
  }
}

async function load(options: LoadDicomWebOptions): Promise<DicomWebImageStack> {
  const ref = { ...options };
  const [listed, metadata] = await Promise.all([
    searchInstances({ ...ref, includefield: [] }),
    retrieveSeriesMetadata(ref),
  ]);
  throwIfAborted(options.signal);
  const datasets = metadata.filter((json) => jsonString(json, '00080018') !== undefined);
  // Instances the search lists but the series metadata left out (a server that pages or caps it): ask
  // for each one's own metadata. Neither answer alone decides what the series holds.
  const have = new Set(datasets.map((json) => jsonString(json, '00080018')));
  for (const instance of listed) {
    if (have.has(instance.sopInstanceUID)) continue;
    have.add(instance.sopInstanceUID);
    datasets.push(...(await retrieveInstanceMetadata({ ...ref, sopInstanceUID: instance.sopInstanceUID })));
  }
  if (datasets.length === 0) {
    throw new VoxmarkError(ErrorCode.NotFound, 'The series holds no instances');
  }
  // Images are what has Rows and Columns: archives often leave the pixel data attribute out of the
  // metadata (Orthanc does for compressed instances).
  const images = datasets.filter((json) => json['00280010'] !== undefined && json['00280011'] !== undefined);
  if (images.length === 0) throw new VoxmarkError(ErrorCode.NoPixelData, 'The series holds no images');
  const records: InstanceRecord[] = [];
  for (const json of images) {
    throwIfAborted(options.signal);
    records.push(await headerRecord(json));
    options.onProgress?.({ loaded: records.length, total: images.length });
  }
  const maxFrameBytes = options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES;
  const template = buildDicomStack(
    records.map((r) => r.info),
    { maxFrameBytes },
  );
  return new DicomWebImageStack(template, records, options);
}

async function headerRecord(json: DicomJson): Promise<InstanceRecord> {
  const { elements, pixelTag, bulk } = jsonToElements(json);
  const sopInstanceUID = jsonString(json, '00080018')!;
  if (pixelTag !== undefined && pixelTag !== '7FE00010') {
    throw new VoxmarkError(
      ErrorCode.Unsupported,
      'Floating-point pixel data is not retrieved through DICOMweb frames yet',
    );
  }
  const frames = jsonNumber(json, '00280008') ?? 1;
  if (!(frames >= 1 && frames <= 1_000_000)) {
    throw new VoxmarkError(ErrorCode.Corrupt, `Invalid Number of Frames: ${frames}`);
  }
  const placeholder: DicomElement = {
    tag: PIXEL_DATA,
    vr: 'OB',
    value: { fragments: Array.from({ length: Math.trunc(frames) }, () => PLACEHOLDER_FRAGMENT) },
  };
  const bytes = writeHeader([...elements, placeholder], PLACEHOLDER_SYNTAX);
  const info = readImageInfo(await parseDicomBytes(bytes));
  return {
    sopInstanceUID,
    elements,
    info,
    needsInstance: bulk.some((t) => t.startsWith('0028')),
  };
}

/** Writes a header; text the dataset's character set cannot hold is written as UTF-8 instead. */
function writeHeader(elements: DicomDataset, transferSyntaxUID: string): Uint8Array {
  try {
    return writeDicomFile(elements, { transferSyntaxUID });
  } catch (e) {
    if (!VoxmarkError.is(e, ErrorCode.InvalidArgument)) throw e;
    const utf8 = elements.filter((el) => el.tag !== tag(0x0008, 0x0005));
    utf8.push({ tag: tag(0x0008, 0x0005), vr: 'CS', value: 'ISO_IR 192' });
    return writeDicomFile(utf8, { transferSyntaxUID });
  }
}

/**
 * The ImageStack `loadDicomWeb` returns: a LazyImageStack whose frames come from the archive, with
 * prefetching around the slice last asked for, transfer statistics, and `dispose()` to stop everything.
 */
export class DicomWebImageStack extends LazyImageStack {
  readonly studyInstanceUID: string;
  readonly seriesInstanceUID: string;
  readonly url: string;
  #options: LoadDicomWebOptions;
  #records = new Map<string, InstanceRecord>();
  #limiter: RequestLimiter;
  #radius: number;
  #prefetching = new Map<number, AbortController>();
  #accept = FRAME_ACCEPT;
  #instances = new Map<string, Promise<DicomImageInfo>>();
  #stats: DicomWebStats = { frames: 0, bytes: 0, transferSyntaxes: {}, mode: 'frames' };
  #disposed = new AbortController();
  /** Frames a caller (not the prefetcher) asked for: their requests go first. */
  #wanted = new Set<number>();

  constructor(template: ImageStack, records: InstanceRecord[], options: LoadDicomWebOptions) {
    const metadata = { ...template.metadata };
    delete metadata.transferSyntaxUID; // the placeholder's; set from the first frame
    super({
      format: 'dicom',
      width: template.width,
      height: template.height,
      samplesPerPixel: template.samplesPerPixel,
      dataType: template.dataType,
      spacing: template.spacing,
      windowPresets: template.windowPresets,
      slices: template.slices,
      metadata,
      ...(options.cacheBytes === undefined ? {} : { cacheBytes: options.cacheBytes }),
      decode: (index, signal) => this.#decode(index, signal),
    });
    this.studyInstanceUID = options.studyInstanceUID;
    this.seriesInstanceUID = options.seriesInstanceUID;
    this.url = options.url;
    this.#options = { ...options };
    delete this.#options.signal;
    delete this.#options.onProgress;
    for (const r of records) this.#records.set(r.sopInstanceUID, r);
    this.#limiter = new RequestLimiter(Math.max(1, Math.min(16, options.concurrency ?? 6)));
    this.#radius =
      options.prefetch === false ? 0 : Math.max(0, options.prefetch?.radius ?? DEFAULT_PREFETCH_RADIUS);
    if (options.retrieve === 'instance') this.#stats.mode = 'instance';
  }

  /** What has been transferred so far. */
  get stats(): Readonly<DicomWebStats> {
    return { ...this.#stats, transferSyntaxes: { ...this.#stats.transferSyntaxes } };
  }

  override getFrame(index: number, options: { signal?: AbortSignal } = {}): Promise<Frame> {
    if (!this.peekFrame(index)) this.#wanted.add(index);
    const frame = super.getFrame(index, options);
    if (Number.isInteger(index) && index >= 0 && index < this.depth) this.prefetch(index);
    return frame;
  }

  /**
   * Fetches frames around `center` (nearest first, within the prefetch radius) and aborts prefetches that
   * are no longer in that window. `getFrame` calls it; a host may call it to warm a region.
   */
  prefetch(center: number, radius = this.#radius): void {
    if (this.#disposed.signal.aborted) return;
    const lo = Math.max(0, center - radius);
    const hi = Math.min(this.depth - 1, center + radius);
    for (const [i, controller] of this.#prefetching) {
      if (i < lo || i > hi) {
        controller.abort();
        this.#prefetching.delete(i);
      }
    }
    for (let d = 1; d <= radius; d++) {
      for (const i of [center + d, center - d]) {
        if (i < lo || i > hi || this.#prefetching.has(i) || this.peekFrame(i)) continue;
        const controller = new AbortController();
        this.#prefetching.set(i, controller);
        super
          .getFrame(i, { signal: controller.signal })
          .catch(() => undefined)
          .finally(() => {
            if (this.#prefetching.get(i) === controller) this.#prefetching.delete(i);
          });
      }
    }
  }

  /** Aborts every prefetch and request in flight, and drops the cache. */
  dispose(): void {
    this.#disposed.abort();
    for (const c of this.#prefetching.values()) c.abort();
    this.#prefetching.clear();
    this.clearCache();
  }

  async #decode(index: number, signal: AbortSignal | undefined): Promise<Frame> {
    const combined = anySignal([signal, this.#disposed.signal]);
    const urgent = this.#wanted.has(index);
    const slice = this.slices[index]!;
    const record = this.#records.get(slice.sopInstanceUID!)!;
    const frameIndex = (slice.frameNumber ?? 1) - 1;
    try {
      if (this.#stats.mode === 'instance' || record.needsInstance)
        return await this.#fromInstance(record, frameIndex, combined);
      try {
        return await this.#fromFrames(record, frameIndex, combined, urgent);
      } catch (e) {
        if (!frameRetrievalUnsupported(e)) throw e;
        this.#stats.mode = 'instance';
        return await this.#fromInstance(record, frameIndex, combined);
      }
    } finally {
      this.#wanted.delete(index);
    }
  }

  async #fromFrames(
    record: InstanceRecord,
    frameIndex: number,
    signal: AbortSignal,
    urgent: boolean,
  ): Promise<Frame> {
    const info = record.info;
    const frameBytes = info.rows * info.columns * info.samplesPerPixel * Math.ceil(info.bitsAllocated / 8);
    const maxPartBytes = frameBytes * 2 + 64 * 1024;
    const ref = { ...this.#options, sopInstanceUID: record.sopInstanceUID, signal };
    let got: RetrievedFrame;
    try {
      got = await this.#limiter.run(
        signal,
        () => retrieveFrame(ref, frameIndex + 1, { accept: this.#accept, maxPartBytes }),
        urgent,
      );
    } catch (e) {
      // Servers that refuse a list of media types get the plainest request once.
      if (this.#accept === FRAME_ACCEPT_AS_STORED || !refusedAccept(e)) throw e;
      this.#accept = FRAME_ACCEPT_AS_STORED;
      got = await this.#limiter.run(
        signal,
        () => retrieveFrame(ref, frameIndex + 1, { accept: this.#accept, maxPartBytes }),
        urgent,
      );
    }
    this.#count(got.transferSyntaxUID, got.transferred);
    const file = frameFile(record, got);
    const one = readImageInfo(await parseDicomBytes(file, { signal }));
    const frame = await decodeDicomFrame(one, 0, signal, this.#pool());
    const rescale = frameRescale(info, frameIndex);
    return { ...frame, rescaleSlope: rescale.slope, rescaleIntercept: rescale.intercept };
  }

  async #fromInstance(record: InstanceRecord, frameIndex: number, signal: AbortSignal): Promise<Frame> {
    let pending = this.#instances.get(record.sopInstanceUID);
    if (!pending) {
      const info = record.info;
      const maxBytes =
        info.numberOfFrames * info.rows * info.columns * info.samplesPerPixel * BYTES_PER_SAMPLE.float64 +
        16 * 1024 * 1024;
      pending = this.#limiter
        .run(this.#disposed.signal, () =>
          retrieveInstance({
            ...this.#options,
            sopInstanceUID: record.sopInstanceUID,
            signal: this.#disposed.signal,
            maxBytes,
          }),
        )
        .then(async (bytes) => {
          const parsed = await parseDicomBytes(bytes);
          this.#count(parsed.transferSyntaxUID, bytes.byteLength);
          return readImageInfo(parsed);
        });
      this.#instances.set(record.sopInstanceUID, pending);
      // Keep the parsed instances of a multi-frame series; single-frame ones are not asked for twice.
      pending.then(
        () => {
          if (record.info.numberOfFrames === 1) this.#instances.delete(record.sopInstanceUID);
        },
        () => this.#instances.delete(record.sopInstanceUID),
      );
    }
    const info = await raceAbort(pending, signal);
    return decodeDicomFrame(info, frameIndex, signal, this.#pool());
  }

  #count(transferSyntaxUID: string, bytes: number): void {
    this.#stats.frames++;
    this.#stats.bytes += bytes;
    this.#stats.transferSyntaxes[transferSyntaxUID] =
      (this.#stats.transferSyntaxes[transferSyntaxUID] ?? 0) + 1;
    this.metadata.transferSyntaxUID ??= transferSyntaxUID;
  }

  #pool(): { pool?: DecodeWorkerPool } {
    return this.#options.decodePool ? { pool: this.#options.decodePool } : {};
  }
}

/** A one-frame DICOM file: the instance's header, Number of Frames 1, and the retrieved frame. */
function frameFile(record: InstanceRecord, got: RetrievedFrame): Uint8Array {
  const native = isNativeTransferSyntax(got.transferSyntaxUID);
  const pixel: DicomElement = native
    ? { tag: PIXEL_DATA, vr: record.info.bitsAllocated > 8 ? 'OW' : 'OB', value: got.bytes }
    : { tag: PIXEL_DATA, vr: 'OB', value: { fragments: [got.bytes] } };
  const elements = record.elements.filter((e) => e.tag !== NUMBER_OF_FRAMES);
  if (record.info.numberOfFrames > 1) elements.push({ tag: NUMBER_OF_FRAMES, vr: 'IS', value: '1' });
  elements.push(pixel);
  return writeHeader(elements, got.transferSyntaxUID);
}

function status(e: unknown): number | undefined {
  const details = VoxmarkError.is(e) ? (e.details as { status?: unknown } | undefined) : undefined;
  return typeof details?.status === 'number' ? details.status : undefined;
}

function refusedAccept(e: unknown): boolean {
  return VoxmarkError.is(e, ErrorCode.NotAcceptable) || status(e) === 400;
}

/** Answers that mean "no frame retrieval here" rather than "no such instance" or "not allowed". */
function frameRetrievalUnsupported(e: unknown): boolean {
  const s = status(e);
  return VoxmarkError.is(e, ErrorCode.NotAcceptable) || s === 400 || s === 404 || s === 405 || s === 501;
}

function anySignal(signals: (AbortSignal | undefined)[]): AbortSignal {
  const present = signals.filter((s): s is AbortSignal => s !== undefined);
  return present.length === 1 ? present[0]! : AbortSignal.any(present);
}

function raceAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(new VoxmarkError(ErrorCode.Aborted, 'aborted'));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new VoxmarkError(ErrorCode.Aborted, 'aborted', { cause: signal.reason }));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}
