/**
 * Export benchmarks: one mask annotation on every slice of a 512×512×300 DICOM-like stack, exported to
 * COCO, DICOM SEG and NIfTI; COCO RLE encode and decode of a 512² and a 2048² mask.
 * Targets: RLE encode ≤ 1 ms at 512²; the full COCO export ≤ 300 ms.
 */
import { AnnotationDocument } from '../src/core/annotation/document.js';
import { toCoco, toCocoAsync } from '../src/core/formats/coco.js';
import { serializeDocument, parseDocument } from '../src/core/formats/document.js';
import { toNifti } from '../src/core/formats/nifti.js';
import { decodeRle, encodeRle, maskToRegionRle } from '../src/core/mask/rle.js';
import { toDicomSeg } from '../src/core/formats/seg.js';
import type { LabelSchema } from '../src/core/schema/types.js';
import { testStack } from '../test/core/formats/helpers.js';
import { time, type Report } from './harness.js';

const SIZE = 512;
const SLICES = 300;

const schema: LabelSchema = {
  version: 1,
  labels: [
    { id: 'liver', name: 'Liver', color: '#aa5500', kinds: ['mask'] },
    { id: 'lesion', name: 'Lesion', color: '#ff0000', kinds: ['mask', 'box'], parent: 'liver' },
  ],
};

/** An organ-like blob: an ellipse with a wavy, noisy edge (many runs per column, like a real brush mask). */
function organMask(size: number, z: number): Uint8Array {
  const m = new Uint8Array(size * size);
  const cx = size * (0.45 + 0.05 * Math.sin(z / 40));
  const cy = size * 0.5;
  const rx = size * (0.22 + 0.04 * Math.cos(z / 30));
  const ry = size * 0.17;
  let seed = (z + 7) * 2654435761;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const dx = (x - cx) / rx;
      const dy = (y - cy) / ry;
      const a = Math.atan2(dy, dx);
      const r = 1 + 0.08 * Math.sin(7 * a + z / 9);
      seed = (seed * 1103515245 + 12345) >>> 0;
      const jitter = ((seed >>> 16) % 100) / 2500;
      if (dx * dx + dy * dy < (r + jitter) * (r + jitter)) m[y * size + x] = 1;
    }
  }
  return m;
}

