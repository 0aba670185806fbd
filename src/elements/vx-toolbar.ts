import { ifDefined } from 'lit/directives/if-defined.js';
import { LitElement, css, html, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { AnnotationDocument } from '../core/annotation/document.js';
import { BRUSH_MAX, BRUSH_MIN } from '../core/tools/brush-tool.js';
import { formatCombo } from '../core/keymap.js';
import type { ViewerHost } from './viewer-host.js';
import { type AnnotationSession, annotationSession } from './layers/annotation-session.js';
import { VxToolChangeEvent } from './events.js';
import { findLinkedViewer, VIEWER_LOOKUP_FRAMES } from './controllers/linked-viewer.js';
import { icon } from './layers/icons.js';

type Viewer = ViewerHost & HTMLElement & { tool: string };

const TOOLS: { id: string; label: string }[] = [
  { id: 'select', label: 'Select' },
  { id: 'pan', label: 'Pan' },
  { id: 'window', label: 'Window/level' },
  { id: 'box', label: 'Box' },
  { id: 'polygon', label: 'Polygon' },
  { id: 'brush', label: 'Brush' },
  { id: 'eraser', label: 'Eraser' },
];

/**
 * Tool buttons, brush size, undo/redo and hide/lock for a `<vx-viewer>`, named by `for` (the viewer's id) or
 * the closest enclosing viewer. A `role="toolbar"`: Tab reaches it, arrow keys move between buttons, and
 * every control has an accessible name with its key binding.
 *
 * @summary Toolbar for a viewer's annotation tools.
 *
 * @fires vx-tool-change - (on the viewer) a tool button changed the tool.
 *
 * @csspart toolbar - The toolbar container.
 * @csspart button - Every button.
 * @csspart tool-button - The tool buttons (`aria-pressed` marks the active one).
 * @csspart active - The active tool's button.
 * @csspart brush-size - The brush size control (a range input).
 * @csspart undo - The undo button.
 * @csspart redo - The redo button.
 * @csspart fill - The fill-holes toggle.
 * @csspart hide - The hide/show button: hides the selection; with nothing selected, hides or shows the
 *   active label (`aria-pressed="true"` while it is hidden); with neither, shows everything hidden.
 * @csspart lock - The lock/unlock button: locks or unlocks the selection, else the active label.
 * @csspart delete - The delete button (the host may veto through `vx-annotation-delete-request`).
 * @csspart copy-previous - Copies the selection to the previous slice.
 * @csspart copy-next - Copies the selection to the next slice.
 *
 * @cssprop [--vx-toolbar-background=#1e1e1e] - Background.
 * @cssprop [--vx-toolbar-color=#e8e8e8] - Text and icon colour.
 * @cssprop [--vx-toolbar-accent=#3d8bfd] - Active tool and focus ring colour.
 * @cssprop [--vx-toolbar-gap=4px] - Space between controls.
 * @cssprop [--vx-toolbar-button-size=32px] - Button size.
 */
export class VxToolbar extends LitElement {
  static override styles = css`
    :host {
      display: inline-block;
    }
    [part~='toolbar'] {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: var(--vx-toolbar-gap, 4px);
      padding: 4px;
      background: var(--vx-toolbar-background, #1e1e1e);
      color: var(--vx-toolbar-color, #e8e8e8);
      font:
        13px/1.2 system-ui,
        sans-serif;
      border-radius: 4px;
    }
    button {
      min-width: var(--vx-toolbar-button-size, 32px);
      height: var(--vx-toolbar-button-size, 32px);
      border: 1px solid transparent;
      border-radius: 4px;
      background: transparent;
      color: inherit;
      font: inherit;
      cursor: pointer;
      display: inline-grid;
      place-items: center;
      padding: 0 4px;
    }
    button:hover {
      background: rgba(255, 255, 255, 0.08);
    }
    button[aria-pressed='true'] {
      background: var(--vx-toolbar-accent, #3d8bfd);
      color: #fff;
    }
    button:disabled {
      opacity: 0.4;
      cursor: default;
    }
    button:focus-visible,
    input:focus-visible {
      outline: 2px solid var(--vx-toolbar-accent, #3d8bfd);
      outline-offset: 1px;
    }
    .sep {
      width: 1px;
      align-self: stretch;
      background: rgba(255, 255, 255, 0.2);
    }
    label {
      display: inline-flex;
      align-items: center;
      gap: 4px;
    }
    input[type='range'] {
      width: 90px;
    }
  `;

  /** Id of the `<vx-viewer>` to control (in the same document or shadow root). */
  @property({ attribute: 'for' }) for = '';

  @state() private revision = 0;
  private viewer: Viewer | undefined;
  private visCleanup: (() => void) | undefined;
  private boundSession: AnnotationSession | undefined;
  private cleanups: (() => void)[] = [];

  override connectedCallback(): void {
    super.connectedCallback();
    void customElements.whenDefined('vx-viewer').then(() => this.bind());
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.unbind();
  }

  protected override updated(changed: Map<string, unknown>): void {
    // The bound viewer left the page (a framework replaced it): find the one that has its id now.
    if (changed.has('for') || (this.viewer && !this.viewer.isConnected)) this.bind();
    // Hide/lock state lives in the viewer's annotation session (which layers create): follow it.
    const s = this.session;
    if (s !== this.boundSession) {
      this.visCleanup?.();
      this.boundSession = s;
      this.visCleanup = s?.editor.visibility.subscribe(() => this.revision++);
    }
  }

  private bind(attempt = 0): void {
    const viewer = findLinkedViewer<Viewer>(this, this.for);
    // Not found yet is not "unchanged": keep looking below.
    if (viewer && viewer === this.viewer) return;
    this.unbind();
    this.viewer = viewer;
    if (!viewer) {
      // The viewer may be added after the toolbar: look again for a few seconds of frames.
      if (this.isConnected && attempt < VIEWER_LOOKUP_FRAMES)
        requestAnimationFrame(() => this.bind(attempt + 1));
      return;
    }
    const bump = () => this.revision++;
    this.cleanups.push(viewer.subscribe(bump));
    for (const type of [
      'vx-history-change',
      'vx-selection-change',
      'vx-annotation-create',
      'vx-annotation-delete',
    ])
      viewer.addEventListener(type, bump);
    this.cleanups.push(() => {
      for (const type of [
        'vx-history-change',
        'vx-selection-change',
        'vx-annotation-create',
        'vx-annotation-delete',
      ])
        viewer.removeEventListener(type, bump);
    });
    // Brush size changes by key reach the tool only: poll on key presses inside the viewer.
    viewer.addEventListener('keydown', bump);
    this.cleanups.push(() => viewer.removeEventListener('keydown', bump));
    bump();
    // Layers join the viewer's session in the same task or the next: show their tools then.
    requestAnimationFrame(bump);
  }

  private unbind(): void {
    for (const c of this.cleanups.splice(0)) c();
    this.viewer = undefined;
    this.visCleanup?.();
    this.visCleanup = undefined;
    this.boundSession = undefined;
  }

  private get session(): AnnotationSession | undefined {
    return this.viewer ? annotationSession(this.viewer) : undefined;
  }

  private keyHint(action: string): string {
    const combos = this.viewer?.keymap?.[action];
    return combos && combos.length ? ` (${formatCombo(combos[0]!)})` : '';
  }

  private setTool(id: string): void {
    const v = this.viewer;
    if (!v || v.tool === id) return;
    const previous = v.tool;
    v.tool = id;
    v.dispatchEvent(new VxToolChangeEvent(id, previous));
    this.revision++;
  }

  private run(action: string): void {
    const s = this.session;
    if (s) s.editor.run(action);
    else if (action === 'undo') this.viewer?.document?.undo();
    else if (action === 'redo') this.viewer?.document?.redo();
    this.revision++;
  }

  /**
   * A mouse click on a button leaves the focus where it was (in the viewer, usually), so the viewer's keys
   * (undo, arrows, Delete) keep working after the user picks a tool with the mouse. Keyboard users still
   * reach the buttons with Tab.
   */
  private onMouseDown(e: MouseEvent): void {
    const target = e.composedPath()[0];
    if (target instanceof Element && target.closest('button')) e.preventDefault();
  }

  private onKeyDown(e: KeyboardEvent): void {
    if (e.key !== 'ArrowLeft' && e.key !== 'ArrowRight' && e.key !== 'Home' && e.key !== 'End') return;
    const target = e.composedPath()[0];
    if (target instanceof HTMLInputElement) return;
    const buttons = [...this.renderRoot.querySelectorAll<HTMLButtonElement>('button:not(:disabled)')];
    const i = buttons.indexOf(target as HTMLButtonElement);
    if (i < 0) return;
    const next =
      e.key === 'Home'
        ? 0
        : e.key === 'End'
          ? buttons.length - 1
          : (i + (e.key === 'ArrowRight' ? 1 : -1) + buttons.length) % buttons.length;
    buttons[next]!.focus();
    e.preventDefault();
  }

  private availableTools(): typeof TOOLS {
    const v = this.viewer;
    const s = this.session;
    const kinds = s ? s.kinds : new Map();
    return TOOLS.filter((t) => {
      if (t.id === 'box') return (kinds.get('box') ?? 0) > 0;
      if (t.id === 'polygon') return (kinds.get('polygon') ?? 0) > 0;
      if (t.id === 'brush' || t.id === 'eraser') return (kinds.get('mask') ?? 0) > 0;
      if (t.id === 'select') return !!s;
      return !!v;
    });
  }

  protected override render() {
    void this.revision;
    const v = this.viewer;
    const s = this.session;
    const doc = v?.document as AnnotationDocument | undefined;
    const tool = v?.tool;
    const brushTool = tool === 'eraser' ? s?.editor.tools.eraser : s?.editor.tools.brush;
    const hasMask = (s?.kinds.get('mask') ?? 0) > 0;
    const sel = s ? [...s.editor.selection.ids] : [];
    const vis = s?.editor.visibility;
    const allLocked = !!vis && sel.length > 0 && sel.every((id) => vis.isLocked(id));
    // Hide and lock act on the selection, else on the active label (see AnnotationEditor.toggleHidden).
    const activeId = (v as (Viewer & { activeLabel?: string }) | undefined)?.activeLabel;
    const activeName = activeId
      ? (v?.labelSchema?.labels.find((l) => l.id === activeId)?.name ?? activeId)
      : undefined;
    const onLabel = !sel.length && activeId !== undefined;
    const hideName = sel.length ? 'Hide selected' : onLabel ? `Hide label ${activeName}` : 'Show hidden';
    const labelHidden = onLabel && !!vis?.isLabelHidden(activeId);
    const lockName = sel.length ? 'Lock selected' : `Lock label ${activeName ?? ''}`.trim();
    const lockPressed = sel.length ? allLocked : onLabel && !!vis?.isLabelLocked(activeId);
    return html`<div
      part="toolbar"
      role="toolbar"
      aria-label="Annotation tools"
      @keydown=${this.onKeyDown}
      @mousedown=${this.onMouseDown}
    >
      ${this.availableTools().map(
        (t) =>
          html`<button
            part="button tool-button tool-${t.id}${tool === t.id ? ' active' : ''}"
            aria-pressed=${tool === t.id ? 'true' : 'false'}
            aria-label=${t.label + this.keyHint(`tool-${t.id}`)}
            title=${t.label + this.keyHint(`tool-${t.id}`)}
            ?disabled=${!v}
            @click=${() => this.setTool(t.id)}
          >
            ${icon(t.id)}
          </button>`,
      )}
      ${
        hasMask
          ? html`<span class="sep"></span>
              <label
                >Size
                <input
                  part="brush-size"
                  type="range"
                  min=${BRUSH_MIN}
                  max=${Math.min(BRUSH_MAX, 100)}
                  .value=${String(brushTool?.size ?? 10)}
                  aria-label="Brush size in pixels"
                  aria-valuetext=${`${brushTool?.size ?? 10} pixels`}
                  @input=${(e: Event) => {
                    const size = Number((e.target as HTMLInputElement).value);
                    if (s) {
                      s.editor.tools.brush.size = size;
                      s.editor.tools.eraser.size = size;
                      s.draw();
                    }
                    this.revision++;
                  }}
                /><span aria-hidden="true">${brushTool?.size ?? 10}</span></label
              >
              <button
                part="button fill"
                aria-pressed=${s?.editor.tools.brush.fill ? 'true' : 'false'}
                aria-label=${'Fill holes' + this.keyHint('brush-fill-toggle')}
                title=${'Fill holes' + this.keyHint('brush-fill-toggle')}
                @click=${() => {
                  if (s) s.editor.tools.brush.fill = !s.editor.tools.brush.fill;
                  this.revision++;
                }}
              >
                ${icon('fill')}
              </button>`
          : nothing
      }
      <span class="sep"></span>
      <button
        part="button undo"
        aria-label=${'Undo' + this.keyHint('undo')}
        title=${'Undo' + this.keyHint('undo')}
        ?disabled=${!doc?.canUndo}
        @click=${() => this.run('undo')}
      >
        ${icon('undo')}
      </button>
      <button
        part="button redo"
        aria-label=${'Redo' + this.keyHint('redo')}
        title=${'Redo' + this.keyHint('redo')}
        ?disabled=${!doc?.canRedo}
        @click=${() => this.run('redo')}
      >
        ${icon('redo')}
      </button>
      ${
        s
          ? html`<span class="sep"></span>
              <button
                part="button delete"
                aria-label=${'Delete selected' + this.keyHint('delete')}
                title=${'Delete selected' + this.keyHint('delete')}
                ?disabled=${!sel.length}
                @click=${() => this.run('delete')}
              >
                ${icon('delete')}
              </button>
              <button
                part="button copy-previous"
                aria-label=${'Copy to previous slice' + this.keyHint('copy-to-previous-slice')}
                title=${'Copy to previous slice' + this.keyHint('copy-to-previous-slice')}
                ?disabled=${!sel.length}
                @click=${() => this.run('copy-to-previous-slice')}
              >
                ${icon('copy-previous')}
              </button>
              <button
                part="button copy-next"
                aria-label=${'Copy to next slice' + this.keyHint('copy-to-next-slice')}
                title=${'Copy to next slice' + this.keyHint('copy-to-next-slice')}
                ?disabled=${!sel.length}
                @click=${() => this.run('copy-to-next-slice')}
              >
                ${icon('copy-next')}
              </button>
              <button
                part="button hide"
                aria-label=${hideName + this.keyHint('hide-toggle')}
                title=${(labelHidden ? `Show label ${activeName}` : hideName) + this.keyHint('hide-toggle')}
                aria-pressed=${ifDefined(onLabel ? (labelHidden ? 'true' : 'false') : undefined)}
                @click=${() => this.run('hide-toggle')}
              >
                ${icon(sel.length || !labelHidden ? 'show' : 'hide')}
              </button>
              <button
                part="button lock"
                aria-label=${lockName + this.keyHint('lock-toggle')}
                title=${(lockPressed ? lockName.replace('Lock', 'Unlock') : lockName) + this.keyHint('lock-toggle')}
                aria-pressed=${lockPressed ? 'true' : 'false'}
                ?disabled=${!sel.length && !onLabel}
                @click=${() => this.run('lock-toggle')}
              >
                ${icon(lockPressed ? 'lock' : 'unlock')}
              </button>`
          : nothing
      }
    </div>`;
  }
}
