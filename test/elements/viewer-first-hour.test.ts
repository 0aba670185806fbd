import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { executeServerCommand, resetMouse, sendKeys, sendMouse } from '@web/test-runner-commands';
import '../../src/define.js';
import type { VxFilesSkippedEvent, VxSeriesFoundEvent } from '../../src/elements/events.js';
import type { VxViewer } from '../../src/elements/vx-viewer.js';
import { blankStack, clientOf, mount } from './helpers.js';

/** What an annotator meets in the first hour, driven with real keys, mouse and file chooser. */

const schema = {
  version: 1 as const,
  labels: [
    { id: 'lesion', name: 'Lesion', color: '#ff0000', kinds: ['box', 'polygon'] as ('box' | 'polygon')[] },
    { id: 'liver', name: 'Liver', color: '#00ff00', kinds: ['polygon', 'mask'] as ('polygon' | 'mask')[] },
  ],
};

async function drawBox(el: VxViewer, a: [number, number], b: [number, number]): Promise<void> {
  await sendMouse({ type: 'move', position: clientOf(el, ...a) });
  await sendMouse({ type: 'down' });
  await sendMouse({ type: 'move', position: clientOf(el, (a[0] + b[0]) / 2, (a[1] + b[1]) / 2) });
  await sendMouse({ type: 'move', position: clientOf(el, ...b) });
  await sendMouse({ type: 'up' });
}

function boxViewer() {
  return html`<vx-viewer style="width:360px;height:270px;display:block"
    ><vx-box-layer></vx-box-layer
  ></vx-viewer>`;
}

describe('vx-viewer: PACS keys stay PACS keys', () => {
  afterEach(() => resetMouse());

  it('↑/↓/PageUp/PageDown change the slice with a box selected; Shift+arrows nudge it', async () => {
    const { viewer: el } = await mount(boxViewer(), {
      stack: blankStack(12),
      labelSchema: schema,
      activeLabel: 'lesion',
    });
    el.focus();
    await sendKeys({ press: 'x' });
    await drawBox(el, [10, 10], [30, 30]);
    const doc = el.document!;
    const id = doc.annotations[0]!.id;
    expect(el.selection.ids).to.include(id);
    const box = { ...doc.get(id)!.box! };
    await sendKeys({ press: 'ArrowDown' });
    expect(el.slice).to.equal(1);
    await sendKeys({ press: 'PageDown' });
    expect(el.slice).to.equal(11);
    await sendKeys({ press: 'ArrowUp' });
    expect(el.slice).to.equal(10);
    await sendKeys({ press: 'PageUp' });
    expect(el.slice).to.equal(0);
    expect(doc.get(id)!.box).to.deep.equal(box);
    expect(doc.canUndo && doc.historyDepth.undo).to.equal(1);
    await sendKeys({ press: 'Shift+ArrowRight' });
    await sendKeys({ press: 'Shift+ArrowDown' });
    expect(doc.get(id)!.box).to.deep.equal({ ...box, x: box.x + 1, y: box.y + 1 });
    await sendKeys({ press: 'Alt+Shift+ArrowLeft' });
    expect(doc.get(id)!.box).to.deep.equal({ ...box, x: box.x - 9, y: box.y + 1 });
    expect(el.slice).to.equal(0);
  });

  it('nudges are remappable', async () => {
    const { viewer: el } = await mount(boxViewer(), {
      stack: blankStack(3),
      labelSchema: schema,
      activeLabel: 'lesion',
    });
    el.keymap = { ...el.keymap, 'nudge-right': ['l'], 'lock-toggle': [] };
    el.focus();
    await sendKeys({ press: 'x' });
    await drawBox(el, [10, 10], [30, 30]);
    const a = el.document!.annotations[0]!;
    await sendKeys({ press: 'l' });
    expect(el.document!.get(a.id)!.box!.x).to.equal(a.box!.x + 1);
    await sendKeys({ press: 'Shift+ArrowRight' });
    expect(el.document!.get(a.id)!.box!.x).to.equal(a.box!.x + 1);
  });
});

async function chooseFiles(selector: string, files: File[]): Promise<void> {
  const payload = await Promise.all(
    files.map(async (f) => {
      const bytes = new Uint8Array(await f.arrayBuffer());
      let bin = '';
      for (let i = 0; i < bytes.length; i += 0x8000)
        bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
      return { name: f.name, mimeType: f.type || 'application/octet-stream', base64: btoa(bin) };
    }),
  );
  await executeServerCommand('set-input-files', { selector, files: payload });
}

