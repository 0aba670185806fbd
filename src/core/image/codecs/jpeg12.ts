import { ErrorCode, VoxmarkError } from '../../errors.js';
import type { CodecOutput } from './wasm.js';

/**
 * A sequential Huffman DCT JPEG decoder (ITU-T T.81 processes 1, 2 and 4: SOF0 and SOF1) for any sample
 * precision, written for the 12-bit JPEG Extended images that DICOM carries (transfer syntax
 * 1.2.840.10008.1.2.4.51) and that the 8-bit libjpeg-turbo build cannot read. It supports interleaved and
 * non-interleaved scans, any sampling factors, restart intervals and 8- or 16-bit quantisation tables.
 * Progressive and arithmetic-coded JPEG are refused. Colour comes out as decoded component values
 * (no YCbCr conversion): the DICOM layer converts according to the photometric interpretation.
 *
 * Every loop is bounded by the frame size, which the caller checks against the DICOM header before any
 * allocation; reading past the data yields zero bits rather than running on.
 */
export function decodeJpeg12(
  bytes: Uint8Array,
  expected?: { rows: number; columns: number; samplesPerPixel: number },
): CodecOutput {
  return new JpegDecoder(bytes, expected).decode();
}

const ZIGZAG = new Uint8Array([
  0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7,
  14, 21, 28, 35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51, 58, 59, 52, 45, 38, 31, 39, 46,
  53, 60, 61, 54, 47, 55, 62, 63,
]);

/** cos((2x+1)uπ/16) · C(u) / 2, indexed [u * 8 + x]. */
const IDCT_TABLE = (() => {
  const t = new Float64Array(64);
  for (let u = 0; u < 8; u++) {
    const c = u === 0 ? Math.SQRT1_2 : 1;
    for (let x = 0; x < 8; x++) t[u * 8 + x] = (c / 2) * Math.cos(((2 * x + 1) * u * Math.PI) / 16);
  }
  return t;
})();

interface HuffmanTable {
  maxcode: Int32Array; // by code length 1..16, -1 when no code of that length
  valptr: Int32Array;
  mincode: Int32Array;
  values: Uint8Array;
}

interface Component {
  id: number;
  h: number;
  v: number;
  tq: number;
  blocksPerLine: number;
  blocksPerColumn: number;
  /** Dequantised-then-transformed samples, one 8×8 block after another, row of blocks by row. */
  plane: Uint16Array;
  pred: number;
  dc?: HuffmanTable;
  ac?: HuffmanTable;
}

function corrupt(message: string): VoxmarkError {
  return new VoxmarkError(ErrorCode.CodecFailed, `JPEG: ${message}`);
}

class JpegDecoder {
  #data: Uint8Array;
  #pos = 0;
  #quant: (Int32Array | undefined)[] = [];
  #dcTables: (HuffmanTable | undefined)[] = [];
  #acTables: (HuffmanTable | undefined)[] = [];
  #restartInterval = 0;
  #precision = 8;
  #width = 0;
  #height = 0;
  #components: Component[] = [];
  #hmax = 1;
  #vmax = 1;
  #mcusPerLine = 0;
  #mcusPerColumn = 0;
  // bit reader
  #bitBuffer = 0;
  #bitCount = 0;
  #hitMarker = false;

  constructor(
    data: Uint8Array,
    private readonly expected?: { rows: number; columns: number; samplesPerPixel: number },
  ) {
    this.#data = data;
  }

