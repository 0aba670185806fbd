import { ErrorCode, VoxmarkError } from '../errors.js';
import { type MaskRegion, type Rect, SparseMask, unionRect } from '../mask/sparse-mask.js';
import {
  type Box3,
  SparseVolume,
  unionBox,
  type VolumeEdit,
  type VolumeMemo,
} from '../mask/sparse-volume.js';
import type { Volume } from '../mask/volume.js';
import { VolumeHandle } from '../mask/volume-handle.js';
import {
  type MaskSource,
  plainMask,
  type Shape,
  SHAPES,
  sparseOf,
  volumeOf,
  type VolumeSource,
} from './shapes.js';
import {
  type Annotation,
  type AnnotationFields,
  type AnnotationJSON,
  type AnnotationKind,
  AnnotationKinds,
  type AttributeValue,
  type Box,
  type ChangeOrigin,
  type ChangeSet,
  type MaskInput,
  type Point,
} from './types.js';

export type { MaskSource, VolumeSource } from './shapes.js';

/** What `add` accepts: an annotation without id or times (they are assigned when missing). */
export interface AnnotationInput {
  id?: string;
  label: string;
  kind: AnnotationKind;
  /** Required for every kind but 'volume', whose slice is derived (its first painted slice) and ignored here. */
  slice?: number;
  box?: Box;
  points?: Point[];
  /** A mask's pixels (`MaskSource`), or a volume's voxels (`VolumeSource`, e.g. `{ data }` of w×h×depth). */
  mask?: MaskSource | VolumeSource;
  attributes?: Record<string, AttributeValue>;
  createdAt?: string;
  updatedAt?: string;
}

/** What `update` accepts: any field but id and kind; `attributes` replaces the whole record. */
export type AnnotationPatch = Partial<Omit<AnnotationInput, 'id' | 'kind'>>;

/** Options of a single edit. */
export interface EditOptions {
  /** Default 'local' (undoable). 'remote' and 'silent' changes are applied but never enter the undo history. */
  origin?: ChangeOrigin;
}

export interface AnnotationDocumentOptions {
  /** Stack width and height in pixels: the size of every mask. */
  width: number;
  height: number;
  /** Number of slices; when given, `slice` is checked against it. */
  depth?: number;
  /** Memory the undo/redo history may keep, in bytes. Default 256 MiB. Count is unbounded. */
  historyBytes?: number;
  /** Id generator. Default crypto.randomUUID. */
  createId?: () => string;
  /** Clock for created/updated times. Default () => new Date(). */
  now?: () => Date;
}

/** A change set as delivered to subscribers, with where it came from and what it dirtied. */
export interface DocumentChange extends ChangeSet {
  /** 'edit' for a new change, 'undo' / 'redo' for history moves. */
  cause: 'edit' | 'undo' | 'redo';
  /** For mask annotations whose pixels changed: the changed rectangle, by annotation id. */
  maskRects: Map<string, Rect>;
  /** For volume annotations whose voxels changed (or that were added, removed or relabelled): the box of voxels, by id. */
  volumeBoxes: Map<string, Box3>;
}

/** What `editVolume` paints when it creates a new volume instance. */
export interface NewVolumeTarget {
  label: string;
  /** Default: a new id. Must not be in use. */
  id?: string;
  attributes?: Record<string, AttributeValue>;
}

/** A subscriber receives one change set per committed edit (never one per pointer move). */
export type ChangeListener = (change: DocumentChange) => void;

/** Serialized form of the document returned by toJSON (masks as COCO RLE of their bbox). */
export interface AnnotationDocumentJSON {
  width: number;
  height: number;
  depth?: number;
  annotations: AnnotationJSON[];
}

interface HistoryEntry {
  created: Annotation[];
  updated: { before: Annotation; after: Annotation }[];
  deleted: Annotation[];
  bytes: number;
}

