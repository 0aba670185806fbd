import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { phantomViewer } from './labels.stories.js';
import '../src/define.js';

const meta: Meta = {
  title: 'Labels/vx-export-panel',
  component: 'vx-export-panel',
  parameters: {
    docs: {
      description: {
        component:
          'Downloads the annotations as voxmark JSON (lossless), COCO (one image per slice, RLE masks), DICOM SEG ' +
          '(binary Segmentation referencing the source instances) or NIfTI (.nii.gz in RAS plus a label sidecar). ' +
          'Exports run in chunks with progress and can be cancelled; they never change the document.',
      },
    },
  },
};
export default meta;
type Story = StoryObj;

/** Annotate the phantom, pick labels, then download each format. */
export const ExportPanel: Story = {
  name: 'Export each format',
  render: () =>
    html`<div
      style="display:grid; grid-template-columns: 1fr 280px; gap:8px; max-width:1040px; font: 13px system-ui"
    >
      <div style="display:grid; gap:6px">
        <vx-toolbar for="export-viewer"></vx-toolbar>
        <div style="height:520px; display:grid">${phantomViewer('export-viewer')}</div>
      </div>
      <div style="display:grid; gap:8px; align-content:start">
        <vx-label-picker for="export-viewer"></vx-label-picker>
        <vx-export-panel for="export-viewer" file-base="phantom"></vx-export-panel>
      </div>
    </div>`,
};
