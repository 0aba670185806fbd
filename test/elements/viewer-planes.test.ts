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

/** RGBA of the annotation mask layer's canvas at client position (cx, cy). */
function maskPixel(el: VxViewer, cx: number, cy: number): number[] {
  el.flushDraw();
  const layer = el.stage.findOne('.vx-annotation-masks') as unknown as {
    getNativeCanvasElement(): HTMLCanvasElement;
  };
  return canvasPixel(el, cx, cy, layer);
}

const volumeSchema: LabelSchema = {
  version: 1,
  labels: [{ id: 'liver', name: 'Liver', color: '#ff0000', kinds: ['mask', 'volume'] }],
} as LabelSchema;

/** A real left-button drag through image points (x, y) of the plane on screen. */
async function drag(el: VxViewer, points: [number, number][]): Promise<void> {
  const client = points.map(([x, y]) => el.imageToClient(x, y).map(Math.round) as [number, number]);
  await sendMouse({ type: 'move', position: client[0]! });
  await sendMouse({ type: 'down' });
  for (const p of client.slice(1)) await sendMouse({ type: 'move', position: p });
  await sendMouse({ type: 'up' });
}

async function maskViewer(orientation: string) {
  const { viewer } = await mount(
    html`<vx-viewer orientation=${orientation} style="width:400px;height:400px"
      ><vx-mask-layer></vx-mask-layer
    ></vx-viewer>`,
    { stack: volume(), labelSchema: volumeSchema, activeLabel: 'liver' },
  );
  return viewer;
}

