/**
 * Fill between slices against analytic shapes: a cone between two discs, two discs merging into an ellipse,
 * a shape that moves sideways, a shape that ends, painted slices untouched, inputs unchanged, bad input.
 */
import { expect } from '@open-wc/testing';
import { VoxmarkError } from '../../../src/core/index.js';
import { fillBetweenSlices, fillHoles, labelComponents } from '../../../src/core/effects/index.js';
import { blank, count, ellipse } from './shapes.js';

const radius = (v: ReturnType<typeof blank>, z: number) => Math.sqrt(count(v, z) / Math.PI);

describe('fillBetweenSlices', () => {
  it('grows the radius monotonically within one voxel of the linear cone between r = 10 and r = 20', () => {
    const v = blank(64, 64, 11);
    ellipse(v, 0, 32, 32, 10);
    ellipse(v, 10, 32, 32, 20);
    const before = v.data.slice();
    const out = fillBetweenSlices(v);
    expect(Array.from(v.data)).to.deep.equal(Array.from(before)); // input untouched
    let last = radius(out, 0);
    for (let z = 1; z < 10; z++) {
      const r = radius(out, z);
      expect(r, `slice ${z}`).to.be.greaterThan(last);
      expect(Math.abs(r - (10 + z)), `slice ${z}: radius ${r.toFixed(2)}`).to.be.at.most(1);
      last = r;
    }
    // Painted slices are copied byte for byte.
    const area = 64 * 64;
    expect(Array.from(out.data.subarray(0, area))).to.deep.equal(Array.from(v.data.subarray(0, area)));
    expect(Array.from(out.data.subarray(10 * area))).to.deep.equal(Array.from(v.data.subarray(10 * area)));
  });

  it('interpolates two discs merging into one ellipse without holes', () => {
    const v = blank(80, 48, 9);
    ellipse(v, 0, 24, 24, 9);
    ellipse(v, 0, 56, 24, 9);
    ellipse(v, 8, 40, 24, 30, 13);
    const out = fillBetweenSlices(v);
    expect(fillHoles(out, { mode: '2d' }).data).to.deep.equal(out.data.map((x) => (x ? 1 : 0)));
    let lastArea = count(out, 0);
    const pieces: number[] = [];
    for (let z = 1; z < 8; z++) {
      const area = count(out, z);
      expect(area, `slice ${z}`).to.be.at.least(lastArea);
      lastArea = area;
      const slice = {
        data: out.data.subarray(z * 80 * 48, (z + 1) * 80 * 48),
        width: 80,
        height: 48,
        depth: 1,
      };
      pieces.push(labelComponents(slice, 26).count);
      // Both disc centres stay inside all the way.
      expect(slice.data[24 * 80 + 24], `slice ${z} left`).to.equal(1);
      expect(slice.data[24 * 80 + 56], `slice ${z} right`).to.equal(1);
    }
    // Two pieces near the discs, one piece near the ellipse, never more than two.
    expect(pieces[0]).to.equal(2);
    expect(pieces[pieces.length - 1]).to.equal(1);
    expect(Math.max(...pieces)).to.equal(2);
  });

  it('slides a shape that moves sideways instead of shrinking it where it overlaps', () => {
    const v = blank(96, 48, 7);
    ellipse(v, 0, 30, 24, 10);
    ellipse(v, 6, 48, 24, 10);
    const out = fillBetweenSlices(v);
    const painted = count(v, 0);
    for (let z = 1; z < 6; z++) {
      const area = count(out, z);
      expect(Math.abs(area - painted), `slice ${z} area ${area} vs ${painted}`).to.be.below(0.08 * painted);
      // The disc moves by 3 px per slice: its leading and trailing edges move with it.
      expect(out.data[z * 96 * 48 + 24 * 96 + 30 + 3 * z + 9], `slice ${z} leading edge`).to.equal(1);
      expect(out.data[z * 96 * 48 + 24 * 96 + 30 + 3 * z - 12], `slice ${z} behind`).to.equal(0);
    }
  });

  it('shrinks a shape with no partner to a point', () => {
    const v = blank(64, 64, 9);
    ellipse(v, 0, 20, 32, 12);
    ellipse(v, 0, 50, 32, 6);
    ellipse(v, 8, 20, 32, 12);
    const out = fillBetweenSlices(v);
    const right = (z: number) => {
      let n = 0;
      for (let y = 0; y < 64; y++) for (let x = 40; x < 64; x++) n += out.data[z * 4096 + y * 64 + x]!;
      return n;
    };
    for (let z = 1; z < 8; z++) expect(right(z), `slice ${z}`).to.be.at.most(right(z - 1));
    expect(right(1)).to.be.greaterThan(0);
    expect(right(7)).to.be.below(right(1));
  });

  it('leaves a mask with fewer than two painted slices, or adjacent ones, as it is', () => {
    const v = blank(16, 16, 5);
    ellipse(v, 2, 8, 8, 4, 4, 255);
    expect(Array.from(fillBetweenSlices(v).data)).to.deep.equal(Array.from(v.data));
    ellipse(v, 3, 8, 8, 3, 3, 255);
    expect(Array.from(fillBetweenSlices(v).data)).to.deep.equal(Array.from(v.data));
  });

  it('rejects malformed volumes with invalid-argument or too-large', () => {
    const bad = (v: unknown, code: string) => {
      try {
        fillBetweenSlices(v as never);
        expect.fail('no error');
      } catch (e) {
        expect(e).to.be.instanceOf(VoxmarkError);
        expect((e as VoxmarkError).code).to.equal(code);
      }
    };
    bad({ data: new Uint8Array(10), width: 4, height: 4, depth: 1 }, 'invalid-argument');
    bad({ data: new Uint8Array(16), width: 4.5, height: 4, depth: 1 }, 'invalid-argument');
    bad({ data: [1, 2, 3], width: 3, height: 1, depth: 1 }, 'invalid-argument');
    bad({ data: new Uint8Array(0), width: 65536, height: 65536, depth: 1 }, 'too-large');
    bad(null, 'invalid-argument');
  });
});
