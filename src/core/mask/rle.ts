/**
 * COCO run-length encoding, exactly as pycocotools (`maskApi.c`) does it: runs are counted over the mask in
 * column-major (Fortran) order starting with a run of zeros, and the compressed `counts` string stores each
 * count (from the fourth on, as the difference to the count two before) in a LEB128-like code of 5 data bits
 * per character, offset into the ASCII range 48–111.
 *
 * voxmark masks in memory are row-major (`data[y * width + x]`); these functions transpose on the fly.
 */
import { ErrorCode, VoxmarkError } from '../errors.js';

/** A COCO RLE object: `size` is [height, width]; `counts` is the compressed string or the plain run list. */
export interface CocoRle {
  size: [number, number];
  counts: string | number[];
}

/** Largest mask, in pixels, the RLE functions accept (counts must fit in 32 bits). */
export const MAX_RLE_PIXELS = 2 ** 31 - 1;

function checkSize(width: number, height: number): void {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 0 || height < 0) {
    throw new VoxmarkError(ErrorCode.InvalidArgument, `Invalid mask size ${width}×${height}`);
  }
  if (width * height > MAX_RLE_PIXELS) {
    throw new VoxmarkError(ErrorCode.TooLarge, `A ${width}×${height} mask is too large for RLE`);
  }
}

const SCRATCH_KEEP = 1 << 20;
let scratch: Uint32Array = new Uint32Array(4096);

/** A larger run buffer with the same contents; kept for the next call unless it is very large. */
function grow(cnts: Uint32Array, max: number): Uint32Array {
  const next = new Uint32Array(Math.min(max, cnts.length * 4));
  next.set(cnts);
  if (next.length <= SCRATCH_KEEP) scratch = next;
  return next;
}

/**
 * Run lengths of a row-major mask region in column-major order (pycocotools' `rleEncode`). Non-zero is inside.
 * `region` = [x, y, w, h] restricts the encoding to that rectangle of the `width` × `height` mask.
 */
export function maskToCounts(
  mask: ArrayLike<number>,
  width: number,
  height: number,
  region: readonly [number, number, number, number] = [0, 0, width, height],
): Uint32Array {
  checkSize(width, height);
  if (mask.length < width * height) {
    throw new VoxmarkError(
      ErrorCode.InvalidArgument,
      `Mask has ${mask.length} values, expected ${width}×${height}`,
    );
  }
  const [rx, ry, rw, rh] = region;
  if (![rx, ry, rw, rh].every((v) => Number.isInteger(v) && v >= 0) || rx + rw > width || ry + rh > height) {
    throw new VoxmarkError(
      ErrorCode.InvalidArgument,
      `Region [${region.join(', ')}] lies outside ${width}×${height}`,
    );
  }
  let k = 0;
  let p = 0;
  let c = 0;
  // Runs go into a shared scratch buffer that grows on demand (at most rw*rh+1 runs).
  let cnts = scratch;
  for (let x = rx; x < rx + rw; x++) {
    let i = ry * width + x;
    for (let y = 0; y < rh; y++, i += width) {
      const v = mask[i] ? 1 : 0;
      if (v !== p) {
        if (k === cnts.length) cnts = grow(cnts, rw * rh + 1);
        cnts[k++] = c;
        c = 0;
        p = v;
      }
      c++;
    }
  }
  if (k === cnts.length) cnts = grow(cnts, rw * rh + 1);
  cnts[k++] = c;
  return cnts.slice(0, k);
}

/** pycocotools' `rleToString`: compresses run lengths into the COCO counts string. */
export function countsToString(cnts: ArrayLike<number>): string {
  const m = cnts.length;
  const out: number[] = [];
  for (let i = 0; i < m; i++) {
    let x = cnts[i]!;
    if (i > 2) x -= cnts[i - 2]!;
    let more = true;
    while (more) {
      let c = x & 0x1f;
      x >>= 5;
      more = c & 0x10 ? x !== -1 : x !== 0;
      if (more) c |= 0x20;
      out.push(c + 48);
    }
  }
  let s = '';
  for (let i = 0; i < out.length; i += 8192) s += String.fromCharCode(...out.slice(i, i + 8192));
  return s;
}

