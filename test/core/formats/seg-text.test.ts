/**
 * DICOM SEG text is UTF-8 when the file says ISO_IR 192 (voxmark writes it so). Segment labels and code
 * meanings with non-ASCII characters must read back as written, and map to labels by name.
 */
import { expect } from '@open-wc/testing';
import { AnnotationDocument } from '../../../src/core/annotation/document.js';
import { fromDicomSeg, toDicomSeg } from '../../../src/core/formats/seg.js';
import type { LabelSchema } from '../../../src/core/schema/types.js';
import { testStack } from './helpers.js';

const NAME = 'Läsion – Größe ≥ 3 cm 肺結節';
const schema: LabelSchema = {
  version: 1,
  labels: [
    {
      id: 'knoten',
      name: NAME,
      color: '#ff0000',
      kinds: ['mask'],
      category: { value: '49755003', scheme: 'SCT', meaning: 'Morphologisch veränderte Struktur' },
    },
  ],
};

describe('DICOM SEG text in UTF-8', () => {
  it('reads non-ASCII segment labels and code meanings as written, and maps them by name', async () => {
    const stack = testStack({ width: 5, height: 4, depth: 2 });
    const doc = new AnnotationDocument({ width: 5, height: 4, depth: 2 });
    const mask = new Uint8Array(20);
    mask[7] = 1;
    doc.add({ label: 'knoten', kind: 'mask', slice: 1, mask: { data: mask } });
    const seg = await toDicomSeg(doc, stack, schema);

    const read = await fromDicomSeg(seg);
    expect(read.segments[0]!.label).to.equal(NAME);
    expect(read.segments[0]!.category?.meaning).to.equal('Morphologisch veränderte Struktur');

    // Another schema with the same label name under another id: the segment maps by its name.
    const other: LabelSchema = { version: 1, labels: [{ ...schema.labels[0]!, id: 'nodule' }] };
    const mapped = await fromDicomSeg(seg, { stack, schema: other });
    const [a] = [...mapped.document!.annotations];
    expect(a).to.deep.include({ label: 'nodule', slice: 1 });
  });
});
