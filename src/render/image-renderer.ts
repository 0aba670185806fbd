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

/** Renders frames into one reusable offscreen canvas. */
export class ImageRenderer {
  readonly canvas: HTMLCanvasElement;
  #ctx: CanvasRenderingContext2D;
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
  /** Milliseconds the last render took (LUT + pixel loop + putImageData). */
  lastRenderMs = 0;

  constructor() {
    this.canvas = document.createElement('canvas');
    this.canvas.width = 1;
    this.canvas.height = 1;
    this.#ctx = this.canvas.getContext('2d', { alpha: false })!;
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
    this.#renderFull(source, dataType, window, storedRange, frame);
    this.lastRenderMs = performance.now() - t0;
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
    frame: Frame,
    dataType: DataType,
    window: WindowState,
    storedRange: [number, number] | undefined,
    rangeKey: Frame,
  ): void {
    const { width, height } = frame;
    if (!this.#imageData || this.#imageData.width !== width || this.#imageData.height !== height) {
      this.canvas.width = width;
      this.canvas.height = height;
      this.#imageData = new ImageData(width, height);
      this.#pixels = new Uint32Array(this.#imageData.data.buffer);
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
      const range = isIntegerType(dataType) ? this.#lutRangeFor(rangeKey, dataType, storedRange) : undefined;
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
    this.#ctx.putImageData(this.#imageData!, 0, 0);
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