describe('vx-viewer: the built-in "Choose files" button', () => {
  it('loads the files chosen in the real file input', async () => {
    const el = await fixture<VxViewer>(
      html`<vx-viewer id="chooser" style="width:300px;height:300px"></vx-viewer>`,
    );
    const ct = new File([await (await fetch('/corpus/dicom/CT_small.dcm')).arrayBuffer()], 'CT_small.dcm');
    const loaded = oneEvent(el, 'vx-load');
    await chooseFiles('#chooser [part="empty"] input[type="file"]', [ct]);
    await loaded;
    expect(el.stack!.depth).to.equal(1);
  });

  it('loads the files chosen in a slotted file input', async () => {
    const el = await fixture<VxViewer>(
      html`<vx-viewer id="slotted" style="width:300px;height:300px"
        ><input slot="file-input" type="file"
      /></vx-viewer>`,
    );
    const ct = new File([await (await fetch('/corpus/dicom/CT_small.dcm')).arrayBuffer()], 'CT_small.dcm');
    const loaded = oneEvent(el, 'vx-load');
    await chooseFiles('#slotted > input[type="file"]', [ct]);
    await loaded;
    expect(el.stack!.depth).to.equal(1);
  });
});

describe('vx-viewer: vx-history-change after undo and redo', () => {
  afterEach(() => resetMouse());

  it('reports what the document says once the step has moved', async () => {
    const { viewer: el } = await mount(boxViewer(), {
      stack: blankStack(),
      labelSchema: schema,
      activeLabel: 'lesion',
    });
    el.focus();
    await sendKeys({ press: 'x' });
    const seen: { canUndo: boolean; canRedo: boolean; cause: string }[] = [];
    el.addEventListener('vx-history-change', (e) => seen.push(e.detail));
    await drawBox(el, [10, 10], [30, 30]);
    const doc = el.document!;
    await sendKeys({ press: 'Control+z' });
    expect([doc.canUndo, doc.canRedo]).to.deep.equal([false, true]);
    await sendKeys({ press: 'Control+Shift+Z' });
    expect([doc.canUndo, doc.canRedo]).to.deep.equal([true, false]);
    expect(seen).to.deep.equal([
      { canUndo: true, canRedo: false, cause: 'edit' },
      { canUndo: false, canRedo: true, cause: 'undo' },
      { canUndo: true, canRedo: false, cause: 'redo' },
    ]);
  });
});

describe('vx-viewer: every move snaps like the box tool', () => {
  afterEach(() => resetMouse());

  it('moving a box with the select tool, and nudging one, gives whole-pixel coordinates', async () => {
    const { viewer: el } = await mount(boxViewer(), {
      stack: blankStack(),
      labelSchema: schema,
      activeLabel: 'lesion',
    });
    el.focus();
    await sendKeys({ press: 'x' });
    await drawBox(el, [10, 10], [30, 30]);
    const doc = el.document!;
    const id = doc.annotations[0]!.id;
    el.tool = 'select';
    const [cx, cy] = clientOf(el, 20, 20);
    await sendMouse({ type: 'move', position: [cx, cy] });
    await sendMouse({ type: 'down' });
    await sendMouse({ type: 'move', position: [cx + 10, cy + 7] });
    await sendMouse({ type: 'move', position: [cx + 23, cy + 17] }); // 7.67, 5.67 image pixels at 3 px a pixel
    await sendMouse({ type: 'up' });
    const moved = doc.get(id)!.box!;
    expect(moved.x).to.not.equal(10);
    for (const v of Object.values(moved)) expect(Number.isInteger(v), JSON.stringify(moved)).to.equal(true);
    expect([moved.width, moved.height]).to.deep.equal([20, 20]);
    // A box that came in with fractional edges lands on pixel edges when nudged.
    const odd = doc.add({
      label: 'lesion',
      kind: 'box',
      slice: 0,
      box: { x: 50.4, y: 40.6, width: 10.2, height: 9.9 },
    });
    el.selection.set([odd.id]);
    await sendKeys({ press: 'Shift+ArrowRight' });
    expect(doc.get(odd.id)!.box).to.deep.equal({ x: 51, y: 41, width: 11, height: 10 });
  });
});

