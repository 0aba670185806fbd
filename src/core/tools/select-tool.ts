import { maskOf } from '../annotation/document.js';
import { hitTest, translateMaskInto, translatePoints } from '../annotation/geometry.js';
import type { Annotation, Point } from '../annotation/types.js';
import type { SparseMask } from '../mask/sparse-mask.js';
import type { KeyLike } from '../keymap.js';
import { movedBox, moveShift, nudgeFor } from './box-tool.js';
import { Tool, type ToolEnv, type ToolPointerEvent, type ToolPreview, emptyPreview } from './tool.js';

/** States of the select tool. */
export type SelectToolState =
  | { name: 'idle' }
  /** Pressed on an annotation (or empty image when `id` is undefined). */
  | { name: 'pointing'; id: string | undefined; origin: Point }
  /**
   * Dragging the selected boxes, polygons and masks. Masks move by whole pixels: `drafts` hold each mask
   * moved by the rounded delta (re-used while the drag goes on).
   */
  | {
      name: 'moving';
      origin: Point;
      ids: string[];
      dx: number;
      dy: number;
      drafts: Map<string, { mask: SparseMask; dx: number; dy: number }>;
    };

/**
 * Select tool, across every kind: click selects the topmost visible annotation, Shift-click adds or removes,
 * a click on empty image clears. Dragging moves the selected editable boxes, polygons and masks as one undo
 * step; with `snap` (default, the editor's `snap` option) everything moves by whole image pixels.
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
    if (s.name !== 'moving') return null;
    const pv = emptyPreview();
    const hide = new Set<string>();
    for (const id of s.ids) {
      const a = this.env.document.get(id);
      if (!a) continue;
      hide.add(id);
      if (a.box) pv.shapes.push({ id, label: a.label, box: movedBox(a.box, s.dx, s.dy, this.snap) });
      else if (a.points)
        pv.shapes.push({
          id,
          label: a.label,
          kind: a.kind,
          points: translatePoints(a.points, s.dx, s.dy),
          closed: a.kind === 'polygon',
        });
      else {
        const d = s.drafts.get(id);
        if (d) pv.masks.push({ id, label: a.label, mask: d.mask });
      }
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
        return !!a && a.slice === this.env.slice && this.env.visibility.isEditable(a);
      });
      if (ids.length)
        this.move({ name: 'moving', origin: s.origin, ids, dx: 0, dy: 0, drafts: new Map() }, e);
      return;
    }
    this.move(s, e);
  }

  /** Moves the gesture to the pointer: shapes by the exact delta, masks by the rounded one (re-drafted only when it changes). */
  private move(s: Extract<SelectToolState, { name: 'moving' }>, e: ToolPointerEvent): void {
    // Boxes and polygons stop at the image edge, and the selection moves as one with them.
    const doc = this.env.document;
    const shapes = s.ids.map((id) => doc.get(id)).filter((a): a is Annotation => !!a);
    const [dx, dy] = moveShift(
      shapes,
      doc.width,
      doc.height,
      e.x - s.origin[0],
      e.y - s.origin[1],
      this.snap,
    );
    const mx = Math.round(dx);
    const my = Math.round(dy);
    for (const id of s.ids) {
      const a = this.env.document.get(id);
      const src = a && maskOf(a);
      if (!src) continue;
      const d = s.drafts.get(id);
      if (d && d.dx === mx && d.dy === my) continue;
      s.drafts.set(id, { mask: translateMaskInto(d?.mask ?? src.clone(), src, mx, my), dx: mx, dy: my });
    }
    this.to({ ...s, dx, dy });
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
        if (a?.box) doc.update(id, { box: movedBox(a.box, s.dx, s.dy, this.snap) });
        else if (a?.points) doc.update(id, { points: translatePoints(a.points, s.dx, s.dy) });
        else if (a?.kind === 'mask') {
          const d = s.drafts.get(id);
          if (!d || (!d.dx && !d.dy)) continue;
          // Moved entirely off the image: the mask is gone, so the annotation goes too (same undo step).
          if (d.mask.freeze().isEmpty()) doc.remove(id);
          else doc.update(id, { mask: d.mask });
        }
      }
    });
    this.env.selection.prune((id) => doc.has(id));
  }

  override onKeyDown(e: KeyLike, actions: readonly string[]): boolean {
    if (!this.busy && nudgeFor(this.env, actions, this.snap)) return true;
    return super.onKeyDown(e, actions);
  }
}
