/**
 * Grow from seeds for `<vx-segment-effects>`: the seed strokes are the document's mask annotations (brush
 * strokes on any slice), one seed label per annotation label; a session keeps the last result, so a stroke
 * added afterwards updates it instead of starting over.
 * @module
 */
import type { AnnotationDocument } from '../../core/annotation/document.js';
import type { Annotation } from '../../core/annotation/types.js';
import type { GrowFromSeedsSession } from '../../core/effects/grow-from-seeds.js';
import { loadEffects } from './load-effects.js';
import type { ImageStack } from '../../core/image/types.js';
import { createVolume, type Volume } from '../../core/mask/volume.js';

/** Seeds built from a document: the label volume and which annotation label each seed value stands for. */
export interface Seeds {
  volume: Volume;
  /** labels[k − 1] is the annotation label of seed value k. */
  labels: string[];
  /** The mask annotations the seeds came from. */
  ids: string[];
}

/** Every mask annotation's pixels as seeds, one value per label, in the order labels first appear. */
export function seedsFrom(doc: AnnotationDocument, depth: number): Seeds {
  const volume = createVolume(doc.width, doc.height, depth);
  const area = doc.width * doc.height;
  const labels: string[] = [];
  const ids: string[] = [];
  for (const a of doc.annotations) {
    if (a.kind !== 'mask' || a.slice >= depth) continue;
    const full = doc.getSparseMask(a.id)?.toFull();
    if (!full) continue;
    if (!labels.includes(a.label)) labels.push(a.label);
    const value = labels.indexOf(a.label) + 1;
    ids.push(a.id);
    const base = a.slice * area;
    for (let i = 0; i < area; i++) if (full[i]) volume.data[base + i] = value;
  }
  return { volume, labels, ids };
}

/** One grow-from-seeds session on a stack, reused while its stack stays the same. */
export class GrowRunner {
  private session: GrowFromSeedsSession | undefined;
  private controller: AbortController | undefined;

  constructor(private readonly worker: () => Worker | undefined) {}

  /** Runs (or updates) the session on `seeds`; `onProgress` gets the settled fraction. Rejects 'aborted' on cancel. */
  async run(stack: ImageStack, seeds: Volume, onProgress: (fraction: number) => void): Promise<Volume> {
    if (this.session?.stack !== stack) this.reset();
    const { createGrowFromSeedsSession } = await loadEffects();
    if (this.session?.stack !== stack) this.reset();
    this.session ??= createGrowFromSeedsSession(stack, { worker: this.worker() });
    this.controller?.abort();
    const controller = new AbortController();
    this.controller = controller;
    try {
      return await this.session.update(seeds, {
        signal: controller.signal,
        onProgress: (p) => onProgress(p.total ? p.done / p.total : 1),
      });
    } finally {
      if (this.controller === controller) this.controller = undefined;
    }
  }

  /** Cancels the run in progress (its promise rejects with 'aborted'). */
  cancel(): void {
    this.controller?.abort();
  }

  get running(): boolean {
    return this.controller !== undefined;
  }

  /** Drops the session: the next run starts over. */
  reset(): void {
    this.cancel();
    this.session?.dispose();
    this.session = undefined;
  }
}

/**
 * Writes a grow-from-seeds result as one undo step: the seed strokes are removed, and every label but
 * `background` gets one new volume instance of the voxels that grew to it. Returns the new volumes' ids.
 */
export function applyGrow(
  doc: AnnotationDocument,
  seeds: Seeds,
  result: Volume,
  background: string | undefined,
): string[] {
  return doc.transact(() => {
    const ids: string[] = [];
    seeds.labels.forEach((label, k) => {
      if (label === background) return;
      const data = new Uint8Array(result.data.length);
      for (let i = 0; i < data.length; i++) if (result.data[i] === k + 1) data[i] = 1;
      ids.push((doc.add({ kind: 'volume', label, mask: { data } }) as Annotation).id);
    });
    if (seeds.ids.length) doc.remove(seeds.ids);
    return ids;
  });
}
