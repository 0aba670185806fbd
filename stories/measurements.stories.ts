import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import type { ImageStack } from '../src/core/image/types.js';
import type { LabelSchema } from '../src/core/schema/types.js';
import type { VxExportPanel } from '../src/elements/vx-export-panel.js';
import type { VxViewer } from '../src/elements/vx-viewer.js';
import { createPhantomStack, phantomLesions } from './data/phantom.js';
import '../src/define.js';

const schema: LabelSchema = {
  version: 1,
  labels: [
    { id: 'lesion', name: 'Lesion', color: '#ff4040', kinds: ['box', 'polygon', 'mask'] },
    { id: 'long-axis', name: 'Long axis', color: '#ffd040', kinds: ['line'] },
    { id: 'angle', name: 'Angle', color: '#40c0ff', kinds: ['angle'] },
  ],
};

const meta: Meta = {
  title: 'Annotation/Measurements',
  component: 'vx-measure-layer',
  parameters: {
    docs: {
      description: {
        component:
          'Line (key M) and angle (key A) measurements with `<vx-measure-layer>`: the view shows the length in mm ' +
          'from the pixel spacing and the angle in degrees. Line: drag from end to end, or click both ends. Angle: ' +
          'click an arm end, the vertex, then the other arm end. Esc cancels, Ctrl+Z undoes a measurement in one ' +
          'step. Select an annotation to see its statistics in the label picker (mean, SD, min, max in HU, area).',
      },
    },
  },
};
export default meta;
type Story = StoryObj;

let phantom: ImageStack | undefined;
const stack = () => (phantom ??= createPhantomStack());
const lesion = () => phantomLesions(256, 60)[2]!;

/** A long axis and an angle on the slice of a lesion, and a box around it (selected: its HU statistics show). */
function seed(v: VxViewer): void {
  const doc = v.document;
  if (!doc || doc.size) return;
  const { x, y, slice, radius: r } = lesion();
  const [box] = doc.add(
    [
      {
        label: 'lesion',
        kind: 'box',
        slice,
        box: {
          x: Math.round(x - r - 3),
          y: Math.round(y - r - 3),
          width: Math.round(2 * r + 6),
          height: Math.round(2 * r + 6),
        },
      },
      {
        label: 'long-axis',
        kind: 'line',
        slice,
        points: [
          [x - r, y],
          [x + r, y],
        ],
      },
      {
        label: 'angle',
        kind: 'angle',
        slice,
        points: [
          [40, 200],
          [40, 150],
          [90, 150],
        ],
      },
    ],
    { origin: 'silent' },
  ) as { id: string }[];
  v.slice = slice;
  v.editor.selection.set([box!.id]);
}

/** The measure layer beside the other layers, with a toolbar and a label picker. */
export const LineAndAngle: Story = {
  name: 'Line and angle tools',
  render: () =>
    html`<div
      style="display:grid; grid-template-columns: 1fr 260px; gap:8px; max-width:960px; font: 13px system-ui"
    >
      <div style="display:grid; gap:6px">
        <vx-toolbar for="measure-viewer"></vx-toolbar>
        <vx-viewer
          id="measure-viewer"
          style="height:480px"
          .stack=${stack()}
          .labelSchema=${schema}
          active-label="long-axis"
          tool="line"
          @vx-load=${(e: Event) => requestAnimationFrame(() => seed(e.target as VxViewer))}
          ><vx-box-layer></vx-box-layer><vx-mask-layer></vx-mask-layer><vx-measure-layer></vx-measure-layer
        ></vx-viewer>
      </div>
      <vx-label-picker for="measure-viewer"></vx-label-picker>
    </div>`,
};

const reportSchema: LabelSchema = {
  version: 1,
  labels: [
    {
      ...schema.labels[0]!,
      attributes: [{ id: 'grade', name: 'Grade', type: 'enum', options: ['1', '2', '3'], required: true }],
    },
    ...schema.labels.slice(1),
  ],
};

/**
 * The export panel after a NIfTI export (what it wrote and what it left out), and a COCO export held back by a
 * missing required attribute, with "Show me" and "Export anyway". Files are kept, not downloaded.
 */
export const ExportReport: Story = {
  name: 'Export report and invalid-document warning',
  render: () =>
    html`<div
      style="display:grid; grid-template-columns: 1fr 300px; gap:8px; max-width:960px; font: 13px system-ui"
    >
      <vx-viewer
        id="report-viewer"
        style="height:420px"
        .stack=${stack()}
        .labelSchema=${reportSchema}
        active-label="lesion"
        @vx-load=${(e: Event) =>
          requestAnimationFrame(async () => {
            const v = e.target as VxViewer;
            seed(v);
            const { x, y, slice } = lesion();
            const data = new Uint8Array(256 * 256);
            for (let j = -4; j <= 4; j++)
              for (let i = -4; i <= 4; i++) data[(Math.round(y) + j) * 256 + Math.round(x) + i] = 1;
            v.document!.add(
              { label: 'lesion', kind: 'mask', slice, mask: { data }, attributes: { grade: '2' } },
              { origin: 'silent' },
            );
            const panel = document.getElementById('report-panel') as VxExportPanel;
            await panel.export('nifti', { anyway: true });
            await panel.export('coco');
          })}
        ><vx-box-layer></vx-box-layer><vx-mask-layer></vx-mask-layer><vx-measure-layer></vx-measure-layer
      ></vx-viewer>
      <div style="display:grid; gap:8px; align-content:start">
        <vx-label-picker for="report-viewer"></vx-label-picker>
        <vx-export-panel
          id="report-panel"
          for="report-viewer"
          file-base="phantom"
          @vx-export=${(e: Event) => e.preventDefault()}
        ></vx-export-panel>
      </div>
    </div>`,
};
