import { ErrorCode, VoxmarkError } from '../errors.js';
import { type Rect, SparseMask } from './sparse-mask.js';
import type { Volume } from './volume.js';

export type { Volume };

/** A box of voxels: x, y, z of the first voxel, and size. */
export interface Box3 {
  x: number;
  y: number;
  z: number;
  width: number;
  height: number;
  depth: number;
}

/** What one acquisition slice looked like before and after an edit (null = empty). */
export interface SliceChange {
  z: number;
  before: SparseMask | null;
  after: SparseMask | null;
  /** The rectangle of the slice the edit changed. */
  rect: Rect;
}

/**
 * One committed edit of a SparseVolume, however many slices it touched: what undo and redo need. It keeps
 * the slices' masks before and after, which share every tile the edit did not touch, so its own memory is
 * the touched tiles only (`bytes`).
 */
export interface VolumeMemo {
  readonly slices: readonly SliceChange[];
  /** Bytes of tiles the edit allocated or copied: what keeping this memo costs. */
  readonly bytes: number;
  /** The voxels the edit may have changed. */
  readonly box: Box3;
}

/** Largest number of voxels a volume may have (the dense form must fit one Uint8Array). */
export const MAX_SPARSE_VOLUME_VOXELS = 2 ** 32 - 1;

/** Approximate bytes of bookkeeping per painted slice (the mask object and its tile map). */
const SLICE_OVERHEAD_BYTES = 256;

function checkSize(width: number, height: number, depth: number): void {
  if (![width, height, depth].every((n) => Number.isInteger(n) && n > 0)) {
    throw new VoxmarkError(
      ErrorCode.InvalidArgument,
      `Volume size must be positive integers, got ${width}×${height}×${depth}`,
    );
  }
  if (width > 65536 || height > 65536 || width * height * depth > MAX_SPARSE_VOLUME_VOXELS) {
    throw new VoxmarkError(ErrorCode.TooLarge, `A ${width}×${height}×${depth} volume is too large`);
  }
}

/**
 * A binary 3D mask over a stack (width × height × depth, in the stack's acquisition order), stored as one
 * tiled SparseMask per slice: unpainted slices and unpainted 64×64 tiles cost nothing.
 *
 * The slices the volume holds are always frozen. Edits go through a `VolumeEdit` (`edit()`), which
 * paints copy-on-write drafts of the slices it touches and commits them all at once into one `VolumeMemo`,
 * so a stroke in a coronal view that crosses forty axial slices is one undo step that holds only the tiles
 * it touched. `clone()` is a cheap snapshot (it shares every slice), for a store that keeps versions.
 */
export class SparseVolume {
  readonly width: number;
  readonly height: number;
  readonly depth: number;
  readonly #slices: (SparseMask | undefined)[];
  #edit: VolumeEdit | null = null;
  #frozen = false;

  constructor(width: number, height: number, depth: number) {
    checkSize(width, height, depth);
    this.width = width;
    this.height = height;
    this.depth = depth;
    this.#slices = new Array<SparseMask | undefined>(depth);
  }

  /** Builds a volume from a dense one (non-zero = inside). */
  static fromVolume(volume: Volume): SparseVolume {
    const { data, width, height, depth } = volume;
    checkSize(width, height, depth);
    if (!(data instanceof Uint8Array) || data.length !== width * height * depth) {
      throw new VoxmarkError(
        ErrorCode.InvalidArgument,
        `Volume data must be a Uint8Array of ${width}×${height}×${depth} = ${width * height * depth} values`,
      );
    }
    const v = new SparseVolume(width, height, depth);
    const n = width * height;
    for (let z = 0; z < depth; z++) {
      const plane = data.subarray(z * n, (z + 1) * n);
      if (!hasAny(plane)) continue;
      const mask = SparseMask.fromFull(plane, width, height);
      if (!mask.isEmpty()) v.#slices[z] = mask;
    }
    return v;
  }

  /**
   * Builds a volume from frozen per-slice masks (slice z → mask); empty masks are dropped. Every mask must be
   * width × height; throws 'invalid-argument' otherwise, and 'out-of-range' for a z outside 0…depth-1.
   */
  static fromSlices(
    width: number,
    height: number,
    depth: number,
    slices: Iterable<readonly [number, SparseMask]>,
  ): SparseVolume {
    const v = new SparseVolume(width, height, depth);
    for (const [z, mask] of slices) {
      if (!Number.isInteger(z) || z < 0 || z >= depth)
        throw new VoxmarkError(ErrorCode.OutOfRange, `Slice ${z} is outside 0…${depth - 1}`);
      if (mask.width !== width || mask.height !== height)
        throw new VoxmarkError(
          ErrorCode.InvalidArgument,
          `Slice ${z} is ${mask.width}×${mask.height}, the volume ${width}×${height}`,
        );
      if (!mask.isEmpty()) v.#slices[z] = mask.freeze();
    }
    return v;
  }

