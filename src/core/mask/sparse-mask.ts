import { ErrorCode, VoxmarkError } from '../errors.js';

/** Side of a mask tile in pixels. Tiles are allocated only where something was painted. */
export const TILE_SIZE = 64;
const TILE_PIXELS = TILE_SIZE * TILE_SIZE;

/** Bytes one allocated tile takes (one byte per pixel). */
export const TILE_BYTES = TILE_PIXELS;

/** A rectangle in image pixels: x, y of the top-left pixel, and size. */
export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** A bbox-sized copy of a mask: row-major, 1 = inside. */
export interface MaskRegion {
  /** [x, y, width, height] in image pixels. */
  bbox: [number, number, number, number];
  width: number;
  height: number;
  data: Uint8Array;
}

interface Tile {
  data: Uint8Array;
  /** Set pixels, valid when the tile is frozen. */
  count: number;
  /** Tight bounds inside the tile (x0,y0 inclusive; x1,y1 exclusive), valid when frozen and count > 0. */
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/** Union of two rectangles (either may be null). */
export function unionRect(a: Rect | null, b: Rect | null): Rect | null {
  if (!a) return b ? { ...b } : null;
  if (!b) return { ...a };
  const x = Math.min(a.x, b.x);
  const y = Math.min(a.y, b.y);
  return {
    x,
    y,
    width: Math.max(a.x + a.width, b.x + b.width) - x,
    height: Math.max(a.y + a.height, b.y + b.height) - y,
  };
}

/**
 * A binary mask of one instance on one slice, stored sparsely in 64×64 tiles.
 *
 * A mask is either frozen (immutable: what the document holds) or a draft (being painted). `clone()` makes a
 * draft that shares every tile with its source; a tile is copied the first time the draft writes to it
 * (copy on write). So an edit costs memory only for the tiles it touches, and the previous version, kept
 * for undo, shares everything else. A draft records the rectangle it changed since the last `takeDirty()`.
 */
export class SparseMask {
  readonly width: number;
  readonly height: number;
  readonly tilesX: number;
  readonly tilesY: number;
  private readonly tiles: Map<number, Tile>;
  /** Tiles this draft allocated or copied (and may write); null once frozen. */
  private owned: Set<number> | null;
  private dirty: Rect | null = null;
  private changed: Rect | null = null;
  private cachedBBox: [number, number, number, number] | null | undefined;
  private cachedArea = -1;

  constructor(width: number, height: number) {
    if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0)
      throw new VoxmarkError(
        ErrorCode.InvalidArgument,
        `Mask size must be positive integers, got ${width}×${height}`,
      );
    if (width > 65536 || height > 65536)
      throw new VoxmarkError(ErrorCode.TooLarge, `Mask size ${width}×${height} exceeds 65536×65536`);
    this.width = width;
    this.height = height;
    this.tilesX = Math.ceil(width / TILE_SIZE);
    this.tilesY = Math.ceil(height / TILE_SIZE);
    this.tiles = new Map();
    this.owned = new Set();
  }

  /** Builds a frozen mask from a full-size row-major array (non-zero = inside). */
  static fromFull(data: ArrayLike<number>, width: number, height: number): SparseMask {
    if (data.length !== width * height)
      throw new VoxmarkError(
        ErrorCode.InvalidArgument,
        `Mask data has ${data.length} values, expected ${width}×${height} = ${width * height}`,
      );
    return SparseMask.fromRegion(data, [0, 0, width, height], width, height);
  }

  /** Builds a frozen mask from a bbox-sized row-major array placed at `bbox` = [x, y, w, h]. */
  static fromRegion(
    data: ArrayLike<number>,
    bbox: readonly [number, number, number, number],
    width: number,
    height: number,
  ): SparseMask {
    const [bx, by, bw, bh] = bbox;
    if (data.length !== bw * bh)
      throw new VoxmarkError(
        ErrorCode.InvalidArgument,
        `Mask region has ${data.length} values, expected ${bw * bh}`,
      );
    const m = new SparseMask(width, height);
    for (let y = 0; y < bh; y++) {
      const iy = by + y;
      if (iy < 0 || iy >= height) continue;
      const row = y * bw;
      for (let x = 0; x < bw; x++) {
        if (!data[row + x]) continue;
        const ix = bx + x;
        if (ix < 0 || ix >= width) continue;
        m.writePixel(ix, iy, 1);
      }
    }
    m.dirty = null;
    m.changed = null;
    return m.freeze();
  }

