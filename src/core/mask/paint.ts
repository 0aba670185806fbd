import type { Rect, SparseMask } from './sparse-mask.js';

/**
 * Paint only where the modality value lies in [min, max] (a threshold brush, e.g. CT HU).
 * `values` are the slice's stored values (row-major, one sample per pixel); the modality value is
 * stored × slope + intercept.
 */
export interface ThresholdRange {
  values: ArrayLike<number>;
  width: number;
  slope?: number;
  intercept?: number;
  min: number;
  max: number;
}

/** Options shared by the painting primitives. */
export interface PaintOptions {
  /** 1 paints, 0 erases. Default 1. */
  value?: 0 | 1;
  threshold?: ThresholdRange | null;
}

function acceptFor(
  threshold: ThresholdRange | null | undefined,
): ((x: number, y: number) => boolean) | undefined {
  if (!threshold) return undefined;
  const { values, width, min, max } = threshold;
  const slope = threshold.slope ?? 1;
  const intercept = threshold.intercept ?? 0;
  return (x, y) => {
    const v = values[y * width + x]! * slope + intercept;
    return v >= min && v <= max;
  };
}

/**
 * Paints a round dab of the given diameter centred at (cx, cy) in image coordinates: every pixel whose centre
 * lies within diameter/2 of the point. Returns the rectangle it may have changed, or null.
 */
export function paintDab(
  mask: SparseMask,
  cx: number,
  cy: number,
  diameter: number,
  options: PaintOptions = {},
): Rect | null {
  return paintStroke(mask, cx, cy, cx, cy, diameter, options);
}

/**
 * Paints the capsule swept by a round brush moving from (ax, ay) to (bx, by): every pixel whose centre lies
 * within diameter/2 of the segment. So a stroke between two pointer samples leaves no gap, however fast.
 * Returns the rectangle it may have changed, or null.
 */
export function paintStroke(
  mask: SparseMask,
  ax: number,
  ay: number,
  bx: number,
  by: number,
  diameter: number,
  options: PaintOptions = {},
): Rect | null {
  const r = Math.max(0.5, diameter / 2);
  const r2 = r * r;
  const value = options.value ?? 1;
  const accept = acceptFor(options.threshold);
  const yTop = Math.max(0, Math.floor(Math.min(ay, by) - r - 0.5));
  const yBot = Math.min(mask.height - 1, Math.ceil(Math.max(ay, by) + r - 0.5));
  const dx = bx - ax;
  const dy = by - ay;
  const len2 = dx * dx + dy * dy;
  let minX = Infinity;
  let maxX = -Infinity;
  let minY = Infinity;
  let maxY = -Infinity;
  for (let py = yTop; py <= yBot; py++) {
    const y = py + 0.5;
    // The capsule is convex, so its intersection with this row is one interval: the union of the intervals
    // of the two end discs and of the band around the segment.
    let lo = Infinity;
    let hi = -Infinity;
    for (const [ex, ey] of [
      [ax, ay],
      [bx, by],
    ] as const) {
      const h = r2 - (y - ey) * (y - ey);
      if (h >= 0) {
        const s = Math.sqrt(h);
        lo = Math.min(lo, ex - s);
        hi = Math.max(hi, ex + s);
      }
    }
    if (len2 > 0) {
      // Points (x, y) with 0 <= t <= 1 (projection) and perpendicular distance <= r.
      // t(x) = ((x-ax)dx + (y-ay)dy)/len2 ; dist(x) = |(x-ax)dy - (y-ay)dx| / len.
      const len = Math.sqrt(len2);
      const [pLo, pHi] = intervalLinear(dy, -(y - ay) * dx + -ax * dy, -r * len, r * len);
      let tLo: number, tHi: number;
      if (dx !== 0) {
        // 0 <= (x-ax)dx + (y-ay)dy <= len2
        [tLo, tHi] = intervalLinear(dx, -ax * dx + (y - ay) * dy, 0, len2);
      } else {
        const t = (y - ay) * dy;
        [tLo, tHi] = t >= 0 && t <= len2 ? [-Infinity, Infinity] : [Infinity, -Infinity];
      }
      const bLo = Math.max(pLo, tLo);
      const bHi = Math.min(pHi, tHi);
      if (bLo <= bHi) {
        lo = Math.min(lo, bLo);
        hi = Math.max(hi, bHi);
      }
    }
    if (lo > hi) continue;
    // Pixel px is inside when its centre px+0.5 is in [lo, hi].
    const x0 = Math.ceil(lo - 0.5);
    const x1 = Math.floor(hi - 0.5) + 1;
    if (x1 <= x0) continue;
    mask.fillSpan(py, x0, x1, value, accept);
    minX = Math.min(minX, x0);
    maxX = Math.max(maxX, x1);
    minY = Math.min(minY, py);
    maxY = Math.max(maxY, py + 1);
  }
  if (minX === Infinity) return null;
  minX = Math.max(0, minX);
  maxX = Math.min(mask.width, maxX);
  return maxX > minX ? { x: minX, y: minY, width: maxX - minX, height: maxY - minY } : null;
}

