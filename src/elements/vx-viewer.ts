import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { ContextProvider } from '@lit/context';
import type Konva from 'konva/lib/Core';
import { ErrorCode, VoxmarkError, isAbortError, toVoxmarkError } from '../core/errors.js';
import { loadImageStack } from '../core/image/load.js';
import type { Frame, ImageInput, ImageStack, VoiLutFunction, WindowPreset } from '../core/image/types.js';
import { initialWindow, isMonochrome1, sampleRange, voiFunction } from '../core/image/voi.js';
import { CT_PRESETS } from '../core/image/window.js';
import { defaultKeymap, matchActions, matchPointerActions, type Keymap } from '../core/keymap.js';
import type { LabelSchema } from '../core/schema/types.js';
import { createAnnotationDocument, type AnnotationDocument } from '../core/annotation/document.js';
import { bindDocument } from '../core/formats/document.js';
import { ImageRenderer } from '../render/image-renderer.js';
import {
  clampZoom,
  fitView,
  imageToView,
  pixelAspect,
  viewState,
  viewToImage,
  zoomAt,
} from '../render/view.js';
import {
  viewerHostContext,
  type ActionHandler,
  type ImagePointerEvent,
  type LayerOptions,
  type ToolHandler,
  type ViewState,
  type ViewerChange,
  type ViewerHost,
} from './viewer-host.js';
import { ViewerStage } from '../render/viewer-stage.js';
import { CineController, type CineHost } from './controllers/cine-controller.js';
import { SliceLoader } from '../core/image/slice-loader.js';
import {
  VxErrorEvent,
  VxLoadEvent,
  VxSliceChangeEvent,
  VxToolChangeEvent,
  VxViewChangeEvent,
  VxWindowChangeEvent,
  type ChangeSource,
} from './events.js';

/** Keymap actions bound to pointer drags, and the gesture each starts. */
const DRAG_ACTIONS = new Map<string, 'window' | 'pan' | 'zoom' | 'scroll'>([
  ['window-drag', 'window'],
  ['pan-drag', 'pan'],
  ['zoom-drag', 'zoom'],
  ['slice-drag', 'scroll'],
]);

/** Built-in navigation tools; any other name is an annotation tool registered by a layer. */
export const NAVIGATION_TOOLS = ['window', 'pan', 'zoom', 'scroll'] as const;

type Drag =
  | { kind: 'window'; pointerId: number; x: number; y: number; center: number; width: number; step: number }
  | { kind: 'pan'; pointerId: number; x: number; y: number; cx: number; cy: number }
  | {
      kind: 'zoom';
      pointerId: number;
      x: number;
      y: number;
      zoom: number;
      vx: number;
      vy: number;
      view: ViewState;
    }
  | { kind: 'scroll'; pointerId: number; y: number; slice: number }
  | { kind: 'tool'; pointerId: number }
  | { kind: 'pinch'; pointerId: number; distance: number; ix: number; iy: number; zoom: number };

/** Plain-language text for an error, by code. */
function describeError(error: VoxmarkError): string {
  switch (error.code) {
    case ErrorCode.NotAnImage:
      return 'This file is not a DICOM or TIFF image.';
    case ErrorCode.Truncated:
      return 'The file is incomplete: it ends before the image does.';
    case ErrorCode.Corrupt:
      return 'The file is damaged and cannot be read.';
    case ErrorCode.UnsupportedTransferSyntax:
      return 'The image is compressed in a way this viewer cannot decode.';
    case ErrorCode.Unsupported:
      return 'This kind of image is not supported.';
    case ErrorCode.NoPixelData:
      return 'The file holds no image (it has no pixel data).';
    case ErrorCode.TooLarge:
      return 'The image is too large to open here.';
    case ErrorCode.MixedSeries:
      return 'The files belong to different series and cannot be shown as one stack.';
    case ErrorCode.FetchFailed:
      return 'The image could not be downloaded.';
    case ErrorCode.CodecFailed:
      return 'The image could not be decoded.';
    default:
      return 'The image could not be opened.';
  }
}

/**
 * A slice viewer for DICOM and TIFF stacks with PACS-style navigation, and the host of the annotation
 * layers placed inside it.
 *
 * @tag vx-viewer
 * @summary Scroll, window, zoom and pan through an image stack; hosts `<vx-*-layer>` annotation layers.
 *
 * @fires vx-load - The first slice of a new stack is on screen. `detail.stack`.
 * @fires vx-error - Loading or decoding failed. `detail.error` is a `VoxmarkError`.
 * @fires vx-slice-change - The user moved to another slice. `detail: { slice, previous, source }`.
 * @fires vx-window-change - The user changed window/level or inversion. `detail: { center, width, invert, source }`.
 * @fires vx-view-change - The user zoomed or panned. `detail: { zoom, centerX, centerY }`.
 * @fires vx-tool-change - The tool changed through a key binding. `detail: { tool, previous }`.
 *
 * @slot - Annotation layers (`<vx-box-layer>`, …). They draw into this viewer's Konva stage.
 * @slot file-input - Replaces the built-in file chooser shown when the viewer is empty. Any `<input type="file">` slotted here loads its files.
 *
 * @csspart view - The focusable image area.
 * @csspart overlay - The corner-text container.
 * @csspart overlay-top-left - Corner text: modality and series description.
 * @csspart overlay-top-right - Corner text: slice n/N and cine state.
 * @csspart overlay-bottom-left - Corner text: window C/W and zoom.
 * @csspart overlay-bottom-right - Corner text: value under the cursor, position in px and mm.
 * @csspart progress - The quiet indicator shown while a slice decodes.
 * @csspart error - The error message.
 * @csspart empty - The drop zone and file chooser shown before an image is loaded.
 *
 * @cssprop [--vx-viewer-background=#000] - Background behind the image.
 * @cssprop [--vx-overlay-color=#e8e8e8] - Overlay text colour.
 * @cssprop [--vx-overlay-font=12px/1.35 system-ui, sans-serif] - Overlay font.
 * @cssprop [--vx-overlay-shadow=0 0 3px #000, 0 0 2px #000, 0 1px 1px #000] - Overlay text shadow (legibility on bright images).
 * @cssprop [--vx-focus-ring=2px solid #4c9ffe] - Outline of the focused view.
 * @cssprop [--vx-progress-color=#4c9ffe] - Colour of the decode indicator.
 * @cssprop [--vx-error-color=#ffb4a9] - Error text colour.
 */
export class VxViewer extends LitElement implements ViewerHost, CineHost {
  static override shadowRootOptions: ShadowRootInit = {
    ...LitElement.shadowRootOptions,
    delegatesFocus: true,
  };

