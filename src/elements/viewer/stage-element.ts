/**
 * The Konva side of `<vx-viewer>`: one stage per viewer, created with the element, and the part of the layer
 * contract that is about drawing.
 * @module
 */
import { LitElement } from 'lit';
import type Konva from 'konva/lib/Core';
import { ViewerStage, type LayerOptions, type StageLayer } from '../../render/viewer-stage.js';

/** Base of `<vx-viewer>`: owns the stage; layers draw into it from the viewer's construction on. */
export abstract class ViewerStageElement extends LitElement {
  /** The element the stage draws into (the image area). */
  protected readonly container = Object.assign(document.createElement('div'), { className: 'stage' });
  protected readonly viewerStage = new ViewerStage(this.container);

  /** The one Konva stage of this viewer. */
  get stage(): Konva.Stage {
    return this.viewerStage.stage;
  }
  /** The Konva layer that shows the image (lowest). Do not draw on it. */
  get imageLayer(): Konva.Layer {
    return this.viewerStage.imageLayer;
  }
  /** A shared image-space layer above the image, for light annotation shapes. */
  get annotationLayer(): StageLayer {
    return this.viewerStage.annotationLayer;
  }
  /** Adds a Konva layer above the image (see `ViewerHost.createLayer`). */
  createLayer(name: string, options?: LayerOptions): StageLayer {
    return this.viewerStage.createLayer(name, options);
  }
  /** Asks for a redraw of `layer` (or of every layer) in the next animation frame. */
  requestDraw(layer?: Konva.Layer | StageLayer): void {
    this.viewerStage.requestDraw(layer);
  }
  /** Resolves once everything pending is drawn on screen (the next animation frame). */
  get renderComplete(): Promise<void> {
    return this.updateComplete.then(() => this.viewerStage.nextDraw());
  }
  /** Draws pending changes now, synchronously. For tests and benchmarks. */
  flushDraw(): void {
    this.viewerStage.flush();
  }
}
