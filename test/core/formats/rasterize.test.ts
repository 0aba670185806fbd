/**
 * One rasterization rule for every shape: a pixel is inside when its centre is inside. A box, fractional or
 * not, fills exactly what the polygon of its four corners fills, in rasterizeBox and through every mask
 * export (DICOM SEG, NIfTI, COCO RLE).
 */
import { expect } from '@open-wc/testing';
import { AnnotationDocument } from '../../../src/core/annotation/document.js';
import type { Box, Point } from '../../../src/core/annotation/types.js';
import { toCoco } from '../../../src/core/formats/coco.js';
import { toNifti } from '../../../src/core/formats/nifti.js';
import { rasterizeBox, rasterizePolygon } from '../../../src/core/formats/rasterize.js';
import { decodeRle, type CocoRle } from '../../../src/core/mask/rle.js';
import { fromDicomSeg, toDicomSeg } from '../../../src/core/formats/seg.js';
import type { LabelSchema } from '../../../src/core/schema/types.js';
import { testStack } from './helpers.js';

const W = 11;
const H = 9;

const corners = (b: Box): Point[] => [
  [b.x, b.y],
  [b.x + b.width, b.y],
  [b.x + b.width, b.y + b.height],
  [b.x, b.y + b.height],
];

const columnsOf = (mask: Uint8Array, row: number) =>
  Array.from({ length: W }, (_, x) => x).filter((x) => mask[row * W + x] === 1);

/** Fractional boxes: centres on the edges, just off them, negative and past the image. */
const BOXES: Box[] = [];
for (const x of [2.5, 2.49, 2.51, 0, -1.5, 7.25, 9.6])
  for (const width of [4, 0.4, 1, 2.75, 6.5])
    for (const [y, height] of [
      [1.5, 3],
      [0.2, 0.9],
      [-2, 4.5],
      [6.5, 4],
    ] as const)
      BOXES.push({ x, y, width, height });

const schema: LabelSchema = {
  version: 1,
  labels: [{ id: 'roi', name: 'ROI', color: '#ff0000', kinds: ['box', 'polygon', 'mask'] }],
};

/** A box on slice 0 and the same outline as a polygon on slice 1. */
function boxAndPolygon(box: Box): AnnotationDocument {
  const doc = new AnnotationDocument({ width: W, height: H, depth: 2 });
  doc.add({ label: 'roi', kind: 'box', slice: 0, box });
  doc.add({ label: 'roi', kind: 'polygon', slice: 1, points: corners(box) });
  return doc;
}

const EXPORTED: Box[] = [
  { x: 2.5, y: 1.5, width: 4, height: 3 },
  { x: 1.3, y: 2.7, width: 5.4, height: 4.6 },
  { x: -0.5, y: 6.5, width: 3.5, height: 9 },
];

describe('rasterization: one rule for boxes and polygons', () => {
  it('fills the columns whose centres lie in a fractional box, as the polygon does', () => {
    const box = rasterizeBox({ x: 2.5, y: 1.5, width: 4, height: 3 }, W, H);
    expect(columnsOf(box, 2)).to.deep.equal([2, 3, 4, 5]);
    expect([0, 1, 2, 3, 4, 5].map((y) => columnsOf(box, y).length)).to.deep.equal([0, 4, 4, 4, 0, 0]);
    const polygon = rasterizePolygon(corners({ x: 2.5, y: 1.5, width: 4, height: 3 }), W, H);
    expect(Array.from(box)).to.deep.equal(Array.from(polygon));
  });

  it('fills what the polygon of its corners fills, for every fractional box', () => {
    for (const b of BOXES) {
      const box = Array.from(rasterizeBox(b, W, H));
      const polygon = Array.from(rasterizePolygon(corners(b), W, H));
      expect(box, JSON.stringify(b)).to.deep.equal(polygon);
    }
  });

  it('keeps integer boxes as they were: x … x + width - 1', () => {
    const box = rasterizeBox({ x: 2, y: 3, width: 5, height: 4 }, W, H);
    expect(columnsOf(box, 3)).to.deep.equal([2, 3, 4, 5, 6]);
    expect(box.reduce((s, v) => s + v, 0)).to.equal(20);
  });

  it('exports the same DICOM SEG frame for a box and its polygon', async () => {
    const stack = testStack({ width: W, height: H, depth: 2 });
    for (const b of EXPORTED) {
      const seg = await fromDicomSeg(await toDicomSeg(boxAndPolygon(b), stack, schema, { rasterize: true }));
      expect(seg.frames.map((f) => f.sopInstanceUID)).to.deep.equal(
        stack.slices.map((s) => s.sopInstanceUID),
      );
      expect(Array.from(seg.frames[0]!.data), JSON.stringify(b)).to.deep.equal(
        Array.from(seg.frames[1]!.data),
      );
      expect(Array.from(seg.frames[0]!.data)).to.deep.equal(Array.from(rasterizeBox(b, W, H)));
    }
  });

  it('exports the same NIfTI slice for a box and its polygon', async () => {
    const stack = testStack({ width: W, height: H, depth: 2 });
    for (const b of EXPORTED) {
      const nii = new Uint8Array(await toNifti(boxAndPolygon(b), stack, schema, { rasterize: true }));
      expect(nii.length).to.equal(352 + W * H * 2);
      const [first, second] = [nii.subarray(352, 352 + W * H), nii.subarray(352 + W * H)];
      expect(Array.from(first), JSON.stringify(b)).to.deep.equal(Array.from(second));
      expect(first.reduce((s, v) => s + (v ? 1 : 0), 0)).to.equal(
        rasterizeBox(b, W, H).reduce((s, v) => s + v, 0),
      );
    }
  });

  it('exports the same COCO RLE mask, area and bbox for a box and its polygon', () => {
    const stack = testStack({ width: W, height: H, depth: 2 });
    for (const b of EXPORTED) {
      const [box, polygon] = toCoco(boxAndPolygon(b), stack, schema, { rasterize: true }).annotations;
      expect(box!.segmentation, JSON.stringify(b)).to.deep.equal(polygon!.segmentation);
      expect([box!.area, box!.bbox]).to.deep.equal([polygon!.area, polygon!.bbox]);
      expect(Array.from(decodeRle(box!.segmentation as CocoRle))).to.deep.equal(
        Array.from(rasterizeBox(b, W, H)),
      );
    }
  });
});
