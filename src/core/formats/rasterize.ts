/**
 * Rasterizes boxes and polygons to masks, so every annotation can go to the mask formats (SEG, NIfTI, COCO
 * RLE). One rule for every shape: a pixel is inside when its centre is inside the shape.
 */
import type { Annotation, Box, Point } from '../annotation/types.js';
import { regionRleToMask } from '../mask/rle.js';

/**
 * Fills a box into a row-major mask by the rule every shape follows: the pixels whose centres lie inside it,
 * half-open like a polygon's scanlines (a centre on the left or top edge is inside, one on the right or
 * bottom edge is not). So a box fills exactly what the polygon of its four corners fills: `{x: 2.5, width: 4}`
 * covers columns 2–5 (centres 2.5 … 5.5), and integer boxes cover x…x+width-1 × y…y+height-1.
 */
export function rasterizeBox(
  box: Box,
  width: number,
  height: number,
  out: Uint8Array = new Uint8Array(width * height),
): Uint8Array {
  // Column c is inside when box.x ≤ c + 0.5 < box.x + box.width, and likewise for rows.
  const x0 = Math.max(0, Math.ceil(box.x - 0.5));
  const x1 = Math.min(width, Math.ceil(box.x + box.width - 0.5));
  const y0 = Math.max(0, Math.ceil(box.y - 0.5));
  const y1 = Math.min(height, Math.ceil(box.y + box.height - 0.5));
  for (let y = y0; y < y1; y++) out.fill(1, y * width + x0, y * width + Math.max(x0, x1));
  return out;
}

/**
 * Fills a polygon (even-odd rule) into a row-major mask: the pixels whose centres lie inside it. Vertices are
 * in image pixel coordinates with the origin at the top-left corner of the top-left pixel.
 */
export function rasterizePolygon(
  points: readonly Point[],
  width: number,
  height: number,
  out: Uint8Array = new Uint8Array(width * height),
): Uint8Array {
  const n = points.length;
  if (n < 3) return out;
  let minY = Infinity;
  let maxY = -Infinity;
  for (const p of points) {
    minY = Math.min(minY, p[1]);
    maxY = Math.max(maxY, p[1]);
  }
  const yStart = Math.max(0, Math.ceil(minY - 0.5));
  const yEnd = Math.min(height - 1, Math.floor(maxY - 0.5));
  const xs: number[] = [];
  for (let y = yStart; y <= yEnd; y++) {
    const cy = y + 0.5;
    xs.length = 0;
    for (let i = 0, j = n - 1; i < n; j = i++) {
      const [xi, yi] = points[i]!;
      const [xj, yj] = points[j]!;
      // Half-open in y so a vertex on the scanline is counted once.
      if (yi <= cy !== yj <= cy) xs.push(xi + ((cy - yi) / (yj - yi)) * (xj - xi));
    }
    xs.sort((a, b) => a - b);
    for (let k = 0; k + 1 < xs.length; k += 2) {
      // Pixels whose centre x + 0.5 lies in [xa, xb).
      const a = Math.max(0, Math.ceil(xs[k]! - 0.5));
      const b = Math.min(width, Math.ceil(xs[k + 1]! - 0.5));
      if (b > a) out.fill(1, y * width + a, y * width + b);
    }
  }
  return out;
}

/**
 * The full-size row-major mask of an annotation: masks decoded from their RLE, boxes and polygons rasterized
 * when `rasterize` is true (else null for them). `out` is cleared and reused when given.
 */
export function annotationToMask(
  a: Annotation,
  width: number,
  height: number,
  options: { rasterize?: boolean; out?: Uint8Array } = {},
): Uint8Array | null {
  const out = options.out ? options.out.fill(0) : undefined;
  if (a.kind === 'mask' && a.mask) {
    if (a.mask.bbox[2] === 0 || a.mask.bbox[3] === 0) return out ?? new Uint8Array(width * height);
    return regionRleToMask(a.mask, width, height, out);
  }
  if (a.kind === 'volume') return null; // a volume has no single 2D mask: see `volumeSlices`
  if (!options.rasterize) return null;
  if (a.kind === 'box' && a.box) return rasterizeBox(a.box, width, height, out);
  if (a.kind === 'polygon' && a.points) return rasterizePolygon(a.points, width, height, out);
  return null;
}
