/**
 * Event classes of the voxmark elements: one class per event, all bubbling and composed, with a typed
 * `detail`. Listen with `el.addEventListener('vx-slice-change', (e) => e.detail.slice)`.
 * @module
 */
import type { ImageStack } from '../core/image/types.js';
import type { VoxmarkError } from '../core/errors.js';
import type { Annotation, ChangeOrigin } from '../core/annotation/types.js';
import type { StoreResult } from '../core/dicomweb/stow.js';

const init = { bubbles: true, composed: true } as const;

/** Why a value changed: a user gesture or key, or cine playback. */
export type ChangeSource = 'wheel' | 'keyboard' | 'drag' | 'cine' | 'preset' | 'user';

/** `vx-load`: the first slice of a new stack is on screen. */
export class VxLoadEvent extends CustomEvent<{ stack: ImageStack }> {
  static readonly type = 'vx-load';
  constructor(stack: ImageStack) {
    super(VxLoadEvent.type, { ...init, detail: { stack } });
  }
}

/** `vx-error`: loading or decoding failed. The view shows the error too. */
export class VxErrorEvent extends CustomEvent<{ error: VoxmarkError }> {
  static readonly type = 'vx-error';
  constructor(error: VoxmarkError) {
    super(VxErrorEvent.type, { ...init, detail: { error } });
  }
}

/** `vx-slice-change`: the user moved to another slice (not fired when the host sets `slice`). */
export class VxSliceChangeEvent extends CustomEvent<{
  slice: number;
  previous: number;
  source: ChangeSource;
}> {
  static readonly type = 'vx-slice-change';
  constructor(slice: number, previous: number, source: ChangeSource) {
    super(VxSliceChangeEvent.type, { ...init, detail: { slice, previous, source } });
  }
}

/** `vx-window-change`: the user changed window, level or inversion (not fired when the host sets them). */
export class VxWindowChangeEvent extends CustomEvent<{
  center: number;
  width: number;
  invert: boolean;
  source: ChangeSource;
}> {
  static readonly type = 'vx-window-change';
  constructor(center: number, width: number, invert: boolean, source: ChangeSource) {
    super(VxWindowChangeEvent.type, { ...init, detail: { center, width, invert, source } });
  }
}

/** `vx-view-change`: the user zoomed or panned (not fired when the host sets `zoom`). */
export class VxViewChangeEvent extends CustomEvent<{ zoom: number; centerX: number; centerY: number }> {
  static readonly type = 'vx-view-change';
  constructor(zoom: number, centerX: number, centerY: number) {
    super(VxViewChangeEvent.type, { ...init, detail: { zoom, centerX, centerY } });
  }
}

/** `vx-tool-change`: the active tool changed through the keymap or a toolbar (not when the host sets `tool`). */
export class VxToolChangeEvent extends CustomEvent<{ tool: string; previous: string }> {
  static readonly type = 'vx-tool-change';
  constructor(tool: string, previous: string) {
    super(VxToolChangeEvent.type, { ...init, detail: { tool, previous } });
  }
}

/**
 * `vx-viewer-connected`: a viewer entered the page. Controls bound by `for=` (toolbar, label picker, export
 * panel) listen for it to find a viewer added after them, or one that replaced a viewer with the same id.
 */
export class VxViewerConnectedEvent extends Event {
  static readonly type = 'vx-viewer-connected';
  constructor() {
    super(VxViewerConnectedEvent.type, init);
  }
}

declare global {
  interface HTMLElementEventMap {
    'vx-viewer-connected': VxViewerConnectedEvent;
    'vx-load': VxLoadEvent;
    'vx-error': VxErrorEvent;
    'vx-slice-change': VxSliceChangeEvent;
    'vx-window-change': VxWindowChangeEvent;
    'vx-view-change': VxViewChangeEvent;
    'vx-tool-change': VxToolChangeEvent;
  }
}

// ---- annotation events (fired by the annotation layers on the <vx-viewer>) -------------------------

/** Why the document changed: a new edit, or a history move. */
export type AnnotationChangeCause = 'edit' | 'undo' | 'redo';

/** Common detail of the annotation change events. */
export interface AnnotationChangeDetail {
  annotations: Annotation[];
  origin: ChangeOrigin;
  cause: AnnotationChangeCause;
}

/** `vx-annotation-create`: annotations were added (once per committed change, never per pointer move). */
export class VxAnnotationCreateEvent extends CustomEvent<AnnotationChangeDetail> {
  static readonly type = 'vx-annotation-create';
  constructor(detail: AnnotationChangeDetail) {
    super(VxAnnotationCreateEvent.type, { ...init, detail });
  }
}

