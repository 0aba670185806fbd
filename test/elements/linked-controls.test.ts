import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { resetMouse, sendKeys, sendMouse } from '@web/test-runner-commands';
import type { LitElement } from 'lit';
import { createImageStack } from '../../src/core/image/stack.js';
import '../../src/define.js';
import type { VxViewer } from '../../src/elements/vx-viewer.js';
import { blankStack, clientOf } from './helpers.js';

/** The toolbar, label picker and export panel bound to a viewer: found late, rebound, and leaving the keys to it. */

describe('vx-toolbar: a viewer added after its toolbar', () => {
  afterEach(() => resetMouse());

  it('binds once the viewer named by `for` appears, and its buttons drive that viewer', async () => {
    const wrap = await fixture<HTMLDivElement>(html`<div><vx-toolbar for="late-viewer"></vx-toolbar></div>`);
    const toolbar = wrap.querySelector('vx-toolbar') as LitElement;
    await toolbar.updateComplete;
    await new Promise((r) => requestAnimationFrame(r));
    // The host renders the viewer a moment later (a framework's conditional, data arriving).
    const el = document.createElement('vx-viewer') as VxViewer;
    el.id = 'late-viewer';
    el.style.cssText = 'width:240px;height:180px;display:block';
    el.innerHTML = '<vx-box-layer></vx-box-layer>';
    wrap.append(el);
    const loaded = oneEvent(el, 'vx-load');
    el.stack = blankStack();
    await loaded;
    let box: HTMLButtonElement | undefined;
    for (let i = 0; i < 30 && !box; i++) {
      await new Promise((r) => requestAnimationFrame(r));
      await toolbar.updateComplete;
      box = [...toolbar.shadowRoot!.querySelectorAll('button')].find((b) =>
        b.getAttribute('aria-label')?.startsWith('Box'),
      );
    }
    expect(box, 'the box tool button').to.not.equal(undefined);
    const r = box!.getBoundingClientRect();
    await sendMouse({
      type: 'click',
      position: [Math.round(r.x + r.width / 2), Math.round(r.y + r.height / 2)],
    });
    expect(el.tool).to.equal('box');
  });
});

describe('vx-label-picker and vx-export-panel: a viewer added after them', () => {
  afterEach(() => resetMouse());

  it('bind to the viewer named by `for` once it appears', async () => {
    const wrap = await fixture<HTMLDivElement>(
      html`<div>
        <vx-label-picker for="late-viewer-2"></vx-label-picker>
        <vx-export-panel for="late-viewer-2"></vx-export-panel>
      </div>`,
    );
    const picker = wrap.querySelector('vx-label-picker') as LitElement;
    const panel = wrap.querySelector('vx-export-panel') as LitElement;
    await new Promise((r) => requestAnimationFrame(r));
    const el = document.createElement('vx-viewer') as VxViewer;
    el.id = 'late-viewer-2';
    el.style.cssText = 'width:240px;height:180px;display:block';
    el.innerHTML = '<vx-box-layer></vx-box-layer>';
    wrap.append(el);
    const loaded = oneEvent(el, 'vx-load');
    el.stack = blankStack();
    await loaded;
    el.labelSchema = {
      version: 1,
      labels: [
        { id: 'lesion', name: 'Lesion', color: '#ff0000', kinds: ['box'] },
        { id: 'cyst', name: 'Cyst', color: '#0000ff', kinds: ['box'] },
      ],
    };
    let radio: HTMLElement | undefined;
    for (let i = 0; i < 30 && !radio; i++) {
      await new Promise((r) => requestAnimationFrame(r));
      await picker.updateComplete;
      radio = [...picker.shadowRoot!.querySelectorAll<HTMLElement>("[role='radio']")].find((n) =>
        n.textContent?.includes('Cyst'),
      );
    }
    expect(radio, 'the Cyst row').to.not.equal(undefined);
    const r = radio!.getBoundingClientRect();
    await sendMouse({ type: 'click', position: [Math.round(r.x + 10), Math.round(r.y + r.height / 2)] });
    expect(el.activeLabel).to.equal('cyst');
    // The export panel follows the same viewer: its document's annotations are counted for export.
    el.document!.add({ label: 'cyst', kind: 'box', slice: 0, box: { x: 1, y: 1, width: 4, height: 3 } });
    await new Promise((r) => requestAnimationFrame(r));
    await panel.updateComplete;
    const button = panel.shadowRoot!.querySelector<HTMLButtonElement>('[part~="button-coco"]');
    expect(button, 'the COCO button').to.not.equal(null);
    expect(button!.disabled).to.equal(false);
  });
});

