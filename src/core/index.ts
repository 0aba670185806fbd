/**
 * voxmark/core: the DOM-free part of voxmark. Runs in a page, a worker or Node.
 * @packageDocumentation
 */
export { VoxmarkError, ErrorCode } from './errors.js';
export type { VoxmarkErrorOptions } from './errors.js';

// Images
export { loadImageStack } from './image/load.js';
export { createImageStack, LazyImageStack } from './image/stack.js';
export type { SyntheticStackInit, ImageStackInit } from './image/stack.js';
export { sniffFormat } from './image/sniff.js';
export type { ImageLoadOptions } from './image/load.js';
export { createDecodeWorkerPool } from './image/codecs/worker-pool.js';
export type { DecodeWorkerPool, DecodeWorkerPoolOptions } from './image/codecs/worker-pool.js';
export { serveDecodeRequests } from './image/codecs/worker-serve.js';
export { applyWindow, CT_PRESETS } from './image/window.js';
export type {
  ImageInput,
  ImageStack,
  Frame,
  SliceRef,
  LoadOptions,
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
export type {
  Annotation,
  Box,
  Point,
  MaskRle,
  MaskInput,
  ChangeSet,
  ChangeOrigin,
} from './annotation/types.js';
export { SparseMask, TILE_SIZE, unionRect } from './mask/sparse-mask.js';
export type { Rect, MaskRegion } from './mask/sparse-mask.js';
export { paintDab, paintStroke, fillHoles } from './mask/paint.js';
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
export { AnnotationKinds } from './schema/types.js';
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
} from './formats/rle.js';
export type { CocoRle } from './formats/rle.js';
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
export { splitDataset, checkSplit, defaultPatientId } from './formats/split.js';
export type { SplitOptions, SplitResult, SplitReport, LeakageEntry, SplitName } from './formats/split.js';
