/**
 * Segment-editor effect benchmarks at the sizes of the speed budgets:
 * - fill between 10 painted slices across 60 slices of 512×512 (budget ≤ 1 s);
 * - islands (keep largest, 6 and 26 connectivity) and splitIslands on a 2 M-voxel mask (budget ≤ 300 ms);
 * - grow from seeds on the 256×256×60 CT phantom: the first result (≤ 3 s) and each added stroke (≤ 300 ms);
 * - a 3 mm margin, both ways, on a liver-sized mask in a 512×512×300 volume (budget ≤ 500 ms);
 * - median smoothing and fill holes on that mask, for reference.
 * Frames of the phantom are generated and cached before timing: the figures are the effects' own cost.
 */
import type { Volume } from '../src/core/mask/volume.js';
import {
  createGrowFromSeedsSession,
  fillBetweenSlices,
  fillHoles,
  islands,
  marginVolume,
  smoothVolume,
  splitIslands,
} from '../src/core/effects/index.js';
import { createPhantomStack, phantomSliceHU } from '../stories/data/phantom.js';
import { time, type Report } from './harness.js';

const group = 'effects';

function blank(width: number, height: number, depth: number): Volume {
  return { data: new Uint8Array(width * height * depth), width, height, depth };
}

function ellipse(v: Volume, z: number, cx: number, cy: number, rx: number, ry: number): void {
  const { width: w, height: h } = v;
  const x0 = Math.max(0, Math.floor(cx - rx));
  const x1 = Math.min(w - 1, Math.ceil(cx + rx));
  for (let y = Math.max(0, Math.floor(cy - ry)); y <= Math.min(h - 1, Math.ceil(cy + ry)); y++)
    for (let x = x0; x <= x1; x++)
      if (((x - cx) / rx) ** 2 + ((y - cy) / ry) ** 2 <= 1) v.data[z * w * h + y * w + x] = 1;
}

/** A liver-like ellipsoid in a 512×512×300 volume, with a smaller second lobe. */
function organ(): Volume {
  const v = blank(512, 512, 300);
  for (let z = 60; z < 240; z++) {
    const t = (z - 150) / 90;
    const s = Math.sqrt(1 - t * t);
    ellipse(v, z, 200 + 20 * t, 260, 120 * s, 90 * s);
    if (z > 100 && z < 180) ellipse(v, z, 330, 230, 40 * s, 30 * s);
  }
  return v;
}

async function fillBetween(report: Report): Promise<void> {
  const v = blank(512, 512, 60);
  for (let k = 0; k < 10; k++) {
    const z = k * 6 + 2;
    ellipse(v, z, 230 + 4 * k, 256, 80 + 8 * Math.sin(k), 60 + 5 * k);
    if (k < 4) ellipse(v, z, 380, 200, 30 - 5 * k, 25); // a lobe that ends
  }
  const t = await time(() => fillBetweenSlices(v), { iterations: 5 });
  report({
    group,
    name: 'fill between 10 painted of 60 slices, 512²',
    value: t.median,
    unit: 'ms',
    note: 'budget ≤ 1000 ms',
  });
}

async function islandsBench(report: Report): Promise<void> {
  // 128³ = 2.1 M voxels: a big blob plus 2000 specks.
  const v = blank(128, 128, 128);
  for (let z = 20; z < 108; z++) ellipse(v, z, 64, 64, 40, 30);
  let seed = 12345;
  const rnd = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  for (let i = 0; i < 2000; i++) v.data[Math.floor(rnd() * v.data.length)] = 1;
  for (const connectivity of [6, 26] as const) {
    const t = await time(() => islands(v, { keep: 'largest', connectivity }), { iterations: 5 });
    report({
      group,
      name: `islands keep largest, ${connectivity}-connected, 2.1 M voxels`,
      value: t.median,
      unit: 'ms',
      note: 'budget ≤ 300 ms',
    });
  }
  const m = await time(() => islands(v, { keep: { minVoxels: 10 } }), { iterations: 5 });
  report({ group, name: 'islands remove < 10 voxels, 2.1 M voxels', value: m.median, unit: 'ms' });
  const s = await time(() => splitIslands(v, { minVoxels: 2 }), { iterations: 3 });
  report({ group, name: 'splitIslands, 2.1 M voxels', value: s.median, unit: 'ms' });
}

