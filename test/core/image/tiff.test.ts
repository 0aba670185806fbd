/**
 * TIFF reading through loadImageStack: synthetic files with known values, built byte by byte, covering sample
 * types, byte orders, BigTIFF, strips and tiles, chunky and planar RGB, compressions, predictors, multi-page
 * stacks and the metadata that gives the physical pixel size.
 */
import { expect } from '@open-wc/testing';
import { loadImageStack } from '../../../src/core/load.js';
import { VoxmarkError } from '../../../src/core/errors.js';
import type { ImageStack, PixelArray } from '../../../src/core/image/types.js';
import { buildTiff, type Compression, type TiffPageSpec } from '../../helpers/tiff-builder.js';
import { decodeLzw } from '../../../src/core/image/tiff/decoders.js';
import { encodeLzw } from '../../helpers/tiff-builder.js';

const W = 37;
const H = 23;

/** Deterministic values that exercise the whole range of a type, including its extremes. */
function values(n: number, kind: string, seed = 1): number[] {
  const out: number[] = [];
  let s = seed * 2654435761;
  const rnd = () => {
    s = (s * 1103515245 + 12345) >>> 0;
    return s / 2 ** 32;
  };
  const [lo, hi] = {
    uint8: [0, 255],
    int8: [-128, 127],
    uint16: [0, 65535],
    int16: [-32768, 32767],
    uint32: [0, 4294967295],
    int32: [-2147483648, 2147483647],
    float32: [-1e6, 1e6],
    float64: [-1e12, 1e12],
  }[kind]!;
  for (let i = 0; i < n; i++) {
    if (i === 0) out.push(lo);
    else if (i === 1) out.push(hi);
    else if (kind.startsWith('float')) {
      const v = lo + (hi - lo) * rnd();
      out.push(kind === 'float32' ? Math.fround(v) : v);
    } else out.push(Math.floor(lo + (hi - lo + 1) * rnd()));
  }
  return out;
}

const KINDS: Record<string, { bits: number; format: number }> = {
  uint8: { bits: 8, format: 1 },
  int8: { bits: 8, format: 2 },
  uint16: { bits: 16, format: 1 },
  int16: { bits: 16, format: 2 },
  uint32: { bits: 32, format: 1 },
  int32: { bits: 32, format: 2 },
  float32: { bits: 32, format: 3 },
  float64: { bits: 64, format: 3 },
};

function page(kind: string, extra: Partial<TiffPageSpec> = {}, seed = 1): TiffPageSpec {
  const { bits, format } = KINDS[kind]!;
  const samples = extra.samples ?? 1;
  return { width: W, height: H, bits, format, data: values(W * H * samples, kind, seed), ...extra };
}

function expectSamples(actual: PixelArray, expected: ArrayLike<number>, what: string) {
  expect(actual.length, `${what}: length`).to.equal(expected.length);
  for (let i = 0; i < expected.length; i++) {
    if (actual[i] !== expected[i]) {
      expect.fail(`${what}: sample ${i} is ${actual[i]}, expected ${expected[i]}`);
    }
  }
}

async function load(bytes: Uint8Array): Promise<ImageStack> {
  return loadImageStack(bytes);
}

