/**
 * <vx-segment-effects> with real input: each effect runs from its button (a real click) and from its key (a
 * real key press on the viewer), changes the selected volume as the core function would, and Ctrl+Z undoes
 * it in one step.
 */
import { expect, html, waitUntil } from '@open-wc/testing';
import { resetMouse, sendKeys, sendMouse } from '@web/test-runner-commands';
import { createImageStack } from '../../src/core/image/stack.js';
import type { LabelSchema } from '../../src/core/schema/types.js';
import type { Volume } from '../../src/core/mask/volume.js';
import type { Annotation } from '../../src/core/annotation/types.js';
import type { VxViewer } from '../../src/elements/vx-viewer.js';
import type { VxSegmentEffects } from '../../src/elements/vx-segment-effects.js';
import { clickOn } from './click.js';
import { clientOf, mount } from './helpers.js';

const W = 40;
const H = 32;
const D = 12;
const AREA = W * H;

const schema: LabelSchema = {
  version: 1,
  labels: [
    { id: 'organ', name: 'Organ', color: '#ff8800', kinds: ['mask', 'volume', 'box'] },
    { id: 'background', name: 'Background', color: '#2288ff', kinds: ['mask', 'volume'] },
  ],
};

/** Value 100 in the box x 12–27, y 10–21 on slices 2–9, else 0. */
function stack() {
  const frames = Array.from({ length: D }, (_, z) =>
    new Int16Array(AREA).map((_, i) => {
      const [x, y] = [i % W, Math.floor(i / W)];
      return z >= 2 && z <= 9 && x >= 12 && x < 28 && y >= 10 && y < 22 ? 100 : 0;
    }),
  );
  return createImageStack({ width: W, height: H, frames, dataType: 'int16', spacing: [1, 1, 2] });
}

function blank(): Volume {
  return { data: new Uint8Array(AREA * D), width: W, height: H, depth: D };
}

function cube(v: Volume, x0: number, y0: number, z0: number, x1: number, y1: number, z1: number): Volume {
  for (let z = z0; z <= z1; z++)
    for (let y = y0; y <= y1; y++) for (let x = x0; x <= x1; x++) v.data[z * AREA + y * W + x] = 1;
  return v;
}

function disc(v: Volume, z: number, cx: number, cy: number, r: number): Volume {
  for (let y = 0; y < H; y++)
    for (let x = 0; x < W; x++) if ((x - cx) ** 2 + (y - cy) ** 2 <= r * r) v.data[z * AREA + y * W + x] = 1;
  return v;
}

const same = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((x, i) => x === b[i]);
const count = (v: Volume | undefined) => v?.data.reduce((s, x) => s + (x ? 1 : 0), 0) ?? -1;
const onSlice = (v: Volume | undefined, z: number) =>
  v ? v.data.subarray(z * AREA, (z + 1) * AREA).reduce((s, x) => s + (x ? 1 : 0), 0) : -1;

interface Rig {
  viewer: VxViewer;
  panel: VxSegmentEffects;
  /** Adds a volume of `label` and selects it. */
  volume(v: Volume, label?: string): string;
  button(action: string): HTMLElement;
  field(name: string): HTMLInputElement | HTMLSelectElement;
}

async function rig(): Promise<Rig> {
  const { root, viewer } = await mount<HTMLDivElement>(
    html`<div style="display:flex">
      <vx-viewer id="v" style="width:320px;height:256px"><vx-mask-layer></vx-mask-layer></vx-viewer>
      <vx-segment-effects for="v"></vx-segment-effects>
    </div>`,
    { stack: stack(), labelSchema: schema, activeLabel: 'organ' },
  );
  const panel = root.querySelector('vx-segment-effects')!;
  await panel.updateComplete;
  const q = (sel: string) => panel.shadowRoot!.querySelector<HTMLElement>(sel)!;
  return {
    viewer,
    panel,
    volume(v, label = 'organ') {
      const a = viewer.document!.add({ kind: 'volume', label, mask: { data: v.data } }) as Annotation;
      viewer.selection.set([a.id]);
      return a.id;
    },
    button: (action) => q(`[data-action="${action}"]`),
    field: (name) => q(`[name="${name}"]`) as HTMLInputElement,
  };
}

/** Presses keys with the viewer focused, as an annotator does. */
async function press(viewer: VxViewer, key: string): Promise<void> {
  viewer.focus();
  await sendKeys({ press: key });
}

async function undo(viewer: VxViewer): Promise<void> {
  await press(viewer, 'Control+z');
}

/** Replaces a field's text by typing, then leaves it (fires change). */
async function type(el: HTMLElement, text: string): Promise<void> {
  await clickOn(el);
  await sendKeys({ press: 'Control+a' });
  await sendKeys({ type: text });
  await sendKeys({ press: 'Tab' });
}

