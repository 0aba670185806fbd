/**
 * The viewer's own keymap actions, as a table: action name → what it does. The last stage of key routing
 * (see `KEY_PRECEDENCE`): a key reaches these only when the active tool and the editor left it.
 * @module
 */
import type { ChangeSource } from '../events.js';
import type { WindowController } from '../controllers/window-controller.js';
import type { ViewportController } from '../controllers/viewport-controller.js';
import type { CineController } from '../controllers/cine-controller.js';

/** What the actions act on. */
export interface ViewerActionContext {
  readonly depth: number | undefined;
  readonly window: WindowController;
  readonly viewport: ViewportController;
  readonly cine: CineController;
  goToSlice(slice: number, source: ChangeSource): void;
  readonly slice: number;
  reset(source: ChangeSource): void;
  zoomAtCentre(factor: number): void;
  /** Space went down (again, when `repeat`): left drags pan. */
  holdPan(repeat: boolean): void;
  /** Space went up, or the focus left: left drags go to the tool again. */
  releasePan(): void;
  /** Cancels the active tool's gesture; false when the tool has no gesture to cancel. */
  cancelGesture(): boolean;
  completeGesture(): boolean;
  /** Switches to a tool that is there (a navigation tool or one a layer provides); false otherwise. */
  selectTool(name: string): boolean;
}

type Action = (c: ViewerActionContext, e: KeyboardEvent | undefined) => boolean;

const step =
  (delta: number): Action =>
  (c) => {
    if (c.depth === undefined) return false;
    c.goToSlice(c.slice + delta, 'keyboard');
    return true;
  };

const nudge =
  (dc: number, dw: number): Action =>
  (c, e) =>
    c.window.nudge(dc, dw, !!e?.shiftKey);

/** The viewer's actions; `window-preset-N` and `tool-NAME` are matched by pattern. */
export const VIEWER_ACTIONS: Record<string, Action> = {
  'slice-previous': step(-1),
  'slice-next': step(1),
  'slice-previous-page': step(-10),
  'slice-next-page': step(10),
  'slice-first': (c) => c.depth !== undefined && (c.goToSlice(0, 'keyboard'), true),
  'slice-last': (c) => c.depth !== undefined && (c.goToSlice(c.depth - 1, 'keyboard'), true),
  'view-reset': (c) => (c.reset('keyboard'), true),
  'window-wider': nudge(0, 1),
  'window-narrower': nudge(0, -1),
  'level-up': nudge(1, 0),
  'level-down': nudge(-1, 0),
  'view-fit': (c) => (c.viewport.fit(true), true),
  'invert-toggle': (c) => !c.window.colour && (c.window.setInvert(!c.window.invert, 'keyboard'), true),
  'cine-toggle': (c) => (c.depth ?? 0) >= 2 && (c.cine.toggle(), true),
  'zoom-in': (c) => (c.zoomAtCentre(1.25), true),
  'zoom-out': (c) => (c.zoomAtCentre(0.8), true),
  'pan-hold': (c, e) => (c.holdPan(!!e?.repeat), true),
  cancel: (c) => {
    if (c.cine.playing) c.cine.stop();
    return c.cancelGesture();
  },
  complete: (c) => c.completeGesture(),
};

/** Runs viewer action `action`; true when it did something (the key is then consumed). */
export function runViewerAction(
  c: ViewerActionContext,
  action: string,
  e: KeyboardEvent | undefined,
): boolean {
  const preset = /^window-preset-(\d+)$/.exec(action);
  if (preset) return c.window.applyPreset(Number(preset[1]) - 1, 'preset');
  if (action.startsWith('tool-')) return c.selectTool(action.slice(5));
  return VIEWER_ACTIONS[action]?.(c, e) ?? false;
}
