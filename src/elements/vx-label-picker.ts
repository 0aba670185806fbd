import { LitElement, css, html, nothing, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { ifDefined } from 'lit/directives/if-defined.js';
import { live } from 'lit/directives/live.js';
import type { AnnotationDocument } from '../core/annotation/document.js';
import type { Annotation } from '../core/annotation/types.js';
import { attributeValueProblem } from '../core/schema/parse.js';
import type { AttributeDef, AttributeValue, LabelDef, LabelSchema } from '../core/schema/types.js';
import type { AnnotationEditor } from '../core/tools/editor.js';
import { icon } from './layers/icons.js';
import { showAnnotation } from './show-annotation.js';
import { StatisticsTracker, renderStatistics } from './annotation-statistics.js';
import { LinkedViewerController, type LinkedViewer } from './controllers/linked-viewer.js';
import { VxActiveLabelChangeEvent } from './events.js';
import { treeRows } from '../core/schema/tree.js';
import { RovingFocus } from './toolbar/roving-focus.js';
import { srOnly } from './toolbar/styles.js';

const SAFE_COLOR = /^#[0-9a-fA-F]{6}$/;

/** The parts every attribute field is made of. */
interface FieldParts {
  id: string;
  value: AttributeValue | undefined;
  invalid: boolean;
  required: TemplateResult | typeof nothing;
  error: TemplateResult | typeof nothing;
  described: string | undefined;
}

/**
 * Shows a label schema as a hierarchy with colours, sets the active label (click, arrow keys, or keys 1–9
 * for the first nine labels in the order shown) and edits the attributes of the selected annotation with
 * the input each attribute type needs: a select for single enums, checkboxes for multiple enums, a checkbox
 * for booleans, a number field with its range, a text field with its length. Required attributes are
 * marked and validated; a "Label" select moves the annotation to another label that allows its kind. Every
 * edit is one undoable document change.
 *
 * The label list is one Tab stop (a roving tabindex): ↑/↓ (and Home/End) choose the previous or next label,
 * → and ← move between a label and its eye and lock toggles. The active label (what new annotations get) has
 * a filled marker; the label of the selected annotation, when there is one, has an outlined marker, and both
 * are named for screen readers.
 *
 * Moving an annotation to another label drops the attributes the new label does not define, in the same
 * undo step. Ctrl+Z (⌘Z) and Ctrl+Shift+Z / Ctrl+Y inside the attribute editor undo and redo the document:
 * a field's typing not yet committed is discarded first, so no stale value is committed later. Annotations
 * missing a required attribute are counted under the list, with a "Show me" button that selects the first.
 *
 * Each label row has an eye and a lock toggle (`aria-pressed` buttons named "Hide <label>" and
 * "Lock <label>"): hidden labels are neither drawn nor hit in the viewer; locked ones are drawn but cannot be
 * edited, moved or erased. They act on the viewer's annotation layers (or on `editor`); without either the
 * toggles are not shown.
 *
 * Binds to a `<vx-viewer>` named by `for` (or the enclosing one): it then reads the viewer's
 * `labelSchema`, sets and follows its `activeLabel` (the viewer handles the label keys `label-1`…`label-9`),
 * and edits the annotation selected in the viewer. Without a viewer, set `schema`, `document` and `selected` directly.
 *
 * Every label name, option and value is rendered as text, never as markup.
 *
 * @tag vx-label-picker
 * @summary Label list with colours and hierarchy, and an attribute editor for the selected annotation.
 *
 * @fires vx-active-label-change - The user chose another active label here, or with a label key in the bound viewer
 *   (that copy does not bubble: the viewer's own event does). Not fired when the host sets `active`.
 *
 * @csspart labels - The label list (a radio group).
 * @csspart row - Each label row: the label button and its toggles; also `hidden` / `locked`.
 * @csspart label - Each label (a radio button); also `active` on the active one, `selected-label` on the
 *   selected annotation's label.
 * @csspart marker - The marker before each label: filled on the active label, outlined on the selected
 *   annotation's label.
 * @csspart missing - The count of annotations missing required attributes.
 * @csspart show-me - The button that selects the first annotation missing a required attribute.
 * @csspart toggle - The eye and lock toggles of every row; also `pressed` when on.
 * @csspart hide-toggle - A label's eye toggle (hide/show; `aria-pressed="true"` when hidden).
 * @csspart lock-toggle - A label's lock toggle (`aria-pressed="true"` when locked).
 * @csspart swatch - The colour swatch of a label.
 * @csspart name - The label name.
 * @csspart key - The key hint (1–9).
 * @csspart attributes - The attribute editor (a form).
 * @csspart field - Each attribute field (and the relabel field).
 * @csspart relabel - The select that moves the selected annotation to another label.
 * @csspart required - The required marker.
 * @csspart error - A validation message.
 * @csspart statistics - Measurements of the selected annotation: mean, SD, min and max in modality units, pixels
 *   and area (mm²) or voxels and volume (mm³); a line's length, an angle's degrees.
 * @csspart locked-note - "Locked" note above the attributes of a locked annotation (its fields are disabled).
 *
 * @cssprop [--vx-picker-background=#1e1e1e] - Background.
 * @cssprop [--vx-picker-color=#e8e8e8] - Text colour.
 * @cssprop [--vx-picker-accent=#3d8bfd] - Active label and focus ring colour.
 * @cssprop [--vx-picker-error=#ff6b6b] - Validation message colour.
 * @cssprop [--vx-picker-muted=#ababab] - Name colour of a hidden label (keep it ≥ 4.5:1 on the background).
 * @cssprop [--vx-picker-indent=16px] - Indent per hierarchy level.
 * @cssprop [--vx-picker-toggle-size=24px] - Size of the eye and lock toggles.
 */
export class VxLabelPicker extends LitElement {
  static override styles = [
    srOnly,
    css`
      :host {
        display: block;
        background: var(--vx-picker-background, #1e1e1e);
        color: var(--vx-picker-color, #e8e8e8);
        font:
          13px/1.3 system-ui,
          sans-serif;
        border-radius: 4px;
        padding: 6px;
        min-width: 180px;
      }
      [part~='labels'] {
        display: flex;
        flex-direction: column;
        gap: 2px;
      }
      [part~='row'] {
        display: flex;
        align-items: center;
        gap: 2px;
      }
      [part~='row'][part~='hidden'] [part~='name'] {
        color: var(--vx-picker-muted, #ababab);
        font-style: italic;
      }
      [part~='row'][part~='hidden'] [part~='swatch'] {
        opacity: 0.45;
      }
      [part~='marker'] {
        flex: none;
        width: 8px;
        height: 8px;
        border-radius: 50%;
        border: 2px solid transparent;
      }
      [part~='label'][aria-checked='true'] [part~='marker'] {
        background: var(--vx-picker-accent, #3d8bfd);
        border-color: var(--vx-picker-accent, #3d8bfd);
      }
      [part~='label'][part~='selected-label'] {
        border-style: dashed;
        border-color: var(--vx-picker-color, #e8e8e8);
      }
      [part~='label'][part~='selected-label'] [part~='marker'] {
        border-color: var(--vx-picker-color, #e8e8e8);
      }
      [part~='label'][part~='active'][part~='selected-label'] {
        border-style: solid;
        border-color: var(--vx-picker-accent, #3d8bfd);
        outline: 1px dashed var(--vx-picker-color, #e8e8e8);
        outline-offset: -4px;
      }
      [part~='missing'] {
        margin: 8px 0 0;
        display: flex;
        align-items: center;
        gap: 6px;
        color: var(--vx-picker-error, #ff6b6b);
      }
      [part~='show-me'] {
        font: inherit;
        color: inherit;
        background: transparent;
        border: 1px solid currentColor;
        border-radius: 3px;
        padding: 1px 6px;
        cursor: pointer;
      }
      [part~='toggle'] {
        flex: none;
        display: inline-grid;
        place-items: center;
        width: var(--vx-picker-toggle-size, 24px);
        height: var(--vx-picker-toggle-size, 24px);
        padding: 0;
        border: 1px solid transparent;
        border-radius: 4px;
        background: transparent;
        color: inherit;
        opacity: 0.75;
        cursor: pointer;
      }
      [part~='toggle']:hover {
        background: rgba(255, 255, 255, 0.08);
        opacity: 1;
      }
      [part~='toggle'][aria-pressed='true'] {
        opacity: 1;
        color: var(--vx-picker-accent, #3d8bfd);
      }
      [part~='label'] {
        display: flex;
        flex: 1;
        min-width: 0;
        align-items: center;
        gap: 8px;
        width: 100%;
        padding: 4px 6px;
        border: 1px solid transparent;
        border-radius: 4px;
        background: transparent;
        color: inherit;
        font: inherit;
        text-align: left;
        cursor: pointer;
      }
      [part~='label']:hover {
        background: rgba(255, 255, 255, 0.08);
      }
      [part~='label'][aria-checked='true'] {
        border-color: var(--vx-picker-accent, #3d8bfd);
        background: rgba(61, 139, 253, 0.18);
      }
      button:focus-visible,
      input:focus-visible,
      select:focus-visible {
        outline: 2px solid var(--vx-picker-accent, #3d8bfd);
        outline-offset: 1px;
      }
      [part~='swatch'] {
        flex: none;
        width: 12px;
        height: 12px;
        border-radius: 3px;
        border: 1px solid rgba(255, 255, 255, 0.4);
      }
      [part~='name'] {
        flex: 1;
        overflow-wrap: anywhere;
      }
      [part~='key'] {
        font:
          11px ui-monospace,
          monospace;
        opacity: 0.7;
        border: 1px solid rgba(255, 255, 255, 0.3);
        border-radius: 3px;
        padding: 0 4px;
      }
      fieldset.group {
        display: flex;
        flex-direction: column;
        gap: 8px;
        border: 0;
        margin: 0;
        padding: 0;
        min-width: 0;
      }
      [part~='attributes'] {
        margin-top: 8px;
        padding-top: 8px;
        border-top: 1px solid rgba(255, 255, 255, 0.2);
        display: flex;
        flex-direction: column;
        gap: 8px;
      }
      h3 {
        margin: 0;
        font-size: 12px;
        font-weight: 600;
        opacity: 0.85;
        overflow-wrap: anywhere;
      }
      [part~='field'] {
        display: flex;
        flex-direction: column;
        gap: 2px;
        border: 0;
        margin: 0;
        padding: 0;
      }
      [part~='field'] label,
      legend {
        padding: 0;
        overflow-wrap: anywhere;
      }
      .check {
        flex-direction: row;
        align-items: center;
        gap: 6px;
      }
      input[type='text'],
      input[type='number'],
      select {
        font: inherit;
        color: inherit;
        background: rgba(0, 0, 0, 0.3);
        border: 1px solid rgba(255, 255, 255, 0.3);
        border-radius: 3px;
        padding: 3px 4px;
      }
      [aria-invalid='true'] {
        border-color: var(--vx-picker-error, #ff6b6b);
      }
      [part~='required'] {
        color: var(--vx-picker-error, #ff6b6b);
        margin-left: 2px;
      }
      [part~='error'] {
        color: var(--vx-picker-error, #ff6b6b);
        font-size: 12px;
      }
      .empty {
        opacity: 0.7;
        font-style: italic;
      }
      [part~='statistics'] {
        display: grid;
        grid-template-columns: repeat(auto-fill, minmax(96px, 1fr));
        gap: 2px 8px;
        margin: 0;
        font-size: 12px;
        font-variant-numeric: tabular-nums;
      }
      [part~='statistics'] dt {
        display: inline;
        opacity: 0.8;
      }
      [part~='statistics'] dd {
        display: inline;
        margin: 0;
      }
    `,
  ];

  /** The label schema. Taken from the viewer when bound to one and not set here. */
  @property({ attribute: false }) schema: LabelSchema | undefined;

  /** Id of the active label (what new annotations get). */
  @property() active: string | undefined;

  /** Id of the `<vx-viewer>` to bind to (in the same document or shadow root). */
  @property({ attribute: 'for' }) for = '';

  /** The document whose selected annotation is edited. Taken from the viewer when bound to one. */
  @property({ attribute: false }) document: AnnotationDocument | undefined;

  /** Id of the annotation whose attributes are edited. Follows the viewer's selection when bound to one. */
  @property() selected: string | undefined;

  /** Accessible name of the label list. */
  @property({ attribute: 'list-label' }) listLabel = 'Labels';

  /**
   * The annotation editor whose per-label hide/lock the eye and lock toggles set. Taken from the viewer's
   * annotation layers when bound to a viewer and not set here.
   */
  @property({ attribute: false }) editor: AnnotationEditor | undefined;

  @state() private revision = 0;
  private missingCache:
    { doc: AnnotationDocument; version: number; schema: LabelSchema; ids: string[] } | undefined;
  /** The row whose eye and lock toggles hold the focus: they are Tab stops while it does. */
  @state() private focusRow: string | undefined;
  private readonly roving = new RovingFocus(this, {
    items: () => [...this.renderRoot.querySelectorAll<HTMLElement>("[role='radio']")],
    next: ['ArrowDown'],
    previous: ['ArrowUp'],
    preferred: () => this.renderRoot.querySelector<HTMLElement>("[role='radio'][aria-checked='true']"),
    onMove: (item) => item.dataset['id'] && this.choose(item.dataset['id']),
  });
  private visCleanup: (() => void) | undefined;
  private boundEditor: AnnotationEditor | undefined;

  private readonly linked = new LinkedViewerController(this, (viewer) => this.follow(viewer));
  private docCleanup: (() => void) | undefined;
  private boundDoc: AnnotationDocument | undefined;

  override connectedCallback(): void {
    super.connectedCallback();
    this.addEventListener('keydown', this.onKeyDown);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.removeEventListener('keydown', this.onKeyDown);
    this.docCleanup?.();
    this.docCleanup = undefined;
    this.boundDoc = undefined;
    this.visCleanup?.();
    this.visCleanup = undefined;
    this.boundEditor = undefined;
  }

  protected override willUpdate(changed: Map<string, unknown>): void {
    // A host setting `active` on a bound picker sets the viewer's active label. Here, before rendering: the
    // viewer notifies the picker at once, and a change requested from `updated()` would render twice.
    if (
      changed.has('active') &&
      this.viewer &&
      this.active !== undefined &&
      this.viewer.activeLabel !== this.active
    )
      this.viewer.activeLabel = this.active;
  }

  protected override updated(): void {
    const doc = this.currentDocument;
    if (doc !== this.boundDoc) {
      this.docCleanup?.();
      this.boundDoc = doc;
      this.docCleanup = doc?.subscribe(() => this.revision++);
    }
    const editor = this.currentEditor;
    if (editor !== this.boundEditor) {
      this.visCleanup?.();
      this.boundEditor = editor;
      this.visCleanup = editor?.visibility.subscribe(() => this.revision++);
    }
  }

  /** The editor the toggles act on: `editor`, else the bound viewer's annotation session's. */
  get currentEditor(): AnnotationEditor | undefined {
    return this.editor ?? this.viewer?.editor;
  }

  /** Hides or shows every annotation of label `id` (what the eye toggle does). */
  setLabelHidden(id: string, hidden: boolean): void {
    this.currentEditor?.setLabelHidden(id, hidden);
    this.revision++;
  }

  /** Locks or unlocks every annotation of label `id` (what the lock toggle does). */
  setLabelLocked(id: string, locked: boolean): void {
    this.currentEditor?.setLabelLocked(id, locked);
    this.revision++;
  }

  /** The schema in use: `schema`, else the bound viewer's. */
  get currentSchema(): LabelSchema | undefined {
    return this.schema ?? this.viewer?.labelSchema;
  }

  /** The document in use: `document`, else the bound viewer's. */
  get currentDocument(): AnnotationDocument | undefined {
    return this.document ?? this.viewer?.document ?? undefined;
  }

  private get activeId(): string | undefined {
    return this.active ?? this.viewer?.activeLabel;
  }

  private get viewer(): LinkedViewer | undefined {
    return this.linked.viewer;
  }

  /**
   * Follows a newly bound viewer: its active label is the truth from now on (the host or a label key may
   * change it there; the viewer owns the label keys), and its selection picks the annotation edited here.
   */
  private follow(viewer: LinkedViewer): (() => void)[] {
    if (this.active !== undefined && viewer.activeLabel !== this.active) viewer.activeLabel = this.active;
    const onSelection = (e: Event) => {
      const ids = (e as CustomEvent<{ ids: string[] }>).detail.ids;
      this.selected = ids.length === 1 ? ids[0] : undefined;
    };
    viewer.addEventListener('vx-selection-change', onSelection);
    // A label key in the viewer chose the label: the picker's own listeners hear of it too.
    const onLabelKey = (e: VxActiveLabelChangeEvent) => {
      if (e.target === viewer)
        this.dispatchEvent(new VxActiveLabelChangeEvent(e.detail.label, e.detail.previous, true));
    };
    viewer.addEventListener('vx-active-label-change', onLabelKey);
    this.revision++;
    return [
      () => viewer.removeEventListener('vx-active-label-change', onLabelKey),
      viewer.subscribe(() => {
        if (viewer.activeLabel !== this.active) this.active = viewer.activeLabel;
        this.revision++;
      }),
      () => viewer.removeEventListener('vx-selection-change', onSelection),
    ];
  }

  /** Makes `id` the active label, as a user choice: updates the viewer and fires vx-active-label-change. */
  choose(id: string): void {
    const previous = this.activeId;
    if (!this.currentSchema?.labels.some((l) => l.id === id)) return;
    this.active = id;
    if (this.viewer) this.viewer.activeLabel = id;
    if (previous !== id) this.dispatchEvent(new VxActiveLabelChangeEvent(id, previous));
  }

  /**
   * Bound to a viewer, a mouse click on a label or its toggles leaves the focus in the viewer: the arrow keys
   * the user presses next scroll slices there, rather than silently picking the neighbouring label here.
   * Keyboard users still reach the labels with Tab.
   */
  private onLabelsMouseDown = (e: MouseEvent): void => {
    const target = e.composedPath()[0];
    if (this.viewer && target instanceof Element && target.closest('button')) e.preventDefault();
  };

  private onKeyDown = (e: KeyboardEvent): void => {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    const target = e.composedPath()[0];
    const typing =
      target instanceof HTMLInputElement && target.type !== 'checkbox'
        ? true
        : target instanceof HTMLSelectElement;
    const rows = treeRows(this.currentSchema);
    if (!typing && /^[1-9]$/.test(e.key)) {
      const row = rows[Number(e.key) - 1];
      if (row) {
        this.choose(row.label.id);
        e.preventDefault();
      }
      return;
    }
    if (typing || !(target instanceof HTMLElement)) return;
    if (target.getAttribute('role') === 'radio') this.roving.onKeyDown(e);
    if (e.key === 'ArrowRight' || e.key === 'ArrowLeft') this.moveInRow(target, e);
  };

  /** → and ←: from a label to its eye toggle, to its lock toggle, and back. */
  private moveInRow(target: HTMLElement, e: KeyboardEvent): void {
    const row = target.closest<HTMLElement>("[part~='row']");
    if (!row) return;
    const cells = [...row.querySelectorAll<HTMLElement>('button')];
    const i = cells.indexOf(target);
    const next = cells[i + (e.key === 'ArrowRight' ? 1 : -1)];
    if (i < 0 || !next) return;
    e.preventDefault();
    next.focus();
  }

  private onRowFocusIn = (e: FocusEvent): void => {
    const target = e.composedPath()[0];
    const row = target instanceof HTMLElement && target.getAttribute('role') !== 'radio' ? target : undefined;
    this.focusRow = row?.closest<HTMLElement>("[part~='row']")?.dataset['id'];
  };

  private onRowFocusOut = (e: FocusEvent): void => {
    if (!(e.relatedTarget instanceof Node) || !this.renderRoot.contains(e.relatedTarget))
      this.focusRow = undefined;
  };

  /** Locked (itself or through its label, in the bound editor): its attributes and label are not edited. */
  private isLocked(a: Annotation): boolean {
    const ed = this.currentEditor;
    return !!ed && ed.visibility.isVisible(a) && !ed.visibility.isEditable(a);
  }

  private selectedAnnotation(): Annotation | undefined {
    return this.selected ? this.currentDocument?.get(this.selected) : undefined;
  }

  /** Problems of the selected annotation's attributes, by attribute id. */
  private problems(a: Annotation, label: LabelDef): Map<string, string> {
    const out = new Map<string, string>();
    for (const def of label.attributes ?? []) {
      const v = a.attributes?.[def.id];
      if (v === undefined || v === '') {
        if (def.required) out.set(def.id, `${def.name} is required`);
        continue;
      }
      const p = attributeValueProblem(def, v);
      if (p) out.set(def.id, `${def.name} ${p.message}`);
    }
    return out;
  }

  /** Writes one attribute of the selected annotation (undefined removes it) as one document edit. */
  private writeAttribute(def: AttributeDef, value: AttributeValue | undefined): void {
    const doc = this.currentDocument;
    const a = this.selectedAnnotation();
    if (!doc || !a || this.isLocked(a)) return;
    const next: Record<string, AttributeValue> = { ...(a.attributes ?? {}) };
    if (value === undefined || value === '') delete next[def.id];
    else next[def.id] = value;
    const same =
      Object.keys(next).length === Object.keys(a.attributes ?? {}).length &&
      Object.entries(next).every(([k, v]) => a.attributes?.[k] === v);
    if (!same) doc.update(a.id, { attributes: next });
  }

  private renderField(def: AttributeDef, a: Annotation, problem: string | undefined): TemplateResult {
    const id = `attr-${def.id}`;
    const value = a.attributes?.[def.id];
    const invalid = !!problem;
    const errId = `${id}-error`;
    const required = def.required ? html`<span part="required" aria-hidden="true">*</span>` : nothing;
    const error = invalid ? html`<span part="error" id=${errId}>${problem}</span>` : nothing;
    const described = invalid ? errId : undefined;
    switch (def.type) {
      case 'boolean':
        return html`<div part="field" class="check">
          <input
            id=${id}
            type="checkbox"
            .checked=${live(value === true)}
            aria-required=${def.required ? 'true' : 'false'}
            @change=${(e: Event) => this.writeAttribute(def, (e.target as HTMLInputElement).checked)}
          />
          <label for=${id}>${def.name}${required}</label>
          ${error}
        </div>`;
      case 'number':
        return html`<div part="field">
          <label for=${id}>${def.name}${required}</label>
          <input
            id=${id}
            type="number"
            min=${ifDefined(def.min)}
            max=${ifDefined(def.max)}
            .step=${def.step !== undefined ? String(def.step) : 'any'}
            .value=${live(typeof value === 'number' ? String(value) : value === undefined ? '' : String(value))}
            data-committed=${value === undefined ? '' : String(value)}
            aria-required=${def.required ? 'true' : 'false'}
            aria-invalid=${invalid ? 'true' : 'false'}
            aria-describedby=${described ?? nothing}
            @change=${(e: Event) => {
              const raw = (e.target as HTMLInputElement).value;
              this.writeAttribute(def, raw === '' ? undefined : Number(raw));
            }}
          />
          ${error}
        </div>`;
      case 'text':
        return html`<div part="field">
          <label for=${id}>${def.name}${required}</label>
          <input
            id=${id}
            type="text"
            maxlength=${ifDefined(def.maxLength)}
            .value=${live(typeof value === 'string' ? value : value === undefined ? '' : String(value))}
            data-committed=${value === undefined ? '' : String(value)}
            aria-required=${def.required ? 'true' : 'false'}
            aria-invalid=${invalid ? 'true' : 'false'}
            aria-describedby=${described ?? nothing}
            @change=${(e: Event) => this.writeAttribute(def, (e.target as HTMLInputElement).value)}
          />
          ${error}
        </div>`;
      case 'enum':
        return this.renderEnumField(def, { id, value, invalid, required, error, described });
    }
  }

  /** An enum attribute: a select, or checkboxes when several options may be chosen. */
  private renderEnumField(def: AttributeDef & { type: 'enum' }, f: FieldParts): TemplateResult {
    const { id, value, invalid, required, error, described } = f;
    if (def.multiple) {
      const chosen = new Set(typeof value === 'string' && value !== '' ? value.split('|') : []);
      return html`<fieldset
        part="field"
        aria-invalid=${invalid ? 'true' : 'false'}
        aria-describedby=${described ?? nothing}
      >
        <legend>${def.name}${required}</legend>
        ${def.options.map(
          (opt, i) =>
            html`<div class="check" style="display:flex">
              <input
                id=${`${id}-${i}`}
                type="checkbox"
                .checked=${live(chosen.has(opt))}
                @change=${(e: Event) => {
                  // Read the current value (not the one rendered): clicks can outrun re-renders.
                  const now = this.selectedAnnotation()?.attributes?.[def.id];
                  const next = new Set(typeof now === 'string' && now !== '' ? now.split('|') : []);
                  if ((e.target as HTMLInputElement).checked) next.add(opt);
                  else next.delete(opt);
                  this.writeAttribute(def, def.options.filter((o) => next.has(o)).join('|'));
                }}
              />
              <label for=${`${id}-${i}`}>${opt}</label>
            </div>`,
        )}
        ${error}
      </fieldset>`;
    }
    return html`<div part="field">
      <label for=${id}>${def.name}${required}</label>
      <select
        id=${id}
        aria-required=${def.required ? 'true' : 'false'}
        aria-invalid=${invalid ? 'true' : 'false'}
        aria-describedby=${described ?? nothing}
        @change=${(e: Event) => this.writeAttribute(def, (e.target as HTMLSelectElement).value || undefined)}
      >
        <option value="" .selected=${live(value === undefined || value === '')}>—</option>
        ${def.options.map((opt) => html`<option .value=${opt} .selected=${live(value === opt)}>${opt}</option>`)}
        ${
          typeof value === 'string' && value !== '' && !def.options.includes(value)
            ? html`<option .value=${value} selected>${value}</option>`
            : nothing
        }
      </select>
      ${error}
    </div>`;
  }

  /** A select to move the selected annotation to another label that allows its kind (one undoable edit). */
  private renderRelabel(a: Annotation, schema: LabelSchema): TemplateResult | typeof nothing {
    const choices = treeRows(schema).filter((r) => r.label.kinds.includes(a.kind));
    if (choices.length < 2) return nothing;
    return html`<div part="field relabel">
      <label for="relabel">Label</label>
      <select
        id="relabel"
        @change=${(e: Event) => {
          const id = (e.target as HTMLSelectElement).value;
          const doc = this.currentDocument;
          const cur = this.selectedAnnotation();
          if (doc && cur && id && id !== cur.label && !this.isLocked(cur)) this.relabel(doc, cur, id);
        }}
      >
        ${choices.map(
          (r) =>
            html`<option .value=${r.label.id} .selected=${live(r.label.id === a.label)}>
              ${'\u00a0\u00a0'.repeat(r.depth)}${r.label.name}
            </option>`,
        )}
      </select>
    </div>`;
  }

  /**
   * Moves `a` to label `id`, keeping only the attributes that label defines: one document edit, one undo step.
   */
  private relabel(doc: AnnotationDocument, a: Annotation, id: string): void {
    const defs = new Set(
      (this.currentSchema?.labels.find((l) => l.id === id)?.attributes ?? []).map((d) => d.id),
    );
    const kept = Object.entries(a.attributes ?? {}).filter(([k]) => defs.has(k));
    doc.update(a.id, { label: id, attributes: kept.length ? Object.fromEntries(kept) : undefined });
  }

  /**
   * Ctrl+Z / Ctrl+Shift+Z / Ctrl+Y in the attribute editor act on the document, never on a field alone. A
   * field edited but not committed yet is put back to the document's value first (that is the whole undo).
   */
  private onAttributesKeyDown = (e: KeyboardEvent): void => {
    if (!(e.ctrlKey || e.metaKey) || e.altKey) return;
    const key = e.key.toLowerCase();
    const redo = (key === 'z' && e.shiftKey) || (key === 'y' && !e.shiftKey);
    if (key !== 'z' && !redo) return;
    e.preventDefault();
    e.stopPropagation();
    const target = e.composedPath()[0];
    const dirty =
      target instanceof HTMLInputElement &&
      target.dataset['committed'] !== undefined &&
      target.value !== target.dataset['committed'];
    if (dirty && !redo) target.value = target.dataset['committed']!;
    else this.undoRedo(redo ? 'redo' : 'undo');
    this.revision++;
  };

  private undoRedo(action: 'undo' | 'redo'): void {
    const v = this.viewer;
    if (v && v.layerKinds.size && (!this.document || this.document === v.document)) v.editor.run(action);
    else if (action === 'undo') this.currentDocument?.undo();
    else this.currentDocument?.redo();
  }

  /**
   * Annotations of the document missing a required attribute, in document order. Computed again only when the
   * document or the schema changed (a hide, a lock or a selection reads nothing), and from the attributes
   * alone: no geometry or mask pixel is read.
   */
  private missingRequired(): string[] {
    const doc = this.currentDocument;
    const schema = this.currentSchema;
    if (!doc || !schema) return [];
    const c = this.missingCache;
    if (c && c.doc === doc && c.version === doc.version && c.schema === schema) return c.ids;
    const required = new Map(
      schema.labels.map((l) => [l.id, (l.attributes ?? []).filter((d) => d.required).map((d) => d.id)]),
    );
    const ids: string[] = [];
    if ([...required.values()].some((r) => r.length)) {
      for (const a of doc.annotations) {
        const v = a.attributes;
        if (required.get(a.label)?.some((k) => v?.[k] === undefined || v[k] === '')) ids.push(a.id);
      }
    }
    this.missingCache = { doc, version: doc.version, schema, ids };
    return ids;
  }

  /** Selects annotation `id` (in the viewer, going to its slice, when bound) and focuses its first field. */
  private showMe(id: string): void {
    const a = this.currentDocument?.get(id);
    if (!a) return;
    const v = this.viewer;
    if (v && (!this.document || this.document === v.document)) showAnnotation(v, id);
    this.selected = id;
    void this.updateComplete.then(() => {
      const form = this.renderRoot.querySelector("[part~='attributes']");
      const field =
        form?.querySelector<HTMLElement>("[aria-invalid='true']") ?? form?.querySelector('select, input');
      field?.focus();
    });
  }

  private renderMissing(): TemplateResult | typeof nothing {
    const ids = this.missingRequired();
    if (!ids.length) return nothing;
    const n = ids.length;
    return html`<p part="missing" role="status">
      ${n} ${n === 1 ? 'annotation misses' : 'annotations miss'} required attributes
      <button part="show-me" type="button" @click=${() => this.showMe(ids[0]!)}>Show me</button>
    </p>`;
  }

  private renderAttributes(): TemplateResult | typeof nothing {
    const a = this.selectedAnnotation();
    const schema = this.currentSchema;
    if (!a || !schema) return nothing;
    const label = schema.labels.find((l) => l.id === a.label);
    const defs = label?.attributes ?? [];
    if (!label) {
      return html`<div part="attributes"><p class="empty">Label ${a.label} is not in the schema</p></div>`;
    }
    const problems = this.problems(a, label);
    const locked = this.isLocked(a);
    return html`<form
      part="attributes"
      aria-label=${`Attributes of the selected ${label.name}`}
      @submit=${(e: Event) => e.preventDefault()}
      @keydown=${this.onAttributesKeyDown}
    >
      <h3>${label.name}</h3>
      ${locked ? html`<p class="empty" part="locked-note">Locked: unlock it to edit</p>` : nothing}
      <fieldset class="group" ?disabled=${locked}>
        ${this.renderRelabel(a, schema)}
        ${
          defs.length === 0
            ? html`<p class="empty">No attributes</p>`
            : defs.map((d) => this.renderField(d, a, problems.get(d.id)))
        }
      </fieldset>
      ${renderStatistics(this.statistics(a))}
    </form>`;
  }

  readonly #statistics = new StatisticsTracker(this);

  /** The statistics of the selected annotation on the viewer's stack, once computed. */
  private statistics(a: Annotation) {
    const doc = this.currentDocument;
    const v = this.viewer;
    return doc && v && doc === v.document ? this.#statistics.get(doc, a, v.stack) : undefined;
  }

  /** Problems of the selected annotation's attributes (attribute id → message), for hosts that gate saving. */
  get attributeProblems(): Map<string, string> {
    const a = this.selectedAnnotation();
    const label = a && this.currentSchema?.labels.find((l) => l.id === a.label);
    return a && label ? this.problems(a, label) : new Map();
  }

  protected override render() {
    void this.revision;
    const rows = treeRows(this.currentSchema);
    const active = this.activeId;
    const selectedLabel = this.selectedAnnotation()?.label;
    return html`<div
        part="labels"
        role="radiogroup"
        aria-label=${this.listLabel}
        @mousedown=${this.onLabelsMouseDown}
        @focusin=${this.onRowFocusIn}
        @focusout=${this.onRowFocusOut}
      >
        ${rows.length === 0 ? html`<p class="empty">No labels</p>` : nothing}
        ${rows.map((r, i) => {
          const on = r.label.id === active;
          const color = SAFE_COLOR.test(r.label.color) ? r.label.color : 'transparent';
          const ed = this.currentEditor;
          const hidden = !!ed?.visibility.isLabelHidden(r.label.id);
          const locked = !!ed?.visibility.isLabelLocked(r.label.id);
          const ofSelected = r.label.id === selectedLabel;
          const toggleTab = this.focusRow === r.label.id ? '0' : '-1';
          return html`<div
            part=${`row${hidden ? ' hidden' : ''}${locked ? ' locked' : ''}`}
            data-id=${r.label.id}
          >
            <button
              part=${`label${on ? ' active' : ''}${ofSelected ? ' selected-label' : ''}`}
              role="radio"
              type="button"
              aria-checked=${on ? 'true' : 'false'}
              data-id=${r.label.id}
              data-index=${i}
              style=${`padding-left: calc(6px + ${r.depth} * var(--vx-picker-indent, 16px))`}
              @click=${() => this.choose(r.label.id)}
            >
              <span part="marker" aria-hidden="true"></span>
              <span part="swatch" style=${`background: ${color}`} aria-hidden="true"></span>
              <span part="name">${r.label.name}</span>
              ${ofSelected ? html`<span class="sr-only">, label of the selected annotation</span>` : nothing}
              ${hidden ? html`<span class="sr-only">, hidden</span>` : nothing}
              ${r.parentName !== undefined ? html`<span class="sr-only">, in ${r.parentName}</span>` : nothing}
              ${i < 9 ? html`<kbd part="key" aria-hidden="true">${i + 1}</kbd>` : nothing}
            </button>
            ${
              ed
                ? html`<button
                      part=${`toggle hide-toggle${hidden ? ' pressed' : ''}`}
                      type="button"
                      tabindex=${toggleTab}
                      aria-pressed=${hidden ? 'true' : 'false'}
                      aria-label=${`Hide ${r.label.name}`}
                      title=${hidden ? `Show ${r.label.name}` : `Hide ${r.label.name}`}
                      @click=${() => this.setLabelHidden(r.label.id, !hidden)}
                    >
                      ${icon(hidden ? 'hide' : 'show', 16)}
                    </button>
                    <button
                      part=${`toggle lock-toggle${locked ? ' pressed' : ''}`}
                      type="button"
                      tabindex=${toggleTab}
                      aria-pressed=${locked ? 'true' : 'false'}
                      aria-label=${`Lock ${r.label.name}`}
                      title=${locked ? `Unlock ${r.label.name}` : `Lock ${r.label.name}`}
                      @click=${() => this.setLabelLocked(r.label.id, !locked)}
                    >
                      ${icon(locked ? 'lock' : 'unlock', 16)}
                    </button>`
                : nothing
            }
          </div>`;
        })}
      </div>
      ${this.renderMissing()} ${this.renderAttributes()}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'vx-label-picker': VxLabelPicker;
  }
}
