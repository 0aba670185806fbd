/** The inputs, options and data card of a dataset export (`exportDataset`). */
import type { DocumentLike } from '../formats/common.js';
import type { ImageStack } from '../image/types.js';
import type { Problem } from '../schema/parse.js';
import type { LabelSchema } from '../schema/types.js';
import type { DeidentificationStatus } from './deid-status.js';
import type { DatasetWindow, SliceImageMode } from './png.js';

/** The layouts a dataset export can write (several at once, into one zip). */
export const DatasetFormats = ['nnunet', 'msd', 'coco', 'yolo', 'voxmark'] as const;
export type DatasetFormat = (typeof DatasetFormats)[number];

/** One annotated series of a dataset. */
export interface DatasetItem {
  stack: ImageStack;
  /** An AnnotationDocument, its JSON, or anything with `annotations`. */
  document: DocumentLike;
  /** The schema the document was made with, for validation. Default: the dataset's. */
  schema?: LabelSchema;
  /** The case id (file base name). Default `case_0000`, `case_0001`, … in input order. Made file-safe. */
  caseId?: string;
  /** The patient the series belongs to (splits keep a patient in one set). Default: `stack.metadata.patientId`. */
  patientId?: string;
}

/** How cases are split: patient-grouped, seeded, optionally stratified (through `splitDataset`). */
export interface DatasetSplitOptions {
  /** Train, validation, test proportions. Default [0.8, 0.1, 0.1]. */
  ratios?: [number, number, number];
  /** Same seed and items, same split. Default 0. */
  seed?: number | string;
  /** Stratum of an item, or `'label'`: the label most of its annotations have. */
  stratifyBy?: ((item: DatasetItem) => string | undefined) | 'label';
}

/** How slices become images for COCO and YOLO. */
export interface DatasetImageOptions {
  /** Default 'png8-window'. */
  coco?: SliceImageMode;
  /** Default 'png8-window' (YOLO trainers read 8-bit images). */
  yolo?: SliceImageMode;
  /** Which slices get an image: every slice (empty ones are negatives) or only annotated ones. Default 'all'. */
  slices?: 'all' | 'annotated';
  /** The window for 8-bit images, in modality values. Default: each series' first preset (see `seriesWindow`). */
  window?: { center: number; width: number };
}

/** Progress of a dataset export: `done` of `total` series. */
export interface DatasetProgress {
  done: number;
  total: number;
  phase: 'prepare' | 'series' | 'finish';
  caseId?: string;
}

export interface ExportDatasetOptions {
  /** The layouts to write. */
  formats: DatasetFormat[];
  split?: DatasetSplitOptions;
  images?: DatasetImageOptions;
  /** Dataset name (folder and dataset.json names; made file-safe). Default 'voxmark'. */
  name?: string;
  /** nnU-Net dataset id (`Dataset001_Name`) and MSD task number (`Task01_Name`). Default 1. */
  datasetId?: number;
  /** The label schema of the dataset: label values and classes. Default: the first item's schema. */
  schema?: LabelSchema;
  /** Which annotations are burned into NIfTI label maps besides masks. Default polygons yes, boxes no. */
  rasterize?: { boxes?: boolean; polygons?: boolean };
  /** YOLO segmentation lines (polygons, mask outlines, box corners) instead of boxes. Default false. */
  yolo?: { segments?: boolean };
  /** Export stacks that are not de-identified. Default false: they are refused. */
  allowIdentified?: boolean;
  /** Modification time written for every file in the zip. Default: now. */
  lastModified?: Date;
  onProgress?: (p: DatasetProgress) => void;
  signal?: AbortSignal;
}

/** Counts of one label in one split. */
export interface LabelCounts {
  /** Annotations with the label. */
  instances: number;
  /** Slices (of all series in the split) with at least one such annotation. */
  slices: number;
  /** Pixels the annotations cover, each counted on its own (masks, and boxes and polygons as rasterized). */
  pixels: number;
  /** Voxels with the label's value in the NIfTI label maps (when nnunet or msd is written). */
  voxels?: number;
}

export type DatasetSplitName = 'train' | 'validation' | 'test';

/** One case in the data card. */
export interface DataCardCase {
  caseId: string;
  split: DatasetSplitName;
  modality?: string;
  size: [number, number, number];
  spacing: [number, number, number];
  dataType: string;
  samplesPerPixel: number;
  deidentification: DeidentificationStatus;
  /** DICOM De-identification Method (0012,0063), when the source records one. */
  deidentificationMethod?: string;
  annotations: number;
  /** Validation problems of this case's document (exported anyway). */
  problems: number;
  /** The window of its 8-bit images, when any were written. */
  window?: DatasetWindow;
  /** The NIfTI voxel type of its image volume, when written. */
  niftiType?: string;
}

/** `datacard.json`: what is in the dataset and how it was made. */
export interface DataCard {
  format: 'voxmark-datacard';
  version: 1;
  name: string;
  createdAt: string;
  generator: { name: string; version: string };
  schema: { version: number; hash: string; labels: { value: number; id: string; name: string }[] };
  formats: DatasetFormat[];
  images: { coco?: SliceImageMode; yolo?: SliceImageMode; slices: 'all' | 'annotated' };
  rasterize: { boxes: boolean; polygons: boolean };
  split: {
    seed: number | string;
    ratios: [number, number, number];
    stratified: boolean;
    cases: Record<DatasetSplitName, number>;
    patients: Record<DatasetSplitName, number>;
    /** Cases without a patient id: each was split on its own. */
    ungrouped: number;
  };
  /** Patients found in more than one split: always empty for an export, checked after the split. */
  leakage: { checked: true; patientsInSeveralSplits: number };
  counts: Record<string, Record<DatasetSplitName, LabelCounts>>;
  cases: DataCardCase[];
  /** Validation problems exported anyway, by case. */
  problems: (Problem & { caseId: string })[];
  warnings: string[];
}
