/**
 * "Fill between slices": builds the slices an annotator skipped from the ones they painted, as Slicer's
 * Segment Editor does with ITK's MorphologicalContourInterpolator (Zukić et al., "ND Morphological Contour
 * Interpolation", Insight Journal 2016, after Albu, Beugeling and Laurendeau, IEEE TBME 55(8), 2008).
 *
 * Between two consecutive painted slices i and j:
 * 1. each slice is split into its connected shapes (8-connected);
 * 2. shapes correspond when they overlap; a group of shapes linked by overlaps (one shape splitting into
 *    several, several merging into one, or many to many) is interpolated as one pair of unions;
 * 3. a pair is aligned by the in-plane translation that maximises its overlap (ITK's breadth-first search
 *    from no translation and from the centroid difference), so a shape that moves sideways slides instead
 *    of fading out and in;
 * 4. a shape with no partner on the other slice shrinks to a point at (or nearest to) its centroid, as ITK
 *    extrapolates it;
 * 5. each in-between slice at fraction t = (z − i) / (j − i) is the zero level of (1 − t)·dA + t·dB, where dA
 *    and dB are the signed Euclidean distance maps of the aligned shapes, shifted by t times the alignment.
 *
 * Step 5 differs from ITK, which places the morphological median of two shapes at the middle slice and
 * recurses: interpolating distance maps (shape-based interpolation, Raya and Udupa 1990; Herman et al. 1992)
 * keeps sizes linear in the slice position, so a cone stays a cone, and costs two distance transforms per
 * pair instead of one per recursion level. Painted slices are copied unchanged.
 * @module
 */
import { type Volume, checkVolume, paintedSlices } from '../mask/volume.js';
import { labelComponents } from './components.js';
import { FAR, squaredDistanceInPlace } from './distance.js';

/** A binary shape on a slice: `data[(y − y0)·w + (x − x0)]` is 1 inside. */
interface Shape {
  data: Uint8Array;
  w: number;
  h: number;
  x0: number;
  y0: number;
  /** Row runs, made on first use by `runsOf`. */
  runs?: Runs;
}

/** Runs of inside pixels per row: row y's runs are `starts/ends[rowStart[y] … rowStart[y + 1])`, in slice x. */
interface Runs {
  rowStart: Int32Array;
  starts: Int32Array;
  ends: Int32Array;
}

function runsOf(s: Shape): Runs {
  if (s.runs) return s.runs;
  const rowStart = new Int32Array(s.h + 1);
  const starts: number[] = [];
  const ends: number[] = [];
  for (let y = 0; y < s.h; y++) {
    rowStart[y] = starts.length;
    const row = y * s.w;
    let x = 0;
    while (x < s.w) {
      while (x < s.w && !s.data[row + x]) x++;
      if (x === s.w) break;
      const from = x;
      while (x < s.w && s.data[row + x]) x++;
      starts.push(from + s.x0);
      ends.push(x + s.x0);
    }
  }
  rowStart[s.h] = starts.length;
  return (s.runs = { rowStart, starts: Int32Array.from(starts), ends: Int32Array.from(ends) });
}

interface SliceShapes {
  labels: Int32Array;
  count: number;
  /** Bounding box per component: minX, minY, maxX, maxY (inclusive), 4 numbers per label from label 1. */
  boxes: Int32Array;
}

function sliceShapes(volume: Volume, z: number): SliceShapes {
  const { width: w, height: h } = volume;
  const area = w * h;
  const view = volume.data.subarray(z * area, (z + 1) * area);
  const { labels, count } = labelComponents({ data: view, width: w, height: h, depth: 1 }, 26);
  const boxes = new Int32Array(4 * (count + 1));
  for (let l = 1; l <= count; l++) {
    boxes[4 * l] = w;
    boxes[4 * l + 1] = h;
    boxes[4 * l + 2] = -1;
    boxes[4 * l + 3] = -1;
  }
  let i = 0;
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++, i++) {
      const l = labels[i]!;
      if (!l) continue;
      const o = 4 * l;
      if (x < boxes[o]!) boxes[o] = x;
      if (y < boxes[o + 1]!) boxes[o + 1] = y;
      if (x > boxes[o + 2]!) boxes[o + 2] = x;
      if (y > boxes[o + 3]!) boxes[o + 3] = y;
    }
  return { labels, count, boxes };
}

