/**
 * The viewport of a viewer: zoom, the image point at the centre of the view, and the view size.
 * @module
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { ImageStack } from '../../core/image/types.js';
import { clampZoom, fitView, pixelAspect, viewState, zoomAt, type ViewState } from '../../render/view.js';

/**
 * `fit`: the image fills the view and follows every resize (the state after a load, `F`, `R`, `fit()`).
 * `manual`: the user or host zoomed or panned; a resize keeps the zoom and the centre.
 */
export type ViewportMode = 'fit' | 'manual';

/** What the viewport reads from its element. */
export interface ViewportHost extends ReactiveControllerHost, HTMLElement {
  /** The stack as shown (the plane on screen): its size and spacing are the image's. */
  readonly plane: ImageStack | undefined;
}

/** Called after every change of the view: the old zoom, and whether a user gesture made it. */
export type ViewChanged = (view: ViewState, oldZoom: number, user: boolean) => void;

/**
 * Owns zoom and pan as one mode (`fit` or `manual`) plus the view size, measured by a ResizeObserver while
 * the element is connected. Every change goes through {@link ViewportController.set} or
 * {@link ViewportController.fit}, and is reported once through `changed`.
 */
export class ViewportController implements ReactiveController {
  mode: ViewportMode = 'fit';
  #host: ViewportHost;
  #changed: ViewChanged;
  #zoom = 1;
  #cx = 0;
  #cy = 0;
  #width = 0;
  #height = 0;
  #observer: ResizeObserver | undefined;

  constructor(host: ViewportHost, changed: ViewChanged) {
    this.#host = host;
    this.#changed = changed;
    host.addController(this);
  }

  get zoom(): number {
    return this.#zoom;
  }
  get centerX(): number {
    return this.#cx;
  }
  get centerY(): number {
    return this.#cy;
  }
  /** View height in CSS pixels. */
  get height(): number {
    return this.#height;
  }

  /** Height of a pixel relative to its width, from the stack's spacing. */
  get aspect(): number {
    return pixelAspect(this.#host.plane?.spacing);
  }

  /** The full mapping between image pixels and the view. */
  get state(): ViewState {
    return viewState({
      zoom: this.#zoom,
      centerX: this.#cx,
      centerY: this.#cy,
      aspect: this.aspect,
      width: this.#width,
      height: this.#height,
    });
  }

  hostConnected(): void {
    this.#observer = new ResizeObserver((entries) => {
      const box = entries[entries.length - 1]!.contentRect;
      this.resize(box.width, box.height);
    });
    this.#observer.observe(this.#host);
  }

  hostDisconnected(): void {
    this.#observer?.disconnect();
    this.#observer = undefined;
  }

  /** The view has a new size: a fitted image is fitted again, a manual view keeps zoom and centre. */
  resize(width: number, height: number): void {
    if (width === this.#width && height === this.#height) return;
    this.#width = width;
    this.#height = height;
    if (this.mode === 'fit') this.#applyFit(false);
    else this.#apply(this.#zoom, this.#cx, this.#cy, false);
  }

  /** Fits the image to the view, and keeps it fitted on resize. */
  fit(user: boolean): void {
    this.mode = 'fit';
    this.#applyFit(user);
  }

  /** Sets zoom and centre (non-finite values keep the current ones) and leaves fit mode. */
  set(view: { zoom?: number; centerX?: number; centerY?: number }, user: boolean): void {
    this.mode = 'manual';
    const finite = (v: number | undefined, fallback: number) => (Number.isFinite(v) ? v! : fallback);
    const zoom = view.zoom !== undefined && view.zoom > 0 ? clampZoom(view.zoom) : this.#zoom;
    this.#apply(zoom, finite(view.centerX, this.#cx), finite(view.centerY, this.#cy), user);
  }

  /** Zooms by `factor` keeping the image point under (clientX, clientY) where it is. */
  zoomAtClient(factor: number, clientX: number, clientY: number): void {
    const r = this.#host.getBoundingClientRect();
    const z = zoomAt(this.state, this.#zoom * factor, clientX - r.left, clientY - r.top);
    this.set(z, true);
  }

  #applyFit(user: boolean): void {
    const stack = this.#host.plane;
    if ((this.#width === 0 || this.#height === 0) && this.#host.isConnected) {
      // Before the first ResizeObserver report: measure once so the first frame is already fitted.
      const r = this.#host.getBoundingClientRect();
      this.#width = r.width;
      this.#height = r.height;
    }
    if (!stack) {
      this.#apply(1, 0, 0, false);
      return;
    }
    const f = fitView(stack.width, stack.height, this.aspect, this.#width, this.#height);
    this.#apply(f.zoom, f.centerX, f.centerY, user);
  }

  #apply(zoom: number, cx: number, cy: number, user: boolean): void {
    const oldZoom = this.#zoom;
    this.#zoom = zoom;
    this.#cx = cx;
    this.#cy = cy;
    this.#changed(this.state, oldZoom, user);
  }
}
