/**
 * Connected components of a volume mask, and the effects built on them: `islands`, `splitIslands` and
 * `fillHoles`. Labelling is the classic two-pass scan with union–find over typed arrays (Rosenfeld and Pfaltz;
 * Wu, Otoo and Suzuki, "Optimizing two-pass connected-component labeling algorithms", 2009), run on the
 * bounding box of the mask only: O(voxels of the box), no allocation per voxel.
 * @module
 */
import { ErrorCode, VoxmarkError } from '../errors.js';
import { fillHoles as fillHolesAt } from '../mask/paint.js';
import type { Rect, SparseMask } from '../mask/sparse-mask.js';
import { type Volume, checkVolume, emptyLike } from '../mask/volume.js';
import { type Bounds, crop, growBounds, insideBounds, invalid, paste } from './common.js';

/** 6: voxels that share a face are connected (4 in a 2D mask); 26: faces, edges or corners (8 in 2D). */
export type Connectivity = 6 | 26;

/** Connected components of a (cropped) volume. */
export interface Components {
  /** Component number per voxel, 1…count; 0 outside. */
  labels: Int32Array;
  count: number;
  /** Voxels per component; index 0 is unused. */
  sizes: Float64Array;
}

function checkConnectivity(c: unknown, context: string): Connectivity {
  if (c === undefined) return 6;
  if (c !== 6 && c !== 26) throw invalid(`${context}: connectivity must be 6 or 26, not ${String(c)}`);
  return c;
}

/** Offsets (dx, dy, dz) of the neighbours already visited by a raster scan. */
function backwardNeighbours(connectivity: Connectivity): [number, number, number][] {
  if (connectivity === 6)
    return [
      [-1, 0, 0],
      [0, -1, 0],
      [0, 0, -1],
    ];
  const out: [number, number, number][] = [];
  for (let dz = -1; dz <= 0; dz++)
    for (let dy = -1; dy <= 1; dy++)
      for (let dx = -1; dx <= 1; dx++) {
        if (dz === 0 && (dy > 0 || (dy === 0 && dx >= 0))) continue;
        out.push([dx, dy, dz]);
      }
  return out;
}

function find(parent: Int32Array, a: number): number {
  let r = a;
  while (parent[r] !== r) r = parent[r]!;
  // Path compression.
  while (parent[a] !== r) {
    const next = parent[a]!;
    parent[a] = r;
    a = next;
  }
  return r;
}

/**
 * Labels the connected components of the non-zero voxels of `v` (which should already be cropped to its
 * content: the label array is as large as `v`). Components are numbered in raster order of their first voxel.
 */
export function labelComponents(v: Volume, connectivity: Connectivity = 6): Components {
  const { width: w, height: h, depth: d, data } = v;
  const area = w * h;
  const labels = new Int32Array(data.length);
  let parent = new Int32Array(1024);
  let next = 1;
  // A single slice has no earlier slice to look at: leave those neighbours out of the inner loop.
  const offsets = backwardNeighbours(connectivity)
    .filter(([, , dz]) => d > 1 || dz === 0)
    .map(([dx, dy, dz]) => ({ dx, dy, dz, o: dx + dy * w + dz * area }));
  let i = 0;
  for (let z = 0; z < d; z++)
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++, i++) {
        if (data[i] === 0) continue;
        let label = 0;
        for (let k = 0; k < offsets.length; k++) {
          const n = offsets[k]!;
          const nx = x + n.dx;
          const ny = y + n.dy;
          if (nx < 0 || nx >= w || ny < 0 || ny >= h || z + n.dz < 0) continue;
          const l = labels[i + n.o]!;
          if (l === 0) continue;
          if (label === 0) label = l;
          else if (l !== label) {
            const a = find(parent, l);
            const b = find(parent, label);
            if (a !== b) {
              if (a < b) parent[b] = a;
              else parent[a] = b;
            }
          }
        }
        if (label === 0) {
          if (next >= parent.length) {
            const grown = new Int32Array(parent.length * 2);
            grown.set(parent);
            parent = grown;
          }
          parent[next] = next;
          label = next++;
        }
        labels[i] = label;
      }
  // Resolve to consecutive numbers in order of first appearance.
  const final = new Int32Array(next);
  let count = 0;
  for (let l = 1; l < next; l++) {
    const r = find(parent, l);
    if (r === l) final[l] = ++count;
  }
  for (let l = 1; l < next; l++) final[l] = final[find(parent, l)]!;
  const sizes = new Float64Array(count + 1);
  for (let j = 0; j < labels.length; j++) {
    const l = labels[j]!;
    if (l !== 0) {
      const f = final[l]!;
      labels[j] = f;
      sizes[f]!++;
    }
  }
  return { labels, count, sizes };
}

