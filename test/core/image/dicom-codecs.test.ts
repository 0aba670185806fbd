/**
 * Compressed frames the corpus lacks, made by third-party encoders (CharLS, OpenJPEG, OpenJPH) and
 * wrapped in DICOM by hand: HTJ2K (no corpus file at all), signed JPEG 2000 and HTJ2K, colour JPEG 2000
 * with the reversible colour transform (YBR_RCT), colour JPEG-LS in planar and interleaved modes, and
 * near-lossless JPEG-LS. Also: a frame whose codestream disagrees with the header is refused.
 */
import { expect } from '@open-wc/testing';
import { loadImageStack } from '../../../src/core/index.js';
import { voxmarkRejection } from '../../helpers/rejection.js';
import { buildImage } from '../../helpers/dicom-builder.js';
import { encodeHtj2k, encodeJ2k, encodeJpegLs, type EncodeFrameInfo } from '../../helpers/encoders.js';

const TS = {
  htj2kLossless: '1.2.840.10008.1.2.4.201',
  htj2kRpcl: '1.2.840.10008.1.2.4.202',
  htj2k: '1.2.840.10008.1.2.4.203',
  j2kLossless: '1.2.840.10008.1.2.4.90',
  jpegLs: '1.2.840.10008.1.2.4.80',
  jpegLsNear: '1.2.840.10008.1.2.4.81',
};

const W = 37; // odd sizes on purpose
const H = 21;

function pattern(n: number, mod: number, offset = 0): number[] {
  return Array.from({ length: n }, (_, i) => ((i * 7919 + ((i * i) % 101) * 13) % mod) + offset);
}

async function decode(file: Uint8Array) {
  const stack = await loadImageStack(file);
  return { stack, frame: await stack.getFrame(0) };
}

function wrap(
  encoded: Uint8Array,
  ts: string,
  opts: { bits: number; signed?: boolean; spp?: number; photometric?: string; rows?: number },
) {
  return buildImage(
    {
      rows: opts.rows ?? H,
      columns: W,
      bitsAllocated: opts.bits > 8 ? 16 : 8,
      bitsStored: opts.bits,
      pixelRepresentation: opts.signed ? 1 : 0,
      samplesPerPixel: opts.spp ?? 1,
      ...(opts.photometric ? { photometric: opts.photometric } : {}),
      encapsulated: { fragments: [encoded] },
    },
    { transferSyntax: ts },
  );
}

