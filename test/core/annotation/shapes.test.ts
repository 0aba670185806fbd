import { expect } from '@open-wc/testing';
import { createAnnotationDocument, maskOf } from '../../../src/core/annotation/document.js';
import { SHAPES, measureOf, shapeOf } from '../../../src/core/annotation/shapes.js';
import { boundsOf, hitAnnotation, hitOutline } from '../../../src/core/annotation/geometry.js';
import { AnnotationKinds, MaskHandle, type MaskAnnotation } from '../../../src/core/annotation/types.js';
import { SparseMask } from '../../../src/core/mask/sparse-mask.js';

function docWithOneOfEach() {
  let n = 0;
  const d = createAnnotationDocument({ width: 20, height: 10, depth: 2, createId: () => `a${++n}` });
  const full = new Uint8Array(20 * 10);
  for (let y = 2; y < 5; y++) for (let x = 3; x < 7; x++) full[y * 20 + x] = 1;
  const [box, polygon, mask] = d.add([
    { label: 'l', kind: 'box', slice: 0, box: { x: 1, y: 1, width: 4, height: 2 } },
    {
      label: 'l',
      kind: 'polygon',
      slice: 0,
      points: [
        [10, 0],
        [14, 0],
        [14, 4],
      ],
    },
    { label: 'l', kind: 'mask', slice: 1, mask: { data: full } },
  ]);
  return { d, box: box!, polygon: polygon!, mask: mask! };
}

describe('the shape table', () => {
  it('has one shape per annotation kind', () => {
    expect(Object.keys(SHAPES)).to.deep.equal([...AnnotationKinds]);
  });

  it('gives the bounds of every kind, null for an empty mask', () => {
    const { d, box, polygon, mask } = docWithOneOfEach();
    expect(shapeOf(box).bounds(box)).to.deep.equal([1, 1, 5, 3]);
    expect(shapeOf(polygon).bounds(polygon)).to.deep.equal([10, 0, 14, 4]);
    expect(shapeOf(mask).bounds(mask)).to.deep.equal([3, 2, 7, 5]);
    expect(boundsOf(mask)).to.deep.equal([3, 2, 7, 5]);
    const empty = d.add({ label: 'l', kind: 'mask', slice: 0, mask: d.createMask() });
    expect(boundsOf(empty)).to.equal(null);
  });

  it('moves every kind, as a patch the document takes', () => {
    const { d, box, polygon, mask } = docWithOneOfEach();
    const movedBox = d.update(box.id, shapeOf(box).translate(box, 2, 1));
    expect(movedBox.box).to.deep.equal({ x: 3, y: 2, width: 4, height: 2 });
    const movedPolygon = d.update(polygon.id, shapeOf(polygon).translate(polygon, -1, 1));
    expect(movedPolygon.points).to.deep.equal([
      [9, 1],
      [13, 1],
      [13, 5],
    ]);
    const movedMask = d.update(mask.id, shapeOf(mask).translate(mask, 1, 2));
    expect(boundsOf(movedMask)).to.deep.equal([4, 4, 8, 7]);
    // The original pixels are untouched: undo brings them back.
    d.undo();
    expect(boundsOf(d.get(mask.id)!)).to.deep.equal([3, 2, 7, 5]);
  });

  it('hit-tests inside and on the outline, never outside', () => {
    const { box, polygon, mask } = docWithOneOfEach();
    expect(hitAnnotation(box, 3, 2, 0)).to.equal(true);
    expect(hitAnnotation(box, 7, 2, 0.5)).to.equal(false);
    expect(hitOutline(box, 1.2, 2, 0.5)).to.equal(true);
    expect(hitOutline(box, 3, 2, 0.5)).to.equal(false);
    expect(hitAnnotation(polygon, 13, 1, 0)).to.equal(true);
    expect(hitAnnotation(polygon, 11, 3, 0)).to.equal(false);
    expect(hitOutline(polygon, 12, 0.2, 0.5)).to.equal(true);
    expect(hitAnnotation(mask, 3.5, 2.5, 0)).to.equal(true);
    expect(hitAnnotation(mask, 7.5, 2.5, 0)).to.equal(false);
    expect(hitOutline(mask, 3.5, 2.5, 1)).to.equal(false);
  });

  it('describes what a tool draws for each kind', () => {
    const { box, polygon, mask } = docWithOneOfEach();
    expect(shapeOf(box).preview(box)).to.deep.equal({ box: box.box });
    expect(shapeOf(polygon).preview(polygon)).to.deep.equal({ points: polygon.points, closed: true });
    expect(shapeOf(mask).preview(mask)!.mask).to.equal(maskOf(mask));
  });
});

