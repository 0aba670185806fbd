import { expect, html } from '@open-wc/testing';
import { resetMouse, sendKeys, sendMouse } from '@web/test-runner-commands';
import type { Point } from '../../src/core/annotation/types.js';
import { maskOf } from '../../src/core/annotation/document.js';
import type { LabelSchema } from '../../src/core/schema/types.js';
import '../../src/define.js';
import type { VxHotkeys } from '../../src/elements/vx-hotkeys.js';
import type { VxToolbar } from '../../src/elements/vx-toolbar.js';
import type { VxViewer } from '../../src/elements/vx-viewer.js';
import { clickOn } from './click.js';
import { blankStack, clientOf, mount } from './helpers.js';

/** The hotkey overlay on `?`, the mask display keys and controls (checked in the drawn pixels), and paint over. */

const schema: LabelSchema = {
  version: 1,
  labels: [
    { id: 'lesion', name: 'Lesion', color: '#ff0000', kinds: ['box', 'polygon', 'mask'] },
    { id: 'liver', name: 'Liver', color: '#00ff00', kinds: ['mask'] },
  ],
};

async function setup() {
  const { root, viewer } = await mount<HTMLDivElement>(
    html`<div>
      <vx-toolbar for="hv"></vx-toolbar>
      <vx-viewer id="hv" style="width:480px;height:360px;display:block"
        ><vx-box-layer></vx-box-layer><vx-mask-layer brush-size="8"></vx-mask-layer><vx-hotkeys></vx-hotkeys
      ></vx-viewer>
    </div>`,
    { stack: blankStack(), labelSchema: schema, activeLabel: 'lesion' },
  );
  const toolbar = root.querySelector('vx-toolbar') as VxToolbar;
  const hotkeys = root.querySelector('vx-hotkeys') as VxHotkeys;
  const settle = async () => {
    await new Promise((r) => requestAnimationFrame(r));
    await toolbar.updateComplete;
    await hotkeys.updateComplete;
  };
  return { root, viewer, toolbar, hotkeys, settle };
}

/** A liver mask filling image pixels [20, 60) × [20, 50). */
function addLiver(viewer: VxViewer): string {
  const data = new Uint8Array(120 * 90);
  for (let y = 20; y < 50; y++) for (let x = 20; x < 60; x++) data[y * 120 + x] = 1;
  return (viewer.document!.add({ label: 'liver', kind: 'mask', slice: 0, mask: { data } }) as { id: string })
    .id;
}

/** Alpha of the mask canvas at the centre of image pixel (x, y). */
function maskAlpha(viewer: VxViewer, x: number, y: number): number {
  viewer.flushDraw();
  const layer = viewer.stage.findOne('.vx-annotation-masks') as unknown as {
    getNativeCanvasElement(): HTMLCanvasElement;
  };
  const canvas = layer.getNativeCanvasElement();
  const r = canvas.getBoundingClientRect();
  const ratio = canvas.width / r.width;
  const [cx, cy] = viewer.imageToClient(x + 0.5, y + 0.5);
  const px = canvas
    .getContext('2d')!
    .getImageData(Math.floor((cx - r.left) * ratio), Math.floor((cy - r.top) * ratio), 1, 1).data;
  return px[3]!;
}

function focusView(viewer: VxViewer): void {
  viewer.shadowRoot!.querySelector<HTMLElement>('[part~="view"]')!.focus();
}

describe('<vx-hotkeys>: the overlay on ?', () => {
  afterEach(() => resetMouse());

  it('opens on ? from the live keymap with a remapped key, traps the focus, and closes on ? and Esc', async () => {
    const { viewer, hotkeys, settle } = await setup();
    viewer.keymap = { ...viewer.keymap, 'slice-next': ['j'], 'label-1': ['Shift+1'] };
    focusView(viewer);
    await sendKeys({ press: 'Shift+Slash' });
    await settle();
    const dialog = hotkeys.shadowRoot!.querySelector('dialog')!;
    expect(dialog.open).to.equal(true);
    const row = (action: string) => hotkeys.shadowRoot!.querySelector(`[data-action="${action}"]`);
    expect(row('slice-next')!.textContent).to.contain('J');
    expect(row('slice-next')!.textContent).to.not.contain('↓');
    expect(row('slice-next')!.getAttribute('part')).to.contain('remapped');
    expect(row('slice-previous')!.getAttribute('part')).to.not.contain('remapped');
    expect(row('label-1')!.textContent).to.contain('Lesion');
    const captions = [...hotkeys.shadowRoot!.querySelectorAll('caption')].map((c) => c.textContent!.trim());
    expect(captions).to.deep.equal(['Navigation', 'Tools', 'Labels', 'Editing']);
    await expect(hotkeys).to.be.accessible();
    // The focus stays in the dialog, and keys there never reach the viewer (↓ would change the slice).
    for (let i = 0; i < 3; i++) await sendKeys({ press: 'Tab' });
    expect(hotkeys.shadowRoot!.activeElement).to.not.equal(null);
    await sendKeys({ press: 'j' });
    expect(viewer.slice).to.equal(0);
    await sendKeys({ press: 'Shift+Slash' });
    await settle();
    expect(dialog.open).to.equal(false);
    expect(viewer.shadowRoot!.activeElement?.getAttribute('part')).to.equal('view');
    await sendKeys({ press: 'Shift+Slash' });
    await settle();
    expect(dialog.open).to.equal(true);
    await sendKeys({ press: 'Escape' });
    await settle();
    expect(dialog.open).to.equal(false);
    expect(hotkeys.open).to.equal(false);
  });
});

