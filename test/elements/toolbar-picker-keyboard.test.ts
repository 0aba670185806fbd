import { expect, html } from '@open-wc/testing';
import { resetMouse, sendKeys } from '@web/test-runner-commands';
import { clickOn } from './click.js';
import type { AnnotationDocument } from '../../src/core/annotation/document.js';
import type { LabelSchema } from '../../src/core/schema/types.js';
import '../../src/define.js';
import type { VxLabelPicker } from '../../src/elements/vx-label-picker.js';
import type { VxToolbar } from '../../src/elements/vx-toolbar.js';
import { blankStack, mount } from './helpers.js';

/** The toolbar and the label picker from the keyboard: one Tab stop each, arrows inside, tools the label allows. */

const schema: LabelSchema = {
  version: 1,
  labels: [
    { id: 'lesion', name: 'Lesion', color: '#ff4040', kinds: ['box', 'polygon', 'mask'] },
    { id: 'liver', name: 'Liver', color: '#40d070', kinds: ['polygon', 'mask'] },
    { id: 'cyst', name: 'Cyst', color: '#4090ff', kinds: ['box'] },
  ],
};

async function setup() {
  const { root, viewer } = await mount<HTMLDivElement>(
    html`<div>
      <button id="before">before</button>
      <vx-toolbar for="kv"></vx-toolbar>
      <vx-label-picker for="kv"></vx-label-picker>
      <button id="after">after</button>
      <vx-viewer id="kv" style="width:240px;height:180px;display:block"
        ><vx-box-layer></vx-box-layer><vx-polygon-layer></vx-polygon-layer><vx-mask-layer></vx-mask-layer
      ></vx-viewer>
    </div>`,
    { stack: blankStack(), labelSchema: schema, activeLabel: 'lesion' },
  );
  const toolbar = root.querySelector('vx-toolbar') as VxToolbar;
  const picker = root.querySelector('vx-label-picker') as VxLabelPicker;
  const settle = async () => {
    await new Promise((r) => requestAnimationFrame(r));
    await toolbar.updateComplete;
    await picker.updateComplete;
  };
  await settle();
  return { root, viewer, toolbar, picker, settle };
}

/** The element focused inside `el`'s shadow root (or null). */
function focused(el: Element): Element | null {
  return el.shadowRoot!.activeElement;
}

describe('<vx-toolbar> keyboard: a roving tabindex', () => {
  afterEach(() => resetMouse());

  it('is one Tab stop; ←/→ move inside, Home/End go to the ends, and Tab comes back to the last one', async () => {
    const { root, viewer, toolbar, picker } = await setup();
    viewer.tool = 'box';
    await toolbar.updateComplete;
    const tabbable = [...toolbar.shadowRoot!.querySelectorAll<HTMLElement>('button, input')].filter(
      (b) => b.tabIndex === 0 && !(b as HTMLButtonElement).disabled,
    );
    expect(tabbable.map((b) => b.getAttribute('part'))).to.deep.equal(['button tool-button tool-box active']);
    root.querySelector<HTMLButtonElement>('#before')!.focus();
    await sendKeys({ press: 'Tab' });
    expect(document.activeElement).to.equal(toolbar);
    expect(focused(toolbar)!.getAttribute('aria-label')).to.equal('Box (X)');
    await sendKeys({ press: 'ArrowRight' });
    expect(focused(toolbar)!.getAttribute('aria-label')).to.match(/^Polygon/);
    await sendKeys({ press: 'End' });
    const last = focused(toolbar)!;
    expect(last.getAttribute('part')).to.contain('lock');
    await sendKeys({ press: 'ArrowRight' }); // wraps
    expect(focused(toolbar)!.getAttribute('aria-label')).to.match(/^Select/);
    await sendKeys({ press: 'ArrowLeft' });
    expect(focused(toolbar)).to.equal(last);
    await sendKeys({ press: 'Home' });
    expect(focused(toolbar)!.getAttribute('aria-label')).to.match(/^Select/);
    await sendKeys({ press: 'ArrowRight' });
    // Tab leaves the toolbar for the picker; Shift+Tab comes back to the button last focused.
    await sendKeys({ press: 'Tab' });
    expect(document.activeElement).to.equal(picker);
    await sendKeys({ press: 'Shift+Tab' });
    expect(document.activeElement).to.equal(toolbar);
    expect(focused(toolbar)!.getAttribute('aria-label')).to.match(/^Pan/);
    // The brush size slider is one of the items: ←/→ move on, ↑ changes the size.
    const slider = toolbar.shadowRoot!.querySelector<HTMLInputElement>('[part~="brush-size"]')!;
    slider.focus();
    const size = viewer.editor.options.brushSize;
    await sendKeys({ press: 'ArrowUp' });
    expect(viewer.editor.options.brushSize).to.equal(size + 1);
    await sendKeys({ press: 'ArrowRight' });
    expect(focused(toolbar)!.getAttribute('part')).to.contain('fill');
    expect(viewer.editor.options.brushSize).to.equal(size + 1);
  });
});

