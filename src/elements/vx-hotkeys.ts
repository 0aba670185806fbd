import { LitElement, css, html, nothing } from 'lit';
import { property, query } from 'lit/decorators.js';
import { treeRows } from '../core/schema/tree.js';
import { LinkedViewerController } from './controllers/linked-viewer.js';
import { hotkeyGroups, type HotkeyGroup } from './hotkeys/groups.js';

/**
 * The hotkey overlay of a `<vx-viewer>`: `?` (the keymap's `hotkeys` action) opens a dialog over the page that
 * lists the keys in effect, generated from the viewer's live keymap, so keys a host remapped show as they are
 * now (marked "changed"). Grouped into navigation, tools, labels and editing. It is a modal dialog: the focus
 * stays inside it, and Esc or `?` closes it and gives the focus back to where it was.
 *
 * Place it inside the viewer, or anywhere with `for` naming the viewer's id.
 *
 * @tag vx-hotkeys
 * @summary The keys in effect for a viewer, on `?`.
 *
 * @csspart dialog - The dialog.
 * @csspart title - Its heading.
 * @csspart close - The close button.
 * @csspart group - One group's table.
 * @csspart row - One action.
 * @csspart remapped - A row whose keys differ from the default keymap.
 * @csspart key - One key combo (a `<kbd>`).
 *
 * @cssprop [--vx-hotkeys-background=#1e1e1e] - Dialog background.
 * @cssprop [--vx-hotkeys-color=#e8e8e8] - Text colour.
 * @cssprop [--vx-hotkeys-accent=#3d8bfd] - Focus ring and the "changed" mark.
 */
export class VxHotkeys extends LitElement {
  static override styles = css`
    :host {
      display: contents;
    }
    dialog {
      background: var(--vx-hotkeys-background, #1e1e1e);
      color: var(--vx-hotkeys-color, #e8e8e8);
      border: 1px solid rgba(255, 255, 255, 0.25);
      border-radius: 6px;
      padding: 12px 16px 16px;
      max-width: min(920px, 94vw);
      max-height: 86vh;
      overflow: auto;
      font:
        13px/1.35 system-ui,
        sans-serif;
    }
    dialog::backdrop {
      background: rgb(0 0 0 / 0.55);
    }
    header {
      display: flex;
      align-items: center;
      justify-content: space-between;
      gap: 16px;
    }
    h2 {
      font-size: 16px;
      margin: 0;
    }
    .groups {
      display: grid;
      grid-template-columns: repeat(auto-fit, minmax(260px, 1fr));
      gap: 12px 24px;
      margin-top: 8px;
    }
    table {
      border-collapse: collapse;
      width: 100%;
    }
    caption {
      text-align: left;
      font-weight: 600;
      padding: 6px 0 4px;
      border-bottom: 1px solid rgba(255, 255, 255, 0.2);
    }
    td {
      padding: 2px 8px 2px 0;
      vertical-align: top;
    }
    td:last-child {
      white-space: nowrap;
      text-align: right;
      padding-right: 0;
    }
    kbd {
      font:
        12px ui-monospace,
        monospace;
      border: 1px solid rgba(255, 255, 255, 0.35);
      border-radius: 3px;
      padding: 0 4px;
      margin-left: 4px;
    }
    .changed {
      color: #8fc1ff;
      font-size: 11px;
      margin-left: 4px;
    }
    button {
      font: inherit;
      color: inherit;
      background: transparent;
      border: 1px solid rgba(255, 255, 255, 0.35);
      border-radius: 4px;
      padding: 2px 10px;
      cursor: pointer;
    }
    button:focus-visible {
      outline: 2px solid var(--vx-hotkeys-accent, #3d8bfd);
      outline-offset: 1px;
    }
    .empty {
      color: #b4b4b4;
    }
  `;

  /** Id of the `<vx-viewer>` whose keys to show; else the enclosing viewer. */
  @property({ attribute: 'for' }) for = '';

  /** Whether the overlay is shown. */
  @property({ type: Boolean, reflect: true }) open = false;

  @query('dialog') private dialog!: HTMLDialogElement | null;
  #returnFocus: HTMLElement | null = null;

  readonly #linked = new LinkedViewerController(this, (v) => [
    v.registerAction('hotkeys', () => (this.toggle(), true)),
  ]);

  constructor() {
    super();
    this.#linked.select((v) => v.keymap);
    this.#linked.select((v) => v.labelSchema);
  }

  /** The groups shown, from the viewer's keymap in effect. */
  get groups(): HotkeyGroup[] {
    const v = this.#linked.viewer;
    if (!v) return [];
    const rows = treeRows(v.labelSchema);
    return hotkeyGroups(v.keymap, (n) => rows[n - 1]?.label.name);
  }

  /** Opens the overlay (or closes it when open). */
  toggle(): void {
    this.open = !this.open;
  }

  protected override updated(): void {
    const d = this.dialog;
    if (!d) return;
    if (this.open && !d.open) {
      this.#returnFocus = deepActiveElement();
      d.showModal();
      d.querySelector<HTMLElement>('[part~="close"]')?.focus();
    } else if (!this.open && d.open) d.close();
  }

  #onClose = (): void => {
    this.open = false;
    const back = this.#returnFocus;
    this.#returnFocus = null;
    if (back?.isConnected) back.focus();
  };

  /** Keys inside the dialog are its own: `?` closes it (Esc closes it natively); none reaches the viewer. */
  #onKeyDown = (e: KeyboardEvent): void => {
    e.stopPropagation();
    if (e.key === '?' && !e.ctrlKey && !e.metaKey && !e.altKey) {
      e.preventDefault();
      this.open = false;
    }
  };

  #renderGroup(g: HotkeyGroup) {
    return html`<table part="group">
      <caption>
        ${g.name}
      </caption>
      ${
        g.rows.length
          ? g.rows.map(
              (r) =>
                html`<tr part=${r.remapped ? 'row remapped' : 'row'} data-action=${r.action}>
                  <td>
                    ${r.description}${r.remapped ? html`<span class="changed">(changed)</span>` : nothing}
                  </td>
                  <td>${r.keys.map((k) => html`<kbd part="key">${k}</kbd>`)}</td>
                </tr>`,
            )
          : html`<tr>
              <td class="empty" colspan="2">No keys bound</td>
            </tr>`
      }
    </table>`;
  }

  protected override render() {
    return html`<dialog
      part="dialog"
      aria-labelledby="title"
      @close=${this.#onClose}
      @keydown=${this.#onKeyDown}
    >
      ${
        this.open
          ? html`<header>
                <h2 id="title" part="title">Keyboard shortcuts</h2>
                <button part="close" @click=${() => (this.open = false)}>Close</button>
              </header>
              <div class="groups">${this.groups.map((g) => this.#renderGroup(g))}</div>`
          : nothing
      }
    </dialog>`;
  }
}

/** The focused element, through open shadow roots. */
function deepActiveElement(): HTMLElement | null {
  let el = document.activeElement;
  while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
  return el instanceof HTMLElement ? el : null;
}

declare global {
  interface HTMLElementTagNameMap {
    'vx-hotkeys': VxHotkeys;
  }
}
