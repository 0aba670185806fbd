/**
 * The annotation side of a viewer: its editor (tools, selection, hide/lock, clipboard), the renderer its
 * layers draw through, the editor's key actions and label keys, and the host-facing annotation events.
 * @module
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import {
  createAnnotationDocument,
  type AnnotationDocument,
  type DocumentChange,
} from '../../core/annotation/document.js';
import { bindDocument } from '../../core/formats/document.js';
import { measurementText } from '../../core/annotation/measure.js';
import type { ImageStack } from '../../core/image/types.js';
import type { SelectionState } from '../../core/session/selection.js';
import type { Annotation, AnnotationKind, AttributeValue } from '../../core/annotation/types.js';
import { AnnotationEditor, EDITOR_ACTIONS, type EditorTools } from '../../core/tools/editor.js';
import type { SliceValues, Tool } from '../../core/tools/tool.js';
import { treeRows } from '../../core/schema/tree.js';
import { showsSourceSlices } from '../../core/tools/plane.js';
import { PlaneVolumes } from './plane-volumes.js';
import type { AnnotationRenderer } from '../../render/annotation-renderer.js';
import type { StageModules, StageSlot } from '../viewer/stage-loader.js';
import type { LayerContribution, ToolHandler, ViewerChange, ViewerHost } from '../viewer-host.js';
import {
  VxActiveLabelChangeEvent,
  VxAnnotationCreateEvent,
  VxAnnotationDeleteEvent,
  VxAnnotationDeleteRequestEvent,
  VxAnnotationUpdateEvent,
  VxHistoryChangeEvent,
  VxSelectionChangeEvent,
} from '../events.js';

/** The viewer as its annotation controller sees it. */
export interface AnnotationViewer extends ViewerHost, ReactiveControllerHost, HTMLElement {
  activeLabel: string | undefined;
  /** Slice index of the frame on screen (lags `slice` while a slice decodes). */
  readonly displayedSlice: number;
}

export type { LayerContribution } from '../viewer-host.js';

/** Editor actions that run in any plane (the others act on the current slice's annotations). */
const PLANE_ACTIONS: ReadonlySet<string> = new Set(['undo', 'redo', 'hide-toggle', 'lock-toggle']);

/** Makes the document of a new stack (what `VxViewer.createDocument` is by default). */
export function documentForStack(stack: ImageStack): AnnotationDocument {
  return createAnnotationDocument({ width: stack.width, height: stack.height, depth: stack.depth });
}

/**
 * Owned by the viewer from its construction: `viewer.editor` and `viewer.selection` exist before any layer.
 * Layers only declare their kinds and tools ({@link AnnotationController.addLayer}); the Konva layers that
 * draw annotations exist while at least one layer element is inside the viewer. Every change reaches the
 * page once: `vx-annotation-create|update|delete` per committed change set, `vx-history-change` once the change has
 * settled (after an undo or redo, a microtask later, so its flags equal the document's), `vx-selection-change` when the selected ids change.
 */
export class AnnotationController implements ReactiveController {
  readonly editor: AnnotationEditor;
  #viewer: AnnotationViewer;
  #renderer: AnnotationRenderer | undefined;
  #layerCount = 0;
  /** Counts the times layers arrived in an empty viewer: a renderer is made for the latest only. */
  #openings = 0;
  #stage: StageSlot;
  #document: AnnotationDocument | undefined;
  /** The host set the document while its image loaded: keep it for that image if the sizes agree. */
  #documentFromHost = false;
  #layerCleanups: (() => void)[] = [];
  readonly #kinds = new Map<AnnotationKind, number>();
  readonly #kindSet = new Set<string>();
  readonly #tools = new Map<string, { count: number; remove: () => void }>();
  #doc: AnnotationDocument | undefined;
  #docUnsub: (() => void) | undefined;
  #slice = -1;
  #lastSelection = '';
  readonly #volumes = new PlaneVolumes();

