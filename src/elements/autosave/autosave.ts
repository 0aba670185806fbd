/**
 * Autosave and crash recovery for one viewer: keeps the document's annotations in IndexedDB after every
 * committed change (debounced, at most `delayMs` behind) and when the page is hidden, and finds the draft
 * again when the same stack is opened later.
 *
 * - Same stack, viewer's own (empty) document: the draft is restored silently (outside the undo history)
 *   and `vx-restore` fires.
 * - Same stack, a document the host set: the draft is only offered (`vx-draft-found`); `restoreDraft()`
 *   replaces the document with it as one undo step, `discardDraft()` deletes it.
 * - Two pages on the same stack: a Web Lock per stack key lets one page save; both are told
 *   (`vx-draft-conflict`), and the other takes over when the first closes.
 * - A full quota: `vx-error` with code `storage-full`, once until a save succeeds again; editing goes on.
 * @module
 */
import type { AnnotationDocument } from '../../core/annotation/document.js';
import { VoxmarkError, ErrorCode, toVoxmarkError } from '../../core/errors.js';
import type { ImageStack } from '../../core/image/types.js';
import { VxDraftConflictEvent, VxDraftFoundEvent, VxErrorEvent, VxRestoreEvent } from '../events.js';
import { draftKey } from './draft-key.js';
import { DraftStore, type Draft } from './draft-store.js';

/** Longest a change waits before it is saved, by default (ms). */
export const AUTOSAVE_DELAY_MS = 500;
const CHANNEL = 'voxmark-autosave';

let sharedStore: DraftStore | undefined;

export interface AutosaveOptions {
  /** Where events are dispatched (the viewer). */
  target: EventTarget;
  /** The host's own key (`autosave="KEY"`): a task or user id that qualifies the stack's key. */
  hostKey?: string;
  /** Default: one store shared by every viewer of the page (database `voxmark-drafts`). */
  store?: DraftStore;
  /** Debounce after a committed change, in ms (at most 1000). Default {@link AUTOSAVE_DELAY_MS}. */
  delayMs?: number;
}

type Message = { type: 'hello' | 'here'; key: string; tab: string };

/** Autosave of one (stack, document) pair; `stop()` it when either changes. */
export class DraftAutosave {
  readonly tabId = crypto.randomUUID();
  #options: Required<Omit<AutosaveOptions, 'hostKey'>> & { hostKey: string };
  #stack: ImageStack | undefined;
  #doc: AnnotationDocument | undefined;
  #key: string | undefined;
  #pending: Draft | undefined;
  #unsubscribe: (() => void) | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #dirty = false;
  #saving: Promise<void> = Promise.resolve();
  #owner = false;
  #releaseLock: (() => void) | undefined;
  #channel: BroadcastChannel | undefined;
  #stopped = new AbortController();
  #reportedFull = false;
  readonly #onHide = () => void this.flush();

