/**
 * Measurements of annotations: the length of a line and the angle at an angle's vertex, in physical units
 * from the stack's pixel spacing, and the statistics `document.statistics(id, stack)` reports. DOM-free.
 * @module
 */
import { ErrorCode, VoxmarkError } from '../errors.js';
import type { Annotation, AnnotationKind, Point } from './types.js';

/** What measurements read from an image stack: its size and spacing (an `ImageStack` fits). */
export interface MeasuredStack {
  readonly width: number;
  readonly height: number;
  readonly depth: number;
  /** [column, row, slice] spacing, in mm for DICOM. */
  readonly spacing: readonly number[];
}

/**
 * What `document.statistics(id, stack)` reports for one annotation. Regions (box, polygon, mask, volume) give
 * the statistics of the stack's values inside them in modality units (rescale applied: HU for CT) and their
 * area (mm², one slice) or volume (mm³); a line gives its length in mm, an angle its degrees.
 */
export interface AnnotationStatistics {
  id: string;
  kind: AnnotationKind;
  /** Mean, population SD, min and max of the modality values inside (regions; NaN when none is inside). */
  mean?: number;
  sd?: number;
  min?: number;
  max?: number;
  /** Pixels (voxels) inside. */
  count?: number;
  /** Area in mm² of a box, polygon or mask: count × column × row spacing. */
  areaMm2?: number;
  /** Volume in mm³ of a volume mask: count × the voxel's volume. */
  volumeMm3?: number;
  /** Length of a line in mm. */
  lengthMm?: number;
  /** Angle at an angle's vertex in degrees, 0–180. */
  angleDeg?: number;
}

function spacingXY(spacing: readonly number[] | undefined): [number, number] {
  const sx = spacing?.[0];
  const sy = spacing?.[1];
  if (!(typeof sx === 'number' && sx > 0 && typeof sy === 'number' && sy > 0))
    throw new VoxmarkError(ErrorCode.InvalidArgument, 'Spacing must start with two positive numbers [x, y]');
  return [sx, sy];
}

/**
 * Length of the polyline through `points` (a line's two) in mm, from the pixel spacing [x, y, …]:
 * √((Δx·sx)² + (Δy·sy)²) per segment. A 100 px line at 0.7 mm spacing is 70 mm.
 */
export function polylineLength(points: readonly Point[], spacing: readonly number[]): number {
  const [sx, sy] = spacingXY(spacing);
  let sum = 0;
  for (let i = 0; i + 1 < points.length; i++) {
    const [x0, y0] = points[i]!;
    const [x1, y1] = points[i + 1]!;
    sum += Math.hypot((x1 - x0) * sx, (y1 - y0) * sy);
  }
  return sum;
}

/**
 * The angle in degrees (0–180) at the vertex `points[1]` between the arms to `points[0]` and `points[2]`,
 * measured in physical space (so anisotropic pixels give the true angle). NaN when an arm has no length.
 */
export function vertexAngle(points: readonly Point[], spacing: readonly number[] = [1, 1]): number {
  const [sx, sy] = spacingXY(spacing);
  const [a, v, b] = points;
  if (!a || !v || !b) return NaN;
  const ux = (a[0] - v[0]) * sx;
  const uy = (a[1] - v[1]) * sy;
  const wx = (b[0] - v[0]) * sx;
  const wy = (b[1] - v[1]) * sy;
  if ((ux === 0 && uy === 0) || (wx === 0 && wy === 0)) return NaN;
  return (Math.atan2(Math.abs(ux * wy - uy * wx), ux * wx + uy * wy) * 180) / Math.PI;
}

/**
 * The value a measurement shows on the view: `'70.0 mm'` for a line, `'90.0°'` for an angle; undefined for
 * other kinds. `unit` names the spacing's unit (default mm; `'pixel'` or a missing spacing shows px).
 */
export function measurementText(
  a: { kind: AnnotationKind; points?: readonly Point[] },
  spacing: readonly number[] | undefined,
  unit = 'mm',
): string | undefined {
  const pts = a.points;
  if (!pts) return undefined;
  const physical = !!spacing && spacing[0]! > 0 && spacing[1]! > 0 && unit !== 'pixel';
  const s = physical ? spacing! : [1, 1];
  if (a.kind === 'line' && pts.length >= 2)
    return `${polylineLength(pts, s).toFixed(1)} ${physical ? unit : 'px'}`;
  if (a.kind === 'angle' && pts.length >= 3) {
    const deg = vertexAngle(pts, s);
    return Number.isFinite(deg) ? `${deg.toFixed(1)}°` : undefined;
  }
  return undefined;
}

/** The statistics of a line or an angle (no pixel is read), or undefined for a region. */
export function shapeMeasurement(
  a: Annotation,
  spacing: readonly number[],
): AnnotationStatistics | undefined {
  if (a.kind === 'line') return { id: a.id, kind: a.kind, lengthMm: polylineLength(a.points, spacing) };
  if (a.kind === 'angle') return { id: a.id, kind: a.kind, angleDeg: vertexAngle(a.points, spacing) };
  return undefined;
}

/** Mean, population SD, min, max and count of one part of a region. */
export interface PartStatistics {
  mean: number;
  sd: number;
  min: number;
  max: number;
  count: number;
}

/**
 * The statistics of a region from those of its disjoint parts (a volume's slices), by the pairwise update of
 * Chan et al.: n = Σ nᵢ, mean = Σ nᵢ·meanᵢ / n, M₂ = Σ (nᵢ·sdᵢ² + nᵢ·(meanᵢ − mean)²). Empty parts add nothing.
 */
export function combineStatistics(parts: readonly PartStatistics[]): PartStatistics {
  const full = parts.filter((p) => p.count > 0);
  const count = full.reduce((s, p) => s + p.count, 0);
  if (!count) return { mean: NaN, sd: NaN, min: NaN, max: NaN, count: 0 };
  const mean = full.reduce((s, p) => s + p.count * p.mean, 0) / count;
  const m2 = full.reduce((s, p) => s + p.count * (p.sd * p.sd + (p.mean - mean) ** 2), 0);
  return {
    mean,
    sd: Math.sqrt(m2 / count),
    min: Math.min(...full.map((p) => p.min)),
    max: Math.max(...full.map((p) => p.max)),
    count,
  };
}
