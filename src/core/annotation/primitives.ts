/**
 * Geometry primitives in image pixel coordinates: boxes, polygons, handles, hit distances, simplification
 * and whole-pixel mask moves. Pure functions; the per-kind shape table (`shapes.ts`) is built from them.
 */
import { type SparseMask, TILE_SIZE } from '../mask/sparse-mask.js';
import type { Box, Point } from './types.js';

/** Axis-aligned bounds [minX, minY, maxX, maxY]. */
export type Bounds = [number, number, number, number];

/** The 8 resize handles of a box, named by compass direction. */
export const BoxHandles = ['nw', 'n', 'ne', 'e', 'se', 's', 'sw', 'w'] as const;
export type BoxHandle = (typeof BoxHandles)[number];

export function pointsBounds(points: readonly Point[]): Bounds {
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  for (const [x, y] of points) {
    if (x < x0) x0 = x;
    if (y < y0) y0 = y;
    if (x > x1) x1 = x;
    if (y > y1) y1 = y;
  }
  return [x0, y0, x1, y1];
}

/** Box from two corners (any order). With `square`, the shorter side grows to the longer one, away from `a`. */
export function boxFromCorners(a: Point, b: Point, square = false): Box {
  let dx = b[0] - a[0];
  let dy = b[1] - a[1];
  if (square) {
    const s = Math.max(Math.abs(dx), Math.abs(dy));
    dx = (dx < 0 ? -1 : 1) * s;
    dy = (dy < 0 ? -1 : 1) * s;
  }
  return {
    x: Math.min(a[0], a[0] + dx),
    y: Math.min(a[1], a[1] + dy),
    width: Math.abs(dx),
    height: Math.abs(dy),
  };
}

/** Handle positions of a box. */
export function handlePoint(box: Box, h: BoxHandle): Point {
  const x = h.includes('w') ? box.x : h.includes('e') ? box.x + box.width : box.x + box.width / 2;
  const y = h.startsWith('n') ? box.y : h.startsWith('s') ? box.y + box.height : box.y + box.height / 2;
  return [x, y];
}

/** The handle of `box` within `tol` of (x, y), or null. */
export function handleAt(box: Box, x: number, y: number, tol: number): BoxHandle | null {
  let best: BoxHandle | null = null;
  let bestD = tol * tol;
  for (const h of BoxHandles) {
    const [hx, hy] = handlePoint(box, h);
    const d = (hx - x) ** 2 + (hy - y) ** 2;
    if (d <= bestD) {
      bestD = d;
      best = h;
    }
  }
  return best;
}

/** Resizes `box` by dragging handle `h` to (x, y); the opposite side stays. With `square`, keeps a square. */
export function resizeBox(box: Box, h: BoxHandle, x: number, y: number, square = false): Box {
  let x0 = box.x;
  let y0 = box.y;
  let x1 = box.x + box.width;
  let y1 = box.y + box.height;
  if (h.includes('w')) x0 = x;
  if (h.includes('e')) x1 = x;
  if (h.startsWith('n')) y0 = y;
  if (h.startsWith('s')) y1 = y;
  let out = { x: Math.min(x0, x1), y: Math.min(y0, y1), width: Math.abs(x1 - x0), height: Math.abs(y1 - y0) };
  if (square && h.length === 2) {
    const anchor: Point = [
      h.includes('w') ? box.x + box.width : box.x,
      h.startsWith('n') ? box.y + box.height : box.y,
    ];
    out = boxFromCorners(anchor, [x, y], true);
  }
  return out;
}

/** Whether (x, y) is inside or within `tol` of the box. */
export function hitBox(box: Box, x: number, y: number, tol: number): boolean {
  return (
    x >= box.x - tol && x <= box.x + box.width + tol && y >= box.y - tol && y <= box.y + box.height + tol
  );
}