/** pycocotools' `rleFrString`: the run lengths of a COCO counts string. Throws 'corrupt' on bad input. */
export function stringToCounts(s: string): Uint32Array {
  const cnts = new Uint32Array(s.length);
  let m = 0;
  let p = 0;
  while (p < s.length) {
    let x = 0;
    let k = 0;
    let more = true;
    while (more) {
      if (p >= s.length) throw new VoxmarkError(ErrorCode.Corrupt, 'RLE counts string ends mid-number');
      const c = s.charCodeAt(p) - 48;
      if (c < 0 || c > 63) throw new VoxmarkError(ErrorCode.Corrupt, `Invalid RLE character at ${p}`);
      if (k > 6) throw new VoxmarkError(ErrorCode.Corrupt, `RLE count too long at ${p}`);
      x += (c & 0x1f) * 2 ** (5 * k);
      more = (c & 0x20) !== 0;
      p++;
      k++;
      if (!more && c & 0x10) x -= 2 ** (5 * k);
    }
    if (m > 2) x += cnts[m - 2]!;
    if (x < 0 || x > MAX_RLE_PIXELS) throw new VoxmarkError(ErrorCode.Corrupt, 'RLE count out of range');
    cnts[m++] = x;
  }
  return cnts.slice(0, m);
}

function countsOf(rle: CocoRle): ArrayLike<number> {
  if (typeof rle.counts === 'string') return stringToCounts(rle.counts);
  // Plain counts come from other tools' JSON: a negative or fractional run would shift every run after it.
  const counts = rle.counts as unknown;
  if (counts instanceof Uint32Array) return counts;
  if (!Array.isArray(counts) || !counts.every((n) => Number.isInteger(n) && n >= 0)) {
    throw new VoxmarkError(ErrorCode.Corrupt, 'RLE counts must be non-negative integers');
  }
  return rle.counts;
}

/** Encodes a row-major mask (non-zero = inside) as compressed COCO RLE, as `pycocotools.mask.encode` would. */
export function encodeRle(mask: ArrayLike<number>, width: number, height: number): CocoRle {
  return { size: [height, width], counts: countsToString(maskToCounts(mask, width, height)) };
}

/**
 * Decodes COCO RLE (compressed or plain counts) into a row-major 0/1 mask of size[1] × size[0].
 * Throws 'corrupt' when the runs do not add up to the mask size.
 */
export function decodeRle(rle: CocoRle, out?: Uint8Array): Uint8Array {
  const [h, w] = rle.size;
  checkSize(w, h);
  const cnts = countsOf(rle);
  const mask = out ?? new Uint8Array(w * h);
  if (out) {
    if (out.length !== w * h)
      throw new VoxmarkError(ErrorCode.InvalidArgument, 'Output mask has the wrong size');
    out.fill(0);
  }
  fillRuns(cnts, mask, w, [0, 0, w, h]);
  return mask;
}

/**
 * Writes `value` at the inside pixels of column-major runs covering `region` of a row-major image of width
 * `stride` that starts at `offset` in `target`. Throws 'corrupt' when the runs do not cover the region exactly.
 */
function fillRuns(
  cnts: ArrayLike<number>,
  target: Uint8Array | Uint16Array,
  stride: number,
  region: readonly [number, number, number, number],
  value = 1,
  offset = 0,
): void {
  const [rx, ry, rw, rh] = region;
  const total = rw * rh;
  let pos = 0;
  for (let j = 0; j < cnts.length; j++) {
    const n = cnts[j]!;
    if (pos + n > total) throw new VoxmarkError(ErrorCode.Corrupt, 'RLE runs exceed the mask size');
    if (j & 1) {
      // Walk the run column by column: one strided loop per column it touches.
      let q = pos;
      const end = pos + n;
      while (q < end) {
        const col = (q / rh) | 0;
        const row = q - col * rh;
        const stop = Math.min(end, (col + 1) * rh);
        let i = offset + (ry + row) * stride + rx + col;
        for (let r = q; r < stop; r++, i += stride) target[i] = value;
        q = stop;
      }
    }
    pos += n;
  }
  if (pos !== total) throw new VoxmarkError(ErrorCode.Corrupt, `RLE runs cover ${pos} of ${total} pixels`);
}

