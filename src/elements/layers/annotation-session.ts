/**
 * What the annotation layers of one `<vx-viewer>` share: one AnnotationEditor (tools, selection, hide/lock,
 * clipboard), one renderer (masks, shapes and preview layers), the keymap action handlers, and the host-facing events. The
 * first layer element inside a viewer creates it; the last one to leave disposes of it.
 * @module
 */
import {
  type AnnotationDocument,
  type DocumentChange,
  createAnnotationDocument,
} from '../../core/annotation/document.js';
import type { AnnotationKind, AttributeValue } from '../../core/annotation/types.js';
import { AnnotationEditor, EDITOR_ACTIONS } from '../../core/tools/editor.js';
import type { SliceValues, Tool } from '../../core/tools/tool.js';
import { AnnotationRenderer, fallbackColor } from '../../render/annotation-renderer.js';
import type { ToolHandler, ViewerChange, ViewerHost } from '../viewer-host.js';
import {
  VxAnnotationCreateEvent,
  VxAnnotationDeleteEvent,
  VxAnnotationDeleteRequestEvent,
  VxAnnotationUpdateEvent,
  VxHistoryChangeEvent,
  VxSelectionChangeEvent,
} from '../events.js';
import type { ImageStack } from '../../core/image/types.js';
import { labelKeyOwners } from './label-order.js';
import { treeRows } from '../../core/schema/tree.js';

/** A viewer element as the session sees it: the host contract plus the settable properties. */
type ViewerElement = ViewerHost &
  HTMLElement & {
    activeLabel: string | undefined;
    document: unknown;
    tool: string;
  };

const sessions = new WeakMap<ViewerHost, AnnotationSession>();

/** Makes a document for a stack (what `VxViewer.createDocument` is set to). */
export function documentForStack(stack: ImageStack): AnnotationDocument {
  return createAnnotationDocument({ width: stack.width, height: stack.height, depth: stack.depth });
}

/** The session of a viewer, if any layer created one. */
export function annotationSession(viewer: ViewerHost): AnnotationSession | undefined {
  return sessions.get(viewer);
}

/** Gets (or creates) the session of `viewer` and counts a user; call `release()` when done. */
export function acquireSession(viewer: ViewerHost): AnnotationSession {
  let s = sessions.get(viewer);
  if (!s) {
    s = new AnnotationSession(viewer as ViewerElement);
    sessions.set(viewer, s);
  }
  s.users++;
  return s;
}

/** The shared annotation state and wiring of one viewer. */
export class AnnotationSession {
  readonly viewer: ViewerElement;
  readonly editor: AnnotationEditor;
  readonly renderer: AnnotationRenderer;
  users = 0;
  /** Kinds drawn: those of the layer elements present. */
  readonly kinds = new Map<AnnotationKind, number>();
  private readonly cleanups: (() => void)[] = [];
  private docUnsub: (() => void) | undefined;
  private doc: AnnotationDocument | undefined;
  private slice = -1;
  private readonly kindSet = new Set<string>();

