/**
 * Pixel formats and encapsulation layouts that the corpus does not cover, on DICOM built byte by byte:
 * RLE segment order and sign extension, multi-frame with and without offset tables, fragmented frames,
 * the extended offset table, planar configuration, YBR_FULL, palette colour, odd sizes, big endian and
 * bare datasets without a meta header.
 */
import { expect } from '@open-wc/testing';
import { loadImageStack, VoxmarkError } from '../../../src/core/index.js';
import { decodeRle } from '../../../src/core/image/codecs/rle.js';
import { TS, buildImage, encodeRleFrame, packBits, u16le, type El } from '../../helpers/dicom-builder.js';

async function frames(bytes: Uint8Array) {
  const stack = await loadImageStack(bytes);
  const out = [];
  for (let i = 0; i < stack.depth; i++) out.push(await stack.getFrame(i));
  return { stack, frames: out };
}

async function rejection(p: Promise<unknown>): Promise<VoxmarkError> {
  try {
    await p;
  } catch (e) {
    expect(e).to.be.instanceOf(VoxmarkError);
    return e as VoxmarkError;
  }
  throw new Error('expected a rejection');
}

/** A deterministic ramp of `n` values in [0, mod). */
function ramp(n: number, mod: number, seed = 7): number[] {
  return Array.from({ length: n }, (_, i) => (i * 37 + seed * 11 + ((i * i) % 13)) % mod);
}

describe('RLE decoder', () => {
  it('puts segments back in order: one per sample, most significant byte first', () => {
    // 2 pixels of 16-bit RGB: R=0x0102 G=0x0304 B=0x0506, then R=0xA1A2 G=0xB1B2 B=0xC1C2.
    const samples = u16le([0x0102, 0x0304, 0x0506, 0xa1a2, 0xb1b2, 0xc1c2]);
    const frame = encodeRleFrame(samples, 2, 3, 2);
    const out = decodeRle(frame, { rows: 1, columns: 2, samplesPerPixel: 3, bitsAllocated: 16 });
    expect(Array.from(out)).to.deep.equal(Array.from(samples));
  });

  it('reads replicate runs, literal runs and the no-op byte', () => {
    expect(Array.from(packBits(new Uint8Array([5, 5, 5, 5, 1, 2, 3])))).to.deep.equal([0xfd, 5, 2, 1, 2, 3]);
    const header = new Uint8Array(64);
    new DataView(header.buffer).setUint32(0, 1, true);
    new DataView(header.buffer).setUint32(4, 64, true);
    const body = new Uint8Array([0x80, 0xfd, 9, 0x01, 4, 6]);
    const frame = new Uint8Array([...header, ...body]);
    const out = decodeRle(frame, { rows: 2, columns: 3, samplesPerPixel: 1, bitsAllocated: 8 });
    expect(Array.from(out)).to.deep.equal([9, 9, 9, 9, 4, 6]);
  });

  it('rejects a segment that ends early, and a wrong segment count', () => {
    const frame = encodeRleFrame(new Uint8Array([1, 2, 3, 4]), 4, 1, 1);
    expect(() =>
      decodeRle(frame.subarray(0, frame.length - 3), {
        rows: 2,
        columns: 2,
        samplesPerPixel: 1,
        bitsAllocated: 8,
      }),
    )
      .to.throw(VoxmarkError)
      .with.property('code', 'truncated');
    expect(() => decodeRle(frame, { rows: 2, columns: 2, samplesPerPixel: 3, bitsAllocated: 8 }))
      .to.throw(VoxmarkError)
      .with.property('code', 'corrupt');
  });
});

