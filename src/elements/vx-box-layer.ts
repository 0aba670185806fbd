import { property } from 'lit/decorators.js';
import type { AnnotationKind } from '../core/annotation/types.js';
import type { EditorTools, ToolOptions } from '../core/tools/editor.js';
import { AnnotationLayerElement } from './layers/annotation-layer.js';

/**
 * Box annotations for the `<vx-viewer>` it is placed in: draws the boxes of the current slice and, when the
 * viewer's `tool` is `'box'`, takes pointer input. Drag to create (Shift: square); press a box to select and
 * drag to move it; drag one of the 8 handles of the selected box to resize; Shift+arrows nudge 1 px (Alt+Shift: 10 px).
 *
 * @tag vx-box-layer
 * @summary Box annotation layer: draw, select, move, resize and nudge boxes.
 *
 * @fires vx-annotation-create - (on the viewer) a box was drawn, once per gesture.
 * @fires vx-annotation-update - (on the viewer) a box was moved or resized, once per gesture.
 * @fires vx-annotation-delete - (on the viewer) boxes were deleted.
 */
export class VxBoxLayer extends AnnotationLayerElement {
  protected readonly kinds: AnnotationKind[] = ['box'];
  protected readonly toolNames: (keyof EditorTools)[] = ['box'];

  /** Box edges land on pixel boundaries. */
  @property({ type: Boolean }) snap = true;

  protected override toolOptions(): Partial<ToolOptions> {
    return { snap: this.snap };
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'vx-box-layer': VxBoxLayer;
  }
}
