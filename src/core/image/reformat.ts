/**
 * Reformatting: the axial, coronal and sagittal planes of any stack, as ImageStacks of their own, built
 * lazily from the source's decoded frames.
 */
import { ErrorCode, VoxmarkError } from '../errors.js';
import { LazyImageStack } from './stack.js';
import {
  PIXEL_ARRAYS,
  type DataType,
  type Frame,
  type ImageStack,
  type PixelArray,
  type StackMetadata,
} from './types.js';
import {
  type Mat3,
  type StackGeometry,
  type Vec3,
  add3,
  directionLetters,
  dot3,
  invertMat3,
  mulMat3,
  mulMat3Vec,
  norm3,
  scale3,
  stackGeometry,
  sub3,
} from './geometry.js';

export const Orientations = ['axial', 'coronal', 'sagittal', 'acquisition'] as const;
/** The plane a stack is shown in: a standard anatomical plane, or the plane the images were acquired in. */
export type Orientation = (typeof Orientations)[number];

export const Interpolations = ['nearest', 'linear'] as const;
/** How a resampled (oblique) plane reads the source: nearest voxel, or trilinear. */
export type Interpolation = (typeof Interpolations)[number];

/** Default memory budget for the reformatted frames a stack keeps, in bytes. */
export const DEFAULT_REFORMAT_CACHE_BYTES = 64 * 1024 * 1024;

export interface ReformatOptions {
  /**
   * How an oblique acquisition is resampled: 'nearest' (default; exact stored values, and what masks use)
   * or 'linear' (trilinear, smoother images). An acquisition aligned with the plane is never interpolated.
   */
  interpolation?: Interpolation;
  /** Memory budget for the reformatted frames kept in the cache, in bytes. Default 64 MiB. */
  cacheBytes?: number;
  /**
   * An acquisition whose axes are all within this angle of the patient axes is treated as aligned: the
   * plane is the source grid with its axes swapped and flipped, voxel for voxel. Default 1°.
   */
  obliqueToleranceDegrees?: number;
  /**
   * Stored value of the pixels of a resampled plane that fall outside the source. Default: the smallest
   * stored value the source can hold (`metadata.storedRange`), else 0.
   */
  padding?: number;
}

/** Patient-direction letters at the four edges of a plane's frames (the direction a point moves towards). */
export interface PlaneEdges {
  left: string;
  right: string;
  top: string;
  bottom: string;
}

/** source index = matrix · (x, y, slice) + offset; integer indices are voxel centres. */
export interface IndexAffine {
  /** Columns: the source index step of one step along x, y and slice. */
  matrix: Mat3;
  offset: Vec3;
}

/**
 * An ImageStack showing another stack in an anatomical plane, with the way back to the source.
 *
 * Coordinates: (x, y, slice) are indices into this stack (x = column, y = row of a frame) and (i, j, k)
 * indices into the source (column, row, slice); integers are voxel centres, so the image coordinates that
 * tools use (origin at the top-left corner of the top-left pixel) are index + 0.5.
 */
export interface ReformattedStack extends ImageStack {
  readonly orientation: Orientation;
  readonly source: ImageStack;
  readonly interpolation: Interpolation;
  /**
   * False when every pixel of every frame is exactly one source voxel (an aligned acquisition: axes swapped
   * and flipped); true for an oblique acquisition resampled onto the patient axes.
   */
  readonly resampled: boolean;
  /** False for a source without patient geometry (plain TIFF): array axes, no patient letters. */
  readonly hasGeometry: boolean;
  /** Patient position (LPS, mm) of the centre of voxel (0, 0, 0); for no geometry, in the spacing unit. */
  readonly origin: Vec3;
  /** Unit directions (LPS) of increasing x, y and slice. */
  readonly directions: Mat3;
  /** Patient-direction letters of the four screen edges, or null without geometry. */
  readonly edges: PlaneEdges | null;
  /** Where the source's voxels sit in patient space. */
  readonly sourceGeometry: StackGeometry;
  /** The affine from this stack's indices to the source's. */
  readonly toSourceAffine: IndexAffine;
  /** Continuous source index (i, j, k) of (x, y, slice). */
  toSource(x: number, y: number, slice: number): Vec3;
  /** The source voxel nearest to (x, y, slice), or null when that is outside the source. */
  toSourceVoxel(x: number, y: number, slice: number): Vec3 | null;
  /** Continuous index (x, y, slice) in this stack of source index (i, j, k). */
  fromSource(i: number, j: number, k: number): Vec3;
  /** Patient position (LPS, mm) of (x, y, slice). */
  toPatient(x: number, y: number, slice: number): Vec3;
  /** Continuous index (x, y, slice) of a patient position (LPS, mm). */
  fromPatient(p: readonly number[]): Vec3;
}

