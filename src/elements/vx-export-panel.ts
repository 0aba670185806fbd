import { LitElement, css, html, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import { VoxmarkError, toVoxmarkError, ErrorCode } from '../core/errors.js';
import { serializeDocument } from '../core/formats/document.js';
import { toCocoAsync } from '../core/formats/coco.js';
import { niftiSidecar, toNifti } from '../core/formats/nifti.js';
import { toDicomSeg } from '../core/formats/seg.js';
import type { DocumentLike, ExportProgress } from '../core/formats/common.js';
import type { ImageStack } from '../core/image/types.js';
import { validateDocument } from '../core/schema/validate.js';
import type { LabelSchema } from '../core/schema/types.js';
import { VxExportEvent, type ExportFormat } from './events.js';
import { LinkedViewerController, type LinkedViewer } from './controllers/linked-viewer.js';

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

/**
 * Export buttons for a document: voxmark JSON, COCO, DICOM SEG and NIfTI (with its label sidecar). Shows
 * how many validation problems the document has, reports progress while a large export runs (exports
 * work in chunks and never block the page), and downloads the result. Each file is announced first with
 * a cancelable `vx-export` event: a host that calls `preventDefault()` gets the Blob and handles it
 * itself (upload it, say) instead of the download.
 *
 * Binds to a `<vx-viewer>` named by `for` (or the enclosing one) for its document, stack and schema; or
 * set `document`, `stack` and `schema` directly. Exports never change the document.
 *
 * @tag vx-export-panel
 * @summary Downloads the annotations as voxmark JSON, COCO, DICOM SEG or NIfTI.
 *
 * @fires vx-export - A file is ready: `detail.format`, `detail.filename`, `detail.blob`. Cancelable.
 * @fires vx-error - An export failed (`detail.error`, a VoxmarkError).
 *
 * @csspart panel - The container.
 * @csspart button - Every export button (also `button-<format>`).
 * @csspart rasterize - The "boxes and polygons as masks" checkbox.
 * @csspart progress - The progress bar while an export runs.
 * @csspart status - The status line (problems, last result, errors).
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

  @state() private busy: ExportFormat | undefined;
  @state() private progress: ExportProgress | undefined;
  @state() private status = '';
  @state() private failed = false;
  @state() private revision = 0;

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

  /** Runs one export and hands its files to the host (vx-export) or downloads them. */
  async export(format: ExportFormat): Promise<void> {
    const doc = this.doc;
    const stack = this.currentStack;
    const schema = this.currentSchema;
    if (!doc || !stack || !schema || this.busy) return;
    this.abort = new AbortController();
    const signal = this.abort.signal;
    this.busy = format;
    this.failed = false;
    this.progress = { done: 0, total: 1 };
    this.status = `Exporting ${FORMATS.find((f) => f.id === format)!.label}…`;
    const onProgress = (p: ExportProgress) => (this.progress = p);
    const base = this.base();
    try {
      const files: { filename: string; blob: Blob }[] = [];
      const json = (v: unknown) => new Blob([JSON.stringify(v)], { type: 'application/json' });
      if (format === 'voxmark') {
        files.push({
          filename: `${base}.voxmark.json`,
          blob: json(serializeDocument(doc, { schema, stack })),
        });
      } else if (format === 'coco') {
        const coco = await toCocoAsync(doc, stack, schema, { rasterize: this.rasterize, onProgress, signal });
        files.push({ filename: `${base}.coco.json`, blob: json(coco) });
      } else if (format === 'seg') {
        const bytes = await toDicomSeg(doc, stack, schema, { rasterize: this.rasterize, onProgress, signal });
        files.push({ filename: `${base}.seg.dcm`, blob: new Blob([bytes], { type: 'application/dicom' }) });
      } else {
        const bytes = await toNifti(doc, stack, schema, {
          gzip: true,
          rasterize: this.rasterize,
          onProgress,
          signal,
        });
        files.push({ filename: `${base}.nii.gz`, blob: new Blob([bytes], { type: 'application/gzip' }) });
        files.push({ filename: `${base}.labels.json`, blob: json(niftiSidecar(schema, stack)) });
      }
      for (const f of files) {
        const event = new VxExportEvent(format, f.filename, f.blob);
        if (this.dispatchEvent(event)) download(f.filename, f.blob);
      }
      this.status = `Exported ${files.map((f) => `${f.filename} (${formatBytes(f.blob.size)})`).join(', ')}`;
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

  private memo: { doc: DocumentLike; version: unknown; schema: LabelSchema; count: number } | undefined;

  /** Validation problems of the document, recomputed only when the document changed (by its version). */
  private problemCount(doc: DocumentLike, schema: LabelSchema, stack: ImageStack): number {
    const version = (doc as { version?: unknown }).version;
    const m = this.memo;
    if (m && m.doc === doc && m.schema === schema && version !== undefined && m.version === version)
      return m.count;
    const count = validateDocument(doc, schema, { depth: stack.depth }).length;
    this.memo = { doc, version, schema, count };
    return count;
  }

  protected override render() {
    void this.revision;
    const doc = this.doc;
    const schema = this.currentSchema;
    const stack = this.currentStack;
    const ready = !!(doc && schema && stack);
    const problems = ready ? this.problemCount(doc, schema, stack) : 0;
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
