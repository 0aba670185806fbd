import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { resetMouse, sendKeys, sendMouse } from '@web/test-runner-commands';
import type { LitElement } from 'lit';
import { createAnnotationDocument } from '../../src/core/annotation/document.js';
import { createImageStack } from '../../src/core/image/stack.js';
import '../../src/define.js';
import type { VxViewer } from '../../src/elements/vx-viewer.js';

/** Regressions found by exercising the viewer from the user's side. */

function drop(el: HTMLElement, files: File[]): void {
  const dt = new DataTransfer();
  for (const f of files) dt.items.add(f);
  const init = { dataTransfer: dt, bubbles: true, cancelable: true, composed: true };
  el.dispatchEvent(new DragEvent('dragover', init));
  el.dispatchEvent(new DragEvent('drop', init));
}

/** A blank 120 × 90 int16 stack of `depth` slices. */
function blankStack(depth = 1) {
  const frames = Array.from({ length: depth }, () => new Int16Array(120 * 90));
  return createImageStack({ width: 120, height: 90, frames, dataType: 'int16', spacing: [1, 1, 1] });
}

/** The client position (whole pixels, for sendMouse) of image point (x, y) in `el`. */
function clientOf(el: VxViewer, x: number, y: number): [number, number] {
  const [cx, cy] = el.imageToClient(x, y);
  return [Math.round(cx), Math.round(cy)];
}

async function corpusFile(path: string, name: string): Promise<File> {
  return new File([await (await fetch(path)).arrayBuffer()], name);
}

describe('vx-viewer from the user side', () => {
  afterEach(() => resetMouse());

  it('keeps the file chooser usable after a dropped file is not an image', async () => {
    const el = await fixture<VxViewer>(html`<vx-viewer style="width:300px;height:300px"></vx-viewer>`);
    const failed = oneEvent(el, 'vx-error');
    drop(el, [new File(['patient notes'], 'notes.txt', { type: 'text/plain' })]);
    expect((await failed).detail.error.code).to.equal('not-an-image');
    await el.updateComplete;
    const root = el.shadowRoot!;
    // The error is shown in plain words ...
    const error = root.querySelector<HTMLElement>('[part="error"]')!;
    expect(error.checkVisibility()).to.equal(true);
    expect(error.textContent).to.contain('not a DICOM or TIFF image');
    // ... and the chooser is still there, on top, for the user's next try.
    const label = root.querySelector<HTMLElement>('[part="empty"] label')!;
    expect(label.checkVisibility()).to.equal(true);
    const r = label.getBoundingClientRect();
    const cx = r.left + r.width / 2;
    const cy = r.top + r.height / 2;
    const hit = root.elementFromPoint(cx, cy);
    expect(hit === label || label.contains(hit)).to.equal(true);
    // Choosing a real file from it loads it.
    const input = root.querySelector<HTMLInputElement>('[part="empty"] input[type="file"]')!;
    let clicked = false;
    input.addEventListener('click', (e) => {
      clicked = true;
      e.preventDefault(); // no native dialog in a test
    });
    await sendMouse({ type: 'click', position: [Math.round(cx), Math.round(cy)] });
    expect(clicked).to.equal(true);
    const dt = new DataTransfer();
    dt.items.add(await corpusFile('/corpus/dicom/CT_small.dcm', 'ct.dcm'));
    input.files = dt.files;
    const loaded = oneEvent(el, 'vx-load');
    input.dispatchEvent(new Event('change', { bubbles: true, composed: true }));
    await loaded;
    await el.updateComplete;
    expect(el.stack!.depth).to.equal(1);
    expect(root.querySelector('[part="error"]')).to.equal(null);
    expect(root.querySelector<HTMLElement>('[part="empty"]')!.hidden).to.equal(true);
  });
});

