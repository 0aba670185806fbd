/**
 * Base class of the annotation layer elements (`<vx-box-layer>`, `<vx-polygon-layer>`, `<vx-mask-layer>`):
 * finds the enclosing `<vx-viewer>`, joins its shared annotation session, draws its kinds and registers its
 * tools. Layers are light-DOM children of the viewer and render nothing themselves.
 * @module
 */
import { LitElement } from 'lit';
import type { AnnotationKind } from '../../core/annotation/types.js';
import type { Tool } from '../../core/tools/tool.js';
import type { EditorTools } from '../../core/tools/editor.js';
import type { ViewerHost } from '../viewer-host.js';
import { type AnnotationSession, acquireSession } from './annotation-session.js';

/** Shared behaviour of the annotation layer elements. */
export abstract class AnnotationLayerElement extends LitElement {
  /** Kinds this layer draws. */
  protected abstract readonly kinds: AnnotationKind[];
  /** Tool names (keys of the editor's tools) this layer registers with the viewer. */
  protected abstract readonly toolNames: (keyof EditorTools)[];

  /** The shared session, once connected inside a viewer. */
  protected session: AnnotationSession | undefined;
  private cleanups: (() => void)[] = [];
  private connectToken = 0;

  /** The tools of this layer, by name (available once connected inside a `<vx-viewer>`). */
  get tools(): Partial<Record<keyof EditorTools, Tool>> {
    const out: Partial<Record<keyof EditorTools, Tool>> = {};
    if (this.session) for (const n of this.toolNames) out[n] = this.session.editor.tools[n];
    return out;
  }

  protected override createRenderRoot(): HTMLElement {
    return this;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.style.display = 'none';
    const token = ++this.connectToken;
    const attach = () => {
      if (token !== this.connectToken || !this.isConnected || this.session) return;
      const viewer = this.closest('vx-viewer') as (HTMLElement & ViewerHost) | null;
      if (!viewer || typeof viewer.registerTool !== 'function') return;
      const session = acquireSession(viewer);
      this.session = session;
      this.cleanups.push(session.addKinds(this.kinds));
      for (const name of this.toolNames)
        this.cleanups.push(session.registerTool(name, session.editor.tools[name]));
      this.cleanups.push(() => session.release());
      this.sessionReady(session);
    };
    if (customElements.get('vx-viewer')) attach();
    else void customElements.whenDefined('vx-viewer').then(attach);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.connectToken++;
    for (const c of this.cleanups.splice(0).reverse()) c();
    this.session = undefined;
  }

  /** Called once the layer joined a viewer's session (subclasses apply their properties here). */
  protected sessionReady(_session: AnnotationSession): void {}
}