export type IslandKeep = 'largest' | { minVoxels: number } | { seed: readonly [number, number, number] };

export interface IslandsOptions {
  /**
   * Which islands stay: `'largest'` (ties: the first in raster order), every island of at least `minVoxels`
   * voxels, or the island that holds voxel `seed` ([x, y, z]; an empty result when that voxel is outside).
   */
  keep: IslandKeep;
  /** Default 6. */
  connectivity?: Connectivity;
}

/**
 * Keeps some islands (connected components) of a volume mask and removes the rest: the Segment Editor's
 * "Islands" effect. Returns a new volume of 0/1; the input is not changed. O(voxels of the mask's box).
 */
export function islands(volume: Volume, options: IslandsOptions): Volume {
  checkVolume(volume, 'islands');
  const connectivity = checkConnectivity(options?.connectivity, 'islands');
  const keep = options?.keep;
  let seed: readonly [number, number, number] | undefined;
  let minVoxels = 0;
  if (keep === 'largest') {
    /* checked below */
  } else if (keep && typeof keep === 'object' && 'minVoxels' in keep) {
    minVoxels = keep.minVoxels;
    if (!Number.isFinite(minVoxels) || minVoxels < 0)
      throw invalid('islands: minVoxels must be a number ≥ 0');
  } else if (keep && typeof keep === 'object' && 'seed' in keep) {
    seed = keep.seed;
    if (!Array.isArray(seed) || seed.length !== 3 || !seed.every((c) => Number.isInteger(c)))
      throw invalid('islands: seed must be three integers [x, y, z]');
    const [x, y, z] = seed;
    if (x < 0 || y < 0 || z < 0 || x >= volume.width || y >= volume.height || z >= volume.depth)
      throw new VoxmarkError(ErrorCode.OutOfRange, `islands: seed ${x},${y},${z} is outside the volume`);
  } else throw invalid("islands: keep must be 'largest', { minVoxels } or { seed: [x, y, z] }");

  const out = emptyLike(volume);
  const b = insideBounds(volume);
  if (!b) return out;
  const part = crop(volume, b);
  const { labels, count, sizes } = labelComponents(part, connectivity);
  const kept = new Uint8Array(count + 1);
  if (keep === 'largest') {
    let best = 1;
    for (let l = 2; l <= count; l++) if (sizes[l]! > sizes[best]!) best = l;
    kept[best] = 1;
  } else if (seed) {
    const [x, y, z] = seed;
    if (x >= b.x0 && x < b.x1 && y >= b.y0 && y < b.y1 && z >= b.z0 && z < b.z1) {
      const l = labels[(z - b.z0) * part.width * part.height + (y - b.y0) * part.width + (x - b.x0)]!;
      if (l) kept[l] = 1;
    }
  } else for (let l = 1; l <= count; l++) if (sizes[l]! >= minVoxels) kept[l] = 1;
  const pd = part.data;
  for (let i = 0; i < pd.length; i++) pd[i] = kept[labels[i]!]!;
  paste(out, part, b);
  return out;
}

export interface SplitIslandsOptions {
  /** Default 6. */
  connectivity?: Connectivity;
  /** Islands smaller than this are dropped. Default 1 (keep every island). */
  minVoxels?: number;
  /**
   * Most islands to return; more fail with `too-large` (raise `minVoxels` to drop specks). Default 256.
   * Every island is a full-size volume, so this bounds the memory a noisy mask can claim.
   */
  maxIslands?: number;
}