describe('vx-viewer: the built-in file chooser', () => {
  it('loads the same file again when the user chooses it again', async () => {
    const el = await fixture<VxViewer>(html`<vx-viewer style="width:300px;height:300px"></vx-viewer>`);
    const input = el.shadowRoot!.querySelector<HTMLInputElement>('[part="empty"] input[type="file"]')!;
    const choose = async (file: File) => {
      // What the browser does when the user picks a file in the dialog: a change event only if the
      // choice differs from the input's current value.
      const dt = new DataTransfer();
      dt.items.add(file);
      const before = input.value;
      input.files = dt.files;
      if (input.value !== before || before === '')
        input.dispatchEvent(new Event('change', { bubbles: true, composed: true }));
    };
    const bad = new File(['not yet exported'], 'scan.dcm');
    const failed = oneEvent(el, 'vx-error');
    await choose(bad);
    await failed;
    expect(input.value).to.equal('');
    // The user re-exports the file under the same name and picks it again.
    const good = await corpusFile('/corpus/dicom/CT_small.dcm', 'scan.dcm');
    const loaded = oneEvent(el, 'vx-load');
    await choose(good);
    await loaded;
    expect(el.stack!.depth).to.equal(1);
  });
});

describe('vx-viewer: a held Space does not outlive the focus', () => {
  afterEach(() => resetMouse());

  it('drawing in the first viewer works after Space was released over a second one', async () => {
    const wrap = await fixture<HTMLDivElement>(
      html`<div>
        <vx-viewer style="width:240px;height:180px;display:block"><vx-box-layer></vx-box-layer></vx-viewer>
        <vx-viewer style="width:240px;height:180px;display:block"><vx-box-layer></vx-box-layer></vx-viewer>
      </div>`,
    );
    const [a, b] = Array.from(wrap.querySelectorAll('vx-viewer')) as [VxViewer, VxViewer];
    for (const v of [a, b]) {
      const loaded = oneEvent(v, 'vx-load');
      v.stack = blankStack();
      await loaded;
      v.labelSchema = {
        version: 1,
        labels: [{ id: 'lesion', name: 'Lesion', color: '#ff0000', kinds: ['box'] }],
      };
      v.activeLabel = 'lesion';
      v.tool = 'box';
      await v.renderComplete;
    }
    const at = clientOf;
    a.focus();
    // Space held in the first viewer (pan-hold), then the user clicks the second one and lets go there.
    await sendKeys({ down: 'Space' });
    await sendMouse({ type: 'click', position: at(b, 60, 45) });
    await sendKeys({ up: 'Space' });
    const view = a.view;
    await sendMouse({ type: 'move', position: at(a, 10, 10) });
    await sendMouse({ type: 'down' });
    await sendMouse({ type: 'move', position: at(a, 25, 25) });
    await sendMouse({ type: 'move', position: at(a, 40, 40) });
    await sendMouse({ type: 'up' });
    expect(a.view.centerX).to.equal(view.centerX);
    expect(a.view.centerY).to.equal(view.centerY);
    expect(a.document!.annotations.length).to.equal(1);
    expect(a.document!.annotations[0]!.kind).to.equal('box');
    expect(b.document!.annotations.length).to.equal(0);
  });
});

describe('vx-viewer: removed in the middle of a drag', () => {
  afterEach(() => resetMouse());

  it('draws again once put back, and the interrupted box leaves nothing behind', async () => {
    const wrap = await fixture<HTMLDivElement>(
      html`<div>
        <vx-viewer style="width:360px;height:270px;display:block"><vx-box-layer></vx-box-layer></vx-viewer>
      </div>`,
    );
    const el = wrap.querySelector('vx-viewer') as VxViewer;
    const loaded = oneEvent(el, 'vx-load');
    el.stack = blankStack();
    await loaded;
    el.labelSchema = {
      version: 1,
      labels: [{ id: 'lesion', name: 'Lesion', color: '#ff0000', kinds: ['box'] }],
    };
    el.activeLabel = 'lesion';
    el.tool = 'box';
    await el.renderComplete;
    const at = (x: number, y: number) => clientOf(el, x, y);
    const frame = () => new Promise((r) => requestAnimationFrame(r));
    await sendMouse({ type: 'move', position: at(10, 10) });
    await sendMouse({ type: 'down' });
    await sendMouse({ type: 'move', position: at(40, 40) });
    // The host moves the viewer (a framework re-parenting it) while the button is still down.
    el.remove();
    await sendMouse({ type: 'up' });
    await frame();
    wrap.append(el);
    await frame();
    await el.renderComplete;
    expect(el.document!.annotations.length).to.equal(0);
    await sendMouse({ type: 'move', position: at(20, 20) });
    await sendMouse({ type: 'down' });
    await sendMouse({ type: 'move', position: at(35, 30) });
    await sendMouse({ type: 'move', position: at(50, 40) });
    await sendMouse({ type: 'up' });
    expect(el.document!.annotations.length).to.equal(1);
    expect(el.document!.annotations[0]!.box).to.deep.equal({ x: 20, y: 20, width: 30, height: 20 });
  });
});

