/**
 * Turns a decoded frame into display pixels on an offscreen 2D canvas, once per slice or window
 * change. The viewer's Konva image node draws that canvas scaled; no WebGL context is ever created.
 * @module
 */
import type { DataType, Frame } from '../core/image/types.js';
import {
  MAX_LUT_SIZE,
  applyLut,
  buildVoiLut,
  isIntegerType,
  naturalRange,
  rgbToRgba,
  sameParams,
  sampleRange,
  windowDirect,
  type VoiLut,
  type VoiParams,
} from '../core/image/voi.js';

/** Window parameters as the viewer holds them (before the frame's rescale is known). */
export interface WindowState {
  center: number;
  width: number;
  fn: VoiParams['fn'];
  invert: boolean;
}

/** Default memory for cached display bitmaps, in bytes (64 slices of 512×512). */
export const DEFAULT_BITMAP_CACHE_BYTES = 64 * 1024 * 1024;

/** A display bitmap: what one frame looked like at one window, kept for when the slice comes back. */
interface Bitmap {
  canvas: HTMLCanvasElement;
  ctx: CanvasRenderingContext2D;
  /** The frame it was rendered from, and the (possibly decimated) samples actually drawn. */
  frame: Frame | undefined;
  source: Frame | undefined;
  center: number;
  width: number;
  fn: VoiParams['fn'];
  invert: boolean;
  rangeLo: number;
  rangeHi: number;
}

/**
 * Renders frames into offscreen canvases, one per recently shown frame (a bounded LRU cache): coming back
 * to a slice at the same window shows its bitmap again without touching a pixel. A window change renders
 * again into the same canvas. Once the cache is full, the least recently shown canvas is reused, so
 * scrolling allocates nothing.
 */
export class ImageRenderer {
  #bitmap: Bitmap;
  #bitmaps = new Map<Frame, Bitmap>();
  #capacity: number;
  #cacheBytes: number;
  #imageData: ImageData | undefined;
  #pixels: Uint32Array | undefined;
  #lut: VoiLut | undefined;
  #lutRange: [number, number] | undefined;
  #ranges = new WeakMap<Frame, [number, number]>();
  #decimated = new WeakMap<Frame, { step: number; frame: Frame; filtered: boolean }>();
  #refining: { frame: Frame; step: number; out: Frame; acc: Float64Array; row: number } | undefined;
  /** Decimation step of the last render (1 = full resolution). */
  step = 1;
  /** Image pixels the last render covers (a decimated render may leave out a sliver under one step wide). */
  coverWidth = 0;
  coverHeight = 0;
  /** Milliseconds the last render took (LUT + pixel loop + putImageData; near 0 when cached). */
  lastRenderMs = 0;
  /** Whether the last render showed a cached bitmap. */
  lastRenderCached = false;

  /** `cacheBytes`: memory for display bitmaps kept for slices shown recently (at least two are kept). */
  constructor(cacheBytes = DEFAULT_BITMAP_CACHE_BYTES) {
    this.#cacheBytes = cacheBytes;
    this.#capacity = 2;
    this.#bitmap = newBitmap();
  }

  /** The canvas the last render drew into (it changes from slice to slice). */
  get canvas(): HTMLCanvasElement {
    return this.#bitmap.canvas;
  }

  /** Bitmaps currently cached. */
  get cachedBitmaps(): number {
    return this.#bitmaps.size;
  }

