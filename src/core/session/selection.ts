import type { Annotation } from '../annotation/types.js';

type Listener = () => void;

/**
 * Which annotations are selected and which one is hovered. Kept outside the document: selecting is not an
 * edit, is never undone, and never reaches exporters. One per viewer.
 */
export class SelectionState {
  private current: ReadonlySet<string> = new Set();
  private hover: string | null = null;
  private readonly listeners = new Set<Listener>();

  /** Selected ids (read-only; a new set after each change). */
  get ids(): ReadonlySet<string> {
    return this.current;
  }

  get hovered(): string | null {
    return this.hover;
  }

  has(id: string): boolean {
    return this.current.has(id);
  }

  get size(): number {
    return this.current.size;
  }

  /** Replaces the selection. Returns true when it changed. */
  set(ids: Iterable<string>): boolean {
    const next = new Set(ids);
    if (next.size === this.current.size && [...next].every((id) => this.current.has(id))) return false;
    this.current = next;
    this.notify();
    return true;
  }

  add(id: string): boolean {
    return this.current.has(id) ? false : this.set([...this.current, id]);
  }

  toggle(id: string): boolean {
    return this.set(this.current.has(id) ? [...this.current].filter((x) => x !== id) : [...this.current, id]);
  }

  clear(): boolean {
    return this.set([]);
  }

  setHovered(id: string | null): void {
    if (this.hover === id) return;
    this.hover = id;
    for (const l of [...this.listeners]) l();
  }

  /** Drops ids that no longer exist (after deletes or undo). */
  prune(exists: (id: string) => boolean): boolean {
    const kept = [...this.current].filter(exists);
    if (this.hover && !exists(this.hover)) this.hover = null;
    return kept.length !== this.current.size ? this.set(kept) : false;
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private notify(): void {
    for (const l of [...this.listeners]) l();
  }
}

/**
 * Hide/show and lock/unlock, per annotation and per label. View state, not document state: it is not
 * exported and not undone. Hidden annotations are not drawn and not hit; locked ones are drawn but not edited.
 */
export class VisibilityState {
  private readonly hiddenIds = new Set<string>();
  private readonly lockedIds = new Set<string>();
  private readonly hiddenLabels = new Set<string>();
  private readonly lockedLabels = new Set<string>();
  private readonly listeners = new Set<Listener>();

  isVisible(a: Pick<Annotation, 'id' | 'label'>): boolean {
    return !this.hiddenIds.has(a.id) && !this.hiddenLabels.has(a.label);
  }

  /** Visible and not locked. */
  isEditable(a: Pick<Annotation, 'id' | 'label'>): boolean {
    return this.isVisible(a) && !this.lockedIds.has(a.id) && !this.lockedLabels.has(a.label);
  }

  isHidden(id: string): boolean {
    return this.hiddenIds.has(id);
  }
  isLocked(id: string): boolean {
    return this.lockedIds.has(id);
  }
  isLabelHidden(label: string): boolean {
    return this.hiddenLabels.has(label);
  }
  isLabelLocked(label: string): boolean {
    return this.lockedLabels.has(label);
  }
  /** Ids hidden one by one (not through their label): O(hidden ids), never a scan of the document. */
  hiddenAnnotationIds(): string[] {
    return [...this.hiddenIds];
  }

  setHidden(ids: string | Iterable<string>, hidden: boolean): void {
    this.apply(this.hiddenIds, ids, hidden);
  }
  setLocked(ids: string | Iterable<string>, locked: boolean): void {
    this.apply(this.lockedIds, ids, locked);
  }
  setLabelHidden(labels: string | Iterable<string>, hidden: boolean): void {
    this.apply(this.hiddenLabels, labels, hidden);
  }
  setLabelLocked(labels: string | Iterable<string>, locked: boolean): void {
    this.apply(this.lockedLabels, labels, locked);
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private apply(set: Set<string>, keys: string | Iterable<string>, on: boolean): void {
    let changed = false;
    for (const k of typeof keys === 'string' ? [keys] : keys) {
      if (on === set.has(k)) continue;
      if (on) set.add(k);
      else set.delete(k);
      changed = true;
    }
    if (changed) for (const l of [...this.listeners]) l();
  }
}
