import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { resetMouse, sendKeys, sendMouse } from '@web/test-runner-commands';
import { createImageStack } from '../../src/core/image/stack.js';
import '../../src/define.js';
import type { VxViewer } from '../../src/elements/vx-viewer.js';
import type { VxLabelPicker } from '../../src/elements/vx-label-picker.js';
import type { VxToolbar } from '../../src/elements/vx-toolbar.js';
import type { AnnotationDocument } from '../../src/core/annotation/document.js';
import { SparseMask } from '../../src/core/mask/sparse-mask.js';
import { paintStroke } from '../../src/core/mask/paint.js';
import type { LabelSchema } from '../../src/core/schema/types.js';
import type { Point } from '../../src/core/annotation/types.js';

const W = 100;
const H = 80;
const DEPTH = 6;

// Nodule is listed last but is a child of Lesion: the picker shows (and numbers) it second.
const schema: LabelSchema = {
  version: 1,
  labels: [
    {
      id: 'lesion',
      name: 'Lesion',
      color: '#ff0000',
      kinds: ['box', 'polygon', 'mask'],
      attributes: [{ id: 'grade', name: 'Grade', type: 'number', min: 0, max: 5 }],
    },
    { id: 'liver', name: 'Liver', color: '#00ff00', kinds: ['box', 'polygon', 'mask'] },
    { id: 'nodule', name: 'Nodule', color: '#0000ff', kinds: ['box', 'mask'], parent: 'lesion' },
  ],
};

function stack() {
  const frames = Array.from({ length: DEPTH }, () => new Int16Array(W * H));
  return createImageStack({ width: W, height: H, frames, dataType: 'int16', spacing: [1, 1, 1] });
}

interface Rig {
  el: VxViewer;
  picker: VxLabelPicker;
  toolbar: VxToolbar;
  doc: AnnotationDocument;
  /** Integer client point over image point (x, y). */
  at(x: number, y: number): Point;
  settle(): Promise<void>;
}

async function mount(): Promise<Rig> {
  const wrap = await fixture<HTMLDivElement>(
    html`<div style="display:flex;gap:8px;align-items:flex-start">
      <div>
        <vx-toolbar for="vv"></vx-toolbar>
        <vx-viewer id="vv" style="width:400px;height:320px;display:block">
          <vx-box-layer></vx-box-layer><vx-polygon-layer></vx-polygon-layer
          ><vx-mask-layer brush-size="6"></vx-mask-layer>
        </vx-viewer>
      </div>
      <vx-label-picker for="vv"></vx-label-picker>
    </div>`,
  );
  const el = wrap.querySelector('vx-viewer') as VxViewer;
  const loaded = oneEvent(el, 'vx-load');
  el.stack = stack();
  await loaded;
  el.labelSchema = schema;
  el.activeLabel = 'lesion';
  const picker = wrap.querySelector('vx-label-picker') as VxLabelPicker;
  const toolbar = wrap.querySelector('vx-toolbar') as VxToolbar;
  const settle = async () => {
    await new Promise((r) => requestAnimationFrame(r));
    await picker.updateComplete;
    await toolbar.updateComplete;
    await el.renderComplete;
  };
  await settle();
  const at = (x: number, y: number): Point => {
    const [cx, cy] = el.imageToClient(x, y);
    return [Math.round(cx), Math.round(cy)];
  };
  return { el, picker, toolbar, doc: el.document as unknown as AnnotationDocument, at, settle };
}

async function clickOn(target: Element) {
  const r = target.getBoundingClientRect();
  await sendMouse({
    type: 'click',
    position: [Math.round(r.x + r.width / 2), Math.round(r.y + r.height / 2)],
  });
}
async function drag(points: Point[]) {
  await sendMouse({ type: 'move', position: points[0]! });
  await sendMouse({ type: 'down' });
  for (const p of points.slice(1)) await sendMouse({ type: 'move', position: p });
  await sendMouse({ type: 'up' });
}

/** RGBA of the pixel of annotation canvas `name` under client point p. */
function pixel(el: VxViewer, name: string, p: Point): number[] {
  el.flushDraw();
  const layer = el.stage.findOne(`.${name}`) as unknown as { getNativeCanvasElement(): HTMLCanvasElement };
  const canvas = layer.getNativeCanvasElement();
  const r = canvas.getBoundingClientRect();
  const ratio = canvas.width / r.width;
  return [
    ...canvas
      .getContext('2d')!
      .getImageData(Math.floor((p[0] - r.left) * ratio), Math.floor((p[1] - r.top) * ratio), 1, 1).data,
  ];
}

