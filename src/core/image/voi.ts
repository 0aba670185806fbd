/**
 * From stored pixel values to display greys: modality rescale, then the VOI window of DICOM PS3.3
 * C.11.2.1.2 (LINEAR, LINEAR_EXACT, SIGMOID), then optional inversion (MONOCHROME1 or the user's
 * invert). Integer data goes through a lookup table over its stored range; float data is windowed
 * directly. Output is packed RGBA (little-endian `0xAABBGGRR` in a Uint32Array), ready for an ImageData.
 * DOM-free.
 * @module
 */
import { applyWindow } from './window.js';
import type { DataType, Frame, ImageStack, PixelArray, VoiLutFunction, WindowPreset } from './types.js';

/** Everything that decides the grey of a stored value. */
export interface VoiParams {
  center: number;
  width: number;
  fn: VoiLutFunction;
  /** Invert the output (MONOCHROME1 XOR the user's invert). */
  invert: boolean;
  slope: number;
  intercept: number;
}

/** A lookup table from stored value to packed opaque RGBA grey. */
export interface VoiLut {
  /** Stored value of entry 0. */
  min: number;
  /** Packed RGBA per stored value `min + i`. */
  table: Uint32Array;
  params: VoiParams;
}

/** Largest LUT the renderer builds (entries); wider integer ranges are windowed directly. */
export const MAX_LUT_SIZE = 1 << 20;

const isLittleEndian = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** Packs an opaque grey into RGBA byte order for a Uint32Array view of ImageData. */
export function packGrey(g: number): number {
  return isLittleEndian
    ? (0xff000000 | (g << 16) | (g << 8) | g) >>> 0
    : ((g << 24) | (g << 16) | (g << 8) | 0xff) >>> 0;
}

/** Packs an opaque RGB colour. */
export function packRgb(r: number, g: number, b: number): number {
  return isLittleEndian
    ? (0xff000000 | (b << 16) | (g << 8) | r) >>> 0
    : ((r << 24) | (g << 16) | (b << 8) | 0xff) >>> 0;
}

const GREYS = new Uint32Array(256).map((_, g) => packGrey(g));

/** The display grey (0…255, rounded) of one stored value. */
export function greyOf(stored: number, p: VoiParams): number {
  const g = Math.round(applyWindow(stored * p.slope + p.intercept, p.center, p.width, p.fn, 0, 255));
  const c = g < 0 ? 0 : g > 255 ? 255 : g;
  return p.invert ? 255 - c : c;
}

const NATURAL_RANGES: Partial<Record<DataType, [number, number]>> = {
  uint8: [0, 255],
  int8: [-128, 127],
  uint16: [0, 65535],
  int16: [-32768, 32767],
};

/**
 * The range of stored values a data type can hold, when a LUT over it is small enough. The same array for
 * every call (renders compare it without allocating): do not modify it.
 */
export function naturalRange(dataType: DataType): [number, number] | undefined {
  return NATURAL_RANGES[dataType];
}

export function isIntegerType(dataType: DataType): boolean {
  return dataType !== 'float32' && dataType !== 'float64';
}

/**
 * Builds the LUT for stored values `min…max`. For LINEAR the constant ends are filled without
 * evaluating the formula, so a 65536-entry table costs little more than its ramp.
 */
export function buildVoiLut(min: number, max: number, p: VoiParams, reuse?: Uint32Array): VoiLut {
  const size = max - min + 1;
  const table = reuse && reuse.length === size ? reuse : new Uint32Array(size);
  const lo = p.invert ? GREYS[255]! : GREYS[0]!;
  const hi = p.invert ? GREYS[0]! : GREYS[255]!;
  const slope = p.slope || 1;
  if ((p.fn === 'LINEAR' || p.fn === 'LINEAR_EXACT') && slope > 0) {
    // Modality value bounds of the ramp, mapped back to stored values.
    const w = p.fn === 'LINEAR' ? Math.max(p.width, 1) : p.width;
    const lowX = p.fn === 'LINEAR' ? p.center - 0.5 - (w - 1) / 2 : p.center - w / 2;
    const highX = p.fn === 'LINEAR' ? p.center - 0.5 + (w - 1) / 2 : p.center + w / 2;
    const a = Math.max(0, Math.min(size, Math.floor((lowX - p.intercept) / slope - min) - 1));
    const b = Math.max(a, Math.min(size, Math.ceil((highX - p.intercept) / slope - min) + 2));
    if (a > 0) table.fill(lo, 0, a);
    for (let i = a; i < b; i++) table[i] = GREYS[greyOf(min + i, p)]!;
    if (b < size) table.fill(hi, b, size);
  } else {
    for (let i = 0; i < size; i++) table[i] = GREYS[greyOf(min + i, p)]!;
  }
  return { min, table, params: { ...p } };
}

export function sameParams(a: VoiParams, b: VoiParams): boolean {
  return (
    a.center === b.center &&
    a.width === b.width &&
    a.fn === b.fn &&
    a.invert === b.invert &&
    a.slope === b.slope &&
    a.intercept === b.intercept
  );
}

