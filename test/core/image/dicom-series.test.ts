/**
 * Several DICOM files of one series become one stack: sorted along the slice normal (oblique normals
 * included), falling back to Instance Number, with the slice step computed from positions; mixed series
 * are rejected with 'mixed-series'. Each synthetic slice's pixels hold its true index, so the order of
 * decoded frames shows the order of the stack.
 */
import { expect } from '@open-wc/testing';
import { loadImageStack, VoxmarkError } from '../../../src/core/index.js';
import { buildImage, u16le, type El } from '../../helpers/dicom-builder.js';

const SERIES = '1.2.826.0.1.3680043.8.498.1';

interface SliceSpec {
  index: number;
  position?: [number, number, number];
  orientation?: number[];
  instanceNumber?: number;
  series?: string;
  rows?: number;
  frameOfReference?: string;
}

function slice(spec: SliceSpec): Uint8Array {
  const rows = spec.rows ?? 2;
  const extra: El[] = [
    { tag: 0x00080018, vr: 'UI', value: `1.2.826.0.1.3680043.8.498.2.${spec.index}` },
    { tag: 0x0020000e, vr: 'UI', value: spec.series ?? SERIES },
    { tag: 0x00280030, vr: 'DS', value: '0.5\\0.75' },
  ];
  if (spec.position)
    extra.push({ tag: 0x00200032, vr: 'DS', value: spec.position.map((v) => v.toFixed(6)).join('\\') });
  if (spec.orientation)
    extra.push({ tag: 0x00200037, vr: 'DS', value: spec.orientation.map((v) => v.toFixed(8)).join('\\') });
  if (spec.instanceNumber !== undefined)
    extra.push({ tag: 0x00200013, vr: 'IS', value: String(spec.instanceNumber) });
  if (spec.frameOfReference) extra.push({ tag: 0x00200052, vr: 'UI', value: spec.frameOfReference });
  return buildImage({ rows, columns: 3, pixels: u16le(new Array(rows * 3).fill(spec.index)), extra });
}

