import type { AnnotationDocument } from '../annotation/document.js';
import { hitAnnotation, hitOutline } from '../annotation/geometry.js';
import type { SelectionState, VisibilityState } from '../session/selection.js';
import type {
  Annotation,
  AnnotationKind,
  AnnotationOf,
  AttributeValue,
  Box,
  Point,
} from '../annotation/types.js';
import type { KeyLike } from '../keymap.js';
import type { SparseMask } from '../mask/sparse-mask.js';
import type { PaintOver } from './paint-over.js';
import { showsSourceSlices, type ToolPlane } from './plane.js';

/** A pointer event in image pixel coordinates: all a tool needs (a viewer's ImagePointerEvent fits). */
export interface ToolPointerEvent {
  x: number;
  y: number;
  /** 0 = primary button. */
  button?: number;
  shiftKey?: boolean;
  altKey?: boolean;
  ctrlKey?: boolean;
  metaKey?: boolean;
}

/** Stored values of the current slice, for the threshold brush. */
export interface SliceValues {
  values: ArrayLike<number>;
  width: number;
  slope: number;
  intercept: number;
}

/** What tools read from and report to their host (a viewer, or a test). */
export interface ToolEnv {
  readonly document: AnnotationDocument;
  readonly selection: SelectionState;
  readonly visibility: VisibilityState;
  /** The slice being shown (of `plane`). */
  readonly slice: number;
  /**
   * The plane on screen, when the host shows one (a viewer's `plane`). Outside the source's own slices (a
   * coronal view of an axial series) per-slice annotations neither show nor are drawn.
   */
  readonly plane?: ToolPlane | undefined;
  /** The label new annotations get; tools that create nothing without it. */
  readonly activeLabel: string | undefined;
  /** Image pixels per screen pixel (1 / zoom): tolerances are given in screen pixels. */
  readonly pixelSize: number;
  /** Stored values of the current slice, when decoded (threshold brush). */
  sliceValues?(): SliceValues | undefined;
  /** The tool's state or preview changed: redraw soon. */
  changed(): void;
  /** The tool changed one of its options by itself: controls showing it follow. */
  optionsChanged?(): void;
  /**
   * Changes tool options the way a control does (the editor's `setOptions`): a tool's own keys (`[`, `]`, `g`)
   * go through it, so every option change takes one path and is announced once. Without it, a tool sets its
   * field and calls `optionsChanged`.
   */
  setOptions?(patch: Partial<ToolOptions>): void;
  /** Whether these annotations may be deleted (hosts may veto). Default: yes. */
  confirmDelete?(ids: string[]): boolean;
  /** Whether the schema allows `kind` for `label`. Default: yes. */
  allows?(label: string, kind: AnnotationKind): boolean;
  /** Attribute values a new annotation of `label` starts with (the schema's defaults). */
  defaultAttributes?(label: string): Record<string, AttributeValue> | undefined;
}

/**
 * The options the tools run with, in one place: controls (a toolbar, a layer's attributes) set them with
 * `editor.setOptions` and follow them with `editor.subscribeOptions`, whichever side changed them (the `[`,
 * `]` and `g` keys change them inside the brush tool).
 */
export interface ToolOptions {
  /** Brush diameter in image pixels. */
  brushSize: number;
  /** Eraser diameter in image pixels. */
  eraserSize: number;
  /** Brush clicks fill holes instead of painting. */
  fill: boolean;
  /** Threshold brush range in modality units, or null for a plain brush. */
  threshold: { min: number; max: number } | null;
  /** Box edges land on pixel boundaries, and moves and nudges (box, polygon and select tools) go by whole pixels. */
  snap: boolean;
  /** Freehand polygon simplification tolerance in screen pixels. */
  simplify: number;
  /**
   * Where the brush and eraser paint on the source's own slices: `'slice'` per-slice masks (unless a volume
   * is selected), `'volume'` volume annotations. In any other plane they always paint volumes.
   */
  brushTarget: BrushTarget;
  /**
   * Where the brush may paint: `'all'` (default) everywhere, over other labels' masks too (they keep their
   * pixels: masks may overlap); `'empty'` only where no mask of another label on the slice is (Slicer's
   * "masking: paint over").
   */
  paintOver: PaintOver;
  /** How opaque masks are drawn, 0–1 (default 0.45). Display only: never saved, never undone. */
  maskOpacity: number;
  /** Draw masks as their outline only (one pixel wide), so the image under them stays readable. */
  maskOutline: boolean;
}

/**
 * Where the brush and eraser paint in the source's own slices: `'slice'` (default) per-slice masks, unless a
 * volume annotation is selected; `'volume'` always a volume annotation. In any other plane they always
 * paint volumes.
 */
