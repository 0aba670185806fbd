/**
 * COCO as pycocotools reads it: polygon areas are pycocotools' own rasterized pixel counts (rleFrPoly), boxes
 * carry a polygon segmentation that frPyObjects can read, and crowd regions survive a round trip.
 *
 * The known answers are pycocotools 2.0 output: `mask.frPyObjects([xy], h, w)[0]['counts']` and `mask.area`.
 */
import { expect } from '@open-wc/testing';
import { AnnotationDocument } from '../../../src/core/annotation/document.js';
import type { Point } from '../../../src/core/annotation/types.js';
import { cocoPolygonArea, rleFromPolygon } from '../../../src/core/formats/coco-polygon.js';
import { polygonArea, readCoco, toCoco, type CocoRle } from '../../../src/core/formats/coco.js';
import { countsToString, decodeRle } from '../../../src/core/mask/rle.js';
import type { LabelSchema } from '../../../src/core/schema/types.js';
import { testStack } from './helpers.js';

const STAR = [50, 0, 80, 100, 0, 38, 100, 38, 20, 100];

const KNOWN: { name: string; xy: number[]; h: number; w: number; counts: string; area: number }[] = [
  {
    name: 'a five-pointed star drawn in one stroke',
    xy: STAR,
    h: 120,
    w: 110,
    counts:
      'n41g31O1O001O1O1O1O001O1O1O001O1O1O001O1O1SNB>?^OCc0=ZOEg0<TOGm0:oNHR19jNJV16fNM[14aNN`13\\NOe12VN2j1ORN3o1j01oNRN7o1FUN8l1EXN:h1B\\N=e1@_N>b1_ObN?]2OoNAjN=T1FlN9Q1KPO3n00SONk05VOJf0:ZOEd0>]O@a0c0@[O=i0DVO9m0HQO6R1JmN7S1ImN:P1FQO<l0CVO`0f0_O[Od0b0[O@g0=XOEk07UOJm03RONQ1OnN3U1IjN9X1DhN=X22QOBaN?_1D]N>b1EZN=e1GWN:h1ITN8l1KPN7o1j0OSOPN3o1LUN2j1M[NOe10_NN`11dNM[13iNJV15nNHR17ROGm08XOEg0;\\OCc0<AB>=_1O1O100O1O1O100O1O1O100O1O1O1O100O1OSX1',
    area: 2232,
  },
  {
    name: 'a fractional quadrilateral',
    xy: [2.5, 1.2, 9.7, 3.3, 8.1, 11.9, 1.4, 8.8],
    h: 13,
    w: 12,
    counts: 'e0166O20O01O010ON2Kl0',
    area: 61,
  },
  {
    name: 'a quadrilateral past the image edges',
    xy: [-3, -2, 14.5, 1, 12, 15, 0.5, 9],
    h: 10,
    w: 11,
    counts: '09100a2',
    area: 108,
  },
  {
    name: 'the corners of a fractional box',
    xy: [2.5, 1.5, 6.5, 1.5, 6.5, 4.5, 2.5, 4.5],
    h: 8,
    w: 9,
    counts: 'j03500000>',
    area: 12,
  },
  { name: 'a triangle', xy: [0, 0, 7, 0, 0, 5], h: 6, w: 8, counts: '051O1O1O100O=', area: 17 },
];

const toPoints = (xy: number[]): Point[] => {
  const out: Point[] = [];
  for (let i = 0; i + 1 < xy.length; i += 2) out.push([xy[i]!, xy[i + 1]!]);
  return out;
};

const schema: LabelSchema = {
  version: 1,
  labels: [
    { id: 'roi', name: 'ROI', color: '#ff0000', kinds: ['box', 'polygon', 'mask'] },
    { id: 'crowd', name: 'Crowd', color: '#00ff00', kinds: ['mask', 'polygon'] },
  ],
};

