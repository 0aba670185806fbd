import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import type { VxHotkeys } from '../src/elements/vx-hotkeys.js';
import type { VxViewer } from '../src/elements/vx-viewer.js';
import { phantomViewer } from './labels.stories.js';
import '../src/define.js';

const meta: Meta = {
  title: 'Annotation/vx-annotation-list',
  component: 'vx-annotation-list',
  parameters: {
    docs: {
      description: {
        component:
          'Every annotation of the slice or of the series, grouped by label, with its id, kind, slice, size (mm² ' +
          'and mm³ from the stack spacing) and validation problems. Click a row or press Enter to go to its slice ' +
          'and select it; H hides, L locks, Delete deletes (one undo step). The list is one Tab stop; ↑/↓ move ' +
          'between rows and →/← reach a row’s buttons. "Only with problems" finds what still needs work.',
      },
    },
  },
};
export default meta;
type Story = StoryObj;

/** The phantom's annotations across the series; the nodule masks still miss a required attribute. */
export const AllSlices: Story = {
  name: 'All slices, with problems',
  render: () =>
    html`<div style="display:grid; grid-template-columns: 1fr 340px; gap:8px; max-width:1000px">
      <div style="height:480px; display:grid">${phantomViewer('list-viewer')}</div>
      <vx-annotation-list for="list-viewer" scope="all" style="max-height:480px"></vx-annotation-list>
    </div>`,
};

/** The hotkey overlay of a viewer whose host put label keys on 1–9 and slice-next on J: they show as changed. */
export const HotkeyOverlay: Story = {
  name: 'Hotkey overlay (remapped keys)',
  render: () => {
    const remap = (e: Event) => {
      const v = e.target as VxViewer;
      const keymap: Record<string, readonly string[]> = { ...v.keymap, 'slice-next': ['j', 'ArrowDown'] };
      for (let n = 1; n <= 5; n++) {
        keymap[`window-preset-${n}`] = [];
        keymap[`label-${n}`] = [String(n)];
      }
      v.keymap = keymap;
    };
    const open = () => {
      const overlay = document.querySelector<VxHotkeys>('#hotkeys-story vx-hotkeys');
      if (overlay) overlay.open = true;
    };
    return html`<div id="hotkeys-story" style="display:grid; gap:6px; max-width:720px; font: 13px system-ui">
      <p style="margin:0">
        Click the image and press <kbd>?</kbd>, or <button @click=${open}>show the keys</button>.
      </p>
      <div style="height:420px; display:grid" @vx-load=${remap}>
        ${phantomViewer('hotkeys-viewer', { children: html`<vx-hotkeys></vx-hotkeys>` })}
      </div>
    </div>`;
  },
};
