/**
 * Polygons as pycocotools sees them: `rleFrPoly` of maskApi.c, ported line by line, so that the `area` voxmark
 * writes for a polygon is the pixel count pycocotools' `frPyObjects` + `area` give for the same outline.
 *
 * pycocotools does not use the shoelace formula: it walks the outline at 5× resolution, keeps the points where
 * the boundary crosses a pixel column's centre, and fills between crossings in each column (even-odd). A
 * self-intersecting outline (a five-pointed star drawn in one stroke) therefore leaves its inner pentagon out,
 * where the shoelace formula counts it twice; and pixels are counted whole.
 */
import type { Point } from '../annotation/types.js';

const SCALE = 5;

/** C's `(int)(v + .5)`: truncation toward zero, as the cast does. */
function roundC(v: number): number {
  return Math.trunc(v + 0.5);
}

/**
 * pycocotools' uncompressed RLE counts (column-major, starting with a run of zeros) of a polygon on an
 * h × w image. `xy` is the flat COCO polygon [x0, y0, x1, y1, …].
 */
export function rleFromPolygon(xy: readonly number[], h: number, w: number): number[] {
  const k = xy.length >> 1;
  // Upsample and get discrete points densely along the entire boundary.
  const x = new Array<number>(k + 1);
  const y = new Array<number>(k + 1);
  for (let j = 0; j < k; j++) x[j] = roundC(SCALE * xy[j * 2]!);
  for (let j = 0; j < k; j++) y[j] = roundC(SCALE * xy[j * 2 + 1]!);
  x[k] = x[0]!;
  y[k] = y[0]!;
  const u: number[] = [];
  const v: number[] = [];
  for (let j = 0; j < k; j++) {
    let xs = x[j]!;
    let xe = x[j + 1]!;
    let ys = y[j]!;
    let ye = y[j + 1]!;
    const dx = Math.abs(xe - xs);
    const dy = Math.abs(ys - ye);
    const flip = (dx >= dy && xs > xe) || (dx < dy && ys > ye);
    if (flip) {
      [xs, xe] = [xe, xs];
      [ys, ye] = [ye, ys];
    }
    const s = dx >= dy ? (ye - ys) / dx : (xe - xs) / dy;
    if (dx >= dy) {
      for (let d = 0; d <= dx; d++) {
        const t = flip ? dx - d : d;
        u.push(t + xs);
        v.push(Math.trunc(ys + s * t + 0.5));
      }
    } else {
      for (let d = 0; d <= dy; d++) {
        const t = flip ? dy - d : d;
        v.push(t + ys);
        u.push(Math.trunc(xs + s * t + 0.5));
      }
    }
  }
  // Get points along the y-boundary and downsample.
  const bx: number[] = [];
  const by: number[] = [];
  for (let j = 1; j < u.length; j++) {
    if (u[j] === u[j - 1]) continue;
    let xd = u[j]! < u[j - 1]! ? u[j]! : u[j]! - 1;
    xd = (xd + 0.5) / SCALE - 0.5;
    if (Math.floor(xd) !== xd || xd < 0 || xd > w - 1) continue;
    let yd = v[j]! < v[j - 1]! ? v[j]! : v[j - 1]!;
    yd = (yd + 0.5) / SCALE - 0.5;
    if (yd < 0) yd = 0;
    else if (yd > h) yd = h;
    yd = Math.ceil(yd);
    bx.push(xd);
    by.push(yd);
  }
  // Compute the RLE given the y-boundary points.
  const a = bx.map((xv, j) => xv * h + by[j]!);
  a.push(h * w);
  a.sort((p, q) => p - q);
  let p = 0;
  for (let j = 0; j < a.length; j++) {
    const t = a[j]!;
    a[j] = t - p;
    p = t;
  }
  const b: number[] = [];
  let j = 0;
  b.push(a[j++]!);
  while (j < a.length) {
    if (a[j]! > 0) b.push(a[j++]!);
    else {
      j++;
      if (j < a.length) b[b.length - 1]! += a[j++]!;
    }
  }
  return b;
}

/** The pixel count pycocotools gives a polygon (`area(frPyObjects([xy], h, w))`). */
export function cocoPolygonArea(points: readonly Point[], h: number, w: number): number {
  const counts = rleFromPolygon(
    points.flatMap((pt) => [pt[0], pt[1]]),
    h,
    w,
  );
  let area = 0;
  for (let i = 1; i < counts.length; i += 2) area += counts[i]!;
  return area;
}