  /** True once frozen (immutable). */
  get frozen(): boolean {
    return this.owned === null;
  }

  /** Number of allocated tiles. */
  get tileCount(): number {
    return this.tiles.size;
  }

  /** Bytes of tile storage this mask references (shared tiles included). */
  get bytes(): number {
    return this.tiles.size * TILE_BYTES;
  }

  /** Bytes of tiles this draft allocated itself (what an undo memo of this edit costs). */
  get ownedBytes(): number {
    return (this.owned?.size ?? this.lastOwned) * TILE_BYTES;
  }
  private lastOwned = 0;

  /** A draft sharing every tile with this mask. */
  clone(): SparseMask {
    const m = new SparseMask(this.width, this.height);
    for (const [k, t] of this.tiles) m.tiles.set(k, t);
    return m;
  }

  /** Makes this mask immutable: drops tiles that became empty and computes per-tile bounds. Returns this. */
  freeze(): this {
    if (!this.owned) return this;
    let owned = 0;
    for (const key of this.owned) {
      const tile = this.tiles.get(key);
      if (!tile) continue;
      computeTileStats(tile);
      if (tile.count === 0) this.tiles.delete(key);
      else owned++;
    }
    this.lastOwned = owned;
    this.owned = null;
    this.cachedBBox = undefined;
    this.cachedArea = -1;
    return this;
  }

  /** 1 when (x, y) is inside, else 0. Outside the image is 0. */
  get(x: number, y: number): number {
    if (x < 0 || y < 0 || x >= this.width || y >= this.height) return 0;
    const tile = this.tiles.get(((y / TILE_SIZE) | 0) * this.tilesX + ((x / TILE_SIZE) | 0));
    return tile ? tile.data[(y % TILE_SIZE) * TILE_SIZE + (x % TILE_SIZE)]! : 0;
  }

  /** Sets one pixel (draft only). */
  setPixel(x: number, y: number, value: 0 | 1): void {
    if (x < 0 || y < 0 || x >= this.width || y >= this.height) return;
    this.writePixel(x, y, value);
    this.markDirty(x, y, 1, 1);
  }

  /**
   * Sets pixels x0..x1-1 of row y to `value` (draft only), clipped to the image. When `accept` is given, only
   * pixels for which accept(x, y) is true are written (threshold brush). Returns how many pixels changed.
   */
  fillSpan(
    y: number,
    x0: number,
    x1: number,
    value: 0 | 1,
    accept?: (x: number, y: number) => boolean,
  ): number {
    if (y < 0 || y >= this.height) return 0;
    x0 = Math.max(0, x0);
    x1 = Math.min(this.width, x1);
    if (x1 <= x0) return 0;
    const ty = (y / TILE_SIZE) | 0;
    const ry = (y % TILE_SIZE) * TILE_SIZE;
    let changed = 0;
    let x = x0;
    while (x < x1) {
      const tx = (x / TILE_SIZE) | 0;
      const end = Math.min(x1, (tx + 1) * TILE_SIZE);
      const key = ty * this.tilesX + tx;
      let tile = this.tiles.get(key);
      if (!tile && value === 0) {
        x = end;
        continue;
      }
      const base = ry - tx * TILE_SIZE;
      if (tile && !this.owned?.has(key) && !spanDiffers(tile.data, base, x, end, value, y, accept)) {
        x = end; // shared tile already holds these values: do not copy it
        continue;
      }
      tile = this.writableTile(key);
      const d = tile.data;
      for (let px = x; px < end; px++) {
        if (accept && !accept(px, y)) continue;
        const i = base + px;
        if (d[i] !== value) {
          d[i] = value;
          changed++;
        }
      }
      x = end;
    }
    if (changed) this.markDirty(x0, y, x1 - x0, 1);
    return changed;
  }

