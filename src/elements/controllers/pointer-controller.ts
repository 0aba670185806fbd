/**
 * Pointer routing for a viewer: which tool a press, a move, a wheel turn or a pinch goes to.
 * @module
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { matchPointerActions, type Keymap } from '../../core/keymap.js';
import {
  NAVIGATION_CURSORS,
  type NavigationTool,
  type NavigationToolName,
  type ScreenPointerEvent,
} from '../../core/tools/navigation.js';
import { clampZoom, viewToImage, type ViewState } from '../../render/view.js';
import type { ImagePointerEvent, ToolHandler } from '../viewer-host.js';
import { listen } from './listeners.js';

/** Keymap actions bound to pointer drags, and the navigation tool each drives. */
const DRAG_ACTIONS = new Map<string, NavigationToolName>([
  ['window-drag', 'window'],
  ['pan-drag', 'pan'],
  ['zoom-drag', 'zoom'],
  ['slice-drag', 'scroll'],
]);

/** What the router needs from its viewer. */
export interface PointerDeps {
  /** The image area: events outside it (file chooser, error text) are not routed. */
  readonly view: HTMLElement;
  /** A polite live-region message (why a press did nothing). */
  announce(text: string): void;
  readonly keymap: Keymap;
  readonly hasStack: boolean;
  readonly slice: number;
  readonly viewState: ViewState;
  readonly viewHeight: number;
  /** The active tool's name, and its handler when a layer provides it. */
  readonly toolName: string;
  readonly handler: ToolHandler | undefined;
  navigation(name: string): NavigationTool<unknown> | undefined;
  /** The pointer is over image point (x, y), or left the view. */
  hover(point: [number, number] | undefined): void;
  /** Pinch and wheel zoom: a user view change. */
  setView(zoom: number, centerX: number, centerY: number): void;
  zoomAtClient(factor: number, clientX: number, clientY: number): void;
  stepSlices(steps: number): void;
  focus(): void;
}

/** The gesture in progress: a navigation drag, the active tool's gesture, or a two-finger pinch. */
type Gesture =
  | { kind: 'navigation'; pointerId: number; tool: NavigationTool<unknown> }
  | { kind: 'tool'; pointerId: number }
  | { kind: 'pinch'; pointerId: number; distance: number; ix: number; iy: number; zoom: number };

/**
 * Routes pointer input, in this order: the keymap's pointer bindings (right-drag windows, middle-drag pans,
 * the wheel scrolls; remappable), then Space+drag pans, then the left button goes to the active tool (a
 * layer's annotation tool, or a navigation tool). A second finger turns any touch gesture into pinch-zoom.
 * One gesture at a time; {@link PointerController.endToolGesture} ends the tool's gesture when the stack,
 * slice, document or tool changes.
 */
export class PointerController implements ReactiveController {
  /** Space is held: a left drag pans whatever the tool. */
  panHeld = false;
  #host: ReactiveControllerHost & HTMLElement;
  #deps: PointerDeps;
  #gesture: Gesture | undefined;
  #touches = new Map<number, { x: number; y: number }>();
  #wheelAccum = 0;
  #unlisten: (() => void) | undefined;

  constructor(host: ReactiveControllerHost & HTMLElement, deps: PointerDeps) {
    this.#host = host;
    this.#deps = deps;
    host.addController(this);
  }

