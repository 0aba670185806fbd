import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { loadImageStack } from '../../src/core/load.js';
import '../../src/define.js';
import type { VxViewer } from '../../src/elements/vx-viewer.js';
import {
  createPhantomStack,
  phantomDicomSeries,
  phantomSliceHU,
  phantomSliceStored,
} from '../../stories/data/phantom.js';

describe('vx-viewer with the CT phantom', () => {
  it('generates plausible anatomy in HU', () => {
    const hu = phantomSliceHU(26, { size: 128, depth: 60, noise: 0 });
    const at = (x: number, y: number) => hu[y * 128 + x]!;
    expect(at(2, 2)).to.equal(-1000); // air
    expect(at(40, 60)).to.be.lessThan(-700); // left lung
    expect(at(64, 64 + 33)).to.be.greaterThan(200); // vertebral body
  });

  it('reads back the phantom written as shuffled DICOM files, sorted by position', async () => {
    const options = { size: 64, depth: 8 };
    const stack = await loadImageStack(phantomDicomSeries(options));
    expect([stack.width, stack.height, stack.depth]).to.deep.equal([64, 64, 8]);
    expect(stack.metadata.modality).to.equal('CT');
    for (const z of [0, 3, 7]) {
      const frame = await stack.getFrame(z);
      expect(frame.rescaleIntercept).to.equal(-1024);
      expect(Array.from(frame.data)).to.deep.equal(Array.from(phantomSliceStored(z, options)));
    }
    const el = await fixture<VxViewer>(html`<vx-viewer style="width:200px;height:200px"></vx-viewer>`);
    const loaded = oneEvent(el, 'vx-load');
    el.stack = stack;
    await loaded;
    // The file's window opens the viewer; CT presets are on keys 1–5.
    expect([el.windowCenter, el.windowWidth]).to.deep.equal([40, 400]);
    expect(el.windowPresets.slice(0, 2).map((p) => p.name)).to.deep.equal(['Soft tissue', 'Lung']);
  });

  it('serves the in-memory phantom lazily with the same values', async () => {
    const stack = createPhantomStack({ size: 64, depth: 8 });
    const frame = await stack.getFrame(5);
    expect(Array.from(frame.data)).to.deep.equal(Array.from(phantomSliceStored(5, { size: 64, depth: 8 })));
  });

  it('loads a series from a src attribute listing URLs', async () => {
    const urls = phantomDicomSeries({ size: 32, depth: 3 }).map((b) =>
      URL.createObjectURL(new Blob([b as BlobPart], { type: 'application/dicom' })),
    );
    const el = await fixture<VxViewer>(
      html`<vx-viewer style="width:100px;height:100px" src=${urls.join(' ')}></vx-viewer>`,
    );
    await oneEvent(el, 'vx-load');
    expect(el.stack!.depth).to.equal(3);
    expect(el.src).to.deep.equal(urls);
    urls.forEach((u) => URL.revokeObjectURL(u));
  });
});
