import type { DataType, PixelArray } from '../types.js';

// Sample-level helpers shared by native decoding, the codec post-processing and the decode worker.
// No dicom-parser here, so a worker that imports this stays small.

/** A zeroed typed array of the data type. */
export function allocate(dataType: DataType, length: number): PixelArray {
  switch (dataType) {
    case 'uint8':
      return new Uint8Array(length);
    case 'int8':
      return new Int8Array(length);
    case 'uint16':
      return new Uint16Array(length);
    case 'int16':
      return new Int16Array(length);
    case 'uint32':
      return new Uint32Array(length);
    case 'int32':
      return new Int32Array(length);
    case 'float32':
      return new Float32Array(length);
    case 'float64':
      return new Float64Array(length);
  }
}

/** Colour planes (RRR…GGG…BBB…) to interleaved samples (RGBRGB…). */
export function planarToInterleaved(data: PixelArray, pixels: number): PixelArray {
  const out = allocate(arrayDataType(data), pixels * 3);
  for (let i = 0; i < pixels; i++) {
    out[i * 3] = data[i]!;
    out[i * 3 + 1] = data[pixels + i]!;
    out[i * 3 + 2] = data[2 * pixels + i]!;
  }
  return out;
}

/** The voxmark data type of a typed array. */
export function arrayDataType(data: PixelArray): DataType {
  if (data instanceof Uint8Array) return 'uint8';
  if (data instanceof Int8Array) return 'int8';
  if (data instanceof Uint16Array) return 'uint16';
  if (data instanceof Int16Array) return 'int16';
  if (data instanceof Uint32Array) return 'uint32';
  if (data instanceof Int32Array) return 'int32';
  if (data instanceof Float32Array) return 'float32';
  return 'float64';
}

/** Converts interleaved YBR_FULL (and YBR_FULL_422 once upsampled) to RGB in place. Other colour spaces pass. */
export function convertColourToRgb(data: PixelArray, photometric: string): void {
  if (photometric !== 'YBR_FULL' && photometric !== 'YBR_FULL_422') return;
  const max = data instanceof Uint16Array ? 65535 : 255;
  const half = (max + 1) / 2;
  for (let i = 0; i + 2 < data.length; i += 3) {
    const y = data[i]!;
    const cb = data[i + 1]! - half;
    const cr = data[i + 2]! - half;
    data[i] = clamp(Math.round(y + 1.402 * cr), max);
    data[i + 1] = clamp(Math.round(y - 0.344136 * cb - 0.714136 * cr), max);
    data[i + 2] = clamp(Math.round(y + 1.772 * cb), max);
  }
}

function clamp(v: number, max: number): number {
  return v < 0 ? 0 : v > max ? max : v;
}
