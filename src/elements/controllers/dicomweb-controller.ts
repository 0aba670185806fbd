/**
 * DICOMweb for a viewer: the series named by its `dicomweb`, `study` and `series` attributes, and the DICOM
 * SEGs an archive holds for the series on screen.
 * @module
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { AnnotationDocument } from '../../core/annotation/document.js';
import type { Annotation } from '../../core/annotation/types.js';
import { ErrorCode, VoxmarkError, isAbortError, toVoxmarkError } from '../../core/errors.js';
import type { DicomWebImageStack } from '../../core/dicomweb/load.js';
import type { HeadersSource } from '../../core/dicomweb/http.js';
import type { SegmentationSummary } from '../../core/dicomweb/segmentations.js';
import type { ImageStack } from '../../core/image/types.js';
import type { LabelSchema } from '../../core/schema/types.js';

/** Where a viewer's series lives in a DICOMweb archive, and how to reach it. */
export interface DicomWebSource {
  /** The service root, e.g. `https://pacs.example.org/dicom-web`. */
  url: string;
  studyInstanceUID: string;
  seriesInstanceUID: string;
  headers?: HeadersSource;
  fetch?: typeof fetch;
}

/** What the controller reads from, and sets on, its viewer. */
export interface DicomWebHost extends ReactiveControllerHost {
  dicomweb: string | undefined;
  study: string | undefined;
  series: string | undefined;
  headers: HeadersSource | undefined;
  fetch: typeof fetch | undefined;
  stack: ImageStack | undefined;
  readonly document: AnnotationDocument | undefined;
  readonly labelSchema: LabelSchema | undefined;
}

/**
 * Loads the series the viewer's attributes name through `loadDicomWeb` (one load at a time: changing an
 * attribute aborts the load in flight and disposes the stack it replaces), and lists and loads back the SEGs
 * stored for the series on screen. Failures of the load go to `failed` (the viewer fires `vx-error`).
 */
export class DicomWebController implements ReactiveController {
  #host: DicomWebHost;
  #failed: (error: VoxmarkError) => void;
  #task: AbortController | undefined;
  /** The stack this controller loaded: disposed when another replaces it. */
  #loaded: DicomWebImageStack | undefined;
  #key = '';
  #error: VoxmarkError | undefined;
  #failedOn: ImageStack | undefined;

  /** Why the last load by attributes failed, while the viewer still shows what it showed then. */
  get error(): VoxmarkError | undefined {
    return this.#error && this.#host.stack === this.#failedOn ? this.#error : undefined;
  }

  constructor(host: DicomWebHost, failed: (error: VoxmarkError) => void) {
    this.#host = host;
    this.#failed = failed;
    host.addController(this);
  }

  /** True while the series' metadata is being read. */
  get loading(): boolean {
    return this.#task !== undefined;
  }

  hostDisconnected(): void {
    this.#task?.abort();
  }

  /** Starts loading when `dicomweb`, `study` or `series` name another series than the last load. */
  sync(): void {
    const { dicomweb: url, study, series } = this.#host;
    const key = url && study && series ? `${url}\n${study}\n${series}` : '';
    if (key === this.#key) return;
    this.#key = key;
    this.#task?.abort();
    this.#task = undefined;
    this.#error = undefined;
    if (key) void this.#open(url!, study!, series!);
  }

  async #open(url: string, studyInstanceUID: string, seriesInstanceUID: string): Promise<void> {
    const task = new AbortController();
    this.#task = task;
    this.#host.requestUpdate();
    const { headers, fetch } = this.#host;
    try {
      // The archive client loads on first use: a viewer that shows files never fetches it.
      const { loadDicomWeb } = await import('../../core/dicomweb/load.js');
      const stack = await loadDicomWeb({
        url,
        studyInstanceUID,
        seriesInstanceUID,
        signal: task.signal,
        ...(headers ? { headers } : {}),
        ...(fetch ? { fetch } : {}),
      });
      if (task.signal.aborted) {
        stack.dispose();
        return;
      }
      const old = this.#loaded;
      this.#loaded = stack;
      this.#host.stack = stack;
      if (old && old !== stack) old.dispose();
    } catch (e) {
      if (task.signal.aborted || isAbortError(e)) return;
      this.#error = toVoxmarkError(e, ErrorCode.FetchFailed, 'Could not load the series');
      this.#failedOn = this.#host.stack;
      this.#failed(this.#error);
    } finally {
      if (this.#task === task) {
        this.#task = undefined;
        this.#host.requestUpdate();
      }
    }
  }

