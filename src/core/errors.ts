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
  /** The technical text behind a plain-words `message` (a parser's own message), for developers and logs. */
  detail?: string;
  /** The name of the file the error is about. */
  file?: string;
}

/**
 * The one error type voxmark throws or rejects with. `code` is stable; `message` is for people. Errors
 * about one file name it (`file`) and say in plain words what is wrong ("CT_0003.dcm is not a DICOM or TIFF
 * image"), with the technical text in `detail`.
 */
export class VoxmarkError extends Error {
  readonly code: ErrorCode;
  readonly details?: unknown;
  /** The technical text behind `message` (for example the DICOM parser's), when there is one. */
  readonly detail?: string;
  /** The file the error is about, by name. */
  readonly file?: string;

  constructor(code: ErrorCode, message: string, options: VoxmarkErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'VoxmarkError';
    this.code = code;
    if (options.details !== undefined) this.details = options.details;
    if (options.detail !== undefined) this.detail = options.detail;
    if (options.file !== undefined) this.file = options.file;
  }

  static is(value: unknown, code?: ErrorCode): value is VoxmarkError {
    return value instanceof VoxmarkError && (code === undefined || value.code === code);
  }
}

/** What is wrong with a file, by error code, as the end of a sentence whose subject is the file. */
const FILE_PROBLEM: Partial<Record<ErrorCode, string>> = {
  [ErrorCode.NotAnImage]: 'is not a DICOM or TIFF image',
  [ErrorCode.Truncated]: 'is incomplete: it ends before the image does',
  [ErrorCode.Corrupt]: 'is damaged and cannot be read',
  [ErrorCode.UnsupportedTransferSyntax]: 'is compressed in a way this viewer cannot decode',
  [ErrorCode.Unsupported]: 'holds a kind of image that is not supported',
  [ErrorCode.NoPixelData]: 'holds no image (it has no pixel data)',
  [ErrorCode.TooLarge]: 'is too large to open here',
  [ErrorCode.FetchFailed]: 'could not be downloaded',
  [ErrorCode.CodecFailed]: 'could not be decoded',
};

/**
 * The plain-words sentence for `code` about the file `file` ("CT_0003.dcm is not a DICOM or TIFF image"), or
 * undefined for codes that are not about a file's content.
 */
export function fileProblem(code: ErrorCode, file: string): string | undefined {
  const problem = FILE_PROBLEM[code];
  return problem ? `${file} ${problem}` : undefined;
}

/**
 * The error `value` as one about the file `file`: a plain-words message naming it, the original message in
 * `detail`. Errors that are not about a file's content (aborted, too many, …) pass through unchanged.
 */
export function errorAboutFile(
  value: unknown,
  file: string,
  code: ErrorCode = ErrorCode.Corrupt,
): VoxmarkError {
  const e = toVoxmarkError(value, code, 'Could not read the file');
  const message = e.file === undefined ? fileProblem(e.code, file) : undefined;
  if (message === undefined) return e;
  return new VoxmarkError(e.code, message, {
    cause: e,
    detail: e.detail ?? e.message,
    file,
    ...(e.details === undefined ? {} : { details: e.details }),
  });
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
  return new VoxmarkError(code, `${context}: ${detail}`, { cause: value, detail });
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