describe('vx-viewer: arrow-key nudges stop at the image edge', () => {
  afterEach(() => resetMouse());

  it('a box and a polygon nudged against the edges stay inside the image, size and shape kept', async () => {
    const el = await fixture<VxViewer>(
      html`<vx-viewer style="width:360px;height:270px;display:block">
        <vx-box-layer></vx-box-layer><vx-polygon-layer></vx-polygon-layer>
      </vx-viewer>`,
    );
    const loaded = oneEvent(el, 'vx-load');
    el.stack = blankStack(2);
    await loaded;
    el.labelSchema = {
      version: 1,
      labels: [{ id: 'lesion', name: 'Lesion', color: '#ff0000', kinds: ['box', 'polygon'] }],
    };
    el.activeLabel = 'lesion';
    await el.renderComplete;
    const at = (x: number, y: number) => clientOf(el, x, y);
    el.focus();
    await sendKeys({ press: 'x' });
    await sendMouse({ type: 'move', position: at(4, 3) });
    await sendMouse({ type: 'down' });
    await sendMouse({ type: 'move', position: at(15, 12) });
    await sendMouse({ type: 'move', position: at(24, 23) });
    await sendMouse({ type: 'up' });
    const doc = el.document!;
    expect(doc.annotations[0]!.box).to.deep.equal({ x: 4, y: 3, width: 20, height: 20 });
    await sendKeys({ press: 'Shift+ArrowLeft' }); // 10 px: 4 to go
    await sendKeys({ press: 'Shift+ArrowUp' });
    await sendKeys({ press: 'ArrowUp' });
    expect(doc.annotations[0]!.box).to.deep.equal({ x: 0, y: 0, width: 20, height: 20 });
    expect(el.slice).to.equal(0); // the arrow at the edge was still the nudge's, not a slice change
    await sendKeys({ press: 'Control+z' });
    // The ArrowUp that changed nothing made no undo step: undo takes back the Shift+ArrowUp.
    expect(doc.annotations[0]!.box).to.deep.equal({ x: 0, y: 3, width: 20, height: 20 });

    await sendKeys({ press: 'Escape' });
    await sendKeys({ press: 'p' });
    const pts: [number, number][] = [
      [100, 70],
      [115, 72],
      [110, 86],
    ];
    for (const p of pts) await sendMouse({ type: 'click', position: at(...p) });
    await sendKeys({ press: 'Enter' });
    const poly = doc.annotations[1]!;
    expect(poly.kind).to.equal('polygon');
    const before = poly.points!;
    await sendKeys({ press: 'Shift+ArrowRight' });
    await sendKeys({ press: 'Shift+ArrowDown' });
    const after = doc.get(poly.id)!.points!;
    expect(Math.max(...after.map((p) => p[0]))).to.equal(120);
    expect(Math.max(...after.map((p) => p[1]))).to.equal(90);
    const dx = after[0]![0] - before[0]![0];
    const dy = after[0]![1] - before[0]![1];
    expect(after).to.deep.equal(before.map(([x, y]) => [x + dx, y + dy]));
  });
});

