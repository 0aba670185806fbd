/**
 * The annotation side of `<vx-viewer>`'s public API: the document, the editor and selection it owns from
 * construction, and what layers declare to it.
 * @module
 */
import { property } from 'lit/decorators.js';
import type { AnnotationDocument } from '../../core/annotation/document.js';
import type { AnnotationKind } from '../../core/annotation/types.js';
import type { ImageStack } from '../../core/image/types.js';
import type { SelectionState } from '../../core/session/selection.js';
import type { AnnotationEditor } from '../../core/tools/editor.js';
import type { AnnotationRenderer } from '../../render/annotation-renderer.js';
import {
  AnnotationController,
  documentForStack,
  type AnnotationViewer,
  type LayerContribution,
} from '../controllers/annotation-controller.js';
import { AutosaveController } from '../controllers/autosave-controller.js';
import { ViewerHubElement } from './hub-element.js';

/** Base of `<vx-viewer>` (above the hub): the annotations of the current stack. */
export abstract class ViewerAnnotationsElement extends ViewerHubElement {
  protected readonly annotations = new AnnotationController(
    this as unknown as AnnotationViewer,
    this.stageSlot,
  );

  protected readonly autosaver = new AutosaveController(this);

  /**
   * Autosave and crash recovery: with the attribute, the document's annotations are kept in the browser
   * (IndexedDB) after every committed change and when the page is hidden, and restored when the same stack
   * is opened again (`vx-restore`). A value (`autosave="task-17"`) is the host's own key: drafts of the same
   * stack under another key stay apart. Drafts hold annotations only, under a hash of the stack's identity.
   */
  @property() autosave: string | undefined;

  /** Ask before the page unloads while the document has changes the host has not saved (see `markSaved`). */
  @property({ type: Boolean, attribute: 'guard-unload' }) guardUnload = false;

  /** Replaces the document's annotations with the draft offered by `vx-draft-found`, as one undo step. */
  restoreDraft(): boolean {
    return this.autosaver.session?.restoreDraft() ?? false;
  }
  /** Deletes the stored draft of this stack (the one offered, or the one being autosaved). */
  discardDraft(): Promise<void> {
    return this.autosaver.session?.discardDraft() ?? Promise.resolve();
  }
  /** The host saved the document: `unsaved` is false (and the unload guard quiet) until the next change. */
  markSaved(): void {
    this.autosaver.markSaved();
  }
  /** True when the document changed since it arrived or since the host's last `markSaved()`. */
  get unsaved(): boolean {
    return this.autosaver.unsaved;
  }

  /** A new stack gets its document: the host's, if it set one for this stack, else a fresh one. */
  protected adoptDocument(stack: ImageStack): void {
    const before = this.annotations.document;
    this.annotations.adopt(stack, (this.constructor as typeof ViewerAnnotationsElement).createDocument);
    const after = this.annotations.document;
    this.autosaver.madeByViewer(after !== before ? after : undefined);
  }

  /** Creates the document for a new stack. Replace it to configure documents (history budget, id generator). */
  static createDocument: (stack: ImageStack) => AnnotationDocument = documentForStack;

  /**
   * The annotation document of the current stack: the viewer creates a fresh one for every new stack
   * (through `VxViewer.createDocument`). Hosts may replace it, e.g. with a document parsed from a file.
   */
  @property({ attribute: false })
  get document(): AnnotationDocument | undefined {
    return this.annotations.document;
  }
  set document(value: AnnotationDocument | undefined) {
    const old = this.document;
    if (old === value) return;
    this.endGesture();
    // Set while an image loads (or before any): it is that image's document, if the sizes agree.
    this.annotations.setDocument(value, this.loadingNextImage());
    this.notify({ document: true });
    this.requestUpdate('document', old);
  }

  /** The annotation editor: tools, tool options, selection, hide/lock, clipboard. Exists from construction. */
  get editor(): AnnotationEditor {
    return this.annotations.editor;
  }
  /** The selected annotation ids (and the hovered one); `viewer.selection.set([id])` selects. */
  get selection(): SelectionState {
    return this.annotations.selection;
  }
  /** The annotation renderer, while a layer is inside the viewer. For tests and benchmarks. */
  get annotationRenderer(): AnnotationRenderer | undefined {
    return this.annotations.renderer;
  }
  /** The kinds the layers inside the viewer draw (empty without layers). */
  get layerKinds(): ReadonlySet<AnnotationKind> {
    return this.annotations.kinds;
  }
  /** A layer element declares the kinds it draws, the tools it brings and their options; returns its removal. */
  addLayer(layer: LayerContribution): () => void {
    return this.annotations.addLayer(layer);
  }

  /** The stack on screen (see `VxViewer.stack`). */
  abstract get stack(): ImageStack | undefined;
  /** Ends the active tool's gesture (the viewer's one rule: see `VxViewer`). */
  protected abstract endGesture(): void;
  /** No image is shown yet, or another one is loading: a document set now is meant for that image. */
  protected abstract loadingNextImage(): boolean;
}
