// Tests of <vx-export-panel>, the label picker's companion in the stories (kept beside its tests).
import { expect, fixture, html } from '@open-wc/testing';
import { AnnotationDocument } from '../../src/core/annotation/document.js';
import { parseDocument } from '../../src/core/formats/document.js';
import '../../src/define.js';
import type { VxExportEvent } from '../../src/elements/events.js';
import type { VxExportPanel } from '../../src/elements/vx-export-panel.js';
import { hierarchical } from '../core/schema/fixtures.js';
import { blobMask, testStack } from '../core/formats/helpers.js';

const W = 16;
const H = 12;

function setup() {
  const stack = testStack({ width: W, height: H, depth: 3 });
  const doc = new AnnotationDocument({ width: W, height: H, depth: 3 });
  doc.add({ label: 'tumour', kind: 'mask', slice: 1, mask: { data: blobMask(W, H, 2, 2, 8, 6) } });
  doc.add({ label: 'organ', kind: 'box', slice: 0, box: { x: 1, y: 1, width: 4, height: 3 } });
  return { stack, doc };
}

async function exportOnce(el: VxExportPanel, format: string): Promise<VxExportEvent[]> {
  const events: VxExportEvent[] = [];
  const onExport = (e: VxExportEvent) => {
    e.preventDefault(); // no download in tests: take the Blob
    events.push(e);
  };
  el.addEventListener('vx-export', onExport);
  const button = el.shadowRoot!.querySelector<HTMLButtonElement>(`[part~="button-${format}"]`)!;
  expect(button.disabled).to.equal(false);
  button.click();
  // A document with validation problems is held back with a warning: export it anyway.
  await el.updateComplete;
  el.shadowRoot!.querySelector<HTMLButtonElement>('[part~="export-anyway"]')?.click();
  for (let i = 0; i < 100 && events.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
  await new Promise((r) => setTimeout(r, 20));
  el.removeEventListener('vx-export', onExport);
  return events;
}

describe('<vx-export-panel>', () => {
  it('exports each format as a file the host can take, without changing the document', async () => {
    const { stack, doc } = setup();
    const before = JSON.stringify(doc.toJSON());
    const el = await fixture<VxExportPanel>(
      html`<vx-export-panel
        .document=${doc}
        .stack=${stack}
        .schema=${hierarchical}
        file-base="case 1"
      ></vx-export-panel>`,
    );
    expect(el.shadowRoot!.querySelector('[part~="status"]')!.textContent).to.contain(
      '2 annotations, 1 validation problem',
    );

    const [vox] = await exportOnce(el, 'voxmark');
    expect(vox!.detail.filename).to.equal('case_1.voxmark.json');
    const back = parseDocument(await vox!.detail.blob.text());
    expect(back.annotations.length).to.equal(2);

    const [coco] = await exportOnce(el, 'coco');
    const json = JSON.parse(await coco!.detail.blob.text());
    expect(json.images.length).to.equal(3);
    expect(json.annotations.length).to.equal(2);

    const [seg] = await exportOnce(el, 'seg');
    const bytes = new Uint8Array(await seg!.detail.blob.arrayBuffer());
    expect(String.fromCharCode(...bytes.slice(128, 132))).to.equal('DICM');

    const nifti = await exportOnce(el, 'nifti');
    expect(nifti.map((e) => e.detail.filename)).to.deep.equal(['case_1.nii.gz', 'case_1.labels.json']);
    expect(JSON.parse(await nifti[1]!.detail.blob.text()).labels.length).to.equal(3);

    expect(JSON.stringify(doc.toJSON())).to.equal(before);
    await expect(el).to.be.accessible();
  });

  it('reports a failed export without changing the document', async () => {
    const { doc } = setup();
    const stack = testStack({ width: W, height: H, depth: 3, format: 'tiff' });
    const empty = new AnnotationDocument({ width: W, height: H, depth: 3 });
    const el = await fixture<VxExportPanel>(
      html`<vx-export-panel
        .document=${empty}
        .stack=${testStack({ width: W, height: H, depth: 3 })}
        .schema=${hierarchical}
      ></vx-export-panel>`,
    );
    let error: unknown;
    el.addEventListener('vx-error', (e) => (error = (e as CustomEvent).detail.error));
    await el.export('seg');
    expect(error).to.have.property('code', 'export-failed');
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('[part~="status"]')!.textContent).to.contain('Nothing to export');
    el.document = doc;
    el.stack = stack;
    await el.updateComplete;
    // SEG needs DICOM references: the button is disabled for TIFF.
    expect(el.shadowRoot!.querySelector<HTMLButtonElement>('[part~="button-seg"]')!.disabled).to.equal(true);
  });
});
