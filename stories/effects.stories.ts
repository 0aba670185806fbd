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
import type { AnnotationDocument } from '../src/core/annotation/document.js';
import type { Annotation } from '../src/core/annotation/types.js';
import type { ImageStack } from '../src/core/image/types.js';
import type { LabelSchema } from '../src/core/schema/types.js';
import type { VxViewer } from '../src/elements/vx-viewer.js';
import type { VxSegmentEffects } from '../src/elements/vx-segment-effects.js';
import '../src/define.js';

const meta: Meta = {
  title: 'Core/Segment editor effects',
  component: 'vx-segment-effects',
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

// ---- the panel -------------------------------------------------------------------------------------------

const PANEL_SIZE = 128;
const PANEL_DEPTH = 24;

const panelSchema = {
  version: 1 as const,
  labels: [
    { id: 'liver', name: 'Liver', color: '#ff9030', kinds: ['mask', 'volume'] },
    { id: 'lung', name: 'Lung', color: '#40a0ff', kinds: ['mask', 'volume'] },
    { id: 'rest', name: 'Rest', color: '#60d060', kinds: ['mask', 'volume', 'box'] },
  ],
} as unknown as LabelSchema;

/** The phantom's liver (its noise-free 60 HU) on the given slices, as a volume of the panel stories' stack. */
function phantomLiver(slices: number[]): Volume {
  const v = blank(PANEL_SIZE, PANEL_SIZE, PANEL_DEPTH);
  const area = PANEL_SIZE * PANEL_SIZE;
  for (const z of slices) {
    const hu = phantomSliceHU(z, { size: PANEL_SIZE, depth: PANEL_DEPTH, noise: 0 });
    for (let i = 0; i < area; i++) if (hu[i] === 60) v.data[z * area + i] = 1;
  }
  return v;
}

let panelStack: ImageStack | undefined;

/**
 * A viewer on the CT phantom with `<vx-segment-effects>` beside it. `setup` runs once the stack is shown: it
 * fills the document, selects the target, and may run the effect so that the story shows its result.
 */
function panelStory(
  id: string,
  slice: number,
  setup: (doc: AnnotationDocument, viewer: VxViewer, panel: VxSegmentEffects) => void,
  attrs: { margin?: number; background?: string } = {},
): TemplateResult {
  panelStack ??= createPhantomStack({ size: PANEL_SIZE, depth: PANEL_DEPTH });
  const onLoad = (e: Event) => {
    const viewer = e.currentTarget as VxViewer;
    viewer.labelSchema = panelSchema;
    viewer.activeLabel = 'liver';
    viewer.slice = slice;
    const panel = viewer.parentElement!.querySelector('vx-segment-effects')!;
    const doc = viewer.document!;
    if (doc.size === 0) setup(doc, viewer, panel);
  };
  return html`<div style="display:flex;gap:8px;align-items:flex-start">
    <vx-viewer id=${id} style="width:384px;height:384px" .stack=${panelStack} @vx-load=${onLoad}
      ><vx-mask-layer></vx-mask-layer><vx-box-layer></vx-box-layer
    ></vx-viewer>
    <vx-segment-effects
      for=${id}
      margin-mm=${attrs.margin ?? 2}
      background-label=${attrs.background ?? ''}
    ></vx-segment-effects>
  </div>`;
}

/** Adds a volume and selects it. */
function addVolume(doc: AnnotationDocument, viewer: VxViewer, v: Volume, label = 'liver'): string {
  const a = doc.add({ kind: 'volume', label, mask: { data: v.data } }) as Annotation;
  viewer.selection.set([a.id]);
  return a.id;
}

/** Panel: the liver painted as masks on slices 14 and 22; Fill between slices shows its preview (Enter accepts). */
export const PanelFillBetween: Story = {
  name: 'Panel: fill between slices',
  render: () =>
    panelStory('fx-fill', 18, (doc, viewer, panel) => {
      const liver = phantomLiver([14, 22]);
      const area = PANEL_SIZE * PANEL_SIZE;
      let first = '';
      for (const z of [14, 22]) {
        const data = liver.data.slice(z * area, (z + 1) * area);
        const a = doc.add({ kind: 'mask', label: 'liver', slice: z, mask: { data } }) as Annotation;
        first ||= a.id;
      }
      viewer.selection.set([first]);
      void panel.updateComplete.then(() => panel.fillBetween());
    }),
};

/** Panel: the liver with three specks; Keep largest (Shift+K) drops them as one undo step. */
export const PanelIslands: Story = {
  name: 'Panel: islands',
  render: () =>
    panelStory('fx-islands', 18, (doc, viewer, panel) => {
      const v = phantomLiver([16, 17, 18, 19, 20]);
      const area = PANEL_SIZE * PANEL_SIZE;
      for (const [x, y] of [
        [100, 30],
        [110, 100],
        [90, 110],
      ] as const)
        for (let dy = 0; dy < 3; dy++)
          for (let dx = 0; dx < 3; dx++) v.data[18 * area + (y + dy) * PANEL_SIZE + x + dx] = 1;
      addVolume(doc, viewer, v);
      void panel.updateComplete.then(() => panel.keepLargest());
    }),
};

/** Panel: a liver volume with holes; Fill holes (Shift+H) fills them in 3D. */
export const PanelFillHoles: Story = {
  name: 'Panel: fill holes',
  render: () =>
    panelStory('fx-holes', 18, (doc, viewer, panel) => {
      const v = phantomLiver([16, 17, 18, 19, 20]);
      const area = PANEL_SIZE * PANEL_SIZE;
      for (let z = 17; z <= 19; z++)
        for (let y = 60; y < 70; y++) for (let x = 30; x < 40; x++) v.data[z * area + y * PANEL_SIZE + x] = 0;
      addVolume(doc, viewer, v);
      void panel.updateComplete.then(() => panel.fillHoles());
    }),
};

/** Panel: a thresholded, ragged liver; Smooth (Shift+S, median 3 mm) rounds it. */
export const PanelSmoothing: Story = {
  name: 'Panel: smoothing',
  render: () =>
    panelStory('fx-smooth', 18, (doc, viewer, panel) => {
      const v = phantomLiver([16, 17, 18, 19, 20]);
      for (let i = 0; i < v.data.length; i++) if (v.data[i] && (i * 2654435761) % 7 === 0) v.data[i] = 0;
      addVolume(doc, viewer, v);
      void panel.updateComplete.then(() => panel.smooth());
    }),
};

/** Panel: Margin (Shift+M) of +4 mm around the liver, with the stack's real spacing. */
export const PanelMargin: Story = {
  name: 'Panel: margin',
  render: () =>
    panelStory(
      'fx-margin',
      18,
      (doc, viewer, panel) => {
        addVolume(doc, viewer, phantomLiver([16, 17, 18, 19, 20]));
        void panel.updateComplete.then(() => panel.margin());
      },
      { margin: 4 },
    ),
};

/** Panel: logical operations; choose "subtract" and the other instance, then Apply. */
export const PanelLogical: Story = {
  name: 'Panel: logical operations',
  render: () =>
    panelStory('fx-logic', 18, (doc, viewer) => {
      const box = blank(PANEL_SIZE, PANEL_SIZE, PANEL_DEPTH);
      for (let z = 16; z <= 20; z++) disc(box, z, 30, 60, 16);
      doc.add({ kind: 'volume', label: 'rest', mask: { data: box.data } });
      addVolume(doc, viewer, phantomLiver([16, 17, 18, 19, 20]));
    }),
};

/** Panel: Threshold (Shift+T) 0–200 HU shows a live preview on the current slice; Enter makes the volume. */
export const PanelThreshold: Story = {
  name: 'Panel: threshold',
  render: () =>
    panelStory('fx-threshold', 18, (_doc, _viewer, panel) => {
      void panel.updateComplete.then(() => panel.threshold());
    }),
};

/** Panel: brush strokes of liver, lung and the rest (background); Grow (Shift+G) shows the result. */
export const PanelGrowFromSeeds: Story = {
  name: 'Panel: grow from seeds',
  render: () =>
    panelStory(
      'fx-grow',
      18,
      (doc, _viewer, panel) => {
        const seeds = blank(PANEL_SIZE, PANEL_SIZE, PANEL_DEPTH);
        const area = PANEL_SIZE * PANEL_SIZE;
        const labels = ['', 'liver', 'lung', 'rest'];
        for (const z of [16, 18, 20]) {
          paintGrowSeeds(seeds, z, phantomSliceHU(z, { size: PANEL_SIZE, depth: PANEL_DEPTH, noise: 0 }));
          for (const k of [1, 2, 3]) {
            const data = seeds.data.slice(z * area, (z + 1) * area).map((x) => (x === k ? 1 : 0));
            if (data.some((x) => x)) doc.add({ kind: 'mask', label: labels[k]!, slice: z, mask: { data } });
          }
        }
        void panel.updateComplete.then(() => panel.growFromSeeds());
      },
      { background: 'rest' },
    ),
};
