/**
 * Measurements in the viewer with real mouse and keys: the line (M) and angle (A) tools draw with a preview,
 * show their value on the view, and undo in one step; the label picker shows the statistics of the selected
 * annotation; the export panel says what a format left out and holds back an invalid document with "Show me".
 */
import { expect, html, waitUntil } from '@open-wc/testing';
import { resetMouse, sendKeys, sendMouse } from '@web/test-runner-commands';
import { createImageStack } from '../../src/core/image/stack.js';
import type { LabelSchema } from '../../src/core/schema/types.js';
import type { VxExportEvent } from '../../src/elements/events.js';
import type { VxExportPanel } from '../../src/elements/vx-export-panel.js';
import type { VxLabelPicker } from '../../src/elements/vx-label-picker.js';
import type { VxViewer } from '../../src/elements/vx-viewer.js';
import { clickOn } from './click.js';
import { clientOf, mount } from './helpers.js';
import { testStack } from '../core/formats/helpers.js';

const W = 120;
const H = 90;

const schema: LabelSchema = {
  version: 1,
  labels: [
    { id: 'lesion', name: 'Lesion', color: '#ff4040', kinds: ['box', 'polygon', 'mask', 'line'] },
    { id: 'cobb', name: 'Cobb angle', color: '#40c0ff', kinds: ['angle'] },
  ],
};

/** 120 × 90 × 2, stored value = x, rescaled ×2 − 100; 0.7 mm pixels. */
function stack() {
  const frames = [0, 1].map(() => {
    const f = new Int16Array(W * H);
    for (let i = 0; i < f.length; i++) f[i] = i % W;
    return f;
  });
  return createImageStack({
    width: W,
    height: H,
    frames,
    dataType: 'int16',
    spacing: [0.7, 0.7, 2],
    rescaleSlope: 2,
    rescaleIntercept: -100,
  });
}

const labels = (v: VxViewer) =>
  v
    .annotationRenderer!.previewGroup.find('.measurement')
    .map((n) => (n as unknown as { text(): string }).text());

async function setup() {
  const { root, viewer } = await mount<HTMLDivElement>(
    html`<div style="display:flex;gap:8px;align-items:flex-start">
      <vx-viewer id="mv" style="width:360px;height:270px;display:block">
        <vx-box-layer></vx-box-layer><vx-measure-layer></vx-measure-layer>
      </vx-viewer>
      <vx-label-picker for="mv"></vx-label-picker>
    </div>`,
    { stack: stack(), labelSchema: schema, activeLabel: 'lesion' },
  );
  const picker = root.querySelector('vx-label-picker') as VxLabelPicker;
  await picker.updateComplete;
  viewer.focus();
  return { viewer, picker, at: (x: number, y: number) => clientOf(viewer, x, y) };
}

