import { LazyImageStack } from '../../../src/core/image/stack.js';
import type { ImageStack, SliceRef, StackMetadata } from '../../../src/core/image/types.js';

export interface TestStackInit {
  width: number;
  height: number;
  depth: number;
  format?: 'dicom' | 'tiff';
  spacing?: [number, number, number];
  /** Row and column direction cosines. Default axial [1,0,0, 0,1,0]. */
  iop?: [number, number, number, number, number, number];
  origin?: [number, number, number];
  metadata?: StackMetadata;
}

/** A DICOM-like stack of blank int16 frames with SOP Instance UIDs and positions along the slice normal. */
export function testStack(init: TestStackInit): ImageStack {
  const { width, height, depth } = init;
  const spacing = init.spacing ?? [0.7, 0.8, 2.5];
  const iop = init.iop ?? [1, 0, 0, 0, 1, 0];
  const o = init.origin ?? [-100, -120, 30];
  const n = [
    iop[1] * iop[5] - iop[2] * iop[4],
    iop[2] * iop[3] - iop[0] * iop[5],
    iop[0] * iop[4] - iop[1] * iop[3],
  ];
  const tiff = init.format === 'tiff';
  const slices: SliceRef[] = Array.from({ length: depth }, (_, k) =>
    tiff
      ? { page: k }
      : {
          sopInstanceUID: `1.2.826.0.1.3680043.10.1.${k + 1}`,
          position: [
            o[0] + k * spacing[2] * n[0]!,
            o[1] + k * spacing[2] * n[1]!,
            o[2] + k * spacing[2] * n[2]!,
          ],
        },
  );
  const data = new Int16Array(width * height);
  return new LazyImageStack({
    format: tiff ? 'tiff' : 'dicom',
    width,
    height,
    samplesPerPixel: 1,
    dataType: 'int16',
    spacing,
    slices,
    metadata: tiff
      ? { spacingUnit: 'mm', ...init.metadata }
      : {
          modality: 'CT',
          patientId: 'PAT-1',
          patientName: 'Test^Patient',
          studyInstanceUID: '1.2.826.0.1.3680043.10.2',
          seriesInstanceUID: '1.2.826.0.1.3680043.10.3',
          frameOfReferenceUID: '1.2.826.0.1.3680043.10.4',
          sopClassUID: '1.2.840.10008.5.1.4.1.1.2',
          imageOrientationPatient: iop,
          spacingUnit: 'mm',
          ...init.metadata,
        },
    decode: async () => ({ width, height, samplesPerPixel: 1, data, rescaleSlope: 1, rescaleIntercept: 0 }),
  });
}

/** A deterministic blob mask (row-major) inside the rectangle x0,y0,w,h. */
export function blobMask(
  width: number,
  height: number,
  x0: number,
  y0: number,
  w: number,
  h: number,
  seed = 1,
): Uint8Array {
  const m = new Uint8Array(width * height);
  for (let y = y0; y < y0 + h; y++)
    for (let x = x0; x < x0 + w; x++) if ((x * 7 + y * 3 + seed) % 5) m[y * width + x] = 1;
  return m;
}