  decode(): CodecOutput {
    const d = this.#data;
    if (d.length < 4 || d[0] !== 0xff || d[1] !== 0xd8) throw corrupt('no start-of-image marker');
    this.#pos = 2;
    let frameSeen = false;
    let scans = 0;
    while (this.#pos < d.length) {
      const marker = this.#nextMarker();
      if (marker === undefined || marker === 0xd9) break;
      if (marker === 0xd8 || (marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) continue;
      const length = this.#u16();
      const end = this.#pos + length - 2;
      if (length < 2 || end > d.length) throw corrupt(`segment FF${marker.toString(16)} runs past the data`);
      switch (marker) {
        case 0xdb:
          this.#readQuant(end);
          break;
        case 0xc4:
          this.#readHuffman(end);
          break;
        case 0xdd:
          this.#restartInterval = length >= 4 ? (d[this.#pos]! << 8) | d[this.#pos + 1]! : 0;
          break;
        case 0xc0:
        case 0xc1:
          if (frameSeen) throw corrupt('more than one frame header');
          this.#readFrame(end);
          frameSeen = true;
          break;
        case 0xda: {
          if (!frameSeen) throw corrupt('scan before frame header');
          this.#pos = end;
          // The scan header was inside [pos - length + 2, end); re-read it from there.
          this.#decodeScan(end - (length - 2), end);
          scans++;
          continue; // #decodeScan leaves #pos at the next marker
        }
        default:
          if (marker >= 0xc2 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
            throw new VoxmarkError(
              ErrorCode.Unsupported,
              `JPEG process with marker FF${marker.toString(16)} is not supported by the 12-bit decoder`,
            );
          }
      }
      this.#pos = end;
    }
    if (!frameSeen || scans === 0) throw corrupt('no frame or no scan');
    return this.#output();
  }

  #nextMarker(): number | undefined {
    const d = this.#data;
    while (this.#pos + 1 < d.length) {
      if (d[this.#pos] === 0xff && d[this.#pos + 1] !== 0xff && d[this.#pos + 1] !== 0x00) {
        const m = d[this.#pos + 1]!;
        this.#pos += 2;
        return m;
      }
      this.#pos++;
    }
    return undefined;
  }

  #u16(): number {
    const d = this.#data;
    if (this.#pos + 2 > d.length) throw corrupt('unexpected end of data');
    const v = (d[this.#pos]! << 8) | d[this.#pos + 1]!;
    this.#pos += 2;
    return v;
  }

  #readQuant(end: number): void {
    const d = this.#data;
    let p = this.#pos;
    while (p < end) {
      const pq = d[p]! >> 4;
      const tq = d[p]! & 15;
      p++;
      if (tq > 3) throw corrupt('quantisation table id out of range');
      const size = pq === 0 ? 64 : 128;
      if (p + size > end) throw corrupt('quantisation table runs past its segment');
      const table = new Int32Array(64);
      for (let k = 0; k < 64; k++) table[k] = pq === 0 ? d[p + k]! : (d[p + 2 * k]! << 8) | d[p + 2 * k + 1]!;
      this.#quant[tq] = table;
      p += size;
    }
  }

  #readHuffman(end: number): void {
    const d = this.#data;
    let p = this.#pos;
    while (p < end) {
      if (p + 17 > end) throw corrupt('Huffman table runs past its segment');
      const tc = d[p]! >> 4;
      const th = d[p]! & 15;
      if (th > 3 || tc > 1) throw corrupt('Huffman table id out of range');
      const counts = d.subarray(p + 1, p + 17);
      let total = 0;
      for (let i = 0; i < 16; i++) total += counts[i]!;
      p += 17;
      if (p + total > end || total > 256) throw corrupt('Huffman table values run past its segment');
      const values = d.slice(p, p + total);
      p += total;
      const table = buildHuffman(counts, values);
      (tc === 0 ? this.#dcTables : this.#acTables)[th] = table;
    }
  }

  #readFrame(end: number): void {
    const d = this.#data;
    if (end - this.#pos < 6) throw corrupt('short frame header');
    const p = this.#pos;
    this.#precision = d[p]!;
    this.#height = (d[p + 1]! << 8) | d[p + 2]!;
    this.#width = (d[p + 3]! << 8) | d[p + 4]!;
    const n = d[p + 5]!;
    if (this.#precision !== 8 && this.#precision !== 12) throw corrupt(`precision ${this.#precision}`);
    if (this.#width === 0 || this.#height === 0) throw corrupt('zero width or height (DNL is not supported)');
    if (n !== 1 && n !== 3) throw corrupt(`${n} components`);
    if (end - p < 6 + n * 3) throw corrupt('short frame header');
    const exp = this.expected;
    if (exp && (exp.columns !== this.#width || exp.rows !== this.#height || exp.samplesPerPixel !== n)) {
      throw new VoxmarkError(
        ErrorCode.Corrupt,
        `JPEG frame is ${this.#width}×${this.#height}×${n}, the header says ${exp.columns}×${exp.rows}×${exp.samplesPerPixel}`,
      );
    }
    for (let i = 0; i < n; i++) {
      const q = p + 6 + i * 3;
      const h = d[q + 1]! >> 4;
      const v = d[q + 1]! & 15;
      if (h < 1 || h > 4 || v < 1 || v > 4) throw corrupt('sampling factor out of range');
      this.#components.push({
        id: d[q]!,
        h,
        v,
        tq: d[q + 2]! & 3,
        blocksPerLine: 0,
        blocksPerColumn: 0,
        plane: new Uint16Array(0),
        pred: 0,
      });
    }
    this.#hmax = Math.max(...this.#components.map((c) => c.h));
    this.#vmax = Math.max(...this.#components.map((c) => c.v));
    this.#mcusPerLine = Math.ceil(this.#width / (8 * this.#hmax));
    this.#mcusPerColumn = Math.ceil(this.#height / (8 * this.#vmax));
    let blocks = 0;
    for (const c of this.#components) {
      c.blocksPerLine = this.#mcusPerLine * c.h;
      c.blocksPerColumn = this.#mcusPerColumn * c.v;
      blocks += c.blocksPerLine * c.blocksPerColumn;
    }
    // Every block costs at least two bits (a DC code and an end-of-block code): a frame claiming more
    // blocks than the data could hold is refused before its planes are allocated.
    if (blocks * 2 > this.#data.length * 8) {
      throw corrupt(
        `${this.#width}×${this.#height} needs more data than the ${this.#data.length} bytes present`,
      );
    }
    for (const c of this.#components) c.plane = new Uint16Array(c.blocksPerLine * c.blocksPerColumn * 64);
  }

  #decodeScan(start: number, end: number): void {
    const d = this.#data;
    const ns = d[start]!;
    if (ns < 1 || ns > 4 || start + 1 + ns * 2 + 3 > end) throw corrupt('bad scan header');
    const comps: Component[] = [];
    for (let i = 0; i < ns; i++) {
      const id = d[start + 1 + i * 2]!;
      const tables = d[start + 2 + i * 2]!;
      const c = this.#components.find((x) => x.id === id);
      if (!c) throw corrupt(`scan names unknown component ${id}`);
      c.dc = this.#dcTables[tables >> 4];
      c.ac = this.#acTables[tables & 15];
      if (!c.dc || !c.ac) throw corrupt('scan uses an undefined Huffman table');
      if (!this.#quant[c.tq]) throw corrupt('component uses an undefined quantisation table');
      c.pred = 0;
      comps.push(c);
    }
    this.#pos = end;
    this.#resetBits();
    const single = comps.length === 1;
    const first = comps[0]!;
    // A non-interleaved scan covers only the component's own blocks, one block per MCU.
    const unitsPerLine = single
      ? Math.ceil(Math.ceil((this.#width * first.h) / this.#hmax) / 8)
      : this.#mcusPerLine;
    const unitsPerColumn = single
      ? Math.ceil(Math.ceil((this.#height * first.v) / this.#vmax) / 8)
      : this.#mcusPerColumn;
    const total = unitsPerLine * unitsPerColumn;
    const block = new Float64Array(64);
    let sinceRestart = 0;
    for (let m = 0; m < total; m++) {
      if (this.#restartInterval > 0 && sinceRestart === this.#restartInterval) {
        this.#restart(comps);
        sinceRestart = 0;
      }
      const mx = m % unitsPerLine;
      const my = Math.floor(m / unitsPerLine);
      if (single) {
        this.#decodeBlock(first, my, mx, block);
      } else {
        for (const c of comps) {
          for (let v = 0; v < c.v; v++) {
            for (let h = 0; h < c.h; h++) this.#decodeBlock(c, my * c.v + v, mx * c.h + h, block);
          }
        }
      }
      sinceRestart++;
    }
    // Move to the next marker after the entropy-coded data.
    this.#seekMarker();
  }

  #restart(comps: Component[]): void {
    this.#seekMarker();
    const d = this.#data;
    if (
      this.#pos + 1 < d.length &&
      d[this.#pos] === 0xff &&
      d[this.#pos + 1]! >= 0xd0 &&
      d[this.#pos + 1]! <= 0xd7
    ) {
      this.#pos += 2;
    }
    this.#resetBits();
    for (const c of comps) c.pred = 0;
  }

  /** Leaves #pos at the next 0xFF that starts a marker (not a stuffed 0xFF00 or fill bytes). */
  #seekMarker(): void {
    const d = this.#data;
    while (this.#pos + 1 < d.length) {
      if (d[this.#pos] === 0xff && d[this.#pos + 1] !== 0x00 && d[this.#pos + 1] !== 0xff) return;
      this.#pos++;
    }
    this.#pos = d.length;
  }

  #resetBits(): void {
    this.#bitBuffer = 0;
    this.#bitCount = 0;
    this.#hitMarker = false;
  }

  #readBit(): number {
    if (this.#bitCount === 0) {
      const d = this.#data;
      let byte = 0;
      if (!this.#hitMarker && this.#pos < d.length) {
        byte = d[this.#pos]!;
        if (byte === 0xff) {
          const next = d[this.#pos + 1];
          if (next === 0x00) this.#pos += 2;
          else {
            // A marker inside the scan: feed zeros from here and leave the marker for the caller.
            this.#hitMarker = true;
            byte = 0;
          }
        } else this.#pos++;
      }
      this.#bitBuffer = byte;
      this.#bitCount = 8;
    }
    this.#bitCount--;
    return (this.#bitBuffer >> this.#bitCount) & 1;
  }

  #receive(length: number): number {
    let v = 0;
    for (let i = 0; i < length; i++) v = (v << 1) | this.#readBit();
    return v;
  }

  #receiveExtend(length: number): number {
    if (length === 0) return 0;
    if (length > 16) throw corrupt('coefficient size out of range');
    const v = this.#receive(length);
    return v < 1 << (length - 1) ? v - (1 << length) + 1 : v;
  }

  #decodeHuffman(table: HuffmanTable): number {
    let code = this.#readBit();
    for (let l = 1; l <= 16; l++) {
      if (code <= table.maxcode[l]!) return table.values[table.valptr[l]! + code - table.mincode[l]!]!;
      code = (code << 1) | this.#readBit();
    }
    throw corrupt('invalid Huffman code');
  }

  #decodeBlock(c: Component, row: number, col: number, block: Float64Array): void {
    const q = this.#quant[c.tq]!;
    block.fill(0);
    const t = this.#decodeHuffman(c.dc!);
    c.pred += this.#receiveExtend(t);
    block[0] = c.pred * q[0]!;
    for (let k = 1; k < 64;) {
      const rs = this.#decodeHuffman(c.ac!);
      const s = rs & 15;
      const r = rs >> 4;
      if (s === 0) {
        if (r !== 15) break;
        k += 16;
        continue;
      }
      k += r;
      if (k > 63) throw corrupt('coefficient index out of range');
      block[ZIGZAG[k]!] = this.#receiveExtend(s) * q[k]!;
      k++;
    }
    if (row >= c.blocksPerColumn || col >= c.blocksPerLine) return; // padding blocks beyond the plane
    this.#idct(block, c.plane, (row * c.blocksPerLine + col) * 64);
  }

  #idct(block: Float64Array, out: Uint16Array, offset: number): void {
    const tmp = new Float64Array(64);
    // Rows: tmp[v][x] = Σu F[v][u] · T[u][x]
    for (let v = 0; v < 8; v++) {
      for (let x = 0; x < 8; x++) {
        let s = 0;
        for (let u = 0; u < 8; u++) s += block[v * 8 + u]! * IDCT_TABLE[u * 8 + x]!;
        tmp[v * 8 + x] = s;
      }
    }
    const shift = 1 << (this.#precision - 1);
    const max = (1 << this.#precision) - 1;
    for (let x = 0; x < 8; x++) {
      for (let y = 0; y < 8; y++) {
        let s = 0;
        for (let v = 0; v < 8; v++) s += tmp[v * 8 + x]! * IDCT_TABLE[v * 8 + y]!;
        const value = Math.round(s + shift);
        out[offset + y * 8 + x] = value < 0 ? 0 : value > max ? max : value;
      }
    }
  }

  #output(): CodecOutput {
    const w = this.#width;
    const h = this.#height;
    const n = this.#components.length;
    const out = this.#precision > 8 ? new Uint16Array(w * h * n) : new Uint8Array(w * h * n);
    for (let ci = 0; ci < n; ci++) {
      const c = this.#components[ci]!;
      const lineSamples = c.blocksPerLine * 8;
      for (let y = 0; y < h; y++) {
        const sy = Math.floor((y * c.v) / this.#vmax);
        const blockRow = sy >> 3;
        const inRow = sy & 7;
        for (let x = 0; x < w; x++) {
          const sx = Math.floor((x * c.h) / this.#hmax);
          if (sx >= lineSamples) continue;
          out[(y * w + x) * n + ci] =
            c.plane[((blockRow * c.blocksPerLine + (sx >> 3)) << 6) + inRow * 8 + (sx & 7)]!;
        }
      }
    }
    return {
      data: out,
      width: w,
      height: h,
      samplesPerPixel: n,
      bitsPerSample: this.#precision,
      signed: false,
    };
  }
}

function buildHuffman(counts: Uint8Array, values: Uint8Array): HuffmanTable {
  const maxcode = new Int32Array(18).fill(-1);
  const mincode = new Int32Array(17);
  const valptr = new Int32Array(17);
  let code = 0;
  let k = 0;
  for (let l = 1; l <= 16; l++) {
    const count = counts[l - 1]!;
    if (count > 0) {
      valptr[l] = k;
      mincode[l] = code;
      code += count;
      k += count;
      maxcode[l] = code - 1;
    }
    code <<= 1;
  }
  return { maxcode, mincode, valptr, values };
}
