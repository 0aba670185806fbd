import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { resetMouse, sendKeys, sendMouse } from '@web/test-runner-commands';
import { createImageStack } from '../../src/core/image/stack.js';
import '../../src/define.js';
import type { VxViewer } from '../../src/elements/vx-viewer.js';
import type { AnnotationDocument } from '../../src/core/annotation/document.js';
import { SparseMask } from '../../src/core/mask/sparse-mask.js';
import { paintStroke } from '../../src/core/mask/paint.js';
import type { LabelSchema } from '../../src/core/schema/types.js';
import type { Point } from '../../src/core/annotation/types.js';

const W = 100;
const H = 80;

const schema: LabelSchema = {
  version: 1,
  labels: [
    { id: 'lesion', name: 'Lesion', color: '#ff0000', kinds: ['box', 'polygon', 'mask'] },
    { id: 'liver', name: 'Liver', color: '#00ff00', kinds: ['mask', 'polygon'] },
  ],
};

function stack() {
  const frames = [0, 1, 2].map(() => new Int16Array(W * H).map((_, i) => (i % W) * 10));
  return createImageStack({
    width: W,
    height: H,
    frames,
    dataType: 'int16',
    spacing: [1, 1, 1],
    metadata: { modality: 'CT' },
  });
}

async function mount(): Promise<VxViewer> {
  const el = await fixture<VxViewer>(
    html`<vx-viewer style="width:400px;height:320px;display:block">
      <vx-box-layer></vx-box-layer><vx-polygon-layer></vx-polygon-layer
      ><vx-mask-layer brush-size="6"></vx-mask-layer>
    </vx-viewer>`,
  );
  const loaded = oneEvent(el, 'vx-load');
  el.stack = stack();
  await loaded;
  el.labelSchema = schema;
  el.activeLabel = 'lesion';
  await el.renderComplete;
  return el;
}

interface Counts {
  [type: string]: number;
}
function countEvents(el: HTMLElement): Counts {
  const counts: Counts = {};
  for (const t of [
    'vx-annotation-create',
    'vx-annotation-update',
    'vx-annotation-delete',
    'vx-selection-change',
    'vx-history-change',
  ])
    el.addEventListener(t, () => (counts[t] = (counts[t] ?? 0) + 1));
  return counts;
}

const doc = (el: VxViewer) => el.document as unknown as AnnotationDocument;
const snapshot = (el: VxViewer) => JSON.stringify(doc(el).toJSON());

async function drag(points: Point[]) {
  await sendMouse({ type: 'move', position: points[0]! });
  await sendMouse({ type: 'down' });
  for (const p of points.slice(1)) await sendMouse({ type: 'move', position: p });
  await sendMouse({ type: 'up' });
}
async function click(p: Point) {
  await sendMouse({ type: 'click', position: p });
}

