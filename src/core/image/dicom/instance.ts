import type { DataSet } from '../../dicom/dicom-parser.js';
import { ErrorCode, VoxmarkError } from '../../errors.js';
import type { ParsedDicom } from './parse.js';

/** What voxmark needs to know about one DICOM instance to decode and place its frames. */
export interface DicomImageInfo {
  parsed: ParsedDicom;
  transferSyntaxUID: string;
  rows: number;
  columns: number;
  numberOfFrames: number;
  samplesPerPixel: number;
  photometricInterpretation: string;
  planarConfiguration: number;
  bitsAllocated: number;
  bitsStored: number;
  highBit: number;
  pixelRepresentation: number;
  /** Which element holds pixels: (7FE0,0010) integer, (7FE0,0008) float, (7FE0,0009) double. */
  pixelTag: 'x7fe00010' | 'x7fe00008' | 'x7fe00009';
  rescaleSlope: number;
  rescaleIntercept: number;
  modality?: string;
  sopInstanceUID?: string;
  sopClassUID?: string;
  seriesInstanceUID?: string;
  studyInstanceUID?: string;
  frameOfReferenceUID?: string;
  instanceNumber?: number;
  imagePositionPatient?: [number, number, number];
  imageOrientationPatient?: [number, number, number, number, number, number];
  pixelSpacing?: [number, number];
  /** Imager Pixel Spacing (0018,1164), at the detector: projection radiographs often have only this. */
  imagerPixelSpacing?: [number, number];
  sliceThickness?: number;
  spacingBetweenSlices?: number;
  windowCenters: number[];
  windowWidths: number[];
  windowExplanations: string[];
  voiLutFunction?: string;
}

export function str(ds: DataSet, tag: string): string | undefined {
  const v = ds.string(tag);
  return v === undefined || v === '' ? undefined : v.replace(/\0/g, '').trim() || undefined;
}

/** The numeric values (DS/IS) of an element, at most 64: one string read and split, not one per value. */
export function nums(ds: DataSet, tag: string): number[] {
  const el = ds.elements[tag];
  if (!el || el.length === 0) return [];
  const text = ds.string(tag);
  if (!text) return [];
  const parts = text.split('\\', 64);
  const out: number[] = [];
  for (const part of parts) {
    const v = parseFloat(part);
    if (Number.isFinite(v)) out.push(v);
  }
  return out;
}

export function num(ds: DataSet, tag: string): number | undefined {
  return nums(ds, tag)[0];
}

export function us(ds: DataSet, tag: string): number | undefined {
  const el = ds.elements[tag];
  if (!el || el.length < 2) return undefined;
  return ds.uint16(tag);
}

/** Reads the image attributes of an instance, checking them for sanity before anything allocates. */
export function readImageInfo(parsed: ParsedDicom): DicomImageInfo {
  const ds = parsed.dataSet;
  const format = pixelFormat(ds);
  const info: DicomImageInfo = {
    parsed,
    transferSyntaxUID: parsed.transferSyntaxUID,
    ...format,
    photometricInterpretation: str(ds, 'x00280004') ?? (format.samplesPerPixel === 3 ? 'RGB' : 'MONOCHROME2'),
    planarConfiguration: us(ds, 'x00280006') ?? 0,
    highBit: us(ds, 'x00280102') ?? format.bitsStored - 1,
    pixelRepresentation: us(ds, 'x00280103') ?? 0,
    rescaleSlope: num(ds, 'x00281053') ?? 1,
    rescaleIntercept: num(ds, 'x00281052') ?? 0,
    windowCenters: nums(ds, 'x00281050'),
    windowWidths: nums(ds, 'x00281051'),
    windowExplanations: (ds.string('x00281055') ?? '').split('\\').map((s) => s.trim()),
  };
  if (info.rescaleSlope === 0) info.rescaleSlope = 1;
  for (const [k, v] of Object.entries(optionalAttributes(ds)))
    if (v !== undefined) (info as unknown as Record<string, unknown>)[k] = v;
  fillFromFunctionalGroups(info);
  checkPixelDataSize(info);
  return info;
}

/** The pixel data element and the Image Pixel attributes that size it, each checked. */
function pixelFormat(
  ds: DataSet,
): Pick<
  DicomImageInfo,
  'pixelTag' | 'rows' | 'columns' | 'bitsAllocated' | 'bitsStored' | 'numberOfFrames' | 'samplesPerPixel'
