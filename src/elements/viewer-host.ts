/**
 * The contract between `<vx-viewer>` and the annotation layers placed inside it
 * (`<vx-box-layer>`, `<vx-polygon-layer>`, `<vx-mask-layer>`, host-written layers).
 *
 * A layer finds its host either through `@lit/context` ({@link viewerHostContext}, provided by every
 * `<vx-viewer>`), or with `await customElements.whenDefined('vx-viewer'); this.closest('vx-viewer')`
 * (the element implements {@link ViewerHost}). The Konva stage exists as soon as the viewer element
 * is constructed, so a layer may create its Konva layer in `connectedCallback`.
 *
 * Coordinates: image pixel coordinates have their origin at the top-left corner of the top-left
 * pixel; pixel (i, j) covers [i, i+1) × [j, j+1). Layers made by {@link ViewerHost.createLayer} carry
 * the image → stage transform (zoom, pan and the pixel aspect ratio), so shapes are drawn in image
 * pixels. Use `strokeScaleEnabled: false` on shapes for strokes of constant screen width, and divide
 * handle sizes by {@link ViewState.scaleX} for handles of constant screen size.
 *
 * @module
 */
import { createContext } from '@lit/context';
import type Konva from 'konva/lib/Core';
import type { ImageStack, Frame } from '../core/image/types.js';
import type { ReformattedStack } from '../core/image/reformat.js';
import type { LayerOptions } from '../render/viewer-stage.js';
import type { ViewState } from '../render/view.js';
import type { LabelSchema } from '../core/schema/types.js';
import type { Keymap } from '../core/keymap.js';
import type { Annotation, ChangeSet } from '../core/annotation/types.js';
import type { AnnotationDocument } from '../core/annotation/document.js';
import type { AnnotationEditor } from '../core/tools/editor.js';
import type { SelectionState } from '../core/session/selection.js';
import type { AnnotationKind } from '../core/annotation/types.js';
import type { EditorTools, ToolOptions } from '../core/tools/editor.js';

/** What a layer element brings: the kinds it draws, the tools it provides and the options it sets. */
export interface LayerContribution {
  kinds: AnnotationKind[];
  tools: (keyof EditorTools)[];
  options?: Partial<ToolOptions>;
}

/** A pointer event converted to image pixel coordinates. */
export interface ImagePointerEvent {
  type: 'down' | 'move' | 'up' | 'cancel' | 'dblclick';
  /** Image pixel coordinates (fractional). */
  x: number;
  y: number;
  /** `PointerEvent.button`: 0 left, 1 middle, 2 right (-1 on move). */
  button: number;
  /** `PointerEvent.buttons` bit mask. */
  buttons: number;
  shiftKey: boolean;
  altKey: boolean;
  ctrlKey: boolean;
  metaKey: boolean;
  /** Pen pressure in [0, 1] when the device reports it. */
  pressure?: number;
  pointerId: number;
  pointerType: string;
  /** Page (client) coordinates, for hit tolerances in screen pixels. */
  clientX: number;
  clientY: number;
  /** Current slice when the event happened. */
  slice: number;
  /** The original DOM event (call `preventDefault` etc. only if you must). */
  originalEvent: PointerEvent | MouseEvent;
}

/**
 * An annotation tool's input handler, registered with {@link ViewerHost.registerTool}. When
 * `viewer.tool` names it, left-button input goes to the handler; the keymap's pointer bindings (by
 * default wheel, right-drag to window, middle-drag and Space+drag to pan, Ctrl+wheel to zoom) stay
 * with the viewer. A host may bind a modified left drag (e.g. `Shift+LeftDrag`); the tool then does
 * not see that combination.
 */
export interface ToolHandler {
  /** CSS cursor over the view while the tool is active. */
  cursor?: string;
  /**
   * Why a drag with this tool would do nothing now, in plain words (the active label does not allow what it
   * draws); undefined when it can act. The viewer shows a `not-allowed` cursor and `toolAllowed()` is false.
   */
  readonly blockedReason?: string | undefined;
  /** The tool became active. */
  activate?(): void;
  /** The tool is being switched away from. The viewer calls `cancel()` first. */
  deactivate?(): void;
  onPointerDown?(e: ImagePointerEvent): void;
  /** Moves with or without a button down (hover), in image coordinates. */
  onPointerMove?(e: ImagePointerEvent): void;
  onPointerUp?(e: ImagePointerEvent): void;
  onDoubleClick?(e: ImagePointerEvent): void;
  /** The pointer left the view. */
  onPointerLeave?(): void;
  /**
   * A key went down while the viewer had focus. `actions` are the keymap actions the key matches,
   * in keymap order. Return true when the tool consumed the key: the viewer then does nothing more.
   */
  onKeyDown?(e: KeyboardEvent, actions: readonly string[]): boolean;
  onKeyUp?(e: KeyboardEvent): void;
  /** Abandon the gesture in progress, leaving nothing behind (Esc, tool switch, undo mid-gesture, slice change). */
  cancel?(): void;
  /** Finish the gesture in progress (Enter). */
  complete?(): void;
}

/** Handles a keymap action. Return true when handled (the key is then consumed). */
export type ActionHandler = (e: KeyboardEvent | undefined) => boolean;

