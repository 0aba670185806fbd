/**
 * The active tool of `<vx-viewer>`: the `tool` property, and the tool handlers layers register.
 * @module
 */
import { property } from 'lit/decorators.js';
import { VxToolChangeEvent } from '../events.js';
import type { ToolHandler } from '../viewer-host.js';
import { ViewerAnnotationsElement } from './annotations-element.js';

/** Base of `<vx-viewer>` (above the annotations): which tool the left button drives. */
export abstract class ViewerToolsElement extends ViewerAnnotationsElement {
  #tool = 'window';

  /**
   * Active tool for the left mouse button: 'window' (default), 'pan', 'zoom', 'scroll', or an
   * annotation tool registered by a layer ('select', 'box', 'polygon', 'brush', 'eraser', …).
   */
  @property({ reflect: true })
  get tool(): string {
    return this.#tool;
  }
  set tool(value: string) {
    this.setTool(String(value), false);
  }

  /** Registers an annotation tool's input handler; returns the unregister function. */
  registerTool(name: string, handler: ToolHandler): () => void {
    const active = name === this.#tool;
    if (active) this.#deactivate();
    this.registry.tools.set(name, handler);
    if (active) this.#activate();
    return () => {
      if (this.registry.tools.get(name) !== handler) return;
      if (name === this.#tool) this.#deactivate();
      this.registry.tools.delete(name);
      this.updateCursor();
    };
  }

  /**
   * Whether a drag with `tool` (default the active one) can act with the active label: false when the label
   * does not allow what the tool draws (the view then shows a `not-allowed` cursor). A toolbar can disable
   * the button and give `toolBlockedReason(tool)` as its tooltip; `vx-active-label-change` and a set
   * `activeLabel` are the moments to ask again.
   */
  toolAllowed(tool: string = this.#tool): boolean {
    return this.toolBlockedReason(tool) === undefined;
  }

  /** Why `tool` cannot act with the active label, in plain words, or undefined when it can. */
  toolBlockedReason(tool: string = this.#tool): string | undefined {
    return this.registry.tools.get(tool)?.blockedReason;
  }

  protected override notify(change: Parameters<ViewerAnnotationsElement['notify']>[0]): void {
    super.notify(change);
    // Another label may allow what the active tool draws, or not: the cursor says so.
    if (this.isConnected && (change.activeLabel || change.labelSchema)) this.updateCursor();
  }

  /** The active tool's handler, when a layer provides the active tool. */
  protected get handler(): ToolHandler | undefined {
    return this.registry.tools.get(this.#tool);
  }

  /** Switches tools: the old one's gesture ends; `user` switches fire `vx-tool-change`. */
  protected setTool(name: string, user: boolean): void {
    const previous = this.#tool;
    if (name === previous) return;
    this.#deactivate();
    this.#tool = name;
    this.#activate();
    this.notify({ tool: true });
    this.requestUpdate('tool', previous);
    if (user) this.dispatchEvent(new VxToolChangeEvent(name, previous));
  }

  /** The view's cursor follows the tool. */
  protected abstract updateCursor(): void;

  #activate(): void {
    this.handler?.activate?.();
    this.updateCursor();
  }

  #deactivate(): void {
    this.endGesture();
    this.handler?.deactivate?.();
  }
}