/** `vx-annotation-update`: annotations changed; `annotations` are the new versions, `previous` the old. */
export class VxAnnotationUpdateEvent extends CustomEvent<
  AnnotationChangeDetail & { previous: Annotation[] }
> {
  static readonly type = 'vx-annotation-update';
  constructor(detail: AnnotationChangeDetail & { previous: Annotation[] }) {
    super(VxAnnotationUpdateEvent.type, { ...init, detail });
  }
}

/** `vx-annotation-delete`: annotations were removed. */
export class VxAnnotationDeleteEvent extends CustomEvent<AnnotationChangeDetail> {
  static readonly type = 'vx-annotation-delete';
  constructor(detail: AnnotationChangeDetail) {
    super(VxAnnotationDeleteEvent.type, { ...init, detail });
  }
}

/** `vx-annotation-delete-request`: the user asked to delete `ids`. Cancelable: `preventDefault()` vetoes. */
export class VxAnnotationDeleteRequestEvent extends CustomEvent<{ ids: string[] }> {
  static readonly type = 'vx-annotation-delete-request';
  constructor(ids: string[]) {
    super(VxAnnotationDeleteRequestEvent.type, { ...init, cancelable: true, detail: { ids } });
  }
}

/** `vx-selection-change`: the selected annotation ids changed. */
export class VxSelectionChangeEvent extends CustomEvent<{ ids: string[] }> {
  static readonly type = 'vx-selection-change';
  constructor(ids: string[]) {
    super(VxSelectionChangeEvent.type, { ...init, detail: { ids } });
  }
}

/** `vx-history-change`: undo/redo availability after a local edit, undo or redo. */
export class VxHistoryChangeEvent extends CustomEvent<{
  canUndo: boolean;
  canRedo: boolean;
  cause: AnnotationChangeCause;
}> {
  static readonly type = 'vx-history-change';
  constructor(canUndo: boolean, canRedo: boolean, cause: AnnotationChangeCause) {
    super(VxHistoryChangeEvent.type, { ...init, detail: { canUndo, canRedo, cause } });
  }
}

/** One DICOM series found among dropped or chosen files (`stack.metadata.series`). */
export interface SeriesFound {
  seriesInstanceUID?: string;
  modality?: string;
  seriesDescription?: string;
  instances: number;
  frames: number;
}

/**
 * `vx-series-found`: the files held several DICOM series. The viewer shows the largest (`detail.index`, 0)
 * and lists them all, largest first; `viewer.openSeries(i)` shows another.
 */
export class VxSeriesFoundEvent extends CustomEvent<{ series: SeriesFound[]; index: number }> {
  static readonly type = 'vx-series-found';
  constructor(series: SeriesFound[], index: number) {
    super(VxSeriesFoundEvent.type, { ...init, detail: { series, index } });
  }
}

/** One file passed over because it holds no image (`stack.metadata.skipped`). */
export interface SkippedFile {
  index: number;
  name: string;
  code: string;
  reason: string;
}

/** `vx-files-skipped`: files that hold no image (a README, a DICOMDIR) were passed over; the rest loaded. */
export class VxFilesSkippedEvent extends CustomEvent<{ skipped: SkippedFile[] }> {
  static readonly type = 'vx-files-skipped';
  constructor(skipped: SkippedFile[]) {
    super(VxFilesSkippedEvent.type, { ...init, detail: { skipped } });
  }
}

declare global {
  interface HTMLElementEventMap {
    'vx-series-found': VxSeriesFoundEvent;
    'vx-files-skipped': VxFilesSkippedEvent;
  }
}

declare global {
  interface HTMLElementEventMap {
    'vx-annotation-create': VxAnnotationCreateEvent;
    'vx-annotation-update': VxAnnotationUpdateEvent;
    'vx-annotation-delete': VxAnnotationDeleteEvent;
    'vx-annotation-delete-request': VxAnnotationDeleteRequestEvent;
    'vx-selection-change': VxSelectionChangeEvent;
    'vx-history-change': VxHistoryChangeEvent;
  }
}

// ---- label picker ----------------------------------------------------------------------------------

/**
 * `vx-active-label-change`: the user chose another active label, in a `<vx-label-picker>` or with a label key
 * (`label-1`…`label-9`) in a `<vx-viewer>`. A bound picker repeats a viewer's key choice to its own listeners
 * with `forwarded` set: that copy neither bubbles nor leaves the picker, so the page hears each choice once.
 */
