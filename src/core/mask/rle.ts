import { ErrorCode, VoxmarkError } from '../errors.js';

/**
 * Run lengths of a binary image in column-major order (COCO convention): counts alternate between runs of 0
 * and runs of 1, starting with 0. `data` is row-major, `width` × `height`, non-zero = inside.
 */
export function rleCounts(data: ArrayLike<number>, width: number, height: number): number[] {
  const counts: number[] = [];
  let current = 0;
  let run = 0;
  for (let x = 0; x < width; x++) {
    for (let y = 0; y < height; y++) {
      const v = data[y * width + x] ? 1 : 0;
      if (v !== current) {
        counts.push(run);
        run = 0;
        current = v;
      }
      run++;
    }
  }
  counts.push(run);
  return counts;
}

/** Encodes run lengths as the compressed counts string that pycocotools writes (`rleToString`). */
export function countsToString(counts: readonly number[]): string {
  let s = '';
  for (let i = 0; i < counts.length; i++) {
    let x = counts[i]!;
    if (i > 2) x -= counts[i - 2]!;
    let more = true;
    while (more) {
      let c = x & 0x1f;
      x >>= 5;
      more = c & 0x10 ? x !== -1 : x !== 0;
      if (more) c |= 0x20;
      s += String.fromCharCode(c + 48);
    }
  }
  return s;
}

/** Decodes a pycocotools compressed counts string (`rleFrString`). Throws VoxmarkError('invalid-document'). */
export function stringToCounts(s: string): number[] {
  const counts: number[] = [];
  let p = 0;
  while (p < s.length) {
    let x = 0;
    let k = 0;
    let more = true;
    while (more) {
      if (p >= s.length) throw new VoxmarkError(ErrorCode.InvalidDocument, 'RLE string ends inside a count');
      const c = s.charCodeAt(p) - 48;
      if (c < 0 || c > 63)
        throw new VoxmarkError(ErrorCode.InvalidDocument, `RLE string has a bad character at ${p}`);
      x |= (c & 0x1f) << (5 * k);
      more = (c & 0x20) !== 0;
      p++;
      k++;
      if (!more && c & 0x10) x |= -1 << (5 * k);
      if (k > 7) throw new VoxmarkError(ErrorCode.InvalidDocument, 'RLE count too large');
    }
    if (counts.length > 2) x += counts[counts.length - 2]!;
    if (x < 0) throw new VoxmarkError(ErrorCode.InvalidDocument, 'RLE string has a negative run');
    counts.push(x);
  }
  return counts;
}

/** COCO compressed RLE string of a row-major binary image. */
export function encodeRle(data: ArrayLike<number>, width: number, height: number): string {
  return countsToString(rleCounts(data, width, height));
}

/** Decodes COCO RLE (string or counts) to a row-major Uint8Array (1 = inside). */
export function decodeRle(rle: string | readonly number[], width: number, height: number): Uint8Array {
  const counts = typeof rle === 'string' ? stringToCounts(rle) : rle;
  const out = new Uint8Array(width * height);
  const total = width * height;
  let pos = 0;
  let v = 0;
  for (const n of counts) {
    if (pos + n > total) throw new VoxmarkError(ErrorCode.InvalidDocument, 'RLE runs exceed the mask size');
    if (v) {
      for (let i = pos; i < pos + n; i++) {
        const x = (i / height) | 0;
        out[(i - x * height) * width + x] = 1;
      }
    }
    pos += n;
    v ^= 1;
  }
  if (pos !== total)
    throw new VoxmarkError(ErrorCode.InvalidDocument, `RLE runs cover ${pos} pixels, expected ${total}`);
  return out;
}
