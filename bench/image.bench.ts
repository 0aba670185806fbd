/**
 * Image pipeline benchmarks: a 512×512×300 CT series (uncompressed and JPEG-LS) and 512×512 and 4096×4096
 * 16-bit TIFFs (raw, deflate, LZW), all built in memory. Each figure has a baseline: bare dicom-parser (plus
 * CharLS for JPEG-LS) or bare geotiff doing the same work in the same run.
 */
import { fromArrayBuffer } from 'geotiff';
import { loadImageStack } from '../src/core/load.js';
import dicomParser from '../src/core/dicom/dicom-parser.js';
import { factoryOf, instantiate } from '../src/core/image/codecs/wasm.js';
import { buildDicom, imageElements, TS, type El } from '../test/helpers/dicom-builder.js';
import { buildTiff, type Compression } from '../test/helpers/tiff-builder.js';
import { deflateZeroRun } from '../test/helpers/deflate-bomb.js';
import { encodeJ2k } from '../test/helpers/encoders.js';
import { createDecodeWorkerPool, type DecodeWorkerPool } from '../src/core/image/codecs/worker-pool.js';
import { gc, memory, mib, time, timeBoth, wants, type Report } from './harness.js';

const SLICES = 300;
const SIZE = 512;

/** A smooth CT-like slice (a body ellipse with organs and noise), stored values 0…4095 (HU + 1024). */
function ctSlice(z: number, size = SIZE): Uint16Array {
  const out = new Uint16Array(size * size);
  let seed = (z + 1) * 2654435761;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      seed = (seed * 1103515245 + 12345) >>> 0;
      const noise = ((seed >>> 16) % 21) - 10;
      const dx = (x - size / 2) / (size * 0.42);
      const dy = (y - size / 2) / (size * 0.32);
      const r = dx * dx + dy * dy;
      let hu = -1000;
      if (r < 1) {
        hu = 40 + 30 * Math.sin(x / 23 + z / 17) * Math.cos(y / 31);
        const lx = (Math.abs(x - size / 2) - size * 0.18) / (size * 0.1);
        const ly = (y - size * 0.45) / (size * 0.15);
        if (lx * lx + ly * ly < 1) hu = -800;
        if (r > 0.85) hu = 700;
      }
      out[y * size + x] = Math.max(0, Math.min(4095, Math.round(hu + 1024 + noise)));
    }
  }
  return out;
}

function ctElements(z: number, pixelData: El | undefined): El[] {
  const extra: El[] = [
    { tag: 0x00080016, vr: 'UI', value: '1.2.840.10008.5.1.4.1.1.2' },
    { tag: 0x00080018, vr: 'UI', value: `1.2.826.0.1.3680043.2.1125.9.${z + 1}` },
    { tag: 0x00080060, vr: 'CS', value: 'CT' },
    { tag: 0x00100020, vr: 'LO', value: 'BENCH' },
    { tag: 0x0020000d, vr: 'UI', value: '1.2.826.0.1.3680043.2.1125.1' },
    { tag: 0x0020000e, vr: 'UI', value: '1.2.826.0.1.3680043.2.1125.2' },
    { tag: 0x00200013, vr: 'IS', value: String(z + 1) },
    { tag: 0x00200032, vr: 'DS', value: `-180\\-180\\${(z * 1.25).toFixed(2)}` },
    { tag: 0x00200037, vr: 'DS', value: '1\\0\\0\\0\\1\\0' },
    { tag: 0x00280030, vr: 'DS', value: '0.7\\0.7' },
    { tag: 0x00281050, vr: 'DS', value: '40' },
    { tag: 0x00281051, vr: 'DS', value: '400' },
    { tag: 0x00281052, vr: 'DS', value: '-1024' },
    { tag: 0x00281053, vr: 'DS', value: '1' },
  ];
  const els = imageElements({ rows: SIZE, columns: SIZE, bitsAllocated: 16, bitsStored: 12, extra });
  return pixelData ? [...els, pixelData] : els;
}

