/** Format sniffing works from the bytes alone. */
import { expect } from '@open-wc/testing';
import { loadImageStack, sniffFormat } from '../../../src/core/index.js';
import { TS, buildImage, u16le } from '../../helpers/dicom-builder.js';
import { voxmarkRejection } from '../../helpers/rejection.js';

describe('sniffFormat', () => {
  const image = { rows: 2, columns: 2, pixels: u16le([1, 2, 3, 4]) };

  it('recognises DICOM with preamble, without preamble, and bare datasets', () => {
    const part10 = buildImage(image);
    expect(sniffFormat(part10)).to.deep.equal({ format: 'dicom', preamble: true });
    expect(sniffFormat(part10.subarray(128))).to.deep.equal({ format: 'dicom', preamble: false });
    for (const transferSyntax of [TS.explicitLE, TS.implicitLE, TS.explicitBE]) {
      const bare = buildImage(image, { transferSyntax, part10: false });
      expect(sniffFormat(bare), transferSyntax).to.deep.equal({ format: 'dicom', preamble: false });
    }
  });

  it('recognises classic TIFF in both byte orders and BigTIFF', () => {
    expect(sniffFormat(new Uint8Array([0x49, 0x49, 42, 0, 8, 0, 0, 0]))).to.deep.equal({
      format: 'tiff',
      littleEndian: true,
      bigTiff: false,
    });
    expect(sniffFormat(new Uint8Array([0x4d, 0x4d, 0, 42, 0, 0, 0, 8]))).to.deep.equal({
      format: 'tiff',
      littleEndian: false,
      bigTiff: false,
    });
    expect(sniffFormat(new Uint8Array([0x49, 0x49, 43, 0, 8, 0, 0, 0]))).to.deep.equal({
      format: 'tiff',
      littleEndian: true,
      bigTiff: true,
    });
  });

  it('calls anything else unknown, and loading it fails with not-an-image', async () => {
    for (const bytes of [
      new Uint8Array(0),
      new TextEncoder().encode('<html>hello</html>'),
      new Uint8Array(500),
    ]) {
      expect(sniffFormat(bytes).format).to.equal('unknown');
      expect((await voxmarkRejection(loadImageStack(bytes))).code).to.equal('not-an-image');
    }
  });

  it('loads "DICM" without the preamble', async () => {
    const stack = await loadImageStack(buildImage(image).slice(128));
    expect(Array.from((await stack.getFrame(0)).data)).to.deep.equal([1, 2, 3, 4]);
  });
});
