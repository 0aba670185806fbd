import { expect, html } from '@open-wc/testing';
import { createImageStack } from '../../src/core/image/stack.js';
import '../../src/define.js';
import { mount } from './helpers.js';
import type { VxViewer } from '../../src/elements/vx-viewer.js';
import type { AnnotationDocument } from '../../src/core/annotation/document.js';

/** A viewer with polygon and box layers on a blank 64 × 64 stack of 3 slices. */
async function mountLayers(): Promise<VxViewer> {
  const frames = [0, 1, 2].map(() => new Int16Array(64 * 64));
  const stack = createImageStack({ width: 64, height: 64, frames, dataType: 'int16', spacing: [1, 1, 1] });
  const { viewer } = await mount(
    html`<vx-viewer style="width:200px;height:200px;display:block"
      ><vx-polygon-layer></vx-polygon-layer><vx-box-layer></vx-box-layer
    ></vx-viewer>`,
    { stack },
  );
  return viewer;
}

describe('annotation renderer', () => {
  it('keeps the stage at three Konva layers (image, annotations, overlay) with several layer elements', async () => {
    const el = await mountLayers();
    expect(el.stage.getLayers().map((l) => l.name())).to.deep.equal([
      'vx-image',
      'vx-annotation-canvas',
      'vx-overlay',
    ]);
  });

  it('has nodes for the current slice only, updated by key from change sets', async () => {
    const el = await mountLayers();
    const doc = el.document as unknown as AnnotationDocument;
    const r = el.annotationRenderer!;
    const tri = (x: number) =>
      [
        [x, 1],
        [x + 5, 1],
        [x, 6],
      ] as [number, number][];
    doc.add([0, 1, 2].map((s) => ({ label: 'a', kind: 'polygon' as const, slice: s, points: tri(s) })));
    doc.add({ label: 'a', kind: 'box', slice: 0, box: { x: 1, y: 1, width: 4, height: 4 } });
    expect(r.nodeCount).to.equal(2);
    const nodes = r.shapesGroup.getChildren().slice();
    const poly = doc.bySlice(0)[0]!;
    doc.update(poly.id, { points: tri(10) });
    // The same Konva nodes, one of them with new points.
    expect(r.shapesGroup.getChildren().slice()).to.deep.equal(nodes);
    el.slice = 1;
    await el.updateComplete;
    expect(r.nodeCount).to.equal(1);
    doc.add({ label: 'a', kind: 'box', slice: 2, box: { x: 1, y: 1, width: 4, height: 4 } });
    expect(r.nodeCount).to.equal(1);
    doc.undo();
    doc.undo();
    el.slice = 0;
    await el.updateComplete;
    expect(r.nodeCount).to.equal(2);
    expect((r.shapesGroup.getChildren()[0] as unknown as { points(): number[] }).points()).to.deep.equal(
      tri(0).flat(),
    );
  });

  it('undo of a delete puts the shape back at its place in the drawing order', async () => {
    const el = await mountLayers();
    const doc = el.document as unknown as AnnotationDocument;
    const r = el.annotationRenderer!;
    const boxes = [1, 10, 20].map((x) =>
      doc.add({ label: 'a', kind: 'box', slice: 0, box: { x, y: 1, width: 4, height: 4 } }),
    );
    const xs = () => r.shapesGroup.getChildren().map((n) => n.x());
    expect(xs()).to.deep.equal([1, 10, 20]);
    doc.remove(boxes[0]!.id);
    expect(xs()).to.deep.equal([10, 20]);
    doc.undo();
    expect(xs()).to.deep.equal([1, 10, 20]);
    expect(doc.annotations.map((a) => a.id)).to.deep.equal(boxes.map((a) => a.id));
  });

  it('hiding a label hides its nodes; hidden annotations are not selectable', async () => {
    const el = await mountLayers();
    const doc = el.document as unknown as AnnotationDocument;
    const s = { editor: el.editor, renderer: el.annotationRenderer! };
    const a = doc.add({ label: 'a', kind: 'box', slice: 0, box: { x: 1, y: 1, width: 4, height: 4 } });
    s.editor.visibility.setLabelHidden('a', true);
    expect(s.renderer.shapesGroup.getChildren()[0]!.visible()).to.equal(false);
    s.editor.tools.select.onPointerDown({ x: 2, y: 2, button: 0 });
    s.editor.tools.select.onPointerUp({ x: 2, y: 2, button: 0 });
    expect(s.editor.selection.has(a.id)).to.equal(false);
    s.editor.visibility.setLabelHidden('a', false);
    expect(s.renderer.shapesGroup.getChildren()[0]!.visible()).to.equal(true);
  });
});