/** The union of some components of a labelled slice, cropped to their bounding box. */
function shapeOf(s: SliceShapes, ids: number[], width: number): Shape {
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  for (const id of ids) {
    x0 = Math.min(x0, s.boxes[4 * id]!);
    y0 = Math.min(y0, s.boxes[4 * id + 1]!);
    x1 = Math.max(x1, s.boxes[4 * id + 2]!);
    y1 = Math.max(y1, s.boxes[4 * id + 3]!);
  }
  const w = x1 - x0 + 1;
  const h = y1 - y0 + 1;
  const data = new Uint8Array(w * h);
  const wanted = new Set(ids);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) if (wanted.has(s.labels[(y + y0) * width + x + x0]!)) data[y * w + x] = 1;
  return { data, w, h, x0, y0 };
}

/** Pixels q with A(q) and B(q + t), from the shapes' row runs: O(rows × runs) per translation. */
function overlap(a: Shape, b: Shape, tx: number, ty: number): number {
  const ra = runsOf(a);
  const rb = runsOf(b);
  const ys = Math.max(a.y0, b.y0 - ty);
  const ye = Math.min(a.y0 + a.h, b.y0 + b.h - ty);
  let n = 0;
  for (let y = ys; y < ye; y++) {
    const ia = y - a.y0;
    const ib = y + ty - b.y0;
    for (let p = ra.rowStart[ia]!; p < ra.rowStart[ia + 1]!; p++) {
      const sa = ra.starts[p]!;
      const ea = ra.ends[p]!;
      for (let q = rb.rowStart[ib]!; q < rb.rowStart[ib + 1]!; q++) {
        const lo = Math.max(sa, rb.starts[q]! - tx);
        const hi = Math.min(ea, rb.ends[q]! - tx);
        if (hi > lo) n += hi - lo;
      }
    }
  }
  return n;
}

function centroid(s: Shape): [number, number] {
  let sx = 0;
  let sy = 0;
  let n = 0;
  for (let y = 0; y < s.h; y++)
    for (let x = 0; x < s.w; x++)
      if (s.data[y * s.w + x]) {
        sx += x;
        sy += y;
        n++;
      }
  return [Math.floor(sx / n) + s.x0, Math.floor(sy / n) + s.y0];
}

/**
 * The translation t that maximises the overlap of A(q) and B(q + t): ITK's heuristic breadth-first search,
 * started from no translation and from the centroid difference, that keeps expanding while scores stay within
 * 90% of the best (at least 8 and at most max(216, √candidates) candidates past the start).
 */
function align(a: Shape, b: Shape): [number, number] {
  const [ax, ay] = centroid(a);
  const [bx, by] = centroid(b);
  const minX = b.x0 - (a.x0 + a.w - 1);
  const minY = b.y0 - (a.y0 + a.h - 1);
  const sw = a.w + b.w - 1;
  const sh = a.h + b.h - 1;
  // A set, not a grid: the search visits a bounded number of translations, however large the shapes.
  const searched = new Set<number>();
  const queue: number[] = [];
  const visit = (tx: number, ty: number): boolean => {
    const cx = tx - minX;
    const cy = ty - minY;
    if (cx < 0 || cy < 0 || cx >= sw || cy >= sh || searched.has(cy * sw + cx)) return false;
    searched.add(cy * sw + cx);
    queue.push(tx, ty);
    return true;
  };
  visit(0, 0);
  visit(bx - ax, by - ay);
  const minIter = 8;
  const maxIter = Math.max(216, Math.floor(Math.sqrt(sw * sh)));
  let iter = 0;
  let best = 0;
  let bestT: [number, number] = [0, 0];
  for (let head = 0; head < queue.length; head += 2) {
    const tx = queue[head]!;
    const ty = queue[head + 1]!;
    const score = overlap(a, b, tx, ty);
    if (score > best) {
      best = score;
      bestT = [tx, ty];
    }
    if (best === 0 || iter <= minIter || (score > best * 0.9 && iter <= maxIter)) {
      if (visit(tx - 1, ty)) iter++;
      if (visit(tx + 1, ty)) iter++;
      if (visit(tx, ty - 1)) iter++;
      if (visit(tx, ty + 1)) iter++;
    }
  }
  return bestT;
}