describe('measurements in the viewer', () => {
  afterEach(() => resetMouse());

  it('M then a drag draws a line that reads 70.0 mm on the view; Ctrl+Z takes it back in one step', async () => {
    const { viewer, at } = await setup();
    await sendKeys({ press: 'm' });
    expect(viewer.tool).to.equal('line');
    let history = 0;
    viewer.addEventListener('vx-history-change', () => history++);
    await sendMouse({ type: 'move', position: at(10, 40) });
    await sendMouse({ type: 'down' });
    await sendMouse({ type: 'move', position: at(60, 40) });
    // The preview shows the length while dragging, and nothing is in the document yet.
    expect(viewer.document!.size).to.equal(0);
    expect(labels(viewer)).to.deep.equal(['35.0 mm']);
    await sendMouse({ type: 'move', position: at(110, 40) });
    await sendMouse({ type: 'up' });
    const doc = viewer.document!;
    expect(doc.annotations.map((a) => [a.kind, a.points])).to.deep.equal([
      [
        'line',
        [
          [10, 40],
          [110, 40],
        ],
      ],
    ]);
    expect(labels(viewer)).to.deep.equal(['70.0 mm']);
    expect(history).to.equal(1);
    await sendKeys({ press: 'Control+z' });
    expect(doc.size).to.equal(0);
    expect(labels(viewer)).to.deep.equal([]);
  });

  it('A then three clicks draw a right angle that reads 90.0°; Esc before the third leaves nothing', async () => {
    const { viewer, at } = await setup();
    viewer.activeLabel = 'cobb';
    await sendKeys({ press: 'a' });
    expect(viewer.tool).to.equal('angle');
    await sendMouse({ type: 'click', position: at(20, 80) });
    await sendMouse({ type: 'click', position: at(20, 20) });
    await sendKeys({ press: 'Escape' });
    expect(viewer.document!.size).to.equal(0);
    expect(labels(viewer)).to.deep.equal([]);
    await sendMouse({ type: 'click', position: at(20, 80) });
    await sendMouse({ type: 'click', position: at(20, 20) });
    await sendMouse({ type: 'move', position: at(100, 20) });
    expect(labels(viewer)).to.deep.equal(['90.0°']);
    await sendMouse({ type: 'click', position: at(100, 20) });
    const doc = viewer.document!;
    expect(doc.annotations.map((a) => a.kind)).to.deep.equal(['angle']);
    expect(doc.annotations[0]!.points![1]).to.deep.equal([20, 20]);
    expect(labels(viewer)).to.deep.equal(['90.0°']);
    await sendKeys({ press: 'Control+z' });
    expect(doc.size).to.equal(0);
  });

  it('the picker shows the statistics of the selected box and the length of the selected line', async () => {
    const { viewer, picker, at } = await setup();
    await sendKeys({ press: 'x' });
    await sendMouse({ type: 'move', position: at(10, 10) });
    await sendMouse({ type: 'down' });
    await sendMouse({ type: 'move', position: at(20, 20) });
    await sendMouse({ type: 'move', position: at(30, 30) });
    await sendMouse({ type: 'up' });
    // Columns 10…29, rescaled 2x − 100: −80 … −42, mean −61; 400 pixels of 0.49 mm².
    const stats = () => picker.shadowRoot!.querySelector('[part~="statistics"]')?.textContent ?? '';
    await waitUntil(() => stats().includes('Mean'), 'statistics shown', { timeout: 8000 });
    const text = stats().replace(/\s+/g, ' ');
    expect(text).to.contain('Mean −61.0').and.contain('Min −80').and.contain('Max −42');
    expect(text).to.contain('Area 196.0 mm²').and.contain('Pixels 400');
    await expect(picker).to.be.accessible();
    await sendKeys({ press: 'm' });
    await sendMouse({ type: 'move', position: at(10, 60) });
    await sendMouse({ type: 'down' });
    await sendMouse({ type: 'move', position: at(40, 60) });
    await sendMouse({ type: 'move', position: at(60, 60) });
    await sendMouse({ type: 'up' });
    expect(viewer.selection.ids.size).to.equal(1);
    await waitUntil(() => stats().includes('Length'), 'length shown', { timeout: 8000 });
    expect(stats().replace(/\s+/g, ' ')).to.contain('Length 35.0 mm');
  });
});