describe('TIFF: sample types and byte orders', () => {
  for (const kind of Object.keys(KINDS)) {
    for (const littleEndian of [true, false]) {
      it(`reads ${kind} ${littleEndian ? 'little' : 'big'}-endian exactly`, async () => {
        const p = page(kind, { rowsPerStrip: 5 });
        const stack = await load(await buildTiff([p], { littleEndian }));
        expect(stack.format).to.equal('tiff');
        expect(stack.dataType).to.equal(kind);
        expect([stack.width, stack.height, stack.depth, stack.samplesPerPixel]).to.deep.equal([W, H, 1, 1]);
        const frame = await stack.getFrame(0);
        expect(frame.rescaleSlope).to.equal(1);
        expect(frame.rescaleIntercept).to.equal(0);
        expectSamples(frame.data, p.data, kind);
        expect(stack.metadata.littleEndian).to.equal(littleEndian);
      });
    }
  }

  it('reports the stored range of integer types', async () => {
    const s16 = await load(await buildTiff([page('int16')]));
    expect(s16.metadata.storedRange).to.deep.equal([-32768, 32767]);
    expect(s16.metadata.pixelRepresentation).to.equal(1);
    const u8 = await load(await buildTiff([page('uint8')]));
    expect(u8.metadata.storedRange).to.deep.equal([0, 255]);
    expect(u8.metadata.photometricInterpretation).to.equal('MONOCHROME2');
  });

  for (const bigEndian of [false, true]) {
    it(`reads BigTIFF (${bigEndian ? 'big' : 'little'}-endian)`, async () => {
      const p = page('uint16', { tile: [16, 16] });
      const stack = await load(
        await buildTiff([p, page('uint16', {}, 2)], { bigTiff: true, littleEndian: !bigEndian }),
      );
      expect(stack.metadata.bigTiff).to.equal(true);
      expect(stack.depth).to.equal(2);
      expectSamples((await stack.getFrame(0)).data, p.data, 'bigtiff page 0');
      expectSamples((await stack.getFrame(1)).data, values(W * H, 'uint16', 2), 'bigtiff page 1');
    });
  }
});

describe('TIFF: packed integers and half floats', () => {
  for (const [bits, type] of [
    [1, 'uint8'],
    [4, 'uint8'],
    [12, 'uint16'],
  ] as const) {
    for (const [compression, littleEndian] of [
      ['none', true],
      ['none', false],
      ['lzw', true],
      ['lzw', false],
    ] as const) {
      it(`unpacks ${bits}-bit samples (${compression}, ${littleEndian ? 'LE' : 'BE'}) into ${type}`, async () => {
        const data = values(W * H, 'uint16').map((v) => v % 2 ** bits);
        const p: TiffPageSpec = { width: W, height: H, bits, data, rowsPerStrip: 5, compression };
        const stack = await load(await buildTiff([p], { littleEndian }));
        expect(stack.dataType).to.equal(type);
        expect(stack.metadata.storedRange).to.deep.equal([0, 2 ** bits - 1]);
        expectSamples((await stack.getFrame(0)).data, data, `${bits}-bit`);
      });
    }
  }

  for (const littleEndian of [true, false]) {
    it(`reads 16-bit floats as float32 (${littleEndian ? 'LE' : 'BE'})`, async () => {
      const palette = [0, 1, -2.5, 0.5, 65504, -0.125, 1000.5, 3.140625];
      const data = Array.from({ length: W * H }, (_, i) => palette[i % palette.length]!);
      const p: TiffPageSpec = { width: W, height: H, bits: 16, format: 3, data };
      const stack = await load(await buildTiff([p], { littleEndian }));
      expect(stack.dataType).to.equal('float32');
      expectSamples((await stack.getFrame(0)).data, data, 'float16');
    });
  }
});

