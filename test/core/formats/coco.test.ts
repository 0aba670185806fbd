import { expect } from '@open-wc/testing';
import { AnnotationDocument } from '../../../src/core/annotation/document.js';
import { fromCoco, readCoco, toCoco, toCocoAsync, type CocoRle } from '../../../src/core/formats/coco.js';
import { decodeRle, encodeRle, maskToCounts } from '../../../src/core/mask/rle.js';
import { hierarchical } from '../schema/fixtures.js';
import { blobMask, testStack } from './helpers.js';

const W = 20;
const H = 16;

function makeDoc() {
  const doc = new AnnotationDocument({ width: W, height: H, depth: 4 });
  doc.add({ id: 'b1', label: 'organ', kind: 'box', slice: 0, box: { x: 2, y: 3, width: 5, height: 4 } });
  doc.add({
    id: 'p1',
    label: 'lesion',
    kind: 'polygon',
    slice: 1,
    points: [
      [1, 1],
      [9, 1],
      [9, 7],
    ],
  });
  doc.add({
    id: 'm1',
    label: 'tumour',
    kind: 'mask',
    slice: 3,
    mask: { data: blobMask(W, H, 4, 5, 9, 7) },
    attributes: { grade: 'G3', size: 4 },
  });
  return doc;
}

describe('COCO export', () => {
  const stack = testStack({ width: W, height: H, depth: 4 });

  it('writes one image per slice with its DICOM references', () => {
    const coco = toCoco(makeDoc(), stack, hierarchical);
    expect(coco.images.length).to.equal(4);
    expect(coco.images[2]).to.deep.include({
      id: 3,
      width: W,
      height: H,
      voxmark_slice: 2,
      sop_instance_uid: '1.2.826.0.1.3680043.10.1.3',
      study_instance_uid: '1.2.826.0.1.3680043.10.2',
      series_instance_uid: '1.2.826.0.1.3680043.10.3',
    });
    const tiff = toCoco(
      makeDoc(),
      testStack({ width: W, height: H, depth: 4, format: 'tiff' }),
      hierarchical,
    );
    expect(tiff.images.map((i) => i.page)).to.deep.equal([0, 1, 2, 3]);
  });

  it('takes categories from the schema with the parent as supercategory', () => {
    const coco = toCoco(makeDoc(), stack, hierarchical);
    expect(coco.categories.map((c) => [c.id, c.name, c.supercategory, c.voxmark_id])).to.deep.equal([
      [1, 'Lesion', 'Lesion', 'lesion'],
      [2, 'Tumour', 'Lesion', 'tumour'],
      [3, 'Organ', 'Organ', 'organ'],
    ]);
  });

  it('writes boxes, polygons and masks with area, iscrowd, instance id and attributes', () => {
    const coco = toCoco(makeDoc(), stack, hierarchical);
    const [box, poly, mask] = coco.annotations;
    expect(box).to.deep.include({
      id: 1,
      image_id: 1,
      category_id: 3,
      area: 20,
      iscrowd: 0,
      voxmark_id: 'b1',
    });
    expect(box!.bbox).to.deep.equal([2, 3, 5, 4]);
    expect(poly).to.deep.include({ image_id: 2, category_id: 1, area: 24, voxmark_id: 'p1' });
    expect(poly!.bbox).to.deep.equal([1, 1, 8, 6]);
    expect(poly!.segmentation).to.deep.equal([[1, 1, 9, 1, 9, 7]]);
    const full = blobMask(W, H, 4, 5, 9, 7);
    expect(mask!.segmentation).to.deep.equal(encodeRle(full, W, H));
    expect(mask!.area).to.equal(full.reduce((s, v) => s + v, 0));
    expect(mask!.bbox).to.deep.equal([4, 5, 9, 7]);
    expect(mask!.attributes).to.deep.equal({ grade: 'G3', size: 4 });
    expect(JSON.parse(JSON.stringify(coco))).to.deep.equal(coco);
  });

  it('rasterizes boxes and polygons to RLE on request', () => {
    const coco = toCoco(makeDoc(), stack, hierarchical, { rasterize: true });
    const box = decodeRle(coco.annotations[0]!.segmentation as CocoRle);
    expect(box.reduce((s, v) => s + v, 0)).to.equal(20);
    expect(box[3 * W + 2]).to.equal(1);
    expect(box[3 * W + 7]).to.equal(0);
    expect(coco.annotations[0]!.area).to.equal(20);
  });

  it('never changes the document, even when the export fails', () => {
    const doc = makeDoc();
    const before = JSON.stringify(doc.toJSON());
    toCoco(doc, stack, hierarchical, { rasterize: true });
    expect(() => toCoco(doc, stack, hierarchical, { slices: [99] })).to.throw();
    expect(JSON.stringify(doc.toJSON())).to.equal(before);
  });

  it('exports in chunks with progress', async () => {
    const doc = makeDoc();
    const seen: number[] = [];
    const coco = await toCocoAsync(doc, stack, hierarchical, { onProgress: (p) => seen.push(p.done) });
    expect(seen.at(-1)).to.equal(3);
    const sync = toCoco(doc, stack, hierarchical);
    expect({ ...coco, info: {} }).to.deep.equal({ ...sync, info: {} });
    const ac = new AbortController();
    ac.abort();
    let err: unknown;
    await toCocoAsync(doc, stack, hierarchical, { signal: ac.signal }).catch((e) => (err = e));
    expect(err).to.have.property('code', 'aborted');
  });
});