/**
 * Signed distance (pixels) to the boundary of `mask` (fw×fh): negative inside, positive outside, with the
 * boundary half-way between inside and outside pixel centres.
 */
function signedDistance(mask: Uint8Array, fw: number, fh: number): Float32Array {
  const toIn = new Float32Array(mask.length);
  const toOut = new Float32Array(mask.length);
  for (let i = 0; i < mask.length; i++) {
    const inside = mask[i] !== 0;
    toIn[i] = inside ? 0 : FAR;
    toOut[i] = inside ? FAR : 0;
  }
  const unit = [1, 1, 1] as const;
  squaredDistanceInPlace(toIn, fw, fh, 1, unit);
  squaredDistanceInPlace(toOut, fw, fh, 1, unit);
  for (let i = 0; i < mask.length; i++)
    toIn[i] = mask[i] !== 0 ? 0.5 - Math.sqrt(toOut[i]!) : Math.sqrt(toIn[i]!) - 0.5;
  return toIn;
}

/**
 * Writes the in-between slices of shape A on slice i and shape B on slice j, B(q + t) aligned with A(q),
 * into `out` (only onto slices strictly between i and j).
 */
function interpolatePair(out: Volume, i: number, j: number, a: Shape, b: Shape, t: [number, number]): void {
  const [tx, ty] = t;
  // A frame in A's coordinates that holds A and B − t, with one pixel of outside around them.
  const fx0 = Math.min(a.x0, b.x0 - tx) - 1;
  const fy0 = Math.min(a.y0, b.y0 - ty) - 1;
  const fw = Math.max(a.x0 + a.w, b.x0 + b.w - tx) + 1 - fx0;
  const fh = Math.max(a.y0 + a.h, b.y0 + b.h - ty) + 1 - fy0;
  const ma = new Uint8Array(fw * fh);
  const mb = new Uint8Array(fw * fh);
  for (let y = 0; y < a.h; y++)
    for (let x = 0; x < a.w; x++) ma[(y + a.y0 - fy0) * fw + x + a.x0 - fx0] = a.data[y * a.w + x]!;
  for (let y = 0; y < b.h; y++)
    for (let x = 0; x < b.w; x++) mb[(y + b.y0 - ty - fy0) * fw + x + b.x0 - tx - fx0] = b.data[y * b.w + x]!;
  const da = signedDistance(ma, fw, fh);
  const db = signedDistance(mb, fw, fh);
  const { width: W, height: H } = out;
  const area = W * H;
  const step = j > i ? 1 : -1;
  for (let z = i + step; z !== j; z += step) {
    const f = (z - i) / (j - i);
    const sx = Math.round(f * tx);
    const sy = Math.round(f * ty);
    const base = z * area;
    for (let y = 0; y < fh; y++) {
      const py = y + fy0 + sy;
      if (py < 0 || py >= H) continue;
      for (let x = 0; x < fw; x++) {
        const px = x + fx0 + sx;
        if (px < 0 || px >= W) continue;
        const k = y * fw + x;
        if ((1 - f) * da[k]! + f * db[k]! <= 0) out.data[base + py * W + px] = 1;
      }
    }
  }
}

