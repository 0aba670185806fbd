/**
 * Where autosaved drafts live: one IndexedDB object store, one record per stack key. A draft holds the
 * annotations of a document and the size of its stack, never pixels, file names or patient data.
 * @module
 */
import { ErrorCode, VoxmarkError } from '../../core/errors.js';
import type { Annotation } from '../../core/annotation/types.js';

/** One autosaved draft. */
export interface Draft {
  /** The stack key ({@link draftKey}): a hash, never the UIDs themselves. */
  key: string;
  /** When it was written (ms since the epoch). */
  savedAt: number;
  /** Number of annotations. */
  count: number;
  /** The tab (page) that wrote it. */
  tabId: string;
  /** Size of the stack it belongs to; a draft is only applied to a stack of the same size. */
  width: number;
  height: number;
  depth: number;
  /** The document's annotations in their JSON form (masks as COCO RLE of their bounding box). */
  annotations: Annotation[];
}

const STORE = 'drafts';

/** Maps a failed IndexedDB request to a VoxmarkError: a full quota is `storage-full`. */
export function storageError(error: unknown, action: string): VoxmarkError {
  const name = (error as { name?: unknown } | null)?.name;
  if (name === 'QuotaExceededError') {
    return new VoxmarkError(
      ErrorCode.StorageFull,
      `The browser's storage is full: the draft could not be ${action}.`,
      {
        cause: error,
      },
    );
  }
  return new VoxmarkError(ErrorCode.StorageFailed, `The draft could not be ${action}.`, { cause: error });
}

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

/** A small IndexedDB store of drafts by key. Every method rejects with a VoxmarkError. */
export class DraftStore {
  readonly dbName: string;
  #db: Promise<IDBDatabase> | undefined;

  constructor(dbName = 'voxmark-drafts') {
    this.dbName = dbName;
  }

  #open(): Promise<IDBDatabase> {
    this.#db ??= new Promise<IDBDatabase>((resolve, reject) => {
      const req = indexedDB.open(this.dbName, 1);
      req.onupgradeneeded = () => {
        if (!req.result.objectStoreNames.contains(STORE))
          req.result.createObjectStore(STORE, { keyPath: 'key' });
      };
      req.onsuccess = () => {
        const db = req.result;
        // Another page upgrading or deleting the database: let it, and reopen on the next call.
        db.onversionchange = () => {
          db.close();
          this.#db = undefined;
        };
        resolve(db);
      };
      req.onerror = () => reject(req.error);
      req.onblocked = () =>
        reject(new DOMException('The draft database is blocked by another page', 'AbortError'));
    }).catch((e: unknown) => {
      this.#db = undefined;
      throw storageError(e, 'opened');
    });
    return this.#db;
  }

  async #run<T>(
    mode: IDBTransactionMode,
    action: string,
    fn: (s: IDBObjectStore) => IDBRequest<T>,
  ): Promise<T> {
    const db = await this.#open();
    try {
      const tx = db.transaction(STORE, mode);
      const result = await request(fn(tx.objectStore(STORE)));
      await new Promise<void>((resolve, reject) => {
        tx.oncomplete = () => resolve();
        tx.onerror = () => reject(tx.error);
        tx.onabort = () =>
          reject(tx.error ?? new DOMException('The draft transaction was aborted', 'AbortError'));
      });
      return result;
    } catch (e) {
      throw storageError(e, action);
    }
  }

  /** The draft for `key`, or undefined. */
  async get(key: string): Promise<Draft | undefined> {
    const value = await this.#run('readonly', 'read', (s) => s.get(key) as IDBRequest<Draft | undefined>);
    return value ?? undefined;
  }

  /** Writes (replaces) the draft for `draft.key`. */
  async put(draft: Draft): Promise<void> {
    await this.#run('readwrite', 'saved', (s) => s.put(draft));
  }

  /** Removes the draft for `key` (no error when there is none). */
  async delete(key: string): Promise<void> {
    await this.#run('readwrite', 'deleted', (s) => s.delete(key));
  }

  /** Every stored key. */
  async keys(): Promise<string[]> {
    return (await this.#run('readonly', 'listed', (s) => s.getAllKeys())) as string[];
  }

  /** Closes the connection (the next call reopens it). */
  async close(): Promise<void> {
    const db = this.#db;
    this.#db = undefined;
    if (db) (await db.catch(() => undefined))?.close();
  }
}
