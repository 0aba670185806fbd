export type ImageInput = ArrayBuffer | Uint8Array | Blob | string;

export const DataTypes = [
  'uint8',
  'int8',
  'uint16',
  'int16',
  'uint32',
  'int32',
  'float32',
  'float64',
] as const;
export type DataType = (typeof DataTypes)[number];

export type PixelArray =
  Uint8Array | Int8Array | Uint16Array | Int16Array | Uint32Array | Int32Array | Float32Array | Float64Array;

/** The typed array constructor of each data type. */
export const PIXEL_ARRAYS = {
  uint8: Uint8Array,
  int8: Int8Array,
  uint16: Uint16Array,
  int16: Int16Array,
  uint32: Uint32Array,
  int32: Int32Array,
  float32: Float32Array,
  float64: Float64Array,
} as const;

export interface WindowPreset {
  name: string;
  center: number;
  width: number;
}

export type VoiLutFunction = 'LINEAR' | 'LINEAR_EXACT' | 'SIGMOID';

export interface SliceRef {
  sopInstanceUID?: string;
  frameNumber?: number;
  page?: number;
  position?: [number, number, number];
}

export interface Frame {
  width: number;
  height: number;
  samplesPerPixel: number;
  /** Stored values: decompressed, sign-corrected, row-major, samples interleaved (RGB), before rescale. */
  data: PixelArray;
  rescaleSlope: number;
  rescaleIntercept: number;
}

export interface ImageStack {
  readonly format: 'dicom' | 'tiff';
  readonly width: number;
  readonly height: number;
  readonly depth: number;
  readonly samplesPerPixel: number;
  readonly dataType: DataType;
  /** Physical size of a pixel in x and y and the slice step in z (mm for DICOM). */
  readonly spacing: [number, number, number];
  readonly windowPresets: WindowPreset[];
  readonly slices: SliceRef[];
  readonly metadata: Record<string, unknown>;
  getFrame(index: number, options?: { signal?: AbortSignal }): Promise<Frame>;
}

/**
 * Well-known keys of `ImageStack.metadata`. Every key is optional; readers add more.
 * DICOM identifiers are the (possibly de-identified) values from the first instance of the stack.
 */
export interface StackMetadata extends Record<string, unknown> {
  modality?: string;
  /** Photometric interpretation of the source (frames are always delivered as RGB for colour). */
  photometricInterpretation?: string;
  transferSyntaxUID?: string;
  sopClassUID?: string;
  /** Specific Character Set (0008,0005) of the source, as written there. */
  specificCharacterSet?: string;
  // Patient and General Study modules of the (first) source instance, text decoded from its character set.
  patientId?: string;
  patientName?: string;
  /** DICOM DA (YYYYMMDD), as the source has it. */
  patientBirthDate?: string;
  patientSex?: string;
  /** Patient Identity Removed (0012,0062) and De-identification Method (0012,0063) of a de-identified source. */
  patientIdentityRemoved?: string;
  deidentificationMethod?: string;
  studyInstanceUID?: string;
  /** DICOM DA and TM, as the source has them. */
  studyDate?: string;
  studyTime?: string;
  studyId?: string;
  accessionNumber?: string;
  referringPhysicianName?: string;
  studyDescription?: string;
  seriesInstanceUID?: string;
  frameOfReferenceUID?: string;
  seriesDescription?: string;
  /** Row and column direction cosines (DICOM ImageOrientationPatient). */
  imageOrientationPatient?: [number, number, number, number, number, number];
  voiLutFunction?: VoiLutFunction;
  bitsAllocated?: number;
  bitsStored?: number;
  pixelRepresentation?: number;
  /** Smallest and largest stored value the data can hold, when known (bits stored, or sample format). */
  storedRange?: [number, number];
  /** Physical unit of `spacing` ('mm' for DICOM; 'µm', 'mm', 'inch', 'cm' or 'pixel' for TIFF). */
  spacingUnit?: string;
  /** True when voxmark de-identified the input while loading it (`loadImageStack(…, { deidentify })`). */
  deidentified?: boolean;
  /** Inputs `loadImageStack` passed over because they hold no image (see its `onSkip` option). */
  skipped?: { index: number; name: string; code: string; reason: string }[];
  /** Every DICOM series among the inputs, largest first, when there were several (`loadImageStack`'s `series`). */
  series?: {
    seriesInstanceUID?: string;
    modality?: string;
    seriesDescription?: string;
    instances: number;
    frames: number;
  }[];
  /** Which of `series` this stack is. */
  seriesIndex?: number;
  /**
   * RT Dose: Dose Grid Scaling (3004,000E), the factor from stored values (frames hold them as stored, the
   * RT Dose module has no rescale) to dose in `doseUnits`.
   */
  doseGridScaling?: number;
  /** RT Dose: the unit of scaled values, 'GY' or 'RELATIVE' (Dose Units, 3004,0002). */
  doseUnits?: string;
}
