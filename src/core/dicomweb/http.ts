/**
 * The one place DICOMweb requests go through: the host's `fetch` and headers, a timeout, bounded retries
 * for idempotent requests, abort, and HTTP status → VoxmarkError codes. Nothing here logs, and no error
 * message carries a header value, so tokens never reach a console or an error report.
 */
import { ErrorCode, VoxmarkError, isAbortError, throwIfAborted } from '../errors.js';

/** Headers, or a function that returns them for each request (for a token that refreshes). */
export type HeadersSource = HeadersInit | (() => HeadersInit | Promise<HeadersInit>);

/** How to reach a DICOMweb service: shared by every function of this module. */
export interface DicomWebConnection {
  /** The service root, e.g. `https://pacs.example.org/dicom-web` or `/dicom-web` (same origin, proxied). */
  url: string;
  /** Sent with every request: `{ Authorization: 'Bearer …' }`, or a function returning fresh ones. */
  headers?: HeadersSource;
  /** Used instead of the global `fetch` (to add auth, refresh a token, or route through a service worker). */
  fetch?: typeof fetch;
  /** Longest wait for one request, headers and body, in ms. Default 30 000. */
  timeoutMs?: number;
  /** Retries of a GET after a network error or a 5xx answer. Default 2 (3 attempts in all). */
  retries?: number;
}

export const DEFAULT_TIMEOUT_MS = 30_000;
export const DEFAULT_RETRIES = 2;
const RETRY_DELAYS_MS = [150, 600, 1500];

export interface RequestInit2 {
  method?: 'GET' | 'POST';
  accept: string;
  body?: BodyInit;
  contentType?: string;
  signal?: AbortSignal | undefined;
  /** Error statuses whose answer the caller reads itself (STOW's 409 carries the reasons). */
  acceptStatus?: number[];
}

/** A response whose body must be read before `signal` (the request's own: caller abort + timeout) fires. */
export interface OpenResponse {
  response: Response;
  signal: AbortSignal;
  /** Clears the timeout; call once the body is read (or abandoned). */
  done(): void;
  /** Why `signal` fired, as a VoxmarkError (aborted or timeout). */
  abortError(): VoxmarkError;
}

/** Joins the service root and a path (`/studies/…`), with a query. */
export function serviceUrl(root: string, path: string, query?: URLSearchParams): string {
  const base = root.replace(/\/+$/, '');
  const q = query && [...query.keys()].length > 0 ? `?${query.toString()}` : '';
  return `${base}${path}${q}`;
}

/** Percent-encodes a UID (or any path segment) after checking it is one. */
export function uidSegment(uid: string, what: string): string {
  if (typeof uid !== 'string' || !/^[0-9.]{1,64}$/.test(uid)) {
    throw new VoxmarkError(ErrorCode.InvalidArgument, `${what} is not a DICOM UID: ${JSON.stringify(uid)}`);
  }
  return uid;
}

/**
 * Sends a request and resolves once the response headers are in with a 2xx status. GETs are retried
 * (bounded) after network errors and 5xx answers; 401/403 reject with `unauthorized`, 404 with
 * `not-found`, 406/415 with `not-acceptable`, other failures with `fetch-failed`, a timeout with `timeout`,
 * an abort with `aborted`.
 */
export async function openRequest(
  connection: DicomWebConnection,
  url: string,
  init: RequestInit2,
): Promise<OpenResponse> {
  const doFetch = connection.fetch ?? globalThis.fetch.bind(globalThis);
  const method = init.method ?? 'GET';
  const retries = method === 'GET' ? Math.max(0, Math.min(5, connection.retries ?? DEFAULT_RETRIES)) : 0;
  const timeoutMs = connection.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  for (let attempt = 0; ; attempt++) {
    throwIfAborted(init.signal);
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
    const onAbort = () => controller.abort(init.signal?.reason);
    init.signal?.addEventListener('abort', onAbort, { once: true });
    const done = () => {
      clearTimeout(timer);
      init.signal?.removeEventListener('abort', onAbort);
    };
    const abortError = () =>
      timedOut
        ? new VoxmarkError(
            ErrorCode.Timeout,
            `No complete answer from ${describe(url)} within ${timeoutMs} ms`,
          )
        : new VoxmarkError(ErrorCode.Aborted, `The request to ${describe(url)} was aborted`, {
            cause: init.signal?.reason,
          });
    let response: Response;
    try {
      const headers = new Headers(await resolveHeaders(connection.headers));
      headers.set('Accept', init.accept);
      if (init.contentType) headers.set('Content-Type', init.contentType);
      response = await doFetch(url, {
        method,
        headers,
        ...(init.body === undefined ? {} : { body: init.body }),
        signal: controller.signal,
        credentials: 'same-origin',
      });
    } catch (e) {
      done();
      if (controller.signal.aborted) throw abortError();
      if (isAbortError(e)) throw abortError();
      if (e instanceof VoxmarkError) throw e;
      if (attempt < retries) {
        await delay(RETRY_DELAYS_MS[attempt] ?? 1500, init.signal);
        continue;
      }
      throw new VoxmarkError(ErrorCode.FetchFailed, `Could not reach ${describe(url)}`, { cause: e });
    }
    if (response.ok || init.acceptStatus?.includes(response.status))
      return { response, signal: controller.signal, done, abortError };
    done();
    void response.body?.cancel().catch(() => undefined);
    if (response.status >= 500 && attempt < retries) {
      await delay(RETRY_DELAYS_MS[attempt] ?? 1500, init.signal);
      continue;
    }
    throw statusError(response.status, url);
  }
}

