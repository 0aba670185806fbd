import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { resetMouse, sendKeys, sendMouse } from '@web/test-runner-commands';
import { createImageStack } from '../../src/core/image/stack.js';
import '../../src/define.js';
import type { VxViewer } from '../../src/elements/vx-viewer.js';
import type { VxLabelPicker } from '../../src/elements/vx-label-picker.js';
import type { AnnotationDocument } from '../../src/core/annotation/document.js';
import { SparseMask } from '../../src/core/mask/sparse-mask.js';
import { paintStroke } from '../../src/core/mask/paint.js';
import type { LabelSchema } from '../../src/core/schema/types.js';
import type { Point } from '../../src/core/annotation/types.js';

const W = 120;
const H = 90;

const schema: LabelSchema = {
  version: 1,
  labels: [
    { id: 'lesion', name: 'Lesion', color: '#ff0000', kinds: ['box', 'polygon', 'mask'] },
    { id: 'liver', name: 'Liver', color: '#00ff00', kinds: ['polygon', 'mask'] },
    { id: 'nodule', name: 'Nodule', color: '#0000ff', kinds: ['box', 'mask'], parent: 'lesion' },
  ],
};

async function mount(withPicker = false): Promise<{ el: VxViewer; picker: VxLabelPicker | null }> {
  const wrap = await fixture<HTMLDivElement>(
    html`<div style="display:flex;gap:8px;align-items:flex-start">
      <vx-viewer id="gv" style="width:360px;height:270px;display:block">
        <vx-polygon-layer></vx-polygon-layer><vx-mask-layer></vx-mask-layer>
      </vx-viewer>
      ${withPicker ? html`<vx-label-picker for="gv"></vx-label-picker>` : ''}
    </div>`,
  );
  const el = wrap.querySelector('vx-viewer') as VxViewer;
  const loaded = oneEvent(el, 'vx-load');
  const frames = [0, 1].map(() => new Int16Array(W * H));
  el.stack = createImageStack({ width: W, height: H, frames, dataType: 'int16', spacing: [1, 1, 1] });
  await loaded;
  el.labelSchema = schema;
  el.activeLabel = 'lesion';
  await el.renderComplete;
  const picker = wrap.querySelector('vx-label-picker') as VxLabelPicker | null;
  await new Promise((r) => requestAnimationFrame(r));
  await picker?.updateComplete;
  return { el, picker };
}

function count(el: HTMLElement, type: string): () => number {
  let n = 0;
  el.addEventListener(type, () => n++);
  return () => n;
}

const doc = (el: VxViewer) => el.document as unknown as AnnotationDocument;

for (const view of [
  { name: 'zoom 1', zoom: 1, centerX: W / 2, centerY: H / 2 },
  { name: 'zoom 2.5 with pan', zoom: 2.5, centerX: 50, centerY: 40 },
]) {
  describe(`gestures with real input at ${view.name}`, () => {
    afterEach(() => resetMouse());

    async function setup() {
      const { el } = await mount();
      el.setView({ zoom: view.zoom, centerX: view.centerX, centerY: view.centerY });
      await el.renderComplete;
      const at = (x: number, y: number): Point => {
        const [cx, cy] = el.imageToClient(x, y);
        return [Math.round(cx), Math.round(cy)];
      };
      const img = (p: Point) => el.clientToImage(p[0], p[1]);
      return { el, at, img };
    }

    it('a double-click closes a polygon: two presses at one spot, and the dblclick after them', async () => {
      const { el, at, img } = await setup();
      const created = count(el, 'vx-annotation-create');
      const history = count(el, 'vx-history-change');
      el.tool = 'polygon';
      const pts = [at(40, 20), at(60, 22), at(55, 45)];
      await sendMouse({ type: 'click', position: pts[0]! });
      await sendMouse({ type: 'click', position: pts[1]! });
      // The user's double-click on the third vertex: press, release, press, release at one spot, then the
      // browser's dblclick (which the test runner's mouse does not synthesize, so it is dispatched here).
      await sendMouse({ type: 'move', position: pts[2]! });
      await sendMouse({ type: 'down' });
      await sendMouse({ type: 'up' });
      expect(doc(el).size).to.equal(0);
      await sendMouse({ type: 'down' });
      await sendMouse({ type: 'up' });
      // The second press closed it.
      expect(doc(el).size).to.equal(1);
      el.dispatchEvent(
        new MouseEvent('dblclick', {
          bubbles: true,
          composed: true,
          detail: 2,
          clientX: pts[2]![0],
          clientY: pts[2]![1],
        }),
      );
      expect(doc(el).size).to.equal(1); // the dblclick after it adds nothing
      const a = doc(el).annotations[0]!;
      expect(a.kind).to.equal('polygon');
      expect(a.points).to.deep.equal(pts.map(img));
      expect(created()).to.equal(1);
      expect(history()).to.equal(1);
      expect(el.editor.tools.polygon.state).to.equal('idle');
      // The dblclick event on its own (after three single clicks) closes a polygon too.
      const more = [at(80, 50), at(100, 52), at(95, 75)];
      for (const p of more) await sendMouse({ type: 'click', position: p });
      el.dispatchEvent(
        new MouseEvent('dblclick', {
          bubbles: true,
          composed: true,
          clientX: more[2]![0],
          clientY: more[2]![1],
        }),
      );
      expect(doc(el).size).to.equal(2);
      expect(doc(el).annotations[1]!.points).to.deep.equal(more.map(img));
      await sendKeys({ press: 'Control+z' });
      await sendKeys({ press: 'Control+z' });
      expect(doc(el).size).to.equal(0);
    });

    it('the select tool drags a mask: tiles moved by the rounded image delta, one undo step', async () => {
      const { el, at, img } = await setup();
      const src = new SparseMask(W, H);
      paintStroke(src, 50, 40, 75, 44, 9); // crosses the tile edge at x = 64
      const m = doc(el).add({ label: 'liver', kind: 'mask', slice: 0, mask: src });
      const before = doc(el).getSparseMask(m.id)!;
      const updated = count(el, 'vx-annotation-update');
      const history = count(el, 'vx-history-change');
      el.tool = 'select';
      const from = at(60, 42);
      const to = at(40, 60);
      await sendMouse({ type: 'move', position: from });
      await sendMouse({ type: 'down' });
      await sendMouse({ type: 'move', position: at(55, 50) });
      await sendMouse({ type: 'move', position: to });
      await sendMouse({ type: 'up' });
      const [fx, fy] = img(from);
      const [tx, ty] = img(to);
      const dx = Math.round(tx - fx);
      const dy = Math.round(ty - fy);
      const after = doc(el).getSparseMask(m.id)!;
      for (let y = 0; y < H; y++)
        for (let x = 0; x < W; x++) {
          if (after.get(x, y) !== before.get(x - dx, y - dy))
            expect.fail(`pixel ${x},${y} after a move by ${dx},${dy}`);
        }
      expect(after.area()).to.equal(before.area());
      expect(updated()).to.equal(1);
      expect(history()).to.equal(1);
      // The overlay shows the mask at its new place, not at the old one.
      el.flushDraw();
      const canvas = (
        el.stage.findOne('.vx-annotation-masks') as unknown as { getNativeCanvasElement(): HTMLCanvasElement }
      ).getNativeCanvasElement();
      const r = canvas.getBoundingClientRect();
      const k = canvas.width / r.width;
      const alpha = (p: Point) =>
        canvas
          .getContext('2d')!
          .getImageData(Math.floor((p[0] - r.left) * k), Math.floor((p[1] - r.top) * k), 1, 1).data[3]!;
      expect(alpha(at(52.5 + dx, 40.5 + dy))).to.be.greaterThan(0);
      expect(alpha(at(52.5, 40.5))).to.equal(0);
      await sendKeys({ press: 'Control+z' });
      expect(doc(el).getSparseMask(m.id)).to.equal(before);
      await sendKeys({ press: 'Control+Shift+Z' });
      expect(doc(el).getSparseMask(m.id)!.equals(after)).to.equal(true);
    });
  });
}

