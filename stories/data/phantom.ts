/**
 * A procedurally generated CT-like chest/abdomen phantom: body with fat and muscle, lungs with
 * vessels, spine, ribs, heart, aorta, liver, and a few lesions, in Hounsfield units. Deterministic
 * (seeded), generated lazily slice by slice, and also available as real DICOM Part 10 bytes
 * (one uncompressed CT instance per slice) so the whole loading pipeline can be exercised.
 *
 * Used by the stories, the benchmarks and the annotation stories: import it rather than copying it.
 * @module
 */
import { LazyImageStack } from '../../src/core/image/stack.js';
import type { Frame, ImageStack } from '../../src/core/image/types.js';
import { ctPresets } from '../../src/core/image/window.js';
import { seededRandom as mulberry32 } from '../../src/core/util/random.js';

export interface PhantomOptions {
  /** Columns and rows. Default 256. */
  size?: number;
  /** Slices. Default 60. */
  depth?: number;
  /** Noise seed. Default 1. */
  seed?: number;
  /** Noise standard deviation in HU. Default 12. */
  noise?: number;
  /** Pixel spacing in mm (x = y). Default 400 / size (a 40 cm field of view). */
  pixelSpacing?: number;
  /** Slice spacing in mm. Default 5. */
  sliceSpacing?: number;
}

/** A lesion the phantom contains, in image pixel coordinates, for stories and tests that need ground truth. */
export interface PhantomLesion {
  name: string;
  x: number;
  y: number;
  /** Centre slice. */
  slice: number;
  /** Radius in pixels (in-plane) and in slices. */
  radius: number;
  radiusSlices: number;
  hu: number;
}

const RESCALE_INTERCEPT = -1024;

/** The lesions of a phantom of the given size and depth. */
export function phantomLesions(size = 256, depth = 60): PhantomLesion[] {
  const s = size / 256;
  const d = depth / 60;
  return [
    {
      name: 'Lung nodule',
      x: 82 * s,
      y: 100 * s,
      slice: Math.round(18 * d),
      radius: 6 * s,
      radiusSlices: 2 * d,
      hu: 30,
    },
    {
      name: 'Lung mass',
      x: 178 * s,
      y: 118 * s,
      slice: Math.round(26 * d),
      radius: 11 * s,
      radiusSlices: 3 * d,
      hu: 45,
    },
    {
      name: 'Liver lesion',
      x: 92 * s,
      y: 128 * s,
      slice: Math.round(46 * d),
      radius: 9 * s,
      radiusSlices: 3 * d,
      hu: 110,
    },
    {
      name: 'Bone metastasis',
      x: 128 * s,
      y: 188 * s,
      slice: Math.round(34 * d),
      radius: 5 * s,
      radiusSlices: 2 * d,
      hu: 900,
    },
  ];
}

