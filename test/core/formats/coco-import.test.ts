/**
 * COCO from other tools: an instance drawn as several polygon parts, for a label that takes polygons but
 * not masks, cannot be imported whole. The import keeps the largest part and reports the rest, instead of
 * silently keeping whichever part came first.
 */
import { expect } from '@open-wc/testing';
import { readCoco } from '../../../src/core/formats/coco.js';
import type { LabelSchema } from '../../../src/core/schema/types.js';
import type { MaskAnnotation } from '../../../src/core/annotation/types.js';

const schema: LabelSchema = {
  version: 1,
  labels: [{ id: 'vessel', name: 'Vessel', color: '#00ff00', kinds: ['polygon'] }],
};

describe('COCO import of multi-part polygons', () => {
  it('keeps the largest part and reports the others when the label allows no masks', () => {
    const small = [0, 0, 2, 0, 2, 2];
    const large = [3, 3, 9, 3, 9, 9, 3, 9];
    const { document, report } = readCoco(
      {
        images: [{ id: 1, width: 10, height: 10 }],
        categories: [{ id: 5, name: 'vessel' }],
        annotations: [{ id: 42, image_id: 1, category_id: 5, iscrowd: 0, segmentation: [small, large] }],
      },
      { schema },
    );
    const [a] = [...document.annotations];
    expect(a!.kind).to.equal('polygon');
    expect(a!.points).to.deep.equal([
      [3, 3],
      [9, 3],
      [9, 9],
      [3, 9],
    ]);
    expect(report.imported).to.equal(1);
    expect(report.skipped).to.have.length(1);
    expect(report.skipped[0]).to.include({ index: 0, id: 42 });
    expect(report.skipped[0]!.reason).to.match(/2 parts/);
  });
});

describe('COCO import of category names', () => {
  it('matches a name written in another Unicode normal form', () => {
    const nfc: LabelSchema = {
      version: 1,
      labels: [{ id: 'l1', name: 'Läsion Größe', color: '#ff0000', kinds: ['box'] }],
    };
    const { report } = readCoco(
      {
        images: [{ id: 1, width: 10, height: 10 }],
        categories: [{ id: 1, name: ' läsion größe'.normalize('NFD') }],
        annotations: [{ id: 1, image_id: 1, category_id: 1, segmentation: [], bbox: [1, 1, 2, 2] }],
      },
      { schema: nfc },
    );
    expect(report.unmappedCategories).to.deep.equal([]);
    expect(report.imported).to.equal(1);
  });
});

describe('COCO import of boxes beyond the image', () => {
  const boxes: LabelSchema = {
    version: 1,
    labels: [{ id: 'b', name: 'B', color: '#ff0000', kinds: ['box'] }],
  };
  const read = (bbox: number[]) =>
    readCoco(
      {
        images: [{ id: 1, width: 10, height: 8 }],
        categories: [{ id: 1, name: 'b' }],
        annotations: [{ id: 3, image_id: 1, category_id: 1, segmentation: [], bbox }],
      },
      { schema: boxes },
    );

  it('clips a box that reaches past the edges and reports it', () => {
    const { document, report } = read([-2, 5, 14, 4.5]);
    expect([...document.annotations][0]!.box).to.deep.equal({ x: 0, y: 5, width: 10, height: 3 });
    expect(report.imported).to.equal(1);
    expect(report.skipped[0]!.reason).to.match(/clipped/);
  });

  it('skips a box wholly outside the image, with the reason', () => {
    const { document, report } = read([-5, -5, 3, 3]);
    expect(document.annotations.length).to.equal(0);
    expect(report.imported).to.equal(0);
    expect(report.skipped[0]!.reason).to.match(/outside/);
  });

  it('leaves a box inside the image as it is', () => {
    const { document, report } = read([0.5, 1.25, 9.5, 6.75]);
    expect([...document.annotations][0]!.box).to.deep.equal({ x: 0.5, y: 1.25, width: 9.5, height: 6.75 });
    expect(report.skipped).to.deep.equal([]);
  });
});

describe('COCO import of plain RLE counts', () => {
  const masks: LabelSchema = {
    version: 1,
    labels: [{ id: 'm', name: 'M', color: '#ff0000', kinds: ['mask'] }],
  };
  const read = (counts: unknown) =>
    readCoco(
      {
        images: [{ id: 1, width: 4, height: 3 }],
        categories: [{ id: 1, name: 'm' }],
        annotations: [
          { id: 9, image_id: 1, category_id: 1, iscrowd: 1, segmentation: { size: [3, 4], counts } },
        ],
      },
      { schema: masks },
    );

  for (const counts of [
    [3, -1, 10],
    [1.5, 10.5],
  ]) {
    it(`reports corrupt counts ${JSON.stringify(counts)} instead of importing a wrong mask`, () => {
      const { report } = read(counts);
      expect(report.imported).to.equal(0);
      expect(report.skipped[0]!.reason).to.match(/non-negative integers/);
    });
  }

  it('still imports valid plain counts', () => {
    const { document, report } = read([1, 2, 3, 6]);
    expect(report.imported).to.equal(1);
    expect(([...document.annotations][0] as MaskAnnotation).mask.bbox).to.deep.equal([0, 0, 4, 3]);
  });
});