/**
 * Paints a region RLE ({ rle, bbox }) with `value` into `target`, a row-major `width` × `height` image starting
 * at `offset` (e.g. one slice of a labelmap volume). Pixels outside the mask are left as they are.
 */
export function paintRegionRle(
  region: { rle: string; bbox: readonly [number, number, number, number] },
  target: Uint8Array | Uint16Array,
  width: number,
  height: number,
  value: number,
  offset = 0,
): void {
  const [x, y, w, h] = region.bbox;
  if (![x, y, w, h].every((v) => Number.isInteger(v) && v >= 0) || x + w > width || y + h > height) {
    throw new VoxmarkError(
      ErrorCode.Corrupt,
      `Mask bbox [${region.bbox.join(', ')}] lies outside ${width}×${height}`,
    );
  }
  if (offset + width * height > target.length)
    throw new VoxmarkError(ErrorCode.InvalidArgument, 'Target too small');
  fillRuns(stringToCounts(region.rle), target, width, [x, y, w, h], value, offset);
}

/** Area (pixels inside) of COCO RLE, as `pycocotools.mask.area`. */
export function rleArea(rle: CocoRle | ArrayLike<number>): number {
  const cnts = 'size' in rle ? countsOf(rle) : rle;
  let a = 0;
  for (let j = 1; j < cnts.length; j += 2) a += cnts[j]!;
  return a;
}

/** Bounding box [x, y, w, h] of COCO RLE, as `pycocotools.mask.toBbox` (all zeros when empty). */
export function rleToBbox(rle: CocoRle): [number, number, number, number] {
  const [h] = rle.size;
  const cnts = countsOf(rle);
  const m = cnts.length & ~1; // a trailing run of zeros does not matter
  if (m === 0) return [0, 0, 0, 0];
  let xs = Infinity;
  let ys = Infinity;
  let xe = 0;
  let ye = 0;
  let cc = 0;
  let xp = 0;
  for (let j = 0; j < m; j++) {
    cc += cnts[j]!;
    const t = cc - (j % 2);
    const y = t % h;
    const x = (t - y) / h;
    if (j % 2 === 0) xp = x;
    else if (xp < x) {
      ys = 0;
      ye = h - 1;
    }
    xs = Math.min(xs, x);
    xe = Math.max(xe, x);
    ys = Math.min(ys, y);
    ye = Math.max(ye, y);
  }
  return [xs, ys, xe - xs + 1, ye - ys + 1];
}

/** The tight bounding box [x, y, w, h] of the non-zero pixels of a row-major mask, or null when empty. */
export function maskBounds(
  mask: ArrayLike<number>,
  width: number,
  height: number,
): [number, number, number, number] | null {
  let x0 = width;
  let x1 = -1;
  let y0 = -1;
  let y1 = -1;
  for (let y = 0; y < height; y++) {
    const row = y * width;
    let first = -1;
    for (let x = 0; x < width; x++) {
      if (mask[row + x]) {
        first = x;
        break;
      }
    }
    if (first < 0) continue;
    if (y0 < 0) y0 = y;
    y1 = y;
    if (first < x0) x0 = first;
    for (let x = width - 1; x > x1; x--) {
      if (mask[row + x]) {
        x1 = x;
        break;
      }
    }
  }
  if (y0 < 0) return null;
  return [x0, y0, x1 - x0 + 1, y1 - y0 + 1];
}

