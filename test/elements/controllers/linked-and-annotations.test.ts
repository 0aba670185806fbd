import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { AnnotationDocument } from '../../../src/core/annotation/document.js';
import type { VxToolbar } from '../../../src/elements/vx-toolbar.js';
import type { VxViewer } from '../../../src/elements/vx-viewer.js';
import { blankStack, mount } from '../helpers.js';

const schema = {
  version: 1 as const,
  labels: [{ id: 'a', name: 'A', color: '#ff0000', kinds: ['box' as const, 'mask' as const] }],
};

/** Counts the toolbar's renders. */
function renders(tb: VxToolbar): () => number {
  let n = 0;
  const proto = Object.getPrototypeOf(tb) as { updated?: (c: unknown) => void };
  const own = tb as unknown as { updated: (c: unknown) => void };
  own.updated = (c: unknown) => {
    n++;
    proto.updated?.call(tb, c);
  };
  return () => n;
}

describe('the viewer owns the editor and the selection', () => {
  it('has viewer.editor and viewer.selection before any layer or stack, and fires one selection event', async () => {
    const { viewer: el } = await mount<VxViewer>(
      html`<vx-viewer style="width:200px;height:200px"></vx-viewer>`,
    );
    expect(el.editor.tools.box).to.not.equal(undefined);
    expect(el.selection.size).to.equal(0);
    const loaded = oneEvent(el, 'vx-load');
    el.stack = blankStack();
    await loaded;
    el.append(document.createElement('vx-box-layer'));
    const doc = el.document as AnnotationDocument;
    const box = doc.add({ label: 'a', kind: 'box', slice: 0, box: { x: 1, y: 1, width: 5, height: 5 } });
    let events = 0;
    el.addEventListener('vx-selection-change', () => events++);
    el.selection.set([box.id]);
    el.selection.set([box.id]);
    expect(events).to.equal(1);
    expect(el.layerKinds.has('box')).to.equal(true);
  });
});

describe('linked-control controller', () => {
  it('finds a viewer added later through vx-viewer-connected, without polling frames', async () => {
    const root = await fixture<HTMLDivElement>(html`<div><vx-toolbar for="late"></vx-toolbar></div>`);
    const tb = root.querySelector('vx-toolbar') as VxToolbar;
    await tb.updateComplete;
    expect(tb.shadowRoot!.querySelectorAll('[part~="tool-button"]').length).to.equal(0);
    let connected = 0;
    root.addEventListener('vx-viewer-connected', () => connected++);
    const v = document.createElement('vx-viewer');
    v.id = 'late';
    root.append(v);
    await tb.updateComplete;
    expect(connected).to.equal(1);
    expect(tb.shadowRoot!.querySelectorAll('[part~="tool-button"]').length).to.be.greaterThan(0);
  });

  it('re-renders the toolbar for what it shows (brush size by key), not for every viewer change', async () => {
    const { root, viewer: el } = await mount<HTMLDivElement>(
      html`<div>
        <vx-toolbar for="lv"></vx-toolbar>
        <vx-viewer id="lv" style="width:200px;height:200px;display:block"
          ><vx-mask-layer></vx-mask-layer
        ></vx-viewer>
      </div>`,
      { stack: blankStack(30), labelSchema: schema, activeLabel: 'a' },
    );
    const tb = root.querySelector('vx-toolbar') as VxToolbar;
    el.tool = 'brush';
    await tb.updateComplete;
    const count = renders(tb);
    el.focus();
    await sendKeys({ press: 'ArrowDown' });
    await sendKeys({ press: 'ArrowDown' });
    await tb.updateComplete;
    expect(count()).to.equal(0);
    await sendKeys({ press: ']' });
    await tb.updateComplete;
    expect(count()).to.equal(1);
    const size = tb.shadowRoot!.querySelector<HTMLInputElement>('[part~="brush-size"]')!;
    expect(Number(size.value)).to.equal(el.editor.options.brushSize);
    expect(el.editor.options.brushSize).to.equal(12);
  });
});