  constructor(viewer: ViewerElement) {
    this.viewer = viewer;
    const ctor = viewer.constructor as { createDocument?: (stack: ImageStack) => unknown };
    if ('createDocument' in ctor && !ctor.createDocument) ctor.createDocument = documentForStack;
    const currentDoc = () => this.doc;
    this.editor = new AnnotationEditor({
      get document() {
        return currentDoc();
      },
      get slice() {
        return viewer.slice;
      },
      get activeLabel() {
        return viewer.activeLabel;
      },
      get pixelSize() {
        return 1 / (viewer.view?.scaleX || 1);
      },
      get depth() {
        return viewer.stack?.depth;
      },
      sliceValues: () => this.sliceValues(),
      changed: () => this.onToolChanged(),
      confirmDelete: (ids) => viewer.dispatchEvent(new VxAnnotationDeleteRequestEvent(ids)),
      defaultAttributes: (label) => {
        const def = viewer.labelSchema?.labels.find((l) => l.id === label);
        const out: Record<string, AttributeValue> = {};
        for (const attr of def?.attributes ?? []) if (attr.default !== undefined) out[attr.id] = attr.default;
        return out;
      },
      allows: (label, kind) => {
        const def = viewer.labelSchema?.labels.find((l) => l.id === label);
        return !def || !def.kinds?.length || def.kinds.includes(kind);
      },
    });
    const layers = {
      masks: viewer.createLayer('vx-annotation-masks', { zIndex: 10 }),
      shapes: viewer.createLayer('vx-annotation-shapes', { zIndex: 11 }),
      preview: viewer.createLayer('vx-annotation-preview', { zIndex: 12 }),
    };
    this.renderer = new AnnotationRenderer(layers, {
      colorOf: (label) =>
        viewer.labelSchema?.labels.find((l) => l.id === label)?.color ?? fallbackColor(label),
      isVisible: (a) => this.editor.visibility.isVisible(a),
      isSelected: (id) => this.editor.selection.has(id),
      isHovered: (id) => this.editor.selection.hovered === id,
      scale: () => viewer.view?.scaleX ?? 1,
      kinds: () => this.kindSet,
    });
    const draw = () => {
      this.renderer.flushMasks();
      for (const layer of this.renderer.takeDirtyLayers()) viewer.requestDraw(layer);
    };
    this.draw = draw;
    this.cleanups.push(
      () => this.renderer.destroy(),
      () => Object.values(layers).forEach((l) => l.destroy()),
      viewer.subscribe((c) => this.onViewerChange(c)),
      this.editor.selection.subscribe(() => {
        this.renderer.restyleSelection();
        this.renderer.buildPreview();
        draw();
      }),
      this.editor.visibility.subscribe(() => {
        // O(selection) and O(annotations on this slice) below: hiding a label never visits other slices.
        const vis = this.editor.visibility;
        this.editor.selection.prune((id) => {
          const a = this.doc?.get(id);
          return !!a && vis.isVisible(a);
        });
        this.renderer.restyle();
        draw();
      }),
      this.registerTool('select', this.editor.tools.select),
    );
    let lastSelection = '';
    this.cleanups.push(
      this.editor.selection.subscribe(() => {
        const ids = [...this.editor.selection.ids];
        const key = ids.join('\n');
        if (key === lastSelection) return;
        lastSelection = key;
        viewer.dispatchEvent(new VxSelectionChangeEvent(ids));
      }),
    );
    for (const action of EDITOR_ACTIONS)
      this.cleanups.push(viewer.registerAction(action, () => !!this.doc && this.editor.run(action)));
    for (let n = 1; n <= 9; n++)
      this.cleanups.push(
        viewer.registerAction(`label-${n}`, () => {
          // A bound label picker handles the key (and announces the choice).
          if (labelKeyOwners.get(viewer)) return false;
          // The n-th label as a label picker lists it (children under their parent).
          const label = treeRows(viewer.labelSchema)[n - 1]?.label;
          if (!label) return false;
          viewer.activeLabel = label.id;
          return true;
        }),
      );
    this.attachDocument();
    this.editor.setActiveTool(viewer.tool);
  }

  /** Schedules a draw of the annotation layer (mask overlay composed first). */
  readonly draw: () => void;

  /** Adds the kinds a layer element draws. Returns the function that removes them again. */
  addKinds(kinds: AnnotationKind[]): () => void {
    for (const k of kinds) this.kinds.set(k, (this.kinds.get(k) ?? 0) + 1);
    this.syncKinds();
    return () => {
      for (const k of kinds) this.kinds.set(k, (this.kinds.get(k) ?? 1) - 1);
      this.syncKinds();
    };
  }

  /** Registers an editor tool with the viewer under `name`. */
  registerTool(name: string, tool: Tool): () => void {
    const editor = this.editor;
    const handler: ToolHandler = {
      get cursor() {
        return tool.cursor;
      },
      activate: () => editor.setActiveTool(name),
      deactivate: () => {
        if (editor.activeTool === tool) editor.setActiveTool(undefined);
      },
      onPointerDown: (e) => this.doc && tool.onPointerDown(e),
      onPointerMove: (e) => this.doc && tool.onPointerMove(e),
      onPointerUp: (e) => this.doc && tool.onPointerUp(e),
      onDoubleClick: (e) => this.doc && tool.onDoubleClick(e),
      onPointerLeave: () => tool.onPointerLeave(),
      onKeyDown: (e, actions) => !!this.doc && tool.onKeyDown(e, actions),
      cancel: () => tool.cancel(),
      complete: () => this.doc && tool.complete(),
    };
    return this.viewer.registerTool(name, handler);
  }