/** An uncompressed explicit-VR-little-endian CT slice: header from the test builder, pixel data appended. */
function uncompressedSlice(z: number): Uint8Array {
  const head = buildDicom(ctElements(z, undefined), { transferSyntax: TS.explicitLE });
  const pixels = new Uint8Array(ctSlice(z).buffer);
  const out = new Uint8Array(head.length + 12 + pixels.length);
  out.set(head);
  const view = new DataView(out.buffer);
  let p = head.length;
  view.setUint16(p, 0x7fe0, true);
  view.setUint16(p + 2, 0x0010, true);
  out[p + 4] = 0x4f; // 'O'
  out[p + 5] = 0x57; // 'W'
  view.setUint32(p + 8, pixels.length, true);
  p += 12;
  out.set(pixels, p);
  return out;
}

interface CharLsModule {
  JpegLSEncoder: new () => {
    getDecodedBuffer(info: {
      width: number;
      height: number;
      bitsPerSample: number;
      componentCount: number;
    }): Uint8Array;
    setNearLossless(n: number): void;
    encode(): void;
    getEncodedBuffer(): Uint8Array;
    delete(): void;
  };
  JpegLSDecoder: new () => {
    getEncodedBuffer(n: number): Uint8Array;
    decode(): void;
    getDecodedBuffer(): Uint8Array;
    delete(): void;
  };
}

async function bareModule<T>(module: Promise<unknown>, wasmPath: string): Promise<T> {
  const mod = await module;
  const wasm = await (await fetch(`/node_modules/@cornerstonejs/${wasmPath}`)).arrayBuffer();
  return instantiate(factoryOf<T>(mod), wasm);
}

function charls(): Promise<CharLsModule> {
  return bareModule<CharLsModule>(
    import('@cornerstonejs/codec-charls/wasmjs'),
    'codec-charls/dist/charlswasm.wasm',
  );
}

function jpegLsSlice(z: number, codec: CharLsModule): Uint8Array {
  const enc = new codec.JpegLSEncoder();
  const input = enc.getDecodedBuffer({ width: SIZE, height: SIZE, bitsPerSample: 16, componentCount: 1 });
  input.set(new Uint8Array(ctSlice(z).buffer));
  enc.setNearLossless(0);
  enc.encode();
  const encoded = enc.getEncodedBuffer().slice();
  enc.delete();
  const pixelData: El = { tag: 0x7fe00010, vr: 'OB', encapsulated: { offsets: [], fragments: [encoded] } };
  return buildDicom(ctElements(z, pixelData), { transferSyntax: TS.jpegLs });
}

/** Bare dicom-parser: parse every file, sort by position, then hand out frames. */
function bareSeries(files: Uint8Array[]) {
  const parsed = files.map((bytes) => {
    const ds = dicomParser.parseDicom(bytes);
    const ipp = ds.string('x00200032')!.split('\\').map(Number);
    return { ds, z: ipp[2]!, bytes };
  });
  parsed.sort((a, b) => a.z - b.z);
  return parsed;
}

/** Bare dicom-parser's pixels as most viewers take them: a copy of the element's bytes as a Uint16Array. */
function bareNativeFrame(entry: ReturnType<typeof bareSeries>[number]): Uint16Array {
  const el = entry.ds.elements.x7fe00010!;
  const copy = entry.bytes.slice(el.dataOffset, el.dataOffset + el.length);
  return new Uint16Array(copy.buffer);
}

/** The least a reader can do: a Uint16Array view over the element (no copy, and no masking to Bits Stored). */
function bareNativeView(entry: ReturnType<typeof bareSeries>[number]): Uint16Array {
  const el = entry.ds.elements.x7fe00010!;
  const { bytes } = entry;
  return new Uint16Array(bytes.buffer, bytes.byteOffset + el.dataOffset, el.length >> 1);
}

/** A cornerstone codec decoder class (CharLS JpegLSDecoder, OpenJPEG J2KDecoder): the bare codec API. */
type BareDecoderClass = new () => {
  getEncodedBuffer(n: number): Uint8Array;
  decode(): void;
  getDecodedBuffer(): Uint8Array;
  delete(): void;
};

