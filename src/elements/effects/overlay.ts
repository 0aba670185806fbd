/**
 * The image-space layer of `<vx-segment-effects>`: the target volume's current slice, or an effect's preview
 * (a label map: each value its colour), drawn pixel for pixel over the image.
 * @module
 */
import type { Image as KImage } from 'konva/lib/shapes/Image';
import type { Volume } from '../../core/mask/volume.js';
import type { StageLayer } from '../../render/viewer-stage.js';
import type { LinkedViewer } from '../controllers/linked-viewer.js';
import { stageModules } from '../viewer/stage-loader.js';

/** An RGB colour, 0–255 per channel. */
export type Rgb = [number, number, number];

/** '#rrggbb' (or '#rgb') to RGB; orange for anything else. */
export function parseColour(css: string | undefined): Rgb {
  const hex = css?.match(/^#([0-9a-f]{3}|[0-9a-f]{6})$/i)?.[1];
  if (!hex) return [240, 140, 40];
  const full = hex.length === 3 ? [...hex].map((c) => c + c).join('') : hex;
  return [0, 2, 4].map((i) => parseInt(full.slice(i, i + 2), 16)) as Rgb;
}

export class EffectOverlay {
  private layer: StageLayer | undefined;
  private node: KImage | undefined;
  private readonly canvas = document.createElement('canvas');

  constructor(private readonly viewer: LinkedViewer) {}

  /**
   * The image node on the viewer's shared image-space layer (a stage has few canvases to spare), made once
   * the viewer has its stage: Konva loads with the page's first viewer, and before that nothing is shown.
   */
  private ensure(): KImage | undefined {
    if (this.node) return this.node;
    const modules = stageModules();
    if (!modules) return undefined;
    try {
      this.layer = this.viewer.annotationLayer;
    } catch {
      return undefined; // no stage yet
    }
    this.node = new modules.KonvaImage({ image: undefined, listening: false, visible: false, opacity: 0.5 });
    this.layer.add(this.node);
    return this.node;
  }

  /**
   * Shows slice `z` of `volume` (voxel value k in `colours[k]`, 0 clear), or nothing.
   */
  show(volume: Volume | undefined, z: number, colours: Rgb[]): void {
    const node = this.ensure();
    if (!node || !this.layer) return;
    if (!volume || z < 0 || z >= volume.depth) {
      node.visible(false);
      this.viewer.requestDraw(this.layer);
      return;
    }
    const { width: w, height: h } = volume;
    if (this.canvas.width !== w || this.canvas.height !== h) [this.canvas.width, this.canvas.height] = [w, h];
    const ctx = this.canvas.getContext('2d')!;
    const img = ctx.createImageData(w, h);
    const base = z * w * h;
    for (let i = 0; i < w * h; i++) {
      const k = volume.data[base + i]!;
      if (k === 0) continue;
      const c = colours[k] ?? colours[colours.length - 1]!;
      img.data.set([c[0], c[1], c[2], 255], i * 4);
    }
    ctx.putImageData(img, 0, 0);
    node.setAttrs({ image: this.canvas, width: w, height: h, visible: true });
    this.viewer.requestDraw(this.layer);
  }

  destroy(): void {
    this.node?.destroy();
    if (this.layer) this.viewer.requestDraw(this.layer);
  }
}