  static override styles = css`
    :host {
      display: block;
      position: relative;
      width: 100%;
      height: 400px;
      min-height: 64px;
      overflow: hidden;
      contain: strict;
      background: var(--vx-viewer-background, #000);
      color: var(--vx-overlay-color, #e8e8e8);
      user-select: none;
      -webkit-user-select: none;
      touch-action: none;
    }
    .view {
      position: absolute;
      inset: 0;
      outline: none;
    }
    .view:focus-visible {
      outline: var(--vx-focus-ring, 2px solid #4c9ffe);
      outline-offset: -2px;
    }
    .stage,
    .stage > div {
      position: absolute;
      inset: 0;
    }
    .overlay {
      position: absolute;
      inset: 0;
      pointer-events: none;
      font: var(--vx-overlay-font, 12px/1.35 system-ui, sans-serif);
      text-shadow: var(--vx-overlay-shadow, 0 0 3px #000, 0 0 2px #000, 0 1px 1px #000);
      white-space: pre;
    }
    .overlay > div {
      position: absolute;
      padding: 6px 8px;
    }
    .tl {
      top: 0;
      left: 0;
    }
    .tr {
      top: 0;
      right: 0;
      text-align: right;
    }
    .bl {
      bottom: 0;
      left: 0;
    }
    .br {
      bottom: 0;
      right: 0;
      text-align: right;
    }
    .progress {
      position: absolute;
      left: 0;
      right: 0;
      bottom: 0;
      height: 2px;
      overflow: hidden;
      pointer-events: none;
    }
    .progress::after {
      content: '';
      position: absolute;
      top: 0;
      bottom: 0;
      width: 30%;
      background: var(--vx-progress-color, #4c9ffe);
      animation: vx-progress 1s linear infinite;
    }
    @media (prefers-reduced-motion: reduce) {
      .progress::after {
        animation: none;
        left: 0;
        width: 100%;
        opacity: 0.6;
      }
    }
    @keyframes vx-progress {
      from {
        left: -30%;
      }
      to {
        left: 100%;
      }
    }
    .error,
    .empty {
      position: absolute;
      inset: 0;
      display: flex;
      flex-direction: column;
      align-items: center;
      justify-content: center;
      gap: 8px;
      padding: 16px;
      text-align: center;
      font:
        14px/1.4 system-ui,
        sans-serif;
    }
    .error {
      color: var(--vx-error-color, #ffb4a9);
      background: rgb(0 0 0 / 0.6);
    }
    .error small {
      color: var(--vx-overlay-color, #e8e8e8);
      opacity: 0.8;
      max-width: 60ch;
      overflow-wrap: anywhere;
    }
    .empty {
      border: 2px dashed transparent;
    }
    .empty .error {
      position: static;
      padding: 0;
      background: none;
    }
    :host([data-drag-over]) .empty,
    :host([data-drag-over]) .view {
      border-color: var(--vx-progress-color, #4c9ffe);
      outline: 2px dashed var(--vx-progress-color, #4c9ffe);
      outline-offset: -6px;
    }
    .empty label {
      cursor: pointer;
      padding: 6px 12px;
      border: 1px solid currentColor;
      border-radius: 4px;
    }
    .empty input {
      position: absolute;
      width: 1px;
      height: 1px;
      opacity: 0;
    }
    .empty label:focus-within {
      outline: var(--vx-focus-ring, 2px solid #4c9ffe);
    }
    .sr-only {
      position: absolute;
      width: 1px;
      height: 1px;
      overflow: hidden;
      clip-path: inset(50%);
      white-space: nowrap;
    }
    [hidden] {
      display: none !important;
    }
  `;

  // ---- public reactive properties -------------------------------------------------------------

