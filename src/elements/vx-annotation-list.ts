import { LitElement, css, html, nothing } from 'lit';
import { property } from 'lit/decorators.js';
import type { AnnotationDocument } from '../core/annotation/document.js';
import { LinkedViewerController, type LinkedViewer } from './controllers/linked-viewer.js';
import { VxAnnotationDeleteRequestEvent, VxSliceChangeEvent } from './events.js';
import { icon } from './layers/icons.js';
import { RovingFocus } from './toolbar/roving-focus.js';
import { srOnly } from './toolbar/styles.js';
import {
  ProblemIndex,
  formatMeasure,
  listGroups,
  shortId,
  type ListGroup,
  type ListRow,
  type ListScope,
} from './annotation-list/rows.js';

/**
 * The annotations of a `<vx-viewer>` as a list, grouped by label (as CVAT's objects panel and Label Studio's
 * regions list): every annotation of the current slice or of the whole series, with its instance id, kind,
 * slice, size (mm, mm² or mm³ where the stack's spacing is known, else pixels) and validation problems.
 * Any kind of annotation is listed: the size comes from the kind's shape (`SHAPES[kind].measure`).
 *
 * Click a row (or Enter) to go to its slice and select it. Each row has hide, lock and delete buttons (hide and
 * lock are the viewer's view state, never saved or undone; delete is one undo step, and the host may veto it
 * through `vx-annotation-delete-request`). The list is one Tab stop: ↑/↓, Home and End move between rows,
 * →/← reach a row's buttons, Delete deletes, H hides or shows, L locks or unlocks. It follows the viewer's
 * document, selection, slice and hide/lock state as they change; nothing polls.
 *
 * @tag vx-annotation-list
 * @summary The annotations of a viewer by label: jump, select, hide, lock, delete.
 *
 * @fires vx-slice-change - (on the viewer) a row moved the viewer to its slice. `detail.source` is `'user'`.
 * @fires vx-annotation-delete-request - (on the viewer) a row asked to delete `detail.ids`; `preventDefault()` vetoes.
 *
 * @csspart filters - The scope and problem filters.
 * @csspart scope - The "This slice" and "All slices" buttons (`aria-pressed`).
 * @csspart problems-only - The "Only with problems" checkbox.
 * @csspart group - The rows of one label.
 * @csspart group-header - A label's name, colour swatch and count.
 * @csspart swatch - A label's colour.
 * @csspart row - One annotation (also `selected`, `hidden`, `locked`, `invalid`).
 * @csspart item - The button that jumps to and selects the annotation.
 * @csspart problems - A row's validation problems.
 * @csspart hide - A row's hide/show button.
 * @csspart lock - A row's lock/unlock button.
 * @csspart delete - A row's delete button.
 * @csspart empty - The text shown when nothing matches.
 *
 * @cssprop [--vx-list-background=#1e1e1e] - Background.
 * @cssprop [--vx-list-color=#e8e8e8] - Text colour.
 * @cssprop [--vx-list-muted=#b4b4b4] - Secondary text (kind, slice, size).
 * @cssprop [--vx-list-accent=#3d8bfd] - Focus ring.
 * @cssprop [--vx-list-pressed=#1f6feb] - The chosen scope button (white text on it reads at 4.6:1).
 * @cssprop [--vx-list-problem=#ffb86b] - Problem text.
 */
