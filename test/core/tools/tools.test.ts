import { expect } from '@open-wc/testing';
import {
  createAnnotationDocument,
  maskOf,
  type AnnotationDocument,
} from '../../../src/core/annotation/document.js';
import { AnnotationEditor, type EditorHost } from '../../../src/core/tools/editor.js';
import type { Tool, ToolPointerEvent } from '../../../src/core/tools/tool.js';
import { BRUSH_MAX } from '../../../src/core/tools/brush-tool.js';
import { SparseMask } from '../../../src/core/mask/sparse-mask.js';
import { paintStroke } from '../../../src/core/mask/paint.js';
import type { AttributeValue, Point } from '../../../src/core/annotation/types.js';

interface Rig {
  doc: AnnotationDocument;
  ed: AnnotationEditor;
  host: EditorHost & {
    slice: number;
    activeLabel: string | undefined;
    pixelSize: number;
    changes: number;
    veto: boolean;
  };
  changes: () => number;
}

function rig(): Rig {
  let n = 0;
  const doc = createAnnotationDocument({ width: 200, height: 150, depth: 5, createId: () => `id${++n}` });
  const host = {
    document: doc,
    slice: 1,
    activeLabel: 'liver' as string | undefined,
    pixelSize: 1,
    changes: 0,
    veto: false,
    changed() {
      host.changes++;
    },
    confirmDelete() {
      return !host.veto;
    },
  };
  const ed = new AnnotationEditor(host);
  let docChanges = 0;
  doc.subscribe(() => docChanges++);
  return { doc, ed, host, changes: () => docChanges };
}

const ev = (x: number, y: number, mods: Partial<ToolPointerEvent> = {}): ToolPointerEvent => ({
  x,
  y,
  button: 0,
  ...mods,
});

function drag(t: Tool, from: Point, to: Point, mods: Partial<ToolPointerEvent> = {}, steps = 4) {
  t.onPointerDown(ev(from[0], from[1], mods));
  for (let i = 1; i <= steps; i++)
    t.onPointerMove(
      ev(from[0] + ((to[0] - from[0]) * i) / steps, from[1] + ((to[1] - from[1]) * i) / steps, mods),
    );
  t.onPointerUp(ev(to[0], to[1], mods));
}
function click(t: Tool, x: number, y: number, mods: Partial<ToolPointerEvent> = {}) {
  t.onPointerDown(ev(x, y, mods));
  t.onPointerUp(ev(x, y, mods));
}
const key = (k: string, actions: string[] = []) => [{ key: k }, actions] as const;

