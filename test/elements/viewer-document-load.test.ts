import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { resetMouse, sendMouse } from '@web/test-runner-commands';
import { createAnnotationDocument } from '../../src/core/annotation/document.js';
import '../../src/define.js';
import type { VxViewer } from '../../src/elements/vx-viewer.js';
import { clientOf } from './helpers.js';

/** A document the host sets while its image loads. */

describe('vx-viewer: a document the host sets while the image loads', () => {
  afterEach(() => resetMouse());

  it('is kept for that image (same size), shown, and edited by the tools', async () => {
    const el = await fixture<VxViewer>(
      html`<vx-viewer style="width:256px;height:256px">
        <vx-box-layer></vx-box-layer>
      </vx-viewer>`,
    );
    const first = oneEvent(el, 'vx-load');
    el.src = '/corpus/dicom/MR_small.dcm';
    await first;
    // The host opens the next study and its saved annotations together (CT_small: 128 × 128, one slice).
    const saved = createAnnotationDocument({ width: 128, height: 128, depth: 1 });
    saved.add({ label: 'lesion', kind: 'box', slice: 0, box: { x: 10, y: 10, width: 20, height: 20 } });
    const loaded = oneEvent(el, 'vx-load');
    el.src = '/corpus/dicom/CT_small.dcm';
    el.document = saved;
    await loaded;
    expect(el.document).to.equal(saved);
    el.labelSchema = {
      version: 1,
      labels: [{ id: 'lesion', name: 'Lesion', color: '#ff0000', kinds: ['box'] }],
    };
    el.activeLabel = 'lesion';
    el.tool = 'box';
    await el.renderComplete;
    const at = (x: number, y: number) => clientOf(el, x, y);
    await sendMouse({ type: 'move', position: at(60, 60) });
    await sendMouse({ type: 'down' });
    await sendMouse({ type: 'move', position: at(70, 70) });
    await sendMouse({ type: 'move', position: at(80, 80) });
    await sendMouse({ type: 'up' });
    expect(saved.annotations.length).to.equal(2);
    // The next image is a new study: it gets a new document.
    const next = oneEvent(el, 'vx-load');
    el.src = '/corpus/dicom/MR_small.dcm';
    await next;
    expect(el.document).to.not.equal(saved);
    expect(el.document!.annotations.length).to.equal(0);
  });

  it('is not forced on an image of another size', async () => {
    const el = await fixture<VxViewer>(html`<vx-viewer style="width:256px;height:256px"></vx-viewer>`);
    const other = createAnnotationDocument({ width: 512, height: 512, depth: 1 });
    const loaded = oneEvent(el, 'vx-load');
    el.src = '/corpus/dicom/CT_small.dcm';
    el.document = other;
    await loaded;
    expect(el.document).to.not.equal(other);
    expect([el.document!.width, el.document!.height]).to.deep.equal([128, 128]);
  });
});
