import type { AnnotationKind } from '../core/annotation/types.js';
import type { EditorTools } from '../core/tools/editor.js';
import { AnnotationLayerElement } from './layers/annotation-layer.js';

/**
 * Measurements for the `<vx-viewer>` it is placed in: draws the lines and angles of the current slice with
 * their value beside them (length in mm from the stack's pixel spacing, degrees at an angle's vertex) and
 * provides the `'line'` (key M) and `'angle'` (key A) tools. Line: drag from end to end, or click both ends.
 * Angle: click the end of the first arm, the vertex, then the end of the second arm. Esc cancels; on the
 * selected measurement, drag a point to move it, or the measurement to move it whole. Measurements are
 * annotations like any other: they carry a label (which must allow `line` or `angle`), undo in one step and
 * export to voxmark JSON and COCO (as keypoints).
 *
 * @tag vx-measure-layer
 * @summary Line (length) and angle measurement layer.
 *
 * @fires vx-annotation-create - (on the viewer) a line or an angle was placed, once per gesture.
 * @fires vx-annotation-update - (on the viewer) a measurement was edited or moved, once per gesture.
 * @fires vx-annotation-delete - (on the viewer) measurements were deleted.
 */
export class VxMeasureLayer extends AnnotationLayerElement {
  protected readonly kinds: AnnotationKind[] = ['line', 'angle'];
  protected readonly toolNames: (keyof EditorTools)[] = ['line', 'angle'];
}

declare global {
  interface HTMLElementTagNameMap {
    'vx-measure-layer': VxMeasureLayer;
  }
}