/** The error for an HTTP status that is not a success. */
export function statusError(status: number, url: string): VoxmarkError {
  const where = describe(url);
  const details = { status };
  if (status === 401 || status === 403)
    return new VoxmarkError(ErrorCode.Unauthorized, `${where} refused the credentials (HTTP ${status})`, {
      details,
    });
  if (status === 404 || status === 410)
    return new VoxmarkError(ErrorCode.NotFound, `${where} was not found (HTTP ${status})`, { details });
  if (status === 406 || status === 415)
    return new VoxmarkError(
      ErrorCode.NotAcceptable,
      `${where} cannot answer in any of the requested media types (HTTP ${status})`,
      { details },
    );
  if (status === 408 || status === 504)
    return new VoxmarkError(ErrorCode.Timeout, `${where} timed out (HTTP ${status})`, { details });
  return new VoxmarkError(ErrorCode.FetchFailed, `${where} answered HTTP ${status}`, { details });
}

/** Reads a whole body, at most `maxBytes`, within the request's timeout. */
export async function readBody(open: OpenResponse, maxBytes: number): Promise<Uint8Array> {
  const { response } = open;
  try {
    const declared = Number(response.headers.get('Content-Length') ?? NaN);
    if (declared > maxBytes) throw tooLarge(maxBytes);
    const reader = response.body?.getReader();
    if (!reader) return new Uint8Array(0);
    const chunks: Uint8Array[] = [];
    let total = 0;
    for (;;) {
      const { done, value } = await readChunk(reader, open);
      if (done) break;
      total += value.byteLength;
      if (total > maxBytes) {
        void reader.cancel().catch(() => undefined);
        throw tooLarge(maxBytes);
      }
      chunks.push(value);
    }
    return concat(chunks, total);
  } finally {
    open.done();
  }
}

/** One read of a body stream; a stream that fails part-way is `corrupt` (a partial answer). */
export async function readChunk(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  open: OpenResponse,
): Promise<ReadableStreamReadResult<Uint8Array>> {
  try {
    return await reader.read();
  } catch (e) {
    if (open.signal.aborted) throw open.abortError();
    throw new VoxmarkError(ErrorCode.Corrupt, 'The answer was cut off before its end', { cause: e });
  }
}

/** Reads a JSON body (DICOM JSON for QIDO and metadata, the STOW answer). An empty body is `[]`. */
export async function readJson(open: OpenResponse, maxBytes: number): Promise<unknown> {
  if (open.response.status === 204) {
    open.done();
    return [];
  }
  const bytes = await readBody(open, maxBytes);
  if (bytes.length === 0) return [];
  const type = open.response.headers.get('Content-Type') ?? '';
  if (!/json/i.test(type)) {
    throw new VoxmarkError(
      ErrorCode.NotAcceptable,
      `Expected DICOM JSON, the server sent ${type.split(';')[0] || 'no content type'}`,
    );
  }
  try {
    return JSON.parse(new TextDecoder().decode(bytes)) as unknown;
  } catch (e) {
    throw new VoxmarkError(ErrorCode.Corrupt, 'The server sent malformed JSON', { cause: e });
  }
}

export function concat(chunks: Uint8Array[], total: number): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(total);
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.byteLength;
  }
  return out;
}

function tooLarge(maxBytes: number): VoxmarkError {
  return new VoxmarkError(ErrorCode.TooLarge, `The answer is larger than the ${maxBytes}-byte limit`);
}

async function resolveHeaders(source: HeadersSource | undefined): Promise<HeadersInit> {
  if (!source) return {};
  return typeof source === 'function' ? await source() : source;
}

/** The URL without its query (which may carry a token), for messages. */
function describe(url: string): string {
  return url.split('?')[0]!;
}

function delay(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(new VoxmarkError(ErrorCode.Aborted, 'The request was aborted', { cause: signal?.reason }));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
