/**
 * DICOMweb for voxmark: QIDO-RS search, WADO-RS retrieval into an ImageStack, STOW-RS store. DOM-free.
 * @packageDocumentation
 */
export { loadDicomWeb, DicomWebImageStack } from './load.js';
export type { LoadDicomWebOptions, DicomWebStats } from './load.js';
export { searchStudies, searchSeries, searchInstances, dicomDate } from './qido.js';
export type {
  DateFilter,
  SearchOptions,
  StudyFilters,
  SeriesFilters,
  InstanceFilters,
  StudySummary,
  SeriesSummary,
  InstanceSummary,
} from './qido.js';
export { storeInstances, parseStoreAnswer } from './stow.js';
export { findSegmentations } from './segmentations.js';
export type { SegmentationSummary } from './segmentations.js';
export type { StoreOptions, StoreResult, StoredInstance, FailedInstance } from './stow.js';
export {
  retrieveInstance,
  retrieveFrame,
  retrieveSeriesMetadata,
  retrieveInstanceMetadata,
  FRAME_ACCEPT,
} from './wado.js';
export type { SeriesRef, InstanceRef, RetrievedFrame } from './wado.js';
export type { DicomWebConnection, HeadersSource } from './http.js';
export type { DicomJson, DicomJsonAttribute } from './json.js';
export { jsonString, jsonStrings, jsonNumber } from './json.js';