describe('vx-segment-effects', function () {
  this.timeout(30_000);
  afterEach(() => resetMouse());

  it('fills between slices with a preview: Accept applies it as one undo step, Escape drops it', async () => {
    const r = await rig();
    const doc = r.viewer.document!;
    const id = r.volume(disc(disc(blank(), 2, 20, 16, 5), 8, 20, 16, 8));
    const before = doc.getVolume(id)!;
    const applied: { effect: string; ids: string[] }[] = [];
    r.panel.addEventListener('vx-effect-apply', (e) => applied.push((e as CustomEvent).detail));
    await clickOn(r.button('fill-between'));
    await r.panel.updateComplete;
    expect(doc.getVolume(id)!.data, 'unchanged').to.satisfy((d: Uint8Array) => same(d, before.data)); // a preview only
    await clickOn(r.button('accept'));
    expect(onSlice(doc.getVolume(id), 5)).to.be.greaterThan(100);
    expect(onSlice(doc.getVolume(id), 2)).to.equal(onSlice(before, 2)); // painted slices untouched
    expect(applied).to.deep.equal([{ effect: 'fill-between', ids: [id] }]);
    await undo(r.viewer);
    expect(doc.getVolume(id)!.data, 'unchanged').to.satisfy((d: Uint8Array) => same(d, before.data));
    // From the key: Shift+F shows the preview, Escape drops it, Shift+F and Enter apply it.
    await press(r.viewer, 'Shift+F');
    await r.panel.updateComplete;
    expect(r.button('accept')).to.not.equal(null);
    await press(r.viewer, 'Escape');
    await r.panel.updateComplete;
    expect(r.panel.shadowRoot!.querySelector('[data-action="accept"]')).to.equal(null);
    expect(doc.getVolume(id)!.data, 'unchanged').to.satisfy((d: Uint8Array) => same(d, before.data));
    await press(r.viewer, 'Shift+F');
    await press(r.viewer, 'Enter');
    expect(onSlice(doc.getVolume(id), 5)).to.be.greaterThan(100);
    await undo(r.viewer);
    expect(doc.getVolume(id)!.data, 'unchanged').to.satisfy((d: Uint8Array) => same(d, before.data));
  });

  it('keeps the largest island, removes small ones, keeps the clicked one and splits, each undone in one step', async () => {
    const r = await rig();
    const doc = r.viewer.document!;
    // 4×4×4 = 64 voxels, 2×2×2 = 8 voxels, and a corner-touching 1-voxel speck.
    const v = cube(cube(blank(), 4, 4, 2, 7, 7, 5), 20, 20, 2, 21, 21, 3);
    v.data[6 * AREA + 8 * W + 8] = 1;
    const id = r.volume(v);
    await clickOn(r.button('keep-largest'));
    expect(count(doc.getVolume(id))).to.equal(64);
    await undo(r.viewer);
    expect(count(doc.getVolume(id))).to.equal(73);
    await press(r.viewer, 'Shift+K');
    expect(count(doc.getVolume(id))).to.equal(64);
    await undo(r.viewer);
    // 26-connectivity joins the speck to the big cube.
    r.field('connectivity').focus();
    await sendKeys({ press: 'ArrowDown' });
    await r.panel.updateComplete;
    await clickOn(r.button('keep-largest'));
    expect(count(doc.getVolume(id))).to.equal(65);
    await undo(r.viewer);
    await type(r.field('min-voxels'), '5');
    await clickOn(r.button('remove-small'));
    expect(count(doc.getVolume(id))).to.equal(73); // 65 + 8: only islands under 5 voxels go (none here)
    await undo(r.viewer);
    // Keep the clicked island: the 8-voxel cube on slice 2.
    await clickOn(r.button('keep-clicked'));
    r.viewer.slice = 2;
    await r.viewer.updateComplete;
    const [cx, cy] = clientOf(r.viewer, 21, 21);
    await sendMouse({ type: 'click', position: [cx, cy] });
    expect(count(doc.getVolume(id))).to.equal(8);
    await undo(r.viewer);
    expect(count(doc.getVolume(id))).to.equal(73);
    // Split into instances: two volumes (26-connected), then one undo brings back one.
    const volumes = () => doc.annotations.filter((a) => a.kind === 'volume').length;
    await clickOn(r.button('split'));
    expect(volumes()).to.equal(2);
    await undo(r.viewer);
    expect(volumes()).to.equal(1);
    expect(count(doc.getVolume(id))).to.equal(73);
  });

  it('fills holes in 3D, smooths, adds a margin and combines instances, each undone in one step', async () => {
    const r = await rig();
    const doc = r.viewer.document!;
    const hollow = cube(blank(), 5, 5, 2, 11, 11, 8);
    hollow.data[5 * AREA + 8 * W + 8] = 0;
    const id = r.volume(hollow);
    await clickOn(r.button('fill-holes'));
    expect(count(doc.getVolume(id))).to.equal(7 * 7 * 7);
    await undo(r.viewer);
    expect(count(doc.getVolume(id))).to.equal(7 * 7 * 7 - 1);
    await press(r.viewer, 'Shift+H');
    expect(count(doc.getVolume(id))).to.equal(7 * 7 * 7);
    // Margin +1 mm at 1 × 1 × 2 mm: one voxel in-plane, none across slices.
    await type(r.field('margin-mm'), '1');
    await press(r.viewer, 'Shift+M');
    expect(count(doc.getVolume(id))).to.equal(9 * 9 * 7 - 4 * 7); // a rounded 9×9 square on 7 slices
    await undo(r.viewer);
    await clickOn(r.button('margin'));
    expect(count(doc.getVolume(id))).to.equal(9 * 9 * 7 - 4 * 7);
    await undo(r.viewer);
    // Median smoothing removes a speck.
    const speckled = doc.getVolume(id)!;
    speckled.data[5 * AREA + 25 * W + 30] = 1;
    doc.update(id, { mask: { data: speckled.data } });
    await press(r.viewer, 'Shift+S');
    expect(doc.getVolume(id)!.data[5 * AREA + 25 * W + 30]).to.equal(0);
    await undo(r.viewer);
    expect(doc.getVolume(id)!.data[5 * AREA + 25 * W + 30]).to.equal(1);
    // Subtract another instance.
    const other = doc.add({
      kind: 'volume',
      label: 'background',
      mask: { data: cube(blank(), 5, 5, 2, 11, 11, 4).data },
    }) as Annotation;
    r.viewer.selection.set([id]);
    await r.panel.updateComplete;
    r.field('operation').focus();
    await sendKeys({ press: 'ArrowDown' }); // subtract
    r.field('other').focus();
    await sendKeys({ press: 'ArrowDown' });
    await r.panel.updateComplete;
    expect(r.field('other').value).to.equal(other.id);
    await clickOn(r.button('logical'));
    expect(count(doc.getVolume(id))).to.equal(7 * 7 * 4 + 1);
    await undo(r.viewer);
    expect(count(doc.getVolume(id))).to.equal(7 * 7 * 7 + 1);
  });

  it('thresholds into a new volume of the active label with a live preview, from the button and the key', async () => {
    const r = await rig();
    const doc = r.viewer.document!;
    r.viewer.slice = 4;
    await type(r.field('threshold-min'), '50');
    await type(r.field('threshold-max'), '150');
    await clickOn(r.button('threshold'));
    await waitUntil(() => r.panel.shadowRoot!.querySelector('[data-action="accept"]'));
    await clickOn(r.button('accept'));
    await waitUntil(() => doc.annotations.some((a) => a.kind === 'volume'));
    const a = doc.annotations.find((x) => x.kind === 'volume')!;
    expect(a.label).to.equal('organ');
    expect(count(doc.getVolume(a.id))).to.equal(16 * 12 * 8);
    await undo(r.viewer);
    expect(doc.annotations.length).to.equal(0);
    r.viewer.selection.clear();
    await press(r.viewer, 'Shift+T');
    await press(r.viewer, 'Enter');
    await waitUntil(() => doc.annotations.some((x) => x.kind === 'volume'));
    expect(count(doc.getVolume(doc.annotations[0]!.id))).to.equal(16 * 12 * 8);
  });

  it('grows from brush strokes of two labels, updates when a stroke is added, and accepts as one undo step', async () => {
    const r = await rig();
    const doc = r.viewer.document!;
    const stroke = (label: string, z: number, x0: number, y0: number, x1: number, y1: number) => {
      const m = new Uint8Array(AREA);
      for (let y = y0; y <= y1; y++) for (let x = x0; x <= x1; x++) m[y * W + x] = 1;
      return doc.add({ kind: 'mask', label, slice: z, mask: { data: m } }) as Annotation;
    };
    stroke('organ', 5, 18, 14, 21, 17);
    stroke('background', 5, 2, 2, 5, 28);
    stroke('background', 5, 34, 2, 37, 28);
    r.field('background').focus();
    await sendKeys({ press: 'ArrowDown' }); // "background: Organ"
    await sendKeys({ press: 'ArrowDown' }); // "background: Background"
    await r.panel.updateComplete;
    await clickOn(r.button('grow-from-seeds'));
    await waitUntil(() => r.panel.shadowRoot!.querySelector('[data-action="accept"]'), 'no preview', {
      timeout: 10_000,
    });
    // A stroke on another slice, then Shift+G updates the preview from the last result.
    stroke('background', 9, 2, 2, 37, 3);
    await press(r.viewer, 'Shift+G');
    await waitUntil(() => !r.panel.shadowRoot!.querySelector('progress'));
    const masks = doc.annotations.length;
    expect(masks).to.equal(4);
    await press(r.viewer, 'Enter');
    const vols = doc.annotations.filter((a) => a.kind === 'volume');
    expect(vols.map((a) => a.label)).to.deep.equal(['organ']);
    const grown = doc.getVolume(vols[0]!.id)!;
    // The bright 16×12 box is the organ on the seeded slices (intensities are averaged over 3×3 pixels
    // first, which may round off a corner voxel), and nothing outside it is.
    for (const z of [4, 5, 6]) {
      let inside = 0;
      let outside = 0;
      for (let i = 0; i < AREA; i++) {
        const [x, y] = [i % W, Math.floor(i / W)];
        const hit = grown.data[z * AREA + i] === 1;
        if (x >= 12 && x < 28 && y >= 10 && y < 22) inside += hit ? 1 : 0;
        else outside += hit ? 1 : 0;
      }
      expect(inside, `slice ${z}`).to.be.at.least(16 * 12 - 4);
      expect(outside, `slice ${z}`).to.equal(0);
    }
    expect(doc.annotations.some((a) => a.kind === 'mask')).to.equal(false);
    await undo(r.viewer);
    expect(doc.annotations.length).to.equal(4);
    expect(doc.annotations.every((a) => a.kind === 'mask')).to.equal(true);
  });

  it('turns the per-slice masks of the selected label into one volume, undone in one step', async () => {
    const r = await rig();
    const doc = r.viewer.document!;
    const mask = (r0: number) => ({ data: disc(blank(), 0, 20, 16, r0).data.slice(0, AREA) });
    const a = doc.add({ kind: 'mask', label: 'organ', slice: 2, mask: mask(5) }) as Annotation;
    doc.add({ kind: 'mask', label: 'organ', slice: 8, mask: mask(8) });
    r.viewer.selection.set([a.id]);
    await r.panel.updateComplete;
    await press(r.viewer, 'Shift+F');
    await clickOn(r.button('accept'));
    expect(doc.annotations.map((x) => x.kind)).to.deep.equal(['volume']);
    expect(onSlice(doc.getVolume(doc.annotations[0]!.id), 5)).to.be.greaterThan(100);
    await undo(r.viewer);
    expect(doc.annotations.map((x) => x.kind)).to.deep.equal(['mask', 'mask']);
  });

  it('grows in the host worker with progress; Escape cancels the run, and Grow runs again', async () => {
    // A 256×256×40 noisy stack: long enough to cancel mid-run.
    const [w, h, d] = [256, 256, 40];
    let seed = 1;
    const frames = Array.from({ length: d }, () =>
      new Int16Array(w * h).map(() => (seed = (seed * 16807) % 2147483647) % 200),
    );
    const big = createImageStack({ width: w, height: h, frames, dataType: 'int16', spacing: [1, 1, 1] });
    const { root, viewer } = await mount<HTMLDivElement>(
      html`<div>
        <vx-viewer id="g" style="width:256px;height:256px"><vx-mask-layer></vx-mask-layer></vx-viewer>
        <vx-segment-effects for="g"></vx-segment-effects>
      </div>`,
      { stack: big, labelSchema: schema, activeLabel: 'organ' },
    );
    const panel = root.querySelector('vx-segment-effects')!;
    const worker = new Worker(new URL('../core/effects/effects-worker.ts', import.meta.url), {
      type: 'module',
    });
    panel.worker = worker;
    try {
      const doc = viewer.document!;
      for (const [label, z, x] of [
        ['organ', 0, 10],
        ['background', d - 1, w - 10],
      ] as const) {
        const m = new Uint8Array(w * h);
        m[(h / 2) * w + x] = 1;
        doc.add({ kind: 'mask', label, slice: z, mask: { data: m } });
      }
      await panel.updateComplete;
      const button = panel.shadowRoot!.querySelector<HTMLElement>('[data-action="grow-from-seeds"]')!;
      await clickOn(button);
      await waitUntil(() => panel.shadowRoot!.querySelector('progress'), 'no progress bar');
      await press(viewer, 'Escape');
      await waitUntil(() => !panel.shadowRoot!.querySelector('progress'), 'still running', {
        timeout: 20_000,
      });
      expect(panel.shadowRoot!.querySelector('.status')!.textContent).to.contain('cancelled');
      expect(panel.shadowRoot!.querySelector('[data-action="accept"]')).to.equal(null);
      await clickOn(button);
      await waitUntil(() => panel.shadowRoot!.querySelector('[data-action="accept"]'), 'no preview', {
        timeout: 25_000,
      });
    } finally {
      worker.terminate();
    }
  });
});
