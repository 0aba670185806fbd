/**
 * Geometry of annotations in image pixel coordinates: the primitives (`primitives.ts`) and, through the
 * per-kind shape table (`shapes.ts`), bounds and hit tests of whole annotations.
 */
import { shapeOf } from './shapes.js';
import type { Bounds } from './primitives.js';
import type { Annotation } from './types.js';

export * from './primitives.js';

const boundsCache = new WeakMap<Annotation, Bounds | null>();

/** Bounds of an annotation in image pixels (cached per immutable annotation), or null for an empty mask. */
export function boundsOf(a: Annotation): Bounds | null {
  let b = boundsCache.get(a);
  if (b !== undefined) return b;
  b = shapeOf(a).bounds(a);
  boundsCache.set(a, b);
  return b;
}

function nearBounds(a: Annotation, x: number, y: number, tol: number): boolean {
  const b = boundsOf(a);
  return !!b && x >= b[0] - tol && y >= b[1] - tol && x <= b[2] + tol && y <= b[3] + tol;
}

/** Whether (x, y) hits the annotation: inside, or within `tol` of a box or polygon outline. */
export function hitAnnotation(a: Annotation, x: number, y: number, tol: number): boolean {
  return nearBounds(a, x, y, tol) && shapeOf(a).hit(a, x, y, tol);
}

/** Whether (x, y) lies within `tol` of the outline of a box or polygon (not its inside). */
export function hitOutline(a: Annotation, x: number, y: number, tol: number): boolean {
  return nearBounds(a, x, y, tol) && shapeOf(a).hitOutline(a, x, y, tol);
}

/**
 * The topmost (last drawn) annotation in `list` hit at (x, y) for which `accept` is true, or undefined.
 * A bounds check rejects almost everything, so a pointer move over thousands of shapes stays cheap.
 */
export function hitTest(
  list: readonly Annotation[],
  x: number,
  y: number,
  tol: number,
  accept: (a: Annotation) => boolean = () => true,
): Annotation | undefined {
  for (let i = list.length - 1; i >= 0; i--) {
    const a = list[i]!;
    if (accept(a) && hitAnnotation(a, x, y, tol)) return a;
  }
  return undefined;
}
