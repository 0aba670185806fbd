import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { annotatedViewer } from './data/annotated-viewer.js';
import '../src/define.js';

const meta: Meta = {
  title: 'Annotation/vx-toolbar',
  component: 'vx-toolbar',
  parameters: {
    docs: {
      description: {
        component:
          'Tool buttons for the layers the viewer has, brush size and fill, undo/redo, delete, copy to the next or ' +
          'previous slice, hide and lock. Bound with `for=` to the viewer it controls; it follows the viewer, not polls it.',
      },
    },
  },
};
export default meta;

/** A toolbar for a viewer with box and mask layers: it shows their tools and the brush controls. */
export const ForAViewer: StoryObj = {
  name: 'For a viewer',
  render: () =>
    annotatedViewer(
      'story-toolbar',
      'box',
      html`<vx-box-layer></vx-box-layer><vx-mask-layer></vx-mask-layer>`,
      html`<vx-toolbar for="story-toolbar"></vx-toolbar>`,
    ),
};
