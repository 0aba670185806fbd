/**
 * The brush's "paint over" setting (as Slicer's masking setting): whether a stroke may paint over the masks of
 * other labels, or only where they are not.
 * @module
 */
import { maskOf } from '../annotation/document.js';
import type { Annotation } from '../annotation/types.js';
import { paintStroke, type PaintOptions } from '../mask/paint.js';
import { SparseMask, type Rect } from '../mask/sparse-mask.js';

/** `'all'`: paint everywhere (masks may overlap); `'empty'`: only where no other label's mask is. */
export type PaintOver = 'all' | 'empty';

/** The masks a stroke of `label` must leave alone under `paintOver`: the other labels' masks of `slice`. */
export function maskedOut(paintOver: PaintOver, label: string, slice: readonly Annotation[]): SparseMask[] {
  if (paintOver !== 'empty') return [];
  const out: SparseMask[] = [];
  for (const a of slice) {
    const m = a.label !== label ? maskOf(a) : undefined;
    if (m) out.push(m);
  }
  return out;
}

/**
 * Paints the stroke from `a` to `b` into `mask` (as `paintStroke`), except on the pixels any mask of `keepOut`
 * covers. Returns the rectangle it may have changed, or null.
 */
export function paintStrokeAround(
  mask: SparseMask,
  a: readonly [number, number],
  b: readonly [number, number],
  diameter: number,
  options: PaintOptions,
  keepOut: readonly SparseMask[],
): Rect | null {
  if (!keepOut.length || options.value === 0)
    return paintStroke(mask, a[0], a[1], b[0], b[1], diameter, options);
  const stroke = new SparseMask(mask.width, mask.height);
  const r = paintStroke(stroke, a[0], a[1], b[0], b[1], diameter, options);
  if (!r) return null;
  const n = r.width * r.height;
  const want = new Uint8Array(n);
  const blocked = new Uint8Array(n);
  stroke.readRect(r, want);
  for (const m of keepOut) m.readRect(r, blocked);
  for (let i = 0; i < n; i++)
    if (want[i] && !blocked[i]) mask.setPixel(r.x + (i % r.width), r.y + Math.floor(i / r.width), 1);
  return r;
}
