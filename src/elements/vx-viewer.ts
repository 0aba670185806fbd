import type { PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { ContextProvider } from '@lit/context';
import type { VoxmarkError } from '../core/errors.js';
import type { ReformattedStack } from '../core/image/reformat.js';
import type { Frame, ImageInput, ImageStack, VoiLutFunction, WindowPreset } from '../core/image/types.js';
import { createNavigationTools, type NavigationToolName } from '../core/tools/navigation.js';
import { clampZoom, imageToView, viewToImage } from '../render/view.js';
import { editorContext, viewerHostContext, type ViewState, type ViewerHost } from './viewer-host.js';
import { CineController, type CineHost } from './controllers/cine-controller.js';
import { DropController } from './controllers/drop-controller.js';
import { ImagePaintController } from './controllers/image-paint-controller.js';
import { KeyboardController } from './controllers/keyboard-controller.js';
import { PointerController } from './controllers/pointer-controller.js';
import { StackController, type LoadPhase } from './controllers/stack-controller.js';
import { ViewportController } from './controllers/viewport-controller.js';
import { WindowController } from './controllers/window-controller.js';
import { ViewerPlaneElement } from './viewer/plane-element.js';
import {
  actionContext,
  keyboardDeps,
  navigationContext,
  pointerDeps,
  type ToolContext,
} from './viewer/tool-context.js';
import { overlayText } from './viewer/overlay.js';
import { viewerStyles } from './viewer/styles.js';
import { viewerTemplate } from './viewer/template.js';
import {
  VxErrorEvent,
  VxLoadEvent,
  VxSliceChangeEvent,
  VxViewChangeEvent,
  VxViewerConnectedEvent,
  type ChangeSource,
} from './events.js';

export { NAVIGATION_TOOLS } from '../core/tools/navigation.js';
export type { LoadPhase } from './controllers/stack-controller.js';
export type { DicomWebSource } from './controllers/dicomweb-controller.js';

/**
 * A slice viewer for DICOM and TIFF stacks with PACS-style navigation, and the host of the annotation
 * layers placed inside it.
 *
 * @tag vx-viewer
 * @summary Scroll, window, zoom and pan through an image stack; hosts `<vx-*-layer>` annotation layers.
 *
 * @fires vx-viewer-connected - The viewer entered the page (linked controls look for it).
 * @fires vx-load - The first slice of a new stack is on screen. `detail.stack`.
 * @fires vx-error - Loading or decoding failed. `detail.error` is a `VoxmarkError`.
 * @fires vx-files-skipped - Files that hold no image were passed over. `detail.skipped: { index, name, code, reason }[]`.
 * @fires vx-series-found - The files held several DICOM series; the largest is shown. `detail: { series, index }`; see `openSeries`.
 * @fires vx-slice-change - The user moved to another slice. `detail: { slice, previous, source }`.
 * @fires vx-window-change - The user changed window/level or inversion. `detail: { center, width, invert, source }`.
 * @fires vx-view-change - The user zoomed or panned. `detail: { zoom, centerX, centerY }`.
 * @fires vx-tool-change - The tool changed through a key binding. `detail: { tool, previous }`.
 * @fires vx-annotation-create - Annotations were added, once per finished gesture. `detail: { annotations, origin, cause }`.
 * @fires vx-annotation-update - Annotations changed, once per finished gesture. `detail: { annotations, previous, origin, cause }`.
 * @fires vx-annotation-delete - Annotations were removed. `detail: { annotations, origin, cause }`.
 * @fires vx-annotation-delete-request - The user asked to delete `detail.ids`. Cancelable: `preventDefault()` vetoes.
 * @fires vx-selection-change - The selected annotation ids changed. `detail.ids`.
 * @fires vx-history-change - Undo/redo availability after an edit, undo or redo. `detail: { canUndo, canRedo, cause }`.
 * @fires vx-active-label-change - A label key (`label-1`…`label-9`) chose another active label. `detail: { label, previous }`.
 * @fires vx-restore - With `autosave`, a draft of this stack was restored into its document. `detail: { count, savedAt }`.
 * @fires vx-draft-found - With `autosave`, a draft exists for a document the host set: `restoreDraft()` or `discardDraft()`. `detail: { count, savedAt }`.
 * @fires vx-draft-conflict - With `autosave`, another page has this stack open; one of them saves drafts. `detail.saving`.
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
 * @cssprop [--vx-overlay-backdrop=rgb(0 0 0 / 0.65)] - Backdrop behind each overlay corner (contrast 4.5:1 or better even over white).
 * @cssprop [--vx-focus-ring=2px solid #4c9ffe] - Outline of the focused view.
 * @cssprop [--vx-progress-color=#4c9ffe] - Colour of the decode indicator.
 * @cssprop [--vx-error-color=#ffb4a9] - Error text colour.
 */
export class VxViewer extends ViewerPlaneElement implements ViewerHost, CineHost {
  static override shadowRootOptions: ShadowRootInit = {
    ...ViewerPlaneElement.shadowRootOptions,
    delegatesFocus: true,
  };
  static override styles = viewerStyles;

  // ---- public reactive properties -------------------------------------------------------------

  /** The image stack to show. Setting it replaces any stack loaded from `src`. */
  @property({ attribute: false })
  get stack(): ImageStack | undefined {
    return this.#load.stack;
  }
  set stack(value: ImageStack | undefined) {
    if (value === this.#load.stack) return;
    this.#load.abort();
    this.#load.set(value);
  }

  /**
   * URL of the image to load, or a list of URLs for a series (as a property, or as an attribute with
   * the URLs separated by spaces).
   */
  @property({ converter: { fromAttribute: srcFromAttribute } })
  src: string | string[] | undefined;

  /** Accessible name of the view. */
  @property() label = 'Image viewer';

  /** Current slice index (0-based). Setting it does not fire `vx-slice-change`. */
  @property({ type: Number })
  get slice(): number {
    return this.#load.slice;
  }
  set slice(value: number) {
    this.#goToSlice(Number(value), undefined);
  }

  /** Window centre (level) in modality units (HU for CT). NaN until an image is shown, unless set. */
  @property({ type: Number, attribute: 'window-center' })
  get windowCenter(): number {
    return this.#window.center;
  }
  set windowCenter(value: number) {
    this.#window.set(Number(value), this.#window.width, undefined);
  }

  /** Window width in modality units. */
  @property({ type: Number, attribute: 'window-width' })
  get windowWidth(): number {
    return this.#window.width;
  }
  set windowWidth(value: number) {
    this.#window.set(this.#window.center, Number(value), undefined);
  }

  /** Invert the greys (on top of MONOCHROME1, which is always shown inverted). */
  @property({ type: Boolean, reflect: true })
  get invert(): boolean {
    return this.#window.invert;
  }
  set invert(value: boolean) {
    this.#window.setInvert(!!value, undefined);
  }

  /** CSS pixels per image pixel (1 = native size). Setting it zooms about the view centre. */
  @property({ type: Number })
  get zoom(): number {
    return this.#viewport.zoom;
  }
  set zoom(value: number) {
    if (!(Number(value) > 0) || !Number.isFinite(Number(value))) return;
    if (clampZoom(Number(value)) !== this.#viewport.zoom) this.#viewport.set({ zoom: Number(value) }, false);
  }

  /** Window presets for keys 1–5. Defaults to CT presets for CT, then the file's own windows. */
  @property({ attribute: false })
  get windowPresets(): WindowPreset[] {
    return this.#window.presets;
  }
  set windowPresets(value: WindowPreset[] | undefined) {
    this.#window.presets = value;
    this.requestUpdate('windowPresets');
  }

  /** VOI function: the file's (LINEAR by default) unless set. */
  @property({ attribute: 'voi-function' })
  get voiFunction(): VoiLutFunction {
    return this.#window.fn;
  }
  set voiFunction(value: VoiLutFunction | undefined) {
    this.#window.fn = value;
    this.requestUpdate('voiFunction');
  }

  /** Cine frame rate (frames per second) for `C`. */
  @property({ type: Number, attribute: 'cine-fps' }) cineFps = 15;

  /** Hide the corner text. */
  @property({ type: Boolean, reflect: true, attribute: 'hide-overlays' }) hideOverlays = false;

  // ---- state and controllers ------------------------------------------------------------------

  /** The `src` last acted on: another value means a load is about to start. */
  #openedSrc: string | string[] | undefined;
  @state() private _cursor: [number, number] | undefined;

  readonly #cine = new CineController(this);
  readonly #load = new StackController(this, {
    replaced: (stack) => this.#replaced(stack),
    shown: (_index, frame, first) => this.#shown(frame, first),
    failed: (error) => this.dispatchEvent(new VxErrorEvent(error)),
    display: (stack) => this.displayStack(stack),
    changed: (old) => {
      this.annotations.settled();
      this.notify({ stack: true, slice: true, document: true, view: true });
      this.requestUpdate('stack', old);
    },
  });
  readonly #window = new WindowController(this, () => {
    this.#paint.invalidate();
    this.notify({ window: true });
  });
  readonly #viewport = new ViewportController(this, (view, oldZoom, user) => {
    this.viewerStage.setView(view);
    this.#paint.viewChanged();
    this.notify({ view: true });
    this.requestUpdate('zoom', oldZoom);
    if (user) this.dispatchEvent(new VxViewChangeEvent(view.zoom, view.centerX, view.centerY));
  });
  readonly #paint = new ImagePaintController(this, this.viewerStage, () => ({
    stack: this.plane,
    frame: this.frame,
    view: this.#viewport.state,
    window: { center: this.windowCenter, width: this.windowWidth, fn: this.voiFunction, invert: this.invert },
  }));
  readonly #context = this.#toolContext();
  readonly #navigation = createNavigationTools(navigationContext(this.#context));
  readonly #pointer = new PointerController(this, pointerDeps(this.#context));
  readonly #actionContext = actionContext(this.#context);
  constructor() {
    super();
    // Files dropped on the viewer or chosen in its file chooser open like `open(files)`.
    new DropController(this, (files) => void this.open(files));
    new KeyboardController(this, keyboardDeps(this.#context));
    new ContextProvider(this, { context: viewerHostContext, initialValue: this });
    new ContextProvider(this, { context: editorContext, initialValue: this.editor });
  }

  // ---- ViewerHost -----------------------------------------------------------------------------

  /** The decoded frame on screen (undefined until the first slice decodes). */
  get frame(): Frame | undefined {
    return this.#load.frame;
  }
  /** Slice index of the frame on screen (lags `slice` while a slice decodes). */
  get displayedSlice(): number {
    return this.#load.frameSlice;
  }
  /** Where loading stands: `empty`, `loading`, `ready` or `error`. */
  get phase(): LoadPhase {
    return this.#load.phase;
  }
  get view(): ViewState {
    return this.#viewport.state;
  }
  /** True while cine playback runs. */
  get playing(): boolean {
    return this.#cine.playing;
  }
  /** The error shown in the view, if any. */
  get error(): VoxmarkError | undefined {
    return this.#load.error;
  }
  clientToImage(clientX: number, clientY: number): [number, number] {
    const r = this.getBoundingClientRect();
    return viewToImage(this.#viewport.state, clientX - r.left, clientY - r.top);
  }
  imageToClient(x: number, y: number): [number, number] {
    const r = this.getBoundingClientRect();
    const [vx, vy] = imageToView(this.#viewport.state, x, y);
    return [vx + r.left, vy + r.top];
  }
  /** Milliseconds the last draw and the last image render took. For benchmarks. */
  get drawStats(): { drawMs: number; renderMs: number } {
    return { drawMs: this.viewerStage.lastDrawMs, renderMs: this.#paint.renderer.lastRenderMs };
  }

  // ---- public methods -------------------------------------------------------------------------

  /** Fits the image to the view. */
  fit(): void {
    this.#viewport.fit(false);
  }
  /** Resets zoom, pan and window to their initial state. */
  resetView(): void {
    this.#reset(undefined);
  }
  /** Sets zoom and the image point at the view centre at once. */
  setView(view: { zoom?: number; centerX?: number; centerY?: number }): void {
    this.#viewport.set(view, false);
  }
  /** Applies window preset `index` (0-based) of `windowPresets`. */
  applyPreset(index: number): boolean {
    return this.#window.applyPreset(index, undefined);
  }
  /** Starts or stops cine playback. */
  toggleCine(): void {
    this.#cine.toggle();
  }
  /**
   * Loads files or URLs (what a drop or the file input does). Files that hold no image are skipped
   * (`vx-files-skipped`); of several DICOM series the largest opens (`vx-series-found` lists them all).
   */
  open(inputs: ImageInput | ImageInput[]): Promise<void> {
    return this.#load.open(inputs);
  }
  /** Shows series `index` (largest first, as `vx-series-found` lists them) of the files last opened. */
  openSeries(index: number): Promise<void> {
    return this.#load.openSeries(index);
  }
  /** CineHost: one cine step; false while the current slice is still decoding. */
  cineStep(): boolean {
    const stack = this.stack;
    if (!stack || stack.depth < 2 || this.displayedSlice !== this.slice) return false;
    this.#goToSlice((this.slice + 1) % stack.depth, 'cine');
    return true;
  }

  // ---- lifecycle ------------------------------------------------------------------------------

  override connectedCallback(): void {
    super.connectedCallback();
    this.dispatchEvent(new VxViewerConnectedEvent());
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.notify({ disconnected: true });
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    if (!changed.has('src')) return;
    this.#openedSrc = this.src;
    if (this.src?.length) void this.open(this.src);
  }

  override render() {
    return viewerTemplate(this, this.container, overlayText(this, this._cursor), this.loadView(this.#load));
  }

  // ---- changes --------------------------------------------------------------------------------

  /**
   * The one rule for gestures: a new stack, document or tool, or a slice change by the user, ends the active
   * tool's gesture (nothing is left behind). Called just before any of them changes.
   */
  protected endGesture(): void {
    this.#pointer.endToolGesture();
  }

  protected loadingNextImage(): boolean {
    return !this.stack || this.#load.reading || this.archive.loading || this.src !== this.#openedSrc;
  }

  /** A new stack replaces the old: everything about the old one goes, and the stack gets its document. */
  #replaced(stack: ImageStack | undefined): void {
    this.endGesture();
    this.#cine.stop();
    this._cursor = undefined;
    this.#window.newStack();
    this.viewerStage.setImage(undefined, 0, 0);
    this.#viewport.mode = 'fit';
    if (!stack || !(stack.depth >= 1)) return;
    this.adoptDocument(stack);
    this.#viewport.fit(false);
  }

  protected planeChanged(_plane: ReformattedStack, slice: number): void {
    this.endGesture();
    this.viewerStage.setImage(undefined, 0, 0);
    this.#load.redisplay(slice);
    this.#viewport.fit(false);
    this.notify({ plane: true, slice: true });
  }

  #shown(frame: Frame, first: boolean): void {
    if (first) {
      this.#window.firstFrame(this.stack!, frame);
      this.#viewport.fit(false);
    }
    this.#paint.invalidate();
    this.notify({ frame: true });
    if (!first) return;
    const stack = this.stack!;
    void this.viewerStage.nextDraw().then(() => {
      if (this.stack === stack) this.dispatchEvent(new VxLoadEvent(stack));
    });
  }

  #goToSlice(value: number, source: ChangeSource | undefined): void {
    const next = this.#load.target(value);
    if (next === undefined) return;
    // A slice the host sets, or cine, leaves a host tool's gesture alone (the editor's tools end theirs).
    if (source && source !== 'cine') this.endGesture();
    const previous = this.#load.goTo(next);
    this.notify({ slice: true });
    this.requestUpdate('slice', previous);
    if (source) this.dispatchEvent(new VxSliceChangeEvent(this.slice, previous, source));
  }

  #reset(source: ChangeSource | undefined): void {
    this.#viewport.fit(source !== undefined);
    this.#window.reset(source);
  }

  protected updateCursor(): void {
    this.#pointer.updateCursor();
  }

  /** The one context the tools and input controllers act through. */
  #toolContext(): ToolContext {
    return {
      element: this,
      container: this.container,
      stack: () => this.plane,
      slice: () => this.slice,
      keymap: () => this.keymap,
      viewport: () => this.#viewport,
      window: () => this.#window,
      cine: () => this.#cine,
      pointer: () => this.#pointer,
      toolName: () => this.tool,
      handler: () => this.handler,
      navigation: (name) => this.#navigation[name as NavigationToolName],
      hasTool: (name) => this.registry.tools.has(name) || name in this.#navigation,
      runActions: (e, actions) => this.registry.runActions(e, actions),
      actions: () => this.#actionContext,
      setTool: (name, user) => this.setTool(name, user),
      goToSlice: (slice, source) => this.#goToSlice(slice, source),
      reset: (source) => this.#reset(source),
      hover: (point) => (this._cursor = point),
      announce: (text) => this.#load.announce(text),
    };
  }
}

function srcFromAttribute(v: string | null): string | string[] | undefined {
  const urls = (v ?? '').split(/\s+/).filter(Boolean);
  return urls.length === 0 ? undefined : urls.length === 1 ? urls[0] : urls;
}

declare global {
  interface HTMLElementTagNameMap {
    'vx-viewer': VxViewer;
  }
}
