/**
 * `<vx-viewer orientation>`: the same stack and document in the axial, coronal and sagittal planes, with real
 * mouse and keyboard input.
 */
import { expect, html, oneEvent } from '@open-wc/testing';
import { resetMouse, sendKeys, sendMouse } from '@web/test-runner-commands';
import { createImageStack } from '../../src/core/image/stack.js';
import type { LabelSchema } from '../../src/core/schema/types.js';
import type { VxViewer } from '../../src/elements/vx-viewer.js';
import { canvasPixel, mount } from './helpers.js';

/** 40 × 30 × 20 axial series, 1 × 1 × 2 mm, background 0, with one bright voxel at MARK. */
const [W, H, D] = [40, 30, 20];
const MARK: [number, number, number] = [30, 8, 14];

function volume(): ReturnType<typeof createImageStack> {
  const frames = Array.from({ length: D }, (_, k) => {
    const f = new Int16Array(W * H);
    if (k === MARK[2]) f[MARK[1] * W + MARK[0]] = 1000;
    return f;
  });
  return createImageStack({
    width: W,
    height: H,
    frames,
    dataType: 'int16',
    spacing: [1, 1, 2],
    metadata: { modality: 'CT', imageOrientationPatient: [1, 0, 0, 0, 1, 0] },
  });
}

const schema: LabelSchema = {
  version: 1,
  labels: [{ id: 'liver', name: 'Liver', color: '#ff0000', kinds: ['box', 'polygon', 'mask'] }],
} as LabelSchema;

const part = (el: VxViewer, name: string) =>
  el.shadowRoot!.querySelector(`[part~="${name}"]`)?.textContent?.trim() ?? '';

async function frameOf(el: VxViewer, slice: number): Promise<void> {
  while (el.displayedSlice !== slice || !el.frame) await new Promise((r) => setTimeout(r, 10));
  el.flushDraw();
  await el.updateComplete;
}