  constructor(viewer: AnnotationViewer, stage: StageSlot) {
    this.#viewer = viewer;
    this.#stage = stage;
    this.editor = new AnnotationEditor(this.#editorHost());
    viewer.addController(this);
    viewer.subscribe((c) => this.#onViewerChange(c));
    this.editor.selection.subscribe(() => this.#onSelection());
    this.editor.visibility.subscribe(() => this.#onVisibility());
    for (let n = 1; n <= 9; n++) viewer.registerAction(`label-${n}`, () => this.#chooseLabel(n));
  }

  hostDisconnected(): void {
    // The layers leave with the viewer; a gesture left open would swallow the next press.
    this.editor.cancelGesture();
  }

  /** The selection (ids, hover); outside the document, as the editor's. */
  get selection(): SelectionState {
    return this.editor.selection;
  }

  /** The document: the one made for the current stack, or the one the host set. */
  get document(): AnnotationDocument | undefined {
    return this.#document;
  }

  /** The host sets the document; `forNextImage` when an image is loading (or none is shown yet). */
  setDocument(value: AnnotationDocument | undefined, forNextImage: boolean): void {
    this.#document = value;
    this.#documentFromHost = !!value && forNextImage;
  }

  /** A new stack: keeps a document the host set for it (when its size matches), else makes one. */
  adopt(stack: ImageStack, create: (stack: ImageStack) => AnnotationDocument): void {
    const doc = this.#document;
    const fits = doc?.width === stack.width && doc.height === stack.height && doc.depth === stack.depth;
    if (!(this.#documentFromHost && fits)) this.#document = create(stack);
  }

  /** The stack is in place: a document set from now on is the host's replacement for it. */
  settled(): void {
    this.#documentFromHost = false;
  }

  /** The kinds the layers draw. */
  get kinds(): ReadonlySet<AnnotationKind> {
    return this.#kindSet as ReadonlySet<AnnotationKind>;
  }

  /** The renderer, while a layer element is inside the viewer. */
  get renderer(): AnnotationRenderer | undefined {
    return this.#renderer;
  }

  /** Adds a layer's kinds and tools; returns the function that removes them again. */
  addLayer(layer: LayerContribution): () => void {
    if (this.#layerCount++ === 0) this.#open();
    for (const k of layer.kinds) this.#kinds.set(k, (this.#kinds.get(k) ?? 0) + 1);
    const tools = layer.tools.map((name) => this.#addTool(name));
    if (layer.options) this.editor.setOptions(layer.options);
    this.#syncKinds();
    return () => {
      for (const k of layer.kinds) this.#kinds.set(k, (this.#kinds.get(k) ?? 1) - 1);
      for (const removeTool of tools) removeTool();
      if (--this.#layerCount === 0) this.#close();
      else this.#syncKinds();
    };
  }

  /** Schedules a draw of the annotation layers (mask overlay composed first). */
  draw(): void {
    const r = this.#renderer;
    if (!r) return;
    r.flushMasks();
    for (const layer of r.takeDirtyLayers()) this.#viewer.requestDraw(layer);
  }

  // ---- layers present: renderer, tools and editor keys ----------------------------------------

  #open(): void {
    const v = this.#viewer;
    const editor = this.editor;
    const opening = ++this.#openings;
    // The renderer needs the stage, which Konva brings: at once when loaded, else once the viewer has it.
    const late = !this.#stage.stage;
    this.#stage.when((_stage, modules) => {
      if (opening === this.#openings && this.#layerCount > 0) this.#makeRenderer(modules, late);
    });
    this.#layerCleanups.push(
      this.#addTool('select'),
      ...EDITOR_ACTIONS.map((action) =>
        v.registerAction(action, () => !!this.#doc && this.#actsHere(action) && editor.run(action)),
      ),
    );
    this.editor.setActiveTool(v.tool);
    this.#showSlice();
  }

  /** The Konva side of the layers: their three canvases' groups and the renderer drawing into them. */
  #makeRenderer(modules: StageModules, late: boolean): void {
    const v = this.#viewer;
    const layers = {
      masks: v.createLayer('vx-annotation-masks', { zIndex: 10 }),
      shapes: v.createLayer('vx-annotation-shapes', { zIndex: 11 }),
      preview: v.createLayer('vx-annotation-preview', { zIndex: 12, overlay: true }),
    };
    const editor = this.editor;
    const color = modules.fallbackColor;
    this.#renderer = new modules.AnnotationRenderer(layers, {
      colorOf: (label) => v.labelSchema?.labels.find((l) => l.id === label)?.color ?? color(label),
      isVisible: (a) => editor.visibility.isVisible(a),
      isSelected: (id) => editor.selection.has(id),
      isHovered: (id) => editor.selection.hovered === id,
      scale: () => v.view?.scaleX ?? 1,
      kinds: () => this.#kindSet,
      measure: (a) => {
        const unit = v.stack?.metadata['spacingUnit'];
        return measurementText(a, v.stack?.spacing, typeof unit === 'string' ? unit : 'mm');
      },
    });
    const display = () => {
      const o = editor.options;
      this.#renderer?.setMaskDisplay({ opacity: o.maskOpacity, outline: o.maskOutline });
    };
    display();
    this.#layerCleanups.unshift(
      editor.subscribeOptions(() => (display(), this.draw())),
      () => this.#renderer?.destroy(),
      () => Object.values(layers).forEach((l) => l.destroy()),
    );
    if (this.#doc) this.#renderer.setSize(this.#doc.width, this.#doc.height);
    if (!late) return;
    this.#renderer.restyle();
    this.#onToolChanged();
    this.#showSlice();
  }

  #close(): void {
    this.editor.cancelGesture();
    for (const c of this.#layerCleanups.splice(0)) c();
    this.#renderer = undefined;
    this.#kinds.clear();
    this.#kindSet.clear();
  }

  /** Registers editor tool `name` with the viewer (once, however many layers bring it). */
  #addTool(name: keyof EditorTools): () => void {
    const entry = this.#tools.get(name);
    if (entry) entry.count++;
    else this.#tools.set(name, { count: 1, remove: this.#viewer.registerTool(name, this.#handler(name)) });
    return () => {
      const e = this.#tools.get(name);
      if (!e || --e.count > 0) return;
      this.#tools.delete(name);
      e.remove();
    };
  }

  /** The viewer-facing handler of an editor tool: input only while there is a document. */
  #handler(name: keyof EditorTools): ToolHandler {
    const editor = this.editor;
    const tool: Tool = editor.tools[name];
    const doc = () => !!this.#doc;
    return {
      // A drag the active label does not allow draws nothing: the cursor says so before the press.
      get cursor() {
        return tool.blockedReason ? 'not-allowed' : tool.cursor;
      },
      get blockedReason() {
        return tool.blockedReason;
      },
      activate: () => editor.setActiveTool(name),
      deactivate: () => {
        if (editor.activeTool === tool) editor.setActiveTool(undefined);
      },
      onPointerDown: (e) => doc() && tool.onPointerDown(e),
      onPointerMove: (e) => doc() && tool.onPointerMove(e),
      onPointerUp: (e) => doc() && tool.onPointerUp(e),
      onDoubleClick: (e) => doc() && tool.onDoubleClick(e),
      onPointerLeave: () => tool.onPointerLeave(),
      onKeyDown: (e, actions) => doc() && tool.onKeyDown(e, actions),
      cancel: () => tool.cancel(),
      complete: () => doc() && tool.complete(),
    };
  }

  /** Outside the source's slices only the actions that touch no per-slice annotation run (copy, paste…). */
  #actsHere(action: string): boolean {
    return PLANE_ACTIONS.has(action) || showsSourceSlices(this.#viewer.plane);
  }

  /** The per-slice annotations on screen: those of the current slice, none in another plane. */
  #onScreen(): readonly Annotation[] {
    const doc = this.#doc;
    return doc && showsSourceSlices(this.#viewer.plane) ? doc.bySlice(this.#slice) : [];
  }

  #syncKinds(): void {
    this.#kindSet.clear();
    for (const [k, n] of this.#kinds) if (n > 0) this.#kindSet.add(k);
    this.#renderer?.restyle();
    this.draw();
  }

  // ---- the editor's view of the viewer --------------------------------------------------------

  #editorHost(): ConstructorParameters<typeof AnnotationEditor>[0] {
    const v = this.#viewer;
    const doc = () => this.#doc;
    const labelDef = (label: string) => v.labelSchema?.labels.find((l) => l.id === label);
    return {
      get document() {
        return doc();
      },
      get slice() {
        return v.slice;
      },
      get activeLabel() {
        return v.activeLabel;
      },
      get pixelSize() {
        return 1 / (v.view?.scaleX || 1);
      },
      get depth() {
        return v.stack?.depth;
      },
      get plane() {
        return v.plane;
      },
      sliceValues: () => this.#sliceValues(),
      changed: () => this.#onToolChanged(),
      confirmDelete: (ids) => v.dispatchEvent(new VxAnnotationDeleteRequestEvent(ids)),
      defaultAttributes: (label) => {
        const out: Record<string, AttributeValue> = {};
        for (const attr of labelDef(label)?.attributes ?? [])
          if (attr.default !== undefined) out[attr.id] = attr.default;
        return out;
      },
      allows: (label, kind) => {
        const def = labelDef(label);
        return !def || !def.kinds?.length || def.kinds.includes(kind);
      },
    };
  }

  #sliceValues(): SliceValues | undefined {
    const v = this.#viewer;
    const f = v.frame;
    // While the current slice decodes, the frame on screen is another slice's: no threshold from it.
    if (!f || f.samplesPerPixel !== 1 || v.displayedSlice !== v.slice) return undefined;
    return { values: f.data, width: f.width, slope: f.rescaleSlope, intercept: f.rescaleIntercept };
  }

  /** Key `label-N`: the n-th label as the label picker lists it (children under their parent). */
  #chooseLabel(n: number): boolean {
    const v = this.#viewer;
    const label = treeRows(v.labelSchema)[n - 1]?.label;
    if (!label) return false;
    const previous = v.activeLabel;
    v.activeLabel = label.id;
    if (previous !== label.id) v.dispatchEvent(new VxActiveLabelChangeEvent(label.id, previous));
    return true;
  }