  /** Sets every pixel to 0 (draft only). */
  clear(): void {
    const b = this.bbox();
    this.assertDraft();
    for (const key of [...this.tiles.keys()]) {
      this.tiles.delete(key);
      this.owned!.delete(key);
    }
    if (b) this.markDirty(b[0], b[1], b[2], b[3]);
  }

  /** The rectangle changed since the last call (or null), and resets it. */
  takeDirty(): Rect | null {
    const d = this.dirty;
    this.dirty = null;
    return d;
  }

  /** Tight bounding box [x, y, w, h] of the set pixels, or null when empty. O(tiles). */
  bbox(): [number, number, number, number] | null {
    if (this.owned === null && this.cachedBBox !== undefined) return this.cachedBBox;
    let x0 = Infinity;
    let y0 = Infinity;
    let x1 = -Infinity;
    let y1 = -Infinity;
    for (const [key, tile] of this.tiles) {
      if (this.owned) computeTileStats(tile);
      if (tile.count === 0) continue;
      const ox = (key % this.tilesX) * TILE_SIZE;
      const oy = Math.floor(key / this.tilesX) * TILE_SIZE;
      x0 = Math.min(x0, ox + tile.x0);
      y0 = Math.min(y0, oy + tile.y0);
      x1 = Math.max(x1, ox + tile.x1);
      y1 = Math.max(y1, oy + tile.y1);
    }
    const result: [number, number, number, number] | null =
      x0 === Infinity ? null : [x0, y0, x1 - x0, y1 - y0];
    if (this.owned === null) this.cachedBBox = result;
    return result;
  }

  /** Number of set pixels. O(tiles). */
  area(): number {
    if (this.owned === null && this.cachedArea >= 0) return this.cachedArea;
    let n = 0;
    for (const tile of this.tiles.values()) {
      if (this.owned) computeTileStats(tile);
      n += tile.count;
    }
    if (this.owned === null) this.cachedArea = n;
    return n;
  }

  /** True when no pixel is set. */
  isEmpty(): boolean {
    return this.area() === 0;
  }

  /**
   * Calls fn for every allocated tile with its pixel origin and data (TILE_SIZE × TILE_SIZE, row-major;
   * edge tiles are padded). Never visits unpainted parts of the image.
   */
  forEachTile(fn: (x: number, y: number, data: Uint8Array) => void): void {
    for (const [key, tile] of this.tiles)
      fn((key % this.tilesX) * TILE_SIZE, Math.floor(key / this.tilesX) * TILE_SIZE, tile.data);
  }

  /** Copies the pixels of `rect` (clipped to the image) into `out` (rect-sized, row-major), OR-ing `value`. */
  readRect(rect: Rect, out: Uint8Array, value = 1): void {
    const { x: rx, y: ry, width: rw, height: rh } = rect;
    const tx0 = Math.max(0, Math.floor(rx / TILE_SIZE));
    const ty0 = Math.max(0, Math.floor(ry / TILE_SIZE));
    const tx1 = Math.min(this.tilesX - 1, Math.floor((rx + rw - 1) / TILE_SIZE));
    const ty1 = Math.min(this.tilesY - 1, Math.floor((ry + rh - 1) / TILE_SIZE));
    for (let ty = ty0; ty <= ty1; ty++) {
      for (let tx = tx0; tx <= tx1; tx++) {
        const tile = this.tiles.get(ty * this.tilesX + tx);
        if (!tile) continue;
        const ox = tx * TILE_SIZE;
        const oy = ty * TILE_SIZE;
        const x0 = Math.max(rx, ox);
        const x1 = Math.min(rx + rw, ox + TILE_SIZE, this.width);
        const y0 = Math.max(ry, oy);
        const y1 = Math.min(ry + rh, oy + TILE_SIZE, this.height);
        const d = tile.data;
        for (let y = y0; y < y1; y++) {
          const src = (y - oy) * TILE_SIZE - ox;
          const dst = (y - ry) * rw - rx;
          for (let x = x0; x < x1; x++) if (d[src + x]) out[dst + x] = value;
        }
      }
    }
  }

