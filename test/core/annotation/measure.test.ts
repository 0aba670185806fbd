/**
 * Measurements: line and angle annotations (shape, validation, values from the pixel spacing), their tools
 * (preview then commit, Esc cancels, one undo step) and `document.statistics(id, stack)` on a synthetic stack
 * whose values are known.
 */
import { expect } from '@open-wc/testing';
import { createAnnotationDocument, type AnnotationDocument } from '../../../src/core/annotation/document.js';
import { measurementText, polylineLength, vertexAngle } from '../../../src/core/annotation/measure.js';
import { hitAnnotation, boundsOf } from '../../../src/core/annotation/geometry.js';
import { AnnotationEditor } from '../../../src/core/tools/editor.js';
import type { Tool, ToolPointerEvent } from '../../../src/core/tools/tool.js';
import { createImageStack } from '../../../src/core/index.js';
import { validateDocument } from '../../../src/core/schema/validate.js';
import type { LabelSchema } from '../../../src/core/schema/types.js';
import { voxmarkRejection } from '../../helpers/rejection.js';

const ev = (x: number, y: number): ToolPointerEvent => ({ x, y, button: 0 });
function drag(t: Tool, from: [number, number], to: [number, number]) {
  t.onPointerDown(ev(...from));
  for (let i = 1; i <= 4; i++)
    t.onPointerMove(ev(from[0] + ((to[0] - from[0]) * i) / 4, from[1] + ((to[1] - from[1]) * i) / 4));
  t.onPointerUp(ev(...to));
}
function click(t: Tool, x: number, y: number) {
  t.onPointerDown(ev(x, y));
  t.onPointerMove(ev(x, y));
  t.onPointerUp(ev(x, y));
}

function rig(allowed?: string[]) {
  let n = 0;
  const doc = createAnnotationDocument({ width: 200, height: 150, depth: 3, createId: () => `m${++n}` });
  const ed = new AnnotationEditor({
    document: doc,
    slice: 1,
    activeLabel: 'ruler',
    pixelSize: 1,
    changed() {},
    allows: (_label, kind) => !allowed || allowed.includes(kind),
  });
  let changes = 0;
  doc.subscribe(() => changes++);
  return { doc, ed, changes: () => changes };
}

describe('measurement values', () => {
  it('reads a 100 px line at 0.7 mm spacing as 70.0 mm', () => {
    expect(
      polylineLength(
        [
          [10, 20],
          [110, 20],
        ],
        [0.7, 0.7, 2],
      ),
    ).to.be.closeTo(70, 1e-12);
    expect(
      measurementText(
        {
          kind: 'line',
          points: [
            [10, 20],
            [110, 20],
          ],
        },
        [0.7, 0.7, 2],
      ),
    ).to.equal('70.0 mm');
    // Anisotropic pixels: 30 px across at 0.5 mm and 40 px down at 0.25 mm are 15 and 10 mm.
    expect(
      polylineLength(
        [
          [0, 0],
          [30, 40],
        ],
        [0.5, 0.25],
      ),
    ).to.be.closeTo(Math.hypot(15, 10), 1e-12);
    // No physical spacing: pixels.
    expect(
      measurementText(
        {
          kind: 'line',
          points: [
            [0, 0],
            [3, 4],
          ],
        },
        [1, 1, 1],
        'pixel',
      ),
    ).to.equal('5.0 px');
  });

  it('reads the right angle of a 3-4-5 triangle as 90.0°, and others exactly', () => {
    expect(
      vertexAngle([
        [0, 40],
        [0, 0],
        [30, 0],
      ]),
    ).to.be.closeTo(90, 1e-12);
    expect(
      measurementText(
        {
          kind: 'angle',
          points: [
            [3, 0],
            [0, 0],
            [0, 4],
          ],
        },
        [0.7, 0.7, 1],
      ),
    ).to.equal('90.0°');
    expect(
      vertexAngle([
        [10, 0],
        [0, 0],
        [10, 10],
      ]),
    ).to.be.closeTo(45, 1e-12);
    expect(
      vertexAngle([
        [-10, 0],
        [0, 0],
        [10, 0],
      ]),
    ).to.be.closeTo(180, 1e-12);
    // In physical space: 10 px by 10 px at 1 × 2 mm is not 45°.
    expect(
      vertexAngle(
        [
          [10, 0],
          [0, 0],
          [10, 10],
        ],
        [1, 2],
      ),
    ).to.be.closeTo((Math.atan2(20, 10) * 180) / Math.PI, 1e-12);
    expect(
      Number.isNaN(
        vertexAngle([
          [0, 0],
          [0, 0],
          [1, 0],
        ]),
      ),
    ).to.equal(true);
  });
});

