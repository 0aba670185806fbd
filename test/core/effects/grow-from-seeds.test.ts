/**
 * Grow from seeds on the CT phantom: seed strokes on a few slices recover the liver and the lungs against the
 * phantom's own (noise-free) geometry; adding a stroke updates the result without starting over; abort and
 * progress work on the calling thread and in a real Worker, which gives the same labels.
 */
import { expect } from '@open-wc/testing';
import { type Volume } from '../../../src/core/index.js';
import { createGrowFromSeedsSession, growFromSeeds, marginVolume } from '../../../src/core/effects/index.js';
import { createPhantomStack, phantomSliceHU } from '../../../stories/data/phantom.js';
import { voxmarkRejection } from '../../helpers/rejection.js';
import { blank, dice } from './shapes.js';

const LIVER = 1;
const LUNG = 2;
const OTHER = 3;

/** The phantom's own labels from its noise-free HU: liver (60 HU), lung parenchyma with its vessels, rest. */
function truth(size: number, depth: number): Volume {
  const v = blank(size, size, depth);
  for (let z = 0; z < depth; z++) {
    const hu = phantomSliceHU(z, { size, depth, noise: 0 });
    for (let i = 0; i < hu.length; i++) {
      const h = hu[i]!;
      v.data[z * size * size + i] = h === 60 ? LIVER : h === -860 || h === -50 ? LUNG : OTHER;
    }
  }
  return v;
}

/** The phantom as a stack and its own labels. */
function phantom(size: number, depth: number): { stack: ReturnType<typeof createPhantomStack>; t: Volume } {
  return { stack: createPhantomStack({ size, depth }), t: truth(size, depth) };
}

/** Where one label of a label volume is. */
function only(v: Volume, label: number): Volume {
  return { ...v, data: v.data.map((x) => (x === label ? 1 : 0)) };
}

/** Seed strokes: each structure shrunk by 3 voxels in-plane, painted on every `every`-th slice. */
function seedsFrom(t: Volume, every: number, first = 1): Volume {
  const seeds = blank(t.width, t.height, t.depth);
  const area = t.width * t.height;
  const spacing: [number, number, number] = [1, 1, 1000]; // shrink in-plane only
  for (const label of [LIVER, LUNG, OTHER]) {
    const core = marginVolume(only(t, label), { mm: -3, spacing });
    for (let z = first; z < t.depth; z += every)
      for (let i = z * area; i < (z + 1) * area; i++) if (core.data[i]) seeds.data[i] = label;
  }
  return seeds;
}

describe('growFromSeeds on the CT phantom', function () {
  this.timeout(20_000);
  // Small phantoms keep each test to a few seconds; the Dice check needs 128² to resolve the liver's edge.
  const { stack, t } = phantom(64, 16);
  const SIZE = 64;
  const DEPTH = 16;

  it('recovers the liver and the lungs with Dice ≥ 0.95 from strokes on every third slice', async () => {
    const { stack, t } = phantom(128, 24);
    const seeds = seedsFrom(t, 3);
    const before = seeds.data.slice();
    const progress: number[] = [];
    const labels = await growFromSeeds(stack, seeds, { onProgress: (p) => progress.push(p.done / p.total) });
    expect(Array.from(seeds.data)).to.deep.equal(Array.from(before));
    expect(dice(only(labels, LIVER).data, only(t, LIVER).data), 'liver').to.be.at.least(0.95);
    expect(dice(only(labels, LUNG).data, only(t, LUNG).data), 'lungs').to.be.at.least(0.95);
    expect(progress.at(-1)).to.equal(1);
    expect(labels.data.every((x) => x >= 1 && x <= 3)).to.equal(true);
  });

  it('adds a stroke to the previous result without starting over, as a full run would', async () => {
    const session = createGrowFromSeedsSession(stack);
    try {
      const first = seedsFrom(t, 8);
      await session.update(first);
      const more = seedsFrom(t, DEPTH, 5); // one more painted slice
      const both: Volume = { ...first, data: first.data.map((x, i) => x || more.data[i]!) };
      let settled = 0;
      const updated = await session.update(both, { onProgress: (p) => (settled = p.done) });
      const full = await growFromSeeds(stack, both);
      let differ = 0;
      for (let i = 0; i < full.data.length; i++) if (full.data[i] !== updated.data[i]) differ++;
      // Only ties differ: where an old and a new seed are equally close, the update keeps the old label (as
      // Slicer's adaptive Dijkstra does) and a full run takes whichever it settles first.
      expect(differ / full.data.length, 'voxels that differ from a full run').to.be.below(0.003);
      expect(settled, 'voxels the update settled').to.be.below(0.6 * full.data.length);
    } finally {
      session.dispose();
    }
  });

  it('rejects with aborted when cancelled, and the session runs again afterwards', async () => {
    const session = createGrowFromSeedsSession(createPhantomStack({ size: 96, depth: 40 }));
    try {
      const seeds = blank(96, 96, 40);
      seeds.data[0] = 1;
      seeds.data[seeds.data.length - 1] = 2;
      const controller = new AbortController();
      const run = session.update(seeds, { signal: controller.signal, onProgress: () => controller.abort() });
      expect((await voxmarkRejection(run)).code).to.equal('aborted');
      const labels = await session.update(seeds);
      expect(labels.data[0]).to.equal(1);
      expect(labels.data[labels.data.length - 1]).to.equal(2);
    } finally {
      session.dispose();
    }
  });

  it("computes within the seeds' box grown by 10% unless given a box, and widens it for later seeds", async () => {
    const session = createGrowFromSeedsSession(stack);
    try {
      const seeds = blank(SIZE, SIZE, DEPTH);
      const at = (x: number, y: number, z: number) => z * SIZE * SIZE + y * SIZE + x;
      seeds.data[at(10, 10, 3)] = 1;
      seeds.data[at(39, 39, 12)] = 2; // box 30×30×10, grown by 3, 3 and 1
      const labels = await session.update(seeds);
      expect(labels.data[at(7, 7, 2)]).to.not.equal(0);
      expect(labels.data[at(6, 10, 3)]).to.equal(0);
      expect(labels.data[at(10, 10, 1)]).to.equal(0);
      expect(labels.data[at(42, 42, 13)]).to.not.equal(0);
      seeds.data[at(60, 60, 15)] = 2;
      const wider = await session.update(seeds);
      expect(wider.data[at(60, 60, 15)]).to.equal(2);
      expect(wider.data[at(6, 10, 3)]).to.not.equal(0);
    } finally {
      session.dispose();
    }
  });

  it('rejects seeds of another size and a box outside the stack', async () => {
    expect((await voxmarkRejection(growFromSeeds(stack, blank(SIZE, SIZE, DEPTH - 1)))).code).to.equal(
      'invalid-argument',
    );
    expect(() =>
      createGrowFromSeedsSession(stack, { box: { x: 60, y: 0, z: 0, width: 10, height: 1, depth: 1 } }),
    ).to.throw(/outside/);
  });
});

