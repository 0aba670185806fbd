/**
 * Volume annotations in a document, on a 512×512×300 CT-sized stack (0.7 mm pixels, 1.25 mm slices):
 * - loading a liver-sized model prediction (about 1.5 M voxels) with `document.add({ kind: 'volume' })`;
 * - a 20 mm brush stroke dragged over 100 mm in the coronal plane through `document.editVolume`, committed as
 *   one undo step (budget ≤ 50 ms), with what the history keeps for it, and its undo and redo;
 * - the voxmark JSON of the volume after a stroke (only the slices it touched are encoded again; baseline:
 *   encoding every slice); `getVolume` (the dense copy a host asks for).
 * Baseline of the stroke: the same stroke on a bare `SparseVolume` (no document).
 */
import { createAnnotationDocument } from '../src/core/annotation/document.js';
import { volumeOf } from '../src/core/annotation/shapes.js';
import { VolumeHandle } from '../src/core/annotation/types.js';
import { LazyImageStack } from '../src/core/image/stack.js';
import { reformatStack } from '../src/core/image/reformat.js';
import type { ImageStack } from '../src/core/image/types.js';
import { paintPlaneStroke } from '../src/core/mask/paint-3d.js';
import { SparseVolume } from '../src/core/mask/sparse-volume.js';
import { mib, time, type Report } from './harness.js';

const group = 'volume annotations';
const SIZE = 512;
const DEPTH = 300;

/** Geometry only: painting never reads pixels. */
function ctGeometry(): ImageStack {
  const data = new Uint16Array(SIZE * SIZE);
  return new LazyImageStack({
    format: 'dicom',
    width: SIZE,
    height: SIZE,
    samplesPerPixel: 1,
    dataType: 'uint16',
    spacing: [0.7, 0.7, 1.25],
    slices: Array.from({ length: DEPTH }, (_, z) => ({
      position: [-180, -180, -200 + 1.25 * z] as [number, number, number],
    })),
    metadata: { modality: 'CT', imageOrientationPatient: [1, 0, 0, 0, 1, 0] },
    decode: async () => ({
      width: SIZE,
      height: SIZE,
      samplesPerPixel: 1,
      data,
      rescaleSlope: 1,
      rescaleIntercept: 0,
    }),
  });
}

/** An ellipsoid of radii 100 × 80 × 45 voxels around (256, 240, 150): about 1.5 M voxels. */
function liverPrediction(): Uint8Array {
  const data = new Uint8Array(SIZE * SIZE * DEPTH);
  for (let z = 105; z <= 195; z++)
    for (let y = 160; y <= 320; y++)
      for (let x = 156; x <= 356; x++) {
        const q = ((x - 256) / 100) ** 2 + ((y - 240) / 80) ** 2 + ((z - 150) / 45) ** 2;
        if (q <= 1) data[z * SIZE * SIZE + y * SIZE + x] = 1;
      }
  return data;
}

export default async function run(report: Report): Promise<void> {
  const stack = ctGeometry();
  const coronal = reformatStack(stack, 'coronal');
  const prediction = liverPrediction();
  let doc = createAnnotationDocument({ width: SIZE, height: SIZE, depth: DEPTH });
  let id = '';
  const load = await time(
    () => (id = doc.add({ kind: 'volume', label: 'liver', mask: { data: prediction } }).id),
    {
      iterations: 5,
      setup: () => void (doc = createAnnotationDocument({ width: SIZE, height: SIZE, depth: DEPTH })),
    },
  );
  const volume = volumeOf(doc.get(id)!)!;
  report({
    group,
    name: `load a ${(volume.voxelCount() / 1e6).toFixed(2)} M-voxel prediction (add, median)`,
    value: load.median,
    unit: 'ms',
    note: `max ${load.max.toFixed(0)} ms; holds ${mib(volume.bytes).toFixed(2)} MiB (dense: ${mib(prediction.length).toFixed(0)} MiB)`,
  });

  const path = Array.from({ length: 20 }, (_, n) => [300 + n * 7.5, 90 + 25 * Math.sin(n / 3)] as const);
  const stroke = (edit: Parameters<typeof paintPlaneStroke>[0]) => {
    for (let n = 1; n < path.length; n++)
      paintPlaneStroke(edit, coronal, 240, ...path[n - 1]!, ...path[n]!, 20);
  };
  let slices = 0;
  const base = doc.get(id)!;
  const reset = () => {
    if (doc.get(id) !== base) doc.undo();
  };
  const viaDocument = await time(
    () => {
      const edit = doc.editVolume(id);
      stroke(edit);
      slices = edit.commit()?.slices.length ?? 0;
    },
    { iterations: 20, warmup: 3, setup: reset },
  );
  const bare = await time(
    () => {
      const edit = volume.clone().edit();
      stroke(edit);
      edit.commit();
    },
    { iterations: 20, warmup: 3 },
  );
  report({
    group,
    name: '20 mm coronal stroke via document.editVolume: paint + commit (median)',
    value: viaDocument.median,
    unit: 'ms',
    baseline: bare.median,
    note: `max ${viaDocument.max.toFixed(1)} ms; ${slices} axial slices in one undo step; budget 50 ms; baseline = bare SparseVolume`,
  });
  // What the history keeps for one stroke: the only entry once the history is cleared.
  reset();
  doc.clearHistory();
  const edit = doc.editVolume(id);
  stroke(edit);
  edit.commit();
  const historyBytes = doc.historyBytes;
  const undo = await time(() => doc.undo(), { iterations: 20, setup: () => void doc.redo() });
  report({
    group,
    name: 'history kept for the stroke',
    value: historyBytes / 1024,
    unit: 'KiB',
    note: `the tiles it touched; the whole volume holds ${mib(volume.bytes).toFixed(2)} MiB`,
  });
  report({
    group,
    name: 'undo of the stroke (median)',
    value: undo.median,
    unit: 'ms',
    note: `max ${undo.max.toFixed(2)} ms`,
  });

  // Serialization: a fresh volume (nothing encoded yet), then the version after a stroke of an encoded one.
  let fresh = volume;
  const first = await time(() => JSON.stringify(new VolumeHandle(fresh)), {
    iterations: 5,
    setup: () =>
      void (fresh = SparseVolume.fromVolume({ data: prediction, width: SIZE, height: SIZE, depth: DEPTH })),
  });
  JSON.stringify(base.mask);
  const again = await time(() => JSON.stringify(doc.get(id)!.mask), {
    iterations: 10,
    setup: () => {
      reset();
      const e = doc.editVolume(id);
      stroke(e);
      e.commit();
    },
  });
  report({
    group,
    name: 'voxmark JSON of the volume after a stroke (median)',
    value: again.median,
    unit: 'ms',
    baseline: first.median,
    note: `slices the stroke did not touch reuse their RLE; baseline = encoding every slice`,
  });
  const dense = await time(() => doc.getVolume(id), { iterations: 5 });
  report({
    group,
    name: 'getVolume: the dense copy (median)',
    value: dense.median,
    unit: 'ms',
    note: `${mib(SIZE * SIZE * DEPTH).toFixed(0)} MiB`,
  });
}
