import { ErrorCode, VoxmarkError, toVoxmarkError } from '../../errors.js';
import type { DataType, Frame, PixelArray } from '../types.js';
import { allocate, convertColourToRgb, planarToInterleaved } from './samples.js';

export { allocate, arrayDataType, convertColourToRgb, planarToInterleaved } from './samples.js';
import { frameRescale, type DicomImageInfo } from './instance.js';
import type { EncapsulatedDecodeOptions } from './decode-options.js';
import { TransferSyntax } from './parse.js';

import { isNativeTransferSyntax } from '../../dicom/transfer-syntax.js';

export { isNativeTransferSyntax };

/** The dtype that frames of this instance are delivered in. */
export function frameDataType(info: DicomImageInfo): DataType {
  if (info.pixelTag === 'x7fe00008') return 'float32';
  if (info.pixelTag === 'x7fe00009') return 'float64';
  const signed = info.pixelRepresentation === 1;
  if (info.photometricInterpretation === 'PALETTE COLOR') return paletteDataType(info);
  switch (info.bitsAllocated) {
    case 1:
      return 'uint8';
    case 8:
      return signed ? 'int8' : 'uint8';
    case 16:
      return signed ? 'int16' : 'uint16';
    case 32:
      return signed ? 'int32' : 'uint32';
    default:
      throw new VoxmarkError(ErrorCode.Unsupported, `Unsupported Bits Allocated: ${info.bitsAllocated}`);
  }
}

function paletteDataType(info: DicomImageInfo): DataType {
  const ds = info.parsed.dataSet;
  const bits = ds.elements.x00281101 ? ds.uint16('x00281101', 2) : undefined;
  return bits !== undefined && bits > 8 ? 'uint16' : 'uint8';
}

/** Samples per pixel of delivered frames: colour (RGB, YBR_*, PALETTE COLOR) comes out as RGB. */
export function frameSamplesPerPixel(info: DicomImageInfo): number {
  return info.photometricInterpretation === 'PALETTE COLOR' ? 3 : info.samplesPerPixel;
}

/** Decodes frame `index` (0-based) of a DICOM instance into stored values. */
export async function decodeDicomFrame(
  info: DicomImageInfo,
  index: number,
  signal?: AbortSignal,
  options: EncapsulatedDecodeOptions = {},
): Promise<Frame> {
  if (index < 0 || index >= info.numberOfFrames) {
    throw new VoxmarkError(ErrorCode.OutOfRange, `Frame ${index} is outside 0…${info.numberOfFrames - 1}`);
  }
  const { dataSet } = info.parsed;
  const element = dataSet.elements[info.pixelTag]!;
  let data: PixelArray;
  if (element.encapsulatedPixelData) {
    let fragment: Uint8Array;
    try {
      fragment = encapsulatedFrameBytes(info, index);
    } catch (e) {
      throw toVoxmarkError(e, ErrorCode.Corrupt, `Unreadable encapsulated frame ${index}`);
    }
    // The codec dispatcher is a chunk of its own: uncompressed files never load it.
    const { decodeEncapsulatedFrame } = await import('./codecs.js');
    data = await decodeEncapsulatedFrame(info, fragment, signal, options);
  } else {
    if (!isNativeTransferSyntax(info.transferSyntaxUID)) {
      throw new VoxmarkError(
        ErrorCode.Corrupt,
        `Transfer syntax ${info.transferSyntaxUID} requires encapsulated pixel data, but it is native`,
      );
    }
    data = decodeNativeFrame(info, index);
  }
  const rescale = frameRescale(info, index);
  return {
    width: info.columns,
    height: info.rows,
    samplesPerPixel: frameSamplesPerPixel(info),
    data,
    rescaleSlope: rescale.slope,
    rescaleIntercept: rescale.intercept,
  };
}

/**
 * The compressed bytes of one frame, however the encapsulated pixel data is laid out: with a Basic Offset
 * Table, with an Extended Offset Table (7FE0,0001) instead, or with neither; one fragment per frame, or
 * several (found from the offset table, or from the codec's start-of-image marker when there is no
 * table). Fragment lengths are clamped to the bytes actually present, so a lying length cannot make
 * this allocate more than the input holds.
 */
