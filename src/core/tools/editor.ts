import { type AnnotationDocument, type AnnotationInput, maskOf } from '../annotation/document.js';
import { shapeOf } from '../annotation/shapes.js';
import { SelectionState, VisibilityState } from '../session/selection.js';
import type { Annotation, AnnotationKind, AttributeValue } from '../annotation/types.js';
import type { KeyLike } from '../keymap.js';
import { BoxTool } from './box-tool.js';
import { BrushTool } from './brush-tool.js';
import { AngleTool } from './angle-tool.js';
import { LineTool } from './line-tool.js';
import { PolygonTool } from './polygon-tool.js';
import { SelectTool } from './select-tool.js';
import type { ToolPlane } from './plane.js';
import type { SliceValues, Tool, ToolEnv, ToolOptions } from './tool.js';

export type { ToolOptions } from './tool.js';
export type { PaintOver } from './paint-over.js';

/** What an editor needs from its host (a viewer, or a test). Getters are read on every use. */
export interface EditorHost {
  readonly document: AnnotationDocument | undefined;
  readonly slice: number;
  readonly activeLabel: string | undefined;
  /** Image pixels per screen pixel. */
  readonly pixelSize: number;
  readonly depth?: number;
  /** The plane on screen (a viewer's `plane`), when the host shows one. */
  readonly plane?: ToolPlane | undefined;
  sliceValues?(): SliceValues | undefined;
  /** A tool's preview or state changed. */
  changed(): void;
  confirmDelete?(ids: string[]): boolean;
  allows?(label: string, kind: AnnotationKind): boolean;
  /** Attribute values new annotations of `label` start with. */
  defaultAttributes?(label: string): Record<string, AttributeValue> | undefined;
}

/** The tools an editor owns, by name (the names `viewer.tool` takes). */
export interface EditorTools {
  select: SelectTool;
  box: BoxTool;
  polygon: PolygonTool;
  brush: BrushTool;
  eraser: BrushTool;
  line: LineTool;
  angle: AngleTool;
  /** Paints a ball of the brush's diameter in mm into a volume annotation; shares the brush's size. */
  'brush-3d': BrushTool;
}

/** The steps of the mask opacity keys (`mask-opacity-down`, `mask-opacity-up`). */
export const MASK_OPACITY_STEP = 0.1;

/** Annotation actions an editor handles (their default keys are in ANNOTATION_KEYMAP). */
export const EDITOR_ACTIONS = [
  'undo',
  'redo',
  'delete',
  'copy',
  'paste',
  'copy-to-next-slice',
  'copy-to-previous-slice',
  'select-all',
  'hide-toggle',
  'lock-toggle',
  'mask-opacity-down',
  'mask-opacity-up',
  'mask-outline-toggle',
] as const;
export type EditorAction = (typeof EDITOR_ACTIONS)[number];

/**
 * Everything the annotation layers of one viewer share, DOM-free: the tools, the selection, hide/lock state,
 * the clipboard and the editing commands (undo that cancels a gesture in progress, delete with a veto,
 * copy/paste to the current slice, copy to the next/previous slice, hide/lock).
 */
export class AnnotationEditor {
  readonly selection = new SelectionState();
  readonly visibility = new VisibilityState();
  readonly tools: EditorTools;
  private active: Tool | undefined;
  private clipboard: Annotation[] = [];
  private readonly optionListeners = new Set<(options: ToolOptions) => void>();
  private readonly host: EditorHost;
  private display = { maskOpacity: 0.45, maskOutline: false };

  constructor(host: EditorHost) {
    this.host = host;
    const doc = () => this.document;
    const env: ToolEnv = {
      get document() {
        return doc();
      },
      selection: this.selection,
      visibility: this.visibility,
      get slice() {
        return host.slice;
      },
      get activeLabel() {
        return host.activeLabel;
      },
      get pixelSize() {
        return host.pixelSize;
      },
      get plane() {
        return host.plane;
      },
      sliceValues: () => host.sliceValues?.(),
      changed: () => host.changed(),
      optionsChanged: () => this.emitOptions(),
      setOptions: (patch) => this.setOptions(patch),
      confirmDelete: (ids) => host.confirmDelete?.(ids) ?? true,
      allows: (label, kind) => host.allows?.(label, kind) ?? true,
      defaultAttributes: (label) => host.defaultAttributes?.(label),
    };
    const brushSize = { value: 10 };
    this.tools = {
      select: new SelectTool(env),
      box: new BoxTool(env),
      polygon: new PolygonTool(env),
      brush: new BrushTool(env, 'paint', brushSize),
      eraser: new BrushTool(env, 'erase'),
      line: new LineTool(env),
      angle: new AngleTool(env),
      'brush-3d': new BrushTool(env, 'sphere', brushSize),
    };
  }

  /** The document; throws when the host has none yet. */
  get document(): AnnotationDocument {
    const d = this.host.document;
    if (!d) throw new Error('No annotation document yet');
    return d;
  }

