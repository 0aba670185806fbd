/**
 * Draws the annotations of one slice into a Konva layer of the viewer: one keyed node per box or polygon
 * (updated from document change sets, never rebuilt wholesale), one offscreen canvas for the masks of the
 * slice (updated by dirty rectangle), and a preview group for the tool in progress, the selection and hover.
 * @module
 */
// Konva's classes one by one, not its Core bundle: Core also brings Tween and Animation, which voxmark never uses.
import type Konva from 'konva/lib/Core';
import { Group } from 'konva/lib/Group';
import { Rect as KRect } from 'konva/lib/shapes/Rect';
import { Line } from 'konva/lib/shapes/Line';
import { Circle } from 'konva/lib/shapes/Circle';
import { Image as KImage } from 'konva/lib/shapes/Image';
import { Label, Tag } from 'konva/lib/shapes/Label';
import { Text } from 'konva/lib/shapes/Text';
import { type DocumentChange, maskOf } from '../core/annotation/document.js';
import { BoxHandles, handlePoint } from '../core/annotation/geometry.js';
import { shapeOf } from '../core/annotation/shapes.js';
import { fallbackColor } from './colors.js';

export { fallbackColor };
import type { Annotation, AnnotationKind, Point } from '../core/annotation/types.js';
import { type Rect, unionRect } from '../core/mask/sparse-mask.js';
import type { SparseMask } from '../core/mask/sparse-mask.js';
import type { ToolPreview } from '../core/tools/tool.js';
import type { StageLayer } from './viewer-stage.js';

/** How the renderer styles annotations. */
export interface AnnotationStyle {
  /** '#rrggbb' of a label. */
  colorOf(label: string): string;
  isVisible(a: Annotation): boolean;
  isSelected(id: string): boolean;
  isHovered(id: string): boolean;
  /** Stage pixels per image pixel (for handle sizes). */
  scale(): number;
  /** Kinds to draw (the layers present in the viewer). */
  kinds(): ReadonlySet<string>;
  /** The value a measurement shows beside it ('70.0 mm', '90.0°'), or undefined for none. */
  measure?(a: { kind: AnnotationKind; points: readonly Point[] }): string | undefined;
}

/** Kinds drawn as open polylines with their value beside them. */
const MEASUREMENTS: ReadonlySet<string> = new Set(['line', 'angle']);

