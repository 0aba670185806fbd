import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html, type TemplateResult } from 'lit';
import type { Volume } from '../src/core/mask/volume.js';
import {
  fillBetweenSlices,
  growFromSeeds,
  islands,
  marginVolume,
  regionStatistics,
} from '../src/core/effects/index.js';
import { createPhantomStack, phantomSliceHU } from './data/phantom.js';

const meta: Meta = {
  title: 'Core/Segment editor effects',
  parameters: {
    docs: {
      description: {
        component:
          'DOM-free segment-editor effects on volume masks (see docs/effects.md). Each story runs the real ' +
          'function on a synthetic mask or on the CT phantom and draws the slices it produced.',
      },
    },
  },
};
export default meta;
type Story = StoryObj;

const COLOURS: [number, number, number][] = [
  [0, 0, 0],
  [230, 120, 40],
  [60, 160, 255],
  [120, 220, 120],
];

/** One slice as a canvas: grey image (HU in a soft-tissue window) under the label colours. */
function sliceCanvas(v: Volume, z: number, hu?: Float32Array, scale = 2): HTMLCanvasElement {
  const { width: w, height: h } = v;
  const canvas = document.createElement('canvas');
  canvas.width = w;
  canvas.height = h;
  canvas.style.cssText = `width:${w * scale}px;height:${h * scale}px;image-rendering:pixelated;margin:2px`;
  const ctx = canvas.getContext('2d')!;
  const img = ctx.createImageData(w, h);
  for (let i = 0; i < w * h; i++) {
    const g = hu ? Math.max(0, Math.min(255, ((hu[i]! + 160) / 400) * 255)) : 24;
    const label = v.data[z * w * h + i]!;
    const [r, gg, b] = COLOURS[Math.min(label, 3)]!;
    const a = label ? 0.55 : 0;
    img.data.set([g * (1 - a) + r * a, g * (1 - a) + gg * a, g * (1 - a) + b * a, 255], i * 4);
  }
  ctx.putImageData(img, 0, 0);
  return canvas;
}

function row(title: string, canvases: HTMLCanvasElement[]): TemplateResult {
  return html`<figure style="margin:0 0 12px">
    <figcaption style="font:13px sans-serif;margin-bottom:4px">${title}</figcaption>
    <div style="display:flex;flex-wrap:wrap">${canvases}</div>
  </figure>`;
}

function blank(width: number, height: number, depth: number): Volume {
  return { data: new Uint8Array(width * height * depth), width, height, depth };
}

function disc(v: Volume, z: number, cx: number, cy: number, rx: number, ry = rx): void {
  for (let y = 0; y < v.height; y++)
    for (let x = 0; x < v.width; x++)
      if (((x - cx) / rx) ** 2 + ((y - cy) / ry) ** 2 <= 1)
        v.data[z * v.width * v.height + y * v.width + x] = 1;
}

/** Two discs painted on slice 0 merge into one ellipse painted on slice 8; the slices between are filled. */
export const FillBetweenSlices: Story = {
  render: () => {
    const v = blank(80, 48, 9);
    disc(v, 0, 24, 24, 9);
    disc(v, 0, 56, 24, 9);
    disc(v, 8, 40, 24, 30, 13);
    const out = fillBetweenSlices(v);
    const z = [...Array(9).keys()];
    return html`${row(
      'Painted: slices 0 and 8',
      z.map((k) => sliceCanvas(v, k)),
    )}
    ${row(
      'fillBetweenSlices(volume)',
      z.map((k) => sliceCanvas(out, k)),
    )}`;
  },
};

/** Islands and margin: keep the largest island, then grow it by 4 mm at 1 × 1 × 2 mm voxels. */
export const IslandsAndMargin: Story = {
  render: () => {
    const v = blank(64, 64, 5);
    for (let z = 0; z < 5; z++) {
      disc(v, z, 28, 32, 14);
      disc(v, z, 54, 12, 4);
    }
    v.data[2 * 4096 + 60 * 64 + 6] = 1;
    const kept = islands(v, { keep: 'largest', connectivity: 6 });
    const grown = marginVolume(kept, { mm: 4, spacing: [1, 1, 2] });
    return html`${row('Mask', [sliceCanvas(v, 2, undefined, 3)])}
    ${row("islands(v, { keep: 'largest' })", [sliceCanvas(kept, 2, undefined, 3)])}
    ${row('marginVolume(…, { mm: 4, spacing: [1, 1, 2] })', [sliceCanvas(grown, 2, undefined, 3)])}`;
  },
};

interface Grown {
  hu: Float32Array[];
  seeds: Volume;
  labels: Volume;
  liverMeanHU: number;
}

