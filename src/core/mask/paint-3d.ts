/**
 * Painting a SparseVolume: a round brush in any plane of the stack (mapped back to the acquisition voxels),
 * a sphere in millimetres under anisotropic spacing, and sampling the volume in a plane for display.
 */
import { SparseMask } from './sparse-mask.js';
import { type Box3, type VolumeEdit, unionBox } from './sparse-volume.js';

type Vec3Like = readonly [number, number, number];

/**
 * How a plane's voxels map to the volume's (acquisition) voxels: what `reformatStack` returns satisfies it.
 * Indices are voxel centres at integers; `matrix` holds columns (the source step of one x, y, slice step).
 */
export interface PlaneMapping {
  readonly width: number;
  readonly height: number;
  readonly depth: number;
  /** [column, row, slice] size of the plane's voxels (mm). */
  readonly spacing: Vec3Like;
  readonly toSourceAffine: {
    readonly matrix: readonly [Vec3Like, Vec3Like, Vec3Like];
    readonly offset: Vec3Like;
  };
  /** One step along the source's column, row and slice index, in mm. */
  readonly sourceGeometry: { readonly axes: readonly [Vec3Like, Vec3Like, Vec3Like] };
}

export interface Paint3dOptions {
  /** 1 paints, 0 erases. Default 1. */
  value?: 0 | 1;
  /** Paint only the voxels (x, y, z of the volume) for which this is true, e.g. a threshold. */
  accept?: ((x: number, y: number, z: number) => boolean) | null;
}

/** Something that reads voxels: a SparseVolume, or an open edit (drafts included). */
export interface VoxelReader {
  readonly width: number;
  readonly height: number;
  readonly depth: number;
  get(x: number, y: number, z: number): number;
  /** The mask of volume slice z, or undefined when nothing is painted there. */
  slice(z: number): SparseMask | undefined;
}

/** Collects runs of voxels along x and fills them as spans, so a straight run costs one fillSpan. */
class SpanWriter {
  #k = -1;
  #j = -1;
  #i0 = 0;
  #i1 = 0;
  #box: Box3 | null = null;
  readonly #edit: VolumeEdit;
  readonly #value: 0 | 1;
  readonly #accept: Paint3dOptions['accept'];

  constructor(edit: VolumeEdit, options: Paint3dOptions) {
    this.#edit = edit;
    this.#value = options.value ?? 1;
    this.#accept = options.accept ?? null;
  }

  /** Adds voxels i0..i1-1 of row j, slice k. */
  add(i0: number, i1: number, j: number, k: number): void {
    if (k === this.#k && j === this.#j && i0 <= this.#i1 && i1 >= this.#i0) {
      this.#i0 = Math.min(this.#i0, i0);
      this.#i1 = Math.max(this.#i1, i1);
      return;
    }
    this.flush();
    this.#k = k;
    this.#j = j;
    this.#i0 = i0;
    this.#i1 = i1;
  }