describe('vx-viewer: dragging a box against the image edge', () => {
  afterEach(() => resetMouse());

  it('moves it to the edge without shrinking it, in the box tool and in the select tool', async () => {
    const el = await fixture<VxViewer>(
      html`<vx-viewer style="width:360px;height:270px;display:block">
        <vx-box-layer></vx-box-layer>
      </vx-viewer>`,
    );
    const loaded = oneEvent(el, 'vx-load');
    el.stack = blankStack();
    await loaded;
    el.labelSchema = {
      version: 1,
      labels: [{ id: 'lesion', name: 'Lesion', color: '#ff0000', kinds: ['box'] }],
    };
    el.activeLabel = 'lesion';
    el.tool = 'box';
    // Zoomed out so the user can drag well past the image.
    el.setView({ zoom: 1.5, centerX: 60, centerY: 45 });
    await el.renderComplete;
    const at = (x: number, y: number) => clientOf(el, x, y);
    const drag = async (from: [number, number], to: [number, number]) => {
      await sendMouse({ type: 'move', position: at(...from) });
      await sendMouse({ type: 'down' });
      await sendMouse({ type: 'move', position: at((from[0] + to[0]) / 2, (from[1] + to[1]) / 2) });
      await sendMouse({ type: 'move', position: at(...to) });
      await sendMouse({ type: 'up' });
    };
    await drag([40, 30], [60, 50]);
    const doc = el.document!;
    const id = doc.annotations[0]!.id;
    expect(doc.get(id)!.box).to.deep.equal({ x: 40, y: 30, width: 20, height: 20 });
    // Box tool: grab the selected box inside and throw it past the left edge.
    await drag([50, 40], [10, 46]);
    expect(doc.get(id)!.box).to.deep.equal({ x: 0, y: 36, width: 20, height: 20 });
    // Select tool: past the bottom-right corner.
    el.tool = 'select';
    await drag([10, 46], [150, 110]);
    expect(doc.get(id)!.box).to.deep.equal({ x: 100, y: 70, width: 20, height: 20 });
  });
});

describe('vx-viewer: dragging a polygon against the image edge', () => {
  afterEach(() => resetMouse());

  it('stops it at the edge with its shape kept', async () => {
    const el = await fixture<VxViewer>(
      html`<vx-viewer style="width:360px;height:270px;display:block">
        <vx-polygon-layer></vx-polygon-layer>
      </vx-viewer>`,
    );
    const loaded = oneEvent(el, 'vx-load');
    el.stack = blankStack();
    await loaded;
    el.labelSchema = {
      version: 1,
      labels: [{ id: 'organ', name: 'Organ', color: '#00ff00', kinds: ['polygon'] }],
    };
    el.activeLabel = 'organ';
    el.tool = 'polygon';
    el.setView({ zoom: 1.5, centerX: 60, centerY: 45 });
    await el.renderComplete;
    const at = (x: number, y: number) => clientOf(el, x, y);
    for (const p of [
      [40, 30],
      [70, 30],
      [60, 60],
    ] as [number, number][])
      await sendMouse({ type: 'click', position: at(...p) });
    await sendKeys({ press: 'Enter' });
    const doc = el.document!;
    const poly = doc.annotations[0]!;
    const start = poly.points!;
    // The new polygon is selected: grab it inside and drag it far past the top edge.
    await sendMouse({ type: 'move', position: at(55, 40) });
    await sendMouse({ type: 'down' });
    await sendMouse({ type: 'move', position: at(55, 10) });
    await sendMouse({ type: 'move', position: at(55, -20) });
    await sendMouse({ type: 'up' });
    const moved = doc.get(poly.id)!.points!;
    expect(Math.min(...moved.map((p) => p[1]))).to.equal(0);
    const dy = moved[0]![1] - start[0]![1];
    expect(moved).to.deep.equal(start.map(([x, y]) => [x, y + dy]));
  });
});