/** The voxmark serialized mask: compressed RLE of the tight bbox region of a row-major mask, or null when empty. */
export function maskToRegionRle(
  mask: ArrayLike<number>,
  width: number,
  height: number,
): { rle: string; bbox: [number, number, number, number] } | null {
  checkSize(width, height);
  const bbox = maskBounds(mask, width, height);
  if (!bbox) return null;
  return { rle: countsToString(maskToCounts(mask, width, height, bbox)), bbox };
}

/**
 * Paints a region RLE ({ rle, bbox }) into a row-major mask of `width` × `height` (allocated when `out` is
 * not given). Throws 'corrupt' when the bbox lies outside the mask or the runs do not fit it.
 */
export function regionRleToMask(
  region: { rle: string; bbox: readonly [number, number, number, number] },
  width: number,
  height: number,
  out?: Uint8Array,
): Uint8Array {
  checkSize(width, height);
  const [x, y, w, h] = region.bbox;
  if (![x, y, w, h].every((v) => Number.isInteger(v) && v >= 0) || x + w > width || y + h > height) {
    throw new VoxmarkError(
      ErrorCode.Corrupt,
      `Mask bbox [${region.bbox.join(', ')}] lies outside ${width}×${height}`,
    );
  }
  const mask = out ?? new Uint8Array(width * height);
  fillRuns(stringToCounts(region.rle), mask, width, [x, y, w, h]);
  return mask;
}

/** Pixels inside a region RLE. */
export function regionRleArea(region: { rle: string }): number {
  return rleArea(stringToCounts(region.rle));
}

/**
 * Converts a region RLE to the run lengths of the full `width` × `height` image, working on runs only
 * (O(runs + columns), no pixels touched).
 */
export function regionCountsToFull(
  cnts: ArrayLike<number>,
  bbox: readonly [number, number, number, number],
  width: number,
  height: number,
): number[] {
  const [rx, ry, rw, rh] = bbox;
  if (rx + rw > width || ry + rh > height) {
    throw new VoxmarkError(
      ErrorCode.Corrupt,
      `Mask bbox [${bbox.join(', ')}] lies outside ${width}×${height}`,
    );
  }
  const out: number[] = [];
  let cur = 0;
  let c = 0;
  const emit = (v: number, n: number) => {
    if (n === 0) return;
    if (v === cur) c += n;
    else {
      out.push(c);
      c = n;
      cur = v;
    }
  };
  emit(0, rx * height);
  let j = 0;
  let left = cnts.length > 0 ? cnts[0]! : 0;
  for (let col = 0; col < rw; col++) {
    emit(0, ry);
    let need = rh;
    while (need > 0) {
      while (left === 0) {
        j++;
        if (j >= cnts.length) throw new VoxmarkError(ErrorCode.Corrupt, 'RLE runs do not cover the mask');
        left = cnts[j]!;
      }
      const n = Math.min(left, need);
      emit(j & 1, n);
      left -= n;
      need -= n;
    }
    emit(0, height - ry - rh);
  }
  for (j++; j < cnts.length; j++)
    if (cnts[j]) throw new VoxmarkError(ErrorCode.Corrupt, 'RLE runs exceed the mask size');
  if (left) throw new VoxmarkError(ErrorCode.Corrupt, 'RLE runs exceed the mask size');
  emit(0, (width - rx - rw) * height);
  out.push(c);
  return out;
}

/** Converts a region RLE ({ rle, bbox }) to full-image COCO RLE (size [height, width]) without decoding pixels. */
export function regionRleToCoco(
  region: { rle: string; bbox: readonly [number, number, number, number] },
  width: number,
  height: number,
): CocoRle {
  checkSize(width, height);
  const full = regionCountsToFull(stringToCounts(region.rle), region.bbox, width, height);
  return { size: [height, width], counts: countsToString(full) };
}

/** Converts full-image COCO RLE to a region RLE of its tight bbox, or null when the mask is empty. */
export function cocoToRegionRle(
  rle: CocoRle,
): { rle: string; bbox: [number, number, number, number] } | null {
  const [h, w] = rle.size;
  const mask = decodeRle(rle);
  return maskToRegionRle(mask, w, h);
}
