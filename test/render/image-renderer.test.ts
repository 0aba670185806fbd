import { expect } from '@open-wc/testing';
import { ImageRenderer } from '../../src/render/image-renderer.js';
import { greyOf } from '../../src/core/image/voi.js';
import type { DataType, Frame, PixelArray } from '../../src/core/image/types.js';

function frame(data: PixelArray, width: number, height: number, spp = 1, slope = 1, intercept = 0): Frame {
  return { width, height, samplesPerPixel: spp, data, rescaleSlope: slope, rescaleIntercept: intercept };
}

function pixels(r: ImageRenderer): Uint8ClampedArray {
  return r.canvas.getContext('2d')!.getImageData(0, 0, r.canvas.width, r.canvas.height).data;
}

describe('ImageRenderer', () => {
  const cases: [DataType, PixelArray][] = [
    ['uint8', new Uint8Array([0, 50, 100, 255])],
    ['int8', new Int8Array([-128, -5, 60, 127])],
    ['uint16', new Uint16Array([0, 1000, 40000, 65535])],
    ['int16', new Int16Array([-32768, -1000, 40, 32767])],
    ['uint32', new Uint32Array([0, 70000, 1 << 30, 4000000000])],
    ['int32', new Int32Array([-2000000000, -5, 5, 2000000000])],
    ['float32', new Float32Array([-1.5, 0, 0.25, 3])],
    ['float64', new Float64Array([-1e6, 0, 1e-3, 1e6])],
  ];
  for (const [dataType, data] of cases) {
    it(`windows ${dataType} exactly as the formula says`, () => {
      const r = new ImageRenderer();
      const values = Array.from(data as ArrayLike<number>);
      const lo = Math.min(...values);
      const hi = Math.max(...values);
      const window = {
        center: (lo + hi) / 2 + (hi - lo) / 7,
        width: (hi - lo) / 2 || 1,
        fn: 'LINEAR' as const,
        invert: false,
      };
      r.render(frame(data, 2, 2, 1, 2, -3), dataType, window);
      const px = pixels(r);
      for (let i = 0; i < 4; i++) {
        const g = greyOf(values[i]!, { ...window, slope: 2, intercept: -3 });
        expect([px[i * 4], px[i * 4 + 1], px[i * 4 + 2], px[i * 4 + 3]], `${dataType} #${i}`).to.deep.equal([
          g,
          g,
          g,
          255,
        ]);
      }
    });
  }

  describe('bitmap cache', () => {
    const w = { center: 100, width: 50, fn: 'LINEAR' as const, invert: false };
    const slice = (v: number) => frame(new Uint16Array([v, v + 10, v + 20, v + 30]), 2, 2);

    it('shows a slice seen before at the same window from its cached bitmap, without rendering it again', () => {
      const r = new ImageRenderer();
      const a = slice(80);
      const b = slice(100);
      r.render(a, 'uint16', w);
      expect(r.lastRenderCached).to.equal(false);
      const canvasA = r.canvas;
      const pixelsA = Array.from(pixels(r));
      r.render(b, 'uint16', w);
      expect(r.canvas).to.not.equal(canvasA);
      // Were A rendered again, these samples would show: the cached bitmap must not.
      a.data.set([130, 130, 130, 130]);
      r.render(a, 'uint16', w);
      expect(r.lastRenderCached).to.equal(true);
      expect(r.canvas).to.equal(canvasA);
      expect(Array.from(pixels(r))).to.deep.equal(pixelsA);
    });

    it('renders again when the window changes', () => {
      const r = new ImageRenderer();
      const a = slice(80);
      r.render(a, 'uint16', w);
      const before = Array.from(pixels(r));
      r.render(a, 'uint16', { ...w, invert: true });
      expect(r.lastRenderCached).to.equal(false);
      const after = Array.from(pixels(r));
      for (let i = 0; i < 4; i++) expect(after[i * 4]).to.equal(255 - before[i * 4]!);
      r.render(a, 'uint16', { ...w, invert: true, center: 101 });
      expect(r.lastRenderCached).to.equal(false);
      r.render(a, 'uint16', { ...w, invert: true, center: 101 });
      expect(r.lastRenderCached).to.equal(true);
    });

    it('stays within its budget and reuses the least recently shown canvas', () => {
      const r = new ImageRenderer(3 * 2 * 2 * 4); // three 2×2 bitmaps
      const frames = [slice(60), slice(70), slice(80), slice(90)];
      const canvases = frames.map((f) => (r.render(f, 'uint16', w), r.canvas));
      expect(r.cachedBitmaps).to.equal(3);
      expect(new Set(canvases).size).to.equal(3);
      expect(canvases[3]).to.equal(canvases[0]); // the oldest canvas, drawn again
      r.render(frames[1]!, 'uint16', w);
      expect(r.lastRenderCached).to.equal(true);
      r.render(frames[0]!, 'uint16', w);
      expect(r.lastRenderCached).to.equal(false);
      expect(r.canvas).to.equal(canvases[2]); // slice 2 was then the least recently shown
    });
  });

  it('reuses the LUT across frames and rebuilds it when the window changes', () => {
    const r = new ImageRenderer();
    const w = { center: 100, width: 50, fn: 'LINEAR' as const, invert: false };
    r.render(frame(new Uint16Array([90, 100, 110, 130]), 2, 2), 'uint16', w);
    const a = Array.from(pixels(r));
    r.render(frame(new Uint16Array([90, 100, 110, 130]), 2, 2), 'uint16', { ...w, invert: true });
    const b = Array.from(pixels(r));
    for (let i = 0; i < 4; i++) expect(b[i * 4]).to.equal(255 - a[i * 4]!);
  });

  it('decimates by step, sampling the middle of each block', () => {
    const r = new ImageRenderer();
    const data = new Uint8Array(8 * 8);
    for (let j = 0; j < 8; j++) for (let i = 0; i < 8; i++) data[j * 8 + i] = j * 8 + i;
    r.render(
      frame(data, 8, 8),
      'uint8',
      { center: 127.5, width: 256, fn: 'LINEAR', invert: false },
      undefined,
      4,
    );
    expect([r.canvas.width, r.canvas.height]).to.deep.equal([2, 2]);
    const px = pixels(r);
    // Block (0,0) samples (2,2) = 18; block (1,1) samples (6,6) = 54.
    const p = { center: 127.5, width: 256, fn: 'LINEAR' as const, invert: false, slope: 1, intercept: 0 };
    expect(px[0]).to.equal(greyOf(18, p));
    expect(px[3 * 4]).to.equal(greyOf(54, p));
    expect(greyOf(18, p)).to.not.equal(greyOf(17, p));
    expect(r.step).to.equal(4);
  });

  it('refines a decimation into area averages, a few rows per call', () => {
    const r = new ImageRenderer();
    const n = 64;
    const data = new Uint8Array(n * n);
    for (let j = 0; j < n; j++) for (let i = 0; i < n; i++) data[j * n + i] = (i + j) % 2 ? 200 : 0;
    const f = frame(data, n, n);
    const w = { center: 127.5, width: 256, fn: 'LINEAR' as const, invert: false };
    r.render(f, 'uint8', w, undefined, 4);
    // Nearest sampling of a 1-pixel checkerboard aliases to one colour.
    expect(pixels(r)[0]).to.equal(greyOf(0, { ...w, slope: 1, intercept: 0 }));
    expect(r.isRefined(f, 4)).to.equal(false);
    let calls = 0;
    while (!r.refine(f, 4, 0)) calls++;
    expect(calls).to.equal(15); // a zero budget still makes progress: one of the 16 rows per call
    expect(r.isRefined(f, 4)).to.equal(true);
    r.render(f, 'uint8', w, undefined, 4);
    const px = pixels(r);
    const g = greyOf(100, { ...w, slope: 1, intercept: 0 });
    for (let i = 0; i < 16 * 16; i++) expect(px[i * 4]).to.equal(g);
  });

  it('shows colour as is', () => {
    const r = new ImageRenderer();
    r.render(frame(new Uint8Array([1, 2, 3, 250, 251, 252]), 2, 1, 3), 'uint8', {
      center: 0,
      width: 1,
      fn: 'LINEAR',
      invert: true,
    });
    expect(Array.from(pixels(r))).to.deep.equal([1, 2, 3, 255, 250, 251, 252, 255]);
  });
});
