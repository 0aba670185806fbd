/**
 * Dataset export benchmark: CT-like series of 512×512×100 int16 (an organ mask on 60 slices each) exported to
 * an nnU-Net v2 zip, read to the end as a download would be, with time per series and peak memory while it
 * runs. Series are made one at a time by an async generator, as a host streaming hundreds of series would.
 * The issue asks for 20 series (SERIES below).
 */
import type { Annotation, MaskRle } from '../src/core/annotation/types.js';
import { exportDataset } from '../src/core/dataset/export.js';
import type { DatasetItem } from '../src/core/dataset/types.js';
import { maskToRegionRle } from '../src/core/mask/rle.js';
import { LazyImageStack } from '../src/core/image/stack.js';
import type { LabelSchema } from '../src/core/schema/types.js';
import { memory, mib, type Report } from './harness.js';

const SIZE = 512;
const DEPTH = 100;
const SERIES = 20;

const schema: LabelSchema = {
  version: 1,
  labels: [{ id: 'liver', name: 'Liver', color: '#aa5500', kinds: ['mask'] }],
};

/** A CT-like slice: air, a body ellipse of soft tissue with noise, stored values with intercept −1024. */
function ctSlice(z: number, seed: number): Int16Array {
  const out = new Int16Array(SIZE * SIZE);
  let s = (seed * 7919 + z * 104729) >>> 0;
  for (let y = 0; y < SIZE; y++) {
    for (let x = 0; x < SIZE; x++) {
      const dx = (x - 256) / 220;
      const dy = (y - 256) / 170;
      s = (s * 1103515245 + 12345) >>> 0;
      const noise = ((s >>> 16) % 25) - 12;
      out[y * SIZE + x] = dx * dx + dy * dy < 1 ? 1064 + noise : 24 + (noise >> 2);
    }
  }
  return out;
}

function organ(): Uint8Array {
  const m = new Uint8Array(SIZE * SIZE);
  for (let y = 0; y < SIZE; y++)
    for (let x = 0; x < SIZE; x++) if (((x - 300) / 90) ** 2 + ((y - 240) / 70) ** 2 < 1) m[y * SIZE + x] = 1;
  return m;
}

function item(seed: number, mask: MaskRle): DatasetItem {
  const stack = new LazyImageStack({
    format: 'dicom',
    width: SIZE,
    height: SIZE,
    samplesPerPixel: 1,
    dataType: 'int16',
    spacing: [0.7, 0.7, 2],
    windowPresets: [{ name: 'Abdomen', center: 60, width: 400 }],
    slices: Array.from({ length: DEPTH }, (_, z) => ({
      position: [-180, -180, 2 * z] as [number, number, number],
    })),
    metadata: {
      modality: 'CT',
      patientId: `ANON-${seed % 7}`,
      imageOrientationPatient: [1, 0, 0, 0, 1, 0],
      patientIdentityRemoved: 'YES',
    },
    decode: async (z) => ({
      width: SIZE,
      height: SIZE,
      samplesPerPixel: 1,
      data: ctSlice(z, seed),
      rescaleSlope: 1,
      rescaleIntercept: -1024,
    }),
  });
  const annotations: Annotation[] = Array.from({ length: 60 }, (_, k) => ({
    id: `m${k}`,
    label: 'liver',
    kind: 'mask',
    slice: 20 + k,
    mask,
  }));
  return { stack, document: { annotations } };
}

export default async function run(report: Report) {
  const mask = maskToRegionRle(organ(), SIZE, SIZE)!;
  const base = await memory();
  let peak = base.bytes;
  let started = 0;
  let sampled = 0;
  async function* items() {
    for (let i = 0; i < SERIES; i++) yield item(i + 1, mask);
  }
  const t0 = performance.now();
  const stream = await exportDataset(items(), {
    formats: ['nnunet'],
    schema,
    name: 'bench',
    onProgress: (p) => {
      // Reported at the start (done = n) and at the end (done = n + 1) of series n.
      if (p.phase === 'series' && p.done < p.total) started = Math.max(started, p.done + 1);
    },
  });
  const reader = stream.getReader();
  let bytes = 0;
  let measuring = 0;
  while (true) {
    const { done, value } = await reader.read();
    if (done) break;
    bytes += value.byteLength;
    // Sample memory once per series, at its first file in the zip: its image and label volumes are built and
    // its frames are cached, the most it holds at once (the time taken is excluded below).
    if (started > sampled) {
      sampled = started;
      const m0 = performance.now();
      peak = Math.max(peak, (await memory()).bytes);
      measuring += performance.now() - m0;
    }
  }
  const ms = performance.now() - t0 - measuring;
  peak = Math.max(peak, (await memory()).bytes);
  report({
    group: 'dataset',
    name: `nnU-Net zip, ${SERIES} series of 512×512×100 int16`,
    value: ms / 1000,
    unit: 's',
    note: `${(ms / SERIES / 1000).toFixed(2)} s per series, zip ${mib(bytes).toFixed(0)} MiB`,
  });
  report({
    group: 'dataset',
    name: 'peak memory above the start',
    value: mib(peak - base.bytes),
    unit: 'MiB',
    note: `sampled in each series (${base.source}); one series is ${mib(SIZE * SIZE * DEPTH * 2).toFixed(0)} MiB of int16`,
  });
}
