import { expect } from '@open-wc/testing';
import fc from 'fast-check';
import {
  applyLut,
  buildVoiLut,
  greyOf,
  initialWindow,
  packGrey,
  packRgb,
  rgbToRgba,
  windowDirect,
  type VoiParams,
} from '../../../src/core/image/voi.js';
import { applyWindow } from '../../../src/core/image/window.js';
import type { Frame, VoiLutFunction } from '../../../src/core/image/types.js';

const fns: VoiLutFunction[] = ['LINEAR', 'LINEAR_EXACT', 'SIGMOID'];

function expected(stored: number, p: VoiParams): number {
  const y = applyWindow(stored * p.slope + p.intercept, p.center, p.width, p.fn, 0, 255);
  const g = Math.min(255, Math.max(0, Math.round(y)));
  return p.invert ? 255 - g : g;
}

describe('VOI LUT', () => {
  it('packs greys as opaque RGBA bytes', () => {
    const out = new Uint8Array(new Uint32Array([packGrey(200), packRgb(1, 2, 3)]).buffer);
    expect(Array.from(out)).to.deep.equal([200, 200, 200, 255, 1, 2, 3, 255]);
  });

  it('matches the DICOM window formula for every stored value (int16 CT, all functions)', () => {
    for (const fn of fns) {
      for (const invert of [false, true]) {
        const p: VoiParams = { center: 40, width: 400, fn, invert, slope: 1, intercept: -1024 };
        const lut = buildVoiLut(-2048, 4095, p);
        for (let s = -2048; s <= 4095; s++) {
          const g = new Uint8Array(new Uint32Array([lut.table[s + 2048]!]).buffer)[0];
          if (g !== expected(s, p))
            throw new Error(`${fn} invert=${invert} stored ${s}: ${g} ≠ ${expected(s, p)}`);
        }
      }
    }
  });

  it('matches the formula for random windows, slopes and ranges (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -3000, max: 3000 }),
        fc.integer({ min: 1, max: 5000 }),
        fc.constantFrom(...fns),
        fc.boolean(),
        fc.constantFrom(1, 0.5, 2, 0.1),
        fc.integer({ min: -2000, max: 2000 }),
        (center, width, fn, invert, slope, intercept) => {
          const p: VoiParams = { center, width, fn, invert, slope, intercept };
          const lut = buildVoiLut(-1000, 1000, p);
          const bytes = new Uint8Array(lut.table.buffer);
          for (let s = -1000; s <= 1000; s += 7) {
            expect(bytes[(s + 1000) * 4]).to.equal(expected(s, p), `stored ${s}`);
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('applies the LUT with clamping, and direct windowing agrees with it', () => {
    const p: VoiParams = { center: 100, width: 50, fn: 'LINEAR', invert: false, slope: 1, intercept: 0 };
    const data = new Int16Array([-5, 0, 80, 100, 124, 200, 30000]);
    const lut = buildVoiLut(0, 255, p);
    const a = new Uint32Array(data.length);
    applyLut(data, lut, a);
    const b = new Uint32Array(data.length);
    windowDirect(data, p, b);
    expect(Array.from(a)).to.deep.equal(Array.from(b));
    expect(new Uint8Array(a.buffer)[0]).to.equal(0);
    expect(new Uint8Array(a.buffer)[6 * 4]).to.equal(255);
  });

  it('windows float data directly, NaN as black', () => {
    for (const fn of fns) {
      const p: VoiParams = { center: 0.5, width: 1, fn, invert: false, slope: 1, intercept: 0 };
      const data = new Float32Array([0, 0.25, 0.5, 0.75, 1, NaN]);
      const out = new Uint32Array(data.length);
      windowDirect(data, p, out);
      const bytes = new Uint8Array(out.buffer);
      for (let i = 0; i < 5; i++) expect(bytes[i * 4]).to.equal(expected(data[i]!, p), `${fn} ${data[i]}`);
      expect(bytes[5 * 4]).to.equal(0);
    }
  });

  it('greyOf inverts', () => {
    const p: VoiParams = {
      center: 127.5,
      width: 255,
      fn: 'LINEAR_EXACT',
      invert: true,
      slope: 1,
      intercept: 0,
    };
    expect(greyOf(0, p)).to.equal(255);
    expect(greyOf(255, p)).to.equal(0);
  });

  it('copies RGB as is and scales 16-bit colour', () => {
    const out = new Uint32Array(2);
    rgbToRgba(new Uint8Array([10, 20, 30, 40, 50, 60]), 3, out, 'uint8');
    expect(Array.from(new Uint8Array(out.buffer))).to.deep.equal([10, 20, 30, 255, 40, 50, 60, 255]);
    rgbToRgba(new Uint16Array([65535, 0, 257 * 100, 0, 0, 0]), 3, out, 'uint16');
    expect(Array.from(new Uint8Array(out.buffer)).slice(0, 4)).to.deep.equal([255, 0, 100, 255]);
  });

  it('opens on the file window, else the full range of the frame', () => {
    const frame: Frame = {
      width: 2,
      height: 2,
      samplesPerPixel: 1,
      data: new Int16Array([0, 10, 20, 99]),
      rescaleSlope: 1,
      rescaleIntercept: -50,
    };
    expect(initialWindow({ windowPresets: [{ name: 'a', center: 1, width: 2 }] }, frame)).to.deep.equal({
      center: 1,
      width: 2,
    });
    const w = initialWindow({ windowPresets: [] }, frame);
    // Full range: -50 → black, 49 → white.
    expect(applyWindow(-50, w.center, w.width)).to.equal(0);
    expect(applyWindow(49, w.center, w.width)).to.equal(255);
  });
});