describe('TIFF: layout', () => {
  it('reads tiles, including partial edge tiles', async () => {
    const p = page('int16', { tile: [16, 16] });
    const stack = await load(await buildTiff([p]));
    expect(stack.metadata.tiled).to.equal(true);
    expectSamples((await stack.getFrame(0)).data, p.data, 'tiled');
  });

  for (const planar of [1, 2] as const) {
    for (const kind of ['uint8', 'uint16']) {
      it(`delivers ${planar === 1 ? 'chunky' : 'planar'} ${kind} RGB interleaved`, async () => {
        const p = page(kind, { samples: 3, planar, rowsPerStrip: 7 });
        const stack = await load(await buildTiff([p], { littleEndian: planar === 1 }));
        expect(stack.samplesPerPixel).to.equal(3);
        expect(stack.metadata.photometricInterpretation).to.equal('RGB');
        const frame = await stack.getFrame(0);
        expect(frame.samplesPerPixel).to.equal(3);
        expectSamples(frame.data, p.data, 'rgb');
      });
    }
  }

  it('drops an alpha sample from RGBA', async () => {
    const rgba = values(W * H * 4, 'uint8');
    const stack = await load(
      await buildTiff([
        {
          width: W,
          height: H,
          samples: 4,
          bits: 8,
          data: rgba,
          extraTags: [{ tag: 338, type: 3, values: [2] }],
        },
      ]),
    );
    expect(stack.samplesPerPixel).to.equal(3);
    const rgb = rgba.filter((_, i) => i % 4 !== 3);
    expectSamples((await stack.getFrame(0)).data, rgb, 'rgba → rgb');
  });

  it('makes a multi-page file one stack, decoding pages lazily', async () => {
    const pages = [1, 2, 3, 4, 5].map((seed) => page('uint16', {}, seed));
    const stack = await load(await buildTiff(pages));
    expect(stack.depth).to.equal(5);
    expect(stack.slices.map((s) => s.page)).to.deep.equal([0, 1, 2, 3, 4]);
    expect((stack as unknown as { cachedBytes: number }).cachedBytes, 'nothing decoded at load').to.equal(0);
    for (const k of [3, 0, 4]) expectSamples((await stack.getFrame(k)).data, pages[k]!.data, `page ${k}`);
    expect(stack.metadata.pageCount).to.equal(5);
  });

  it('reads pages of one stack that differ in strips, tiles and compression', async () => {
    const pages = [
      page('uint16', { compression: 'deflate', predictor: 2, rowsPerStrip: 100 }, 1),
      page('uint16', { compression: 'lzw', tile: [48, 32] }, 2),
      page('uint16', { compression: 'packbits', rowsPerStrip: 3 }, 3),
    ];
    const stack = await load(await buildTiff(pages, { littleEndian: false }));
    expect(stack.depth).to.equal(3);
    for (let k = 0; k < 3; k++) expectSamples((await stack.getFrame(k)).data, pages[k]!.data, `page ${k}`);
  });

  it('stops the stack at the first page that does not match page 0', async () => {
    const pages = [
      page('uint8', {}, 1),
      page('uint8', {}, 2),
      { ...page('uint8', {}, 3), width: 8, height: 8, data: new Array(64).fill(7) },
      page('uint8', {}, 4),
    ];
    const stack = await load(await buildTiff(pages));
    expect(stack.depth).to.equal(2);
    expect(stack.metadata.pageCount).to.equal(4);
    expect(String(stack.metadata.pageRule)).to.contain('first 2');
  });
});

describe('TIFF: compression and predictors', () => {
  const cases: [Compression, string, 1 | 2 | 3][] = [
    ['lzw', 'uint8', 1],
    ['lzw', 'uint16', 2],
    ['lzw', 'int32', 2],
    ['lzw', 'float32', 3],
    ['deflate', 'uint16', 1],
    ['deflate', 'int16', 2],
    ['deflate', 'float64', 3],
    ['packbits', 'uint8', 1],
    ['packbits', 'uint16', 1],
  ];
  for (const [compression, kind, predictor] of cases) {
    for (const littleEndian of [true, false]) {
      it(`${compression} ${kind} predictor ${predictor}, ${littleEndian ? 'LE' : 'BE'}, strips and tiles`, async () => {
        const strips = page(kind, { compression, predictor, rowsPerStrip: 6 });
        const tiles = page(kind, { compression, predictor, tile: [16, 32] }, 2);
        const stack = await load(await buildTiff([strips], { littleEndian }));
        expectSamples((await stack.getFrame(0)).data, strips.data, 'strips');
        const tiled = await load(await buildTiff([tiles], { littleEndian }));
        expectSamples((await tiled.getFrame(0)).data, tiles.data, 'tiles');
      });
    }
  }

  it('reads deflate + predictor on planar RGB', async () => {
    const p = page('uint16', {
      samples: 3,
      planar: 2,
      compression: 'deflate',
      predictor: 2,
      rowsPerStrip: 4,
    });
    const stack = await load(await buildTiff([p]));
    expectSamples((await stack.getFrame(0)).data, p.data, 'planar deflate');
  });

  it('LZW round-trips long, repetitive and random data through the table resets', () => {
    const n = 300_000;
    const data = new Uint8Array(n);
    for (let i = 0; i < n; i++) data[i] = i < n / 2 ? (i * 7919) % 251 : (i >> 10) & 0xff;
    const back = decodeLzw(encodeLzw(data), n);
    expectSamples(back, data, 'lzw');
  });
});