/** Writes `data` (one sample per pixel, integers within the LUT range) through the LUT into `out`. */
export function applyLut(data: PixelArray, lut: VoiLut, out: Uint32Array): void {
  const table = lut.table;
  const min = lut.min;
  const n = Math.min(data.length, out.length);
  const last = table.length - 1;
  if (min === 0 && (data instanceof Uint8Array || data instanceof Uint16Array) && last >= maxOfType(data)) {
    for (let i = 0; i < n; i++) out[i] = table[data[i]!]!;
    return;
  }
  for (let i = 0; i < n; i++) {
    let k = data[i]! - min;
    if (k < 0) k = 0;
    else if (k > last) k = last;
    out[i] = table[k]!;
  }
}

function maxOfType(data: Uint8Array | Uint16Array): number {
  return data instanceof Uint8Array ? 255 : 65535;
}

/** Windows float (or wide integer) data directly, one formula evaluation per pixel. */
export function windowDirect(data: PixelArray, p: VoiParams, out: Uint32Array): void {
  const n = Math.min(data.length, out.length);
  const { slope, intercept, invert } = p;
  if (p.fn === 'LINEAR' || p.fn === 'LINEAR_EXACT') {
    const w = p.fn === 'LINEAR' ? Math.max(p.width, 1) : p.width;
    const lowX = p.fn === 'LINEAR' ? p.center - 0.5 - (w - 1) / 2 : p.center - w / 2;
    const highX = p.fn === 'LINEAR' ? p.center - 0.5 + (w - 1) / 2 : p.center + w / 2;
    const c0 = p.fn === 'LINEAR' ? p.center - 0.5 : p.center;
    const div = p.fn === 'LINEAR' ? w - 1 : w;
    const lo = invert ? GREYS[255]! : GREYS[0]!;
    const hi = invert ? GREYS[0]! : GREYS[255]!;
    for (let i = 0; i < n; i++) {
      const x = data[i]! * slope + intercept;
      if (x <= lowX || x !== x) out[i] = lo;
      else if (x > highX) out[i] = hi;
      else {
        let g = Math.round(((x - c0) / div + 0.5) * 255);
        g = g < 0 ? 0 : g > 255 ? 255 : g;
        out[i] = GREYS[invert ? 255 - g : g]!;
      }
    }
    return;
  }
  for (let i = 0; i < n; i++) {
    const v = data[i]!;
    out[i] = GREYS[v === v ? greyOf(v, p) : 0]!;
  }
}

/** Copies interleaved RGB (or RGBA) samples to packed RGBA, scaling 16-bit and wider samples to 8 bits. */
export function rgbToRgba(
  data: PixelArray,
  samplesPerPixel: number,
  out: Uint32Array,
  dataType: DataType,
): void {
  const n = Math.min(out.length, Math.floor(data.length / samplesPerPixel));
  let scale = 1;
  if (dataType === 'uint16' || dataType === 'int16') scale = 1 / 257;
  else if (dataType === 'float32' || dataType === 'float64') scale = 255;
  else if (dataType === 'uint32' || dataType === 'int32') scale = 1 / 16843009;
  const clamp = (v: number) => {
    const g = Math.round(v * scale);
    return g < 0 ? 0 : g > 255 ? 255 : g;
  };
  if (scale === 1) {
    for (let i = 0, j = 0; i < n; i++, j += samplesPerPixel)
      out[i] = packRgb(data[j]!, data[j + 1]!, data[j + 2]!);
  } else {
    for (let i = 0, j = 0; i < n; i++, j += samplesPerPixel) {
      out[i] = packRgb(clamp(data[j]!), clamp(data[j + 1]!), clamp(data[j + 2]!));
    }
  }
}

/** Smallest and largest finite sample of `data`. */
export function sampleRange(data: PixelArray): [number, number] {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (min > max) return [0, 0];
  return [min, max];
}

/** Whether a stack's greys are inverted by its photometric interpretation. */
export function isMonochrome1(stack: Pick<ImageStack, 'metadata'>): boolean {
  return String(stack.metadata.photometricInterpretation ?? '').toUpperCase() === 'MONOCHROME1';
}

/** The stack's VOI function (LINEAR unless the file says otherwise). */
export function voiFunction(stack: Pick<ImageStack, 'metadata'>): VoiLutFunction {
  const fn = String(stack.metadata.voiLutFunction ?? 'LINEAR').toUpperCase();
  return fn === 'SIGMOID' || fn === 'LINEAR_EXACT' ? fn : 'LINEAR';
}

/**
 * The window to open a frame with: the file's first preset when present, else the full range of
 * modality values in the frame.
 */
export function initialWindow(
  stack: Pick<ImageStack, 'windowPresets'>,
  frame: Frame,
): { center: number; width: number } {
  const preset: WindowPreset | undefined = stack.windowPresets[0];
  if (preset && Number.isFinite(preset.center) && Number.isFinite(preset.width) && preset.width > 0) {
    return { center: preset.center, width: preset.width };
  }
  const [a, b] = sampleRange(frame.data);
  const lo = Math.min(
    a * frame.rescaleSlope + frame.rescaleIntercept,
    b * frame.rescaleSlope + frame.rescaleIntercept,
  );
  const hi = Math.max(
    a * frame.rescaleSlope + frame.rescaleIntercept,
    b * frame.rescaleSlope + frame.rescaleIntercept,
  );
  const integer = Number.isInteger(lo) && Number.isInteger(hi);
  const width = integer ? Math.max(1, hi - lo + 1) : Math.max(hi - lo, Number.EPSILON);
  const center = integer ? lo + width / 2 : (lo + hi) / 2;
  return { center, width };
}
