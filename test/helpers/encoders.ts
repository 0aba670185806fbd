/**
 * Third-party encoders for tests: the full builds of the cornerstone codecs (CharLS, OpenJPEG and
 * OpenJPH) make real compressed frames that voxmark's decoders must read back.
 */
import charlsFactory from '@cornerstonejs/codec-charls/wasmjs';
import openjpegFactory from '@cornerstonejs/codec-openjpeg/wasmjs';
import openjphFactory from '@cornerstonejs/codec-openjph/wasmjs';
import { factoryOf, instantiate } from '../../src/core/image/codecs/wasm.js';

export interface EncodeFrameInfo {
  width: number;
  height: number;
  bitsPerSample: number;
  componentCount: number;
  isSigned?: boolean;
  isUsingColorTransform?: boolean;
}

interface Encoder {
  getDecodedBuffer(info: EncodeFrameInfo): Uint8Array;
  getEncodedBuffer(): Uint8Array;
  encode(): void;
  delete(): void;
  setQuality?(lossless: boolean, quality: number): void;
  setNearLossless?(n: number): void;
  setInterleaveMode?(mode: number): void;
  setDecompositions?(n: number): void;
}

type Module = Record<string, new () => Encoder>;

const modules = new Map<string, Promise<Module>>();

function load(name: string, factory: unknown, wasm: string): Promise<Module> {
  let m = modules.get(name);
  if (!m) {
    m = fetch(`/node_modules/@cornerstonejs/${wasm}`)
      .then((r) => r.arrayBuffer())
      .then((bin) => instantiate(factoryOf<Module>(factory), bin));
    modules.set(name, m);
  }
  return m;
}

function samplesToBytes(samples: ArrayLike<number>, bits: number): Uint8Array {
  if (bits <= 8) return Uint8Array.from(samples);
  const out = new Uint8Array(samples.length * 2);
  const dv = new DataView(out.buffer);
  for (let i = 0; i < samples.length; i++) dv.setUint16(i * 2, samples[i]! & 0xffff, true);
  return out;
}

async function encodeWith(
  module: Promise<Module>,
  className: string,
  info: EncodeFrameInfo,
  samples: ArrayLike<number>,
  configure: (e: Encoder) => void,
): Promise<Uint8Array> {
  const m = await module;
  const encoder = new m[className]!();
  try {
    const full = { isSigned: false, isUsingColorTransform: false, ...info };
    encoder.getDecodedBuffer(full).set(samplesToBytes(samples, info.bitsPerSample));
    configure(encoder);
    encoder.encode();
    return encoder.getEncodedBuffer().slice();
  } finally {
    encoder.delete();
  }
}

/** JPEG-LS: `near` 0 is lossless; interleave mode 0 (none, planar), 1 (line) or 2 (sample). */
export function encodeJpegLs(info: EncodeFrameInfo, samples: ArrayLike<number>, near = 0, interleave = 2) {
  const m = load('charls', charlsFactory, 'codec-charls/dist/charlswasm.wasm');
  return encodeWith(m, 'JpegLSEncoder', info, samples, (e) => {
    e.setNearLossless!(near);
    if (info.componentCount > 1) e.setInterleaveMode!(interleave);
  });
}

export function encodeJ2k(info: EncodeFrameInfo, samples: ArrayLike<number>, lossless = true) {
  const m = load('openjpeg', openjpegFactory, 'codec-openjpeg/dist/openjpegwasm.wasm');
  return encodeWith(m, 'J2KEncoder', info, samples, (e) => {
    e.setQuality!(lossless, lossless ? 0 : 0.01);
    e.setDecompositions!(1); // test images are small
  });
}

export function encodeHtj2k(info: EncodeFrameInfo, samples: ArrayLike<number>, lossless = true) {
  const m = load('openjph', openjphFactory, 'codec-openjph/dist/openjphjs.wasm');
  return encodeWith(m, 'HTJ2KEncoder', info, samples, (e) => e.setQuality!(lossless, lossless ? 0 : 0.01));
}