describe('BoxTool', () => {
  it('idle → pointing → creating → idle creates one box (snapped), selects it, one change', () => {
    const { doc, ed, changes } = rig();
    const t = ed.tools.box;
    t.onPointerDown(ev(10.2, 20.4));
    expect(t.state).to.equal('pointing');
    t.onPointerMove(ev(30, 40));
    expect(t.state).to.equal('creating');
    expect(t.preview!.shapes[0]!.box).to.deep.equal({ x: 10, y: 20, width: 20, height: 20 });
    expect(doc.size).to.equal(0);
    t.onPointerMove(ev(50.4, 60.6));
    t.onPointerUp(ev(50.4, 60.6));
    expect(t.state).to.equal('idle');
    expect(doc.annotations[0]).to.include({ kind: 'box', label: 'liver', slice: 1 });
    expect(doc.annotations[0]!.box).to.deep.equal({ x: 10, y: 20, width: 40, height: 41 });
    expect(changes()).to.equal(1);
    expect([...ed.selection.ids]).to.deep.equal([doc.annotations[0]!.id]);
  });

  it('new annotations start with the schema defaults of their label', () => {
    const { doc, ed, host } = rig();
    const defaults: Record<string, AttributeValue> = { confidence: 3, reviewed: false };
    (host as EditorHost).defaultAttributes = (label) => (label === 'liver' ? defaults : {});
    drag(ed.tools.box, [10, 10], [30, 30]);
    drag(ed.tools.brush, [50, 50], [60, 50]);
    click(ed.tools.polygon, 100, 100);
    click(ed.tools.polygon, 120, 100);
    click(ed.tools.polygon, 120, 120);
    ed.tools.polygon.complete();
    expect(doc.annotations.map((a) => a.attributes)).to.deep.equal([
      { confidence: 3, reviewed: false },
      { confidence: 3, reviewed: false },
      { confidence: 3, reviewed: false },
    ]);
    host.activeLabel = 'spleen';
    drag(ed.tools.box, [10, 60], [30, 80]);
    expect(doc.annotations[3]!.attributes).to.equal(undefined);
  });

  it('Shift keeps a square, dragging up-left works', () => {
    const { doc, ed } = rig();
    drag(ed.tools.box, [50, 50], [20, 40], { shiftKey: true });
    expect(doc.annotations[0]!.box).to.deep.equal({ x: 20, y: 20, width: 30, height: 30 });
  });

  it('pointing → idle on click clears the selection; no label means no box', () => {
    const { doc, ed, host } = rig();
    ed.selection.set(['x']);
    click(ed.tools.box, 5, 5);
    expect(ed.selection.size).to.equal(0);
    host.activeLabel = undefined;
    drag(ed.tools.box, [10, 10], [40, 40]);
    expect(doc.size).to.equal(0);
  });

  it('creating: Esc cancels (nothing left), Enter completes, tool switch interrupts', () => {
    const { doc, ed, changes } = rig();
    const t = ed.tools.box;
    t.onPointerDown(ev(10, 10));
    t.onPointerMove(ev(40, 40));
    expect(t.onKeyDown(...key('Escape', ['cancel']))).to.equal(true);
    expect(t.state).to.equal('idle');
    expect(t.preview).to.equal(null);
    t.onPointerDown(ev(10, 10));
    t.onPointerMove(ev(40, 40));
    t.onKeyDown(...key('Enter', ['complete']));
    expect(doc.size).to.equal(1);
    ed.setActiveTool('box');
    t.onPointerDown(ev(100, 100));
    t.onPointerMove(ev(140, 140));
    ed.setActiveTool('polygon');
    expect(t.state).to.equal('idle');
    t.onPointerUp(ev(140, 140));
    expect(doc.size).to.equal(1);
    expect(changes()).to.equal(1);
  });

  it('pointingShape: click selects, Shift-click toggles; drag moves (moving) as one step; Esc cancels a move', () => {
    const { doc, ed, changes } = rig();
    const a = doc.add({ label: 'l', kind: 'box', slice: 1, box: { x: 10, y: 10, width: 20, height: 20 } });
    const b = doc.add({ label: 'l', kind: 'box', slice: 1, box: { x: 100, y: 10, width: 20, height: 20 } });
    const t = ed.tools.box;
    // An unselected box is grabbed on its outline; inside it a new box starts (a box within a box).
    t.onPointerDown(ev(20, 20));
    expect(t.state).to.equal('pointing');
    t.cancel();
    t.onPointerDown(ev(10.5, 20));
    expect(t.state).to.equal('pointingShape');
    t.onPointerUp(ev(10.5, 20));
    expect([...ed.selection.ids]).to.deep.equal([a.id]);
    click(t, 110, 10, { shiftKey: true });
    expect([...ed.selection.ids]).to.deep.equal([a.id, b.id]);
    click(t, 110, 10, { shiftKey: true });
    expect([...ed.selection.ids]).to.deep.equal([a.id]);
    // The selected box is grabbed anywhere inside.
    const before = changes();
    t.onPointerDown(ev(20, 20));
    t.onPointerMove(ev(25, 27));
    expect(t.state).to.equal('moving');
    expect(t.preview!.hide.has(a.id)).to.equal(true);
    t.onPointerMove(ev(30, 33));
    t.onPointerUp(ev(30, 33));
    expect(doc.get(a.id)!.box).to.deep.equal({ x: 20, y: 23, width: 20, height: 20 });
    expect(changes()).to.equal(before + 1);
    t.onPointerDown(ev(25, 28));
    t.onPointerMove(ev(60, 60));
    t.cancel();
    expect(doc.get(a.id)!.box).to.deep.equal({ x: 20, y: 23, width: 20, height: 20 });
  });

  it('resizing by each of the 8 handles', () => {
    const expected: Record<string, object> = {
      nw: { x: 5, y: 5, width: 25, height: 25 },
      n: { x: 10, y: 5, width: 20, height: 25 },
      ne: { x: 10, y: 5, width: 25, height: 25 },
      e: { x: 10, y: 10, width: 25, height: 20 },
      se: { x: 10, y: 10, width: 25, height: 25 },
      s: { x: 10, y: 10, width: 20, height: 25 },
      sw: { x: 5, y: 10, width: 25, height: 25 },
      w: { x: 5, y: 10, width: 25, height: 20 },
    };
    const handles: Record<string, Point> = {
      nw: [10, 10],
      n: [20, 10],
      ne: [30, 10],
      e: [30, 20],
      se: [30, 30],
      s: [20, 30],
      sw: [10, 30],
      w: [10, 20],
    };
    for (const [h, [hx, hy]] of Object.entries(handles)) {
      const { doc, ed } = rig();
      const a = doc.add({ label: 'l', kind: 'box', slice: 1, box: { x: 10, y: 10, width: 20, height: 20 } });
      ed.selection.set([a.id]);
      const t = ed.tools.box;
      t.onPointerDown(ev(hx, hy));
      expect(t.state, h).to.equal('resizing');
      const dx = h.includes('w') ? -5 : h.includes('e') ? 5 : 0;
      const dy = h.startsWith('n') ? -5 : h.startsWith('s') ? 5 : 0;
      t.onPointerMove(ev(hx + dx, hy + dy));
      t.onPointerUp(ev(hx + dx, hy + dy));
      expect(doc.get(a.id)!.box, h).to.deep.equal(expected[h]);
      expect(doc.historyDepth.undo).to.equal(2);
    }
  });

  it('arrows nudge the selection by 1 px, Shift+arrows by 10 px, each one undo step', () => {
    const { doc, ed } = rig();
    const a = doc.add({ label: 'l', kind: 'box', slice: 1, box: { x: 10, y: 10, width: 20, height: 20 } });
    const t = ed.tools.box;
    expect(t.onKeyDown(...key('ArrowLeft', ['nudge-left']))).to.equal(false); // nothing selected
    ed.selection.set([a.id]);
    t.onKeyDown(...key('ArrowLeft', ['nudge-left']));
    t.onKeyDown(...key('ArrowDown', ['slice-next', 'nudge-down-10']));
    expect(doc.get(a.id)!.box).to.deep.equal({ x: 9, y: 20, width: 20, height: 20 });
    ed.undo();
    expect(doc.get(a.id)!.box).to.deep.equal({ x: 9, y: 10, width: 20, height: 20 });
  });

  it('Esc when idle clears the selection; locked and hidden boxes are not edited', () => {
    const { doc, ed } = rig();
    const a = doc.add({ label: 'l', kind: 'box', slice: 1, box: { x: 10, y: 10, width: 20, height: 20 } });
    ed.selection.set([a.id]);
    expect(ed.tools.box.onKeyDown(...key('Escape', ['cancel']))).to.equal(true);
    expect(ed.selection.size).to.equal(0);
    ed.visibility.setLocked(a.id, true);
    drag(ed.tools.box, [20, 20], [40, 40]);
    expect(doc.get(a.id)!.box!.x).to.equal(10); // a new box was drawn instead
    expect(doc.size).to.equal(2);
  });

  it('undo during a gesture cancels the gesture only', () => {
    const { doc, ed } = rig();
    drag(ed.tools.box, [10, 10], [30, 30]);
    const t = ed.tools.box;
    t.onPointerDown(ev(50, 50));
    t.onPointerMove(ev(80, 80));
    expect(ed.undo()).to.equal(true);
    expect(t.state).to.equal('idle');
    expect(doc.size).to.equal(1);
    ed.undo();
    expect(doc.size).to.equal(0);
    ed.redo();
    expect(doc.size).to.equal(1);
  });
});

