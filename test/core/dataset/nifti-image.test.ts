import { expect } from '@open-wc/testing';
import { niftiImageType, toNiftiImage } from '../../../src/core/dataset/nifti-image.js';
import { LazyImageStack } from '../../../src/core/image/stack.js';
import type { DataType, PixelArray } from '../../../src/core/image/types.js';
import { readNiftiGz } from './fixtures.js';

function stack(
  dataType: DataType,
  frames: PixelArray[],
  rescale: [number, number][],
  storedRange?: [number, number],
) {
  return new LazyImageStack({
    format: 'tiff',
    width: 2,
    height: 2,
    samplesPerPixel: 1,
    dataType,
    slices: frames.map((_, page) => ({ page })),
    metadata: storedRange ? { storedRange } : {},
    decode: async (k) => ({
      width: 2,
      height: 2,
      samplesPerPixel: 1,
      data: frames[k]!,
      rescaleSlope: rescale[k]![0],
      rescaleIntercept: rescale[k]![1],
    }),
  });
}

describe('toNiftiImage', () => {
  it('keeps stored values: int16 for 12-bit unsigned data, uint16 for full-range data', async () => {
    const twelve = stack('uint16', [new Uint16Array([0, 1, 4095, 7])], [[1, -1024]], [0, 4095]);
    expect(niftiImageType(twelve)).to.equal('int16');
    const a = await readNiftiGz(new Uint8Array((await toNiftiImage(twelve)).bytes));
    expect([a.datatype, a.slope, a.intercept]).to.deep.equal([4, 1, -1024]);
    expect(Array.from(a.data)).to.deep.equal([0, 1, 4095, 7]);
    const full = stack('uint16', [new Uint16Array([0, 65535, 40000, 1])], [[2, 0]]);
    expect(niftiImageType(full)).to.equal('uint16');
    const b = await readNiftiGz(new Uint8Array((await toNiftiImage(full)).bytes));
    expect([b.datatype, b.bitpix, b.slope]).to.deep.equal([512, 16, 2]);
    expect(Array.from(b.data)).to.deep.equal([0, 65535, 40000, 1]);
  });

  it('writes float32 modality values when the rescale differs between frames', async () => {
    const s = stack(
      'int16',
      [new Int16Array([1, 2, 3, 4]), new Int16Array([1, 2, 3, 4])],
      [
        [1, 0],
        [0.5, -10],
      ],
    );
    const info = await toNiftiImage(s);
    expect([info.datatype, info.rescaled]).to.deep.equal(['float32', true]);
    const v = await readNiftiGz(new Uint8Array(info.bytes));
    expect([v.datatype, v.bitpix, v.slope, v.intercept]).to.deep.equal([16, 32, 1, 0]);
    expect(Array.from(v.data)).to.deep.equal([1, 2, 3, 4, -9.5, -9, -8.5, -8]);
  });
});
