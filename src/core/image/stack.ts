import { ErrorCode, VoxmarkError, isAbortError, throwIfAborted } from '../errors.js';
import type { DataType, Frame, ImageStack, SliceRef, StackMetadata, WindowPreset } from './types.js';

export const DEFAULT_CACHE_BYTES = 512 * 1024 * 1024;

export interface ImageStackInit {
  format: 'dicom' | 'tiff';
  width: number;
  height: number;
  samplesPerPixel: number;
  dataType: DataType;
  spacing?: [number, number, number];
  windowPresets?: WindowPreset[];
  slices: SliceRef[];
  metadata?: StackMetadata;
  /** Decodes frame `index`. Called at most once at a time per index; results are cached. */
  decode: (index: number, signal: AbortSignal | undefined) => Promise<Frame>;
  /** Memory budget for cached frames, in bytes. */
  cacheBytes?: number;
}

interface Pending {
  promise: Promise<Frame>;
  controller: AbortController;
  waiters: number;
}

/**
 * An ImageStack over a frame decoder: frames are decoded on demand, cached within a memory budget
 * (least recently used first out), shared between concurrent callers, and aborted when every caller
 * that asked for a frame has given up on it.
 */
export class LazyImageStack implements ImageStack {
  readonly format: 'dicom' | 'tiff';
  readonly width: number;
  readonly height: number;
  readonly depth: number;
  readonly samplesPerPixel: number;
  readonly dataType: DataType;
  readonly spacing: [number, number, number];
  readonly windowPresets: WindowPreset[];
  readonly slices: SliceRef[];
  readonly metadata: StackMetadata;

  #decode: ImageStackInit['decode'];
  #cache = new Map<number, Frame>();
  #cacheBytes = 0;
  #budget: number;
  #pending = new Map<number, Pending>();

  constructor(init: ImageStackInit) {
    this.format = init.format;
    this.width = init.width;
    this.height = init.height;
    this.depth = init.slices.length;
    this.samplesPerPixel = init.samplesPerPixel;
    this.dataType = init.dataType;
    this.spacing = init.spacing ?? [1, 1, 1];
    this.windowPresets = init.windowPresets ?? [];
    this.slices = init.slices;
    this.metadata = init.metadata ?? {};
    this.#decode = init.decode;
    this.#budget = init.cacheBytes ?? DEFAULT_CACHE_BYTES;
  }

  /** The frame if it is decoded and cached, without decoding. */
  peekFrame(index: number): Frame | undefined {
    const frame = this.#cache.get(index);
    if (frame) {
      this.#cache.delete(index);
      this.#cache.set(index, frame);
    }
    return frame;
  }

