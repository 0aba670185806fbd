/**
 * The one context the viewer builds for its tools and input controllers: every tool (navigation or
 * annotation), the pointer router and the key actions read and change the viewer through it, and through
 * nothing else.
 * @module
 */
import type { Keymap } from '../../core/keymap.js';
import type { NavigationContext, NavigationTool } from '../../core/tools/navigation.js';
import type { ImageStack } from '../../core/image/types.js';
import { zoomAt, type ViewState } from '../../render/view.js';
import type { CineController } from '../controllers/cine-controller.js';
import type { PointerController, PointerDeps } from '../controllers/pointer-controller.js';
import type { ViewportController } from '../controllers/viewport-controller.js';
import type { WindowController } from '../controllers/window-controller.js';
import type { ChangeSource } from '../events.js';
import type { ToolHandler } from '../viewer-host.js';
import { runViewerAction, type ViewerActionContext } from './actions.js';
import type { KeyboardDeps } from '../controllers/keyboard-controller.js';

/** The viewer's parts and commands, as its tools and controllers see them. */
export interface ToolContext {
  readonly element: HTMLElement;
  /** The image area (the Konva stage's container). */
  readonly container: HTMLElement;
  stack(): ImageStack | undefined;
  slice(): number;
  keymap(): Keymap;
  viewport(): ViewportController;
  window(): WindowController;
  cine(): CineController;
  pointer(): PointerController;
  /** The active tool's name, and its handler when a layer provides it. */
  toolName(): string;
  handler(): ToolHandler | undefined;
  /** The editor stage of key routing: the handlers layers and hosts registered for `actions`. */
  runActions(e: KeyboardEvent, actions: readonly string[]): boolean;
  /** What the viewer's own key actions act on. */
  actions(): ViewerActionContext;
  navigation(name: string): NavigationTool<unknown> | undefined;
  /** Whether a tool of that name is there (a navigation tool, or one a layer provides). */
  hasTool(name: string): boolean;
  setTool(name: string, user: boolean): void;
  goToSlice(slice: number, source: ChangeSource | undefined): void;
  reset(source: ChangeSource | undefined): void;
  /** The pointer is over image point (x, y), or left the view. */
  hover(point: [number, number] | undefined): void;
  /** Says `text` politely to screen readers (and shows it to no one else). */
  announce(text: string): void;
}

/** What the navigation tools change: the viewport, the window and the slice, as user changes. */
export function navigationContext(c: ToolContext): NavigationContext {
  return {
    get view() {
      return c.viewport().state;
    },
    get window() {
      const w = c.window();
      return w.colour
        ? undefined
        : { center: w.center, width: w.width, step: w.sensitivity, minWidth: w.minWidth };
    },
    get slice() {
      return c.slice();
    },
    setCenter: (centerX, centerY) => c.viewport().set({ centerX, centerY }, true),
    zoomFrom: (start, zoom, x, y) => c.viewport().set(zoomAt(start as ViewState, zoom, x, y), true),
    setWindow: (center, width) => c.window().set(center, width, 'drag'),
    goToSlice: (slice) => c.goToSlice(slice, 'drag'),
  };
}

/** What the pointer router reads and calls. */
export function pointerDeps(c: ToolContext): PointerDeps {
  return {
    view: c.container,
    announce: (text) => c.announce(text),
    get keymap() {
      return c.keymap();
    },
    get hasStack() {
      return !!c.stack();
    },
    get slice() {
      return c.slice();
    },
    get viewState() {
      return c.viewport().state;
    },
    get viewHeight() {
      return c.viewport().height;
    },
    get toolName() {
      return c.toolName();
    },
    get handler() {
      return c.handler();
    },
    navigation: (name) => c.navigation(name),
    hover: (point) => c.hover(point),
    setView: (zoom, centerX, centerY) => c.viewport().set({ zoom, centerX, centerY }, true),
    zoomAtClient: (factor, x, y) => c.viewport().zoomAtClient(factor, x, y),
    stepSlices: (steps) => c.goToSlice(c.slice() + steps, 'wheel'),
    focus: () => c.element.shadowRoot?.querySelector<HTMLElement>('.view')?.focus({ preventScroll: true }),
  };
}

/** What the viewer's key actions act on. */
export function actionContext(c: ToolContext): ViewerActionContext {
  const holdPan = (held: boolean) => {
    c.pointer().panHeld = held;
    c.pointer().updateCursor();
  };
  return {
    get depth() {
      return c.stack()?.depth;
    },
    get slice() {
      return c.slice();
    },
    get window() {
      return c.window();
    },
    get viewport() {
      return c.viewport();
    },
    get cine() {
      return c.cine();
    },
    goToSlice: (slice, source) => c.goToSlice(slice, source),
    reset: (source) => c.reset(source),
    zoomAtCentre: (factor) => {
      const r = c.element.getBoundingClientRect();
      c.viewport().zoomAtClient(factor, r.left + r.width / 2, r.top + r.height / 2);
    },
    holdPan: (repeat) => {
      if (repeat || !c.pointer().panHeld) holdPan(true);
    },
    releasePan: () => {
      if (c.pointer().panHeld) holdPan(false);
    },
    cancelGesture: () => !!c.handler()?.cancel && (c.pointer().endToolGesture(), true),
    completeGesture: () => {
      const h = c.handler();
      if (!h?.complete) return false;
      h.complete();
      return true;
    },
    // Only a tool that is there: P without a polygon layer must not take the left button away.
    selectTool: (name) => c.hasTool(name) && (c.setTool(name, true), true),
  };
}

/** The keyboard router's stages, in the order of `KEY_PRECEDENCE`: active tool, editor, viewer. */
export function keyboardDeps(c: ToolContext): KeyboardDeps {
  return {
    keymap: () => c.keymap(),
    stages: {
      tool: (e, actions) => !!c.handler()?.onKeyDown?.(e, actions),
      editor: (e, actions) => c.runActions(e, actions),
      viewer: (e, actions) => actions.some((a) => runViewerAction(c.actions(), a, e)),
    },
    keyUp: (e, actions) => {
      if (actions.includes('pan-hold')) c.actions().releasePan();
      c.handler()?.onKeyUp?.(e);
    },
    // The key-up of a held Space goes wherever the focus went (another viewer, another window): forget the
    // hold, or the next left-drag here would pan instead of running the tool.
    focusLost: () => c.actions().releasePan(),
  };
}
