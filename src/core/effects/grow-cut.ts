/**
 * The computing core of "Grow from seeds": Fast GrowCut (Zhu, Kolesov, Gao, Kikinis and Tannenbaum, "An
 * effective interactive medical image segmentation method using Fast GrowCut", MICCAI Interactive Medical
 * Image Computing workshop, 2014), the method behind 3D Slicer's Grow from seeds effect
 * (vtkImageGrowCutSegment). Every voxel takes the label of the seed it is closest to, where the length of a
 * path is the sum of the absolute intensity differences between the 26-connected neighbours along it, so
 * labels compete and stop at edges.
 *
 * The shortest paths are computed with Dijkstra's algorithm on a bucket queue (Dial 1969): intensities are
 * quantised to 12 bits over the region's range, which makes every step an integer from 0 to 4095 and every
 * queue operation O(1). Adding seeds updates the previous result with Slicer's adaptive Dijkstra: only the new
 * seeds grow, and a voxel stops their growth where it was already closer to an old seed; so an added stroke
 * costs what it changes, not the whole volume. Removing or relabelling a seed runs from scratch.
 * @module
 */

/** The cooperative hooks a run calls between chunks: report progress, yield, and throw when cancelled. */
export type Checkpoint = (done: number, total: number) => Promise<void>;

const LEVELS = 4096;
const MASK = LEVELS - 1;
const INF = 0x7fffffff;
/** Voxels settled between two checkpoints. */
const CHUNK = 1 << 18;

/** The 26 neighbours of a voxel: index offsets and, to test the volume's edges, x, y and z steps. */
interface Neighbours {
  off: Int32Array;
  sx: Int8Array;
  sy: Int8Array;
  sz: Int8Array;
}

/** The neighbour table of a volume `width` wide with `area` voxels per slice, z slowest then y then x. */
function neighbours(width: number, area: number): Neighbours {
  const off = new Int32Array(26);
  const sx = new Int8Array(26);
  const sy = new Int8Array(26);
  const sz = new Int8Array(26);
  let k = 0;
  for (let dz = -1; dz <= 1; dz++)
    for (let dy = -1; dy <= 1; dy++)
      for (let dx = -1; dx <= 1; dx++) {
        if (dx === 0 && dy === 0 && dz === 0) continue;
        off[k] = dx + dy * width + dz * area;
        sx[k] = dx;
        sy[k] = dy;
        sz[k++] = dz;
      }
  return { off, sx, sy, sz };
}

export class GrowCutEngine {
  readonly width: number;
  readonly height: number;
  readonly depth: number;
  private readonly size: number;
  /**
   * Per voxel i: cell[2i] is its distance, cell[2i + 1] its quantised intensity (0…4095). Interleaved so
   * that relaxing a neighbour reads one cache line, not two: the relaxations are most of the work.
   */
  private readonly cell: Int32Array;
  private labels: Uint8Array;
  private prevDist: Int32Array | null = null;
  private prevLabels: Uint8Array | null = null;
  /** The seeds of the last completed run, or null when the next run must start from scratch. */
  private seeds: Uint8Array | null = null;
  // Bucket queue: one singly linked list per distance modulo LEVELS, entries recycled through a free list.
  private heads = new Int32Array(LEVELS);
  private entryVoxel = new Int32Array(1 << 16);
  private entryNext = new Int32Array(1 << 16);
  private free = -1;
  private used = 0;
  private readonly neighbours: Neighbours;

  /** `values`: the region's intensities (modality units), x fastest. Not kept. */
  constructor(values: Float32Array, width: number, height: number, depth: number) {
    this.width = width;
    this.height = height;
    this.depth = depth;
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    const scale = hi > lo ? MASK / (hi - lo) : 0;
    this.size = values.length;
    this.cell = new Int32Array(2 * values.length);
    for (let i = 0; i < values.length; i++) this.cell[2 * i + 1] = Math.round((values[i]! - lo) * scale);
    this.labels = new Uint8Array(values.length);
    this.neighbours = neighbours(width, width * height);
  }

  /** Whether the next `run` with these seeds can update the last result (they only add seeds). */
  canUpdate(seeds: Uint8Array): boolean {
    const old = this.seeds;
    if (!old) return false;
    for (let i = 0; i < old.length; i++) if (old[i] !== 0 && seeds[i] !== old[i]) return false;
    return true;
  }

