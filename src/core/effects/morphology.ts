/**
 * Morphology on volume masks in physical units: `marginVolume` (grow or shrink by N mm), `smoothVolume`
 * (median, opening, closing with a kernel in mm) and `combineVolumes` (union, subtract, intersect).
 * Growing and shrinking threshold an exact Euclidean distance transform (see distance.ts), so a margin is a
 * true ball in mm whatever the voxel spacing, at O(voxels of the mask's box) cost.
 * @module
 */
import { type Volume, checkSameShape, checkVolume, emptyLike } from '../mask/volume.js';
import {
  type Spacing,
  checkFinite,
  checkSpacing,
  crop,
  growBounds,
  insideBounds,
  invalid,
  paste,
} from './common.js';
import { squaredDistanceTo } from './distance.js';

export interface MarginOptions {
  /** Grow by this many mm (> 0) or shrink (< 0). */
  mm: number;
  /** Voxel spacing [x, y, z] in mm. */
  spacing: Spacing;
}

function binaryCopy(volume: Volume): Volume {
  const out = emptyLike(volume);
  const s = volume.data;
  for (let i = 0; i < s.length; i++) out.data[i] = s[i] !== 0 ? 1 : 0;
  return out;
}

/** Grow (r > 0) or shrink (r < 0) by |r| mm, after the argument checks. */
function margin(volume: Volume, r: number, spacing: Spacing): Volume {
  if (r === 0) return binaryCopy(volume);
  const out = emptyLike(volume);
  const inner = insideBounds(volume);
  if (!inner) return out;
  const { width: w, height: h, depth: d } = volume;
  const grow = r > 0;
  const radius = Math.abs(r);
  // Growing reaches ⌈r / spacing⌉ voxels out; shrinking needs one voxel of background around the mask.
  const b = grow
    ? growBounds(
        inner,
        Math.ceil(radius / spacing[0]),
        Math.ceil(radius / spacing[1]),
        Math.ceil(radius / spacing[2]),
        w,
        h,
        d,
      )
    : growBounds(inner, 1, 1, 1, w, h, d);
  const part = crop(volume, b);
  const r2 = radius * radius * (1 + 1e-6);
  const ball = ballRows(r2, spacing);
  if (!stampMargin(part, ball, grow)) thresholdDistance(part, r2, spacing, grow);
  paste(out, part, b);
  return out;
}

/** Grows or shrinks a cropped mask in place by thresholding its exact distance transform at `r2` (mm²). */
function thresholdDistance(part: Volume, r2: number, spacing: Spacing, grow: boolean): void {
  const pd = part.data;
  const dist = squaredDistanceTo(pd, part.width, part.height, part.depth, spacing, grow);
  if (grow) for (let i = 0; i < pd.length; i++) pd[i] = dist[i]! <= r2 ? 1 : 0;
  else for (let i = 0; i < pd.length; i++) pd[i] = pd[i] !== 0 && dist[i]! > r2 ? 1 : 0;
}

/** The voxels of a ball of squared radius `r2` (mm²) as rows: dz, dy and the half-length in x of each. */
interface BallRows {
  dz: Int32Array;
  dy: Int32Array;
  half: Int32Array;
  voxels: number;
}

function ballRows(r2: number, [sx, sy, sz]: Spacing): BallRows {
  const rows: [number, number, number][] = [];
  let voxels = 0;
  const rz = Math.floor(Math.sqrt(r2) / sz);
  const ry = Math.floor(Math.sqrt(r2) / sy);
  for (let dz = -rz; dz <= rz; dz++)
    for (let dy = -ry; dy <= ry; dy++) {
      const rest = r2 - (dz * sz) ** 2 - (dy * sy) ** 2;
      if (rest < 0) continue;
      // The largest k with (k·sx)² ≤ rest, exactly as the distance threshold decides it.
      let k = Math.floor(Math.sqrt(rest) / sx);
      while ((k + 1) * sx * ((k + 1) * sx) <= rest) k++;
      while (k > 0 && k * sx * (k * sx) > rest) k--;
      rows.push([dz, dy, k]);
      voxels += 2 * k + 1;
    }
  return {
    dz: Int32Array.from(rows, (r) => r[0]),
    dy: Int32Array.from(rows, (r) => r[1]),
    half: Int32Array.from(rows, (r) => r[2]),
    voxels,
  };
}

