/** Shared pieces of the serializers and exporters. DOM-free. */
import type { Annotation, MaskAnnotation, VolumeAnnotation } from '../annotation/types.js';
import { ErrorCode, VoxmarkError, throwIfAborted } from '../errors.js';
import type { ImageStack, SliceRef } from '../image/types.js';

/**
 * What the exporters read from a document: its annotations (an AnnotationDocument, its `toJSON()`, a parsed
 * voxmark document, or any object with `annotations`). Masks are read from `annotation.mask` ({ rle, bbox }),
 * volumes from its `slices` (a `VolumeRle`).
 */
export interface DocumentLike {
  readonly annotations: readonly Annotation[];
}

/** Progress of a long export: `done` of `total` steps (slices or annotations). */
export interface ExportProgress {
  done: number;
  total: number;
  phase?: string;
}

/** Options every long-running export accepts. */
export interface ExportOptions {
  /** Called as the export advances (at most about every 16 ms, and once at the end). */
  onProgress?: (p: ExportProgress) => void;
  signal?: AbortSignal;
}

/**
 * Cooperative scheduler for long exports: `tick()` yields to the event loop (a macrotask, so input and
 * rendering get a turn) once ~12 ms of work has passed, and reports progress.
 */
export class Chunker {
  #last = now();
  #lastReport = -Infinity;
  constructor(
    private readonly options: ExportOptions,
    private readonly total: number,
    private readonly phase?: string,
  ) {}

  async tick(done: number): Promise<void> {
    throwIfAborted(this.options.signal);
    const t = now();
    if (this.options.onProgress && (t - this.#lastReport > 16 || done === this.total)) {
      this.#lastReport = t;
      this.options.onProgress({ done, total: this.total, ...(this.phase ? { phase: this.phase } : {}) });
    }
    if (t - this.#last > 12) {
      await yieldToEventLoop();
      throwIfAborted(this.options.signal);
      this.#last = now();
    }
  }
}

function now(): number {
  return typeof performance !== 'undefined' ? performance.now() : Date.now();
}

/** Yields to the event loop: `scheduler.yield()` where there is one, else a setTimeout macrotask. */
export function yieldToEventLoop(): Promise<void> {
  const G = globalThis as { scheduler?: { yield?: () => Promise<void> } };
  if (G.scheduler?.yield) return G.scheduler.yield();
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/** The slice references of a stack, as plain objects (only the fields that are set). */
export function sliceRefs(stack: Pick<ImageStack, 'slices'>): SliceRef[] {
  return stack.slices.map((s) => {
    const r: SliceRef = {};
    if (s.sopInstanceUID !== undefined) r.sopInstanceUID = s.sopInstanceUID;
    if (s.frameNumber !== undefined) r.frameNumber = s.frameNumber;
    if (s.page !== undefined) r.page = s.page;
    if (s.position) r.position = [s.position[0], s.position[1], s.position[2]];
    return r;
  });
}

/**
 * Annotations grouped by slice, in document order within a slice, for writers that work slice by slice. A
 * volume is listed on every slice it has voxels on, as a mask annotation of that slice (same id, label and
 * attributes; see `volumeSlices`), so every mask writer writes its voxels unchanged.
 */
export function bySlice(annotations: readonly Annotation[]): Map<number, Annotation[]> {
  const m = new Map<number, Annotation[]>();
  for (const v of annotations) {
    for (const a of v.kind === 'volume' ? volumeSlices(v) : [v]) {
      let list = m.get(a.slice);
      if (!list) m.set(a.slice, (list = []));
      list.push(a);
    }
  }
  return m;
}

/** A volume annotation as one mask annotation per painted slice (its serialized RLE, nothing decoded). */
export function volumeSlices(v: VolumeAnnotation): MaskAnnotation[] {
  return v.mask.slices.map(({ z, rle, bbox }) => {
    const a = { ...v, kind: 'mask', slice: z, mask: { rle, bbox } } as MaskAnnotation;
    return a;
  });
}

export function invalidArgument(message: string, details?: unknown): VoxmarkError {
  return new VoxmarkError(ErrorCode.InvalidArgument, message, details === undefined ? {} : { details });
}

export { isRecord } from '../util/guards.js';

/** The voxmark package version written as the generator of files. */
export const GENERATOR = { name: 'voxmark', version: '0.1.0' } as const;
