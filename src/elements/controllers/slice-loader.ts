/**
 * Lazy slice loading for a viewer: decodes the current slice, aborts the decode when the user moves
 * on before it finishes, and prefetches the slices around the current one (more in the direction of
 * travel), keeping only that neighbourhood in its own cache.
 * @module
 */
import { isAbortError, toVoxmarkError, ErrorCode, type VoxmarkError } from '../../core/errors.js';
import type { Frame, ImageStack } from '../../core/image/types.js';

export interface SliceLoaderOptions {
  /** Slices prefetched ahead in the direction of travel. Default 6. */
  ahead?: number;
  /** Slices prefetched behind. Default 2. */
  behind?: number;
  /** Concurrent prefetch decodes. Default 2. */
  concurrency?: number;
}

interface Peekable {
  peekFrame?(index: number): Frame | undefined;
}

/** Loads frames of one stack for one viewer. */
export class SliceLoader {
  #stack: ImageStack;
  #frames = new Map<number, Frame>();
  #current: { index: number; controller: AbortController } | undefined;
  #prefetch = new Map<number, AbortController>();
  #queue: number[] = [];
  #direction = 1;
  #ahead: number;
  #behind: number;
  #concurrency: number;
  #disposed = false;

  /** The frame of `index` arrived (current or prefetched). */
  onFrame: ((index: number, frame: Frame) => void) | undefined;
  /** The current slice failed to decode. */
  onError: ((index: number, error: VoxmarkError) => void) | undefined;

  constructor(stack: ImageStack, options: SliceLoaderOptions = {}) {
    this.#stack = stack;
    this.#ahead = options.ahead ?? 6;
    this.#behind = options.behind ?? 2;
    this.#concurrency = options.concurrency ?? 2;
  }

  /** The frame if it is decoded, without waiting. */
  peek(index: number): Frame | undefined {
    return this.#frames.get(index) ?? (this.#stack as Peekable).peekFrame?.(index);
  }

  /** Whether the current slice is still decoding. */
  get busy(): boolean {
    return this.#current !== undefined;
  }

  /**
   * Makes `index` the current slice: returns its frame when already decoded, else starts decoding it
   * (aborting the previous current decode) and returns undefined; `onFrame` fires when it arrives.
   */
  request(index: number, previous?: number): Frame | undefined {
    if (previous !== undefined && previous !== index) this.#direction = index > previous ? 1 : -1;
    const have = this.peek(index);
    if (this.#current && this.#current.index !== index) {
      this.#current.controller.abort();
      this.#current = undefined;
    }
    if (have) {
      this.#frames.set(index, have);
      this.#schedulePrefetch(index);
      return have;
    }
    // Prefetches far from the new slice are stale now: stop them before starting anything new.
    this.#pruneTo(index);
    if (!this.#current) {
      const prefetching = this.#prefetch.get(index);
      // A prefetch of this slice already runs: let it finish as the current decode.
      if (prefetching) {
        this.#prefetch.delete(index);
        this.#current = { index, controller: prefetching };
        return undefined;
      }
      const controller = new AbortController();
      this.#current = { index, controller };
      this.#stack.getFrame(index, { signal: controller.signal }).then(
        (frame) => {
          if (this.#disposed) return;
          if (this.#current?.controller === controller) this.#current = undefined;
          this.#frames.set(index, frame);
          this.#trim(index);
          this.onFrame?.(index, frame);
          this.#schedulePrefetch(index);
        },
        (error: unknown) => {
          if (this.#current?.controller === controller) this.#current = undefined;
          if (this.#disposed || isAbortError(error) || controller.signal.aborted) return;
          this.onError?.(index, toVoxmarkError(error, ErrorCode.CodecFailed, `Slice ${index + 1}`));
        },
      );
    }
    return undefined;
  }

  #window(center: number): number[] {
    const out: number[] = [];
    const depth = this.#stack.depth;
    const ahead = this.#ahead;
    const behind = this.#behind;
    for (let k = 1; k <= Math.max(ahead, behind); k++) {
      if (k <= ahead) out.push(center + k * this.#direction);
      if (k <= behind) out.push(center - k * this.#direction);
    }
    return out.filter((i) => i >= 0 && i < depth);
  }

  #pruneTo(center: number): Set<number> {
    const keep = new Set([center, ...this.#window(center)]);
    for (const [i, c] of this.#prefetch) {
      if (!keep.has(i)) {
        c.abort();
        this.#prefetch.delete(i);
      }
    }
    this.#queue = this.#queue.filter((i) => keep.has(i));
    return keep;
  }

  #schedulePrefetch(center: number): void {
    this.#pruneTo(center);
    const wanted = this.#window(center);
    this.#trim(center);
    this.#queue = wanted.filter((i) => !this.peek(i) && !this.#prefetch.has(i));
    this.#pump();
  }

  #pump(): void {
    while (this.#prefetch.size < this.#concurrency && this.#queue.length > 0 && !this.#disposed) {
      const index = this.#queue.shift()!;
      if (this.peek(index) || this.#prefetch.has(index) || this.#current?.index === index) continue;
      const controller = new AbortController();
      this.#prefetch.set(index, controller);
      this.#stack.getFrame(index, { signal: controller.signal }).then(
        (frame) => {
          if (this.#disposed) return;
          const wasPrefetch = this.#prefetch.get(index) === controller;
          if (wasPrefetch) this.#prefetch.delete(index);
          this.#frames.set(index, frame);
          if (!wasPrefetch && this.#current?.controller === controller) {
            // Promoted to the current decode by request().
            this.#current = undefined;
            this.onFrame?.(index, frame);
            this.#schedulePrefetch(index);
          }
          this.#pump();
        },
        (error: unknown) => {
          if (this.#prefetch.get(index) === controller) this.#prefetch.delete(index);
          if (this.#disposed) return;
          if (this.#current?.controller === controller) {
            this.#current = undefined;
            if (!isAbortError(error) && !controller.signal.aborted) {
              this.onError?.(index, toVoxmarkError(error, ErrorCode.CodecFailed, `Slice ${index + 1}`));
            }
          }
          this.#pump();
        },
      );
    }
  }

  /** Keeps only the neighbourhood of `center` in this loader's own cache (the stack may cache more). */
  #trim(center: number): void {
    const limit = this.#ahead + this.#behind + 2;
    for (const i of this.#frames.keys()) {
      if (Math.abs(i - center) > limit) this.#frames.delete(i);
    }
  }

  dispose(): void {
    this.#disposed = true;
    this.#current?.controller.abort();
    this.#current = undefined;
    for (const c of this.#prefetch.values()) c.abort();
    this.#prefetch.clear();
    this.#frames.clear();
    this.#queue = [];
  }
}
