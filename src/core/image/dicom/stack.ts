import { ErrorCode, VoxmarkError } from '../../errors.js';
import { LazyImageStack, BYTES_PER_SAMPLE, checkFrameSize } from '../stack.js';
import type { ImageStack, SliceRef, StackMetadata, WindowPreset } from '../types.js';
import { ctPresets } from '../window.js';
import type { DecodeWorkerPool } from '../codecs/worker-pool.js';
import type { DicomImageInfo } from './instance.js';
import { str } from './instance.js';
import { decodeDicomFrame, frameDataType, frameSamplesPerPixel } from './pixels.js';
import { decodedText, encodingOf } from './text.js';

export interface DicomStackOptions {
  maxFrameBytes: number;
  cacheBytes?: number;
  /** Decode compressed frames in these workers. */
  decodePool?: DecodeWorkerPool;
}

interface FrameSource {
  info: DicomImageInfo;
  frame: number;
  ref: SliceRef;
}

/**
 * Builds one ImageStack from DICOM instances: a multi-frame instance gives one slice per frame, several
 * instances of one series are sorted along the slice normal (falling back to Instance Number).
 * Instances of different series, sizes or pixel formats are rejected with 'mixed-series'.
 */
export function buildDicomStack(infos: DicomImageInfo[], options: DicomStackOptions): ImageStack {
  if (infos.length === 0) throw new VoxmarkError(ErrorCode.InvalidArgument, 'No DICOM instances to load');
  const first = infos[0]!;
  const problems = infos.flatMap((info) => checkCompatible(first, info));
  if (problems.length > 0) rejectMixed(problems);
  const dataType = frameDataType(first);
  const samplesPerPixel = frameSamplesPerPixel(first);
  checkFrameSize(
    first.columns,
    first.rows,
    samplesPerPixel,
    BYTES_PER_SAMPLE[dataType],
    options.maxFrameBytes,
  );
  const sources = frameSources(sortInstances(infos));
  return new LazyImageStack({
    format: 'dicom',
    width: first.columns,
    height: first.rows,
    samplesPerPixel,
    dataType,
    spacing: computeSpacing(first, sources),
    windowPresets: windowPresets(first),
    slices: sources.map((s) => s.ref),
    metadata: stackMetadata(first),
    ...(options.cacheBytes === undefined ? {} : { cacheBytes: options.cacheBytes }),
    decode: (index, signal) => {
      const s = sources[index]!;
      return decodeDicomFrame(
        s.info,
        s.frame,
        signal,
        options.decodePool ? { pool: options.decodePool } : {},
      );
    },
  });
}

/** One slice per frame of the sorted instances, with its SOP Instance UID, frame number and position. */
function frameSources(sorted: DicomImageInfo[]): FrameSource[] {
  const sources: FrameSource[] = [];
  for (const info of sorted) {
    for (let f = 0; f < info.numberOfFrames; f++) {
      const ref: SliceRef = {};
      if (info.sopInstanceUID) ref.sopInstanceUID = info.sopInstanceUID;
      if (info.numberOfFrames > 1) ref.frameNumber = f + 1;
      const pos = info.numberOfFrames === 1 ? info.imagePositionPatient : perFramePosition(info, f);
      if (pos) ref.position = pos;
      sources.push({ info, frame: f, ref });
    }
  }
  return sources;
}

/** Attributes read as they are (codes, dates, UIDs). */
const METADATA_STRINGS: [keyof StackMetadata, string][] = [
  ['modality', 'x00080060'],
  ['specificCharacterSet', 'x00080005'],
  ['sopClassUID', 'x00080016'],
  ['patientBirthDate', 'x00100030'],
  ['patientSex', 'x00100040'],
  ['patientIdentityRemoved', 'x00120062'],
  ['studyInstanceUID', 'x0020000d'],
  ['studyDate', 'x00080020'],
  ['studyTime', 'x00080030'],
  ['seriesInstanceUID', 'x0020000e'],
  ['frameOfReferenceUID', 'x00200052'],
  ['doseUnits', 'x30040002'],
];

/** Names and descriptions: text in the file's character set. */
const METADATA_TEXTS: [keyof StackMetadata, string][] = [
  ['patientId', 'x00100020'],
  ['patientName', 'x00100010'],
  ['deidentificationMethod', 'x00120063'],
  ['studyId', 'x00200010'],
  ['accessionNumber', 'x00080050'],
  ['referringPhysicianName', 'x00080090'],
  ['studyDescription', 'x00081030'],
  ['seriesDescription', 'x0008103e'],
];

