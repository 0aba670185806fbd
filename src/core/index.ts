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
export { deidentify } from './deid/index.js';
export type { DeidentifyOptions } from './deid/types.js';
