/**
 * File input for a viewer: files dropped on it, and files chosen in its built-in or a slotted file chooser.
 * @module
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { listen } from './listeners.js';

/**
 * Hands dropped and chosen files to `open`. While files are dragged over the element it carries the
 * `data-drag-over` attribute (the drop zone's highlight is styled from it).
 */
export class DropController implements ReactiveController {
  #host: ReactiveControllerHost & HTMLElement;
  #open: (files: File[]) => void;
  #unlisten: (() => void) | undefined;
  #unlistenChange: (() => void) | undefined;

  constructor(host: ReactiveControllerHost & HTMLElement, open: (files: File[]) => void) {
    this.#host = host;
    this.#open = open;
    host.addController(this);
  }

  hostConnected(): void {
    this.#unlisten = listen(this.#host, {
      dragover: this.#onDragOver as EventListener,
      dragleave: this.#onDragLeave as EventListener,
      drop: this.#onDrop as EventListener,
    });
    // A file input's `change` event is not composed: the built-in chooser's never leaves the shadow root.
    // The shadow root sees both it and a slotted input's (whose path runs through the slot).
    this.#unlistenChange = listen(this.#host.shadowRoot ?? this.#host, { change: this.#onChange });
  }

  hostDisconnected(): void {
    this.#unlisten?.();
    this.#unlistenChange?.();
  }

  #onDragOver = (e: DragEvent): void => {
    if (!e.dataTransfer || !Array.from(e.dataTransfer.types).includes('Files')) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = 'copy';
    this.#host.toggleAttribute('data-drag-over', true);
  };

  #onDragLeave = (e: DragEvent): void => {
    if (e.relatedTarget && this.#host.contains(e.relatedTarget as Node)) return;
    this.#host.toggleAttribute('data-drag-over', false);
  };

  #onDrop = (e: DragEvent): void => {
    this.#host.toggleAttribute('data-drag-over', false);
    const files = Array.from(e.dataTransfer?.files ?? []);
    if (files.length === 0) return;
    e.preventDefault();
    this.#open(files);
  };

  #onChange = (e: Event): void => {
    const input = e.composedPath()[0];
    if (!(input instanceof HTMLInputElement) || input.type !== 'file') return;
    const files = Array.from(input.files ?? []);
    // The built-in chooser forgets its choice, so choosing the same file again (after an error) loads it
    // again; a slotted input is the host's to manage.
    if (input.getRootNode() === this.#host.shadowRoot) input.value = '';
    if (files.length > 0) this.#open(files);
  };
}
