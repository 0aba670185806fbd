/**
 * The editing gestures several tools share: moving annotations (box, polygon and select tools) and resizing a
 * box by one of its handles (box and select tools). Each is a plain state object that a tool keeps in its own
 * state union, with functions to follow the pointer, to preview and to commit as one undo step; the per-kind
 * geometry comes from the shape table, so a new kind moves without another branch here.
 */
import { maskOf } from '../annotation/document.js';
import {
  type BoxHandle,
  boundsOf,
  resizeBox,
  translateBox,
  translateMaskInto,
} from '../annotation/geometry.js';
import { type GeometryInput, shapeOf } from '../annotation/shapes.js';
import type { Annotation, Box, BoxAnnotation, Point } from '../annotation/types.js';
import type { SparseMask } from '../mask/sparse-mask.js';
import { type ToolEnv, type ToolPointerEvent, type ToolPreview, emptyPreview } from './tool.js';

/**
 * Dragging annotations by (dx, dy). Outlines stop at the image edge as one; masks move by whole pixels, and
 * `drafts` hold each mask moved by the rounded delta (re-used while the drag goes on).
 */
export interface MoveGesture {
  name: 'moving';
  origin: Point;
  ids: string[];
  dx: number;
  dy: number;
  drafts: Map<string, { mask: SparseMask; dx: number; dy: number }>;
}

/** Dragging handle `handle` of box `id`, which started as `start`. */
export interface ResizeGesture {
  name: 'resizing';
  id: string;
  handle: BoxHandle;
  start: Box;
  box: Box;
}

/** A move of `ids` that starts at `origin` and has not moved yet. */
export function startMove(ids: string[], origin: Point): MoveGesture {
  return { name: 'moving', origin, ids, dx: 0, dy: 0, drafts: new Map() };
}

/** The move following the pointer to `e`: by whole pixels with `snap`, stopped at the image edge. */
export function dragMove(env: ToolEnv, g: MoveGesture, e: ToolPointerEvent, snap: boolean): MoveGesture {
  const doc = env.document;
  const targets = g.ids.map((id) => doc.get(id)).filter((a): a is Annotation => !!a);
  const [dx, dy] = moveShift(targets, doc.width, doc.height, e.x - g.origin[0], e.y - g.origin[1], snap);
  const mx = Math.round(dx);
  const my = Math.round(dy);
  for (const a of targets) {
    const src = maskOf(a);
    if (!src) continue;
    const d = g.drafts.get(a.id);
    if (d && d.dx === mx && d.dy === my) continue;
    g.drafts.set(a.id, { mask: translateMaskInto(d?.mask ?? src.clone(), src, mx, my), dx: mx, dy: my });
  }
  return { ...g, dx, dy };
}

/** What a move in progress draws: each moved annotation in its new place, standing in for the original. */
export function movePreview(env: ToolEnv, g: MoveGesture, snap: boolean): ToolPreview {
  const pv = emptyPreview();
  const hide = new Set<string>();
  for (const id of g.ids) {
    const a = env.document.get(id);
    if (!a) continue;
    hide.add(id);
    const d = g.drafts.get(id);
    if (d) pv.masks.push({ id, label: a.label, mask: d.mask });
    else {
      const shape = shapeOf(a).preview({ ...a, ...moved(a, g.dx, g.dy, snap) } as Annotation);
      if (shape?.box) pv.shapes.push({ id, label: a.label, kind: a.kind, box: shape.box });
      else if (shape?.points)
        pv.shapes.push({ id, label: a.label, kind: a.kind, points: shape.points, closed: shape.closed });
    }
  }
  pv.hide = hide;
  return pv;
}

/**
 * Commits a move as one undo step. A mask moved entirely off the image is gone, so its annotation is removed
 * in the same step. The selection forgets what no longer exists.
 */
export function commitMove(env: ToolEnv, g: MoveGesture, snap: boolean): void {
  if (!g.dx && !g.dy) return;
  const doc = env.document;
  doc.transact(() => {
    for (const id of g.ids) {
      const a = doc.get(id);
      if (!a) continue;
      const d = g.drafts.get(id);
      if (!d) doc.update(id, moved(a, g.dx, g.dy, snap));
      else if (!d.dx && !d.dy) continue;
      else if (d.mask.freeze().isEmpty()) doc.remove(id);
      else doc.update(id, { mask: d.mask });
    }
  });
  env.selection.prune((id) => doc.has(id));
}

