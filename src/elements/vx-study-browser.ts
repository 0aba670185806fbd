import { LitElement, css, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { ErrorCode, type VoxmarkError, toVoxmarkError } from '../core/errors.js';
import type {
  DicomWebImageStack,
  HeadersSource,
  SeriesSummary,
  StudySummary,
} from '../core/dicomweb/index.js';
import { RequestLimiter } from '../core/dicomweb/limiter.js';
import { applyWindow } from '../core/image/window.js';
import type { Frame, ImageStack } from '../core/image/types.js';
import { VxErrorEvent } from './events.js';

/** What `vx-series-select` carries: enough to load the series with `loadDicomWeb`. */
export interface SeriesSelectDetail {
  url: string;
  studyInstanceUID: string;
  seriesInstanceUID: string;
  study: StudySummary;
  series: SeriesSummary;
}

/**
 * `vx-series-select`: the user chose a series. Cancelable: `preventDefault()` keeps `<vx-study-browser for=…>`
 * from loading it into its viewer.
 */
export class VxSeriesSelectEvent extends CustomEvent<SeriesSelectDetail> {
  static readonly type = 'vx-series-select';
  constructor(detail: SeriesSelectDetail) {
    super(VxSeriesSelectEvent.type, { bubbles: true, composed: true, cancelable: true, detail });
  }
}

type SortKey =
  'patientName' | 'patientId' | 'studyDate' | 'studyDescription' | 'modalities' | 'accessionNumber';

const COLUMNS: { key: SortKey; label: string }[] = [
  { key: 'patientName', label: 'Patient' },
  { key: 'patientId', label: 'Patient ID' },
  { key: 'studyDate', label: 'Date' },
  { key: 'studyDescription', label: 'Description' },
  { key: 'modalities', label: 'Modality' },
  { key: 'accessionNumber', label: 'Accession' },
];

const THUMBNAIL_SIZE = 96;
/** The archive client, loaded on first use so a page that never browses does not fetch it. */
function dicomweb() {
  return import('../core/dicomweb/index.js');
}

/** Thumbnails loading at once: each one reads a series' metadata and one frame. */
const THUMBNAIL_CONCURRENCY = 2;

type Thumbnail = { state: 'loading' } | { state: 'done'; url: string } | { state: 'error'; message: string };

/**
 * Browses a DICOMweb archive: searches studies (QIDO-RS) by patient id, patient name, study date range,
 * modality and accession number, a page at a time; lists the chosen study's series with a thumbnail each
 * (the middle slice, rendered with its first window preset, fetched only when the card scrolls into view);
 * and, when a series is chosen, fires `vx-series-select` and, with `for`, loads the series into that
 * `<vx-viewer>` through `loadDicomWeb`.
 *
 * Keyboard: Tab reaches the filters, the column headers (Enter or Space sorts, again to reverse), the study
 * table and the series list. In the table and the list, ArrowUp/ArrowDown (ArrowLeft/ArrowRight in the
 * series list) move, Home/End jump, Enter opens a study or chooses a series.
 *
 * Authentication: set `headers` (an object, or a function returning fresh headers for a token that
 * refreshes) or `fetch` (the host's own) as properties; they are used for every request and never shown.
 *
 * @tag vx-study-browser
 * @summary Study and series browser for a DICOMweb archive, with thumbnails; opens a series in a viewer.
 *
 * @fires vx-series-select - The user chose a series. `detail`: `url`, `studyInstanceUID`, `seriesInstanceUID`,
 * `study`, `series`. Cancelable: prevents loading it into the viewer named by `for`.
 * @fires vx-error - A search or the loading of a chosen series failed. `detail.error` (a VoxmarkError).
 *
 * @csspart filters - The search form.
 * @csspart field - Each filter field (label and input).
 * @csspart search - The search button.
 * @csspart studies - The study table.
 * @csspart sort - Each column header button; `aria-sort` tells the order.
 * @csspart study - Each study row; also `selected` on the open one.
 * @csspart pager - The previous/next page controls.
 * @csspart series-list - The list of the open study's series.
 * @csspart series - Each series card; also `selected` on the chosen one.
 * @csspart thumbnail - A series thumbnail image (or its placeholder).
 * @csspart status - Loading, empty and error messages.
 *
 * @cssprop [--vx-browser-background=#1e1e1e] - Background.
 * @cssprop [--vx-browser-color=#e8e8e8] - Text colour.
 * @cssprop [--vx-browser-accent=#3d8bfd] - Selection and focus colour.
 * @cssprop [--vx-browser-muted=#a0a0a0] - Secondary text.
 */
export class VxStudyBrowser extends LitElement {
  static override styles = css`
    :host {
      display: block;
      background: var(--vx-browser-background, #1e1e1e);
      color: var(--vx-browser-color, #e8e8e8);
      font:
        13px/1.35 system-ui,
        sans-serif;
      padding: 8px;
      border-radius: 4px;
    }
    form {
      display: flex;
      flex-wrap: wrap;
      gap: 6px 10px;
      align-items: end;
      margin-bottom: 8px;
    }
    label {
      display: flex;
      flex-direction: column;
      gap: 2px;
      font-size: 12px;
    }
    input,
    button {
      font: inherit;
      color: inherit;
      background: #2a2a2a;
      border: 1px solid #555;
      border-radius: 3px;
      padding: 3px 6px;
    }
    input {
      width: 9em;
    }
    button:focus-visible,
    input:focus-visible,
    tr:focus-visible,
    [role='option']:focus-visible {
      outline: 2px solid var(--vx-browser-accent, #3d8bfd);
      outline-offset: 1px;
    }
    table {
      width: 100%;
      border-collapse: collapse;
    }
    th button {
      background: none;
      border: none;
      padding: 2px 0;
      font-weight: 600;
      cursor: pointer;
    }
    td,
    th {
      text-align: left;
      padding: 3px 6px;
      border-bottom: 1px solid #333;
    }
    tr[aria-selected='true'] {
      background: color-mix(in srgb, var(--vx-browser-accent, #3d8bfd) 35%, transparent);
    }
    tbody tr {
      cursor: pointer;
    }
    [part~='pager'] {
      display: flex;
      gap: 8px;
      align-items: center;
      margin: 6px 0;
    }
    [part~='series-list'] {
      display: flex;
      flex-wrap: wrap;
      gap: 8px;
      list-style: none;
      padding: 0;
      margin: 8px 0 0;
    }
    [role='option'] {
      width: ${THUMBNAIL_SIZE + 16}px;
      padding: 6px;
      border: 1px solid #444;
      border-radius: 4px;
      cursor: pointer;
    }
    [role='option'][aria-selected='true'] {
      border-color: var(--vx-browser-accent, #3d8bfd);
    }
    [part~='thumbnail'] {
      display: block;
      width: ${THUMBNAIL_SIZE}px;
      height: ${THUMBNAIL_SIZE}px;
      background: #000;
      object-fit: contain;
    }
    .caption {
      font-size: 12px;
      overflow-wrap: anywhere;
    }
    .muted {
      color: var(--vx-browser-muted, #a0a0a0);
    }
    [part~='status'] {
      color: var(--vx-browser-muted, #a0a0a0);
      margin: 6px 0;
    }
  `;

  /** DICOMweb service root, e.g. `/dicom-web` (proxied) or `https://pacs.example.org/dicom-web`. */
  @property() url = '';
  /** Id of the `<vx-viewer>` that a chosen series is loaded into. */
  @property({ attribute: 'for' }) for = '';
  @property({ attribute: 'patient-id' }) patientId = '';
  @property({ attribute: 'patient-name' }) patientName = '';
  @property() modality = '';
  @property({ attribute: 'accession-number' }) accessionNumber = '';
  /** Earliest study date, `YYYY-MM-DD`. */
  @property({ attribute: 'date-from' }) dateFrom = '';
  /** Latest study date, `YYYY-MM-DD`. */
  @property({ attribute: 'date-to' }) dateTo = '';
  /** Studies per page. */
  @property({ type: Number, attribute: 'page-size' }) pageSize = 25;
  /** Headers for every request (an object, or a function returning fresh ones). Property only. */
  @property({ attribute: false }) headers: HeadersSource | undefined;
  /** The fetch every request goes through. Property only. */
  @property({ attribute: false }) fetch: typeof globalThis.fetch | undefined;

  @state() private studies: StudySummary[] = [];
  @state() private series: SeriesSummary[] = [];
  @state() private openStudy: StudySummary | undefined;
  @state() private chosenSeries: string | undefined;
  @state() private offset = 0;
  @state() private hasMore = false;
  @state() private status = '';
  @state() private sortKey: SortKey = 'studyDate';
  @state() private sortDescending = true;
  @state() private focusRow = 0;
  @state() private focusSeries = 0;
  @state() private thumbnails = new Map<string, Thumbnail>();

  #search: AbortController | undefined;
  /** The stack last loaded into the viewer: disposed (its prefetches stopped) when another replaces it. */
  #loaded: DicomWebImageStack | undefined;
  #thumbnailLimiter = new RequestLimiter(THUMBNAIL_CONCURRENCY);
  #thumbnailAbort = new AbortController();
  #observer: IntersectionObserver | undefined;

  /** The studies shown, in the order shown. */
  get results(): readonly StudySummary[] {
    return this.#sorted();
  }

  /** The series of the open study. */
  get seriesList(): readonly SeriesSummary[] {
    return this.series;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.#observer = new IntersectionObserver((entries) => {
      for (const entry of entries) {
        if (!entry.isIntersecting) continue;
        const uid = (entry.target as HTMLElement).dataset.series;
        this.#observer?.unobserve(entry.target);
        if (uid) void this.#loadThumbnail(uid);
      }
    });
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#search?.abort();
    this.#thumbnailAbort.abort();
    this.#thumbnailAbort = new AbortController();
    this.#observer?.disconnect();
    this.#observer = undefined;
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('url') && this.url) void this.search();
    for (const card of this.renderRoot.querySelectorAll<HTMLElement>('[data-series]')) {
      if (!this.thumbnails.has(card.dataset.series!)) this.#observer?.observe(card);
    }
  }

  /** Runs the search with the current filters (from the first page unless `offset` is given). */
  async search(offset = 0): Promise<void> {
    if (!this.url) return;
    this.#search?.abort();
    const controller = new AbortController();
    this.#search = controller;
    this.status = 'Searching…';
    try {
      const { searchStudies } = await dicomweb();
      const found = await searchStudies({
        ...this.#connection(),
        signal: controller.signal,
        limit: this.pageSize + 1,
        offset,
        ...(this.patientId ? { patientId: this.patientId } : {}),
        ...(this.patientName ? { patientName: withWildcard(this.patientName) } : {}),
        ...(this.modality ? { modality: this.modality } : {}),
        ...(this.accessionNumber ? { accessionNumber: this.accessionNumber } : {}),
        ...(this.dateFrom || this.dateTo
          ? {
              studyDate: {
                ...(this.dateFrom ? { from: this.dateFrom } : {}),
                ...(this.dateTo ? { to: this.dateTo } : {}),
              },
            }
          : {}),
      });
      if (controller.signal.aborted) return;
      this.hasMore = found.length > this.pageSize;
      this.studies = found.slice(0, this.pageSize);
      this.offset = offset;
      this.focusRow = 0;
      this.status = this.studies.length === 0 ? 'No studies match.' : '';
    } catch (e) {
      if (controller.signal.aborted) return;
      this.#fail(e, 'Search failed');
    }
  }

  /** Opens a study: lists its series. */
  async openStudyRow(study: StudySummary): Promise<void> {
    this.openStudy = study;
    this.series = [];
    this.chosenSeries = undefined;
    this.focusSeries = 0;
    this.status = 'Loading series…';
    try {
      const { searchSeries } = await dicomweb();
      const list = await searchSeries({ ...this.#connection(), studyInstanceUID: study.studyInstanceUID });
      if (this.openStudy !== study) return;
      this.series = list.sort((a, b) => (a.seriesNumber ?? 0) - (b.seriesNumber ?? 0));
      this.status = list.length === 0 ? 'This study has no series.' : '';
    } catch (e) {
      if (this.openStudy === study) this.#fail(e, 'Could not list the series');
    }
  }

  /** Chooses a series: fires `vx-series-select` and, with `for`, loads it into that viewer. */
  async chooseSeries(series: SeriesSummary): Promise<void> {
    const study = this.openStudy;
    if (!study) return;
    this.chosenSeries = series.seriesInstanceUID;
    const event = new VxSeriesSelectEvent({
      url: this.url,
      studyInstanceUID: study.studyInstanceUID,
      seriesInstanceUID: series.seriesInstanceUID,
      study,
      series,
    });
    if (!this.dispatchEvent(event) || !this.for) return;
    const root = this.getRootNode() as Document | ShadowRoot;
    const viewer = root.getElementById?.(this.for) as (HTMLElement & { stack?: ImageStack }) | null;
    if (!viewer || !('stack' in viewer)) return;
    this.status = 'Loading the series…';
    try {
      const { loadDicomWeb } = await dicomweb();
      const stack = await loadDicomWeb({
        ...this.#connection(),
        studyInstanceUID: study.studyInstanceUID,
        seriesInstanceUID: series.seriesInstanceUID,
      });
      if (this.#loaded && viewer.stack === this.#loaded) this.#loaded.dispose();
      this.#loaded = stack;
      viewer.stack = stack;
      this.status = '';
    } catch (e) {
      this.#fail(e, 'Could not load the series');
    }
  }

  #connection() {
    return {
      url: this.url,
      ...(this.headers ? { headers: this.headers } : {}),
      ...(this.fetch ? { fetch: this.fetch } : {}),
    };
  }

  #fail(e: unknown, context: string): void {
    const error = toVoxmarkError(e, ErrorCode.FetchFailed, context);
    this.status = `${context}: ${describe(error)}`;
    this.dispatchEvent(new VxErrorEvent(error));
  }

  #sorted(): StudySummary[] {
    const key = this.sortKey;
    const text = (s: StudySummary) => (key === 'modalities' ? s.modalities.join(',') : (s[key] ?? ''));
    const sorted = [...this.studies].sort((a, b) => text(a).localeCompare(text(b)));
    return this.sortDescending ? sorted.reverse() : sorted;
  }

  #sortBy(key: SortKey): void {
    if (this.sortKey === key) this.sortDescending = !this.sortDescending;
    else {
      this.sortKey = key;
      this.sortDescending = key === 'studyDate';
    }
  }

  async #loadThumbnail(uid: string): Promise<void> {
    const study = this.openStudy;
    if (!study || this.thumbnails.has(uid)) return;
    this.#setThumbnail(uid, { state: 'loading' });
    const signal = this.#thumbnailAbort.signal;
    try {
      const frame = await this.#thumbnailLimiter.run(signal, async () => {
        const { loadDicomWeb } = await dicomweb();
        const stack = await loadDicomWeb({
          ...this.#connection(),
          studyInstanceUID: study.studyInstanceUID,
          seriesInstanceUID: uid,
          signal,
          prefetch: false,
        });
        try {
          return { stack, frame: await stack.getFrame(Math.floor(stack.depth / 2), { signal }) };
        } finally {
          stack.dispose();
        }
      });
      this.#setThumbnail(uid, { state: 'done', url: renderThumbnail(frame.stack, frame.frame) });
    } catch (e) {
      if (signal.aborted) return;
      this.#setThumbnail(uid, {
        state: 'error',
        message: describe(toVoxmarkError(e, ErrorCode.FetchFailed, '')),
      });
    }
  }

  #setThumbnail(uid: string, value: Thumbnail): void {
    const next = new Map(this.thumbnails);
    next.set(uid, value);
    this.thumbnails = next;
  }

  #onRowKey(e: KeyboardEvent, rows: StudySummary[]): void {
    const move = rovingKey(e, this.focusRow, rows.length - 1, false);
    if (move === 'activate') {
      const study = rows[this.focusRow];
      if (study) void this.openStudyRow(study);
    } else if (move !== undefined) {
      this.focusRow = move;
      void this.#focusLater(`tbody tr[data-index="${move}"]`);
    }
  }

  #onSeriesKey(e: KeyboardEvent): void {
    const move = rovingKey(e, this.focusSeries, this.series.length - 1, true);
    if (move === 'activate') {
      const s = this.series[this.focusSeries];
      if (s) void this.chooseSeries(s);
    } else if (move !== undefined) {
      this.focusSeries = move;
      void this.#focusLater(`[role='option'][data-index="${move}"]`);
    }
  }

  async #focusLater(selector: string): Promise<void> {
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>(selector)?.focus();
  }

  #onSubmit(e: Event): void {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const value = (name: string) => (form.elements.namedItem(name) as HTMLInputElement).value.trim();
    this.patientId = value('patientId');
    this.patientName = value('patientName');
    this.modality = value('modality');
    this.accessionNumber = value('accessionNumber');
    this.dateFrom = value('dateFrom');
    this.dateTo = value('dateTo');
    void this.search();
  }

  override render(): TemplateResult {
    const rows = this.#sorted();
    return html`
      <form part="filters" role="search" aria-label="Search studies" @submit=${this.#onSubmit}>
        ${this.#field('Patient ID', 'patientId', this.patientId)}
        ${this.#field('Patient name', 'patientName', this.patientName)}
        ${this.#field('Modality', 'modality', this.modality)}
        ${this.#field('Accession', 'accessionNumber', this.accessionNumber)}
        ${this.#field('From', 'dateFrom', this.dateFrom, 'date')}
        ${this.#field('To', 'dateTo', this.dateTo, 'date')}
        <button part="search" type="submit">Search</button>
      </form>
      <table part="studies" role="grid" aria-label="Studies">
        <thead>
          <tr>
            ${COLUMNS.map(
              (c) =>
                html`<th
                  scope="col"
                  aria-sort=${this.sortKey === c.key ? (this.sortDescending ? 'descending' : 'ascending') : 'none'}
                >
                  <button part="sort" type="button" @click=${() => this.#sortBy(c.key)}>${c.label}</button>
                </th>`,
            )}
            <th scope="col">Series</th>
          </tr>
        </thead>
        <tbody @keydown=${(e: KeyboardEvent) => this.#onRowKey(e, rows)}>
          ${rows.map((s, i) => {
            const selected = this.openStudy?.studyInstanceUID === s.studyInstanceUID;
            return html`<tr
              part=${selected ? 'study selected' : 'study'}
              data-index=${i}
              tabindex=${i === this.focusRow ? 0 : -1}
              aria-selected=${selected ? 'true' : 'false'}
              @click=${() => {
                this.focusRow = i;
                void this.openStudyRow(s);
              }}
            >
              <td>${s.patientName ?? ''}</td>
              <td>${s.patientId ?? ''}</td>
              <td>${formatDate(s.studyDate)}</td>
              <td>${s.studyDescription ?? ''}</td>
              <td>${s.modalities.join(', ')}</td>
              <td>${s.accessionNumber ?? ''}</td>
              <td>${s.numberOfSeries ?? ''}</td>
            </tr>`;
          })}
        </tbody>
      </table>
      <div part="pager">
        <button
          type="button"
          ?disabled=${this.offset === 0}
          @click=${() => void this.search(Math.max(0, this.offset - this.pageSize))}
        >
          Previous page
        </button>
        <span class="muted"
          >${
            this.studies.length > 0
              ? `Studies ${this.offset + 1}–${this.offset + this.studies.length}`
              : nothing
          }</span
        >
        <button
          type="button"
          ?disabled=${!this.hasMore}
          @click=${() => void this.search(this.offset + this.pageSize)}
        >
          Next page
        </button>
      </div>
      <p part="status" role="status" aria-live="polite">${this.status}</p>
      ${this.openStudy ? this.#renderSeries() : nothing}
    `;
  }

  #field(label: string, name: string, value: string, type: 'text' | 'date' = 'text'): TemplateResult {
    return html`<label part="field"
      >${label}<input name=${name} type=${type} .value=${value} autocomplete="off"
    /></label>`;
  }

  #renderSeries(): TemplateResult {
    return html`<ul
      part="series-list"
      role="listbox"
      aria-label="Series of the study"
      aria-orientation="horizontal"
      @keydown=${(e: KeyboardEvent) => this.#onSeriesKey(e)}
    >
      ${this.series.map((s, i) => {
        const selected = this.chosenSeries === s.seriesInstanceUID;
        const thumb = this.thumbnails.get(s.seriesInstanceUID);
        const name = s.seriesDescription ?? `Series ${s.seriesNumber ?? i + 1}`;
        return html`<li
          role="option"
          part=${selected ? 'series selected' : 'series'}
          data-index=${i}
          data-series=${s.seriesInstanceUID}
          tabindex=${i === this.focusSeries ? 0 : -1}
          aria-selected=${selected ? 'true' : 'false'}
          @click=${() => {
            this.focusSeries = i;
            void this.chooseSeries(s);
          }}
        >
          ${
            thumb?.state === 'done'
              ? html`<img part="thumbnail" src=${thumb.url} alt="" />`
              : html`<span
                  part="thumbnail"
                  class="muted"
                  title=${thumb?.state === 'error' ? thumb.message : ''}
                  >${thumb?.state === 'error' ? '⚠' : ''}</span
                >`
          }
          <div class="caption">${name}</div>
          <div class="caption muted">${s.modality ?? ''} · ${s.numberOfInstances ?? '?'} images</div>
        </li>`;
      })}
    </ul>`;
  }
}

