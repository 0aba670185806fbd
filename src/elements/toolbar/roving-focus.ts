/**
 * A roving tabindex for a composite widget (a toolbar, a radio group of labels): the widget is one Tab stop,
 * and arrow keys, Home and End move the focus inside it.
 * @module
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';

export interface RovingFocusOptions {
  /** The focusable items, in order (read after every render and on every key). */
  items: () => HTMLElement[];
  /** Keys that move to the next item. */
  next: string[];
  /** Keys that move to the previous item. */
  previous: string[];
  /** The item that takes the Tab stop when none was focused yet (e.g. the active tool); else the first. */
  preferred?: () => HTMLElement | null | undefined;
  /** Called after a key moved the focus to `item` (a radio group chooses it). */
  onMove?: (item: HTMLElement) => void;
}

/**
 * Keeps `tabindex="0"` on one item and `-1` on the others after every update, and moves the focus on arrow
 * keys, wrapping at the ends. The item last focused keeps the Tab stop, so Shift+Tab and Tab come back to it.
 * On a range input only the next/previous keys move on (Home, End, ↑ and ↓ still change its value).
 */
export class RovingFocus implements ReactiveController {
  #options: RovingFocusOptions;
  #current: HTMLElement | undefined;

  constructor(host: ReactiveControllerHost, options: RovingFocusOptions) {
    this.#options = options;
    host.addController(this);
  }

  hostUpdated(): void {
    this.#apply();
  }

  /** The item that holds the Tab stop. */
  get current(): HTMLElement | undefined {
    const items = this.#options.items();
    if (this.#current && items.includes(this.#current)) return this.#current;
    const preferred = this.#options.preferred?.();
    return preferred && items.includes(preferred) ? preferred : items[0];
  }

  /** Makes `item` the Tab stop without focusing it (the host's own choice, e.g. a click). */
  set current(item: HTMLElement | undefined) {
    this.#current = item;
    this.#apply();
  }

  #apply(): void {
    const current = this.current;
    for (const item of this.#options.items()) item.tabIndex = item === current ? 0 : -1;
  }

  /** Bind as the widget's `@focusin`: the focused item takes the Tab stop. */
  readonly onFocusIn = (e: FocusEvent): void => {
    const target = e.composedPath()[0];
    if (target instanceof HTMLElement && this.#options.items().includes(target)) this.current = target;
  };

  /** Bind as the widget's `@keydown`. */
  readonly onKeyDown = (e: KeyboardEvent): void => {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    const { next, previous } = this.#options;
    const target = e.composedPath()[0];
    const items = this.#options.items();
    const i = items.indexOf(target as HTMLElement);
    if (i < 0 || !items.length) return;
    const range = target instanceof HTMLInputElement && target.type === 'range';
    let to = -1;
    if (next.includes(e.key)) to = (i + 1) % items.length;
    else if (previous.includes(e.key)) to = (i - 1 + items.length) % items.length;
    else if (e.key === 'Home' && !range) to = 0;
    else if (e.key === 'End' && !range) to = items.length - 1;
    if (to < 0) return;
    e.preventDefault();
    const item = items[to]!;
    this.current = item;
    item.focus();
    this.#options.onMove?.(item);
  };
}
