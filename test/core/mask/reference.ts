/**
 * A deliberately naive reference for brush painting: a pixel is inside a stroke when its centre lies within
 * diameter/2 (at least 0.5) of the segment a–b. Tests compare the fast span rasterizer against it.
 */
export function naiveCapsule(
  w: number,
  h: number,
  ax: number,
  ay: number,
  bx: number,
  by: number,
  d: number,
  out = new Uint8Array(w * h),
  value: 0 | 1 = 1,
): Uint8Array {
  const r = Math.max(0.5, d / 2);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const px = x + 0.5 - ax;
      const py = y + 0.5 - ay;
      const dx = bx - ax;
      const dy = by - ay;
      const l2 = dx * dx + dy * dy;
      const t = l2 ? Math.max(0, Math.min(1, (px * dx + py * dy) / l2)) : 0;
      const ex = px - t * dx;
      const ey = py - t * dy;
      if (ex * ex + ey * ey <= r * r + 1e-9) out[y * w + x] = value;
    }
  return out;
}