describe('COCO as pycocotools reads it', () => {
  for (const k of KNOWN) {
    it(`rasterizes ${k.name} exactly as pycocotools' rleFrPoly`, () => {
      const counts = rleFromPolygon(k.xy, k.h, k.w);
      expect(countsToString(counts)).to.equal(k.counts);
      expect(cocoPolygonArea(toPoints(k.xy), k.h, k.w)).to.equal(k.area);
    });
  }

  it('writes the pycocotools area of a self-intersecting star, not its shoelace area', () => {
    const stack = testStack({ width: 110, height: 120, depth: 1 });
    const doc = new AnnotationDocument({ width: 110, height: 120, depth: 1 });
    doc.add({ label: 'roi', kind: 'polygon', slice: 0, points: toPoints(STAR) });
    const [ann] = toCoco(doc, stack, schema).annotations;
    expect(polygonArea(toPoints(STAR))).to.equal(4240);
    expect(ann!.area).to.equal(2232);
    expect(ann!.segmentation).to.deep.equal([STAR]);
  });

  it('writes boxes with their four corners as a polygon that rleFrPoly fills to the box', () => {
    const stack = testStack({ width: 20, height: 16, depth: 1 });
    const doc = new AnnotationDocument({ width: 20, height: 16, depth: 1 });
    doc.add({ label: 'roi', kind: 'box', slice: 0, box: { x: 2, y: 3, width: 5, height: 4 } });
    doc.add({ label: 'roi', kind: 'polygon', slice: 0, points: toPoints([1, 1, 9, 1, 9, 7]) });
    doc.add({ label: 'roi', kind: 'box', slice: 0, box: { x: 10.5, y: 0.5, width: 3, height: 6.25 } });
    const coco = toCoco(doc, stack, schema);
    const [box, , fractional] = coco.annotations;
    expect(box!.segmentation).to.deep.equal([[2, 3, 7, 3, 7, 7, 2, 7]]);
    expect(box!.area).to.equal(20);
    expect(fractional!.segmentation).to.deep.equal([[10.5, 0.5, 13.5, 0.5, 13.5, 6.75, 10.5, 6.75]]);
    // frPyObjects reads every annotation: a non-empty polygon list (≥ 3 points each) or an RLE.
    for (const a of coco.annotations) {
      const seg = a.segmentation;
      const readable = Array.isArray(seg)
        ? seg.length > 0 && seg.every((p) => p.length >= 6 && p.length % 2 === 0)
        : Array.isArray((seg as CocoRle).size);
      expect(readable, JSON.stringify(seg)).to.equal(true);
    }
    const counts = rleFromPolygon((box!.segmentation as number[][])[0]!, 16, 20);
    const mask = decodeRle({ size: [16, 20], counts: countsToString(counts) });
    expect(mask.reduce((s, v) => s + v, 0)).to.equal(20);
    for (let y = 3; y < 7; y++) for (let x = 2; x < 7; x++) expect(mask[y * 20 + x], `${x},${y}`).to.equal(1);
  });

  it('omits box segmentations on request, and reads its boxes back as boxes either way', () => {
    const stack = testStack({ width: 20, height: 16, depth: 1 });
    const doc = new AnnotationDocument({ width: 20, height: 16, depth: 1 });
    doc.add({ label: 'roi', kind: 'box', slice: 0, box: { x: 2.5, y: 3, width: 5, height: 4.5 } });
    const none = toCoco(doc, stack, schema, { boxSegmentation: 'none' });
    expect(none.annotations[0]!.segmentation).to.deep.equal([]);
    for (const coco of [toCoco(doc, stack, schema), none]) {
      const { document, report } = readCoco(coco, { schema, stack });
      expect(report.skipped).to.deep.equal([]);
      const [a] = document.annotations;
      expect(a!.kind).to.equal('box');
      expect(a!.box).to.deep.equal({ x: 2.5, y: 3, width: 5, height: 4.5 });
    }
  });

  it('imports iscrowd: 1 as a crowd region kept as an attribute, and exports it back as crowd', () => {
    const stack = testStack({ width: 4, height: 3, depth: 1 });
    const source = {
      images: [{ id: 1, width: 4, height: 3, voxmark_slice: 0 }],
      categories: [
        { id: 1, name: 'crowd' },
        { id: 2, name: 'roi' },
      ],
      annotations: [
        {
          id: 7,
          image_id: 1,
          category_id: 1,
          iscrowd: 1,
          bbox: [0, 0, 4, 2],
          segmentation: { size: [3, 4], counts: [0, 2, 1, 2, 1, 2, 1, 2, 1] },
        },
        { id: 8, image_id: 1, category_id: 2, iscrowd: 0, bbox: [1, 1, 2, 1], segmentation: [], area: 2 },
      ],
    };
    const { document } = readCoco(source, { schema, stack });
    const [crowd, single] = document.annotations;
    expect(crowd!.kind).to.equal('mask');
    expect(crowd!.attributes).to.deep.equal({ iscrowd: true });
    expect(single!.attributes).to.equal(undefined);
    const out = toCoco(document, stack, schema);
    expect(out.annotations.map((a) => a.iscrowd)).to.deep.equal([1, 0]);
    expect(out.annotations[0]!.attributes).to.equal(undefined);
    expect(out.annotations[0]!.area).to.equal(8);
    const again = readCoco(out, { schema, stack }).document;
    expect(again.annotations.map((a) => a.attributes)).to.deep.equal([{ iscrowd: true }, undefined]);
  });
});