describe('line and angle annotations', () => {
  it('take exactly 2 and 3 points, move, hit near their segments, and never inside', () => {
    const doc = createAnnotationDocument({ width: 100, height: 100 });
    const line = doc.add({
      label: 'l',
      kind: 'line',
      slice: 0,
      points: [
        [10, 10],
        [50, 10],
      ],
    });
    const angle = doc.add({
      label: 'l',
      kind: 'angle',
      slice: 0,
      points: [
        [10, 60],
        [10, 90],
        [40, 90],
      ],
    });
    expect(boundsOf(line)).to.deep.equal([10, 10, 50, 10]);
    expect(hitAnnotation(line, 30, 11, 2)).to.equal(true);
    expect(hitAnnotation(line, 30, 14, 2)).to.equal(false);
    expect(hitAnnotation(angle, 25, 89, 2)).to.equal(true);
    expect(hitAnnotation(angle, 25, 75, 2)).to.equal(false); // inside the triangle, not on an arm
    expect(() => doc.add({ label: 'l', kind: 'line', slice: 0, points: [[1, 1]] })).to.throw(
      /exactly 2 points/,
    );
    expect(() =>
      doc.add({
        label: 'l',
        kind: 'angle',
        slice: 0,
        points: [
          [1, 1],
          [2, 2],
          [3, 3],
          [4, 4],
        ],
      }),
    ).to.throw(/exactly 3 points/);
    const schema: LabelSchema = {
      version: 1,
      labels: [{ id: 'l', name: 'Ruler', color: '#ffcc00', kinds: ['line'] }],
    };
    const problems = validateDocument(
      {
        annotations: [...doc.annotations, { id: 'x', label: 'l', kind: 'line', slice: 0, points: [[1, 1]] }],
      },
      schema,
    );
    expect(problems.map((p) => [p.annotationId, p.code])).to.deep.equal([
      [angle.id, 'kind-not-allowed'],
      ['x', 'empty-geometry'],
    ]);
  });
});

