/**
 * Key routing for a viewer: one explicit precedence table decides who gets a key.
 * @module
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { matchActions, type Keymap } from '../../core/keymap.js';
import { listen } from './listeners.js';

/**
 * Who gets a key, first to last; the first that consumes it wins:
 * 1. `tool`: the active tool (Backspace removes the last polygon vertex, arrows nudge a selected box);
 * 2. `editor`: the annotation editor's and the host's registered actions (undo, delete, label keys, …);
 * 3. `viewer`: the viewer's own actions (slices, window, zoom, tool keys, …).
 * Each gets the keymap actions the key matches, in keymap order, and returns true when it consumed the key.
 */
export const KEY_PRECEDENCE = ['tool', 'editor', 'viewer'] as const;
export type KeyStage = (typeof KEY_PRECEDENCE)[number];
export type KeyHandler = (e: KeyboardEvent, actions: readonly string[]) => boolean;

/** What the keyboard controller needs from its viewer. */
export interface KeyboardDeps {
  keymap(): Keymap;
  readonly stages: Record<KeyStage, KeyHandler>;
  /** A key went up (the active tool may track modifiers). */
  keyUp(e: KeyboardEvent, actions: readonly string[]): void;
  /** The focus left the viewer: forget held keys. */
  focusLost(): void;
}

/**
 * Listens for keys on its element and hands each to the {@link KEY_PRECEDENCE} stages. Keys typed into a
 * field (a slotted file input, a layer's text box) are the field's, never the viewer's.
 */
export class KeyboardController implements ReactiveController {
  #host: ReactiveControllerHost & HTMLElement;
  #deps: KeyboardDeps;
  #unlisten: (() => void) | undefined;

  constructor(host: ReactiveControllerHost & HTMLElement, deps: KeyboardDeps) {
    this.#host = host;
    this.#deps = deps;
    host.addController(this);
  }

  hostConnected(): void {
    this.#unlisten = listen(this.#host, {
      keydown: this.#onKeyDown as EventListener,
      keyup: this.#onKeyUp as EventListener,
      focusout: this.#onFocusOut as EventListener,
    });
  }

  hostDisconnected(): void {
    this.#unlisten?.();
  }

  /** Routes a key through the stages; returns the stage that consumed it. */
  route(e: KeyboardEvent): KeyStage | undefined {
    const actions = matchActions(this.#deps.keymap(), e);
    return KEY_PRECEDENCE.find((stage) => this.#deps.stages[stage](e, actions));
  }

  #onKeyDown = (e: KeyboardEvent): void => {
    if (e.defaultPrevented) return;
    const origin = e.composedPath()[0];
    if (origin instanceof HTMLElement && ownsKeys(origin)) return;
    if (this.route(e)) e.preventDefault();
  };

  #onKeyUp = (e: KeyboardEvent): void => {
    this.#deps.keyUp(e, matchActions(this.#deps.keymap(), { key: e.key, code: e.code }));
  };

  #onFocusOut = (e: FocusEvent): void => {
    const to = e.relatedTarget as Node | null;
    if (to && (to === this.#host || this.#host.contains(to))) return;
    this.#deps.focusLost();
  };
}

/** Elements whose keys are their own (typing, pressing a button): the viewer leaves those keys alone. */
export function ownsKeys(el: HTMLElement): boolean {
  return (
    el.isContentEditable ||
    el.matches(
      'input, textarea, select, button, a[href], [role="button"], [role="slider"], [role="textbox"], [role="combobox"], [role="spinbutton"], [role="menuitem"]',
    )
  );
}