  /** The tools' current options. */
  get options(): ToolOptions {
    const t = this.tools;
    return {
      brushSize: t.brush.size,
      eraserSize: t.eraser.size,
      fill: t.brush.fill,
      threshold: t.brush.threshold,
      snap: t.box.snap,
      simplify: t.polygon.simplifyPx,
      brushTarget: t.brush.target,
      paintOver: t.brush.paintOver,
      ...this.display,
    };
  }

  /** Changes tool options; subscribers hear of it once, and the preview (brush outline) is redrawn. */
  setOptions(patch: Partial<ToolOptions>): void {
    const t = this.tools;
    const before = JSON.stringify(this.options);
    if (patch.brushSize !== undefined) t.brush.size = patch.brushSize;
    if (patch.eraserSize !== undefined) t.eraser.size = patch.eraserSize;
    if (patch.fill !== undefined) t.brush.fill = patch.fill;
    if (patch.threshold !== undefined) t.brush.threshold = patch.threshold;
    if (patch.snap !== undefined)
      t.box.snap = t.select.snap = t.polygon.snap = t.line.snap = t.angle.snap = patch.snap;
    if (patch.simplify !== undefined) t.polygon.simplifyPx = patch.simplify;
    if (patch.brushTarget === 'slice' || patch.brushTarget === 'volume')
      t.brush.target = t.eraser.target = patch.brushTarget;
    if (patch.paintOver === 'all' || patch.paintOver === 'empty') t.brush.paintOver = patch.paintOver;
    this.display = maskDisplay(this.display, patch);
    if (JSON.stringify(this.options) === before) return;
    this.host.changed();
    this.emitOptions();
  }

  /** Calls `listener` after every option change; returns the unsubscribe function. */
  subscribeOptions(listener: (options: ToolOptions) => void): () => void {
    this.optionListeners.add(listener);
    return () => this.optionListeners.delete(listener);
  }

  private emitOptions(): void {
    const options = this.options;
    for (const l of [...this.optionListeners]) l(options);
  }

  /** The active tool, if it is one of the editor's. */
  get activeTool(): Tool | undefined {
    return this.active;
  }

  /** Switches tools; interrupts the previous tool's gesture (nothing left behind). */
  setActiveTool(name: string | undefined): void {
    const next = name ? (this.tools as unknown as Record<string, Tool>)[name] : undefined;
    if (next === this.active) return;
    this.active?.interrupt();
    this.active = next;
  }

  /** Cancels any gesture in progress (slice change, stack change). */
  cancelGesture(): boolean {
    for (const t of Object.values(this.tools) as Tool[]) {
      if (t.busy) {
        t.cancel();
        return true;
      }
    }
    return false;
  }

  /** Runs an editor action. Returns true when it did something (so the key counts as consumed). */
  run(action: string): boolean {
    switch (action as EditorAction) {
      case 'undo':
        return this.undo();
      case 'redo':
        return this.redo();
      case 'delete':
        return this.deleteSelection();
      case 'copy':
        return this.copy();
      case 'paste':
        return this.paste();
      case 'copy-to-next-slice':
        return this.copyToSlice(1);
      case 'copy-to-previous-slice':
        return this.copyToSlice(-1);
      case 'select-all':
        return this.selectAll();
      case 'hide-toggle':
        return this.toggleHidden();
      case 'lock-toggle':
        return this.toggleLocked();
      case 'mask-opacity-down':
      case 'mask-opacity-up': {
        const step = action === 'mask-opacity-up' ? MASK_OPACITY_STEP : -MASK_OPACITY_STEP;
        this.setOptions({ maskOpacity: this.display.maskOpacity + step });
        return true;
      }
      case 'mask-outline-toggle':
        this.setOptions({ maskOutline: !this.display.maskOutline });
        return true;
    }
    return false;
  }

  /** Gives a key to the active tool, then to the editor's actions. */
  keyDown(e: KeyLike, actions: readonly string[]): boolean {
    if (this.active?.onKeyDown(e, actions)) return true;
    for (const a of actions) if (this.run(a)) return true;
    return false;
  }

  /** Undo; during a gesture, cancels the gesture instead. */
  undo(): boolean {
    if (this.cancelGesture()) return true;
    const doc = this.host.document;
    if (!doc?.undo()) return false;
    this.selection.prune((id) => doc.has(id));
    return true;
  }

  redo(): boolean {
    if (this.cancelGesture()) return true;
    const doc = this.host.document;
    if (!doc?.redo()) return false;
    this.selection.prune((id) => doc.has(id));
    return true;
  }

  /** Deletes the selected annotations (editable ones), unless the host vetoes. */
  deleteSelection(): boolean {
    const doc = this.host.document;
    if (!doc) return false;
    const ids = [...this.selection.ids].filter((id) => {
      const a = doc.get(id);
      return !!a && this.visibility.isEditable(a);
    });
    if (!ids.length) return false;
    if (this.host.confirmDelete && !this.host.confirmDelete(ids)) return true;
    doc.remove(ids);
    this.selection.prune((id) => doc.has(id));
    return true;
  }

