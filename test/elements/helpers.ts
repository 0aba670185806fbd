/**
 * Shared helpers of the element tests: mounting a viewer, small stacks, input.
 */
import { fixture, oneEvent } from '@open-wc/testing';
import type { TemplateResult } from 'lit';
import { createImageStack } from '../../src/core/image/stack.js';
import type { ImageStack } from '../../src/core/image/types.js';
import type { LabelSchema } from '../../src/core/schema/types.js';
import '../../src/define.js';
import type { VxViewer } from '../../src/elements/vx-viewer.js';

/** What {@link mount} sets on the viewer once it is on the page. */
export interface MountOptions {
  /** Loaded before mount resolves (after `vx-load`). */
  stack?: ImageStack;
  labelSchema?: LabelSchema;
  activeLabel?: string;
}

/**
 * Renders `template` (a `<vx-viewer>`, or markup holding one), loads `stack` into the first viewer, sets the
 * schema and label, and resolves when it is drawn: the one way element tests put a viewer on the page.
 */
export async function mount<T extends Element = VxViewer>(
  template: TemplateResult,
  options: MountOptions = {},
): Promise<{ root: T; viewer: VxViewer }> {
  const root = await fixture<T>(template);
  const viewer = (root.localName === 'vx-viewer' ? root : root.querySelector('vx-viewer')) as VxViewer;
  if (options.stack) {
    const loaded = oneEvent(viewer, 'vx-load');
    viewer.stack = options.stack;
    await loaded;
  }
  if (options.labelSchema) viewer.labelSchema = options.labelSchema;
  if (options.activeLabel) viewer.activeLabel = options.activeLabel;
  await viewer.renderComplete;
  return { root, viewer };
}

export function drop(el: HTMLElement, files: File[]): void {
  const dt = new DataTransfer();
  for (const f of files) dt.items.add(f);
  const init = { dataTransfer: dt, bubbles: true, cancelable: true, composed: true };
  el.dispatchEvent(new DragEvent('dragover', init));
  el.dispatchEvent(new DragEvent('drop', init));
}

/** A blank 120 × 90 int16 stack of `depth` slices. */
export function blankStack(depth = 1) {
  const frames = Array.from({ length: depth }, () => new Int16Array(120 * 90));
  return createImageStack({ width: 120, height: 90, frames, dataType: 'int16', spacing: [1, 1, 1] });
}

/** The client position (whole pixels, for sendMouse) of image point (x, y) in `el`. */
export function clientOf(el: VxViewer, x: number, y: number): [number, number] {
  const [cx, cy] = el.imageToClient(x, y);
  return [Math.round(cx), Math.round(cy)];
}

/** A file of the reference corpus, as the browser would hand it over. */
export async function corpusFile(path: string, name: string): Promise<File> {
  return new File([await (await fetch(path)).arrayBuffer()], name);
}

/** RGBA of a layer's canvas of `el` (default the image layer) at client position (cx, cy). */
export function canvasPixel(
  el: VxViewer,
  cx: number,
  cy: number,
  layer: { getNativeCanvasElement(): HTMLCanvasElement } = el.imageLayer,
): number[] {
  const canvas = layer.getNativeCanvasElement();
  const r = canvas.getBoundingClientRect();
  const ratio = canvas.width / r.width;
  const d = canvas
    .getContext('2d')!
    .getImageData(Math.floor((cx - r.left) * ratio), Math.floor((cy - r.top) * ratio), 1, 1).data;
  return [d[0]!, d[1]!, d[2]!, d[3]!];
}
