/**
 * STOW-RS: store DICOM instances (a DICOM SEG made by `toDicomSeg`, say) in the archive, and report what
 * the archive said about each one.
 */
import { ErrorCode, VoxmarkError } from '../errors.js';
import { openRequest, readBody, readJson, serviceUrl, uidSegment, type DicomWebConnection } from './http.js';
import { buildMultipart, makeBoundary } from './multipart.js';
import { jsonNumber, jsonString, type DicomJson } from './json.js';

export interface StoreOptions extends Omit<DicomWebConnection, 'url'> {
  /** Store into this study (`POST /studies/{uid}`): the archive refuses instances of another study. */
  studyInstanceUID?: string;
  signal?: AbortSignal;
}

export interface StoredInstance {
  sopClassUID?: string;
  sopInstanceUID?: string;
  /** Where the archive serves it (WADO-RS), when it says. */
  retrieveURL?: string;
  /** A warning (coercion of attributes, …): PS3.18 Warning Reason (0008,1196), when given. */
  warningReason?: number;
}

export interface FailedInstance {
  sopClassUID?: string;
  sopInstanceUID?: string;
  /** PS3.18 Failure Reason (0008,1197), e.g. 0xA700 out of resources, 0xC000 cannot understand. */
  reason?: number;
  /** The reason in words. */
  reasonText: string;
}

/** The archive's answer: every instance stored, some with warnings, or some (or all) failed. */
export interface StoreResult {
  status: 'stored' | 'warning' | 'failed';
  /** The HTTP status: 200 all stored, 202 stored with warnings or partly failed, 409 all failed. */
  httpStatus: number;
  stored: StoredInstance[];
  failed: FailedInstance[];
  /** The DICOM JSON answer, as sent. */
  json?: DicomJson;
}

const FAILURE_REASONS: Record<number, string> = {
  0x0110: 'processing failure',
  0x0122: 'SOP class not supported',
  0x0124: 'not authorized',
  0xa700: 'out of resources',
  0xa900: 'data set does not match SOP class',
  0xc000: 'cannot understand',
  0xc122: 'referenced transfer syntax not supported',
  0xa770: 'transfer syntax not supported',
  0xb000: 'coercion of data elements',
  0xb006: 'elements discarded',
  0xb007: 'data set does not match SOP class (warning)',
  0x0111: 'duplicate SOP instance',
};

/** Largest STOW answer read, in bytes. */
const MAX_ANSWER_BYTES = 16 * 1024 * 1024;

/**
 * Stores Part 10 instances with STOW-RS (`multipart/related; type="application/dicom"`). Resolves with the
 * archive's answer parsed, including a 409 (every instance refused) as `status: 'failed'` with reasons;
 * rejects with `unauthorized`, `not-found`, `timeout`, `aborted` or `fetch-failed` when the request itself
 * fails. A store is never retried (an archive may have kept part of it).
 */
export async function storeInstances(
  url: string,
  parts: (ArrayBuffer | Uint8Array | Blob)[],
  options: StoreOptions = {},
): Promise<StoreResult> {
  if (!Array.isArray(parts) || parts.length === 0) {
    throw new VoxmarkError(ErrorCode.InvalidArgument, 'Nothing to store');
  }
  const boundary = makeBoundary();
  const body = buildMultipart(
    parts.map((p) => (p instanceof Uint8Array ? new Uint8Array(p) : p) as BlobPart),
    'application/dicom',
    boundary,
  );
  const path = options.studyInstanceUID
    ? `/studies/${uidSegment(options.studyInstanceUID, 'studyInstanceUID')}`
    : '/studies';
  const connection = { ...options, url };
  const open = await openRequest(connection, serviceUrl(url, path), {
    method: 'POST',
    accept: 'application/dicom+json, application/json',
    contentType: `multipart/related; type="application/dicom"; boundary=${boundary}`,
    body,
    signal: options.signal,
    // 400 (nothing understood) and 409 (every instance refused): the answer says why.
    acceptStatus: [400, 409],
  });
  const httpStatus = open.response.status;
  if (httpStatus === 400 || httpStatus === 409) {
    const bytes = await readBody(open, MAX_ANSWER_BYTES);
    const text = new TextDecoder().decode(bytes);
    let json: DicomJson | undefined;
    try {
      const parsed = JSON.parse(text) as unknown;
      json = (Array.isArray(parsed) ? parsed[0] : parsed) as DicomJson;
    } catch {
      json = undefined;
    }
    const result = parseStoreAnswer(json, httpStatus);
    result.status = 'failed';
    if (result.failed.length === 0) {
      const said = json ? '' : text.replace(/\s+/g, ' ').trim().slice(0, 200);
      result.failed.push({
        reasonText: `the archive refused the request (HTTP ${httpStatus})${said ? `: ${said}` : ''}`,
      });
    }
    return result;
  }
  const answer = await readJson(open, MAX_ANSWER_BYTES);
  const json = (Array.isArray(answer) ? answer[0] : answer) as DicomJson | undefined;
  return parseStoreAnswer(json, httpStatus);
}

/** Reads a STOW-RS answer (PS3.18 10.5.3): referenced (stored) and failed SOP sequences. */
export function parseStoreAnswer(json: DicomJson | undefined, httpStatus: number): StoreResult {
  const items = (tag: string) => (json?.[tag]?.Value ?? []) as DicomJson[];
  const stored: StoredInstance[] = items('00081199').map((item) => {
    const s: StoredInstance = {};
    const cls = jsonString(item, '00081150');
    const sop = jsonString(item, '00081155');
    const where = jsonString(item, '00081190');
    const warning = jsonNumber(item, '00081196');
    if (cls) s.sopClassUID = cls;
    if (sop) s.sopInstanceUID = sop;
    if (where) s.retrieveURL = where;
    if (warning !== undefined) s.warningReason = warning;
    return s;
  });
  const failed: FailedInstance[] = items('00081198').map((item) => {
    const reason = jsonNumber(item, '00081197');
    const f: FailedInstance = {
      reasonText:
        reason === undefined
          ? 'no reason given'
          : `${FAILURE_REASONS[reason] ?? 'failure'} (0x${reason.toString(16).toUpperCase()})`,
    };
    const cls = jsonString(item, '00081150');
    const sop = jsonString(item, '00081155');
    if (cls) f.sopClassUID = cls;
    if (sop) f.sopInstanceUID = sop;
    if (reason !== undefined) f.reason = reason;
    return f;
  });
  const warned =
    stored.some((s) => s.warningReason !== undefined) || jsonNumber(json ?? {}, '00081196') !== undefined;
  const status =
    failed.length > 0 && stored.length === 0
      ? 'failed'
      : failed.length > 0 || warned || httpStatus === 202
        ? 'warning'
        : 'stored';
  return { status, httpStatus, stored, failed, ...(json ? { json } : {}) };
}
