/**
 * "Grow from seeds" on an image stack: seed strokes of two or more labels (background is a label too) grow
 * over the image until they meet, by Fast GrowCut (see grow-cut.ts). A session keeps the last result so that
 * adding a stroke updates it instead of starting over; it runs on the calling thread in chunks that yield, or
 * in a worker the host provides.
 * @module
 */
import { ErrorCode, VoxmarkError, throwIfAborted } from '../errors.js';
import type { ImageStack } from '../image/types.js';
import { type Volume, checkVolume } from '../mask/volume.js';
import {
  type Box3,
  type Bounds,
  boxBounds,
  checkpoint,
  crop,
  growBounds,
  insideBounds,
  invalid,
  paste,
} from './common.js';
import { EffectWorkerClient } from './effect-worker.js';
import { GrowCutEngine } from './grow-cut.js';
import { checkStack, readModalityValues } from './intensity.js';

/** Most voxels a grow-from-seeds region may have (for example 512×512×128); crop larger stacks with `box`. */
export const MAX_GROW_VOXELS = 2 ** 25;

export interface GrowFromSeedsSessionOptions {
  /**
   * Compute only inside this box: voxels outside it get label 0 and seeds outside it are ignored. Default,
   * as in Slicer: the bounding box of the seeds grown by 10% of its size on each side, which widens (and
   * restarts the session) when later seeds reach beyond it.
   */
  box?: Box3;
  /**
   * Run in this worker: one built from a module that calls `serveEffectRequests()`. The host owns it (start it
   * once, share it, terminate it when done). Default: on the calling thread, in chunks that yield.
   */
  worker?: Worker;
}

export interface GrowFromSeedsRunOptions {
  /** Aborting rejects with VoxmarkError 'aborted'; the next update then runs from scratch. */
  signal?: AbortSignal;
  /** Voxels settled so far out of the region's voxel count, about every 260 000 voxels. */
  onProgress?: (p: { done: number; total: number }) => void;
}

export interface GrowFromSeedsOptions extends GrowFromSeedsSessionOptions, GrowFromSeedsRunOptions {
  /** Update this session's last result instead of starting over (see createGrowFromSeedsSession). */
  session?: GrowFromSeedsSession;
}

/**
 * Grow from seeds on one stack, kept between updates. `update(seeds)` with the previous seeds plus new strokes
 * grows only the new strokes into the previous result; seeds that were removed or relabelled make it start
 * over. Updates run one after another. `dispose()` frees the memory (and the worker's copy).
 */
export interface GrowFromSeedsSession {
  readonly stack: ImageStack;
  update(seeds: Volume, options?: GrowFromSeedsRunOptions): Promise<Volume>;
  dispose(): void;
}

let nextSession = 1;

function checkRegion(b: Bounds): void {
  const [bw, bh, bd] = [b.x1 - b.x0, b.y1 - b.y0, b.z1 - b.z0];
  if (bw * bh * bd > MAX_GROW_VOXELS)
    throw new VoxmarkError(
      ErrorCode.TooLarge,
      `growFromSeeds: a ${bw}×${bh}×${bd} region is more than ${MAX_GROW_VOXELS} voxels; pass a smaller box`,
    );
}

const contains = (a: Bounds, b: Bounds) =>
  a.x0 <= b.x0 && a.y0 <= b.y0 && a.z0 <= b.z0 && a.x1 >= b.x1 && a.y1 >= b.y1 && a.z1 >= b.z1;

const union = (a: Bounds, b: Bounds): Bounds => ({
  x0: Math.min(a.x0, b.x0),
  y0: Math.min(a.y0, b.y0),
  z0: Math.min(a.z0, b.z0),
  x1: Math.max(a.x1, b.x1),
  y1: Math.max(a.y1, b.y1),
  z1: Math.max(a.z1, b.z1),
});

/**
 * Starts a grow-from-seeds session on a greyscale stack. It reads the stack's frames (within `box`) at the
 * first update.
 */
export function createGrowFromSeedsSession(
  stack: ImageStack,
  options: GrowFromSeedsSessionOptions = {},
): GrowFromSeedsSession {
  const session = new GrowSession(stack, options);
  return {
    stack,
    update: (seeds, o = {}) => session.update(seeds, o),
    dispose: () => session.dispose(),
  };
}

/** The state of one session: its region, its engine (or the worker holding it) and its queue of updates. */
class GrowSession {
  private readonly w: number;
  private readonly h: number;
  private readonly d: number;
  /** The region given by `box`, or null when it follows the seeds. */
  private readonly fixed: Bounds | null;
  /** The region computed in; null until the first update when it follows the seeds. */
  private region: Bounds | null;
  private readonly client: EffectWorkerClient | null;
  private readonly id = nextSession++;
  private engine: GrowCutEngine | null = null;
  /** Values read (and sent to the worker). */
  private ready: Promise<void> | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private disposed = false;

  constructor(
    private readonly stack: ImageStack,
    options: GrowFromSeedsSessionOptions,
  ) {
    checkStack(stack, 'growFromSeeds');
    const { width: w, height: h, depth: d } = stack;
    [this.w, this.h, this.d] = [w, h, d];
    this.fixed = options.box ? boxBounds(options.box, w, h, d, 'growFromSeeds') : null;
    if (this.fixed) checkRegion(this.fixed);
    this.region = this.fixed;
    this.client = options.worker ? new EffectWorkerClient(options.worker) : null;
  }