/** What changed, passed to subscribers of {@link ViewerHost.subscribe}. */
export interface ViewerChange {
  /** The current slice index. */
  slice?: boolean;
  /** Zoom, pan or view size. */
  view?: boolean;
  /** A new stack (and a new document). */
  stack?: boolean;
  /** The displayed frame (the current slice finished decoding). */
  frame?: boolean;
  tool?: boolean;
  activeLabel?: boolean;
  labelSchema?: boolean;
  document?: boolean;
  keymap?: boolean;
  /** Window, level or inversion. */
  window?: boolean;
  /** The viewer left the page (elements bound to it by id look for it again). */
  disconnected?: boolean;
  /** Another plane of the same stack is on screen (`orientation` changed). */
  plane?: boolean;
}

/**
 * @deprecated The host exposes the full `AnnotationDocument` now; kept for code written against the first contract.
 * The part of the AnnotationDocument the viewer relies on. The document class itself lives in
 * `src/core/annotation/document.ts`; this structural type keeps the viewer independent of its internals.
 */
export interface ViewerDocument {
  readonly annotations: readonly Annotation[];
  undo(): unknown;
  redo(): unknown;
  readonly canUndo: boolean;
  readonly canRedo: boolean;
  subscribe?(listener: (change: ChangeSet) => void): () => void;
}

/** What `<vx-viewer>` offers to the layers inside it. */
export interface ViewerHost {
  /** The one Konva stage of this viewer. Exists from construction on. */
  readonly stage: Konva.Stage;
  /** The Konva layer that shows the image (lowest). Do not draw on it. */
  readonly imageLayer: Konva.Layer;
  /** A shared image-space layer above the image, for light annotation shapes. */
  readonly annotationLayer: Konva.Layer;
  /**
   * Adds a Konva layer (its own canvas) above the image. Image-space layers follow zoom and pan:
   * draw in image pixels. Remove it with `layer.destroy()` when the layer element disconnects.
   * Konva's automatic redraws and `layer.batchDraw()` on it go through the viewer's scheduler: the
   * layer draws at most once per animation frame, in the same frame as the image.
   */
  createLayer(name: string, options?: LayerOptions): Konva.Layer;

  readonly stack: ImageStack | undefined;
  /**
   * The plane on screen (`orientation`): the stack reformatted, with its mapping to the stack's voxels and to
   * patient space. `slice` and image coordinates are this plane's. Undefined without a stack.
   */
  readonly plane?: ReformattedStack | undefined;
  /** The decoded frame of the current slice, once available (undefined while the first decode runs). */
  readonly frame: Frame | undefined;
  /** Current slice index (0-based, into `stack.slices`). */
  readonly slice: number;
  readonly view: ViewState;
  readonly zoom: number;

  /** Page (client) coordinates → image pixel coordinates (fractional). */
  clientToImage(clientX: number, clientY: number): [number, number];
  /** Image pixel coordinates → page (client) coordinates. */
  imageToClient(x: number, y: number): [number, number];
  /**
   * Asks for a redraw of `layer` (or of every layer) in the next animation frame. Any number of
   * calls within a frame cost one draw per layer.
   */
  requestDraw(layer?: Konva.Layer): void;
  /** Calls `listener` after changes; returns the unsubscribe function. */
  subscribe(listener: (change: ViewerChange) => void): () => void;

  /** The annotations of the current stack (one document per stack), or undefined before a stack is set. */
  readonly document: AnnotationDocument | undefined;
  readonly labelSchema: LabelSchema | undefined;
  readonly activeLabel: string | undefined;
  /** The active tool name. */
  readonly tool: string;

  /** The annotation editor (tools, tool options, selection, hide/lock), owned by the viewer. */
  readonly editor: AnnotationEditor;
  /** The selected annotations. */
  readonly selection: SelectionState;
  /**
   * A layer element declares what it brings: the kinds it draws, the editor tools it provides and their
   * options. Returns the function that takes them back (call it when the layer disconnects).
   */
  addLayer(layer: LayerContribution): () => void;

  /** Registers an annotation tool's input handler; returns the unregister function. */
  registerTool(name: string, handler: ToolHandler): () => void;
  /**
   * Registers the handler of a keymap action (e.g. 'undo', 'delete'); returns the unregister function.
   * Several handlers may be registered for one action: the latest is tried first. Order for a key:
   * the active tool's `onKeyDown`, then registered handlers of every matching action (keymap order),
   * then the viewer's own actions. Return false to let the key fall through (nudge with no selection).
   */
  registerAction(action: string, handler: ActionHandler): () => void;
  /** The keymap in effect (viewer and annotation actions). Replace it with `viewer.keymap = …`. */
  readonly keymap: Keymap;
}

export type { LayerOptions, ViewState };

/** Context key under which `<vx-viewer>` provides itself to the elements inside it. */
export const viewerHostContext = createContext<ViewerHost | undefined>(Symbol('vx-viewer-host'));

/** Context key under which `<vx-viewer>` provides its annotation editor (selection, tools, tool options). */
export const editorContext = createContext<AnnotationEditor | undefined>(Symbol('vx-editor'));