  /** The image stack to show. Setting it replaces any stack loaded from `src`. */
  @property({ attribute: false })
  get stack(): ImageStack | undefined {
    return this.#stack;
  }
  set stack(value: ImageStack | undefined) {
    if (value === this.#stack) return;
    this.#loadAbort?.abort();
    this.#setStack(value);
  }

  /**
   * URL of the image to load, or a list of URLs for a series (as a property, or as an attribute with
   * the URLs separated by spaces).
   */
  @property({
    converter: {
      fromAttribute: (v: string | null) => {
        const urls = (v ?? '').split(/\s+/).filter(Boolean);
        return urls.length === 0 ? undefined : urls.length === 1 ? urls[0] : urls;
      },
    },
  })
  src: string | string[] | undefined;

  /** Accessible name of the view. */
  @property() label = 'Image viewer';

  /** Current slice index (0-based). Setting it does not fire `vx-slice-change`. */
  @property({ type: Number })
  get slice(): number {
    return this.#slice;
  }
  set slice(value: number) {
    this.#goToSlice(Number(value), undefined);
  }

  /** Window centre (level) in modality units (HU for CT). NaN until an image is shown, unless set. */
  @property({ type: Number, attribute: 'window-center' })
  get windowCenter(): number {
    return this.#center;
  }
  set windowCenter(value: number) {
    this.#setWindow(Number(value), this.#width, undefined);
  }

  /** Window width in modality units. */
  @property({ type: Number, attribute: 'window-width' })
  get windowWidth(): number {
    return this.#width;
  }
  set windowWidth(value: number) {
    this.#setWindow(this.#center, Number(value), undefined);
  }

  /** Invert the greys (on top of MONOCHROME1, which is always shown inverted). */
  @property({ type: Boolean, reflect: true })
  get invert(): boolean {
    return this.#invert;
  }
  set invert(value: boolean) {
    this.#setInvert(!!value, undefined);
  }

  /** CSS pixels per image pixel (1 = native size). Setting it zooms about the view centre. */
  @property({ type: Number })
  get zoom(): number {
    return this.#zoom;
  }
  set zoom(value: number) {
    if (!(Number(value) > 0) || !Number.isFinite(Number(value))) return;
    const z = clampZoom(Number(value));
    if (z === this.#zoom) return;
    this.#fitted = false;
    this.#setViewParams(z, this.#cx, this.#cy, false);
  }

  /**
   * Active tool for the left mouse button: 'window' (default), 'pan', 'zoom', 'scroll', or an
   * annotation tool registered by a layer ('select', 'box', 'polygon', 'brush', 'eraser', …).
   */
  @property({ reflect: true })
  get tool(): string {
    return this.#tool;
  }
  set tool(value: string) {
    this.#setTool(String(value), false);
  }

  /** Window presets for keys 1–5. Defaults to CT presets for CT, then the file's own windows. */
  @property({ attribute: false })
  get windowPresets(): WindowPreset[] {
    if (this.#presets) return this.#presets;
    const stack = this.#stack;
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
  set windowPresets(value: WindowPreset[] | undefined) {
    const old = this.#presets;
    this.#presets = value ? [...value] : undefined;
    this.requestUpdate('windowPresets', old);
  }

  /** VOI function: the file's (LINEAR by default) unless set. */
  @property({ attribute: 'voi-function' })
  get voiFunction(): VoiLutFunction {
    return this.#fn ?? (this.#stack ? voiFunction(this.#stack) : 'LINEAR');
  }
  set voiFunction(value: VoiLutFunction | undefined) {
    const old = this.#fn;
    this.#fn = value;
    this.#imageDirty = true;
    this.#stage.requestDraw(this.#stage.imageLayer);
    this.requestUpdate('voiFunction', old);
  }

  /** Cine frame rate (frames per second) for `C`. */
  @property({ type: Number, attribute: 'cine-fps' }) cineFps = 15;

  /** Hide the corner text. */
  @property({ type: Boolean, reflect: true, attribute: 'hide-overlays' }) hideOverlays = false;

  /** Key bindings: action → combos. Replace the whole object to remap (see docs/viewer.md). */
  @property({ attribute: false })
  get keymap(): Keymap {
    return this.#keymap;
  }
  set keymap(value: Keymap) {
    const old = this.#keymap;
    this.#keymap = value ?? defaultKeymap();
    this.#notify({ keymap: true });
    this.requestUpdate('keymap', old);
  }

  /** Label schema shared by the annotation layers. */
  @property({ attribute: false })
  get labelSchema(): LabelSchema | undefined {
    return this.#labelSchema;
  }
  set labelSchema(value: LabelSchema | undefined) {
    const old = this.#labelSchema;
    this.#labelSchema = value;
    if (value && (!this.#activeLabel || !value.labels.some((l) => l.id === this.#activeLabel))) {
      this.#activeLabel = value.labels[0]?.id;
    }
    this.#notify({ labelSchema: true, activeLabel: true });
    this.requestUpdate('labelSchema', old);
  }

  /** Id of the label new annotations get. */
  @property({ attribute: 'active-label' })
  get activeLabel(): string | undefined {
    return this.#activeLabel;
  }
  set activeLabel(value: string | undefined) {
    const old = this.#activeLabel;
    if (old === value) return;
    this.#activeLabel = value;
    this.#notify({ activeLabel: true });
    this.requestUpdate('activeLabel', old);
  }

  /**
   * The annotation document of the current stack: the viewer creates a fresh one for every new stack
   * (through `VxViewer.createDocument`). Hosts may replace it, e.g. with a document parsed from a file.
   */
  @property({ attribute: false })
  get document(): AnnotationDocument | undefined {
    return this.#document;
  }
  set document(value: AnnotationDocument | undefined) {
    const old = this.#document;
    if (old === value) return;
    this.#tools.get(this.#tool)?.cancel?.();
    this.#document = value;
    // Set while an image loads (or before any): it is that image's document, if the sizes agree.
    this.#documentFromHost =
      !!value && (!this.#stack || this.#loadAbort !== undefined || this.src !== this.#openedSrc);
    this.#notify({ document: true });
    this.requestUpdate('document', old);
  }

  /** Creates the document for a new stack. Replace it to configure documents (history budget, id generator). */
  static createDocument: ((stack: ImageStack) => AnnotationDocument) | undefined = (stack) =>
    createAnnotationDocument({ width: stack.width, height: stack.height, depth: stack.depth });

  // ---- internal state -------------------------------------------------------------------------

  #stack: ImageStack | undefined;
  #slice = 0;
  #center = NaN;
  #width = NaN;
  #windowFromHost = false;
  #documentFromHost = false;
  /** The `src` last acted on: another value means a load is about to start. */
  #openedSrc: string | string[] | undefined;
  #invert = false;
  #fn: VoiLutFunction | undefined;
  #presets: WindowPreset[] | undefined;
  #zoom = 1;
  #cx = 0;
  #cy = 0;
  #fitted = true;
  #viewWidth = 0;
  #viewHeight = 0;
  #tool = 'window';
  #keymap: Keymap = defaultKeymap();
  #labelSchema: LabelSchema | undefined;
  #activeLabel: string | undefined;
  #document: AnnotationDocument | undefined;

  #loader: SliceLoader | undefined;
  #frame: Frame | undefined;
  #frameSlice = -1;
  #imageDirty = false;
  #loaded = false;
  #loadAbort: AbortController | undefined;
  #progressTimer: ReturnType<typeof setTimeout> | undefined;
  #liveTimer: ReturnType<typeof setTimeout> | undefined;

  @state() private _error: VoxmarkError | undefined;
  @state() private _loading = false;
  @state() private _decoding = false;
  @state() private _cursor: [number, number] | undefined;
  @state() private _live = '';

  readonly #container: HTMLDivElement;
  readonly #stage: ViewerStage;
  readonly #renderer = new ImageRenderer();
  readonly #listeners = new Set<(c: ViewerChange) => void>();
  readonly #tools = new Map<string, ToolHandler>();
  readonly #actions = new Map<string, ActionHandler[]>();
  readonly #cine = new CineController(this);
  #drag: Drag | undefined;
  #refineHandle: number | undefined;
  #refineTarget: { frame: Frame; step: number } | undefined;
  /** Touch points down on the view, for two-finger pinch and pan. */
  #touches = new Map<number, { x: number; y: number }>();
  #spaceHeld = false;
  #wheelAccum = 0;
  #resizeObserver: ResizeObserver | undefined;

  constructor() {
    super();
    this.#container = document.createElement('div');
    this.#container.className = 'stage';
    this.#stage = new ViewerStage(this.#container);
    this.#stage.beforeDraw = () => this.#renderImage();
    new ContextProvider(this, { context: viewerHostContext, initialValue: this });
    this.addEventListener('pointerdown', this.#onPointerDown);
    this.addEventListener('pointermove', this.#onPointerMove);
    this.addEventListener('pointerup', this.#onPointerUp);
    this.addEventListener('pointercancel', this.#onPointerCancel);
    this.addEventListener('pointerleave', this.#onPointerLeave);
    this.addEventListener('dblclick', this.#onDoubleClick);
    this.addEventListener('wheel', this.#onWheel, { passive: false });
    this.addEventListener('contextmenu', this.#onContextMenu);
    this.addEventListener('keydown', this.#onKeyDown);
    this.addEventListener('keyup', this.#onKeyUp);
    this.addEventListener('focusout', this.#onFocusOut);
    this.addEventListener('dragover', this.#onDragOver);
    this.addEventListener('dragleave', this.#onDragLeave);
    this.addEventListener('drop', this.#onDrop);
    this.addEventListener('change', this.#onChange);
  }

  // ---- ViewerHost -----------------------------------------------------------------------------

  get stage(): Konva.Stage {
    return this.#stage.stage;
  }
  get imageLayer(): Konva.Layer {
    return this.#stage.imageLayer;
  }
  get annotationLayer(): Konva.Layer {
    return this.#stage.annotationLayer;
  }
  createLayer(name: string, options?: LayerOptions): Konva.Layer {
    return this.#stage.createLayer(name, options);
  }
  /** The decoded frame on screen (undefined until the first slice decodes). */
  get frame(): Frame | undefined {
    return this.#frame;
  }
  /** Slice index of the frame on screen (lags `slice` while a slice decodes). */
  get displayedSlice(): number {
    return this.#frameSlice;
  }
  get view(): ViewState {
    return this.#viewState();
  }
  /** True while cine playback runs. */
  get playing(): boolean {
    return this.#cine.playing;
  }
  /** The error shown in the view, if any. */
  get error(): VoxmarkError | undefined {
    return this._error;
  }

  clientToImage(clientX: number, clientY: number): [number, number] {
    const r = this.getBoundingClientRect();
    return viewToImage(this.#viewState(), clientX - r.left, clientY - r.top);
  }
  imageToClient(x: number, y: number): [number, number] {
    const r = this.getBoundingClientRect();
    const [vx, vy] = imageToView(this.#viewState(), x, y);
    return [vx + r.left, vy + r.top];
  }
  requestDraw(layer?: Konva.Layer): void {
    this.#stage.requestDraw(layer);
  }
  subscribe(listener: (change: ViewerChange) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
  registerTool(name: string, handler: ToolHandler): () => void {
    const previous = this.#tools.get(name);
    if (previous && name === this.#tool) {
      previous.cancel?.();
      previous.deactivate?.();
    }
    this.#tools.set(name, handler);
    if (name === this.#tool) {
      handler.activate?.();
      this.#updateCursor();
    }
    return () => {
      if (this.#tools.get(name) !== handler) return;
      if (name === this.#tool) {
        handler.cancel?.();
        handler.deactivate?.();
      }
      this.#tools.delete(name);
      this.#updateCursor();
    };
  }
  registerAction(action: string, handler: ActionHandler): () => void {
    const list = this.#actions.get(action) ?? [];
    list.unshift(handler);
    this.#actions.set(action, list);
    return () => {
      const l = this.#actions.get(action);
      if (!l) return;
      const i = l.indexOf(handler);
      if (i >= 0) l.splice(i, 1);
    };
  }

  /** Resolves once everything pending is drawn on screen (the next animation frame). */
  get renderComplete(): Promise<void> {
    return this.updateComplete.then(() => this.#stage.nextDraw());
  }

  /** Draws pending changes now, synchronously. For tests and benchmarks. */
  flushDraw(): void {
    this.#stage.flush();
  }

  /** Milliseconds the last draw and the last image render took. For benchmarks. */
  get drawStats(): { drawMs: number; renderMs: number } {
    return { drawMs: this.#stage.lastDrawMs, renderMs: this.#renderer.lastRenderMs };
  }

  // ---- public methods -------------------------------------------------------------------------

  /** Fits the image to the view. */
  fit(): void {
    this.#fitted = true;
    this.#applyFit(false);
  }

  /** Resets zoom, pan and window to their initial state. */
  resetView(): void {
    this.#reset(undefined);
  }

  #reset(source: ChangeSource | undefined): void {
    this.#fitted = true;
    this.#applyFit(source !== undefined);
    if (this.#frame && this.#stack) {
      const w = initialWindow(this.#stack, this.#frame);
      this.#setWindow(w.center, w.width, source);
    }
    this.#setInvert(false, source);
  }

  /** Sets zoom and the image point at the view centre at once. */
  setView(view: { zoom?: number; centerX?: number; centerY?: number }): void {
    this.#fitted = false;
    const finite = (v: number | undefined, fallback: number) => (Number.isFinite(v) ? v! : fallback);
    const zoom = view.zoom !== undefined && view.zoom > 0 ? clampZoom(view.zoom) : this.#zoom;
    this.#setViewParams(zoom, finite(view.centerX, this.#cx), finite(view.centerY, this.#cy), false);
  }

  /** Applies window preset `index` (0-based) of `windowPresets`. */
  applyPreset(index: number): boolean {
    const p = this.windowPresets[index];
    if (!p || this.#isColour()) return false;
    this.#setWindow(p.center, p.width, undefined);
    return true;
  }

  /** Starts or stops cine playback. */
  toggleCine(): void {
    this.#cine.toggle();
  }

  /** Loads files or URLs (what a drop or the file input does). */
  async open(inputs: ImageInput | ImageInput[]): Promise<void> {
    this.#loadAbort?.abort();
    const controller = new AbortController();
    this.#loadAbort = controller;
    this._loading = true;
    this._error = undefined;
    try {
      const stack = await loadImageStack(inputs, { signal: controller.signal });
      if (controller.signal.aborted) return;
      this.#setStack(stack);
    } catch (e) {
      if (controller.signal.aborted || isAbortError(e)) return;
      this.#fail(toVoxmarkError(e, ErrorCode.NotAnImage, 'Opening the image failed'));
    } finally {
      if (this.#loadAbort === controller) {
        this.#loadAbort = undefined;
        this._loading = false;
      }
    }
  }

  /** CineHost: one cine step; false while the current slice is still decoding. */
  cineStep(): boolean {
    const stack = this.#stack;
    if (!stack || stack.depth < 2 || this.#frameSlice !== this.#slice) return false;
    this.#goToSlice((this.#slice + 1) % stack.depth, 'cine');
    return true;
  }

  // ---- lifecycle ------------------------------------------------------------------------------

  override connectedCallback(): void {
    super.connectedCallback();
    this.#resizeObserver = new ResizeObserver((entries) => {
      const box = entries[entries.length - 1]!.contentRect;
      this.#resize(box.width, box.height);
    });
    this.#resizeObserver.observe(this);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#resizeObserver?.disconnect();
    this.#resizeObserver = undefined;
    // Removed mid-drag: the pointer-up never reaches this element, and a drag left open would swallow
    // every press once the viewer is back in the page.
    const drag = this.#drag;
    this.#drag = undefined;
    if (drag?.kind === 'tool') this.#tools.get(this.#tool)?.cancel?.();
    this.#touches.clear();
    this.#spaceHeld = false;
    this.#updateCursor();
    clearTimeout(this.#progressTimer);
    clearTimeout(this.#liveTimer);
    this.#notify({ disconnected: true });
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('src')) {
      const src = this.src;
      this.#openedSrc = src;
      if (src && (typeof src === 'string' ? src.length > 0 : src.length > 0)) void this.open(src);
    }
  }

  // ---- stack, slices, frames ------------------------------------------------------------------

  #setStack(stack: ImageStack | undefined): void {
    const old = this.#stack;
    this.#tools.get(this.#tool)?.cancel?.();
    this.#cine.stop();
    this.#loader?.dispose();
    this.#loader = undefined;
    this.#stack = stack;
    this.#frame = undefined;
    this.#frameSlice = -1;
    this.#loaded = false;
    this._error = undefined;
    this._cursor = undefined;
    this.#fitted = true;
    if (!this.#windowFromHost) {
      this.#center = NaN;
      this.#width = NaN;
    }
    this.#stage.setImage(undefined, 0, 0);
    if (stack && !(stack.depth >= 1)) {
      this.#fail(new VoxmarkError(ErrorCode.NoPixelData, 'The image stack has no slices'));
    } else if (stack) {
      const creator = (this.constructor as typeof VxViewer).createDocument;
      const doc = this.#document;
      const keep =
        this.#documentFromHost &&
        doc?.width === stack.width &&
        doc.height === stack.height &&
        doc.depth === stack.depth;
      if (creator && !keep) this.#document = creator(stack);
      this.#slice = Math.min(Math.max(0, Math.round(this.#slice) || 0), stack.depth - 1);
      if (!Number.isFinite(this.#slice) || this.#slice < 0) this.#slice = 0;
      this.#loader = new SliceLoader(stack);
      this.#loader.onFrame = (index, frame) => {
        if (index === this.#slice) this.#show(index, frame);
      };
      this.#loader.onError = (index, error) => {
        if (index === this.#slice) this.#fail(error);
      };
      this.#applyFit(false);
      const ready = this.#loader.request(this.#slice);
      if (ready) this.#show(this.#slice, ready);
      else this.#startProgress();
    } else {
      this.#slice = 0;
    }
    this.#documentFromHost = false;
    this.#notify({ stack: true, slice: true, document: true, view: true });
    this.requestUpdate('stack', old);
  }

  #show(index: number, frame: Frame): void {
    const first = !this.#loaded;
    this.#frame = frame;
    this.#frameSlice = index;
    this.#imageDirty = true;
    this._decoding = false;
    this._error = undefined;
    clearTimeout(this.#progressTimer);
    if (first) {
      this.#loaded = true;
      if (!Number.isFinite(this.#center) || !Number.isFinite(this.#width)) {
        const w = initialWindow(this.#stack!, frame);
        this.#center = w.center;
        this.#width = w.width;
      }
      // A window the host set before loading applies to this stack only; later stacks open with their own.
      this.#windowFromHost = false;
      this.#applyFit(false);
    }
    this.#stage.requestDraw(this.#stage.imageLayer);
    this.#notify({ frame: true });
    this.requestUpdate();
    if (first) {
      const stack = this.#stack!;
      void this.#stage.nextDraw().then(() => {
        if (this.#stack === stack) this.#emit(new VxLoadEvent(stack));
      });
    }
  }

  #fail(error: VoxmarkError): void {
    this._error = error;
    this._decoding = false;
    clearTimeout(this.#progressTimer);
    this.#emit(new VxErrorEvent(error));
  }

  #startProgress(): void {
    clearTimeout(this.#progressTimer);
    // Quiet: only show the indicator when a decode takes long enough to notice.
    this.#progressTimer = setTimeout(() => {
      if (this.#frameSlice !== this.#slice && this.#stack) this._decoding = true;
    }, 120);
  }

  #goToSlice(value: number, source: ChangeSource | undefined): void {
    const stack = this.#stack;
    const previous = this.#slice;
    let next = Math.round(value);
    if (!Number.isFinite(next)) return;
    if (stack) next = Math.min(Math.max(0, next), stack.depth - 1);
    else next = Math.max(0, next);
    if (next === previous) return;
    if (source && source !== 'cine') this.#tools.get(this.#tool)?.cancel?.();
    this.#slice = next;
    if (this.#loader) {
      const frame = this.#loader.request(next, previous);
      if (frame) this.#show(next, frame);
      else this.#startProgress();
    }
    this.#notify({ slice: true });
    this.requestUpdate('slice', previous);
    this.#announce();
    if (source) this.#emit(new VxSliceChangeEvent(next, previous, source));
  }

  #announce(): void {
    clearTimeout(this.#liveTimer);
    // Polite and debounced: a screen reader hears where scrolling stopped, not every slice on the way.
    this.#liveTimer = setTimeout(() => {
      if (this.#stack) this._live = `Slice ${this.#slice + 1} of ${this.#stack.depth}`;
    }, 400);
  }

  // ---- window ---------------------------------------------------------------------------------

  #isColour(): boolean {
    return (this.#stack?.samplesPerPixel ?? 1) >= 3;
  }

  #setWindow(center: number, width: number, source: ChangeSource | undefined): void {
    const oldC = this.#center;
    const oldW = this.#width;
    // Non-numbers (NaN, Infinity, '' from an attribute) leave the value as it was.
    if (!Number.isFinite(center)) center = oldC;
    const w = Number.isFinite(width) ? Math.max(width, this.#minWidth()) : oldW;
    if (Object.is(center, oldC) && Object.is(w, oldW)) return;
    this.#center = center;
    this.#width = w;
    if (!source && !this.#loaded) this.#windowFromHost = true;
    this.#imageDirty = true;
    this.#stage.requestDraw(this.#stage.imageLayer);
    this.#notify({ window: true });
    this.requestUpdate('windowCenter', oldC);
    this.requestUpdate('windowWidth', oldW);
    if (source) this.#emit(new VxWindowChangeEvent(center, w, this.#invert, source));
  }

  #minWidth(): number {
    const dt = this.#stack?.dataType;
    return dt === 'float32' || dt === 'float64' ? Number.EPSILON : 1;
  }

  #setInvert(value: boolean, source: ChangeSource | undefined): void {
    if (value === this.#invert) return;
    this.#invert = value;
    this.#imageDirty = true;
    this.#stage.requestDraw(this.#stage.imageLayer);
    this.#notify({ window: true });
    this.requestUpdate('invert', !value);
    if (source) this.#emit(new VxWindowChangeEvent(this.#center, this.#width, value, source));
  }

  #renderImage(): void {
    if (!this.#imageDirty || !this.#frame || !this.#stack) return;
    this.#imageDirty = false;
    const stack = this.#stack;
    const frame = this.#frame;
    const invert = this.#invert !== isMonochrome1(stack);
    const storedRange = stack.metadata.storedRange as [number, number] | undefined;
    const step = this.#decimationStep();
    this.#renderer.render(
      frame,
      stack.dataType,
      { center: this.#center, width: this.#width, fn: this.voiFunction, invert },
      storedRange,
      step,
    );
    const node = this.#stage.imageNode;
    const { coverWidth, coverHeight } = this.#renderer;
    if (
      node.image() !== this.#renderer.canvas ||
      node.width() !== coverWidth ||
      node.height() !== coverHeight
    ) {
      this.#stage.setImage(this.#renderer.canvas, coverWidth, coverHeight);
    }
    if (!this.#renderer.isRefined(frame, step)) this.#scheduleRefine(frame, step);
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
      // Only while that frame at that step is still what the view needs.
      if (
        !target ||
        this.#frame !== target.frame ||
        this.#decimationStep() !== target.step ||
        !this.isConnected
      ) {
        this.#refineTarget = undefined;
        return;
      }
      const budget = Math.max(2, Math.min(8, (deadline?.timeRemaining() ?? 8) - 1));
      if (this.#renderer.refine(target.frame, target.step, budget)) {
        this.#refineTarget = undefined;
        this.#imageDirty = true;
        this.#stage.requestDraw(this.#stage.imageLayer);
      } else {
        this.#refineHandle = idle(run);
      }
    };
    this.#refineHandle = idle(run);
  }

  /**
   * How many image pixels to skip per rendered pixel: large images shown minified are rendered at about
   * screen resolution (a power of two that keeps at least one rendered pixel per device pixel).
   */
  #decimationStep(): number {
    const frame = this.#frame;
    if (!frame || frame.width * frame.height < (2048 * 2048) / 2) return 1;
    const v = this.#viewState();
    const perDevicePixel = Math.min(v.scaleX, v.scaleY) * (globalThis.devicePixelRatio || 1);
    if (!(perDevicePixel > 0) || perDevicePixel >= 0.5) return 1;
    return Math.min(64, 2 ** Math.floor(Math.log2(1 / perDevicePixel)));
  }

  // ---- view -----------------------------------------------------------------------------------

  #aspect(): number {
    return pixelAspect(this.#stack?.spacing);
  }

  #viewState(): ViewState {
    return viewState({
      zoom: this.#zoom,
      centerX: this.#cx,
      centerY: this.#cy,
      aspect: this.#aspect(),
      width: this.#viewWidth,
      height: this.#viewHeight,
    });
  }

  #resize(width: number, height: number): void {
    if (width === this.#viewWidth && height === this.#viewHeight) return;
    this.#viewWidth = width;
    this.#viewHeight = height;
    if (this.#fitted) this.#applyFit(false);
    else this.#setViewParams(this.#zoom, this.#cx, this.#cy, false);
  }

  #applyFit(user: boolean): void {
    const stack = this.#stack;
    if ((this.#viewWidth === 0 || this.#viewHeight === 0) && this.isConnected) {
      // Before the first ResizeObserver report: measure once so the first frame is already fitted.
      const r = this.getBoundingClientRect();
      this.#viewWidth = r.width;
      this.#viewHeight = r.height;
    }
    if (!stack) {
      this.#setViewParams(1, 0, 0, false);
      return;
    }
    const f = fitView(stack.width, stack.height, this.#aspect(), this.#viewWidth, this.#viewHeight);
    this.#setViewParams(f.zoom, f.centerX, f.centerY, user);
  }

  #setViewParams(zoom: number, cx: number, cy: number, user: boolean): void {
    const oldZoom = this.#zoom;
    this.#zoom = zoom;
    this.#cx = cx;
    this.#cy = cy;
    this.#stage.setView(this.#viewState());
    if (this.#frame && this.#decimationStep() !== this.#renderer.step) {
      this.#imageDirty = true;
      this.#stage.requestDraw(this.#stage.imageLayer);
    }
    this.#notify({ view: true });
    this.requestUpdate('zoom', oldZoom);
    if (user) this.#emit(new VxViewChangeEvent(zoom, cx, cy));
  }

  #zoomAtClient(factor: number, clientX: number, clientY: number): void {
    const r = this.getBoundingClientRect();
    const z = zoomAt(this.#viewState(), this.#zoom * factor, clientX - r.left, clientY - r.top);
    this.#fitted = false;
    this.#setViewParams(z.zoom, z.centerX, z.centerY, true);
  }

  // ---- tools ----------------------------------------------------------------------------------

  #setTool(name: string, user: boolean): void {
    const previous = this.#tool;
    if (name === previous) return;
    const old = this.#tools.get(previous);
    old?.cancel?.();
    old?.deactivate?.();
    if (this.#drag?.kind === 'tool') this.#drag = undefined;
    this.#tool = name;
    this.#tools.get(name)?.activate?.();
    this.#updateCursor();
    this.#notify({ tool: true });
    this.requestUpdate('tool', previous);
    if (user) this.#emit(new VxToolChangeEvent(name, previous));
  }

  #updateCursor(): void {
    const handler = this.#tools.get(this.#tool);
    let cursor = handler?.cursor ?? '';
    if (!handler) {
      if (this.#tool === 'pan') cursor = 'grab';
      else if (this.#tool === 'zoom') cursor = 'zoom-in';
      else if (this.#tool === 'scroll') cursor = 'ns-resize';
      else if (this.#tool === 'window') cursor = 'crosshair';
    }
    if (this.#spaceHeld || this.#drag?.kind === 'pan') cursor = this.#drag ? 'grabbing' : 'grab';
    this.#container.style.cursor = cursor;
  }

  /** Dispatches one of this element's events (listed in the class JSDoc under @fires). */
  #emit(event: Event): void {
    this.dispatchEvent(event);
  }

  #notify(change: ViewerChange): void {
    if (change.stack || change.document || change.labelSchema) this.#bindDocument();
    for (const l of [...this.#listeners]) {
      try {
        l(change);
      } catch (e) {
        // A failing layer must not break the viewer or the other layers.
        console.error(e);
      }
    }
  }

  /** Lets `serializeDocument(viewer.document)` know the schema and stack without options. */
  #bindDocument(): void {
    if (this.#document && this.#stack && this.#labelSchema) {
      bindDocument(this.#document, { schema: this.#labelSchema, stack: this.#stack });
    }
  }

  // ---- input ----------------------------------------------------------------------------------

  #inView(e: Event): boolean {
    // Only events over the image area: not the file chooser, not the error text.
    const path = e.composedPath();
    return path.includes(this.#container) || (path[0] === this && !!this.#stack);
  }

  #toImageEvent(e: PointerEvent | MouseEvent, type: ImagePointerEvent['type']): ImagePointerEvent {
    const [x, y] = this.clientToImage(e.clientX, e.clientY);
    const pe = e as PointerEvent;
    return {
      type,
      x,
      y,
      button: e.button,
      buttons: e.buttons,
      shiftKey: e.shiftKey,
      altKey: e.altKey,
      ctrlKey: e.ctrlKey,
      metaKey: e.metaKey,
      pressure: pe.pointerType === 'pen' ? pe.pressure : undefined,
      pointerId: pe.pointerId ?? 1,
      pointerType: pe.pointerType ?? 'mouse',
      clientX: e.clientX,
      clientY: e.clientY,
      slice: this.#slice,
      originalEvent: e,
    };
  }

  #onPointerDown = (e: PointerEvent): void => {
    if (!this.#inView(e)) return;
    if (e.pointerType === 'touch') {
      this.#touches.set(e.pointerId, { x: e.clientX, y: e.clientY });
      if (this.#touches.size === 2) {
        // A second finger turns any one-finger gesture into pinch-zoom and pan.
        if (this.#drag?.kind === 'tool') this.#tools.get(this.#tool)?.cancel?.();
        this.#startPinch(e.pointerId);
        return;
      }
    }
    if (this.#drag) return;
    this.shadowRoot?.querySelector<HTMLElement>('.view')?.focus({ preventScroll: true });
    const base = { pointerId: e.pointerId, x: e.clientX, y: e.clientY };
    const handler = this.#tools.get(this.#tool);
    // Mouse bindings from the keymap first (right-drag windows, middle-drag pans, …), then Space+drag,
    // then the active tool for the left button.
    const bound = matchPointerActions(this.#keymap, {
      button: e.button,
      ctrlKey: e.ctrlKey,
      shiftKey: e.shiftKey,
      altKey: e.altKey,
      metaKey: e.metaKey,
    }).find((a) => DRAG_ACTIONS.has(a));
    let kind: 'window' | 'pan' | 'zoom' | 'scroll' | 'tool' | undefined;
    if (bound) kind = DRAG_ACTIONS.get(bound);
    else if (e.button === 0 && this.#spaceHeld) kind = 'pan';
    else if (e.button === 0 && handler) kind = 'tool';
    else if (e.button === 0) {
      const tool = this.#tool;
      kind = tool === 'window' || tool === 'pan' || tool === 'zoom' || tool === 'scroll' ? tool : undefined;
    }
    if (kind === 'window') {
      this.#drag = {
        kind,
        ...base,
        center: this.#center,
        width: this.#width,
        step: this.#windowSensitivity(),
      };
    } else if (kind === 'pan') {
      this.#drag = { kind, ...base, cx: this.#cx, cy: this.#cy };
    } else if (kind === 'zoom') {
      const r = this.getBoundingClientRect();
      const view = this.#viewState();
      this.#drag = { kind, ...base, zoom: this.#zoom, vx: e.clientX - r.left, vy: e.clientY - r.top, view };
    } else if (kind === 'scroll') {
      this.#drag = { kind, pointerId: e.pointerId, y: e.clientY, slice: this.#slice };
    } else if (kind === 'tool' && handler) {
      this.#drag = { kind, pointerId: e.pointerId };
      handler.onPointerDown?.(this.#toImageEvent(e, 'down'));
    }
    if (this.#drag) {
      e.preventDefault();
      try {
        this.setPointerCapture(e.pointerId);
      } catch {
        /* synthetic events have no active pointer to capture */
      }
      this.#updateCursor();
    }
  };

  #startPinch(pointerId: number): void {
    const [a, b] = [...this.#touches.values()];
    const r = this.getBoundingClientRect();
    const [ix, iy] = viewToImage(this.#viewState(), (a!.x + b!.x) / 2 - r.left, (a!.y + b!.y) / 2 - r.top);
    this.#drag = {
      kind: 'pinch',
      pointerId,
      distance: Math.max(1, Math.hypot(a!.x - b!.x, a!.y - b!.y)),
      ix,
      iy,
      zoom: this.#zoom,
    };
  }

  #movePinch(drag: Extract<Drag, { kind: 'pinch' }>): void {
    const [a, b] = [...this.#touches.values()];
    if (!a || !b) return;
    const r = this.getBoundingClientRect();
    const zoom = clampZoom(drag.zoom * (Math.hypot(a.x - b.x, a.y - b.y) / drag.distance));
    // Keep the image point first under the fingers' midpoint under it as they move apart and around.
    const mx = (a.x + b.x) / 2 - r.left;
    const my = (a.y + b.y) / 2 - r.top;
    this.#fitted = false;
    this.#setViewParams(
      zoom,
      drag.ix - (mx - this.#viewWidth / 2) / zoom,
      drag.iy - (my - this.#viewHeight / 2) / (zoom * this.#aspect()),
      true,
    );
  }

  #onPointerMove = (e: PointerEvent): void => {
    if (e.pointerType === 'touch' && this.#touches.has(e.pointerId)) {
      this.#touches.set(e.pointerId, { x: e.clientX, y: e.clientY });
      if (this.#drag?.kind === 'pinch') {
        this.#movePinch(this.#drag);
        return;
      }
    }
    const drag = this.#drag;
    if (this.#stack && this.#inView(e)) {
      const [x, y] = this.clientToImage(e.clientX, e.clientY);
      this._cursor = [x, y];
    }
    if (!drag) {
      if (this.#inView(e)) this.#tools.get(this.#tool)?.onPointerMove?.(this.#toImageEvent(e, 'move'));
      return;
    }
    if (e.pointerId !== drag.pointerId) return;
    switch (drag.kind) {
      case 'tool':
        this.#tools.get(this.#tool)?.onPointerMove?.(this.#toImageEvent(e, 'move'));
        break;
      case 'window': {
        if (this.#isColour() || !Number.isFinite(drag.center)) break;
        const m = drag.step;
        const center = drag.center + (e.clientY - drag.y) * m;
        const width = Math.max(this.#minWidth(), drag.width + (e.clientX - drag.x) * m);
        this.#setWindow(round(center, m), round(width, m), 'drag');
        break;
      }
      case 'pan': {
        const v = this.#viewState();
        this.#fitted = false;
        this.#setViewParams(
          this.#zoom,
          drag.cx - (e.clientX - drag.x) / v.scaleX,
          drag.cy - (e.clientY - drag.y) / v.scaleY,
          true,
        );
        break;
      }
      case 'zoom': {
        const z = zoomAt(drag.view, drag.zoom * Math.exp(-(e.clientY - drag.y) / 150), drag.vx, drag.vy);
        this.#fitted = false;
        this.#setViewParams(z.zoom, z.centerX, z.centerY, true);
        break;
      }
      case 'scroll': {
        const steps = Math.trunc((e.clientY - drag.y) / 6);
        this.#goToSlice(drag.slice + steps, 'drag');
        break;
      }
    }
  };

  #windowSensitivity(): number {
    const stack = this.#stack;
    const frame = this.#frame;
    if (!stack || !frame) return 1;
    // About 1/1024 of the value range per pixel of drag (4 HU for CT), at least 1 for integer data.
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

  #onPointerUp = (e: PointerEvent): void => {
    if (this.#touches.delete(e.pointerId) && this.#drag?.kind === 'pinch') {
      // Lifting either finger ends the pinch; the other finger starts nothing until it lifts too.
      this.#drag = undefined;
      return;
    }
    const drag = this.#drag;
    if (!drag || e.pointerId !== drag.pointerId) return;
    this.#drag = undefined;
    try {
      this.releasePointerCapture(e.pointerId);
    } catch {
      /* not captured */
    }
    if (drag.kind === 'tool') this.#tools.get(this.#tool)?.onPointerUp?.(this.#toImageEvent(e, 'up'));
    this.#updateCursor();
  };

  #onPointerCancel = (e: PointerEvent): void => {
    this.#touches.delete(e.pointerId);
    if (this.#drag?.kind === 'pinch') {
      this.#drag = undefined;
      return;
    }
    const drag = this.#drag;
    if (!drag || e.pointerId !== drag.pointerId) return;
    this.#drag = undefined;
    if (drag.kind === 'tool') this.#tools.get(this.#tool)?.cancel?.();
    this.#updateCursor();
  };

  #onPointerLeave = (): void => {
    this._cursor = undefined;
    if (!this.#drag) this.#tools.get(this.#tool)?.onPointerLeave?.();
  };

  #onDoubleClick = (e: MouseEvent): void => {
    if (!this.#inView(e) || e.button !== 0) return;
    this.#tools.get(this.#tool)?.onDoubleClick?.(this.#toImageEvent(e, 'dblclick'));
  };

  #onContextMenu = (e: Event): void => {
    if (this.#inView(e)) e.preventDefault();
  };

  #onWheel = (e: WheelEvent): void => {
    if (!this.#stack) return;
    const unit = e.deltaMode === 1 ? 33 : e.deltaMode === 2 ? Math.max(this.#viewHeight, 1) : 1;
    const dy = (e.deltaY || (e.shiftKey ? e.deltaX : 0)) * unit;
    const actions = matchPointerActions(this.#keymap, {
      button: 'wheel',
      ctrlKey: e.ctrlKey,
      shiftKey: e.shiftKey,
      altKey: e.altKey,
      metaKey: e.metaKey,
    });
    const action = actions.find((a) => a === 'zoom-wheel' || a === 'slice-wheel');
    if (!action) return;
    e.preventDefault();
    if (action === 'zoom-wheel') {
      this.#zoomAtClient(Math.exp(-Math.max(-300, Math.min(300, dy)) * 0.002), e.clientX, e.clientY);
      return;
    }
    let steps: number;
    if (Math.abs(dy) >= 50) {
      // A mouse wheel notch: one slice (more for fast multi-notch events).
      steps = Math.sign(dy) * Math.max(1, Math.round(Math.abs(dy) / 100));
      this.#wheelAccum = 0;
    } else {
      // A trackpad: accumulate small deltas.
      this.#wheelAccum += dy;
      steps = Math.trunc(this.#wheelAccum / 40);
      this.#wheelAccum -= steps * 40;
    }
    if (steps !== 0) this.#goToSlice(this.#slice + steps, 'wheel');
  };

  #onKeyDown = (e: KeyboardEvent): void => {
    if (e.defaultPrevented) return;
    // Keys typed into a slotted input (file chooser, a layer's text field) are not viewer commands.
    const origin = e.composedPath()[0];
    if (origin instanceof HTMLElement && ownsKeys(origin)) return;
    const actions = matchActions(this.#keymap, e);
    const handler = this.#tools.get(this.#tool);
    if (handler?.onKeyDown?.(e, actions)) {
      e.preventDefault();
      return;
    }
    // Handlers registered by layers first (they return false when they have nothing to act on, e.g.
    // nudge with no selection), then the viewer's own actions.
    for (const action of actions) {
      for (const h of this.#actions.get(action) ?? []) {
        if (h(e)) {
          e.preventDefault();
          return;
        }
      }
    }
    for (const action of actions) {
      if (this.#runAction(action, e)) {
        e.preventDefault();
        return;
      }
    }
  };

  #onKeyUp = (e: KeyboardEvent): void => {
    if (this.#spaceHeld && matchActions(this.#keymap, { key: e.key, code: e.code }).includes('pan-hold')) {
      this.#spaceHeld = false;
      this.#updateCursor();
    }
    this.#tools.get(this.#tool)?.onKeyUp?.(e);
  };

  #onFocusOut = (e: FocusEvent): void => {
    const to = e.relatedTarget as Node | null;
    if (to && (to === this || this.contains(to))) return;
    // The key-up of a held Space goes wherever the focus went (another viewer, another window):
    // forget the hold, or the next left-drag here would pan instead of running the tool.
    if (this.#spaceHeld) {
      this.#spaceHeld = false;
      this.#updateCursor();
    }
  };

  /** Runs a built-in viewer action. */
  #runAction(action: string, e: KeyboardEvent | undefined): boolean {
    const stack = this.#stack;
    const preset = /^window-preset-(\d+)$/.exec(action);
    if (preset) {
      const p = this.windowPresets[Number(preset[1]) - 1];
      if (!p || this.#isColour()) return false;
      this.#setWindow(p.center, p.width, 'preset');
      return true;
    }
    switch (action) {
      case 'slice-previous':
        return this.#step(-1);
      case 'slice-next':
        return this.#step(1);
      case 'slice-previous-page':
        return this.#step(-10);
      case 'slice-next-page':
        return this.#step(10);
      case 'slice-first':
        if (!stack) return false;
        this.#goToSlice(0, 'keyboard');
        return true;
      case 'slice-last':
        if (!stack) return false;
        this.#goToSlice(stack.depth - 1, 'keyboard');
        return true;
      case 'view-reset':
        this.#reset('keyboard');
        return true;
      case 'window-wider':
      case 'window-narrower':
      case 'level-up':
      case 'level-down': {
        if (!this.#frame || this.#isColour() || !Number.isFinite(this.#center)) return false;
        const step = this.#windowSensitivity() * (e?.shiftKey ? 50 : 10);
        const dw = action === 'window-wider' ? step : action === 'window-narrower' ? -step : 0;
        const dc = action === 'level-up' ? step : action === 'level-down' ? -step : 0;
        this.#setWindow(this.#center + dc, Math.max(this.#minWidth(), this.#width + dw), 'keyboard');
        return true;
      }
      case 'view-fit':
        this.#fitted = true;
        this.#applyFit(true);
        return true;
      case 'invert-toggle':
        if (this.#isColour()) return false;
        this.#setInvert(!this.#invert, 'keyboard');
        return true;
      case 'cine-toggle':
        if (!stack || stack.depth < 2) return false;
        this.#cine.toggle();
        return true;
      case 'zoom-in':
      case 'zoom-out': {
        const r = this.getBoundingClientRect();
        this.#zoomAtClient(action === 'zoom-in' ? 1.25 : 0.8, r.left + r.width / 2, r.top + r.height / 2);
        return true;
      }
      case 'pan-hold':
        if (e?.repeat || !this.#spaceHeld) {
          this.#spaceHeld = true;
          this.#updateCursor();
        }
        return true;
      case 'cancel': {
        const handler = this.#tools.get(this.#tool);
        if (this.#cine.playing) this.#cine.stop();
        if (handler?.cancel) {
          handler.cancel();
          if (this.#drag?.kind === 'tool') this.#drag = undefined;
          return true;
        }
        return this.#cine.playing;
      }
      case 'complete': {
        const handler = this.#tools.get(this.#tool);
        if (handler?.complete) {
          handler.complete();
          return true;
        }
        return false;
      }
      default:
        if (action.startsWith('tool-')) {
          // Only a tool that is there: P without a polygon layer must not take the left button away.
          const name = action.slice(5);
          if (!this.#tools.has(name) && !(NAVIGATION_TOOLS as readonly string[]).includes(name)) return false;
          this.#setTool(name, true);
          return true;
        }
        return false;
    }
  }

  #step(delta: number): boolean {
    if (!this.#stack) return false;
    this.#goToSlice(this.#slice + delta, 'keyboard');
    return true;
  }

  #onDragOver = (e: DragEvent): void => {
    if (!e.dataTransfer || !Array.from(e.dataTransfer.types).includes('Files')) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = 'copy';
    this.toggleAttribute('data-drag-over', true);
  };

  #onDragLeave = (e: DragEvent): void => {
    if (e.relatedTarget && this.contains(e.relatedTarget as Node)) return;
    this.toggleAttribute('data-drag-over', false);
  };

  #onDrop = (e: DragEvent): void => {
    this.toggleAttribute('data-drag-over', false);
    const files = Array.from(e.dataTransfer?.files ?? []);
    if (files.length === 0) return;
    e.preventDefault();
    void this.open(files);
  };

  #onChange = (e: Event): void => {
    const input = e.composedPath()[0];
    if (!(input instanceof HTMLInputElement) || input.type !== 'file') return;
    const files = Array.from(input.files ?? []);
    // The built-in chooser forgets its choice, so choosing the same file again (after an error) loads it
    // again; a slotted input is the host's to manage.
    if (input.getRootNode() === this.shadowRoot) input.value = '';
    if (files.length > 0) void this.open(files);
  };

  // ---- rendering ------------------------------------------------------------------------------

  #overlayText(): { tl: string; tr: string; bl: string; br: string } {
    const stack = this.#stack;
    if (!stack) return { tl: '', tr: '', bl: '', br: '' };
    const meta = stack.metadata;
    const modality = typeof meta.modality === 'string' ? meta.modality : '';
    const description = typeof meta.seriesDescription === 'string' ? meta.seriesDescription : '';
    const tl = [modality, description].filter(Boolean).join('  ');
    const tr = `${this.#slice + 1}/${stack.depth}${this.#cine.playing ? `  ▶ ${this.cineFps} fps` : ''}`;
    const colour = this.#isColour();
    const preset = this.windowPresets.find((p) => p.center === this.#center && p.width === this.#width);
    const windowText =
      colour || !Number.isFinite(this.#center)
        ? ''
        : `C ${fmt(this.#center)}  W ${fmt(this.#width)}${preset ? `  ${preset.name}` : ''}`;
    const bl = [windowText + (this.#invert ? '  inv' : ''), `Zoom ${this.#zoom.toFixed(2)}×`]
      .filter(Boolean)
      .join('\n');
    let br = '';
    const cursor = this._cursor;
    const frame = this.#frame;
    if (cursor && frame && this.#frameSlice === this.#slice) {
      const px = Math.floor(cursor[0]);
      const py = Math.floor(cursor[1]);
      if (px >= 0 && py >= 0 && px < frame.width && py < frame.height) {
        const i = py * frame.width + px;
        let value: string;
        if (frame.samplesPerPixel >= 3) {
          const j = i * frame.samplesPerPixel;
          value = `RGB ${frame.data[j]} ${frame.data[j + 1]} ${frame.data[j + 2]}`;
        } else {
          const stored = frame.data[i]!;
          if (modality.toUpperCase() === 'CT') {
            value = `${fmt(stored * (frame.rescaleSlope || 1) + (frame.rescaleIntercept || 0))} HU`;
          } else {
            value = `Value ${fmt(stored)}`;
          }
        }
        const [sx, sy] = stack.spacing;
        const unit =
          typeof meta.spacingUnit === 'string' ? meta.spacingUnit : stack.format === 'dicom' ? 'mm' : '';
        const patient = this.#patientPosition(cursor[0], cursor[1]);
        const physical = patient
          ? `\n${patient.map((v) => v.toFixed(1)).join(', ')} mm`
          : unit && unit !== 'pixel'
            ? `\n${fmt(cursor[0] * sx)}, ${fmt(cursor[1] * sy)} ${unit}`
            : '';
        br = `${value}\n${px}, ${py} px${physical}`;
      }
    }
    return { tl, tr, bl, br };
  }

  /**
   * Patient coordinates (mm) of an image point, from the slice's ImagePositionPatient and the
   * stack's ImageOrientationPatient, when the stack has them (DICOM).
   */
  #patientPosition(x: number, y: number): [number, number, number] | undefined {
    const stack = this.#stack;
    const origin = stack?.slices[this.#slice]?.position;
    const iop = stack?.metadata.imageOrientationPatient as number[] | undefined;
    if (!stack || !origin || !Array.isArray(iop) || iop.length !== 6) return undefined;
    const [sx, sy] = stack.spacing;
    // ImagePositionPatient is the centre of the first pixel; image coordinates start at its corner.
    const u = (x - 0.5) * sx;
    const v = (y - 0.5) * sy;
    return [0, 1, 2].map((k) => origin[k]! + u * iop[k]! + v * iop[k + 3]!) as [number, number, number];
  }

  override render() {
    const stack = this.#stack;
    const o = this.#overlayText();
    const error = this._error;
    const description = stack
      ? `${stack.width} by ${stack.height} pixels, ${stack.depth} slice${stack.depth === 1 ? '' : 's'}. ` +
        'Mouse wheel or arrow keys scroll slices; right-drag changes the window; Ctrl+wheel zooms; middle-drag pans.'
      : 'No image loaded. Drop DICOM or TIFF files here or choose files.';
    const errorView = error
      ? html`<div class="error" part="error" role="alert">
          <span>${describeError(error)}</span>
          <small>${error.message} (${error.code})</small>
        </div>`
      : nothing;
    return html`
      <div
        class="view"
        part="view"
        tabindex="0"
        role="application"
        aria-roledescription="image viewer"
        aria-label=${this.label}
        aria-describedby="description"
      >
        ${this.#container}
      </div>
      <div class="overlay" part="overlay" ?hidden=${this.hideOverlays || !stack} aria-hidden="true">
        <div class="tl" part="overlay-top-left">${o.tl}</div>
        <div class="tr" part="overlay-top-right">${o.tr}</div>
        <div class="bl" part="overlay-bottom-left">${o.bl}</div>
        <div class="br" part="overlay-bottom-right">${o.br}</div>
      </div>
      ${
        this._decoding || this._loading
          ? html`<div class="progress" part="progress" role="progressbar" aria-label="Loading image"></div>`
          : nothing
      }
      ${stack ? errorView : nothing}
      <div class="empty" part="empty" ?hidden=${!!stack || this._loading}>
        ${
          // With nothing loaded, the error sits above the drop zone and the chooser, so the user can pick
          // other files right away.
          stack ? nothing : errorView
        }
        <span>Drop DICOM or TIFF files here</span>
        <slot name="file-input">
          <label>Choose files<input type="file" multiple aria-label="Choose image files" /></label>
        </slot>
      </div>
      <div id="description" hidden>${description}</div>
      <div class="sr-only" aria-live="polite">${this._live}</div>
      <slot></slot>
    `;
  }
}

/** Elements whose keys are their own (typing, pressing a button): the viewer leaves those keys alone. */
function ownsKeys(el: HTMLElement): boolean {
  return (
    el.isContentEditable ||
    el.matches(
      'input, textarea, select, button, a[href], [role="button"], [role="slider"], [role="textbox"], [role="combobox"], [role="spinbutton"], [role="menuitem"]',
    )
  );
}

/** Range of modality values each decoded frame uses (window drag and key step sensitivity). */
const frameSpans = new WeakMap<Frame, number>();

function fmt(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (Number.isInteger(v)) return String(v);
  const a = Math.abs(v);
  return a >= 100 ? v.toFixed(0) : a >= 1 ? v.toFixed(1) : v.toPrecision(3);
}

function round(v: number, step: number): number {
  return step >= 1 ? Math.round(v) : v;
}

declare global {
  interface HTMLElementTagNameMap {
    'vx-viewer': VxViewer;
  }
}
