import { expect } from '@open-wc/testing';
import { LazyImageStack } from '../../../src/core/image/stack.js';
import type { Frame } from '../../../src/core/image/types.js';
import { SliceLoader } from '../../../src/core/image/slice-loader.js';

interface Decode {
  index: number;
  signal: AbortSignal;
  resolve: () => void;
  reject: (e: unknown) => void;
}

function slowStack(depth = 40) {
  const decodes: Decode[] = [];
  const stack = new LazyImageStack({
    format: 'dicom',
    width: 2,
    height: 2,
    samplesPerPixel: 1,
    dataType: 'uint8',
    slices: Array.from({ length: depth }, () => ({})),
    decode: (index, signal) =>
      new Promise<Frame>((resolve, reject) => {
        const frame: Frame = {
          width: 2,
          height: 2,
          samplesPerPixel: 1,
          data: new Uint8Array(4).fill(index),
          rescaleSlope: 1,
          rescaleIntercept: 0,
        };
        decodes.push({ index, signal: signal!, resolve: () => resolve(frame), reject });
        signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
      }),
  });
  const live = (i: number) => decodes.filter((d) => d.index === i && !d.signal.aborted);
  return { stack, decodes, live };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('SliceLoader', () => {
  it('decodes the current slice, then prefetches ahead in the direction of travel', async () => {
    const { stack, live } = slowStack();
    const loader = new SliceLoader(stack, { ahead: 3, behind: 1, concurrency: 2 });
    const shown: number[] = [];
    loader.onFrame = (i) => shown.push(i);
    expect(loader.request(5)).to.equal(undefined);
    expect(loader.busy).to.equal(true);
    live(5)[0]!.resolve();
    await tick();
    expect(shown).to.deep.equal([5]);
    expect(loader.prefetching.sort()).to.deep.equal([4, 6]);
    live(6)[0]!.resolve();
    await tick();
    expect(loader.prefetching.sort()).to.deep.equal([4, 7]);
    // Arriving at a prefetched slice returns its frame at once.
    expect(loader.request(6, 5)!.data[0]).to.equal(6);
    // Travelling down now: ahead means lower indices.
    live(7)[0]!.resolve();
    await tick();
    expect(loader.request(5, 6)).to.not.equal(undefined);
    expect(loader.prefetching).to.include(4);
  });

  it('keeps a near decode running as a prefetch when the user moves on, and aborts far ones', async () => {
    const { stack, live } = slowStack();
    const loader = new SliceLoader(stack, { ahead: 3, behind: 2, concurrency: 2 });
    const shown: number[] = [];
    loader.onFrame = (i) => shown.push(i);
    loader.request(10);
    loader.request(11, 10);
    expect(live(10)).to.have.length(1); // behind 11, still wanted
    loader.request(30, 11);
    expect(live(10)).to.have.length(0);
    expect(live(11)).to.have.length(0);
    expect(live(30)).to.have.length(1);
  });

  it('promotes a running prefetch to the current decode and reports only the current slice', async () => {
    const { stack, live } = slowStack();
    const loader = new SliceLoader(stack, { ahead: 2, behind: 0, concurrency: 2 });
    const shown: number[] = [];
    loader.onFrame = (i) => shown.push(i);
    loader.request(0);
    live(0)[0]!.resolve();
    await tick();
    expect(loader.prefetching.sort()).to.deep.equal([1, 2]);
    loader.request(1, 0);
    expect(live(1)).to.have.length(1); // not restarted
    live(2)[0]!.resolve(); // a prefetch finishing is not shown
    await tick();
    expect(shown).to.deep.equal([0]);
    live(1)[0]!.resolve();
    await tick();
    expect(shown).to.deep.equal([0, 1]);
  });

  it('reports a failing current slice, not a failing prefetch', async () => {
    const { stack, live } = slowStack();
    const loader = new SliceLoader(stack, { ahead: 1, behind: 0 });
    const errors: number[] = [];
    loader.onError = (i) => errors.push(i);
    loader.request(3);
    live(3)[0]!.resolve();
    await tick();
    live(4)[0]!.reject(new Error('bad prefetch'));
    await tick();
    expect(errors).to.deep.equal([]);
    loader.request(8, 3);
    live(8)[0]!.reject(new Error('bad slice'));
    await tick();
    expect(errors).to.deep.equal([8]);
  });

  it('aborts everything on dispose', () => {
    const { stack, decodes } = slowStack();
    const loader = new SliceLoader(stack);
    loader.request(3);
    loader.dispose();
    expect(decodes.every((d) => d.signal.aborted)).to.equal(true);
  });
});