export function encapsulatedFrameBytes(info: DicomImageInfo, index: number): Uint8Array {
  const { dataSet } = info.parsed;
  const element = dataSet.elements[info.pixelTag]!;
  const fragments = element.fragments ?? [];
  if (fragments.length === 0)
    throw new VoxmarkError(ErrorCode.Corrupt, 'Encapsulated pixel data has no fragments');
  const frames = info.numberOfFrames;
  let range: [number, number] | undefined;
  const table = frameOffsetTable(info);
  if (table && table.length === frames) {
    const start = fragments.findIndex((f) => f.offset === table[index]);
    if (start < 0) {
      throw new VoxmarkError(ErrorCode.Corrupt, `The offset table points frame ${index + 1} at no fragment`);
    }
    let end = fragments.length;
    if (index + 1 < frames) {
      end = fragments.findIndex((f) => f.offset === table[index + 1]);
      if (end < start) {
        throw new VoxmarkError(
          ErrorCode.Corrupt,
          `The offset table points frame ${index + 2} at no fragment`,
        );
      }
    }
    range = [start, end];
  } else if (frames === 1) {
    range = [0, fragments.length];
  } else if (fragments.length === frames) {
    range = [index, index + 1];
  } else {
    // No usable offset table and several fragments per frame: find frame starts by codec markers.
    const starts = frameStartFragments(info);
    if (starts.length !== frames || starts[0] !== 0) {
      throw new VoxmarkError(
        ErrorCode.Corrupt,
        `Cannot tell which of ${fragments.length} fragments belong to frame ${index + 1} of ${frames}`,
      );
    }
    range = [starts[index]!, index + 1 < frames ? starts[index + 1]! : fragments.length];
  }
  return concatFragments(info, range[0], range[1]);
}

/** Frame offsets from the Basic Offset Table or, when that is empty, the Extended Offset Table. */
function frameOffsetTable(info: DicomImageInfo): number[] | undefined {
  const { dataSet } = info.parsed;
  const element = dataSet.elements[info.pixelTag]!;
  const bot = element.basicOffsetTable ?? [];
  if (bot.length > 0) return bot;
  const eot = dataSet.elements.x7fe00001;
  if (!eot || eot.length < 8 || eot.length % 8 !== 0) return undefined;
  const bytes = dataSet.byteArray as Uint8Array;
  if (eot.dataOffset + eot.length > bytes.length) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset + eot.dataOffset, eot.length);
  const count = eot.length / 8;
  if (count !== info.numberOfFrames) return undefined;
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    const v = view.getBigUint64(i * 8, true);
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) return undefined;
    out.push(Number(v));
  }
  return out;
}