describe('PolygonTool', () => {
  it('click vertices, close by clicking the first vertex', () => {
    const { doc, ed, changes } = rig();
    const t = ed.tools.polygon;
    t.onPointerDown(ev(10, 10));
    expect(t.state).to.equal('pointingCanvas');
    t.onPointerUp(ev(10, 10));
    expect(t.state).to.equal('drawing');
    click(t, 50, 10);
    t.onPointerMove(ev(45, 45));
    expect(t.preview!.rubberBand).to.deep.equal([
      [50, 10],
      [45, 45],
    ]);
    click(t, 50, 50);
    click(t, 10.5, 50);
    click(t, 11, 11); // near the first vertex: closes
    expect(t.state).to.equal('idle');
    expect(doc.annotations[0]!.points).to.deep.equal([
      [10, 10],
      [50, 10],
      [50, 50],
      [10.5, 50],
    ]);
    expect(changes()).to.equal(1);
  });

  it('double-click and Enter close; Backspace removes the last vertex; Esc cancels', () => {
    const { doc, ed } = rig();
    const t = ed.tools.polygon;
    click(t, 10, 10);
    click(t, 50, 10);
    click(t, 50, 50);
    click(t, 30, 60);
    expect(t.onKeyDown(...key('Backspace', ['delete']))).to.equal(true);
    // double-click at (20, 70): the first press adds a vertex, the second (same spot) closes
    click(t, 20, 70);
    expect(t.state).to.equal('drawing');
    t.onPointerDown(ev(20.5, 70));
    expect(t.state).to.equal('idle');
    t.onPointerUp(ev(20.5, 70));
    t.onDoubleClick(ev(20, 70)); // the dblclick that follows does nothing more
    expect(doc.size).to.equal(1);
    expect(doc.annotations[0]!.points).to.deep.equal([
      [10, 10],
      [50, 10],
      [50, 50],
      [20, 70],
    ]);
    // A dblclick event alone (drawing → idle) closes too; two presses on one spot with 2 vertices do not.
    click(t, 100, 100);
    click(t, 120, 100);
    click(t, 120, 100);
    expect(t.state).to.equal('drawing');
    click(t, 120, 120);
    t.onDoubleClick(ev(120, 120));
    expect(t.state).to.equal('idle');
    expect(doc.annotations[1]!.points).to.deep.equal([
      [100, 100],
      [120, 100],
      [120, 120],
    ]);
    doc.undo();
    click(t, 100, 100);
    click(t, 120, 100);
    click(t, 120, 120);
    t.onKeyDown(...key('Enter', ['complete']));
    expect(doc.size).to.equal(2);
    click(t, 100, 100);
    click(t, 120, 100);
    t.onKeyDown(...key('Escape', ['cancel']));
    expect(t.state).to.equal('idle');
    click(t, 100, 100);
    t.onKeyDown(...key('Backspace'));
    expect(t.state).to.equal('idle');
    // Enter with fewer than 3 vertices makes nothing
    click(t, 100, 100);
    click(t, 120, 100);
    t.complete();
    expect(doc.size).to.equal(2);
  });

  it('freehand drag is simplified', () => {
    const { doc, ed } = rig();
    const t = ed.tools.polygon;
    t.onPointerDown(ev(100, 50));
    for (let i = 1; i <= 200; i++) {
      const a = (i / 200) * Math.PI * 2;
      t.onPointerMove(ev(100 + 40 * Math.sin(a), 90 - 40 * Math.cos(a)));
      if (i === 10) expect(t.state).to.equal('freehand');
    }
    t.onPointerUp(ev(100, 50));
    const pts = doc.annotations[0]!.points!;
    expect(pts.length).to.be.greaterThan(8).and.lessThan(60);
    for (const [x, y] of pts) expect(Math.abs(Math.hypot(x - 100, y - 90) - 40)).to.be.lessThan(0.01);
  });

  it('edit the selected polygon: drag vertex, click edge inserts, Alt-click deletes, drag moves', () => {
    const { doc, ed, changes } = rig();
    const a = doc.add({
      label: 'l',
      kind: 'polygon',
      slice: 1,
      points: [
        [10, 10],
        [50, 10],
        [50, 50],
        [10, 50],
      ],
    });
    const t = ed.tools.polygon;
    click(t, 30, 30); // inside an unselected polygon: starts a new polygon instead
    expect(t.state).to.equal('drawing');
    t.cancel();
    click(t, 30, 10.5); // on its outline: pointingShape → idle selects it
    expect([...ed.selection.ids]).to.deep.equal([a.id]);
    const c0 = changes();
    drag(t, [50, 50], [60, 70]);
    expect(doc.get(a.id)!.points).to.deep.equal([
      [10, 10],
      [50, 10],
      [60, 70],
      [10, 50],
    ]);
    t.onPointerDown(ev(30, 10));
    expect(t.state).to.equal('draggingVertex');
    t.onPointerUp(ev(30, 10));
    expect(doc.get(a.id)!.points).to.deep.equal([
      [10, 10],
      [30, 10],
      [50, 10],
      [60, 70],
      [10, 50],
    ]);
    click(t, 30, 10, { altKey: true });
    expect(doc.get(a.id)!.points).to.deep.equal([
      [10, 10],
      [50, 10],
      [60, 70],
      [10, 50],
    ]);
    drag(t, [30, 30], [35, 32]);
    expect(doc.get(a.id)!.points).to.deep.equal([
      [15, 12],
      [55, 12],
      [65, 72],
      [15, 52],
    ]);
    expect(changes()).to.equal(c0 + 4);
    // Alt-click on a triangle's vertex does nothing (a polygon keeps 3 vertices).
    const tri = doc.add({
      label: 'l',
      kind: 'polygon',
      slice: 1,
      points: [
        [100, 100],
        [140, 100],
        [120, 130],
      ],
    });
    ed.selection.set([tri.id]);
    click(t, 140, 100, { altKey: true });
    expect(doc.get(tri.id)!.points!.length).to.equal(3);
    // Esc during a vertex drag leaves the polygon as it was.
    t.onPointerDown(ev(140, 100));
    t.onPointerMove(ev(160, 100));
    t.onKeyDown(...key('Escape', ['cancel']));
    expect(doc.get(tri.id)!.points![1]).to.deep.equal([140, 100]);
    // moving cancelled by tool switch
    ed.setActiveTool('polygon');
    t.onPointerDown(ev(120, 110));
    t.onPointerMove(ev(130, 120));
    expect(t.state).to.equal('moving');
    ed.setActiveTool('box');
    expect(doc.get(tri.id)!.points![0]).to.deep.equal([100, 100]);
  });
});

