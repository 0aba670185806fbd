/**
 * Measurement benchmarks: `document.statistics` of a 200×200 box, a liver-sized mask (≈ 45 k pixels) on a
 * 512² CT slice, and a ≈ 1.1 M-voxel volume across a 512×512×100 stack. Baseline in the same run: a bare loop
 * over the same pixels of the same frames (no region building, no frame reading).
 */
import { createAnnotationDocument } from '../src/core/annotation/document.js';
import { createImageStack } from '../src/core/image/stack.js';
import { time, type Report } from './harness.js';

const group = 'measure';
const N = 512;

function ct(depth: number) {
  const frames = Array.from({ length: depth }, (_, z) => {
    const f = new Int16Array(N * N);
    for (let i = 0; i < f.length; i++) f[i] = ((i * 7 + z * 13) % 2000) - 1000;
    return f;
  });
  return {
    frames,
    stack: createImageStack({ width: N, height: N, frames, dataType: 'int16', spacing: [0.7, 0.7, 2.5] }),
  };
}

/** The bare sum and sum of squares over the masked pixels of one frame. */
function bare(frame: Int16Array, mask: Uint8Array): number {
  let s = 0;
  let q = 0;
  for (let i = 0; i < mask.length; i++)
    if (mask[i]) {
      s += frame[i]!;
      q += frame[i]! * frame[i]!;
    }
  return s + q;
}

export default async function run(report: Report): Promise<void> {
  const depth = 100;
  const { frames, stack } = ct(depth);
  const doc = createAnnotationDocument({ width: N, height: N, depth });
  const box = doc.add({
    label: 'l',
    kind: 'box',
    slice: 50,
    box: { x: 100, y: 100, width: 200, height: 200 },
  });
  const disc = new Uint8Array(N * N);
  for (let y = 0; y < N; y++)
    for (let x = 0; x < N; x++) if ((x - 300) ** 2 + (y - 240) ** 2 < 120 * 120) disc[y * N + x] = 1;
  const mask = doc.add({ label: 'l', kind: 'mask', slice: 50, mask: { data: disc } });
  const sphere = new Uint8Array(N * N * depth);
  for (let z = 0; z < depth; z++)
    for (let y = 0; y < N; y++)
      for (let x = 0; x < N; x++)
        if ((x - 256) ** 2 + (y - 256) ** 2 + ((z - 50) * 3.5) ** 2 < 90 * 90)
          sphere[z * N * N + y * N + x] = 1;
  const volume = doc.add({ label: 'l', kind: 'volume', slice: 0, mask: { data: sphere } });

  const boxMask = new Uint8Array(N * N);
  for (let y = 100; y < 300; y++) boxMask.fill(1, y * N + 100, y * N + 300);
  for (const [name, id, base] of [
    ['statistics of a 200×200 box on a 512² slice', box.id, () => bare(frames[50]!, boxMask)],
    ['statistics of a 45 k-pixel mask on a 512² slice', mask.id, () => bare(frames[50]!, disc)],
  ] as const) {
    const t = await time(() => doc.statistics(id, stack), { iterations: 20, warmup: 3 });
    const b = await time(base, { iterations: 20, warmup: 3 });
    report({
      group,
      name,
      value: t.median,
      unit: 'ms',
      baseline: b.median,
      note: `p95 ${t.p95.toFixed(2)} ms`,
    });
  }
  const count = sphere.reduce((s, v) => s + v, 0);
  const t = await time(() => doc.statistics(volume.id, stack), { iterations: 5, warmup: 1 });
  const b = await time(
    () => {
      let s = 0;
      for (let z = 0; z < depth; z++) s += bare(frames[z]!, sphere.subarray(z * N * N, (z + 1) * N * N));
      return s;
    },
    { iterations: 5, warmup: 1 },
  );
  report({
    group,
    name: `statistics of a ${(count / 1e6).toFixed(1)} M-voxel volume over 512×512×100`,
    value: t.median,
    unit: 'ms',
    baseline: b.median,
    note: `p95 ${t.p95.toFixed(2)} ms`,
  });
}