function concatFragments(info: DicomImageInfo, start: number, end: number): Uint8Array {
  const { dataSet } = info.parsed;
  const fragments = dataSet.elements[info.pixelTag]!.fragments ?? [];
  const bytes = dataSet.byteArray as Uint8Array;
  const parts: Uint8Array[] = [];
  let total = 0;
  for (let i = start; i < end; i++) {
    const f = fragments[i]!;
    const from = Math.min(f.position, bytes.length);
    const to = Math.min(f.position + f.length, bytes.length);
    parts.push(bytes.subarray(from, to));
    total += to - from;
  }
  if (total === 0) throw new VoxmarkError(ErrorCode.Truncated, 'The frame has no compressed bytes');
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(total);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Fragments that begin a frame: JPEG family starts with SOI (FFD8), JPEG 2000 codestreams with SOC (FF4F). */
function frameStartFragments(info: DicomImageInfo): number[] {
  const { dataSet } = info.parsed;
  const element = dataSet.elements[info.pixelTag]!;
  const bytes = dataSet.byteArray;
  const starts: number[] = [];
  (element.fragments ?? []).forEach((f, i) => {
    const p = f.position;
    const b0 = bytes[p];
    const b1 = bytes[p + 1];
    if (b0 === 0xff && (b1 === 0xd8 || b1 === 0x4f)) starts.push(i);
    else if (b0 === 0x00 && bytes[p + 1] === 0x00 && bytes[p + 2] === 0x00 && bytes[p + 3] === 0x0c)
      starts.push(i); // JP2 signature box
  });
  return starts;
}

/** Native (uncompressed) pixel data of one frame, sign-corrected, colour interleaved and converted to RGB. */
export function decodeNativeFrame(info: DicomImageInfo, index: number): PixelArray {
  const { dataSet } = info.parsed;
  const element = dataSet.elements[info.pixelTag]!;
  const bytes = dataSet.byteArray as Uint8Array;
  const samples = info.rows * info.columns * info.samplesPerPixel;
  const littleEndian = info.transferSyntaxUID !== TransferSyntax.ExplicitBig;
  const dataType = frameDataType(info);
  const start = element.dataOffset;
  const available = Math.min(element.length, bytes.length - start);

  if (info.bitsAllocated === 1) {
    const bitOffset = index * samples;
    const needBits = bitOffset + samples;
    if (Math.ceil(needBits / 8) > available) throw truncated(index);
    const out = new Uint8Array(samples);
    for (let i = 0; i < samples; i++) {
      const bit = bitOffset + i;
      out[i] = (bytes[start + (bit >> 3)]! >> (bit & 7)) & 1;
    }
    return out;
  }

  // YBR_FULL_422 native: two luma samples share one Cb/Cr pair, so a frame has 2 bytes per pixel.
  const is422 = info.photometricInterpretation === 'YBR_FULL_422' && info.samplesPerPixel === 3;
  const bytesPerSample = info.bitsAllocated / 8;
  const frameBytes = is422 ? info.rows * info.columns * 2 * bytesPerSample : samples * bytesPerSample;
  const offset = index * frameBytes;
  if (offset + frameBytes > available) throw truncated(index);
  const view = new DataView(bytes.buffer, bytes.byteOffset + start + offset, frameBytes);

  if (is422) return ybr422ToRgb(view, info);
  const shared = sharedView(bytes, start + offset, samples, dataType, info, littleEndian);
  if (shared) return shared;

  let out = allocate(dataType, samples);
  if (info.pixelTag !== 'x7fe00010') {
    for (let i = 0; i < samples; i++) {
      out[i] =
        bytesPerSample === 4 ? view.getFloat32(i * 4, littleEndian) : view.getFloat64(i * 8, littleEndian);
    }
  } else if (bytesPerSample === 1) {
    out.set(new Uint8Array(view.buffer, view.byteOffset, samples) as unknown as ArrayLike<number>);
    if (dataType === 'int8') {
      const raw = new Uint8Array(view.buffer, view.byteOffset, samples);
      const signed = out as Int8Array;
      for (let i = 0; i < samples; i++) signed[i] = (raw[i]! << 24) >> 24;
    }
  } else if (bytesPerSample === 2) {
    if (littleEndian && (view.byteOffset & 1) === 0) {
      // One copy, in the output's own type.
      if (dataType === 'int16')
        (out as Int16Array).set(new Int16Array(view.buffer, view.byteOffset, samples));
      else (out as Uint16Array).set(new Uint16Array(view.buffer, view.byteOffset, samples));
    } else {
      for (let i = 0; i < samples; i++)
        out[i] =
          dataType === 'int16' ? view.getInt16(i * 2, littleEndian) : view.getUint16(i * 2, littleEndian);
    }
  } else if (bytesPerSample === 4) {
    for (let i = 0; i < samples; i++)
      out[i] =
        dataType === 'int32' ? view.getInt32(i * 4, littleEndian) : view.getUint32(i * 4, littleEndian);
  }
  applyBitsStored(out, info);
  if (info.samplesPerPixel === 3) {
    if (info.planarConfiguration === 1) out = planarToInterleaved(out, info.rows * info.columns);
    convertColourToRgb(out, info.photometricInterpretation);
  }
  if (info.photometricInterpretation === 'PALETTE COLOR') return applyPalette(out, info);
  return out;
}

/**
 * The frame's samples as a view over the file's own bytes, without a copy, when that is exact: integer
 * samples in the machine's byte order at an aligned offset, monochrome or RGB, and every sample already within
 * Bits Stored (so masking would change nothing). Otherwise undefined, and the caller copies. The view shares
 * the file's buffer: a frame is read-only by contract.
 */
function sharedView(
  bytes: Uint8Array,
  at: number,
  samples: number,
  dataType: DataType,
  info: DicomImageInfo,
  littleEndian: boolean,
): PixelArray | undefined {
  const photometric = info.photometricInterpretation;
  if (info.pixelTag !== 'x7fe00010' || !littleEndian) return undefined;
  if (!(photometric.startsWith('MONOCHROME') || (photometric === 'RGB' && info.planarConfiguration === 0)))
    return undefined;
  const offset = bytes.byteOffset + at;
  const { buffer } = bytes;
  let view: PixelArray;
  if (dataType === 'uint8') view = new Uint8Array(buffer, offset, samples);
  else if (dataType === 'int8') view = new Int8Array(buffer, offset, samples);
  else if (offset % 2 !== 0) return undefined;
  else if (dataType === 'uint16') view = new Uint16Array(buffer, offset, samples);
  else if (dataType === 'int16') view = new Int16Array(buffer, offset, samples);
  else return undefined;
  return info.bitsStored >= info.bitsAllocated || withinBitsStored(view, info) ? view : undefined;
}

/** Whether masking `data` to Bits Stored (applyBitsStored) would leave every sample as it is. */
export function withinBitsStored(data: PixelArray, info: DicomImageInfo): boolean {
  const { bitsStored, bitsAllocated, highBit } = info;
  if (bitsStored >= bitsAllocated) return true;
  if (highBit + 1 !== bitsStored) return false;
  if (info.pixelRepresentation === 1) {
    const half = 2 ** (bitsStored - 1);
    return signedWithin(data, -half, half - 1);
  }
  return unsignedBelow(data, 2 ** bitsStored);
}

function unsignedBelow(data: PixelArray, limit: number): boolean {
  // OR of every sample, two at a time where the view allows: one pass, no branch per sample.
  if (data instanceof Uint16Array && data.byteOffset % 4 === 0) {
    const words = new Uint32Array(data.buffer, data.byteOffset, data.length >> 1);
    let acc = 0;
    for (let i = 0; i < words.length; i++) acc |= words[i]!;
    if (data.length & 1) acc |= data[data.length - 1]!;
    return ((acc & 0xffff) | (acc >>> 16)) < limit;
  }
  let acc = 0;
  for (let i = 0; i < data.length; i++) acc |= data[i]!;
  return acc < limit;
}

function signedWithin(data: PixelArray, min: number, max: number): boolean {
  let lo = 0;
  let hi = 0;
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    if (v < lo) lo = v;
    else if (v > hi) hi = v;
  }
  return lo >= min && hi <= max;
}