/**
 * Roving focus in a list: the index an arrow, Home or End key moves to, `'activate'` for Enter or Space,
 * undefined for other keys (left alone). Handled keys have their default prevented.
 */
function rovingKey(
  e: KeyboardEvent,
  current: number,
  last: number,
  horizontal: boolean,
): number | 'activate' | undefined {
  let next: number | 'activate';
  if (e.key === 'ArrowDown' || (horizontal && e.key === 'ArrowRight')) next = Math.min(last, current + 1);
  else if (e.key === 'ArrowUp' || (horizontal && e.key === 'ArrowLeft')) next = Math.max(0, current - 1);
  else if (e.key === 'Home') next = 0;
  else if (e.key === 'End') next = last;
  else if (e.key === 'Enter' || e.key === ' ') next = 'activate';
  else return undefined;
  e.preventDefault();
  return next;
}

/** A name search finds names that start with what was typed, as PACS search fields do. */
function withWildcard(name: string): string {
  return /[*?]/.test(name) ? name : `${name}*`;
}

function formatDate(da: string | undefined): string {
  return da && /^\d{8}$/.test(da) ? `${da.slice(0, 4)}-${da.slice(4, 6)}-${da.slice(6)}` : (da ?? '');
}

function describe(error: VoxmarkError): string {
  switch (error.code) {
    case ErrorCode.Unauthorized:
      return 'the archive refused the credentials';
    case ErrorCode.NotFound:
      return 'not found in the archive';
    case ErrorCode.Timeout:
      return 'the archive did not answer in time';
    default:
      return error.message;
  }
}

