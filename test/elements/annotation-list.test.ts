import { expect, html } from '@open-wc/testing';
import { resetMouse, sendKeys } from '@web/test-runner-commands';
import { createImageStack } from '../../src/core/image/stack.js';
import type { LabelSchema } from '../../src/core/schema/types.js';
import '../../src/define.js';
import type { VxAnnotationList } from '../../src/elements/vx-annotation-list.js';
import { clickOn } from './click.js';
import { mount } from './helpers.js';

/** <vx-annotation-list> with real clicks and keys: grouping, filters, jump and select, hide, lock, delete and undo. */

const schema: LabelSchema = {
  version: 1,
  labels: [
    { id: 'lesion', name: 'Lesion', color: '#ff4040', kinds: ['box', 'polygon', 'mask'] },
    {
      id: 'liver',
      name: 'Liver',
      color: '#40d070',
      kinds: ['polygon', 'mask'],
      attributes: [{ id: 'segment', name: 'Segment', type: 'number', required: true }],
    },
  ],
};

/** 120 × 90, 6 slices of 0.5 × 0.5 mm pixels 2 mm apart. */
function stack() {
  const frames = Array.from({ length: 6 }, () => new Int16Array(120 * 90));
  return createImageStack({
    width: 120,
    height: 90,
    frames,
    dataType: 'int16',
    spacing: [0.5, 0.5, 2],
    metadata: { spacingUnit: 'mm' },
  });
}

async function setup() {
  const { root, viewer } = await mount<HTMLDivElement>(
    html`<div style="display:flex; gap:8px">
      <vx-viewer id="lv" style="width:240px;height:180px;display:block"
        ><vx-box-layer></vx-box-layer><vx-polygon-layer></vx-polygon-layer><vx-mask-layer></vx-mask-layer
      ></vx-viewer>
      <vx-annotation-list for="lv" style="width:360px"></vx-annotation-list>
    </div>`,
    { stack: stack(), labelSchema: schema, activeLabel: 'lesion' },
  );
  const list = root.querySelector('vx-annotation-list') as VxAnnotationList;
  const doc = viewer.document!;
  const mask = new Uint8Array(120 * 90);
  for (let y = 10; y < 20; y++) for (let x = 10; x < 30; x++) mask[y * 120 + x] = 1;
  const [box, poly, liver] = doc.add([
    { label: 'lesion', kind: 'box', slice: 0, box: { x: 5, y: 5, width: 10, height: 4 } },
    {
      label: 'lesion',
      kind: 'polygon',
      slice: 3,
      points: [
        [0, 0],
        [20, 0],
        [0, 10],
      ],
    },
    { label: 'liver', kind: 'mask', slice: 0, mask: { data: mask } },
  ]) as unknown as [{ id: string }, { id: string }, { id: string }];
  doc.clearHistory();
  await list.updateComplete;
  const rows = () => [...list.shadowRoot!.querySelectorAll<HTMLElement>('[part~="row"]')];
  const row = (id: string) => list.shadowRoot!.querySelector<HTMLElement>(`[part~="row"][data-id="${id}"]`);
  const settle = async () => {
    await list.updateComplete;
    await new Promise((r) => requestAnimationFrame(r));
    await list.updateComplete;
  };
  return { root, viewer, list, doc, ids: { box: box.id, poly: poly.id, liver: liver.id }, rows, row, settle };
}