  flush(): void {
    const k = this.#k;
    if (k < 0) return;
    this.#k = -1;
    const v = this.#edit.volume;
    const i0 = Math.max(0, this.#i0);
    const i1 = Math.min(v.width, this.#i1);
    const j = this.#j;
    if (i1 <= i0 || j < 0 || j >= v.height || k >= v.depth) return;
    // Erasing where nothing is painted needs no draft.
    if (this.#value === 0 && !this.#edit.peek(k)) return;
    const accept = this.#accept;
    const changed = this.#edit
      .draft(k)
      .fillSpan(j, i0, i1, this.#value, accept ? (x, y) => accept(x, y, k) : undefined);
    if (changed) this.#box = unionBox(this.#box, { x: i0, y: j, z: k, width: i1 - i0, height: 1, depth: 1 });
  }

  /** The voxels changed (after the last flush), or null. */
  get box(): Box3 | null {
    return this.#box;
  }
}

/**
 * Paints, in plane `slice` of a reformatted stack, the capsule swept by a round brush moving from (ax, ay) to
 * (bx, by) (the plane's image coordinates: origin at the top-left corner of the top-left pixel), into the
 * volume voxels under it. `diameter` is in the plane's spacing unit (mm), so the brush stays round on screen
 * when the plane's pixels are not square (a coronal plane of thick axial slices). A plane pixel is under the
 * brush when its centre is; each such pixel paints the volume voxel it shows (for a resampled oblique plane,
 * the voxel nearest to it). Returns the voxels changed, or null.
 */
export function paintPlaneStroke(
  edit: VolumeEdit,
  plane: PlaneMapping,
  slice: number,
  ax: number,
  ay: number,
  bx: number,
  by: number,
  diameter: number,
  options: Paint3dOptions = {},
): Box3 | null {
  const [sx, sy] = plane.spacing;
  const r = Math.max(diameter / 2, Math.min(sx, sy) / 2);
  const r2 = r * r;
  // The segment in millimetres.
  const axm = ax * sx;
  const aym = ay * sy;
  const dxm = (bx - ax) * sx;
  const dym = (by - ay) * sy;
  const len2 = dxm * dxm + dym * dym;
  const y0 = Math.max(0, Math.floor(Math.min(ay, by) - r / sy - 0.5));
  const y1 = Math.min(plane.height - 1, Math.ceil(Math.max(ay, by) + r / sy - 0.5));
  const x0 = Math.max(0, Math.floor(Math.min(ax, bx) - r / sx - 0.5));
  const x1 = Math.min(plane.width - 1, Math.ceil(Math.max(ax, bx) + r / sx - 0.5));
  const writer = new SpanWriter(edit, options);
  const { matrix, offset } = plane.toSourceAffine;
  const [mx, my, ms] = matrix;
  for (let py = y0; py <= y1; py++) {
    const pym = (py + 0.5) * sy - aym;
    let runStart = -1;
    for (let px = x0; px <= x1 + 1; px++) {
      let inside = false;
      if (px <= x1) {
        const pxm = (px + 0.5) * sx - axm;
        const t = len2 > 0 ? Math.min(1, Math.max(0, (pxm * dxm + pym * dym) / len2)) : 0;
        const ex = pxm - t * dxm;
        const ey = pym - t * dym;
        inside = ex * ex + ey * ey <= r2;
      }
      if (inside && runStart < 0) runStart = px;
      else if (!inside && runStart >= 0) {
        // Plane pixels runStart..px-1 of row py: map each to its volume voxel.
        for (let q = runStart; q < px; q++) {
          const i = Math.floor(mx[0] * q + my[0] * py + ms[0] * slice + offset[0] + 0.5);
          const j = Math.floor(mx[1] * q + my[1] * py + ms[1] * slice + offset[1] + 0.5);
          const k = Math.floor(mx[2] * q + my[2] * py + ms[2] * slice + offset[2] + 0.5);
          if (k >= 0) writer.add(i, i + 1, j, k);
        }
        runStart = -1;
      }
    }
  }
  writer.flush();
  return writer.box;
}

/** A round dab: `paintPlaneStroke` from (cx, cy) to itself. */
export function paintPlaneDab(
  edit: VolumeEdit,
  plane: PlaneMapping,
  slice: number,
  cx: number,
  cy: number,
  diameter: number,
  options: Paint3dOptions = {},
): Box3 | null {
  return paintPlaneStroke(edit, plane, slice, cx, cy, cx, cy, diameter, options);
}

/** Voxel size: a spacing [x, y, z] (orthogonal voxels) or the three index steps in mm (a sheared grid). */
export type VoxelAxes = Vec3Like | readonly [Vec3Like, Vec3Like, Vec3Like];

/**
 * Paints a ball of `diameterMm` centred at volume index `center` (i, j, k; integers are voxel centres): every
 * voxel whose centre lies within diameterMm/2 millimetres of it. `axes` gives the size of a voxel: the
 * stack's spacing [x, y, z] (anisotropic voxels), or the three index steps in mm (a sheared grid, e.g. a
 * gantry tilt: `stackGeometry(stack).axes`). Returns the voxels changed, or null.
 */
export function paintSphere(
  edit: VolumeEdit,
  center: Vec3Like,
  diameterMm: number,
  axes: VoxelAxes,
  options: Paint3dOptions = {},
): Box3 | null {
  return paintSphereStroke(edit, center, center, diameterMm, axes, options);
}

/**
 * Paints the capsule a ball of `diameterMm` sweeps moving from volume index `a` to `b`: every voxel whose
 * centre lies within diameterMm/2 mm of the segment, so a 3D brush dragged between two pointer samples
 * leaves no gap. `axes` as for `paintSphere`. Returns the voxels changed, or null.
 */
export function paintSphereStroke(
  edit: VolumeEdit,
  a: Vec3Like,
  b: Vec3Like,
  diameterMm: number,
  axes: VoxelAxes,
  options: Paint3dOptions = {},
): Box3 | null {
  const m: [Vec3Like, Vec3Like, Vec3Like] =
    typeof axes[0] === 'number'
      ? [
          [axes[0], 0, 0],
          [0, axes[1] as number, 0],
          [0, 0, axes[2] as number],
        ]
      : (axes as [Vec3Like, Vec3Like, Vec3Like]);
  const r = diameterMm / 2;
  const r2 = r * r;
  const [m0, m1, m2] = m;
  const g00 = dot(m0, m0);
  // Index half extents of a ball, r·sqrt((G⁻¹)_aa), from the Gram matrix G of the axes.
  const g = [0, 1, 2].map((p) => [0, 1, 2].map((q) => dot(m[p]!, m[q]!)));
  const det =
    g[0]![0]! * (g[1]![1]! * g[2]![2]! - g[1]![2]! * g[2]![1]!) -
    g[0]![1]! * (g[1]![0]! * g[2]![2]! - g[1]![2]! * g[2]![0]!) +
    g[0]![2]! * (g[1]![0]! * g[2]![1]! - g[1]![1]! * g[2]![0]!);
  if (!(r > 0) || !(det > 0) || ![...a, ...b].every(Number.isFinite)) return null;
  const ej = r * Math.sqrt((g[0]![0]! * g[2]![2]! - g[0]![2]! ** 2) / det);
  const ek = r * Math.sqrt((g[0]![0]! * g[1]![1]! - g[0]![1]! ** 2) / det);
  const v = edit.volume;
  const k0 = Math.max(0, Math.ceil(Math.min(a[2], b[2]) - ek - 1e-9));
  const k1 = Math.min(v.depth - 1, Math.floor(Math.max(a[2], b[2]) + ek + 1e-9));
  const j0 = Math.max(0, Math.ceil(Math.min(a[1], b[1]) - ej - 1e-9));
  const j1 = Math.min(v.height - 1, Math.floor(Math.max(a[1], b[1]) + ej + 1e-9));
  // The segment in mm, from a.
  const d = combine(m, [b[0] - a[0], b[1] - a[1], b[2] - a[2]]);
  const len2 = dot(d, d);
  const m0d = dot(m0, d);
  const writer = new SpanWriter(edit, options);
  for (let k = k0; k <= k1; k++) {
    for (let j = j0; j <= j1; j++) {
      // Voxel (a_i + u, j, k) is at u·m0 + q mm from a.
      const q = combine([m1, m2, m0], [j - a[1], k - a[2], 0]);
      const m0q = dot(m0, q);
      let lo = Infinity;
      let hi = -Infinity;
      const take = (iv: [number, number] | null) => {
        if (iv && iv[0] <= iv[1]) {
          lo = Math.min(lo, iv[0]);
          hi = Math.max(hi, iv[1]);
        }
      };
      take(quadratic(g00, m0q, dot(q, q) - r2)); // ball at a
      const qb: Vec3Like = [q[0] - d[0], q[1] - d[1], q[2] - d[2]];
      take(quadratic(g00, dot(m0, qb), dot(qb, qb) - r2)); // ball at b
      if (len2 > 0) {
        // The cylinder: 0 ≤ t ≤ 1 along the segment and perpendicular distance ≤ r.
        const qd = dot(q, d);
        const band = quadratic(
          g00 - (m0d * m0d) / len2,
          m0q - (m0d * qd) / len2,
          dot(q, q) - (qd * qd) / len2 - r2,
        );
        const along = between(m0d / len2, qd / len2, 0, 1);
        if (band && along) take([Math.max(band[0], along[0]), Math.min(band[1], along[1])]);
      }
      if (lo > hi) continue;
      const i0 = Math.ceil(a[0] + lo - 1e-9);
      const i1 = Math.floor(a[0] + hi + 1e-9) + 1;
      if (i1 > i0) writer.add(i0, i1, j, k);
    }
  }
  writer.flush();
  return writer.box;
}

const dot = (p: Vec3Like, q: Vec3Like) => p[0] * q[0] + p[1] * q[1] + p[2] * q[2];

/** Σ w[n]·vectors[n]. */
function combine(vectors: readonly Vec3Like[], w: Vec3Like): Vec3Like {
  const out: [number, number, number] = [0, 0, 0];
  vectors.forEach((vec, n) => {
    for (let c = 0; c < 3; c++) out[c] += vec[c]! * w[n]!;
  });
  return out;
}

/** The u with α·u² + 2β·u + γ ≤ 0 (α ≥ 0), as an interval, or null. */
function quadratic(alpha: number, beta: number, gamma: number): [number, number] | null {
  if (alpha > 1e-12) {
    const disc = beta * beta - alpha * gamma;
    if (disc < 0) return null;
    const s = Math.sqrt(disc);
    return [(-beta - s) / alpha, (-beta + s) / alpha];
  }
  if (Math.abs(beta) > 1e-12) {
    const u = -gamma / (2 * beta);
    return beta > 0 ? [-Infinity, u] : [u, Infinity];
  }
  return gamma <= 0 ? [-Infinity, Infinity] : null;
}

/** The u with lo ≤ c1·u + c0 ≤ hi, as an interval, or null. */
function between(c1: number, c0: number, lo: number, hi: number): [number, number] | null {
  if (c1 === 0) return c0 >= lo && c0 <= hi ? [-Infinity, Infinity] : null;
  const p = (lo - c0) / c1;
  const q = (hi - c0) / c1;
  return p < q ? [p, q] : [q, p];
}

/**
 * The volume as it shows in plane `slice`: a frozen plane-sized mask with every pixel whose volume voxel is
 * inside (nearest voxel for a resampled plane). For drawing a volume mask in a reformatted view.
 */
export function planeMask(volume: VoxelReader, plane: PlaneMapping, slice: number): SparseMask {
  const mask = new SparseMask(plane.width, plane.height);
  const { matrix, offset } = plane.toSourceAffine;
  const [mx, my, ms] = matrix;
  // A row along the volume's x (an axial or coronal plane of an axial series): one row of one volume slice.
  const alongRows = mx[1] === 0 && mx[2] === 0 && Math.abs(mx[0]) === 1 && Number.isInteger(offset[0]);
  const row = alongRows ? new Uint8Array(plane.width) : null;
  for (let y = 0; y < plane.height; y++) {
    let fi = my[0] * y + ms[0] * slice + offset[0];
    let fj = my[1] * y + ms[1] * slice + offset[1];
    let fk = my[2] * y + ms[2] * slice + offset[2];
    // Rows that stay in one volume slice skip it when it is empty.
    if (mx[2] === 0) {
      const k = Math.floor(fk + 0.5);
      if (k < 0 || k >= volume.depth || !volume.slice(k)) continue;
      if (row) {
        const j = Math.floor(fj + 0.5);
        if (j < 0 || j >= volume.height) continue;
        // Plane x ↦ volume i = fi + x·mx[0]: read the span of volume row j the plane row covers.
        const i0 = mx[0] > 0 ? fi : fi - (plane.width - 1);
        row.fill(0);
        volume.slice(k)!.readRect({ x: i0, y: j, width: plane.width, height: 1 }, row);
        if (mx[0] < 0) row.reverse();
        fillRuns(mask, y, row);
        continue;
      }
    }
    let runStart = -1;
    for (let x = 0; x <= plane.width; x++) {
      const inside =
        x < plane.width && volume.get(Math.floor(fi + 0.5), Math.floor(fj + 0.5), Math.floor(fk + 0.5)) !== 0;
      if (inside && runStart < 0) runStart = x;
      else if (!inside && runStart >= 0) {
        mask.fillSpan(y, runStart, x, 1);
        runStart = -1;
      }
      fi += mx[0];
      fj += mx[1];
      fk += mx[2];
    }
  }
  return mask.freeze();
}

/** Fills the runs of set values of `row` into row y of a mask. */
function fillRuns(mask: SparseMask, y: number, row: Uint8Array): void {
  let start = -1;
  for (let x = 0; x <= row.length; x++) {
    const inside = x < row.length && row[x] !== 0;
    if (inside && start < 0) start = x;
    else if (!inside && start >= 0) {
      mask.fillSpan(y, start, x, 1);
      start = -1;
    }
  }
}
