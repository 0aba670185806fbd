/**
 * Enhanced multi-frame instances keep orientation, pixel measures, rescale and window in functional
 * groups (PS3.3 C.7.6.16), not at the top level. The loader must read them there: per-frame rescale
 * (Hounsfield units), orientation (so slice spacing comes from the frame positions), and pixel spacing.
 */
import { expect } from '@open-wc/testing';
import { loadImageStack } from '../../../src/core/index.js';
import { buildDicom, imageElements, u16le, type El } from '../../helpers/dicom-builder.js';

const S = (tag: number, vr: string, value: string | number | number[]): El => ({ tag, vr, value });
const FRAMES = 3;

function enhancedCt(): Uint8Array {
  const perFrame: El[][] = Array.from({ length: FRAMES }, (_, k) => [
    { tag: 0x00209111, vr: 'SQ', items: [[S(0x00209157, 'UL', [1, k + 1])]] },
    { tag: 0x00209113, vr: 'SQ', items: [[S(0x00200032, 'DS', `-50\\-60\\${10 + 3 * k}`)]] },
    {
      tag: 0x00289145,
      vr: 'SQ',
      items: [[S(0x00281052, 'DS', String(-1000 - k)), S(0x00281053, 'DS', '2'), S(0x00281054, 'LO', 'HU')]],
    },
  ]);
  const shared: El[] = [
    { tag: 0x00289110, vr: 'SQ', items: [[S(0x00280030, 'DS', '0.6\\0.7'), S(0x00180050, 'DS', '2')]] },
    { tag: 0x00209116, vr: 'SQ', items: [[S(0x00200037, 'DS', '1\\0\\0\\0\\1\\0')]] },
    { tag: 0x00289132, vr: 'SQ', items: [[S(0x00281050, 'DS', '40'), S(0x00281051, 'DS', '350')]] },
  ];
  const pixels = u16le(Array.from({ length: 2 * 3 * FRAMES }, (_, i) => i));
  return buildDicom([
    ...imageElements({
      rows: 2,
      columns: 3,
      frames: FRAMES,
      pixels,
      extra: [
        S(0x00080016, 'UI', '1.2.840.10008.5.1.4.1.1.2.1'),
        S(0x00080060, 'CS', 'CT'),
        S(0x00080018, 'UI', '1.2.3.9'),
      ],
    }),
    { tag: 0x52009229, vr: 'SQ', items: [shared] },
    { tag: 0x52009230, vr: 'SQ', items: perFrame },
  ]);
}

describe('enhanced multi-frame DICOM', () => {
  it('applies each frame’s Pixel Value Transformation', async () => {
    const stack = await loadImageStack(enhancedCt());
    for (let k = 0; k < FRAMES; k++) {
      const f = await stack.getFrame(k);
      expect([f.rescaleSlope, f.rescaleIntercept], `frame ${k}`).to.deep.equal([2, -1000 - k]);
    }
  });

  it('takes orientation, pixel spacing and slice spacing from the functional groups', async () => {
    const stack = await loadImageStack(enhancedCt());
    expect(stack.metadata.imageOrientationPatient).to.deep.equal([1, 0, 0, 0, 1, 0]);
    // Pixel Spacing is row then column spacing; the step between frame positions is 3 mm (thickness 2).
    expect(stack.spacing).to.deep.equal([0.7, 0.6, 3]);
    expect(stack.windowPresets[0]).to.deep.include({ center: 40, width: 350 });
  });
});
