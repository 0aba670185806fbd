import { LitElement, html, nothing, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { ifDefined } from 'lit/directives/if-defined.js';
import type { Box3 } from '../core/mask/sparse-volume.js';
import type { Volume } from '../core/mask/volume.js';
import type { Connectivity } from '../core/effects/components.js';
import type { CombineOperation } from '../core/effects/morphology.js';
import { type EffectFunctions, loadEffects, loadedEffects } from './effects/load-effects.js';
import type { Keymap } from '../core/keymap.js';
import { LinkedViewerController, type LinkedViewer } from './controllers/linked-viewer.js';
import { EffectOverlay, parseColour, type Rgb } from './effects/overlay.js';
import { applyResult, applySplit, otherVolumes, resolveTarget, type EffectTarget } from './effects/target.js';
import { applyGrow, GrowRunner, seedsFrom, type Seeds } from './effects/grow.js';
import { EFFECTS_KEYMAP, VxEffectApplyEvent, type EffectAction, type EffectName } from './effects/keys.js';
import { effectsStyles } from './effects/styles.js';

/** What the panel says when a key or button comes before the effect functions have loaded. */
const STILL_LOADING = 'The effects are still loading…';
/** A result shown over the image, waiting for Accept (Enter) or Cancel (Escape). */
interface Preview {
  effect: 'fill-between' | 'threshold' | 'grow-from-seeds';
  volume: Volume;
  colours: Rgb[];
  accept: () => string[];
}

/**
 * The Segment Editor's effects as a panel bound to a viewer: fill between slices (with a preview), islands
 * (keep the largest, remove the small, keep the clicked one, split into instances; 6- or 26-connected), fill
 * holes in 2D or 3D, smoothing (median, opening, closing with a kernel in mm), margin (± mm), logical
 * operations with another instance, threshold over the stack or the selected box (live preview on the current
 * slice), and grow from seeds (the document's brush strokes as seeds, run in `worker` when given, with
 * progress, cancel, and an incremental update when a stroke is added).
 *
 * Effects apply to the selected volume instance, or to the per-slice masks of the selected mask's label,
 * which the result replaces with one volume instance. Each is one document edit: one undo step.
 *
 * Keys (added to the viewer's keymap when it lacks them; see `EFFECTS_KEYMAP`): Shift+F fill between,
 * Shift+K keep largest, Shift+H fill holes, Shift+S smooth, Shift+M margin, Shift+T threshold, Shift+G grow from
 * seeds; Enter accepts a preview and Escape cancels it. The panel's controls are native buttons, fields and
 * selects in reading order: Tab moves through them.
 *
 * @tag vx-segment-effects
 * @summary Fill between slices, islands, fill holes, smoothing, margin, logical operations, threshold and grow from seeds on volume masks.
 *
 * @fires vx-effect-apply - An effect changed the document as one undo step: `detail.effect`, `detail.ids` (the volumes written).
 *
 * @csspart panel - The container.
 */
export class VxSegmentEffects extends LitElement {
  static override styles = effectsStyles;

  /** The id of the `<vx-viewer>` to work on; default the enclosing viewer. */
  @property({ attribute: 'for' }) for = '';
  /** A worker running `serveEffectRequests()` for grow from seeds (owned by the host). Default: this thread. */
  @property({ attribute: false }) worker: Worker | undefined;

  @state() private connectivity: Connectivity = 6;
  @state() private minVoxels = 100;
  @state() private holesMode: '2d' | '3d' = '3d';
  @state() private smoothMethod: 'median' | 'opening' | 'closing' = 'median';
  /** Smoothing kernel in mm. */
  @property({ type: Number, attribute: 'kernel-mm' }) kernelMm = 3;
  /** Margin in mm (negative shrinks). */
  @property({ type: Number, attribute: 'margin-mm' }) marginMm = 2;
  @state() private operation: CombineOperation = 'union';
  @state() private otherId = '';
  /** Threshold range, in modality units (HU for CT). */
  @property({ type: Number, attribute: 'threshold-min' }) thresholdMin = 0;
  @property({ type: Number, attribute: 'threshold-max' }) thresholdMax = 200;
  @state() private thresholdInBox = false;
  /** The label whose grow-from-seeds strokes mark the background (not written as a volume). */
  @property({ attribute: 'background-label' }) backgroundLabel = '';
  @state() private preview: Preview | undefined;
  @state() private progress: number | undefined;
  @state() private picking = false;
  @state() private status = '';
  @state() private error = '';

  private overlay: EffectOverlay | undefined;
  private readonly grow = new GrowRunner(() => this.worker);
  private liveThreshold: Volume | undefined;
  private readonly linked = new LinkedViewerController(this, (v) => this.bind(v));

  constructor() {
    super();
    this.linked.select((v) => v.document?.version);
    this.linked.select((v) => [...v.selection.ids].join(','));
    this.linked.select((v) => v.slice);
    this.linked.select((v) => v.stack);
    this.linked.select((v) => v.labelSchema);
  }

  private get viewer(): LinkedViewer | undefined {
    return this.linked.viewer;
  }

  private bind(v: LinkedViewer): (() => void)[] {
    this.overlay = new EffectOverlay(v);
    addMissingKeys(v);
    const cleanups = (Object.keys(EFFECTS_KEYMAP) as EffectAction[]).map((action) =>
      v.registerAction(action, () => this.onKey(action)),
    );
    cleanups.push(
      v.registerAction('complete', () => this.accept()),
      v.registerAction('cancel', () => this.cancelPreview()),
      v.subscribe((change) => {
        if (change.keymap) addMissingKeys(v);
        if (change.stack) this.cancelPreview();
      }),
      () => {
        this.grow.reset();
        this.overlay?.destroy();
        this.overlay = undefined;
      },
    );
    const pick = (e: PointerEvent) => this.onPick(e);
    v.addEventListener('pointerdown', pick, { capture: true });
    cleanups.push(() => v.removeEventListener('pointerdown', pick, { capture: true }));
    return cleanups;
  }

  /** The effect functions, or undefined (with a status saying so) until their module has loaded. */
  private effects(): EffectFunctions | undefined {
    const fx = loadedEffects();
    if (!fx) this.status = STILL_LOADING;
    return fx;
  }

  /** Resolves once the effect functions are loaded too, so a panel that has updated can run them at once. */
  protected override async getUpdateComplete(): Promise<boolean> {
    await loadEffects();
    return super.getUpdateComplete();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void loadEffects().then(() => {
      if (this.status === STILL_LOADING) this.status = '';
    });
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.grow.reset();
  }

  /** The target of the effects now (recomputed from the selection). */
  private target(): EffectTarget | undefined {
    const v = this.viewer;
    return v?.stack ? resolveTarget(v.document, v.selection.ids, v.stack.depth) : undefined;
  }

  private get spacing(): [number, number, number] {
    const s = this.viewer?.stack?.spacing;
    return s ? [s[0], s[1], s[2]] : [1, 1, 1];
  }

  private colourOf(label: string | undefined): Rgb {
    return parseColour(this.viewer?.labelSchema?.labels.find((l) => l.id === label)?.color);
  }

  // ---- running effects ------------------------------------------------------------------------------------

  /** Runs `fn` on the target and writes its result as one undo step; reports errors in the panel. */
  private run(effect: EffectName, fn: (t: EffectTarget, fx: EffectFunctions) => Volume | Volume[]): boolean {
    const doc = this.viewer?.document;
    const target = this.target();
    const fx = this.effects();
    if (!fx) return false;
    if (!doc || !target) {
      this.error = 'Select a volume, or a mask of the label to work on.';
      return false;
    }
    try {
      const out = fn(target, fx);
      const ids = Array.isArray(out) ? applySplit(doc, target, out) : [applyResult(doc, target, out)];
      this.done(effect, ids);
    } catch (e) {
      this.error = e instanceof Error ? e.message : String(e);
    }
    return true;
  }

  private done(effect: EffectName, ids: string[]): void {
    this.error = '';
    this.status = `${effect.replace(/-/g, ' ')}: done (Ctrl+Z undoes it)`;
    if (ids.length) this.viewer?.selection.set([ids[0]!]);
    this.dispatchEvent(new VxEffectApplyEvent(effect, ids));
  }

  keepLargest = (): boolean =>
    this.run('keep-largest', (t, fx) =>
      fx.islands(t.volume, { keep: 'largest', connectivity: this.connectivity }),
    );

  removeSmall = (): boolean =>
    this.run('remove-small', (t, fx) =>
      fx.islands(t.volume, { keep: { minVoxels: this.minVoxels }, connectivity: this.connectivity }),
    );

  split = (): boolean =>
    this.run('split', (t, fx) => fx.splitIslands(t.volume, { connectivity: this.connectivity }));

  fillHoles = (): boolean =>
    this.run('fill-holes', (t, fx) => fx.fillHoles(t.volume, { mode: this.holesMode }));

  smooth = (): boolean =>
    this.run('smooth', (t, fx) =>
      fx.smoothVolume(t.volume, {
        method: this.smoothMethod,
        kernelMm: this.kernelMm,
        spacing: this.spacing,
      }),
    );

  margin = (): boolean =>
    this.run('margin', (t, fx) => fx.marginVolume(t.volume, { mm: this.marginMm, spacing: this.spacing }));

  combine = (): boolean =>
    this.run('logical', (t, fx) => {
      const other = this.viewer?.document?.getVolume(this.otherId);
      if (!other) throw new Error('Choose the other instance.');
      return fx.combineVolumes(t.volume, other, this.operation);
    });

  /** Arms "keep the clicked island": the next press on the image picks the island under it. */
  pickIsland = (): void => {
    this.picking = !this.picking;
    this.status = this.picking ? 'Click the island to keep.' : '';
  };

  private onPick(e: PointerEvent): void {
    const v = this.viewer;
    if (!this.picking || !v || e.button !== 0) return;
    e.stopPropagation();
    e.preventDefault();
    this.picking = false;
    const [x, y] = v.clientToImage(e.clientX, e.clientY).map(Math.floor) as [number, number];
    const seed: [number, number, number] = [x, y, v.slice];
    this.run('keep-clicked', (t, fx) =>
      fx.islands(t.volume, { keep: { seed }, connectivity: this.connectivity }),
    );
  }

  // ---- previews -------------------------------------------------------------------------------------------

  fillBetween = (): boolean => {
    const doc = this.viewer?.document;
    const target = this.target();
    if (!doc || !target) {
      this.error = 'Select a volume, or a mask of the label to work on.';
      return false;
    }
    const fx = this.effects();
    if (!fx) return false;
    const volume = fx.fillBetweenSlices(target.volume);
    this.showPreview({
      effect: 'fill-between',
      volume,
      colours: [[0, 0, 0], this.colourOf(target.label)],
      accept: () => [applyResult(doc, target, volume)],
    });
    return true;
  };

  /** The threshold's box: the first selected box annotation's rectangle through every slice. */
  private thresholdBox(z?: number): Box3 | undefined {
    const v = this.viewer;
    const stack = v?.stack;
    if (!stack) return undefined;
    const whole = { x: 0, y: 0, width: stack.width, height: stack.height };
    let rect = whole;
    if (this.thresholdInBox) {
      const box = [...v.selection.ids].map((id) => v.document?.get(id)).find((a) => a?.kind === 'box')?.box;
      if (box) {
        const x = Math.max(0, Math.floor(box.x));
        const y = Math.max(0, Math.floor(box.y));
        const x1 = Math.min(stack.width, Math.ceil(box.x + box.width));
        const y1 = Math.min(stack.height, Math.ceil(box.y + box.height));
        if (x1 > x && y1 > y) rect = { x, y, width: x1 - x, height: y1 - y };
      }
    }
    return z === undefined ? { ...rect, z: 0, depth: stack.depth } : { ...rect, z, depth: 1 };
  }

  /** The live preview: the threshold on the current slice, redrawn as the range or the slice changes. */
  private async updateLiveThreshold(): Promise<void> {
    const v = this.viewer;
    if (!v?.stack || this.preview?.effect !== 'threshold') return;
    const slice = v.slice;
    try {
      const { thresholdVolume } = await loadEffects();
      const vol = await thresholdVolume(v.stack, {
        min: this.thresholdMin,
        max: this.thresholdMax,
        box: this.thresholdBox(slice),
      });
      if (this.preview?.effect !== 'threshold') return;
      this.liveThreshold = vol;
      this.preview = { ...this.preview, volume: vol };
      this.error = '';
    } catch (e) {
      this.error = e instanceof Error ? e.message : String(e);
    }
  }

  /** Starts the threshold's live preview; Accept thresholds the whole stack (or box) into a volume mask. */
  threshold = (): boolean => {
    const v = this.viewer;
    const doc = v?.document;
    if (!v?.stack || !doc) return false;
    const stack = v.stack;
    const target = this.target();
    const label = target?.label ?? v.activeLabel;
    if (!label) {
      this.error = 'Choose a label first.';
      return false;
    }
    this.showPreview({
      effect: 'threshold',
      volume: { data: new Uint8Array(0), width: stack.width, height: stack.height, depth: 0 },
      colours: [[0, 0, 0], this.colourOf(label)],
      accept: () => [],
    });
    void this.updateLiveThreshold();
    return true;
  };

  private async acceptThreshold(): Promise<void> {
    const v = this.viewer;
    const doc = v?.document;
    if (!v?.stack || !doc) return;
    const target = this.target();
    const label = target?.label ?? v.activeLabel!;
    const range = { min: this.thresholdMin, max: this.thresholdMax, box: this.thresholdBox() };
    const { thresholdVolume } = await loadEffects();
    const vol = await thresholdVolume(v.stack, range);
    const id = target
      ? applyResult(doc, target, vol)
      : (doc.add({ kind: 'volume', label, mask: { data: vol.data } }) as { id: string }).id;
    this.done('threshold', [id]);
  }

  /** Runs grow from seeds (or updates its last result with the strokes added since) and shows the result. */
  growFromSeeds = async (): Promise<boolean> => {
    const v = this.viewer;
    const doc = v?.document;
    if (!v?.stack || !doc) return false;
    const seeds = seedsFrom(doc, v.stack.depth);
    if (seeds.labels.length < 2) {
      this.error = 'Paint strokes of two or more labels (one may be the background) with the brush first.';
      return true;
    }
    this.error = '';
    this.progress = 0;
    try {
      const result = await this.grow.run(v.stack, seeds.volume, (f) => (this.progress = f));
      this.showGrow(seeds, result);
    } catch (e) {
      const code = (e as { code?: string }).code;
      this.status = code === 'aborted' ? 'Grow from seeds cancelled.' : '';
      if (code !== 'aborted') this.error = e instanceof Error ? e.message : String(e);
    } finally {
      this.progress = undefined;
    }
    return true;
  };

  private showGrow(seeds: Seeds, result: Volume): void {
    const doc = this.viewer!.document!;
    const background = this.backgroundLabel || undefined;
    const colours: Rgb[] = [[0, 0, 0], ...seeds.labels.map((l) => this.colourOf(l))];
    // The background's voxels are not drawn.
    seeds.labels.forEach((l, k) => l === background && (colours[k + 1] = [0, 0, 0]));
    const shown = { ...result, data: result.data.map((x) => (seeds.labels[x - 1] === background ? 0 : x)) };
    this.showPreview({
      effect: 'grow-from-seeds',
      volume: shown,
      colours,
      accept: () => applyGrow(doc, seeds, result, background),
    });
  }

  cancelGrow = (): void => this.grow.cancel();

  private showPreview(p: Preview): void {
    this.preview = p;
    this.status = 'Preview: Enter or Accept applies it, Escape or Cancel drops it.';
  }

  /** Accepts the preview as one undo step. */
  accept = (): boolean => {
    const p = this.preview;
    const doc = this.viewer?.document;
    if (!p || !doc) return false;
    this.preview = undefined;
    if (p.effect === 'threshold') {
      void this.acceptThreshold().catch((e: unknown) => (this.error = String(e)));
      return true;
    }
    const ids = p.accept();
    if (p.effect === 'grow-from-seeds') this.grow.reset();
    this.done(p.effect, ids);
    return true;
  };

  cancelPreview = (): boolean => {
    const had = this.preview !== undefined || this.grow.running || this.picking;
    this.grow.cancel();
    if (this.preview?.effect === 'grow-from-seeds') this.grow.reset();
    this.preview = undefined;
    this.picking = false;
    if (had) this.status = '';
    return had;
  };

  private onKey(action: EffectAction): boolean {
    if (!this.viewer?.document) return false;
    const run: Record<EffectAction, () => unknown> = {
      'effect-fill-between': this.fillBetween,
      'effect-keep-largest': this.keepLargest,
      'effect-fill-holes': this.fillHoles,
      'effect-smooth': this.smooth,
      'effect-margin': this.margin,
      'effect-threshold': this.threshold,
      'effect-grow-from-seeds': this.growFromSeeds,
    };
    void run[action]();
    return true;
  }

  // ---- rendering ------------------------------------------------------------------------------------------

  override updated(): void {
    const v = this.viewer;
    if (!this.overlay || !v) return;
    const p = this.preview;
    if (p?.effect === 'threshold') {
      const live = this.liveThreshold;
      this.overlay.show(live && live.depth ? live : undefined, v.slice, p.colours);
      return;
    }
    if (p) {
      this.overlay.show(p.volume, v.slice, p.colours);
      return;
    }
    const t = this.target();
    this.overlay.show(t?.volume, v.slice, [[0, 0, 0], this.colourOf(t?.label)]);
  }

  override willUpdate(changed: Map<string, unknown>): void {
    // The live threshold follows the range, the box and the slice.
    if (this.preview?.effect === 'threshold' && !changed.has('preview') && !changed.has('error'))
      void this.updateLiveThreshold();
  }

  override render(): TemplateResult {
    const v = this.viewer;
    const t = v?.stack ? this.target() : undefined;
    return html`<div part="panel" role="group" aria-label="Segment editor effects">
      <div class="target" aria-live="polite">
        ${
          t
            ? html`Target:
                <strong>${t.label}</strong> ${t.type === 'volume' ? 'volume' : `(${t.ids.length} masks)`}`
            : html`Select a volume, or a mask of the label to work on.`
        }
      </div>
      ${this.renderPreview()} ${this.renderFill()} ${this.renderIslands()} ${this.renderMorphology()}
      ${this.renderLogical(t)} ${this.renderThreshold()} ${this.renderGrow()}
      <div class="status" aria-live="polite">${this.status}</div>
      ${this.error ? html`<div role="alert">${this.error}</div>` : nothing}
    </div>`;
  }

  private renderPreview(): TemplateResult | typeof nothing {
    const p = this.preview;
    if (!p) return nothing;
    return html`<fieldset class="preview">
      <legend>Preview: ${p.effect.replace(/-/g, ' ')}</legend>
      <div class="row">
        <button data-action="accept" @click=${this.accept}>Accept <kbd>Enter</kbd></button>
        <button data-action="cancel" @click=${this.cancelPreview}>Cancel <kbd>Esc</kbd></button>
      </div>
    </fieldset>`;
  }

  private renderFill(): TemplateResult {
    return html`<fieldset>
      <legend>Fill</legend>
      <div class="row">
        <button data-action="fill-between" @click=${this.fillBetween}>
          Fill between slices <kbd>Shift+F</kbd>
        </button>
      </div>
      <div class="row">
        <button data-action="fill-holes" @click=${this.fillHoles}>Fill holes <kbd>Shift+H</kbd></button>
        <select
          aria-label="Fill holes in"
          name="holes-mode"
          .value=${this.holesMode}
          @change=${(e: Event) => (this.holesMode = value(e) as '2d' | '3d')}
        >
          <option value="3d">3D</option>
          <option value="2d">each slice</option>
        </select>
      </div>
    </fieldset>`;
  }

  private renderIslands(): TemplateResult {
    return html`<fieldset>
      <legend>Islands</legend>
      <div class="row">
        <button data-action="keep-largest" @click=${this.keepLargest}>Keep largest <kbd>Shift+K</kbd></button>
        <button data-action="split" @click=${this.split}>Split into instances</button>
      </div>
      <div class="row">
        <button data-action="remove-small" @click=${this.removeSmall}>Remove smaller than</button>
        <input
          type="number"
          min="1"
          name="min-voxels"
          aria-label="Smallest island kept, in voxels"
          .value=${String(this.minVoxels)}
          @change=${(e: Event) => (this.minVoxels = Math.max(1, Math.round(Number(value(e)))))}
        />
        voxels
      </div>
      <div class="row">
        <button
          data-action="keep-clicked"
          aria-pressed=${this.picking ? 'true' : 'false'}
          @click=${this.pickIsland}
        >
          Keep the clicked island
        </button>
        <select
          aria-label="Connectivity"
          name="connectivity"
          .value=${String(this.connectivity)}
          @change=${(e: Event) => (this.connectivity = Number(value(e)) as Connectivity)}
        >
          <option value="6">6-connected</option>
          <option value="26">26-connected</option>
        </select>
      </div>
    </fieldset>`;
  }

  private renderMorphology(): TemplateResult {
    return html`<fieldset>
      <legend>Smoothing and margin</legend>
      <div class="row">
        <button data-action="smooth" @click=${this.smooth}>Smooth <kbd>Shift+S</kbd></button>
        <select
          aria-label="Smoothing method"
          name="smooth-method"
          .value=${this.smoothMethod}
          @change=${(e: Event) => (this.smoothMethod = value(e) as 'median')}
        >
          <option value="median">median</option>
          <option value="opening">opening</option>
          <option value="closing">closing</option>
        </select>
        ${numberField('kernel-mm', 'Kernel (mm)', this.kernelMm, (n) => (this.kernelMm = n), '0')} mm
      </div>
      <div class="row">
        <button data-action="margin" @click=${this.margin}>Margin <kbd>Shift+M</kbd></button>
        ${numberField('margin-mm', 'Margin (mm, negative shrinks)', this.marginMm, (n) => (this.marginMm = n))}
        mm
      </div>
    </fieldset>`;
  }

  private renderLogical(t: EffectTarget | undefined): TemplateResult {
    const others = otherVolumes(this.viewer?.document, t?.type === 'volume' ? t.id : undefined);
    return html`<fieldset>
      <legend>Logical operations</legend>
      <div class="row">
        <select
          aria-label="Operation"
          name="operation"
          .value=${this.operation}
          @change=${(e: Event) => (this.operation = value(e) as CombineOperation)}
        >
          <option value="union">union</option>
          <option value="subtract">subtract</option>
          <option value="intersect">intersect</option>
        </select>
        <select
          aria-label="Other instance"
          name="other"
          .value=${this.otherId}
          @change=${(e: Event) => (this.otherId = value(e))}
        >
          <option value="">other instance…</option>
          ${others.map(
            (a) =>
              html`<option value=${a.id} ?selected=${a.id === this.otherId}>
                ${a.label} (${a.id.slice(0, 6)})
              </option>`,
          )}
        </select>
        <button data-action="logical" ?disabled=${!this.otherId} @click=${this.combine}>Apply</button>
      </div>
    </fieldset>`;
  }

  private renderThreshold(): TemplateResult {
    return html`<fieldset>
      <legend>Threshold</legend>
      <div class="row">
        ${numberField('threshold-min', 'Lowest value', this.thresholdMin, (n) => (this.thresholdMin = n))} to
        ${numberField('threshold-max', 'Highest value', this.thresholdMax, (n) => (this.thresholdMax = n))}
      </div>
      <div class="row">
        <label
          ><input
            type="checkbox"
            name="threshold-box"
            .checked=${this.thresholdInBox}
            @change=${(e: Event) => (this.thresholdInBox = (e.target as HTMLInputElement).checked)}
          />
          within the selected box</label
        >
        <button data-action="threshold" @click=${this.threshold}>Threshold <kbd>Shift+T</kbd></button>
      </div>
    </fieldset>`;
  }

  private renderGrow(): TemplateResult {
    const labels = this.viewer?.labelSchema?.labels ?? [];
    return html`<fieldset>
      <legend>Grow from seeds</legend>
      <div class="row">
        <select
          aria-label="Background label"
          name="background"
          .value=${this.backgroundLabel}
          @change=${(e: Event) => (this.backgroundLabel = value(e))}
        >
          <option value="">no background label</option>
          ${labels.map(
            (l) =>
              html`<option value=${l.id} ?selected=${l.id === this.backgroundLabel}>
                background: ${l.name}
              </option>`,
          )}
        </select>
        <button data-action="grow-from-seeds" @click=${this.growFromSeeds}>
          ${this.preview?.effect === 'grow-from-seeds' ? 'Update' : 'Grow'} <kbd>Shift+G</kbd>
        </button>
      </div>
      ${
        this.progress !== undefined
          ? html`<div class="row">
              <progress aria-label="Grow from seeds" max="1" .value=${this.progress}></progress>
              <button data-action="cancel-grow" @click=${this.cancelGrow}>Cancel</button>
            </div>`
          : nothing
      }
    </fieldset>`;
  }
}

function value(e: Event): string {
  return (e.target as HTMLInputElement | HTMLSelectElement).value;
}

function numberField(
  name: string,
  label: string,
  current: number,
  set: (n: number) => void,
  min?: string,
): TemplateResult {
  return html`<input
    type="number"
    step="0.1"
    name=${name}
    min=${ifDefined(min)}
    aria-label=${label}
    .value=${String(current)}
    @change=${(e: Event) => {
      const n = Number(value(e));
      if (Number.isFinite(n)) set(n);
    }}
  />`;
}

/** Adds the effect actions a viewer's keymap lacks, with their default keys. */
function addMissingKeys(v: LinkedViewer): void {
  const keymap = v.keymap;
  const missing = Object.entries(EFFECTS_KEYMAP).filter(([action]) => !(action in keymap));
  if (missing.length === 0) return;
  (v as unknown as { keymap: Keymap }).keymap = { ...keymap, ...Object.fromEntries(missing) };
}

declare global {
  interface HTMLElementTagNameMap {
    'vx-segment-effects': VxSegmentEffects;
  }
}
