import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html, render } from 'lit';
import {
  AnnotationDocument,
  exportDatasetBlob,
  loadImageStack,
  parseLabelSchema,
  type DatasetFormat,
  type DatasetItem,
} from '../src/index.js';
import { phantomDicomSeries, phantomLesions } from './data/phantom.js';
import '../src/define.js';

interface DatasetArgs {
  nnunet: boolean;
  msd: boolean;
  coco: boolean;
  yolo: boolean;
  voxmark: boolean;
  cocoImages: 'png8-window' | 'png16';
  seed: string;
}

const meta: Meta<DatasetArgs> = {
  title: 'Core/Dataset export',
  args: {
    nnunet: true,
    msd: false,
    coco: true,
    yolo: true,
    voxmark: false,
    cocoImages: 'png8-window',
    seed: 'demo',
  },
  argTypes: { cocoImages: { control: 'inline-radio', options: ['png8-window', 'png16'] } },
  parameters: {
    docs: {
      description: {
        component:
          'exportDataset(items, options) turns annotated series into one zip an ML pipeline trains on: nnU-Net v2, ' +
          'the Medical Segmentation Decathlon, COCO or YOLO, with images beside their labels, patient-grouped ' +
          'splits and a data card. Here: four phantom CT series of three patients, de-identified on load, with ' +
          'every lesion as a mask and a box. See docs/datasets.md.',
      },
    },
  },
};
export default meta;
type Story = StoryObj<DatasetArgs>;

const SIZE = 128;
const DEPTH = 24;

const schema = parseLabelSchema({
  version: 1,
  labels: [
    { id: 'lesion', name: 'Lesion', color: '#ff3b30', kinds: ['mask'] },
    { id: 'finding', name: 'Finding box', color: '#0a84ff', kinds: ['box'] },
  ],
});

/** One phantom series, de-identified on load, with a mask and a box on every slice a lesion crosses. */
async function phantomCase(seed: number, patientId: string): Promise<DatasetItem> {
  const stack = await loadImageStack(phantomDicomSeries({ size: SIZE, depth: DEPTH, seed }), {
    deidentify: true,
  });
  const document = new AnnotationDocument({ width: SIZE, height: SIZE, depth: DEPTH });
  for (const lesion of phantomLesions(SIZE, DEPTH)) {
    for (let z = 0; z < DEPTH; z++) {
      const dz = (z - lesion.slice) / Math.max(lesion.radiusSlices, 0.5);
      if (Math.abs(dz) >= 1) continue;
      const r = lesion.radius * Math.sqrt(1 - dz * dz);
      const data = new Uint8Array(SIZE * SIZE);
      for (let y = 0; y < SIZE; y++)
        for (let x = 0; x < SIZE; x++)
          if ((x + 0.5 - lesion.x) ** 2 + (y + 0.5 - lesion.y) ** 2 <= r * r) data[y * SIZE + x] = 1;
      document.add([
        { label: 'lesion', kind: 'mask', slice: z, mask: { data } },
        {
          label: 'finding',
          kind: 'box',
          slice: z,
          box: { x: lesion.x - r, y: lesion.y - r, width: 2 * r, height: 2 * r },
        },
      ]);
    }
  }
  // Splits group by patient: the loader's pseudonymous ids are all the same for the phantom, so say who is who.
  return { stack, document, schema, patientId };
}

