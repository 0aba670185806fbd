import { LitElement, css, html, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import { VoxmarkError, toVoxmarkError, ErrorCode } from '../core/errors.js';
import { serializeDocument } from '../core/formats/document.js';
// The COCO, SEG and NIfTI writers load on the first export that needs each, out of the up-front JavaScript.
import type {
  DocumentLike,
  ExportOptions,
  ExportProgress,
  SkippedAnnotation,
} from '../core/formats/common.js';
import type { Problem } from '../core/schema/parse.js';
import type { ImageStack } from '../core/image/types.js';
import { validateDocument } from '../core/schema/validate.js';
import type { LabelSchema } from '../core/schema/types.js';
import type { HeadersSource } from '../core/dicomweb/http.js';
import type { SegmentationSummary } from '../core/dicomweb/segmentations.js';
import type { StoreResult } from '../core/dicomweb/stow.js';
import {
  DatasetFormats,
  type DatasetFormat,
  type DatasetItem,
  type DatasetProgress,
} from '../core/dataset/types.js';
import { VxExportEvent, VxStoreEvent, type ExportFormat } from './events.js';
import { LinkedViewerController, type LinkedViewer } from './controllers/linked-viewer.js';
import { showAnnotation } from './show-annotation.js';
import type { DicomWebSource, VxViewer } from './vx-viewer.js';

const FORMATS: { id: ExportFormat; label: string; description: string }[] = [
  {
    id: 'voxmark',
    label: 'voxmark JSON',
    description: 'Lossless document: schema, image references, every annotation',
  },
  { id: 'coco', label: 'COCO JSON', description: 'One image per slice; boxes, polygons and RLE masks' },
  { id: 'seg', label: 'DICOM SEG', description: 'Binary Segmentation referencing the source instances' },
  {
    id: 'nifti',
    label: 'NIfTI labelmap',
    description: '.nii.gz volume in RAS, with a JSON sidecar of the labels',
  },
];

const DATASET_FORMATS: Record<DatasetFormat, string> = {
  nnunet: 'nnU-Net v2',
  msd: 'MSD / MONAI',
  coco: 'COCO + PNG',
  yolo: 'YOLO',
  voxmark: 'voxmark JSON',
};

/**
 * Export buttons for a document: voxmark JSON, COCO, DICOM SEG and NIfTI (with its label sidecar). Shows
 * how many validation problems the document has, reports progress while a large export runs (exports
 * work in chunks and never block the page), and downloads the result. After each export the status says what
 * was written and what the format left out ("DICOM SEG: 12 masks written; 3 boxes and 1 line left out (tick
 * “Boxes and polygons as masks” …)"). An export of a document with validation problems (`validateDocument`)
 * is held back by a warning with "Show me" (the first problem's annotation, selected in the viewer) and
 * "Export anyway". Each file is announced first with
 * a cancelable `vx-export` event: a host that calls `preventDefault()` gets the Blob and handles it
 * itself (upload it, say) instead of the download.
 *
 * Binds to a `<vx-viewer>` named by `for` (or the enclosing one) for its document, stack and schema; or
 * set `document`, `stack` and `schema` directly. Exports never change the document.
 * The COCO, DICOM SEG and NIfTI writers load on the first export in their format, not with the panel.
 *
 * When the viewer's series came from DICOMweb (or the panel has a `dicomweb` URL and the stack has a Study
 * Instance UID), a "PACS" section offers "Save to PACS": the DICOM SEG stored next to its source study
 * (STOW-RS), a new SEG series and instance each time, with the archive's answer shown; and "Stored
 * segmentations": the SEGs the archive holds for the series, each loadable back into the viewer's document.
 *
 * With `datasetItems` (several annotated series held by the host), an "Export dataset" section writes them
 * as one zip through `exportDatasetBlob`, in the layouts ticked, with progress and refusals in words.
 *
 * @tag vx-export-panel
 * @summary Downloads the annotations as voxmark JSON, COCO, DICOM SEG or NIfTI.
 *
 * @fires vx-export - A file is ready: `detail.format` (`'dataset'` for the dataset zip), `detail.filename`, `detail.blob`. Cancelable.
 * @fires vx-store - The archive answered "Save to PACS": `detail.result` (`status` stored, warning or failed, with reasons), `detail.url`, `detail.studyInstanceUID`.
 * @fires vx-error - An export, a store or a load of a stored segmentation failed (`detail.error`, a VoxmarkError).
 *
 * @csspart panel - The container.
 * @csspart button - Every export button (also `button-<format>`).
 * @csspart rasterize - The "boxes and polygons as masks" checkbox.
 * @csspart progress - The progress bar while an export runs.
 * @csspart status - The status line (problems; after an export, what it wrote and what the format left out; errors).
 * @csspart warning - The warning that holds back an export of a document with validation problems.
 * @csspart show-me - Its "Show me" button: goes to the first problem's annotation and selects it.
 * @csspart export-anyway - Its "Export anyway" button.
 * @csspart cancel-export - Its "Cancel" button.
 * @csspart pacs - The PACS section ("Save to PACS" and "Stored segmentations").
 * @csspart save-pacs - The "Save to PACS" button.
 * @csspart pacs-status - The archive's answer to the last save, or why it failed.
 * @csspart stored-list - The list of stored segmentations.
 * @csspart dataset - The "Export dataset" section.
 * @csspart dataset-format - Each dataset layout checkbox.
 * @csspart export-dataset - The "Export dataset" button.
 * @csspart dataset-status - Progress and result of the dataset export, or why it was refused.
 *
 * @cssprop [--vx-export-background=#1e1e1e] - Background.
 * @cssprop [--vx-export-color=#e8e8e8] - Text colour.
 * @cssprop [--vx-export-accent=#1f6feb] - Button and focus colour.
 */
export class VxExportPanel extends LitElement {
  static override styles = css`
    :host {
      display: block;
      background: var(--vx-export-background, #1e1e1e);
      color: var(--vx-export-color, #e8e8e8);
      font:
        13px/1.3 system-ui,
        sans-serif;
      border-radius: 4px;
      padding: 8px;
    }
    [part~='panel'] {
      display: flex;
      flex-direction: column;
      gap: 8px;
    }
    .buttons {
      display: flex;
      flex-wrap: wrap;
      gap: 6px;
    }
    button {
      font: inherit;
      color: #fff;
      background: var(--vx-export-accent, #1f6feb);
      border: 0;
      border-radius: 4px;
      padding: 6px 10px;
      cursor: pointer;
    }
    button:disabled {
      opacity: 0.45;
      cursor: default;
    }
    button:focus-visible,
    input:focus-visible {
      outline: 2px solid #fff;
      outline-offset: 1px;
    }
    progress {
      width: 100%;
    }
    [part~='status'] {
      min-height: 1.3em;
      overflow-wrap: anywhere;
    }
    .error {
      color: #ff6b6b;
    }
    [part~='warning'] {
      border: 1px solid #f0b429;
      border-radius: 4px;
      padding: 6px 8px;
      background: #3a2f0b;
    }
    [part~='warning'] p {
      margin: 0 0 6px;
    }
    section {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 6px;
      border-top: 1px solid #ffffff22;
      padding-top: 8px;
    }
    h3 {
      flex-basis: 100%;
      margin: 0;
      font-size: inherit;
    }
    fieldset {
      flex-basis: 100%;
      border: 0;
      margin: 0;
      padding: 0;
      display: flex;
      flex-wrap: wrap;
      gap: 4px 10px;
    }
    legend {
      padding: 0 0 4px;
    }
    ul {
      flex-basis: 100%;
      list-style: none;
      margin: 0;
      padding: 0;
    }
    li {
      display: flex;
      justify-content: space-between;
      align-items: center;
      gap: 6px;
      padding: 2px 0;
    }
    section [role='status'] {
      flex-basis: 100%;
      overflow-wrap: anywhere;
    }
  `;

  @property({ attribute: false }) document: DocumentLike | undefined;
  @property({ attribute: false }) stack: ImageStack | undefined;
  @property({ attribute: false }) schema: LabelSchema | undefined;
  /** Id of the `<vx-viewer>` whose document is exported. */
  @property({ attribute: 'for' }) for = '';
  /** Base of the file names. Default: the series description, or 'annotations'. */
  @property({ attribute: 'file-base' }) fileBase = '';
  /** Burn boxes and polygons into the mask formats (SEG, NIfTI) and write them as RLE in COCO. */
  @property({ type: Boolean }) rasterize = false;
  /**
   * DICOMweb service root for "Save to PACS" when the viewer's stack was not loaded through DICOMweb (the
   * SEG goes into the stack's own study). Default: the archive the viewer's series came from.
   */
  @property() dicomweb: string | undefined;
  /** Headers for the PACS requests (default: the viewer's `headers`). Property only. */
  @property({ attribute: false }) headers: HeadersSource | undefined;
  /** The `fetch` PACS requests go through (default: the viewer's `fetch`). Property only. */
  @property({ attribute: false }) fetch: typeof globalThis.fetch | undefined;
  /** Annotated series for "Export dataset" (`exportDataset` items); the section shows when set and non-empty. */
  @property({ attribute: false }) datasetItems: DatasetItem[] | undefined;
  /** The dataset layouts ticked (the checkboxes change it). */
  @property({ attribute: false }) datasetFormats: DatasetFormat[] = ['nnunet', 'coco'];
  /** Dataset name: the zip's name and the name inside it. */
  @property({ attribute: 'dataset-name' }) datasetName = 'voxmark';
  /** Seed of the patient-grouped split (same seed, same split). */
  @property({ attribute: 'dataset-seed' }) datasetSeed = '0';
  /** Export series that are not de-identified (refused by default). */
  @property({ type: Boolean, attribute: 'allow-identified' }) allowIdentified = false;

  @state() private busy: ExportFormat | undefined;
  @state() private progress: ExportProgress | undefined;
  @state() private status = '';
  @state() private failed = false;
  @state() private revision = 0;
  @state() private pacsBusy: 'save' | 'load' | undefined;
  @state() private listing = false;
  @state() private pacsStatus = '';
  @state() private pacsFailed = false;
  @state() private stored: SegmentationSummary[] | undefined;
  @state() private datasetProgress: DatasetProgress | undefined;
  @state() private datasetStatus = '';
  @state() private datasetFailed = false;
  /** An export held back because the document has validation problems ("Show me" / "Export anyway"). */
  @state() private held: { format: ExportFormat } | undefined;

  private readonly linked = new LinkedViewerController(this, (viewer) => [
    viewer.subscribe(() => this.revision++),
  ]);
  private abort: AbortController | undefined;

  override connectedCallback(): void {
    super.connectedCallback();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.abort?.abort();
    this.docCleanup?.();
    this.docCleanup = undefined;
    this.boundDoc = undefined;
  }

  private docCleanup: (() => void) | undefined;
  private boundDoc: DocumentLike | undefined;

  protected override updated(): void {
    // Follow the document itself too: silent loads and host edits fire no element events.
    const doc = this.doc as (DocumentLike & { subscribe?: (fn: () => void) => () => void }) | undefined;
    if (doc !== this.boundDoc) {
      this.docCleanup?.();
      this.boundDoc = doc;
      this.docCleanup = doc?.subscribe?.(() => this.revision++);
    }
  }

  private get viewer(): LinkedViewer | undefined {
    return this.linked.viewer;
  }

  private get doc(): DocumentLike | undefined {
    return this.document ?? this.viewer?.document ?? undefined;
  }
  private get currentStack(): ImageStack | undefined {
    return this.stack ?? this.viewer?.stack;
  }
  private get currentSchema(): LabelSchema | undefined {
    return this.schema ?? this.viewer?.labelSchema;
  }

  private base(): string {
    const s = this.currentStack;
    const raw =
      this.fileBase ||
      (typeof s?.metadata['seriesDescription'] === 'string' ? s.metadata['seriesDescription'] : '') ||
      'annotations';
    return raw.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 80) || 'annotations';
  }

  /**
   * Runs one export and hands its files to the host (vx-export) or downloads them; the status line then says
   * what was written and what the format left out. A document with validation problems is held back with a
   * warning that offers "Show me" (the first problem's annotation) and "Export anyway", unless `anyway`.
   */
  async export(format: ExportFormat, options: { anyway?: boolean } = {}): Promise<void> {
    const doc = this.doc;
    const stack = this.currentStack;
    const schema = this.currentSchema;
    if (!doc || !stack || !schema || this.busy) return;
    const problems = this.problems(doc, schema, stack);
    if (problems.length && !options.anyway) {
      this.held = { format };
      return;
    }
    this.held = undefined;
    this.abort = new AbortController();
    const signal = this.abort.signal;
    this.busy = format;
    this.failed = false;
    this.progress = { done: 0, total: 1 };
    this.status = `Exporting ${FORMATS.find((f) => f.id === format)!.label}…`;
    const skipped: SkippedAnnotation[] = [];
    const writeOptions = {
      rasterize: this.rasterize,
      onProgress: (p: ExportProgress) => (this.progress = p),
      onSkip: (s: SkippedAnnotation) => skipped.push(s),
      signal,
    };
    try {
      const files = await this.write(format, doc, stack, schema, writeOptions);
      for (const f of files) {
        const event = new VxExportEvent(format, f.filename, f.blob);
        if (this.dispatchEvent(event)) download(f.filename, f.blob);
      }
      this.status = exportReport(format, doc, skipped, this.rasterize, files);
    } catch (e) {
      const error = VoxmarkError.is(e) ? e : toVoxmarkError(e, ErrorCode.ExportFailed, 'Export');
      this.failed = true;
      this.status = error.message;
      this.dispatchEvent(new CustomEvent('vx-error', { bubbles: true, composed: true, detail: { error } }));
    } finally {
      this.busy = undefined;
      this.progress = undefined;
      this.abort = undefined;
    }
  }

  /** The files of one export. */
  private async write(
    format: ExportFormat,
    doc: DocumentLike,
    stack: ImageStack,
    schema: LabelSchema,
    options: ExportOptions & { rasterize: boolean },
  ): Promise<{ filename: string; blob: Blob }[]> {
    const base = this.base();
    const json = (v: unknown) => new Blob([JSON.stringify(v)], { type: 'application/json' });
    if (format === 'voxmark')
      return [{ filename: `${base}.voxmark.json`, blob: json(serializeDocument(doc, { schema, stack })) }];
    if (format === 'coco') {
      const { toCocoAsync } = await import('../core/formats/coco.js');
      return [{ filename: `${base}.coco.json`, blob: json(await toCocoAsync(doc, stack, schema, options)) }];
    }
    if (format === 'seg') {
      const { toDicomSeg } = await import('../core/formats/seg.js');
      const bytes = await toDicomSeg(doc, stack, schema, options);
      return [{ filename: `${base}.seg.dcm`, blob: new Blob([bytes], { type: 'application/dicom' }) }];
    }
    const { niftiSidecar, toNifti } = await import('../core/formats/nifti.js');
    const bytes = await toNifti(doc, stack, schema, { ...options, gzip: true });
    return [
      { filename: `${base}.nii.gz`, blob: new Blob([bytes], { type: 'application/gzip' }) },
      { filename: `${base}.labels.json`, blob: json(niftiSidecar(schema, stack)) },
    ];
  }

  /**
   * "Show me" of the validation warning: goes to the slice of the first problem's annotation in the viewer
   * and selects it (the label picker then shows its attributes). The export stays held back.
   */
  showProblem(): boolean {
    const doc = this.doc;
    const stack = this.currentStack;
    const schema = this.currentSchema;
    if (!this.held || !doc || !stack || !schema) return false;
    const id = this.problems(doc, schema, stack).find((p) => p.annotationId)?.annotationId;
    return !!id && showAnnotation(this.viewer, id);
  }

  /** The viewer's DICOMweb side, when it has one. */
  private get archiveViewer(): Partial<DicomWebViewer> | undefined {
    return this.viewer as Partial<DicomWebViewer> | undefined;
  }

  /**
   * Where "Save to PACS" stores: the archive and study the viewer's series came from, or `dicomweb` and the
   * stack's Study Instance UID. Undefined when neither is known (the PACS section is hidden).
   */
  get pacsTarget(): { url: string; studyInstanceUID: string; source?: DicomWebSource } | undefined {
    const source = this.stack ? undefined : this.archiveViewer?.dicomWebSource;
    const study = this.currentStack?.metadata['studyInstanceUID'];
    const url = this.dicomweb || source?.url;
    const studyInstanceUID = source?.studyInstanceUID ?? (typeof study === 'string' ? study : undefined);
    if (!url || !studyInstanceUID) return undefined;
    return { url, studyInstanceUID, ...(source ? { source } : {}) };
  }

  private connection(): { headers?: HeadersSource; fetch?: typeof globalThis.fetch } {
    const headers = this.headers ?? this.archiveViewer?.headers;
    const fetch = this.fetch ?? this.archiveViewer?.fetch;
    return { ...(headers ? { headers } : {}), ...(fetch ? { fetch } : {}) };
  }

  /**
   * Stores the document as a new DICOM SEG in the source study (STOW-RS) and resolves with the archive's
   * answer, also shown in the panel and fired as `vx-store`. Each save is a new SEG series and instance.
   */
  async saveToPacs(): Promise<StoreResult | undefined> {
    const target = this.pacsTarget;
    const doc = this.doc;
    const stack = this.currentStack;
    const schema = this.currentSchema;
    if (!target || !doc || !stack || !schema || this.pacsBusy) return undefined;
    this.pacsBusy = 'save';
    this.pacsFailed = false;
    this.pacsStatus = 'Saving the segmentation to the PACS…';
    try {
      const [{ storeInstances }, seg] = await Promise.all([
        import('../core/dicomweb/stow.js'),
        import('../core/formats/seg.js').then(({ toDicomSeg }) =>
          toDicomSeg(doc, stack, schema, {
            rasterize: this.rasterize,
            seriesDescription: `${this.base()} SEG`,
          }),
        ),
      ]);
      const result = await storeInstances(target.url, [seg], {
        studyInstanceUID: target.studyInstanceUID,
        ...this.connection(),
      });
      this.pacsFailed = result.status === 'failed';
      this.pacsStatus = storeAnswerText(result);
      this.dispatchEvent(new VxStoreEvent(result, target.url, target.studyInstanceUID));
      if (result.status !== 'failed' && this.stored) void this.listStored();
      return result;
    } catch (e) {
      this.pacsFail(e, 'Saving to the PACS');
      return undefined;
    } finally {
      this.pacsBusy = undefined;
    }
  }

  /** Lists the SEGs the archive holds for the viewer's series ("Stored segmentations"). */
  async listStored(): Promise<SegmentationSummary[]> {
    const viewer = this.archiveViewer;
    if (!viewer?.storedSegmentations) return [];
    this.listing = true;
    try {
      this.stored = await viewer.storedSegmentations();
      return this.stored;
    } catch (e) {
      this.pacsFail(e, 'Listing the stored segmentations');
      return [];
    } finally {
      this.listing = false;
    }
  }

  /** Loads a stored SEG back into the viewer's document as one undoable change. */
  async loadStored(summary: SegmentationSummary): Promise<void> {
    const viewer = this.archiveViewer;
    if (!viewer?.loadSegmentation || this.pacsBusy) return;
    this.pacsBusy = 'load';
    this.pacsFailed = false;
    this.pacsStatus = `Loading ${segName(summary)}…`;
    try {
      const { annotations, skipped } = await viewer.loadSegmentation(summary);
      this.pacsStatus =
        `Loaded ${plural(annotations.length, 'annotation')} from ${segName(summary)}` +
        (skipped ? `; ${plural(skipped, 'segment')} with no matching label left out` : '');
    } catch (e) {
      this.pacsFail(e, 'Loading the stored segmentation');
    } finally {
      this.pacsBusy = undefined;
    }
  }

  private pacsFail(e: unknown, what: string): void {
    const error = VoxmarkError.is(e) ? e : toVoxmarkError(e, ErrorCode.FetchFailed, what);
    this.pacsFailed = true;
    this.pacsStatus = `${what} failed: ${error.message}${error.code === 'unauthorized' ? ' (not authorized: check the credentials)' : ''}`;
    this.dispatchEvent(new CustomEvent('vx-error', { bubbles: true, composed: true, detail: { error } }));
  }

  /**
   * Writes `datasetItems` as one zip in the ticked layouts (`exportDatasetBlob`), patient-grouped by
   * `datasetSeed`, and hands it to the host (`vx-export` with format `'dataset'`) or downloads it.
   */
  async exportDataset(): Promise<Blob | undefined> {
    const items = this.datasetItems;
    if (!items?.length || !this.datasetFormats.length || this.datasetProgress) return undefined;
    this.abort = new AbortController();
    this.datasetFailed = false;
    this.datasetProgress = { done: 0, total: items.length, phase: 'prepare' };
    this.datasetStatus = `Preparing ${plural(items.length, 'series', 'series')}…`;
    try {
      const { exportDatasetBlob } = await import('../core/dataset/export.js');
      const schema = this.currentSchema;
      const blob = await exportDatasetBlob(items, {
        formats: [...this.datasetFormats],
        name: this.datasetName,
        split: { seed: this.datasetSeed },
        allowIdentified: this.allowIdentified,
        ...(schema ? { schema } : {}),
        signal: this.abort.signal,
        onProgress: (p) => {
          this.datasetProgress = p;
          this.datasetStatus = datasetProgressText(p);
        },
      });
      const filename = `${this.datasetName.replace(/[^A-Za-z0-9._-]+/g, '_') || 'dataset'}.zip`;
      if (this.dispatchEvent(new VxExportEvent('dataset', filename, blob))) download(filename, blob);
      this.datasetStatus = `Exported ${filename} (${formatBytes(blob.size)}): ${plural(items.length, 'series', 'series')}`;
      return blob;
    } catch (e) {
      const error = VoxmarkError.is(e) ? e : toVoxmarkError(e, ErrorCode.ExportFailed, 'Dataset export');
      this.datasetFailed = true;
      this.datasetStatus = datasetErrorText(error);
      this.dispatchEvent(new CustomEvent('vx-error', { bubbles: true, composed: true, detail: { error } }));
      return undefined;
    } finally {
      this.datasetProgress = undefined;
      this.abort = undefined;
    }
  }

  private memo: { doc: DocumentLike; version: unknown; schema: LabelSchema; problems: Problem[] } | undefined;

  /** Validation problems of the document, recomputed only when the document changed (by its version). */
  private problems(doc: DocumentLike, schema: LabelSchema, stack: ImageStack): Problem[] {
    const version = (doc as { version?: unknown }).version;
    const m = this.memo;
    if (m && m.doc === doc && m.schema === schema && version !== undefined && m.version === version)
      return m.problems;
    const problems = validateDocument(doc, schema, { depth: stack.depth });
    this.memo = { doc, version, schema, problems };
    return problems;
  }

  /** The warning that holds an export back: the problems, "Show me", "Export anyway" and "Cancel". */
  private renderHeld() {
    const held = this.held;
    const doc = this.doc;
    const stack = this.currentStack;
    const schema = this.currentSchema;
    if (!held || !doc || !stack || !schema) return nothing;
    // The problems as they are now: fixing them while the warning shows updates it.
    const problems = this.problems(doc, schema, stack);
    const first = problems[0];
    const name = FORMATS.find((f) => f.id === held.format)!.label;
    if (!first)
      return html`<div part="warning" role="status">
        <p>No validation problems left.</p>
        <div class="buttons">
          <button part="button export-anyway" @click=${() => void this.export(held.format)}>
            Export ${name}
          </button>
          <button part="button cancel-export" @click=${() => (this.held = undefined)}>Cancel</button>
        </div>
      </div>`;
    const getter = doc as { get?: (id: string) => { slice: number } | undefined };
    const a = first.annotationId ? getter.get?.(first.annotationId) : undefined;
    const canShow = !!a && !!this.viewer && (!this.document || this.document === this.viewer.document);
    return html`<div part="warning" role="alert">
      <p>
        ${plural(problems.length, 'validation problem')} before exporting ${name}. First:
        ${first.message}${a ? ` (slice ${a.slice + 1})` : ''}.
      </p>
      <div class="buttons">
        ${
          canShow
            ? html`<button part="button show-me" @click=${() => this.showProblem()}>Show me</button>`
            : nothing
        }
        <button part="button export-anyway" @click=${() => void this.export(held.format, { anyway: true })}>
          Export anyway
        </button>
        <button part="button cancel-export" @click=${() => (this.held = undefined)}>Cancel</button>
      </div>
    </div>`;
  }

  protected override render() {
    void this.revision;
    const doc = this.doc;
    const schema = this.currentSchema;
    const stack = this.currentStack;
    const ready = !!(doc && schema && stack);
    const problems = ready ? this.problems(doc, schema, stack).length : 0;
    const n = doc?.annotations.length ?? 0;
    const segOk = stack?.format === 'dicom' && stack.slices.every((s) => !!s.sopInstanceUID);
    const p = this.progress;
    return html`<div part="panel" role="group" aria-label="Export annotations">
      <div class="buttons">
        ${FORMATS.map(
          (f) =>
            html`<button
              part=${`button button-${f.id}`}
              title=${f.description}
              ?disabled=${!ready || !!this.busy || (f.id === 'seg' && !segOk)}
              @click=${() => void this.export(f.id)}
            >
              ${f.label}
            </button>`,
        )}
      </div>
      <label
        ><input
          part="rasterize"
          type="checkbox"
          .checked=${this.rasterize}
          @change=${(e: Event) => (this.rasterize = (e.target as HTMLInputElement).checked)}
        />
        Boxes and polygons as masks</label
      >
      ${
        p
          ? html`<progress
                part="progress"
                max=${p.total}
                .value=${p.done}
                aria-label="Export progress"
              ></progress>
              <button @click=${() => this.abort?.abort()}>Cancel</button>`
          : nothing
      }
      ${this.renderHeld()} ${this.renderPacs()} ${this.renderDataset()}
      <div part="status" role="status" aria-live="polite" class=${this.failed ? 'error' : ''}>
        ${
          this.status ||
          (ready
            ? `${n} annotation${n === 1 ? '' : 's'}${problems ? `, ${problems} validation problem${problems === 1 ? '' : 's'}` : ''}`
            : 'No document to export')
        }
      </div>
    </div>`;
  }
  private renderPacs() {
    const target = this.pacsTarget;
    if (!target) return nothing;
    const ready = !!(this.doc && this.currentSchema && this.currentStack);
    const canList = !!target.source && !!this.archiveViewer?.storedSegmentations;
    const stored = this.stored;
    return html`<section part="pacs" aria-label="PACS">
      <h3>PACS</h3>
      <button
        part="button save-pacs"
        ?disabled=${!ready || !!this.pacsBusy}
        @click=${() => void this.saveToPacs()}
      >
        Save to PACS
      </button>
      ${
        canList
          ? html`<button
                part="button list-stored"
                ?disabled=${this.listing}
                @click=${() => void this.listStored()}
              >
                Stored segmentations
              </button>
              ${
                stored
                  ? html`<ul part="stored-list" aria-label="Stored segmentations">
                      ${stored.length === 0 ? html`<li>None stored for this series</li>` : nothing}
                      ${stored.map(
                        (s) =>
                          html`<li>
                            <span>${segName(s)}${s.contentDate ? ` · ${segDate(s)}` : ''}</span>
                            <button
                              part="button load-stored"
                              aria-label=${`Load ${segName(s)}${s.contentDate ? ` of ${segDate(s)}` : ''}`}
                              ?disabled=${!!this.pacsBusy}
                              @click=${() => void this.loadStored(s)}
                            >
                              Load
                            </button>
                          </li>`,
                      )}
                    </ul>`
                  : nothing
              }`
          : nothing
      }
      <div part="pacs-status" role="status" aria-live="polite" class=${this.pacsFailed ? 'error' : ''}>
        ${this.pacsStatus}
      </div>
    </section>`;
  }

  private renderDataset() {
    const items = this.datasetItems;
    if (!items?.length) return nothing;
    const p = this.datasetProgress;
    const toggle = (f: DatasetFormat, on: boolean) =>
      (this.datasetFormats = DatasetFormats.filter((x) => (x === f ? on : this.datasetFormats.includes(x))));
    return html`<section part="dataset" aria-label="Export dataset">
      <h3>Dataset (${plural(items.length, 'series', 'series')})</h3>
      <fieldset>
        <legend>Layouts</legend>
        ${DatasetFormats.map(
          (f) =>
            html`<label
              ><input
                part="dataset-format"
                type="checkbox"
                name=${f}
                .checked=${this.datasetFormats.includes(f)}
                ?disabled=${!!p}
                @change=${(e: Event) => toggle(f, (e.target as HTMLInputElement).checked)}
              />
              ${DATASET_FORMATS[f]}</label
            >`,
        )}
      </fieldset>
      <button
        part="button export-dataset"
        ?disabled=${!!p || this.datasetFormats.length === 0}
        @click=${() => void this.exportDataset()}
      >
        Export dataset
      </button>
      ${
        p
          ? html`<progress
                part="progress"
                max=${p.total}
                .value=${p.done}
                aria-label="Dataset export progress"
              ></progress>
              <button @click=${() => this.abort?.abort()}>Cancel</button>`
          : nothing
      }
      <div part="dataset-status" role="status" aria-live="polite" class=${this.datasetFailed ? 'error' : ''}>
        ${this.datasetStatus || (this.datasetFormats.length ? '' : 'Tick at least one layout')}
      </div>
    </section>`;
  }
}