describe('the mask handle', () => {
  it('reads as { rle, bbox } and serializes exactly so', () => {
    const { d, mask } = docWithOneOfEach();
    expect(mask.mask).to.be.instanceOf(MaskHandle);
    expect(Object.isFrozen(mask.mask!)).to.equal(true);
    expect(Object.keys(mask.mask!)).to.deep.equal(['rle', 'bbox']);
    const plain = (mask.mask as MaskHandle).toRle();
    expect(plain.bbox).to.deep.equal([3, 2, 4, 3]);
    expect(JSON.stringify(mask.mask)).to.equal(JSON.stringify(plain));
    expect(JSON.stringify(mask)).to.equal(
      JSON.stringify({ ...d.toJSON().annotations[2] }),
      'an annotation serializes like its entry in toJSON',
    );
  });

  it('holds the pixels maskOf returns, frozen', () => {
    const { mask } = docWithOneOfEach();
    const handle = mask.mask as MaskHandle;
    expect(maskOf(mask)).to.equal(handle.sparse);
    expect(handle.sparse.frozen).to.equal(true);
    expect(handle.sparse).to.be.instanceOf(SparseMask);
  });

  it('keeps the pixels when an update leaves the mask out', () => {
    const { d, mask } = docWithOneOfEach();
    const renamed = d.update(mask.id, { label: 'other' });
    expect(maskOf(renamed)).to.equal(maskOf(mask));
    expect((renamed as MaskAnnotation).mask.rle).to.equal((mask as MaskAnnotation).mask.rle);
  });
});

describe('shape measures (the object list’s sizes)', () => {
  it('box, polygon and mask areas in px², and in mm² with spacing', () => {
    const { box, polygon, mask } = docWithOneOfEach();
    expect(shapeOf(box).measure!(box)).to.deep.equal({ value: 8, unit: 'px²' });
    expect(shapeOf(polygon).measure!(polygon)).to.deep.equal({ value: 8, unit: 'px²' });
    expect(shapeOf(mask).measure!(mask)).to.deep.equal({ value: 12, unit: 'px²' });
    expect(shapeOf(box).measure!(box, [0.5, 0.25, 3])).to.deep.equal({ value: 1, unit: 'mm²' });
    expect(shapeOf(mask).measure!(mask, [2, 2, 3])).to.deep.equal({ value: 48, unit: 'mm²' });
  });

  it('a volume in voxels and mm³; measureOf gives lengths too', () => {
    const d = createAnnotationDocument({ width: 4, height: 4, depth: 3 });
    const data = new Uint8Array(4 * 4 * 3);
    data[0] = data[1] = data[16] = 1;
    const v = d.add({ label: 'l', kind: 'volume', mask: { data } } as never) as unknown as Parameters<
      typeof shapeOf
    >[0];
    expect(shapeOf(v).measure!(v)).to.deep.equal({ value: 3, unit: 'px³' });
    expect(shapeOf(v).measure!(v, [0.5, 0.5, 2])).to.deep.equal({ value: 1.5, unit: 'mm³' });
    expect(measureOf(10, 1, [2, 2, 1])).to.deep.equal({ value: 20, unit: 'mm' });
    expect(measureOf(10, 1)).to.deep.equal({ value: 10, unit: 'px' });
  });
});
