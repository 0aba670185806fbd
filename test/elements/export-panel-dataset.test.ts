// "Export dataset" in <vx-export-panel>: several series the host holds, written as one zip.
import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { sendMouse } from '@web/test-runner-commands';
import type { DatasetItem } from '../../src/core/dataset/types.js';
import '../../src/define.js';
import type { VxExportEvent } from '../../src/elements/events.js';
import type { VxExportPanel } from '../../src/elements/vx-export-panel.js';
import { annotated, jsonOf, schema, series, unzip } from '../core/dataset/fixtures.js';

/** Five small series of three patients. */
function items(): DatasetItem[] {
  return ['ANON-A', 'ANON-A', 'ANON-B', 'ANON-C', 'ANON-C'].map((patientId, i) => {
    const stack = series({ seed: i + 1, patientId });
    return { stack, document: annotated(stack, i % 3), schema };
  });
}

async function click(el: Element): Promise<void> {
  const r = el.getBoundingClientRect();
  await sendMouse({
    type: 'click',
    position: [Math.round(r.x + r.width / 2), Math.round(r.y + r.height / 2)],
  });
}

function part(panel: VxExportPanel, name: string): HTMLElement {
  return panel.shadowRoot!.querySelector<HTMLElement>(`[part~="${name}"]`)!;
}

describe('<vx-export-panel> Export dataset', () => {
  it('shows no dataset section without dataset items', async () => {
    const panel = await fixture<VxExportPanel>(html`<vx-export-panel></vx-export-panel>`);
    expect(panel.shadowRoot!.querySelector('[part~="dataset"]')).to.equal(null);
  });

  it('writes the ticked layouts of every series into one zip the host takes', async () => {
    const panel = await fixture<VxExportPanel>(
      html`<vx-export-panel
        .datasetItems=${items()}
        dataset-name="Liver demo"
        dataset-seed="s1"
      ></vx-export-panel>`,
    );
    // Untick COCO, tick YOLO: nnU-Net and YOLO remain.
    const box = (f: string) => panel.shadowRoot!.querySelector<HTMLInputElement>(`input[name="${f}"]`)!;
    await click(box('coco'));
    await click(box('yolo'));
    await panel.updateComplete;
    expect(panel.datasetFormats).to.deep.equal(['nnunet', 'yolo']);
    await expect(panel).to.be.accessible();

    const exported = oneEvent(panel, 'vx-export') as Promise<VxExportEvent>;
    panel.addEventListener('vx-export', (e) => e.preventDefault(), { once: true });
    await click(part(panel, 'export-dataset'));
    const { detail } = await exported;
    expect(detail.format).to.equal('dataset');
    expect(detail.filename).to.equal('Liver_demo.zip');
    const files = await unzip(detail.blob);
    const names = [...files.keys()];
    expect(names.some((n) => n.endsWith('dataset.json'))).to.equal(true);
    expect(names.some((n) => n.endsWith('data.yaml'))).to.equal(true);
    expect(names.some((n) => n.includes('coco'))).to.equal(false);
    const card = jsonOf(files.get(names.find((n) => n.endsWith('datacard.json'))!)) as unknown as {
      split: { seed: string; patients: Record<string, number> };
      cases: unknown[];
    };
    expect(card.split.seed).to.equal('s1');
    expect(card.cases).to.have.length(5);
    const patients = card.split.patients;
    expect(patients['train']! + patients['validation']! + patients['test']!).to.equal(3);
    await waitUntil(() => part(panel, 'dataset-status').textContent!.includes('Exported'), 'reported');
    expect(part(panel, 'dataset-status').textContent).to.contain('Liver_demo.zip');
  });

  it('refuses series that are not de-identified, saying so in plain words and naming the series', async () => {
    const list = items();
    const stack = series({ seed: 9, patientId: 'Doe^Jane', metadata: { patientIdentityRemoved: 'NO' } });
    list.splice(2, 0, { stack, document: annotated(stack), schema, caseId: 'jane' });
    const panel = await fixture<VxExportPanel>(
      html`<vx-export-panel .datasetItems=${list}></vx-export-panel>`,
    );
    let exported = 0;
    panel.addEventListener('vx-export', () => exported++);
    const failed = oneEvent(panel, 'vx-error');
    await click(part(panel, 'export-dataset'));
    const { detail } = await failed;
    expect(detail.error.code).to.equal('not-deidentified');
    await panel.updateComplete;
    const status = part(panel, 'dataset-status');
    expect(status.textContent).to.contain('Refused: series jane still carries patient identity');
    expect(status.classList.contains('error')).to.equal(true);
    expect(exported).to.equal(0);
  });
});
