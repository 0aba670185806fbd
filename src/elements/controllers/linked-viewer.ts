/**
 * The wiring every control bound to a viewer needs (`<vx-toolbar>`, `<vx-label-picker>`, `<vx-export-panel>`):
 * find the viewer, follow it, and re-render when what the control shows changed.
 * @module
 */
import { ContextConsumer } from '@lit/context';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { AnnotationKind } from '../../core/annotation/types.js';
import { VxViewerConnectedEvent } from '../events.js';
import { viewerHostContext, type ViewerHost } from '../viewer-host.js';

/** A viewer as a linked control sees it: the host contract plus its settable properties. */
export type LinkedViewer = ViewerHost &
  HTMLElement & {
    tool: string;
    activeLabel: string | undefined;
    /** Kinds the viewer's layers draw (empty without layers). */
    readonly layerKinds: ReadonlySet<AnnotationKind>;
    /** Why a drag with `tool` would do nothing now, if it would (see `VxViewer.toolBlockedReason`). */
    toolBlockedReason?(tool?: string): string | undefined;
  };

/** The control: a Lit element with an optional `for` (the viewer's id). */
export type LinkedHost = ReactiveControllerHost & HTMLElement & { for?: string };

/** Viewer events after which what a control shows may have changed. */
const VIEWER_EVENTS = [
  'vx-annotation-create',
  'vx-annotation-update',
  'vx-annotation-delete',
  'vx-history-change',
  'vx-selection-change',
] as const;

/**
 * Resolves the viewer of a control: the element with id `for` in the control's document or shadow root, or
 * else the nearest enclosing viewer (through `@lit/context`). A viewer added later, or a new viewer that takes
 * the id of a removed one (frameworks re-render), is found when it fires `vx-viewer-connected`: nothing polls.
 *
 * While bound, the control re-renders only when one of its selectors ({@link LinkedViewerController.select})
 * gives another value after a viewer change, an annotation event, a tool option change or a hide/lock change.
 */
export class LinkedViewerController implements ReactiveController {
  viewer: LinkedViewer | undefined;
  #host: LinkedHost;
  #bind: ((viewer: LinkedViewer) => (() => void)[]) | undefined;
  #contextViewer: LinkedViewer | undefined;
  #root: Node | undefined;
  #for: string | undefined;
  #cleanups: (() => void)[] = [];
  #selectors: { select: (viewer: LinkedViewer) => unknown; last: unknown }[] = [];

  /** `bind` adds what the control needs beyond the selectors; it returns the cleanups. */
  constructor(host: LinkedHost, bind?: (viewer: LinkedViewer) => (() => void)[]) {
    this.#host = host;
    this.#bind = bind;
    host.addController(this);
    new ContextConsumer(host, {
      context: viewerHostContext,
      subscribe: true,
      callback: (v) => {
        this.#contextViewer = v as LinkedViewer | undefined;
        this.resolve();
      },
    });
  }

  /** Re-renders the control whenever `select(viewer)` changes (compared with `Object.is`). */
  select(select: (viewer: LinkedViewer) => unknown): void {
    this.#selectors.push({ select, last: undefined });
  }

  hostConnected(): void {
    this.#root = this.#host.getRootNode();
    this.#root.addEventListener(VxViewerConnectedEvent.type, this.#onViewerConnected);
    this.resolve();
  }

  hostDisconnected(): void {
    this.#root?.removeEventListener(VxViewerConnectedEvent.type, this.#onViewerConnected);
    this.#root = undefined;
    this.#unbind();
    this.viewer = undefined;
  }

  hostUpdate(): void {
    // `for` changed, or the bound viewer left the page (a framework replaced it).
    if (this.#host.for !== this.#for || (this.viewer && !this.viewer.isConnected)) this.resolve();
  }

  /** Finds the viewer again and rebinds when it is another one. */
  resolve(): void {
    if (!this.#host.isConnected) return;
    this.#for = this.#host.for;
    const viewer = this.#find();
    if (viewer === this.viewer) return;
    this.#unbind();
    this.viewer = viewer;
    if (viewer) this.#cleanups = this.#wire(viewer);
    this.#host.requestUpdate();
  }

  #find(): LinkedViewer | undefined {
    const id = this.#host.for;
    const root = this.#host.getRootNode() as Document | ShadowRoot;
    const el = id ? root.getElementById?.(id) : (this.#contextViewer ?? this.#host.closest('vx-viewer'));
    const candidate = el as Partial<ViewerHost> | null | undefined;
    return candidate && typeof candidate.subscribe === 'function' && typeof candidate.addLayer === 'function'
      ? (el as LinkedViewer)
      : undefined;
  }

  #wire(viewer: LinkedViewer): (() => void)[] {
    const check = () => this.#check();
    const cleanups = [
      viewer.subscribe((change) => {
        // The viewer left the page: look again now (a new viewer with its id may already be there).
        if (change.disconnected) queueMicrotask(() => this.resolve());
        else check();
      }),
      viewer.editor.subscribeOptions(check),
      viewer.editor.visibility.subscribe(check),
      ...(this.#bind?.(viewer) ?? []),
    ];
    for (const type of VIEWER_EVENTS) viewer.addEventListener(type, check);
    cleanups.push(() => VIEWER_EVENTS.forEach((type) => viewer.removeEventListener(type, check)));
    for (const s of this.#selectors) s.last = s.select(viewer);
    return cleanups;
  }

  #unbind(): void {
    for (const c of this.#cleanups.splice(0)) c();
  }

  #check(): void {
    const viewer = this.viewer;
    if (!viewer) return;
    let changed = false;
    for (const s of this.#selectors) {
      const value = s.select(viewer);
      if (!Object.is(value, s.last)) changed = true;
      s.last = value;
    }
    if (changed) this.#host.requestUpdate();
  }

  #onViewerConnected = (): void => {
    if (!this.viewer || !this.viewer.isConnected) this.resolve();
  };
}
