// <vx-viewer dicomweb study series> and the export panel's PACS section, against the test Orthanc.
import { expect, html, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys, sendMouse } from '@web/test-runner-commands';
import { AnnotationDocument } from '../../src/core/annotation/document.js';
import type { VoxmarkError } from '../../src/core/errors.js';
import type { VxStoreEvent } from '../../src/elements/events.js';
import type { VxExportPanel } from '../../src/elements/vx-export-panel.js';
import { blobMask } from '../core/formats/helpers.js';
import { hierarchical } from '../core/schema/fixtures.js';
import { DICOMWEB, requirePacs, seriesByDescription, type PacsStatus } from '../core/dicomweb/pacs.js';
import { mount } from './helpers.js';

/** Clicks the middle of a button in `el`'s shadow root, as a user would. */
async function click(el: Element, selector: string): Promise<void> {
  const button = el.shadowRoot!.querySelector<HTMLElement>(selector);
  expect(button, selector).to.not.equal(null);
  const r = button!.getBoundingClientRect();
  await sendMouse({
    type: 'click',
    position: [Math.round(r.x + r.width / 2), Math.round(r.y + r.height / 2)],
  });
}

function text(el: Element, part: string): string {
  return el.shadowRoot!.querySelector(`[part~="${part}"]`)?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
}