  // ---- changes --------------------------------------------------------------------------------

  #attachDocument(): void {
    const doc = this.#document;
    if (doc === this.#doc) return;
    this.editor.cancelGesture();
    this.#docUnsub?.();
    this.#docUnsub = undefined;
    this.#doc = doc && typeof doc.bySlice === 'function' ? doc : undefined;
    this.editor.selection.clear();
    if (this.#doc) {
      this.#docUnsub = this.#doc.subscribe((c) => this.#onDocumentChange(c));
    }
    this.#showSlice();
  }

  #showSlice(): void {
    this.#slice = this.#viewer.slice;
    if (!this.#renderer) return;
    // The overlay is as large as the frame on screen: the plane's, the document's on its own slices.
    const size = this.#viewer.plane ?? this.#doc;
    if (size) this.#renderer.setSize(size.width, size.height);
    this.#renderer.setVolumes(this.#volumes.at(this.#doc, this.#viewer.plane, this.#slice));
    // Outside the source's slices the renderer shows slice -1: no per-slice annotation matches it.
    this.#renderer.showSlice(showsSourceSlices(this.#viewer.plane) ? this.#slice : -1, this.#onScreen());
    this.#renderer.buildPreview();
    this.draw();
  }

  #onViewerChange(c: ViewerChange): void {
    const { stack, labelSchema } = this.#viewer;
    // Lets `serializeDocument(viewer.document)` know the schema and stack without options.
    if ((c.stack || c.document || c.labelSchema) && this.#document && stack && labelSchema)
      bindDocument(this.#document, { schema: labelSchema, stack });
    if (c.document || c.stack) this.#attachDocument();
    else if (c.plane || (c.slice && this.#viewer.slice !== this.#slice)) {
      this.editor.cancelGesture();
      this.#showSlice();
    }
    if (c.tool) this.editor.setActiveTool(this.#viewer.tool);
    if (c.labelSchema) this.#renderer?.restyle();
    if (c.view) this.#renderer?.buildPreview();
    if (c.labelSchema || c.view) this.draw();
  }

  #onSelection(): void {
    this.#renderer?.restyleSelection();
    this.#renderer?.buildPreview();
    this.draw();
    const ids = [...this.editor.selection.ids];
    const key = ids.join('\n');
    if (key === this.#lastSelection) return;
    this.#lastSelection = key;
    this.#viewer.dispatchEvent(new VxSelectionChangeEvent(ids));
  }

  #onVisibility(): void {
    // O(selection) and O(annotations on this slice) below: hiding a label never visits other slices.
    const vis = this.editor.visibility;
    this.editor.selection.prune((id) => {
      const a = this.#doc?.get(id);
      return !!a && vis.isVisible(a);
    });
    this.#renderer?.restyle();
    this.draw();
  }

  #onToolChanged(): void {
    const busy = (Object.values(this.editor.tools) as Tool[]).find((t) => t.busy);
    this.#renderer?.setPreview(this.editor.activeTool?.preview ?? busy?.preview ?? null);
    this.draw();
  }

  #onDocumentChange(c: DocumentChange): void {
    const doc = this.#doc!;
    this.#renderer?.apply(c, this.#onScreen());
    if (c.volumeBoxes.size || c.maskRects.size || c.deleted.length)
      this.#renderer?.setVolumes(this.#volumes.at(doc, this.#viewer.plane, this.#slice));
    this.editor.selection.prune((id) => doc.has(id));
    this.#renderer?.buildPreview();
    this.draw();
    if (c.origin === 'silent') return;
    const v = this.#viewer;
    const base = { origin: c.origin, cause: c.cause };
    if (c.created.length) v.dispatchEvent(new VxAnnotationCreateEvent({ ...base, annotations: c.created }));
    if (c.updated.length) {
      const annotations = c.updated.map((u) => u.after);
      const previous = c.updated.map((u) => u.before);
      v.dispatchEvent(new VxAnnotationUpdateEvent({ ...base, annotations, previous }));
    }
    if (c.deleted.length) v.dispatchEvent(new VxAnnotationDeleteEvent({ ...base, annotations: c.deleted }));
    if (c.origin !== 'local') return;
    // The document notifies once the step is on its new stack, so canUndo/canRedo are already settled.
    v.dispatchEvent(new VxHistoryChangeEvent(doc.canUndo, doc.canRedo, c.cause));
  }
}
