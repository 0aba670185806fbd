/**
 * SparseVolume: a 3D mask stored as tiled per-slice masks, its edits and undo memos, and painting it from a
 * reformatted plane or with a sphere in millimetres.
 */
import { expect } from '@open-wc/testing';
import { LazyImageStack } from '../../../src/core/image/stack.js';
import { reformatStack } from '../../../src/core/image/reformat.js';
import { stackGeometry } from '../../../src/core/image/geometry.js';
import { SparseVolume, type Volume } from '../../../src/core/mask/sparse-volume.js';
import {
  paintPlaneDab,
  paintPlaneStroke,
  paintSphere,
  paintSphereStroke,
  planeMask,
} from '../../../src/core/mask/paint-3d.js';

type V3 = [number, number, number];
import { TILE_BYTES } from '../../../src/core/mask/sparse-mask.js';
import { VoxmarkError } from '../../../src/core/errors.js';

/** An axial CT-like stack geometry (pixels never read): W×H×D, in-plane `pixel` mm, slices `step` mm apart. */
function axialStack(
  width: number,
  height: number,
  depth: number,
  pixel: number,
  step: number,
  iop: [number, number, number, number, number, number] = [1, 0, 0, 0, 1, 0],
) {
  return new LazyImageStack({
    format: 'dicom',
    width,
    height,
    samplesPerPixel: 1,
    dataType: 'int16',
    spacing: [pixel, pixel, step],
    slices: Array.from({ length: depth }, (_, k) => ({
      position: [0, 0, k * step] as [number, number, number],
    })),
    metadata: { imageOrientationPatient: iop },
    decode: () => Promise.reject(new Error('not read')),
  });
}

function ellipsoid(width: number, height: number, depth: number, c: number[], r: number[]): Volume {
  const data = new Uint8Array(width * height * depth);
  for (let z = 0; z < depth; z++)
    for (let y = 0; y < height; y++)
      for (let x = 0; x < width; x++) {
        const q = ((x - c[0]!) / r[0]!) ** 2 + ((y - c[1]!) / r[1]!) ** 2 + ((z - c[2]!) / r[2]!) ** 2;
        if (q <= 1) data[z * width * height + y * width + x] = 1;
      }
  return { data, width, height, depth };
}

const count = (data: Uint8Array) => data.reduce((n, v) => n + (v ? 1 : 0), 0);

