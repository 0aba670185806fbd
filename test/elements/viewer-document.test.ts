/**
 * The viewer's document knows its schema and stack: serializeDocument(viewer.document) needs no options,
 * round-trips through parseDocument, and follows a schema change.
 */
import { expect, fixture, html } from '@open-wc/testing';
import { createImageStack } from '../../src/core/image/stack.js';
import { parseDocument, serializeDocument } from '../../src/core/index.js';
import type { LabelSchema } from '../../src/core/schema/types.js';
import '../../src/define.js';
import type { VxViewer } from '../../src/elements/vx-viewer.js';

const schema: LabelSchema = {
  version: 1,
  labels: [{ id: 'lesion', name: 'Lesion', color: '#ff0000', kinds: ['box', 'polygon', 'mask'] }],
};

function stack() {
  const frames = [0, 1, 2].map((z) => new Uint8Array(16 * 12).fill(z * 10));
  return createImageStack({
    width: 16,
    height: 12,
    frames,
    dataType: 'uint8',
    metadata: { modality: 'OT', seriesInstanceUID: '1.2.3.4', patientId: 'P-7' },
  });
}

describe('vx-viewer document binding', () => {
  it('serializes its own document without options, and round-trips', async () => {
    const viewer = await fixture<VxViewer>(html`<vx-viewer style="width:200px;height:150px"></vx-viewer>`);
    viewer.stack = stack();
    viewer.labelSchema = schema;
    await viewer.updateComplete;
    const doc = viewer.document!;
    doc.add({ label: 'lesion', kind: 'box', slice: 1, box: { x: 2, y: 3, width: 4, height: 5 } });
    const json = serializeDocument(doc);
    expect(json.schema).to.deep.equal(schema);
    expect(json.image.width).to.equal(16);
    expect(json.image.seriesInstanceUID).to.equal('1.2.3.4');
    expect(json.slices).to.have.length(3);
    const back = parseDocument(JSON.parse(JSON.stringify(json)));
    expect(back.annotations.map((a) => ({ ...a }))).to.deep.equal(doc.annotations.map((a) => ({ ...a })));
  });

  it('follows a new schema and a new stack', async () => {
    const viewer = await fixture<VxViewer>(html`<vx-viewer style="width:200px;height:150px"></vx-viewer>`);
    viewer.labelSchema = schema;
    viewer.stack = stack();
    await viewer.updateComplete;
    const renamed: LabelSchema = { version: 1, labels: [{ ...schema.labels[0]!, name: 'Nodule' }] };
    viewer.labelSchema = renamed;
    expect(serializeDocument(viewer.document!).schema.labels[0]!.name).to.equal('Nodule');
    viewer.stack = createImageStack({ width: 8, height: 8, frames: [new Uint8Array(64)], dataType: 'uint8' });
    await viewer.updateComplete;
    expect(serializeDocument(viewer.document!).image.width).to.equal(8);
  });
});
