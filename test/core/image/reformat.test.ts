/**
 * reformatStack on synthetic volumes whose every voxel holds a code of its own (i, j, k): each test reads a
 * reformatted frame and checks which source voxel landed where, against the radiological convention and
 * against the patient positions worked out independently from the series' geometry.
 */
import { expect } from '@open-wc/testing';
import { createImageStack, LazyImageStack } from '../../../src/core/image/stack.js';
import { loadImageStack } from '../../../src/core/load.js';
import { type ReformattedStack, reformatStack } from '../../../src/core/image/reformat.js';
import { directionLetters, stackGeometry } from '../../../src/core/image/geometry.js';
import type { ImageStack, PixelArray } from '../../../src/core/image/types.js';
import { VoxmarkError } from '../../../src/core/errors.js';
import { buildImage, u16le } from '../../helpers/dicom-builder.js';

type V3 = [number, number, number];

interface Series {
  width: number;
  height: number;
  depth: number;
  /** Row direction (column index increases), column direction (row index increases). */
  row: V3;
  col: V3;
  /** Position of voxel (0, 0, 0) and the step between slices, in mm (LPS). */
  origin: V3;
  step: V3;
  spacing: [number, number];
  /** Value of voxel (i, j, k); default: its code. */
  value?: (i: number, j: number, k: number) => number;
  float?: boolean;
}

/** 1 + i + j·W + k·W·H: every voxel's own value (0 is left for padding). */
const code = (s: { width: number; height: number }, i: number, j: number, k: number) =>
  1 + i + j * s.width + k * s.width * s.height;

function decode(s: { width: number; height: number }, v: number): V3 {
  const n = v - 1;
  return [n % s.width, Math.floor(n / s.width) % s.height, Math.floor(n / (s.width * s.height))];
}

/** Patient position of source voxel (i, j, k), worked out from the series description alone. */
function patient(s: Series, i: number, j: number, k: number): V3 {
  return [0, 1, 2].map(
    (a) => s.origin[a]! + i * s.spacing[0] * s.row[a]! + j * s.spacing[1] * s.col[a]! + k * s.step[a]!,
  ) as V3;
}

function seriesStack(s: Series): ImageStack {
  const value = s.value ?? ((i, j, k) => code(s, i, j, k));
  const frames: PixelArray[] = [];
  for (let k = 0; k < s.depth; k++) {
    const data = s.float ? new Float32Array(s.width * s.height) : new Int32Array(s.width * s.height);
    for (let j = 0; j < s.height; j++)
      for (let i = 0; i < s.width; i++) data[j * s.width + i] = value(i, j, k);
    frames.push(data);
  }
  return new LazyImageStack({
    format: 'dicom',
    width: s.width,
    height: s.height,
    samplesPerPixel: 1,
    dataType: s.float ? 'float32' : 'int32',
    spacing: [s.spacing[0], s.spacing[1], Math.hypot(...s.step)],
    slices: frames.map((_, k) => ({ position: patient(s, 0, 0, k) })),
    metadata: { imageOrientationPatient: [...s.row, ...s.col], modality: 'CT' },
    decode: async (k) => ({
      width: s.width,
      height: s.height,
      samplesPerPixel: 1,
      data: frames[k]!,
      rescaleSlope: 1,
      rescaleIntercept: 0,
    }),
  });
}

async function frames(stack: ImageStack): Promise<PixelArray[]> {
  return Promise.all(Array.from({ length: stack.depth }, async (_, k) => (await stack.getFrame(k)).data));
}

/** Value at (x, y, slice) of a reformatted stack. */
async function reader(stack: ImageStack): Promise<(x: number, y: number, s: number) => number> {
  const all = await frames(stack);
  return (x, y, s) => all[s]![y * stack.width + x]!;
}

const dist = (a: readonly number[], b: readonly number[]) =>
  Math.hypot(a[0]! - b[0]!, a[1]! - b[1]!, a[2]! - b[2]!);

/**
 * Every pixel of every frame holds the source voxel whose patient position is the pixel's own (exactly for an
 * aligned series, within half a voxel for a resampled one), and `toSourceVoxel` names that same voxel.
 */