function toggle(picker: VxLabelPicker, label: string, which: 'hide' | 'lock'): HTMLButtonElement {
  return picker.shadowRoot!.querySelector<HTMLButtonElement>(
    `[part~="row"][data-id="${label}"] [part~="${which}-toggle"]`,
  )!;
}

function stroke(x0: number, y0: number, x1: number, y1: number, d: number): SparseMask {
  const m = new SparseMask(W, H);
  paintStroke(m, x0, y0, x1, y1, d);
  return m;
}

describe('per-label hide and lock from the UI', () => {
  afterEach(() => resetMouse());

  it('the picker eye hides a label: not drawn, not hit; shown again by keyboard; accessible names and parts', async () => {
    const { el, picker, doc, at, settle } = await mount();
    const box = doc.add({
      label: 'lesion',
      kind: 'box',
      slice: 0,
      box: { x: 10, y: 10, width: 30, height: 30 },
    });
    const liverBox = doc.add({
      label: 'liver',
      kind: 'box',
      slice: 0,
      box: { x: 60, y: 10, width: 30, height: 30 },
    });
    await settle();
    const eye = toggle(picker, 'lesion', 'hide');
    const lock = toggle(picker, 'lesion', 'lock');
    expect(eye.getAttribute('aria-label')).to.equal('Hide Lesion');
    expect(lock.getAttribute('aria-label')).to.equal('Lock Lesion');
    expect(eye.getAttribute('aria-pressed')).to.equal('false');
    expect(pixel(el, 'vx-annotation-shapes', at(25, 25))[3]).to.be.greaterThan(0);

    el.tool = 'select';
    await clickOn(eye);
    await settle();
    expect(eye.getAttribute('aria-pressed')).to.equal('true');
    expect(eye.getAttribute('part')).to.contain('pressed');
    expect(
      picker.shadowRoot!.querySelector('[part~="row"][data-id="lesion"]')!.getAttribute('part'),
    ).to.contain('hidden');
    expect(el.editor.visibility.isLabelHidden('lesion')).to.equal(true);
    // Not drawn (the liver box still is), not hit by the select tool.
    expect(pixel(el, 'vx-annotation-shapes', at(25, 25))[3]).to.equal(0);
    expect(pixel(el, 'vx-annotation-shapes', at(75, 25))[3]).to.be.greaterThan(0);
    await sendMouse({ type: 'click', position: at(25, 25) });
    expect(el.editor.selection.size).to.equal(0);
    await sendMouse({ type: 'click', position: at(75, 25) });
    expect([...el.editor.selection.ids]).to.deep.equal([liverBox.id]);
    // Ctrl+A selects only visible annotations.
    await sendKeys({ press: 'Control+a' });
    expect([...el.editor.selection.ids]).to.deep.equal([liverBox.id]);

    // Keyboard: focus the eye and press Space to show the label again.
    eye.focus();
    await sendKeys({ press: 'Space' });
    await settle();
    expect(eye.getAttribute('aria-pressed')).to.equal('false');
    expect(pixel(el, 'vx-annotation-shapes', at(25, 25))[3]).to.be.greaterThan(0);
    await sendMouse({ type: 'click', position: at(25, 25) });
    expect([...el.editor.selection.ids]).to.deep.equal([box.id]);
    await expect(picker).to.be.accessible();
  });

  it('the picker lock: a locked label is drawn and selectable but not moved, grabbed, erased or deleted', async () => {
    const { el, picker, doc, at, settle } = await mount();
    const box = doc.add({
      label: 'lesion',
      kind: 'box',
      slice: 0,
      box: { x: 10, y: 10, width: 30, height: 30 },
    });
    const m = doc.add({ label: 'lesion', kind: 'mask', slice: 0, mask: stroke(55, 60, 90, 60, 10) });
    const maskBefore = doc.getSparseMask(m.id)!;
    await settle();
    const lock = toggle(picker, 'lesion', 'lock');
    // Keyboard: Tab from the eye reaches the lock; Enter presses it.
    toggle(picker, 'lesion', 'hide').focus();
    await sendKeys({ press: 'Tab' });
    expect(picker.shadowRoot!.activeElement).to.equal(lock);
    await sendKeys({ press: 'Enter' });
    await settle();
    expect(lock.getAttribute('aria-pressed')).to.equal('true');
    expect(el.editor.visibility.isLabelLocked('lesion')).to.equal(true);
    const snapshot = JSON.stringify(doc.toJSON());
    // Still drawn.
    expect(pixel(el, 'vx-annotation-shapes', at(25, 25))[3]).to.be.greaterThan(0);
    // Select tool: selectable, but a drag moves nothing.
    el.tool = 'select';
    await drag([at(25, 25), at(30, 30), at(40, 40)]);
    expect([...el.editor.selection.ids]).to.deep.equal([box.id]);
    await sendKeys({ press: 'Delete' });
    expect(doc.has(box.id)).to.equal(true);
    // The picker shows its attributes but does not edit them.
    await settle();
    const grade = picker.shadowRoot!.querySelector<HTMLInputElement>('#attr-grade')!;
    expect(picker.shadowRoot!.querySelector('[part~="locked-note"]')).to.not.equal(null);
    expect(grade.matches(':disabled')).to.equal(true);
    await clickOn(grade);
    await sendKeys({ type: '3' });
    await sendKeys({ press: 'Tab' });
    expect(doc.get(box.id)!.attributes).to.equal(undefined);
    // Box tool: its outline is not grabbed (a new box is drawn instead, on an unlocked label).
    el.activeLabel = 'liver';
    el.tool = 'box';
    await drag([at(10, 25), at(5, 30), at(2, 35)]);
    expect(doc.get(box.id)!.box).to.deep.equal({ x: 10, y: 10, width: 30, height: 30 });
    // Eraser over the locked mask erases nothing.
    el.tool = 'eraser';
    await drag([at(60, 60), at(85, 60)]);
    expect(doc.getSparseMask(m.id)).to.equal(maskBefore);
    const json = doc.toJSON();
    expect(json.annotations.filter((a) => a.label === 'lesion')).to.deep.equal(
      (JSON.parse(snapshot) as typeof json).annotations,
    );
    // Unlocked with a click: the eraser erases again.
    await clickOn(lock);
    await settle();
    expect(lock.getAttribute('aria-pressed')).to.equal('false');
    // Unlocked: its attributes are editable again (the new liver box is selected now, so select it back).
    el.editor.selection.set([box.id]);
    await settle();
    const field = picker.shadowRoot!.querySelector<HTMLInputElement>('#attr-grade')!;
    expect(field.matches(':disabled')).to.equal(false);
    await clickOn(field);
    await sendKeys({ type: '3' });
    await sendKeys({ press: 'Tab' });
    expect(doc.get(box.id)!.attributes).to.deep.equal({ grade: 3 });
    await drag([at(60, 60), at(85, 60)]);
    expect(doc.getSparseMask(m.id)!.get(70, 60)).to.equal(0);
  });

  it('toolbar hide/lock act on the selection when there is one, else on the active label', async () => {
    const { el, picker, toolbar, doc, at, settle } = await mount();
    const a = doc.add({
      label: 'lesion',
      kind: 'box',
      slice: 0,
      box: { x: 10, y: 10, width: 30, height: 30 },
    });
    const b = doc.add({
      label: 'lesion',
      kind: 'box',
      slice: 0,
      box: { x: 60, y: 10, width: 30, height: 30 },
    });
    await settle();
    const btn = (part: string) => toolbar.shadowRoot!.querySelector<HTMLButtonElement>(`[part~="${part}"]`)!;
    const vis = el.editor.visibility;
    // Nothing selected: on the active label.
    expect(btn('hide').getAttribute('aria-label')).to.equal('Hide label Lesion (H)');
    expect(btn('lock').getAttribute('aria-label')).to.equal('Lock label Lesion (L)');
    await clickOn(btn('lock'));
    await settle();
    expect(vis.isLabelLocked('lesion')).to.equal(true);
    expect(btn('lock').getAttribute('aria-pressed')).to.equal('true');
    // The picker follows.
    expect(toggle(picker, 'lesion', 'lock').getAttribute('aria-pressed')).to.equal('true');
    await clickOn(btn('lock'));
    await clickOn(btn('hide'));
    await settle();
    expect(vis.isLabelLocked('lesion')).to.equal(false);
    expect(vis.isLabelHidden('lesion')).to.equal(true);
    expect(btn('hide').getAttribute('aria-pressed')).to.equal('true');
    expect(toggle(picker, 'lesion', 'hide').getAttribute('aria-pressed')).to.equal('true');
    expect(pixel(el, 'vx-annotation-shapes', at(25, 25))[3]).to.equal(0);
    await clickOn(btn('hide'));
    await settle();
    expect(vis.isLabelHidden('lesion')).to.equal(false);
    // With a selection: on the selection only.
    el.tool = 'select';
    await sendMouse({ type: 'click', position: at(25, 25) });
    await settle();
    expect(btn('hide').getAttribute('aria-label')).to.equal('Hide selected (H)');
    expect(btn('lock').getAttribute('aria-label')).to.equal('Lock selected (L)');
    await clickOn(btn('lock'));
    await settle();
    expect(vis.isLocked(a.id)).to.equal(true);
    expect(vis.isLocked(b.id)).to.equal(false);
    expect(vis.isLabelLocked('lesion')).to.equal(false);
    await clickOn(btn('hide'));
    await settle();
    expect(vis.isHidden(a.id)).to.equal(true);
    expect(vis.isHidden(b.id)).to.equal(false);
    expect(el.editor.selection.size).to.equal(0);
    await expect(toolbar).to.be.accessible();
  });

  it('hiding a label visits only the annotations of the current slice, never the volume', async () => {
    const { el, picker, doc, settle } = await mount();
    // A mask and a polygon on every slice.
    for (let s = 0; s < DEPTH; s++) {
      doc.add({ label: 'lesion', kind: 'mask', slice: s, mask: stroke(10 + s, 40, 80, 40, 8) });
      doc.add({
        label: 'lesion',
        kind: 'polygon',
        slice: s,
        points: [
          [5, 5],
          [30, 5],
          [20, 25],
        ],
      });
    }
    el.slice = 2;
    await settle();
    const current = new Set(
      doc
        .bySlice(2)
        .map((a) => doc.getSparseMask(a.id))
        .filter((x) => !!x),
    );
    // Spy on every way to reach other slices: the document's lists and the masks' pixels.
    const slicesAsked: number[] = [];
    let listReads = 0;
    const bySlice = doc.bySlice.bind(doc);
    doc.bySlice = (s: number) => (slicesAsked.push(s), bySlice(s));
    const proto = Object.getPrototypeOf(doc) as object;
    const listGetter = Object.getOwnPropertyDescriptor(proto, 'annotations')!.get!;
    Object.defineProperty(doc, 'annotations', {
      configurable: true,
      get() {
        listReads++;
        return listGetter.call(doc);
      },
    });
    const touched = new Set<SparseMask>();
    const methods = ['readRect', 'bbox', 'forEachTile', 'get', 'toFull', 'region'] as const;
    const originals = methods.map((k) => SparseMask.prototype[k]);
    methods.forEach((k, i) => {
      (SparseMask.prototype as unknown as Record<string, unknown>)[k] = function (
        this: SparseMask,
        ...args: unknown[]
      ) {
        touched.add(this);
        return (originals[i] as (...a: unknown[]) => unknown).apply(this, args);
      };
    });
    try {
      await clickOn(toggle(picker, 'lesion', 'hide'));
      await settle();
      await clickOn(toggle(picker, 'lesion', 'hide'));
      await settle();
    } finally {
      methods.forEach(
        (k, i) => ((SparseMask.prototype as unknown as Record<string, unknown>)[k] = originals[i]),
      );
      delete (doc as unknown as Record<string, unknown>)['annotations'];
    }
    expect(el.editor.visibility.isLabelHidden('lesion')).to.equal(false);
    expect(listReads).to.equal(0);
    expect([...new Set(slicesAsked)].every((s) => s === 2)).to.equal(true);
    for (const m of touched) expect(current.has(m), 'a mask of another slice was read').to.equal(true);
    expect(touched.size).to.be.greaterThan(0); // the current slice's mask was recomposed
  });
});
