import type { GeoTIFFImage } from 'geotiff';
import { throwIfAborted } from '../../errors.js';
import { PIXEL_ARRAYS, type DataType, type PixelArray } from '../types.js';
import type { DecoderParameters, DecoderProvider } from './decoders.js';

/** The typed array constructor of each data type. */
export const CONSTRUCTORS = PIXEL_ARRAYS;

const HOST_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Compressions whose decoder takes geotiff's default parameters (JPEG, LERC and others need more). */
const FAST_COMPRESSIONS = new Set([1, 5, 8, 32946, 32773]);

/** A page's sample layout, as `assembleFast` needs it. */
export interface FastPathInput {
  width: number;
  height: number;
  /** Samples per pixel in the file. */
  samplesPerPixel: number;
  /** Which samples to deliver, interleaved, in this order. */
  samples: number[];
  bitsPerSample: number[];
  sampleFormat: number[];
  planar: number;
  compression: number;
  predictor: number;
  littleEndian: boolean;
  dataType: DataType;
}

/**
 * Whether a page can be assembled with typed-array copies: whole-byte samples of one size that need no
 * conversion (not 16-bit floats, not 1–7 or 12-bit integers) and a compression with default parameters.
 */
export function canAssembleFast(p: FastPathInput): boolean {
  const bits = p.bitsPerSample[0];
  if (bits === undefined || !p.bitsPerSample.every((b) => b === bits)) return false;
  if (!p.sampleFormat.every((f) => f === (p.sampleFormat[0] ?? 1))) return false;
  const format = p.sampleFormat[0] ?? 1;
  const bytes = CONSTRUCTORS[p.dataType].BYTES_PER_ELEMENT;
  if (bits !== bytes * 8) return false;
  if (format === 3 && bits === 16) return false;
  return FAST_COMPRESSIONS.has(p.compression);
}

function swapBytes(bytes: Uint8Array, size: number): void {
  if (size === 1) return;
  for (let i = 0; i + size <= bytes.length; i += size) {
    for (let a = i, b = i + size - 1; a < b; a++, b--) {
      const t = bytes[a]!;
      bytes[a] = bytes[b]!;
      bytes[b] = t;
    }
  }
}

/**
 * Decodes a page's strips or tiles through geotiff (getTileOrStrip, with voxmark's decoders) and copies them
 * into one interleaved array with typed-array row copies, instead of geotiff's per-sample DataView reads.
 */
export async function assembleFast(
  image: GeoTIFFImage,
  p: FastPathInput,
  provider: DecoderProvider,
  signal: AbortSignal | undefined,
): Promise<PixelArray> {
  const Ctor = CONSTRUCTORS[p.dataType];
  const size = Ctor.BYTES_PER_ELEMENT;
  const W = p.width;
  const H = p.height;
  const outSpp = p.samples.length;
  const out = new Ctor(W * H * outSpp);
  const tileW = image.getTileWidth();
  const tileH = image.getTileHeight();
  const across = Math.ceil(W / tileW);
  const down = Math.ceil(H / tileH);
  const fd = image.fileDirectory;
  const parameters: DecoderParameters = {
    tileWidth: tileW,
    tileHeight: image.isTiled ? tileH : (fd.getValue('RowsPerStrip') as number | undefined) || H,
    planarConfiguration: p.planar,
    bitsPerSample: p.bitsPerSample,
    predictor: p.predictor,
  };
  const decoder = provider.bindParameters(p.compression, parameters);
  const planar = p.planar === 2;
  const planes = planar ? p.samples : [0];
  const perPixel = planar ? 1 : p.samplesPerPixel;
  const sameLayout = !planar && outSpp === p.samplesPerPixel && p.samples.every((s, i) => s === i);
  const swap = p.littleEndian !== HOST_LITTLE_ENDIAN;

  const jobs: Promise<void>[] = [];
  for (const plane of planes) {
    for (let ty = 0; ty < down; ty++) {
      for (let tx = 0; tx < across; tx++) {
        jobs.push(
          image
            .getTileOrStrip(tx, ty, plane, decoder as never, signal)
            .then(({ data }: { data: ArrayBufferLike }) => {
              throwIfAborted(signal);
              const raw = new Uint8Array(data);
              if (swap) swapBytes(raw, size);
              const aligned = raw.byteOffset % size === 0 ? raw : raw.slice();
              const src = new Ctor(
                aligned.buffer as ArrayBuffer,
                aligned.byteOffset,
                Math.floor(aligned.byteLength / size),
              );
              const x0 = tx * tileW;
              const y0 = ty * tileH;
              const cols = Math.min(tileW, W - x0);
              const rows = Math.min(tileH, H - y0);
              const srcRow = tileW * perPixel;
              for (let r = 0; r < rows; r++) {
                const s0 = r * srcRow;
                const d0 = ((y0 + r) * W + x0) * outSpp;
                if (sameLayout) {
                  const end = Math.min(s0 + cols * perPixel, src.length);
                  if (end > s0) out.set(src.subarray(s0, end) as never, d0);
                } else if (planar) {
                  const k = p.samples.indexOf(plane);
                  for (let c = 0; c < cols; c++) out[d0 + c * outSpp + k] = src[s0 + c] ?? 0;
                } else {
                  for (let c = 0; c < cols; c++) {
                    for (let k = 0; k < outSpp; k++) {
                      out[d0 + c * outSpp + k] = src[s0 + c * perPixel + p.samples[k]!] ?? 0;
                    }
                  }
                }
              }
            }),
        );
      }
    }
  }
  await Promise.all(jobs);
  return out as PixelArray;
}
