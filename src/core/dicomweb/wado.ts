/**
 * WADO-RS retrieval: series metadata (DICOM JSON), single frames (with the transfer syntaxes voxmark
 * decodes offered in the accept header) and whole instances (Part 10), through the bounded, abortable
 * requests of http.ts and the streaming multipart reader.
 */
import { ErrorCode, VoxmarkError } from '../errors.js';
import { openRequest, readBody, readJson, serviceUrl, uidSegment, type DicomWebConnection } from './http.js';
import { parseMediaType, readMultipart, type MediaType } from './multipart.js';
import { asDatasetList, type DicomJson } from './json.js';

export const EXPLICIT_VR_LITTLE_ENDIAN = '1.2.840.10008.1.2.1';

/** Largest metadata answer read, in bytes. */
export const MAX_METADATA_BYTES = 256 * 1024 * 1024;

/**
 * The frame media types voxmark asks for, most specific first and "as stored" last: every transfer
 * syntax it has a decoder for, then whatever the archive holds. (Some servers honour the last entry of
 * the list, some the first; both end in something voxmark decodes. No q-values: some servers refuse them.)
 */
export const FRAME_ACCEPT = [
  ['image/jls', '1.2.840.10008.1.2.4.80'],
  ['image/jls', '1.2.840.10008.1.2.4.81'],
  ['image/jp2', '1.2.840.10008.1.2.4.90'],
  ['image/jp2', '1.2.840.10008.1.2.4.91'],
  ['image/jphc', '1.2.840.10008.1.2.4.201'],
  ['image/jphc', '1.2.840.10008.1.2.4.203'],
  ['application/octet-stream', EXPLICIT_VR_LITTLE_ENDIAN],
  ['application/octet-stream', '*'],
]
  .map(([type, ts]) => `multipart/related; type="${type}"; transfer-syntax=${ts}`)
  .join(', ');

/** The plainest frame request, for servers that refuse a list: frames as stored. */
export const FRAME_ACCEPT_AS_STORED = 'multipart/related; type="application/octet-stream"; transfer-syntax=*';

export const INSTANCE_ACCEPT = 'multipart/related; type="application/dicom"; transfer-syntax=*';

/** Transfer syntax implied by a frame media type without a `transfer-syntax` parameter (PS3.18 8.7.3). */
const DEFAULT_SYNTAX: Record<string, string> = {
  'application/octet-stream': EXPLICIT_VR_LITTLE_ENDIAN,
  'image/jls': '1.2.840.10008.1.2.4.80',
  'image/x-jls': '1.2.840.10008.1.2.4.80',
  'image/jp2': '1.2.840.10008.1.2.4.90',
  'image/jpx': '1.2.840.10008.1.2.4.92',
  'image/jphc': '1.2.840.10008.1.2.4.201',
  'image/jpeg': '1.2.840.10008.1.2.4.50',
  'image/dicom-rle': '1.2.840.10008.1.2.5',
};

export interface SeriesRef extends DicomWebConnection {
  studyInstanceUID: string;
  seriesInstanceUID: string;
  signal?: AbortSignal;
}

export interface InstanceRef extends SeriesRef {
  sopInstanceUID: string;
}

export function seriesPath(ref: { studyInstanceUID: string; seriesInstanceUID: string }): string {
  return (
    `/studies/${uidSegment(ref.studyInstanceUID, 'studyInstanceUID')}` +
    `/series/${uidSegment(ref.seriesInstanceUID, 'seriesInstanceUID')}`
  );
}

export function instancePath(ref: {
  studyInstanceUID: string;
  seriesInstanceUID: string;
  sopInstanceUID: string;
}): string {
  return `${seriesPath(ref)}/instances/${uidSegment(ref.sopInstanceUID, 'sopInstanceUID')}`;
}