export default async function run(report: Report) {
  // ---- RLE ----
  for (const size of [512, 2048]) {
    const mask = organMask(size, 3);
    const enc = await time(() => encodeRle(mask, size, size), {
      iterations: size === 512 ? 50 : 10,
      warmup: 3,
    });
    const rle = encodeRle(mask, size, size);
    report({
      group: 'COCO RLE',
      name: `encode ${size}²`,
      value: enc.median,
      unit: 'ms',
      note: `p95 ${enc.p95.toFixed(2)} ms, ${(rle.counts as string).length} chars; target ≤ 1 ms at 512²`,
    });
    const out = new Uint8Array(size * size);
    const dec = await time(() => decodeRle(rle, out), { iterations: size === 512 ? 50 : 10, warmup: 3 });
    report({
      group: 'COCO RLE',
      name: `decode ${size}²`,
      value: dec.median,
      unit: 'ms',
      note: `p95 ${dec.p95.toFixed(2)} ms`,
    });
  }

  // ---- a 512×512×300 document with one mask per slice ----
  const stack = testStack({ width: SIZE, height: SIZE, depth: SLICES, spacing: [0.7, 0.7, 1] });
  const masks = Array.from({ length: SLICES }, (_, z) => organMask(SIZE, z));
  const regions = masks.map((m) => maskToRegionRle(m, SIZE, SIZE)!);
  const build = () => {
    const doc = new AnnotationDocument({ width: SIZE, height: SIZE, depth: SLICES });
    doc.add(
      regions.map((mask, z) => ({ label: 'liver', kind: 'mask' as const, slice: z, mask })),
      { origin: 'silent' },
    );
    return doc;
  };

  // Cold: a fresh document, whose masks have not been serialized yet (includes its RLE encoding).
  let fresh = build();
  const cold = await time(() => toCoco(fresh, stack, schema), {
    iterations: 3,
    warmup: 0,
    setup: () => {
      fresh = build();
    },
  });
  report({
    group: 'export 512×512×300, 300 masks',
    name: 'COCO (fresh document)',
    value: cold.median,
    unit: 'ms',
    note: 'includes the document encoding its masks; target ≤ 300 ms',
  });

  const doc = build();
  const coco = await time(() => toCoco(doc, stack, schema), { iterations: 5 });
  report({
    group: 'export 512×512×300, 300 masks',
    name: 'COCO',
    value: coco.median,
    unit: 'ms',
    note: `p95 ${coco.p95.toFixed(1)} ms; target ≤ 300 ms`,
  });
  const cocoAsync = await time(() => toCocoAsync(doc, stack, schema), { iterations: 5 });
  report({
    group: 'export 512×512×300, 300 masks',
    name: 'COCO (chunked, yields to the page)',
    value: cocoAsync.median,
    unit: 'ms',
  });
  const json = JSON.stringify(toCoco(doc, stack, schema));
  report({
    group: 'export 512×512×300, 300 masks',
    name: 'COCO JSON size',
    value: json.length / 1024,
    unit: 'KiB',
  });

  // Polygons and boxes: COCO area is pycocotools' rasterized count (rleFrPoly), boxes carry their corners.
  const outlines = new AnnotationDocument({ width: SIZE, height: SIZE, depth: SLICES });
  outlines.add(
    Array.from({ length: SLICES }, (_, z) => {
      const points: [number, number][] = [];
      for (let k = 0; k < 128; k++) {
        const a = (k / 128) * 2 * Math.PI;
        const r = 120 + 40 * Math.sin(5 * a + z / 30);
        points.push([256 + r * Math.cos(a), 256 + 0.8 * r * Math.sin(a)]);
      }
      return { label: 'liver', kind: 'polygon' as const, slice: z, points };
    }),
    { origin: 'silent' },
  );
  outlines.add(
    Array.from({ length: SLICES }, (_, z) => ({
      label: 'liver',
      kind: 'box' as const,
      slice: z,
      box: { x: 100.5, y: 80.25, width: 300, height: 200 + (z % 50) },
    })),
    { origin: 'silent' },
  );
  const polygons = await time(() => toCoco(outlines, stack, schema), { iterations: 5 });
  report({
    group: 'export 512×512×300, 300 polygons + 300 boxes',
    name: 'COCO (pycocotools polygon area)',
    value: polygons.median,
    unit: 'ms',
    note: `128-vertex polygons; p95 ${polygons.p95.toFixed(1)} ms`,
  });

  const seg = await time(() => toDicomSeg(doc, stack, schema), { iterations: 3 });
  report({
    group: 'export 512×512×300, 300 masks',
    name: 'DICOM SEG',
    value: seg.median,
    unit: 'ms',
    note: `p95 ${seg.p95.toFixed(1)} ms`,
  });
  const nii = await time(() => toNifti(doc, stack, schema), { iterations: 3 });
  report({ group: 'export 512×512×300, 300 masks', name: 'NIfTI .nii', value: nii.median, unit: 'ms' });
  const niigz = await time(() => toNifti(doc, stack, schema, { gzip: true }), { iterations: 3 });
  report({ group: 'export 512×512×300, 300 masks', name: 'NIfTI .nii.gz', value: niigz.median, unit: 'ms' });

  const ser = await time(() => JSON.stringify(serializeDocument(doc, { schema, stack })), { iterations: 5 });
  report({
    group: 'export 512×512×300, 300 masks',
    name: 'voxmark JSON serialize',
    value: ser.median,
    unit: 'ms',
  });
  const text = JSON.stringify(serializeDocument(doc, { schema, stack }));
  const parse = await time(() => parseDocument(text), { iterations: 3 });
  report({
    group: 'export 512×512×300, 300 masks',
    name: 'voxmark JSON parse',
    value: parse.median,
    unit: 'ms',
    note: `${(text.length / 1024).toFixed(0)} KiB`,
  });
}