export type BrushTarget = 'slice' | 'volume';

/** A shape a tool shows while a gesture is in progress. */
export interface PreviewShape {
  /** The annotation being edited, or undefined for a new one. */
  id?: string;
  label: string;
  /** The kind of annotation drawn, when the renderer needs it (measurements show their value). */
  kind?: AnnotationKind;
  box?: Box;
  points?: Point[];
  /** Polygon closed (false while drawing). */
  closed?: boolean;
}

/** A mask a tool is painting: a draft replacing annotation `id` (or a new one) until committed. */
export interface PreviewMask {
  id?: string | undefined;
  label: string;
  mask: SparseMask;
  /**
   * The mask is rebuilt at every step (a volume seen through a plane), not painted in place: a renderer
   * redraws all it and its predecessors covered, rather than its dirty rectangle.
   */
  whole?: boolean;
}

/** Everything a tool wants drawn on top of the document. */
export interface ToolPreview {
  shapes: PreviewShape[];
  masks: PreviewMask[];
  /** Annotations hidden while the preview stands in for them. */
  hide: ReadonlySet<string>;
  /** Brush outline: centre and diameter in image pixels. */
  brush?: {
    x: number;
    y: number;
    diameter: number;
    erase: boolean;
    /** Height of the outline over its width in pixels, when not 1 (a brush round in mm on non-square pixels). */
    aspect?: number;
  };
  /** Line from the last polygon vertex to the cursor. */
  rubberBand?: [Point, Point];
}

/** Screen pixels a pointer must move before a press becomes a drag. */
export const DRAG_THRESHOLD_PX = 3;
/** Screen-pixel radius of handles and vertices for hit-testing. */
export const HANDLE_PX = 6;

/** The smallest state: every tool has `idle`. */
export interface ToolStateBase {
  name: string;
}

/**
 * A tool is a small explicit state machine (idle, pointing, dragging, ...). It receives pointer events in
 * image coordinates and keys, shows a preview while a gesture runs, and writes to the document only when a
 * gesture completes: one committed gesture is one change set and one undo step; `cancel()` (Esc, a tool
 * switch, undo mid-gesture, a slice change) leaves nothing behind.
 */
export abstract class Tool<S extends ToolStateBase = ToolStateBase> {
  abstract readonly id: string;
  /** CSS cursor while the tool is active. */
  cursor = 'crosshair';
  protected current: S;
  protected readonly env: ToolEnv;
  private readonly idleState: S;

  constructor(env: ToolEnv, idle: S) {
    this.env = env;
    this.current = idle;
    this.idleState = idle;
  }

  /** Current state name. */
  get state(): S['name'] {
    return this.current.name;
  }

  /** True while a gesture is in progress (any state but idle). */
  get busy(): boolean {
    return this.current.name !== 'idle';
  }

  /** What to draw for the gesture in progress, or null. */
  get preview(): ToolPreview | null {
    return null;
  }

  onPointerDown(_e: ToolPointerEvent): void {}
  onPointerMove(_e: ToolPointerEvent): void {}
  onPointerUp(_e: ToolPointerEvent): void {}
  onDoubleClick(_e: ToolPointerEvent): void {}
  onPointerLeave(): void {}

  /**
   * A key with the keymap actions it matches. Returns true when consumed. The base handles `cancel` (Esc:
   * cancels a gesture, or clears the selection when idle) and `complete` (Enter).
   */
  onKeyDown(_e: KeyLike, actions: readonly string[]): boolean {
    if (actions.includes('cancel')) {
      if (this.busy) {
        this.cancel();
        return true;
      }
      return this.env.selection.clear();
    }
    if (actions.includes('complete') && this.busy) {
      this.complete();
      return true;
    }
    return false;
  }

  /** Abandons the gesture in progress, leaving nothing behind. */
  cancel(): void {
    if (this.busy) this.reset();
  }

  /** Finishes the gesture in progress (default: cancel, for tools whose gestures need a pointer up). */
  complete(): void {
    this.cancel();
  }

  /** The tool is being switched away from: same as cancel. */
  interrupt(): void {
    this.cancel();
  }

  protected to(next: S): void {
    this.current = next;
    this.env.changed();
  }

  protected reset(): void {
    this.to(this.idleState);
  }

  /** `p` moved onto the image: a point placed or dragged past the edge lands on it, as box corners do. */
  protected inside(p: Point): Point {
    const { width: W, height: H } = this.env.document;
    return [Math.min(Math.max(p[0], 0), W), Math.min(Math.max(p[1], 0), H)];
  }