for (const config of [
  { name: 'zoom 1', zoom: 1, centerX: W / 2, centerY: H / 2 },
  { name: 'zoom 2.5 with pan', zoom: 2.5, centerX: 40, centerY: 33 },
]) {
  describe(`annotation layers with real input at ${config.name}`, () => {
    afterEach(() => resetMouse());

    it('box, polygon, edited polygon, brush stroke and erase give exact geometry; undo/redo restore each state; events fire once per change', async () => {
      const el = await mount();
      el.setView({ zoom: config.zoom, centerX: config.centerX, centerY: config.centerY });
      await el.renderComplete;
      // Integer client points over the image, and the image points the viewer maps them to.
      const at = (fx: number, fy: number): Point => {
        const [cx, cy] = el.imageToClient(W * fx, H * fy);
        return [Math.round(cx), Math.round(cy)];
      };
      const img = (p: Point) => el.clientToImage(p[0], p[1]);
      const counts = countEvents(el);
      const states: string[] = [snapshot(el)];

      // 1. Box
      el.tool = 'box';
      const b0 = at(0.2, 0.2);
      const b1 = at(0.35, 0.4);
      await drag([b0, at(0.3, 0.3), b1]);
      const [x0, y0] = img(b0);
      const [x1, y1] = img(b1);
      const box = doc(el).annotations[0]!;
      expect(box.kind).to.equal('box');
      expect(box.label).to.equal('lesion');
      expect(box.box).to.deep.equal({
        x: Math.round(x0),
        y: Math.round(y0),
        width: Math.round(x1) - Math.round(x0),
        height: Math.round(y1) - Math.round(y0),
      });
      expect(counts['vx-annotation-create']).to.equal(1);
      states.push(snapshot(el));

      // 2. Polygon: four clicks, close on the first vertex
      el.tool = 'polygon';
      const poly = [at(0.5, 0.2), at(0.7, 0.22), at(0.68, 0.45), at(0.52, 0.4)];
      for (const p of poly) await click(p);
      await click(poly[0]!);
      const pg = doc(el).annotations[1]!;
      expect(pg.kind).to.equal('polygon');
      expect(pg.points).to.deep.equal(poly.map(img));
      expect(counts['vx-annotation-create']).to.equal(2);
      states.push(snapshot(el));

      // 3. Edit the polygon (it is selected): drag vertex 2 elsewhere
      const moved = at(0.75, 0.5);
      await drag([poly[2]!, at(0.72, 0.48), moved]);
      const edited = doc(el).get(pg.id)!;
      expect(edited.points).to.deep.equal([img(poly[0]!), img(poly[1]!), img(moved), img(poly[3]!)]);
      expect(counts['vx-annotation-update']).to.equal(1);
      states.push(snapshot(el));

      // 4. Brush stroke (fast: three samples far apart)
      el.tool = 'brush';
      const stroke = [at(0.2, 0.7), at(0.5, 0.75), at(0.8, 0.65)];
      await drag(stroke);
      const maskAnn = doc(el).annotations[2]!;
      expect(maskAnn.kind).to.equal('mask');
      const expected = new SparseMask(W, H);
      const pts = stroke.map(img);
      paintStroke(expected, pts[0]![0], pts[0]![1], pts[0]![0], pts[0]![1], 6);
      for (let i = 1; i < pts.length; i++)
        paintStroke(expected, pts[i - 1]![0], pts[i - 1]![1], pts[i]![0], pts[i]![1], 6);
      expect(doc(el).getSparseMask(maskAnn.id)!.equals(expected)).to.equal(true);
      expect(counts['vx-annotation-create']).to.equal(3);
      states.push(snapshot(el));

      // 5. Erase across the stroke
      el.tool = 'eraser';
      const erase = [at(0.5, 0.6), at(0.5, 0.9)];
      await drag(erase);
      const ep = erase.map(img);
      paintStroke(expected, ep[0]![0], ep[0]![1], ep[0]![0], ep[0]![1], 6, { value: 0 });
      paintStroke(expected, ep[0]![0], ep[0]![1], ep[1]![0], ep[1]![1], 6, { value: 0 });
      expect(doc(el).getSparseMask(maskAnn.id)!.equals(expected)).to.equal(true);
      expect(counts['vx-annotation-update']).to.equal(2);
      states.push(snapshot(el));

      expect(counts['vx-history-change']).to.equal(5);
      expect(counts['vx-annotation-delete'] ?? 0).to.equal(0);

      // Undo with the keyboard restores each previous state exactly, redo each next one.
      for (let i = states.length - 2; i >= 0; i--) {
        await sendKeys({ press: 'Control+z' });
        expect(snapshot(el), `undo to state ${i}`).to.equal(states[i]);
      }
      expect(counts['vx-history-change']).to.equal(10);
      expect(counts['vx-annotation-delete']).to.equal(3);
      for (let i = 1; i < states.length; i++) {
        await sendKeys({ press: i % 2 ? 'Control+Shift+Z' : 'Control+y' });
        expect(snapshot(el), `redo to state ${i}`).to.equal(states[i]);
      }
      expect(counts['vx-history-change']).to.equal(15);
      expect(counts['vx-annotation-create']).to.equal(6);

      // The mask overlay shows the label colour at a painted pixel.
      el.flushDraw();
      const layer = el.stage.findOne('.vx-annotation-masks') as unknown as {
        getNativeCanvasElement(): HTMLCanvasElement;
      };
      const canvas = layer.getNativeCanvasElement();
      const cr = canvas.getBoundingClientRect();
      const ratio = canvas.width / cr.width;
      const [px, py] = stroke[0]!;
      const d = canvas
        .getContext('2d')!
        .getImageData(Math.floor((px - cr.left) * ratio), Math.floor((py - cr.top) * ratio), 1, 1).data;
      expect(d[0]).to.be.greaterThan(100);
      expect(d[1]).to.be.lessThan(30);
    });
  });
}

