import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { phantomViewer } from './labels.stories.js';
import '../src/define.js';

const meta: Meta = {
  title: 'Introduction',
  parameters: {
    layout: 'padded',
    docs: {
      description: {
        component:
          'voxmark: web components for annotating DICOM and TIFF images. This workbench puts every element ' +
          'together on a generated CT phantom: the toolbar, the viewer with its box, polygon and mask layers, ' +
          'the label picker, the object list and the export panel. Work is kept as a draft in the browser ' +
          '(autosave) and comes back after a reload; press ? in the viewer for every key.',
      },
    },
  },
};
export default meta;

/**
 * Everything together: annotate the phantom with the keyboard and mouse, find and check the work in the object
 * list, then download it. Autosave keeps a draft; ? shows the keys.
 */
export const Workbench: StoryObj = {
  name: 'Workbench',
  render: () =>
    html`<div
      style="display:grid; grid-template-columns: 1fr 300px; gap:8px; max-width:1100px; font: 13px system-ui"
    >
      <div style="display:grid; gap:6px; align-content:start">
        <vx-toolbar for="intro-viewer"></vx-toolbar>
        <div style="height:540px; display:grid">
          ${phantomViewer('intro-viewer', {
            autosave: 'workbench',
            children: html`<vx-hotkeys></vx-hotkeys>`,
          })}
        </div>
        <p style="margin:0">
          Press <kbd>?</kbd> in the viewer for the keys. Drafts are kept in this browser and come back after a
          reload.
        </p>
      </div>
      <div style="display:grid; gap:8px; align-content:start">
        <vx-label-picker for="intro-viewer"></vx-label-picker>
        <vx-annotation-list for="intro-viewer" scope="all" style="max-height:320px"></vx-annotation-list>
        <vx-export-panel for="intro-viewer" file-base="phantom"></vx-export-panel>
      </div>
    </div>`,
};