describe('vx-viewer: polygon vertices past the image edge', () => {
  afterEach(() => resetMouse());

  it('land on the edge, whether clicked, drawn freehand or dragged there', async () => {
    const el = await fixture<VxViewer>(
      html`<vx-viewer style="width:360px;height:270px;display:block">
        <vx-polygon-layer></vx-polygon-layer>
      </vx-viewer>`,
    );
    const loaded = oneEvent(el, 'vx-load');
    el.stack = blankStack();
    await loaded;
    el.labelSchema = {
      version: 1,
      labels: [{ id: 'organ', name: 'Organ', color: '#00ff00', kinds: ['polygon'] }],
    };
    el.activeLabel = 'organ';
    el.tool = 'polygon';
    el.setView({ zoom: 1.5, centerX: 60, centerY: 45 });
    await el.renderComplete;
    const at = (x: number, y: number) => clientOf(el, x, y);
    const inImage = (pts: readonly [number, number][]) =>
      pts.every(([x, y]) => x >= 0 && x <= 120 && y >= 0 && y <= 90);
    const doc = el.document!;
    // Tracing an organ that touches the right and bottom edges, clicking a little past them.
    for (const p of [
      [90, 40],
      [140, 40],
      [130, 105],
    ] as [number, number][])
      await sendMouse({ type: 'click', position: at(...p) });
    await sendKeys({ press: 'Enter' });
    const clicked = doc.annotations[0]!.points!;
    expect(clicked.length).to.equal(3);
    expect(inImage(clicked)).to.equal(true);
    expect(clicked[1]![0]).to.equal(120);
    expect(clicked[2]![1]).to.equal(90);
    // A double-click past the edge closes the polygon there, with no doubled vertex.
    await sendKeys({ press: 'Escape' });
    for (const p of [
      [10, 10],
      [40, 12],
    ] as [number, number][])
      await sendMouse({ type: 'click', position: at(...p) });
    await sendMouse({ type: 'move', position: at(25, 110) });
    await sendMouse({ type: 'down' });
    await sendMouse({ type: 'up' });
    await sendMouse({ type: 'down' });
    await sendMouse({ type: 'up' });
    const closed = doc.annotations[1]!;
    expect(closed.points!.length).to.equal(3);
    expect(closed.points![2]![1]).to.equal(90);
    doc.remove(closed.id);
    // Freehand, starting left of the image.
    await sendKeys({ press: 'Escape' });
    await sendMouse({ type: 'move', position: at(-20, 10) });
    await sendMouse({ type: 'down' });
    for (const p of [
      [-10, 40],
      [20, 60],
      [30, 20],
    ] as [number, number][])
      await sendMouse({ type: 'move', position: at(...p) });
    await sendMouse({ type: 'up' });
    const free = doc.annotations[1]!;
    expect(free.kind).to.equal('polygon');
    expect(inImage(free.points!)).to.equal(true);
    // Dragging a vertex of the selected freehand polygon past the top edge.
    const v = free.points!.find(([x, y]) => x === 30 || (x > 25 && y < 25))!;
    await sendMouse({ type: 'move', position: at(...v) });
    await sendMouse({ type: 'down' });
    await sendMouse({ type: 'move', position: at(v[0], v[1] - 20) });
    await sendMouse({ type: 'move', position: at(v[0], -30) });
    await sendMouse({ type: 'up' });
    const dragged = doc.get(free.id)!.points!;
    expect(dragged).to.not.deep.equal(free.points);
    expect(inImage(dragged)).to.equal(true);
    expect(Math.min(...dragged.map((p) => p[1]))).to.equal(0);
  });
});

describe('vx-viewer: window sensitivity on a 16-bit CT', () => {
  afterEach(() => resetMouse());

  it('right-drag and Ctrl+arrows move the window by a few HU, not by 1/1024 of the 16-bit range', async () => {
    // CT_small.dcm stores 16 bits; its pixels span 2064 stored values (HU -896 to 1167).
    const el = await fixture<VxViewer>(html`<vx-viewer style="width:300px;height:300px"></vx-viewer>`);
    const loaded = oneEvent(el, 'vx-load');
    el.src = '/corpus/dicom/CT_small.dcm';
    await loaded;
    el.focus();
    await sendKeys({ press: '1' }); // Soft tissue 40/400
    expect([el.windowCenter, el.windowWidth]).to.deep.equal([40, 400]);
    await sendKeys({ press: 'Control+ArrowLeft' });
    const step = 400 - el.windowWidth;
    expect(step).to.be.greaterThan(0);
    expect(step).to.be.at.most(50); // a narrower window, not a closed one
    await sendKeys({ press: 'Control+ArrowUp' });
    expect(el.windowCenter).to.equal(40 + step);
    await sendKeys({ press: '1' });
    const r = el.getBoundingClientRect();
    const [x, y] = [Math.round(r.left + 150), Math.round(r.top + 150)];
    await sendMouse({ type: 'move', position: [x, y] });
    await sendMouse({ type: 'down', button: 'right' });
    await sendMouse({ type: 'move', position: [x + 10, y + 5] });
    await sendMouse({ type: 'move', position: [x + 20, y + 10] });
    await sendMouse({ type: 'up', button: 'right' });
    // About 4 HU per pixel of drag: 20 px wider, 10 px higher.
    const perPixel = (el.windowWidth - 400) / 20;
    expect(perPixel).to.be.within(3, 5);
    expect(el.windowCenter - 40).to.equal(perPixel * 10);
  });
});