/** The stack metadata, from the first instance: pixel format, identifiers, patient and study. */
function stackMetadata(first: DicomImageInfo): StackMetadata {
  const ds = first.parsed.dataSet;
  const metadata: StackMetadata = {
    photometricInterpretation: first.photometricInterpretation,
    transferSyntaxUID: first.transferSyntaxUID,
    bitsAllocated: first.bitsAllocated,
    bitsStored: first.bitsStored,
    pixelRepresentation: first.pixelRepresentation,
    // Without any pixel spacing the in-plane size is unknown: distances are in pixels, not millimetres.
    spacingUnit: hasPixelSpacing(first) ? 'mm' : 'pixel',
  };
  for (const [key, tag] of METADATA_STRINGS) {
    const v = str(ds, tag);
    if (v !== undefined) metadata[key] = v;
  }
  const encoding = encodingOf(str(ds, 'x00080005'));
  for (const [key, tag] of METADATA_TEXTS) {
    const v = decodedText(ds, tag, encoding);
    if (v !== undefined) metadata[key] = v;
  }
  // RT Dose has no Modality LUT: Dose Grid Scaling (3004,000E) turns stored values into dose.
  const doseGridScaling = ds.floatString('x3004000e');
  if (metadata.modality === 'RTDOSE' && doseGridScaling !== undefined && doseGridScaling > 0)
    metadata.doseGridScaling = doseGridScaling;
  if (first.imageOrientationPatient) metadata.imageOrientationPatient = first.imageOrientationPatient;
  const voi = first.voiLutFunction?.toUpperCase();
  if (voi === 'LINEAR' || voi === 'LINEAR_EXACT' || voi === 'SIGMOID') metadata.voiLutFunction = voi;
  if (
    first.pixelTag === 'x7fe00010' &&
    first.bitsAllocated <= 32 &&
    first.photometricInterpretation.startsWith('MONO')
  ) {
    metadata.storedRange =
      first.pixelRepresentation === 1
        ? [-(2 ** (first.bitsStored - 1)), 2 ** (first.bitsStored - 1) - 1]
        : [0, 2 ** first.bitsStored - 1];
  }
  return metadata;
}

/**
 * Instances that cannot share one stack: another series, frame of reference, size, pixel format, colour
 * model or orientation. voxmark rejects such a mix rather than splitting it, so a host never gets a
 * stack that silently drops files; the error lists every difference.
 */
function checkCompatible(a: DicomImageInfo, b: DicomImageInfo): string[] {
  const problems: string[] = [];
  if (a.rows !== b.rows || a.columns !== b.columns)
    problems.push(`size ${b.columns}×${b.rows} vs ${a.columns}×${a.rows}`);
  if (a.samplesPerPixel !== b.samplesPerPixel) problems.push('samples per pixel');
  if (a.bitsAllocated !== b.bitsAllocated || a.pixelRepresentation !== b.pixelRepresentation)
    problems.push('pixel format');
  if (a.pixelTag !== b.pixelTag) problems.push('integer vs floating-point pixel data');
  if (a.photometricInterpretation !== b.photometricInterpretation)
    problems.push(
      `photometric interpretation ${b.photometricInterpretation} vs ${a.photometricInterpretation}`,
    );
  if (a.seriesInstanceUID && b.seriesInstanceUID && a.seriesInstanceUID !== b.seriesInstanceUID)
    problems.push('Series Instance UID');
  if (a.frameOfReferenceUID && b.frameOfReferenceUID && a.frameOfReferenceUID !== b.frameOfReferenceUID)
    problems.push('Frame of Reference UID');
  const ia = a.imageOrientationPatient;
  const ib = b.imageOrientationPatient;
  if (ia && ib && ia.some((v, k) => Math.abs(v - ib[k]!) > 1e-3)) problems.push('orientation');
  return problems;
}

function rejectMixed(problems: string[]): never {
  throw new VoxmarkError(
    ErrorCode.MixedSeries,
    `These files are not one series: they differ in ${[...new Set(problems)].join(', ')}`,
    { details: { problems } },
  );
}

function normal(iop: readonly number[]): [number, number, number] {
  const [rx, ry, rz, cx, cy, cz] = iop as [number, number, number, number, number, number];
  return [ry * cz - rz * cy, rz * cx - rx * cz, rx * cy - ry * cx];
}

function dot(a: readonly number[], b: readonly number[]): number {
  return a[0]! * b[0]! + a[1]! * b[1]! + a[2]! * b[2]!;
}

