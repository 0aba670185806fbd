import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import type { AnnotationDocument } from '../src/core/annotation/document.js';
import type { Point } from '../src/core/annotation/types.js';
import type { ImageStack } from '../src/core/image/types.js';
import { paintStroke } from '../src/core/mask/paint.js';
import type { LabelSchema } from '../src/core/schema/types.js';
import type { VxViewer } from '../src/elements/vx-viewer.js';
import { createPhantomStack, phantomLesions } from './data/phantom.js';
import '../src/define.js';

/** The label schema the annotation stories use. */
const schema: LabelSchema = {
  version: 1,
  labels: [
    { id: 'lesion', name: 'Lesion', color: '#ff4040', kinds: ['box', 'polygon', 'mask'] },
    { id: 'liver', name: 'Liver', color: '#40d070', kinds: ['polygon', 'mask'] },
    { id: 'lung', name: 'Lung', color: '#4090ff', kinds: ['polygon', 'mask'] },
    { id: 'bone', name: 'Bone', color: '#ffd040', kinds: ['box', 'mask'] },
  ],
};

interface Args {
  activeLabel: string;
  brushSize: number;
}

const meta: Meta<Args> = {
  title: 'Annotation/tools',
  args: { activeLabel: 'lesion', brushSize: 12 },
  argTypes: {
    activeLabel: { control: 'select', options: schema.labels.map((l) => l.id) },
    brushSize: { control: { type: 'range', min: 1, max: 60 } },
  },
  parameters: {
    docs: {
      description: {
        component:
          'Box, polygon and brush tools on the CT phantom. Ctrl+Z / Ctrl+Shift+Z undo and redo (also mid-gesture); ' +
          'Esc cancels, Enter completes; Delete removes the selection; Ctrl+C / Ctrl+V paste on the current slice, ' +
          'Alt+↓ / Alt+↑ copy to the next / previous slice; H hides, L locks (the selection, else the active label); ' +
          '[ and ] size the brush; G fills holes; a double-click closes a polygon. ' +
          'Tools: V select, X box, P polygon, B brush, E eraser.',
      },
    },
  },
};
export default meta;
type Story = StoryObj<Args>;

let phantom: ImageStack | undefined;
const stack = () => (phantom ??= createPhantomStack());
const lesions = () => phantomLesions(256, 60);

function circle(cx: number, cy: number, r: number, n = 24): Point[] {
  return Array.from({ length: n }, (_, i) => {
    const a = (i / n) * Math.PI * 2;
    return [cx + r * Math.cos(a), cy + r * Math.sin(a)] as Point;
  });
}

/** Puts a few annotations into the viewer's document once the stack is loaded. */
function seed(
  el: VxViewer,
  what: 'box' | 'polygon' | 'mask' | 'all',
  select?: 'box' | 'polygon' | 'mask',
): void {
  const doc = el.document as unknown as AnnotationDocument;
  if (!doc || doc.size) return;
  const [nodule, mass, liver, bone] = lesions();
  const made: { kind: string; id: string }[] = [];
  if (what === 'box' || what === 'all') {
    for (const l of [mass!, nodule!]) {
      const a = doc.add(
        {
          label: 'lesion',
          kind: 'box',
          slice: l.slice,
          box: {
            x: Math.round(l.x - l.radius - 3),
            y: Math.round(l.y - l.radius - 3),
            width: Math.round(2 * l.radius + 6),
            height: Math.round(2 * l.radius + 6),
          },
        },
        { origin: 'silent' },
      );
      made.push(a);
    }
    made.push(
      doc.add(
        {
          label: 'bone',
          kind: 'box',
          slice: mass!.slice,
          box: { x: Math.round(bone!.x - 12), y: Math.round(bone!.y - 12), width: 24, height: 24 },
        },
        { origin: 'silent' },
      ),
    );
  }
  if (what === 'polygon' || what === 'all') {
    made.push(
      doc.add(
        {
          label: 'lesion',
          kind: 'polygon',
          slice: mass!.slice,
          points: circle(mass!.x, mass!.y, mass!.radius + 1, 10),
        },
        { origin: 'silent' },
      ),
    );
    made.push(
      doc.add(
        {
          label: 'liver',
          kind: 'polygon',
          slice: mass!.slice,
          points: [
            [60, 150],
            [105, 132],
            [128, 150],
            [120, 178],
            [80, 182],
            [58, 168],
          ],
        },
        { origin: 'silent' },
      ),
    );
  }
  if (what === 'mask' || what === 'all') {
    const m = doc.createMask();
    const l = liver!;
    paintStroke(m, l.x - 4, l.y, l.x + 4, l.y, 2 * l.radius);
    // The liver lesion lives on another slice: scroll to it (slice ${l.slice + 1}).
    doc.add({ label: 'lesion', kind: 'mask', slice: l.slice, mask: m }, { origin: 'silent' });
    const cy = mass!.slice;
    const lung = doc.createMask();
    paintStroke(lung, 170, 100, 190, 135, 22);
    paintStroke(lung, 190, 135, 160, 150, 18);
    made.push(doc.add({ label: 'lung', kind: 'mask', slice: cy, mask: lung }, { origin: 'silent' }));
    const lesionMask = doc.createMask();
    paintStroke(lesionMask, mass!.x, mass!.y, mass!.x + 2, mass!.y + 1, 2 * mass!.radius);
    made.push(doc.add({ label: 'lesion', kind: 'mask', slice: cy, mask: lesionMask }, { origin: 'silent' }));
  }
  const pick = made.find((a) => a.kind === select);
  if (pick) el.selection.set([pick.id]);
}

