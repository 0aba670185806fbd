import { expect, html } from '@open-wc/testing';
import { resetMouse, sendKeys, sendMouse } from '@web/test-runner-commands';
import '../../src/define.js';
import { blankStack, clientOf, mount } from './helpers.js';

/** Annotations moved, nudged or drawn against the image edge stay inside it, shape kept. */

describe('vx-viewer: arrow-key nudges stop at the image edge', () => {
  afterEach(() => resetMouse());

  it('a box and a polygon nudged against the edges stay inside the image, size and shape kept', async () => {
    const { viewer: el } = await mount(
      html`<vx-viewer style="width:360px;height:270px;display:block">
        <vx-box-layer></vx-box-layer><vx-polygon-layer></vx-polygon-layer>
      </vx-viewer>`,
      {
        stack: blankStack(2),
        labelSchema: {
          version: 1,
          labels: [{ id: 'lesion', name: 'Lesion', color: '#ff0000', kinds: ['box', 'polygon'] }],
        },
        activeLabel: 'lesion',
      },
    );
    await el.renderComplete;
    const at = (x: number, y: number) => clientOf(el, x, y);
    el.focus();
    await sendKeys({ press: 'x' });
    await sendMouse({ type: 'move', position: at(4, 3) });
    await sendMouse({ type: 'down' });
    await sendMouse({ type: 'move', position: at(15, 12) });
    await sendMouse({ type: 'move', position: at(24, 23) });
    await sendMouse({ type: 'up' });
    const doc = el.document!;
    expect(doc.annotations[0]!.box).to.deep.equal({ x: 4, y: 3, width: 20, height: 20 });
    await sendKeys({ press: 'Alt+Shift+ArrowLeft' }); // 10 px: 4 to go
    await sendKeys({ press: 'Alt+Shift+ArrowUp' });
    await sendKeys({ press: 'Shift+ArrowUp' });
    expect(doc.annotations[0]!.box).to.deep.equal({ x: 0, y: 0, width: 20, height: 20 });
    expect(el.slice).to.equal(0); // the arrow at the edge was still the nudge's, not a slice change
    await sendKeys({ press: 'Control+z' });
    // The Shift+ArrowUp that changed nothing made no undo step: undo takes back the Alt+Shift+ArrowUp.
    expect(doc.annotations[0]!.box).to.deep.equal({ x: 0, y: 3, width: 20, height: 20 });

    await sendKeys({ press: 'Escape' });
    await sendKeys({ press: 'p' });
    const pts: [number, number][] = [
      [100, 70],
      [115, 72],
      [110, 86],
    ];
    for (const p of pts) await sendMouse({ type: 'click', position: at(...p) });
    await sendKeys({ press: 'Enter' });
    const poly = doc.annotations[1]!;
    expect(poly.kind).to.equal('polygon');
    const before = poly.points!;
    await sendKeys({ press: 'Alt+Shift+ArrowRight' });
    await sendKeys({ press: 'Alt+Shift+ArrowDown' });
    const after = doc.get(poly.id)!.points!;
    expect(Math.max(...after.map((p) => p[0]))).to.equal(120);
    expect(Math.max(...after.map((p) => p[1]))).to.equal(90);
    const dx = after[0]![0] - before[0]![0];
    const dy = after[0]![1] - before[0]![1];
    expect(after).to.deep.equal(before.map(([x, y]) => [x + dx, y + dy]));
  });
});

