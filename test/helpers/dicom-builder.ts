/**
 * Builds DICOM bytes by hand for tests: Part 10 files (or bare datasets) in implicit/explicit little endian
 * or explicit big endian, with native or encapsulated pixel data, nested sequences and, for hostile-input
 * tests, lengths that lie. Small and literal on purpose: every byte is the one the test asked for.
 */

export const TS = {
  implicitLE: '1.2.840.10008.1.2',
  explicitLE: '1.2.840.10008.1.2.1',
  explicitBE: '1.2.840.10008.1.2.2',
  deflated: '1.2.840.10008.1.2.1.99',
  rle: '1.2.840.10008.1.2.5',
  jpegBaseline: '1.2.840.10008.1.2.4.50',
  jpegLossless: '1.2.840.10008.1.2.4.70',
  jpegLs: '1.2.840.10008.1.2.4.80',
  j2k: '1.2.840.10008.1.2.4.90',
} as const;

export interface El {
  /** (group << 16) | element */
  tag: number;
  vr: string;
  value?: string | number | number[] | Uint8Array;
  /** Sequence items, each a list of elements. */
  items?: El[][];
  /** Encapsulated pixel data: basic offset table entries and fragments. */
  encapsulated?: { offsets?: number[]; fragments: Uint8Array[] };
  /** Write this length instead of the real one (hostile inputs). */
  lengthOverride?: number;
  /** Write the sequence with undefined length and delimiters. */
  undefinedLength?: boolean;
}