/** Hounsfield units of one slice, row-major. */
export function phantomSliceHU(z: number, options: PhantomOptions = {}): Float32Array {
  const n = options.size ?? 256;
  const depth = options.depth ?? 60;
  const noise = options.noise ?? 12;
  const rand = mulberry32((options.seed ?? 1) * 100003 + z * 7919);
  const out = new Float32Array(n * n);
  const t = depth > 1 ? z / (depth - 1) : 0.5; // 0 = top of chest, 1 = upper abdomen
  const c = n / 2;
  const s = n / 256;
  const lesions = phantomLesions(n, depth);
  // Anatomy sizes vary along z.
  const lungScale =
    t < 0.7 ? 0.75 + 0.35 * Math.sin((t / 0.7) * Math.PI * 0.85) : Math.max(0, 1 - (t - 0.7) * 4);
  const liverScale = t > 0.55 ? Math.min(1, (t - 0.55) * 3.5) : 0;
  const heartScale = t > 0.25 && t < 0.75 ? Math.sin(((t - 0.25) / 0.5) * Math.PI) : 0;
  let spare = NaN;
  const gauss = () => {
    if (!Number.isNaN(spare)) {
      const v = spare;
      spare = NaN;
      return v;
    }
    const u = Math.max(rand(), 1e-12);
    const v = rand();
    const r = Math.sqrt(-2 * Math.log(u));
    spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  };
  const inEllipse = (x: number, y: number, cx: number, cy: number, rx: number, ry: number) =>
    ((x - cx) / rx) ** 2 + ((y - cy) / ry) ** 2 <= 1;

  for (let y = 0; y < n; y++) {
    for (let x = 0; x < n; x++) {
      let hu = -1000;
      const px = x + 0.5;
      const py = y + 0.5;
      // Table under the patient.
      if (py > c + 108 * s && py < c + 114 * s && Math.abs(px - c) < 115 * s) hu = 300;
      if (inEllipse(px, py, c, c + 4 * s, 118 * s, 92 * s)) {
        hu = -100; // subcutaneous fat
        if (inEllipse(px, py, c, c + 4 * s, 108 * s, 82 * s)) hu = 45; // muscle / soft tissue
        // Ribs: a ring of small bony spots.
        const ang = Math.atan2((py - c - 4 * s) / 82, (px - c) / 108);
        const rr = Math.hypot((px - c) / (104 * s), (py - c - 4 * s) / (78 * s));
        if (rr > 0.93 && rr < 1.0 && Math.abs(Math.sin(ang * 9)) > 0.8 && py < c + 60 * s) hu = 650;
        // Lungs.
        if (lungScale > 0) {
          const lrx = 40 * s * lungScale;
          const lry = 62 * s * lungScale;
          const inLeft = inEllipse(px, py, c - 48 * s, c - 6 * s, lrx, lry);
          const inRight = inEllipse(px, py, c + 48 * s, c - 6 * s, lrx * 1.05, lry);
          if (inLeft || inRight) {
            hu = -860;
            // Vessels: thin bright branches.
            const v = Math.sin(px * 0.21 + Math.sin(py * 0.05) * 3) * Math.sin(py * 0.17 + z * 0.3);
            if (v > 0.93) hu = -50;
          }
        }
        // Heart and aorta.
        if (
          heartScale > 0 &&
          inEllipse(px, py, c + 8 * s, c + 14 * s, 34 * s * heartScale, 28 * s * heartScale)
        )
          hu = 40;
        if (inEllipse(px, py, c - 4 * s, c + 46 * s, 11 * s, 11 * s)) hu = t < 0.6 ? 180 : 150; // aorta (contrast)
        // Liver (patient's right = image left).
        if (
          liverScale > 0 &&
          inEllipse(px, py, c - 34 * s, c + 8 * s, 62 * s * liverScale, 52 * s * liverScale)
        )
          hu = 60;
        // Spine: vertebral body with cortical rim, spinal canal behind it.
        if (inEllipse(px, py, c, c + 66 * s, 17 * s, 15 * s)) {
          hu = inEllipse(px, py, c, c + 66 * s, 13 * s, 11 * s) ? 260 : 800;
        }
        if (inEllipse(px, py, c, c + 88 * s, 6 * s, 6 * s)) hu = 20;
        if (
          inEllipse(px, py, c, c + 92 * s, 14 * s, 4 * s) &&
          !inEllipse(px, py, c, c + 88 * s, 7 * s, 7 * s)
        )
          hu = 700;
      }
      for (const l of lesions) {
        const dz = (z - l.slice) / Math.max(l.radiusSlices, 0.5);
        if (Math.abs(dz) > 1) continue;
        const r = l.radius * Math.sqrt(1 - dz * dz);
        if ((px - l.x) ** 2 + (py - l.y) ** 2 <= r * r) hu = l.hu;
      }
      out[y * n + x] = hu + gauss() * (hu > -990 ? noise : noise / 6);
    }
  }
  return out;
}

