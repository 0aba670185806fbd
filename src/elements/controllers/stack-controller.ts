/**
 * Stack loading for a viewer: the load task, the current slice, and the decoded frame on screen.
 * @module
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { ErrorCode, VoxmarkError, isAbortError, toVoxmarkError } from '../../core/errors.js';
import { loadImageStack } from '../../core/load.js';
import { SliceLoader } from '../../core/image/slice-loader.js';
import type { Frame, ImageInput, ImageStack, StackMetadata } from '../../core/image/types.js';
import { VxFilesSkippedEvent, VxSeriesFoundEvent } from '../events.js';

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
  /**
   * The stack whose frames show for `stack`: a plane of it (`reformatStack`), or the stack itself (default).
   * Slice indices count that stack's frames.
   */
  display?(stack: ImageStack): ImageStack;
}

/**
 * One load task at a time, each with its own `AbortSignal`: a new `open()`, or a stack the host sets, aborts
 * the one in flight. Slices decode lazily through a {@link SliceLoader}: only the current slice's frame is
 * ever shown, so a slow decode of a slice the user scrolled past never replaces a newer one.
 */
export class StackController implements ReactiveController {
  stack: ImageStack | undefined;
  /** The stack the frames come from: `stack`, or the plane of it on screen (see `StackEvents.display`). */
  shown: ImageStack | undefined;
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
  /** What `open` read last, for `openSeries`. */
  #inputs: ImageInput | ImageInput[] | undefined;
  #progressTimer: ReturnType<typeof setTimeout> | undefined;
  /** A frame of the current stack has been shown (the next one is not its first). */
  #shownOnce = false;
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

  /**
   * Reads files or URLs into a stack and shows it; aborts any load in flight. Inputs that hold no image are
   * skipped (listed in `stack.metadata.skipped`); of several DICOM series, `series` picks one (default the
   * largest; all are listed in `stack.metadata.series`).
   */
  async open(inputs: ImageInput | ImageInput[], series: 'largest' | number = 'largest'): Promise<void> {
    this.#task?.abort();
    const task = new AbortController();
    this.#task = task;
    this.#inputs = inputs;
    this.error = undefined;
    this.#host.requestUpdate();
    try {
      const stack = await loadImageStack(inputs, { signal: task.signal, series });
      if (task.signal.aborted) return;
      this.set(stack);
      const skipped = stack.metadata.skipped as { name: string }[] | undefined;
      if (skipped?.length) {
        const names = skipped.map((f) => f.name).join(', ');
        this.live = `Skipped ${skipped.length} file${skipped.length === 1 ? '' : 's'} that hold no image: ${names}`;
      }
      this.#announce(stack);
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

  /** Puts `text` in the polite live region (until the next slice change says where scrolling stopped). */
  announce(text: string): void {
    this.live = text;
    this.#host.requestUpdate();
  }

  /** Tells the page what the load passed over, and which other series the files hold. */
  #announce(stack: ImageStack): void {
    const target = this.#host as unknown as EventTarget;
    if (typeof target.dispatchEvent !== 'function') return;
    const meta = stack.metadata as StackMetadata;
    if (meta.skipped?.length) target.dispatchEvent(new VxFilesSkippedEvent(meta.skipped));
    if (meta.series && meta.series.length > 1)
      target.dispatchEvent(new VxSeriesFoundEvent(meta.series, meta.seriesIndex ?? 0));
  }

  /** Opens series `index` of the files last opened (see `stack.metadata.series`). */
  openSeries(index: number): Promise<void> {
    const inputs = this.#inputs;
    if (inputs === undefined) return Promise.resolve();
    return this.open(inputs, index);
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
    this.shown = stack;
    this.frame = undefined;
    this.frameSlice = -1;
    this.error = undefined;
    this.#shownOnce = false;
    this.#events.replaced(stack);
    if (stack && !(stack.depth >= 1)) {
      this.#fail(new VoxmarkError(ErrorCode.NoPixelData, 'The image stack has no slices'));
    } else if (stack) {
      const shown = this.#events.display?.(stack) ?? stack;
      // A plane other than the acquisition opens at its middle slice (its first is the edge of the body).
      this.#start(shown, shown === stack ? this.slice : Math.floor(shown.depth / 2));
    } else {
      this.slice = 0;
    }
    this.#events.changed(old);
  }

  /**
   * Shows the current stack through another display stack (another plane), from slice `slice`; the stack
   * stays, and the next frame shown is not a first frame (no `vx-load`, the window stays).
   */
  redisplay(slice: number): void {
    const stack = this.stack;
    if (!stack || !(stack.depth >= 1)) return;
    this.#loader?.dispose();
    this.#loader = undefined;
    this.frame = undefined;
    this.frameSlice = -1;
    this.error = undefined;
    this.#start(this.#events.display?.(stack) ?? stack, slice);
  }

  #start(shown: ImageStack, slice: number): void {
    this.shown = shown;
    this.slice = Math.min(Math.max(0, Math.round(slice) || 0), shown.depth - 1);
    if (!Number.isFinite(this.slice) || this.slice < 0) this.slice = 0;
    const loader = new SliceLoader(shown);
    this.#loader = loader;
    loader.onFrame = (index, frame) => {
      if (index === this.slice) this.#show(index, frame);
    };
    loader.onError = (index, error) => {
      if (index === this.slice) this.#fail(error);
    };
    this.#request(this.slice);
  }

  /** The slice `value` leads to (rounded, clamped), or undefined when it is the current one or not a number. */
  target(value: number): number | undefined {
    let next = Math.round(value);
    if (!Number.isFinite(next)) return undefined;
    next = this.shown ? Math.min(Math.max(0, next), this.shown.depth - 1) : Math.max(0, next);
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
      if (!this.shown) return;
      this.live = `Slice ${this.slice + 1} of ${this.shown.depth}`;
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
    const first = !this.#shownOnce;
    this.#shownOnce = true;
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
