import dicomParser from '../../dicom/dicom-parser.js';
import type { DataSet } from '../../dicom/dicom-parser.js';
import { ErrorCode, VoxmarkError, toVoxmarkError, throwIfAborted } from '../../errors.js';
import { inflateRaw } from './deflate.js';
import { checkSequenceDepth } from './depth.js';

import { TransferSyntaxUID } from '../../dicom/transfer-syntax.js';

/** Short names for the syntaxes the parser branches on; the UIDs live in core/dicom's one table. */
export const TransferSyntax = {
  ImplicitLittle: TransferSyntaxUID.ImplicitVRLittleEndian,
  ExplicitLittle: TransferSyntaxUID.ExplicitVRLittleEndian,
  DeflatedExplicitLittle: TransferSyntaxUID.DeflatedExplicitVRLittleEndian,
  ExplicitBig: TransferSyntaxUID.ExplicitVRBigEndian,
} as const;

/** Deflate cannot expand data by more than about 1032:1; anything claiming more is a bomb. */
const MAX_DEFLATE_RATIO = 1032;

export interface ParseOptions {
  signal?: AbortSignal;
  /** Largest inflated dataset, in bytes. */
  maxBytes?: number;
}

export interface ParsedDicom {
  dataSet: DataSet;
  transferSyntaxUID: string;
  /** The bytes the dataset's offsets point into (the inflated bytes for deflated files). */
  bytes: Uint8Array;
}

/**
 * Parses DICOM bytes (Part 10, or a bare dataset) with dicom-parser. Deflated datasets are inflated with
 * DecompressionStream first, bounded by the deflate ratio, `maxBytes` and what their own image module says
 * they can hold (see DeflateBudget). Every failure is a VoxmarkError.
 */
export async function parseDicomBytes(bytes: Uint8Array, options: ParseOptions = {}): Promise<ParsedDicom> {
  throwIfAborted(options.signal);
  let input = withPreamble(bytes);
  const isPart10 = hasDicmAt(input, 128);
  const { transferSyntaxUID, metaEnd } = isPart10
    ? readTransferSyntax(input)
    : { transferSyntaxUID: guessBareTransferSyntax(input), metaEnd: 0 };
  const deflated = transferSyntaxUID === TransferSyntax.DeflatedExplicitLittle;
  if (deflated) input = await inflateDataset(input, metaEnd, options);

  // Refuse hostile nesting before dicom-parser recurses into it.
  const newVrs = checkSequenceDepth(
    input,
    metaEnd,
    transferSyntaxUID !== TransferSyntax.ImplicitLittle,
    transferSyntaxUID !== TransferSyntax.ExplicitBig,
  );
  if (newVrs.length > 0) {
    // dicom-parser reads OV/SV/UV with a 16-bit length; OB has their layout. Patch a copy, never the input.
    if (input === bytes) input = input.slice();
    for (const p of newVrs) input[p + 1] = 0x42; // 'B'
    for (const p of newVrs) input[p] = 0x4f; // 'O'
  }

  const dataSet = runDicomParser(input, isPart10, transferSyntaxUID);
  if (isPart10 && deflated) dropPhantomElements(dataSet, metaEnd);
  return { dataSet, transferSyntaxUID, bytes: input };
}

function hasDicmAt(bytes: Uint8Array, at: number): boolean {
  return (
    bytes.length >= at + 4 &&
    bytes[at] === 0x44 &&
    bytes[at + 1] === 0x49 &&
    bytes[at + 2] === 0x43 &&
    bytes[at + 3] === 0x4d
  );
}

/** "DICM" without the 128-byte preamble: a copy with one put back, so the standard reader applies. */
function withPreamble(bytes: Uint8Array): Uint8Array {
  if (hasDicmAt(bytes, 128) || !hasDicmAt(bytes, 0)) return bytes;
  const input = new Uint8Array(bytes.length + 128);
  input.set(bytes, 128);
  return input;
}

/** The transfer syntax and the end of the File Meta Information of a Part 10 file. */
function readTransferSyntax(input: Uint8Array): { transferSyntaxUID: string; metaEnd: number } {
  // The common case reads the few meta elements directly; anything unusual goes to dicom-parser's reader.
  const quick = peekMetaHeader(input);
  let ts = quick?.transferSyntaxUID;
  let metaEnd = 0;
  if (quick) metaEnd = quick.end;
  else {
    let meta: DataSet;
    try {
      meta = dicomParser.readPart10Header(input) as DataSet;
    } catch (e) {
      throw toVoxmarkError(e, ErrorCode.Corrupt, 'Unreadable DICOM meta header');
    }
    ts = meta.string('x00020010');
    metaEnd = (meta as unknown as { position: number }).position;
  }
  if (!ts) throw new VoxmarkError(ErrorCode.Corrupt, 'DICOM meta header has no transfer syntax (0002,0010)');
  return { transferSyntaxUID: ts.replace(/\0/g, '').trim(), metaEnd };
}