/**
 * Sorts instances along the slice normal (the cross product of the ImageOrientationPatient row and column
 * cosines) by the projection of ImagePositionPatient on it, when every instance has a position and an
 * orientation. Two single-frame instances at the same position are not one volume (multi-echo, repeated
 * acquisitions): 'mixed-series'. Without positions, instances are sorted by Instance Number, and failing
 * that kept in the order given.
 */
export function sortInstances(infos: DicomImageInfo[]): DicomImageInfo[] {
  if (infos.length < 2) return infos.slice();
  const iop = infos[0]!.imageOrientationPatient;
  if (iop && infos.every((i) => i.imagePositionPatient)) {
    const n = normal(iop);
    const sorted = infos
      .map((info, i) => ({ info, i, d: dot(info.imagePositionPatient!, n) }))
      .sort((a, b) => a.d - b.d || (a.info.instanceNumber ?? a.i) - (b.info.instanceNumber ?? b.i));
    for (let k = 1; k < sorted.length; k++) {
      const a = sorted[k - 1]!;
      const b = sorted[k]!;
      if (Math.abs(a.d - b.d) < 1e-4 && a.info.numberOfFrames === 1 && b.info.numberOfFrames === 1) {
        rejectMixed([`two slices at the same position (${b.d.toFixed(3)} mm along the normal)`]);
      }
    }
    return sorted.map((x) => x.info);
  }
  return infos
    .map((info, i) => ({ info, i }))
    .sort((a, b) => (a.info.instanceNumber ?? a.i) - (b.info.instanceNumber ?? b.i) || a.i - b.i)
    .map((x) => x.info);
}

function perFramePosition(info: DicomImageInfo, frame: number): [number, number, number] | undefined {
  // Enhanced multi-frame: (5200,9230) Per-frame Functional Groups > (0020,9113) Plane Position > (0020,0032).
  const ds = info.parsed.dataSet;
  const perFrame = ds.elements.x52009230?.items?.[frame]?.dataSet;
  const plane = perFrame?.elements.x00209113?.items?.[0]?.dataSet;
  if (plane) {
    const vals = [0, 1, 2].map((k) => plane.floatString('x00200032', k));
    if (vals.every((v) => v !== undefined && Number.isFinite(v))) return vals as [number, number, number];
  }
  return frame === 0 ? info.imagePositionPatient : undefined;
}

function computeSpacing(first: DicomImageInfo, sources: FrameSource[]): [number, number, number] {
  // Pixel Spacing is row spacing (y) then column spacing (x).
  const [sy, sx] = first.pixelSpacing ??
    pixelSpacingFromSharedGroups(first) ??
    first.imagerPixelSpacing ?? [1, 1];
  let sz = first.spacingBetweenSlices ?? first.sliceThickness ?? 1;
  const iop = first.imageOrientationPatient;
  const positions = sources.map((s) => s.ref.position);
  if (iop && positions.length > 1 && positions.every((p) => p)) {
    const n = normal(iop);
    const d = positions.map((p) => dot(p!, n));
    const steps: number[] = [];
    for (let i = 1; i < d.length; i++) steps.push(Math.abs(d[i]! - d[i - 1]!));
    steps.sort((a, b) => a - b);
    const median = steps[Math.floor(steps.length / 2)]!;
    if (median > 0) sz = median;
  }
  return [sx, sy, sz > 0 ? sz : 1];
}

function hasPixelSpacing(info: DicomImageInfo): boolean {
  return !!(info.pixelSpacing ?? pixelSpacingFromSharedGroups(info) ?? info.imagerPixelSpacing);
}

function pixelSpacingFromSharedGroups(info: DicomImageInfo): [number, number] | undefined {
  const shared = info.parsed.dataSet.elements.x52009229?.items?.[0]?.dataSet;
  const measures = shared?.elements.x00289110?.items?.[0]?.dataSet;
  if (!measures) return undefined;
  const a = measures.floatString('x00280030', 0);
  const b = measures.floatString('x00280030', 1);
  return a && b ? [a, b] : undefined;
}

function windowPresets(info: DicomImageInfo): WindowPreset[] {
  const presets: WindowPreset[] = [];
  const n = Math.min(info.windowCenters.length, info.windowWidths.length);
  for (let i = 0; i < n; i++) {
    const width = info.windowWidths[i]!;
    if (!(width > 0)) continue;
    presets.push({
      name: info.windowExplanations[i] || `Window ${i + 1}`,
      center: info.windowCenters[i]!,
      width,
    });
  }
  if (info.modality === 'CT') presets.push(...ctPresets());
  return presets;
}
