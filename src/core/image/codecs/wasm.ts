import { ErrorCode, VoxmarkError, toVoxmarkError } from '../../errors.js';

/** The Emscripten module factory that the `@cornerstonejs/codec-*` packages export. */
export type EmscriptenFactory<M> = (options: {
  wasmBinary?: ArrayBuffer;
  locateFile?: (path: string, prefix: string) => string;
  print?: (text: string) => void;
  printErr?: (text: string) => void;
}) => Promise<M>;

/** Every Emscripten class instance must be freed by hand. */
export interface Deletable {
  delete(): void;
}

/** The decoder classes of the cornerstone codecs share this shape. */
export interface WasmDecoder extends Deletable {
  getEncodedBuffer(length: number): Uint8Array;
  getDecodedBuffer(): Uint8Array;
  decode(): void;
  getFrameInfo(): {
    width: number;
    height: number;
    bitsPerSample: number;
    componentCount: number;
    isSigned?: boolean;
  };
}

const WASM_MAGIC = [0x00, 0x61, 0x73, 0x6d];

function isWasm(bytes: ArrayBuffer): boolean {
  const b = new Uint8Array(bytes, 0, Math.min(4, bytes.byteLength));
  return b.length === 4 && WASM_MAGIC.every((m, i) => b[i] === m);
}

function fromBase64(text: string): ArrayBuffer {
  const binary = atob(text);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out.buffer;
}

/**
 * Finds a codec's WebAssembly binary. First at `url` (next to the code that asks for it: `node_modules`
 * in development, the codec chunk in `dist/`, or wherever the host bundler copied it), then, if that
 * fails (a bundler that moved the code but not the file), in the inline base64 copy that the package
 * build embeds in a separate lazily loaded chunk.
 */
export async function loadWasmBinary(
  name: string,
  url: URL,
  inline: () => Promise<{ default: string }>,
): Promise<ArrayBuffer> {
  let problem = '';
  try {
    const response = await fetch(url);
    if (response.ok) {
      const bytes = await response.arrayBuffer();
      if (isWasm(bytes)) return bytes;
      problem = `${url.href} is not WebAssembly`;
    } else {
      problem = `${url.href}: HTTP ${response.status}`;
    }
  } catch (e) {
    problem = `${url.href}: ${e instanceof Error ? e.message : String(e)}`;
  }
  try {
    const { default: b64 } = await inline();
    if (b64) {
      const bytes = fromBase64(b64);
      if (isWasm(bytes)) return bytes;
    }
  } catch {
    /* no inline copy in this build */
  }
  throw new VoxmarkError(ErrorCode.CodecFailed, `Could not load the ${name} decoder (${problem})`);
}

/**
 * Instantiates an Emscripten codec module once and shares it. When a decode fails, call `reset` so the
 * next frame gets a fresh module: a trapped module may be left in a broken state.
 */
export class WasmModuleCache<M> {
  #promise: Promise<M> | undefined;
  constructor(
    private readonly name: string,
    private readonly create: () => Promise<M>,
  ) {}

  get(): Promise<M> {
    this.#promise ??= this.create().catch((e: unknown) => {
      this.#promise = undefined;
      throw toVoxmarkError(e, ErrorCode.CodecFailed, `Could not start the ${this.name} decoder`);
    });
    return this.#promise;
  }

  reset(): void {
    this.#promise = undefined;
  }
}

/** Instantiates an Emscripten factory with an already loaded binary, keeping its console output quiet. */
export function instantiate<M>(factory: EmscriptenFactory<M>, wasmBinary: ArrayBuffer): Promise<M> {
  return factory({
    wasmBinary,
    locateFile: (path) => path,
    print: () => undefined,
    printErr: () => undefined,
  });
}

/** The CommonJS codec packages reach ESM as a namespace, a default export, or a default of a default. */
export function factoryOf<M>(mod: unknown): EmscriptenFactory<M> {
  let f: unknown = mod;
  for (let i = 0; i < 3 && typeof f !== 'function' && f && typeof f === 'object'; i++) {
    f = (f as { default?: unknown }).default;
  }
  if (typeof f !== 'function') {
    throw new VoxmarkError(ErrorCode.CodecFailed, 'Codec module has no factory export');
  }
  return f as EmscriptenFactory<M>;
}

/** The decoded result of a codec, before DICOM post-processing. */
export interface CodecOutput {
  /** Decoded samples, interleaved, little-endian when bytes; a typed array of the codec's sample size. */
  data: Uint8Array | Uint16Array | Int16Array | Uint32Array | Int32Array;
  width: number;
  height: number;
  samplesPerPixel: number;
  bitsPerSample: number;
  /** The codestream says samples are signed (J2K); otherwise unsigned bit patterns. */
  signed: boolean;
  /** Colour was already converted to RGB by the codec (JPEG with YCbCr). */
  rgb?: boolean;
  /** Samples come one plane per component rather than interleaved. */
  planar?: boolean;
}

/**
 * Runs one decode on a cornerstone Emscripten decoder class: copy in, decode, copy out, free. The decoded
 * buffer is copied out of wasm memory, which the next decode may reuse.
 */
export function runWasmDecoder(
  decoder: WasmDecoder,
  bytes: Uint8Array,
  name: string,
): { info: ReturnType<WasmDecoder['getFrameInfo']>; decoded: Uint8Array; planar: boolean } {
  try {
    decoder.getEncodedBuffer(bytes.length).set(bytes);
    decoder.decode();
    const info = decoder.getFrameInfo();
    const decoded = decoder.getDecodedBuffer().slice();
    // The cornerstone builds always hand colour back interleaved (CharLS too, whatever the stream's
    // interleave mode): tests encode planar, line- and sample-interleaved JPEG-LS to check it.
    return { info, decoded, planar: false };
  } catch (e) {
    throw toVoxmarkError(e, ErrorCode.CodecFailed, `${name} could not decode the frame`);
  } finally {
    try {
      decoder.delete();
    } catch {
      /* already gone */
    }
  }
}
