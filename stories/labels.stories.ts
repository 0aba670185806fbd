import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html, nothing } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import { AnnotationDocument } from '../src/core/annotation/document.js';
import type { ImageStack } from '../src/core/image/types.js';
import { loadImageStack } from '../src/core/load.js';
import { paintStroke } from '../src/core/mask/paint.js';
import type { LabelSchema } from '../src/core/schema/types.js';
import type { VxViewer } from '../src/elements/vx-viewer.js';
import { phantomDicomSeries, phantomLesions } from './data/phantom.js';
import '../src/define.js';

/** A hierarchical schema with DICOM codes and every attribute type, some required. */
export const clinicalSchema: LabelSchema = {
  version: 1,
  labels: [
    {
      id: 'lesion',
      name: 'Lesion',
      color: '#ff4040',
      kinds: ['box', 'polygon', 'mask'],
      category: { value: '49755003', scheme: 'SCT', meaning: 'Morphologically Altered Structure' },
      type: { value: '52988006', scheme: 'SCT', meaning: 'Lesion' },
    },
    {
      id: 'nodule',
      name: 'Lung nodule',
      color: '#ff9a3c',
      kinds: ['box', 'polygon', 'mask'],
      parent: 'lesion',
      type: { value: '27925004', scheme: 'SCT', meaning: 'Nodule' },
      attributes: [
        {
          id: 'texture',
          name: 'Texture',
          type: 'enum',
          options: ['solid', 'part-solid', 'ground-glass'],
          required: true,
        },
        {
          id: 'diameter',
          name: 'Diameter (mm)',
          type: 'number',
          min: 0,
          max: 100,
          step: 0.5,
          required: true,
        },
        { id: 'calcified', name: 'Calcified', type: 'boolean', default: false },
      ],
    },
    {
      id: 'metastasis',
      name: 'Bone metastasis',
      color: '#ffd040',
      kinds: ['box', 'mask'],
      parent: 'lesion',
      attributes: [
        {
          id: 'kind',
          name: 'Appearance',
          type: 'enum',
          options: ['lytic', 'sclerotic', 'mixed'],
          multiple: true,
        },
        { id: 'note', name: 'Note', type: 'text', maxLength: 120 },
      ],
    },
    {
      id: 'organ',
      name: 'Organ',
      color: '#4090ff',
      kinds: ['polygon', 'mask'],
      category: { value: '91723000', scheme: 'SCT', meaning: 'Anatomical Structure' },
    },
    {
      id: 'liver',
      name: 'Liver',
      color: '#40d070',
      kinds: ['polygon', 'mask'],
      parent: 'organ',
      type: { value: '10200004', scheme: 'SCT', meaning: 'Liver' },
    },
    {
      id: 'lung',
      name: 'Lung',
      color: '#70b0ff',
      kinds: ['polygon', 'mask'],
      parent: 'organ',
      type: { value: '39607008', scheme: 'SCT', meaning: 'Lung' },
    },
  ],
};

const meta: Meta = {
  title: 'Labels/vx-label-picker',
  component: 'vx-label-picker',
  // Helpers shared with the export stories, not stories.
  excludeStories: ['clinicalSchema', 'phantomSeries', 'seedPhantom', 'phantomViewer'],
  parameters: {
    docs: {
      description: {
        component:
          'Shows the label schema as a hierarchy with colours. Click a label, use ↑/↓, or press 1–9 to make it ' +
          'active (filled marker); the selected annotation’s label has an outlined marker. The list is one Tab ' +
          'stop: → and ← reach the eye and lock beside each label, which hide it (not drawn, not hit) or lock it ' +
          '(drawn, never edited) in the viewer. With an annotation selected, edit its attributes: required ones ' +
          'are marked with * and validated; every change is one undoable edit, Ctrl+Z undoes the document, and ' +
          'relabelling drops the attributes the new label does not define. "Show me" finds the annotations ' +
          'still missing a required attribute.',
      },
    },
  },
};
export default meta;
type Story = StoryObj;

/** A standalone picker on a document whose selected nodule still lacks its required attributes. */
export const HierarchyAndRequiredAttributes: Story = {
  name: 'Hierarchy and required attributes',
  render: () => {
    const doc = new AnnotationDocument({ width: 64, height: 64 });
    const a = doc.add({
      label: 'nodule',
      kind: 'box',
      slice: 0,
      box: { x: 4, y: 4, width: 10, height: 10 },
      attributes: { calcified: false, diameter: 140 },
    });
    return html`<div style="max-width:280px">
      <vx-label-picker
        .schema=${clinicalSchema}
        .document=${doc}
        selected=${a.id}
        active="nodule"
      ></vx-label-picker>
    </div>`;
  },
};

/** Names are text: a label called `<img src=x onerror=alert(1)>` shows those characters and runs nothing. */
export const HostileNames: Story = {
  name: 'Names are rendered as text',
  render: () => {
    const schema: LabelSchema = {
      version: 1,
      labels: [
        { id: 'x', name: '<img src=x onerror=alert(1)>', color: '#ff00ff', kinds: ['box'] },
        { id: 'y', name: '<script>alert(2)</script>', color: '#00ffff', kinds: ['box'], parent: 'x' },
      ],
    };
    return html`<div style="max-width:320px"><vx-label-picker .schema=${schema}></vx-label-picker></div>`;
  },
};

let series: Promise<ImageStack> | undefined;
/** The phantom as real DICOM files (so it has SOP Instance UIDs and DICOM SEG export works). */
export function phantomSeries(): Promise<ImageStack> {
  series ??= loadImageStack(phantomDicomSeries());
  return series;
}