describe('annotation layers: keyboard, selection and delete', () => {
  afterEach(() => resetMouse());

  it('Esc cancels a gesture, undo mid-gesture cancels it, Delete asks the host, selection events once per change', async () => {
    const el = await mount();
    const counts = countEvents(el);
    const r = el.getBoundingClientRect();
    const at = (fx: number, fy: number): Point => [
      Math.round(r.left + r.width * fx),
      Math.round(r.top + r.height * fy),
    ];
    el.tool = 'box';
    await sendMouse({ type: 'move', position: at(0.2, 0.2) });
    await sendMouse({ type: 'down' });
    await sendMouse({ type: 'move', position: at(0.4, 0.4) });
    await sendKeys({ press: 'Escape' });
    await sendMouse({ type: 'up' });
    expect(doc(el).size).to.equal(0);
    await sendMouse({ type: 'move', position: at(0.2, 0.2) });
    await sendMouse({ type: 'down' });
    await sendMouse({ type: 'move', position: at(0.4, 0.4) });
    await sendKeys({ press: 'Control+z' });
    await sendMouse({ type: 'up' });
    expect(doc(el).size).to.equal(0);
    expect(counts['vx-history-change'] ?? 0).to.equal(0);
    await drag([at(0.2, 0.2), at(0.4, 0.4)]);
    expect(doc(el).size).to.equal(1);
    expect(counts['vx-selection-change']).to.equal(1);
    // Shift+arrow nudges the selected box by 1 px, Alt+Shift+arrow by 10 px.
    const b = doc(el).annotations[0]!.box!;
    await sendKeys({ press: 'Shift+ArrowRight' });
    await sendKeys({ press: 'Alt+Shift+ArrowDown' });
    expect(doc(el).annotations[0]!.box).to.deep.equal({ ...b, x: b.x + 1, y: b.y + 10 });
    expect(el.slice).to.equal(0);
    // Delete vetoed by the host, then allowed.
    let veto = true;
    el.addEventListener('vx-annotation-delete-request', (e) => veto && e.preventDefault());
    await sendKeys({ press: 'Delete' });
    expect(doc(el).size).to.equal(1);
    veto = false;
    await sendKeys({ press: 'Delete' });
    expect(doc(el).size).to.equal(0);
    expect(counts['vx-annotation-delete']).to.equal(1);
    expect(counts['vx-selection-change']).to.equal(2);
    // Copy to the next slice, then paste.
    await sendKeys({ press: 'Control+z' });
    const restored = doc(el).annotations[0]!.box!;
    const [ex, ey] = el.imageToClient(restored.x, restored.y + restored.height / 2);
    await click([Math.round(ex), Math.round(ey)]); // on the outline of the unselected box: selects it
    await sendKeys({ press: 'Alt+ArrowDown' });
    expect(doc(el).bySlice(1).length).to.equal(1);
    await sendKeys({ press: 'Control+c' });
    el.slice = 2;
    await sendKeys({ press: 'Control+v' });
    expect(doc(el).bySlice(2).length).to.equal(1);
  });

  it('threshold brush through the element paints only where the CT value is in range', async () => {
    const el = await mount();
    const layer = el.querySelector('vx-mask-layer')!;
    layer.setAttribute('threshold-min', '0');
    layer.setAttribute('threshold-max', '300'); // values are x * 10: columns 0..30
    layer.setAttribute('brush-size', '9');
    await (layer as unknown as { updateComplete: Promise<void> }).updateComplete;
    await el.renderComplete;
    el.tool = 'brush';
    const c = (x: number, y: number): Point => {
      const [cx, cy] = el.imageToClient(x, y);
      return [Math.round(cx), Math.round(cy)];
    };
    await drag([c(10.5, 40.5), c(60.5, 40.5)]);
    const a = doc(el).annotations[0]!;
    const m = doc(el).getSparseMask(a.id)!;
    const [bx, , bw] = m.bbox()!;
    expect(bx + bw - 1).to.equal(30);
    expect(m.get(30, 40)).to.equal(1);
    expect(m.get(31, 40)).to.equal(0);
    expect(m.get(Math.floor(el.clientToImage(...c(10.5, 40.5))[0]), 40)).to.equal(1);
  });

  it('keys 1–9 choose the active label when the host binds them', async () => {
    const el = await mount();
    el.keymap = { ...el.keymap, 'window-preset-2': [], 'label-2': ['2'] };
    const r = el.getBoundingClientRect();
    await click([Math.round(r.left + 5), Math.round(r.top + 5)]);
    await sendKeys({ press: '2' });
    expect(el.activeLabel).to.equal('liver');
    await sendKeys({ press: '3' }); // still a window preset: no third label binding
    expect(el.activeLabel).to.equal('liver');
  });

  it('toolbar buttons switch tools, set brush size and undo; keyboard operable', async () => {
    const wrap = await fixture<HTMLDivElement>(
      html`<div>
        <vx-toolbar for="v1"></vx-toolbar>
        <vx-viewer id="v1" style="width:300px;height:240px;display:block"
          ><vx-box-layer></vx-box-layer><vx-mask-layer></vx-mask-layer
        ></vx-viewer>
      </div>`,
    );
    const el = wrap.querySelector('vx-viewer') as VxViewer;
    const loaded = oneEvent(el, 'vx-load');
    el.stack = stack();
    await loaded;
    const tb = wrap.querySelector('vx-toolbar')!;
    await new Promise((r) => requestAnimationFrame(r));
    await (tb as unknown as { updateComplete: Promise<void> }).updateComplete;
    const root = tb.shadowRoot!;
    const boxBtn = root.querySelector<HTMLButtonElement>('[part~="tool-box"]')!;
    expect(boxBtn.getAttribute('aria-label')).to.equal('Box (X)');
    expect(root.querySelector('[part~="tool-polygon"]')).to.equal(null);
    boxBtn.focus();
    await sendKeys({ press: 'Enter' });
    expect(el.tool).to.equal('box');
    await sendKeys({ press: 'ArrowRight' });
    await sendKeys({ press: 'Space' });
    expect(el.tool).to.equal('brush');
    // Selection buttons: copy to the next slice, then delete, through real clicks.
    const d = el.document as unknown as AnnotationDocument;
    const a = d.add({ label: 'x', kind: 'box', slice: 0, box: { x: 2, y: 2, width: 5, height: 5 } });
    el.editor.selection.set([a.id]);
    await new Promise((r) => requestAnimationFrame(r));
    await (tb as unknown as { updateComplete: Promise<void> }).updateComplete;
    const btn = (part: string) => root.querySelector<HTMLButtonElement>(`[part~="${part}"]`)!;
    const clickOn = async (b: HTMLElement) => {
      const r = b.getBoundingClientRect();
      await sendMouse({
        type: 'click',
        position: [Math.round(r.left + r.width / 2), Math.round(r.top + r.height / 2)],
      });
    };
    expect(btn('copy-next').disabled).to.equal(false);
    await clickOn(btn('copy-next'));
    expect(d.bySlice(1).length).to.equal(1);
    await clickOn(btn('delete'));
    expect(d.has(a.id)).to.equal(false);
    await (tb as unknown as { updateComplete: Promise<void> }).updateComplete;
    expect(btn('delete').disabled).to.equal(true);
    await clickOn(btn('undo'));
    expect(d.has(a.id)).to.equal(true);
    await expect(tb).to.be.accessible();
  });
});
