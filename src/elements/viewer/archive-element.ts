/**
 * The archive side of `<vx-viewer>`'s public API: the `dicomweb`, `study` and `series` attributes that load a
 * series from a DICOMweb archive, the authentication a host hands over, and the stored segmentations of the
 * series on screen.
 * @module
 */
import type { PropertyValues } from 'lit';
import { property } from 'lit/decorators.js';
import type { Annotation } from '../../core/annotation/types.js';
import type { HeadersSource } from '../../core/dicomweb/http.js';
import type { SegmentationSummary } from '../../core/dicomweb/segmentations.js';
import type { VoxmarkError } from '../../core/errors.js';
import type { ImageStack } from '../../core/image/types.js';
import { DicomWebController, type DicomWebSource } from '../controllers/dicomweb-controller.js';
import { VxErrorEvent } from '../events.js';
import { ViewerToolsElement } from './tools-element.js';

/** What the view shows while the stack loads: the stack controller's state, or the archive's. */
export interface LoadView {
  readonly error: VoxmarkError | undefined;
  readonly reading: boolean;
  readonly decoding: boolean;
  readonly live: string;
}

/** Base of `<vx-viewer>` (above the tools): series from a DICOMweb archive. */
export abstract class ViewerArchiveElement extends ViewerToolsElement {
  /**
   * DICOMweb service root (e.g. `https://pacs.example.org/dicom-web`). With `study` and `series`, the viewer
   * loads that series through `loadDicomWeb`; changing any of the three aborts the load in flight.
   */
  @property() dicomweb: string | undefined;
  /** Study Instance UID of the series named by `dicomweb`. */
  @property() study: string | undefined;
  /** Series Instance UID of the series named by `dicomweb`. */
  @property() series: string | undefined;
  /**
   * Headers sent with every DICOMweb request (`{ Authorization: 'Bearer …' }`), or a function returning them
   * before each request (a token that refreshes). Property only; never logged.
   */
  @property({ attribute: false }) headers: HeadersSource | undefined;
  /** The `fetch` DICOMweb requests go through instead of the global one (auth, a service worker). Property only. */
  @property({ attribute: false }) fetch: typeof globalThis.fetch | undefined;

  protected readonly archive = new DicomWebController(this, (error) =>
    this.dispatchEvent(new VxErrorEvent(error)),
  );

  /** The stack on screen (see `VxViewer.stack`). */
  abstract override get stack(): ImageStack | undefined;
  abstract override set stack(value: ImageStack | undefined);

  /**
   * The DICOMweb archive and series the stack on screen came from (through `dicomweb`/`study`/`series`, a
   * `<vx-study-browser>`, or a stack from `loadDicomWeb`), with the viewer's `headers` and `fetch`; undefined
   * for files.
   */
  get dicomWebSource(): DicomWebSource | undefined {
    return this.archive.source;
  }
  /** The DICOM SEGs the archive holds for the series on screen, newest first. Rejects for a stack not from DICOMweb. */
  storedSegmentations(): Promise<SegmentationSummary[]> {
    return this.archive.storedSegmentations();
  }
  /**
   * Retrieves a stored DICOM SEG (by SOP Instance UID, or a summary from `storedSegmentations()`) and adds its
   * segments to the document as annotations, as one undoable change. Segments whose label the schema lacks
   * are counted in `skipped`.
   */
  loadSegmentation(
    sopInstanceUID: string | SegmentationSummary,
  ): Promise<{ annotations: Annotation[]; skipped: number }> {
    return this.archive.loadSegmentation(sopInstanceUID);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    if (changed.has('dicomweb') || changed.has('study') || changed.has('series')) this.archive.sync();
  }

  /** While a DICOMweb series' metadata is read, or after it failed, the view says so (no drop zone). */
  protected loadView(load: LoadView): LoadView {
    const web = this.archive;
    if (!(web.loading || (web.error && !load.error))) return load;
    return {
      error: load.error ?? web.error,
      reading: load.reading || web.loading,
      decoding: load.decoding,
      live: load.live,
    };
  }
}
