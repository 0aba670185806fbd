/**
 * voxmark/core: the DOM-free part of voxmark. Runs in a page, a worker or Node.
 * @packageDocumentation
 */
export { VoxmarkError, ErrorCode } from './errors.js';
export type { VoxmarkErrorOptions } from './errors.js';

// Images
export { loadImageStack } from './load.js';
export { createImageStack, LazyImageStack } from './image/stack.js';
export type { SyntheticStackInit, ImageStackInit } from './image/stack.js';
export { sniffFormat } from './image/sniff.js';
export type { ImageLoadOptions, LoadOptions, SkippedInput, StackSeries } from './load.js';
export { createDecodeWorkerPool } from './image/codecs/worker-pool.js';
export type { DecodeWorkerPool, DecodeWorkerPoolOptions } from './image/codecs/worker-pool.js';
export { serveDecodeRequests } from './image/codecs/worker-serve.js';
export { applyWindow, CT_PRESETS } from './image/window.js';
export type {
  ImageInput,
  ImageStack,
  Frame,
  SliceRef,
  DataType,
  PixelArray,
  WindowPreset,
  VoiLutFunction,
  StackMetadata,
} from './image/types.js';

// De-identification
export { deidentify, deidentifyTiff, DEID_METHOD_CODES } from './deid/index.js';
export type {
  DeidentifyOptions,
  DeidentifyReport,
  DeidentifyReportEntry,
  DeidentifyResult,
  SafePrivateTag,
  PixelRegion,
  PixelRegionsForSize,
  CleanContext,
  TiffDeidentifyReport,
  TiffDeidentifyReportEntry,
  TiffDeidentifyResult,
} from './deid/index.js';

// Annotations (document, masks)
export { AnnotationDocument, createAnnotationDocument, maskOf } from './annotation/document.js';
export type {
  AnnotationInput,
  AnnotationPatch,
  AnnotationDocumentOptions,
  AnnotationDocumentJSON,
  DocumentChange,
  ChangeListener,
  EditOptions,
  MaskSource,
} from './annotation/document.js';
export { AnnotationKinds } from './annotation/types.js';
export type {
  Annotation,
  BoxAnnotation,
  PolygonAnnotation,
  MaskAnnotation,
  AnnotationOf,
  AnnotationJSON,
  AnnotationFields,
  Box,
  Point,
  MaskRle,
  MaskInput,
  ChangeSet,
  ChangeOrigin,
} from './annotation/types.js';
export { SHAPES, shapeOf, measureOf } from './annotation/shapes.js';
export type { Shape, ShapePreview, ShapeMeasure, Geometry, GeometryInput } from './annotation/shapes.js';
export { MaskHandle } from './mask/mask-handle.js';
export { SparseMask, unionRect } from './mask/sparse-mask.js';
export type { Rect, MaskRegion } from './mask/sparse-mask.js';
export { paintDab, paintStroke } from './mask/paint.js';
export type { PaintOptions, ThresholdRange } from './mask/paint.js';

// Keyboard bindings and display windowing (DOM-free parts of the viewer)
export {
  DEFAULT_KEYMAP,
  VIEWER_KEYMAP,
  ANNOTATION_KEYMAP,
  defaultKeymap,
  parseCombo,
  matchCombo,
  matchActions,
  mergeKeymap,
  findCollisions,
  formatCombo,
} from './keymap.js';
export type { Keymap, KeyLike, KeyCombo } from './keymap.js';
export { matchPointerActions, POINTER_KEYS } from './keymap.js';
export type { PointerKey } from './keymap.js';
export { buildVoiLut, greyOf, initialWindow } from './image/voi.js';
export type { VoiParams, VoiLut } from './image/voi.js';

