/**
 * DICOM in-plane spacing: projection radiographs (DX, MG, CR) often carry only Imager Pixel Spacing, and
 * secondary captures carry none. The first must give the spacing; the second must not claim millimetres.
 */
import { expect } from '@open-wc/testing';
import { loadImageStack } from '../../../src/core/index.js';
import { buildImage, u16le, type El } from '../../helpers/dicom-builder.js';

const S = (tag: number, vr: string, value: string): El => ({ tag, vr, value });
const pixels = u16le(new Array(15).fill(7));

describe('DICOM pixel spacing fallbacks', () => {
  it('uses Imager Pixel Spacing when Pixel Spacing is absent', async () => {
    const stack = await loadImageStack(
      buildImage({
        rows: 3,
        columns: 5,
        pixels,
        extra: [S(0x00080060, 'CS', 'DX'), S(0x00181164, 'DS', '0.15\\0.14')],
      }),
    );
    expect(stack.spacing).to.deep.equal([0.14, 0.15, 1]);
    expect(stack.metadata.spacingUnit).to.equal('mm');
  });

  it('says the unit is pixels when the file gives no spacing at all', async () => {
    const stack = await loadImageStack(buildImage({ rows: 3, columns: 5, pixels }));
    expect(stack.spacing).to.deep.equal([1, 1, 1]);
    expect(stack.metadata.spacingUnit).to.equal('pixel');
  });

  it('keeps millimetres when Pixel Spacing is there', async () => {
    const stack = await loadImageStack(
      buildImage({ rows: 3, columns: 5, pixels, extra: [S(0x00280030, 'DS', '0.5\\0.25')] }),
    );
    expect(stack.spacing).to.deep.equal([0.25, 0.5, 1]);
    expect(stack.metadata.spacingUnit).to.equal('mm');
  });
});