/**
 * The screen axes of each plane in patient coordinates (LPS), radiological convention: x to the right of
 * the screen, y down, slice into the screen (x × y, right-handed, so an acquisition in that plane keeps its
 * slice order). Axial: patient left on the right, anterior at the top, slices foot → head. Coronal: patient
 * left on the right, superior at the top, slices anterior → posterior. Sagittal: anterior on the left,
 * superior at the top, slices left → right.
 */
export const PLANE_AXES: Record<Exclude<Orientation, 'acquisition'>, Mat3> = {
  axial: [
    [1, 0, 0],
    [0, 1, 0],
    [0, 0, 1],
  ],
  coronal: [
    [1, 0, 0],
    [0, 0, -1],
    [0, 1, 0],
  ],
  sagittal: [
    [0, 1, 0],
    [0, 0, -1],
    [-1, 0, 0],
  ],
};

const IDENTITY: Mat3 = [
  [1, 0, 0],
  [0, 1, 0],
  [0, 0, 1],
];

const RANGES: Partial<Record<DataType, [number, number]>> = {
  uint8: [0, 255],
  int8: [-128, 127],
  uint16: [0, 65535],
  int16: [-32768, 32767],
  uint32: [0, 4294967295],
  int32: [-2147483648, 2147483647],
};

/** Largest reformatted volume, relative to the source, that a resampled plane may span. */
const MAX_RESAMPLE_GROWTH = 8;

interface Plan {
  dims: Vec3;
  spacing: Vec3;
  affine: IndexAffine;
  resampled: boolean;
}

/**
 * Shows `stack` in an anatomical plane. The result is an ImageStack whose frames are built on demand from
 * the source's frames (decoding what they need) and cached within `cacheBytes`; it also maps its voxels
 * back to the source (`toSource`, `fromSource`) and to patient space (`toPatient`, `fromPatient`).
 *
 * - The plane comes from the patient geometry (Image Orientation Patient, slice positions, spacing), not
 *   from the array axes: a coronal acquisition shown 'axial' is resliced. A source without geometry (a
 *   plain TIFF stack) is taken as an axial acquisition of its array axes with its physical sizes.
 * - An acquisition within `obliqueToleranceDegrees` of the patient axes is reformatted voxel for voxel
 *   (axes swapped and flipped, no interpolation). An oblique one is resampled onto the patient axes (nearest
 *   voxel unless `interpolation: 'linear'`), on a grid that covers the whole source, with the source
 *   spacing of the nearest axis.
 * - `spacing` is [column, row, slice] so the frames show with the right aspect ratio.
 * - 'acquisition' is the source itself (frames are the source's frames), with the same mapping API.
 *
 * Throws VoxmarkError 'invalid-argument' for an unknown orientation or option, 'corrupt' for geometry that
 * does not span a volume and 'too-large' when a resampled plane would be far larger than the source.
 */