/** Even-odd point-in-polygon. */
export function pointInPolygon(points: readonly Point[], x: number, y: number): boolean {
  let inside = false;
  for (let i = 0, j = points.length - 1; i < points.length; j = i++) {
    const [xi, yi] = points[i]!;
    const [xj, yj] = points[j]!;
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** Squared distance from (x, y) to segment a–b, and the parameter t of the closest point. */
export function segmentDistance2(a: Point, b: Point, x: number, y: number): { d2: number; t: number } {
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  const l2 = dx * dx + dy * dy;
  const t = l2 ? Math.max(0, Math.min(1, ((x - a[0]) * dx + (y - a[1]) * dy) / l2)) : 0;
  const ex = a[0] + t * dx - x;
  const ey = a[1] + t * dy - y;
  return { d2: ex * ex + ey * ey, t };
}

/** Index of the vertex within `tol` of (x, y) (the nearest), or -1. */
export function vertexAt(points: readonly Point[], x: number, y: number, tol: number): number {
  let best = -1;
  let bestD = tol * tol;
  points.forEach(([px, py], i) => {
    const d = (px - x) ** 2 + (py - y) ** 2;
    if (d <= bestD) {
      bestD = d;
      best = i;
    }
  });
  return best;
}

/** The closed-polygon edge within `tol` of (x, y): edge i runs from vertex i to i+1. */
export function edgeAt(
  points: readonly Point[],
  x: number,
  y: number,
  tol: number,
): { index: number; point: Point } | null {
  let best: { index: number; point: Point } | null = null;
  let bestD = tol * tol;
  for (let i = 0; i < points.length; i++) {
    const a = points[i]!;
    const b = points[(i + 1) % points.length]!;
    const { d2, t } = segmentDistance2(a, b, x, y);
    if (d2 <= bestD) {
      bestD = d2;
      best = { index: i, point: [a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])] };
    }
  }
  return best;
}

/** Ramer–Douglas–Peucker simplification of an open polyline. */
export function simplify(points: readonly Point[], tolerance: number): Point[] {
  if (points.length <= 2) return points.map((p) => [p[0], p[1]]);
  const keep = new Uint8Array(points.length);
  keep[0] = 1;
  keep[points.length - 1] = 1;
  const stack: [number, number][] = [[0, points.length - 1]];
  const t2 = tolerance * tolerance;
  while (stack.length) {
    const [s, e] = stack.pop()!;
    let maxD = -1;
    let idx = -1;
    for (let i = s + 1; i < e; i++) {
      const { d2 } = segmentDistance2(points[s]!, points[e]!, points[i]![0], points[i]![1]);
      if (d2 > maxD) {
        maxD = d2;
        idx = i;
      }
    }
    if (idx >= 0 && maxD > t2) {
      keep[idx] = 1;
      stack.push([s, idx], [idx, e]);
    }
  }
  const out: Point[] = [];
  points.forEach((p, i) => keep[i] && out.push([p[0], p[1]]));
  return out;
}

/** Moves a box by (dx, dy). */
export function translateBox(b: Box, dx: number, dy: number): Box {
  return { x: b.x + dx, y: b.y + dy, width: b.width, height: b.height };
}

/** Moves polygon points by (dx, dy). */
export function translatePoints(points: readonly Point[], dx: number, dy: number): Point[] {
  return points.map(([x, y]) => [x + dx, y + dy]);
}

/**
 * Writes `source` moved by whole pixels (dx, dy) into `draft`, clipped to the image: `draft` is cleared first
 * (so it may be re-used while a drag goes on), then every row run of each allocated tile of `source` is copied
 * over. Visits only the source's tiles, never the rest of the image. The draft's changed rectangle covers
 * what it held before and where the pixels went, so a renderer or an undo redraws both places.
 * Returns `draft`.
 */
export function translateMaskInto(draft: SparseMask, source: SparseMask, dx: number, dy: number): SparseMask {
  if (!Number.isInteger(dx) || !Number.isInteger(dy)) throw new RangeError('Mask moves by whole pixels');
  draft.clear();
  source.forEachTile((ox, oy, data) => {
    const rows = Math.min(TILE_SIZE, source.height - oy);
    const cols = Math.min(TILE_SIZE, source.width - ox);
    for (let y = 0; y < rows; y++) {
      const row = y * TILE_SIZE;
      let x = 0;
      while (x < cols) {
        if (!data[row + x]) {
          x++;
          continue;
        }
        const start = x;
        while (x < cols && data[row + x]) x++;
        draft.fillSpan(oy + y + dy, ox + start + dx, ox + x + dx, 1);
      }
    }
  });
  return draft;
}

/** A frozen copy of `source` moved by whole pixels (dx, dy), clipped to the image. */
export function translateMask(source: SparseMask, dx: number, dy: number): SparseMask {
  return translateMaskInto(source.clone(), source, dx, dy).freeze();
}

/** Polygon area by the shoelace formula. */
export function polygonArea(points: readonly Point[]): number {
  let s = 0;
  for (let i = 0, j = points.length - 1; i < points.length; j = i++) {
    s += (points[j]![0] + points[i]![0]) * (points[j]![1] - points[i]![1]);
  }
  return Math.abs(s) / 2;
}
