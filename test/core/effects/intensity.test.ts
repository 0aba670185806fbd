/**
 * Threshold and region statistics in modality units on a synthetic stack whose values are known, and line
 * lengths from the pixel spacing.
 */
import { expect } from '@open-wc/testing';
import { createImageStack } from '../../../src/core/index.js';
import { lineLength, regionStatistics, thresholdVolume } from '../../../src/core/effects/index.js';
import { voxmarkRejection } from '../../helpers/rejection.js';
import { blank, count, cuboid } from './shapes.js';

/** 8×6×3 int16 stack: stored value = x + 10·y + 100·z, modality value = 2·stored − 50. */
function rampStack() {
  const frames = [0, 1, 2].map((z) => {
    const f = new Int16Array(8 * 6);
    for (let y = 0; y < 6; y++) for (let x = 0; x < 8; x++) f[y * 8 + x] = x + 10 * y + 100 * z;
    return f;
  });
  return createImageStack({
    width: 8,
    height: 6,
    frames,
    dataType: 'int16',
    spacing: [0.5, 0.25, 3],
    rescaleSlope: 2,
    rescaleIntercept: -50,
  });
}

const modality = (x: number, y: number, z: number) => 2 * (x + 10 * y + 100 * z) - 50;

/** Exact population statistics of a list of values. */
function expected(values: number[]) {
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  const sd = Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / values.length);
  return { mean, sd, min: Math.min(...values), max: Math.max(...values), count: values.length };
}

function close(actual: Record<string, number | undefined>, want: Record<string, number>) {
  for (const [k, v] of Object.entries(want))
    expect(actual[k], k).to.be.closeTo(v, 1e-9 * Math.max(1, Math.abs(v)));
}

describe('thresholdVolume', () => {
  it('selects voxels by modality value (rescale applied), in the whole stack or a box', async () => {
    const stack = rampStack();
    // Modality 150…350 ⇔ stored 100…200.
    const all = await thresholdVolume(stack, { min: 150, max: 350 });
    let want = 0;
    for (let z = 0; z < 3; z++)
      for (let y = 0; y < 6; y++)
        for (let x = 0; x < 8; x++) {
          const m = modality(x, y, z);
          const inside = m >= 150 && m <= 350 ? 1 : 0;
          want += inside;
          expect(all.data[z * 48 + y * 8 + x], `${x},${y},${z}`).to.equal(inside);
        }
    expect(count(all)).to.equal(want);
    const boxed = await thresholdVolume(stack, {
      min: -1000,
      max: 1000,
      box: { x: 2, y: 1, z: 1, width: 3, height: 2, depth: 1 },
    });
    expect(count(boxed)).to.equal(6);
    expect(boxed.data[1 * 48 + 1 * 8 + 2]).to.equal(1);
  });

  it('rejects min above max, boxes outside the stack and colour stacks', async () => {
    const stack = rampStack();
    expect((await voxmarkRejection(thresholdVolume(stack, { min: 5, max: 1 }))).code).to.equal(
      'invalid-argument',
    );
    const outside = thresholdVolume(stack, {
      min: 0,
      max: 1,
      box: { x: 6, y: 0, z: 0, width: 3, height: 1, depth: 1 },
    });
    expect((await voxmarkRejection(outside)).code).to.equal('out-of-range');
    const rgb = createImageStack({
      width: 2,
      height: 2,
      samplesPerPixel: 3,
      frames: [new Uint8Array(12)],
      dataType: 'uint8',
    });
    expect((await voxmarkRejection(thresholdVolume(rgb, { min: 0, max: 1 }))).code).to.equal('unsupported');
  });
});

describe('regionStatistics', () => {
  it('is exact for a volume region, with its volume in mm³', async () => {
    const stack = rampStack();
    const region = cuboid(blank(8, 6, 3), 1, 2, 0, 4, 5, 2);
    const values: number[] = [];
    for (let z = 0; z < 2; z++)
      for (let y = 2; y < 5; y++) for (let x = 1; x < 4; x++) values.push(modality(x, y, z));
    const stats = await regionStatistics(stack, region);
    close(stats as never, expected(values));
    expect(stats.volumeMm3).to.equal(18 * 0.5 * 0.25 * 3);
    expect(stats.areaMm2).to.equal(undefined);
  });

  it('is exact for a mask, a box and a polygon on one slice, with their area in mm²', async () => {
    const stack = rampStack();
    const mask = new Uint8Array(48);
    mask[0] = mask[9] = mask[47] = 1;
    const m = await regionStatistics(stack, { slice: 2, mask });
    close(m as never, expected([modality(0, 0, 2), modality(1, 1, 2), modality(7, 5, 2)]));
    expect(m.areaMm2).to.equal(3 * 0.5 * 0.25);

    const boxValues: number[] = [];
    for (let y = 1; y < 3; y++) for (let x = 2; x < 6; x++) boxValues.push(modality(x, y, 1));
    const b = await regionStatistics(stack, { slice: 1, box: { x: 2, y: 1, width: 4, height: 2 } });
    close(b as never, expected(boxValues));
    expect(b.areaMm2).to.equal(8 * 0.125);

    // A right triangle (0,0)-(4,0)-(0,4): the pixels whose centres lie inside it.
    const p = await regionStatistics(stack, {
      slice: 0,
      points: [
        [0, 0],
        [4, 0],
        [0, 4],
      ],
    });
    const triangle: number[] = [];
    for (let y = 0; y < 6; y++)
      for (let x = 0; x < 8; x++) if (x + 0.5 + (y + 0.5) < 4) triangle.push(modality(x, y, 0));
    close(p as never, expected(triangle));
  });

  it('gives count 0 and NaN for an empty region, and rejects mismatched regions', async () => {
    const stack = rampStack();
    const empty = await regionStatistics(stack, blank(8, 6, 3));
    expect(empty.count).to.equal(0);
    expect(Number.isNaN(empty.mean)).to.equal(true);
    expect((await voxmarkRejection(regionStatistics(stack, blank(8, 6, 2)))).code).to.equal(
      'invalid-argument',
    );
    expect(
      (await voxmarkRejection(regionStatistics(stack, { slice: 3, mask: new Uint8Array(48) }))).code,
    ).to.equal('out-of-range');
    expect(
      (await voxmarkRejection(regionStatistics(stack, { slice: 0, mask: new Uint8Array(5) }))).code,
    ).to.equal('invalid-argument');
  });
});

describe('lineLength', () => {
  it('reads 70.0 mm for a 100 px line at 0.7 mm spacing, in any direction', () => {
    expect(lineLength([10, 20], [110, 20], [0.7, 0.7])).to.be.closeTo(70, 1e-9);
    expect(lineLength([0, 0], [60, 80], [0.7, 0.7, 5])).to.be.closeTo(70, 1e-9);
    expect(lineLength([0, 0], [0, 10], [0.5, 2])).to.equal(20);
    expect(() => lineLength([0, 0], [1, 1], [0, 1])).to.throw(/spacing/);
  });
});
