import type { AnnotationKind } from '../annotation/types.js';
import { maskOf } from '../annotation/document.js';
import type { Annotation, Point } from '../annotation/types.js';
import type { KeyLike } from '../keymap.js';
import { fillHoles, type ThresholdRange } from '../mask/paint.js';
import { maskedOut, paintStrokeAround, type PaintOver } from './paint-over.js';
import type { SparseMask } from '../mask/sparse-mask.js';
import type { VolumeEdit } from '../mask/sparse-volume.js';
import { paintPlaneStroke, paintSphereStroke, planeMask, type Paint3dOptions } from '../mask/paint-3d.js';
import { identityPlane, type ToolPlane } from './plane.js';
import {
  Tool,
  type PreviewMask,
  type BrushTarget,
  type ToolOptions,
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

/** One volume being painted: an open edit of volume `id` (or of a new one), and how it shows in the plane. */
export interface VolumeDraft {
  id?: string;
  label: string;
  edit: VolumeEdit;
  /** The edit as the plane's current slice shows it (after the first dab). */
  view?: SparseMask;
}

/** States of the brush and eraser. */
export type BrushToolState =
  | { name: 'idle' }
  | { name: 'painting'; drafts: BrushDraft[]; last: Point }
  | { name: 'painting-volume'; volumes: VolumeDraft[]; plane: ToolPlane; slice: number; last: Point };

export type { BrushTarget } from './tool.js';

/** The size the brush and the 3D brush share (`[` and `]` change both). */
export interface BrushSize {
  value: number;
}

/** Brush diameters `[` and `]` step through. */
export const BRUSH_MIN = 1;
export const BRUSH_MAX = 512;

/**
 * Round brush (`mode: 'paint'`), eraser (`mode: 'erase'`) and 3D brush (`mode: 'sphere'`, tool `brush-3d`).
 *
 * Per-slice masks (in the source's own slices, `target: 'slice'`): paint goes into the selected mask of the
 * active label on this slice, or a new mask instance (then selected). The eraser erases from the selected
 * masks on this slice, or from every editable mask here when none is selected; a mask erased to nothing is
 * removed. With `threshold` set, only pixels whose modality value is in range are painted. With `fill` on, a
 * click fills holes instead (inside a hole: that hole; on the mask: every hole).
 *
 * Volumes (in any other plane, with `target: 'volume'`, or when a volume annotation is selected): the brush
 * paints into the selected volume of the active label, or a new volume instance (then selected), through
 * the plane with a round brush of `size` × the plane's column spacing in mm; the eraser erases from the
 * selected volumes, or every editable volume; the 3D brush paints a ball of that diameter in mm around the
 * voxel under the pointer, whatever the target. A stroke that crosses many acquisition slices is one change.
 *
 * Strokes are the capsules swept between pointer samples, so fast strokes leave no gaps. A stroke is one
 * undo step; Esc drops it.
 */
export class BrushTool extends Tool<BrushToolState> {
  readonly id: 'brush' | 'eraser' | 'brush-3d';
  readonly mode: 'paint' | 'erase' | 'sphere';
  /** Paint only where the modality value lies in [min, max]. */
  threshold: { min: number; max: number } | null = null;
  /** Click fills holes instead of painting (per-slice masks). */
  fill = false;
  /** Where strokes in the source's own slices go (see {@link BrushTarget}). */
  target: BrushTarget = 'slice';
  /** Whether paint may cover other labels' masks (`'all'`) or only where they are not (`'empty'`). */
  paintOver: PaintOver = 'all';
  /** The other labels' masks the stroke in progress leaves alone (`paintOver: 'empty'`). */
  private keepOut: SparseMask[] = [];
  private hover: Point | null = null;
  private readonly sizeRef: BrushSize;

  constructor(env: ToolEnv, mode: 'paint' | 'erase' | 'sphere' = 'paint', size?: BrushSize) {
    super(env, { name: 'idle' });
    this.mode = mode;
    this.id = mode === 'paint' ? 'brush' : mode === 'erase' ? 'eraser' : 'brush-3d';
    this.cursor = 'none';
    this.sizeRef = size ?? { value: 10 };
  }

  /** Brush diameter in image pixels (along a row; in mm: × the plane's column spacing). */
  get size(): number {
    return this.sizeRef.value;
  }
  set size(value: number) {
    this.sizeRef.value = value;
  }

  override get draws(): AnnotationKind | undefined {
    if (this.mode === 'erase') return undefined;
    return this.paintsVolumes() ? 'volume' : 'mask';
  }

  /** True when a stroke now paints volumes (see the class description). */
  paintsVolumes(): boolean {
    if (this.mode === 'sphere' || !this.onSourceSlices || this.target === 'volume') return true;
    return this.selectedVolumes().length > 0;
  }

  override get preview(): ToolPreview | null {
    const s = this.current;
    const p = s.name === 'idle' ? this.hover : s.last;
    if (!p && s.name === 'idle') return null;
    const pv: ToolPreview = emptyPreview();
    const volume = s.name === 'painting-volume' || (s.name === 'idle' && this.paintsVolumes());
    if (p && !(this.fill && !volume)) {
      pv.brush = { x: p[0], y: p[1], diameter: this.size, erase: this.mode === 'erase' };
      // A volume brush is round in millimetres: on non-square pixels its outline is an ellipse in pixels.
      const [sx, sy] = this.plane().spacing;
      if (volume && sx !== sy) pv.brush.aspect = sx / sy;
    }
    if (s.name === 'painting') {
      pv.masks = s.drafts as PreviewMask[];
      pv.hide = new Set(s.drafts.filter((d) => d.id).map((d) => d.id!));
    } else if (s.name === 'painting-volume') {
      pv.masks = s.volumes.flatMap((d) =>
        d.view ? [{ id: d.id, label: d.label, mask: d.view, whole: true }] : [],
      );
      pv.hide = new Set(s.volumes.filter((d) => d.id).map((d) => d.id!));
    }
    return pv;
  }

  /** Changes the diameter by a step (about 20 %, at least 1 px). */
  step(direction: 1 | -1): void {
    const delta = Math.max(1, Math.round(this.size * 0.2));
    const size = Math.min(BRUSH_MAX, Math.max(BRUSH_MIN, this.size + direction * delta));
    this.setOption(this.mode === 'erase' ? { eraserSize: size } : { brushSize: size });
  }

  /** Sets an option through the host, so controls hear of it once; alone, sets the field itself. */
  private setOption(patch: Pick<Partial<ToolOptions>, 'brushSize' | 'eraserSize' | 'fill'>): void {
    if (this.env.setOptions) return this.env.setOptions(patch);
    if (patch.brushSize !== undefined || patch.eraserSize !== undefined)
      this.size = (patch.brushSize ?? patch.eraserSize)!;
    if (patch.fill !== undefined) this.fill = patch.fill;
    this.env.changed();
    this.env.optionsChanged?.();
  }

  override onPointerDown(e: ToolPointerEvent): void {
    if ((e.button ?? 0) !== 0 || this.busy) return;
    const p: Point = [e.x, e.y];
    if (this.paintsVolumes()) {
      this.startVolumes(p);
      return;
    }
    if (this.fill && this.mode === 'paint') {
      this.fillAt(e);
      return;
    }
    // A threshold brush needs the slice's values; until they are decoded it paints nothing.
    if (this.mode === 'paint' && this.threshold && !this.env.sliceValues?.()) return;
    const drafts = this.targets();
    if (!drafts.length) return;
    this.hover = p;
    this.keepOut = maskedOut(this.paintOver, drafts[0]!.label, this.env.document.bySlice(this.env.slice));
    for (const d of drafts) this.paint(d.mask, p, p);
    this.to({ name: 'painting', drafts, last: p });
  }

  override onPointerMove(e: ToolPointerEvent): void {
    const s = this.current;
    const p: Point = [e.x, e.y];
    this.hover = p;
    if (s.name === 'painting') {
      for (const d of s.drafts) this.paint(d.mask, s.last, p);
      this.to({ ...s, last: p });
    } else if (s.name === 'painting-volume') {
      for (const d of s.volumes) this.paintVolume(d, s.plane, s.slice, s.last, p);
      this.to({ ...s, last: p });
    } else if (!this.fill || this.paintsVolumes()) this.env.changed();
  }

  override onPointerUp(e: ToolPointerEvent): void {
    if (this.current.name === 'idle') return;
    this.onPointerMove(e);
    this.complete();
  }

  override onPointerLeave(): void {
    this.hover = null;
    this.env.changed();
  }

  /** Drops the stroke: open volume edits are cancelled, the document never changed. */
  override cancel(): void {
    const s = this.current;
    if (s.name === 'painting-volume') for (const d of s.volumes) d.edit.cancel();
    super.cancel();
  }

  /** Commits the stroke: one change set, one undo step. */
  override complete(): void {
    const s = this.current;
    if (s.name === 'painting-volume') {
      this.reset();
      this.commitVolumes(s.volumes);
      return;
    }
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
      this.setOption({ fill: !this.fill });
      return true;
    }
    return super.onKeyDown(e, actions);
  }

  // ---- volumes ----------------------------------------------------------------------------------

  /** The plane on screen, or the acquisition plane of the document for a host without planes. */
  private plane(): ToolPlane {
    const doc = this.env.document;
    return this.env.plane ?? identityPlane(doc.width, doc.height, doc.depth ?? 1);
  }

  /** The editable volume annotations: the selected ones (`selectedOnly`), or all. */
  private volumes(selectedOnly: boolean): Annotation[] {
    const { selection, visibility } = this.env;
    return this.env.document.annotations.filter(
      (a) => a.kind === 'volume' && visibility.isEditable(a) && (!selectedOnly || selection.has(a.id)),
    );
  }

  private selectedVolumes(): Annotation[] {
    return this.env.selection.ids.size ? this.volumes(true) : [];
  }

  private startVolumes(p: Point): void {
    const plane = this.plane();
    const slice = this.env.slice;
    const doc = this.env.document;
    let volumes: VolumeDraft[];
    if (this.mode === 'erase') {
      const sel = this.selectedVolumes();
      volumes = (sel.length ? sel : this.volumes(false)).map((a) => ({
        id: a.id,
        label: a.label,
        edit: doc.editVolume(a.id),
      }));
    } else {
      const label = this.newLabel('volume');
      if (!label) return;
      const into = this.selectedVolumes().find((a) => a.label === label);
      const attributes = this.env.defaultAttributes?.(label);
      const edit = into
        ? doc.editVolume(into.id)
        : doc.editVolume(attributes && Object.keys(attributes).length ? { label, attributes } : { label });
      volumes = [into ? { id: into.id, label, edit } : { label, edit }];
    }
    if (!volumes.length) return;
    this.hover = p;
    for (const d of volumes) this.paintVolume(d, plane, slice, p, p);
    this.to({ name: 'painting-volume', volumes, plane, slice, last: p });
  }

  private paintVolume(d: VolumeDraft, plane: ToolPlane, slice: number, a: Point, b: Point): void {
    const diameter = this.size * plane.spacing[0];
    const options: Paint3dOptions = { value: this.mode === 'erase' ? 0 : 1 };
    if (this.mode === 'sphere') {
      const from = plane.toSource(a[0] - 0.5, a[1] - 0.5, slice);
      const to = plane.toSource(b[0] - 0.5, b[1] - 0.5, slice);
      paintSphereStroke(d.edit, from, to, diameter, plane.sourceGeometry.axes, options);
    } else {
      options.accept = this.volumeThreshold(plane, slice);
      paintPlaneStroke(d.edit, plane, slice, a[0], a[1], b[0], b[1], diameter, options);
    }
    d.view = planeMask(d.edit, plane, slice);
  }

  /** With a threshold, accepts the voxels whose value in the frame on screen is in range. */
  private volumeThreshold(plane: ToolPlane, slice: number): Paint3dOptions['accept'] {
    const range = this.thresholdRange();
    if (!range) return null;
    return (i, j, k) => {
      const [x, y] = plane.fromSource(i, j, k);
      const at = Math.round(y) * range.width + Math.round(x);
      const v = range.values[at];
      if (v === undefined || Math.round(plane.fromSource(i, j, k)[2]) !== slice) return false;
      const value = v * (range.slope ?? 1) + (range.intercept ?? 0);
      return value >= range.min && value <= range.max;
    };
  }

  private commitVolumes(volumes: VolumeDraft[]): void {
    const doc = this.env.document;
    const count = doc.annotations.length;
    doc.transact(() => {
      for (const d of volumes) {
        const memo = d.edit.commit();
        // A volume erased to nothing goes, as a per-slice mask does.
        if (memo && d.id && doc.getSparseVolume(d.id)?.isEmpty()) doc.remove(d.id);
      }
    });
    const created = !volumes[0]?.id && doc.annotations.length > count ? doc.annotations.at(-1) : undefined;
    if (created) this.env.selection.set([created.id]);
    else this.env.selection.prune((id) => doc.has(id));
  }

  // ---- per-slice masks ----------------------------------------------------------------------------

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
