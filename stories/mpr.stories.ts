import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { createAnnotationDocument } from '../src/core/annotation/document.js';
import { LazyImageStack, createImageStack } from '../src/core/image/stack.js';
import type { ImageStack } from '../src/core/image/types.js';
import type { LabelSchema } from '../src/core/schema/types.js';
import { seededRandom } from '../src/core/util/random.js';
import { createPhantomStack } from './data/phantom.js';
import '../src/define.js';

type Args = { layout: '1x3' | '2x2'; tool: string; hideCrosshair: boolean };

const meta: Meta<Args> = {
  title: 'Viewer/vx-mpr',
  component: 'vx-mpr',
  args: { layout: '2x2', tool: 'crosshair', hideCrosshair: false },
  argTypes: {
    layout: { control: 'inline-radio', options: ['1x3', '2x2'] },
    tool: { control: 'select', options: ['crosshair', 'window', 'pan', 'zoom', 'brush', 'eraser'] },
  },
  parameters: {
    docs: {
      description: {
        component:
          'Axial, coronal and sagittal views of one stack and one document. With the crosshair tool a click or ' +
          'drag in one view moves the other two; K shows or hides the crosshair lines; right-drag windows all ' +
          'three; the wheel scrolls and Ctrl+wheel zooms one view.',
      },
    },
  },
};
export default meta;
type Story = StoryObj<Args>;

const schema: LabelSchema = {
  version: 1,
  labels: [
    { id: 'liver', name: 'Liver', color: '#40d070', kinds: ['volume', 'mask'] },
    { id: 'lesion', name: 'Lesion', color: '#ff4040', kinds: ['volume', 'mask'] },
  ],
};

const SIZE = 256;
const DEPTH = 60;
const STEP = 5;

/**
 * The CT phantom with its first slice at the top of the chest: slice positions run head → feet, so the
 * coronal and sagittal views show the chest above the abdomen.
 */
function phantomSeries(
  iop: [number, number, number, number, number, number] = [1, 0, 0, 0, 1, 0],
): ImageStack {
  const base = createPhantomStack({ size: SIZE, depth: DEPTH, sliceSpacing: STEP });
  const normal = [
    iop[1]! * iop[5]! - iop[2]! * iop[4]!,
    iop[2]! * iop[3]! - iop[0]! * iop[5]!,
    iop[0]! * iop[4]! - iop[1]! * iop[3]!,
  ];
  const pixel = base.spacing[0];
  return new LazyImageStack({
    format: 'dicom',
    width: SIZE,
    height: SIZE,
    samplesPerPixel: 1,
    dataType: 'uint16',
    spacing: [pixel, pixel, STEP],
    windowPresets: base.windowPresets,
    slices: Array.from({ length: DEPTH }, (_, z) => ({
      position: [0, 1, 2].map((a) => (a === 0 || a === 1 ? -128 * pixel : 150) - normal[a]! * STEP * z) as [
        number,
        number,
        number,
      ],
    })),
    metadata: { ...base.metadata, imageOrientationPatient: iop },
    decode: (z, signal) => base.getFrame(z, signal ? { signal } : {}),
  });
}

/** The phantom's liver as a dense volume (the ellipse the phantom draws, slice by slice). */
function liverVolume(): Uint8Array {
  const data = new Uint8Array(SIZE * SIZE * DEPTH);
  const c = SIZE / 2;
  const s = SIZE / 256;
  for (let z = 0; z < DEPTH; z++) {
    const t = z / (DEPTH - 1);
    const scale = t > 0.55 ? Math.min(1, (t - 0.55) * 3.5) : 0;
    if (scale <= 0) continue;
    const [cx, cy, rx, ry] = [c - 34 * s, c + 8 * s, 62 * s * scale, 52 * s * scale];
    for (let y = 0; y < SIZE; y++)
      for (let x = 0; x < SIZE; x++) {
        if (((x + 0.5 - cx) / rx) ** 2 + ((y + 0.5 - cy) / ry) ** 2 <= 1)
          data[z * SIZE * SIZE + y * SIZE + x] = 1;
      }
  }
  return data;
}

let phantom: ImageStack | undefined;

