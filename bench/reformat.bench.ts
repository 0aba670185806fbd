/**
 * Planes and volume masks on a 512×512×300 CT-sized series (0.7 mm pixels, 1.25 mm slices):
 * - the first coronal frame once the axial stack is decoded (budget ≤ 150 ms), aligned and oblique;
 * - building frames while scrolling a reformatted plane for 240 frames (budget: none over 17.5 ms), with the
 *   animation-frame intervals of the same scroll;
 * - committing a 20 mm brush stroke painted in the coronal plane into a volume mask (budget ≤ 50 ms);
 * - the memory of a 1.5 M-voxel (liver-sized) volume mask (budget ≤ 4 MiB).
 * Baselines: copying the axial frame itself (what an acquisition-plane viewer does) and a dense mask volume.
 */
import { LazyImageStack } from '../src/core/image/stack.js';
import { type ReformattedStack, reformatStack } from '../src/core/image/reformat.js';
import type { ImageStack } from '../src/core/image/types.js';
import { SparseVolume } from '../src/core/mask/sparse-volume.js';
import { paintPlaneStroke, paintSphere, paintSphereStroke, planeMask } from '../src/core/mask/paint-3d.js';
import { phantomSliceStored } from '../stories/data/phantom.js';
import { frameTimes, gc, memory, mib, summarise, time, type Report } from './harness.js';

const group = 'planes';
const SIZE = 512;
const DEPTH = 300;
const PIXEL = 0.7;
const STEP = 1.25;
const SCROLL_FRAMES = 240;

/** Direction cosines of an axial series tilted by `degrees` about the left-right axis (a gantry-free tilt). */
function orientation(degrees: number): [number, number, number, number, number, number] {
  const a = (degrees * Math.PI) / 180;
  return [1, 0, 0, 0, Math.cos(a), Math.sin(a)];
}

/** A CT series with patient geometry: 20 distinct phantom slices, offset per slice so every frame differs. */
function ctSeries(tiltDegrees: number): ImageStack {
  const bases = Array.from({ length: 20 }, (_, i) =>
    phantomSliceStored(i * 3, { size: SIZE, depth: 60, noise: 8 }),
  );
  const frames = Array.from({ length: DEPTH }, (_, z) => {
    const f = new Uint16Array(bases[Math.floor((z * bases.length) / DEPTH)]!);
    for (let i = z % 97; i < f.length; i += 97) f[i] = f[i]! + 1;
    return f;
  });
  const iop = orientation(tiltDegrees);
  const normal = [0, -iop[5], iop[4]];
  return new LazyImageStack({
    format: 'dicom',
    width: SIZE,
    height: SIZE,
    samplesPerPixel: 1,
    dataType: 'uint16',
    spacing: [PIXEL, PIXEL, STEP],
    slices: frames.map((_, z) => ({
      position: [-180, -180 + normal[1]! * STEP * z, -200 + normal[2]! * STEP * z] as [
        number,
        number,
        number,
      ],
    })),
    metadata: { modality: 'CT', imageOrientationPatient: iop, storedRange: [0, 4095] },
    decode: async (z) => ({
      width: SIZE,
      height: SIZE,
      samplesPerPixel: 1,
      data: frames[z]!,
      rescaleSlope: 1,
      rescaleIntercept: -1024,
    }),
  });
}

async function decodeAll(stack: ImageStack): Promise<void> {
  for (let z = 0; z < stack.depth; z++) await stack.getFrame(z);
}

async function firstFrame(
  report: Report,
  stack: ImageStack,
  label: string,
  baseline?: number,
): Promise<void> {
  let plane: ReformattedStack | undefined;
  const t = await time(() => plane!.getFrame(Math.floor(plane!.depth / 2)), {
    iterations: 10,
    warmup: 2,
    setup: () => {
      plane = reformatStack(stack, 'coronal');
    },
  });
  report({
    group,
    name: `first coronal frame, ${label} (median)`,
    value: t.median,
    unit: 'ms',
    ...(baseline === undefined ? {} : { baseline }),
    note: `max ${t.max.toFixed(1)} ms; budget 150 ms; ${plane!.width}×${plane!.height}`,
  });
}

/** Builds frames one per animation frame while scrolling through a fresh plane. */
async function scroll(report: Report, plane: ReformattedStack, label: string): Promise<void> {
  const work: number[] = [];
  const start = Math.max(0, Math.floor(plane.depth / 2) - SCROLL_FRAMES / 2);
  const intervals = await frameTimes(SCROLL_FRAMES, async (n) => {
    const t0 = performance.now();
    await plane.getFrame(Math.min(plane.depth - 1, start + n));
    work.push(performance.now() - t0);
  });
  const w = summarise(work);
  report({
    group,
    name: `scroll ${label}: slowest frame build (of ${SCROLL_FRAMES})`,
    value: w.max,
    unit: 'ms',
    note: `median ${w.median.toFixed(2)}, p95 ${w.p95.toFixed(2)} ms, slowest at step ${work.indexOf(w.max)}; budget 17.5 ms`,
  });
  report({
    group,
    name: `scroll ${label}: longest animation frame`,
    value: intervals.max,
    unit: 'ms',
    note: `median ${intervals.median.toFixed(1)} ms; ${intervals.samples.filter((v) => v > 17.5).length} over 17.5 ms`,
  });
}

