import { expect, fixture, html } from '@open-wc/testing';
import { resetMouse, sendKeys } from '@web/test-runner-commands';
import { clickOn } from './click.js';
import { AnnotationDocument } from '../../src/core/annotation/document.js';
import type { LabelSchema } from '../../src/core/schema/types.js';
import '../../src/define.js';
import type { VxLabelPicker } from '../../src/elements/vx-label-picker.js';
import { blankStack, mount } from './helpers.js';

/** Editing in the picker's attribute panel: relabelling, Ctrl+Z, and finding what misses required attributes. */

const schema: LabelSchema = {
  version: 1,
  labels: [
    {
      id: 'nodule',
      name: 'Nodule',
      color: '#ff9a3c',
      kinds: ['box'],
      attributes: [
        { id: 'texture', name: 'Texture', type: 'enum', options: ['solid', 'ground-glass'], required: true },
        { id: 'diameter', name: 'Diameter', type: 'number', min: 0, max: 100 },
        { id: 'calcified', name: 'Calcified', type: 'boolean' },
      ],
    },
    {
      id: 'metastasis',
      name: 'Metastasis',
      color: '#ffd040',
      kinds: ['box'],
      attributes: [
        { id: 'note', name: 'Note', type: 'text' },
        { id: 'calcified', name: 'Calcified', type: 'boolean' },
      ],
    },
  ],
};

async function picker(attributes: Record<string, string | number | boolean>) {
  const doc = new AnnotationDocument({ width: 16, height: 16 });
  const a = doc.add({
    label: 'nodule',
    kind: 'box',
    slice: 0,
    box: { x: 1, y: 1, width: 4, height: 4 },
    attributes,
  });
  const el = await fixture<VxLabelPicker>(
    html`<vx-label-picker .schema=${schema} .document=${doc} selected=${a.id}></vx-label-picker>`,
  );
  const $ = <T extends HTMLElement>(sel: string) => el.shadowRoot!.querySelector<T>(sel)!;
  return { doc, id: a.id, el, $ };
}

describe('<vx-label-picker> relabelling', () => {
  afterEach(() => resetMouse());

  it('drops the attributes the new label does not define, as one undo step', async () => {
    const { doc, id, $ } = await picker({ texture: 'solid', diameter: 12, calcified: true });
    const steps = doc.historyDepth.undo;
    $<HTMLSelectElement>('#relabel').focus();
    await sendKeys({ press: 'ArrowDown' }); // Nodule → Metastasis
    expect(doc.get(id)!.label).to.equal('metastasis');
    expect(doc.get(id)!.attributes).to.deep.equal({ calcified: true });
    expect(doc.historyDepth.undo).to.equal(steps + 1);
    doc.undo();
    expect(doc.get(id)!.label).to.equal('nodule');
    expect(doc.get(id)!.attributes).to.deep.equal({ texture: 'solid', diameter: 12, calcified: true });
  });
});

describe('<vx-label-picker> Ctrl+Z in the attribute panel', () => {
  afterEach(() => resetMouse());

  it('undoes the document, and the next label change commits no stale value', async () => {
    const { doc, id, el, $ } = await picker({ texture: 'solid' });
    const steps = doc.historyDepth.undo;
    await clickOn($('#attr-diameter'));
    await sendKeys({ type: '42' });
    await sendKeys({ press: 'Enter' }); // commits
    expect(doc.get(id)!.attributes).to.deep.equal({ texture: 'solid', diameter: 42 });
    await sendKeys({ press: 'Control+z' });
    expect(doc.get(id)!.attributes).to.deep.equal({ texture: 'solid' });
    expect(doc.historyDepth.undo).to.equal(steps);
    await el.updateComplete;
    expect($<HTMLInputElement>('#attr-diameter').value).to.equal('');
    // Redo comes back through the panel too.
    await sendKeys({ press: 'Control+Shift+z' });
    expect(doc.get(id)!.attributes).to.deep.equal({ texture: 'solid', diameter: 42 });
    await sendKeys({ press: 'Control+z' });
    await el.updateComplete;
    // Moving to the relabel select (blurring the field) and changing the label: one step, no stale 42.
    await clickOn($('#relabel'));
    await sendKeys({ press: 'Escape' });
    await sendKeys({ press: 'ArrowDown' });
    expect(doc.get(id)!.label).to.equal('metastasis');
    expect(doc.get(id)!.attributes).to.equal(undefined);
    expect(doc.historyDepth.undo).to.equal(steps + 1);
  });

  it('first discards typing not yet committed, without touching the document', async () => {
    const { doc, id, el, $ } = await picker({ texture: 'solid', diameter: 5 });
    const steps = doc.historyDepth.undo;
    await clickOn($('#attr-diameter'));
    await sendKeys({ press: 'End' });
    await sendKeys({ type: '7' });
    expect($<HTMLInputElement>('#attr-diameter').value).to.equal('57');
    await sendKeys({ press: 'Control+z' });
    await el.updateComplete;
    expect($<HTMLInputElement>('#attr-diameter').value).to.equal('5');
    expect(doc.get(id)!.attributes).to.deep.equal({ texture: 'solid', diameter: 5 });
    expect(doc.historyDepth.undo).to.equal(steps);
    await sendKeys({ press: 'Tab' }); // blur: nothing stale is committed
    expect(doc.historyDepth.undo).to.equal(steps);
  });
});