describe('vx-viewer: dragging a box against the image edge', () => {
  afterEach(() => resetMouse());

  it('moves it to the edge without shrinking it, in the box tool and in the select tool', async () => {
    const { viewer: el } = await mount(
      html`<vx-viewer style="width:360px;height:270px;display:block">
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
    el.tool = 'box';
    // Zoomed out so the user can drag well past the image.
    el.setView({ zoom: 1.5, centerX: 60, centerY: 45 });
    await el.renderComplete;
    const at = (x: number, y: number) => clientOf(el, x, y);
    const drag = async (from: [number, number], to: [number, number]) => {
      await sendMouse({ type: 'move', position: at(...from) });
      await sendMouse({ type: 'down' });
      await sendMouse({ type: 'move', position: at((from[0] + to[0]) / 2, (from[1] + to[1]) / 2) });
      await sendMouse({ type: 'move', position: at(...to) });
      await sendMouse({ type: 'up' });
    };
    await drag([40, 30], [60, 50]);
    const doc = el.document!;
    const id = doc.annotations[0]!.id;
    expect(doc.get(id)!.box).to.deep.equal({ x: 40, y: 30, width: 20, height: 20 });
    // Box tool: grab the selected box inside and throw it past the left edge.
    await drag([50, 40], [10, 46]);
    expect(doc.get(id)!.box).to.deep.equal({ x: 0, y: 36, width: 20, height: 20 });
    // Select tool: past the bottom-right corner.
    el.tool = 'select';
    await drag([10, 46], [150, 110]);
    expect(doc.get(id)!.box).to.deep.equal({ x: 100, y: 70, width: 20, height: 20 });
  });
});

describe('vx-viewer: dragging a polygon against the image edge', () => {
  afterEach(() => resetMouse());

  it('stops it at the edge with its shape kept', async () => {
    const { viewer: el } = await mount(
      html`<vx-viewer style="width:360px;height:270px;display:block">
        <vx-polygon-layer></vx-polygon-layer>
      </vx-viewer>`,
      {
        stack: blankStack(),
        labelSchema: {
          version: 1,
          labels: [{ id: 'organ', name: 'Organ', color: '#00ff00', kinds: ['polygon'] }],
        },
        activeLabel: 'organ',
      },
    );
    el.tool = 'polygon';
    el.setView({ zoom: 1.5, centerX: 60, centerY: 45 });
    await el.renderComplete;
    const at = (x: number, y: number) => clientOf(el, x, y);
    for (const p of [
      [40, 30],
      [70, 30],
      [60, 60],
    ] as [number, number][])
      await sendMouse({ type: 'click', position: at(...p) });
    await sendKeys({ press: 'Enter' });
    const doc = el.document!;
    const poly = doc.annotations[0]!;
    const start = poly.points!;
    // The new polygon is selected: grab it inside and drag it far past the top edge.
    await sendMouse({ type: 'move', position: at(55, 40) });
    await sendMouse({ type: 'down' });
    await sendMouse({ type: 'move', position: at(55, 10) });
    await sendMouse({ type: 'move', position: at(55, -20) });
    await sendMouse({ type: 'up' });
    const moved = doc.get(poly.id)!.points!;
    expect(Math.min(...moved.map((p) => p[1]))).to.equal(0);
    const dy = moved[0]![1] - start[0]![1];
    expect(moved).to.deep.equal(start.map(([x, y]) => [x, y + dy]));
  });
});

describe('vx-viewer: polygon vertices past the image edge', () => {
  afterEach(() => resetMouse());

  it('land on the edge, whether clicked, drawn freehand or dragged there', async () => {
    const { viewer: el } = await mount(
      html`<vx-viewer style="width:360px;height:270px;display:block">
        <vx-polygon-layer></vx-polygon-layer>
      </vx-viewer>`,
      {
        stack: blankStack(),
        labelSchema: {
          version: 1,
          labels: [{ id: 'organ', name: 'Organ', color: '#00ff00', kinds: ['polygon'] }],
        },
        activeLabel: 'organ',
      },
    );
    el.tool = 'polygon';
    el.setView({ zoom: 1.5, centerX: 60, centerY: 45 });
    await el.renderComplete;
    const at = (x: number, y: number) => clientOf(el, x, y);
    const inImage = (pts: readonly [number, number][]) =>
      pts.every(([x, y]) => x >= 0 && x <= 120 && y >= 0 && y <= 90);
    const doc = el.document!;
    // Tracing an organ that touches the right and bottom edges, clicking a little past them.
    for (const p of [
      [90, 40],
      [140, 40],
      [130, 105],
    ] as [number, number][])
      await sendMouse({ type: 'click', position: at(...p) });
    await sendKeys({ press: 'Enter' });
    const clicked = doc.annotations[0]!.points!;
    expect(clicked.length).to.equal(3);
    expect(inImage(clicked)).to.equal(true);
    expect(clicked[1]![0]).to.equal(120);
    expect(clicked[2]![1]).to.equal(90);
    // A double-click past the edge closes the polygon there, with no doubled vertex.
    await sendKeys({ press: 'Escape' });
    for (const p of [
      [10, 10],
      [40, 12],
    ] as [number, number][])
      await sendMouse({ type: 'click', position: at(...p) });
    await sendMouse({ type: 'move', position: at(25, 110) });
    await sendMouse({ type: 'down' });
    await sendMouse({ type: 'up' });
    await sendMouse({ type: 'down' });
    await sendMouse({ type: 'up' });
    const closed = doc.annotations[1]!;
    expect(closed.points!.length).to.equal(3);
    expect(closed.points![2]![1]).to.equal(90);
    doc.remove(closed.id);
    // Freehand, starting left of the image.
    await sendKeys({ press: 'Escape' });
    await sendMouse({ type: 'move', position: at(-20, 10) });
    await sendMouse({ type: 'down' });
    for (const p of [
      [-10, 40],
      [20, 60],
      [30, 20],
    ] as [number, number][])
      await sendMouse({ type: 'move', position: at(...p) });
    await sendMouse({ type: 'up' });
    const free = doc.annotations[1]!;
    expect(free.kind).to.equal('polygon');
    expect(inImage(free.points!)).to.equal(true);
    // Dragging a vertex of the selected freehand polygon past the top edge.
    const v = free.points!.find(([x, y]) => x === 30 || (x > 25 && y < 25))!;
    await sendMouse({ type: 'move', position: at(...v) });
    await sendMouse({ type: 'down' });
    await sendMouse({ type: 'move', position: at(v[0], v[1] - 20) });
    await sendMouse({ type: 'move', position: at(v[0], -30) });
    await sendMouse({ type: 'up' });
    const dragged = doc.get(free.id)!.points!;
    expect(dragged).to.not.deep.equal(free.points);
    expect(inImage(dragged)).to.equal(true);
    expect(Math.min(...dragged.map((p) => p[1]))).to.equal(0);
  });
});
