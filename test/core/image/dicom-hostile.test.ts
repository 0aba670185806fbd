/**
 * Hostile DICOM: truncated files, flipped bytes, lying lengths and sizes, deep nesting, dicom-parser's
 * thrown strings, and a zip bomb inside deflate. Every input must resolve or reject within 2 s (a hang
 * detector, not a performance assertion), and every rejection must be a VoxmarkError with a stable code.
 */
import { expect } from '@open-wc/testing';
import { loadImageStack, VoxmarkError } from '../../../src/core/index.js';
import { corpusBytes } from '../../helpers/corpus.js';
import { TS, buildDicom, buildImage, imageElements, u16le } from '../../helpers/dicom-builder.js';
import { deflateZeroRun } from '../../helpers/deflate-bomb.js';
import type { LoadOptions } from '../../../src/core/load.js';

const HANG_MS = 2000;

type Outcome = { ok: true; depth: number } | { ok: false; error: unknown };

/** Loads and decodes every frame; reports how it ended. Rejects only when it did not end in time. */
async function settle(bytes: Uint8Array, options: LoadOptions = {}): Promise<Outcome> {
  const work = (async (): Promise<Outcome> => {
    try {
      const stack = await loadImageStack(bytes, options);
      for (let i = 0; i < stack.depth; i++) await stack.getFrame(i);
      return { ok: true, depth: stack.depth };
    } catch (error) {
      return { ok: false, error };
    }
  })();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const hang = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`did not settle within ${HANG_MS} ms`)), HANG_MS);
  });
  try {
    return await Promise.race([work, hang]);
  } finally {
    clearTimeout(timer);
  }
}

function expectVoxmarkFailure(outcome: Outcome, label: string): VoxmarkError | undefined {
  if (outcome.ok) return undefined;
  const { error } = outcome;
  expect(error, `${label}: ${String(error)}`).to.be.instanceOf(VoxmarkError);
  expect((error as VoxmarkError).code, label)
    .to.be.a('string')
    .and.not.equal('');
  return error as VoxmarkError;
}

async function expectRejected(bytes: Uint8Array, code: string | string[], options: LoadOptions = {}) {
  const outcome = await settle(bytes, options);
  expect(outcome.ok, 'expected a rejection').to.equal(false);
  const error = expectVoxmarkFailure(outcome, 'rejection')!;
  expect([code].flat()).to.include(error.code);
  return error;
}

const CORPUS = [
  'dicom/MR_small.dcm',
  'dicom/MR_small_bigendian.dcm',
  'dicom/MR_small_RLE.dcm',
  'dicom/MR_small_jpeg_ls_lossless.dcm',
  'dicom/MR_small_jp2klossless.dcm',
  'dicom/JPGExtended.dcm',
  'dicom/SC_rgb_jpeg_dcmtk.dcm',
  'dicom/SC_rgb_jpeg_gdcm.dcm',
  'dicom/image_dfl.dcm',
  'dicom/rtdose.dcm',
];