> {
  const pixelTag = ds.elements.x7fe00010
    ? 'x7fe00010'
    : ds.elements.x7fe00008
      ? 'x7fe00008'
      : ds.elements.x7fe00009
        ? 'x7fe00009'
        : undefined;
  if (!pixelTag) throw new VoxmarkError(ErrorCode.NoPixelData, 'This DICOM file has no pixel data');
  const rows = us(ds, 'x00280010');
  const columns = us(ds, 'x00280011');
  if (!rows || !columns)
    throw new VoxmarkError(ErrorCode.Corrupt, 'DICOM Rows or Columns is missing or zero');
  const bitsAllocated =
    us(ds, 'x00280100') ?? (pixelTag === 'x7fe00009' ? 64 : pixelTag === 'x7fe00008' ? 32 : undefined);
  if (bitsAllocated === undefined || ![1, 8, 16, 32, 64].includes(bitsAllocated)) {
    throw new VoxmarkError(ErrorCode.Unsupported, `Unsupported Bits Allocated: ${bitsAllocated}`);
  }
  const bitsStored = us(ds, 'x00280101') ?? bitsAllocated;
  if (bitsStored < 1 || bitsStored > bitsAllocated) {
    throw new VoxmarkError(
      ErrorCode.Corrupt,
      `Bits Stored ${bitsStored} does not fit Bits Allocated ${bitsAllocated}`,
    );
  }
  const framesRaw = num(ds, 'x00280008');
  const numberOfFrames = framesRaw === undefined ? 1 : Math.trunc(framesRaw);
  if (!(numberOfFrames >= 1) || numberOfFrames > 1_000_000) {
    throw new VoxmarkError(ErrorCode.Corrupt, `Invalid Number of Frames: ${framesRaw}`);
  }
  const samplesPerPixel = us(ds, 'x00280002') ?? 1;
  if (samplesPerPixel !== 1 && samplesPerPixel !== 3) {
    throw new VoxmarkError(ErrorCode.Unsupported, `Unsupported Samples per Pixel: ${samplesPerPixel}`);
  }
  return { pixelTag, rows, columns, bitsAllocated, bitsStored, numberOfFrames, samplesPerPixel };
}

/** Identifiers, geometry and VOI attributes an instance may have. */
function optionalAttributes(ds: DataSet): Partial<DicomImageInfo> {
  const ipp = nums(ds, 'x00200032');
  const iop = nums(ds, 'x00200037');
  const ps = nums(ds, 'x00280030');
  return {
    modality: str(ds, 'x00080060'),
    sopInstanceUID: str(ds, 'x00080018'),
    sopClassUID: str(ds, 'x00080016'),
    seriesInstanceUID: str(ds, 'x0020000e'),
    studyInstanceUID: str(ds, 'x0020000d'),
    frameOfReferenceUID: str(ds, 'x00200052'),
    instanceNumber: num(ds, 'x00200013'),
    imagePositionPatient: ipp.length >= 3 ? [ipp[0]!, ipp[1]!, ipp[2]!] : undefined,
    imageOrientationPatient:
      iop.length >= 6 ? [iop[0]!, iop[1]!, iop[2]!, iop[3]!, iop[4]!, iop[5]!] : undefined,
    pixelSpacing: ps.length >= 2 && ps[0]! > 0 && ps[1]! > 0 ? [ps[0]!, ps[1]!] : undefined,
    imagerPixelSpacing: positivePair(nums(ds, 'x00181164')),
    sliceThickness: num(ds, 'x00180050'),
    spacingBetweenSlices: num(ds, 'x00180088'),
    voiLutFunction: str(ds, 'x00281056'),
  };
}

function positivePair(v: number[]): [number, number] | undefined {
  return v.length >= 2 && v[0]! > 0 && v[1]! > 0 ? [v[0]!, v[1]!] : undefined;
}

/**
 * The item of functional group `sequenceTag` that applies to `frame` of an enhanced multi-frame instance:
 * the Per-frame Functional Groups (5200,9230) item's, else the Shared Functional Groups (5200,9229) one.
 */
export function functionalGroup(ds: DataSet, frame: number, sequenceTag: string): DataSet | undefined {
  const perFrame = ds.elements['x52009230']?.items?.[frame]?.dataSet;
  const shared = ds.elements['x52009229']?.items?.[0]?.dataSet;
  return (
    perFrame?.elements[sequenceTag]?.items?.[0]?.dataSet ?? shared?.elements[sequenceTag]?.items?.[0]?.dataSet
  );
}

