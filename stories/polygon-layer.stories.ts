import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { annotatedViewer } from './data/annotated-viewer.js';
import '../src/define.js';

type Args = { simplifyTolerance: number };

const meta: Meta<Args> = {
  title: 'Annotation/vx-polygon-layer',
  component: 'vx-polygon-layer',
  args: { simplifyTolerance: 1.5 },
  parameters: {
    docs: {
      description: {
        component: 'Polygon annotations: click vertices, close on the first one, or drag for freehand.',
      },
    },
  },
};
export default meta;

/** The layer inside a viewer on the CT phantom, with its tool active. */
export const InAViewer: StoryObj<Args> = {
  name: 'In a viewer',
  render: (args) =>
    annotatedViewer(
      'story-polygon-layer',
      'polygon',
      html`<vx-polygon-layer simplify-tolerance=${args.simplifyTolerance}></vx-polygon-layer>`,
    ),
};
