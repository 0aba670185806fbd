/**
 * <vx-mpr> with real input: a click or drag in one plane moves the other two, the crosshair event, linked
 * window/level, the crosshair key, one document for the three views, and the 2×2 layout's aside slot.
 */
import { expect, fixture, nextFrame, oneEvent } from '@open-wc/testing';
import { html, type TemplateResult } from 'lit';
import { resetMouse, sendKeys, sendMouse } from '@web/test-runner-commands';
import { LazyImageStack } from '../../src/core/image/stack.js';
import { createAnnotationDocument } from '../../src/core/annotation/document.js';
import type { ImageStack } from '../../src/core/image/types.js';
import '../../src/define.js';
import { MPR_PLANES, type VxMpr } from '../../src/elements/vx-mpr.js';
import { phantomDicomSeries } from '../../stories/data/phantom.js';
import * as stories from '../../stories/mpr.stories.js';
import type { VxCrosshairChangeEvent } from '../../src/elements/events.js';
import type { VxViewer } from '../../src/elements/vx-viewer.js';
import { canvasPixel, clientOf } from './helpers.js';
import { clickOn } from './click.js';
import type { LabelSchema } from '../../src/core/schema/types.js';

const SCHEMA: LabelSchema = {
  version: 1,
  labels: [
    { id: 'liver', name: 'Liver', color: '#40d070', kinds: ['volume', 'mask'] },
    { id: 'lesion', name: 'Lesion', color: '#ff4040', kinds: ['volume', 'mask'] },
  ],
};

const W = 64;
const H = 48;
const D = 40;
/** 1 mm pixels, 2 mm slices; voxel (0, 0, 0) at (-32, -24, -40) mm; an axial series (feet → head). */
const ORIGIN = [-32, -24, -40];
const SPACING = [1, 1, 2];

/** An axial CT-like series whose voxels vary along every axis, so each plane shows something. */
function axialSeries(): ImageStack {
  const frames = Array.from({ length: D }, (_, k) => {
    const f = new Int16Array(W * H);
    for (let j = 0; j < H; j++) for (let i = 0; i < W; i++) f[j * W + i] = (i * 7 + j * 5 + k * 11) % 400;
    return f;
  });
  return new LazyImageStack({
    format: 'dicom',
    width: W,
    height: H,
    samplesPerPixel: 1,
    dataType: 'int16',
    spacing: SPACING as [number, number, number],
    slices: frames.map((_, k) => ({ position: [ORIGIN[0]!, ORIGIN[1]!, ORIGIN[2]! + SPACING[2]! * k] })),
    metadata: { modality: 'CT', imageOrientationPatient: [1, 0, 0, 0, 1, 0] },
    decode: async (k) => ({
      width: W,
      height: H,
      samplesPerPixel: 1,
      data: frames[k]!,
      rescaleSlope: 1,
      rescaleIntercept: 0,
    }),
  });
}

async function mountMpr(layout = '1x3'): Promise<{ mpr: VxMpr; views: Record<string, VxViewer> }> {
  const mpr = await fixture<VxMpr>(html`
    <vx-mpr layout=${layout} style="width: 960px; height: 320px">
      <vx-label-picker slot="aside" id="aside"></vx-label-picker>
    </vx-mpr>
  `);
  const views = {
    axial: mpr.viewer('axial')!,
    coronal: mpr.viewer('coronal')!,
    sagittal: mpr.viewer('sagittal')!,
  };
  const loads = Object.values(views).map((v) => oneEvent(v, 'vx-load'));
  mpr.stack = axialSeries();
  await Promise.all(loads);
  await mpr.updateComplete;
  return { mpr, views };
}

function lines(mpr: VxMpr, plane: string): SVGLineElement[] {
  return [...mpr.shadowRoot!.querySelectorAll<SVGLineElement>(`svg.crosshair[data-plane='${plane}'] line`)];
}

