import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { createAnnotationDocument, type AnnotationDocument } from '../src/core/annotation/document.js';
import type { ImageStack } from '../src/core/image/types.js';
import type { LabelSchema } from '../src/core/schema/types.js';
import { createPhantomStack } from './data/phantom.js';
import '../src/define.js';

type Args = { orientation: 'acquisition' | 'axial' | 'coronal' | 'sagittal' };

const meta: Meta<Args> = {
  title: 'Viewer/Planes',
  component: 'vx-viewer',
  args: { orientation: 'coronal' },
  argTypes: { orientation: { control: 'select', options: ['acquisition', 'axial', 'coronal', 'sagittal'] } },
  parameters: {
    docs: {
      description: {
        component:
          '`<vx-viewer orientation>` shows the same stack and document in the axial, coronal or sagittal plane. ' +
          'The brush (B) and eraser (E) paint volume annotations from any plane, one undo step per stroke; ' +
          'D is the 3D brush (a ball of the brush diameter in mm); [ and ] size both.',
      },
    },
  },
};
export default meta;

const schema: LabelSchema = {
  version: 1,
  labels: [
    { id: 'liver', name: 'Liver', color: '#40d070', kinds: ['mask', 'volume'] },
    { id: 'lesion', name: 'Lesion', color: '#ff4040', kinds: ['box', 'polygon', 'mask', 'volume'] },
  ],
};

/**
 * The CT phantom with its slices placed head first (slice 0, the top of the chest, is the most superior), so
 * the coronal and sagittal planes show the chest above the abdomen.
 */
function phantomHeadFirst(): ImageStack {
  const p = createPhantomStack();
  const step = p.spacing[2];
  return {
    format: p.format,
    width: p.width,
    height: p.height,
    depth: p.depth,
    samplesPerPixel: p.samplesPerPixel,
    dataType: p.dataType,
    spacing: p.spacing,
    windowPresets: p.windowPresets,
    metadata: p.metadata,
    slices: p.slices.map((s, z) => ({
      ...s,
      position: [s.position![0], s.position![1], (p.depth - 1 - z) * step] as [number, number, number],
    })),
    getFrame: (index, options) => p.getFrame(index, options),
  };
}

/** The phantom's liver as one volume annotation: the ellipse its slices draw (see stories/data/phantom.ts). */
function liverDocument(stack: ImageStack): AnnotationDocument {
  const { width: w, height: h, depth: d } = stack;
  const data = new Uint8Array(w * h * d);
  const c = w / 2;
  for (let z = 0; z < d; z++) {
    const t = z / (d - 1);
    const scale = t > 0.55 ? Math.min(1, (t - 0.55) * 3.5) : 0;
    if (!scale) continue;
    const [cx, cy, rx, ry] = [c - 34, c + 8, 62 * scale, 52 * scale];
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++)
        if (((x + 0.5 - cx) / rx) ** 2 + ((y + 0.5 - cy) / ry) ** 2 <= 1) data[z * w * h + y * w + x] = 1;
  }
  const doc = createAnnotationDocument({ width: w, height: h, depth: d });
  doc.add({ kind: 'volume', label: 'liver', mask: { data } }, { origin: 'silent' });
  return doc;
}

let stack: ImageStack | undefined;
let liverDoc: AnnotationDocument | undefined;

/** One plane of the phantom with the liver painted as a volume, a toolbar and the brush active. */
export const CoronalPhantom: StoryObj<Args> = {
  name: 'Coronal of the phantom CT, liver as a volume',
  render: (args) => {
    stack ??= phantomHeadFirst();
    liverDoc ??= liverDocument(stack);
    return html`<div style="display:grid; gap:6px; max-width:640px">
      <vx-toolbar for="story-planes"></vx-toolbar>
      <vx-viewer
        id="story-planes"
        style="height:420px"
        orientation=${args.orientation}
        .stack=${stack}
        .document=${liverDoc}
        .labelSchema=${schema}
        .activeLabel=${'liver'}
        .tool=${'brush'}
        ><vx-mask-layer brush-size="8"></vx-mask-layer
      ></vx-viewer>
    </div>`;
  },
};

/** The acquisition and sagittal planes side by side over one stack and one document: paint in either. */
export const TwoPlanesOneDocument: StoryObj<Args> = {
  name: 'Acquisition and sagittal, one document',
  args: { orientation: 'sagittal' },
  render: (args) => {
    stack ??= phantomHeadFirst();
    liverDoc ??= liverDocument(stack);
    const viewer = (id: string, orientation: string) =>
      html`<vx-viewer
        id=${id}
        style="height:320px"
        orientation=${orientation}
        .stack=${stack}
        .document=${liverDoc}
        .labelSchema=${schema}
        .activeLabel=${'liver'}
        .tool=${'brush'}
        ><vx-mask-layer brush-size="8"></vx-mask-layer
      ></vx-viewer>`;
    return html`<div style="display:grid; grid-template-columns: 1fr 1fr; gap:6px; max-width:900px">
      ${viewer('story-planes-a', 'acquisition')} ${viewer('story-planes-b', args.orientation)}
    </div>`;
  },
};