async function build(host: HTMLElement, args: DatasetArgs): Promise<void> {
  const status = host.querySelector<HTMLElement>('[data-status]')!;
  const out = host.querySelector<HTMLElement>('[data-out]')!;
  const formats = (['nnunet', 'msd', 'coco', 'yolo', 'voxmark'] as const).filter(
    (f) => args[f],
  ) as DatasetFormat[];
  if (formats.length === 0) {
    status.textContent = 'Pick at least one layout.';
    return;
  }
  status.textContent = 'Loading four phantom series of three patients…';
  const items = await Promise.all([
    phantomCase(1, 'ANON-A'),
    phantomCase(2, 'ANON-A'),
    phantomCase(3, 'ANON-B'),
    phantomCase(4, 'ANON-C'),
  ]);
  const blob = await exportDatasetBlob(items, {
    formats,
    name: 'Phantom',
    split: { ratios: [0.5, 0.25, 0.25], seed: args.seed },
    images: { coco: args.cocoImages },
    onProgress: ({ done, total }) => (status.textContent = `Writing series ${done} of ${total}…`),
  });
  const url = URL.createObjectURL(blob);
  status.textContent = `Done: ${(blob.size / 1024 / 1024).toFixed(1)} MiB.`;
  render(
    html`<a href=${url} download="phantom-dataset.zip">Download phantom-dataset.zip</a>
      <p style="color:#555">Unzip it and follow its README.md to train (nnU-Net, detectron2, YOLO).</p>`,
    out,
  );
}

/** Builds the dataset in the browser and offers the zip. */
export const ThreePatients: Story = {
  name: 'Three-patient dataset',
  render: (args) =>
    html`<div style="font: 13px system-ui; display: grid; gap: 8px; max-width: 640px">
      <p>
        Layouts:
        ${(['nnunet', 'msd', 'coco', 'yolo', 'voxmark'] as const).filter((f) => args[f]).join(', ') || 'none'}
        (change them in the controls).
      </p>
      <button
        @click=${(e: Event) => {
          const host = (e.target as HTMLElement).parentElement!;
          build(host, args).catch((err: unknown) => {
            host.querySelector<HTMLElement>('[data-status]')!.textContent =
              `Failed: ${(err as Error).message}`;
          });
        }}
      >
        Build dataset
      </button>
      <div data-status role="status"></div>
      <div data-out></div>
    </div>`,
};

/** A panel that loads its items, then renders: the host side of "Export dataset". */
function panelStory(): HTMLElement {
  const host = document.createElement('div');
  host.style.cssText = 'font: 13px system-ui; display: grid; gap: 8px; max-width: 520px';
  host.textContent = 'Loading four phantom series of three patients…';
  Promise.all([
    phantomCase(1, 'ANON-A'),
    phantomCase(2, 'ANON-A'),
    phantomCase(3, 'ANON-B'),
    phantomCase(4, 'ANON-C'),
  ]).then(
    (items) => {
      // Lit renders after what the container holds: drop the loading line first.
      host.textContent = '';
      render(
        html`<p>
            Four de-identified phantom series of three patients. Tick the layouts and press "Export dataset":
            the panel reports each series as it is written, then downloads the zip.
          </p>
          <vx-export-panel
            .datasetItems=${items}
            dataset-name="Phantom"
            dataset-seed="demo"
          ></vx-export-panel>`,
        host,
      );
    },
    (err: unknown) => (host.textContent = `Failed: ${(err as Error).message}`),
  );
  return host;
}

/** The same dataset through `<vx-export-panel>`: the host hands it `datasetItems`. */
export const ThroughThePanel: Story = {
  name: 'Three-patient dataset through <vx-export-panel>',
  render: () => panelStory(),
};

/** An identified series among the items: the panel refuses the export and says which one, in words. */
export const Refused: Story = {
  name: 'An identified series is refused',
  render: () => {
    const host = document.createElement('div');
    host.style.cssText = 'font: 13px system-ui; max-width: 520px';
    Promise.all([
      phantomCase(1, 'ANON-A'),
      loadImageStack(phantomDicomSeries({ size: SIZE, depth: 4, seed: 5 })),
    ])
      .then(([item, identified]) => {
        const items: DatasetItem[] = [
          item,
          {
            stack: identified,
            document: new AnnotationDocument({ width: SIZE, height: SIZE, depth: 4 }),
            schema,
            caseId: 'not-deidentified',
          },
        ];
        render(html`<vx-export-panel .datasetItems=${items}></vx-export-panel>`, host);
      })
      .catch((err: unknown) => (host.textContent = `Failed: ${(err as Error).message}`));
    return host;
  },
};
