/**
 * Slices as PNG for the 2D dataset layouts (COCO, YOLO): 8-bit greys through the series' default window, or
 * 16-bit PNGs that hold the stored values exactly with the rescale beside them. RGB stays RGB. Encoded with
 * fast-png, loaded on first use so it stays out of the eager bundle.
 * @module
 */
import { ErrorCode, VoxmarkError, throwIfAborted } from '../errors.js';
import type { Frame, ImageStack, PixelArray } from '../image/types.js';
import type * as FastPngModule from 'fast-png';
import { greyOf, isMonochrome1, sampleRange, voiFunction, type VoiParams } from '../image/voi.js';
import { lazyModule } from '../util/lazy.js';

/**
 * How slices become PNG images. `png8-window`: 8-bit greys through the series' default window (see
 * {@link seriesWindow}), MONOCHROME1 inverted so bright is dense, as a viewer shows it. `png16`: 16-bit
 * greys holding the stored values (plus 32768 for signed data), with the rescale to modality values recorded
 * by the caller; integer data only.
 */
export type SliceImageMode = 'png8-window' | 'png16';

/** A window in modality values (after the rescale). */
export interface DatasetWindow {
  center: number;
  width: number;
  /** Where it came from: the host, the series' first window preset, or its stored value range. */
  source: 'option' | 'preset' | 'stored-range';
}

/** One encoded slice. */
export interface SliceImage {
  bytes: Uint8Array;
  channels: 1 | 3;
  bitDepth: 8 | 16;
  /** PNG value → modality value (png16 greys): value × slope + intercept. */
  rescale?: { slope: number; intercept: number };
}

const loadFastPng: () => Promise<typeof FastPngModule> = lazyModule(() => import('fast-png'));

/**
 * The window 8-bit images of a series are made with: `override` when given, else the series' first window
 * preset (DICOM Window Center/Width), else the whole stored range of the series (read from
 * `metadata.storedRange`, or found by reading every frame once) mapped through the first frame's rescale.
 */
export async function seriesWindow(
  stack: ImageStack,
  override?: { center: number; width: number },
  signal?: AbortSignal,
): Promise<DatasetWindow> {
  if (override) return { center: override.center, width: override.width, source: 'option' };
  const preset = stack.windowPresets[0];
  if (preset && Number.isFinite(preset.center) && Number.isFinite(preset.width) && preset.width > 0)
    return { center: preset.center, width: preset.width, source: 'preset' };
  const first = await stack.getFrame(0, signal ? { signal } : {});
  let lo: number;
  let hi: number;
  const range = stack.metadata['storedRange'];
  if (Array.isArray(range) && typeof range[0] === 'number' && typeof range[1] === 'number') [lo, hi] = range;
  else {
    lo = Infinity;
    hi = -Infinity;
    for (let k = 0; k < stack.depth; k++) {
      throwIfAborted(signal);
      const [a, b] = sampleRange((await stack.getFrame(k, signal ? { signal } : {})).data);
      lo = Math.min(lo, a);
      hi = Math.max(hi, b);
    }
  }
  const m0 = lo * first.rescaleSlope + first.rescaleIntercept;
  const m1 = hi * first.rescaleSlope + first.rescaleIntercept;
  const width = Math.max(Math.abs(m1 - m0), 1);
  return { center: (m0 + m1) / 2, width, source: 'stored-range' };
}

/** Encodes one frame as a PNG in the given mode. Throws VoxmarkError('unsupported') for png16 of float data. */
export async function sliceToPng(
  stack: ImageStack,
  frame: Frame,
  mode: SliceImageMode,
  window: DatasetWindow,
): Promise<SliceImage> {
  const { encode } = await loadFastPng();
  const { width, height } = frame;
  const rgb = frame.samplesPerPixel >= 3;
  const wide = frame.data.BYTES_PER_ELEMENT > 1;
  if (rgb) {
    // Colour is kept as stored: 8-bit RGB, or 16-bit RGB in png16 mode for 16-bit data.
    const n = width * height;
    const sixteen = mode === 'png16' && wide;
    const out = sixteen ? new Uint16Array(n * 3) : new Uint8Array(n * 3);
    const shift = wide && !sixteen ? 8 : 0;
    for (let i = 0, j = 0; i < n; i++, j += frame.samplesPerPixel) {
      out[i * 3] = frame.data[j]! >> shift;
      out[i * 3 + 1] = frame.data[j + 1]! >> shift;
      out[i * 3 + 2] = frame.data[j + 2]! >> shift;
    }
    return {
      bytes: encode({ width, height, data: out, depth: sixteen ? 16 : 8, channels: 3 }),
      channels: 3,
      bitDepth: sixteen ? 16 : 8,
    };
  }
  if (mode === 'png16') {
    const t = stack.dataType;
    if (t === 'float32' || t === 'float64')
      throw new VoxmarkError(
        ErrorCode.Unsupported,
        `png16 images hold integer stored values; this ${t} series needs 'png8-window'`,
      );
    const offset = t === 'int8' || t === 'int16' || t === 'int32' ? 32768 : 0;
    const out = new Uint16Array(width * height);
    for (let i = 0; i < out.length; i++) {
      const v = frame.data[i]! + offset;
      if (v < 0 || v > 65535)
        throw new VoxmarkError(
          ErrorCode.Unsupported,
          `Stored value ${frame.data[i]} does not fit a 16-bit PNG; use 'png8-window'`,
        );
      out[i] = v;
    }
    return {
      bytes: encode({ width, height, data: out, depth: 16, channels: 1 }),
      channels: 1,
      bitDepth: 16,
      rescale: { slope: frame.rescaleSlope, intercept: frame.rescaleIntercept - offset * frame.rescaleSlope },
    };
  }
  const params: VoiParams = {
    center: window.center,
    width: window.width,
    fn: voiFunction(stack),
    invert: isMonochrome1(stack),
    slope: frame.rescaleSlope,
    intercept: frame.rescaleIntercept,
  };
  const out = windowToGrey(frame.data, params);
  return { bytes: encode({ width, height, data: out, depth: 8, channels: 1 }), channels: 1, bitDepth: 8 };
}

/** 8-bit greys of stored values through a window; integer data through a lookup table over its range. */
export function windowToGrey(data: PixelArray, params: VoiParams): Uint8Array {
  const out = new Uint8Array(data.length);
  const [lo, hi] = sampleRange(data);
  const integer = !(data instanceof Float32Array || data instanceof Float64Array);
  if (integer && hi - lo < 1 << 20) {
    const lut = new Uint8Array(hi - lo + 1);
    for (let v = lo; v <= hi; v++) lut[v - lo] = greyOf(v, params);
    for (let i = 0; i < data.length; i++) out[i] = lut[data[i]! - lo]!;
  } else for (let i = 0; i < data.length; i++) out[i] = greyOf(data[i]!, params);
  return out;
}