interface DicomWebViewer {
  dicomWebSource: VxViewer['dicomWebSource'];
  storedSegmentations: VxViewer['storedSegmentations'];
  loadSegmentation: VxViewer['loadSegmentation'];
  headers: VxViewer['headers'];
  fetch: VxViewer['fetch'];
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

const KIND_PLURALS: Record<string, string> = { box: 'boxes' };
const kindNoun = (kind: string, n: number) => plural(n, kind, KIND_PLURALS[kind] ?? `${kind}s`);

/** "3 boxes and 1 line" from counts by kind (or by phrase), in the order met. */
function countList(counts: Map<string, number>, noun = kindNoun): string {
  const parts = [...counts].map(([k, n]) => noun(k, n));
  return parts.length > 1 ? `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}` : (parts[0] ?? '');
}

/** What a skip code says about the annotations it left out (kinds are named for the two kind codes). */
const SKIP_PHRASES: Record<string, [string, string]> = {
  'unknown-label': ['annotation with a label not in the schema', 'annotations with labels not in the schema'],
  'slice-out-of-range': [
    'annotation on a slice outside the stack',
    'annotations on slices outside the stack',
  ],
  empty: ['empty mask', 'empty masks'],
};

/**
 * The status after an export, in words: what the format wrote and what it left out, with how to include
 * boxes and polygons when they were left out for want of rasterizing, then the files. E.g. "DICOM SEG: 12
 * masks written; 3 boxes and 1 line left out (tick “Boxes and polygons as masks” to include boxes and
 * polygons). Exported case.seg.dcm (69.8 KB)".
 */
export function exportReport(
  format: ExportFormat,
  doc: DocumentLike,
  skipped: readonly SkippedAnnotation[],
  rasterize: boolean,
  files: readonly { filename: string; blob: Blob }[],
): string {
  const left = new Set(skipped.map((s) => s.id));
  const written = new Map<string, number>();
  for (const a of doc.annotations) if (!left.has(a.id)) written.set(a.kind, (written.get(a.kind) ?? 0) + 1);
  const out = new Map<string, number>();
  for (const s of skipped) {
    const key = s.code === 'needs-rasterize' || s.code === 'not-a-region' ? s.kind : `#${s.code}`;
    out.set(key, (out.get(key) ?? 0) + 1);
  }
  const noun = (k: string, n: number) =>
    k.startsWith('#') ? `${n} ${SKIP_PHRASES[k.slice(1)]?.[n === 1 ? 0 : 1] ?? k.slice(1)}` : kindNoun(k, n);
  const name = FORMATS.find((f) => f.id === format)!.label;
  let text = `${name}: ${written.size ? countList(written) : 'nothing'} written`;
  if (out.size) text += `; ${countList(out, noun)} left out`;
  if (!rasterize && skipped.some((s) => s.code === 'needs-rasterize'))
    text += ' (tick “Boxes and polygons as masks” to include boxes and polygons)';
  return `${text}. Exported ${files.map((f) => `${f.filename} (${formatBytes(f.blob.size)})`).join(', ')}`;
}

function segName(s: SegmentationSummary): string {
  return s.seriesDescription || s.contentLabel || 'Segmentation';
}

function segDate(s: SegmentationSummary): string {
  const d = s.contentDate ?? '';
  const t = s.contentTime ?? '';
  const date = d.length === 8 ? `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}` : d;
  return t.length >= 4
    ? `${date} ${t.slice(0, 2)}:${t.slice(2, 4)}${t.length >= 6 ? `:${t.slice(4, 6)}` : ''}`
    : date;
}

/** The archive's answer to a STOW-RS, in words. */
export function storeAnswerText(result: StoreResult): string {
  const uid = result.stored[0]?.sopInstanceUID;
  const reasons = result.failed.map((f) => f.reasonText).join('; ');
  if (result.status === 'failed')
    return `The PACS refused the segmentation: ${reasons || `HTTP ${result.httpStatus}`}`;
  const stored = `Stored in the PACS${uid ? ` as ${uid}` : ''}`;
  if (result.status === 'stored') return stored;
  const warnings = result.stored
    .filter((s) => s.warningReason !== undefined)
    .map((s) => `warning 0x${s.warningReason!.toString(16).toUpperCase()}`);
  return `${stored}, with a warning: ${[...warnings, reasons].filter(Boolean).join('; ') || `HTTP ${result.httpStatus}`}`;
}

function datasetProgressText(p: DatasetProgress): string {
  if (p.phase === 'prepare') return `Checking ${plural(p.total, 'series', 'series')}…`;
  if (p.phase === 'finish') return 'Writing the data card…';
  return `Writing series ${Math.min(p.done + 1, p.total)} of ${p.total}${p.caseId ? ` (${p.caseId})` : ''}…`;
}

/** Why a dataset export stopped, in plain words. */
function datasetErrorText(error: VoxmarkError): string {
  if (error.code === ErrorCode.NotDeidentified) {
    const caseId = (error.details as { caseId?: string } | undefined)?.caseId;
    return (
      `Refused: series ${caseId ?? ''} still carries patient identity. Nothing was exported. Load it with ` +
      'de-identification on, or set allow-identified on the panel if identified data may leave this page.'
    );
  }
  if (error.code === ErrorCode.Aborted) return 'Dataset export cancelled';
  return `Dataset export failed: ${error.message}`;
}

function download(filename: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.rel = 'noopener';
  a.style.display = 'none';
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

declare global {
  interface HTMLElementTagNameMap {
    'vx-export-panel': VxExportPanel;
  }
}
