/**
 * The linked crosshair of `<vx-mpr>`: one point of the volume, seen in the axial, coronal and sagittal planes.
 * Pure geometry over the planes' `reformatStack` mappings; the element draws it and moves the slices.
 * @module
 */
import { reformatStack, type ReformattedStack } from '../../core/image/reformat.js';
import type { Vec3 } from '../../core/image/geometry.js';
import type { ImageStack } from '../../core/image/types.js';

/** The three planes `<vx-mpr>` shows, in layout order. */
export const MPR_PLANES = ['axial', 'coronal', 'sagittal'] as const;
export type MprPlane = (typeof MPR_PLANES)[number];

/** Line colours of each plane's crosshair line in the other two views (Slicer's red, green and yellow). */
export const PLANE_COLORS: Record<MprPlane, string> = {
  axial: '#e5484d',
  coronal: '#46a758',
  sagittal: '#f5d90a',
};

/** One crosshair line in a view: the trace of another plane, horizontal or vertical on screen. */
export interface CrosshairLine {
  plane: MprPlane;
  /** 'h': a row of the view (constant image y); 'v': a column (constant image x). */
  axis: 'h' | 'v';
}

/**
 * Where the crosshair stands, and how each plane sees it. `position` is the point in patient space (LPS, mm;
 * for a stack without geometry, in its spacing unit), kept continuous; `voxel` the source voxel nearest to it.
 */
export class CrosshairModel {
  readonly source: ImageStack;
  readonly planes: Record<MprPlane, ReformattedStack>;
  #position: Vec3;

  constructor(source: ImageStack) {
    this.source = source;
    // The mapping only: these planes never build a frame, so they cost no memory.
    this.planes = {
      axial: reformatStack(source, 'axial'),
      coronal: reformatStack(source, 'coronal'),
      sagittal: reformatStack(source, 'sagittal'),
    };
    const centre: Vec3 = [source.width, source.height, source.depth].map((n) => Math.floor(n / 2)) as Vec3;
    this.#position = this.#patientOfVoxel(centre);
  }

  /** Patient position of the crosshair (LPS, mm). */
  get position(): Vec3 {
    return [...this.#position] as Vec3;
  }

  /** The source voxel (column, row, slice in acquisition order) nearest to the crosshair, inside the stack. */
  get voxel(): Vec3 {
    const a = this.planes.axial;
    const [i, j, k] = a.toSource(...a.fromPatient(this.#position));
    const s = this.source;
    return [clampIndex(i, s.width), clampIndex(j, s.height), clampIndex(k, s.depth)];
  }

  /** Moves the crosshair to the centre of source voxel (i, j, k) (clamped into the stack). */
  setVoxel(voxel: readonly number[]): void {
    const s = this.source;
    const v: Vec3 = [
      clampIndex(voxel[0] ?? 0, s.width),
      clampIndex(voxel[1] ?? 0, s.height),
      clampIndex(voxel[2] ?? 0, s.depth),
    ];
    this.#position = this.#patientOfVoxel(v);
  }

  /** Moves the crosshair to the image point (x, y) (tool coordinates: pixel corners at integers) of `plane`'s `slice`. */
  setFromView(plane: MprPlane, x: number, y: number, slice: number): void {
    this.#position = this.planes[plane].toPatient(x - 0.5, y - 0.5, slice);
  }

  /** `plane` moved to `slice`: the crosshair follows along that plane's normal. */
  setSlice(plane: MprPlane, slice: number): void {
    const p = this.planes[plane];
    const [x, y] = p.fromPatient(this.#position);
    this.#position = p.toPatient(x, y, slice);
  }

  /** The slice of `plane` through the crosshair. */
  sliceOf(plane: MprPlane): number {
    const p = this.planes[plane];
    return clampIndex(p.fromPatient(this.#position)[2], p.depth);
  }

  /** The crosshair in `plane`'s image (tool coordinates: pixel corners at integers). */
  pointIn(plane: MprPlane): [number, number] {
    const [x, y] = this.planes[plane].fromPatient(this.#position);
    return [x + 0.5, y + 0.5];
  }

  /**
   * The traces of the other two planes in `plane`'s view. For the standard planes each is a row or a column:
   * the plane whose normal is the view's y axis draws a horizontal line, the one along its x axis a vertical.
   */
  linesIn(plane: MprPlane): CrosshairLine[] {
    const view = this.planes[plane].directions;
    return MPR_PLANES.filter((other) => other !== plane).map((other) => {
      const normal = this.planes[other].directions[2];
      const along = (axis: 0 | 1) => Math.abs(dot(normal, view[axis]));
      return { plane: other, axis: along(1) >= along(0) ? 'h' : 'v' };
    });
  }

  #patientOfVoxel(v: Vec3): Vec3 {
    const a = this.planes.axial;
    const [x, y, s] = a.fromSource(...v);
    return a.toPatient(x, y, s);
  }
}

function dot(a: readonly number[], b: readonly number[]): number {
  return a[0]! * b[0]! + a[1]! * b[1]! + a[2]! * b[2]!;
}

function clampIndex(v: number, n: number): number {
  return Math.min(n - 1, Math.max(0, Math.round(v)));
}