  /** Forgets every cached bitmap (their canvases are reused by later renders). */
  clearCache(): void {
    for (const b of this.#bitmaps.values()) b.frame = b.source = undefined;
  }

  /**
   * Renders `frame` with `window`. `storedRange` is the stack's declared stored range, when known.
   * `step` > 1 renders every step-th pixel of every step-th row: for large images shown minified,
   * the work then follows the screen's pixel count, not the image's.
   */
  render(
    frame: Frame,
    dataType: DataType,
    window: WindowState,
    storedRange?: [number, number],
    step = 1,
  ): void {
    const t0 = performance.now();
    const source = step > 1 ? this.#decimate(frame, step) : frame;
    this.step = step > 1 ? step : 1;
    this.coverWidth = source.width * this.step;
    this.coverHeight = source.height * this.step;
    const range =
      frame.samplesPerPixel < 3 && isIntegerType(dataType)
        ? this.#lutRangeFor(frame, dataType, storedRange)
        : undefined;
    const bitmap = this.#bitmapFor(frame, source);
    this.#bitmap = bitmap;
    this.lastRenderCached = bitmap.source === source && sameWindow(bitmap, window, range);
    if (!this.lastRenderCached) {
      this.#renderFull(bitmap, source, dataType, window, range);
      bitmap.frame = frame;
      bitmap.source = source;
      bitmap.center = window.center;
      bitmap.width = window.width;
      bitmap.fn = window.fn;
      bitmap.invert = window.invert;
      bitmap.rangeLo = range ? range[0] : NaN;
      bitmap.rangeHi = range ? range[1] : NaN;
    }
    this.lastRenderMs = performance.now() - t0;
  }

  /**
   * The cached bitmap of `frame` (most recently used from now on), or, for a frame not cached, a canvas to
   * render it into: a new one while the cache has room, else the least recently used one.
   */
  #bitmapFor(frame: Frame, source: Frame): Bitmap {
    const cache = this.#bitmaps;
    let bitmap = cache.get(frame);
    if (bitmap) {
      cache.delete(frame);
    } else {
      this.#capacity = Math.max(2, Math.floor(this.#cacheBytes / (source.width * source.height * 4)));
      if (cache.size >= this.#capacity) {
        const [oldest, reused] = cache.entries().next().value as [Frame, Bitmap];
        cache.delete(oldest);
        bitmap = reused;
        // Shrink a cache that a larger frame size made too big.
        while (cache.size >= this.#capacity) cache.delete(cache.keys().next().value as Frame);
      } else bitmap = cache.size === 0 && !this.#bitmap.frame ? this.#bitmap : newBitmap();
      bitmap.source = undefined;
    }
    cache.set(frame, bitmap);
    return bitmap;
  }

  /** Whether the box-filtered version of `frame` at `step` is ready (then renders use it). */
  isRefined(frame: Frame, step: number): boolean {
    const cached = this.#decimated.get(frame);
    return step <= 1 || (!!cached && cached.step === step && cached.filtered);
  }

  /**
   * Builds the box-filtered (area-averaged) decimation of `frame` at `step`, a few rows at a time:
   * call it repeatedly with a time budget until it returns true. Nearest-sample decimation is instant
   * but aliases fine patterns and noise; this replaces it once the viewer is idle.
   */
  refine(frame: Frame, step: number, budgetMs: number): boolean {
    if (this.isRefined(frame, step)) return true;
    const spp = frame.samplesPerPixel;
    const w = Math.max(1, Math.floor(frame.width / step));
    const h = Math.max(1, Math.floor(frame.height / step));
    let job = this.#refining;
    if (!job || job.frame !== frame || job.step !== step) {
      const Ctor = frame.data.constructor as new (n: number) => Frame['data'];
      job = {
        frame,
        step,
        out: { ...frame, width: w, height: h, data: new Ctor(w * h * spp) },
        acc: new Float64Array(w * spp),
        row: 0,
      };
      this.#refining = job;
    }
    const t0 = performance.now();
    const src = frame.data;
    const out = job.out.data;
    const acc = job.acc;
    const integer = !(out instanceof Float32Array || out instanceof Float64Array);
    const inv = 1 / (step * step);
    const rowLen = frame.width * spp;
    while (job.row < h) {
      const j = job.row;
      acc.fill(0);
      for (let r = 0; r < step; r++) {
        const base = (j * step + r) * rowLen;
        for (let i = 0, a = 0; i < w; i++) {
          const s0 = base + i * step * spp;
          for (let k = 0; k < spp; k++, a++) {
            let sum = 0;
            for (let c = 0, s = s0 + k; c < step; c++, s += spp) sum += src[s]!;
            acc[a] = acc[a]! + sum;
          }
        }
      }
      const d0 = j * w * spp;
      for (let a = 0; a < acc.length; a++) out[d0 + a] = integer ? Math.round(acc[a]! * inv) : acc[a]! * inv;
      job.row++;
      if (performance.now() - t0 >= budgetMs) break;
    }
    if (job.row < h) return false;
    this.#decimated.set(frame, { step, frame: job.out, filtered: true });
    this.#refining = undefined;
    return true;
  }

  #decimate(frame: Frame, step: number): Frame {
    const cached = this.#decimated.get(frame);
    if (cached && cached.step === step) return cached.frame;
    const spp = frame.samplesPerPixel;
    const w = Math.max(1, Math.floor(frame.width / step));
    const h = Math.max(1, Math.floor(frame.height / step));
    const Ctor = frame.data.constructor as new (n: number) => Frame['data'];
    const data = new Ctor(w * h * spp);
    const src = frame.data;
    const half = step >> 1;
    for (let j = 0; j < h; j++) {
      const row = Math.min(frame.height - 1, j * step + half) * frame.width;
      for (let i = 0; i < w; i++) {
        const s = (row + Math.min(frame.width - 1, i * step + half)) * spp;
        const d = (j * w + i) * spp;
        for (let k = 0; k < spp; k++) data[d + k] = src[s + k]!;
      }
    }
    const out: Frame = { ...frame, width: w, height: h, data };
    this.#decimated.set(frame, { step, frame: out, filtered: false });
    return out;
  }