/** The geometry of `a` moved by (dx, dy), as a patch; with `snap`, a box's edges land on pixel boundaries. */
export function moved(a: Annotation, dx: number, dy: number, snap: boolean): GeometryInput {
  const g = shapeOf(a).translate(a, dx, dy);
  return snap && g.box ? { ...g, box: snapBox(g.box) } : g;
}

/** A resize of box annotation `a` by `handle`. */
export function startResize(a: BoxAnnotation, handle: BoxHandle): ResizeGesture {
  return { name: 'resizing', id: a.id, handle, start: a.box, box: a.box };
}

/** The resize following the pointer to `e` (Shift keeps a square). */
export function dragResize(g: ResizeGesture, e: ToolPointerEvent): ResizeGesture {
  return { ...g, box: resizeBox(g.start, g.handle, e.x, e.y, e.shiftKey) };
}

/** What a box being moved or resized draws: the box as it would be committed, standing in for the original. */
export function boxPreview(env: ToolEnv, id: string, box: Box, snap: boolean): ToolPreview | null {
  const a = env.document.get(id);
  if (!a) return null;
  return {
    ...emptyPreview(),
    shapes: [{ id, label: a.label, box: clipBox(env, box, snap) }],
    hide: new Set([id]),
  };
}

/** Commits a resize as one undo step, unless it changed nothing or left a box with no size at all. */
export function commitResize(env: ToolEnv, g: ResizeGesture, snap: boolean): void {
  const box = clipBox(env, g.box, snap);
  const a = env.document.get(g.id);
  if (a?.box && (box.width > 0 || box.height > 0) && !sameBox(a.box, box)) env.document.update(g.id, { box });
}

/** A box as committed: clipped to the image, and snapped to pixel edges when `snap` is on. */
export function clipBox(env: ToolEnv, b: Box, snap: boolean): Box {
  const { width: W, height: H } = env.document;
  const x0 = Math.min(W, Math.max(0, b.x));
  const y0 = Math.min(H, Math.max(0, b.y));
  const x1 = Math.min(W, Math.max(0, b.x + b.width));
  const y1 = Math.min(H, Math.max(0, b.y + b.height));
  const clipped = { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
  return snap ? snapBox(clipped) : clipped;
}

/** Rounds a box to whole pixels (edges on pixel boundaries). */
export function snapBox(b: Box): Box {
  const x0 = Math.round(b.x);
  const y0 = Math.round(b.y);
  return { x: x0, y: y0, width: Math.round(b.x + b.width) - x0, height: Math.round(b.y + b.height) - y0 };
}

/** A box moved by (dx, dy); with `snap`, its edges on pixel boundaries. */
export function movedBox(b: Box, dx: number, dy: number, snap: boolean): Box {
  const m = translateBox(b, dx, dy);
  return snap ? snapBox(m) : m;
}

export function sameBox(a: Box, b: Box): boolean {
  return a.x === b.x && a.y === b.y && a.width === b.width && a.height === b.height;
}

/**
 * The shift a drag of (dx, dy) gives the annotations: with `snap`, by whole pixels (so snapped shapes stay
 * snapped), and stopped at the image edge as {@link clampShift} does.
 */
export function moveShift(
  targets: readonly Annotation[],
  W: number,
  H: number,
  dx: number,
  dy: number,
  snap: boolean,
): [number, number] {
  return snap ? clampShift(targets, W, H, Math.round(dx), Math.round(dy)) : clampShift(targets, W, H, dx, dy);
}

/**
 * Limits a shift so that the outlines inside the image stay inside it (the selection moves as one and stops
 * at the edge); one already past an edge can still move back, never further out. Pixel shapes (masks) are
 * cropped at the edge instead, so they do not limit the shift.
 */
export function clampShift(
  targets: readonly Annotation[],
  W: number,
  H: number,
  dx: number,
  dy: number,
): [number, number] {
  let loX = -Infinity;
  let hiX = Infinity;
  let loY = -Infinity;
  let hiY = Infinity;
  for (const a of targets) {
    const b = shapeOf(a).pixels ? null : boundsOf(a);
    if (!b) continue;
    loX = Math.max(loX, Math.min(0, -b[0]));
    hiX = Math.min(hiX, Math.max(0, W - b[2]));
    loY = Math.max(loY, Math.min(0, -b[1]));
    hiY = Math.min(hiY, Math.max(0, H - b[3]));
  }
  return [Math.min(Math.max(dx, loX), hiX), Math.min(Math.max(dy, loY), hiY)];
}