describe('vx-viewer: a folder as hospitals hand it over', () => {
  it('skips notes.txt, opens the largest of two series, lists both, and switches with openSeries', async () => {
    const el = await fixture<VxViewer>(
      html`<vx-viewer id="folder" style="width:300px;height:300px"></vx-viewer>`,
    );
    const file = async (path: string, name: string) =>
      new File([await (await fetch(path)).arrayBuffer()], name);
    const files = [
      new File(['patient was anxious'], 'notes.txt'),
      await file('/corpus/dicom/CT_small.dcm', 'CT_0001.dcm'),
      await file('/corpus/dicom/MR_small.dcm', 'MR_0001.dcm'),
    ];
    const skipped = oneEvent(el, 'vx-files-skipped') as Promise<VxFilesSkippedEvent>;
    const found = oneEvent(el, 'vx-series-found') as Promise<VxSeriesFoundEvent>;
    const loaded = oneEvent(el, 'vx-load');
    await chooseFiles('#folder [part="empty"] input[type="file"]', files);
    expect((await skipped).detail.skipped.map((s) => s.name)).to.deep.equal(['notes.txt']);
    const { series, index } = (await found).detail;
    await loaded;
    expect(index).to.equal(0);
    expect(series.map((s) => s.modality)).to.have.members(['CT', 'MR']);
    expect(el.stack!.metadata.modality).to.equal(series[0]!.modality);
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('[aria-live="polite"]')!.textContent).to.contain('notes.txt');
    const other = oneEvent(el, 'vx-load');
    await el.openSeries(1);
    await other;
    expect(el.stack!.metadata.modality).to.equal(series[1]!.modality);
  });

  it('names the file that is not an image, in plain words, with the technical text behind Details', async () => {
    const el = await fixture<VxViewer>(
      html`<vx-viewer id="bad" style="width:300px;height:300px"></vx-viewer>`,
    );
    const failed = oneEvent(el, 'vx-error');
    await chooseFiles('#bad [part="empty"] input[type="file"]', [new File(['hello'], 'CT_0003.dcm')]);
    const { error } = (await failed).detail;
    expect([error.message, error.detail]).to.deep.equal([
      'CT_0003.dcm is not a DICOM or TIFF image',
      'Input 1 is neither DICOM nor TIFF',
    ]);
    await el.updateComplete;
    const box = el.shadowRoot!.querySelector<HTMLElement>('[part="error"]')!;
    expect(box.querySelector('span')!.textContent).to.equal('CT_0003.dcm is not a DICOM or TIFF image.');
    const details = box.querySelector('details')!;
    expect(details.open).to.equal(false);
    expect(details.textContent).to.contain('Input 1 is neither DICOM nor TIFF');
  });
});

describe('vx-viewer: overlay text stays legible', () => {
  it('each corner has a backdrop giving at least 4.5:1 over white', async () => {
    const { viewer: el } = await mount(boxViewer(), { stack: blankStack(3) });
    const corner = el.shadowRoot!.querySelector<HTMLElement>('[part="overlay-top-right"]')!;
    expect(corner.textContent).to.equal('1/3');
    const rgba = (c: string) => c.match(/[\d.]+/g)!.map(Number);
    const [r, g, b, a = 1] = rgba(getComputedStyle(corner).backgroundColor);
    expect(a).to.be.greaterThan(0);
    const over = [r!, g!, b!].map((v) => v * a + 255 * (1 - a)); // the backdrop over a white pixel
    const text = rgba(getComputedStyle(corner).color);
    const lum = (c: number[]) => {
      const l = c.map((v) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4));
      return 0.2126 * l[0]! + 0.7152 * l[1]! + 0.0722 * l[2]!;
    };
    const [hi, lo] = [lum(text.slice(0, 3)), lum(over)].sort((x, y) => y - x);
    expect((hi! + 0.05) / (lo! + 0.05)).to.be.at.least(4.5);
  });
});

describe('vx-viewer: a tool the active label does not allow', () => {
  afterEach(() => resetMouse());

  it('shows a not-allowed cursor, draws nothing, and tells a toolbar why', async () => {
    const { viewer: el } = await mount(
      html`<vx-viewer style="width:360px;height:270px;display:block"
        ><vx-box-layer></vx-box-layer><vx-polygon-layer></vx-polygon-layer
      ></vx-viewer>`,
      { stack: blankStack(), labelSchema: schema, activeLabel: 'liver' },
    );
    el.focus();
    await sendKeys({ press: 'x' });
    expect(el.tool).to.equal('box');
    const view = el.shadowRoot!.querySelector<HTMLElement>('[part="view"] .stage')!;
    expect(view.style.cursor).to.equal('not-allowed');
    expect(el.toolAllowed()).to.equal(false);
    expect(el.toolAllowed('polygon')).to.equal(true);
    expect(el.toolBlockedReason('box')).to.equal('The label liver does not allow boxes');
    await drawBox(el, [10, 10], [40, 40]);
    expect(el.document!.size).to.equal(0);
    await el.updateComplete;
    const live = el.shadowRoot!.querySelector('[aria-live="polite"]')!;
    expect(live.textContent).to.equal('The label liver does not allow boxes');
    el.activeLabel = 'lesion';
    expect(view.style.cursor).to.equal('crosshair');
    expect(el.toolAllowed()).to.equal(true);
    await drawBox(el, [10, 10], [40, 40]);
    expect(el.document!.size).to.equal(1);
  });
});