async function strokes(report: Report, stack: ImageStack): Promise<void> {
  const coronal = reformatStack(stack, 'coronal');
  // An existing liver-sized mask the stroke crosses (so the edit copies shared tiles, as in real work).
  const liver = new SparseVolume(SIZE, SIZE, DEPTH);
  const e = liver.edit();
  paintSphere(e, [256, 240, 150], 2, [1 / 100, 1 / 80, 1 / 45]);
  e.commit();
  // A drag across the coronal plane that leaves the mask: 20 pointer samples over 100 mm, 20 mm brush.
  const path = Array.from({ length: 20 }, (_, n) => [300 + n * 7.5, 90 + 25 * Math.sin(n / 3)] as const);
  let volume = liver;
  let slicesTouched = 0;
  const paintAndCommit = () => {
    const edit = volume.edit();
    for (let n = 1; n < path.length; n++) {
      const [ax, ay] = path[n - 1]!;
      const [bx, by] = path[n]!;
      paintPlaneStroke(edit, coronal, 240, ax, ay, bx, by, 20);
    }
    slicesTouched = edit.commit()?.slices.length ?? 0;
  };
  const t = await time(paintAndCommit, {
    iterations: 20,
    warmup: 3,
    setup: () => {
      volume = liver.clone();
    },
  });
  report({
    group,
    name: '20 mm coronal stroke: paint + commit (median)',
    value: t.median,
    unit: 'ms',
    note: `max ${t.max.toFixed(1)} ms; ${slicesTouched} axial slices in one memo; budget 50 ms`,
  });
  let edit = volume.edit();
  const commit = await time(() => edit.commit(), {
    iterations: 20,
    warmup: 3,
    setup: () => {
      volume = liver.clone();
      edit = volume.edit();
      for (let n = 1; n < path.length; n++)
        paintPlaneStroke(edit, coronal, 240, ...path[n - 1]!, ...path[n]!, 20);
    },
  });
  // Showing the mask in the plane: what a coronal view draws on every frame change.
  let row = 0;
  const shown = await time(() => planeMask(liver, coronal, 200 + (row++ % 80)), {
    iterations: 40,
    warmup: 3,
  });
  report({
    group,
    name: 'liver mask sampled into a coronal frame (median)',
    value: shown.median,
    unit: 'ms',
    note: `max ${shown.max.toFixed(1)} ms; ${coronal.width}×${coronal.height}`,
  });
  // The 3D brush: a 20 mm ball swept along the same drag.
  const centres = path.map(([x, y]) => coronal.toSource(x - 0.5, y - 0.5, 240));
  const axes = coronal.sourceGeometry.axes;
  let voxels = 0;
  const ball = await time(
    () => {
      const e3 = volume.edit();
      for (let n = 1; n < centres.length; n++) paintSphereStroke(e3, centres[n - 1]!, centres[n]!, 20, axes);
      voxels = e3.commit()?.slices.length ?? 0;
    },
    {
      iterations: 10,
      warmup: 2,
      setup: () => {
        volume = liver.clone();
      },
    },
  );
  report({
    group,
    name: '20 mm 3D brush stroke: paint + commit (median)',
    value: ball.median,
    unit: 'ms',
    note: `max ${ball.max.toFixed(1)} ms; ${voxels} axial slices in one memo`,
  });
  report({
    group,
    name: '20 mm coronal stroke: commit alone (median)',
    value: commit.median,
    unit: 'ms',
    note: `max ${commit.max.toFixed(2)} ms`,
  });
}

async function volumeMemory(report: Report): Promise<void> {
  gc();
  const before = await memory();
  const volume = new SparseVolume(SIZE, SIZE, DEPTH);
  const edit = volume.edit();
  // An ellipsoid of radii 100 × 80 × 45 voxels: about 1.5 M voxels.
  paintSphere(edit, [256, 240, 150], 2, [1 / 100, 1 / 80, 1 / 45]);
  edit.commit();
  const after = await memory();
  const empty = new SparseVolume(SIZE, SIZE, DEPTH);
  report({
    group,
    name: `volume mask of ${(volume.voxelCount() / 1e6).toFixed(2)} M voxels (accounted)`,
    value: mib(volume.bytes),
    unit: 'MiB',
    baseline: mib(SIZE * SIZE * DEPTH),
    note: `${volume.tileCount} tiles; budget 4 MiB; baseline = dense volume; empty volume ${empty.bytes} B`,
  });
  report({
    group,
    name: 'volume mask of 1.5 M voxels (measured)',
    value: mib(after.bytes - before.bytes),
    unit: 'MiB',
    note: `${after.source}; heap grows by other allocations too`,
  });
  // Keep the volume alive until measured.
  if (volume.isEmpty()) throw new Error('the volume is empty');
}

export default async function run(report: Report): Promise<void> {
  await volumeMemory(report);

  const axial = ctSeries(0);
  await decodeAll(axial);
  const copy = await time(async () => new Uint16Array((await axial.getFrame(150)).data as Uint16Array), {
    iterations: 10,
  });
  await firstFrame(report, axial, 'axial series', copy.median);
  await scroll(report, reformatStack(axial, 'coronal'), 'coronal');
  await scroll(report, reformatStack(axial, 'sagittal'), 'sagittal');
  await strokes(report, axial);

  const oblique = ctSeries(12);
  await decodeAll(oblique);
  await firstFrame(report, oblique, 'oblique series (12°, nearest)');
  await scroll(report, reformatStack(oblique, 'coronal'), 'oblique coronal, nearest');
  await scroll(
    report,
    reformatStack(oblique, 'coronal', { interpolation: 'linear' }),
    'oblique coronal, trilinear',
  );
}
