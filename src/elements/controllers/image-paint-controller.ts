/**
 * Paints the frame on screen into the viewer's image layer: window/level through the image renderer, at
 * about screen resolution for minified large images, refined when the page is idle.
 * @module
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { Frame, ImageStack, VoiLutFunction } from '../../core/image/types.js';
import { isMonochrome1 } from '../../core/image/voi.js';
import { ImageRenderer } from '../../render/image-renderer.js';
import type { ViewState } from '../../render/view.js';
import type { StageSlot } from '../viewer/stage-loader.js';

/** What the painter reads when it paints. */
export interface PaintInput {
  readonly stack: ImageStack | undefined;
  readonly frame: Frame | undefined;
  readonly view: ViewState;
  readonly window: { center: number; width: number; fn: VoiLutFunction; invert: boolean };
}

/**
 * Paints lazily: `invalidate()` marks the image dirty and asks the stage for a draw; the stage calls back
 * before drawing, so any number of changes within a frame cost one render.
 */
export class ImagePaintController implements ReactiveController {
  readonly renderer = new ImageRenderer();
  #host: ReactiveControllerHost & { readonly isConnected: boolean };
  #stage: StageSlot;
  #input: () => PaintInput;
  #dirty = false;
  #refineHandle: number | undefined;
  #refineTarget: { frame: Frame; step: number } | undefined;

  constructor(
    host: ReactiveControllerHost & { readonly isConnected: boolean },
    stage: StageSlot,
    input: () => PaintInput,
  ) {
    this.#host = host;
    this.#stage = stage;
    this.#input = input;
    // Konva loads with the first viewer: the painter paints from the stage's first draw on.
    stage.when((s) => (s.beforeDraw = () => this.#paint()));
    host.addController(this);
  }

  hostDisconnected(): void {
    if (this.#refineHandle === undefined) return;
    if (typeof cancelIdleCallback === 'function') cancelIdleCallback(this.#refineHandle);
    else clearTimeout(this.#refineHandle);
    this.#refineHandle = undefined;
  }

  /** The image must be rendered again (new frame, window, VOI function). */
  invalidate(): void {
    this.#dirty = true;
    const stage = this.#stage.stage;
    stage?.requestDraw(stage.imageLayer);
  }

  /** The view changed: render again only when the decimation step changes. */
  viewChanged(): void {
    const { frame, view } = this.#input();
    if (frame && decimationStep(frame, view) !== this.renderer.step) this.invalidate();
  }

  #paint(): void {
    const { stack, frame, view, window } = this.#input();
    if (!this.#dirty || !frame || !stack) return;
    this.#dirty = false;
    const invert = window.invert !== isMonochrome1(stack);
    const storedRange = stack.metadata.storedRange as [number, number] | undefined;
    const step = decimationStep(frame, view);
    const r = this.renderer;
    r.render(frame, stack.dataType, { ...window, invert }, storedRange, step);
    // Called by the stage before it draws: it exists.
    const stage = this.#stage.stage!;
    const node = stage.imageNode;
    if (node.image() !== r.canvas || node.width() !== r.coverWidth || node.height() !== r.coverHeight) {
      stage.setImage(r.canvas, r.coverWidth, r.coverHeight);
    }
    if (!r.isRefined(frame, step)) this.#scheduleRefine(frame, step);
  }

  /**
   * When idle, replaces the quick nearest-sample rendering of a minified large image with an
   * area-averaged one, a few rows per idle period so scrolling never waits for it.
   */
  #scheduleRefine(frame: Frame, step: number): void {
    this.#refineTarget = { frame, step };
    if (this.#refineHandle !== undefined) return;
    const idle: (cb: (d?: IdleDeadline) => void) => number =
      typeof requestIdleCallback === 'function'
        ? (cb) => requestIdleCallback(cb, { timeout: 500 })
        : (cb) => setTimeout(() => cb(), 50) as unknown as number;
    const run = (deadline?: IdleDeadline) => {
      this.#refineHandle = undefined;
      const target = this.#refineTarget;
      const { frame: current, view } = this.#input();
      // Only while that frame at that step is still what the view needs.
      if (
        !target ||
        current !== target.frame ||
        decimationStep(current, view) !== target.step ||
        !this.#host.isConnected
      ) {
        this.#refineTarget = undefined;
        return;
      }
      const budget = Math.max(2, Math.min(8, (deadline?.timeRemaining() ?? 8) - 1));
      if (this.renderer.refine(target.frame, target.step, budget)) {
        this.#refineTarget = undefined;
        this.invalidate();
      } else {
        this.#refineHandle = idle(run);
      }
    };
    this.#refineHandle = idle(run);
  }
}

/**
 * How many image pixels to skip per rendered pixel: large images shown minified are rendered at about
 * screen resolution (a power of two that keeps at least one rendered pixel per device pixel).
 */
export function decimationStep(frame: Frame, view: ViewState): number {
  if (frame.width * frame.height < (2048 * 2048) / 2) return 1;
  const perDevicePixel = Math.min(view.scaleX, view.scaleY) * (globalThis.devicePixelRatio || 1);
  if (!(perDevicePixel > 0) || perDevicePixel >= 0.5) return 1;
  return Math.min(64, 2 ** Math.floor(Math.log2(1 / perDevicePixel)));
}
