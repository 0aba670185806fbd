/**
 * voxmark: web components for annotating DICOM and TIFF images, and the DOM-free core they are built on.
 * Import 'voxmark/define.js' once to register the elements.
 * @packageDocumentation
 */
export * from './core/index.js';
