/**
 * The shared state of `<vx-viewer>` that its layers and linked controls follow: keymap, label schema and active
 * label, and the change notifications and key-action registrations that carry it.
 * @module
 */
import { property } from 'lit/decorators.js';
import { defaultKeymap, type Keymap } from '../../core/keymap.js';
import type { LabelSchema } from '../../core/schema/types.js';
import type { ActionHandler, ViewerChange } from '../viewer-host.js';
import { ViewerRegistry } from './registry.js';
import { ViewerStageElement } from './stage-element.js';

/** Base of `<vx-viewer>` (below the stage element): what the layers and linked controls subscribe to. */
export abstract class ViewerHubElement extends ViewerStageElement {
  protected readonly registry = new ViewerRegistry();
  #keymap: Keymap = defaultKeymap();
  #labelSchema: LabelSchema | undefined;
  #activeLabel: string | undefined;

  /** Key bindings: action → combos. Replace the whole object to remap (see docs/viewer.md). */
  @property({ attribute: false })
  get keymap(): Keymap {
    return this.#keymap;
  }
  set keymap(value: Keymap) {
    this.#keymap = value ?? defaultKeymap();
    this.notify({ keymap: true });
    this.requestUpdate('keymap');
  }

  /** Label schema shared by the annotation layers. */
  @property({ attribute: false })
  get labelSchema(): LabelSchema | undefined {
    return this.#labelSchema;
  }
  set labelSchema(value: LabelSchema | undefined) {
    this.#labelSchema = value;
    if (value && (!this.#activeLabel || !value.labels.some((l) => l.id === this.#activeLabel))) {
      this.#activeLabel = value.labels[0]?.id;
    }
    this.notify({ labelSchema: true, activeLabel: true });
    this.requestUpdate('labelSchema');
  }

  /** Id of the label new annotations get. */
  @property({ attribute: 'active-label' })
  get activeLabel(): string | undefined {
    return this.#activeLabel;
  }
  set activeLabel(value: string | undefined) {
    const old = this.#activeLabel;
    if (old === value) return;
    this.#activeLabel = value;
    this.notify({ activeLabel: true });
    this.requestUpdate('activeLabel', old);
  }

  /** Calls `listener` after changes; returns the unsubscribe function. */
  subscribe(listener: (change: ViewerChange) => void): () => void {
    return this.registry.subscribe(listener);
  }

  /** Registers the handler of a keymap action (see `ViewerHost.registerAction`); returns the removal. */
  registerAction(action: string, handler: ActionHandler): () => void {
    return this.registry.addAction(action, handler);
  }

  /** Tells the layers and linked controls what changed. */
  protected notify(change: ViewerChange): void {
    this.registry.notify(change);
  }
}
