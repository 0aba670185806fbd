import type { AnnotationKind } from '../annotation/types.js';
import { maskOf } from '../annotation/document.js';
import type { Annotation, Point } from '../annotation/types.js';
import type { KeyLike } from '../keymap.js';
import { fillHoles, type ThresholdRange } from '../mask/paint.js';
import { maskedOut, paintStrokeAround, type PaintOver } from './paint-over.js';
import type { SparseMask } from '../mask/sparse-mask.js';
import {
  Tool,
  type PreviewMask,
  type ToolEnv,
  type ToolPointerEvent,
  type ToolPreview,
  emptyPreview,
} from './tool.js';

/** One mask being painted: a clone of annotation `id`, or a new mask (no id). */
export interface BrushDraft {
  id?: string;
  label: string;
  mask: SparseMask;
}

/** States of the brush and eraser. */
export type BrushToolState = { name: 'idle' } | { name: 'painting'; drafts: BrushDraft[]; last: Point };

/** Brush diameters `[` and `]` step through. */
export const BRUSH_MIN = 1;
export const BRUSH_MAX = 512;

/**
 * Round brush (`mode: 'paint'`) and eraser (`mode: 'erase'`) for mask annotations.
 *
 * Paint goes into the selected mask of the active label on this slice, or a new mask instance (then selected).
 * The eraser erases from the selected masks on this slice, or from every editable mask here when none is
 * selected; a mask erased to nothing is removed. Strokes are the capsules swept between pointer samples, so
 * fast strokes leave no gaps. With `threshold` set, only pixels whose modality value is in range are painted.
 * With `fill` on, a click fills holes instead (inside a hole: that hole; on the mask: every hole).
 * A stroke is one undo step; Esc drops it.
 */
export class BrushTool extends Tool<BrushToolState> {
  readonly id: 'brush' | 'eraser';

  override get draws(): AnnotationKind | undefined {
    return this.id === 'brush' ? 'mask' : undefined;
  }
  readonly mode: 'paint' | 'erase';
  /** Brush diameter in image pixels. */
  size = 10;
  /** Paint only where the modality value lies in [min, max]. */
  threshold: { min: number; max: number } | null = null;
  /** Click fills holes instead of painting. */
  fill = false;
  /** Whether paint may cover other labels' masks (`'all'`) or only where they are not (`'empty'`). */
  paintOver: PaintOver = 'all';
  /** The other labels' masks the stroke in progress leaves alone (`paintOver: 'empty'`). */
  private keepOut: SparseMask[] = [];
  private hover: Point | null = null;

  constructor(env: ToolEnv, mode: 'paint' | 'erase' = 'paint') {
    super(env, { name: 'idle' });
    this.mode = mode;
    this.id = mode === 'paint' ? 'brush' : 'eraser';
    this.cursor = 'none';
  }

  override get preview(): ToolPreview | null {
    const s = this.current;
    const p = s.name === 'painting' ? s.last : this.hover;
    if (!p && s.name === 'idle') return null;
    const pv: ToolPreview = emptyPreview();
    if (p && !this.fill) pv.brush = { x: p[0], y: p[1], diameter: this.size, erase: this.mode === 'erase' };
    if (s.name === 'painting') {
      pv.masks = s.drafts as PreviewMask[];
      pv.hide = new Set(s.drafts.filter((d) => d.id).map((d) => d.id!));
    }
    return pv;
  }

  /** Changes the diameter by a step (about 20 %, at least 1 px). */
  step(direction: 1 | -1): void {
    const delta = Math.max(1, Math.round(this.size * 0.2));
    this.size = Math.min(BRUSH_MAX, Math.max(BRUSH_MIN, this.size + direction * delta));
    this.env.changed();
    this.env.optionsChanged?.();
  }