/** Solves lo <= a·x + b <= hi for x. a = 0 gives everything or nothing. */
function intervalLinear(a: number, b: number, lo: number, hi: number): [number, number] {
  if (a === 0) return b >= lo && b <= hi ? [-Infinity, Infinity] : [Infinity, -Infinity];
  const u = (lo - b) / a;
  const v = (hi - b) / a;
  return u < v ? [u, v] : [v, u];
}

/**
 * Fills holes of a mask (4-connected background regions that do not reach the edge of the mask's bbox).
 * Click inside a hole to fill that hole; click on the mask to fill every hole of it. Works on the bbox only,
 * never on the whole image. Returns the changed rectangle, or null when nothing was filled.
 */
export function fillHoles(mask: SparseMask, x: number, y: number): Rect | null {
  const bbox = mask.bbox();
  if (!bbox) return null;
  const [bx, by, bw, bh] = bbox;
  const px = Math.floor(x);
  const py = Math.floor(y);
  if (px < bx || py < by || px >= bx + bw || py >= by + bh) return null;
  const region = new Uint8Array(bw * bh);
  mask.readRect({ x: bx, y: by, width: bw, height: bh }, region);
  // Label background connected to the border: 2.
  const stack: number[] = [];
  const flood = (seed: number, mark: number) => {
    const push = (j: number) => {
      region[j] = mark;
      stack.push(j);
    };
    push(seed);
    while (stack.length) {
      const i = stack.pop()!;
      const cx = i % bw;
      const cy = (i - cx) / bw;
      if (cx > 0 && region[i - 1] === 0) push(i - 1);
      if (cx < bw - 1 && region[i + 1] === 0) push(i + 1);
      if (cy > 0 && region[i - bw] === 0) push(i - bw);
      if (cy < bh - 1 && region[i + bw] === 0) push(i + bw);
    }
  };
  for (let cx = 0; cx < bw; cx++) {
    if (region[cx] === 0) flood(cx, 2);
    const j = (bh - 1) * bw + cx;
    if (region[j] === 0) flood(j, 2);
  }
  for (let cy = 0; cy < bh; cy++) {
    if (region[cy * bw] === 0) flood(cy * bw, 2);
    const j = cy * bw + bw - 1;
    if (region[j] === 0) flood(j, 2);
  }
  const clicked = (py - by) * bw + (px - bx);
  const v = region[clicked];
  if (v === 2) return null; // outside background: not a hole
  if (v === 0) flood(clicked, 3); // one hole
  const target = v === 0 ? 3 : 0;
  let changed: Rect | null = null;
  let minX = Infinity,
    minY = Infinity,
    maxX = -Infinity,
    maxY = -Infinity;
  for (let ry = 0; ry < bh; ry++) {
    let runStart = -1;
    for (let rx = 0; rx <= bw; rx++) {
      const inHole = rx < bw && region[ry * bw + rx] === target;
      if (inHole && runStart < 0) runStart = rx;
      else if (!inHole && runStart >= 0) {
        mask.fillSpan(by + ry, bx + runStart, bx + rx, 1);
        minX = Math.min(minX, bx + runStart);
        maxX = Math.max(maxX, bx + rx);
        minY = Math.min(minY, by + ry);
        maxY = Math.max(maxY, by + ry + 1);
        runStart = -1;
      }
    }
  }
  if (minX !== Infinity) changed = { x: minX, y: minY, width: maxX - minX, height: maxY - minY };
  return changed;
}
