import { vertexAt } from '../annotation/geometry.js';
import type { Annotation, Point } from '../annotation/types.js';
import type { KeyLike } from '../keymap.js';
import { nudgeFor } from './box-tool.js';
import { type MoveGesture, commitMove, dragMove, movePreview, startMove } from './gestures.js';
import { Tool, type ToolEnv, type ToolPointerEvent, type ToolPreview, emptyPreview } from './tool.js';

/** States of the line and angle tools. */
export type MeasureToolState =
  | { name: 'idle' }
  /**
   * Placing the points of a new measurement: `points` are placed, `cursor` follows the pointer, `down` while
   * the button is held. `first` until the press that placed the first point is released: that release
   * places the second point only when the press dragged (a drag draws the first segment).
   */
  | { name: 'placing'; label: string; points: Point[]; cursor: Point; down: boolean; first: boolean }
  /** Pressed on a measurement: a click selects it, a drag moves it. */
  | { name: 'pointingShape'; id: string; origin: Point }
  | MoveGesture
  /** Dragging point `index` of the selected measurement. */
  | { name: 'draggingPoint'; id: string; index: number; points: Point[]; moved: boolean };

/**
 * The line and angle tools: place `count` points, by clicks or by dragging the first segment and clicking the
 * rest; the last point commits one annotation (one undo step). Esc cancels, Backspace takes back the last
 * point. On the selected measurement, drag a point to move it; drag the measurement to move it whole.
 */
export abstract class MeasureTool extends Tool<MeasureToolState> {
  abstract override readonly id: 'line' | 'angle';
  /** Moves go by whole pixels, as every tool's do (the editor's `snap` option). */
  snap = true;
  /** Points of one measurement. */
  protected abstract readonly count: number;

  override get draws(): 'line' | 'angle' {
    return this.id;
  }

  constructor(env: ToolEnv) {
    super(env, { name: 'idle' });
  }

  override get preview(): ToolPreview | null {
    const s = this.current;
    const kind = this.id;
    if (s.name === 'placing') {
      const last = s.points[s.points.length - 1]!;
      const moved = s.cursor[0] !== last[0] || s.cursor[1] !== last[1];
      const points = moved ? [...s.points, s.cursor] : s.points;
      return { ...emptyPreview(), shapes: [{ label: s.label, kind, points, closed: false }] };
    }
    if (s.name === 'moving') return movePreview(this.env, s, this.snap);
    if (s.name === 'draggingPoint') {
      const a = this.env.document.get(s.id);
      if (!a) return null;
      const shape = { id: s.id, label: a.label, kind, points: s.points, closed: false };
      return { ...emptyPreview(), shapes: [shape], hide: new Set([s.id]) };
    }
    return null;
  }

  override onPointerDown(e: ToolPointerEvent): void {
    if ((e.button ?? 0) !== 0) return;
    const s = this.current;
    const p: Point = [e.x, e.y];
    if (s.name === 'placing') {
      this.to({ ...s, cursor: this.inside(p), down: true });
      return;
    }
    if (s.name !== 'idle') return;
    const sel = this.selectedOne(this.id);
    const v = sel ? vertexAt(sel.points!, e.x, e.y, this.tol) : -1;
    if (sel && v >= 0) {
      const points = sel.points!.map((q) => [q[0], q[1]] as Point);
      this.to({ name: 'draggingPoint', id: sel.id, index: v, points, moved: false });
      return;
    }
    const hit = this.grab(this.id, e.x, e.y);
    if (hit) {
      this.select(hit.id, e);
      this.to({ name: 'pointingShape', id: hit.id, origin: p });
      return;
    }
    const label = this.newLabel(this.id);
    if (label)
      this.to({
        name: 'placing',
        label,
        points: [this.inside(p)],
        cursor: this.inside(p),
        down: true,
        first: true,
      });
    else if (!e.shiftKey) this.env.selection.clear();
  }

  override onPointerMove(e: ToolPointerEvent): void {
    const s = this.current;
    const p: Point = [e.x, e.y];
    switch (s.name) {
      case 'placing':
        this.to({ ...s, cursor: this.inside(p) });
        return;
      case 'pointingShape': {
        if (this.env.document.has(s.id) && this.isDrag(s.origin, e))
          this.to(dragMove(this.env, startMove([s.id], s.origin), e, this.snap));
        return;
      }
      case 'moving':
        this.to(dragMove(this.env, s, e, this.snap));
        return;
      case 'draggingPoint':
        this.to(this.dragPoint(s, p));
        return;
    }
  }

  override onPointerUp(e: ToolPointerEvent): void {
    const s = this.current;
    switch (s.name) {
      case 'placing': {
        if (!s.down) return;
        const p = this.inside([e.x, e.y]);
        // A click placed only the first point; a release on the last point (the second half of a
        // double-click) adds nothing.
        const last = s.points[s.points.length - 1]!;
        if ((s.first && !this.isDrag(last, e)) || vertexAt([last], p[0], p[1], this.tol / 3) === 0) {
          this.to({ ...s, cursor: p, down: false, first: false });
          return;
        }
        const points = [...s.points, p];
        this.to({ ...s, points, cursor: p, down: false, first: false });
        if (points.length >= this.count) this.complete();
        return;
      }
      case 'pointingShape':
        this.reset();
        return;
      case 'moving':
      case 'draggingPoint':
        this.onPointerMove(e);
        this.complete();
        return;
    }
  }

  /** Commits the measurement once all its points are placed, or the drag of one; otherwise cancels. */
  override complete(): void {
    const s = this.current;
    const doc = this.env.document;
    this.reset();
    if (s.name === 'placing' && s.points.length >= this.count) {
      const a = doc.add({ ...this.fresh(s.label), kind: this.id, points: s.points.slice(0, this.count) });
      this.env.selection.set([a.id]);
    } else if (s.name === 'moving') commitMove(this.env, s, this.snap);
    else if (s.name === 'draggingPoint' && s.moved && doc.has(s.id)) doc.update(s.id, { points: s.points });
  }

  override onKeyDown(e: KeyLike, actions: readonly string[]): boolean {
    const s = this.current;
    if (s.name === 'placing' && (actions.includes('polygon-remove-vertex') || e.key === 'Backspace')) {
      if (s.points.length <= 1) this.reset();
      else this.to({ ...s, points: s.points.slice(0, -1) });
      return true;
    }
    if (!this.busy && nudgeFor(this.env, actions)) return true;
    return super.onKeyDown(e, actions);
  }

  /** The selected editable measurement of this tool's kind on this slice, when exactly one is selected. */
  selectedMeasurement(): Annotation | undefined {
    return this.selectedOne(this.id);
  }
}
