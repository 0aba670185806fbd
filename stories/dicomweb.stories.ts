import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html, render } from 'lit';
import { searchSeries } from '../src/core/dicomweb/index.js';
import type { VxStudyBrowser } from '../src/elements/vx-study-browser.js';
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

/**
 * Open a series, paint a mask with a label, then "Save to PACS" in the export panel: the DICOM SEG is stored
 * next to its source (a new SEG series each time) and the archive's answer shows. "Stored segmentations"
 * lists the SEGs stored for the series; "Load" brings one back as annotations (one undo step).
 */
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
            <vx-export-panel for="pacs-viewer" file-base="voxmark"></vx-export-panel>
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
          <pre role="status" aria-label="Chosen series"></pre>
        </div>`,
    ),
};

/** No host code: the viewer's `dicomweb`, `study` and `series` attributes name the series. */
export const NoCode: Story = {
  name: '<vx-viewer dicomweb study series>',
  render: () => {
    const host = document.createElement('div');
    searchSeries({ url: URL, modality: 'CT', limit: 1 }).then(
      ([s]) =>
        render(
          s
            ? html`<div style="display:grid; gap:6px; font: 13px system-ui">
                <code
                  >&lt;vx-viewer dicomweb="${URL}" study="${s.studyInstanceUID}"
                  series="${s.seriesInstanceUID}"&gt;</code
                >
                <div style="height: 520px; display: grid">
                  <vx-viewer
                    id="nocode-viewer"
                    dicomweb=${URL}
                    study=${s.studyInstanceUID}
                    series=${s.seriesInstanceUID}
                    .labelSchema=${clinicalSchema}
                    ><vx-mask-layer></vx-mask-layer
                  ></vx-viewer>
                </div>
                <vx-export-panel for="nocode-viewer"></vx-export-panel>
              </div>`
            : html`The demo PACS holds no CT series.`,
          host,
        ),
      () => render(NOT_RUNNING, host),
    );
    return host;
  },
};