describe('<vx-toolbar>: tools the active label does not allow', () => {
  afterEach(() => resetMouse());

  it('are disabled with the reason, ignore clicks, and come back when another label is chosen', async () => {
    const { viewer, toolbar, picker, settle } = await setup();
    viewer.tool = 'select';
    const liver = [...picker.shadowRoot!.querySelectorAll<HTMLElement>("[role='radio']")][1]!;
    await clickOn(liver);
    expect(viewer.activeLabel).to.equal('liver');
    await settle();
    const box = toolbar.shadowRoot!.querySelector<HTMLButtonElement>('[part~="tool-box"]')!;
    expect(box.getAttribute('aria-disabled')).to.equal('true');
    expect(box.getAttribute('part')).to.contain('not-allowed');
    expect(box.title).to.equal('Box (X): Liver allows only polygons and masks');
    const description = toolbar.shadowRoot!.getElementById(box.getAttribute('aria-describedby')!)!;
    expect(description.textContent).to.equal('Liver allows only polygons and masks');
    expect(getComputedStyle(box).cursor).to.equal('not-allowed');
    await clickOn(box);
    expect(viewer.tool).to.equal('select');
    // Still reachable from the keyboard (so the reason can be read), still refusing.
    box.focus();
    await sendKeys({ press: 'Enter' });
    expect(viewer.tool).to.equal('select');
    const polygon = toolbar.shadowRoot!.querySelector<HTMLButtonElement>('[part~="tool-polygon"]')!;
    expect(polygon.hasAttribute('aria-disabled')).to.equal(false);
    // Cyst allows boxes only: polygon and brush are disabled, box is back.
    await clickOn(picker.shadowRoot!.querySelectorAll<HTMLElement>("[role='radio']")[2]!);
    await settle();
    expect(box.hasAttribute('aria-disabled')).to.equal(false);
    expect(polygon.getAttribute('aria-disabled')).to.equal('true');
    expect(toolbar.shadowRoot!.querySelector('[part~="tool-brush"]')!.getAttribute('aria-disabled')).to.equal(
      'true',
    );
    await clickOn(box);
    expect(viewer.tool).to.equal('box');
  });
});

describe('<vx-label-picker> keyboard: a roving tabindex', () => {
  afterEach(() => resetMouse());

  it('is one Tab stop; ↑/↓ choose, →/← reach the eye and lock, Enter presses them', async () => {
    const { root, viewer, toolbar, picker, settle } = await setup();
    toolbar.shadowRoot!.querySelector<HTMLElement>('[part~="tool-select"]')!.focus();
    await sendKeys({ press: 'Tab' });
    expect(document.activeElement).to.equal(picker);
    expect(focused(picker)!.textContent).to.contain('Lesion');
    await sendKeys({ press: 'Tab' });
    expect(document.activeElement).to.equal(root.querySelector('#after'));
    await sendKeys({ press: 'Shift+Tab' });
    expect(document.activeElement).to.equal(picker);
    await sendKeys({ press: 'ArrowDown' });
    expect(viewer.activeLabel).to.equal('liver');
    expect(focused(picker)!.textContent).to.contain('Liver');
    await sendKeys({ press: 'End' });
    expect(viewer.activeLabel).to.equal('cyst');
    await sendKeys({ press: 'Home' });
    expect(viewer.activeLabel).to.equal('lesion');
    await sendKeys({ press: 'ArrowUp' }); // wraps
    expect(viewer.activeLabel).to.equal('cyst');
    await sendKeys({ press: 'ArrowRight' });
    expect(focused(picker)!.getAttribute('aria-label')).to.equal('Hide Cyst');
    await sendKeys({ press: 'Enter' });
    await settle();
    expect(viewer.editor.visibility.isLabelHidden('cyst')).to.equal(true);
    await sendKeys({ press: 'ArrowRight' });
    expect(focused(picker)!.getAttribute('aria-label')).to.equal('Lock Cyst');
    await sendKeys({ press: 'ArrowLeft' });
    await sendKeys({ press: 'ArrowLeft' });
    expect(focused(picker)!.getAttribute('role')).to.equal('radio');
    expect(viewer.activeLabel).to.equal('cyst');
    // Leaving and coming back: still one stop, on the active label.
    await sendKeys({ press: 'Tab' });
    expect(document.activeElement).to.equal(root.querySelector('#after'));
    const stops = [...picker.shadowRoot!.querySelectorAll<HTMLElement>('button')].filter(
      (b) => b.tabIndex === 0,
    );
    expect(stops.length).to.equal(1);
  });
});