  /** Copies the selected annotations. */
  copy(): boolean {
    const doc = this.host.document;
    if (!doc) return false;
    this.clipboard = [...this.selection.ids].map((id) => doc.get(id)).filter((a): a is Annotation => !!a);
    return this.clipboard.length > 0;
  }

  /** Pastes the clipboard onto the current slice (new ids) and selects the copies. */
  paste(slice = this.host.slice): boolean {
    if (!this.clipboard.length || !this.host.document) return false;
    return this.duplicate(this.clipboard, slice);
  }

  /** Copies the selection to the next (+1) or previous (-1) slice and moves nothing. */
  copyToSlice(delta: 1 | -1): boolean {
    const doc = this.host.document;
    if (!doc) return false;
    const sel = [...this.selection.ids].map((id) => doc.get(id)).filter((a): a is Annotation => !!a);
    if (!sel.length) return false;
    const slice = this.host.slice + delta;
    const depth = doc.depth ?? this.host.depth;
    if (slice < 0 || (depth !== undefined && slice >= depth)) return false;
    const copies = this.copies(sel, slice);
    doc.add(copies);
    return true;
  }

  /** Selects every visible annotation on the current slice. */
  selectAll(): boolean {
    const doc = this.host.document;
    if (!doc) return false;
    return this.selection.set(
      doc
        .bySlice(this.host.slice)
        .filter((a) => this.visibility.isVisible(a))
        .map((a) => a.id),
    );
  }

  /**
   * The toolbar's and the H key's hide/show. With a selection: hides it (and deselects it). Without one: hides
   * or shows the active label (showing it also shows its annotations hidden one by one). With neither: shows
   * every annotation hidden one by one. Touches only the selection and the hidden ids, never the volume.
   */
  toggleHidden(): boolean {
    const ids = [...this.selection.ids];
    if (ids.length) {
      this.visibility.setHidden(ids, true);
      this.selection.clear();
      return true;
    }
    const label = this.host.activeLabel;
    if (label !== undefined) {
      this.setLabelHidden(label, !this.visibility.isLabelHidden(label));
      return true;
    }
    const hidden = this.visibility.hiddenAnnotationIds();
    this.visibility.setHidden(hidden, false);
    return hidden.length > 0;
  }

  /**
   * The toolbar's and the L key's lock/unlock. With a selection: locks it, or unlocks it when all of it is
   * locked. Without one: locks or unlocks the active label.
   */
  toggleLocked(): boolean {
    const ids = [...this.selection.ids];
    if (ids.length) {
      const allLocked = ids.every((id) => this.visibility.isLocked(id));
      this.visibility.setLocked(ids, !allLocked);
      return true;
    }
    const label = this.host.activeLabel;
    if (label === undefined) return false;
    this.visibility.setLabelLocked(label, !this.visibility.isLabelLocked(label));
    return true;
  }

  /**
   * Hides or shows every annotation of `label` (per label, as the label picker's eye does). Hiding deselects
   * them; showing also shows the annotations of that label hidden one by one. Costs O(selection + hidden
   * ids): no annotation list, slice or mask is visited.
   */
  setLabelHidden(label: string, hidden: boolean): void {
    const doc = this.host.document;
    if (hidden) {
      const drop = [...this.selection.ids].filter((id) => doc?.get(id)?.label === label);
      if (drop.length) this.selection.set([...this.selection.ids].filter((id) => !drop.includes(id)));
      this.visibility.setLabelHidden(label, true);
      return;
    }
    const own = this.visibility.hiddenAnnotationIds().filter((id) => doc?.get(id)?.label === label);
    this.visibility.setHidden(own, false);
    this.visibility.setLabelHidden(label, false);
  }

  /** Locks or unlocks every annotation of `label`: locked ones are drawn, selectable, but never edited. */
  setLabelLocked(label: string, locked: boolean): void {
    this.visibility.setLabelLocked(label, locked);
  }

  private copies(list: Annotation[], slice: number): AnnotationInput[] {
    return list.map((a) => {
      const c: AnnotationInput = { label: a.label, kind: a.kind, slice, ...shapeOf(a).copy(a) };
      if (a.attributes) c.attributes = { ...a.attributes };
      const m = maskOf(a);
      if (m) c.mask = m;
      return c;
    });
  }

  private duplicate(list: Annotation[], slice: number): boolean {
    const doc = this.document;
    if (doc.depth !== undefined && (slice < 0 || slice >= doc.depth)) return false;
    const made = doc.add(this.copies(list, slice));
    this.selection.set(made.map((a) => a.id));
    return true;
  }
}

/** The mask display options after `patch`: opacity clamped to 0–1 (in hundredths), outline on or off. */
function maskDisplay(
  current: { maskOpacity: number; maskOutline: boolean },
  patch: Partial<ToolOptions>,
): { maskOpacity: number; maskOutline: boolean } {
  const next = { ...current };
  if (typeof patch.maskOpacity === 'number' && Number.isFinite(patch.maskOpacity))
    next.maskOpacity = Math.round(Math.min(1, Math.max(0, patch.maskOpacity)) * 100) / 100;
  if (patch.maskOutline !== undefined) next.maskOutline = !!patch.maskOutline;
  return next;
}