  getFrame(index: number, options: { signal?: AbortSignal } = {}): Promise<Frame> {
    const { signal } = options;
    if (!Number.isInteger(index) || index < 0 || index >= this.depth) {
      return Promise.reject(
        new VoxmarkError(ErrorCode.OutOfRange, `Frame index ${index} is outside 0…${this.depth - 1}`),
      );
    }
    try {
      throwIfAborted(signal);
    } catch (e) {
      return Promise.reject(e);
    }
    const cached = this.peekFrame(index);
    if (cached) return Promise.resolve(cached);

    let pending = this.#pending.get(index);
    // A decode that every caller gave up on is being aborted: start afresh rather than join it.
    if (!pending || pending.controller.signal.aborted) {
      const controller = new AbortController();
      const entry: Pending = { promise: undefined as unknown as Promise<Frame>, controller, waiters: 0 };
      entry.promise = this.#decode(index, controller.signal).then(
        (frame) => {
          if (this.#pending.get(index) === entry) this.#pending.delete(index);
          this.#store(index, frame);
          return frame;
        },
        (error: unknown) => {
          if (this.#pending.get(index) === entry) this.#pending.delete(index);
          throw error;
        },
      );
      pending = entry;
      this.#pending.set(index, pending);
    }
    const entry = pending;
    entry.waiters++;
    if (!signal) {
      return entry.promise.finally(() => {
        entry.waiters--;
      });
    }
    return new Promise<Frame>((resolve, reject) => {
      const onAbort = () => {
        entry.waiters--;
        // Nobody else waits for this frame: stop decoding it.
        if (entry.waiters <= 0) entry.controller.abort(signal.reason);
        reject(
          new VoxmarkError(ErrorCode.Aborted, `Decoding frame ${index} was aborted`, {
            cause: signal.reason,
          }),
        );
      };
      signal.addEventListener('abort', onAbort, { once: true });
      entry.promise.then(
        (frame) => {
          signal.removeEventListener('abort', onAbort);
          if (signal.aborted) return;
          entry.waiters--;
          resolve(frame);
        },
        (error: unknown) => {
          signal.removeEventListener('abort', onAbort);
          if (signal.aborted) return;
          entry.waiters--;
          reject(
            isAbortError(error) ? new VoxmarkError(ErrorCode.Aborted, 'aborted', { cause: error }) : error,
          );
        },
      );
    });
  }

  /** Drops every cached frame. */
  clearCache(): void {
    this.#cache.clear();
    this.#cacheBytes = 0;
  }

  get cachedBytes(): number {
    return this.#cacheBytes;
  }

  #store(index: number, frame: Frame): void {
    const bytes = frame.data.byteLength;
    if (bytes > this.#budget) return;
    const old = this.#cache.get(index);
    if (old) {
      this.#cacheBytes -= old.data.byteLength;
      this.#cache.delete(index);
    }
    this.#cache.set(index, frame);
    this.#cacheBytes += bytes;
    for (const [key, value] of this.#cache) {
      if (this.#cacheBytes <= this.#budget) break;
      this.#cache.delete(key);
      this.#cacheBytes -= value.data.byteLength;
    }
  }
}

export const BYTES_PER_SAMPLE: Record<DataType, number> = {
  uint8: 1,
  int8: 1,
  uint16: 2,
  int16: 2,
  uint32: 4,
  int32: 4,
  float32: 4,
  float64: 8,
};

/** Checks a frame size against the allocation cap before anything allocates it. */
export function checkFrameSize(
  width: number,
  height: number,
  samplesPerPixel: number,
  bytesPerSample: number,
  maxFrameBytes: number,
): number {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) {
    throw new VoxmarkError(ErrorCode.Corrupt, `Invalid image size ${width}×${height}`);
  }
  if (!(samplesPerPixel === 1 || samplesPerPixel === 3 || samplesPerPixel === 4)) {
    throw new VoxmarkError(ErrorCode.Unsupported, `Unsupported samples per pixel: ${samplesPerPixel}`);
  }
  const bytes = width * height * samplesPerPixel * bytesPerSample;
  if (bytes > maxFrameBytes) {
    throw new VoxmarkError(
      ErrorCode.TooLarge,
      `A ${width}×${height} frame needs ${bytes} bytes, more than the ${maxFrameBytes}-byte limit`,
    );
  }
  return bytes;
}

export interface SyntheticStackInit {
  width: number;
  height: number;
  frames: Frame['data'][];
  dataType: DataType;
  samplesPerPixel?: number;
  spacing?: [number, number, number];
  rescaleSlope?: number;
  rescaleIntercept?: number;
  windowPresets?: WindowPreset[];
  metadata?: StackMetadata;
  format?: 'dicom' | 'tiff';
}

/**
 * Builds an ImageStack from pixel arrays already in memory: model outputs, generated phantoms, tests.
 */
export function createImageStack(init: SyntheticStackInit): ImageStack {
  const samplesPerPixel = init.samplesPerPixel ?? 1;
  const expected = init.width * init.height * samplesPerPixel;
  init.frames.forEach((data, i) => {
    if (data.length !== expected) {
      throw new VoxmarkError(
        ErrorCode.InvalidArgument,
        `Frame ${i} has ${data.length} samples, expected ${expected}`,
      );
    }
  });
  return new LazyImageStack({
    format: init.format ?? 'dicom',
    width: init.width,
    height: init.height,
    samplesPerPixel,
    dataType: init.dataType,
    spacing: init.spacing ?? [1, 1, 1],
    windowPresets: init.windowPresets ?? [],
    slices: init.frames.map((_, i) => ({ frameNumber: i + 1 })),
    metadata: init.metadata ?? {},
    cacheBytes: Number.MAX_SAFE_INTEGER, // frames are already in memory
    decode: async (index) => ({
      width: init.width,
      height: init.height,
      samplesPerPixel,
      data: init.frames[index]!,
      rescaleSlope: init.rescaleSlope ?? 1,
      rescaleIntercept: init.rescaleIntercept ?? 0,
    }),
  });
}