/** Bare codec on this thread: the frame's fragment from dicom-parser, decoded, copied out as a typed array. */
function bareCodecFrame(
  entry: ReturnType<typeof bareSeries>[number],
  Decoder: BareDecoderClass,
): Uint16Array {
  const el = entry.ds.elements.x7fe00010!;
  const fragment = dicomParser.readEncapsulatedPixelDataFromFragments(entry.ds, el, 0, el.fragments!.length);
  const dec = new Decoder();
  dec.getEncodedBuffer(fragment.length).set(fragment);
  dec.decode();
  const out = dec.getDecodedBuffer().slice();
  dec.delete();
  return new Uint16Array(out.buffer);
}

/** Every frame of the stack, requested at once (as a volume, a reformat or a prefetch asks for them). */
async function allFrames(stack: Awaited<ReturnType<typeof loadImageStack>>) {
  const frames = [];
  for (let i = 0; i < stack.depth; i++) frames.push(stack.getFrame(i));
  return Promise.all(frames);
}

async function seriesBench(
  report: Report,
  label: string,
  files: Uint8Array[],
  bareFrame: (e: ReturnType<typeof bareSeries>[number]) => Uint16Array,
  decodePool?: DecodeWorkerPool,
) {
  const group = `dicom ${label}`;
  const slices = files.length;
  const options = decodePool ? { decodePool } : {};
  const it = { iterations: 5, warmup: 1 };
  const first = await time(async () => {
    const stack = await loadImageStack(files, options);
    await stack.getFrame(0);
  }, it);
  const bareFirst = await time(() => bareFrame(bareSeries(files)[0]!), it);
  report({
    group,
    name: `${SIZE}×${SIZE}×${slices}: load + first frame`,
    value: first.median,
    unit: 'ms',
    baseline: bareFirst.median,
    note: 'target < 50 ms',
  });

  const mid = await time(async () => {
    const stack = await loadImageStack(files, options);
    await stack.getFrame(slices >> 1);
  }, it);
  report({
    group,
    name: `${SIZE}×${SIZE}×${slices}: load + middle frame`,
    value: mid.median,
    unit: 'ms',
    baseline: bareFirst.median,
  });

  // Alternating runs of ours and the baseline, so that the machine's load falls on both alike.
  const [all, bareAll] = await timeBoth(
    async () => allFrames(await loadImageStack(files, options)),
    () => {
      const series = bareSeries(files);
      for (const e of series) bareFrame(e);
    },
    { iterations: 3, warmup: 1 },
  );
  report({
    group,
    name: `${SIZE}×${SIZE}×${slices}: all frames`,
    value: all.median,
    unit: 'ms',
    baseline: bareAll.median,
    note: decodePool
      ? `${decodePool.size} decode workers, ${navigator.hardwareConcurrency} threads; target ≤ 0.7×`
      : 'target ≤ 1.2×',
  });

  if (!decodePool) {
    // A stricter baseline than copying: bare views, which skip the copy and the Bits Stored check.
    const [ours, views] = await timeBoth(
      async () => allFrames(await loadImageStack(files, options)),
      () => {
        for (const e of bareSeries(files)) bareNativeView(e);
      },
      { iterations: 3, warmup: 1 },
    );
    report({
      group,
      name: `${SIZE}×${SIZE}×${slices}: all frames, against bare views`,
      value: ours.median,
      unit: 'ms',
      baseline: views.median,
      note: 'baseline: dicom-parser + a view per frame, no copy, no Bits Stored check',
    });
  }

  gc();
  const m0 = await memory();
  const stack = await loadImageStack(files, options);
  await allFrames(stack);
  const m1 = await memory();
  const bareKeep: Uint16Array[] = [];
  const m2 = await memory();
  for (const e of bareSeries(files)) bareKeep.push(bareFrame(e));
  const m3 = await memory();
  report({
    group,
    name: `${SIZE}×${SIZE}×${slices}: memory, all frames decoded`,
    value: mib(m1.bytes - m0.bytes),
    unit: 'MiB',
    baseline: mib(m3.bytes - m2.bytes),
    note: `${m1.source}; frames kept ${stack.depth}/${bareKeep.length}`,
  });
}

