import {
  type CodecOutput,
  type WasmDecoder,
  WasmModuleCache,
  factoryOf,
  instantiate,
  loadWasmBinary,
  runWasmDecoder,
} from './wasm.js';

type DecoderModule<K extends string> = Record<K, new () => WasmDecoder>;

function samplesFrom(decoded: Uint8Array, bits: number, signed: boolean): CodecOutput['data'] {
  if (bits <= 8) return decoded;
  const copy = decoded.byteOffset % 2 === 0 ? decoded : decoded.slice();
  const n = Math.floor(copy.byteLength / 2);
  return signed
    ? new Int16Array(copy.buffer, copy.byteOffset, n)
    : new Uint16Array(copy.buffer, copy.byteOffset, n);
}

function makeCodec<K extends string>(
  name: string,
  className: K,
  loadModule: () => Promise<unknown>,
  wasmUrl: URL,
  inline: () => Promise<{ default: string }>,
): (bytes: Uint8Array) => Promise<CodecOutput> {
  // The binary is fetched once; a module instance is rebuilt from it after a failed decode.
  let binary: Promise<ArrayBuffer> | undefined;
  const cache = new WasmModuleCache<DecoderModule<K>>(name, async () => {
    binary ??= loadWasmBinary(name, wasmUrl, inline).catch((e: unknown) => {
      binary = undefined;
      throw e;
    });
    const [mod, wasm] = await Promise.all([loadModule(), binary]);
    return instantiate(factoryOf<DecoderModule<K>>(mod), wasm);
  });
  return async (bytes) => {
    const module = await cache.get();
    let decoder: WasmDecoder;
    try {
      decoder = new module[className]();
    } catch (e) {
      cache.reset();
      throw e;
    }
    let result;
    try {
      result = runWasmDecoder(decoder, bytes, name);
    } catch (e) {
      cache.reset(); // a trapped module may be unusable: start afresh next time
      throw e;
    }
    const { info, decoded, planar } = result;
    const signed = info.isSigned === true;
    return {
      data: samplesFrom(decoded, info.bitsPerSample, signed),
      width: info.width,
      height: info.height,
      samplesPerPixel: info.componentCount,
      bitsPerSample: info.bitsPerSample,
      signed,
      planar,
    };
  };
}

/** JPEG-LS lossless and near-lossless, by CharLS. */
export const decodeJpegLs = makeCodec(
  'JPEG-LS',
  'JpegLSDecoder',
  () => import('@cornerstonejs/codec-charls/decodewasmjs'),
  new URL(
    '../../../../node_modules/@cornerstonejs/codec-charls/dist/charlswasm_decode.wasm',
    import.meta.url,
  ),
  () => import('./inline/charls.js'),
);

/** JPEG 2000 (Part 1), lossless and lossy, by OpenJPEG. Inverse RCT/ICT is applied by the decoder. */
export const decodeJpeg2000 = makeCodec(
  'JPEG 2000',
  'J2KDecoder',
  () => import('@cornerstonejs/codec-openjpeg/decodewasmjs'),
  new URL(
    '../../../../node_modules/@cornerstonejs/codec-openjpeg/dist/openjpegwasm_decode.wasm',
    import.meta.url,
  ),
  () => import('./inline/openjpeg.js'),
);

/** High-throughput JPEG 2000 (HTJ2K), by OpenJPH. */
export const decodeHtj2k = makeCodec(
  'HTJ2K',
  'HTJ2KDecoder',
  () => import('@cornerstonejs/codec-openjph/wasmjs'),
  new URL('../../../../node_modules/@cornerstonejs/codec-openjph/dist/openjphjs.wasm', import.meta.url),
  () => import('./inline/openjph.js'),
);

const jpeg8 = makeCodec(
  'JPEG',
  'JPEGDecoder',
  () => import('@cornerstonejs/codec-libjpeg-turbo-8bit/decodewasmjs'),
  new URL(
    '../../../../node_modules/@cornerstonejs/codec-libjpeg-turbo-8bit/dist/libjpegturbowasm_decode.wasm',
    import.meta.url,
  ),
  () => import('./inline/libjpeg-turbo.js'),
);

/** 8-bit JPEG baseline and extended (DCT), by libjpeg-turbo, which converts YCbCr to RGB itself. */
export async function decodeJpeg8(bytes: Uint8Array): Promise<CodecOutput> {
  const out = await jpeg8(bytes);
  if (out.samplesPerPixel === 3) out.rgb = true;
  return out;
}