describe('BrushTool and eraser', () => {
  it('a stroke makes one new mask instance equal to the swept capsules; one undo step', () => {
    const { doc, ed, changes } = rig();
    const t = ed.tools.brush;
    t.size = 6;
    t.onPointerDown(ev(20, 20));
    expect(t.state).to.equal('painting');
    t.onPointerMove(ev(80, 25)); // a fast move: no gaps
    t.onPointerMove(ev(90, 60));
    expect(doc.size).to.equal(0);
    t.onPointerUp(ev(90, 60));
    expect(t.state).to.equal('idle');
    expect(changes()).to.equal(1);
    const ref = new SparseMask(200, 150);
    paintStroke(ref, 20, 20, 20, 20, 6);
    paintStroke(ref, 20, 20, 80, 25, 6);
    paintStroke(ref, 80, 25, 90, 60, 6);
    const a = doc.annotations[0]!;
    expect(a).to.include({ kind: 'mask', slice: 1, label: 'liver' });
    expect(maskOf(a)!.equals(ref)).to.equal(true);
    expect([...ed.selection.ids]).to.deep.equal([a.id]);
    // The next stroke goes into the selected instance.
    drag(t, [150, 100], [160, 100]);
    expect(doc.size).to.equal(1);
    expect(doc.getSparseMask(a.id)!.get(155, 100)).to.equal(1);
    ed.undo();
    expect(doc.getSparseMask(a.id)!.equals(ref)).to.equal(true);
  });

  it('eraser erases from the masks under it; erased to nothing removes; Esc drops a stroke', () => {
    const { doc, ed } = rig();
    const b = ed.tools.brush;
    b.size = 10;
    drag(b, [30, 30], [60, 30]);
    ed.selection.clear();
    drag(b, [30, 100], [40, 100]);
    expect(doc.size).to.equal(2);
    const [m1, m2] = doc.annotations;
    ed.selection.clear();
    const e = ed.tools.eraser;
    e.size = 4;
    drag(e, [45, 20], [45, 40]);
    expect(doc.getSparseMask(m1!.id)!.get(45, 30)).to.equal(0);
    expect(doc.getSparseMask(m1!.id)!.get(35, 30)).to.equal(1);
    e.size = 30;
    e.onPointerDown(ev(35, 100));
    e.onKeyDown(...key('Escape', ['cancel']));
    expect(doc.has(m2!.id)).to.equal(true);
    drag(e, [35, 100], [36, 100]);
    expect(doc.has(m2!.id)).to.equal(false);
    ed.undo();
    expect(doc.has(m2!.id)).to.equal(true);
  });

  it('[ and ] change the size; the cursor outline follows the pointer', () => {
    const { ed } = rig();
    const t = ed.tools.brush;
    t.size = 10;
    t.onKeyDown(...key(']', ['brush-larger']));
    expect(t.size).to.equal(12);
    t.onKeyDown(...key('[', ['brush-smaller']));
    expect(t.size).to.equal(10);
    t.onKeyDown(...key('[', ['brush-smaller']));
    expect(t.size).to.equal(8);
    t.size = 1;
    t.onKeyDown(...key('[', ['brush-smaller']));
    expect(t.size).to.equal(1);
    t.onPointerMove(ev(12, 13));
    expect(t.preview!.brush).to.deep.equal({ x: 12, y: 13, diameter: 1, erase: false });
  });

  it('threshold brush paints only inside the range; fill holes by click', () => {
    const { doc, ed, host } = rig();
    const values = new Int16Array(200 * 150).map((_, i) => (i % 200 < 50 ? 1100 : 0));
    (host as EditorHost).sliceValues = () => ({ values, width: 200, slope: 1, intercept: -1024 });
    const t = ed.tools.brush;
    t.size = 20;
    t.threshold = { min: 0, max: 200 };
    const sv = (host as EditorHost).sliceValues;
    (host as EditorHost).sliceValues = () => undefined; // slice still decoding: nothing is painted
    drag(t, [40, 40], [60, 40]);
    expect(doc.size).to.equal(0);
    (host as EditorHost).sliceValues = sv;
    drag(t, [40, 40], [60, 40]);
    const m = doc.getSparseMask(doc.annotations[0]!.id)!;
    expect(m.get(45, 40)).to.equal(1);
    expect(m.get(55, 40)).to.equal(0);
    t.threshold = null;
    // A ring, then a click inside it fills the hole.
    ed.selection.clear();
    t.size = 16;
    const ringId = (() => {
      drag(t, [120, 100], [121, 100]);
      return doc.annotations[1]!.id;
    })();
    ed.tools.eraser.size = 6;
    ed.selection.set([ringId]);
    drag(ed.tools.eraser, [120.5, 100], [121, 100]);
    expect(doc.getSparseMask(ringId)!.get(120, 100)).to.equal(0);
    t.onKeyDown(...key('g', ['brush-fill-toggle']));
    expect(t.fill).to.equal(true);
    click(t, 120.5, 100);
    expect(doc.getSparseMask(ringId)!.get(120, 100)).to.equal(1);
    expect(t.state).to.equal('idle');
  });
});

