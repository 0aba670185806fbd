/**
 * Event classes of the voxmark elements: one class per event, all bubbling and composed, with a typed
 * `detail`. Listen with `el.addEventListener('vx-slice-change', (e) => e.detail.slice)`.
 * @module
 */
import type { ImageStack } from '../core/image/types.js';
import type { VoxmarkError } from '../core/errors.js';

const init = { bubbles: true, composed: true } as const;

/** Why a value changed: a user gesture or key, or cine playback. */
export type ChangeSource = 'wheel' | 'keyboard' | 'drag' | 'cine' | 'preset' | 'user';

/** `vx-load`: the first slice of a new stack is on screen. */
export class VxLoadEvent extends CustomEvent<{ stack: ImageStack }> {
  static readonly type = 'vx-load';
  constructor(stack: ImageStack) {
    super(VxLoadEvent.type, { ...init, detail: { stack } });
  }
}

/** `vx-error`: loading or decoding failed. The view shows the error too. */
export class VxErrorEvent extends CustomEvent<{ error: VoxmarkError }> {
  static readonly type = 'vx-error';
  constructor(error: VoxmarkError) {
    super(VxErrorEvent.type, { ...init, detail: { error } });
  }
}

/** `vx-slice-change`: the user moved to another slice (not fired when the host sets `slice`). */
export class VxSliceChangeEvent extends CustomEvent<{
  slice: number;
  previous: number;
  source: ChangeSource;
}> {
  static readonly type = 'vx-slice-change';
  constructor(slice: number, previous: number, source: ChangeSource) {
    super(VxSliceChangeEvent.type, { ...init, detail: { slice, previous, source } });
  }
}

/** `vx-window-change`: the user changed window, level or inversion (not fired when the host sets them). */
export class VxWindowChangeEvent extends CustomEvent<{
  center: number;
  width: number;
  invert: boolean;
  source: ChangeSource;
}> {
  static readonly type = 'vx-window-change';
  constructor(center: number, width: number, invert: boolean, source: ChangeSource) {
    super(VxWindowChangeEvent.type, { ...init, detail: { center, width, invert, source } });
  }
}

/** `vx-view-change`: the user zoomed or panned (not fired when the host sets `zoom`). */
export class VxViewChangeEvent extends CustomEvent<{ zoom: number; centerX: number; centerY: number }> {
  static readonly type = 'vx-view-change';
  constructor(zoom: number, centerX: number, centerY: number) {
    super(VxViewChangeEvent.type, { ...init, detail: { zoom, centerX, centerY } });
  }
}

/** `vx-tool-change`: the active tool changed through the keymap or a toolbar (not when the host sets `tool`). */
export class VxToolChangeEvent extends CustomEvent<{ tool: string; previous: string }> {
  static readonly type = 'vx-tool-change';
  constructor(tool: string, previous: string) {
    super(VxToolChangeEvent.type, { ...init, detail: { tool, previous } });
  }
}

declare global {
  interface HTMLElementEventMap {
    'vx-load': VxLoadEvent;
    'vx-error': VxErrorEvent;
    'vx-slice-change': VxSliceChangeEvent;
    'vx-window-change': VxWindowChangeEvent;
    'vx-view-change': VxViewChangeEvent;
    'vx-tool-change': VxToolChangeEvent;
  }
}