describe('codecs on frames made by third-party encoders', function () {
  this.timeout(30_000);

  const gray16: EncodeFrameInfo = {
    width: W,
    height: H,
    bitsPerSample: 16,
    componentCount: 1,
    isSigned: false,
  };

  it('HTJ2K lossless (and its RPCL syntax) decodes exactly', async () => {
    const values = pattern(W * H, 65536);
    const encoded = await encodeHtj2k(gray16, values);
    for (const ts of [TS.htj2kLossless, TS.htj2kRpcl]) {
      const { stack, frame } = await decode(wrap(encoded, ts, { bits: 16 }));
      expect(stack.dataType).to.equal('uint16');
      expect(Array.from(frame.data), ts).to.deep.equal(values);
    }
  });

  it('HTJ2K lossy decodes close to the original', async () => {
    const values = pattern(W * H, 4096);
    const encoded = await encodeHtj2k({ ...gray16, bitsPerSample: 12 }, values, false);
    const { frame } = await decode(wrap(encoded, TS.htj2k, { bits: 12 }));
    let sum = 0;
    for (let i = 0; i < values.length; i++) sum += Math.abs(frame.data[i]! - values[i]!);
    expect(sum / values.length).to.be.below(4096 * 0.05);
  });

  it('signed 16-bit HTJ2K and JPEG 2000 keep their negative values', async () => {
    const values = pattern(W * H, 4000, -2000);
    const info = { ...gray16, isSigned: true };
    for (const [ts, encode] of [
      [TS.htj2kLossless, encodeHtj2k],
      [TS.j2kLossless, encodeJ2k],
    ] as const) {
      const { stack, frame } = await decode(wrap(await encode(info, values), ts, { bits: 16, signed: true }));
      expect(stack.dataType).to.equal('int16');
      expect(Array.from(frame.data), ts).to.deep.equal(values);
    }
  });

  it('signed 12-bit JPEG-LS (stored unsigned by the codec) is sign-extended from Bits Stored', async () => {
    const values = pattern(W * H, 4096, -2048);
    const encoded = await encodeJpegLs(
      { width: W, height: H, bitsPerSample: 12, componentCount: 1 },
      values.map((v) => v & 0x0fff),
    );
    const { frame } = await decode(wrap(encoded, TS.jpegLs, { bits: 12, signed: true }));
    expect(Array.from(frame.data)).to.deep.equal(values);
  });

  const rgb = pattern(W * H * 3, 256);

  it('colour JPEG 2000 with the reversible colour transform comes out as interleaved RGB', async () => {
    const info: EncodeFrameInfo = {
      width: W,
      height: H,
      bitsPerSample: 8,
      componentCount: 3,
      isSigned: false,
      isUsingColorTransform: true,
    };
    const encoded = await encodeJ2k(info, rgb);
    const { stack, frame } = await decode(
      wrap(encoded, TS.j2kLossless, { bits: 8, spp: 3, photometric: 'YBR_RCT' }),
    );
    expect(stack.samplesPerPixel).to.equal(3);
    expect(Array.from(frame.data)).to.deep.equal(rgb);
  });

  it('colour JPEG-LS decodes to interleaved RGB whatever its interleave mode', async () => {
    const info: EncodeFrameInfo = { width: W, height: H, bitsPerSample: 8, componentCount: 3 };
    for (const mode of [0, 1, 2]) {
      const encoded = await encodeJpegLs(info, rgb, 0, mode);
      const { frame } = await decode(wrap(encoded, TS.jpegLs, { bits: 8, spp: 3 }));
      expect(Array.from(frame.data), `interleave mode ${mode}`).to.deep.equal(rgb);
    }
  });

  it('near-lossless JPEG-LS stays within its error bound', async () => {
    const values = pattern(W * H, 65536);
    const near = 3;
    const encoded = await encodeJpegLs(gray16, values, near);
    const { frame } = await decode(wrap(encoded, TS.jpegLsNear, { bits: 16 }));
    let worst = 0;
    for (let i = 0; i < values.length; i++) worst = Math.max(worst, Math.abs(frame.data[i]! - values[i]!));
    expect(worst).to.be.at.most(near);
  });

  it('refuses a codestream whose size disagrees with the header', async () => {
    const encoded = await encodeHtj2k(gray16, pattern(W * H, 65536));
    const stack = await loadImageStack(wrap(encoded, TS.htj2kLossless, { bits: 16, rows: H + 1 }));
    const error = await voxmarkRejection(stack.getFrame(0));
    expect(error.code).to.equal('corrupt');
  });

  it('turns garbage in every codec into a VoxmarkError and keeps decoding afterwards', async () => {
    const garbage = new Uint8Array(200).map((_, i) => (i * 73 + 11) & 0xff);
    garbage.set([0xff, 0x4f, 0xff, 0x51]); // looks like a J2K codestream start
    for (const ts of [TS.htj2kLossless, TS.j2kLossless, TS.jpegLs]) {
      const stack = await loadImageStack(wrap(garbage, ts, { bits: 16 }));
      const error = await voxmarkRejection(stack.getFrame(0));
      expect(error.code, ts).to.be.oneOf(['codec-failed', 'corrupt']);
    }
    // The codec modules still work after a failure.
    const values = pattern(W * H, 65536);
    const { frame } = await decode(wrap(await encodeHtj2k(gray16, values), TS.htj2kLossless, { bits: 16 }));
    expect(Array.from(frame.data)).to.deep.equal(values);
  });
});
