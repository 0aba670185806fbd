/**
 * The Konva side of the viewer as one lazily loaded module: the stage and the annotation renderer, with Konva
 * itself. `<vx-viewer>` imports it with `import()` when its first instance is made (see
 * `src/elements/viewer/stage-loader.ts`), so a page pays for Konva only once it shows a viewer.
 * @module
 */
export { ViewerStage } from './viewer-stage.js';
export { AnnotationRenderer, fallbackColor } from './annotation-renderer.js';
export { Image as KonvaImage } from 'konva/lib/shapes/Image';