/** Rescale slope and intercept of one frame: its Pixel Value Transformation (0028,9145) group, if any. */
export function frameRescale(info: DicomImageInfo, frame: number): { slope: number; intercept: number } {
  const group = functionalGroup(info.parsed.dataSet, frame, 'x00289145');
  const slope = group ? num(group, 'x00281053') : undefined;
  const intercept = group ? num(group, 'x00281052') : undefined;
  return {
    slope: slope !== undefined && slope !== 0 ? slope : info.rescaleSlope,
    intercept: intercept ?? info.rescaleIntercept,
  };
}

/**
 * Enhanced multi-frame instances (Enhanced CT/MR/PET, ...) keep orientation, pixel measures, rescale and
 * window in functional groups instead of the top-level dataset: take what the top level lacks from the
 * groups of the first frame.
 */
function fillFromFunctionalGroups(info: DicomImageInfo): void {
  const ds = info.parsed.dataSet;
  if (!ds.elements['x52009229'] && !ds.elements['x52009230']) return;
  const orientation = functionalGroup(ds, 0, 'x00209116');
  if (!info.imageOrientationPatient && orientation) {
    const iop = nums(orientation, 'x00200037');
    if (iop.length >= 6)
      info.imageOrientationPatient = [iop[0]!, iop[1]!, iop[2]!, iop[3]!, iop[4]!, iop[5]!];
  }
  const measures = functionalGroup(ds, 0, 'x00289110');
  if (measures) {
    const ps = nums(measures, 'x00280030');
    if (!info.pixelSpacing && ps.length >= 2 && ps[0]! > 0 && ps[1]! > 0)
      info.pixelSpacing = [ps[0]!, ps[1]!];
    info.sliceThickness ??= num(measures, 'x00180050');
    info.spacingBetweenSlices ??= num(measures, 'x00180088');
  }
  if (!ds.elements['x00281053'] && !ds.elements['x00281052']) {
    const { slope, intercept } = frameRescale(info, 0);
    info.rescaleSlope = slope;
    info.rescaleIntercept = intercept;
  }
  const voi = functionalGroup(ds, 0, 'x00289132');
  if (voi && info.windowCenters.length === 0 && info.windowWidths.length === 0) {
    info.windowCenters = nums(voi, 'x00281050');
    info.windowWidths = nums(voi, 'x00281051');
    info.windowExplanations = (voi.string('x00281055') ?? '').split('\\').map((s) => s.trim());
    info.voiLutFunction ??= str(voi, 'x00281056');
  }
}

/**
 * Refuses, before any frame is allocated, pixel data that cannot hold what the header claims: native
 * pixel data shorter than rows × columns × samples × frames, or encapsulated pixel data with fewer
 * fragments than frames. Huge claimed sizes over a small file fail here, not in an allocation.
 */
export function checkPixelDataSize(info: DicomImageInfo): void {
  const ds = info.parsed.dataSet;
  const element = ds.elements[info.pixelTag]!;
  const bytes = ds.byteArray as Uint8Array;
  if (element.encapsulatedPixelData) {
    const fragments = element.fragments?.length ?? 0;
    if (fragments < info.numberOfFrames) {
      throw new VoxmarkError(
        ErrorCode.Truncated,
        `Encapsulated pixel data has ${fragments} fragments for ${info.numberOfFrames} frames`,
      );
    }
    return;
  }
  const available = Math.max(0, Math.min(element.length, bytes.length - element.dataOffset));
  const pixels = info.rows * info.columns;
  const bytesPerSample = info.bitsAllocated / 8;
  const is422 = info.photometricInterpretation === 'YBR_FULL_422' && info.samplesPerPixel === 3;
  const needed =
    info.bitsAllocated === 1
      ? Math.ceil((info.numberOfFrames * pixels * info.samplesPerPixel) / 8)
      : info.numberOfFrames * pixels * (is422 ? 2 : info.samplesPerPixel) * bytesPerSample;
  if (needed > available) {
    throw new VoxmarkError(
      ErrorCode.Truncated,
      `Pixel data holds ${available} bytes, but ${info.numberOfFrames} frame(s) of ${info.columns}×${info.rows}` +
        `×${info.samplesPerPixel} at ${info.bitsAllocated} bits need ${needed}`,
      { details: { available, needed } },
    );
  }
}
