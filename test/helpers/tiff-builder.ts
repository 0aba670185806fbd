/**
 * Builds TIFF files byte by byte for tests and benchmarks: any byte order, classic or BigTIFF, strips or
 * tiles, chunky or planar samples, compression none / LZW / deflate / PackBits, predictors 2 and 3, and extra
 * tags. Values are known, so decoders can be checked exactly; the bytes can then be damaged on purpose.
 */

export type Compression = 'none' | 'lzw' | 'deflate' | 'packbits';

export interface TiffTag {
  tag: number;
  /** TIFF field type: 1 BYTE, 2 ASCII, 3 SHORT, 4 LONG, 5 RATIONAL, 11 FLOAT, 12 DOUBLE, 16 LONG8, … */
  type: number;
  /** Numbers (a RATIONAL takes numerator, denominator pairs), or a string for ASCII. */
  values: number[] | string;
}

export interface TiffPageSpec {
  width: number;
  height: number;
  /** Samples per pixel. Default 1. */
  samples?: number;
  /** 8, 16, 32 or 64; 1–15 for packed unsigned integers; 16 with format 3 for half floats. Default 8. */
  bits?: number;
  /** 1 unsigned, 2 signed, 3 float. Default 1. */
  format?: number;
  /** Default 1 (BlackIsZero) for one sample, 2 (RGB) for three or more. */
  photometric?: number;
  /** 1 chunky (default) or 2 planar. */
  planar?: 1 | 2;
  /** Samples interleaved (RGBRGB…), row-major, whatever `planar` says about the file. */
  data: ArrayLike<number>;
  rowsPerStrip?: number;
  /** Tile width and height (multiples of 16). Strips when absent. */
  tile?: [number, number];
  compression?: Compression;
  predictor?: 1 | 2 | 3;
  description?: string;
  /** XResolution, YResolution (pixels per unit) and ResolutionUnit (1 none, 2 inch, 3 cm). */
  resolution?: [number, number, number];
  newSubfileType?: number;
  extraTags?: TiffTag[];
}

export interface TiffFileSpec {
  littleEndian?: boolean;
  bigTiff?: boolean;
}

const COMPRESSION_CODE: Record<Compression, number> = { none: 1, lzw: 5, deflate: 8, packbits: 32773 };
const TYPE_SIZE: Record<number, number> = {
  1: 1,
  2: 1,
  3: 2,
  4: 4,
  5: 8,
  6: 1,
  7: 1,
  8: 2,
  9: 4,
  10: 8,
  11: 4,
  12: 8,
  16: 8,
};

class Writer {
  bytes = new Uint8Array(1024);
  view = new DataView(this.bytes.buffer);
  length = 0;
  constructor(readonly le: boolean) {}
  ensure(n: number) {
    if (this.length + n <= this.bytes.length) return;
    let size = this.bytes.length * 2;
    while (size < this.length + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.bytes.subarray(0, this.length));
    this.bytes = next;
    this.view = new DataView(next.buffer);
  }
  align() {
    if (this.length % 2) this.u8(0);
  }
  u8(v: number) {
    this.ensure(1);
    this.view.setUint8(this.length++, v);
  }
  u16(v: number, at = -1) {
    if (at >= 0) return this.view.setUint16(at, v, this.le);
    this.ensure(2);
    this.view.setUint16(this.length, v, this.le);
    this.length += 2;
  }
  u32(v: number, at = -1) {
    if (at >= 0) return this.view.setUint32(at, v, this.le);
    this.ensure(4);
    this.view.setUint32(this.length, v, this.le);
    this.length += 4;
  }
  u64(v: number, at = -1) {
    const lo = v % 0x100000000;
    const hi = Math.floor(v / 0x100000000);
    const p = at >= 0 ? at : this.length;
    if (at < 0) {
      this.ensure(8);
      this.length += 8;
    }
    this.view.setUint32(p + (this.le ? 0 : 4), lo, this.le);
    this.view.setUint32(p + (this.le ? 4 : 0), hi, this.le);
  }
  raw(b: Uint8Array) {
    this.ensure(b.length);
    this.bytes.set(b, this.length);
    this.length += b.length;
  }
  done(): Uint8Array {
    return this.bytes.slice(0, this.length);
  }
}