/**
 * Grows (or shrinks) a cropped mask in place by stamping the ball on every voxel of the mask's surface (or of
 * the background's): the nearest inside voxel to an outside one always has a face neighbour outside, so this
 * gives exactly what thresholding the distance transform gives. Returns false, untouched, when the stamps
 * would cost more than the distance transform (large margins on large surfaces).
 */
function stampMargin(part: Volume, ball: BallRows, grow: boolean): boolean {
  const { width: w, height: h, depth: d, data } = part;
  const from = grow ? 1 : 0;
  const surface = surfaceVoxels(part, from);
  if (surface.length * ball.voxels > 12 * data.length) return false;
  for (let i = 0; i < data.length; i++) data[i] = data[i] !== 0 ? 1 : 0;
  const area = w * h;
  const value = grow ? 1 : 0;
  const { dz, dy, half } = ball;
  for (let s = 0; s < surface.length; s++) {
    const v = surface[s]!;
    const z = (v / area) | 0;
    const y = ((v - z * area) / w) | 0;
    const x = v - z * area - y * w;
    for (let k = 0; k < dz.length; k++) {
      const nz = z + dz[k]!;
      const ny = y + dy[k]!;
      if (nz < 0 || nz >= d || ny < 0 || ny >= h) continue;
      const row = nz * area + ny * w;
      const x1 = Math.min(w - 1, x + half[k]!);
      for (let nx = Math.max(0, x - half[k]!); nx <= x1; nx++) data[row + nx] = value;
    }
  }
  return true;
}

/** The voxels equal (as inside/outside) to `from` that have a face neighbour, within the crop, that is not. */
function surfaceVoxels(part: Volume, from: number): Int32Array {
  const { width: w, height: h, depth: d, data } = part;
  const area = w * h;
  const is = (i: number) => (data[i] !== 0 ? 1 : 0);
  let out = new Int32Array(1024);
  let n = 0;
  let i = 0;
  for (let z = 0; z < d; z++)
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++, i++) {
        if (is(i) !== from) continue;
        const edge =
          (x > 0 && is(i - 1) !== from) ||
          (x < w - 1 && is(i + 1) !== from) ||
          (y > 0 && is(i - w) !== from) ||
          (y < h - 1 && is(i + w) !== from) ||
          (z > 0 && is(i - area) !== from) ||
          (z < d - 1 && is(i + area) !== from);
        if (!edge) continue;
        if (n === out.length) {
          const grown = new Int32Array(n * 2);
          grown.set(out);
          out = grown;
        }
        out[n++] = i;
      }
  return out.subarray(0, n);
}

/**
 * Grows (mm > 0) or shrinks (mm < 0) a volume mask by a distance in mm, the Segment Editor's "Margin"
 * effect: a voxel is added when its centre lies within `mm` of an inside voxel's centre, removed when it lies
 * within `|mm|` of an outside one, measured with the real (anisotropic) spacing. Voxels beyond the volume's
 * edge do not count as outside. Returns a new volume of 0/1. O(voxels of the mask's box grown by the margin).
 */
export function marginVolume(volume: Volume, options: MarginOptions): Volume {
  checkVolume(volume, 'marginVolume');
  const mm = checkFinite(options?.mm, 'mm', 'marginVolume');
  const spacing = checkSpacing(options?.spacing, 'marginVolume');
  return margin(volume, mm, spacing);
}

export interface SmoothOptions {
  /**
   * `'median'`: a voxel is inside when most voxels of the kernel box around it are (removes specks and fills
   * pits smaller than the kernel, keeps edges). `'opening'`: shrink then grow by half the kernel (removes
   * parts thinner than the kernel). `'closing'`: grow then shrink (fills gaps and holes narrower than it).
   */
  method: 'median' | 'opening' | 'closing';
  /** Kernel size (diameter) in mm. */
  kernelMm: number;
  /** Voxel spacing [x, y, z] in mm. */
  spacing: Spacing;
}

/**
 * Smooths a volume mask, the Segment Editor's "Smoothing" effect, with a kernel given in mm. The median uses a
 * box of ⌊kernelMm / spacing⌋ voxels per axis made odd (1 voxel leaves that axis alone; a 2D mask is smoothed
 * in-plane); opening and closing use a ball of diameter `kernelMm` in physical space. Returns a new volume of
 * 0/1. O(voxels of the mask's box) for each.
 */
