/**
 * What `<vx-annotation-list>` shows, as plain data: the annotations of a slice or of the series, grouped by
 * label, each with its size and validation problems. No DOM.
 * @module
 */
import type { AnnotationDocument } from '../../core/annotation/document.js';
import { shapeOf, type ShapeMeasure } from '../../core/annotation/shapes.js';
import type { Annotation } from '../../core/annotation/types.js';
import type { ImageStack } from '../../core/image/types.js';
import type { Problem } from '../../core/schema/parse.js';
import { treeRows } from '../../core/schema/tree.js';
import type { LabelSchema } from '../../core/schema/types.js';
import { validateDocument } from '../../core/schema/validate.js';
import { fallbackColor } from '../../render/colors.js';

/** Which annotations the list shows. */
export type ListScope = 'slice' | 'all';

/** One row: an annotation with what the list says of it. */
export interface ListRow {
  annotation: Annotation;
  size: ShapeMeasure | null;
  problems: Problem[];
}

/** The rows of one label, in slice order. */
export interface ListGroup {
  label: string;
  name: string;
  color: string;
  rows: ListRow[];
}

/** mm per unit of `ImageStack.spacing`, by `metadata.spacingUnit` (DICOM spacing is in mm). */
const MM_PER_UNIT: Record<string, number> = { mm: 1, µm: 0.001, um: 0.001, cm: 10, inch: 25.4, in: 25.4 };

/** mm per pixel in x, y and z, or undefined when the stack's spacing is not physical (or unknown). */
export function spacingMm(stack: ImageStack | undefined): [number, number, number] | undefined {
  if (!stack) return undefined;
  const unit = stack.metadata['spacingUnit'];
  const f = typeof unit === 'string' ? MM_PER_UNIT[unit] : stack.format === 'dicom' ? 1 : undefined;
  const s = stack.spacing;
  if (!f || !s.every((v) => Number.isFinite(v) && v > 0)) return undefined;
  return [s[0] * f, s[1] * f, s[2] * f];
}

/** '12.3 mm²', '1 204 px²': three significant figures for small values, whole numbers above 100. */
export function formatMeasure(m: ShapeMeasure | null): string {
  if (!m) return '';
  const v = m.value;
  // Thousands apart by a narrow no-break space: read the same in every locale.
  const text =
    v >= 100
      ? Math.round(v).toLocaleString('en-US').replace(/,/g, '\u202f')
      : Number(v.toPrecision(3)).toString();
  return `${text} ${m.unit}`;
}

/** The validation problems of a document by annotation id, kept while the document and schema are the same. */
export class ProblemIndex {
  #key: unknown[] = [];
  #byId = new Map<string, Problem[]>();

  of(doc: AnnotationDocument | undefined, schema: LabelSchema | undefined): Map<string, Problem[]> {
    const key = [doc, doc?.version, schema];
    if (key.every((k, i) => k === this.#key[i])) return this.#byId;
    this.#key = key;
    this.#byId = new Map();
    if (!doc || !schema) return this.#byId;
    for (const p of validateDocument(doc, schema, { depth: doc.depth })) {
      if (p.annotationId === undefined) continue;
      const list = this.#byId.get(p.annotationId) ?? [];
      list.push(p);
      this.#byId.set(p.annotationId, list);
    }
    return this.#byId;
  }
}

/** What to list and how. */
export interface ListQuery {
  doc: AnnotationDocument | undefined;
  schema: LabelSchema | undefined;
  stack: ImageStack | undefined;
  slice: number;
  scope: ListScope;
  problemsOnly: boolean;
  problems: Map<string, Problem[]>;
}

/**
 * The groups the list shows: the labels in the order the schema's tree lists them (labels it does not know
 * last), each with its annotations in slice order. Sizes come from the kind's shape (`SHAPES[kind].measure`),
 * so every kind, present or future, is listed the same way.
 */
export function listGroups(q: ListQuery): ListGroup[] {
  if (!q.doc) return [];
  const mm = spacingMm(q.stack);
  const source = q.scope === 'slice' ? onSlice(q.doc, q.slice) : q.doc.annotations;
  const byLabel = new Map<string, ListRow[]>();
  for (const a of source) {
    const problems = q.problems.get(a.id) ?? [];
    if (q.problemsOnly && !problems.length) continue;
    const rows = byLabel.get(a.label) ?? [];
    rows.push({ annotation: a, size: shapeOf(a).measure?.(a, mm) ?? null, problems });
    byLabel.set(a.label, rows);
  }
  const order = treeRows(q.schema).map((r) => r.label.id);
  const labels = [...byLabel.keys()].sort((a, b) => rank(order, a) - rank(order, b));
  return labels.map((label) => {
    const def = q.schema?.labels.find((l) => l.id === label);
    const rows = byLabel.get(label)!;
    // Stable: annotations of one slice keep their drawing order.
    rows.sort((x, y) => x.annotation.slice - y.annotation.slice);
    return { label, name: def?.name ?? label, color: def?.color ?? fallbackColor(label), rows };
  });
}

/** The annotations on `slice`: those anchored there, and the volumes with voxels there. */
function onSlice(doc: AnnotationDocument, slice: number): readonly Annotation[] {
  const here = doc.bySlice(slice);
  const ids = new Set(here.map((a) => a.id));
  const volumes = doc.volumesAt(slice).filter((a) => !ids.has(a.id));
  return volumes.length ? [...here, ...volumes] : here;
}

function rank(order: string[], label: string): number {
  const i = order.indexOf(label);
  return i < 0 ? order.length : i;
}

/** The short form of an instance id shown in a row (the full id is in its tooltip). */
export function shortId(id: string): string {
  return id.length > 8 ? id.slice(0, 8) : id;
}