/** Writes one sample value in the file's byte order. */
function putSample(view: DataView, at: number, v: number, bits: number, format: number, le: boolean) {
  if (format === 3) {
    if (bits === 16) view.setUint16(at, toHalf(v), le);
    else if (bits === 32) view.setFloat32(at, v, le);
    else view.setFloat64(at, v, le);
    return;
  }
  if (bits === 8) view.setUint8(at, v & 0xff);
  else if (bits === 16) view.setUint16(at, v & 0xffff, le);
  else if (bits === 32) view.setUint32(at, v >>> 0, le);
  else throw new Error(`tiff-builder: ${bits}-bit integers are not supported`);
}

/** IEEE half-precision bits of `v` (exact for values a half can hold; others are truncated). */
export function toHalf(v: number): number {
  const f = new DataView(new ArrayBuffer(4));
  f.setFloat32(0, v);
  const x = f.getUint32(0);
  const sign = (x >>> 16) & 0x8000;
  const exp = ((x >>> 23) & 0xff) - 127 + 15;
  const mant = x & 0x7fffff;
  if (((x >>> 23) & 0xff) === 0) return sign;
  if (exp >= 31) return sign | 0x7c00;
  if (exp <= 0) return sign | ((mant | 0x800000) >>> (14 - exp));
  return sign | (exp << 10) | (mant >>> 13);
}

/** Sample `s` of pixel (x, y), or 0 outside the image (the padding of edge tiles). */
function sampleAt(page: TiffPageSpec, x: number, y: number, s: number): number {
  if (x >= page.width || y >= page.height) return 0;
  return page.data[(y * page.width + x) * (page.samples ?? 1) + s]!;
}

/** Samples of 1–7 or 9–15 bits, packed MSB first, each row starting on a byte boundary. */
function packedBlock(
  page: TiffPageSpec,
  x0: number,
  y0: number,
  bw: number,
  bh: number,
  plane: number,
): Uint8Array {
  const spp = page.samples ?? 1;
  const bits = page.bits ?? 8;
  const per = page.planar === 2 ? 1 : spp;
  const rowBytes = Math.ceil((bw * per * bits) / 8);
  const out = new Uint8Array(rowBytes * bh);
  for (let y = 0; y < bh; y++) {
    let bit = y * rowBytes * 8;
    for (let x = 0; x < bw; x++) {
      for (let s = 0; s < per; s++) {
        const v = sampleAt(page, x0 + x, y0 + y, page.planar === 2 ? plane : s);
        for (let b = bits - 1; b >= 0; b--, bit++) {
          if ((v >>> b) & 1) out[bit >> 3] = out[bit >> 3]! | (0x80 >> (bit & 7));
        }
      }
    }
  }
  return out;
}

/** Raw bytes of one block (strip or tile) of one plane (or all samples when chunky), before compression. */
function blockBytes(
  page: TiffPageSpec,
  le: boolean,
  x0: number,
  y0: number,
  bw: number,
  bh: number,
  plane: number,
): Uint8Array {
  const spp = page.samples ?? 1;
  const bits = page.bits ?? 8;
  const format = page.format ?? 1;
  if (bits % 8 !== 0) return packedBlock(page, x0, y0, bw, bh, plane);
  const bps = bits / 8;
  const planar = page.planar === 2;
  const per = planar ? 1 : spp;
  const out = new Uint8Array(bw * bh * per * bps);
  const view = new DataView(out.buffer);
  for (let y = 0; y < bh; y++) {
    for (let x = 0; x < bw; x++) {
      for (let s = 0; s < per; s++) {
        const v = sampleAt(page, x0 + x, y0 + y, planar ? plane : s);
        putSample(view, ((y * bw + x) * per + s) * bps, v, bits, format, le);
      }
    }
  }
  return applyPredictor(out, page.predictor ?? 1, bw, bh, per, bps, le);
}