export class VxActiveLabelChangeEvent extends CustomEvent<{ label: string; previous: string | undefined }> {
  static readonly type = 'vx-active-label-change';
  constructor(label: string, previous: string | undefined, forwarded = false) {
    super(VxActiveLabelChangeEvent.type, {
      ...(forwarded ? { bubbles: false, composed: false } : init),
      detail: { label, previous },
    });
  }
}

declare global {
  interface HTMLElementEventMap {
    'vx-active-label-change': VxActiveLabelChangeEvent;
  }
}

// ---- export panel ----------------------------------------------------------------------------------

/** The formats `<vx-export-panel>` writes: one document's, or `'dataset'` (a zip of several series). */
export type ExportFormat = 'voxmark' | 'coco' | 'seg' | 'nifti' | 'dataset';

/** `vx-export`: an export produced a file. Cancelable: `preventDefault()` stops the download. */
export class VxExportEvent extends CustomEvent<{ format: ExportFormat; filename: string; blob: Blob }> {
  static readonly type = 'vx-export';
  constructor(format: ExportFormat, filename: string, blob: Blob) {
    super(VxExportEvent.type, { ...init, cancelable: true, detail: { format, filename, blob } });
  }
}

/**
 * `vx-store`: the archive answered a "Save to PACS": `detail.result` is the STOW-RS answer (`status`
 * `'stored'`, `'warning'` or `'failed'`, with reasons), `detail.url` and `detail.studyInstanceUID` where it went.
 */
export class VxStoreEvent extends CustomEvent<{
  result: StoreResult;
  url: string;
  studyInstanceUID: string;
}> {
  static readonly type = 'vx-store';
  constructor(result: StoreResult, url: string, studyInstanceUID: string) {
    super(VxStoreEvent.type, { ...init, detail: { result, url, studyInstanceUID } });
  }
}

declare global {
  interface HTMLElementEventMap {
    'vx-export': VxExportEvent;
    'vx-store': VxStoreEvent;
  }
}

// ---- autosave --------------------------------------------------------------------------------------

/** When a draft was saved and how many annotations it holds. */
export interface DraftInfo {
  count: number;
  /** Milliseconds since the epoch. */
  savedAt: number;
}

/** `vx-restore`: an autosaved draft of this stack was put back into the viewer's document. */
export class VxRestoreEvent extends CustomEvent<DraftInfo> {
  static readonly type = 'vx-restore';
  constructor(info: DraftInfo) {
    super(VxRestoreEvent.type, { ...init, detail: { ...info } });
  }
}

/**
 * `vx-draft-found`: the host set its own document, and an autosaved draft of this stack exists. Call
 * `viewer.restoreDraft()` to replace the document with it (one undo step) or `viewer.discardDraft()`.
 */
export class VxDraftFoundEvent extends CustomEvent<DraftInfo> {
  static readonly type = 'vx-draft-found';
  constructor(info: DraftInfo) {
    super(VxDraftFoundEvent.type, { ...init, detail: { ...info } });
  }
}

/**
 * `vx-draft-conflict`: another page has the same stack open with autosave on. Only one page autosaves a
 * stack at a time: `detail.saving` says whether this one does. A page that does not takes over when the
 * other closes; neither overwrites the other's draft silently.
 */
export class VxDraftConflictEvent extends CustomEvent<{ saving: boolean }> {
  static readonly type = 'vx-draft-conflict';
  constructor(saving: boolean) {
    super(VxDraftConflictEvent.type, { ...init, detail: { saving } });
  }
}

declare global {
  interface HTMLElementEventMap {
    'vx-restore': VxRestoreEvent;
    'vx-draft-found': VxDraftFoundEvent;
    'vx-draft-conflict': VxDraftConflictEvent;
  }
}

// ---- multiplanar view ------------------------------------------------------------------------------

/**
 * `vx-crosshair-change` (`<vx-mpr>`): the user moved the linked crosshair, by a click or drag in a plane or by
 * scrolling one. `position` is the point in patient coordinates (LPS, mm); `voxel` the source voxel
 * `[column, row, slice]` nearest to it, in the stack's acquisition order (the indices `document.getVolume`
 * uses).
 */
export class VxCrosshairChangeEvent extends CustomEvent<{
  position: [number, number, number];
  voxel: [number, number, number];
}> {
  static readonly type = 'vx-crosshair-change';
  constructor(position: [number, number, number], voxel: [number, number, number]) {
    super(VxCrosshairChangeEvent.type, { ...init, detail: { position, voxel } });
  }
}

declare global {
  interface HTMLElementEventMap {
    'vx-crosshair-change': VxCrosshairChangeEvent;
  }
}