describe('<vx-viewer> on a DICOMweb series (Orthanc)', function () {
  let pacs: PacsStatus;
  before(async function () {
    pacs = await requirePacs(this);
  });

  it('loads the series its dicomweb, study and series attributes name, and another when they change', async () => {
    const scratch = seriesByDescription(pacs, 'Scratch');
    const phantom = seriesByDescription(pacs, 'JPEG-LS');
    const { viewer } = await mount(html`<vx-viewer style="width: 200px; height: 160px"></vx-viewer>`);
    let loaded = oneEvent(viewer, 'vx-load');
    viewer.setAttribute('study', scratch.studyInstanceUID);
    viewer.setAttribute('series', scratch.seriesInstanceUID);
    viewer.setAttribute('dicomweb', DICOMWEB);
    await loaded;
    expect(viewer.stack!.depth).to.equal(2);
    expect(viewer.dicomWebSource).to.deep.equal({
      url: DICOMWEB,
      studyInstanceUID: scratch.studyInstanceUID,
      seriesInstanceUID: scratch.seriesInstanceUID,
    });

    loaded = oneEvent(viewer, 'vx-load');
    viewer.study = phantom.studyInstanceUID;
    viewer.series = phantom.seriesInstanceUID;
    const { detail } = await loaded;
    expect(detail.stack).to.equal(viewer.stack);
    expect(viewer.dicomWebSource!.seriesInstanceUID).to.equal(phantom.seriesInstanceUID);
    expect(viewer.stack!.metadata['seriesDescription']).to.equal(phantom.description);
    await expect(viewer).to.be.accessible();
  });

  it('fires vx-error with not-found for a series the archive does not hold', async () => {
    const scratch = seriesByDescription(pacs, 'Scratch');
    const { viewer } = await mount(html`<vx-viewer></vx-viewer>`);
    const failed = oneEvent(viewer, 'vx-error');
    viewer.study = scratch.studyInstanceUID;
    viewer.series = '1.2.3.4.5.6.7';
    viewer.dicomweb = DICOMWEB;
    const { detail } = await failed;
    expect((detail.error as VoxmarkError).code).to.equal('not-found');
    expect(viewer.stack).to.equal(undefined);
    await viewer.updateComplete;
    expect(viewer.shadowRoot!.querySelector('[part~="error"]')!.textContent).to.contain('not-found');
  });

  it('shows a frame that fails in place, and the other slices still work', async () => {
    const scratch = seriesByDescription(pacs, 'Scratch');
    const { viewer } = await mount(html`<vx-viewer style="width: 200px; height: 160px"></vx-viewer>`);
    // The host's fetch (as for authentication): the archive refuses the frames of the first instance.
    let refused = '';
    viewer.fetch = (input, init) => {
      const url = String(input instanceof Request ? input.url : input);
      if (refused && url.includes(`/instances/${refused}/frames`)) {
        return Promise.resolve(new Response('no', { status: 401 }));
      }
      return fetch(input, init);
    };
    const probe = await (
      await import('../../src/core/dicomweb/load.js')
    ).loadDicomWeb({
      url: DICOMWEB,
      studyInstanceUID: scratch.studyInstanceUID,
      seriesInstanceUID: scratch.seriesInstanceUID,
    });
    refused = probe.slices[0]!.sopInstanceUID!;
    probe.dispose();

    const failed = oneEvent(viewer, 'vx-error');
    viewer.study = scratch.studyInstanceUID;
    viewer.series = scratch.seriesInstanceUID;
    viewer.dicomweb = DICOMWEB;
    const { detail } = await failed;
    expect((detail.error as VoxmarkError).code).to.equal('unauthorized');
    expect(viewer.phase).to.equal('error');
    await viewer.updateComplete;
    expect(viewer.shadowRoot!.querySelector('[part~="error"]')!.textContent).to.contain('unauthorized');

    viewer.focus();
    await sendKeys({ press: 'ArrowDown' });
    await waitUntil(() => viewer.phase === 'ready' && viewer.displayedSlice === 1, 'slice 2 shows');
    expect(viewer.frame!.width).to.equal(32);
  });

  it('saves the SEG to the PACS twice as two instances, lists them and loads one back as one undo step', async () => {
    const scratch = seriesByDescription(pacs, 'Scratch');
    const { root, viewer } = await mount<HTMLDivElement>(
      html`<div>
        <vx-viewer id="pacs-viewer" style="width: 200px; height: 160px"></vx-viewer>
        <vx-export-panel for="pacs-viewer"></vx-export-panel>
      </div>`,
      { labelSchema: hierarchical },
    );
    const panel = root.querySelector<VxExportPanel>('vx-export-panel')!;
    expect(
      panel.shadowRoot!.querySelector('[part~="pacs"]'),
      'no PACS section for a stack from files',
    ).to.equal(null);
    const loaded = oneEvent(viewer, 'vx-load');
    viewer.study = scratch.studyInstanceUID;
    viewer.series = scratch.seriesInstanceUID;
    viewer.dicomweb = DICOMWEB;
    await loaded;
    const { width, height } = viewer.stack!;
    viewer.document!.add({
      label: 'tumour',
      kind: 'mask',
      slice: 1,
      mask: { data: blobMask(width, height, 3, 4, 12, 10) },
    });
    await panel.updateComplete;

    const uids: string[] = [];
    for (let i = 0; i < 2; i++) {
      const stored = oneEvent(panel, 'vx-store') as Promise<VxStoreEvent>;
      await click(panel, '[part~="save-pacs"]');
      const { detail } = await stored;
      expect(detail.result.status).to.equal('stored');
      expect(detail.studyInstanceUID).to.equal(scratch.studyInstanceUID);
      uids.push(detail.result.stored[0]!.sopInstanceUID!);
      await panel.updateComplete;
      expect(text(panel, 'pacs-status')).to.equal(`Stored in the PACS as ${uids[i]}`);
    }
    expect(uids[0]).to.not.equal(uids[1]);

    await click(panel, '[part~="list-stored"]');
    await waitUntil(() => panel.shadowRoot!.querySelectorAll('[part~="load-stored"]').length >= 2, 'listed');
    const listed = (await viewer.storedSegmentations()).map((s) => s.sopInstanceUID);
    expect(listed).to.include.members(uids);
    await expect(panel).to.be.accessible();

    const mask = Array.from(viewer.document!.getMask(viewer.document!.annotations[0]!.id)!.data);
    viewer.document!.clear();
    await click(panel, '[part~="load-stored"]');
    await waitUntil(() => viewer.document!.annotations.length === 1, 'the stored SEG is loaded back');
    const back = viewer.document!.annotations[0]!;
    expect([back.label, back.kind, back.slice]).to.deep.equal(['tumour', 'mask', 1]);
    expect(Array.from(viewer.document!.getMask(back.id)!.data)).to.deep.equal(mask);
    expect(text(panel, 'pacs-status')).to.match(/^Loaded 1 annotation from /);
    viewer.document!.undo();
    expect(viewer.document!.annotations).to.have.length(0);
  });

  it('rejects loadSegmentation for a stack that did not come from DICOMweb', async () => {
    const doc = new AnnotationDocument({ width: 4, height: 4, depth: 1 });
    const { viewer } = await mount(html`<vx-viewer></vx-viewer>`, { labelSchema: hierarchical });
    viewer.document = doc;
    expect(viewer.dicomWebSource).to.equal(undefined);
    const error = await viewer.loadSegmentation('1.2.3').then(
      () => undefined,
      (e: VoxmarkError) => e,
    );
    expect(error?.code).to.equal('invalid-argument');
  });
});
