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
          'Exports run in chunks with progress and can be cancelled; they never change the document. When the ' +
          "viewer's series came from DICOMweb (or the panel has a `dicomweb` URL), a PACS section offers " +
          '"Save to PACS" and "Stored segmentations" (see the DICOMweb stories); with `datasetItems` it offers ' +
          '"Export dataset" (see Core/Dataset export).',
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

/** The same, with "Save to PACS" into the Orthanc of `npm run pacs` (the SEG goes into the phantom's study). */
export const SaveToPacs: Story = {
  name: 'Save to PACS (dicomweb attribute)',
  render: () =>
    html`<div
      style="display:grid; grid-template-columns: 1fr 280px; gap:8px; max-width:1040px; font: 13px system-ui"
    >
      <div style="height:520px; display:grid">${phantomViewer('pacs-export-viewer')}</div>
      <div style="display:grid; gap:8px; align-content:start">
        <vx-label-picker for="pacs-export-viewer"></vx-label-picker>
        <vx-export-panel for="pacs-export-viewer" dicomweb="/dicom-web" file-base="phantom"></vx-export-panel>
        <p style="color:#666">
          Needs <code>npm run pacs</code>; without it the panel shows why the store failed.
        </p>
      </div>
    </div>`,
};
