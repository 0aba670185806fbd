import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { resetMouse, sendMouse } from '@web/test-runner-commands';
import '../../src/define.js';
import type { VxViewer } from '../../src/elements/vx-viewer.js';
import { corpusFile, drop } from './helpers.js';

/** The viewer opening files the user drops or chooses. */

describe('vx-viewer from the user side', () => {
  afterEach(() => resetMouse());

  it('keeps the file chooser usable after a dropped file is not an image', async () => {
    const el = await fixture<VxViewer>(html`<vx-viewer style="width:300px;height:300px"></vx-viewer>`);
    const failed = oneEvent(el, 'vx-error');
    drop(el, [new File(['patient notes'], 'notes.txt', { type: 'text/plain' })]);
    expect((await failed).detail.error.code).to.equal('not-an-image');
    await el.updateComplete;
    const root = el.shadowRoot!;
    // The error is shown in plain words ...
    const error = root.querySelector<HTMLElement>('[part="error"]')!;
    expect(error.checkVisibility()).to.equal(true);
    expect(error.textContent).to.contain('not a DICOM or TIFF image');
    // ... and the chooser is still there, on top, for the user's next try.
    const label = root.querySelector<HTMLElement>('[part="empty"] label')!;
    expect(label.checkVisibility()).to.equal(true);
    const r = label.getBoundingClientRect();
    const cx = r.left + r.width / 2;
    const cy = r.top + r.height / 2;
    const hit = root.elementFromPoint(cx, cy);
    expect(hit === label || label.contains(hit)).to.equal(true);
    // Choosing a real file from it loads it.
    const input = root.querySelector<HTMLInputElement>('[part="empty"] input[type="file"]')!;
    let clicked = false;
    input.addEventListener('click', (e) => {
      clicked = true;
      e.preventDefault(); // no native dialog in a test
    });
    await sendMouse({ type: 'click', position: [Math.round(cx), Math.round(cy)] });
    expect(clicked).to.equal(true);
    const dt = new DataTransfer();
    dt.items.add(await corpusFile('/corpus/dicom/CT_small.dcm', 'ct.dcm'));
    input.files = dt.files;
    const loaded = oneEvent(el, 'vx-load');
    input.dispatchEvent(new Event('change', { bubbles: true, composed: true }));
    await loaded;
    await el.updateComplete;
    expect(el.stack!.depth).to.equal(1);
    expect(root.querySelector('[part="error"]')).to.equal(null);
    expect(root.querySelector<HTMLElement>('[part="empty"]')!.hidden).to.equal(true);
  });
});

describe('vx-viewer: the built-in file chooser', () => {
  it('loads the same file again when the user chooses it again', async () => {
    const el = await fixture<VxViewer>(html`<vx-viewer style="width:300px;height:300px"></vx-viewer>`);
    const input = el.shadowRoot!.querySelector<HTMLInputElement>('[part="empty"] input[type="file"]')!;
    const choose = async (file: File) => {
      // What the browser does when the user picks a file in the dialog: a change event only if the
      // choice differs from the input's current value.
      const dt = new DataTransfer();
      dt.items.add(file);
      const before = input.value;
      input.files = dt.files;
      if (input.value !== before || before === '')
        input.dispatchEvent(new Event('change', { bubbles: true, composed: true }));
    };
    const bad = new File(['not yet exported'], 'scan.dcm');
    const failed = oneEvent(el, 'vx-error');
    await choose(bad);
    await failed;
    expect(input.value).to.equal('');
    // The user re-exports the file under the same name and picks it again.
    const good = await corpusFile('/corpus/dicom/CT_small.dcm', 'scan.dcm');
    const loaded = oneEvent(el, 'vx-load');
    await choose(good);
    await loaded;
    expect(el.stack!.depth).to.equal(1);
  });
});