describe('vx-mpr', () => {
  afterEach(() => resetMouse());

  it('shows the three planes of one stack and one document', async () => {
    const { mpr, views } = await mountMpr();
    expect(views.axial.getAttribute('orientation')).to.equal('axial');
    expect(views.coronal.getAttribute('orientation')).to.equal('coronal');
    expect(views.sagittal.getAttribute('orientation')).to.equal('sagittal');
    const doc = views.axial.document!;
    expect(doc).to.not.equal(undefined);
    expect(views.coronal.document).to.equal(doc);
    expect(views.sagittal.document).to.equal(doc);
    expect(mpr.document).to.equal(doc);
    // The crosshair starts at the centre voxel, and each view shows the slice through it.
    expect(mpr.voxel).to.deep.equal([W / 2, H / 2, D / 2]);
    expect(views.axial.slice).to.equal(D / 2);
    expect(views.coronal.slice).to.equal(H / 2);
    expect(views.sagittal.slice).to.equal(W - 1 - W / 2);
  });

  it('loads src in the axial view and shows the same stack and document in the other two', async () => {
    const urls = phantomDicomSeries({ size: 32, depth: 12 }).map((b) =>
      URL.createObjectURL(new Blob([b as BlobPart], { type: 'application/dicom' })),
    );
    const mpr = await fixture<VxMpr>(html`<vx-mpr style="width: 900px; height: 300px"></vx-mpr>`);
    const views = MPR_PLANES.map((p) => mpr.viewer(p)!);
    const loads = views.map((v) => oneEvent(v, 'vx-load'));
    mpr.src = urls;
    await Promise.all(loads);
    expect(mpr.stack!.depth).to.equal(12);
    for (const v of views) {
      expect(v.stack).to.equal(mpr.stack);
      expect(v.document).to.equal(views[0]!.document);
    }
    expect(mpr.voxel).to.deep.equal([16, 16, 6]);
    urls.forEach((u) => URL.revokeObjectURL(u));
  });

  it('a click in the axial view moves the coronal and sagittal slices and fires vx-crosshair-change', async () => {
    const { mpr, views } = await mountMpr();
    const axialSlice = views.axial.slice;
    const changed = oneEvent(mpr, 'vx-crosshair-change') as Promise<VxCrosshairChangeEvent>;
    const [x, y] = clientOf(views.axial, 20.5, 30.5);
    await sendMouse({ type: 'click', position: [x, y] });
    const e = await changed;
    const [i, j] = views.axial.clientToImage(x, y).map(Math.floor);
    expect([i, j]).to.deep.equal([20, 30]);
    // Coronal slices run anterior → posterior (row j); sagittal ones left → right (column W - 1 - i).
    expect(views.coronal.slice).to.equal(30);
    expect(views.sagittal.slice).to.equal(W - 1 - 20);
    expect(views.axial.slice).to.equal(axialSlice);
    expect(e.detail.voxel).to.deep.equal([20, 30, axialSlice]);
    const expected = [ORIGIN[0]! + 20, ORIGIN[1]! + 30, ORIGIN[2]! + 2 * axialSlice];
    e.detail.position.forEach((v, n) => expect(v).to.be.closeTo(expected[n]!, 0.5));
    expect(mpr.voxel).to.deep.equal([20, 30, axialSlice]);
  });

  it('a drag in the sagittal view moves the axial and coronal slices with it', async () => {
    const { mpr, views } = await mountMpr();
    const events: VxCrosshairChangeEvent[] = [];
    mpr.addEventListener('vx-crosshair-change', (e) => events.push(e));
    const sagittalSlice = views.sagittal.slice;
    // Sagittal: x = posterior (row j), y = inferior (slice D - 1 - k).
    await sendMouse({ type: 'move', position: clientOf(views.sagittal, 10.5, 5.5) });
    await sendMouse({ type: 'down' });
    await sendMouse({ type: 'move', position: clientOf(views.sagittal, 20.5, 15.5) });
    await sendMouse({ type: 'move', position: clientOf(views.sagittal, 40.5, 30.5) });
    await sendMouse({ type: 'up' });
    expect(events.length).to.be.at.least(2);
    expect(views.coronal.slice).to.equal(40);
    expect(views.axial.slice).to.equal(D - 1 - 30);
    expect(views.sagittal.slice).to.equal(sagittalSlice);
    expect(events.at(-1)!.detail.voxel).to.deep.equal([W - 1 - sagittalSlice, 40, D - 1 - 30]);
  });

  it('scrolling one view moves the crosshair along its normal and leaves the others', async () => {
    const { mpr, views } = await mountMpr();
    const before = { coronal: views.coronal.slice, sagittal: views.sagittal.slice };
    views.axial.focus();
    const changed = oneEvent(mpr, 'vx-crosshair-change') as Promise<VxCrosshairChangeEvent>;
    await sendKeys({ press: 'ArrowDown' });
    const e = await changed;
    expect(views.axial.slice).to.equal(D / 2 + 1);
    expect(e.detail.voxel[2]).to.equal(D / 2 + 1);
    expect({ coronal: views.coronal.slice, sagittal: views.sagittal.slice }).to.deep.equal(before);
  });

  it('window/level dragged in one view changes all three; zoom stays per view', async () => {
    const { views } = await mountMpr();
    const start = [views.axial.windowCenter, views.axial.windowWidth];
    expect([views.coronal.windowCenter, views.coronal.windowWidth]).to.deep.equal(start);
    const r = views.coronal.getBoundingClientRect();
    const [x, y] = [Math.round(r.left + r.width / 2), Math.round(r.top + r.height / 2)];
    await sendMouse({ type: 'move', position: [x, y] });
    await sendMouse({ type: 'down', button: 'right' });
    await sendMouse({ type: 'move', position: [x + 20, y + 10] });
    await sendMouse({ type: 'up', button: 'right' });
    const after = [views.coronal.windowCenter, views.coronal.windowWidth];
    expect(after).to.not.deep.equal(start);
    expect([views.axial.windowCenter, views.axial.windowWidth]).to.deep.equal(after);
    expect([views.sagittal.windowCenter, views.sagittal.windowWidth]).to.deep.equal(after);
    const zooms = [views.axial.zoom, views.sagittal.zoom];
    views.coronal.focus();
    await sendKeys({ press: '+' });
    expect(views.coronal.zoom).to.be.greaterThan(zooms[0]! - 1e-9);
    expect([views.axial.zoom, views.sagittal.zoom]).to.deep.equal(zooms);
  });

  it('draws each other plane as a line through the crosshair; K hides and shows them', async () => {
    const { mpr, views } = await mountMpr();
    const [x, y] = clientOf(views.axial, 20.5, 30.5);
    await sendMouse({ type: 'click', position: [x, y] });
    await mpr.updateComplete;
    const axial = lines(mpr, 'axial');
    expect(axial.length).to.equal(4);
    const cell = views.axial.getBoundingClientRect();
    // In the axial view the sagittal plane is a vertical line, the coronal plane a horizontal one.
    const vertical = axial.filter((l) => l.dataset['plane'] === 'sagittal');
    const horizontal = axial.filter((l) => l.dataset['plane'] === 'coronal');
    for (const l of vertical) expect(l.x1.baseVal.value + cell.left).to.be.closeTo(x, 1.5);
    for (const l of horizontal) expect(l.y1.baseVal.value + cell.top).to.be.closeTo(y, 1.5);
    expect(lines(mpr, 'coronal').length).to.equal(4);
    expect(lines(mpr, 'sagittal').length).to.equal(4);

    await sendKeys({ press: 'k' });
    await mpr.updateComplete;
    expect(mpr.hideCrosshair).to.equal(true);
    expect(lines(mpr, 'axial').length).to.equal(0);
    await sendKeys({ press: 'k' });
    await mpr.updateComplete;
    expect(mpr.hideCrosshair).to.equal(false);
    expect(lines(mpr, 'sagittal').length).to.equal(4);
  });

  it('a brush stroke in the coronal view paints one volume that the axial view shows; undo there removes it', async () => {
    const { mpr, views } = await mountMpr();
    mpr.labelSchema = SCHEMA;
    mpr.activeLabel = 'liver';
    mpr.voxel = [10, 24, 30];
    mpr.tool = 'brush';
    await mpr.updateComplete;
    expect(views.coronal.slice).to.equal(24);
    expect(views.axial.slice).to.equal(30);
    views.coronal.editor.setOptions({ brushSize: 4 });
    // Down the coronal frame at column 10, rows 5 → 14: axial slices 34 down to 25, row 24.
    const points = [
      [10.5, 5.5],
      [10.5, 9.5],
      [10.5, 14.5],
    ].map(([x, y]) => clientOf(views.coronal, x!, y!));
    await sendMouse({ type: 'move', position: points[0]! });
    await sendMouse({ type: 'down' });
    for (const p of points.slice(1)) await sendMouse({ type: 'move', position: p });
    await sendMouse({ type: 'up' });
    const doc = mpr.document!;
    expect(doc.annotations.map((a) => a.kind)).to.deep.equal(['volume']);
    const v = doc.getVolume(doc.annotations[0]!.id)!;
    expect(v.data[30 * W * H + 24 * W + 10]).to.equal(1);
    expect(v.data[30 * W * H + 23 * W + 10]).to.equal(0);
    // The axial view draws it at row 24 of slice 30, without being touched.
    await nextFrame();
    const masks = (view: VxViewer) =>
      view.stage.findOne('.vx-annotation-masks') as unknown as Parameters<typeof canvasPixel>[3];
    views.axial.flushDraw();
    expect(
      canvasPixel(views.axial, ...views.axial.imageToClient(10.5, 24.5), masks(views.axial))[3],
    ).to.be.greaterThan(0);
    expect(
      canvasPixel(views.axial, ...views.axial.imageToClient(10.5, 20.5), masks(views.axial))[3],
    ).to.equal(0);
    // One document, one history: Ctrl+Z in the axial view takes the coronal stroke back.
    views.axial.focus();
    await sendKeys({ press: 'Control+z' });
    expect(doc.annotations).to.have.length(0);
  });

  it('a volume the host adds to the document (a model prediction) shows in all three views', async () => {
    const { mpr, views } = await mountMpr();
    mpr.labelSchema = SCHEMA;
    const doc = createAnnotationDocument({ width: W, height: H, depth: D });
    // A block of voxels i 20–29, j 10–19, k 5–14.
    const data = new Uint8Array(W * H * D);
    for (let k = 5; k < 15; k++)
      for (let j = 10; j < 20; j++) data.fill(1, k * W * H + j * W + 20, k * W * H + j * W + 30);
    doc.add({ kind: 'volume', label: 'liver', mask: { data } });
    mpr.document = doc;
    mpr.voxel = [25, 15, 10];
    await mpr.updateComplete;
    await nextFrame();
    for (const plane of MPR_PLANES) {
      const view = views[plane]!;
      expect(view.document).to.equal(doc);
      view.flushDraw();
      const layer = view.stage.findOne('.vx-annotation-masks') as unknown as Parameters<
        typeof canvasPixel
      >[3];
      const [x, y] = mpr.viewer(plane)!.plane!.fromSource(25, 15, 10);
      const inside = canvasPixel(view, ...view.imageToClient(x + 0.5, y + 0.5), layer);
      expect(inside[3], plane).to.be.greaterThan(0);
      const [ox, oy] = view.plane!.fromSource(5, 40, 10);
      expect(canvasPixel(view, ...view.imageToClient(ox + 0.5, oy + 0.5), layer)[3], plane).to.equal(0);
    }
  });

  it('the 2×2 layout shows the aside slot in its fourth cell, whose label picker sets every view; 1×3 hides it', async () => {
    const { mpr, views } = await mountMpr('2x2');
    mpr.labelSchema = SCHEMA;
    await mpr.updateComplete;
    const aside = mpr.querySelector('#aside')!;
    await (aside as HTMLElement & { updateComplete: Promise<unknown> }).updateComplete;
    const radios = [...aside.shadowRoot!.querySelectorAll<HTMLElement>('[role="radio"]')];
    expect(radios.length).to.equal(2);
    await clickOn(radios[1]!);
    await mpr.updateComplete;
    expect(Object.values(views).map((v) => v.activeLabel)).to.deep.equal(['lesion', 'lesion', 'lesion']);
    const box = aside.getBoundingClientRect();
    expect(box.width).to.be.greaterThan(0);
    const coronal = views.coronal.getBoundingClientRect();
    const sagittal = views.sagittal.getBoundingClientRect();
    // Axial and coronal on top, sagittal below the axial view, the aside cell below the coronal one.
    expect(box.left).to.be.greaterThan(sagittal.right - 1);
    expect(box.top).to.be.greaterThan(coronal.bottom - 1);
    mpr.layout = '1x3';
    await mpr.updateComplete;
    expect(aside.getBoundingClientRect().width).to.equal(0);
    const rows = Object.values(views).map((v) => Math.round(v.getBoundingClientRect().top));
    expect(new Set(rows).size).to.equal(1);
  });

  it('the TIFF z-stack story: three views without patient geometry, a full-range window, accessible', async () => {
    const story = stories.TiffZStack.render as unknown as (args: unknown) => TemplateResult;
    const root = await fixture<HTMLDivElement>(
      html`<div>${story({ layout: '2x2', tool: 'crosshair', hideCrosshair: false })}</div>`,
    );
    const mpr = root.querySelector('vx-mpr') as VxMpr;
    await mpr.updateComplete;
    const views = MPR_PLANES.map((p) => mpr.viewer(p)!);
    await Promise.all(views.map((v) => (v.phase === 'ready' ? undefined : oneEvent(v, 'vx-load'))));
    expect(mpr.voxel).to.deep.equal([95, 130, 20]);
    for (const v of views) {
      expect([v.windowCenter, v.windowWidth]).to.deep.equal([128, 256]);
      expect(v.plane!.edges).to.equal(null);
    }
    // 1 µm between planes and 0.2 µm pixels: each coronal row is five pixels tall on screen.
    expect(views[1]!.plane!.spacing).to.deep.equal([0.2, 1, 0.2]);
    await expect(mpr).to.be.accessible();
  });
});