  update(seeds: Volume, o: GrowFromSeedsRunOptions): Promise<Volume> {
    const { w, h, d } = this;
    checkVolume(seeds, 'growFromSeeds');
    if (seeds.width !== w || seeds.height !== h || seeds.depth !== d)
      return Promise.reject(
        invalid(
          `growFromSeeds: seeds are ${seeds.width}×${seeds.height}×${seeds.depth}, the stack ${w}×${h}×${d}`,
        ),
      );
    const result = this.queue.then(() => this.run(seeds, o));
    this.queue = result.catch(() => undefined);
    return result;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.engine = null;
    if (this.client)
      void this.client
        .request({ voxmark: 'effect', op: 'grow-dispose', session: this.id })
        .catch(() => undefined);
  }

  /** One update: find the region, read it once, label it, and place the labels in a stack-sized volume. */
  private async run(seeds: Volume, o: GrowFromSeedsRunOptions): Promise<Volume> {
    const { w, h, d } = this;
    if (this.disposed) throw invalid('growFromSeeds: the session was disposed');
    throwIfAborted(o.signal);
    const region = this.fixed ?? this.followSeeds(seeds);
    if (!region) return { data: new Uint8Array(w * h * d), width: w, height: h, depth: d };
    await this.prepare(region, o.signal);
    const [bw, bh, bd] = [region.x1 - region.x0, region.y1 - region.y0, region.z1 - region.z0];
    const labels = await this.label(crop(seeds, region).data, o);
    const out: Volume = { data: new Uint8Array(w * h * d), width: w, height: h, depth: d };
    paste(out, { data: labels, width: bw, height: bh, depth: bd }, region);
    return out;
  }

  /**
   * The region that follows the seeds (null when there are none): their bounding box grown by 10% on each
   * side. A region that no longer holds it widens to hold both, and the session starts over in it.
   */
  private followSeeds(seeds: Volume): Bounds | null {
    const { w, h, d } = this;
    const seeded = insideBounds(seeds);
    if (!seeded) return null;
    const wanted = growBounds(
      seeded,
      Math.ceil(0.1 * (seeded.x1 - seeded.x0)),
      Math.ceil(0.1 * (seeded.y1 - seeded.y0)),
      Math.ceil(0.1 * (seeded.z1 - seeded.z0)),
      w,
      h,
      d,
    );
    const b = this.region;
    if (!b || !contains(b, wanted)) {
      this.region = b ? union(b, wanted) : wanted;
      checkRegion(this.region);
      this.ready = null;
      this.engine = null;
    }
    return this.region;
  }

  /** Reads the region's values once, into a new engine here or in the worker; a failed read is retried. */
  private prepare(region: Bounds, signal?: AbortSignal): Promise<void> {
    if (!this.ready) {
      const [bw, bh, bd] = [region.x1 - region.x0, region.y1 - region.y0, region.z1 - region.z0];
      const { client, id } = this;
      const ready = readModalityValues(this.stack, region, signal).then(async (values) => {
        if (client)
          await client.request(
            { voxmark: 'effect', op: 'grow-init', session: id, width: bw, height: bh, depth: bd, values },
            [values.buffer],
          );
        else this.engine = new GrowCutEngine(values, bw, bh, bd);
      });
      this.ready = ready;
      // A failed or aborted read is retried by the next update.
      ready.catch(() => (this.ready = null));
    }
    return this.ready;
  }

  /** Runs GrowCut on the region's seeds, in the worker or on this thread in chunks that yield. */
  private async label(part: Uint8Array, o: GrowFromSeedsRunOptions): Promise<Uint8Array> {
    if (this.client) {
      const answer = await this.client.request(
        { voxmark: 'effect', op: 'grow-run', session: this.id, seeds: part },
        [part.buffer],
        { signal: o.signal, onProgress: o.onProgress },
      );
      return answer!;
    }
    return this.engine!.run(part, (done, total) => checkpoint(o.signal, o.onProgress, done, total));
  }
}

/**
 * The Segment Editor's "Grow from seeds": `seeds` holds one label per voxel (0 = unseeded; strokes of two or
 * more labels, background included); resolves to a volume where every voxel of the region holds the label of
 * the seed it is closest to along the image (Fast GrowCut). With `options.session` the session's last result
 * is updated; otherwise a one-off session runs and is disposed. Runs in `options.worker` when given.
 *
 * Cost: O(voxels × 26) for a first run; an update costs the voxels whose label or distance changes.
 */
export async function growFromSeeds(
  stack: ImageStack,
  seeds: Volume,
  options: GrowFromSeedsOptions = {},
): Promise<Volume> {
  if (options.session) {
    if (options.session.stack !== stack) throw invalid('growFromSeeds: the session belongs to another stack');
    return options.session.update(seeds, options);
  }
  const session = createGrowFromSeedsSession(stack, options);
  try {
    return await session.update(seeds, options);
  } finally {
    session.dispose();
  }
}