describe('TIFF: physical size and metadata', () => {
  it('reads OME-XML physical sizes and converts them to one unit', async () => {
    const xml =
      '<?xml version="1.0" encoding="UTF-8"?><OME xmlns="http://www.openmicroscopy.org/Schemas/OME/2016-06">' +
      '<Image ID="Image:0"><Pixels ID="Pixels:0" DimensionOrder="XYZCT" Type="uint8" SizeX="37" SizeY="23" ' +
      'SizeZ="3" SizeC="1" SizeT="1" PhysicalSizeX="0.5" PhysicalSizeXUnit="µm" PhysicalSizeY="500" ' +
      'PhysicalSizeYUnit="nm" PhysicalSizeZ="0.002" PhysicalSizeZUnit="mm"/></Image></OME>';
    const pages = [1, 2, 3].map((s) => page('uint8', {}, s));
    pages[0]!.description = xml;
    const stack = await load(await buildTiff(pages));
    expect(stack.depth).to.equal(3);
    expect(stack.metadata.spacingUnit).to.equal('µm');
    expect(stack.spacing[0]).to.be.closeTo(0.5, 1e-12);
    expect(stack.spacing[1]).to.be.closeTo(0.5, 1e-12);
    expect(stack.spacing[2]).to.be.closeTo(2, 1e-12);
    expect((stack.metadata.ome as { sizeZ: number }).sizeZ).to.equal(3);
  });

  it('takes channel 0 of a multi-channel OME z-stack in dimension order', async () => {
    // XYCZT: channel varies fastest. Pages: z0c0 z0c1 z1c0 z1c1 z2c0 z2c1.
    const xml =
      '<OME><Image ID="Image:0"><Pixels DimensionOrder="XYCZT" SizeX="37" SizeY="23" SizeZ="3" SizeC="2" SizeT="1" ' +
      'PhysicalSizeX="1.5"/></Image></OME>';
    const pages = [0, 1, 2, 3, 4, 5].map((s) => page('uint8', {}, s + 1));
    pages[0]!.description = xml;
    const stack = await load(await buildTiff(pages));
    expect(stack.slices.map((s) => s.page)).to.deep.equal([0, 2, 4]);
    expectSamples((await stack.getFrame(1)).data, pages[2]!.data, 'z1 c0');
    expect(stack.spacing[0]).to.equal(1.5);
    expect(stack.metadata.spacingUnit).to.equal('µm');
  });

  it('reads ImageJ spacing, unit, calibration and display range', async () => {
    const desc =
      'ImageJ=1.54f\nimages=4\nslices=4\nunit=micron\nspacing=2.5\nmin=10\nmax=200\ncf=0\nc0=-1000\nc1=2\nvunit=HU\n';
    const pages = [1, 2, 3, 4].map((s) => page('uint8', {}, s));
    pages[0]!.description = desc;
    pages[0]!.resolution = [4, 2, 1];
    const stack = await load(await buildTiff(pages));
    expect(stack.depth).to.equal(4);
    expect(stack.spacing).to.deep.equal([0.25, 0.5, 2.5]);
    expect(stack.metadata.spacingUnit).to.equal('µm');
    const frame = await stack.getFrame(0);
    expect(frame.rescaleSlope).to.equal(2);
    expect(frame.rescaleIntercept).to.equal(-1000);
    expect(stack.windowPresets).to.deep.equal([{ name: 'ImageJ display range', center: -790, width: 380 }]);
  });

  it('takes channel 0 of an ImageJ hyperstack', async () => {
    const desc = 'ImageJ=1.54f\nimages=6\nchannels=2\nslices=3\nhyperstack=true\n';
    const pages = [0, 1, 2, 3, 4, 5].map((s) => page('uint16', {}, s + 1));
    pages[0]!.description = desc;
    const stack = await load(await buildTiff(pages));
    expect(stack.slices.map((s) => s.page)).to.deep.equal([0, 2, 4]);
  });

  it('converts resolution tags in centimetres and inches to millimetres', async () => {
    const cm = page('uint8', { resolution: [100, 50, 3] });
    const s1 = await load(await buildTiff([cm]));
    expect(s1.metadata.spacingUnit).to.equal('mm');
    expect(s1.spacing[0]).to.be.closeTo(0.1, 1e-9);
    expect(s1.spacing[1]).to.be.closeTo(0.2, 1e-9);
    const inch = page('uint8', { resolution: [254, 254, 2] });
    const s2 = await load(await buildTiff([inch]));
    expect(s2.spacing[0]).to.be.closeTo(0.1, 1e-9);
  });

  it('uses pixels as the unit when nothing gives a physical size', async () => {
    const stack = await load(await buildTiff([page('uint8')]));
    expect(stack.spacing).to.deep.equal([1, 1, 1]);
    expect(stack.metadata.spacingUnit).to.equal('pixel');
  });

  it('gives a window from SMinSampleValue/SMaxSampleValue', async () => {
    const p = page('float32', {
      extraTags: [
        { tag: 340, type: 12, values: [-100] },
        { tag: 341, type: 12, values: [300] },
      ],
    });
    const stack = await load(await buildTiff([p]));
    expect(stack.windowPresets).to.deep.equal([{ name: 'Sample value range', center: 100, width: 400 }]);
  });
});

