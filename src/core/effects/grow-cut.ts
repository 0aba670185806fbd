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
/** Distances take the top 20 bits of a voxel's cell: "not reached yet", and the most a path may cost. */
const INF = 0xfffff;
const MAX_DIST = INF - 1;
/** Voxels settled between two checkpoints. */
const CHUNK = 1 << 18;

/**
 * The sides of the region a step leaves by, one bit each: x−, x+, y−, y+, z−, z+. `EXIT[k]` holds the sides
 * neighbour k lies beyond when its voxel is on them.
 */
const EXIT = new Uint8Array(26);

/** The 26 neighbours of a voxel: index offsets, in the order EXIT follows. */
interface Neighbours {
  off: Int32Array;
}

/** The neighbour table of a volume `width` wide with `area` voxels per slice, z slowest then y then x. */
function neighbours(width: number, area: number): Neighbours {
  const off = new Int32Array(26);
  const side = (d: number, low: number) => (d < 0 ? low : d > 0 ? low << 1 : 0);
  let k = 0;
  for (let dz = -1; dz <= 1; dz++)
    for (let dy = -1; dy <= 1; dy++)
      for (let dx = -1; dx <= 1; dx++) {
        if (dx === 0 && dy === 0 && dz === 0) continue;
        off[k] = dx + dy * width + dz * area;
        EXIT[k++] = side(dx, 1) | side(dy, 4) | side(dz, 16);
      }
  return { off };
}

/** For every voxel of a w×h×d region, the sides of it that the voxel lies on (0 inside), as EXIT's bits. */
function edges(w: number, h: number, d: number): Uint8Array {
  const edge = new Uint8Array(w * h * d);
  let i = 0;
  for (let z = 0; z < d; z++) {
    const bz = (z === 0 ? 16 : 0) | (z === d - 1 ? 32 : 0);
    for (let y = 0; y < h; y++) {
      const byz = bz | (y === 0 ? 4 : 0) | (y === h - 1 ? 8 : 0);
      for (let x = 0; x < w; x++, i++) edge[i] = byz | (x === 0 ? 1 : 0) | (x === w - 1 ? 2 : 0);
    }
  }
  return edge;
}

/** The mean over the 3×3 pixels around every voxel in its slice (clipped at the region's edges), one axis at a time. */
function boxMean(values: Float32Array, w: number, h: number): Float32Array {
  let a = Float32Array.from(values);
  let b = new Float32Array(values.length);
  const axes: [number, number][] = [
    [1, w],
    [w, h],
  ];
  for (const [stride, n] of axes) {
    if (n > 1)
      for (let i = 0; i < a.length; i++) {
        const k = ((i / stride) | 0) % n;
        let sum = a[i]!;
        const lo = k > 0 ? a[i - stride]! : NaN;
        const hi = k < n - 1 ? a[i + stride]! : NaN;
        if (k > 0) sum += lo;
        if (k < n - 1) sum += hi;
        b[i] = sum / (1 + (k > 0 ? 1 : 0) + (k < n - 1 ? 1 : 0));
      }
    else b.set(a);
    [a, b] = [b, a];
  }
  return a;
}

export class GrowCutEngine {
  readonly width: number;
  readonly height: number;
  readonly depth: number;
  private readonly size: number;
  /**
   * Per voxel: its distance in the top 20 bits and its quantised intensity (0…4095) in the low 12, so that
   * relaxing a neighbour reads one 4-byte word: the relaxations are most of the work, and they are bound by
   * memory. A path's cost saturates at MAX_DIST (a million intensity steps), far beyond any real image's.
   */
  private readonly cell: Uint32Array;
  private labels: Uint8Array;
  private prevDist: Int32Array | null = null;
  private prevLabels: Uint8Array | null = null;
  /** The seeds of the last completed run, or null when the next run must start from scratch. */
  private seeds: Uint8Array | null = null;
  // Bucket queue: one singly linked list per distance modulo LEVELS, entries recycled through a free list.
  private heads = new Int32Array(LEVELS);
  private entryVoxel = new Int32Array(1 << 16);
  private entryNext = new Int32Array(1 << 16);
  private entryLabel = new Uint8Array(1 << 16);
  /** Per voxel, the region's sides it lies on (see EXIT). */
  private readonly edge: Uint8Array;
  private free = -1;
  private used = 0;
  private readonly neighbours: Neighbours;

