/**
 * The Konva side of one viewer: one stage with three canvases (the image underneath, the annotations, the
 * overlay), the annotation layers as groups on them, and a scheduler that draws what changed at most once per
 * animation frame.
 * @module
 */
// Konva's classes one by one, not its Core bundle: Core also brings Tween and Animation, which voxmark never uses.
import type Konva from 'konva/lib/Core';
import { Stage } from 'konva/lib/Stage';
import { Layer } from 'konva/lib/Layer';
import { Group } from 'konva/lib/Group';
import { Image as KonvaImage } from 'konva/lib/shapes/Image';
import type { ViewState } from './view.js';

/** Options for `ViewerStage.createLayer`. */
export interface LayerOptions {
  /** Stacking order among annotation layers; higher draws on top. Default 0. The image is always below. */
  zIndex?: number;
  /** When false, the layer is not moved with the image (screen-space layer). Default true. */
  imageSpace?: boolean;
  /**
   * Put the layer on the overlay canvas above the annotations: for what redraws often and holds few nodes
   * (tool previews, handles, cursors), so that redrawing it leaves the annotations canvas alone. Default false.
   */
  overlay?: boolean;
}

/**
 * A layer made by `createLayer`: a Konva group on one of the stage's shared canvases (Konva layers), drawn
 * through the viewer's scheduler. `draw()` and `batchDraw()` redraw the canvas it is on, at most once per frame.
 */
export type StageLayer = Konva.Group & {
  batchDraw(): StageLayer;
  /** The canvas element this layer draws on, shared with the other layers of its canvas. */
  getNativeCanvasElement(): HTMLCanvasElement;
};

/** Something the scheduler draws: one of the three canvases, or a layer (group) on one of them. */
type Drawable = Konva.Layer | StageLayer;

interface LayerEntry {
  node: StageLayer;
  canvas: Konva.Layer;
  imageSpace: boolean;
  zIndex: number;
}

/**
 * One stage per viewer. Create it with a container div that is (or will be) in the document.
 *
 * The stage has three Konva layers (canvases), as Konva recommends at most a handful: the image, the
 * annotations, and the overlay. Every layer that `createLayer` makes is a group on the annotations or the
 * overlay canvas, stacked by `zIndex`, carrying the image transform itself when it is image-space.
 */
export class ViewerStage {
  readonly stage: Konva.Stage;
  readonly imageLayer: Konva.Layer;
  /** A shared image-space layer above the image (the lowest group of the annotations canvas). */
  readonly annotationLayer: StageLayer;
  readonly imageNode: KonvaImage;
  /** Called at the start of every scheduled draw, before any layer draws (render image pixels here). */
  beforeDraw: (() => void) | undefined;
  /** Milliseconds the last scheduled draw took (beforeDraw included). */
  lastDrawMs = 0;

  readonly #annotations: Konva.Layer;
  readonly #overlay: Konva.Layer;
  #entries: LayerEntry[] = [];
  #dirty = new Set<Drawable>();
  /** Canvases drawn in the current draw round (see #round), each at most once. */
  #drawn = new Set<Konva.Layer>();
  #depth = 0;
  #raf = 0;
  #waiters: (() => void)[] = [];
  #view: ViewState | undefined;
  #destroyed = false;

