/**
 * Islands, split islands, fill holes, margin, smoothing and logical operations against shapes whose answer is
 * known exactly; bad input is rejected with stable codes; inputs are never changed.
 */
import { expect } from '@open-wc/testing';
import { VoxmarkError, type Volume } from '../../../src/core/index.js';
import {
  combineVolumes,
  fillHoles,
  islands,
  marginVolume,
  smoothVolume,
  splitIslands,
} from '../../../src/core/effects/index.js';
import { at, blank, count, cuboid, dice, sphere } from './shapes.js';

function rejects(fn: () => unknown, code: string): void {
  try {
    fn();
  } catch (e) {
    expect(e).to.be.instanceOf(VoxmarkError);
    expect((e as VoxmarkError).code).to.equal(code);
    return;
  }
  expect.fail(`expected a VoxmarkError '${code}'`);
}

/** Three islands of 27, 8 and 1 voxels, plus a pair of 4-voxel cubes that touch only at a corner. */
function islandsFixture(): Volume {
  const v = blank(20, 20, 8);
  cuboid(v, 1, 1, 1, 4, 4, 4); // 27
  cuboid(v, 10, 10, 1, 12, 12, 3); // 8
  cuboid(v, 18, 2, 5, 19, 3, 6); // 1
  cuboid(v, 2, 12, 4, 4, 14, 5); // 4
  cuboid(v, 4, 14, 5, 6, 16, 6); // 4, corner-touching the previous one
  return v;
}

/** Radius along an axis, in voxels from the centre, of a mask centred at c. */
function extent(v: Volume, c: [number, number, number], axis: 0 | 1 | 2): number {
  const p = [...c] as [number, number, number];
  let r = 0;
  while (true) {
    p[axis] = c[axis] + r + 1;
    if (p[axis] >= [v.width, v.height, v.depth][axis]! || !at(v, p[0], p[1], p[2])) return r;
    r++;
  }
}

/** The margin by its definition: a voxel is within |mm| of a voxel of the other kind (inside the volume). */
function bruteMargin(v: Volume, mm: number, sp: [number, number, number]): Uint8Array {
  const { width: w, height: h } = v;
  const inside = (i: number) => v.data[i] !== 0;
  const r2 = mm * mm * (1 + 1e-6);
  const out = new Uint8Array(v.data.length);
  for (let i = 0; i < out.length; i++) {
    let near = false;
    for (let j = 0; j < out.length && !near; j++) {
      if (inside(j) === inside(i)) continue;
      const dx = ((i % w) - (j % w)) * sp[0];
      const dy = ((Math.floor(i / w) % h) - (Math.floor(j / w) % h)) * sp[1];
      const dz = (Math.floor(i / (w * h)) - Math.floor(j / (w * h))) * sp[2];
      near = dx * dx + dy * dy + dz * dz <= r2;
    }
    out[i] = mm > 0 ? (inside(i) || near ? 1 : 0) : inside(i) && !near ? 1 : 0;
  }
  return out;
}