async function expectGeometryConsistent(
  s: Series,
  plane: ReformattedStack,
  tolerance: number,
): Promise<number> {
  const at = await reader(plane);
  let filled = 0;
  for (let z = 0; z < plane.depth; z++)
    for (let y = 0; y < plane.height; y++)
      for (let x = 0; x < plane.width; x++) {
        const v = at(x, y, z);
        const voxel = plane.toSourceVoxel(x, y, z);
        if (v === 0) {
          expect(voxel, `(${x}, ${y}, ${z}) is padding`).to.equal(null);
          continue;
        }
        filled++;
        const [i, j, k] = decode(s, v);
        expect(voxel, `(${x}, ${y}, ${z})`).to.deep.equal([i, j, k]);
        expect(dist(plane.toPatient(x, y, z), patient(s, i, j, k))).to.be.at.most(tolerance);
      }
  return filled;
}

function expectVec(actual: readonly number[], expected: readonly number[], eps = 1e-9): void {
  expect(actual.length).to.equal(expected.length);
  actual.forEach((v, i) =>
    expect(v, `component ${i} of [${actual.join(', ')}]`).to.be.closeTo(expected[i]!, eps),
  );
}

const AXIAL: Series = {
  width: 5,
  height: 4,
  depth: 3,
  row: [1, 0, 0],
  col: [0, 1, 0],
  origin: [-10, -20, 30],
  step: [0, 0, 2.5],
  spacing: [0.5, 0.75],
};

// Scanner-style coronal series: rows run to the patient's left, columns down (inferior); the loader sorts
// slices along the normal row × column = posterior.
const CORONAL: Series = {
  width: 6,
  height: 5,
  depth: 4,
  row: [1, 0, 0],
  col: [0, 0, -1],
  origin: [-30, -40, 80],
  step: [0, 3, 0],
  spacing: [0.6, 0.8],
};

// Sagittal series: rows run posterior, columns inferior; normal = towards the patient's right.
const SAGITTAL: Series = {
  width: 5,
  height: 6,
  depth: 4,
  row: [0, 1, 0],
  col: [0, 0, -1],
  origin: [40, -30, 70],
  step: [-2, 0, 0],
  spacing: [0.7, 0.9],
};

function rotation(ax: number, az: number): [V3, V3, V3] {
  const [cx, sx, cz, sz] = [Math.cos(ax), Math.sin(ax), Math.cos(az), Math.sin(az)];
  // Rz · Rx applied to the unit axes.
  const rot = (v: V3): V3 => {
    const y = v[1] * cx - v[2] * sx;
    const z = v[1] * sx + v[2] * cx;
    return [v[0] * cz - y * sz, v[0] * sz + y * cz, z];
  };
  return [rot([1, 0, 0]), rot([0, 1, 0]), rot([0, 0, 1])];
}

const [OR, OC, ON] = rotation((25 * Math.PI) / 180, (15 * Math.PI) / 180);
const OBLIQUE: Series = {
  width: 9,
  height: 8,
  depth: 6,
  row: OR,
  col: OC,
  origin: [5, -7, 12],
  step: [ON[0] * 1.5, ON[1] * 1.5, ON[2] * 1.5],
  spacing: [1, 1.2],
};