export class VxAnnotationList extends LitElement {
  static override styles = [
    srOnly,
    css`
      :host {
        display: block;
        background: var(--vx-list-background, #1e1e1e);
        color: var(--vx-list-color, #e8e8e8);
        font:
          13px/1.3 system-ui,
          sans-serif;
        border-radius: 4px;
        overflow: auto;
      }
      [part~='filters'] {
        display: flex;
        flex-wrap: wrap;
        gap: 4px 8px;
        align-items: center;
        padding: 6px;
        border-bottom: 1px solid rgba(255, 255, 255, 0.15);
      }
      button {
        font: inherit;
        color: inherit;
        background: transparent;
        border: 1px solid transparent;
        border-radius: 4px;
        cursor: pointer;
      }
      [part~='scope'] {
        border-color: rgba(255, 255, 255, 0.3);
        padding: 2px 8px;
      }
      [part~='scope'][aria-pressed='true'] {
        background: var(--vx-list-pressed, #1f6feb);
        border-color: var(--vx-list-pressed, #1f6feb);
        color: #fff;
      }
      button:focus-visible,
      input:focus-visible {
        outline: 2px solid var(--vx-list-accent, #3d8bfd);
        outline-offset: 1px;
      }
      ul {
        list-style: none;
        margin: 0;
        padding: 0;
      }
      [part~='group-header'] {
        display: flex;
        align-items: center;
        gap: 6px;
        padding: 6px 6px 2px;
        font-weight: 600;
        margin: 0;
        font-size: inherit;
      }
      [part~='swatch'] {
        width: 12px;
        height: 12px;
        border-radius: 2px;
        flex: none;
      }
      .count {
        color: var(--vx-list-muted, #b4b4b4);
        font-weight: normal;
      }
      [part~='row'] {
        display: flex;
        align-items: center;
        gap: 0;
        padding: 0 2px 0 8px;
      }
      [part~='row'][part~='selected'] {
        background: rgba(61, 139, 253, 0.28);
      }
      [part~='row'][part~='hidden'] [part~='item'] {
        text-decoration: line-through;
      }
      [part~='item'] {
        flex: 1;
        min-width: 0;
        text-align: left;
        padding: 3px 4px;
        display: grid;
        grid-template-columns: auto 1fr;
        gap: 0 8px;
      }
      [part~='item']:hover {
        background: rgba(255, 255, 255, 0.08);
      }
      .id {
        font-family: ui-monospace, monospace;
      }
      .meta {
        color: var(--vx-list-muted, #b4b4b4);
      }
      .meta > span {
        white-space: nowrap;
      }
      [part~='problems'] {
        grid-column: 1 / -1;
        color: var(--vx-list-problem, #ffb86b);
      }
      [part~='hide'],
      [part~='lock'],
      [part~='delete'] {
        width: 26px;
        height: 26px;
        display: inline-grid;
        place-items: center;
        flex: none;
      }
      [part~='empty'] {
        padding: 8px;
        color: var(--vx-list-muted, #b4b4b4);
        margin: 0;
      }
    `,
  ];

  /** Id of the `<vx-viewer>` to list (in the same document or shadow root); else the enclosing viewer. */
  @property({ attribute: 'for' }) for = '';

  /** `slice`: the annotations of the current slice; `all`: those of every slice. */
  @property({ reflect: true }) scope: ListScope = 'slice';

  /** Lists only the annotations with validation problems (missing required attributes, …). */
  @property({ type: Boolean, reflect: true, attribute: 'problems-only' }) problemsOnly = false;

