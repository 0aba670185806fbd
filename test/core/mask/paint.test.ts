import { expect } from '@open-wc/testing';
import { SparseMask, TILE_SIZE } from '../../../src/core/mask/sparse-mask.js';
import { fillHoles, paintDab, paintStroke } from '../../../src/core/mask/paint.js';
import { naiveCapsule } from './reference.js';

describe('mask painting', () => {
  it('a dab covers pixel centres within the radius', () => {
    const m = new SparseMask(20, 20);
    const rect = paintDab(m, 10.5, 10.5, 5);
    expect(rect).to.deep.equal({ x: 8, y: 8, width: 5, height: 5 });
    expect(m.toFull()).to.deep.equal(naiveCapsule(20, 20, 10.5, 10.5, 10.5, 10.5, 5));
    const one = new SparseMask(5, 5);
    paintDab(one, 2.5, 2.5, 1);
    expect([...one.toFull()].reduce((a, b) => a + b)).to.equal(1);
  });

  it('a stroke equals the swept capsule exactly (no gaps) for many segments', () => {
    let seed = 7;
    const rnd = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    for (let i = 0; i < 200; i++) {
      const w = 40;
      const h = 33;
      const ax = rnd() * 50 - 5;
      const ay = rnd() * 40 - 4;
      const bx = i % 5 === 0 ? ax : rnd() * 50 - 5;
      const by = i % 7 === 0 ? ay : rnd() * 40 - 4;
      const d = 1 + rnd() * 12;
      const m = new SparseMask(w, h);
      paintStroke(m, ax, ay, bx, by, d);
      expect(m.toFull(), `segment ${i}`).to.deep.equal(naiveCapsule(w, h, ax, ay, bx, by, d));
    }
  });

  it('painting pixels that are already set copies no shared tile', () => {
    const m = new SparseMask(256, 256);
    paintDab(m, 100, 100, 30);
    m.freeze();
    const c = m.clone();
    paintDab(c, 100, 100, 20);
    paintDab(c, 200, 200, 10, { value: 0 });
    expect(c.changedRect).to.equal(null);
    c.freeze();
    expect(c.ownedBytes).to.equal(0);
  });

  it('erases, and drops tiles that became empty on freeze', () => {
    const m = new SparseMask(200, 200);
    paintDab(m, 100, 100, 20);
    paintDab(m, 100, 100, 30, { value: 0 });
    m.freeze();
    expect(m.isEmpty()).to.equal(true);
    expect(m.tileCount).to.equal(0);
  });

  it('threshold brush paints only inside the value range', () => {
    const w = 10;
    const values = new Int16Array(w * w);
    for (let i = 0; i < values.length; i++) values[i] = i % w < 5 ? 1000 : 0; // left half 1000 stored
    const m = new SparseMask(w, w);
    paintDab(m, 5, 5, 20, {
      threshold: { values, width: w, slope: 1, intercept: -1024, min: -100, max: 100 },
    });
    const full = m.toFull();
    for (let i = 0; i < full.length; i++) expect(full[i]).to.equal(i % w < 5 ? 1 : 0);
  });

  it('fills one hole by clicking in it, all holes by clicking on the mask', () => {
    const m = new SparseMask(30, 30);
    // Ring around (10,10) and another ring around (20,20).
    for (const [cx, cy] of [
      [10, 10],
      [20, 20],
    ]) {
      paintDab(m, cx, cy, 8);
      paintDab(m, cx, cy, 3, { value: 0 });
    }
    const holeArea = 4;
    const before = m.area();
    expect(fillHoles(m, 5, 25)).to.equal(null); // outside background
    const r = fillHoles(m, 10, 10);
    expect(r).to.deep.equal({ x: 9, y: 9, width: 2, height: 2 });
    expect(m.area()).to.equal(before + holeArea);
    expect(m.get(20, 20)).to.equal(0);
    fillHoles(m, 17, 20); // on the second ring
    expect(m.get(20, 20)).to.equal(1);
  });

  it('region, bbox and area visit only tiles', () => {
    const m = new SparseMask(1000, 1000);
    m.setPixel(TILE_SIZE * 3 + 1, 5, 1);
    m.setPixel(900, 999, 1);
    m.freeze();
    expect(m.bbox()).to.deep.equal([TILE_SIZE * 3 + 1, 5, 900 - TILE_SIZE * 3 - 1 + 1, 995]);
    expect(m.area()).to.equal(2);
    const r = m.region()!;
    expect(r.data[0]).to.equal(1);
    expect(r.data[r.data.length - 1]).to.equal(1);
  });
});
