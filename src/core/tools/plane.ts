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
  /** Continuous source index (i, j, k) of plane index (x, y, slice); integers are voxel centres. */
  toSource(x: number, y: number, slice: number): [number, number, number];
  /** Continuous plane index (x, y, slice) of source index (i, j, k). */
  fromSource(i: number, j: number, k: number): [number, number, number];
}

/**
 * The acquisition plane of a width × height × depth stack of unit voxels: what tools paint through when their
 * host shows no plane (a document without a viewer).
 */
export function identityPlane(width: number, height: number, depth: number): ToolPlane {
  const axes: [[number, number, number], [number, number, number], [number, number, number]] = [
    [1, 0, 0],
    [0, 1, 0],
    [0, 0, 1],
  ];
  return {
    orientation: 'acquisition',
    width,
    height,
    depth,
    spacing: [1, 1, 1],
    toSourceAffine: { matrix: axes, offset: [0, 0, 0] },
    sourceGeometry: { axes },
    toSource: (x, y, slice) => [x, y, slice],
    fromSource: (i, j, k) => [i, j, k],
  };
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
