import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';

const meta: Meta = { title: 'Introduction' };
export default meta;

export const Welcome: StoryObj = {
  render: () => html`<p>voxmark: web components for annotating DICOM and TIFF images.</p>`,
};