describe('remaining transitions', () => {
  it('box: resizing → idle on Esc leaves the box as it was', () => {
    const { doc, ed } = rig();
    const a = doc.add({ label: 'l', kind: 'box', slice: 1, box: { x: 10, y: 10, width: 20, height: 20 } });
    ed.selection.set([a.id]);
    const t = ed.tools.box;
    t.onPointerDown(ev(30, 30));
    t.onPointerMove(ev(50, 50));
    expect(t.state).to.equal('resizing');
    expect(t.preview!.shapes[0]!.box).to.deep.equal({ x: 10, y: 10, width: 40, height: 40 });
    t.onKeyDown(...key('Escape', ['cancel']));
    expect(t.state).to.equal('idle');
    expect(doc.get(a.id)!.box).to.deep.equal({ x: 10, y: 10, width: 20, height: 20 });
    expect(doc.historyDepth.undo).to.equal(1);
  });

  it('polygon: freehand → idle on Esc; pointingCanvas → idle on interrupt; no active label draws nothing', () => {
    const { doc, ed, host } = rig();
    const t = ed.tools.polygon;
    t.onPointerDown(ev(10, 10));
    t.onPointerMove(ev(30, 10));
    t.onPointerMove(ev(30, 30));
    expect(t.state).to.equal('freehand');
    t.onKeyDown(...key('Escape', ['cancel']));
    expect(t.state).to.equal('idle');
    t.onPointerUp(ev(30, 30));
    expect(doc.size).to.equal(0);
    t.onPointerDown(ev(10, 10));
    expect(t.state).to.equal('pointingCanvas');
    t.interrupt();
    expect(t.state).to.equal('idle');
    host.activeLabel = undefined;
    click(t, 10, 10);
    expect(t.state).to.equal('idle');
    expect(doc.size).to.equal(0);
  });

  it('brush: painting → idle on interrupt leaves nothing; no active label paints nothing; a schema that forbids masks paints nothing', () => {
    const { doc, ed, host } = rig();
    const t = ed.tools.brush;
    t.onPointerDown(ev(10, 10));
    t.onPointerMove(ev(40, 10));
    expect(t.preview!.masks.length).to.equal(1);
    ed.setActiveTool('brush');
    ed.setActiveTool('eraser');
    expect(t.state).to.equal('idle');
    expect(doc.size).to.equal(0);
    host.activeLabel = undefined;
    drag(t, [10, 10], [40, 10]);
    expect(doc.size).to.equal(0);
    host.activeLabel = 'liver';
    (host as EditorHost).allows = (_label, kind) => kind !== 'mask';
    drag(t, [10, 10], [40, 10]);
    expect(doc.size).to.equal(0);
    drag(ed.tools.box, [10, 10], [40, 40]);
    expect(doc.size).to.equal(1);
  });
});