describe('reformatStack', () => {
  it('axial series: each plane puts voxel (i, j, k) where the radiological convention says', async () => {
    const stack = seriesStack(AXIAL);
    const { width: W, height: H, depth: D } = AXIAL;

    const axial = reformatStack(stack, 'axial');
    expect([axial.width, axial.height, axial.depth]).to.deep.equal([W, H, D]);
    expect(axial.resampled).to.equal(false);
    const a = await reader(axial);
    for (let k = 0; k < D; k++)
      for (let j = 0; j < H; j++)
        for (let i = 0; i < W; i++) expect(a(i, j, k)).to.equal(code(AXIAL, i, j, k));

    // Coronal: x = patient left (column i), y = down = inferior (slice D-1 at the top), slice = posterior (row j).
    const coronal = reformatStack(stack, 'coronal');
    expect([coronal.width, coronal.height, coronal.depth]).to.deep.equal([W, D, H]);
    expect(coronal.spacing).to.deep.equal([0.5, 2.5, 0.75]);
    expect(coronal.directions).to.deep.equal([
      [1, 0, 0],
      [0, 0, -1],
      [0, 1, 0],
    ]);
    expect(coronal.edges).to.deep.equal({ left: 'R', right: 'L', top: 'S', bottom: 'I' });
    const c = await reader(coronal);
    for (let s = 0; s < H; s++)
      for (let y = 0; y < D; y++)
        for (let x = 0; x < W; x++)
          expect(c(x, y, s), `${x},${y},${s}`).to.equal(code(AXIAL, x, s, D - 1 - y));

    // Sagittal: x = posterior (row j; anterior on the left), y = inferior, slice = towards the right.
    const sagittal = reformatStack(stack, 'sagittal');
    expect([sagittal.width, sagittal.height, sagittal.depth]).to.deep.equal([H, D, W]);
    expect(sagittal.spacing).to.deep.equal([0.75, 2.5, 0.5]);
    expect(sagittal.edges).to.deep.equal({ left: 'A', right: 'P', top: 'S', bottom: 'I' });
    const g = await reader(sagittal);
    for (let s = 0; s < W; s++)
      for (let y = 0; y < D; y++)
        for (let x = 0; x < H; x++) expect(g(x, y, s)).to.equal(code(AXIAL, W - 1 - s, x, D - 1 - y));

    for (const plane of [axial, coronal, sagittal])
      expect(await expectGeometryConsistent(AXIAL, plane, 1e-9)).to.equal(W * H * D);
  });

  it('coronal-acquired series: the coronal plane is the acquisition, the axial plane is resliced', async () => {
    const stack = seriesStack(CORONAL);
    const { width: W, height: H, depth: D } = CORONAL;
    const coronal = reformatStack(stack, 'coronal');
    expect([coronal.width, coronal.height, coronal.depth]).to.deep.equal([W, H, D]);
    const c = await reader(coronal);
    expect(c(2, 3, 1)).to.equal(code(CORONAL, 2, 3, 1));

    // Axial: x = left (column i), y = posterior (slice k), slice = superior (row j from the bottom).
    const axial = reformatStack(stack, 'axial');
    expect([axial.width, axial.height, axial.depth]).to.deep.equal([W, D, H]);
    expect(axial.spacing).to.deep.equal([0.6, 3, 0.8]);
    expectVec(axial.directions.flat(), [1, 0, 0, 0, 1, 0, 0, 0, 1]);
    expect(axial.edges).to.deep.equal({ left: 'R', right: 'L', top: 'A', bottom: 'P' });
    const a = await reader(axial);
    for (let s = 0; s < H; s++)
      for (let y = 0; y < D; y++)
        for (let x = 0; x < W; x++) expect(a(x, y, s)).to.equal(code(CORONAL, x, H - 1 - s, y));
    // The reformatted stack describes its own geometry: slice positions and orientation.
    expectVec(axial.slices[0]!.position!, patient(CORONAL, 0, H - 1, 0));
    expectVec(axial.metadata['imageOrientationPatient'] as number[], [1, 0, 0, 0, 1, 0]);

    const sagittal = reformatStack(stack, 'sagittal');
    expect([sagittal.width, sagittal.height, sagittal.depth]).to.deep.equal([D, H, W]);
    expect(sagittal.spacing).to.deep.equal([3, 0.8, 0.6]);
    const g = await reader(sagittal);
    for (let s = 0; s < W; s++)
      for (let y = 0; y < H; y++)
        for (let x = 0; x < D; x++) expect(g(x, y, s)).to.equal(code(CORONAL, W - 1 - s, y, x));
    for (const plane of [axial, coronal, sagittal])
      expect(await expectGeometryConsistent(CORONAL, plane, 1e-9)).to.equal(W * H * D);
  });

  it('sagittal-acquired series: reslices axial and coronal by patient axes, not array axes', async () => {
    const stack = seriesStack(SAGITTAL);
    const { width: W, height: H, depth: D } = SAGITTAL;
    expect((await reader(reformatStack(stack, 'sagittal')))(1, 2, 3)).to.equal(code(SAGITTAL, 1, 2, 3));

    // Axial: x = left = against the slice step (k = D-1-x), y = posterior = column i, slice = superior.
    const axial = reformatStack(stack, 'axial');
    expect([axial.width, axial.height, axial.depth]).to.deep.equal([D, W, H]);
    expect(axial.spacing).to.deep.equal([2, 0.7, 0.9]);
    const a = await reader(axial);
    for (let s = 0; s < H; s++)
      for (let y = 0; y < W; y++)
        for (let x = 0; x < D; x++) expect(a(x, y, s)).to.equal(code(SAGITTAL, y, H - 1 - s, D - 1 - x));

    const coronal = reformatStack(stack, 'coronal');
    expect([coronal.width, coronal.height, coronal.depth]).to.deep.equal([D, H, W]);
    expect(coronal.edges).to.deep.equal({ left: 'R', right: 'L', top: 'S', bottom: 'I' });
    const c = await reader(coronal);
    for (let s = 0; s < W; s++)
      for (let y = 0; y < H; y++)
        for (let x = 0; x < D; x++) expect(c(x, y, s)).to.equal(code(SAGITTAL, s, y, D - 1 - x));
    for (const plane of [axial, coronal])
      expect(await expectGeometryConsistent(SAGITTAL, plane, 1e-9)).to.equal(W * H * D);
  });

  it('oblique series: resamples onto the patient axes with the nearest voxel', async () => {
    const stack = seriesStack(OBLIQUE);
    const halfDiagonal = 0.5 * Math.hypot(1, 1.2, 1.5) + 1e-9;
    const expected = {
      axial: [
        [1, 0, 0],
        [0, 1, 0],
        [0, 0, 1],
      ],
      coronal: [
        [1, 0, 0],
        [0, 0, -1],
        [0, 1, 0],
      ],
      sagittal: [
        [0, 1, 0],
        [0, 0, -1],
        [-1, 0, 0],
      ],
    } as const;
    for (const orientation of ['axial', 'coronal', 'sagittal'] as const) {
      const plane = reformatStack(stack, orientation);
      expect(plane.resampled, orientation).to.equal(true);
      expectVec(plane.directions.flat(), expected[orientation].flat());
      expect(plane.edges!.right).to.equal(directionLetters(expected[orientation][0]));
      // Spacing of the nearest source axis along each plane axis.
      for (const v of plane.spacing)
        expect(
          [1, 1.2, 1.5].some((w) => Math.abs(w - v) < 1e-9),
          `spacing ${v}`,
        ).to.equal(true);
      // Every voxel that falls inside the source is filled, with the voxel nearest to it.
      const filled = await expectGeometryConsistent(OBLIQUE, plane, halfDiagonal);
      expect(filled, orientation).to.be.greaterThan(0.5 * OBLIQUE.width * OBLIQUE.height * OBLIQUE.depth);
      // The mapping goes both ways.
      const back = plane.fromSource(...plane.toSource(3, 2, 1));
      expectVec(back, [3, 2, 1]);
      expectVec(plane.fromPatient(plane.toPatient(4, 1, 2)), [4, 1, 2]);
    }
    // The source's centre voxel lands in the axial plane at the position of its patient coordinates.
    const axial = reformatStack(stack, 'axial');
    const centre = patient(OBLIQUE, 4, 4, 3);
    const [x, y, s] = axial.fromPatient(centre);
    expectVec(axial.toPatient(x, y, s), centre);
    expectVec(axial.toSource(x, y, s), [4, 4, 3]);
  });

  it('oblique series with trilinear interpolation reproduces a linear field', async () => {
    const f = (p: V3) => 2 * p[0] - 3 * p[1] + 0.5 * p[2] + 7;
    const s: Series = { ...OBLIQUE, float: true, value: (i, j, k) => f(patient(OBLIQUE, i, j, k)) };
    const plane = reformatStack(seriesStack(s), 'coronal', { interpolation: 'linear' });
    const at = await reader(plane);
    let inside = 0;
    for (let z = 0; z < plane.depth; z++)
      for (let y = 0; y < plane.height; y++)
        for (let x = 0; x < plane.width; x++) {
          const [i, j, k] = plane.toSource(x, y, z);
          if (i < 0 || j < 0 || k < 0 || i > s.width - 1 || j > s.height - 1 || k > s.depth - 1) continue;
          inside++;
          expect(at(x, y, z)).to.be.closeTo(f(plane.toPatient(x, y, z)), 1e-3);
        }
    expect(inside).to.be.greaterThan(100);
  });

  it('a TIFF stack without geometry reformats by its array axes with its physical sizes', async () => {
    const [W, H, D] = [4, 3, 5];
    const dims = { width: W, height: H };
    const data = Array.from({ length: D }, (_, k) =>
      Int32Array.from({ length: W * H }, (_, n) => code(dims, n % W, Math.floor(n / W), k)),
    );
    const stack = createImageStack({
      format: 'tiff',
      width: W,
      height: H,
      frames: data,
      dataType: 'int32',
      spacing: [0.5, 0.5, 3],
      metadata: { spacingUnit: 'µm' },
    });
    const coronal = reformatStack(stack, 'coronal');
    expect(coronal.hasGeometry).to.equal(false);
    expect(coronal.edges).to.equal(null);
    expect(coronal.metadata['imageOrientationPatient']).to.equal(undefined);
    expect(coronal.metadata['spacingUnit']).to.equal('µm');
    expect([coronal.width, coronal.height, coronal.depth]).to.deep.equal([W, D, H]);
    expect(coronal.spacing).to.deep.equal([0.5, 3, 0.5]);
    const c = await reader(coronal);
    for (let s = 0; s < H; s++)
      for (let y = 0; y < D; y++)
        for (let x = 0; x < W; x++) expect(c(x, y, s)).to.equal(code(dims, x, s, D - 1 - y));
    const sagittal = reformatStack(stack, 'sagittal');
    expect([sagittal.width, sagittal.height, sagittal.depth]).to.deep.equal([H, D, W]);
    expect(sagittal.spacing).to.deep.equal([0.5, 3, 0.5]);
    const g = await reader(sagittal);
    expect(g(2, 0, 1)).to.equal(code(dims, W - 2, 2, D - 1));
    // The acquisition plane is the stack itself, frame for frame.
    const acquisition = reformatStack(stack, 'acquisition');
    expect(acquisition.resampled).to.equal(false);
    expect((await acquisition.getFrame(2)).data).to.equal((await stack.getFrame(2)).data);
  });

  it('reads the geometry the DICOM loader exposes (sagittal slices, loaded out of order)', async () => {
    const [W, H, D] = [4, 3, 3];
    const files = [2, 0, 1].map((k) =>
      buildImage({
        rows: H,
        columns: W,
        pixels: u16le(
          Array.from({ length: W * H }, (_, n) => code({ width: W, height: H }, n % W, Math.floor(n / W), k)),
        ),
        extra: [
          { tag: 0x00200032, vr: 'DS', value: `${20 - 2 * k}\\-5\\40` },
          { tag: 0x00200037, vr: 'DS', value: '0\\1\\0\\0\\0\\-1' },
          { tag: 0x00280030, vr: 'DS', value: '0.9\\0.7' },
        ],
      }),
    );
    const stack = await loadImageStack(files);
    const axial = reformatStack(stack, 'axial');
    expect([axial.width, axial.height, axial.depth]).to.deep.equal([D, W, H]);
    expect(axial.spacing[0]).to.be.closeTo(2, 1e-9);
    expect(axial.spacing.slice(1)).to.deep.equal([0.7, 0.9]);
    const a = await reader(axial);
    // Top-left of the most superior axial slice: the patient's right-most, anterior voxel of the top row.
    expect(a(0, 0, H - 1)).to.equal(code({ width: W, height: H }, 0, 0, D - 1));
    expect(a(D - 1, W - 1, 0)).to.equal(code({ width: W, height: H }, W - 1, H - 1, 0));
  });

  it('frames built ahead while scrolling either way equal the convention, RGB included', async () => {
    // An RGB series acquired sagittally: the axial plane reads one voxel from each source frame per pixel,
    // the coronal one strided runs; both build neighbouring slices together.
    const s = { ...SAGITTAL, width: 4, height: 3, depth: 5 };
    const rgb = (i: number, j: number, k: number, c: number) => (i + 4 * j + 12 * k) * 3 + c;
    const stack = new LazyImageStack({
      format: 'dicom',
      width: s.width,
      height: s.height,
      samplesPerPixel: 3,
      dataType: 'uint8',
      spacing: [s.spacing[0], s.spacing[1], 2],
      slices: Array.from({ length: s.depth }, (_, k) => ({ position: patient(s, 0, 0, k) })),
      metadata: { imageOrientationPatient: [...s.row, ...s.col] },
      decode: async (k) => {
        const data = new Uint8Array(s.width * s.height * 3);
        for (let n = 0; n < data.length; n++) {
          const p = Math.floor(n / 3);
          data[n] = rgb(p % s.width, Math.floor(p / s.width), k, n % 3);
        }
        return {
          width: s.width,
          height: s.height,
          samplesPerPixel: 3,
          data,
          rescaleSlope: 1,
          rescaleIntercept: 0,
        };
      },
    });
    for (const orientation of ['axial', 'coronal', 'sagittal'] as const) {
      for (const [order, pause] of [
        ['forward', false],
        ['backward', false],
        ['forward', true],
        ['backward', true],
      ] as const) {
        const plane = reformatStack(stack, orientation);
        const slices = Array.from({ length: plane.depth }, (_, n) =>
          order === 'forward' ? n : plane.depth - 1 - n,
        );
        for (const slice of slices) {
          // With pauses, slices prepared in the background between frames are the ones shown.
          if (pause) await new Promise((r) => setTimeout(r, 5));
          const frame = await plane.getFrame(slice);
          expect(frame.samplesPerPixel).to.equal(3);
          for (let y = 0; y < plane.height; y++)
            for (let x = 0; x < plane.width; x++) {
              const [i, j, k] = plane.toSourceVoxel(x, y, slice)!;
              for (let c = 0; c < 3; c++)
                expect(
                  frame.data[(y * plane.width + x) * 3 + c],
                  `${orientation} ${order} ${x},${y},${slice}`,
                ).to.equal(rgb(i, j, k, c));
            }
        }
      }
    }
  });

  it('a sagittal plane of an axial series scrolled with pauses, jumps and turns shows the right voxels', async () => {
    const wide = { ...AXIAL, width: 40 };
    const stack = seriesStack(wide);
    const { width: W, depth: D } = wide;
    const sagittal = reformatStack(stack, 'sagittal', { cacheBytes: 0 });
    // Forward, a turn, a jump, forward again: prepared slices and frames built alone must agree.
    const path = [
      0,
      1,
      2,
      3,
      4,
      5,
      6,
      7,
      8,
      9,
      10,
      11,
      12,
      11,
      10,
      9,
      8,
      3,
      2,
      1,
      0,
      W - 1,
      W - 2,
      20,
      21,
      22,
    ];
    for (const slice of path) {
      await new Promise((r) => setTimeout(r, 5));
      const frame = await sagittal.getFrame(slice);
      for (let y = 0; y < sagittal.height; y++)
        for (let x = 0; x < sagittal.width; x++)
          expect(frame.data[y * sagittal.width + x], `${x},${y},${slice}`).to.equal(
            code(wide, W - 1 - slice, x, D - 1 - y),
          );
    }
  });

  it('flags a series whose slices are not evenly spaced', () => {
    expect(stackGeometry(seriesStack(AXIAL)).uniformSlices).to.equal(true);
    const stack = seriesStack({ ...AXIAL, depth: 4 });
    // Slice 2 missing: positions 0, 2.5, 7.5, 10 mm.
    const gapped = new LazyImageStack({
      format: 'dicom',
      width: stack.width,
      height: stack.height,
      samplesPerPixel: 1,
      dataType: 'int32',
      slices: [0, 1, 3, 4].map((k) => ({ position: patient(AXIAL, 0, 0, k) })),
      metadata: stack.metadata,
      decode: (k) => stack.getFrame(k),
    });
    const g = stackGeometry(gapped);
    expect(g.uniformSlices).to.equal(false);
    expect(g.axes[2][2]).to.be.closeTo(10 / 3, 1e-9);
  });

  it('converts slices with different rescale to one scale per frame', async () => {
    const frames = [new Int16Array([10, 10]), new Int16Array([10, 10])];
    const stack = new LazyImageStack({
      format: 'dicom',
      width: 2,
      height: 1,
      samplesPerPixel: 1,
      dataType: 'int16',
      slices: [{ position: [0, 0, 0] }, { position: [0, 0, 1] }],
      metadata: { imageOrientationPatient: [1, 0, 0, 0, 1, 0] },
      decode: async (k) => ({
        width: 2,
        height: 1,
        samplesPerPixel: 1,
        data: frames[k]!,
        rescaleSlope: k === 0 ? 1 : 2,
        rescaleIntercept: k === 0 ? 0 : -4,
      }),
    });
    const f = await reformatStack(stack, 'coronal').getFrame(0);
    // Row 0 is the superior slice (10·2 - 4 = 16), row 1 the inferior one (10).
    expect([...f.data].map((v) => v * f.rescaleSlope + f.rescaleIntercept)).to.deep.equal([16, 16, 10, 10]);
  });

  it('keeps its reformatted frames within the cache budget', async () => {
    const stack = seriesStack({ ...AXIAL, width: 40, height: 30, depth: 20, value: () => 1 });
    const frameBytes = 40 * 20 * 4;
    const coronal = reformatStack(stack, 'coronal', { cacheBytes: 3 * frameBytes }) as ReformattedStack & {
      cachedBytes: number;
    };
    for (let s = 0; s < coronal.depth; s++) await coronal.getFrame(s);
    expect(coronal.cachedBytes).to.be.at.most(3 * frameBytes);
    expect(coronal.cachedBytes).to.be.greaterThan(0);
  });

  it('aborting a frame that waits for its source frames rejects with aborted', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const inner = seriesStack(AXIAL);
    const slow = new LazyImageStack({
      format: 'dicom',
      width: AXIAL.width,
      height: AXIAL.height,
      samplesPerPixel: 1,
      dataType: 'int32',
      slices: inner.slices,
      metadata: inner.metadata,
      decode: async (k, signal) => {
        await gate;
        if (signal?.aborted) throw new VoxmarkError('aborted', 'aborted');
        return inner.getFrame(k);
      },
    });
    const coronal = reformatStack(slow, 'coronal');
    const controller = new AbortController();
    const pending = coronal.getFrame(1, { signal: controller.signal }).catch((e: unknown) => e);
    controller.abort();
    release();
    expect(((await pending) as VoxmarkError).code).to.equal('aborted');
    // A later request builds the frame afresh.
    expect((await coronal.getFrame(1)).data[0]).to.equal(code(AXIAL, 0, 1, AXIAL.depth - 1));
  });

  it('refuses bad orientations, options and degenerate geometry with stable codes', async () => {
    const stack = seriesStack(AXIAL);
    const codeOf = (fn: () => unknown) => {
      try {
        fn();
      } catch (e) {
        expect(e).to.be.instanceOf(VoxmarkError);
        return (e as VoxmarkError).code;
      }
      return 'no error';
    };
    expect(codeOf(() => reformatStack(stack, 'oblique' as 'axial'))).to.equal('invalid-argument');
    expect(codeOf(() => reformatStack(stack, 'axial', { interpolation: 'cubic' as 'linear' }))).to.equal(
      'invalid-argument',
    );
    const flat = seriesStack({ ...AXIAL, col: [1, 0, 0] });
    expect(codeOf(() => reformatStack(flat, 'coronal'))).to.equal('corrupt');
    const coronal = reformatStack(stack, 'coronal');
    const error = await coronal.getFrame(coronal.depth).catch((e: unknown) => e);
    expect((error as VoxmarkError).code).to.equal('out-of-range');
  });
});
