import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../../src/define.js';
import type { VxStudyBrowser } from '../../src/elements/vx-study-browser.js';
import { VxSeriesSelectEvent } from '../../src/elements/vx-study-browser.js';
import type { VxViewer } from '../../src/elements/vx-viewer.js';
import {
  DICOMWEB,
  faultUrl,
  requirePacs,
  seriesByDescription,
  type PacsStatus,
} from '../core/dicomweb/pacs.js';

function rows(el: VxStudyBrowser): HTMLTableRowElement[] {
  return [...el.shadowRoot!.querySelectorAll<HTMLTableRowElement>('tbody tr')];
}

function cards(el: VxStudyBrowser): HTMLElement[] {
  return [...el.shadowRoot!.querySelectorAll<HTMLElement>('[role="option"]')];
}

async function browser(url = DICOMWEB): Promise<VxStudyBrowser> {
  const el = await fixture<VxStudyBrowser>(html`<vx-study-browser url=${url}></vx-study-browser>`);
  await waitUntil(() => rows(el).length > 0, 'studies listed');
  return el;
}

describe('<vx-study-browser> against Orthanc', function () {
  let pacs: PacsStatus;
  before(async function () {
    pacs = await requirePacs(this);
  });

  it('lists the studies, newest first, and is accessible', async () => {
    const el = await browser();
    expect(rows(el)).to.have.length(4);
    const dates = el.results.map((s) => s.studyDate ?? '');
    expect(dates).to.deep.equal([...dates].sort().reverse());
    expect(el.results[0]!.patientId).to.equal('PHANTOM-0001');
    await expect(el).to.be.accessible();
  });

  it('filters with the search form and sorts by a column header', async () => {
    const el = await browser();
    const sortByPatient = [...el.shadowRoot!.querySelectorAll<HTMLButtonElement>('th button')].find(
      (b) => b.textContent === 'Patient',
    )!;
    sortByPatient.click();
    await el.updateComplete;
    const names = el.results.map((s) => s.patientName ?? '');
    expect(names).to.deep.equal([...names].sort((a, b) => a.localeCompare(b)));
    expect(sortByPatient.parentElement!.getAttribute('aria-sort')).to.equal('ascending');

    const input = el.shadowRoot!.querySelector<HTMLInputElement>('input[name="modality"]')!;
    input.value = 'MR';
    el.shadowRoot!.querySelector<HTMLButtonElement>('[part="search"]')!.click();
    await waitUntil(() => rows(el).length === 1, 'filtered to the MR study');
    expect(el.results[0]!.modalities).to.deep.equal(['MR']);
  });

  it('opens a study and chooses a series with the keyboard, loading it into the viewer named by for=', async () => {
    const phantom = seriesByDescription(pacs, 'JPEG-LS');
    const wrapper = await fixture<HTMLDivElement>(
      html`<div>
        <vx-study-browser url=${DICOMWEB} for="v"></vx-study-browser>
        <vx-viewer id="v" style="width: 200px; height: 200px"></vx-viewer>
      </div>`,
    );
    const el = wrapper.querySelector('vx-study-browser')!;
    const viewer = wrapper.querySelector<VxViewer>('vx-viewer')!;
    await waitUntil(() => rows(el).length === 4, 'studies listed');
    rows(el)[0]!.focus();
    await sendKeys({ press: 'Enter' }); // newest first: the phantom study
    await waitUntil(() => cards(el).length === 2, 'series listed');
    // Thumbnails load lazily, as the cards come into view.
    await waitUntil(
      () => el.shadowRoot!.querySelectorAll('img[part="thumbnail"]').length === 2,
      'thumbnails',
      {
        timeout: 8000,
      },
    );
    await expect(el).to.be.accessible();
    cards(el)[0]!.focus();
    await sendKeys({ press: 'ArrowRight' });
    const selected = oneEvent(el, VxSeriesSelectEvent.type);
    await sendKeys({ press: 'Enter' });
    const event = (await selected) as VxSeriesSelectEvent;
    expect(event.detail).to.include({
      url: DICOMWEB,
      studyInstanceUID: phantom.studyInstanceUID,
      seriesInstanceUID: phantom.seriesInstanceUID,
    });
    await waitUntil(() => viewer.stack?.depth === 5, 'the viewer shows the series', { timeout: 8000 });
    expect(viewer.stack!.metadata.seriesInstanceUID).to.equal(phantom.seriesInstanceUID);
  });

  it('says the archive refused the credentials, and fires vx-error with unauthorized', async () => {
    const el = document.createElement('vx-study-browser');
    const failed = oneEvent(el, 'vx-error');
    el.url = faultUrl('401');
    document.body.append(el);
    const e = await failed;
    expect(e.detail.error.code).to.equal('unauthorized');
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('[part="status"]')!.textContent).to.contain(
      'refused the credentials',
    );
    el.remove();
  });
});
