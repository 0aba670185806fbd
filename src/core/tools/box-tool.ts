import type { AnnotationKind } from '../annotation/types.js';
import { maskOf } from '../annotation/document.js';
import {
  type BoxHandle,
  boxFromCorners,
  handleAt,
  resizeBox,
  translateBox,
  translateMask,
} from '../annotation/geometry.js';
import type { Annotation, Box, Point } from '../annotation/types.js';
import type { KeyLike } from '../keymap.js';
import { Tool, type ToolEnv, type ToolPointerEvent, type ToolPreview, emptyPreview } from './tool.js';

/** States of the box tool. */
export type BoxToolState =
  | { name: 'idle' }
  /** Pressed on empty image: a click clears the selection, a drag creates a box. */
  | { name: 'pointing'; origin: Point; shift: boolean }
  | { name: 'creating'; origin: Point; box: Box; label: string }
  /** Pressed on a box: a click selects it, a drag moves it. */
  | { name: 'pointingShape'; id: string; origin: Point }
  | { name: 'moving'; id: string; origin: Point; start: Box; box: Box }
  | { name: 'resizing'; id: string; handle: BoxHandle; start: Box; box: Box };

/** Arrow-key nudges: action → [dx, dy]. */
export const NUDGE_ACTIONS: Record<string, [number, number]> = {
  'nudge-left': [-1, 0],
  'nudge-right': [1, 0],
  'nudge-up': [0, -1],
  'nudge-down': [0, 1],
  'nudge-left-10': [-10, 0],
  'nudge-right-10': [10, 0],
  'nudge-up-10': [0, -10],
  'nudge-down-10': [0, 10],
};

/** Rounds a box to whole pixels (edges on pixel boundaries). */
export function snapBox(b: Box): Box {
  const x0 = Math.round(b.x);
  const y0 = Math.round(b.y);
  return { x: x0, y: y0, width: Math.round(b.x + b.width) - x0, height: Math.round(b.y + b.height) - y0 };
}

/**
 * Box tool: drag to create (Shift keeps a square), press a box to select and drag to move, drag one of the 8
 * handles of the selected box to resize, Shift+arrows nudge the selection by 1 px (Alt+Shift: 10 px).
 * With `snap` (default) box edges land on pixel boundaries.
 */
export class BoxTool extends Tool<BoxToolState> {
  readonly id = 'box';

  override get draws(): AnnotationKind {
    return 'box';
  }
  snap = true;

  constructor(env: ToolEnv) {
    super(env, { name: 'idle' });
  }

  override get preview(): ToolPreview | null {
    const s = this.current;
    if (s.name === 'creating')
      return { ...emptyPreview(), shapes: [{ label: s.label, box: this.out(s.box) }] };
    if (s.name === 'moving' || s.name === 'resizing') {
      const a = this.env.document.get(s.id);
      if (!a) return null;
      return {
        ...emptyPreview(),
        shapes: [{ id: s.id, label: a.label, box: this.out(s.box) }],
        hide: new Set([s.id]),
      };
    }
    return null;
  }

  /** The selected editable box on this slice, when exactly one is selected. */
  selectedBox(): Annotation | undefined {
    return this.selectedOne('box');
  }

  override onPointerDown(e: ToolPointerEvent): void {
    if ((e.button ?? 0) !== 0 || this.state !== 'idle') return;
    const p: Point = [e.x, e.y];
    const sel = this.selectedBox();
    const handle = sel && handleAt(sel.box!, e.x, e.y, this.tol);
    if (sel && handle) {
      this.to({ name: 'resizing', id: sel.id, handle, start: sel.box!, box: sel.box! });
      return;
    }
    const hit = this.grab('box', e.x, e.y);
    if (hit) {
      this.select(hit.id, e);
      this.to({ name: 'pointingShape', id: hit.id, origin: p });
      return;
    }
    this.to({ name: 'pointing', origin: p, shift: !!e.shiftKey });
  }

  override onPointerMove(e: ToolPointerEvent): void {
    const s = this.current;
    switch (s.name) {
      case 'pointing': {
        const label = this.newLabel('box');
        if (this.isDrag(s.origin, e) && label)
          this.to({
            name: 'creating',
            origin: s.origin,
            box: boxFromCorners(s.origin, [e.x, e.y], e.shiftKey),
            label,
          });
        return;
      }
      case 'creating':
        this.to({ ...s, box: boxFromCorners(s.origin, [e.x, e.y], e.shiftKey) });
        return;
      case 'pointingShape': {
        const a = this.env.document.get(s.id);
        if (a?.box && this.isDrag(s.origin, e))
          this.to({ name: 'moving', id: s.id, origin: s.origin, start: a.box, box: a.box });
        return;
      }
      case 'moving': {
        // Moving never resizes: the box stops at the image edge rather than being clipped on release.
        const { width: W, height: H } = this.env.document;
        const [dx, dy] = moveShift([{ box: s.start }], W, H, e.x - s.origin[0], e.y - s.origin[1], this.snap);
        this.to({ ...s, box: translateBox(s.start, dx, dy) });
        return;
      }
      case 'resizing':
        this.to({ ...s, box: resizeBox(s.start, s.handle, e.x, e.y, e.shiftKey) });
        return;
    }
  }

  override onPointerUp(e: ToolPointerEvent): void {
    const s = this.current;
    switch (s.name) {
      case 'pointing':
        if (!s.shift) this.env.selection.clear();
        this.reset();
        return;
      case 'creating':
        this.to({ ...s, box: boxFromCorners(s.origin, [e.x, e.y], e.shiftKey) });
        this.complete();
        return;
      case 'pointingShape':
        this.reset();
        return;
      case 'moving':
      case 'resizing':
        this.onPointerMove(e);
        this.complete();
        return;
    }
  }