// Annotation tools (DOM-free state machines), selection and hide/lock state
export { SelectionState, VisibilityState } from './session/selection.js';
export {
  boundsOf,
  hitTest,
  hitAnnotation,
  pointInPolygon,
  simplify,
  BoxHandles,
} from './annotation/geometry.js';
export type { Bounds, BoxHandle } from './annotation/geometry.js';
export { Tool, DRAG_THRESHOLD_PX, HANDLE_PX } from './tools/tool.js';
export type {
  ToolEnv,
  ToolPointerEvent,
  ToolPreview,
  PreviewShape,
  PreviewMask,
  SliceValues,
} from './tools/tool.js';
export { BoxTool, NUDGE_ACTIONS } from './tools/box-tool.js';
export type { BoxToolState } from './tools/box-tool.js';
export { PolygonTool } from './tools/polygon-tool.js';
export type { PolygonToolState } from './tools/polygon-tool.js';
export { BrushTool, BRUSH_MIN, BRUSH_MAX } from './tools/brush-tool.js';
export type { BrushToolState, BrushDraft } from './tools/brush-tool.js';
export { SelectTool } from './tools/select-tool.js';
export type { SelectToolState } from './tools/select-tool.js';
export {
  NAVIGATION_TOOLS,
  NAVIGATION_CURSORS,
  NavigationTool,
  WindowTool,
  PanTool,
  ZoomTool,
  ScrollTool,
  createNavigationTools,
} from './tools/navigation.js';
export type {
  NavigationToolName,
  NavigationView,
  NavigationContext,
  ScreenPointerEvent,
} from './tools/navigation.js';
export { AnnotationEditor, EDITOR_ACTIONS } from './tools/editor.js';
export type { EditorHost, EditorTools, EditorAction } from './tools/editor.js';

// Label schema and validation
export {
  parseLabelSchema,
  labelSchemaProblems,
  attributeValueProblem,
  findLabel,
  labelAncestors,
  labelValue,
  defaultAttributes,
  ProblemCode,
} from './schema/parse.js';
export type { Problem } from './schema/parse.js';
export { validateDocument } from './schema/validate.js';
export type { AnnotationsLike, ValidateOptions } from './schema/validate.js';
export type {
  LabelSchema,
  LabelDef,
  AttributeDef,
  EnumAttributeDef,
  BooleanAttributeDef,
  NumberAttributeDef,
  TextAttributeDef,
  CodedConcept,
  AnnotationKind,
  AttributeValue,
} from './schema/types.js';

// Formats: voxmark document, COCO, DICOM SEG, NIfTI, dataset split
export type { DocumentLike, ExportOptions, ExportProgress } from './formats/common.js';
export {
  serializeDocument,
  parseDocument,
  readDocument,
  documentContext,
  bindDocument,
  migrateV0toV1,
  DOCUMENT_FORMAT_VERSION,
} from './formats/document.js';
export type {
  DocumentJSON,
  DocumentImage,
  DocumentContext,
  ParsedDocument,
  SerializeOptions,
} from './formats/document.js';
export { toCoco, toCocoAsync, fromCoco, readCoco, polygonArea } from './formats/coco.js';
export type {
  CocoDataset,
  CocoImage,
  CocoCategory,
  CocoAnnotation,
  ToCocoOptions,
  FromCocoOptions,
  CocoImportReport,
} from './formats/coco.js';
export {
  encodeRle as encodeCocoRle,
  decodeRle as decodeCocoRle,
  rleArea,
  rleToBbox,
  maskToRegionRle,
  regionRleToMask,
  regionRleToCoco,
  cocoToRegionRle,
} from './mask/rle.js';
export type { CocoRle } from './mask/rle.js';
export { rasterizeBox, rasterizePolygon, annotationToMask } from './formats/rasterize.js';
export { toNifti, niftiSidecar, stackAffine } from './formats/nifti.js';
export type { ToNiftiOptions, NiftiSidecar, Affine } from './formats/nifti.js';
export {
  toDicomSeg,
  fromDicomSeg,
  segmentCodes,
  DEFAULT_SEGMENT_CATEGORY,
  DEFAULT_SEGMENT_TYPE,
} from './formats/seg.js';
export type {
  ToDicomSegOptions,
  FromDicomSegOptions,
  SegImportResult,
  SegReadResult,
  SegSegment,
  SegFrame,
} from './formats/seg.js';
export { splitDataset, checkSplit, defaultPatientId } from './dataset/split.js';
export type { SplitOptions, SplitResult, SplitReport, LeakageEntry, SplitName } from './dataset/split.js';

// Planes (reformatting) and volume masks
export {
  reformatStack,
  Orientations,
  Interpolations,
  PLANE_AXES,
  DEFAULT_REFORMAT_CACHE_BYTES,
} from './image/reformat.js';
export type {
  Orientation,
  Interpolation,
  ReformatOptions,
  ReformattedStack,
  PlaneEdges,
  IndexAffine,
} from './image/reformat.js';
export { stackGeometry, directionLetters } from './image/geometry.js';
export type { StackGeometry, Vec3, Mat3 } from './image/geometry.js';
export { SparseVolume, VolumeEdit, MAX_SPARSE_VOLUME_VOXELS } from './mask/sparse-volume.js';
export type { Box3, SliceChange, VolumeMemo } from './mask/sparse-volume.js';
export {
  paintPlaneStroke,
  paintPlaneDab,
  paintSphere,
  paintSphereStroke,
  planeMask,
} from './mask/paint-3d.js';
export type { PlaneMapping, Paint3dOptions, VoxelReader, VoxelAxes } from './mask/paint-3d.js';