  /** Drops a user; the last one disposes of the session. */
  release(): void {
    if (--this.users > 0) return;
    sessions.delete(this.viewer);
    this.editor.cancelGesture();
    this.docUnsub?.();
    for (const c of this.cleanups.splice(0)) c();
  }

  private syncKinds(): void {
    this.kindSet.clear();
    for (const [k, n] of this.kinds) if (n > 0) this.kindSet.add(k);
    this.renderer.restyle();
    this.draw();
  }

  private sliceValues(): SliceValues | undefined {
    const v = this.viewer as ViewerElement & { displayedSlice?: number };
    const f = v.frame;
    // While the current slice decodes, the frame on screen is another slice's: no threshold from it.
    if (!f || f.samplesPerPixel !== 1 || (v.displayedSlice !== undefined && v.displayedSlice !== v.slice))
      return undefined;
    return { values: f.data, width: f.width, slope: f.rescaleSlope, intercept: f.rescaleIntercept };
  }

  private attachDocument(): void {
    const v = this.viewer;
    if (!v.document && v.stack) v.document = documentForStack(v.stack);
    const doc = v.document as AnnotationDocument | undefined;
    if (doc === this.doc) return;
    this.editor.cancelGesture();
    this.docUnsub?.();
    this.docUnsub = undefined;
    this.doc = doc && typeof (doc as AnnotationDocument).bySlice === 'function' ? doc : undefined;
    this.editor.selection.clear();
    if (this.doc) {
      this.renderer.setSize(this.doc.width, this.doc.height);
      this.docUnsub = this.doc.subscribe((c) => this.onDocumentChange(c));
    }
    this.showSlice();
  }

  private showSlice(): void {
    this.slice = this.viewer.slice;
    this.renderer.showSlice(this.slice, this.doc?.bySlice(this.slice) ?? []);
    this.renderer.buildPreview();
    this.draw();
  }

  private onViewerChange(c: ViewerChange): void {
    if (c.document || c.stack) this.attachDocument();
    else if (c.slice && this.viewer.slice !== this.slice) {
      this.editor.cancelGesture();
      this.showSlice();
    }
    if (c.tool) this.editor.setActiveTool(this.viewer.tool);
    if (c.labelSchema) {
      this.renderer.restyle();
      this.draw();
    }
    if (c.view) {
      this.renderer.buildPreview();
      this.draw();
    }
  }

  private onToolChanged(): void {
    this.renderer.setPreview(this.editor.activeTool?.preview ?? this.busyPreview());
    this.draw();
  }

  private busyPreview() {
    for (const t of Object.values(this.editor.tools) as Tool[]) if (t.busy) return t.preview;
    return null;
  }

  private onDocumentChange(c: DocumentChange): void {
    const doc = this.doc!;
    this.renderer.apply(c, doc.bySlice(this.slice));
    this.editor.selection.prune((id) => doc.has(id));
    this.renderer.buildPreview();
    this.draw();
    if (c.origin === 'silent') return;
    const v = this.viewer;
    const base = { origin: c.origin, cause: c.cause };
    if (c.created.length) v.dispatchEvent(new VxAnnotationCreateEvent({ ...base, annotations: c.created }));
    if (c.updated.length)
      v.dispatchEvent(
        new VxAnnotationUpdateEvent({
          ...base,
          annotations: c.updated.map((u) => u.after),
          previous: c.updated.map((u) => u.before),
        }),
      );
    if (c.deleted.length) v.dispatchEvent(new VxAnnotationDeleteEvent({ ...base, annotations: c.deleted }));
    if (c.origin === 'local') v.dispatchEvent(new VxHistoryChangeEvent(doc.canUndo, doc.canRedo, c.cause));
  }
}