async function tiffBench(report: Report, size: number, compression: Compression) {
  const data = new Uint16Array(size * size);
  const tile = ctSlice(7);
  for (let y = 0; y < size; y++)
    for (let x = 0; x < size; x++) data[y * size + x] = tile[(y % SIZE) * SIZE + (x % SIZE)]! * 16;
  // Strips of about 64 KiB, as common writers make them.
  const rowsPerStrip = Math.max(1, Math.floor(65536 / (size * 2)));
  const bytes = await buildTiff([
    {
      width: size,
      height: size,
      bits: 16,
      data,
      compression,
      predictor: compression === 'none' ? 1 : 2,
      rowsPerStrip,
    },
  ]);
  const group = 'tiff uint16';
  const name = `${size}×${size} ${compression}${compression === 'none' ? '' : ' + predictor'}`;
  const it = size > 1024 ? { iterations: 3, warmup: 1 } : { iterations: 10, warmup: 2 };
  let check: ArrayLike<number> | undefined;
  const ours = await time(async () => {
    const stack = await loadImageStack(bytes);
    check = (await stack.getFrame(0)).data;
  }, it);
  const bare = await time(async () => {
    const tiff = await fromArrayBuffer(bytes.buffer as ArrayBuffer);
    const image = await tiff.getImage(0);
    await image.readRasters({ interleave: true });
  }, it);
  if (!check || check[12345 % check.length] !== data[12345 % data.length])
    throw new Error(`${name}: wrong pixels`);
  report({
    group,
    name: `${name}: first frame`,
    value: ours.median,
    unit: 'ms',
    baseline: bare.median,
    note: `${(bytes.length / 1024).toFixed(0)} KiB file`,
  });

  gc();
  const m0 = await memory();
  const stack = await loadImageStack(bytes);
  const frame = await stack.getFrame(0);
  const m1 = await memory();
  const tiff = await fromArrayBuffer(bytes.buffer as ArrayBuffer);
  const raster = await (await tiff.getImage(0)).readRasters({ interleave: true });
  const m2 = await memory();
  report({
    group,
    name: `${name}: memory`,
    value: mib(m1.bytes - m0.bytes),
    unit: 'MiB',
    baseline: mib(m2.bytes - m1.bytes),
    note: `${m1.source}; ${frame.data.length === raster.length ? 'same' : 'different'} sample count`,
  });
}

/** A 512×512×300 uint16 multi-page TIFF stack (deflate + predictor): first frame and all frames. */
async function tiffStackBench(report: Report) {
  const pages = [];
  for (let z = 0; z < SLICES; z++) {
    const slice = ctSlice(z);
    pages.push({
      width: SIZE,
      height: SIZE,
      bits: 16,
      data: slice,
      compression: 'deflate' as const,
      predictor: 2 as const,
      rowsPerStrip: 64,
    });
  }
  const bytes = await buildTiff(pages);
  const group = 'tiff stack';
  const name = `${SIZE}×${SIZE}×${SLICES} deflate + predictor`;
  const it = { iterations: 5, warmup: 1 };
  const first = await time(async () => {
    const stack = await loadImageStack(bytes);
    await stack.getFrame(0);
  }, it);
  const bareFirst = await time(async () => {
    const tiff = await fromArrayBuffer(bytes.buffer as ArrayBuffer);
    await tiff.getImageCount();
    await (await tiff.getImage(0)).readRasters({ interleave: true });
  }, it);
  report({
    group,
    name: `${name}: load + first frame`,
    value: first.median,
    unit: 'ms',
    baseline: bareFirst.median,
    note: 'baseline counts pages with getImageCount, as a stack must',
  });
  const all = await time(
    async () => {
      const stack = await loadImageStack(bytes);
      for (let i = 0; i < stack.depth; i++) await stack.getFrame(i);
    },
    { iterations: 2, warmup: 1 },
  );
  const bareAll = await time(
    async () => {
      const tiff = await fromArrayBuffer(bytes.buffer as ArrayBuffer);
      const n = await tiff.getImageCount();
      for (let i = 0; i < n; i++) await (await tiff.getImage(i)).readRasters({ interleave: true });
    },
    { iterations: 2, warmup: 1 },
  );
  report({ group, name: `${name}: all frames`, value: all.median, unit: 'ms', baseline: bareAll.median });
}