export function reformatStack(
  stack: ImageStack,
  orientation: Orientation,
  options: ReformatOptions = {},
): ReformattedStack {
  if (!(Orientations as readonly string[]).includes(orientation)) {
    throw new VoxmarkError(
      ErrorCode.InvalidArgument,
      `Unknown orientation ${JSON.stringify(orientation)}: expected one of ${Orientations.join(', ')}`,
    );
  }
  const interpolation = options.interpolation ?? 'nearest';
  if (!(Interpolations as readonly string[]).includes(interpolation)) {
    throw new VoxmarkError(
      ErrorCode.InvalidArgument,
      `Unknown interpolation ${JSON.stringify(interpolation)}`,
    );
  }
  const tolerance = options.obliqueToleranceDegrees ?? 1;
  if (!(tolerance >= 0 && tolerance < 45)) {
    throw new VoxmarkError(ErrorCode.InvalidArgument, `obliqueToleranceDegrees must be in [0, 45)`);
  }
  if (!(stack.width > 0 && stack.height > 0 && stack.depth > 0)) {
    throw new VoxmarkError(ErrorCode.InvalidArgument, 'Cannot reformat an empty stack');
  }
  return new ReformattedImageStack(stack, orientation, interpolation, tolerance, options);
}

function planFor(stack: ImageStack, g: StackGeometry, orientation: Orientation, tolerance: number): Plan {
  const sizes: Vec3 = [stack.width, stack.height, stack.depth];
  // In-plane sizes as the stack gives them (no rounding through the unit vectors); the slice step from the
  // positions.
  const lengths: Vec3 = [stack.spacing[0], stack.spacing[1], norm3(g.axes[2])];
  if (orientation === 'acquisition') {
    return {
      dims: sizes,
      spacing: lengths,
      affine: { matrix: IDENTITY, offset: [0, 0, 0] },
      resampled: false,
    };
  }
  const target = PLANE_AXES[orientation];
  const units = g.axes.map((a, i) => scale3(a, 1 / lengths[i]!)) as Mat3;
  // For each plane axis, the source axis closest to it and the sign that points it the same way.
  const match = target.map((t) => {
    let best = 0;
    let cos = 0;
    for (let a = 0; a < 3; a++) {
      const c = dot3(t, units[a]!);
      if (Math.abs(c) > Math.abs(cos)) {
        cos = c;
        best = a;
      }
    }
    return { axis: best, sign: cos < 0 ? -1 : 1, cos: Math.abs(cos) };
  });
  const spacing = match.map((m) => lengths[m.axis]!) as Vec3;
  const distinct = new Set(match.map((m) => m.axis)).size === 3;
  const limit = Math.cos((tolerance * Math.PI) / 180) - 1e-12;
  if (distinct && match.every((m) => m.cos >= limit)) {
    const matrix: Mat3 = [
      [0, 0, 0],
      [0, 0, 0],
      [0, 0, 0],
    ];
    const offset: Vec3 = [0, 0, 0];
    match.forEach((m, e) => {
      matrix[e][m.axis] = m.sign;
      if (m.sign < 0) offset[m.axis] = sizes[m.axis]! - 1;
    });
    const dims = match.map((m) => sizes[m.axis]!) as Vec3;
    return { dims, spacing, affine: { matrix, offset }, resampled: false };
  }
  // Oblique: a grid along the patient axes over the source's voxel centres.
  const lo: Vec3 = [Infinity, Infinity, Infinity];
  const hi: Vec3 = [-Infinity, -Infinity, -Infinity];
  for (const i of [0, sizes[0] - 1])
    for (const j of [0, sizes[1] - 1])
      for (const k of [0, sizes[2] - 1]) {
        const p = add3(g.origin, mulMat3Vec(g.axes, [i, j, k]));
        for (let e = 0; e < 3; e++) {
          const d = dot3(p, target[e]);
          lo[e] = Math.min(lo[e]!, d);
          hi[e] = Math.max(hi[e]!, d);
        }
      }
  const dims = [0, 1, 2].map((e) => Math.floor((hi[e]! - lo[e]!) / spacing[e]! + 1e-6) + 1) as Vec3;
  const sourceVoxels = sizes[0] * sizes[1] * sizes[2];
  if (
    dims.some((n) => n > 65536) ||
    dims[0] * dims[1] * dims[2] > MAX_RESAMPLE_GROWTH * sourceVoxels + 4096
  ) {
    throw new VoxmarkError(
      ErrorCode.TooLarge,
      `Resampling this oblique series needs a ${dims.join('×')} grid, far larger than the source`,
    );
  }
  const inverse = invertMat3(g.axes)!;
  const origin = add3(add3(scale3(target[0], lo[0]), scale3(target[1], lo[1])), scale3(target[2], lo[2]));
  const steps = target.map((t, e) => scale3(t, spacing[e]!)) as Mat3;
  return {
    dims,
    spacing,
    affine: { matrix: mulMat3(inverse, steps), offset: mulMat3Vec(inverse, sub3(origin, g.origin)) },
    resampled: true,
  };
}

