/**
 * The Konva side of `<vx-viewer>`: one stage per viewer, and the part of the layer contract that is about
 * drawing. Konva and the renderers load with the first viewer (one shared `import()`, see `stage-loader.ts`);
 * until then a viewer has no stage, and `updateComplete` waits for it, so `await viewer.updateComplete` still
 * means "drawn". Viewers made once it is loaded get their stage in their constructor.
 * @module
 */
import { LitElement } from 'lit';
import { ContextEvent, type Context } from '@lit/context';
import type Konva from 'konva/lib/Core';
import { VoxmarkError, ErrorCode } from '../../core/errors.js';
import type { LayerOptions, StageLayer, ViewerStage } from '../../render/viewer-stage.js';
import type { ViewState } from '../../render/view.js';
import { VxErrorEvent } from '../events.js';
import { viewerHostContext } from '../viewer-host.js';
import {
  StageSlot,
  loadStageModules,
  stageFreeConsumers,
  stageModules,
  type StageModules,
} from './stage-loader.js';

/** Base of `<vx-viewer>`: owns the stage; layers draw into it once it exists (see `updateComplete`). */
export abstract class ViewerStageElement extends LitElement {
  /** The element the stage draws into (the image area). */
  protected readonly container = Object.assign(document.createElement('div'), { className: 'stage' });
  /** The stage once made, and what waits for it (the image painter, the annotation renderer). */
  protected readonly stageSlot = new StageSlot();
  #view: ViewState | undefined;
  readonly #ready: Promise<void>;

  constructor() {
    super();
    // Host-written layers may make Konva nodes as soon as they get the viewer: they get it with its stage.
    this.addEventListener('context-request', (e) => this.#deferContext(e));
    const modules = stageModules();
    if (modules) {
      this.#makeStage(modules);
      this.#ready = Promise.resolve();
    } else {
      this.#ready = loadStageModules().then(
        (m) => this.#makeStage(m),
        (cause: unknown) => {
          const error = new VoxmarkError(ErrorCode.FetchFailed, 'Could not load the viewer’s drawing code', {
            cause,
          });
          this.dispatchEvent(new VxErrorEvent(error));
        },
      );
    }
  }

  /** The stage, once Konva has loaded (`await viewer.updateComplete`); before that, undefined. */
  protected get viewerStage(): ViewerStage | undefined {
    return this.stageSlot.stage;
  }

  #makeStage(modules: StageModules): void {
    const stage = new modules.ViewerStage(this.container);
    if (this.#view) stage.setView(this.#view);
    this.stageSlot.fill(stage, modules);
    stage.requestDraw();
  }

  /** Holds a `viewerHostContext` request from a consumer that may draw until the stage exists. */
  #deferContext(e: ContextEvent<Context<unknown, unknown>>): void {
    if (e.context !== viewerHostContext || this.viewerStage) return;
    const target = (e.contextTarget ?? e.composedPath()[0]) as Element;
    if (target === this || stageFreeConsumers.has(target)) return;
    e.stopImmediatePropagation();
    const { context, callback, subscribe } = e;
    this.stageSlot.when(() => target.dispatchEvent(new ContextEvent(context, target, callback, subscribe)));
  }

  /** Resolves once the viewer is rendered and its stage exists (Konva loads with the first viewer). */
  protected override async getUpdateComplete(): Promise<boolean> {
    if (!this.viewerStage) await this.#ready;
    return super.getUpdateComplete();
  }

  #required(): ViewerStage {
    const stage = this.viewerStage;
    if (stage) return stage;
    throw new VoxmarkError(
      ErrorCode.Unsupported,
      'The viewer’s stage is not made yet: await viewer.updateComplete before drawing into it',
    );
  }

  /** The one Konva stage of this viewer (once `updateComplete` has resolved). */
  get stage(): Konva.Stage {
    return this.#required().stage;
  }
  /** The Konva layer that shows the image (lowest). Do not draw on it. */
  get imageLayer(): Konva.Layer {
    return this.#required().imageLayer;
  }
  /** A shared image-space layer above the image, for light annotation shapes. */
  get annotationLayer(): StageLayer {
    return this.#required().annotationLayer;
  }
  /** Adds a Konva layer above the image (see `ViewerHost.createLayer`). */
  createLayer(name: string, options?: LayerOptions): StageLayer {
    return this.#required().createLayer(name, options);
  }
  /** Asks for a redraw of `layer` (or of every layer) in the next animation frame. */
  requestDraw(layer?: Konva.Layer | StageLayer): void {
    this.viewerStage?.requestDraw(layer);
  }
  /** Resolves once everything pending is drawn on screen (the next animation frame). */
  get renderComplete(): Promise<void> {
    return this.updateComplete.then(() => this.viewerStage?.nextDraw());
  }
  /** Draws pending changes now, synchronously. For tests and benchmarks. */
  flushDraw(): void {
    this.viewerStage?.flush();
  }

  /** Resolves after the stage's next draw (once it exists: Konva may still be loading). */
  protected nextDraw(): Promise<void> {
    return this.viewerStage?.nextDraw() ?? this.renderComplete;
  }

  /** The view changed: the stage follows it (now, or when it is made). */
  protected setStageView(view: ViewState): void {
    this.#view = view;
    this.viewerStage?.setView(view);
  }
}
