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
  #decimated = new WeakMap<Frame, { step: number; frame: Frame }>();
  /** Decimation step of the last render (1 = full resolution). */
  step = 1;
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
    this.#renderFull(source, dataType, window, storedRange, frame);
    this.lastRenderMs = performance.now() - t0;
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
    this.#decimated.set(frame, { step, frame: out });
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
