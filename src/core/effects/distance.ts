/**
 * Exact Euclidean distance transforms with anisotropic spacing, after Felzenszwalb and Huttenlocher,
 * "Distance Transforms of Sampled Functions" (Theory of Computing 8, 2012): the squared distance is the lower
 * envelope of parabolas, computed one axis at a time in O(n) per line, so a whole volume costs O(voxels).
 * @module
 */

/** Stands for "no feature here" in a squared-distance grid; finite so the envelope arithmetic stays exact. */
export const FAR = 1e20;

/** Scratch buffers for one line of at most `n` samples, reused across lines (no per-line allocation). */
interface Scratch {
  f: Float64Array;
  v: Int32Array;
  z: Float64Array;
  out: Float64Array;
}

function scratch(n: number): Scratch {
  return {
    f: new Float64Array(n),
    v: new Int32Array(n),
    z: new Float64Array(n + 1),
    out: new Float64Array(n),
  };
}

/**
 * One line: out[p] = min_q f[q] + w·(p−q)². `f` and `out` hold the first `n` samples.
 */
function envelope(s: Scratch, n: number, w: number): void {
  const { f, v, z, out } = s;
  let k = 0;
  v[0] = 0;
  z[0] = -Infinity;
  z[1] = Infinity;
  for (let q = 1; q < n; q++) {
    const fq = f[q]! + w * q * q;
    let sx: number;
    // z[0] is −∞, so the loop stops at k = 0 at the latest.
    for (;;) {
      const p = v[k]!;
      sx = (fq - (f[p]! + w * p * p)) / (2 * w * (q - p));
      if (sx <= z[k]!) k--;
      else break;
    }
    k++;
    v[k] = q;
    z[k] = sx;
    z[k + 1] = Infinity;
  }
  k = 0;
  for (let q = 0; q < n; q++) {
    while (z[k + 1]! < q) k++;
    const p = v[k]!;
    const d = q - p;
    out[q] = f[p]! + w * d * d;
  }
}

/**
 * Turns `grid` (w×h×d, x fastest) in place from 0 at feature voxels and `FAR` elsewhere into the squared
 * Euclidean distance, in mm², from each voxel to the nearest feature voxel. Voxels stay near `FAR` when the
 * grid holds no feature at all.
 */
export function squaredDistanceInPlace(
  grid: Float32Array,
  w: number,
  h: number,
  d: number,
  spacing: readonly [number, number, number],
): void {
  const s = scratch(Math.max(w, h, d));
  const area = w * h;
  const [sx, sy, sz] = spacing;
  // One pass per axis: x lines start at every row, y lines at every (x, z), z lines at every (x, y).
  if (w > 1) for (let base = 0; base < grid.length; base += w) line(grid, s, base, 1, w, sx * sx);
  if (h > 1)
    for (let z = 0; z < d; z++) for (let x = 0; x < w; x++) line(grid, s, z * area + x, w, h, sy * sy);
  if (d > 1) for (let i = 0; i < area; i++) line(grid, s, i, area, d, sz * sz);
}

/** Transforms the line of `n` samples of `grid` that starts at `base` with `stride`. */
function line(grid: Float32Array, s: Scratch, base: number, stride: number, n: number, weight: number): void {
  let any = false;
  for (let k = 0, o = base; k < n; k++, o += stride) {
    const g = grid[o]!;
    s.f[k] = g;
    if (g < FAR) any = true;
  }
  if (!any) return;
  envelope(s, n, weight);
  for (let k = 0, o = base; k < n; k++, o += stride) grid[o] = s.out[k]!;
}

/**
 * Squared distance (mm²) from every voxel of a w×h×d grid to the nearest voxel where `mask` is non-zero
 * (`inside = true`) or zero (`inside = false`).
 */
export function squaredDistanceTo(
  mask: Uint8Array,
  w: number,
  h: number,
  d: number,
  spacing: readonly [number, number, number],
  inside: boolean,
): Float32Array {
  const grid = new Float32Array(mask.length);
  for (let i = 0; i < mask.length; i++) grid[i] = (mask[i] !== 0) === inside ? 0 : FAR;
  squaredDistanceInPlace(grid, w, h, d, spacing);
  return grid;
}
