/**
 * Patient-space maths for image stacks: the voxel grid of a stack in DICOM patient coordinates (LPS:
 * +x towards the patient's left, +y posterior, +z superior, in millimetres), small vector and 3×3 matrix
 * helpers, and the patient-direction letters of a direction.
 */
import { ErrorCode, VoxmarkError } from '../errors.js';
import type { ImageStack } from './types.js';

export type Vec3 = [number, number, number];
/** A 3×3 matrix as three columns. */
export type Mat3 = [Vec3, Vec3, Vec3];

export const dot3 = (a: readonly number[], b: readonly number[]): number =>
  a[0]! * b[0]! + a[1]! * b[1]! + a[2]! * b[2]!;

export const cross3 = (a: readonly number[], b: readonly number[]): Vec3 => [
  a[1]! * b[2]! - a[2]! * b[1]!,
  a[2]! * b[0]! - a[0]! * b[2]!,
  a[0]! * b[1]! - a[1]! * b[0]!,
];

export const scale3 = (a: readonly number[], s: number): Vec3 => [a[0]! * s, a[1]! * s, a[2]! * s];
export const add3 = (a: readonly number[], b: readonly number[]): Vec3 => [
  a[0]! + b[0]!,
  a[1]! + b[1]!,
  a[2]! + b[2]!,
];
export const sub3 = (a: readonly number[], b: readonly number[]): Vec3 => [
  a[0]! - b[0]!,
  a[1]! - b[1]!,
  a[2]! - b[2]!,
];
export const norm3 = (a: readonly number[]): number => Math.hypot(a[0]!, a[1]!, a[2]!);

/** M·v for M given as columns. */
export function mulMat3Vec(m: Mat3, v: readonly number[]): Vec3 {
  const [c0, c1, c2] = m;
  return [
    c0[0] * v[0]! + c1[0] * v[1]! + c2[0] * v[2]!,
    c0[1] * v[0]! + c1[1] * v[1]! + c2[1] * v[2]!,
    c0[2] * v[0]! + c1[2] * v[1]! + c2[2] * v[2]!,
  ];
}

/** A·B for matrices given as columns. */
export function mulMat3(a: Mat3, b: Mat3): Mat3 {
  return [mulMat3Vec(a, b[0]), mulMat3Vec(a, b[1]), mulMat3Vec(a, b[2])];
}

export function det3(m: Mat3): number {
  return dot3(m[0], cross3(m[1], m[2]));
}

/** The inverse of M (columns), or null when M is singular. */
export function invertMat3(m: Mat3): Mat3 | null {
  const [a, b, c] = m;
  const det = det3(m);
  if (!Number.isFinite(det) || Math.abs(det) < 1e-12) return null;
  // The rows of the inverse are the cross products of the columns, over the determinant.
  const r0 = scale3(cross3(b, c), 1 / det);
  const r1 = scale3(cross3(c, a), 1 / det);
  const r2 = scale3(cross3(a, b), 1 / det);
  return [
    [r0[0], r1[0], r2[0]],
    [r0[1], r1[1], r2[1]],
    [r0[2], r1[2], r2[2]],
  ];
}

/**
 * Where the voxels of a stack sit in patient space: voxel (i, j, k) (column, row, slice; integers are voxel
 * centres) is at `origin + i·axes[0] + j·axes[1] + k·axes[2]` millimetres.
 */
export interface StackGeometry {
  /** Patient position (LPS, mm) of the centre of voxel (0, 0, 0). */
  origin: Vec3;
  /** One step along column, row and slice index, in mm (LPS). Their lengths are the spacing. */
  axes: Mat3;
  /**
   * False for a stack without patient geometry (no Image Orientation Patient, e.g. a plain TIFF): its array
   * axes are then taken as an axial acquisition (column → left, row → posterior, slice → superior) with the
   * stack's spacing, in the stack's spacing unit.
   */
  hasGeometry: boolean;
  /**
   * False when some slice position is more than a tenth of a step off the evenly spaced line from the first
   * to the last slice (a missing slice, or a series with two slice spacings). Such a series is still mapped
   * on the mean step, so positions between its irregular slices are approximate: a viewer should say so.
   */
  uniformSlices: boolean;
}