const view = (
  id: string,
  tool: string,
  args: Args,
  layers: unknown,
  what: 'box' | 'polygon' | 'mask' | 'all',
  select?: 'box' | 'polygon' | 'mask',
) =>
  html`<div style="display:grid; gap:6px; max-width:720px; font: 13px system-ui">
    <vx-toolbar for=${id}></vx-toolbar>
    <div style="height:480px; display:grid">
      <vx-viewer
        id=${id}
        label="CT phantom with annotations"
        style="height:100%"
        .stack=${stack()}
        .slice=${lesions()[1]!.slice}
        .labelSchema=${schema}
        .activeLabel=${args.activeLabel}
        .tool=${tool}
        @vx-load=${(e: Event) => {
          const el = e.target as VxViewer;
          requestAnimationFrame(() => seed(el, what, select));
        }}
        >${layers}</vx-viewer
      >
    </div>
    <div>
      Labels:
      ${schema.labels.map(
        (l) =>
          html`<span style="margin-right:10px"
            ><span style="display:inline-block;width:10px;height:10px;background:${l.color}"></span>
            ${l.name}</span
          >`,
      )}
    </div>
  </div>`;

/** Drag to draw a box (Shift: square); the selected box shows its 8 resize handles; arrows nudge it. */
export const Box: Story = {
  render: (args) => view('ann-box', 'box', args, html`<vx-box-layer></vx-box-layer>`, 'box', 'box'),
};

/** Click vertices and close on the first one (or double-click / Enter); drag for freehand. The selected polygon shows its vertices. */
export const Polygon: Story = {
  render: (args) =>
    view('ann-polygon', 'polygon', args, html`<vx-polygon-layer></vx-polygon-layer>`, 'polygon', 'polygon'),
};

/** Paint masks with a round brush; `[` and `]` size it, the outline follows the pointer. */
export const Brush: Story = {
  render: (args) =>
    view(
      'ann-brush',
      'brush',
      args,
      html`<vx-mask-layer brush-size=${args.brushSize}></vx-mask-layer>`,
      'mask',
      'mask',
    ),
};

/** A threshold brush: paints only where the CT value lies between 0 and 200 HU (soft tissue), however wide the brush. */
export const ThresholdBrush: Story = {
  name: 'Threshold brush (0–200 HU)',
  args: { brushSize: 40, activeLabel: 'liver' },
  render: (args) =>
    view(
      'ann-threshold',
      'brush',
      args,
      html`<vx-mask-layer
        brush-size=${args.brushSize}
        threshold-min="0"
        threshold-max="200"
      ></vx-mask-layer>`,
      'mask',
    ),
};

/** The eraser removes pixels from the masks under it (from the selected mask when one is selected). */
export const Eraser: Story = {
  render: (args) =>
    view(
      'ann-eraser',
      'eraser',
      args,
      html`<vx-mask-layer brush-size=${args.brushSize}></vx-mask-layer>`,
      'mask',
    ),
};

/**
 * Every layer together with the select tool: click selects across kinds, Shift-click adds, drag moves boxes,
 * polygons and masks (a mask moves by whole pixels; one undo step). H and L (or the toolbar) hide and lock
 * the selection, or the active label when nothing is selected.
 */
export const SelectAcrossLayers: Story = {
  name: 'Select across layers',
  render: (args) =>
    view(
      'ann-select',
      'select',
      args,
      html`<vx-mask-layer brush-size=${args.brushSize}></vx-mask-layer><vx-polygon-layer></vx-polygon-layer
        ><vx-box-layer></vx-box-layer>`,
      'all',
      'box',
    ),
};

/**
 * The toolbar follows the active label: Liver allows polygons and masks only, so Box is disabled, with a
 * tooltip saying why. Pick Lesion in the label picker and Box comes back. The toolbar and the picker are one
 * Tab stop each: Tab in, then ←/→ (toolbar) or ↑/↓ and →/← (picker).
 */
export const ToolsTheLabelAllows: Story = {
  name: 'Tools the active label allows',
  args: { activeLabel: 'liver' },
  render: (args) =>
    html`<div style="display:grid; grid-template-columns: 1fr 220px; gap:8px; max-width:980px">
      ${view(
        'ann-allowed',
        'polygon',
        args,
        html`<vx-mask-layer brush-size=${args.brushSize}></vx-mask-layer><vx-polygon-layer></vx-polygon-layer
          ><vx-box-layer></vx-box-layer>`,
        'all',
      )}
      <vx-label-picker for="ann-allowed"></vx-label-picker>
    </div>`,
};