/** Stored values (HU − intercept) of one slice, as a CT scanner writes them: unsigned 12-bit in 16 bits. */
export function phantomSliceStored(z: number, options: PhantomOptions = {}): Uint16Array {
  const hu = phantomSliceHU(z, options);
  const out = new Uint16Array(hu.length);
  for (let i = 0; i < hu.length; i++) {
    const v = Math.round(hu[i]! - RESCALE_INTERCEPT);
    out[i] = v < 0 ? 0 : v > 4095 ? 4095 : v;
  }
  return out;
}

/** The phantom as an ImageStack: slices are generated on demand and cached like decoded frames. */
export function createPhantomStack(options: PhantomOptions = {}): ImageStack {
  const size = options.size ?? 256;
  const depth = options.depth ?? 60;
  const spacing = options.pixelSpacing ?? 400 / size;
  const step = options.sliceSpacing ?? 5;
  return new LazyImageStack({
    format: 'dicom',
    width: size,
    height: size,
    samplesPerPixel: 1,
    dataType: 'uint16',
    spacing: [spacing, spacing, step],
    windowPresets: [{ name: 'Soft tissue', center: 40, width: 400 }],
    slices: Array.from({ length: depth }, (_, z) => ({
      frameNumber: z + 1,
      position: [-size * spacing * 0.5, -size * spacing * 0.5, z * step] as [number, number, number],
    })),
    metadata: {
      modality: 'CT',
      seriesDescription: 'Phantom chest/abdomen',
      patientName: 'Phantom^CT',
      patientId: 'PHANTOM-0001',
      photometricInterpretation: 'MONOCHROME2',
      bitsAllocated: 16,
      bitsStored: 12,
      pixelRepresentation: 0,
      storedRange: [0, 4095],
      spacingUnit: 'mm',
      imageOrientationPatient: [1, 0, 0, 0, 1, 0],
    },
    decode: async (index): Promise<Frame> => ({
      width: size,
      height: size,
      samplesPerPixel: 1,
      data: phantomSliceStored(index, options),
      rescaleSlope: 1,
      rescaleIntercept: RESCALE_INTERCEPT,
    }),
  });
}

/** The CT window presets, for convenience in stories. */
export const phantomPresets = ctPresets;

// ---- DICOM Part 10 writer (Explicit VR Little Endian, uncompressed) --------------------------

type Element = [group: number, element: number, vr: string, value: string | Uint8Array | number[]];

const LONG_VRS = new Set(['OB', 'OW', 'OF', 'SQ', 'UT', 'UN']);