/** The file with its deflated dataset inflated in place of the deflate stream, within the caps. */
async function inflateDataset(
  input: Uint8Array,
  metaEnd: number,
  options: ParseOptions,
): Promise<Uint8Array> {
  const cap = Math.min(
    options.maxBytes ?? Number.MAX_SAFE_INTEGER,
    (input.length - metaEnd) * MAX_DEFLATE_RATIO + 1024,
  );
  const inflated = await inflateRaw(input.subarray(metaEnd), cap, options.signal, { datasetBudget: true });
  const full = new Uint8Array(metaEnd + inflated.length);
  full.set(input.subarray(0, metaEnd), 0);
  full.set(inflated, metaEnd);
  return full;
}

/** dicom-parser over the bytes, its thrown strings and overflows turned into VoxmarkErrors. */
function runDicomParser(input: Uint8Array, isPart10: boolean, transferSyntaxUID: string): DataSet {
  try {
    return isPart10
      ? dicomParser.parseDicom(input, {
          // The dataset was inflated above; hand it back as is.
          inflater: (array: Uint8Array) => array,
        } as Parameters<typeof dicomParser.parseDicom>[1])
      : dicomParser.parseDicom(input, { TransferSyntaxUID: transferSyntaxUID } as Parameters<
          typeof dicomParser.parseDicom
        >[1]);
  } catch (e) {
    if (e instanceof RangeError) {
      throw new VoxmarkError(ErrorCode.Corrupt, 'DICOM dataset is nested too deeply to read', { cause: e });
    }
    // dicom-parser throws strings; the ones about reading past the end mean the file is cut short.
    const inner =
      e && typeof e === 'object' && 'exception' in e ? (e as { exception: unknown }).exception : e;
    const text = inner instanceof Error ? inner.message : String(inner);
    const code = /overrun|overread|past end/i.test(text) ? ErrorCode.Truncated : ErrorCode.Corrupt;
    throw toVoxmarkError(e, code, 'Unreadable DICOM dataset');
  }
}

/**
 * dicom-parser reads an inflater's result from byte 0, so the preamble and "DICM" of a deflated file come back
 * as phantom elements ((0000,0000), (4944,4D43), ...). Only group 0002 belongs before the dataset.
 */
function dropPhantomElements(dataSet: DataSet, metaEnd: number): void {
  const elements = dataSet.elements as Record<string, { dataOffset: number }>;
  for (const [tag, el] of Object.entries(elements)) {
    if (el.dataOffset < metaEnd && !tag.startsWith('x0002')) delete elements[tag];
  }
}

/**
 * Reads the File Meta Information (explicit VR little endian group 0002 after "DICM") without building a
 * dataset: its end and the transfer syntax. Returns undefined for anything unusual (no transfer syntax,
 * lengths past the end, odd VRs), which then goes to dicom-parser's reader and its errors.
 */
function peekMetaHeader(bytes: Uint8Array): { transferSyntaxUID: string; end: number } | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let p = 132;
  let ts: string | undefined;
  while (p + 8 <= bytes.length && view.getUint16(p, true) === 0x0002) {
    const element = view.getUint16(p + 2, true);
    const vr = String.fromCharCode(bytes[p + 4]!, bytes[p + 5]!);
    let length: number;
    let value: number;
    if (
      vr === 'OB' ||
      vr === 'OW' ||
      vr === 'UN' ||
      vr === 'UT' ||
      vr === 'UC' ||
      vr === 'UR' ||
      vr === 'SQ'
    ) {
      if (p + 12 > bytes.length) return undefined;
      length = view.getUint32(p + 8, true);
      value = p + 12;
    } else if (/^[A-Z]{2}$/.test(vr)) {
      length = view.getUint16(p + 6, true);
      value = p + 8;
    } else return undefined;
    if (length === 0xffffffff || value + length > bytes.length) return undefined;
    if (element === 0x0010) {
      let text = '';
      for (let i = 0; i < length; i++) text += String.fromCharCode(bytes[value + i]!);
      ts = text;
    }
    p = value + length;
  }
  if (!ts) return undefined;
  return { transferSyntaxUID: ts, end: p };
}

function guessBareTransferSyntax(bytes: Uint8Array): string {
  if (bytes.length < 6) return TransferSyntax.ImplicitLittle;
  const vr = String.fromCharCode(bytes[4]!, bytes[5]!);
  const explicit = /^[A-Z]{2}$/.test(vr);
  const groupLE = bytes[0]! | (bytes[1]! << 8);
  const bigEndian = groupLE > 0x00ff && (bytes[0]! === 0 || groupLE === 0x0800 || groupLE === 0x1000);
  if (explicit) return bigEndian ? TransferSyntax.ExplicitBig : TransferSyntax.ExplicitLittle;
  return TransferSyntax.ImplicitLittle;
}