describe('SparseVolume', () => {
  it('round-trips a dense volume, and reads voxels in acquisition order', () => {
    const v = ellipsoid(70, 50, 12, [30, 20, 6], [20, 12, 4]);
    const s = SparseVolume.fromVolume(v);
    expect(s.toVolume()).to.deep.equal(v);
    expect(s.voxelCount()).to.equal(count(v.data));
    expect(s.get(30, 20, 6)).to.equal(1);
    expect(s.get(0, 0, 0)).to.equal(0);
    expect(s.get(30, 20, 99)).to.equal(0);
    expect(s.paintedSlices()).to.deep.equal([2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(s.bbox()).to.deep.equal({ x: 10, y: 8, z: 2, width: 41, height: 25, depth: 9 });
  });

  it('an empty volume costs nothing but its slice slots', () => {
    const s = new SparseVolume(512, 512, 300);
    expect(s.tileCount).to.equal(0);
    expect(s.isEmpty()).to.equal(true);
    expect(s.bytes).to.be.at.most(300 * 8);
    expect(s.bbox()).to.equal(null);
  });

  it('a liver-sized blob (about 1.5 M voxels) costs at most 4 MiB', () => {
    // Radii 100 × 80 × 45 voxels: 1.5 M voxels, the size of a liver in a 0.7 mm, 2.5 mm-slice CT.
    const v = ellipsoid(256, 224, 96, [128, 112, 48], [100, 80, 45]);
    const s = SparseVolume.fromVolume(v);
    expect(s.voxelCount()).to.be.within(1.45e6, 1.55e6);
    expect(s.bytes).to.be.at.most(4 * 1024 * 1024);
    expect(s.bytes).to.be.at.least(s.tileCount * TILE_BYTES);
  });

  it('painting a disc in a coronal frame sets the expected rows of the axial slices, in one memo', () => {
    const [W, H, D] = [100, 80, 60];
    const stack = axialStack(W, H, D, 0.5, 2);
    const coronal = reformatStack(stack, 'coronal');
    const volume = new SparseVolume(W, H, D);
    const edit = volume.edit();
    // A 40 mm disc centred at coronal pixel (50.5, 30.5) of coronal slice 17 (= axial row 17).
    const box = paintPlaneDab(edit, coronal, 17, 50.5, 30.5, 40);
    const memo = edit.commit()!;
    expect(edit.open).to.equal(false);
    // Expected: voxel (i, 17, k) where the coronal pixel (i, D-1-k) has its centre within 20 mm, measured in mm
    // (0.5 mm across, 2 mm per slice).
    const expected = new Uint8Array(W * H * D);
    for (let k = 0; k < D; k++)
      for (let i = 0; i < W; i++) {
        const dx = (i + 0.5 - 50.5) * 0.5;
        const dy = (D - 1 - k + 0.5 - 30.5) * 2;
        if (dx * dx + dy * dy <= 400) expected[k * W * H + 17 * W + i] = 1;
      }
    expect(count(expected)).to.be.greaterThan(500);
    expect(volume.toVolume().data).to.deep.equal(expected);
    // 20 mm up and down at 2 mm a slice: 21 axial slices, one row each, as one memo holding one tile each.
    expect(memo.slices.map((c) => c.z)).to.deep.equal(Array.from({ length: 21 }, (_, n) => 19 + n));
    for (const c of memo.slices) expect(c.rect.y).to.equal(17);
    // The memo holds the tiles the stroke touched, and nothing else: one or two 64-wide tiles per slice.
    let tiles = 0;
    for (let k = 0; k < D; k++) {
      const row = expected.subarray(k * W * H + 17 * W, k * W * H + 18 * W);
      tiles += Number(row.subarray(0, 64).some((v) => v)) + Number(row.subarray(64).some((v) => v));
    }
    expect(tiles).to.be.greaterThan(21);
    expect(memo.bytes).to.equal(tiles * TILE_BYTES);
    expect(box).to.deep.equal({ x: 10, y: 17, z: 19, width: 81, height: 1, depth: 21 });
    expect(memo.box).to.deep.equal(box);
    // The coronal view shows the disc back, round in mm.
    const shown = planeMask(volume, coronal, 17);
    expect(shown.area()).to.equal(count(expected));
    expect(shown.get(50, 30)).to.equal(1);
    expect(planeMask(volume, coronal, 16).isEmpty()).to.equal(true);
    // Every plane shows the same voxels, also for a series whose rows run to the patient's right (mirrored).
    const mirrored = axialStack(W, H, D, 0.5, 2, [-1, 0, 0, 0, 1, 0]);
    for (const [orientation, source] of [
      ['axial', stack],
      ['sagittal', stack],
      ['coronal', stack],
      ['axial', mirrored],
      ['coronal', mirrored],
    ] as const) {
      const plane = reformatStack(source, orientation);
      for (let s = 0; s < plane.depth; s += 3) {
        const m = planeMask(volume, plane, s);
        for (let y = 0; y < plane.height; y++)
          for (let x = 0; x < plane.width; x++) {
            const [i, j, k] = plane.toSourceVoxel(x, y, s)!;
            if (m.get(x, y) !== volume.get(i, j, k)) expect.fail(`${orientation} ${x},${y},${s}`);
          }
      }
    }
  });

  it('a coronal stroke undoes and redoes exactly, leaving earlier work untouched', () => {
    const [W, H, D] = [90, 70, 50];
    const stack = axialStack(W, H, D, 0.8, 1.5);
    const coronal = reformatStack(stack, 'coronal');
    const volume = SparseVolume.fromVolume(ellipsoid(W, H, D, [40, 35, 25], [15, 10, 8]));
    const before = volume.toVolume();
    const beforeSlices = volume.paintedSlices().map((z) => volume.slice(z));
    const edit = volume.edit();
    paintPlaneStroke(edit, coronal, 35, 10, 10, 80, 40, 6);
    paintPlaneStroke(edit, coronal, 35, 80, 40, 60, 12, 6, { value: 0 });
    // Nothing shows until the commit.
    expect(volume.toVolume()).to.deep.equal(before);
    const memo = edit.commit()!;
    const after = volume.toVolume();
    expect(after).to.not.deep.equal(before);
    expect(memo.slices.length).to.be.greaterThan(20);
    volume.undo(memo);
    expect(volume.toVolume()).to.deep.equal(before);
    // Undo puts back the very same slice masks (the memo holds them, it does not copy them).
    expect(volume.paintedSlices().map((z) => volume.slice(z))).to.deep.equal(beforeSlices);
    volume.redo(memo);
    expect(volume.toVolume()).to.deep.equal(after);
    // Out-of-order history is refused.
    expect(() => volume.redo(memo)).to.throw(VoxmarkError);
  });

  it('painting in a resampled oblique plane paints the voxels its pixels show, and shows them back', () => {
    const [W, H, D] = [40, 36, 20];
    const a = (20 * Math.PI) / 180;
    const stack = new LazyImageStack({
      format: 'dicom',
      width: W,
      height: H,
      samplesPerPixel: 1,
      dataType: 'int16',
      spacing: [1, 1, 2],
      slices: Array.from({ length: D }, (_, k) => ({
        position: [0, -2 * k * Math.sin(a), 2 * k * Math.cos(a)] as [number, number, number],
      })),
      metadata: { imageOrientationPatient: [1, 0, 0, 0, Math.cos(a), Math.sin(a)] },
      decode: () => Promise.reject(new Error('not read')),
    });
    const coronal = reformatStack(stack, 'coronal');
    expect(coronal.resampled).to.equal(true);
    const [sx, sy] = coronal.spacing;
    const slice = Math.floor(coronal.depth / 2);
    const [cx, cy] = [coronal.width / 2, coronal.height / 2];
    const volume = new SparseVolume(W, H, D);
    const edit = volume.edit();
    paintPlaneDab(edit, coronal, slice, cx, cy, 12);
    edit.commit();
    const expected = new Uint8Array(W * H * D);
    const disc: [number, number][] = [];
    for (let y = 0; y < coronal.height; y++)
      for (let x = 0; x < coronal.width; x++) {
        if (((x + 0.5 - cx) * sx) ** 2 + ((y + 0.5 - cy) * sy) ** 2 > 36) continue;
        disc.push([x, y]);
        const v = coronal.toSourceVoxel(x, y, slice);
        if (v) expected[v[2] * W * H + v[1] * W + v[0]] = 1;
      }
    expect(count(expected)).to.be.greaterThan(20);
    expect(volume.toVolume().data).to.deep.equal(expected);
    const shown = planeMask(volume, coronal, slice);
    for (const [x, y] of disc) if (coronal.toSourceVoxel(x, y, slice)) expect(shown.get(x, y)).to.equal(1);
  });

  it('a cancelled edit and an edit that changes nothing leave no memo', () => {
    const volume = new SparseVolume(64, 64, 8);
    const stack = axialStack(64, 64, 8, 1, 1);
    const sagittal = reformatStack(stack, 'sagittal');
    const e1 = volume.edit();
    paintPlaneDab(e1, sagittal, 10, 30, 4, 5);
    expect(() => volume.edit()).to.throw(VoxmarkError);
    e1.cancel();
    expect(volume.isEmpty()).to.equal(true);
    const e2 = volume.edit();
    paintPlaneDab(e2, sagittal, 10, 30, 4, 5, { value: 0 }); // erasing nothing
    expect(e2.touchedSlices).to.deep.equal([]);
    expect(e2.commit()).to.equal(null);
  });

  it('a sphere follows the anisotropic spacing: 10 mm is ±10 voxels in-plane and ±2 slices at 0.5 × 0.5 × 2 mm', () => {
    const [W, H, D] = [64, 64, 16];
    const spacing: [number, number, number] = [0.5, 0.5, 2];
    const volume = new SparseVolume(W, H, D);
    const edit = volume.edit();
    const box = paintSphere(edit, [30, 31, 7], 10, spacing);
    edit.commit();
    expect(box).to.deep.equal({ x: 20, y: 21, z: 5, width: 21, height: 21, depth: 5 });
    const data = volume.toVolume().data;
    for (let z = 0; z < D; z++)
      for (let y = 0; y < H; y++)
        for (let x = 0; x < W; x++) {
          const d2 = ((x - 30) * 0.5) ** 2 + ((y - 31) * 0.5) ** 2 + ((z - 7) * 2) ** 2;
          expect(data[z * W * H + y * W + x], `${x},${y},${z}`).to.equal(d2 <= 25 ? 1 : 0);
        }
    // The same ball through the geometry's axes (what a sheared grid would pass) is the same set of voxels.
    const other = new SparseVolume(W, H, D);
    const e = other.edit();
    paintSphere(e, [30, 31, 7], 10, stackGeometry(axialStack(W, H, D, 0.5, 2)).axes);
    e.commit();
    expect(other.toVolume()).to.deep.equal(volume.toVolume());
  });

  it('a 3D stroke paints exactly the voxels within the radius of the segment, under any voxel axes', () => {
    let seed = 11;
    const rnd = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    const [W, H, D] = [24, 20, 12];
    const sheared: [V3, V3, V3] = [
      [0.8, 0, 0],
      [0, 0.8, 0.1],
      [0, 0.45, 2.5],
    ];
    for (let n = 0; n < 60; n++) {
      const axes: [V3, V3, V3] =
        n % 2
          ? sheared
          : [
              [0.5 + rnd(), 0, 0],
              [0, 0.5 + rnd(), 0],
              [0, 0, 1 + 2 * rnd()],
            ];
      const a: V3 = [rnd() * 28 - 2, rnd() * 24 - 2, rnd() * 14 - 1];
      const b: V3 = n % 5 === 0 ? a : [rnd() * 28 - 2, rnd() * 24 - 2, rnd() * 14 - 1];
      const diameter = 1 + rnd() * 8;
      const volume = new SparseVolume(W, H, D);
      const edit = volume.edit();
      paintSphereStroke(edit, a, b, diameter, axes);
      edit.commit();
      const mm = (v: V3): V3 =>
        [0, 1, 2].map((c) => v[0] * axes[0][c]! + v[1] * axes[1][c]! + v[2] * axes[2][c]!) as V3;
      const A = mm(a);
      const seg = mm([b[0] - a[0], b[1] - a[1], b[2] - a[2]]);
      const len2 = seg[0] ** 2 + seg[1] ** 2 + seg[2] ** 2;
      const expected = new Uint8Array(W * H * D);
      for (let z = 0; z < D; z++)
        for (let y = 0; y < H; y++)
          for (let x = 0; x < W; x++) {
            const p = mm([x, y, z]).map((v, c) => v - A[c]!) as V3;
            const t =
              len2 > 0 ? Math.min(1, Math.max(0, (p[0] * seg[0] + p[1] * seg[1] + p[2] * seg[2]) / len2)) : 0;
            const e = p.map((v, c) => v - t * seg[c]!);
            if (e[0]! ** 2 + e[1]! ** 2 + e[2]! ** 2 <= (diameter / 2) ** 2)
              expected[z * W * H + y * W + x] = 1;
          }
      expect(volume.toVolume().data, `stroke ${n}`).to.deep.equal(expected);
    }
  });

  it('erases with a sphere, and slices left empty are dropped', () => {
    const volume = new SparseVolume(64, 64, 10);
    const e1 = volume.edit();
    paintSphere(e1, [20, 20, 5], 6, [1, 1, 1]);
    e1.commit();
    expect(volume.paintedSlices()).to.deep.equal([2, 3, 4, 5, 6, 7, 8]);
    const e2 = volume.edit();
    paintSphere(e2, [20, 20, 5], 8, [1, 1, 1], { value: 0 });
    const memo = e2.commit()!;
    expect(volume.isEmpty()).to.equal(true);
    expect(volume.tileCount).to.equal(0);
    expect(memo.slices.every((c) => c.after === null)).to.equal(true);
  });

  it('paints only accepted voxels (a threshold in the volume)', () => {
    const volume = new SparseVolume(32, 32, 4);
    const edit = volume.edit();
    paintSphere(edit, [16, 16, 2], 20, [1, 1, 1], { accept: (x, _y, z) => x < 16 && z === 2 });
    edit.commit();
    expect(volume.paintedSlices()).to.deep.equal([2]);
    expect(volume.slice(2)!.bbox()![0] + volume.slice(2)!.bbox()![2]).to.equal(16);
  });

  it('refuses bad sizes and data with stable codes', () => {
    const codeOf = (fn: () => unknown) => {
      try {
        fn();
      } catch (e) {
        return (e as VoxmarkError).code;
      }
      return 'no error';
    };
    expect(codeOf(() => new SparseVolume(0, 5, 5))).to.equal('invalid-argument');
    expect(codeOf(() => new SparseVolume(70000, 5, 5))).to.equal('too-large');
    expect(codeOf(() => new SparseVolume(65536, 65536, 2))).to.equal('too-large');
    expect(
      codeOf(() => SparseVolume.fromVolume({ data: new Uint8Array(5), width: 2, height: 2, depth: 2 })),
    ).to.equal('invalid-argument');
    expect(codeOf(() => new SparseVolume(4, 4, 4).edit().draft(4))).to.equal('out-of-range');
  });
});