function applyPredictor(
  block: Uint8Array,
  predictor: number,
  w: number,
  h: number,
  stride: number,
  bps: number,
  le: boolean,
): Uint8Array {
  if (predictor === 1) return block;
  const rowBytes = w * stride * bps;
  const view = new DataView(block.buffer);
  for (let y = 0; y < h; y++) {
    const start = y * rowBytes;
    if (predictor === 2) {
      // Differences from the right end backwards, so each uses the original left neighbour.
      for (let i = start + rowBytes - bps; i >= start + stride * bps; i -= bps) {
        const j = i - stride * bps;
        if (bps === 1) block[i] = (block[i]! - block[j]!) & 0xff;
        else if (bps === 2) view.setUint16(i, (view.getUint16(i, le) - view.getUint16(j, le)) & 0xffff, le);
        else view.setUint32(i, (view.getUint32(i, le) - view.getUint32(j, le)) >>> 0, le);
      }
    } else {
      // Floating point: split each row into byte planes (most significant first), then difference bytes.
      const row = block.slice(start, start + rowBytes);
      const wc = w * stride;
      const planes = new Uint8Array(rowBytes);
      for (let i = 0; i < wc; i++) {
        for (let b = 0; b < bps; b++) {
          planes[b * wc + i] = row[i * bps + (le ? bps - 1 - b : b)]!;
        }
      }
      for (let i = rowBytes - 1; i >= stride; i--) planes[i] = (planes[i]! - planes[i - stride]!) & 0xff;
      block.set(planes, start);
    }
  }
  return block;
}

/** TIFF LZW encoder (MSB-first, early change), emitting a clear code when the table fills. */
export function encodeLzw(input: Uint8Array): Uint8Array {
  let out = new Uint8Array(Math.max(64, input.length + (input.length >> 1)));
  let outLen = 0;
  let acc = 0;
  let accBits = 0;
  let codeLen = 9;
  const emit = (code: number) => {
    acc = ((acc << codeLen) | code) >>> 0;
    accBits += codeLen;
    while (accBits >= 8) {
      if (outLen === out.length) {
        const grown = new Uint8Array(out.length * 2);
        grown.set(out);
        out = grown;
      }
      out[outLen++] = (acc >>> (accBits - 8)) & 0xff;
      accBits -= 8;
    }
    acc &= (1 << accBits) - 1;
  };
  // Table lookup: (prefix code × 256 + byte) → code, valid when its stamp matches the current generation.
  const table = new Uint16Array(4096 * 256);
  const stamp = new Uint32Array(4096 * 256);
  let generation = 1;
  let next = 258;
  let codesSinceClear = 0;
  // The decoder adds a table entry one code later than the encoder, so the code width grows when the
  // encoder's next free code reaches a power of two.
  const grow = () => {
    if (next >= 1 << codeLen && codeLen < 12) codeLen++;
  };
  emit(256);
  let w = -1;
  for (let i = 0; i < input.length; i++) {
    const c = input[i]!;
    if (w < 0) {
      w = c;
      continue;
    }
    const key = w * 256 + c;
    if (stamp[key] === generation) {
      w = table[key]!;
      continue;
    }
    emit(w);
    codesSinceClear++;
    table[key] = next++;
    stamp[key] = generation;
    grow();
    if (next >= 4094) {
      emit(256);
      generation++;
      next = 258;
      codeLen = 9;
      codesSinceClear = 0;
    }
    w = c;
  }
  if (w >= 0) {
    emit(w);
    if (codesSinceClear > 0) {
      next++;
      grow();
    }
  }
  emit(257);
  const tail = accBits > 0 ? [(acc << (8 - accBits)) & 0xff] : [];
  const result = new Uint8Array(outLen + tail.length);
  result.set(out.subarray(0, outLen));
  result.set(tail, outLen);
  return result;
}