function truncated(index: number): VoxmarkError {
  return new VoxmarkError(ErrorCode.Truncated, `Pixel data ends before frame ${index} is complete`);
}

/** Masks bits above Bits Stored (and below its high bit), sign-extending when Pixel Representation is 1. */
export function applyBitsStored(out: PixelArray, info: DicomImageInfo): void {
  const { bitsStored, bitsAllocated, pixelRepresentation } = info;
  if (bitsStored >= bitsAllocated || bitsAllocated > 32 || info.pixelTag !== 'x7fe00010') return;
  const shift = Math.max(0, info.highBit + 1 - bitsStored);
  const mask = bitsStored === 32 ? 0xffffffff : (1 << bitsStored) - 1;
  // One loop per array type: a loop over the PixelArray union is polymorphic and several times slower.
  if (out instanceof Uint16Array) maskUnsigned16(out, shift, mask);
  else if (out instanceof Int16Array) maskSigned16(out, shift, mask, 32 - bitsStored);
  else if (pixelRepresentation === 1) {
    const ext = 32 - bitsStored;
    for (let i = 0; i < out.length; i++) out[i] = (((out[i]! >>> shift) & mask) << ext) >> ext;
  } else {
    for (let i = 0; i < out.length; i++) out[i] = (out[i]! >>> shift) & mask;
  }
}