function finiteVector(v: unknown, n: number): v is number[] {
  return Array.isArray(v) && v.length === n && v.every((x) => typeof x === 'number' && Number.isFinite(x));
}

/**
 * The patient geometry of a stack, from `metadata.imageOrientationPatient`, the slice positions and the
 * spacing. The slice step is the mean step between the first and last slice positions (which keeps a
 * gantry tilt), or the slice normal times the slice spacing when positions are missing.
 * Throws VoxmarkError('corrupt') when the geometry cannot span a volume (parallel or zero direction cosines,
 * zero or non-finite spacing).
 */
export function stackGeometry(stack: ImageStack): StackGeometry {
  const [sx, sy, sz] = stack.spacing;
  if (![sx, sy, sz].every((s) => Number.isFinite(s) && s > 0)) {
    throw new VoxmarkError(ErrorCode.Corrupt, `Spacing ${stack.spacing.join(' × ')} does not span a volume`);
  }
  const iop = stack.metadata['imageOrientationPatient'];
  let geometry: StackGeometry;
  if (finiteVector(iop, 6)) {
    const rowLen = norm3(iop.slice(0, 3));
    const colLen = norm3(iop.slice(3, 6));
    if (!(rowLen > 0) || !(colLen > 0)) {
      throw new VoxmarkError(ErrorCode.Corrupt, 'Image Orientation Patient has a zero direction');
    }
    const row = scale3(iop.slice(0, 3), 1 / rowLen);
    const col = scale3(iop.slice(3, 6), 1 / colLen);
    const normal = cross3(row, col);
    const p0 = stack.slices[0]?.position;
    const pn = stack.slices[stack.depth - 1]?.position;
    let step = scale3(normal, sz);
    if (stack.depth > 1 && p0 && pn && finiteVector(p0, 3) && finiteVector(pn, 3)) {
      const mean = scale3(sub3(pn, p0), 1 / (stack.depth - 1));
      // Slices at one position (or a step within the plane) do not span a volume: keep the normal.
      if (Math.abs(dot3(mean, normal)) > 1e-6) step = mean;
    }
    const origin: Vec3 = p0 && finiteVector(p0, 3) ? [p0[0], p0[1], p0[2]] : [0, 0, 0];
    geometry = {
      origin,
      axes: [scale3(row, sx), scale3(col, sy), step],
      hasGeometry: true,
      uniformSlices: stack.slices.every((ref, k) => {
        const p = ref.position;
        return (
          !p || !finiteVector(p, 3) || norm3(sub3(p, add3(origin, scale3(step, k)))) <= 0.1 * norm3(step)
        );
      }),
    };
  } else {
    geometry = {
      origin: [0, 0, 0],
      axes: [
        [sx, 0, 0],
        [0, sy, 0],
        [0, 0, sz],
      ],
      hasGeometry: false,
      uniformSlices: true,
    };
  }
  if (Math.abs(det3(geometry.axes)) < 1e-9 * sx * sy * sz) {
    throw new VoxmarkError(
      ErrorCode.Corrupt,
      'Image Orientation Patient and the slice positions do not span a volume (parallel directions)',
    );
  }
  return geometry;
}

const LETTERS: [string, string][] = [
  ['L', 'R'],
  ['P', 'A'],
  ['S', 'I'],
];

/**
 * The patient-direction letters of an LPS direction: L/R, P/A, S/I, most significant first, as in DICOM
 * Patient Orientation (0020,0020) but with S/I for head/foot. A component counts when it is at least a
 * quarter of the length (about 15° off an axis), so an axis-aligned direction gives one letter and an
 * oblique one two or three, e.g. 'LA'.
 */
export function directionLetters(v: readonly number[]): string {
  const len = norm3(v);
  if (!(len > 0)) return '';
  return [0, 1, 2]
    .map((a) => ({ a, c: v[a]! / len }))
    .filter(({ c }) => Math.abs(c) >= 0.25)
    .sort((p, q) => Math.abs(q.c) - Math.abs(p.c))
    .map(({ a, c }) => LETTERS[a]![c > 0 ? 0 : 1])
    .join('');
}
