/**
 * Which plane a view shows, as the annotation tools see it.
 * @module
 */
import type { PlaneMapping } from '../mask/paint-3d.js';

/**
 * A plane of a stack as tools see it: its mapping to the source voxels and whether its frames are the source's
 * own slices (the acquisition plane, or a standard plane the series was acquired in), where per-slice
 * annotations (boxes, polygons, per-slice masks) are drawn.
 */
export interface ToolPlane extends PlaneMapping {
  readonly orientation: string;
}

/**
 * True when frame `s` of `plane` is slice `s` of its source, pixel for pixel: the acquisition plane, or the
 * standard plane a series was acquired in (an axial series shown axial). Per-slice annotations live there.
 */
export function showsSourceSlices(plane: ToolPlane | undefined): boolean {
  if (!plane || plane.orientation === 'acquisition') return true;
  const { matrix, offset } = plane.toSourceAffine;
  return (
    matrix.every((column, e) => column.every((v, a) => v === (a === e ? 1 : 0))) &&
    offset.every((v) => v === 0)
  );
}