  /** Gesture state `s` with its point `index` dragged to `p` (kept on the image). */
  protected dragPoint<T extends { points: Point[]; index: number; moved: boolean }>(s: T, p: Point): T {
    const points = s.points.slice();
    points[s.index] = this.inside(p);
    return { ...s, points, moved: true };
  }

  protected get tol(): number {
    return HANDLE_PX * this.env.pixelSize;
  }

  protected isDrag(a: Point, e: ToolPointerEvent): boolean {
    const t = DRAG_THRESHOLD_PX * this.env.pixelSize;
    return (e.x - a[0]) ** 2 + (e.y - a[1]) ** 2 > t * t;
  }

  /** True when the frames on screen are the source's slices: per-slice annotations live there. */
  protected get onSourceSlices(): boolean {
    return showsSourceSlices(this.env.plane);
  }

  /** Editable annotations of `kind` on the current slice, topmost last (none outside the source's slices). */
  protected editable(kind?: AnnotationKind): Annotation[] {
    if (!this.onSourceSlices) return [];
    const vis = this.env.visibility;
    return this.env.document
      .bySlice(this.env.slice)
      .filter((a) => (!kind || a.kind === kind) && vis.isEditable(a));
  }

  /** The kind of annotation a drag with this tool draws, if any (the select tool and the eraser draw none). */
  get draws(): AnnotationKind | undefined {
    return undefined;
  }

  /**
   * Why a drag with this tool would draw nothing now, in plain words: the active label does not allow the
   * kind it draws. Undefined when it can draw (or draws nothing).
   */
  get blockedReason(): string | undefined {
    const kind = this.draws;
    const plural: Record<string, string> = { box: 'boxes', mask: 'per-slice masks' };
    if (kind && (kind as string) !== 'volume' && !this.onSourceSlices) {
      const what = plural[kind] ?? `${kind}s`;
      return `${what[0]!.toUpperCase()}${what.slice(1)} are drawn in the acquisition plane, not the ${this.env.plane?.orientation} plane`;
    }
    const label = this.env.activeLabel;
    if (!kind || !label || !this.env.allows || this.env.allows(label, kind)) return undefined;
    return `The label ${label} does not allow ${plural[kind] ?? `${kind}s`}`;
  }

  /**
   * The label for a new annotation of `kind`, or undefined when none is active, the schema forbids it, or
   * the view is not on the source's slices (per-slice kinds).
   */
  protected newLabel(kind: AnnotationKind): string | undefined {
    const label = this.env.activeLabel;
    if (!label || ((kind as string) !== 'volume' && !this.onSourceSlices)) return undefined;
    if (this.env.allows && !this.env.allows(label, kind)) return undefined;
    return label;
  }

  /** The one selected editable annotation of `kind` on this slice, when exactly one is selected. */
  protected selectedOne<K extends AnnotationKind>(kind: K): AnnotationOf<K> | undefined {
    const sel = this.env.selection.ids;
    if (sel.size !== 1 || !this.onSourceSlices) return undefined;
    const a = this.env.document.get([...sel][0]!);
    return a && a.kind === kind && a.slice === this.env.slice && this.env.visibility.isEditable(a)
      ? (a as AnnotationOf<K>)
      : undefined;
  }

  /**
   * The topmost editable box or polygon a press at (x, y) grabs: the selected ones anywhere inside, the others
   * only on their outline, so a new shape can be started inside an existing one (a lesion inside an organ).
   */
  protected grab(kind: AnnotationKind, x: number, y: number): Annotation | undefined {
    const sel = this.env.selection;
    const tol = this.tol / 2;
    const list = this.editable(kind);
    for (let i = list.length - 1; i >= 0; i--) {
      const a = list[i]!;
      if (sel.has(a.id) ? hitAnnotation(a, x, y, tol) : hitOutline(a, x, y, tol)) return a;
    }
    return undefined;
  }

  /** The fields every new annotation of `label` on the current slice starts with. */
  protected fresh(label: string): {
    label: string;
    slice: number;
    attributes?: Record<string, AttributeValue>;
  } {
    const attributes = this.env.defaultAttributes?.(label);
    return attributes && Object.keys(attributes).length
      ? { label, slice: this.env.slice, attributes: { ...attributes } }
      : { label, slice: this.env.slice };
  }

  /** Selects `id`: alone, or added/toggled with Shift. */
  protected select(id: string, e: ToolPointerEvent): void {
    if (e.shiftKey) this.env.selection.toggle(id);
    else if (!this.env.selection.has(id)) this.env.selection.set([id]);
  }
}

/** Emptiest preview, to build on. */
export function emptyPreview(): ToolPreview {
  return { shapes: [], masks: [], hide: new Set() };
}