describe('keys 1–9 choose labels when the host binds them', () => {
  afterEach(() => resetMouse());

  it('end to end in a viewer with a label picker: digits follow the order the picker shows', async () => {
    const { el, picker } = await mount(true);
    const radios = () => [...picker!.shadowRoot!.querySelectorAll<HTMLElement>('[role="radio"]')];
    // Nodule is a child of Lesion: the picker lists it second with the hint 2.
    expect(radios().map((r) => r.querySelector('[part~="name"]')!.textContent)).to.deep.equal([
      'Lesion',
      'Nodule',
      'Liver',
    ]);
    expect(radios()[1]!.querySelector('[part~="key"]')!.textContent).to.equal('2');
    const r = el.getBoundingClientRect();
    await sendMouse({ type: 'click', position: [Math.round(r.left + 10), Math.round(r.top + 10)] });
    // Unbound (the default): digits pick window presets, the label stays.
    await sendKeys({ press: '2' });
    expect(el.activeLabel).to.equal('lesion');
    // The host binds them.
    const keymap = { ...el.keymap };
    for (let n = 1; n <= 9; n++) {
      keymap[`window-preset-${n}`] = [];
      keymap[`label-${n}`] = [String(n)];
    }
    el.keymap = keymap;
    const changes: string[] = [];
    picker!.addEventListener('vx-active-label-change', (e) =>
      changes.push((e as CustomEvent<{ label: string }>).detail.label),
    );
    await sendKeys({ press: '2' });
    expect(el.activeLabel).to.equal('nodule');
    await picker!.updateComplete;
    expect(radios()[1]!.getAttribute('aria-checked')).to.equal('true');
    await sendKeys({ press: '3' });
    expect(el.activeLabel).to.equal('liver');
    await sendKeys({ press: '4' }); // no fourth label: nothing changes
    expect(el.activeLabel).to.equal('liver');
    await sendKeys({ press: '1' });
    expect(el.activeLabel).to.equal('lesion');
    await picker!.updateComplete;
    expect(radios()[0]!.getAttribute('aria-checked')).to.equal('true');
    expect(changes).to.deep.equal(['nodule', 'liver', 'lesion']);
    // Layers that join after the picker leave the keys to it: it still announces the choice.
    el.querySelector('vx-mask-layer')!.remove();
    el.querySelector('vx-polygon-layer')!.remove();
    el.append(document.createElement('vx-polygon-layer'), document.createElement('vx-mask-layer'));
    await el.renderComplete;
    await sendKeys({ press: '2' });
    expect(el.activeLabel).to.equal('nodule');
    expect(changes).to.deep.equal(['nodule', 'liver', 'lesion', 'nodule']);
    // New annotations get the label chosen by key.
    await sendKeys({ press: '3' });
    el.tool = 'brush';
    const [cx, cy] = el.imageToClient(30, 30);
    await sendMouse({ type: 'click', position: [Math.round(cx), Math.round(cy)] });
    expect(doc(el).annotations[0]!.label).to.equal('liver');
  });
});