describe('LineTool and AngleTool', () => {
  it('a drag draws a line: preview first, then one annotation and one change set, selected', () => {
    const { doc, ed, changes } = rig();
    const t = ed.tools.line;
    t.onPointerDown(ev(10, 20));
    t.onPointerMove(ev(60, 20));
    expect(t.preview!.shapes[0]).to.include({ kind: 'line', closed: false });
    expect(t.preview!.shapes[0]!.points).to.deep.equal([
      [10, 20],
      [60, 20],
    ]);
    expect(doc.size).to.equal(0);
    t.onPointerMove(ev(110, 20));
    t.onPointerUp(ev(110, 20));
    expect(t.state).to.equal('idle');
    expect(changes()).to.equal(1);
    const a = doc.annotations[0]!;
    expect(a).to.include({ kind: 'line', label: 'ruler', slice: 1 });
    expect(a.points).to.deep.equal([
      [10, 20],
      [110, 20],
    ]);
    expect([...ed.selection.ids]).to.deep.equal([a.id]);
    ed.run('undo');
    expect(doc.size).to.equal(0);
  });

  it('two clicks draw a line too; Esc after the first leaves nothing', () => {
    const { doc, ed, changes } = rig();
    const t = ed.tools.line;
    click(t, 10, 10);
    expect(t.state).to.equal('placing');
    expect(t.onKeyDown({ key: 'Escape' }, ['cancel'])).to.equal(true);
    expect(t.state).to.equal('idle');
    expect(changes()).to.equal(0);
    click(t, 10, 10);
    t.onPointerMove(ev(40, 50));
    expect(t.preview!.shapes[0]!.points).to.deep.equal([
      [10, 10],
      [40, 50],
    ]);
    click(t, 40, 50);
    expect(doc.annotations.map((a) => a.points)).to.deep.equal([
      [
        [10, 10],
        [40, 50],
      ],
    ]);
    expect(changes()).to.equal(1);
  });

  it('three clicks draw an angle with its vertex in the middle; Backspace takes back a point', () => {
    const { doc, ed, changes } = rig();
    const t = ed.tools.angle;
    click(t, 10, 100);
    click(t, 50, 50);
    expect(t.onKeyDown({ key: 'Backspace' }, ['polygon-remove-vertex', 'delete'])).to.equal(true);
    expect(doc.size).to.equal(0);
    click(t, 10, 10);
    expect(changes()).to.equal(0);
    click(t, 100, 10);
    expect(changes()).to.equal(1);
    const a = doc.annotations[0]!;
    expect(a.kind).to.equal('angle');
    expect(a.points).to.deep.equal([
      [10, 100],
      [10, 10],
      [100, 10],
    ]);
    expect(vertexAngle(a.points!)).to.be.closeTo(90, 1e-12);
  });

  it('a drag draws the first arm of an angle; the third click commits', () => {
    const { doc, ed } = rig();
    const t = ed.tools.angle;
    drag(t, [20, 80], [20, 20]);
    expect(t.state).to.equal('placing');
    click(t, 80, 20);
    expect(doc.annotations[0]!.points).to.deep.equal([
      [20, 80],
      [20, 20],
      [80, 20],
    ]);
  });

  it('drags a point of the selected measurement, or the whole of it, as one undo step each', () => {
    const { doc, ed, changes } = rig();
    const t = ed.tools.line;
    drag(t, [10, 10], [50, 10]);
    const id = doc.annotations[0]!.id;
    drag(t, [50, 10], [90, 10]);
    expect(doc.get(id)!.points).to.deep.equal([
      [10, 10],
      [90, 10],
    ]);
    drag(t, [30, 10], [30, 40]);
    expect(doc.get(id)!.points).to.deep.equal([
      [10, 40],
      [90, 40],
    ]);
    expect(changes()).to.equal(3);
    ed.run('undo');
    expect(doc.get(id)!.points).to.deep.equal([
      [10, 10],
      [90, 10],
    ]);
  });

  it('draws nothing when the active label does not allow the kind', () => {
    const { doc, ed } = rig(['box']);
    drag(ed.tools.line, [10, 10], [50, 10]);
    expect(doc.size).to.equal(0);
    expect(ed.tools.angle.blockedReason).to.match(/does not allow angles/);
  });
});

/** 8×6×2 int16 stack: stored value = x + 10·y + 100·z, modality value = 2·stored − 50; 0.5 × 0.25 mm pixels. */
function rampStack() {
  const frames = [0, 1].map((z) => {
    const f = new Int16Array(8 * 6);
    for (let y = 0; y < 6; y++) for (let x = 0; x < 8; x++) f[y * 8 + x] = x + 10 * y + 100 * z;
    return f;
  });
  return createImageStack({
    width: 8,
    height: 6,
    frames,
    dataType: 'int16',
    spacing: [0.5, 0.25, 3],
    rescaleSlope: 2,
    rescaleIntercept: -50,
  });
}
const modality = (x: number, y: number, z: number) => 2 * (x + 10 * y + 100 * z) - 50;

function expected(pixels: [number, number][], z: number) {
  const values = pixels.map(([x, y]) => modality(x, y, z));
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  const sd = Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / values.length);
  return { mean, sd, min: Math.min(...values), max: Math.max(...values), count: values.length };
}

function expectStats(actual: object, want: Record<string, number>) {
  for (const [k, v] of Object.entries(want))
    expect((actual as Record<string, number>)[k], k).to.be.closeTo(v, 1e-9 * Math.max(1, Math.abs(v)));
}

