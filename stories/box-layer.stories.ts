import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { annotatedViewer } from './data/annotated-viewer.js';
import '../src/define.js';

type Args = { snap: boolean };

const meta: Meta<Args> = {
  title: 'Annotation/vx-box-layer',
  component: 'vx-box-layer',
  args: { snap: true },
  parameters: {
    docs: {
      description: { component: 'Box annotations: drag to draw, drag a handle to resize, arrows nudge.' },
    },
  },
};
export default meta;

/** The layer inside a viewer on the CT phantom, with its tool active. */
export const InAViewer: StoryObj<Args> = {
  name: 'In a viewer',
  render: (args) =>
    annotatedViewer('story-box-layer', 'box', html`<vx-box-layer ?snap=${args.snap}></vx-box-layer>`),
};