/** PackBits run-length encoding. */
export function encodePackBits(input: Uint8Array): Uint8Array {
  const out: number[] = [];
  let i = 0;
  while (i < input.length) {
    let run = 1;
    while (i + run < input.length && run < 128 && input[i + run] === input[i]) run++;
    if (run >= 2) {
      out.push((257 - run) & 0xff, input[i]!);
      i += run;
      continue;
    }
    const start = i;
    while (i < input.length && i - start < 128 && !(i + 1 < input.length && input[i + 1] === input[i])) i++;
    if (i === start) i++;
    out.push(i - start - 1);
    for (let k = start; k < i; k++) out.push(input[k]!);
  }
  return new Uint8Array(out);
}

/** zlib deflate through the browser's CompressionStream. */
export async function deflate(input: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([input as Uint8Array<ArrayBuffer>])
    .stream()
    .pipeThrough(new CompressionStream('deflate'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

async function compress(block: Uint8Array, c: Compression): Promise<Uint8Array> {
  if (c === 'lzw') return encodeLzw(block);
  if (c === 'deflate') return deflate(block);
  if (c === 'packbits') return encodePackBits(block);
  return block;
}

/** Builds a TIFF (or BigTIFF) file from page specs. */
export async function buildTiff(pages: TiffPageSpec[], file: TiffFileSpec = {}): Promise<Uint8Array> {
  const le = file.littleEndian ?? true;
  const big = file.bigTiff ?? false;
  const w = new Writer(le);
  w.u8(le ? 0x49 : 0x4d);
  w.u8(le ? 0x49 : 0x4d);
  w.u16(big ? 43 : 42);
  let nextLinkAt: number;
  if (big) {
    w.u16(8);
    w.u16(0);
    nextLinkAt = w.length;
    w.u64(0);
  } else {
    nextLinkAt = w.length;
    w.u32(0);
  }

  for (const page of pages) {
    const spp = page.samples ?? 1;
    const bits = page.bits ?? 8;
    const compression = page.compression ?? 'none';
    const planes = page.planar === 2 ? spp : 1;
    const blocks: Uint8Array[] = [];
    let bw: number;
    let bh: number;
    let across: number;
    let down: number;
    if (page.tile) {
      [bw, bh] = page.tile;
      across = Math.ceil(page.width / bw);
      down = Math.ceil(page.height / bh);
    } else {
      bw = page.width;
      bh = Math.min(page.rowsPerStrip ?? page.height, page.height);
      across = 1;
      down = Math.ceil(page.height / bh);
    }
    for (let p = 0; p < planes; p++) {
      for (let ty = 0; ty < down; ty++) {
        for (let tx = 0; tx < across; tx++) {
          const rows = page.tile ? bh : Math.min(bh, page.height - ty * bh);
          const raw = blockBytes(page, le, tx * bw, ty * bh, bw, rows, p);
          blocks.push(await compress(raw, compression));
        }
      }
    }
    // Pixel data first, then the IFD.
    const offsets: number[] = [];
    for (const b of blocks) {
      w.align();
      offsets.push(w.length);
      w.raw(b);
    }
    const offsetType = big ? 16 : 4;
    const tags: TiffTag[] = [
      { tag: 256, type: 4, values: [page.width] },
      { tag: 257, type: 4, values: [page.height] },
      { tag: 258, type: 3, values: new Array<number>(spp).fill(bits) },
      { tag: 259, type: 3, values: [COMPRESSION_CODE[compression]] },
      { tag: 262, type: 3, values: [page.photometric ?? (spp >= 3 ? 2 : 1)] },
      { tag: 277, type: 3, values: [spp] },
      { tag: 284, type: 3, values: [page.planar ?? 1] },
      { tag: 339, type: 3, values: new Array<number>(spp).fill(page.format ?? 1) },
    ];
    if (page.newSubfileType !== undefined) tags.push({ tag: 254, type: 4, values: [page.newSubfileType] });
    if (page.description !== undefined) tags.push({ tag: 270, type: 2, values: page.description });
    if (page.predictor && page.predictor !== 1) tags.push({ tag: 317, type: 3, values: [page.predictor] });
    if (page.resolution) {
      const [xr, yr, unit] = page.resolution;
      tags.push({ tag: 282, type: 5, values: rational(xr) });
      tags.push({ tag: 283, type: 5, values: rational(yr) });
      tags.push({ tag: 296, type: 3, values: [unit] });
    }
    if (page.tile) {
      tags.push({ tag: 322, type: 3, values: [bw] });
      tags.push({ tag: 323, type: 3, values: [bh] });
      tags.push({ tag: 324, type: offsetType, values: offsets });
      tags.push({ tag: 325, type: 4, values: blocks.map((b) => b.length) });
    } else {
      tags.push({ tag: 273, type: offsetType, values: offsets });
      tags.push({ tag: 278, type: 4, values: [bh] });
      tags.push({ tag: 279, type: 4, values: blocks.map((b) => b.length) });
    }
    for (const t of page.extraTags ?? []) tags.push(t);
    tags.sort((a, b) => a.tag - b.tag);
    const ifdOffset = writeIfd(w, tags, big);
    if (big) w.u64(ifdOffset, nextLinkAt);
    else w.u32(ifdOffset, nextLinkAt);
    nextLinkAt = w.length - (big ? 8 : 4);
  }
  return w.done();
}

function rational(v: number): number[] {
  const den = 10000;
  return [Math.round(v * den), den];
}

/** Writes out-of-line values, then the IFD; returns the IFD's offset. Its next-IFD link is the last field. */
function writeIfd(w: Writer, tags: TiffTag[], big: boolean): number {
  const inline = big ? 8 : 4;
  const encoded = tags.map((t) => encodeValues(t, w.le));
  const valueOffsets: number[] = [];
  for (const bytes of encoded) {
    if (bytes.length > inline) {
      w.align();
      valueOffsets.push(w.length);
      w.raw(bytes);
    } else valueOffsets.push(-1);
  }
  w.align();
  const at = w.length;
  if (big) w.u64(tags.length);
  else w.u16(tags.length);
  tags.forEach((t, i) => {
    const bytes = encoded[i]!;
    const count =
      typeof t.values === 'string' ? bytes.length : t.type === 5 ? t.values.length / 2 : t.values.length;
    w.u16(t.tag);
    w.u16(t.type);
    if (big) w.u64(count);
    else w.u32(count);
    if (valueOffsets[i]! >= 0) {
      if (big) w.u64(valueOffsets[i]!);
      else w.u32(valueOffsets[i]!);
    } else {
      const padded = new Uint8Array(inline);
      padded.set(bytes);
      w.raw(padded);
    }
  });
  if (big) w.u64(0);
  else w.u32(0);
  return at;
}

function encodeValues(t: TiffTag, le: boolean): Uint8Array {
  if (typeof t.values === 'string') {
    const text = new TextEncoder().encode(t.values);
    const out = new Uint8Array(text.length + 1);
    out.set(text);
    return out;
  }
  const size = TYPE_SIZE[t.type]!;
  const n = t.type === 5 ? t.values.length / 2 : t.values.length;
  const out = new Uint8Array(n * size);
  const view = new DataView(out.buffer);
  t.values.forEach((v, i) => {
    switch (t.type) {
      case 1:
      case 7:
        view.setUint8(i, v);
        break;
      case 3:
        view.setUint16(i * 2, v, le);
        break;
      case 4:
        view.setUint32(i * 4, v, le);
        break;
      case 5:
        view.setUint32(i * 4, v, le);
        break;
      case 11:
        view.setFloat32(i * 4, v, le);
        break;
      case 12:
        view.setFloat64(i * 8, v, le);
        break;
      case 16: {
        const lo = v % 0x100000000;
        const hi = Math.floor(v / 0x100000000);
        view.setUint32(i * 8 + (le ? 0 : 4), lo, le);
        view.setUint32(i * 8 + (le ? 4 : 0), hi, le);
        break;
      }
      default:
        throw new Error(`tiff-builder: field type ${t.type} is not supported`);
    }
  });
  return out;
}