function rgb(hex: string): [number, number, number] {
  const m = /^#?([0-9a-f]{6})$/i.exec(hex);
  const n = m ? parseInt(m[1]!, 16) : 0xff0000;
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

/** Mask overlay opacity. */
export const MASK_OPACITY = 0.45;

/**
 * A volume annotation as one frame shows it: a frame-sized mask (`planeMask`, or its acquisition slice). In a
 * plane other than the acquisition, per-slice masks are given the same way (the line their slice makes).
 */
export interface PlaneVolume {
  annotation: Annotation;
  mask: SparseMask;
}

/** The three stage layers (groups, see ViewerStage.createLayer) a renderer draws into, bottom to top. */
export interface AnnotationLayers {
  /** The mask overlay (one image). */
  masks: StageLayer;
  /** Box and polygon nodes. */
  shapes: StageLayer;
  /** Selection handles, hover, the tool preview and the brush outline (few nodes, redrawn often: overlay). */
  preview: StageLayer;
}

/**
 * Renders one slice of an annotation document. Masks and shapes are groups on the annotations canvas; the
 * preview is on the overlay canvas, so a drag redraws a handful of preview nodes, never the thousands of
 * shapes underneath.
 */
export class AnnotationRenderer {
  readonly layers: AnnotationLayers;
  /** Layers whose content changed since the last `takeDirtyLayers()`. */
  private dirtyLayers = new Set<StageLayer>();
  readonly shapesGroup: Konva.Group;
  readonly previewGroup: Konva.Group;
  readonly maskNode: KImage;
  private readonly nodes = new Map<string, KRect | Line>();
  private readonly style: AnnotationStyle;
  private slice = -1;
  private list: readonly Annotation[] = [];
  private maskCtx: CanvasRenderingContext2D | undefined;
  private width = 0;
  private height = 0;
  private maskDirty: Rect | null = null;
  /** Everything drawn on the mask canvas so far (cleared on a full redraw). */
  private maskDrawn: Rect | null = null;
  private preview: ToolPreview | null = null;
  /** Rect the drafts of the gesture in progress covered (redrawn when they go away). */
  private draftRect: Rect | null = null;
  private drafts = new Map<string, SparseMask>();
  /** Ids drawn as selected or hovered at the last restyle. */
  private styled = new Set<string>();
  private newDrafts: { label: string; mask: SparseMask }[] = [];
  /** Volume annotations as the frame on screen shows them, drawn under the per-slice masks. */
  private volumes: readonly PlaneVolume[] = [];
  /** Masks drawn as their one-pixel outline only. */
  private maskOutline = false;

  constructor(layers: AnnotationLayers, style: AnnotationStyle) {
    this.layers = layers;
    this.style = style;
    this.maskNode = new KImage({ image: undefined, listening: false, opacity: MASK_OPACITY, visible: false });
    this.shapesGroup = new Group({ listening: false });
    this.previewGroup = new Group({ listening: false });
    layers.masks.add(this.maskNode);
    layers.shapes.add(this.shapesGroup);
    layers.preview.add(this.previewGroup);
  }

  /** The layers that need drawing since the last call (and forgets them). */
  takeDirtyLayers(): StageLayer[] {
    const out = [...this.dirtyLayers];
    this.dirtyLayers.clear();
    return out;
  }

  /** Sets the image size (the mask canvas size). */
  setSize(width: number, height: number): void {
    if (width === this.width && height === this.height) return;
    this.width = width;
    this.height = height;
    this.maskCtx = undefined;
    this.maskDrawn = null;
    this.maskNode.visible(false);
    this.dirtyLayers.add(this.layers.masks);
  }

  /** Shows `slice` of `list` (the document's bySlice list): builds nodes for this slice only. */
  showSlice(slice: number, list: readonly Annotation[]): void {
    this.slice = slice;
    this.list = list;
    const keep = new Set<string>();
    for (const a of list) {
      if (isPixels(a)) continue;
      keep.add(a.id);
      this.upsert(a);
    }
    this.dirtyLayers.add(this.layers.shapes);
    for (const [id, node] of this.nodes) {
      if (!keep.has(id)) {
        node.destroy();
        this.nodes.delete(id);
      }
    }
    this.shapesGroup.children.forEach((n, i) => n.zIndex(i));
    this.redrawAllMasks();
  }

  /** Applies one document change set: only the annotations it names are touched. */
  apply(change: DocumentChange, list: readonly Annotation[]): void {
    this.list = list;
    for (const a of change.deleted) this.drop(a);
    for (const { before, after } of change.updated) {
      if (before.slice === this.slice && after.slice !== this.slice) this.drop(before);
      if (after.slice === this.slice) {
        if (!isPixels(after)) this.upsert(after);
      }
      if (isPixels(before) && before.slice !== after.slice && before.slice === this.slice)
        this.invalidateMask(rectOf(maskOf(before)));
    }
    const added = new Set<string>();
    for (const a of change.created) {
      if (a.slice === this.slice && !isPixels(a)) {
        this.upsert(a);
        added.add(a.id);
      }
    }
    for (const { before, after } of change.updated)
      if (after.slice === this.slice && before.slice !== this.slice && !isPixels(after)) added.add(after.id);
    if (added.size) this.restoreOrder(added);
    for (const [id, r] of change.maskRects) {
      const a =
        [...change.created, ...change.deleted].find((x) => x.id === id) ??
        change.updated.find((u) => u.after.id === id)?.after;
      if (!a || a.slice === this.slice) this.invalidateMask(r);
      else {
        const u = change.updated.find((x) => x.after.id === id);
        if (u && u.before.slice === this.slice) this.invalidateMask(r);
      }
    }
  }

  /**
   * New nodes go on top; when the document put an annotation back below others (undo of a delete), re-stack
   * the nodes in document order. O(shapes), and only in that case.
   */
  private restoreOrder(added: Set<string>): void {
    const shapes = this.list.filter((a) => !isPixels(a));
    const tail = shapes.slice(shapes.length - added.size);
    if (tail.every((a) => added.has(a.id))) return;
    this.shapesGroup.removeChildren();
    for (const a of shapes) {
      const node = this.nodes.get(a.id);
      if (node) this.shapesGroup.add(node);
    }
    this.dirtyLayers.add(this.layers.shapes);
  }

  /** Restyles every node of the slice (label colours, visibility, selection changed). */
  restyle(): void {
    for (const a of this.list) if (!isPixels(a)) this.upsert(a);
    this.redrawAllMasks();
  }

  /**
   * Re-applies the styles that depend on selection and hover, to the annotations whose selected or hovered
   * state changed since the last call only.
   */
  restyleSelection(): void {
    const now = new Set<string>();
    for (const id of this.styled) if (this.style.isSelected(id) || this.style.isHovered(id)) now.add(id);
    const touched = new Set(this.styled);
    for (const a of this.list) {
      if (this.style.isSelected(a.id) || this.style.isHovered(a.id)) {
        now.add(a.id);
        touched.add(a.id);
      }
    }
    for (const id of touched) {
      const node = this.nodes.get(id);
      const a = node && this.byId(id);
      if (node && a) this.styleNode(node, a);
    }
    this.styled = now;
  }

  /** Sets the tool preview (null for none) and rebuilds the small preview group. */
  setPreview(preview: ToolPreview | null): void {
    const before = this.preview?.hide ?? new Set<string>();
    this.preview = preview;
    for (const id of new Set([...before, ...(preview?.hide ?? [])])) {
      const node = this.nodes.get(id);
      const a = this.list.find((x) => x.id === id);
      if (node && a) this.styleNode(node, a);
    }
    // Masks being painted: union their dirty rectangles.
    const drafts = new Map<string, SparseMask>();
    const newDrafts: { label: string; mask: SparseMask }[] = [];
    for (const d of preview?.masks ?? []) {
      // A mask rebuilt at each step: redraw what it and the drafts before it covered.
      const r = d.whole ? unionRect(rectOf(d.mask), this.draftRect) : d.mask.takeDirty();
      if (r) {
        this.draftRect = unionRect(this.draftRect, r);
        this.invalidateMask(r);
      }
      if (d.id) drafts.set(d.id, d.mask);
      else newDrafts.push({ label: d.label, mask: d.mask });
    }
    const hadDrafts = this.drafts.size + this.newDrafts.length > 0;
    this.drafts = drafts;
    this.newDrafts = newDrafts;
    if (hadDrafts && !drafts.size && !newDrafts.length && this.draftRect) {
      this.invalidateMask(this.draftRect);
      this.draftRect = null;
    }
    this.buildPreview();
  }

  /** Rebuilds the preview group: selection handles, hover outline, tool shapes, brush cursor. */
  buildPreview(): void {
    this.dirtyLayers.add(this.layers.preview);
    this.previewGroup.destroyChildren();
    const s = this.style.scale() || 1;
    this.buildSelectionHandles(s);
    this.buildToolShapes(s);
    this.buildRubberBandAndBrush();
    this.buildMeasurementLabels(s);
  }

  /**
   * The value of every measurement on the slice (and of the one a tool is drawing) beside it, in screen-sized
   * text on a dark backdrop: at a line's second end, at an angle's vertex. Few nodes, rebuilt with the preview
   * so that they keep their size at any zoom.
   */
  private buildMeasurementLabels(s: number): void {
    const measure = this.style.measure;
    if (!measure) return;
    const kinds = this.style.kinds();
    const pv = this.preview;
    const items: { kind: AnnotationKind; points: readonly Point[]; label: string }[] = [];
    for (const a of this.list)
      if (
        MEASUREMENTS.has(a.kind) &&
        a.points &&
        kinds.has(a.kind) &&
        this.style.isVisible(a) &&
        !pv?.hide.has(a.id)
      )
        items.push({ kind: a.kind, points: a.points, label: a.label });
    for (const shape of pv?.shapes ?? [])
      if (shape.kind && MEASUREMENTS.has(shape.kind) && shape.points)
        items.push({ kind: shape.kind, points: shape.points, label: shape.label });
    for (const it of items) {
      const text = measure(it);
      const at = it.kind === 'angle' ? it.points[1] : it.points[it.points.length - 1];
      if (!text || !at) continue;
      const node = new Label({ x: at[0], y: at[1], scaleX: 1 / s, scaleY: 1 / s, listening: false });
      node.add(new Tag({ fill: 'rgba(0,0,0,0.65)', cornerRadius: 3, listening: false }));
      node.add(
        new Text({
          text,
          fontSize: 13,
          fontFamily: 'system-ui, sans-serif',
          fill: '#ffffff',
          padding: 3,
          name: 'measurement',
          listening: false,
        }),
      );
      node.offsetX(-8);
      node.offsetY(-8);
      this.previewGroup.add(node);
    }
  }

  /** Selection handles on the committed shapes (hidden while a preview stands in for them). */
  private buildSelectionHandles(s: number): void {
    const g = this.previewGroup;
    const pv = this.preview;
    const kinds = this.style.kinds();
    const shown = (a: Annotation) =>
      this.style.isSelected(a.id) && !pv?.hide.has(a.id) && this.style.isVisible(a) && kinds.has(a.kind);
    // A selected mask, or a volume where this frame shows it: a dashed box around it.
    const around = (b: Rect | null, color: string) => {
      if (b)
        g.add(
          new KRect({
            ...b,
            stroke: color,
            strokeWidth: 1,
            dash: [4, 4],
            strokeScaleEnabled: false,
            listening: false,
          }),
        );
    };
    for (const a of this.list) {
      if (!shown(a)) continue;
      const color = this.style.colorOf(a.label);
      if (a.box) this.handles(a.box, color, s);
      else if (a.points) this.vertices(a.points, color, s);
      else if (isPixels(a)) around(rectOf(maskOf(a)), color);
    }
    for (const { annotation: a, mask } of this.volumes)
      if (shown(a)) around(rectOf(mask), this.style.colorOf(a.label));
  }

  /** The boxes and polygons a tool is drawing or editing, with their handles. */
  private buildToolShapes(s: number): void {
    const g = this.previewGroup;
    for (const shape of this.preview?.shapes ?? []) {
      const color = this.style.colorOf(shape.label);
      const common = { stroke: color, strokeWidth: 2, strokeScaleEnabled: false, listening: false };
      if (shape.box) {
        g.add(new KRect({ ...shape.box, ...common, fill: withAlpha(color, 0.15) }));
        if (shape.id) this.handles(shape.box, color, s);
      } else if (shape.points) {
        g.add(
          new Line({
            points: shape.points.flat(),
            closed: !!shape.closed,
            ...common,
            fill: shape.closed ? withAlpha(color, 0.15) : undefined,
          }),
        );
        this.vertices(shape.points, color, s);
      }
    }
  }

  /** The line from the last polygon vertex to the cursor, and the brush outline. */
  private buildRubberBandAndBrush(): void {
    const g = this.previewGroup;
    const pv = this.preview;
    if (pv?.rubberBand) {
      const color = this.style.colorOf(pv.shapes[0]?.label ?? '');
      g.add(
        new Line({
          points: pv.rubberBand.flat(),
          stroke: color,
          strokeWidth: 1,
          dash: [4, 4],
          strokeScaleEnabled: false,
          listening: false,
        }),
      );
    }
    if (pv?.brush) {
      const { x, y, diameter, erase } = pv.brush;
      g.add(
        new Circle({
          x,
          y,
          radius: diameter / 2,
          scaleY: pv.brush.aspect ?? 1,
          stroke: erase ? '#ffffff' : '#ffff00',
          strokeWidth: 1,
          dash: erase ? [3, 3] : undefined,
          strokeScaleEnabled: false,
          listening: false,
        }),
      );
    }
  }

  /**
   * How masks are shown: `opacity` 0–1 of the overlay, `outline` draws each mask's edge pixels only (pixels
   * with a 4-neighbour outside the mask). Display only; the next draw shows it.
   */
  setMaskDisplay({ opacity, outline }: { opacity: number; outline: boolean }): void {
    if (this.maskNode.opacity() !== opacity) {
      this.maskNode.opacity(opacity);
      this.dirtyLayers.add(this.layers.masks);
    }
    if (outline === this.maskOutline) return;
    this.maskOutline = outline;
    this.redrawAllMasks();
  }

  /** Composes the dirty part of the mask canvas. Call before the layer draws. */
  flushMasks(): void {
    // In outline mode a change also changes whether the pixels next to it are edge pixels.
    const grow = this.maskOutline ? 1 : 0;
    const dirty = this.maskDirty && {
      x: this.maskDirty.x - grow,
      y: this.maskDirty.y - grow,
      width: this.maskDirty.width + 2 * grow,
      height: this.maskDirty.height + 2 * grow,
    };
    if (!dirty || !this.width) return;
    this.maskDirty = null;
    const x0 = Math.max(0, Math.floor(dirty.x));
    const y0 = Math.max(0, Math.floor(dirty.y));
    const x1 = Math.min(this.width, Math.ceil(dirty.x + dirty.width));
    const y1 = Math.min(this.height, Math.ceil(dirty.y + dirty.height));
    if (x1 <= x0 || y1 <= y0) return;
    const rect = { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
    const ctx = this.ensureCanvas();
    const img = ctx.createImageData(rect.width, rect.height);
    const px = new Uint32Array(img.data.buffer);
    const cover = new Uint8Array(rect.width * rect.height);
    const kinds = this.style.kinds();
    const paint = (mask: SparseMask, label: string) => {
      const [r, g, b] = rgb(this.style.colorOf(label));
      const v = (255 << 24) | (b << 16) | (g << 8) | r; // little-endian RGBA
      if (this.maskOutline) return outlinePixels(mask, rect, px, v);
      cover.fill(0);
      mask.readRect(rect, cover);
      for (let i = 0; i < cover.length; i++) if (cover[i]) px[i] = v;
    };
    for (const { annotation: a, mask } of this.volumes) {
      if (!kinds.has(a.kind) || !this.style.isVisible(a)) continue;
      const m = this.drafts.get(a.id) ?? (this.preview?.hide.has(a.id) ? undefined : mask);
      if (m) paint(m, a.label);
    }
    for (const a of this.list) {
      if (!isPixels(a) || !kinds.has(a.kind) || !this.style.isVisible(a)) continue;
      const m = this.drafts.get(a.id) ?? (this.preview?.hide.has(a.id) ? undefined : maskOf(a));
      if (m) paint(m, a.label);
    }
    // New masks a tool is painting (a brush stroke that starts a new instance).
    if (kinds.has('mask')) for (const d of this.newDrafts) paint(d.mask, d.label);
    ctx.putImageData(img, rect.x, rect.y);
    this.dirtyLayers.add(this.layers.masks);
    this.maskDrawn = unionRect(this.maskDrawn, rect);
    this.maskNode.visible(true);
  }

  /**
   * The volume annotations as the frame on screen shows them (each a frame-sized mask): replaces the last
   * list, redrawing what either covers.
   */
  setVolumes(volumes: readonly PlaneVolume[]): void {
    for (const v of [...this.volumes, ...volumes]) this.invalidateMask(rectOf(v.mask));
    this.volumes = volumes;
  }

  /** Marks a rectangle of the mask overlay for recomposition. */
  invalidateMask(r: Rect | null): void {
    if (r) this.maskDirty = unionRect(this.maskDirty, r);
  }

  /** Recomposes everything the masks of this slice cover (and clears what the last slice drew). */
  redrawAllMasks(): void {
    let r: Rect | null = this.maskDrawn;
    for (const a of this.list) if (isPixels(a)) r = unionRect(r, rectOf(maskOf(a)));
    for (const v of this.volumes) r = unionRect(r, rectOf(v.mask));
    if (r) this.invalidateMask(r);
    this.maskDrawn = null;
  }

  destroy(): void {
    this.maskNode.destroy();
    this.shapesGroup.destroy();
    this.previewGroup.destroy();
    this.nodes.clear();
  }

  /** Number of shape nodes (for tests: only the current slice has nodes). */
  get nodeCount(): number {
    return this.nodes.size;
  }

  private ensureCanvas(): CanvasRenderingContext2D {
    if (!this.maskCtx) {
      const c = document.createElement('canvas');
      c.width = this.width;
      c.height = this.height;
      this.maskCtx = c.getContext('2d')!;
      this.maskNode.image(c);
      this.maskNode.width(this.width);
      this.maskNode.height(this.height);
    }
    return this.maskCtx;
  }

  private upsert(a: Annotation): void {
    let node = this.nodes.get(a.id);
    if (a.box) {
      if (!(node instanceof KRect)) {
        node?.destroy();
        node = new KRect({ listening: false, perfectDrawEnabled: false, strokeScaleEnabled: false });
        this.nodes.set(a.id, node);
        this.shapesGroup.add(node);
      }
      node.setAttrs({ x: a.box.x, y: a.box.y, width: a.box.width, height: a.box.height });
    } else if (a.points) {
      if (!(node instanceof Line)) {
        node?.destroy();
        node = new Line({ listening: false, perfectDrawEnabled: false, strokeScaleEnabled: false });
        this.nodes.set(a.id, node);
        this.shapesGroup.add(node);
      }
      // Measurements are open polylines; polygons are closed.
      node.closed(!MEASUREMENTS.has(a.kind));
      node.points(a.points.flat());
    } else return;
    this.styleNode(node, a);
  }

  private styleNode(node: KRect | Line, a: Annotation): void {
    this.dirtyLayers.add(this.layers.shapes);
    const color = this.style.colorOf(a.label);
    const sel = this.style.isSelected(a.id);
    const hover = this.style.isHovered(a.id);
    const open = MEASUREMENTS.has(a.kind);
    node.setAttrs({
      stroke: color,
      strokeWidth: sel ? 3 : hover ? 2.5 : open ? 2 : 1.5,
      fill: open ? undefined : withAlpha(color, sel ? 0.25 : 0.12),
      visible: this.style.isVisible(a) && this.style.kinds().has(a.kind) && !this.preview?.hide.has(a.id),
    });
  }

  private byId(id: string): Annotation | undefined {
    for (let i = this.list.length - 1; i >= 0; i--) if (this.list[i]!.id === id) return this.list[i];
    return undefined;
  }

  private drop(a: Annotation): void {
    const node = this.nodes.get(a.id);
    if (node) {
      this.dirtyLayers.add(this.layers.shapes);
      node.destroy();
      this.nodes.delete(a.id);
    }
  }

  private handles(
    box: { x: number; y: number; width: number; height: number },
    color: string,
    s: number,
  ): void {
    const size = 8 / s;
    for (const h of BoxHandles) {
      const [x, y] = handlePoint(box, h);
      this.previewGroup.add(
        new KRect({
          x: x - size / 2,
          y: y - size / 2,
          width: size,
          height: size,
          fill: '#ffffff',
          stroke: color,
          strokeWidth: 1,
          strokeScaleEnabled: false,
          listening: false,
          name: `handle-${h}`,
        }),
      );
    }
  }

  private vertices(points: readonly (readonly [number, number])[], color: string, s: number): void {
    const r = 4 / s;
    for (const [x, y] of points)
      this.previewGroup.add(
        new Circle({
          x,
          y,
          radius: r,
          fill: '#ffffff',
          stroke: color,
          strokeWidth: 1,
          strokeScaleEnabled: false,
          listening: false,
        }),
      );
  }
}

/** Sets `px` to `v` on the pixels of `rect` that `mask` covers and that touch a pixel it does not (4-neighbours). */
function outlinePixels(mask: SparseMask, rect: Rect, px: Uint32Array, v: number): void {
  const w = rect.width + 2;
  const c = new Uint8Array(w * (rect.height + 2));
  mask.readRect({ x: rect.x - 1, y: rect.y - 1, width: w, height: rect.height + 2 }, c);
  for (let y = 0; y < rect.height; y++) {
    for (let x = 0; x < rect.width; x++) {
      const i = (y + 1) * w + x + 1;
      if (c[i] && !(c[i - 1] && c[i + 1] && c[i - w] && c[i + w])) px[y * rect.width + x] = v;
    }
  }
}

function rectOf(m: SparseMask | undefined): Rect | null {
  const b = m?.bbox();
  return b ? { x: b[0], y: b[1], width: b[2], height: b[3] } : null;
}

/** '#rrggbb' + alpha → rgba(). */
export function withAlpha(hex: string, alpha: number): string {
  const [r, g, b] = rgb(hex);
  return `rgba(${r},${g},${b},${alpha})`;
}

/** Whether an annotation is drawn as pixels on the mask overlay rather than as an outline node. */
function isPixels(a: Annotation): boolean {
  return !!shapeOf(a).pixels;
}
