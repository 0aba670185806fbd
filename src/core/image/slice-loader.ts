/**
 * Lazy slice loading for a viewer: decodes the current slice, aborts decodes the user has scrolled
 * away from, and prefetches the slices around the current one (more in the direction of travel),
 * keeping only that neighbourhood in its own cache.
 *
 * A decode has a role that can change while it runs: a prefetch becomes the current decode when the
 * user arrives at its slice, and the current decode becomes a prefetch when the user moves on but
 * its slice is still near (so scrolling by one through slow slices wastes no work). Whatever is
 * neither current nor near is aborted.
 * @module
 */
import { isAbortError, toVoxmarkError, ErrorCode, type VoxmarkError } from '../errors.js';
import type { Frame, ImageStack } from './types.js';

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

  /** The current slice's frame arrived. */
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

  /** Slices being decoded in the background now (for tests and diagnostics). */
  get prefetching(): number[] {
    return [...this.#prefetch.keys()];
  }

  /**
   * Makes `index` the current slice: returns its frame when already decoded, else makes sure it is
   * decoding and returns undefined; `onFrame` fires when it arrives.
   */
  request(index: number, previous?: number): Frame | undefined {
    if (previous !== undefined && previous !== index) this.#direction = index > previous ? 1 : -1;
    const near = this.#near(index);
    const current = this.#current;
    if (current && current.index !== index) {
      this.#current = undefined;
      // Still near: let it finish as a prefetch. Far: nobody will look at it.
      if (near.has(current.index) && !this.#prefetch.has(current.index))
        this.#prefetch.set(current.index, current.controller);
      else current.controller.abort();
    }
    this.#pruneTo(near);
    const have = this.peek(index);
    if (have) {
      this.#frames.set(index, have);
      this.#schedulePrefetch(index);
      return have;
    }
    if (!this.#current) {
      const running = this.#prefetch.get(index);
      if (running) {
        // Already decoding in the background: it becomes the current decode.
        this.#prefetch.delete(index);
        this.#current = { index, controller: running };
      } else {
        this.#current = { index, controller: this.#start(index) };
      }
    }
    return undefined;
  }

  /** Starts decoding `index`; what happens on completion depends on its role by then. */
  #start(index: number): AbortController {
    const controller = new AbortController();
    this.#stack.getFrame(index, { signal: controller.signal }).then(
      (frame) => {
        if (this.#disposed) return;
        if (this.#prefetch.get(index) === controller) this.#prefetch.delete(index);
        this.#frames.set(index, frame);
        if (this.#current?.controller === controller) {
          this.#current = undefined;
          this.onFrame?.(index, frame);
          this.#schedulePrefetch(index);
        } else {
          this.#pump();
        }
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
    return controller;
  }

  /** The slice and its prefetch neighbourhood, nearest first. */
  #window(center: number): number[] {
    const out: number[] = [];
    const depth = this.#stack.depth;
    for (let k = 1; k <= Math.max(this.#ahead, this.#behind); k++) {
      if (k <= this.#ahead) out.push(center + k * this.#direction);
      if (k <= this.#behind) out.push(center - k * this.#direction);
    }
    return out.filter((i) => i >= 0 && i < depth);
  }

  #near(center: number): Set<number> {
    return new Set([center, ...this.#window(center)]);
  }

  /** Aborts background decodes outside `keep`. */
  #pruneTo(keep: Set<number>): void {
    for (const [i, c] of this.#prefetch) {
      if (!keep.has(i)) {
        c.abort();
        this.#prefetch.delete(i);
      }
    }
    this.#queue = this.#queue.filter((i) => keep.has(i));
  }

  #schedulePrefetch(center: number): void {
    this.#pruneTo(this.#near(center));
    this.#trim(center);
    this.#queue = this.#window(center).filter((i) => !this.peek(i) && !this.#prefetch.has(i));
    this.#pump();
  }

  #pump(): void {
    while (this.#prefetch.size < this.#concurrency && this.#queue.length > 0 && !this.#disposed) {
      const index = this.#queue.shift()!;
      if (this.peek(index) || this.#prefetch.has(index) || this.#current?.index === index) continue;
      this.#prefetch.set(index, this.#start(index));
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
