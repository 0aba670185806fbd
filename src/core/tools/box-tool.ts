import type { AnnotationKind } from '../annotation/types.js';
import { boxFromCorners, handleAt } from '../annotation/geometry.js';
import type { Annotation, Box, BoxAnnotation, Point } from '../annotation/types.js';
import type { KeyLike } from '../keymap.js';
import { SparseMask } from '../mask/sparse-mask.js';
import {
  type MoveGesture,
  movePreview,
  type ResizeGesture,
  boxPreview,
  clampShift,
  clipBox,
  commitMove,
  commitResize,
  dragMove,
  dragResize,
  moved,
  startMove,
  startResize,
} from './gestures.js';
import { Tool, type ToolEnv, type ToolPointerEvent, type ToolPreview, emptyPreview } from './tool.js';

/** States of the box tool. */
export type BoxToolState =
  | { name: 'idle' }
  /** Pressed on empty image: a click clears the selection, a drag creates a box. */
  | { name: 'pointing'; origin: Point; shift: boolean }
  | { name: 'creating'; origin: Point; box: Box; label: string }
  /** Pressed on a box: a click selects it, a drag moves it. */
  | { name: 'pointingShape'; id: string; origin: Point }
  | MoveGesture
  | ResizeGesture;

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
      return { ...emptyPreview(), shapes: [{ label: s.label, box: clipBox(this.env, s.box, this.snap) }] };
    if (s.name === 'moving') return movePreview(this.env, s, this.snap);
    if (s.name === 'resizing') return boxPreview(this.env, s.id, s.box, this.snap);
    return null;
  }

  /** The selected editable box on this slice, when exactly one is selected. */
  selectedBox(): BoxAnnotation | undefined {
    return this.selectedOne('box');
  }

  override onPointerDown(e: ToolPointerEvent): void {
    if ((e.button ?? 0) !== 0 || this.state !== 'idle') return;
    const p: Point = [e.x, e.y];
    const sel = this.selectedBox();
    const handle = sel && handleAt(sel.box, e.x, e.y, this.tol);
    if (sel && handle) {
      this.to(startResize(sel, handle));
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
        if (this.env.document.has(s.id) && this.isDrag(s.origin, e))
          this.to(dragMove(this.env, startMove([s.id], s.origin), e, this.snap));
        return;
      }
      // Moving never resizes: the box stops at the image edge rather than being clipped on release.
      case 'moving':
        this.to(dragMove(this.env, s, e, this.snap));
        return;
      case 'resizing':
        this.to(dragResize(s, e));
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
      const box = clipBox(this.env, s.box, this.snap);
      this.reset();
      if (box.width > 0 && box.height > 0) {
        const a = this.env.document.add({ ...this.fresh(s.label), kind: 'box', box });
        this.env.selection.set([a.id]);
      }
      return;
    }
    this.reset();
    if (s.name === 'moving') commitMove(this.env, s, this.snap);
    else if (s.name === 'resizing') commitResize(this.env, s, this.snap);
  }

  override onKeyDown(e: KeyLike, actions: readonly string[]): boolean {
    if (!this.busy && nudgeFor(this.env, actions, this.snap)) return true;
    return super.onKeyDown(e, actions);
  }
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
      const next = moved(a, dx, dy, snap);
      // A mask pushed entirely off the image is gone, so its annotation goes too (same undo step).
      if (next.mask instanceof SparseMask && next.mask.isEmpty()) doc.remove(a.id);
      else doc.update(a.id, next);
    }
  });
  env.selection.prune((id) => doc.has(id));
  return true;
}