describe('islands and splitIslands', () => {
  it('keeps the largest island, or those of at least N voxels, exactly', () => {
    const v = islandsFixture();
    const before = v.data.slice();
    const largest = islands(v, { keep: 'largest', connectivity: 6 });
    expect(count(largest)).to.equal(27);
    expect(at(largest, 2, 2, 2)).to.equal(1);
    expect(count(islands(v, { keep: { minVoxels: 8 }, connectivity: 6 }))).to.equal(35);
    expect(count(islands(v, { keep: { minVoxels: 2 }, connectivity: 6 }))).to.equal(27 + 8 + 4 + 4);
    expect(count(islands(v, { keep: { minVoxels: 0 } }))).to.equal(27 + 8 + 1 + 4 + 4);
    expect(count(islands(v, { keep: { minVoxels: 28 } }))).to.equal(0);
    expect(Array.from(v.data)).to.deep.equal(Array.from(before));
  });

  it('joins corner-touching voxels with 26-connectivity only', () => {
    const v = islandsFixture();
    expect(count(islands(v, { keep: { minVoxels: 5 }, connectivity: 6 }))).to.equal(35);
    expect(count(islands(v, { keep: { minVoxels: 5 }, connectivity: 26 }))).to.equal(43);
    expect(count(islands(v, { keep: { seed: [2, 12, 4] }, connectivity: 6 }))).to.equal(4);
    expect(count(islands(v, { keep: { seed: [2, 12, 4] }, connectivity: 26 }))).to.equal(8);
    expect(splitIslands(v, { connectivity: 6 }).map((i) => count(i))).to.deep.equal([27, 8, 4, 4, 1]);
    expect(splitIslands(v, { connectivity: 26 }).map((i) => count(i))).to.deep.equal([27, 8, 8, 1]);
  });

  it('keeps the clicked island, and nothing when the click is outside the mask', () => {
    const v = islandsFixture();
    const clicked = islands(v, { keep: { seed: [11, 11, 2] } });
    expect(count(clicked)).to.equal(8);
    expect(at(clicked, 10, 10, 1)).to.equal(1);
    expect(count(islands(v, { keep: { seed: [0, 0, 0] } }))).to.equal(0);
    rejects(() => islands(v, { keep: { seed: [20, 0, 0] } }), 'out-of-range');
  });

  it('splits into full-size volumes, largest first, and bounds how many', () => {
    const v = islandsFixture();
    const parts = splitIslands(v);
    expect(parts.every((p) => p.width === 20 && p.height === 20 && p.depth === 8)).to.equal(true);
    expect(at(parts[0]!, 1, 1, 1)).to.equal(1);
    expect(splitIslands(v, { minVoxels: 5 }).length).to.equal(2);
    rejects(() => splitIslands(v, { maxIslands: 3 }), 'too-large');
    expect(splitIslands(blank(4, 4, 4))).to.deep.equal([]);
  });

  it('treats a 2D mask as a volume of depth one (4- and 8-connectivity)', () => {
    const v = blank(6, 6, 1);
    v.data[0] = 1;
    v.data[7] = 1; // diagonal neighbour
    expect(splitIslands(v, { connectivity: 6 }).length).to.equal(2);
    expect(splitIslands(v, { connectivity: 26 }).length).to.equal(1);
  });

  it('rejects bad options', () => {
    const v = islandsFixture();
    rejects(() => islands(v, { keep: 'smallest' as never }), 'invalid-argument');
    rejects(() => islands(v, { keep: 'largest', connectivity: 8 as never }), 'invalid-argument');
    rejects(() => islands(v, { keep: { seed: [1.5, 0, 0] } }), 'invalid-argument');
    rejects(() => islands(v, { keep: { minVoxels: -1 } }), 'invalid-argument');
  });
});

describe('fillHoles', () => {
  it('fills an enclosed cavity in 3D and a tube only per slice', () => {
    const v = blank(12, 12, 12);
    cuboid(v, 2, 2, 2, 10, 10, 10);
    cuboid(v, 4, 4, 4, 8, 8, 8, 0); // a closed cavity of 64 voxels
    const filled = fillHoles(v, { mode: '3d' });
    expect(count(filled)).to.equal(512);
    const tube = blank(12, 12, 12);
    cuboid(tube, 2, 2, 0, 10, 10, 12);
    cuboid(tube, 4, 4, 0, 8, 8, 12, 0); // open at both ends
    expect(count(fillHoles(tube, { mode: '3d' }))).to.equal(count(tube));
    expect(count(fillHoles(tube, { mode: '2d' }))).to.equal(64 * 12);
  });

  it('fills a hole sealed only diagonally (background is face-connected)', () => {
    const v = blank(5, 5, 1);
    for (const [x, y] of [
      [2, 1],
      [1, 2],
      [3, 2],
      [2, 3],
    ])
      v.data[y! * 5 + x!] = 1;
    expect(at(fillHoles(v, { mode: '2d' }), 2, 2)).to.equal(1);
    rejects(() => fillHoles(v, { mode: '4d' as never }), 'invalid-argument');
  });
});