describe('RLE DICOM', () => {
  const rows = 5;
  const columns = 3; // odd sizes on purpose

  it('decodes 8-bit RGB with segments in R, G, B order', async () => {
    const px = rows * columns;
    const rgb = new Uint8Array(ramp(px * 3, 256));
    const file = buildImage(
      {
        rows,
        columns,
        bitsAllocated: 8,
        samplesPerPixel: 3,
        encapsulated: { fragments: [encodeRleFrame(rgb, px, 3, 1)] },
      },
      { transferSyntax: TS.rle },
    );
    const { stack, frames: f } = await frames(file);
    expect(stack.samplesPerPixel).to.equal(3);
    expect(Array.from(f[0]!.data)).to.deep.equal(Array.from(rgb));
  });

  it('sign-extends 12 bits stored in 16 allocated when Pixel Representation is 1', async () => {
    const values = [-2048, -1, 0, 1, 2047, -1000, 5, 77, -3, 100, 0, -2048, 2047, 1, -1];
    const stored = values.map((v) => v & 0x0fff); // two's complement in 12 bits, high bits zero
    const file = buildImage(
      {
        rows,
        columns,
        bitsAllocated: 16,
        bitsStored: 12,
        pixelRepresentation: 1,
        encapsulated: { fragments: [encodeRleFrame(u16le(stored), rows * columns, 1, 2)] },
      },
      { transferSyntax: TS.rle },
    );
    const { stack, frames: f } = await frames(file);
    expect(stack.dataType).to.equal('int16');
    expect(Array.from(f[0]!.data)).to.deep.equal(values);
  });

  function multiFrame(frameCount: number) {
    const px = rows * columns;
    const values = Array.from({ length: frameCount }, (_, k) => ramp(px, 4096, k + 1));
    const encoded = values.map((v) => encodeRleFrame(u16le(v), px, 1, 2));
    return { values, encoded };
  }

  function offsetsOf(fragmentsPerFrame: Uint8Array[][]): number[] {
    const offsets: number[] = [];
    let o = 0;
    for (const frags of fragmentsPerFrame) {
      offsets.push(o);
      for (const f of frags) o += 8 + f.length + (f.length % 2);
    }
    return offsets;
  }

  it('reads multi-frame data with a basic offset table', async () => {
    const { values, encoded } = multiFrame(3);
    const file = buildImage(
      {
        rows,
        columns,
        frames: 3,
        encapsulated: { offsets: offsetsOf(encoded.map((e) => [e])), fragments: encoded },
      },
      { transferSyntax: TS.rle },
    );
    const { stack, frames: f } = await frames(file);
    expect(stack.depth).to.equal(3);
    f.forEach((frame, k) => expect(Array.from(frame.data), `frame ${k}`).to.deep.equal(values[k]));
  });

  it('reads multi-frame data without a basic offset table (one fragment per frame)', async () => {
    const { values, encoded } = multiFrame(4);
    const file = buildImage(
      { rows, columns, frames: 4, encapsulated: { fragments: encoded } },
      { transferSyntax: TS.rle },
    );
    const { frames: f } = await frames(file);
    f.forEach((frame, k) => expect(Array.from(frame.data), `frame ${k}`).to.deep.equal(values[k]));
  });

  function split(bytes: Uint8Array, parts: number): Uint8Array[] {
    const size = Math.ceil(bytes.length / parts / 2) * 2; // fragments have even lengths
    const out: Uint8Array[] = [];
    for (let o = 0; o < bytes.length; o += size) out.push(bytes.subarray(o, o + size));
    return out;
  }

  it('joins fragmented frames (several fragments per frame) found through the offset table', async () => {
    const { values, encoded } = multiFrame(3);
    const perFrame = encoded.map((e) => split(e, 3));
    const file = buildImage(
      {
        rows,
        columns,
        frames: 3,
        encapsulated: { offsets: offsetsOf(perFrame), fragments: perFrame.flat() },
      },
      { transferSyntax: TS.rle },
    );
    const { frames: f } = await frames(file);
    f.forEach((frame, k) => expect(Array.from(frame.data), `frame ${k}`).to.deep.equal(values[k]));
  });

  it('uses the extended offset table (7FE0,0001) when the basic one is empty', async () => {
    const { values, encoded } = multiFrame(2);
    const perFrame = encoded.map((e) => split(e, 2));
    const offsets = offsetsOf(perFrame);
    const eot = new Uint8Array(offsets.length * 8);
    offsets.forEach((o, i) => new DataView(eot.buffer).setBigUint64(i * 8, BigInt(o), true));
    const lengths = new Uint8Array(offsets.length * 8);
    encoded.forEach((e, i) => new DataView(lengths.buffer).setBigUint64(i * 8, BigInt(e.length), true));
    const extra: El[] = [
      { tag: 0x7fe00001, vr: 'OV', value: eot },
      { tag: 0x7fe00002, vr: 'OV', value: lengths },
    ];
    const file = buildImage(
      { rows, columns, frames: 2, encapsulated: { fragments: perFrame.flat() }, extra },
      { transferSyntax: TS.rle },
    );
    const { frames: f } = await frames(file);
    f.forEach((frame, k) => expect(Array.from(frame.data), `frame ${k}`).to.deep.equal(values[k]));
  });

  it('refuses more frames than fragments, and an RLE frame claiming more than 64:1', async () => {
    const { encoded } = multiFrame(2);
    const tooMany = buildImage(
      { rows, columns, frames: 5, encapsulated: { fragments: encoded } },
      { transferSyntax: TS.rle },
    );
    expect((await rejection(loadImageStack(tooMany))).code).to.equal('truncated');

    const header = new Uint8Array(64);
    new DataView(header.buffer).setUint32(0, 1, true);
    new DataView(header.buffer).setUint32(4, 64, true);
    const tiny = new Uint8Array([...header, 0x81, 0]); // one run of 128 zeros
    const big = buildImage(
      { rows: 1000, columns: 1000, bitsAllocated: 8, encapsulated: { fragments: [tiny] } },
      { transferSyntax: TS.rle },
    );
    const stack = await loadImageStack(big);
    expect((await rejection(stack.getFrame(0))).code).to.equal('corrupt');
  });
});