  /**
   * Labels every voxel from `seeds` (one label per voxel, 0 = unseeded) and returns a copy of the labels.
   * Voxels that no seed reaches stay 0. A run that throws (cancelled) leaves the engine ready for a full run.
   */
  async run(seeds: Uint8Array, checkpoint: Checkpoint): Promise<Uint8Array> {
    const incremental = this.canUpdate(seeds);
    this.seeds = null;
    const n = this.size;
    const cell = this.cell;
    this.heads.fill(-1);
    this.free = -1;
    this.used = 0;
    if (incremental) {
      // The last result becomes the reference that the new seeds must beat.
      const pd = this.prevDist ?? new Int32Array(n);
      for (let i = 0; i < n; i++) pd[i] = cell[2 * i]!;
      const pl = this.prevLabels ?? new Uint8Array(n);
      this.prevDist = pd;
      this.prevLabels = this.labels;
      this.labels = pl;
    }
    const labels = this.labels;
    for (let i = 0; i < n; i++) cell[2 * i] = INF;
    labels.fill(0);
    let pending = 0;
    for (let i = 0; i < n; i++) {
      const s = seeds[i]!;
      if (s === 0 || (incremental && this.prevLabels![i] === s)) continue;
      cell[2 * i] = 0;
      labels[i] = s;
      this.push(i, 0);
      pending++;
    }
    await this.dijkstra(pending, incremental, checkpoint);
    if (incremental) {
      const pd = this.prevDist!;
      const pl = this.prevLabels!;
      for (let i = 0; i < n; i++)
        if (labels[i] === 0) {
          labels[i] = pl[i]!;
          cell[2 * i] = pd[i]!;
        }
    }
    this.seeds = seeds.slice();
    return labels.slice();
  }

  private push(voxel: number, d: number): void {
    let e = this.free;
    if (e >= 0) this.free = this.entryNext[e]!;
    else {
      if (this.used === this.entryVoxel.length) this.growPool();
      e = this.used++;
    }
    const b = d & MASK;
    this.entryVoxel[e] = voxel;
    this.entryNext[e] = this.heads[b]!;
    this.heads[b] = e;
  }

  private growPool(): void {
    const grownV = new Int32Array(this.entryVoxel.length * 2);
    const grownN = new Int32Array(this.entryVoxel.length * 2);
    grownV.set(this.entryVoxel);
    grownN.set(this.entryNext);
    this.entryVoxel = grownV;
    this.entryNext = grownN;
  }

  private cur = 0;
  private pending = 0;
  private settled = 0;

  private async dijkstra(pending: number, incremental: boolean, checkpoint: Checkpoint): Promise<void> {
    this.cur = 0;
    this.pending = pending;
    this.settled = 0;
    const n = this.size;
    while (!this.drain(incremental, CHUNK)) await checkpoint(this.settled, n);
    await checkpoint(this.settled, n);
  }

  /**
   * Settles up to `limit` voxels; true when the queue is empty. A synchronous loop over local variables, so
   * the engine optimises it as one hot function; the state lives in fields between calls.
   */
  private drain(incremental: boolean, limit: number): boolean {
    const { width: w, height: h, depth: d, cell, labels, heads } = this;
    const area = w * h;
    const prevDist = this.prevDist;
    const prevLabels = this.prevLabels;
    const { off, sx, sy, sz } = this.neighbours;
    let { cur, pending, free, used } = this;
    let entryVoxel = this.entryVoxel;
    let entryNext = this.entryNext;
    const stop = this.settled + limit;
    let settled = this.settled;
    while (pending > 0 && settled < stop) {
      let e = heads[cur & MASK]!;
      while (e < 0) {
        cur++;
        e = heads[cur & MASK]!;
      }
      heads[cur & MASK] = entryNext[e]!;
      entryNext[e] = free;
      free = e;
      pending--;
      const v = entryVoxel[e]!;
      if (cell[2 * v] !== cur) continue; // superseded by a shorter path
      if (incremental && cur > prevDist![v]!) {
        // An old seed is closer: keep the previous answer here and stop growing through it.
        cell[2 * v] = prevDist![v]!;
        labels[v] = prevLabels![v]!;
        continue;
      }
      settled++;
      const label = labels[v]!;
      const qv = cell[2 * v + 1]!;
      const z = (v / area) | 0;
      const r = v - z * area;
      const y = (r / w) | 0;
      const x = r - y * w;
      const interior = x > 0 && y > 0 && z > 0 && x < w - 1 && y < h - 1 && z < d - 1;
      for (let k = 0; k < 26; k++) {
        if (!interior) {
          const nx = x + sx[k]!;
          const ny = y + sy[k]!;
          const nz = z + sz[k]!;
          if (nx < 0 || ny < 0 || nz < 0 || nx >= w || ny >= h || nz >= d) continue;
        }
        const nb = v + off[k]!;
        const diff = cell[2 * nb + 1]! - qv;
        const nd = cur + (diff < 0 ? -diff : diff);
        if (nd < cell[2 * nb]! && nd < INF) {
          cell[2 * nb] = nd;
          labels[nb] = label;
          let ne = free;
          if (ne >= 0) free = entryNext[ne]!;
          else {
            if (used === entryVoxel.length) {
              this.entryVoxel = entryVoxel;
              this.entryNext = entryNext;
              this.growPool();
              entryVoxel = this.entryVoxel;
              entryNext = this.entryNext;
            }
            ne = used++;
          }
          const b = nd & MASK;
          entryVoxel[ne] = nb;
          entryNext[ne] = heads[b]!;
          heads[b] = ne;
          pending++;
        }
      }
    }
    this.cur = cur;
    this.pending = pending;
    this.free = free;
    this.used = used;
    this.entryVoxel = entryVoxel;
    this.entryNext = entryNext;
    this.settled = settled;
    return pending === 0;
  }
}