describe('<vx-annotation-list>', () => {
  afterEach(() => resetMouse());

  it('groups the slice by label with colour and count, and sizes in mm² from the stack spacing', async () => {
    const { list, ids, rows, row } = await setup();
    const headers = [...list.shadowRoot!.querySelectorAll('[part~="group-header"]')].map((h) =>
      h.textContent!.replace(/\s+/g, ' ').trim(),
    );
    expect(headers).to.deep.equal(['Lesion (1)', 'Liver (1)']);
    expect(rows().map((r) => r.dataset['id'])).to.deep.equal([ids.box, ids.liver]);
    const swatch = list.shadowRoot!.querySelector<HTMLElement>('[part~="swatch"]')!;
    expect(getComputedStyle(swatch).backgroundColor).to.equal('rgb(255, 64, 64)');
    // Box 10 × 4 px of 0.5 × 0.5 mm: 10 mm²; the mask 20 × 10 px: 50 mm².
    expect(row(ids.box)!.textContent).to.contain('box · slice 1 · 10 mm²');
    expect(row(ids.liver)!.textContent).to.contain('mask · slice 1 · 50 mm²');
    // The liver mask lacks its required attribute: the problem is in its row.
    expect(row(ids.liver)!.getAttribute('part')).to.contain('invalid');
    expect(row(ids.liver)!.querySelector('[part~="problems"]')!.textContent).to.contain(
      "required attribute 'Segment' is missing",
    );
    expect(row(ids.box)!.querySelector('[part~="problems"]')).to.equal(null);
  });

  it('lists a volume like any kind (its size from SHAPES, in mm³) on every slice it covers', async () => {
    const { viewer, list, doc, row, settle } = await setup();
    const data = new Uint8Array(120 * 90 * 6);
    for (let z = 1; z <= 2; z++)
      for (let y = 60; y < 64; y++) for (let x = 60; x < 64; x++) data[z * 120 * 90 + y * 120 + x] = 1;
    const vol = doc.add({ label: 'lesion', kind: 'volume', mask: { data } } as never) as unknown as {
      id: string;
    };
    viewer.slice = 2;
    await settle();
    // 32 voxels of 0.5 × 0.5 × 2 mm.
    expect(row(vol.id)!.textContent).to.contain('volume · slice 2 · 16 mm³');
    viewer.slice = 4;
    await settle();
    expect(row(vol.id)).to.equal(null);
    list.scope = 'all';
    await settle();
    expect(row(vol.id)).to.not.equal(null);
  });

  it('filters: all slices, only with problems, and follows the slice and new annotations live', async () => {
    const { viewer, list, doc, ids, rows, settle } = await setup();
    await clickOn(list.shadowRoot!.querySelector('[part~="scope-all"]')!);
    await settle();
    expect(list.scope).to.equal('all');
    expect(rows().map((r) => r.dataset['id'])).to.deep.equal([ids.box, ids.poly, ids.liver]);
    await clickOn(list.shadowRoot!.querySelector('[part~="problems-only"]')!);
    await settle();
    expect(rows().map((r) => r.dataset['id'])).to.deep.equal([ids.liver]);
    await clickOn(list.shadowRoot!.querySelector('[part~="problems-only"]')!);
    await clickOn(list.shadowRoot!.querySelector('[part~="scope-slice"]')!);
    await settle();
    viewer.slice = 3;
    await settle();
    expect(rows().map((r) => r.dataset['id'])).to.deep.equal([ids.poly]);
    const added = doc.add({
      label: 'lesion',
      kind: 'box',
      slice: 3,
      box: { x: 1, y: 1, width: 2, height: 2 },
    });
    await settle();
    expect(rows().map((r) => r.dataset['id'])).to.deep.equal([ids.poly, (added as { id: string }).id]);
  });

  it('a click jumps to the slice and selects; Enter does the same from the keyboard', async () => {
    const { viewer, list, ids, row, settle } = await setup();
    list.scope = 'all';
    await settle();
    const changes: number[] = [];
    viewer.addEventListener('vx-slice-change', (e) => changes.push((e as CustomEvent).detail.slice));
    await clickOn(row(ids.poly)!.querySelector('[part~="item"]')!);
    await settle();
    expect(viewer.slice).to.equal(3);
    expect(changes).to.deep.equal([3]);
    expect([...viewer.selection.ids]).to.deep.equal([ids.poly]);
    expect(row(ids.poly)!.getAttribute('part')).to.contain('selected');
    // ↑ moves to the box row (the list is one Tab stop with arrows inside); Enter jumps back to slice 1.
    await sendKeys({ press: 'ArrowUp' });
    expect(list.shadowRoot!.activeElement).to.equal(row(ids.box)!.querySelector('[part~="item"]'));
    await sendKeys({ press: 'Enter' });
    await settle();
    expect(viewer.slice).to.equal(0);
    expect([...viewer.selection.ids]).to.deep.equal([ids.box]);
    const tabbable = [...list.shadowRoot!.querySelectorAll<HTMLElement>('[part~="row"] button')].filter(
      (b) => b.tabIndex === 0,
    );
    expect(tabbable).to.have.length(1);
  });

  it('H and L hide and lock one annotation as view state; the buttons do the same', async () => {
    const { viewer, doc, ids, row, settle } = await setup();
    await clickOn(row(ids.box)!.querySelector('[part~="item"]')!);
    await settle();
    const version = doc.version;
    await sendKeys({ press: 'h' });
    await settle();
    expect(viewer.editor.visibility.isHidden(ids.box)).to.equal(true);
    expect(row(ids.box)!.getAttribute('part')).to.contain('hidden');
    expect(row(ids.box)!.querySelector('[part~="hide"]')!.getAttribute('aria-pressed')).to.equal('true');
    await sendKeys({ press: 'h' });
    await sendKeys({ press: 'l' });
    await settle();
    expect(viewer.editor.visibility.isHidden(ids.box)).to.equal(false);
    expect(viewer.editor.visibility.isLocked(ids.box)).to.equal(true);
    expect(row(ids.box)!.getAttribute('part')).to.contain('locked');
    // A locked annotation cannot be deleted from the list.
    expect(row(ids.box)!.querySelector<HTMLButtonElement>('[part~="delete"]')!.disabled).to.equal(true);
    await clickOn(row(ids.liver)!.querySelector('[part~="lock"]')!);
    await settle();
    expect(viewer.editor.visibility.isLocked(ids.liver)).to.equal(true);
    // Hiding and locking are not edits.
    expect(doc.version).to.equal(version);
    expect(doc.canUndo).to.equal(false);
  });

  it('Delete removes one annotation as one undo step, keeps the focus in the list, and a veto holds', async () => {
    const { viewer, list, doc, ids, row, rows, settle } = await setup();
    await clickOn(row(ids.box)!.querySelector('[part~="item"]')!);
    await settle();
    await sendKeys({ press: 'Delete' });
    await settle();
    expect(doc.has(ids.box)).to.equal(false);
    expect(rows().map((r) => r.dataset['id'])).to.deep.equal([ids.liver]);
    expect(list.shadowRoot!.activeElement).to.equal(row(ids.liver)!.querySelector('[part~="item"]'));
    doc.undo();
    await settle();
    expect(doc.has(ids.box)).to.equal(true);
    expect(doc.canUndo).to.equal(false);
    expect(rows().map((r) => r.dataset['id'])).to.deep.equal([ids.box, ids.liver]);
    // The host vetoes deletes: the delete button asks and nothing goes.
    viewer.addEventListener('vx-annotation-delete-request', (e) => e.preventDefault());
    await clickOn(row(ids.liver)!.querySelector('[part~="delete"]')!);
    await settle();
    expect(doc.has(ids.liver)).to.equal(true);
  });
});
