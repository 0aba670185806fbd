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
import type { ImageStack } from '../../core/image/types.js';
import type { SelectionState } from '../../core/session/selection.js';
import type { AnnotationKind, AttributeValue } from '../../core/annotation/types.js';
import { AnnotationEditor, EDITOR_ACTIONS, type EditorTools } from '../../core/tools/editor.js';
import type { SliceValues, Tool } from '../../core/tools/tool.js';
import { treeRows } from '../../core/schema/tree.js';
import { AnnotationRenderer, fallbackColor } from '../../render/annotation-renderer.js';
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

  constructor(viewer: AnnotationViewer) {
    this.#viewer = viewer;
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
    const layers = {
      masks: v.createLayer('vx-annotation-masks', { zIndex: 10 }),
      shapes: v.createLayer('vx-annotation-shapes', { zIndex: 11 }),
      preview: v.createLayer('vx-annotation-preview', { zIndex: 12 }),
    };
    const editor = this.editor;
    this.#renderer = new AnnotationRenderer(layers, {
      colorOf: (label) => v.labelSchema?.labels.find((l) => l.id === label)?.color ?? fallbackColor(label),
      isVisible: (a) => editor.visibility.isVisible(a),
      isSelected: (id) => editor.selection.has(id),
      isHovered: (id) => editor.selection.hovered === id,
      scale: () => v.view?.scaleX ?? 1,
      kinds: () => this.#kindSet,
    });
    const display = () => {
      const o = editor.options;
      this.#renderer?.setMaskDisplay({ opacity: o.maskOpacity, outline: o.maskOutline });
    };
    display();
    this.#layerCleanups.push(
      editor.subscribeOptions(() => (display(), this.draw())),
      () => this.#renderer?.destroy(),
      () => Object.values(layers).forEach((l) => l.destroy()),
      this.#addTool('select'),
      ...EDITOR_ACTIONS.map((action) => v.registerAction(action, () => !!this.#doc && editor.run(action))),
    );
    if (this.#doc) this.#renderer.setSize(this.#doc.width, this.#doc.height);
    this.editor.setActiveTool(v.tool);
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
      this.#renderer?.setSize(this.#doc.width, this.#doc.height);
      this.#docUnsub = this.#doc.subscribe((c) => this.#onDocumentChange(c));
    }
    this.#showSlice();
  }

  #showSlice(): void {
    this.#slice = this.#viewer.slice;
    if (!this.#renderer) return;
    this.#renderer.showSlice(this.#slice, this.#doc?.bySlice(this.#slice) ?? []);
    this.#renderer.buildPreview();
    this.draw();
  }

  #onViewerChange(c: ViewerChange): void {
    const { stack, labelSchema } = this.#viewer;
    // Lets `serializeDocument(viewer.document)` know the schema and stack without options.
    if ((c.stack || c.document || c.labelSchema) && this.#document && stack && labelSchema)
      bindDocument(this.#document, { schema: labelSchema, stack });
    if (c.document || c.stack) this.#attachDocument();
    else if (c.slice && this.#viewer.slice !== this.#slice) {
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
    this.#renderer?.apply(c, doc.bySlice(this.#slice));
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
    const history = () => v.dispatchEvent(new VxHistoryChangeEvent(doc.canUndo, doc.canRedo, c.cause));
    // The document notifies during undo and redo, before the step has moved to the other stack: then the
    // history event waits for the state to settle, so its canUndo/canRedo are what `document` says afterwards.
    // An edit is on the undo stack when it is notified.
    if (c.cause === 'edit') history();
    else queueMicrotask(history);
  }
}