describe('mask display: opacity and outlines', () => {
  afterEach(() => resetMouse());

  it('Shift+] and Shift+[ change the opacity drawn; O draws the outline only', async () => {
    const { viewer, toolbar, settle } = await setup();
    addLiver(viewer);
    await settle();
    const start = maskAlpha(viewer, 40, 35);
    expect(start).to.be.closeTo(0.45 * 255, 3);
    focusView(viewer);
    await sendKeys({ press: 'Shift+BracketRight' });
    await sendKeys({ press: 'Shift+BracketRight' });
    await settle();
    expect(viewer.editor.options.maskOpacity).to.equal(0.65);
    expect(maskAlpha(viewer, 40, 35)).to.be.closeTo(0.65 * 255, 3);
    for (let i = 0; i < 3; i++) await sendKeys({ press: 'Shift+BracketLeft' });
    await settle();
    expect(maskAlpha(viewer, 40, 35)).to.be.closeTo(0.35 * 255, 3);
    const slider = toolbar.shadowRoot!.querySelector<HTMLInputElement>('[part~="mask-opacity"]')!;
    expect(slider.value).to.equal('35');
    // Outline only: the inside is clear, the edge is drawn; the toolbar's toggle follows the key.
    await sendKeys({ press: 'o' });
    await settle();
    expect(maskAlpha(viewer, 40, 35)).to.equal(0);
    expect(maskAlpha(viewer, 20, 35)).to.be.greaterThan(0);
    expect(maskAlpha(viewer, 59, 49)).to.be.greaterThan(0);
    const outline = toolbar.shadowRoot!.querySelector('[part~="outline"]')!;
    expect(outline.getAttribute('aria-pressed')).to.equal('true');
    await clickOn(outline);
    await settle();
    expect(maskAlpha(viewer, 40, 35)).to.be.greaterThan(0);
  });

  it('the toolbar slider sets the opacity from the keyboard', async () => {
    const { viewer, toolbar, settle } = await setup();
    addLiver(viewer);
    await settle();
    const slider = toolbar.shadowRoot!.querySelector<HTMLInputElement>('[part~="mask-opacity"]')!;
    slider.focus();
    await sendKeys({ press: 'ArrowUp' });
    await settle();
    expect(viewer.editor.options.maskOpacity).to.equal(0.5);
    expect(maskAlpha(viewer, 40, 35)).to.be.closeTo(0.5 * 255, 3);
  });
});

describe('paint over: all, or empty only', () => {
  afterEach(() => resetMouse());

  async function paintAcross(viewer: VxViewer): Promise<void> {
    const points: Point[] = [clientOf(viewer, 10, 35), clientOf(viewer, 40, 35), clientOf(viewer, 80, 35)];
    await sendMouse({ type: 'move', position: points[0]! });
    await sendMouse({ type: 'down' });
    for (const p of points.slice(1)) await sendMouse({ type: 'move', position: p });
    await sendMouse({ type: 'up' });
  }

  it("with 'empty only' the brush leaves another label's mask alone; with 'all' it paints over it", async () => {
    const { viewer, toolbar, settle } = await setup();
    const liver = addLiver(viewer);
    viewer.tool = 'brush';
    await settle();
    await clickOn(toolbar.shadowRoot!.querySelector('[part~="paint-over"]')!);
    await settle();
    expect(viewer.editor.options.paintOver).to.equal('empty');
    await paintAcross(viewer);
    const lesion = viewer.document!.annotations.find((a) => a.label === 'lesion')!;
    const m = maskOf(lesion)!;
    expect(m.get(12, 35)).to.equal(1);
    expect(m.get(40, 35)).to.equal(0);
    expect(m.get(75, 35)).to.equal(1);
    expect(maskOf(viewer.document!.get(liver)!)!.get(40, 35)).to.equal(1);
    viewer.document!.undo();
    viewer.selection.clear();
    await clickOn(toolbar.shadowRoot!.querySelector('[part~="paint-over"]')!);
    await settle();
    expect(viewer.editor.options.paintOver).to.equal('all');
    await paintAcross(viewer);
    const again = viewer.document!.annotations.find((a) => a.label === 'lesion')!;
    expect(maskOf(again)!.get(40, 35)).to.equal(1);
  });
});
