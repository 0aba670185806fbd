import { expect } from '@open-wc/testing';
import fc from 'fast-check';
import {
  clampZoom,
  fitView,
  imageToView,
  pixelAspect,
  viewState,
  viewToImage,
  zoomAt,
} from '../../src/render/view.js';

describe('view geometry', () => {
  it('maps the centre image point to the view centre, and back', () => {
    const v = viewState({ zoom: 2, centerX: 10, centerY: 20, aspect: 1.5, width: 300, height: 200 });
    expect(imageToView(v, 10, 20)).to.deep.equal([150, 100]);
    expect(imageToView(v, 11, 21)).to.deep.equal([152, 103]);
    expect(viewToImage(v, 152, 103)).to.deep.equal([11, 21]);
  });

  it('fits the image, limited by the tighter side, with the pixel aspect', () => {
    expect(fitView(100, 50, 1, 400, 400)).to.deep.equal({ zoom: 4, centerX: 50, centerY: 25 });
    expect(fitView(100, 50, 4, 400, 400).zoom).to.equal(2); // 50 rows × 4 = 200 tall
  });

  it('zooms about a view point, keeping the image point under it fixed (property)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.05, max: 20, noNaN: true }),
        fc.double({ min: 0.05, max: 20, noNaN: true }),
        fc.double({ min: 0, max: 500, noNaN: true }),
        fc.double({ min: 0, max: 400, noNaN: true }),
        fc.double({ min: 0.5, max: 2, noNaN: true }),
        (z0, z1, vx, vy, aspect) => {
          const v = viewState({ zoom: z0, centerX: 33, centerY: 12, aspect, width: 500, height: 400 });
          const before = viewToImage(v, vx, vy);
          const next = zoomAt(v, z1, vx, vy);
          const after = viewToImage(viewState({ ...next, aspect, width: 500, height: 400 }), vx, vy);
          expect(after[0]).to.be.closeTo(before[0], 1e-6);
          expect(after[1]).to.be.closeTo(before[1], 1e-6);
        },
      ),
    );
  });

  it('clamps zoom and ignores bad spacing', () => {
    expect(clampZoom(0)).to.equal(1);
    expect(clampZoom(NaN)).to.equal(1);
    expect(clampZoom(1e9)).to.equal(64);
    expect(pixelAspect([0.5, 1, 3])).to.equal(2);
    expect(pixelAspect([0, 1, 1])).to.equal(1);
    expect(pixelAspect([1, 1000, 1])).to.equal(1);
    expect(pixelAspect(undefined)).to.equal(1);
  });
});