describe('marginVolume', () => {
  const spacing: [number, number, number] = [0.8, 0.6, 2];
  const c: [number, number, number] = [25, 30, 12];
  const ball = () => sphere(blank(50, 60, 24), c, 10, spacing);

  it('grows a 10 mm sphere by 2 mm to 12 mm ± 1 voxel on every axis under anisotropic spacing', () => {
    const v = ball();
    const before = v.data.slice();
    const grown = marginVolume(v, { mm: 2, spacing });
    for (const axis of [0, 1, 2] as const) {
      const r = extent(grown, c, axis) * spacing[axis];
      expect(Math.abs(r - 12), `axis ${axis}: ${r} mm`).to.be.at.most(spacing[axis]);
    }
    // It matches a 12 mm ball drawn directly (Dice ≥ 0.95) and contains the 11 mm one.
    expect(dice(grown.data, sphere(blank(50, 60, 24), c, 12, spacing).data)).to.be.at.least(0.95);
    const inner = sphere(blank(50, 60, 24), c, 11, spacing);
    for (let i = 0; i < inner.data.length; i++) if (inner.data[i]) expect(grown.data[i]).to.equal(1);
    expect(Array.from(v.data)).to.deep.equal(Array.from(before));
  });

  it('shrinks by 2 mm to 8 mm ± 1 voxel, and grow then shrink gives the sphere back', () => {
    const v = ball();
    const shrunk = marginVolume(v, { mm: -2, spacing });
    for (const axis of [0, 1, 2] as const) {
      const r = extent(shrunk, c, axis) * spacing[axis];
      expect(Math.abs(r - 8), `axis ${axis}: ${r} mm`).to.be.at.most(spacing[axis]);
    }
    const back = marginVolume(marginVolume(v, { mm: 2, spacing }), { mm: -2, spacing });
    expect(count(back)).to.equal(count(v));
  });

  it('equals the brute-force definition for small and large margins, both ways, on random shapes', () => {
    // Small margins take the surface-stamping path, large ones the distance transform: both must be exact.
    let seed = 7;
    const rnd = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    const sp: [number, number, number] = [0.7, 0.9, 1.6];
    const v = blank(18, 16, 9);
    for (let k = 0; k < 6; k++) sphere(v, [2 + rnd() * 14, 2 + rnd() * 12, 1 + rnd() * 7], 1 + rnd() * 4, sp);
    v.data[5] = 9; // a non-zero value other than 1 counts as inside
    for (const mm of [0.75, 1.6, 3, 9, -0.75, -1.6, -3, -9]) {
      const got = marginVolume(v, { mm, spacing: sp });
      expect(Array.from(got.data), `${mm} mm`).to.deep.equal(Array.from(bruteMargin(v, mm, sp)));
    }
  });

  it('rejects a missing or bad spacing and a non-finite margin', () => {
    const v = ball();
    rejects(() => marginVolume(v, { mm: 2, spacing: [1, 1] as never }), 'invalid-argument');
    rejects(() => marginVolume(v, { mm: 2, spacing: [1, 0, 1] }), 'invalid-argument');
    rejects(() => marginVolume(v, { mm: NaN, spacing }), 'invalid-argument');
  });
});

describe('smoothVolume and combineVolumes', () => {
  const spacing: [number, number, number] = [1, 1, 1];

  it('median removes specks and fills pits smaller than the kernel and keeps a big cube', () => {
    const v = blank(20, 20, 20);
    cuboid(v, 5, 5, 5, 15, 15, 15);
    v.data[10 * 400 + 10 * 20 + 10] = 0; // a pit inside
    v.data[1 * 400 + 1 * 20 + 1] = 1; // a speck outside
    const out = smoothVolume(v, { method: 'median', kernelMm: 3, spacing });
    expect(at(out, 10, 10, 10)).to.equal(1);
    expect(at(out, 1, 1, 1)).to.equal(0);
    // A 3×3×3 majority keeps faces (18 of 27 neighbours inside) and rounds off the 8 corners (8 of 27)
    // and the 12 × 8 edge voxels (12 of 27).
    expect(count(out)).to.equal(1000 - 8 - 96);
  });

  it('opening removes a thin bridge, closing fills a narrow gap', () => {
    const v = blank(40, 20, 20);
    cuboid(v, 2, 4, 4, 14, 16, 16);
    cuboid(v, 26, 4, 4, 38, 16, 16);
    cuboid(v, 14, 9, 9, 26, 11, 11); // a 2-voxel bridge
    const opened = smoothVolume(v, { method: 'opening', kernelMm: 4, spacing });
    expect(at(opened, 20, 10, 10)).to.equal(0);
    expect(at(opened, 8, 10, 10)).to.equal(1);
    const gap = blank(40, 20, 20);
    cuboid(gap, 2, 4, 4, 19, 16, 16);
    cuboid(gap, 21, 4, 4, 38, 16, 16); // a 2-voxel gap
    const closed = smoothVolume(gap, { method: 'closing', kernelMm: 4, spacing });
    expect(at(closed, 20, 10, 10)).to.equal(1);
    expect(at(closed, 20, 1, 10)).to.equal(0);
    rejects(() => smoothVolume(v, { method: 'gaussian' as never, kernelMm: 3, spacing }), 'invalid-argument');
    rejects(() => smoothVolume(v, { method: 'median', kernelMm: -1, spacing }), 'invalid-argument');
  });

  it('combines by union, subtract and intersect, and rejects mismatched sizes', () => {
    const a = cuboid(blank(10, 10, 2), 0, 0, 0, 6, 10, 2);
    const b = cuboid(blank(10, 10, 2), 4, 0, 0, 10, 10, 2);
    expect(count(combineVolumes(a, b, 'union'))).to.equal(200);
    expect(count(combineVolumes(a, b, 'subtract'))).to.equal(80);
    expect(count(combineVolumes(a, b, 'intersect'))).to.equal(40);
    rejects(() => combineVolumes(a, blank(10, 10, 3), 'union'), 'invalid-argument');
    rejects(() => combineVolumes(a, b, 'xor' as never), 'invalid-argument');
  });
});