/** A fixed shuffle (no Math.random in tests). */
function shuffled<T>(items: T[]): T[] {
  const out = items.slice();
  let seed = 12345;
  for (let i = out.length - 1; i > 0; i--) {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    const j = seed % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

async function frameIndices(files: Uint8Array[]) {
  const stack = await loadImageStack(files);
  const order: number[] = [];
  for (let i = 0; i < stack.depth; i++) order.push((await stack.getFrame(i)).data[0]!);
  return { stack, order };
}

async function rejection(p: Promise<unknown>): Promise<VoxmarkError> {
  try {
    await p;
  } catch (e) {
    expect(e).to.be.instanceOf(VoxmarkError);
    return e as VoxmarkError;
  }
  throw new Error('expected a rejection');
}

function cross(a: number[], b: number[]): number[] {
  return [a[1]! * b[2]! - a[2]! * b[1]!, a[2]! * b[0]! - a[0]! * b[2]!, a[0]! * b[1]! - a[1]! * b[0]!];
}

describe('DICOM series', () => {
  it('sorts shuffled axial slices by position along the normal and computes the step', async () => {
    const axial = [1, 0, 0, 0, 1, 0];
    const files = Array.from({ length: 7 }, (_, k) =>
      slice({ index: k, position: [-10, 20, -50 + 2.5 * k], orientation: axial, instanceNumber: 7 - k }),
    );
    const { stack, order } = await frameIndices(shuffled(files));
    expect(order).to.deep.equal([0, 1, 2, 3, 4, 5, 6]);
    expect(stack.depth).to.equal(7);
    expect(stack.spacing[0]).to.equal(0.75); // column spacing is x
    expect(stack.spacing[1]).to.equal(0.5);
    expect(stack.spacing[2]).to.be.closeTo(2.5, 1e-6);
    expect(stack.slices.map((s) => s.sopInstanceUID)).to.deep.equal(
      order.map((k) => `1.2.826.0.1.3680043.8.498.2.${k}`),
    );
    expect(stack.slices[3]!.position![2]).to.be.closeTo(-50 + 7.5, 1e-6);
  });

  it('sorts along an oblique normal, ignoring in-plane offsets and Instance Numbers', async () => {
    const a = (25 * Math.PI) / 180;
    const b = (40 * Math.PI) / 180;
    const row = [Math.cos(a), Math.sin(a), 0];
    const col = [-Math.sin(a) * Math.cos(b), Math.cos(a) * Math.cos(b), Math.sin(b)];
    const n = cross(row, col);
    const files = Array.from({ length: 6 }, (_, k) => {
      // Move along the normal by 1.7 mm per slice, and wander in-plane (which must not matter).
      const wander = ((k * 5) % 3) - 1;
      const p = [0, 1, 2].map(
        (i) => 100 * n[i]! + 1.7 * k * n[i]! + 30 * wander * row[i]! - 12 * wander * col[i]!,
      );
      return slice({
        index: k,
        position: p as [number, number, number],
        orientation: [...row, ...col],
        instanceNumber: (k * 4) % 6, // misleading on purpose
      });
    });
    const { stack, order } = await frameIndices(shuffled(files));
    expect(order).to.deep.equal([0, 1, 2, 3, 4, 5]);
    expect(stack.spacing[2]).to.be.closeTo(1.7, 1e-4);
  });

  it('falls back to Instance Number without positions', async () => {
    const files = [3, 1, 4, 0, 2].map((k) => slice({ index: k, instanceNumber: k + 10 }));
    const { order } = await frameIndices(files);
    expect(order).to.deep.equal([0, 1, 2, 3, 4]);
  });

  it('falls back to Instance Number when only some slices have a position', async () => {
    const axial = [1, 0, 0, 0, 1, 0];
    const files = [2, 0, 1].map((k) =>
      slice(
        k === 1
          ? { index: k, instanceNumber: k }
          : { index: k, instanceNumber: k, position: [0, 0, -k], orientation: axial },
      ),
    );
    const { order } = await frameIndices(files);
    expect(order).to.deep.equal([0, 1, 2]);
  });

  it("rejects mixed series with 'mixed-series', listing the differences", async () => {
    const axial = [1, 0, 0, 0, 1, 0];
    const base = (k: number) => ({
      index: k,
      position: [0, 0, k] as [number, number, number],
      orientation: axial,
    });
    const otherSeries = await rejection(
      loadImageStack([slice(base(0)), slice({ ...base(1), series: '1.2.3.999' })]),
    );
    expect(otherSeries.code).to.equal('mixed-series');
    expect(otherSeries.message).to.match(/Series Instance UID/);

    const otherSize = await rejection(loadImageStack([slice(base(0)), slice({ ...base(1), rows: 4 })]));
    expect(otherSize.code).to.equal('mixed-series');
    expect(otherSize.message).to.match(/size/);

    const sagittal = [0, 1, 0, 0, 0, -1];
    const otherOrientation = await rejection(
      loadImageStack([slice(base(0)), slice({ ...base(1), orientation: sagittal })]),
    );
    expect(otherOrientation.code).to.equal('mixed-series');
    expect(otherOrientation.message).to.match(/orientation/);

    const samePlace = await rejection(
      loadImageStack([slice(base(0)), slice({ ...base(1), position: [0, 0, 0] })]),
    );
    expect(samePlace.code).to.equal('mixed-series');
    expect(samePlace.message).to.match(/same position/);

    const otherFrame = await rejection(
      loadImageStack([
        slice({ ...base(0), frameOfReference: '1.2.3.1' }),
        slice({ ...base(1), frameOfReference: '1.2.3.2' }),
      ]),
    );
    expect(otherFrame.code).to.equal('mixed-series');
  });

  it('rejects a mix of DICOM and TIFF with not-an-image', async () => {
    const tiff = new Uint8Array([0x49, 0x49, 42, 0, 8, 0, 0, 0, 0, 0]);
    const e = await rejection(loadImageStack([slice({ index: 0 }), tiff]));
    expect(e.code).to.equal('not-an-image');
  });
});