describe('TIFF: abort', () => {
  it('rejects getFrame with an aborted signal as aborted', async () => {
    const stack = await load(await buildTiff([page('uint16', { compression: 'deflate' })]));
    const controller = new AbortController();
    controller.abort();
    let error: unknown;
    try {
      await stack.getFrame(0, { signal: controller.signal });
    } catch (e) {
      error = e;
    }
    expect(error).to.be.instanceOf(VoxmarkError);
    expect((error as VoxmarkError).code).to.equal('aborted');
  });

  it('rejects when aborted while decoding, and can decode the frame afterwards', async () => {
    const p = page('uint16', { compression: 'deflate', rowsPerStrip: 1 });
    const stack = await load(await buildTiff([p]));
    const controller = new AbortController();
    const pending = stack.getFrame(0, { signal: controller.signal });
    controller.abort();
    let error: unknown;
    try {
      await pending;
    } catch (e) {
      error = e;
    }
    expect((error as VoxmarkError).code).to.equal('aborted');
    // Asking again at once starts a fresh decode rather than joining the aborted one.
    expectSamples((await stack.getFrame(0)).data, p.data, 'after abort');
  });
});

describe('TIFF: reference corpus metadata', () => {
  it('reads the OME-TIFF z-stack physical sizes (2.0 × 2.0 × 2.2)', async () => {
    const r = await fetch('/corpus/tiff/mr_zstack.ome.tif');
    if (!r.ok) throw new Error(`corpus not served: HTTP ${r.status}`);
    const stack = await loadImageStack(new Uint8Array(await r.arrayBuffer()));
    expect(stack.depth).to.equal(24);
    expect(stack.spacing[0]).to.be.closeTo(2, 1e-9);
    expect(stack.spacing[1]).to.be.closeTo(2, 1e-9);
    expect(stack.spacing[2]).to.be.closeTo(2.2, 1e-9);
    expect(stack.metadata.spacingSource).to.equal('ome');
    expect(stack.metadata.spacingUnit).to.be.a('string');
  });
});

describe('TIFF: fast assembly', () => {
  it('gives exactly what geotiff readRasters gives, for every layout', async () => {
    const { loadTiffStack } = await import('../../../src/core/image/tiff/index.js');
    const specs: [string, Partial<TiffPageSpec>][] = [
      ['uint8', { rowsPerStrip: 5 }],
      ['int16', { tile: [16, 16], compression: 'lzw', predictor: 2 }],
      ['float32', { compression: 'deflate', predictor: 3, rowsPerStrip: 3 }],
      ['float64', { tile: [32, 16] }],
      ['uint16', { samples: 3, planar: 2, compression: 'packbits' }],
      ['uint16', { samples: 3, tile: [16, 16], compression: 'deflate', predictor: 2 }],
      ['uint8', { samples: 4, extraTags: [{ tag: 338, type: 3, values: [2] }] }],
      ['int32', { samples: 2, rowsPerStrip: 4 }],
    ];
    let compared = 0;
    for (const [kind, extra] of specs) {
      for (const littleEndian of [true, false]) {
        const bytes = await buildTiff([page(kind, extra)], { littleEndian });
        const fast = await loadTiffStack(bytes, { maxFrameBytes: 1 << 30 });
        const slow = await loadTiffStack(bytes, { maxFrameBytes: 1 << 30, fastAssembly: false });
        const a = (await fast.getFrame(0)).data;
        const b = (await slow.getFrame(0)).data;
        expect(a.constructor, `${kind} type`).to.equal(b.constructor);
        expectSamples(a, b, `${kind} ${JSON.stringify(extra)} ${littleEndian ? 'LE' : 'BE'}`);
        compared++;
      }
    }
    expect(compared).to.equal(16);
  });
});

