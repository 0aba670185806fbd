import { property } from 'lit/decorators.js';
import type { AnnotationKind } from '../core/annotation/types.js';
import type { EditorTools, ToolOptions } from '../core/tools/editor.js';
import { AnnotationLayerElement } from './layers/annotation-layer.js';

/**
 * Polygon annotations for the `<vx-viewer>` it is placed in: draws the polygons of the current slice and,
 * when the viewer's `tool` is `'polygon'`, takes pointer input. Click to add vertices; close with a click on
 * the first vertex, a double-click or Enter; Backspace removes the last vertex; drag on empty image to draw
 * freehand. On the selected polygon: drag a vertex, click an edge to insert one, Alt-click a vertex to
 * delete it, drag inside to move the shape.
 *
 * @tag vx-polygon-layer
 * @summary Polygon annotation layer: click or freehand polygons, with vertex editing.
 *
 * @fires vx-annotation-create - (on the viewer) a polygon was closed, once per gesture.
 * @fires vx-annotation-update - (on the viewer) a polygon was edited or moved, once per gesture.
 * @fires vx-annotation-delete - (on the viewer) polygons were deleted.
 */
export class VxPolygonLayer extends AnnotationLayerElement {
  protected readonly kinds: AnnotationKind[] = ['polygon'];
  protected readonly toolNames: (keyof EditorTools)[] = ['polygon'];

  /** Freehand simplification tolerance in screen pixels. */
  @property({ type: Number, attribute: 'simplify-tolerance' }) simplifyTolerance = 1.5;

  protected override toolOptions(): Partial<ToolOptions> {
    return { simplify: this.simplifyTolerance };
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'vx-polygon-layer': VxPolygonLayer;
  }
}
