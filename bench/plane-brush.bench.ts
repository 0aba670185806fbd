/**
 * The brush tool painting a volume annotation in the coronal plane of a 512×512×300 CT-sized series (0.7 mm
 * pixels, 1.25 mm slices), the whole path a viewer takes short of drawing: a 20 mm brush dragged 100 mm down
 * the frame, each pointer move painting through the plane and rebuilding the plane's preview of the edit,
 * then the commit into the document as one change set (budget ≤ 50 ms for the commit).
 */
import { createAnnotationDocument } from '../src/core/annotation/document.js';
import { reformatStack } from '../src/core/image/reformat.js';
import { createImageStack } from '../src/core/image/stack.js';
import { AnnotationEditor } from '../src/core/tools/editor.js';
import { summarise, time, type Report } from './harness.js';

const group = 'plane brush';
const [SIZE, DEPTH, PIXEL, STEP] = [512, 300, 0.7, 1.25];

export default async function run(report: Report): Promise<void> {
  const blank = new Uint16Array(SIZE * SIZE);
  const stack = createImageStack({
    width: SIZE,
    height: SIZE,
    frames: Array.from({ length: DEPTH }, () => blank),
    dataType: 'uint16',
    spacing: [PIXEL, PIXEL, STEP],
    metadata: { imageOrientationPatient: [1, 0, 0, 0, 1, 0] },
  });
  const coronal = reformatStack(stack, 'coronal');
  const size = Math.round(20 / PIXEL); // 20 mm in coronal columns
  // 100 mm down the frame (rows are 1.25 mm), one pointer sample per row.
  const path = Array.from({ length: 80 }, (_, n) => [256.5, 100.5 + n] as [number, number]);
  const moves: number[] = [];
  let doc = createAnnotationDocument({ width: SIZE, height: SIZE, depth: DEPTH });
  let ed: AnnotationEditor;
  const fresh = () => {
    doc = createAnnotationDocument({ width: SIZE, height: SIZE, depth: DEPTH });
    ed = new AnnotationEditor({
      document: doc,
      slice: 256,
      activeLabel: 'liver',
      pixelSize: 1,
      plane: coronal,
      changed() {},
    });
    ed.setOptions({ brushSize: size });
    const brush = ed.tools.brush;
    brush.onPointerDown({ x: path[0]![0], y: path[0]![1], button: 0 });
    for (const [x, y] of path.slice(1)) {
      const t0 = performance.now();
      brush.onPointerMove({ x, y, button: 0 });
      void brush.preview;
      moves.push(performance.now() - t0);
    }
  };
  const commit = await time(() => ed.tools.brush.complete(), { iterations: 15, warmup: 2, setup: fresh });
  const move = summarise(moves);
  const id = doc.annotations[0]!.id;
  const slices = doc.getSparseVolume(id)!.paintedSlices().length;
  report({
    group,
    name: '20 mm brush, 100 mm coronal stroke: pointer move incl. plane preview (median)',
    value: move.median,
    unit: 'ms',
    note: `p95 ${move.p95.toFixed(2)} ms, max ${move.max.toFixed(1)} ms`,
  });
  report({
    group,
    name: 'the same stroke: commit into the document, one change set (median)',
    value: commit.median,
    unit: 'ms',
    note: `max ${commit.max.toFixed(1)} ms; ${slices} axial slices in one undo step; budget 50 ms`,
  });
}
