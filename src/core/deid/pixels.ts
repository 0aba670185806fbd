/**
 * Burned-in text: which instances may carry it, and blacking out regions of their pixels.
 *
 * Native (uncompressed) pixels are blanked in place in a copy of the pixel data. Compressed pixels, and
 * native YBR colour (where a stored zero is not black), are decoded frame by frame with the project's
 * decoders, blanked, and written back as native pixels (explicit VR little endian, colour as RGB), so the
 * original pixels never remain in the file.
 */
import { ErrorCode, VoxmarkError } from '../errors.js';
import type { ParsedDicom } from '../image/dicom/parse.js';
import { readImageInfo } from '../image/dicom/instance.js';
import { decodeDicomFrame, isNativeTransferSyntax } from '../image/dicom/pixels.js';
import type { PixelArray } from '../image/types.js';
import type { DicomDataset, DicomElement } from '../dicom/writer.js';
import { TransferSyntaxUID } from '../dicom/transfer-syntax.js';
import type { PixelRegion } from './types.js';

/** Modalities that usually carry burned-in text when BurnedInAnnotation is absent. */
export const BURNED_IN_MODALITIES: readonly string[] = ['US', 'SC', 'XA', 'ES', 'OT'];

/** Whether an instance may carry burned-in text, and why. */
export function burnedInFlag(
  burnedInAnnotation: string | undefined,
  modality: string | undefined,
  hasPixels: boolean,
): { flagged: boolean; reason?: string } {
  if (!hasPixels) return { flagged: false };
  const b = burnedInAnnotation?.trim().toUpperCase();
  if (b === 'YES') return { flagged: true, reason: 'BurnedInAnnotation (0028,0301) is YES' };
  const m = modality?.trim().toUpperCase();
  if ((b === undefined || b === '') && m && BURNED_IN_MODALITIES.includes(m)) {
    return {
      flagged: true,
      reason: `BurnedInAnnotation (0028,0301) is absent and modality ${m} usually carries burned-in text`,
    };
  }
  return { flagged: false };
}