describe('<vx-label-picker> annotations missing required attributes', () => {
  afterEach(() => resetMouse());

  it('are counted, and "Show me" selects the first in the viewer, on its slice', async () => {
    const { root, viewer } = await mount<HTMLDivElement>(
      html`<div>
        <vx-label-picker for="mv"></vx-label-picker>
        <vx-viewer id="mv" style="width:200px;height:150px;display:block"
          ><vx-box-layer></vx-box-layer
        ></vx-viewer>
      </div>`,
      { stack: blankStack(3), labelSchema: schema, activeLabel: 'nodule' },
    );
    const el = root.querySelector('vx-label-picker') as VxLabelPicker;
    const doc = viewer.document as unknown as AnnotationDocument;
    const box = { x: 1, y: 1, width: 4, height: 4 };
    doc.add({ label: 'nodule', kind: 'box', slice: 0, box, attributes: { texture: 'solid' } });
    const first = doc.add({ label: 'nodule', kind: 'box', slice: 2, box });
    doc.add({ label: 'metastasis', kind: 'box', slice: 1, box });
    doc.add({ label: 'nodule', kind: 'box', slice: 1, box, attributes: { texture: '' } });
    viewer.editor.selection.clear();
    await new Promise((r) => requestAnimationFrame(r));
    await el.updateComplete;
    const note = el.shadowRoot!.querySelector('[part~="missing"]')!;
    expect(note.textContent!.replace(/\s+/g, ' ').trim()).to.equal(
      '2 annotations miss required attributes Show me',
    );
    await clickOn(el.shadowRoot!.querySelector('[part~="show-me"]')!);
    expect([...viewer.editor.selection.ids]).to.deep.equal([first.id]);
    expect(viewer.slice).to.equal(2);
    await el.updateComplete;
    await el.updateComplete;
    const field = el.shadowRoot!.querySelector('#attr-texture')!;
    expect(el.shadowRoot!.activeElement).to.equal(field);
    expect(field.getAttribute('aria-invalid')).to.equal('true');
    // Filling it in: one fewer.
    await sendKeys({ press: 'ArrowDown' });
    await el.updateComplete;
    expect(doc.get(first.id)!.attributes).to.deep.equal({ texture: 'solid' });
    expect(el.shadowRoot!.querySelector('[part~="missing"]')!.textContent).to.contain('1 annotation misses');
  });

  it('count a volume spanning many slices once', async () => {
    const volumeSchema: LabelSchema = {
      version: 1,
      labels: [{ ...schema.labels[0]!, kinds: ['box', 'volume'] }],
    };
    const { root, viewer } = await mount<HTMLDivElement>(
      html`<div>
        <vx-label-picker for="vv"></vx-label-picker>
        <vx-viewer id="vv" style="width:200px;height:150px;display:block"></vx-viewer>
      </div>`,
      { stack: blankStack(6), labelSchema: volumeSchema, activeLabel: 'nodule' },
    );
    const el = root.querySelector('vx-label-picker') as VxLabelPicker;
    const doc = viewer.document as unknown as AnnotationDocument;
    const data = new Uint8Array(120 * 90 * 6);
    for (let z = 1; z < 5; z++) data[z * 120 * 90 + 40 * 120 + 50] = 1;
    doc.add({ label: 'nodule', kind: 'volume', mask: { data } });
    await new Promise((r) => requestAnimationFrame(r));
    await el.updateComplete;
    const note = el.shadowRoot!.querySelector('[part~="missing"]')!;
    expect(note.textContent!.replace(/\s+/g, ' ').trim()).to.equal(
      '1 annotation misses required attributes Show me',
    );
  });
});