export function smoothVolume(volume: Volume, options: SmoothOptions): Volume {
  checkVolume(volume, 'smoothVolume');
  const kernel = checkFinite(options?.kernelMm, 'kernelMm', 'smoothVolume');
  if (kernel < 0) throw invalid('smoothVolume: kernelMm must be ≥ 0');
  const spacing = checkSpacing(options?.spacing, 'smoothVolume');
  const method = options.method;
  const r = kernel / 2;
  if (method === 'opening') return margin(margin(volume, -r, spacing), r, spacing);
  if (method === 'closing') return margin(margin(volume, r, spacing), -r, spacing);
  if (method !== 'median') throw invalid("smoothVolume: method must be 'median', 'opening' or 'closing'");
  return median(volume, spacing.map((s) => Math.floor(kernel / s / 2)) as [number, number, number]);
}

/** Sliding-window sums of `src` along one axis (window −r…r, clipped to the line) into `dst`. */
function boxSum(
  src: Int32Array,
  dst: Int32Array,
  n: number,
  stride: number,
  lines: number,
  lineStart: (line: number) => number,
  r: number,
): void {
  for (let line = 0; line < lines; line++) {
    const base = lineStart(line);
    let sum = 0;
    for (let k = 0; k < Math.min(r, n); k++) sum += src[base + k * stride]!;
    for (let k = 0; k < n; k++) {
      if (k + r < n) sum += src[base + (k + r) * stride]!;
      if (k - r - 1 >= 0) sum -= src[base + (k - r - 1) * stride]!;
      dst[base + k * stride] = sum;
    }
  }
}

function median(volume: Volume, radii: [number, number, number]): Volume {
  const [rx, ry, rz] = radii;
  if (rx === 0 && ry === 0 && rz === 0) return binaryCopy(volume);
  const out = emptyLike(volume);
  const inner = insideBounds(volume);
  if (!inner) return out;
  const { width: W, height: H, depth: D } = volume;
  const b = growBounds(inner, rx, ry, rz, W, H, D);
  const part = crop(volume, b);
  const { width: w, height: h, depth: d, data } = part;
  const area = w * h;
  let a = new Int32Array(data.length);
  let c = new Int32Array(data.length);
  for (let i = 0; i < data.length; i++) a[i] = data[i] !== 0 ? 1 : 0;
  boxSum(a, c, w, 1, h * d, (l) => l * w, rx);
  [a, c] = [c, a];
  boxSum(a, c, h, w, w * d, (l) => ((l / w) | 0) * area + (l % w), ry);
  [a, c] = [c, a];
  boxSum(a, c, d, area, area, (l) => l, rz);
  // The window is clipped by the volume's edges (not the crop's): count the voxels it really covers.
  const span = (v: number, r: number, n: number) => Math.min(n - 1, v + r) - Math.max(0, v - r) + 1;
  let i = 0;
  for (let z = 0; z < d; z++) {
    const sz = span(z + b.z0, rz, D);
    for (let y = 0; y < h; y++) {
      const syz = sz * span(y + b.y0, ry, H);
      for (let x = 0; x < w; x++, i++) data[i] = 2 * c[i]! > syz * span(x + b.x0, rx, W) ? 1 : 0;
    }
  }
  paste(out, part, b);
  return out;
}

/** How `combineVolumes` joins two masks. */
export type CombineOperation = 'union' | 'subtract' | 'intersect';

/**
 * The Segment Editor's "Logical operators": `a ∪ b`, `a \ b` or `a ∩ b`, voxel by voxel. Both volumes must
 * have the same size. Returns a new volume of 0/1. O(voxels).
 */
export function combineVolumes(a: Volume, b: Volume, operation: CombineOperation): Volume {
  checkSameShape(a, b, 'combineVolumes');
  const out = emptyLike(a);
  const x = a.data;
  const y = b.data;
  const o = out.data;
  if (operation === 'union') for (let i = 0; i < o.length; i++) o[i] = x[i] !== 0 || y[i] !== 0 ? 1 : 0;
  else if (operation === 'subtract')
    for (let i = 0; i < o.length; i++) o[i] = x[i] !== 0 && y[i] === 0 ? 1 : 0;
  else if (operation === 'intersect')
    for (let i = 0; i < o.length; i++) o[i] = x[i] !== 0 && y[i] !== 0 ? 1 : 0;
  else throw invalid("combineVolumes: operation must be 'union', 'subtract' or 'intersect'");
  return out;
}
