import type { AnnotationKind } from '../annotation/types.js';
import { edgeAt, simplify, vertexAt } from '../annotation/geometry.js';
import type { Point, PolygonAnnotation } from '../annotation/types.js';
import type { KeyLike } from '../keymap.js';
import { nudgeFor } from './box-tool.js';
import { type MoveGesture, commitMove, dragMove, movePreview, startMove } from './gestures.js';
import { Tool, type ToolEnv, type ToolPointerEvent, type ToolPreview, emptyPreview } from './tool.js';

/** States of the polygon tool. */
export type PolygonToolState =
  | { name: 'idle' }
  /** Pressed on empty image: a click starts a polygon, a drag draws freehand. */
  | { name: 'pointingCanvas'; origin: Point; label: string }
  /** Clicking vertices; `cursor` is the pointer, for the rubber band. */
  | { name: 'drawing'; points: Point[]; cursor: Point; label: string }
  | { name: 'freehand'; points: Point[]; label: string }
  /** Pressed on a polygon: a click selects it, a drag moves it. */
  | { name: 'pointingShape'; id: string; origin: Point }
  | MoveGesture
  /** Dragging vertex `index`; `inserted` when the press inserted it on an edge. */
  | { name: 'draggingVertex'; id: string; index: number; points: Point[]; moved: boolean; inserted: boolean };

/**
 * Polygon tool: click to add vertices; close with a click on the first vertex, a double-click (its second
 * press on the last vertex closes, and so does the `dblclick` event) or Enter;
 * Backspace removes the last vertex. Drag on empty image to draw freehand (simplified on release). On the
 * selected polygon: drag a vertex, click an edge to insert a vertex, Alt-click a vertex to delete it; drag
 * the shape to move it.
 */
export class PolygonTool extends Tool<PolygonToolState> {
  readonly id = 'polygon';
  /** Moves go by whole pixels, as the box and select tools' do (the editor's `snap` option). */
  snap = true;

  override get draws(): AnnotationKind {
    return 'polygon';
  }
  /** Freehand simplification tolerance in screen pixels. */
  simplifyPx = 1.5;

  constructor(env: ToolEnv) {
    super(env, { name: 'idle' });
  }

  override get preview(): ToolPreview | null {
    const s = this.current;
    switch (s.name) {
      case 'drawing': {
        const last = s.points[s.points.length - 1]!;
        return {
          ...emptyPreview(),
          shapes: [{ label: s.label, points: s.points, closed: false }],
          rubberBand: [last, s.cursor],
        };
      }
      case 'freehand':
        return { ...emptyPreview(), shapes: [{ label: s.label, points: s.points, closed: false }] };
      case 'moving':
        return movePreview(this.env, s, this.snap);
      case 'draggingVertex': {
        const a = this.env.document.get(s.id);
        if (!a) return null;
        return {
          ...emptyPreview(),
          shapes: [{ id: s.id, label: a.label, points: s.points, closed: true }],
          hide: new Set([s.id]),
        };
      }
    }
    return null;
  }

  /** The selected editable polygon on this slice, when exactly one is selected. */
  selectedPolygon(): PolygonAnnotation | undefined {
    return this.selectedOne('polygon');
  }

  override onPointerDown(e: ToolPointerEvent): void {
    if ((e.button ?? 0) !== 0) return;
    const s = this.current;
    const p: Point = [e.x, e.y];
    if (s.name === 'drawing') {
      // Vertices sit on the image: compare with the press moved onto it too (a click past the edge).
      const [qx, qy] = this.inside(p);
      if (s.points.length >= 3 && vertexAt([s.points[0]!], qx, qy, this.tol) === 0) {
        this.complete();
        return;
      }
      const last = s.points[s.points.length - 1]!;
      // A second press on the vertex just added (the second half of a double-click) closes the polygon,
      // whether or not a dblclick event follows; with fewer than 3 vertices it is ignored.
      if (vertexAt([last], qx, qy, this.tol / 3) === 0) {
        if (s.points.length >= 3) this.complete();
        return;
      }
      this.to({ ...s, points: [...s.points, this.inside(p)], cursor: p });
      return;
    }
    if (s.name !== 'idle') return;
    const sel = this.selectedPolygon();
    if (sel) {
      const pts = sel.points;
      const v = vertexAt(pts, e.x, e.y, this.tol);
      if (v >= 0) {
        if (e.altKey) {
          if (pts.length > 3) this.env.document.update(sel.id, { points: pts.filter((_, i) => i !== v) });
          return;
        }
        this.to({
          name: 'draggingVertex',
          id: sel.id,
          index: v,
          points: pts.map((q) => [q[0], q[1]]),
          moved: false,
          inserted: false,
        });
        return;
      }
      const edge = edgeAt(pts, e.x, e.y, this.tol / 2);
      if (edge && !e.altKey) {
        const points = pts.map((q) => [q[0], q[1]] as Point);
        points.splice(edge.index + 1, 0, edge.point);
        this.to({
          name: 'draggingVertex',
          id: sel.id,
          index: edge.index + 1,
          points,
          moved: false,
          inserted: true,
        });
        return;
      }
    }
    const hit = this.grab('polygon', e.x, e.y);
    if (hit) {
      this.select(hit.id, e);
      this.to({ name: 'pointingShape', id: hit.id, origin: p });
      return;
    }
    const label = this.newLabel('polygon');
    if (label) this.to({ name: 'pointingCanvas', origin: p, label });
    else if (!e.shiftKey) this.env.selection.clear();
  }