describe('<vx-export-panel> reports', () => {
  const reportSchema: LabelSchema = {
    version: 1,
    labels: [
      {
        id: 'lesion',
        name: 'Lesion',
        color: '#ff4040',
        kinds: ['box', 'mask', 'line'],
        attributes: [{ id: 'grade', name: 'Grade', type: 'enum', options: ['1', '2'], required: true }],
      },
    ],
  };

  async function panelSetup(grade: boolean) {
    const { root, viewer } = await mount<HTMLDivElement>(
      html`<div>
        <vx-viewer id="ev" style="width:240px;height:180px;display:block">
          <vx-box-layer></vx-box-layer><vx-mask-layer></vx-mask-layer><vx-measure-layer></vx-measure-layer>
        </vx-viewer>
        <vx-export-panel for="ev" file-base="case"></vx-export-panel>
      </div>`,
      {
        stack: testStack({ width: 32, height: 24, depth: 3 }),
        labelSchema: reportSchema,
        activeLabel: 'lesion',
      },
    );
    const attributes = grade ? { grade: '1' } : undefined;
    const data = new Uint8Array(32 * 24).fill(1, 40, 80);
    viewer.document!.add([
      { label: 'lesion', kind: 'mask', slice: 0, mask: { data }, attributes: { grade: '2' } },
      {
        label: 'lesion',
        kind: 'box',
        slice: 2,
        box: { x: 1, y: 1, width: 5, height: 5 },
        ...(attributes ? { attributes } : {}),
      },
      {
        label: 'lesion',
        kind: 'line',
        slice: 1,
        points: [
          [1, 1],
          [9, 9],
        ],
        attributes: { grade: '1' },
      },
    ]);
    const panel = root.querySelector('vx-export-panel') as VxExportPanel;
    await panel.updateComplete;
    const files: VxExportEvent[] = [];
    panel.addEventListener('vx-export', (e) => {
      e.preventDefault();
      files.push(e as VxExportEvent);
    });
    const part = (name: string) => panel.shadowRoot!.querySelector<HTMLElement>(`[part~="${name}"]`);
    return { viewer, panel, files, part };
  }

  it('says what SEG wrote and what it left out, and how to include boxes', async () => {
    const { files, part } = await panelSetup(true);
    await clickOn(part('button-seg')!);
    await waitUntil(() => files.length === 1, 'exported');
    await waitUntil(() => part('status')!.textContent!.includes('written'), 'reported');
    expect(part('status')!.textContent!.trim()).to.match(
      /^DICOM SEG: 1 mask written; 1 box and 1 line left out \(tick “Boxes and polygons as masks” to include boxes and polygons\)\. Exported case\.seg\.dcm \(/,
    );
    await clickOn(part('rasterize')!);
    await clickOn(part('button-nifti')!);
    await waitUntil(() => files.length === 3, 'exported');
    await waitUntil(() => part('status')!.textContent!.includes('NIfTI'), 'reported');
    expect(part('status')!.textContent!.trim()).to.match(
      /^NIfTI labelmap: 1 mask and 1 box written; 1 line left out\. Exported case\.nii\.gz/,
    );
  });

  it('holds back an invalid document: "Show me" goes to the problem, "Export anyway" exports', async () => {
    const { viewer, panel, files, part } = await panelSetup(false);
    const box = viewer.document!.annotations.find((a) => a.kind === 'box')!;
    await clickOn(part('button-coco')!);
    await waitUntil(() => part('warning'), 'warned');
    expect(files).to.have.length(0);
    expect(part('warning')!.textContent!.replace(/\s+/g, ' ')).to.contain(
      "1 validation problem before exporting COCO JSON. First: required attribute 'Grade' is missing (slice 3).",
    );
    expect(viewer.slice).to.equal(0);
    await expect(panel).to.be.accessible();
    await clickOn(part('show-me')!);
    expect(viewer.slice).to.equal(2);
    expect([...viewer.selection.ids]).to.deep.equal([box.id]);
    expect(files).to.have.length(0);
    await clickOn(part('export-anyway')!);
    await waitUntil(() => files.length === 1, 'exported anyway');
    expect(files[0]!.detail.filename).to.equal('case.coco.json');
    expect(part('warning')).to.equal(null);
    // Fixing the problem while the warning shows turns it into a plain "Export".
    await clickOn(part('button-nifti')!);
    await waitUntil(() => part('show-me'), 'warned for NIfTI');
    viewer.document!.update(box.id, { attributes: { grade: '1' } });
    await waitUntil(() => part('warning')?.textContent?.includes('No validation problems left'), 'updated');
    await clickOn(part('export-anyway')!);
    await waitUntil(() => files.length === 3, 'exported NIfTI');
    viewer.document!.update(box.id, { attributes: {} });
    // Cancel drops the held export.
    await clickOn(part('button-voxmark')!);
    await waitUntil(() => part('cancel-export'), 'warned again');
    await clickOn(part('cancel-export')!);
    expect(part('warning')).to.equal(null);
    expect(files).to.have.length(3);
  });
});