describe('vx-viewer orientation', () => {
  afterEach(() => resetMouse());

  it('shows the coronal plane: size, aspect from spacing, letters, and the voxel where the convention puts it', async () => {
    const { viewer } = await mount(
      html`<vx-viewer orientation="coronal" style="width:400px;height:400px"></vx-viewer>`,
      { stack: volume() },
    );
    const plane = viewer.plane!;
    expect(viewer.orientation).to.equal('coronal');
    expect([plane.width, plane.height, plane.depth]).to.deep.equal([W, D, H]);
    expect(viewer.view.aspect).to.equal(2); // 1 mm columns, 2 mm rows
    expect(viewer.slice).to.equal(Math.floor(H / 2)); // a reformatted plane opens at its middle
    expect(part(viewer, 'overlay-top-right')).to.match(/^Coronal\s+16\/30/);
    expect(['left', 'right', 'top', 'bottom'].map((e) => part(viewer, `overlay-edge-${e}`))).to.deep.equal([
      'R',
      'L',
      'S',
      'I',
    ]);
    // The bright voxel (i, j, k) is in coronal slice j, column i, row D - 1 - k (superior at the top).
    viewer.windowCenter = 500;
    viewer.windowWidth = 1000;
    viewer.slice = MARK[1];
    await frameOf(viewer, MARK[1]);
    const [x, y] = [MARK[0], D - 1 - MARK[2]];
    const at = viewer.imageToClient(x + 0.5, y + 0.5);
    expect(canvasPixel(viewer, at[0], at[1])[0]).to.be.greaterThan(200);
    const beside = viewer.imageToClient(x + 0.5, y + 1.5);
    expect(canvasPixel(viewer, beside[0], beside[1])[0]).to.be.lessThan(50);
    // A screen point maps back to the voxel, as an MPR container needs.
    expect(viewer.clientToVoxel(at[0], at[1])).to.deep.equal(MARK);
    // One image row is twice as tall on screen as a column is wide.
    const below = viewer.imageToClient(x + 0.5, y + 1.5);
    const right = viewer.imageToClient(x + 1.5, y + 0.5);
    expect(below[1] - at[1]).to.be.closeTo(2 * (right[0] - at[0]), 1e-6);
  });

  it('switches plane at run time, keeping the point at the view centre; keys scroll the new plane', async () => {
    const { viewer } = await mount(html`<vx-viewer style="width:300px;height:300px"></vx-viewer>`, {
      stack: volume(),
    });
    expect(viewer.orientation).to.equal('acquisition');
    viewer.slice = MARK[2];
    viewer.setView({ centerX: MARK[0] + 0.5, centerY: MARK[1] + 0.5 });
    await frameOf(viewer, MARK[2]);
    let loads = 0;
    viewer.addEventListener('vx-load', () => loads++);
    viewer.setAttribute('orientation', 'sagittal');
    await viewer.updateComplete;
    const plane = viewer.plane!;
    expect(plane.orientation).to.equal('sagittal');
    // Sagittal slices run right → left of the patient (x = L): the slice through column MARK[0].
    expect(viewer.slice).to.equal(Math.round(plane.fromSource(...MARK)[2]));
    expect([plane.width, plane.height, plane.depth]).to.deep.equal([H, D, W]);
    await frameOf(viewer, viewer.slice);
    expect(['left', 'right', 'top', 'bottom'].map((e) => part(viewer, `overlay-edge-${e}`))).to.deep.equal([
      'A',
      'P',
      'S',
      'I',
    ]);
    expect(loads).to.equal(0); // the same stack: no vx-load, and the window stays
    // Keys and the wheel scroll this plane's slices.
    viewer.focus();
    const start = viewer.slice;
    const change = oneEvent(viewer, 'vx-slice-change');
    await sendKeys({ press: 'ArrowDown' });
    expect((await change).detail.slice).to.equal(start + 1);
    await sendKeys({ press: 'End' });
    expect(viewer.slice).to.equal(W - 1);
    // Right-drag windows as in the acquisition plane.
    const r = viewer.getBoundingClientRect();
    const [cx, cy] = [Math.round(r.left + r.width / 2), Math.round(r.top + r.height / 2)];
    const before = viewer.windowWidth;
    await sendMouse({ type: 'move', position: [cx, cy] });
    await sendMouse({ type: 'down', button: 'right' });
    await sendMouse({ type: 'move', position: [cx + 40, cy] });
    await sendMouse({ type: 'up', button: 'right' });
    expect(viewer.windowWidth).to.not.equal(before);
    // Back to the acquisition plane: the slice through the centre point again.
    viewer.setView({ centerX: MARK[1] + 0.5, centerY: D - 1 - MARK[2] + 0.5 });
    viewer.slice = Math.round(plane.fromSource(...MARK)[2]);
    viewer.orientation = 'acquisition';
    expect(viewer.slice).to.equal(MARK[2]);
    await viewer.updateComplete;
    expect(part(viewer, 'overlay-top-right')).to.equal(`${MARK[2] + 1}/${D}`);
  });

  it('rejects an unknown orientation with a VoxmarkError', async () => {
    const { viewer } = await mount(html`<vx-viewer></vx-viewer>`, { stack: volume() });
    expect(() => (viewer.orientation = 'oblique' as never))
      .to.throw()
      .with.property('code', 'invalid-argument');
    expect(viewer.orientation).to.equal('acquisition');
  });

  it('blocks boxes in a reformatted plane: not-allowed cursor, a message, nothing drawn', async () => {
    const { root, viewer } = await mount<HTMLElement>(
      html`<div>
        <vx-viewer id="pv" orientation="coronal" style="width:300px;height:300px"
          ><vx-box-layer></vx-box-layer
        ></vx-viewer>
        <vx-toolbar for="pv"></vx-toolbar>
      </div>`,
      { stack: volume(), labelSchema: schema, activeLabel: 'liver' },
    );
    viewer.tool = 'box';
    await viewer.updateComplete;
    expect(viewer.toolAllowed()).to.equal(false);
    const toolbar = root.querySelector('vx-toolbar')!;
    await toolbar.updateComplete;
    const button = toolbar.shadowRoot!.querySelector('[part~="tool-box"]')!;
    expect(button.getAttribute('aria-disabled')).to.equal('true');
    expect(button.getAttribute('title')).to.match(/acquisition plane/);
    const [ax, ay] = viewer.imageToClient(5, 5).map(Math.round);
    await sendMouse({ type: 'move', position: [ax, ay] });
    await sendMouse({ type: 'down' });
    await sendMouse({ type: 'move', position: [ax + 60, ay + 60] });
    await sendMouse({ type: 'up' });
    expect(viewer.document!.annotations).to.have.length(0);
    await viewer.updateComplete;
    expect(viewer.shadowRoot!.querySelector('[aria-live]')!.textContent).to.match(/acquisition plane/);
    viewer.orientation = 'acquisition';
    expect(viewer.toolAllowed()).to.equal(true);
    await toolbar.updateComplete;
    expect(button.getAttribute('aria-disabled')).to.equal(null);
  });
});