describe('SelectTool and editor actions', () => {
  it('selects across kinds, Shift adds, empty clears, drag moves boxes and polygons as one step', () => {
    const { doc, ed, changes } = rig();
    const box = doc.add({ label: 'l', kind: 'box', slice: 1, box: { x: 10, y: 10, width: 20, height: 20 } });
    const poly = doc.add({
      label: 'l',
      kind: 'polygon',
      slice: 1,
      points: [
        [100, 10],
        [140, 10],
        [120, 40],
      ],
    });
    const mask = new SparseMask(200, 150);
    paintStroke(mask, 60, 100, 80, 100, 10);
    const m = doc.add({ label: 'l', kind: 'mask', slice: 1, mask });
    const t = ed.tools.select;
    click(t, 70, 100);
    expect([...ed.selection.ids]).to.deep.equal([m.id]);
    click(t, 15, 15, { shiftKey: true });
    click(t, 120, 20, { shiftKey: true });
    expect(ed.selection.size).to.equal(3);
    click(t, 190, 140);
    expect(ed.selection.size).to.equal(0);
    t.onPointerMove(ev(15, 15));
    expect(ed.selection.hovered).to.equal(box.id);
    ed.selection.set([box.id, poly.id]);
    const c0 = changes();
    t.onPointerDown(ev(15, 15));
    t.onPointerMove(ev(20, 20));
    expect(t.state).to.equal('moving');
    t.onPointerUp(ev(25, 25));
    expect(changes()).to.equal(c0 + 1);
    expect(doc.get(box.id)!.box).to.deep.equal({ x: 20, y: 20, width: 20, height: 20 });
    expect(doc.get(poly.id)!.points![0]).to.deep.equal([110, 20]);
    t.onPointerDown(ev(25, 25));
    t.onPointerMove(ev(50, 50));
    t.onKeyDown(...key('Escape', ['cancel']));
    expect(doc.get(box.id)!.box!.x).to.equal(20);
  });

  it('delete asks the host (veto), copy/paste to the current slice, copy to next/previous slice', () => {
    const { doc, ed, host } = rig();
    const a = doc.add({ label: 'l', kind: 'box', slice: 1, box: { x: 10, y: 10, width: 20, height: 20 } });
    ed.selection.set([a.id]);
    host.veto = true;
    expect(ed.keyDown({ key: 'Delete' }, ['delete'])).to.equal(true);
    expect(doc.has(a.id)).to.equal(true);
    expect(ed.run('copy')).to.equal(true);
    host.slice = 3;
    expect(ed.run('paste')).to.equal(true);
    expect(doc.bySlice(3).length).to.equal(1);
    expect(doc.bySlice(3)[0]!.box).to.deep.equal(a.box);
    expect(doc.bySlice(3)[0]!.id).to.not.equal(a.id);
    ed.run('copy-to-next-slice');
    expect(doc.bySlice(4).length).to.equal(1);
    host.slice = 4;
    ed.selection.set([doc.bySlice(4)[0]!.id]);
    expect(ed.run('copy-to-next-slice')).to.equal(false); // past the last slice
    ed.run('copy-to-previous-slice');
    expect(doc.bySlice(3).length).to.equal(2);
    host.veto = false;
    ed.run('delete');
    expect(doc.bySlice(4).length).to.equal(0);
    expect(ed.selection.size).to.equal(0);
  });

  it('hide/show and lock/unlock per annotation and per label', () => {
    const { doc, ed, host } = rig();
    const a = doc.add({ label: 'l', kind: 'box', slice: 1, box: { x: 10, y: 10, width: 20, height: 20 } });
    ed.selection.set([a.id]);
    ed.run('lock-toggle');
    expect(ed.visibility.isEditable(a)).to.equal(false);
    expect(ed.run('delete')).to.equal(false);
    ed.run('lock-toggle');
    expect(ed.visibility.isEditable(a)).to.equal(true);
    ed.run('hide-toggle');
    expect(ed.visibility.isVisible(a)).to.equal(false);
    click(ed.tools.select, 15, 15);
    expect(ed.selection.size).to.equal(0);
    // Nothing selected: H acts on the active label; with no active label it shows everything hidden.
    ed.run('hide-toggle');
    expect(ed.visibility.isLabelHidden('liver')).to.equal(true);
    expect(ed.visibility.isVisible(a)).to.equal(false);
    ed.run('hide-toggle');
    expect(ed.visibility.isLabelHidden('liver')).to.equal(false);
    host.activeLabel = undefined;
    ed.run('hide-toggle');
    expect(ed.visibility.isVisible(a)).to.equal(true);
    host.activeLabel = 'liver';
    ed.visibility.setLabelHidden('l', true);
    expect(ed.visibility.isVisible(a)).to.equal(false);
    ed.visibility.setLabelHidden('l', false);
    ed.visibility.setLabelLocked('l', true);
    expect(ed.visibility.isEditable(a)).to.equal(false);
    expect(ed.run('select-all')).to.equal(true);
  });

  it('without a selection, hide and lock act on the active label; showing a label shows its annotations hidden one by one', () => {
    const { doc, ed, host } = rig();
    const liver = doc.add({
      label: 'liver',
      kind: 'box',
      slice: 1,
      box: { x: 10, y: 10, width: 20, height: 20 },
    });
    const other = doc.add({
      label: 'l',
      kind: 'box',
      slice: 1,
      box: { x: 50, y: 10, width: 20, height: 20 },
    });
    ed.selection.set([liver.id]);
    ed.run('hide-toggle'); // hides the selected one only
    expect(ed.visibility.isHidden(liver.id)).to.equal(true);
    expect(ed.visibility.isLabelHidden('liver')).to.equal(false);
    ed.run('hide-toggle'); // nothing selected: hides the active label
    expect(ed.visibility.isLabelHidden('liver')).to.equal(true);
    ed.run('hide-toggle'); // shows the label and its annotation hidden one by one
    expect(ed.visibility.isLabelHidden('liver')).to.equal(false);
    expect(ed.visibility.isVisible(liver)).to.equal(true);
    expect(ed.visibility.isVisible(other)).to.equal(true);
    ed.run('lock-toggle');
    expect(ed.visibility.isLabelLocked('liver')).to.equal(true);
    expect(ed.visibility.isEditable(liver)).to.equal(false);
    expect(ed.visibility.isEditable(other)).to.equal(true);
    // A locked label: selectable (to inspect and unlock) but not moved, deleted or erased.
    const t = ed.tools.select;
    t.onPointerDown(ev(15, 15));
    t.onPointerMove(ev(25, 25));
    expect(t.state).to.equal('pointing');
    t.onPointerUp(ev(25, 25));
    expect([...ed.selection.ids]).to.deep.equal([liver.id]);
    expect(doc.get(liver.id)!.box!.x).to.equal(10);
    expect(ed.run('delete')).to.equal(false);
    ed.run('lock-toggle'); // the selection: locks it one by one (the label stays locked)
    expect(ed.visibility.isLocked(liver.id)).to.equal(true);
    ed.selection.clear();
    ed.run('lock-toggle'); // the active label again: unlocks it
    expect(ed.visibility.isLabelLocked('liver')).to.equal(false);
    // Hiding a label drops its annotations from the selection.
    ed.selection.set([liver.id, other.id]);
    ed.setLabelHidden('liver', true);
    expect([...ed.selection.ids]).to.deep.equal([other.id]);
    host.activeLabel = undefined;
    ed.selection.clear();
    expect(ed.run('lock-toggle')).to.equal(false);
  });

  it('drag moves a selected mask by whole pixels: exact pixels, one undo step, Esc and undo restore it', () => {
    const { doc, ed, changes } = rig();
    const src = new SparseMask(200, 150);
    paintStroke(src, 60, 100, 90, 100, 10);
    // Tiles are 64 px: the mask spans two tile columns, and moves across a tile edge.
    const m = doc.add({ label: 'l', kind: 'mask', slice: 1, mask: src });
    const before = doc.getSparseMask(m.id)!;
    const t = ed.tools.select;
    t.onPointerDown(ev(70.2, 100.3));
    expect([...ed.selection.ids]).to.deep.equal([m.id]);
    t.onPointerMove(ev(75, 95));
    expect(t.state).to.equal('moving');
    const pv = t.preview!;
    expect(pv.masks.length).to.equal(1);
    expect(pv.hide.has(m.id)).to.equal(true);
    t.onPointerMove(ev(80, 90));
    const c0 = changes();
    t.onPointerUp(ev(83.6, 80.1)); // delta (13.4, -20.2) → (13, -20)
    expect(changes()).to.equal(c0 + 1);
    const after = doc.getSparseMask(m.id)!;
    const expected = new SparseMask(200, 150);
    paintStroke(expected, 73, 80, 103, 80, 10);
    expect(after.equals(expected)).to.equal(true);
    for (let y = 0; y < 150; y++)
      for (let x = 0; x < 200; x++) expect(after.get(x, y), `${x},${y}`).to.equal(before.get(x - 13, y + 20));
    expect(doc.historyDepth.undo).to.equal(2);
    doc.undo();
    expect(doc.getSparseMask(m.id)!.equals(before)).to.equal(true);
    doc.redo();
    expect(doc.getSparseMask(m.id)!.equals(expected)).to.equal(true);
    // Arrows nudge a selected mask by whole pixels, one undo step each.
    ed.selection.set([m.id]);
    const c2 = changes();
    expect(t.onKeyDown(...key('ArrowLeft', ['nudge-left']))).to.equal(true);
    expect(t.onKeyDown(...key('ArrowDown', ['nudge-down-10']))).to.equal(true);
    expect(changes()).to.equal(c2 + 2);
    const nudged = new SparseMask(200, 150);
    paintStroke(nudged, 72, 90, 102, 90, 10);
    expect(doc.getSparseMask(m.id)!.equals(nudged)).to.equal(true);
    doc.undo();
    doc.undo();
    expect(doc.getSparseMask(m.id)!.equals(expected)).to.equal(true);
    // A move with a box: both in one step; Esc mid-drag leaves everything.
    const b = doc.add({ label: 'l', kind: 'box', slice: 1, box: { x: 10, y: 10, width: 20, height: 20 } });
    ed.selection.set([m.id, b.id]);
    t.onPointerDown(ev(15, 15));
    t.onPointerMove(ev(30, 40));
    t.onKeyDown(...key('Escape', ['cancel']));
    expect(doc.getSparseMask(m.id)!.equals(expected)).to.equal(true);
    expect(doc.get(b.id)!.box!.x).to.equal(10);
    const c1 = changes();
    t.onPointerDown(ev(15, 15));
    t.onPointerMove(ev(20, 20));
    t.onPointerUp(ev(25, 25));
    expect(changes()).to.equal(c1 + 1);
    expect(doc.get(b.id)!.box).to.deep.equal({ x: 20, y: 20, width: 20, height: 20 });
    expect(doc.getSparseMask(m.id)!.bbox()).to.deep.equal(
      expected.bbox()!.map((v, i) => (i < 2 ? v + 10 : v)),
    );
    // Dragged off the image entirely: the mask is removed in the same step.
    ed.selection.set([m.id]);
    const [mx, my] = doc.getSparseMask(m.id)!.bbox()!;
    t.onPointerDown(ev(mx + 5, my + 5));
    t.onPointerMove(ev(mx + 300, my + 5));
    t.onPointerUp(ev(mx + 300, my + 5));
    expect(doc.has(m.id)).to.equal(false);
    expect(ed.selection.size).to.equal(0);
    doc.undo();
    expect(doc.has(m.id)).to.equal(true);
  });
});

