/**
 * Window/level of a viewer: centre, width, inversion, VOI function and presets.
 * @module
 */
import type { Frame, ImageStack, VoiLutFunction, WindowPreset } from '../../core/image/types.js';
import { initialWindow, sampleRange, voiFunction } from '../../core/image/voi.js';
import { CT_PRESETS } from '../../core/image/window.js';
import { VxWindowChangeEvent, type ChangeSource } from '../events.js';

/** What the window reads from its element. */
export interface WindowHost extends HTMLElement {
  requestUpdate(name?: PropertyKey, oldValue?: unknown): void;
  readonly stack: ImageStack | undefined;
  /** The decoded frame on screen. */
  readonly frame: Frame | undefined;
}

/** Range of modality values each decoded frame uses (window drag and key step sensitivity). */
const frameSpans = new WeakMap<Frame, number>();

/**
 * Holds the window (a plain state holder: it needs no part of the element's lifecycle) and reports every change once: to the element (`changed`, which redraws the image) and,
 * for user changes (a `source`), to the page as `vx-window-change`. A window the host sets before the first
 * frame of a stack applies to that stack; otherwise every stack opens with its own initial window.
 */
export class WindowController {
  #host: WindowHost;
  #changed: () => void;
  #center = NaN;
  #width = NaN;
  #invert = false;
  #fn: VoiLutFunction | undefined;
  #presets: WindowPreset[] | undefined;
  /** The host set the window before the first frame of the stack: keep it for that stack. */
  #fromHost = false;

  constructor(host: WindowHost, changed: () => void) {
    this.#host = host;
    this.#changed = changed;
  }

  get center(): number {
    return this.#center;
  }
  get width(): number {
    return this.#width;
  }
  get invert(): boolean {
    return this.#invert;
  }

  /** Colour images have no window. */
  get colour(): boolean {
    return (this.#host.stack?.samplesPerPixel ?? 1) >= 3;
  }

  /** The narrowest window: 1 for integer data, the smallest float otherwise. */
  get minWidth(): number {
    const dt = this.#host.stack?.dataType;
    return dt === 'float32' || dt === 'float64' ? Number.EPSILON : 1;
  }

  /** The presets for keys 1–5: the host's, else the CT ones for CT, then the file's own windows. */
  get presets(): WindowPreset[] {
    if (this.#presets) return this.#presets;
    const stack = this.#host.stack;
    if (!stack) return [];
    const own = stack.windowPresets ?? [];
    if (String(stack.metadata.modality ?? '').toUpperCase() === 'CT') {
      // The stack may list the standard CT windows itself: keep each window once.
      const standard = (p: WindowPreset) =>
        CT_PRESETS.some((q) => q.center === p.center && q.width === p.width);
      return [...CT_PRESETS.map((p) => ({ ...p })), ...own.filter((p) => !standard(p))];
    }
    return [...own];
  }
  set presets(value: WindowPreset[] | undefined) {
    this.#presets = value ? [...value] : undefined;
  }

  /** VOI function: the file's (LINEAR by default) unless set. */
  get fn(): VoiLutFunction {
    return this.#fn ?? (this.#host.stack ? voiFunction(this.#host.stack) : 'LINEAR');
  }
  set fn(value: VoiLutFunction | undefined) {
    this.#fn = value;
    this.#changed();
  }

  /**
   * Sets centre and width; non-numbers keep the current value. `source` says which user gesture did it (then
   * `vx-window-change` fires); without one, before the stack's first frame, it is the host's window.
   */
  set(center: number, width: number, source: ChangeSource | undefined): void {
    const oldC = this.#center;
    const oldW = this.#width;
    if (!Number.isFinite(center)) center = oldC;
    const w = Number.isFinite(width) ? Math.max(width, this.minWidth) : oldW;
    if (Object.is(center, oldC) && Object.is(w, oldW)) return;
    this.#center = center;
    this.#width = w;
    if (!source && !this.#host.frame) this.#fromHost = true;
    this.#changed();
    this.#host.requestUpdate('windowCenter', oldC);
    this.#host.requestUpdate('windowWidth', oldW);
    if (source) this.#host.dispatchEvent(new VxWindowChangeEvent(center, w, this.#invert, source));
  }

  setInvert(value: boolean, source: ChangeSource | undefined): void {
    if (value === this.#invert) return;
    this.#invert = value;
    this.#changed();
    this.#host.requestUpdate('invert', !value);
    if (source) this.#host.dispatchEvent(new VxWindowChangeEvent(this.#center, this.#width, value, source));
  }

  /** Applies preset `index` (0-based). */
  applyPreset(index: number, source: ChangeSource | undefined): boolean {
    const p = this.presets[index];
    if (!p || this.colour) return false;
    this.set(p.center, p.width, source);
    return true;
  }

  /** Moves the window by key steps (`dw` wider, `dc` level up), each one drag pixel ×10 (Shift: ×50). */
  nudge(dc: number, dw: number, shift: boolean): boolean {
    if (!this.#host.frame || this.colour || !Number.isFinite(this.#center)) return false;
    const step = this.sensitivity * (shift ? 50 : 10);
    this.set(this.#center + dc * step, Math.max(this.minWidth, this.#width + dw * step), 'keyboard');
    return true;
  }

  /** A new stack: forget the window unless the host set one for it. */
  newStack(): void {
    if (this.#fromHost) return;
    this.#center = NaN;
    this.#width = NaN;
  }

  /** The stack's first frame is on screen: its initial window, unless one is set. */
  firstFrame(stack: ImageStack, frame: Frame): void {
    if (!Number.isFinite(this.#center) || !Number.isFinite(this.#width)) {
      const w = initialWindow(stack, frame);
      this.#center = w.center;
      this.#width = w.width;
    }
    // A window the host set before loading applies to this stack only; later stacks open with their own.
    this.#fromHost = false;
  }

  /** The initial window of the stack and inversion off. */
  reset(source: ChangeSource | undefined): void {
    const { stack, frame } = this.#host;
    if (frame && stack) {
      const w = initialWindow(stack, frame);
      this.set(w.center, w.width, source);
    }
    this.setInvert(false, source);
  }

  /** Modality units per pixel of window drag: about 1/1024 of the value range (4 HU for CT), ≥ 1 for integers. */
  get sensitivity(): number {
    const { stack, frame } = this.#host;
    if (!stack || !frame) return 1;
    const range = stack.metadata.storedRange as [number, number] | undefined;
    let span = range ? (range[1] - range[0]) * Math.abs(frame.rescaleSlope || 1) : NaN;
    // Many CT and MR files keep 12 bits of signal in 16 stored bits: with the whole 16-bit range, one
    // pixel of drag was 64 HU and one Ctrl+arrow press closed a 400 HU window. Twice the range the slice
    // actually uses bounds it.
    let used = frameSpans.get(frame);
    if (used === undefined) {
      const [lo, hi] = sampleRange(frame.data);
      used = (hi - lo) * Math.abs(frame.rescaleSlope || 1);
      frameSpans.set(frame, used);
    }
    if (used > 0 && span > 2 * used) span = 2 * used;
    if (!Number.isFinite(span) || span <= 0) span = Math.max(this.#width * 4, 1);
    const m = span / 1024;
    return stack.dataType.startsWith('float') ? m : Math.max(1, Math.round(m));
  }
}