class ReformattedImageStack extends LazyImageStack implements ReformattedStack {
  readonly orientation: Orientation;
  readonly source: ImageStack;
  readonly interpolation: Interpolation;
  readonly resampled: boolean;
  readonly hasGeometry: boolean;
  readonly origin: Vec3;
  readonly directions: Mat3;
  readonly edges: PlaneEdges | null;
  readonly sourceGeometry: StackGeometry;
  readonly toSourceAffine: IndexAffine;
  readonly #inverse: Mat3;
  readonly #toSourceIndex: Mat3;

  constructor(
    source: ImageStack,
    orientation: Orientation,
    interpolation: Interpolation,
    tolerance: number,
    options: ReformatOptions,
  ) {
    const g = stackGeometry(source);
    const plan = planFor(source, g, orientation, tolerance);
    const { matrix, offset } = plan.affine;
    const identity = !plan.resampled && matrix.every((c, e) => c.every((v, a) => v === (a === e ? 1 : 0)));
    const directions = matrix.map((c) => {
      const d = mulMat3Vec(g.axes, c);
      return scale3(d, 1 / norm3(d));
    }) as Mat3;
    const toPatient = (x: number, y: number, s: number) =>
      add3(g.origin, mulMat3Vec(g.axes, add3(mulMat3Vec(matrix, [x, y, s]), offset)));
    const metadata: StackMetadata = { ...source.metadata };
    if (g.hasGeometry) metadata.imageOrientationPatient = [...directions[0], ...directions[1]];
    const slices = identity
      ? source.slices
      : Array.from({ length: plan.dims[2] }, (_, s) =>
          g.hasGeometry ? { position: toPatient(0, 0, s) } : {},
        );
    const padding = paddingFor(source, options.padding);
    let build: (index: number, signal: AbortSignal | undefined) => Promise<Frame>;
    if (identity) build = (index, signal) => source.getFrame(index, signal ? { signal } : {});
    else {
      const mode = plan.resampled ? interpolation : 'exact';
      const [width, height] = plan.dims;
      const plane: PlaneBuild = { source, affine: plan.affine, width, height, padding, mode };
      if (FrameGroups.worthwhile(plane)) {
        const groups = new FrameGroups(plane, plan.dims[2]);
        build = (index, signal) => groups.build(index, signal);
      } else build = async (index, signal) => (await buildFrames(plane, index, 1, signal))[0]!;
    }
    super({
      format: source.format,
      width: plan.dims[0],
      height: plan.dims[1],
      samplesPerPixel: source.samplesPerPixel,
      dataType: source.dataType,
      spacing: plan.spacing,
      windowPresets: source.windowPresets,
      slices,
      metadata,
      cacheBytes: options.cacheBytes ?? DEFAULT_REFORMAT_CACHE_BYTES,
      decode: build,
    });
    this.orientation = orientation;
    this.source = source;
    this.interpolation = interpolation;
    this.resampled = plan.resampled;
    this.hasGeometry = g.hasGeometry;
    this.sourceGeometry = g;
    this.toSourceAffine = plan.affine;
    this.#inverse = invertMat3(matrix)!;
    this.#toSourceIndex = matrix;
    this.directions = directions;
    this.origin = toPatient(0, 0, 0);
    this.edges = g.hasGeometry
      ? {
          left: directionLetters(scale3(directions[0], -1)),
          right: directionLetters(directions[0]),
          top: directionLetters(scale3(directions[1], -1)),
          bottom: directionLetters(directions[1]),
        }
      : null;
  }

