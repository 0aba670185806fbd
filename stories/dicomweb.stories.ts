import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html, render } from 'lit';
import { storeInstances } from '../src/core/dicomweb/index.js';
import { toDicomSeg } from '../src/core/formats/seg.js';
import type { VxStudyBrowser } from '../src/elements/vx-study-browser.js';
import type { VxViewer } from '../src/elements/vx-viewer.js';
import { clinicalSchema } from './labels.stories.js';
import '../src/define.js';

/** Storybook's dev server proxies this to the Orthanc of `npm run pacs` (see .storybook/main.ts). */
const URL = '/dicom-web';

const NOT_RUNNING = html`<div style="font: 14px system-ui; max-width: 640px; line-height: 1.5">
  <h3>No demo PACS is running</h3>
  <p>
    These stories browse a local Orthanc. Start it in another terminal with <code>npm run pacs</code> (it
    needs Debian's <code>orthanc</code> and <code>orthanc-dicomweb</code> packages:
    <code>sudo apt-get install orthanc orthanc-dicomweb</code>), then reload this page. It listens on port
    8042 (<code>VOXMARK_PACS_PORT</code> changes it, for both).
  </p>
</div>`;

/** Renders `story` when the demo PACS answers, and how to start it when it does not. */
function whenPacsRuns(story: () => unknown) {
  const host = document.createElement('div');
  fetch(`${URL}/studies?limit=1`, { headers: { Accept: 'application/dicom+json' } })
    .then((r) => (r.ok ? r.json() : Promise.reject(new Error(String(r.status)))))
    .then(
      () => render(story(), host),
      () => render(NOT_RUNNING, host),
    );
  return host;
}

async function saveSeg(button: HTMLButtonElement, status: HTMLElement): Promise<void> {
  const viewer = document.getElementById('pacs-viewer') as VxViewer | null;
  const stack = viewer?.stack;
  if (!viewer || !stack || !viewer.document) {
    status.textContent = 'Open a series first.';
    return;
  }
  button.disabled = true;
  status.textContent = 'Saving…';
  try {
    const seg = await toDicomSeg(viewer.document, stack, clinicalSchema, {
      seriesDescription: 'voxmark SEG',
    });
    const answer = await storeInstances(URL, [seg], {
      studyInstanceUID: stack.metadata.studyInstanceUID as string,
    });
    status.textContent =
      answer.status === 'failed'
        ? `Failed: ${answer.failed.map((f) => f.reasonText).join('; ')}`
        : `${answer.status === 'warning' ? 'Stored with a warning' : 'Stored'}: ${answer.stored.length} SEG instance`;
  } catch (e) {
    status.textContent = `Failed: ${(e as Error).message}`;
  } finally {
    button.disabled = false;
  }
}

const meta: Meta = {
  title: 'DICOMweb/vx-study-browser',
  component: 'vx-study-browser',
  parameters: {
    docs: {
      description: {
        component:
          'Searches a DICOMweb archive (QIDO-RS) by patient, date, modality and accession; lists the series of ' +
          'a study with lazily fetched thumbnails; and opens the chosen series in the viewer named by `for` ' +
          'through `loadDicomWeb` (frames fetched as you scroll, prefetched around the current slice). These ' +
          'stories read the Orthanc that `npm run pacs` starts.',
      },
    },
  },
};
export default meta;
type Story = StoryObj;

/** Browse the demo PACS and open a series in the viewer. */
export const Browse: Story = {
  name: 'Browse the demo PACS',
  render: () =>
    whenPacsRuns(
      () =>
        html`<div
          style="display:grid; grid-template-columns: minmax(420px, 1fr) 1fr; gap: 8px; font: 13px system-ui"
        >
          <vx-study-browser url=${URL} for="pacs-viewer"></vx-study-browser>
          <div style="height: 560px; display: grid">
            <vx-viewer id="pacs-viewer" .labelSchema=${clinicalSchema}
              ><vx-mask-layer></vx-mask-layer
            ></vx-viewer>
          </div>
        </div>`,
    ),
};

/** Open a series, paint a mask with a label, then store the DICOM SEG back next to its source. */
export const AnnotateAndSave: Story = {
  name: 'Annotate and save the SEG back',
  render: () =>
    whenPacsRuns(
      () =>
        html`<div
          style="display:grid; grid-template-columns: minmax(420px, 1fr) 1fr 260px; gap: 8px; font: 13px system-ui"
        >
          <vx-study-browser url=${URL} for="pacs-viewer" modality="CT"></vx-study-browser>
          <div style="display:grid; gap:6px; grid-template-rows: auto 560px">
            <vx-toolbar for="pacs-viewer"></vx-toolbar>
            <vx-viewer id="pacs-viewer" .labelSchema=${clinicalSchema}>
              <vx-mask-layer></vx-mask-layer>
              <vx-box-layer></vx-box-layer>
            </vx-viewer>
          </div>
          <div style="display:grid; gap:8px; align-content:start">
            <vx-label-picker for="pacs-viewer"></vx-label-picker>
            <button
              type="button"
              @click=${(e: Event) => {
                const button = e.currentTarget as HTMLButtonElement;
                void saveSeg(button, button.nextElementSibling as HTMLElement);
              }}
            >
              Save SEG to PACS
            </button>
            <p role="status"></p>
          </div>
        </div>`,
    ),
};

/** The browser alone, filtered by attributes, reporting the series chosen instead of opening it. */
export const EventOnly: Story = {
  name: 'vx-series-select without a viewer',
  render: () =>
    whenPacsRuns(
      () =>
        html`<div style="display:grid; gap:8px; font: 13px system-ui">
          <vx-study-browser
            url=${URL}
            patient-id="PHANTOM-0001"
            page-size="10"
            @vx-series-select=${(e: CustomEvent) => {
              const out = (e.currentTarget as VxStudyBrowser).nextElementSibling!;
              out.textContent = JSON.stringify(
                { study: e.detail.studyInstanceUID, series: e.detail.seriesInstanceUID },
                null,
                2,
              );
            }}
          ></vx-study-browser>
          <pre aria-label="Chosen series"></pre>
        </div>`,
    ),
};
