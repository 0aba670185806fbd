/**
 * End to end with the project's own SEG writer and reader: a SEG exported on a series, de-identified
 * together with the series under one salt, still lands on the right slices of the de-identified series.
 */
import { expect } from '@open-wc/testing';
import { AnnotationDocument } from '../../../src/core/annotation/document.js';
import { deidentify } from '../../../src/core/deid/index.js';
import { fromDicomSeg, toDicomSeg } from '../../../src/core/formats/seg.js';
import { loadImageStack } from '../../../src/core/load.js';
import { hierarchical } from '../schema/fixtures.js';
import { blobMask } from '../formats/helpers.js';
import { ctSlice } from './fixtures.js';

describe('deidentify: a SEG and its series', () => {
  it('keeps the SEG pointing at its source slices after both are de-identified', async () => {
    const W = 8;
    const H = 6;
    const slices = [0, 1, 2].map((i) =>
      ctSlice({ sopInstanceUID: `1.2.826.0.1.3680043.8.7.${i + 1}`, instanceNumber: i + 1, z: i * 3 }),
    );
    const stack = await loadImageStack(slices);
    const doc = new AnnotationDocument({ width: W, height: H, depth: 3 });
    doc.add({ label: 'tumour', kind: 'mask', slice: 1, mask: { data: blobMask(W, H, 1, 1, 5, 4) } });
    const seg = await toDicomSeg(doc, stack, hierarchical);

    const salt = 'seg-project';
    const deidSeg = await deidentify(seg, { salt });
    const deidSlices = await Promise.all(slices.map((s) => deidentify(s, { salt })));
    const deidStack = await loadImageStack(deidSlices.map((d) => d.bytes));
    expect(deidStack.slices.map((s) => s.sopInstanceUID)).to.not.include(stack.slices[1]!.sopInstanceUID);

    const back = await fromDicomSeg(deidSeg.bytes, { stack: deidStack, schema: hierarchical });
    expect(back.report).to.deep.equal({ unmappedSegments: [], unmappedFrames: [], imported: 1 });
    expect(back.frames[0]!.sopInstanceUID).to.equal(deidStack.slices[1]!.sopInstanceUID);
    expect(back.studyInstanceUID).to.equal(deidStack.metadata['studyInstanceUID']);
    expect(back.frameOfReferenceUID).to.equal(deidStack.metadata['frameOfReferenceUID']);
    const imported = back.document!.annotations[0]!;
    expect(imported.slice).to.equal(1);
    expect([...back.document!.getMask(imported.id)!.data]).to.deep.equal([...blobMask(W, H, 1, 1, 5, 4)]);
  });
});
