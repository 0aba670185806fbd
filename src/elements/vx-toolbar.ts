import { ifDefined } from 'lit/directives/if-defined.js';
import { LitElement, css, html, nothing } from 'lit';
import { property } from 'lit/decorators.js';
import type { AnnotationDocument } from '../core/annotation/document.js';
import { BRUSH_MAX, BRUSH_MIN } from '../core/tools/brush-tool.js';
import { formatCombo } from '../core/keymap.js';
import { showsSourceSlices } from '../core/tools/plane.js';
import { VxToolChangeEvent } from './events.js';
import { LinkedViewerController, type LinkedViewer } from './controllers/linked-viewer.js';
import { icon } from './layers/icons.js';
import type { AnnotationKind } from '../core/annotation/types.js';
import { RovingFocus } from './toolbar/roving-focus.js';
import { srOnly } from './toolbar/styles.js';

/** The toolbar's tools; `kind` is the annotation kind a tool creates (the active label must allow it). */
const TOOLS: { id: string; label: string; kind?: AnnotationKind }[] = [
  { id: 'select', label: 'Select' },
  { id: 'pan', label: 'Pan' },
  { id: 'window', label: 'Window/level' },
  { id: 'box', label: 'Box', kind: 'box' },
  { id: 'polygon', label: 'Polygon', kind: 'polygon' },
  { id: 'brush', label: 'Brush', kind: 'mask' },
  { id: 'eraser', label: 'Eraser' },
  { id: 'line', label: 'Line (length)', kind: 'line' },
  { id: 'angle', label: 'Angle', kind: 'angle' },
  { id: 'brush-3d', label: '3D brush (a ball in mm)', kind: 'volume' },
];

const KIND_NAMES: Record<AnnotationKind, string> = {
  box: 'boxes',
  polygon: 'polygons',
  mask: 'masks',
  volume: 'volumes',
  line: 'lines',
  angle: 'angles',
};

/**
 * Why the active label forbids tool `t` (its `LabelDef.kinds` lack the kind the tool creates), or undefined
 * when the tool may be used.
 */
function forbiddenReason(t: (typeof TOOLS)[number], v: LinkedViewer | undefined): string | undefined {
  const label = v?.activeLabel && v.labelSchema?.labels.find((l) => l.id === v.activeLabel);
  // What the tool draws now: the brush paints volumes outside the acquisition slices.
  const tools = v?.editor.tools as unknown as Record<string, { draws?: AnnotationKind } | undefined>;
  const kind = (t.kind && tools?.[t.id]?.draws) || t.kind;
  if (kind && label && !label.kinds.includes(kind))
    return `${label.name} allows only ${label.kinds.map((k) => KIND_NAMES[k]).join(' and ')}`;
  // Outside the acquisition slices, the tools that draw per-slice shapes say where to draw them.
  return v && !showsSourceSlices(v.plane) ? v.toolBlockedReason?.(t.id) : undefined;
}