export default async function run(report: Report): Promise<void> {
  if (wants('dicom deflate bomb')) await deflateBombBench(report);
  if (wants('tiff stack')) await tiffStackBench(report);
  if (wants('tiff uint16')) {
    for (const size of [512, 4096]) {
      for (const compression of ['none', 'deflate', 'lzw'] as const)
        await tiffBench(report, size, compression);
    }
  }

  if (wants('dicom uncompressed')) {
    const files: Uint8Array[] = [];
    for (let z = 0; z < SLICES; z++) files.push(uncompressedSlice((z * 7) % SLICES)); // shuffled order
    await seriesBench(report, 'uncompressed', files, bareNativeFrame);
  }

  // Compressed series decode in a pool of the default size, made once as a host makes it on page load.
  const pool = createDecodeWorkerPool(
    () => new Worker(new URL('./decode-worker.ts', import.meta.url), { type: 'module' }),
  );
  try {
    if (wants('dicom JPEG-LS')) await jpegLsBench(report, pool);
    if (wants('dicom JPEG 2000')) await j2kBench(report, pool);
  } finally {
    pool.terminate();
  }
}

async function jpegLsBench(report: Report, pool: DecodeWorkerPool) {
  let codec: CharLsModule;
  try {
    codec = await charls();
  } catch (e) {
    report({ group: 'dicom JPEG-LS', name: 'skipped', value: 0, unit: '', note: `no CharLS: ${String(e)}` });
    return;
  }
  const jls: Uint8Array[] = [];
  for (let z = 0; z < SLICES; z++) jls.push(jpegLsSlice((z * 7) % SLICES, codec));
  await seriesBench(report, 'JPEG-LS', jls, (e) => bareCodecFrame(e, codec.JpegLSDecoder), pool);
}

/** JPEG 2000 (OpenJPEG, lossless): fewer slices, as each takes several times a JPEG-LS frame. */
async function j2kBench(report: Report, pool: DecodeWorkerPool) {
  const slices = 30;
  const files: Uint8Array[] = [];
  for (let z = 0; z < slices; z++) {
    const info = { width: SIZE, height: SIZE, bitsPerSample: 16, componentCount: 1 };
    const encoded = await encodeJ2k(info, ctSlice((z * 7) % slices));
    const pixelData: El = { tag: 0x7fe00010, vr: 'OB', encapsulated: { offsets: [], fragments: [encoded] } };
    files.push(buildDicom(ctElements((z * 7) % slices, pixelData), { transferSyntax: TS.j2k }));
  }
  const openjpeg = await bareModule<{ J2KDecoder: BareDecoderClass }>(
    import('@cornerstonejs/codec-openjpeg/wasmjs'),
    'codec-openjpeg/dist/openjpegwasm.wasm',
  );
  await seriesBench(report, 'JPEG 2000', files, (e) => bareCodecFrame(e, openjpeg.J2KDecoder), pool);
}

/**
 * A 1 MB deflated DICOM that inflates to a gigabyte of zeros: how long until it is refused with too-large.
 * The baseline is inflating the same stream in full with DecompressionStream, which is what a reader without
 * a budget does before it even starts parsing.
 */
async function deflateBombBench(report: Report) {
  const meta = buildDicom([], { transferSyntax: TS.deflated });
  const stream = deflateZeroRun(new Uint8Array(0), 1024 * 1024 * 1024);
  const file = new Uint8Array(meta.length + stream.length);
  file.set(meta);
  file.set(stream, meta.length);
  let code = '';
  const refused = await time(
    async () => {
      try {
        await loadImageStack(file);
      } catch (e) {
        code = (e as { code?: string }).code ?? String(e);
      }
    },
    { iterations: 3, warmup: 1 },
  );
  const full = await time(
    async () => {
      const inflated = new Blob([stream as BlobPart])
        .stream()
        .pipeThrough(new DecompressionStream('deflate-raw'));
      const reader = inflated.getReader();
      while (!(await reader.read()).done) {
        // discard: only the time to inflate everything counts
      }
    },
    { iterations: 1, warmup: 0 },
  );
  report({
    group: 'dicom deflate bomb',
    name: `${(file.length / 1e6).toFixed(2)} MB → 1 GiB of zeros: refused (${code})`,
    value: refused.median,
    unit: 'ms',
    baseline: full.median,
    note: 'target ≤ 1000 ms; baseline: inflating it in full',
  });
}
