import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { annotatedViewer } from './data/annotated-viewer.js';
import '../src/define.js';

type Args = { brushSize: number; fill: boolean };

const meta: Meta<Args> = {
  title: 'Annotation/vx-mask-layer',
  component: 'vx-mask-layer',
  args: { brushSize: 12, fill: false },
  parameters: {
    docs: {
      description: { component: 'Brush masks: paint and erase; [ and ] size the brush, G fills holes.' },
    },
  },
};
export default meta;

/** The layer inside a viewer on the CT phantom, with its tool active. */
export const InAViewer: StoryObj<Args> = {
  name: 'In a viewer',
  render: (args) =>
    annotatedViewer(
      'story-mask-layer',
      'brush',
      html`<vx-mask-layer brush-size=${args.brushSize} ?fill=${args.fill}></vx-mask-layer>`,
    ),
};
