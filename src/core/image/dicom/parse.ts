import dicomParser from '../../dicom/dicom-parser.js';
import type { DataSet } from '../../dicom/dicom-parser.js';
import { ErrorCode, VoxmarkError, toVoxmarkError, throwIfAborted } from '../../errors.js';
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
 * DecompressionStream first, bounded by the deflate ratio and `maxBytes`. Every failure is a VoxmarkError.
 */
export async function parseDicomBytes(bytes: Uint8Array, options: ParseOptions = {}): Promise<ParsedDicom> {
  throwIfAborted(options.signal);
  const hasPreamble =
    bytes.length >= 132 &&
    bytes[128] === 0x44 &&
    bytes[129] === 0x49 &&
    bytes[130] === 0x43 &&
    bytes[131] === 0x4d;
  let input = bytes;
  if (
    !hasPreamble &&
    bytes.length >= 4 &&
    bytes[0] === 0x44 &&
    bytes[1] === 0x49 &&
    bytes[2] === 0x43 &&
    bytes[3] === 0x4d
  ) {
    // "DICM" without the 128-byte preamble: put one back so the standard reader applies.
    input = new Uint8Array(bytes.length + 128);
    input.set(bytes, 128);
  }
  const isPart10 =
    input.length >= 132 &&
    input[128] === 0x44 &&
    input[129] === 0x49 &&
    input[130] === 0x43 &&
    input[131] === 0x4d;

  let transferSyntaxUID: string = TransferSyntax.ImplicitLittle;
  let metaEnd = 0;
  if (isPart10) {
    // The common case reads the few meta elements directly; anything unusual goes to dicom-parser's reader.
    const quick = peekMetaHeader(input);
    let ts = quick?.transferSyntaxUID;
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
    if (!ts)
      throw new VoxmarkError(ErrorCode.Corrupt, 'DICOM meta header has no transfer syntax (0002,0010)');
    transferSyntaxUID = ts.replace(/\0/g, '').trim();
  } else {
    transferSyntaxUID = guessBareTransferSyntax(input);
  }

  if (transferSyntaxUID === TransferSyntax.DeflatedExplicitLittle) {
    const cap = Math.min(
      options.maxBytes ?? Number.MAX_SAFE_INTEGER,
      (input.length - metaEnd) * MAX_DEFLATE_RATIO + 1024,
    );
    const inflated = await inflateRaw(input.subarray(metaEnd), cap, options.signal);
    const full = new Uint8Array(metaEnd + inflated.length);
    full.set(input.subarray(0, metaEnd), 0);
    full.set(inflated, metaEnd);
    input = full;
  }

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

  let dataSet: DataSet;
  try {
    dataSet = isPart10
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
  if (isPart10 && transferSyntaxUID === TransferSyntax.DeflatedExplicitLittle) {
    // dicom-parser reads an inflater's result from byte 0, so the preamble and "DICM" come back as
    // phantom elements ((0000,0000), (4944,4D43), ...). Only group 0002 belongs before the dataset.
    const elements = dataSet.elements as Record<string, { dataOffset: number }>;
    for (const [tag, el] of Object.entries(elements)) {
      if (el.dataOffset < metaEnd && !tag.startsWith('x0002')) delete elements[tag];
    }
  }
  return { dataSet, transferSyntaxUID, bytes: input };
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

/**
 * Inflates raw deflate data with the platform's DecompressionStream, refusing output beyond `cap` bytes.
 * Writers often pad the deflated dataset to an even length, or leave other bytes after the end of the
 * deflate stream, which DecompressionStream rejects as junk. When that happens the end of the stream is
 * searched for: first a few bytes short of the input (the usual padding), then by bisection. Every attempt
 * is bounded by the same `cap`, so a bomb is refused however the input is cut.
 */
export async function inflateRaw(data: Uint8Array, cap: number, signal?: AbortSignal): Promise<Uint8Array> {
  if (typeof DecompressionStream === 'undefined') {
    throw new VoxmarkError(
      ErrorCode.Unsupported,
      'This platform has no DecompressionStream to inflate deflated DICOM',
    );
  }
  const first = await inflateOnce(data, cap, signal);
  if (first.ok) return first.data;
  if (first.reason !== 'junk') throw first.error;
  // Trailing bytes after the deflate stream: find where it really ends.
  let lo = 0; // longest length known to be too short
  let hi = data.length; // shortest length known to be too long
  for (const guess of [data.length - 1, data.length - 2, data.length - 4]) {
    if (guess <= lo || guess >= hi) continue;
    const r = await inflateOnce(data.subarray(0, guess), cap, signal);
    if (r.ok) return r.data;
    if (r.reason === 'junk') hi = guess;
    else if (r.reason === 'short') lo = guess;
    else throw r.error;
  }
  while (hi - lo > 1) {
    const mid = lo + Math.floor((hi - lo) / 2);
    const r = await inflateOnce(data.subarray(0, mid), cap, signal);
    if (r.ok) return r.data;
    if (r.reason === 'junk') hi = mid;
    else if (r.reason === 'short') lo = mid;
    else throw r.error;
  }
  throw first.error;
}

type InflateResult =
  { ok: true; data: Uint8Array } | { ok: false; reason: 'junk' | 'short' | 'other'; error: VoxmarkError };

async function inflateOnce(data: Uint8Array, cap: number, signal?: AbortSignal): Promise<InflateResult> {
  const stream = new Blob([data as BlobPart]).stream().pipeThrough(new DecompressionStream('deflate-raw'));
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      throwIfAborted(signal);
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > cap) {
        throw new VoxmarkError(ErrorCode.TooLarge, `Deflated data expands beyond the ${cap}-byte limit`);
      }
      chunks.push(value);
    }
  } catch (e) {
    void reader.cancel().catch(() => undefined);
    if (e instanceof VoxmarkError) return { ok: false, reason: 'other', error: e };
    const error = toVoxmarkError(e, ErrorCode.Corrupt, 'Deflated DICOM data is corrupt');
    const message = e instanceof Error ? e.message : String(e);
    const reason = /junk|trailing|after (the )?end/i.test(message)
      ? 'junk'
      : /truncat|unexpected end|incomplete|premature/i.test(message)
        ? 'short'
        : 'other';
    return { ok: false, reason, error };
  }
  const out = new Uint8Array(total);
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.byteLength;
  }
  return { ok: true, data: out };
}