/** The frame as a small greyscale (or colour) PNG data URL, windowed by the stack's first preset. */
function renderThumbnail(stack: ImageStack, frame: Frame): string {
  const scale = Math.min(1, THUMBNAIL_SIZE / Math.max(frame.width, frame.height));
  const w = Math.max(1, Math.round(frame.width * scale));
  const h = Math.max(1, Math.round(frame.height * scale));
  const canvas = document.createElement('canvas');
  canvas.width = w;
  canvas.height = h;
  const ctx = canvas.getContext('2d')!;
  const image = ctx.createImageData(w, h);
  const { data, samplesPerPixel: spp, rescaleSlope: slope, rescaleIntercept: intercept } = frame;
  let center: number;
  let width: number;
  const preset = stack.windowPresets[0];
  if (preset) ({ center, width } = preset);
  else {
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = 0; i < data.length; i += spp) {
      const v = data[i]! * slope + intercept;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    center = (lo + hi) / 2;
    width = Math.max(1, hi - lo);
  }
  for (let y = 0; y < h; y++) {
    const sy = Math.min(frame.height - 1, Math.floor(y / scale));
    for (let x = 0; x < w; x++) {
      const sx = Math.min(frame.width - 1, Math.floor(x / scale));
      const src = (sy * frame.width + sx) * spp;
      const dst = (y * w + x) * 4;
      if (spp === 3) {
        image.data[dst] = data[src]!;
        image.data[dst + 1] = data[src + 1]!;
        image.data[dst + 2] = data[src + 2]!;
      } else {
        const v = applyWindow(data[src]! * slope + intercept, center, width);
        image.data[dst] = image.data[dst + 1] = image.data[dst + 2] = v;
      }
      image.data[dst + 3] = 255;
    }
  }
  ctx.putImageData(image, 0, 0);
  return canvas.toDataURL('image/png');
}

declare global {
  interface HTMLElementTagNameMap {
    'vx-study-browser': VxStudyBrowser;
  }
  interface GlobalEventHandlersEventMap {
    'vx-series-select': VxSeriesSelectEvent;
  }
}
