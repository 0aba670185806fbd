import { expect } from '@open-wc/testing';
import { sendMouse, resetMouse } from '@web/test-runner-commands';
import type { VxViewer } from '../../src/elements/vx-viewer.js';
import { blankStack, mount } from './helpers.js';
import { html } from 'lit';

interface PageWindow extends Window {
  events: { type: string; detail: { count?: number; savedAt?: number } }[];
}

/** The fixture page in an iframe at the top-left corner of the test page, so page and iframe pixels agree. */
function openPage(): HTMLIFrameElement {
  const frame = document.createElement('iframe');
  frame.style.cssText = 'position:fixed;left:0;top:0;width:300px;height:300px;border:0;z-index:10';
  frame.src = new URL('./fixtures/autosave-page.html', import.meta.url).href;
  document.body.append(frame);
  return frame;
}

async function until<T>(what: string, fn: () => T | undefined | false, ms = 8000): Promise<T> {
  const end = performance.now() + ms;
  for (;;) {
    const value = (() => {
      try {
        return fn();
      } catch {
        return undefined;
      }
    })();
    if (value) return value;
    if (performance.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

function pageOf(frame: HTMLIFrameElement): { win: PageWindow; viewer: VxViewer } {
  const win = frame.contentWindow as PageWindow;
  return { win, viewer: win.document.querySelector('vx-viewer') as VxViewer };
}

async function loaded(frame: HTMLIFrameElement) {
  return until('the page to show its image', () => {
    const p = pageOf(frame);
    return p.win.events?.some((e) => e.type === 'vx-load') && p.viewer.document ? p : undefined;
  });
}

async function drag(viewer: VxViewer, from: [number, number], to: [number, number]) {
  const a = viewer.imageToClient(...from).map(Math.round) as [number, number];
  const b = viewer.imageToClient(...to).map(Math.round) as [number, number];
  await sendMouse({ type: 'move', position: a });
  await sendMouse({ type: 'down' });
  await sendMouse({ type: 'move', position: [Math.round((a[0] + b[0]) / 2), Math.round((a[1] + b[1]) / 2)] });
  await sendMouse({ type: 'move', position: b });
  await sendMouse({ type: 'up' });
}

describe('<vx-viewer autosave>', () => {
  afterEach(() => resetMouse());

  it('brings back a box and a mask after a page reload with no save call, and keeps another series empty', async () => {
    const frame = openPage();
    try {
      let { viewer } = await loaded(frame);
      await viewer.discardDraft(); // a draft from an earlier run of this test
      viewer.activeLabel = 'lesion';
      viewer.tool = 'box';
      await drag(viewer, [20, 20], [60, 50]);
      viewer.activeLabel = 'liver';
      viewer.tool = 'brush';
      await drag(viewer, [70, 70], [100, 90]);
      expect(viewer.document!.annotations.map((a) => a.kind).sort()).to.deep.equal(['box', 'mask']);
      const before = viewer.document!.toJSON();
      // Nothing on the page saves: the autosave debounce alone must have written the draft.
      await new Promise((r) => setTimeout(r, 1200));

      frame.contentWindow!.location.reload();
      await until('the old page to go', () => !pageOf(frame).win.events?.length || undefined, 4000).catch(
        () => 0,
      );
      let page = await until('vx-restore after the reload', () => {
        const p = pageOf(frame);
        return p.win.events?.some((e) => e.type === 'vx-restore') ? p : undefined;
      });
      viewer = page.viewer;
      const restored = page.win.events.filter((e) => e.type === 'vx-restore');
      expect(restored).to.have.length(1);
      expect(restored[0]!.detail.count).to.equal(2);
      expect(viewer.document!.toJSON()).to.deep.equal(before);
      const mask = before.annotations.find((a) => a.kind === 'mask')!;
      expect(viewer.document!.getMask(mask.id)!.data.some((v) => v !== 0)).to.equal(true);

      // Another series in the same page: no draft of it, so nothing comes back.
      page.win.events.length = 0;
      viewer.src = '/corpus/dicom/MR_small.dcm';
      page = await loaded(frame);
      await new Promise((r) => setTimeout(r, 300));
      expect(page.viewer.document!.size).to.equal(0);
      expect(page.win.events.filter((e) => e.type === 'vx-restore')).to.have.length(0);
    } finally {
      frame.remove();
    }
  });

  it('says when the document has changes the host has not saved, and guards the unload then', async () => {
    const { viewer } = await mount(html`<vx-viewer guard-unload></vx-viewer>`, { stack: blankStack() });
    expect(viewer.unsaved).to.equal(false);
    const unload = () => {
      const e = new Event('beforeunload', { cancelable: true });
      window.dispatchEvent(e);
      return e.defaultPrevented;
    };
    expect(unload()).to.equal(false);
    viewer.document!.add({ label: 'x', kind: 'box', slice: 0, box: { x: 1, y: 1, width: 4, height: 4 } });
    expect(viewer.unsaved).to.equal(true);
    expect(unload()).to.equal(true);
    viewer.markSaved();
    expect(viewer.unsaved).to.equal(false);
    expect(unload()).to.equal(false);
    viewer.guardUnload = false;
    viewer.document!.undo();
    await viewer.updateComplete;
    expect(viewer.unsaved).to.equal(true);
    expect(unload()).to.equal(false);
  });
});