function maskUnsigned16(out: Uint16Array, shift: number, mask: number): void {
  for (let i = 0; i < out.length; i++) out[i] = (out[i]! >>> shift) & mask;
}

function maskSigned16(out: Int16Array, shift: number, mask: number, ext: number): void {
  // Int16Array reads sign-extend: go through the unsigned 16 bits first.
  for (let i = 0; i < out.length; i++) out[i] = ((((out[i]! & 0xffff) >>> shift) & mask) << ext) >> ext;
}

function ybr422ToRgb(view: DataView, info: DicomImageInfo): PixelArray {
  const pixels = info.rows * info.columns;
  const sixteen = info.bitsAllocated === 16;
  const out = sixteen ? new Uint16Array(pixels * 3) : new Uint8Array(pixels * 3);
  const read = (i: number) => (sixteen ? view.getUint16(i * 2, true) : view.getUint8(i));
  // Each pair of pixels is stored as Y1 Y2 Cb Cr.
  for (let p = 0, s = 0; p < pixels; p += 2, s += 4) {
    const y1 = read(s);
    const y2 = read(s + 1);
    const cb = read(s + 2);
    const cr = read(s + 3);
    out[p * 3] = y1;
    out[p * 3 + 1] = cb;
    out[p * 3 + 2] = cr;
    if (p + 1 < pixels) {
      out[p * 3 + 3] = y2;
      out[p * 3 + 4] = cb;
      out[p * 3 + 5] = cr;
    }
  }
  convertColourToRgb(out, 'YBR_FULL');
  return out;
}

/** Maps PALETTE COLOR indices through the red, green and blue lookup tables to interleaved RGB. */
export function applyPalette(indices: PixelArray, info: DicomImageInfo): PixelArray {
  const ds = info.parsed.dataSet;
  const channels = ['x00281201', 'x00281202', 'x00281203'];
  const descriptors = ['x00281101', 'x00281102', 'x00281103'];
  const luts: { data: Uint16Array | Uint8Array; first: number; count: number }[] = [];
  for (let c = 0; c < 3; c++) {
    const d = descriptors[c]!;
    const countRaw = ds.uint16(d, 0);
    const first = ds.elements[d]?.vr === 'SS' ? (ds.int16(d, 1) ?? 0) : (ds.uint16(d, 1) ?? 0);
    const bits = ds.uint16(d, 2) ?? 16;
    const count = countRaw === 0 ? 65536 : (countRaw ?? 0);
    const el = ds.elements[channels[c]!];
    if (!el || count === 0)
      throw new VoxmarkError(ErrorCode.Corrupt, 'PALETTE COLOR image without its lookup tables');
    const bytes = ds.byteArray as Uint8Array;
    const byteView = new DataView(
      bytes.buffer,
      bytes.byteOffset + el.dataOffset,
      Math.min(el.length, bytes.length - el.dataOffset),
    );
    const data = bits > 8 ? new Uint16Array(count) : new Uint8Array(count);
    const littleEndian = info.transferSyntaxUID !== TransferSyntax.ExplicitBig;
    const entryBytes = el.length >= count * 2 ? 2 : 1;
    for (let i = 0; i < count && (i + 1) * entryBytes <= byteView.byteLength; i++) {
      const v = entryBytes === 2 ? byteView.getUint16(i * 2, littleEndian) : byteView.getUint8(i);
      data[i] = bits > 8 ? v : entryBytes === 2 ? v >> 8 || v & 0xff : v;
    }
    luts.push({ data, first, count });
  }
  const out = allocate(luts[0]!.data instanceof Uint16Array ? 'uint16' : 'uint8', indices.length * 3);
  for (let i = 0; i < indices.length; i++) {
    for (let c = 0; c < 3; c++) {
      const lut = luts[c]!;
      let k = indices[i]! - lut.first;
      if (k < 0) k = 0;
      else if (k >= lut.count) k = lut.count - 1;
      out[i * 3 + c] = lut.data[k]!;
    }
  }
  return out;
}