  /** The set pixels inside the mask's bbox, or null when empty. */
  region(): MaskRegion | null {
    const bbox = this.bbox();
    if (!bbox) return null;
    const data = new Uint8Array(bbox[2] * bbox[3]);
    this.readRect({ x: bbox[0], y: bbox[1], width: bbox[2], height: bbox[3] }, data);
    return { bbox, width: bbox[2], height: bbox[3], data };
  }

  /** The whole mask as a full-size row-major array (width × height), 1 = inside. */
  toFull(): Uint8Array {
    const out = new Uint8Array(this.width * this.height);
    this.readRect({ x: 0, y: 0, width: this.width, height: this.height }, out);
    return out;
  }

  /** True when both masks have the same pixels. */
  equals(other: SparseMask): boolean {
    if (other.width !== this.width || other.height !== this.height) return false;
    const keys = new Set([...this.tiles.keys(), ...other.tiles.keys()]);
    for (const key of keys) {
      const a = this.tiles.get(key)?.data;
      const b = other.tiles.get(key)?.data;
      if (a === b) continue;
      for (let i = 0; i < TILE_PIXELS; i++) if ((a ? a[i]! : 0) !== (b ? b[i]! : 0)) return false;
    }
    return true;
  }

  private assertDraft(): void {
    if (!this.owned)
      throw new VoxmarkError(ErrorCode.InvalidArgument, 'This mask is frozen: clone() it to edit');
  }

  private writableTile(key: number): Tile {
    this.assertDraft();
    let tile = this.tiles.get(key);
    if (tile && this.owned!.has(key)) return tile;
    tile = tile
      ? { data: tile.data.slice(), count: 0, x0: 0, y0: 0, x1: 0, y1: 0 }
      : { data: new Uint8Array(TILE_PIXELS), count: 0, x0: 0, y0: 0, x1: 0, y1: 0 };
    this.tiles.set(key, tile);
    this.owned!.add(key);
    return tile;
  }

  private writePixel(x: number, y: number, value: 0 | 1): void {
    const key = ((y / TILE_SIZE) | 0) * this.tilesX + ((x / TILE_SIZE) | 0);
    if (value === 0 && !this.tiles.has(key)) return;
    this.writableTile(key).data[(y % TILE_SIZE) * TILE_SIZE + (x % TILE_SIZE)] = value;
  }

  /** Everything this draft changed since it was cloned (kept after freezing), or null. */
  get changedRect(): Rect | null {
    return this.changed;
  }

  private markDirty(x: number, y: number, w: number, h: number): void {
    this.changed = unionRect(this.changed, { x, y, width: w, height: h });
    const d = this.dirty;
    if (!d) {
      this.dirty = { x, y, width: w, height: h };
      return;
    }
    const x0 = Math.min(d.x, x);
    const y0 = Math.min(d.y, y);
    d.width = Math.max(d.x + d.width, x + w) - x0;
    d.height = Math.max(d.y + d.height, y + h) - y0;
    d.x = x0;
    d.y = y0;
  }
}

function spanDiffers(
  d: Uint8Array,
  base: number,
  x0: number,
  x1: number,
  value: number,
  y: number,
  accept: ((x: number, y: number) => boolean) | undefined,
): boolean {
  for (let px = x0; px < x1; px++) if (d[base + px] !== value && (!accept || accept(px, y))) return true;
  return false;
}

function computeTileStats(tile: Tile): void {
  const d = tile.data;
  let count = 0;
  let x0 = TILE_SIZE;
  let y0 = TILE_SIZE;
  let x1 = 0;
  let y1 = 0;
  for (let y = 0; y < TILE_SIZE; y++) {
    const row = y * TILE_SIZE;
    let rowAny = false;
    for (let x = 0; x < TILE_SIZE; x++) {
      if (d[row + x]) {
        count++;
        rowAny = true;
        if (x < x0) x0 = x;
        if (x + 1 > x1) x1 = x + 1;
      }
    }
    if (rowAny) {
      if (y < y0) y0 = y;
      y1 = y + 1;
    }
  }
  tile.count = count;
  tile.x0 = x0;
  tile.y0 = y0;
  tile.x1 = x1;
  tile.y1 = y1;
}
