import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { resetMouse, sendKeys, sendMouse } from '@web/test-runner-commands';
import { createImageStack } from '../../src/core/image/stack.js';
import '../../src/define.js';
import type { VxViewer } from '../../src/elements/vx-viewer.js';
import { blankStack, clientOf, mount } from './helpers.js';

/** Viewer input from the user side: held keys, interrupted drags, window sensitivity, presets, tool keys. */

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

describe('vx-viewer: tool keys for tools no layer provides', () => {
  afterEach(() => resetMouse());

  it('leave the current tool alone, so the left button keeps working', async () => {
    const { viewer: el } = await mount(
      html`<vx-viewer style="width:240px;height:180px;display:block">
        <vx-box-layer></vx-box-layer>
      </vx-viewer>`,
      {
        stack: blankStack(),
        labelSchema: {
          version: 1,
          labels: [{ id: 'lesion', name: 'Lesion', color: '#ff0000', kinds: ['box'] }],
        },
        activeLabel: 'lesion',
      },
    );
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
