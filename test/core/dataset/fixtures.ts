/**
 * Small dataset fixtures: DICOM-like stacks with known stored values and geometry, documents with a mask, a
 * box and a polygon, and readers for what an export writes (zip through fflate, NIfTI-1 by its header layout).
 */
import { unzipSync } from 'fflate';
import { AnnotationDocument } from '../../../src/core/annotation/document.js';
import { LazyImageStack } from '../../../src/core/image/stack.js';
import type { ImageStack, StackMetadata } from '../../../src/core/image/types.js';
import type { LabelSchema } from '../../../src/core/schema/types.js';

export const schema: LabelSchema = {
  version: 1,
  labels: [
    { id: 'liver', name: 'Liver', color: '#aa5500', kinds: ['mask', 'polygon'] },
    {
      id: 'lesion',
      name: 'Lesion',
      color: '#ff0000',
      kinds: ['box', 'mask'],
      attributes: [{ id: 'grade', name: 'Grade', type: 'enum', options: ['G1', 'G2'], required: true }],
    },
  ],
};

/** The stored value of voxel (x, y, z) of series `seed`: distinct everywhere, negative in places (int16). */
export function storedValue(x: number, y: number, z: number, seed: number): number {
  return ((x * 37 + y * 101 + z * 1009 + seed * 7919) % 3000) - 500;
}

export interface SeriesInit {
  width?: number;
  height?: number;
  depth?: number;
  seed?: number;
  patientId?: string;
  metadata?: StackMetadata;
}

/** A de-identified CT-like int16 series (rescale −1024, one window preset) with positions along z. */
export function series(init: SeriesInit = {}): ImageStack {
  const { width = 16, height = 12, depth = 3, seed = 1 } = init;
  const frames = Array.from({ length: depth }, (_, z) => {
    const f = new Int16Array(width * height);
    for (let y = 0; y < height; y++)
      for (let x = 0; x < width; x++) f[y * width + x] = storedValue(x, y, z, seed);
    return f;
  });
  return new LazyImageStack({
    format: 'dicom',
    width,
    height,
    samplesPerPixel: 1,
    dataType: 'int16',
    spacing: [0.75, 0.8, 2.5],
    windowPresets: [{ name: 'Soft tissue', center: 40, width: 400 }],
    slices: frames.map((_, z) => ({
      sopInstanceUID: `2.25.${seed}.${z + 1}`,
      position: [-100, -80, 20 + 2.5 * z] as [number, number, number],
    })),
    metadata: {
      modality: 'CT',
      patientId: init.patientId ?? `ANON-${seed}`,
      seriesInstanceUID: `2.25.${seed}`,
      imageOrientationPatient: [1, 0, 0, 0, 1, 0],
      photometricInterpretation: 'MONOCHROME2',
      spacingUnit: 'mm',
      patientIdentityRemoved: 'YES',
      ...init.metadata,
    },
    decode: async (z) => ({
      width,
      height,
      samplesPerPixel: 1,
      data: frames[z]!,
      rescaleSlope: 1,
      rescaleIntercept: -1024,
    }),
  });
}

/** A 4×3 rectangle mask at (x0, y0) in a width × height slice. */
export function rectMask(width: number, height: number, x0: number, y0: number): Uint8Array {
  const m = new Uint8Array(width * height);
  for (let y = y0; y < y0 + 3; y++) for (let x = x0; x < x0 + 4; x++) m[y * width + x] = 1;
  return m;
}

/** A document on `stack`: a liver mask on slice 0, a lesion box on slice 1, a liver polygon on slice 2. */
export function annotated(stack: ImageStack, shift = 0): AnnotationDocument {
  const { width, height } = stack;
  const doc = new AnnotationDocument({ width, height, depth: stack.depth });
  doc.add([
    { label: 'liver', kind: 'mask', slice: 0, mask: { data: rectMask(width, height, 2 + shift, 3) } },
    {
      label: 'lesion',
      kind: 'box',
      slice: 1,
      box: { x: 3.25 + shift, y: 2.5, width: 5.5, height: 4 },
      attributes: { grade: 'G1' },
    },
    {
      label: 'liver',
      kind: 'polygon',
      slice: Math.min(2, stack.depth - 1),
      points: [
        [1, 1],
        [9, 1],
        [9, 7],
        [1, 7],
      ],
    },
  ]);
  return doc;
}

/** The files of a zip, by name (fflate's reader). */
export async function unzip(stream: ReadableStream<Uint8Array> | Blob): Promise<Map<string, Uint8Array>> {
  const bytes = new Uint8Array(await new Response(stream).arrayBuffer());
  return new Map(Object.entries(unzipSync(bytes)));
}

export const text = (bytes: Uint8Array | undefined) => new TextDecoder().decode(bytes);
export const jsonOf = (bytes: Uint8Array | undefined) => JSON.parse(text(bytes)) as Record<string, unknown>;

export interface NiftiVolume {
  dims: number[];
  datatype: number;
  bitpix: number;
  slope: number;
  intercept: number;
  srow: number[][];
  qformCode: number;
  sformCode: number;
  data: ArrayLike<number>;
}

/** Reads a `.nii.gz` by the NIfTI-1 header layout (nifti1.h). */
export async function readNiftiGz(gz: Uint8Array): Promise<NiftiVolume> {
  const raw = await new Response(
    new Blob([gz as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new DecompressionStream('gzip')),
  ).arrayBuffer();
  const v = new DataView(raw);
  const dims = [1, 2, 3].map((i) => v.getInt16(40 + 2 * i, true));
  const datatype = v.getInt16(70, true);
  const offset = v.getFloat32(108, true);
  const types: Record<number, new (b: ArrayBuffer, o: number) => ArrayLike<number>> = {
    2: Uint8Array,
    4: Int16Array,
    16: Float32Array,
    512: Uint16Array,
  };
  return {
    dims,
    datatype,
    bitpix: v.getInt16(72, true),
    slope: v.getFloat32(112, true),
    intercept: v.getFloat32(116, true),
    srow: [0, 1, 2].map((r) => [0, 1, 2, 3].map((c) => v.getFloat32(280 + 16 * r + 4 * c, true))),
    qformCode: v.getInt16(252, true),
    sformCode: v.getInt16(254, true),
    data: new types[datatype]!(raw, offset),
  };
}
