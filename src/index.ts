/**
 * voxmark: web components for annotating DICOM and TIFF images.
 *
 * This entry point is the public contract: the names of the API (images, annotations, schema, formats,
 * split, de-identification), the element classes and the event classes with their types. Everything else
 * that is DOM-free (masks, DICOM tags, tools, keymaps, worker decoding, ...) is under `voxmark/core`
 * (see docs/core.md). `api/voxmark.api.md` lists this surface; `npm run lint` fails when it changes
 * without that file.
 *
 * Import 'voxmark/define.js' once to register the elements.
 * @packageDocumentation
 */

// Images
export { loadImageStack } from './core/load.js';
export type { LoadOptions } from './core/load.js';
export type {
  ImageInput,
  ImageStack,
  Frame,
  SliceRef,
  DataType,
  PixelArray,
  WindowPreset,
} from './core/image/types.js';
export { VoxmarkError, ErrorCode } from './core/errors.js';

// Annotations
export { AnnotationDocument, createAnnotationDocument } from './core/annotation/document.js';
export type {
  AnnotationInput,
  AnnotationPatch,
  AnnotationDocumentOptions,
  AnnotationDocumentJSON,
  DocumentChange,
  EditOptions,
  MaskSource,
} from './core/annotation/document.js';
export type {
  Annotation,
  BoxAnnotation,
  PolygonAnnotation,
  MaskAnnotation,
  AnnotationJSON,
  AnnotationKind,
  AttributeValue,
  Box,
  Point,
  MaskRle,
  MaskInput,
  ChangeSet,
  ChangeOrigin,
} from './core/annotation/types.js';
export type { MaskHandle } from './core/mask/mask-handle.js';

// Label schema and validation
export { parseLabelSchema } from './core/schema/parse.js';
export type { Problem } from './core/schema/parse.js';
export { validateDocument } from './core/schema/validate.js';
export type { LabelSchema, LabelDef, AttributeDef } from './core/schema/types.js';

// Formats and dataset split
export { serializeDocument, parseDocument } from './core/formats/document.js';
export { toCoco, fromCoco } from './core/formats/coco.js';
export { toDicomSeg } from './core/formats/seg.js';
export { toNifti } from './core/formats/nifti.js';
export type { ToNiftiOptions } from './core/formats/nifti.js';
export { splitDataset } from './core/dataset/split.js';
export type { SplitOptions, SplitResult, SplitReport } from './core/dataset/split.js';

// De-identification
export { deidentify } from './core/deid/index.js';
export type { DeidentifyOptions, DeidentifyReport, DeidentifyResult } from './core/deid/index.js';

// Volumes and planes
export { reformatStack } from './core/image/reformat.js';
export type { Orientation, ReformattedStack } from './core/image/reformat.js';
export type { Volume } from './core/mask/volume.js';

// Segment-editor effects
export {
  fillBetweenSlices,
  islands,
  splitIslands,
  fillHoles,
  growFromSeeds,
  thresholdVolume,
  smoothVolume,
  marginVolume,
  combineVolumes,
  regionStatistics,
} from './core/effects/index.js';

// Archives (DICOMweb)
export { searchStudies, searchSeries, loadDicomWeb, storeInstances } from './core/dicomweb/index.js';

// Training datasets
export { exportDataset, exportDatasetBlob } from './core/dataset/export.js';
export type { DatasetFormat, DatasetItem, ExportDatasetOptions } from './core/dataset/types.js';

// Elements
export { VxViewer, type LoadPhase } from './elements/vx-viewer.js';
export { VxBoxLayer } from './elements/vx-box-layer.js';
export { VxPolygonLayer } from './elements/vx-polygon-layer.js';
export { VxMaskLayer } from './elements/vx-mask-layer.js';
export { VxToolbar } from './elements/vx-toolbar.js';
export { VxAnnotationList } from './elements/vx-annotation-list.js';
export { VxHotkeys } from './elements/vx-hotkeys.js';
export { VxLabelPicker } from './elements/vx-label-picker.js';
export { VxExportPanel } from './elements/vx-export-panel.js';
export { VxStudyBrowser, VxSeriesSelectEvent } from './elements/vx-study-browser.js';
export type { SeriesSelectDetail } from './elements/vx-study-browser.js';
export {
  VxMpr,
  MPR_LAYOUTS,
  MPR_PLANES,
  MPR_KEYMAP,
  type MprLayout,
  type MprPlane,
} from './elements/vx-mpr.js';

// Events
export * from './elements/events.js';

// Writing a layer, a tool or a control of your own (see docs/architecture.md): the viewer hands its host and
// its editor to child layers through these contexts; a control binds to a viewer with LinkedViewerController.
export { AnnotationLayerElement } from './elements/layers/annotation-layer.js';
export type { LayerContribution } from './elements/controllers/annotation-controller.js';
export { viewerHostContext, editorContext } from './elements/viewer-host.js';
export type { ViewerHost } from './elements/viewer-host.js';
export { LinkedViewerController, type LinkedViewer } from './elements/controllers/linked-viewer.js';
export { KEY_PRECEDENCE, type KeyStage } from './elements/controllers/keyboard-controller.js';
export type { VolumeAnnotation, VolumeRle, VolumeSliceRle } from './core/annotation/types.js';
export type { NewVolumeTarget, VolumeSource } from './core/annotation/document.js';
export type { VolumeHandle } from './core/mask/volume-handle.js';
export type { LayerOptions, StageLayer } from './elements/viewer-host.js';
// Measurements (line and angle annotations, statistics)
export { VxMeasureLayer } from './elements/vx-measure-layer.js';
export type { LineAnnotation, AngleAnnotation } from './core/annotation/types.js';
export { measurementText } from './core/annotation/measure.js';
export type { AnnotationStatistics } from './core/annotation/measure.js';
export { VxSegmentEffects } from './elements/vx-segment-effects.js';
export { EFFECTS_KEYMAP, VxEffectApplyEvent } from './elements/effects/keys.js';
export type { EffectAction, EffectName } from './elements/effects/keys.js';
