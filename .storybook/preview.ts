import type { Preview } from '@storybook/web-components-vite';
import { setCustomElementsManifest } from '@storybook/web-components-vite';
// Written by `npm run analyze` (run before `npm start` and `npm run build-storybook`): every element's
// attributes, properties, events, slots, parts and custom properties, from its JSDoc.
import manifest from '../custom-elements.json';
import '../src/define.js';

setCustomElementsManifest(manifest);

const preview: Preview = {
  // Every story file with a `component` gets a docs page built from the manifest, with controls.
  tags: ['autodocs'],
  parameters: {
    layout: 'padded',
    controls: { expanded: true },
  },
};
export default preview;