  #renderFull(
    bitmap: Bitmap,
    frame: Frame,
    dataType: DataType,
    window: WindowState,
    range: [number, number] | undefined,
  ): void {
    const { width, height } = frame;
    if (!this.#imageData || this.#imageData.width !== width || this.#imageData.height !== height) {
      this.#imageData = new ImageData(width, height);
      this.#pixels = new Uint32Array(this.#imageData.data.buffer);
    }
    if (bitmap.canvas.width !== width || bitmap.canvas.height !== height) {
      bitmap.canvas.width = width;
      bitmap.canvas.height = height;
    }
    const out = this.#pixels!;
    if (frame.samplesPerPixel >= 3) {
      rgbToRgba(frame.data, frame.samplesPerPixel, out, dataType);
    } else {
      const params: VoiParams = {
        center: window.center,
        width: window.width,
        fn: window.fn,
        invert: window.invert,
        slope: frame.rescaleSlope || 1,
        intercept: frame.rescaleIntercept || 0,
      };
      if (range) {
        if (
          !this.#lut ||
          !this.#lutRange ||
          this.#lutRange[0] !== range[0] ||
          this.#lutRange[1] !== range[1] ||
          !sameParams(this.#lut.params, params)
        ) {
          this.#lut = buildVoiLut(range[0], range[1], params, this.#lut?.table);
          this.#lutRange = range;
        }
        applyLut(frame.data, this.#lut, out);
      } else {
        windowDirect(frame.data, params, out);
      }
    }
    bitmap.ctx.putImageData(this.#imageData!, 0, 0);
  }

  #lutRangeFor(
    frame: Frame,
    dataType: DataType,
    storedRange?: [number, number],
  ): [number, number] | undefined {
    const natural = naturalRange(dataType);
    if (natural) return natural;
    if (storedRange && storedRange[1] - storedRange[0] < MAX_LUT_SIZE) return storedRange;
    let r = this.#ranges.get(frame);
    if (!r) {
      r = sampleRange(frame.data);
      this.#ranges.set(frame, r);
    }
    return r[1] - r[0] < MAX_LUT_SIZE ? r : undefined;
  }
}

function newBitmap(): Bitmap {
  const canvas = document.createElement('canvas');
  canvas.width = 1;
  canvas.height = 1;
  const ctx = canvas.getContext('2d', { alpha: false })!;
  return {
    canvas,
    ctx,
    frame: undefined,
    source: undefined,
    center: NaN,
    width: NaN,
    fn: 'LINEAR',
    invert: false,
    rangeLo: NaN,
    rangeHi: NaN,
  };
}

/** Whether `bitmap` was rendered with this window and LUT range (both absent counts as the same). */
function sameWindow(bitmap: Bitmap, w: WindowState, range: [number, number] | undefined): boolean {
  return (
    bitmap.center === w.center &&
    bitmap.width === w.width &&
    bitmap.fn === w.fn &&
    bitmap.invert === w.invert &&
    (range ? bitmap.rangeLo === range[0] && bitmap.rangeHi === range[1] : Number.isNaN(bitmap.rangeLo))
  );
}
