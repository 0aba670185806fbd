/**
 * Autosave for `<vx-viewer autosave>`: restarts a {@link DraftAutosave} whenever the viewer's stack or
 * document changes, tells it whether the document came from the host (a draft is then offered rather than
 * restored), and keeps the optional `beforeunload` guard for changes the host has not saved.
 * @module
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { AnnotationDocument } from '../../core/annotation/document.js';
import type { ImageStack } from '../../core/image/types.js';
import { DraftAutosave } from '../autosave/autosave.js';
import type { DraftStore } from '../autosave/draft-store.js';

/** What the controller reads from its viewer. */
export interface AutosaveHost extends ReactiveControllerHost, EventTarget {
  /** `undefined` or `null`: off. A string (empty for a bare `autosave` attribute): on, with that host key. */
  readonly autosave: string | null | undefined;
  /** Ask before the page unloads while the document has changes the host has not saved. */
  readonly guardUnload: boolean;
  readonly stack: ImageStack | undefined;
  readonly document: AnnotationDocument | undefined;
}

export class AutosaveController implements ReactiveController {
  /** Where drafts go; tests and hosts with their own database name set it before the first load. */
  store: DraftStore | undefined;
  #host: AutosaveHost;
  #session: DraftAutosave | undefined;
  #started: { stack: ImageStack; document: AnnotationDocument; key: string } | undefined;
  /** The document the viewer made for the current stack (any other one came from the host). */
  #made: AnnotationDocument | undefined;
  /** The document version the host last saved (`markSaved`), per document. */
  #savedVersion = new WeakMap<AnnotationDocument, number>();
  #guarding = false;
  readonly #onBeforeUnload = (e: BeforeUnloadEvent) => {
    if (!this.unsaved) return;
    e.preventDefault();
    // Older browsers show the prompt only when returnValue is set.
    e.returnValue = '';
  };

  constructor(host: AutosaveHost) {
    this.#host = host;
    host.addController(this);
  }

  /** The viewer made `doc` for a new stack (not the host). */
  madeByViewer(doc: AnnotationDocument | undefined): void {
    this.#made = doc;
  }

  /** The running autosave, while on and a stack is shown. */
  get session(): DraftAutosave | undefined {
    return this.#session;
  }

  /** True when the document changed since the host last called `markSaved()` (or since it arrived). */
  get unsaved(): boolean {
    const doc = this.#host.document;
    return !!doc && doc.version !== (this.#savedVersion.get(doc) ?? doc.version);
  }

  /** The host saved the document: the unload guard stays quiet until the next change. */
  markSaved(): void {
    const doc = this.#host.document;
    if (doc) this.#savedVersion.set(doc, doc.version);
  }

  hostUpdated(): void {
    this.#guard(this.#host.guardUnload);
    const { stack, document, autosave } = this.#host;
    // A document counts as saved as it arrives (made empty, or loaded by the host); changes from then on,
    // a restored draft included, are what the host has not saved.
    if (document && !this.#savedVersion.has(document)) this.#savedVersion.set(document, document.version);
    const on = autosave !== undefined && autosave !== null;
    const key = on ? autosave : '';
    const s = this.#started;
    if (on && stack && document && s?.stack === stack && s.document === document && s.key === key) return;
    if (!on && !s) return;
    void this.#restart(on && stack && document ? { stack, document, key } : undefined);
  }

  hostDisconnected(): void {
    this.#guard(false);
    void this.#restart(undefined);
  }

  async #restart(next: { stack: ImageStack; document: AnnotationDocument; key: string } | undefined) {
    const previous = this.#session;
    this.#session = undefined;
    this.#started = next;
    // The old session saves what is pending before the next one reads.
    if (previous) await previous.stop();
    if (!next || this.#started !== next) return;
    const session = new DraftAutosave({
      target: this.#host,
      hostKey: next.key,
      ...(this.store ? { store: this.store } : {}),
    });
    this.#session = session;
    await session.start(next.stack, next.document, { fromHost: next.document !== this.#made });
  }

  #guard(on: boolean): void {
    if (on === this.#guarding) return;
    this.#guarding = on;
    if (on) addEventListener('beforeunload', this.#onBeforeUnload);
    else removeEventListener('beforeunload', this.#onBeforeUnload);
  }
}