  override onPointerMove(e: ToolPointerEvent): void {
    const s = this.current;
    const p: Point = [e.x, e.y];
    switch (s.name) {
      case 'pointingCanvas':
        if (this.isDrag(s.origin, e))
          this.to({ name: 'freehand', points: [this.inside(s.origin), this.inside(p)], label: s.label });
        return;
      case 'drawing':
        this.to({ ...s, cursor: p });
        return;
      case 'freehand': {
        const last = s.points[s.points.length - 1]!;
        const min = 0.5 * this.env.pixelSize;
        if ((last[0] - p[0]) ** 2 + (last[1] - p[1]) ** 2 >= min * min)
          this.to({ ...s, points: [...s.points, this.inside(p)] });
        return;
      }
      case 'pointingShape': {
        if (this.env.document.has(s.id) && this.isDrag(s.origin, e))
          this.to(dragMove(this.env, startMove([s.id], s.origin), e, this.snap));
        return;
      }
      // A polygon inside the image stays inside: it stops at the edge.
      case 'moving':
        this.to(dragMove(this.env, s, e, this.snap));
        return;
      case 'draggingVertex':
        this.to(this.dragPoint(s, p));
        return;
    }
  }

  override onPointerUp(e: ToolPointerEvent): void {
    const s = this.current;
    switch (s.name) {
      case 'pointingCanvas':
        this.env.selection.clear();
        this.to({ name: 'drawing', points: [this.inside(s.origin)], cursor: s.origin, label: s.label });
        return;
      case 'freehand':
        this.onPointerMove(e);
        this.complete();
        return;
      case 'pointingShape':
        this.reset();
        return;
      case 'moving':
      case 'draggingVertex':
        if (s.name === 'moving' || s.moved) this.onPointerMove(e);
        this.complete();
        return;
    }
  }

  override onDoubleClick(_e: ToolPointerEvent): void {
    if (this.current.name === 'drawing') this.complete();
  }

  /** Closes the polygon being drawn (Enter), or commits a drag. */
  override complete(): void {
    const s = this.current;
    const doc = this.env.document;
    switch (s.name) {
      case 'drawing':
      case 'freehand': {
        let points = s.points;
        if (s.name === 'freehand') points = simplifyClosed(points, this.simplifyPx * this.env.pixelSize);
        this.reset();
        if (points.length >= 3) {
          const a = doc.add({ ...this.fresh(s.label), kind: 'polygon', points });
          this.env.selection.set([a.id]);
        }
        return;
      }
      case 'moving':
        this.reset();
        commitMove(this.env, s, this.snap);
        return;
      case 'draggingVertex': {
        this.reset();
        if (doc.has(s.id) && (s.moved || s.inserted)) doc.update(s.id, { points: s.points });
        return;
      }
    }
    this.cancel();
  }

  override onKeyDown(e: KeyLike, actions: readonly string[]): boolean {
    const s = this.current;
    if (s.name === 'drawing' && (actions.includes('polygon-remove-vertex') || e.key === 'Backspace')) {
      if (s.points.length <= 1) this.reset();
      else this.to({ ...s, points: s.points.slice(0, -1) });
      return true;
    }
    if (!this.busy && nudgeFor(this.env, actions)) return true;
    return super.onKeyDown(e, actions);
  }
}

/** Simplifies a freehand outline, treating it as closed. */
function simplifyClosed(points: Point[], tolerance: number): Point[] {
  const out = simplify([...points, points[0]!], tolerance);
  out.pop();
  return out;
}