  override onPointerDown(e: ToolPointerEvent): void {
    if ((e.button ?? 0) !== 0 || this.busy) return;
    if (this.fill && this.mode === 'paint') {
      this.fillAt(e);
      return;
    }
    // A threshold brush needs the slice's values; until they are decoded it paints nothing.
    if (this.mode === 'paint' && this.threshold && !this.env.sliceValues?.()) return;
    const drafts = this.targets();
    if (!drafts.length) return;
    const p: Point = [e.x, e.y];
    this.hover = p;
    this.keepOut = maskedOut(this.paintOver, drafts[0]!.label, this.env.document.bySlice(this.env.slice));
    for (const d of drafts) this.paint(d.mask, p, p);
    this.to({ name: 'painting', drafts, last: p });
  }

  override onPointerMove(e: ToolPointerEvent): void {
    const s = this.current;
    const p: Point = [e.x, e.y];
    this.hover = p;
    if (s.name !== 'painting') {
      if (!this.fill) this.env.changed();
      return;
    }
    for (const d of s.drafts) this.paint(d.mask, s.last, p);
    this.to({ ...s, last: p });
  }

  override onPointerUp(e: ToolPointerEvent): void {
    if (this.current.name !== 'painting') return;
    this.onPointerMove(e);
    this.complete();
  }

  override onPointerLeave(): void {
    this.hover = null;
    this.env.changed();
  }

  /** Commits the stroke: one change set, one undo step. */
  override complete(): void {
    const s = this.current;
    if (s.name !== 'painting') return;
    this.reset();
    const doc = this.env.document;
    let created: Annotation | undefined;
    doc.transact(() => {
      for (const d of s.drafts) {
        if (!d.mask.changedRect) continue;
        d.mask.freeze();
        if (!d.id) {
          if (!d.mask.isEmpty()) created = doc.add({ ...this.fresh(d.label), kind: 'mask', mask: d.mask });
        } else if (!doc.has(d.id)) continue;
        else if (d.mask.isEmpty()) doc.remove(d.id);
        else doc.update(d.id, { mask: d.mask });
      }
    });
    if (created) this.env.selection.set([created.id]);
    else this.env.selection.prune((id) => doc.has(id));
  }

  override onKeyDown(e: KeyLike, actions: readonly string[]): boolean {
    if (actions.includes('brush-smaller')) {
      this.step(-1);
      return true;
    }
    if (actions.includes('brush-larger')) {
      this.step(1);
      return true;
    }
    if (actions.includes('brush-fill-toggle') && this.mode === 'paint') {
      this.fill = !this.fill;
      this.env.changed();
      this.env.optionsChanged?.();
      return true;
    }
    return super.onKeyDown(e, actions);
  }

  private thresholdRange(): ThresholdRange | null {
    if (!this.threshold || this.mode === 'erase') return null;
    const v = this.env.sliceValues?.();
    if (!v) return null;
    return { ...v, min: this.threshold.min, max: this.threshold.max };
  }

  private paint(mask: SparseMask, a: Point, b: Point): void {
    const value = this.mode === 'paint' ? 1 : 0;
    paintStrokeAround(mask, a, b, this.size, { value, threshold: this.thresholdRange() }, this.keepOut);
  }

  private selectedMasks(): Annotation[] {
    return this.editable('mask').filter((a) => this.env.selection.has(a.id));
  }

  private targets(): BrushDraft[] {
    if (this.mode === 'erase') {
      const sel = this.selectedMasks();
      return (sel.length ? sel : this.editable('mask')).map((a) => ({
        id: a.id,
        label: a.label,
        mask: maskOf(a)!.clone(),
      }));
    }
    const label = this.newLabel('mask');
    if (!label) return [];
    const into = this.selectedMasks().find((a) => a.label === label);
    if (into) return [{ id: into.id, label, mask: maskOf(into)!.clone() }];
    return [{ label, mask: this.env.document.createMask() }];
  }

  private fillAt(e: ToolPointerEvent): void {
    const candidates = this.selectedMasks();
    const list = candidates.length ? candidates : this.editable('mask');
    const doc = this.env.document;
    for (let i = list.length - 1; i >= 0; i--) {
      const a = list[i]!;
      const draft = maskOf(a)!.clone();
      if (fillHoles(draft, e.x, e.y)) {
        doc.update(a.id, { mask: draft.freeze() });
        this.env.selection.set([a.id]);
        return;
      }
    }
  }
}