interface Clip {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

function clip(regions: readonly PixelRegion[], columns: number, rows: number): Clip[] {
  return regions.map((r) => {
    for (const v of [r.x, r.y, r.width, r.height]) {
      if (typeof v !== 'number' || !Number.isFinite(v)) {
        throw new VoxmarkError(
          ErrorCode.InvalidArgument,
          `Pixel region ${JSON.stringify(r)} is not a rectangle`,
        );
      }
    }
    if (r.width < 0 || r.height < 0) {
      throw new VoxmarkError(
        ErrorCode.InvalidArgument,
        `Pixel region ${JSON.stringify(r)} has a negative size`,
      );
    }
    return {
      x0: Math.max(0, Math.floor(r.x)),
      y0: Math.max(0, Math.floor(r.y)),
      x1: Math.min(columns, Math.ceil(r.x + r.width)),
      y1: Math.min(rows, Math.ceil(r.y + r.height)),
    };
  });
}

const PIXEL_TAGS: Record<string, number> = {
  x7fe00010: 0x7fe00010,
  x7fe00008: 0x7fe00008,
  x7fe00009: 0x7fe00009,
};

function set(elements: DicomDataset, e: DicomElement): void {
  const i = elements.findIndex((x) => x.tag === e.tag);
  if (i >= 0) elements[i] = e;
  else elements.push(e);
}

function remove(elements: DicomDataset, tags: readonly number[]): void {
  for (let i = elements.length - 1; i >= 0; i--) if (tags.includes(elements[i]!.tag)) elements.splice(i, 1);
}

/**
 * Blacks out `regions` in every frame. Mutates `elements` (the writable dataset of `parsed`): replaces the
 * pixel data, and for re-encoded pixels the Image Pixel attributes. Returns the transfer syntax to write.
 */
export async function blankRegions(
  parsed: ParsedDicom,
  elements: DicomDataset,
  regions: readonly PixelRegion[],
  signal?: AbortSignal,
): Promise<{ transferSyntaxUID: string; reencoded: boolean; regionsBlanked: number }> {
  const info = readImageInfo(parsed);
  const pixelTag = PIXEL_TAGS[info.pixelTag]!;
  const rects = clip(regions, info.columns, info.rows);
  const pixel = elements.find((e) => e.tag === pixelTag);
  if (!pixel) throw new VoxmarkError(ErrorCode.NoPixelData, 'This DICOM file has no pixel data');
  const native = isNativeTransferSyntax(info.transferSyntaxUID) && pixel.value instanceof Uint8Array;
  const ybr = info.photometricInterpretation.startsWith('YBR');
  if (native && !ybr) {
    const bytes = (pixel.value as Uint8Array).slice();
    blankNative(bytes, info, rects);
    set(elements, { ...pixel, value: bytes });
    return {
      transferSyntaxUID: TransferSyntaxUID.ExplicitVRLittleEndian,
      reencoded: false,
      regionsBlanked: rects.length * info.numberOfFrames,
    };
  }
  const frames: PixelArray[] = [];
  let samples = 1;
  for (let i = 0; i < info.numberOfFrames; i++) {
    const frame = await decodeDicomFrame(info, i, signal);
    samples = frame.samplesPerPixel;
    blankInterleaved(frame.data, info.columns, samples, rects);
    frames.push(frame.data);
  }
  const first = frames[0]!;
  const Ctor = first.constructor as { new (n: number): PixelArray };
  const all = new Ctor(first.length * frames.length);
  frames.forEach((f, i) => all.set(f as unknown as ArrayLike<number> & ArrayLike<bigint>, i * first.length));
  const bits = all.BYTES_PER_ELEMENT * 8;
  const signed = all instanceof Int8Array || all instanceof Int16Array || all instanceof Int32Array;
  const bitsStored = bits === info.bitsAllocated ? info.bitsStored : bits;
  const photometric = samples === 3 ? 'RGB' : info.photometricInterpretation;
  if (info.photometricInterpretation === 'PALETTE COLOR') {
    remove(elements, [0x00281101, 0x00281102, 0x00281103, 0x00281201, 0x00281202, 0x00281203, 0x00281199]);
    remove(elements, [0x00281221, 0x00281222, 0x00281223]);
  }
  set(elements, { tag: 0x00280002, vr: 'US', value: samples });
  set(elements, { tag: 0x00280004, vr: 'CS', value: photometric });
  if (samples === 3) set(elements, { tag: 0x00280006, vr: 'US', value: 0 });
  else remove(elements, [0x00280006]);
  set(elements, { tag: 0x00280100, vr: 'US', value: bits });
  set(elements, { tag: 0x00280101, vr: 'US', value: bitsStored });
  set(elements, { tag: 0x00280102, vr: 'US', value: bitsStored - 1 });
  set(elements, { tag: 0x00280103, vr: 'US', value: signed ? 1 : 0 });
  set(elements, { tag: pixelTag, vr: bits === 8 ? 'OB' : 'OW', value: all });
  return {
    transferSyntaxUID: TransferSyntaxUID.ExplicitVRLittleEndian,
    reencoded: true,
    regionsBlanked: rects.length * info.numberOfFrames,
  };
}

function blankInterleaved(data: PixelArray, columns: number, samples: number, rects: readonly Clip[]): void {
  for (const r of rects) {
    for (let y = r.y0; y < r.y1; y++) {
      const start = (y * columns + r.x0) * samples;
      const end = (y * columns + r.x1) * samples;
      if (end > start) data.fill(0, start, end);
    }
  }
}

function blankNative(
  bytes: Uint8Array,
  info: ReturnType<typeof readImageInfo>,
  rects: readonly Clip[],
): void {
  const { rows, columns, samplesPerPixel: spp, numberOfFrames } = info;
  const pixels = rows * columns;
  if (info.bitsAllocated === 1) {
    for (let f = 0; f < numberOfFrames; f++) {
      for (const r of rects) {
        for (let y = r.y0; y < r.y1; y++) {
          for (let x = r.x0; x < r.x1; x++) {
            for (let s = 0; s < spp; s++) {
              const bit = f * pixels * spp + (y * columns + x) * spp + s;
              if (bit >> 3 < bytes.length) bytes[bit >> 3]! &= ~(1 << (bit & 7));
            }
          }
        }
      }
    }
    return;
  }
  const bps = info.bitsAllocated / 8;
  const frameBytes = pixels * spp * bps;
  for (let f = 0; f < numberOfFrames; f++) {
    const base = f * frameBytes;
    for (const r of rects) {
      for (let y = r.y0; y < r.y1; y++) {
        if (info.planarConfiguration === 1 && spp > 1) {
          for (let s = 0; s < spp; s++) {
            const start = base + (s * pixels + y * columns + r.x0) * bps;
            const end = base + (s * pixels + y * columns + r.x1) * bps;
            bytes.fill(0, Math.min(start, bytes.length), Math.min(end, bytes.length));
          }
        } else {
          const start = base + (y * columns + r.x0) * spp * bps;
          const end = base + (y * columns + r.x1) * spp * bps;
          bytes.fill(0, Math.min(start, bytes.length), Math.min(end, bytes.length));
        }
      }
    }
  }
}