async function grow(report: Report): Promise<void> {
  const size = 256;
  const depth = 60;
  const stack = createPhantomStack({ size, depth });
  for (let z = 0; z < depth; z++) await stack.getFrame(z); // generate and cache the phantom's slices
  // Strokes: a disc in the liver, in each lung and in soft tissue on every tenth slice.
  const seeds = blank(size, size, depth);
  const strokes = (z: number, label: number, x: number, y: number, r: number) => {
    for (let dy = -r; dy <= r; dy++)
      for (let dx = -r; dx <= r; dx++)
        if (dx * dx + dy * dy <= r * r) seeds.data[z * size * size + (y + dy) * size + x + dx] = label;
  };
  for (let z = 5; z < depth; z += 10) {
    const hu = phantomSliceHU(z, { size, depth, noise: 0 });
    const at = (x: number, y: number) => hu[y * size + x]!;
    if (at(94, 136) === 60) strokes(z, 1, 94, 136, 6);
    if (at(80, 122) === -860) strokes(z, 2, 80, 122, 5);
    if (at(176, 122) === -860) strokes(z, 2, 176, 122, 5);
    strokes(z, 3, 128, 40, 4); // soft tissue / fat in front
    strokes(z, 3, 12, 12, 4); // air
    strokes(z, 3, 128, 194, 3); // spine
  }
  const first: number[] = [];
  const added: number[] = [];
  for (let run = 0; run < 3; run++) {
    const session = createGrowFromSeedsSession(stack);
    let t0 = performance.now();
    await session.update(seeds);
    first.push(performance.now() - t0);
    const more = { ...seeds, data: seeds.data.slice() };
    for (let k = 0; k < 3; k++) {
      const z = 7 + 10 * k + run;
      for (let dy = -3; dy <= 3; dy++)
        for (let dx = -3; dx <= 3; dx++) more.data[z * size * size + (136 + dy) * size + 94 + dx + 2 * k] = 1;
      t0 = performance.now();
      await session.update({ ...more, data: more.data.slice() });
      added.push(performance.now() - t0);
    }
    session.dispose();
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
  report({
    group,
    name: 'grow from seeds 256×256×60, first result',
    value: median(first),
    unit: 'ms',
    note: 'budget ≤ 3000 ms',
  });
  report({
    group,
    name: 'grow from seeds 256×256×60, per added stroke',
    value: median(added),
    unit: 'ms',
    note: 'budget ≤ 300 ms',
  });
}

async function margins(report: Report): Promise<void> {
  const v = organ();
  const spacing: [number, number, number] = [0.7, 0.7, 1.25];
  const grow = await time(() => marginVolume(v, { mm: 3, spacing }), { iterations: 3 });
  report({
    group,
    name: 'margin +3 mm, liver-sized mask in 512×512×300',
    value: grow.median,
    unit: 'ms',
    note: 'budget ≤ 500 ms',
  });
  const shrink = await time(() => marginVolume(v, { mm: -3, spacing }), { iterations: 3 });
  report({
    group,
    name: 'margin −3 mm, liver-sized mask in 512×512×300',
    value: shrink.median,
    unit: 'ms',
    note: 'budget ≤ 500 ms',
  });
  const med = await time(() => smoothVolume(v, { method: 'median', kernelMm: 3, spacing }), {
    iterations: 3,
  });
  report({ group, name: 'median 3 mm, liver-sized mask in 512×512×300', value: med.median, unit: 'ms' });
  const holes = await time(() => fillHoles(v, { mode: '3d' }), { iterations: 3 });
  report({ group, name: 'fill holes 3D, liver-sized mask in 512×512×300', value: holes.median, unit: 'ms' });
}

/**
 * A fixed reference workload (10⁸ typed-array compare-and-store steps), reported before and after the effects
 * so that figures from a loaded machine can be scaled against the same figure from an idle one.
 */
async function reference(report: Report): Promise<void> {
  const n = 1 << 22;
  const a = new Uint16Array(n).map((_, i) => (i * 2654435761) >>> 20);
  const d = new Int32Array(n).fill(1 << 30);
  const t = await time(
    () => {
      for (let r = 0; r < 24; r++)
        for (let i = 0; i < n - 1; i++) {
          const diff = a[i + 1]! - a[i]!;
          const nd = (diff < 0 ? -diff : diff) + r;
          if (nd < d[i]!) d[i] = nd;
        }
    },
    { iterations: 3 },
  );
  report({
    group,
    name: 'reference workload (10⁸ steps)',
    value: t.median,
    unit: 'ms',
    note: 'scale the figures by this',
  });
}

export default async function run(report: Report): Promise<void> {
  await reference(report);
  await fillBetween(report);
  await islandsBench(report);
  await margins(report);
  await grow(report);
  await reference(report);
}
