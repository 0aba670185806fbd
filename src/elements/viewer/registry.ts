/**
 * What the layers inside a viewer register with it, per viewer instance: tool handlers, key action
 * handlers and change listeners.
 * @module
 */
import type { ActionHandler, ToolHandler, ViewerChange } from '../viewer-host.js';

/** The registrations of one viewer. No module-level state: each viewer has its own. */
export class ViewerRegistry {
  readonly tools = new Map<string, ToolHandler>();
  readonly #actions = new Map<string, ActionHandler[]>();
  readonly #listeners = new Set<(c: ViewerChange) => void>();

  /** Adds a handler for `action`; handlers registered later are asked first. Returns the removal. */
  addAction(action: string, handler: ActionHandler): () => void {
    const list = this.#actions.get(action) ?? [];
    list.unshift(handler);
    this.#actions.set(action, list);
    return () => {
      const l = this.#actions.get(action);
      if (l?.includes(handler)) l.splice(l.indexOf(handler), 1);
    };
  }

  /** Offers a key to the handlers of each matching action (keymap order); true when one consumed it. */
  runActions(e: KeyboardEvent, actions: readonly string[]): boolean {
    return actions.some((a) => (this.#actions.get(a) ?? []).some((h) => h(e)));
  }

  subscribe(listener: (change: ViewerChange) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Tells every listener; a failing listener (a layer's bug) breaks neither the viewer nor the others. */
  notify(change: ViewerChange): void {
    for (const l of [...this.#listeners]) {
      try {
        l(change);
      } catch (e) {
        console.error(e);
      }
    }
  }
}