  /**
   * `raw`: the region's intensities (modality units), x fastest. Not kept. They are averaged over 3×3 pixels
   * in-plane first (not across slices, which are often thick): a path's cost sums the noise of every step, so on raw CT (noise of about 12 HU) a long path
   * through one tissue costs more than crossing a weak edge (liver 60 HU next to muscle 45 HU), and labels
   * leak; averaging cuts the noise per step about fivefold and keeps the edge's total step.
   */
  constructor(raw: Float32Array, width: number, height: number, depth: number) {
    this.width = width;
    this.height = height;
    this.depth = depth;
    const values = boxMean(raw, width, height);
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    const scale = hi > lo ? MASK / (hi - lo) : 0;
    this.size = values.length;
    this.cell = new Uint32Array(values.length);
    for (let i = 0; i < values.length; i++) this.cell[i] = Math.round((values[i]! - lo) * scale);
    this.labels = new Uint8Array(values.length);
    this.neighbours = neighbours(width, width * height);
    this.edge = edges(width, height, depth);
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
      for (let i = 0; i < n; i++) pd[i] = cell[i]! >>> 12;
      const pl = this.prevLabels ?? new Uint8Array(n);
      this.prevDist = pd;
      this.prevLabels = this.labels;
      this.labels = pl;
    }
    const labels = this.labels;
    for (let i = 0; i < n; i++) cell[i] = (INF << 12) | (cell[i]! & MASK);
    labels.fill(0);
    let pending = 0;
    for (let i = 0; i < n; i++) {
      const s = seeds[i]!;
      if (s === 0 || (incremental && this.prevLabels![i] === s)) continue;
      cell[i] = cell[i]! & MASK;
      labels[i] = s;
      this.push(i, 0, s);
      pending++;
    }
    await this.dijkstra(pending, incremental, checkpoint);
    if (incremental) {
      const pd = this.prevDist!;
      const pl = this.prevLabels!;
      for (let i = 0; i < n; i++)
        if (labels[i] === 0) {
          labels[i] = pl[i]!;
          cell[i] = (pd[i]! << 12) | (cell[i]! & MASK);
        }
    }
    this.seeds = seeds.slice();
    return labels.slice();
  }

  private push(voxel: number, d: number, label: number): void {
    let e = this.free;
    if (e >= 0) this.free = this.entryNext[e]!;
    else {
      if (this.used === this.entryVoxel.length) this.growPool();
      e = this.used++;
    }
    const b = d & MASK;
    this.entryVoxel[e] = voxel;
    this.entryLabel[e] = label;
    this.entryNext[e] = this.heads[b]!;
    this.heads[b] = e;
  }

  private growPool(): void {
    const grownV = new Int32Array(this.entryVoxel.length * 2);
    const grownN = new Int32Array(this.entryVoxel.length * 2);
    grownV.set(this.entryVoxel);
    grownN.set(this.entryNext);
    const grownL = new Uint8Array(this.entryVoxel.length * 2);
    grownL.set(this.entryLabel);
    this.entryLabel = grownL;
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
   * the engine optimises it as one hot function; the state lives in fields between calls. A queue entry carries
   * the label of the path it was pushed for, so a relaxation writes one array and the label is written once,
   * when the voxel settles.
   */
  private drain(incremental: boolean, limit: number): boolean {
    const { cell, labels, heads, edge } = this;
    const prevDist = this.prevDist;
    const prevLabels = this.prevLabels;
    const { off } = this.neighbours;
    let { cur, pending, free, used } = this;
    let entryVoxel = this.entryVoxel;
    let entryNext = this.entryNext;
    let entryLabel = this.entryLabel;
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
      if (cell[v]! >>> 12 !== cur) continue; // superseded by a shorter path
      const label = entryLabel[e]!;
      if (incremental && cur > prevDist![v]!) {
        // An old seed is closer: keep the previous answer here and stop growing through it.
        cell[v] = (prevDist![v]! << 12) | (cell[v]! & MASK);
        labels[v] = prevLabels![v]!;
        continue;
      }
      settled++;
      labels[v] = label;
      const qv = cell[v]! & MASK;
      const border = edge[v]!;
      for (let k = 0; k < 26; k++) {
        // On the region's border, `edge` holds the directions that leave it, one bit per axis and side.
        if (border !== 0 && (border & EXIT[k]!) !== 0) continue;
        const nb = v + off[k]!;
        const c = cell[nb]!;
        const qn = c & MASK;
        let nd = cur + (qn < qv ? qv - qn : qn - qv);
        if (nd > MAX_DIST) nd = MAX_DIST;
        if (nd >= c >>> 12) continue;
        cell[nb] = (nd << 12) | qn;
        let ne = free;
        if (ne >= 0) free = entryNext[ne]!;
        else {
          if (used === entryVoxel.length) {
            this.entryVoxel = entryVoxel;
            this.entryNext = entryNext;
            this.entryLabel = entryLabel;
            this.growPool();
            entryVoxel = this.entryVoxel;
            entryNext = this.entryNext;
            entryLabel = this.entryLabel;
          }
          ne = used++;
        }
        const b = nd & MASK;
        entryVoxel[ne] = nb;
        entryLabel[ne] = label;
        entryNext[ne] = heads[b]!;
        heads[b] = ne;
        pending++;
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