  constructor(options: AutosaveOptions) {
    this.#options = {
      target: options.target,
      hostKey: options.hostKey ?? '',
      store: options.store ?? (sharedStore ??= new DraftStore()),
      delayMs: Math.min(1000, Math.max(0, options.delayMs ?? AUTOSAVE_DELAY_MS)),
    };
  }

  /** The key drafts of the current stack are stored under (after `start` resolved). */
  get key(): string | undefined {
    return this.#key;
  }

  /** True while this page is the one saving drafts of its stack. */
  get saving(): boolean {
    return this.#owner;
  }

  /** The draft offered after `vx-draft-found`, until restored or discarded. */
  get pendingDraft(): Draft | undefined {
    return this.#pending;
  }

  /**
   * Starts autosaving `doc` for `stack`. `fromHost`: the host set this document, so an existing draft is
   * offered rather than restored. Resolves once the draft (if any) was looked up.
   */
  async start(stack: ImageStack, doc: AnnotationDocument, { fromHost = false } = {}): Promise<void> {
    this.#stack = stack;
    this.#doc = doc;
    const signal = this.#stopped.signal;
    const key = await draftKey(stack, this.#options.hostKey, signal);
    if (signal.aborted) return;
    this.#key = key;
    this.#unsubscribe = doc.subscribe(() => this.#changed());
    addEventListener('pagehide', this.#onHide);
    this.#openChannel(key);
    await this.#lock(key, signal);
    if (signal.aborted) return;
    const draft = await this.#read(key);
    if (!draft || signal.aborted || !this.#fits(draft, stack) || draft.count === 0) return;
    if (!fromHost && doc.size === 0) {
      doc.add(draft.annotations, { origin: 'remote' });
      this.#options.target.dispatchEvent(new VxRestoreEvent({ count: draft.count, savedAt: draft.savedAt }));
    } else {
      this.#pending = draft;
      this.#options.target.dispatchEvent(
        new VxDraftFoundEvent({ count: draft.count, savedAt: draft.savedAt }),
      );
    }
  }

  /** Replaces the document's annotations with the offered draft, as one undo step. False when none is offered. */
  restoreDraft(): boolean {
    const draft = this.#pending;
    const doc = this.#doc;
    if (!draft || !doc) return false;
    this.#pending = undefined;
    doc.transact(() => {
      doc.clear();
      doc.add(draft.annotations);
    });
    return true;
  }

  /** Deletes the stored draft of this stack (an offered one, or the one this page saved). */
  async discardDraft(): Promise<void> {
    this.#pending = undefined;
    if (this.#key) await this.#options.store.delete(this.#key).catch((e: unknown) => this.#report(e));
  }

  /** Saves now if anything changed since the last save. */
  async flush(): Promise<void> {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    if (!this.#dirty || !this.#owner) return this.#saving;
    this.#dirty = false;
    this.#saving = this.#saving.then(() => this.#write());
    return this.#saving;
  }

  /** Saves what is pending, then stops listening and releases the stack to other pages. */
  async stop(): Promise<void> {
    if (this.#stopped.signal.aborted) return;
    await this.flush();
    this.#stopped.abort();
    this.#unsubscribe?.();
    removeEventListener('pagehide', this.#onHide);
    this.#channel?.close();
    this.#releaseLock?.();
    this.#owner = false;
  }

  #fits(draft: Draft, stack: ImageStack): boolean {
    return draft.width === stack.width && draft.height === stack.height && draft.depth === stack.depth;
  }

  #changed(): void {
    this.#dirty = true;
    if (this.#timer !== undefined) return;
    this.#timer = setTimeout(() => void this.flush(), this.#options.delayMs);
  }

  async #read(key: string): Promise<Draft | undefined> {
    try {
      return await this.#options.store.get(key);
    } catch (e) {
      this.#report(e);
      return undefined;
    }
  }

  async #write(): Promise<void> {
    const doc = this.#doc;
    const stack = this.#stack;
    const key = this.#key;
    if (!doc || !stack || !key) return;
    const draft: Draft = {
      key,
      savedAt: Date.now(),
      count: doc.size,
      tabId: this.tabId,
      width: stack.width,
      height: stack.height,
      depth: stack.depth,
      annotations: doc.toJSON().annotations,
    };
    try {
      await this.#options.store.put(draft);
      this.#reportedFull = false;
    } catch (e) {
      // Keep the change pending so the next edit or pagehide tries again.
      this.#dirty = true;
      this.#report(e);
    }
  }

  #report(e: unknown): void {
    const error = e instanceof VoxmarkError ? e : toVoxmarkError(e, ErrorCode.StorageFailed, 'Autosave');
    if (error.code === ErrorCode.StorageFull) {
      if (this.#reportedFull) return;
      this.#reportedFull = true;
    }
    this.#options.target.dispatchEvent(new VxErrorEvent(error));
  }

  /** Takes the stack's lock if free; otherwise says so and waits for it in the background. */
  async #lock(key: string, signal: AbortSignal): Promise<void> {
    const locks = (navigator as Navigator & { locks?: LockManager }).locks;
    if (!locks) {
      this.#owner = true;
      return;
    }
    const name = `voxmark-draft:${key}`;
    const hold = (): Promise<void> =>
      new Promise<void>((release) => {
        this.#releaseLock = release;
        signal.addEventListener('abort', () => release(), { once: true });
      });
    // The lock is held for as long as the callback's promise is pending: until stop().
    const got = await new Promise<boolean>((granted) => {
      locks
        .request(name, { ifAvailable: true }, async (lock) => {
          if (!lock) return granted(false);
          this.#owner = true;
          granted(true);
          await hold();
        })
        .catch(() => granted(false));
    });
    if (got) return;
    this.#options.target.dispatchEvent(new VxDraftConflictEvent(false));
    // Wait for the other page to close, then take over and save what changed meanwhile.
    void locks
      .request(name, { signal }, async () => {
        this.#owner = true;
        if (this.#dirty) void this.flush();
        await hold();
      })
      .catch(() => undefined);
  }

  #openChannel(key: string): void {
    if (typeof BroadcastChannel === 'undefined') return;
    const channel = new BroadcastChannel(CHANNEL);
    this.#channel = channel;
    channel.onmessage = (e: MessageEvent<Message>) => {
      const m = e.data;
      if (!m || m.key !== key || m.tab === this.tabId) return;
      // Another page opened this stack: tell this page's host, and answer so it learns of us too.
      if (m.type === 'hello') {
        channel.postMessage({ type: 'here', key, tab: this.tabId } satisfies Message);
        if (this.#owner) this.#options.target.dispatchEvent(new VxDraftConflictEvent(true));
      }
    };
    channel.postMessage({ type: 'hello', key, tab: this.tabId } satisfies Message);
  }
}
