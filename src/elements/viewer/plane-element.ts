/**
 * The plane side of `<vx-viewer>`'s public API: the `orientation` attribute, the plane on screen
 * (`viewer.plane`, a reformatted stack with its mapping to the source voxels and to patient space) and the
 * conversions an MPR container needs (a client point to a source voxel or a patient position).
 * @module
 */
import { property } from 'lit/decorators.js';
import { ErrorCode, VoxmarkError } from '../../core/errors.js';
import type { Vec3 } from '../../core/image/geometry.js';
import {
  Orientations,
  reformatStack,
  type Orientation,
  type ReformattedStack,
} from '../../core/image/reformat.js';
import type { ImageStack } from '../../core/image/types.js';
import { showsSourceSlices } from '../../core/tools/plane.js';
import { ViewerArchiveElement } from './archive-element.js';

/** Base of `<vx-viewer>` (above the archive): which plane of the stack it shows. */
export abstract class ViewerPlaneElement extends ViewerArchiveElement {
  #orientation: Orientation = 'acquisition';
  /** The plane of the current stack, made on first use; dropped with the stack or another orientation. */
  #plane: ReformattedStack | undefined;

  /**
   * The plane the stack is shown in: `'acquisition'` (default: the slices as acquired), or `'axial'`,
   * `'coronal'` or `'sagittal'` (built from the patient geometry by `reformatStack`, radiological
   * convention: patient left on screen right, anterior or superior at the top). The same stack and the same
   * document show in every plane; `slice`, the scroll keys and `vx-slice-change` count slices of this plane.
   * Changing it keeps the point at the view centre: the new plane opens at the slice through it, fitted.
   * An unknown value throws a `VoxmarkError` with code `invalid-argument`.
   */
  @property({ reflect: true })
  get orientation(): Orientation {
    return this.#orientation;
  }
  set orientation(value: Orientation | null | undefined) {
    const next = value ?? 'acquisition';
    if (!(Orientations as readonly string[]).includes(next))
      throw new VoxmarkError(
        ErrorCode.InvalidArgument,
        `Unknown orientation ${JSON.stringify(value)}: expected one of ${Orientations.join(', ')}`,
      );
    const previous = this.#orientation;
    if (next === previous) return;
    const before = this.plane;
    this.#orientation = next;
    this.#plane = undefined;
    this.requestUpdate('orientation', previous);
    const after = this.plane;
    if (before && after) this.planeChanged(after, this.#centreSlice(before, after));
  }

  /**
   * The plane on screen: the stack reformatted to `orientation` (for `'acquisition'`, the stack itself with
   * the same mapping API), undefined without a stack. Its `width`, `height`, `depth` and `spacing` are the
   * frames' as shown; `toSource(x, y, slice)` / `fromSource(i, j, k)` map its voxel indices to the stack's
   * and back, `toPatient` / `fromPatient` to patient position (LPS, mm), and `edges` holds the
   * patient-direction letters of the four screen edges. Image coordinates (`clientToImage`) are index + 0.5.
   */
  get plane(): ReformattedStack | undefined {
    const stack = this.stack;
    if (!stack || !(stack.depth >= 1)) return undefined;
    if (this.#plane?.source !== stack) this.#plane = reformatStack(stack, this.#orientation);
    return this.#plane;
  }

  /**
   * True when the frames on screen are the stack's own slices, pixel for pixel (the acquisition plane, or
   * the standard plane the series was acquired in): per-slice annotations (boxes, polygons, per-slice masks)
   * show and are drawn there. Volume masks show in every plane.
   */
  get showsSourceSlices(): boolean {
    return showsSourceSlices(this.plane);
  }

  /**
   * The stack voxel `[i, j, k]` (column, row, slice of `stack`) under a page point in the current slice, or
   * null off the volume or without a stack.
   */
  clientToVoxel(clientX: number, clientY: number): Vec3 | null {
    const plane = this.plane;
    if (!plane) return null;
    const [x, y] = this.clientToImage(clientX, clientY);
    if (!(x >= 0 && y >= 0 && x < plane.width && y < plane.height)) return null;
    return plane.toSourceVoxel(x - 0.5, y - 0.5, this.slice);
  }

  /** The patient position (LPS, mm; the spacing unit without geometry) of a page point in the current slice. */
  clientToPatient(clientX: number, clientY: number): Vec3 | undefined {
    const plane = this.plane;
    if (!plane) return undefined;
    const [x, y] = this.clientToImage(clientX, clientY);
    return plane.toPatient(x - 0.5, y - 0.5, this.slice);
  }

  /** The stack the frames on screen come from: the stack itself in the acquisition plane, else the plane. */
  protected displayStack(stack: ImageStack): ImageStack {
    const plane = this.plane;
    return plane && plane.source === stack && this.#orientation !== 'acquisition' ? plane : stack;
  }

  /** The slice of `after` through the image point at the view centre in `before`. */
  #centreSlice(before: ReformattedStack, after: ReformattedStack): number {
    const [cx, cy] = [this.view.centerX, this.view.centerY];
    const [i, j, k] = before.toSource(cx - 0.5, cy - 0.5, this.slice);
    const s = Math.round(after.fromSource(i, j, k)[2]);
    return Number.isFinite(s) ? Math.min(Math.max(0, s), after.depth - 1) : Math.floor(after.depth / 2);
  }

  abstract override get stack(): ImageStack | undefined;
  abstract override set stack(value: ImageStack | undefined);
  abstract get slice(): number;
  abstract get view(): { centerX: number; centerY: number };
  abstract clientToImage(clientX: number, clientY: number): [number, number];
  /** The orientation changed: show `plane` from `slice` on (the stack, document and window stay). */
  protected abstract planeChanged(plane: ReformattedStack, slice: number): void;
}
