/**
 * Error codes that voxmark reports. Stable strings: hosts may switch on them.
 */
export const ErrorCode = {
  NotAnImage: 'not-an-image',
  Truncated: 'truncated',
  Corrupt: 'corrupt',
  UnsupportedTransferSyntax: 'unsupported-transfer-syntax',
  Unsupported: 'unsupported',
  NoPixelData: 'no-pixel-data',
  TooLarge: 'too-large',
  Aborted: 'aborted',
  MixedSeries: 'mixed-series',
  CodecFailed: 'codec-failed',
  FetchFailed: 'fetch-failed',
  OutOfRange: 'out-of-range',
  InvalidSchema: 'invalid-schema',
  InvalidDocument: 'invalid-document',
  InvalidArgument: 'invalid-argument',
  ExportFailed: 'export-failed',
  BurnedInAnnotation: 'burned-in-annotation',
  Vetoed: 'vetoed',
  StorageFull: 'storage-full',
  StorageFailed: 'storage-failed',
  /** A dataset export met a stack that is not de-identified (see `exportDataset`'s `allowIdentified`). */
  NotDeidentified: 'not-deidentified',
  // DICOMweb and other archives
  Unauthorized: 'unauthorized',
  NotFound: 'not-found',
  Timeout: 'timeout',
  NotAcceptable: 'not-acceptable',
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export interface VoxmarkErrorOptions {
  cause?: unknown;
  /** Structured detail for hosts: the list of problems, the offending tag, and so on. */
  details?: unknown;
}

/**
 * The one error type voxmark throws or rejects with. `code` is stable; `message` is for people.
 */
export class VoxmarkError extends Error {
  readonly code: ErrorCode;
  readonly details?: unknown;

  constructor(code: ErrorCode, message: string, options: VoxmarkErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'VoxmarkError';
    this.code = code;
    if (options.details !== undefined) this.details = options.details;
  }

  static is(value: unknown, code?: ErrorCode): value is VoxmarkError {
    return value instanceof VoxmarkError && (code === undefined || value.code === code);
  }
}

/** Turns anything thrown (including plain objects and strings) into a VoxmarkError. */
export function toVoxmarkError(value: unknown, code: ErrorCode, context: string): VoxmarkError {
  if (value instanceof VoxmarkError) return value;
  if (isAbortError(value))
    return new VoxmarkError(ErrorCode.Aborted, `${context}: aborted`, { cause: value });
  let detail: string;
  if (value instanceof Error) detail = value.message;
  else if (typeof value === 'string') detail = value;
  else if (value && typeof value === 'object' && 'exception' in value)
    detail = String((value as { exception: unknown }).exception);
  else detail = String(value);
  return new VoxmarkError(code, `${context}: ${detail}`, { cause: value });
}

export function isAbortError(value: unknown): boolean {
  return (
    (value instanceof VoxmarkError && value.code === ErrorCode.Aborted) ||
    (typeof value === 'object' && value !== null && (value as { name?: unknown }).name === 'AbortError')
  );
}

/** Throws VoxmarkError('aborted') when the signal has fired. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted)
    throw new VoxmarkError(ErrorCode.Aborted, 'The operation was aborted', { cause: signal.reason });
}
