/**
 * multipart/related (RFC 2387), as DICOMweb uses it: read as a stream, part by part, with a bound on each
 * part's size, and written for STOW-RS. A body that ends before its closing delimiter, or parts without
 * their header block, are `corrupt`; a part beyond the bound is `too-large`, refused before it is held.
 */
import { ErrorCode, VoxmarkError } from '../errors.js';
import { readChunk, type OpenResponse } from './http.js';

export interface MediaType {
  /** Lower-case `type/subtype`. */
  type: string;
  /** Parameters, names lower-cased, values unquoted. */
  params: Record<string, string>;
}

export interface Part {
  /** Header fields of the part, names lower-cased. */
  headers: Record<string, string>;
  /** The part's Content-Type, parsed (the enclosing `type` parameter when the part has none). */
  contentType: MediaType;
  body: Uint8Array;
}

export interface MultipartReadOptions {
  /** Largest part, in bytes. */
  maxPartBytes: number;
  /** Most parts read. Default unlimited. */
  maxParts?: number;
}

const MAX_HEADER_BYTES = 16 * 1024;
const CRLF = new Uint8Array([13, 10]);
const CRLF_CRLF = new Uint8Array([13, 10, 13, 10]);

/** Parses a media type with parameters: `multipart/related; type="application/dicom"; boundary=x`. */
export function parseMediaType(header: string | null | undefined): MediaType {
  const text = header ?? '';
  const params: Record<string, string> = {};
  let i = text.indexOf(';');
  const type = (i < 0 ? text : text.slice(0, i)).trim().toLowerCase();
  while (i >= 0 && i < text.length) {
    const eq = text.indexOf('=', i + 1);
    if (eq < 0) break;
    const name = text
      .slice(i + 1, eq)
      .trim()
      .toLowerCase();
    let value: string;
    let next: number;
    let p = eq + 1;
    while (text[p] === ' ') p++;
    if (text[p] === '"') {
      let end = p + 1;
      let v = '';
      while (end < text.length && text[end] !== '"') {
        if (text[end] === '\\' && end + 1 < text.length) end++;
        v += text[end];
        end++;
      }
      value = v;
      next = text.indexOf(';', end);
    } else {
      next = text.indexOf(';', p);
      value = (next < 0 ? text.slice(p) : text.slice(p, next)).trim();
    }
    if (name) params[name] = value;
    i = next;
  }
  return { type, params };
}

/** Finds `needle` in `hay[from, to)`. */
function indexOfBytes(hay: Uint8Array, needle: Uint8Array, from: number, to: number): number {
  const first = needle[0]!;
  const last = to - needle.length;
  for (let i = Math.max(0, from); i <= last; i++) {
    if (hay[i] !== first) {
      const j = hay.indexOf(first, i + 1);
      if (j < 0 || j > last) return -1;
      i = j;
    }
    let k = 1;
    while (k < needle.length && hay[i + k] === needle[k]) k++;
    if (k === needle.length) return i;
  }
  return -1;
}

/**
 * A growable byte buffer over a stream: bytes are appended as they arrive and dropped from the front as
 * parts are handed out, so memory stays about one part plus one chunk.
 */
class StreamBuffer {
  bytes = new Uint8Array(64 * 1024);
  start = 0;
  end = 0;
  ended = false;
  constructor(
    private readonly reader: ReadableStreamDefaultReader<Uint8Array>,
    private readonly open: OpenResponse,
  ) {}

  get length(): number {
    return this.end - this.start;
  }

  /** Reads one more chunk; false at the end of the stream. */
  async fill(): Promise<boolean> {
    if (this.ended) return false;
    const { done, value } = await readChunk(this.reader, this.open);
    if (done) {
      this.ended = true;
      return false;
    }
    if (this.end + value.length > this.bytes.length) {
      const used = this.end - this.start;
      const size = Math.max(this.bytes.length, (used + value.length) * 2);
      const next = size === this.bytes.length ? this.bytes : new Uint8Array(size);
      next.set(this.bytes.subarray(this.start, this.end), 0);
      this.bytes = next;
      this.start = 0;
      this.end = used;
    }
    this.bytes.set(value, this.end);
    this.end += value.length;
    return true;
  }

  /** Copies out `[start, start + n)` and drops it. */
  take(n: number): Uint8Array {
    const out = this.bytes.slice(this.start, this.start + n);
    this.start += n;
    return out;
  }

  skip(n: number): void {
    this.start += n;
  }
}

function corrupt(message: string): VoxmarkError {
  return new VoxmarkError(ErrorCode.Corrupt, `Malformed multipart answer: ${message}`);
}

/**
 * Reads the parts of a multipart/related response as they arrive. Resolves each part once its closing
 * delimiter is in; rejects with `corrupt` when the body ends first, `too-large` when a part exceeds
 * `maxPartBytes`. Releases the response when done or abandoned.
 */
export async function* readMultipart(
  open: OpenResponse,
  options: MultipartReadOptions,
): AsyncGenerator<Part, void, undefined> {
  const { boundary, enclosed } = multipartType(open);
  const reader = open.response.body?.getReader();
  if (!reader) {
    open.done();
    throw corrupt('no body');
  }
  const buf = new StreamBuffer(reader, open);
  const delimiter = new TextEncoder().encode(`\r\n--${boundary}`);
  const maxParts = options.maxParts ?? Number.POSITIVE_INFINITY;
  let finished = false;
  try {
    await skipPreamble(buf, new TextEncoder().encode(`--${boundary}`));
    for (let count = 0; ; count++) {
      if (await atClosingDelimiter(buf)) {
        finished = true;
        return;
      }
      await skipBoundaryLineEnd(buf);
      if (count >= maxParts) throw corrupt(`more than ${maxParts} parts`);
      const headers = await readPartHeaders(buf);
      const body = await readPartBody(buf, delimiter, options.maxPartBytes);
      const type = headers['content-type'];
      yield { headers, contentType: type ? parseMediaType(type) : enclosed, body };
    }
  } finally {
    open.done();
    if (!finished) void reader.cancel().catch(() => undefined);
  }
}

