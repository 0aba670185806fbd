/**
 * voxmark: web components for annotating DICOM and TIFF images, and the DOM-free core they are built on.
 * Import 'voxmark/define.js' once to register the elements.
 * @packageDocumentation
 */
export * from './core/index.js';
// Viewer
export { VxViewer, NAVIGATION_TOOLS, type LoadPhase } from './elements/vx-viewer.js';
export * from './elements/events.js';
export { viewerHostContext, editorContext } from './elements/viewer-host.js';
export type {
  ViewerHost,
  ToolHandler,
  ImagePointerEvent,
  ActionHandler,
  ViewState,
  ViewerChange,
  ViewerDocument,
  LayerOptions,
} from './elements/viewer-host.js';
// Annotation layers and toolbar
export { VxBoxLayer } from './elements/vx-box-layer.js';
export { VxPolygonLayer } from './elements/vx-polygon-layer.js';
export { VxMaskLayer } from './elements/vx-mask-layer.js';
export { VxToolbar } from './elements/vx-toolbar.js';
export { AnnotationLayerElement } from './elements/layers/annotation-layer.js';
export type { LayerContribution } from './elements/controllers/annotation-controller.js';
// Writing a control bound to a viewer, or a tool (see docs/architecture.md)
export { LinkedViewerController, type LinkedViewer } from './elements/controllers/linked-viewer.js';
export { KEY_PRECEDENCE, type KeyStage } from './elements/controllers/keyboard-controller.js';
export { AnnotationRenderer, fallbackColor, withAlpha, MASK_OPACITY } from './render/annotation-renderer.js';
export type { AnnotationStyle } from './render/annotation-renderer.js';
// Label picker and export panel
export { VxLabelPicker } from './elements/vx-label-picker.js';
export { VxExportPanel } from './elements/vx-export-panel.js';