  /** Commits the gesture (Enter, or pointer up). */
  override complete(): void {
    const s = this.current;
    if (s.name === 'creating') {
      const box = this.out(s.box);
      this.reset();
      if (box.width > 0 && box.height > 0) {
        const a = this.env.document.add({ ...this.fresh(s.label), kind: 'box', box });
        this.env.selection.set([a.id]);
      }
      return;
    }
    if (s.name === 'moving' || s.name === 'resizing') {
      const box = this.out(s.box);
      this.reset();
      const a = this.env.document.get(s.id);
      if (a?.box && (box.width > 0 || box.height > 0) && !sameBox(a.box, box))
        this.env.document.update(s.id, { box });
      return;
    }
    this.cancel();
  }

  override onKeyDown(e: KeyLike, actions: readonly string[]): boolean {
    if (!this.busy && nudgeFor(this.env, actions, this.snap)) return true;
    return super.onKeyDown(e, actions);
  }

  /** The box as committed: clipped to the image, and snapped to pixel edges when `snap` is on. */
  private out(b: Box): Box {
    const { width: W, height: H } = this.env.document;
    const x0 = Math.min(W, Math.max(0, b.x));
    const y0 = Math.min(H, Math.max(0, b.y));
    const x1 = Math.min(W, Math.max(0, b.x + b.width));
    const y1 = Math.min(H, Math.max(0, b.y + b.height));
    const clipped = { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
    return this.snap ? snapBox(clipped) : clipped;
  }
}

function sameBox(a: Box, b: Box): boolean {
  return a.x === b.x && a.y === b.y && a.width === b.width && a.height === b.height;
}

/** Runs the first nudge action in `actions` on the selection; false when none applies. */
export function nudgeFor(env: ToolEnv, actions: readonly string[], snap = true): boolean {
  for (const action of actions) {
    const d = NUDGE_ACTIONS[action];
    if (d) return nudgeSelection(env, d[0], d[1], snap);
  }
  return false;
}

/**
 * Moves every selected editable box, polygon and mask on the current slice by (dx, dy) as one step (masks by
 * whole pixels; one that leaves the image entirely is removed in the same step). With `snap`, a moved box's
 * edges land on pixel boundaries, as a drawn one's do.
 */
export function nudgeSelection(env: ToolEnv, dx: number, dy: number, snap = true): boolean {
  const doc = env.document;
  const targets = [...env.selection.ids]
    .map((id) => doc.get(id))
    .filter((a): a is Annotation => !!a && a.slice === env.slice && env.visibility.isEditable(a));
  if (!targets.length) return false;
  [dx, dy] = clampShift(targets, doc.width, doc.height, dx, dy);
  // At the edge: the key is still consumed (it must not scroll slices instead), but nothing changes.
  if (dx === 0 && dy === 0) return true;
  doc.transact(() => {
    for (const a of targets) {
      if (a.box) doc.update(a.id, { box: movedBox(a.box, dx, dy, snap) });
      else if (a.points) doc.update(a.id, { points: a.points.map(([x, y]) => [x + dx, y + dy]) });
      else {
        const m = maskOf(a);
        const moved = m && translateMask(m, Math.round(dx), Math.round(dy));
        if (moved?.isEmpty()) doc.remove(a.id);
        else if (moved) doc.update(a.id, { mask: moved });
      }
    }
  });
  env.selection.prune((id) => doc.has(id));
  return true;
}

/** A box moved by (dx, dy); with `snap`, its edges on pixel boundaries. */
export function movedBox(b: Box, dx: number, dy: number, snap: boolean): Box {
  const moved = translateBox(b, dx, dy);
  return snap ? snapBox(moved) : moved;
}

/**
 * The shift a drag of (dx, dy) gives boxes and polygons: with `snap`, by whole pixels (so snapped shapes stay
 * snapped), and stopped at the image edge as {@link clampShift} does.
 */
export function moveShift(
  targets: readonly Pick<Annotation, 'box' | 'points'>[],
  W: number,
  H: number,
  dx: number,
  dy: number,
  snap: boolean,
): [number, number] {
  return snap ? clampShift(targets, W, H, Math.round(dx), Math.round(dy)) : clampShift(targets, W, H, dx, dy);
}

/**
 * Limits a shift of boxes and polygons so that those inside the image stay inside it (the selection moves as
 * one and stops at the edge); one already past an edge can still move back, never further out.
 */
export function clampShift(
  targets: readonly Pick<Annotation, 'box' | 'points'>[],
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
    let x0: number, y0: number, x1: number, y1: number;
    if (a.box) {
      x0 = a.box.x;
      y0 = a.box.y;
      x1 = a.box.x + a.box.width;
      y1 = a.box.y + a.box.height;
    } else if (a.points?.length) {
      x0 = y0 = Infinity;
      x1 = y1 = -Infinity;
      for (const [x, y] of a.points) {
        x0 = Math.min(x0, x);
        y0 = Math.min(y0, y);
        x1 = Math.max(x1, x);
        y1 = Math.max(y1, y);
      }
    } else continue; // masks are clipped pixel by pixel instead
    loX = Math.max(loX, Math.min(0, -x0));
    hiX = Math.min(hiX, Math.max(0, W - x1));
    loY = Math.max(loY, Math.min(0, -y0));
    hiY = Math.min(hiY, Math.max(0, H - y1));
  }
  return [Math.min(Math.max(dx, loX), hiX), Math.min(Math.max(dy, loY), hiY)];
}
