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
import { ViewerHubElement } from './hub-element.js';

/** Base of `<vx-viewer>` (above the hub): the annotations of the current stack. */
export abstract class ViewerAnnotationsElement extends ViewerHubElement {
  protected readonly annotations = new AnnotationController(this as unknown as AnnotationViewer);

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

  /** Ends the active tool's gesture (the viewer's one rule: see `VxViewer`). */
  protected abstract endGesture(): void;
  /** No image is shown yet, or another one is loading: a document set now is meant for that image. */
  protected abstract loadingNextImage(): boolean;
}