/** WADO-RS series metadata: one DICOM JSON dataset per instance, bulk data as URIs. */
export async function retrieveSeriesMetadata(ref: SeriesRef): Promise<DicomJson[]> {
  const open = await openRequest(ref, serviceUrl(ref.url, `${seriesPath(ref)}/metadata`), {
    accept: 'application/dicom+json, application/json',
    signal: ref.signal,
  });
  return asDatasetList(await readJson(open, MAX_METADATA_BYTES), 'The series metadata');
}

/** WADO-RS instance metadata: a list of one DICOM JSON dataset. */
export async function retrieveInstanceMetadata(ref: InstanceRef): Promise<DicomJson[]> {
  const open = await openRequest(ref, serviceUrl(ref.url, `${instancePath(ref)}/metadata`), {
    accept: 'application/dicom+json, application/json',
    signal: ref.signal,
  });
  return asDatasetList(await readJson(open, MAX_METADATA_BYTES), 'The instance metadata');
}

/** One frame's bytes and the transfer syntax they are in. */
export interface RetrievedFrame {
  bytes: Uint8Array;
  transferSyntaxUID: string;
  /** Bytes of the HTTP body (what crossed the network, before any decoding). */
  transferred: number;
}

/**
 * WADO-RS `/frames/{n}` (1-based). `maxPartBytes` bounds the frame. A server that answers in a media type
 * that was not asked for rejects with `not-acceptable`; a cut-off answer with `corrupt`.
 */
export async function retrieveFrame(
  ref: InstanceRef,
  frameNumber: number,
  options: { accept?: string; maxPartBytes: number },
): Promise<RetrievedFrame> {
  const url = serviceUrl(ref.url, `${instancePath(ref)}/frames/${frameNumber}`);
  const open = await openRequest(ref, url, { accept: options.accept ?? FRAME_ACCEPT, signal: ref.signal });
  const type = parseMediaType(open.response.headers.get('Content-Type'));
  if (type.type !== 'multipart/related') {
    // Some servers send a single frame bare rather than in a multipart body.
    const transferSyntaxUID = frameSyntax(type);
    const bytes = await readBody(open, options.maxPartBytes);
    return { bytes, transferSyntaxUID, transferred: bytes.byteLength };
  }
  let transferred = 0;
  for await (const part of readMultipart(open, { maxPartBytes: options.maxPartBytes, maxParts: 1 })) {
    transferred += part.body.byteLength;
    return { bytes: part.body, transferSyntaxUID: frameSyntax(part.contentType), transferred };
  }
  throw new VoxmarkError(ErrorCode.Corrupt, 'The frame answer holds no part');
}

function frameSyntax(type: MediaType): string {
  const ts = type.params['transfer-syntax'];
  if (ts && ts !== '*') return ts;
  const implied = DEFAULT_SYNTAX[type.type];
  if (!implied) {
    throw new VoxmarkError(
      ErrorCode.NotAcceptable,
      `The server ignored the accept header and sent a frame as ${type.type || 'no content type'}`,
    );
  }
  return implied;
}

/** WADO-RS `/instances/{uid}`: the instance as Part 10 bytes, whatever transfer syntax it is stored in. */
export async function retrieveInstance(ref: InstanceRef & { maxBytes?: number }): Promise<Uint8Array> {
  const open = await openRequest(ref, serviceUrl(ref.url, instancePath(ref)), {
    accept: INSTANCE_ACCEPT,
    signal: ref.signal,
  });
  const type = parseMediaType(open.response.headers.get('Content-Type'));
  const maxBytes = ref.maxBytes ?? 2 * 1024 * 1024 * 1024;
  if (type.type === 'application/dicom') return readBody(open, maxBytes);
  for await (const part of readMultipart(open, { maxPartBytes: maxBytes, maxParts: 1 })) {
    if (part.contentType.type !== 'application/dicom') {
      throw new VoxmarkError(
        ErrorCode.NotAcceptable,
        `The server ignored the accept header and sent ${part.contentType.type || 'no content type'}`,
      );
    }
    return part.body;
  }
  throw new VoxmarkError(ErrorCode.Corrupt, 'The instance answer holds no part');
}
