/**
 * The brush, eraser and 3D brush painting volume annotations through a plane (core, no DOM).
 */
import { expect } from '@open-wc/testing';
import { createAnnotationDocument } from '../../../src/core/annotation/document.js';
import { reformatStack, type ReformattedStack } from '../../../src/core/image/reformat.js';
import { createImageStack } from '../../../src/core/image/stack.js';
import { AnnotationEditor } from '../../../src/core/tools/editor.js';
import { showsSourceSlices } from '../../../src/core/tools/plane.js';
import type { Tool } from '../../../src/core/tools/tool.js';

const [W, H, D] = [32, 24, 16];

function setup(orientation: 'coronal' | 'acquisition' | 'axial', values?: (k: number) => Int16Array) {
  const stack = createImageStack({
    width: W,
    height: H,
    frames: Array.from({ length: D }, (_, k) => values?.(k) ?? new Int16Array(W * H)),
    dataType: 'int16',
    spacing: [1, 1, 2],
    metadata: { imageOrientationPatient: [1, 0, 0, 0, 1, 0] },
  });
  let n = 0;
  const doc = createAnnotationDocument({ width: W, height: H, depth: D, createId: () => `id${++n}` });
  const host = {
    document: doc,
    slice: 0,
    activeLabel: 'liver' as string | undefined,
    pixelSize: 1,
    plane: reformatStack(stack, orientation) as ReformattedStack,
    changed() {},
  };
  const ed = new AnnotationEditor(host);
  let changes = 0;
  doc.subscribe(() => changes++);
  return { doc, ed, host, changes: () => changes };
}

function stroke(t: Tool, points: [number, number][]) {
  t.onPointerDown({ x: points[0]![0], y: points[0]![1], button: 0 });
  for (const [x, y] of points.slice(1)) t.onPointerMove({ x, y, button: 0 });
  t.onPointerUp({ x: points.at(-1)![0], y: points.at(-1)![1], button: 0 });
}

const voxels = (data: Uint8Array) => data.reduce((s, v) => s + v, 0);

describe('brush tools and volumes', () => {
  it('knows which planes are the source slices', () => {
    expect(showsSourceSlices(setup('acquisition').host.plane)).to.equal(true);
    expect(showsSourceSlices(setup('axial').host.plane)).to.equal(true); // an axial series shown axial
    expect(showsSourceSlices(setup('coronal').host.plane)).to.equal(false);
    expect(showsSourceSlices(undefined)).to.equal(true);
  });

  it('a coronal stroke creates one volume over many axial slices in one change; undo removes it all', () => {
    const { doc, ed, host, changes } = setup('coronal');
    host.slice = 10; // coronal slice 10 = source row 10
    ed.setOptions({ brushSize: 2 });
    expect(ed.tools.brush.draws).to.equal('volume');
    stroke(ed.tools.brush, [
      [8.5, 2.5],
      [8.5, 8.5],
      [8.5, 13.5],
    ]);
    expect(changes()).to.equal(1);
    const [a] = doc.annotations;
    expect(a!.kind).to.equal('volume');
    expect(ed.selection.has(a!.id)).to.equal(true);
    const v = doc.getVolume(a!.id)!;
    const painted = new Set<number>();
    for (let k = 0; k < D; k++)
      for (let j = 0; j < H; j++)
        for (let i = 0; i < W; i++) {
          if (!v.data[k * W * H + j * W + i]) continue;
          painted.add(k);
          expect(j).to.equal(10); // only the coronal slice's source row
        }
    // Rows 2…13 of the coronal frame are axial slices 13…2 (superior at the top).
    expect([...painted].sort((p, q) => p - q)).to.deep.equal([2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]);
    doc.undo();
    expect(doc.annotations).to.have.length(0);
  });

  it('Esc mid-stroke leaves the document untouched; per-slice tools are blocked off the source slices', () => {
    const { doc, ed, host, changes } = setup('coronal');
    host.slice = 5;
    ed.tools.brush.onPointerDown({ x: 4, y: 4, button: 0 });
    ed.tools.brush.onPointerMove({ x: 12, y: 4, button: 0 });
    expect(ed.tools.brush.preview!.masks).to.have.length(1);
    ed.tools.brush.cancel();
    expect(changes()).to.equal(0);
    expect(doc.annotations).to.have.length(0);
    expect(ed.tools.box.blockedReason).to.match(/acquisition plane/);
    expect(ed.tools.polygon.blockedReason).to.match(/acquisition plane/);
    expect(ed.tools.brush.blockedReason).to.equal(undefined);
  });

  it('the eraser erases a volume to nothing and removes it, in one step', () => {
    const { doc, ed, host } = setup('coronal');
    host.slice = 5;
    ed.setOptions({ brushSize: 2, eraserSize: 8 });
    stroke(ed.tools.brush, [
      [10.5, 5.5],
      [12.5, 5.5],
    ]);
    expect(doc.annotations).to.have.length(1);
    stroke(ed.tools.eraser, [
      [9.5, 5.5],
      [13.5, 5.5],
    ]);
    expect(doc.annotations).to.have.length(0);
    doc.undo();
    expect(doc.annotations).to.have.length(1);
  });

  it('a threshold brush paints only voxels in range, read from the frame on screen', async () => {
    // Values: column i holds i × 10.
    const { doc, ed, host } = setup('coronal', () =>
      Int16Array.from({ length: W * H }, (_, p) => (p % W) * 10),
    );
    host.slice = 7;
    const frame = await host.plane.getFrame(7);
    (host as unknown as { sliceValues: () => unknown }).sliceValues = () => ({
      values: frame.data,
      width: frame.width,
      slope: 1,
      intercept: 0,
    });
    const ed2 = new AnnotationEditor(host);
    ed2.setOptions({ brushSize: 12, threshold: { min: 50, max: 90 } });
    stroke(ed2.tools.brush, [[7.5, 7.5]]);
    const v = doc.getVolume(doc.annotations[0]!.id)!;
    const cols = new Set<number>();
    v.data.forEach((x, p) => x && cols.add(p % W));
    expect([...cols].sort((a, b) => a - b)).to.deep.equal([5, 6, 7, 8, 9]);
    expect(ed.tools.brush).to.not.equal(ed2.tools.brush);
  });

  it('brush-3d paints a ball of the diameter in mm in any plane, sharing the brush size', () => {
    const { doc, ed, host } = setup('acquisition');
    host.slice = 8;
    ed.setOptions({ brushSize: 8 }); // 8 mm: radius 4 mm, 1 × 1 × 2 mm voxels
    expect(ed.tools['brush-3d'].size).to.equal(8);
    expect(ed.tools['brush-3d'].draws).to.equal('volume');
    stroke(ed.tools['brush-3d'], [[16.5, 12.5]]);
    const v = doc.getVolume(doc.annotations[0]!.id)!;
    const expected = ((4 / 3) * Math.PI * 4 ** 3) / 2;
    expect(Math.abs(voxels(v.data) - expected) / expected).to.be.lessThan(0.12);
    expect(v.data[8 * W * H + 12 * W + 16]).to.equal(1);
    expect(v.data[6 * W * H + 12 * W + 16]).to.equal(1); // 4 mm above: two slices
    expect(v.data[5 * W * H + 12 * W + 16]).to.equal(0);
  });
});
