import { handleAt, hitTest } from '../annotation/geometry.js';
import type { Annotation, Point } from '../annotation/types.js';
import type { KeyLike } from '../keymap.js';
import { nudgeFor } from './box-tool.js';
import {
  type MoveGesture,
  type ResizeGesture,
  boxPreview,
  commitMove,
  commitResize,
  dragMove,
  dragResize,
  movePreview,
  startMove,
  startResize,
} from './gestures.js';
import { Tool, type ToolEnv, type ToolPointerEvent, type ToolPreview } from './tool.js';

/** States of the select tool. */
export type SelectToolState =
  | { name: 'idle' }
  /** Pressed on an annotation (or empty image when `id` is undefined). */
  | { name: 'pointing'; id: string | undefined; origin: Point }
  /** Dragging the selected editable annotations of this slice. */
  | MoveGesture
  /** Dragging a handle of the one selected box. */
  | ResizeGesture;

/**
 * Select tool, across every kind: click selects the topmost visible annotation, Shift-click adds or removes,
 * a click on empty image clears. Dragging moves the selected editable boxes, polygons and masks as one undo
 * step; with `snap` (default, the editor's `snap` option) everything moves by whole image pixels. When one
 * box is selected, its handles resize it, as in the box tool.
 */
export class SelectTool extends Tool<SelectToolState> {
  readonly id = 'select';
  /** Moves boxes and polygons by whole pixels and lands box edges on pixel boundaries, as the box tool does. */
  snap = true;

  constructor(env: ToolEnv) {
    super(env, { name: 'idle' });
    this.cursor = 'default';
  }

  override get preview(): ToolPreview | null {
    const s = this.current;
    if (s.name === 'moving') return movePreview(this.env, s, this.snap);
    if (s.name === 'resizing') return boxPreview(this.env, s.id, s.box, this.snap);
    return null;
  }

  /** The topmost visible annotation on this slice at (x, y). */
  private hit(x: number, y: number): Annotation | undefined {
    const vis = this.env.visibility;
    return hitTest(this.env.document.bySlice(this.env.slice), x, y, this.tol / 2, (a) => vis.isVisible(a));
  }

  override onPointerDown(e: ToolPointerEvent): void {
    if ((e.button ?? 0) !== 0 || this.busy) return;
    const box = this.selectedOne('box');
    const handle = box && handleAt(box.box, e.x, e.y, this.tol);
    if (box && handle) {
      this.to(startResize(box, handle));
      return;
    }
    const hit = this.hit(e.x, e.y);
    if (hit) this.select(hit.id, e);
    else if (!e.shiftKey) this.env.selection.clear();
    this.to({ name: 'pointing', id: hit?.id, origin: [e.x, e.y] });
  }

  override onPointerMove(e: ToolPointerEvent): void {
    const s = this.current;
    if (s.name === 'idle') {
      this.env.selection.setHovered(this.hit(e.x, e.y)?.id ?? null);
      return;
    }
    if (s.name === 'pointing') {
      if (!s.id || !this.env.selection.has(s.id) || !this.isDrag(s.origin, e)) return;
      const ids = [...this.env.selection.ids].filter((id) => {
        const a = this.env.document.get(id);
        return !!a && a.slice === this.env.slice && this.env.visibility.isEditable(a);
      });
      if (ids.length) this.to(dragMove(this.env, startMove(ids, s.origin), e, this.snap));
      return;
    }
    if (s.name === 'moving') this.to(dragMove(this.env, s, e, this.snap));
    else this.to(dragResize(s, e));
  }

  override onPointerUp(e: ToolPointerEvent): void {
    const s = this.current;
    if (s.name === 'moving' || s.name === 'resizing') {
      this.onPointerMove(e);
      this.complete();
    } else if (s.name === 'pointing') this.reset();
  }

  override onPointerLeave(): void {
    this.env.selection.setHovered(null);
  }

  /** Commits a move or a resize. */
  override complete(): void {
    const s = this.current;
    if (s.name !== 'moving' && s.name !== 'resizing') return this.cancel();
    this.reset();
    if (s.name === 'moving') commitMove(this.env, s, this.snap);
    else commitResize(this.env, s, this.snap);
  }

  override onKeyDown(e: KeyLike, actions: readonly string[]): boolean {
    if (!this.busy && nudgeFor(this.env, actions, this.snap)) return true;
    return super.onKeyDown(e, actions);
  }
}