describe('vx-viewer orientation: painting volumes from any plane', () => {
  afterEach(() => resetMouse());

  it('a coronal stroke paints one volume across many axial slices, shown in every plane; one undo removes it', async () => {
    const viewer = await maskViewer('coronal');
    viewer.tool = 'brush';
    viewer.editor.setOptions({ brushSize: 4 }); // 4 mm: ±2 columns, ±1 row of 2 mm
    const s = 12;
    viewer.slice = s;
    await frameOf(viewer, s);
    let creates = 0;
    viewer.addEventListener('vx-annotation-create', () => creates++);
    // Down the coronal frame at column 10: from row 5 to row 14, i.e. axial slices 14 down to 5.
    await drag(viewer, [
      [10.5, 5.5],
      [10.5, 9.5],
      [10.5, 14.5],
    ]);
    const doc = viewer.document!;
    expect(creates).to.equal(1);
    expect(doc.annotations).to.have.length(1);
    const a = doc.annotations[0]!;
    expect(a.kind).to.equal('volume');
    expect(viewer.selection.ids.has(a.id)).to.equal(true);
    const v = doc.getVolume(a.id)!;
    const at = (i: number, j: number, k: number) => v.data[k * W * H + j * W + i];
    for (let k = D - 1 - 14; k <= D - 1 - 5; k++) {
      expect(at(10, s, k), `axial slice ${k}, row ${s}`).to.equal(1);
      expect(at(12, s, k)).to.equal(1);
      expect(at(13, s, k)).to.equal(0);
      expect(at(10, s - 1, k), `axial slice ${k}, row ${s - 1}`).to.equal(0);
    }
    expect(at(10, s, D - 1 - 16)).to.equal(0);
    // It shows in the coronal plane where it was painted, in the label's colour…
    const [cx, cy] = viewer.imageToClient(10.5, 9.5);
    expect(maskPixel(viewer, cx, cy)[0]).to.be.greaterThan(100);
    // …and in the acquisition plane, at row s of axial slice 10.
    viewer.orientation = 'acquisition';
    viewer.slice = 10;
    await frameOf(viewer, 10);
    const [ax, ay] = viewer.imageToClient(10.5, s + 0.5);
    expect(maskPixel(viewer, ax, ay)[0]).to.be.greaterThan(100);
    const [bx, by] = viewer.imageToClient(10.5, s - 1.5);
    expect(maskPixel(viewer, bx, by)[3]).to.equal(0);
    // One Ctrl+Z takes back the whole stroke, across every axial slice.
    viewer.focus();
    await sendKeys({ press: 'Control+z' });
    expect(doc.annotations).to.have.length(0);
    expect(doc.canUndo).to.equal(false);
    await sendKeys({ press: 'Control+Shift+z' });
    expect(doc.getVolume(doc.annotations[0]!.id)!.data).to.deep.equal(v.data);
  });

  it('a second stroke goes into the selected volume; the eraser erases it; each is one undo step', async () => {
    const viewer = await maskViewer('sagittal');
    viewer.tool = 'brush';
    viewer.editor.setOptions({ brushSize: 3 });
    await frameOf(viewer, viewer.slice);
    await drag(viewer, [
      [5.5, 5.5],
      [20.5, 5.5],
    ]);
    await drag(viewer, [
      [5.5, 10.5],
      [20.5, 10.5],
    ]);
    const doc = viewer.document!;
    expect(doc.annotations).to.have.length(1);
    const id = doc.annotations[0]!.id;
    const count = () => doc.getVolume(id)!.data.reduce((n, x) => n + x, 0);
    const both = count();
    viewer.tool = 'eraser';
    await drag(viewer, [
      [5.5, 10.5],
      [20.5, 10.5],
    ]);
    expect(count()).to.be.lessThan(both);
    expect(count()).to.be.greaterThan(0);
    viewer.focus();
    await sendKeys({ press: 'Control+z' });
    expect(count()).to.equal(both);
    await sendKeys({ press: 'Control+z' });
    expect(count()).to.be.lessThan(both);
    expect(count()).to.be.greaterThan(0);
  });

  it('keeps per-slice masks in the acquisition plane unless a volume is selected or the target is volume', async () => {
    const viewer = await maskViewer('acquisition');
    viewer.tool = 'brush';
    viewer.slice = 4;
    await frameOf(viewer, 4);
    await drag(viewer, [
      [5.5, 5.5],
      [10.5, 5.5],
    ]);
    const doc = viewer.document!;
    expect(doc.annotations.map((a) => a.kind)).to.deep.equal(['mask']);
    viewer.editor.setOptions({ brushTarget: 'volume' });
    viewer.selection.clear();
    await drag(viewer, [
      [5.5, 15.5],
      [10.5, 15.5],
    ]);
    expect(doc.annotations.map((a) => a.kind)).to.deep.equal(['mask', 'volume']);
    const vol = doc.annotations[1]!;
    expect(doc.getVolume(vol.id)!.data[4 * W * H + 15 * W + 8]).to.equal(1);
    // With the volume selected, the slice target paints into it too.
    viewer.editor.setOptions({ brushTarget: 'slice' });
    await drag(viewer, [
      [20.5, 15.5],
      [25.5, 15.5],
    ]);
    expect(doc.annotations).to.have.length(2);
    expect(doc.getVolume(vol.id)!.data[4 * W * H + 15 * W + 23]).to.equal(1);
  });

  it('per-slice masks drawn in the acquisition plane show in other planes as the line their slice makes', async () => {
    const viewer = await maskViewer('acquisition');
    viewer.tool = 'brush';
    viewer.editor.setOptions({ brushSize: 3 });
    viewer.slice = 6;
    await frameOf(viewer, 6);
    await drag(viewer, [
      [5.5, 12.5],
      [25.5, 12.5],
    ]);
    expect(viewer.document!.annotations.map((a) => a.kind)).to.deep.equal(['mask']);
    viewer.orientation = 'coronal';
    viewer.slice = 12;
    await frameOf(viewer, 12);
    // Axial slice 6 is coronal row D - 1 - 6.
    const [x, y] = viewer.imageToClient(15.5, D - 1 - 6 + 0.5);
    expect(maskPixel(viewer, x, y)[0]).to.be.greaterThan(100);
    const [ox, oy] = viewer.imageToClient(15.5, D - 1 - 8 + 0.5);
    expect(maskPixel(viewer, ox, oy)[3]).to.equal(0);
  });

  it('brush-3d (key d) paints a ball of the brush diameter in mm', async () => {
    const viewer = await maskViewer('coronal');
    viewer.focus();
    await sendKeys({ press: 'd' });
    expect(viewer.tool).to.equal('brush-3d');
    viewer.editor.setOptions({ brushSize: 10 }); // 10 mm on 1 mm columns
    viewer.slice = 15;
    await frameOf(viewer, 15);
    const [cx, cy] = viewer.imageToClient(20.5, 10.5).map(Math.round) as [number, number];
    await sendMouse({ type: 'move', position: [cx, cy] });
    await sendMouse({ type: 'down' });
    await sendMouse({ type: 'up' });
    const doc = viewer.document!;
    const v = doc.getVolume(doc.annotations[0]!.id)!;
    let n = 0;
    for (const x of v.data) n += x;
    // A 5 mm radius ball over 1 × 1 × 2 mm voxels.
    const expected = ((4 / 3) * Math.PI * 5 ** 3) / 2;
    expect(Math.abs(n - expected) / expected).to.be.lessThan(0.1);
    // Its centre is the voxel under the pointer: column 20, row (coronal slice) 15, axial slice D-1-10.
    expect(v.data[(D - 1 - 10) * W * H + 15 * W + 20]).to.equal(1);
    expect(v.data[(D - 1 - 10) * W * H + 15 * W + 26]).to.equal(0);
    // `[` and `]` size it like the brush.
    await sendKeys({ press: ']' });
    expect(viewer.editor.tools['brush-3d'].size).to.equal(12);
    expect(viewer.editor.options.brushSize).to.equal(12);
  });
});