describe('hostile DICOM', function () {
  this.timeout(60_000);

  it('truncated files reject with a VoxmarkError, quickly', async () => {
    for (const file of CORPUS) {
      const bytes = await corpusBytes(file);
      const cuts = [
        0,
        3,
        100,
        131,
        132,
        140,
        200,
        400,
        bytes.length >> 1,
        bytes.length - 100,
        bytes.length - 1,
      ];
      for (const cut of cuts) {
        const outcome = await settle(bytes.slice(0, Math.max(0, cut)));
        expectVoxmarkFailure(outcome, `${file} cut at ${cut}`);
      }
    }
  });

  it('files with the pixel data cut short are refused at load with "truncated"', async () => {
    const bytes = await corpusBytes('dicom/MR_small.dcm');
    await expectRejected(bytes.slice(0, bytes.length - 2), 'truncated');
    const corpusTruncated = await corpusBytes('dicom/MR_truncated.dcm');
    await expectRejected(corpusTruncated, 'truncated');
  });

  it('flipped bytes never escape as anything but a VoxmarkError', async () => {
    for (const file of CORPUS) {
      const bytes = await corpusBytes(file);
      // Flip every byte of the header region in turn would be slow; flip a spread of positions.
      for (let k = 1; k <= 24; k++) {
        const copy = bytes.slice();
        const pos = Math.floor((bytes.length * k) / 25);
        copy[pos] = copy[pos]! ^ 0xff;
        copy[(pos * 7) % bytes.length] ^= 0x55;
        expectVoxmarkFailure(await settle(copy), `${file} flipped at ${pos}`);
      }
    }
  });

  it('refuses sizes the bytes cannot hold before allocating', async () => {
    // 65535 × 65535 × 999999 frames of 16 bits over 100 bytes of pixel data.
    const huge = buildImage({ rows: 65535, columns: 65535, frames: 999999, pixels: new Uint8Array(100) });
    const e = await expectRejected(huge, ['truncated', 'too-large']);
    expect(e.message).to.match(/need|limit/);
    // A pixel data element that claims 4 GB.
    const lying = buildImage({
      rows: 4,
      columns: 4,
      pixels: new Uint8Array(32),
      pixelLengthOverride: 0xfffffff0,
    });
    expectVoxmarkFailure(await settle(lying), 'pixel data length 0xfffffff0');
    // A frame within the bytes but above the caller's cap.
    const fits = buildImage({ rows: 64, columns: 64, pixels: new Uint8Array(64 * 64 * 2) });
    await expectRejected(fits, 'too-large', { maxFrameBytes: 1000 });
    // Number of Frames absurd but the rest plausible.
    const frames = buildImage({ rows: 2, columns: 2, frames: 2_000_000, pixels: new Uint8Array(8) });
    await expectRejected(frames, ['corrupt', 'truncated']);
  });

  it('refuses compressed frames whose few bytes claim a huge image, before any codec allocates it', async () => {
    const sof = (marker: number, precision: number) =>
      new Uint8Array([
        0xff,
        0xd8,
        0xff,
        marker,
        0,
        11,
        precision,
        0x3e,
        0x80,
        0x3e,
        0x80,
        1,
        1,
        0x11,
        0,
        0xff,
        0xd9,
        0,
      ]); // SOI, SOF (16000 × 16000, one component), EOI
    const cases: [string, Uint8Array][] = [
      ['1.2.840.10008.1.2.4.50', sof(0xc0, 8)],
      ['1.2.840.10008.1.2.4.51', sof(0xc1, 12)],
      ['1.2.840.10008.1.2.4.70', sof(0xc3, 16)],
      ['1.2.840.10008.1.2.4.80', sof(0xf7, 16)],
    ];
    for (const [ts, fragment] of cases) {
      const file = buildImage(
        { rows: 16000, columns: 16000, bitsAllocated: 16, encapsulated: { fragments: [fragment] } },
        { transferSyntax: ts },
      );
      const outcome = await settle(file);
      const error = expectVoxmarkFailure(outcome, ts);
      expect(error?.code, ts).to.equal('corrupt');
      expect(error?.message, ts).to.match(/needs more data/);
    }
  });

  it('refuses a fragment length that runs past the file', async () => {
    const file = buildImage(
      { rows: 8, columns: 8, encapsulated: { fragments: [new Uint8Array(80)] } },
      { transferSyntax: TS.rle },
    );
    // The fragment's length field is 8 bytes before its data: make it huge.
    const copy = file.slice();
    const dv = new DataView(copy.buffer);
    for (let p = copy.length - 8 - 80 - 8; p >= 0; p--) {
      if (
        dv.getUint16(p, true) === 0xfffe &&
        dv.getUint16(p + 2, true) === 0xe000 &&
        dv.getUint32(p + 4, true) === 80
      ) {
        dv.setUint32(p + 4, 0x7ffffff0, true);
        break;
      }
    }
    expectVoxmarkFailure(await settle(copy), 'fragment length past the end');
  });

  function nested(depth: number, explicit: boolean): Uint8Array {
    const le = (n: number) => [n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff, (n >>> 24) & 0xff];
    const seqHead = explicit
      ? [0x08, 0x00, 0x15, 0x11, 0x53, 0x51, 0, 0, ...le(0xffffffff)] // (0008,1115) SQ, undefined length
      : [0x08, 0x00, 0x15, 0x11, ...le(0xffffffff)];
    const itemHead = [0xfe, 0xff, 0x00, 0xe0, ...le(0xffffffff)];
    const itemEnd = [0xfe, 0xff, 0x0d, 0xe0, 0, 0, 0, 0];
    const seqEnd = [0xfe, 0xff, 0xdd, 0xe0, 0, 0, 0, 0];
    const head = buildDicom(
      imageElements({ rows: 1, columns: 1, pixels: new Uint8Array(2) }).filter((e) => e.tag < 0x00081115),
      { transferSyntax: explicit ? TS.explicitLE : TS.implicitLE },
    );
    const tail = buildDicom(
      imageElements({ rows: 1, columns: 1, pixels: new Uint8Array(2) }).filter((e) => e.tag > 0x00081115),
      { transferSyntax: explicit ? TS.explicitLE : TS.implicitLE, part10: false },
    );
    const open = [...seqHead, ...itemHead];
    const close = [...itemEnd, ...seqEnd];
    const out = new Uint8Array(head.length + depth * (open.length + close.length) + tail.length);
    out.set(head);
    let o = head.length;
    for (let i = 0; i < depth; i++, o += open.length) out.set(open, o);
    for (let i = 0; i < depth; i++, o += close.length) out.set(close, o);
    out.set(tail, o);
    return out;
  }

  it('bounds sequence nesting: deep nesting is a VoxmarkError, not a stack overflow', async () => {
    for (const explicit of [true, false]) {
      const ok = await settle(nested(8, explicit));
      expect(
        ok.ok,
        `8 levels (${explicit ? 'explicit' : 'implicit'}) load: ${ok.ok ? '' : String(ok.error)}`,
      ).to.equal(true);
      for (const depth of [100, 100_000]) {
        const e = await expectRejected(nested(depth, explicit), 'corrupt');
        expect(e.message, `${depth} levels`).to.match(/nested/);
      }
    }
  });

  it('wraps what dicom-parser throws (strings) in a VoxmarkError', async () => {
    const bytes = new Uint8Array(300);
    bytes.set([0x44, 0x49, 0x43, 0x4d], 128); // "DICM", then a meta header of garbage
    bytes.fill(0xee, 132);
    const e = await expectRejected(bytes, ['corrupt', 'truncated']);
    expect(e).to.be.instanceOf(Error);
  });

  async function deflate(data: Uint8Array): Promise<Uint8Array> {
    const stream = new Blob([data as BlobPart]).stream().pipeThrough(new CompressionStream('deflate-raw'));
    return new Uint8Array(await new Response(stream).arrayBuffer());
  }

  function deflatedFile(meta: Uint8Array, deflated: Uint8Array): Uint8Array {
    const out = new Uint8Array(meta.length + deflated.length);
    out.set(meta);
    out.set(deflated, meta.length);
    return out;
  }

  /** The Part 10 header (preamble, meta) of a deflated file, and its dataset in explicit VR LE. */
  function parts(spec: Parameters<typeof imageElements>[0]) {
    const full = buildDicom(imageElements(spec), { transferSyntax: TS.deflated });
    const dataset = buildDicom(imageElements(spec), { transferSyntax: TS.explicitLE, part10: false });
    return { meta: full.subarray(0, full.length - dataset.length), dataset };
  }

  it('inflates deflated datasets, with or without padding after the deflate stream', async () => {
    const values = [1, 2, 3, 4, 5, 6];
    const { meta, dataset } = parts({ rows: 2, columns: 3, pixels: u16le(values) });
    const deflated = await deflate(dataset);
    for (const padding of [0, 1, 3]) {
      const file = deflatedFile(meta, new Uint8Array([...deflated, ...new Uint8Array(padding)]));
      const outcome = await settle(file);
      expect(outcome.ok, `padding ${padding}: ${outcome.ok ? '' : String(outcome.error)}`).to.equal(true);
      const stack = await loadImageStack(file);
      expect(Array.from((await stack.getFrame(0)).data)).to.deep.equal(values);
    }
  });

  /** A deflated image whose header declares `rows` × `columns` 16-bit pixels, followed by `zeros` zero bytes. */
  function bomb(rows: number, columns: number, zeros: number): Uint8Array {
    const { meta, dataset } = parts({ rows, columns, pixels: new Uint8Array(0), pixelLengthOverride: zeros });
    return deflatedFile(meta, deflateZeroRun(dataset, zeros));
  }

  it('refuses a zip bomb inside deflate at the input cap', async () => {
    // 64 MiB of zeros deflates to about 64 KiB: inflating must stop at the cap, not run to the end.
    const file = bomb(4096, 8192, 4096 * 8192 * 2);
    expect(file.length).to.be.below(200_000);
    await expectRejected(file, 'too-large', { maxInputBytes: 4 * 1024 * 1024 });
  });

  it('refuses a deflated dataset that inflates past what its image module can hold', async () => {
    // 64 × 64 pixels declared, 256 MiB of zeros sent: refused at the header room, not at the input cap.
    const file = bomb(64, 64, 256 * 1024 * 1024);
    const error = await expectRejected(file, 'too-large');
    expect(error.message).to.match(/64 × 64/);
  });

  it('refuses a megabyte of deflate that inflates to a gigabyte of zeros', async () => {
    const meta = parts({ rows: 1, columns: 1, pixels: u16le([0]) }).meta;
    const file = deflatedFile(meta, deflateZeroRun(new Uint8Array(0), 1024 * 1024 * 1024));
    expect(file.length).to.be.within(1_000_000, 1_100_000);
    await expectRejected(file, 'too-large');
  });

  it('reads a deflated image with an undefined-length sequence before its image module', async () => {
    const values = [7, 8, 9, 10];
    const item = [{ tag: 0x00081150, vr: 'UI', value: '1.2.3' }];
    const extra = [{ tag: 0x00081140, vr: 'SQ', items: [item, item], undefinedLength: true }];
    const { meta, dataset } = parts({ rows: 2, columns: 2, pixels: u16le(values), extra });
    const stack = await loadImageStack(deflatedFile(meta, await deflate(dataset)));
    expect(Array.from((await stack.getFrame(0)).data)).to.deep.equal(values);
  });

  it('rejects corrupt deflate data', async () => {
    const { meta, dataset } = parts({ rows: 2, columns: 3, pixels: u16le([1, 2, 3, 4, 5, 6]) });
    const deflated = await deflate(dataset);
    const broken = deflated.slice();
    for (let i = 2; i < broken.length; i += 3) broken[i] ^= 0x5a;
    expectVoxmarkFailure(await settle(deflatedFile(meta, broken)), 'corrupt deflate');
    await expectRejected(deflatedFile(meta, deflated.subarray(0, deflated.length >> 1)), [
      'corrupt',
      'truncated',
    ]);
  });
});
