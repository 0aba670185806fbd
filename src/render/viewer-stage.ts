/**
 * The Konva side of one viewer: one stage, the image layer underneath, image-space annotation layers
 * above it, and a scheduler that draws what changed at most once per animation frame.
 * @module
 */
// Konva's classes one by one, not its Core bundle: Core also brings Tween and Animation, which voxmark never uses.
import type Konva from 'konva/lib/Core';
import { Stage } from 'konva/lib/Stage';
import { Layer } from 'konva/lib/Layer';
import { Image as KonvaImage } from 'konva/lib/shapes/Image';
import type { ViewState } from './view.js';

/** Options for `ViewerStage.createLayer`. */
export interface LayerOptions {
  /** Stacking order among annotation layers; higher draws on top. Default 0. The image is always below. */
  zIndex?: number;
  /** When false, the layer is not moved with the image (screen-space layer). Default true. */
  imageSpace?: boolean;
}

interface LayerEntry {
  layer: Konva.Layer;
  imageSpace: boolean;
  zIndex: number;
}

/** One stage per viewer. Create it with a container div that is (or will be) in the document. */
export class ViewerStage {
  readonly stage: Konva.Stage;
  readonly imageLayer: Konva.Layer;
  readonly annotationLayer: Konva.Layer;
  readonly imageNode: KonvaImage;
  /** Called at the start of every scheduled draw, before any layer draws (render image pixels here). */
  beforeDraw: (() => void) | undefined;
  /** Milliseconds the last scheduled draw took (beforeDraw included). */
  lastDrawMs = 0;

  #entries: LayerEntry[] = [];
  #dirty = new Set<Konva.Layer>();
  #raf = 0;
  #waiters: (() => void)[] = [];
  #view: ViewState | undefined;
  #destroyed = false;

  constructor(container: HTMLDivElement) {
    this.stage = new Stage({ container, width: 1, height: 1 });
    this.imageLayer = this.#newLayer('vx-image');
    this.imageNode = new KonvaImage({ image: undefined, x: 0, y: 0, listening: false, visible: false });
    this.imageLayer.add(this.imageNode);
    this.stage.add(this.imageLayer);
    this.#entries.push({ layer: this.imageLayer, imageSpace: true, zIndex: -Infinity });
    this.annotationLayer = this.createLayer('vx-annotations');
  }

  /** Adds a Konva layer above the image. See ViewerHost.createLayer. */
  createLayer(name: string, options: LayerOptions = {}): Konva.Layer {
    const layer = this.#newLayer(name);
    const entry: LayerEntry = { layer, imageSpace: options.imageSpace ?? true, zIndex: options.zIndex ?? 0 };
    this.#entries.push(entry);
    this.stage.add(layer);
    layer.on('destroy', () => {
      this.#entries = this.#entries.filter((e) => e.layer !== layer);
      this.#dirty.delete(layer);
    });
    this.#restack();
    if (this.#view && entry.imageSpace) applyTransform(layer, this.#view);
    this.requestDraw(layer);
    return layer;
  }

  /**
   * A new layer whose redraw requests go through this stage. Routes Konva's own redraw requests (its auto-draw after any attribute change, and explicit
   * `layer.batchDraw()`) into this stage's scheduler, so each layer draws at most once per frame
   * together with everything else, instead of in a separate animation frame of its own.
   */
  #newLayer(name: string): Konva.Layer {
    // Created bare and adopted before any attribute is set: setting one already asks for a draw.
    const layer = new Layer();
    layer.batchDraw = () => {
      this.requestDraw(layer);
      return layer;
    };
    layer.name(name);
    layer.listening(false);
    return layer;
  }

  #restack(): void {
    const sorted = [...this.#entries].sort((a, b) => a.zIndex - b.zIndex);
    sorted.forEach((e, i) => e.layer.zIndex(i));
  }

  /** Sets the image shown (an offscreen canvas) and its size in image pixels. */
  setImage(source: CanvasImageSource | undefined, width: number, height: number): void {
    this.imageNode.image(source);
    this.imageNode.width(width);
    this.imageNode.height(height);
    this.imageNode.visible(!!source);
    this.requestDraw(this.imageLayer);
  }

  /** Applies a new view to every image-space layer and schedules their redraw. */
  setView(view: ViewState): void {
    this.#view = view;
    const pending = new Set(this.#dirty);
    // Nearest-neighbour above 1:1 so annotators see the real pixels; smooth when minifying.
    this.imageLayer.imageSmoothingEnabled(view.scaleX < 1 || view.scaleY < 1);
    for (const e of this.#entries) {
      if (e.imageSpace) applyTransform(e.layer, view);
    }
    const width = Math.max(1, view.width);
    const height = Math.max(1, view.height);
    if (this.stage.width() !== width || this.stage.height() !== height) {
      // Konva redraws every layer at once when the stage is resized, with the transforms set above:
      // only what was already pending (e.g. a new image to render) still needs the next frame.
      this.stage.size({ width, height });
      this.#dirty = pending;
    } else {
      for (const e of this.#entries) this.#dirty.add(e.layer);
    }
    this.#schedule();
  }

  get view(): ViewState | undefined {
    return this.#view;
  }

  /** Redraws `layer` (or every layer) in the next animation frame. */
  requestDraw(layer?: Konva.Layer): void {
    if (layer) this.#dirty.add(layer);
    else for (const e of this.#entries) this.#dirty.add(e.layer);
    this.#schedule();
  }

  /** Resolves after the next scheduled draw (immediately scheduled if nothing is pending). */
  nextDraw(): Promise<void> {
    return new Promise((resolve) => {
      this.#waiters.push(resolve);
      this.#schedule();
    });
  }

  /** Draws everything pending now, synchronously (tests and benchmarks). */
  flush(): void {
    if (this.#raf) cancelAnimationFrame(this.#raf);
    this.#raf = 0;
    this.#draw();
  }

  #schedule(): void {
    if (this.#raf || this.#destroyed) return;
    this.#raf = requestAnimationFrame(() => {
      this.#raf = 0;
      this.#draw();
    });
  }

  #draw(): void {
    const t0 = performance.now();
    this.beforeDraw?.();
    for (const e of this.#entries) {
      if (this.#dirty.has(e.layer)) e.layer.draw();
    }
    this.#dirty.clear();
    this.lastDrawMs = performance.now() - t0;
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const w of waiters) w();
  }

  destroy(): void {
    this.#destroyed = true;
    if (this.#raf) cancelAnimationFrame(this.#raf);
    this.#raf = 0;
    this.stage.destroy();
    for (const w of this.#waiters) w();
    this.#waiters = [];
  }
}

function applyTransform(layer: Konva.Layer, v: ViewState): void {
  layer.position({ x: v.offsetX, y: v.offsetY });
  layer.scale({ x: v.scaleX, y: v.scaleY });
}