  readonly #problems = new ProblemIndex();
  readonly #linked = new LinkedViewerController(this, (v) => this.#follow(v));
  readonly #roving = new RovingFocus(this, {
    items: () => [...this.renderRoot.querySelectorAll<HTMLElement>('[part~="item"]')],
    next: ['ArrowDown'],
    previous: ['ArrowUp'],
    preferred: () => this.renderRoot.querySelector<HTMLElement>('[part~="selected"] [part~="item"]'),
  });

  constructor() {
    super();
    this.#linked.select((v) => v.slice);
    this.#linked.select((v) => v.document);
    this.#linked.select((v) => v.labelSchema);
    this.#linked.select((v) => [...v.selection.ids].join('\n'));
  }

  /** The rows shown, grouped by label (what the list renders; for hosts that report on it). */
  get groups(): ListGroup[] {
    const v = this.#linked.viewer;
    const doc = v?.document as AnnotationDocument | undefined;
    return listGroups({
      doc,
      schema: v?.labelSchema,
      stack: v?.stack,
      slice: v?.slice ?? 0,
      scope: this.scope,
      problemsOnly: this.problemsOnly,
      problems: this.#problems.of(doc, v?.labelSchema),
    });
  }

  /** Re-render on every document change (silent loads too), hide/lock change, and a new document. */
  #follow(v: LinkedViewer): (() => void)[] {
    let doc = v.document;
    let unwatch = doc?.subscribe(() => this.requestUpdate());
    return [
      v.subscribe((c) => {
        if (!(c.document || c.stack) || v.document === doc) return;
        unwatch?.();
        doc = v.document;
        unwatch = doc?.subscribe(() => this.requestUpdate());
        this.requestUpdate();
      }),
      () => unwatch?.(),
      v.editor.visibility.subscribe(() => this.requestUpdate()),
    ];
  }

  /** Goes to the annotation's slice (`vx-slice-change` on the viewer) and selects it. */
  jumpTo(id: string): void {
    const v = this.#linked.viewer;
    const a = v?.document?.get(id);
    if (!v || !a) return;
    const previous = v.slice;
    if (a.slice !== previous) {
      (v as LinkedViewer & { slice: number }).slice = a.slice;
      if (v.slice !== previous) v.dispatchEvent(new VxSliceChangeEvent(v.slice, previous, 'user'));
    }
    if (v.editor.visibility.isVisible(a)) v.selection.set([id]);
  }

  /** Hides or shows one annotation (view state of the viewer, not an edit). */
  toggleHidden(id: string): void {
    const vis = this.#linked.viewer?.editor.visibility;
    vis?.setHidden(id, !vis.isHidden(id));
    if (vis?.isHidden(id)) this.#linked.viewer?.selection.set([]);
  }

  /** Locks or unlocks one annotation (drawn, never edited while locked). */
  toggleLocked(id: string): void {
    const vis = this.#linked.viewer?.editor.visibility;
    vis?.setLocked(id, !vis.isLocked(id));
  }

  /** Deletes one annotation as one undo step, unless the host vetoes `vx-annotation-delete-request`. */
  delete(id: string): boolean {
    const v = this.#linked.viewer;
    const doc = v?.document;
    const a = doc?.get(id);
    if (!v || !doc || !a || !v.editor.visibility.isEditable(a)) return false;
    if (!v.dispatchEvent(new VxAnnotationDeleteRequestEvent([id]))) return false;
    doc.remove(id);
    v.selection.prune((x) => doc.has(x));
    return true;
  }

  #onKeyDown = (e: KeyboardEvent): void => {
    const target = e.composedPath()[0] as HTMLElement;
    const row = target.closest<HTMLElement>('[part~="row"]');
    const id = row?.dataset['id'];
    if (!row || !id || e.ctrlKey || e.metaKey || e.altKey) return;
    const key = e.key.length === 1 ? e.key.toLowerCase() : e.key;
    const buttons = [...row.querySelectorAll<HTMLElement>('button:not(:disabled)')];
    const i = buttons.indexOf(target);
    let handled = true;
    if (key === 'Delete' || key === 'Backspace') void this.#deleteAndFocus(id, row);
    else if (key === 'h') this.toggleHidden(id);
    else if (key === 'l') this.toggleLocked(id);
    else if (key === 'ArrowRight' && i < buttons.length - 1) buttons[i + 1]!.focus();
    else if (key === 'ArrowLeft' && i > 0) buttons[i - 1]!.focus();
    else if ((key === 'ArrowDown' || key === 'ArrowUp') && i > 0)
      this.#focusRow(row, key === 'ArrowDown' ? 1 : -1);
    else handled = false;
    if (handled) {
      e.preventDefault();
      e.stopPropagation();
    }
  };

  #focusRow(row: HTMLElement, step: number): void {
    const items = [...this.renderRoot.querySelectorAll<HTMLElement>('[part~="item"]')];
    const i = items.indexOf(row.querySelector<HTMLElement>('[part~="item"]')!);
    const to = items[Math.max(0, Math.min(items.length - 1, i + step))];
    if (!to) return;
    this.#roving.current = to;
    to.focus();
  }

  /** Deletes, then keeps the focus in the list: on the next row, else the previous one. */
  async #deleteAndFocus(id: string, row: HTMLElement): Promise<void> {
    const items = [...this.renderRoot.querySelectorAll<HTMLElement>('[part~="item"]')];
    const i = items.indexOf(row.querySelector<HTMLElement>('[part~="item"]')!);
    const hadFocus = this.shadowRoot?.activeElement !== null;
    if (!this.delete(id)) return;
    await this.updateComplete;
    const now = [...this.renderRoot.querySelectorAll<HTMLElement>('[part~="item"]')];
    const to = now[Math.min(i, now.length - 1)];
    if (!to || !hadFocus) return;
    this.#roving.current = to;
    to.focus();
  }

  #renderFilters() {
    const scope = (s: ListScope, text: string) =>
      html`<button
        part="scope scope-${s}"
        aria-pressed=${this.scope === s ? 'true' : 'false'}
        @click=${() => (this.scope = s)}
      >
        ${text}
      </button>`;
    return html`<div part="filters" role="group" aria-label="Which annotations">
      ${scope('slice', 'This slice')} ${scope('all', 'All slices')}
      <label
        ><input
          part="problems-only"
          type="checkbox"
          .checked=${this.problemsOnly}
          @change=${(e: Event) => (this.problemsOnly = (e.target as HTMLInputElement).checked)}
        />
        Only with problems</label
      >
    </div>`;
  }

  #renderRow(v: LinkedViewer, g: ListGroup, r: ListRow) {
    const a = r.annotation;
    const vis = v.editor.visibility;
    const hidden = !vis.isVisible(a);
    const locked = !vis.isEditable(a) && !hidden;
    const selected = v.selection.has(a.id);
    const size = formatMeasure(r.size);
    const parts = `row${selected ? ' selected' : ''}${hidden ? ' hidden' : ''}${locked ? ' locked' : ''}${r.problems.length ? ' invalid' : ''}`;
    const what = `${g.name} ${shortId(a.id)}, ${a.kind}, slice ${a.slice + 1}${size ? `, ${size}` : ''}`;
    return html`<li part=${parts} data-id=${a.id}>
      <button
        part="item"
        title=${a.id}
        aria-current=${selected ? 'true' : 'false'}
        @click=${() => this.jumpTo(a.id)}
      >
        <span class="id">${shortId(a.id)}</span>
        <span class="meta"
          ><span>${a.kind}</span> · <span>slice ${a.slice + 1}</span>${
            size ? html` · <span>${size}</span>` : nothing
          }</span
        >
        ${
          r.problems.length
            ? html`<span part="problems">${r.problems.map((p) => p.message).join('; ')}</span>`
            : nothing
        }
        <span class="sr-only">${hidden ? ', hidden' : ''}${locked ? ', locked' : ''}</span>
      </button>
      <button
        part="hide"
        tabindex="-1"
        aria-label=${`${vis.isHidden(a.id) ? 'Show' : 'Hide'} ${what} (H)`}
        title=${vis.isHidden(a.id) ? 'Show (H)' : 'Hide (H)'}
        aria-pressed=${vis.isHidden(a.id) ? 'true' : 'false'}
        @click=${() => this.toggleHidden(a.id)}
      >
        ${icon(vis.isHidden(a.id) ? 'hide' : 'show')}
      </button>
      <button
        part="lock"
        tabindex="-1"
        aria-label=${`${vis.isLocked(a.id) ? 'Unlock' : 'Lock'} ${what} (L)`}
        title=${vis.isLocked(a.id) ? 'Unlock (L)' : 'Lock (L)'}
        aria-pressed=${vis.isLocked(a.id) ? 'true' : 'false'}
        @click=${() => this.toggleLocked(a.id)}
      >
        ${icon(vis.isLocked(a.id) ? 'lock' : 'unlock')}
      </button>
      <button
        part="delete"
        tabindex="-1"
        aria-label=${`Delete ${what} (Delete)`}
        title="Delete (Delete)"
        ?disabled=${!vis.isEditable(a)}
        @click=${() => this.delete(a.id)}
      >
        ${icon('delete')}
      </button>
    </li>`;
  }

  protected override render() {
    const v = this.#linked.viewer;
    const groups = v ? this.groups : [];
    const total = groups.reduce((n, g) => n + g.rows.length, 0);
    return html`${this.#renderFilters()}
      <div @keydown=${this.#onKeyDown} @focusin=${this.#roving.onFocusIn}>
        <ul aria-label=${`Annotations, ${total}`} @keydown=${this.#roving.onKeyDown}>
          ${groups.map(
            (g) =>
              html`<li part="group" data-label=${g.label}>
                <div part="group-header" id=${`g-${g.label}`}>
                  <span part="swatch" style=${`background: ${g.color}`} aria-hidden="true"></span>
                  ${g.name} <span class="count">(${g.rows.length})</span>
                </div>
                <ul aria-labelledby=${`g-${g.label}`}>
                  ${g.rows.map((r) => this.#renderRow(v!, g, r))}
                </ul>
              </li>`,
          )}
        </ul>
        ${total ? nothing : html`<p part="empty">${this.#emptyText(v)}</p>`}
      </div>`;
  }

  #emptyText(v: LinkedViewer | undefined): string {
    if (!v) return 'No viewer.';
    if (!v.document) return 'No image loaded.';
    return this.problemsOnly
      ? 'No annotation with problems.'
      : this.scope === 'slice'
        ? 'No annotation on this slice.'
        : 'No annotation yet.';
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'vx-annotation-list': VxAnnotationList;
  }
}