describe('native pixel formats', () => {
  it('interleaves planar configuration 1', async () => {
    const px = 6;
    const r = [1, 2, 3, 4, 5, 6];
    const g = [11, 12, 13, 14, 15, 16];
    const b = [21, 22, 23, 24, 25, 26];
    const file = buildImage({
      rows: 2,
      columns: 3,
      bitsAllocated: 8,
      samplesPerPixel: 3,
      planarConfiguration: 1,
      pixels: new Uint8Array([...r, ...g, ...b]),
    });
    const { frames: f } = await frames(file);
    const expected: number[] = [];
    for (let i = 0; i < px; i++) expected.push(r[i]!, g[i]!, b[i]!);
    expect(Array.from(f[0]!.data)).to.deep.equal(expected);
  });

  it('converts YBR_FULL to RGB', async () => {
    // Pure red, green, blue and grey in YCbCr (PS3.3 C.7.6.3.1.2).
    const ybr = [76, 85, 255, 150, 44, 21, 29, 255, 107, 128, 128, 128];
    const file = buildImage({
      rows: 1,
      columns: 4,
      bitsAllocated: 8,
      samplesPerPixel: 3,
      photometric: 'YBR_FULL',
      pixels: new Uint8Array(ybr),
    });
    const { frames: f } = await frames(file);
    const got = Array.from(f[0]!.data);
    const want = [255, 0, 0, 0, 255, 0, 0, 0, 255, 128, 128, 128];
    got.forEach((v, i) => expect(Math.abs(v - want[i]!), `sample ${i}: ${v} vs ${want[i]}`).to.be.at.most(2));
  });

  it('maps PALETTE COLOR through 16-bit tables to RGB', async () => {
    const entries = 4;
    const red = [0x0000, 0x4000, 0x8000, 0xffff];
    const green = [0xffff, 0x8000, 0x4000, 0x0000];
    const blue = [0x1234, 0x1234, 0x5678, 0x5678];
    const extra: El[] = [
      { tag: 0x00281101, vr: 'US', value: [entries, 0, 16] },
      { tag: 0x00281102, vr: 'US', value: [entries, 0, 16] },
      { tag: 0x00281103, vr: 'US', value: [entries, 0, 16] },
      { tag: 0x00281201, vr: 'OW', value: u16le(red) },
      { tag: 0x00281202, vr: 'OW', value: u16le(green) },
      { tag: 0x00281203, vr: 'OW', value: u16le(blue) },
    ];
    const file = buildImage({
      rows: 1,
      columns: 5,
      bitsAllocated: 8,
      photometric: 'PALETTE COLOR',
      pixels: new Uint8Array([0, 1, 2, 3, 9, 0]), // 9 is past the table: clamps to the last entry
      extra,
    });
    const { stack, frames: f } = await frames(file);
    expect(stack.samplesPerPixel).to.equal(3);
    expect(stack.dataType).to.equal('uint16');
    const idx = [0, 1, 2, 3, 3];
    expect(Array.from(f[0]!.data)).to.deep.equal(idx.flatMap((i) => [red[i], green[i], blue[i]]));
  });

  it('sign-extends native 12-bit signed data and masks bits above Bits Stored', async () => {
    const values = [-2048, -1, 0, 2047, 1, -7];
    // Garbage in the 4 unused high bits must not leak into the values.
    const stored = values.map((v) => (v & 0x0fff) | 0xa000);
    const file = buildImage({
      rows: 2,
      columns: 3,
      bitsStored: 12,
      pixelRepresentation: 1,
      pixels: u16le(stored),
    });
    const { frames: f } = await frames(file);
    expect(Array.from(f[0]!.data)).to.deep.equal(values);
  });

  it('reads explicit VR big endian and implicit VR little endian alike', async () => {
    const values = ramp(15, 65536);
    const be = buildImage({ rows: 3, columns: 5, pixels: u16le(values) }, { transferSyntax: TS.explicitBE });
    const le = buildImage({ rows: 3, columns: 5, pixels: u16le(values) }, { transferSyntax: TS.implicitLE });
    expect(Array.from((await frames(be)).frames[0]!.data)).to.deep.equal(values);
    expect(Array.from((await frames(le)).frames[0]!.data)).to.deep.equal(values);
  });

  it('reads a bare dataset without preamble or meta header', async () => {
    const values = ramp(6, 65536);
    for (const transferSyntax of [TS.explicitLE, TS.implicitLE]) {
      const file = buildImage(
        { rows: 2, columns: 3, pixels: u16le(values) },
        { transferSyntax, part10: false },
      );
      const { frames: f } = await frames(file);
      expect(Array.from(f[0]!.data), transferSyntax).to.deep.equal(values);
    }
  });

  it('reads 1-bit data packed least significant bit first', async () => {
    const file = buildImage({
      rows: 2,
      columns: 5,
      bitsAllocated: 1,
      pixels: new Uint8Array([0b10100101, 0b00000011]),
    });
    const { frames: f } = await frames(file);
    expect(Array.from(f[0]!.data)).to.deep.equal([1, 0, 1, 0, 0, 1, 0, 1, 1, 1]);
  });
});