describe('vx-viewer: CT window presets', () => {
  it('lists each standard CT window once, the file windows after them', async () => {
    const el = await fixture<VxViewer>(html`<vx-viewer style="width:200px;height:200px"></vx-viewer>`);
    let loaded = oneEvent(el, 'vx-load');
    el.src = '/corpus/dicom/CT_small.dcm';
    await loaded;
    const names = el.windowPresets.map((p) => `${p.name} ${p.center}/${p.width}`);
    expect(names).to.deep.equal([
      'Soft tissue 40/400',
      'Lung -600/1500',
      'Bone 400/1800',
      'Brain 40/80',
      'Abdomen 60/400',
    ]);
    // A CT stack with a window of its own (and the standard ones listed by the loader after it).
    loaded = oneEvent(el, 'vx-load');
    el.stack = createImageStack({
      width: 8,
      height: 8,
      frames: [new Int16Array(64)],
      dataType: 'int16',
      metadata: { modality: 'CT' },
      windowPresets: [{ name: 'Mediastinum', center: 50, width: 350 }, ...el.windowPresets],
    });
    await loaded;
    expect(el.windowPresets.map((p) => p.name)).to.deep.equal([
      'Soft tissue',
      'Lung',
      'Bone',
      'Brain',
      'Abdomen',
      'Mediastinum',
    ]);
    el.focus();
    await sendKeys({ press: '2' });
    expect([el.windowCenter, el.windowWidth]).to.deep.equal([-600, 1500]);
  });
});

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

describe('vx-viewer: tool keys for tools no layer provides', () => {
  afterEach(() => resetMouse());

  it('leave the current tool alone, so the left button keeps working', async () => {
    const el = await fixture<VxViewer>(
      html`<vx-viewer style="width:240px;height:180px;display:block">
        <vx-box-layer></vx-box-layer>
      </vx-viewer>`,
    );
    const loaded = oneEvent(el, 'vx-load');
    el.stack = blankStack();
    await loaded;
    el.labelSchema = {
      version: 1,
      labels: [{ id: 'lesion', name: 'Lesion', color: '#ff0000', kinds: ['box'] }],
    };
    el.activeLabel = 'lesion';
    await el.renderComplete;
    const changes: string[] = [];
    el.addEventListener('vx-tool-change', (e) =>
      changes.push((e as CustomEvent<{ tool: string }>).detail.tool),
    );
    el.focus();
    await sendKeys({ press: 'x' });
    expect(el.tool).to.equal('box');
    // No polygon or mask layer here: P, B and E are stray key presses.
    await sendKeys({ press: 'p' });
    await sendKeys({ press: 'b' });
    await sendKeys({ press: 'e' });
    expect(el.tool).to.equal('box');
    expect(changes).to.deep.equal(['box']);
    const at = (x: number, y: number) => clientOf(el, x, y);
    await sendMouse({ type: 'move', position: at(10, 10) });
    await sendMouse({ type: 'down' });
    await sendMouse({ type: 'move', position: at(20, 20) });
    await sendMouse({ type: 'move', position: at(30, 25) });
    await sendMouse({ type: 'up' });
    expect(el.document!.annotations.length).to.equal(1);
    await sendKeys({ press: 'v' }); // the select tool comes with any layer
    expect(el.tool).to.equal('select');
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
