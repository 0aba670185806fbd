/**
 * Stack loading for a viewer: the load task, the current slice, and the decoded frame on screen.
 * @module
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { ErrorCode, VoxmarkError, isAbortError, toVoxmarkError } from '../../core/errors.js';
import { loadImageStack } from '../../core/load.js';
import { SliceLoader } from '../../core/image/slice-loader.js';
import type { Frame, ImageInput, ImageStack } from '../../core/image/types.js';

/**
 * Where loading stands, as one value:
 * - `empty`: no stack and nothing loading (the drop zone shows);
 * - `loading`: files are being read, or the first slice of the stack is decoding;
 * - `ready`: a slice is on screen;
 * - `error`: the last load or decode failed (the error shows, over the last image if there is one).
 */
export type LoadPhase = 'empty' | 'loading' | 'ready' | 'error';

/** What the stack controller tells its element. */
export interface StackEvents {
  /** A new stack (or none) replaces the old one, before its first slice is requested. */
  replaced(stack: ImageStack | undefined): void;
  /** `frame` of slice `index` is the one to show; `first` for the first frame of a stack. */
  shown(index: number, frame: Frame, first: boolean): void;
  /** Loading or decoding the current slice failed. */
  failed(error: VoxmarkError): void;
  /** The stack changed (after `replaced` and any synchronous `shown`). */
  changed(old: ImageStack | undefined): void;
}

/**
 * One load task at a time, each with its own `AbortSignal`: a new `open()`, or a stack the host sets, aborts
 * the one in flight. Slices decode lazily through a {@link SliceLoader}: only the current slice's frame is
 * ever shown, so a slow decode of a slice the user scrolled past never replaces a newer one.
 */
export class StackController implements ReactiveController {
  stack: ImageStack | undefined;
  /** Current slice index. */
  slice = 0;
  /** The decoded frame on screen, and the slice it belongs to (lags `slice` while a slice decodes). */
  frame: Frame | undefined;
  frameSlice = -1;
  error: VoxmarkError | undefined;
  /** The current slice has been decoding long enough to show the quiet indicator. */
  decoding = false;
  /** Where scrolling stopped, for screen readers ("Slice 3 of 40"). */
  live = '';
  #host: ReactiveControllerHost;
  #events: StackEvents;
  #loader: SliceLoader | undefined;
  #task: AbortController | undefined;
  #progressTimer: ReturnType<typeof setTimeout> | undefined;
  #liveTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(host: ReactiveControllerHost, events: StackEvents) {
    this.#host = host;
    this.#events = events;
    host.addController(this);
  }

  get phase(): LoadPhase {
    if (this.error) return 'error';
    if (this.#task || (this.stack && !this.frame)) return 'loading';
    return this.stack ? 'ready' : 'empty';
  }

  /** True while files or URLs are being read (before their stack exists). */
  get reading(): boolean {
    return this.#task !== undefined;
  }

  hostDisconnected(): void {
    clearTimeout(this.#progressTimer);
    clearTimeout(this.#liveTimer);
  }

  /** Reads files or URLs into a stack and shows it; aborts any load in flight. */
  async open(inputs: ImageInput | ImageInput[]): Promise<void> {
    this.#task?.abort();
    const task = new AbortController();
    this.#task = task;
    this.error = undefined;
    this.#host.requestUpdate();
    try {
      const stack = await loadImageStack(inputs, { signal: task.signal });
      if (task.signal.aborted) return;
      this.set(stack);
    } catch (e) {
      if (task.signal.aborted || isAbortError(e)) return;
      this.#fail(toVoxmarkError(e, ErrorCode.NotAnImage, 'Opening the image failed'));
    } finally {
      if (this.#task === task) {
        this.#task = undefined;
        this.#host.requestUpdate();
      }
    }
  }

  /** Aborts the load in flight, if any. */
  abort(): void {
    this.#task?.abort();
  }

  /** Shows `stack` (or nothing) from its current slice on. */
  set(stack: ImageStack | undefined): void {
    const old = this.stack;
    this.#loader?.dispose();
    this.#loader = undefined;
    this.stack = stack;
    this.frame = undefined;
    this.frameSlice = -1;
    this.error = undefined;
    this.#events.replaced(stack);
    if (stack && !(stack.depth >= 1)) {
      this.#fail(new VoxmarkError(ErrorCode.NoPixelData, 'The image stack has no slices'));
    } else if (stack) {
      this.slice = Math.min(Math.max(0, Math.round(this.slice) || 0), stack.depth - 1);
      if (!Number.isFinite(this.slice) || this.slice < 0) this.slice = 0;
      const loader = new SliceLoader(stack);
      this.#loader = loader;
      loader.onFrame = (index, frame) => {
        if (index === this.slice) this.#show(index, frame);
      };
      loader.onError = (index, error) => {
        if (index === this.slice) this.#fail(error);
      };
      this.#request(this.slice);
    } else {
      this.slice = 0;
    }
    this.#events.changed(old);
  }

  /** The slice `value` leads to (rounded, clamped), or undefined when it is the current one or not a number. */
  target(value: number): number | undefined {
    let next = Math.round(value);
    if (!Number.isFinite(next)) return undefined;
    next = this.stack ? Math.min(Math.max(0, next), this.stack.depth - 1) : Math.max(0, next);
    return next === this.slice ? undefined : next;
  }

  /** Moves to slice `next` (from {@link StackController.target}) and requests its frame; returns the previous one. */
  goTo(next: number): number {
    const previous = this.slice;
    this.slice = next;
    if (this.#loader) this.#request(next, previous);
    clearTimeout(this.#liveTimer);
    // Polite and debounced: a screen reader hears where scrolling stopped, not every slice on the way.
    this.#liveTimer = setTimeout(() => {
      if (!this.stack) return;
      this.live = `Slice ${this.slice + 1} of ${this.stack.depth}`;
      this.#host.requestUpdate();
    }, 400);
    return previous;
  }

  #request(index: number, previous?: number): void {
    const frame = this.#loader!.request(index, previous);
    if (frame) this.#show(index, frame);
    else this.#startProgress();
  }

  #show(index: number, frame: Frame): void {
    const first = this.frame === undefined;
    this.frame = frame;
    this.frameSlice = index;
    this.decoding = false;
    this.error = undefined;
    clearTimeout(this.#progressTimer);
    this.#events.shown(index, frame, first);
    this.#host.requestUpdate();
  }

  #fail(error: VoxmarkError): void {
    this.error = error;
    this.decoding = false;
    clearTimeout(this.#progressTimer);
    this.#events.failed(error);
    this.#host.requestUpdate();
  }

  #startProgress(): void {
    clearTimeout(this.#progressTimer);
    // Quiet: only show the indicator when a decode takes long enough to notice.
    this.#progressTimer = setTimeout(() => {
      if (this.frameSlice !== this.slice && this.stack) {
        this.decoding = true;
        this.#host.requestUpdate();
      }
    }, 120);
  }
}
