/**
 * The statistics of one annotation as the label picker shows them: `document.statistics(id, stack)`
 * computed once per annotation snapshot (annotations are immutable: an edit is a new object) and shown as a
 * small definition list.
 * @module
 */
import { html, nothing, type ReactiveControllerHost, type TemplateResult } from 'lit';
import type { AnnotationDocument } from '../core/annotation/document.js';
import type { AnnotationStatistics } from '../core/annotation/measure.js';
import type { Annotation } from '../core/annotation/types.js';
import type { ImageStack } from '../core/image/types.js';

/** Computes the statistics of the annotation shown, and asks its host to render when they arrive. */
export class StatisticsTracker {
  #key: { a: Annotation; stack: ImageStack } | undefined;
  #value: AnnotationStatistics | undefined;
  #abort: AbortController | undefined;

  constructor(private readonly host: ReactiveControllerHost) {}

  /** The statistics of `a` once known (undefined while they are computed, or without a stack). */
  get(
    doc: AnnotationDocument,
    a: Annotation,
    stack: ImageStack | undefined,
  ): AnnotationStatistics | undefined {
    if (!stack) return undefined;
    if (this.#key?.a === a && this.#key.stack === stack) return this.#value;
    this.#abort?.abort();
    const abort = (this.#abort = new AbortController());
    this.#key = { a, stack };
    this.#value = undefined;
    doc.statistics(a.id, stack, { signal: abort.signal }).then(
      (value) => {
        if (abort.signal.aborted) return;
        this.#value = value;
        this.host.requestUpdate();
      },
      () => undefined, // a stack of another size, a frame that fails to decode: no statistics
    );
    return undefined;
  }
}

const fixed = (v: number) => v.toFixed(1).replace('-', '−');
const plain = (v: number) => (Number.isInteger(v) ? String(v) : v.toFixed(1)).replace('-', '−');

/** The rows of a statistics list: name and value, in the order shown. */
export function statisticsRows(s: AnnotationStatistics): [string, string][] {
  if (s.lengthMm !== undefined) return [['Length', `${fixed(s.lengthMm)} mm`]];
  if (s.angleDeg !== undefined) return [['Angle', `${fixed(s.angleDeg)}°`]];
  const rows: [string, string][] = [];
  if (s.count) {
    rows.push(['Mean', fixed(s.mean!)], ['SD', fixed(s.sd!)], ['Min', plain(s.min!)], ['Max', plain(s.max!)]);
  }
  rows.push([s.volumeMm3 !== undefined ? 'Voxels' : 'Pixels', String(s.count ?? 0)]);
  if (s.areaMm2 !== undefined) rows.push(['Area', `${fixed(s.areaMm2)} mm²`]);
  if (s.volumeMm3 !== undefined) rows.push(['Volume', `${fixed(s.volumeMm3)} mm³`]);
  return rows;
}

/** The statistics as a definition list (`part="statistics"`), or nothing while they are unknown. */
export function renderStatistics(s: AnnotationStatistics | undefined): TemplateResult | typeof nothing {
  if (!s) return nothing;
  return html`<dl part="statistics" aria-label="Measurements">
    ${statisticsRows(s).map(
      ([k, v]) =>
        html`<div>
          <dt>${k}</dt>
          <dd>${v}</dd>
        </div>`,
    )}
  </dl>`;
}
