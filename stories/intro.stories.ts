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
          'the label picker and the export panel.',
      },
    },
  },
};
export default meta;

const KEYS: [string, string][] = [
  ['Wheel, ↑ ↓, PageUp/PageDown', 'scroll slices'],
  ['Right-drag', 'window / level'],
  ['1–5', 'window presets'],
  ['Ctrl+wheel, middle-drag', 'zoom at the cursor, pan'],
  ['V X P B E', 'select, box, polygon, brush, eraser'],
  ['[ ]', 'brush size'],
  ['Ctrl+Z, Ctrl+Shift+Z', 'undo, redo'],
  ['R, F, I, C', 'reset, fit, invert, cine'],
];

/** Everything together: annotate the phantom with the keyboard and mouse, then download the work. */
export const Workbench: StoryObj = {
  name: 'Workbench',
  render: () =>
    html`<div
      style="display:grid; grid-template-columns: 1fr 280px; gap:8px; max-width:1080px; font: 13px system-ui"
    >
      <div style="display:grid; gap:6px; align-content:start">
        <vx-toolbar for="intro-viewer"></vx-toolbar>
        <div style="height:540px; display:grid">${phantomViewer('intro-viewer')}</div>
        <table style="border-collapse:collapse; font-size:12px; justify-self:start">
          <caption style="text-align:left; font-weight:600; padding-bottom:4px">
            Keys
          </caption>
          ${KEYS.map(
            ([k, what]) =>
              html`<tr>
                <td style="padding:2px 8px 2px 0; white-space:nowrap"><kbd>${k}</kbd></td>
                <td style="padding:2px 0">${what}</td>
              </tr>`,
          )}
        </table>
      </div>
      <div style="display:grid; gap:8px; align-content:start">
        <vx-label-picker for="intro-viewer"></vx-label-picker>
        <vx-export-panel for="intro-viewer" file-base="phantom"></vx-export-panel>
      </div>
    </div>`,
};
