/**
 * Base class of the annotation layer elements (`<vx-box-layer>`, `<vx-polygon-layer>`, `<vx-mask-layer>`).
 * A layer declares what it brings to the `<vx-viewer>` it is placed in, and nothing else: the kinds it
 * draws, the editor tools it provides and their options (from its attributes). The viewer owns the editor,
 * the selection and the drawing. Layers are light-DOM children of the viewer, find it through
 * `viewerHostContext`, and render nothing themselves.
 * @module
 */
import { LitElement } from 'lit';
import { ContextEvent } from '@lit/context';
import type { AnnotationKind } from '../../core/annotation/types.js';
import type { Tool } from '../../core/tools/tool.js';
import type { EditorTools, ToolOptions } from '../../core/tools/editor.js';
import { viewerHostContext, type ViewerHost } from '../viewer-host.js';
import { stageFreeConsumers } from '../viewer/stage-loader.js';

/** Shared behaviour of the annotation layer elements. */
export abstract class AnnotationLayerElement extends LitElement {
  /** Kinds this layer draws. */
  protected abstract readonly kinds: AnnotationKind[];
  /** Tool names (keys of the editor's tools) this layer provides. */
  protected abstract readonly toolNames: (keyof EditorTools)[];
  /** The tool options this layer's attributes set. */
  protected toolOptions(): Partial<ToolOptions> {
    return {};
  }

  /** The viewer this layer is in, once connected inside one. */
  protected viewer: ViewerHost | undefined;
  #remove: (() => void) | undefined;
  #connectToken = 0;

  /** The tools of this layer, by name (available once connected inside a `<vx-viewer>`). */
  get tools(): Partial<Record<keyof EditorTools, Tool>> {
    const out: Partial<Record<keyof EditorTools, Tool>> = {};
    if (this.viewer) for (const n of this.toolNames) out[n] = this.viewer.editor.tools[n];
    return out;
  }

  protected override createRenderRoot(): HTMLElement {
    return this;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.style.display = 'none';
    // The viewer draws for its layers: a layer joins at once, before Konva has loaded.
    stageFreeConsumers.add(this);
    const token = ++this.#connectToken;
    const attach = () => {
      if (token !== this.#connectToken || !this.isConnected || this.viewer) return;
      // The viewer around the layer provides itself through context (the nearest one, as for any consumer).
      let viewer: ViewerHost | undefined;
      this.dispatchEvent(new ContextEvent(viewerHostContext, this, (host) => (viewer = host)));
      if (!viewer || typeof viewer.addLayer !== 'function') return;
      this.viewer = viewer;
      this.#remove = viewer.addLayer({
        kinds: this.kinds,
        tools: this.toolNames,
        options: this.toolOptions(),
      });
      this.joined(viewer);
    };
    if (customElements.get('vx-viewer')) attach();
    else void customElements.whenDefined('vx-viewer').then(attach);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#connectToken++;
    this.#remove?.();
    this.#remove = undefined;
    this.viewer = undefined;
  }

  /** Called once the layer joined its viewer. */
  protected joined(_viewer: ViewerHost): void {}

  protected override updated(): void {
    this.viewer?.editor.setOptions(this.toolOptions());
  }
}