/** Seeds a few annotations on the phantom: a nodule box, a lung mask, a liver mask. */
export function seedPhantom(el: VxViewer): void {
  const doc = el.document as unknown as AnnotationDocument;
  if (!doc || doc.size) return;
  const [nodule, mass, liver, bone] = phantomLesions(256, 60);
  const box = doc.add(
    {
      label: 'nodule',
      kind: 'box',
      slice: nodule!.slice,
      box: { x: Math.round(nodule!.x - 9), y: Math.round(nodule!.y - 9), width: 18, height: 18 },
      attributes: { calcified: false },
    },
    { origin: 'silent' },
  );
  for (let z = mass!.slice - 3; z <= mass!.slice + 3; z++) {
    const m = doc.createMask();
    const r = mass!.radius * Math.sqrt(Math.max(0.2, 1 - ((z - mass!.slice) / 4) ** 2));
    paintStroke(m, mass!.x - 1, mass!.y, mass!.x + 1, mass!.y, 2 * r);
    doc.add(
      { label: 'nodule', kind: 'mask', slice: z, mask: m, attributes: { texture: 'solid', diameter: 22 } },
      { origin: 'silent' },
    );
  }
  const lm = doc.createMask();
  paintStroke(lm, liver!.x - 20, liver!.y - 4, liver!.x + 16, liver!.y + 10, 34);
  doc.add({ label: 'liver', kind: 'mask', slice: liver!.slice, mask: lm }, { origin: 'silent' });
  doc.add(
    {
      label: 'metastasis',
      kind: 'box',
      slice: bone!.slice,
      box: { x: Math.round(bone!.x - 8), y: Math.round(bone!.y - 8), width: 16, height: 16 },
      attributes: { kind: 'lytic' },
    },
    { origin: 'silent' },
  );
  el.editor.selection.set([box.id]);
}

/** The picker bound to a viewer: it sets the viewer's active label and edits the selection's attributes. */
export const WithViewer: Story = {
  name: 'Bound to a viewer',
  render: () =>
    html`<div
      style="display:grid; grid-template-columns: 1fr 260px; gap:8px; max-width:1000px; font: 13px system-ui"
    >
      <div style="display:grid; gap:6px">
        <vx-toolbar for="labels-viewer"></vx-toolbar>
        <div style="height:520px; display:grid">${phantomViewer('labels-viewer')}</div>
      </div>
      <vx-label-picker for="labels-viewer"></vx-label-picker>
    </div>`,
};

/** Binds keys 1–9 to the labels (in the order the picker lists them) instead of the window presets. */
function labelKeys(el: VxViewer): void {
  const keymap = { ...el.keymap };
  for (let n = 1; n <= 9; n++) {
    keymap[`window-preset-${n}`] = [];
    keymap[`label-${n}`] = [String(n)];
  }
  el.keymap = keymap;
}

/**
 * Per-label hide and lock: Liver is hidden (its mask is not drawn and cannot be clicked), Lung nodule is
 * locked (drawn and selectable, never moved, resized, erased or deleted). Toggle them with the eye and lock
 * beside each label, or with the toolbar's hide and lock, which act on the active label when nothing is
 * selected. Keys 1–9 are bound to the labels here: click the image, then press 5 for Liver.
 */
export const HideAndLockPerLabel: Story = {
  name: 'Hide and lock per label, keys 1–9',
  render: () =>
    html`<div
      style="display:grid; grid-template-columns: 1fr 280px; gap:8px; max-width:1000px; font: 13px system-ui"
    >
      <div style="display:grid; gap:6px">
        <vx-toolbar for="labels-hide-viewer"></vx-toolbar>
        <div
          style="height:520px; display:grid"
          @vx-load=${(e: Event) => {
            const el = e.target as VxViewer;
            labelKeys(el);
            el.activeLabel = 'nodule';
            requestAnimationFrame(() => {
              const editor = el.editor;
              editor?.setLabelHidden('liver', true);
              editor?.setLabelLocked('nodule', true);
              editor?.selection.clear();
            });
          }}
        >
          ${phantomViewer('labels-hide-viewer')}
        </div>
      </div>
      <vx-label-picker for="labels-hide-viewer"></vx-label-picker>
    </div>`,
};

/**
 * A viewer on the phantom DICOM series with every annotation layer, seeded with a few annotations. `autosave`
 * keeps drafts under that key; `children` go inside the viewer beside the layers (e.g. `<vx-hotkeys>`).
 */
export function phantomViewer(id: string, extra: { autosave?: string; children?: unknown } = {}) {
  const viewer = html`<vx-viewer
    id=${id}
    label="CT phantom"
    style="height:100%"
    autosave=${ifDefined(extra.autosave)}
    .labelSchema=${clinicalSchema}
    .slice=${phantomLesions(256, 60)[0]!.slice}
    tool="select"
    @vx-load=${(e: Event) => {
      const el = e.target as VxViewer;
      requestAnimationFrame(() => seedPhantom(el));
    }}
    ><vx-box-layer></vx-box-layer><vx-polygon-layer></vx-polygon-layer
    ><vx-mask-layer></vx-mask-layer>${extra.children ?? nothing}</vx-viewer
  >`;
  void phantomSeries().then((stack) => {
    const el = document.getElementById(id) as VxViewer | null;
    if (el && !el.stack) el.stack = stack;
  });
  return viewer;
}