interface Transaction {
  origin: ChangeOrigin;
  depth: number;
  created: Map<string, Annotation>;
  updated: Map<string, { before: Annotation; after: Annotation }>;
  deleted: Map<string, Annotation>;
  maskRects: Map<string, Rect>;
  volumeBoxes: Map<string, Box3>;
  cause: DocumentChange['cause'];
}

/**
 * The sparse mask behind a mask annotation (frozen, shared; never write to it: `clone()` it).
 * The same as `annotation.mask.sparse` for an annotation of a document; undefined for other kinds.
 */
export function maskOf(annotation: Annotation): SparseMask | undefined {
  return sparseOf(annotation);
}

const DEFAULT_HISTORY_BYTES = 256 * 1024 * 1024;

function defaultId(): string {
  const c = (globalThis as { crypto?: Crypto }).crypto;
  if (c?.randomUUID) return c.randomUUID();
  const b = new Uint8Array(16);
  if (c?.getRandomValues) c.getRandomValues(b);
  else for (let i = 0; i < 16; i++) b[i] = Math.floor(Math.random() * 256);
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = [...b].map((v) => v.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

function bad(message: string): VoxmarkError {
  return new VoxmarkError(ErrorCode.InvalidArgument, message);
}

/**
 * The single source of truth for all annotations on one image stack. DOM-free.
 *
 * Every committed edit is one change set (`created`, `updated`, `deleted`) with an origin, delivered to
 * subscribers once. Local edits are undoable; a transaction (`transact`, or `begin`/`commit`/`cancel`) groups
 * edits into one change set and one undo step, and a cancelled one leaves nothing. History is unbounded in
 * count and bounded in memory (`historyBytes`); mask edits cost only the tiles they touched.
 *
 * Annotations are immutable snapshots: an edit replaces the object, so `before`/`after` in a change set and
 * the entries of the undo history stay exact. Geometry is in image pixel coordinates.
 */
export class AnnotationDocument {
  readonly width: number;
  readonly height: number;
  readonly depth: number | undefined;
  /** Memory budget of the undo/redo history in bytes. */
  historyLimit: number;

  private readonly items = new Map<string, Annotation>();
  private readonly slices = new Map<number, Map<string, Annotation>>();
  private readonly sliceCache = new Map<number, readonly Annotation[]>();
  private listCache: readonly Annotation[] | null = null;
  private readonly listeners = new Set<ChangeListener>();
  private readonly undoStack: HistoryEntry[] = [];
  private readonly redoStack: HistoryEntry[] = [];
  private historyBytesUsed = 0;
  private tx: Transaction | null = null;
  private readonly createId: () => string;
  private readonly now: () => Date;
  private revision = 0;
  /** Drawing (creation) order of every id ever inserted, so undo puts annotations back where they were. */
  private readonly order = new Map<string, number>();
  private nextOrder = 0;
  private orderDirty = false;

  constructor(options: AnnotationDocumentOptions) {
    const { width, height, depth } = options;
    if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0)
      throw bad(`Document size must be positive integers, got ${width}×${height}`);
    if (depth !== undefined && (!Number.isInteger(depth) || depth <= 0)) throw bad(`Bad depth ${depth}`);
    this.width = width;
    this.height = height;
    this.depth = depth;
    this.historyLimit = options.historyBytes ?? DEFAULT_HISTORY_BYTES;
    this.createId = options.createId ?? defaultId;
    this.now = options.now ?? (() => new Date());
  }

  /** Every annotation, in insertion order (read-only; a new array after each change). */
  get annotations(): readonly Annotation[] {
    this.sortIfNeeded();
    return (this.listCache ??= Object.freeze([...this.items.values()]));
  }

  /** Number of annotations. */
  get size(): number {
    return this.items.size;
  }

  /** Increments on every applied change: a cheap "has anything changed" check. */
  get version(): number {
    return this.revision;
  }

  get(id: string): Annotation | undefined {
    return this.items.get(id);
  }

  has(id: string): boolean {
    return this.items.has(id);
  }

  /** The annotations on one slice, from an index (never a scan of the document). */
  bySlice(slice: number): readonly Annotation[] {
    this.sortIfNeeded();
    let list = this.sliceCache.get(slice);
    if (!list) {
      const m = this.slices.get(slice);
      list = Object.freeze(m ? [...m.values()] : []);
      this.sliceCache.set(slice, list);
    }
    return list;
  }

  /** Slices that hold at least one annotation, ascending. */
  slicesWithAnnotations(): number[] {
    return [...this.slices.keys()].filter((s) => this.slices.get(s)!.size > 0).sort((a, b) => a - b);
  }

  /** Adds one annotation (returns it) or several (returns them, in order) as one change. */
  add(input: AnnotationInput, options?: EditOptions): Annotation;
  add(inputs: AnnotationInput[], options?: EditOptions): Annotation[];
  add(input: AnnotationInput | AnnotationInput[], options: EditOptions = {}): Annotation | Annotation[] {
    const list = Array.isArray(input) ? input : [input];
    const made = list.map((i) => this.build(i));
    const ids = new Set<string>();
    for (const a of made) {
      if (this.items.has(a.id) || ids.has(a.id)) throw bad(`An annotation with id ${a.id} already exists`);
      ids.add(a.id);
    }
    this.transact(() => {
      for (const a of made) this.applyCreate(a);
    }, options);
    return Array.isArray(input) ? made : made[0]!;
  }

  /** Replaces fields of an annotation. Returns the new annotation. Throws VoxmarkError('invalid-argument'). */
  update(id: string, patch: AnnotationPatch, options: EditOptions = {}): Annotation {
    const before = this.items.get(id);
    if (!before) throw bad(`No annotation with id ${id}`);
    if ('id' in patch || 'kind' in patch) throw bad('update cannot change id or kind');
    const merged: AnnotationInput = { ...this.plain(before), ...patch, id, kind: before.kind };
    // A mask's pixels (a volume's voxels) are shared, never copied: a patch without a mask keeps them.
    if (merged.mask === undefined)
      merged.mask = sparseOf(before) ?? (before.mask as VolumeHandle | undefined);
    merged.createdAt = before.createdAt;
    merged.updatedAt = patch.updatedAt ?? this.now().toISOString();
    const after = this.build(merged);
    this.transact(() => this.applyUpdate(before, after), options);
    return after;
  }

  /** Removes annotations by id (unknown ids are ignored). Returns the removed annotations. */
  remove(ids: string | string[], options: EditOptions = {}): Annotation[] {
    const list = (Array.isArray(ids) ? ids : [ids])
      .map((id) => this.items.get(id))
      .filter((a) => a !== undefined);
    if (list.length) this.transact(() => list.forEach((a) => this.applyDelete(a)), options);
    return list;
  }

  /** Removes every annotation (one change, undoable when local). */
  clear(options: EditOptions = {}): void {
    this.remove([...this.items.keys()], options);
  }

  /**
   * Runs fn as one transaction: every edit inside becomes one change set and one undo step. When fn throws,
   * every edit inside is rolled back and the error rethrown.
   */
  transact<T>(fn: () => T, options: EditOptions = {}): T {
    this.begin(options);
    let result: T;
    try {
      result = fn();
    } catch (e) {
      this.cancel();
      throw e;
    }
    this.commit();
    return result;
  }

  /** Opens a transaction (nestable: the outermost one decides origin and commits). */
  begin(options: EditOptions = {}): void {
    if (this.tx) {
      this.tx.depth++;
      return;
    }
    this.tx = {
      origin: options.origin ?? 'local',
      depth: 1,
      created: new Map(),
      updated: new Map(),
      deleted: new Map(),
      maskRects: new Map(),
      volumeBoxes: new Map(),
      cause: 'edit',
    };
  }

  /** True while a transaction is open. */
  get inTransaction(): boolean {
    return this.tx !== null;
  }

  /** Closes the current transaction; the outermost commit records one undo step and notifies once. */
  commit(): void {
    const tx = this.tx;
    if (!tx) return;
    if (--tx.depth > 0) return;
    this.tx = null;
    const change: DocumentChange = {
      created: [...tx.created.values()],
      updated: [...tx.updated.values()],
      deleted: [...tx.deleted.values()],
      origin: tx.origin,
      cause: tx.cause,
      maskRects: tx.maskRects,
      volumeBoxes: tx.volumeBoxes,
    };
    if (!change.created.length && !change.updated.length && !change.deleted.length) return;
    if (tx.origin === 'local' && tx.cause === 'edit') {
      this.redoStack.length = 0;
      this.pushHistory(this.undoStack, change);
      this.recount();
    }
    this.emit(change);
  }

  /** Rolls back everything since the outermost begin and notifies nothing. */
  cancel(): void {
    const tx = this.tx;
    if (!tx) return;
    this.tx = null;
    for (const a of tx.created.values()) this.rawDelete(a);
    for (const { before, after } of tx.updated.values()) this.rawReplace(after, before);
    for (const a of tx.deleted.values()) this.rawInsert(a);
  }

  get canUndo(): boolean {
    return this.undoStack.length > 0 || this.tx !== null;
  }

  get canRedo(): boolean {
    return this.redoStack.length > 0 && this.tx === null;
  }

  /** Number of undo / redo steps available. */
  get historyDepth(): { undo: number; redo: number } {
    return { undo: this.undoStack.length, redo: this.redoStack.length };
  }

  /** Bytes the history keeps now. */
  get historyBytes(): number {
    return this.historyBytesUsed;
  }

  /**
   * Undoes the last local step. While a transaction (a gesture) is open, cancels it instead.
   * Returns true when something was undone or cancelled.
   */
  undo(): boolean {
    if (this.tx) {
      this.cancel();
      return true;
    }
    const entry = this.undoStack.pop();
    if (!entry) return false;
    this.replay(entry, true);
    this.redoStack.push(entry);
    return true;
  }

  /** Redoes the last undone step. Returns true when something was redone. */
  redo(): boolean {
    if (this.tx) return false;
    const entry = this.redoStack.pop();
    if (!entry) return false;
    this.replay(entry, false);
    this.undoStack.push(entry);
    return true;
  }

  /** Drops the whole undo/redo history (for example after loading a document). */
  clearHistory(): void {
    this.undoStack.length = 0;
    this.redoStack.length = 0;
    this.historyBytesUsed = 0;
  }

  /** Calls listener with every committed change set. Returns the unsubscribe function. */
  subscribe(listener: ChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** A full-size copy of a mask annotation's pixels (width × height, row-major, 1 = inside). */
  getMask(id: string): MaskInput | undefined {
    const a = this.items.get(id);
    const m = a && sparseOf(a);
    return m ? { data: m.toFull() } : undefined;
  }

  /**
   * The mask pixels inside the mask's bbox, for exporters: { bbox: [x, y, w, h], width, height, data } with
   * data bbox-sized and row-major. Null for an empty mask, undefined when id is not a mask annotation.
   */
  getMaskRegion(id: string): MaskRegion | null | undefined {
    const a = this.items.get(id);
    const m = a && sparseOf(a);
    return m ? m.region() : undefined;
  }

  /** The sparse mask (frozen, shared) of a mask annotation, for renderers and tools. */
  getSparseMask(id: string): SparseMask | undefined {
    const a = this.items.get(id);
    return a && sparseOf(a);
  }

  /** A new empty draft mask the size of the stack, for tools. */
  createMask(): SparseMask {
    return new SparseMask(this.width, this.height);
  }

  /**
   * A dense copy of a volume annotation's voxels: `{ data, width, height, depth }` in the stack's acquisition
   * order (index z·width·height + y·width + x, 1 = inside). Undefined when id is not a volume annotation.
   * Allocates width·height·depth bytes: renderers and tools read `getSparseVolume` instead.
   */
  getVolume(id: string): Volume | undefined {
    const a = this.items.get(id);
    return a && volumeOf(a)?.toVolume();
  }

  /** The sparse voxels (frozen, shared: `clone()` to change) of a volume annotation, for renderers and tools. */
  getSparseVolume(id: string): SparseVolume | undefined {
    const a = this.items.get(id);
    return a && volumeOf(a);
  }

  /**
   * The volume annotations with painted voxels on acquisition slice `slice`, in drawing order. (`bySlice`
   * lists a volume only on its first painted slice, its `slice`.) O(volume annotations).
   */
  volumesAt(slice: number): Annotation[] {
    return this.annotations.filter((a) => volumeOf(a)?.slice(slice) !== undefined);
  }

  /**
   * Opens an edit of a volume annotation, for a brush or eraser in any plane. Paint through the returned
   * `VolumeEdit` (`draft(z)`, or `paintPlaneStroke` / `paintSphere` of `mask/paint-3d`), then:
   *  - `edit.commit()` puts every touched slice into the document as ONE change set and ONE undo step (the
   *    annotation is replaced by a new version sharing every untouched tile, so history costs only the tiles
   *    the edit touched; undo and redo restore the exact voxels). It returns the edit's `VolumeMemo` (its
   *    `box` is the voxels it may have changed), or null when no voxel changed (then nothing is committed).
   *  - `edit.cancel()` drops it: the document never changed.
   *
   * `target` is the id of a volume annotation, or `{ label, id?, attributes? }` to paint a new instance,
   * which `commit()` adds (with all its painted voxels) as one undoable creation; nothing is added when
   * nothing was painted. An erased-empty volume stays in the document (with `slice` 0); remove it in the same
   * step with `doc.transact(() => { edit.commit(); doc.remove(id); })` if the tool wants that.
   *
   * The edit is based on the volume as it was when opened: `commit()` throws VoxmarkError('invalid-argument')
   * when the annotation changed or was removed meanwhile (and leaves the document as it is). Several edits
   * may be open at once (one per instance). Throws 'invalid-argument' for an unknown id, an id that is not a
   * volume, an id in use for a new instance, and a new instance when the document does not know its depth.
   */
  editVolume(target: string | NewVolumeTarget, options: EditOptions = {}): VolumeEdit {
    if (typeof target === 'string') {
      const a = this.items.get(target);
      const handle = a?.mask;
      if (!(handle instanceof VolumeHandle)) throw bad(`No volume annotation with id ${target}`);
      const draft = handle.volume.clone();
      return draft.edit((memo) => this.commitVolumeEdit(target, handle, draft, memo, options));
    }
    if (!target || typeof target.label !== 'string' || !target.label) throw bad('A new volume needs a label');
    if (this.depth === undefined) throw bad('A new volume needs a document that knows its depth');
    const id = target.id ?? this.createId();
    if (this.items.has(id)) throw bad(`An annotation with id ${id} already exists`);
    const volume = new SparseVolume(this.width, this.height, this.depth);
    return volume.edit((memo) => {
      if (!memo) return null;
      const input: AnnotationInput = { id, label: target.label, kind: 'volume', mask: volume };
      if (target.attributes) input.attributes = target.attributes;
      this.add(input, options);
      return memo;
    });
  }

  private commitVolumeEdit(
    id: string,
    from: VolumeHandle,
    volume: SparseVolume,
    memo: VolumeMemo | null,
    options: EditOptions,
  ): VolumeMemo | null {
    if (!memo) return null;
    if (this.items.get(id)?.mask !== from)
      throw bad(`Volume ${id} changed or was removed while it was edited: the edit was not applied`);
    this.update(id, { mask: new VolumeHandle(volume, { from, box: memo.box, bytes: memo.bytes }) }, options);
    return memo;
  }

  /** Plain JSON: size and every annotation, masks as COCO RLE of their bbox. */
  toJSON(): AnnotationDocumentJSON {
    const json: AnnotationDocumentJSON = {
      width: this.width,
      height: this.height,
      annotations: this.annotations.map((a) => this.plainWithMask(a)),
    };
    if (this.depth !== undefined) json.depth = this.depth;
    return json;
  }

  // ---- internals ----

  private plain(a: Annotation): AnnotationInput {
    const out: AnnotationInput = { id: a.id, label: a.label, kind: a.kind, slice: a.slice };
    Object.assign(out, (SHAPES[a.kind] as Shape).copy(a));
    if (a.attributes) out.attributes = { ...a.attributes };
    if (a.createdAt) out.createdAt = a.createdAt;
    if (a.updatedAt) out.updatedAt = a.updatedAt;
    return out;
  }

  private plainWithMask(a: Annotation): AnnotationJSON {
    const out = this.plain(a) as AnnotationFields;
    if (a.mask) out.mask = plainMask(a.mask);
    return out as AnnotationJSON;
  }

  private build(input: AnnotationInput): Annotation {
    if (!input || typeof input !== 'object') throw bad('Annotation must be an object');
    const { label, kind } = input;
    if (typeof label !== 'string' || !label) throw bad('Annotation label must be a non-empty string');
    if (!(AnnotationKinds as readonly string[]).includes(kind))
      throw bad(`Unknown annotation kind ${String(kind)}`);
    const { mask, ...outline } = SHAPES[kind].build(input, this);
    // A volume's slice is its first painted slice (0 when empty), whatever the input says.
    const slice = mask instanceof VolumeHandle ? (mask.volume.paintedSlices()[0] ?? 0) : input.slice;
    if (!Number.isInteger(slice) || slice! < 0 || (this.depth !== undefined && slice! >= this.depth))
      throw bad(`Slice ${slice} is out of range`);
    const id = input.id ?? this.createId();
    if (typeof id !== 'string' || !id) throw bad('Annotation id must be a non-empty string');
    const stamp = this.now().toISOString();
    const a = { id, label, kind, slice, ...outline } as Annotation;
    if (input.attributes) {
      for (const [k, v] of Object.entries(input.attributes))
        if (!['string', 'number', 'boolean'].includes(typeof v))
          throw bad(`Attribute ${k} must be a string, number or boolean`);
      a.attributes = Object.freeze({ ...input.attributes });
    }
    a.createdAt = input.createdAt ?? stamp;
    a.updatedAt = input.updatedAt ?? a.createdAt;
    // The mask comes last, as it always has in the serialized form.
    if (mask) (a as { mask?: unknown }).mask = mask;
    return Object.freeze(a);
  }

  private rawInsert(a: Annotation): void {
    // An id seen before (undo of a delete, a cancelled transaction, a slice move) goes back to its place
    // in the drawing order; a new one goes on top.
    if (this.order.has(a.id)) this.orderDirty = true;
    else this.order.set(a.id, this.nextOrder++);
    this.items.set(a.id, a);
    let m = this.slices.get(a.slice);
    if (!m) this.slices.set(a.slice, (m = new Map()));
    m.set(a.id, a);
    this.touch(a.slice);
  }

  /** Restores creation order in the maps after re-inserts (rare: undo of deletes). */
  private sortIfNeeded(): void {
    if (!this.orderDirty) return;
    this.orderDirty = false;
    const key = (a: Annotation) => this.order.get(a.id)!;
    const sorted = (m: Map<string, Annotation>) =>
      new Map([...m.values()].sort((p, q) => key(p) - key(q)).map((a) => [a.id, a] as const));
    const items = sorted(this.items);
    this.items.clear();
    for (const [id, a] of items) this.items.set(id, a);
    for (const [slice, m] of this.slices) this.slices.set(slice, sorted(m));
    this.sliceCache.clear();
    this.listCache = null;
  }

  private rawDelete(a: Annotation): void {
    this.items.delete(a.id);
    this.slices.get(a.slice)?.delete(a.id);
    this.touch(a.slice);
  }

  /** Replaces an annotation; in place when the slice is unchanged (Map.set keeps the drawing order). */
  private rawReplace(old: Annotation, next: Annotation): void {
    if (old.slice !== next.slice || !this.items.has(old.id)) {
      this.rawDelete(old);
      this.rawInsert(next);
      return;
    }
    this.items.set(next.id, next);
    this.slices.get(next.slice)!.set(next.id, next);
    this.touch(next.slice);
  }

  private touch(slice: number): void {
    this.sliceCache.delete(slice);
    this.listCache = null;
    this.revision++;
  }

  private requireTx(): Transaction {
    if (!this.tx) throw new Error('internal: no transaction');
    return this.tx;
  }

  private noteMask(tx: Transaction, id: string, rect: Rect | null): void {
    if (!rect) return;
    tx.maskRects.set(id, unionRect(tx.maskRects.get(id) ?? null, rect)!);
  }

  private maskRect(m: SparseMask | undefined): Rect | null {
    const b = m?.bbox();
    return b ? { x: b[0], y: b[1], width: b[2], height: b[3] } : null;
  }

  private applyCreate(a: Annotation): void {
    const tx = this.requireTx();
    this.rawInsert(a);
    const deleted = tx.deleted.get(a.id);
    if (deleted) {
      tx.deleted.delete(a.id);
      tx.updated.set(a.id, { before: deleted, after: a });
    } else tx.created.set(a.id, a);
    this.noteMask(tx, a.id, this.maskRect(sparseOf(a)));
    this.noteVolume(tx, a.id, volumeOf(a)?.bbox() ?? null);
  }

  private applyUpdate(before: Annotation, after: Annotation, rect?: Rect | null): void {
    const tx = this.requireTx();
    this.rawReplace(before, after);
    if (tx.created.has(after.id)) tx.created.set(after.id, after);
    else {
      const u = tx.updated.get(after.id);
      if (u) u.after = after;
      else tx.updated.set(after.id, { before, after });
    }
    if (after.mask) {
      const mb = sparseOf(before);
      const ma = sparseOf(after);
      if (mb !== ma) {
        const r =
          rect !== undefined
            ? rect
            : before.slice === after.slice && ma?.changedRect
              ? ma.changedRect
              : unionRect(this.maskRect(mb), this.maskRect(ma));
        this.noteMask(tx, after.id, r);
      } else if (before.slice !== after.slice || before.label !== after.label)
        this.noteMask(tx, after.id, this.maskRect(ma));
    }
    if (after.mask instanceof VolumeHandle) this.noteVolume(tx, after.id, volumeChange(before, after));
  }

  private noteVolume(tx: Transaction, id: string, box: Box3 | null): void {
    if (box) tx.volumeBoxes.set(id, unionBox(tx.volumeBoxes.get(id) ?? null, box));
  }

  private applyDelete(a: Annotation): void {
    const tx = this.requireTx();
    this.rawDelete(a);
    if (tx.created.has(a.id)) tx.created.delete(a.id);
    else {
      const u = tx.updated.get(a.id);
      if (u) {
        tx.updated.delete(a.id);
        tx.deleted.set(a.id, u.before);
      } else tx.deleted.set(a.id, a);
    }
    this.noteMask(tx, a.id, this.maskRect(sparseOf(a)));
    this.noteVolume(tx, a.id, volumeOf(a)?.bbox() ?? null);
  }

  private replay(entry: HistoryEntry, backwards: boolean): void {
    this.begin({ origin: 'local' });
    this.tx!.cause = backwards ? 'undo' : 'redo';
    if (backwards) {
      for (const a of entry.created) {
        const cur = this.items.get(a.id);
        if (cur) this.applyDelete(cur);
      }
      for (const { before, after } of entry.updated) {
        const cur = this.items.get(after.id);
        if (cur) this.applyUpdate(cur, before, this.editRect(before, after));
        else this.applyCreate(before);
      }
      for (const a of entry.deleted) if (!this.items.has(a.id)) this.applyCreate(a);
    } else {
      for (const a of entry.deleted) {
        const cur = this.items.get(a.id);
        if (cur) this.applyDelete(cur);
      }
      for (const { before, after } of entry.updated) {
        const cur = this.items.get(before.id);
        if (cur) this.applyUpdate(cur, after, this.editRect(before, after));
        else this.applyCreate(after);
      }
      for (const a of entry.created) if (!this.items.has(a.id)) this.applyCreate(a);
    }
    this.commit();
  }

  /** The rectangle a mask edit changed (for undo/redo redraws), or undefined to let applyUpdate decide. */
  private editRect(before: Annotation, after: Annotation): Rect | null | undefined {
    if (!before.mask || before.slice !== after.slice) return undefined;
    const ma = sparseOf(after);
    if (ma && ma !== sparseOf(before) && ma.changedRect) return ma.changedRect;
    return undefined;
  }

  private entryBytes(change: ChangeSet): number {
    const cost = (a: Annotation) =>
      160 + (a.points?.length ?? 0) * 24 + JSON.stringify(a.attributes ?? {}).length;
    const own = (a: Annotation) => (sparseOf(a) ?? volumeOf(a))?.bytes ?? 0;
    let bytes = 0;
    for (const a of change.created) bytes += cost(a) + own(a);
    for (const a of change.deleted) bytes += cost(a) + own(a);
    for (const { before, after } of change.updated) {
      bytes += cost(before) + cost(after);
      const ma = sparseOf(after);
      if (ma && ma !== sparseOf(before)) bytes += ma.ownedBytes;
      if (after.mask instanceof VolumeHandle && after.mask !== before.mask)
        bytes +=
          after.mask.change && after.mask.change.from === before.mask ? after.mask.change.bytes : own(after);
    }
    return bytes;
  }

  private pushHistory(stack: HistoryEntry[], change: ChangeSet): void {
    const entry: HistoryEntry = {
      created: change.created,
      updated: change.updated,
      deleted: change.deleted,
      bytes: this.entryBytes(change),
    };
    stack.push(entry);
    this.historyBytesUsed += entry.bytes;
    while (this.historyBytesUsed > this.historyLimit && this.undoStack.length > 1) {
      const dropped = this.undoStack.shift()!;
      this.historyBytesUsed -= dropped.bytes;
    }
  }

  private recount(): void {
    let n = 0;
    for (const e of this.undoStack) n += e.bytes;
    for (const e of this.redoStack) n += e.bytes;
    this.historyBytesUsed = n;
  }

  private emit(change: DocumentChange): void {
    for (const l of [...this.listeners]) {
      try {
        l(change);
      } catch (e) {
        // A failing listener must not break the document or the other listeners.
        queueMicrotask(() => {
          throw e;
        });
      }
    }
  }
}

/**
 * The voxels a volume update changed: the edit's box when one version was edited from the other (an edit, or
 * its undo), else both versions' extents (a relabel redraws the whole volume). Null when both are empty.
 */
function volumeChange(before: Annotation, after: Annotation): Box3 | null {
  const [b, a] = [before.mask, after.mask];
  if (a instanceof VolumeHandle && a.change && a.change.from === b) return a.change.box;
  if (b instanceof VolumeHandle && b.change && b.change.from === a) return b.change.box;
  const boxes = [volumeOf(before)?.bbox(), volumeOf(after)?.bbox()].filter((x) => x) as Box3[];
  return boxes.reduce<Box3 | null>((u, x) => unionBox(u, x), null);
}

/** Creates an empty AnnotationDocument for a stack of the given size. */
export function createAnnotationDocument(options: AnnotationDocumentOptions): AnnotationDocument {
  return new AnnotationDocument(options);
}