// Training-ready dataset export: nnU-Net, MSD, COCO, YOLO and voxmark layouts in one streamed zip
export { exportDataset, exportDatasetBlob } from './dataset/export.js';
export { toNiftiImage, niftiImageType } from './dataset/nifti-image.js';
export type { ToNiftiImageOptions, NiftiImageInfo, NiftiTypeName } from './dataset/nifti-image.js';
export { seriesWindow, sliceToPng } from './dataset/png.js';
export type { SliceImageMode, SliceImage, DatasetWindow } from './dataset/png.js';
export { yoloLines, maskOutlines, yoloDataYaml } from './dataset/yolo.js';
export type { YoloLineOptions } from './dataset/yolo.js';
export { deidentificationStatus, DeidentificationStatus } from './dataset/deid-status.js';
export { DatasetFormats } from './dataset/types.js';
export type {
  DatasetFormat,
  DatasetItem,
  DatasetSplitOptions,
  DatasetImageOptions,
  DatasetProgress,
  ExportDatasetOptions,
  DataCard,
  DataCardCase,
  LabelCounts,
  DatasetSplitName,
} from './dataset/types.js';
// DICOMweb: QIDO-RS search, WADO-RS series into an ImageStack, STOW-RS store
export {
  loadDicomWeb,
  DicomWebImageStack,
  searchStudies,
  searchSeries,
  searchInstances,
  storeInstances,
  parseStoreAnswer,
  findSegmentations,
  retrieveInstance,
  retrieveFrame,
  retrieveSeriesMetadata,
  retrieveInstanceMetadata,
  dicomDate,
  jsonString,
  jsonStrings,
  jsonNumber,
  FRAME_ACCEPT,
} from './dicomweb/index.js';
export type {
  LoadDicomWebOptions,
  DicomWebStats,
  DateFilter,
  SearchOptions,
  StudyFilters,
  SeriesFilters,
  InstanceFilters,
  StudySummary,
  SeriesSummary,
  InstanceSummary,
  StoreOptions,
  StoreResult,
  SegmentationSummary,
  StoredInstance,
  FailedInstance,
  SeriesRef,
  InstanceRef,
  RetrievedFrame,
  DicomWebConnection,
  HeadersSource,
  DicomJson,
  DicomJsonAttribute,
} from './dicomweb/index.js';
// Volume masks and the segment-editor effects (see docs/effects.md).
export {
  createVolume,
  checkVolume,
  checkVolumeSize,
  cloneVolume,
  sliceView,
  volumeFromMask,
  countInside,
  paintedSlices,
  MAX_VOLUME_VOXELS,
} from './mask/volume.js';
export type { Volume } from './mask/volume.js';
export * from './effects/index.js';
export { showsSourceSlices } from './tools/plane.js';
export type { ToolPlane } from './tools/plane.js';

// Volume annotations (one instance, a sparse 3D mask over the stack)
export type { VolumeAnnotation, VolumeRle, VolumeSliceRle } from './annotation/types.js';
export type { NewVolumeTarget, VolumeSource } from './annotation/document.js';
export { volumeOf, plainMask, toVolumeHandle } from './annotation/shapes.js';
export type { StackSize } from './annotation/shapes.js';
export { VolumeHandle, volumeFromRle, isVolumeRle } from './mask/volume-handle.js';
export type { VolumeChangeInfo } from './mask/volume-handle.js';
// Measurements: line and angle annotations, their tools, and annotation statistics (see docs/annotation.md).
export type { LineAnnotation, AngleAnnotation } from './annotation/types.js';
export { polylineLength, vertexAngle, measurementText } from './annotation/measure.js';
export type { AnnotationStatistics, MeasuredStack } from './annotation/measure.js';
export { MeasureTool } from './tools/measure-tool.js';
export type { MeasureToolState } from './tools/measure-tool.js';
export { LineTool } from './tools/line-tool.js';
export { AngleTool } from './tools/angle-tool.js';
export type { SkippedAnnotation, SkipCode } from './formats/common.js';