describe('native frames without a copy', () => {
  it('hands out frames as views over the file when the samples are exact as stored', async () => {
    const values = ramp(2 * 3 * 4, 4096);
    const file = buildImage({ rows: 2, columns: 3, bitsStored: 12, frames: 4, pixels: u16le(values) });
    const stack = await loadImageStack(file);
    for (let i = 0; i < 4; i++) {
      const frame = await stack.getFrame(i);
      expect(frame.data.buffer, `frame ${i}`).to.equal(file.buffer);
      expect(Array.from(frame.data)).to.deep.equal(values.slice(i * 6, i * 6 + 6));
    }
  });

  it('views signed 16-bit and 8-bit samples too', async () => {
    const signed = [-2048, -1, 0, 2047, 1, -7];
    const s16 = buildImage({
      rows: 2,
      columns: 3,
      bitsStored: 12,
      pixelRepresentation: 1,
      pixels: u16le(signed),
    });
    const f16 = await (await loadImageStack(s16)).getFrame(0);
    expect(f16.data).to.be.instanceOf(Int16Array);
    expect(f16.data.buffer).to.equal(s16.buffer);
    expect(Array.from(f16.data)).to.deep.equal(signed);
    const u8 = buildImage({
      rows: 2,
      columns: 3,
      bitsAllocated: 8,
      pixels: Uint8Array.from([0, 9, 80, 255, 3, 4]),
    });
    const f8 = await (await loadImageStack(u8)).getFrame(0);
    expect(f8.data.buffer).to.equal(u8.buffer);
    expect(Array.from(f8.data)).to.deep.equal([0, 9, 80, 255, 3, 4]);
  });

  it('copies when bits above Bits Stored are set, when misaligned, or in big endian', async () => {
    const values = [1, 2, 3, 4, 5, 6];
    const dirty = buildImage({
      rows: 2,
      columns: 3,
      bitsStored: 12,
      pixels: u16le(values.map((v) => v | 0x8000)),
    });
    const fd = await (await loadImageStack(dirty)).getFrame(0);
    expect(fd.data.buffer).to.not.equal(dirty.buffer);
    expect(Array.from(fd.data)).to.deep.equal(values);
    // The same file one byte into a larger buffer: 16-bit samples at an odd address cannot be viewed.
    const clean = buildImage({ rows: 2, columns: 3, bitsStored: 12, pixels: u16le(values) });
    const shifted = new Uint8Array(clean.length + 1).subarray(1);
    shifted.set(clean);
    const fs = await (await loadImageStack(shifted)).getFrame(0);
    expect(fs.data.buffer).to.not.equal(shifted.buffer);
    expect(Array.from(fs.data)).to.deep.equal(values);
    const be = buildImage({ rows: 2, columns: 3, pixels: u16le(values) }, { transferSyntax: TS.explicitBE });
    const fb = await (await loadImageStack(be)).getFrame(0);
    expect(fb.data.buffer).to.not.equal(be.buffer);
    expect(Array.from(fb.data)).to.deep.equal(values);
  });
});