/** The boundary and the parts' default type of a multipart/related answer; releases it when it is not one. */
function multipartType(open: OpenResponse): { boundary: string; enclosed: MediaType } {
  const contentType = parseMediaType(open.response.headers.get('Content-Type'));
  const boundary = contentType.params.boundary;
  if (contentType.type !== 'multipart/related' || !boundary) {
    open.done();
    throw new VoxmarkError(
      ErrorCode.NotAcceptable,
      `Expected multipart/related, the server sent ${contentType.type || 'no content type'}`,
    );
  }
  return { boundary, enclosed: parseMediaType(contentType.params.type ?? 'application/octet-stream') };
}

/**
 * Reads until `needle` is in the buffer and returns where. Corrupt with `tooLong` when more than `limit`
 * bytes came without it, or with `ended` when the stream ends first.
 */
async function seek(
  buf: StreamBuffer,
  needle: Uint8Array,
  limit: number,
  tooLong: string,
  ended: string,
): Promise<number> {
  for (;;) {
    const at = indexOfBytes(buf.bytes, needle, buf.start, buf.end);
    if (at >= 0) return at;
    if (buf.length > limit) throw corrupt(tooLong);
    if (!(await buf.fill())) throw corrupt(ended);
  }
}

/** Drops everything up to and including the first boundary: it may start the body or follow a preamble. */
async function skipPreamble(buf: StreamBuffer, dash: Uint8Array): Promise<void> {
  const at = await seek(buf, dash, MAX_HEADER_BYTES, 'no opening boundary', 'no opening boundary');
  buf.skip(at - buf.start + dash.length);
}

/** After a boundary: whether `--` follows, which closes the body (otherwise a line end and a part follow). */
async function atClosingDelimiter(buf: StreamBuffer): Promise<boolean> {
  while (buf.length < 2) if (!(await buf.fill())) throw corrupt('ends after a boundary');
  return buf.bytes[buf.start] === 45 && buf.bytes[buf.start + 1] === 45;
}

/** Drops the rest of a boundary line: transport padding (spaces, tabs) may come before its CRLF. */
async function skipBoundaryLineEnd(buf: StreamBuffer): Promise<void> {
  const eol = await seek(buf, CRLF, 256, 'no line end after a boundary', 'ends after a boundary');
  buf.skip(eol - buf.start + 2);
}

/** A part's header block, up to and including the empty line that ends it. */
async function readPartHeaders(buf: StreamBuffer): Promise<Record<string, string>> {
  let headerEnd = -1;
  for (;;) {
    if (buf.length >= 2 && buf.bytes[buf.start] === 13 && buf.bytes[buf.start + 1] === 10) {
      headerEnd = buf.start;
      break;
    }
    headerEnd = indexOfBytes(buf.bytes, CRLF_CRLF, buf.start, buf.end);
    if (headerEnd >= 0) {
      headerEnd += 2;
      break;
    }
    if (buf.length > MAX_HEADER_BYTES) throw corrupt('a part header block is too long');
    if (!(await buf.fill())) throw corrupt('ends inside a part header');
  }
  const headers = parseHeaders(new TextDecoder('latin1').decode(buf.bytes.subarray(buf.start, headerEnd)));
  buf.skip(headerEnd - buf.start + 2);
  return headers;
}

/**
 * A part's body, up to the next delimiter, which is dropped too. Too-large as soon as more than `maxBytes`
 * are buffered without the delimiter, so a part beyond the bound is never held whole.
 */
async function readPartBody(buf: StreamBuffer, delimiter: Uint8Array, maxBytes: number): Promise<Uint8Array> {
  let scanFrom = buf.start;
  let bodyEnd = -1;
  for (;;) {
    bodyEnd = indexOfBytes(buf.bytes, delimiter, scanFrom, buf.end);
    if (bodyEnd >= 0) break;
    if (buf.length > maxBytes + delimiter.length) throw tooLarge(maxBytes);
    scanFrom = Math.max(buf.start, buf.end - delimiter.length + 1);
    const before = buf.start;
    if (!(await buf.fill())) throw corrupt('the body ends inside a part (no closing boundary)');
    scanFrom += buf.start - before;
  }
  const length = bodyEnd - buf.start;
  if (length > maxBytes) throw tooLarge(maxBytes);
  const body = buf.take(length);
  buf.skip(delimiter.length);
  return body;
}

function tooLarge(maxBytes: number): VoxmarkError {
  return new VoxmarkError(
    ErrorCode.TooLarge,
    `A part of the answer is larger than the ${maxBytes}-byte limit`,
  );
}

function parseHeaders(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    out[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return out;
}

/** A boundary that cannot occur in DICOM bytes by chance. */
export function makeBoundary(): string {
  const random = new Uint8Array(16);
  crypto.getRandomValues(random);
  return `voxmark-${[...random].map((b) => b.toString(16).padStart(2, '0')).join('')}`;
}

/** A multipart/related body of parts of one media type, as a Blob (parts are not copied). */
export function buildMultipart(parts: BlobPart[], partType: string, boundary: string): Blob {
  const chunks: BlobPart[] = [];
  for (const part of parts) {
    chunks.push(`--${boundary}\r\nContent-Type: ${partType}\r\n\r\n`, part, '\r\n');
  }
  chunks.push(`--${boundary}--\r\n`);
  return new Blob(chunks);
}