describe('COCO import', () => {
  const stack = testStack({ width: W, height: H, depth: 4 });

  it('reads back its own export identically', () => {
    const doc = makeDoc();
    const back = fromCoco(JSON.parse(JSON.stringify(toCoco(doc, stack, hierarchical))), {
      schema: hierarchical,
      stack,
    });
    const strip = (d: AnnotationDocument) =>
      d.toJSON().annotations.map(({ createdAt: _c, updatedAt: _u, ...rest }) => rest);
    expect(strip(back)).to.deep.equal(strip(doc));
  });

  it('maps categories and images from another tool and reports what it could not map', () => {
    const full = blobMask(W, H, 1, 1, 6, 6);
    // Uncompressed counts, as other tools write them (`{ size, counts: [..] }`).
    const counts = Array.from(maskToCounts(full, W, H));
    const coco = {
      images: [
        { id: 10, width: W, height: H, file_name: 'a.png', sop_instance_uid: '1.2.826.0.1.3680043.10.1.2' },
        { id: 11, width: W, height: H, file_name: 'b.png', sop_instance_uid: '9.9.9' },
      ],
      categories: [
        { id: 7, name: 'tumour ' },
        { id: 8, name: 'ORGAN' },
        { id: 9, name: 'vessel' },
      ],
      annotations: [
        {
          id: 1,
          image_id: 10,
          category_id: 7,
          bbox: [1, 1, 6, 6],
          segmentation: { size: [H, W], counts },
          area: 1,
          iscrowd: 1,
        },
        { id: 2, image_id: 10, category_id: 8, bbox: [0, 0, 3, 3], segmentation: [], area: 9, iscrowd: 0 },
        { id: 3, image_id: 10, category_id: 9, bbox: [0, 0, 3, 3], segmentation: [], area: 9, iscrowd: 0 },
        { id: 4, image_id: 11, category_id: 8, bbox: [0, 0, 3, 3], segmentation: [], area: 9, iscrowd: 0 },
        // Two polygon parts of one tumour: merged into a mask (tumour allows masks).
        {
          id: 5,
          image_id: 10,
          category_id: 7,
          bbox: [0, 0, 10, 10],
          segmentation: [
            [0, 0, 4, 0, 4, 4, 0, 4],
            [10, 10, 14, 10, 14, 14, 10, 14],
          ],
        },
        // Organ allows boxes only and has no usable bbox.
        { id: 6, image_id: 10, category_id: 8, bbox: 'x', segmentation: [] },
      ],
    };
    const { document, report } = readCoco(coco, { schema: hierarchical, stack });
    expect(report.imported).to.equal(3);
    expect(report.unmappedCategories).to.deep.equal([{ id: 9, name: 'vessel', annotations: 1 }]);
    expect(report.unmappedImages).to.deep.equal([{ id: 11, file_name: 'b.png', annotations: 1 }]);
    expect(report.skipped.map((s) => s.id)).to.deep.equal([6]);
    const [m, b, parts] = document.annotations;
    expect(m).to.deep.include({ label: 'tumour', kind: 'mask', slice: 1 });
    expect(Array.from(document.getMask(m!.id)!.data)).to.deep.equal(Array.from(full));
    expect(b).to.deep.include({ label: 'organ', kind: 'box', slice: 1 });
    const pm = document.getMask(parts!.id)!.data;
    expect(pm.reduce((s, v) => s + v, 0)).to.equal(32);
  });

  it('rejects input that is not COCO', () => {
    expect(() => fromCoco({ foo: 1 }, { schema: hierarchical, stack }))
      .to.throw()
      .with.property('code', 'invalid-document');
    expect(() => fromCoco({ images: [], annotations: [] }, { schema: hierarchical }))
      .to.throw()
      .with.property('code', 'invalid-argument');
  });
});
