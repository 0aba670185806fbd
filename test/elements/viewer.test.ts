import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { resetMouse, sendKeys, sendMouse } from '@web/test-runner-commands';
import { createImageStack, LazyImageStack } from '../../src/core/image/stack.js';
import { applyWindow } from '../../src/core/image/window.js';
import type { Frame, ImageStack, StackMetadata, VoiLutFunction } from '../../src/core/image/types.js';
import '../../src/define.js';
import type { VxViewer } from '../../src/elements/vx-viewer.js';
import type { ImagePointerEvent } from '../../src/elements/viewer-host.js';

const W = 32;
const H = 24;

/** Stored value of pixel (i, j) on slice z: spread over a wide range so every grey level is exercised. */
function stored(i: number, j: number, z: number): number {
  return ((i * 37 + j * 101 + z * 13) % 2000) - 1000;
}

function knownStack(
  options: {
    depth?: number;
    slope?: number;
    intercept?: number;
    metadata?: StackMetadata;
    spacing?: [number, number, number];
  } = {},
): ImageStack {
  const depth = options.depth ?? 30;
  const frames: Int16Array[] = [];
  for (let z = 0; z < depth; z++) {
    const f = new Int16Array(W * H);
    for (let j = 0; j < H; j++) for (let i = 0; i < W; i++) f[j * W + i] = stored(i, j, z);
    frames.push(f);
  }
  return createImageStack({
    width: W,
    height: H,
    frames,
    dataType: 'int16',
    rescaleSlope: options.slope ?? 1,
    rescaleIntercept: options.intercept ?? 0,
    spacing: options.spacing ?? [1, 1, 1],
    metadata: { modality: 'CT', storedRange: [-1024, 3071], ...options.metadata },
  });
}

async function mount(stack?: ImageStack, size = 200): Promise<VxViewer> {
  const el = await fixture<VxViewer>(html`<vx-viewer style="width:${size}px;height:${size}px"></vx-viewer>`);
  if (stack) {
    const loaded = oneEvent(el, 'vx-load');
    el.stack = stack;
    await loaded;
  }
  return el;
}

function view(el: VxViewer): HTMLElement {
  return el.shadowRoot!.querySelector<HTMLElement>('.view')!;
}

/** Client position of the centre of image pixel (i, j), computed from the view definition. */
function pixelClient(el: VxViewer, x: number, y: number): [number, number] {
  const r = el.getBoundingClientRect();
  const v = el.view;
  return [
    r.left + r.width / 2 + (x - v.centerX) * v.zoom,
    r.top + r.height / 2 + (y - v.centerY) * v.zoom * v.aspect,
  ];
}

/** RGBA of the image layer's canvas at client position (cx, cy). */
function canvasPixel(el: VxViewer, cx: number, cy: number): number[] {
  const canvas = el.imageLayer.getNativeCanvasElement();
  const r = canvas.getBoundingClientRect();
  const ratio = canvas.width / r.width;
  const ctx = canvas.getContext('2d')!;
  const d = ctx.getImageData(Math.floor((cx - r.left) * ratio), Math.floor((cy - r.top) * ratio), 1, 1).data;
  return [d[0]!, d[1]!, d[2]!, d[3]!];
}

function grey(
  value: number,
  center: number,
  width: number,
  fn: VoiLutFunction = 'LINEAR',
  invert = false,
): number {
  const g = Math.min(255, Math.max(0, Math.round(applyWindow(value, center, width, fn, 0, 255))));
  return invert ? 255 - g : g;
}

function wheel(el: VxViewer, init: WheelEventInit): WheelEvent {
  const r = el.getBoundingClientRect();
  const e = new WheelEvent('wheel', {
    bubbles: true,
    composed: true,
    cancelable: true,
    clientX: r.left + r.width / 2,
    clientY: r.top + r.height / 2,
    ...init,
  });
  view(el).dispatchEvent(e);
  return e;
}

function recordEvents<T extends Event>(el: HTMLElement, type: string): T[] {
  const list: T[] = [];
  el.addEventListener(type, (e) => list.push(e as T));
  return list;
}

/** Samples of image pixels across the image, including corners and edges. */
const SAMPLES: [number, number][] = [
  [0, 0],
  [W - 1, 0],
  [0, H - 1],
  [W - 1, H - 1],
  [5, 7],
  [17, 3],
  [12, 20],
  [31, 11],
  [8, 15],
];