/** The phantom CT series, with the liver painted as one volume annotation. */
export const PhantomCt: Story = {
  name: 'Phantom CT, liver volume',
  render: (args) => {
    phantom ??= phantomSeries();
    const document = createAnnotationDocument({ width: SIZE, height: SIZE, depth: DEPTH });
    document.add({ kind: 'volume', label: 'liver', mask: { data: liverVolume() } });
    return html`<vx-mpr
      style="height: 560px; max-width: 1100px"
      layout=${args.layout}
      tool=${args.tool}
      ?hide-crosshair=${args.hideCrosshair}
      .labelSchema=${schema}
      .stack=${phantom}
      .document=${document}
      .voxel=${[90, 140, 50]}
      @vx-crosshair-change=${showPosition}
    >
      ${aside()}
    </vx-mpr>`;
  },
};

/** The phantom acquired with a 20° gantry-free tilt: every plane is resampled onto the patient axes. */
export const ObliqueSeries: Story = {
  name: 'Oblique series (20° tilt)',
  render: (args) => {
    const a = (20 * Math.PI) / 180;
    const stack = phantomSeries([1, 0, 0, 0, Math.cos(a), Math.sin(a)]);
    return html`<vx-mpr
      style="height: 560px; max-width: 1100px"
      layout=${args.layout}
      tool=${args.tool}
      ?hide-crosshair=${args.hideCrosshair}
      .labelSchema=${schema}
      .stack=${stack}
      @vx-crosshair-change=${showPosition}
    >
      ${aside()}
    </vx-mpr>`;
  },
};

/**
 * A confocal-style TIFF z-stack without patient geometry: 0.2 µm pixels and 1 µm steps between planes, so the
 * side views are five times taller per slice than wide per pixel, and no patient letters show.
 */
export const TiffZStack: Story = {
  name: 'TIFF z-stack, anisotropic voxels',
  render: (args) =>
    html`<vx-mpr
      style="height: 560px; max-width: 1100px"
      layout=${args.layout}
      tool=${args.tool}
      ?hide-crosshair=${args.hideCrosshair}
      .labelSchema=${schema}
      .stack=${cellsStack()}
      .voxel=${[95, 130, 20]}
      @vx-crosshair-change=${showPosition}
    >
      ${aside()}
    </vx-mpr>`,
};

function aside() {
  return html`<div
    slot="aside"
    style="display: grid; align-content: start; gap: 8px; padding: 8px; font: 13px system-ui"
  >
    <vx-label-picker></vx-label-picker>
    <output style="font-variant-numeric: tabular-nums">Click a view to move the crosshair</output>
  </div>`;
}

function showPosition(e: CustomEvent<{ position: number[]; voxel: number[] }>): void {
  const out = (e.currentTarget as HTMLElement).querySelector('output');
  if (!out) return;
  const mm = e.detail.position.map((v) => v.toFixed(1)).join(', ');
  out.textContent = `Voxel [${e.detail.voxel.join(', ')}] · (${mm})`;
}

/** Round cells with bright nuclei in a 192 × 192 × 40 uint8 stack, 0.2 × 0.2 × 1 µm voxels. */
function cellsStack(): ImageStack {
  const [w, h, d] = [192, 192, 40];
  const cells = [
    [50, 60, 18, 30],
    [130, 55, 22, 34],
    [95, 130, 20, 32],
    [160, 150, 16, 26],
    [40, 150, 14, 24],
  ];
  const random = seededRandom(7);
  const frames = Array.from({ length: d }, (_, z) => {
    const f = new Uint8Array(w * h);
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++) {
        let v = 14 + Math.round(random() * 10);
        for (const [cx, cy, cz, r] of cells) {
          // r pixels in the plane is r / 5 planes deep: the same physical radius, so cells are round in µm.
          const q = ((x - cx!) / r!) ** 2 + ((y - cy!) / r!) ** 2 + ((z - cz!) / (r! / 5)) ** 2;
          if (q <= 1) v = Math.max(v, (q < 0.25 ? 200 : 90) + Math.round(random() * 30));
        }
        f[y * w + x] = v;
      }
    return f;
  });
  return createImageStack({
    format: 'tiff',
    width: w,
    height: h,
    frames,
    dataType: 'uint8',
    spacing: [0.2, 0.2, 1],
    windowPresets: [{ name: 'Full range', center: 128, width: 256 }],
    metadata: { spacingUnit: 'µm' },
  });
}