  /**
   * The archive the stack on screen came from: a stack `loadDicomWeb` made (by these attributes, a
   * `<vx-study-browser>` or the host), reached with the viewer's `headers` and `fetch`.
   */
  get source(): DicomWebSource | undefined {
    const stack = this.#host.stack;
    if (!isDicomWebStack(stack)) return undefined;
    const { headers, fetch } = this.#host;
    return {
      url: stack.url,
      studyInstanceUID: stack.studyInstanceUID,
      seriesInstanceUID: stack.seriesInstanceUID,
      ...(headers ? { headers } : {}),
      ...(fetch ? { fetch } : {}),
    };
  }

  #requireSource(): DicomWebSource {
    const source = this.source;
    if (!source) {
      throw new VoxmarkError(
        ErrorCode.InvalidArgument,
        'The series on screen was not loaded through DICOMweb',
      );
    }
    return source;
  }

  /** The SEGs stored for the series on screen, newest first. */
  async storedSegmentations(): Promise<SegmentationSummary[]> {
    const { findSegmentations } = await import('../../core/dicomweb/segmentations.js');
    return findSegmentations(this.#requireSource());
  }

  /**
   * Retrieves a stored SEG and adds its segments to the document as annotations, as one change (one undo
   * step). Segments whose label the schema lacks are left out and counted in `skipped`.
   */
  async loadSegmentation(
    which: string | SegmentationSummary,
    options: { signal?: AbortSignal } = {},
  ): Promise<{ annotations: Annotation[]; skipped: number }> {
    const source = this.#requireSource();
    const stack = this.#host.stack!;
    const schema = this.#host.labelSchema;
    if (!schema) throw new VoxmarkError(ErrorCode.InvalidArgument, 'The viewer has no label schema');
    const summary =
      typeof which === 'string'
        ? (await this.storedSegmentations()).find((s) => s.sopInstanceUID === which)
        : which;
    if (!summary) {
      throw new VoxmarkError(ErrorCode.NotFound, `No stored segmentation ${String(which)} for this series`);
    }
    const [{ retrieveInstance }, { fromDicomSeg }] = await Promise.all([
      import('../../core/dicomweb/wado.js'),
      import('../../core/formats/seg.js'),
    ]);
    const bytes = await retrieveInstance({
      ...source,
      seriesInstanceUID: summary.seriesInstanceUID,
      sopInstanceUID: summary.sopInstanceUID,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    const imported = await fromDicomSeg(bytes, {
      stack,
      schema,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    if (this.#host.stack !== stack) throw new VoxmarkError(ErrorCode.Aborted, 'The stack changed meanwhile');
    const doc = imported.document!;
    const inputs = doc.annotations.map(({ id: _id, mask: _mask, ...rest }) =>
      rest.kind === 'mask' ? { ...rest, mask: { data: doc.getMask(_id)!.data } } : rest,
    );
    const target = this.#host.document;
    if (!target) throw new VoxmarkError(ErrorCode.InvalidArgument, 'The viewer has no document');
    const annotations = inputs.length ? target.add(inputs) : [];
    return { annotations, skipped: imported.report?.unmappedSegments.length ?? 0 };
  }
}

/** A stack `loadDicomWeb` made (told by its shape, so the client itself loads only when used). */
function isDicomWebStack(stack: ImageStack | undefined): stack is DicomWebImageStack {
  const s = stack as Partial<DicomWebImageStack> | undefined;
  return (
    typeof s?.url === 'string' &&
    typeof s.studyInstanceUID === 'string' &&
    typeof s.seriesInstanceUID === 'string' &&
    typeof s.dispose === 'function' &&
    typeof s.prefetch === 'function'
  );
}