/** A one-pixel shape at the centroid of `s`, or at the pixel of `s` nearest to it when the centroid is outside. */
function vanishingPoint(s: Shape): Shape {
  const [cx, cy] = centroid(s);
  let best = Infinity;
  let px = cx;
  let py = cy;
  for (let y = 0; y < s.h; y++)
    for (let x = 0; x < s.w; x++)
      if (s.data[y * s.w + x]) {
        const d = (x + s.x0 - cx) ** 2 + (y + s.y0 - cy) ** 2;
        if (d < best) {
          best = d;
          px = x + s.x0;
          py = y + s.y0;
        }
      }
  return { data: new Uint8Array([1]), w: 1, h: 1, x0: px, y0: py };
}

function interpolateBetween(
  volume: Volume,
  out: Volume,
  i: number,
  j: number,
  si: SliceShapes,
  sj: SliceShapes,
): void {
  const W = volume.width;
  const area = W * volume.height;
  // Overlap graph between the shapes of slice i (nodes 1…ni) and of slice j (nodes ni+1…ni+nj).
  const ni = si.count;
  const nj = sj.count;
  const parent = Int32Array.from({ length: ni + nj + 1 }, (_, k) => k);
  const root = (k: number): number => {
    while (parent[k] !== k) k = parent[k] = parent[parent[k]!]!;
    return k;
  };
  const paired = new Uint8Array(ni + nj + 1);
  for (let p = 0; p < area; p++) {
    const a = si.labels[p]!;
    const b = sj.labels[p]!;
    if (a === 0 || b === 0) continue;
    paired[a] = 1;
    paired[ni + b] = 1;
    const ra = root(a);
    const rb = root(ni + b);
    if (ra !== rb) parent[rb] = ra;
  }
  const groups = new Map<number, { is: number[]; js: number[] }>();
  for (let k = 1; k <= ni + nj; k++) {
    if (!paired[k]) {
      // No partner on the other slice: shrink to a point towards it.
      if (k <= ni) {
        const s = shapeOf(si, [k], W);
        interpolatePair(out, i, j, s, vanishingPoint(s), [0, 0]);
      } else {
        const s = shapeOf(sj, [k - ni], W);
        interpolatePair(out, j, i, s, vanishingPoint(s), [0, 0]);
      }
      continue;
    }
    const r = root(k);
    let g = groups.get(r);
    if (!g) groups.set(r, (g = { is: [], js: [] }));
    if (k <= ni) g.is.push(k);
    else g.js.push(k - ni);
  }
  for (const g of groups.values()) {
    const a = shapeOf(si, g.is, W);
    const b = shapeOf(sj, g.js, W);
    interpolatePair(out, i, j, a, b, align(a, b));
  }
}

/**
 * Fills the slices between painted slices of a volume mask by morphological contour interpolation (see the
 * module comment for the method). A painted slice is one with at least one inside voxel; every run of empty
 * slices between two painted ones is filled, and slices before the first or after the last painted one stay
 * empty. Shapes that split, merge, move or appear on one side only are handled. Painted slices are copied
 * byte for byte; filled voxels are 1. Returns a new volume; the input is not changed.
 *
 * Cost: per pair of painted slices, O(slice area) to match shapes, plus two distance transforms and one pass
 * per in-between slice over the bounding box of each matched pair.
 */
export function fillBetweenSlices(volume: Volume): Volume {
  checkVolume(volume, 'fillBetweenSlices');
  const out: Volume = {
    data: volume.data.slice(),
    width: volume.width,
    height: volume.height,
    depth: volume.depth,
  };
  const painted = paintedSlices(volume);
  let prev: SliceShapes | undefined;
  for (let k = 1; k < painted.length; k++) {
    const i = painted[k - 1]!;
    const j = painted[k]!;
    if (j - i < 2) {
      prev = undefined;
      continue;
    }
    const si = prev ?? sliceShapes(volume, i);
    const sj = sliceShapes(volume, j);
    interpolateBetween(volume, out, i, j, si, sj);
    prev = sj;
  }
  return out;
}