describe('<vx-label-picker>: active and selected labels', () => {
  it('marks the active label filled and the selected annotation’s label outlined, with names for both', async () => {
    const { viewer, picker, settle } = await setup();
    const doc = viewer.document as unknown as AnnotationDocument;
    const a = doc.add({ label: 'cyst', kind: 'box', slice: 0, box: { x: 2, y: 2, width: 5, height: 5 } });
    viewer.activeLabel = 'liver';
    viewer.editor.selection.set([a.id]);
    await settle();
    const rows = [...picker.shadowRoot!.querySelectorAll<HTMLElement>("[role='radio']")];
    const [, liver, cyst] = rows;
    expect(liver!.getAttribute('aria-checked')).to.equal('true');
    expect(liver!.getAttribute('part')).to.equal('label active');
    expect(cyst!.getAttribute('aria-checked')).to.equal('false');
    expect(cyst!.getAttribute('part')).to.equal('label selected-label');
    expect(cyst!.textContent).to.contain('label of the selected annotation');
    expect(liver!.textContent).to.not.contain('label of the selected annotation');
    const marker = (el: Element) => getComputedStyle(el.querySelector('[part~="marker"]')!);
    expect(marker(liver!).backgroundColor).to.equal('rgb(61, 139, 253)');
    expect(marker(cyst!).backgroundColor).to.equal('rgba(0, 0, 0, 0)');
    expect(marker(cyst!).borderTopColor).to.equal('rgb(232, 232, 232)');
    expect(getComputedStyle(cyst!).borderTopStyle).to.equal('dashed');
    await expect(picker).to.be.accessible();
  });
});

describe('dev-mode update warnings', () => {
  it('the toolbar and the picker never request an update from updated() (Lit’s "change-in-update")', async () => {
    // The tests run Lit's production build, where this warning is compiled out; this is the same check Lit's
    // development build makes after `updated()`: an update still pending means one was scheduled in it.
    const offenders: string[] = [];
    const watch = (ctor: { prototype: object }, name: string) => {
      const proto = ctor.prototype as { updated: (c: Map<string, unknown>) => void };
      const original = proto.updated;
      proto.updated = function (this: { isUpdatePending: boolean }, changed: Map<string, unknown>) {
        original.call(this, changed);
        if (this.isUpdatePending) offenders.push(`${name}: ${[...changed.keys()].join(',')}`);
      };
      return () => {
        proto.updated = original;
      };
    };
    const unwatch = [
      watch(customElements.get('vx-toolbar')!, 'vx-toolbar'),
      watch(customElements.get('vx-label-picker')!, 'vx-label-picker'),
    ];
    try {
      const { viewer, toolbar, picker, settle } = await setup();
      const doc = viewer.document as unknown as AnnotationDocument;
      const a = doc.add({ label: 'lesion', kind: 'box', slice: 0, box: { x: 2, y: 2, width: 5, height: 5 } });
      viewer.editor.selection.set([a.id]);
      await settle();
      picker.active = 'liver';
      await settle();
      viewer.activeLabel = 'cyst';
      viewer.tool = 'box';
      await settle();
      await clickOn(toolbar.shadowRoot!.querySelector('[part~="tool-select"]')!);
      await clickOn(picker.shadowRoot!.querySelectorAll("[role='radio']")[0]!);
      viewer.editor.selection.clear();
      viewer.stack = blankStack(2);
      await settle();
      await settle();
      expect(offenders).to.deep.equal([]);
    } finally {
      unwatch.forEach((u) => u());
    }
  });
});
