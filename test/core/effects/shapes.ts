/** Analytic shapes for the effect tests: discs, ellipses, spheres and boxes drawn into volume masks. */
import type { Volume } from '../../../src/core/index.js';

export function blank(width: number, height: number, depth: number): Volume {
  return { data: new Uint8Array(width * height * depth), width, height, depth };
}

/** Sets every voxel of slice z whose centre lies in the ellipse ((x−cx)/rx)² + ((y−cy)/ry)² ≤ 1. */
export function ellipse(
  v: Volume,
  z: number,
  cx: number,
  cy: number,
  rx: number,
  ry = rx,
  value = 1,
): Volume {
  const { width: w, height: h } = v;
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++)
      if (((x - cx) / rx) ** 2 + ((y - cy) / ry) ** 2 <= 1) v.data[z * w * h + y * w + x] = value;
  return v;
}

/** Sets every voxel whose centre lies within `r` mm of (cx, cy, cz) (voxel coordinates) under `spacing`. */
export function sphere(
  v: Volume,
  c: [number, number, number],
  r: number,
  spacing: [number, number, number],
): Volume {
  const { width: w, height: h, depth: d } = v;
  for (let z = 0; z < d; z++)
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++) {
        const dx = (x - c[0]) * spacing[0];
        const dy = (y - c[1]) * spacing[1];
        const dz = (z - c[2]) * spacing[2];
        if (dx * dx + dy * dy + dz * dz <= r * r) v.data[z * w * h + y * w + x] = 1;
      }
  return v;
}

/** Sets the voxels of a box [x0, x1) × [y0, y1) × [z0, z1). */
export function cuboid(
  v: Volume,
  x0: number,
  y0: number,
  z0: number,
  x1: number,
  y1: number,
  z1: number,
  value = 1,
): Volume {
  for (let z = z0; z < z1; z++)
    for (let y = y0; y < y1; y++)
      v.data.fill(
        value,
        z * v.width * v.height + y * v.width + x0,
        z * v.width * v.height + y * v.width + x1,
      );
  return v;
}

export function count(v: Volume, z?: number): number {
  const area = v.width * v.height;
  const from = z === undefined ? 0 : z * area;
  const to = z === undefined ? v.data.length : from + area;
  let n = 0;
  for (let i = from; i < to; i++) if (v.data[i]) n++;
  return n;
}

export function at(v: Volume, x: number, y: number, z = 0): number {
  return v.data[z * v.width * v.height + y * v.width + x]!;
}

/** Dice coefficient of two masks (non-zero = inside), or of label `label` in two label volumes. */
export function dice(a: Uint8Array, b: Uint8Array): number {
  let both = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] !== 0;
    const y = b[i] !== 0;
    if (x) na++;
    if (y) nb++;
    if (x && y) both++;
  }
  return na + nb === 0 ? 1 : (2 * both) / (na + nb);
}
