import { LitElement, html, nothing, svg, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { ContextProvider } from '@lit/context';
import type { AnnotationDocument } from '../core/annotation/document.js';
import { ErrorCode, VoxmarkError } from '../core/errors.js';
import type { Vec3 } from '../core/image/geometry.js';
import type { ImageStack } from '../core/image/types.js';
import { defaultKeymap, matchActions, type Keymap } from '../core/keymap.js';
import type { LabelSchema } from '../core/schema/types.js';
import { CrosshairModel, MPR_PLANES, PLANE_COLORS, type MprPlane } from './mpr/crosshair.js';
import { mprStyles } from './mpr/styles.js';
import { VxCrosshairChangeEvent, VxErrorEvent } from './events.js';
import { viewerHostContext } from './viewer-host.js';
// lit-analyzer checks that the module defining each tag rendered here is imported: the views are viewers.
// eslint-disable-next-line @typescript-eslint/consistent-type-imports
import { VxViewer } from './vx-viewer.js';
import { VxBoxLayer } from './vx-box-layer.js';
import { VxMaskLayer } from './vx-mask-layer.js';
import { VxPolygonLayer } from './vx-polygon-layer.js';

export { MPR_PLANES, type MprPlane } from './mpr/crosshair.js';

/** The layouts of `<vx-mpr>`: three views in a row, or a 2×2 grid whose fourth cell is the `aside` slot. */
export const MPR_LAYOUTS = ['1x3', '2x2'] as const;
export type MprLayout = (typeof MPR_LAYOUTS)[number];

/** The tool name that makes a left click or drag move the crosshair (`mpr.tool = 'crosshair'`). */
export const CROSSHAIR_TOOL = 'crosshair';

/** Keys of `<vx-mpr>` on top of the viewer's: `crosshair-toggle` shows or hides the crosshair lines. */
export const MPR_KEYMAP = { 'crosshair-toggle': ['k'] } as const satisfies Keymap;

/** The annotation layers `layers` may name, by word: the element class and the markup put in every view. */
const LAYERS = {
  mask: { element: VxMaskLayer, markup: html`<vx-mask-layer></vx-mask-layer>` },
  box: { element: VxBoxLayer, markup: html`<vx-box-layer></vx-box-layer>` },
  polygon: { element: VxPolygonLayer, markup: html`<vx-polygon-layer></vx-polygon-layer>` },
} as const;

/** Half the gap (CSS px) each crosshair line leaves around the point, so the voxel under it stays visible. */
const GAP = 8;

/**
 * Multiplanar reformatting: the axial, coronal and sagittal planes of one stack in three `<vx-viewer
 * orientation>` views over ONE annotation document, with a linked crosshair and linked window/level.
 *
 * - With the `crosshair` tool (the default) a left click or drag in any view moves the crosshair there and
 *   the other two views to the slices through it; scrolling a view moves the crosshair along its normal.
 *   Other tools (`brush`, `box`, …) act in every view as in a viewer; right-drag windows, middle-drag pans,
 *   the wheel scrolls, Ctrl+wheel zooms, whatever the tool.
 * - Window/level and inversion are linked across the three views; zoom and pan stay per view.
 * - `K` shows or hides the crosshair lines (`crosshair-toggle` in `keymap`).
 *
 * @tag vx-mpr
 * @summary Axial, coronal and sagittal views of one stack and one document, with a linked crosshair.
 *
 * @fires vx-crosshair-change - The user moved the crosshair (click, drag or scroll). `detail: { position, voxel }`: patient mm (LPS) and the source voxel `[column, row, slice]` in acquisition order.
 * @fires vx-error - The stack cannot be shown in the three planes, or `src` failed to load. `detail.error`.
 *
 * @slot aside - The fourth cell of the 2×2 layout: a label list, a legend, anything the host puts there. Controls placed there (`<vx-label-picker>`, `<vx-toolbar>`) bind to the views without `for`: they follow the axial view, and every view takes the label and tool they set.
 *
 * @csspart view - Each view's `<vx-viewer>` (also `axial`, `coronal` and `sagittal`).
 * @csspart aside - The fourth cell of the 2×2 layout.
 *
 * @cssprop [--vx-mpr-gap=2px] - Gap between the views.
 * @cssprop [--vx-mpr-background=#222] - Colour of the gaps.
 * @cssprop [--vx-mpr-aside-background=#111] - Background of the aside cell.
 * @cssprop [--vx-mpr-aside-color=#e8e8e8] - Text colour of the aside cell.
 * @cssprop [--vx-crosshair-width=1px] - Width of the crosshair lines.
 * @cssprop [--vx-crosshair-opacity=0.85] - Opacity of the crosshair lines.
 */
export class VxMpr extends LitElement {
  static override styles = mprStyles;

  /** `'1x3'` (three views in a row, the default) or `'2x2'` (the fourth cell is the `aside` slot). */
  @property({ reflect: true }) layout: MprLayout = '1x3';

  /** URL of the series to load (as `<vx-viewer src>`: a list of URLs, or space-separated in the attribute). */
  @property({ converter: { fromAttribute: (v) => srcList(v) } })
  src: string | string[] | undefined;

  /** Hide the crosshair lines (the crosshair still links the views). `K` toggles it. */
  @property({ type: Boolean, reflect: true, attribute: 'hide-crosshair' }) hideCrosshair = false;

  /** The active tool in every view: `crosshair` (default), or any viewer tool (`window`, `brush`, …). */
  @property({ reflect: true }) tool = CROSSHAIR_TOOL;

  /** Label schema of the three views. */
  @property({ attribute: false }) labelSchema: LabelSchema | undefined;

  /** Id of the label new annotations get, in every view. */
  @property({ attribute: 'active-label' }) activeLabel: string | undefined;

  /** Annotation layers in each view, by word: `mask`, `box`, `polygon` (space-separated). Default `mask`. */
  @property() layers = 'mask';

  /** Key bindings of the three views, plus `crosshair-toggle`. Replace the whole object to remap. */
  @property({ attribute: false }) keymap: Keymap = { ...defaultKeymap(), ...copy(MPR_KEYMAP) };

  @state() private _model: CrosshairModel | undefined;
  #stack: ImageStack | undefined;
  #document: AnnotationDocument | undefined;
  #drag: { plane: MprPlane; pointerId: number } | undefined;
  #syncing = false;
  /** Controls in the `aside` slot (label picker, toolbar) bind to the axial view, as inside a viewer. */
  readonly #host = new ContextProvider(this, { context: viewerHostContext });

  /** The stack shown in the three planes. Setting it replaces any stack loaded from `src`. */
  @property({ attribute: false })
  get stack(): ImageStack | undefined {
    return this.#stack;
  }
  set stack(value: ImageStack | undefined) {
    if (value === this.#stack) return;
    const old = this.#stack;
    this.#stack = value;
    this._model = undefined;
    if (value) {
      try {
        this._model = new CrosshairModel(value);
      } catch (e) {
        this.dispatchEvent(
          new VxErrorEvent(e instanceof VoxmarkError ? e : new VoxmarkError(ErrorCode.Corrupt, String(e))),
        );
      }
    }
    this.requestUpdate('stack', old);
  }

  /** The one annotation document of the three views (the axial view's, unless the host set one). */
  @property({ attribute: false })
  get document(): AnnotationDocument | undefined {
    return this.#document ?? this.viewer('axial')?.document;
  }
  set document(value: AnnotationDocument | undefined) {
    const old = this.document;
    this.#document = value;
    if (value) for (const v of this.#viewers()) v.document = value;
    this.requestUpdate('document', old);
  }

  /** The view of `plane`, once rendered. */
  viewer(plane: MprPlane): VxViewer | undefined {
    return this.renderRoot?.querySelector<VxViewer>(`vx-viewer[data-plane='${plane}']`) ?? undefined;
  }

  /** Patient position of the crosshair (LPS, mm), or undefined without a stack. */
  get position(): Vec3 | undefined {
    return this._model?.position;
  }

  /** The source voxel `[column, row, slice]` (acquisition order) under the crosshair. */
  get voxel(): Vec3 | undefined {
    return this._model?.voxel;
  }
  /** Moves the crosshair to a voxel and the views to the slices through it (fires nothing). */
  set voxel(value: readonly number[] | undefined) {
    if (!value || !this._model) return;
    this._model.setVoxel(value);
    this.#showSlices(undefined);
    this.requestUpdate();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.addEventListener('keydown', this.#onKeyDown);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.removeEventListener('keydown', this.#onKeyDown);
  }

  protected override firstUpdated(): void {
    for (const plane of MPR_PLANES) this.#wire(plane, this.viewer(plane)!);
    this.#host.setValue(this.viewer('axial'));
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('stack')) this.#applyStack();
    // The axial view loads `src`; its vx-load hands the stack to the other two (see #loaded).
    if (changed.has('src') && this.src?.length) this.viewer('axial')!.src = this.src;
  }

  override render() {
    const words = new Set(this.layers.split(/\s+/));
    const layers = (Object.keys(LAYERS) as (keyof typeof LAYERS)[])
      .filter((w) => words.has(w))
      .map((w) => LAYERS[w].markup);
    const viewerTool = this.#viewerTool();
    return html`
      ${MPR_PLANES.map(
        (plane) =>
          html`<div class="cell">
            <vx-viewer
              data-plane=${plane}
              part="view ${plane}"
              orientation=${plane}
              label=${`${plane[0]!.toUpperCase()}${plane.slice(1)} view`}
              .tool=${viewerTool}
              .keymap=${this.keymap}
              .labelSchema=${this.labelSchema}
              .activeLabel=${this.activeLabel}
              >${layers}</vx-viewer
            >
            ${this.hideCrosshair ? nothing : this.#crosshair(plane)}
          </div>`,
      )}
      <div class="cell aside" part="aside"><slot name="aside"></slot></div>
    `;
  }

  /** The views' tool: the crosshair is this element's; the views keep 'window' under it. */
  #viewerTool(): string {
    return this.tool === CROSSHAIR_TOOL ? 'window' : this.tool;
  }

  /** The traces of the other two planes in `plane`'s view, with a gap around the crosshair point. */
  #crosshair(plane: MprPlane) {
    const model = this._model;
    const v = this.viewer(plane);
    if (!model || !v || v.phase !== 'ready') return nothing;
    const r = v.getBoundingClientRect();
    const [cx, cy] = v.imageToClient(...model.pointIn(plane));
    const x = cx - r.left;
    const y = cy - r.top;
    const { width: w, height: h } = r;
    const lines = model.linesIn(plane).map(({ plane: other, axis }) => {
      const color = PLANE_COLORS[other];
      return axis === 'h'
        ? svg`<line data-plane=${other} x1="0" y1=${y} x2=${x - GAP} y2=${y} stroke=${color} />
            <line data-plane=${other} x1=${x + GAP} y1=${y} x2=${w} y2=${y} stroke=${color} />`
        : svg`<line data-plane=${other} x1=${x} y1="0" x2=${x} y2=${y - GAP} stroke=${color} />
            <line data-plane=${other} x1=${x} y1=${y + GAP} x2=${x} y2=${h} stroke=${color} />`;
    });
    return html`<svg class="crosshair" data-plane=${plane} aria-hidden="true">${lines}</svg>`;
  }

  // ---- wiring ---------------------------------------------------------------------------------

  #viewers(): VxViewer[] {
    return MPR_PLANES.map((p) => this.viewer(p)).filter((v): v is VxViewer => !!v);
  }

  /** The views get the stack and the one document, and go to the slices through the crosshair. */
  #applyStack(): void {
    const stack = this.#stack;
    const axial = this.viewer('axial');
    if (!axial) return;
    for (const v of this.#viewers()) v.stack = stack;
    const doc = this.#document ?? axial.document;
    if (doc) for (const v of this.#viewers()) if (v.document !== doc) v.document = doc;
    this.#showSlices(undefined);
  }

  /** Every view but `except` to the slice through the crosshair. */
  #showSlices(except: MprPlane | undefined): void {
    const model = this._model;
    if (!model) return;
    for (const plane of MPR_PLANES) {
      const v = this.viewer(plane);
      if (plane !== except && v && v.stack && v.slice !== model.sliceOf(plane))
        v.slice = model.sliceOf(plane);
    }
  }

  #wire(plane: MprPlane, v: VxViewer): void {
    // The views live and die with this element's shadow root: their listeners need no removal.
    const on = <K extends keyof HTMLElementEventMap>(
      type: K,
      fn: (e: HTMLElementEventMap[K]) => void,
      capture = false,
    ) => v.addEventListener(type, fn as EventListener, { capture });
    on('pointerdown', (e) => this.#pointerDown(plane, v, e), true);
    on('pointermove', (e) => this.#pointerMove(plane, v, e), true);
    on('pointerup', (e) => this.#pointerUp(v, e), true);
    on('pointercancel', (e) => this.#pointerUp(v, e), true);
    on('vx-load', (e) => this.#loaded(plane, v, e.detail.stack));
    on('vx-slice-change', (e) => this.#sliceChanged(plane, e.detail.slice));
    on('vx-window-change', (e) =>
      this.#sync(v, (o) => {
        o.windowCenter = e.detail.center;
        o.windowWidth = e.detail.width;
        o.invert = e.detail.invert;
      }),
    );
    on('vx-active-label-change', (e) => (this.activeLabel = e.detail.label));
    on('vx-tool-change', (e) => (this.tool = e.detail.tool));
    on('vx-selection-change', (e) => this.#sync(v, (o) => o.selection.set(e.detail.ids)));
    v.subscribe((change) => {
      if (change.view || change.frame || change.stack || change.slice) this.requestUpdate();
      // A control (toolbar, label picker) set the view's label or tool: every view takes it.
      if (change.activeLabel && v.activeLabel !== this.activeLabel) this.activeLabel = v.activeLabel;
      if (change.tool && v.tool !== this.#viewerTool()) this.tool = v.tool;
    });
  }

  /** Applies a change of `from` to the other two views, once (their own events do not echo back). */
  #sync(from: VxViewer, apply: (other: VxViewer) => void): void {
    if (this.#syncing) return;
    this.#syncing = true;
    try {
      for (const o of this.#viewers()) if (o !== from) apply(o);
    } finally {
      this.#syncing = false;
    }
  }

  #loaded(plane: MprPlane, v: VxViewer, loaded: ImageStack): void {
    const source = sourceOf(loaded);
    if (source !== this.#stack) {
      // The axial view loaded `src` (or a dropped file): the other two show the same stack and document.
      this.stack = source;
      this.#applyStack();
      return;
    }
    if (this._model && v.slice !== this._model.sliceOf(plane)) v.slice = this._model.sliceOf(plane);
    // The first view on screen sets the window of the others; later ones take it.
    const shown = this.#viewers().find(
      (o) => o !== v && o.phase === 'ready' && Number.isFinite(o.windowCenter),
    );
    if (shown) {
      v.windowCenter = shown.windowCenter;
      v.windowWidth = shown.windowWidth;
      v.invert = shown.invert;
    }
    this.requestUpdate();
  }

  #sliceChanged(plane: MprPlane, slice: number): void {
    const model = this._model;
    if (!model || model.sliceOf(plane) === slice) return;
    model.setSlice(plane, slice);
    this.requestUpdate();
    this.#fire();
  }

  // ---- crosshair input ------------------------------------------------------------------------

  #pointerDown(plane: MprPlane, v: VxViewer, e: PointerEvent): void {
    if (this.tool !== CROSSHAIR_TOOL || e.button !== 0 || e.shiftKey || e.ctrlKey || e.altKey || e.metaKey)
      return;
    if (!this._model || v.phase !== 'ready') return;
    // The view's own tools never see this press: the crosshair has it.
    e.stopPropagation();
    e.preventDefault();
    v.focus();
    v.setPointerCapture(e.pointerId);
    this.#drag = { plane, pointerId: e.pointerId };
    this.#moveTo(plane, v, e.clientX, e.clientY);
  }

  #pointerMove(plane: MprPlane, v: VxViewer, e: PointerEvent): void {
    if (this.#drag?.pointerId !== e.pointerId || this.#drag.plane !== plane) return;
    e.stopPropagation();
    this.#moveTo(plane, v, e.clientX, e.clientY);
  }

  #pointerUp(v: VxViewer, e: PointerEvent): void {
    if (this.#drag?.pointerId !== e.pointerId) return;
    e.stopPropagation();
    this.#drag = undefined;
    if (v.hasPointerCapture(e.pointerId)) v.releasePointerCapture(e.pointerId);
  }

  #moveTo(plane: MprPlane, v: VxViewer, clientX: number, clientY: number): void {
    const model = this._model!;
    const [x, y] = v.clientToImage(clientX, clientY);
    const before = model.position.join();
    model.setFromView(plane, x, y, v.slice);
    if (model.position.join() === before) return;
    this.#showSlices(plane);
    this.requestUpdate();
    this.#fire();
  }

  #fire(): void {
    const model = this._model!;
    this.dispatchEvent(new VxCrosshairChangeEvent(model.position, model.voxel));
  }

  #onKeyDown = (e: KeyboardEvent): void => {
    if (e.defaultPrevented || !matchActions(this.keymap, e).includes('crosshair-toggle')) return;
    e.preventDefault();
    this.hideCrosshair = !this.hideCrosshair;
  };
}

/** A plane a view reports (if the view's stack is a reformatted one) leads back to its source stack. */
function sourceOf(stack: ImageStack): ImageStack {
  const s = stack as ImageStack & { source?: ImageStack; orientation?: string };
  return s.source && s.orientation ? s.source : stack;
}

function srcList(v: string | null): string | string[] | undefined {
  const urls = (v ?? '').split(/\s+/).filter(Boolean);
  return urls.length === 0 ? undefined : urls.length === 1 ? urls[0] : urls;
}

function copy(keymap: Keymap): Record<string, string[]> {
  return Object.fromEntries(Object.entries(keymap).map(([k, v]) => [k, [...v]]));
}

declare global {
  interface HTMLElementTagNameMap {
    'vx-mpr': VxMpr;
  }
}