describe('TIFF: JPEG compression', () => {
  it('decodes a JPEG-compressed YCbCr page to RGB close to the browser decoding the same JPEG', async () => {
    const w = 64;
    const h = 48;
    const canvas = new OffscreenCanvas(w, h);
    const ctx = canvas.getContext('2d')!;
    const g = ctx.createLinearGradient(0, 0, w, h);
    g.addColorStop(0, '#d03020');
    g.addColorStop(1, '#20a0e0');
    ctx.fillStyle = g;
    ctx.fillRect(0, 0, w, h);
    ctx.fillStyle = '#30c040';
    ctx.fillRect(10, 10, 20, 16);
    const jpeg = new Uint8Array(
      await (await canvas.convertToBlob({ type: 'image/jpeg', quality: 0.95 })).arrayBuffer(),
    );
    const bitmap = await createImageBitmap(new Blob([jpeg], { type: 'image/jpeg' }));
    const check = new OffscreenCanvas(w, h).getContext('2d')!;
    check.drawImage(bitmap, 0, 0);
    const rgba = check.getImageData(0, 0, w, h).data;

    // One strip holding the whole JFIF stream: compression 7, photometric YCbCr.
    const base = await buildTiff([
      { width: w, height: h, samples: 3, bits: 8, data: new Array(w * h * 3).fill(0) },
    ]);
    const layoutModule = await import('../../../src/core/image/tiff/ifd.js');
    const layout = layoutModule.readTiffLayout(base);
    const e = layout.ifds[0]!.entries;
    const out = new Uint8Array(base.length + jpeg.length);
    out.set(base);
    out.set(jpeg, base.length);
    const view = new DataView(out.buffer);
    const setShort = (tag: number, v: number) => view.setUint16(e.get(tag)!.valueOffset, v, true);
    const setLong = (tag: number, v: number) => view.setUint32(e.get(tag)!.valueOffset, v, true);
    setShort(259, 7);
    setShort(262, 6);
    setLong(273, base.length);
    setLong(279, jpeg.length);

    const stack = await loadImageStack(out);
    expect(stack.samplesPerPixel).to.equal(3);
    expect(stack.dataType).to.equal('uint8');
    expect(stack.metadata.compression).to.equal('JPEG');
    const frame = await stack.getFrame(0);
    let diff = 0;
    for (let i = 0; i < w * h; i++) {
      for (let c = 0; c < 3; c++) diff += Math.abs(frame.data[i * 3 + c]! - rgba[i * 4 + c]!);
    }
    expect(diff / (w * h * 3), 'mean absolute difference').to.be.below(4);
  });
});

describe('TIFF: in a worker', () => {
  it('decodes the same frame inside a module worker as on the page', async () => {
    const p = page('uint16', { compression: 'deflate', predictor: 2, rowsPerStrip: 4 });
    const bytes = await buildTiff([page('uint16', {}, 9), p]);
    const worker = new Worker(new URL('../../helpers/tiff-worker.ts', import.meta.url), { type: 'module' });
    try {
      const answer = await new Promise<{ ok: boolean; data?: Uint16Array; message?: string }>(
        (resolve, reject) => {
          worker.addEventListener('message', (e) => resolve(e.data));
          worker.addEventListener('error', (e) => reject(new Error(e.message)));
          worker.postMessage({ bytes, index: 1 });
        },
      );
      expect(answer.ok, answer.message).to.equal(true);
      expect(answer.data).to.be.instanceOf(Uint16Array);
      expectSamples(answer.data!, p.data, 'worker frame');
    } finally {
      worker.terminate();
    }
  });
});
