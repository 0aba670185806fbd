/**
 * NIfTI-1 image volumes: the pixels of a stack as one `.nii.gz` per channel, with the same affine, sform and
 * qform as the label map `toNifti` writes for that stack, so an image and its labels always line up.
 * @module
 */
import { throwIfAborted } from '../errors.js';
import { Chunker, GENERATOR, type ExportOptions } from '../formats/common.js';
import { niftiHeader, stackAffine } from '../formats/nifti.js';
import { PIXEL_ARRAYS, type DataType, type ImageStack, type PixelArray } from '../image/types.js';

/** NIfTI-1 datatype codes. */
const NiftiType = {
  uint8: 2,
  int16: 4,
  int32: 8,
  float32: 16,
  float64: 64,
  uint16: 512,
  uint32: 768,
} as const;
/** The voxel types `toNiftiImage` writes. */
export type NiftiTypeName = keyof typeof NiftiType;

const ARRAYS = PIXEL_ARRAYS;

export interface ToNiftiImageOptions extends ExportOptions {
  /** The sample of RGB data to write (0 = R, 1 = G, 2 = B). Default 0; ignored for greyscale. */
  channel?: number;
}

/** What toNiftiImage wrote, beside the bytes. */
export interface NiftiImageInfo {
  /** `.nii.gz` bytes. */
  bytes: ArrayBuffer;
  /** The NIfTI voxel type written. */
  datatype: NiftiTypeName;
  /** The modality rescale in the header: value = voxel × slope + intercept. */
  slope: number;
  intercept: number;
  /** True when frames had different rescales, so modality values were written as float32. */
  rescaled: boolean;
}

/**
 * The voxel type a stack's stored values are written as: int16 for 8-bit and 16-bit signed data and for
 * unsigned 16-bit data whose stored range fits (e.g. 12-bit CT), uint16 for full-range unsigned 16-bit data,
 * int32 / uint32 / float32 / float64 as stored otherwise. Stored values are never changed.
 */
export function niftiImageType(stack: Pick<ImageStack, 'dataType' | 'metadata'>): NiftiTypeName {
  const t: DataType = stack.dataType;
  if (t === 'int8' || t === 'uint8' || t === 'int16') return 'int16';
  if (t === 'uint16') {
    const range = stack.metadata['storedRange'];
    return Array.isArray(range) && typeof range[1] === 'number' && range[1] <= 32767 ? 'int16' : 'uint16';
  }
  return t as Exclude<DataType, 'int8' | 'uint8' | 'uint16'>;
}

/**
 * The image volume of a stack (one channel) as gzip-compressed NIfTI-1: stored values in the type
 * {@link niftiImageType} chooses, with the modality rescale as `scl_slope`/`scl_inter`, and the voxel → RAS
 * affine of {@link stackAffine} (the label map's). When the rescale differs between frames the volume is
 * written again as float32 modality values (slope 1, intercept 0). Reads one frame at a time; the raw volume
 * is never held whole. Abortable with `signal`.
 */
export async function toNiftiImage(
  stack: ImageStack,
  options: ToNiftiImageOptions = {},
): Promise<NiftiImageInfo> {
  const first = await stack.getFrame(0, options.signal ? { signal: options.signal } : {});
  const stored = await writeVolume(
    stack,
    options,
    niftiImageType(stack),
    first.rescaleSlope,
    first.rescaleIntercept,
    false,
  );
  if (stored) return stored;
  const rescaled = await writeVolume(stack, options, 'float32', 1, 0, true);
  return rescaled!;
}

/** Writes the volume; returns undefined when `modality` is false and a frame's rescale differs from the first. */
async function writeVolume(
  stack: ImageStack,
  options: ToNiftiImageOptions,
  datatype: NiftiTypeName,
  slope: number,
  intercept: number,
  modality: boolean,
): Promise<NiftiImageInfo | undefined> {
  const { width: W, height: H, depth: D } = stack;
  const spp = stack.samplesPerPixel;
  const channel = spp > 1 ? Math.min(Math.max(0, options.channel ?? 0), spp - 1) : 0;
  const isDicom =
    stack.format === 'dicom' && !!stack.metadata['imageOrientationPatient'] && !!stack.slices[0]?.position;
  const header = niftiHeader([W, H, D], stackAffine(stack), {
    datatype: NiftiType[datatype],
    units: isDicom ? 2 : spatialUnitCode(stack.metadata['spacingUnit']),
    maxValue: 0,
    xform: isDicom ? 1 : 2,
    description: `${GENERATOR.name} ${GENERATOR.version} image`,
  });
  const view = new DataView(header.buffer);
  view.setInt16(68, 0, true); // intent_code: none (the label map says 'label')
  view.setInt16(72, ARRAYS[datatype].BYTES_PER_ELEMENT * 8, true); // bitpix
  view.setFloat32(112, slope, true); // scl_slope
  view.setFloat32(116, intercept, true); // scl_inter
  view.setFloat32(124, 0, true); // cal_max
  view.setFloat32(128, 0, true); // cal_min
  header.fill(0, 328, 344); // intent_name

  const cs = new CompressionStream('gzip');
  const writer = cs.writable.getWriter();
  const collected = new Response(cs.readable).arrayBuffer();
  collected.catch(() => undefined);
  const chunker = new Chunker(options, D, 'nifti-image');
  try {
    await writer.write(header);
    for (let k = 0; k < D; k++) {
      throwIfAborted(options.signal);
      const frame = await stack.getFrame(k, options.signal ? { signal: options.signal } : {});
      if (!modality && (frame.rescaleSlope !== slope || frame.rescaleIntercept !== intercept)) {
        await writer.abort().catch(() => undefined);
        return undefined;
      }
      const out = new ARRAYS[datatype](W * H);
      copyChannel(
        frame.data,
        out,
        spp,
        channel,
        modality ? frame.rescaleSlope : 1,
        modality ? frame.rescaleIntercept : 0,
      );
      await writer.write(new Uint8Array(out.buffer as ArrayBuffer));
      await chunker.tick(k + 1);
    }
    await writer.close();
  } catch (e) {
    await writer.abort(e).catch(() => undefined);
    throw e;
  }
  return { bytes: await collected, datatype, slope, intercept, rescaled: modality };
}

/** The NIfTI xyzt_units code the label map writer gives a spacing unit (the affine is already in it). */
function spatialUnitCode(unit: unknown): number {
  if (unit === undefined || unit === 'mm' || unit === 'cm' || unit === 'inch') return 2;
  if (unit === 'µm' || unit === 'um') return 3;
  return unit === 'm' ? 1 : 0;
}

function copyChannel(
  src: PixelArray,
  out: PixelArray,
  spp: number,
  channel: number,
  slope: number,
  intercept: number,
): void {
  const n = out.length;
  if (spp === 1 && slope === 1 && intercept === 0) {
    out.set(src as ArrayLike<number>);
    return;
  }
  for (let i = 0, j = channel; i < n; i++, j += spp) out[i] = src[j]! * slope + intercept;
}
