import { hitTest, translateBox, translatePoints } from '../annotation/geometry.js';
import type { Annotation, Point } from '../annotation/types.js';
import type { KeyLike } from '../keymap.js';
import { nudgeFor } from './box-tool.js';
import { Tool, type ToolEnv, type ToolPointerEvent, type ToolPreview, emptyPreview } from './tool.js';

/** States of the select tool. */
export type SelectToolState =
  | { name: 'idle' }
  /** Pressed on an annotation (or empty image when `id` is undefined). */
  | { name: 'pointing'; id: string | undefined; origin: Point }
  /** Dragging the selected boxes and polygons. */
  | { name: 'moving'; origin: Point; ids: string[]; dx: number; dy: number };

/**
 * Select tool, across every kind: click selects the topmost visible annotation, Shift-click adds or removes,
 * a click on empty image clears. Dragging moves the selected (editable) boxes and polygons as one step.
 */
export class SelectTool extends Tool<SelectToolState> {
  readonly id = 'select';

  constructor(env: ToolEnv) {
    super(env, { name: 'idle' });
    this.cursor = 'default';
  }

  override get preview(): ToolPreview | null {
    const s = this.current;
    if (s.name !== 'moving') return null;
    const pv = emptyPreview();
    const hide = new Set<string>();
    for (const id of s.ids) {
      const a = this.env.document.get(id);
      if (!a) continue;
      hide.add(id);
      if (a.box) pv.shapes.push({ id, label: a.label, box: translateBox(a.box, s.dx, s.dy) });
      else if (a.points)
        pv.shapes.push({ id, label: a.label, points: translatePoints(a.points, s.dx, s.dy), closed: true });
    }
    pv.hide = hide;
    return pv;
  }

  /** The topmost visible annotation on this slice at (x, y). */
  private hit(x: number, y: number): Annotation | undefined {
    const vis = this.env.visibility;
    return hitTest(this.env.document.bySlice(this.env.slice), x, y, this.tol / 2, (a) => vis.isVisible(a));
  }

  override onPointerDown(e: ToolPointerEvent): void {
    if ((e.button ?? 0) !== 0 || this.busy) return;
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
        return !!a && a.kind !== 'mask' && a.slice === this.env.slice && this.env.visibility.isEditable(a);
      });
      if (ids.length)
        this.to({ name: 'moving', origin: s.origin, ids, dx: e.x - s.origin[0], dy: e.y - s.origin[1] });
      return;
    }
    this.to({ ...s, dx: e.x - s.origin[0], dy: e.y - s.origin[1] });
  }

  override onPointerUp(e: ToolPointerEvent): void {
    const s = this.current;
    if (s.name === 'moving') {
      this.onPointerMove(e);
      this.complete();
    } else if (s.name === 'pointing') this.reset();
  }

  override onPointerLeave(): void {
    this.env.selection.setHovered(null);
  }

  /** Commits a move. */
  override complete(): void {
    const s = this.current;
    if (s.name !== 'moving') return this.cancel();
    this.reset();
    if (!s.dx && !s.dy) return;
    const doc = this.env.document;
    doc.transact(() => {
      for (const id of s.ids) {
        const a = doc.get(id);
        if (a?.box) doc.update(id, { box: translateBox(a.box, s.dx, s.dy) });
        else if (a?.points) doc.update(id, { points: translatePoints(a.points, s.dx, s.dy) });
      }
    });
  }

  override onKeyDown(e: KeyLike, actions: readonly string[]): boolean {
    if (!this.busy && nudgeFor(this.env, actions)) return true;
    return super.onKeyDown(e, actions);
  }
}
