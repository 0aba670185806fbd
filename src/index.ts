/**
 * voxmark: web components for annotating DICOM and TIFF images, and the DOM-free core they are built on.
 * Import 'voxmark/define.js' once to register the elements.
 * @packageDocumentation
 */
export * from './core/index.js';
// Viewer
export { VxViewer, NAVIGATION_TOOLS } from './elements/vx-viewer.js';
export * from './elements/events.js';
export { viewerHostContext } from './render/viewer-host.js';
export type {
  ViewerHost,
  ToolHandler,
  ImagePointerEvent,
  ActionHandler,
  ViewState,
  ViewerChange,
  ViewerDocument,
  LayerOptions,
} from './render/viewer-host.js';
