import { property } from 'lit/decorators.js';
import type { AnnotationKind } from '../core/annotation/types.js';
import type { EditorTools, ToolOptions } from '../core/tools/editor.js';
import { AnnotationLayerElement } from './layers/annotation-layer.js';
import type { ViewerHost } from './viewer-host.js';

/**
 * Brush masks for the `<vx-viewer>` it is placed in: shows the masks of the current slice and the volume
 * annotations, in any plane, as a coloured overlay (updated by dirty rectangle) and provides the `'brush'`,
 * `'eraser'` and `'brush-3d'` tools. Outside the acquisition plane the brush and eraser paint volumes, and
 * `'brush-3d'` paints a ball of the brush diameter in mm (see docs/planes.md). `[` and `]` change
 * the brush size (shown as a cursor outline); `g` toggles fill-holes mode (click inside a hole to fill it,
 * on a mask to fill all its holes). Set `threshold-min`/`threshold-max` for a threshold brush that paints
 * only where the modality value (e.g. CT HU) is in range.
 *
 * @tag vx-mask-layer
 * @summary Brush mask layer: paint, erase, threshold brush and fill holes.
 *
 * @fires vx-annotation-create - (on the viewer) a stroke started a new mask instance, once per stroke.
 * @fires vx-annotation-update - (on the viewer) a stroke changed a mask, once per stroke.
 * @fires vx-annotation-delete - (on the viewer) a mask was erased to nothing or deleted.
 */
export class VxMaskLayer extends AnnotationLayerElement {
  protected readonly kinds: AnnotationKind[] = ['mask', 'volume'];
  protected readonly toolNames: (keyof EditorTools)[] = ['brush', 'eraser', 'brush-3d'];

  /** Brush and eraser diameter in image pixels. Follows `[` and `]`. */
  @property({ type: Number, attribute: 'brush-size' })
  get brushSize(): number {
    return this.viewer?.editor.tools.brush.size ?? this.#size;
  }
  set brushSize(v: number) {
    const old = this.brushSize;
    this.#size = Math.max(1, Number(v) || 1);
    this.viewer?.editor.setOptions({ brushSize: this.#size, eraserSize: this.#size });
    this.requestUpdate('brushSize', old);
  }
  #size = 10;

  /** Lower bound of the threshold brush (modality units, e.g. HU); both bounds must be set. */
  @property({ type: Number, attribute: 'threshold-min' }) thresholdMin: number | undefined;
  /** Upper bound of the threshold brush. */
  @property({ type: Number, attribute: 'threshold-max' }) thresholdMax: number | undefined;
  /** Clicks fill holes instead of painting. */
  @property({ type: Boolean }) fill = false;

  protected override toolOptions(): Partial<ToolOptions> {
    const min = this.thresholdMin;
    const max = this.thresholdMax;
    const threshold = Number.isFinite(min) && Number.isFinite(max) ? { min: min!, max: max! } : null;
    return { threshold, fill: this.fill };
  }

  protected override joined(viewer: ViewerHost): void {
    // The size set on the layer applies from now on; `[` and `]` change it in the editor afterwards.
    viewer.editor.setOptions({ brushSize: this.#size, eraserSize: this.#size });
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'vx-mask-layer': VxMaskLayer;
  }
}
