/**
 * The navigation tools: window, pan, zoom and scroll. Like the annotation tools they are small state machines
 * driven by pointer input (here in screen pixels: a drag of n pixels means the same at any zoom); unlike them
 * they change the view, not the document, through a {@link NavigationContext}.
 * @module
 */
import type { ToolPointerEvent } from './tool.js';

/** The navigation tool names (`viewer.tool` values that need no layer). */
export const NAVIGATION_TOOLS = ['window', 'pan', 'zoom', 'scroll'] as const;
export type NavigationToolName = (typeof NAVIGATION_TOOLS)[number];

/** The part of the view a navigation tool reads. */
export interface NavigationView {
  zoom: number;
  centerX: number;
  centerY: number;
  /** Screen pixels per image pixel along x and y. */
  scaleX: number;
  scaleY: number;
}

/** What the navigation tools read and change: the viewer, or a test. Every change is a user change. */
export interface NavigationContext {
  readonly view: NavigationView;
  /** Window centre and width, and modality units per pixel of drag; undefined for colour images. */
  readonly window: { center: number; width: number; step: number; minWidth: number } | undefined;
  readonly slice: number;
  setCenter(centerX: number, centerY: number): void;
  /** Zooms to `zoom` keeping the screen point (x, y) of the view as it was at the drag's start. */
  zoomFrom(start: NavigationView, zoom: number, x: number, y: number): void;
  setWindow(center: number, width: number): void;
  goToSlice(slice: number): void;
}

/** A pointer event with the screen coordinates the navigation tools need. */
export interface ScreenPointerEvent extends ToolPointerEvent {
  /** Screen (client) coordinates. */
  clientX: number;
  clientY: number;
  /** The same point in view coordinates (relative to the view's top-left corner). */
  viewX?: number;
  viewY?: number;
}

/** CSS cursor of each navigation tool while idle. */
export const NAVIGATION_CURSORS: Record<NavigationToolName, string> = {
  window: 'crosshair',
  pan: 'grab',
  zoom: 'zoom-in',
  scroll: 'ns-resize',
};

/**
 * A navigation tool: `idle`, or `dragging` from where the press happened. A drag changes the view on every
 * move; `cancel`, `complete` and `interrupt` just end it (what was seen stays).
 */
export abstract class NavigationTool<T> {
  abstract readonly id: NavigationToolName;
  protected start: { x: number; y: number; from: T } | undefined;
  protected readonly ctx: NavigationContext;

  constructor(ctx: NavigationContext) {
    this.ctx = ctx;
  }

  get state(): 'idle' | 'dragging' {
    return this.start ? 'dragging' : 'idle';
  }
  get busy(): boolean {
    return this.start !== undefined;
  }
  get cursor(): string {
    return this.id === 'pan' && this.busy ? 'grabbing' : NAVIGATION_CURSORS[this.id];
  }

  onPointerDown(e: ScreenPointerEvent): void {
    this.start = { x: e.clientX, y: e.clientY, from: this.begin(e) };
  }
  onPointerMove(e: ScreenPointerEvent): void {
    if (this.start) this.drag(this.start.from, e.clientX - this.start.x, e.clientY - this.start.y);
  }
  onPointerUp(_e: ScreenPointerEvent): void {
    this.start = undefined;
  }
  cancel(): void {
    this.start = undefined;
  }
  complete(): void {
    this.start = undefined;
  }
  interrupt(): void {
    this.start = undefined;
  }

  /** What the drag starts from. */
  protected abstract begin(e: ScreenPointerEvent): T;
  /** The pointer is (dx, dy) screen pixels from where it was pressed. */
  protected abstract drag(from: T, dx: number, dy: number): void;
}

/** Horizontal drag changes the window width, vertical the centre, by the image's drag sensitivity. */
export class WindowTool extends NavigationTool<NavigationContext['window']> {
  readonly id = 'window';
  protected begin(): NavigationContext['window'] {
    const w = this.ctx.window;
    return w && { ...w };
  }
  protected drag(from: NavigationContext['window'], dx: number, dy: number): void {
    if (!from || !Number.isFinite(from.center)) return;
    const m = from.step;
    const round = (v: number) => (m >= 1 ? Math.round(v) : v);
    this.ctx.setWindow(round(from.center + dy * m), round(Math.max(from.minWidth, from.width + dx * m)));
  }
}

/** Drags the image with the pointer. */
export class PanTool extends NavigationTool<NavigationView> {
  readonly id = 'pan';
  protected begin(): NavigationView {
    return { ...this.ctx.view };
  }
  protected drag(from: NavigationView, dx: number, dy: number): void {
    this.ctx.setCenter(from.centerX - dx / from.scaleX, from.centerY - dy / from.scaleY);
  }
}

/** Drag up to zoom in, down to zoom out, about the point where the drag started. */
export class ZoomTool extends NavigationTool<{ view: NavigationView; x: number; y: number }> {
  readonly id = 'zoom';
  protected begin(e: ScreenPointerEvent): { view: NavigationView; x: number; y: number } {
    return { view: { ...this.ctx.view }, x: e.viewX ?? e.clientX, y: e.viewY ?? e.clientY };
  }
  protected drag(from: { view: NavigationView; x: number; y: number }, _dx: number, dy: number): void {
    this.ctx.zoomFrom(from.view, from.view.zoom * Math.exp(-dy / 150), from.x, from.y);
  }
}

/** Drag down/up to scroll slices, one slice per 6 screen pixels. */
export class ScrollTool extends NavigationTool<number> {
  readonly id = 'scroll';
  protected begin(): number {
    return this.ctx.slice;
  }
  protected drag(from: number, _dx: number, dy: number): void {
    this.ctx.goToSlice(from + Math.trunc(dy / 6));
  }
}

/** The four navigation tools of one viewer. */
export function createNavigationTools(
  ctx: NavigationContext,
): Record<NavigationToolName, NavigationTool<unknown>> {
  return {
    window: new WindowTool(ctx),
    pan: new PanTool(ctx),
    zoom: new ZoomTool(ctx),
    scroll: new ScrollTool(ctx),
  } as Record<NavigationToolName, NavigationTool<unknown>>;
}