  toSource(x: number, y: number, slice: number): Vec3 {
    return add3(mulMat3Vec(this.#toSourceIndex, [x, y, slice]), this.toSourceAffine.offset);
  }

  toSourceVoxel(x: number, y: number, slice: number): Vec3 | null {
    const [i, j, k] = this.toSource(x, y, slice).map((v) => Math.floor(v + 0.5)) as Vec3;
    const s = this.source;
    return i >= 0 && j >= 0 && k >= 0 && i < s.width && j < s.height && k < s.depth ? [i, j, k] : null;
  }

  fromSource(i: number, j: number, k: number): Vec3 {
    return mulMat3Vec(this.#inverse, sub3([i, j, k], this.toSourceAffine.offset));
  }

  toPatient(x: number, y: number, slice: number): Vec3 {
    const g = this.sourceGeometry;
    return add3(g.origin, mulMat3Vec(g.axes, this.toSource(x, y, slice)));
  }

  fromPatient(p: readonly number[]): Vec3 {
    const g = this.sourceGeometry;
    const [i, j, k] = mulMat3Vec(invertMat3(g.axes)!, sub3(p, g.origin));
    return this.fromSource(i, j, k);
  }
}

function paddingFor(source: ImageStack, padding: number | undefined): number {
  const range = RANGES[source.dataType];
  const stored = (source.metadata as StackMetadata).storedRange;
  let value = padding ?? (stored && Number.isFinite(stored[0]) ? stored[0] : 0);
  if (range) value = Math.min(range[1], Math.max(range[0], Math.round(value)));
  return value;
}

/** One reformatted frame to fill, the source frames it reads, and how to bring them to one rescale. */
interface SampleContext {
  width: number;
  height: number;
  depth: number;
  spp: number;
  /** Source slice of frames[0]. */
  k0: number;
  frames: PixelArray[];
  /** Per frame: stored value on the reference scale = v · scale[n] + shift[n]. */
  scale: Float64Array;
  shift: Float64Array;
  /** True when some frame has another rescale than the first. */
  converting: boolean;
  /** Range of an integer data type (values are rounded and clamped into it), or undefined for floats. */
  range: [number, number] | undefined;
  /** The frame to fill: slice `slice` of the plane, outWidth × outHeight, through `affine`. */
  affine: IndexAffine;
  outWidth: number;
  outHeight: number;
  slice: number;
  out: PixelArray;
}

/** What a frame build needs to know about its plane. */
interface PlaneBuild {
  source: ImageStack;
  affine: IndexAffine;
  width: number;
  height: number;
  padding: number;
  mode: 'exact' | Interpolation;
}

/** The decoded source frames that slices `first` to `first + count - 1` of a plane read. */
async function sourceFrames(
  plane: PlaneBuild,
  first: number,
  count: number,
  signal: AbortSignal | undefined,
): Promise<{ k0: number; frames: Frame[] }> {
  const { source, affine, width, height } = plane;
  const [ax, ay, as] = affine.matrix;
  const b = affine.offset;
  // The source slices these frames read: each frame is a plane, so the corners of the first and last bound them.
  let kLo = Infinity;
  let kHi = -Infinity;
  for (const x of [0, width - 1])
    for (const y of [0, height - 1])
      for (const slice of [first, first + count - 1]) {
        const k = ax[2] * x + ay[2] * y + as[2] * slice + b[2];
        kLo = Math.min(kLo, k);
        kHi = Math.max(kHi, k);
      }
  const last = source.depth - 1;
  const k0 = Math.min(last, Math.max(0, Math.floor(kLo - 0.5)));
  const k1 = Math.max(k0, Math.min(last, Math.ceil(kHi + 0.5)));
  const frames = await Promise.all(
    Array.from({ length: k1 - k0 + 1 }, (_, n) => source.getFrame(k0 + n, signal ? { signal } : {})),
  );
  const spp = source.samplesPerPixel;
  for (const f of frames) {
    if (f.width !== source.width || f.height !== source.height || f.samplesPerPixel !== spp) {
      throw new VoxmarkError(ErrorCode.Corrupt, 'A source frame does not match the size of its stack');
    }
  }
  return { k0, frames };
}

/**
 * Builds `count` consecutive frames of the plane from `first` on, reading each source frame once. Neighbouring
 * slices of a sagittal plane of an axial series are neighbouring source columns, so building them together
 * reads every cache line of the source once for all of them instead of once per frame.
 */
async function buildFrames(
  plane: PlaneBuild,
  first: number,
  count: number,
  signal: AbortSignal | undefined,
  pause?: () => Promise<boolean>,
): Promise<Frame[]> {
  const { source, affine, width, height } = plane;
  const { k0, frames } = await sourceFrames(plane, first, count, signal);
  const spp = source.samplesPerPixel;
  const ref = frames[0]!;
  const outs = Array.from({ length: count }, () => {
    const out = new PIXEL_ARRAYS[source.dataType](width * height * spp);
    if (plane.padding !== 0) out.fill(plane.padding);
    return out;
  });
  const ctx: SampleContext = {
    width: source.width,
    height: source.height,
    depth: source.depth,
    spp,
    k0,
    frames: frames.map((f) => f.data),
    scale: Float64Array.from(frames, (f) => f.rescaleSlope / ref.rescaleSlope),
    shift: Float64Array.from(frames, (f) => (f.rescaleIntercept - ref.rescaleIntercept) / ref.rescaleSlope),
    converting: frames.some(
      (f) => f.rescaleSlope !== ref.rescaleSlope || f.rescaleIntercept !== ref.rescaleIntercept,
    ),
    range: RANGES[source.dataType],
    affine,
    outWidth: width,
    outHeight: height,
    slice: first,
    out: outs[0]!,
  };
  if (plane.mode === 'exact' && !ctx.converting) {
    // In the background, a few rows at a time; stop when `pause` says the frames are no longer wanted.
    const rows = pause ? ROWS_PER_TASK : height;
    for (let y = 0; y < height; y += rows) {
      if (y > 0 && pause && !(await pause())) throw new VoxmarkError(ErrorCode.Aborted, 'Superseded');
      copyExact(ctx, outs, y, Math.min(height, y + rows));
    }
  } else {
    outs.forEach((out, n) => {
      ctx.slice = first + n;
      ctx.out = out;
      if (plane.mode === 'linear') copyLinear(ctx);
      else copyNearest(ctx);
    });
  }
  return outs.map((data) => ({
    width,
    height,
    samplesPerPixel: spp,
    data,
    rescaleSlope: ref.rescaleSlope,
    rescaleIntercept: ref.rescaleIntercept,
  }));
}

/** Slices prepared ahead of a scroll when neighbouring slices are neighbouring source columns. */
const AHEAD = 8;
/** Source rows (of every slice being prepared) copied between two yields to the event loop. */
const ROWS_PER_TASK = 32;

/**
 * Builds the frames of a plane whose rows are strided in the source (a sagittal plane of an axial series:
 * every pixel of a row is in another cache line). Asked for a frame it has not prepared, it builds that one
 * alone; meanwhile it keeps the next AHEAD / 2 to AHEAD slices in the direction of travel prepared, in short
 * background tasks between frames, reading each source row once for a batch of AHEAD slices. It keeps at
 * most 2 · AHEAD prepared frames, and drops those behind the scroll.
 */
class FrameGroups {
  readonly #plane: PlaneBuild;
  readonly #depth: number;
  readonly #ready = new Map<number, Frame>();
  #pending: { first: number; end: number; batch: number } | undefined;
  #batch = 0;
  #last = -1;

  constructor(plane: PlaneBuild, depth: number) {
    this.#plane = plane;
    this.#depth = depth;
  }

  /** Whether preparing pays: rows strided in the source, consecutive slices one source column apart. */
  static worthwhile(plane: PlaneBuild): boolean {
    const [ax, , as] = plane.affine.matrix;
    return plane.mode === 'exact' && Math.abs(ax[0]) !== 1 && Math.abs(as[0]) === 1 && as[2] === 0;
  }

  async build(index: number, signal: AbortSignal | undefined): Promise<Frame> {
    const step = index < this.#last ? -1 : 1;
    this.#last = index;
    const ready = this.#ready.get(index);
    this.#ready.delete(index);
    for (const s of this.#ready.keys()) {
      if ((s - index) * step < 0 || Math.abs(s - index) > 2 * AHEAD) this.#ready.delete(s);
    }
    this.#ahead(index, step);
    return ready ?? (await buildFrames(this.#plane, index, 1, signal))[0]!;
  }

  /** Starts preparing the next batch when fewer than AHEAD / 2 slices ahead of `index` are prepared. */
  #ahead(index: number, step: 1 | -1): void {
    let next = index + step;
    while (this.#ready.has(next)) next += step;
    const p = this.#pending;
    if (p && next >= p.first && next < p.end) return;
    if (Math.abs(next - index) > AHEAD / 2 || next < 0 || next >= this.#depth) return;
    const first = step > 0 ? next : Math.max(0, next - AHEAD + 1);
    const end = step > 0 ? Math.min(this.#depth, next + AHEAD) : next + 1;
    void this.#prepare(first, end);
  }

  async #prepare(first: number, end: number): Promise<void> {
    const batch = ++this.#batch;
    this.#pending = { first, end, batch };
    const current = async () => {
      await nextTask();
      return batch === this.#batch;
    };
    const built = await buildFrames(this.#plane, first, end - first, undefined, current).catch(
      () => undefined,
    );
    if (batch !== this.#batch) return;
    this.#pending = undefined;
    built?.forEach((f, n) => {
      if (Math.abs(first + n - this.#last) <= 2 * AHEAD) this.#ready.set(first + n, f);
    });
  }
}

/** Resolves in a new task, so frames and input run between chunks of background work. */
function nextTask(): Promise<void> {
  if (typeof MessageChannel === 'undefined') return new Promise((r) => setTimeout(r, 0));
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}

/**
 * An aligned plane: every step along x is one step along one source axis, so a row is a strided copy
 * within one source frame, or one voxel from each of consecutive frames. Fills `outs[n]` with slice
 * `ctx.slice + n`, rows y0 to y1, row by row across the slices, so a source row read for one slice serves
 * them all.
 */
function copyExact(ctx: SampleContext, outs: PixelArray[], y0: number, y1: number): void {
  const { affine, outWidth: width, slice: first } = ctx;
  const [ax, ay, as] = affine.matrix;
  const b = affine.offset;
  const { spp, frames } = ctx;
  const w = ctx.width;
  for (let y = y0; y < y1; y++) {
    for (let g = 0; g < outs.length; g++) {
      const out = outs[g]!;
      const slice = first + g;
      const i = ay[0] * y + as[0] * slice + b[0];
      const j = ay[1] * y + as[1] * slice + b[1];
      const n0 = ay[2] * y + as[2] * slice + b[2] - ctx.k0;
      let src = (j * w + i) * spp;
      let o = y * width * spp;
      if (ax[2] === 0) {
        const data = frames[n0]!;
        const stride = (ax[0] + ax[1] * w) * spp;
        if (spp === 1) {
          for (let x = 0; x < width; x++, src += stride) out[o++] = data[src]!;
        } else {
          for (let x = 0; x < width; x++, src += stride)
            for (let c = 0; c < spp; c++) out[o++] = data[src + c]!;
        }
      } else {
        const dn = ax[2];
        for (let x = 0, n = n0; x < width; x++, n += dn) {
          const data = frames[n]!;
          for (let c = 0; c < spp; c++) out[o++] = data[src + c]!;
        }
      }
    }
  }
}

/** Nearest voxel: a resampled plane, or an aligned one whose slices differ in rescale. */
function copyNearest(ctx: SampleContext): void {
  const { affine, outWidth: width, outHeight: height, slice, out } = ctx;
  const [ax, ay, as] = affine.matrix;
  const b = affine.offset;
  const { spp, frames, width: w, height: h, k0, scale, shift, converting, range } = ctx;
  const k1 = k0 + frames.length;
  for (let y = 0; y < height; y++) {
    // Offsets of +0.5 make floor() round to the nearest voxel centre.
    let fi = ay[0] * y + as[0] * slice + b[0] + 0.5;
    let fj = ay[1] * y + as[1] * slice + b[1] + 0.5;
    let fk = ay[2] * y + as[2] * slice + b[2] + 0.5;
    let o = y * width * spp;
    for (let x = 0; x < width; x++, o += spp, fi += ax[0], fj += ax[1], fk += ax[2]) {
      const i = Math.floor(fi);
      const j = Math.floor(fj);
      const k = Math.floor(fk);
      if (i < 0 || j < 0 || i >= w || j >= h || k < k0 || k >= k1) continue;
      const n = k - k0;
      const data = frames[n]!;
      const src = (j * w + i) * spp;
      if (!converting) for (let c = 0; c < spp; c++) out[o + c] = data[src + c]!;
      else for (let c = 0; c < spp; c++) out[o + c] = fit(data[src + c]! * scale[n]! + shift[n]!, range);
    }
  }
}

/** Trilinear: within half a voxel of the source's edge, the edge voxel extends (as nearest would). */
function copyLinear(ctx: SampleContext): void {
  const { affine, outWidth: width, outHeight: height, slice, out } = ctx;
  const [ax, ay, as] = affine.matrix;
  const b = affine.offset;
  const { spp, frames, width: w, height: h, depth: d, k0: kFirst, scale, shift, range } = ctx;
  const nLast = frames.length - 1;
  for (let y = 0; y < height; y++) {
    let fi = ay[0] * y + as[0] * slice + b[0];
    let fj = ay[1] * y + as[1] * slice + b[1];
    let fk = ay[2] * y + as[2] * slice + b[2];
    let o = y * width * spp;
    for (let x = 0; x < width; x++, o += spp, fi += ax[0], fj += ax[1], fk += ax[2]) {
      if (fi < -0.5 || fj < -0.5 || fk < -0.5 || fi > w - 0.5 || fj > h - 0.5 || fk > d - 0.5) continue;
      const ci = fi < 0 ? 0 : fi > w - 1 ? w - 1 : fi;
      const cj = fj < 0 ? 0 : fj > h - 1 ? h - 1 : fj;
      const ck = fk < 0 ? 0 : fk > d - 1 ? d - 1 : fk;
      const i0 = Math.floor(ci);
      const j0 = Math.floor(cj);
      const n0 = Math.floor(ck) - kFirst;
      const ti = ci - i0;
      const tj = cj - j0;
      const tk = ck - Math.floor(ck);
      const n1 = n0 < nLast ? n0 + 1 : n0;
      if (n0 < 0 || n0 > nLast) continue;
      const di = (i0 < w - 1 ? 1 : 0) * spp;
      const dj = (j0 < h - 1 ? w : 0) * spp;
      const a = frames[n0]!;
      const z = frames[n1]!;
      const p = (j0 * w + i0) * spp;
      for (let c = 0, q = p; c < spp; c++, q++) {
        const ta = a[q]! + (a[q + di]! - a[q]!) * ti;
        const ba = a[q + dj]! + (a[q + dj + di]! - a[q + dj]!) * ti;
        const va = (ta + (ba - ta) * tj) * scale[n0]! + shift[n0]!;
        const tz = z[q]! + (z[q + di]! - z[q]!) * ti;
        const bz = z[q + dj]! + (z[q + dj + di]! - z[q + dj]!) * ti;
        const vz = (tz + (bz - tz) * tj) * scale[n1]! + shift[n1]!;
        out[o + c] = fit(va + (vz - va) * tk, range);
      }
    }
  }
}

/** Rounds and clamps a value into an integer type's range; floats pass through. */
function fit(v: number, range: [number, number] | undefined): number {
  if (!range) return v;
  const r = Math.round(v);
  return r < range[0] ? range[0] : r > range[1] ? range[1] : r;
}