describe('vx-toolbar and vx-label-picker: the viewer replaced by another with the same id', () => {
  afterEach(() => resetMouse());

  it('follow the new viewer', async () => {
    const schema = {
      version: 1 as const,
      labels: [
        { id: 'lesion', name: 'Lesion', color: '#ff0000', kinds: ['box' as const] },
        { id: 'cyst', name: 'Cyst', color: '#0000ff', kinds: ['box' as const] },
      ],
    };
    const wrap = await fixture<HTMLDivElement>(
      html`<div>
        <vx-toolbar for="study-viewer"></vx-toolbar>
        <vx-label-picker for="study-viewer"></vx-label-picker>
      </div>`,
    );
    const toolbar = wrap.querySelector('vx-toolbar') as LitElement;
    const picker = wrap.querySelector('vx-label-picker') as LitElement;
    const makeViewer = async () => {
      const v = document.createElement('vx-viewer') as VxViewer;
      v.id = 'study-viewer';
      v.style.cssText = 'width:240px;height:180px;display:block';
      v.innerHTML = '<vx-box-layer></vx-box-layer>';
      wrap.append(v);
      const loaded = oneEvent(v, 'vx-load');
      v.stack = createImageStack({
        width: 64,
        height: 48,
        frames: [new Int16Array(64 * 48)],
        dataType: 'int16',
      });
      await loaded;
      v.labelSchema = schema;
      return v;
    };
    const first = await makeViewer();
    const settle = async () => {
      for (let i = 0; i < 3; i++) await new Promise((r) => requestAnimationFrame(r));
      await toolbar.updateComplete;
      await picker.updateComplete;
    };
    await settle();
    // The host switches studies: its framework drops the viewer and renders a new one with the same id.
    first.remove();
    const second = await makeViewer();
    await settle();
    const box = [...toolbar.shadowRoot!.querySelectorAll('button')].find((b) =>
      b.getAttribute('aria-label')?.startsWith('Box'),
    )!;
    let r = box.getBoundingClientRect();
    await sendMouse({
      type: 'click',
      position: [Math.round(r.x + r.width / 2), Math.round(r.y + r.height / 2)],
    });
    expect(second.tool).to.equal('box');
    expect(first.tool).to.not.equal('box');
    const cyst = [...picker.shadowRoot!.querySelectorAll<HTMLElement>("[role='radio']")].find((n) =>
      n.textContent?.includes('Cyst'),
    )!;
    r = cyst.getBoundingClientRect();
    await sendMouse({ type: 'click', position: [Math.round(r.x + 10), Math.round(r.y + r.height / 2)] });
    expect(second.activeLabel).to.equal('cyst');
  });
});