/** One volume of 0/1 per island of `volume`, largest first (ties in raster order). */
export function splitIslands(volume: Volume, options: SplitIslandsOptions = {}): Volume[] {
  checkVolume(volume, 'splitIslands');
  const connectivity = checkConnectivity(options.connectivity, 'splitIslands');
  const minVoxels = options.minVoxels ?? 1;
  const maxIslands = options.maxIslands ?? 256;
  if (!Number.isFinite(minVoxels) || minVoxels < 0)
    throw invalid('splitIslands: minVoxels must be a number ≥ 0');
  if (!Number.isInteger(maxIslands) || maxIslands < 1)
    throw invalid('splitIslands: maxIslands must be an integer ≥ 1');
  const b = insideBounds(volume);
  if (!b) return [];
  const part = crop(volume, b);
  const { labels, count, sizes } = labelComponents(part, connectivity);
  const order: number[] = [];
  for (let l = 1; l <= count; l++) if (sizes[l]! >= minVoxels) order.push(l);
  if (order.length > maxIslands)
    throw new VoxmarkError(
      ErrorCode.TooLarge,
      `splitIslands: ${order.length} islands are more than maxIslands (${maxIslands}); raise minVoxels to drop small ones`,
    );
  order.sort((a, c) => sizes[c]! - sizes[a]! || a - c);
  const rank = new Int32Array(count + 1).fill(-1);
  order.forEach((l, r) => (rank[l] = r));
  const outs = order.map(() => emptyLike(volume));
  const area = volume.width * volume.height;
  const cw = part.width;
  let i = 0;
  for (let z = b.z0; z < b.z1; z++)
    for (let y = b.y0; y < b.y1; y++) {
      const row = z * area + y * volume.width + b.x0;
      for (let x = 0; x < cw; x++, i++) {
        const r = rank[labels[i]!]!;
        if (r >= 0) outs[r]!.data[row + x] = 1;
      }
    }
  return outs;
}

export interface FillHolesOptions {
  /**
   * `'3d'`: fill every background region that does not reach the volume's border through face-connected
   * background voxels. `'2d'`: the same on each slice separately (a tube is filled slice by slice).
   */
  mode: '2d' | '3d';
}

/**
 * Fills the holes of a volume mask: background regions enclosed by the mask. Background is 6-connected in 3D
 * and 4-connected in 2D (the complement of the mask's 26/8-connectivity), so a hole sealed by voxels that
 * touch only at an edge or corner is still a hole. Returns a new volume of 0/1. O(voxels of the mask's box).
 */
export function fillHoles(volume: Volume, options: FillHolesOptions): Volume;
/** The brush tool's form: fills the hole of a sparse slice mask at (x, y) in place (see mask/paint.ts). */
export function fillHoles(mask: SparseMask, x: number, y: number): Rect | null;
export function fillHoles(
  target: Volume | SparseMask,
  options: FillHolesOptions | number,
  y?: number,
): Volume | Rect | null {
  if (typeof options === 'number') return fillHolesAt(target as SparseMask, options, y!);
  return fillVolumeHoles(target as Volume, options);
}

function fillVolumeHoles(volume: Volume, options: FillHolesOptions): Volume {
  checkVolume(volume, 'fillHoles');
  const mode = options?.mode;
  if (mode !== '2d' && mode !== '3d') throw invalid("fillHoles: mode must be '2d' or '3d'");
  const out = emptyLike(volume);
  const inner = insideBounds(volume);
  if (!inner) return out;
  // One voxel of margin: it is background and reaches the border, unless the box already touches it.
  const b: Bounds = growBounds(inner, 1, 1, mode === '3d' ? 1 : 0, volume.width, volume.height, volume.depth);
  const part = crop(volume, b);
  const { width: w, height: h, depth: d, data } = part;
  const area = w * h;
  const outside = new Uint8Array(data.length);
  const queue = new Int32Array(data.length);
  let head = 0;
  let tail = 0;
  const push = (i: number) => {
    if (data[i] === 0 && outside[i] === 0) {
      outside[i] = 1;
      queue[tail++] = i;
    }
  };
  const seedBorder = (z0: number, z1: number) => {
    for (let z = z0; z < z1; z++)
      for (let y = 0; y < h; y++)
        for (let x = 0; x < w; x++)
          if (x === 0 || y === 0 || x === w - 1 || y === h - 1 || (mode === '3d' && (z === 0 || z === d - 1)))
            push(z * area + y * w + x);
  };
  const flood = (flat: boolean) => {
    while (head < tail) {
      const i = queue[head++]!;
      const z = (i / area) | 0;
      const r = i - z * area;
      const y = (r / w) | 0;
      const x = r - y * w;
      if (x > 0) push(i - 1);
      if (x < w - 1) push(i + 1);
      if (y > 0) push(i - w);
      if (y < h - 1) push(i + w);
      if (!flat) {
        if (z > 0) push(i - area);
        if (z < d - 1) push(i + area);
      }
    }
  };
  if (mode === '3d') {
    seedBorder(0, d);
    flood(false);
  } else
    for (let z = 0; z < d; z++) {
      seedBorder(z, z + 1);
      flood(true);
    }
  for (let i = 0; i < data.length; i++) data[i] = outside[i] ? 0 : 1;
  paste(out, part, b);
  return out;
}