describe('shared move and resize gestures', () => {
  it('the select tool resizes the one selected box by its handles, as the box tool does, in one step', () => {
    const { doc, ed, changes } = rig();
    const box = doc.add({ label: 'l', kind: 'box', slice: 1, box: { x: 10, y: 10, width: 20, height: 20 } });
    ed.selection.set([box.id]);
    const t = ed.tools.select;
    const c0 = changes();
    t.onPointerDown(ev(30, 30)); // bottom-right handle
    expect(t.state).to.equal('resizing');
    t.onPointerMove(ev(40.4, 45.6));
    expect(t.preview!.shapes[0]!.box).to.deep.equal({ x: 10, y: 10, width: 30, height: 36 });
    t.onPointerUp(ev(40.4, 45.6));
    expect(changes()).to.equal(c0 + 1);
    expect(doc.get(box.id)!.box).to.deep.equal({ x: 10, y: 10, width: 30, height: 36 });
    // Esc mid-resize leaves it as it was; with two selected, a press on a handle moves instead.
    t.onPointerDown(ev(10, 10));
    t.onPointerMove(ev(0, 0));
    t.onKeyDown(...key('Escape', ['cancel']));
    expect(doc.get(box.id)!.box!.x).to.equal(10);
    const other = doc.add({
      label: 'l',
      kind: 'box',
      slice: 1,
      box: { x: 100, y: 100, width: 5, height: 5 },
    });
    ed.selection.set([box.id, other.id]);
    t.onPointerDown(ev(40, 46));
    t.onPointerMove(ev(45, 50));
    expect(t.state).to.equal('moving');
    t.onPointerUp(ev(45, 50));
    expect(doc.get(other.id)!.box).to.deep.equal({ x: 105, y: 104, width: 5, height: 5 });
  });

  it('the polygon tool moves by whole pixels like the box and select tools, and stops at the image edge', () => {
    const { doc, ed } = rig();
    const tri = doc.add({
      label: 'l',
      kind: 'polygon',
      slice: 1,
      points: [
        [100, 100],
        [140, 100],
        [120, 130],
      ],
    });
    ed.selection.set([tri.id]);
    const t = ed.tools.polygon;
    drag(t, [120, 110], [130.4, 119.7]);
    expect(doc.get(tri.id)!.points).to.deep.equal([
      [110, 110],
      [150, 110],
      [130, 140],
    ]);
    drag(t, [130, 120], [230, 200]); // the image is 200 × 150: it stops at the edge
    expect(doc.get(tri.id)!.points![1]).to.deep.equal([200, 120]);
    ed.setOptions({ snap: false });
    drag(t, [180, 130], [170.5, 130]);
    expect(doc.get(tri.id)!.points![0]).to.deep.equal([150.5, 120]);
  });

  it('[, ] and g change options through the editor: the value is set before its one notification', () => {
    const { ed } = rig();
    const seen: [number, boolean][] = [];
    ed.setOptions({ brushSize: 10 });
    ed.subscribeOptions((o) => seen.push([o.brushSize, o.fill]));
    ed.tools.brush.onKeyDown(...key(']', ['brush-larger']));
    ed.tools.eraser.onKeyDown(...key('[', ['brush-smaller']));
    ed.tools.brush.onKeyDown(...key('g', ['brush-fill-toggle']));
    expect(seen).to.deep.equal([
      [12, false],
      [12, false],
      [12, true],
    ]);
    expect(ed.options.eraserSize).to.be.below(ed.tools.brush.size);
    // At the largest size, ] changes nothing, so nothing is announced.
    ed.setOptions({ brushSize: BRUSH_MAX });
    const n = seen.length;
    ed.tools.brush.onKeyDown(...key(']', ['brush-larger']));
    expect(seen.length).to.equal(n);
  });
});
