/**
 * The text `<vx-viewer>` shows in its four corners and in its error box, as pure functions of what is on
 * screen: easy to test, and the same for every host.
 * @module
 */
import { ErrorCode, fileProblem, type VoxmarkError } from '../../core/errors.js';
import type { PlaneEdges, ReformattedStack } from '../../core/image/reformat.js';
import type { Frame, ImageStack, WindowPreset } from '../../core/image/types.js';

/** What the corner text is made from. */
export interface OverlayInput {
  readonly stack: ImageStack | undefined;
  /** The plane on screen (`viewer.plane`): slice count, positions and edge letters come from it when set. */
  readonly plane?: ReformattedStack | undefined;
  readonly slice: number;
  /** Cine plays, at `cineFps`. */
  readonly playing: boolean;
  readonly cineFps: number;
  readonly windowCenter: number;
  readonly windowWidth: number;
  readonly invert: boolean;
  readonly zoom: number;
  readonly windowPresets: readonly WindowPreset[];
  /** The decoded frame on screen and the slice it belongs to. */
  readonly frame: Frame | undefined;
  readonly displayedSlice: number;
}

/** The four corners: top-left, top-right, bottom-left, bottom-right. */
export interface OverlayText {
  tl: string;
  tr: string;
  bl: string;
  br: string;
  /** The patient-direction letters of the four edges of the view (A/P, L/R, S/I), or null without geometry. */
  edges: PlaneEdges | null;
}

const EMPTY: OverlayText = { tl: '', tr: '', bl: '', br: '', edges: null };

const PLANE_NAMES: Record<string, string> = { axial: 'Axial', coronal: 'Coronal', sagittal: 'Sagittal' };

/**
 * Modality and series (top left), the plane, slice n/N and cine (top right), window and zoom (bottom left), the
 * value and position under the pointer (bottom right), and the patient-direction letters of the edges.
 */
export function overlayText(o: OverlayInput, cursor: readonly [number, number] | undefined): OverlayText {
  const stack = o.plane ?? o.stack;
  if (!stack) return EMPTY;
  const meta = stack.metadata;
  const modality = typeof meta.modality === 'string' ? meta.modality : '';
  const description = typeof meta.seriesDescription === 'string' ? meta.seriesDescription : '';
  const tl = [modality, description].filter(Boolean).join('  ');
  const name = PLANE_NAMES[o.plane?.orientation ?? ''];
  const tr = `${name ? `${name}  ` : ''}${o.slice + 1}/${stack.depth}${o.playing ? `  ▶ ${o.cineFps} fps` : ''}`;
  const colour = stack.samplesPerPixel >= 3;
  const [c, w] = [o.windowCenter, o.windowWidth];
  const preset = o.windowPresets.find((p) => p.center === c && p.width === w);
  const windowText =
    colour || !Number.isFinite(c) ? '' : `C ${fmt(c)}  W ${fmt(w)}${preset ? `  ${preset.name}` : ''}`;
  const bl = [windowText + (o.invert ? '  inv' : ''), `Zoom ${o.zoom.toFixed(2)}×`]
    .filter(Boolean)
    .join('\n');
  return { tl, tr, bl, br: cursorText(o, cursor, stack, modality), edges: o.plane?.edges ?? null };
}

/** The value under the pointer and its position in pixels and millimetres, or '' when off the image. */
function cursorText(
  o: OverlayInput,
  cursor: readonly [number, number] | undefined,
  stack: ImageStack,
  modality: string,
): string {
  const frame = o.frame;
  if (!cursor || !frame || o.displayedSlice !== o.slice) return '';
  const px = Math.floor(cursor[0]);
  const py = Math.floor(cursor[1]);
  if (px < 0 || py < 0 || px >= frame.width || py >= frame.height) return '';
  const i = py * frame.width + px;
  let value: string;
  if (frame.samplesPerPixel >= 3) {
    const j = i * frame.samplesPerPixel;
    value = `RGB ${frame.data[j]} ${frame.data[j + 1]} ${frame.data[j + 2]}`;
  } else {
    value = pixelValue(frame.data[i]!, frame, modality.toUpperCase(), stack);
  }
  const meta = stack.metadata;
  const [sx, sy] = stack.spacing;
  const unit = typeof meta.spacingUnit === 'string' ? meta.spacingUnit : stack.format === 'dicom' ? 'mm' : '';
  const patient = patientPosition(stack, o.slice, cursor[0], cursor[1]);
  const physical = patient
    ? `\n${patient.map((v) => v.toFixed(1)).join(', ')} mm`
    : unit && unit !== 'pixel'
      ? `\n${fmt(cursor[0] * sx)}, ${fmt(cursor[1] * sy)} ${unit}`
      : '';
  return `${value}\n${px}, ${py} px${physical}`;
}

/** A grey value as the overlay shows it: Hounsfield units for CT, dose for RT Dose (Dose Grid Scaling). */
function pixelValue(stored: number, frame: Frame, modality: string, stack: ImageStack): string {
  if (modality === 'CT')
    return `${fmt(stored * (frame.rescaleSlope || 1) + (frame.rescaleIntercept || 0))} HU`;
  const scaling = stack.metadata.doseGridScaling;
  if (modality === 'RTDOSE' && typeof scaling === 'number') {
    const gy = String(stack.metadata.doseUnits).toUpperCase() === 'GY';
    return `Dose ${fmt(stored * scaling)}${gy ? ' Gy' : ''}`;
  }
  return `Value ${fmt(stored)}`;
}

/**
 * Patient coordinates (mm) of an image point, from the slice's ImagePositionPatient and the stack's
 * ImageOrientationPatient, when the stack has them (DICOM).
 */
export function patientPosition(
  stack: ImageStack,
  slice: number,
  x: number,
  y: number,
): [number, number, number] | undefined {
  const origin = stack.slices[slice]?.position;
  const iop = stack.metadata.imageOrientationPatient as number[] | undefined;
  if (!origin || !Array.isArray(iop) || iop.length !== 6) return undefined;
  const [sx, sy] = stack.spacing;
  // ImagePositionPatient is the centre of the first pixel; image coordinates start at its corner.
  const u = (x - 0.5) * sx;
  const v = (y - 0.5) * sy;
  return [0, 1, 2].map((k) => origin[k]! + u * iop[k]! + v * iop[k + 3]!) as [number, number, number];
}

/** Plain-language text for an error: what is wrong with its file (by name when known), else by code. */
export function describeError(error: VoxmarkError): string {
  const about = fileProblem(error.code, error.file ?? 'This file');
  if (about) return `${about}.`;
  return error.code === ErrorCode.MixedSeries
    ? 'The files belong to different series and cannot be shown as one stack.'
    : 'The image could not be opened.';
}

/** A number for the overlay: integers as they are, others with 3 significant digits or fewer. */
export function fmt(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (Number.isInteger(v)) return String(v);
  const a = Math.abs(v);
  return a >= 100 ? v.toFixed(0) : a >= 1 ? v.toFixed(1) : v.toPrecision(3);
}