describe('vx-viewer', () => {
  afterEach(async () => {
    await resetMouse();
  });

  describe('loading', () => {
    it('shows the first slice and fires vx-load once', async () => {
      const el = await fixture<VxViewer>(html`<vx-viewer style="width:200px;height:200px"></vx-viewer>`);
      const loads = recordEvents(el, 'vx-load');
      const loaded = oneEvent(el, 'vx-load');
      el.stack = knownStack();
      await loaded;
      await el.renderComplete;
      expect(loads).to.have.length(1);
      expect(el.frame).to.not.equal(undefined);
      expect(el.displayedSlice).to.equal(0);
      expect(el.slice).to.equal(0);
    });

    it('creates one annotation document per stack', async () => {
      const el = await mount(knownStack());
      const first = el.document!;
      expect(first.width).to.equal(W);
      expect(first.depth).to.equal(30);
      el.stack = knownStack({ depth: 4 });
      expect(el.document).to.not.equal(first);
      expect(el.document!.depth).to.equal(4);
    });

    it('fits the image on load, keeping the pixel aspect from the spacing', async () => {
      const el = await mount(knownStack({ spacing: [0.5, 1, 2] }), 200);
      // 32 wide, 24 tall × aspect 2 = 48 tall: width limits, zoom 200/32.
      expect(el.view.aspect).to.equal(2);
      expect(el.zoom).to.be.closeTo(200 / 48, 1e-9);
      expect(el.view.centerX).to.equal(W / 2);
      expect(el.view.centerY).to.equal(H / 2);
    });

    it('follows its size through a ResizeObserver and refits', async () => {
      const el = await mount(knownStack(), 200);
      const z0 = el.zoom;
      el.style.width = '400px';
      el.style.height = '400px';
      await new Promise((r) => setTimeout(r, 100));
      await el.renderComplete;
      expect(el.zoom).to.be.closeTo(z0 * 2, 1e-9);
      expect(el.stage.width()).to.equal(400);
    });

    it('shows a decode error in plain words and fires vx-error', async () => {
      const bad = new LazyImageStack({
        format: 'dicom',
        width: 4,
        height: 4,
        samplesPerPixel: 1,
        dataType: 'uint8',
        slices: [{}],
        decode: async () => {
          const { VoxmarkError } = await import('../../src/core/errors.js');
          throw new VoxmarkError('unsupported-transfer-syntax', 'Transfer syntax 1.2.3 is not supported');
        },
      });
      const el = await mount();
      const failed = oneEvent(el, 'vx-error');
      el.stack = bad;
      const e = await failed;
      expect(e.detail.error.code).to.equal('unsupported-transfer-syntax');
      await el.updateComplete;
      const part = el.shadowRoot!.querySelector('[part="error"]')!;
      expect(part.textContent).to.contain('compressed in a way this viewer cannot decode');
      expect(part.getAttribute('role')).to.equal('alert');
    });

    it('reports a URL that is not an image', async () => {
      const el = await mount();
      const failed = oneEvent(el, 'vx-error');
      el.src = new URL('../../package.json', import.meta.url).href;
      const e = await failed;
      expect(e.detail.error.code).to.equal('not-an-image');
      await el.updateComplete;
      expect(el.shadowRoot!.querySelector('[part="error"]')!.textContent).to.contain(
        'not a DICOM or TIFF image',
      );
    });

    it('offers a file chooser and a drop zone while empty', async () => {
      const el = await mount();
      const empty = el.shadowRoot!.querySelector<HTMLElement>('[part="empty"]')!;
      expect(empty.hidden).to.equal(false);
      expect(empty.querySelector('input[type="file"]')).to.not.equal(null);
      el.stack = knownStack();
      await oneEvent(el, 'vx-load');
      await el.updateComplete;
      expect(empty.hidden).to.equal(true);
    });
  });

  describe('slices', () => {
    it('scrolls with the wheel, one slice per notch, and fires vx-slice-change', async () => {
      const el = await mount(knownStack());
      const events = recordEvents<CustomEvent>(el, 'vx-slice-change');
      const e = wheel(el, { deltaY: 100 });
      expect(e.defaultPrevented).to.equal(true);
      expect(el.slice).to.equal(1);
      wheel(el, { deltaY: 100 });
      wheel(el, { deltaY: -100 });
      expect(el.slice).to.equal(1);
      // Small trackpad deltas accumulate.
      for (let i = 0; i < 4; i++) wheel(el, { deltaY: 10 });
      expect(el.slice).to.equal(2);
      expect(events.map((ev) => ev.detail.slice)).to.deep.equal([1, 2, 1, 2]);
      expect(events[0]!.detail.source).to.equal('wheel');
    });

    it('scrolls with arrows, PageUp/PageDown (10), Home and End', async () => {
      const el = await mount(knownStack({ depth: 30 }));
      el.focus();
      await sendKeys({ press: 'ArrowDown' });
      expect(el.slice).to.equal(1);
      await sendKeys({ press: 'ArrowDown' });
      await sendKeys({ press: 'ArrowUp' });
      expect(el.slice).to.equal(1);
      await sendKeys({ press: 'PageDown' });
      expect(el.slice).to.equal(11);
      await sendKeys({ press: 'PageUp' });
      expect(el.slice).to.equal(1);
      await sendKeys({ press: 'End' });
      expect(el.slice).to.equal(29);
      await sendKeys({ press: 'ArrowDown' });
      expect(el.slice).to.equal(29);
      await sendKeys({ press: 'Home' });
      expect(el.slice).to.equal(0);
      await sendKeys({ press: 'ArrowUp' });
      expect(el.slice).to.equal(0);
    });

    it('scrolls by dragging with the scroll tool', async () => {
      const el = await mount(knownStack());
      el.tool = 'scroll';
      const r = el.getBoundingClientRect();
      await sendMouse({ type: 'move', position: [Math.round(r.left + 100), Math.round(r.top + 50)] });
      await sendMouse({ type: 'down' });
      await sendMouse({ type: 'move', position: [Math.round(r.left + 100), Math.round(r.top + 80)] });
      await sendMouse({ type: 'up' });
      expect(el.slice).to.equal(5);
    });

    it('fires vx-slice-change for user input only, not when the host sets slice', async () => {
      const el = await mount(knownStack());
      const events = recordEvents<CustomEvent>(el, 'vx-slice-change');
      el.slice = 7;
      await el.updateComplete;
      expect(el.slice).to.equal(7);
      expect(events).to.have.length(0);
      el.focus();
      await sendKeys({ press: 'ArrowDown' });
      expect(events).to.have.length(1);
      expect(events[0]!.detail).to.deep.include({ slice: 8, previous: 7, source: 'keyboard' });
      el.slice = 999;
      expect(el.slice).to.equal(29);
      expect(events).to.have.length(1);
    });

    it('keeps the previous slice on screen while the next decodes, and aborts stale decodes', async () => {
      const started: { index: number; signal: AbortSignal; resolve: () => void }[] = [];
      const frameOf = (index: number): Frame => ({
        width: 4,
        height: 4,
        samplesPerPixel: 1,
        data: new Uint8Array(16).fill(index * 10),
        rescaleSlope: 1,
        rescaleIntercept: 0,
      });
      const stack = new LazyImageStack({
        format: 'dicom',
        width: 4,
        height: 4,
        samplesPerPixel: 1,
        dataType: 'uint8',
        slices: Array.from({ length: 20 }, () => ({})),
        decode: (index, signal) =>
          new Promise<Frame>((resolve, reject) => {
            started.push({ index, signal: signal!, resolve: () => resolve(frameOf(index)) });
            signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
          }),
      });
      const el = await mount();
      const loaded = oneEvent(el, 'vx-load');
      el.stack = stack;
      started.find((s) => s.index === 0)!.resolve();
      await loaded;
      // Prefetch started around slice 0; move far away so those become stale.
      el.slice = 10;
      el.slice = 15;
      const s10 = started.find((s) => s.index === 10)!;
      expect(s10.signal.aborted).to.equal(true);
      expect(el.displayedSlice).to.equal(0);
      await new Promise((r) => setTimeout(r, 200));
      await el.updateComplete;
      expect(el.shadowRoot!.querySelector('[part="progress"]')).to.not.equal(null);
      const stale = started.filter((s) => s.index >= 1 && s.index <= 6);
      expect(stale.length).to.be.greaterThan(0);
      expect(stale.every((s) => s.signal.aborted)).to.equal(true);
      started.find((s) => s.index === 15 && !s.signal.aborted)!.resolve();
      await new Promise((r) => setTimeout(r, 0));
      expect(el.displayedSlice).to.equal(15);
      await el.renderComplete;
      expect(el.shadowRoot!.querySelector('[part="progress"]')).to.equal(null);
      // Neighbours of 15 are being prefetched.
      expect(started.some((s) => s.index === 16 && !s.signal.aborted)).to.equal(true);
    });
  });

  describe('rendering', () => {
    async function checkPixels(
      el: VxViewer,
      center: number,
      width: number,
      value: (i: number, j: number) => number,
      fn: VoiLutFunction = 'LINEAR',
      invert = false,
    ) {
      await el.renderComplete;
      let checked = 0;
      for (const [i, j] of SAMPLES) {
        const [cx, cy] = pixelClient(el, i + 0.5, j + 0.5);
        const r = el.getBoundingClientRect();
        if (cx < r.left || cy < r.top || cx >= r.right || cy >= r.bottom) continue;
        const g = grey(value(i, j), center, width, fn, invert);
        expect(canvasPixel(el, cx, cy), `pixel ${i},${j}`).to.deep.equal([g, g, g, 255]);
        checked++;
      }
      return checked;
    }

    it('draws window-formula greys at zoom 1', async () => {
      const el = await mount(knownStack({ slope: 2, intercept: -100 }));
      el.zoom = 1;
      el.windowCenter = 50;
      el.windowWidth = 700;
      el.slice = 3;
      const n = await checkPixels(el, 50, 700, (i, j) => stored(i, j, 3) * 2 - 100);
      expect(n).to.equal(SAMPLES.length);
    });

    it('draws window-formula greys at zoom 3 with pan, pixel-exact (no smoothing)', async () => {
      const el = await mount(knownStack());
      el.setView({ zoom: 3, centerX: 20.25, centerY: 9.5 });
      el.windowCenter = -200;
      el.windowWidth = 1200;
      const n = await checkPixels(el, -200, 1200, (i, j) => stored(i, j, 0));
      expect(n).to.be.greaterThan(3);
      // With pixel edges on whole screen pixels, every screen pixel inside an image pixel has its grey.
      el.setView({ zoom: 3, centerX: 61 / 3, centerY: 29 / 3 });
      expect(await checkPixels(el, -200, 1200, (i, j) => stored(i, j, 0))).to.be.greaterThan(3);
      const [cx, cy] = pixelClient(el, 17 + 0.5, 3 + 0.5);
      const g = grey(stored(17, 3, 0), -200, 1200);
      for (const [dx, dy] of [
        [-1.2, -1.2],
        [1.2, 1.2],
        [-1.2, 1.2],
      ] as const) {
        expect(canvasPixel(el, cx + dx, cy + dy)).to.deep.equal([g, g, g, 255]);
      }
    });

    it('uses LINEAR_EXACT and SIGMOID when asked', async () => {
      for (const fn of ['LINEAR_EXACT', 'SIGMOID'] as const) {
        const el = await mount(knownStack());
        el.zoom = 1;
        el.voiFunction = fn;
        el.windowCenter = 0;
        el.windowWidth = 900;
        expect(await checkPixels(el, 0, 900, (i, j) => stored(i, j, 0), fn)).to.equal(SAMPLES.length);
      }
    });

    it('inverts MONOCHROME1 and on I; the invert property reflects it', async () => {
      const el = await mount(knownStack({ metadata: { photometricInterpretation: 'MONOCHROME1' } }));
      el.zoom = 1;
      el.windowCenter = 0;
      el.windowWidth = 1000;
      await checkPixels(el, 0, 1000, (i, j) => stored(i, j, 0), 'LINEAR', true);
      el.focus();
      await sendKeys({ press: 'i' });
      expect(el.invert).to.equal(true);
      await checkPixels(el, 0, 1000, (i, j) => stored(i, j, 0), 'LINEAR', false);
    });

    it('windows float data', async () => {
      const data = new Float32Array(W * H);
      for (let j = 0; j < H; j++) for (let i = 0; i < W; i++) data[j * W + i] = Math.sin(i * 0.3) * j * 0.37;
      const el = await mount(createImageStack({ width: W, height: H, frames: [data], dataType: 'float32' }));
      el.zoom = 1;
      el.windowCenter = 0.5;
      el.windowWidth = 6;
      expect(await checkPixels(el, 0.5, 6, (i, j) => data[j * W + i]!)).to.equal(SAMPLES.length);
    });

    it('shows RGB as is', async () => {
      const data = new Uint8Array(W * H * 3);
      for (let p = 0; p < W * H; p++) data.set([(p * 7) & 255, (p * 3) & 255, (p * 11) & 255], p * 3);
      const el = await mount(
        createImageStack({ width: W, height: H, frames: [data], dataType: 'uint8', samplesPerPixel: 3 }),
      );
      el.zoom = 2;
      await el.renderComplete;
      for (const [i, j] of SAMPLES) {
        const p = j * W + i;
        const [cx, cy] = pixelClient(el, i + 0.5, j + 0.5);
        const r = el.getBoundingClientRect();
        if (cx < r.left || cy < r.top || cx >= r.right || cy >= r.bottom) continue;
        expect(canvasPixel(el, cx, cy)).to.deep.equal([data[p * 3], data[p * 3 + 1], data[p * 3 + 2], 255]);
      }
    });

    it('renders large minified images at screen resolution, and at full resolution when zoomed in', async () => {
      const N = 2048;
      const data = new Uint16Array(N * N);
      const block = (i: number, j: number) => Math.floor(i / 128) * 100 + Math.floor(j / 128) * 7;
      for (let j = 0; j < N; j++) for (let i = 0; i < N; i++) data[j * N + i] = block(i, j);
      const el = await mount(createImageStack({ width: N, height: N, frames: [data], dataType: 'uint16' }));
      el.windowCenter = 800;
      el.windowWidth = 1700;
      await el.renderComplete;
      expect(el.zoom).to.be.closeTo(200 / N, 1e-9);
      // The offscreen image is a fraction of the full size.
      expect(
        (el.imageLayer.findOne('Image') as unknown as { image(): HTMLCanvasElement }).image().width,
      ).to.be.lessThan(N / 4);
      for (const [bi, bj] of [
        [1, 1],
        [7, 3],
        [12, 14],
      ]) {
        const [cx, cy] = pixelClient(el, bi! * 128 + 64, bj! * 128 + 64);
        const g = grey(block(bi! * 128, bj! * 128), 800, 1700);
        const got = canvasPixel(el, cx, cy);
        expect(Math.abs(got[0]! - g), `block ${bi},${bj}`).to.be.at.most(1);
      }
      el.setView({ zoom: 2, centerX: 300, centerY: 200 });
      await el.renderComplete;
      expect(
        (el.imageLayer.findOne('Image') as unknown as { image(): HTMLCanvasElement }).image().width,
      ).to.equal(N);
      const [cx, cy] = pixelClient(el, 300.5, 200.5);
      const g = grey(block(300, 200), 800, 1700);
      expect(canvasPixel(el, cx, cy)).to.deep.equal([g, g, g, 255]);
    });

    it('replaces the quick minified rendering with an area average once idle', async () => {
      const N = 2048;
      const data = new Uint16Array(N * N);
      for (let j = 0; j < N; j++) for (let i = 0; i < N; i++) data[j * N + i] = (i + j) % 2 ? 1000 : 0;
      const el = await mount(createImageStack({ width: N, height: N, frames: [data], dataType: 'uint16' }));
      el.windowCenter = 500;
      el.windowWidth = 1001;
      await el.renderComplete;
      const [cx, cy] = pixelClient(el, 1000, 1000);
      const mid = grey(500, 500, 1001);
      const deadline = performance.now() + 5000;
      while (Math.abs(canvasPixel(el, cx, cy)[0]! - mid) > 2 && performance.now() < deadline) {
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(canvasPixel(el, cx, cy)[0]).to.be.closeTo(mid, 2);
    });

    it('stretches non-square pixels by the spacing', async () => {
      const el = await mount(knownStack({ spacing: [0.5, 1, 1] }));
      el.setView({ zoom: 2, centerX: 16, centerY: 12 });
      el.windowCenter = 0;
      el.windowWidth = 2000;
      await el.renderComplete;
      // Pixel (5, 7) is 2 CSS px wide and 4 tall.
      const [cx, cy] = pixelClient(el, 5.5, 7.5);
      const g = grey(stored(5, 7, 0), 0, 2000);
      expect(canvasPixel(el, cx, cy + 1.5)).to.deep.equal([g, g, g, 255]);
      expect(canvasPixel(el, cx, cy - 1.5)).to.deep.equal([g, g, g, 255]);
      const below = grey(stored(5, 8, 0), 0, 2000);
      expect(canvasPixel(el, cx, cy + 2.5)).to.deep.equal([below, below, below, 255]);
    });
  });

  describe('window, zoom and pan', () => {
    it('changes the window by right-drag and fires vx-window-change', async () => {
      const el = await mount(knownStack());
      el.windowCenter = 40;
      el.windowWidth = 400;
      const events = recordEvents<CustomEvent>(el, 'vx-window-change');
      const r = el.getBoundingClientRect();
      const x = Math.round(r.left + 100);
      const y = Math.round(r.top + 100);
      await sendMouse({ type: 'move', position: [x, y] });
      await sendMouse({ type: 'down', button: 'right' });
      await sendMouse({ type: 'move', position: [x + 40, y + 20] });
      await sendMouse({ type: 'up', button: 'right' });
      // Stored range 4096 values → 4 units per pixel of drag.
      expect(el.windowWidth).to.equal(400 + 160);
      expect(el.windowCenter).to.equal(40 + 80);
      expect(events.length).to.be.greaterThan(0);
      expect(events.at(-1)!.detail).to.deep.include({ center: 120, width: 560, source: 'drag' });
      await el.renderComplete;
      const [cx, cy] = pixelClient(el, 5.5, 7.5);
      const g = grey(stored(5, 7, 0), 120, 560);
      expect(canvasPixel(el, cx, cy)).to.deep.equal([g, g, g, 255]);
    });

    it('opens with a window the host set before loading, and the next stack with its own', async () => {
      const el = await fixture<VxViewer>(
        html`<vx-viewer
          style="width:200px;height:200px"
          window-center="-600"
          window-width="1500"
        ></vx-viewer>`,
      );
      let loaded = oneEvent(el, 'vx-load');
      el.stack = knownStack();
      await loaded;
      expect([el.windowCenter, el.windowWidth]).to.deep.equal([-600, 1500]);
      loaded = oneEvent(el, 'vx-load');
      el.stack = createImageStack({
        width: 4,
        height: 4,
        frames: [new Uint8Array(16).fill(7)],
        dataType: 'uint8',
        windowPresets: [{ name: 'file', center: 100, width: 50 }],
      });
      await loaded;
      expect([el.windowCenter, el.windowWidth]).to.deep.equal([100, 50]);
    });

    it('ignores nonsense property values', async () => {
      const el = await mount(knownStack());
      el.windowCenter = 10;
      el.windowWidth = 20;
      el.slice = 3;
      const zoom = el.zoom;
      el.windowCenter = NaN;
      el.windowWidth = Infinity;
      el.slice = NaN;
      el.zoom = Number.NaN;
      expect([el.windowCenter, el.windowWidth, el.slice]).to.deep.equal([10, 20, 3]);
      expect(el.zoom).to.equal(zoom);
      el.zoom = -2;
      expect(el.zoom).to.equal(zoom);
      el.windowWidth = -5;
      expect(el.windowWidth).to.equal(1);
      el.zoom = 1e9;
      expect(el.zoom).to.equal(64);
      el.slice = -4;
      expect(el.slice).to.equal(0);
      await el.renderComplete;
    });

    it('does not fire vx-window-change when the host sets the window', async () => {
      const el = await mount(knownStack());
      const events = recordEvents(el, 'vx-window-change');
      el.windowCenter = 10;
      el.windowWidth = 20;
      el.invert = true;
      expect(events).to.have.length(0);
    });

    it('applies presets with 1–5 (CT presets first)', async () => {
      const el = await mount(knownStack());
      const events = recordEvents<CustomEvent>(el, 'vx-window-change');
      el.focus();
      await sendKeys({ press: '2' });
      expect([el.windowCenter, el.windowWidth]).to.deep.equal([-600, 1500]);
      expect(events.map((e) => e.detail.source)).to.deep.equal(['preset']);
      el.applyPreset(2);
      expect([el.windowCenter, el.windowWidth]).to.deep.equal([400, 1800]);
      expect(events).to.have.length(1);
      await sendKeys({ press: '1' });
      expect([el.windowCenter, el.windowWidth]).to.deep.equal([40, 400]);
      await el.updateComplete;
      expect(el.shadowRoot!.querySelector('[part="overlay-bottom-left"]')!.textContent).to.contain(
        'C 40  W 400  Soft tissue',
      );
    });

    it('keeps the image point under the cursor fixed when zooming with Ctrl+wheel', async () => {
      const el = await mount(knownStack());
      const r = el.getBoundingClientRect();
      for (const [px, py] of [
        [r.left + 37, r.top + 151],
        [r.left + 160, r.top + 20],
      ]) {
        const before = el.clientToImage(px!, py!);
        const z0 = el.zoom;
        const e = wheel(el, { deltaY: -100, ctrlKey: true, clientX: px, clientY: py });
        expect(e.defaultPrevented).to.equal(true);
        expect(el.zoom).to.be.greaterThan(z0);
        const after = el.clientToImage(px!, py!);
        expect(after[0]).to.be.closeTo(before[0], 1e-9);
        expect(after[1]).to.be.closeTo(before[1], 1e-9);
        // And the drawn image agrees: the pixel under the cursor has the expected grey.
        await el.renderComplete;
        const [i, j] = [Math.floor(after[0]), Math.floor(after[1])];
        if (i >= 0 && j >= 0 && i < W && j < H) {
          const g = grey(stored(i, j, 0), el.windowCenter, el.windowWidth);
          const [cx, cy] = pixelClient(el, i + 0.5, j + 0.5);
          expect(canvasPixel(el, cx, cy)).to.deep.equal([g, g, g, 255]);
        }
      }
      expect(el.slice).to.equal(0);
    });

    it('pans with middle-drag and with Space+drag, zooms with the zoom tool', async () => {
      const el = await mount(knownStack());
      const r = el.getBoundingClientRect();
      const x = Math.round(r.left + 100);
      const y = Math.round(r.top + 100);
      const before = el.clientToImage(x, y);
      await sendMouse({ type: 'move', position: [x, y] });
      await sendMouse({ type: 'down', button: 'middle' });
      await sendMouse({ type: 'move', position: [x + 30, y - 10] });
      await sendMouse({ type: 'up', button: 'middle' });
      let now = el.clientToImage(x + 30, y - 10);
      expect(now[0]).to.be.closeTo(before[0], 1e-9);
      expect(now[1]).to.be.closeTo(before[1], 1e-9);

      el.focus();
      await sendKeys({ down: ' ' });
      const b2 = el.clientToImage(x, y);
      await sendMouse({ type: 'move', position: [x, y] });
      await sendMouse({ type: 'down' });
      await sendMouse({ type: 'move', position: [x - 20, y + 25] });
      await sendMouse({ type: 'up' });
      await sendKeys({ up: ' ' });
      now = el.clientToImage(x - 20, y + 25);
      expect(now[0]).to.be.closeTo(b2[0], 1e-9);
      expect(now[1]).to.be.closeTo(b2[1], 1e-9);

      el.tool = 'zoom';
      const z0 = el.zoom;
      const b3 = el.clientToImage(x, y);
      await sendMouse({ type: 'move', position: [x, y] });
      await sendMouse({ type: 'down' });
      await sendMouse({ type: 'move', position: [x, y - 60] });
      await sendMouse({ type: 'up' });
      expect(el.zoom).to.be.greaterThan(z0);
      now = el.clientToImage(x, y);
      expect(now[0]).to.be.closeTo(b3[0], 1e-9);
      expect(now[1]).to.be.closeTo(b3[1], 1e-9);
    });

    it('pinch-zooms and pans with two fingers, keeping the image point under them', async () => {
      const el = await mount(knownStack());
      const target = el.stage.content;
      const touch = (type: string, pointerId: number, x: number, y: number) =>
        target.dispatchEvent(
          new PointerEvent(type, {
            pointerId,
            pointerType: 'touch',
            clientX: x,
            clientY: y,
            button: 0,
            buttons: 1,
            bubbles: true,
            composed: true,
          }),
        );
      const r = el.getBoundingClientRect();
      const [ax, ay, bx, by] = [r.left + 80, r.top + 100, r.left + 120, r.top + 100];
      const under = el.clientToImage((ax + bx) / 2, (ay + by) / 2);
      const z0 = el.zoom;
      const w0 = [el.windowCenter, el.windowWidth];
      touch('pointerdown', 11, ax, ay);
      touch('pointerdown', 12, bx, by);
      // Spread to twice the distance and move the midpoint 15 px right.
      touch('pointermove', 11, ax - 20 + 15, ay);
      touch('pointermove', 12, bx + 20 + 15, by);
      touch('pointerup', 11, ax - 5, ay);
      touch('pointerup', 12, bx + 35, by);
      expect(el.zoom).to.be.closeTo(z0 * 2, 1e-9);
      const now = el.clientToImage((ax + bx) / 2 + 15, (ay + by) / 2);
      expect(now[0]).to.be.closeTo(under[0], 1e-9);
      expect(now[1]).to.be.closeTo(under[1], 1e-9);
      // The first finger alone would have windowed; the pinch left the window as it was.
      expect([el.windowCenter, el.windowWidth]).to.deep.equal(w0);
    });

    it('windows from the keyboard with Ctrl+arrows', async () => {
      const el = await mount(knownStack());
      el.windowCenter = 40;
      el.windowWidth = 400;
      const events = recordEvents<CustomEvent>(el, 'vx-window-change');
      el.focus();
      await sendKeys({ press: 'Control+ArrowRight' });
      await sendKeys({ press: 'Control+ArrowUp' });
      // 4 units per drag pixel (a 4096-value range) × 10.
      expect([el.windowCenter, el.windowWidth]).to.deep.equal([80, 440]);
      await sendKeys({ press: 'Control+Shift+ArrowLeft' });
      expect(el.windowWidth).to.equal(240);
      expect(el.slice).to.equal(0);
      expect(events.map((e) => e.detail.source)).to.deep.equal(['keyboard', 'keyboard', 'keyboard']);
    });

    it('resets with R and fits with F', async () => {
      const el = await mount(knownStack());
      const fitZoom = el.zoom;
      const [c0, w0] = [el.windowCenter, el.windowWidth];
      el.setView({ zoom: 5, centerX: 3, centerY: 4 });
      el.windowCenter = 999;
      el.focus();
      await sendKeys({ press: 'f' });
      expect(el.zoom).to.equal(fitZoom);
      expect(el.windowCenter).to.equal(999);
      el.setView({ zoom: 5 });
      await sendKeys({ press: 'r' });
      expect(el.zoom).to.equal(fitZoom);
      expect([el.windowCenter, el.windowWidth]).to.deep.equal([c0, w0]);
    });

    it('round-trips clientToImage and imageToClient', async () => {
      const el = await mount(knownStack({ spacing: [0.7, 0.9, 1] }));
      el.setView({ zoom: 2.5, centerX: 11.3, centerY: 6.1 });
      const [cx, cy] = el.imageToClient(7.25, 19.5);
      const [x, y] = el.clientToImage(cx, cy);
      expect(x).to.be.closeTo(7.25, 1e-9);
      expect(y).to.be.closeTo(19.5, 1e-9);
    });
  });

  describe('drawing', () => {
    it('redraws only the image layer for slice and window changes, and every layer for zoom', async () => {
      const el = await mount(knownStack());
      const layer = el.createLayer('test-layer');
      const counts = { image: 0, layer: 0 };
      const wrap = (l: typeof layer, key: keyof typeof counts) => {
        const draw = l.draw.bind(l);
        l.draw = () => {
          counts[key]++;
          return draw();
        };
      };
      wrap(el.imageLayer as unknown as typeof layer, 'image');
      wrap(layer, 'layer');
      await el.renderComplete;
      counts.image = counts.layer = 0;
      el.slice = 4;
      el.windowCenter = 123;
      el.windowWidth = 456;
      await el.renderComplete;
      expect(counts).to.deep.equal({ image: 1, layer: 0 });
      el.zoom = 2;
      await el.renderComplete;
      expect(counts).to.deep.equal({ image: 2, layer: 1 });
      // The new layer carries the image transform.
      expect(layer.scaleX()).to.equal(2);
      expect(layer.x()).to.equal(el.view.offsetX);
    });
  });

  describe('keymap, tools and cine', () => {
    it('follows a remapped keymap', async () => {
      const el = await mount(knownStack());
      el.keymap = { ...el.keymap, 'slice-next': ['j'], 'slice-previous': ['k'], 'window-preset-1': [] };
      el.focus();
      await sendKeys({ press: 'j' });
      await sendKeys({ press: 'j' });
      expect(el.slice).to.equal(2);
      await sendKeys({ press: 'ArrowDown' });
      expect(el.slice).to.equal(2);
      await sendKeys({ press: 'k' });
      expect(el.slice).to.equal(1);
      const c = el.windowCenter;
      await sendKeys({ press: '1' });
      expect(el.windowCenter).to.equal(c);
    });

    it('remaps mouse bindings through the keymap', async () => {
      const el = await mount(knownStack());
      el.keymap = {
        ...el.keymap,
        'window-drag': ['Shift+LeftDrag'],
        'pan-drag': ['RightDrag'],
        'slice-wheel': ['Shift+Wheel'],
        'zoom-wheel': ['Wheel'],
      };
      el.windowCenter = 40;
      el.windowWidth = 400;
      el.tool = 'pan'; // a left-button binding wins over the tool for its modifiers
      const r = el.getBoundingClientRect();
      const [x, y] = [Math.round(r.left + 100), Math.round(r.top + 100)];
      // Right-drag now pans.
      const before = el.clientToImage(x, y);
      await sendMouse({ type: 'move', position: [x, y] });
      await sendMouse({ type: 'down', button: 'right' });
      await sendMouse({ type: 'move', position: [x + 20, y + 10] });
      await sendMouse({ type: 'up', button: 'right' });
      expect([el.windowCenter, el.windowWidth]).to.deep.equal([40, 400]);
      const after = el.clientToImage(x + 20, y + 10);
      expect(after[0]).to.be.closeTo(before[0], 1e-9);
      // Shift+left-drag windows.
      await sendKeys({ down: 'Shift' });
      await sendMouse({ type: 'down' });
      await sendMouse({ type: 'move', position: [x + 30, y + 10] });
      await sendMouse({ type: 'up' });
      await sendKeys({ up: 'Shift' });
      expect(el.windowWidth).to.equal(400 + 40);
      // The plain wheel zooms; Shift+wheel scrolls.
      const z = el.zoom;
      wheel(el, { deltaY: -100 });
      expect(el.zoom).to.be.greaterThan(z);
      expect(el.slice).to.equal(0);
      wheel(el, { deltaY: 100, shiftKey: true });
      expect(el.slice).to.equal(1);
      // Unbound: Ctrl+wheel now does nothing and leaves the page free to scroll.
      const z2 = el.zoom;
      expect(wheel(el, { deltaY: -100, ctrlKey: true }).defaultPrevented).to.equal(false);
      expect(el.zoom).to.equal(z2);
    });

    it('routes left-button input to a registered tool in image coordinates; navigation keeps working', async () => {
      const el = await mount(knownStack());
      el.setView({ zoom: 3, centerX: 14, centerY: 10 });
      const got: ImagePointerEvent[] = [];
      let cancelled = 0;
      let completed = 0;
      const keys: string[][] = [];
      el.registerTool('probe', {
        onPointerDown: (e) => got.push(e),
        onPointerMove: (e) => got.push(e),
        onPointerUp: (e) => got.push(e),
        onKeyDown: (e, actions) => {
          keys.push([...actions]);
          return e.key === 'ArrowUp';
        },
        cancel: () => cancelled++,
        complete: () => completed++,
      });
      el.tool = 'probe';
      const [c0, w0] = [el.windowCenter, el.windowWidth];
      const [x0, y0] = el.imageToClient(10.5, 5.5);
      const [x1, y1] = el.imageToClient(12.5, 8.5);
      await sendMouse({ type: 'move', position: [Math.round(x0), Math.round(y0)] });
      await sendMouse({ type: 'down' });
      await sendMouse({ type: 'move', position: [Math.round(x1), Math.round(y1)] });
      await sendMouse({ type: 'up' });
      const down = got.find((e) => e.type === 'down')!;
      const up = got.find((e) => e.type === 'up')!;
      const [ex0, ey0] = el.clientToImage(Math.round(x0), Math.round(y0));
      expect(down.x).to.be.closeTo(ex0, 1e-9);
      expect(down.y).to.be.closeTo(ey0, 1e-9);
      expect(down.button).to.equal(0);
      expect(Math.floor(up.x)).to.equal(12);
      expect(Math.floor(up.y)).to.equal(8);
      // The window did not change: left button belongs to the tool.
      expect([el.windowCenter, el.windowWidth]).to.deep.equal([c0, w0]);
      expect(el.view.zoom).to.equal(3);
      // The tool sees keys first: it consumes ArrowUp, not ArrowDown.
      el.slice = 5;
      el.focus();
      await sendKeys({ press: 'ArrowUp' });
      expect(el.slice).to.equal(5);
      await sendKeys({ press: 'ArrowDown' });
      expect(el.slice).to.equal(6);
      expect(keys[0]![0]).to.equal('slice-previous');
      // Moving to another slice cancels a gesture in progress; so does Escape.
      expect(cancelled).to.equal(1);
      await sendKeys({ press: 'Escape' });
      expect(cancelled).to.equal(2);
      await sendKeys({ press: 'Enter' });
      expect(completed).to.equal(1);
      // Right-drag still windows.
      await sendMouse({ type: 'move', position: [Math.round(x0), Math.round(y0)] });
      await sendMouse({ type: 'down', button: 'right' });
      await sendMouse({ type: 'move', position: [Math.round(x0) + 10, Math.round(y0)] });
      await sendMouse({ type: 'up', button: 'right' });
      expect(el.windowWidth).to.equal(w0 + 40);
      // Switching tools cancels the tool.
      el.tool = 'pan';
      expect(cancelled).to.equal(3);
    });

    it('runs registered action handlers, latest first', async () => {
      const el = await mount(knownStack());
      el.keymap = { ...el.keymap, undo: ['Ctrl+z'] };
      const calls: string[] = [];
      el.registerAction('undo', () => {
        calls.push('first');
        return true;
      });
      const off = el.registerAction('undo', () => {
        calls.push('second');
        return false;
      });
      el.focus();
      await sendKeys({ press: 'Control+z' });
      expect(calls).to.deep.equal(['second', 'first']);
      off();
      await sendKeys({ press: 'Control+z' });
      expect(calls).to.deep.equal(['second', 'first', 'first']);
    });

    it('lets layer handlers take a shared key first, and falls back to the viewer when they decline', async () => {
      const el = await mount(knownStack());
      el.keymap = { ...el.keymap, 'test-nudge-up': ['ArrowUp'] };
      let selected = false;
      let nudged = 0;
      el.registerAction('test-nudge-up', () => {
        if (!selected) return false;
        nudged++;
        return true;
      });
      el.slice = 5;
      el.focus();
      await sendKeys({ press: 'ArrowUp' });
      expect([el.slice, nudged]).to.deep.equal([4, 0]);
      selected = true;
      await sendKeys({ press: 'ArrowUp' });
      expect([el.slice, nudged]).to.deep.equal([4, 1]);
    });

    it('leaves keys alone inside slotted controls (a button keeps Enter and Space)', async () => {
      const el = await fixture<VxViewer>(
        html`<vx-viewer style="width:200px;height:200px">
          <button>Open</button>
        </vx-viewer>`,
      );
      const loaded = oneEvent(el, 'vx-load');
      el.stack = knownStack();
      await loaded;
      const button = el.querySelector('button')!;
      let clicks = 0;
      button.addEventListener('click', () => clicks++);
      let completes = 0;
      el.registerTool('probe', { complete: () => completes++ });
      el.tool = 'probe';
      button.focus();
      await sendKeys({ press: 'Enter' });
      await sendKeys({ press: 'ArrowDown' });
      expect(clicks).to.equal(1);
      expect(completes).to.equal(0);
      expect(el.slice).to.equal(0);
    });

    it('toggles cine with C and stops with Escape', async () => {
      const el = await mount(knownStack());
      el.cineFps = 60;
      el.focus();
      const events = recordEvents<CustomEvent>(el, 'vx-slice-change');
      await sendKeys({ press: 'c' });
      expect(el.playing).to.equal(true);
      await new Promise((r) => setTimeout(r, 300));
      expect(el.slice).to.be.greaterThan(1);
      expect(events.at(-1)!.detail.source).to.equal('cine');
      await sendKeys({ press: 'Escape' });
      expect(el.playing).to.equal(false);
      const s = el.slice;
      await new Promise((r) => setTimeout(r, 100));
      expect(el.slice).to.equal(s);
    });
  });

  describe('overlays and accessibility', () => {
    it('shows slice, window, zoom and the value under the cursor as text', async () => {
      const el = await mount(knownStack({ slope: 1, intercept: -1024, spacing: [0.5, 0.5, 1] }));
      el.windowCenter = 40;
      el.windowWidth = 400;
      el.slice = 2;
      const [cx, cy] = pixelClient(el, 9.5, 4.5);
      await sendMouse({ type: 'move', position: [Math.round(cx), Math.round(cy)] });
      await el.updateComplete;
      const text = (part: string) => el.shadowRoot!.querySelector(`[part="${part}"]`)!.textContent!;
      expect(text('overlay-top-right')).to.contain('3/30');
      expect(text('overlay-bottom-left')).to.contain('C 40').and.contain('W 400').and.contain('Zoom');
      const [ix, iy] = el.clientToImage(Math.round(cx), Math.round(cy));
      expect(text('overlay-bottom-right')).to.contain(
        `${stored(Math.floor(ix), Math.floor(iy), 2) - 1024} HU`,
      );
      expect(text('overlay-bottom-right')).to.contain(`${Math.floor(ix)}, ${Math.floor(iy)} px`);
      expect(text('overlay-bottom-right')).to.contain('mm');
      el.hideOverlays = true;
      await el.updateComplete;
      expect(el.shadowRoot!.querySelector<HTMLElement>('[part="overlay"]')!.hidden).to.equal(true);
    });

    it('shows the patient position in mm when the stack has position and orientation', async () => {
      const base = knownStack({ spacing: [0.5, 2, 1] });
      // A plain ImageStack (not a LazyImageStack): the viewer must work with any implementation.
      const stack: ImageStack = {
        format: 'dicom',
        width: base.width,
        height: base.height,
        depth: base.depth,
        samplesPerPixel: 1,
        dataType: base.dataType,
        spacing: base.spacing,
        windowPresets: [],
        slices: base.slices.map((_, z) => ({ position: [100, -50, 10 + z * 2] as [number, number, number] })),
        metadata: { ...base.metadata, imageOrientationPatient: [1, 0, 0, 0, 0, -1] },
        getFrame: (i, o) => base.getFrame(i, o),
      };
      const el = await mount(stack);
      el.slice = 3;
      el.setView({ zoom: 4, centerX: 10.5, centerY: 5.5 });
      const [cx, cy] = el.imageToClient(10.5, 5.5);
      await sendMouse({ type: 'move', position: [Math.round(cx), Math.round(cy)] });
      await el.updateComplete;
      const [ix, iy] = el.clientToImage(Math.round(cx), Math.round(cy));
      const expected = [100 + (ix - 0.5) * 0.5, -50, 16 - (iy - 0.5) * 2].map((v) => v.toFixed(1)).join(', ');
      expect(el.shadowRoot!.querySelector('[part="overlay-bottom-right"]')!.textContent).to.contain(
        `${expected} mm`,
      );
    });

    it('is focusable, named, described and announces slices politely; axe passes', async () => {
      const el = await mount(knownStack());
      el.focus();
      expect(el.shadowRoot!.activeElement).to.equal(view(el));
      expect(view(el).getAttribute('aria-label')).to.equal('Image viewer');
      const description = el.shadowRoot!.getElementById(view(el).getAttribute('aria-describedby')!)!;
      expect(description.textContent).to.contain('30 slices');
      await sendKeys({ press: 'ArrowDown' });
      await new Promise((r) => setTimeout(r, 500));
      await el.updateComplete;
      const live = el.shadowRoot!.querySelector('[aria-live="polite"]')!;
      expect(live.textContent).to.equal('Slice 2 of 30');
      await expect(el).to.be.accessible();
    });

    it('is accessible while empty', async () => {
      const el = await mount();
      await expect(el).to.be.accessible();
    });
  });

  describe('several viewers', () => {
    it('are independent', async () => {
      const wrap = await fixture<HTMLDivElement>(
        html`<div style="display:flex;gap:4px">
          <vx-viewer style="width:150px;height:150px"></vx-viewer>
          <vx-viewer style="width:150px;height:150px"></vx-viewer>
        </div>`,
      );
      const [a, b] = Array.from(wrap.querySelectorAll('vx-viewer'));
      const la = oneEvent(a!, 'vx-load');
      const lb = oneEvent(b!, 'vx-load');
      a!.stack = knownStack();
      b!.stack = knownStack({ depth: 10 });
      await Promise.all([la, lb]);
      const eventsB = recordEvents(b!, 'vx-slice-change');
      a!.focus();
      await sendKeys({ press: 'PageDown' });
      wheel(a!, { deltaY: 100 });
      wheel(a!, { deltaY: -100, ctrlKey: true });
      a!.windowCenter = 500;
      expect(a!.slice).to.equal(11);
      expect(b!.slice).to.equal(0);
      expect(b!.zoom).to.not.equal(a!.zoom);
      expect(b!.windowCenter).to.not.equal(500);
      expect(eventsB).to.have.length(0);
      expect(a!.stage).to.not.equal(b!.stage);
      await Promise.all([a!.renderComplete, b!.renderComplete]);
      const [cx, cy] = pixelClient(b!, 5.5, 5.5);
      const g = grey(stored(5, 5, 0), b!.windowCenter, b!.windowWidth);
      expect(canvasPixel(b!, cx, cy)[0]).to.be.closeTo(g, 1);
    });
  });
});