  hostConnected(): void {
    this.#unlisten = listen(this.#host, {
      pointerdown: this.#onDown as EventListener,
      pointermove: this.#onMove as EventListener,
      pointerup: this.#onUp as EventListener,
      pointercancel: this.#onCancel as EventListener,
      pointerleave: this.#onLeave,
      dblclick: this.#onDoubleClick as EventListener,
      wheel: [this.#onWheel as EventListener, { passive: false }],
      contextmenu: this.#onContextMenu,
    });
  }

  hostDisconnected(): void {
    this.#unlisten?.();
    // Removed mid-drag: the pointer-up never reaches this element, and a drag left open would swallow
    // every press once the viewer is back in the page.
    if (this.#gesture?.kind === 'tool') this.endToolGesture();
    this.#gesture = undefined;
    this.#touches.clear();
    this.panHeld = false;
    this.updateCursor();
  }

  /** Cancels the active tool's gesture, if one runs. */
  endToolGesture(): void {
    this.#deps.handler?.cancel?.();
    if (this.#gesture?.kind === 'tool') this.#gesture = undefined;
  }

  /** Sets the view's cursor: the tool's, or the hand while Space is held or a pan runs. */
  updateCursor(): void {
    const { handler, toolName } = this.#deps;
    let cursor = handler?.cursor ?? '';
    if (!handler) cursor = NAVIGATION_CURSORS[toolName as NavigationToolName] ?? cursor;
    const g = this.#gesture;
    const panning = g?.kind === 'navigation' && g.tool.id === 'pan';
    if (this.panHeld || panning) cursor = g ? 'grabbing' : 'grab';
    this.#deps.view.style.cursor = cursor;
  }

  #inView(e: Event): boolean {
    // Only events over the image area: not the file chooser, not the error text.
    const path = e.composedPath();
    return path.includes(this.#deps.view) || (path[0] === this.#host && this.#deps.hasStack);
  }

  /** The pointer event in image coordinates, for annotation tools. */
  #image(e: PointerEvent | MouseEvent, type: ImagePointerEvent['type']): ImagePointerEvent {
    const r = this.#host.getBoundingClientRect();
    const [x, y] = viewToImage(this.#deps.viewState, e.clientX - r.left, e.clientY - r.top);
    const pe = e as PointerEvent;
    return {
      type,
      x,
      y,
      button: e.button,
      buttons: e.buttons,
      shiftKey: e.shiftKey,
      altKey: e.altKey,
      ctrlKey: e.ctrlKey,
      metaKey: e.metaKey,
      pressure: pe.pointerType === 'pen' ? pe.pressure : undefined,
      pointerId: pe.pointerId ?? 1,
      pointerType: pe.pointerType ?? 'mouse',
      clientX: e.clientX,
      clientY: e.clientY,
      slice: this.#deps.slice,
      originalEvent: e,
    };
  }

  /** The pointer event in screen coordinates, for navigation tools. */
  #screen(e: PointerEvent): ScreenPointerEvent {
    const r = this.#host.getBoundingClientRect();
    const [x, y] = [e.clientX - r.left, e.clientY - r.top];
    return { x, y, clientX: e.clientX, clientY: e.clientY, viewX: x, viewY: y, button: e.button };
  }

  /** Which tool a press goes to: a keymap pointer binding, Space+drag, or the active tool. */
  #route(e: PointerEvent): Gesture | undefined {
    const d = this.#deps;
    const bound = matchPointerActions(d.keymap, {
      button: e.button,
      ctrlKey: e.ctrlKey,
      shiftKey: e.shiftKey,
      altKey: e.altKey,
      metaKey: e.metaKey,
    }).find((a) => DRAG_ACTIONS.has(a));
    let name: string | undefined;
    if (bound) name = DRAG_ACTIONS.get(bound);
    else if (e.button === 0 && this.panHeld) name = 'pan';
    else if (e.button === 0 && d.handler) return { kind: 'tool', pointerId: e.pointerId };
    else if (e.button === 0) name = d.toolName;
    const tool = name ? d.navigation(name) : undefined;
    return tool && { kind: 'navigation', pointerId: e.pointerId, tool };
  }

  #onDown = (e: PointerEvent): void => {
    if (!this.#inView(e)) return;
    if (e.pointerType === 'touch') {
      this.#touches.set(e.pointerId, { x: e.clientX, y: e.clientY });
      if (this.#touches.size === 2) {
        // A second finger turns any one-finger gesture into pinch-zoom and pan.
        if (this.#gesture?.kind === 'tool') this.#deps.handler?.cancel?.();
        this.#startPinch(e.pointerId);
        return;
      }
    }
    if (this.#gesture) return;
    this.#deps.focus();
    const gesture = this.#route(e);
    if (!gesture) return;
    this.#gesture = gesture;
    if (gesture.kind === 'tool') {
      const handler = this.#deps.handler!;
      if (handler.blockedReason) this.#deps.announce(handler.blockedReason);
      handler.onPointerDown?.(this.#image(e, 'down'));
    } else if (gesture.kind === 'navigation') gesture.tool.onPointerDown(this.#screen(e));
    e.preventDefault();
    try {
      this.#host.setPointerCapture(e.pointerId);
    } catch {
      /* synthetic events have no active pointer to capture */
    }
    this.updateCursor();
  };

  #startPinch(pointerId: number): void {
    const [a, b] = [...this.#touches.values()];
    const r = this.#host.getBoundingClientRect();
    const view = this.#deps.viewState;
    const [ix, iy] = viewToImage(view, (a!.x + b!.x) / 2 - r.left, (a!.y + b!.y) / 2 - r.top);
    const distance = Math.max(1, Math.hypot(a!.x - b!.x, a!.y - b!.y));
    this.#gesture = { kind: 'pinch', pointerId, distance, ix, iy, zoom: view.zoom };
  }

  #movePinch(g: Extract<Gesture, { kind: 'pinch' }>): void {
    const [a, b] = [...this.#touches.values()];
    if (!a || !b) return;
    const r = this.#host.getBoundingClientRect();
    const zoom = clampZoom(g.zoom * (Math.hypot(a.x - b.x, a.y - b.y) / g.distance));
    // Keep the image point first under the fingers' midpoint under it as they move apart and around.
    const view = this.#deps.viewState;
    const mx = (a.x + b.x) / 2 - r.left;
    const my = (a.y + b.y) / 2 - r.top;
    this.#deps.setView(
      zoom,
      g.ix - (mx - view.width / 2) / zoom,
      g.iy - (my - view.height / 2) / (zoom * view.aspect),
    );
  }

  #onMove = (e: PointerEvent): void => {
    if (e.pointerType === 'touch' && this.#touches.has(e.pointerId)) {
      this.#touches.set(e.pointerId, { x: e.clientX, y: e.clientY });
      if (this.#gesture?.kind === 'pinch') {
        this.#movePinch(this.#gesture);
        return;
      }
    }
    const g = this.#gesture;
    const inView = this.#inView(e);
    if (this.#deps.hasStack && inView) {
      const r = this.#host.getBoundingClientRect();
      this.#deps.hover(viewToImage(this.#deps.viewState, e.clientX - r.left, e.clientY - r.top));
    }
    if (!g) {
      if (inView) this.#deps.handler?.onPointerMove?.(this.#image(e, 'move'));
      return;
    }
    if (e.pointerId !== g.pointerId) return;
    if (g.kind === 'tool') this.#deps.handler?.onPointerMove?.(this.#image(e, 'move'));
    else if (g.kind === 'navigation') g.tool.onPointerMove(this.#screen(e));
  };

  #onUp = (e: PointerEvent): void => {
    if (this.#touches.delete(e.pointerId) && this.#gesture?.kind === 'pinch') {
      // Lifting either finger ends the pinch; the other finger starts nothing until it lifts too.
      this.#gesture = undefined;
      return;
    }
    const g = this.#gesture;
    if (!g || e.pointerId !== g.pointerId) return;
    this.#gesture = undefined;
    try {
      this.#host.releasePointerCapture(e.pointerId);
    } catch {
      /* not captured */
    }
    if (g.kind === 'tool') this.#deps.handler?.onPointerUp?.(this.#image(e, 'up'));
    else if (g.kind === 'navigation') g.tool.onPointerUp(this.#screen(e));
    this.updateCursor();
  };

  #onCancel = (e: PointerEvent): void => {
    this.#touches.delete(e.pointerId);
    const g = this.#gesture;
    if (g?.kind === 'pinch') {
      this.#gesture = undefined;
      return;
    }
    if (!g || e.pointerId !== g.pointerId) return;
    this.#gesture = undefined;
    if (g.kind === 'tool') this.#deps.handler?.cancel?.();
    else g.tool.cancel();
    this.updateCursor();
  };

  #onLeave = (): void => {
    this.#deps.hover(undefined);
    if (!this.#gesture) this.#deps.handler?.onPointerLeave?.();
  };

  #onDoubleClick = (e: MouseEvent): void => {
    if (!this.#inView(e) || e.button !== 0) return;
    this.#deps.handler?.onDoubleClick?.(this.#image(e, 'dblclick'));
  };

  #onContextMenu = (e: Event): void => {
    if (this.#inView(e)) e.preventDefault();
  };

  #onWheel = (e: WheelEvent): void => {
    if (!this.#deps.hasStack) return;
    const unit = e.deltaMode === 1 ? 33 : e.deltaMode === 2 ? Math.max(this.#deps.viewHeight, 1) : 1;
    const dy = (e.deltaY || (e.shiftKey ? e.deltaX : 0)) * unit;
    const actions = matchPointerActions(this.#deps.keymap, {
      button: 'wheel',
      ctrlKey: e.ctrlKey,
      shiftKey: e.shiftKey,
      altKey: e.altKey,
      metaKey: e.metaKey,
    });
    const action = actions.find((a) => a === 'zoom-wheel' || a === 'slice-wheel');
    if (!action) return;
    e.preventDefault();
    if (action === 'zoom-wheel') {
      this.#deps.zoomAtClient(Math.exp(-Math.max(-300, Math.min(300, dy)) * 0.002), e.clientX, e.clientY);
      return;
    }
    let steps: number;
    if (Math.abs(dy) >= 50) {
      // A mouse wheel notch: one slice (more for fast multi-notch events).
      steps = Math.sign(dy) * Math.max(1, Math.round(Math.abs(dy) / 100));
      this.#wheelAccum = 0;
    } else {
      // A trackpad: accumulate small deltas.
      this.#wheelAccum += dy;
      steps = Math.trunc(this.#wheelAccum / 40);
      this.#wheelAccum -= steps * 40;
    }
    if (steps !== 0) this.#deps.stepSlices(steps);
  };
}