describe('document.statistics', () => {
  let doc: AnnotationDocument;
  beforeEach(() => {
    doc = createAnnotationDocument({ width: 8, height: 6, depth: 2 });
  });

  it('gives exact statistics of a box in modality units, with its area in mm²', async () => {
    const a = doc.add({ label: 'l', kind: 'box', slice: 1, box: { x: 2, y: 1, width: 3, height: 2 } });
    const pixels: [number, number][] = [];
    for (let y = 1; y < 3; y++) for (let x = 2; x < 5; x++) pixels.push([x, y]);
    const s = await doc.statistics(a.id, rampStack());
    expect(s).to.include({ id: a.id, kind: 'box', count: 6 });
    expectStats(s, { ...expected(pixels, 1), areaMm2: 6 * 0.5 * 0.25 });
  });

  it('gives exact statistics of a polygon (pixels whose centres are inside) and of a mask', async () => {
    const tri = doc.add({
      label: 'l',
      kind: 'polygon',
      slice: 0,
      points: [
        [0, 0],
        [4, 0],
        [0, 4],
      ],
    });
    // Centres (x + .5, y + .5) with x + y + 1 < 4.
    const inside: [number, number][] = [];
    for (let y = 0; y < 4; y++) for (let x = 0; x < 4; x++) if (x + y + 1 < 4) inside.push([x, y]);
    expectStats(await doc.statistics(tri.id, rampStack()), {
      ...expected(inside, 0),
      areaMm2: inside.length * 0.125,
    });
    const data = new Uint8Array(8 * 6);
    const px: [number, number][] = [
      [7, 5],
      [0, 5],
      [3, 2],
    ];
    for (const [x, y] of px) data[y * 8 + x] = 1;
    const m = doc.add({ label: 'l', kind: 'mask', slice: 1, mask: { data } });
    expectStats(await doc.statistics(m.id, rampStack()), { ...expected(px, 1), areaMm2: 3 * 0.125 });
  });

  it('gives exact statistics of a volume over all its slices, with its volume in mm³', async () => {
    const data = new Uint8Array(8 * 6 * 2);
    const voxels: [number, number, number][] = [
      [1, 1, 0],
      [6, 4, 0],
      [2, 5, 1],
      [7, 0, 1],
      [3, 3, 1],
    ];
    for (const [x, y, z] of voxels) data[z * 48 + y * 8 + x] = 1;
    const v = doc.add({ label: 'l', kind: 'volume', slice: 0, mask: { data } });
    const values = voxels.map(([x, y, z]) => modality(x, y, z));
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    const sd = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length);
    const s = await doc.statistics(v.id, rampStack());
    expect(s).to.include({ kind: 'volume', count: 5 });
    expect(s.areaMm2).to.equal(undefined);
    expectStats(s, {
      mean,
      sd,
      min: Math.min(...values),
      max: Math.max(...values),
      volumeMm3: 5 * 0.5 * 0.25 * 3,
    });
  });

  it('gives a line its length in mm and an angle its degrees', async () => {
    const line = doc.add({
      label: 'l',
      kind: 'line',
      slice: 0,
      points: [
        [0, 0],
        [6, 4],
      ],
    });
    const angle = doc.add({
      label: 'l',
      kind: 'angle',
      slice: 0,
      points: [
        [4, 0],
        [0, 0],
        [0, 4],
      ],
    });
    const s = await doc.statistics(line.id, rampStack());
    expect(s).to.deep.equal({ id: line.id, kind: 'line', lengthMm: Math.hypot(3, 1) });
    // 4 px at 0.5 mm across and 4 px at 0.25 mm down still meet at a right angle.
    expect((await doc.statistics(angle.id, rampStack())).angleDeg).to.be.closeTo(90, 1e-12);
  });

  it('refuses an unknown id and a stack of another size', async () => {
    const a = doc.add({ label: 'l', kind: 'box', slice: 0, box: { x: 0, y: 0, width: 1, height: 1 } });
    expect((await voxmarkRejection(doc.statistics('nope', rampStack()))).code).to.equal('not-found');
    const other = createAnnotationDocument({ width: 9, height: 6, depth: 2 });
    other.add({ id: a.id, label: 'l', kind: 'box', slice: 0, box: { x: 0, y: 0, width: 1, height: 1 } });
    expect((await voxmarkRejection(other.statistics(a.id, rampStack()))).code).to.equal('invalid-argument');
  });
});
