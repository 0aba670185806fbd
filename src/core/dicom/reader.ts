/**
 * Reader -> writer bridge: turns a dicom-parser DataSet, read in any of the four native transfer syntaxes
 * (implicit VR little endian, explicit VR little endian, deflated explicit VR little endian once inflated,
 * explicit VR big endian) or an encapsulated one, into a {@link DicomDataset} the writer can re-emit.
 *
 * - Every element is kept with its original value bytes (views into the parsed bytes: copy before mutating).
 * - VRs come from the file; for implicit VR, from the PS3.6 dictionary (dictionary.ts), `UN` when unknown.
 * - Big endian values are byte-swapped to little endian according to their VR (US SS OW AT: 2 bytes;
 *   UL SL FL OF OL: 4; FD OD SV UV OV: 8). Text and OB are byte streams and stay as they are.
 * - Sequences recurse (their items are datasets too); a UN of undefined length that dicom-parser read as an
 *   implicit VR sequence becomes an SQ.
 * - Encapsulated pixel data keeps its basic offset table and fragments byte for byte.
 * - Group lengths (gggg,0000) are dropped (they would be wrong once anything changes), and so is the File
 *   Meta Information group 0002 unless `includeMeta` is set.
 */
import type { DataSet, Element } from './dicom-parser.js';
import { ErrorCode, VoxmarkError } from '../errors.js';
import { implicitVr } from './dictionary.js';
import { formatTag, isVr, wordSize, type Vr } from './tags.js';
import { TransferSyntaxUID } from './transfer-syntax.js';
import type { DicomDataset, DicomElement } from './writer.js';

/** Options of `elementsFromDataSet`. */
export interface FromDataSetOptions {
  /** The transfer syntax the dataset was read with (ParsedDicom.transferSyntaxUID). */
  transferSyntaxUID: string;
  /** Keep group 0002 elements. Default false: the writer makes a fresh meta header. */
  includeMeta?: boolean;
}

interface Walk {
  bytes: Uint8Array;
  littleEndian: boolean;
  implicit: boolean;
  pixelRepresentation?: number;
}

/** Converts a parsed dataset into writable elements, recursing into sequences. */
export function elementsFromDataSet(dataSet: DataSet, options: FromDataSetOptions): DicomDataset {
  const bytes = dataSet.byteArray as Uint8Array;
  const pr = dataSet.elements.x00280103 ? dataSet.uint16('x00280103') : undefined;
  const walk: Walk = {
    bytes,
    littleEndian: options.transferSyntaxUID !== TransferSyntaxUID.ExplicitVRBigEndian,
    implicit: options.transferSyntaxUID === TransferSyntaxUID.ImplicitVRLittleEndian,
    ...(pr === undefined ? {} : { pixelRepresentation: pr }),
  };
  return convertDataSet(dataSet, walk, options.includeMeta ?? false);
}

function convertDataSet(dataSet: DataSet, walk: Walk, includeMeta: boolean): DicomDataset {
  const out: DicomDataset = [];
  for (const key of Object.keys(dataSet.elements)) {
    const t = parseInt(key.slice(1), 16) >>> 0;
    const group = t >>> 16;
    if ((t & 0xffff) === 0 || group === 0xfffe) continue;
    if (group === 0x0002 && !includeMeta) continue;
    out.push(convertElement(t, dataSet.elements[key]!, walk));
  }
  out.sort((a, b) => a.tag - b.tag);
  return out;
}

function convertElement(t: number, el: Element, walk: Walk): DicomElement {
  if (el.items) {
    // A UN of undefined length is read as an implicit VR little endian sequence (PS3.5 6.2.2).
    const nested: Walk =
      el.vr === 'UN' || el.vr === undefined
        ? { ...walk, implicit: el.vr === 'UN' ? true : walk.implicit }
        : walk;
    return {
      tag: t,
      vr: 'SQ',
      value: el.items.map((item) => (item.dataSet ? convertDataSet(item.dataSet, nested, false) : [])),
    };
  }
  const vr: Vr = isVr(el.vr)
    ? el.vr
    : implicitVr(t, {
        ...(walk.pixelRepresentation === undefined ? {} : { pixelRepresentation: walk.pixelRepresentation }),
        length: el.length,
      });
  if (el.encapsulatedPixelData) {
    const fragments = (el.fragments ?? []).map((f) => {
      if (f.position < 0 || f.position + f.length > walk.bytes.length) throw truncated(t);
      return walk.bytes.subarray(f.position, f.position + f.length);
    });
    return {
      tag: t,
      vr: vr === 'OW' ? 'OW' : 'OB',
      value: { fragments, offsetTable: [...(el.basicOffsetTable ?? [])] },
    };
  }
  const length = el.length === 0xffffffff ? 0 : el.length;
  if (vr === 'SQ' && length === 0) return { tag: t, vr: 'SQ', value: [] };
  if (el.dataOffset + length > walk.bytes.length) throw truncated(t);
  let value = walk.bytes.subarray(el.dataOffset, el.dataOffset + length);
  const size = wordSize(vr);
  if (!walk.littleEndian && size > 1) value = swap(value, size);
  const element: DicomElement = { tag: t, vr: vr === 'SQ' ? 'UN' : vr, value };
  // dicom-parser leaves undefined-length non-sequences (private implicit sequences) as raw bytes.
  if (el.hadUndefinedLength) element.undefinedLength = true;
  return element;
}

function swap(bytes: Uint8Array, size: number): Uint8Array {
  const out = new Uint8Array(bytes.length);
  const whole = bytes.length - (bytes.length % size);
  for (let i = 0; i < whole; i += size) {
    for (let k = 0; k < size; k++) out[i + k] = bytes[i + size - 1 - k]!;
  }
  out.set(bytes.subarray(whole), whole);
  return out;
}

function truncated(t: number): VoxmarkError {
  return new VoxmarkError(ErrorCode.Truncated, `Element ${formatTag(t)} runs past the end of the data`);
}