  constructor(container: HTMLDivElement) {
    this.stage = new Stage({ container, width: 1, height: 1 });
    this.imageLayer = this.#newCanvas('vx-image');
    this.imageNode = new KonvaImage({ image: undefined, x: 0, y: 0, listening: false, visible: false });
    this.imageLayer.add(this.imageNode);
    this.#annotations = this.#newCanvas('vx-annotation-canvas');
    this.#overlay = this.#newCanvas('vx-overlay');
    this.stage.add(this.imageLayer, this.#annotations, this.#overlay);
    this.annotationLayer = this.createLayer('vx-annotations');
  }

  /** Adds a layer above the image: a group on the annotations (or overlay) canvas. See ViewerHost.createLayer. */
  createLayer(name: string, options: LayerOptions = {}): StageLayer {
    const canvas = options.overlay ? this.#overlay : this.#annotations;
    const node = this.#newGroup(name, canvas);
    const entry: LayerEntry = {
      node,
      canvas,
      imageSpace: options.imageSpace ?? true,
      zIndex: options.zIndex ?? 0,
    };
    this.#entries.push(entry);
    canvas.add(node);
    node.on('destroy', () => {
      this.#entries = this.#entries.filter((e) => e.node !== node);
      this.#dirty.delete(node);
      this.requestDraw(canvas); // the canvas still shows what the group drew
    });
    this.#restack(canvas);
    if (this.#view && entry.imageSpace) applyTransform(node, this.#view);
    this.requestDraw(node);
    return node;
  }

  /**
   * A canvas whose redraw requests go through this stage. Routes Konva's own redraw requests (its auto-draw
   * after any attribute change, a stage resize, explicit `batchDraw()`) into this stage's scheduler and its
   * draw rounds, so each canvas draws at most once per frame together with everything else.
   */
  #newCanvas(name: string): Konva.Layer {
    // Created bare and adopted before any attribute is set: setting one already asks for a draw.
    const layer = new Layer();
    layer.batchDraw = () => {
      this.requestDraw(layer);
      return layer;
    };
    // Drawing a canvas is drawing its layers: each layer's own draw() (hooks included) then paints it once.
    layer.draw = () => {
      this.#round(() => {
        if (this.#drawn.has(layer)) return;
        const groups = this.#entries.filter((e) => e.canvas === layer);
        if (groups.length === 0) this.#paint(layer);
        for (const e of groups) e.node.draw();
      });
      return layer;
    };
    layer.name(name);
    layer.listening(false);
    return layer;
  }

  /** A layer (group) on `canvas`: drawing or batch-drawing it draws the canvas. */
  #newGroup(name: string, canvas: Konva.Layer): StageLayer {
    const group = new Group() as StageLayer;
    group.batchDraw = () => {
      this.requestDraw(group);
      return group;
    };
    group.draw = () => {
      this.#round(() => this.#paint(canvas));
      return group;
    };
    group.getNativeCanvasElement = () => canvas.getNativeCanvasElement();
    group.name(name);
    return group;
  }

  /** Runs `draw` as one draw round: a canvas asked for several times in it paints once. */
  #round(draw: () => void): void {
    this.#depth++;
    try {
      draw();
    } finally {
      if (--this.#depth === 0) this.#drawn.clear();
    }
  }

  #paint(canvas: Konva.Layer): void {
    if (this.#drawn.has(canvas)) return;
    this.#drawn.add(canvas);
    Layer.prototype.draw.call(canvas);
  }

  #restack(canvas: Konva.Layer): void {
    const sorted = this.#entries.filter((e) => e.canvas === canvas).sort((a, b) => a.zIndex - b.zIndex);
    sorted.forEach((e, i) => e.node.zIndex(i));
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
    applyTransform(this.imageLayer, view);
    for (const e of this.#entries) {
      if (e.imageSpace) applyTransform(e.node, view);
    }
    const width = Math.max(1, view.width);
    const height = Math.max(1, view.height);
    if (this.stage.width() !== width || this.stage.height() !== height) {
      // Konva redraws every canvas at once when the stage is resized, with the transforms set above:
      // only what was already pending (e.g. a new image to render) still needs the next frame.
      this.stage.size({ width, height });
      this.#dirty = pending;
    } else {
      this.#markAll();
    }
    this.#schedule();
  }

  get view(): ViewState | undefined {
    return this.#view;
  }

  /** Redraws `layer` (or every layer) in the next animation frame. */
  requestDraw(layer?: Drawable): void {
    if (layer) this.#dirty.add(layer);
    else this.#markAll();
    this.#schedule();
  }

  #markAll(): void {
    this.#dirty.add(this.imageLayer);
    for (const e of this.#entries) this.#dirty.add(e.node);
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
    this.#round(() => {
      for (const node of this.#dirty) {
        // A layer whose canvas a sibling already drew in this round is drawn: not twice.
        const canvas = node instanceof Layer ? node : node.getLayer();
        if (!canvas || !this.#drawn.has(canvas)) node.draw();
      }
    });
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

function applyTransform(layer: Konva.Container, v: ViewState): void {
  layer.position({ x: v.offsetX, y: v.offsetY });
  layer.scale({ x: v.scaleX, y: v.scaleY });
}
