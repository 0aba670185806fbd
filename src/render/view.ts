/**
 * View geometry: zoom, pan and pixel aspect as a mapping between image pixels and view (CSS) pixels.
 * Pure functions, shared by the viewer, its tests and the annotation layers.
 * @module
 */

/** The current mapping between image pixels and the stage. */
export interface ViewState {
  /** CSS pixels per image pixel along x. 1 shows the image at its native size. */
  zoom: number;
  /** Image point (pixels) shown at the centre of the view. */
  centerX: number;
  centerY: number;
  /** Height of a pixel relative to its width (row spacing / column spacing). */
  aspect: number;
  /** Stage (CSS) pixels per image pixel in x and y: `zoom` and `zoom * aspect`. */
  scaleX: number;
  scaleY: number;
  /** Stage position of the image origin. */
  offsetX: number;
  offsetY: number;
  /** View size in CSS pixels. */
  width: number;
  height: number;
}

/** The parts of a view the user controls; the rest is derived. */
export interface ViewParams {
  zoom: number;
  centerX: number;
  centerY: number;
  aspect: number;
  width: number;
  height: number;
}

export const MIN_ZOOM = 1 / 64;
export const MAX_ZOOM = 64;

export function clampZoom(zoom: number): number {
  if (!Number.isFinite(zoom) || zoom <= 0) return 1;
  return Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, zoom));
}

/** Derives the full view state. */
export function viewState(p: ViewParams): ViewState {
  const scaleX = p.zoom;
  const scaleY = p.zoom * p.aspect;
  return {
    zoom: p.zoom,
    centerX: p.centerX,
    centerY: p.centerY,
    aspect: p.aspect,
    scaleX,
    scaleY,
    offsetX: p.width / 2 - p.centerX * scaleX,
    offsetY: p.height / 2 - p.centerY * scaleY,
    width: p.width,
    height: p.height,
  };
}

/** View (CSS px, relative to the view's top-left) → image pixels. */
export function viewToImage(v: ViewState, vx: number, vy: number): [number, number] {
  return [(vx - v.offsetX) / v.scaleX, (vy - v.offsetY) / v.scaleY];
}

/** Image pixels → view (CSS px). */
export function imageToView(v: ViewState, x: number, y: number): [number, number] {
  return [v.offsetX + x * v.scaleX, v.offsetY + y * v.scaleY];
}

/** The zoom and centre that fit an image of `imageWidth × imageHeight` pixels into the view. */
export function fitView(
  imageWidth: number,
  imageHeight: number,
  aspect: number,
  width: number,
  height: number,
): { zoom: number; centerX: number; centerY: number } {
  const zoom =
    width > 0 && height > 0 ? clampZoom(Math.min(width / imageWidth, height / (imageHeight * aspect))) : 1;
  return { zoom, centerX: imageWidth / 2, centerY: imageHeight / 2 };
}

/**
 * Zooms to `zoom` keeping image point under view point (vx, vy) fixed: returns the new centre.
 */
export function zoomAt(
  v: ViewState,
  zoom: number,
  vx: number,
  vy: number,
): { zoom: number; centerX: number; centerY: number } {
  const [ix, iy] = viewToImage(v, vx, vy);
  const z = clampZoom(zoom);
  // After zooming: vx = w/2 + (ix - cx') * z  →  cx' = ix - (vx - w/2) / z
  return {
    zoom: z,
    centerX: ix - (vx - v.width / 2) / z,
    centerY: iy - (vy - v.height / 2) / (z * v.aspect),
  };
}

/** Pixel aspect (height / width of one pixel) from a stack's spacing; 1 when spacing is missing or odd. */
export function pixelAspect(spacing: readonly number[] | undefined): number {
  if (!spacing) return 1;
  const [sx, sy] = spacing;
  if (!sx || !sy || !Number.isFinite(sx) || !Number.isFinite(sy) || sx <= 0 || sy <= 0) return 1;
  const a = sy / sx;
  return a > 0.05 && a < 20 ? a : 1;
}