describe('growFromSeeds in a worker', function () {
  this.timeout(20_000);
  const workerUrl = new URL('./effects-worker.ts', import.meta.url);

  it('gives the same labels as the calling thread, within a box, and updates incrementally there', async () => {
    const { stack, t } = phantom(64, 16);
    const seeds = seedsFrom(t, 8);
    const box = { x: 4, y: 4, z: 1, width: 56, height: 56, depth: 14 };
    const worker = new Worker(workerUrl, { type: 'module' });
    try {
      const session = createGrowFromSeedsSession(stack, { worker, box });
      const progress: number[] = [];
      const there = await session.update(seeds, { onProgress: (p) => progress.push(p.done) });
      const here = await growFromSeeds(stack, seeds, { box });
      expect(there.data).to.deep.equal(here.data);
      expect(progress.length).to.be.greaterThan(0);
      expect(there.data[0]).to.equal(0); // outside the box
      const more = seedsFrom(t, 16, 5);
      const both: Volume = { ...seeds, data: seeds.data.map((x, i) => x || more.data[i]!) };
      const updatedThere = await session.update(both);
      const session2 = createGrowFromSeedsSession(stack, { box });
      await session2.update(seeds);
      expect(updatedThere.data).to.deep.equal((await session2.update(both)).data);
      session.dispose();
      session2.dispose();
    } finally {
      worker.terminate();
    }
  });

  it('cancels a run in the worker with aborted', async () => {
    const stack = createPhantomStack({ size: 96, depth: 40 });
    const worker = new Worker(workerUrl, { type: 'module' });
    try {
      const seeds = blank(96, 96, 40);
      seeds.data[0] = 1;
      seeds.data[seeds.data.length - 1] = 2;
      const controller = new AbortController();
      const run = growFromSeeds(stack, seeds, {
        worker,
        signal: controller.signal,
        onProgress: () => controller.abort(),
      });
      expect((await voxmarkRejection(run)).code).to.equal('aborted');
    } finally {
      worker.terminate();
    }
  });

  it('rejects with unsupported when the worker fails', async () => {
    const stack = createPhantomStack({ size: 16, depth: 4 });
    // A worker module that fails as it loads, like one built without serveEffectRequests' dependencies.
    const url = URL.createObjectURL(
      new Blob(['throw new Error("broken build")'], { type: 'text/javascript' }),
    );
    const worker = new Worker(url, { type: 'module' });
    try {
      const seeds = blank(16, 16, 4);
      seeds.data[0] = 1;
      seeds.data[seeds.data.length - 1] = 2;
      expect((await voxmarkRejection(growFromSeeds(stack, seeds, { worker }))).code).to.equal('unsupported');
    } finally {
      worker.terminate();
      URL.revokeObjectURL(url);
    }
  });
});