/**
 * Tool buttons, brush size, undo/redo and hide/lock for a `<vx-viewer>`, named by `for` (the viewer's id) or
 * the closest enclosing viewer. A `role="toolbar"` with a roving tabindex: it is one Tab stop; ←/→ move
 * between its controls and Home/End go to the first and last (on the brush size slider ↑/↓ change the size).
 * Every control has an accessible name with its key binding.
 *
 * A tool that creates a kind the active label does not allow (`LabelDef.kinds`) is shown disabled
 * (`aria-disabled="true"`, still focusable) with a tooltip and description saying why; choosing another label
 * enables it again.
 *
 * @tag vx-toolbar
 * @summary Toolbar for a viewer's annotation tools.
 *
 * @fires vx-tool-change - (on the viewer) a tool button changed the tool.
 *
 * @csspart toolbar - The toolbar container.
 * @csspart button - Every button.
 * @csspart tool-button - The tool buttons (`aria-pressed` marks the active one).
 * @csspart active - The active tool's button.
 * @csspart not-allowed - A tool button the active label does not allow (`aria-disabled="true"`).
 * @csspart brush-size - The brush size control (a range input).
 * @csspart undo - The undo button.
 * @csspart redo - The redo button.
 * @csspart fill - The fill-holes toggle.
 * @csspart mask-opacity - The mask opacity slider (0–100 %; keys `{` and `}`, Shift+[ and Shift+]).
 * @csspart outline - The "masks as outlines" toggle (key O).
 * @csspart paint-over - The "paint only where no other label is" toggle (`ToolOptions.paintOver`).
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
  static override styles = [
    srOnly,
    css`
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
      button[aria-disabled='true'] {
        opacity: 0.45;
        cursor: not-allowed;
      }
      button[aria-disabled='true'][aria-pressed='true'] {
        background: transparent;
        border-color: var(--vx-toolbar-accent, #3d8bfd);
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
    `,
  ];

  /** Id of the `<vx-viewer>` to control (in the same document or shadow root). */
  @property({ attribute: 'for' }) for = '';

  private readonly linked = new LinkedViewerController(this);
  private readonly roving = new RovingFocus(this, {
    items: () => [
      ...this.renderRoot.querySelectorAll<HTMLElement>('button:not(:disabled), input[type="range"]'),
    ],
    next: ['ArrowRight'],
    previous: ['ArrowLeft'],
    preferred: () => this.renderRoot.querySelector<HTMLElement>('[part~="tool-button"][aria-pressed="true"]'),
  });

  constructor() {
    super();
    // Re-render only when something the toolbar shows changed.
    const l = this.linked;
    l.select((v) => v.tool);
    l.select((v) => v.plane);
    l.select((v) => [...v.layerKinds].sort().join());
    l.select((v) => v.document?.canUndo);
    l.select((v) => v.document?.canRedo);
    l.select((v) => [...v.selection.ids].join('\n'));
    l.select((v) => v.activeLabel);
    l.select((v) => v.labelSchema);
    l.select((v) => v.keymap);
    l.select((v) => JSON.stringify(v.editor.options));
    l.select((v) => toggleState(v).key);
  }

  private get viewer(): LinkedViewer | undefined {
    return this.linked.viewer;
  }

  private keyHint(action: string): string {
    const combos = this.viewer?.keymap?.[action];
    return combos && combos.length ? ` (${formatCombo(combos[0]!)})` : '';
  }

  private setTool(id: string): void {
    const v = this.viewer;
    const t = TOOLS.find((x) => x.id === id);
    if (!v || v.tool === id || (t && forbiddenReason(t, v))) return;
    const previous = v.tool;
    v.tool = id;
    v.dispatchEvent(new VxToolChangeEvent(id, previous));
  }

  private run(action: string): void {
    const v = this.viewer;
    if (!v) return;
    if (v.layerKinds.size) v.editor.run(action);
    else if (action === 'undo') v.document?.undo();
    else if (action === 'redo') v.document?.redo();
    this.requestUpdate();
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

  private availableTools(): typeof TOOLS {
    const v = this.viewer;
    const kinds = v?.layerKinds ?? new Set();
    return TOOLS.filter((t) => {
      if (t.id === 'box') return kinds.has('box');
      if (t.id === 'polygon') return kinds.has('polygon');
      if (t.id === 'brush' || t.id === 'eraser') return kinds.has('mask');
      if (t.id === 'line' || t.id === 'angle') return kinds.has(t.id);
      if (t.id === 'brush-3d') return kinds.has('volume');
      if (t.id === 'select') return kinds.size > 0;
      return !!v;
    });
  }

  /** A button that runs an editor action (or switches a tool), labelled with its key. */
  private button(part: string, label: string, action: string, content: unknown, disabled = false) {
    return html`<button
      part="button ${part}"
      aria-label=${label + this.keyHint(action)}
      title=${label + this.keyHint(action)}
      ?disabled=${disabled}
      @click=${() => this.run(action)}
    >
      ${content}
    </button>`;
  }

  private renderTools(v: LinkedViewer | undefined) {
    const tool = v?.tool;
    return this.availableTools().map((t) => {
      const why = forbiddenReason(t, v);
      const name = t.label + this.keyHint(`tool-${t.id}`);
      return html`<button
        part="button tool-button tool-${t.id}${tool === t.id ? ' active' : ''}${why ? ' not-allowed' : ''}"
        aria-pressed=${tool === t.id ? 'true' : 'false'}
        aria-label=${name}
        aria-disabled=${ifDefined(why ? 'true' : undefined)}
        aria-describedby=${ifDefined(why ? `why-${t.id}` : undefined)}
        title=${why ? `${name}: ${why}` : name}
        ?disabled=${!v}
        @click=${() => this.setTool(t.id)}
      >
        ${icon(t.id)}${why ? html`<span class="sr-only" id=${`why-${t.id}`}>${why}</span>` : nothing}
      </button>`;
    });
  }

  private renderBrush(v: LinkedViewer) {
    const options = v.editor.options;
    const size = v.tool === 'eraser' ? options.eraserSize : options.brushSize;
    const setSize = (e: Event) => {
      const value = Number((e.target as HTMLInputElement).value);
      v.editor.setOptions({ brushSize: value, eraserSize: value });
    };
    return html`<span class="sep"></span>
      <label
        >Size
        <input
          part="brush-size"
          type="range"
          min=${BRUSH_MIN}
          max=${Math.min(BRUSH_MAX, 100)}
          .value=${String(size)}
          aria-label="Brush size in pixels"
          aria-valuetext=${`${size} pixels`}
          @input=${setSize}
        /><span aria-hidden="true">${size}</span></label
      >
      <button
        part="button fill"
        aria-pressed=${options.fill ? 'true' : 'false'}
        aria-label=${'Fill holes' + this.keyHint('brush-fill-toggle')}
        title=${'Fill holes' + this.keyHint('brush-fill-toggle')}
        @click=${() => v.editor.setOptions({ fill: !v.editor.options.fill })}
      >
        ${icon('fill')}
      </button>
      ${this.renderMaskDisplay(v)}`;
  }

  /** Mask opacity, outlines only, and whether the brush may paint over other labels' masks. */
  private renderMaskDisplay(v: LinkedViewer) {
    const o = v.editor.options;
    const percent = Math.round(o.maskOpacity * 100);
    const empty = o.paintOver === 'empty';
    const opacityHint = [this.keyHint('mask-opacity-down'), this.keyHint('mask-opacity-up')].join('').trim();
    return html`<label
        >Opacity
        <input
          part="mask-opacity"
          type="range"
          min="0"
          max="100"
          step="5"
          .value=${String(percent)}
          aria-label=${`Mask opacity in percent ${opacityHint}`.trim()}
          title=${`Mask opacity ${opacityHint}`.trim()}
          aria-valuetext=${`${percent} percent`}
          @input=${(e: Event) =>
            v.editor.setOptions({ maskOpacity: Number((e.target as HTMLInputElement).value) / 100 })}
      /></label>
      <button
        part="button outline"
        aria-pressed=${o.maskOutline ? 'true' : 'false'}
        aria-label=${'Masks as outlines' + this.keyHint('mask-outline-toggle')}
        title=${'Masks as outlines' + this.keyHint('mask-outline-toggle')}
        @click=${() => v.editor.setOptions({ maskOutline: !v.editor.options.maskOutline })}
      >
        ${icon('outline')}
      </button>
      <button
        part="button paint-over"
        aria-pressed=${empty ? 'true' : 'false'}
        aria-label="Paint only where no other label is"
        title=${empty ? 'Paint over: empty only (other labels are kept)' : 'Paint over: all (masks may overlap)'}
        @click=${() => v.editor.setOptions({ paintOver: empty ? 'all' : 'empty' })}
      >
        ${icon('paint-empty')}
      </button>`;
  }

  private renderEditing(v: LinkedViewer) {
    const t = toggleState(v);
    const none = !t.selected;
    return html`<span class="sep"></span>
      ${this.button('delete', 'Delete selected', 'delete', icon('delete'), none)}
      ${this.button('copy-previous', 'Copy to previous slice', 'copy-to-previous-slice', icon('copy-previous'), none)}
      ${this.button('copy-next', 'Copy to next slice', 'copy-to-next-slice', icon('copy-next'), none)}
      <button
        part="button hide"
        aria-label=${t.hideName + this.keyHint('hide-toggle')}
        title=${(t.labelHidden ? `Show label ${t.activeName}` : t.hideName) + this.keyHint('hide-toggle')}
        aria-pressed=${ifDefined(t.onLabel ? (t.labelHidden ? 'true' : 'false') : undefined)}
        @click=${() => this.run('hide-toggle')}
      >
        ${icon(t.selected || !t.labelHidden ? 'show' : 'hide')}
      </button>
      <button
        part="button lock"
        aria-label=${t.lockName + this.keyHint('lock-toggle')}
        title=${(t.lockPressed ? t.lockName.replace('Lock', 'Unlock') : t.lockName) + this.keyHint('lock-toggle')}
        aria-pressed=${t.lockPressed ? 'true' : 'false'}
        ?disabled=${none && !t.onLabel}
        @click=${() => this.run('lock-toggle')}
      >
        ${icon(t.lockPressed ? 'lock' : 'unlock')}
      </button>`;
  }

  protected override render() {
    const v = this.viewer;
    const doc = v?.document as AnnotationDocument | undefined;
    return html`<div
      part="toolbar"
      role="toolbar"
      aria-label="Annotation tools"
      @keydown=${this.roving.onKeyDown}
      @focusin=${this.roving.onFocusIn}
      @mousedown=${this.onMouseDown}
    >
      ${this.renderTools(v)} ${v?.layerKinds.has('mask') ? this.renderBrush(v) : nothing}
      <span class="sep"></span>
      ${this.button('undo', 'Undo', 'undo', icon('undo'), !doc?.canUndo)}
      ${this.button('redo', 'Redo', 'redo', icon('redo'), !doc?.canRedo)}
      ${v?.layerKinds.size ? this.renderEditing(v) : nothing}
    </div>`;
  }
}

/**
 * What the hide and lock buttons show. They act on the selection, else on the active label (see
 * `AnnotationEditor.toggleHidden`).
 */
function toggleState(v: LinkedViewer) {
  const sel = [...v.selection.ids];
  const vis = v.editor.visibility;
  const activeId = v.activeLabel;
  const activeName = activeId
    ? (v.labelSchema?.labels.find((l) => l.id === activeId)?.name ?? activeId)
    : undefined;
  const onLabel = !sel.length && activeId !== undefined;
  const labelHidden = onLabel && vis.isLabelHidden(activeId);
  const allLocked = sel.length > 0 && sel.every((id) => vis.isLocked(id));
  const lockPressed = sel.length ? allLocked : onLabel && vis.isLabelLocked(activeId);
  return {
    selected: sel.length > 0,
    onLabel,
    activeName,
    labelHidden,
    lockPressed,
    hideName: sel.length ? 'Hide selected' : onLabel ? `Hide label ${activeName}` : 'Show hidden',
    lockName: sel.length ? 'Lock selected' : `Lock label ${activeName ?? ''}`.trim(),
    key: `${labelHidden}|${lockPressed}|${sel.length}`,
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'vx-toolbar': VxToolbar;
  }
}