function encodeElement([group, element, vr, value]: Element): Uint8Array {
  let body: Uint8Array;
  if (value instanceof Uint8Array) body = value;
  else if (Array.isArray(value)) {
    // US values.
    body = new Uint8Array(value.length * 2);
    const dv = new DataView(body.buffer);
    value.forEach((v, i) => dv.setUint16(i * 2, v, true));
  } else {
    let text = value;
    if (text.length % 2) text += vr === 'UI' ? '\0' : ' ';
    body = new TextEncoder().encode(text);
  }
  if (body.length % 2) {
    const padded = new Uint8Array(body.length + 1);
    padded.set(body);
    body = padded;
  }
  const long = LONG_VRS.has(vr);
  const head = new Uint8Array(long ? 12 : 8);
  const dv = new DataView(head.buffer);
  dv.setUint16(0, group, true);
  dv.setUint16(2, element, true);
  head[4] = vr.charCodeAt(0);
  head[5] = vr.charCodeAt(1);
  if (long) dv.setUint32(8, body.length, true);
  else dv.setUint16(6, body.length, true);
  const out = new Uint8Array(head.length + body.length);
  out.set(head);
  out.set(body, head.length);
  return out;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** One slice of the phantom as a DICOM CT instance (Part 10 bytes). */
export function phantomDicomSlice(z: number, options: PhantomOptions = {}): Uint8Array {
  const size = options.size ?? 256;
  const depth = options.depth ?? 60;
  const spacing = options.pixelSpacing ?? 400 / size;
  const step = options.sliceSpacing ?? 5;
  const root = '1.2.826.0.1.3680043.10.1561';
  const sop = `${root}.3.${options.seed ?? 1}.${size}.${z + 1}`;
  const pixels = phantomSliceStored(z, options);
  const meta: Element[] = [
    [0x0002, 0x0001, 'OB', new Uint8Array([0, 1])],
    [0x0002, 0x0002, 'UI', '1.2.840.10008.5.1.4.1.1.2'],
    [0x0002, 0x0003, 'UI', sop],
    [0x0002, 0x0010, 'UI', '1.2.840.10008.1.2.1'],
    [0x0002, 0x0012, 'UI', `${root}.0`],
  ];
  const metaBody = concat(meta.map(encodeElement));
  const groupLength = new Uint8Array(4);
  new DataView(groupLength.buffer).setUint32(0, metaBody.length, true);
  const f = (v: number) => v.toFixed(4);
  const data: Element[] = [
    [0x0008, 0x0016, 'UI', '1.2.840.10008.5.1.4.1.1.2'],
    [0x0008, 0x0018, 'UI', sop],
    [0x0008, 0x0060, 'CS', 'CT'],
    [0x0008, 0x103e, 'LO', 'Phantom chest/abdomen'],
    [0x0010, 0x0010, 'PN', 'Phantom^CT'],
    [0x0010, 0x0020, 'LO', 'PHANTOM-0001'],
    [0x0018, 0x0050, 'DS', f(step)],
    [0x0020, 0x000d, 'UI', `${root}.1.${options.seed ?? 1}`],
    [0x0020, 0x000e, 'UI', `${root}.2.${options.seed ?? 1}.${size}`],
    [0x0020, 0x0013, 'IS', String(z + 1)],
    [0x0020, 0x0032, 'DS', `${f(-size * spacing * 0.5)}\\${f(-size * spacing * 0.5)}\\${f(z * step)}`],
    [0x0020, 0x0037, 'DS', '1\\0\\0\\0\\1\\0'],
    [0x0020, 0x0052, 'UI', `${root}.4.${options.seed ?? 1}`],
    [0x0028, 0x0002, 'US', [1]],
    [0x0028, 0x0004, 'CS', 'MONOCHROME2'],
    [0x0028, 0x0010, 'US', [size]],
    [0x0028, 0x0011, 'US', [size]],
    [0x0028, 0x0030, 'DS', `${f(spacing)}\\${f(spacing)}`],
    [0x0028, 0x0100, 'US', [16]],
    [0x0028, 0x0101, 'US', [12]],
    [0x0028, 0x0102, 'US', [11]],
    [0x0028, 0x0103, 'US', [0]],
    [0x0028, 0x1050, 'DS', '40'],
    [0x0028, 0x1051, 'DS', '400'],
    [0x0028, 0x1052, 'DS', String(RESCALE_INTERCEPT)],
    [0x0028, 0x1053, 'DS', '1'],
    [0x7fe0, 0x0010, 'OW', new Uint8Array(pixels.buffer, pixels.byteOffset, pixels.byteLength)],
  ];
  void depth;
  return concat([
    new Uint8Array(128),
    new TextEncoder().encode('DICM'),
    encodeElement([0x0002, 0x0000, 'UL', groupLength]),
    metaBody,
    ...data.map(encodeElement),
  ]);
}

/** Every slice of the phantom as DICOM files, in a shuffled order (the loader must sort them by position). */
export function phantomDicomSeries(options: PhantomOptions = {}): Uint8Array[] {
  const depth = options.depth ?? 60;
  const order = Array.from({ length: depth }, (_, i) => i);
  const rand = mulberry32(options.seed ?? 1);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order.map((z) => phantomDicomSlice(z, options));
}