describe('vx-toolbar: picking a tool with the mouse', () => {
  afterEach(() => resetMouse());

  it('keeps the viewer keys working: arrows scroll, Ctrl+Shift+Z redoes', async () => {
    const wrap = await fixture<HTMLDivElement>(
      html`<div>
        <vx-toolbar for="keys-viewer"></vx-toolbar>
        <vx-viewer id="keys-viewer" style="width:240px;height:180px;display:block">
          <vx-box-layer></vx-box-layer>
        </vx-viewer>
      </div>`,
    );
    const el = wrap.querySelector('vx-viewer') as VxViewer;
    const toolbar = wrap.querySelector('vx-toolbar') as LitElement;
    const loaded = oneEvent(el, 'vx-load');
    el.stack = blankStack(3);
    await loaded;
    el.labelSchema = { version: 1, labels: [{ id: 'o', name: 'Organ', color: '#00ff00', kinds: ['box'] }] };
    el.activeLabel = 'o';
    for (let i = 0; i < 3; i++) await new Promise((r) => requestAnimationFrame(r));
    await toolbar.updateComplete;
    const at = (x: number, y: number) => clientOf(el, x, y);
    const button = (name: string) =>
      [...toolbar.shadowRoot!.querySelectorAll<HTMLButtonElement>('button')].find((b) =>
        b.getAttribute('aria-label')?.startsWith(name),
      )!;
    const click = async (b: HTMLElement) => {
      const r = b.getBoundingClientRect();
      await sendMouse({
        type: 'click',
        position: [Math.round(r.x + r.width / 2), Math.round(r.y + r.height / 2)],
      });
    };
    await sendMouse({ type: 'click', position: at(60, 45) }); // the radiologist works in the image
    await click(button('Box'));
    expect(el.tool).to.equal('box');
    await sendKeys({ press: 'ArrowDown' });
    expect(el.slice).to.equal(1);
    await sendMouse({ type: 'move', position: at(10, 10) });
    await sendMouse({ type: 'down' });
    await sendMouse({ type: 'move', position: at(20, 20) });
    await sendMouse({ type: 'move', position: at(30, 30) });
    await sendMouse({ type: 'up' });
    expect(el.document!.annotations.length).to.equal(1);
    await toolbar.updateComplete;
    await click(button('Undo'));
    expect(el.document!.annotations.length).to.equal(0);
    await sendKeys({ press: 'Control+Shift+z' });
    expect(el.document!.annotations.length).to.equal(1);
  });
});

describe('vx-label-picker: picking a label with the mouse', () => {
  afterEach(() => resetMouse());

  it('leaves the arrow keys to the viewer, so the next ArrowDown scrolls instead of changing the label', async () => {
    const wrap = await fixture<HTMLDivElement>(
      html`<div>
        <vx-label-picker for="label-keys-viewer"></vx-label-picker>
        <vx-viewer id="label-keys-viewer" style="width:240px;height:180px;display:block">
          <vx-box-layer></vx-box-layer>
        </vx-viewer>
      </div>`,
    );
    const el = wrap.querySelector('vx-viewer') as VxViewer;
    const picker = wrap.querySelector('vx-label-picker') as LitElement;
    const loaded = oneEvent(el, 'vx-load');
    el.stack = blankStack(3);
    await loaded;
    el.labelSchema = {
      version: 1,
      labels: [
        { id: 'liver', name: 'Liver', color: '#00ff00', kinds: ['box'] },
        { id: 'spleen', name: 'Spleen', color: '#0000ff', kinds: ['box'] },
        { id: 'kidney', name: 'Kidney', color: '#ff00ff', kinds: ['box'] },
      ],
    };
    for (let i = 0; i < 3; i++) await new Promise((r) => requestAnimationFrame(r));
    await picker.updateComplete;
    const [cx, cy] = el.imageToClient(60, 45);
    await sendMouse({ type: 'click', position: [Math.round(cx), Math.round(cy)] });
    const spleen = [...picker.shadowRoot!.querySelectorAll<HTMLElement>("[role='radio']")].find((n) =>
      n.textContent?.includes('Spleen'),
    )!;
    const r = spleen.getBoundingClientRect();
    await sendMouse({ type: 'click', position: [Math.round(r.x + 10), Math.round(r.y + r.height / 2)] });
    expect(el.activeLabel).to.equal('spleen');
    await sendKeys({ press: 'ArrowDown' });
    expect(el.activeLabel).to.equal('spleen');
    expect(el.slice).to.equal(1);
  });
});