  /** The dense form: index z·width·height + y·width + x, 1 = inside. Allocates width·height·depth bytes. */
  toVolume(): Volume {
    const { width, height, depth } = this;
    const data = new Uint8Array(width * height * depth);
    const n = width * height;
    const rect = { x: 0, y: 0, width, height };
    this.#slices.forEach((mask, z) => {
      if (mask) mask.readRect(rect, data.subarray(z * n, (z + 1) * n));
    });
    return { data, width, height, depth };
  }

  /**
   * Makes this volume read-only for good (a document's volumes are frozen): `edit`, `undo` and `redo` throw
   * 'invalid-argument' from now on. Returns this. `clone()` gives a writable copy that shares the tiles.
   */
  freeze(): this {
    if (this.#edit) throw new VoxmarkError(ErrorCode.InvalidArgument, 'Commit or cancel the open edit first');
    this.#frozen = true;
    return this;
  }

  /** True once `freeze()` was called. */
  get frozen(): boolean {
    return this.#frozen;
  }

  /** A writable snapshot sharing every slice (and so every tile) with this volume. */
  clone(): SparseVolume {
    const v = new SparseVolume(this.width, this.height, this.depth);
    this.#slices.forEach((mask, z) => (v.#slices[z] = mask));
    return v;
  }

  /** The frozen mask of slice z, or undefined when nothing is painted there. Never write to it. */
  slice(z: number): SparseMask | undefined {
    return this.#slices[z];
  }

  /** 1 when voxel (x, y, z) is inside, else 0 (outside the volume too). */
  get(x: number, y: number, z: number): number {
    if (z < 0 || z >= this.depth) return 0;
    return this.#slices[z]?.get(x, y) ?? 0;
  }

  /** Indices of the slices that have painted voxels, ascending. */
  paintedSlices(): number[] {
    const out: number[] = [];
    this.#slices.forEach((m, z) => m && out.push(z));
    return out;
  }

  /** Number of voxels inside. O(tiles). */
  voxelCount(): number {
    let n = 0;
    for (const m of this.#slices) if (m) n += m.area();
    return n;
  }

  isEmpty(): boolean {
    return this.#slices.every((m) => !m);
  }

  /** Number of allocated tiles over all slices. */
  get tileCount(): number {
    let n = 0;
    for (const m of this.#slices) if (m) n += m.tileCount;
    return n;
  }

  /**
   * Memory this volume references, in bytes: its tiles plus a small fixed cost per painted slice and per
   * slot. Tiles shared with snapshots or memos are counted here too.
   */
  get bytes(): number {
    let n = this.depth * 8;
    for (const m of this.#slices) if (m) n += m.bytes + SLICE_OVERHEAD_BYTES;
    return n;
  }

  /** Tight bounding box of the voxels inside, or null when empty. */
  bbox(): Box3 | null {
    let box: Box3 | null = null;
    this.#slices.forEach((m, z) => {
      const b = m?.bbox();
      if (b) box = unionBox(box, { x: b[0], y: b[1], z, width: b[2], height: b[3], depth: 1 });
    });
    return box;
  }

  /**
   * Starts an edit. Only one edit may be open at a time; it changes nothing until `commit()`.
   * Throws 'invalid-argument' while another edit is open, or when the volume is frozen.
   * `onCommit`, when given, runs at the end of `commit()` with its memo (null when nothing changed); what
   * it returns or throws is what `commit()` returns or throws.
   */
  edit(onCommit?: (memo: VolumeMemo | null) => VolumeMemo | null): VolumeEdit {
    if (this.#frozen) throw new VoxmarkError(ErrorCode.InvalidArgument, 'This volume is frozen: clone() it');
    if (this.#edit) {
      throw new VoxmarkError(ErrorCode.InvalidArgument, 'An edit of this volume is already open');
    }
    const edit = new VolumeEdit(this, this.#slices, () => (this.#edit = null), onCommit);
    this.#edit = edit;
    return edit;
  }

  /** Reverts a committed edit. It must be the last one applied (undo in reverse order). */
  undo(memo: VolumeMemo): void {
    this.#swap(memo, 'after', 'before');
  }

  /** Re-applies an edit reverted by `undo`. */
  redo(memo: VolumeMemo): void {
    this.#swap(memo, 'before', 'after');
  }

  #swap(memo: VolumeMemo, from: 'before' | 'after', to: 'before' | 'after'): void {
    if (this.#frozen) throw new VoxmarkError(ErrorCode.InvalidArgument, 'This volume is frozen');
    if (this.#edit) throw new VoxmarkError(ErrorCode.InvalidArgument, 'Commit or cancel the open edit first');
    for (const change of memo.slices) {
      if ((this.#slices[change.z] ?? null) !== change[from]) {
        throw new VoxmarkError(
          ErrorCode.InvalidArgument,
          `Slice ${change.z} has changed since this edit: undo and redo must follow the edit order`,
        );
      }
    }
    for (const change of memo.slices) this.#slices[change.z] = change[to] ?? undefined;
  }
}

/**
 * An open edit of a SparseVolume: copy-on-write drafts of the slices it touches. Painting primitives write
 * through `draft(z)`; `commit()` freezes and installs every draft at once and returns one memo.
 */
export class VolumeEdit {
  readonly volume: SparseVolume;
  readonly #base: (SparseMask | undefined)[];
  readonly #drafts = new Map<number, SparseMask>();
  readonly #close: () => void;
  readonly #onCommit: ((memo: VolumeMemo | null) => VolumeMemo | null) | undefined;
  #open = true;

  /** @internal use `SparseVolume.edit()` or `AnnotationDocument.editVolume()`. */
  constructor(
    volume: SparseVolume,
    slices: (SparseMask | undefined)[],
    close: () => void,
    onCommit?: (memo: VolumeMemo | null) => VolumeMemo | null,
  ) {
    this.volume = volume;
    this.#base = slices;
    this.#close = close;
    this.#onCommit = onCommit;
  }

  get open(): boolean {
    return this.#open;
  }

  /** A writable mask of slice z (created on first use; it shares the committed slice's tiles). */
  draft(z: number): SparseMask {
    if (!this.#open) throw new VoxmarkError(ErrorCode.InvalidArgument, 'This edit is closed');
    if (!Number.isInteger(z) || z < 0 || z >= this.volume.depth) {
      throw new VoxmarkError(ErrorCode.OutOfRange, `Slice ${z} is outside 0…${this.volume.depth - 1}`);
    }
    let d = this.#drafts.get(z);
    if (!d) {
      d = this.#base[z]?.clone() ?? new SparseMask(this.volume.width, this.volume.height);
      this.#drafts.set(z, d);
    }
    return d;
  }

  /** What slice z looks like in this edit: its draft if touched, else the committed mask. */
  peek(z: number): SparseMask | undefined {
    return this.#drafts.get(z) ?? this.#base[z];
  }

  /** The same as `peek`: what slice z looks like in this edit (so an edit reads like a volume). */
  slice(z: number): SparseMask | undefined {
    return this.peek(z);
  }

  get width(): number {
    return this.volume.width;
  }

  get height(): number {
    return this.volume.height;
  }

  get depth(): number {
    return this.volume.depth;
  }

  /** 1 when (x, y, z) is inside as painted so far. */
  get(x: number, y: number, z: number): number {
    return this.peek(z)?.get(x, y) ?? 0;
  }

  /** Slices this edit has drafts for, ascending. */
  get touchedSlices(): number[] {
    return [...this.#drafts.keys()].sort((a, b) => a - b);
  }

  /**
   * Freezes the drafts, puts them in the volume and returns the memo, or null (and no change) when no voxel
   * changed. Slices left empty are dropped.
   */
  commit(): VolumeMemo | null {
    if (!this.#open) throw new VoxmarkError(ErrorCode.InvalidArgument, 'This edit is closed');
    const slices: SliceChange[] = [];
    let bytes = 0;
    let box: Box3 | null = null;
    for (const z of this.touchedSlices) {
      const draft = this.#drafts.get(z)!.freeze();
      const rect = draft.changedRect;
      if (!rect) continue;
      const before = this.#base[z] ?? null;
      const after = draft.isEmpty() ? null : draft;
      bytes += draft.ownedBytes;
      box = unionBox(box, { x: rect.x, y: rect.y, z, width: rect.width, height: rect.height, depth: 1 });
      slices.push({ z, before, after, rect });
    }
    for (const change of slices) this.#base[change.z] = change.after ?? undefined;
    this.#finish();
    const memo = box ? { slices, bytes, box } : null;
    return this.#onCommit ? this.#onCommit(memo) : memo;
  }

  /** Drops the drafts: the volume stays as it was. */
  cancel(): void {
    if (this.#open) this.#finish();
  }

  #finish(): void {
    this.#open = false;
    this.#drafts.clear();
    this.#close();
  }
}

function hasAny(data: Uint8Array): boolean {
  // Four bytes at a time where the view is aligned.
  if (data.byteOffset % 4 === 0) {
    const words = new Uint32Array(data.buffer, data.byteOffset, data.length >> 2);
    for (let i = 0; i < words.length; i++) if (words[i]) return true;
    for (let i = words.length << 2; i < data.length; i++) if (data[i]) return true;
    return false;
  }
  for (let i = 0; i < data.length; i++) if (data[i]) return true;
  return false;
}

/** The smallest box holding both (a may be null). */
export function unionBox(a: Box3 | null, b: Box3): Box3 {
  if (!a) return { ...b };
  const x = Math.min(a.x, b.x);
  const y = Math.min(a.y, b.y);
  const z = Math.min(a.z, b.z);
  return {
    x,
    y,
    z,
    width: Math.max(a.x + a.width, b.x + b.width) - x,
    height: Math.max(a.y + a.height, b.y + b.height) - y,
    depth: Math.max(a.z + a.depth, b.z + b.depth) - z,
  };
}