/** Strokes of one label: discs at the given points, painted only on that label's tissue, as an annotator does. */
type Strokes = [label: number, x: number, y: number, r: number][];

const GROW_STROKES: Strokes = [
  [1, 44, 72, 4], [1, 36, 48, 3], [1, 30, 80, 3], [1, 56, 62, 3], [1, 20, 64, 2], [1, 28, 62, 4],
  [1, 50, 84, 4], [1, 62, 74, 3], [1, 40, 56, 3],
  [2, 36, 52, 2], [2, 90, 56, 3], [2, 26, 60, 2],
  [3, 6, 6, 3], [3, 64, 98, 2], [3, 108, 70, 3], [3, 80, 100, 3], [3, 76, 46, 2], [3, 74, 80, 2],
  [3, 48, 97, 2], [3, 30, 94, 2], [3, 40, 38, 2], [3, 70, 34, 2], [3, 58, 92, 2],
]; // prettier-ignore

/**
 * The seeds of the grow-from-seeds story on one slice: the strokes, plus the rest's outline of the liver in the
 * muscle 2–3 pixels around it. Liver (60 HU) and muscle (45 HU) differ by about the noise (12 HU), so, as
 * in Slicer, the annotator outlines a weak edge with background strokes; strong edges (lung) need none.
 */
function paintGrowSeeds(seeds: Volume, z: number, clean: Float32Array): void {
  const { width: n } = seeds;
  const tissue = [0, 60, -860];
  const fits = (label: number, hu: number) => (label === 3 ? hu !== 60 && hu !== -860 : hu === tissue[label]);
  const base = z * n * n;
  for (const [label, x, y, r] of GROW_STROKES)
    for (let dy = -r; dy <= r; dy++)
      for (let dx = -r; dx <= r; dx++)
        if (dx * dx + dy * dy <= r * r && fits(label, clean[(y + dy) * n + x + dx]!))
          seeds.data[base + (y + dy) * n + x + dx] = label;
  const liver = (x: number, y: number) => clean[y * n + x] === 60;
  for (let y = 3; y < n - 3; y++)
    for (let x = 3; x < n - 3; x++) {
      // Dots across the lungs, whose vessels would otherwise wall off parts of them.
      if (clean[y * n + x] === -860 && x % 6 === 0 && y % 6 === 0) seeds.data[base + y * n + x] = 2;
      if (clean[y * n + x] !== 45) continue;
      let near = false;
      let touching = false;
      for (let dy = -3; dy <= 3; dy++)
        for (let dx = -3; dx <= 3; dx++)
          if (liver(x + dx, y + dy)) {
            if (dx * dx + dy * dy <= 9) near = true;
            if (dx * dx + dy * dy <= 2) touching = true;
          }
      if (near && !touching) seeds.data[base + y * n + x] = 3;
    }
}

/** Grow from seeds on the CT phantom: strokes in the liver, the lungs and the rest, on three slices. */
export const GrowFromSeeds: Story = {
  loaders: [
    async (): Promise<{ grown: Grown }> => {
      const size = 128;
      const depth = 24;
      const stack = createPhantomStack({ size, depth });
      const seeds = blank(size, size, depth);
      for (const z of [16, 18, 20]) paintGrowSeeds(seeds, z, phantomSliceHU(z, { size, depth, noise: 0 }));
      // The region is the painted slices' span: slices beyond the last stroke have no seeds to compete.
      const box = { x: 0, y: 0, z: 16, width: size, height: size, depth: 5 };
      const labels = await growFromSeeds(stack, seeds, { box });
      const liver = { ...labels, data: labels.data.map((x) => (x === 1 ? 1 : 0)) };
      const stats = await regionStatistics(stack, liver);
      const hu = [16, 18, 20].map((z) => phantomSliceHU(z, { size, depth }));
      return { grown: { hu, seeds, labels, liverMeanHU: stats.mean } };
    },
  ],
  render: (_args, { loaded }) => {
    const { hu, seeds, labels, liverMeanHU } = (loaded as { grown: Grown }).grown;
    return html`${row(
      'Seeds (orange liver, blue lungs, green the rest) on slices 16, 18 and 20',
      [16, 18, 20].map((z, k) => sliceCanvas(seeds, z, hu[k])),
    )}
    ${row(
      `growFromSeeds(stack, seeds, { box }), slices 16, 18 and 20. Mean of the liver: ${liverMeanHU.toFixed(1)} HU`,
      [16, 18, 20].map((z, k) => sliceCanvas(labels, z, hu[k])),
    )}`;
  },
};