const LONG_VRS = new Set(['OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'SQ', 'UC', 'UN', 'UR', 'UT', 'SV', 'UV']);

class Writer {
  chunks: number[] = [];
  constructor(readonly littleEndian: boolean) {}
  u8(v: number) {
    this.chunks.push(v & 0xff);
  }
  u16(v: number, le = this.littleEndian) {
    if (le) this.chunks.push(v & 0xff, (v >> 8) & 0xff);
    else this.chunks.push((v >> 8) & 0xff, v & 0xff);
  }
  u32(v: number, le = this.littleEndian) {
    const b = [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff];
    this.chunks.push(...(le ? b : b.reverse()));
  }
  bytes(b: ArrayLike<number>) {
    for (let i = 0; i < b.length; i++) this.chunks.push(b[i]!);
  }
  out(): Uint8Array {
    return new Uint8Array(this.chunks);
  }
}

function valueBytes(el: El, le: boolean): Uint8Array {
  const { vr, value } = el;
  if (value === undefined) return new Uint8Array(0);
  if (value instanceof Uint8Array) {
    if (!le && vr === 'OW') {
      const swapped = value.slice();
      for (let i = 0; i + 1 < swapped.length; i += 2) {
        swapped[i] = value[i + 1]!;
        swapped[i + 1] = value[i]!;
      }
      return pad(swapped, 0);
    }
    return pad(value, 0);
  }
  const w = new Writer(le);
  const nums = typeof value === 'number' ? [value] : Array.isArray(value) ? value : undefined;
  if (nums && (vr === 'US' || vr === 'SS')) {
    for (const n of nums) w.u16(n);
    return w.out();
  }
  if (nums && (vr === 'UL' || vr === 'SL')) {
    for (const n of nums) w.u32(n);
    return w.out();
  }
  if (nums && vr === 'FD') {
    const b = new Uint8Array(nums.length * 8);
    const dv = new DataView(b.buffer);
    nums.forEach((n, i) => dv.setFloat64(i * 8, n, le));
    return b;
  }
  if (nums && vr === 'FL') {
    const b = new Uint8Array(nums.length * 4);
    const dv = new DataView(b.buffer);
    nums.forEach((n, i) => dv.setFloat32(i * 4, n, le));
    return b;
  }
  const text = nums ? nums.join('\\') : String(value);
  const b = new TextEncoder().encode(text);
  return pad(b, vr === 'UI' ? 0 : 0x20);
}

function pad(b: Uint8Array, byte: number): Uint8Array {
  if (b.length % 2 === 0) return b;
  const out = new Uint8Array(b.length + 1);
  out.set(b);
  out[b.length] = byte;
  return out;
}

function writeElement(w: Writer, el: El, explicit: boolean): void {
  const group = el.tag >>> 16;
  const element = el.tag & 0xffff;
  w.u16(group);
  w.u16(element);
  const body = new Writer(w.littleEndian);
  if (el.items) {
    for (const item of el.items) {
      const inner = new Writer(w.littleEndian);
      for (const child of sortElements(item)) writeElement(inner, child, explicit);
      const bytes = inner.out();
      body.u16(0xfffe);
      body.u16(0xe000);
      body.u32(el.undefinedLength ? 0xffffffff : bytes.length);
      body.bytes(bytes);
      if (el.undefinedLength) {
        body.u16(0xfffe);
        body.u16(0xe00d);
        body.u32(0);
      }
    }
    if (el.undefinedLength) {
      body.u16(0xfffe);
      body.u16(0xe0dd);
      body.u32(0);
    }
  } else if (el.encapsulated) {
    const offsets = el.encapsulated.offsets ?? [];
    body.u16(0xfffe);
    body.u16(0xe000);
    body.u32(offsets.length * 4);
    for (const o of offsets) body.u32(o);
    for (const f of el.encapsulated.fragments) {
      const frag = pad(f, 0);
      body.u16(0xfffe);
      body.u16(0xe000);
      body.u32(frag.length);
      body.bytes(frag);
    }
    body.u16(0xfffe);
    body.u16(0xe0dd);
    body.u32(0);
  } else {
    body.bytes(valueBytes(el, w.littleEndian));
  }
  const bytes = body.out();
  const undefinedLen = el.encapsulated !== undefined || (el.items !== undefined && el.undefinedLength);
  const length = el.lengthOverride ?? (undefinedLen ? 0xffffffff : bytes.length);
  if (explicit) {
    w.u8(el.vr.charCodeAt(0));
    w.u8(el.vr.charCodeAt(1));
    if (LONG_VRS.has(el.vr)) {
      w.u16(0);
      w.u32(length);
    } else {
      w.u16(length);
    }
  } else {
    w.u32(length);
  }
  w.bytes(bytes);
}

function sortElements(els: El[]): El[] {
  return els.slice().sort((a, b) => a.tag - b.tag);
}

export interface BuildOptions {
  transferSyntax?: string;
  /** Write the 128-byte preamble and "DICM" with a meta header (default true). */
  part10?: boolean;
}

/** Encodes a dataset (and, by default, a Part 10 preamble and meta header). */
export function buildDicom(elements: El[], options: BuildOptions = {}): Uint8Array {
  const ts = options.transferSyntax ?? TS.explicitLE;
  const explicit = ts !== TS.implicitLE;
  const le = ts !== TS.explicitBE;
  const ds = new Writer(le);
  for (const el of sortElements(elements)) writeElement(ds, el, explicit);
  const dataset = ds.out();
  if (options.part10 === false) return dataset;
  const meta = new Writer(true);
  const metaEls: El[] = [
    { tag: 0x00020001, vr: 'OB', value: new Uint8Array([0, 1]) },
    { tag: 0x00020002, vr: 'UI', value: '1.2.840.10008.5.1.4.1.1.7' },
    { tag: 0x00020003, vr: 'UI', value: '1.2.3.4.5' },
    { tag: 0x00020010, vr: 'UI', value: ts },
  ];
  for (const el of metaEls) writeElement(meta, el, true);
  const metaBytes = meta.out();
  const head = new Writer(true);
  head.bytes(new Uint8Array(128));
  head.bytes([0x44, 0x49, 0x43, 0x4d]);
  writeElement(head, { tag: 0x00020000, vr: 'UL', value: metaBytes.length }, true);
  head.bytes(metaBytes);
  const h = head.out();
  const out = new Uint8Array(h.length + dataset.length);
  out.set(h);
  out.set(dataset, h.length);
  return out;
}

export interface ImageSpec {
  rows: number;
  columns: number;
  bitsAllocated?: number;
  bitsStored?: number;
  pixelRepresentation?: number;
  samplesPerPixel?: number;
  photometric?: string;
  planarConfiguration?: number;
  frames?: number;
  /** Native pixel bytes, or encapsulated fragments. */
  pixels?: Uint8Array;
  encapsulated?: { offsets?: number[]; fragments: Uint8Array[] };
  extra?: El[];
  /** Override the pixel data element's length (hostile inputs). */
  pixelLengthOverride?: number;
}

/** The elements of an image instance with the given pixel format. */
export function imageElements(spec: ImageSpec): El[] {
  const bits = spec.bitsAllocated ?? 16;
  const spp = spec.samplesPerPixel ?? 1;
  const els: El[] = [
    { tag: 0x00080016, vr: 'UI', value: '1.2.840.10008.5.1.4.1.1.7' },
    { tag: 0x00080060, vr: 'CS', value: 'OT' },
    { tag: 0x00280002, vr: 'US', value: spp },
    { tag: 0x00280004, vr: 'CS', value: spec.photometric ?? (spp === 3 ? 'RGB' : 'MONOCHROME2') },
    { tag: 0x00280010, vr: 'US', value: spec.rows },
    { tag: 0x00280011, vr: 'US', value: spec.columns },
    { tag: 0x00280100, vr: 'US', value: bits },
    { tag: 0x00280101, vr: 'US', value: spec.bitsStored ?? bits },
    { tag: 0x00280102, vr: 'US', value: (spec.bitsStored ?? bits) - 1 },
    { tag: 0x00280103, vr: 'US', value: spec.pixelRepresentation ?? 0 },
  ];
  if (spp === 3) els.push({ tag: 0x00280006, vr: 'US', value: spec.planarConfiguration ?? 0 });
  if (spec.frames !== undefined) els.push({ tag: 0x00280008, vr: 'IS', value: String(spec.frames) });
  if (spec.encapsulated) {
    els.push({ tag: 0x7fe00010, vr: 'OB', encapsulated: spec.encapsulated });
  } else if (spec.pixels) {
    const el: El = { tag: 0x7fe00010, vr: bits > 8 ? 'OW' : 'OB', value: spec.pixels };
    if (spec.pixelLengthOverride !== undefined) el.lengthOverride = spec.pixelLengthOverride;
    els.push(el);
  }
  const extra = spec.extra ?? [];
  const tags = new Set(extra.map((e) => e.tag));
  return [...els.filter((e) => !tags.has(e.tag)), ...extra];
}

/** A complete Part 10 image file. */
export function buildImage(spec: ImageSpec, options: BuildOptions = {}): Uint8Array {
  return buildDicom(imageElements(spec), options);
}

/** Little-endian bytes of 16-bit samples. */
export function u16le(values: ArrayLike<number>): Uint8Array {
  const out = new Uint8Array(values.length * 2);
  const dv = new DataView(out.buffer);
  for (let i = 0; i < values.length; i++) dv.setUint16(i * 2, values[i]! & 0xffff, true);
  return out;
}

/** PackBits, as DICOM RLE uses it: replicate runs for repeats of 3 or more, literal runs otherwise. */
export function packBits(data: Uint8Array): Uint8Array {
  const out: number[] = [];
  let i = 0;
  while (i < data.length) {
    let run = 1;
    while (i + run < data.length && run < 128 && data[i + run] === data[i]) run++;
    if (run >= 3) {
      out.push((1 - run) & 0xff, data[i]!);
      i += run;
      continue;
    }
    const start = i;
    while (i < data.length && i - start < 128) {
      if (i + 2 < data.length && data[i] === data[i + 1] && data[i] === data[i + 2]) break;
      i++;
    }
    out.push(i - start - 1, ...data.subarray(start, i));
  }
  return new Uint8Array(out);
}

/**
 * Encodes one RLE Lossless frame from interleaved little-endian samples (PS3.5 Annex G): one segment per
 * byte plane, most significant byte first, for each sample in turn.
 */
export function encodeRleFrame(
  samples: Uint8Array,
  pixels: number,
  samplesPerPixel: number,
  bytesPerSample: number,
): Uint8Array {
  const segments: Uint8Array[] = [];
  for (let s = 0; s < samplesPerPixel; s++) {
    for (let b = bytesPerSample - 1; b >= 0; b--) {
      const plane = new Uint8Array(pixels);
      for (let p = 0; p < pixels; p++) plane[p] = samples[(p * samplesPerPixel + s) * bytesPerSample + b]!;
      segments.push(pad(packBits(plane), 0x80)); // 0x80 is PackBits' no-op, harmless padding
    }
  }
  const header = new Uint8Array(64);
  const dv = new DataView(header.buffer);
  dv.setUint32(0, segments.length, true);
  let offset = 64;
  segments.forEach((seg, i) => {
    dv.setUint32(4 + i * 4, offset, true);
    offset += seg.length;
  });
  const out = new Uint8Array(offset);
  out.set(header);
  let o = 64;
  for (const seg of segments) {
    out.set(seg, o);
    o += seg.length;
  }
  return out;
}
